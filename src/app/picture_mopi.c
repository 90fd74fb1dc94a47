/* MoPI review of imported datasets and the picture's due-review list (app/picture.h; issue 16
   point 7; docs/picture.md "Review and disposal"). The rules of who reviews and of a valid
   review are those of intelligence items (domain/mopi.h); an entity or link is reviewed with
   its sources: its review date is the latest of theirs (picture_store.h review_dates). */
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "app/json.h"
#include "app/picture_int.h"
#include "app/settings.h"
#include "domain/mopi.h"
#include "util/text.h"

#define PS(c) ((c)->store->ops->picture)
#define DUE_MAX 10000

/* Inside the transaction: the dataset as the actor may see it, and the actor's relations to
   its tasking (need-to-know of the tasking's intelligence, clearance for the dataset's
   marking; IOM_ENOTFOUND otherwise). */
static iom_err load(iom_ctx *c, const char *ref, iom_dataset_t *d, app_tasking_scope *sc)
{
    iom_err err;
    if ((err = app_actor(c)) || (err = PS(c)->dataset_get(c->store, ref ? ref : "", c->arena, d, &c->err)))
        return err;
    return work_read(c, "dataset", ref, d->tasking_ref, IOM_PART_INTELLIGENCE, d->marking, sc);
}

iom_err app_dataset_review(iom_ctx *c, const char *ref, const app_intel_review_input *in,
                           iom_intel_review_t *out, app_resolution *res, bool *purged)
{
    mopi_decision d;
    iom_err err;
    memset(res, 0, sizeof *res);
    if (purged)
        *purged = false;
    if ((err = mopi_decision_parse(in->decision, &d, &c->err)) ||
        (err = iom_text_check("reason", in->reason, APP_WORK_REASON_MAX, IOM_TEXT_MULTI_LINE, &c->err)) ||
        (in->next && (err = iom_date_check("next", in->next, &c->err))) || (err = app_begin(c, true)))
        return err;
    iom_dataset_t ds;
    app_tasking_scope sc;
    char today[11], latest[11];
    mopi_facts f;
    if ((err = app_actor(c)) || (err = PS(c)->dataset_get(c->store, ref ? ref : "", c->arena, &ds, &c->err)) ||
        (err = work_review_scope(c, "dataset", ref, ds.tasking_ref, ds.marking, &sc)) ||
        (err = work_review_facts(c, &sc, in, today, latest, &f)))
        return app_end(c, err);
    int64_t now = app_now(c);
    if ((err = mopi_review_check(d, &f, &c->err)))
        return app_end(c, err);
    *out = (iom_intel_review_t){.ref = ds.ref, .dispose = d == MOPI_DISPOSE, .reason = (char *)in->reason,
                                .due_date = ds.review_date,
                                .next_date = d == MOPI_RETAIN ? (char *)in->next : NULL,
                                .user_id = c->actor.id, .at = now, .user = c->actor.name,
                                .tasking_ref = ds.tasking_ref, .marking = (int)ds.marking};
    if ((err = PS(c)->dataset_review_insert(c->store, ds.id, ds.tasking_id, out, &c->err)))
        return app_end(c, err);
    json_t *before = json_pack("{s:s, s:s, s:s, s:I, s:s, s:s}", "ref", ds.ref, "tasking", ds.tasking_ref,
                               "level", ds.level, "records", (json_int_t)ds.records, "marking",
                               iom_marking_name(ds.marking), "review_date", ds.review_date);
    json_t *after = json_of_intel_review(out);
    if (d == MOPI_RETAIN) {
        if ((err = PS(c)->dataset_set_review_date(c->store, ds.id, in->next, &c->err)) ||
            (err = PS(c)->review_dates(c->store, ds.tasking_id, &c->err))) {
            json_decref(before);
            json_decref(after);
            return app_end(c, err);
        }
        err = audit_record(c, "dataset.review", ds.ref, work_json_text(c, before), work_json_text(c, after));
        return app_end(c, err);
    }
    /* Disposal: the records go, and with them every entity and link only they supported
       (re-resolution prunes them and updates the search index). Logged as an erasure (DPA
       2018 s.62): what went, never what it held. */
    if ((err = PS(c)->dataset_delete(c->store, ds.id, &c->err)) ||
        (err = pic_resolve_tasking(c, ds.tasking_id, NULL, NULL, res))) {
        json_decref(before);
        json_decref(after);
        return app_end(c, err);
    }
    json_object_set_new(after, "erased", json_true());
    json_object_set_new(after, "resolution", json_of_resolution(res));
    if ((err = audit_record(c, "dataset.dispose", ds.ref, work_json_text(c, before), work_json_text(c, after))) ||
        (err = app_end(c, IOM_OK)))
        return err;
    pic_resolution_for_caller(c, res);
    iom_error ignored = {0};
    bool done = c->store->ops->work->purge(c->store, &ignored) == IOM_OK;
    if (purged)
        *purged = done;
    return IOM_OK;
}

iom_err app_dataset_reviews(iom_ctx *c, const char *ref, iom_intel_review_t **out, size_t *n,
                            const char **tasking_ref)
{
    *out = NULL;
    *n = 0;
    *tasking_ref = NULL;
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    int64_t tasking_id = 0;
    if ((err = app_actor(c)) ||
        (err = PS(c)->dataset_reviews(c->store, ref ? ref : "", c->arena, out, n, &tasking_id, &c->err)))
        return app_end(c, err);
    iom_dataset_t ds;
    app_tasking_scope sc;
    if (*n == 0) { /* never reviewed: the dataset itself decides what the actor may see */
        if ((err = load(c, ref, &ds, &sc)))
            return app_end(c, err);
        *tasking_ref = ds.tasking_ref;
        return app_end(c, IOM_OK);
    }
    /* reviewed (perhaps disposed of): need-to-know of its tasking's intelligence, and the
       dataset's clearance while it exists; the reviews are marked as the dataset is (review 94
       L2). Once it is gone its marking is not kept: they are read as material of the highest
       marking, by a reader cleared for it (review 137 H1: an OFFICIAL-SENSITIVE dataset's
       reviews, their reasons among them, reached OFFICIAL readers once it was removed) */
    int marking = -1;
    if (PS(c)->dataset_get(c->store, ref, c->arena, &ds, &c->err) == IOM_OK) {
        if ((err = load(c, ref, &ds, &sc)))
            return app_end(c, err);
        marking = (int)ds.marking;
    } else if ((err = work_read(c, "dataset", ref, (*out)[0].tasking_ref, IOM_PART_INTELLIGENCE,
                                (iom_marking)(IOM_MARKING_COUNT - 1), &sc))) {
        return app_end(c, err);
    } else
        marking = (int)(IOM_MARKING_COUNT - 1);
    iom_error_clear(&c->err);
    *tasking_ref = (*out)[0].tasking_ref;
    for (size_t i = 0; i < *n; i++)
        (*out)[i].marking = marking;
    return app_end(c, IOM_OK);
}

iom_err app_picture_due(iom_ctx *c, int days, const char *kind, const app_page *p, iom_pdue_t **out,
                        size_t *n, const char **next)
{
    *out = NULL;
    *n = 0;
    *next = NULL;
    if (days < 0 || days > 36600)
        return iom_fail(&c->err, IOM_EINVAL, "days: %d is not a number of days from 0 to 36600", days);
    bool datasets = true, entities = true;
    if (kind && *kind) {
        datasets = strcmp(kind, "dataset") == 0;
        entities = strcmp(kind, "entity") == 0;
        if (!datasets && !entities)
            return iom_fail(&c->err, IOM_EINVAL, "kind: '%.40s' is not dataset or entity", kind);
    }
    iom_err err = app_begin(c, false);
    if (err || (err = app_actor(c)))
        return err ? err : app_end(c, err);
    char due_by[11];
    work_today(app_now(c) + (int64_t)days * 86400, due_by);
    /* as intel due-review (app/intel.c): the agency and team clauses of the actor's scope,
       every tasking for an auditor; each tasking checked again below */
    access_actor who = app_access_actor(c);
    access_scope scope = access_scope_of(&who);
    iom_intel_due_filter f = {.all = scope.all == IOM_ACCESS_AUDIT, .reached_toex = scope.reached_toex,
                              .agency_id = scope.agency_id,
                              .user_id = c->actor.id, .due_by = due_by,
                              .max_marking = scope.clearance, .limit = DUE_MAX};
    iom_pdue_t *v;
    size_t m;
    if ((err = PS(c)->due(c->store, &f, datasets, entities, c->arena, &v, &m, &c->err)))
        return app_end(c, err);
    size_t k = 0;
    const char *last_ok = NULL, *last_no = NULL;
    for (size_t i = 0; i < m && !err; i++) {
        const char *t = v[i].tasking_ref;
        bool ok = last_ok && strcmp(last_ok, t) == 0;
        if (!ok && !(last_no && strcmp(last_no, t) == 0)) {
            app_tasking_scope sc;
            err = app_tasking_read(c, t, IOM_PART_INTELLIGENCE, &sc);
            ok = err == IOM_OK;
            if (err == IOM_ENOTFOUND)
                err = IOM_OK;
            *(ok ? &last_ok : &last_no) = t;
        }
        if (ok && iom_clearance_allows(c->actor.clearance, v[i].marking))
            v[k++] = v[i];
    }
    if (err)
        return app_end(c, err);
    iom_error_clear(&c->err);
    /* the page keys keep the store's order: owner, date, kind, reference */
    const char **keys = iom_arena_new(c->arena, const char *, k ? k : 1);
    for (size_t i = 0; i < k; i++)
        keys[i] = iom_arena_printf(c->arena, "%s|%s|%d|%s", v[i].owner ? v[i].owner : "", v[i].review_date,
                                   v[i].entity ? 1 : 0, v[i].ref);
    app_work_query q = {.page = p ? *p : (app_page){0}};
    if ((err = work_page(c, &q, v, sizeof *v, keys, &k, next)))
        return app_end(c, err);
    *out = v;
    *n = k;
    return app_end(c, IOM_OK);
}

json_t *json_of_pdue(const iom_pdue_t *d)
{
    json_t *j = json_pack("{s:s, s:s, s:s, s:o, s:s, s:s, s:s}", "kind", d->entity ? "entity" : "dataset",
                          "ref", d->ref, "tasking", d->tasking_ref ? d->tasking_ref : "", "owner",
                          json_str_or_null(d->owner), "review_date", d->review_date ? d->review_date : "",
                          "marking", iom_marking_name(d->marking), "type", d->type ? d->type : "");
    if (d->entity)
        json_object_set_new(j, "sources", json_integer(d->count));
    else {
        json_object_set_new(j, "name", json_string(d->name ? d->name : ""));
        json_object_set_new(j, "records", json_integer(d->count));
    }
    return j;
}
