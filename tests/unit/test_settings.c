/*
 * Settings as reference data (issue 13 point 1), through the built `iom`: the seed is today's
 * values; every signed-in user lists them; an admin changes one with a reason, which is a new
 * version, audited, in the history; a bad value is refused with the rule named and changes
 * nothing (the database fingerprint: no version, no audit entry); a change applies to records
 * made after it, and each record keeps what it was made with (an intelligence item its review
 * date and mapping version, a reassessment its scoring version).
 */
#include "test_work_fixture.h"

#include <jansson.h>

#include "domain/settings.h"

#define T5 "TOEX-2026-000005"

static json_t *json_ok(const char *user, ...)
{
    const char *argv[64];
    int n = 0;
    argv[n++] = "--db";
    argv[n++] = F->db;
    argv[n++] = "--as";
    argv[n++] = user;
    argv[n++] = "--json";
    va_list ap;
    va_start(ap, user);
    const char *a;
    while ((a = va_arg(ap, const char *)) && n < 63)
        argv[n++] = a;
    va_end(ap);
    argv[n] = NULL;
    t_result r = t_run(NULL, argv);
    if (r.status != 0)
        fprintf(stderr, "unexpected failure (%d): %s%s\n", r.status, r.out, r.err);
    assert_int_equal(r.status, 0);
    json_error_t je;
    json_t *j = json_loads(r.out, 0, &je);
    assert_non_null(j);
    t_result_free(&r);
    return j;
}

/* The canonical text of a JSON value (sorted keys, compact). */
static char *canon(const json_t *v)
{
    return json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY | JSON_REAL_PRECISION(6));
}

static void seeded_values_are_the_defaults(void **state)
{
    (void)state;
    iom_settings def;
    settings_default(&def);
    /* any signed-in user lists them: a SPOC of a force */
    json_t *list = json_ok("wy-spoc", "settings", "list", NULL);
    json_t *items = json_object_get(list, "items");
    assert_int_equal(json_array_size(items), SETTINGS_COUNT);
    for (int i = 0; i < SETTINGS_COUNT; i++) {
        json_t *it = json_array_get(items, (size_t)i);
        assert_string_equal(json_string_value(json_object_get(it, "name")), settings_name((settings_id)i));
        assert_int_equal(json_integer_value(json_object_get(it, "version")), 1);
        assert_true(json_is_null(json_object_get(it, "changed_by")));
        char want[SETTINGS_VALUE_MAX];
        assert_non_null(settings_format(&def, (settings_id)i, want, sizeof want));
        json_t *w = json_loads(want, JSON_DECODE_ANY, NULL);
        char *a = canon(json_object_get(it, "value")), *b = canon(w);
        assert_string_equal(a, b);
        free(a);
        free(b);
        json_decref(w);
    }
    json_decref(list);
    assert_int_equal(scalar("SELECT count(*) FROM setting"), SETTINGS_COUNT);
}

static const char scoring_overlap[] =
    "{\"confidence_weight_percent\":{\"low\":60,\"medium\":80,\"high\":100},"
    "\"bands\":{\"low\":{\"from\":0,\"to\":30},\"medium\":{\"from\":30,\"to\":60},"
    "\"high\":{\"from\":55,\"to\":100}},\"national_scale_min\":3,\"regional_scale_min\":2,"
    "\"org_position_min\":5}";
static const char scoring_gap[] =
    "{\"confidence_weight_percent\":{\"low\":60,\"medium\":80,\"high\":100},"
    "\"bands\":{\"low\":{\"from\":0,\"to\":25},\"medium\":{\"from\":30,\"to\":60},"
    "\"high\":{\"from\":60,\"to\":100}},\"national_scale_min\":3,\"regional_scale_min\":2,"
    "\"org_position_min\":5}";
static const char scoring_high_45[] =
    "{\"confidence_weight_percent\":{\"low\":60,\"medium\":80,\"high\":100},"
    "\"bands\":{\"low\":{\"from\":0,\"to\":30},\"medium\":{\"from\":30,\"to\":45},"
    "\"high\":{\"from\":45,\"to\":100}},\"national_scale_min\":3,\"regional_scale_min\":2,"
    "\"org_position_min\":5}";
static const char map_e_to_3[] =
    "{\"source\":{\"A\":\"1\",\"B\":\"1\",\"C\":\"2\",\"D\":\"3\",\"E\":\"3\"},"
    "\"intelligence\":{\"1\":\"A\",\"2\":\"A\",\"3\":\"B\",\"4\":\"C\",\"5\":\"E\"},"
    "\"handling\":{\"1\":\"P\",\"2\":\"P\",\"3\":\"P\",\"4\":\"C\",\"5\":\"C\"},"
    "\"conditions\":{\"4\":\"5x5x5 handling code 4\",\"5\":\"legacy code 5: not for disclosure\"}}";
static const char map_unknown[] =
    "{\"source\":{\"A\":\"1\",\"B\":\"1\",\"C\":\"2\",\"D\":\"3\",\"E\":\"X\"},"
    "\"intelligence\":{\"1\":\"A\",\"2\":\"A\",\"3\":\"B\",\"4\":\"C\",\"5\":\"E\"},"
    "\"handling\":{\"1\":\"P\",\"2\":\"P\",\"3\":\"P\",\"4\":\"C\",\"5\":\"C\"},"
    "\"conditions\":{\"4\":\"a\",\"5\":\"b\"}}";

#define SET(name, value, reason) "settings", "set", name, "--value", value, "--reason", reason

/* Every refusal: exit status, the rule in the message, and an unchanged database (so no new
   version and no audit entry). */
static void refusals_change_nothing(void **state)
{
    (void)state;
    long long audits = scalar("SELECT count(*) FROM audit");
    refused(EX_INVAL, "rule: bands do not overlap", "admin",
            SET("assessment.scoring", scoring_overlap, "overlap"), NULL);
    refused(EX_INVAL, "rule: the bands cover the score scale", "admin",
            SET("assessment.scoring", scoring_gap, "gap"), NULL);
    refused(EX_INVAL, "rule: every 5x5x5 code maps to a known 3x5x2 grade", "admin",
            SET("grade.legacy_map", map_unknown, "unknown grade"), NULL);
    refused(EX_INVAL, "rule: a review period is a whole number of years", "admin",
            SET("intel.review_years", "-6", "negative"), NULL);
    refused(EX_INVAL, "intel.review_years: must be a number", "admin",
            SET("intel.review_years", "\"six\"", "a word"), NULL);
    refused(EX_INVAL, "not JSON", "admin", SET("intel.review_years", "six", "not JSON"), NULL);
    refused(EX_INVAL, "auth.lockout.lockout_minutes: must be a number", "admin",
            SET("auth.lockout", "{\"user_max_failures\":5,\"addr_max_failures\":20,"
                "\"failure_window_minutes\":15,\"lockout_minutes\":\"15\"}", "a string"), NULL);
    refused(EX_INVAL, "the same as version 1; nothing to change", "admin",
            SET("intel.review_years", "6", "no change"), NULL);
    refused(EX_INVAL, "reason: must not be blank", "admin", SET("intel.review_years", "7", "   "), NULL);
    refused(EX_USAGE, "--reason is required", "admin", "settings", "set", "intel.review_years", "--value", "7", NULL);
    refused(EX_INVAL, "'intel.review' is not one of", "admin", SET("intel.review", "7", "typo"), NULL);
    /* only an admin changes a setting */
    refused(EX_FORBIDDEN, "(admin)", "wy-spoc", SET("intel.review_years", "7", "not mine"), NULL);
    refused(EX_FORBIDDEN, "(admin)", "toex-sia", SET("intel.review_years", "7", "not mine"), NULL);
    /* a stale version read */
    refused(EX_CONFLICT, "version 3 was read, but it is now at version 1", "admin",
            SET("intel.review_years", "7", "stale"), "--if-version", "3", NULL);
    assert_int_equal(scalar("SELECT count(*) FROM setting"), SETTINGS_COUNT);
    assert_int_equal(scalar("SELECT count(*) FROM audit"), audits);
    /* the store itself keeps versions as they were */
    assert_int_not_equal(t_db_exec(F->db, "UPDATE setting SET value_json = '9' WHERE name = 'intel.review_years'"), 0);
    assert_int_not_equal(t_db_exec(F->db, "DELETE FROM setting"), 0);
    assert_int_not_equal(t_db_exec(F->db, "INSERT INTO setting(name, version, value_json, reason, changed_by,"
                                          " changed_at) VALUES ('intel.review_years', 5, '9', 'skip', 1, 1)"), 0);
}

/* Records made before and after a change: each keeps what it was made with. */
static void records_keep_the_values_they_were_made_with(void **state)
{
    (void)state;
    char six[11], ten[11];
    today_plus_years(6, six);
    today_plus_years(10, ten);
    /* before: the seeded mapping (E -> 2) and period (6 years) */
    json_t *a = json_ok("toex-analyst", "intel", "add", T1, "--text", "Old system record", "--source",
                        "Force system", "--legacy", "E15", NULL);
    const char *ref_a = json_string_value(json_object_get(a, "ref"));
    assert_string_equal(json_string_value(json_object_get(json_object_get(a, "grade"), "display")), "2A C");
    assert_int_equal(json_integer_value(json_object_get(a, "grade_map_version")), 1);
    assert_string_equal(json_string_value(json_object_get(a, "review_date")), six);
    json_t *p = json_ok("toex-analyst", "intel", "add", T1, "--text", "Graded today", "--source",
                        "Officer", "--grade", "1B", "--handling", "P", NULL);
    assert_true(json_is_null(json_object_get(p, "grade_map_version")));
    json_decref(p);

    /* the admin changes the mapping and the period, with reasons */
    json_t *s = json_ok("admin", SET("grade.legacy_map", map_e_to_3, "E sources are not reliable"), NULL);
    assert_int_equal(json_integer_value(json_object_get(s, "version")), 2);
    assert_string_equal(json_string_value(json_object_get(s, "changed_by")), "admin");
    json_decref(s);
    s = json_ok("admin", SET("intel.review_years", "10", "MoPI group 1: ten years"), "--if-version", "1", NULL);
    assert_int_equal(json_integer_value(json_object_get(s, "version")), 2);
    assert_int_equal(json_integer_value(json_object_get(s, "value")), 10);
    json_decref(s);
    assert_int_equal(scalar("SELECT count(*) FROM audit WHERE action = 'setting.set'"), 2);
    assert_int_equal(scalar("SELECT count(*) FROM audit WHERE action = 'setting.set' AND object_ref = "
                            "'intel.review_years' AND after_json LIKE '%MoPI group 1: ten years%' AND "
                            "before_json LIKE '%\"version\":1%'"), 1);

    /* after: the new mapping and period */
    json_t *b = json_ok("toex-analyst", "intel", "add", T1, "--text", "Old system record 2", "--source",
                        "Force system", "--legacy", "E15", NULL);
    assert_string_equal(json_string_value(json_object_get(json_object_get(b, "grade"), "display")), "3A C");
    assert_string_equal(json_string_value(json_object_get(json_object_get(b, "grade"), "conditions")),
                        "legacy code 5: not for disclosure");
    assert_int_equal(json_integer_value(json_object_get(b, "grade_map_version")), 2);
    assert_string_equal(json_string_value(json_object_get(b, "review_date")), ten);
    json_decref(b);

    /* the item made before keeps its grade, mapping version and review date */
    json_t *again = json_ok("toex-analyst", "intel", "show", ref_a, NULL);
    assert_string_equal(json_string_value(json_object_get(json_object_get(again, "grade"), "display")), "2A C");
    assert_int_equal(json_integer_value(json_object_get(again, "grade_map_version")), 1);
    assert_string_equal(json_string_value(json_object_get(again, "review_date")), six);
    json_decref(again);
    char *text = ok("toex-analyst", "intel", "show", ref_a, NULL);
    assert_non_null(strstr(text, "legacy 5x5x5 grade: E15 (mapped with grade.legacy_map version 1)"));
    free(text);
    json_decref(a);

    /* the history lists both versions, newest first, with who and why */
    json_t *h = json_ok("wy-spoc", "settings", "history", "intel.review_years", NULL);
    json_t *items = json_object_get(h, "items");
    assert_int_equal(json_array_size(items), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "version")), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "reason")),
                        "MoPI group 1: ten years");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 1), "version")), 1);
    json_decref(h);
    h = json_ok("wy-spoc", "settings", "history", "intel.review_years", "--limit", "1", NULL);
    assert_int_equal(json_array_size(json_object_get(h, "items")), 1);
    assert_string_equal(json_string_value(json_object_get(h, "next")), "2");
    json_decref(h);
    h = json_ok("wy-spoc", "settings", "history", "intel.review_years", "--after", "2", NULL);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(h, "items"), 0),
                                                        "version")), 1);
    assert_true(json_is_null(json_object_get(h, "next")));
    json_decref(h);
}

/* 2 x 5 harms x likelihood 5 x high = 50.0: medium under the seed, high under high >= 45. */
static const char reassessment[] =
    "{\"harm\":{\"physical\":2,\"psychological\":2,\"financial\":2,\"community\":2,"
    "\"victim_vulnerability\":2},\"scale\":1,\"likelihood\":5,\"confidence\":\"high\","
    "\"capacity\":%d,\"capability\":0}";

static char *write_doc(const char *name, int capacity)
{
    char *path = t_fmt("%s/%s", F->dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, reassessment, capacity);
    fclose(f);
    return path;
}

static void reassessment_keeps_its_scoring_version(void **state)
{
    (void)state;
    sql("INSERT INTO tasking(ref, threat_id, state, requesting_agency_id, spoc_id, sio_id, sia_id,"
        " urgency, marking, bid_json, reached_toex, state_since, created_at, updated_at) VALUES"
        " ('" T5 "', (SELECT id FROM threat WHERE ref = 'SOC-900003'), 'reassessment',"
        " (SELECT id FROM agency WHERE code = 'west-yorkshire'), (SELECT id FROM user WHERE name = 'wy-spoc'),"
        " (SELECT id FROM user WHERE name = 'wy-sio'), (SELECT id FROM user WHERE name = 'toex-sia'),"
        " 'routine', 'OFFICIAL', '{}', 1, 1, 1, 1)");
    char *d1 = write_doc("r1.json", 0), *d2 = write_doc("r2.json", 1);
    json_t *r = json_ok("toex-sia", "tasking", "reassess", T5, "--from-json", d1, NULL);
    assert_string_equal(json_string_value(json_object_get(r, "band")), "medium");
    assert_int_equal(json_integer_value(json_object_get(r, "scoring_version")), 1);
    json_decref(r);

    json_t *s = json_ok("admin", SET("assessment.scoring", scoring_high_45, "FTT lowered the high band"), NULL);
    assert_int_equal(json_integer_value(json_object_get(s, "version")), 2);
    json_decref(s);

    /* the SIO signs the version-1 assessment as it was proposed: still medium, still version 1 */
    r = json_ok("wy-sio", "tasking", "reassess", T5, "--from-json", d1, NULL);
    assert_string_equal(json_string_value(json_object_get(r, "band")), "medium");
    assert_int_equal(json_integer_value(json_object_get(r, "scoring_version")), 1);
    json_decref(r);
    /* a new proposal is scored under version 2 */
    r = json_ok("toex-sia", "tasking", "reassess", T5, "--from-json", d2, NULL);
    assert_string_equal(json_string_value(json_object_get(r, "band")), "high");
    assert_int_equal(json_integer_value(json_object_get(r, "scoring_version")), 2);
    assert_non_null(strstr(json_string_value(json_object_get(r, "rationale")), "high >= 45.0"));
    json_decref(r);
    char *text = ok("toex-sia", "tasking", "show", T5, NULL);
    assert_non_null(strstr(text, "score 50.0 high"));
    free(text);
    assert_int_equal(scalar("SELECT count(*) FROM assessment a JOIN assessment_scoring s ON"
                            " s.assessment_id = a.id WHERE a.band = 'medium' AND s.scoring_version = 1"), 1);
    assert_int_equal(scalar("SELECT count(*) FROM assessment a JOIN assessment_scoring s ON"
                            " s.assessment_id = a.id WHERE a.band = 'high' AND s.scoring_version = 2"), 1);
    free(d1);
    free(d2);
}

/* A bid's assessment is scored under the assessment.scoring version current when the bid is
   made, and keeps it: a later change scores later bids only. Runs after the test above (the
   setting is at version 2: high from 45). */
static char *new_bid(const char *title)
{
    static int made; /* each threat its own tasking meeting reference (review 84 L9) */
    char ftm[24];
    snprintf(ftm, sizeof ftm, "WY-FTM-S%d", ++made);
    json_t *th = json_ok("wy-spoc", "threat", "add", "--title", title, "--type", "labour",
                         "--owner", "west-yorkshire", "--sio", "wy-sio", "--force-tasking-ref",
                         ftm, NULL);
    char *path = t_fmt("%s/bid-%s.json", F->dir, json_string_value(json_object_get(th, "ref")));
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "{\"threat\":\"%s\",\"ftm_date\":\"2026-11-20\",\"ftm_ref\":\"WY-FTM-S\","
               "\"summary\":\"Car washes\",\"requirements\":[\"Who controls them?\"],"
               "\"services\":[\"intel_development\"],\"assessment\":",
            json_string_value(json_object_get(th, "ref")));
    fprintf(f, reassessment, 1);
    fprintf(f, "}");
    fclose(f);
    json_decref(th);
    json_t *t = json_ok("wy-spoc", "tasking", "new", "--from-json", path, NULL);
    char *ref = strdup(json_string_value(json_object_get(t, "ref")));
    json_decref(t);
    free(path);
    return ref;
}

static void bid_keeps_its_scoring_version(void **state)
{
    (void)state;
    char *a = new_bid("Bid scored under version 2");
    json_t *t = json_ok("wy-spoc", "tasking", "show", a, NULL);
    json_t *as = json_object_get(json_object_get(t, "bid"), "assessment");
    assert_int_equal(json_integer_value(json_object_get(as, "scoring_version")), 2);
    assert_string_equal(json_string_value(json_object_get(as, "band")), "high"); /* 50 >= 45 */
    json_decref(t);
    /* Back to the seeded bands (high from 60) as version 3. */
    json_t *h = json_ok("wy-spoc", "settings", "history", "assessment.scoring", NULL);
    json_t *items = json_object_get(h, "items");
    json_t *seed = json_object_get(json_array_get(items, json_array_size(items) - 1), "value");
    char *v1 = json_dumps(seed, JSON_COMPACT);
    json_decref(json_ok("admin", SET("assessment.scoring", v1, "back to the seeded bands"), NULL));
    free(v1);
    json_decref(h);
    char *b = new_bid("Bid scored under version 3");
    t = json_ok("wy-spoc", "tasking", "show", b, NULL);
    as = json_object_get(json_object_get(t, "bid"), "assessment");
    assert_int_equal(json_integer_value(json_object_get(as, "scoring_version")), 3);
    assert_string_equal(json_string_value(json_object_get(as, "band")), "medium");
    json_decref(t);
    /* The first bid keeps what it was made with. */
    t = json_ok("wy-spoc", "tasking", "show", a, NULL);
    as = json_object_get(json_object_get(t, "bid"), "assessment");
    assert_int_equal(json_integer_value(json_object_get(as, "scoring_version")), 2);
    assert_string_equal(json_string_value(json_object_get(as, "band")), "high");
    json_decref(t);
    free(a);
    free(b);
}

/* A database at schema 8 (before settings) with records made under the old constants:
   `iom migrate` seeds version 1 of every setting and records that those records used it;
   running migration 9 again (as test_readlog does for 7) adds nothing. Runs last: it takes
   the settings back to the seed. */
static void migration_backfills_version_1(void **state)
{
    (void)state;
    if (t_pg()) { /* PostgreSQL starts at schema 15: no database of schema 8 exists there */
        print_message("skipped on PostgreSQL: migration 9 runs on SQLite databases only\n");
        skip();
    }
    free(ok("toex-analyst", "intel", "add", T1, "--text", "Before settings", "--source", "Force",
            "--legacy", "B24", NULL));
    sql("DROP TABLE intel_grade_map; DROP TABLE assessment_scoring; DROP TABLE setting;"
        " PRAGMA user_version = 8;");
    refused(11, "iom migrate", "wy-spoc", "settings", "list", NULL);
    free(ok(NULL, "migrate", NULL));
    assert_int_equal(scalar("SELECT count(*) FROM setting WHERE version = 1"), SETTINGS_COUNT);
    assert_int_equal(scalar("SELECT count(*) FROM setting"), SETTINGS_COUNT);
    assert_int_equal(scalar("SELECT count(*) FROM intel_item WHERE legacy_grade IS NOT NULL"),
                     scalar("SELECT count(*) FROM intel_grade_map WHERE grade_map_version = 1"));
    assert_true(scalar("SELECT count(*) FROM intel_grade_map") >= 1);
    assert_int_equal(scalar("SELECT count(*) FROM assessment"),
                     scalar("SELECT count(*) FROM assessment_scoring WHERE scoring_version = 1"));
    /* migration 9 again over itself: nothing doubles */
    sql("PRAGMA user_version = 8;");
    free(ok(NULL, "migrate", NULL));
    assert_int_equal(scalar("SELECT count(*) FROM setting"), SETTINGS_COUNT);
    json_t *j = json_ok("wy-spoc", "settings", "show", "intel.review_years", NULL);
    assert_int_equal(json_integer_value(json_object_get(j, "value")), 6);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(seeded_values_are_the_defaults),
        cmocka_unit_test(refusals_change_nothing),
        cmocka_unit_test(records_keep_the_values_they_were_made_with),
        cmocka_unit_test(reassessment_keeps_its_scoring_version),
        cmocka_unit_test(bid_keeps_its_scoring_version),
        cmocka_unit_test(migration_backfills_version_1),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
