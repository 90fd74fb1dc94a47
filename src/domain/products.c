#include "domain/products.h"

#include "util/words.h"

#include <stdio.h>
#include <string.h>

static const char *const type_words[IOM_PRODUCT_TYPE_COUNT] = {
    "strategic_assessment",
    "tactical_assessment",
    "subject_profile",
    "problem_profile",
    "crime_pattern_analysis",
    "demographic_social_trend_analysis",
    "network_analysis",
    "market_profile",
    "criminal_business_profile",
    "risk_analysis",
    "target_profile_analysis",
    "operational_intelligence_assessment",
    "results_analysis",
    "financial_analysis",
    "intelligence_report",
};
static const char *const strand_words[IOM_STRAND_COUNT] = {"pursue", "prevent", "protect",
                                                           "prepare"};
static const char *const status_words[IOM_OPTION_STATUS_COUNT] = {"proposed", "accepted",
                                                                  "declined", "actioned"};
static const char *const impact_words[IOM_IMPACT_COUNT] = {"major", "moderate", "minor", "none",
                                                           "negative"};
static const char *const disruption_words[IOM_DISRUPTION_TYPE_COUNT] = {
    "arrest",         "charge",       "conviction",         "seizure", "victims_safeguarded",
    "order_obtained", "asset_freeze", "immigration_action", "other",
};
static const char *const service_words[IOM_SERVICE_COUNT] = {
    "tasked_support",         "rocu_capability",   "apmis", "intel_development",
    "financial_intelligence", "ownership_support",
};
static const char *const urgency_words[IOM_URGENCY_COUNT] = {"routine", "priority", "urgent"};

#define NAME_PARSE(fn, type, field, words, count)                                          \
    const char *products_##fn##_name(type v) { return iom_word_name(words, count, (int)v); }       \
    iom_err products_##fn##_parse(const char *s, type *out, iom_error *e)                 \
    {                                                                                      \
        int i = 0;                                                                         \
        iom_err rc = iom_word_parse(field, s, words, count, &i, e);                        \
        if (rc == IOM_OK)                                                                  \
            *out = (type)i;                                                                \
        return rc;                                                                         \
    }

NAME_PARSE(type, iom_product_type, "product type", type_words, IOM_PRODUCT_TYPE_COUNT)
NAME_PARSE(strand, iom_strand, "strand", strand_words, IOM_STRAND_COUNT)
NAME_PARSE(option_status, iom_option_status, "option status", status_words,
           IOM_OPTION_STATUS_COUNT)
NAME_PARSE(impact, iom_apmis_impact, "impact", impact_words, IOM_IMPACT_COUNT)
NAME_PARSE(disruption, iom_disruption_type, "disruption type", disruption_words,
           IOM_DISRUPTION_TYPE_COUNT)
NAME_PARSE(service, iom_service, "service", service_words, IOM_SERVICE_COUNT)
NAME_PARSE(urgency, iom_urgency, "urgency", urgency_words, IOM_URGENCY_COUNT)

iom_product_family products_type_family(iom_product_type t)
{
    if (t <= IOM_PRODUCT_PROBLEM_PROFILE)
        return IOM_PRODUCT_NIM_INTELLIGENCE;
    if (t <= IOM_PRODUCT_RESULTS_ANALYSIS)
        return IOM_PRODUCT_NIM_ANALYTICAL;
    return IOM_PRODUCT_TOEX;
}

iom_err products_option_status_check(iom_option_status from, iom_option_status to, iom_error *e)
{
    bool ok = false;
    switch (from) {
    case IOM_OPTION_PROPOSED: ok = to == IOM_OPTION_ACCEPTED || to == IOM_OPTION_DECLINED; break;
    case IOM_OPTION_ACCEPTED: ok = to == IOM_OPTION_ACTIONED || to == IOM_OPTION_DECLINED; break;
    case IOM_OPTION_DECLINED:
    case IOM_OPTION_ACTIONED:
    case IOM_OPTION_STATUS_COUNT: ok = false; break;
    }
    if (ok)
        return IOM_OK;
    return iom_fail(e, IOM_ECONFLICT,
                    "option status: cannot go from '%s' to '%s'; rule: proposed -> accepted or "
                    "declined, accepted -> actioned or declined; declined and actioned are final",
                    products_option_status_name(from), products_option_status_name(to));
}

int products_urgency_default_days(iom_urgency u)
{
    switch (u) {
    case IOM_URGENCY_ROUTINE: return 10;
    case IOM_URGENCY_PRIORITY: return 5;
    case IOM_URGENCY_URGENT: return 1;
    case IOM_URGENCY_COUNT: break;
    }
    return -1;
}
