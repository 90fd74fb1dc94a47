/* picture_export.c: the tasking's picture as the reader may see it, written by src/export in
   one format, with the disclosure logged first (app/picture.h app_picture_export). */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "app/analysis_int.h"
#include "app/picture_int.h"
#include "app/readlog.h"
#include "export/export.h"
#include "util/text.h"
#include "util/timefmt.h"

#define PS(c) ((c)->store->ops->picture)
#define AS(c) ((c)->store->ops->analysis)

/* The sources of one owner in the tasking's list (ordered by owner): s[*from .. *from+*cnt). */
static void owner_sources(const iom_psource_t *s, size_t n, int64_t owner, size_t *pos, size_t *from,
                          size_t *cnt)
{
    while (*pos < n && s[*pos].owner_id < owner)
        (*pos)++;
    *from = *pos;
    while (*pos < n && s[*pos].owner_id == owner)
        (*pos)++;
    *cnt = *pos - *from;
}

/* The sources as the export carries them, each with its own grade and the date it saw the
   owner (review 87 M3: an ANX Card per source with its own 3x5x2 indices and date). A grade
   the export could not carry (an intelligence item disposed of: its conditions are gone) is
   left out of its card rather than refusing the export. */
static export_source *sources_of(iom_ctx *c, const iom_psource_t *s, size_t n)
{
    export_source *v = iom_arena_new(c->arena, export_source, n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        memset(&v[i], 0, sizeof v[i]);
        v[i].kind = s[i].record_id   ? EXPORT_SOURCE_DATASET_ROW
                    : s[i].import_id ? EXPORT_SOURCE_IMPORT
                                     : EXPORT_SOURCE_INTEL_ITEM;
        v[i].ref = s[i].record_id ? s[i].record_ref : s[i].import_id ? s[i].import_ref : s[i].intel_ref;
        if (!v[i].ref)
            v[i].ref = "?";
        iom_error ignored = {0};
        if (s[i].grade.source && grade_check(&s[i].grade, &ignored) == IOM_OK)
            v[i].grade = s[i].grade;
        if (s[i].seen && iom_date_check("seen", s[i].seen, &ignored) == IOM_OK)
            v[i].seen = s[i].seen;
    }
    return v;
}

/* The transactions or call records the reader may see, by the pair of parties they join
   (directed "FROM\x1fTO" for transactions; calls: the two numbers in byte order). */
typedef struct pair_row {
    const char *key;
    size_t i;
} pair_row;

typedef struct rows_by_pair {
    iom_txn_t *txn;
    iom_cdr_t *cdr;
    size_t n;
    pair_row *by;       /* sorted by key */
} rows_by_pair;

static int pair_row_cmp(const void *x, const void *y)
{
    int d = strcmp(((const pair_row *)x)->key, ((const pair_row *)y)->key);
    if (d)
        return d;
    size_t a = ((const pair_row *)x)->i, b = ((const pair_row *)y)->i;
    return a < b ? -1 : a > b;
}

static const char *pair_key(iom_ctx *c, const char *a, const char *b, bool undirected)
{
    if (undirected && strcmp(a, b) > 0) {
        const char *t = a;
        a = b;
        b = t;
    }
    return iom_arena_printf(c->arena, "%s\x1f%s", a, b);
}

static iom_err rows_load(iom_ctx *c, int64_t tasking_id, bool fin, rows_by_pair *r)
{
    memset(r, 0, sizeof *r);
    iom_err err = an_visible_rows(c, tasking_id, fin, &r->txn, &r->cdr, &r->n);
    if (err)
        return err;
    r->by = iom_arena_new(c->arena, pair_row, r->n ? r->n : 1);
    for (size_t i = 0; i < r->n; i++)
        r->by[i] = (pair_row){fin ? pair_key(c, r->txn[i].from_account, r->txn[i].to_account, false)
                                  : pair_key(c, r->cdr[i].caller, r->cdr[i].callee, true),
                              i};
    qsort(r->by, r->n, sizeof *r->by, pair_row_cmp);
    return IOM_OK;
}

/* The first entry of key in r->by (r->n when none). */
static size_t rows_first(const rows_by_pair *r, const char *key)
{
    size_t lo = 0, hi = r->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(r->by[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int64_t sat_add(int64_t a, int64_t b)
{
    return a > INT64_MAX - b ? INT64_MAX : a + b;
}

/* What the rows the reader may see say of a `pays` link (its accounts' keys a -> b): the
   transactions and the amount in each currency; of a `contacts` link (phones a, b): the
   calls, SMS and seconds. Each row several imports hold counts once, as in the analyses
   (review 87 M3: the links were exported with no attributes). NULL, *n 0 when no row. */
static export_attr *link_row_attrs(iom_ctx *c, const rows_by_pair *fin, const rows_by_pair *com,
                                   const char *type, const char *a, const char *b, size_t *n)
{
    *n = 0;
    bool pays = strcmp(type, "pays") == 0;
    if (!a || !b || (!pays && strcmp(type, "contacts") != 0))
        return NULL;
    const rows_by_pair *r = pays ? fin : com;
    const char *key = pair_key(c, a, b, !pays);
    size_t first = rows_first(r, key), end = first;
    while (end < r->n && strcmp(r->by[end].key, key) == 0)
        end++;
    if (end == first)
        return NULL;
    if (!pays) {
        int64_t calls = 0, sms = 0, secs = 0;
        for (size_t k = first; k < end; k++) {
            const iom_cdr_t *x = &r->cdr[r->by[k].i];
            if (x->kind && strcmp(x->kind, "sms") == 0)
                sms++;
            else
                calls++;
            secs = sat_add(secs, x->duration > 0 ? x->duration : 0);
        }
        export_attr *v = iom_arena_new(c->arena, export_attr, 3);
        v[0] = (export_attr){"calls", iom_arena_printf(c->arena, "%lld", (long long)calls), true};
        v[1] = (export_attr){"sms", iom_arena_printf(c->arena, "%lld", (long long)sms), true};
        v[2] = (export_attr){"seconds", iom_arena_printf(c->arena, "%lld", (long long)secs), true};
        *n = 3;
        return v;
    }
    /* per currency, in code order */
    size_t m = end - first, ncur = 0;
    const char **cur = iom_arena_new(c->arena, const char *, m);
    int64_t *sum = iom_arena_new(c->arena, int64_t, m);
    for (size_t k = first; k < end; k++) {
        const iom_txn_t *x = &r->txn[r->by[k].i];
        size_t j = 0;
        while (j < ncur && strcmp(cur[j], x->currency) < 0)
            j++;
        if (j == ncur || strcmp(cur[j], x->currency) != 0) {
            memmove(cur + j + 1, cur + j, (ncur - j) * sizeof *cur);
            memmove(sum + j + 1, sum + j, (ncur - j) * sizeof *sum);
            cur[j] = x->currency;
            sum[j] = 0;
            ncur++;
        }
        sum[j] = sat_add(sum[j], x->amount);
    }
    export_attr *v = iom_arena_new(c->arena, export_attr, 1 + ncur);
    v[0] = (export_attr){"transactions", iom_arena_printf(c->arena, "%zu", m), true};
    for (size_t j = 0; j < ncur; j++) {
        char txt[64];
        v[1 + j] = (export_attr){iom_arena_printf(c->arena, "amount_%s", cur[j]),
                                 iom_arena_strdup(c->arena, an_money_text(sum[j], cur[j], txt)), true};
    }
    *n = 1 + ncur;
    return v;
}

/* The tasking's dataset records by id (their fields by role), read once for the persons'
   identifiers. */
typedef struct records_by_id {
    iom_precord_t *v;
    size_t n;
} records_by_id;

static int record_id_cmp(const void *x, const void *y)
{
    int64_t a = ((const iom_precord_t *)x)->id, b = ((const iom_precord_t *)y)->id;
    return a < b ? -1 : a > b;
}

static const iom_precord_t *record_of(const records_by_id *r, int64_t id)
{
    iom_precord_t key = {.id = id};
    return r->v ? bsearch(&key, r->v, r->n, sizeof *r->v, record_id_cmp) : NULL;
}

/* A person's identifiers as the export names them, from the roles of its records. */
static const struct {
    const char *role, *attr;
} person_ids[] = {
    {"dob", "date_of_birth"},
    {"sex", "sex"},
    {"pnc_id", "pnc_id"},
    {"ni_number", "ni_number"},
};
#define NPERSON_IDS (sizeof person_ids / sizeof *person_ids)

/* The attributes of an entity: its normalised key; for a person, the identifiers its records
   hold (date of birth, sex, PNC id, NI number: review 87 M3, the exports carried none), each
   the distinct values of the records among its sources the reader may see (v->sources holds
   only those), in the order of those sources, joined by "; ". */
static export_attr *entity_attrs(iom_ctx *c, const app_entity_view *v, const records_by_id *recs, size_t *n)
{
    export_attr *a = iom_arena_new(c->arena, export_attr, 1 + NPERSON_IDS);
    *n = 0;
    if (v->e.key && *v->e.key)
        a[(*n)++] = (export_attr){"key", v->e.key, false};
    if (strcmp(v->e.type, "person") != 0)
        return a;
    iom_buf val[NPERSON_IDS];
    for (size_t k = 0; k < NPERSON_IDS; k++)
        val[k] = (iom_buf)IOM_BUF_INIT;
    for (size_t i = 0; i < v->nsources; i++) {
        const iom_precord_t *r = v->sources[i].record_id ? record_of(recs, v->sources[i].record_id) : NULL;
        if (!r || !r->fields_json || !iom_clearance_allows(c->actor.clearance, r->marking))
            continue;
        json_t *f = json_loads(r->fields_json, 0, NULL);
        for (size_t k = 0; f && k < NPERSON_IDS; k++) {
            const char *x = json_string_value(json_object_get(f, person_ids[k].role));
            if (!x || !x[strspn(x, " \t")])
                continue;
            /* already given by an earlier record? (whole values, "; "-joined) */
            bool dup = false;
            const char *p = iom_buf_cstr(&val[k]);
            size_t xl = strlen(x);
            while (p && *p && !dup) {
                const char *e = strstr(p, "; ");
                size_t l = e ? (size_t)(e - p) : strlen(p);
                dup = l == xl && memcmp(p, x, l) == 0;
                p = e ? e + 2 : NULL;
            }
            if (dup)
                continue;
            if (val[k].len)
                iom_buf_puts(&val[k], "; ");
            iom_buf_puts(&val[k], x);
        }
        json_decref(f);
    }
    for (size_t k = 0; k < NPERSON_IDS; k++) {
        if (val[k].len)
            a[(*n)++] = (export_attr){person_ids[k].attr, iom_arena_strdup(c->arena, iom_buf_cstr(&val[k])), false};
        iom_buf_free(&val[k]);
    }
    return a;
}

/* The index in ev (sorted by id) of the entity with this id, or ne. */
static size_t entity_at(const iom_entity_t *ev, size_t ne, int64_t id)
{
    size_t lo = 0, hi = ne;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ev[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ne && ev[lo].id == id ? lo : ne;
}

/* The reference of the entity with this id when it is shown, else NULL (ev sorted by id). */
static const char *shown_ref(const iom_entity_t *ev, const char *const *shown, size_t ne, int64_t id)
{
    size_t i = entity_at(ev, ne, id);
    return i < ne ? shown[i] : NULL;
}

/* ---- one dated link per transaction and call (review 87 M3) ---------------------------- */

/* A shown account or phone entity by its key. */
typedef struct shown_key {
    const char *type, *key, *ref;
} shown_key;

static int shown_key_cmp(const void *x, const void *y)
{
    const shown_key *a = x, *b = y;
    int d = strcmp(a->type, b->type);
    return d ? d : strcmp(a->key, b->key);
}

static const char *shown_by_key(const shown_key *v, size_t n, const char *type, const char *key)
{
    shown_key k = {type, key, NULL};
    const shown_key *f = v ? bsearch(&k, v, n, sizeof *v, shown_key_cmp) : NULL;
    return f ? f->ref : NULL;
}

/* "£9,500.00" (GBP, EUR, USD with their signs), else "9,500.00 JPY". */
static const char *money_label(iom_ctx *c, int64_t amount, const char *cur)
{
    char txt[64];
    const char *t = an_money_text(amount, cur, txt);
    iom_buf b = IOM_BUF_INIT;
    const char *sign = strcmp(cur, "GBP") == 0 ? "\xC2\xA3" : strcmp(cur, "EUR") == 0 ? "\xE2\x82\xAC"
                     : strcmp(cur, "USD") == 0 ? "$" : NULL;
    if (*t == '-')
        iom_buf_putc(&b, *t++);
    if (sign)
        iom_buf_puts(&b, sign);
    size_t digits = strcspn(t, ".");
    for (size_t i = 0; i < digits; i++) {
        if (i && (digits - i) % 3 == 0)
            iom_buf_putc(&b, ',');
        iom_buf_putc(&b, t[i]);
    }
    iom_buf_puts(&b, t + digits);
    if (!sign)
        iom_buf_printf(&b, " %s", cur);
    const char *out = iom_arena_strdup(c->arena, iom_buf_cstr(&b));
    iom_buf_free(&b);
    return out;
}

/* "call 3m 20s", "call 45s", "call 1h 02m 05s"; "SMS". */
static const char *call_label(iom_ctx *c, const iom_cdr_t *x)
{
    if (x->kind && strcmp(x->kind, "sms") == 0)
        return "SMS";
    int64_t s = x->duration > 0 ? x->duration : 0;
    if (s >= 3600)
        return iom_arena_printf(c->arena, "call %lldh %02lldm %02llds", (long long)(s / 3600),
                                (long long)(s / 60 % 60), (long long)(s % 60));
    if (s >= 60)
        return iom_arena_printf(c->arena, "call %lldm %llds", (long long)(s / 60), (long long)(s % 60));
    return iom_arena_printf(c->arena, "call %llds", (long long)s);
}

static const iom_aimport_t *import_of(const iom_aimport_t *v, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].id == id)
            return &v[i];
    return NULL;
}

/* One link per transaction (fin) or call record the reader may see (rows: already only those,
   each row several imports hold once), between the shown entities of its two accounts or
   phones, dated to the second (ANX DateTime with TimeSet: ANB's timeline), labelled with the
   amount or the call's duration, graded and marked as its import, the import its source.
   Appended to links[*m]. */
static iom_err detail_links(iom_ctx *c, bool fin, const rows_by_pair *rows, const iom_aimport_t *imps, size_t nimp,
                            const shown_key *keys, size_t nkeys, export_link *links, size_t *m)
{
    for (size_t i = 0; i < rows->n; i++) {
        const iom_txn_t *t = fin ? &rows->txn[i] : NULL;
        const iom_cdr_t *d = fin ? NULL : &rows->cdr[i];
        const char *type = fin ? "account" : "phone";
        const char *a = shown_by_key(keys, nkeys, type, fin ? t->from_account : d->caller),
                   *b = shown_by_key(keys, nkeys, type, fin ? t->to_account : d->callee);
        const iom_aimport_t *imp = import_of(imps, nimp, fin ? t->import_id : d->import_id);
        if (!a || !b || !imp)
            continue; /* its accounts or phones are not shown: nothing to draw it between */
        char when[32];
        iom_time_utc(fin ? t->at : d->start, when); /* YYYY-MM-DDTHH:MM:SSZ */
        export_link *x = &links[(*m)++];
        memset(x, 0, sizeof *x);
        x->id = fin ? t->ref : d->ref;
        x->end1 = a;
        x->end2 = b;
        x->type = fin ? "transaction" : strcmp(d->kind ? d->kind : "call", "sms") == 0 ? "sms" : "call";
        x->directed = true;
        x->f.label = fin ? money_label(c, t->amount, t->currency) : call_label(c, d);
        x->f.first_seen = x->f.last_seen = iom_arena_printf(c->arena, "%.10s", when);
        x->f.time = iom_arena_printf(c->arena, "%.8s", when + 11);
        x->f.confidence = 1;
        x->f.grade = imp->grade;
        x->f.marking = fin ? t->marking : d->marking;
        export_source *src = iom_arena_new(c->arena, export_source, 1);
        *src = (export_source){EXPORT_SOURCE_IMPORT, imp->ref, imp->grade, x->f.first_seen};
        x->f.sources = src;
        x->f.nsources = 1;
        export_attr *at = iom_arena_new(c->arena, export_attr, 4);
        size_t na = 0;
        at[na++] = (export_attr){"datetime", iom_arena_strdup(c->arena, when), false};
        if (fin) {
            char txt[64];
            at[na++] = (export_attr){"amount", iom_arena_strdup(c->arena, an_money_text(t->amount, t->currency, txt)),
                                     true};
            at[na++] = (export_attr){"currency", iom_arena_strdup(c->arena, t->currency), false};
            if (t->reference && *t->reference)
                at[na++] = (export_attr){"reference", t->reference, false};
        } else {
            if (strcmp(x->type, "call") == 0)
                at[na++] = (export_attr){"duration_seconds",
                                         iom_arena_printf(c->arena, "%lld", (long long)(d->duration > 0 ? d->duration : 0)),
                                         true};
            if (d->cell && *d->cell)
                at[na++] = (export_attr){"cell", d->cell, false};
        }
        x->f.attrs = at;
        x->f.nattrs = na;
    }
    return IOM_OK;
}

iom_err app_export_detail(iom_ctx *c, const char *what, app_export_input *in)
{
    if (what && strcmp(what, "transactions") == 0)
        in->transactions = true;
    else if (what && strcmp(what, "calls") == 0)
        in->calls = true;
    else
        return iom_fail(&c->err, IOM_EINVAL, "detail: '%s' is not one of: transactions, calls", what ? what : "");
    return IOM_OK;
}

static iom_err check_input(iom_ctx *c, const app_export_input *in, export_format *f)
{
    if (!in->format || !*in->format)
        return iom_fail(&c->err, IOM_EINVAL, "format: required (anx, graphml, csv or json)");
    iom_err err = export_format_parse(in->format, f, &c->err);
    if (err)
        return err;
    if (!in->recipient || !*in->recipient)
        return iom_fail(&c->err, IOM_EINVAL, "recipient: required (--recipient TEXT: who receives the export)");
    if ((err = iom_text_check("recipient", in->recipient, APP_EXPORT_TEXT_MAX, IOM_TEXT_SINGLE_LINE, &c->err)))
        return err;
    if (in->purpose && !in->purpose[strspn(in->purpose, " \t\r\n")])
        return iom_fail(&c->err, IOM_EINVAL, "purpose: blank; say why the picture is disclosed, or leave "
                                             "the purpose out");
    return iom_text_check("purpose", in->purpose, APP_EXPORT_TEXT_MAX, IOM_TEXT_MULTI_LINE, &c->err);
}

/* Logs the disclosure (DPA 2018 s.62): the purpose the export states is its read's purpose
   when no other was stated (X-Iom-Purpose, --purpose) and it is one (a line of at most
   APP_PURPOSE_MAX bytes), else the relation that granted the read (review 72: the stated
   purpose was only the justification, and the entry's purpose read "owner"). */
static iom_err log_disclosure(iom_ctx *c, const char *ref, json_t *what, const char *purpose,
                              const char *relation)
{
    /* the command line's --purpose is the read's (ctx): it is the disclosure's too (review 75:
       a CLI export logged no purpose in the disclosure) */
    if ((!purpose || !*purpose) && c->purpose && *c->purpose) {
        purpose = c->purpose;
        json_t *had = json_is_object(what) ? json_object_get(what, "purpose") : NULL;
        if (json_is_object(what) && (!had || json_is_null(had)))
            json_object_set_new(what, "purpose", json_string(purpose));
    }
    const char *saved = c->purpose;
    iom_error ignored = {0};
    if (!saved && purpose && *purpose && app_purpose_check(purpose, &ignored) == IOM_OK)
        c->purpose = purpose;
    iom_err err = work_log_read(c, "picture.export", ref, what, purpose, relation);
    c->purpose = saved;
    return err;
}

/* Inside the read transaction: the chart of what the actor may see. */
static iom_err load_chart(iom_ctx *c, const app_tasking_scope *sc, const app_export_input *in, export_chart *ch)
{
    iom_entity_t *ev;
    iom_plink_t *lv;
    iom_psource_t *es, *ls;
    size_t ne, nl, nes, nls;
    iom_err err;
    if ((err = PS(c)->entity_list(c->store, sc->t.id, c->arena, &ev, &ne, &c->err)) ||
        (err = picture_source_list(c, false, sc->t.id, 0, c->arena, &es, &nes, &c->err)) ||
        (err = PS(c)->link_list(c->store, sc->t.id, 0, c->arena, &lv, &nl, &c->err)) ||
        (err = picture_source_list(c, true, sc->t.id, 0, c->arena, &ls, &nls, &c->err)))
        return err;
    records_by_id recs = {0};
    if ((err = PS(c)->record_list(c->store, sc->t.id, c->arena, &recs.v, &recs.n, &c->err)))
        return err;
    if (recs.n)
        qsort(recs.v, recs.n, sizeof *recs.v, record_id_cmp);
    rows_by_pair fin, com;
    if ((err = rows_load(c, sc->t.id, true, &fin)) || (err = rows_load(c, sc->t.id, false, &com)))
        return err;
    export_entity *ents = iom_arena_new(c->arena, export_entity, ne ? ne : 1);
    const char **shown = iom_arena_new(c->arena, const char *, ne ? ne : 1); /* by index of ev */
    size_t k = 0, pos = 0;
    for (size_t i = 0; i < ne; i++) {
        size_t from, cnt;
        owner_sources(es, nes, ev[i].id, &pos, &from, &cnt);
        app_entity_view v;
        shown[i] = NULL;
        if (!pic_entity_view(c, &ev[i], es + from, cnt, &v))
            continue;
        export_entity *x = &ents[k++];
        memset(x, 0, sizeof *x);
        x->id = ev[i].ref;
        if ((err = export_entity_type_parse(ev[i].type, &x->type, &c->err)))
            return err;
        x->f.label = v.label ? v.label : ev[i].ref;
        x->f.attrs = entity_attrs(c, &v, &recs, &x->f.nattrs);
        x->f.first_seen = v.first_seen;
        x->f.last_seen = v.last_seen;
        x->f.confidence = v.e.confidence; /* as the reader's entity view shows it (review 49) */
        x->f.grade = v.grade;
        x->f.marking = v.marking;
        x->f.sources = sources_of(c, v.sources, v.nsources);
        x->f.nsources = v.nsources;
        shown[i] = ev[i].ref;
    }
    bool txns = in && in->transactions, calls = in && in->calls;
    size_t cap = nl + (txns ? fin.n : 0) + (calls ? com.n : 0);
    export_link *links = iom_arena_new(c->arena, export_link, cap ? cap : 1);
    size_t m = 0;
    pos = 0;
    for (size_t i = 0; i < nl; i++) {
        size_t from, cnt;
        owner_sources(ls, nls, lv[i].id, &pos, &from, &cnt);
        /* both ends must be shown (the entities are listed by id) */
        const char *a = shown_ref(ev, shown, ne, lv[i].from_id), *b = shown_ref(ev, shown, ne, lv[i].to_id);
        if (!a || !b)
            continue;
        iom_psource_t *s = ls + from;
        size_t n = cnt;
        iom_grade g;
        iom_marking mk;
        const char *first, *last;
        if (!pic_visible(c, s, &n, &g, &mk, &first, &last))
            continue;
        export_link *x = &links[m++];
        memset(x, 0, sizeof *x);
        x->id = lv[i].ref;
        x->end1 = a;
        x->end2 = b;
        x->type = lv[i].type;
        x->directed = lv[i].directed;
        x->f.label = lv[i].type;
        x->f.first_seen = first;
        x->f.last_seen = last;
        x->f.confidence = lv[i].confidence;
        x->f.grade = g;
        x->f.marking = mk;
        x->f.sources = sources_of(c, s, n);
        x->f.nsources = n;
        size_t ia = entity_at(ev, ne, lv[i].from_id), ib = entity_at(ev, ne, lv[i].to_id);
        x->f.attrs = link_row_attrs(c, &fin, &com, lv[i].type, ev[ia].key, ev[ib].key, &x->f.nattrs);
    }
    if (txns || calls) {
        shown_key *keys = iom_arena_new(c->arena, shown_key, ne ? ne : 1);
        size_t nk = 0;
        for (size_t i = 0; i < ne; i++)
            if (shown[i] && ev[i].key && (strcmp(ev[i].type, "account") == 0 || strcmp(ev[i].type, "phone") == 0))
                keys[nk++] = (shown_key){ev[i].type, ev[i].key, shown[i]};
        qsort(keys, nk, sizeof *keys, shown_key_cmp);
        iom_aimport_t *imps = NULL;
        size_t nimp = 0;
        if ((err = AS(c)->import_list(c->store, sc->t.id, NULL, c->arena, &imps, &nimp, &c->err)) ||
            (txns && (err = detail_links(c, true, &fin, imps, nimp, keys, nk, links, &m))) ||
            (calls && (err = detail_links(c, false, &com, imps, nimp, keys, nk, links, &m))))
            return err;
    }
    *ch = (export_chart){.tasking_ref = sc->t.ref, .title = sc->t.threat_title, .generated_at = app_now(c),
                         .marking = sc->t.marking, .entities = ents, .nentities = k, .links = links,
                         .nlinks = m};
    return IOM_OK;
}

iom_err app_picture_export(iom_ctx *c, const app_export_input *in, app_export_result *out)
{
    memset(out, 0, sizeof *out);
    export_format f;
    iom_err err = check_input(c, in, &f);
    if (err || (err = app_begin(c, false)))
        return err;
    app_tasking_scope sc;
    export_chart ch;
    if ((err = app_actor(c)) ||
        (err = work_read(c, "tasking", in->tasking, in->tasking, IOM_PART_INTELLIGENCE, IOM_MARKING_OFFICIAL, &sc)))
        return app_end(c, err);
    if (in->max_items > 0) { /* the whole picture's size, what the reader may see or not */
        int64_t ne = 0, nl = 0;
        if ((err = PS(c)->counts(c->store, sc.t.id, &ne, &nl, &c->err)))
            return app_end(c, err);
        if (ne + nl > in->max_items)
            return app_end(c, iom_fail(&c->err, IOM_ETOOBIG,
                                       "export: the picture is too large to be exported through the server "
                                       "(more than %lld entities and links together): export it on the "
                                       "server's command line, `iom export %s %s --out FILE --recipient TEXT`",
                                       (long long)in->max_items, in->format, sc.t.ref));
    }
    if ((err = load_chart(c, &sc, in, &ch)))
        return app_end(c, err);
    iom_buf b = IOM_BUF_INIT;
    export_handling h;
    if ((err = export_handling_of(&ch, &h, &c->err)))
        return app_end(c, err);
    if ((err = export_write(f, &ch, &b, &c->err))) {
        iom_buf_free(&b);
        export_handling_free(&h);
        return app_end(c, err);
    }
    if ((err = app_end(c, IOM_OK))) {
        iom_buf_free(&b);
        export_handling_free(&h);
        return err;
    }
    out->format = (int)f;
    out->tasking_ref = sc.t.ref;
    out->size = b.len;
    unsigned char *data = iom_arena_alloc(c->arena, b.len + 1);
    memcpy(data, b.data ? b.data : "", b.len);
    data[b.len] = 0;
    out->data = data;
    iom_buf_free(&b);
    unsigned char hash[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(hash, out->data, out->size);
    sodium_bin2hex(out->sha256, sizeof out->sha256, hash, sizeof hash);
    static const char *const ext[] = {"anx", "graphml", "csv", "json"};
    out->filename = iom_arena_printf(c->arena, "%s-picture.%s", sc.t.ref, ext[f]);
    out->media_type = export_format_media_type(f);
    out->marking = h.marking;
    out->conditional = h.conditional;
    out->conditions = iom_arena_new(c->arena, const char *, h.nconditions ? h.nconditions : 1);
    for (size_t i = 0; i < h.nconditions; i++)
        out->conditions[i] = h.conditions[i]; /* borrowed from the chart: in the arena */
    out->nconditions = h.nconditions;
    export_handling_free(&h);
    out->entities = ch.nentities;
    out->links = ch.nlinks;

    /* The disclosure, logged before anything leaves (DPA 2018 s.62). */
    json_t *conds = json_array();
    for (size_t i = 0; i < out->nconditions; i++)
        json_array_append_new(conds, json_string(out->conditions[i]));
    json_t *detail = json_array();
    if (in->transactions)
        json_array_append_new(detail, json_string("transactions"));
    if (in->calls)
        json_array_append_new(detail, json_string("calls"));
    json_t *what = json_pack("{s:s, s:s, s:s, s:s?, s:o, s:s, s:s, s:o, s:I, s:I, s:s}", "ref", sc.t.ref, "format",
                             export_format_name(f), "recipient", in->recipient, "purpose", in->purpose,
                             "detail", detail, "marking", iom_marking_name(out->marking), "handling",
                             out->conditional ? "C" : "P", "conditions", conds, "entities",
                             (json_int_t)out->entities, "links", (json_int_t)out->links, "sha256",
                             out->sha256);
    return log_disclosure(c, sc.t.ref, what, in->purpose, access_read_purpose(&sc.access));
}

/* ---- an image of the picture made by the client (the web UI's PNG) -------------------- */

static const char b64_prefix[] = "data:image/png;base64,";

/* The CRC-32 of PNG chunks (ISO 3309, polynomial 0xEDB88320, the PNG specification's 5.5). */
static uint32_t png_crc(const unsigned char *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    }
    return c ^ 0xffffffffu;
}

/* The PNG's bytes from its base64 text (a data: URL prefix allowed), checked: the PNG
   signature, an IHDR chunk first (13 bytes), width and height 1..APP_EXPORT_PNG_SIDE_MAX, then
   chunks that each fit with their CRC right, image data (IDAT) that begins a zlib stream of at
   least 8 bytes, and IEND last at the very end (review 97 L6: a signature and an IHDR alone, 33
   bytes, were disclosed as a 16384x16384 image; review 99 L1: then an empty IDAT). */
static iom_err decode_png(iom_ctx *c, const char *text, unsigned char **out, size_t *n)
{
    if (!text || !*text)
        return iom_fail(&c->err, IOM_EINVAL, "png: required (the PNG image, base64)");
    if (strncmp(text, b64_prefix, sizeof b64_prefix - 1) == 0)
        text += sizeof b64_prefix - 1;
    size_t len = strlen(text);
    if (len / 4 * 3 > APP_EXPORT_PNG_MAX + 3)
        return iom_fail(&c->err, IOM_ETOOBIG, "png: at most %u bytes", APP_EXPORT_PNG_MAX);
    unsigned char *bin = iom_arena_alloc(c->arena, len / 4 * 3 + 4);
    size_t got = 0;
    const char *end = NULL;
    if (sodium_base642bin(bin, len / 4 * 3 + 4, text, len, "\r\n", &got, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 || (end && *end))
        return iom_fail(&c->err, IOM_EINVAL, "png: not base64 text");
    if (got > APP_EXPORT_PNG_MAX)
        return iom_fail(&c->err, IOM_ETOOBIG, "png: at most %u bytes", APP_EXPORT_PNG_MAX);
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (got < 24 || memcmp(bin, sig, 8) != 0 || memcmp(bin + 12, "IHDR", 4) != 0)
        return iom_fail(&c->err, IOM_EINVAL, "png: not a PNG image");
    uint32_t w = (uint32_t)bin[16] << 24 | (uint32_t)bin[17] << 16 | (uint32_t)bin[18] << 8 | bin[19];
    uint32_t h = (uint32_t)bin[20] << 24 | (uint32_t)bin[21] << 16 | (uint32_t)bin[22] << 8 | bin[23];
    if (w == 0 || h == 0 || w > APP_EXPORT_PNG_SIDE_MAX || h > APP_EXPORT_PNG_SIDE_MAX)
        return iom_fail(&c->err, IOM_EINVAL, "png: %" PRIu32 "x%" PRIu32 " pixels (each side 1 to %d)", w, h,
                        APP_EXPORT_PNG_SIDE_MAX);
    /* the chunks: length (4), type (4), data, CRC (4) each */
    size_t at = 8, idat = 0;
    bool iend = false;
    while (at < got && !iend) {
        if (got - at < 12)
            return iom_fail(&c->err, IOM_EINVAL, "png: not a PNG image (a chunk cut short at byte %zu)", at);
        uint32_t clen = (uint32_t)bin[at] << 24 | (uint32_t)bin[at + 1] << 16 | (uint32_t)bin[at + 2] << 8 |
                        bin[at + 3];
        if (clen > got - at - 12)
            return iom_fail(&c->err, IOM_EINVAL, "png: not a PNG image (a chunk longer than the image at byte %zu)",
                            at);
        const unsigned char *type = bin + at + 4;
        if (at == 8 && clen != 13)
            return iom_fail(&c->err, IOM_EINVAL, "png: not a PNG image (its IHDR is not 13 bytes)");
        const unsigned char *crc = type + 4 + clen;
        if (png_crc(type, 4 + (size_t)clen) !=
            ((uint32_t)crc[0] << 24 | (uint32_t)crc[1] << 16 | (uint32_t)crc[2] << 8 | crc[3]))
            return iom_fail(&c->err, IOM_EINVAL, "png: not a PNG image (a chunk's CRC is wrong at byte %zu)", at);
        if (memcmp(type, "IDAT", 4) == 0) {
            /* the zlib stream's header first (RFC 1950: deflate, the check bits) */
            if (idat == 0 && (clen < 2 || (type[4] & 0x0f) != 8 || ((unsigned)type[4] << 8 | type[5]) % 31 != 0))
                return iom_fail(&c->err, IOM_EINVAL, "png: not a PNG image (its image data is no zlib stream)");
            idat += clen;
        }
        iend = memcmp(type, "IEND", 4) == 0;
        at += 12 + (size_t)clen;
    }
    if (!iend || at != got || idat < 8)
        return iom_fail(&c->err, IOM_EINVAL, "png: not a whole PNG image (%s)",
                        idat < 8 ? "no image data (IDAT)" : !iend ? "no end (IEND)" : "bytes after its end (IEND)");
    *out = bin;
    *n = got;
    return IOM_OK;
}

iom_err app_picture_image(iom_ctx *c, const app_image_input *in, app_export_result *out)
{
    memset(out, 0, sizeof *out);
    iom_marking drawn;
    unsigned char *png = NULL;
    size_t size = 0;
    iom_err err;
    if (!in->marking || !*in->marking)
        return iom_fail(&c->err, IOM_EINVAL, "marking: required (the marking drawn into the image)");
    if ((err = iom_marking_parse(in->marking, &drawn, &c->err)))
        return err;
    if (!in->recipient || !*in->recipient)
        return iom_fail(&c->err, IOM_EINVAL, "recipient: required (who receives the image)");
    if ((err = iom_text_check("recipient", in->recipient, APP_EXPORT_TEXT_MAX, IOM_TEXT_SINGLE_LINE, &c->err)) ||
        (err = iom_text_check("purpose", in->purpose, APP_EXPORT_TEXT_MAX, IOM_TEXT_MULTI_LINE, &c->err)) ||
        (err = iom_text_check("view", in->view, APP_EXPORT_VIEW_MAX, IOM_TEXT_SINGLE_LINE, &c->err)) ||
        (err = decode_png(c, in->png, &png, &size)) || (err = app_begin(c, false)))
        return err;
    app_tasking_scope sc;
    export_chart ch;
    export_handling h;
    if ((err = app_actor(c)) ||
        (err = work_read(c, "tasking", in->tasking, in->tasking, IOM_PART_INTELLIGENCE, IOM_MARKING_OFFICIAL, &sc)) ||
        (err = load_chart(c, &sc, NULL, &ch)) || (err = export_handling_of(&ch, &h, &c->err)))
        return app_end(c, err);
    if ((err = app_end(c, IOM_OK))) {
        export_handling_free(&h);
        return err;
    }
    /* what the view says it shows is of this picture: every entity it names is one the caller
       sees in it (review 97 L6: a view naming ENT-999999 was logged as disclosed) */
    for (const char *v = in->view ? strstr(in->view, "ENT-") : NULL; v && !err; v = strstr(v + 4, "ENT-")) {
        size_t d = strspn(v + 4, "0123456789");
        if (d == 0)
            continue;
        bool found = false;
        for (size_t i = 0; i < ch.nentities && !found; i++)
            found = strlen(ch.entities[i].id) == 4 + d && memcmp(ch.entities[i].id, v, 4 + d) == 0;
        if (!found)
            err = iom_fail(&c->err, IOM_EINVAL, "view: %.*s is not an entity of the picture of %s", (int)(4 + d), v,
                           sc.t.ref);
    }
    if (err) {
        export_handling_free(&h);
        return err;
    }
    if (drawn < h.marking) {
        err = iom_fail(&c->err, IOM_EINVAL,
                       "marking: the image must carry %s, the highest marking of the picture it is drawn "
                       "from (it carries %s)", iom_marking_name(h.marking), iom_marking_name(drawn));
        export_handling_free(&h);
        return err;
    }
    out->format = APP_EXPORT_FORMAT_PNG;
    out->tasking_ref = sc.t.ref;
    out->data = png;
    out->size = size;
    unsigned char hash[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(hash, png, size);
    sodium_bin2hex(out->sha256, sizeof out->sha256, hash, sizeof hash);
    out->filename = iom_arena_printf(c->arena, "%s-network.png", sc.t.ref);
    out->media_type = "image/png";
    out->marking = drawn;
    out->conditional = h.conditional;
    out->conditions = iom_arena_new(c->arena, const char *, h.nconditions ? h.nconditions : 1);
    for (size_t i = 0; i < h.nconditions; i++)
        out->conditions[i] = h.conditions[i]; /* borrowed from the chart: in the arena */
    out->nconditions = h.nconditions;
    export_handling_free(&h);
    out->entities = ch.nentities;
    out->links = ch.nlinks;

    json_t *conds = json_array();
    for (size_t i = 0; i < out->nconditions; i++)
        json_array_append_new(conds, json_string(out->conditions[i]));
    json_t *what = json_pack("{s:s, s:s, s:s, s:s*, s:s*, s:s, s:s, s:o, s:I, s:I, s:I, s:s}", "ref", sc.t.ref,
                             "format", "png", "recipient", in->recipient, "purpose", in->purpose, "view",
                             in->view && *in->view ? in->view : NULL, "marking", iom_marking_name(out->marking),
                             "handling", out->conditional ? "C" : "P", "conditions", conds, "entities",
                             (json_int_t)out->entities, "links", (json_int_t)out->links, "size",
                             (json_int_t)out->size, "sha256", out->sha256);
    return log_disclosure(c, sc.t.ref, what, in->purpose, access_read_purpose(&sc.access));
}

json_t *json_of_export(const app_export_result *r)
{
    json_t *conds = json_array();
    for (size_t i = 0; i < r->nconditions; i++)
        json_array_append_new(conds, json_string(r->conditions[i]));
    return json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:o, s:I, s:I}", "tasking_ref", r->tasking_ref,
                     "format", r->format == APP_EXPORT_FORMAT_PNG ? "png" : export_format_name((export_format)r->format), "filename", r->filename,
                     "media_type", r->media_type, "size", (json_int_t)r->size, "sha256", r->sha256, "marking",
                     iom_marking_name(r->marking), "handling", r->conditional ? "C" : "P", "conditions", conds,
                     "entities", (json_int_t)r->entities, "links", (json_int_t)r->links);
}
