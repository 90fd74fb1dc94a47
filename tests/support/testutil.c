#define _GNU_SOURCE /* vasprintf, nftw */
#include "testutil.h"
#include "../pg/pgmap.h"
#include "util/timefmt.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <libpq-fe.h>
#include <regex.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

char *t_fmt(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    assert_non_null(s);
    return s;
}

const char *t_binary(void)
{
    if (getenv("IOM_TEST_STORE_FREE")) /* tests/pg/store-free.txt: the binary opens stores */
        fail_msg("this test is listed in tests/pg/store-free.txt and runs the iom binary: take it "
                 "off the list");
    const char *b = getenv("IOM_TEST_BINARY");
    return b && *b ? b : IOM_BINARY;
}

char *t_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    char *tmpl = t_fmt("%s/iomtest.XXXXXX", base && *base ? base : "/tmp");
    assert_non_null(mkdtemp(tmpl));
    return tmpl;
}

char *t_uk_day(int days)
{
    char uk[32], out[32];
    int64_t day = 0;
    iom_time_uk((int64_t)time(NULL), uk);
    uk[10] = '\0';
    assert_true(iom_day_number(uk, &day));
    iom_time_utc((day + days) * 86400, out);
    out[10] = '\0';
    return t_fmt("%s", out);
}

static char *bid_assessment_path;
static pid_t bid_assessment_owner; /* a forked child that exits leaves the file to its parent */

static void bid_assessment_remove(void)
{
    if (bid_assessment_path && getpid() == bid_assessment_owner)
        unlink(bid_assessment_path);
}

const char *t_bid_assessment_file(void)
{
    if (bid_assessment_path)
        return bid_assessment_path;
    const char *base = getenv("TMPDIR");
    char *path = t_fmt("%s/iom-bid-assessment.XXXXXX", base && *base ? base : "/tmp");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    static const char doc[] = T_BID_ASSESSMENT;
    assert_int_equal(write(fd, doc, sizeof doc - 1), (ssize_t)(sizeof doc - 1));
    assert_int_equal(close(fd), 0);
    bid_assessment_path = path;
    bid_assessment_owner = getpid();
    atexit(bid_assessment_remove);
    return path;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb; (void)flag; (void)ftw;
    return remove(path);
}

void t_tmpdir_free(char *dir)
{
    if (dir)
        nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(dir);
}

typedef struct grow { char *p; size_t n, cap; } grow;

static void grow_add(grow *g, const char *d, size_t n)
{
    if (g->n + n + 1 > g->cap) {
        g->cap = (g->n + n + 1) * 2;
        g->p = realloc(g->p, g->cap);
        assert_non_null(g->p);
    }
    memcpy(g->p + g->n, d, n);
    g->n += n;
    g->p[g->n] = '\0';
}

t_result t_run(const char *stdin_text, const char *const *argv)
{
    int in[2], out[2], err[2];
    assert_int_equal(pipe(in), 0);
    assert_int_equal(pipe(out), 0);
    assert_int_equal(pipe(err), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        dup2(err[1], 2);
        close(in[1]); close(out[0]); close(err[0]);
        unsetenv("IOM_DB");
        unsetenv("IOM_USER");
        unsetenv("IOM_AUDIT_KEY");
        size_t n = 0;
        while (argv[n])
            n++;
        char **av = calloc(n + 2, sizeof *av);
        av[0] = (char *)IOM_BINARY;
        for (size_t i = 0; i < n; i++)
            av[i + 1] = (char *)argv[i];
        execv(t_binary(), av);
        _exit(127);
    }
    close(in[0]); close(out[1]); close(err[1]);
    if (stdin_text) {
        ssize_t w = write(in[1], stdin_text, strlen(stdin_text));
        (void)w;
    }
    close(in[1]);
    grow go = {0}, ge = {0};
    grow_add(&go, "", 0);
    grow_add(&ge, "", 0);
    struct pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    int open_fds = 2;
    while (open_fds > 0) {
        if (poll(fds, 2, -1) < 0 && errno != EINTR)
            break;
        for (int k = 0; k < 2; k++) {
            if (fds[k].fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char buf[8192];
            ssize_t r = read(fds[k].fd, buf, sizeof buf);
            if (r <= 0) {
                close(fds[k].fd);
                fds[k].fd = -1;
                open_fds--;
            } else
                grow_add(k ? &ge : &go, buf, (size_t)r);
        }
    }
    int st = 0;
    waitpid(pid, &st, 0);
    t_result res = {WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st), go.p, ge.p};
    return res;
}

t_result t_runv(const char *stdin_text, ...)
{
    const char *argv[64];
    size_t n = 0;
    va_list ap;
    va_start(ap, stdin_text);
    const char *a;
    while ((a = va_arg(ap, const char *)) && n < 63)
        argv[n++] = a;
    va_end(ap);
    argv[n] = NULL;
    return t_run(stdin_text, argv);
}

void t_result_free(t_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}


/* ---- the same helpers on PostgreSQL (a run of scripts/test-pg.sh) ------------------------- */

/* tests/pg/pgmap.c, linked into every test program: the conninfo of the database a path maps
   to in a PostgreSQL run; -1 in an SQLite run. */

bool t_pg(void)
{
    const char *s = getenv("IOM_TEST_PG_SOCKDIR");
    return s && *s;
}

/* A superuser connection to the database of db_path, with the read log's schema on the search
   path (SQLite attaches it: `read_log` is found by its plain name); NULL in an SQLite run. The
   SQL meets every rule, as on SQLite, but for the triggers it disables (pg_sql). */
static PGconn *pg_connect(const char *db_path, const char *application_name)
{
    char ci[1100];
    if (pgmap_conninfo(db_path, "postgres", ci, sizeof ci - 64) != 0)
        return NULL;
    if (application_name)
        snprintf(ci + strlen(ci), sizeof ci - strlen(ci), " application_name=%s", application_name);
    PGconn *c = PQconnectdb(ci);
    if (PQstatus(c) != CONNECTION_OK)
        fail_msg("t_db: %s", PQerrorMessage(c));
    PQclear(PQexec(c, "SET search_path = public, reads; SET client_min_messages = warning"));
    return c;
}

static PGconn *pg_of(const char *db_path, const char *sql)
{
    (void)sql;
    return pg_connect(db_path, NULL);
}

/* The connection the read-only checks (t_db_fingerprint, t_db_scalar, t_db_text, t_db_column)
   share, kept open for the last database they read: a new backend reads a table's catalog
   entries on first use, and a fingerprint on a fresh connection took ~58 ms (17 connecting,
   41 the first read of ~60 tables), most of test_tasking_rules' time on PostgreSQL. Its
   application_name is PGMAP_WARM_APP: tests/pg/pgmap.c ends it when the database must be
   cloned (CREATE DATABASE ... TEMPLATE needs it idle of connections); the next check then
   connects again. Never freed: the process's end closes it. */
static struct {
    char path[4096];
    PGconn *c;
    pid_t pid;
} warm;

static PGconn *pg_warm(const char *db_path, bool fresh)
{
    if (warm.c && (warm.pid != getpid() || fresh || strcmp(warm.path, db_path) != 0 ||
                   PQstatus(warm.c) != CONNECTION_OK)) {
        if (warm.pid == getpid()) /* a child leaves its parent's socket alone */
            PQfinish(warm.c);
        warm.c = NULL;
    }
    if (warm.c)
        return warm.c;
    PGconn *c = pg_connect(db_path, PGMAP_WARM_APP);
    if (!c)
        return NULL;
    snprintf(warm.path, sizeof warm.path, "%s", db_path);
    warm.c = c;
    warm.pid = getpid();
    return c;
}

/* A read-only query on the warm connection; once more on a new one when it was ended meanwhile
   (pgmap cloned the database, or a test restarted the cluster). NULL in an SQLite run. */
static PGresult *pg_warm_exec(const char *db_path, const char *q)
{
    PGconn *c = pg_warm(db_path, false);
    if (!c)
        return NULL;
    PGresult *r = PQexec(c, q);
    if (PQstatus(c) != CONNECTION_OK) {
        PQclear(r);
        r = PQexec(pg_warm(db_path, true), q);
    }
    return r;
}

/* replaces every match of the extended regex `re` in *s by `with` (\\1 for group 1) */
static void re_replace(char **s, const char *re, const char *with)
{
    regex_t rx;
    assert_int_equal(regcomp(&rx, re, REG_EXTENDED | REG_ICASE), 0);
    grow g = {0};
    grow_add(&g, "", 0);
    const char *p = *s;
    regmatch_t m[10];
    while (regexec(&rx, p, 10, m, 0) == 0) {
        grow_add(&g, p, (size_t)m[0].rm_so);
        for (const char *w = with; *w; w++) {
            if (w[0] == '\\' && w[1] >= '1' && w[1] <= '9') {
                int k = w[1] - '0';
                if (m[k].rm_so >= 0)
                    grow_add(&g, p + m[k].rm_so, (size_t)(m[k].rm_eo - m[k].rm_so));
                w++;
            } else {
                grow_add(&g, w, 1);
            }
        }
        p += m[0].rm_eo > 0 ? m[0].rm_eo : 1;
    }
    grow_add(&g, p, strlen(p));
    regfree(&rx);
    free(*s);
    *s = g.p;
}

/* The SQLite statements the tests run on a database file, as PostgreSQL statements: the table
   user quoted, PRAGMA user_version as the iom_schema row, DROP TRIGGER left out (the session
   runs with triggers off), SQLite's schema-qualified trigger names unqualified, SQLite's
   functions (printf's zero-padded numbers, hex, json_extract, last_insert_rowid) as
   PostgreSQL expressions. */
static char *pg_sql(const char *sql)
{
    char *s = strdup(sql);
    re_replace(&s, "(FROM|JOIN|UPDATE|INTO) user([^_a-z])", "\\1 \"user\"\\2");
    re_replace(&s, "DROP TABLE ([a-z_.]+)", "DROP TABLE \\1 CASCADE");
    re_replace(&s, "(FROM|JOIN|UPDATE|INTO) user$", "\\1 \"user\"");
    re_replace(&s, "PRAGMA user_version *= *([0-9]+)", "UPDATE iom_schema SET version = \\1");
    re_replace(&s, "PRAGMA user_version", "SELECT version FROM iom_schema");
    /* a trigger a test makes to fail writes (a full disk): a function raising the message */
    re_replace(&s,
               "CREATE TRIGGER (reads\\.)?([a-z_]+) BEFORE INSERT ON ([a-z_]+) BEGIN SELECT "
               "RAISE\\(ABORT, '([^']*)'\\); END;?",
               "CREATE FUNCTION t_raise_\\2() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE "
               "EXCEPTION '\\4'; END $$; CREATE TRIGGER \"\\2\" BEFORE INSERT ON \\3 FOR EACH ROW "
               "EXECUTE FUNCTION t_raise_\\2();");
    /* DROP TRIGGER: the trigger of that name disabled on its table (a PostgreSQL trigger is
       dropped ON a table; disabled, it stays out of the way as the dropped one does on SQLite),
       and a test's own failing trigger dropped with its function */
    re_replace(&s, "DROP TRIGGER (IF EXISTS )?(reads\\.)?([a-z_]+) *;?",
               "DO $$ DECLARE r record; BEGIN FOR r IN SELECT tgrelid::regclass::text AS t FROM "
               "pg_trigger WHERE tgname = '\\3' AND NOT tgisinternal LOOP EXECUTE "
               "format('ALTER TABLE %s DISABLE TRIGGER %I', r.t, '\\3'); END LOOP; END $$; "
               "DROP FUNCTION IF EXISTS t_raise_\\3() CASCADE;");
    re_replace(&s, ", user([^_a-z])", ", \"user\"\\1");
    re_replace(&s, "([^a-z_])main\\.", "\\1public.");
    re_replace(&s, "printf\\('([A-Z]+)-%06d', ([a-z_.]+)\\)", "iom_ref('\\1', \\2)");
    /* printf('<text>%0Nd<text>', x), any width N and literal text around it (no other %): as
       SQLite prints it, at least N characters, a negative number's sign first, never cut */
    re_replace(&s, "printf\\('([^'%]*)%0([1-9][0-9]*)d([^'%]*)', ([a-z_.0-9]+)\\)",
               "('\\1' || CASE WHEN (\\4) < 0 THEN '-' || lpad((-(\\4))::text, greatest(\\2 - 1,"
               " length((-(\\4))::text)), '0') ELSE lpad((\\4)::text, greatest(\\2,"
               " length((\\4)::text)), '0') END || '\\3')");
    /* hex(blob): SQLite's upper-case hex digits */
    re_replace(&s, "([^a-z_])hex\\(([a-z_.]+)\\)", "\\1upper(encode(\\2, 'hex'))");
    re_replace(&s, "AND ([a-z]+\\.)?is_current( AND|\\)|$)", "AND \\1is_current = 1\\2");
    re_replace(&s, "([^a-zA-Z_])X'([0-9a-fA-F]*)'", "\\1'\\x\\2'::bytea");
    re_replace(&s, "CAST\\(upper\\(CAST\\(([a-z_]+) AS TEXT\\)\\) AS BLOB\\)",
               "convert_to(upper(convert_from(\\1, 'UTF8')), 'UTF8')");
    re_replace(&s, "search_fts_content WHERE c0 ", "search_fts WHERE body ");
    re_replace(&s, "last_insert_rowid\\(\\)", "lastval()");
    re_replace(&s, "json_extract\\(([a-z_.]+), '\\$\\.([a-z_]+)\\.([a-z_]+)'\\)", "(\\1::jsonb -> '\\2' ->> '\\3')");
    re_replace(&s, "json_extract\\(([a-z_.]+), '\\$\\.([a-z_]+)'\\)", "(\\1::jsonb ->> '\\2')");
    return s;
}

static int pg_exec_sql(PGconn *c, const char *sql, char **msg)
{
    char *q = pg_sql(sql);
    PGresult *r = PQexec(c, q);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK ||
             PQresultStatus(r) == PGRES_EMPTY_QUERY;
    if (!ok && msg)
        *msg = strdup(PQresultErrorMessage(r));
    else if (!ok)
        fprintf(stderr, "t_db_exec (PostgreSQL): %s\n  in: %s\n", PQresultErrorMessage(r), q);
    PQclear(r);
    free(q);
    return ok ? 0 : 1;
}

/* The first column of the first row of r (which it clears) as an integer (t/f as 1/0), 0 when
   NULL, -1 when there is no row. */
static long long pg_scalar_of(PGresult *r, const char *q)
{
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        fail_msg("t_db_scalar (PostgreSQL): %s in: %s", PQresultErrorMessage(r), q);
    long long v = PQntuples(r) > 0 && !PQgetisnull(r, 0, 0)
                      ? (PQgetvalue(r, 0, 0)[0] == 't' ? 1 : PQgetvalue(r, 0, 0)[0] == 'f' ? 0
                                                                  : strtoll(PQgetvalue(r, 0, 0), NULL, 10))
                      : (PQntuples(r) > 0 ? 0 : -1);
    PQclear(r);
    return v;
}

/* Every table's rows as text, sorted, hashed by the server in one statement (a statement per
   table was ~60 round trips per fingerprint). NULL in an SQLite run. The read log (schema
   `reads`) is left out, as SQLite's is (its own file): a refused attempt is logged there
   (review 81 L7) and changes no stored data. */
static char *pg_fingerprint(const char *db_path)
{
    PGresult *t = pg_warm_exec(db_path, "SELECT schemaname, tablename FROM pg_tables WHERE schemaname ="
                                        " 'public' ORDER BY tablename, schemaname");
    if (!t)
        return NULL;
    assert_int_equal(PQresultStatus(t), PGRES_TUPLES_OK);
    grow q = {0};
    grow_add(&q, "", 0);
    for (int i = 0; i < PQntuples(t); i++) {
        char *part = t_fmt("%sSELECT %d AS k, '%s' AS n, md5(coalesce(string_agg(x::text, E'\\n' "
                           "ORDER BY x::text), '')) AS h FROM %s.\"%s\" x",
                           i ? " UNION ALL " : "", i, PQgetvalue(t, i, 1), PQgetvalue(t, i, 0),
                           PQgetvalue(t, i, 1));
        grow_add(&q, part, strlen(part));
        free(part);
    }
    grow_add(&q, " ORDER BY 1", strlen(" ORDER BY 1"));
    PQclear(t);
    PGresult *r = pg_warm_exec(db_path, q.p);
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        fail_msg("t_db_fingerprint (PostgreSQL): %s", PQresultErrorMessage(r));
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 32);
    for (int k = 0; k < PQntuples(r); k++)
        for (int f = 1; f <= 2; f++)
            crypto_generichash_update(&h, (const unsigned char *)PQgetvalue(r, k, f),
                                      (unsigned long long)PQgetlength(r, k, f) + 1);
    PQclear(r);
    free(q.p);
    unsigned char out[32];
    crypto_generichash_final(&h, out, sizeof out);
    char *hex = malloc(65);
    sodium_bin2hex(hex, 65, out, sizeof out);
    return hex;
}

static void attach_reads(sqlite3 *db, const char *db_path);

char *t_db_text(const char *db_path, const char *sql)
{
    char *out = NULL;
    char *q = pg_sql(sql);
    PGresult *r = pg_warm_exec(db_path, q);
    if (r) {
        if (PQresultStatus(r) != PGRES_TUPLES_OK)
            fail_msg("t_db_text (PostgreSQL): %s in: %s", PQresultErrorMessage(r), q);
        if (PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
            out = strdup(PQgetvalue(r, 0, 0));
        PQclear(r);
        free(q);
        return out;
    }
    free(q);
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 10000); /* a server or job of the test may hold the write lock */
    attach_reads(db, db_path);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        out = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

char **t_db_column(const char *db_path, const char *sql, size_t *n)
{
    size_t cap = 64, k = 0;
    char **v = malloc(cap * sizeof *v);
    assert_non_null(v);
    char *q = pg_sql(sql);
    PGresult *r = pg_warm_exec(db_path, q);
    if (r) {
        if (PQresultStatus(r) != PGRES_TUPLES_OK)
            fail_msg("t_db_column (PostgreSQL): %s in: %s", PQresultErrorMessage(r), q);
        for (int i = 0; i < PQntuples(r); i++) {
            if (k == cap)
                v = realloc(v, (cap *= 2) * sizeof *v);
            v[k++] = PQgetisnull(r, i, 0) ? NULL : strdup(PQgetvalue(r, i, 0));
        }
        PQclear(r);
        free(q);
        *n = k;
        return v;
    }
    free(q);
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 10000); /* a server or job of the test may hold the write lock */
    attach_reads(db, db_path);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (k == cap)
            v = realloc(v, (cap *= 2) * sizeof *v);
        const unsigned char *t = sqlite3_column_text(st, 0);
        v[k++] = t ? strdup((const char *)t) : NULL;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    *n = k;
    return v;
}

char *t_db_fingerprint(const char *db_path)
{
    char *f = pg_fingerprint(db_path);
    if (f)
        return f;
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 10000); /* a server or job of the test may hold the write lock */
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 32);
    sqlite3_stmt *tables;
    assert_int_equal(sqlite3_prepare_v2(db,
        "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name", -1, &tables, NULL),
        SQLITE_OK);
    while (sqlite3_step(tables) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(tables, 0);
        crypto_generichash_update(&h, (const unsigned char *)name, strlen(name) + 1);
        char *sql = sqlite3_mprintf("SELECT * FROM \"%w\" ORDER BY 1", name);
        sqlite3_stmt *rows;
        assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &rows, NULL), SQLITE_OK);
        sqlite3_free(sql);
        while (sqlite3_step(rows) == SQLITE_ROW) {
            int nc = sqlite3_column_count(rows);
            for (int c = 0; c < nc; c++) {
                const unsigned char *v = sqlite3_column_text(rows, c);
                int len = sqlite3_column_bytes(rows, c);
                unsigned char tag = v ? 1 : 0;
                crypto_generichash_update(&h, &tag, 1);
                if (v)
                    crypto_generichash_update(&h, v, (unsigned long long)len + 1);
            }
        }
        sqlite3_finalize(rows);
    }
    sqlite3_finalize(tables);
    sqlite3_close(db);
    unsigned char out[32];
    crypto_generichash_final(&h, out, sizeof out);
    char *hex = malloc(65);
    sodium_bin2hex(hex, 65, out, sizeof out);
    return hex;
}

/* The read log's file "<db>.reads" (issue 14), attached as `reads` when it exists, so that
   its tables (read_log) are found by their plain names as the server's handles find them. */
static void attach_reads(sqlite3 *db, const char *db_path)
{
    char *rp = t_fmt("%s.reads", db_path);
    struct stat sb;
    if (stat(rp, &sb) == 0) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, "ATTACH DATABASE ?1 AS reads", -1, &st, NULL) == SQLITE_OK) {
            sqlite3_bind_text(st, 1, rp, -1, SQLITE_TRANSIENT);
            sqlite3_step(st);
            sqlite3_finalize(st);
        }
    }
    free(rp);
}

int t_db_try(const char *db_path, const char *sql, char **msg)
{
    if (msg)
        *msg = NULL;
    PGconn *pg = pg_of(db_path, sql);
    if (pg) {
        int rc = pg_exec_sql(pg, sql, msg);
        PQfinish(pg);
        return rc;
    }
    sqlite3 *db;
    if (sqlite3_open(db_path, &db) != SQLITE_OK)
        return SQLITE_CANTOPEN;
    attach_reads(db, db_path);
    char *m = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &m);
    if (rc != SQLITE_OK && msg)
        *msg = strdup(m ? m : "?");
    else if (rc != SQLITE_OK)
        fprintf(stderr, "t_db_exec: %s\n", m ? m : "?");
    sqlite3_free(m);
    sqlite3_close(db);
    return rc;
}

int t_db_exec(const char *db_path, const char *sql) { return t_db_try(db_path, sql, NULL); }

static bool pg_holds(PGconn *c, const void *needle, size_t n)
{
    PGresult *t = PQexec(c, "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM"
                            " pg_tables WHERE schemaname = 'public' ORDER BY 1");
    assert_int_equal(PQresultStatus(t), PGRES_TUPLES_OK);
    bool found = false;
    for (int i = 0; i < PQntuples(t) && !found; i++) {
        char *q = t_fmt("SELECT * FROM %s", PQgetvalue(t, i, 0));
        /* binary results: a text or bytea value as its bytes, jsonb as a version byte and text */
        PGresult *r = PQexecParams(c, q, 0, NULL, NULL, NULL, NULL, 1);
        if (PQresultStatus(r) != PGRES_TUPLES_OK)
            fail_msg("t_db_holds (PostgreSQL): %s in: %s", PQresultErrorMessage(r), q);
        for (int k = 0; k < PQntuples(r) && !found; k++)
            for (int col = 0; col < PQnfields(r) && !found; col++)
                found = !PQgetisnull(r, k, col) &&
                        memmem(PQgetvalue(r, k, col), (size_t)PQgetlength(r, k, col), needle, n);
        PQclear(r);
        free(q);
    }
    PQclear(t);
    return found;
}

/* Is the needle in a value of a row of one SQLite table, or (name NULL) of any table of the
   database? */
static bool lite_holds(sqlite3 *db, const char *name, const void *needle, size_t n)
{
    bool found = false;
    sqlite3_stmt *st;
    char *q = name ? sqlite3_mprintf("SELECT * FROM main.\"%w\"", name)
                   : sqlite3_mprintf("SELECT name FROM main.sqlite_schema WHERE type = 'table'"
                                     " ORDER BY 1");
    assert_int_equal(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK);
    sqlite3_free(q);
    while (!found && sqlite3_step(st) == SQLITE_ROW) {
        if (!name) {
            found = lite_holds(db, (const char *)sqlite3_column_text(st, 0), needle, n);
            continue;
        }
        for (int col = 0; col < sqlite3_column_count(st) && !found; col++) {
            const void *v = sqlite3_column_blob(st, col); /* a text's bytes too */
            found = v && memmem(v, (size_t)sqlite3_column_bytes(st, col), needle, n);
        }
    }
    sqlite3_finalize(st);
    return found;
}

bool t_db_holds(const char *db_path, const void *needle, size_t n)
{
    PGconn *pg = pg_of(db_path, NULL);
    if (pg) {
        bool found = pg_holds(pg, needle, n);
        PQfinish(pg);
        return found;
    }
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 10000); /* a server or job of the test may hold the write lock */
    bool found = lite_holds(db, NULL, needle, n);
    sqlite3_close(db);
    return found;
}

struct t_db_lock {
    sqlite3 *lite;
    PGconn *pg;
};

t_db_lock *t_db_hold_writes(const char *db_path)
{
    t_db_lock *l = calloc(1, sizeof *l);
    assert_non_null(l);
    if ((l->pg = pg_of(db_path, NULL))) { /* the lock every write transaction takes first */
        PGresult *r = PQexec(l->pg, "BEGIN; SELECT pg_advisory_xact_lock(7596911570728932453)");
        assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
        PQclear(r);
        return l;
    }
    assert_int_equal(sqlite3_open(db_path, &l->lite), SQLITE_OK);
    /* the read log's file too: a change locks the main file, a read-log batch <db>.reads;
       BEGIN IMMEDIATE takes the write lock of every attached file */
    char *attach = sqlite3_mprintf("ATTACH DATABASE '%q.reads' AS reads", db_path);
    assert_int_equal(sqlite3_exec(l->lite, attach, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_free(attach);
    assert_int_equal(sqlite3_exec(l->lite, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    return l;
}

void t_db_release_writes(t_db_lock *l)
{
    if (l->pg) {
        PQclear(PQexec(l->pg, "ROLLBACK"));
        PQfinish(l->pg);
    } else {
        assert_int_equal(sqlite3_exec(l->lite, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(l->lite);
    }
    free(l);
}

long long t_db_scalar(const char *db_path, const char *sql)
{
    char *q = pg_sql(sql);
    PGresult *r = pg_warm_exec(db_path, q);
    if (r) {
        long long v = pg_scalar_of(r, q);
        free(q);
        return v;
    }
    free(q);
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 10000); /* a server or job of the test may hold the write lock */
    attach_reads(db, db_path);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static void ok(t_result r)
{
    if (r.status != 0)
        fprintf(stderr, "command failed (%d): %s%s\n", r.status, r.out, r.err);
    assert_int_equal(r.status, 0);
    t_result_free(&r);
}

char *t_make_db(const char *dir)
{
    char *db = t_fmt("%s/iom.db", dir);
    ok(t_runv(NULL, "--db", db, "init", NULL));
    ok(t_runv(NULL, "--db", db, "user", "add", "admin", "--agency", "toex", "--role", "admin",
              "--clearance", "OFFICIAL-SENSITIVE", NULL));
    struct { const char *name, *agency, *role, *clearance; } u[] = {
        {"auditor", "nca", "auditor", "OFFICIAL-SENSITIVE"},
        {"wy-spoc", "west-yorkshire", "spoc", "OFFICIAL-SENSITIVE"},
        {"wy-sio", "west-yorkshire", "sio", "OFFICIAL-SENSITIVE"},
        {"wy-official", "west-yorkshire", "spoc", "OFFICIAL"},
        {"met-spoc", "met", "spoc", "OFFICIAL-SENSITIVE"},
        {"met-sio", "met", "sio", "OFFICIAL-SENSITIVE"},
        {"yh-sio", "yhrocu", "sio", "OFFICIAL-SENSITIVE"},
        {"yh-gateway", "yhrocu", "gateway", "OFFICIAL-SENSITIVE"},
        {"toex-sia", "toex", "sia", "OFFICIAL-SENSITIVE"},
    };
    for (size_t i = 0; i < sizeof u / sizeof u[0]; i++)
        ok(t_runv(NULL, "--db", db, "--as", "admin", "user", "add", u[i].name, "--agency",
                  u[i].agency, "--role", u[i].role, "--clearance", u[i].clearance, NULL));
    return db;
}

char *t_slurp(const char *path, size_t *n)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    long len = ftell(fp);
    assert_true(len >= 0);
    assert_int_equal(fseek(fp, 0, SEEK_SET), 0);
    char *b = malloc((size_t)len + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)len, fp), (size_t)len);
    b[len] = '\0';
    fclose(fp);
    *n = (size_t)len;
    return b;
}
