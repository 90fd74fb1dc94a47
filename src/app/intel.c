/* Use-cases of intelligence items (app/work.h): grading (domain.md §4), PND status,
   versioned corrections, MoPI review dates (§10) and logged reads (DPA 2018 s.62). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "app/audit.h"
#include "app/intel_int.h"
#include "app/json.h"
#include "app/search.h"
#include "app/settings.h"
#include "app/work.h"
#include "util/text.h"

#define WS(c) ((c)->store->ops->work)
#define ITEM "intelligence item"
#define DUE_MAX 1000

static bool blank(const char *s) { return !s || !*s; }
/* Equal texts, NULL and "" alike. */
static bool same(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : "") == 0; }

/* Text fields common to add and correct; `adding` makes text and source required. */
/* The item's texts, each problem noted (iom_ctx problems; the caller clears and ends them):
   IOM_OK unless a check failed otherwise than on the input. */
static iom_err check_texts(iom_ctx *c, const app_intel_input *in, bool adding)
{
    int req = adding ? IOM_TEXT_REQUIRED : 0;
    static const struct {
        const char *name;
        size_t max;
        int flags;
        bool required;
    } texts[] = {{"text", APP_WORK_TEXT_MAX, IOM_TEXT_MULTI_LINE, true},
                 {"source", APP_WORK_SHORT_MAX, IOM_TEXT_SINGLE_LINE, true},
                 {"conditions", APP_WORK_REASON_MAX, IOM_TEXT_MULTI_LINE, false},
                 {"pnd_ref", APP_WORK_SHORT_MAX, IOM_TEXT_SINGLE_LINE, false},
                 {"pnd_reason", APP_WORK_REASON_MAX, IOM_TEXT_MULTI_LINE, false},
                 {"grade", 16, IOM_TEXT_SINGLE_LINE, false},
                 {"handling", 16, IOM_TEXT_SINGLE_LINE, false},
                 {"legacy", 16, IOM_TEXT_SINGLE_LINE, false}};
    const char *values[] = {in->text, in->source, in->conditions, in->pnd_ref, in->pnd_reason,
                            in->grade, in->handling, in->legacy};
    iom_err err;
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if ((err = app_problem_noted(c, texts[i].name,
                                     iom_text_check(texts[i].name, values[i], texts[i].max,
                                                    texts[i].flags | (texts[i].required ? req : 0), &c->err))))
            return err;
    if (!adding && in->text && !*in->text)
        app_problem(c, "text", "text: must not be empty");
    if (!adding && in->source && !*in->source)
        app_problem(c, "source", "source: must not be empty");
    return IOM_OK;
}

/* Resolves the PND fields of an input into it (status and the fields it needs). Status not
   given: recorded when a reference or date is given, not_required when a reason is. */
static iom_err resolve_pnd(iom_ctx *c, const char *status, const char *ref, const char *date,
                           const char *reason, const char *reason_field, iom_intel_t *it)
{
    iom_pnd_status st = IOM_PND_PENDING;
    iom_err err;
    if (!blank(status)) {
        if ((err = grade_pnd_parse(status, &st, &c->err)))
            return err;
    } else if (!blank(ref) || !blank(date)) {
        st = IOM_PND_RECORDED;
    } else if (!blank(reason)) {
        st = IOM_PND_NOT_REQUIRED;
    }
    if ((err = grade_pnd_check_as(st, ref, date, reason, reason_field, &c->err)))
        return err;
    if (!blank(date) && ((err = iom_date_check("pnd_date", date, &c->err)) ||
                         (err = work_not_future(c, "pnd_date", date))))
        return err;
    if (!blank(date) && strcmp(date, "2000-01-01") < 0)
        return iom_fail(&c->err, IOM_EINVAL, "pnd_date: %s is before 2000-01-01; it is the day the "
                        "item was recorded on the Police National Database", date);
    it->pnd = st;
    it->pnd_ref = st == IOM_PND_RECORDED ? (char *)ref : NULL;
    it->pnd_date = st == IOM_PND_RECORDED ? (char *)date : NULL;
    it->pnd_reason = st == IOM_PND_NOT_REQUIRED ? (char *)reason : NULL;
    return IOM_OK;
}

static bool pnd_given(const app_intel_input *in)
{
    return in->pnd || in->pnd_ref || in->pnd_date || in->pnd_reason;
}

/*
 * Resolves the grade of an input into it. cur: the current version (correction) or NULL.
 * --legacy excludes the 3x5x2 fields; for a correction a field not given keeps its value.
 */
static iom_err resolve_grade(iom_ctx *c, const app_intel_input *in, const iom_intel_t *cur,
                             iom_intel_t *it)
{
    iom_err err;
    if (in->legacy) {
        if (in->grade || in->handling || in->conditions)
            return iom_fail(&c->err, IOM_EINVAL,
                            "legacy: '%s' is a 5x5x5 grade mapped to 3x5x2; give either --legacy or "
                            "--grade/--handling/--conditions, not both",
                            in->legacy);
        char original[GRADE_LEGACY_MAX];
        if ((err = grade_from_legacy(&it->grade, original, in->legacy, NULL, &c->err)))
            return err;
        it->legacy_grade = iom_arena_strdup(c->arena, original);
        return IOM_OK;
    }
    if (!cur) {
        if (blank(in->grade))
            return iom_fail(&c->err, IOM_EINVAL,
                            "grade: required (--grade 1B with --handling P|C, or --legacy CODE)");
        it->legacy_grade = NULL;
        return grade_parse(&it->grade, in->grade, in->handling, in->conditions, &c->err);
    }
    if (!in->grade && !in->handling && !in->conditions)
        return IOM_OK; /* unchanged: it already holds the current grade */
    char curgrade[3] = {cur->grade.source, cur->grade.assessment, 0};
    char curhandling[2] = {cur->grade.handling, 0};
    const char *g = in->grade ? in->grade : curgrade;
    bool g_has_handling = strlen(g) > 2;
    const char *h = in->handling ? in->handling : (g_has_handling ? NULL : curhandling);
    char eff = (char)toupper((unsigned char)(h ? h[0] : g[strlen(g) - 1]));
    const char *cond = in->conditions ? in->conditions : (eff == 'C' ? cur->grade.conditions : NULL);
    return grade_parse(&it->grade, g, h, cond, &c->err);
}

iom_err app_intel_add(iom_ctx *c, const char *tasking_ref, const app_intel_input *in,
                      int64_t if_version, iom_intel_t *out)
{
    iom_intel_t it = {0};
    iom_err err;
    if (in->reason)
        return iom_fail(&c->err, IOM_EINVAL, "reason: only a correction (intel correct) takes a reason");
    /* every field checked, all problems told at once (iom_ctx problems) */
    c->nproblems = 0;
    if ((err = check_texts(c, in, true)) ||
        (err = app_problem_noted(c, NULL, resolve_grade(c, in, NULL, &it))) ||
        (err = app_problem_noted(c, NULL, resolve_pnd(c, in->pnd, in->pnd_ref, in->pnd_date,
                                                      in->pnd_reason, "pnd_reason", &it))) ||
        (err = app_problems_end(c)) || (err = app_begin(c, true)))
        return err;
    app_tasking_scope sc;
    if ((err = app_tasking_enter(c, tasking_ref, IOM_TA_RECORD_INTEL, if_version, &sc)) ||
        (err = work_marking(c, "marking", in->marking, &sc.t, &it.marking)))
        return app_end(c, err);
    int64_t now = app_now(c);
    if ((err = app_settings_intel(c, in->legacy, now, &it)))
        return app_end(c, err);
    it.tasking_id = sc.t.id;
    it.text = (char *)in->text;
    it.source = (char *)in->source;
    it.created_by = c->actor.id;
    it.created_at = now;
    unsigned char key[SEAL_KEY_BYTES];
    seal_key_new(key);
    intel_seal_fields(c, key, &it);
    if (!(err = WS(c)->intel_insert(c->store, &it, c->arena, &c->err)) &&
        !(err = intel_key_store(c, it.ref, key)) &&
        !(err = WS(c)->intel_get(c->store, it.ref, it.version, c->arena, out, &c->err)) &&
        !(err = intel_open(c, out, 1)) && !(err = search_index_item(c, out->ref, out->text)) &&
        !(err = app_tasking_touch(c, &sc.t)))
        err = audit_record(c, "intel.add", out->ref, NULL, intel_sealed_image(c, key, out));
    sodium_memzero(key, sizeof key);
    return app_end(c, err);
}

/* Loads the current version of an item for a change, enters its tasking, and opens it with
   its key (OUT key; an item recorded before migration 11 is sealed now). A disposed item is
   IOM_ECONFLICT. pnd: a change of its PND status only (app_tasking_enter_pnd: also once the
   tasking has ended). */
static iom_err load_for_change(iom_ctx *c, const char *ref, int64_t if_version, bool pnd, iom_intel_t *cur,
                               app_tasking_scope *sc, unsigned char key[SEAL_KEY_BYTES])
{
    iom_err err = app_actor(c);
    if (err || (err = WS(c)->intel_get(c->store, ref ? ref : "", 0, c->arena, cur, &c->err)))
        return err;
    if (!iom_clearance_allows(c->actor.clearance, cur->marking))
        return iom_fail(&c->err, IOM_ENOTFOUND, ITEM ": '%s' not found", ref);
    if (pnd) {
        if ((err = app_tasking_enter_pnd(c, cur->tasking_ref, if_version, sc)) == IOM_ENOTFOUND)
            return iom_fail(&c->err, IOM_ENOTFOUND, ITEM ": '%s' not found", ref);
    } else {
        err = work_enter(c, ITEM, ref, cur->tasking_ref, IOM_TA_RECORD_INTEL, if_version, sc);
    }
    if (err || (err = intel_item_key(c, cur, true, key)))
        return err;
    return intel_open(c, cur, 1);
}

static bool same_grade(const iom_grade *a, const iom_grade *b)
{
    return a->source == b->source && a->assessment == b->assessment && a->handling == b->handling &&
           same(a->handling == 'C' ? a->conditions : NULL, b->handling == 'C' ? b->conditions : NULL);
}

static bool same_content(const iom_intel_t *a, const iom_intel_t *b)
{
    return same(a->text, b->text) && same(a->source, b->source) && same_grade(&a->grade, &b->grade) &&
           same(a->legacy_grade, b->legacy_grade) && a->marking == b->marking && a->pnd == b->pnd &&
           same(a->pnd_ref, b->pnd_ref) && same(a->pnd_date, b->pnd_date) &&
           same(a->pnd_reason, b->pnd_reason);
}

static iom_err correct_sealed(iom_ctx *c, const app_intel_input *in, const iom_intel_t *cur0,
                              app_tasking_scope *scp, const unsigned char *key, iom_intel_t *out);
static iom_err pnd_sealed(iom_ctx *c, const iom_intel_t *it0, const iom_intel_t *cur0,
                          app_tasking_scope *sc, const unsigned char *key, iom_intel_t *out);

iom_err app_intel_correct(iom_ctx *c, const char *item_ref, const app_intel_input *in,
                          int64_t if_version, iom_intel_t *out)
{
    iom_err err;
    c->nproblems = 0; /* every field checked, all problems told at once (iom_ctx problems) */
    if (blank(in->reason))
        app_problem(c, "reason", "reason: a correction needs a reason (--reason TEXT)");
    else if ((err = app_problem_noted(c, "reason", iom_text_check("reason", in->reason, APP_WORK_REASON_MAX,
                                                                  IOM_TEXT_MULTI_LINE, &c->err))))
        return err;
    if ((err = check_texts(c, in, false)) || (err = app_problems_end(c)) || (err = app_begin(c, true)))
        return err;
    iom_intel_t cur;
    app_tasking_scope sc;
    unsigned char key[SEAL_KEY_BYTES];
    if ((err = load_for_change(c, item_ref, if_version, false, &cur, &sc, key)))
        return app_end(c, err);
    err = correct_sealed(c, in, &cur, &sc, key, out);
    sodium_memzero(key, sizeof key);
    return app_end(c, err);
}

/* The correction once the item is loaded and opened, inside the transaction. */
static iom_err correct_sealed(iom_ctx *c, const app_intel_input *in, const iom_intel_t *cur0,
                              app_tasking_scope *scp, const unsigned char *key, iom_intel_t *out)
{
    iom_err err;
    const iom_intel_t cur = *cur0;
    app_tasking_scope sc = *scp;
    iom_intel_t it = cur;
    int64_t now = app_now(c);
    if ((err = resolve_grade(c, in, &cur, &it)) ||
        (err = app_settings_intel(c, in->legacy, now, &it))) /* current map and review period */
        return err;
    if (pnd_given(in) &&
        (err = resolve_pnd(c, in->pnd, in->pnd_ref, in->pnd_date, in->pnd_reason, "pnd_reason", &it)))
        return err;
    /* a correction moves the PND record only as `intel pnd` may (docs/work.md, "PND"): never
       back to pending, and a recorded item never to not_required */
    if (pnd_given(in) && it.pnd == IOM_PND_PENDING && cur.pnd != IOM_PND_PENDING)
        return iom_fail(&c->err, IOM_EINVAL,
                        "pnd: %s is %s; an item cannot be set back to pending", cur.ref,
                        grade_pnd_name(cur.pnd));
    if (cur.pnd == IOM_PND_RECORDED && it.pnd == IOM_PND_NOT_REQUIRED)
        return iom_fail(&c->err, IOM_ECONFLICT,
                        "pnd: %s is recorded on PND as %s; it cannot become not_required", cur.ref,
                        cur.pnd_ref ? cur.pnd_ref : "?");
    /* Keep the current marking unless given; it may never fall below the tasking's. */
    iom_marking keep = cur.marking > sc.t.marking ? cur.marking : sc.t.marking;
    if ((err = work_marking(c, "marking", in->marking ? in->marking : iom_marking_name(keep),
                            &sc.t, &it.marking)))
        return err;
    /* A correction is never marked below the version it corrects (review 97 M2): a reader cleared
       only for the lower marking would be shown "version 3" of an item whose versions 1 and 2 are
       hidden from them, a count of records they may not see. A copy sanitised for wider use is a
       new item. (The actor is cleared for the current version: load_for_change found it.) */
    if (it.marking < cur.marking)
        return iom_fail(&c->err, IOM_EINVAL,
                        "marking: %s is below the marking of %s as it stands (%s); a correction is "
                        "not marked below the version it corrects: add a copy sanitised for wider "
                        "use as a new item",
                        iom_marking_name(it.marking), cur.ref, iom_marking_name(cur.marking));
    if (in->text)
        it.text = (char *)in->text;
    if (in->source)
        it.source = (char *)in->source;
    if (same_content(&it, &cur))
        return iom_fail(&c->err, IOM_EINVAL,
                        "intel correct %s: nothing to change (give --text, --source, "
                        "--grade, --handling, --conditions, --legacy, --marking or PND fields)",
                        cur.ref);
    it.correction_reason = (char *)in->reason;
    it.created_by = c->actor.id;
    it.created_at = now;
    char *before = intel_sealed_image(c, key, &cur);
    intel_seal_fields(c, key, &it);
    /* the marking is never lowered (above), so what the item supports in the picture is seen by
       no new reader: no renewal of its entities (review 79 L3 renewed them when it could be); a
       raised one takes what it supports out of the search documents and deconfliction keys of
       the readers below it (review 99 H2: an OFFICIAL reader still found the entity) */
    if ((err = WS(c)->intel_insert(c->store, &it, c->arena, &c->err)) ||
        (err = WS(c)->intel_get(c->store, cur.ref, it.version, c->arena, out, &c->err)) ||
        (err = intel_open(c, out, 1)) || (err = search_index_item(c, out->ref, out->text)) ||
        (it.marking > cur.marking && (err = search_picture_changed(c, sc.t.id, NULL))) ||
        (err = app_tasking_touch(c, &sc.t)))
        return err;
    return audit_record(c, "intel.correct", out->ref, before, intel_sealed_image(c, key, out));
}

iom_err app_intel_pnd(iom_ctx *c, const char *item_ref, const char *pnd, const char *pnd_ref,
                      const char *pnd_date, const char *reason, int64_t if_version, iom_intel_t *out)
{
    iom_err err;
    if (blank(pnd))
        return iom_fail(&c->err, IOM_EINVAL,
                        "pnd: give --recorded (with --pnd-ref and --pnd-date) or --not-required "
                        "(with --reason)");
    iom_intel_t it = {0};
    if ((err = iom_text_check("pnd_ref", pnd_ref, APP_WORK_SHORT_MAX, IOM_TEXT_SINGLE_LINE, &c->err)) ||
        (err = iom_text_check("reason", reason, APP_WORK_REASON_MAX, IOM_TEXT_MULTI_LINE, &c->err)) ||
        (err = resolve_pnd(c, pnd, pnd_ref, pnd_date, reason, "reason", &it)))
        return err;
    if (it.pnd == IOM_PND_PENDING)
        return iom_fail(&c->err, IOM_EINVAL,
                        "pnd: an item cannot be set back to pending; give recorded or not_required");
    if ((err = app_begin(c, true)))
        return err;
    iom_intel_t cur;
    app_tasking_scope sc;
    unsigned char key[SEAL_KEY_BYTES];
    if ((err = load_for_change(c, item_ref, if_version, true, &cur, &sc, key)))
        return app_end(c, err);
    err = pnd_sealed(c, &it, &cur, &sc, key, out);
    sodium_memzero(key, sizeof key);
    return app_end(c, err);
}

static iom_err pnd_sealed(iom_ctx *c, const iom_intel_t *it0, const iom_intel_t *cur0,
                          app_tasking_scope *sc, const unsigned char *key, iom_intel_t *out)
{
    iom_err err;
    const iom_intel_t it = *it0, cur = *cur0;
    if (cur.pnd == IOM_PND_RECORDED && it.pnd == IOM_PND_NOT_REQUIRED)
        return iom_fail(&c->err, IOM_ECONFLICT,
                        "pnd: %s is recorded on PND as %s; it cannot become not_required", cur.ref,
                        cur.pnd_ref ? cur.pnd_ref : "?");
    if (cur.pnd == it.pnd && same(cur.pnd_ref, it.pnd_ref) && same(cur.pnd_date, it.pnd_date) &&
        same(cur.pnd_reason, it.pnd_reason))
        return iom_fail(&c->err, IOM_ECONFLICT, "pnd: %s is already %s with these details", cur.ref,
                        grade_pnd_name(cur.pnd));
    char *before = intel_sealed_image(c, key, &cur);
    char review[11];
    if ((err = app_settings_review_date(c, app_now(c), review)))
        return err;
    iom_intel_t upd = cur;
    upd.pnd = it.pnd;
    upd.pnd_ref = it.pnd_ref;
    upd.pnd_date = it.pnd_date;
    upd.pnd_reason = seal_text(c->arena, key, "pnd_reason", it.pnd_reason);
    upd.review_date = review;
    /* an ended tasking's version stays (it accepts no other change) */
    if ((err = WS(c)->intel_set_pnd(c->store, &upd, &c->err)) ||
        (err = WS(c)->intel_get(c->store, cur.ref, 0, c->arena, out, &c->err)) ||
        (err = intel_open(c, out, 1)) ||
        (!lifecycle_state_ended(sc->t.state) && (err = app_tasking_touch(c, &sc->t))))
        return err;
    return audit_record(c, "intel.pnd", out->ref, before, intel_sealed_image(c, key, out));
}

/* ---- reads (each logged: domain.md §10) ------------------------------------------------ */

static json_t *read_entry(const iom_intel_t *it)
{
    return json_pack("{s:s, s:I}", "ref", it->ref, "version", (json_int_t)it->version);
}

static iom_err check_justification(iom_ctx *c, const char *j)
{
    return iom_text_check("justification", j, APP_WORK_REASON_MAX, IOM_TEXT_MULTI_LINE, &c->err);
}

iom_err app_intel_show(iom_ctx *c, const char *item_ref, int64_t version, const char *justification,
                       iom_intel_t *out)
{
    iom_err err = check_justification(c, justification);
    if (err || (err = app_begin(c, false)))
        return err;
    app_tasking_scope sc;
    /* The item as it is now decides who may see it, before any version is looked up: whether a
       hidden item has a version N must read as its absence does (an API review told "not found"
       from "has no version 3" and so watched an item of another region being corrected). An
       earlier version is shown under the item's marking as it is now, or higher: a marking
       raised by a correction covers every version (the text may be the same). */
    if ((err = app_actor(c)) ||
        (err = WS(c)->intel_get(c->store, item_ref ? item_ref : "", 0, c->arena, out, &c->err)) ||
        (err = work_read(c, ITEM, item_ref, out->tasking_ref, IOM_PART_INTELLIGENCE, out->marking, &sc)))
        return app_end(c, err);
    if (version && version != out->version) {
        iom_marking now = out->marking;
        /* a version that does not exist reads as one above the reader's clearance (review 97
           M2: "has no version 4" told it from "not found") */
        if ((err = WS(c)->intel_get(c->store, out->ref, version, c->arena, out, &c->err)) == IOM_ENOTFOUND)
            err = iom_fail(&c->err, IOM_ENOTFOUND, ITEM ": '%s' not found", item_ref);
        if (err)
            return app_end(c, err);
        if (out->marking > now &&
            (err = work_read(c, ITEM, item_ref, out->tasking_ref, IOM_PART_INTELLIGENCE, out->marking, &sc)))
            return app_end(c, err);
    }
    if ((err = intel_open(c, out, 1)))
        return app_end(c, err);
    if ((err = app_end(c, IOM_OK)))
        return err;
    json_t *what = json_array();
    json_array_append_new(what, read_entry(out));
    return work_log_read(c, "intel.consult", out->ref, what, justification,
                         access_read_purpose(&sc.access));
}

/* Keeps the items the actor is cleared for, with the PND status asked for, and narrows them
   to the page of q (keys: the reference, or the version for an item's history). */
static iom_err keep_page(iom_ctx *c, const app_work_query *q, bool by_version, iom_intel_t *v,
                         size_t *n, const char **next)
{
    iom_pnd_status want = IOM_PND_COUNT;
    if (q && q->pnd && grade_pnd_parse(q->pnd, &want, &c->err))
        return IOM_EINVAL;
    size_t k = 0;
    const char **keys = iom_arena_new(c->arena, const char *, *n ? *n : 1);
    for (size_t i = 0; i < *n; i++)
        if (iom_clearance_allows(c->actor.clearance, v[i].marking) && (!q || !q->pnd || v[i].pnd == want)) {
            v[k] = v[i];
            keys[k] = by_version ? iom_arena_printf(c->arena, "%lld", (long long)v[k].version) : v[k].ref;
            k++;
        }
    *n = k;
    return work_page(c, q, v, sizeof *v, keys, n, next);
}

static iom_err log_items(iom_ctx *c, const char *object, const iom_intel_t *v, size_t n,
                         const char *justification, const char *relation)
{
    if (n == 0)
        return IOM_OK; /* nothing was consulted */
    json_t *what = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(what, read_entry(&v[i]));
    return work_log_read(c, "intel.consult", object, what, justification, relation);
}

iom_err app_intel_history(iom_ctx *c, const char *item_ref, const char *justification,
                          const app_work_query *q, iom_intel_t **out, size_t *n, const char **next)
{
    *n = 0;
    *next = NULL;
    iom_err err = check_justification(c, justification);
    if (err || (err = app_begin(c, false)))
        return err;
    iom_intel_t cur;
    app_tasking_scope sc;
    if ((err = app_actor(c)) ||
        (err = WS(c)->intel_get(c->store, item_ref ? item_ref : "", 0, c->arena, &cur, &c->err)) ||
        (err = work_read(c, ITEM, item_ref, cur.tasking_ref, IOM_PART_INTELLIGENCE, cur.marking, &sc)) ||
        (err = WS(c)->intel_history(c->store, cur.ref, c->arena, out, n, &c->err)) ||
        (err = keep_page(c, q, true, *out, n, next)) || (err = intel_open(c, *out, *n)))
        return app_end(c, err);
    if ((err = app_end(c, IOM_OK)))
        return err;
    return log_items(c, cur.ref, *out, *n, justification, access_read_purpose(&sc.access));
}

iom_err app_intel_list(iom_ctx *c, const char *tasking_ref, const char *justification,
                       const app_work_query *q, iom_intel_t **out, size_t *n, const char **next,
                       int64_t *tasking_version)
{
    *n = 0;
    *next = NULL;
    iom_err err = check_justification(c, justification);
    if (err || (err = app_begin(c, false)))
        return err;
    app_tasking_scope sc;
    if ((err = app_tasking_read(c, tasking_ref, IOM_PART_INTELLIGENCE, &sc)) ||
        (err = WS(c)->intel_list(c->store, sc.t.id, c->arena, out, n, &c->err)) ||
        (err = keep_page(c, q, false, *out, n, next)) || (err = intel_open(c, *out, *n)))
        return app_end(c, err);
    *tasking_version = sc.t.version;
    {
        /* whether this reader may set a pending item's PND status now (the web's form follows
           it): the rule of app_intel_pnd, after the tasking has ended too */
        lifecycle_actor who = {c->actor.roles, access_lifecycle_relations(&sc.actor, &sc.at)};
        bool may = !sc.access.read_only && lifecycle_pnd_may(sc.t.state, &who, NULL, NULL) == IOM_OK;
        for (size_t i = 0; i < *n; i++)
            (*out)[i].may_pnd = may && (*out)[i].pnd == IOM_PND_PENDING && !(*out)[i].disposed_at ? 2 : 1;
    }
    if ((err = app_end(c, IOM_OK)))
        return err;
    return log_items(c, sc.t.ref, *out, *n, justification, access_read_purpose(&sc.access));
}

iom_err app_intel_due_review(iom_ctx *c, int days, const char *justification,
                             const app_work_query *q, iom_intel_t **out, size_t *n,
                             const char **next)
{
    *n = 0;
    *next = NULL;
    if (days < 0 || days > 36600)
        return iom_fail(&c->err, IOM_EINVAL, "days: %d is not a number of days from 0 to 36600", days);
    iom_err err = check_justification(c, justification);
    if (err || (err = app_begin(c, false)))
        return err;
    if ((err = app_actor(c)))
        return app_end(c, err);
    char due_by[11];
    work_today(app_now(c) + (int64_t)days * 86400, due_by);
    /* Reviews are due for the owning (and requesting) agency and the TOEX team: of the
       actor's need-to-know scope, the agency and team clauses (an apmis recorder of the
       agency sees its intelligence through the agency, domain.md §3, so those items are due
       for its review too), and every tasking for an auditor. Each item is re-checked below. */
    access_actor who = app_access_actor(c);
    access_scope scope = access_scope_of(&who);
    iom_intel_due_filter f = {.all = scope.all == IOM_ACCESS_AUDIT, .reached_toex = scope.reached_toex,
                              .agency_id = scope.agency_id,
                              .user_id = c->actor.id, .due_by = due_by,
                              .max_marking = scope.clearance, .limit = DUE_MAX};
    iom_intel_t *v;
    size_t m;
    if ((err = WS(c)->intel_due_review(c->store, &f, c->arena, &v, &m, &c->err)))
        return app_end(c, err);
    /* Need-to-know item by item, through the same predicate as every other read; each
       tasking is decided once. */
    size_t k = 0;
    const char *last_ok = NULL, *last_no = NULL;
    unsigned relations = 0; /* bit set of the relations that granted the items kept */
    for (size_t i = 0; i < m && !err; i++) {
        const char *t = v[i].tasking_ref;
        bool ok = last_ok && strcmp(last_ok, t) == 0;
        if (!ok && !(last_no && strcmp(last_no, t) == 0)) {
            app_tasking_scope sc;
            err = app_tasking_read(c, t, IOM_PART_INTELLIGENCE, &sc);
            ok = err == IOM_OK;
            if (ok)
                relations |= 1u << sc.access.relation;
            if (err == IOM_ENOTFOUND)
                err = IOM_OK;
            *(ok ? &last_ok : &last_no) = t;
        }
        if (ok)
            v[k++] = v[i];
    }
    if (err || (err = keep_page(c, q, false, v, &k, next)) || (err = intel_open(c, v, k)))
        return app_end(c, err);
    if ((err = app_end(c, IOM_OK)))
        return err;
    iom_error_clear(&c->err);
    *out = v;
    *n = k;
    char joined[160] = "";
    for (int r = 0; r < IOM_ACCESS_RELATION_COUNT; r++) {
        access_decision d = {(iom_access_relation)r, true, false};
        const char *word = access_read_purpose(&d);
        if ((relations & (1u << r)) && word)
            snprintf(joined + strlen(joined), sizeof joined - strlen(joined), "%s%s",
                     joined[0] ? "," : "", word);
    }
    return log_items(c, "mopi-review", v, k, justification, joined);
}
