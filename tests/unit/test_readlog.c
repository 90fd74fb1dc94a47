/*
 * The read chain (issue 14): content reads are logged in a keyed hash chain of their own.
 *
 *  - reads_leave_the_change_chain_alone: 10,000 reads (4 threads through the group-commit
 *    writer) leave the change chain's verify count exactly as it was; all 10,000 are in the
 *    read chain, which verifies, in fewer transactions than entries.
 *  - edited / deleted / reordered / spliced / appended / truncated read entries, an altered
 *    cut-over entry, a removed start and a lost read log file: each is named by the reads
 *    verify (app_audit_verify_reads), as an attacker with SQL access to the files would do it.
 *  - old_reads_then_new_reads: a database of schema 6 with reads in the change chain, migrated:
 *    the first read records the cut-over, `audit reads` lists the old entries then the new ones,
 *    paged across the boundary, and both chains verify.
 *  - cli_read_not_logged_shows_nothing: a store error while logging (CLI) exits 16 and prints
 *    no content; without the key the CLI refuses before reading.
 *  - checkpoint_lines: the read chain's checkpoint line and the refusal to mix the chains.
 */
#include "test_http_support.h"



#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <time.h>
#include <sqlite3.h>

#include "app/audit.h"
#include "app/readlog.h"
#include "store/reads_store.h"

static char *tasking_of(hworld *w)
{
    app_bid_input bid = {T_BID_ASSESS, .threat = w->threat, .ftm_date = "2026-05-28", .ftm_ref = "WY-FTM-1",
                         .summary = "Hand car washes run by one family",
                         .requirements = {"Who organises it?"}, .nrequirements = 1,
                         .services = {"intel_development"}, .nservices = 1};
    iom_tasking_t t;
    w->c.actor_name = "wy-spoc";
    hw_ok(w, app_tasking_new(&w->c, &bid, &t));
    return strdup(t.ref);
}

/* n reads of ref's full record by wy-spoc, each logged as a batch of one (no writer). */
static void reads(hworld *w, const char *ref, int n)
{
    w->c.actor_name = "wy-spoc";
    for (int i = 0; i < n; i++) {
        char purpose[32];
        snprintf(purpose, sizeof purpose, "read %d", i + 1);
        w->c.purpose = purpose;
        app_tasking_view v;
        hw_ok(w, app_tasking_show(&w->c, ref, &v));
    }
    w->c.purpose = NULL;
}

static iom_err verify_reads(hworld *w, const audit_checkpoint *cp, audit_verify_result *r)
{
    w->c.actor_name = "auditor";
    return app_audit_verify_reads(&w->c, cp, r);
}

static int64_t verify_changes(hworld *w)
{
    audit_verify_result r;
    w->c.actor_name = "auditor";
    hw_ok(w, app_audit_verify(&w->c, NULL, &r));
    return r.entries;
}

/* The reads verify fails with IOM_EINTEGRITY at read entry `bad`, its message holding needle. */
static void expect_reads_broken(hworld *w, const audit_checkpoint *cp, int64_t bad, const char *needle)
{
    audit_verify_result r;
    iom_err err = verify_reads(w, cp, &r);
    if (err != IOM_EINTEGRITY || r.first_bad != bad || !strstr(w->c.err.msg, needle))
        fprintf(stderr, "verify --reads: err %d, first_bad %lld, '%s' (wanted %lld, '%s')\n", err,
                (long long)r.first_bad, w->c.err.msg, (long long)bad, needle);
    assert_int_equal(err, IOM_EINTEGRITY);
    assert_int_equal(r.first_bad, bad);
    assert_non_null(strstr(w->c.err.msg, needle));
}

static void unlock_reads(hworld *w)
{
    assert_int_equal(t_db_exec(w->db, "DROP TRIGGER reads.read_log_no_update; DROP TRIGGER reads.read_log_no_delete;"
                                      "DROP TRIGGER read_chain_no_update; DROP TRIGGER read_chain_no_delete;"),
                     SQLITE_OK);
}

typedef struct fx {
    hworld *w;
    char *ref;
} fx;

/* A world with one tasking and 6 reads of it in the read chain. */
static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    f->w = hw_new(5);
    f->ref = tasking_of(f->w);
    reads(f->w, f->ref, 6);
    audit_verify_result r;
    hw_ok(f->w, verify_reads(f->w, NULL, &r));
    assert_int_equal(r.entries, 6);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    hw_free(f->w);
    free(f->ref);
    free(f);
    return 0;
}

/* ---- the change chain does not grow with reads ------------------------------------------- */

typedef struct reader {
    const char *db;
    const char *ref;
    const unsigned char *key;
    app_readlog *rl;
    int n;
    int failures;
} reader;

static void *read_many(void *arg)
{
    reader *rd = arg;
    iom_store *s = NULL;
    iom_error e = {0};
    if (iom_store_open(rd->db, 0, &s, &e)) {
        rd->failures = rd->n;
        return NULL;
    }
    iom_arena a;
    iom_arena_init(&a);
    iom_ctx c;
    app_ctx_init(&c, s, &a);
    c.via = "http";
    c.os_user = "readlog-test";
    memcpy(c.audit_key, rd->key, IOM_AUDIT_KEY_BYTES);
    c.has_audit_key = true;
    c.actor_name = "wy-spoc";
    c.readlog = rd->rl; /* through the writer, each read waiting for its entry */
    for (int i = 0; i < rd->n; i++) {
        app_tasking_view v;
        if (app_tasking_show(&c, rd->ref, &v) != IOM_OK)
            rd->failures++;
        if (i % 100 == 99)
            iom_arena_free(&a);
    }
    iom_arena_free(&a);
    iom_store_close(s);
    return NULL;
}

/* `threads` threads each read the fixture's tasking `each` times through the writer rl; every
   read succeeds. */
static void read_through(fx *f, app_readlog *rl, int threads, int each)
{
    hworld *w = f->w;
    reader rd[8];
    pthread_t th[8];
    assert_true(threads <= 8);
    for (int i = 0; i < threads; i++) {
        rd[i] = (reader){w->db, f->ref, w->c.audit_key, rl, each, 0};
        assert_int_equal(pthread_create(&th[i], NULL, read_many, &rd[i]), 0);
    }
    for (int i = 0; i < threads; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(rd[i].failures, 0);
    }
}

static void reads_leave_the_change_chain_alone(void **state)
{
    fx *f = *state;
    hworld *w = f->w;
    int64_t changes = verify_changes(w);
    app_readlog_config cfg = {.db_path = w->db, .audit_key = w->c.audit_key};
    app_readlog *rl;
    iom_error e = {0};
    assert_int_equal(app_readlog_start(&cfg, &rl, &e), IOM_OK);
    enum { THREADS = 4, EACH = 2500 };
    read_through(f, rl, THREADS, EACH);
    uint64_t batches, entries;
    app_readlog_stats(rl, &batches, &entries, NULL);
    app_readlog_free(rl);
    fprintf(stderr, "10,000 reads: %llu entries in %llu transactions\n", (unsigned long long)entries,
            (unsigned long long)batches);
    assert_int_equal(entries, THREADS * EACH);
    assert_true(batches <= entries);
    /* The change chain: the same number of entries checked. */
    assert_int_equal(verify_changes(w), changes);
    char *q = t_fmt("SELECT count(*) FROM audit WHERE action = 'tasking.read'");
    assert_int_equal(t_db_scalar(w->db, q), 0);
    free(q);
    /* The read chain: every read, intact. */
    audit_verify_result r;
    hw_ok(w, verify_reads(w, NULL, &r));
    assert_int_equal(r.entries, 6 + THREADS * EACH);
}

/* The read log's WAL under a steady flood of reads: the writer checkpoints it between two
 * batches, so SQLite starts it over instead of growing it. Before, the keeper's checkpoints
 * ran beside the appending writer, never caught up with the WAL's end, and the WAL grew by
 * every batch (660 MB in 20 s of wrk). */
typedef struct wal_watch {
    const char *path;
    atomic_bool stop;
    long long max;
} wal_watch;

static void *watch_wal(void *arg)
{
    wal_watch *ww = arg;
    while (!atomic_load(&ww->stop)) {
        struct stat st;
        if (stat(ww->path, &st) == 0 && st.st_size > ww->max)
            ww->max = st.st_size;
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    return NULL;
}

static void read_log_wal_does_not_grow(void **state)
{
    fx *f = *state;
    hworld *w = f->w;
    if (t_pg())
        skip(); /* PostgreSQL keeps its own WAL (max_wal_size) */
    app_readlog_config cfg = {.db_path = w->db, .audit_key = w->c.audit_key};
    app_readlog *rl;
    iom_error e = {0};
    assert_int_equal(app_readlog_start(&cfg, &rl, &e), IOM_OK);
    wal_watch ww = {.path = t_fmt("%s.reads-wal", w->db)};
    pthread_t wt;
    assert_int_equal(pthread_create(&wt, NULL, watch_wal, &ww), 0);
    enum { THREADS = 4, EACH = 2500 };
    read_through(f, rl, THREADS, EACH);
    uint64_t batches, entries;
    app_readlog_stats(rl, &batches, &entries, NULL);
    atomic_store(&ww.stop, true);
    pthread_join(wt, NULL);
    app_readlog_free(rl);
    fprintf(stderr, "%llu entries in %llu batches: the read log's WAL at most %lld bytes\n",
            (unsigned long long)entries, (unsigned long long)batches, ww.max);
    /* 256 batches between checkpoints, each a few 4 KiB frames: a few MB. Growing, the WAL
       reached that after a few hundred batches of the thousands written here. */
    assert_true(batches >= 1000);
    assert_true(ww.max < 12 * 1024 * 1024);
    free((char *)ww.path);
}

/* ---- tampering ------------------------------------------------------------------------------ */

static void edited_read_entry_is_named(void **state)
{
    fx *f = *state;
    /* The entry as docs/api.md gives it (written as text directly by the tasking read). */
    char *q = t_fmt("SELECT after_json = '{\"read\":{\"ref\":\"%s\",\"version\":1},"
                    "\"justification\":null,\"purpose\":\"read 3\"}' AND action = 'tasking.read' "
                    "AND actor = 'wy-spoc' AND object_ref = '%s' FROM read_log WHERE seq = 3",
                    f->ref, f->ref);
    assert_int_equal(t_db_scalar(f->w->db, q), 1);
    free(q);
    unlock_reads(f->w);
    assert_int_equal(t_db_exec(f->w->db, "UPDATE read_log SET after_json = replace(after_json, "
                                         "'read 3', 'nothing to see') WHERE seq = 3"),
                     SQLITE_OK);
    expect_reads_broken(f->w, NULL, 3, "entry 3 (tasking.read");
    /* Each other input of the MAC too: the reader, the time, the object. */
    assert_int_equal(t_db_exec(f->w->db, "UPDATE read_log SET after_json = replace(after_json, "
                                         "'nothing to see', 'read 3') WHERE seq = 3;"
                                         "UPDATE read_log SET actor = 'met-spoc' WHERE seq = 5"),
                     SQLITE_OK);
    expect_reads_broken(f->w, NULL, 5, "entry 5");
    assert_int_equal(t_db_exec(f->w->db, "UPDATE read_log SET actor = 'wy-spoc' WHERE seq = 5;"
                                         "UPDATE read_log SET at = at - 86400 WHERE seq = 2"),
                     SQLITE_OK);
    expect_reads_broken(f->w, NULL, 2, "entry 2");
    /* Put back: intact again (the test's edits were the only change). */
    assert_int_equal(t_db_exec(f->w->db, "UPDATE read_log SET at = at + 86400 WHERE seq = 2"), SQLITE_OK);
    audit_verify_result r;
    hw_ok(f->w, verify_reads(f->w, NULL, &r));
}

static void deleted_read_entry_is_named(void **state)
{
    fx *f = *state;
    unlock_reads(f->w);
    assert_int_equal(t_db_exec(f->w->db, "DELETE FROM read_log WHERE seq = 4"), SQLITE_OK);
    expect_reads_broken(f->w, NULL, 4, "entry 4 is missing");
    /* Renumbering the rest to close the gap does not hide it: entry 4 is not chained to 3. */
    assert_int_equal(t_db_exec(f->w->db, "UPDATE read_log SET seq = seq - 1 WHERE seq > 4"), SQLITE_OK);
    expect_reads_broken(f->w, NULL, 4, "does not match its keyed hash");
}

static void reordered_read_entries_are_named(void **state)
{
    fx *f = *state;
    unlock_reads(f->w);
    assert_int_equal(t_db_exec(f->w->db, "UPDATE read_log SET seq = -2 WHERE seq = 2;"
                                         "UPDATE read_log SET seq = 2 WHERE seq = 3;"
                                         "UPDATE read_log SET seq = 3 WHERE seq = -2;"),
                     SQLITE_OK);
    expect_reads_broken(f->w, NULL, 2, "entry 2");
}

static void spliced_read_entries_are_named(void **state)
{
    fx *f = *state;
    hworld *w = f->w;
    unlock_reads(w);
    /* An entry of the change chain (keyed with the audit key, chained there) copied over read
       entry 3. */
    assert_int_equal(t_db_exec(w->db, "UPDATE read_log SET (at, actor, os_user, via, action, "
                                      "object_ref, after_json, hash) = (SELECT at, actor, os_user, "
                                      "via, action, object_ref, after_json, hash FROM main.audit "
                                      "WHERE seq = 3) WHERE seq = 3"),
                     SQLITE_OK);
    expect_reads_broken(w, NULL, 3, "entry 3");
}

static void appended_copy_is_named(void **state)
{
    fx *f = *state;
    unlock_reads(f->w);
    /* A copy of entry 2 added as entry 7: a read that never happened. */
    assert_int_equal(t_db_exec(f->w->db, "INSERT INTO read_log SELECT 7, at, actor, os_user, via, "
                                         "action, object_ref, after_json, hash FROM read_log WHERE seq = 2"),
                     SQLITE_OK);
    expect_reads_broken(f->w, NULL, 7, "entry 7");
}

static void truncated_tail_needs_a_checkpoint(void **state)
{
    fx *f = *state;
    hworld *w = f->w;
    audit_checkpoint cp;
    w->c.actor_name = "auditor";
    hw_ok(w, app_audit_checkpoint_reads(&w->c, &cp));
    assert_true(cp.reads);
    assert_int_equal(cp.seq, 6);
    audit_verify_result r;
    hw_ok(w, verify_reads(w, &cp, &r));
    reads(w, f->ref, 2); /* the chain goes on past its checkpoint */
    hw_ok(w, verify_reads(w, &cp, &r));
    assert_int_equal(r.entries, 8);
    unlock_reads(w);
    assert_int_equal(t_db_exec(w->db, "DELETE FROM read_log WHERE seq >= 5"), SQLITE_OK);
    hw_ok(w, verify_reads(w, NULL, &r)); /* a cut tail alone still forms a chain... */
    expect_reads_broken(w, &cp, 5, "truncated"); /* ...the checkpoint names the cut */
}

static void start_altered_or_removed_is_named(void **state)
{
    fx *f = *state;
    hworld *w = f->w;
    assert_int_equal(t_db_exec(w->db, "DROP TRIGGER audit_no_update"), SQLITE_OK);
    /* The entry the read chain starts at (entry 1 of a database made by init) altered. */
    assert_int_equal(t_db_exec(w->db, "UPDATE audit SET os_user = 'someone' WHERE seq = 1"), SQLITE_OK);
    expect_reads_broken(w, NULL, 1, "starts at change entry 1, which is altered");
    assert_int_equal(t_db_exec(w->db, "UPDATE audit SET os_user = 'http-test' WHERE seq = 1"), SQLITE_OK);
    audit_verify_result r;
    hw_ok(w, verify_reads(w, NULL, &r));
    /* The whole read chain and its start removed: the change chain still says it began. */
    unlock_reads(w);
    assert_int_equal(t_db_exec(w->db, "DELETE FROM read_log; DELETE FROM read_chain;"), SQLITE_OK);
    expect_reads_broken(w, NULL, 1, "started the read chain");
}

/* The main file copied or restored without its read log file (<db>.reads): the server works
   on (a new, empty read log) but the reads verify names the loss. */
static void read_log_file_lost_is_named(void **state)
{
    if (t_pg()) {
        print_message("skipped on PostgreSQL: the read log is a table of the database there, not a file that can be lost apart\n");
        skip();
    }
    fx *f = *state;
    hworld *w = f->w;
    http_server_stop(w->srv);
    w->srv = NULL;
    iom_store_close(w->store);
    w->store = NULL;
    const char *const sfx[] = {".reads", ".reads-wal", ".reads-shm"};
    for (int i = 0; i < 3; i++) {
        char *p = t_fmt("%s%s", w->db, sfx[i]);
        unlink(p);
        free(p);
    }
    iom_error e = {0};
    assert_int_equal(iom_store_open(w->db, 0, &w->store, &e), IOM_OK);
    w->c.store = w->store;
    expect_reads_broken(w, NULL, 1, "not the one the read chain was started in");
    reads(w, f->ref, 2); /* reads are still logged, and still refused to verify */
    expect_reads_broken(w, NULL, 1, "replaced or lost");
    assert_int_equal(t_db_scalar(w->db, "SELECT count(*) FROM read_log"), 2);
}

/* ---- a database with reads in the change chain, migrated --------------------------------- */

static void reopen(hworld *w)
{
    iom_store_close(w->store);
    iom_error e = {0};
    assert_int_equal(iom_store_open(w->db, IOM_STORE_ANY_SCHEMA, &w->store, &e), IOM_OK);
    w->c.store = w->store;
}

static void old_reads_then_new_reads(void **state)
{
    if (t_pg()) {
        print_message("skipped on PostgreSQL: PostgreSQL starts at schema 15: no database of schema 6 exists there\n");
        skip();
    }
    fx *f = *state;
    hworld *w = f->w;
    http_server_stop(w->srv);
    w->srv = NULL;
    /* Back to schema 6: no read chain; reads were change entries then. */
    unlock_reads(w);
    assert_int_equal(t_db_exec(w->db, "DROP TABLE reads.read_log; DROP TABLE read_chain; " T_UNDO_MIGRATION_8 "PRAGMA user_version = 6;"),
                     SQLITE_OK);
    reopen(w);
    w->c.actor_name = "wy-spoc";
    for (int i = 1; i <= 2; i++) { /* as the code before issue 14 wrote them */
        hw_ok(w, app_begin(&w->c, true));
        hw_ok(w, app_actor(&w->c));
        char *j = t_fmt("{\"read\":{\"ref\":\"%s\",\"version\":1},\"justification\":null,"
                        "\"purpose\":\"old read %d\"}", f->ref, i);
        hw_ok(w, audit_record(&w->c, "tasking.read", f->ref, NULL, j));
        free(j);
        hw_ok(w, app_end(&w->c, IOM_OK));
    }
    int from, to;
    iom_error e = {0};
    assert_int_equal(w->store->ops->migrate(w->store, &from, &to, &e), IOM_OK);
    assert_int_equal(from, 6);
    reopen(w);
    int64_t changes = verify_changes(w);
    reads(w, f->ref, 3); /* the first records the cut-over */
    assert_int_equal(verify_changes(w), changes + 1);
    assert_int_equal(t_db_scalar(w->db, "SELECT count(*) FROM audit WHERE action = 'audit.read_chain_start'"), 1);
    bool started;
    hw_ok(w, app_audit_reads_start(&w->c, &started));
    assert_false(started);
    reads(w, f->ref, 1);
    assert_int_equal(verify_changes(w), changes + 1);
    audit_verify_result r;
    hw_ok(w, verify_reads(w, NULL, &r));
    assert_int_equal(r.entries, 4);

    /* `audit reads`: the old entries (change chain) then the new ones, in order. */
    static const char *const want[] = {"old read 1", "old read 2", "read 1", "read 2", "read 3", "read 1"};
    w->c.actor_name = "auditor";
    app_audit_reads_query q = {.object = f->ref};
    iom_audit_t *v;
    size_t n;
    const char *next;
    hw_ok(w, app_audit_reads(&w->c, &q, &v, &n, &next));
    assert_int_equal(n, 6);
    assert_null(next);
    for (size_t i = 0; i < n; i++) {
        json_t *j = json_of_read_entry(&v[i]);
        assert_string_equal(json_string_value(json_object_get(j, "purpose")), want[i]);
        assert_string_equal(json_string_value(json_object_get(j, "chain")), i < 2 ? "changes" : "reads");
        json_decref(j);
    }
    /* Page by page across the boundary, without a filter. */
    size_t seen = 0;
    char cursor[32] = "";
    do {
        app_audit_reads_query p = {.limit = 1, .after = cursor[0] ? cursor : NULL};
        hw_ok(w, app_audit_reads(&w->c, &p, &v, &n, &next));
        assert_int_equal(n, 1);
        json_t *j = json_of_read_entry(&v[0]);
        assert_string_equal(json_string_value(json_object_get(j, "purpose")), want[seen]);
        json_decref(j);
        seen++;
        snprintf(cursor, sizeof cursor, "%s", next ? next : "");
        if (seen == 3)
            assert_string_equal(next, "r1");
    } while (cursor[0]);
    assert_int_equal(seen, 6);
    /* Newest first, page by page: the read chain from its newest entry, then the change
       chain's reads from the cut-over down (review 109 M9). */
    seen = 0;
    cursor[0] = 0;
    do {
        app_audit_reads_query p = {.limit = 2, .newest = true, .after = cursor[0] ? cursor : NULL};
        hw_ok(w, app_audit_reads(&w->c, &p, &v, &n, &next));
        assert_true(n >= 1 && n <= 2);
        for (size_t i = 0; i < n; i++) {
            json_t *j = json_of_read_entry(&v[i]);
            assert_string_equal(json_string_value(json_object_get(j, "purpose")), want[5 - seen]);
            assert_string_equal(json_string_value(json_object_get(j, "chain")), 5 - seen < 2 ? "changes" : "reads");
            json_decref(j);
            seen++;
        }
        if (seen == 4)
            assert_string_equal(next, "r1");
        snprintf(cursor, sizeof cursor, "%s", next ? next : "");
    } while (cursor[0]);
    assert_int_equal(seen, 6);
    /* By action: the reads of both chains are tasking.read; none was refused. */
    app_audit_reads_query by = {.action = "tasking.read", .newest = true};
    hw_ok(w, app_audit_reads(&w->c, &by, &v, &n, &next));
    assert_int_equal(n, 6);
    by.action = "access.refused";
    hw_ok(w, app_audit_reads(&w->c, &by, &v, &n, &next));
    assert_int_equal(n, 0);
    by.action = "tasking.create"; /* a change, not a read: named */
    assert_int_equal(app_audit_reads(&w->c, &by, &v, &n, &next), IOM_EINVAL);
    assert_non_null(strstr(w->c.err.msg, "access.refused"));
    app_audit_reads_query bad = {.after = "r-1"};
    assert_int_equal(app_audit_reads(&w->c, &bad, &v, &n, &next), IOM_EINVAL);
}

/* A migrated database records the cut-over at once with app_audit_reads_start. */
static void reads_start_records_the_cut_over(void **state)
{
    /* SQLite's own migration path: a read chain that has not started exists only in a database
       migrated from before schema 7 (`iom init` anchors the chain at its first entry on both
       back-ends: app/agency.c). PostgreSQL starts at a baseline schema 15, so no database of
       schema 6 exists there, and the SQL below (SQLite's triggers) has nothing to undo. */
    if (t_pg()) {
        print_message("skipped on PostgreSQL: PostgreSQL starts at schema 15: no database of schema 6 exists there\n");
        skip();
    }
    fx *f = *state;
    hworld *w = f->w;
    http_server_stop(w->srv);
    w->srv = NULL;
    unlock_reads(w);
    assert_int_equal(t_db_exec(w->db, "DROP TABLE reads.read_log; DROP TABLE read_chain; " T_UNDO_MIGRATION_8 "PRAGMA user_version = 6;"),
                     SQLITE_OK);
    reopen(w);
    int from, to;
    iom_error e = {0};
    assert_int_equal(w->store->ops->migrate(w->store, &from, &to, &e), IOM_OK);
    reopen(w);
    int64_t changes = verify_changes(w);
    bool started;
    hw_ok(w, app_audit_reads_start(&w->c, &started));
    assert_true(started);
    assert_int_equal(verify_changes(w), changes + 1);
    reads(w, f->ref, 2);
    assert_int_equal(verify_changes(w), changes + 1);
    audit_verify_result r;
    hw_ok(w, verify_reads(w, NULL, &r));
    assert_int_equal(r.entries, 2);
}

/* ---- the CLI ------------------------------------------------------------------------------- */

static void cli_read_not_logged_shows_nothing(void **state)
{
    fx *f = *state;
    hworld *w = f->w;
    t_result r = t_runv(NULL, "--db", w->db, "--as", "wy-spoc", "tasking", "show", f->ref, NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "Hand car washes"));
    t_result_free(&r);
    long long before = t_db_scalar(w->db, "SELECT count(*) FROM read_log");
    /* A store error while writing the entry (as a full disk would be). */
    assert_int_equal(t_db_exec(w->db, "CREATE TRIGGER reads.full BEFORE INSERT ON read_log BEGIN "
                                      "SELECT RAISE(ABORT, 'database or disk is full'); END;"),
                     SQLITE_OK);
    r = t_runv(NULL, "--db", w->db, "--as", "wy-spoc", "tasking", "show", f->ref, NULL);
    assert_int_equal(r.status, 16); /* IOM_EUNAVAILABLE */
    assert_string_equal(r.out, "");
    assert_non_null(strstr(r.err, "read log"));
    assert_null(strstr(r.err, "Hand car washes"));
    t_result_free(&r);
    r = t_runv(NULL, "--db", w->db, "--as", "wy-spoc", "--json", "tasking", "history", f->ref, NULL);
    assert_int_equal(r.status, 16);
    assert_string_equal(r.out, "");
    t_result_free(&r);
    assert_int_equal(t_db_scalar(w->db, "SELECT count(*) FROM read_log"), before);
    assert_int_equal(t_db_exec(w->db, "DROP TRIGGER full"), SQLITE_OK);
    /* The key unreadable: refused before anything is read. */
    char *key = t_fmt("%s.key", w->db), *moved = t_fmt("%s.moved", key);
    assert_int_equal(rename(key, moved), 0);
    r = t_runv(NULL, "--db", w->db, "--as", "wy-spoc", "tasking", "show", f->ref, NULL);
    assert_int_not_equal(r.status, 0);
    assert_string_equal(r.out, "");
    t_result_free(&r);
    assert_int_equal(rename(moved, key), 0);
    free(key);
    free(moved);
    assert_int_equal(t_db_scalar(w->db, "SELECT count(*) FROM read_log"), before);
}

static void checkpoint_lines(void **state)
{
    (void)state;
    audit_checkpoint cp;
    iom_error e = {0};
    char h[65];
    memset(h, 'a', 64);
    h[64] = '\0';
    char *line = t_fmt("iom-read-checkpoint seq=12 hash=%s\n", h);
    assert_int_equal(audit_checkpoint_parse(line, &cp, &e), IOM_OK);
    assert_true(cp.reads);
    assert_int_equal(cp.seq, 12);
    free(line);
    line = t_fmt("iom-audit-checkpoint seq=3 hash=%s", h);
    assert_int_equal(audit_checkpoint_parse(line, &cp, &e), IOM_OK);
    assert_false(cp.reads);
    free(line);
    assert_int_equal(audit_checkpoint_parse("iom-read-checkpoint seq=0 hash=", &cp, &e), IOM_OK);
    assert_true(cp.reads && cp.seq == 0);
    assert_int_equal(audit_checkpoint_parse("iom-audit-checkpoint seq=0 hash=", &cp, &e), IOM_EINVAL);
    assert_int_equal(audit_checkpoint_parse("iom-read-checkpoint seq=2 hash=", &cp, &e), IOM_EINVAL);
    assert_int_equal(audit_checkpoint_parse("iom-other-checkpoint seq=2 hash=", &cp, &e), IOM_EINVAL);
    /* review 83 M2: seq 0 of the audit chain with a hash "matched" any head; a seq past
       INT64_MAX was read as the largest and reported as tampering; junk after the hash, a
       sign or leading zeros were taken */
    const char *bad[] = {"iom-audit-checkpoint seq=0 hash=%s", "iom-read-checkpoint seq=0 hash=%s",
                         "iom-audit-checkpoint seq=99999999999999999999 hash=%s",
                         "iom-audit-checkpoint seq=+339 hash=%s", "iom-audit-checkpoint seq=00000339 hash=%s",
                         "iom-audit-checkpoint seq=-1 hash=%s", "iom-audit-checkpoint seq=339 hash=%sdeadbeef",
                         "iom-audit-checkpoint seq=339 hash=%s trailing junk", "iom-audit-checkpoint seq=339hash=%s",
                         "iom-audit-checkpoint seq=339 hash=%.63s"};
    const char *why[] = {"seq 0 names no entry", "seq 0 names the empty read chain", "seq must be a whole number",
                         "seq must be a whole number", "seq must be a whole number", "seq must be a whole number",
                         "must be 64 lower-case hex", "unexpected text after the hash: ' trailing junk'",
                         "expected a line", "must be 64 lower-case hex"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        line = t_fmt(bad[i], h);
        memset(&cp, 0, sizeof cp);
        assert_int_equal(audit_checkpoint_parse(line, &cp, &e), IOM_EINVAL);
        if (!strstr(e.msg, why[i]))
            fprintf(stderr, "%s: '%s' lacks '%s'\n", line, e.msg, why[i]);
        assert_non_null(strstr(e.msg, why[i]));
        free(line);
    }
    /* the longest seq taken, and a line with its newline and blanks around */
    line = t_fmt("  iom-audit-checkpoint seq=999999999999999999 hash=%s \r\n", h);
    assert_int_equal(audit_checkpoint_parse(line, &cp, &e), IOM_OK);
    assert_int_equal(cp.seq, 999999999999999999LL);
    assert_string_equal(cp.hash, h);
    free(line);
}

static void chains_refuse_each_others_checkpoint(void **state)
{
    fx *f = *state;
    hworld *w = f->w;
    audit_checkpoint changes_cp, reads_cp;
    w->c.actor_name = "auditor";
    hw_ok(w, app_audit_checkpoint(&w->c, &changes_cp));
    hw_ok(w, app_audit_checkpoint_reads(&w->c, &reads_cp));
    audit_verify_result r;
    assert_int_equal(verify_reads(w, &changes_cp, &r), IOM_EINVAL);
    w->c.actor_name = "auditor";
    assert_int_equal(app_audit_verify(&w->c, &reads_cp, &r), IOM_EINVAL);
    /* Only auditors and admins verify. */
    w->c.actor_name = "wy-spoc";
    assert_int_equal(app_audit_verify_reads(&w->c, NULL, &r), IOM_EFORBIDDEN);
}


/* ---- a batch holds back no change; batches of two handles chain one after the other ------ */

static double t_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A read batch is open on a handle of its own (SQLite: the write lock of <db>.reads alone):
   a change on the main file goes through at once instead of waiting for the batch, and the
   batch, committed after it, is in the read chain (on PostgreSQL the batch alone). */
static void a_batch_holds_back_no_change(void **state)
{
    fx *f = *state;
    hworld *w = f->w;
    iom_store *b = NULL;
    iom_error e = {0};
    assert_int_equal(iom_store_open(w->db, 0, &b, &e), IOM_OK);
    assert_non_null(b->ops->reads->begin_batch);
    assert_int_equal(b->ops->reads->begin_batch(b, &e), IOM_OK);
    iom_read_chain_t ch;
    assert_int_equal(b->ops->reads->chain(b, &ch, &e), IOM_OK);
    assert_true(ch.started);
    assert_int_equal(ch.head_seq, 6);
    /* a change meanwhile: the tasking withdrawn (its state and the change chain in the main
       file), at once, not after a busy wait of up to 5 s behind the batch */
    if (!t_pg()) { /* PostgreSQL: every write transaction, a batch's too, takes the one
                      advisory lock (docs/serve.md): the change would wait for the commit */
        double t0 = t_now();
        w->c.actor_name = "wy-spoc";
        iom_tasking_t t;
        app_act_input why = {.reason = "no longer needed"};
        hw_ok(w, app_tasking_act(&w->c, f->ref, IOM_TA_WITHDRAW, &why, 0, &t));
        assert_true(t_now() - t0 < 1.0);
    }
    /* the batch goes on from the head it holds */
    iom_audit_t en = {.seq = ch.head_seq + 1, .at = 1780000000, .actor = "wy-spoc",
                      .os_user = "readlog-test", .via = "test", .action = "tasking.read",
                      .object_ref = f->ref, .after_json = "{\"purpose\":\"beside a change\"}"};
    unsigned char rkey[IOM_AUDIT_KEY_BYTES];
    audit_read_key(w->c.audit_key, rkey);
    audit_entry_hash(rkey, ch.head_hash, &en, en.hash);
    en.in_read_chain = true;
    assert_int_equal(b->ops->reads->append(b, &en, 1, &e), IOM_OK);
    assert_int_equal(b->ops->commit(b, &e), IOM_OK);
    iom_store_close(b);
    audit_verify_result r;
    hw_ok(w, verify_reads(w, NULL, &r));
    assert_int_equal(r.entries, 7);
}

typedef struct batcher {
    const char *db;
    const unsigned char *key;
    char *ref;
    int n, failures;
} batcher;

/* n batches of 3 entries written straight with app_readlog_write on a handle of its own. */
static void *write_batches(void *arg)
{
    batcher *bt = arg;
    iom_store *s = NULL;
    iom_error e = {0};
    if (iom_store_open(bt->db, 0, &s, &e)) {
        bt->failures = bt->n;
        return NULL;
    }
    for (int i = 0; i < bt->n; i++) {
        iom_audit_t v[3];
        for (int k = 0; k < 3; k++)
            v[k] = (iom_audit_t){.at = 1780000000 + i, .actor = "wy-spoc", .os_user = "readlog-test",
                                 .via = "test", .action = "tasking.read", .object_ref = bt->ref,
                                 .after_json = "{\"purpose\":\"two writers\"}"};
        if (app_readlog_write(s, bt->key, v, 3, &e) != IOM_OK) {
            fprintf(stderr, "batch: %s\n", e.msg);
            bt->failures++;
        }
    }
    iom_store_close(s);
    return NULL;
}

/* Two handles (two servers, or a server and the CLI) write batches at once: the read log's
   lock orders them, each batch chained to the head the other left, and the chain verifies. */
static void two_writers_make_one_chain(void **state)
{
    fx *f = *state;
    hworld *w = f->w;
    enum { EACH = 150 };
    batcher bt[2];
    pthread_t th[2];
    for (int i = 0; i < 2; i++) {
        bt[i] = (batcher){w->db, w->c.audit_key, f->ref, EACH, 0};
        assert_int_equal(pthread_create(&th[i], NULL, write_batches, &bt[i]), 0);
    }
    for (int i = 0; i < 2; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(bt[i].failures, 0);
    }
    audit_verify_result r;
    hw_ok(w, verify_reads(w, NULL, &r));
    assert_int_equal(r.entries, 6 + 2 * EACH * 3);
}

/* Batches of every size a busy server makes (a batch goes in multi-row statements of 32, 8
   and 1 entries): 1, 7, 8, 31, 32, 33, 45, 64, 100 and 1024 entries, each chained and verified.
   The 32-row statement's text once outgrew its buffer (`prepare: incomplete input` on every
   batch of 32 or more, seen by bench_http's logged read under load). */
static void batches_of_every_size(void **state)
{
    fx *f = *state;
    hworld *w = f->w;
    static const int sizes[] = {1, 7, 8, 31, 32, 33, 45, 64, 100, 1024};
    iom_store *s = NULL;
    iom_error e = {0};
    assert_int_equal(iom_store_open(w->db, 0, &s, &e), IOM_OK);
    iom_audit_t *v = calloc(1024, sizeof *v);
    assert_non_null(v);
    int total = 0;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        for (int k = 0; k < sizes[i]; k++)
            v[k] = (iom_audit_t){.at = 1780000000 + k, .actor = "wy-spoc", .os_user = "readlog-test",
                                 .via = "test", .action = "tasking.read", .object_ref = f->ref,
                                 .after_json = "{\"purpose\":\"a batch\"}"};
        if (app_readlog_write(s, w->c.audit_key, v, (size_t)sizes[i], &e) != IOM_OK)
            fprintf(stderr, "batch of %d: %s\n", sizes[i], e.msg);
        assert_int_equal(e.code, IOM_OK);
        total += sizes[i];
    }
    free(v);
    iom_store_close(s);
    audit_verify_result r;
    hw_ok(w, verify_reads(w, NULL, &r));
    assert_int_equal(r.entries, 6 + total);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(checkpoint_lines),
        cmocka_unit_test_setup_teardown(reads_leave_the_change_chain_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(read_log_wal_does_not_grow, setup, teardown),
        cmocka_unit_test_setup_teardown(edited_read_entry_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(deleted_read_entry_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(reordered_read_entries_are_named, setup, teardown),
        cmocka_unit_test_setup_teardown(spliced_read_entries_are_named, setup, teardown),
        cmocka_unit_test_setup_teardown(appended_copy_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(truncated_tail_needs_a_checkpoint, setup, teardown),
        cmocka_unit_test_setup_teardown(start_altered_or_removed_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(read_log_file_lost_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(old_reads_then_new_reads, setup, teardown),
        cmocka_unit_test_setup_teardown(reads_start_records_the_cut_over, setup, teardown),
        cmocka_unit_test_setup_teardown(cli_read_not_logged_shows_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(chains_refuse_each_others_checkpoint, setup, teardown),
        cmocka_unit_test_setup_teardown(a_batch_holds_back_no_change, setup, teardown),
        cmocka_unit_test_setup_teardown(two_writers_make_one_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(batches_of_every_size, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
