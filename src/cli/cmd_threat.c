/* `iom threat ...`: the SOC master list. */
#include <string.h>

#include "app/json.h"
#include "app/threat.h"
#include "cli/commands.h"
#include "util/timefmt.h"

static void print_threat(cli_t *cli, const iom_threat_t *t)
{
    if (cli->json) {
        cli_print_json(cli, json_of_threat(t));
        return;
    }
    char created[32], updated[32];
    iom_time_uk(t->created_at, created);
    iom_time_uk(t->updated_at, updated);
    fprintf(cli->out,
            "%s  [%s]  %s\n  title: %s\n  type: %s\n  owner: %s (%s)\n  region: %s\n  sio: %s\n"
            "  force tasking ref: %s\n  status: %s\n  version: %lld\n  created: %s by %s\n  updated: %s\n",
            t->ref, iom_marking_name(t->marking), t->title, t->title, iom_threat_type_name(t->type),
            t->owner_name, t->owner, t->owner_region ? t->owner_region : "national", t->sio,
            t->force_tasking_ref, iom_threat_status_name(t->status), (long long)t->version, created,
            t->created_by ? t->created_by : "-", updated);
}

static int need_ref(cli_t *cli, int npos, const char *usage)
{
    if (npos == 1)
        return 0;
    fprintf(cli->err, "%s", usage);
    return iom_err_exit_code(IOM_EUSAGE);
}

int cmd_threat_add(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom --as USER threat add --title TEXT --type TYPE --owner CODE --sio USER\n"
        "             --force-tasking-ref TEXT [--marking OFFICIAL|OFFICIAL-SENSITIVE]\n"
        "Types: labour sexual criminal cse domestic_servitude organ_harvesting oic other.\n"
        "Run by a spoc or sio of the owning agency; prints the new SOC reference.\n";
    cli_opt opts[] = {{"title", true, false}, {"type", true, false}, {"owner", true, false},
                      {"sio", true, false}, {"force-tasking-ref", true, false},
                      {"marking", true, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 0, npos, usage);
    app_threat_input in = {opts[0].value, opts[1].value, opts[2].value, opts[3].value,
                           opts[4].value, opts[5].value};
    iom_threat_t t;
    iom_err err = app_threat_add(&cli->ctx, &in, &t);
    if (err)
        return cli_fail(cli, err);
    if (cli->json)
        print_threat(cli, &t);
    else
        fprintf(cli->out, "%s\n", t.ref);
    return 0;
}

int cmd_threat_list(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom --as USER threat list [--owner CODE] [--region CODE] [--status active|archived|all]\n"
        "                                [--limit N] [--after REF]\n"
        "The SOC master list: each threat with the agency and region that own it.\n";
    cli_opt opts[] = {{"owner", true, false}, {"region", true, false}, {"status", true, false},
                      {"limit", true, false}, {"after", true, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 0, npos, usage);
    app_threat_query q = {opts[0].value, opts[1].value, opts[2].value, opts[4].value, 0};
    long long limit = 0;
    if (opts[3].value && cli_uint(cli, "limit", opts[3].value, 1000, &limit))
        return cli_fail(cli, IOM_EINVAL);
    q.limit = (size_t)limit;
    iom_threat_t *v;
    size_t n;
    const char *next;
    iom_err err = app_threat_list(&cli->ctx, &q, &v, &n, &next);
    if (err)
        return cli_fail(cli, err);
    if (cli->json) {
        json_t *items = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(items, json_of_threat(&v[i]));
        cli_print_json(cli, json_list(items, next));
        return 0;
    }
    fprintf(cli->out, "%-11s %-18s %-20s %-17s %-24s %-18s %s\n", "REF", "MARKING", "OWNER",
            "REGION", "SIO", "TYPE", "TITLE");
    for (size_t i = 0; i < n; i++)
        fprintf(cli->out, "%-11s %-18s %-20s %-17s %-24s %-18s %s%s\n", v[i].ref,
                iom_marking_name(v[i].marking), v[i].owner,
                v[i].owner_region ? v[i].owner_region : "national", v[i].sio,
                iom_threat_type_name(v[i].type), v[i].title,
                v[i].status == IOM_THREAT_ARCHIVED ? " [archived]" : "");
    if (next)
        fprintf(cli->out, "(more: --after %s)\n", next);
    return 0;
}

int cmd_threat_show(cli_t *cli, int argc, char **argv)
{
    static const char usage[] = "usage: iom --as USER threat show REF\n";
    cli_opt opts[] = {{0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (need_ref(cli, npos, usage))
        return iom_err_exit_code(IOM_EUSAGE);
    iom_threat_t t;
    iom_err err = app_threat_get(&cli->ctx, pos[0], &t);
    if (err)
        return cli_fail(cli, err);
    print_threat(cli, &t);
    return 0;
}

static int if_version(cli_t *cli, cli_opt *o, int64_t *out)
{
    long long v = 0;
    if (o->value && cli_uint(cli, "if-version", o->value, (1LL << 53), &v))
        return -1;
    if (o->value && v == 0)
        return iom_fail(&cli->ctx.err, IOM_EINVAL, "if-version: versions start at 1"), -1;
    *out = v;
    return 0;
}

int cmd_threat_update(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom --as USER threat update REF [--title TEXT] [--type TYPE] [--sio USER]\n"
        "             [--force-tasking-ref TEXT] [--marking M] [--if-version N]\n"
        "The owner's spoc or sio changes a threat. Ownership moves only by a transfer decision.\n";
    cli_opt opts[] = {{"title", true, false}, {"type", true, false}, {"sio", true, false},
                      {"force-tasking-ref", true, false}, {"marking", true, false},
                      {"if-version", true, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (need_ref(cli, npos, usage))
        return iom_err_exit_code(IOM_EUSAGE);
    int64_t ver = 0;
    if (if_version(cli, &opts[5], &ver))
        return cli_fail(cli, IOM_EINVAL);
    app_threat_input in = {.title = opts[0].value, .type = opts[1].value, .sio = opts[2].value,
                           .force_tasking_ref = opts[3].value, .marking = opts[4].value};
    iom_threat_t t;
    iom_err err = app_threat_update(&cli->ctx, pos[0], &in, ver, &t);
    if (err)
        return cli_fail(cli, err);
    print_threat(cli, &t);
    return 0;
}

int cmd_threat_archive(cli_t *cli, int argc, char **argv)
{
    static const char usage[] = "usage: iom --as USER threat archive REF [--if-version N]\n";
    cli_opt opts[] = {{"if-version", true, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (need_ref(cli, npos, usage))
        return iom_err_exit_code(IOM_EUSAGE);
    int64_t ver = 0;
    if (if_version(cli, &opts[0], &ver))
        return cli_fail(cli, IOM_EINVAL);
    iom_threat_t t;
    iom_err err = app_threat_archive(&cli->ctx, pos[0], ver, &t);
    if (err)
        return cli_fail(cli, err);
    print_threat(cli, &t);
    return 0;
}
