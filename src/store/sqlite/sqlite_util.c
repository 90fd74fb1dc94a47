/* Shared helpers of the SQLite back-end (sqlite_internal.h). */
#include "store/sqlite/sqlite_internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

/* ---- the SQLite driver ------------------------------------------------------------------ */

typedef struct sq_stmt {
    db_stmt base;
    sqlite3_stmt *st;
} sq_stmt;

static sqlite3_stmt *RAW(db_stmt *st) { return ((sq_stmt *)st)->st; }

/* Maps a SQLite failure to iom_err: constraint failures are the domain's rules held by the
   schema (IOM_EINVAL), uniqueness is a conflict, a lock held past the busy timeout is busy
   (IOM_EBUSY: exit 15, HTTP 503; review 47), the rest is a store failure. */
static iom_err sqd_fail(sq_store *s, iom_error *e, const char *what)
{
    int rc = sqlite3_extended_errcode(s->db);
    const char *msg = sqlite3_errmsg(s->db);
    if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        return iom_fail(e, IOM_ECONFLICT, "%s: already exists (%s)", what, msg);
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return iom_fail(e, IOM_EINVAL, "%s: refused by a data rule: %s", what, msg);
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
        return iom_fail(e, IOM_EBUSY, "%s: the database is busy (%s); try again", what, msg);
    return iom_fail(e, IOM_ESTORE, "%s: %s", what, msg);
}

static db_stmt *sqd_prepare(sq_store *s, const char *sql, bool persistent)
{
    sqlite3_stmt *raw = NULL;
    if (sqlite3_prepare_v3(s->db, sql, -1, persistent ? SQLITE_PREPARE_PERSISTENT : 0, &raw, NULL) !=
        SQLITE_OK)
        return NULL;
    sq_stmt *st = malloc(sizeof *st);
    if (!st) {
        sqlite3_finalize(raw);
        return NULL;
    }
    st->base.drv = &sqlite_driver;
    st->st = raw;
    return &st->base;
}

static void sqd_reset(db_stmt *st)
{
    sqlite3_reset(RAW(st));
    sqlite3_clear_bindings(RAW(st));
}

static void sqd_finalize(db_stmt *st)
{
    sqlite3_finalize(RAW(st));
    free(st);
}

static int sqd_step(db_stmt *st) { return sqlite3_step(RAW(st)); }
static void sqd_bind_int64(db_stmt *st, int i, int64_t v) { sqlite3_bind_int64(RAW(st), i, v); }
static void sqd_bind_double(db_stmt *st, int i, double v) { sqlite3_bind_double(RAW(st), i, v); }
static void sqd_bind_null(db_stmt *st, int i) { sqlite3_bind_null(RAW(st), i); }

static void sqd_bind_text(db_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(RAW(st), i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(RAW(st), i);
}

static void sqd_bind_blob(db_stmt *st, int i, const void *v, size_t n)
{
    sqlite3_bind_blob64(RAW(st), i, v, (sqlite3_uint64)n, SQLITE_TRANSIENT);
}

static int64_t sqd_col_int64(db_stmt *st, int i) { return sqlite3_column_int64(RAW(st), i); }
static double sqd_col_double(db_stmt *st, int i) { return sqlite3_column_double(RAW(st), i); }
static const char *sqd_col_text(db_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(RAW(st), i);
}
static size_t sqd_col_bytes(db_stmt *st, int i) { return (size_t)sqlite3_column_bytes(RAW(st), i); }
static const void *sqd_col_blob(db_stmt *st, int i) { return sqlite3_column_blob(RAW(st), i); }
static bool sqd_col_null(db_stmt *st, int i) { return sqlite3_column_type(RAW(st), i) == SQLITE_NULL; }
static int sqd_col_count(db_stmt *st) { return sqlite3_column_count(RAW(st)); }
static int64_t sqd_last_id(sq_store *s) { return sqlite3_last_insert_rowid(s->db); }
static int64_t sqd_changes(sq_store *s) { return sqlite3_changes64(s->db); }

static iom_err sqd_exec(sq_store *s, const char *sql, iom_error *e, const char *what)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        iom_err err = sqd_fail(s, e, what);
        sqlite3_free(msg);
        return err;
    }
    return IOM_OK;
}

/* A checkpoint that truncates the write-ahead log, which still holds the pages as they were. */
static iom_err sqd_purge(sq_store *s, iom_error *e)
{
    int rc = sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        return iom_fail(e, IOM_EBUSY, "store: readers kept the write-ahead log from being "
                        "truncated; a later checkpoint truncates it");
    return rc == SQLITE_OK ? IOM_OK : sqd_fail(s, e, "write-ahead log checkpoint");
}

const db_driver sqlite_driver = {
    .name = "sqlite",
    .prepare = sqd_prepare,
    .reset = sqd_reset,
    .finalize = sqd_finalize,
    .step = sqd_step,
    .bind_int64 = sqd_bind_int64,
    .bind_double = sqd_bind_double,
    .bind_text = sqd_bind_text,
    .bind_blob = sqd_bind_blob,
    .bind_null = sqd_bind_null,
    .col_int64 = sqd_col_int64,
    .col_double = sqd_col_double,
    .col_text = sqd_col_text,
    .col_bytes = sqd_col_bytes,
    .col_blob = sqd_col_blob,
    .col_null = sqd_col_null,
    .col_count = sqd_col_count,
    .last_id = sqd_last_id,
    .changes = sqd_changes,
    .fail = sqd_fail,
    .exec = sqd_exec,
    .purge = sqd_purge,
};

/* ---- helpers over any driver ------------------------------------------------------------ */

iom_err sqs_fail(sq_store *s, iom_error *e, const char *what) { return s->drv->fail(s, e, what); }

db_stmt *sqs_prep(sq_store *s, const char *sql, iom_error *e)
{
    for (int i = 0; i < s->ncache; i++)
        if (s->cache[i].sql == sql) {
            s->drv->reset(s->cache[i].st);
            return s->cache[i].st;
        }
    db_stmt *st = s->drv->prepare(s, sql, true);
    if (!st) {
        sqs_fail(s, e, "prepare");
        return NULL;
    }
    if (s->ncache < STMT_CACHE) {
        s->cache[s->ncache].sql = sql;
        s->cache[s->ncache].st = st;
        s->ncache++;
    }
    return st;
}

db_stmt *sqs_prep_once(sq_store *s, const char *sql, iom_error *e)
{
    db_stmt *st = s->drv->prepare(s, sql, false);
    if (!st)
        sqs_fail(s, e, "prepare");
    return st;
}

db_stmt *sqs_prep_growing(sq_store *s, const char *sql, iom_error *e)
{
    return s->pg ? sqs_prep_once(s, sql, e) : sqs_prep(s, sql, e);
}

/* Statements beyond the cache size are finalised after use; cached ones are only reset. */
void sqs_done(sq_store *s, db_stmt *st)
{
    for (int i = 0; i < s->ncache; i++)
        if (s->cache[i].st == st) {
            s->drv->reset(st);
            return;
        }
    s->drv->finalize(st);
}

int sqs_read_ahead(sq_store *s, db_stmt **st, int n)
{
    return s->drv->ahead ? s->drv->ahead(s, st, n) : 0;
}

void sqs_bind_text(db_stmt *st, int i, const char *v) { st->drv->bind_text(st, i, v); }

char *sqs_col_text(db_stmt *st, int i, iom_arena *a)
{
    const char *t = db_col_text(st, i);
    return t ? iom_arena_strndup(a, t, db_col_bytes(st, i)) : NULL;
}

/* Runs a statement expected to return no rows. */
iom_err sqs_step_done(sq_store *s, db_stmt *st, iom_error *e, const char *what)
{
    int rc = db_step(st);
    iom_err err = rc == DB_DONE ? IOM_OK : sqs_fail(s, e, what);
    sqs_done(s, st);
    return err;
}

iom_err sqs_exec(sq_store *s, const char *sql, iom_error *e, const char *what)
{
    return s->drv->exec(s, sql, e, what);
}

/* ---- generic row collection ---------------------------------------------------------- */

/* Steps a bound statement, converting each row with fn into a growing arena array of
   elements of `size` bytes. */
iom_err sqs_collect(sq_store *s, db_stmt *st, iom_arena *a, size_t size, sqs_row_fn fn,
                    void **out, size_t *n, iom_error *e, const char *what)
{
    /* 4 rows to begin with, doubled as needed: many calls return a row or two (the sources of
       one entity, read for each of tens of thousands on an import), and arena memory is not
       given back before the command ends; rows are cleared one by one as they are filled,
       the unused capacity is never read */
    size_t cap = 4, k = 0;
    char *v = iom_arena_alloc_uninit(a, cap * size);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (k == cap) {
            char *w = iom_arena_alloc_uninit(a, cap * 2 * size);
            memcpy(w, v, k * size);
            v = w;
            cap *= 2;
        }
        memset(v + k * size, 0, size);
        fn(st, a, v + k * size);
        k++;
    }
    iom_err err = rc == DB_DONE ? IOM_OK : sqs_fail(s, e, what);
    sqs_done(s, st);
    *out = v;
    *n = err ? 0 : k;
    return err;
}

/* Steps a bound statement expected to return one row. */
iom_err sqs_fetch_one(sq_store *s, db_stmt *st, iom_arena *a, sqs_row_fn fn, void *out,
                      iom_error *e, const char *what, const char *missing, ...)
{
    int rc = db_step(st);
    iom_err err = IOM_OK;
    if (rc == DB_ROW) {
        fn(st, a, out);
    } else if (rc == DB_DONE) {
        err = IOM_ENOTFOUND;
        if (e) { /* as iom_fail, with the caller's arguments */
            va_list ap;
            va_start(ap, missing);
            vsnprintf(e->msg, sizeof e->msg, missing, ap);
            va_end(ap);
            e->code = err;
        }
    } else {
        err = sqs_fail(s, e, what);
    }
    sqs_done(s, st);
    return err;
}

iom_err sqs_fetch1(sq_store *s, db_stmt *st, iom_arena *a, sqs_row_fn fn, void *out,
                   iom_error *e, const char *what, const char *ref)
{
    return sqs_fetch_one(s, st, a, fn, out, e, what, "%s: '%s' not found", what, ref ? ref : "");
}

iom_err sqs_review_insert(sq_store *s, db_stmt *st, int first, iom_intel_review_t *r, const char *what,
                          iom_error *e)
{
    sqs_bind_text(st, first, r->dispose ? "dispose" : "retain");
    sqs_bind_text(st, first + 1, r->reason);
    sqs_bind_text(st, first + 2, r->due_date);
    sqs_bind_text(st, first + 3, r->next_date);
    db_bind_int64(st, first + 4, r->user_id);
    db_bind_int64(st, first + 5, r->at);
    int rc = db_step(st);
    sqs_done(s, st);
    if (rc == DB_CONSTRAINT_UNIQUE)
        return iom_fail(e, IOM_ECONFLICT, "%s %s: already disposed", what, r->ref);
    if (rc != DB_DONE)
        return sqs_fail(s, e, what);
    r->id = db_last_id(s);
    return IOM_OK;
}

void sqs_review_row(db_stmt *st, iom_arena *a, void *out)
{
    iom_intel_review_t *o = out;
    memset(o, 0, sizeof *o);
    o->id = db_col_int64(st, 0);
    o->ref = sqs_col_text(st, 1, a);
    const char *d = (const char *)db_col_text(st, 2);
    o->dispose = d && strcmp(d, "dispose") == 0;
    o->reason = sqs_col_text(st, 3, a);
    o->due_date = sqs_col_text(st, 4, a);
    o->next_date = sqs_col_text(st, 5, a);
    o->user_id = db_col_int64(st, 6);
    o->at = db_col_int64(st, 7);
    o->user = sqs_col_text(st, 8, a);
    if (db_col_count(st) > 9)
        o->tasking_ref = sqs_col_text(st, 9, a);
}
