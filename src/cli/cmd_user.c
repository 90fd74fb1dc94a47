/* `iom user ...` and `iom role ...`. */
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "app/auth.h"
#include "app/json.h"
#include "app/user.h"
#include "cli/commands.h"
#include "util/timefmt.h"

static void roles_text(iom_roles roles, char *buf, size_t cap)
{
    size_t j = 0;
    buf[0] = '\0';
    for (int r = 0; r < IOM_ROLE_COUNT && j < cap; r++)
        if (iom_roles_has(roles, (iom_role)r))
            j += (size_t)snprintf(buf + j, cap - j, "%s%s", j ? "," : "", iom_role_name((iom_role)r));
}

static void print_user(cli_t *cli, const iom_user_t *u)
{
    if (cli->json) {
        cli_print_json(cli, json_of_user(u));
        return;
    }
    char roles[256], when[32];
    roles_text(u->roles, roles, sizeof roles);
    iom_time_uk(u->created_at, when);
    fprintf(cli->out, "%s\n  agency: %s\n  roles: %s\n  clearance: %s\n  status: %s\n  password: %s\n  created: %s\n",
            u->name, u->agency, roles, iom_marking_name(u->clearance),
            u->disabled ? "disabled" : "active", u->pw_hash ? "set" : "not set", when);
}

/* Reads one line (the password) from standard input, without the newline. */
static iom_err read_password(cli_t *cli, char *buf, size_t cap)
{
    if (!fgets(buf, (int)cap, cli->in))
        return iom_fail(&cli->ctx.err, IOM_EINVAL, "password: nothing on standard input");
    size_t n = strcspn(buf, "\r\n");
    if (buf[n] == '\0' && n == cap - 1)
        return iom_fail(&cli->ctx.err, IOM_ETOOBIG, "password: longer than %zu bytes", cap - 2);
    buf[n] = '\0';
    return IOM_OK;
}

int cmd_user_add(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom [--as ADMIN] user add NAME --agency CODE --role ROLE [--role ROLE...]\n"
        "              --clearance OFFICIAL|OFFICIAL-SENSITIVE [--password-stdin]\n"
        "Roles: spoc sio customer gateway toex_manager sia analyst ido dia researcher ttcg ftt\n"
        "apmis auditor admin. The first user may be added without --as while no admin exists.\n"
        "--password-stdin reads the password (12-256 bytes) from the first line of standard input.\n";
    cli_opt opts[] = {{"agency", true, false}, {"role", true, true}, {"clearance", true, false},
                      {"password-stdin", false, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (npos != 1) {
        fprintf(cli->err, "%s", usage);
        return iom_err_exit_code(IOM_EUSAGE);
    }
    app_user_input in = {.name = pos[0], .agency = opts[0].value, .clearance = opts[2].value};
    for (int i = 0; i < opts[1].count; i++)
        in.roles[in.nroles++] = opts[1].values[i];
    char pw[APP_PASSWORD_MAX + 2];
    if (opts[3].count) {
        iom_err err = read_password(cli, pw, sizeof pw);
        if (err)
            return cli_fail(cli, err);
        in.password = pw;
    }
    iom_user_t u;
    iom_err err = app_user_add(&cli->ctx, &in, &u);
    sodium_memzero(pw, sizeof pw);
    if (err)
        return cli_fail(cli, err);
    print_user(cli, &u);
    return 0;
}

int cmd_user_list(cli_t *cli, int argc, char **argv)
{
    static const char usage[] = "usage: iom --as USER user list [--agency CODE] [--role ROLE]\n";
    cli_opt opts[] = {{"agency", true, false}, {"role", true, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 0, npos, usage);
    iom_role role = IOM_ROLE_ADMIN;
    if (opts[1].value && iom_role_parse(opts[1].value, &role, &cli->ctx.err))
        return cli_fail(cli, IOM_EINVAL);
    iom_user_t *v;
    size_t n;
    iom_err err = app_user_list(&cli->ctx, &v, &n);
    if (err)
        return cli_fail(cli, err);
    json_t *items = cli->json ? json_array() : NULL;
    if (!items)
        fprintf(cli->out, "%-28s %-20s %-20s %-9s %s\n", "NAME", "AGENCY", "CLEARANCE", "STATUS", "ROLES");
    for (size_t i = 0; i < n; i++) {
        if ((opts[0].value && strcmp(v[i].agency, opts[0].value) != 0) ||
            (opts[1].value && !iom_roles_has(v[i].roles, role)))
            continue;
        if (items) {
            json_array_append_new(items, json_of_user(&v[i]));
            continue;
        }
        char roles[256];
        roles_text(v[i].roles, roles, sizeof roles);
        fprintf(cli->out, "%-28s %-20s %-20s %-9s %s\n", v[i].name, v[i].agency,
                iom_marking_name(v[i].clearance), v[i].disabled ? "disabled" : "active", roles);
    }
    if (items)
        cli_print_json(cli, json_list(items, NULL));
    return 0;
}

int cmd_user_show(cli_t *cli, int argc, char **argv)
{
    static const char usage[] = "usage: iom --as USER user show NAME\n";
    cli_opt opts[] = {{0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (npos != 1) {
        fprintf(cli->err, "%s", usage);
        return iom_err_exit_code(IOM_EUSAGE);
    }
    iom_user_t u;
    iom_err err = app_user_get(&cli->ctx, pos[0], &u);
    if (err)
        return cli_fail(cli, err);
    print_user(cli, &u);
    return 0;
}

int cmd_user_disable(cli_t *cli, int argc, char **argv)
{
    static const char usage[] = "usage: iom --as ADMIN user disable NAME\n";
    cli_opt opts[] = {{0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (npos != 1) {
        fprintf(cli->err, "%s", usage);
        return iom_err_exit_code(IOM_EUSAGE);
    }
    iom_user_t u;
    iom_err err = app_user_disable(&cli->ctx, pos[0], &u);
    if (err)
        return cli_fail(cli, err);
    print_user(cli, &u);
    return 0;
}

/* Reads one password line from standard input; prompts (without echo) on a terminal. */
static iom_err read_secret_line(cli_t *cli, const char *prompt, char *buf, size_t cap)
{
    int in_fd = fileno(cli->in);
    bool tty = in_fd >= 0 && isatty(in_fd);
    struct termios old, quiet;
    if (tty && tcgetattr(in_fd, &old) == 0) {
        fprintf(cli->err, "%s", prompt);
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(in_fd, TCSAFLUSH, &quiet);
    } else {
        tty = false;
    }
    iom_err err = read_password(cli, buf, cap);
    if (tty) {
        tcsetattr(in_fd, TCSAFLUSH, &old);
        fputc('\n', cli->err);
    }
    return err;
}

int cmd_user_password(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom --as USER user password [--password-stdin]\n"
        "Changes the acting user's password: reads the current password, then the new one\n"
        "(12-256 bytes), one per line (prompted without echo on a terminal). Ends every\n"
        "session and API token of the user.\n";
    cli_opt opts[] = {{"password-stdin", false, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 0, npos, usage);
    char old_pw[APP_PASSWORD_MAX + 2], new_pw[APP_PASSWORD_MAX + 2];
    app_auth_policy p;
    app_auth_policy_default(&p);
    iom_user_t u;
    iom_err err = read_secret_line(cli, "current password: ", old_pw, sizeof old_pw);
    if (!err)
        err = read_secret_line(cli, "new password: ", new_pw, sizeof new_pw);
    if (!err)
        err = app_auth_password_change(&cli->ctx, &p, old_pw, new_pw, &u);
    sodium_memzero(old_pw, sizeof old_pw);
    sodium_memzero(new_pw, sizeof new_pw);
    if (err)
        return cli_fail(cli, err);
    if (cli->json)
        cli_print_json(cli, json_pack("{s:o, s:b}", "user", json_of_user(&u), "signed_out", 1));
    else
        fprintf(cli->out, "password of %s changed; its sessions and API tokens were ended\n", u.name);
    return 0;
}

int cmd_user_reset_password(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom --as ADMIN user reset-password NAME [--password-stdin]\n"
        "Sets a temporary password (read from standard input, or generated and printed once)\n"
        "that the user must change at the next sign-in; ends the user's sessions and tokens.\n";
    cli_opt opts[] = {{"password-stdin", false, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (npos != 1)
        return cli_usage_error(cli, usage);
    char pw[APP_PASSWORD_MAX + 2];
    iom_err err = IOM_OK;
    if (opts[0].count)
        err = read_password(cli, pw, sizeof pw);
    app_password_reset res;
    if (!err)
        err = app_auth_password_reset(&cli->ctx, pos[0], opts[0].count ? pw : NULL, &res);
    sodium_memzero(pw, sizeof pw);
    if (err)
        return cli_fail(cli, err);
    if (cli->json)
        cli_print_json(cli, json_pack("{s:o, s:b, s:o}", "user", json_of_user(&res.user),
                                      "must_change_password", 1, "temporary_password",
                                      res.password[0] ? json_string(res.password) : json_null()));
    else if (res.password[0])
        fprintf(cli->out, "temporary password of %s (shown once; it must be changed at sign-in):\n%s\n",
                res.user.name, res.password);
    else
        fprintf(cli->out, "password of %s reset; it must be changed at sign-in\n", res.user.name);
    sodium_memzero(res.password, sizeof res.password);
    return 0;
}

int cmd_user_reset_totp(cli_t *cli, int argc, char **argv)
{
    static const char usage[] = "usage: iom --as ADMIN user reset-totp NAME\n"
                                "Removes the user's TOTP enrolment (lost device): it enrols again.\n";
    cli_opt opts[] = {{0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (npos != 1)
        return cli_usage_error(cli, usage);
    iom_err err = app_totp_reset(&cli->ctx, pos[0]);
    if (err)
        return cli_fail(cli, err);
    if (cli->json)
        cli_print_json(cli, json_pack("{s:s, s:s}", "user", pos[0], "totp", "none"));
    else
        fprintf(cli->out, "TOTP enrolment of %s removed\n", pos[0]);
    return 0;
}

int cmd_user_totp_enrol(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom --as USER user totp-enrol\n"
        "Starts your TOTP second factor (RFC 6238: SHA1, 6 digits, 30 s): prints the secret and\n"
        "an otpauth:// URI once, for an authenticator app; then `user totp-confirm CODE`.\n"
        "Running it again before confirming starts over with a new secret.\n";
    cli_opt opts[] = {{0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 0, npos, usage);
    if (npos != 0)
        return cli_usage_error(cli, usage);
    app_totp_enrolment en;
    iom_err err = app_totp_enrol(&cli->ctx, &en);
    if (err)
        return cli_fail(cli, err);
    if (cli->json)
        cli_print_json(cli, json_pack("{s:s, s:s, s:s, s:i, s:i}", "secret", en.secret,
                                      "otpauth_uri", en.uri, "algorithm", "SHA1", "digits", 6,
                                      "period", 30));
    else
        fprintf(cli->out,
                "secret %s (shown once)\n%s\nadd it to an authenticator app, then run: iom --as "
                "%s user totp-confirm CODE\n",
                en.secret, en.uri, cli->ctx.actor_name ? cli->ctx.actor_name : "USER");
    sodium_memzero(&en, sizeof en);
    return 0;
}

int cmd_user_totp_confirm(cli_t *cli, int argc, char **argv)
{
    static const char usage[] = "usage: iom --as USER user totp-confirm CODE\n"
                                "Confirms your TOTP enrolment with a current code from the app.\n";
    cli_opt opts[] = {{0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (npos != 1)
        return cli_usage_error(cli, usage);
    iom_err err = app_totp_confirm(&cli->ctx, pos[0]);
    if (err)
        return cli_fail(cli, err);
    if (cli->json)
        cli_print_json(cli, json_pack("{s:s}", "totp", "enrolled"));
    else
        fprintf(cli->out, "TOTP enrolled: sign-in now asks for a code\n");
    return 0;
}

static void print_roles(cli_t *cli, iom_roles required)
{
    json_t *items = cli->json ? json_array() : NULL;
    for (int r = 0; r < IOM_ROLE_COUNT; r++) {
        bool req = iom_roles_has(required, (iom_role)r);
        if (items)
            json_array_append_new(items, json_pack("{s:s, s:b}", "role", iom_role_name((iom_role)r),
                                                   "require_totp", req));
        else
            fprintf(cli->out, "%-14s %s\n", iom_role_name((iom_role)r), req ? "TOTP required" : "-");
    }
    if (items)
        cli_print_json(cli, json_list(items, NULL));
}

int cmd_role_require_totp(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom --as ADMIN role require-totp ROLE [--off]\n"
        "Users holding ROLE must enrol a TOTP second factor before using the API (--off: no\n"
        "longer required).\n";
    cli_opt opts[] = {{"off", false, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (npos != 1)
        return cli_usage_error(cli, usage);
    iom_roles req;
    iom_err err = app_role_require_totp(&cli->ctx, pos[0], !opts[0].count, &req);
    if (err)
        return cli_fail(cli, err);
    print_roles(cli, req);
    return 0;
}

int cmd_role_list(cli_t *cli, int argc, char **argv)
{
    static const char usage[] = "usage: iom --as ADMIN role list\n";
    cli_opt opts[] = {{0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 0, npos, usage);
    iom_roles req;
    iom_err err = app_role_totp_list(&cli->ctx, &req);
    if (err)
        return cli_fail(cli, err);
    print_roles(cli, req);
    return 0;
}
