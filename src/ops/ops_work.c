/* The work on a tasking (docs/work.md): contributions, intelligence items, tactical options
   and product versions. Changes take the TASKING's version (If-Match / --if-version) and
   answer with the tasking's new version; lists and item reads answer with its version too. */
#include <string.h>

#include "app/work.h"
#include "ops/internal.h"

/* After a change made with the version read: that version plus one (a change bumps the
   tasking's version by exactly one); else the version read now. */
static int64_t tasking_etag(iom_ctx *c, const char *tasking_ref, int64_t if_version)
{
    if (if_version > 0)
        return if_version + 1;
    iom_error saved = c->err;
    int64_t v = 0;
    if (!tasking_ref || app_tasking_version(c, tasking_ref, &v) != IOM_OK)
        v = 0;
    c->err = saved;
    return v;
}

static app_work_query query_of(const op_in *in)
{
    return (app_work_query){op_str(in, "pnd"), op_str(in, "status"), op_str(in, "strand"),
                            op_str(in, "type"), {op_str(in, "after"), (size_t)op_int(in, "limit", 0)}};
}

#define LIST_OUT(out, v, n, next, json_of, tv)                                                 \
    do {                                                                                       \
        OP_LIST_OUT(out, v, n, next, json_of);                                                 \
        (out)->etag = (tv);                                                                    \
    } while (0)

/* A list of a tasking's work: one page of the use-case's list, with the tasking's version. */
#define TASKING_LIST(fn, type, list, json_of)                                                  \
    iom_err fn(iom_ctx *c, const op_in *in, op_out *out)                                       \
    {                                                                                          \
        app_work_query q = query_of(in);                                                       \
        type *v;                                                                               \
        size_t n;                                                                              \
        const char *next;                                                                      \
        int64_t tv = 0;                                                                        \
        iom_err err = list(c, op_str(in, "ref"), &q, &v, &n, &next, &tv);                      \
        if (!err) {                                                                            \
            LIST_OUT(out, v, n, next, json_of, tv);                                            \
            op_mark_tasking(c, out, op_str(in, "ref"));                                        \
        }                                                                                      \
        return err;                                                                            \
    }

/* A change of a work object that answers it with the tasking's new version. */
#define WORK_OUT(out, item, json_of, ver)                                                      \
    do {                                                                                       \
        (out)->json = json_of(item);                                                           \
        (out)->obj = (item);                                                                   \
        (out)->ref = (item)->ref;                                                              \
        (out)->etag = tasking_etag(c, (item)->tasking_ref, (ver));                             \
        op_mark_tasking(c, (out), (item)->tasking_ref);                                        \
    } while (0)

iom_err op_contribution_add(iom_ctx *c, const op_in *in, op_out *out)
{
    app_contribution_input ci = {op_str(in, "date"), op_str(in, "hours"), op_str(in, "text")};
    const char *ref = op_str(in, "ref");
    int64_t ver = op_int(in, "if_version", 0);
    iom_contribution_t *k = iom_arena_new(c->arena, iom_contribution_t, 1);
    iom_err err = app_contribution_add(c, ref, &ci, ver, k);
    if (!err)
        WORK_OUT(out, k, json_of_contribution, ver);
    return err;
}

TASKING_LIST(op_contribution_list, iom_contribution_t, app_contribution_list, json_of_contribution)

static app_intel_input intel_input(const op_in *in)
{
    return (app_intel_input){.text = op_str(in, "text"), .source = op_str(in, "source"),
                             .grade = op_str(in, "grade"), .handling = op_str(in, "handling"),
                             .conditions = op_str(in, "conditions"), .legacy = op_str(in, "legacy"),
                             .marking = op_str(in, "marking"), .pnd = op_str(in, "pnd"),
                             .pnd_ref = op_str(in, "pnd_ref"), .pnd_date = op_str(in, "pnd_date"),
                             .pnd_reason = op_str(in, "pnd_reason"), .reason = op_str(in, "reason")};
}

static iom_err intel_out(iom_ctx *c, op_out *out, iom_intel_t *it, int64_t if_version)
{
    WORK_OUT(out, it, json_of_intel, if_version);
    return IOM_OK;
}

iom_err op_intel_add(iom_ctx *c, const op_in *in, op_out *out)
{
    app_intel_input ii = intel_input(in);
    int64_t ver = op_int(in, "if_version", 0);
    iom_intel_t *it = iom_arena_new(c->arena, iom_intel_t, 1);
    iom_err err = app_intel_add(c, op_str(in, "ref"), &ii, ver, it);
    return err ? err : intel_out(c, out, it, ver);
}

iom_err op_intel_correct(iom_ctx *c, const op_in *in, op_out *out)
{
    app_intel_input ii = intel_input(in);
    int64_t ver = op_int(in, "if_version", 0);
    iom_intel_t *it = iom_arena_new(c->arena, iom_intel_t, 1);
    iom_err err = app_intel_correct(c, op_str(in, "item"), &ii, ver, it);
    return err ? err : intel_out(c, out, it, ver);
}

/* The API names the status ({"pnd": "recorded"}); the CLI gives --recorded or --not-required. */
iom_err op_intel_pnd(iom_ctx *c, const op_in *in, op_out *out)
{
    const char *pnd = op_str(in, "pnd");
    bool rec = op_bool(in, "recorded"), nreq = op_bool(in, "not_required");
    if (!pnd && rec == nreq)
        return iom_fail(&c->err, IOM_EINVAL, "pnd: give exactly one of --recorded and --not-required "
                                             "(API: \"pnd\": \"recorded\" or \"not_required\")");
    if (!pnd)
        pnd = rec ? "recorded" : "not_required";
    int64_t ver = op_int(in, "if_version", 0);
    iom_intel_t *it = iom_arena_new(c->arena, iom_intel_t, 1);
    iom_err err = app_intel_pnd(c, op_str(in, "item"), pnd, op_str(in, "pnd_ref"),
                                op_str(in, "pnd_date"), op_str(in, "reason"), ver, it);
    return err ? err : intel_out(c, out, it, ver);
}

iom_err op_intel_show(iom_ctx *c, const op_in *in, op_out *out)
{
    iom_intel_t *it = iom_arena_new(c->arena, iom_intel_t, 1);
    iom_err err = app_intel_show(c, op_str(in, "item"), op_int(in, "version", 0),
                                 op_str(in, "justification"), it);
    return err ? err : intel_out(c, out, it, 0);
}

iom_err op_intel_history(iom_ctx *c, const op_in *in, op_out *out)
{
    app_work_query q = query_of(in);
    iom_intel_t *v;
    size_t n;
    const char *next;
    iom_err err = app_intel_history(c, op_str(in, "item"), op_str(in, "justification"), &q, &v, &n, &next);
    if (!err)
        LIST_OUT(out, v, n, next, json_of_intel, n ? tasking_etag(c, v[0].tasking_ref, 0) : 0);
    return err;
}

iom_err op_intel_list(iom_ctx *c, const op_in *in, op_out *out)
{
    app_work_query q = query_of(in);
    iom_intel_t *v;
    size_t n;
    const char *next;
    int64_t tv = 0;
    iom_err err = app_intel_list(c, op_str(in, "ref"), op_str(in, "justification"), &q, &v, &n, &next, &tv);
    if (!err)
        LIST_OUT(out, v, n, next, json_of_intel, tv);
    return err;
}

iom_err op_intel_due_review(iom_ctx *c, const op_in *in, op_out *out)
{
    app_work_query q = query_of(in);
    iom_intel_t *v;
    size_t n;
    const char *next;
    iom_err err = app_intel_due_review(c, op_int_sat(in, "days", 0), op_str(in, "justification"), &q,
                                       &v, &n, &next);
    if (!err)
        OP_LIST_OUT(out, v, n, next, json_of_intel);
    return err;
}

iom_err op_review_input(iom_ctx *c, const op_in *in, app_intel_review_input *ri)
{
    const char *decision = op_str(in, "decision");
    bool retain = op_bool(in, "retain"), dispose = op_bool(in, "dispose");
    if (!decision && retain == dispose)
        return iom_fail(&c->err, IOM_EINVAL, "decision: give exactly one of --retain and --dispose "
                                             "(API: \"decision\": \"retain\" or \"dispose\")");
    if (!decision)
        decision = retain ? "retain" : "dispose";
    *ri = (app_intel_review_input){decision, op_str(in, "next"), op_str(in, "reason")};
    return IOM_OK;
}

void op_review_out(iom_ctx *c, op_out *out, iom_intel_review_t *r, bool purged)
{
    out->json = json_of_intel_review(r);
    if (r->dispose) {
        json_object_set_new(out->json, "erased", json_true());
        json_object_set_new(out->json, "purged", json_boolean(purged));
    }
    out->obj = r;
    out->ref = r->ref;
    op_mark_reviews(c, out, r, 1, r->tasking_ref);
}

/* A review is about its item or dataset and is marked as it is (review 94 L2: it was marked
   as the tasking, OFFICIAL for an OFFICIAL-SENSITIVE item); the answer's marking is also at
   least the tasking's, as the item's own answer is. */
void op_mark_reviews(iom_ctx *c, op_out *out, const iom_intel_review_t *v, size_t n, const char *tasking)
{
    int m = -1;
    for (size_t i = 0; i < n; i++)
        m = v[i].marking > m ? v[i].marking : m;
    op_mark(out, m);
    op_mark_tasking(c, out, tasking);
}

iom_err op_intel_review(iom_ctx *c, const op_in *in, op_out *out)
{
    app_intel_review_input ri;
    iom_err err = op_review_input(c, in, &ri);
    iom_intel_review_t *r = iom_arena_new(c->arena, iom_intel_review_t, 1);
    bool purged = false;
    if (err || (err = app_intel_review(c, op_str(in, "item"), &ri, r, &purged)))
        return err;
    op_review_out(c, out, r, purged);
    return IOM_OK;
}

iom_err op_intel_reviews(iom_ctx *c, const op_in *in, op_out *out)
{
    iom_intel_review_t *v;
    size_t n;
    const char *tasking = NULL;
    iom_err err = app_intel_reviews(c, op_str(in, "item"), op_str(in, "justification"), &v, &n, &tasking);
    if (!err) {
        OP_LIST_OUT(out, v, n, NULL, json_of_intel_review);
        op_mark_reviews(c, out, v, n, tasking);
    }
    return err;
}

iom_err op_option_add(iom_ctx *c, const op_in *in, op_out *out)
{
    app_option_input oi = {op_str(in, "strand"), op_str(in, "text"), op_str(in, "agency"),
                           op_str(in, "marking")};
    const char *ref = op_str(in, "ref");
    int64_t ver = op_int(in, "if_version", 0);
    iom_option_t *o = iom_arena_new(c->arena, iom_option_t, 1);
    iom_err err = app_option_add(c, ref, &oi, ver, o);
    if (!err)
        WORK_OUT(out, o, json_of_option, ver);
    return err;
}

iom_err op_option_set(iom_ctx *c, const op_in *in, op_out *out)
{
    int64_t ver = op_int(in, "if_version", 0);
    iom_option_t *o = iom_arena_new(c->arena, iom_option_t, 1);
    iom_err err = app_option_set(c, op_str(in, "option"), op_str(in, "status"), ver,
                                 op_int(in, "version", 0), o);
    if (!err) { /* as WORK_OUT, marked by the option's tasking (its agency may not see it) */
        out->json = json_of_option(o);
        out->obj = o;
        out->ref = o->ref;
        out->etag = tasking_etag(c, o->tasking_ref, ver);
        op_mark(out, (int)o->marking);
    }
    return err;
}

TASKING_LIST(op_option_list, iom_option_t, app_option_list, json_of_option_listed)

static json_t *json_of_option_marked(const iom_option_t *o)
{
    return json_of_option_listed(o); /* with the option's own marking */
}

iom_err op_option_agency(iom_ctx *c, const op_in *in, op_out *out)
{
    app_work_query q = query_of(in);
    iom_option_t *v;
    size_t n;
    const char *next;
    iom_err err = app_option_list_agency(c, &q, &v, &n, &next);
    if (!err) {
        /* each option carries its own tasking's marking; the answer the highest shown */
        OP_LIST_OUT(out, v, n, next, json_of_option_marked);
        int m = IOM_MARKING_OFFICIAL;
        for (size_t i = 0; i < n; i++)
            m = (int)v[i].marking > m ? (int)v[i].marking : m;
        op_mark(out, m);
    }
    return err;
}

iom_err op_product_deliver(iom_ctx *c, const op_in *in, op_out *out)
{
    int64_t ver = op_int(in, "if_version", 0);
    iom_product_t *p = iom_arena_new(c->arena, iom_product_t, 1);
    iom_err err = app_product_deliver(c, op_str(in, "product"), op_int(in, "version", 0), ver, p);
    if (!err)
        WORK_OUT(out, p, json_of_product, ver);
    return err;
}

TASKING_LIST(op_product_list, iom_product_t, app_product_list, json_of_product)
