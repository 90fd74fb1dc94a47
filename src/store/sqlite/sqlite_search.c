/* SQLite back-end: the search index and deconfliction (store/search_store.h, migration 13). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/search_store.h"
#include "util/buf.h"
#include "store/sqlite/sqlite_internal.h"

static int64_t i64(db_stmt *st, int i) { return db_col_int64(st, i); }

/* Deletes the index rows of the documents the bound statement `sel` selects (their ids),
   one rowid at a time: FTS5 finds a rowid directly, but scans the whole index for
   "rowid IN (subquery)". Releases sel. */
static iom_err fts_delete(sq_store *s, db_stmt *sel, iom_error *e)
{
    int64_t ids[64];
    size_t n = 0;
    iom_err err = IOM_OK;
    int rc;
    for (;;) {
        /* collect a batch, then delete it (the select's cursor stays on search_doc) */
        while (n < 64 && (rc = db_step(sel)) == DB_ROW)
            ids[n++] = db_col_int64(sel, 0);
        for (size_t i = 0; i < n && !err; i++) {
            static const char del[] = "DELETE FROM search_fts WHERE rowid = ?1";
            db_stmt *st = sqs_prep(s, del, e);
            if (!st) {
                err = IOM_ESTORE;
                break;
            }
            db_bind_int64(st, 1, ids[i]);
            err = sqs_step_done(s, st, e, "search index");
        }
        if (err || n < 64)
            break;
        n = 0;
    }
    if (!err && rc != DB_DONE && rc != DB_ROW)
        err = sqs_fail(s, e, "search documents");
    sqs_done(s, sel);
    return err;
}

/* Deletes the documents of (kind, ref) and their index rows. */
static iom_err doc_delete(sq_store *s, const char *kind, const char *ref, iom_error *e)
{
    static const char sel[] = "SELECT id FROM search_doc WHERE kind = ?1 AND ref = ?2";
    static const char del_doc[] = "DELETE FROM search_doc WHERE kind = ?1 AND ref = ?2";
    db_stmt *st = sqs_prep(s, sel, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, kind);
    sqs_bind_text(st, 2, ref);
    iom_err err = fts_delete(s, st, e);
    if (err || !(st = sqs_prep(s, del_doc, e)))
        return err ? err : IOM_ESTORE;
    sqs_bind_text(st, 1, kind);
    sqs_bind_text(st, 2, ref);
    return sqs_step_done(s, st, e, "search document");
}

static iom_err s_doc_set(iom_store *is, const char *kind, const char *ref, int64_t tasking_id, const char *type,
                         const char *sig, const iom_search_body *docs, size_t n, bool purge, iom_error *e)
{
    sq_store *s = SQ(is);
    /* an erasure overwrites the freed pages too (PRAGMA secure_delete), for this change only */
    int secure = 1;
    if (purge) {
        db_stmt *st = sqs_prep(s, "PRAGMA secure_delete", e);
        if (!st)
            return IOM_ESTORE;
        secure = db_step(st) == DB_ROW ? db_col_int(st, 0) : 1;
        sqs_done(s, st);
        if (!secure && sqs_exec(s, "PRAGMA secure_delete = ON", e, "secure delete"))
            return IOM_ESTORE;
    }
    iom_err err = doc_delete(s, kind, ref, e);
    static const char ins_doc[] =
        "INSERT INTO search_doc(kind, ref, tasking_id, type, marking, label, sig) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
    static const char ins_fts[] = "INSERT INTO search_fts(rowid, body, terms) VALUES (?1, ?2, ?3)";
    for (size_t i = 0; i < n && !err; i++) {
        db_stmt *st = sqs_prep(s, ins_doc, e);
        if (!st)
            return IOM_ESTORE;
        sqs_bind_text(st, 1, kind);
        sqs_bind_text(st, 2, ref);
        db_bind_int64(st, 3, tasking_id);
        sqs_bind_text(st, 4, type);
        sqs_bind_text(st, 5, iom_marking_name(docs[i].marking));
        sqs_bind_text(st, 6, docs[i].label);
        sqs_bind_text(st, 7, sig);
        if ((err = sqs_step_done(s, st, e, "search document")))
            break;
        int64_t id = db_last_id(s);
        if (!(st = sqs_prep(s, ins_fts, e)))
            return IOM_ESTORE;
        db_bind_int64(st, 1, id);
        sqs_bind_text(st, 2, docs[i].text ? docs[i].text : "");
        sqs_bind_text(st, 3, docs[i].terms ? docs[i].terms : "");
        err = sqs_step_done(s, st, e, "search index");
    }
    /* 'optimize' merges every segment into one, leaving out deleted rows' tokens */
    if (!err && purge)
        err = sqs_exec(s, "INSERT INTO search_fts(search_fts) VALUES ('optimize')", e, "search index merge");
    if (!secure) {
        iom_error ignored = {0};
        sqs_exec(s, "PRAGMA secure_delete = OFF", &ignored, "secure delete");
    }
    return err;
}

static void sig_row(db_stmt *st, iom_arena *a, void *p)
{
    iom_search_sig *o = p;
    o->ref = sqs_col_text(st, 0, a);
    o->sig = sqs_col_text(st, 1, a);
}

static iom_err s_doc_sigs(iom_store *is, const char *kind, int64_t tasking_id, iom_arena *a, iom_search_sig **out,
                          size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "SELECT ref, max(sig) FROM search_doc WHERE tasking_id = ?1 AND kind = ?2 GROUP BY ref ORDER BY ref";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    sqs_bind_text(st, 2, kind);
    return sqs_collect(s, st, a, sizeof **out, sig_row, (void **)out, n, e, "search documents");
}

static void tasking_row(db_stmt *st, iom_arena *a, void *p)
{
    iom_search_tasking *o = p;
    o->id = i64(st, 0);
    o->ref = sqs_col_text(st, 1, a);
}

static iom_err s_taskings(iom_store *is, iom_arena *a, iom_search_tasking **out, size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "SELECT t.id, t.ref FROM tasking t WHERE t.ref IS NOT NULL AND EXISTS (SELECT 1 FROM search_doc d"
        " WHERE d.tasking_id = t.id) ORDER BY t.id";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    return sqs_collect(s, st, a, sizeof **out, tasking_row, (void **)out, n, e, "search taskings");
}

static void hit_row(db_stmt *st, iom_arena *a, void *p)
{
    iom_search_hit *o = p;
    memset(o, 0, sizeof *o);
    o->kind = sqs_col_text(st, 0, a);
    o->ref = sqs_col_text(st, 1, a);
    o->type = sqs_col_text(st, 2, a);
    o->tasking_id = i64(st, 3);
    o->tasking_ref = sqs_col_text(st, 4, a);
    iom_marking_parse((const char *)db_col_text(st, 5), &o->marking, NULL);
    o->label = sqs_col_text(st, 6, a);
    o->body = sqs_col_text(st, 7, a);
    o->rank = db_col_double(st, 8);
}

static iom_err s_query(iom_store *is, const iom_search_query *q, iom_arena *a, iom_search_hit **out, size_t *n,
                       iom_error *e)
{
    sq_store *s = SQ(is);
    /* need-to-know and clearance are in the WHERE, before the LIMIT; the rank reads the
       document and the query only (iom_rank, sqlite_store.c), so hidden documents move
       nothing */
    static const char sql[] =
        "SELECT d.kind, d.ref, d.type, d.tasking_id, t.ref, d.marking, d.label,"
        " search_fts.body, iom_rank(search_fts)"
        " FROM search_fts JOIN search_doc d ON d.id = search_fts.rowid JOIN tasking t ON t.id = d.tasking_id"
        " WHERE search_fts MATCH ?1"
        " AND (?2 IS NULL OR d.kind = ?2) AND (?3 IS NULL OR d.type = ?3) AND (?4 = 0 OR d.tasking_id = ?4)"
        " AND d.marking IN (SELECT value FROM json_each(?7))"
        " AND ((d.kind = 'tasking' AND d.tasking_id IN (SELECT value FROM json_each(?5)))"
        "   OR (d.kind <> 'tasking' AND d.tasking_id IN (SELECT value FROM json_each(?6))))"
        " ORDER BY iom_rank(search_fts), d.id LIMIT ?8";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, q->match);
    sqs_bind_text(st, 2, q->kind);
    sqs_bind_text(st, 3, q->type);
    db_bind_int64(st, 4, q->tasking_id);
    sqs_bind_text(st, 5, q->tasking_ids ? q->tasking_ids : "[]");
    sqs_bind_text(st, 6, q->intel_ids ? q->intel_ids : "[]");
    sqs_bind_text(st, 7, q->markings ? q->markings : "[]");
    db_bind_int64(st, 8, (int64_t)q->limit);
    iom_err err = sqs_collect(s, st, a, sizeof **out, hit_row, (void **)out, n, e, "search");
    if (err == IOM_ESTORE && e && strstr(e->msg, "fts5"))
        err = iom_fail(e, IOM_EINVAL, "q: the search could not be run (%s)", e->msg);
    return err;
}

iom_err sqlite_search_tasking(sq_store *s, int64_t id, iom_error *e)
{
    static const char sel[] = "SELECT id FROM search_doc WHERE kind = 'tasking' AND tasking_id = ?1";
    db_stmt *q = sqs_prep(s, sel, e);
    if (!q)
        return IOM_ESTORE;
    db_bind_int64(q, 1, id);
    iom_err derr = fts_delete(s, q, e);
    if (derr)
        return derr;
    static const char del_doc[] = "DELETE FROM search_doc WHERE kind = 'tasking' AND tasking_id = ?1";
    static const char ins_doc[] =
        "INSERT INTO search_doc(kind, ref, tasking_id, marking) SELECT 'tasking', ref, id, marking FROM tasking"
        " WHERE id = ?1 AND ref IS NOT NULL";
    static const char body[] =
        "SELECT d.id,"
        " coalesce(t.ref, '') || ' ' || coalesce(th.ref, '') || ' ' || coalesce(th.title, '') || ' ' ||"
        " CASE WHEN json_valid(t.bid_json) THEN coalesce(json_extract(t.bid_json, '$.summary'), '')"
        " || ' ' || coalesce(json_extract(t.bid_json, '$.known'), '') || ' ' ||"
        /* the requirements' text, one after the other, in their order (their JSON source
           showed escapes in snippets: review 45) */
        " coalesce((SELECT group_concat(value, ' ') FROM (SELECT value FROM json_each(t.bid_json,"
        " '$.requirements') WHERE json_type(t.bid_json, '$.requirements') = 'array' ORDER BY key)), '')"
        " ELSE '' END"
        " FROM search_doc d JOIN tasking t ON t.id = d.tasking_id JOIN threat th ON th.id = t.threat_id"
        " WHERE d.kind = 'tasking' AND d.tasking_id = ?1";
    static const char ins_fts[] = "INSERT INTO search_fts(rowid, body, terms) VALUES (?1, ?2, ?3)";
    const char *sqls[] = {del_doc, ins_doc};
    for (int i = 0; i < 2; i++) {
        db_stmt *st = sqs_prep(s, sqls[i], e);
        if (!st)
            return IOM_ESTORE;
        db_bind_int64(st, 1, id);
        iom_err err = sqs_step_done(s, st, e, "tasking search document");
        if (err)
            return err;
    }
    return sqs_search_tasking_fts(s, id, body, ins_fts, e);
}

iom_err sqs_search_tasking_fts(sq_store *s, int64_t id, const char *body_sql, const char *insert_sql,
                               iom_error *e)
{
    db_stmt *st = sqs_prep(s, body_sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, id);
    int rc = db_step(st);
    if (rc != DB_ROW) {
        iom_err err = rc == DB_DONE ? IOM_OK : sqs_fail(s, e, "tasking search document");
        sqs_done(s, st);
        return err; /* no document (a tasking without a reference yet) */
    }
    int64_t doc = db_col_int64(st, 0);
    const char *b = db_col_text(st, 1);
    char *text = strdup(b ? b : "");
    sqs_done(s, st);
    if (!text)
        return iom_fail(e, IOM_ENOMEM, "tasking search document: out of memory");
    /* the folded forms, as an item's and an entity's (review 102 L9a: a threat title in
       full-width letters was found only as typed) */
    iom_buf terms = {0};
    if (s->base.search_terms)
        s->base.search_terms(text, false, &terms);
    iom_err err = IOM_ESTORE;
    if ((st = sqs_prep(s, insert_sql, e))) {
        db_bind_int64(st, 1, doc);
        sqs_bind_text(st, 2, text);
        sqs_bind_text(st, 3, terms.len ? iom_buf_cstr(&terms) : "");
        err = sqs_step_done(s, st, e, "tasking search document");
    }
    iom_buf_free(&terms);
    free(text);
    return err;
}

/* ---- deconfliction ---------------------------------------------------------------------- */

static int key_cmp3(int64_t ea, const char *ta, const char *ka, int64_t eb, const char *tb, const char *kb)
{
    if (ea != eb)
        return ea < eb ? -1 : 1;
    int c = strcmp(ta, tb);
    return c ? c : strcmp(ka, kb);
}

static int dkey_cmp(const void *x, const void *y)
{
    const iom_dkey *a = x, *b = y;
    return key_cmp3(a->entity_id, a->type, a->key, b->entity_id, b->type, b->key);
}

static iom_err key_insert(sq_store *s, int64_t tasking_id, const iom_dkey *k, iom_error *e)
{
    static const char ins[] =
        "INSERT INTO deconflict_key(tasking_id, entity_id, type, key, features) VALUES (?1, ?2, ?3, ?4, ?5)";
    db_stmt *st = sqs_prep(s, ins, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    db_bind_int64(st, 2, k->entity_id);
    sqs_bind_text(st, 3, k->type);
    sqs_bind_text(st, 4, k->key);
    sqs_bind_text(st, 5, k->features);
    return sqs_step_done(s, st, e, "deconfliction key");
}

typedef struct old_key {
    int64_t id, entity_id;
    char *type, *key, *features;
} old_key;

static void old_key_row(db_stmt *st, iom_arena *a, void *p)
{
    old_key *o = p;
    o->id = i64(st, 0);
    o->entity_id = i64(st, 1);
    o->type = sqs_col_text(st, 2, a);
    o->key = sqs_col_text(st, 3, a);
    o->features = sqs_col_text(st, 4, a);
}

/* Writes only the difference: most keys stay from one resolution to the next. */
static iom_err s_keys_set(iom_store *is, int64_t tasking_id, const iom_dkey *k, size_t n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sel[] = "SELECT id, entity_id, type, key, features FROM deconflict_key WHERE tasking_id = ?1";
    static const char del[] = "DELETE FROM deconflict_key WHERE id = ?1";
    iom_arena a;
    iom_arena_init(&a);
    old_key *ov = NULL;
    size_t no = 0;
    iom_dkey *nv = NULL;
    db_stmt *st = sqs_prep(s, sel, e);
    if (!st) {
        iom_arena_free(&a);
        return IOM_ESTORE;
    }
    db_bind_int64(st, 1, tasking_id);
    iom_err err = sqs_collect(s, st, &a, sizeof *ov, old_key_row, (void **)&ov, &no, e, "deconfliction keys");
    if (!err) {
        nv = iom_arena_new(&a, iom_dkey, n ? n : 1);
        if (n)
            memcpy(nv, k, n * sizeof *nv);
        qsort(nv, n, sizeof *nv, dkey_cmp);
        /* the old ones in the same order */
        iom_dkey *oo = iom_arena_new(&a, iom_dkey, no ? no : 1);
        int64_t *oid = iom_arena_new(&a, int64_t, no ? no : 1);
        for (size_t i = 0; i < no; i++)
            oo[i] = (iom_dkey){ov[i].entity_id, ov[i].type, ov[i].key, (const char *)(uintptr_t)i};
        qsort(oo, no, sizeof *oo, dkey_cmp);
        for (size_t i = 0; i < no; i++)
            oid[i] = (int64_t)(uintptr_t)oo[i].features;
        size_t i = 0, j = 0;
        while (!err && (i < no || j < n)) {
            int c = i == no ? 1 : j == n ? -1
                                         : key_cmp3(oo[i].entity_id, oo[i].type, oo[i].key, nv[j].entity_id,
                                                    nv[j].type, nv[j].key);
            const old_key *o = i < no ? &ov[oid[i]] : NULL;
            if (c == 0 && strcmp(o->features ? o->features : "", nv[j].features ? nv[j].features : "") == 0) {
                i++, j++;
                continue;
            }
            if (c <= 0) { /* gone, or changed: delete the old row */
                if (!(st = sqs_prep(s, del, e))) {
                    err = IOM_ESTORE;
                    break;
                }
                db_bind_int64(st, 1, o->id);
                err = sqs_step_done(s, st, e, "deconfliction key");
                i++;
            }
            if (!err && c >= 0) /* new, or changed: insert the new row */
                err = key_insert(s, tasking_id, &nv[j++], e);
        }
    }
    iom_arena_free(&a);
    return err;
}

static bool same_text(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : "") == 0; }

/* Writes the difference for each entity named: its old keys read by the entity index, a key
   gone or changed deleted, a new one inserted (an import touches many entities whose keys stay:
   deleting and inserting them all again cost a fifth of an incremental import). */
static iom_err s_keys_set_of(iom_store *is, int64_t tasking_id, const int64_t *ids, size_t nids,
                             const iom_dkey *k, size_t n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sel[] =
        "SELECT id, entity_id, type, key, features FROM deconflict_key WHERE entity_id = ?1 AND tasking_id = ?2";
    static const char del[] = "DELETE FROM deconflict_key WHERE id = ?1";
    iom_arena a;
    iom_arena_init(&a);
    iom_dkey *nv = iom_arena_new(&a, iom_dkey, n ? n : 1);
    if (n)
        memcpy(nv, k, n * sizeof *nv);
    qsort(nv, n, sizeof *nv, dkey_cmp);
    bool *had = iom_arena_new(&a, bool, n ? n : 1); /* a new key the entity already holds */
    iom_err err = IOM_OK;
    for (size_t i = 0; i < nids && !err; i++) {
        /* this entity's new keys: nv[lo, hi) */
        size_t lo = 0, hi = n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (nv[mid].entity_id < ids[i])
                lo = mid + 1;
            else
                hi = mid;
        }
        for (hi = lo; hi < n && nv[hi].entity_id == ids[i]; hi++)
            had[hi] = false;
        db_stmt *st = sqs_prep(s, sel, e);
        if (!st) {
            err = IOM_ESTORE;
            break;
        }
        db_bind_int64(st, 1, ids[i]);
        db_bind_int64(st, 2, tasking_id);
        old_key *ov = NULL;
        size_t no = 0;
        if ((err = sqs_collect(s, st, &a, sizeof *ov, old_key_row, (void **)&ov, &no, e, "deconfliction keys")))
            break;
        for (size_t o = 0; o < no && !err; o++) {
            bool keep = false;
            for (size_t j = lo; j < hi && !keep; j++)
                if (!had[j] && !strcmp(nv[j].type, ov[o].type) && !strcmp(nv[j].key, ov[o].key) &&
                    same_text(nv[j].features, ov[o].features))
                    keep = had[j] = true;
            if (keep)
                continue;
            if (!(st = sqs_prep(s, del, e))) {
                err = IOM_ESTORE;
                break;
            }
            db_bind_int64(st, 1, ov[o].id);
            err = sqs_step_done(s, st, e, "deconfliction key");
        }
        for (size_t j = lo; j < hi && !err; j++)
            if (!had[j])
                err = key_insert(s, tasking_id, &nv[j], e);
    }
    iom_arena_free(&a);
    return err;
}

static void cand_row(db_stmt *st, iom_arena *a, void *p)
{
    iom_dcand *o = p;
    o->tasking_id = i64(st, 0);
    o->entity_id = i64(st, 1);
    o->type = sqs_col_text(st, 2, a);
    o->key = sqs_col_text(st, 3, a);
    o->features = sqs_col_text(st, 4, a);
}

static iom_err s_candidates(iom_store *is, int64_t tasking_id, iom_arena *a, iom_dcand **out, size_t *n,
                            iom_error *e)
{
    sq_store *s = SQ(is);
    /* the tasking's distinct keys first, then whether another tasking holds each (a key that
       many of its own entities hold is looked up once, not once per entity) */
    static const char sql[] =
        "WITH mine(type, key) AS MATERIALIZED (SELECT DISTINCT type, key FROM deconflict_key WHERE tasking_id = ?1),"
        " shared(type, key) AS MATERIALIZED (SELECT m.type, m.key FROM mine m WHERE EXISTS (SELECT 1 FROM"
        " deconflict_key x WHERE x.type = m.type AND x.key = m.key AND x.tasking_id <> ?1))"
        " SELECT o.tasking_id, o.entity_id, o.type, o.key, o.features FROM shared h"
        " JOIN deconflict_key o ON o.type = h.type AND o.key = h.key"
        " ORDER BY o.type, o.key, o.tasking_id, o.entity_id";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    return sqs_collect(s, st, a, sizeof **out, cand_row, (void **)out, n, e, "deconfliction candidates");
}

static iom_err s_alert_add(iom_store *is, int64_t tasking_id, int64_t entity_id, int64_t other_tasking_id,
                           int64_t other_entity_id, const char *type, double probability, int64_t at, bool *added,
                           iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "INSERT INTO deconflict_alert(id, tasking_id, entity_id, other_tasking_id, other_entity_id,"
        " entity_type, probability, created_at) VALUES ((SELECT last + 1 FROM id_hwm WHERE name ="
        " 'deconflict_alert'), ?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    db_bind_int64(st, 2, entity_id);
    db_bind_int64(st, 3, other_tasking_id);
    db_bind_int64(st, 4, other_entity_id);
    sqs_bind_text(st, 5, type);
    db_bind_double(st, 6, probability);
    db_bind_int64(st, 7, at);
    iom_err err = sqs_step_done(s, st, e, "deconfliction alert");
    *added = !err && db_changes(s) == 1;
    return err;
}

#define ALERT_COLS                                                                             \
    "a.id, iom_ref('DCF', a.id), a.tasking_id, a.entity_id, t.ref, iom_ref('ENT', a.entity_id),"  \
    " t.marking, a.entity_type, a.probability, a.created_at, ou.name, oa.code, oa.name, t.sia_id,"  \
    " th.sio_id, ku.name, a.acked_at, a.other_entity_id, a.other_tasking_id, ot.marking"      \
    " FROM deconflict_alert a JOIN tasking t ON t.id = a.tasking_id JOIN threat th ON th.id = t.threat_id" \
    " JOIN tasking ot ON ot.id = a.other_tasking_id JOIN threat oth ON oth.id = ot.threat_id"    \
    " JOIN agency oa ON oa.id = oth.owner_id LEFT JOIN \"user\" ou ON ou.id = ot.sia_id"             \
    " LEFT JOIN \"user\" ku ON ku.id = a.acked_by "

static void alert_row(db_stmt *st, iom_arena *a, void *p)
{
    iom_dalert *o = p;
    memset(o, 0, sizeof *o);
    o->id = i64(st, 0);
    o->ref = sqs_col_text(st, 1, a);
    o->tasking_id = i64(st, 2);
    o->entity_id = i64(st, 3);
    o->tasking_ref = sqs_col_text(st, 4, a);
    o->entity_ref = sqs_col_text(st, 5, a);
    iom_marking_parse((const char *)db_col_text(st, 6), &o->tasking_marking, NULL);
    o->entity_type = sqs_col_text(st, 7, a);
    o->probability = db_col_double(st, 8);
    o->created_at = i64(st, 9);
    o->contact_sia = sqs_col_text(st, 10, a);
    o->contact_agency = sqs_col_text(st, 11, a);
    o->contact_agency_name = sqs_col_text(st, 12, a);
    o->sia_id = i64(st, 13);
    o->sio_id = i64(st, 14);
    o->acked_by = sqs_col_text(st, 15, a);
    o->acked_at = i64(st, 16);
    o->other_entity_id = i64(st, 17);
    o->other_tasking_id = i64(st, 18);
    iom_marking_parse((const char *)db_col_text(st, 19), &o->other_tasking_marking, NULL);
}

static iom_err s_alert_list(iom_store *is, int64_t user_id, iom_arena *a, iom_dalert **out, size_t *n,
                            iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "SELECT " ALERT_COLS "WHERE t.sia_id = ?1 OR th.sio_id = ?1 ORDER BY a.id";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, user_id);
    return sqs_collect(s, st, a, sizeof **out, alert_row, (void **)out, n, e, "deconfliction alerts");
}

static iom_err s_alert_get(iom_store *is, const char *ref, iom_arena *a, iom_dalert *out, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] = "SELECT " ALERT_COLS "WHERE iom_ref('DCF', a.id) = ?1";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, ref);
    return sqs_fetch_one(s, st, a, alert_row, out, e, "deconfliction alert", "deconfliction alert: '%s' not found",
                         ref);
}

static iom_err s_alert_ack(iom_store *is, int64_t id, int64_t user_id, int64_t at, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "UPDATE deconflict_alert SET acked_by = ?2, acked_at = ?3 WHERE id = ?1 AND acked_by IS NULL";
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, id);
    db_bind_int64(st, 2, user_id);
    db_bind_int64(st, 3, at);
    iom_err err = sqs_step_done(s, st, e, "deconfliction acknowledgement");
    if (!err && db_changes(s) != 1)
        return iom_fail(e, IOM_ECONFLICT, "deconfliction alert DCF-%06lld is already acknowledged", (long long)id);
    return err;
}

static void ref_row(db_stmt *st, iom_arena *a, void *p) { *(char **)p = sqs_col_text(st, 0, a); }

static iom_err s_alert_prune(iom_store *is, int64_t tasking_id, iom_arena *a, char ***refs, size_t *n,
                             iom_error *e)
{
    sq_store *s = SQ(is);
#define GONE_ALERTS                                                                                 \
    "FROM deconflict_alert WHERE (tasking_id = ?1 AND NOT EXISTS (SELECT 1 FROM entity x WHERE"      \
    " x.id = deconflict_alert.entity_id)) OR (other_tasking_id = ?1 AND NOT EXISTS (SELECT 1 FROM"    \
    " entity y WHERE y.id = deconflict_alert.other_entity_id))"
    /* each as "DCF-... TOEX-...": the alert and the tasking on its other side */
    static const char sel[] = "SELECT iom_ref('DCF', id) || ' ' || coalesce((SELECT ref FROM tasking t WHERE t.id ="
                              " CASE WHEN deconflict_alert.tasking_id = ?1 THEN deconflict_alert.other_tasking_id"
                              " ELSE deconflict_alert.tasking_id END), '?') " GONE_ALERTS " ORDER BY id";
    static const char del[] = "DELETE " GONE_ALERTS;
#undef GONE_ALERTS
    *refs = NULL;
    *n = 0;
    db_stmt *st = sqs_prep(s, sel, e);
    if (!st)
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    iom_err err = sqs_collect(s, st, a, sizeof **refs, ref_row, (void **)refs, n, e, "deconfliction alerts");
    if (err || !*n)
        return err;
    if (!(st = sqs_prep(s, del, e)))
        return IOM_ESTORE;
    db_bind_int64(st, 1, tasking_id);
    return sqs_step_done(s, st, e, "deconfliction alerts");
}

const struct iom_store_search_ops sqlite_search_ops = {
    .version = 1,
    .doc_set = s_doc_set,
    .doc_sigs = s_doc_sigs,
    .taskings = s_taskings,
    .query = s_query,
    .keys_set = s_keys_set,
    .keys_set_of = s_keys_set_of,
    .candidates = s_candidates,
    .alert_add = s_alert_add,
    .alert_list = s_alert_list,
    .alert_get = s_alert_get,
    .alert_ack = s_alert_ack,
    .alert_prune = s_alert_prune,
};
