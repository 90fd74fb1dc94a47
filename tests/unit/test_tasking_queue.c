/*
 * `tasking queue` / GET /api/v1/taskings/queue (review 84 L10): what waits on the actor. One
 * bid is taken through the lifecycle; at every step each user's queue is read through the API
 * and must hold the tasking with exactly the steps that are that user's to take now, and no
 * one else's queue may hold it. Withdrawing and team work never appear; the auditor's queue is
 * empty; reading the queue logs no read of content; the CLI prints the same.
 */
#include "test_cli_support.h"

static int setup(void **state)
{
    (void)state;
    W = hw_new(10);
    hw_user(W, "toex-analyst", "toex", "analyst");
    hw_user(W, "yh-ttcg", "yhrocu", "ttcg");
    hw_user(W, "nca-apmis", "nca", "apmis");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hw_free(W);
    return 0;
}

static const char *const USERS[] = {"wy-spoc",  "wy-sio",       "yh-gateway", "toex-manager",
                                    "toex-sia", "toex-analyst", "yh-ttcg",    "auditor",
                                    "nca-apmis", "met-spoc"};
enum { NUSERS = sizeof USERS / sizeof USERS[0] };

/* The steps `user`'s queue lists for `ref`, comma-separated ("" when the tasking is not in
   it); malloc'd. Also checks the answer's shape. */
static char *queue_of(const char *user, const char *ref)
{
    hw_login(W, user);
    hresp r = hw_as(W, "GET", "/api/v1/taskings/queue?limit=1000", NULL, NULL);
    hw_expect(&r, 200);
    json_t *items = json_object_get(r.json, "items");
    assert_true(json_is_array(items));
    char *got = strdup("");
    size_t i;
    json_t *it;
    const char *prev_since = "";
    json_array_foreach(items, i, it) {
        const char *since = json_string_value(json_object_get(it, "since"));
        assert_non_null(since);
        assert_true(strcmp(prev_since, since) <= 0); /* longest waiting first */
        prev_since = since;
        assert_true(json_is_integer(json_object_get(it, "days_waiting")));
        assert_non_null(json_string_value(json_object_get(it, "marking")));
        if (strcmp(json_string_value(json_object_get(it, "tasking")), ref) != 0)
            continue;
        json_t *acts = json_object_get(it, "actions");
        assert_true(json_array_size(acts) > 0);
        size_t j;
        json_t *a;
        json_array_foreach(acts, j, a) {
            char *g = t_fmt("%s%s%s", got, *got ? "," : "", json_string_value(a));
            free(got);
            got = g;
        }
    }
    hresp_free(&r);
    return got;
}

/* Every user's queue for ref: `who` (NULL: no one) has exactly `steps`, the rest nothing. */
static void expect_queue(const char *ref, const char *who, const char *steps)
{
    for (size_t u = 0; u < NUSERS; u++) {
        char *got = queue_of(USERS[u], ref);
        const char *want = who && strcmp(USERS[u], who) == 0 ? steps : "";
        if (strcmp(got, want) != 0)
            fprintf(stderr, "%s's queue for %s: got '%s', wanted '%s'\n", USERS[u], ref, got, want);
        assert_string_equal(got, want);
        free(got);
    }
}

/* Two users wait at once (the ToR agreements): each has `steps`, no one else anything. */
static void expect_queue2(const char *ref, const char *a, const char *b, const char *steps)
{
    for (size_t u = 0; u < NUSERS; u++) {
        char *got = queue_of(USERS[u], ref);
        bool named = strcmp(USERS[u], a) == 0 || strcmp(USERS[u], b) == 0;
        if (strcmp(got, named ? steps : "") != 0)
            fprintf(stderr, "%s's queue for %s: got '%s'\n", USERS[u], ref, got);
        assert_string_equal(got, named ? steps : "");
        free(got);
    }
}

static const char regional[] =
    "{\"harm\":{\"physical\":3,\"psychological\":4,\"financial\":3,\"community\":2,"
    "\"victim_vulnerability\":4},\"scale\":3,\"likelihood\":4,\"confidence\":\"high\","
    "\"capacity\":2,\"capability\":2,\"needs_national_capability\":false,"
    "\"needs_rocu_capability\":true}";

static void queue_follows_the_lifecycle(void **state)
{
    (void)state;
    json_t *th = cli_json(cli_ok("wy-spoc", "--json", "threat", "add", "--title", "Hand car washes",
                                 "--type", "labour", "--owner", "west-yorkshire", "--sio", "wy-sio",
                                 "--force-tasking-ref", "WY-FTM-31", NULL));
    json_t *t = cli_json(cli_ok("wy-spoc", "--json", "tasking", "new", "--from-json", t_bid_assessment_file(), "--threat",
                                json_string_value(json_object_get(th, "ref")), "--summary",
                                "Workers housed above the washes", "--ftm-date", "2026-05-28",
                                "--ftm-ref", "FTM-31", "--requirement", "Who controls it?",
                                "--service", "intel_development", NULL));
    char *ref = strdup(json_string_value(json_object_get(t, "ref")));
    json_decref(t);
    json_decref(th);

    expect_queue(ref, "wy-spoc", "submit"); /* a draft waits on its SPOC */
    /* at the use-cases' clock, as the ToR after it: a ToR starts no earlier than the bid's
       submission (review 113 L4) */
    act("wy-spoc", ref, IOM_TA_SUBMIT, NULL, IOM_TS_SUBMITTED);
    expect_queue(ref, "yh-gateway", "forward,return,reject"); /* not the SPOC's withdraw */
    free(cli_ok("yh-gateway", "tasking", "return", ref, "--reason", "Name the victims' addresses",
                NULL));
    expect_queue(ref, "wy-spoc", "submit");
    free(cli_ok("wy-spoc", "tasking", "submit", ref, NULL));
    free(cli_ok("yh-gateway", "tasking", "forward", ref, NULL));
    expect_queue(ref, "toex-manager", "accept,decline");
    app_act_input acc = {.sia = "toex-sia"};
    act("toex-manager", ref, IOM_TA_ACCEPT, &acc, IOM_TS_ACCEPTED);
    expect_queue(ref, "toex-sia", "propose_tor"); /* no ToR yet: the SIA's to propose */
    as("toex-sia");
    iom_tor_t tor;
    hw_ok(W, app_tor_propose(&W->c, ref, tor_doc, 0, &tor));
    expect_queue2(ref, "toex-sia", "wy-sio", "agree_tor"); /* not a second proposal */
    app_act_input agree = {.tor_version = tor.version};
    act("toex-sia", ref, IOM_TA_AGREE_TOR, &agree, IOM_TS_ACCEPTED);
    expect_queue(ref, "wy-sio", "agree_tor"); /* the SIA has agreed: waits on the SIO */
    act("wy-sio", ref, IOM_TA_AGREE_TOR, &agree, IOM_TS_TOR_AGREED);
    expect_queue(ref, "toex-sia", "start");
    act("toex-sia", ref, IOM_TA_START, NULL, IOM_TS_IN_DEVELOPMENT);
    /* the team's work (contribute, record_*) is not a waiting step: the analyst has none */
    free(cli_ok("toex-manager", "tasking", "assign", ref, "--user", "toex-analyst", NULL));
    expect_queue(ref, "toex-sia", "complete");
    act("toex-sia", ref, IOM_TA_COMPLETE, NULL, IOM_TS_REASSESSMENT);
    expect_queue(ref, "toex-sia", "reassess"); /* the SIA proposes the reassessment */
    iom_assessment_t a;
    as("toex-sia");
    hw_ok(W, app_tasking_reassess(&W->c, ref, regional, 0, &a));
    expect_queue(ref, "wy-sio", "reassess"); /* the SIO signs it */
    as("wy-sio");
    hw_ok(W, app_tasking_reassess(&W->c, ref, regional, 0, &a));
    /* signed by both, recommending a regional owner: the SIO either closes (remain) or agrees
       to hand the risk on; the SIA's transfer request waits on that agreement (domain.md §1,
       review 113 M1) */
    for (size_t u = 0; u < NUSERS; u++) {
        char *got = queue_of(USERS[u], ref);
        const char *want = strcmp(USERS[u], "wy-sio") == 0 ? "remain,agree_transfer" : "";
        assert_string_equal(got, want);
        free(got);
    }
    act("wy-sio", ref, IOM_TA_AGREE_TRANSFER, NULL, IOM_TS_REASSESSMENT);
    for (size_t u = 0; u < NUSERS; u++) {
        char *got = queue_of(USERS[u], ref);
        const char *want = strcmp(USERS[u], "wy-sio") == 0     ? "remain"
                           : strcmp(USERS[u], "toex-sia") == 0 ? "request_transfer"
                                                               : "";
        assert_string_equal(got, want);
        free(got);
    }
    app_act_input req = {.reason = "A network across the region: the ROCU should own it"};
    act("toex-sia", ref, IOM_TA_REQUEST_TRANSFER, &req, IOM_TS_TRANSFER_REQUESTED);
    expect_queue(ref, "yh-ttcg", "escalate,decide_transfer"); /* the owner's region's TTCG */
    free(ref);
}

/* Reading the queue is not a read of content: the read log does not grow; the CLI prints the
   steps, and "nothing waits" for the auditor. */
static void queue_logs_no_read_and_prints(void **state)
{
    (void)state;
    char *ref = developing("Nail bar shifts");
    char *before = cli_ok("auditor", "--json", "audit", "reads", "--object", ref, NULL);
    char *got = queue_of("toex-sia", ref);
    assert_string_equal(got, "complete");
    free(got);
    char *out = cli_ok("toex-sia", "tasking", "queue", NULL);
    assert_non_null(strstr(out, ref));
    assert_non_null(strstr(out, "in_development"));
    assert_non_null(strstr(out, "complete"));
    free(out);
    out = cli_ok("auditor", "tasking", "queue", NULL);
    assert_non_null(strstr(out, "nothing waits on you"));
    free(out);
    char *after = cli_ok("auditor", "--json", "audit", "reads", "--object", ref, NULL);
    assert_string_equal(before, after);
    free(before);
    free(after);
    free(ref);
}

/* Review 88 M3: one person does not hold both sides of a check, and the queue, the tasking's
   actions and `tasking due` do not offer what that rule refuses: a SPOC who also holds the
   gateway role does not triage their own bid (another of the Gateway does), and sees why. */
static void queue_leaves_out_own_bid(void **state)
{
    (void)state;
    app_user_input in = {.name = "yh-dual", .agency = "yhrocu", .roles = {"spoc", "gateway"}, .nroles = 2,
                         .clearance = "OFFICIAL-SENSITIVE", .password = PASSWORD, .own_password = true};
    iom_user_t u;
    as("admin");
    hw_ok(W, app_user_add(&W->c, &in, &u));
    hw_user(W, "yh-sio4", "yhrocu", "sio");
    json_t *th = cli_json(cli_ok("yh-dual", "--json", "threat", "add", "--title", "Regional cannabis farms",
                                 "--type", "criminal", "--owner", "yhrocu", "--sio", "yh-sio4",
                                 "--force-tasking-ref", "YH-FTM-12", NULL));
    json_t *t = cli_json(cli_ok("yh-dual", "--json", "tasking", "new", "--from-json", t_bid_assessment_file(), "--threat",
                                json_string_value(json_object_get(th, "ref")), "--summary",
                                "Farms in three forces", "--ftm-date", "2026-05-28", "--ftm-ref",
                                "FTM-12", "--requirement", "Who runs them?", "--service",
                                "intel_development", NULL));
    char *ref = strdup(json_string_value(json_object_get(t, "ref")));
    json_decref(t);
    json_decref(th);
    free(cli_ok("yh-dual", "tasking", "submit", ref, NULL));
    char *got = queue_of("yh-dual", ref);
    assert_string_equal(got, ""); /* not theirs to triage */
    free(got);
    got = queue_of("yh-gateway", ref);
    assert_string_equal(got, "forward,return,reject");
    free(got);
    json_t *v = cli_json(cli_ok("yh-dual", "--json", "tasking", "show", ref, NULL));
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(v, "actions"), i, a)
        assert_true(strcmp(json_string_value(a), "forward") != 0);
    bool why = false;
    json_array_foreach(json_object_get(v, "blocked"), i, a)
        why = why || (strcmp(json_string_value(json_object_get(a, "action")), "forward") == 0 &&
                      strstr(json_string_value(json_object_get(a, "why")), "another member of the Gateway"));
    assert_true(why);
    json_decref(v);
    char *due = cli_ok("yh-dual", "--json", "tasking", "due", "--days", "3660", NULL);
    assert_null(strstr(due, ref));
    free(due);
    due = cli_ok("yh-gateway", "--json", "tasking", "due", "--days", "3660", NULL);
    assert_non_null(strstr(due, ref));
    free(due);
    free(ref);
}

/* Review 89 M1: the rule bars whoever wrote, edited or sent any version of the bid, not only
   its SPOC and its last submitter: a SPOC with the gateway role who sent a colleague's bid
   before a return, or rewrote it before the colleague sent it, does not triage it. */
static char *colleague_bid(const char *ftm)
{
    json_t *th = cli_json(cli_ok("yh-spoc5", "--json", "threat", "add", "--title", ftm, "--type", "criminal",
                                 "--owner", "yhrocu", "--sio", "yh-sio5", "--force-tasking-ref", ftm, NULL));
    json_t *t = cli_json(cli_ok("yh-spoc5", "--json", "tasking", "new", "--from-json", t_bid_assessment_file(), "--threat",
                                json_string_value(json_object_get(th, "ref")), "--summary", "Car washes",
                                "--ftm-date", "2026-05-28", "--ftm-ref", ftm, "--requirement", "Who?",
                                "--service", "intel_development", NULL));
    char *ref = strdup(json_string_value(json_object_get(t, "ref")));
    json_decref(t);
    json_decref(th);
    return ref;
}

static void not_triaged_by_an_earlier_sender_or_editor(void **state)
{
    (void)state;
    app_user_input in = {.name = "yh-dual5", .agency = "yhrocu", .roles = {"spoc", "gateway"}, .nroles = 2,
                         .clearance = "OFFICIAL-SENSITIVE", .password = PASSWORD, .own_password = true};
    iom_user_t u;
    as("admin");
    hw_ok(W, app_user_add(&W->c, &in, &u));
    hw_user(W, "yh-spoc5", "yhrocu", "spoc");
    hw_user(W, "yh-sio5", "yhrocu", "sio");

    /* sent by yh-dual5, returned, sent again unchanged by the colleague */
    char *a = colleague_bid("YH-FTM-51");
    free(cli_ok("yh-dual5", "tasking", "submit", a, NULL));
    free(cli_ok("yh-gateway", "tasking", "return", a, "--reason", "Name the forces", NULL));
    free(cli_ok("yh-spoc5", "tasking", "submit", a, NULL));
    /* rewritten by yh-dual5, sent by the colleague */
    char *b = colleague_bid("YH-FTM-52");
    free(cli_ok("yh-dual5", "tasking", "edit", b, "--summary", "Car washes in three forces", NULL));
    free(cli_ok("yh-spoc5", "tasking", "submit", b, NULL));

    const char *refs[] = {a, b};
    for (int k = 0; k < 2; k++) {
        char *got = queue_of("yh-dual5", refs[k]);
        assert_string_equal(got, "");
        free(got);
        got = queue_of("yh-gateway", refs[k]);
        assert_string_equal(got, "forward,return,reject");
        free(got);
        cli_refused(5, "drafted, edited or submitted", "yh-dual5", "tasking", "forward", refs[k], NULL);
        cli_refused(5, "another member of the Gateway", "yh-dual5", "tasking", "reject", refs[k], "--reason",
                    "no", NULL);
        char *due = cli_ok("yh-dual5", "--json", "tasking", "due", "--days", "3660", NULL);
        assert_null(strstr(due, refs[k]));
        free(due);
    }
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(queue_follows_the_lifecycle),
        cmocka_unit_test(queue_logs_no_read_and_prints),
        cmocka_unit_test(queue_leaves_out_own_bid),
        cmocka_unit_test(not_triaged_by_an_earlier_sender_or_editor),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
