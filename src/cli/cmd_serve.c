/* `iom serve`: the JSON API (docs/serve.md). */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app/auth.h"
#include "app/json.h"
#include "cli/commands.h"
#include "http/http.h"
#include "util/timefmt.h"

static int cmd_serve(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom [--db PATH] serve [--listen ADDRESS:PORT] [--threads N] [--tls-cert F --tls-key F]\n"
        "                             [--timeout SECONDS] [--idle-minutes N] [--absolute-hours N]\n"
        "                             [--trusted-proxy ADDRESS[/PREFIX]]...\n"
        "Serves the JSON API (docs/serve.md) on 127.0.0.1:8080 by default. One JSON line per\n"
        "request goes to standard error. SIGINT or SIGTERM stops it cleanly. Behind a proxy, name\n"
        "it with --trusted-proxy: a sign-in through it is then counted against the client's\n"
        "address (the proxy's X-Forwarded-For) for the lockout, not the proxy's.\n";
    cli_opt opts[] = {{"listen", true, false}, {"threads", true, false}, {"tls-cert", true, false},
                      {"tls-key", true, false}, {"timeout", true, false}, {"idle-minutes", true, false},
                      {"absolute-hours", true, false}, {"trusted-proxy", true, true}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 0, npos, usage);
    http_config cfg = {.db_path = cli->db, .listen = opts[0].value, .tls_cert = opts[2].value,
                       .tls_key = opts[3].value};
    long long v;
    if (opts[1].value) {
        if (cli_uint(cli, "threads", opts[1].value, 256, &v) || v == 0)
            return cli_fail(cli, iom_fail(&cli->ctx.err, IOM_EINVAL, "threads: from 1 to 256"));
        cfg.threads = (unsigned)v;
    }
    if (opts[4].value) {
        if (cli_uint(cli, "timeout", opts[4].value, 3600, &v) || v == 0)
            return cli_fail(cli, iom_fail(&cli->ctx.err, IOM_EINVAL, "timeout: from 1 to 3600 seconds"));
        cfg.conn_timeout = (unsigned)v;
    }
    if (opts[5].value) {
        if (cli_uint(cli, "idle-minutes", opts[5].value, 24 * 60, &v) || v == 0)
            return cli_fail(cli, iom_fail(&cli->ctx.err, IOM_EINVAL, "idle-minutes: from 1 to 1440"));
        cfg.auth.idle_seconds = v * 60;
    }
    if (opts[6].value) {
        if (cli_uint(cli, "absolute-hours", opts[6].value, 24 * 7, &v) || v == 0)
            return cli_fail(cli, iom_fail(&cli->ctx.err, IOM_EINVAL, "absolute-hours: from 1 to 168"));
        cfg.auth.absolute_seconds = v * 3600;
    }
    const char *proxies[sizeof opts[7].values / sizeof *opts[7].values + 1] = {NULL};
    for (int i = 0; i < opts[7].count && i < (int)(sizeof opts[7].values / sizeof *opts[7].values); i++)
        proxies[i] = opts[7].values[i];
    cfg.trusted_proxies = proxies;
    iom_err err = http_serve(&cfg, &cli->ctx.err);
    return err ? cli_fail(cli, err) : 0;
}

const cli_command cli_serve_commands[] = {
    {"serve", NULL, cmd_serve, CLI_NEED_STORE, "serve the JSON API (docs/serve.md)"},
    {NULL, NULL, NULL, 0, NULL},
};
