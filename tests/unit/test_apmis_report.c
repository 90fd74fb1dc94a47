/*
 * The APMIS value-measure report against hand-computed values (issue 4 acceptance; the
 * definitions are in docs/apmis.md).
 *
 * A known history is written straight into a test database made by t_make_db: taskings and
 * their tasking_event rows, terms of reference with agreements, products, tactical options
 * and intelligence items are inserted with SQLite (the lifecycle commands are another area's;
 * a report test may build its history directly). Disruptions are recorded through the CLI.
 * Every figure of the report is then asserted against numbers worked out by hand below.
 *
 * Times: T0 = 2026-01-01T00:00:00Z = 1767225600; Dn = T0 + n days. The report is asked for
 * --from 2026-01-01 --to 2026-01-30, so the period is [D0, D30) (the wall clock is later).
 */
#include "testutil.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/apmis.h"
#include "app/audit.h"
#include "app/work.h"
#include "domain/apmis.h"
#include "util/timefmt.h"

#define T0 1767225600LL
#define DAY 86400LL
#define D(n) "(1767225600+86400*(" #n "))"

typedef struct fx {
    char *dir;
    char *db;
} fx;

static void ok(t_result r)
{
    if (r.status != 0)
        fprintf(stderr, "command failed (%d): %s %s\n", r.status, r.out, r.err);
    assert_int_equal(r.status, 0);
    t_result_free(&r);
}

static void add_threat(fx *f, const char *by, const char *owner, const char *sio)
{
    /* each threat its own tasking meeting reference: one escalation is one threat (review 84 L9) */
    static int n;
    char ftm[16];
    snprintf(ftm, sizeof ftm, "TM-%d", ++n);
    ok(t_runv(NULL, "--db", f->db, "--as", by, "threat", "add", "--title", "Labour exploitation",
              "--type", "labour", "--owner", owner, "--sio", sio, "--force-tasking-ref", ftm,
              NULL));
}

/* The history, tasking by tasking (see the comments in each part for the hand values). */
static const char history[] =
    /* Taskings: A, B, C requested by west-yorkshire (region yorkshire-humber), D by met
       (London, outside the region), E by west-yorkshire but ended before the period. */
    "WITH v(id, ref, threat, state, ag, spoc, since, created) AS (VALUES"
    "  (1, 'TOEX-2026-000001', 'SOC-000001', 'closed', 'west-yorkshire', 'wy-spoc', " D(25) ", " D(0) "),"
    "  (2, 'TOEX-2026-000002', 'SOC-000002', 'in_development', 'west-yorkshire', 'wy-spoc', " D(14) ", " D(2) "),"
    "  (3, 'TOEX-2026-000003', 'SOC-000003', 'rejected', 'west-yorkshire', 'wy-spoc', " D(11) "+21600, " D(10) "),"
    "  (4, 'TOEX-2026-000004', 'SOC-000004', 'submitted', 'met', 'met-spoc', " D(2) ", " D(1) "),"
    "  (5, 'TOEX-2025-000005', 'SOC-000005', 'withdrawn', 'west-yorkshire', 'wy-spoc', " D(-39) ", " D(-40) ")"
    " ) INSERT INTO tasking(id, ref, threat_id, state, requesting_agency_id, spoc_id, sio_id, sia_id, urgency,"
    " marking, bid_json, state_since, created_at, updated_at, reached_toex) SELECT v.id, v.ref, th.id, v.state,"
    " (SELECT id FROM agency WHERE code = v.ag), (SELECT id FROM user WHERE name = v.spoc),"
    " th.sio_id, CASE WHEN v.id IN (1, 2) THEN (SELECT id FROM user WHERE name = 'toex-sia') END," /* A, B accepted */
    " 'routine', 'OFFICIAL', '{}', v.since, v.created, v.since, CASE WHEN v.id IN (1, 2) THEN 1 ELSE 0 END"
    " FROM v JOIN threat th ON th.ref = v.threat;"

    /* Events (tasking, number within it, at, from, to). */
    "INSERT INTO tasking_event(tasking_id, id, at, action, from_state, to_state) VALUES"
    /* A: draft 1d; submitted 2d; forwarded 1d; accepted D4..D8 = 4d (the propose_tor stay at
       D6 does not split the visit); tor_agreed 1d; in_development 11d; reassessment 5d;
       closed at D25. */
    " (1, 1, " D(0) ", 'create', NULL, 'draft'),"
    " (1, 2, " D(1) ", 'submit', 'draft', 'submitted'),"
    " (1, 3, " D(3) ", 'forward', 'submitted', 'forwarded'),"
    " (1, 4, " D(4) ", 'accept', 'forwarded', 'accepted'),"
    " (1, 5, " D(6) ", 'propose_tor', 'accepted', 'accepted'),"
    " (1, 6, " D(8) ", 'agree_tor', 'accepted', 'tor_agreed'),"
    " (1, 7, " D(9) ", 'start', 'tor_agreed', 'in_development'),"
    " (1, 8, " D(20) ", 'complete', 'in_development', 'reassessment'),"
    " (1, 9, " D(25) ", 'remain', 'reassessment', 'closed'),"
    /* B: draft 12h; submitted D2.5..D5 = 2.5d; returned 2d; submitted again 1d; forwarded
       2d; accepted 2d; tor_agreed 2d; in_development from D14, still there at the end D30:
       16d. */
    " (2, 1, " D(2) ", 'create', NULL, 'draft'),"
    " (2, 2, " D(2) "+43200, 'submit', 'draft', 'submitted'),"
    " (2, 3, " D(5) ", 'return', 'submitted', 'returned'),"
    " (2, 4, " D(7) ", 'submit', 'returned', 'submitted'),"
    " (2, 5, " D(8) ", 'forward', 'submitted', 'forwarded'),"
    " (2, 6, " D(10) ", 'accept', 'forwarded', 'accepted'),"
    " (2, 7, " D(12) ", 'agree_tor', 'accepted', 'tor_agreed'),"
    " (2, 8, " D(14) ", 'start', 'tor_agreed', 'in_development'),"
    /* C: draft 1d; submitted 6h; rejected at D11.25. */
    " (3, 1, " D(10) ", 'create', NULL, 'draft'),"
    " (3, 2, " D(11) ", 'submit', 'draft', 'submitted'),"
    " (3, 3, " D(11) "+21600, 'reject', 'submitted', 'rejected'),"
    /* D (met): outside the region. */
    " (4, 1, " D(1) ", 'create', NULL, 'draft'),"
    " (4, 2, " D(2) ", 'submit', 'draft', 'submitted'),"
    /* E: withdrawn at D-39, before the period: not counted anywhere. */
    " (5, 1, " D(-40) ", 'create', NULL, 'draft'),"
    " (5, 2, " D(-39) ", 'withdraw', 'draft', 'withdrawn');"

    /* Terms of reference. A: version 1 agreed by the SIA only (ignored), version 2 agreed by
       both: network_analysis due 01-15 and 01-22, subject_profile due 01-18,
       financial_analysis due 01-20. B: version 1 agreed by both: problem_profile due 01-29
       (in the period), risk_analysis due 02-10 (after it: not counted). */
    "INSERT INTO tor(id, tasking_id, version, content_json, start_date, end_date, proposed_at) VALUES"
    " (1, 1, 1, '{\"services\":[\"intel_development\"],\"start_date\":\"2026-01-05\",\"end_date\":\"2026-02-01\","
    "\"milestones\":[],\"products\":[{\"type\":\"problem_profile\",\"due\":\"2026-01-10\"}],\"objectives\":[]}',"
    " '2026-01-05', '2026-02-01', " D(6) "),"
    " (2, 1, 2, '{\"services\":[\"intel_development\"],\"start_date\":\"2026-01-05\",\"end_date\":\"2026-02-01\","
    "\"milestones\":[{\"name\":\"m\",\"due\":\"2026-01-12\"}],\"products\":["
    "{\"type\":\"network_analysis\",\"due\":\"2026-01-15\"},{\"type\":\"subject_profile\",\"due\":\"2026-01-18\"},"
    "{\"type\":\"financial_analysis\",\"due\":\"2026-01-20\"},{\"type\":\"network_analysis\",\"due\":\"2026-01-22\"}],"
    "\"objectives\":[\"o\"]}', '2026-01-05', '2026-02-01', " D(7) "),"
    " (3, 2, 1, '{\"services\":[\"intel_development\"],\"start_date\":\"2026-01-12\",\"end_date\":\"2026-02-20\","
    "\"milestones\":[],\"products\":[{\"type\":\"problem_profile\",\"due\":\"2026-01-29\"},"
    "{\"type\":\"risk_analysis\",\"due\":\"2026-02-10\"}],\"objectives\":[]}', '2026-01-12', '2026-02-20', " D(11) ");"
    "WITH v(tor, role, name, at) AS (VALUES"
    " (1, 'sia', 'toex-sia', " D(6) "), (2, 'sia', 'toex-sia', " D(7) "), (2, 'sio', 'wy-sio', " D(8) "),"
    " (3, 'sia', 'toex-sia', " D(11) "), (3, 'sio', 'wy-sio', " D(12) "))"
    " INSERT INTO tor_agreement(tor_id, role, user_id, at) SELECT v.tor, v.role, u.id, v.at"
    " FROM v JOIN user u ON u.name = v.name;"

    /* Products. A: PRD-1 network_analysis first delivered 2026-01-15 23:00 (on time for the
       01-15 due; its version 2 on 01-17 does not count), PRD-2 subject_profile delivered
       2026-01-19 01:00 (late for 01-18), PRD-3 network_analysis delivered 2026-01-24 (paired
       with the 01-22 due: late), financial_analysis never made (not delivered). B: PRD-4
       problem_profile delivered 2026-01-31 01:00, after the report's end: not delivered as of
       the end. Totals: due 5, on time 1, late 2, not delivered 2. */
    "INSERT INTO product(ref, version, tasking_id, type, filename, size, sha256, marking,"
    " created_at, delivered_at) VALUES"
    " ('PRD-000001', 1, 1, 'network_analysis', 'n.pdf', 1, printf('%064d', 1), 'OFFICIAL', " D(13) ", " D(14) "+82800),"
    " ('PRD-000001', 2, 1, 'network_analysis', 'n.pdf', 1, printf('%064d', 1), 'OFFICIAL', " D(16) ", " D(16) "),"
    " ('PRD-000002', 1, 1, 'subject_profile', 's.pdf', 1, printf('%064d', 1), 'OFFICIAL', " D(15) ", " D(18) "+3600),"
    " ('PRD-000003', 1, 1, 'network_analysis', 'n2.pdf', 1, printf('%064d', 1), 'OFFICIAL', " D(21) ", " D(23) "),"
    " ('PRD-000004', 1, 2, 'problem_profile', 'p.pdf', 1, printf('%064d', 1), 'OFFICIAL', " D(20) ", " D(30) "+3600);"
    "INSERT INTO product_document(product_id, content) SELECT id, x'00' FROM product;"

    /* Tactical options (created, status, strand). In the period and scope: A actioned pursue
       (D10), actioned protect (D11), declined prevent (D12); B proposed pursue (D15),
       accepted prepare (D16). Not counted: B's option of D-5 (before the period) and D's
       (met). Recorded 5; proposed 1, accepted 1, declined 1, actioned 2 (pursue 1,
       protect 1). */
    "WITH v(ref, t, strand, status, at) AS (VALUES"
    " ('OPT-1', 1, 'pursue', 'actioned', " D(10) "), ('OPT-2', 1, 'protect', 'actioned', " D(11) "),"
    " ('OPT-3', 1, 'prevent', 'declined', " D(12) "), ('OPT-4', 2, 'pursue', 'proposed', " D(15) "),"
    " ('OPT-5', 2, 'prepare', 'accepted', " D(16) "), ('OPT-6', 2, 'pursue', 'actioned', " D(-5) "),"
    " ('OPT-7', 4, 'pursue', 'actioned', " D(3) "))"
    " INSERT INTO tactical_option(ref, tasking_id, strand, text, agency_id, status, created_at, updated_at)"
    " SELECT v.ref, v.t, v.strand, 'option', (SELECT id FROM agency WHERE code = 'west-yorkshire'),"
    " v.status, v.at, v.at FROM v;"

    /* Intelligence items (current versions; first version's creation decides the period).
       INT-1 (A): pending at D10, corrected to recorded at D12: recorded. INT-2 (A) D11
       not_required. INT-3 (B) D15 pending. INT-4 (B) D16 recorded, OFFICIAL-SENSITIVE.
       INT-5 (B) created D31: after the end. INT-6 (E) D-39: before the start.
       Items 4: recorded 2, not required 1, pending 1 (3 / 1 / 1 / 1 for an OFFICIAL reader). */
    "INSERT INTO intel_item(ref, version, is_current, tasking_id, text, source, grade_source,"
    " grade_assessment, handling, marking, pnd_status, pnd_ref, pnd_date, pnd_reason, review_date,"
    " correction_reason, created_at) VALUES"
    " ('INT-1', 1, 0, 1, 't', 's', '1', 'B', 'P', 'OFFICIAL', 'pending', NULL, NULL, NULL, '2032-01-01', NULL, " D(10) "),"
    " ('INT-1', 2, 1, 1, 't', 's', '1', 'B', 'P', 'OFFICIAL', 'recorded', 'PND-1', '2026-01-13', NULL, '2032-01-01', 'on PND', " D(12) "),"
    " ('INT-2', 1, 1, 1, 't', 's', '2', 'C', 'P', 'OFFICIAL', 'not_required', NULL, NULL, 'duplicate', '2032-01-01', NULL, " D(11) "),"
    " ('INT-3', 1, 1, 2, 't', 's', '1', 'A', 'P', 'OFFICIAL', 'pending', NULL, NULL, NULL, '2032-01-01', NULL, " D(15) "),"
    " ('INT-4', 1, 1, 2, 't', 's', '1', 'A', 'P', 'OFFICIAL-SENSITIVE', 'recorded', 'PND-4', '2026-01-17', NULL, '2032-01-01', NULL, " D(16) "),"
    " ('INT-5', 1, 1, 2, 't', 's', '1', 'A', 'P', 'OFFICIAL', 'recorded', 'PND-5', '2026-02-01', NULL, '2032-01-01', NULL, " D(31) "),"
    " ('INT-6', 1, 1, 5, 't', 's', '1', 'A', 'P', 'OFFICIAL', 'recorded', 'PND-6', '2025-11-23', NULL, '2032-01-01', NULL, " D(-39) ");";

static void record(fx *f, const char *as, const char *threat, const char *date, const char *impact,
                   const char *type, const char *lead, const char *caps, const char *arrests,
                   const char *safeguarded, const char *pence)
{
    const char *argv[40] = {"--db", f->db, "--as", as, "apmis", "record", "--threat", threat,
                            "--date", date, "--impact", impact, "--type", type, "--lead", lead,
                            "--arrests", arrests, "--safeguarded", safeguarded,
                            "--seized-pence", pence, "--strand", "pursue", "--narrative",
                            "Disruption recorded for the report test."};
    int k = 26;
    char *copy = strdup(caps);
    for (char *tok = strtok(copy, " "); tok; tok = strtok(NULL, " ")) {
        argv[k++] = "--capability";
        argv[k++] = tok;
    }
    argv[k] = NULL;
    ok(t_run(NULL, argv));
    free(copy);
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    f->dir = t_tmpdir();
    f->db = t_make_db(f->dir);
    ok(t_runv(NULL, "--db", f->db, "--as", "admin", "user", "add", "rec", "--agency", "nca",
              "--role", "apmis", "--clearance", "OFFICIAL-SENSITIVE", NULL));
    ok(t_runv(NULL, "--db", f->db, "--as", "admin", "user", "add", "mgr", "--agency", "toex",
              "--role", "toex_manager", "--clearance", "OFFICIAL", NULL));
    for (int i = 0; i < 3; i++)
        add_threat(f, "wy-spoc", "west-yorkshire", "wy-sio");
    add_threat(f, "met-spoc", "met", "met-sio");
    add_threat(f, "wy-spoc", "west-yorkshire", "wy-sio");
    assert_int_equal(t_db_exec(f->db, history), 0);
    /* Disruptions (threat, date, impact, type, lead, capabilities, arrests, safeguarded, pence):
       R1 and R2 on SOC-000001 with TOEX, R2 dated after tasking A closed (D25); R3 led by
       the ROCU without TOEX; R4 before the period; R5 led by met (outside the region); R6 on
       the last day of the period. TOEX is named only on threats whose tasking it accepted
       (A, B), from the day it did: R5's and R6's threats had bids it never took on (D
       submitted, C rejected), and R4 is before B's acceptance. R1 is recorded by the lead
       agency's SIO. */
    record(f, "wy-sio", "SOC-000001", "2026-01-05", "major", "arrest", "west-yorkshire", "toex", "3", "2", "150000");
    record(f, "rec", "SOC-000001", "2026-01-26", "moderate", "conviction", "west-yorkshire", "toex nca", "0", "4", "0");
    record(f, "rec", "SOC-000002", "2026-01-20", "minor", "seizure", "yhrocu", "nca", "0", "0", "2500000");
    record(f, "rec", "SOC-000002", "2025-12-31", "major", "arrest", "west-yorkshire", "nca", "5", "5", "5");
    record(f, "rec", "SOC-000004", "2026-01-10", "major", "arrest", "met", "nca", "7", "7", "7");
    record(f, "rec", "SOC-000003", "2026-01-30", "negative", "other", "west-yorkshire", "nca", "0", "0", "0");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    t_tmpdir_free(f->dir);
    free(f->db);
    free(f);
    return 0;
}

static json_t *report(fx *f, const char *as, const char *const *extra)
{
    const char *argv[24] = {"--db", f->db, "--as", as, "--json", "apmis", "report"};
    int k = 7;
    for (; extra && *extra; extra++)
        argv[k++] = *extra;
    argv[k] = NULL;
    t_result r = t_run(NULL, argv);
    if (r.status != 0)
        fprintf(stderr, "report failed: %s\n", r.err);
    assert_int_equal(r.status, 0);
    json_error_t je;
    json_t *j = json_loads(r.out, 0, &je);
    if (!j)
        fprintf(stderr, "bad JSON: %s\n%s\n", je.text, r.out);
    assert_non_null(j);
    t_result_free(&r);
    return j;
}

static long long num(json_t *j, const char *path)
{
    char buf[200];
    snprintf(buf, sizeof buf, "%s", path);
    json_t *cur = j;
    for (char *tok = strtok(buf, "."); tok; tok = strtok(NULL, "."))
        cur = json_object_get(cur, tok);
    if (!json_is_integer(cur))
        fprintf(stderr, "no integer at %s\n", path);
    assert_true(json_is_integer(cur));
    return (long long)json_integer_value(cur);
}

#define EQ(j, path, v) assert_int_equal(num((j), (path)), (v))

static void state_time(json_t *j, const char *state, long long visits, long long total,
                       long long median, long long p90)
{
    char p[96];
    snprintf(p, sizeof p, "time_in_state.%s.visits", state);
    EQ(j, p, visits);
    snprintf(p, sizeof p, "time_in_state.%s.total_seconds", state);
    EQ(j, p, total);
    snprintf(p, sizeof p, "time_in_state.%s.median_seconds", state);
    EQ(j, p, median);
    snprintf(p, sizeof p, "time_in_state.%s.p90_seconds", state);
    EQ(j, p, p90);
}

static void region_report_matches_hand_values(void **state)
{
    fx *f = *state;
    const char *args[] = {"--region", "yorkshire-humber", "--from", "2026-01-01", "--to",
                          "2026-01-30", NULL};
    json_t *j = report(f, "rec", args);
    assert_string_equal(json_string_value(json_object_get(j, "marking")), "OFFICIAL-SENSITIVE");
    json_t *scope = json_object_get(j, "scope");
    assert_string_equal(json_string_value(json_object_get(scope, "region")), "yorkshire-humber");
    assert_true(json_is_null(json_object_get(scope, "force")));
    assert_string_equal(json_string_value(json_object_get(scope, "from")), "2026-01-01");
    assert_string_equal(json_string_value(json_object_get(scope, "to")), "2026-01-30");
    assert_string_equal(json_string_value(json_object_get(scope, "end")), "2026-01-31T00:00:00Z");

    /* By state at the end (D30): A closed (at D25, inside the period), B in_development, C
       rejected (D11.25); E ended before the start, D is another region. */
    EQ(j, "taskings.total", 3);
    EQ(j, "taskings.by_state.closed", 1);
    EQ(j, "taskings.by_state.in_development", 1);
    EQ(j, "taskings.by_state.rejected", 1);
    EQ(j, "taskings.by_state.draft", 0);
    EQ(j, "taskings.by_state.submitted", 0);
    EQ(j, "taskings.by_state.withdrawn", 0);

    /* Time in state, seconds; percentiles by linear interpolation (type 7):
       draft     A 86400, B 43200, C 86400 -> [43200, 86400, 86400]; total 216000;
                 median h=1 -> 86400; p90 h=1.8 -> 86400 + 0.8*0 = 86400.
       submitted A 172800, B 216000 and 86400, C 21600 -> [21600, 86400, 172800, 216000];
                 total 496800; median h=1.5 -> 86400 + 0.5*86400 = 129600;
                 p90 h=2.7 -> 172800 + 0.7*43200 = 203040.
       returned  B 172800.
       forwarded A 86400, B 172800; median 129600; p90 86400 + 0.9*86400 = 164160.
       accepted  A 345600 (one visit across the stay), B 172800; median 259200;
                 p90 172800 + 0.9*172800 = 328320.
       tor_agreed A 86400, B 172800: as forwarded.
       in_development A 950400 (11d), B 1382400 (D14 to the end D30, 16d); median 1166400;
                 p90 950400 + 0.9*432000 = 1339200.
       reassessment A 432000. */
    state_time(j, "draft", 3, 216000, 86400, 86400);
    state_time(j, "submitted", 4, 496800, 129600, 203040);
    state_time(j, "returned", 1, 172800, 172800, 172800);
    state_time(j, "forwarded", 2, 259200, 129600, 164160);
    state_time(j, "accepted", 2, 518400, 259200, 328320);
    state_time(j, "tor_agreed", 2, 259200, 129600, 164160);
    state_time(j, "in_development", 2, 2332800, 1166400, 1339200);
    state_time(j, "reassessment", 1, 432000, 432000, 432000);
    state_time(j, "transfer_requested", 0, 0, 0, 0);
    state_time(j, "escalated_ftt", 0, 0, 0, 0);
    assert_null(json_object_get(json_object_get(j, "time_in_state"), "closed"));

    EQ(j, "products.due", 5);
    EQ(j, "products.on_time", 1);
    EQ(j, "products.late", 2);
    EQ(j, "products.not_delivered", 2);

    EQ(j, "tactical_options.recorded", 5);
    EQ(j, "tactical_options.actioned", 2);
    EQ(j, "tactical_options.by_status.proposed", 1);
    EQ(j, "tactical_options.by_status.accepted", 1);
    EQ(j, "tactical_options.by_status.declined", 1);
    EQ(j, "tactical_options.by_status.actioned", 2);
    EQ(j, "tactical_options.actioned_by_strand.pursue", 1);
    EQ(j, "tactical_options.actioned_by_strand.protect", 1);
    EQ(j, "tactical_options.actioned_by_strand.prevent", 0);
    EQ(j, "tactical_options.actioned_by_strand.prepare", 0);

    /* Disruptions in the region and period: R1, R2, R3, R6 (R4 before, R5 London).
       All: 4; major 1 (R1), moderate 1 (R2), minor 1 (R3), negative 1 (R6); arrests 3;
       safeguarded 2 + 4 = 6; seized 150000 + 2500000 = 2650000.
       With TOEX: R1, R2: 2; arrests 3; safeguarded 6; seized 150000. */
    EQ(j, "disruptions.all.count", 4);
    EQ(j, "disruptions.all.by_impact.major", 1);
    EQ(j, "disruptions.all.by_impact.moderate", 1);
    EQ(j, "disruptions.all.by_impact.minor", 1);
    EQ(j, "disruptions.all.by_impact.none", 0);
    EQ(j, "disruptions.all.by_impact.negative", 1);
    EQ(j, "disruptions.all.arrests", 3);
    EQ(j, "disruptions.all.victims_safeguarded", 6);
    EQ(j, "disruptions.all.seized_pence", 2650000);
    EQ(j, "disruptions.with_toex.count", 2);
    EQ(j, "disruptions.with_toex.by_impact.major", 1);
    EQ(j, "disruptions.with_toex.by_impact.moderate", 1);
    EQ(j, "disruptions.with_toex.by_impact.minor", 0);
    EQ(j, "disruptions.with_toex.by_impact.negative", 0);
    EQ(j, "disruptions.with_toex.arrests", 3);
    EQ(j, "disruptions.with_toex.victims_safeguarded", 6);
    EQ(j, "disruptions.with_toex.seized_pence", 150000);

    EQ(j, "intelligence.items", 4);
    EQ(j, "intelligence.recorded_on_pnd", 2);
    EQ(j, "intelligence.not_required", 1);
    EQ(j, "intelligence.pending", 1);
    json_decref(j);
}

/* A record naming TOEX on a threat TOEX never took on (stored before the rule that refuses it
   now) is not counted with TOEX (review 57): R6 on SOC-000003, whose only tasking was
   rejected, given TOEX by hand. */
static void unsupported_toex_not_counted(void **state)
{
    fx *f = *state;
    assert_int_equal(t_db_exec(f->db, "INSERT INTO apmis_capability(record_id, agency_id) SELECT r.id, a.id FROM"
                                      " apmis_record r JOIN threat t ON t.id = r.threat_id, agency a WHERE t.ref ="
                                      " 'SOC-000003' AND a.code = 'toex'"),
                     0);
    const char *args[] = {"--region", "yorkshire-humber", "--from", "2026-01-01", "--to", "2026-01-30", NULL};
    json_t *j = report(f, "rec", args);
    EQ(j, "disruptions.with_toex.count", 2);
    EQ(j, "disruptions.with_toex.by_impact.negative", 0);
    json_decref(j);
}

/* The same report for a reader cleared only for OFFICIAL: INT-4 is not counted and the
   report is OFFICIAL. A force filter keeps only west-yorkshire's disruptions (R1, R2, R6; TOEX
   on R1, R2). */
static void clearance_and_force_scope(void **state)
{
    fx *f = *state;
    const char *args[] = {"--force", "west-yorkshire", "--from", "2026-01-01", "--to",
                          "2026-01-30", NULL};
    json_t *j = report(f, "mgr", args);
    assert_string_equal(json_string_value(json_object_get(j, "marking")), "OFFICIAL");
    /* a toex_manager counts the taskings that reached TOEX, A and B: C was rejected by the
       Gateway (review 111 L3) */
    EQ(j, "taskings.total", 2);
    EQ(j, "intelligence.items", 3);
    EQ(j, "intelligence.recorded_on_pnd", 1);
    EQ(j, "disruptions.all.count", 3);
    EQ(j, "disruptions.all.seized_pence", 150000);
    EQ(j, "disruptions.with_toex.count", 2);
    json_decref(j);

    /* The SIO of west-yorkshire reads its own force; the scope is narrowed to it. */
    const char *period[] = {"--from", "2026-01-01", "--to", "2026-01-30", NULL};
    j = report(f, "wy-sio", period);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "scope"), "force")),
                        "west-yorkshire");
    EQ(j, "disruptions.all.count", 3);
    EQ(j, "taskings.total", 3);
    json_decref(j);

    /* The region's gateway reads the region (R3, led by the ROCU, counts again). */
    j = report(f, "yh-gateway", period);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "scope"), "region")),
                        "yorkshire-humber");
    EQ(j, "disruptions.all.count", 4);
    json_decref(j);

    /* Nationally (no scope): D and R5 (London) count too. D was submitted at D2 and is still
       submitted at D30: a fifth submitted visit of 28 days = 2419200 s. */
    j = report(f, "rec", period);
    EQ(j, "taskings.total", 4);
    EQ(j, "taskings.by_state.submitted", 1);
    EQ(j, "time_in_state.submitted.visits", 5);
    EQ(j, "disruptions.with_toex.count", 2);
    EQ(j, "disruptions.with_toex.by_impact.major", 1);
    json_decref(j);
}

static void scope_refusals(void **state)
{
    fx *f = *state;
    char *fp = t_db_fingerprint(f->db);
    struct {
        const char *as, *opt, *val;
        int status;
        const char *needle;
    } cases[] = {
        {"wy-sio", "--force", "met", 5, "own agency"},
        {"wy-sio", "--region", "london", 5, "own agency"},
        {"yh-gateway", "--region", "london", 5, "own region"},
        {"yh-gateway", "--force", "met", 5, "own region"},
        {"admin", "--force", "met", 5, "readable by"},
        {"toex-sia", "--force", "met", 5, "readable by"},
        {"rec", "--region", "atlantis", 3, "not a known region"},
        {"rec", "--force", "nowhere", 3, "not a known agency"},
        {"rec", "--from", "2026-02-30", 3, "not a real calendar date"},
        {"rec", "--to", "yesterday", 3, "YYYY-MM-DD"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        t_result r = t_runv(NULL, "--db", f->db, "--as", cases[i].as, "apmis", "report",
                            cases[i].opt, cases[i].val, NULL);
        if (r.status != cases[i].status || !strstr(r.err, cases[i].needle))
            fprintf(stderr, "case %zu: status %d: %s\n", i, r.status, r.err);
        assert_int_equal(r.status, cases[i].status);
        assert_non_null(strstr(r.err, cases[i].needle));
        t_result_free(&r);
    }
    t_result r = t_runv(NULL, "--db", f->db, "--as", "rec", "apmis", "report", "--region",
                        "london", "--force", "west-yorkshire", NULL);
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.err, "not in the region"));
    t_result_free(&r);
    r = t_runv(NULL, "--db", f->db, "--as", "rec", "apmis", "report", "--from", "2026-02-01",
               "--to", "2026-01-01", NULL);
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.err, "after the end"));
    t_result_free(&r);
    char *fp2 = t_db_fingerprint(f->db);
    assert_string_equal(fp, fp2);
    free(fp);
    free(fp2);
}

/* --csv carries the same figures as the JSON, one per row. */
static void csv_has_the_same_figures(void **state)
{
    fx *f = *state;
    t_result r = t_runv(NULL, "--db", f->db, "--as", "rec", "apmis", "report", "--region",
                        "yorkshire-humber", "--from", "2026-01-01", "--to", "2026-01-30", "--csv",
                        NULL);
    assert_int_equal(r.status, 0);
    const char *want[] = {
        "section,item,measure,value\r\n",
        "report,,marking,OFFICIAL-SENSITIVE\r\n",
        "scope,,region,yorkshire-humber\r\n",
        "scope,,end,2026-01-31T00:00:00Z\r\n",
        "taskings,,total,3\r\n",
        "taskings,closed,count,1\r\n",
        "time_in_state,submitted,visits,4\r\n",
        "time_in_state,submitted,median_seconds,129600\r\n",
        "time_in_state,submitted,p90_seconds,203040\r\n",
        "time_in_state,in_development,p90_seconds,1339200\r\n",
        "products,,on_time,1\r\n",
        "products,,not_delivered,2\r\n",
        "tactical_options,,actioned,2\r\n",
        "tactical_options,protect,actioned,1\r\n",
        "disruptions,with_toex,count,2\r\n",
        "disruptions,with_toex,moderate,1\r\n",
        "disruptions,all,seized_pence,2650000\r\n",
        "disruptions,with_toex,victims_safeguarded,6\r\n",
        "intelligence,,recorded_on_pnd,2\r\n",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        if (!strstr(r.out, want[i]))
            fprintf(stderr, "missing CSV row: %s", want[i]);
        assert_non_null(strstr(r.out, want[i]));
    }
    assert_int_equal(strncmp(r.out, want[0], strlen(want[0])), 0);
    /* Every row has exactly four fields. */
    for (char *line = r.out; *line;) {
        char *eol = strstr(line, "\r\n");
        assert_non_null(eol);
        int commas = 0;
        for (char *p = line; p < eol; p++)
            commas += *p == ',';
        assert_int_equal(commas, 3);
        line = eol + 2;
    }
    t_result_free(&r);
}

/* In process, with an injected clock: without --to the period ends "now", and a tasking's
   current state counts up to it. Now = D29 12:00 (2026-01-30 12:00Z): B has been in_development
   15.5 days. */
static int64_t fixed_clock(void *data) { return *(const int64_t *)data; }

/* A date entered by an officer is checked against the UK day, not the UTC one: at 00:30 BST
   on 2 July it is still 1 July in UTC, and 2 July was refused as "in the future" (review 81
   L10). */
static void dates_are_checked_against_the_uk_day(void **state)
{
    (void)state;
    iom_ctx c;
    memset(&c, 0, sizeof c);
    int64_t now = 1782948600; /* 2026-07-01T23:30:00Z, 00:30 BST on 2 July */
    c.clock = fixed_clock;
    c.clock_data = &now;
    assert_int_equal(work_not_future(&c, "date", "2026-07-02"), IOM_OK);
    assert_int_equal(work_not_future(&c, "date", "2026-07-03"), IOM_EINVAL);
    assert_non_null(strstr(c.err.msg, "today is 2026-07-02 in the UK"));
    /* the day every other check reads (an APMIS record's date, its report's period, a bid's
       and a ToR's dates, due lists): the UK's too */
    int64_t d;
    assert_true(iom_day_number("2026-07-02", &d));
    assert_int_equal(app_today(&c), d);
    apmis_period p;
    assert_int_equal(apmis_period_make("2026-07-02", NULL, now, app_today(&c), &p, &c.err), IOM_OK);
    assert_int_equal(p.from_day, d);
    assert_int_equal(p.to_day, d);
    /* the period is of UK days too: it starts at 00:00 BST on 2 July (23:00Z on 1 July) and ends
       now, never before it starts (review 89 L1: it started at 00:00Z on 2 July, after now) */
    assert_int_equal(p.start, 1782946800);
    assert_int_equal(p.end, now);
    assert_true(p.start <= p.end);
    /* a whole day of BST: 1 July 00:00 BST to 2 July 00:00 BST */
    assert_int_equal(apmis_period_make("2026-07-01", "2026-07-01", now, app_today(&c), &p, &c.err),
                     IOM_OK);
    assert_int_equal(p.start, 1782860400); /* 2026-06-30T23:00:00Z */
    assert_int_equal(p.end, 1782946800);   /* 2026-07-01T23:00:00Z */
    assert_int_equal(p.limit, p.end);
    /* the days the clocks change: 29 March 2026 (23 hours) and 25 October 2026 (25 hours) */
    assert_int_equal(apmis_period_make("2026-03-29", "2026-03-29", now, app_today(&c), &p, &c.err),
                     IOM_OK);
    assert_int_equal(p.start, 1774742400); /* 2026-03-29T00:00:00Z, GMT */
    assert_int_equal(p.end, 1774825200);   /* 2026-03-29T23:00:00Z, 00:00 BST on the 30th */
    int64_t later = 1793016000, later_day; /* 2026-10-26T12:00:00Z */
    assert_true(iom_day_number("2026-10-26", &later_day));
    assert_int_equal(apmis_period_make("2026-10-25", "2026-10-25", later, later_day, &p, &c.err),
                     IOM_OK);
    assert_int_equal(p.start, 1792882800); /* 2026-10-24T23:00:00Z, 00:00 BST */
    assert_int_equal(p.end, 1792972800);   /* 2026-10-26T00:00:00Z, GMT */
    /* and the MoPI dates: today's, and an item's review date six years on (review 88 L2) */
    char ymd[11];
    now = 1782948600;
    work_today(now, ymd);
    assert_string_equal(ymd, "2026-07-02");
    work_review_date(now, 6, ymd);
    assert_string_equal(ymd, "2032-07-02");
    now = 1796085000; /* 2026-12-01T00:30:00Z, GMT: the same day both ways */
    assert_true(iom_day_number("2026-12-01", &d));
    assert_int_equal(app_today(&c), d);
    work_today(now, ymd);
    assert_string_equal(ymd, "2026-12-01");
    assert_int_equal(work_not_future(&c, "date", "2026-12-01"), IOM_OK);
    assert_int_equal(work_not_future(&c, "date", "2026-12-02"), IOM_EINVAL);
}

static void current_state_counts_to_now(void **state)
{
    fx *f = *state;
    iom_store *s;
    iom_error e = {0};
    assert_int_equal(iom_store_open(f->db, 0, &s, &e), IOM_OK);
    iom_arena a;
    iom_arena_init(&a);
    iom_ctx c;
    app_ctx_init(&c, s, &a);
    int64_t now = T0 + 29 * DAY + 43200;
    c.clock = fixed_clock;
    c.clock_data = &now;
    c.actor_name = "rec";
    app_apmis_report_query q = {.region = "yorkshire-humber", .from = "2026-01-01"};
    app_apmis_report_t r;
    assert_int_equal(app_apmis_report(&c, &q, &r), IOM_OK);
    assert_int_equal(r.r.period.end, now);
    assert_int_equal(r.r.period.to_day, T0 / DAY + 29);
    const apmis_state_time *dev = &r.r.time[IOM_TS_IN_DEVELOPMENT];
    assert_int_equal(dev->visits, 2);
    assert_int_equal(dev->total_seconds, 950400 + 1339200); /* 11d + 15.5d */
    assert_int_equal(dev->median_seconds, (950400 + 1339200) / 2);
    /* p90: 950400 + 0.9 * 388800 = 1300320 */
    assert_int_equal(dev->p90_seconds, 1300320);
    /* Today is 2026-01-30: R6 (dated today) counts, as with --to 2026-01-30. */
    assert_int_equal(r.r.disruptions_all.count, 4);

    /* The same injected clock refuses a disruption dated tomorrow, and writes nothing. */
    char *fp = t_db_fingerprint(f->db);
    assert_int_equal(audit_key_load(audit_key_path(&a, f->db), c.audit_key, &e), IOM_OK);
    c.has_audit_key = true;
    apmis_input in = {.threat = "SOC-000001", .date = "2026-01-31", .impact = "minor",
                      .type = "arrest", .lead = "west-yorkshire", .strand = "pursue",
                      .narrative = "Tomorrow."};
    iom_apmis_t out;
    assert_int_equal(app_apmis_record(&c, &in, &out), IOM_EINVAL);
    assert_non_null(strstr(c.err.msg, "in the future (today is 2026-01-30 in the UK)"));
    char *fp2 = t_db_fingerprint(f->db);
    assert_string_equal(fp, fp2);
    free(fp);
    free(fp2);
    /* Today is accepted, and the record carries the injected time. */
    in.date = "2026-01-30";
    assert_int_equal(app_apmis_record(&c, &in, &out), IOM_OK);
    assert_string_equal(out.ref, "APM-000007");
    assert_int_equal(out.created_at, now);
    iom_arena_free(&a);
    iom_store_close(s);
}

/* A report that ends now holds what happened in its own second: a tasking created, and its
   first event, at the very instant of the report count (the period's exclusive limit is
   now + 1), and time still running is counted up to now, not a second beyond. */
static void same_second_counts(void **state)
{
    fx *f = *state;
    int64_t now = T0 + 29 * DAY + 43200;
    char *sql = t_fmt(
        "INSERT INTO tasking(id, ref, threat_id, state, requesting_agency_id, spoc_id, sio_id,"
        " urgency, marking, bid_json, state_since, created_at, updated_at)"
        " SELECT 6, 'TOEX-2026-000006', th.id, 'draft', (SELECT id FROM agency WHERE code ="
        " 'west-yorkshire'), (SELECT id FROM user WHERE name = 'wy-spoc'), th.sio_id, 'routine',"
        " 'OFFICIAL', '{}', %lld, %lld, %lld FROM threat th WHERE th.ref = 'SOC-000003';"
        "INSERT INTO tasking_event(tasking_id, id, at, action, from_state, to_state)"
        " VALUES (6, 1, %lld, 'create', NULL, 'draft');",
        (long long)now, (long long)now, (long long)now, (long long)now);
    assert_int_equal(t_db_exec(f->db, sql), 0);
    free(sql);
    iom_store *s;
    iom_error e = {0};
    assert_int_equal(iom_store_open(f->db, 0, &s, &e), IOM_OK);
    iom_arena a;
    iom_arena_init(&a);
    iom_ctx c;
    app_ctx_init(&c, s, &a);
    c.clock = fixed_clock;
    c.clock_data = &now;
    /* the report of the draft's own agency: a draft is counted for it alone (review 84 L2) */
    c.actor_name = "wy-spoc";
    app_apmis_report_query q = {.from = "2026-01-01"};
    app_apmis_report_t r;
    assert_int_equal(app_apmis_report(&c, &q, &r), IOM_OK);
    assert_int_equal(r.r.period.end, now);
    /* A, B and C as before, and the new one, in draft at the end. */
    assert_int_equal(r.r.taskings, 4);
    assert_int_equal(r.r.by_state[IOM_TS_DRAFT], 1);
    /* Its draft visit is one more, of no time: A 86400, B 43200, C 86400, new 0. */
    assert_int_equal(r.r.time[IOM_TS_DRAFT].visits, 4);
    assert_int_equal(r.r.time[IOM_TS_DRAFT].total_seconds, 216000);
    /* B's open visit still counts to now exactly (as in current_state_counts_to_now). */
    assert_int_equal(r.r.time[IOM_TS_IN_DEVELOPMENT].total_seconds, 950400 + 1339200);
    iom_arena_free(&a);
    iom_store_close(s);

    /* the region's report, for the APMIS recorder: the draft is not counted (review 84 L2) */
    iom_arena_init(&a);
    assert_int_equal(iom_store_open(f->db, 0, &s, &e), IOM_OK);
    app_ctx_init(&c, s, &a);
    c.clock = fixed_clock;
    c.clock_data = &now;
    c.actor_name = "rec";
    app_apmis_report_query qr = {.region = "yorkshire-humber", .from = "2026-01-01"};
    assert_int_equal(app_apmis_report(&c, &qr, &r), IOM_OK);
    assert_int_equal(r.r.taskings, 3);
    assert_int_equal(r.r.by_state[IOM_TS_DRAFT], 0);
    iom_arena_free(&a);
    iom_store_close(s);

    /* With --to a day already over, the same second is outside the period. */
    iom_arena_init(&a);
    assert_int_equal(iom_store_open(f->db, 0, &s, &e), IOM_OK);
    app_ctx_init(&c, s, &a);
    c.clock = fixed_clock;
    c.clock_data = &now;
    c.actor_name = "wy-spoc";
    q.to = "2026-01-29";
    assert_int_equal(app_apmis_report(&c, &q, &r), IOM_OK);
    assert_int_equal(r.r.taskings, 3);
    assert_int_equal(r.r.by_state[IOM_TS_DRAFT], 0);
    iom_arena_free(&a);
    iom_store_close(s);
}

/* One history for the group (building it is the slow part, under ASan especially): the
   tests before the last two only read; then one records a disruption, the last adds a
   tasking. */
/* Review 113 M3: a delivered product counts in the period it was delivered in, an undelivered
   one once its due day in the period has passed (docs/apmis.md "Products delivered on time").
   February (2026-01-31 to 2026-02-28): A's products were all delivered in January, and its
   financial_analysis, never delivered, was due on 01-20, before February: none counted. B's
   problem_profile (due 01-29) was delivered on 01-31 at 01:00: late, in February; its
   risk_analysis (due 02-10) is not delivered: not delivered. 2, on time 0, late 1, not 1.
   Then a risk_analysis delivered early (02-03, due 02-10): on time, in February; January's
   report is unchanged (5, 1, 2, 2: nothing of it was delivered or due in January). */
static void products_counted_when_delivered_or_due(void **state)
{
    fx *f = *state;
    const char *feb[] = {"--region", "yorkshire-humber", "--from", "2026-01-31", "--to", "2026-02-28", NULL};
    json_t *j = report(f, "rec", feb);
    EQ(j, "products.due", 2);
    EQ(j, "products.on_time", 0);
    EQ(j, "products.late", 1);
    EQ(j, "products.not_delivered", 1);
    json_decref(j);
    assert_int_equal(t_db_exec(f->db,
        "INSERT INTO product(ref, version, tasking_id, type, filename, size, sha256, marking,"
        " created_at, delivered_at) VALUES ('PRD-000005', 1, 2, 'risk_analysis', 'r.pdf', 1,"
        " printf('%064d', 1), 'OFFICIAL', " D(32) ", " D(33) ");"
        "INSERT INTO product_document(product_id, content) SELECT id, x'00' FROM product"
        " WHERE ref = 'PRD-000005';"), 0);
    j = report(f, "rec", feb);
    EQ(j, "products.due", 2);
    EQ(j, "products.on_time", 1);
    EQ(j, "products.late", 1);
    EQ(j, "products.not_delivered", 0);
    json_decref(j);
    const char *jan[] = {"--region", "yorkshire-humber", "--from", "2026-01-01", "--to", "2026-01-30", NULL};
    j = report(f, "rec", jan);
    EQ(j, "products.due", 5);
    EQ(j, "products.on_time", 1);
    EQ(j, "products.late", 2);
    EQ(j, "products.not_delivered", 2);
    json_decref(j);
    /* the text says what is counted */
    t_result r = t_runv(NULL, "--db", f->db, "--as", "rec", "apmis", "report", "--region",
                        "yorkshire-humber", "--from", "2026-01-31", "--to", "2026-02-28", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "Products: 2  delivered on time 1, late 1; not delivered by their due day 0"));
    t_result_free(&r);
}

/* The owner's view (--by owner): taskings of the threats the scope owns and disruptions against
 * them, whoever requested or led them. In the fixture every threat but SOC-000004 (met) is west
 * Yorkshire's: R3, led by the ROCU on SOC-000002, counts for west Yorkshire as owner and for the
 * ROCU as lead (R7 is current_state_counts_to_now's, on SOC-000001). Then SOC-000002 is escalated to the ROCU: tasking B (requested by west
 * Yorkshire) and R3 count for the ROCU as owner, and no longer for west Yorkshire. */
static void owner_view(void **state)
{
    fx *f = *state;
    const char *wy[] = {"--force", "west-yorkshire", "--by", "owner", "--from", "2026-01-01", "--to",
                        "2026-01-30", NULL};
    const char *wy_req[] = {"--force", "west-yorkshire", "--by", "requester", "--from", "2026-01-01",
                            "--to", "2026-01-30", NULL};
    const char *rocu[] = {"--force", "yhrocu", "--by", "owner", "--from", "2026-01-01", "--to",
                          "2026-01-30", NULL};
    const char *rocu_lead[] = {"--force", "yhrocu", "--from", "2026-01-01", "--to", "2026-01-30", NULL};
    json_t *j = report(f, "rec", wy);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "scope"), "by")), "owner");
    EQ(j, "taskings.total", 3);
    EQ(j, "disruptions.all.count", 5); /* R1, R2, R3 (the ROCU's), R6, R7 */
    EQ(j, "disruptions.all.seized_pence", 2650000);
    json_decref(j);
    j = report(f, "rec", wy_req);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "scope"), "by")), "requester");
    EQ(j, "disruptions.all.count", 4); /* R1, R2, R6, R7: the ones it led */
    json_decref(j);
    j = report(f, "rec", rocu);
    EQ(j, "taskings.total", 0);
    EQ(j, "disruptions.all.count", 0);
    json_decref(j);
    j = report(f, "rec", rocu_lead);
    EQ(j, "disruptions.all.count", 1); /* R3, which it led */
    json_decref(j);

    assert_int_equal(t_db_exec(f->db, "UPDATE threat SET owner_id = (SELECT id FROM agency WHERE code = 'yhrocu')"
                                      " WHERE ref = 'SOC-000002';"), 0);
    j = report(f, "rec", rocu);
    EQ(j, "taskings.total", 1);                 /* B, requested by west Yorkshire */
    EQ(j, "taskings.by_state.in_development", 1);
    EQ(j, "disruptions.all.count", 1);          /* R3; R4 is before the period */
    EQ(j, "disruptions.all.seized_pence", 2500000);
    json_decref(j);
    j = report(f, "rec", wy);
    EQ(j, "taskings.total", 2); /* A and C */
    EQ(j, "disruptions.all.count", 4);
    json_decref(j);
    const char *region[] = {"--region", "yorkshire-humber", "--by", "owner", "--from", "2026-01-01", "--to",
                            "2026-01-30", NULL};
    j = report(f, "rec", region);
    EQ(j, "taskings.total", 3);
    EQ(j, "disruptions.all.count", 5);
    json_decref(j);
    /* the force's SIO: narrowed to its own agency, as the owner */
    const char *own[] = {"--by", "owner", "--from", "2026-01-01", "--to", "2026-01-30", NULL};
    j = report(f, "wy-sio", own);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "scope"), "force")), "west-yorkshire");
    EQ(j, "taskings.total", 2);
    EQ(j, "disruptions.all.count", 4);
    json_decref(j);
    /* and still refused another force's scope */
    t_result r = t_runv(NULL, "--db", f->db, "--as", "wy-sio", "apmis", "report", "--force", "met", "--by",
                        "owner", NULL);
    assert_int_equal(r.status, 5);
    t_result_free(&r);
    r = t_runv(NULL, "--db", f->db, "--as", "rec", "apmis", "report", "--by", "lead", NULL);
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.err, "by: must be requester or owner"));
    t_result_free(&r);
    r = t_runv(NULL, "--db", f->db, "--as", "rec", "apmis", "report", "--force", "yhrocu", "--by", "owner",
               "--csv", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "scope,,by,owner"));
    t_result_free(&r);
    assert_int_equal(t_db_exec(f->db, "UPDATE threat SET owner_id = (SELECT id FROM agency WHERE code ="
                                      " 'west-yorkshire') WHERE ref = 'SOC-000002';"), 0);
}

/* An option or a product marked above its tasking (an option's own marking: migration 21; a
 * product's version) is not counted for a reader not cleared for it, as it is not listed to
 * them: an OFFICIAL reader's report told an OFFICIAL-SENSITIVE option's existence, its status
 * and its strand, and an OFFICIAL-SENSITIVE product's delivery, under the marking OFFICIAL. */
static void hidden_options_and_products_not_counted(void **state)
{
    fx *f = *state;
    const char *wy[] = {"--force", "west-yorkshire", "--from", "2026-01-01", "--to", "2026-01-30", NULL};
    json_t *o0 = report(f, "mgr", wy), *s0 = report(f, "rec", wy);
    assert_int_equal(t_db_exec(f->db,
        "INSERT INTO tactical_option(ref, tasking_id, strand, text, agency_id, status, created_at,"
        " updated_at) VALUES ('OPT-8', 1, 'prepare', 'option', (SELECT id FROM agency WHERE code ="
        " 'west-yorkshire'), 'actioned', " D(13) ", " D(13) ");"
        "INSERT INTO option_marking(option_id, marking) SELECT id, 'OFFICIAL-SENSITIVE'"
        " FROM tactical_option WHERE ref = 'OPT-8';"
        "INSERT INTO product(ref, version, tasking_id, type, filename, size, sha256, marking,"
        " created_at, delivered_at) VALUES ('PRD-000006', 1, 1, 'financial_analysis', 'f.pdf', 1,"
        " printf('%064d', 1), 'OFFICIAL-SENSITIVE', " D(17) ", " D(18) ");"
        "INSERT INTO product_document(product_id, content) SELECT id, x'00' FROM product"
        " WHERE ref = 'PRD-000006';"), 0);
    json_t *o1 = report(f, "mgr", wy), *s1 = report(f, "rec", wy);
    static const char *const same[] = {
        "tactical_options.recorded", "tactical_options.actioned",
        "tactical_options.by_status.actioned", "tactical_options.actioned_by_strand.prepare",
        "products.due", "products.on_time", "products.late", "products.not_delivered", NULL};
    for (const char *const *k = same; *k; k++)
        if (num(o0, *k) != num(o1, *k)) {
            fprintf(stderr, "an OFFICIAL reader's %s changed: %lld -> %lld\n", *k, num(o0, *k), num(o1, *k));
            fail();
        }
    assert_string_equal(json_string_value(json_object_get(o1, "marking")), "OFFICIAL");
    /* the reader cleared for them counts both */
    assert_int_equal(num(s1, "tactical_options.recorded"), num(s0, "tactical_options.recorded") + 1);
    assert_int_equal(num(s1, "tactical_options.actioned_by_strand.prepare"),
                     num(s0, "tactical_options.actioned_by_strand.prepare") + 1);
    assert_int_equal(num(s1, "products.on_time"), num(s0, "products.on_time") + 1);
    assert_int_equal(num(s1, "products.not_delivered"), num(s0, "products.not_delivered") - 1);
    /* ... and the report that counts them is marked as high as they are (review 125 L2) */
    assert_string_equal(json_string_value(json_object_get(s1, "marking")), "OFFICIAL-SENSITIVE");
    json_decref(o0);
    json_decref(s0);
    json_decref(o1);
    json_decref(s1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(region_report_matches_hand_values),
        cmocka_unit_test(clearance_and_force_scope),
        cmocka_unit_test(dates_are_checked_against_the_uk_day),
        cmocka_unit_test(scope_refusals),
        cmocka_unit_test(csv_has_the_same_figures),
        cmocka_unit_test(current_state_counts_to_now),
        cmocka_unit_test(same_second_counts),
        cmocka_unit_test(unsupported_toex_not_counted),
        cmocka_unit_test(products_counted_when_delivered_or_due), /* adds a product */
        cmocka_unit_test(owner_view), /* moves a threat and back */
        cmocka_unit_test(hidden_options_and_products_not_counted), /* last: adds an option and a product */
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
