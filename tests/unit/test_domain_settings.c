/*
 * domain/settings.h (issue 13 point 1): the defaults are today's constants; each setting's
 * canonical text reads back to the same values; every bad value is refused with the rule it
 * breaks named, and a refusal leaves the settings exactly as they were; an accepted value
 * changes what the rules that read it compute.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "domain/settings.h"

static const char scoring_ok[] =
    "{\"confidence_weight_percent\":{\"low\":60,\"medium\":80,\"high\":100},"
    "\"bands\":{\"low\":{\"from\":0,\"to\":30},\"medium\":{\"from\":30,\"to\":60},"
    "\"high\":{\"from\":60,\"to\":100}},\"national_scale_min\":3,\"regional_scale_min\":2,"
    "\"org_position_min\":5}";

/* Applies json to a copy of the defaults: expects a refusal whose message holds each needle,
   and the settings byte for byte unchanged. */
static void refuse_(settings_id id, const char *json, const char *n1, const char *n2, int line)
{
    iom_settings s, before;
    settings_default(&s);
    before = s;
    iom_error e = {0};
    iom_err rc = settings_apply(&s, id, json, &e);
    if (rc == IOM_OK || !strstr(e.msg, n1) || (n2 && !strstr(e.msg, n2)))
        fprintf(stderr, "line %d: %s -> %d '%s' (wanted '%s'%s%s)\n", line, json, rc, e.msg, n1,
                n2 ? " and " : "", n2 ? n2 : "");
    assert_int_not_equal(rc, IOM_OK);
    assert_non_null(strstr(e.msg, n1));
    if (n2)
        assert_non_null(strstr(e.msg, n2));
    assert_memory_equal(&s, &before, sizeof s);
}
#define REFUSE(id, json, n1, n2) refuse_(id, json, n1, n2, __LINE__)

/* The scoring document with one substring replaced. */
static const char *scoring_with(const char *from, const char *to)
{
    static char buf[1024];
    const char *p = strstr(scoring_ok, from);
    assert_non_null(p);
    snprintf(buf, sizeof buf, "%.*s%s%s", (int)(p - scoring_ok), scoring_ok, to, p + strlen(from));
    return buf;
}

static void defaults_are_todays_constants(void **state)
{
    (void)state;
    iom_settings s;
    settings_default(&s);
    assert_memory_equal(&s.assess, assess_config_default(), sizeof s.assess);
    const grade_legacy_map *d = grade_legacy_default();
    grade_legacy_map m;
    settings_grade_map(&s, &m);
    assert_memory_equal(m.source, d->source, 5);
    assert_memory_equal(m.assessment, d->assessment, 5);
    assert_memory_equal(m.handling, d->handling, 5);
    for (int i = 0; i < 5; i++) {
        if (d->conditions[i])
            assert_string_equal(m.conditions[i], d->conditions[i]);
        else
            assert_null(m.conditions[i]);
    }
    assert_int_equal(s.review_years, 6);
    for (int u = 0; u < IOM_URGENCY_COUNT; u++)
        assert_int_equal(settings_triage_days(&s, (iom_urgency)u),
                         products_urgency_default_days((iom_urgency)u));
    assert_int_equal(settings_triage_days(&s, IOM_URGENCY_COUNT), -1);
    assert_int_equal(s.idle_minutes, 30);
    assert_int_equal(s.absolute_hours, 12);
    assert_int_equal(s.user_max_failures, 5);
    assert_int_equal(s.addr_max_failures, 20);
    assert_int_equal(s.failure_window_minutes, 15);
    assert_int_equal(s.lockout_minutes, 15);
    for (int i = 0; i < SETTINGS_COUNT; i++)
        assert_int_equal(s.version[i], 0);
}

static void names_round_trip(void **state)
{
    (void)state;
    for (int i = 0; i < SETTINGS_COUNT; i++) {
        settings_id id;
        assert_int_equal(settings_parse_name(settings_name((settings_id)i), &id, NULL), IOM_OK);
        assert_int_equal(id, i);
        assert_true(strlen(settings_describe((settings_id)i)) > 10);
    }
    iom_error e = {0};
    settings_id id;
    assert_int_equal(settings_parse_name("intel.review", &id, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "'intel.review' is not one of"));
    assert_string_equal(settings_name(SETTINGS_COUNT), "?");
}

/* format(defaults) applied to other values gives the defaults back, for every setting. */
static void canonical_text_round_trips(void **state)
{
    (void)state;
    iom_settings def, other;
    settings_default(&def);
    for (int i = 0; i < SETTINGS_COUNT; i++) {
        char text[SETTINGS_VALUE_MAX];
        assert_non_null(settings_format(&def, (settings_id)i, text, sizeof text));
        other = def;
        /* disturb the setting, then read the default text back */
        other.assess.band_high_tenths = 700;
        other.grade_source[4] = '3';
        other.review_years = 9;
        other.triage_days[0] = 20;
        other.idle_minutes = 5;
        other.user_max_failures = 9;
        iom_error e = {0};
        assert_int_equal(settings_apply(&other, (settings_id)i, text, &e), IOM_OK);
        char again[SETTINGS_VALUE_MAX];
        assert_non_null(settings_format(&other, (settings_id)i, again, sizeof again));
        assert_string_equal(text, again);
    }
    char tiny[4];
    assert_null(settings_format(&def, SETTINGS_ASSESSMENT_SCORING, tiny, sizeof tiny));
    char text[SETTINGS_VALUE_MAX];
    assert_string_equal(settings_format(&def, SETTINGS_INTEL_REVIEW_YEARS, text, sizeof text), "6");
    assert_string_equal(settings_format(&def, SETTINGS_TRIAGE_TARGET_DAYS, text, sizeof text),
                        "{\"priority\":5,\"routine\":10,\"urgent\":1}");
}

static void scoring_refusals_name_the_rule(void **state)
{
    (void)state;
    const settings_id S = SETTINGS_ASSESSMENT_SCORING;
    /* a band that does not cover the scale */
    REFUSE(S, scoring_with("\"medium\":{\"from\":30", "\"medium\":{\"from\":35"),
           "no band holds a score from 30.0 up to 35.0", "rule: the bands cover the score scale");
    REFUSE(S, scoring_with("\"low\":{\"from\":0", "\"low\":{\"from\":5"),
           "bands.low: starts at 5.0", "rule: the bands cover the score scale");
    REFUSE(S, scoring_with("\"to\":100", "\"to\":99.9"), "bands.high: ends at 99.9",
           "rule: the bands cover the score scale");
    /* overlapping bands */
    REFUSE(S, scoring_with("\"high\":{\"from\":60", "\"high\":{\"from\":55"),
           "bands.high: starts at 55.0, inside medium", "rule: bands do not overlap");
    /* an empty or reversed band, a bound off the scale or too precise */
    REFUSE(S, scoring_with("\"medium\":{\"from\":30,\"to\":60}", "\"medium\":{\"from\":60,\"to\":30}"),
           "bands.medium: from 60.0 is not below to 30.0", "rule:");
    REFUSE(S, scoring_with("\"to\":100", "\"to\":101"), "bands.high.to: 101 is outside 0-100", NULL);
    REFUSE(S, scoring_with("\"to\":30", "\"to\":29.95"), "more than one decimal place", NULL);
    /* weights */
    REFUSE(S, scoring_with("\"low\":60", "\"low\":0"), "confidence_weight_percent.low: 0 is outside",
           "rule: a confidence weight is above 0");
    REFUSE(S, scoring_with("\"high\":100", "\"high\":120"), "confidence_weight_percent.high", NULL);
    /* a non-number */
    REFUSE(S, scoring_with("\"medium\":80", "\"medium\":\"80\""),
           "confidence_weight_percent.medium: must be a number", NULL);
    REFUSE(S, scoring_with("\"national_scale_min\":3", "\"national_scale_min\":2.5"),
           "national_scale_min: 2.5 is not a whole number", NULL);
    REFUSE(S, scoring_with("\"regional_scale_min\":2", "\"regional_scale_min\":4"),
           "regional_scale_min: 4 is outside 1-3", "not above the national one");
    /* shape */
    REFUSE(S, scoring_with("\"org_position_min\":5", "\"org_position_min\":5,\"extra\":1"),
           "assessment.scoring.extra: unknown field", NULL);
    REFUSE(S, scoring_with(",\"org_position_min\":5", ""), "org_position_min: missing", NULL);
    REFUSE(S, "{", "not JSON", NULL);
    REFUSE(S, "", "no value given", NULL);
    REFUSE(S, "[]", "assessment.scoring: must be an object", NULL);
}

static void scoring_changes_the_band(void **state)
{
    (void)state;
    iom_settings s;
    settings_default(&s);
    /* 10 x 5 x high = 50.0: medium under the defaults */
    assess_input in = {.harm = {2, 2, 2, 2, 2}, .scale = 1, .likelihood = 5,
                       .confidence = IOM_CONFIDENCE_HIGH};
    assess_result r;
    assert_int_equal(assess_compute(&r, &in, &s.assess, NULL), IOM_OK);
    assert_int_equal(r.band, IOM_BAND_MEDIUM);
    iom_error e = {0};
    const char *v = scoring_with("\"medium\":{\"from\":30,\"to\":60},\"high\":{\"from\":60",
                                 "\"medium\":{\"from\":30,\"to\":45},\"high\":{\"from\":45");
    assert_int_equal(settings_apply(&s, SETTINGS_ASSESSMENT_SCORING, v, &e), IOM_OK);
    assert_int_equal(assess_compute(&r, &in, &s.assess, NULL), IOM_OK);
    assert_int_equal(r.band, IOM_BAND_HIGH);
    assert_non_null(strstr(r.rationale, "high >= 45.0"));
    /* a weight of 62.5 percent is 625 thousandths: 10 x 5 x 0.625 = 31.3 (31.25 half up) */
    v = scoring_with("\"low\":60", "\"low\":62.5");
    assert_int_equal(settings_apply(&s, SETTINGS_ASSESSMENT_SCORING, v, &e), IOM_OK);
    assert_int_equal(s.assess.weight_milli[IOM_CONFIDENCE_LOW], 625);
    in.confidence = IOM_CONFIDENCE_LOW;
    assert_int_equal(assess_compute(&r, &in, &s.assess, NULL), IOM_OK);
    assert_int_equal(r.score_tenths, 313);
}

static const char map_ok[] =
    "{\"source\":{\"A\":\"1\",\"B\":\"1\",\"C\":\"2\",\"D\":\"3\",\"E\":\"2\"},"
    "\"intelligence\":{\"1\":\"A\",\"2\":\"A\",\"3\":\"B\",\"4\":\"C\",\"5\":\"E\"},"
    "\"handling\":{\"1\":\"P\",\"2\":\"P\",\"3\":\"P\",\"4\":\"C\",\"5\":\"C\"},"
    "\"conditions\":{\"4\":\"code 4\",\"5\":\"code 5\"}}";

static const char *map_with(const char *from, const char *to)
{
    static char buf[1024];
    const char *p = strstr(map_ok, from);
    assert_non_null(p);
    snprintf(buf, sizeof buf, "%.*s%s%s", (int)(p - map_ok), map_ok, to, p + strlen(from));
    return buf;
}

static void grade_map_refusals_and_use(void **state)
{
    (void)state;
    const settings_id G = SETTINGS_GRADE_LEGACY_MAP;
    /* a mapping to an unknown grade */
    REFUSE(G, map_with("\"E\":\"2\"", "\"E\":\"4\""), "source.E: '4' is not a known grade",
           "rule: every 5x5x5 code maps to a known 3x5x2 grade");
    REFUSE(G, map_with("\"5\":\"E\"", "\"5\":\"F\""), "intelligence.5: 'F' is not a known grade", NULL);
    REFUSE(G, map_with("\"1\":\"P\"", "\"1\":\"X\""), "handling.1: 'X' is not a known grade", NULL);
    REFUSE(G, map_with("\"1\":\"P\"", "\"1\":1"), "a non-text value is not a known grade", NULL);
    REFUSE(G, map_with(",\"E\":\"2\"", ""), "source.E: missing", NULL);
    /* conditions belong to C, and every C has them */
    REFUSE(G, map_with(",\"5\":\"code 5\"", ""), "conditions.5: missing for a code that maps to C",
           "rule: a C item must carry its conditions");
    REFUSE(G, map_with("\"5\":\"code 5\"", "\"5\":\"   \""), "conditions.5: blank", NULL);
    REFUSE(G, map_with("{\"4\":\"code 4\"", "{\"1\":\"x\",\"4\":\"code 4\""),
           "conditions.1: given for a code that maps to P", NULL);
    REFUSE(G, map_with("\"5\":\"code 5\"", "\"5\":\"line\\nbreak\""), "conditions.5", NULL);

    iom_settings s;
    settings_default(&s);
    iom_error e = {0};
    assert_int_equal(settings_apply(&s, G, map_with("\"E\":\"2\"", "\"E\":\"3\""), &e), IOM_OK);
    grade_legacy_map m;
    settings_grade_map(&s, &m);
    iom_grade g;
    char original[GRADE_LEGACY_MAX];
    assert_int_equal(grade_from_legacy(&g, original, "E15", &m, NULL), IOM_OK);
    assert_int_equal(g.source, '3');
    assert_int_equal(g.assessment, 'A');
    assert_int_equal(g.handling, 'C');
    assert_string_equal(g.conditions, "code 5");
    assert_string_equal(original, "E15");
}

static void periods_and_limits(void **state)
{
    (void)state;
    /* a negative period, zero, a non-number, a fraction */
    REFUSE(SETTINGS_INTEL_REVIEW_YEARS, "-1", "intel.review_years: -1 is outside 1-100",
           "rule: a review period is a whole number of years");
    REFUSE(SETTINGS_INTEL_REVIEW_YEARS, "0", "0 is outside 1-100", NULL);
    REFUSE(SETTINGS_INTEL_REVIEW_YEARS, "\"6\"", "intel.review_years: must be a number", NULL);
    REFUSE(SETTINGS_INTEL_REVIEW_YEARS, "6.5", "6.5 is not a whole number", NULL);
    REFUSE(SETTINGS_INTEL_REVIEW_YEARS, "null", "must be a number", NULL);
    /* JSON has one kind of number: 7.0 and 7e0 are 7 (review 72: "7 is not a whole number") */
    for (int k = 0; k < 2; k++) {
        iom_settings s;
        settings_default(&s);
        iom_error e = {0};
        assert_int_equal(settings_apply(&s, SETTINGS_INTEL_REVIEW_YEARS, k ? "7e0" : "7.0", &e), IOM_OK);
        assert_int_equal(s.review_years, 7);
    }
    REFUSE(SETTINGS_INTEL_REVIEW_YEARS, "1e300", "is not a whole number", NULL);

    const settings_id T = SETTINGS_TRIAGE_TARGET_DAYS;
    REFUSE(T, "{\"routine\":10,\"priority\":12,\"urgent\":1}", "priority 12, routine 10",
           "rule: a more urgent bid is never given longer");
    REFUSE(T, "{\"routine\":10,\"priority\":5,\"urgent\":-1}", "urgent: -1 is outside 1-60", NULL);
    REFUSE(T, "{\"routine\":10,\"priority\":5}", "triage.target_days.urgent: missing", NULL);
    REFUSE(T, "{\"routine\":\"ten\",\"priority\":5,\"urgent\":1}", "routine: must be a number", NULL);

    REFUSE(SETTINGS_AUTH_SESSION, "{\"idle_minutes\":1000,\"absolute_hours\":12}",
           "idle_minutes 1000 is longer than absolute_hours 12", "rule: the idle expiry");
    REFUSE(SETTINGS_AUTH_SESSION, "{\"idle_minutes\":0,\"absolute_hours\":12}",
           "idle_minutes: 0 is outside 1-1440", NULL);
    REFUSE(SETTINGS_AUTH_LOCKOUT,
           "{\"user_max_failures\":\"five\",\"addr_max_failures\":20,"
           "\"failure_window_minutes\":15,\"lockout_minutes\":15}",
           "auth.lockout.user_max_failures: must be a number", NULL);
    REFUSE(SETTINGS_AUTH_LOCKOUT,
           "{\"user_max_failures\":5,\"addr_max_failures\":20,"
           "\"failure_window_minutes\":15,\"lockout_minutes\":-15}",
           "lockout_minutes: -15 is outside 1-1440", NULL);

    iom_settings s;
    settings_default(&s);
    iom_error e = {0};
    assert_int_equal(settings_apply(&s, T, "{\"routine\":8,\"priority\":3,\"urgent\":1}", &e), IOM_OK);
    assert_int_equal(settings_triage_days(&s, IOM_URGENCY_ROUTINE), 8);
    assert_int_equal(settings_triage_days(&s, IOM_URGENCY_PRIORITY), 3);
    assert_int_equal(settings_apply(&s, SETTINGS_INTEL_REVIEW_YEARS, "10", &e), IOM_OK);
    assert_int_equal(s.review_years, 10);
    assert_int_equal(settings_apply(&s, SETTINGS_AUTH_LOCKOUT,
                                    "{\"user_max_failures\":3,\"addr_max_failures\":50,"
                                    "\"failure_window_minutes\":10,\"lockout_minutes\":60}", &e),
                     IOM_OK);
    assert_int_equal(s.user_max_failures, 3);
    assert_int_equal(s.lockout_minutes, 60);
    /* too large a document */
    char big[SETTINGS_VALUE_MAX + 16];
    memset(big, ' ', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    big[0] = '6';
    assert_int_equal(settings_apply(&s, SETTINGS_INTEL_REVIEW_YEARS, big, &e), IOM_ETOOBIG);
    assert_int_equal(s.review_years, 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_are_todays_constants),
        cmocka_unit_test(names_round_trip),
        cmocka_unit_test(canonical_text_round_trips),
        cmocka_unit_test(scoring_refusals_name_the_rule),
        cmocka_unit_test(scoring_changes_the_band),
        cmocka_unit_test(grade_map_refusals_and_use),
        cmocka_unit_test(periods_and_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
