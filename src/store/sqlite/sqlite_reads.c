/* The read chain in SQLite (store/reads_store.h; tables of migration 7: the start in the main
   file, the entries in the attached file `reads`). The write transaction of a batch
   (begin_batch: sqs_begin_reads_batch) takes the write lock of the file `reads` before `chain`
   reads the head, which therefore cannot move before the batch commits; it does not lock the
   main file, so changes go on beside it. A commit is atomic
   per file only (WAL), so no transaction writes both files' tables of the chain: the cut-over
   (main) is committed before the first batch (reads); app/readlog.c. */
#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "store/reads_store.h"
#include "store/sqlite/sqlite_internal.h"

static iom_err rd_chain(iom_store *is, iom_read_chain_t *out, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char start[] =
        "SELECT c.change_seq, c.change_hash, c.started_at, c.file_id = f.file_id "
        "FROM read_chain c LEFT JOIN reads.read_file f ON f.id = 1 WHERE c.id = 1";
    static const char head[] = "SELECT seq, hash FROM reads.read_log ORDER BY seq DESC LIMIT 1";
    memset(out, 0, sizeof *out);
    db_stmt *st = sqs_prep(s, start, e);
    if (!st)
        return IOM_ESTORE;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        out->started = true;
        out->change_seq = db_col_int64(st, 0);
        const char *h = db_col_text(st, 1);
        snprintf(out->change_hash, sizeof out->change_hash, "%s", h ? (const char *)h : "");
        out->started_at = db_col_int64(st, 2);
        out->entries_lost = db_col_int(st, 3) != 1;
    }
    iom_err err = rc == DB_ROW || rc == DB_DONE ? IOM_OK : sqs_fail(s, e, "read chain");
    sqs_done(s, st);
    if (err)
        return err;
    if (!(st = sqs_prep_growing(s, head, e)))
        return IOM_ESTORE;
    rc = db_step(st);
    if (rc == DB_ROW) {
        out->head_seq = db_col_int64(st, 0);
        const char *h = db_col_text(st, 1);
        snprintf(out->head_hash, sizeof out->head_hash, "%s", h ? (const char *)h : "");
    }
    err = rc == DB_ROW || rc == DB_DONE ? IOM_OK : sqs_fail(s, e, "read chain head");
    sqs_done(s, st);
    return err;
}

static iom_err rd_start(iom_store *is, int64_t change_seq, const char *change_hash, int64_t at,
                        iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "INSERT INTO read_chain(id, change_seq, change_hash, started_at, file_id) "
        "VALUES (1, ?1, ?2, ?3, (SELECT file_id FROM reads.read_file WHERE id = 1))";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, change_seq);
    sqs_bind_text(st, 2, change_hash);
    db_bind_int64(st, 3, at);
    iom_err err = sqs_step_done(s, st, e, "read chain start");
    if (err == IOM_ECONFLICT)
        return iom_fail(e, IOM_ECONFLICT, "read chain: already started");
    return err;
}

/* A batch's entries go in multi-row INSERTs of APPEND_ROWS rows (then of 8, then one by one):
   on PostgreSQL each statement is a round trip, and a batch of a busy server holds tens of
   entries (docs/performance.md, "The read log in a few statements"). The texts are made once;
   the statement cache knows a text by its address. */
enum { APPEND_ROWS = 32 };
/* a row is "(?N, ...)" of nine numbers of at most three digits: under 80 bytes */
static char append_sql[3][APPEND_ROWS * 80 + 200];
static pthread_once_t append_once = PTHREAD_ONCE_INIT;

static void append_texts(void)
{
    static const int rows[3] = {APPEND_ROWS, 8, 1};
    for (int k = 0; k < 3; k++) {
        char *b = append_sql[k];
        size_t cap = sizeof append_sql[k], len = (size_t)snprintf(
            b, cap, "INSERT INTO reads.read_log(seq, at, actor, os_user, via, action, object_ref, after_json, hash) VALUES ");
        for (int r = 0; r < rows[k] && len < cap; r++) {
            int q = r * 9;
            int w = snprintf(b + len, cap - len, "%s(?%d, ?%d, ?%d, ?%d, ?%d, ?%d, ?%d, ?%d, ?%d)",
                             r ? ", " : "", q + 1, q + 2, q + 3, q + 4, q + 5, q + 6, q + 7, q + 8, q + 9);
            len = w < 0 ? cap : len + (size_t)w;
        }
        if (len >= cap) /* cannot happen at this size; if it did, rd_append goes row by row */
            b[0] = '\0';
    }
}

static iom_err rd_append(iom_store *is, const iom_audit_t *v, size_t n, iom_error *e)
{
    sq_store *s = SQ(is);
    pthread_once(&append_once, append_texts);
    for (size_t i = 0; i < n;) {
        int k = n - i >= APPEND_ROWS ? 0 : n - i >= 8 ? 1 : 2;
        while (!append_sql[k][0]) /* a text that did not fit: fewer rows */
            k++;
        size_t rows = k == 0 ? APPEND_ROWS : k == 1 ? 8 : 1;
        db_stmt *st = sqs_prep(s, append_sql[k], e);
        if (!st)
            return IOM_ESTORE;
        for (size_t r = 0; r < rows; r++) {
            const iom_audit_t *en = &v[i + r];
            int q = (int)r * 9;
            db_bind_int64(st, q + 1, en->seq);
            db_bind_int64(st, q + 2, en->at);
            sqs_bind_text(st, q + 3, en->actor);
            sqs_bind_text(st, q + 4, en->os_user);
            sqs_bind_text(st, q + 5, en->via);
            sqs_bind_text(st, q + 6, en->action);
            sqs_bind_text(st, q + 7, en->object_ref);
            sqs_bind_text(st, q + 8, en->after_json);
            sqs_bind_text(st, q + 9, en->hash);
        }
        iom_err err = sqs_step_done(s, st, e, "read log");
        if (err)
            return err;
        i += rows;
    }
    return IOM_OK;
}

#define COLS "seq, at, actor, os_user, via, action, object_ref, after_json, hash"

static void entry_of(db_stmt *st, iom_audit_t *en)
{
    memset(en, 0, sizeof *en);
    en->seq = db_col_int64(st, 0);
    en->at = db_col_int64(st, 1);
    en->actor = (char *)db_col_text(st, 2);
    en->os_user = (char *)db_col_text(st, 3);
    en->via = (char *)db_col_text(st, 4);
    en->action = (char *)db_col_text(st, 5);
    en->object_ref = (char *)db_col_text(st, 6);
    en->after_json = (char *)db_col_text(st, 7);
    const char *h = db_col_text(st, 8);
    snprintf(en->hash, sizeof en->hash, "%s", h ? (const char *)h : "");
    en->in_read_chain = true;
}

static iom_err rd_scan(iom_store *is, int64_t after_seq, iom_audit_cb cb, void *cb_data, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "SELECT " COLS " FROM reads.read_log WHERE seq > ?1 ORDER BY seq";
    /* Not cached: a scan may run while the callback uses other statements. */
    db_stmt *st = sqs_prep_once(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, after_seq);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        iom_audit_t en;
        entry_of(st, &en);
        if (cb(cb_data, &en)) {
            rc = DB_DONE;
            break;
        }
    }
    iom_err err = rc == DB_DONE ? IOM_OK : sqs_fail(s, e, "read log scan");
    sqs_finalize(st);
    return err;
}

static void page_row(db_stmt *st, iom_arena *a, void *out)
{
    iom_audit_t *en = out, tmp;
    entry_of(st, &tmp);
    *en = tmp;
    en->actor = sqs_col_text(st, 2, a);
    en->os_user = sqs_col_text(st, 3, a);
    en->via = sqs_col_text(st, 4, a);
    en->action = sqs_col_text(st, 5, a);
    en->object_ref = sqs_col_text(st, 6, a);
    en->after_json = sqs_col_text(st, 7, a);
}

static iom_err rd_page(iom_store *is, const iom_audit_read_filter *f, iom_arena *a,
                       iom_audit_t **out, size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    /* One object: its range of read_log_object; else the rowid range from the cursor. */
    static const char by_object[] = "SELECT " COLS " FROM reads.read_log WHERE object_ref = ?4 AND seq > ?1"
                                    " AND (?2 IS NULL OR actor = ?2) ORDER BY seq LIMIT ?3";
    static const char all[] = "SELECT " COLS " FROM reads.read_log WHERE seq > ?1"
                              " AND (?2 IS NULL OR actor = ?2) ORDER BY seq LIMIT ?3";
    /* An action, or newest first: a statement made for the filter (an auditor's search), on
       the same index ranges in the order asked. */
    char sql[512];
    bool made = f->action || f->newest;
    if (made)
        snprintf(sql, sizeof sql,
                 "SELECT " COLS " FROM reads.read_log WHERE %s AND (?2 IS NULL OR actor = ?2)"
                 " AND %s AND (?5 IS NULL OR action = ?5) ORDER BY seq%s LIMIT ?3",
                 f->newest ? "seq < ?1" : "seq > ?1",
                 f->object_ref ? "object_ref = ?4" : "?4 IS NULL", f->newest ? " DESC" : "");
    db_stmt *st = made ? sqs_prep_once(s, sql, e) : sqs_prep(s, f->object_ref ? by_object : all, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, f->newest && f->after_seq == 0 ? INT64_MAX : f->after_seq); /* as sqlite_auth.c */
    sqs_bind_text(st, 2, f->actor);
    if (f->object_ref || made)
        sqs_bind_text(st, 4, f->object_ref);
    if (made)
        sqs_bind_text(st, 5, f->action);
    db_bind_int64(st, 3, (int64_t)f->limit);
    return sqs_collect(s, st, a, sizeof **out, page_row, (void **)out, n, e, "read log page");
}

static iom_err rd_checkpoint(iom_store *is, iom_error *e)
{
    sq_store *s = SQ(is);
    if (s->in_tx)
        return iom_fail(e, IOM_ECONFLICT, "read log checkpoint: not inside a transaction");
    int rc = sqlite3_wal_checkpoint_v2(s->db, "reads", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    if (rc == SQLITE_OK || rc == DB_BUSY || rc == DB_LOCKED)
        return IOM_OK; /* busy: another checkpoint or a writer of another process; next time */
    return sqs_fail(s, e, "read log checkpoint");
}

const struct iom_store_reads_ops sqlite_reads_ops = {
    .version = 1,
    .chain = rd_chain,
    .start = rd_start,
    .append = rd_append,
    .scan = rd_scan,
    .page = rd_page,
    .begin_batch = sqs_begin_reads_batch,
    .checkpoint = rd_checkpoint,
};
