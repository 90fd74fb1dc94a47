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

#include "store/auth_store.h"
#include "store/settings_store.h"
#include "store/store.h"
#include "store/work_store.h"

#define STMT_CACHE 160

typedef struct sq_gate sq_gate;
typedef struct sq_store sq_store;

/* ---- the SQL layer the back-ends share -------------------------------------------------- *
 * The store's operations (this directory's sqlite_*.c but the driver's own files) are
 * written once, as SQL text and these calls, and run on SQLite and on PostgreSQL: a handle's
 * driver (db_driver) prepares, binds, steps and reads columns. SQL text uses `?` or `?N`
 * parameters (the PostgreSQL driver rewrites them to $N) and the subset of SQL both
 * back-ends accept (quoted "user", IS [NOT] DISTINCT FROM, ON CONFLICT, RETURNING).
 * Result codes are SQLite's (DB_ROW, DB_DONE, extended constraint codes); the PostgreSQL
 * driver maps its SQLSTATEs onto them (pg_driver.c). */
typedef struct db_driver db_driver;
typedef struct db_stmt {
    const db_driver *drv;
} db_stmt;

enum {
    DB_OK = 0,
    DB_ERROR = 1,
    DB_BUSY = 5,
    DB_LOCKED = 6,
    DB_CONSTRAINT = 19,
    DB_ROW = 100,
    DB_DONE = 101,
    DB_CONSTRAINT_CHECK = 19 | (1 << 8),
    DB_CONSTRAINT_FOREIGNKEY = 19 | (3 << 8),
    DB_CONSTRAINT_NOTNULL = 19 | (5 << 8),
    DB_CONSTRAINT_PRIMARYKEY = 19 | (6 << 8),
    DB_CONSTRAINT_TRIGGER = 19 | (7 << 8),
    DB_CONSTRAINT_UNIQUE = 19 | (8 << 8),
};

struct db_driver {
    const char *name;
    /* A new statement for `sql`; NULL with the failure in the handle. `persistent`: it is
       cached and run many times (static text), else it runs once or twice and is finalised. */
    db_stmt *(*prepare)(sq_store *s, const char *sql, bool persistent);
    /* Back to before its first step, bindings cleared. */
    void (*reset)(db_stmt *st);
    void (*finalize)(db_stmt *st);
    /* DB_ROW, DB_DONE or an error code (the handle keeps the message). */
    int (*step)(db_stmt *st);
    void (*bind_int64)(db_stmt *st, int i, int64_t v);
    void (*bind_double)(db_stmt *st, int i, double v);
    void (*bind_text)(db_stmt *st, int i, const char *v); /* copied; NULL binds NULL */
    void (*bind_blob)(db_stmt *st, int i, const void *v, size_t n); /* copied */
    void (*bind_null)(db_stmt *st, int i);
    int64_t (*col_int64)(db_stmt *st, int i);
    double (*col_double)(db_stmt *st, int i);
    const char *(*col_text)(db_stmt *st, int i); /* NULL for NULL; valid until the next step */
    size_t (*col_bytes)(db_stmt *st, int i);
    const void *(*col_blob)(db_stmt *st, int i);
    bool (*col_null)(db_stmt *st, int i);
    int (*col_count)(db_stmt *st);
    /* The id the last INSERT gave; the rows the last change touched. */
    int64_t (*last_id)(sq_store *s);
    int64_t (*changes)(sq_store *s);
    /* The handle's last failure as iom_err (see store.h), `what` in the message. */
    iom_err (*fail)(sq_store *s, iom_error *e, const char *what);
    /* Runs SQL text (one or more statements) without parameters or results. */
    iom_err (*exec)(sq_store *s, const char *sql, iom_error *e, const char *what);
    /* work_store.h purge: leaves no copy of deleted content in the database's files beyond
       what the back-end keeps by design (outside any transaction). */
    iom_err (*purge)(sq_store *s, iom_error *e);
    /* Optional (NULL on SQLite). Inside a read transaction that has read nothing yet: may the
       cache serve rows read at cache epoch `known` before the snapshot's epoch is read? True
       when the back-end takes the guess and checks it in its first round trip (PostgreSQL,
       store.h begin_read_optimistic); s->tx_epoch is then set to `known` by the caller. */
    bool (*guess_epoch)(sq_store *s, int64_t known);
    /* Optional (NULL on SQLite, where a statement costs no round trip). A hint: these bound
       statements of a read transaction are about to run (each its own db_step, reset between
       as usual); the back-end may run them now, all in one round trip, and give each its rows
       at its next run with the same bound values in the same read transaction. Nothing
       changes for a statement run otherwise. Failures show at the statements' own runs.
       Returns how many it ran ahead (0: none, e.g. before the transaction's first statement,
       whose round trip on PostgreSQL carries its BEGIN). */
    int (*ahead)(sq_store *s, db_stmt **st, int n);
};

static inline int db_step(db_stmt *st) { return st->drv->step(st); }
static inline void db_bind_int64(db_stmt *st, int i, int64_t v) { st->drv->bind_int64(st, i, v); }
static inline void db_bind_double(db_stmt *st, int i, double v) { st->drv->bind_double(st, i, v); }
static inline void db_bind_null(db_stmt *st, int i) { st->drv->bind_null(st, i); }
static inline void db_bind_blob(db_stmt *st, int i, const void *v, size_t n)
{
    st->drv->bind_blob(st, i, v, n);
}
static inline int64_t db_col_int64(db_stmt *st, int i) { return st->drv->col_int64(st, i); }
static inline int db_col_int(db_stmt *st, int i) { return (int)st->drv->col_int64(st, i); }
static inline double db_col_double(db_stmt *st, int i) { return st->drv->col_double(st, i); }
static inline const char *db_col_text(db_stmt *st, int i) { return st->drv->col_text(st, i); }
static inline size_t db_col_bytes(db_stmt *st, int i) { return st->drv->col_bytes(st, i); }
static inline const void *db_col_blob(db_stmt *st, int i) { return st->drv->col_blob(st, i); }
static inline bool db_col_null(db_stmt *st, int i) { return st->drv->col_null(st, i); }
static inline int db_col_count(db_stmt *st) { return st->drv->col_count(st); }

struct sq_store {
    iom_store base;
    const db_driver *drv;
    sqlite3 *db;           /* the SQLite driver's connection (NULL on PostgreSQL) */
    struct pg_conn *pg;    /* the PostgreSQL driver's connection (NULL on SQLite) */
    char *path;
    bool in_tx;
    /* Re-writes the search document of tasking `id` from its row, inside the caller's
       transaction (the back-end's own text search): sqlite_search_tasking or pg's. */
    iom_err (*index_tasking)(sq_store *s, int64_t id, iom_error *e);
    sq_gate *gate;         /* the write gate of this database in this process (sqlite_store.c) */
    bool gated;            /* this handle holds it (a write transaction is open) */
    bool gate_patient;     /* waits for its turn without the gate's time limit (the read
                              log's batch on PostgreSQL: its reads wait for it) */
    struct sq_names *names; /* sqs_names_*: names by id, read once per handle */
    bool names_tentative;  /* names were read inside the open write transaction (SQLite) */
    bool acache_ok;        /* the schema has cache_epoch (opened at this binary's version) */
    bool tx_write;         /* the open transaction is a write transaction */
    int64_t tx_epoch;      /* cache_epoch.n in the open transaction's snapshot; -1: not read */
    struct sq_acache *acache; /* sqs_acache_*: rows kept while the epoch stands */
    struct {
        const char *sql;
        db_stmt *st;
    } cache[STMT_CACHE];
    int ncache;
};

static inline int64_t db_last_id(sq_store *s) { return s->drv->last_id(s); }
static inline int64_t db_changes(sq_store *s) { return s->drv->changes(s); }

/* sqlite_names.c: the names of users and the codes of agencies and regions, by id, cached
   per handle, so that a query of taskings need not join nine tables for them. A user's name,
   an agency's code, kind and region and a region's code never change once made, and ids are
   never given again, so an entry once read stays true; an id not in the cache reads its table
   again (something made since). One exception: SQLite gives the id of a rolled-back INSERT
   again, so a cache read inside a write transaction (names_tentative) is dropped when that
   transaction rolls back (sq_rollback); PostgreSQL's sequences never give an id twice.
   sqs_names_tasking fills v[i]'s requesting_agency, requesting_kind, requesting_region, owner, owner_kind,
   owner_region_id, owner_region, threat_sio, spoc, customer, sio and sia from the ids (names
   in a); IOM_ESTORE or IOM_ENOMEM on failure. sqs_names_free drops the cache (close). */
struct iom_tasking_t;
/* The SQLite library's process-wide settings (statement journals held in memory), made
   once, before the first connection; every sqlite3_open_v2 of this back-end calls it first. */
void sqs_library_init(void);

iom_err sqs_names_tasking(sq_store *s, struct iom_tasking_t *v, size_t n, iom_arena *a, iom_error *e);
void sqs_names_free(sq_store *s);

/* sqlite_acache.c: the rows a request reads again and again (an API token by its hash, a user,
   a user's security row, the roles that need TOTP, the holidays, every version of a setting),
   kept per handle while cache_epoch.n (migration 18: every change to their tables moves it on)
   stands. sqs_acache gives the cache for the open transaction, or NULL when it may not use one
   (no transaction, a write transaction, a schema without the epoch, the epoch unreadable): it
   reads the epoch once per transaction, in its snapshot, and empties the cache when the epoch
   moved. A lookup (sqs_acache_user, ...) copies a hit into the arena `a` and returns true;
   false: not cached (c may be NULL). A put (c may be NULL: nothing) copies what the store just
   read in that transaction. sqs_acache_free drops it all (close). */
typedef struct sq_acache sq_acache;
sq_acache *sqs_acache(sq_store *s);
bool sqs_acache_user(sq_acache *c, const char *name, iom_arena *a, iom_user_t *out);
void sqs_acache_user_put(sq_acache *c, const iom_user_t *u);
bool sqs_acache_token(sq_acache *c, const char *hash, iom_arena *a, iom_api_token_t *out);
void sqs_acache_token_put(sq_acache *c, const iom_api_token_t *t);
bool sqs_acache_security(sq_acache *c, int64_t user_id, iom_arena *a, iom_user_security_t *out);
void sqs_acache_security_put(sq_acache *c, int64_t user_id, const iom_user_security_t *x);
bool sqs_acache_totp_roles(sq_acache *c, iom_roles *out);
void sqs_acache_totp_roles_put(sq_acache *c, iom_roles r);
bool sqs_acache_holidays(sq_acache *c, iom_arena *a, iom_holiday_t **out, size_t *n);
void sqs_acache_holidays_put(sq_acache *c, const iom_holiday_t *v, size_t n);
bool sqs_acache_setting_history(sq_acache *c, const char *name, iom_arena *a, iom_setting_t **out,
                                size_t *n);
void sqs_acache_setting_history_put(sq_acache *c, const char *name, const iom_setting_t *v, size_t n);
void sqs_acache_free(sq_store *s);
/* The open transaction's snapshot is at cache epoch `epoch`: a cache kept at another epoch is
   emptied and kept from now on at this one (PostgreSQL, when a guessed epoch proved wrong). */
void sqs_acache_rebase(sq_store *s, int64_t epoch);

/* The SQLite driver (sqlite_util.c). */
extern const db_driver sqlite_driver;
/* A statement for SQL text built at run time (not cached): NULL on failure (in e). */
db_stmt *sqs_prep_once(sq_store *s, const char *sql, iom_error *e);
/* Releases a statement from sqs_prep_once. */
static inline void sqs_finalize(db_stmt *st) { if (st) st->drv->finalize(st); }

/* MoPI reviews (intel_review, dataset_review), sqlite_util.c. review_bind: r's decision,
   reason, due_date, next_date, user_id and at bound from index `first` on; review_insert then
   steps st and releases it, a UNIQUE conflict being "<what> <ref>: already disposed"
   (IOM_ECONFLICT); sets r->id. review_row: a row of id, ref, decision, reason, due_date,
   next_date, user_id, at, user name [, tasking ref]. */
iom_err sqs_review_insert(sq_store *s, db_stmt *st, int first, iom_intel_review_t *r, const char *what,
                          iom_error *e);
void sqs_review_row(db_stmt *st, iom_arena *a, void *out);

/* sqlite_backup.c: a consistent copy of the database of db (schemas main and reads) into
   `to` and `to.reads` (mode 0600); IOM_ECONFLICT when either exists unless force. */
iom_err sqlite_backup_to(sqlite3 *db, const char *to, bool force, iom_error *e);

static inline sq_store *SQ(iom_store *s) { return (sq_store *)s; }

/* Maps the handle's last failure to iom_err (see store.h) with `what` in the message. */
iom_err sqs_fail(sq_store *s, iom_error *e, const char *what);
/* A reset, unbound statement for the static SQL text `sql` (cached); NULL on failure. */
db_stmt *sqs_prep(sq_store *s, const char *sql, iom_error *e);
/* As sqs_prep, for a query on a table that grows from empty (a chain's head: ORDER BY seq DESC
   LIMIT 1): on PostgreSQL it is planned at every use (an unnamed statement, ~0.1 ms), because a
   plan kept from when the table was empty is a sequential scan and a sort, which PostgreSQL keeps
   until an ANALYZE invalidates it (2.3-3.9 ms per read-log batch at 8,500 entries in bench_http
   --pg). On SQLite the statement is cached as sqs_prep's. Released with sqs_done. */
db_stmt *sqs_prep_growing(sq_store *s, const char *sql, iom_error *e);
/* Releases a statement from sqs_prep after use. */
void sqs_done(sq_store *s, db_stmt *st);
/* db_driver.ahead when the back-end has it (PostgreSQL), else nothing: statements from sqs_prep,
   bound as they will be bound at their runs; the caller then releases each (sqs_done) and runs
   it as it would have. Their SQL must be the same static text as at the runs (the cache's key). */
int sqs_read_ahead(sq_store *s, db_stmt **st, int n); /* how many ran ahead */
/* Binds text or NULL. */
void sqs_bind_text(db_stmt *st, int i, const char *v);
/* Column text copied into the arena, or NULL. */
char *sqs_col_text(db_stmt *st, int i, iom_arena *a);
/* Steps a statement expected to return no row, then releases it. */
iom_err sqs_step_done(sq_store *s, db_stmt *st, iom_error *e, const char *what);
/* Runs SQL text without results. */
iom_err sqs_exec(sq_store *s, const char *sql, iom_error *e, const char *what);

/* Converts the current row of st into *out (a record type), copying text into a. */
typedef void (*sqs_row_fn)(db_stmt *st, iom_arena *a, void *out);
/* Steps a bound statement to its end, converting each row with fn into a growing arena
   array of elements of `size` bytes (OUT *out, *n), then releases it. */
iom_err sqs_collect(sq_store *s, db_stmt *st, iom_arena *a, size_t size, sqs_row_fn fn,
                    void **out, size_t *n, iom_error *e, const char *what);
/* Steps a bound statement expected to return one row into *out; IOM_ENOTFOUND naming
   `what` and `ref` when there is none. Releases the statement. */
/* Steps the bound statement once: *out = its first column as text (in a), NULL when it has no
   row; releases st. IOM_ESTORE naming `what` on a failure. */
iom_err sqs_text1(sq_store *s, db_stmt *st, iom_arena *a, char **out, iom_error *e, const char *what);
iom_err sqs_fetch1(sq_store *s, db_stmt *st, iom_arena *a, sqs_row_fn fn, void *out,
                   iom_error *e, const char *what, const char *ref);
/* The same with the not-found message given as a printf format and its arguments; `what`
   names the query in a store failure. */
iom_err sqs_fetch_one(sq_store *s, db_stmt *st, iom_arena *a, sqs_row_fn fn, void *out,
                      iom_error *e, const char *what, const char *missing, ...)
    __attribute__((format(printf, 8, 9)));

/* store.h copy_to, for both back-ends (sqlite_copy.c). */
iom_err sq_copy_to(iom_store *is, iom_store *to, iom_error *e);
/* The operations of the SQLite back-end (sqlite_store.c); the PostgreSQL back-end runs the
   same ones but for its own transactions, schema, housekeeping and search. */
extern const iom_store_ops sqlite_ops;

/* The area sub-tables (one file each). */
extern const struct iom_store_tasking_ops sqlite_tasking_ops; /* sqlite_tasking.c */
extern const struct iom_store_work_ops sqlite_work_ops;       /* sqlite_work.c */
extern const struct iom_store_apmis_ops sqlite_apmis_ops;     /* sqlite_apmis.c */
extern const struct iom_store_auth_ops sqlite_auth_ops;       /* sqlite_auth.c */
extern const struct iom_store_reads_ops sqlite_reads_ops;     /* sqlite_reads.c */
iom_err sqs_begin_reads_batch(iom_store *is, iom_error *e);   /* sqlite_store.c */
extern const struct iom_store_settings_ops sqlite_settings_ops; /* sqlite_settings.c */
extern const struct iom_store_picture_ops sqlite_picture_ops; /* sqlite_picture.c */
extern const struct iom_store_analysis_ops sqlite_analysis_ops; /* sqlite_analysis.c */
extern const struct iom_store_search_ops sqlite_search_ops;   /* sqlite_search.c */
/* Re-writes the search document of tasking `id` from its row (sqlite_search.c); called by
   the tasking writes of sqlite_tasking.c inside their transaction. */
iom_err sqlite_search_tasking(sq_store *s, int64_t id, iom_error *e);
/* The FTS row of tasking id's search document (both back-ends' index_tasking): body_sql selects
   (document id, body text) with ?1 the tasking's id; insert_sql takes ?1 the document id, ?2 the
   body and ?3 its terms, made by the handle's search_terms (store.h) when set. No row: nothing
   written. */
iom_err sqs_search_tasking_fts(sq_store *s, int64_t id, const char *body_sql, const char *insert_sql,
                               iom_error *e);

/* The audit entries that are reads of intelligence content (app/audit.h audit_read_actions):
   the WHERE of the partial index audit_reads (migration 6), repeated by the queries that use it. */
#define SQS_AUDIT_READ_ACTIONS "tasking.read", "intel.consult", "product.disclose"
#define SQS_AUDIT_READ_WHERE                                                                   \
    "(action = 'tasking.read' OR action = 'intel.consult' OR action = 'product.disclose')"

#endif
