/* The work area's commands: `iom contribution|intel|option|product ...` (docs/work.md). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/json.h"
#include "app/work.h"
#include "cli/commands.h"
#include "util/timefmt.h"

#define OPTV(opts, name) (cli_get((opts), (name))->value)

/* Prints multi-line text indented under a heading. */
static void print_block(cli_t *cli, const char *text)
{
    const char *p = text ? text : "";
    while (*p) {
        const char *nl = strchr(p, '\n');
        int len = nl ? (int)(nl - p) : (int)strlen(p);
        fprintf(cli->out, "    %.*s\n", len, p);
        p += len + (nl ? 1 : 0);
    }
}

/* The first line of a text, at most `max` bytes (not cutting a UTF-8 sequence). */
static int first_line_len(const char *s, int max)
{
    int n = 0;
    while (s[n] && s[n] != '\n' && s[n] != '\r' && n < max)
        n++;
    while (n > 0 && s[n] && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

/* ---- contributions ------------------------------------------------------------------- */

static void print_contribution_line(cli_t *cli, const iom_contribution_t *k)
{
    fprintf(cli->out, "%-10s %-10s %6.2f  %-20s %.*s\n", k->ref, k->work_date, k->minutes / 60.0,
            k->user ? k->user : "-", first_line_len(k->text, 80), k->text);
}

static int cmd_contribution_add(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom --as USER contribution add REF --date YYYY-MM-DD --hours H --text TEXT\n"
        "             [--if-version N]\n"
        "Records work on tasking REF in the work log: hours as a decimal (0 < H <= 24, kept as\n"
        "whole minutes), a date not in the future. Assigned analysts, IDOs, DIAs, researchers and\n"
        "the tasking's SIA, while the tasking is in tor_agreed, in_development or reassessment.\n"
        "--if-version is the tasking's version as read.\n";
    cli_opt opts[] = {{"date", true, false}, {"hours", true, false}, {"text", true, false},
                      {"if-version", true, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (npos != 1)
        return cli_usage_error(cli, usage);
    int64_t ver;
    if (cli_version(cli, "if-version", OPTV(opts, "if-version"), &ver))
        return cli_fail(cli, IOM_EINVAL);
    app_contribution_input in = {OPTV(opts, "date"), OPTV(opts, "hours"), OPTV(opts, "text")};
    iom_contribution_t k;
    iom_err err = app_contribution_add(&cli->ctx, pos[0], &in, ver, &k);
    if (err)
        return cli_fail(cli, err);
    if (cli->json)
        cli_print_json(cli, json_of_contribution(&k));
    else
        fprintf(cli->out, "%s\n", k.ref);
    return 0;
}

static int cmd_contribution_list(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom --as USER contribution list REF\n"
        "The work log of tasking REF, by date, with the total hours.\n";
    cli_opt opts[] = {{0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (npos != 1)
        return cli_usage_error(cli, usage);
    iom_contribution_t *v;
    size_t n;
    iom_err err = app_contribution_list(&cli->ctx, pos[0], &v, &n);
    if (err)
        return cli_fail(cli, err);
    if (cli->json) {
        json_t *items = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(items, json_of_contribution(&v[i]));
        cli_print_json(cli, json_list(items, NULL));
        return 0;
    }
    long total = 0;
    fprintf(cli->out, "%-10s %-10s %6s  %-20s %s\n", "REF", "DATE", "HOURS", "USER", "TEXT");
    for (size_t i = 0; i < n; i++) {
        print_contribution_line(cli, &v[i]);
        total += v[i].minutes;
    }
    fprintf(cli->out, "total: %.2f hours in %zu entries\n", total / 60.0, n);
    return 0;
}

/* ---- intelligence -------------------------------------------------------------------- */

static void print_intel(cli_t *cli, const iom_intel_t *it)
{
    char display[GRADE_DISPLAY_MAX], created[32];
    grade_format(&it->grade, display);
    iom_time_uk(it->created_at, created);
    fprintf(cli->out, "%s version %lld%s  [%s]  %s\n", it->ref, (long long)it->version,
            it->is_current ? "" : " (superseded)", iom_marking_name(it->marking), display);
    fprintf(cli->out, "  tasking: %s\n", it->tasking_ref);
    fprintf(cli->out, "  grade: %s  (source: %s; intelligence: %s; handling: %s)\n", display,
            grade_source_text(it->grade.source), grade_assessment_text(it->grade.assessment),
            grade_handling_text(it->grade.handling));
    if (it->grade.handling == 'C')
        fprintf(cli->out, "  conditions: %s\n", it->grade.conditions ? it->grade.conditions : "");
    if (it->legacy_grade)
        fprintf(cli->out, "  legacy 5x5x5 grade: %s\n", it->legacy_grade);
    fprintf(cli->out, "  source: %s\n", it->source);
    switch (it->pnd) {
    case IOM_PND_RECORDED:
        fprintf(cli->out, "  PND: recorded as %s on %s\n", it->pnd_ref, it->pnd_date);
        break;
    case IOM_PND_NOT_REQUIRED:
        fprintf(cli->out, "  PND: not required (%s)\n", it->pnd_reason);
        break;
    case IOM_PND_PENDING:
    case IOM_PND_COUNT:
        fprintf(cli->out, "  PND: pending\n");
        break;
    }
    fprintf(cli->out, "  MoPI review date: %s\n", it->review_date);
    if (it->correction_reason)
        fprintf(cli->out, "  correction: %s\n", it->correction_reason);
    fprintf(cli->out, "  recorded: %s by %s\n  text:\n", created, it->creator ? it->creator : "-");
    print_block(cli, it->text);
}

static void print_intel_table(cli_t *cli, const iom_intel_t *v, size_t n, bool history)
{
    fprintf(cli->out, "%-11s %-3s %-18s %-5s %-13s %-10s %s\n", "REF", "VER", "MARKING", "GRADE",
            "PND", "REVIEW", history ? "CORRECTION / TEXT" : "TEXT");
    for (size_t i = 0; i < n; i++) {
        char display[GRADE_DISPLAY_MAX];
        grade_format(&v[i].grade, display);
        const char *t = history && v[i].correction_reason ? v[i].correction_reason : v[i].text;
        fprintf(cli->out, "%-11s %-3lld %-18s %-5s %-13s %-10s %.*s\n", v[i].ref,
                (long long)v[i].version, iom_marking_name(v[i].marking), display,
                grade_pnd_name(v[i].pnd), v[i].review_date, first_line_len(t, 60), t);
    }
}

static int print_intel_list(cli_t *cli, const iom_intel_t *v, size_t n, bool history)
{
    if (cli->json) {
        json_t *items = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(items, json_of_intel(&v[i]));
        cli_print_json(cli, json_list(items, NULL));
    } else {
        print_intel_table(cli, v, n, history);
    }
    return 0;
}

#define INTEL_FIELD_OPTS                                                                       \
    {"text", true, false}, {"source", true, false}, {"grade", true, false},                    \
    {"handling", true, false}, {"conditions", true, false}, {"legacy", true, false},           \
    {"marking", true, false}, {"pnd", true, false}, {"pnd-ref", true, false},                  \
    {"pnd-date", true, false}, {"pnd-reason", true, false}, {"if-version", true, false}

static app_intel_input intel_input(cli_opt *opts)
{
    return (app_intel_input){.text = OPTV(opts, "text"), .source = OPTV(opts, "source"),
                             .grade = OPTV(opts, "grade"), .handling = OPTV(opts, "handling"),
                             .conditions = OPTV(opts, "conditions"), .legacy = OPTV(opts, "legacy"),
                             .marking = OPTV(opts, "marking"), .pnd = OPTV(opts, "pnd"),
                             .pnd_ref = OPTV(opts, "pnd-ref"), .pnd_date = OPTV(opts, "pnd-date"),
                             .pnd_reason = OPTV(opts, "pnd-reason")};
}

static int show_changed_intel(cli_t *cli, const iom_intel_t *it)
{
    if (cli->json)
        cli_print_json(cli, json_of_intel(it));
    else
        print_intel(cli, it);
    return 0;
}

static int cmd_intel_add(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom --as USER intel add REF --text TEXT --source TEXT\n"
        "             (--grade 1B --handling P|C [--conditions TEXT] | --legacy 5x5x5-CODE)\n"
        "             [--marking OFFICIAL|OFFICIAL-SENSITIVE]\n"
        "             [--pnd pending|recorded|not_required] [--pnd-ref R --pnd-date YYYY-MM-DD]\n"
        "             [--pnd-reason TEXT] [--if-version N]\n"
        "Records a graded intelligence item (3x5x2: source 1-3, assessment A-E, handling P or C;\n"
        "C needs its conditions). --legacy maps a 5x5x5 code such as B24 and keeps the original.\n"
        "PND status defaults to pending (recorded when --pnd-ref/--pnd-date are given,\n"
        "not_required when --pnd-reason is). The marking defaults to the tasking's and is never\n"
        "below it. MoPI review date: six years after the last update. Prints the item reference.\n";
    cli_opt opts[] = {INTEL_FIELD_OPTS, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (npos != 1)
        return cli_usage_error(cli, usage);
    int64_t ver;
    if (cli_version(cli, "if-version", OPTV(opts, "if-version"), &ver))
        return cli_fail(cli, IOM_EINVAL);
    app_intel_input in = intel_input(opts);
    iom_intel_t it;
    iom_err err = app_intel_add(&cli->ctx, pos[0], &in, ver, &it);
    if (err)
        return cli_fail(cli, err);
    if (cli->json)
        cli_print_json(cli, json_of_intel(&it));
    else {
        char display[GRADE_DISPLAY_MAX];
        fprintf(cli->out, "%s  %s\n", it.ref, grade_format(&it.grade, display));
    }
    return 0;
}

static int cmd_intel_correct(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom --as USER intel correct ITEM --reason TEXT [--text TEXT] [--source TEXT]\n"
        "             [--grade 1B] [--handling P|C] [--conditions TEXT] [--legacy CODE]\n"
        "             [--marking M] [--pnd S] [--pnd-ref R] [--pnd-date D] [--pnd-reason T]\n"
        "             [--if-version N]\n"
        "Makes a new version of the item with the reason; the previous versions are kept\n"
        "(`intel history ITEM`). Fields not given keep their value. --if-version is the\n"
        "tasking's version.\n";
    cli_opt opts[] = {INTEL_FIELD_OPTS, {"reason", true, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (npos != 1)
        return cli_usage_error(cli, usage);
    int64_t ver;
    if (cli_version(cli, "if-version", OPTV(opts, "if-version"), &ver))
        return cli_fail(cli, IOM_EINVAL);
    app_intel_input in = intel_input(opts);
    in.reason = OPTV(opts, "reason");
    iom_intel_t it;
    iom_err err = app_intel_correct(&cli->ctx, pos[0], &in, ver, &it);
    return err ? cli_fail(cli, err) : show_changed_intel(cli, &it);
}

static int cmd_intel_pnd(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom --as USER intel pnd ITEM (--recorded --pnd-ref R --pnd-date YYYY-MM-DD |\n"
        "                                     --not-required --reason TEXT) [--if-version N]\n"
        "Records whether the item is on the Police National Database. A tasking cannot complete\n"
        "while any of its items is pending.\n";
    cli_opt opts[] = {{"recorded", false, false}, {"not-required", false, false},
                      {"pnd-ref", true, false}, {"pnd-date", true, false}, {"reason", true, false},
                      {"if-version", true, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (npos != 1)
        return cli_usage_error(cli, usage);
    bool rec = OPTV(opts, "recorded") != NULL, nreq = OPTV(opts, "not-required") != NULL;
    if (rec == nreq) {
        iom_fail(&cli->ctx.err, IOM_EINVAL, "pnd: give exactly one of --recorded and --not-required");
        return cli_fail(cli, IOM_EINVAL);
    }
    int64_t ver;
    if (cli_version(cli, "if-version", OPTV(opts, "if-version"), &ver))
        return cli_fail(cli, IOM_EINVAL);
    iom_intel_t it;
    iom_err err = app_intel_pnd(&cli->ctx, pos[0], rec ? "recorded" : "not_required",
                                OPTV(opts, "pnd-ref"), OPTV(opts, "pnd-date"), OPTV(opts, "reason"),
                                ver, &it);
    return err ? cli_fail(cli, err) : show_changed_intel(cli, &it);
}

static int cmd_intel_show(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom --as USER intel show ITEM [--version N] [--justification TEXT]\n"
        "Shows the current version (or version N) of an item. Reading intelligence is logged in\n"
        "the audit trail with the justification given (DPA 2018 s.62).\n";
    cli_opt opts[] = {{"version", true, false}, {"justification", true, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (npos != 1)
        return cli_usage_error(cli, usage);
    int64_t ver;
    if (cli_version(cli, "version", OPTV(opts, "version"), &ver))
        return cli_fail(cli, IOM_EINVAL);
    iom_intel_t it;
    iom_err err = app_intel_show(&cli->ctx, pos[0], ver, OPTV(opts, "justification"), &it);
    return err ? cli_fail(cli, err) : show_changed_intel(cli, &it);
}

static int cmd_intel_history(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom --as USER intel history ITEM [--justification TEXT]\n"
        "Every version of an item, oldest first, with the reason for each correction.\n";
    cli_opt opts[] = {{"justification", true, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (npos != 1)
        return cli_usage_error(cli, usage);
    iom_intel_t *v;
    size_t n;
    iom_err err = app_intel_history(&cli->ctx, pos[0], OPTV(opts, "justification"), &v, &n);
    return err ? cli_fail(cli, err) : print_intel_list(cli, v, n, true);
}

static int cmd_intel_list(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom --as USER intel list REF [--justification TEXT]\n"
        "The current version of every intelligence item of tasking REF you are cleared for.\n";
    cli_opt opts[] = {{"justification", true, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (npos != 1)
        return cli_usage_error(cli, usage);
    iom_intel_t *v;
    size_t n;
    iom_err err = app_intel_list(&cli->ctx, pos[0], OPTV(opts, "justification"), &v, &n);
    return err ? cli_fail(cli, err) : print_intel_list(cli, v, n, false);
}

static int cmd_intel_due_review(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom --as USER intel due-review [--days N] [--justification TEXT]\n"
        "MoPI: intelligence items whose review date is past or within N days (default 0), of\n"
        "taskings your agency requested or owns or that you work on (an auditor: all).\n";
    cli_opt opts[] = {{"days", true, false}, {"justification", true, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 0, npos, usage);
    long long days = 0;
    if (OPTV(opts, "days") && cli_uint(cli, "days", OPTV(opts, "days"), 36600, &days))
        return cli_fail(cli, IOM_EINVAL);
    iom_intel_t *v;
    size_t n;
    iom_err err = app_intel_due_review(&cli->ctx, (int)days, OPTV(opts, "justification"), &v, &n);
    if (err)
        return cli_fail(cli, err);
    if (cli->json)
        return print_intel_list(cli, v, n, false);
    fprintf(cli->out, "%-11s %-17s %-10s %-18s %-5s %s\n", "REF", "TASKING", "REVIEW", "MARKING",
            "GRADE", "PND");
    for (size_t i = 0; i < n; i++) {
        char display[GRADE_DISPLAY_MAX];
        fprintf(cli->out, "%-11s %-17s %-10s %-18s %-5s %s\n", v[i].ref, v[i].tasking_ref,
                v[i].review_date, iom_marking_name(v[i].marking), grade_format(&v[i].grade, display),
                grade_pnd_name(v[i].pnd));
    }
    fprintf(cli->out, "%zu item%s due for review\n", n, n == 1 ? "" : "s");
    return 0;
}

/* ---- tactical options ------------------------------------------------------------------ */

static void print_option(cli_t *cli, const iom_option_t *o)
{
    fprintf(cli->out, "%-10s %-8s %-9s %-20s %.*s\n", o->ref, products_strand_name(o->strand),
            products_option_status_name(o->status), o->agency, first_line_len(o->text, 80), o->text);
}

static int show_option(cli_t *cli, const iom_option_t *o)
{
    if (cli->json)
        cli_print_json(cli, json_of_option(o));
    else
        print_option(cli, o);
    return 0;
}

static int cmd_option_add(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom --as USER option add REF --strand pursue|prevent|protect|prepare --text TEXT\n"
        "             --agency CODE [--if-version N]\n"
        "Proposes a tactical option (4P) for tasking REF: the agency that would act, a\n"
        "description; status proposed.\n";
    cli_opt opts[] = {{"strand", true, false}, {"text", true, false}, {"agency", true, false},
                      {"if-version", true, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (npos != 1)
        return cli_usage_error(cli, usage);
    int64_t ver;
    if (cli_version(cli, "if-version", OPTV(opts, "if-version"), &ver))
        return cli_fail(cli, IOM_EINVAL);
    app_option_input in = {OPTV(opts, "strand"), OPTV(opts, "text"), OPTV(opts, "agency")};
    iom_option_t o;
    iom_err err = app_option_add(&cli->ctx, pos[0], &in, ver, &o);
    if (err)
        return cli_fail(cli, err);
    if (cli->json)
        return show_option(cli, &o);
    fprintf(cli->out, "%s\n", o.ref);
    return 0;
}

static int cmd_option_set(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom --as USER option set OPT --status accepted|declined|actioned [--if-version N]\n"
        "Moves an option: proposed -> accepted | declined; accepted -> actioned | declined.\n";
    cli_opt opts[] = {{"status", true, false}, {"if-version", true, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (npos != 1)
        return cli_usage_error(cli, usage);
    int64_t ver;
    if (cli_version(cli, "if-version", OPTV(opts, "if-version"), &ver))
        return cli_fail(cli, IOM_EINVAL);
    iom_option_t o;
    iom_err err = app_option_set(&cli->ctx, pos[0], OPTV(opts, "status"), ver, &o);
    return err ? cli_fail(cli, err) : show_option(cli, &o);
}

static int cmd_option_list(cli_t *cli, int argc, char **argv)
{
    static const char usage[] = "usage: iom --as USER option list REF\nThe tactical options of tasking REF.\n";
    cli_opt opts[] = {{0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (npos != 1)
        return cli_usage_error(cli, usage);
    iom_option_t *v;
    size_t n;
    iom_err err = app_option_list(&cli->ctx, pos[0], &v, &n);
    if (err)
        return cli_fail(cli, err);
    if (cli->json) {
        json_t *items = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(items, json_of_option(&v[i]));
        cli_print_json(cli, json_list(items, NULL));
        return 0;
    }
    fprintf(cli->out, "%-10s %-8s %-9s %-20s %s\n", "REF", "STRAND", "STATUS", "AGENCY", "TEXT");
    for (size_t i = 0; i < n; i++)
        print_option(cli, &v[i]);
    return 0;
}

/* ---- products -------------------------------------------------------------------------- */

static void print_product(cli_t *cli, const iom_product_t *p)
{
    char when[32] = "-";
    if (p->delivered_at)
        iom_time_uk(p->delivered_at, when);
    fprintf(cli->out, "%-10s %-3lld %-18s %-34s %10lld  %-12.12s  %s\n", p->ref, (long long)p->version,
            iom_marking_name(p->marking), products_type_name(p->type), (long long)p->size, p->sha256,
            p->delivered_at ? when : "not delivered");
}

static void product_header(cli_t *cli)
{
    fprintf(cli->out, "%-10s %-3s %-18s %-34s %10s  %-12s  %s\n", "REF", "VER", "MARKING", "TYPE",
            "BYTES", "SHA256", "DELIVERED");
}

static int show_product(cli_t *cli, const iom_product_t *p)
{
    if (cli->json)
        cli_print_json(cli, json_of_product(p));
    else {
        product_header(cli);
        print_product(cli, p);
    }
    return 0;
}

static int cmd_product_add(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom --as USER product add REF --type TYPE --file PATH [--replaces PRD-...]\n"
        "             [--marking M] [--if-version N]\n"
        "Attaches a product document (at most 50 MiB) to tasking REF with its SHA-256. Without\n"
        "--replaces it is a new product (version 1); with --replaces PRD it is the next version of\n"
        "that product (same tasking, same type). Types: strategic_assessment tactical_assessment\n"
        "subject_profile problem_profile crime_pattern_analysis demographic_social_trend_analysis\n"
        "network_analysis market_profile criminal_business_profile risk_analysis\n"
        "target_profile_analysis operational_intelligence_assessment results_analysis\n"
        "financial_analysis intelligence_report.\n";
    cli_opt opts[] = {{"type", true, false}, {"file", true, false}, {"replaces", true, false},
                      {"marking", true, false}, {"if-version", true, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (npos != 1)
        return cli_usage_error(cli, usage);
    int64_t ver;
    if (cli_version(cli, "if-version", OPTV(opts, "if-version"), &ver))
        return cli_fail(cli, IOM_EINVAL);
    app_product_input in = {OPTV(opts, "type"), OPTV(opts, "file"), OPTV(opts, "replaces"),
                            OPTV(opts, "marking")};
    iom_product_t p;
    iom_err err = app_product_add(&cli->ctx, pos[0], &in, ver, &p);
    if (err)
        return cli_fail(cli, err);
    if (cli->json)
        return show_product(cli, &p);
    fprintf(cli->out, "%s version %lld  sha256 %s\n", p.ref, (long long)p.version, p.sha256);
    return 0;
}

static int cmd_product_deliver(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom --as USER product deliver PROD [--version N] [--if-version N]\n"
        "Marks the latest version (or version N) of a product delivered.\n";
    cli_opt opts[] = {{"version", true, false}, {"if-version", true, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (npos != 1)
        return cli_usage_error(cli, usage);
    int64_t ver, pver;
    if (cli_version(cli, "if-version", OPTV(opts, "if-version"), &ver) ||
        cli_version(cli, "version", OPTV(opts, "version"), &pver))
        return cli_fail(cli, IOM_EINVAL);
    iom_product_t p;
    iom_err err = app_product_deliver(&cli->ctx, pos[0], pver, ver, &p);
    return err ? cli_fail(cli, err) : show_product(cli, &p);
}

/* The descriptor that stands for the command's output stream ("--out -"). */
#define OUT_STREAM (-2)

/* Opens the destination before anything is read, so a refused destination logs no
   disclosure: a new file (mode 0600; an existing file is never overwritten) or, for "-",
   standard output. */
static iom_err open_out(cli_t *cli, const char *path, int *fd)
{
    if (strcmp(path, "-") == 0) {
        *fd = OUT_STREAM;
        return IOM_OK;
    }
    *fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (*fd < 0)
        return iom_fail(&cli->ctx.err, IOM_EIO, "out: cannot create '%s': %s%s", path, strerror(errno),
                        errno == EEXIST ? " (iom does not overwrite a file)" : "");
    return IOM_OK;
}

/* Writes data (NULL: nothing, the read was refused) and closes; a file not completely
   written is removed. */
static iom_err finish_out(cli_t *cli, const char *path, int fd, const unsigned char *data, size_t n)
{
    bool to_stdout = fd == OUT_STREAM;
    size_t done = 0;
    iom_err err = IOM_OK;
    if (to_stdout) {
        if (data && (fwrite(data, 1, n, cli->out) != n || fflush(cli->out) != 0))
            err = iom_fail(&cli->ctx.err, IOM_EIO, "out: cannot write '%s': %s", path, strerror(errno));
        return err;
    }
    while (data && done < n) {
        ssize_t w = write(fd, data + done, n - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            err = iom_fail(&cli->ctx.err, IOM_EIO, "out: cannot write '%s': %s", path, strerror(errno));
            break;
        }
        done += (size_t)w;
    }
    if (!to_stdout) {
        if (data && !err && fsync(fd) != 0)
            err = iom_fail(&cli->ctx.err, IOM_EIO, "out: cannot write '%s': %s", path, strerror(errno));
        close(fd);
        if (err || !data)
            unlink(path);
    }
    return err;
}

static int cmd_product_get(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom --as USER product get PROD [--version N] --out FILE|- [--justification TEXT]\n"
        "Writes the latest version (or version N) of the document to FILE (created with mode\n"
        "0600; never overwritten) or standard output, after verifying its SHA-256. The download\n"
        "is logged in the audit trail (DPA 2018 s.62).\n";
    cli_opt opts[] = {{"version", true, false}, {"out", true, false},
                      {"justification", true, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (npos != 1)
        return cli_usage_error(cli, usage);
    const char *out = OPTV(opts, "out");
    if (!out || !*out) {
        iom_fail(&cli->ctx.err, IOM_EINVAL, "out: required (--out FILE, or --out - for standard output)");
        return cli_fail(cli, IOM_EINVAL);
    }
    int64_t pver;
    if (cli_version(cli, "version", OPTV(opts, "version"), &pver))
        return cli_fail(cli, IOM_EINVAL);
    int fd;
    iom_err err = open_out(cli, out, &fd);
    if (err)
        return cli_fail(cli, err);
    iom_product_t p;
    if ((err = app_product_get(&cli->ctx, pos[0], pver, OPTV(opts, "justification"), &p))) {
        finish_out(cli, out, fd, NULL, 0);
        return cli_fail(cli, err);
    }
    if ((err = finish_out(cli, out, fd, p.content, (size_t)p.size)))
        return cli_fail(cli, err);
    if (strcmp(out, "-") == 0)
        return 0;
    if (cli->json) {
        json_t *j = json_of_product(&p);
        json_object_set_new(j, "out", json_string(out));
        cli_print_json(cli, j);
    } else {
        fprintf(cli->out, "%s version %lld -> %s (%lld bytes, sha256 %s verified)\n", p.ref,
                (long long)p.version, out, (long long)p.size, p.sha256);
    }
    return 0;
}

static int cmd_product_list(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom --as USER product list REF\nEvery version of every product of tasking REF.\n";
    cli_opt opts[] = {{0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (npos != 1)
        return cli_usage_error(cli, usage);
    iom_product_t *v;
    size_t n;
    iom_err err = app_product_list(&cli->ctx, pos[0], &v, &n);
    if (err)
        return cli_fail(cli, err);
    if (cli->json) {
        json_t *items = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(items, json_of_product(&v[i]));
        cli_print_json(cli, json_list(items, NULL));
        return 0;
    }
    product_header(cli);
    for (size_t i = 0; i < n; i++)
        print_product(cli, &v[i]);
    return 0;
}

#define ST CLI_NEED_STORE
#define KEY (CLI_NEED_STORE | CLI_NEED_KEY)

const cli_command cli_work_commands[] = {
    {"contribution", "add", cmd_contribution_add, KEY, "record work on a tasking (assigned staff)"},
    {"contribution", "list", cmd_contribution_list, ST, "a tasking's work log"},
    {"intel", "add", cmd_intel_add, KEY, "record a graded intelligence item (3x5x2, PND status)"},
    {"intel", "correct", cmd_intel_correct, KEY, "correct an item: a new version with a reason"},
    {"intel", "pnd", cmd_intel_pnd, KEY, "record an item's PND status"},
    {"intel", "show", cmd_intel_show, KEY, "show an item (or one version); the read is logged"},
    {"intel", "history", cmd_intel_history, KEY, "every version of an item; the read is logged"},
    {"intel", "list", cmd_intel_list, KEY, "a tasking's intelligence items; the read is logged"},
    {"intel", "due-review", cmd_intel_due_review, KEY, "MoPI reviews due (--days N)"},
    {"option", "add", cmd_option_add, KEY, "propose a tactical option (4P)"},
    {"option", "set", cmd_option_set, KEY, "accept, decline or action a tactical option"},
    {"option", "list", cmd_option_list, ST, "a tasking's tactical options"},
    {"product", "add", cmd_product_add, KEY, "attach a product document (new, or --replaces)"},
    {"product", "deliver", cmd_product_deliver, KEY, "mark a product version delivered"},
    {"product", "get", cmd_product_get, KEY, "write a product document to a file (SHA-256 checked)"},
    {"product", "list", cmd_product_list, ST, "a tasking's products and versions"},
    {NULL, NULL, NULL, 0, NULL},
};
