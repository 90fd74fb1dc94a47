#include "domain/settings.h"

#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "graph/finance.h" /* the ISO 4217 table (pure data) */
#include "util/text.h"

static const char *const names[SETTINGS_COUNT] = {
    "assessment.scoring", "grade.legacy_map", "intel.review_years",
    "triage.target_days", "auth.session",     "auth.lockout",
    "analysis.finance",
};

static const char *const descriptions[SETTINGS_COUNT] = {
    "threat assessment (domain.md §7): confidence weights, score bands (0-100) and the "
    "recommendation triggers",
    "legacy 5x5x5 -> 3x5x2 grade mapping (domain.md §4): source, intelligence, handling, and "
    "the conditions of a handling code mapped to C",
    "MoPI review period of an intelligence item, in years after it is recorded",
    "Gateway triage target per bid urgency (domain.md §1), in working days",
    "sessions of `iom serve`: idle expiry in minutes, absolute expiry in hours",
    "sign-in lockout: failures of one user name or one address within the window, and the "
    "lockout's length in minutes",
    "money analysis (issue 17): the mule window and shares, cycle length and window, fan "
    "size and window, the structuring threshold, band and count (amounts in minor units)",
};

static const char *const urgency_keys[IOM_URGENCY_COUNT] = {"routine", "priority", "urgent"};
static const char *const conf_keys[IOM_CONFIDENCE_COUNT] = {"low", "medium", "high"};
static const char *const band_keys[IOM_BAND_COUNT] = {"low", "medium", "high"};

void settings_default(iom_settings *out)
{
    memset(out, 0, sizeof *out);
    out->assess = *assess_config_default();
    const grade_legacy_map *m = grade_legacy_default();
    memcpy(out->grade_source, m->source, 5);
    memcpy(out->grade_assessment, m->assessment, 5);
    memcpy(out->grade_handling, m->handling, 5);
    for (int i = 0; i < 5; i++)
        if (m->conditions[i])
            snprintf(out->grade_conditions[i], SETTINGS_CONDITION_MAX, "%s", m->conditions[i]);
    out->review_years = 6;
    for (int u = 0; u < IOM_URGENCY_COUNT; u++)
        out->triage_days[u] = products_urgency_default_days((iom_urgency)u);
    out->idle_minutes = 30;
    out->absolute_hours = 12;
    out->user_max_failures = 5;
    out->addr_max_failures = 20;
    out->failure_window_minutes = 15;
    out->lockout_minutes = 15;
    out->finance = (iom_finance_settings){.mule_window_hours = 72, .mule_passed_percent = 80,
                                          .mule_left_percent = 10, .mule_min_in = 100000,
                                          .cycle_max_len = 6, .cycle_window_days = 30,
                                          .fan_min = 5, .fan_window_days = 7,
                                          .struct_currency = "GBP",
                                          .struct_threshold = 1000000,
                                          .struct_band_percent = 10, .struct_min_count = 3};
}

const char *settings_name(settings_id id)
{
    return (unsigned)id < SETTINGS_COUNT ? names[id] : "?";
}

const char *settings_describe(settings_id id)
{
    return (unsigned)id < SETTINGS_COUNT ? descriptions[id] : "?";
}

iom_err settings_parse_name(const char *name, settings_id *out, iom_error *e)
{
    for (int i = 0; name && i < SETTINGS_COUNT; i++)
        if (strcmp(name, names[i]) == 0) {
            *out = (settings_id)i;
            return IOM_OK;
        }
    return iom_fail(e, IOM_EINVAL,
                    "setting: '%.64s' is not one of: assessment.scoring, grade.legacy_map, "
                    "intel.review_years, triage.target_days, auth.session, auth.lockout, "
                    "analysis.finance",
                    name ? name : "");
}

/* ---- decoding helpers --------------------------------------------------------------------- */

/* obj must be an object with exactly the keys given (all of them). */
static iom_err exact_keys(const char *where, json_t *obj, const char *const *keys, int n,
                          iom_error *e)
{
    if (!json_is_object(obj))
        return iom_fail(e, IOM_EINVAL, "%s: must be an object", where);
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v) {
        bool known = false;
        for (int i = 0; i < n && !known; i++)
            known = strcmp(k, keys[i]) == 0;
        if (!known)
            return iom_fail(e, IOM_EINVAL, "%s.%.48s: unknown field; rule: every field of the "
                                           "setting is given, and no other", where, k);
    }
    for (int i = 0; i < n; i++)
        if (!json_object_get(obj, keys[i]))
            return iom_fail(e, IOM_EINVAL, "%s.%s: missing; rule: every field of the setting "
                                           "is given, and no other", where, keys[i]);
    return IOM_OK;
}

/* A whole number within lo..hi. */
static iom_err whole(const char *where, const char *key, json_t *v, int lo, int hi,
                     const char *rule, int *out, iom_error *e)
{
    const char *sep = key ? "." : "";
    key = key ? key : "";
    if (!json_is_number(v))
        return iom_fail(e, IOM_EINVAL, "%s%s%s: must be a number; rule: %s", where, sep, key,
                        rule);
    /* JSON has one kind of number: 5.0 and 1e3 are the whole numbers 5 and 1000 (review 72:
       "5 is not a whole number") */
    double d = json_is_integer(v) ? 0 : json_real_value(v);
    if (!json_is_integer(v) && (d != d || d < -2e9 || d > 2e9 || d != (double)(long long)d))
        return iom_fail(e, IOM_EINVAL, "%s%s%s: %g is not a whole number; rule: %s", where, sep,
                        key, d, rule);
    json_int_t x = json_is_integer(v) ? json_integer_value(v) : (json_int_t)d;
    if (x < lo || x > hi)
        return iom_fail(e, IOM_EINVAL, "%s%s%s: %lld is outside %d-%d; rule: %s", where, sep, key,
                        (long long)x, lo, hi, rule);
    *out = (int)x;
    return IOM_OK;
}

/* A number with at most `scale` digits after the point (10: tenths, 1000: thousandths),
   within lo..hi in those units; OUT *out in those units. */
static iom_err fixed(const char *where, const char *key, json_t *v, int scale, int lo, int hi,
                     const char *rule, int *out, iom_error *e)
{
    if (!json_is_number(v))
        return iom_fail(e, IOM_EINVAL, "%s.%s: must be a number; rule: %s", where, key, rule);
    double d = json_number_value(v) * scale;
    double r = round(d);
    if (fabs(d - r) > 1e-6 || fabs(r) > 1e9)
        return iom_fail(e, IOM_EINVAL, "%s.%s: %g has more than one decimal place; rule: %s",
                        where, key, json_number_value(v), rule);
    if (r < lo || r > hi)
        return iom_fail(e, IOM_EINVAL, "%s.%s: %g is outside %g-%g; rule: %s", where, key,
                        json_number_value(v), (double)lo / scale, (double)hi / scale, rule);
    *out = (int)r;
    return IOM_OK;
}

/* One letter among `allowed`. */
static iom_err letter(const char *where, const char *key, json_t *v, const char *allowed,
                      const char *rule, char *out, iom_error *e)
{
    const char *s = json_string_value(v);
    if (!s || strlen(s) != 1 || !strchr(allowed, s[0]))
        return iom_fail(e, IOM_EINVAL, "%s.%s: %s%.16s%s is not a known grade (one of %s); "
                                       "rule: %s", where, key, s ? "'" : "", s ? s : "a non-text value",
                        s ? "'" : "", allowed, rule);
    *out = s[0];
    return IOM_OK;
}

#define TRY(x)                 \
    do {                       \
        iom_err rc_ = (x);     \
        if (rc_ != IOM_OK)     \
            return rc_;        \
    } while (0)

/* ---- each setting ------------------------------------------------------------------------- */

static const char cover_rule[] = "the bands cover the score scale 0-100, in the order low, "
                                 "medium, high, without a gap";
static const char overlap_rule[] = "bands do not overlap";

static iom_err apply_scoring(json_t *root, iom_settings *s, iom_error *e)
{
    static const char *const top[] = {"confidence_weight_percent", "bands", "national_scale_min",
                                      "regional_scale_min", "org_position_min"};
    const char *w = names[SETTINGS_ASSESSMENT_SCORING];
    TRY(exact_keys(w, root, top, 5, e));
    assess_config c = {0};
    char where[64];
    snprintf(where, sizeof where, "%s.confidence_weight_percent", w);
    json_t *cw = json_object_get(root, "confidence_weight_percent");
    TRY(exact_keys(where, cw, conf_keys, IOM_CONFIDENCE_COUNT, e));
    for (int i = 0; i < IOM_CONFIDENCE_COUNT; i++) /* tenths of a percent = thousandths */
        TRY(fixed(where, conf_keys[i], json_object_get(cw, conf_keys[i]), 10, 1, 1000,
                  "a confidence weight is above 0 and at most 100 percent, with one decimal "
                  "place, so the score stays within 0-100", &c.weight_milli[i], e));
    snprintf(where, sizeof where, "%s.bands", w);
    json_t *bands = json_object_get(root, "bands");
    TRY(exact_keys(where, bands, band_keys, IOM_BAND_COUNT, e));
    static const char *const fromto[] = {"from", "to"};
    int from[IOM_BAND_COUNT], to[IOM_BAND_COUNT];
    for (int b = 0; b < IOM_BAND_COUNT; b++) {
        char bw[80];
        snprintf(bw, sizeof bw, "%s.%s", where, band_keys[b]);
        json_t *o = json_object_get(bands, band_keys[b]);
        TRY(exact_keys(bw, o, fromto, 2, e));
        TRY(fixed(bw, "from", json_object_get(o, "from"), 10, 0, 1000,
                  "a band bound is a score 0-100 with one decimal place", &from[b], e));
        TRY(fixed(bw, "to", json_object_get(o, "to"), 10, 0, 1000,
                  "a band bound is a score 0-100 with one decimal place", &to[b], e));
        if (from[b] >= to[b])
            return iom_fail(e, IOM_EINVAL, "%s: from %d.%d is not below to %d.%d; rule: a band "
                                           "holds the scores from `from` up to `to`, and is not "
                                           "empty", bw, from[b] / 10, from[b] % 10, to[b] / 10,
                            to[b] % 10);
    }
    if (from[IOM_BAND_LOW] != 0)
        return iom_fail(e, IOM_EINVAL, "%s.low: starts at %d.%d, so no band holds a score from 0 "
                                       "up to %d.%d; rule: %s", where, from[0] / 10,
                        from[0] % 10, from[0] / 10, from[0] % 10, cover_rule);
    for (int b = 1; b < IOM_BAND_COUNT; b++) {
        if (from[b] < to[b - 1])
            return iom_fail(e, IOM_EINVAL, "%s.%s: starts at %d.%d, inside %s (%d.%d up to "
                                           "%d.%d); rule: %s", where, band_keys[b], from[b] / 10,
                            from[b] % 10, band_keys[b - 1], from[b - 1] / 10, from[b - 1] % 10,
                            to[b - 1] / 10, to[b - 1] % 10, overlap_rule);
        if (from[b] > to[b - 1])
            return iom_fail(e, IOM_EINVAL, "%s: no band holds a score from %d.%d up to %d.%d "
                                           "(between %s and %s); rule: %s", where,
                            to[b - 1] / 10, to[b - 1] % 10, from[b] / 10, from[b] % 10,
                            band_keys[b - 1], band_keys[b], cover_rule);
    }
    if (to[IOM_BAND_HIGH] != 1000)
        return iom_fail(e, IOM_EINVAL, "%s.high: ends at %d.%d, so no band holds a score from "
                                       "there up to 100; rule: %s", where, to[2] / 10, to[2] % 10,
                        cover_rule);
    c.band_medium_tenths = from[IOM_BAND_MEDIUM];
    c.band_high_tenths = from[IOM_BAND_HIGH];
    TRY(whole(w, "national_scale_min", json_object_get(root, "national_scale_min"), 1, 5,
              "a scale 1-4 (1 single force .. 4 international); 5 disables the trigger",
              &c.national_scale_min, e));
    TRY(whole(w, "regional_scale_min", json_object_get(root, "regional_scale_min"), 1,
              c.national_scale_min, "the regional scale trigger is 1-4 and not above the "
              "national one", &c.regional_scale_min, e));
    TRY(whole(w, "org_position_min", json_object_get(root, "org_position_min"), 0, 9,
              "capacity + capability is 0-8; 9 disables the trigger", &c.org_position_min, e));
    iom_error ce = {0};
    if (assess_config_check(&c, &ce) != IOM_OK) /* the scheme's own check, as a last guard */
        return iom_fail(e, IOM_EINVAL, "%s: %s", w, ce.msg);
    s->assess = c;
    return IOM_OK;
}

static const char map_rule[] = "every 5x5x5 code maps to a known 3x5x2 grade";

static iom_err apply_grade_map(json_t *root, iom_settings *s, iom_error *e)
{
    static const char *const top[] = {"source", "intelligence", "handling", "conditions"};
    static const char *const src_keys[] = {"A", "B", "C", "D", "E"};
    static const char *const num_keys[] = {"1", "2", "3", "4", "5"};
    const char *w = names[SETTINGS_GRADE_LEGACY_MAP];
    TRY(exact_keys(w, root, top, 4, e));
    char src[5], as[5], h[5], cond[5][SETTINGS_CONDITION_MAX];
    char where[64];
    snprintf(where, sizeof where, "%s.source", w);
    json_t *o = json_object_get(root, "source");
    TRY(exact_keys(where, o, src_keys, 5, e));
    for (int i = 0; i < 5; i++)
        TRY(letter(where, src_keys[i], json_object_get(o, src_keys[i]), "123", map_rule, &src[i], e));
    snprintf(where, sizeof where, "%s.intelligence", w);
    o = json_object_get(root, "intelligence");
    TRY(exact_keys(where, o, num_keys, 5, e));
    for (int i = 0; i < 5; i++)
        TRY(letter(where, num_keys[i], json_object_get(o, num_keys[i]), "ABCDE", map_rule, &as[i], e));
    snprintf(where, sizeof where, "%s.handling", w);
    o = json_object_get(root, "handling");
    TRY(exact_keys(where, o, num_keys, 5, e));
    for (int i = 0; i < 5; i++)
        TRY(letter(where, num_keys[i], json_object_get(o, num_keys[i]), "PC", map_rule, &h[i], e));
    snprintf(where, sizeof where, "%s.conditions", w);
    o = json_object_get(root, "conditions");
    if (!json_is_object(o))
        return iom_fail(e, IOM_EINVAL, "%s: must be an object", where);
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        int i = (strlen(k) == 1 && k[0] >= '1' && k[0] <= '5') ? k[0] - '1' : -1;
        if (i < 0)
            return iom_fail(e, IOM_EINVAL, "%s.%.16s: unknown field; rule: conditions are keyed "
                                           "by a handling code 1-5", where, k);
        if (h[i] != 'C')
            return iom_fail(e, IOM_EINVAL, "%s.%s: given for a code that maps to P; rule: "
                                           "conditions belong only to handling C", where, k);
    }
    for (int i = 0; i < 5; i++) {
        cond[i][0] = '\0';
        if (h[i] != 'C')
            continue;
        char field[80];
        snprintf(field, sizeof field, "%s.%d", where, i + 1);
        v = json_object_get(o, num_keys[i]);
        const char *t = json_string_value(v);
        if (!t)
            return iom_fail(e, IOM_EINVAL, "%s: missing for a code that maps to C; rule: a C "
                                           "item must carry its conditions", field);
        bool blank = true;
        for (const char *p = t; *p && blank; p++)
            blank = isspace((unsigned char)*p) != 0;
        if (blank)
            return iom_fail(e, IOM_EINVAL, "%s: blank; rule: a C item must carry its conditions",
                            field);
        iom_error te = {0};
        if (iom_text_check(field, t, SETTINGS_CONDITION_MAX - 1,
                           IOM_TEXT_REQUIRED | IOM_TEXT_SINGLE_LINE, &te) != IOM_OK)
            return iom_fail(e, IOM_EINVAL, "%s; rule: a C item carries its conditions as one "
                                           "line of text", te.msg);
        snprintf(cond[i], SETTINGS_CONDITION_MAX, "%s", t);
    }
    memcpy(s->grade_source, src, 5);
    memcpy(s->grade_assessment, as, 5);
    memcpy(s->grade_handling, h, 5);
    memcpy(s->grade_conditions, cond, sizeof cond);
    return IOM_OK;
}

static iom_err apply_review(json_t *root, iom_settings *s, iom_error *e)
{
    int y;
    TRY(whole(names[SETTINGS_INTEL_REVIEW_YEARS], NULL, root, 1, 100,
              "a review period is a whole number of years, 1-100", &y, e));
    s->review_years = y;
    return IOM_OK;
}

static iom_err apply_triage(json_t *root, iom_settings *s, iom_error *e)
{
    const char *w = names[SETTINGS_TRIAGE_TARGET_DAYS];
    TRY(exact_keys(w, root, urgency_keys, IOM_URGENCY_COUNT, e));
    int d[IOM_URGENCY_COUNT];
    for (int u = 0; u < IOM_URGENCY_COUNT; u++)
        TRY(whole(w, urgency_keys[u], json_object_get(root, urgency_keys[u]), 1, 60,
                  "a triage target is a whole number of working days, 1-60", &d[u], e));
    if (d[IOM_URGENCY_URGENT] > d[IOM_URGENCY_PRIORITY] ||
        d[IOM_URGENCY_PRIORITY] > d[IOM_URGENCY_ROUTINE])
        return iom_fail(e, IOM_EINVAL, "%s: urgent %d, priority %d, routine %d; rule: a more "
                                       "urgent bid is never given longer (urgent <= priority <= "
                                       "routine)", w, d[IOM_URGENCY_URGENT],
                        d[IOM_URGENCY_PRIORITY], d[IOM_URGENCY_ROUTINE]);
    memcpy(s->triage_days, d, sizeof d);
    return IOM_OK;
}

static iom_err apply_session(json_t *root, iom_settings *s, iom_error *e)
{
    static const char *const keys[] = {"idle_minutes", "absolute_hours"};
    const char *w = names[SETTINGS_AUTH_SESSION];
    TRY(exact_keys(w, root, keys, 2, e));
    int idle, abs_h;
    TRY(whole(w, "idle_minutes", json_object_get(root, "idle_minutes"), 1, 1440,
              "a session's idle expiry is 1-1440 minutes", &idle, e));
    TRY(whole(w, "absolute_hours", json_object_get(root, "absolute_hours"), 1, 168,
              "a session's absolute expiry is 1-168 hours", &abs_h, e));
    if (idle > abs_h * 60)
        return iom_fail(e, IOM_EINVAL, "%s: idle_minutes %d is longer than absolute_hours %d; "
                                       "rule: the idle expiry is not longer than the absolute one",
                        w, idle, abs_h);
    s->idle_minutes = idle;
    s->absolute_hours = abs_h;
    return IOM_OK;
}

static iom_err apply_lockout(json_t *root, iom_settings *s, iom_error *e)
{
    static const char *const keys[] = {"user_max_failures", "addr_max_failures",
                                       "failure_window_minutes", "lockout_minutes"};
    const char *w = names[SETTINGS_AUTH_LOCKOUT];
    TRY(exact_keys(w, root, keys, 4, e));
    int v[4];
    static const int hi[4] = {100, 10000, 1440, 1440};
    static const char *const rules[4] = {
        "a user name is locked after 1-100 failures",
        "a client address is locked after 1-10000 failures",
        "failures are counted within a window of 1-1440 minutes",
        "a lockout lasts 1-1440 minutes"};
    for (int i = 0; i < 4; i++)
        TRY(whole(w, keys[i], json_object_get(root, keys[i]), 1, hi[i], rules[i], &v[i], e));
    s->user_max_failures = v[0];
    s->addr_max_failures = v[1];
    s->failure_window_minutes = v[2];
    s->lockout_minutes = v[3];
    return IOM_OK;
}

static const char *const finance_keys[] = {
    "mule_window_hours", "mule_passed_percent", "mule_left_percent", "mule_min_in",
    "cycle_max_len",     "cycle_window_days",   "fan_min",           "fan_window_days",
    "struct_currency",   "struct_threshold",    "struct_band_percent", "struct_min_count"};

static iom_err apply_finance(json_t *root, iom_settings *s, iom_error *e)
{
    const char *w = names[SETTINGS_ANALYSIS_FINANCE];
    TRY(exact_keys(w, root, finance_keys, 12, e));
    static const int lo[12] = {1, 1, 0, 0, 2, 1, 2, 1, 0, 1, 1, 2};
    static const int hi[12] = {8760, 100, 100, 2000000000, 12, 3660, 1000, 3660, 0,
                               2000000000, 50, 1000};
    static const char *const rules[12] = {
        "the mule window is 1-8760 hours", "a mule passes on 1-100% of what came in",
        "a mule keeps 0-100% of what came in", "the smallest total in is 0-2e9 minor units",
        "a cycle has 2-12 accounts", "a round of a cycle lasts 1-3660 days",
        "a fan has 2-1000 counterparties", "a fan's window is 1-3660 days", "",
        "the structuring threshold is 1-2e9 minor units",
        "the structuring band is 1-50% under the threshold",
        "structuring is 2-1000 amounts in the band"};
    int v[12] = {0};
    for (int i = 0; i < 12; i++)
        if (i != 8)
            TRY(whole(w, finance_keys[i], json_object_get(root, finance_keys[i]), lo[i], hi[i],
                      rules[i], &v[i], e));
    const char *cur = json_string_value(json_object_get(root, "struct_currency"));
    if (!cur || strlen(cur) != 3 || !isupper((unsigned char)cur[0]) ||
        !isupper((unsigned char)cur[1]) || !isupper((unsigned char)cur[2]))
        return iom_fail(e, IOM_EINVAL, "%s.struct_currency: must be an ISO 4217 code; rule: "
                                       "three capital letters (GBP)", w);
    if (!fin_currency_find(cur)) /* "XYZ" passed, and no transaction could ever be in it */
        return iom_fail(e, IOM_EINVAL, "%s.struct_currency: '%s' is not an ISO 4217 code", w, cur);
    iom_finance_settings f = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], {0}, v[9],
                              v[10], v[11]};
    memcpy(f.struct_currency, cur, 4);
    s->finance = f;
    return IOM_OK;
}

iom_err settings_apply(iom_settings *s, settings_id id, const char *json, iom_error *e)
{
    if ((unsigned)id >= SETTINGS_COUNT)
        return iom_fail(e, IOM_EINVAL, "setting: %d is not a setting", (int)id);
    const char *w = names[id];
    if (!json || !*json)
        return iom_fail(e, IOM_EINVAL, "%s: no value given", w);
    size_t n = strlen(json);
    if (n > SETTINGS_VALUE_MAX)
        return iom_fail(e, IOM_ETOOBIG, "%s: the value is %zu bytes, over the limit of %d", w, n,
                        SETTINGS_VALUE_MAX);
    json_error_t je;
    json_t *root = json_loadb(json, n, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
    if (!root)
        return iom_fail(e, IOM_EINVAL, "%s: the value is not JSON (line %d column %d: %s)", w,
                        je.line, je.column, je.text);
    iom_settings next = *s;
    iom_err err = IOM_EINVAL;
    switch (id) {
    case SETTINGS_ASSESSMENT_SCORING: err = apply_scoring(root, &next, e); break;
    case SETTINGS_GRADE_LEGACY_MAP: err = apply_grade_map(root, &next, e); break;
    case SETTINGS_INTEL_REVIEW_YEARS: err = apply_review(root, &next, e); break;
    case SETTINGS_TRIAGE_TARGET_DAYS: err = apply_triage(root, &next, e); break;
    case SETTINGS_AUTH_SESSION: err = apply_session(root, &next, e); break;
    case SETTINGS_AUTH_LOCKOUT: err = apply_lockout(root, &next, e); break;
    case SETTINGS_ANALYSIS_FINANCE: err = apply_finance(root, &next, e); break;
    case SETTINGS_COUNT: break;
    }
    json_decref(root);
    if (err == IOM_OK)
        *s = next;
    return err;
}

/* ---- formatting --------------------------------------------------------------------------- */

/* A whole number when it is one, else a real (an exact number of tenths). */
static json_t *real_of(int units, int scale)
{
    return units % scale == 0 ? json_integer(units / scale) : json_real((double)units / scale);
}

static json_t *to_json(const iom_settings *s, settings_id id)
{
    switch (id) {
    case SETTINGS_ASSESSMENT_SCORING: {
        const assess_config *c = &s->assess;
        json_t *w = json_object();
        for (int i = 0; i < IOM_CONFIDENCE_COUNT; i++)
            json_object_set_new(w, conf_keys[i], real_of(c->weight_milli[i], 10));
        int from[3] = {0, c->band_medium_tenths, c->band_high_tenths};
        int to[3] = {c->band_medium_tenths, c->band_high_tenths, 1000};
        json_t *b = json_object();
        for (int i = 0; i < IOM_BAND_COUNT; i++)
            json_object_set_new(b, band_keys[i], json_pack("{s:o, s:o}", "from",
                                                           real_of(from[i], 10), "to",
                                                           real_of(to[i], 10)));
        return json_pack("{s:o, s:o, s:i, s:i, s:i}", "confidence_weight_percent", w, "bands", b,
                         "national_scale_min", c->national_scale_min, "regional_scale_min",
                         c->regional_scale_min, "org_position_min", c->org_position_min);
    }
    case SETTINGS_GRADE_LEGACY_MAP: {
        json_t *src = json_object(), *as = json_object(), *h = json_object(), *cd = json_object();
        for (int i = 0; i < 5; i++) {
            char k[2] = {(char)('A' + i), 0}, n[2] = {(char)('1' + i), 0};
            char v1[2] = {s->grade_source[i], 0}, v2[2] = {s->grade_assessment[i], 0},
                 v3[2] = {s->grade_handling[i], 0};
            json_object_set_new(src, k, json_string(v1));
            json_object_set_new(as, n, json_string(v2));
            json_object_set_new(h, n, json_string(v3));
            if (s->grade_handling[i] == 'C')
                json_object_set_new(cd, n, json_string(s->grade_conditions[i]));
        }
        return json_pack("{s:o, s:o, s:o, s:o}", "source", src, "intelligence", as, "handling",
                         h, "conditions", cd);
    }
    case SETTINGS_INTEL_REVIEW_YEARS: return json_integer(s->review_years);
    case SETTINGS_TRIAGE_TARGET_DAYS: {
        json_t *o = json_object();
        for (int u = 0; u < IOM_URGENCY_COUNT; u++)
            json_object_set_new(o, urgency_keys[u], json_integer(s->triage_days[u]));
        return o;
    }
    case SETTINGS_AUTH_SESSION:
        return json_pack("{s:i, s:i}", "idle_minutes", s->idle_minutes, "absolute_hours",
                         s->absolute_hours);
    case SETTINGS_AUTH_LOCKOUT:
        return json_pack("{s:i, s:i, s:i, s:i}", "user_max_failures", s->user_max_failures,
                         "addr_max_failures", s->addr_max_failures, "failure_window_minutes",
                         s->failure_window_minutes, "lockout_minutes", s->lockout_minutes);
    case SETTINGS_ANALYSIS_FINANCE: {
        const iom_finance_settings *f = &s->finance;
        const int v[12] = {f->mule_window_hours, f->mule_passed_percent, f->mule_left_percent,
                           f->mule_min_in, f->cycle_max_len, f->cycle_window_days, f->fan_min,
                           f->fan_window_days, 0, f->struct_threshold, f->struct_band_percent,
                           f->struct_min_count};
        json_t *o = json_object();
        for (int i = 0; i < 12; i++)
            json_object_set_new(o, finance_keys[i], i == 8 ? json_string(f->struct_currency)
                                                           : json_integer(v[i]));
        return o;
    }
    case SETTINGS_COUNT: break;
    }
    return NULL;
}

char *settings_format(const iom_settings *s, settings_id id, char *out, size_t cap)
{
    json_t *j = to_json(s, id);
    if (!j)
        return NULL;
    size_t need = json_dumpb(j, out, cap, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY |
                                              JSON_REAL_PRECISION(6));
    json_decref(j);
    if (need == 0 || need >= cap)
        return NULL;
    out[need] = '\0';
    return out;
}

void settings_grade_map(const iom_settings *s, grade_legacy_map *out)
{
    memcpy(out->source, s->grade_source, 5);
    memcpy(out->assessment, s->grade_assessment, 5);
    memcpy(out->handling, s->grade_handling, 5);
    for (int i = 0; i < 5; i++)
        out->conditions[i] = s->grade_handling[i] == 'C' ? s->grade_conditions[i] : NULL;
}

int settings_triage_days(const iom_settings *s, iom_urgency u)
{
    return (unsigned)u < IOM_URGENCY_COUNT ? s->triage_days[u] : -1;
}
