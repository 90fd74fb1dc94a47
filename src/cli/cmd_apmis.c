/* `iom apmis ...`: APMIS disruption records and the value-measure report (domain.md §9). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "app/apmis.h"
#include "app/json.h"
#include "cli/commands.h"
#include "util/timefmt.h"

/* A whole number, negative allowed, so the domain's rule (not the parser) names the error. */
static int int_opt(cli_t *cli, const char *field, const char *s, int64_t *out)
{
    if (!s)
        return 0;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (!*s || errno || *end) {
        iom_fail(&cli->ctx.err, IOM_EINVAL, "%s: '%.48s' is not a whole number", field, s);
        return -1;
    }
    *out = v;
    return 0;
}

static void pence(int64_t p, char out[48])
{
    snprintf(out, 48, "£%lld.%02lld", (long long)(p / 100), (long long)(p % 100));
}

static void print_record(cli_t *cli, const iom_apmis_t *r)
{
    if (cli->json) {
        cli_print_json(cli, json_of_apmis(r));
        return;
    }
    char created[32], seized[48];
    iom_time_uk(r->created_at, created);
    pence(r->seized_pence, seized);
    fprintf(cli->out,
            "%s  [%s]  %s %s on %s\n  threat: %s  %s (owner %s)\n  lead: %s (%s)\n  impact: %s\n"
            "  strand: %s\n  arrests: %lld  victims safeguarded: %lld  seized: %s\n"
            "  capabilities:",
            r->ref, iom_marking_name(r->threat_marking), products_disruption_name(r->type),
            "disruption", r->date, r->threat_ref, r->threat_title ? r->threat_title : "",
            r->owner ? r->owner : "-", r->lead_agency, r->lead_region ? r->lead_region : "national",
            products_impact_name(r->impact), products_strand_name(r->strand),
            (long long)r->arrests, (long long)r->safeguarded, seized);
    for (size_t i = 0; i < r->ncapabilities; i++)
        fprintf(cli->out, " %s", r->capabilities[i]);
    fprintf(cli->out, "%s\n  recorded: %s by %s\n  narrative:\n    %s\n",
            r->ncapabilities ? "" : " (none)", created,
            r->created_by_name ? r->created_by_name : "-", r->narrative);
}

static int cmd_apmis_record(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom --as USER apmis record --threat SOC-... --date YYYY-MM-DD\n"
        "             --impact major|moderate|minor|none|negative --type TYPE --lead CODE\n"
        "             [--capability CODE]... [--arrests N] [--safeguarded N] [--seized-pence N]\n"
        "             --strand pursue|prevent|protect|prepare --narrative TEXT\n"
        "Records a disruption against a threat on the SOC master list (domain.md §9), whatever\n"
        "the state of its taskings. Name TOEX with --capability toex when it contributed.\n"
        "Types: arrest charge conviction seizure victims_safeguarded order_obtained asset_freeze\n"
        "       immigration_action other. Value seized in whole pence.\n"
        "Run by an APMIS recorder, or a spoc or sio of the lead agency; prints the APM reference.\n";
    cli_opt opts[] = {{"threat", true, false},       {"date", true, false},
                      {"impact", true, false},       {"type", true, false},
                      {"lead", true, false},         {"capability", true, true},
                      {"arrests", true, false},      {"safeguarded", true, false},
                      {"seized-pence", true, false}, {"strand", true, false},
                      {"narrative", true, false},    {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 0, npos, usage);
    apmis_input in = {.threat = opts[0].value, .date = opts[1].value, .impact = opts[2].value,
                      .type = opts[3].value, .lead = opts[4].value, .strand = opts[9].value,
                      .narrative = opts[10].value};
    for (int i = 0; i < opts[5].count; i++)
        in.capabilities[in.ncapabilities++] = opts[5].values[i];
    if (int_opt(cli, "arrests", opts[6].value, &in.arrests) ||
        int_opt(cli, "safeguarded", opts[7].value, &in.safeguarded) ||
        int_opt(cli, "seized_pence", opts[8].value, &in.seized_pence))
        return cli_fail(cli, IOM_EINVAL);
    iom_apmis_t r;
    iom_err err = app_apmis_record(&cli->ctx, &in, &r);
    if (err)
        return cli_fail(cli, err);
    if (cli->json)
        print_record(cli, &r);
    else
        fprintf(cli->out, "%s\n", r.ref);
    return 0;
}

static int cmd_apmis_show(cli_t *cli, int argc, char **argv)
{
    static const char usage[] = "usage: iom --as USER apmis show APM-...\n";
    cli_opt opts[] = {{0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (npos != 1) {
        fprintf(cli->err, "%s", usage);
        return iom_err_exit_code(IOM_EUSAGE);
    }
    iom_apmis_t r;
    iom_err err = app_apmis_get(&cli->ctx, pos[0], &r);
    if (err)
        return cli_fail(cli, err);
    print_record(cli, &r);
    return 0;
}

static int cmd_apmis_list(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom --as USER apmis list [--threat SOC-...] [--limit N] [--after APM-...]\n"
        "Disruption records you may read, oldest reference first.\n";
    cli_opt opts[] = {{"threat", true, false}, {"limit", true, false}, {"after", true, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 0, npos, usage);
    long long limit = 0;
    if (opts[1].value && cli_uint(cli, "limit", opts[1].value, 1000, &limit))
        return cli_fail(cli, IOM_EINVAL);
    app_apmis_query q = {opts[0].value, opts[2].value, (size_t)limit};
    iom_apmis_t *v;
    size_t n;
    const char *next;
    iom_err err = app_apmis_list(&cli->ctx, &q, &v, &n, &next);
    if (err)
        return cli_fail(cli, err);
    if (cli->json) {
        json_t *items = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(items, json_of_apmis(&v[i]));
        cli_print_json(cli, json_list(items, next));
        return 0;
    }
    fprintf(cli->out, "%-11s %-18s %-11s %-11s %-20s %-9s %-20s %s\n", "REF", "MARKING", "THREAT",
            "DATE", "LEAD", "IMPACT", "TYPE", "TOEX");
    for (size_t i = 0; i < n; i++) {
        bool toex = false;
        for (size_t k = 0; k < v[i].ncapabilities; k++)
            toex = toex || v[i].capability_kinds[k] == IOM_AGENCY_CAPABILITY;
        fprintf(cli->out, "%-11s %-18s %-11s %-11s %-20s %-9s %-20s %s\n", v[i].ref,
                iom_marking_name(v[i].threat_marking), v[i].threat_ref, v[i].date,
                v[i].lead_agency, products_impact_name(v[i].impact),
                products_disruption_name(v[i].type), toex ? "yes" : "no");
    }
    if (next)
        fprintf(cli->out, "(more: --after %s)\n", next);
    return 0;
}

static void duration(int64_t s, char out[40])
{
    snprintf(out, 40, "%lldd %02lldh %02lldm", (long long)(s / 86400), (long long)(s % 86400 / 3600),
             (long long)(s % 3600 / 60));
}

static void print_totals(cli_t *cli, const char *title, const apmis_disruption_totals *t)
{
    char seized[48];
    pence(t->seized_pence, seized);
    fprintf(cli->out, "  %s: %lld (", title, (long long)t->count);
    for (int i = 0; i < IOM_IMPACT_COUNT; i++)
        fprintf(cli->out, "%s%s %lld", i ? ", " : "", products_impact_name((iom_apmis_impact)i),
                (long long)t->by_impact[i]);
    fprintf(cli->out, ")\n    arrests %lld, victims safeguarded %lld, seized %s\n",
            (long long)t->arrests, (long long)t->safeguarded, seized);
}

static void print_report(cli_t *cli, const app_apmis_report_t *ar)
{
    const apmis_report *r = &ar->r;
    char from[16] = "the beginning", to[16], end[32];
    if (r->period.has_from)
        apmis_day_format(r->period.from_day, from);
    apmis_day_format(r->period.to_day, to);
    iom_time_uk(r->period.end, end);
    FILE *o = cli->out;
    fprintf(o, "APMIS value measures  [%s]\n  region: %s  force: %s\n  period: %s to %s (up to %s)\n\n",
            iom_marking_name(r->marking), ar->region ? ar->region : "all",
            ar->force ? ar->force : "all", from, to, end);
    fprintf(o, "Taskings by state (%lld):\n", (long long)r->taskings);
    for (int s = 0; s < IOM_TS_COUNT; s++)
        if (r->by_state[s])
            fprintf(o, "  %-20s %lld\n", lifecycle_state_name((iom_tasking_state)s),
                    (long long)r->by_state[s]);
    fprintf(o, "\nTime in state (visits, total, median, 90th percentile):\n");
    for (int s = 0; s < IOM_TS_COUNT; s++) {
        const apmis_state_time *t = &r->time[s];
        if (!t->visits)
            continue;
        char tot[40], med[40], p90[40];
        duration(t->total_seconds, tot);
        duration(t->median_seconds, med);
        duration(t->p90_seconds, p90);
        fprintf(o, "  %-20s %4lld  %s  %s  %s\n", lifecycle_state_name((iom_tasking_state)s),
                (long long)t->visits, tot, med, p90);
    }
    fprintf(o, "\nProducts due: %lld  on time %lld, late %lld, not delivered %lld\n",
            (long long)r->products.due, (long long)r->products.on_time, (long long)r->products.late,
            (long long)r->products.not_delivered);
    fprintf(o, "Tactical options recorded: %lld  actioned %lld (pursue %lld, prevent %lld, protect "
               "%lld, prepare %lld)\n",
            (long long)r->options.recorded, (long long)r->options.by_status[IOM_OPTION_ACTIONED],
            (long long)r->options.actioned_by_strand[IOM_STRAND_PURSUE],
            (long long)r->options.actioned_by_strand[IOM_STRAND_PREVENT],
            (long long)r->options.actioned_by_strand[IOM_STRAND_PROTECT],
            (long long)r->options.actioned_by_strand[IOM_STRAND_PREPARE]);
    fprintf(o, "Intelligence items: %lld  recorded on PND %lld, not required %lld, pending %lld\n",
            (long long)r->pnd.items, (long long)r->pnd.recorded, (long long)r->pnd.not_required,
            (long long)r->pnd.pending);
    fprintf(o, "\nDisruptions:\n");
    print_totals(cli, "with TOEX contribution", &r->disruptions_toex);
    print_totals(cli, "all", &r->disruptions_all);
}

static int cmd_apmis_report(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom --as USER apmis report [--region CODE] [--force CODE] [--from YYYY-MM-DD]\n"
        "                                 [--to YYYY-MM-DD] [--csv]\n"
        "The value measures of domain.md §9 (definitions in docs/apmis.md): taskings by state,\n"
        "time in each state (median and 90th percentile), products on time, tactical options\n"
        "actioned, disruptions with TOEX contribution by impact, victims safeguarded,\n"
        "intelligence recorded on PND. --csv prints the same figures as CSV.\n"
        "apmis, toex_manager and auditor read any scope; spoc, sio, customer, gateway and ttcg\n"
        "users their own agency (gateway, ttcg and ROCU users: their region).\n";
    cli_opt opts[] = {{"region", true, false}, {"force", true, false}, {"from", true, false},
                      {"to", true, false},     {"csv", false, false},  {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 0, npos, usage);
    app_apmis_report_query q = {opts[0].value, opts[1].value, opts[2].value, opts[3].value};
    app_apmis_report_t r;
    iom_err err = app_apmis_report(&cli->ctx, &q, &r);
    if (err)
        return cli_fail(cli, err);
    if (opts[4].count)
        fputs(app_apmis_report_csv(&cli->arena, &r), cli->out);
    else if (cli->json)
        cli_print_json(cli, json_of_apmis_report(&r));
    else
        print_report(cli, &r);
    return 0;
}

const cli_command cli_apmis_commands[] = {
    {"apmis", "record", cmd_apmis_record, CLI_NEED_STORE | CLI_NEED_KEY,
     "record a disruption on a threat (APMIS recorder, lead agency's spoc or sio)"},
    {"apmis", "list", cmd_apmis_list, CLI_NEED_STORE, "list disruption records"},
    {"apmis", "show", cmd_apmis_show, CLI_NEED_STORE, "show one disruption record"},
    {"apmis", "report", cmd_apmis_report, CLI_NEED_STORE,
     "value measures per region, force and period (text, --json or --csv)"},
    {NULL, NULL, NULL, 0, NULL},
};
