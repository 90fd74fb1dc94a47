/* `iom user ...`. */
#include <string.h>

#include <sodium.h>

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
    if (!fgets(buf, (int)cap, stdin))
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
