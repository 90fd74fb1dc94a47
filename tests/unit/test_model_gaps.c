/*
 * Issue 12: the operating model without gaps, through the CLI (the built binary) and the API
 * (the server in-process on 127.0.0.1) over one database. Every refusal is checked to change
 * nothing (t_db_fingerprint of the file before and after).
 *
 *   nca_*      point 1: NCA bids are triaged by the Gateway of the region they name; that
 *              region's Gateway and TTCG see them, another region's do not (404); a force bids
 *              on an NCA-owned threat; an NCA-owned threat's transfer request goes to the FTT.
 *   roles_*    point 3: gateway only at the region's Gateway agency (ROCU; London: the Met),
 *              ttcg at a force or ROCU, ftt only at a national agency; the migration takes
 *              the role from users who broke the rule, one audit entry each.
 *              Point 9 rides on it: the APMIS recorder reads the outcome without any reason.
 *   triage_*   point 4: a submitted bid's triage is due the urgency's target in working days
 *              later (weekends and bank holidays skipped), in `tasking show`, the API and the
 *              Gateway's `tasking due`; admins add bank holidays.
 *   milestone_* point 5: the SIA marks a ToR milestone done; `tasking due` stops listing it.
 *   agency_*   points 7-8: no merge or disable while the agency owns threats with live
 *              taskings; disabling ends its users' sessions at once; TOEX is not disabled.
 *   user_disable_* the SIO of an active threat and the SIA of a live tasking are not disabled
 *              before their part is handed over (threat update --sio, tasking reallocate).
 *   threat_marking_* a threat is not marked above a tasking on it (the tasking shows its title).
 *   sio_change_* the SIO who holds the risk agrees: an agreement to the ToR or a signature of
 *              the reassessment made by a former SIO of the threat does not count.
 */
#include "test_cli_support.h"

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
    hw_user(W, "nca-apmis", "nca", "apmis");
    hw_user(W, "wy-sio2", "west-yorkshire", "sio");
    hw_user(W, "toex-sia2", "toex", "sia");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hw_free(W);
    return 0;
}

static json_t *cli_parse(const char *out)
{
    json_error_t je;
    json_t *j = json_loads(out, 0, &je);
    if (!j)
        fprintf(stderr, "not JSON: %s\n", out);
    assert_non_null(j);
    return j;
}

/* cli_parse of a malloc'd output, freed. */
static json_t *cli_parse_take(char *out)
{
    json_t *j = cli_parse(out);
    free(out);
    return j;
}

/* ---- the use-case layer, for the steps a test does not look at ---- */

static const char national[] =
    "{\"harm\":{\"physical\":3,\"psychological\":4,\"financial\":3,\"community\":2,"
    "\"victim_vulnerability\":4},\"scale\":3,\"likelihood\":4,\"confidence\":\"high\","
    "\"capacity\":3,\"capability\":3,\"needs_national_capability\":true,"
    "\"needs_rocu_capability\":false}";

/* From forwarded to in_development, through the use-cases. */
static void to_development(const char *ref, const char *sio)
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
}

/* From forwarded to reassessment signed by both, through the use-cases. */
static void to_reassessment(const char *ref, const char *sio)
{
    to_development(ref, sio);
    act("toex-sia", ref, IOM_TA_COMPLETE, NULL, IOM_TS_REASSESSMENT);
    iom_assessment_t a;
    as("toex-sia");
    hw_ok(W, app_tasking_reassess(&W->c, ref, national, 0, &a));
    as(sio);
    hw_ok(W, app_tasking_reassess(&W->c, ref, national, 0, &a));
    /* the SIO agrees to hand the risk on (its own act: review 113 M1) */
    act(sio, ref, IOM_TA_AGREE_TRANSFER, NULL, IOM_TS_REASSESSMENT);
}

static const char *const BID[] = {"--summary", "Victims moved between regions", "--ftm-date",
                                  "2026-05-28", "--ftm-ref", "FTM-1", "--requirement",
                                  "Who controls it?", "--service", "intel_development"};
#define BID_ARGS BID[0], BID[1], BID[2], BID[3], BID[4], BID[5], BID[6], BID[7], BID[8], BID[9]

/* An NCA-owned threat on the SOC master list; returns its reference (malloc'd). */
static char *nca_threat(const char *title)
{
    static int made; /* each threat its own tasking meeting reference (review 84 L9) */
    char ftm[24];
    snprintf(ftm, sizeof ftm, "NCA-TM-%d", ++made);
    char *out = cli_ok("nca-spoc", "--json", "threat", "add", "--title", title, "--type",
                       "labour", "--owner", "nca", "--sio", "nca-sio", "--force-tasking-ref",
                       ftm, NULL);
    json_t *j = cli_parse(out);
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
    char *out = cli_ok("nca-spoc", "--json", "tasking", "new", "--from-json", t_bid_assessment_file(), "--threat", threat, BID_ARGS,
                       "--region", "east-midlands", NULL);
    json_t *t = cli_parse(out);
    free(out);
    const char *ref = json_string_value(json_object_get(t, "ref"));
    assert_string_equal(json_string_value(json_object_get(t, "requesting_region")),
                        "east-midlands");
    /* at the use-cases' clock, as the ToR after it: a ToR starts no earlier than the bid's
       submission (review 113 L4) */
    act("nca-spoc", ref, IOM_TA_SUBMIT, NULL, IOM_TS_SUBMITTED);

    /* The named region's Gateway and TTCG see it; another region's do not (CLI and API). */
    char *path = t_fmt("/api/v1/taskings/%s", ref);
    api_get("em-gateway", path, 200);
    api_get("em-ttcg", path, 200);
    api_get("yh-gateway", path, 404);
    api_get("yh-ttcg", path, 404);
    cli_refused(EX_NOTFOUND, "not found", "yh-gateway", "tasking", "show", ref, NULL);
    /* review 113 L8: the NCA is national; its bid is triaged in the region it named */
    out = cli_ok("em-ttcg", "tasking", "show", ref, NULL);
    assert_non_null(strstr(out, "requested by: nca (national; triaged in east-midlands), spoc nca-spoc"));
    free(out);
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

    /* The NCA owns the threat and has no region: the transfer goes to the TTCG of the bid's
       region (the one whose Gateway triaged it), which decides within its region or escalates
       to the FTT; never straight to the FTT (review 113 L2: "Risk transfer happens only
       through the regional TTCG"). */
    to_reassessment(ref, "nca-sio");
    hw_login(W, "toex-sia");
    char *rq = t_fmt("/api/v1/taskings/%s/request_transfer", ref);
    r = hw_as(W, "POST", rq, NULL, "{\"reason\":\"Needs a national owner's decision\"}");
    hw_expect(&r, 200);
    assert_string_equal(jstr(&r, "state"), "transfer_requested");
    assert_true(json_is_false(json_object_get(r.json, "escalated_ftt")));
    hresp_free(&r);
    free(rq);
    /* not escalated (yet): the FTT (here of the NCA, which owns the threat and so sees it) does
       not decide it */
    cli_refused(EX_FORBIDDEN, "action 'decide_transfer' in state 'transfer_requested': role not allowed",
                "nca-ftt", "transfer", "decide", ref, "--decline", "--reason", "not yet ours", NULL);
    cli_refused(EX_NOTFOUND, "not found", "yh-ttcg", "transfer", "decide", ref,
                "--decline", "--reason", "not ours", NULL);
    out = cli_ok("em-ttcg", "--json", "tasking", "actions", ref, NULL);
    assert_non_null(strstr(out, "\"escalate\""));
    assert_non_null(strstr(out, "\"decide_transfer\""));
    free(out);
    out = cli_ok("em-ttcg", "--json", "tasking", "queue", NULL);
    assert_non_null(strstr(out, ref));
    free(out);
    /* it waits on that TTCG: its only user is not disabled before another is added */
    cli_refused(EX_CONFLICT, "user 'em-ttcg' is the last enabled ttcg cleared to act on tasking", "admin",
                "user", "disable", "em-ttcg", NULL);
    /* the bid region's TTCG moves ownership only within its region */
    cli_refused(EX_FORBIDDEN, "new owner is outside the TTCG's region", "em-ttcg", "transfer", "decide",
                ref, "--accept", "--owner", "west-yorkshire", "--sio", "wy-sio2", "--reason", "not ours", NULL);
    free(cli_ok("em-ttcg", "transfer", "escalate", ref, "--rationale",
                "National ownership is the FTT's to decide", NULL));
    api_get("nca-ftt", path, 200);
    free(cli_ok("nca-ftt", "transfer", "decide", ref, "--decline", "--reason",
                "The NCA keeps it", NULL));

    /* Point 9: the APMIS recorder sees the outcome, never a reason or rationale. */
    const char *views[] = {"", "/history", "/transfer"};
    for (size_t i = 0; i < 3; i++) {
        char *p = t_fmt("%s%s", path, views[i]);
        hw_login(W, "nca-apmis");
        hresp a = hw_as(W, "GET", p, NULL, NULL);
        hw_expect(&a, 200);
        if (strstr(a.body, "national owner's decision"))
            fprintf(stderr, "%s shows the rationale: %s\n", p, a.body);
        assert_null(strstr(a.body, "national owner's decision"));
        assert_null(strstr(a.body, "The NCA keeps it"));
        hresp_free(&a);
        free(p);
    }
    hw_login(W, "nca-ftt");
    hresp a = hw_as(W, "GET", path, NULL, NULL);
    assert_non_null(strstr(a.body, "The NCA keeps it")); /* the FTT sees its own decision */
    hresp_free(&a);
    out = cli_ok("nca-apmis", "tasking", "history", ref, NULL);
    assert_null(strstr(out, "The NCA keeps it"));
    assert_non_null(strstr(out, "closed"));
    free(out);
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
    char *out = cli_ok("wy-spoc", "--json", "tasking", "new", "--from-json", t_bid_assessment_file(), "--threat", threat, BID_ARGS, NULL);
    json_t *t = cli_parse(out);
    free(out);
    assert_string_equal(json_string_value(json_object_get(t, "requesting_region")),
                        "yorkshire-humber");
    assert_string_equal(json_string_value(json_object_get(t, "owner")), "nca");
    json_decref(t);
    free(threat);
}

static void roles_where_they_belong(void **state)
{
    (void)state;
    cli_refused(EX_INVAL, "'gateway' is held only by users of the region's Gateway agency", "admin",
                "user", "add", "wy-gateway", "--agency", "west-yorkshire", "--role", "gateway", "--clearance", "OFFICIAL",
                NULL);
    cli_refused(EX_INVAL, "role: 'ftt'", "admin", "user", "add", "yh-ftt", "--agency", "yhrocu",
                "--role", "ftt", "--clearance", "OFFICIAL", NULL);
    cli_refused(EX_INVAL, "role: 'ftt'", "admin", "user", "add", "met-ftt", "--agency", "met",
                "--role", "ftt", "--clearance", "OFFICIAL", NULL);
    free(cli_ok("admin", "user", "add", "met-gw", "--agency", "met", "--role", "gateway", "--clearance", "OFFICIAL", NULL));
    free(cli_ok("admin", "user", "add", "wy-ttcg", "--agency", "west-yorkshire", "--role", "ttcg", "--clearance", "OFFICIAL",
                NULL));
    free(cli_ok("admin", "user", "add", "ersou-gw", "--agency", "ersou", "--role", "gateway", "--clearance", "OFFICIAL",
                NULL));
    /* The API refuses the same, naming the rule, and changes nothing. */
    hw_login(W, "admin");
    char *before = t_db_fingerprint(W->db);
    hresp r = hw_as(W, "POST", "/api/v1/users", NULL,
                    "{\"name\":\"kent-gw\",\"agency\":\"kent\",\"roles\":[\"gateway\"],"
                    "\"clearance\":\"OFFICIAL\"}");
    char *after = t_db_fingerprint(W->db);
    assert_string_equal(before, after);
    free(before);
    free(after);
    hw_expect_problem(&r, 400, "Gateway agency");
    /* The schema holds the rule too, whatever code writes the file. */
    assert_int_not_equal(t_db_exec(W->db, "UPDATE user SET roles = roles | 8 WHERE name = "
                                          "'wy-spoc'"), 0);
    assert_int_not_equal(t_db_exec(W->db, "UPDATE user SET roles = roles | 2048 WHERE name = "
                                          "'yh-gateway'"), 0);
}

/* A database of schema 7 where a force user is a Gateway and a ROCU user sits on the FTT:
   `iom migrate` takes the roles away (disabling a user left with none) with an audit entry
   each, and the chain still verifies. */
static void roles_migration_fixes_and_audits(void **state)
{
    (void)state;
    if (t_pg()) { /* PostgreSQL starts at schema 15: no database of schema 7 exists there */
        print_message("skipped on PostgreSQL: migration 8 runs on SQLite databases only\n");
        skip();
    }
    char *dir = t_tmpdir();
    char *db = t_make_db(dir);
    assert_int_equal(t_db_exec(db, T_UNDO_MIGRATION_8
                                   "UPDATE user SET roles = roles | 8 WHERE name = 'wy-spoc';"
                                   "UPDATE user SET roles = 2048 WHERE name = 'yh-sio';"
                                   "PRAGMA user_version = 7;"),
                     0);
    t_result r = t_runv(NULL, "--db", db, "migrate", NULL);
    if (r.status)
        fprintf(stderr, "%s%s", r.out, r.err);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "audited 2 changes"));
    t_result_free(&r);
    assert_int_equal(t_db_scalar(db, "SELECT roles & 8 FROM user WHERE name = 'wy-spoc'"), 0);
    assert_int_equal(t_db_scalar(db, "SELECT roles & 1 FROM user WHERE name = 'wy-spoc'"), 1);
    assert_int_equal(t_db_scalar(db, "SELECT disabled FROM user WHERE name = 'yh-sio'"), 1);
    r = t_runv(NULL, "--db", db, "--as", "auditor", "--json", "audit", "log", "--object",
               "wy-spoc", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "user.role_rule"));
    assert_non_null(strstr(r.out, "gateway"));
    t_result_free(&r);
    r = t_runv(NULL, "--db", db, "--as", "auditor", "--json", "audit", "log", "--object",
               "yh-sio", NULL);
    assert_non_null(strstr(r.out, "user.role_rule"));
    t_result_free(&r);
    r = t_runv(NULL, "--db", db, "--as", "auditor", "audit", "verify", NULL);
    assert_int_equal(r.status, 0);
    t_result_free(&r);
    /* Run again: nothing more to audit. */
    r = t_runv(NULL, "--db", db, "migrate", NULL);
    assert_int_equal(r.status, 0);
    assert_null(strstr(r.out, "audited"));
    t_result_free(&r);
    free(db);
    t_tmpdir_free(dir);
}

static void agency_refusals_with_live_taskings(void **state)
{
    (void)state;
    /* A draft bid on the west-yorkshire threat: a live tasking. */
    char *out = cli_ok("wy-spoc", "--json", "tasking", "new", "--from-json", t_bid_assessment_file(), "--threat", W->threat, BID_ARGS,
                       NULL);
    json_t *t = cli_parse(out);
    free(out);
    const char *ref = json_string_value(json_object_get(t, "ref"));
    cli_refused(EX_CONFLICT, ref, "admin", "agency", "merge", "west-yorkshire", "--into",
                "south-yorkshire", "--reason", "Amalgamation", NULL);
    cli_refused(EX_CONFLICT, "taskings that have not ended", "admin", "agency", "disable",
                "west-yorkshire", NULL);
    cli_refused(EX_INVAL, "'toex' is TOEX", "admin", "agency", "disable", "toex", NULL);
    hw_login(W, "admin");
    char *before = t_db_fingerprint(W->db);
    hresp r = hw_as(W, "POST", "/api/v1/agencies/west-yorkshire/disable", NULL, "{}");
    char *after = t_db_fingerprint(W->db);
    assert_string_equal(before, after);
    free(before);
    free(after);
    hw_expect_problem(&r, 409, "ownership changes only by a recorded decision");
    json_decref(t);
}

static void agency_disable_ends_sessions(void **state)
{
    (void)state;
    hw_user(W, "cl-spoc", "city-of-london", "spoc");
    hw_login(W, "cl-spoc");
    char old_cookie[300]; /* the cookie and its CSRF token */
    snprintf(old_cookie, sizeof old_cookie, "%s%s", W->cookie, W->csrf);
    hresp r = hw_as(W, "GET", "/api/v1/me", NULL, NULL);
    hw_expect(&r, 200);
    hresp_free(&r);
    free(cli_ok("admin", "agency", "disable", "city-of-london", NULL));
    /* The session made before is refused at once; signing in again is refused too. */
    r = hw_req(W, "GET", "/api/v1/me", old_cookie, NULL);
    hw_expect(&r, 401);
    hresp_free(&r);
    char *body = t_fmt("{\"username\":\"cl-spoc\",\"password\":\"%s\"}", PASSWORD);
    r = hw_req(W, "POST", "/api/v1/session", NULL, body);
    free(body);
    hw_expect(&r, 401);
    hresp_free(&r);
    cli_refused(10, "agency 'city-of-london' is disabled", "cl-spoc", "threat", "list", NULL);
}

/* A new West Yorkshire threat and a draft bid on it, through the CLI: the tasking's JSON. */
static json_t *wy_draft(const char *title, const char *urgency)
{
    static int made; /* each threat its own tasking meeting reference (review 84 L9) */
    char ftm[24];
    snprintf(ftm, sizeof ftm, "WY-FTM-9.%d", ++made);
    char *out = cli_ok("wy-spoc", "--json", "threat", "add", "--title", title, "--type",
                       "labour", "--owner", "west-yorkshire", "--sio", "wy-sio",
                       "--force-tasking-ref", ftm, NULL);
    json_t *th = cli_parse(out);
    free(out);
    out = cli_ok("wy-spoc", "--json", "tasking", "new", "--from-json", t_bid_assessment_file(), "--threat",
                 json_string_value(json_object_get(th, "ref")), BID_ARGS, "--urgency", urgency,
                 NULL);
    json_decref(th);
    json_t *t = cli_parse(out);
    free(out);
    return t;
}

static void milestone_done(void **state)
{
    (void)state;
    char *out;
    json_t *t = wy_draft("Nail bars", "routine");
    const char *ref = json_string_value(json_object_get(t, "ref"));
    /* at the use-cases' clock, as the ToR after it: a ToR starts no earlier than the bid's
       submission (review 113 L4) */
    act("wy-spoc", ref, IOM_TA_SUBMIT, NULL, IOM_TS_SUBMITTED);
    free(cli_ok("yh-gateway", "tasking", "forward", ref, NULL));
    to_development(ref, "wy-sio");
    /* Overdue (the CLI's clock is today's; the milestone was due on 2026-07-15). */
    out = cli_ok("toex-sia", "--json", "tasking", "due", NULL);
    assert_non_null(strstr(out, ref));
    assert_non_null(strstr(out, "Network mapped"));
    assert_non_null(strstr(out, "\"whose\": \"sia\""));
    assert_non_null(strstr(out, "\"yours\": true"));
    free(out);
    /* review 113 L8: only what the reader's role acts on; --all the rest, marked whose it is */
    out = cli_ok("wy-sio", "--json", "tasking", "due", NULL);
    assert_null(strstr(out, ref));
    free(out);
    out = cli_ok("yh-gateway", "tasking", "due", NULL);
    assert_null(strstr(out, ref));
    free(out);
    out = cli_ok("wy-sio", "--json", "tasking", "due", "--all", NULL);
    assert_non_null(strstr(out, "Network mapped"));
    assert_non_null(strstr(out, "\"whose\": \"sia\""));
    assert_non_null(strstr(out, "\"yours\": false"));
    free(out);
    out = cli_ok("yh-gateway", "tasking", "due", "--all", NULL);
    assert_non_null(strstr(out, "WHOSE"));
    assert_non_null(strstr(out, "OVERDUE  the SIA's"));
    free(out);
    cli_refused(EX_INVAL, "milestone: 'Victims found'", "toex-sia", "tor", "milestone-done", ref,
                "--milestone", "Victims found", NULL);
    cli_refused(EX_FORBIDDEN, "only the tasking's SIA", "wy-sio", "tor", "milestone-done", ref,
                "--milestone", "Network mapped", NULL);
    /* Through the API, as the SIA. */
    hw_login(W, "toex-sia");
    char *path = t_fmt("/api/v1/taskings/%s/milestones-done", ref);
    hresp r = hw_as(W, "POST", path, NULL, "{\"milestone\":\"Network mapped\"}");
    hw_expect(&r, 200);
    json_t *done = json_object_get(r.json, "milestones_done");
    assert_int_equal(json_array_size(done), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(done, 0), "name")),
                        "Network mapped");
    assert_string_equal(json_string_value(json_object_get(json_array_get(done, 0), "by")),
                        "toex-sia");
    hresp_free(&r);
    char *before = t_db_fingerprint(W->db);
    r = hw_as(W, "POST", path, NULL, "{\"milestone\":\"Network mapped\"}");
    char *after = t_db_fingerprint(W->db);
    assert_string_equal(before, after);
    free(before);
    free(after);
    hw_expect_problem(&r, 409, "already marked done");
    free(path);
    /* No longer due; the ToR shows it done; the audit trail has it. */
    out = cli_ok("toex-sia", "--json", "tasking", "due", NULL);
    assert_null(strstr(out, "Network mapped"));
    free(out);
    out = cli_ok("wy-sio", "--json", "tor", "show", ref, NULL);
    assert_non_null(strstr(out, "\"milestones_done\""));
    assert_non_null(strstr(out, "toex-sia"));
    free(out);
    out = cli_ok("auditor", "--json", "audit", "log", "--object", ref, NULL);
    assert_non_null(strstr(out, "tasking.milestone_done"));
    free(out);
    json_decref(t);
}

/* Review 102 M3: a ToR's text is composed (NFC) as every text is, escaped characters too, so
   a milestone named with a combining accent is marked done by its name typed either way,
   and the same ToR sent again the other way is no new version. */
static void milestone_typed_two_ways(void **state)
{
    (void)state;
    json_t *t = wy_draft("Nail bars, accents", "routine");
    const char *ref = json_string_value(json_object_get(t, "ref"));
    /* at the use-cases' clock, as the ToR after it: a ToR starts no earlier than the bid's
       submission (review 113 L4) */
    act("wy-spoc", ref, IOM_TA_SUBMIT, NULL, IOM_TS_SUBMITTED);
    free(cli_ok("yh-gateway", "tasking", "forward", ref, NULL));
    app_act_input acc = {.sia = "toex-sia"};
    act("toex-manager", ref, IOM_TA_ACCEPT, &acc, IOM_TS_ACCEPTED);
    hw_login(W, "toex-sia");
    char *path = t_fmt("/api/v1/taskings/%s/tor", ref);
    /* "Cafe" + U+0301, as a JSON escape (what a client that writes ASCII JSON sends) */
    const char *doc = "{\"services\":[\"intel_development\"],\"start_date\":\"2026-06-10\","
                      "\"end_date\":\"2026-09-30\",\"milestones\":[{\"name\":\"Cafe\\u0301 visits\","
                      "\"due\":\"2026-07-15\"}],\"products\":[],\"objectives\":[\"Who runs it\"]}";
    hresp r = hw_as(W, "POST", path, NULL, doc);
    hw_expect(&r, 201);
    int64_t v1 = json_integer_value(json_object_get(r.json, "version"));
    hresp_free(&r);
    /* the same ToR composed: no new version */
    const char *same = "{\"services\":[\"intel_development\"],\"start_date\":\"2026-06-10\","
                       "\"end_date\":\"2026-09-30\",\"milestones\":[{\"name\":\"Caf\xc3\xa9 visits\","
                       "\"due\":\"2026-07-15\"}],\"products\":[],\"objectives\":[\"Who runs it\"]}";
    r = hw_as(W, "POST", path, NULL, same);
    if (r.status == 201)
        assert_int_equal(json_integer_value(json_object_get(r.json, "version")), v1);
    hresp_free(&r);
    free(path);
    app_act_input agree = {.tor_version = (int)v1};
    act("toex-sia", ref, IOM_TA_AGREE_TOR, &agree, IOM_TS_ACCEPTED);
    act("wy-sio", ref, IOM_TA_AGREE_TOR, &agree, IOM_TS_TOR_AGREED);
    act("toex-sia", ref, IOM_TA_START, NULL, IOM_TS_IN_DEVELOPMENT);
    /* marked done by its name typed composed (the CLI), the stored name composed too */
    free(cli_ok("toex-sia", "tor", "milestone-done", ref, "--milestone", "Caf\xc3\xa9 visits", NULL));
    char *out = cli_ok("wy-sio", "--json", "tor", "show", ref, NULL);
    assert_non_null(strstr(out, "Caf\xc3\xa9 visits"));
    assert_null(strstr(out, "Cafe\xcc\x81"));
    free(out);
    json_decref(t);
}

/* A new West Yorkshire bid (wy_draft) submitted, forwarded and accepted with `sia`. */
static json_t *wy_accepted(const char *title, const char *sia)
{
    json_t *t = wy_draft(title, "routine");
    const char *ref = json_string_value(json_object_get(t, "ref"));
    /* at the use-cases' clock, as the ToR after it: a ToR starts no earlier than the bid's
       submission (review 113 L4) */
    act("wy-spoc", ref, IOM_TA_SUBMIT, NULL, IOM_TS_SUBMITTED);
    free(cli_ok("yh-gateway", "tasking", "forward", ref, NULL));
    app_act_input acc = {.sia = sia};
    act("toex-manager", ref, IOM_TA_ACCEPT, &acc, IOM_TS_ACCEPTED);
    return t;
}

/* A refused act: the error code and a phrase of its message; nothing changes. */
static void act_refused(const char *user, const char *ref, iom_tasking_action a, const app_act_input *in,
                        iom_err want, const char *phrase)
{
    as(user);
    iom_tasking_t t;
    char *before = t_db_fingerprint(W->db);
    iom_err err = app_tasking_act(&W->c, ref, a, in, 0, &t);
    char *after = t_db_fingerprint(W->db);
    if (err != want || !strstr(W->c.err.msg, phrase))
        fprintf(stderr, "act_refused: got %d '%s'\n", (int)err, W->c.err.msg);
    assert_int_equal(err, want);
    assert_non_null(strstr(W->c.err.msg, phrase));
    assert_string_equal(before, after);
    free(before);
    free(after);
    iom_error_clear(&W->c.err);
}

static void user_disable_hands_over_first(void **state)
{
    (void)state;
    json_t *t = wy_accepted("Seasonal pickers", "toex-sia2");
    const char *ref = json_string_value(json_object_get(t, "ref"));
    const char *threat = json_string_value(json_object_get(t, "threat"));
    free(cli_ok("wy-spoc", "threat", "update", threat, "--sio", "wy-sio2", "--reason", "r", NULL));
    cli_refused(EX_CONFLICT, "is the SIO of threat", "admin", "user", "disable", "wy-sio2", NULL);
    cli_refused(EX_CONFLICT, "is the SIA of tasking", "admin", "user", "disable", "toex-sia2", NULL);
    /* only a toex_manager reallocates, to an enabled TOEX SIA */
    cli_refused(EX_FORBIDDEN, "only a toex_manager", "toex-sia2", "tasking", "reallocate", ref, "--sia",
                "toex-sia", "--reason", "Handing over", NULL);
    cli_refused(EX_INVAL, "not an enabled TOEX user with the sia role", "toex-manager", "tasking",
                "reallocate", ref, "--sia", "wy-sio", "--reason", "Wrong user", NULL);
    char *out = cli_ok("toex-manager", "--json", "tasking", "reallocate", ref, "--sia", "toex-sia",
                       "--reason", "toex-sia2 leaves TOEX", NULL);
    assert_non_null(strstr(out, "\"sia\": \"toex-sia\""));
    free(out);
    free(cli_ok("wy-spoc", "threat", "update", threat, "--sio", "wy-sio", "--reason", "r", NULL));
    free(cli_ok("admin", "user", "disable", "toex-sia2", NULL));
    free(cli_ok("admin", "user", "disable", "wy-sio2", NULL));
    json_decref(t);
}

/* Review 84 L12: an SIA reallocated while the tasking is `accepted` stayed on the team (and
   read its content) until the ToR was agreed, `unassign` being refused 409 before then. The
   manager takes the former SIA off at once; the SIA in post stays. */
static void reallocated_sia_leaves_the_team_at_once(void **state)
{
    (void)state;
    free(cli_ok("admin", "user", "add", "toex-sia3", "--agency", "toex", "--role", "sia", "--clearance",
                "OFFICIAL-SENSITIVE", NULL));
    json_t *t = wy_accepted("Roadside car wash", "toex-sia3");
    const char *ref = json_string_value(json_object_get(t, "ref"));
    free(cli_ok("toex-manager", "tasking", "reallocate", ref, "--sia", "toex-sia", "--reason",
                "toex-sia3 moves to another team", NULL));
    char *out = cli_ok("toex-manager", "--json", "tasking", "unassign", ref, "--user", "toex-sia3", NULL);
    json_t *v = cli_parse(out);
    assert_string_equal(json_string_value(json_object_get(v, "state")), "accepted");
    json_decref(v);
    free(out);
    out = cli_ok("toex-manager", "--json", "tasking", "show", ref, NULL);
    v = cli_parse(out);
    json_t *team = json_object_get(v, "team");
    char *names = json_dumps(team, 0);
    assert_null(strstr(names, "toex-sia3"));
    assert_non_null(strstr(names, "\"toex-sia\""));
    free(names);
    json_decref(v);
    free(out);
    cli_refused(EX_NOTFOUND, "not found", "toex-sia3", "tasking", "show", ref, NULL);
    cli_refused(EX_CONFLICT, "is the tasking's SIA and stays on the team", "toex-manager", "tasking",
                "unassign", ref, "--user", "toex-sia", NULL);
    free(cli_ok("admin", "user", "disable", "toex-sia3", NULL));
    json_decref(t);
}

/* The number of read-log entries naming `ref` with the action `action` (NULL: every one but
   the refused attempts, which read nothing). */
static size_t entries_of(const char *ref, const char *action)
{
    char *out = cli_ok("auditor", "--json", "audit", "reads", "--object", ref, "--limit", "1000", NULL);
    json_t *j = cli_parse(out);
    size_t n = 0, i;
    json_t *e;
    json_array_foreach(json_object_get(j, "items"), i, e)
    {
        const char *a = json_string_value(json_object_get(e, "action"));
        n += action ? strcmp(a, action) == 0 : strcmp(a, "access.refused") != 0;
    }
    json_decref(j);
    free(out);
    return n;
}

static size_t reads_of(const char *ref) { return entries_of(ref, NULL); }

/* Review 84 L12: `tasking transfer` of a tasking with no transfer is not found and shows
   nothing of the tasking, so it logs no read (it wrote a `tasking.read`); the tasking's own
   view is logged as before. */
static void no_transfer_logs_no_read(void **state)
{
    (void)state;
    json_t *t = wy_accepted("Market stall debt", "toex-sia");
    const char *ref = json_string_value(json_object_get(t, "ref"));
    size_t before = reads_of(ref);
    size_t refusals = entries_of(ref, "access.refused");
    cli_refused(EX_NOTFOUND, "has no transfer", "toex-sia", "tasking", "transfer", ref, NULL);
    assert_int_equal(reads_of(ref), before);
    assert_int_equal(entries_of(ref, "access.refused"), refusals + 1); /* the attempt (81 L7) */
    free(cli_ok("toex-sia", "--json", "tasking", "show", ref, NULL));
    assert_int_equal(reads_of(ref), before + 1);
    json_decref(t);
}

static void threat_marking_not_above_its_taskings(void **state)
{
    (void)state;
    json_t *t = wy_draft("Hostel rota", "routine");
    const char *ref = json_string_value(json_object_get(t, "ref"));
    const char *threat = json_string_value(json_object_get(t, "threat"));
    assert_string_equal(json_string_value(json_object_get(t, "marking")), "OFFICIAL");
    char *before = t_db_fingerprint(W->db);
    cli_refused(EX_CONFLICT, "is not marked above its taskings", "wy-spoc", "threat", "update", threat,
                "--marking", "OFFICIAL-SENSITIVE", NULL);
    char *after = t_db_fingerprint(W->db);
    assert_string_equal(before, after);
    free(before);
    free(after);
    char *out = cli_ok("wy-spoc", "--json", "threat", "show", threat, NULL);
    assert_non_null(strstr(out, "\"OFFICIAL\""));
    assert_non_null(strstr(out, threat));
    free(out);
    (void)ref;
    json_decref(t);
}

static void sio_change_needs_the_new_sio(void **state)
{
    (void)state;
    json_t *t = wy_accepted("Agency debt bondage", "toex-sia");
    const char *ref = json_string_value(json_object_get(t, "ref"));
    const char *threat = json_string_value(json_object_get(t, "threat"));
    as("toex-sia");
    iom_tor_t tor;
    hw_ok(W, app_tor_propose(&W->c, ref, tor_doc, 0, &tor));
    app_act_input agree = {.tor_version = tor.version};
    /* The SIO agrees, then the threat's SIO changes: the SIA's agreement does not complete it. */
    act("wy-sio", ref, IOM_TA_AGREE_TOR, &agree, IOM_TS_ACCEPTED);
    free(cli_ok("wy-spoc", "threat", "update", threat, "--sio", "wy-sio2", "--reason", "r", NULL));
    act("toex-sia", ref, IOM_TA_AGREE_TOR, &agree, IOM_TS_ACCEPTED);
    act_refused("wy-sio", ref, IOM_TA_AGREE_TOR, &agree, IOM_EFORBIDDEN, "agree_tor");
    act("wy-sio2", ref, IOM_TA_AGREE_TOR, &agree, IOM_TS_TOR_AGREED);
    act_refused("wy-sio2", ref, IOM_TA_AGREE_TOR, &agree, IOM_ECONFLICT, "already");
    char *out = cli_ok("wy-sio2", "--json", "tor", "show", ref, NULL);
    assert_non_null(strstr(out, "wy-sio2"));
    free(out);
    /* The reassessment: signed by the SIA and wy-sio2; the SIO changes back to wy-sio, whose
       decision needs its own signature. */
    act("toex-sia", ref, IOM_TA_START, NULL, IOM_TS_IN_DEVELOPMENT);
    act("toex-sia", ref, IOM_TA_COMPLETE, NULL, IOM_TS_REASSESSMENT);
    iom_assessment_t a;
    as("toex-sia");
    hw_ok(W, app_tasking_reassess(&W->c, ref, national, 0, &a));
    as("wy-sio2");
    hw_ok(W, app_tasking_reassess(&W->c, ref, national, 0, &a));
    free(cli_ok("wy-spoc", "threat", "update", threat, "--sio", "wy-sio", "--reason", "r", NULL));
    act_refused("wy-sio", ref, IOM_TA_REMAIN, NULL, IOM_ECONFLICT, "assessment");
    as("wy-sio");
    hw_ok(W, app_tasking_reassess(&W->c, ref, national, 0, &a));
    as("wy-sio");
    iom_err again = app_tasking_reassess(&W->c, ref, national, 0, &a);
    assert_int_equal(again, IOM_ECONFLICT);
    iom_error_clear(&W->c.err);
    act("wy-sio", ref, IOM_TA_REMAIN, NULL, IOM_TS_CLOSED);
    json_decref(t);
}

static void triage_due_in_working_days(void **state)
{
    (void)state;
    char *out;
    json_t *t = wy_draft("Car washes", "urgent");
    const char *ref = json_string_value(json_object_get(t, "ref"));
    assert_true(json_is_null(json_object_get(t, "triage_due"))); /* a draft has none */
    /* Submitted on Friday 28 August 2026: one working day later is Tuesday 1 September, the
       Monday being the Summer bank holiday. */
    atomic_store(&W->now, 1787907600); /* 2026-08-28T09:00:00Z */
    hw_login(W, "wy-spoc");
    char *path = t_fmt("/api/v1/taskings/%s/submit", ref);
    hresp r = hw_as(W, "POST", path, NULL, "{}");
    hw_expect(&r, 200);
    assert_string_equal(jstr(&r, "triage_due"), "2026-09-01");
    hresp_free(&r);
    free(path);
    out = cli_ok("yh-gateway", "tasking", "show", ref, NULL);
    assert_non_null(strstr(out, "triage due: 2026-09-01 (1 working days for urgent)"));
    free(out);
    /* The Gateway's due list (API, on the injected clock: four days left) and CLI. */
    hw_login(W, "yh-gateway");
    r = hw_as(W, "GET", "/api/v1/taskings/due?days=7", NULL, NULL);
    hw_expect(&r, 200);
    bool found = false;
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(r.json, "items"), i, it) {
        if (strcmp(json_string_value(json_object_get(it, "tasking")), ref) == 0) {
            found = true;
            assert_string_equal(json_string_value(json_object_get(it, "kind")), "triage");
            assert_string_equal(json_string_value(json_object_get(it, "due")), "2026-09-01");
            assert_int_equal(json_integer_value(json_object_get(it, "days_left")), 4);
        }
    }
    assert_true(found);
    hresp_free(&r);
    /* A later change of the targets applies to bids submitted after it, not to this one. */
    free(cli_ok("admin", "settings", "set", "triage.target_days", "--value",
                "{\"routine\":10,\"priority\":5,\"urgent\":3}", "--reason",
                "Gateway staffing", NULL));
    out = cli_ok("yh-gateway", "--json", "tasking", "show", ref, NULL);
    assert_non_null(strstr(out, "\"triage_due\": \"2026-09-01\""));
    free(out);
    /* Not the SPOC's to triage: not in their due list. */
    out = cli_ok("wy-spoc", "--json", "tasking", "due", NULL);
    assert_null(strstr(out, ref));
    free(out);
    atomic_store(&W->now, T0);

    /* Bank holidays: listed, and an admin adds one (audited); others may not. */
    out = cli_ok("wy-spoc", "--json", "holiday", "list", "--year", "2022", NULL);
    assert_non_null(strstr(out, "2022-09-19"));
    assert_null(strstr(out, "2023-"));
    free(out);
    cli_refused(EX_FORBIDDEN, "holiday add", "wy-spoc", "holiday", "add", "2031-01-01", "--name",
                "New Year's Day", NULL);
    cli_refused(EX_INVAL, "day:", "admin", "holiday", "add", "2031-02-30", "--name", "Nothing",
                NULL);
    free(cli_ok("admin", "holiday", "add", "2031-01-01", "--name", "New Year's Day", NULL));
    cli_refused(EX_CONFLICT, "already a bank holiday", "admin", "holiday", "add", "2031-01-01",
                "--name", "Again", NULL);
    out = cli_ok("auditor", "--json", "audit", "log", "--object", "2031-01-01", NULL);
    assert_non_null(strstr(out, "holiday.add"));
    free(out);
    /* Review 97 L5: a weekend is no holiday (working days skip it already); a day added by
       mistake moves the bid's triage due day, and removing it (audited, with its reason) moves
       it back */
    cli_refused(EX_INVAL, "is a Saturday", "admin", "holiday", "add", "2031-01-04", "--name", "Typo", NULL);
    /* review 100 L4: nor a day before 2000, as every other date iom keeps */
    cli_refused(EX_INVAL, "before 2000-01-01", "admin", "holiday", "add", "1999-12-13", "--name", "Old", NULL);
    free(cli_ok("admin", "holiday", "add", "2026-09-01", "--name", "A mistyped day", NULL));
    out = cli_ok("yh-gateway", "--json", "tasking", "show", ref, NULL);
    assert_non_null(strstr(out, "\"triage_due\": \"2026-09-02\""));
    free(out);
    cli_refused(EX_FORBIDDEN, "holiday remove", "wy-spoc", "holiday", "remove", "2026-09-01", NULL);
    free(cli_ok("admin", "holiday", "remove", "2026-09-01", "--reason", "added by mistake", NULL));
    out = cli_ok("yh-gateway", "--json", "tasking", "show", ref, NULL);
    assert_non_null(strstr(out, "\"triage_due\": \"2026-09-01\""));
    free(out);
    cli_refused(EX_NOTFOUND, "is not a bank holiday", "admin", "holiday", "remove", "2026-09-01", NULL);
    cli_refused(EX_INVAL, "day:", "admin", "holiday", "remove", "2026-13-01", NULL);
    out = cli_ok("auditor", "--json", "audit", "log", "--object", "2026-09-01", NULL);
    assert_non_null(strstr(out, "holiday.remove"));
    assert_non_null(strstr(out, "added by mistake"));
    free(out);
    json_decref(t);
}

/* Review 88 M1: a decision's reason is the side's that took it: after a transfer the former
   owner, who wrote the reason for changing its SIO, still reads it, and the new owner's users
   (and its new SIO) do not; the SIO that decision named reads it too. */
static void threat_reasons_follow_the_decision(void **state)
{
    (void)state;
    hw_user(W, "yh-sio3", "yhrocu", "sio");
    hw_user(W, "yh-spoc3", "yhrocu", "spoc");
    json_t *th = cli_parse_take(cli_ok("wy-spoc", "--json", "threat", "add", "--title", "Farm gangmaster",
                                       "--type", "labour", "--owner", "west-yorkshire", "--sio", "wy-sio",
                                       "--force-tasking-ref", "WY-FTM-88", NULL));
    char *soc = strdup(json_string_value(json_object_get(th, "ref")));
    json_decref(th);
    free(cli_ok("wy-spoc", "threat", "update", soc, "--sio", "wy-sio2", "--reason",
                "DI Smith suspended pending a misconduct inquiry", NULL));
    json_t *t = cli_parse_take(cli_ok("wy-spoc", "--json", "tasking", "new", "--from-json", t_bid_assessment_file(), "--threat", soc, BID_ARGS, NULL));
    char *ref = strdup(json_string_value(json_object_get(t, "ref")));
    json_decref(t);
    /* at the use-cases' clock, as the ToR after it: a ToR starts no earlier than the bid's
       submission (review 113 L4) */
    act("wy-spoc", ref, IOM_TA_SUBMIT, NULL, IOM_TS_SUBMITTED);
    free(cli_ok("yh-gateway", "tasking", "forward", ref, NULL));
    to_reassessment(ref, "wy-sio2");
    app_act_input req = {.reason = "The network spans the region"};
    act("toex-sia", ref, IOM_TA_REQUEST_TRANSFER, &req, IOM_TS_TRANSFER_REQUESTED);
    app_act_input dec = {.reason = "The ROCU takes it", .accept = true, .new_owner = "yhrocu",
                         .new_sio = "yh-sio3"};
    act("yh-ttcg", ref, IOM_TA_DECIDE_TRANSFER, &dec, IOM_TS_CLOSED);
    const char *readers[] = {"wy-spoc", "wy-sio2", "auditor", "yh-spoc3", "yh-sio3"};
    const bool sees[] = {true, true, true, false, false};
    for (size_t i = 0; i < 5; i++) {
        json_t *h = cli_parse_take(cli_ok(readers[i], "--json", "threat", "history", soc, NULL));
        json_t *ch = json_array_get(json_object_get(h, "history"), 1);
        assert_string_equal(json_string_value(json_object_get(ch, "decision")), "sio_changed");
        const char *why = json_string_value(json_object_get(ch, "reason"));
        if (sees[i] != (why != NULL))
            fprintf(stderr, "%s: reason %s\n", readers[i], why ? why : "(none)");
        assert_int_equal(sees[i], why != NULL);
        json_decref(h);
    }
    /* review 88 L4: the force that requested the tasking TOEX took on credits TOEX on APMIS
       also after the threat has moved to the ROCU */
    free(cli_ok("wy-spoc", "apmis", "record", "--threat", soc, "--date", "2026-06-02", "--impact",
                "moderate", "--type", "arrest", "--lead", "west-yorkshire", "--strand", "pursue",
                "--arrests", "2", "--narrative", "Two arrests at the farm", "--capability", "toex", NULL));
    /* a force that requested none is still told to ask */
    cli_refused(EX_FORBIDDEN, "who know its taskings", "met-spoc", "apmis", "record", "--threat", soc,
                "--date", "2026-06-02", "--impact", "moderate", "--type", "arrest", "--lead", "met",
                "--strand", "pursue", "--arrests", "1", "--narrative", "An arrest", "--capability",
                "toex", NULL);
    free(ref);
    free(soc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nca_bid_region),
        cmocka_unit_test(nca_force_bids_on_nca_threat),
        cmocka_unit_test(roles_where_they_belong),
        cmocka_unit_test(roles_migration_fixes_and_audits),
        cmocka_unit_test(milestone_done),
        cmocka_unit_test(milestone_typed_two_ways),
        cmocka_unit_test(triage_due_in_working_days),
        cmocka_unit_test(agency_refusals_with_live_taskings),
        cmocka_unit_test(agency_disable_ends_sessions),
        cmocka_unit_test(sio_change_needs_the_new_sio),
        cmocka_unit_test(threat_reasons_follow_the_decision),
        cmocka_unit_test(threat_marking_not_above_its_taskings),
        cmocka_unit_test(user_disable_hands_over_first),
        cmocka_unit_test(reallocated_sia_leaves_the_team_at_once),
        cmocka_unit_test(no_transfer_logs_no_read),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
