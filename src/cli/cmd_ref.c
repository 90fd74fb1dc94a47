/* `iom init` and `iom migrate`: the database itself (CLI only). */
#include <string.h>
#include <unistd.h>

#include "app/agency.h"
#include "app/audit.h"
#include "app/json.h"
#include "app/work.h"
#include "cli/commands.h"

int cmd_init(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom [--db PATH] init\n"
        "Creates the database (mode 0600) and its audit key file (<db>.key, or $IOM_AUDIT_KEY),\n"
        "applies the schema and loads the reference data: 10 regions, 9 ROCUs, 43 forces, the\n"
        "NCA and TOEX.\n";
    cli_opt opts[] = {{0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 0, npos, usage);
    iom_ctx *c = &cli->ctx;
    int from, to, latest;
    iom_err err = cli->store->ops->schema_version(cli->store, &from, &latest, &c->err);
    if (!err && from > 0)
        err = iom_fail(&c->err, IOM_ECONFLICT,
                       "init: database '%s' is already initialised (schema %d); nothing done",
                       cli->db_shown, from);
    const char *key = audit_key_path(&cli->arena, cli->db);
    if (!err)
        err = audit_key_create(key, c->audit_key, &c->err);
    if (!err)
        c->has_audit_key = true;
    if (!err)
        err = cli->store->ops->migrate(cli->store, &from, &to, &c->err);
    if (!err)
        err = app_init_reference(c);
    if (err) {
        /* a refused init leaves nothing it made: the database file this run created (never one
           that was there before) and the key it wrote (review 47: an empty database and its
           .reads stayed after an init refused for a key already there) */
        bool made_key = c->has_audit_key;
        iom_store_close(cli->store);
        cli->store = NULL;
        c->store = NULL;
        const char *suffixes[] = {"", "-wal", "-shm", "-journal", ".reads", ".reads-wal", ".reads-shm"};
        for (size_t i = 0; !cli->db_existed && i < sizeof suffixes / sizeof suffixes[0]; i++)
            unlink(iom_arena_printf(&cli->arena, "%s%s", cli->db, suffixes[i]));
        if (made_key)
            unlink(key);
        return cli_fail(cli, err);
    }
    if (cli->json)
        cli_print_json(cli, json_pack("{s:s, s:s, s:i}", "database", cli->db_shown, "audit_key", key,
                                      "schema_version", to));
    else
        fprintf(cli->out,
                "initialised %s (schema %d) with the reference data\naudit key: %s (keep it "
                "private and backed up apart from the database)\n",
                cli->db_shown, to, key);
    return 0;
}

int cmd_migrate(cli_t *cli, int argc, char **argv)
{
    static const char usage[] = "usage: iom [--db PATH] migrate\n"
                                "Applies every schema migration this binary knows that the "
                                "database lacks.\n";
    cli_opt opts[] = {{0}};
    const char *pos[1];
    int npos, from, to;
    CLI_PARSE(cli, argc, argv, opts, pos, 0, npos, usage);
    iom_err err = cli->store->ops->migrate(cli->store, &from, &to, &cli->ctx.err);
    if (err)
        return cli_fail(cli, err);
    if (from == 0)
        return cli_fail(cli, iom_fail(&cli->ctx.err, IOM_ESCHEMA,
                                      "migrate: '%s' was not initialised; use `iom init`", cli->db_shown));
    bool started = false; /* the read chain's cut-over in the change chain (issue 14); without the
                             key here, the first logged read records it */
    if (cli->ctx.has_audit_key && (err = app_audit_reads_start(&cli->ctx, &started)))
        return cli_fail(cli, err);
    size_t noted = 0; /* what the migrations changed that the audit trail must show */
    if (cli->ctx.has_audit_key && (err = app_audit_migration_notes(&cli->ctx, &noted)))
        return cli_fail(cli, err);
    size_t sealed = 0; /* intelligence recorded before schema 11, sealed now (app/seal.h) */
    if (cli->ctx.has_audit_key && (err = app_intel_seal_legacy(&cli->ctx, &sealed)))
        return cli_fail(cli, err);
    if (sealed && !cli->json)
        fprintf(cli->out, "sealed %zu intelligence item%s recorded before schema 11\n", sealed,
                sealed == 1 ? "" : "s");
    if (noted && !cli->json)
        fprintf(cli->out, "audited %zu change%s the migrations made (iom audit log)\n", noted,
                noted == 1 ? "" : "s");
    if (cli->json)
        cli_print_json(cli, json_pack("{s:i, s:i}", "from", from, "to", to));
    else if (from == to)
        fprintf(cli->out, "schema is up to date (version %d)\n", to);
    else
        fprintf(cli->out, "migrated schema from version %d to %d\n", from, to);
    return 0;
}

