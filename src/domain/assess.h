/*
 * assess.h: the MoRiLE-style threat assessment of domain.md §7 and the ownership
 * recommendation derived from it (a decision aid; the TTCG/FTT decides).
 *
 * Pure: no I/O, no allocation; the result, rationale included, is written into the caller's
 * struct. Arithmetic is in integers (tenths of a point, thousandths of a weight) so that the
 * score "kept to one decimal place" is exact and identical on every platform.
 *
 * Errors: IOM_EINVAL with a message naming the field, the value and its range.
 */
#ifndef IOM_DOMAIN_ASSESS_H
#define IOM_DOMAIN_ASSESS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

typedef enum iom_confidence {
    IOM_CONFIDENCE_LOW,
    IOM_CONFIDENCE_MEDIUM,
    IOM_CONFIDENCE_HIGH,
    IOM_CONFIDENCE_COUNT
} iom_confidence;

typedef enum iom_band { IOM_BAND_LOW, IOM_BAND_MEDIUM, IOM_BAND_HIGH, IOM_BAND_COUNT } iom_band;

typedef enum iom_recommendation {
    IOM_RECOMMEND_REMAIN,   /* stay with the force/ROCU that owns it */
    IOM_RECOMMEND_REGIONAL, /* a regional owner (the ROCU; in London the Met) */
    IOM_RECOMMEND_NATIONAL, /* a national owner (via the FTT) */
    IOM_RECOMMEND_COUNT
} iom_recommendation;

/* Harm dimensions, each 0-4, in the order of §7. */
typedef enum iom_harm {
    IOM_HARM_PHYSICAL,
    IOM_HARM_PSYCHOLOGICAL,
    IOM_HARM_FINANCIAL,
    IOM_HARM_COMMUNITY,
    IOM_HARM_VULNERABILITY, /* victim vulnerability */
    IOM_HARM_COUNT
} iom_harm;

typedef struct assess_input {
    int harm[IOM_HARM_COUNT];       /* each 0-4 */
    int scale;                      /* 1 single force, 2 several forces in one region,
                                       3 several regions, 4 international */
    int likelihood;                 /* 1-5 */
    iom_confidence confidence;
    int capacity;                   /* organisational position: 0 fully able .. 4 unable */
    int capability;                 /* idem */
    bool needs_national_capability;
    bool needs_rocu_capability;
} assess_input;

/* The scheme's numbers, with domain.md's values as defaults (assess_config_default). */
typedef struct assess_config {
    int weight_milli[IOM_CONFIDENCE_COUNT]; /* 600, 800, 1000: confidence weight x 1000 */
    int band_high_tenths;                   /* 600: high when score >= 60.0 */
    int band_medium_tenths;                 /* 300: medium when score >= 30.0 */
    int national_scale_min;                 /* 3: national when scale >= 3 */
    int regional_scale_min;                 /* 2: regional when scale >= 2 (and not national) */
    int org_position_min;                   /* 5: regional when capacity + capability >= 5 */
} assess_config;

/* domain.md §7 defaults (static storage). */
const assess_config *assess_config_default(void);

/* A config is usable: weights 1..1000 (so the score stays 0-100), 1 <= medium <= high <= 1000
 * tenths, 1 <= regional_scale_min <= national_scale_min <= 5 (5 disables the scale trigger),
 * org_position_min 0..9 (9 disables it). IOM_EINVAL naming the field otherwise. */
iom_err assess_config_check(const assess_config *c, iom_error *e);

#define ASSESS_RATIONALE_MAX 512

typedef struct assess_result {
    int harm_sum;            /* 0-20 */
    int score_tenths;        /* score x 10, rounded half up: 312 means 31.2; 0-1000 */
    iom_band band;
    iom_recommendation recommendation;
    char rationale[ASSESS_RATIONALE_MAX]; /* one paragraph for people, stored with the result */
} assess_result;

/* Checks every input against its range; IOM_EINVAL naming the first bad field. */
iom_err assess_input_check(const assess_input *in, iom_error *e);

/*
 * Computes score, band, recommendation and rationale. cfg NULL means the defaults.
 * score = (sum of harm) x likelihood x confidence weight; band high >= 60, medium >= 30;
 * national if scale >= 3 or (band high and needs_national_capability); otherwise regional if
 * scale = 2 or needs_rocu_capability or capacity + capability >= 5; otherwise remain.
 * OUT: *out, written only on IOM_OK. IOM_EINVAL for a bad input or config.
 */
iom_err assess_compute(assess_result *out, const assess_input *in, const assess_config *cfg,
                       iom_error *e);

/* Score as a number for JSON (exact tenths). */
static inline double assess_score(const assess_result *r) { return r->score_tenths / 10.0; }

const char *assess_confidence_name(iom_confidence c);
iom_err assess_confidence_parse(const char *s, iom_confidence *out, iom_error *e);
const char *assess_band_name(iom_band b);
const char *assess_recommendation_name(iom_recommendation r);
iom_err assess_recommendation_parse(const char *s, iom_recommendation *out, iom_error *e);
const char *assess_harm_name(iom_harm h); /* "physical", ..., "victim_vulnerability" */
const char *assess_scale_text(int scale); /* "single force", ...; "?" out of range */

#endif
