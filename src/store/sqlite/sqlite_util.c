/* Shared helpers of the SQLite back-end (sqlite_internal.h). */
#include "store/sqlite/sqlite_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Maps a SQLite failure to iom_err: constraint failures are the domain's rules held by the
   schema (IOM_EINVAL), uniqueness is a conflict, the rest is a store failure. */
iom_err sqs_fail(sq_store *s, iom_error *e, const char *what)
{
    int rc = sqlite3_extended_errcode(s->db);
    const char *msg = sqlite3_errmsg(s->db);
    if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        return iom_fail(e, IOM_ECONFLICT, "%s: already exists (%s)", what, msg);
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return iom_fail(e, IOM_EINVAL, "%s: refused by a data rule: %s", what, msg);
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
        return iom_fail(e, IOM_ECONFLICT, "%s: the database is busy (%s); try again", what, msg);
    return iom_fail(e, IOM_ESTORE, "%s: %s", what, msg);
}

sqlite3_stmt *sqs_prep(sq_store *s, const char *sql, iom_error *e)
{
    for (int i = 0; i < s->ncache; i++)
        if (s->cache[i].sql == sql) {
            sqlite3_reset(s->cache[i].st);
            sqlite3_clear_bindings(s->cache[i].st);
            return s->cache[i].st;
        }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
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

/* Statements beyond the cache size are finalised after use; cached ones are only reset. */
void sqs_done(sq_store *s, sqlite3_stmt *st)
{
    for (int i = 0; i < s->ncache; i++)
        if (s->cache[i].st == st) {
            sqlite3_reset(st);
            return;
        }
    sqlite3_finalize(st);
}

void sqs_bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

char *sqs_col_text(sqlite3_stmt *st, int i, iom_arena *a)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? iom_arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(st, i)) : NULL;
}

/* Runs a statement expected to return no rows. */
iom_err sqs_step_done(sq_store *s, sqlite3_stmt *st, iom_error *e, const char *what)
{
    int rc = sqlite3_step(st);
    iom_err err = rc == SQLITE_DONE ? IOM_OK : sqs_fail(s, e, what);
    sqs_done(s, st);
    return err;
}

iom_err sqs_exec(sq_store *s, const char *sql, iom_error *e, const char *what)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        iom_err err = sqs_fail(s, e, what);
        sqlite3_free(msg);
        return err;
    }
    return IOM_OK;
}

/* ---- generic row collection ---------------------------------------------------------- */

/* Steps a bound statement, converting each row with fn into a growing arena array of
   elements of `size` bytes. */
iom_err sqs_collect(sq_store *s, sqlite3_stmt *st, iom_arena *a, size_t size, sqs_row_fn fn,
                    void **out, size_t *n, iom_error *e, const char *what)
{
    size_t cap = 16, k = 0;
    char *v = iom_arena_alloc(a, cap * size);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (k == cap) {
            char *w = iom_arena_alloc(a, cap * 2 * size);
            memcpy(w, v, k * size);
            v = w;
            cap *= 2;
        }
        fn(st, a, v + k * size);
        k++;
    }
    iom_err err = rc == SQLITE_DONE ? IOM_OK : sqs_fail(s, e, what);
    sqs_done(s, st);
    *out = v;
    *n = err ? 0 : k;
    return err;
}

/* Steps a bound statement expected to return one row. */
iom_err sqs_fetch_one(sq_store *s, sqlite3_stmt *st, iom_arena *a, sqs_row_fn fn, void *out,
                      iom_error *e, const char *what, const char *missing, ...)
{
    int rc = sqlite3_step(st);
    iom_err err = IOM_OK;
    if (rc == SQLITE_ROW) {
        fn(st, a, out);
    } else if (rc == SQLITE_DONE) {
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

iom_err sqs_fetch1(sq_store *s, sqlite3_stmt *st, iom_arena *a, sqs_row_fn fn, void *out,
                   iom_error *e, const char *what, const char *ref)
{
    return sqs_fetch_one(s, st, a, fn, out, e, what, "%s: '%s' not found", what, ref ? ref : "");
}

iom_err sqs_review_insert(sq_store *s, sqlite3_stmt *st, int first, iom_intel_review_t *r, const char *what,
                          iom_error *e)
{
    sqs_bind_text(st, first, r->dispose ? "dispose" : "retain");
    sqs_bind_text(st, first + 1, r->reason);
    sqs_bind_text(st, first + 2, r->due_date);
    sqs_bind_text(st, first + 3, r->next_date);
    sqlite3_bind_int64(st, first + 4, r->user_id);
    sqlite3_bind_int64(st, first + 5, r->at);
    int rc = sqlite3_step(st);
    sqs_done(s, st);
    if (rc == SQLITE_CONSTRAINT_UNIQUE)
        return iom_fail(e, IOM_ECONFLICT, "%s %s: already disposed", what, r->ref);
    if (rc != SQLITE_DONE)
        return sqs_fail(s, e, what);
    r->id = sqlite3_last_insert_rowid(s->db);
    return IOM_OK;
}

void sqs_review_row(sqlite3_stmt *st, iom_arena *a, void *out)
{
    iom_intel_review_t *o = out;
    memset(o, 0, sizeof *o);
    o->id = sqlite3_column_int64(st, 0);
    o->ref = sqs_col_text(st, 1, a);
    const char *d = (const char *)sqlite3_column_text(st, 2);
    o->dispose = d && strcmp(d, "dispose") == 0;
    o->reason = sqs_col_text(st, 3, a);
    o->due_date = sqs_col_text(st, 4, a);
    o->next_date = sqs_col_text(st, 5, a);
    o->user_id = sqlite3_column_int64(st, 6);
    o->at = sqlite3_column_int64(st, 7);
    o->user = sqs_col_text(st, 8, a);
    if (sqlite3_column_count(st) > 9)
        o->tasking_ref = sqs_col_text(st, 9, a);
}
