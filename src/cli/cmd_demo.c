/* `iom demo`: a new database filled with the demo scenario. */
#include <sodium.h>
#include <string.h>
#include <unistd.h>

#include "app/agency.h"
#include "app/audit.h"
#include "app/demo.h"
#include "app/user.h"
#include "cli/commands.h"

int cmd_demo(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom [--db PATH] demo [--password PW]\n"
        "Initialises a NEW database and fills it with the demo scenario. Every demo user gets\n"
        "the password PW (12-256 bytes), or a random one printed at the end.\n";
    cli_opt opts[] = {{"password", true, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 0, npos, usage);
    iom_ctx *c = &cli->ctx;
    char generated[32];
    const char *pw = opts[0].value;
    if (!pw) {
        static const char alphabet[] = "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY34679";
        if (sodium_init() < 0)
            return cli_fail(cli, iom_fail(&c->err, IOM_EIO, "demo: libsodium could not initialise"));
        for (int i = 0; i < 16; i++)
            generated[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
        generated[16] = '\0';
        pw = generated;
    }
    int from, to, latest;
    iom_err err = app_password_check(c, "password", pw); /* before anything is created */
    if (!err)
        err = cli->store->ops->schema_version(cli->store, &from, &latest, &c->err);
    if (!err && from > 0)
        return cli_fail(cli, iom_fail(&c->err, IOM_ECONFLICT,
                                      "demo: database '%s' already exists and is initialised; give a "
                                      "new --db path", cli->db_shown));
    const char *key = audit_key_path(&cli->arena, cli->db);
    if (!err && !(err = audit_key_create(key, c->audit_key, &c->err)))
        c->has_audit_key = true;
    if (!err)
        err = cli->store->ops->migrate(cli->store, &from, &to, &c->err);
    if (!err)
        err = app_init_reference(c);
    app_demo_result r;
    if (!err)
        err = app_demo(c, pw, &r);
    if (err) {
        /* A refused demo leaves nothing behind: the database it made and its key go; a file
           that was there before this run is never removed (review 47: a failed demo deleted
           another program's SQLite database given as --db) */
        iom_store_close(cli->store);
        cli->store = NULL;
        c->store = NULL;
        const char *suffixes[] = {"", "-wal", "-shm", "-journal"};
        for (size_t i = 0; !cli->db_existed && i < sizeof suffixes / sizeof suffixes[0]; i++)
            unlink(iom_arena_printf(&cli->arena, "%s%s", cli->db, suffixes[i]));
        if (c->has_audit_key)
            unlink(key);
        return cli_fail(cli, err);
    }
    if (cli->json) {
        cli_print_json(cli, json_pack("{s:s, s:I, s:I, s:I, s:s}", "database", cli->db_shown, "users",
                                      (json_int_t)r.users, "threats", (json_int_t)r.threats, "taskings", (json_int_t)r.taskings,
                                      "password", pw));
        return 0;
    }
    fprintf(cli->out,
            "demo database %s: %zu users, %zu threats, %zu taskings, %zu APMIS disruptions\n"
            "every demo user's password: %s\n"
            "users are named by agency and role (see `iom --db %s --as admin user list`)\n",
            cli->db_shown, r.users, r.threats, r.taskings, r.disruptions, pw, cli->db_shown);
    return 0;
}
