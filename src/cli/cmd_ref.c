/* `iom init`, `iom migrate`, `iom region ...`, `iom agency ...`. */
#include <string.h>

#include "app/agency.h"
#include "app/audit.h"
#include "app/json.h"
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
                       cli->db, from);
    const char *key = audit_key_path(&cli->arena, cli->db);
    if (!err)
        err = audit_key_create(key, c->audit_key, &c->err);
    if (!err)
        c->has_audit_key = true;
    if (!err)
        err = cli->store->ops->migrate(cli->store, &from, &to, &c->err);
    if (!err)
        err = app_init_reference(c);
    if (err)
        return cli_fail(cli, err);
    if (cli->json)
        cli_print_json(cli, json_pack("{s:s, s:s, s:i}", "database", cli->db, "audit_key", key,
                                      "schema_version", to));
    else
        fprintf(cli->out,
                "initialised %s (schema %d) with the reference data\naudit key: %s (keep it "
                "private and backed up apart from the database)\n",
                cli->db, to, key);
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
                                      "migrate: '%s' was not initialised; use `iom init`", cli->db));
    if (cli->json)
        cli_print_json(cli, json_pack("{s:i, s:i}", "from", from, "to", to));
    else if (from == to)
        fprintf(cli->out, "schema is up to date (version %d)\n", to);
    else
        fprintf(cli->out, "migrated schema from version %d to %d\n", from, to);
    return 0;
}

int cmd_region_list(cli_t *cli, int argc, char **argv)
{
    static const char usage[] = "usage: iom region list\n";
    cli_opt opts[] = {{0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 0, npos, usage);
    iom_region_t *r;
    size_t n;
    iom_err err = app_region_list(&cli->ctx, &r, &n);
    if (err)
        return cli_fail(cli, err);
    if (cli->json) {
        json_t *items = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(items, json_of_region(&r[i]));
        cli_print_json(cli, json_list(items, NULL));
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        fprintf(cli->out, "%-18s %s\n", r[i].code, r[i].name);
    return 0;
}

static void print_agency(cli_t *cli, const iom_agency_t *a)
{
    if (cli->json) {
        cli_print_json(cli, json_of_agency(a));
        return;
    }
    fprintf(cli->out, "%s: %s\n  kind: %s\n  region: %s\n  status: %s", a->code, a->name,
            iom_agency_kind_name(a->kind), a->region ? a->region : "(national)",
            a->disabled ? "disabled" : "active");
    if (a->merged_into)
        fprintf(cli->out, " (merged into %s)", a->merged_into);
    fputc('\n', cli->out);
}

int cmd_agency_list(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom agency list [--kind force|rocu|national|capability] [--region CODE] [--all]\n"
        "Lists enabled agencies (with --all also disabled and merged ones).\n";
    cli_opt opts[] = {{"kind", true, false}, {"region", true, false}, {"all", false, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 0, npos, usage);
    const char *kind = opts[0].value, *region = opts[1].value;
    bool all = opts[2].count > 0;
    iom_agency_kind k = IOM_AGENCY_FORCE;
    if (kind && iom_agency_kind_parse(kind, &k, &cli->ctx.err))
        return cli_fail(cli, IOM_EINVAL);
    iom_agency_t *v;
    size_t n;
    iom_err err = app_agency_list(&cli->ctx, &v, &n);
    if (err)
        return cli_fail(cli, err);
    json_t *items = cli->json ? json_array() : NULL;
    if (!cli->json)
        fprintf(cli->out, "%-20s %-10s %-18s %s\n", "CODE", "KIND", "REGION", "NAME");
    for (size_t i = 0; i < n; i++) {
        const iom_agency_t *a = &v[i];
        if ((kind && a->kind != k) || (region && (!a->region || strcmp(a->region, region) != 0)) ||
            (!all && a->disabled))
            continue;
        if (items)
            json_array_append_new(items, json_of_agency(a));
        else
            fprintf(cli->out, "%-20s %-10s %-18s %s%s\n", a->code, iom_agency_kind_name(a->kind),
                    a->region ? a->region : "-", a->name, a->disabled ? " [disabled]" : "");
    }
    if (items)
        cli_print_json(cli, json_list(items, NULL));
    return 0;
}

int cmd_agency_show(cli_t *cli, int argc, char **argv)
{
    static const char usage[] = "usage: iom agency show CODE\n";
    cli_opt opts[] = {{0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (npos != 1) {
        fprintf(cli->err, "%s", usage);
        return iom_err_exit_code(IOM_EUSAGE);
    }
    iom_agency_t a;
    iom_err err = app_agency_get(&cli->ctx, pos[0], &a);
    if (err)
        return cli_fail(cli, err);
    print_agency(cli, &a);
    return 0;
}

int cmd_agency_add(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom --as ADMIN agency add --code CODE --name NAME --kind force|rocu|national|capability [--region CODE]\n";
    cli_opt opts[] = {{"code", true, false}, {"name", true, false}, {"kind", true, false},
                      {"region", true, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 0, npos, usage);
    app_agency_input in = {opts[0].value, opts[1].value, opts[2].value, opts[3].value};
    iom_agency_t a;
    iom_err err = app_agency_add(&cli->ctx, &in, &a);
    if (err)
        return cli_fail(cli, err);
    print_agency(cli, &a);
    return 0;
}

int cmd_agency_rename(cli_t *cli, int argc, char **argv)
{
    static const char usage[] = "usage: iom --as ADMIN agency rename CODE --name NAME\n";
    cli_opt opts[] = {{"name", true, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (npos != 1) {
        fprintf(cli->err, "%s", usage);
        return iom_err_exit_code(IOM_EUSAGE);
    }
    iom_agency_t a;
    iom_err err = app_agency_rename(&cli->ctx, pos[0], opts[0].value, &a);
    if (err)
        return cli_fail(cli, err);
    print_agency(cli, &a);
    return 0;
}

int cmd_agency_disable(cli_t *cli, int argc, char **argv)
{
    static const char usage[] = "usage: iom --as ADMIN agency disable CODE\n";
    cli_opt opts[] = {{0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (npos != 1) {
        fprintf(cli->err, "%s", usage);
        return iom_err_exit_code(IOM_EUSAGE);
    }
    iom_agency_t a;
    iom_err err = app_agency_disable(&cli->ctx, pos[0], &a);
    if (err)
        return cli_fail(cli, err);
    print_agency(cli, &a);
    return 0;
}

int cmd_agency_merge(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom --as ADMIN agency merge FROM --into CODE\n"
        "Moves FROM's users and owned threats to CODE and disables FROM, keeping its record.\n";
    cli_opt opts[] = {{"into", true, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (npos != 1 || !opts[0].value) {
        fprintf(cli->err, "%s", usage);
        return iom_err_exit_code(IOM_EUSAGE);
    }
    iom_agency_t a;
    iom_err err = app_agency_merge(&cli->ctx, pos[0], opts[0].value, &a);
    if (err)
        return cli_fail(cli, err);
    print_agency(cli, &a);
    return 0;
}
