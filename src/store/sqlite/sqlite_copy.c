/*
 * The SQL layer's copy of a whole database from one handle to another, of either back-end
 * (store.h copy_to; `iom copy` between SQLite and PostgreSQL; issue 19 point 5).
 *
 * The target has just been given the source's schema version by migrate (so it holds the
 * migrations' reference rows and no audit entry). In ONE transaction of the target:
 *  1. the target's own triggers are switched off (PostgreSQL: ALTER TABLE ... DISABLE TRIGGER
 *     USER on every table, which the owner role may do and which is undone by a rollback;
 *     SQLite: the connection's SQLITE_DBCONFIG_ENABLE_TRIGGER, and foreign keys off), so that
 *     the append-only rules and the high-water-mark triggers neither refuse nor rewrite
 *     copied rows (the rows ARE the source's, high-water marks included);
 *  2. every table the target lists (table_counts' tables: public/main and reads, the search
 *     index as one table) is emptied of the migrations' rows;
 *  3. each table's rows are streamed from one read snapshot of the source in id order (the
 *     target's foreign keys: PostgreSQL's dropped for the copy and added again after it, which
 *     checks every row; SQLite's off, then PRAGMA foreign_key_check), column by column: bigint and double as
 *     numbers, bytea/BLOB as bytes, the rest as text; PostgreSQL's generated columns
 *     (search_fts.tsv) are left to PostgreSQL, SQLite's search index row id is its `id`;
 *  4. PostgreSQL: every identity sequence is set past the highest copied id (setval); the
 *     triggers are switched on again; then COMMIT. A failure rolls all of it back.
 * The audit and read chains are copied as stored: their MACs do not depend on the back-end,
 * so they verify on the target with the same key (the caller verifies them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pg/pg_internal.h"
#include "store/sqlite/sqlite_internal.h"
#include "util/buf.h"

typedef struct col {
    char *name;     /* in the target */
    char *src_name; /* in the source (SQLite's search index: rowid for id) */
    char kind;      /* 'i' integer, 'd' double, 'b' bytes, 't' text */
} col;

typedef struct table {
    char *name; /* "t" or "reads.t" */
    col *cols;
    size_t ncols;
} table;

static bool is_pg(sq_store *s) { return s->pg != NULL; }

/* "t" -> "t", "reads.t" -> reads."t": quoted for SQL (names from the catalogue). */
static char *qname(iom_arena *a, const char *name)
{
    const char *dot = strchr(name, '.');
    return dot ? iom_arena_printf(a, "%.*s.\"%s\"", (int)(dot - name), name, dot + 1)
               : iom_arena_printf(a, "\"%s\"", name);
}

static char kind_of(const char *type)
{
    char t[64];
    size_t i = 0;
    for (; type && type[i] && i < sizeof t - 1; i++)
        t[i] = (char)(type[i] >= 'a' && type[i] <= 'z' ? type[i] - 32 : type[i]);
    t[i] = '\0';
    if (strstr(t, "INT"))
        return 'i';
    if (strstr(t, "DOUBLE") || strstr(t, "REAL") || strstr(t, "FLOA"))
        return 'd';
    if (strstr(t, "BYTEA") || strstr(t, "BLOB"))
        return 'b';
    return 't';
}

/* Runs a query of text columns on s, calling fn for each row. */
typedef void (*row_fn)(void *ctx, db_stmt *st);
static iom_err each_row(sq_store *s, const char *sql, const char *p1, row_fn fn, void *ctx, iom_error *e)
{
    db_stmt *st = sqs_prep_once(s, sql, e);
    if (!st)
        return IOM_ESTORE;
    if (p1)
        sqs_bind_text(st, 1, p1);
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        fn(ctx, st);
    iom_err err = rc == DB_DONE ? IOM_OK : s->drv->fail(s, e, "copy: read the catalogue");
    sqs_finalize(st);
    return err;
}

typedef struct names {
    iom_arena *a;
    char **v;
    size_t n, cap;
    char *kinds; /* for columns */
} names;

static void add_name(names *ns, const char *name, char kind)
{
    if (ns->n == ns->cap) {
        size_t c2 = ns->cap ? ns->cap * 2 : 32;
        char **nv = iom_arena_alloc(ns->a, c2 * sizeof *nv);
        char *nk = iom_arena_alloc(ns->a, c2);
        if (ns->n) {
            memcpy(nv, ns->v, ns->n * sizeof *nv);
            memcpy(nk, ns->kinds, ns->n);
        }
        ns->v = nv;
        ns->kinds = nk;
        ns->cap = c2;
    }
    ns->kinds[ns->n] = kind;
    ns->v[ns->n++] = iom_arena_strdup(ns->a, name);
}

static void row_col(void *ctx, db_stmt *st)
{
    const char *name = db_col_text(st, 0), *type = db_col_text(st, 1);
    if (name)
        add_name(ctx, name, kind_of(type));
}

static void row_name(void *ctx, db_stmt *st)
{
    const char *name = db_col_text(st, 0);
    if (name)
        add_name(ctx, name, 't');
}

/* The columns of table `name` on s (generated ones left out), with their kinds. */
static iom_err columns_of(sq_store *s, iom_arena *a, const char *name, names *out, iom_error *e)
{
    memset(out, 0, sizeof *out);
    out->a = a;
    const char *dot = strchr(name, '.');
    const char *schema = dot ? iom_arena_printf(a, "%.*s", (int)(dot - name), name) : NULL;
    const char *t = dot ? dot + 1 : name;
    if (is_pg(s)) {
        char *sql = iom_arena_printf(a, "SELECT column_name, data_type FROM information_schema.columns"
                                        " WHERE table_schema = '%s' AND table_name = ?"
                                        " AND is_generated = 'NEVER' ORDER BY ordinal_position",
                                     schema ? schema : "public");
        return each_row(s, sql, t, row_col, out, e);
    }
    char *sql = iom_arena_printf(a, "SELECT name, type FROM pragma_table_xinfo(?, '%s') WHERE hidden = 0 ORDER BY cid",
                                 schema ? schema : "main");
    return each_row(s, sql, t, row_col, out, e);
}

/* Copies the rows of one table. */
static iom_err copy_table(sq_store *src, sq_store *dst, iom_arena *a, table *t, int64_t *rows, iom_error *e)
{
    iom_buf sel = IOM_BUF_INIT, ins = IOM_BUF_INIT;
    const char *q = qname(a, t->name);
    bool has_id = false;
    iom_buf_puts(&sel, "SELECT ");
    iom_buf_printf(&ins, "INSERT INTO %s(", q);
    for (size_t i = 0; i < t->ncols; i++) {
        iom_buf_printf(&sel, "%s%s", i ? ", " : "",
                       strcmp(t->cols[i].src_name, "rowid") == 0 ? "rowid"
                                                                 : iom_arena_printf(a, "\"%s\"", t->cols[i].src_name));
        iom_buf_printf(&ins, "%s%s", i ? ", " : "",
                       strcmp(t->cols[i].name, "rowid") == 0 ? "rowid" : iom_arena_printf(a, "\"%s\"", t->cols[i].name));
    }
    /* the first column is the key where it is an integer (id, seq, rowid): ORDER BY 1 */
    has_id = t->ncols > 0 && t->cols[0].kind == 'i';
    iom_buf_printf(&sel, " FROM %s%s", q, has_id ? " ORDER BY 1" : "");
    iom_buf_puts(&ins, ") VALUES (");
    for (size_t i = 0; i < t->ncols; i++)
        iom_buf_printf(&ins, "%s?", i ? ", " : "");
    iom_buf_puts(&ins, ")");
    iom_err err = IOM_OK;
    db_stmt *r = sqs_prep_once(src, sel.data, e);
    db_stmt *w = r ? sqs_prep_once(dst, ins.data, e) : NULL;
    if (!r || !w)
        err = IOM_ESTORE;
    int rc = DB_DONE;
    while (!err && (rc = db_step(r)) == DB_ROW) {
        dst->drv->reset(w);
        for (size_t i = 0; i < t->ncols; i++) {
            int k = (int)i + 1;
            if (db_col_null(r, (int)i))
                db_bind_null(w, k);
            else if (t->cols[i].kind == 'i')
                db_bind_int64(w, k, db_col_int64(r, (int)i));
            else if (t->cols[i].kind == 'd')
                db_bind_double(w, k, db_col_double(r, (int)i));
            else if (t->cols[i].kind == 'b')
                db_bind_blob(w, k, db_col_blob(r, (int)i), db_col_bytes(r, (int)i));
            else
                sqs_bind_text(w, k, db_col_text(r, (int)i));
        }
        int wrc = db_step(w);
        if (wrc != DB_DONE) {
            err = dst->drv->fail(dst, e, iom_arena_printf(a, "copy: insert into %s", t->name));
            break;
        }
        (*rows)++;
    }
    if (!err && rc != DB_DONE)
        err = src->drv->fail(src, e, iom_arena_printf(a, "copy: read %s", t->name));
    sqs_finalize(r);
    sqs_finalize(w);
    iom_buf_free(&sel);
    iom_buf_free(&ins);
    return err;
}

/* The identity sequences of the PostgreSQL target set past the copied ids. */
static const char pg_setval[] =
    "DO $iom$ DECLARE r record; m bigint; BEGIN\n"
    "  FOR r IN SELECT n.nspname AS s, c.relname AS t, a.attname AS c\n"
    "        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid\n"
    "        JOIN pg_namespace n ON n.oid = c.relnamespace\n"
    "       WHERE n.nspname IN ('public', 'reads') AND c.relkind = 'r' AND a.attnum > 0\n"
    "         AND NOT a.attisdropped AND pg_get_serial_sequence(quote_ident(n.nspname) || '.' ||\n"
    "             quote_ident(c.relname), a.attname) IS NOT NULL\n"
    "  LOOP\n"
    "    EXECUTE format('SELECT max(%I) FROM %I.%I', r.c, r.s, r.t) INTO m;\n"
    "    PERFORM setval(pg_get_serial_sequence(quote_ident(r.s) || '.' || quote_ident(r.t), r.c),\n"
    "                   coalesce(m, 1), m IS NOT NULL);\n"
    "  END LOOP;\n"
    "END $iom$;";

iom_err sq_copy_to(iom_store *is, iom_store *id, iom_error *e)
{
    sq_store *src = SQ(is), *dst = SQ(id);
    iom_arena a;
    iom_arena_init(&a);
    char **tn;
    int64_t *tc;
    size_t nt = 0;
    iom_err err = id->ops->table_counts(id, &a, &tn, &tc, &nt, e);
    table *ts = iom_arena_alloc(&a, (nt ? nt : 1) * sizeof *ts);
    /* each table's columns (as the target has them, matched by name in the source) and parents */
    for (size_t i = 0; i < nt && !err; i++) {
        table *t = &ts[i];
        memset(t, 0, sizeof *t);
        t->name = tn[i];
        names dc, sc;
        if ((err = columns_of(dst, &a, t->name, &dc, e)) || (err = columns_of(src, &a, t->name, &sc, e)))
            break;
        t->cols = iom_arena_alloc(&a, (dc.n + 1) * sizeof *t->cols);
        bool fts = strcmp(t->name, "search_fts") == 0;
        if (fts && !is_pg(dst)) /* SQLite's index: its rowid is PostgreSQL's id */
            t->cols[t->ncols++] = (col){"rowid", is_pg(src) ? "id" : "rowid", 'i'};
        for (size_t k = 0; k < dc.n; k++) {
            bool in_src = false;
            for (size_t j = 0; j < sc.n && !in_src; j++)
                in_src = strcmp(sc.v[j], dc.v[k]) == 0;
            bool fts_id = fts && strcmp(dc.v[k], "id") == 0 && !is_pg(src);
            if (!in_src && !fts_id)
                continue;
            /* the kind: PostgreSQL's type where a side is PostgreSQL (SQLite's are affinities) */
            char kind = dc.kinds[k];
            if (!is_pg(dst) && is_pg(src))
                for (size_t j = 0; j < sc.n; j++)
                    if (strcmp(sc.v[j], dc.v[k]) == 0)
                        kind = sc.kinds[j];
            t->cols[t->ncols++] = (col){dc.v[k], fts_id ? "rowid" : dc.v[k], kind};
        }
    }
    /* one snapshot of the source */
    bool src_tx = false, dst_tx = false, sqlite_off = false;
    if (!err && !(err = is->ops->begin(is, false, e)))
        src_tx = true;
    if (!err && !is_pg(dst)) {
        sqlite3_db_config(dst->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, (int *)NULL);
        sqlite_off = true;
        err = dst->drv->exec(dst, "PRAGMA foreign_keys = OFF", e, "copy");
    }
    if (!err && !(err = dst->drv->exec(dst, is_pg(dst) ? "BEGIN" : "BEGIN IMMEDIATE", e, "copy")))
        dst_tx = true;
    iom_buf all = IOM_BUF_INIT;
    iom_buf_puts(&all, "TRUNCATE ");
    for (size_t i = 0; i < nt && !err; i++) {
        const char *q = qname(&a, ts[i].name);
        iom_buf_printf(&all, "%s%s", i ? ", " : "", q);
        if (is_pg(dst))
            err = dst->drv->exec(dst, iom_arena_printf(&a, "ALTER TABLE %s DISABLE TRIGGER USER", q), e, "copy");
        else /* foreign keys are off: any order */
            err = dst->drv->exec(dst, iom_arena_printf(&a, "DELETE FROM %s", q), e, "copy: empty the target");
    }
    /* PostgreSQL: all at once, so that no foreign key stands in the way */
    if (!err && is_pg(dst) && nt)
        err = dst->drv->exec(dst, all.data, e, "copy: empty the target");
    iom_buf_free(&all);
    /* foreign keys: PostgreSQL's are dropped for the copy and made again after it (which
       checks every copied row; the tables' keys form cycles, e.g. region and agency, and are
       not deferrable); SQLite's are off, and checked below */
    names fk = {.a = &a};
    if (!err && is_pg(dst))
        err = each_row(dst,
                       "SELECT format('ALTER TABLE %s ADD CONSTRAINT %I %s', k.conrelid::regclass, k.conname,"
                       " pg_get_constraintdef(k.oid)) FROM pg_constraint k JOIN pg_namespace n ON n.oid ="
                       " k.connamespace WHERE k.contype = 'f' AND n.nspname IN ('public', 'reads') ORDER BY 1",
                       NULL, row_name, &fk, e);
    if (!err && is_pg(dst))
        err = dst->drv->exec(dst,
                             "DO $iom$ DECLARE t text; BEGIN FOR t IN SELECT format('ALTER TABLE %s DROP CONSTRAINT"
                             " %I', k.conrelid::regclass, k.conname) FROM pg_constraint k JOIN pg_namespace n ON"
                             " n.oid = k.connamespace WHERE k.contype = 'f' AND n.nspname IN ('public', 'reads')"
                             " LOOP EXECUTE t; END LOOP; END $iom$",
                             e, "copy: foreign keys");
    int64_t rows = 0;
    for (size_t i = 0; i < nt && !err; i++)
        err = copy_table(src, dst, &a, &ts[i], &rows, e);
    for (size_t i = 0; i < fk.n && !err; i++)
        err = dst->drv->exec(dst, fk.v[i], e, "copy: foreign key of the copied rows");
    if (!err && !is_pg(dst)) {
        const char *checks[] = {"SELECT count(*) FROM pragma_foreign_key_check(NULL, 'main')",
                                "SELECT count(*) FROM pragma_foreign_key_check(NULL, 'reads')"};
        for (int k = 0; k < 2 && !err; k++) {
            db_stmt *st = sqs_prep_once(dst, checks[k], e);
            if (!st)
                err = IOM_ESTORE;
            else if (db_step(st) != DB_ROW)
                err = dst->drv->fail(dst, e, "copy: foreign key check");
            else if (db_col_int64(st, 0) != 0)
                err = iom_fail(e, IOM_EINTEGRITY, "copy: %lld copied rows refer to rows that are not there",
                               (long long)db_col_int64(st, 0));
            sqs_finalize(st);
        }
    }
    if (!err && is_pg(dst)) {
        err = dst->drv->exec(dst, pg_setval, e, "copy: set the identity sequences");
        for (size_t i = 0; i < nt && !err; i++)
            err = dst->drv->exec(dst, iom_arena_printf(&a, "ALTER TABLE %s ENABLE TRIGGER USER", qname(&a, ts[i].name)),
                                 e, "copy");
    }
    if (!err && dst_tx) {
        err = dst->drv->exec(dst, "COMMIT", e, "copy: commit");
        dst_tx = err != IOM_OK;
    }
    if (dst_tx) {
        iom_error ignore;
        dst->drv->exec(dst, "ROLLBACK", &ignore, "copy");
    }
    if (sqlite_off) {
        sqlite3_db_config(dst->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 1, (int *)NULL);
        iom_error ignore;
        dst->drv->exec(dst, "PRAGMA foreign_keys = ON", &ignore, "copy");
    }
    if (src_tx)
        is->ops->rollback(is);
    if (is_pg(dst))
        pg_forget_tables(dst);
    iom_arena_free(&a);
    return err;
}
