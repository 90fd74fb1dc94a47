/*
 * Issue 4 acceptance: one tasking walks the main route from `draft` to `closed` through a
 * transfer escalated by the regional TTCG and decided by the FTT, each step by the right
 * user, through the use-case layer with an injected clock. The test checks at every step
 * the tasking's state and the SOC master list owner, then the audit trail (one entry per
 * change, right actor and action, chain intact) and the APMIS report against figures
 * computed by hand below.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/agency.h"
#include "app/apmis.h"
#include "app/app.h"
#include "app/audit.h"
#include "app/tasking.h"
#include "app/threat.h"
#include "app/user.h"
#include "store/store.h"

#define DAY 86400
#define T0 1780304400 /* 2026-06-01T09:00:00Z */

typedef struct world {
    char *dir;
    iom_store *store;
    iom_arena arena;
    iom_ctx c;
    int64_t now;
} world;

static int64_t clock_fn(void *data) { return ((world *)data)->now; }

static void as(world *w, const char *user) { w->c.actor_name = user; }

static void ok(world *w, iom_err err)
{
    if (err)
        fprintf(stderr, "unexpected failure: %s\n", w->c.err.msg);
    assert_int_equal(err, IOM_OK);
}

static void add_user(world *w, const char *name, const char *agency, const char *role)
{
    app_user_input in = {.name = name, .agency = agency, .roles = {role}, .nroles = 1,
                         .clearance = "OFFICIAL-SENSITIVE"};
    iom_user_t u;
    as(w, strcmp(name, "admin") == 0 ? NULL : "admin");
    ok(w, app_user_add(&w->c, &in, &u));
}

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    w->dir = t_tmpdir();
    char *db = t_fmt("%s/route.db", w->dir);
    iom_error e = {0};
    assert_int_equal(iom_store_open(db, IOM_STORE_CREATE | IOM_STORE_ANY_SCHEMA, &w->store, &e), IOM_OK);
    iom_arena_init(&w->arena);
    app_ctx_init(&w->c, w->store, &w->arena);
    w->c.clock = clock_fn;
    w->c.clock_data = w;
    w->c.os_user = "route-test";
    w->now = T0 - DAY;
    char *key = t_fmt("%s.key", db);
    assert_int_equal(audit_key_create(key, w->c.audit_key, &e), IOM_OK);
    w->c.has_audit_key = true;
    int from, to;
    assert_int_equal(w->store->ops->migrate(w->store, &from, &to, &e), IOM_OK);
    ok(w, app_init_reference(&w->c));
    add_user(w, "admin", "toex", "admin");
    add_user(w, "auditor", "nca", "auditor");
    add_user(w, "wy-spoc", "west-yorkshire", "spoc");
    add_user(w, "wy-sio", "west-yorkshire", "sio");
    add_user(w, "yh-gateway", "yhrocu", "gateway");
    add_user(w, "yh-ttcg", "yhrocu", "ttcg");
    add_user(w, "toex-manager", "toex", "toex_manager");
    add_user(w, "toex-sia", "toex", "sia");
    add_user(w, "toex-analyst", "toex", "analyst");
    add_user(w, "nca-ftt", "nca", "ftt");
    add_user(w, "nca-sio", "nca", "sio");
    add_user(w, "nca-apmis", "nca", "apmis");
    free(key);
    free(db);
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    iom_store_close(w->store);
    iom_arena_free(&w->arena);
    t_tmpdir_free(w->dir);
    free(w);
    return 0;
}

/* The SOC master list entry of the threat, as the SOC list shows it to any user. */
static void expect_owner(world *w, const char *threat, const char *owner, const char *sio)
{
    const char *saved = w->c.actor_name;
    iom_threat_t t;
    as(w, "yh-gateway");
    ok(w, app_threat_get(&w->c, threat, &t));
    assert_string_equal(t.owner, owner);
    assert_string_equal(t.sio, sio);
    as(w, saved);
}

static void step(world *w, int64_t after_days, const char *user, const char *ref,
                 iom_tasking_action action, const app_act_input *in, iom_tasking_state expect)
{
    w->now += after_days * DAY;
    as(w, user);
    iom_tasking_t t;
    ok(w, app_tasking_act(&w->c, ref, action, in, 0, &t));
    assert_int_equal(t.state, expect);
}

static const char tor_doc[] =
    "{\"services\":[\"intel_development\",\"financial_intelligence\"],"
    "\"start_date\":\"2026-06-10\",\"end_date\":\"2026-09-30\","
    "\"milestones\":[{\"name\":\"Network mapped\",\"due\":\"2026-07-15\"}],"
    "\"products\":[],\"objectives\":[\"Identify the controllers and their money\"]}";

static const char national[] =
    "{\"harm\":{\"physical\":3,\"psychological\":4,\"financial\":3,\"community\":2,"
    "\"victim_vulnerability\":4},\"scale\":3,\"likelihood\":4,\"confidence\":\"high\","
    "\"capacity\":3,\"capability\":3,\"needs_national_capability\":true,"
    "\"needs_rocu_capability\":false}";

static char *new_bid(world *w, const char *threat_title)
{
    app_threat_input ti = {threat_title, "labour", "west-yorkshire", "wy-sio", "WY-FTM-1", NULL};
    iom_threat_t th;
    as(w, "wy-spoc");
    ok(w, app_threat_add(&w->c, &ti, &th));
    app_bid_input bid = {T_BID_ASSESS, .threat = th.ref, .ftm_date = "2026-05-28", .ftm_ref = "WY-FTM-1",
                         .summary = "Hand car washes run by one family", .requirements = {"Who controls it?"},
                         .nrequirements = 1, .services = {"intel_development"}, .nservices = 1};
    iom_tasking_t t;
    ok(w, app_tasking_new(&w->c, &bid, &t));
    assert_int_equal(t.state, IOM_TS_DRAFT);
    return iom_arena_strdup(&w->arena, t.ref);
}

static void main_route(void **state)
{
    world *w = *state;
    w->now = T0;
    char *ref = new_bid(w, "Car wash network");
    const char *threat = "SOC-000001";
    expect_owner(w, threat, "west-yorkshire", "wy-sio");

    step(w, 1, "wy-spoc", ref, IOM_TA_SUBMIT, NULL, IOM_TS_SUBMITTED);          /* draft 1 d */
    expect_owner(w, threat, "west-yorkshire", "wy-sio");
    step(w, 2, "yh-gateway", ref, IOM_TA_FORWARD, NULL, IOM_TS_FORWARDED);      /* submitted 2 d */
    app_act_input acc = {.sia = "toex-sia"};
    step(w, 3, "toex-manager", ref, IOM_TA_ACCEPT, &acc, IOM_TS_ACCEPTED);     /* forwarded 3 d */
    expect_owner(w, threat, "west-yorkshire", "wy-sio"); /* TOEX never owns it */

    w->now += DAY;
    as(w, "toex-sia");
    iom_tor_t tor;
    ok(w, app_tor_propose(&w->c, ref, tor_doc, 0, &tor));
    assert_int_equal(tor.version, 1);
    app_act_input agree = {.tor_version = 1};
    step(w, 1, "toex-sia", ref, IOM_TA_AGREE_TOR, &agree, IOM_TS_ACCEPTED);
    step(w, 1, "wy-sio", ref, IOM_TA_AGREE_TOR, &agree, IOM_TS_TOR_AGREED);    /* accepted 3 d */

    w->now += DAY;
    as(w, "toex-sia");
    iom_tasking_t t;
    ok(w, app_tasking_assign(&w->c, ref, "toex-analyst", true, 0, &t));
    step(w, 1, "toex-sia", ref, IOM_TA_START, NULL, IOM_TS_IN_DEVELOPMENT);    /* tor_agreed 2 d */
    step(w, 10, "toex-sia", ref, IOM_TA_COMPLETE, NULL, IOM_TS_REASSESSMENT);  /* in_development 10 d */

    iom_assessment_t a;
    w->now += DAY;
    as(w, "toex-sia");
    ok(w, app_tasking_reassess(&w->c, ref, national, 0, &a));
    assert_true(a.sia_signed_by && !a.sio_signed_by);
    assert_string_equal(a.recommendation, "national");
    assert_int_equal(a.score_tenths, 640); /* (3+4+3+2+4) x 4 x 1.0 = 64.0 */
    assert_string_equal(a.band, "high");
    w->now += DAY;
    as(w, "wy-sio");
    ok(w, app_tasking_reassess(&w->c, ref, national, 0, &a));
    assert_true(a.sia_signed_by && a.sio_signed_by);
    assert_int_equal(a.version, 1); /* the SIO signed the same content */

    /* the SIO agrees to hand the risk on (its own act: review 113 M1), then the SIA requests */
    step(w, 0, "wy-sio", ref, IOM_TA_AGREE_TRANSFER, NULL, IOM_TS_REASSESSMENT);
    app_act_input rq = {.reason = "Several regions; national capability needed"};
    step(w, 1, "toex-sia", ref, IOM_TA_REQUEST_TRANSFER, &rq, IOM_TS_TRANSFER_REQUESTED); /* reassessment 3 d */
    expect_owner(w, threat, "west-yorkshire", "wy-sio");
    app_act_input esc = {.reason = "Beyond the region"};
    step(w, 4, "yh-ttcg", ref, IOM_TA_ESCALATE, &esc, IOM_TS_ESCALATED_FTT);   /* transfer_requested 4 d */
    expect_owner(w, threat, "west-yorkshire", "wy-sio");
    /* a new SIO of a disabled agency cannot sign in to hold the risk: refused (an API review) */
    add_user(w, "sy-sio", "south-yorkshire", "sio");
    iom_agency_t gone;
    ok(w, app_agency_disable(&w->c, "south-yorkshire", &gone));
    as(w, "nca-ftt");
    app_act_input bad = {.reason = "The region takes it", .accept = true, .new_owner = "yhrocu",
                         .new_sio = "sy-sio"};
    iom_tasking_t refused;
    assert_int_equal(app_tasking_act(&w->c, ref, IOM_TA_DECIDE_TRANSFER, &bad, 0, &refused), IOM_EINVAL);
    assert_string_equal(w->c.err.msg,
                        "new_sio: user 'sy-sio' belongs to agency 'south-yorkshire', which is disabled");
    expect_owner(w, threat, "west-yorkshire", "wy-sio");
    app_act_input dec = {.reason = "NCA takes national ownership", .accept = true,
                         .new_owner = "nca", .new_sio = "nca-sio"};
    step(w, 5, "nca-ftt", ref, IOM_TA_DECIDE_TRANSFER, &dec, IOM_TS_CLOSED);   /* escalated_ftt 5 d */
    expect_owner(w, threat, "nca", "nca-sio");

    /* A second, short tasking on another threat: draft 3 d, submitted 1 d, then withdrawn. */
    w->now += DAY;
    char *ref2 = new_bid(w, "Second threat");
    app_act_input wd = {.reason = "Handled locally"};
    step(w, 3, "wy-spoc", ref2, IOM_TA_SUBMIT, NULL, IOM_TS_SUBMITTED);
    step(w, 1, "wy-spoc", ref2, IOM_TA_WITHDRAW, &wd, IOM_TS_WITHDRAWN);

    /* The audit trail: one entry per change, in order, by the right users. */
    w->now += DAY;
    as(w, "auditor");
    iom_audit_t *log;
    size_t n;
    ok(w, app_audit_log(&w->c, ref, &log, &n));
    static const char *const want[][2] = {
        {"tasking.new", "wy-spoc"},          {"tasking.submit", "wy-spoc"},
        {"tasking.forward", "yh-gateway"},   {"tasking.accept", "toex-manager"},
        {"tasking.propose_tor", "toex-sia"}, {"tasking.agree_tor", "toex-sia"},
        {"tasking.agree_tor", "wy-sio"},     {"tasking.assign", "toex-sia"},
        {"tasking.start", "toex-sia"},       {"tasking.complete", "toex-sia"},
        {"tasking.reassess", "toex-sia"},    {"tasking.reassess", "wy-sio"},
        {"tasking.agree_transfer", "wy-sio"},
        {"tasking.request_transfer", "toex-sia"}, {"tasking.escalate", "yh-ttcg"},
        {"tasking.decide_transfer", "nca-ftt"},
    };
    assert_int_equal(n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(log[i].action, want[i][0]);
        assert_string_equal(log[i].actor, want[i][1]);
        assert_string_equal(log[i].via, "cli");
        assert_non_null(log[i].after_json);
    }
    ok(w, app_audit_log(&w->c, threat, &log, &n));
    assert_int_equal(n, 2);
    assert_string_equal(log[0].action, "threat.add");
    assert_string_equal(log[1].action, "threat.transfer");
    assert_string_equal(log[1].actor, "nca-ftt");
    assert_non_null(strstr(log[1].before_json, "\"owner\":\"west-yorkshire\""));
    assert_non_null(strstr(log[1].after_json, "\"owner\":\"nca\""));
    audit_verify_result vr;
    ok(w, app_audit_verify(&w->c, NULL, &vr));

    /* APMIS: a disruption after the tasking closed, with TOEX as a contributing capability. */
    as(w, "nca-apmis");
    apmis_input d = {.threat = threat, .date = "2026-07-05", .impact = "major", .type = "arrest",
                     .lead = "nca", .capabilities = {"toex", "west-yorkshire"}, .ncapabilities = 2,
                     .arrests = 3, .safeguarded = 5, .seized_pence = 1234500, .strand = "pursue",
                     .narrative = "Controllers arrested; five victims safeguarded."};
    iom_apmis_t rec;
    ok(w, app_apmis_record(&w->c, &d, &rec));
    apmis_input d2 = {.threat = threat, .date = "2026-07-06", .impact = "minor", .type = "seizure",
                      .lead = "west-yorkshire", .ncapabilities = 0, .seized_pence = 5000,
                      .strand = "pursue", .narrative = "Cash seized at a wash."};
    ok(w, app_apmis_record(&w->c, &d2, &rec));

    as(w, "auditor");
    app_apmis_report_query q = {0};
    app_apmis_report_t rep;
    ok(w, app_apmis_report(&w->c, &q, &rep));
    const apmis_report *r = &rep.r;
    assert_int_equal(r->taskings, 2);
    assert_int_equal(r->by_state[IOM_TS_CLOSED], 1);
    assert_int_equal(r->by_state[IOM_TS_WITHDRAWN], 1);
    /* Time in each state, by hand. draft: 1 d and 3 d -> median 2 d; p90 (type 7):
       h = 0.9, 1 d + 0.9 x 2 d = 2.8 d = 241920 s. submitted: 2 d and 1 d -> sorted 1 d, 2 d:
       median 1.5 d = 129600 s, p90 = 1 d + 0.9 d = 164160 s. One visit each after that. */
    assert_int_equal(r->time[IOM_TS_DRAFT].visits, 2);
    assert_int_equal(r->time[IOM_TS_DRAFT].median_seconds, 2 * DAY);
    assert_int_equal(r->time[IOM_TS_DRAFT].p90_seconds, 241920);
    assert_int_equal(r->time[IOM_TS_SUBMITTED].visits, 2);
    assert_int_equal(r->time[IOM_TS_SUBMITTED].median_seconds, 129600);
    assert_int_equal(r->time[IOM_TS_SUBMITTED].p90_seconds, 164160);
    static const struct { iom_tasking_state s; int64_t days; } one[] = {
        {IOM_TS_FORWARDED, 3}, {IOM_TS_ACCEPTED, 3}, {IOM_TS_TOR_AGREED, 2},
        {IOM_TS_IN_DEVELOPMENT, 10}, {IOM_TS_REASSESSMENT, 3}, {IOM_TS_TRANSFER_REQUESTED, 4},
        {IOM_TS_ESCALATED_FTT, 5},
    };
    for (size_t i = 0; i < sizeof one / sizeof one[0]; i++) {
        const apmis_state_time *st = &r->time[one[i].s];
        if (st->visits != 1 || st->median_seconds != one[i].days * DAY)
            fprintf(stderr, "state %d: visits %lld median %lld\n", (int)one[i].s,
                    (long long)st->visits, (long long)st->median_seconds);
        assert_int_equal(st->visits, 1);
        assert_int_equal(st->median_seconds, one[i].days * DAY);
        assert_int_equal(st->p90_seconds, one[i].days * DAY);
        assert_int_equal(st->total_seconds, one[i].days * DAY);
    }
    /* Disruptions: two in all; with TOEX only the first. */
    assert_int_equal(r->disruptions_all.count, 2);
    assert_int_equal(r->disruptions_all.seized_pence, 1234500 + 5000);
    assert_int_equal(r->disruptions_toex.count, 1);
    assert_int_equal(r->disruptions_toex.by_impact[IOM_IMPACT_MAJOR], 1);
    assert_int_equal(r->disruptions_toex.by_impact[IOM_IMPACT_MINOR], 0);
    assert_int_equal(r->disruptions_toex.arrests, 3);
    assert_int_equal(r->disruptions_toex.safeguarded, 5);
    assert_int_equal(r->disruptions_toex.seized_pence, 1234500);
}

/* `tasking show` lists, for this user now, only the actions the domain would take: role and
   relation, and then each rule's precondition over the tasking's facts (the inputs of the
   command itself aside). */
static unsigned shown(world *w, const char *user, const char *ref)
{
    as(w, user);
    app_tasking_view v;
    ok(w, app_tasking_show(&w->c, ref, &v));
    return v.allowed_actions;
}

/* What the view says the action waits for, as user (NULL: nothing listed). */
static const char *blocked(world *w, const char *user, const char *ref, iom_tasking_action a)
{
    as(w, user);
    app_tasking_view v;
    ok(w, app_tasking_show(&w->c, ref, &v));
    return v.blocked[a];
}

#define BIT(a) (1u << (a))

static void show_lists_what_the_domain_allows_now(void **state)
{
    world *w = *state;
    w->now = T0;
    char *ref = new_bid(w, "Nail bar network");
    assert_int_equal(shown(w, "wy-spoc", ref), BIT(IOM_TA_SUBMIT) | BIT(IOM_TA_WITHDRAW));
    step(w, 1, "wy-spoc", ref, IOM_TA_SUBMIT, NULL, IOM_TS_SUBMITTED);
    step(w, 1, "yh-gateway", ref, IOM_TA_FORWARD, NULL, IOM_TS_FORWARDED);
    app_act_input acc = {.sia = "toex-sia"};
    step(w, 1, "toex-manager", ref, IOM_TA_ACCEPT, &acc, IOM_TS_ACCEPTED);

    /* Accepted, no ToR yet: agree_tor has nothing to agree, for either side. The SIA may take
       someone off the team from acceptance on (review 84 L12: a reallocated former SIA). */
    assert_int_equal(shown(w, "toex-sia", ref), BIT(IOM_TA_PROPOSE_TOR) | BIT(IOM_TA_UNASSIGN));
    assert_int_equal(shown(w, "wy-sio", ref), BIT(IOM_TA_WITHDRAW));
    /* and says why: it waits for the SIA's proposal (review 71: hidden) */
    const char *why = blocked(w, "wy-sio", ref, IOM_TA_AGREE_TOR);
    assert_non_null(why);
    assert_non_null(strstr(why, "no such ToR version proposed"));
    as(w, "toex-sia");
    iom_tor_t tor;
    ok(w, app_tor_propose(&w->c, ref, tor_doc, 0, &tor));
    assert_int_equal(shown(w, "toex-sia", ref),
                     BIT(IOM_TA_PROPOSE_TOR) | BIT(IOM_TA_AGREE_TOR) | BIT(IOM_TA_UNASSIGN));
    assert_int_equal(shown(w, "wy-sio", ref), BIT(IOM_TA_AGREE_TOR) | BIT(IOM_TA_WITHDRAW));
    app_act_input agree = {.tor_version = 1};
    step(w, 1, "toex-sia", ref, IOM_TA_AGREE_TOR, &agree, IOM_TS_ACCEPTED);
    /* The SIA has agreed: the domain refuses it a second agreement, so it is not listed;
       the SIO's side is still open. */
    assert_int_equal(shown(w, "toex-sia", ref), BIT(IOM_TA_PROPOSE_TOR) | BIT(IOM_TA_UNASSIGN));
    assert_null(blocked(w, "toex-sia", ref, IOM_TA_AGREE_TOR)); /* it waits for nothing (review 68) */
    iom_tasking_state next;
    lifecycle_actor sia = {IOM_ROLE_BIT(IOM_ROLE_SIA), IOM_REL_TASKING_SIA};
    lifecycle_facts f = {.tor_version_exists = true, .tor_latest_version = 1, .tor_sia_agreed = true};
    assert_int_equal(lifecycle_decide(&next, NULL, IOM_TS_ACCEPTED, IOM_TA_AGREE_TOR, &sia, &f, NULL),
                     IOM_ECONFLICT);
    assert_int_equal(shown(w, "wy-sio", ref), BIT(IOM_TA_AGREE_TOR) | BIT(IOM_TA_WITHDRAW));
    step(w, 1, "wy-sio", ref, IOM_TA_AGREE_TOR, &agree, IOM_TS_TOR_AGREED);
    step(w, 1, "toex-sia", ref, IOM_TA_START, NULL, IOM_TS_IN_DEVELOPMENT);
    step(w, 1, "toex-sia", ref, IOM_TA_COMPLETE, NULL, IOM_TS_REASSESSMENT);

    /* Reassessment unsigned: neither remain (the SIO) nor request_transfer (the SIA). */
    unsigned sio_now = shown(w, "wy-sio", ref), sia_now = shown(w, "toex-sia", ref);
    assert_true(sio_now & BIT(IOM_TA_REASSESS));
    assert_false(sio_now & BIT(IOM_TA_REMAIN));
    assert_true(sia_now & BIT(IOM_TA_REASSESS));
    assert_false(sia_now & BIT(IOM_TA_REQUEST_TRANSFER));
    iom_assessment_t a;
    as(w, "toex-sia");
    ok(w, app_tasking_reassess(&w->c, ref, national, 0, &a));
    as(w, "wy-sio");
    ok(w, app_tasking_reassess(&w->c, ref, national, 0, &a));
    /* Signed by both: remain and the SIO's agreement to a transfer open to the SIO; the
       transfer request waits on that agreement (review 113 M1), then opens. */
    assert_true(shown(w, "wy-sio", ref) & BIT(IOM_TA_REMAIN));
    assert_true(shown(w, "wy-sio", ref) & BIT(IOM_TA_AGREE_TRANSFER));
    assert_false(shown(w, "toex-sia", ref) & BIT(IOM_TA_REQUEST_TRANSFER));
    assert_false(shown(w, "toex-sia", ref) & BIT(IOM_TA_AGREE_TRANSFER));
    step(w, 0, "wy-sio", ref, IOM_TA_AGREE_TRANSFER, NULL, IOM_TS_REASSESSMENT);
    assert_false(shown(w, "wy-sio", ref) & BIT(IOM_TA_AGREE_TRANSFER)); /* once */
    assert_true(shown(w, "wy-sio", ref) & BIT(IOM_TA_REMAIN));
    assert_true(shown(w, "toex-sia", ref) & BIT(IOM_TA_REQUEST_TRANSFER));
    app_act_input rq = {.reason = "National capability needed"};
    step(w, 1, "toex-sia", ref, IOM_TA_REQUEST_TRANSFER, &rq, IOM_TS_TRANSFER_REQUESTED);
    assert_int_equal(shown(w, "yh-ttcg", ref), BIT(IOM_TA_ESCALATE) | BIT(IOM_TA_DECIDE_TRANSFER));
    assert_int_equal(shown(w, "auditor", ref), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(main_route, setup, teardown),
        cmocka_unit_test_setup_teardown(show_lists_what_the_domain_allows_now, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
