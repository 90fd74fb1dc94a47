/*
 * The work area through the CLI (issue 4), part 1: contributions and graded intelligence
 * (PND status, corrections, need-to-know, logged reads, MoPI review dates). Fixture and
 * helpers: test_work_fixture.h.
 */
#include <time.h>
#include "test_work_fixture.h"

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
    /* 0.01 h is 36 seconds: less than the minute it was rounded up to (review 97 L4) */
    const char *hours[] = {"0", "24.5", "abc", "-1", "1.2.3", "", "0.001", "0.01", "0.016",
                           "1.000000000000000000000000000000000000002" /* 41 characters */};
    for (size_t i = 0; i < sizeof hours / sizeof *hours; i++)
        refused(EX_INVAL, "hours", "toex-analyst", "contribution", "add", T1, "--date", "2026-01-05",
                "--hours", hours[i], "--text", "x", NULL);
    /* a double printed in full is rounded to the minute as any other (review 133) */
    free(ok("toex-analyst", "contribution", "add", T1, "--date", "2026-01-07", "--hours", "1.0000000000000002",
            "--text", "x", NULL));
    assert_int_equal(scalar("SELECT minutes FROM contribution ORDER BY id DESC LIMIT 1"), 60);
    /* a bad date, bad hours and no text: all three told at once (iom_ctx problems) */
    static const char *const three[] = {"iom: date: ", "\niom: hours: '25' is not a number",
                                        "\niom: text: a value is required"};
    for (size_t i = 0; i < 3; i++)
        refused(EX_INVAL, three[i], "toex-analyst", "contribution", "add", T1, "--date", "2026-02-30",
                "--hours", "25", NULL);
    refused(EX_INVAL, "date", "toex-analyst", "contribution", "add", T1, "--date", "2026-02-30",
            "--hours", "1", "--text", "x", NULL);
    refused(EX_INVAL, "in the future", "toex-analyst", "contribution", "add", T1, "--date", "2999-01-01",
            "--hours", "1", "--text", "x", NULL);
    refused(EX_INVAL, "before the tasking's bid was drafted", "toex-analyst", "contribution", "add", T1,
            "--date", "1900-01-01", "--hours", "1", "--text", "x", NULL);
    /* a day holds 24 hours of one person's work */
    {
        char today[16];
        time_t now = time(NULL);
        strftime(today, sizeof today, "%Y-%m-%d", gmtime(&now));
        free(ok("toex-analyst", "contribution", "add", T1, "--date", today, "--hours", "20", "--text",
                "a long day", NULL));
        refused(EX_INVAL, "would make 25.00 hours of work by 'toex-analyst'", "toex-analyst",
                "contribution", "add", T1, "--date", today, "--hours", "5", "--text", "x", NULL);
    }
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
    refused(EX_INVAL, "text", "toex-analyst", "intel", "add", T1, "--text", big, "--source", "s",
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
    refused(EX_INVAL, "pnd_date: 1970-01-01 is before 2000-01-01", "toex-analyst",
            ADD("--grade", "1B", "--handling", "P", "--pnd-ref", "R", "--pnd-date", "1970-01-01"));
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

/* The item first recorded with this text by intel_add_grades_and_review_date. The text is
   stored sealed (app/seal.h), so the item is found by the order the test added them in. */
static char *first_item(const char *text)
{
    static const char *const added[] = {"Vehicle seen at the farm", "Workers moved at night",
                                        "Legacy record"};
    size_t k = 0;
    while (k < 3 && strcmp(added[k], text) != 0)
        k++;
    assert_true(k < 3);
    char *q = t_fmt("SELECT substr(ref, 5) FROM intel_item WHERE version = 1 ORDER BY id LIMIT 1"
                    " OFFSET %zu", k);
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
    /* the route's own field is named (--reason; API "reason"), not intel add's pnd_reason */
    refused(EX_INVAL, "reason: missing", "toex-analyst", "intel", "pnd", item, "--not-required", NULL);
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

    /* Corrections. A correction moves the PND record only as `intel pnd` may (an API review
       took a recorded item back to pending, then to not_required, through corrections). */
    refused(EX_INVAL, "cannot be set back to pending", "toex-analyst", "intel", "correct", item,
            "--reason", "r", "--pnd", "pending", NULL);
    refused(EX_CONFLICT, "cannot become not_required", "toex-analyst", "intel", "correct", item,
            "--reason", "r", "--pnd", "not_required", "--pnd-reason", "changed my mind", NULL);
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
    refused(EX_NOTFOUND, "not found", "toex-analyst", "intel", "show", item, "--version", "9", NULL);
    char *q = t_fmt("SELECT count(*) FROM intel_item WHERE ref = '%s'", item);
    assert_int_equal(scalar(q), 3);
    free(q);
    q = t_fmt("SELECT count(*) FROM intel_item WHERE ref = '%s' AND is_current", item);
    assert_int_equal(scalar(q), 1);
    free(q);
    assert_int_equal(scalar("SELECT count(*) FROM audit WHERE action = 'intel.correct'"), 2);
    assert_int_equal(scalar("SELECT count(*) FROM read_log WHERE action = 'intel.consult'"
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
    /* whether a hidden item has a version N reads as its absence does (an API review told "not
       found" from "has no version 9"), and so does a reference that does not exist */
    refused(EX_NOTFOUND, "not found", "met-spoc", "intel", "show", secret, "--version", "1", NULL);
    refused(EX_NOTFOUND, "not found", "met-spoc", "intel", "show", secret, "--version", "9", NULL);
    refused(EX_NOTFOUND, "not found", "toex-official", "intel", "show", secret, "--version", "9", NULL);
    refused(EX_NOTFOUND, "not found", "wy-spoc", "intel", "show", "INT-999999", "--version", "1", NULL);
    refused(EX_NOTFOUND, "not found", "toex-official", "intel", "show", secret, NULL);
    refused(EX_NOTFOUND, "not found", "toex-official", "intel", "history", secret, NULL);
    refused(EX_NOTFOUND, "not found", "toex-official", "intel", "correct", secret, "--reason", "r",
            "--text", "x", NULL);
    out = ok("toex-official", "intel", "list", T1, NULL);
    assert_null(strstr(out, secret));
    free(out);
    /* A marking raised by a correction covers the earlier versions too (the text may be the
       same): an analyst cleared for OFFICIAL only sees no version of the item. */
    out = ok("toex-analyst", "--json", "intel", "add", T1, "--text", "Address used by the gang",
             "--source", "Open source", "--grade", "2B", "--handling", "P", NULL);
    char *at = strstr(out, "\"ref\": \"INT-");
    assert_non_null(at);
    char *raised = t_fmt("%.10s", at + 8);
    free(out);
    free(ok("toex-official", "intel", "show", raised, "--version", "1", NULL));
    free(ok("toex-analyst", "intel", "correct", raised, "--reason", "Source is sensitive",
            "--marking", "OFFICIAL-SENSITIVE", NULL));
    refused(EX_NOTFOUND, "not found", "toex-official", "intel", "show", raised, NULL);
    refused(EX_NOTFOUND, "not found", "toex-official", "intel", "show", raised, "--version", "1", NULL);
    refused(EX_NOTFOUND, "not found", "toex-official", "intel", "history", raised, NULL);
    free(ok("toex-analyst", "intel", "show", raised, "--version", "1", NULL));
    free(raised);
    /* admin has no access to intelligence by role alone. */
    refused(EX_NOTFOUND, "not found", "admin", "intel", "list", T1, NULL);
    /* The auditor reads; each read is logged (DPA 2018 s.62). */
    long long before = scalar("SELECT count(*) FROM read_log WHERE action = 'intel.consult'");
    free(ok("auditor", "intel", "show", secret, "--justification", "oversight", NULL));
    assert_int_equal(scalar("SELECT count(*) FROM read_log WHERE action = 'intel.consult'"), before + 1);
    assert_int_equal(scalar("SELECT count(*) FROM read_log WHERE action = 'intel.consult' AND actor = 'auditor'"
                            " AND after_json LIKE '%oversight%'"), 1);
    /* With the purpose: the relation that granted the read, or the one stated (issue 5 #7). */
    assert_int_equal(scalar("SELECT count(*) FROM read_log WHERE action = 'intel.consult' AND actor = 'auditor'"
                            " AND after_json LIKE '%\"purpose\":\"audit\"%'"), 1);
    free(ok("wy-spoc", "--purpose", "Op Larch tasking meeting", "intel", "show", secret, NULL));
    assert_int_equal(scalar("SELECT count(*) FROM read_log WHERE action = 'intel.consult' AND actor = 'wy-spoc'"
                            " AND after_json LIKE '%\"purpose\":\"Op Larch tasking meeting\"%'"), 1);
    /* Review 43: the audit log opens an item's images only for an auditor cleared for the item
       (an OFFICIAL-cleared auditor read this OFFICIAL-SENSITIVE text there), and opening them is
       a logged read of intelligence content (it was not); a search's words reach no auditor
       below every marking either */
    free(ok("admin", "user", "add", "auditor-low", "--agency", "nca", "--role", "auditor", "--clearance",
            "OFFICIAL", NULL));
    free(ok("wy-spoc", "search", "moved at night", "--justification", "review 43", NULL));
    char *log = ok("auditor-low", "--json", "audit", "log", "--object", secret, NULL);
    assert_null(strstr(log, "moved at night"));
    assert_non_null(strstr(log, "withheld"));
    free(log);
    log = ok("auditor-low", "--json", "audit", "reads", "--limit", "1000", NULL);
    assert_null(strstr(log, "moved at night"));
    free(log);
    long long consults = scalar("SELECT count(*) FROM read_log WHERE action = 'intel.consult' AND"
                                " object_ref = 'audit' AND actor = 'auditor'");
    log = ok("auditor", "--json", "audit", "log", "--object", secret, NULL);
    assert_non_null(strstr(log, "moved at night"));
    free(log);
    assert_int_equal(scalar("SELECT count(*) FROM read_log WHERE action = 'intel.consult' AND"
                            " object_ref = 'audit' AND actor = 'auditor'"),
                     consults + 1);
    free(secret);
}

/* Review 97 M2: a correction is never marked below the version it corrects (an OFFICIAL reader
   was shown version 3 of an item, and a history of version 3 alone, whose versions 1 and 2 were
   hidden from them); and a version that does not exist reads as one the reader may not see ("has
   no version 4" told them apart). */
static void intel_corrections_never_lowered(void **state)
{
    (void)state;
    char *out = ok("toex-analyst", "--json", "intel", "add", T1, "--text", "The van is kept at the yard",
                   "--source", "CHIS 97", "--grade", "2B", "--handling", "P", "--marking", "OFFICIAL-SENSITIVE",
                   NULL);
    char *at = strstr(out, "\"ref\": \"INT-");
    assert_non_null(at);
    char *item = t_fmt("%.10s", at + 8);
    free(out);
    free(ok("toex-analyst", "intel", "correct", item, "--reason", "The yard's name", "--text",
            "The van is kept at Canal Yard", NULL));
    char *why = t_fmt("marking: OFFICIAL is below the marking of %s as it stands (OFFICIAL-SENSITIVE)", item);
    refused(EX_INVAL, why, "toex-analyst", "intel", "correct", item, "--reason", "cleared for release",
            "--marking", "OFFICIAL", NULL);
    free(why);
    refused(EX_INVAL, "as a new item", "toex-analyst", "intel", "correct", item, "--reason", "cleared for release",
            "--marking", "OFFICIAL", "--text", "A van is kept at a yard", NULL);
    refused(EX_NOTFOUND, "not found", "toex-official", "intel", "show", item, NULL);
    refused(EX_NOTFOUND, "not found", "toex-official", "intel", "history", item, NULL);
    /* a missing version and a hidden one read alike */
    char *nf = t_fmt("iom: intelligence item: '%s' not found\n", item);
    char *hidden = refusal_of(EX_NOTFOUND, "toex-official", "intel", "show", item, "--version", "1", NULL);
    char *missing = refusal_of(EX_NOTFOUND, "toex-analyst", "intel", "show", item, "--version", "4", NULL);
    assert_string_equal(hidden, nf);
    assert_string_equal(missing, nf);
    free(missing);
    free(hidden);
    free(nf);
    free(item);
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

static void audit_chain_still_verifies(void **state)
{
    (void)state;
    free(ok("auditor", "audit", "verify", NULL));
    char *out = ok("auditor", "audit", "log", NULL);
    assert_non_null(strstr(out, "intel.add"));
    free(out);
}

/* Review 100 M1: a tasking withdrawn part-way still has its intelligence recorded on PND: its SIA
   and team set the PND status of its items after the end (the tasking's version stays), nothing
   else changes, and nobody else may. Before, every PND update was refused once the tasking had
   ended, and its items stayed pending for good. Runs last: it ends T4. */
static void intel_pnd_after_withdrawal(void **state)
{
    (void)state;
    char *out = ok("toex-sia", "--json", "intel", "add", T4, "--text", "Second site in Batley", "--source",
                   "Open source", "--grade", "2C", "--handling", "P", NULL);
    const char *p = strstr(out, "\"ref\": \"INT-");
    assert_non_null(p);
    char item[16];
    memcpy(item, p + 8, 10);
    item[10] = '\0';
    free(out);
    free(ok("wy-spoc", "tasking", "withdraw", T4, "--reason", "Operation ended by the force", NULL));
    long long v = scalar("SELECT version FROM tasking WHERE ref = '" T4 "'");
    /* nothing but the PND status */
    refused(EX_CONFLICT, "ended", "toex-sia", "intel", "add", T4, "--text", "More", "--source", "S",
            "--grade", "2C", "--handling", "P", NULL);
    refused(EX_CONFLICT, "ended", "toex-sia", "intel", "correct", item, "--reason", "r", "--text", "New", NULL);
    /* and only by its SIA and team: the threat's SIO reads the item but records nothing on PND */
    refused(EX_FORBIDDEN, "PND status", "wy-sio", "intel", "pnd", item, "--recorded", "--pnd-ref", "PND/9",
            "--pnd-date", "2026-01-03", NULL);
    refused(EX_NOTFOUND, "not found", "met-spoc", "intel", "pnd", item, "--recorded", "--pnd-ref", "PND/9",
            "--pnd-date", "2026-01-03", NULL);
    /* the list says who may (the web's form follows it) */
    out = ok("toex-sia", "--json", "intel", "list", T4, "--justification", "PND after withdrawal", NULL);
    assert_non_null(strstr(out, "\"may_set_pnd\": true"));
    free(out);
    out = ok("wy-sio", "--json", "intel", "list", T4, "--justification", "Owner's review", NULL);
    assert_non_null(strstr(out, "\"may_set_pnd\": false"));
    assert_null(strstr(out, "\"may_set_pnd\": true"));
    free(out);
    out = ok("toex-sia", "--json", "intel", "pnd", item, "--recorded", "--pnd-ref", "PND/9", "--pnd-date",
             "2026-01-03", NULL);
    assert_non_null(strstr(out, "\"status\": \"recorded\""));
    free(out);
    assert_int_equal(scalar("SELECT version FROM tasking WHERE ref = '" T4 "'"), v);
    char *q = t_fmt("SELECT count(*) FROM audit WHERE action = 'intel.pnd' AND object_ref = '%s'", item);
    assert_int_equal(scalar(q), 1);
    free(q);
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
        cmocka_unit_test(intel_corrections_never_lowered),
        cmocka_unit_test(intel_due_review),
        cmocka_unit_test(audit_chain_still_verifies),
        cmocka_unit_test(intel_pnd_after_withdrawal),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
