/* SQLite back-end: the picture area (store/picture_store.h). */
#include <stdio.h>
#include <string.h>

#include "store/picture_store.h"
#include "store/sqlite/sqlite_internal.h"

static int64_t i64(db_stmt *st, int i) { return db_col_int64(st, i); }
static const char *ctext(db_stmt *st, int i) { return (const char *)db_col_text(st, i); }

static void grade_cols(db_stmt *st, int i, iom_arena *a, iom_grade *g)
{
    const char *gs = ctext(st, i), *ga = ctext(st, i + 1), *gh = ctext(st, i + 2);
    g->source = gs ? gs[0] : '?';
    g->assessment = ga ? ga[0] : '?';
    g->handling = gh ? gh[0] : '?';
    g->conditions = sqs_col_text(st, i + 3, a);
}

static iom_err run_id(sq_store *s, const char *sql, int64_t a1, iom_error *e, const char *what)
{
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, a1);
    return sqs_step_done(s, st, e, what);
}

/* One integer from a query bound by the caller (0 when no row); releases st. */
static iom_err one_int(sq_store *s, db_stmt *st, int64_t *out, iom_error *e, const char *what)
{
    int rc = db_step(st);
    *out = rc == DB_ROW ? db_col_int64(st, 0) : 0;
    iom_err err = (rc == DB_ROW || rc == DB_DONE) ? IOM_OK : sqs_fail(s, e, what);
    sqs_done(s, st);
    return err;
}

/* ---- datasets ---------------------------------------------------------------------------- */

#define DS_COLS                                                                                \
    "d.id, iom_ref('DS', d.id), d.tasking_id, d.name, d.level, d.grade_source,"            \
    " d.grade_assessment, d.handling, d.conditions, d.marking, d.filename, d.sha256,"          \
    " d.roles_json, d.settings_json, d.records, d.imported_by, d.imported_at, d.review_date,"    \
    " t.ref, u.name FROM dataset d JOIN tasking t ON t.id = d.tasking_id"                      \
    " LEFT JOIN \"user\" u ON u.id = d.imported_by "

static void ds_row(db_stmt *st, iom_arena *a, void *p)
{
    iom_dataset_t *o = p;
    memset(o, 0, sizeof *o);
    o->id = i64(st, 0);
    o->ref = sqs_col_text(st, 1, a);
    o->tasking_id = i64(st, 2);
    o->name = sqs_col_text(st, 3, a);
    o->level = sqs_col_text(st, 4, a);
    grade_cols(st, 5, a, &o->grade);
    iom_marking_parse(ctext(st, 9), &o->marking, NULL);
    o->filename = sqs_col_text(st, 10, a);
    snprintf(o->sha256, sizeof o->sha256, "%s", ctext(st, 11) ? ctext(st, 11) : "");
    o->roles_json = sqs_col_text(st, 12, a);
    o->settings_json = sqs_col_text(st, 13, a);
    o->records = i64(st, 14);
    o->imported_by = i64(st, 15);
    o->imported_at = i64(st, 16);
    o->review_date = sqs_col_text(st, 17, a);
    o->tasking_ref = sqs_col_text(st, 18, a);
    o->importer = sqs_col_text(st, 19, a);
}

static iom_err p_dataset_insert(iom_store *is, iom_dataset_t *d, iom_arena *a, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "INSERT INTO dataset(id, tasking_id, name, level, grade_source, grade_assessment, handling,"
        " conditions, marking, filename, sha256, roles_json, settings_json, records, imported_by,"
        " imported_at, review_date) VALUES ((SELECT last + 1 FROM dataset_hwm WHERE one = 1),"
        " ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    char gs[2] = {d->grade.source, 0}, ga[2] = {d->grade.assessment, 0}, gh[2] = {d->grade.handling, 0};
    db_bind_int64(st, 1, d->tasking_id);
    sqs_bind_text(st, 2, d->name);
    sqs_bind_text(st, 3, d->level);
    sqs_bind_text(st, 4, gs);
    sqs_bind_text(st, 5, ga);
    sqs_bind_text(st, 6, gh);
    sqs_bind_text(st, 7, d->grade.handling == 'C' ? d->grade.conditions : NULL);
    sqs_bind_text(st, 8, iom_marking_name(d->marking));
    sqs_bind_text(st, 9, d->filename);
    sqs_bind_text(st, 10, d->sha256);
    sqs_bind_text(st, 11, d->roles_json);
    sqs_bind_text(st, 12, d->settings_json ? d->settings_json : "{}");
    db_bind_int64(st, 13, d->records);
    db_bind_int64(st, 14, d->imported_by);
    db_bind_int64(st, 15, d->imported_at);
    sqs_bind_text(st, 16, d->review_date);
    iom_err err = sqs_step_done(s, st, e, "dataset");
    if (!err) {
        d->id = db_last_id(s);
        d->ref = iom_arena_printf(a, "DS-%06lld", (long long)d->id);
    }
    return err;
}

/* "XX-000123" -> 123, 0 when malformed */
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

static iom_err p_dataset_get(iom_store *is, const char *ref, iom_arena *a, iom_dataset_t *out, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "SELECT " DS_COLS "WHERE d.id = ?1";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, ref_id(ref, "DS-"));
    return sqs_fetch1(s, st, a, ds_row, out, e, "dataset", ref);
}

static iom_err p_dataset_find(iom_store *is, int64_t tasking_id, const char *sha, const char *name,
                              int64_t *by_sha, int64_t *by_name, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char q1[] = "SELECT id FROM dataset WHERE tasking_id = ?1 AND sha256 = ?2";
    static const char q2[] = "SELECT id FROM dataset WHERE tasking_id = ?1 AND name = ?2";
    db_stmt *st = sqs_prep(s, q1, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    sqs_bind_text(st, 2, sha ? sha : "");
    iom_err err = one_int(s, st, by_sha, e, "dataset checksum");
    if (err || !(st = sqs_prep(s, q2, e)))
        return err ? err : IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    sqs_bind_text(st, 2, name ? name : "");
    return one_int(s, st, by_name, e, "dataset name");
}

static iom_err p_dataset_list(iom_store *is, int64_t tasking_id, iom_arena *a, iom_dataset_t **out,
                              size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "SELECT " DS_COLS "WHERE d.tasking_id = ?1 ORDER BY d.id";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    return sqs_collect(s, st, a, sizeof **out, ds_row, (void **)out, n, e, "dataset list");
}

static iom_err p_dataset_delete(iom_store *is, int64_t id, iom_error *e)
{
    return run_id(SQ(is), "DELETE FROM dataset WHERE id = ?1", id, e, "dataset delete");
}

static iom_err p_dataset_set_records(iom_store *is, int64_t id, int64_t records, const char *settings,
                                     iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "UPDATE dataset SET records = ?2, settings_json = ?3 WHERE id = ?1";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, id);
    db_bind_int64(st, 2, records);
    sqs_bind_text(st, 3, settings ? settings : "{}");
    return sqs_step_done(s, st, e, "dataset");
}

/* ---- records ----------------------------------------------------------------------------- */

static iom_err p_record_insert(iom_store *is, int64_t dataset_id, int64_t rownum, const char *rkey,
                               const char *fields, int64_t *id, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "INSERT INTO dataset_record(id, dataset_id, rownum, rkey, fields_json) VALUES"
        " ((SELECT last + 1 FROM id_hwm WHERE name = 'dataset_record'), ?1, ?2, ?3, ?4)";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, dataset_id);
    db_bind_int64(st, 2, rownum);
    sqs_bind_text(st, 3, rkey);
    sqs_bind_text(st, 4, fields);
    iom_err err = sqs_step_done(s, st, e, "dataset record");
    if (!err)
        *id = db_last_id(s);
    return err;
}

#define REC_COLS                                                                               \
    "r.id, iom_ref('REC', r.id), r.dataset_id, r.rownum, r.rkey, r.fields_json,"           \
    " iom_ref('DS', d.id), d.name, d.marking, d.imported_at FROM dataset_record r"         \
    " JOIN dataset d ON d.id = r.dataset_id "

static void rec_row(db_stmt *st, iom_arena *a, void *p)
{
    iom_precord_t *o = p;
    memset(o, 0, sizeof *o);
    o->id = i64(st, 0);
    o->ref = sqs_col_text(st, 1, a);
    o->dataset_id = i64(st, 2);
    o->rownum = i64(st, 3);
    o->rkey = sqs_col_text(st, 4, a);
    o->fields_json = sqs_col_text(st, 5, a);
    o->dataset_ref = sqs_col_text(st, 6, a);
    o->dataset_name = sqs_col_text(st, 7, a);
    iom_marking_parse(ctext(st, 8), &o->marking, NULL);
    o->imported_at = i64(st, 9);
}

static void rec_row_person(db_stmt *st, iom_arena *a, void *p)
{
    rec_row(st, a, p);
    ((iom_precord_t *)p)->person_id = i64(st, 10);
    ((iom_precord_t *)p)->person_confidence = db_col_double(st, 11);
}

static iom_err p_record_list(iom_store *is, int64_t tasking_id, iom_arena *a, iom_precord_t **out,
                             size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "SELECT q.*, coalesce((SELECT confidence FROM entity WHERE id = q.pid), 0) FROM ("
        "SELECT r.id, iom_ref('REC', r.id), r.dataset_id, r.rownum, r.rkey, r.fields_json,"
        " iom_ref('DS', d.id), d.name, d.marking, d.imported_at,"
        " coalesce((SELECT min(x.entity_id) FROM entity_source x JOIN entity en ON en.id = x.entity_id"
        " WHERE x.record_id = r.id AND en.type = 'person'), 0) AS pid FROM dataset_record r"
        " JOIN dataset d ON d.id = r.dataset_id WHERE d.tasking_id = ?1) q ORDER BY q.dataset_id, q.rownum";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    return sqs_collect(s, st, a, sizeof **out, rec_row_person, (void **)out, n, e, "record list");
}

static iom_err p_record_get(iom_store *is, const char *ref, iom_arena *a, iom_precord_t *out, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "SELECT " REC_COLS "WHERE r.id = ?1";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, ref_id(ref, "REC-"));
    return sqs_fetch1(s, st, a, rec_row, out, e, "record", ref);
}

/* ---- entities ---------------------------------------------------------------------------- */

#define ENT_COLS                                                                               \
    "e.id, iom_ref('ENT', e.id), e.tasking_id, e.type, e.key, e.label, e.confidence,"      \
    " e.review_date, e.created_at, e.updated_at, t.ref FROM entity e"                          \
    " JOIN tasking t ON t.id = e.tasking_id "

static void ent_row(db_stmt *st, iom_arena *a, void *p)
{
    iom_entity_t *o = p;
    memset(o, 0, sizeof *o);
    o->id = i64(st, 0);
    o->ref = sqs_col_text(st, 1, a);
    o->tasking_id = i64(st, 2);
    o->type = sqs_col_text(st, 3, a);
    o->key = sqs_col_text(st, 4, a);
    o->label = sqs_col_text(st, 5, a);
    o->confidence = db_col_double(st, 6);
    o->review_date = sqs_col_text(st, 7, a);
    o->created_at = i64(st, 8);
    o->updated_at = i64(st, 9);
    o->tasking_ref = sqs_col_text(st, 10, a);
}

static iom_err p_entity_insert(iom_store *is, iom_entity_t *en, iom_arena *a, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "INSERT INTO entity(id, tasking_id, type, key, label, confidence, review_date, created_at,"
        " updated_at) VALUES ((SELECT last + 1 FROM id_hwm WHERE name = 'entity'), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, en->tasking_id);
    sqs_bind_text(st, 2, en->type);
    sqs_bind_text(st, 3, en->key);
    sqs_bind_text(st, 4, en->label);
    db_bind_double(st, 5, en->confidence);
    sqs_bind_text(st, 6, en->review_date);
    db_bind_int64(st, 7, en->created_at);
    db_bind_int64(st, 8, en->updated_at);
    iom_err err = sqs_step_done(s, st, e, "entity");
    if (!err) {
        en->id = db_last_id(s);
        en->ref = iom_arena_printf(a, "ENT-%06lld", (long long)en->id);
    }
    return err;
}

static iom_err p_entity_get(iom_store *is, const char *ref, iom_arena *a, iom_entity_t *out, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "SELECT " ENT_COLS "WHERE e.id = ?1";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, ref_id(ref, "ENT-"));
    return sqs_fetch1(s, st, a, ent_row, out, e, "entity", ref);
}

static iom_err p_entity_find_key(iom_store *is, int64_t tasking_id, const char *type, const char *key,
                                 int64_t *id, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "SELECT id FROM entity WHERE tasking_id = ?1 AND type = ?2 AND key = ?3";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    sqs_bind_text(st, 2, type);
    sqs_bind_text(st, 3, key);
    return one_int(s, st, id, e, "entity key");
}

static iom_err p_entity_list(iom_store *is, int64_t tasking_id, iom_arena *a, iom_entity_t **out,
                             size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "SELECT " ENT_COLS "WHERE e.tasking_id = ?1 ORDER BY e.id";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    return sqs_collect(s, st, a, sizeof **out, ent_row, (void **)out, n, e, "entity list");
}

static iom_err p_entity_update(iom_store *is, const iom_entity_t *en, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "UPDATE entity SET label = ?2, confidence = ?3, review_date = ?4,"
                              " updated_at = ?5 WHERE id = ?1";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, en->id);
    sqs_bind_text(st, 2, en->label);
    db_bind_double(st, 3, en->confidence);
    sqs_bind_text(st, 4, en->review_date);
    db_bind_int64(st, 5, en->updated_at);
    return sqs_step_done(s, st, e, "entity");
}

/* ---- links ------------------------------------------------------------------------------- */

#define LNK_COLS                                                                               \
    "l.id, iom_ref('LNK', l.id), l.tasking_id, l.type, l.from_id, l.to_id, l.directed,"    \
    " l.confidence, l.review_date, l.created_at, l.updated_at, iom_ref('ENT', l.from_id),"  \
    " iom_ref('ENT', l.to_id), (SELECT ref FROM tasking WHERE id = l.tasking_id) FROM link l "

static void lnk_row(db_stmt *st, iom_arena *a, void *p)
{
    iom_plink_t *o = p;
    memset(o, 0, sizeof *o);
    o->id = i64(st, 0);
    o->ref = sqs_col_text(st, 1, a);
    o->tasking_id = i64(st, 2);
    o->type = sqs_col_text(st, 3, a);
    o->from_id = i64(st, 4);
    o->to_id = i64(st, 5);
    o->directed = db_col_int(st, 6) != 0;
    o->confidence = db_col_double(st, 7);
    o->review_date = sqs_col_text(st, 8, a);
    o->created_at = i64(st, 9);
    o->updated_at = i64(st, 10);
    o->from_ref = sqs_col_text(st, 11, a);
    o->to_ref = sqs_col_text(st, 12, a);
    o->tasking_ref = sqs_col_text(st, 13, a);
}

static iom_err p_link_insert(iom_store *is, iom_plink_t *l, iom_arena *a, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "INSERT INTO link(id, tasking_id, type, from_id, to_id, directed, confidence, review_date,"
        " created_at, updated_at) VALUES ((SELECT last + 1 FROM id_hwm WHERE name = 'link'), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, l->tasking_id);
    sqs_bind_text(st, 2, l->type);
    db_bind_int64(st, 3, l->from_id);
    db_bind_int64(st, 4, l->to_id);
    db_bind_int64(st, 5, l->directed);
    db_bind_double(st, 6, l->confidence);
    sqs_bind_text(st, 7, l->review_date);
    db_bind_int64(st, 8, l->created_at);
    db_bind_int64(st, 9, l->updated_at);
    iom_err err = sqs_step_done(s, st, e, "link");
    if (!err) {
        l->id = db_last_id(s);
        l->ref = iom_arena_printf(a, "LNK-%06lld", (long long)l->id);
    }
    return err;
}

static iom_err p_link_find(iom_store *is, int64_t tasking_id, const char *type, int64_t from, int64_t to,
                           int64_t *id, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "SELECT id FROM link WHERE tasking_id = ?1 AND type = ?2 AND from_id = ?3 AND to_id = ?4";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    sqs_bind_text(st, 2, type);
    db_bind_int64(st, 3, from);
    db_bind_int64(st, 4, to);
    return one_int(s, st, id, e, "link");
}

static iom_err p_link_get(iom_store *is, const char *ref, iom_arena *a, iom_plink_t *out, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "SELECT " LNK_COLS "WHERE l.id = ?1";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, ref_id(ref, "LNK-"));
    return sqs_fetch1(s, st, a, lnk_row, out, e, "link", ref);
}

static iom_err p_link_list(iom_store *is, int64_t tasking_id, int64_t entity_id, iom_arena *a,
                           iom_plink_t **out, size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char all[] = "SELECT " LNK_COLS "WHERE l.tasking_id = ?1 ORDER BY l.id";
    static const char of[] = "SELECT " LNK_COLS "WHERE l.tasking_id = ?1 AND (l.from_id = ?2 OR"
                             " l.to_id = ?2) ORDER BY l.id";
    db_stmt *st = sqs_prep(s, entity_id ? of : all, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    if (entity_id)
        db_bind_int64(st, 2, entity_id);
    return sqs_collect(s, st, a, sizeof **out, lnk_row, (void **)out, n, e, "link list");
}

static iom_err p_link_delete(iom_store *is, int64_t id, iom_error *e)
{
    return run_id(SQ(is), "DELETE FROM link WHERE id = ?1", id, e, "link delete");
}

/* ---- sources ----------------------------------------------------------------------------- */

static iom_err p_source_add(iom_store *is, bool link, int64_t owner, int64_t record_id, const char *intel_ref,
                            const char *label, const char *seen, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char es[] = "INSERT INTO entity_source(entity_id, record_id, intel_ref, label, seen)"
                             " VALUES (?1, ?2, ?3, ?4, ?5)";
    static const char ls[] = "INSERT INTO link_source(link_id, record_id, intel_ref, label, seen)"
                             " VALUES (?1, ?2, ?3, ?4, ?5)";
    db_stmt *st = sqs_prep(s, link ? ls : es, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, owner);
    if (record_id)
        db_bind_int64(st, 2, record_id);
    else
        db_bind_null(st, 2);
    sqs_bind_text(st, 3, record_id ? NULL : intel_ref);
    sqs_bind_text(st, 4, label ? label : "");
    sqs_bind_text(st, 5, seen);
    return sqs_step_done(s, st, e, "source");
}

static iom_err p_source_add_import(iom_store *is, bool link, int64_t owner, int64_t import_id, const char *label,
                                   const char *seen, const char *seen_last, const char *attrs_json, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char es[] = "INSERT INTO entity_import_source(entity_id, import_id, label, seen, seen_last,"
                             " attrs_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    static const char ls[] = "INSERT INTO link_import_source(link_id, import_id, label, seen, seen_last,"
                             " attrs_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    db_stmt *st = sqs_prep(s, link ? ls : es, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, owner);
    db_bind_int64(st, 2, import_id);
    sqs_bind_text(st, 3, label ? label : "");
    sqs_bind_text(st, 4, seen);
    sqs_bind_text(st, 5, seen_last);
    sqs_bind_text(st, 6, attrs_json ? attrs_json : "{}");
    return sqs_step_done(s, st, e, "source");
}

/* The columns of a source with its grade and marking: a record's dataset, or the item's
   current version. */
#define SRC_COLS(tab, owner, otype)                                                            \
    "x.id, x." owner ", " otype ", x.record_id, CASE WHEN x.record_id IS NULL THEN NULL ELSE"   \
    " iom_ref('REC', x.record_id) END, CASE WHEN d.id IS NULL THEN NULL ELSE"               \
    " iom_ref('DS', d.id) END, d.name, r.rownum, r.rkey, x.intel_ref, x.label, x.seen,"     \
    " coalesce(d.grade_source, i.grade_source), coalesce(d.grade_assessment, i.grade_assessment),"\
    " coalesce(d.handling, i.handling), CASE WHEN d.id IS NULL THEN i.conditions ELSE"          \
    " d.conditions END, coalesce(d.marking, i.marking), 0, NULL, NULL, NULL, NULL,"             \
    " coalesce(d.review_date, i.review_date)"                                                   \
    " FROM " tab " x LEFT JOIN dataset_record r ON r.id = x.record_id"                         \
    " LEFT JOIN dataset d ON d.id = r.dataset_id"                                               \
    " LEFT JOIN intel_item i ON i.ref = x.intel_ref AND i.is_current = 1 "
/* The same columns of an import's source: the import's grade (1A P when it has none) and
   marking. */
#define IMP_SRC_COLS(tab, owner, otype)                                                        \
    "x.id, x." owner ", " otype ", 0, NULL, NULL, NULL, 0, NULL, NULL, x.label, x.seen,"        \
    " coalesce(g.grade_source, '1'), coalesce(g.grade_assessment, 'A'), coalesce(g.handling, 'P')," \
    " g.conditions, m.marking, x.import_id, iom_ref('IMP', m.id), m.kind, x.seen_last,"     \
    " x.attrs_json, NULL FROM " tab " x JOIN analysis_import m ON m.id = x.import_id"           \
    " LEFT JOIN analysis_import_grade g ON g.import_id = m.id "

static void src_row(db_stmt *st, iom_arena *a, void *p)
{
    iom_psource_t *o = p;
    memset(o, 0, sizeof *o);
    o->id = i64(st, 0);
    o->owner_id = i64(st, 1);
    o->owner_type = sqs_col_text(st, 2, a);
    o->record_id = i64(st, 3);
    o->record_ref = sqs_col_text(st, 4, a);
    o->dataset_ref = sqs_col_text(st, 5, a);
    o->dataset_name = sqs_col_text(st, 6, a);
    o->rownum = i64(st, 7);
    o->rkey = sqs_col_text(st, 8, a);
    o->intel_ref = sqs_col_text(st, 9, a);
    o->label = sqs_col_text(st, 10, a);
    o->seen = sqs_col_text(st, 11, a);
    grade_cols(st, 12, a, &o->grade);
    /* an item or record that cannot be read is treated as the highest marking (fail safe) */
    o->marking = IOM_MARKING_OFFICIAL_SENSITIVE;
    if (ctext(st, 16))
        iom_marking_parse(ctext(st, 16), &o->marking, NULL);
    o->import_id = i64(st, 17);
    o->import_ref = sqs_col_text(st, 18, a);
    o->import_kind = sqs_col_text(st, 19, a);
    o->seen_last = sqs_col_text(st, 20, a);
    o->attrs_json = sqs_col_text(st, 21, a);
    o->review_date = sqs_col_text(st, 22, a);
}

static iom_err p_source_list(iom_store *is, bool link, int64_t tasking_id, int64_t owner, iom_arena *a,
                             iom_psource_t **out, size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    /* dataset records and items first, then imports, each by id (column 18: the import) */
    static const char e_one[] = "SELECT " SRC_COLS("entity_source", "entity_id", "o.type")
        "JOIN entity o ON o.id = x.entity_id WHERE x.entity_id = ?2 AND o.tasking_id = ?1"
        " UNION ALL SELECT " IMP_SRC_COLS("entity_import_source", "entity_id", "o.type")
        "JOIN entity o ON o.id = x.entity_id WHERE x.entity_id = ?2 AND o.tasking_id = ?1"
        " ORDER BY 2, 18, 1";
    static const char e_all[] = "SELECT " SRC_COLS("entity_source", "entity_id", "o.type")
        "JOIN entity o ON o.id = x.entity_id WHERE o.tasking_id = ?1"
        " UNION ALL SELECT " IMP_SRC_COLS("entity_import_source", "entity_id", "o.type")
        "JOIN entity o ON o.id = x.entity_id WHERE o.tasking_id = ?1 ORDER BY 2, 18, 1";
    static const char l_one[] = "SELECT " SRC_COLS("link_source", "link_id", "o.type")
        "JOIN link o ON o.id = x.link_id WHERE x.link_id = ?2 AND o.tasking_id = ?1"
        " UNION ALL SELECT " IMP_SRC_COLS("link_import_source", "link_id", "o.type")
        "JOIN link o ON o.id = x.link_id WHERE x.link_id = ?2 AND o.tasking_id = ?1"
        " ORDER BY 2, 18, 1";
    static const char l_all[] = "SELECT " SRC_COLS("link_source", "link_id", "o.type")
        "JOIN link o ON o.id = x.link_id WHERE o.tasking_id = ?1"
        " UNION ALL SELECT " IMP_SRC_COLS("link_import_source", "link_id", "o.type")
        "JOIN link o ON o.id = x.link_id WHERE o.tasking_id = ?1 ORDER BY 2, 18, 1";
    const char *sql = link ? (owner ? l_one : l_all) : (owner ? e_one : e_all);
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    if (owner)
        db_bind_int64(st, 2, owner);
    return sqs_collect(s, st, a, sizeof **out, src_row, (void **)out, n, e, "source list");
}

static iom_err p_entity_move(iom_store *is, int64_t from, int64_t into, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char *const steps[] = {
        "UPDATE entity_source SET entity_id = ?2 WHERE entity_id = ?1",
        "UPDATE entity_import_source SET entity_id = ?2 WHERE entity_id = ?1",
        /* links between the two disappear with the merge */
        "DELETE FROM link WHERE (from_id = ?1 AND to_id = ?2) OR (from_id = ?2 AND to_id = ?1)",
        /* a link of `from` that `into` already has: its sources go to that link */
        "UPDATE link_source SET link_id = (SELECT l2.id FROM link l1 JOIN link l2 ON"
        " l2.tasking_id = l1.tasking_id AND l2.type = l1.type AND"
        " l2.from_id = CASE WHEN l1.from_id = ?1 THEN ?2 ELSE l1.from_id END AND"
        " l2.to_id = CASE WHEN l1.to_id = ?1 THEN ?2 ELSE l1.to_id END WHERE l1.id = link_source.link_id)"
        " WHERE link_id IN (SELECT l1.id FROM link l1 JOIN link l2 ON l2.tasking_id = l1.tasking_id"
        " AND l2.type = l1.type AND l2.from_id = CASE WHEN l1.from_id = ?1 THEN ?2 ELSE l1.from_id END"
        " AND l2.to_id = CASE WHEN l1.to_id = ?1 THEN ?2 ELSE l1.to_id END"
        " WHERE (l1.from_id = ?1 OR l1.to_id = ?1) AND l2.id <> l1.id)",
        "UPDATE link_import_source SET link_id = (SELECT l2.id FROM link l1 JOIN link l2 ON"
        " l2.tasking_id = l1.tasking_id AND l2.type = l1.type AND"
        " l2.from_id = CASE WHEN l1.from_id = ?1 THEN ?2 ELSE l1.from_id END AND"
        " l2.to_id = CASE WHEN l1.to_id = ?1 THEN ?2 ELSE l1.to_id END WHERE l1.id = link_import_source.link_id)"
        " WHERE link_id IN (SELECT l1.id FROM link l1 JOIN link l2 ON l2.tasking_id = l1.tasking_id"
        " AND l2.type = l1.type AND l2.from_id = CASE WHEN l1.from_id = ?1 THEN ?2 ELSE l1.from_id END"
        " AND l2.to_id = CASE WHEN l1.to_id = ?1 THEN ?2 ELSE l1.to_id END"
        " WHERE (l1.from_id = ?1 OR l1.to_id = ?1) AND l2.id <> l1.id)",
        /* moved unless the move would make a link to itself or one the kept entity already
           has (UNIQUE(tasking_id, type, from_id, to_id)): those go with the next DELETE */
        "UPDATE link SET from_id = ?2 WHERE from_id = ?1 AND to_id <> ?2 AND NOT EXISTS (SELECT 1"
        " FROM link o WHERE o.tasking_id = link.tasking_id AND o.type = link.type AND o.from_id = ?2"
        " AND o.to_id = link.to_id)",
        "UPDATE link SET to_id = ?2 WHERE to_id = ?1 AND from_id <> ?2 AND NOT EXISTS (SELECT 1"
        " FROM link o WHERE o.tasking_id = link.tasking_id AND o.type = link.type AND"
        " o.from_id = link.from_id AND o.to_id = ?2)",
        "DELETE FROM link WHERE from_id = ?1 OR to_id = ?1",
        "DELETE FROM entity WHERE id = ?1",
    };
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        db_stmt *st = sqs_prep(s, steps[i], e);
        if (!st)
            return IOM_ESTORE;
        db_bind_int64(st, 1, from);
        db_bind_int64(st, 2, into);
        iom_err err = sqs_step_done(s, st, e, "entity merge");
        if (err)
            return err;
    }
    return IOM_OK;
}

/* The markings of the rows st gives (column 0, text) as a bit mask (1 << marking). */
static iom_err marking_mask(sq_store *s, db_stmt *st, unsigned *mask, iom_error *e, const char *what)
{
    *mask = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        iom_marking m;
        const char *t = db_col_text(st, 0);
        if (t && iom_marking_parse(t, &m, NULL) == IOM_OK)
            *mask |= 1u << m;
    }
    iom_err err = rc == DB_DONE ? IOM_OK : sqs_fail(s, e, what);
    sqs_done(s, st);
    return err;
}

static iom_err p_owner_markings(iom_store *is, bool link, int64_t owner, unsigned *mask, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char ent[] =
        "SELECT coalesce(d.marking, i.marking) FROM entity_source x LEFT JOIN dataset_record r ON r.id ="
        " x.record_id LEFT JOIN dataset d ON d.id = r.dataset_id LEFT JOIN intel_item i ON i.ref ="
        " x.intel_ref AND i.is_current = 1 WHERE x.entity_id = ?1 UNION SELECT m.marking FROM"
        " entity_import_source x JOIN analysis_import m ON m.id = x.import_id WHERE x.entity_id = ?1";
    static const char lnk[] =
        "SELECT coalesce(d.marking, i.marking) FROM link_source x LEFT JOIN dataset_record r ON r.id ="
        " x.record_id LEFT JOIN dataset d ON d.id = r.dataset_id LEFT JOIN intel_item i ON i.ref ="
        " x.intel_ref AND i.is_current = 1 WHERE x.link_id = ?1 UNION SELECT m.marking FROM"
        " link_import_source x JOIN analysis_import m ON m.id = x.import_id WHERE x.link_id = ?1";
    db_stmt *st = sqs_prep(s, link ? lnk : ent, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, owner);
    return marking_mask(s, st, mask, e, "source markings");
}

typedef struct owner_marking_row {
    int64_t id;
    unsigned bit;
} owner_marking_row;

static void owner_marking_of(db_stmt *st, iom_arena *a, void *p)
{
    (void)a;
    owner_marking_row *o = p;
    o->id = db_col_int64(st, 0);
    iom_marking m;
    const char *t = db_col_text(st, 1);
    o->bit = t && iom_marking_parse(t, &m, NULL) == IOM_OK ? 1u << m : 0;
}

static iom_err p_owner_markings_all(iom_store *is, bool link, int64_t tasking_id, iom_arena *a,
                                    iom_owner_markings **out, size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char ent[] =
        "SELECT x.entity_id, coalesce(d.marking, i.marking) FROM entity_source x JOIN entity o ON o.id ="
        " x.entity_id LEFT JOIN dataset_record r ON r.id = x.record_id LEFT JOIN dataset d ON d.id ="
        " r.dataset_id LEFT JOIN intel_item i ON i.ref = x.intel_ref AND i.is_current = 1 WHERE"
        " o.tasking_id = ?1 UNION SELECT x.entity_id, m.marking FROM entity_import_source x JOIN entity o"
        " ON o.id = x.entity_id JOIN analysis_import m ON m.id = x.import_id WHERE o.tasking_id = ?1"
        " ORDER BY 1";
    static const char lnk[] =
        "SELECT x.link_id, coalesce(d.marking, i.marking) FROM link_source x JOIN link o ON o.id ="
        " x.link_id LEFT JOIN dataset_record r ON r.id = x.record_id LEFT JOIN dataset d ON d.id ="
        " r.dataset_id LEFT JOIN intel_item i ON i.ref = x.intel_ref AND i.is_current = 1 WHERE"
        " o.tasking_id = ?1 UNION SELECT x.link_id, m.marking FROM link_import_source x JOIN link o"
        " ON o.id = x.link_id JOIN analysis_import m ON m.id = x.import_id WHERE o.tasking_id = ?1"
        " ORDER BY 1";
    *out = NULL;
    *n = 0;
    db_stmt *st = sqs_prep(s, link ? lnk : ent, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    owner_marking_row *v = NULL;
    size_t nv = 0;
    iom_err err = sqs_collect(s, st, a, sizeof *v, owner_marking_of, (void **)&v, &nv, e, "source markings");
    if (err)
        return err;
    iom_owner_markings *o = iom_arena_new(a, iom_owner_markings, nv ? nv : 1);
    size_t k = 0;
    for (size_t i = 0; i < nv; i++) {
        if (k && o[k - 1].id == v[i].id)
            o[k - 1].mask |= v[i].bit;
        else
            o[k++] = (iom_owner_markings){v[i].id, v[i].bit};
    }
    *out = o;
    *n = k;
    return IOM_OK;
}

static iom_err p_tasking_markings(iom_store *is, int64_t tasking_id, unsigned *mask, iom_error *e)
{
    sq_store *s = SQ(is);
    /* products too (review 93 M3: an SIO cleared below a product the tasking held was named) */
    db_stmt *st = sqs_prep(s, "SELECT marking FROM dataset WHERE tasking_id = ?1 UNION SELECT marking FROM"
                              " analysis_import WHERE tasking_id = ?1 UNION SELECT marking FROM intel_item"
                              " WHERE tasking_id = ?1 AND is_current = 1 UNION SELECT marking FROM product"
                              " WHERE tasking_id = ?1", e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    return marking_mask(s, st, mask, e, "tasking markings");
}

/* Runs sql with ?1 = a and ?2 = b (has_b) or the text t (t given). Every statement numbers
   its parameters from 1 without gaps (PostgreSQL infers their types). */
static iom_err renew_step(sq_store *s, const char *sql, int64_t a, int64_t b, bool has_b, const char *t,
                          iom_error *e, const char *what)
{
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, a);
    if (has_b)
        db_bind_int64(st, 2, b);
    else if (t)
        sqs_bind_text(st, 2, t);
    return sqs_step_done(s, st, e, what);
}

static iom_err p_entity_renew(iom_store *is, int64_t from, int64_t into, const char *key, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char *const moves[] = {
        "UPDATE entity_source SET entity_id = ?2 WHERE entity_id = ?1",
        "UPDATE entity_import_source SET entity_id = ?2 WHERE entity_id = ?1",
        "UPDATE link SET from_id = ?2 WHERE from_id = ?1",
        "UPDATE link SET to_id = ?2 WHERE to_id = ?1",
        "UPDATE deconflict_key SET entity_id = ?2 WHERE entity_id = ?1",
    };
    iom_err err = IOM_OK;
    for (size_t i = 0; i < sizeof moves / sizeof *moves && !err; i++)
        err = renew_step(s, moves[i], from, into, true, NULL, e, "entity renewal");
    /* its deconfliction alerts are withdrawn, to be raised again on the new entity: kept,
       one the match of which now rests on a lower marking would show that marking's SIA when
       it was raised and who acknowledged it, a match with the hidden material (review 82 H2;
       the acknowledgements stay in the audit trail) */
    if (!err)
        err = renew_step(s, "DELETE FROM deconflict_alert WHERE entity_id = ?1 OR other_entity_id = ?1", from, 0,
                         false, NULL, e, "entity renewal");
    if (!err)
        err = renew_step(s, "DELETE FROM entity WHERE id = ?1", from, 0, false, NULL, e, "entity renewal");
    if (!err && key)
        err = renew_step(s, "UPDATE entity SET key = ?2 WHERE id = ?1", into, 0, false, key, e, "entity renewal");
    return err;
}

static iom_err p_link_renew(iom_store *is, int64_t from, int64_t into, const char *type, iom_error *e)
{
    sq_store *s = SQ(is);
    iom_err err = renew_step(s, "UPDATE link_source SET link_id = ?2 WHERE link_id = ?1", from, into, true, NULL, e,
                             "link renewal");
    if (!err)
        err = renew_step(s, "UPDATE link_import_source SET link_id = ?2 WHERE link_id = ?1", from, into, true, NULL,
                         e, "link renewal");
    if (!err)
        err = renew_step(s, "DELETE FROM link WHERE id = ?1", from, 0, false, NULL, e, "link renewal");
    if (!err)
        err = renew_step(s, "UPDATE link SET type = ?2 WHERE id = ?1", into, 0, false, type, e, "link renewal");
    return err;
}

static iom_err p_clear_record_sources(iom_store *is, int64_t tasking_id, iom_error *e)
{
    sq_store *s = SQ(is);
    iom_err err = run_id(s, "DELETE FROM entity_source WHERE record_id IS NOT NULL AND entity_id IN"
                            " (SELECT id FROM entity WHERE tasking_id = ?1)", tasking_id, e, "sources");
    if (!err)
        err = run_id(s, "DELETE FROM link_source WHERE record_id IS NOT NULL AND link_id IN"
                        " (SELECT id FROM link WHERE tasking_id = ?1)", tasking_id, e, "sources");
    return err;
}

static iom_err p_prune(iom_store *is, int64_t tasking_id, int64_t *entities, int64_t *links, iom_error *e)
{
    sq_store *s = SQ(is);
    iom_err err = run_id(s, "DELETE FROM link WHERE tasking_id = ?1 AND NOT EXISTS (SELECT 1 FROM"
                            " link_source x WHERE x.link_id = link.id) AND NOT EXISTS (SELECT 1 FROM"
                            " link_import_source y WHERE y.link_id = link.id)", tasking_id, e, "prune");
    if (err)
        return err;
    *links = db_changes(s);
    err = run_id(s, "DELETE FROM entity WHERE tasking_id = ?1 AND NOT EXISTS (SELECT 1 FROM"
                    " entity_source x WHERE x.entity_id = entity.id) AND NOT EXISTS (SELECT 1 FROM"
                    " entity_import_source y WHERE y.entity_id = entity.id)", tasking_id, e, "prune");
    if (err)
        return err;
    *entities = db_changes(s);
    return IOM_OK;
}

static iom_err p_item_sources_clear(iom_store *is, const char *intel_ref, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char *const sql[2] = {"DELETE FROM entity_source WHERE intel_ref = ?1",
                                       "DELETE FROM link_source WHERE intel_ref = ?1"};
    for (int i = 0; i < 2; i++) {
        db_stmt *st = sqs_prep(s, sql[i], e);
        if (!st)
            return IOM_ESTORE;
        sqs_bind_text(st, 1, intel_ref);
        iom_err err = sqs_step_done(s, st, e, "item sources");
        if (err)
            return err;
    }
    return IOM_OK;
}

static iom_err p_link_item_source_remove(iom_store *is, int64_t link_id, const char *intel_ref, iom_error *e)
{
    sq_store *s = SQ(is);
    db_stmt *st = sqs_prep(s, "DELETE FROM link_source WHERE link_id = ?1 AND intel_ref = ?2", e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, link_id);
    sqs_bind_text(st, 2, intel_ref);
    return sqs_step_done(s, st, e, "link source remove");
}

static iom_err p_clear_sources_of(iom_store *is, const int64_t *ids, size_t n, iom_error *e)
{
    sq_store *s = SQ(is);
    iom_err err = IOM_OK;
    for (size_t i = 0; i < n && !err; i++)
        if (!(err = run_id(s, "DELETE FROM entity_source WHERE record_id = ?1", ids[i], e, "sources")))
            err = run_id(s, "DELETE FROM link_source WHERE record_id = ?1", ids[i], e, "sources");
    return err;
}

static iom_err p_prune_of(iom_store *is, const int64_t *ids, size_t n, int64_t *entities, int64_t *links,
                          iom_error *e)
{
    sq_store *s = SQ(is);
    *entities = *links = 0;
    iom_err err = IOM_OK;
    for (size_t i = 0; i < n && !err; i++) {
        /* one statement per end: each uses its index (link_from, link_to) */
        static const char *const ends[2] = {
            "DELETE FROM link WHERE from_id = ?1 AND NOT EXISTS (SELECT 1 FROM link_source x WHERE"
            " x.link_id = link.id) AND NOT EXISTS (SELECT 1 FROM link_import_source y WHERE"
            " y.link_id = link.id)",
            "DELETE FROM link WHERE to_id = ?1 AND NOT EXISTS (SELECT 1 FROM link_source x WHERE"
            " x.link_id = link.id) AND NOT EXISTS (SELECT 1 FROM link_import_source y WHERE"
            " y.link_id = link.id)"};
        for (int k = 0; k < 2 && !err; k++)
            if (!(err = run_id(s, ends[k], ids[i], e, "prune")))
                *links += db_changes(s);
        if (err)
            break;
        err = run_id(s, "DELETE FROM entity WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM entity_source x"
                        " WHERE x.entity_id = entity.id) AND NOT EXISTS (SELECT 1 FROM"
                        " entity_import_source y WHERE y.entity_id = entity.id)", ids[i], e, "prune");
        if (!err)
            *entities += db_changes(s);
    }
    return err;
}

static iom_err p_counts(iom_store *is, int64_t tasking_id, int64_t *entities, int64_t *links, iom_error *e)
{
    sq_store *s = SQ(is);
    db_stmt *st = sqs_prep(s, "SELECT count(*) FROM entity WHERE tasking_id = ?1", e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    iom_err err = one_int(s, st, entities, e, "entity count");
    if (err || !(st = sqs_prep(s, "SELECT count(*) FROM link WHERE tasking_id = ?1", e)))
        return err ? err : IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    return one_int(s, st, links, e, "link count");
}

/* ---- MoPI review of datasets and the picture's due list (migration 14) ------------------- */

static iom_err p_dataset_set_review_date(iom_store *is, int64_t id, const char *date, iom_error *e)
{
    sq_store *s = SQ(is);
    db_stmt *st = sqs_prep(s, "UPDATE dataset SET review_date = ?2 WHERE id = ?1", e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, id);
    sqs_bind_text(st, 2, date);
    return sqs_step_done(s, st, e, "dataset review date");
}

static iom_err p_dataset_review_insert(iom_store *is, int64_t dataset_id, int64_t tasking_id,
                                       iom_intel_review_t *r, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "INSERT INTO dataset_review(dataset_id, tasking_id, decision, reason,"
                              " due_date, next_date, user_id, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, dataset_id);
    db_bind_int64(st, 2, tasking_id);
    return sqs_review_insert(s, st, 3, r, "dataset", e);
}

static iom_err p_dataset_reviews(iom_store *is, const char *ref, iom_arena *a, iom_intel_review_t **out,
                                 size_t *n, int64_t *tasking_id, iom_error *e)
{
    sq_store *s = SQ(is);
    int64_t id = ref_id(ref, "DS-");
    *tasking_id = 0;
    *n = 0;
    static const char which[] = "SELECT coalesce((SELECT tasking_id FROM dataset WHERE id = ?1),"
                                " (SELECT tasking_id FROM dataset_review WHERE dataset_id = ?1 LIMIT 1), 0)";
    static const char sql[] =
        "SELECT r.id, iom_ref('DS', r.dataset_id), r.decision, r.reason, r.due_date, r.next_date,"
        " r.user_id, r.at, u.name, t.ref FROM dataset_review r LEFT JOIN \"user\" u ON u.id = r.user_id"
        " JOIN tasking t ON t.id = r.tasking_id WHERE r.dataset_id = ?1 ORDER BY r.id";
    db_stmt *st = sqs_prep(s, which, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, id);
    iom_err err = one_int(s, st, tasking_id, e, "dataset reviews");
    if (err || !(st = sqs_prep(s, sql, e)))
        return err ? err : IOM_ESTORE;
    db_bind_int64(st, 1, id);
    return sqs_collect(s, st, a, sizeof **out, sqs_review_row, (void **)out, n, e, "dataset reviews");
}

/* The latest review date of an owner's sources: datasets' through their records, and the
   current versions of intelligence items (a disposed item supports nothing). */
#define SOURCES_LATEST(tab, col, owner)                                                        \
    "(SELECT max(d) FROM (SELECT ds.review_date AS d FROM " tab " x"                           \
    " JOIN dataset_record r ON r.id = x.record_id JOIN dataset ds ON ds.id = r.dataset_id"     \
    " WHERE x." col " = " owner ".id UNION ALL SELECT i.review_date FROM " tab " x"            \
    " JOIN intel_item i ON i.ref = x.intel_ref AND i.is_current = 1 WHERE x." col " = " owner ".id)" \
    " AS src)"

static iom_err p_review_dates(iom_store *is, int64_t tasking_id, iom_error *e)
{
    sq_store *s = SQ(is);
    iom_err err = run_id(s, "UPDATE entity SET review_date = coalesce("
                            SOURCES_LATEST("entity_source", "entity_id", "entity")
                            ", review_date) WHERE tasking_id = ?1", tasking_id, e, "entity review dates");
    if (!err)
        err = run_id(s, "UPDATE link SET review_date = coalesce("
                        SOURCES_LATEST("link_source", "link_id", "link")
                        ", review_date) WHERE tasking_id = ?1", tasking_id, e, "link review dates");
    return err;
}

static iom_err p_review_dates_of(iom_store *is, bool link, const int64_t *ids, size_t n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char es[] = "UPDATE entity SET review_date = coalesce("
                             SOURCES_LATEST("entity_source", "entity_id", "entity") ", review_date) WHERE id = ?1";
    static const char ls[] = "UPDATE link SET review_date = coalesce("
                             SOURCES_LATEST("link_source", "link_id", "link") ", review_date) WHERE id = ?1";
    iom_err err = IOM_OK;
    for (size_t i = 0; i < n && !err; i++)
        err = run_id(s, link ? ls : es, ids[i], e, "review dates");
    return err;
}

static iom_err p_review_date_raise(iom_store *is, bool link, const int64_t *ids, size_t n, const char *date,
                                   iom_error *e)
{
    sq_store *s = SQ(is);
    static const char es[] = "UPDATE entity SET review_date = ?2 WHERE id = ?1 AND (review_date IS NULL"
                             " OR review_date < ?2)";
    static const char ls[] = "UPDATE link SET review_date = ?2 WHERE id = ?1 AND (review_date IS NULL"
                             " OR review_date < ?2)";
    iom_err err = IOM_OK;
    for (size_t i = 0; i < n && !err; i++) {
        db_stmt *st = sqs_prep(s, link ? ls : es, e);
        if (!st)
            return IOM_ESTORE;
        db_bind_int64(st, 1, ids[i]);
        sqs_bind_text(st, 2, date);
        err = sqs_step_done(s, st, e, "review date");
    }
    return err;
}

/* The need-to-know clauses of the due lists (as intel_due_review, sqlite_work.c): ?3 every
   tasking, ?4 the agency requested or owns, ?5 the user is the SIA, on the team or the threat's
   SIO, ?9 the tasking has reached TOEX (a toex_manager). */
#define DUE_SCOPE                                                                              \
    " (?3 OR t.requesting_agency_id = ?4 OR th.owner_id = ?4 OR t.sia_id = ?5 OR th.sio_id = ?5" \
    "  OR EXISTS (SELECT 1 FROM tasking_member m WHERE m.tasking_id = t.id AND m.user_id = ?5)"  \
    "  OR (?9 AND t.reached_toex <> 0))"
#define DUE_JOIN                                                                               \
    " JOIN tasking t ON t.id = x.tasking_id JOIN threat th ON th.id = t.threat_id"             \
    " JOIN agency oa ON oa.id = th.owner_id "
/* an entity source's marking: its dataset's or its item's current version's */
#define SOURCE_MARKING(tab, owner, mark)                                                       \
    "EXISTS (SELECT 1 FROM " tab " es LEFT JOIN dataset_record r ON r.id = es.record_id"       \
    " LEFT JOIN dataset ds ON ds.id = r.dataset_id LEFT JOIN intel_item i"                     \
    " ON i.ref = es.intel_ref AND i.is_current = 1 WHERE es.entity_id = " owner ".id"         \
    " AND coalesce(ds.marking, i.marking) = '" mark "')"

/* An entity's review date as a reader cleared OFFICIAL sees it (app/picture.c review_shown;
   review 94 M2): the stored one (the latest of every source's) when no source is marked above
   OFFICIAL (a record's dataset, an item's current version, an import), else the latest of its
   OFFICIAL records' datasets' and items' (NULL when it has none) */
#define ENTITY_HIDDEN(owner)                                                                   \
    "(" SOURCE_MARKING("entity_source", owner, "OFFICIAL-SENSITIVE") " OR EXISTS (SELECT 1 FROM" \
    " entity_import_source es JOIN analysis_import m ON m.id = es.import_id"                   \
    " WHERE es.entity_id = " owner ".id AND m.marking <> 'OFFICIAL'))"
#define ENTITY_DUE_OFFICIAL(owner)                                                             \
    "CASE WHEN ?2 OR NOT " ENTITY_HIDDEN(owner) " THEN " owner ".review_date ELSE"             \
    " (SELECT max(d) FROM (SELECT ds.review_date AS d FROM entity_source es"                   \
    " JOIN dataset_record r ON r.id = es.record_id JOIN dataset ds ON ds.id = r.dataset_id"    \
    " WHERE es.entity_id = " owner ".id AND ds.marking = 'OFFICIAL' UNION ALL"                 \
    " SELECT i.review_date FROM entity_source es JOIN intel_item i ON i.ref = es.intel_ref"    \
    " AND i.is_current = 1 WHERE es.entity_id = " owner ".id AND i.marking = 'OFFICIAL')"      \
    " AS src) END"

static void due_row(db_stmt *st, iom_arena *a, void *p)
{
    iom_pdue_t *o = p;
    memset(o, 0, sizeof *o);
    o->entity = i64(st, 0) != 0;
    o->ref = sqs_col_text(st, 1, a);
    o->tasking_ref = sqs_col_text(st, 2, a);
    o->owner = sqs_col_text(st, 3, a);
    o->review_date = sqs_col_text(st, 4, a);
    iom_marking_parse(ctext(st, 5), &o->marking, NULL);
    o->name = sqs_col_text(st, 6, a);
    o->type = sqs_col_text(st, 7, a);
    o->count = i64(st, 8);
}

static iom_err p_due(iom_store *is, const iom_intel_due_filter *f, bool want_datasets, bool want_entities,
                     iom_arena *a, iom_pdue_t **out, size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "SELECT * FROM ("
        "SELECT 0 AS kind, iom_ref('DS', x.id) AS ref, t.ref AS tasking_ref, oa.code AS owner,"
        " x.review_date AS due, x.marking, x.name, x.level, x.records FROM dataset x" DUE_JOIN
        "WHERE ?7 AND x.review_date <= ?1 AND (x.marking = 'OFFICIAL' OR ?2) AND" DUE_SCOPE
        " UNION ALL "
        "SELECT 1, iom_ref('ENT', x.id), t.ref, oa.code, " ENTITY_DUE_OFFICIAL("x") ","
        " CASE WHEN ?2 AND " SOURCE_MARKING("entity_source", "x", "OFFICIAL-SENSITIVE")
        " THEN 'OFFICIAL-SENSITIVE' ELSE 'OFFICIAL' END, NULL, x.type,"
        /* the sources the reader may see (?2: cleared for OFFICIAL-SENSITIVE) */
        " (SELECT count(*) FROM entity_source es LEFT JOIN dataset_record r ON r.id = es.record_id"
        " LEFT JOIN dataset ds ON ds.id = r.dataset_id LEFT JOIN intel_item i ON i.ref = es.intel_ref"
        " AND i.is_current = 1 WHERE es.entity_id = x.id AND (?2 OR coalesce(ds.marking, i.marking) ="
        " 'OFFICIAL')) FROM entity x" DUE_JOIN
        "WHERE ?8 AND " ENTITY_DUE_OFFICIAL("x") " <= ?1 AND (?2 OR " SOURCE_MARKING("entity_source", "x", "OFFICIAL")
        ") AND" DUE_SCOPE
        ") AS due_rows ORDER BY owner, due, kind, ref LIMIT ?6";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, f->due_by);
    db_bind_int64(st, 2, f->max_marking == IOM_MARKING_OFFICIAL_SENSITIVE);
    db_bind_int64(st, 3, f->all);
    db_bind_int64(st, 4, f->agency_id ? f->agency_id : -1);
    db_bind_int64(st, 5, f->user_id ? f->user_id : -1);
    db_bind_int64(st, 6, f->limit ? (int64_t)f->limit : INT64_MAX);
    db_bind_int64(st, 7, want_datasets);
    db_bind_int64(st, 8, want_entities);
    db_bind_int64(st, 9, f->reached_toex);
    return sqs_collect(s, st, a, sizeof **out, due_row, (void **)out, n, e, "picture review list");
}

/* ---- review queue ------------------------------------------------------------------------ */

#define REV_COLS                                                                               \
    "v.id, iom_ref('REV', v.id), v.tasking_id, v.record_a, v.record_b, v.probability,"     \
    " v.explanation_json, v.created_at, iom_ref('REC', v.record_a),"                       \
    " iom_ref('REC', v.record_b), da.name, db.name, ra.rkey, rb.rkey, da.marking,"         \
    " db.marking, (SELECT ref FROM tasking WHERE id = v.tasking_id), ra.fields_json, rb.fields_json,"             \
    " da.grade_source, da.grade_assessment, da.handling, da.conditions,"                     \
    " db.grade_source, db.grade_assessment, db.handling, db.conditions"                     \
    " FROM review_pair v JOIN dataset_record ra ON ra.id = v.record_a"                       \
    " JOIN dataset da ON da.id = ra.dataset_id JOIN dataset_record rb ON rb.id = v.record_b"    \
    " JOIN dataset db ON db.id = rb.dataset_id "

static void rev_row(db_stmt *st, iom_arena *a, void *p)
{
    iom_review_t *o = p;
    memset(o, 0, sizeof *o);
    o->id = i64(st, 0);
    o->ref = sqs_col_text(st, 1, a);
    o->tasking_id = i64(st, 2);
    o->record_a = i64(st, 3);
    o->record_b = i64(st, 4);
    o->probability = db_col_double(st, 5);
    o->explanation_json = sqs_col_text(st, 6, a);
    o->created_at = i64(st, 7);
    o->ref_a = sqs_col_text(st, 8, a);
    o->ref_b = sqs_col_text(st, 9, a);
    o->input_a = sqs_col_text(st, 10, a);
    o->input_b = sqs_col_text(st, 11, a);
    o->key_a = sqs_col_text(st, 12, a);
    o->key_b = sqs_col_text(st, 13, a);
    iom_marking_parse(ctext(st, 14), &o->marking_a, NULL);
    iom_marking_parse(ctext(st, 15), &o->marking_b, NULL);
    o->tasking_ref = sqs_col_text(st, 16, a);
    o->fields_a = sqs_col_text(st, 17, a);
    o->fields_b = sqs_col_text(st, 18, a);
    grade_cols(st, 19, a, &o->grade_a);
    grade_cols(st, 23, a, &o->grade_b);
}

static iom_err p_review_clear(iom_store *is, int64_t tasking_id, iom_error *e)
{
    /* pairs kept by review_add below are re-marked; the others go */
    return run_id(SQ(is), "UPDATE review_pair SET created_at = -created_at WHERE tasking_id = ?1"
                          " AND created_at > 0", tasking_id, e, "review queue");
}

static iom_err p_review_sweep(iom_store *is, int64_t tasking_id, iom_error *e)
{
    return run_id(SQ(is), "DELETE FROM review_pair WHERE tasking_id = ?1 AND created_at < 0",
                  tasking_id, e, "review queue");
}

static iom_err p_review_add(iom_store *is, const iom_review_t *r, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "INSERT INTO review_pair(id, tasking_id, record_a, record_b, probability, explanation_json,"
        " created_at) VALUES ((SELECT last + 1 FROM id_hwm WHERE name = 'review_pair'), ?1, ?2, ?3,"
        " ?4, ?5, ?6) ON CONFLICT(tasking_id, record_a, record_b)"
        " DO UPDATE SET probability = excluded.probability, explanation_json ="
        " excluded.explanation_json, created_at = abs(review_pair.created_at)";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, r->tasking_id);
    db_bind_int64(st, 2, r->record_a);
    db_bind_int64(st, 3, r->record_b);
    db_bind_double(st, 4, r->probability);
    sqs_bind_text(st, 5, r->explanation_json);
    db_bind_int64(st, 6, r->created_at > 0 ? r->created_at : 1);
    return sqs_step_done(s, st, e, "review pair");
}

static iom_err p_review_list(iom_store *is, int64_t tasking_id, iom_arena *a, iom_review_t **out,
                             size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "SELECT " REV_COLS "WHERE v.tasking_id = ?1 AND v.created_at > 0 ORDER BY v.probability DESC, v.id";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    return sqs_collect(s, st, a, sizeof **out, rev_row, (void **)out, n, e, "review list");
}

static iom_err p_review_get(iom_store *is, const char *ref, iom_arena *a, iom_review_t *out, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "SELECT " REV_COLS "WHERE v.id = ?1 AND v.created_at > 0";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, ref_id(ref, "REV-"));
    return sqs_fetch1(s, st, a, rev_row, out, e, "review pair", ref);
}

/* ---- decisions and settings -------------------------------------------------------------- */

static iom_err p_decision_insert(iom_store *is, const iom_decision_t *d, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char del[] =
        "DELETE FROM picture_decision WHERE tasking_id = ?1 AND ((input_a = ?2 AND key_a = ?3 AND"
        " input_b = ?4 AND key_b = ?5) OR (input_a = ?4 AND key_a = ?5 AND input_b = ?2 AND"
        " key_b = ?3))";
    static const char ins[] =
        "INSERT INTO picture_decision(tasking_id, kind, input_a, key_a, input_b, key_b, made_by,"
        " reason, decided_by, decided_at) VALUES (?1, ?6, ?2, ?3, ?4, ?5, ?7, ?8, ?9, ?10)";
    for (int k = 0; k < 2; k++) {
        db_stmt *st = sqs_prep(s, k ? ins : del, e);
        if (!st)
            return IOM_ESTORE;
        db_bind_int64(st, 1, d->tasking_id);
        sqs_bind_text(st, 2, d->input_a);
        sqs_bind_text(st, 3, d->key_a);
        sqs_bind_text(st, 4, d->input_b);
        sqs_bind_text(st, 5, d->key_b);
        if (k) {
            sqs_bind_text(st, 6, d->kind);
            sqs_bind_text(st, 7, d->made_by);
            sqs_bind_text(st, 8, d->reason);
            db_bind_int64(st, 9, d->decided_by);
            db_bind_int64(st, 10, d->decided_at);
        }
        iom_err err = sqs_step_done(s, st, e, "decision");
        if (err)
            return err;
    }
    return IOM_OK;
}

static void dec_row(db_stmt *st, iom_arena *a, void *p)
{
    iom_decision_t *o = p;
    memset(o, 0, sizeof *o);
    o->id = i64(st, 0);
    o->tasking_id = i64(st, 1);
    o->kind = sqs_col_text(st, 2, a);
    o->input_a = sqs_col_text(st, 3, a);
    o->key_a = sqs_col_text(st, 4, a);
    o->input_b = sqs_col_text(st, 5, a);
    o->key_b = sqs_col_text(st, 6, a);
    o->made_by = sqs_col_text(st, 7, a);
    o->reason = sqs_col_text(st, 8, a);
    o->decided_by = i64(st, 9);
    o->decided_at = i64(st, 10);
}

static iom_err p_decision_list(iom_store *is, int64_t tasking_id, iom_arena *a, iom_decision_t **out,
                               size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "SELECT id, tasking_id, kind, input_a, key_a, input_b, key_b, made_by, reason, decided_by,"
        " decided_at FROM picture_decision WHERE tasking_id = ?1 ORDER BY id";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    return sqs_collect(s, st, a, sizeof **out, dec_row, (void **)out, n, e, "decision list");
}

static iom_err p_settings_get(iom_store *is, int64_t tasking_id, double *link, double *review, int *engine,
                              bool *found, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "SELECT s.link_threshold, s.review_threshold, coalesce(g.version, 1) FROM picture_settings s"
        " LEFT JOIN picture_engine g ON g.tasking_id = s.tasking_id WHERE s.tasking_id = ?1";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    int rc = db_step(st);
    *found = rc == DB_ROW;
    if (*found) {
        *link = db_col_double(st, 0);
        *review = db_col_double(st, 1);
        int64_t v = db_col_int64(st, 2);
        *engine = v < 1 ? 1 : v > INT32_MAX ? INT32_MAX : (int)v;
    }
    iom_err err = (rc == DB_ROW || rc == DB_DONE) ? IOM_OK : sqs_fail(s, e, "settings");
    sqs_done(s, st);
    return err;
}

static iom_err p_settings_set(iom_store *is, int64_t tasking_id, double link, double review, int engine,
                              iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "INSERT INTO picture_settings(tasking_id, link_threshold, review_threshold) VALUES (?1, ?2, ?3)"
        " ON CONFLICT(tasking_id) DO UPDATE SET link_threshold = excluded.link_threshold,"
        " review_threshold = excluded.review_threshold";
    static const char sql_engine[] =
        "INSERT INTO picture_engine(tasking_id, version) VALUES (?1, ?2)"
        " ON CONFLICT(tasking_id) DO UPDATE SET version = excluded.version";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    db_bind_double(st, 2, link);
    db_bind_double(st, 3, review);
    iom_err err = sqs_step_done(s, st, e, "settings");
    if (err)
        return err;
    if (!(st = sqs_prep(s, sql_engine, e)))
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    db_bind_int64(st, 2, engine < 1 ? 1 : engine);
    return sqs_step_done(s, st, e, "settings");
}

const struct iom_store_picture_ops sqlite_picture_ops = {
    .version = 1,
    .dataset_insert = p_dataset_insert,
    .dataset_get = p_dataset_get,
    .dataset_find = p_dataset_find,
    .dataset_list = p_dataset_list,
    .dataset_delete = p_dataset_delete,
    .dataset_set_records = p_dataset_set_records,
    .record_insert = p_record_insert,
    .record_list = p_record_list,
    .record_get = p_record_get,
    .entity_insert = p_entity_insert,
    .entity_get = p_entity_get,
    .entity_find_key = p_entity_find_key,
    .entity_list = p_entity_list,
    .entity_update = p_entity_update,
    .link_insert = p_link_insert,
    .link_find = p_link_find,
    .link_get = p_link_get,
    .link_list = p_link_list,
    .link_delete = p_link_delete,
    .source_add = p_source_add,
    .source_list = p_source_list,
    .source_add_import = p_source_add_import,
    .entity_move = p_entity_move,
    .entity_renew = p_entity_renew,
    .link_renew = p_link_renew,
    .owner_markings = p_owner_markings,
    .tasking_markings = p_tasking_markings,
    .owner_markings_all = p_owner_markings_all,
    .clear_record_sources = p_clear_record_sources,
    .prune = p_prune,
    .item_sources_clear = p_item_sources_clear,
    .dataset_set_review_date = p_dataset_set_review_date,
    .dataset_review_insert = p_dataset_review_insert,
    .dataset_reviews = p_dataset_reviews,
    .review_dates = p_review_dates,
    .due = p_due,
    .review_clear = p_review_clear,
    .review_add = p_review_add,
    .review_sweep = p_review_sweep,
    .review_list = p_review_list,
    .review_get = p_review_get,
    .decision_insert = p_decision_insert,
    .decision_list = p_decision_list,
    .settings_get = p_settings_get,
    .settings_set = p_settings_set,
    .clear_sources_of = p_clear_sources_of,
    .prune_of = p_prune_of,
    .review_dates_of = p_review_dates_of,
    .review_date_raise = p_review_date_raise,
    .counts = p_counts,
    .link_item_source_remove = p_link_item_source_remove,
};
