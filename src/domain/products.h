/*
 * products.h: the fixed vocabularies of the work TOEX delivers, with their exact words:
 * NIM product types (domain.md §6), tactical option strands and statuses (§8), APMIS impact
 * levels and disruption types (§9), TOEX services (§1) and bid urgency (§1).
 *
 * Pure functions, no I/O, no allocation. *_name returns static storage ("?" for a value out
 * of range, never NULL). *_parse takes the exact lower-case word; on anything else it returns
 * IOM_EINVAL with a message naming the field, the value and every accepted word, and leaves
 * *out untouched. Enum orders are stable: values may be stored; only append.
 */
#ifndef IOM_DOMAIN_PRODUCTS_H
#define IOM_DOMAIN_PRODUCTS_H

#include <stdbool.h>

#include "util/err.h"

/* §6: the four NIM intelligence products, the nine NIM analytical products, and the two
 * TOEX delivers beyond the NIM list. */
typedef enum iom_product_type {
    IOM_PRODUCT_STRATEGIC_ASSESSMENT,
    IOM_PRODUCT_TACTICAL_ASSESSMENT,
    IOM_PRODUCT_SUBJECT_PROFILE,
    IOM_PRODUCT_PROBLEM_PROFILE,
    IOM_PRODUCT_CRIME_PATTERN_ANALYSIS,
    IOM_PRODUCT_DEMOGRAPHIC_SOCIAL_TREND_ANALYSIS,
    IOM_PRODUCT_NETWORK_ANALYSIS,
    IOM_PRODUCT_MARKET_PROFILE,
    IOM_PRODUCT_CRIMINAL_BUSINESS_PROFILE,
    IOM_PRODUCT_RISK_ANALYSIS,
    IOM_PRODUCT_TARGET_PROFILE_ANALYSIS,
    IOM_PRODUCT_OPERATIONAL_INTELLIGENCE_ASSESSMENT,
    IOM_PRODUCT_RESULTS_ANALYSIS,
    IOM_PRODUCT_FINANCIAL_ANALYSIS,
    IOM_PRODUCT_INTELLIGENCE_REPORT,
    IOM_PRODUCT_TYPE_COUNT
} iom_product_type;

typedef enum iom_product_family {
    IOM_PRODUCT_NIM_INTELLIGENCE, /* strategic/tactical assessment, subject/problem profile */
    IOM_PRODUCT_NIM_ANALYTICAL,   /* the nine NIM analytical products */
    IOM_PRODUCT_TOEX,             /* financial_analysis, intelligence_report */
} iom_product_family;

const char *products_type_name(iom_product_type t);
iom_err products_type_parse(const char *s, iom_product_type *out, iom_error *e);
iom_product_family products_type_family(iom_product_type t);

/* §8: 4P strands. */
typedef enum iom_strand {
    IOM_STRAND_PURSUE,
    IOM_STRAND_PREVENT,
    IOM_STRAND_PROTECT,
    IOM_STRAND_PREPARE,
    IOM_STRAND_COUNT
} iom_strand;

const char *products_strand_name(iom_strand s);
iom_err products_strand_parse(const char *s, iom_strand *out, iom_error *e);

/* §8: tactical option status. */
typedef enum iom_option_status {
    IOM_OPTION_PROPOSED,
    IOM_OPTION_ACCEPTED,
    IOM_OPTION_DECLINED,
    IOM_OPTION_ACTIONED,
    IOM_OPTION_STATUS_COUNT
} iom_option_status;

const char *products_option_status_name(iom_option_status s);
iom_err products_option_status_parse(const char *s, iom_option_status *out, iom_error *e);

/*
 * Whether an option may move from `from` to `to`. domain.md lists the statuses but not their
 * order; iom reads them as a decision then an outcome: proposed -> accepted | declined,
 * accepted -> actioned | declined; declined and actioned are final; setting the current
 * status again is refused. IOM_ECONFLICT with a message naming both statuses otherwise.
 */
iom_err products_option_status_check(iom_option_status from, iom_option_status to, iom_error *e);

/* §9: impact on the national scale, as each agency judges its own. */
typedef enum iom_apmis_impact {
    IOM_IMPACT_MAJOR,
    IOM_IMPACT_MODERATE,
    IOM_IMPACT_MINOR,
    IOM_IMPACT_NONE,
    IOM_IMPACT_NEGATIVE,
    IOM_IMPACT_COUNT
} iom_apmis_impact;

const char *products_impact_name(iom_apmis_impact i);
iom_err products_impact_parse(const char *s, iom_apmis_impact *out, iom_error *e);

/* §9: disruption types. Words chosen for the phrases of §9: "seizure of cash/drugs/assets"
 * is `seizure` (what was seized is in the narrative and value), "victims safeguarded" is
 * `victims_safeguarded`, "order obtained such as an STPO/STRO" is `order_obtained`. */
typedef enum iom_disruption_type {
    IOM_DISRUPTION_ARREST,
    IOM_DISRUPTION_CHARGE,
    IOM_DISRUPTION_CONVICTION,
    IOM_DISRUPTION_SEIZURE,
    IOM_DISRUPTION_VICTIMS_SAFEGUARDED,
    IOM_DISRUPTION_ORDER_OBTAINED,
    IOM_DISRUPTION_ASSET_FREEZE,
    IOM_DISRUPTION_IMMIGRATION_ACTION,
    IOM_DISRUPTION_OTHER,
    IOM_DISRUPTION_TYPE_COUNT
} iom_disruption_type;

const char *products_disruption_name(iom_disruption_type t);
iom_err products_disruption_parse(const char *s, iom_disruption_type *out, iom_error *e);

/* §1: the six TOEX services a ToR is built from, in the order of §1. */
typedef enum iom_service {
    IOM_SERVICE_TASKED_SUPPORT,
    IOM_SERVICE_ROCU_CAPABILITY,
    IOM_SERVICE_APMIS,
    IOM_SERVICE_INTEL_DEVELOPMENT,
    IOM_SERVICE_FINANCIAL_INTELLIGENCE,
    IOM_SERVICE_OWNERSHIP_SUPPORT,
    IOM_SERVICE_COUNT
} iom_service;

const char *products_service_name(iom_service s);
iom_err products_service_parse(const char *s, iom_service *out, iom_error *e);

/* §1: bid urgency. */
typedef enum iom_urgency {
    IOM_URGENCY_ROUTINE,
    IOM_URGENCY_PRIORITY,
    IOM_URGENCY_URGENT,
    IOM_URGENCY_COUNT
} iom_urgency;

const char *products_urgency_name(iom_urgency u);
iom_err products_urgency_parse(const char *s, iom_urgency *out, iom_error *e);

/* §1 default Gateway triage target in working days (10, 5, 1): the seed of the
 * triage.target_days setting (domain/settings.h), which is what the app reads. -1 for a value
 * out of range. */
int products_urgency_default_days(iom_urgency u);

#endif
