/*
 * Issue 12: the operating model without gaps, through the CLI (the built binary) and the API
 * (the server in-process on 127.0.0.1) over one database. Every refusal is checked to change
 * nothing (t_db_fingerprint of the file before and after).
 *
 *   nca_*      point 1: NCA bids are triaged by the Gateway of the region they name; that
 *              region's Gateway and TTCG see them, another region's do not (404); a force bids
 *              on an NCA-owned threat; an NCA-owned threat's transfer request goes to the FTT.
 */
#include "test_http_support.h"

enum { EX_INVAL = 3, EX_NOTFOUND = 4, EX_FORBIDDEN = 5, EX_CONFLICT = 6 };

static hworld *W;

static int setup(void **state)
{
    (void)state;
    W = hw_new(10);
    hw_user(W, "nca-spoc", "nca", "spoc");
    hw_user(W, "nca-sio", "nca", "sio");
    hw_user(W, "nca-ftt", "nca", "ftt");
    hw_user(W, "em-gateway", "emsou", "gateway");
    hw_user(W, "em-ttcg", "emsou", "ttcg");
    hw_user(W, "yh-ttcg", "yhrocu", "ttcg");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hw_free(W);
    return 0;
}

/* ---- the CLI ---- */

static t_result cliv(const char *user, va_list ap)
{
    const char *argv[64];
    int n = 0;
    argv[n++] = "--db";
    argv[n++] = W->db;
    if (user) {
        argv[n++] = "--as";
        argv[n++] = user;
    }
    const char *a;
    while ((a = va_arg(ap, const char *)) && n < 63)
        argv[n++] = a;
    argv[n] = NULL;
    return t_run(NULL, argv);
}

/* Runs `iom --db DB --as USER ... --json`-less command; asserts success; stdout malloc'd. */
static char *cli_ok(const char *user, ...)
{
    va_list ap;
    va_start(ap, user);
    t_result r = cliv(user, ap);
    va_end(ap);
    if (r.status != 0)
        fprintf(stderr, "cli failed (%d): %s%s\n", r.status, r.out, r.err);
    assert_int_equal(r.status, 0);
    free(r.err);
    return r.out;
}

/* Asserts a refusal: status, stderr naming `needle`, nothing stored changed. */
static void cli_refused(int status, const char *needle, const char *user, ...)
{
    char *before = t_db_fingerprint(W->db);
    va_list ap;
    va_start(ap, user);
    t_result r = cliv(user, ap);
    va_end(ap);
    char *after = t_db_fingerprint(W->db);
    if (r.status != status || !strstr(r.err, needle))
        fprintf(stderr, "wanted %d naming '%s'; got %d: %s%s\n", status, needle, r.status, r.out,
                r.err);
    assert_int_equal(r.status, status);
    assert_non_null(strstr(r.err, needle));
    assert_string_equal(before, after);
    free(before);
    free(after);
    t_result_free(&r);
}

static json_t *cli_json(const char *out)
{
    json_error_t je;
    json_t *j = json_loads(out, 0, &je);
    if (!j)
        fprintf(stderr, "not JSON: %s\n", out);
    assert_non_null(j);
    return j;
}

/* ---- the use-case layer, for the steps a test does not look at ---- */

static void as(const char *user) { W->c.actor_name = user; }

static void act(const char *user, const char *ref, iom_tasking_action a, const app_act_input *in,
                iom_tasking_state want)
{
    as(user);
    iom_tasking_t t;
    hw_ok(W, app_tasking_act(&W->c, ref, a, in, 0, &t));
    assert_int_equal(t.state, want);
}

static const char tor_doc[] =
    "{\"services\":[\"intel_development\"],\"start_date\":\"2026-06-10\",\"end_date\":"
    "\"2026-09-30\",\"milestones\":[{\"name\":\"Network mapped\",\"due\":\"2026-07-15\"}],"
    "\"products\":[],\"objectives\":[\"Identify the controllers\"]}";

static const char national[] =
    "{\"harm\":{\"physical\":3,\"psychological\":4,\"financial\":3,\"community\":2,"
    "\"victim_vulnerability\":4},\"scale\":3,\"likelihood\":4,\"confidence\":\"high\","
    "\"capacity\":3,\"capability\":3,\"needs_national_capability\":true,"
    "\"needs_rocu_capability\":false}";

/* From forwarded to reassessment signed by both, through the use-cases. */
static void to_reassessment(const char *ref, const char *sio)
{
    app_act_input acc = {.sia = "toex-sia"};
    act("toex-manager", ref, IOM_TA_ACCEPT, &acc, IOM_TS_ACCEPTED);
    as("toex-sia");
    iom_tor_t tor;
    hw_ok(W, app_tor_propose(&W->c, ref, tor_doc, 0, &tor));
    app_act_input agree = {.tor_version = tor.version};
    act("toex-sia", ref, IOM_TA_AGREE_TOR, &agree, IOM_TS_ACCEPTED);
    act(sio, ref, IOM_TA_AGREE_TOR, &agree, IOM_TS_TOR_AGREED);
    act("toex-sia", ref, IOM_TA_START, NULL, IOM_TS_IN_DEVELOPMENT);
    act("toex-sia", ref, IOM_TA_COMPLETE, NULL, IOM_TS_REASSESSMENT);
    iom_assessment_t a;
    as("toex-sia");
    hw_ok(W, app_tasking_reassess(&W->c, ref, national, 0, &a));
    as(sio);
    hw_ok(W, app_tasking_reassess(&W->c, ref, national, 0, &a));
}

static const char *const BID[] = {"--summary", "Victims moved between regions", "--ftm-date",
                                  "2026-05-28", "--ftm-ref", "FTM-1", "--requirement",
                                  "Who controls it?", "--service", "intel_development"};
#define BID_ARGS BID[0], BID[1], BID[2], BID[3], BID[4], BID[5], BID[6], BID[7], BID[8], BID[9]

/* An NCA-owned threat on the SOC master list; returns its reference (malloc'd). */
static char *nca_threat(const char *title)
{
    char *out = cli_ok("nca-spoc", "--json", "threat", "add", "--title", title, "--type",
                       "labour", "--owner", "nca", "--sio", "nca-sio", "--force-tasking-ref",
                       "NCA-TM-1", NULL);
    json_t *j = cli_json(out);
    char *ref = strdup(json_string_value(json_object_get(j, "ref")));
    json_decref(j);
    free(out);
    return ref;
}

static void api_get(const char *user, const char *path, int status)
{
    hw_login(W, user);
    hresp r = hw_as(W, "GET", path, NULL, NULL);
    hw_expect(&r, status);
    hresp_free(&r);
}

static void nca_bid_region(void **state)
{
    (void)state;
    char *threat = nca_threat("Nationwide labour exploitation");
    /* An NCA bid on its own threat names the region; without one it is refused. */
    cli_refused(EX_INVAL, "region:", "nca-spoc", "tasking", "new", "--threat", threat, BID_ARGS,
                NULL);
    cli_refused(EX_INVAL, "region: 'atlantis'", "nca-spoc", "tasking", "new", "--threat", threat,
                BID_ARGS, "--region", "atlantis", NULL);
    char *out = cli_ok("nca-spoc", "--json", "tasking", "new", "--threat", threat, BID_ARGS,
                       "--region", "east-midlands", NULL);
    json_t *t = cli_json(out);
    free(out);
    const char *ref = json_string_value(json_object_get(t, "ref"));
    assert_string_equal(json_string_value(json_object_get(t, "requesting_region")),
                        "east-midlands");
    free(cli_ok("nca-spoc", "tasking", "submit", ref, NULL));

    /* The named region's Gateway and TTCG see it; another region's do not (CLI and API). */
    char *path = t_fmt("/api/v1/taskings/%s", ref);
    api_get("em-gateway", path, 200);
    api_get("em-ttcg", path, 200);
    api_get("yh-gateway", path, 404);
    api_get("yh-ttcg", path, 404);
    cli_refused(EX_NOTFOUND, "not found", "yh-gateway", "tasking", "show", ref, NULL);
    free(cli_ok("em-ttcg", "tasking", "show", ref, NULL));
    /* The Gateway's queue lists it; the other region's queue does not. */
    out = cli_ok("em-gateway", "--json", "tasking", "list", "--state", "submitted", NULL);
    assert_non_null(strstr(out, ref));
    free(out);
    out = cli_ok("yh-gateway", "--json", "tasking", "list", NULL);
    assert_null(strstr(out, ref));
    free(out);
    /* Another region's Gateway cannot triage it; the named region's forwards it (API). */
    cli_refused(EX_NOTFOUND, "not found", "yh-gateway", "tasking", "forward", ref, NULL);
    hw_login(W, "em-gateway");
    char *fwd = t_fmt("/api/v1/taskings/%s/forward", ref);
    hresp r = hw_as(W, "POST", fwd, NULL, "{}");
    hw_expect(&r, 200);
    assert_string_equal(jstr(&r, "state"), "forwarded");
    hresp_free(&r);
    free(fwd);

    /* The NCA owns the threat: the transfer request goes straight to the FTT. */
    to_reassessment(ref, "nca-sio");
    hw_login(W, "toex-sia");
    char *rq = t_fmt("/api/v1/taskings/%s/request_transfer", ref);
    r = hw_as(W, "POST", rq, NULL, "{\"reason\":\"Needs a national owner's decision\"}");
    hw_expect(&r, 200);
    assert_string_equal(jstr(&r, "state"), "escalated_ftt");
    hresp_free(&r);
    free(rq);
    api_get("nca-ftt", path, 200);
    cli_refused(EX_NOTFOUND, "not found", "yh-ttcg", "transfer", "decide", ref,
                "--decline", "--reason", "not ours", NULL);
    free(cli_ok("nca-ftt", "transfer", "decide", ref, "--decline", "--reason",
                "The NCA keeps it", NULL));
    free(path);
    json_decref(t);
    free(threat);
}

static void nca_force_bids_on_nca_threat(void **state)
{
    (void)state;
    char *threat = nca_threat("County lines from a national network");
    /* A force may ask for support on a threat the NCA owns; its own region triages it. */
    cli_refused(EX_INVAL, "region: 'east-midlands'", "wy-spoc", "tasking", "new", "--threat",
                threat, BID_ARGS, "--region", "east-midlands", NULL);
    char *out = cli_ok("wy-spoc", "--json", "tasking", "new", "--threat", threat, BID_ARGS, NULL);
    json_t *t = cli_json(out);
    free(out);
    assert_string_equal(json_string_value(json_object_get(t, "requesting_region")),
                        "yorkshire-humber");
    assert_string_equal(json_string_value(json_object_get(t, "owner")), "nca");
    json_decref(t);
    free(threat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nca_bid_region),
        cmocka_unit_test(nca_force_bids_on_nca_threat),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
