#include "domain/assess.h"

#include "util/words.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const assess_config defaults = {
    .weight_milli = {600, 800, 1000},
    .band_high_tenths = 600,
    .band_medium_tenths = 300,
    .national_scale_min = 3,
    .regional_scale_min = 2,
    .org_position_min = 5,
};

static const char *const confidence_words[IOM_CONFIDENCE_COUNT] = {"low", "medium", "high"};
static const char *const band_words[IOM_BAND_COUNT] = {"low", "medium", "high"};
static const char *const rec_words[IOM_RECOMMEND_COUNT] = {"remain", "regional", "national"};
static const char *const harm_words[IOM_HARM_COUNT] = {
    "physical", "psychological", "financial", "community", "victim_vulnerability"};
static const char *const scale_texts[] = {"single force", "several forces in one region",
                                          "several regions", "international"};

const assess_config *assess_config_default(void) { return &defaults; }

const char *assess_confidence_name(iom_confidence c)
{
    return (unsigned)c < IOM_CONFIDENCE_COUNT ? confidence_words[c] : "?";
}
const char *assess_band_name(iom_band b) { return (unsigned)b < IOM_BAND_COUNT ? band_words[b] : "?"; }
const char *assess_recommendation_name(iom_recommendation r)
{
    return (unsigned)r < IOM_RECOMMEND_COUNT ? rec_words[r] : "?";
}
const char *assess_harm_name(iom_harm h) { return (unsigned)h < IOM_HARM_COUNT ? harm_words[h] : "?"; }
const char *assess_scale_text(int scale)
{
    return scale >= 1 && scale <= 4 ? scale_texts[scale - 1] : "?";
}

iom_err assess_confidence_parse(const char *s, iom_confidence *out, iom_error *e)
{
    int i = 0;
    iom_err rc = iom_word_parse("confidence", s, confidence_words, IOM_CONFIDENCE_COUNT, &i, e);
    if (rc == IOM_OK)
        *out = (iom_confidence)i;
    return rc;
}

iom_err assess_recommendation_parse(const char *s, iom_recommendation *out, iom_error *e)
{
    int i = 0;
    iom_err rc = iom_word_parse("recommendation", s, rec_words, IOM_RECOMMEND_COUNT, &i, e);
    if (rc == IOM_OK)
        *out = (iom_recommendation)i;
    return rc;
}

static iom_err range(const char *field, int v, int lo, int hi, const char *what, iom_error *e)
{
    if (v < lo || v > hi)
        return iom_fail(e, IOM_EINVAL, "%s: %d is outside %d-%d; rule: %s", field, v, lo, hi, what);
    return IOM_OK;
}

#define TRY(x)                 \
    do {                       \
        iom_err rc_ = (x);     \
        if (rc_ != IOM_OK)     \
            return rc_;        \
    } while (0)

iom_err assess_config_check(const assess_config *c, iom_error *e)
{
    if (!c)
        return iom_fail(e, IOM_EINVAL, "assessment config: missing");
    for (int i = 0; i < IOM_CONFIDENCE_COUNT; i++) {
        char field[48];
        snprintf(field, sizeof field, "weight_milli.%s", confidence_words[i]);
        TRY(range(field, c->weight_milli[i], 1, 1000, "a confidence weight is above 0 and at "
                  "most 1.0, so the score stays within 0-100", e));
    }
    TRY(range("band_high_tenths", c->band_high_tenths, 1, 1000, "a band threshold is a score "
              "0-100 in tenths", e));
    TRY(range("band_medium_tenths", c->band_medium_tenths, 1, c->band_high_tenths,
              "the medium threshold is above 0 and not above the high threshold", e));
    TRY(range("national_scale_min", c->national_scale_min, 1, 5, "a scale 1-4 (5 disables)", e));
    TRY(range("regional_scale_min", c->regional_scale_min, 1, c->national_scale_min,
              "the regional scale is not above the national scale", e));
    TRY(range("org_position_min", c->org_position_min, 0, 9, "capacity + capability is 0-8 "
              "(9 disables)", e));
    return IOM_OK;
}

iom_err assess_input_check(const assess_input *in, iom_error *e)
{
    if (!in)
        return iom_fail(e, IOM_EINVAL, "assessment: missing");
    for (int i = 0; i < IOM_HARM_COUNT; i++) {
        char field[48];
        snprintf(field, sizeof field, "harm.%s", harm_words[i]);
        TRY(range(field, in->harm[i], 0, 4, "each harm is scored 0-4", e));
    }
    TRY(range("scale", in->scale, 1, 4, "1 single force, 2 several forces in one region, "
              "3 several regions, 4 international", e));
    TRY(range("likelihood", in->likelihood, 1, 5, "likelihood is 1-5", e));
    if ((unsigned)in->confidence >= IOM_CONFIDENCE_COUNT)
        return iom_fail(e, IOM_EINVAL, "confidence: %d is not low, medium or high",
                        (int)in->confidence);
    TRY(range("capacity", in->capacity, 0, 4, "organisational position 0 fully able - 4 unable",
              e));
    TRY(range("capability", in->capability, 0, 4,
              "organisational position 0 fully able - 4 unable", e));
    return IOM_OK;
}

/* Appends to a fixed buffer; truncates silently (the buffer is sized for the longest text). */
typedef struct sbuf {
    char *p;
    size_t n, len;
} sbuf;

__attribute__((format(printf, 2, 3))) static void put(sbuf *b, const char *fmt, ...)
{
    if (b->len >= b->n)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(b->p + b->len, b->n - b->len, fmt, ap);
    va_end(ap);
    if (k > 0)
        b->len += (size_t)k;
}

/* 800 -> "0.8", 1000 -> "1", 750 -> "0.75" */
static void put_milli(sbuf *b, int m)
{
    char frac[8];
    snprintf(frac, sizeof frac, "%03d", m % 1000);
    for (int i = 2; i >= 0 && frac[i] == '0'; i--)
        frac[i] = '\0';
    put(b, "%d%s%s", m / 1000, frac[0] ? "." : "", frac);
}

static void put_tenths(sbuf *b, int t) { put(b, "%d.%d", t / 10, t % 10); }

/* Lists the triggers of the chosen tier, or why no tier applied. */
static void put_reasons(sbuf *b, const assess_input *in, const assess_config *c,
                        const assess_result *r)
{
    int org = in->capacity + in->capability;
    const char *sep = "";
    put(b, "Recommendation %s: ", rec_words[r->recommendation]);
    switch (r->recommendation) {
    case IOM_RECOMMEND_NATIONAL:
        if (in->scale >= c->national_scale_min)
            put(b, "scale %d (%s) >= %d", in->scale, assess_scale_text(in->scale),
                c->national_scale_min), sep = "; ";
        if (r->band == IOM_BAND_HIGH && in->needs_national_capability)
            put(b, "%sband high and needs national capability", sep);
        break;
    case IOM_RECOMMEND_REGIONAL:
        if (in->scale >= c->regional_scale_min)
            put(b, "scale %d (%s) >= %d", in->scale, assess_scale_text(in->scale),
                c->regional_scale_min), sep = "; ";
        if (in->needs_rocu_capability)
            put(b, "%sneeds ROCU capability", sep), sep = "; ";
        if (org >= c->org_position_min)
            put(b, "%scapacity %d + capability %d = %d >= %d", sep, in->capacity, in->capability,
                org, c->org_position_min);
        if (in->needs_national_capability)
            put(b, "; national capability needed but band is %s, not high", band_words[r->band]);
        break;
    case IOM_RECOMMEND_REMAIN:
        put(b, "scale %d (%s) below %d; no ROCU capability needed; capacity %d + capability %d "
               "= %d below %d",
            in->scale, assess_scale_text(in->scale), c->regional_scale_min, in->capacity,
            in->capability, org, c->org_position_min);
        if (in->needs_national_capability)
            put(b, "; national capability needed but band is %s, not high", band_words[r->band]);
        break;
    case IOM_RECOMMEND_COUNT:
        break;
    }
    put(b, ".");
}

iom_err assess_compute(assess_result *out, const assess_input *in, const assess_config *cfg,
                       iom_error *e)
{
    const assess_config *c = cfg ? cfg : &defaults;
    TRY(assess_config_check(c, e));
    TRY(assess_input_check(in, e));
    assess_result r = {0};
    for (int i = 0; i < IOM_HARM_COUNT; i++)
        r.harm_sum += in->harm[i];
    int w = c->weight_milli[in->confidence];
    /* sum x likelihood x weight/1000, in tenths, rounded half up: all terms are >= 0. */
    r.score_tenths = (r.harm_sum * in->likelihood * w + 50) / 100;
    r.band = r.score_tenths >= c->band_high_tenths     ? IOM_BAND_HIGH
             : r.score_tenths >= c->band_medium_tenths ? IOM_BAND_MEDIUM
                                                       : IOM_BAND_LOW;
    if (in->scale >= c->national_scale_min ||
        (r.band == IOM_BAND_HIGH && in->needs_national_capability))
        r.recommendation = IOM_RECOMMEND_NATIONAL;
    else if (in->scale >= c->regional_scale_min || in->needs_rocu_capability ||
             in->capacity + in->capability >= c->org_position_min)
        r.recommendation = IOM_RECOMMEND_REGIONAL;
    else
        r.recommendation = IOM_RECOMMEND_REMAIN;

    sbuf b = {r.rationale, sizeof r.rationale, 0};
    put(&b, "Score ");
    put_tenths(&b, r.score_tenths);
    put(&b, " = harm %d x likelihood %d x confidence %s (", r.harm_sum, in->likelihood,
        confidence_words[in->confidence]);
    put_milli(&b, w);
    put(&b, "); band %s (high >= ", band_words[r.band]);
    put_tenths(&b, c->band_high_tenths);
    put(&b, ", medium >= ");
    put_tenths(&b, c->band_medium_tenths);
    put(&b, "). ");
    put_reasons(&b, in, c, &r);
    *out = r;
    return IOM_OK;
}
