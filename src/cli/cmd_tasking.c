/* `iom tasking ...`, `iom tor ...`, `iom transfer ...`: the lifecycle commands. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "app/json.h"
#include "app/tasking.h"
#include "cli/commands.h"
#include "util/timefmt.h"

#define DOC_MAX (1u << 20)

static void print_tasking_line(cli_t *cli, const iom_tasking_t *t)
{
    fprintf(cli->out, "%-17s %-18s %-11s %-20s %-18s %-8s %s\n", t->ref, lifecycle_state_name(t->state),
            t->threat_ref, t->owner, t->requesting_agency, products_urgency_name(t->urgency),
            t->threat_title ? t->threat_title : "");
}

static void print_tasking(cli_t *cli, const iom_tasking_t *t)
{
    if (cli->json) {
        cli_print_json(cli, json_of_tasking(t, true));
        return;
    }
    char since[32];
    iom_time_uk(t->state_since, since);
    fprintf(cli->out, "%s  [%s]  %s (since %s), version %lld\n", t->ref, iom_marking_name(t->marking),
            lifecycle_state_name(t->state), since, (long long)t->version);
}

/* ---- tasking new ---------------------------------------------------------------------- */

static int cmd_tasking_new(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom --as SPOC tasking new --threat SOC-... (--from-json BID.json | FIELDS)\n"
        "fields: --summary TEXT --ftm-date YYYY-MM-DD --ftm-ref REF --requirement TEXT...\n"
        "        --service NAME... [--known TEXT] [--customer USER] [--requesting-agency CODE]\n"
        "        [--type TYPE] [--urgency routine|priority|urgent] [--timeline TEXT] [--marking M]\n"
        "Services: tasked_support rocu_capability apmis intel_development financial_intelligence\n"
        "ownership_support. The bid document (docs/api.md) may also carry an `assessment`.\n"
        "A spoc of the requesting agency drafts the bid; the threat's SIO is recorded with it.\n";
    cli_opt opts[] = {{"threat", true, false}, {"from-json", true, false}, {"summary", true, false},
                      {"ftm-date", true, false}, {"ftm-ref", true, false}, {"requirement", true, true},
                      {"service", true, true}, {"known", true, false}, {"customer", true, false},
                      {"requesting-agency", true, false}, {"type", true, false},
                      {"urgency", true, false}, {"timeline", true, false}, {"marking", true, false},
                      {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 0, npos, usage);
    app_bid_input in;
    json_t *root = NULL;
    iom_err err = IOM_OK;
    if (opts[1].value) {
        for (int i = 2; opts[i].name; i++)
            if (opts[i].count)
                return cli_usage_error(cli, usage);
        char *text;
        if ((err = cli_read_file(cli, "from-json", opts[1].value, DOC_MAX, &text)) ||
            (err = app_bid_from_json(&cli->ctx, text, &root, &in))) {
            json_decref(root);
            return cli_fail(cli, err);
        }
        if (opts[0].value)
            in.threat = opts[0].value;
    } else {
        memset(&in, 0, sizeof in);
        in.threat = opts[0].value;
        in.summary = opts[2].value;
        in.ftm_date = opts[3].value;
        in.ftm_ref = opts[4].value;
        for (int i = 0; i < opts[5].count; i++)
            in.requirements[in.nrequirements++] = opts[5].values[i];
        for (int i = 0; i < opts[6].count; i++)
            in.services[in.nservices++] = opts[6].values[i];
        in.known = opts[7].value;
        in.customer = opts[8].value;
        in.requesting_agency = opts[9].value;
        in.type = opts[10].value;
        in.urgency = opts[11].value;
        in.timeline = opts[12].value;
        in.marking = opts[13].value;
    }
    iom_tasking_t t;
    err = app_tasking_new(&cli->ctx, &in, &t);
    json_decref(root);
    if (err)
        return cli_fail(cli, err);
    if (cli->json)
        print_tasking(cli, &t);
    else
        fprintf(cli->out, "%s\n", t.ref);
    return 0;
}

/* ---- transitions ---------------------------------------------------------------------- */

typedef struct act_cmd {
    const char *name;
    iom_tasking_action action;
    const char *extra; /* usage of the action's own options */
} act_cmd;

static int run_act(cli_t *cli, int argc, char **argv, iom_tasking_action action, const char *usage)
{
    cli_opt opts[] = {{"reason", true, false}, {"sia", true, false}, {"version", true, false},
                      {"accept", false, false}, {"decline", false, false}, {"owner", true, false},
                      {"sio", true, false}, {"rationale", true, false}, {"if-version", true, false},
                      {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (npos != 1)
        return cli_usage_error(cli, usage);
    app_act_input in = {.reason = opts[0].value ? opts[0].value : opts[7].value,
                        .sia = opts[1].value,
                        .accept = opts[3].count > 0,
                        .new_owner = opts[5].value,
                        .new_sio = opts[6].value};
    if (action == IOM_TA_DECIDE_TRANSFER && opts[3].count == opts[4].count)
        return cli_fail(cli, iom_fail(&cli->ctx.err, IOM_EINVAL,
                                      "decide: give exactly one of --accept or --decline"));
    if (opts[2].value) {
        long long v;
        if (cli_uint(cli, "version", opts[2].value, 1LL << 53, &v))
            return cli_fail(cli, IOM_EINVAL);
        in.tor_version = v;
    }
    int64_t ver;
    if (cli_version(cli, "if-version", opts[8].value, &ver))
        return cli_fail(cli, IOM_EINVAL);
    iom_tasking_t t;
    iom_err err = app_tasking_act(&cli->ctx, pos[0], action, &in, ver, &t);
    if (err)
        return cli_fail(cli, err);
    print_tasking(cli, &t);
    return 0;
}

#define ACT(fn, action, text)                                                                  \
    static int fn(cli_t *cli, int argc, char **argv)                                           \
    {                                                                                          \
        return run_act(cli, argc, argv, action, text);                                         \
    }

ACT(cmd_submit, IOM_TA_SUBMIT, "usage: iom --as SPOC tasking submit REF [--if-version N]\n"
                               "Sends the bid to the Gateway of the requesting agency's region.\n")
ACT(cmd_forward, IOM_TA_FORWARD, "usage: iom --as GATEWAY tasking forward REF [--if-version N]\n")
ACT(cmd_return, IOM_TA_RETURN, "usage: iom --as GATEWAY tasking return REF --reason TEXT [--if-version N]\n"
                               "Returns the bid to the SPOC saying what is missing.\n")
ACT(cmd_reject, IOM_TA_REJECT, "usage: iom --as GATEWAY tasking reject REF --reason TEXT [--if-version N]\n")
ACT(cmd_accept, IOM_TA_ACCEPT, "usage: iom --as TOEX_MANAGER tasking accept REF --sia USER [--if-version N]\n")
ACT(cmd_decline, IOM_TA_DECLINE, "usage: iom --as TOEX_MANAGER tasking decline REF --reason TEXT [--if-version N]\n")
ACT(cmd_start, IOM_TA_START, "usage: iom --as SIA tasking start REF [--if-version N]\n")
ACT(cmd_complete, IOM_TA_COMPLETE,
    "usage: iom --as SIA tasking complete REF [--if-version N]\n"
    "Needs every product of the agreed ToR delivered and no intelligence item pending on PND.\n")
ACT(cmd_remain, IOM_TA_REMAIN, "usage: iom --as SIO tasking remain REF [--if-version N]\n"
                               "Closes the tasking with ownership staying with the current owner.\n")
ACT(cmd_withdraw, IOM_TA_WITHDRAW, "usage: iom --as SPOC|SIO tasking withdraw REF --reason TEXT [--if-version N]\n")
ACT(cmd_tor_agree, IOM_TA_AGREE_TOR, "usage: iom --as SIA|SIO tor agree REF --version N [--if-version N]\n"
                                     "Both the SIA and the SIO agree the same (latest) version.\n")
ACT(cmd_transfer_request, IOM_TA_REQUEST_TRANSFER,
    "usage: iom --as SIA transfer request REF --rationale TEXT [--if-version N]\n"
    "Needs the reassessment signed by SIA and SIO and recommending a regional or national owner.\n")
ACT(cmd_transfer_escalate, IOM_TA_ESCALATE,
    "usage: iom --as TTCG transfer escalate REF --rationale TEXT [--if-version N]\n"
    "The TTCG of the owner's region escalates the transfer to the Federated Tasking Team.\n")
ACT(cmd_transfer_decide, IOM_TA_DECIDE_TRANSFER,
    "usage: iom --as TTCG|FTT transfer decide REF (--accept --owner CODE --sio USER | --decline)\n"
    "                                             --reason TEXT [--if-version N]\n"
    "The TTCG of the owner's region moves ownership within its region; the FTT decides\n"
    "escalated transfers and may name any owner but TOEX. The decision records why.\n")

/* ---- team, ToR, reassessment -------------------------------------------------------- */

static int team(cli_t *cli, int argc, char **argv, bool add)
{
    static const char usage[] = "usage: iom --as TOEX_MANAGER|SIA tasking assign|unassign REF --user USER...\n";
    cli_opt opts[] = {{"user", true, true}, {"if-version", true, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (npos != 1 || opts[0].count == 0)
        return cli_usage_error(cli, usage);
    int64_t ver;
    if (cli_version(cli, "if-version", opts[1].value, &ver))
        return cli_fail(cli, IOM_EINVAL);
    iom_tasking_t t;
    for (int i = 0; i < opts[0].count; i++) {
        iom_err err = app_tasking_assign(&cli->ctx, pos[0], opts[0].values[i], add, i ? 0 : ver, &t);
        if (err)
            return cli_fail(cli, err);
    }
    print_tasking(cli, &t);
    return 0;
}

static int cmd_assign(cli_t *cli, int argc, char **argv) { return team(cli, argc, argv, true); }
static int cmd_unassign(cli_t *cli, int argc, char **argv) { return team(cli, argc, argv, false); }

static void print_tor(cli_t *cli, const iom_tor_t *t)
{
    if (cli->json) {
        cli_print_json(cli, json_of_tor(t));
        return;
    }
    json_t *j = json_of_tor(t);
    char *s = json_dumps(json_object_get(j, "content"), JSON_INDENT(2) | JSON_SORT_KEYS);
    fprintf(cli->out, "terms of reference version %lld (%s to %s), proposed by %s\n  agreed: sia %s, sio %s\n%s\n",
            (long long)t->version, t->start_date, t->end_date, t->proposer ? t->proposer : "-",
            t->sia_agreed ? t->sia_agreed : "no", t->sio_agreed ? t->sio_agreed : "no", s ? s : "");
    free(s);
    json_decref(j);
}

static int cmd_tor_propose(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom --as SIA tor propose REF --from-json TOR.json [--if-version N]\n"
        "TOR.json: {\"services\": [...], \"start_date\": \"YYYY-MM-DD\", \"end_date\": \"...\",\n"
        "  \"milestones\": [{\"name\": ..., \"due\": ...}], \"products\": [{\"type\": ..., \"due\": ...}],\n"
        "  \"objectives\": [\"SIO strategy objective served\", ...]}\n";
    cli_opt opts[] = {{"from-json", true, false}, {"if-version", true, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (npos != 1 || !opts[0].value)
        return cli_usage_error(cli, usage);
    int64_t ver;
    char *text;
    if (cli_version(cli, "if-version", opts[1].value, &ver))
        return cli_fail(cli, IOM_EINVAL);
    iom_err err = cli_read_file(cli, "from-json", opts[0].value, DOC_MAX, &text);
    iom_tor_t tor;
    if (err || (err = app_tor_propose(&cli->ctx, pos[0], text, ver, &tor)))
        return cli_fail(cli, err);
    print_tor(cli, &tor);
    return 0;
}

static int cmd_tor_show(cli_t *cli, int argc, char **argv)
{
    static const char usage[] = "usage: iom --as USER tor show REF [--version N]\n";
    cli_opt opts[] = {{"version", true, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (npos != 1)
        return cli_usage_error(cli, usage);
    long long v = 0;
    if (opts[0].value && cli_uint(cli, "version", opts[0].value, 1LL << 53, &v))
        return cli_fail(cli, IOM_EINVAL);
    iom_tor_t tor;
    iom_err err = app_tor_get(&cli->ctx, pos[0], v, &tor);
    if (err)
        return cli_fail(cli, err);
    print_tor(cli, &tor);
    return 0;
}

/* Prints the fields of two ToR versions that differ, as "- old" / "+ new" lines. */
static int cmd_tor_diff(cli_t *cli, int argc, char **argv)
{
    static const char usage[] = "usage: iom --as USER tor diff REF A B\n";
    cli_opt opts[] = {{0}};
    const char *pos[3];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 3, npos, usage);
    if (npos != 3)
        return cli_usage_error(cli, usage);
    long long va, vb;
    if (cli_uint(cli, "A", pos[1], 1LL << 53, &va) || cli_uint(cli, "B", pos[2], 1LL << 53, &vb) ||
        va == 0 || vb == 0)
        return cli_fail(cli, iom_fail(&cli->ctx.err, IOM_EINVAL, "versions: A and B are versions from 1"));
    iom_tor_t a, b;
    iom_err err = app_tor_get(&cli->ctx, pos[0], va, &a);
    if (!err)
        err = app_tor_get(&cli->ctx, pos[0], vb, &b);
    if (err)
        return cli_fail(cli, err);
    json_t *ja = json_loads(a.content_json, 0, NULL), *jb = json_loads(b.content_json, 0, NULL);
    json_t *changes = json_object();
    const char *keys[] = {"services", "start_date", "end_date", "milestones", "products", "objectives"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        json_t *x = json_object_get(ja, keys[i]), *y = json_object_get(jb, keys[i]);
        if (json_equal(x, y) || (!x && !y))
            continue;
        json_object_set_new(changes, keys[i], json_pack("{s:O?, s:O?}", "from", x, "to", y));
        if (!cli->json) {
            char *sx = x ? json_dumps(x, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
            char *sy = y ? json_dumps(y, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
            fprintf(cli->out, "%s:\n- %s\n+ %s\n", keys[i], sx ? sx : "(none)", sy ? sy : "(none)");
            free(sx);
            free(sy);
        }
    }
    if (cli->json)
        cli_print_json(cli, json_pack("{s:I, s:I, s:o}", "from", (json_int_t)va, "to", (json_int_t)vb,
                                      "changes", changes));
    else {
        if (json_object_size(changes) == 0)
            fprintf(cli->out, "versions %lld and %lld have the same content\n", va, vb);
        json_decref(changes);
    }
    json_decref(ja);
    json_decref(jb);
    return 0;
}

static int cmd_reassess(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom --as SIA|SIO tasking reassess REF --from-json ASSESSMENT.json [--if-version N]\n"
        "The SIA proposes; the SIO signs the same content (either may propose a new version,\n"
        "which the other must sign). ASSESSMENT.json as the bid's `assessment` (docs/api.md).\n";
    cli_opt opts[] = {{"from-json", true, false}, {"if-version", true, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (npos != 1 || !opts[0].value)
        return cli_usage_error(cli, usage);
    int64_t ver;
    char *text;
    if (cli_version(cli, "if-version", opts[1].value, &ver))
        return cli_fail(cli, IOM_EINVAL);
    iom_err err = cli_read_file(cli, "from-json", opts[0].value, DOC_MAX, &text);
    iom_assessment_t a;
    if (err || (err = app_tasking_reassess(&cli->ctx, pos[0], text, ver, &a)))
        return cli_fail(cli, err);
    if (cli->json)
        cli_print_json(cli, json_of_assessment(&a));
    else
        fprintf(cli->out, "reassessment version %lld: score %.1f (%s), recommendation %s; signed by sia: %s, sio: %s\n  %s\n",
                (long long)a.version, a.score_tenths / 10.0, a.band, a.recommendation,
                a.sia_signed_by ? "yes" : "no", a.sio_signed_by ? "yes" : "no", a.rationale);
    return 0;
}

/* ---- reads ---------------------------------------------------------------------------- */

static int show(cli_t *cli, int argc, char **argv, bool history_only)
{
    static const char usage[] = "usage: iom --as USER tasking show|history REF\n";
    cli_opt opts[] = {{0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (npos != 1)
        return cli_usage_error(cli, usage);
    app_tasking_view v;
    iom_err err = app_tasking_show(&cli->ctx, pos[0], &v);
    if (err)
        return cli_fail(cli, err);
    if (cli->json) {
        json_t *j = json_of_tasking_view(&v);
        if (history_only) {
            json_t *h = json_incref(json_object_get(j, "history"));
            json_decref(j);
            j = json_pack("{s:s, s:o}", "ref", v.t.ref, "history", h);
        }
        cli_print_json(cli, j);
        return 0;
    }
    const iom_tasking_t *t = &v.t;
    if (!history_only) {
        char since[32];
        iom_time_uk(t->state_since, since);
        fprintf(cli->out, "%s  [%s]\n  state: %s since %s\n  threat: %s %s\n  owner: %s (%s)  SIO: %s\n"
                          "  requested by: %s (%s), spoc %s\n  urgency: %s\n  SIA: %s\n  access: %s\n",
                t->ref, iom_marking_name(t->marking), lifecycle_state_name(t->state), since, t->threat_ref,
                t->threat_title, t->owner, t->owner_region ? t->owner_region : "national",
                t->threat_sio, t->requesting_agency,
                t->requesting_region ? t->requesting_region : "national", t->spoc,
                products_urgency_name(t->urgency), t->sia ? t->sia : "-",
                access_relation_name(v.access.relation));
        if (v.access.content) {
            json_t *bid = json_loads(t->bid_json, 0, NULL);
            fprintf(cli->out, "  summary: %s\n", json_string_value(json_object_get(bid, "summary")));
            json_decref(bid);
            fprintf(cli->out, "  team:");
            for (size_t i = 0; i < v.nmembers; i++)
                fprintf(cli->out, " %s", v.members[i].user);
            fprintf(cli->out, "%s\n", v.nmembers ? "" : " -");
            if (v.has_tor)
                fprintf(cli->out, "  ToR: version %lld (agreed in force: %lld)\n", (long long)v.tor.version,
                        (long long)v.tor_agreed_version);
            if (v.has_reassessment)
                fprintf(cli->out, "  reassessment: score %.1f %s, recommends %s\n",
                        v.reassessment.score_tenths / 10.0, v.reassessment.band, v.reassessment.recommendation);
        }
        if (v.has_transfer)
            fprintf(cli->out, "  transfer: from %s%s%s%s%s\n", v.transfer.from_owner,
                    v.transfer.decision ? ", " : " (undecided)", v.transfer.decision ? v.transfer.decision : "",
                    v.transfer.new_owner ? " to " : "", v.transfer.new_owner ? v.transfer.new_owner : "");
        fprintf(cli->out, "  you may:");
        for (int a = 0; a < IOM_TA_COUNT; a++)
            if (v.allowed_actions & (1u << a))
                fprintf(cli->out, " %s", lifecycle_action_name((iom_tasking_action)a));
        fprintf(cli->out, "%s\n  history:\n", v.allowed_actions ? "" : " (nothing)");
    }
    for (size_t i = 0; i < v.nevents; i++) {
        const iom_tasking_event_t *ev = &v.events[i];
        char when[32];
        iom_time_uk(ev->at, when);
        fprintf(cli->out, "    %s  %-16s %-18s by %s (%s)%s%s\n", when, ev->action,
                lifecycle_state_name(ev->to_state), ev->actor ? ev->actor : "-", ev->role ? ev->role : "-",
                ev->reason && v.access.content ? ": " : "", ev->reason && v.access.content ? ev->reason : "");
    }
    return 0;
}

static int cmd_show(cli_t *cli, int argc, char **argv) { return show(cli, argc, argv, false); }
static int cmd_history(cli_t *cli, int argc, char **argv) { return show(cli, argc, argv, true); }

static int cmd_list(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom --as USER tasking list [--state S] [--region R] [--owner CODE] [--limit N] [--after CURSOR]\n"
        "Taskings the user may see (domain.md §3), by reference.\n";
    cli_opt opts[] = {{"state", true, false}, {"region", true, false}, {"owner", true, false},
                      {"limit", true, false}, {"after", true, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 0, npos, usage);
    long long limit = 0;
    if (opts[3].value && cli_uint(cli, "limit", opts[3].value, 1000, &limit))
        return cli_fail(cli, IOM_EINVAL);
    app_tasking_query q = {opts[0].value, opts[1].value, opts[2].value, (size_t)limit, opts[4].value};
    iom_tasking_t *v;
    size_t n;
    const char *next;
    iom_err err = app_tasking_list(&cli->ctx, &q, &v, &n, &next);
    if (err)
        return cli_fail(cli, err);
    if (cli->json) {
        json_t *items = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(items, json_of_tasking(&v[i], false));
        cli_print_json(cli, json_list(items, next));
        return 0;
    }
    fprintf(cli->out, "%-17s %-18s %-11s %-20s %-18s %-8s %s\n", "REF", "STATE", "THREAT", "OWNER",
            "REQUESTED BY", "URGENCY", "TITLE");
    for (size_t i = 0; i < n; i++)
        print_tasking_line(cli, &v[i]);
    if (next)
        fprintf(cli->out, "(more: --after %s)\n", next);
    return 0;
}

static int cmd_due(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom --as USER tasking due [--days N]\n"
        "Milestones and undelivered products of the agreed ToR of open taskings you may see,\n"
        "due within N days (default 14) or overdue.\n";
    cli_opt opts[] = {{"days", true, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 0, npos, usage);
    long long days = 14;
    if (opts[0].value && cli_uint(cli, "days", opts[0].value, 3660, &days))
        return cli_fail(cli, IOM_EINVAL);
    app_due_item *v;
    size_t n;
    iom_err err = app_tasking_due(&cli->ctx, (int)days, &v, &n);
    if (err)
        return cli_fail(cli, err);
    if (cli->json) {
        json_t *items = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:I, s:b}", "tasking", v[i].tasking,
                                                   "kind", v[i].kind, "name", v[i].name, "due", v[i].due,
                                                   "days_left", (json_int_t)v[i].days_left, "overdue",
                                                   v[i].days_left < 0));
        cli_print_json(cli, json_list(items, NULL));
        return 0;
    }
    fprintf(cli->out, "%-17s %-10s %-12s %-36s %s\n", "TASKING", "KIND", "DUE", "WHAT", "");
    for (size_t i = 0; i < n; i++)
        fprintf(cli->out, "%-17s %-10s %-12s %-36s %s\n", v[i].tasking, v[i].kind, v[i].due, v[i].name,
                v[i].days_left < 0 ? "OVERDUE" : "");
    if (n == 0)
        fprintf(cli->out, "(nothing due within %lld days)\n", days);
    return 0;
}

#define W (CLI_NEED_STORE | CLI_NEED_KEY)
#define R CLI_NEED_STORE
const cli_command cli_tasking_commands[] = {
    {"tasking", "new", cmd_tasking_new, W, "draft a bid for TOEX support (spoc)"},
    {"tasking", "submit", cmd_submit, W, "send the bid to the regional Gateway (spoc)"},
    {"tasking", "forward", cmd_forward, W, "pass a bid to TOEX managers (gateway)"},
    {"tasking", "return", cmd_return, W, "return a bid for more information (gateway)"},
    {"tasking", "reject", cmd_reject, W, "reject a bid with a reason (gateway)"},
    {"tasking", "accept", cmd_accept, W, "accept a bid and allocate the SIA (toex_manager)"},
    {"tasking", "decline", cmd_decline, W, "decline a bid with a reason (toex_manager)"},
    {"tasking", "assign", cmd_assign, W, "add TOEX staff to the team (toex_manager, sia)"},
    {"tasking", "unassign", cmd_unassign, W, "remove TOEX staff from the team"},
    {"tasking", "start", cmd_start, W, "start intelligence development (sia)"},
    {"tasking", "complete", cmd_complete, W, "finish development, go to reassessment (sia)"},
    {"tasking", "reassess", cmd_reassess, W, "propose or sign the reassessment (sia, sio)"},
    {"tasking", "remain", cmd_remain, W, "close with ownership remaining (sio)"},
    {"tasking", "withdraw", cmd_withdraw, W, "withdraw the bid (requesting spoc or sio)"},
    {"tasking", "show", cmd_show, W, "a tasking with its team, ToR, assessment and history"},
    {"tasking", "history", cmd_history, R, "a tasking's transitions"},
    {"tasking", "list", cmd_list, R, "taskings you may see"},
    {"tasking", "due", cmd_due, R, "due and overdue ToR milestones and products"},
    {"tor", "propose", cmd_tor_propose, W, "propose a terms of reference version (sia)"},
    {"tor", "agree", cmd_tor_agree, W, "agree a ToR version (sia, sio)"},
    {"tor", "show", cmd_tor_show, R, "show a ToR version"},
    {"tor", "diff", cmd_tor_diff, R, "what changed between two ToR versions"},
    {"transfer", "request", cmd_transfer_request, W, "request a risk transfer (sia, with the sio)"},
    {"transfer", "escalate", cmd_transfer_escalate, W, "escalate to the Federated Tasking Team (ttcg)"},
    {"transfer", "decide", cmd_transfer_decide, W, "decide a transfer (ttcg, ftt)"},
    {NULL, NULL, NULL, 0, NULL},
};
