/*
 * Vocabularies of docs/domain.md §1 (services, urgency), §6 (NIM products), §8 (tactical options)
 * and §9 (APMIS): every word spelled as in the domain text, round trips, refusals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "domain/products.h"

/* Round trip for one vocabulary: name(i) == words[i], parse(words[i]) == i, "?" past the end,
 * and near misses refused with a message listing every word. */
#define CHECK_VOCAB(fn, type, count, field, words)                                         \
    do {                                                                                   \
        assert_int_equal(sizeof(words) / sizeof((words)[0]), (count));                     \
        for (int i_ = 0; i_ < (count); i_++) {                                             \
            type v_;                                                                       \
            assert_string_equal(products_##fn##_name((type)i_), (words)[i_]);              \
            assert_int_equal(products_##fn##_parse((words)[i_], &v_, NULL), IOM_OK);       \
            assert_int_equal(v_, i_);                                                      \
            char up_[64];                                                                  \
            snprintf(up_, sizeof up_, "%s", (words)[i_]);                                  \
            up_[0] = (char)(up_[0] - 32);                                                  \
            iom_error e_ = {0};                                                            \
            v_ = (type)0;                                                                  \
            assert_int_equal(products_##fn##_parse(up_, &v_, &e_), IOM_EINVAL);            \
            assert_int_equal(v_, 0);                                                       \
            char want_[160];                                                              \
            snprintf(want_, sizeof want_, "%s: '%s' is not one of: ", field, up_);         \
            assert_non_null(strstr(e_.msg, want_));                                        \
            for (int j_ = 0; j_ < (count); j_++)                                           \
                assert_non_null(strstr(e_.msg, (words)[j_]));                              \
        }                                                                                  \
        assert_string_equal(products_##fn##_name((type)(count)), "?");                     \
        type w_;                                                                           \
        assert_int_equal(products_##fn##_parse(NULL, &w_, NULL), IOM_EINVAL);              \
        assert_int_equal(products_##fn##_parse("", &w_, NULL), IOM_EINVAL);                \
    } while (0)

static void test_product_types(void **state)
{
    (void)state;
    static const char *const words[] = {
        "strategic_assessment",    "tactical_assessment",
        "subject_profile",         "problem_profile",
        "crime_pattern_analysis",  "demographic_social_trend_analysis",
        "network_analysis",        "market_profile",
        "criminal_business_profile", "risk_analysis",
        "target_profile_analysis", "operational_intelligence_assessment",
        "results_analysis",        "financial_analysis",
        "intelligence_report",
    };
    CHECK_VOCAB(type, iom_product_type, IOM_PRODUCT_TYPE_COUNT, "product type", words);
    int fam[3] = {0};
    for (int i = 0; i < IOM_PRODUCT_TYPE_COUNT; i++)
        fam[products_type_family((iom_product_type)i)]++;
    assert_int_equal(fam[IOM_PRODUCT_NIM_INTELLIGENCE], 4); /* the four NIM products */
    assert_int_equal(fam[IOM_PRODUCT_NIM_ANALYTICAL], 9);   /* nine analytical products */
    assert_int_equal(fam[IOM_PRODUCT_TOEX], 2);             /* beyond the NIM list */
    assert_int_equal(products_type_family(IOM_PRODUCT_FINANCIAL_ANALYSIS), IOM_PRODUCT_TOEX);
    iom_product_type t;
    iom_error e = {0};
    assert_int_equal(products_type_parse("threat_assessment", &t, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "product type: 'threat_assessment'"));
}

static void test_options(void **state)
{
    (void)state;
    static const char *const strands[] = {"pursue", "prevent", "protect", "prepare"};
    CHECK_VOCAB(strand, iom_strand, IOM_STRAND_COUNT, "strand", strands);
    static const char *const statuses[] = {"proposed", "accepted", "declined", "actioned"};
    CHECK_VOCAB(option_status, iom_option_status, IOM_OPTION_STATUS_COUNT, "option status",
                statuses);
}

/* Every from x to pair of option statuses. */
static void test_option_status_moves(void **state)
{
    (void)state;
    /* rows: from; columns: to (proposed, accepted, declined, actioned) */
    static const bool allowed[4][4] = {
        {false, true, true, false},  /* proposed -> accepted | declined */
        {false, false, true, true},  /* accepted -> declined | actioned */
        {false, false, false, false}, /* declined is final */
        {false, false, false, false}, /* actioned is final */
    };
    for (int f = 0; f < 4; f++)
        for (int t = 0; t < 4; t++) {
            iom_error e = {0};
            iom_err rc = products_option_status_check((iom_option_status)f, (iom_option_status)t,
                                                      &e);
            assert_int_equal(rc, allowed[f][t] ? IOM_OK : IOM_ECONFLICT);
            if (!allowed[f][t]) {
                char want[80];
                snprintf(want, sizeof want, "cannot go from '%s' to '%s'",
                         products_option_status_name((iom_option_status)f),
                         products_option_status_name((iom_option_status)t));
                assert_non_null(strstr(e.msg, want));
            }
        }
    assert_int_equal(products_option_status_check(IOM_OPTION_STATUS_COUNT, IOM_OPTION_ACCEPTED,
                                                  NULL), IOM_ECONFLICT);
    assert_int_equal(products_option_status_check(IOM_OPTION_PROPOSED, IOM_OPTION_STATUS_COUNT,
                                                  NULL), IOM_ECONFLICT);
}

static void test_apmis(void **state)
{
    (void)state;
    static const char *const impacts[] = {"major", "moderate", "minor", "none", "negative"};
    CHECK_VOCAB(impact, iom_apmis_impact, IOM_IMPACT_COUNT, "impact", impacts);
    static const char *const types[] = {"arrest",         "charge",       "conviction",
                                        "seizure",        "victims_safeguarded",
                                        "order_obtained", "asset_freeze", "immigration_action",
                                        "other"};
    CHECK_VOCAB(disruption, iom_disruption_type, IOM_DISRUPTION_TYPE_COUNT, "disruption type",
                types);
}

static void test_services_and_urgency(void **state)
{
    (void)state;
    static const char *const services[] = {"tasked_support",    "rocu_capability",
                                           "apmis",             "intel_development",
                                           "financial_intelligence", "ownership_support"};
    CHECK_VOCAB(service, iom_service, IOM_SERVICE_COUNT, "service", services);
    static const char *const urgencies[] = {"routine", "priority", "urgent"};
    CHECK_VOCAB(urgency, iom_urgency, IOM_URGENCY_COUNT, "urgency", urgencies);
    assert_int_equal(products_urgency_default_days(IOM_URGENCY_ROUTINE), 10);
    assert_int_equal(products_urgency_default_days(IOM_URGENCY_PRIORITY), 5);
    assert_int_equal(products_urgency_default_days(IOM_URGENCY_URGENT), 1);
    assert_int_equal(products_urgency_default_days(IOM_URGENCY_COUNT), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_product_types),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_option_status_moves),
        cmocka_unit_test(test_apmis),
        cmocka_unit_test(test_services_and_urgency),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
