/*
 * The PostgreSQL back-end (pg_store.h): connections, transactions, the schema and the
 * housekeeping that differ from SQLite. Every other operation is the SQL layer's, shared with
 * the SQLite back-end and run here by the libpq driver (pg_driver.c).
 */
#include "store/pg/pg_store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pg/pg_internal.h"
#include "store/pg/pg_schema.h"
#include "store/reads_store.h"
#include "util/dynlib.h"

/* The key of the advisory lock every write transaction takes first ("iom" in ASCII, then
   "write"): one writer at a time across all servers on the database (pg_store.h). */
#define IOM_WRITE_LOCK "7596911570728932453"

bool store_is_pg(const char *location)
{
    return location && (strncmp(location, "postgresql://", 13) == 0 ||
                        strncmp(location, "postgres://", 11) == 0);
}

static struct pg_conn *PC(sq_store *s) { return s->pg; }

/* The highest schema version this binary knows: PostgreSQL's baseline and the migrations
   after it, the same numbers as SQLite's. */
static int latest_version(void) { return pg_schema_baseline_version + pg_migration_count; }

static void pg_close(iom_store *is)
{
    sq_store *s = SQ(is);
    for (int i = 0; i < s->ncache; i++)
        s->drv->finalize(s->cache[i].st);
    sqs_names_free(s);
    sqs_acache_free(s);
    if (s->pg) {
        if (s->pg->conn)
            PQfinish(s->pg->conn);
        pg_forget_tables(s);
        free(s->pg);
    }
    free(s->path);
    free(s);
}

/* The session's settings, on every connection the handle makes (open, pg_reconnect).
   join_collapse_limit = 1: joins in the order the SQL writes them (the row's table first, then
   one row per join by key). The tasking row joins 11 tables and its statements take parameter
   switches, so PostgreSQL plans them per execution; searching join orders made that planning
   ~80 of the ~85 ms a list spent in PostgreSQL (docs/performance.md). */
static iom_err session_setup(sq_store *s, iom_error *e)
{
    return pg_exec(s,
                   "SET TIME ZONE 'UTC'; SET client_encoding = 'UTF8';"
                   " SET lock_timeout = '5s'; SET standard_conforming_strings = on;"
                   " SET join_collapse_limit = 1",
                   e, "database settings");
}

iom_err pg_reconnect(sq_store *s, iom_error *e)
{
    struct pg_conn *c = PC(s);
    PQreset(c->conn); /* blocks for connect_timeout at most (store_pg_open) */
    c->epoch++;       /* whatever was prepared on the old connection is gone */
    s->in_tx = false;
    c->begin_pending = false;
    c->commit_sent = false;
    c->commit_owed = false; /* its transaction went with the old connection */
    c->epoch_prepared = false;
    if (PQstatus(c->conn) != CONNECTION_OK) {
        const char *why = PQerrorMessage(c->conn);
        /* its first line names the cause ("connection to server on socket ... failed: FATAL:
           the database system is in recovery mode") */
        c->sqlstate[0] = '\0';
        snprintf(c->msg, sizeof c->msg, "the database server cannot be reached (%.*s)",
                 (int)strcspn(why && *why ? why : "no answer", "\n"), why && *why ? why : "no answer");
        c->down = true;
        return iom_fail(e, IOM_ESTORE, "database '%s': %s", s->path, c->msg);
    }
    c->down = false;
    return session_setup(s, e);
}

static iom_err begin_tx(sq_store *s, bool write, iom_error *e)
{
    s->tx_epoch = -1;
    iom_err err;
    if (!write && s->acache_ok) { /* the cache epoch of its snapshot, in the same round trip */
        int64_t epoch = -1;
        err = pg_exec_int64(s,
                            "BEGIN ISOLATION LEVEL REPEATABLE READ;"
                            "SELECT n FROM cache_epoch WHERE one = 1",
                            &epoch, e, "begin transaction");
        if (!err)
            pg_epoch_seen(s, epoch);
    } else
        err = pg_exec(s,
                      write ? "BEGIN ISOLATION LEVEL READ COMMITTED;"
                              "SELECT pg_advisory_xact_lock(" IOM_WRITE_LOCK ")"
                            : "BEGIN ISOLATION LEVEL REPEATABLE READ",
                      e, "begin transaction");
    if (err) {
        PGTransactionStatusType t = PQtransactionStatus(PC(s)->conn);
        if (t == PQTRANS_INTRANS || t == PQTRANS_INERROR)
            PQclear(PQexec(PC(s)->conn, "ROLLBACK"));
    }
    return err;
}

void pg_epoch_seen(sq_store *s, int64_t epoch)
{
    struct pg_conn *c = PC(s);
    if (c->guessed) {
        c->guessed = false;
        if (epoch != c->guess) { /* rows were served from an older epoch: the caller repeats */
            c->stale = true;
            sqs_acache_rebase(s, epoch);
        }
    }
    s->tx_epoch = epoch;
}

iom_err pg_begin_now(sq_store *s, iom_error *e)
{
    struct pg_conn *c = PC(s);
    c->begin_pending = false;
    s->in_tx = false; /* nothing of it ran: a connection lost while idle is made again */
    unsigned epoch = c->epoch;
    int64_t keep = s->tx_epoch;
    iom_err err = begin_tx(s, false, e);
    if (err && c->down && c->epoch == epoch)
        err = begin_tx(s, false, e);
    if (err) {
        c->guessed = false;
        return err;
    }
    if (keep >= 0 && s->tx_epoch < 0)
        s->tx_epoch = keep;
    s->in_tx = true;
    return IOM_OK;
}

/* A read transaction: nothing is sent until its first statement (pg_internal.h). */
static iom_err begin_read(sq_store *s, bool optimistic, iom_error *e)
{
    if (s->in_tx)
        return iom_fail(e, IOM_ESTORE, "begin: a transaction is already open");
    struct pg_conn *c = PC(s);
    pg_settle_sent(s); /* an owed COMMIT goes with the first statement */
    s->tx_epoch = -1;
    s->in_tx = true;
    s->tx_write = false;
    c->read_serial++;
    c->begin_pending = true;
    c->optimistic = optimistic && s->acache_ok;
    c->guessed = false;
    c->stale = false;
    return IOM_OK;
}

static iom_err pg_begin_read_optimistic(iom_store *is, iom_error *e)
{
    return begin_read(SQ(is), true, e);
}

static bool pg_end_idle(iom_store *is, uint64_t idle_us)
{
    sq_store *s = SQ(is);
    struct pg_conn *c = PC(s);
    if (s->in_tx || !c->commit_owed || pg_now_us() - c->owed_at_us < idle_us)
        return false;
    pg_settle(s);
    return true;
}

static bool pg_read_stale(iom_store *is)
{
    struct pg_conn *c = PC(SQ(is));
    bool stale = c->stale;
    c->stale = false;
    return stale;
}

static iom_err pg_begin(iom_store *is, bool write, iom_error *e)
{
    sq_store *s = SQ(is);
    if (!write)
        return begin_read(s, false, e);
    if (s->in_tx)
        return iom_fail(e, IOM_ESTORE, "begin: a transaction is already open");
    pg_settle(s);
    PC(s)->optimistic = PC(s)->guessed = PC(s)->stale = false;
    /* A connection lost while it was idle (the server restarted meanwhile) shows only now:
       nothing of this transaction has run, so once more on a new one (pg_exec makes it) --
       unless the failure was making one. */
    unsigned epoch = PC(s)->epoch;
    iom_err err = begin_tx(s, write, e);
    if (err && PC(s)->down && PC(s)->epoch == epoch)
        err = begin_tx(s, write, e);
    if (!err) {
        s->in_tx = true;
        s->tx_write = write; /* tx_epoch: begin_tx's */
        PC(s)->down = false;
    }
    return err;
}

static iom_err pg_commit(iom_store *is, iom_error *e)
{
    sq_store *s = SQ(is);
    struct pg_conn *c = PC(s);
    pg_settle_sent(s);
    if (s->in_tx && !s->tx_write) {
        if (c->begin_pending) { /* nothing was sent: nothing to end */
            c->begin_pending = false;
            s->in_tx = false;
            if (c->guessed) { /* rows served at a guessed epoch, never checked: check it now */
                int64_t now = -1;
                iom_error ignore = {0};
                bool owed = c->commit_owed; /* then the COMMIT owed goes first, in one round trip */
                c->commit_owed = false;
                if (pg_exec_int64(s,
                                  owed ? "COMMIT; SELECT n FROM cache_epoch WHERE one = 1"
                                       : "SELECT n FROM cache_epoch WHERE one = 1",
                                  &now, &ignore, "cache epoch"))
                    c->guessed = false, c->stale = true; /* unknown: the caller repeats */
                else
                    pg_epoch_seen(s, now);
            }
            return IOM_OK;
        }
        pg_settle(s);
        if (c->guessed) /* its first round trip failed before the epoch came: not known fresh */
            c->guessed = false, c->stale = true;
        /* A read that ran without failing: its COMMIT cannot lose anything, so it is sent and
           its answer read at the next use of the connection (pg_settle) */
        if (c->optimistic && PQtransactionStatus(c->conn) == PQTRANS_INTRANS) {
            /* `iom serve`'s GET: the COMMIT travels with the handle's next statement, or goes
               when the server finds the handle idle (store.h end_idle) */
            c->commit_owed = true;
            c->owed_at_us = pg_now_us();
            s->in_tx = false;
            return IOM_OK;
        }
        if (PQtransactionStatus(c->conn) == PQTRANS_INTRANS && PQsendQuery(c->conn, "COMMIT") == 1) {
            c->commit_sent = true;
            s->in_tx = false;
            return IOM_OK;
        }
    }
    PGresult *r = PQexec(PC(s)->conn, "COMMIT");
    iom_err err = IOM_OK;
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        pg_note_failure(s, r);
        err = s->drv->fail(s, e, "commit");
    } else if (strcmp(PQcmdStatus(r), "ROLLBACK") == 0) {
        /* COMMIT of a transaction a failed statement aborted: nothing was stored */
        err = iom_fail(e, IOM_ESTORE, "commit: the transaction had failed and was rolled back");
    }
    PQclear(r);
    if (!err || PQtransactionStatus(PC(s)->conn) == PQTRANS_IDLE || pg_conn_suspect(s))
        s->in_tx = false; /* a lost connection took its transaction with it */
    return err;
}

static void pg_rollback(iom_store *is)
{
    sq_store *s = SQ(is);
    pg_settle_sent(s);
    if (PC(s)->guessed) /* rows were served at a guess never checked */
        PC(s)->guessed = false, PC(s)->stale = true;
    if (PC(s)->begin_pending) { /* nothing was sent (an owed COMMIT stays owed) */
        PC(s)->begin_pending = false;
        s->in_tx = false;
        return;
    }
    pg_settle(s);
    PGTransactionStatusType t = PQtransactionStatus(PC(s)->conn);
    if (t == PQTRANS_INTRANS || t == PQTRANS_INERROR)
        PQclear(PQexec(PC(s)->conn, "ROLLBACK"));
    s->in_tx = false;
}

/* The schema version of the database: 0 when iom_schema does not exist (not initialised). */
static iom_err read_version(sq_store *s, int *out, iom_error *e)
{
    *out = 0;
    iom_err err;
    pg_settle(s);
    if (!s->in_tx && pg_conn_suspect(s) && (err = pg_reconnect(s, e)))
        return err; /* outside a transaction, a lost connection is made again (as pg_exec) */
    PGresult *r = PQexec(PC(s)->conn, "SELECT to_regclass('iom_schema') IS NOT NULL");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        pg_note_failure(s, r);
        PQclear(r);
        return s->drv->fail(s, e, "read schema version");
    }
    bool have = PQntuples(r) == 1 && PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    if (!have)
        return IOM_OK;
    r = PQexec(PC(s)->conn, "SELECT version FROM iom_schema WHERE one = 1");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        pg_note_failure(s, r);
        PQclear(r);
        return s->drv->fail(s, e, "read schema version");
    }
    if (PQntuples(r) == 1)
        *out = atoi(PQgetvalue(r, 0, 0));
    PQclear(r);
    return IOM_OK;
}

static iom_err pg_schema_version(iom_store *is, int *current, int *latest, iom_error *e)
{
    *latest = latest_version();
    sq_store *s = SQ(is);
    unsigned epoch = PC(s)->epoch;
    iom_err err = read_version(s, current, e);
    if (err && !s->in_tx && PC(s)->down && PC(s)->epoch == epoch)
        err = read_version(s, current, e); /* found lost while idle: once more (pg_begin) */
    return err;
}

/* The grants of the steps after the baseline up to version `to`. */
static iom_err step_grants(sq_store *s, int to, iom_error *e)
{
    iom_err err = IOM_OK;
    for (int k = 0; !err && k < to - pg_schema_baseline_version && k < pg_migration_count; k++)
        err = pg_exec(s, pg_migration_grants[k], e, "migration grants");
    return err;
}

/* One step of the schema, in its own transaction with the version it reaches; the grants to the
   servers' role follow every step (new tables get theirs). */
static iom_err migrate_step(sq_store *s, const char *sql, int to, iom_error *e)
{
    char setv[160];
    snprintf(setv, sizeof setv,
             "INSERT INTO iom_schema(one, version) VALUES (1, %d)"
             " ON CONFLICT (one) DO UPDATE SET version = EXCLUDED.version",
             to);
    pg_forget_tables(s); /* the statements prepared from now on see the new tables */
    iom_err err = pg_exec(s, "BEGIN", e, "migrate");
    if (err)
        return err;
    if ((err = pg_exec(s,
                       "CREATE TABLE IF NOT EXISTS iom_schema("
                       "  one BIGINT PRIMARY KEY CHECK(one = 1), version BIGINT NOT NULL)",
                       e, "migration")) ||
        (err = pg_exec(s, sql, e, "migration")) ||
        (err = pg_exec(s, pg_schema_functions, e, "migration functions")) ||
        (err = pg_exec(s, setv, e, "migration")) ||
        (err = pg_exec(s, pg_schema_grants, e, "migration grants")) ||
        (err = step_grants(s, to, e)) ||
        (err = pg_exec(s, "GRANT SELECT ON iom_schema TO iom_app", e, "migration grants")) ||
        (err = pg_exec(s, "COMMIT", e, "migration"))) {
        PQclear(PQexec(PC(s)->conn, "ROLLBACK"));
        char detail[IOM_ERRMSG_MAX];
        snprintf(detail, sizeof detail, "%s", e ? e->msg : "");
        return iom_fail(e, err, "schema migration %d failed: %s", to, detail);
    }
    return IOM_OK;
}

static iom_err pg_migrate(iom_store *is, int *from, int *to, iom_error *e)
{
    sq_store *s = SQ(is);
    int v;
    iom_err err = read_version(s, &v, e);
    if (err)
        return err;
    *from = *to = v;
    int latest = latest_version();
    if (v > latest)
        return iom_fail(e, IOM_ESCHEMA,
                        "database schema version %d is newer than this iom knows (%d): upgrade iom",
                        v, latest);
    if (v > 0 && v < pg_schema_baseline_version)
        return iom_fail(e, IOM_ESCHEMA,
                        "database schema version %d predates PostgreSQL support (%d): "
                        "copy it from its SQLite database with `iom copy`",
                        v, pg_schema_baseline_version);
    if (v == 0) {
        if ((err = migrate_step(s, pg_schema_baseline, pg_schema_baseline_version, e)))
            return err;
        v = *to = pg_schema_baseline_version;
    }
    for (; v < latest; v++) {
        if ((err = migrate_step(s, pg_migrations[v - pg_schema_baseline_version], v + 1, e)))
            return err;
        *to = v + 1;
    }
    return IOM_OK;
}

static bool pg_unreachable(iom_store *is) { return PC(SQ(is))->down; }

/* Checkpoints and vacuum are the server's own. */
static iom_err pg_maintain(iom_store *is, iom_error *e)
{
    (void)is;
    (void)e;
    return IOM_OK;
}

static iom_err pg_backup(iom_store *is, const char *to, bool force, iom_error *e)
{
    return pg_backup_to(SQ(is), to, force, e);
}

static iom_err pg_restore(iom_store *is, const char *from, int *schema, iom_error *e)
{
    return pg_restore_from(SQ(is), from, schema, e);
}

static iom_err pg_table_counts(iom_store *is, iom_arena *a, char ***names, int64_t **counts,
                               size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    *n = 0;
    pg_settle(s);
    iom_err berr;
    if (s->in_tx && PC(s)->begin_pending && (berr = pg_begin_now(s, e)))
        return berr; /* the counts in the caller's snapshot */
    PGresult *r = PQexec(PC(s)->conn,
                         "SELECT CASE WHEN schemaname = 'public' THEN tablename"
                         " ELSE schemaname || '.' || tablename END FROM pg_tables"
                         " WHERE schemaname IN ('public', 'reads') AND tablename <> 'iom_schema'"
                         " ORDER BY schemaname, tablename");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        pg_note_failure(s, r);
        PQclear(r);
        return s->drv->fail(s, e, "table list");
    }
    size_t k = (size_t)PQntuples(r);
    char **nv = iom_arena_alloc(a, (k ? k : 1) * sizeof *nv);
    int64_t *cv = iom_arena_alloc(a, (k ? k : 1) * sizeof *cv);
    for (size_t i = 0; i < k; i++)
        nv[i] = iom_arena_strdup(a, PQgetvalue(r, (int)i, 0));
    PQclear(r);
    iom_err err = IOM_OK;
    for (size_t i = 0; i < k && !err; i++) {
        /* names from the catalogue, each quoted as an identifier */
        const char *dot = strchr(nv[i], '.');
        char *q = dot ? iom_arena_printf(a, "SELECT count(*) FROM reads.\"%s\"", dot + 1)
                      : iom_arena_printf(a, "SELECT count(*) FROM \"%s\"", nv[i]);
        r = PQexec(PC(s)->conn, q);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            pg_note_failure(s, r);
            err = s->drv->fail(s, e, "row count");
        } else {
            cv[i] = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        }
        PQclear(r);
    }
    *names = nv;
    *counts = cv;
    *n = err ? 0 : k;
    return err;
}

static iom_store_ops pg_ops;
static struct iom_store_search_ops pg_search_ops;
static struct iom_store_reads_ops pg_reads_ops;
static pthread_once_t pg_ops_once = PTHREAD_ONCE_INIT;

static void pg_ops_init(void)
{
    pg_ops = sqlite_ops; /* the SQL layer's operations, shared */
    pg_ops.name = "postgresql";
    pg_ops.close = pg_close;
    pg_ops.begin = pg_begin;
    pg_ops.commit = pg_commit;
    pg_ops.rollback = pg_rollback;
    pg_ops.begin_read_optimistic = pg_begin_read_optimistic;
    pg_ops.read_stale = pg_read_stale;
    pg_ops.end_idle = pg_end_idle;
    pg_ops.threads_per_core = 2; /* a request waits on round trips to another process */
    pg_ops.schema_version = pg_schema_version;
    pg_ops.migrate = pg_migrate;
    pg_ops.maintain = pg_maintain;
    pg_ops.backup = pg_backup;
    pg_ops.table_counts = pg_table_counts;
    pg_ops.restore = pg_restore;
    pg_ops.unreachable = pg_unreachable;
    pg_search_ops = sqlite_search_ops; /* documents' signatures, deconfliction: shared */
    pg_search_ops.doc_set = pg_search_doc_set;
    pg_search_ops.query = pg_search_query;
    pg_ops.search = &pg_search_ops;
    pg_reads_ops = sqlite_reads_ops; /* the read chain's SQL: shared */
    pg_reads_ops.checkpoint = NULL;  /* the WAL is PostgreSQL's own (checkpoint_timeout, max_wal_size) */
    pg_ops.reads = &pg_reads_ops;
}

/* Silences libpq's NOTICE lines (e.g. "table already exists, skipping"): they are no errors. */
static void quiet_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

iom_err store_pg_open(const char *location, int flags, iom_store **out, iom_error *e)
{
    *out = NULL;
    iom_err loaded = iom_lib_need(IOM_LIB_PQ, e);
    if (loaded)
        return loaded;
    pthread_once(&pg_ops_once, pg_ops_init);
    char shown[256];
    iom_store_redact(location, shown, sizeof shown);
    sq_store *s = calloc(1, sizeof *s);
    struct pg_conn *c = calloc(1, sizeof *c);
    if (!s || !c) {
        free(s);
        free(c);
        return iom_fail(e, IOM_ENOMEM, "database: out of memory");
    }
    s->base.ops = &pg_ops;
    s->drv = &pg_driver;
    s->index_tasking = pg_search_tasking;
    s->pg = c;
    s->path = strdup(shown);
    /* A connection attempt (and pg_reconnect's) waits 10 s at most for a server that does not
       answer, unless the location (connect_timeout=N) or PGCONNECT_TIMEOUT says otherwise: the
       location comes after it and overrides it. */
    const char *env_timeout = getenv("PGCONNECT_TIMEOUT");
    int k = env_timeout && *env_timeout ? 1 : 0;
    const char *const keys[] = {"connect_timeout", "dbname", NULL};
    const char *const vals[] = {"10", location, NULL};
    c->conn = PQconnectdbParams(keys + k, vals + k, 1);
    if (!c->conn || PQstatus(c->conn) != CONNECTION_OK) {
        char why[300];
        snprintf(why, sizeof why, "%s", c->conn ? PQerrorMessage(c->conn) : "out of memory");
        iom_store_redact_message(location, why);
        for (char *p = why; *p; p++)
            if (*p == '\n')
                *p = ' ';
        pg_close(&s->base);
        return iom_fail(e, IOM_ESTORE, "database '%s': cannot connect: %s", shown, why);
    }
    PQsetNoticeProcessor(c->conn, quiet_notice, NULL); /* kept by PQreset */
    iom_err err = session_setup(s, e);
    int version = 0;
    if (!err)
        err = read_version(s, &version, e);
    if (!err && !(flags & IOM_STORE_ANY_SCHEMA)) {
        int latest = latest_version();
        if (version == 0)
            err = iom_fail(e, IOM_ESCHEMA, "database '%s' is not initialised: run `iom init`", shown);
        else if (version < latest)
            err = iom_fail(e, IOM_ESCHEMA,
                           "database '%s' has schema version %d, older than this iom's %d: "
                           "run `iom migrate`",
                           shown, version, latest);
        else if (version > latest)
            err = iom_fail(e, IOM_ESCHEMA,
                           "database '%s' has schema version %d, newer than this iom's %d: "
                           "use a newer iom",
                           shown, version, latest);
    }
    if (err) {
        pg_close(&s->base);
        return err;
    }
    s->acache_ok = !(flags & IOM_STORE_ANY_SCHEMA); /* at this binary's version: it has the epoch */
    *out = &s->base;
    return IOM_OK;
}

iom_err store_pg_restore(const char *from, const char *to, bool force, int *schema, iom_error *e)
{
    *schema = 0;
    iom_store *st;
    iom_err err = store_pg_open(to, IOM_STORE_ANY_SCHEMA, &st, e);
    if (err)
        return err;
    int current = 0;
    err = read_version(SQ(st), &current, e);
    if (!err && current > 0 && !force) {
        char shown[256];
        iom_store_redact(to, shown, sizeof shown);
        err = iom_fail(e, IOM_ECONFLICT, "restore: '%s' exists; --force replaces it (take a backup of it first)",
                       shown);
    }
    if (!err)
        err = pg_restore_from(SQ(st), from, schema, e);
    iom_store_close(st);
    return err;
}
