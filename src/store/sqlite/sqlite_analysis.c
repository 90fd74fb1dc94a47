/* SQLite back-end: the analysis area (store/analysis_store.h). */
#include <stdio.h>
#include <string.h>

#include "store/analysis_store.h"
#include "store/sqlite/sqlite_internal.h"

static int64_t i64(db_stmt *st, int i) { return db_col_int64(st, i); }
static const char *ctext(db_stmt *st, int i) { return (const char *)db_col_text(st, i); }

/* "IMP-000123" -> 123, 0 when malformed */
static int64_t ref_id(const char *ref, const char *prefix)
{
    size_t n = strlen(prefix);
    if (!ref || strncmp(ref, prefix, n) != 0 || !ref[n])
        return 0;
    int64_t v = 0;
    for (const char *p = ref + n; *p; p++) {
        if (*p < '0' || *p > '9' || v > 1000000000000LL)
            return 0;
        v = v * 10 + (*p - '0');
    }
    return v;
}

#define IMP_COLS                                                                               \
    "i.id, iom_ref('IMP', i.id), i.tasking_id, i.kind, i.filename, i.sha256, i.rows,"      \
    " i.marking, i.fields_json, i.imported_by, i.imported_at, t.ref, u.name,"                  \
    " coalesce(g.grade_source, '1'), coalesce(g.grade_assessment, 'A'), coalesce(g.handling, 'P')," \
    " g.conditions FROM analysis_import i JOIN tasking t ON t.id = i.tasking_id"               \
    " LEFT JOIN analysis_import_grade g ON g.import_id = i.id"                                 \
    " LEFT JOIN \"user\" u ON u.id = i.imported_by "

static void imp_row(db_stmt *st, iom_arena *a, void *p)
{
    iom_aimport_t *o = p;
    memset(o, 0, sizeof *o);
    o->id = i64(st, 0);
    o->ref = sqs_col_text(st, 1, a);
    o->tasking_id = i64(st, 2);
    o->kind = sqs_col_text(st, 3, a);
    o->filename = sqs_col_text(st, 4, a);
    snprintf(o->sha256, sizeof o->sha256, "%s", ctext(st, 5) ? ctext(st, 5) : "");
    o->rows = i64(st, 6);
    iom_marking_parse(ctext(st, 7), &o->marking, NULL);
    o->fields_json = sqs_col_text(st, 8, a);
    o->imported_by = i64(st, 9);
    o->imported_at = i64(st, 10);
    o->tasking_ref = sqs_col_text(st, 11, a);
    o->importer = sqs_col_text(st, 12, a);
    const char *gs = ctext(st, 13), *ga = ctext(st, 14), *gh = ctext(st, 15);
    o->grade.source = gs ? gs[0] : '?';
    o->grade.assessment = ga ? ga[0] : '?';
    o->grade.handling = gh ? gh[0] : '?';
    o->grade.conditions = sqs_col_text(st, 16, a);
}

static iom_err a_import_insert(iom_store *is, iom_aimport_t *in, iom_arena *a, iom_error *e)
{
    sq_store *s = SQ(is);
    /* the next id after every import ever made, removed ones included: a reference is never
       given twice */
    db_stmt *st = sqs_prep(s, "INSERT INTO analysis_import(id, tasking_id, kind, filename, sha256,"
                                   " rows, marking, fields_json, imported_by, imported_at)"
                                   " VALUES (coalesce((SELECT max(m) FROM (SELECT max(id) AS m FROM analysis_import"
                                   " UNION ALL SELECT max(id) FROM analysis_import_removed) AS x), 0) + 1,"
                                   " ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, in->tasking_id);
    sqs_bind_text(st, 2, in->kind);
    sqs_bind_text(st, 3, in->filename);
    sqs_bind_text(st, 4, in->sha256);
    db_bind_int64(st, 5, in->rows);
    sqs_bind_text(st, 6, iom_marking_name(in->marking));
    sqs_bind_text(st, 7, in->fields_json ? in->fields_json : "{}");
    db_bind_int64(st, 8, in->imported_by);
    db_bind_int64(st, 9, in->imported_at);
    iom_err err = sqs_step_done(s, st, e, "analysis import");
    if (err)
        return err;
    in->id = db_last_id(s);
    if (!(st = sqs_prep(s, "INSERT INTO analysis_import_grade(import_id, grade_source, grade_assessment, handling,"
                           " conditions) VALUES (?1, ?2, ?3, ?4, ?5)", e)))
        return IOM_ESTORE;
    char gs[2] = {in->grade.source, 0}, ga[2] = {in->grade.assessment, 0}, gh[2] = {in->grade.handling, 0};
    db_bind_int64(st, 1, in->id);
    sqs_bind_text(st, 2, gs);
    sqs_bind_text(st, 3, ga);
    sqs_bind_text(st, 4, gh);
    sqs_bind_text(st, 5, in->grade.handling == 'C' ? in->grade.conditions : NULL);
    if ((err = sqs_step_done(s, st, e, "analysis import grade")))
        return err;
    char ref[32];
    snprintf(ref, sizeof ref, "IMP-%06lld", (long long)in->id);
    in->ref = iom_arena_strdup(a, ref);
    return IOM_OK;
}

static iom_err a_import_find(iom_store *is, int64_t tasking_id, const char *kind, const char *sha256,
                             int64_t *id, iom_error *e)
{
    sq_store *s = SQ(is);
    db_stmt *st = sqs_prep(s, "SELECT id FROM analysis_import WHERE tasking_id = ?1 AND kind = ?2"
                                   " AND sha256 = ?3", e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    sqs_bind_text(st, 2, kind);
    sqs_bind_text(st, 3, sha256);
    int rc = db_step(st);
    *id = rc == DB_ROW ? i64(st, 0) : 0;
    iom_err err = (rc == DB_ROW || rc == DB_DONE) ? IOM_OK : sqs_fail(s, e, "analysis import");
    sqs_done(s, st);
    return err;
}

static iom_err a_import_list(iom_store *is, int64_t tasking_id, const char *kind, iom_arena *a,
                             iom_aimport_t **out, size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    db_stmt *st = sqs_prep(s, "SELECT " IMP_COLS "WHERE i.tasking_id = ?1 AND (?2 IS NULL OR"
                                   " i.kind = ?2) ORDER BY i.id", e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    sqs_bind_text(st, 2, kind);
    return sqs_collect(s, st, a, sizeof **out, imp_row, (void **)out, n, e, "analysis imports");
}

static iom_err a_import_get(iom_store *is, const char *ref, iom_arena *a, iom_aimport_t *out, iom_error *e)
{
    sq_store *s = SQ(is);
    db_stmt *st = sqs_prep(s, "SELECT " IMP_COLS "WHERE i.id = ?1", e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, ref_id(ref, "IMP-"));
    return sqs_fetch1(s, st, a, imp_row, out, e, "import", ref);
}

static iom_err a_import_delete(iom_store *is, int64_t id, int64_t at, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char *const steps[] = {
        ("INSERT INTO analysis_import_removed(id, tasking_id, kind, sha256, removed_at)"
         " SELECT id, tasking_id, kind, sha256, ?2 FROM analysis_import WHERE id = ?1"),
        "DELETE FROM fin_txn WHERE import_id = ?1",
        "DELETE FROM comms_record WHERE import_id = ?1",
        "DELETE FROM entity_import_source WHERE import_id = ?1",
        "DELETE FROM link_import_source WHERE import_id = ?1",
        "DELETE FROM analysis_import_grade WHERE import_id = ?1",
        "DELETE FROM analysis_import WHERE id = ?1",
    };
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        db_stmt *st = sqs_prep(s, steps[i], e);
        if (!st)
            return IOM_ESTORE;
        db_bind_int64(st, 1, id);
        if (i == 0)
            db_bind_int64(st, 2, at);
        iom_err err = sqs_step_done(s, st, e, "import delete");
        if (err)
            return err;
    }
    return IOM_OK;
}

static iom_err a_txn_insert(iom_store *is, iom_txn_t *t, iom_error *e)
{
    sq_store *s = SQ(is);
    db_stmt *st = sqs_prep(s, "INSERT INTO fin_txn(id, import_id, rownum, at, from_account, to_account,"
                                   " amount, currency, reference) VALUES ((SELECT last + 1 FROM id_hwm WHERE name = 'fin_txn'),"
                                   " ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, t->import_id);
    db_bind_int64(st, 2, t->rownum);
    db_bind_int64(st, 3, t->at);
    sqs_bind_text(st, 4, t->from_account);
    sqs_bind_text(st, 5, t->to_account);
    db_bind_int64(st, 6, t->amount);
    sqs_bind_text(st, 7, t->currency);
    sqs_bind_text(st, 8, t->reference);
    iom_err err = sqs_step_done(s, st, e, "transaction");
    if (!err)
        t->id = db_last_id(s);
    return err;
}

static void txn_row(db_stmt *st, iom_arena *a, void *p)
{
    iom_txn_t *o = p;
    memset(o, 0, sizeof *o);
    o->id = i64(st, 0);
    o->ref = sqs_col_text(st, 1, a);
    o->import_id = i64(st, 2);
    o->rownum = i64(st, 3);
    o->at = i64(st, 4);
    o->from_account = sqs_col_text(st, 5, a);
    o->to_account = sqs_col_text(st, 6, a);
    o->amount = i64(st, 7);
    snprintf(o->currency, sizeof o->currency, "%s", ctext(st, 8) ? ctext(st, 8) : "");
    o->reference = sqs_col_text(st, 9, a);
    iom_marking_parse(ctext(st, 10), &o->marking, NULL);
}

static iom_err a_txn_list(iom_store *is, int64_t tasking_id, iom_arena *a, iom_txn_t **out, size_t *n,
                          iom_error *e)
{
    sq_store *s = SQ(is);
    db_stmt *st = sqs_prep(s, "SELECT x.id, iom_ref('TXN', x.id), x.import_id, x.rownum, x.at,"
                                   " x.from_account, x.to_account, x.amount, x.currency, x.reference,"
                                   " i.marking FROM fin_txn x JOIN analysis_import i ON i.id = x.import_id"
                                   " WHERE i.tasking_id = ?1 ORDER BY x.at, x.id", e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    return sqs_collect(s, st, a, sizeof **out, txn_row, (void **)out, n, e, "transactions");
}

static iom_err a_cdr_insert(iom_store *is, iom_cdr_t *r, iom_error *e)
{
    sq_store *s = SQ(is);
    db_stmt *st = sqs_prep(s, "INSERT INTO comms_record(id, import_id, rownum, caller, callee, start,"
                                   " duration, kind, cell) VALUES ((SELECT last + 1 FROM id_hwm WHERE name = 'comms_record'),"
                                   " ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, r->import_id);
    db_bind_int64(st, 2, r->rownum);
    sqs_bind_text(st, 3, r->caller);
    sqs_bind_text(st, 4, r->callee);
    db_bind_int64(st, 5, r->start);
    db_bind_int64(st, 6, r->duration);
    sqs_bind_text(st, 7, r->kind);
    sqs_bind_text(st, 8, r->cell);
    iom_err err = sqs_step_done(s, st, e, "call record");
    if (!err)
        r->id = db_last_id(s);
    return err;
}

static void cdr_row(db_stmt *st, iom_arena *a, void *p)
{
    iom_cdr_t *o = p;
    memset(o, 0, sizeof *o);
    o->id = i64(st, 0);
    o->ref = sqs_col_text(st, 1, a);
    o->import_id = i64(st, 2);
    o->rownum = i64(st, 3);
    o->caller = sqs_col_text(st, 4, a);
    o->callee = sqs_col_text(st, 5, a);
    o->start = i64(st, 6);
    o->duration = i64(st, 7);
    o->kind = sqs_col_text(st, 8, a);
    o->cell = sqs_col_text(st, 9, a);
    iom_marking_parse(ctext(st, 10), &o->marking, NULL);
}

static iom_err a_cdr_list(iom_store *is, int64_t tasking_id, iom_arena *a, iom_cdr_t **out, size_t *n,
                          iom_error *e)
{
    sq_store *s = SQ(is);
    db_stmt *st = sqs_prep(s, "SELECT x.id, iom_ref('CDR', x.id), x.import_id, x.rownum, x.caller,"
                                   " x.callee, x.start, x.duration, x.kind, x.cell, i.marking FROM"
                                   " comms_record x JOIN analysis_import i ON i.id = x.import_id"
                                   " WHERE i.tasking_id = ?1 ORDER BY x.start, x.id", e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    return sqs_collect(s, st, a, sizeof **out, cdr_row, (void **)out, n, e, "call records");
}

const struct iom_store_analysis_ops sqlite_analysis_ops = {
    .version = 1,
    .import_insert = a_import_insert,
    .import_find = a_import_find,
    .import_list = a_import_list,
    .import_get = a_import_get,
    .import_delete = a_import_delete,
    .txn_insert = a_txn_insert,
    .txn_list = a_txn_list,
    .cdr_insert = a_cdr_insert,
    .cdr_list = a_cdr_list,
};
