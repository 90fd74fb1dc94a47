/* Deconfliction of entities across taskings (app/search.h; issue 16 point 6). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/json.h"
#include "app/search.h"
#include "app/picture_int.h"
#include "app/work.h"
#include "conflate/compare.h"
#include "conflate/norm.h"
#include "domain/picture.h"
#include "util/jsonr.h"

#define SS(c) ((c)->store->ops->search)
#define PS(c) ((c)->store->ops->picture)

/* ---- the persons' comparison ------------------------------------------------------------- */

/* Weights (log2 Bayes factors) of the comparison, and the prior: see docs/picture.md. */
#define W_PRIOR (-10.0)
#define W_NAME_EXACT 8.0
#define W_NAME_NICKNAME 7.0
#define W_NAME_SIMILAR 4.0
#define W_NAME_DIFFERENT (-6.0)
#define W_DOB_EXACT 10.0
#define W_DOB_DIFFERENT (-10.0)
#define W_PNC_SAME 14.0
#define W_PNC_DIFFERENT (-12.0)
#define W_NI_SAME 12.0
#define W_NI_DIFFERENT (-10.0)

static const char *last_word(const char *s)
{
    const char *p = strrchr(s, ' ');
    return p ? p + 1 : s;
}

static double name_weight(const char *a, const char *b)
{
    char sa[256], sb[256];
    conflate_norm_full_name(a, strlen(a), sa, sizeof sa);
    conflate_norm_full_name(b, strlen(b), sb, sizeof sb);
    if (sa[0] && strcmp(sa, sb) == 0)
        return W_NAME_EXACT;
    size_t fa = strcspn(a, " "), fb = strcspn(b, " ");
    if (strchr(a, ' ') && strchr(b, ' ') && strcmp(last_word(a), last_word(b)) == 0 &&
        conflate_nickname_related(a, fa, b, fb))
        return W_NAME_NICKNAME;
    if (conflate_jaro_winkler(a, strlen(a), b, strlen(b)) >= 0.92)
        return W_NAME_SIMILAR;
    return W_NAME_DIFFERENT;
}

/* The best weight of one field over the two sets of values: `same` when some value is
   shared, `different` when both have values and none is, 0 when either has none. */
static double set_weight(json_t *a, json_t *b, double same, double different)
{
    if (!json_array_size(a) || !json_array_size(b))
        return 0;
    size_t i, j;
    json_t *x, *y;
    json_array_foreach(a, i, x) json_array_foreach(b, j, y) if (json_equal(x, y)) return same;
    return different;
}

double search_person_probability(const char *features_a, const char *features_b)
{
    json_t *a = json_loads(features_a ? features_a : "{}", 0, NULL);
    json_t *b = json_loads(features_b ? features_b : "{}", 0, NULL);
    double w = W_PRIOR, best = W_NAME_DIFFERENT;
    bool names = false;
    size_t i, j;
    json_t *x, *y;
    json_array_foreach(json_object_get(a, "names"), i, x) json_array_foreach(json_object_get(b, "names"), j, y)
    {
        names = true;
        double nw = name_weight(json_string_value(x), json_string_value(y));
        if (nw > best)
            best = nw;
    }
    if (names)
        w += best;
    w += set_weight(json_object_get(a, "dob"), json_object_get(b, "dob"), W_DOB_EXACT, W_DOB_DIFFERENT);
    w += set_weight(json_object_get(a, "pnc"), json_object_get(b, "pnc"), W_PNC_SAME, W_PNC_DIFFERENT);
    w += set_weight(json_object_get(a, "ni"), json_object_get(b, "ni"), W_NI_SAME, W_NI_DIFFERENT);
    json_decref(a);
    json_decref(b);
    return 1.0 / (1.0 + exp2(-w));
}

/* ---- the keys of a tasking ---------------------------------------------------------------- */

static bool eligible(const char *type)
{
    return !strcmp(type, "person") || !strcmp(type, "phone") || !strcmp(type, "vehicle") ||
           !strcmp(type, "account") || !strcmp(type, "online_identity");
}

/* The normalised identifier of an identifier entity: its key, or for one recorded by hand its
   label normalised by type; NULL when it cannot be. */
static const char *ident(iom_ctx *c, const iom_entity_t *e)
{
    if (e->key)
        return e->key;
    char k[PIC_KEY_MAX];
    iom_err err = IOM_EINVAL;
    if (!strcmp(e->type, "phone"))
        err = picture_norm_phone(e->label, k, NULL);
    else if (!strcmp(e->type, "vehicle"))
        err = picture_norm_vehicle(e->label, k, NULL);
    else if (!strcmp(e->type, "online_identity"))
        err = strchr(e->label, '@') ? picture_norm_email(e->label, k, NULL)
                                     : picture_norm_text("label", e->label, k, NULL);
    else if (!strcmp(e->type, "account")) {
        char sc[32] = "", num[32] = "";
        if (sscanf(e->label, "%31[0-9-] %31[0-9]", sc, num) == 2 || sscanf(e->label, "%8[0-9-]-%31[0-9]", sc, num) == 2)
            err = picture_norm_account(sc, num, k, NULL);
    }
    return err ? NULL : iom_arena_strdup(c->arena, k);
}

static void add_unique(json_t *arr, json_t *v)
{
    size_t i;
    json_t *x;
    json_array_foreach(arr, i, x) if (json_equal(x, v))
    {
        json_decref(v);
        return;
    }
    json_array_append_new(arr, v);
}

static int rec_cmp(const void *k, const void *x)
{
    int64_t id = *(const int64_t *)k, o = ((const iom_precord_t *)x)->id;
    return id < o ? -1 : id > o;
}

static int prec_cmp(const void *x, const void *y)
{
    int64_t a = ((const iom_precord_t *)x)->id, b = ((const iom_precord_t *)y)->id;
    return a < b ? -1 : a > b;
}

typedef struct keys {
    iom_dkey *v;
    size_t n, cap;
} keys;

static void key_add(iom_ctx *c, keys *k, int64_t entity, const char *type, const char *key, const char *features)
{
    if (k->n == k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 64;
        iom_dkey *nv = iom_arena_new(c->arena, iom_dkey, cap);
        if (k->n)
            memcpy(nv, k->v, k->n * sizeof *nv);
        k->v = nv;
        k->cap = cap;
    }
    k->v[k->n++] = (iom_dkey){entity, type, key, features};
}

/* A person's features and keys from the records that support it and its labels. */
static void person_keys(iom_ctx *c, keys *k, const iom_entity_t *e, const iom_psource_t *s, size_t ns,
                        const iom_precord_t *rv, size_t nr)
{
    json_t *f = json_pack("{s:[], s:[], s:[], s:[]}", "names", "dob", "pnc", "ni");
    json_t *names = json_object_get(f, "names"), *dob = json_object_get(f, "dob"), *pnc = json_object_get(f, "pnc"),
           *ni = json_object_get(f, "ni");
    char buf[256];
    for (size_t i = 0; i < ns; i++) {
        if (s[i].label && conflate_norm_name(s[i].label, strlen(s[i].label), buf, sizeof buf) > 0 &&
            !strchr(s[i].label, '('))
            add_unique(names, json_string(buf));
        const iom_precord_t *r = s[i].record_id ? bsearch(&s[i].record_id, rv, nr, sizeof *rv, rec_cmp) : NULL;
        static const char *const wanted[] = {"dob", "pnc_id", "ni_number"};
        const char *f3[3] = {NULL, NULL, NULL};
        iom_error je = {0};
        if (r && iom_jsonr_strings(c->arena, r->fields_json, wanted, 3, f3, &je))
            f3[0] = f3[1] = f3[2] = NULL; /* not an object: nothing to key on, as before */
        const char *d = f3[0];
        int32_t ymd = d ? conflate_date_parse(d, strlen(d)) : 0;
        if (ymd && !conflate_date_partial(ymd))
            add_unique(dob, json_integer(ymd));
        const char *p = f3[1];
        if (p && conflate_norm_id(p, strlen(p), buf, sizeof buf) > 0)
            add_unique(pnc, json_string(buf));
        const char *n = f3[2];
        if (n && conflate_norm_id(n, strlen(n), buf, sizeof buf) > 0)
            add_unique(ni, json_string(buf));
    }
    if (json_array_size(names) == 0 && e->label &&
        conflate_norm_name(e->label, strlen(e->label), buf, sizeof buf) > 0)
        add_unique(names, json_string(buf));
    const char *features = work_json_text(c, json_incref(f));
    size_t i;
    json_t *x;
    json_array_foreach(dob, i, x)
        key_add(c, k, e->id, "person", iom_arena_printf(c->arena, "dob:%lld", (long long)json_integer_value(x)),
                features);
    json_array_foreach(pnc, i, x)
        key_add(c, k, e->id, "person", iom_arena_printf(c->arena, "pnc:%s", json_string_value(x)), features);
    json_array_foreach(ni, i, x)
        key_add(c, k, e->id, "person", iom_arena_printf(c->arena, "ni:%s", json_string_value(x)), features);
    json_decref(f);
}

/* A match found: of one entity of this tasking with one of another. */
typedef struct match {
    int64_t entity, other, other_tasking;
    const char *type;
    double p;
    bool dropped;
} match;

iom_err search_deconflict_keys(iom_ctx *c, int64_t tasking_id, const iom_entity_t *ev, size_t ne,
                               const iom_psource_t *sv, size_t ns, int64_t *raised)
{
    iom_precord_t *rv = NULL;
    size_t nr = 0;
    bool persons = false;
    for (size_t i = 0; i < ne && !persons; i++)
        persons = strcmp(ev[i].type, "person") == 0;
    if (persons) {
        iom_err err = PS(c)->record_list(c->store, tasking_id, c->arena, &rv, &nr, &c->err);
        if (err)
            return err;
        qsort(rv, nr, sizeof *rv, prec_cmp);
    }
    return search_deconflict_keys_of(c, tasking_id, ev, ne, sv, ns, NULL, 0, rv, nr, raised);
}

iom_err search_deconflict_keys_of(iom_ctx *c, int64_t tasking_id, const iom_entity_t *ev, size_t ne,
                                  const iom_psource_t *sv, size_t ns, const int64_t *only, size_t nonly,
                                  const iom_precord_t *rv, size_t nr, int64_t *raised)
{
    if (raised)
        *raised = 0;
    iom_err err;
    keys k = {0};
    size_t pos = 0;
    for (size_t i = 0; i < ne; i++) {
        while (pos < ns && sv[pos].owner_id < ev[i].id)
            pos++;
        size_t from = pos;
        while (pos < ns && sv[pos].owner_id == ev[i].id)
            pos++;
        if (!eligible(ev[i].type))
            continue;
        if (!strcmp(ev[i].type, "person")) {
            person_keys(c, &k, &ev[i], sv + from, pos - from, rv, nr);
        } else {
            const char *key = ident(c, &ev[i]);
            if (key)
                key_add(c, &k, ev[i].id, ev[i].type, key, NULL);
        }
    }
    iom_dcand *cv;
    size_t nc;
    if ((err = only ? SS(c)->keys_set_of(c->store, tasking_id, only, nonly, k.v, k.n, &c->err)
                    : SS(c)->keys_set(c->store, tasking_id, k.v, k.n, &c->err)) ||
        (err = SS(c)->candidates(c->store, tasking_id, c->arena, &cv, &nc, &c->err)))
        return err;
    /* one match per pair of entities (persons may share several keys), its probability */
    match *mv = iom_arena_new(c->arena, match, nc ? nc : 1);
    size_t nm = 0;
    for (size_t i = 0; i < nc; i++) {
        if (nm && mv[nm - 1].entity == cv[i].entity_id && mv[nm - 1].other == cv[i].other_entity_id)
            continue;
        bool dup = false;
        for (size_t j = nm; j-- > 0 && mv[j].entity == cv[i].entity_id && !dup;)
            dup = mv[j].other == cv[i].other_entity_id;
        if (dup)
            continue;
        bool person = strcmp(cv[i].type, "person") == 0;
        double p = person ? search_person_probability(cv[i].features, cv[i].other_features) : 1.0;
        if (p < APP_DECONFLICT_MIN)
            continue;
        /* an identifier in more than five taskings is shared too widely to mean anything */
        if (!person && cv[i].key_taskings > APP_DECONFLICT_MAX_TASKINGS)
            continue;
        mv[nm++] = (match){cv[i].entity_id, cv[i].other_entity_id, cv[i].other_tasking_id, cv[i].type, p, false};
    }
    /* a person matched in more than five taskings (with this one) likewise */
    for (size_t i = 0; i < nm;) {
        size_t j = i, taskings = 1;
        for (; j < nm && mv[j].entity == mv[i].entity; j++) {
            bool seen = false;
            for (size_t x = i; x < j && !seen; x++)
                seen = mv[x].other_tasking == mv[j].other_tasking;
            taskings += !seen;
        }
        if (strcmp(mv[i].type, "person") == 0 && taskings > APP_DECONFLICT_MAX_TASKINGS)
            for (size_t x = i; x < j; x++)
                mv[x].dropped = true;
        i = j;
    }
    int64_t now = app_now(c), added = 0;
    json_t *pairs = json_array();
    for (size_t i = 0; i < nm && !err; i++) {
        if (mv[i].dropped)
            continue;
        bool a = false, b = false;
        double p = round(mv[i].p * 10000) / 10000;
        if (p > 1)
            p = 1;
        if ((err = SS(c)->alert_add(c->store, tasking_id, mv[i].entity, mv[i].other_tasking, mv[i].other, mv[i].type,
                                    p, now, &a, &c->err)) ||
            (err = SS(c)->alert_add(c->store, mv[i].other_tasking, mv[i].other, tasking_id, mv[i].entity, mv[i].type,
                                    p, now, &b, &c->err)))
            break;
        if (a || b)
            json_array_append_new(pairs, json_pack("{s:s, s:I, s:I, s:I, s:f}", "type", mv[i].type, "entity",
                                                   (json_int_t)mv[i].entity, "other_tasking",
                                                   (json_int_t)mv[i].other_tasking, "other_entity",
                                                   (json_int_t)mv[i].other, "probability", p));
        added += a + b;
    }
    if (!err && added) {
        json_t *after = json_pack("{s:I, s:I, s:o}", "tasking", (json_int_t)tasking_id, "alerts", (json_int_t)added,
                                  "matches", json_incref(pairs));
        err = audit_record(c, "deconflict.raise", NULL, NULL, work_json_text(c, after));
    }
    json_decref(pairs);
    if (raised)
        *raised = added;
    return err;
}

/* ---- the alerts ----------------------------------------------------------------------------- */

/* m: the alert's marking, the highest of its tasking's and of what the recipient sees of the
   entity (an entity only OFFICIAL-SENSITIVE sources support makes an OFFICIAL-SENSITIVE
   alert in an OFFICIAL tasking: review 39). */
static void view_of(const iom_dalert *a, iom_marking m, app_deconfliction *d)
{
    *d = (app_deconfliction){.ref = a->ref, .tasking = a->tasking_ref, .entity = a->entity_ref,
                             .entity_type = a->entity_type, .probability = a->probability,
                             .contact_sia = a->contact_sia, .contact_agency = a->contact_agency,
                             .contact_agency_name = a->contact_agency_name, .marking = m,
                             .raised_at = a->created_at, .acknowledged_by = a->acked_by,
                             .acknowledged_at = a->acked_at};
}

/* An alert is its recipient's when they are its SIA or SIO, cleared for the tasking, and able
   to see the entity it is about: an entity only sources above their clearance support is not
   theirs to learn of, nor that it matches another tasking's. *m: the alert's marking for them
   (view_of). */
static bool recipient(iom_ctx *c, const iom_dalert *a, iom_marking *m)
{
    iom_marking em = a->tasking_marking;
    if (!((a->sia_id == c->actor.id || a->sio_id == c->actor.id) &&
          iom_clearance_allows(c->actor.clearance, a->tasking_marking) &&
          !pic_entity_hidden(c, a->entity_ref, &em)))
        return false;
    *m = em > a->tasking_marking ? em : a->tasking_marking;
    return true;
}

iom_err app_deconflict_list(iom_ctx *c, bool open_only, const app_page *p, app_deconfliction **out, size_t *n,
                            const char **next)
{
    *out = NULL;
    *n = 0;
    *next = NULL;
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    iom_dalert *av;
    size_t na;
    if ((err = app_actor(c)) || (err = SS(c)->alert_list(c->store, c->actor.id, c->arena, &av, &na, &c->err)))
        return app_end(c, err);
    app_deconfliction *v = iom_arena_new(c->arena, app_deconfliction, na ? na : 1);
    size_t k = 0;
    for (size_t i = 0; i < na; i++) {
        iom_marking m;
        if (recipient(c, &av[i], &m) && !(open_only && av[i].acked_at))
            view_of(&av[i], m, &v[k++]);
    }
    size_t from, count;
    err = app_page_sorted(c, p, v, k, sizeof *v, offsetof(app_deconfliction, ref), &from, &count, next);
    if (!err) {
        *out = v + from;
        *n = count;
    }
    return app_end(c, err);
}

iom_err app_deconflict_ack(iom_ctx *c, const char *ref, app_deconfliction *out)
{
    iom_err err = app_begin(c, true);
    if (err)
        return err;
    iom_dalert a;
    if ((err = app_actor(c)) || (err = SS(c)->alert_get(c->store, ref ? ref : "", c->arena, &a, &c->err)))
        return app_end(c, err);
    iom_marking m;
    if (!recipient(c, &a, &m))
        return app_end(c, iom_fail(&c->err, IOM_ENOTFOUND, "deconfliction alert: '%s' not found", ref));
    if ((err = SS(c)->alert_ack(c->store, a.id, c->actor.id, app_now(c), &c->err)) ||
        (err = SS(c)->alert_get(c->store, a.ref, c->arena, &a, &c->err)))
        return app_end(c, err);
    view_of(&a, m, out);
    err = audit_record(c, "deconflict.ack", a.ref, NULL, work_json_text(c, json_of_deconfliction(out)));
    return app_end(c, err);
}

json_t *json_of_deconfliction(const app_deconfliction *d)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:f, s:{s:o, s:s, s:s}, s:s, s:o}", "ref", d->ref, "tasking",
                          d->tasking, "entity", d->entity, "entity_type", d->entity_type, "probability",
                          d->probability, "contact", "sia", json_str_or_null(d->contact_sia), "agency",
                          d->contact_agency ? d->contact_agency : "", "agency_name",
                          d->contact_agency_name ? d->contact_agency_name : "", "marking",
                          iom_marking_name(d->marking), "raised_at", json_time(d->raised_at));
    json_object_set_new(o, "acknowledged_by", json_str_or_null(d->acknowledged_by));
    json_object_set_new(o, "acknowledged_at", d->acknowledged_at ? json_time(d->acknowledged_at) : json_null());
    return o;
}
