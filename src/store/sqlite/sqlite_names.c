/* The names of users, agencies and regions by id, cached per store handle (sqlite_internal.h:
   sqs_names_*). Both back-ends. */
#include <stdlib.h>
#include <string.h>

#include "store/sqlite/sqlite_internal.h"
#include "store/tasking_store.h"

typedef struct name_row {
    int64_t id;
    char *name;      /* user: name; agency, region: code */
    char *kind;      /* agency: kind */
    int64_t region;  /* agency: region id (0: none) */
} name_row;

typedef struct name_table {
    name_row *v;     /* sorted by id */
    size_t n;
    bool loaded;
} name_table;

struct sq_names {
    name_table user, agency, region;
};

static void table_free(name_table *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->v[i].name);
        free(t->v[i].kind);
    }
    free(t->v);
    *t = (name_table){0};
}

void sqs_names_free(sq_store *s)
{
    if (!s->names)
        return;
    table_free(&s->names->user);
    table_free(&s->names->agency);
    table_free(&s->names->region);
    free(s->names);
    s->names = NULL;
    s->names_tentative = false;
}

static char *dup_col(db_stmt *st, int i)
{
    const char *t = db_col_text(st, i);
    return strdup(t ? t : "");
}

/* (Re)reads a whole table: they are small (hundreds of rows, thousands nationally). */
static iom_err table_load(sq_store *s, name_table *t, const char *sql, bool agency, iom_error *e)
{
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    name_table nt = {0};
    size_t cap = 0;
    int rc;
    bool oom = false;
    while ((rc = db_step(st)) == DB_ROW) {
        if (nt.n == cap) {
            size_t c = cap ? cap * 2 : 64;
            name_row *v = realloc(nt.v, c * sizeof *v);
            if (!v) {
                oom = true;
                break;
            }
            nt.v = v;
            cap = c;
        }
        name_row *r = &nt.v[nt.n];
        *r = (name_row){.id = db_col_int64(st, 0), .name = dup_col(st, 1)};
        if (agency) {
            r->kind = dup_col(st, 2);
            r->region = db_col_int64(st, 3);
        }
        nt.n++;
        if (!r->name || (agency && !r->kind)) {
            oom = true;
            break;
        }
    }
    iom_err err = oom ? iom_fail(e, IOM_ENOMEM, "names: out of memory")
                  : rc == DB_DONE ? IOM_OK
                                  : sqs_fail(s, e, "names");
    sqs_done(s, st);
    if (err) {
        table_free(&nt);
        return err;
    }
    table_free(t);
    nt.loaded = true;
    *t = nt;
    if (s->gated) /* read inside a write transaction: see sqs_names_rollback */
        s->names_tentative = true;
    return IOM_OK;
}

static const name_row *table_find(const name_table *t, int64_t id)
{
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->v[mid].id < id)
            lo = mid + 1;
        else if (t->v[mid].id > id)
            hi = mid;
        else
            return &t->v[mid];
    }
    return NULL;
}

static const char sql_users[] = "SELECT id, name FROM \"user\" ORDER BY id";
static const char sql_agencies[] = "SELECT id, code, kind, coalesce(region_id, 0) FROM agency ORDER BY id";
static const char sql_regions[] = "SELECT id, code FROM region ORDER BY id";

/* The row of id, reading the table again once when it is not there (made since the last
   read). NULL for id 0, or when the table does not hold it (err stays IOM_OK). */
static const name_row *lookup(sq_store *s, name_table *t, const char *sql, bool agency, int64_t id,
                              iom_err *err, iom_error *e)
{
    if (!id || *err)
        return NULL;
    const name_row *r = t->loaded ? table_find(t, id) : NULL;
    if (!r) {
        if ((*err = table_load(s, t, sql, agency, e)))
            return NULL;
        r = table_find(t, id);
    }
    return r;
}

static char *name_of(const name_row *r, iom_arena *a)
{
    return r ? iom_arena_strdup(a, r->name) : NULL;
}

iom_err sqs_names_tasking(sq_store *s, iom_tasking_t *v, size_t n, iom_arena *a, iom_error *e)
{
    if (!n)
        return IOM_OK;
    if (!s->names && !(s->names = calloc(1, sizeof *s->names)))
        return iom_fail(e, IOM_ENOMEM, "names: out of memory");
    struct sq_names *c = s->names;
    iom_err err = IOM_OK;
    for (size_t i = 0; i < n && !err; i++) {
        iom_tasking_t *t = &v[i];
        /* A row is used before the next lookup: a lookup that misses reads the table again and
           frees every row of it (review 104: the requesting agency's row, kept across the
           owner's lookup, was read after a reload had freed it, when the owner was an agency
           made since the handle last read the table). */
        const name_row *rq = lookup(s, &c->agency, sql_agencies, true, t->requesting_agency_id, &err, e);
        t->requesting_agency = name_of(rq, a);
        if (rq)
            iom_agency_kind_parse(rq->kind, &t->requesting_kind, NULL);
        const name_row *o = lookup(s, &c->agency, sql_agencies, true, t->owner_id, &err, e);
        t->owner = name_of(o, a);
        if (o)
            iom_agency_kind_parse(o->kind, &t->owner_kind, NULL);
        t->owner_region_id = o ? o->region : 0;
        t->requesting_region = name_of(lookup(s, &c->region, sql_regions, false, t->requesting_region_id, &err, e), a);
        t->owner_region = name_of(lookup(s, &c->region, sql_regions, false, t->owner_region_id, &err, e), a);
        t->threat_sio = name_of(lookup(s, &c->user, sql_users, false, t->threat_sio_id, &err, e), a);
        t->spoc = name_of(lookup(s, &c->user, sql_users, false, t->spoc_id, &err, e), a);
        t->customer = name_of(lookup(s, &c->user, sql_users, false, t->customer_id, &err, e), a);
        t->sio = name_of(lookup(s, &c->user, sql_users, false, t->sio_id, &err, e), a);
        t->sia = name_of(lookup(s, &c->user, sql_users, false, t->sia_id, &err, e), a);
    }
    return err;
}
