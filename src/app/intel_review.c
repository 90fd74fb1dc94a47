/* MoPI review and disposal of intelligence items (app/work.h; domain/mopi.h; issue 12 point 6).
   The item's content is sealed with its own key (app/seal.h): disposal destroys the key, so
   every copy of the content, in the item's rows and in the audit images, is unreadable, while
   the audit chain (whose MACs cover the sealed text) still verifies. */
#include <string.h>

#include <sodium.h>

#include "app/audit.h"
#include "app/intel_int.h"
#include "app/search.h"
#include "app/settings.h"
#include "app/work.h"
#include "domain/mopi.h"
#include "util/text.h"

#define WS(c) ((c)->store->ops->work)
#define ITEM "intelligence item"

static iom_err check_input(iom_ctx *c, const app_intel_review_input *in, mopi_decision *d)
{
    iom_err err;
    if ((err = mopi_decision_parse(in->decision, d, &c->err)) ||
        (err = iom_text_check("reason", in->reason, APP_WORK_REASON_MAX, IOM_TEXT_MULTI_LINE, &c->err)))
        return err;
    if (in->next && (err = iom_date_check("next", in->next, &c->err)))
        return err;
    return IOM_OK;
}

/* Inside the transaction: the current version of the item, seen as the actor may, and the
   actor's relations to its tasking. */
static iom_err load(iom_ctx *c, const char *ref, iom_intel_t *it, app_tasking_scope *sc)
{
    iom_err err;
    it->ref = NULL;
    if ((err = app_actor(c)) ||
        (err = WS(c)->intel_get(c->store, ref ? ref : "", 0, c->arena, it, &c->err)))
        return err;
    return work_read(c, ITEM, ref, it->tasking_ref, IOM_PART_INTELLIGENCE, it->marking, sc);
}

static char *image(iom_ctx *c, json_t *j) { return work_json_text(c, j); }

static iom_err record(iom_ctx *c, mopi_decision d, const app_intel_review_input *in,
                      const iom_intel_t *it, iom_intel_review_t *out)
{
    iom_err err;
    out->ref = it->ref;
    out->tasking_ref = it->tasking_ref;
    out->dispose = d == MOPI_DISPOSE;
    out->reason = (char *)in->reason;
    out->due_date = it->review_date;
    out->next_date = d == MOPI_RETAIN ? (char *)in->next : NULL;
    out->user_id = c->actor.id;
    out->at = app_now(c);
    out->user = c->actor.name;
    out->marking = (int)it->marking;
    if (d == MOPI_RETAIN) {
        if ((err = WS(c)->intel_set_review_date(c->store, it->id, in->next, &c->err)) ||
            (err = WS(c)->intel_review_insert(c->store, out, &c->err)))
            return err;
        return audit_record(c, "intel.review", it->ref,
                            image(c, json_pack("{s:s, s:s}", "ref", it->ref, "review_date",
                                               it->review_date)),
                            image(c, json_of_intel_review(out)));
    }
    iom_intel_t *v;
    size_t n;
    if ((err = WS(c)->intel_history(c->store, it->ref, c->arena, &v, &n, &c->err)) ||
        (err = WS(c)->intel_review_insert(c->store, out, &c->err)) ||
        (err = WS(c)->intel_erase(c->store, it->ref, &c->err)) ||
        (err = search_unindex_item(c, it->ref)))
        return err;
    /* The erasure logged (DPA 2018 s.62): what was erased, never what it said. */
    json_t *before = json_pack("{s:s, s:s, s:I, s:s, s:s}", "ref", it->ref, "tasking",
                               it->tasking_ref ? it->tasking_ref : "", "versions", (json_int_t)n,
                               "marking", iom_marking_name(it->marking), "review_date",
                               it->review_date);
    json_t *after = json_of_intel_review(out);
    json_object_set_new(after, "erased", json_true());
    return audit_record(c, "intel.dispose", it->ref, image(c, before), image(c, after));
}

/* A disposed item supports nothing (docs/work.md, "Review and disposal"): its sources of
   entities and links go, then every entity and link left without a source, with their search
   documents and deconfliction keys. Inside the disposal's transaction. */
static iom_err drop_supported(iom_ctx *c, const char *ref, int64_t tasking_id)
{
    const struct iom_store_picture_ops *ps = c->store->ops->picture;
    int64_t entities = 0, links = 0;
    iom_err err = ps->item_sources_clear(c->store, ref, &c->err);
    if (!err)
        err = ps->prune(c->store, tasking_id, &entities, &links, &c->err);
    if (!err && (entities || links))
        err = search_picture_changed(c, tasking_id, NULL);
    return err;
}

iom_err app_intel_review(iom_ctx *c, const char *item_ref, const app_intel_review_input *in,
                         iom_intel_review_t *out, bool *purged)
{
    mopi_decision d;
    iom_err err = check_input(c, in, &d);
    if (purged)
        *purged = false;
    if (err || (err = app_begin(c, true)))
        return err;
    iom_intel_t it;
    app_tasking_scope sc;
    char today[11], latest[11];
    mopi_facts f;
    if ((err = app_actor(c)) ||
        (err = WS(c)->intel_get(c->store, item_ref ? item_ref : "", 0, c->arena, &it, &c->err)) ||
        (err = work_review_scope(c, ITEM, item_ref, it.tasking_ref, it.marking, &sc)) ||
        (err = work_review_facts(c, &sc, in, today, latest, &f)))
        return app_end(c, err);
    f.disposed = it.disposed_at != 0;
    f.pnd_pending = it.pnd == IOM_PND_PENDING;
    if ((err = mopi_review_check(d, &f, &c->err)) || (err = record(c, d, in, &it, out)) ||
        (d == MOPI_DISPOSE && (err = drop_supported(c, it.ref, sc.t.id))))
        return app_end(c, err);
    if ((err = app_end(c, IOM_OK)))
        return err;
    if (d == MOPI_DISPOSE) {
        iom_error ignored = {0};
        bool done = WS(c)->purge(c->store, &ignored) == IOM_OK;
        if (purged)
            *purged = done;
    }
    return IOM_OK;
}

iom_err app_intel_reviews(iom_ctx *c, const char *item_ref, const char *justification,
                          iom_intel_review_t **out, size_t *n, const char **tasking_ref)
{
    *out = NULL;
    *n = 0;
    *tasking_ref = NULL;
    iom_err err = iom_text_check("justification", justification, APP_WORK_REASON_MAX,
                                 IOM_TEXT_MULTI_LINE, &c->err);
    if (err || (err = app_begin(c, false)))
        return err;
    iom_intel_t it;
    app_tasking_scope sc;
    if ((err = load(c, item_ref, &it, &sc)) ||
        (err = WS(c)->intel_reviews(c->store, it.ref, c->arena, out, n, &c->err)))
        return app_end(c, err);
    *tasking_ref = it.tasking_ref;
    for (size_t i = 0; i < *n; i++) /* about the item: marked as it is (review 94 L2) */
        (*out)[i].marking = (int)it.marking;
    if ((err = app_end(c, IOM_OK)) || *n == 0)
        return err;
    /* a review's reason is free text about the item's subjects: a content read, logged as the
       item's history is (review 72: it was read without an entry) */
    json_t *what = json_pack("{s:s, s:s}", "ref", it.ref, "view", "mopi reviews");
    return work_log_read(c, "intel.consult", it.ref, what, justification, access_read_purpose(&sc.access));
}

iom_err app_intel_seal_legacy(iom_ctx *c, size_t *sealed)
{
    *sealed = 0;
    if (!c->has_audit_key)
        return iom_fail(&c->err, IOM_EINTEGRITY, "intelligence: no audit key loaded to seal items with");
    iom_err err = app_begin(c, true);
    if (err)
        return err;
    char **refs;
    size_t n;
    if ((err = WS(c)->intel_unsealed(c->store, c->arena, &refs, &n, &c->err)) || n == 0)
        return app_end(c, err);
    json_t *list = json_array();
    for (size_t i = 0; i < n && !err; i++) {
        iom_intel_t it;
        unsigned char key[SEAL_KEY_BYTES];
        if (!(err = WS(c)->intel_get(c->store, refs[i], 0, c->arena, &it, &c->err)))
            err = intel_item_key(c, &it, true, key);
        sodium_memzero(key, sizeof key);
        json_array_append_new(list, json_string(refs[i]));
    }
    if (err) {
        json_decref(list);
        return app_end(c, err);
    }
    err = audit_record(c, "intel.seal", "intelligence", NULL,
                       image(c, json_pack("{s:I, s:o}", "sealed", (json_int_t)n, "items", list)));
    if (!(err = app_end(c, err)))
        *sealed = n;
    return err;
}
