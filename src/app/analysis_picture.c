/* What an import of transactions or call records adds to the tasking's picture (issue 17
   points 2 and 3; docs/analysis.md "The picture an import makes"): account and phone
   entities, `pays`, `contacts` and `holds_account` links, each with the import as its source
   (store/picture_store.h source_add_import). Called inside the import's write transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/analysis_int.h"
#include "app/picture_int.h"
#include "app/json.h"
#include "app/search.h"
#include "app/settings.h"
#include "app/work.h"
#include "domain/picture.h"

#define PS(c) ((c)->store->ops->picture)

typedef struct ip_party {
    const char *key, *label;
    int64_t first, last, count;
    int64_t id; /* the entity */
} ip_party;

typedef struct ip_pair {
    uint32_t a, b; /* parties (finance: from, to; comms: the smaller index first) */
    size_t row;
} ip_pair;

typedef struct ip_hold {
    uint32_t party;
    const char *holder;
    size_t row;
} ip_hold;

static int key_cmp(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static int pair_cmp(const void *x, const void *y)
{
    const ip_pair *a = x, *b = y;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    if (a->b != b->b)
        return a->b < b->b ? -1 : 1;
    return a->row < b->row ? -1 : a->row > b->row;
}

static int hold_cmp(const void *x, const void *y)
{
    const ip_hold *a = x, *b = y;
    if (a->party != b->party)
        return a->party < b->party ? -1 : 1;
    int k = strcmp(a->holder, b->holder);
    if (k)
        return k;
    return a->row < b->row ? -1 : a->row > b->row;
}

static uint32_t party_find(const ip_party *v, size_t n, const char *key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(v[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (uint32_t)lo;
}

static char *day(iom_ctx *c, int64_t t)
{
    char *b = iom_arena_alloc(c->arena, 11);
    work_today(t, b);
    return b;
}

static void seen(ip_party *p, int64_t t)
{
    if (!p->count || t < p->first)
        p->first = t;
    if (!p->count || t > p->last)
        p->last = t;
    p->count++;
}

/* Whether the actor may see one of the sources the entity (or link) `id` had before this
   import: one they may not see is new to them, and counted so, or the import's counts would
   tell a reader below a source's marking which numbers and accounts the hidden picture holds
   (an API review). On a failure to read the sources: seen (the count says nothing then). */
static bool seen_before(iom_ctx *c, bool link, int64_t tasking_id, int64_t id)
{
    if (iom_clearance_allows(c->actor.clearance, (iom_marking)(IOM_MARKING_COUNT - 1)))
        return true; /* cleared for every marking: nothing is hidden, nothing to read */
    iom_psource_t *sv = NULL;
    size_t n = 0;
    iom_error e = {0};
    if (picture_source_list(c, link, tasking_id, id, c->arena, &sv, &n, &e) || n == 0)
        return true; /* none: the sources of the import this one replaces, gone just now */
    for (size_t i = 0; i < n; i++)
        if (iom_clearance_allows(c->actor.clearance, sv[i].marking))
            return true;
    return false;
}

/* The link (type, from, to) of the tasking, made when missing; one that no reader of marking m
   has seen takes a new reference first (pic_renew_hidden). */
static iom_err link_of(iom_ctx *c, pic_renewal *renew, iom_marking m, int64_t tasking_id, picture_link_type t,
                       int64_t from, int64_t to, const char *review, int64_t now, int64_t *id,
                       app_aimport_picture *out)
{
    const char *tn = picture_link_type_name(t);
    bool directed = picture_link_directed(t);
    if (!directed && from > to) { /* symmetric: one way only, as app_entity_link */
        int64_t x = from;
        from = to;
        to = x;
    }
    iom_err err = PS(c)->link_find(c->store, tasking_id, tn, from, to, id, &c->err);
    if (!err && *id && !seen_before(c, true, tasking_id, *id))
        out->created_links++;
    if (!err && *id)
        err = pic_renew_hidden(c, renew, true, tasking_id, id, m, now, NULL);
    if (err || *id)
        return err;
    iom_plink_t l = {.tasking_id = tasking_id, .type = (char *)tn, .from_id = from, .to_id = to,
                     .directed = directed, .confidence = 1.0, .review_date = (char *)review,
                     .created_at = now, .updated_at = now};
    if ((err = PS(c)->link_insert(c->store, &l, c->arena, &c->err)))
        return err;
    *id = l.id;
    out->created_links++;
    return pic_renewal_new(c, renew, true, l.id);
}

static char *attrs_text(iom_ctx *c, json_t *o)
{
    char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    char *r = iom_arena_strdup(c->arena, s ? s : "{}");
    free(s);
    return r;
}

/* The visible person or organisation a holder column names: its reference (ENT-...), or its
   label when exactly one such entity has it (letters and digits compared, any case); -1. */
static long holder_entity(const an_picture *p, const char *holder)
{
    long e = an_find_ref(p, holder);
    if (e >= 0)
        return strcmp(p->ev[e].e.type, "person") == 0 || strcmp(p->ev[e].e.type, "organisation") == 0 ? e : -1;
    char want[PIC_KEY_MAX], got[PIC_KEY_MAX];
    if (picture_norm_text("holder", holder, want, NULL) != IOM_OK)
        return -1;
    long found = -1;
    for (size_t i = 0; i < p->ne; i++) {
        const app_entity_view *v = &p->ev[i];
        if (strcmp(v->e.type, "person") != 0 && strcmp(v->e.type, "organisation") != 0)
            continue;
        if (picture_norm_text("label", v->label ? v->label : "", got, NULL) != IOM_OK || strcmp(got, want) != 0)
            continue;
        if (found >= 0)
            return -1; /* two of that name: which one is not for a column to decide */
        found = (long)i;
    }
    return found;
}

static iom_err import_picture(iom_ctx *c, pic_renewal *renew, const app_tasking_scope *sc, const iom_aimport_t *imp,
                              const iom_txn_t *txn, const iom_cdr_t *cdr, const an_import_row *rows, size_t n,
                              app_aimport_picture *out);

iom_err an_import_picture(iom_ctx *c, struct pic_renewal *renew, const app_tasking_scope *sc, const iom_aimport_t *imp,
                          const iom_txn_t *txn, const iom_cdr_t *cdr, const an_import_row *rows, size_t n,
                          app_aimport_picture *out)
{
    if (renew)
        return import_picture(c, renew, sc, imp, txn, cdr, rows, n, out);
    pic_renewal own = {0};
    iom_err err = import_picture(c, &own, sc, imp, txn, cdr, rows, n, out);
    pic_renewal_free(&own);
    return err;
}

static iom_err import_picture(iom_ctx *c, pic_renewal *renew, const app_tasking_scope *sc, const iom_aimport_t *imp,
                              const iom_txn_t *txn, const iom_cdr_t *cdr, const an_import_row *rows, size_t n,
                              app_aimport_picture *out)
{
    const char *replaced = out->replaced;
    memset(out, 0, sizeof *out);
    out->replaced = replaced;
    bool fin = txn != NULL;
    const char *etype = fin ? "account" : "phone";
    int64_t now = app_now(c), tid = sc->t.id;
    char review[11];
    iom_err err = app_settings_review_date(c, now, review);
    if (err)
        return err;
    /* the parties: distinct accounts / phones */
    const char **keys = iom_arena_new(c->arena, const char *, 2 * n + 1);
    for (size_t i = 0; i < n; i++) {
        keys[2 * i] = fin ? txn[i].from_account : cdr[i].caller;
        keys[2 * i + 1] = fin ? txn[i].to_account : cdr[i].callee;
    }
    qsort(keys, 2 * n, sizeof *keys, key_cmp);
    ip_party *pv = iom_arena_new(c->arena, ip_party, 2 * n + 1);
    size_t np = 0;
    for (size_t i = 0; i < 2 * n; i++)
        if (!np || strcmp(pv[np - 1].key, keys[i]) != 0)
            pv[np++] = (ip_party){.key = keys[i]};
    ip_pair *pairs = iom_arena_new(c->arena, ip_pair, n + 1);
    for (size_t i = 0; i < n; i++) {
        uint32_t a = party_find(pv, np, fin ? txn[i].from_account : cdr[i].caller);
        uint32_t b = party_find(pv, np, fin ? txn[i].to_account : cdr[i].callee);
        int64_t t = fin ? txn[i].at : cdr[i].start;
        seen(&pv[a], t);
        seen(&pv[b], t);
        if (!pv[a].label)
            pv[a].label = fin ? pv[a].key : rows[i].a_label;
        if (!pv[b].label)
            pv[b].label = fin ? pv[b].key : rows[i].b_label;
        if (!fin && b < a) {
            uint32_t x = a;
            a = b;
            b = x;
        }
        pairs[i] = (ip_pair){a, b, i};
    }
    /* entities: found by their normalised identifier, made when the picture has none */
    for (size_t i = 0; i < np && !err; i++) {
        ip_party *p = &pv[i];
        if ((err = PS(c)->entity_find_key(c->store, tid, etype, p->key, &p->id, &c->err)))
            break;
        if (p->id && !seen_before(c, false, tid, p->id))
            out->created_entities++;
        if (p->id && (err = pic_renew_hidden(c, renew, false, tid, &p->id, imp->marking, now, NULL)))
            break;
        if (!p->id) {
            iom_entity_t e = {.tasking_id = tid, .type = (char *)etype, .key = (char *)p->key,
                              .label = (char *)p->label, .confidence = 1.0, .review_date = review,
                              .created_at = now, .updated_at = now};
            if ((err = PS(c)->entity_insert(c->store, &e, c->arena, &c->err)) ||
                (err = pic_renewal_new(c, renew, false, e.id)))
                break;
            p->id = e.id;
            out->created_entities++;
        }
        out->entities++;
        json_t *a = json_pack("{s:I}", fin ? "transactions" : "records", (json_int_t)p->count);
        err = PS(c)->source_add_import(c->store, false, p->id, imp->id, p->label, day(c, p->first), day(c, p->last),
                                       attrs_text(c, a), &c->err);
    }
    if (err)
        return err;
    /* links: one per pair of parties, what the import says of it aggregated */
    qsort(pairs, n, sizeof *pairs, pair_cmp);
    for (size_t i = 0; i < n && !err;) {
        size_t j = i;
        int64_t first = INT64_MAX, last = INT64_MIN, count = 0, calls = 0, sms = 0, seconds = 0;
        json_t *amounts = json_object();
        for (; j < n && pairs[j].a == pairs[i].a && pairs[j].b == pairs[i].b; j++) {
            size_t r = pairs[j].row;
            int64_t t = fin ? txn[r].at : cdr[r].start;
            first = t < first ? t : first;
            last = t > last ? t : last;
            count++;
            if (fin) {
                json_t *v = json_object_get(amounts, txn[r].currency);
                json_object_set_new(amounts, txn[r].currency,
                                    json_integer(txn[r].amount + (v ? json_integer_value(v) : 0)));
            } else if (strcmp(cdr[r].kind, "sms") == 0) {
                sms++;
            } else {
                calls++;
                seconds += cdr[r].duration;
            }
        }
        const ip_party *a = &pv[pairs[i].a], *b = &pv[pairs[i].b];
        int64_t lid = 0;
        json_t *at;
        char *label;
        if (fin) {
            json_t *shown = json_object();
            const char *cur;
            json_t *v;
            json_object_foreach(amounts, cur, v)
                json_object_set_new(shown, cur, an_money(json_integer_value(v), cur));
            at = json_pack("{s:I, s:o, s:I}", "transactions", (json_int_t)count, "amounts", shown, "weight",
                           (json_int_t)count);
            label = iom_arena_printf(c->arena, "%s pays %s", a->label, b->label);
        } else {
            at = json_pack("{s:I, s:I, s:I, s:I}", "calls", (json_int_t)calls, "sms", (json_int_t)sms, "seconds",
                           (json_int_t)seconds, "weight", (json_int_t)count);
            label = iom_arena_printf(c->arena, "%s contacts %s", a->label, b->label);
        }
        json_decref(amounts);
        if ((err = link_of(c, renew, imp->marking, tid, fin ? PIC_PAYS : PIC_CONTACTS, a->id, b->id, review, now,
                           &lid, out)))
            json_decref(at);
        else
            err = PS(c)->source_add_import(c->store, true, lid, imp->id, label, day(c, first), day(c, last),
                                           attrs_text(c, at), &c->err);
        out->links++;
        i = j;
    }
    if (err || !fin)
        return err;
    /* holders named by the file: linked where the picture knows them */
    ip_hold *hv = iom_arena_new(c->arena, ip_hold, 2 * n + 1);
    size_t nh = 0;
    for (size_t i = 0; i < n; i++) {
        if (rows[i].a_holder && *rows[i].a_holder)
            hv[nh++] = (ip_hold){party_find(pv, np, txn[i].from_account), rows[i].a_holder, i};
        if (rows[i].b_holder && *rows[i].b_holder)
            hv[nh++] = (ip_hold){party_find(pv, np, txn[i].to_account), rows[i].b_holder, i};
    }
    if (!nh)
        return IOM_OK;
    an_picture p;
    if ((err = an_load(c, sc->t.ref, &p)))
        return err;
    qsort(hv, nh, sizeof *hv, hold_cmp);
    for (size_t i = 0; i < nh && !err;) {
        size_t j = i;
        int64_t first = INT64_MAX, last = INT64_MIN, count = 0;
        for (; j < nh && hv[j].party == hv[i].party && strcmp(hv[j].holder, hv[i].holder) == 0; j++) {
            int64_t t = txn[hv[j].row].at;
            first = t < first ? t : first;
            last = t > last ? t : last;
            count++;
        }
        const ip_party *a = &pv[hv[i].party];
        long h = holder_entity(&p, hv[i].holder);
        if (h < 0) {
            out->unmatched_holders++;
        } else {
            int64_t lid = 0, holder = p.ev[h].e.id;
            json_t *at = json_pack("{s:s, s:I}", "holder", hv[i].holder, "transactions", (json_int_t)count);
            err = pic_renew_hidden(c, renew, false, tid, &holder, imp->marking, now, NULL);
            p.ev[h].e.id = holder; /* renewed: the next of its rows finds the new one */
            if (err ||
                (err = link_of(c, renew, imp->marking, tid, PIC_HOLDS_ACCOUNT, holder, a->id, review, now, &lid, out)))
                json_decref(at);
            else
                err = PS(c)->source_add_import(c->store, true, lid, imp->id,
                                               iom_arena_printf(c->arena, "%s holds %s", hv[i].holder, a->label),
                                               day(c, first), day(c, last), attrs_text(c, at), &c->err);
            out->holders++;
            out->links++;
        }
        i = j;
    }
    return err;
}

json_t *json_of_aimport_picture(const app_aimport_picture *p)
{
    return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:I, s:I, s:I, s:o}", "entities", (json_int_t)p->entities,
                     "created_entities", (json_int_t)p->created_entities, "links", (json_int_t)p->links,
                     "created_links", (json_int_t)p->created_links, "holders", (json_int_t)p->holders,
                     "unmatched_holders", (json_int_t)p->unmatched_holders, "replaced",
                     json_str_or_null(p->replaced), "removed_entities", (json_int_t)p->removed_entities,
                     "removed_links", (json_int_t)p->removed_links, "duplicates", (json_int_t)p->duplicates,
                     "duplicate_of", json_str_or_null(p->duplicate_of));
}
