/*
 * SQLite back-end. Statements are prepared once per handle and cached by their SQL text's
 * address (every SQL string here is a static constant), so the hot paths pay no parsing.
 */
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- the write gate ------------------------------------------------------------------------ */

/* The write transactions of one process on one database are admitted in the order they ask
   (a ticket lock) before they take the main file's write lock. SQLite's busy handler retries
   by sleeping (1, 2, 5 .. 100 ms): two changes of one server would retry into each other;
   with the gate the second goes right after the first. The read log's batches lock only the
   file <db>.reads (sqs_begin_reads_batch) and pass no gate. Other processes (the CLI beside a
   server) still meet SQLite's busy handler. */
struct sq_gate {
    sq_gate *next;
    char *path;                   /* realpath of the database */
    int refs;
    pthread_mutex_t mu;
    pthread_cond_t turn;
    uint64_t ticket, serving;
    uint64_t *gone;               /* tickets whose holders gave up waiting (GATE_WAIT_MS) */
    size_t ngone, capgone;
};

/* How long a change waits for its turn: as long as SQLite's busy timeout, after which it is
   refused busy (review 77 L3: a change behind a 20 s import waited 20 s, its worker thread with
   it, where the documented answer is 503 busy after 5 s). */
#define GATE_WAIT_MS 5000

static pthread_mutex_t gates_mu = PTHREAD_MUTEX_INITIALIZER;
static sq_gate *gates;

static sq_gate *gate_get(const char *path)
{
    char real[PATH_MAX];
    const char *key = realpath(path, real) ? real : path;
    pthread_mutex_lock(&gates_mu);
    sq_gate *g = gates;
    while (g && strcmp(g->path, key) != 0)
        g = g->next;
    if (!g && (g = calloc(1, sizeof *g))) {
        if ((g->path = strdup(key))) {
            pthread_mutex_init(&g->mu, NULL);
            pthread_cond_init(&g->turn, NULL);
            g->next = gates;
            gates = g;
        } else {
            free(g);
            g = NULL; /* no gate: SQLite's busy handler alone, as before */
        }
    }
    if (g)
        g->refs++;
    pthread_mutex_unlock(&gates_mu);
    return g;
}

static void gate_put(sq_gate *g)
{
    if (!g)
        return;
    pthread_mutex_lock(&gates_mu);
    if (--g->refs == 0) {
        sq_gate **p = &gates;
        while (*p != g)
            p = &(*p)->next;
        *p = g->next;
        pthread_mutex_destroy(&g->mu);
        pthread_cond_destroy(&g->turn);
        free(g->path);
        free(g->gone);
        free(g);
    }
    pthread_mutex_unlock(&gates_mu);
}

/* Under g->mu: moves `serving` past the tickets given up. */
static void gate_skip_gone(sq_gate *g)
{
    for (bool moved = true; moved;) {
        moved = false;
        for (size_t i = 0; i < g->ngone; i++)
            if (g->gone[i] == g->serving) {
                g->gone[i] = g->gone[--g->ngone];
                g->serving++;
                moved = true;
                break;
            }
    }
}

static iom_err gate_enter(sq_store *s, iom_error *e)
{
    sq_gate *g = s->gate;
    if (!g)
        return IOM_OK;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += GATE_WAIT_MS / 1000;
    until.tv_nsec += (long)(GATE_WAIT_MS % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&g->mu);
    uint64_t mine = g->ticket++;
    bool late = false;
    while (g->serving != mine && !late) {
        if (s->gate_patient)
            pthread_cond_wait(&g->turn, &g->mu);
        else
            late = pthread_cond_timedwait(&g->turn, &g->mu, &until) == ETIMEDOUT && g->serving != mine;
    }
    if (late) {
        /* give the ticket up: whoever serves it passes on to the next */
        if (g->ngone == g->capgone) {
            size_t cap = g->capgone ? 2 * g->capgone : 8;
            uint64_t *v = realloc(g->gone, cap * sizeof *v);
            if (!v) { /* cannot record it: wait for the turn after all rather than stall the rest */
                while (g->serving != mine)
                    pthread_cond_wait(&g->turn, &g->mu);
                late = false;
            } else {
                g->gone = v;
                g->capgone = cap;
            }
        }
        if (late)
            g->gone[g->ngone++] = mine;
    }
    pthread_mutex_unlock(&g->mu);
    if (late)
        return iom_fail(e, IOM_EBUSY, "the database is busy: another change on this server has been "
                                      "writing for over %d s (a large import?); try again",
                        GATE_WAIT_MS / 1000);
    s->gated = true;
    return IOM_OK;
}

static void gate_leave(sq_store *s)
{
    sq_gate *g = s->gate;
    if (!g || !s->gated)
        return;
    s->gated = false;
    pthread_mutex_lock(&g->mu);
    g->serving++;
    gate_skip_gone(g);
    pthread_cond_broadcast(&g->turn);
    pthread_mutex_unlock(&g->mu);
}

/* ---- transactions and schema ---------------------------------------------------------- */

static void sq_close(iom_store *is)
{
    sq_store *s = SQ(is);
    gate_leave(s);
    gate_put(s->gate);
    for (int i = 0; i < s->ncache; i++)
        s->drv->finalize(s->cache[i].st);
    sqs_names_free(s);
    sqs_acache_free(s);
    sqlite3_close_v2(s->db);
    free(s->path);
    free(s);
}

/* BEGIN and COMMIT run once or twice per use-case call: prepared once per handle and reused
   (sqlite3_exec would parse them every time). */
static iom_err run_cached(sq_store *s, const char *sql, iom_error *e, const char *what)
{
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    int rc = db_step(st);
    iom_err err = rc == DB_DONE || rc == DB_ROW ? IOM_OK : sqs_fail(s, e, what);
    sqs_done(s, st);
    return err;
}

static const char sql_begin[] = "BEGIN", sql_begin_write[] = "BEGIN IMMEDIATE", sql_commit[] = "COMMIT";

/* BEGIN (deferred), then lock_sql, a statement that writes nothing but takes the write lock
   of one attached file (`schema`) at once, as BEGIN IMMEDIATE would take every file's. The
   lock is confirmed with sqlite3_txn_state. On failure nothing stays open. */
static iom_err begin_locking(sq_store *s, const char *lock_sql, const char *schema, iom_error *e)
{
    iom_err err = run_cached(s, sql_begin, e, "begin transaction");
    if (err)
        return err;
    if (!(err = run_cached(s, lock_sql, e, "begin transaction")) &&
        sqlite3_txn_state(s->db, schema) != SQLITE_TXN_WRITE)
        err = iom_fail(e, IOM_ESTORE, "begin transaction: no write lock on '%s'", schema);
    if (err)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return err;
}

/* A write transaction of the main file only. BEGIN IMMEDIATE takes the write lock of every
   attached file, the read log's (<db>.reads) too, so a change and a read-log batch excluded
   each other although neither writes the other's file; the read log's file is locked only by
   its batches (sqs_begin_reads_batch). A schema older than cache_epoch (migration 10): BEGIN
   IMMEDIATE as before. */
static iom_err begin_main_write(sq_store *s, iom_error *e)
{
    iom_error e2 = {0};
    iom_err err = begin_locking(s, "UPDATE main.cache_epoch SET n = n WHERE 0", "main", &e2);
    if (err && strstr(e2.msg, "no such table"))
        return run_cached(s, sql_begin_write, e, "begin transaction");
    if (err)
        *e = e2;
    return err;
}

static iom_err sq_begin(iom_store *is, bool write, iom_error *e)
{
    sq_store *s = SQ(is);
    if (s->in_tx)
        return iom_fail(e, IOM_ESTORE, "begin: a transaction is already open");
    if (write) {
        iom_err ge = gate_enter(s, e);
        if (ge)
            return ge;
    }
    iom_err err = write && !s->pg ? begin_main_write(s, e)
                                  : run_cached(s, write ? sql_begin_write : sql_begin, e, "begin transaction");
    if (!err) {
        s->in_tx = true;
        s->tx_write = write;
        s->tx_epoch = -1;
    }
    else
        gate_leave(s);
    return err;
}

/* The read log's batch on SQLite: a write transaction of the attached file `reads` only.
   BEGIN IMMEDIATE takes the write lock of every attached file, the main one too, so each
   batch excluded every change of every process for its duration and took the main file's
   locks beside its own; here the write lock of `reads` alone is taken (begin_locking) before
   the chain's head is read (the head cannot move until the commit). Not through the write
   gate: no change waits for it. PostgreSQL: as begin. */
iom_err sqs_begin_reads_batch(iom_store *is, iom_error *e)
{
    sq_store *s = SQ(is);
    if (s->pg) { /* the back-end's own begin (pg_store.c), which takes the advisory lock; the
                    batch waits for its turn as before: the reads it logs wait for it */
        s->gate_patient = true;
        iom_err err = is->ops->begin(is, true, e);
        s->gate_patient = false;
        return err;
    }
    if (s->in_tx)
        return iom_fail(e, IOM_ESTORE, "begin: a transaction is already open");
    iom_err err = begin_locking(s, "UPDATE reads.read_log SET seq = seq WHERE 0", "reads", e);
    if (!err) {
        s->in_tx = true;
        s->tx_write = true;
        s->tx_epoch = -1;
    }
    return err;
}

static iom_err sq_commit(iom_store *is, iom_error *e)
{
    sq_store *s = SQ(is);
    iom_err err = run_cached(s, sql_commit, e, "commit");
    if (!err) {
        s->names_tentative = false;
        s->in_tx = false;
        gate_leave(s);
    }
    return err;
}

static void sq_rollback(iom_store *is)
{
    sq_store *s = SQ(is);
    if (sqlite3_get_autocommit(s->db) == 0)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    if (s->names_tentative) /* it may hold a name whose id SQLite will give again */
        sqs_names_free(s);
    s->in_tx = false;
    gate_leave(s);
}

static iom_err user_version(sq_store *s, int *out, iom_error *e)
{
    db_stmt *st = sqs_prep_once(s, "PRAGMA user_version", e);
    if (!st)
        return IOM_ESTORE;
    int rc = db_step(st);
    *out = rc == DB_ROW ? db_col_int(st, 0) : 0;
    sqs_finalize(st);
    return rc == DB_ROW ? IOM_OK : sqs_fail(s, e, "read schema version");
}

static iom_err sq_schema_version(iom_store *is, int *current, int *latest, iom_error *e)
{
    *latest = sqlite_migration_count;
    return user_version(SQ(is), current, e);
}

static iom_err sq_migrate(iom_store *is, int *from, int *to, iom_error *e)
{
    sq_store *s = SQ(is);
    int v;
    iom_err err = user_version(s, &v, e);
    if (err)
        return err;
    *from = *to = v;
    if (v > sqlite_migration_count)
        return iom_fail(e, IOM_ESCHEMA,
                        "database schema version %d is newer than this iom knows (%d): upgrade iom",
                        v, sqlite_migration_count);
    for (; v < sqlite_migration_count; v++) {
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
        if ((err = sqs_exec(s, "BEGIN IMMEDIATE", e, "migrate")))
            return err;
        if ((err = sqs_exec(s, sqlite_migrations[v], e, "migration")) ||
            (err = sqs_exec(s, pragma, e, "migration")) || (err = sqs_exec(s, "COMMIT", e, "migration"))) {
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            char detail[IOM_ERRMSG_MAX];
            snprintf(detail, sizeof detail, "%s", e ? e->msg : "");
            return iom_fail(e, err, "schema migration %d failed: %s", v + 1, detail);
        }
        *to = v + 1;
    }
    return IOM_OK;
}

/* ---- regions and agencies ------------------------------------------------------------- */

static iom_err sq_region_insert(iom_store *is, const iom_region_t *r, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "INSERT INTO region(code, name) VALUES (?1, ?2)";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, r->code);
    sqs_bind_text(st, 2, r->name);
    return sqs_step_done(s, st, e, "region");
}

static void region_row(db_stmt *st, iom_arena *a, void *out)
{
    iom_region_t *r = out;
    r->code = sqs_col_text(st, 0, a);
    r->name = sqs_col_text(st, 1, a);
    r->id = db_col_int64(st, 2);
}

static iom_err sq_region_list(iom_store *is, iom_arena *a, iom_region_t **out, size_t *n,
                              iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "SELECT code, name, id FROM region ORDER BY id";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    return sqs_collect(s, st, a, sizeof **out, region_row, (void **)out, n, e, "region list");
}

#define AGENCY_COLS                                                                            \
    "a.id, a.code, a.name, a.kind, r.code, a.disabled, m.code, a.created_at, a.region_id, "  \
    "r.gateway_agency_id IS NOT DISTINCT FROM a.id "                                                             \
    "FROM agency a LEFT JOIN region r ON r.id = a.region_id LEFT JOIN agency m ON m.id = a.merged_into "

static void agency_row(db_stmt *st, iom_arena *a, void *out)
{
    iom_agency_t *o = out;
    o->id = db_col_int64(st, 0);
    o->code = sqs_col_text(st, 1, a);
    o->name = sqs_col_text(st, 2, a);
    iom_agency_kind_parse((const char *)db_col_text(st, 3), &o->kind, NULL);
    o->region = sqs_col_text(st, 4, a);
    o->disabled = db_col_int(st, 5) != 0;
    o->merged_into = sqs_col_text(st, 6, a);
    o->created_at = db_col_int64(st, 7);
    o->region_id = db_col_int64(st, 8);
    o->region_gateway = db_col_int(st, 9) != 0;
}

static iom_err sq_agency_insert(iom_store *is, iom_agency_t *ag, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "INSERT INTO agency(code, name, kind, region_id, disabled, created_at) "
        "VALUES (?1, ?2, ?3, (SELECT id FROM region WHERE code = ?4), ?5, ?6)";
    if (ag->region) {
        /* An unknown region would silently become NULL: say so instead. */
        static const char chk[] = "SELECT 1 FROM region WHERE code = ?1";
        db_stmt *c = sqs_prep(s, chk, e);
        if (!c)
            return IOM_ESTORE;
        sqs_bind_text(c, 1, ag->region);
        int rc = db_step(c);
        sqs_done(s, c);
        if (rc != DB_ROW)
            return iom_fail(e, IOM_EINVAL, "region: '%s' is not a known region", ag->region);
    }
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, ag->code);
    sqs_bind_text(st, 2, ag->name);
    sqs_bind_text(st, 3, iom_agency_kind_name(ag->kind));
    sqs_bind_text(st, 4, ag->region);
    db_bind_int64(st, 5, ag->disabled);
    db_bind_int64(st, 6, ag->created_at);
    iom_err err = sqs_step_done(s, st, e, "agency");
    if (!err)
        ag->id = db_last_id(s);
    /* The first ROCU of a region without a Gateway agency becomes it (domain.md §2). */
    static const char gw[] = "UPDATE region SET gateway_agency_id = ?1 WHERE gateway_agency_id IS"
                             " NULL AND id = (SELECT region_id FROM agency WHERE id = ?1)";
    if (!err && ag->region && (ag->kind == IOM_AGENCY_ROCU || ag->region_gateway)) {
        if (!(st = sqs_prep(s, gw, e)))
            return IOM_ESTORE;
        db_bind_int64(st, 1, ag->id);
        err = sqs_step_done(s, st, e, "region gateway");
    }
    return err;
}

static iom_err sq_agency_get(iom_store *is, const char *code, iom_arena *a, iom_agency_t *out,
                             iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "SELECT " AGENCY_COLS "WHERE a.code = ?1";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, code);
    return sqs_fetch_one(s, st, a, agency_row, out, e, "agency",
                         "agency: '%s' is not a known agency code", code);
}

static iom_err sq_agency_list(iom_store *is, iom_arena *a, iom_agency_t **out, size_t *n,
                              iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "SELECT " AGENCY_COLS "ORDER BY a.id";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    return sqs_collect(s, st, a, sizeof **out, agency_row, (void **)out, n, e, "agency list");
}

static iom_err sq_agency_update(iom_store *is, const iom_agency_t *ag, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "UPDATE agency SET name = ?2, disabled = ?3, "
        "merged_into = (SELECT id FROM agency WHERE code = ?4) WHERE code = ?1";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, ag->code);
    sqs_bind_text(st, 2, ag->name);
    db_bind_int64(st, 3, ag->disabled);
    sqs_bind_text(st, 4, ag->merged_into);
    iom_err err = sqs_step_done(s, st, e, "agency update");
    if (!err && db_changes(s) != 1)
        err = iom_fail(e, IOM_ENOTFOUND, "agency: '%s' is not a known agency code", ag->code);
    return err;
}

/* Runs one of the merge's statements (?1 the agency merged, ?2 the one merged into); how many
   rows it changed in *changed (when not NULL). */
static iom_err merge_step(sq_store *s, const char *sql, const char *from, const char *into,
                          const char *what, int64_t *changed, iom_error *e)
{
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, from);
    sqs_bind_text(st, 2, into);
    iom_err err = sqs_step_done(s, st, e, what);
    if (!err && changed)
        *changed = db_changes(s);
    return err;
}

static iom_err sq_agency_move_members(iom_store *is, const char *from, const char *into,
                                      int64_t *users_moved, int64_t *threats_moved,
                                      int64_t *options_moved, iom_error *e)
{
    sq_store *s = SQ(is);
    /* a region's Gateway merged into another agency of it: the Gateway goes with its users
       (review 55: the region was left without one for good) */
    static const char sg[] =
        "UPDATE region SET gateway_agency_id = (SELECT id FROM agency WHERE code = ?2) "
        "WHERE gateway_agency_id = (SELECT id FROM agency WHERE code = ?1)";
    static const char su[] =
        "UPDATE \"user\" SET agency_id = (SELECT id FROM agency WHERE code = ?2), version = version + 1 "
        "WHERE agency_id = (SELECT id FROM agency WHERE code = ?1)";
    static const char st_[] =
        "UPDATE threat SET owner_id = (SELECT id FROM agency WHERE code = ?2), version = version + 1 "
        "WHERE owner_id = (SELECT id FROM agency WHERE code = ?1)";
    /* the options waiting on the agency's decision go with its people (review 102 M1: they
       were left to an agency nobody can act for) */
    static const char so[] =
        "UPDATE tactical_option SET agency_id = (SELECT id FROM agency WHERE code = ?2), "
        "version = version + 1 WHERE agency_id = (SELECT id FROM agency WHERE code = ?1) "
        "AND status IN ('proposed', 'accepted')";
    iom_err err;
    if ((err = merge_step(s, sg, from, into, "agency merge (region gateway)", NULL, e)) ||
        (err = merge_step(s, su, from, into, "agency merge (users)", users_moved, e)) ||
        (err = merge_step(s, st_, from, into, "agency merge (threats)", threats_moved, e)))
        return err;
    return merge_step(s, so, from, into, "agency merge (tactical options)", options_moved, e);
}

/* ---- users ---------------------------------------------------------------------------- */

#define USER_COLS                                                                              \
    "u.id, u.name, a.code, u.roles, u.clearance, u.pw_hash, u.disabled, u.created_at, "        \
    "u.version, a.kind, r.code, a.id, a.region_id, a.disabled "                                \
    "FROM \"user\" u JOIN agency a ON a.id = u.agency_id LEFT JOIN region r ON r.id = a.region_id "

static void user_row(db_stmt *st, iom_arena *a, void *out)
{
    iom_user_t *o = out;
    o->id = db_col_int64(st, 0);
    o->name = sqs_col_text(st, 1, a);
    o->agency = sqs_col_text(st, 2, a);
    o->roles = (iom_roles)db_col_int(st, 3);
    iom_marking_parse((const char *)db_col_text(st, 4), &o->clearance, NULL);
    o->pw_hash = sqs_col_text(st, 5, a);
    o->disabled = db_col_int(st, 6) != 0;
    o->created_at = db_col_int64(st, 7);
    o->version = db_col_int64(st, 8);
    iom_agency_kind_parse((const char *)db_col_text(st, 9), &o->agency_kind, NULL);
    o->agency_region = sqs_col_text(st, 10, a);
    o->agency_id = db_col_int64(st, 11);
    o->agency_region_id = db_col_int64(st, 12);
    o->agency_disabled = db_col_int(st, 13) != 0;
    o->directory_only = false; /* a store row is the whole account (app/user.c narrows it) */
}

static iom_err sq_user_insert(iom_store *is, iom_user_t *u, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "INSERT INTO \"user\"(name, agency_id, roles, clearance, pw_hash, disabled, created_at) "
        "VALUES (?1, (SELECT id FROM agency WHERE code = ?2), ?3, ?4, ?5, ?6, ?7)";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, u->name);
    sqs_bind_text(st, 2, u->agency);
    db_bind_int64(st, 3, (int)u->roles);
    sqs_bind_text(st, 4, iom_marking_name(u->clearance));
    sqs_bind_text(st, 5, u->pw_hash);
    db_bind_int64(st, 6, u->disabled);
    db_bind_int64(st, 7, u->created_at);
    iom_err err = sqs_step_done(s, st, e, "user");
    if (err == IOM_ECONFLICT)
        return iom_fail(e, IOM_ECONFLICT, "user: '%s' already exists", u->name);
    if (!err) {
        u->id = db_last_id(s);
        u->version = 1;
    }
    return err;
}

static iom_err sq_user_get(iom_store *is, const char *name, iom_arena *a, iom_user_t *out,
                           iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "SELECT " USER_COLS "WHERE u.name = ?1";
    sq_acache *c = sqs_acache(s);
    if (sqs_acache_user(c, name, a, out))
        return IOM_OK;
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, name);
    iom_err err = sqs_fetch_one(s, st, a, user_row, out, e, "user",
                                "user: '%s' is not a known user", name);
    if (!err)
        sqs_acache_user_put(c, out);
    return err;
}

static iom_err sq_user_list(iom_store *is, iom_arena *a, iom_user_t **out, size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "SELECT " USER_COLS "ORDER BY u.name";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    return sqs_collect(s, st, a, sizeof **out, user_row, (void **)out, n, e, "user list");
}

static iom_err sq_user_update(iom_store *is, const iom_user_t *u, int64_t expected, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "UPDATE \"user\" SET agency_id = (SELECT id FROM agency WHERE code = ?2), roles = ?3, "
        "clearance = ?4, pw_hash = ?5, disabled = ?6, version = version + 1 "
        "WHERE name = ?1 AND version = ?7";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, u->name);
    sqs_bind_text(st, 2, u->agency);
    db_bind_int64(st, 3, (int)u->roles);
    sqs_bind_text(st, 4, iom_marking_name(u->clearance));
    sqs_bind_text(st, 5, u->pw_hash);
    db_bind_int64(st, 6, u->disabled);
    db_bind_int64(st, 7, expected);
    iom_err err = sqs_step_done(s, st, e, "user update");
    if (!err && db_changes(s) != 1)
        err = iom_fail(e, IOM_ECONFLICT,
                       "user '%s': version %lld is not the current version (changed meanwhile)",
                       u->name, (long long)expected);
    return err;
}

static iom_err sq_user_count_admins(iom_store *is, int64_t except_agency_id, int64_t *out, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "SELECT count(*) FROM \"user\" u JOIN agency a ON a.id = u.agency_id"
                              " WHERE u.disabled = 0 AND a.disabled = 0 AND (u.roles & ?1) <> 0"
                              " AND u.agency_id <> ?2";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, (int)IOM_ROLE_BIT(IOM_ROLE_ADMIN));
    db_bind_int64(st, 2, except_agency_id);
    int rc = db_step(st);
    *out = rc == DB_ROW ? db_col_int64(st, 0) : 0;
    iom_err err = rc == DB_ROW ? IOM_OK : sqs_fail(s, e, "count admins");
    sqs_done(s, st);
    return err;
}

iom_err sqs_text1(sq_store *s, db_stmt *st, iom_arena *a, char **out, iom_error *e, const char *what)
{
    *out = NULL;
    int rc = db_step(st);
    if (rc == DB_ROW)
        *out = sqs_col_text(st, 0, a);
    iom_err err = rc == DB_ROW || rc == DB_DONE ? IOM_OK : sqs_fail(s, e, what);
    sqs_done(s, st);
    return err;
}

static iom_err first_ref(sq_store *s, const char *sql, int64_t id, iom_arena *a, char **out, iom_error *e)
{
    *out = NULL;
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, id);
    return sqs_text1(s, st, a, out, e, "user's duties");
}

static iom_err sq_user_duties(iom_store *is, int64_t user_id, iom_arena *a, char **sia_of, char **sio_of,
                              iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sia[] =
        "SELECT ref FROM tasking WHERE sia_id = ?1 AND NOT (state = 'closed' OR state = 'rejected' OR "
        "state = 'declined' OR state = 'withdrawn') ORDER BY id LIMIT 1";
    static const char sio[] = "SELECT ref FROM threat WHERE sio_id = ?1 AND status = 'active' ORDER BY id LIMIT 1";
    iom_err err = first_ref(s, sia, user_id, a, sia_of, e);
    return err ? err : first_ref(s, sio, user_id, a, sio_of, e);
}

static iom_err sq_user_last_for(iom_store *is, int64_t user_id, int64_t except_agency_id, iom_arena *a,
                                char **ref, char **role, iom_marking *marking, iom_error *e)
{
    sq_store *s = SQ(is);
    /* ?1 the user; ?2 ?3 ?4 ?6 the role bits of gateway, ttcg, ftt and toex_manager (a
       forwarded bid waits on TOEX's managers: review 100 M2). "cleared": OFFICIAL-SENSITIVE
       reads both markings. A candidate: another enabled user of an enabled agency holding the
       role where the tasking waits. */
#define OTHER_CAN(bit, where)                                                                  \
    " AND NOT EXISTS (SELECT 1 FROM \"user\" o JOIN agency oa ON oa.id = o.agency_id WHERE o.id <> u.id" \
    " AND o.disabled = 0 AND oa.disabled = 0 AND oa.id <> ?5 AND (o.roles & " bit ") <> 0 AND " where  \
    " AND (o.clearance = 'OFFICIAL-SENSITIVE' OR t.marking = 'OFFICIAL'))"
    static const char sql[] =
        "WITH u AS (SELECT x.id, x.roles, x.clearance, ua.region_id FROM \"user\" x JOIN agency ua ON"
        " ua.id = x.agency_id WHERE x.id = ?1)"
        " SELECT ref, role, marking FROM ("
        " SELECT t.id, t.ref, 'gateway' AS role, t.marking FROM tasking t, u WHERE (u.roles & ?2) <> 0"
        " AND t.state = 'submitted' AND t.region_id = u.region_id"
        " AND (u.clearance = 'OFFICIAL-SENSITIVE' OR t.marking = 'OFFICIAL')"
        OTHER_CAN("?2", "oa.region_id = t.region_id")
        /* the TTCG of the owner's region; of the bid's for a national owner (review 113 L2) */
        " UNION ALL SELECT t.id, t.ref, 'ttcg', t.marking FROM tasking t JOIN threat th ON th.id = t.threat_id"
        " JOIN agency ow ON ow.id = th.owner_id, u WHERE (u.roles & ?3) <> 0"
        " AND t.state = 'transfer_requested' AND coalesce(ow.region_id, t.region_id) = u.region_id"
        " AND (u.clearance = 'OFFICIAL-SENSITIVE' OR t.marking = 'OFFICIAL')"
        OTHER_CAN("?3", "oa.region_id = coalesce(ow.region_id, t.region_id)")
        " UNION ALL SELECT t.id, t.ref, 'ftt', t.marking FROM tasking t, u WHERE (u.roles & ?4) <> 0"
        " AND t.state = 'escalated_ftt' AND (u.clearance = 'OFFICIAL-SENSITIVE' OR t.marking = 'OFFICIAL')"
        OTHER_CAN("?4", "oa.kind = 'national'")
        " UNION ALL SELECT t.id, t.ref, 'toex_manager', t.marking FROM tasking t, u WHERE (u.roles & ?6) <> 0"
        " AND t.state = 'forwarded' AND (u.clearance = 'OFFICIAL-SENSITIVE' OR t.marking = 'OFFICIAL')"
        OTHER_CAN("?6", "1 = 1")
        /* and while TOEX works on a tasking: only a toex_manager gives it another SIA */
        " UNION ALL SELECT t.id, t.ref, 'toex_manager_sia', t.marking FROM tasking t, u WHERE (u.roles & ?6) <> 0"
        " AND (t.state = 'accepted' OR t.state = 'tor_agreed' OR t.state = 'in_development' OR"
        " t.state = 'reassessment' OR t.state = 'transfer_requested' OR t.state = 'escalated_ftt')"
        " AND (u.clearance = 'OFFICIAL-SENSITIVE' OR t.marking = 'OFFICIAL')"
        OTHER_CAN("?6", "1 = 1")
        ") AS w ORDER BY role = 'toex_manager_sia', id LIMIT 1";
#undef OTHER_CAN
    *ref = *role = NULL;
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, user_id);
    db_bind_int64(st, 2, IOM_ROLE_BIT(IOM_ROLE_GATEWAY));
    db_bind_int64(st, 3, IOM_ROLE_BIT(IOM_ROLE_TTCG));
    db_bind_int64(st, 4, IOM_ROLE_BIT(IOM_ROLE_FTT));
    db_bind_int64(st, 5, except_agency_id);
    db_bind_int64(st, 6, IOM_ROLE_BIT(IOM_ROLE_TOEX_MANAGER));
    int rc = db_step(st);
    if (rc == DB_ROW) {
        *ref = sqs_col_text(st, 0, a);
        *role = sqs_col_text(st, 1, a);
        if (iom_marking_parse((const char *)db_col_text(st, 2), marking, NULL) != IOM_OK)
            *marking = IOM_MARKING_OFFICIAL_SENSITIVE;
        rc = DB_DONE;
    }
    iom_err err = rc == DB_DONE ? IOM_OK : sqs_fail(s, e, "user's parts");
    sqs_done(s, st);
    return err;
}

/* ---- threats -------------------------------------------------------------------------- */

#define THREAT_COLS                                                                            \
    "t.id, t.ref, t.title, t.type, o.code, u.name, t.force_tasking_ref, t.marking, t.status, " \
    "t.version, t.created_at, t.updated_at, c.name, o.name, o.kind, r.code "                   \
    "FROM threat t JOIN agency o ON o.id = t.owner_id JOIN \"user\" u ON u.id = t.sio_id "         \
    "LEFT JOIN \"user\" c ON c.id = t.created_by LEFT JOIN region r ON r.id = o.region_id "

static void threat_row(db_stmt *st, iom_arena *a, void *out)
{
    iom_threat_t *o = out;
    o->id = db_col_int64(st, 0);
    o->ref = sqs_col_text(st, 1, a);
    o->title = sqs_col_text(st, 2, a);
    iom_threat_type_parse((const char *)db_col_text(st, 3), &o->type, NULL);
    o->owner = sqs_col_text(st, 4, a);
    o->sio = sqs_col_text(st, 5, a);
    o->force_tasking_ref = sqs_col_text(st, 6, a);
    iom_marking_parse((const char *)db_col_text(st, 7), &o->marking, NULL);
    const char *status = db_col_text(st, 8);
    o->status = status && strcmp((const char *)status, "archived") == 0 ? IOM_THREAT_ARCHIVED
                                                                        : IOM_THREAT_ACTIVE;
    o->version = db_col_int64(st, 9);
    o->created_at = db_col_int64(st, 10);
    o->updated_at = db_col_int64(st, 11);
    o->created_by = sqs_col_text(st, 12, a);
    o->owner_name = sqs_col_text(st, 13, a);
    iom_agency_kind_parse((const char *)db_col_text(st, 14), &o->owner_kind, NULL);
    o->owner_region = sqs_col_text(st, 15, a);
}

static iom_err sq_threat_insert(iom_store *is, iom_threat_t *t, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "INSERT INTO threat(title, type, owner_id, sio_id, force_tasking_ref, marking, status, "
        "                   created_at, updated_at, created_by) "
        "VALUES (?1, ?2, (SELECT id FROM agency WHERE code = ?3), (SELECT id FROM \"user\" WHERE name = ?4),"
        "        ?5, ?6, ?7, ?8, ?8, (SELECT id FROM \"user\" WHERE name = ?9))";
    static const char setref[] = "UPDATE threat SET ref = iom_ref('SOC', id) WHERE id = ?1";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, t->title);
    sqs_bind_text(st, 2, iom_threat_type_name(t->type));
    sqs_bind_text(st, 3, t->owner);
    sqs_bind_text(st, 4, t->sio);
    sqs_bind_text(st, 5, t->force_tasking_ref);
    sqs_bind_text(st, 6, iom_marking_name(t->marking));
    sqs_bind_text(st, 7, iom_threat_status_name(t->status));
    db_bind_int64(st, 8, t->created_at);
    sqs_bind_text(st, 9, t->created_by);
    iom_err err = sqs_step_done(s, st, e, "threat");
    if (err)
        return err;
    t->id = db_last_id(s);
    st = sqs_prep(s, setref, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, t->id);
    if ((err = sqs_step_done(s, st, e, "threat reference")))
        return err;
    return IOM_OK;
}

static iom_err sq_threat_get(iom_store *is, const char *ref, iom_arena *a, iom_threat_t *out,
                             iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "SELECT " THREAT_COLS "WHERE t.ref = ?1";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, ref);
    return sqs_fetch_one(s, st, a, threat_row, out, e, "threat",
                         "threat: '%s' is not on the SOC master list", ref);
}

static iom_err sq_threat_list(iom_store *is, const iom_threat_filter *f, iom_arena *a,
                              iom_threat_t **out, size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "SELECT " THREAT_COLS
        "WHERE (?1 IS NULL OR o.code = ?1) AND (?2 IS NULL OR r.code = ?2)"
        "  AND (?3 < 0 OR t.status = CASE ?3 WHEN 0 THEN 'active' ELSE 'archived' END)"
        "  AND (t.marking = 'OFFICIAL' OR ?4 = 1)"
        "  AND t.ref > coalesce(?5, '') "
        "ORDER BY t.ref LIMIT ?6";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, f->owner);
    sqs_bind_text(st, 2, f->region);
    db_bind_int64(st, 3, f->status);
    db_bind_int64(st, 4, f->max_marking == IOM_MARKING_OFFICIAL_SENSITIVE);
    sqs_bind_text(st, 5, f->after_ref);
    db_bind_int64(st, 6, f->limit ? (int64_t)f->limit : INT64_MAX);
    return sqs_collect(s, st, a, sizeof **out, threat_row, (void **)out, n, e, "threat list");
}

/* The search documents of threat ref's taskings, made again (index_tasking): they hold the
   threat's title, which an update may have changed (a search for the new title found nothing,
   one for the old title found the tasking). */
static iom_err reindex_threat_taskings(sq_store *s, const char *ref, iom_error *e)
{
    static const char sql[] =
        "SELECT t.id FROM tasking t JOIN threat th ON th.id = t.threat_id WHERE th.ref = ?1 AND t.ref IS NOT NULL";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, ref);
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (n == cap) {
            int64_t *g = realloc(ids, (cap = cap ? 2 * cap : 8) * sizeof *ids);
            if (!g) {
                free(ids);
                sqs_done(s, st);
                return iom_fail(e, IOM_ENOMEM, "out of memory re-indexing threat %s's taskings", ref);
            }
            ids = g;
        }
        ids[n++] = db_col_int64(st, 0);
    }
    iom_err err = rc == DB_DONE ? IOM_OK : sqs_fail(s, e, "threat's taskings");
    sqs_done(s, st);
    for (size_t i = 0; !err && i < n; i++)
        err = s->index_tasking(s, ids[i], e);
    free(ids);
    return err;
}

static iom_err sq_threat_update(iom_store *is, iom_threat_t *t, int64_t expected, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "UPDATE threat SET title = ?2, type = ?3, owner_id = (SELECT id FROM agency WHERE code = ?4),"
        " sio_id = (SELECT id FROM \"user\" WHERE name = ?5), force_tasking_ref = ?6, marking = ?7,"
        " status = ?8, updated_at = ?9, version = version + 1 "
        "WHERE ref = ?1 AND version = ?10";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, t->ref);
    sqs_bind_text(st, 2, t->title);
    sqs_bind_text(st, 3, iom_threat_type_name(t->type));
    sqs_bind_text(st, 4, t->owner);
    sqs_bind_text(st, 5, t->sio);
    sqs_bind_text(st, 6, t->force_tasking_ref);
    sqs_bind_text(st, 7, iom_marking_name(t->marking));
    sqs_bind_text(st, 8, iom_threat_status_name(t->status));
    db_bind_int64(st, 9, t->updated_at);
    db_bind_int64(st, 10, expected);
    iom_err err = sqs_step_done(s, st, e, "threat update");
    if (!err && db_changes(s) != 1)
        return iom_fail(e, IOM_ECONFLICT,
                        "threat %s: version %lld is not the current version (changed meanwhile)",
                        t->ref, (long long)expected);
    if (!err)
        t->version = expected + 1;
    if (!err) /* its taskings' search documents hold its reference and title: made again */
        err = reindex_threat_taskings(s, t->ref, e);
    return err;
}

/* ---- audit ---------------------------------------------------------------------------- */

static iom_err sq_audit_head(iom_store *is, int64_t *seq, char hash[65], iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1";
    db_stmt *st = sqs_prep_growing(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    int rc = db_step(st);
    *seq = 0;
    hash[0] = '\0';
    if (rc == DB_ROW) {
        *seq = db_col_int64(st, 0);
        const char *h = db_col_text(st, 1);
        snprintf(hash, 65, "%s", h ? (const char *)h : "");
    }
    iom_err err = rc == DB_ROW || rc == DB_DONE ? IOM_OK : sqs_fail(s, e, "audit head");
    sqs_done(s, st);
    return err;
}

static iom_err sq_audit_append(iom_store *is, const iom_audit_t *en, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "INSERT INTO audit(seq, at, actor, os_user, via, action, object_ref, before_json, "
        "after_json, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, en->seq);
    db_bind_int64(st, 2, en->at);
    sqs_bind_text(st, 3, en->actor);
    sqs_bind_text(st, 4, en->os_user);
    sqs_bind_text(st, 5, en->via);
    sqs_bind_text(st, 6, en->action);
    sqs_bind_text(st, 7, en->object_ref);
    sqs_bind_text(st, 8, en->before_json);
    sqs_bind_text(st, 9, en->after_json);
    sqs_bind_text(st, 10, en->hash);
    return sqs_step_done(s, st, e, "audit");
}

static iom_err sq_audit_scan(iom_store *is, const char *object, int64_t after_seq, iom_audit_cb cb,
                             void *cb_data, iom_error *e)
{
    sq_store *s = SQ(is);
    /* Two statements, so each is a range of one index: the rowid from after_seq, or
       audit_object (object_ref, seq) from (object, after_seq). One `?1 IS NULL OR` query
       scanned the whole trail for one object. */
    static const char all[] =
        "SELECT seq, at, actor, os_user, via, action, object_ref, before_json, after_json, hash "
        "FROM audit WHERE seq > ?1 ORDER BY seq";
    static const char one[] =
        "SELECT seq, at, actor, os_user, via, action, object_ref, before_json, after_json, hash "
        "FROM audit WHERE object_ref = ?1 AND seq > ?2 ORDER BY seq";
    /* Not cached: a scan may run while the callback uses other statements. */
    db_stmt *st = sqs_prep_once(s, object ? one : all, e);
    if (!st)
        return IOM_ESTORE;
    if (object)
        sqs_bind_text(st, 1, object);
    db_bind_int64(st, object ? 2 : 1, after_seq);
    int rc;
    iom_arena a;
    iom_arena_init(&a);
    while ((rc = db_step(st)) == DB_ROW) {
        iom_audit_t en = {0};
        en.seq = db_col_int64(st, 0);
        en.at = db_col_int64(st, 1);
        en.actor = (char *)db_col_text(st, 2);
        en.os_user = (char *)db_col_text(st, 3);
        en.via = (char *)db_col_text(st, 4);
        en.action = (char *)db_col_text(st, 5);
        en.object_ref = (char *)db_col_text(st, 6);
        en.before_json = (char *)db_col_text(st, 7);
        en.after_json = (char *)db_col_text(st, 8);
        const char *h = db_col_text(st, 9);
        snprintf(en.hash, sizeof en.hash, "%s", h ? (const char *)h : "");
        if (cb(cb_data, &en)) {
            rc = DB_DONE;
            break;
        }
    }
    iom_arena_free(&a);
    iom_err err = rc == DB_DONE ? IOM_OK : sqs_fail(s, e, "audit scan");
    sqs_finalize(st);
    return err;
}

/* ---- housekeeping ----------------------------------------------------------------------- */

static iom_err sq_maintain(iom_store *is, iom_error *e)
{
    sq_store *s = SQ(is);
    int rc = sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    if (rc == SQLITE_OK || rc == DB_BUSY || rc == DB_LOCKED)
        return IOM_OK; /* busy: another checkpoint is running */
    return sqs_fail(s, e, "checkpoint");
}

/* ---- backup and row counts (store.h; sqlite_backup.c) --------------------------------- */

static iom_err sq_backup(iom_store *is, const char *to, bool force, iom_error *e)
{
    sq_store *s = SQ(is);
    if (s->in_tx)
        return iom_fail(e, IOM_ECONFLICT, "backup: not inside a transaction");
    if (!to || !*to)
        return iom_fail(e, IOM_EINVAL, "backup: give the file to write (--out FILE)");
    /* never over one of the database's own files (by their real paths, whatever the spelling) */
    static const char *const own[] = {"", ".reads", "-wal", "-shm", ".reads-wal", ".reads-shm"};
    char want[PATH_MAX], have[PATH_MAX];
    for (size_t i = 0; i < sizeof own / sizeof own[0]; i++) {
        char *mine = sqlite3_mprintf("%s%s", s->path, own[i]), *theirs = sqlite3_mprintf("%s%s", to, own[i]);
        bool same = mine && theirs &&
                    (strcmp(mine, theirs) == 0 || (realpath(mine, have) && realpath(theirs, want) &&
                                                   strcmp(have, want) == 0));
        for (size_t k = 0; !same && mine && k < 2; k++) { /* the backup's pair against each file */
            char *t = sqlite3_mprintf("%s%s", to, k ? ".reads" : "");
            same = t && realpath(mine, have) && realpath(t, want) && strcmp(have, want) == 0;
            sqlite3_free(t);
        }
        sqlite3_free(mine);
        sqlite3_free(theirs);
        if (same)
            return iom_fail(e, IOM_EINVAL, "backup: '%s' is a file of the database itself", to);
    }
    return sqlite_backup_to(s->db, to, force, e);
}

static iom_err sq_table_counts(iom_store *is, iom_arena *a, char ***names, int64_t **counts, size_t *n,
                               iom_error *e)
{
    sq_store *s = SQ(is);
    *n = 0;
    static const char list[] =
        /* a virtual table (the search index) counts as one table, without its shadow tables
           (<name>_data, ...): PostgreSQL's search_fts is one table too, so both back-ends list
           the same tables */
        "SELECT 'main', name FROM main.sqlite_master m WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " AND NOT EXISTS (SELECT 1 FROM main.sqlite_master v WHERE v.type = 'table'"
        " AND v.sql LIKE 'CREATE VIRTUAL TABLE%' AND m.name LIKE v.name || '\\_%' ESCAPE '\\')"
        " UNION ALL SELECT 'reads', name FROM reads.sqlite_master WHERE type = 'table'"
        " AND name NOT LIKE 'sqlite_%' ORDER BY 1, 2";
    db_stmt *st = sqs_prep_once(s, list, e);
    if (!st)
        return IOM_ESTORE;
    size_t cap = 0;
    iom_err err = IOM_OK;
    char **nv = NULL;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (*n == cap) {
            size_t c2 = cap ? cap * 2 : 64;
            char **nn = iom_arena_alloc(a, c2 * sizeof *nn);
            if (nv)
                memcpy(nn, nv, *n * sizeof *nn);
            nv = nn;
            cap = c2;
        }
        const char *db = (const char *)db_col_text(st, 0), *t = (const char *)db_col_text(st, 1);
        nv[(*n)++] = strcmp(db, "main") == 0 ? iom_arena_strdup(a, t) : iom_arena_printf(a, "%s.%s", db, t);
    }
    if (rc != DB_DONE)
        err = sqs_fail(s, e, "table list");
    sqs_finalize(st);
    int64_t *cv = iom_arena_alloc(a, (*n ? *n : 1) * sizeof *cv);
    for (size_t i = 0; i < *n && !err; i++) {
        char *q = sqlite3_mprintf("SELECT count(*) FROM %s", nv[i]); /* names from sqlite_master */
        if (!q || !(st = sqs_prep_once(s, q, e)))
            err = q ? IOM_ESTORE : iom_fail(e, IOM_ENOMEM, "row count: out of memory");
        else {
            cv[i] = db_step(st) == DB_ROW ? db_col_int64(st, 0) : -1;
            sqs_finalize(st);
        }
        sqlite3_free(q);
    }
    *names = nv;
    *counts = cv;
    return err;
}

/* ---- migration notes (store.h) ------------------------------------------------------- */

static void note_row(db_stmt *st, iom_arena *a, void *out)
{
    iom_audit_t *o = out;
    memset(o, 0, sizeof *o);
    o->seq = db_col_int64(st, 0);
    o->action = sqs_col_text(st, 1, a);
    o->object_ref = sqs_col_text(st, 2, a);
    o->before_json = sqs_col_text(st, 3, a);
    o->after_json = sqs_col_text(st, 4, a);
}

static iom_err sq_migration_notes(iom_store *is, iom_arena *a, iom_audit_t **out, size_t *n,
                                  iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "SELECT id, action, object_ref, before_json, after_json FROM "
                              "migration_note WHERE audited = 0 ORDER BY id";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    return sqs_collect(s, st, a, sizeof **out, note_row, (void **)out, n, e, "migration notes");
}

static iom_err sq_migration_note_done(iom_store *is, int64_t id, iom_error *e)
{
    sq_store *s = SQ(is);
    db_stmt *st = sqs_prep(s, "UPDATE migration_note SET audited = 1 WHERE id = ?1", e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, id);
    return sqs_step_done(s, st, e, "migration note");
}

static void ref_row(db_stmt *st, iom_arena *a, void *out)
{
    *(char **)out = sqs_col_text(st, 0, a);
}

static iom_err sq_agency_live_taskings(iom_store *is, const char *code, size_t max, iom_arena *a,
                                       char ***out, size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "SELECT t.ref FROM tasking t JOIN threat th ON th.id = t.threat_id JOIN agency o ON"
        " o.id = th.owner_id JOIN agency q ON q.id = t.requesting_agency_id WHERE (o.code = ?1 OR"
        " q.code = ?1) AND NOT (t.state = 'closed' OR t.state = 'rejected' OR t.state ="
        " 'declined' OR t.state = 'withdrawn') ORDER BY t.ref LIMIT ?2";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, code);
    db_bind_int64(st, 2, (int64_t)max);
    return sqs_collect(s, st, a, sizeof **out, ref_row, (void **)out, n, e, "live taskings");
}

static void holiday_row(db_stmt *st, iom_arena *a, void *out)
{
    iom_holiday_t *o = out;
    o->day = sqs_col_text(st, 0, a);
    o->name = sqs_col_text(st, 1, a);
}

static iom_err sq_holiday_list(iom_store *is, iom_arena *a, iom_holiday_t **out, size_t *n,
                               iom_error *e)
{
    sq_store *s = SQ(is);
    sq_acache *c = sqs_acache(s);
    if (sqs_acache_holidays(c, a, out, n))
        return IOM_OK;
    db_stmt *st = sqs_prep(s, "SELECT day, name FROM holiday ORDER BY day", e);
    if (!st)
        return IOM_ESTORE;
    iom_err err = sqs_collect(s, st, a, sizeof **out, holiday_row, (void **)out, n, e, "holidays");
    if (!err)
        sqs_acache_holidays_put(c, *out, *n);
    return err;
}

static iom_err sq_holiday_insert(iom_store *is, const iom_holiday_t *h, iom_error *e)
{
    sq_store *s = SQ(is);
    db_stmt *st = sqs_prep(s, "INSERT INTO holiday(day, name) VALUES (?1, ?2)", e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, h->day);
    sqs_bind_text(st, 2, h->name);
    iom_err err = sqs_step_done(s, st, e, "holiday");
    if (err == IOM_ECONFLICT)
        return iom_fail(e, IOM_ECONFLICT, "day: %s is already a bank holiday", h->day);
    return err;
}

static iom_err sq_holiday_delete(iom_store *is, const char *day, iom_error *e)
{
    sq_store *s = SQ(is);
    db_stmt *st = sqs_prep(s, "DELETE FROM holiday WHERE day = ?1", e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, day);
    iom_err err = sqs_step_done(s, st, e, "holiday");
    if (!err && db_changes(s) == 0)
        return iom_fail(e, IOM_ENOTFOUND, "holiday: %s is not a bank holiday", day);
    return err;
}

static iom_err sq_cache_epoch_jump(iom_store *is, iom_error *e)
{
    sq_store *s = SQ(is);
    int64_t jump = (int64_t)(((uint64_t)randombytes_uniform(1u << 16) << 32) | randombytes_random()) +
                   ((int64_t)1 << 32);
    db_stmt *st = sqs_prep(s, "UPDATE cache_epoch SET n = n + ?1 WHERE one = 1", e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, jump);
    return sqs_step_done(s, st, e, "cache epoch");
}

/* An embedded database is never unreachable: a failure is the file's or the request's. */
static bool sq_unreachable(iom_store *is)
{
    (void)is;
    return false;
}

const iom_store_ops sqlite_ops = {
    .version = IOM_STORE_OPS_VERSION,
    .threads_per_core = 1, /* in-process: a request keeps its core busy */
    .name = "sqlite",
    .close = sq_close,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .schema_version = sq_schema_version,
    .migrate = sq_migrate,
    .region_insert = sq_region_insert,
    .region_list = sq_region_list,
    .agency_insert = sq_agency_insert,
    .agency_get = sq_agency_get,
    .agency_list = sq_agency_list,
    .agency_update = sq_agency_update,
    .agency_move_members = sq_agency_move_members,
    .user_insert = sq_user_insert,
    .user_get = sq_user_get,
    .user_list = sq_user_list,
    .user_update = sq_user_update,
    .user_count_admins = sq_user_count_admins,
    .user_duties = sq_user_duties,
    .user_last_for = sq_user_last_for,
    .threat_insert = sq_threat_insert,
    .threat_get = sq_threat_get,
    .threat_list = sq_threat_list,
    .threat_update = sq_threat_update,
    .audit_head = sq_audit_head,
    .audit_append = sq_audit_append,
    .audit_scan = sq_audit_scan,
    .tasking = &sqlite_tasking_ops,
    .work = &sqlite_work_ops,
    .apmis = &sqlite_apmis_ops,
    .auth = &sqlite_auth_ops,
    .reads = &sqlite_reads_ops,
    .maintain = sq_maintain,
    .backup = sq_backup,
    .table_counts = sq_table_counts,
    .copy_to = sq_copy_to,
    .settings = &sqlite_settings_ops,
    .migration_notes = sq_migration_notes,
    .migration_note_done = sq_migration_note_done,
    .agency_live_taskings = sq_agency_live_taskings,
    .holiday_list = sq_holiday_list,
    .holiday_insert = sq_holiday_insert,
    .holiday_delete = sq_holiday_delete,
    .picture = &sqlite_picture_ops,
    .analysis = &sqlite_analysis_ops,
    .search = &sqlite_search_ops,
    .unreachable = sq_unreachable,
    .cache_epoch_jump = sq_cache_epoch_jump,
};

/* ---- open ----------------------------------------------------------------------------- */

/* iom_rank(search_fts): a search hit's rank, lowest first as bm25's, from the document and
   the query alone: Okapi BM25's term saturation (k1 1.2, b 0.75) over each phrase's
   occurrences in the row, its length against a fixed length (RANK_LEN tokens), and no inverse
   document frequency. bm25() weighs terms by how many documents of the whole index hold them
   and lengths by the index's mean, so documents a reader may not see moved the order of those
   it sees (review 72: 30 hidden items holding a word swapped two visible ones), telling how
   common a name or number is in other taskings. PostgreSQL's ts_rank_cd is likewise local to
   the document. */
#define RANK_K1 1.2
#define RANK_B 0.75
#define RANK_LEN 64.0
#define RANK_PHRASES 64

static void fn_iom_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *cx, int argc,
                        sqlite3_value **argv)
{
    (void)argc;
    (void)argv;
    int nphrase = api->xPhraseCount(fts), ninst = 0, len = 0;
    double tf[RANK_PHRASES] = {0};
    if (api->xInstCount(fts, &ninst) != SQLITE_OK || api->xColumnSize(fts, -1, &len) != SQLITE_OK) {
        sqlite3_result_error(cx, "iom_rank: the row's terms could not be read", -1);
        return;
    }
    for (int i = 0; i < ninst; i++) {
        int ip, ic, io;
        if (api->xInst(fts, i, &ip, &ic, &io) == SQLITE_OK && ip >= 0 && ip < RANK_PHRASES)
            tf[ip] += 1;
    }
    double norm = RANK_K1 * (1 - RANK_B + RANK_B * (double)len / RANK_LEN), score = 0;
    for (int p = 0; p < nphrase && p < RANK_PHRASES; p++)
        score += tf[p] * (RANK_K1 + 1) / (tf[p] + norm);
    sqlite3_result_double(cx, -score);
}

/* The FTS5 API of db (NULL when FTS5 is not built in). */
static fts5_api *fts5_api_of(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
        sqlite3_step(st);
    }
    sqlite3_finalize(st);
    return api;
}

/* iom_ref(prefix, id): a public reference, "<prefix>-<id with at least six digits>", e.g.
   iom_ref('SOC', 12) = 'SOC-000012'. The same function exists in the PostgreSQL schema
   (pg_migrations.c), so the store's SQL names references the same way on both. */
static void fn_iom_ref(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const unsigned char *prefix = sqlite3_value_text(argv[0]);
    if (!prefix || sqlite3_value_type(argv[1]) == SQLITE_NULL) {
        sqlite3_result_null(cx);
        return;
    }
    char out[96];
    int n = snprintf(out, sizeof out, "%s-%06lld", (const char *)prefix,
                     (long long)sqlite3_value_int64(argv[1]));
    if (n < 0 || (size_t)n >= sizeof out) {
        sqlite3_result_error(cx, "iom_ref: prefix too long", -1);
        return;
    }
    sqlite3_result_text(cx, out, n, SQLITE_TRANSIENT);
}

/* Creates the file with mode 0600 before SQLite opens it, so it never exists with looser
   permissions; WAL and SHM files inherit the database file's permissions. */
static iom_err create_private(const char *path, iom_error *e)
{
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return iom_fail(e, IOM_EIO, "database: cannot create '%s': %s", path, strerror(errno));
    close(fd);
    return IOM_OK;
}

/* The read chain's entries live in a file of their own beside the database, "<path>.reads"
   (mode 0600, WAL, synchronous=FULL), attached to every handle as schema `reads`. The read
   log's writer commits hundreds of batches a second; in the main file each commit made every
   other connection drop its page cache at its next read transaction (SQLite resets a pager
   whose WAL changed), so every content read re-read its pages (~12 pread64 each, measured
   with strace under bench_http). In a file of its own, the batches leave the main file and
   those caches alone. */
static iom_err attach_reads(sq_store *s, const char *path, iom_error *e)
{
    size_t n = strlen(path) + sizeof ".reads";
    char *rp = malloc(n);
    if (!rp)
        return iom_fail(e, IOM_ENOMEM, "database: out of memory");
    snprintf(rp, n, "%s.reads", path);
    struct stat sb;
    iom_err err = stat(rp, &sb) == 0 ? IOM_OK : create_private(rp, e);
    db_stmt *st = NULL;
    if (!err && !(st = sqs_prep_once(s, "ATTACH DATABASE ?1 AS reads", e)))
        err = IOM_ESTORE;
    if (!err) {
        sqs_bind_text(st, 1, rp);
        if (db_step(st) != DB_DONE)
            err = iom_fail(e, IOM_ESTORE, "read log '%s': %s", rp, sqlite3_errmsg(s->db));
    }
    sqs_finalize(st);
    free(rp);
    if (!err)
        err = sqs_exec(s, "PRAGMA reads.journal_mode = WAL; PRAGMA reads.synchronous = FULL;", e,
                       "read log settings");
    return err;
}

/* Statement journals are held in memory, never in a temporary file. A statement journal keeps
   the page images a statement inside a transaction needs to be undone alone: every INSERT into a
   table with a trigger has one (the id high-water marks of entity, link and dataset_record), and
   it holds the existing pages that statement changes (pages new in the transaction are not
   kept), so its size is bounded by what one statement touches, and it is emptied when the
   statement ends. SQLite's default keeps 64 KiB in memory and spills the first statement that
   touches more than 16 pages to a temporary file (in /var/tmp: page images of the database);
   every later statement of that transaction then writes its journal there: 1.2 million pwrite
   calls for one 33,000-record dataset import (docs/performance.md, "Statement journals in
   memory"). A larger finite threshold is no cure: SQLite allocates the in-memory journal in
   chunks of the threshold's size, one per statement. -1: always in memory, in 1 KiB chunks. */
#define STMT_JOURNAL_SPILL -1

static void library_config(void)
{
    /* Only before the library is initialised (the first connection): later it is refused with
       SQLITE_MISUSE, and the default stays. */
    (void)sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, STMT_JOURNAL_SPILL);
}

void sqs_library_init(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, library_config);
}

iom_err store_sqlite_open(const char *path, int flags, iom_store **out, iom_error *e)
{
    *out = NULL;
    sqs_library_init();
    struct stat sb;
    bool exists = stat(path, &sb) == 0;
    if (!exists && !(flags & IOM_STORE_CREATE))
        return iom_fail(e, IOM_ESCHEMA, "database '%s' does not exist: run `iom init` first", path);
    if (!exists) {
        iom_err err = create_private(path, e);
        if (err)
            return err;
    }
    sq_store *s = calloc(1, sizeof *s);
    if (!s)
        return iom_fail(e, IOM_ENOMEM, "database: out of memory");
    s->base.ops = &sqlite_ops;
    s->drv = &sqlite_driver;
    s->index_tasking = sqlite_search_tasking;
    s->path = strdup(path);
    s->gate = gate_get(path);
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        iom_err err = iom_fail(e, IOM_ESTORE, "database '%s': %s", path,
                               s->db ? sqlite3_errmsg(s->db) : "cannot open");
        sq_close(&s->base);
        return err;
    }
    sqlite3_busy_timeout(s->db, 5000);
    sqlite3_extended_result_codes(s->db, 1);
    /* Durability: WAL with synchronous=FULL (every commit is on disk when it returns).
       Speed without touching durability: a 64 MiB page cache per connection (the default
       2 MiB re-reads index pages of a large database on every transition), and a WAL
       checkpoint every 10,000 pages instead of 1,000, so a page changed by many commits
       in a row (the tail of the audit trail, a tasking's state index) is copied back to
       the database once, not once per 1,000 pages of WAL (bench/lifecycle). secure_delete:
       deleted content (a disposed intelligence item's key, app/seal.h) is overwritten with
       zeros, not left in free space. */
    /* Another program's database is not made ours: before anything is changed in it (WAL
       mode, the read log beside it), a file with tables, no iom schema version and no audit
       trail is refused
       (review 47: `init` and `demo` went on in such a file, and any command turned it to WAL
       and put a .reads file beside it). */
    {
        sqlite3_stmt *q = NULL;
        int foreign = 0;
        if (sqlite3_prepare_v2(s->db,
                               "SELECT (SELECT user_version FROM pragma_user_version) = 0 AND"
                               " EXISTS (SELECT 1 FROM sqlite_master WHERE name NOT LIKE 'sqlite_%')"
                               " AND NOT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'audit')",
                               -1, &q, NULL) == SQLITE_OK &&
            sqlite3_step(q) == SQLITE_ROW)
            foreign = sqlite3_column_int(q, 0);
        sqlite3_finalize(q);
        if (foreign) {
            iom_err ferr = iom_fail(e, IOM_ESCHEMA,
                                    "database '%s' is not an iom database: it holds tables of another "
                                    "program; nothing was changed in it", path);
            sq_close(&s->base);
            return ferr;
        }
    }
    iom_err err = sqlite3_create_function_v2(s->db, "iom_ref", 2,
                                             SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                             NULL, fn_iom_ref, NULL, NULL, NULL) == SQLITE_OK
                      ? IOM_OK
                      : sqs_fail(s, e, "database functions");
    if (!err) {
        fts5_api *fa = fts5_api_of(s->db);
        if (!fa || fa->xCreateFunction(fa, "iom_rank", NULL, fn_iom_rank, NULL) != SQLITE_OK)
            err = iom_fail(e, IOM_ESTORE, "database functions: SQLite's FTS5 full-text search is "
                                          "not available (iom_rank)");
    }
    if (!err)
        err = sqs_exec(s,
                       "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
                       "PRAGMA foreign_keys = ON; PRAGMA trusted_schema = OFF; "
                       "PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 10000; "
                       "PRAGMA secure_delete = ON;",
                       e, "database settings");
    /* The read log's writer commits hundreds of small batches a second: a checkpoint inside
       one of them (copying up to 40 MB back and syncing the database) stalled every read
       waiting on it (bench_http p99 ~0.5 s); its owner checkpoints on another handle. */
    if (!err && (flags & IOM_STORE_MAINTAIN_APART))
        err = sqs_exec(s, "PRAGMA wal_autocheckpoint = 0", e, "database settings");
    if (!err)
        err = attach_reads(s, path, e);
    int version = 0;
    if (!err)
        err = user_version(s, &version, e);
    if (!err && version >= 7) {
        /* A database of schema 7 whose read log file is missing or empty gets a new, empty
           one (reads verify reports the loss: schema_reads.c). */
        db_stmt *st = sqs_prep_once(s, "SELECT 1 FROM reads.sqlite_master WHERE name = 'read_log'", e);
        bool have = st && db_step(st) == DB_ROW;
        sqs_finalize(st);
        if (!have)
            err = sqs_exec(s, sqlite_reads_schema, e, "read log file");
    }
    if (err == IOM_ESTORE || err == IOM_EINVAL) {
        /* the cause copied first: it is the buffer the message is written to (review 47: a
           garbled "cannot be used: base") */
        char why[sizeof e->msg];
        snprintf(why, sizeof why, "%s", e ? e->msg : "");
        err = iom_fail(e, IOM_ESTORE, "database '%s' cannot be used: %s", path, why);
    }
    if (!err && !(flags & IOM_STORE_ANY_SCHEMA)) {
        int v = version;
        if (v == 0)
            err = iom_fail(e, IOM_ESCHEMA, "database '%s' is not initialised: run `iom init`", path);
        else if (v < sqlite_migration_count)
            err = iom_fail(e, IOM_ESCHEMA,
                           "database '%s' has schema version %d, older than this iom's %d: "
                           "run `iom migrate`",
                           path, v, sqlite_migration_count);
        else if (v > sqlite_migration_count)
            err = iom_fail(e, IOM_ESCHEMA,
                           "database '%s' has schema version %d, newer than this iom's %d: "
                           "use a newer iom",
                           path, v, sqlite_migration_count);
    }
    if (err) {
        sq_close(&s->base);
        return err;
    }
    s->acache_ok = !(flags & IOM_STORE_ANY_SCHEMA); /* at this binary's version: it has the epoch */
    *out = &s->base;
    return IOM_OK;
}
