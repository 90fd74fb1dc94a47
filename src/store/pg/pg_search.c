/* PostgreSQL back-end: the search index on PostgreSQL's own text search (pg_internal.h). The
   documents (search_doc) and the deconfliction tables are the SQL layer's; the index rows are in
   search_fts(id, body, terms, tsv), tsv generated from body and terms in the configuration
   iom_simple (simple parser, unaccent, no stemming: the FTS5 unicode61 tokenizer's behaviour
   with remove_diacritics). */
#include <stdlib.h>
#include <string.h>

#include "store/pg/pg_internal.h"

char *pg_tsquery_of(const char *match)
{
    size_t n = strlen(match);
    char *out = malloc(n * 6 + 8);
    if (!out)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        char c = match[i];
        if (c == '"') { /* a phrase: its words one after the other */
            i++;
            bool first = true, in_word = false;
            out[k++] = '(';
            while (i < n) {
                char d = match[i];
                if (d == '"') {
                    if (i + 1 < n && match[i + 1] == '"') { /* "" inside: a quote character */
                        i++;
                    } else {
                        i++;
                        break;
                    }
                }
                /* the words of the phrase are split where the documents' text was (the schema's
                   generated tsvector: at every ASCII character that is not a letter or digit), so
                   `o'neil@example.org` is the phrase o <-> neil <-> example <-> org as in the
                   documents (review 46) */
                unsigned char u = (unsigned char)d;
                if (u < 0x80 && !((u >= '0' && u <= '9') || ((u | 0x20) >= 'a' && (u | 0x20) <= 'z'))) {
                    if (in_word) {
                        out[k++] = '\'';
                        in_word = false;
                    }
                    i++;
                    continue;
                }
                if (!in_word) {
                    if (!first) {
                        memcpy(out + k, " <-> ", 5);
                        k += 5;
                    }
                    out[k++] = '\'';
                    in_word = true;
                    first = false;
                }
                out[k++] = d; /* a letter, a digit or a byte of a non-ASCII character */
                i++;
            }
            if (in_word)
                out[k++] = '\'';
            if (first) { /* an empty phrase matches nothing */
                memcpy(out + k, "''", 2);
                k += 2;
            }
            out[k++] = ')';
            continue;
        }
        if (strncmp(match + i, "AND", 3) == 0 && (i + 3 == n || match[i + 3] == ' ')) {
            out[k++] = '&';
            i += 3;
            continue;
        }
        if (strncmp(match + i, "OR", 2) == 0 && (i + 2 == n || match[i + 2] == ' ')) {
            out[k++] = '|';
            i += 2;
            continue;
        }
        if (c == '(' || c == ')' || c == ' ')
            out[k++] = c;
        i++; /* nothing else is made by search_build_match */
    }
    out[k] = '\0';
    return out;
}

/* The index rows go with their documents, by the cascade of search_fts.id REFERENCES
   search_doc(id) ON DELETE CASCADE: one look-up by search_fts's primary key per document. An
   explicit "DELETE FROM search_fts WHERE id IN (SELECT id FROM search_doc WHERE ...)" before it
   was the cause of the PostgreSQL test_picture_incremental timeouts of stops 54 and 61: as a
   prepared statement its generic plan, made while the tables were small, scanned the whole of
   search_fts for every entity written, and a dataset import of a few thousand entities took
   minutes of one backend's CPU (docs/performance.md, "Stop 62"). */
static iom_err doc_delete(sq_store *s, const char *kind, const char *ref, iom_error *e)
{
    static const char del_doc[] = "DELETE FROM search_doc WHERE kind = ?1 AND ref = ?2";
    db_stmt *st = sqs_prep(s, del_doc, e);
    if (!st)
        return IOM_ESTORE;
    sqs_bind_text(st, 1, kind);
    sqs_bind_text(st, 2, ref);
    return sqs_step_done(s, st, e, "search document");
}

/* `purge` (an erasure): the old rows are deleted in this transaction; their bytes stay in the
   table's pages until VACUUM reuses them (docs/operations.md, erasure on PostgreSQL). */
iom_err pg_search_doc_set(iom_store *is, const char *kind, const char *ref, int64_t tasking_id,
                          const char *type, const char *sig, const iom_search_body *docs, size_t n,
                          bool purge, iom_error *e)
{
    (void)purge;
    sq_store *s = SQ(is);
    iom_err err = doc_delete(s, kind, ref, e);
    static const char ins_doc[] =
        "INSERT INTO search_doc(kind, ref, tasking_id, type, marking, label, sig)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id";
    static const char ins_fts[] = "INSERT INTO search_fts(id, body, terms) VALUES (?1, ?2, ?3)";
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
        int rc = db_step(st);
        int64_t id = rc == DB_ROW ? db_col_int64(st, 0) : 0;
        if (rc != DB_ROW)
            err = sqs_fail(s, e, "search document");
        sqs_done(s, st);
        if (err)
            break;
        if (!(st = sqs_prep(s, ins_fts, e)))
            return IOM_ESTORE;
        db_bind_int64(st, 1, id);
        sqs_bind_text(st, 2, docs[i].text ? docs[i].text : "");
        sqs_bind_text(st, 3, docs[i].terms ? docs[i].terms : "");
        err = sqs_step_done(s, st, e, "search index");
    }
    return err;
}

static void hit_row(db_stmt *st, iom_arena *a, void *p)
{
    iom_search_hit *o = p;
    memset(o, 0, sizeof *o);
    o->kind = sqs_col_text(st, 0, a);
    o->ref = sqs_col_text(st, 1, a);
    o->type = sqs_col_text(st, 2, a);
    o->tasking_id = db_col_int64(st, 3);
    o->tasking_ref = sqs_col_text(st, 4, a);
    iom_marking_parse(db_col_text(st, 5), &o->marking, NULL);
    o->label = sqs_col_text(st, 6, a);
    o->body = sqs_col_text(st, 7, a);
    o->rank = db_col_double(st, 8);
}

/* Best first, as iom_rank's lowest-first on SQLite: the rank is minus ts_rank_cd (both read the
   document and the query alone: nothing a reader may not see moves the order). The body is
   returned, not a headline: the app makes the snippet (ts_headline dropped a leading house
   number and trailing punctuation, and marked no cut). */
iom_err pg_search_query(iom_store *is, const iom_search_query *q, iom_arena *a, iom_search_hit **out,
                        size_t *n, iom_error *e)
{
    sq_store *s = SQ(is);
    static const char sql[] =
        "WITH q AS (SELECT to_tsquery('iom_simple', ?1) AS q),"
        " hit AS (SELECT d.kind, d.ref, d.type, d.tasking_id, t.ref AS tref, d.marking, d.label,"
        "   f.body, -ts_rank_cd(f.tsv, q.q) AS rank, d.id"
        "  FROM q JOIN search_fts f ON f.tsv @@ q.q JOIN search_doc d ON d.id = f.id"
        "  JOIN tasking t ON t.id = d.tasking_id"
        "  WHERE (?2::text IS NULL OR d.kind = ?2) AND (?3::text IS NULL OR d.type = ?3)"
        "  AND (?4::bigint = 0 OR d.tasking_id = ?4)"
        "  AND d.marking IN (SELECT json_array_elements_text(?7::json))"
        "  AND ((d.kind = 'tasking' AND d.tasking_id IN"
        "        (SELECT json_array_elements_text(?5::json)::bigint))"
        "    OR (d.kind <> 'tasking' AND d.tasking_id IN"
        "        (SELECT json_array_elements_text(?6::json)::bigint)))"
        "  ORDER BY rank, d.id LIMIT ?8)"
        " SELECT h.kind, h.ref, h.type, h.tasking_id, h.tref, h.marking, h.label, h.body, h.rank"
        " FROM hit h ORDER BY h.rank, h.id";
    char *tsq = pg_tsquery_of(q->match);
    if (!tsq)
        return iom_fail(e, IOM_ENOMEM, "search: out of memory");
    db_stmt *st = sqs_prep(s, sql, e);
    if (!st) {
        free(tsq);
        return IOM_ESTORE;
    }
    sqs_bind_text(st, 1, tsq);
    free(tsq);
    sqs_bind_text(st, 2, q->kind);
    sqs_bind_text(st, 3, q->type);
    db_bind_int64(st, 4, q->tasking_id);
    sqs_bind_text(st, 5, q->tasking_ids ? q->tasking_ids : "[]");
    sqs_bind_text(st, 6, q->intel_ids ? q->intel_ids : "[]");
    sqs_bind_text(st, 7, q->markings ? q->markings : "[]");
    db_bind_int64(st, 8, (int64_t)q->limit);
    iom_err err = sqs_collect(s, st, a, sizeof **out, hit_row, (void **)out, n, e, "search");
    if (err == IOM_ESTORE && e && strstr(e->msg, "tsquery"))
        err = iom_fail(e, IOM_EINVAL, "q: the search could not be run (%s)", e->msg);
    return err;
}

iom_err pg_search_tasking(sq_store *s, int64_t id, iom_error *e)
{
    /* the index rows go by cascade (doc_delete) */
    static const char del_doc[] = "DELETE FROM search_doc WHERE kind = 'tasking' AND tasking_id = ?1";
    static const char ins_doc[] =
        "INSERT INTO search_doc(kind, ref, tasking_id, marking) SELECT 'tasking', ref, id, marking"
        " FROM tasking WHERE id = ?1 AND ref IS NOT NULL";
    /* bid_json is always a JSON object (written by app/tasking_bid.c) */
    static const char body[] =
        "SELECT d.id,"
        " coalesce(t.ref, '') || ' ' || coalesce(th.ref, '') || ' ' || coalesce(th.title, '') || ' ' ||"
        " coalesce(t.bid_json::jsonb ->> 'summary', '') || ' ' ||"
        " coalesce(t.bid_json::jsonb ->> 'known', '') || ' ' ||"
        /* the requirements' text, one after the other (their JSON source showed escapes, and
           differed from SQLite's in its spacing: review 45) */
        " coalesce((SELECT string_agg(r.v, ' ' ORDER BY r.n) FROM jsonb_array_elements_text("
        "CASE WHEN jsonb_typeof(t.bid_json::jsonb -> 'requirements') = 'array'"
        " THEN t.bid_json::jsonb -> 'requirements' ELSE '[]'::jsonb END) WITH ORDINALITY AS r(v, n)), '')"
        " FROM search_doc d JOIN tasking t ON t.id = d.tasking_id JOIN threat th ON th.id = t.threat_id"
        " WHERE d.kind = 'tasking' AND d.tasking_id = ?1";
    static const char ins_fts[] = "INSERT INTO search_fts(id, body, terms) VALUES (?1, ?2, ?3)";
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
