/*
 * settings.h: the settings of issue 13 point 1: the numbers and tables that rules depend on,
 * kept as reference data (stored, versioned, changed by an admin with a reason) rather than
 * as constants. This module holds the rules of the values themselves: their names, their
 * JSON shape, their defaults (today's values, which migration 8 seeds as version 1 of each),
 * and the validation that refuses a bad value with the rule it breaks.
 *
 *   assessment.scoring  confidence weights, the score bands and the recommendation triggers
 *                       of domain.md §7 (domain/assess.h assess_config)
 *   grade.legacy_map    the 5x5x5 -> 3x5x2 mapping of §4 (domain/grade.h grade_legacy_map)
 *   intel.review_years  the MoPI review period of an intelligence item, in years
 *   triage.target_days  the Gateway triage target per bid urgency, in working days (§1)
 *   auth.session        session idle and absolute expiry of `iom serve`
 *   auth.lockout        failed sign-ins before a lockout, the window, the lockout's length
 *   analysis.finance    the thresholds and windows of the money analysis (issue 17): mules,
 *                       cycles, fans and structuring (graph/finance.h fin_settings)
 *
 * Pure: no I/O. Values are JSON texts parsed with jansson (no allocation survives a call).
 * A record made under a setting keeps what it was made with (the app stores the version used
 * beside it); the rules here never look at stored records.
 *
 * Errors: IOM_EINVAL with a message "<setting>[.<field>]: <what is wrong>; rule: <the rule>".
 */
#ifndef IOM_DOMAIN_SETTINGS_H
#define IOM_DOMAIN_SETTINGS_H

#include <stddef.h>
#include <stdint.h>

#include "domain/assess.h"
#include "domain/grade.h"
#include "domain/products.h"
#include "util/err.h"

typedef enum settings_id {
    SETTINGS_ASSESSMENT_SCORING,
    SETTINGS_GRADE_LEGACY_MAP,
    SETTINGS_INTEL_REVIEW_YEARS,
    SETTINGS_TRIAGE_TARGET_DAYS,
    SETTINGS_AUTH_SESSION,
    SETTINGS_AUTH_LOCKOUT,
    SETTINGS_ANALYSIS_FINANCE,
    SETTINGS_COUNT
} settings_id;

/* Longest condition text of a legacy handling code that maps to C, in bytes (with NUL). */
#define SETTINGS_CONDITION_MAX 201
/* Longest value document accepted, in bytes. */
#define SETTINGS_VALUE_MAX 8192

/* analysis.finance (issue 17; docs/analysis.md): amounts in minor units of their currency. */
typedef struct iom_finance_settings {
    int mule_window_hours;      /* 1..8760: money out within this after it came in (72) */
    int mule_passed_percent;    /* 1..100: at least this share passed on (80) */
    int mule_left_percent;      /* 0..100: at most this share left (10) */
    int mule_min_in;            /* 0..2e9: smaller totals in are not flagged (100000) */
    int cycle_max_len;          /* 2..12 accounts (6) */
    int cycle_window_days;      /* 1..3660: a round of a cycle within this (30) */
    int fan_min;                /* 2..1000 distinct counterparties (5) */
    int fan_window_days;        /* 1..3660 (7) */
    char struct_currency[4];    /* three capital letters ("GBP") */
    int struct_threshold;       /* 1..2e9 (1000000: 10,000.00) */
    int struct_band_percent;    /* 1..50: amounts within this share under the threshold (10) */
    int struct_min_count;       /* 2..1000 such amounts (3) */
} iom_finance_settings;

/* Every setting's current value, decoded. Plain data: copying the struct copies everything
   (the legacy map's conditions are built on demand by settings_grade_map). */
typedef struct iom_settings {
    int64_t version[SETTINGS_COUNT]; /* the stored version each value came from; 0 = default */
    assess_config assess;
    char grade_source[5];            /* source A..E -> '1'..'3' */
    char grade_assessment[5];        /* intelligence 1..5 -> 'A'..'E' */
    char grade_handling[5];          /* handling 1..5 -> 'P' | 'C' */
    char grade_conditions[5][SETTINGS_CONDITION_MAX]; /* for each handling code mapped to C */
    int review_years;                /* 1..100 */
    int triage_days[IOM_URGENCY_COUNT]; /* working days, urgent <= priority <= routine */
    int idle_minutes;                /* 1..1440 */
    int absolute_hours;              /* 1..168, and idle <= absolute */
    int user_max_failures;           /* 1..100 */
    int addr_max_failures;           /* 1..10000 */
    int failure_window_minutes;      /* 1..1440 */
    int lockout_minutes;             /* 1..1440 */
    iom_finance_settings finance;    /* analysis.finance */
} iom_settings;

/* The defaults: today's values (domain.md §1, §4, §7; APP_INTEL_REVIEW_YEARS 6; sessions
   30 min idle, 12 h absolute; lockout after 5 failures of a user name or 20 of an address
   within 15 min, for 15 min). Every version 0. */
void settings_default(iom_settings *out);

/* "assessment.scoring", ...; "?" out of range. */
const char *settings_name(settings_id id);
/* One line for people: what the setting is and its unit. Static storage. */
const char *settings_describe(settings_id id);
/* IOM_EINVAL "setting: 'x' is not one of: ..." for an unknown name. */
iom_err settings_parse_name(const char *name, settings_id *out, iom_error *e);

/*
 * Decodes and checks the value document `json` of setting `id` and, only when it is valid,
 * writes it into *s (the version is left to the caller). Every field of the setting must be
 * given, no unknown key, numbers where numbers are due. The rules, each named in the refusal:
 *   assessment.scoring: confidence_weight_percent low, medium, high each above 0 and at most
 *     100 (one decimal place: the score's weight in thousandths); bands low, medium, high, each
 *     {"from", "to"}: the scores from `from` up to but not including `to` (the high band
 *     includes 100), one decimal place, from < to, together covering the score scale 0-100
 *     without a gap ("the bands cover the score scale") or an overlap ("bands do not
 *     overlap"), in the order low, medium, high; national_scale_min 1-5, regional_scale_min
 *     1-national_scale_min, org_position_min 0-9 (5 and 9 disable a trigger).
 *   grade.legacy_map: source A-E each to 1, 2 or 3; intelligence 1-5 each to A-E; handling
 *     1-5 each to P or C; conditions: a non-blank single line for every handling code mapped
 *     to C, and none for a code mapped to P.
 *   intel.review_years: a whole number of years, 1-100.
 *   triage.target_days: routine, priority, urgent each a whole number of working days 1-60,
 *     urgent <= priority <= routine.
 *   auth.session: idle_minutes 1-1440, absolute_hours 1-168, idle not longer than absolute.
 *   auth.lockout: user_max_failures 1-100, addr_max_failures 1-10000, failure_window_minutes
 *     1-1440, lockout_minutes 1-1440.
 *   analysis.finance: the fields of iom_finance_settings in their ranges, each a whole number
 *     except struct_currency (three capital letters).
 */
iom_err settings_apply(iom_settings *s, settings_id id, const char *json, iom_error *e);

/* The value of setting id in *s as canonical JSON text (keys sorted, compact) into out[cap].
   Returns out, or NULL when cap is too small. settings_apply of the text gives back *s. */
char *settings_format(const iom_settings *s, settings_id id, char *out, size_t cap);

/* The legacy map of *s for grade_from_legacy; its conditions point into *s, which must
   outlive *out. */
void settings_grade_map(const iom_settings *s, grade_legacy_map *out);

/* The triage target of urgency u in working days; -1 for a value out of range. */
int settings_triage_days(const iom_settings *s, iom_urgency u);

#endif
