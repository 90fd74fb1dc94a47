/*
 * sqlite_internal.h: shared internals of the SQLite back-end (the files of src/store/sqlite only).
 * Each store area (core, taskings, work items, APMIS) lives in its own file and uses these
 * helpers: statements prepared once per handle and cached by the address of their static
 * SQL text, and one mapping from SQLite failures to iom_err.
 */
#ifndef IOM_STORE_SQLITE_INTERNAL_H
#define IOM_STORE_SQLITE_INTERNAL_H

#include <sqlite3.h>
#include <stdbool.h>

#include "store/store.h"
#include "store/work_store.h"

#define STMT_CACHE 160

typedef struct sq_gate sq_gate;

typedef struct sq_store {
    iom_store base;
    sqlite3 *db;
    char *path;
    bool in_tx;
    sq_gate *gate;         /* the write gate of this database in this process (sqlite_store.c) */
    bool gated;            /* this handle holds it (a write transaction is open) */
    struct {
        const char *sql;
        sqlite3_stmt *st;
    } cache[STMT_CACHE];
    int ncache;
} sq_store;

/* MoPI reviews (intel_review, dataset_review), sqlite_util.c. review_bind: r's decision,
   reason, due_date, next_date, user_id and at bound from index `first` on; review_insert then
   steps st and releases it, a UNIQUE conflict being "<what> <ref>: already disposed"
   (IOM_ECONFLICT); sets r->id. review_row: a row of id, ref, decision, reason, due_date,
   next_date, user_id, at, user name [, tasking ref]. */
iom_err sqs_review_insert(sq_store *s, sqlite3_stmt *st, int first, iom_intel_review_t *r, const char *what,
                          iom_error *e);
void sqs_review_row(sqlite3_stmt *st, iom_arena *a, void *out);

/* sqlite_backup.c: a consistent copy of the database of db (schemas main and reads) into
   `to` and `to.reads` (mode 0600); IOM_ECONFLICT when either exists unless force. */
iom_err sqlite_backup_to(sqlite3 *db, const char *to, bool force, iom_error *e);

static inline sq_store *SQ(iom_store *s) { return (sq_store *)s; }

/* Maps the handle's last failure to iom_err (see store.h) with `what` in the message. */
iom_err sqs_fail(sq_store *s, iom_error *e, const char *what);
/* A reset, unbound statement for the static SQL text `sql` (cached); NULL on failure. */
sqlite3_stmt *sqs_prep(sq_store *s, const char *sql, iom_error *e);
/* Releases a statement from sqs_prep after use. */
void sqs_done(sq_store *s, sqlite3_stmt *st);
/* Binds text or NULL. */
void sqs_bind_text(sqlite3_stmt *st, int i, const char *v);
/* Column text copied into the arena, or NULL. */
char *sqs_col_text(sqlite3_stmt *st, int i, iom_arena *a);
/* Steps a statement expected to return no row, then releases it. */
iom_err sqs_step_done(sq_store *s, sqlite3_stmt *st, iom_error *e, const char *what);
/* Runs SQL text without results. */
iom_err sqs_exec(sq_store *s, const char *sql, iom_error *e, const char *what);

/* Converts the current row of st into *out (a record type), copying text into a. */
typedef void (*sqs_row_fn)(sqlite3_stmt *st, iom_arena *a, void *out);
/* Steps a bound statement to its end, converting each row with fn into a growing arena
   array of elements of `size` bytes (OUT *out, *n), then releases it. */
iom_err sqs_collect(sq_store *s, sqlite3_stmt *st, iom_arena *a, size_t size, sqs_row_fn fn,
                    void **out, size_t *n, iom_error *e, const char *what);
/* Steps a bound statement expected to return one row into *out; IOM_ENOTFOUND naming
   `what` and `ref` when there is none. Releases the statement. */
iom_err sqs_fetch1(sq_store *s, sqlite3_stmt *st, iom_arena *a, sqs_row_fn fn, void *out,
                   iom_error *e, const char *what, const char *ref);
/* The same with the not-found message given as a printf format and its arguments; `what`
   names the query in a store failure. */
iom_err sqs_fetch_one(sq_store *s, sqlite3_stmt *st, iom_arena *a, sqs_row_fn fn, void *out,
                      iom_error *e, const char *what, const char *missing, ...)
    __attribute__((format(printf, 8, 9)));

/* The area sub-tables (one file each). */
extern const struct iom_store_tasking_ops sqlite_tasking_ops; /* sqlite_tasking.c */
extern const struct iom_store_work_ops sqlite_work_ops;       /* sqlite_work.c */
extern const struct iom_store_apmis_ops sqlite_apmis_ops;     /* sqlite_apmis.c */
extern const struct iom_store_auth_ops sqlite_auth_ops;       /* sqlite_auth.c */
extern const struct iom_store_reads_ops sqlite_reads_ops;     /* sqlite_reads.c */
extern const struct iom_store_settings_ops sqlite_settings_ops; /* sqlite_settings.c */
extern const struct iom_store_picture_ops sqlite_picture_ops; /* sqlite_picture.c */
extern const struct iom_store_analysis_ops sqlite_analysis_ops; /* sqlite_analysis.c */
extern const struct iom_store_search_ops sqlite_search_ops;   /* sqlite_search.c */
/* Re-writes the search document of tasking `id` from its row (sqlite_search.c); called by
   the tasking writes of sqlite_tasking.c inside their transaction. */
iom_err sqlite_search_tasking(sq_store *s, int64_t id, iom_error *e);

/* The audit entries that are reads of intelligence content (app/audit.h audit_read_actions):
   the WHERE of the partial index audit_reads (migration 6), repeated by the queries that use it. */
#define SQS_AUDIT_READ_ACTIONS "tasking.read", "intel.consult", "product.disclose"
#define SQS_AUDIT_READ_WHERE                                                                   \
    "(action = 'tasking.read' OR action = 'intel.consult' OR action = 'product.disclose')"

#endif
