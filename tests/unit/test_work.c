/*
 * The work area through the CLI (issue 4): contributions, graded intelligence with PND status,
 * corrections and MoPI review dates, tactical options and products. Every refused command is
 * checked for its exit status, a message naming the field or rule, and an unchanged database.
 *
 * Taskings are put into their states with SQL directly (the lifecycle has its own tests):
 *   TOEX-2026-000001 in_development, OFFICIAL, SIA toex-sia, team toex-analyst, toex-official
 *   TOEX-2026-000002 draft
 *   TOEX-2026-000003 closed
 *   TOEX-2026-000004 tor_agreed, OFFICIAL-SENSITIVE, team toex-analyst
 */
#include "testutil.h"

#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define T1 "TOEX-2026-000001"
#define T2 "TOEX-2026-000002"
#define T3 "TOEX-2026-000003"
#define T4 "TOEX-2026-000004"

enum { EX_OK = 0, EX_INVAL = 3, EX_NOTFOUND = 4, EX_FORBIDDEN = 5, EX_CONFLICT = 6, EX_IO = 9,
       EX_INTEGRITY = 12, EX_USAGE = 13, EX_TOOBIG = 14 };

typedef struct fx {
    char *dir;
    char *db;
} fx;

static fx *F;

static void sql(const char *s)
{
    int rc = t_db_exec(F->db, s);
    if (rc != 0)
        fprintf(stderr, "sql failed (%d): %s\n", rc, s);
    assert_int_equal(rc, 0);
}

/* Runs `iom --db DB --as USER args...` (NULL-terminated). */
static t_result iomv(const char *user, va_list ap)
{
    const char *argv[64];
    int n = 0;
    argv[n++] = "--db";
    argv[n++] = F->db;
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

/* Runs and asserts success; returns stdout (malloc'd). */
static char *ok(const char *user, ...)
{
    va_list ap;
    va_start(ap, user);
    t_result r = iomv(user, ap);
    va_end(ap);
    if (r.status != 0)
        fprintf(stderr, "unexpected failure (%d): %s%s\n", r.status, r.out, r.err);
    assert_int_equal(r.status, 0);
    char *out = r.out;
    r.out = NULL;
    t_result_free(&r);
    return out;
}

/* Runs, asserts the exit status, that stderr names `needle`, and that nothing changed. */
static void refused(int status, const char *needle, const char *user, ...)
{
    char *before = t_db_fingerprint(F->db);
    va_list ap;
    va_start(ap, user);
    t_result r = iomv(user, ap);
    va_end(ap);
    if (r.status != status || !strstr(r.err, needle))
        fprintf(stderr, "wanted %d with '%s', got %d: %s%s\n", status, needle, r.status, r.out, r.err);
    assert_int_equal(r.status, status);
    assert_non_null(strstr(r.err, needle));
    char *after = t_db_fingerprint(F->db);
    assert_string_equal(before, after);
    free(before);
    free(after);
    t_result_free(&r);
}

static long long scalar(const char *q) { return t_db_scalar(F->db, q); }

static void today_plus_years(int years, char out[11])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    int y = tm.tm_year + 1900 + years, m = tm.tm_mon + 1, d = tm.tm_mday;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        d = 28;
    char buf[32];
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    memcpy(out, buf, 10);
    out[10] = '\0';
}

static int group_setup(void **state)
{
    (void)state;
    F = calloc(1, sizeof *F);
    F->dir = t_tmpdir();
    F->db = t_make_db(F->dir);
    const char *users[][3] = {{"toex-analyst", "analyst", "OFFICIAL-SENSITIVE"},
                              {"toex-analyst2", "analyst", "OFFICIAL-SENSITIVE"},
                              {"toex-official", "analyst", "OFFICIAL"}};
    for (size_t i = 0; i < 3; i++)
        free(ok("admin", "user", "add", users[i][0], "--agency", "toex", "--role", users[i][1],
                "--clearance", users[i][2], NULL));
#define ID(tab, name) "(SELECT id FROM " tab " WHERE " name ")"
    for (int i = 1; i <= 4; i++) {
        char *q = t_fmt("INSERT INTO threat(ref, title, type, owner_id, sio_id, force_tasking_ref, marking,"
                        " created_at, updated_at) VALUES ('SOC-9%05d', 'Threat %d', 'labour', "
                        ID("agency", "code = 'west-yorkshire'") ", " ID("user", "name = 'wy-sio'")
                        ", 'WY-%d', 'OFFICIAL', 1, 1)", i, i, i);
        sql(q);
        free(q);
    }
    const char *states[] = {"in_development", "draft", "closed", "tor_agreed"};
    const char *markings[] = {"OFFICIAL", "OFFICIAL", "OFFICIAL", "OFFICIAL-SENSITIVE"};
    for (int i = 1; i <= 4; i++) {
        char *q = t_fmt(
            "INSERT INTO tasking(ref, threat_id, state, requesting_agency_id, spoc_id, sio_id, sia_id,"
            " urgency, marking, bid_json, reached_toex, state_since, created_at, updated_at) VALUES"
            " ('TOEX-2026-%06d', " ID("threat", "ref = 'SOC-9%05d'") ", '%s', "
            ID("agency", "code = 'west-yorkshire'") ", " ID("user", "name = 'wy-spoc'") ", "
            ID("user", "name = 'wy-sio'") ", " ID("user", "name = 'toex-sia'")
            ", 'routine', '%s', '{}', %d, 1, 1, 1)",
            i, i, states[i - 1], markings[i - 1], i == 2 ? 0 : 1);
        sql(q);
        free(q);
    }
    sql("INSERT INTO tasking_member(tasking_id, user_id, added_at) SELECT t.id, u.id, 1 FROM tasking t,"
        " user u WHERE (t.ref = '" T1 "' AND u.name IN ('toex-analyst', 'toex-official'))"
        " OR (t.ref = '" T4 "' AND u.name = 'toex-analyst')");
    *state = F;
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    t_tmpdir_free(F->dir);
    free(F->db);
    free(F);
    return 0;
}

/* ---- contributions ---------------------------------------------------------------------- */

static void contribution_recorded_in_minutes(void **state)
{
    (void)state;
    char *out = ok("toex-analyst", "contribution", "add", T1, "--date", "2026-01-05", "--hours", "1.5",
                   "--text", "Researched the address", NULL);
    assert_non_null(strstr(out, "CON-"));
    free(out);
    free(ok("toex-sia", "contribution", "add", T4, "--date", "2026-01-06", "--hours", "0.25", "--text",
            "ToR reading", NULL));
    assert_int_equal(scalar("SELECT minutes FROM contribution WHERE text = 'Researched the address'"), 90);
    out = ok("wy-spoc", "--json", "contribution", "list", T1, NULL);
    assert_non_null(strstr(out, "\"minutes\": 90"));
    assert_non_null(strstr(out, "\"user\": \"toex-analyst\""));
    assert_non_null(strstr(out, "\"tasking\": \"" T1 "\""));
    free(out);
    out = ok("toex-analyst", "contribution", "list", T1, NULL);
    assert_non_null(strstr(out, "total: 1.50 hours in 1 entries"));
    free(out);
    assert_int_equal(scalar("SELECT count(*) FROM audit WHERE action = 'contribution.add'"), 2);
    assert_int_equal(scalar("SELECT version FROM tasking WHERE ref = '" T1 "'"), 2);
}

static void contribution_refusals(void **state)
{
    (void)state;
    const char *hours[] = {"0", "24.5", "abc", "-1", "1.2.3", "", "0.001"};
    for (size_t i = 0; i < sizeof hours / sizeof *hours; i++)
        refused(EX_INVAL, "hours", "toex-analyst", "contribution", "add", T1, "--date", "2026-01-05",
                "--hours", hours[i], "--text", "x", NULL);
    refused(EX_INVAL, "date", "toex-analyst", "contribution", "add", T1, "--date", "2026-02-30",
            "--hours", "1", "--text", "x", NULL);
    refused(EX_INVAL, "in the future", "toex-analyst", "contribution", "add", T1, "--date", "2999-01-01",
            "--hours", "1", "--text", "x", NULL);
    refused(EX_INVAL, "text", "toex-analyst", "contribution", "add", T1, "--date", "2026-01-05",
            "--hours", "1", NULL);
    refused(EX_INVAL, "text", "toex-analyst", "contribution", "add", T1, "--date", "2026-01-05",
            "--hours", "1", "--text", "bad \xff\xfe utf-8", NULL);
    /* Wrong role or relation, wrong state, stale version. */
    refused(EX_NOTFOUND, "not found", "toex-analyst2", "contribution", "add", T1, "--date",
            "2026-01-05", "--hours", "1", "--text", "x", NULL);
    refused(EX_FORBIDDEN, "contribute", "wy-spoc", "contribution", "add", T1, "--date", "2026-01-05",
            "--hours", "1", "--text", "x", NULL);
    refused(EX_NOTFOUND, "not found", "met-spoc", "contribution", "add", T1, "--date", "2026-01-05",
            "--hours", "1", "--text", "x", NULL);
    refused(EX_NOTFOUND, "not found", "met-spoc", "contribution", "list", T1, NULL);
    refused(EX_NOTFOUND, "not found", "toex-analyst", "contribution", "add", "TOEX-2026-999999",
            "--date", "2026-01-05", "--hours", "1", "--text", "x", NULL);
    refused(EX_CONFLICT, "draft", "toex-sia", "contribution", "add", T2, "--date", "2026-01-05",
            "--hours", "1", "--text", "x", NULL);
    refused(EX_CONFLICT, "closed", "toex-sia", "contribution", "add", T3, "--date", "2026-01-05",
            "--hours", "1", "--text", "x", NULL);
    refused(EX_CONFLICT, "version", "toex-analyst", "contribution", "add", T1, "--date", "2026-01-05",
            "--hours", "1", "--text", "x", "--if-version", "1", NULL);
    refused(EX_INVAL, "if-version", "toex-analyst", "contribution", "add", T1, "--date", "2026-01-05",
            "--hours", "1", "--text", "x", "--if-version", "0", NULL);
    refused(EX_USAGE, "unknown option", "toex-analyst", "contribution", "add", T1, "--minutes", "5", NULL);
}

/* ---- intelligence ----------------------------------------------------------------------- */

static void intel_add_grades_and_review_date(void **state)
{
    (void)state;
    long long v = scalar("SELECT version FROM tasking WHERE ref = '" T1 "'");
    char *ver = t_fmt("%lld", v);
    char *out = ok("toex-analyst", "intel", "add", T1, "--text", "Vehicle seen at the farm", "--source",
                   "Covert source 12", "--grade", "1B", "--handling", "P", "--if-version", ver, NULL);
    free(ver);
    assert_non_null(strstr(out, "INT-"));
    assert_non_null(strstr(out, "1B P"));
    free(out);
    char review[11];
    today_plus_years(6, review);
    out = ok("toex-analyst", "--json", "intel", "add", T1, "--text", "Workers moved at night",
             "--source", "Open source", "--grade", "2c", "--handling", "c", "--conditions",
             "Not to be shared with the landlord", "--marking", "OFFICIAL-SENSITIVE", NULL);
    assert_non_null(strstr(out, "\"display\": \"2C C\""));
    assert_non_null(strstr(out, "\"conditions\": \"Not to be shared with the landlord\""));
    assert_non_null(strstr(out, "\"marking\": \"OFFICIAL-SENSITIVE\""));
    assert_non_null(strstr(out, "\"status\": \"pending\""));
    char *want = t_fmt("\"review_date\": \"%s\"", review);
    assert_non_null(strstr(out, want));
    free(want);
    free(out);
    /* A legacy 5x5x5 grade is mapped and kept. */
    out = ok("toex-analyst", "--json", "intel", "add", T1, "--text", "Legacy record", "--source",
             "Force system", "--legacy", "B24", "--pnd-ref", "PND/1/2026", "--pnd-date", "2026-01-02", NULL);
    assert_non_null(strstr(out, "\"display\": \"1A C\""));
    assert_non_null(strstr(out, "\"legacy_grade\": \"B24\""));
    assert_non_null(strstr(out, "\"status\": \"recorded\""));
    assert_non_null(strstr(out, "\"ref\": \"PND/1/2026\""));
    free(out);
    assert_int_equal(scalar("SELECT count(*) FROM intel_item"), 3);
    assert_int_equal(scalar("SELECT count(*) FROM audit WHERE action = 'intel.add'"), 3);
    /* The grade is shown with every item in text. */
    out = ok("toex-analyst", "intel", "list", T1, NULL);
    assert_non_null(strstr(out, "1B P"));
    assert_non_null(strstr(out, "2C C"));
    assert_non_null(strstr(out, "1A C"));
    free(out);
}

static void intel_add_refusals(void **state)
{
    (void)state;
#define ADD(...) "intel", "add", T1, "--text", "t", "--source", "s", __VA_ARGS__, NULL
    refused(EX_INVAL, "4F", "toex-analyst", ADD("--grade", "4F", "--handling", "P"));
    refused(EX_INVAL, "conditions", "toex-analyst", ADD("--grade", "1B", "--handling", "C"));
    refused(EX_INVAL, "conditions", "toex-analyst", ADD("--grade", "1B", "--handling", "P",
                                                       "--conditions", "x"));
    refused(EX_INVAL, "handling", "toex-analyst", ADD("--grade", "1B", "--handling", "X"));
    refused(EX_INVAL, "grade", "toex-analyst", ADD("--handling", "P"));
    refused(EX_INVAL, "legacy", "toex-analyst", ADD("--legacy", "B24", "--grade", "1B", "--handling", "P"));
    refused(EX_INVAL, "legacy", "toex-analyst", ADD("--legacy", "F99"));
    refused(EX_INVAL, "text", "toex-analyst", "intel", "add", T1, "--text", "\xc3\x28", "--source", "s",
            "--grade", "1B", "--handling", "P", NULL);
    char *big = malloc(20002);
    memset(big, 'a', 20001);
    big[20001] = '\0';
    refused(EX_TOOBIG, "text", "toex-analyst", "intel", "add", T1, "--text", big, "--source", "s",
            "--grade", "1B", "--handling", "P", NULL);
    free(big);
    refused(EX_INVAL, "SECRET", "toex-analyst", ADD("--grade", "1B", "--handling", "P", "--marking", "SECRET"));
    refused(EX_INVAL, "pnd", "toex-analyst", ADD("--grade", "1B", "--handling", "P", "--pnd", "recorded"));
    refused(EX_INVAL, "pnd", "toex-analyst", ADD("--grade", "1B", "--handling", "P", "--pnd", "recorded",
                                                "--pnd-ref", "R1"));
    refused(EX_INVAL, "pnd", "toex-analyst", ADD("--grade", "1B", "--handling", "P", "--pnd", "not_required"));
    refused(EX_INVAL, "pnd", "toex-analyst", ADD("--grade", "1B", "--handling", "P", "--pnd", "maybe"));
    refused(EX_INVAL, "in the future", "toex-analyst", ADD("--grade", "1B", "--handling", "P",
                                                          "--pnd-ref", "R", "--pnd-date", "2999-01-01"));
    /* Clearance, marking floor, role, state, version. */
    refused(EX_FORBIDDEN, "not cleared", "toex-official", ADD("--grade", "1B", "--handling", "P",
                                                             "--marking", "OFFICIAL-SENSITIVE"));
    refused(EX_INVAL, "below the tasking", "toex-analyst", "intel", "add", T4, "--text", "t", "--source",
            "s", "--grade", "1B", "--handling", "P", "--marking", "OFFICIAL", NULL);
    refused(EX_NOTFOUND, "not found", "toex-analyst2", ADD("--grade", "1B", "--handling", "P"));
    refused(EX_NOTFOUND, "not found", "met-sio", ADD("--grade", "1B", "--handling", "P"));
    refused(EX_CONFLICT, "draft", "toex-sia", "intel", "add", T2, "--text", "t", "--source", "s",
            "--grade", "1B", "--handling", "P", NULL);
    refused(EX_CONFLICT, "closed", "toex-sia", "intel", "add", T3, "--text", "t", "--source", "s",
            "--grade", "1B", "--handling", "P", NULL);
    refused(EX_CONFLICT, "version", "toex-analyst", ADD("--grade", "1B", "--handling", "P",
                                                       "--if-version", "1"));
#undef ADD
    /* An item in tor_agreed is fine, and takes the tasking's marking by default. */
    char *out = ok("toex-analyst", "--json", "intel", "add", T4, "--text", "t4 item", "--source", "s",
                   "--grade", "3E", "--handling", "P", NULL);
    assert_non_null(strstr(out, "\"marking\": \"OFFICIAL-SENSITIVE\""));
    free(out);
}

static char *first_item(const char *text_like)
{
    char *q = t_fmt("SELECT substr(ref, 5) FROM intel_item WHERE text = '%s' AND version = 1", text_like);
    long long n = scalar(q);
    free(q);
    return t_fmt("INT-%06lld", n);
}

static void intel_pnd_and_corrections(void **state)
{
    (void)state;
    char *item = first_item("Vehicle seen at the farm");
    assert_int_equal(scalar("SELECT count(*) FROM intel_item i JOIN tasking t ON t.id = i.tasking_id"
                            " WHERE t.ref = '" T1 "' AND is_current AND pnd_status = 'pending'"), 2);
    refused(EX_INVAL, "exactly one", "toex-analyst", "intel", "pnd", item, NULL);
    refused(EX_INVAL, "pnd", "toex-analyst", "intel", "pnd", item, "--recorded", "--pnd-ref", "R", NULL);
    refused(EX_INVAL, "pnd", "toex-analyst", "intel", "pnd", item, "--not-required", NULL);
    refused(EX_NOTFOUND, "not found", "met-spoc", "intel", "pnd", item, "--recorded", "--pnd-ref", "R",
            "--pnd-date", "2026-01-03", NULL);
    refused(EX_NOTFOUND, "not found", "toex-analyst", "intel", "pnd", "INT-999999", "--recorded",
            "--pnd-ref", "R", "--pnd-date", "2026-01-03", NULL);
    char *out = ok("toex-analyst", "--json", "intel", "pnd", item, "--recorded", "--pnd-ref", "PND/77",
                   "--pnd-date", "2026-01-03", NULL);
    assert_non_null(strstr(out, "\"status\": \"recorded\""));
    assert_non_null(strstr(out, "\"version\": 1"));
    free(out);
    refused(EX_CONFLICT, "already", "toex-analyst", "intel", "pnd", item, "--recorded", "--pnd-ref",
            "PND/77", "--pnd-date", "2026-01-03", NULL);
    refused(EX_CONFLICT, "not_required", "toex-analyst", "intel", "pnd", item, "--not-required",
            "--reason", "changed my mind", NULL);
    assert_int_equal(scalar("SELECT count(*) FROM audit WHERE action = 'intel.pnd'"), 1);

    /* Corrections. */
    refused(EX_INVAL, "reason", "toex-analyst", "intel", "correct", item, "--text", "new", NULL);
    refused(EX_INVAL, "nothing to change", "toex-analyst", "intel", "correct", item, "--reason", "r", NULL);
    refused(EX_INVAL, "nothing to change", "toex-analyst", "intel", "correct", item, "--reason", "r",
            "--grade", "1B", NULL);
    refused(EX_INVAL, "conditions", "toex-analyst", "intel", "correct", item, "--reason", "r",
            "--handling", "C", NULL);
    refused(EX_INVAL, "4F", "toex-analyst", "intel", "correct", item, "--reason", "r", "--grade", "4F", NULL);
    out = ok("toex-analyst", "--json", "intel", "correct", item, "--reason", "Wrong vehicle colour",
             "--text", "Blue vehicle seen at the farm", "--grade", "2B", NULL);
    assert_non_null(strstr(out, "\"version\": 2"));
    assert_non_null(strstr(out, "\"display\": \"2B P\""));
    assert_non_null(strstr(out, "\"correction_reason\": \"Wrong vehicle colour\""));
    assert_non_null(strstr(out, "\"status\": \"recorded\"")); /* PND status carries over */
    free(out);
    out = ok("toex-analyst", "--json", "intel", "correct", item, "--reason", "Sharing conditions",
             "--handling", "C", "--conditions", "Police only", NULL);
    assert_non_null(strstr(out, "\"version\": 3"));
    assert_non_null(strstr(out, "\"display\": \"2B C\""));
    free(out);
    out = ok("toex-analyst", "--json", "intel", "show", item, "--version", "1", NULL);
    assert_non_null(strstr(out, "\"text\": \"Vehicle seen at the farm\""));
    assert_non_null(strstr(out, "\"current\": false"));
    free(out);
    out = ok("toex-analyst", "intel", "show", item, NULL);
    assert_non_null(strstr(out, "version 3"));
    assert_non_null(strstr(out, "2B C"));
    assert_non_null(strstr(out, "conditions: Police only"));
    free(out);
    out = ok("toex-analyst", "intel", "history", item, "--justification", "MoPI review", NULL);
    assert_non_null(strstr(out, "Wrong vehicle colour"));
    assert_non_null(strstr(out, "Sharing conditions"));
    free(out);
    refused(EX_NOTFOUND, "version 9", "toex-analyst", "intel", "show", item, "--version", "9", NULL);
    char *q = t_fmt("SELECT count(*) FROM intel_item WHERE ref = '%s'", item);
    assert_int_equal(scalar(q), 3);
    free(q);
    q = t_fmt("SELECT count(*) FROM intel_item WHERE ref = '%s' AND is_current", item);
    assert_int_equal(scalar(q), 1);
    free(q);
    assert_int_equal(scalar("SELECT count(*) FROM audit WHERE action = 'intel.correct'"), 2);
    assert_int_equal(scalar("SELECT count(*) FROM audit WHERE action = 'intel.consult'"
                            " AND after_json LIKE '%MoPI review%'"), 1);
    free(item);
}

static void intel_need_to_know(void **state)
{
    (void)state;
    char *secret = first_item("Workers moved at night"); /* OFFICIAL-SENSITIVE on an OFFICIAL tasking */
    /* The requesting force reads; another force and an under-cleared analyst do not. */
    char *out = ok("wy-spoc", "intel", "list", T1, NULL);
    assert_non_null(strstr(out, secret));
    free(out);
    refused(EX_NOTFOUND, "not found", "met-spoc", "intel", "list", T1, NULL);
    refused(EX_NOTFOUND, "not found", "met-spoc", "intel", "show", secret, NULL);
    refused(EX_NOTFOUND, "not found", "toex-official", "intel", "show", secret, NULL);
    refused(EX_NOTFOUND, "not found", "toex-official", "intel", "history", secret, NULL);
    refused(EX_NOTFOUND, "not found", "toex-official", "intel", "correct", secret, "--reason", "r",
            "--text", "x", NULL);
    out = ok("toex-official", "intel", "list", T1, NULL);
    assert_null(strstr(out, secret));
    free(out);
    /* admin has no access to intelligence by role alone. */
    refused(EX_NOTFOUND, "not found", "admin", "intel", "list", T1, NULL);
    /* The auditor reads; each read is logged (DPA 2018 s.62). */
    long long before = scalar("SELECT count(*) FROM audit WHERE action = 'intel.consult'");
    free(ok("auditor", "intel", "show", secret, "--justification", "oversight", NULL));
    assert_int_equal(scalar("SELECT count(*) FROM audit WHERE action = 'intel.consult'"), before + 1);
    assert_int_equal(scalar("SELECT count(*) FROM audit WHERE action = 'intel.consult' AND actor = 'auditor'"
                            " AND after_json LIKE '%oversight%'"), 1);
    free(secret);
}

static void intel_due_review(void **state)
{
    (void)state;
    char *item = first_item("Legacy record");
    char *q = t_fmt("UPDATE intel_item SET review_date = '2020-01-01' WHERE ref = '%s' AND is_current", item);
    sql(q);
    free(q);
    char *out = ok("toex-analyst", "intel", "due-review", NULL);
    assert_non_null(strstr(out, item));
    assert_non_null(strstr(out, "1 item due"));
    free(out);
    out = ok("wy-sio", "--json", "intel", "due-review", NULL); /* the owning agency */
    assert_non_null(strstr(out, item));
    free(out);
    out = ok("met-sio", "intel", "due-review", "--days", "3000", NULL);
    assert_non_null(strstr(out, "0 items due"));
    free(out);
    out = ok("auditor", "intel", "due-review", "--days", "3000", NULL);
    assert_null(strstr(out, "0 items"));
    assert_null(strstr(out, "1 item due"));
    free(out);
    refused(EX_INVAL, "days", "auditor", "intel", "due-review", "--days", "-3", NULL);
    free(item);
}

/* ---- options ---------------------------------------------------------------------------- */

static void options(void **state)
{
    (void)state;
    char *out = ok("toex-analyst", "--json", "option", "add", T1, "--strand", "pursue", "--text",
                   "Warrant at the farm", "--agency", "west-yorkshire", NULL);
    assert_non_null(strstr(out, "\"status\": \"proposed\""));
    assert_non_null(strstr(out, "\"strand\": \"pursue\""));
    free(out);
    long long id = scalar("SELECT max(id) FROM tactical_option");
    char *opt = t_fmt("OPT-%06lld", id);
    refused(EX_INVAL, "strand", "toex-analyst", "option", "add", T1, "--strand", "pester", "--text", "x",
            "--agency", "west-yorkshire", NULL);
    refused(EX_INVAL, "agency", "toex-analyst", "option", "add", T1, "--strand", "protect", "--text", "x",
            "--agency", "nowhere", NULL);
    refused(EX_INVAL, "text", "toex-analyst", "option", "add", T1, "--strand", "protect", "--agency",
            "west-yorkshire", NULL);
    refused(EX_CONFLICT, "closed", "toex-sia", "option", "add", T3, "--strand", "protect", "--text", "x",
            "--agency", "west-yorkshire", NULL);
    refused(EX_INVAL, "status", "toex-analyst", "option", "set", opt, "--status", "done", NULL);
    refused(EX_CONFLICT, "proposed", "toex-analyst", "option", "set", opt, "--status", "actioned", NULL);
    refused(EX_NOTFOUND, "not found", "met-spoc", "option", "set", opt, "--status", "accepted", NULL);
    refused(EX_FORBIDDEN, "record_option", "wy-sio", "option", "set", opt, "--status", "accepted", NULL);
    free(ok("toex-analyst", "option", "set", opt, "--status", "accepted", NULL));
    out = ok("toex-sia", "--json", "option", "set", opt, "--status", "actioned", NULL);
    assert_non_null(strstr(out, "\"status\": \"actioned\""));
    assert_non_null(strstr(out, "\"version\": 3"));
    free(out);
    refused(EX_CONFLICT, "actioned", "toex-analyst", "option", "set", opt, "--status", "declined", NULL);
    out = ok("wy-spoc", "option", "list", T1, NULL);
    assert_non_null(strstr(out, opt));
    assert_non_null(strstr(out, "actioned"));
    free(out);
    refused(EX_NOTFOUND, "not found", "met-spoc", "option", "list", T1, NULL);
    assert_int_equal(scalar("SELECT count(*) FROM audit WHERE action IN ('option.add', 'option.set')"), 3);
    free(opt);
}

/* ---- products --------------------------------------------------------------------------- */

static char *write_file(const char *name, const char *content, size_t n)
{
    char *path = t_fmt("%s/%s", F->dir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(content, 1, n, fp), n);
    fclose(fp);
    return path;
}

static char *read_all(const char *path, size_t *n)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    char *buf = malloc(1 << 20);
    *n = fread(buf, 1, 1 << 20, fp);
    fclose(fp);
    return buf;
}

static void products(void **state)
{
    (void)state;
    static const char doc[] = "Subject profile: J. Smith\n\x01\x02 binary bytes \xff\n";
    char *path = write_file("profile.bin", doc, sizeof doc - 1);
    unsigned char h[crypto_hash_sha256_BYTES];
    char hex[65];
    crypto_hash_sha256(h, (const unsigned char *)doc, sizeof doc - 1);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    char *out = ok("toex-analyst", "--json", "product", "add", T1, "--type", "subject_profile", "--file",
                   path, NULL);
    assert_non_null(strstr(out, hex));
    assert_non_null(strstr(out, "\"version\": 1"));
    assert_non_null(strstr(out, "\"filename\": \"profile.bin\""));
    assert_non_null(strstr(out, "\"delivered\": false"));
    free(out);
    char *prd = t_fmt("PRD-%06lld", scalar("SELECT max(id) FROM product"));

    refused(EX_INVAL, "type", "toex-analyst", "product", "add", T1, "--type", "novel", "--file", path, NULL);
    refused(EX_INVAL, "type", "toex-analyst", "product", "add", T1, "--file", path, NULL);
    refused(EX_IO, "cannot open", "toex-analyst", "product", "add", T1, "--type", "risk_analysis",
            "--file", "/nonexistent/file", NULL);
    char *empty = write_file("empty.bin", "", 0);
    refused(EX_INVAL, "empty", "toex-analyst", "product", "add", T1, "--type", "risk_analysis", "--file",
            empty, NULL);
    char *huge = t_fmt("%s/huge.bin", F->dir);
    int fd = open(huge, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, 50LL * 1024 * 1024 + 1), 0);
    close(fd);
    refused(EX_TOOBIG, "50 MiB", "toex-analyst", "product", "add", T1, "--type", "risk_analysis",
            "--file", huge, NULL);
    refused(EX_INVAL, "replaces", "toex-analyst", "product", "add", T1, "--file", path, "--replaces",
            "PRD-999999", NULL);
    refused(EX_INVAL, "type", "toex-analyst", "product", "add", T1, "--type", "risk_analysis", "--file",
            path, "--replaces", prd, NULL);
    refused(EX_INVAL, "replaces", "toex-analyst", "product", "add", T4, "--file", path, "--replaces", prd, NULL);
    refused(EX_CONFLICT, "draft", "toex-sia", "product", "add", T2, "--type", "risk_analysis", "--file",
            path, NULL);
    refused(EX_NOTFOUND, "not found", "toex-analyst2", "product", "add", T1, "--type",
            "risk_analysis", "--file", path, NULL);

    /* A new version. */
    char *path2 = write_file("profile-v2.txt", "Version two\n", 12);
    out = ok("toex-analyst", "--json", "product", "add", T1, "--file", path2, "--replaces", prd, NULL);
    assert_non_null(strstr(out, "\"version\": 2"));
    assert_non_null(strstr(out, "\"type\": \"subject_profile\""));
    free(out);

    /* Download: version 1, checksum verified, never overwriting. */
    char *dst = t_fmt("%s/out.bin", F->dir);
    free(ok("wy-sio", "product", "get", prd, "--version", "1", "--out", dst, NULL));
    size_t n;
    char *got = read_all(dst, &n);
    assert_int_equal(n, sizeof doc - 1);
    assert_memory_equal(got, doc, n);
    free(got);
    refused(EX_IO, "does not overwrite", "toex-analyst", "product", "get", prd, "--out", dst, NULL);
    refused(EX_NOTFOUND, "not found", "met-spoc", "product", "get", prd, "--out", "-", NULL);
    assert_int_equal(scalar("SELECT count(*) FROM audit WHERE action = 'product.disclose'"), 1);

    /* Delivery. */
    refused(EX_NOTFOUND, "no version 7", "toex-sia", "product", "deliver", prd, "--version", "7", NULL);
    out = ok("toex-sia", "--json", "product", "deliver", prd, NULL);
    assert_non_null(strstr(out, "\"delivered\": true"));
    assert_non_null(strstr(out, "\"delivered_by\": \"toex-sia\""));
    free(out);
    refused(EX_CONFLICT, "already delivered", "toex-sia", "product", "deliver", prd, NULL);
    out = ok("wy-sio", "product", "list", T1, NULL);
    assert_non_null(strstr(out, "not delivered"));
    assert_non_null(strstr(out, "subject_profile"));
    free(out);
    assert_int_equal(scalar("SELECT count(*) FROM product WHERE delivered_at IS NOT NULL"), 1);

    /* A document altered in the database file is refused on read. */
    char *q = t_fmt("UPDATE product SET content = CAST(upper(CAST(content AS TEXT)) AS BLOB)"
                    " WHERE ref = '%s' AND version = 2", prd);
    sql(q);
    free(q);
    refused(EX_INTEGRITY, "SHA-256", "toex-analyst", "product", "get", prd, "--out", "-", NULL);

    unlink(huge);
    free(huge);
    free(empty);
    free(dst);
    free(path2);
    free(prd);
    free(path);
}

static void audit_chain_still_verifies(void **state)
{
    (void)state;
    free(ok("auditor", "audit", "verify", NULL));
    char *out = ok("auditor", "audit", "log", NULL);
    assert_non_null(strstr(out, "intel.add"));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(contribution_recorded_in_minutes),
        cmocka_unit_test(contribution_refusals),
        cmocka_unit_test(intel_add_grades_and_review_date),
        cmocka_unit_test(intel_add_refusals),
        cmocka_unit_test(intel_pnd_and_corrections),
        cmocka_unit_test(intel_need_to_know),
        cmocka_unit_test(intel_due_review),
        cmocka_unit_test(options),
        cmocka_unit_test(products),
        cmocka_unit_test(audit_chain_still_verifies),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
