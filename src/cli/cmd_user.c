/* `iom user password`, `iom user totp-enrol`, `iom user totp-confirm`: the acting user's own
   account (the server's /api/v1/me routes, which also end or keep the signed-in session).
   The other user and role commands are rows of the operation table (src/ops/table.c). */
#include <string.h>

#include <sodium.h>

#include "app/auth.h"
#include "app/json.h"
#include "app/user.h"
#include "cli/commands.h"

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
    iom_err err = cli_read_secret(cli, "current password: ", old_pw, sizeof old_pw);
    if (!err)
        err = cli_read_secret(cli, "new password: ", new_pw, sizeof new_pw);
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

