/*
 * MoRiLE-style assessment (docs/domain.md §7) against tests/fixtures/domain_assess.csv, whose
 * scores, bands and recommendations were computed by hand from the formula of §7.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/assess.h"

static int split(char *line, char **f, int max)
{
    line[strcspn(line, "\n")] = '\0';
    int n = 0;
    char *p = line;
    while (n < max) {
        f[n++] = strsep(&p, ",");
        if (!p)
            break;
    }
    return n;
}

static void test_fixture(void **state)
{
    (void)state;
    FILE *fp = fopen(IOM_SOURCE_DIR "/tests/fixtures/domain_assess.csv", "r");
    assert_non_null(fp);
    char line[512];
    assert_non_null(fgets(line, sizeof line, fp));
    int rows = 0, failures = 0;
    while (fgets(line, sizeof line, fp)) {
        rows++;
        char copy[512], *f[16];
        snprintf(copy, sizeof copy, "%s", line);
        assert_int_equal(split(copy, f, 16), 16);
        assess_input in = {0};
        for (int h = 0; h < IOM_HARM_COUNT; h++)
            in.harm[h] = atoi(f[h]);
        in.scale = atoi(f[5]);
        in.likelihood = atoi(f[6]);
        iom_error e = {0};
        iom_err rc = assess_confidence_parse(f[7], &in.confidence, &e);
        in.capacity = atoi(f[8]);
        in.capability = atoi(f[9]);
        in.needs_national_capability = atoi(f[10]) != 0;
        in.needs_rocu_capability = atoi(f[11]) != 0;
        assess_result r;
        memset(&r, 0x5a, sizeof r);
        if (rc == IOM_OK)
            rc = assess_compute(&r, &in, NULL, &e);
        bool ok;
        char score[16] = "";
        if (strcmp(f[12], "invalid") == 0) {
            ok = rc == IOM_EINVAL && e.msg[0] && r.score_tenths == 0x5a5a5a5a;
        } else {
            snprintf(score, sizeof score, "%d.%d", r.score_tenths / 10, r.score_tenths % 10);
            ok = rc == IOM_OK && strcmp(score, f[12]) == 0 &&
                 strcmp(assess_band_name(r.band), f[13]) == 0 &&
                 strcmp(assess_recommendation_name(r.recommendation), f[14]) == 0 &&
                 strstr(r.rationale, "Recommendation ") && strstr(r.rationale, score);
        }
        if (!ok) {
            failures++;
            print_error("row %d (%s): %s -> %s score=%s band=%s rec=%s (%s) [%s]\n", rows + 1,
                        f[15], line, iom_err_name(rc), score, assess_band_name(r.band),
                        assess_recommendation_name(r.recommendation), e.msg, r.rationale);
        }
    }
    fclose(fp);
    print_message("domain_assess.csv: %d rows checked\n", rows);
    assert_true(rows >= 40);
    assert_int_equal(failures, 0);
}

/* The band thresholds, exactly: 59.9 medium, 60.0 high, 29.9 low, 30.0 medium. Weights of
 * three decimals make such scores reachable. */
static void test_boundaries_and_rounding(void **state)
{
    (void)state;
    assess_config c = *assess_config_default();
    c.weight_milli[IOM_CONFIDENCE_LOW] = 999;
    assess_input in = {{4, 4, 4, 3, 0}, 1, 4, IOM_CONFIDENCE_LOW, 0, 0, false, false};
    assess_result r;
    /* 15 x 4 x 0.999 = 59.94 -> 59.9 medium */
    assert_int_equal(assess_compute(&r, &in, &c, NULL), IOM_OK);
    assert_int_equal(r.score_tenths, 599);
    assert_int_equal(r.band, IOM_BAND_MEDIUM);
    /* 10 x 3 x 0.999 = 29.97 -> 30.0 (half up), medium */
    in = (assess_input){{2, 2, 2, 2, 2}, 1, 3, IOM_CONFIDENCE_LOW, 0, 0, false, false};
    assert_int_equal(assess_compute(&r, &in, &c, NULL), IOM_OK);
    assert_int_equal(r.score_tenths, 300);
    assert_int_equal(r.band, IOM_BAND_MEDIUM);
    /* 1 x 1 x 0.75 = 0.75 -> 0.8: half rounds up */
    c.weight_milli[IOM_CONFIDENCE_LOW] = 750;
    in = (assess_input){{1, 0, 0, 0, 0}, 1, 1, IOM_CONFIDENCE_LOW, 0, 0, false, false};
    assert_int_equal(assess_compute(&r, &in, &c, NULL), IOM_OK);
    assert_int_equal(r.score_tenths, 8);
    assert_true(assess_score(&r) > 0.79 && assess_score(&r) < 0.81);
    /* 29.9 is low: 13 x 3 x 0.7667 = 29.90 */
    c.weight_milli[IOM_CONFIDENCE_LOW] = 767;
    in = (assess_input){{4, 3, 2, 2, 2}, 1, 3, IOM_CONFIDENCE_LOW, 0, 0, false, false};
    assert_int_equal(assess_compute(&r, &in, &c, NULL), IOM_OK);
    assert_int_equal(r.score_tenths, 299);
    assert_int_equal(r.band, IOM_BAND_LOW);
}

static void test_config(void **state)
{
    (void)state;
    const assess_config *d = assess_config_default();
    assert_int_equal(d->weight_milli[0], 600);
    assert_int_equal(d->weight_milli[1], 800);
    assert_int_equal(d->weight_milli[2], 1000);
    assert_int_equal(d->band_high_tenths, 600);
    assert_int_equal(d->band_medium_tenths, 300);
    assert_int_equal(d->national_scale_min, 3);
    assert_int_equal(d->regional_scale_min, 2);
    assert_int_equal(d->org_position_min, 5);
    assert_int_equal(assess_config_check(d, NULL), IOM_OK);

    iom_error e = {0};
    assess_config c = *d;
    c.weight_milli[2] = 1001;
    assert_int_equal(assess_config_check(&c, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "weight_milli.high: 1001 is outside 1-1000"));
    c = *d, c.weight_milli[0] = 0;
    assert_int_equal(assess_config_check(&c, NULL), IOM_EINVAL);
    c = *d, c.band_medium_tenths = 700;
    assert_int_equal(assess_config_check(&c, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "band_medium_tenths"));
    c = *d, c.band_high_tenths = 1001;
    assert_int_equal(assess_config_check(&c, NULL), IOM_EINVAL);
    c = *d, c.regional_scale_min = 4;
    assert_int_equal(assess_config_check(&c, NULL), IOM_EINVAL);
    c = *d, c.national_scale_min = 6;
    assert_int_equal(assess_config_check(&c, NULL), IOM_EINVAL);
    c = *d, c.org_position_min = 10;
    assert_int_equal(assess_config_check(&c, NULL), IOM_EINVAL);
    assert_int_equal(assess_config_check(NULL, NULL), IOM_EINVAL);
    /* a bad config refuses the computation */
    assess_input in = {{1, 1, 1, 1, 1}, 1, 1, IOM_CONFIDENCE_LOW, 0, 0, false, false};
    assess_result r;
    c = *d, c.weight_milli[1] = -5;
    assert_int_equal(assess_compute(&r, &in, &c, NULL), IOM_EINVAL);
    /* an override changes the recommendation: org position threshold 9 disables it */
    c = *d, c.org_position_min = 9;
    in.capacity = 4, in.capability = 4;
    assert_int_equal(assess_compute(&r, &in, &c, NULL), IOM_OK);
    assert_int_equal(r.recommendation, IOM_RECOMMEND_REMAIN);
    assert_int_equal(assess_compute(&r, &in, NULL, NULL), IOM_OK);
    assert_int_equal(r.recommendation, IOM_RECOMMEND_REGIONAL);
}

static void test_rationale(void **state)
{
    (void)state;
    assess_result r;
    assess_input in = {{4, 3, 2, 2, 2}, 2, 3, IOM_CONFIDENCE_MEDIUM, 3, 3, false, true};
    assert_int_equal(assess_compute(&r, &in, NULL, NULL), IOM_OK);
    assert_string_equal(r.rationale,
                        "Score 31.2 = harm 13 x likelihood 3 x confidence medium (0.8); band "
                        "medium (high >= 60.0, medium >= 30.0). Recommendation regional: scale 2 "
                        "(several forces in one region) >= 2; needs ROCU capability; capacity 3 "
                        "+ capability 3 = 6 >= 5.");
    in = (assess_input){{4, 4, 4, 4, 4}, 3, 5, IOM_CONFIDENCE_HIGH, 0, 0, true, false};
    assert_int_equal(assess_compute(&r, &in, NULL, NULL), IOM_OK);
    assert_non_null(strstr(r.rationale, "Recommendation national: scale 3 (several regions) >= "
                                        "3; band high and needs national capability."));
    assert_non_null(strstr(r.rationale, "confidence high (1)"));
    in = (assess_input){{1, 1, 1, 1, 1}, 1, 2, IOM_CONFIDENCE_LOW, 1, 1, true, false};
    assert_int_equal(assess_compute(&r, &in, NULL, NULL), IOM_OK);
    assert_string_equal(r.rationale,
                        "Score 6.0 = harm 5 x likelihood 2 x confidence low (0.6); band low "
                        "(high >= 60.0, medium >= 30.0). Recommendation remain: scale 1 (single "
                        "force) below 2; no ROCU capability needed; capacity 1 + capability 1 = "
                        "2 below 5; national capability needed but band is low, not high.");
    assert_true(strlen(r.rationale) < ASSESS_RATIONALE_MAX - 1);
}

static void test_input_messages(void **state)
{
    (void)state;
    iom_error e = {0};
    assess_input in = {{0, 0, 0, 0, 9}, 1, 1, IOM_CONFIDENCE_LOW, 0, 0, false, false};
    assert_int_equal(assess_input_check(&in, &e), IOM_EINVAL);
    assert_string_equal(e.msg, "harm.victim_vulnerability: 9 is outside 0-4; rule: each harm is "
                               "scored 0-4");
    in.harm[4] = 0, in.confidence = (iom_confidence)7;
    assert_int_equal(assess_input_check(&in, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "confidence: 7"));
    assert_int_equal(assess_input_check(NULL, &e), IOM_EINVAL);
    assess_result r;
    assert_int_equal(assess_compute(&r, NULL, NULL, &e), IOM_EINVAL);
}

static void test_names(void **state)
{
    (void)state;
    static const char *const conf[] = {"low", "medium", "high"};
    for (int i = 0; i < IOM_CONFIDENCE_COUNT; i++) {
        iom_confidence c;
        assert_string_equal(assess_confidence_name((iom_confidence)i), conf[i]);
        assert_int_equal(assess_confidence_parse(conf[i], &c, NULL), IOM_OK);
        assert_int_equal(c, i);
    }
    static const char *const rec[] = {"remain", "regional", "national"};
    for (int i = 0; i < IOM_RECOMMEND_COUNT; i++) {
        iom_recommendation x;
        assert_string_equal(assess_recommendation_name((iom_recommendation)i), rec[i]);
        assert_int_equal(assess_recommendation_parse(rec[i], &x, NULL), IOM_OK);
        assert_int_equal(x, i);
    }
    iom_confidence c = IOM_CONFIDENCE_HIGH;
    iom_error e = {0};
    assert_int_equal(assess_confidence_parse("High", &c, &e), IOM_EINVAL);
    assert_string_equal(e.msg, "confidence: 'High' is not one of: low, medium, high");
    assert_int_equal(c, IOM_CONFIDENCE_HIGH);
    iom_recommendation x;
    assert_int_equal(assess_recommendation_parse(NULL, &x, NULL), IOM_EINVAL);
    assert_string_equal(assess_band_name(IOM_BAND_HIGH), "high");
    assert_string_equal(assess_band_name(IOM_BAND_COUNT), "?");
    assert_string_equal(assess_confidence_name(IOM_CONFIDENCE_COUNT), "?");
    assert_string_equal(assess_recommendation_name(IOM_RECOMMEND_COUNT), "?");
    assert_string_equal(assess_harm_name(IOM_HARM_PHYSICAL), "physical");
    assert_string_equal(assess_harm_name(IOM_HARM_COUNT), "?");
    assert_string_equal(assess_scale_text(4), "international");
    assert_string_equal(assess_scale_text(0), "?");
    assert_string_equal(assess_scale_text(5), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture),
        cmocka_unit_test(test_boundaries_and_rounding),
        cmocka_unit_test(test_config),
        cmocka_unit_test(test_rationale),
        cmocka_unit_test(test_input_messages),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
