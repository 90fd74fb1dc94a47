/* SQLite back-end: the work area (store/work_store.h). */
#include <stdio.h>
#include <string.h>

#include "store/sqlite/sqlite_internal.h"
#include "store/work_store.h"

static int64_t i64(db_stmt *st, int i) { return db_col_int64(st, i); }
static const char *ctext(db_stmt *st, int i) { return (const char *)db_col_text(st, i); }

static void bind_id(db_stmt *st, int i, int64_t id)
{
    if (id)
        db_bind_int64(st, i, id);
    else
        db_bind_null(st, i);
}

static iom_err count1(sq_store *s, const char *sql, int64_t id, const char *text, int64_t *out,
                      iom_error *e, const char *what)
{
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, id);
    if (text)
        sqs_bind_text(st, 2, text);
    int rc = db_step(st);
    *out = rc == DB_ROW ? db_col_int64(st, 0) : 0;
    iom_err err = rc == DB_ROW ? IOM_OK : sqs_fail(s, e, what);
    sqs_done(s, st);
    return err;
}

static iom_err w_intel_pending_count(iom_store *is, int64_t tasking_id, int64_t *out, iom_error *e)
{
    static const char sql[] = "SELECT count(*) FROM intel_item WHERE tasking_id = ?1 AND is_current = 1"
                              " AND pnd_status = 'pending'";
    return count1(SQ(is), sql, tasking_id, NULL, out, e, "pending intelligence");
}

static iom_err w_products_delivered(iom_store *is, int64_t tasking_id, const char *type, int64_t *out,
                                    iom_error *e)
{
    /* distinct products (refs), as the APMIS report pairs them: two delivered versions of one
       product are not two products */
    static const char sql[] = "SELECT count(DISTINCT ref) FROM product WHERE tasking_id = ?1"
                              " AND type = ?2 AND delivered_at IS NOT NULL";
    return count1(SQ(is), sql, tasking_id, type, out, e, "delivered products");
}

static iom_err w_contribution_minutes(iom_store *is, int64_t user_id, const char *work_date,
                                      int64_t *out, iom_error *e)
{
    static const char sql[] = "SELECT CAST(COALESCE(SUM(minutes), 0) AS BIGINT) FROM contribution"
                              " WHERE user_id = ?1 AND work_date = ?2";
    return count1(SQ(is), sql, user_id, work_date, out, e, "contribution minutes");
}

/* The next free rowid of a table, so a new item's ref can be derived from its first row. */
static iom_err next_id(sq_store *s, const char *sql, int64_t *out, iom_error *e, const char *what)
{
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    int rc = db_step(st);
    *out = rc == DB_ROW ? db_col_int64(st, 0) : 0;
    iom_err err = rc == DB_ROW ? IOM_OK : sqs_fail(s, e, what);
    sqs_done(s, st);
    return err;
}

/* ---- contributions ------------------------------------------------------------------- */

#define CONTRIB_COLS                                                                           \
    "c.id, iom_ref('CON', c.id), c.tasking_id, c.user_id, c.work_date, c.minutes, c.text, " \
    "c.created_at, t.ref, u.name FROM contribution c JOIN tasking t ON t.id = c.tasking_id "     \
    "JOIN \"user\" u ON u.id = c.user_id "

static void contrib_row(db_stmt *st, iom_arena *a, void *p)
{
    iom_contribution_t *o = p;
    memset(o, 0, sizeof *o);
    o->id = i64(st, 0);
    o->ref = sqs_col_text(st, 1, a);
    o->tasking_id = i64(st, 2);
    o->user_id = i64(st, 3);
    o->work_date = sqs_col_text(st, 4, a);
    o->minutes = db_col_int(st, 5);
    o->text = sqs_col_text(st, 6, a);
    o->created_at = i64(st, 7);
    o->tasking_ref = sqs_col_text(st, 8, a);
    o->user = sqs_col_text(st, 9, a);
}

static iom_err w_contribution_insert(iom_store *is, iom_contribution_t *c, iom_arena *a, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "INSERT INTO contribution(tasking_id, user_id, work_date, minutes, text, created_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, c->tasking_id);
    db_bind_int64(st, 2, c->user_id);
    sqs_bind_text(st, 3, c->work_date);
    db_bind_int64(st, 4, c->minutes);
    sqs_bind_text(st, 5, c->text);
    db_bind_int64(st, 6, c->created_at);
    iom_err err = sqs_step_done(s, st, e, "contribution");
    if (!err) {
        c->id = db_last_id(s);
        c->ref = iom_arena_printf(a, "CON-%06lld", (long long)c->id);
    }
    return err;
}

static iom_err w_contribution_list(iom_store *is, int64_t tasking_id, iom_arena *a,
                                   iom_contribution_t **out, size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "SELECT " CONTRIB_COLS "WHERE c.tasking_id = ?1 ORDER BY c.work_date, c.id";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    return sqs_collect(s, st, a, sizeof **out, contrib_row, (void **)out, n, e, "contribution list");
}

/* ---- intelligence -------------------------------------------------------------------- */

#define INTEL_COLS                                                                             \
    "i.id, i.ref, i.version, i.is_current, i.tasking_id, i.text, i.source, i.grade_source, "   \
    "i.grade_assessment, i.handling, i.conditions, i.legacy_grade, i.marking, i.pnd_status, "  \
    "i.pnd_ref, i.pnd_date, i.pnd_reason, i.review_date, i.correction_reason, i.created_by, "  \
    "i.created_at, t.ref, u.name, gm.grade_map_version, k.wrapped, dr.at, oa.code "           \
    "FROM intel_item i "                                                                       \
    "JOIN tasking t ON t.id = i.tasking_id LEFT JOIN \"user\" u ON u.id = i.created_by "           \
    "LEFT JOIN intel_grade_map gm ON gm.intel_id = i.id "                                      \
    "LEFT JOIN intel_key k ON k.ref = i.ref "                                                  \
    "LEFT JOIN intel_review dr ON dr.ref = i.ref AND dr.decision = 'dispose' "                 \
    "JOIN threat th ON th.id = t.threat_id JOIN agency oa ON oa.id = th.owner_id "

static void intel_row(db_stmt *st, iom_arena *a, void *p)
{
    iom_intel_t *o = p;
    memset(o, 0, sizeof *o);
    o->id = i64(st, 0);
    o->ref = sqs_col_text(st, 1, a);
    o->version = i64(st, 2);
    o->is_current = db_col_int(st, 3) != 0;
    o->tasking_id = i64(st, 4);
    o->text = sqs_col_text(st, 5, a);
    o->source = sqs_col_text(st, 6, a);
    const char *gs = ctext(st, 7), *ga = ctext(st, 8), *gh = ctext(st, 9);
    o->grade.source = gs ? gs[0] : '?';
    o->grade.assessment = ga ? ga[0] : '?';
    o->grade.handling = gh ? gh[0] : '?';
    o->grade.conditions = sqs_col_text(st, 10, a);
    o->legacy_grade = sqs_col_text(st, 11, a);
    iom_marking_parse(ctext(st, 12), &o->marking, NULL);
    grade_pnd_parse(ctext(st, 13), &o->pnd, NULL);
    o->pnd_ref = sqs_col_text(st, 14, a);
    o->pnd_date = sqs_col_text(st, 15, a);
    o->pnd_reason = sqs_col_text(st, 16, a);
    o->review_date = sqs_col_text(st, 17, a);
    o->correction_reason = sqs_col_text(st, 18, a);
    o->created_by = i64(st, 19);
    o->created_at = i64(st, 20);
    o->tasking_ref = sqs_col_text(st, 21, a);
    o->creator = sqs_col_text(st, 22, a);
    o->grade_map_version = i64(st, 23);
    int klen = db_col_bytes(st, 24);
    const void *kb = db_col_blob(st, 24);
    if (kb && klen > 0) {
        o->key_wrapped = iom_arena_alloc(a, (size_t)klen);
        memcpy(o->key_wrapped, kb, (size_t)klen);
        o->key_len = (size_t)klen;
    }
    o->disposed_at = i64(st, 25);
    o->owner = sqs_col_text(st, 26, a);
}

static iom_err w_intel_insert(iom_store *is, iom_intel_t *it, iom_arena *a, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char next_sql[] = "SELECT coalesce(max(id), 0) + 1 FROM intel_item";
    static const char cur_sql[] =
        "SELECT max(version) FROM intel_item WHERE ref = ?1";
    static const char retire_sql[] =
        "UPDATE intel_item SET is_current = 0 WHERE ref = ?1 AND is_current = 1";
    static const char sql[] =
        "INSERT INTO intel_item(id, ref, version, is_current, tasking_id, text, source, grade_source,"
        " grade_assessment, handling, conditions, legacy_grade, marking, pnd_status, pnd_ref,"
        " pnd_date, pnd_reason, review_date, correction_reason, created_by, created_at)"
        " VALUES (?1, ?2, ?3, 1, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
        " ?18, ?19, ?20)";
    iom_err err;
    int64_t id, version = 1;
    char *ref = it->ref;
    char refbuf[32];
    if ((err = next_id(s, next_sql, &id, e, "intelligence item")))
        return err;
    if (!ref) {
        snprintf(refbuf, sizeof refbuf, "INT-%06lld", (long long)id);
        ref = refbuf;
    } else {
        db_stmt *st = sqs_prep(s, cur_sql, e);
        if (!st)
            return IOM_ESTORE;
        sqs_bind_text(st, 1, ref);
        int rc = db_step(st);
        int64_t cur = rc == DB_ROW ? db_col_int64(st, 0) : 0;
        err = rc == DB_ROW ? IOM_OK : sqs_fail(s, e, "intelligence item");
        sqs_done(s, st);
        if (err)
            return err;
        if (cur == 0)
            return iom_fail(e, IOM_ENOTFOUND, "intelligence item: '%s' not found", ref);
        version = cur + 1;
        if (!(st = sqs_prep(s, retire_sql, e)))
            return IOM_ESTORE;
        sqs_bind_text(st, 1, ref);
        if ((err = sqs_step_done(s, st, e, "intelligence item")))
            return err;
    }
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    char gs[2] = {it->grade.source, 0}, ga[2] = {it->grade.assessment, 0}, gh[2] = {it->grade.handling, 0};
    db_bind_int64(st, 1, id);
    sqs_bind_text(st, 2, ref);
    db_bind_int64(st, 3, version);
    db_bind_int64(st, 4, it->tasking_id);
    sqs_bind_text(st, 5, it->text);
    sqs_bind_text(st, 6, it->source);
    sqs_bind_text(st, 7, gs);
    sqs_bind_text(st, 8, ga);
    sqs_bind_text(st, 9, gh);
    sqs_bind_text(st, 10, it->grade.conditions);
    sqs_bind_text(st, 11, it->legacy_grade);
    sqs_bind_text(st, 12, iom_marking_name(it->marking));
    sqs_bind_text(st, 13, grade_pnd_name(it->pnd));
    sqs_bind_text(st, 14, it->pnd_ref);
    sqs_bind_text(st, 15, it->pnd_date);
    sqs_bind_text(st, 16, it->pnd_reason);
    sqs_bind_text(st, 17, it->review_date);
    sqs_bind_text(st, 18, it->correction_reason);
    bind_id(st, 19, it->created_by);
    db_bind_int64(st, 20, it->created_at);
    if ((err = sqs_step_done(s, st, e, "intelligence item")))
        return err;
    if (it->grade_map_version > 0) { /* the mapping version the grade came from (migration 8) */
        static const char map_sql[] =
            "INSERT INTO intel_grade_map(intel_id, grade_map_version) VALUES (?1, ?2)";
        if (!(st = sqs_prep(s, map_sql, e)))
            return IOM_ESTORE;
        db_bind_int64(st, 1, id);
        db_bind_int64(st, 2, it->grade_map_version);
        if ((err = sqs_step_done(s, st, e, "intelligence item grade mapping")))
            return err;
    }
    it->id = id;
    it->ref = iom_arena_strdup(a, ref);
    it->version = version;
    it->is_current = true;
    return IOM_OK;
}

static iom_err w_intel_get(iom_store *is, const char *ref, int64_t version, iom_arena *a,
                           iom_intel_t *out, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char cur[] = "SELECT " INTEL_COLS "WHERE i.ref = ?1 AND i.is_current = 1";
    static const char ver[] = "SELECT " INTEL_COLS "WHERE i.ref = ?1 AND i.version = ?2";
    db_stmt *st = sqs_prep(s, version ? ver : cur, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, ref);
    if (version)
        db_bind_int64(st, 2, version);
    iom_err err = sqs_fetch1(s, st, a, intel_row, out, e, "intelligence item", ref);
    if (err == IOM_ENOTFOUND && version)
        return iom_fail(e, IOM_ENOTFOUND, "intelligence item: '%s' has no version %lld", ref,
                        (long long)version);
    return err;
}

static iom_err w_intel_list(iom_store *is, int64_t tasking_id, iom_arena *a, iom_intel_t **out,
                            size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "SELECT " INTEL_COLS "WHERE i.tasking_id = ?1 AND i.is_current = 1 ORDER BY i.id";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    return sqs_collect(s, st, a, sizeof **out, intel_row, (void **)out, n, e, "intelligence list");
}

/* The most recent id of a ref is its current row: ordering by id lists items in the order they
   were first recorded only for ids of version 1, so history orders by version. */
static iom_err w_intel_history(iom_store *is, const char *ref, iom_arena *a, iom_intel_t **out,
                               size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "SELECT " INTEL_COLS "WHERE i.ref = ?1 ORDER BY i.version";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, ref);
    iom_err err = sqs_collect(s, st, a, sizeof **out, intel_row, (void **)out, n, e, "intelligence history");
    if (!err && *n == 0)
        return iom_fail(e, IOM_ENOTFOUND, "intelligence item: '%s' not found", ref);
    return err;
}

static iom_err w_intel_set_pnd(iom_store *is, const iom_intel_t *it, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "UPDATE intel_item SET pnd_status = ?2, pnd_ref = ?3, pnd_date = ?4, pnd_reason = ?5,"
        " review_date = ?6 WHERE id = ?1 AND is_current = 1";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, it->id);
    sqs_bind_text(st, 2, grade_pnd_name(it->pnd));
    sqs_bind_text(st, 3, it->pnd_ref);
    sqs_bind_text(st, 4, it->pnd_date);
    sqs_bind_text(st, 5, it->pnd_reason);
    sqs_bind_text(st, 6, it->review_date);
    iom_err err = sqs_step_done(s, st, e, "intelligence PND status");
    if (!err && db_changes(s) != 1)
        return iom_fail(e, IOM_ECONFLICT, "intelligence item %s: version %lld is no longer current",
                        it->ref ? it->ref : "?", (long long)it->version);
    return err;
}

static iom_err w_intel_due_review(iom_store *is, const iom_intel_due_filter *f, iom_arena *a,
                                  iom_intel_t **out, size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "SELECT " INTEL_COLS
        "WHERE i.is_current = 1 AND i.review_date <= ?1 AND dr.id IS NULL"
        "  AND (i.marking = 'OFFICIAL' OR ?2)"
        "  AND (?3 OR t.requesting_agency_id = ?4 OR th.owner_id = ?4 OR t.sia_id = ?5 OR th.sio_id = ?5"
        "       OR EXISTS (SELECT 1 FROM tasking_member m WHERE m.tasking_id = t.id AND m.user_id = ?5)"
        "       OR (?7 AND t.reached_toex <> 0))"
        " ORDER BY oa.code, i.review_date, i.ref LIMIT ?6";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, f->due_by);
    db_bind_int64(st, 2, f->max_marking == IOM_MARKING_OFFICIAL_SENSITIVE);
    db_bind_int64(st, 3, f->all);
    db_bind_int64(st, 4, f->agency_id ? f->agency_id : -1);
    db_bind_int64(st, 5, f->user_id ? f->user_id : -1);
    db_bind_int64(st, 6, f->limit ? (int64_t)f->limit : INT64_MAX);
    db_bind_int64(st, 7, f->reached_toex);
    return sqs_collect(s, st, a, sizeof **out, intel_row, (void **)out, n, e, "intelligence review");
}

/* ---- tactical options ---------------------------------------------------------------- */

#define OPTION_COLS                                                                            \
    "o.id, o.ref, o.tasking_id, o.strand, o.text, o.agency_id, o.status, o.version, "          \
    "o.created_by, o.created_at, o.updated_at, t.ref, ag.code, u.name, t.state, t.marking, "   \
    "coalesce(om.marking, t.marking) "                                                         \
    "FROM tactical_option o JOIN tasking t ON t.id = o.tasking_id "                            \
    "JOIN agency ag ON ag.id = o.agency_id LEFT JOIN \"user\" u ON u.id = o.created_by "       \
    "LEFT JOIN option_marking om ON om.option_id = o.id "

static void option_row(db_stmt *st, iom_arena *a, void *p)
{
    iom_option_t *o = p;
    memset(o, 0, sizeof *o);
    o->id = i64(st, 0);
    o->ref = sqs_col_text(st, 1, a);
    o->tasking_id = i64(st, 2);
    products_strand_parse(ctext(st, 3), &o->strand, NULL);
    o->text = sqs_col_text(st, 4, a);
    o->agency_id = i64(st, 5);
    products_option_status_parse(ctext(st, 6), &o->status, NULL);
    o->version = i64(st, 7);
    o->created_by = i64(st, 8);
    o->created_at = i64(st, 9);
    o->updated_at = i64(st, 10);
    o->tasking_ref = sqs_col_text(st, 11, a);
    o->agency = sqs_col_text(st, 12, a);
    o->creator = sqs_col_text(st, 13, a);
    lifecycle_state_parse(ctext(st, 14), &o->tasking_state, NULL);
    iom_marking_parse(ctext(st, 15), &o->tasking_marking, NULL);
    iom_marking_parse(ctext(st, 16), &o->marking, NULL);
}

static iom_err w_option_insert(iom_store *is, iom_option_t *o, iom_arena *a, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "INSERT INTO tactical_option(tasking_id, strand, text, agency_id, status, version,"
        " created_by, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?7, ?7)";
    static const char setref[] =
        "UPDATE tactical_option SET ref = iom_ref('OPT', id) WHERE id = ?1";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, o->tasking_id);
    sqs_bind_text(st, 2, products_strand_name(o->strand));
    sqs_bind_text(st, 3, o->text);
    db_bind_int64(st, 4, o->agency_id);
    sqs_bind_text(st, 5, products_option_status_name(o->status));
    bind_id(st, 6, o->created_by);
    db_bind_int64(st, 7, o->created_at);
    iom_err err = sqs_step_done(s, st, e, "tactical option");
    if (err)
        return err;
    o->id = db_last_id(s);
    o->version = 1;
    o->updated_at = o->created_at;
    if (!(st = sqs_prep(s, setref, e)))
        return IOM_ESTORE;
    db_bind_int64(st, 1, o->id);
    o->ref = iom_arena_printf(a, "OPT-%06lld", (long long)o->id);
    if ((err = sqs_step_done(s, st, e, "tactical option reference")))
        return err;
    static const char mark[] = "INSERT INTO option_marking(option_id, marking) VALUES (?1, ?2)";
    if (!(st = sqs_prep(s, mark, e)))
        return IOM_ESTORE;
    db_bind_int64(st, 1, o->id);
    sqs_bind_text(st, 2, iom_marking_name(o->marking));
    return sqs_step_done(s, st, e, "tactical option marking");
}

static iom_err w_option_get(iom_store *is, const char *ref, iom_arena *a, iom_option_t *out,
                            iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "SELECT " OPTION_COLS "WHERE o.ref = ?1";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, ref);
    return sqs_fetch1(s, st, a, option_row, out, e, "tactical option", ref);
}

static iom_err w_option_list(iom_store *is, int64_t tasking_id, iom_arena *a, iom_option_t **out,
                             size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "SELECT " OPTION_COLS "WHERE o.tasking_id = ?1 ORDER BY o.id";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    return sqs_collect(s, st, a, sizeof **out, option_row, (void **)out, n, e, "tactical option list");
}

static iom_err w_option_list_agency(iom_store *is, int64_t agency_id, iom_arena *a,
                                    iom_option_t **out, size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "SELECT " OPTION_COLS "WHERE o.agency_id = ?1 ORDER BY o.id";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, agency_id);
    return sqs_collect(s, st, a, sizeof **out, option_row, (void **)out, n, e,
                       "tactical options of an agency");
}

static iom_err w_option_update(iom_store *is, iom_option_t *o, int64_t expected, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "UPDATE tactical_option SET status = ?2, updated_at = ?3, version = version + 1"
        " WHERE id = ?1 AND version = ?4";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, o->id);
    sqs_bind_text(st, 2, products_option_status_name(o->status));
    db_bind_int64(st, 3, o->updated_at);
    db_bind_int64(st, 4, expected);
    iom_err err = sqs_step_done(s, st, e, "tactical option");
    if (!err && db_changes(s) != 1)
        return iom_fail(e, IOM_ECONFLICT,
                        "tactical option %s: version %lld is not the current version (changed meanwhile)",
                        o->ref ? o->ref : "?", (long long)expected);
    if (!err)
        o->version = expected + 1;
    return err;
}

/* ---- products ------------------------------------------------------------------------ */

#define PRODUCT_COLS                                                                           \
    "p.id, p.ref, p.version, p.tasking_id, p.type, p.filename, p.size, p.sha256, p.marking, "  \
    "p.created_by, p.created_at, p.delivered_at, p.delivered_by, t.ref, cu.name, du.name"

#define PRODUCT_FROM                                                                           \
    " FROM product p JOIN tasking t ON t.id = p.tasking_id "                                   \
    "LEFT JOIN \"user\" cu ON cu.id = p.created_by LEFT JOIN \"user\" du ON du.id = p.delivered_by "

static void product_row(db_stmt *st, iom_arena *a, void *p)
{
    iom_product_t *o = p;
    memset(o, 0, sizeof *o);
    o->id = i64(st, 0);
    o->ref = sqs_col_text(st, 1, a);
    o->version = i64(st, 2);
    o->tasking_id = i64(st, 3);
    products_type_parse(ctext(st, 4), &o->type, NULL);
    o->filename = sqs_col_text(st, 5, a);
    o->size = i64(st, 6);
    const char *h = ctext(st, 7);
    snprintf(o->sha256, sizeof o->sha256, "%s", h ? h : "");
    iom_marking_parse(ctext(st, 8), &o->marking, NULL);
    o->created_by = i64(st, 9);
    o->created_at = i64(st, 10);
    o->delivered_at = i64(st, 11);
    o->delivered_by = i64(st, 12);
    o->tasking_ref = sqs_col_text(st, 13, a);
    o->creator = sqs_col_text(st, 14, a);
    o->deliverer = sqs_col_text(st, 15, a);
}

static void product_row_content(db_stmt *st, iom_arena *a, void *p)
{
    iom_product_t *o = p;
    product_row(st, a, o);
    int nb = db_col_bytes(st, 16);
    const void *b = db_col_blob(st, 16);
    unsigned char *c = iom_arena_alloc(a, (size_t)nb + 1);
    if (nb > 0 && b)
        memcpy(c, b, (size_t)nb);
    o->content = c;
    o->size = nb; /* what was actually read; the app checks it against the digest */
}

static iom_err w_product_insert(iom_store *is, iom_product_t *p, iom_arena *a, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char next_sql[] = "SELECT coalesce(max(id), 0) + 1 FROM product";
    static const char cur_sql[] = "SELECT max(version) FROM product WHERE ref = ?1";
    static const char sql[] =
        "INSERT INTO product(id, ref, version, tasking_id, type, filename, size, sha256,"
        " marking, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
    static const char doc_sql[] = "INSERT INTO product_document(product_id, content) VALUES (?1, ?2)";
    iom_err err;
    int64_t id, version = 1;
    char refbuf[32];
    const char *ref = p->ref;
    if ((err = next_id(s, next_sql, &id, e, "product")))
        return err;
    if (!ref) {
        snprintf(refbuf, sizeof refbuf, "PRD-%06lld", (long long)id);
        ref = refbuf;
    } else {
        db_stmt *st = sqs_prep(s, cur_sql, e);
        if (!st)
            return IOM_ESTORE;
        sqs_bind_text(st, 1, ref);
        int rc = db_step(st);
        int64_t cur = rc == DB_ROW ? db_col_int64(st, 0) : 0;
        err = rc == DB_ROW ? IOM_OK : sqs_fail(s, e, "product");
        sqs_done(s, st);
        if (err)
            return err;
        if (cur == 0)
            return iom_fail(e, IOM_ENOTFOUND, "product: '%s' not found", ref);
        version = cur + 1;
    }
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, id);
    sqs_bind_text(st, 2, ref);
    db_bind_int64(st, 3, version);
    db_bind_int64(st, 4, p->tasking_id);
    sqs_bind_text(st, 5, products_type_name(p->type));
    sqs_bind_text(st, 6, p->filename);
    db_bind_int64(st, 7, p->size);
    sqs_bind_text(st, 8, p->sha256);
    sqs_bind_text(st, 9, iom_marking_name(p->marking));
    bind_id(st, 10, p->created_by);
    db_bind_int64(st, 11, p->created_at);
    err = sqs_step_done(s, st, e, "product");
    if (err)
        return err;
    if (!(st = sqs_prep(s, doc_sql, e)))
        return IOM_ESTORE;
    db_bind_int64(st, 1, id);
    db_bind_blob(st, 2, p->content ? (const void *)p->content : (const void *)"", p->size);
    if ((err = sqs_step_done(s, st, e, "product document")))
        return err;
    p->id = id;
    p->ref = iom_arena_strdup(a, ref);
    p->version = version;
    return IOM_OK;
}

static iom_err w_product_get(iom_store *is, const char *ref, int64_t version, bool with_content,
                             iom_arena *a, iom_product_t *out, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char latest[] = "SELECT " PRODUCT_COLS PRODUCT_FROM
                                 "WHERE p.ref = ?1 ORDER BY p.version DESC LIMIT 1";
    static const char ver[] = "SELECT " PRODUCT_COLS PRODUCT_FROM "WHERE p.ref = ?1 AND p.version = ?2";
    static const char latest_c[] = "SELECT " PRODUCT_COLS ", d.content" PRODUCT_FROM
                                   "JOIN product_document d ON d.product_id = p.id WHERE p.ref = ?1 ORDER BY p.version DESC LIMIT 1";
    static const char ver_c[] = "SELECT " PRODUCT_COLS ", d.content" PRODUCT_FROM
                                "JOIN product_document d ON d.product_id = p.id WHERE p.ref = ?1 AND p.version = ?2";
    const char *sql = with_content ? (version ? ver_c : latest_c) : (version ? ver : latest);
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, ref);
    if (version)
        db_bind_int64(st, 2, version);
    iom_err err = sqs_fetch1(s, st, a, with_content ? product_row_content : product_row, out, e,
                         "product", ref);
    if (err == IOM_ENOTFOUND && version)
        return iom_fail(e, IOM_ENOTFOUND, "product: '%s' has no version %lld", ref, (long long)version);
    return err;
}

static iom_err w_product_list(iom_store *is, int64_t tasking_id, iom_arena *a, iom_product_t **out,
                              size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "SELECT " PRODUCT_COLS PRODUCT_FROM
                              "WHERE p.tasking_id = ?1 ORDER BY p.ref, p.version";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    return sqs_collect(s, st, a, sizeof **out, product_row, (void **)out, n, e, "product list");
}

static iom_err w_product_deliver(iom_store *is, int64_t id, int64_t at, int64_t by, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "UPDATE product SET delivered_at = ?2, delivered_by = ?3 WHERE id = ?1 AND delivered_at IS NULL";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, id);
    db_bind_int64(st, 2, at);
    bind_id(st, 3, by);
    iom_err err = sqs_step_done(s, st, e, "product delivery");
    if (!err && db_changes(s) != 1)
        return iom_fail(e, IOM_ECONFLICT, "product: this version is already delivered");
    return err;
}

/* ---- MoPI review and disposal (migration 11) ------------------------------------------- */

static iom_err w_intel_key_put(iom_store *is, const char *ref, const unsigned char *wrapped,
                               size_t len, iom_error *e)
{
    sq_store *s = SQ(is);
    db_stmt *st = sqs_prep(s, "INSERT INTO intel_key(ref, wrapped) VALUES (?1, ?2)", e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, ref);
    db_bind_blob(st, 2, wrapped, len);
    int rc = db_step(st);
    sqs_done(s, st);
    if (rc == DB_CONSTRAINT_PRIMARYKEY)
        return iom_fail(e, IOM_ECONFLICT, "intelligence item %s: it has a key already", ref);
    return rc == DB_DONE ? IOM_OK : sqs_fail(s, e, "intelligence item key");
}

static iom_err w_intel_reseal(iom_store *is, const iom_intel_t *it, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "UPDATE intel_item SET text = ?2, source = ?3, conditions = ?4,"
                              " pnd_reason = ?5, correction_reason = ?6 WHERE id = ?1";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, it->id);
    sqs_bind_text(st, 2, it->text);
    sqs_bind_text(st, 3, it->source);
    sqs_bind_text(st, 4, it->grade.conditions);
    sqs_bind_text(st, 5, it->pnd_reason);
    sqs_bind_text(st, 6, it->correction_reason);
    iom_err err = sqs_step_done(s, st, e, "intelligence item");
    if (!err && db_changes(s) != 1)
        return iom_fail(e, IOM_ENOTFOUND, "intelligence item: version row %lld not found",
                        (long long)it->id);
    return err;
}

static iom_err w_intel_set_review_date(iom_store *is, int64_t id, const char *date, iom_error *e)
{
    sq_store *s = SQ(is);
    db_stmt *st =
        sqs_prep(s, "UPDATE intel_item SET review_date = ?2 WHERE id = ?1 AND is_current = 1", e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, id);
    sqs_bind_text(st, 2, date);
    iom_err err = sqs_step_done(s, st, e, "intelligence review date");
    if (!err && db_changes(s) != 1)
        return iom_fail(e, IOM_ECONFLICT, "intelligence item: that version is no longer current");
    return err;
}

static iom_err w_intel_review_insert(iom_store *is, iom_intel_review_t *r, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "INSERT INTO intel_review(ref, decision, reason, due_date, next_date,"
                              " user_id, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, r->ref);
    return sqs_review_insert(s, st, 2, r, "intelligence item", e);
}

static iom_err w_intel_reviews(iom_store *is, const char *ref, iom_arena *a,
                               iom_intel_review_t **out, size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "SELECT r.id, r.ref, r.decision, r.reason, r.due_date, r.next_date, r.user_id, r.at,"
        " u.name FROM intel_review r LEFT JOIN \"user\" u ON u.id = r.user_id WHERE r.ref = ?1"
        " ORDER BY r.id";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, ref);
    return sqs_collect(s, st, a, sizeof **out, sqs_review_row, (void **)out, n, e, "intelligence reviews");
}

/* The placeholders keep the table's CHECKs (conditions for C handling, a reason for
   not_required, a correction reason from version 2) true; they carry nothing of the item. */
static iom_err w_intel_erase(iom_store *is, const char *ref, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char erase[] =
        "UPDATE intel_item SET text = '', source = '',"
        " conditions = CASE WHEN handling = 'C' THEN '[erased]' END,"
        " pnd_reason = CASE WHEN pnd_status = 'not_required' THEN '[erased]' END,"
        " correction_reason = CASE WHEN version > 1 THEN '[erased]' END"
        " WHERE ref = ?1";
    static const char unkey[] = "DELETE FROM intel_key WHERE ref = ?1";
    const char *const sql[] = {erase, unkey};
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        db_stmt *st = sqs_prep(s, sql[i], e);
        if (!st)
            return IOM_ESTORE;
        sqs_bind_text(st, 1, ref);
        iom_err err = sqs_step_done(s, st, e, "intelligence erasure");
        if (err)
            return err;
    }
    return IOM_OK;
}

static void ref_row(db_stmt *st, iom_arena *a, void *p) { *(char **)p = sqs_col_text(st, 0, a); }

static iom_err w_intel_unsealed(iom_store *is, iom_arena *a, char ***refs, size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "SELECT DISTINCT i.ref FROM intel_item i WHERE i.is_current = 1"
        " AND NOT EXISTS (SELECT 1 FROM intel_key k WHERE k.ref = i.ref)"
        " AND NOT EXISTS (SELECT 1 FROM intel_review r WHERE r.ref = i.ref AND r.decision = 'dispose')"
        " ORDER BY i.ref";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    return sqs_collect(s, st, a, sizeof **refs, ref_row, (void **)refs, n, e, "unsealed items");
}

static iom_err w_purge(iom_store *is, iom_error *e)
{
    sq_store *s = SQ(is);
    return s->drv->purge(s, e);
}

const struct iom_store_work_ops sqlite_work_ops = {
    .version = 1,
    .intel_pending_count = w_intel_pending_count,
    .products_delivered = w_products_delivered,
    .contribution_insert = w_contribution_insert,
    .contribution_list = w_contribution_list,
    .intel_insert = w_intel_insert,
    .intel_get = w_intel_get,
    .intel_list = w_intel_list,
    .intel_history = w_intel_history,
    .intel_set_pnd = w_intel_set_pnd,
    .intel_due_review = w_intel_due_review,
    .option_insert = w_option_insert,
    .option_get = w_option_get,
    .option_list = w_option_list,
    .option_list_agency = w_option_list_agency,
    .option_update = w_option_update,
    .product_insert = w_product_insert,
    .product_get = w_product_get,
    .product_list = w_product_list,
    .product_deliver = w_product_deliver,
    .intel_key_put = w_intel_key_put,
    .intel_reseal = w_intel_reseal,
    .intel_set_review_date = w_intel_set_review_date,
    .intel_review_insert = w_intel_review_insert,
    .intel_reviews = w_intel_reviews,
    .intel_erase = w_intel_erase,
    .intel_unsealed = w_intel_unsealed,
    .purge = w_purge,
    .contribution_minutes = w_contribution_minutes,
};
