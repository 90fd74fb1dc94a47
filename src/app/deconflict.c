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
#include "conflate/conflate.h"
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

/* The weight of two persons' parsed features (search_person_probability). */
static double person_weight(json_t *a, json_t *b)
{
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
    return w;
}

double search_person_probability(const char *features_a, const char *features_b)
{
    json_t *a = json_loads(features_a ? features_a : "{}", 0, NULL);
    json_t *b = json_loads(features_b ? features_b : "{}", 0, NULL);
    double w = person_weight(a, b);
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

/* Whether the key of an identifier entity is a placeholder for an unknown ("UNKNOWN", "NK",
   07000 000000, none@...): an entity an engine before the placeholder rule made of one (review
   65: kept on a closed tasking, its keys still matched other taskings' placeholders). */
static bool key_is_placeholder(const char *type, const char *key)
{
    if (!key)
        return false;
    const char *role = !strcmp(type, "phone")     ? "phone"
                       : !strcmp(type, "vehicle") ? "vehicle"
                       : !strcmp(type, "online_identity") ? (strchr(key, '@') ? "email" : "first_name")
                                                          : NULL;
    if (!strcmp(type, "account")) { /* sort code and number: one digit throughout is a filler */
        const char *d = key + strcspn(key, "0123456789");
        bool same = *d != 0;
        for (const char *q = d; same && *q; q++)
            same = *q == '-' || *q == ' ' || *q == *d;
        return same;
    }
    return role && conflate_value_is_placeholder(role, key, strlen(key));
}

/* The normalised identifier of an identifier entity: its key, or for one recorded by hand its
   label normalised by type; NULL when it cannot be, or when it is a placeholder. */
static const char *ident(iom_ctx *c, const iom_entity_t *e)
{
    if (e->key)
        return key_is_placeholder(e->type, e->key) ? NULL : e->key;
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
    return err || key_is_placeholder(e->type, k) ? NULL : iom_arena_strdup(c->arena, k);
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

/* A person's features (names, dates of birth, PNC ids, NI numbers: a new JSON object) from
   the sources of s marked `upto` or lower and the records rv (sorted by id) they name; with no
   name among them, the entity's label's when use_label. */
static json_t *person_features(iom_ctx *c, const iom_entity_t *e, const iom_psource_t *s, size_t ns,
                               const iom_precord_t *rv, size_t nr, iom_marking upto, bool use_label)
{
    json_t *f = json_pack("{s:[], s:[], s:[], s:[]}", "names", "dob", "pnc", "ni");
    json_t *names = json_object_get(f, "names"), *dob = json_object_get(f, "dob"), *pnc = json_object_get(f, "pnc"),
           *ni = json_object_get(f, "ni");
    char buf[256];
    for (size_t i = 0; i < ns; i++) {
        if (s[i].marking > upto)
            continue;
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
        if (p && !conflate_value_is_placeholder("pnc_id", p, strlen(p)) &&
            conflate_norm_id(p, strlen(p), buf, sizeof buf) > 0)
            add_unique(pnc, json_string(buf));
        const char *n = f3[2];
        if (n && !conflate_value_is_placeholder("ni_number", n, strlen(n)) &&
            conflate_norm_id(n, strlen(n), buf, sizeof buf) > 0)
            add_unique(ni, json_string(buf));
    }
    if (use_label && json_array_size(names) == 0 && e->label &&
        conflate_norm_name(e->label, strlen(e->label), buf, sizeof buf) > 0)
        add_unique(names, json_string(buf));
    return f;
}

/* A person's features and keys from the records that support it and its labels. */
static void person_keys(iom_ctx *c, keys *k, const iom_entity_t *e, const iom_psource_t *s, size_t ns,
                        const iom_precord_t *rv, size_t nr)
{
    json_t *f = person_features(c, e, s, ns, rv, nr, IOM_MARKING_COUNT, true);
    json_t *dob = json_object_get(f, "dob"), *pnc = json_object_get(f, "pnc"), *ni = json_object_get(f, "ni");
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

static iom_marking match_level(iom_ctx *c, const iom_dalert *a, double *p);

/* A tasking's reference among tv (the taskings with search documents), as JSON; its number
   when it is not there (the audit log withholds what it cannot place). */
static json_t *tasking_ref_json(const iom_search_tasking *tv, size_t nt, int64_t id)
{
    for (size_t i = 0; i < nt; i++)
        if (tv[i].id == id)
            return json_string(tv[i].ref);
    return json_integer((json_int_t)id);
}

/* A match found: of one entity of this tasking with one of another. */
typedef struct match {
    int64_t entity, other, other_tasking;
    const char *type;
    double p;
    bool dropped;
} match;

/* ---- the matches ---------------------------------------------------------------------- */

/* A pair of entities sharing a key: of this tasking (entity) and of another (other). */
typedef struct pair {
    int64_t entity, other, other_tasking;
    uint32_t a, b; /* their rows in cv (the features) */
} pair;

/* A name of a person of a key's group, for the pairs worth comparing: its tokens sorted
   (same name) or its last word (nickname and same surname). */
typedef struct nametok {
    const char *s;
    uint32_t row;
    bool mine;
} nametok;

typedef struct pairvec {
    pair *v;
    size_t n, cap;
} pairvec;

static void pair_add(iom_ctx *c, pairvec *p, const iom_dcand *cv, uint32_t a, uint32_t b)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 256;
        pair *nv = iom_arena_new(c->arena, pair, cap);
        if (p->n)
            memcpy(nv, p->v, p->n * sizeof *nv);
        p->v = nv;
        p->cap = cap;
    }
    p->v[p->n++] = (pair){cv[a].entity_id, cv[b].entity_id, cv[b].tasking_id, a, b};
}

static int nametok_cmp(const void *x, const void *y)
{
    const nametok *a = x, *b = y;
    int r = strcmp(a->s, b->s);
    return r ? r : (a->mine != b->mine ? (a->mine ? -1 : 1) : (a->row > b->row) - (a->row < b->row));
}

static int pair_cmp(const void *x, const void *y)
{
    const pair *a = x, *b = y;
    if (a->entity != b->entity)
        return a->entity < b->entity ? -1 : 1;
    if (a->other_tasking != b->other_tasking)
        return a->other_tasking < b->other_tasking ? -1 : 1;
    return (a->other > b->other) - (a->other < b->other);
}

/* Whether two persons sharing only a date of birth can reach APP_DECONFLICT_MIN without the
   same name or a nickname with the same surname (with the weights above: -10 + 10 + 4 = 4,
   0.941, no). When they cannot, a date of birth's group pairs only the persons that share a
   sorted name or a surname, so that 700 persons of one date of birth are not 490,000 pairs. */
static bool dob_needs_names(void)
{
    double need = log2(APP_DECONFLICT_MIN / (1.0 - APP_DECONFLICT_MIN));
    return W_PRIOR + W_DOB_EXACT + (W_NAME_SIMILAR > 0 ? W_NAME_SIMILAR : 0) < need;
}

/* The pairs of one dob group [g, h) worth comparing (dob_needs_names): a mine and an other
   row sharing a name token. */
static void dob_pairs(iom_ctx *c, int64_t tasking_id, const iom_dcand *cv, json_t **fv, size_t g, size_t h, pairvec *p)
{
    size_t cap = 0, n = 0;
    for (size_t r = g; r < h; r++)
        cap += 2 * json_array_size(json_object_get(fv[r], "names"));
    if (!cap)
        return;
    nametok *t = iom_arena_new(c->arena, nametok, cap);
    char buf[256];
    for (size_t r = g; r < h; r++) {
        size_t i;
        json_t *x;
        json_array_foreach(json_object_get(fv[r], "names"), i, x)
        {
            const char *nm = json_string_value(x);
            if (!nm || !*nm)
                continue;
            bool mine = cv[r].tasking_id == tasking_id;
            if (conflate_norm_full_name(nm, strlen(nm), buf, sizeof buf) > 0)
                t[n++] = (nametok){iom_arena_printf(c->arena, "f%s", buf), (uint32_t)r, mine};
            if (strchr(nm, ' '))
                t[n++] = (nametok){iom_arena_printf(c->arena, "l%s", last_word(nm)), (uint32_t)r, mine};
        }
    }
    qsort(t, n, sizeof *t, nametok_cmp);
    for (size_t i = 0; i < n;) {
        size_t j = i, m = i;
        while (j < n && strcmp(t[j].s, t[i].s) == 0)
            j++;
        while (m < j && t[m].mine)
            m++;
        for (size_t x = i; x < m; x++)
            for (size_t y = m; y < j; y++)
                pair_add(c, p, cv, t[x].row, t[y].row);
        i = j;
    }
}

/* The matches of the tasking's entities with other taskings' from the rows of the keys they
   share (candidates, by type, key, tasking, entity): one per pair of entities, with its
   probability, APP_DECONFLICT_MIN and over, those shared too widely dropped. Costs the rows
   and the pairs they make; *mv in c->arena. */
static iom_err matches_of(iom_ctx *c, int64_t tasking_id, const iom_dcand *cv, size_t nc, match **mv, size_t *nm)
{
    *mv = NULL;
    *nm = 0;
    json_t **fv = iom_arena_new(c->arena, json_t *, nc ? nc : 1);
    for (size_t r = 0; r < nc; r++)
        fv[r] = strcmp(cv[r].type, "person") == 0 ? json_loads(cv[r].features ? cv[r].features : "{}", 0, NULL)
                                                  : NULL;
    bool by_names = dob_needs_names();
    bool *pairable = iom_arena_new(c->arena, bool, nc ? nc : 1);
    pairvec p = {0};
    for (size_t g = 0; g < nc;) {
        size_t h = g, taskings = 0;
        for (; h < nc && strcmp(cv[h].type, cv[g].type) == 0 && strcmp(cv[h].key, cv[g].key) == 0; h++)
            taskings += h == g || cv[h].tasking_id != cv[h - 1].tasking_id;
        bool person = strcmp(cv[g].type, "person") == 0, dob = person && strncmp(cv[g].key, "dob:", 4) == 0;
        /* an identifier more than five taskings hold is shared too widely to mean anything; a
           date of birth is no identifier */
        /* and a placeholder is no identifier, whatever engine stored its key */
        bool wide = !person && (taskings > APP_DECONFLICT_MAX_TASKINGS || key_is_placeholder(cv[g].type, cv[g].key));
        if (!wide && dob && by_names) {
            dob_pairs(c, tasking_id, cv, fv, g, h, &p);
        } else if (!wide) {
            /* a PNC id or NI number that more than five persons of one tasking hold is that
               tasking's placeholder ("0", "UNKNOWN": not one person, and its pairs would be the
               product of two taskings' counts): its rows are left out, the other taskings'
               kept (review 50: six of one tasking silenced everyone's matches on it) */
            for (size_t x = g; x < h;) {
                size_t y = x;
                while (y < h && cv[y].tasking_id == cv[x].tasking_id)
                    y++;
                bool held = !person || y - x <= APP_DECONFLICT_MAX_TASKINGS;
                for (size_t r = x; r < y; r++)
                    pairable[r] = held;
                x = y;
            }
            for (size_t x = g; x < h && cv[x].tasking_id <= tasking_id; x++)
                if (cv[x].tasking_id == tasking_id && pairable[x])
                    for (size_t y = g; y < h; y++)
                        if (cv[y].tasking_id != tasking_id && pairable[y])
                            pair_add(c, &p, cv, (uint32_t)x, (uint32_t)y);
        }
        g = h;
    }
    if (p.n)
        qsort(p.v, p.n, sizeof *p.v, pair_cmp);
    match *m = iom_arena_new(c->arena, match, p.n ? p.n : 1);
    size_t k = 0;
    for (size_t i = 0; i < p.n; i++) {
        if (i && p.v[i].entity == p.v[i - 1].entity && p.v[i].other == p.v[i - 1].other)
            continue; /* persons may share several keys: one match per pair */
        bool person = fv[p.v[i].a] != NULL;
        double pr = person ? 1.0 / (1.0 + exp2(-person_weight(fv[p.v[i].a], fv[p.v[i].b]))) : 1.0;
        if (pr < APP_DECONFLICT_MIN)
            continue;
        m[k++] = (match){p.v[i].entity, p.v[i].other, p.v[i].other_tasking, cv[p.v[i].a].type, pr, false};
    }
    for (size_t r = 0; r < nc; r++)
        json_decref(fv[r]);
    /* a person matched in more than five taskings (with this one) is shared too widely too */
    for (size_t i = 0; i < k;) {
        size_t j = i, taskings = 1;
        for (; j < k && m[j].entity == m[i].entity; j++)
            taskings += j == i || m[j].other_tasking != m[j - 1].other_tasking;
        if (strcmp(m[i].type, "person") == 0 && taskings > APP_DECONFLICT_MAX_TASKINGS)
            for (size_t x = i; x < j; x++)
                m[x].dropped = true;
        i = j;
    }
    *mv = m;
    *nm = k;
    return IOM_OK;
}

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
    size_t nc, nm = 0;
    match *mv = NULL;
    /* an alert about an entity no longer there (its dataset removed, merged away) is no match
       any more: withdrawn, on both sides (review 56: both agencies kept one naming a deleted
       entity) */
    char **wrefs = NULL;
    size_t withdrawn = 0;
    iom_search_tasking *wv = NULL;
    size_t nw = 0;
    if ((err = SS(c)->alert_prune(c->store, tasking_id, c->arena, &wrefs, &withdrawn, &c->err)) ||
        (withdrawn && (err = SS(c)->taskings(c->store, c->arena, &wv, &nw, &c->err))))
        return err;
    if (withdrawn) { /* each by its reference (acknowledged or not: the ack entries name them too)
                        and the tasking on its other side, so that the entry is marked as both
                        taskings are (review 62: an OFFICIAL auditor read how many alerts an
                        OFFICIAL-SENSITIVE tasking had lost) */
        json_t *refs = json_array();
        for (size_t i = 0; i < withdrawn; i++) {
            const char *sp = strchr(wrefs[i], ' ');
            json_array_append_new(refs, sp ? json_pack("{s:s%, s:s}", "alert", wrefs[i], (size_t)(sp - wrefs[i]),
                                                       "other_tasking", sp + 1)
                                           : json_pack("{s:s}", "alert", wrefs[i]));
        }
        if ((err = audit_record(c, "deconflict.withdraw", NULL, NULL,
                                work_json_text(c, json_pack("{s:o, s:I, s:o}", "tasking",
                                                            tasking_ref_json(wv, nw, tasking_id), "alerts",
                                                            (json_int_t)withdrawn, "withdrawn", refs)))))
            return err;
    }
    if ((err = only ? SS(c)->keys_set_of(c->store, tasking_id, only, nonly, k.v, k.n, &c->err)
                    : SS(c)->keys_set(c->store, tasking_id, k.v, k.n, &c->err)) ||
        (err = SS(c)->candidates(c->store, tasking_id, c->arena, &cv, &nc, &c->err)) ||
        (err = matches_of(c, tasking_id, cv, nc, &mv, &nm)))
        return err;
    int64_t now = app_now(c), added = 0;
    json_t *pairs = json_array();
    iom_search_tasking *tv = NULL;
    size_t nt = 0;
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
        if ((a || b) && !tv && (err = SS(c)->taskings(c->store, c->arena, &tv, &nt, &c->err)))
            break;
        /* by reference, as everything the API shows: the audit log reads the taskings'
           markings from them (review 50: internal numbers were withheld from every OFFICIAL
           auditor, whatever the taskings' markings) */
        /* and marked as the sources the match rests on (match_level), as its alerts are */
        iom_dalert al = {.tasking_id = tasking_id, .entity_id = mv[i].entity, .other_tasking_id = mv[i].other_tasking,
                         .other_entity_id = mv[i].other, .entity_type = (char *)mv[i].type, .probability = p};
        double pl = p;
        iom_marking ml = a || b ? match_level(c, &al, &pl) : IOM_MARKING_OFFICIAL_SENSITIVE;
        if (a || b)
            json_array_append_new(pairs, json_pack("{s:s, s:s, s:o, s:s, s:f, s:s}", "type", mv[i].type, "entity",
                                                   iom_arena_printf(c->arena, "ENT-%06lld", (long long)mv[i].entity),
                                                   "other_tasking", tasking_ref_json(tv, nt, mv[i].other_tasking),
                                                   "other_entity",
                                                   iom_arena_printf(c->arena, "ENT-%06lld", (long long)mv[i].other),
                                                   "probability", pl, "marking", iom_marking_name(ml)));
        added += a + b;
    }
    if (!err && added) {
        json_t *after = json_pack("{s:o, s:I, s:o}", "tasking", tasking_ref_json(tv, nt, tasking_id), "alerts",
                                  (json_int_t)added, "matches", json_incref(pairs));
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
static void view_of(const iom_dalert *a, iom_marking m, double p, app_deconfliction *d)
{
    *d = (app_deconfliction){.ref = a->ref, .tasking = a->tasking_ref, .entity = a->entity_ref,
                             .entity_type = a->entity_type, .probability = p,
                             .contact_sia = a->contact_sia, .contact_agency = a->contact_agency,
                             .contact_agency_name = a->contact_agency_name, .marking = m,
                             .raised_at = a->created_at, .acknowledged_by = a->acked_by,
                             .acknowledged_at = a->acked_at};
}

/* One side of an alert: the entity (of tasking tid), its sources and the records they name
   (sorted by id), in c->arena. */
typedef struct side {
    iom_entity_t e;
    iom_psource_t *s;
    size_t ns;
    iom_precord_t *rv;
    size_t nr;
    bool above; /* a source is marked above OFFICIAL */
} side;

static iom_err side_read(iom_ctx *c, int64_t tid, int64_t id, bool records, side *o)
{
    memset(o, 0, sizeof *o);
    iom_err err = records ? PS(c)->entity_get(c->store, iom_arena_printf(c->arena, "ENT-%06lld", (long long)id),
                                              c->arena, &o->e, &c->err)
                          : IOM_OK; /* the sources alone tell whether the records are needed */
    if (!err)
        err = picture_source_list(c, false, tid, id, c->arena, &o->s, &o->ns, &c->err);
    for (size_t i = 0; i < o->ns && !err; i++)
        o->above |= o->s[i].marking > IOM_MARKING_OFFICIAL;
    if (err || !records)
        return err;
    o->rv = iom_arena_new(c->arena, iom_precord_t, o->ns ? o->ns : 1);
    for (size_t i = 0; i < o->ns && !err; i++)
        if (o->s[i].record_id && o->s[i].record_ref)
            err = PS(c)->record_get(c->store, o->s[i].record_ref, c->arena, &o->rv[o->nr++], &c->err);
    if (!err)
        qsort(o->rv, o->nr, sizeof *o->rv, prec_cmp);
    return err;
}

/* The least marking an alert's match rests on: OFFICIAL when the sources of both entities
   marked OFFICIAL make it (an identifier each holds; persons whose OFFICIAL records reach
   APP_DECONFLICT_MIN with the weights that raised it), else OFFICIAL-SENSITIVE, also when it
   cannot be read (review 51: an OFFICIAL SIA was told, under OFFICIAL, that Greater
   Manchester held their phone, which only an OFFICIAL-SENSITIVE record of Greater
   Manchester's did). *p: the match's probability at that level: at OFFICIAL, what the
   OFFICIAL records alone give (review 53: an OFFICIAL alert showed 1.0 where they give
   0.9961, telling of a PNC id hidden records share), else a->probability. */
static iom_marking match_level(iom_ctx *c, const iom_dalert *a, double *p)
{
    iom_error keep = c->err;
    *p = a->probability;
    bool person = a->entity_type && strcmp(a->entity_type, "person") == 0;
    side x, y;
    iom_marking m = IOM_MARKING_OFFICIAL_SENSITIVE;
    if (side_read(c, a->tasking_id, a->entity_id, false, &x) || side_read(c, a->other_tasking_id, a->other_entity_id,
                                                                          false, &y)) {
        c->err = keep;
        return m;
    }
    if (!x.above && !y.above) {
        c->err = keep;
        return IOM_MARKING_OFFICIAL;
    }
    bool xo = false, yo = false;
    for (size_t i = 0; i < x.ns; i++)
        xo |= x.s[i].marking == IOM_MARKING_OFFICIAL;
    for (size_t i = 0; i < y.ns; i++)
        yo |= y.s[i].marking == IOM_MARKING_OFFICIAL;
    if (!xo || !yo) {
        c->err = keep;
        return m;
    }
    if (!person) {
        c->err = keep;
        *p = 1.0;
        return IOM_MARKING_OFFICIAL; /* one identifier, held by an OFFICIAL source on each side */
    }
    if (side_read(c, a->tasking_id, a->entity_id, true, &x) ||
        side_read(c, a->other_tasking_id, a->other_entity_id, true, &y)) {
        c->err = keep;
        return m;
    }
    json_t *fx = person_features(c, &x.e, x.s, x.ns, x.rv, x.nr, IOM_MARKING_OFFICIAL, false),
           *fy = person_features(c, &y.e, y.s, y.ns, y.rv, y.nr, IOM_MARKING_OFFICIAL, false);
    double po = 1.0 / (1.0 + exp2(-person_weight(fx, fy)));
    if (po >= APP_DECONFLICT_MIN) {
        m = IOM_MARKING_OFFICIAL;
        *p = po > 1 ? 1 : round(po * 10000) / 10000; /* as raised */
    }
    json_decref(fx);
    json_decref(fy);
    c->err = keep;
    return m;
}

/* An alert is its recipient's when they are its SIA or SIO, cleared for the tasking, able to
   see the entity it is about (an entity only sources above their clearance support is not
   theirs to learn of, nor that it matches another tasking's) and cleared for the alert's
   marking. *m: that marking (view_of), the highest of the two taskings' (the alert names the
   other's agency and SIA), of what the recipient sees of their entity and of the sources the
   match rests on, on either side (match_level). */
static bool recipient(iom_ctx *c, const iom_dalert *a, iom_marking *m, double *p)
{
    *p = a->probability;
    iom_marking em = a->tasking_marking;
    if (!((a->sia_id == c->actor.id || a->sio_id == c->actor.id) &&
          iom_clearance_allows(c->actor.clearance, a->tasking_marking) &&
          !pic_entity_hidden(c, a->entity_ref, &em)))
        return false;
    iom_marking mk = em > a->tasking_marking ? em : a->tasking_marking;
    if (a->other_tasking_marking > mk)
        mk = a->other_tasking_marking;
    /* the sources' level is read only where it could raise the marking */
    if (mk < IOM_MARKING_OFFICIAL_SENSITIVE) {
        double po;
        if (match_level(c, a, &po) > mk)
            mk = IOM_MARKING_OFFICIAL_SENSITIVE;
        else
            *p = po;
    }
    if (!iom_clearance_allows(c->actor.clearance, mk))
        return false;
    *m = mk;
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
        double pr;
        if (!(open_only && av[i].acked_at) && recipient(c, &av[i], &m, &pr))
            view_of(&av[i], m, pr, &v[k++]);
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
    double pr;
    if (!recipient(c, &a, &m, &pr))
        return app_end(c, iom_fail(&c->err, IOM_ENOTFOUND, "deconfliction alert: '%s' not found", ref));
    if ((err = SS(c)->alert_ack(c->store, a.id, c->actor.id, app_now(c), &c->err)) ||
        (err = SS(c)->alert_get(c->store, a.ref, c->arena, &a, &c->err)))
        return app_end(c, err);
    view_of(&a, m, pr, out);
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
