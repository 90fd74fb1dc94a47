/*
 * pg_internal.h: internals of the PostgreSQL back-end (the files of src/store/pg only).
 *
 * The store's operations are the SQL layer's (store/sqlite/sqlite_internal.h: db_driver), run
 * here by the libpq driver of pg_driver.c: every cached statement is prepared once per
 * connection (PQprepare, named "iN"), parameters are sent as text (bytea as binary) and rows
 * come back as text. A handle is one connection; `iom serve` keeps a pool of handles.
 */
#ifndef IOM_STORE_PG_INTERNAL_H
#define IOM_STORE_PG_INTERNAL_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/search_store.h"
#include "store/sqlite/sqlite_internal.h"

struct pg_conn {
    PGconn *conn;
    unsigned next_name;    /* prepared statements made on this connection */
    char sqlstate[6];      /* of the last failure, "" when none */
    char msg[512];         /* its primary message (no connection string in it) */
    int64_t changes;       /* rows the last command touched */
    int64_t last_id;       /* the id of the row the last INSERT of an id table made */
    char **id_tables;      /* tables with an `id` column (the catalogue's, read once) */
    size_t n_id_tables;
    bool id_tables_read;
    /* A lost connection (the server restarted, its backend killed or ended, the network
       cut): the next begin() -- or a statement outside any transaction -- makes it again
       (pg_reconnect); the transaction that was open is lost and its caller got IOM_ESTORE. */
    unsigned epoch;        /* connections made so far: a statement prepared under an older one
                              is prepared again */
    bool down;             /* the last failure was the server being unreachable (store.h
                              unreachable): the connection is lost, or may be (libpq does not
                              always say so at once), and is made again before the next
                              statement outside a transaction; cleared when that succeeds */
    /* A read transaction costs one round trip (pg_store.c, docs/operations.md): begin(false)
       sends nothing; its first statement goes in one pipeline with BEGIN and the cache epoch's
       read (pg_driver.c, pg_run_first), and its COMMIT is sent without waiting for the answer,
       which the next use of the connection reads first (pg_settle). */
    bool begin_pending;    /* a read transaction is open and its BEGIN not yet sent */
    bool commit_sent;
    /* An optimistic read's COMMIT not yet sent: it goes first in the next read's pipeline, or
       alone before anything else is run, or when the handle is found idle (end_idle). Its
       snapshot stays open meanwhile (`iom serve` ends it within IOM_SERVE_IDLE_MS). */
    bool commit_owed;
    uint64_t owed_at_us;   /* monotonic time it became owed */      /* a read transaction's COMMIT sent, its answer not yet read */
    bool epoch_prepared;   /* "iom_begin", "iom_chain" and (with acache_ok) "iom_epoch", the
                              cache epoch's read, prepared on this connection (run_first) */
    /* begin_read_optimistic: rows cached at the epoch last seen may be served before the
       snapshot's epoch is read; the first statement (or commit) reads it and, when it moved,
       sets `stale` for store.h read_stale. */
    bool optimistic;       /* the open read transaction may guess the epoch */
    bool guessed;          /* it did, at `guess`, and the guess is not yet checked */
    int64_t guess;
    bool stale;            /* a guess proved wrong: read_stale() says so once */
    /* Read transactions begun on this handle (begin_read): a statement run ahead
       (db_driver.ahead) keeps its result only for the read transaction it ran in. */
    uint64_t read_serial;
};

/* Before anything else is sent on the connection: reads the answer of a COMMIT sent without
   waiting (pg_conn.commit_sent), and sends an owed one (commit_owed) and waits for it. */
void pg_settle(sq_store *s);
/* Only the first half of pg_settle (the owed COMMIT stays owed). */
void pg_settle_sent(sq_store *s);
/* CLOCK_MONOTONIC in microseconds. */
uint64_t pg_now_us(void);

/* Sends the pending BEGIN of the open read transaction now, with the cache epoch's read (for
   text run by pg_exec inside it). IOM_ESTORE when it fails (the transaction is then over). */
iom_err pg_begin_now(sq_store *s, iom_error *e);

/* The cache epoch of the open read transaction's snapshot, read in its first round trip:
   checks a guess (pg_conn.guessed) against it and sets s->tx_epoch (pg_store.c). */
void pg_epoch_seen(sq_store *s, int64_t epoch);

/* The libpq driver of the SQL layer (pg_driver.c). */
extern const db_driver pg_driver;

/* Converts SQLite-style parameters (?, ?N) of `sql` to PostgreSQL's ($N), outside quoted text
   and comments, and drops SQLite's planner hints (INDEXED BY name, NOT INDEXED). OUT *nparams:
   the highest parameter number. Returns malloc'd text or NULL. */
char *pg_sql_params(const char *sql, int *nparams);

/* Records a failure on the handle: from a result (its SQLSTATE and primary message) or, when
   res is NULL, from the connection. Returns the SQL layer's code for it (DB_CONSTRAINT_UNIQUE,
   DB_CONSTRAINT_CHECK, DB_BUSY, ...). */
int pg_note_failure(sq_store *s, const PGresult *res);

/* True when the handle's connection is gone (libpq found it broken); pg_conn_suspect: or
   the last failure said the server was unreachable (pg_conn.down). */
bool pg_conn_lost(sq_store *s);
bool pg_conn_suspect(sq_store *s);

/* Makes the handle's connection again with the parameters it was opened with (PQreset), and
   its session settings; statements prepared on the old one are prepared again at their next
   run. On failure the handle stays without a connection (down, IOM_ESTORE). */
iom_err pg_reconnect(sq_store *s, iom_error *e);

/* Forgets what the driver read of the catalogue (the tables with an id column): after a
   migration, and when the handle closes. */
void pg_forget_tables(sq_store *s);

/* Runs SQL text without parameters (several statements allowed); IOM_OK or the failure
   mapped as db_driver.fail does, `what` in the message. */
iom_err pg_exec(sq_store *s, const char *sql, iom_error *e, const char *what);

/* As pg_exec, and the last statement's one value, a bigint, into *out (one round trip for
   several statements); IOM_ESTORE when it gives no row or NULL. */
iom_err pg_exec_int64(sq_store *s, const char *sql, int64_t *out, iom_error *e, const char *what);

/* The search index on PostgreSQL's text search (pg_search.c): the operations that differ from
   the SQL layer's, and the tasking document (sq_store.index_tasking). */
iom_err pg_search_doc_set(iom_store *is, const char *kind, const char *ref, int64_t tasking_id,
                          const char *type, const char *sig, const iom_search_body *docs, size_t n,
                          bool purge, iom_error *e);
iom_err pg_search_query(iom_store *is, const iom_search_query *q, iom_arena *a, iom_search_hit **out,
                        size_t *n, iom_error *e);
iom_err pg_search_tasking(sq_store *s, int64_t id, iom_error *e);
/* An FTS5 match of domain search (quoted words and phrases, AND, OR, brackets) as the text of
   a tsquery ('w' & ('x' <-> 'y')); malloc'd, NULL when out of memory. */
char *pg_tsquery_of(const char *match);

/* Backup and restore with pg_dump, pg_restore and psql (pg_backup.c; store.h backup and
   restore). */
iom_err pg_backup_to(sq_store *s, const char *to, bool force, iom_error *e);
iom_err pg_restore_from(sq_store *s, const char *from, int *schema, iom_error *e);

/* Schema steps after PostgreSQL's baseline (pg_migrations.c): pg_migrations[k] brings version
   pg_schema_baseline_version + k to the next. */
extern const char *const pg_migrations[];
extern const char *const pg_migration_grants[]; /* one for each of pg_migrations */
/* Functions the SQL layer calls (iom_ref), created with the baseline and replaced by every
   step (CREATE OR REPLACE). */
extern const char pg_schema_functions[];
extern const int pg_migration_count;

#endif
