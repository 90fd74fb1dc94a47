/*
 * Issue 19 point 5 on PostgreSQL: `iom backup`, `iom restore`, `iom copy` of PostgreSQL
 * databases through the built binary, on the throw-away cluster of the PostgreSQL run
 * (scripts/test-pg.sh sets IOM_TEST_PG_SOCKDIR and IOM_TEST_PG_PORT). Each test makes fresh
 * databases of that cluster (owned by iom_owner, as tests/pg/pgmap.c does) and names them by
 * real URIs; the audit key is the file IOM_AUDIT_KEY names. In the SQLite-only run every test
 * is skipped, saying why (tests/unit/test_backup.c covers SQLite).
 *
 *   backup_is_a_consistent_copy  FILE and FILE.reads (mode 0600, pg_dump archives), made as the
 *                                servers' role while another connection holds an uncommitted
 *                                write (not in it); without the audit key; `store.backup`
 *                                audited with the SHA-256; an existing FILE refused without
 *                                --force.
 *   restore_round_trip           into a fresh database as the owner role: the rows back, every
 *                                table owned by iom_owner, the servers' role can read and write
 *                                (grants re-applied), both chains verify, `store.restore`
 *                                audited.
 *   restore_refusals             an initialised database without --force, a file that is not a
 *                                backup, a newer schema, a backup whose read chain is cut short
 *                                half-way through the restore: refused, the database unchanged.
 *   copy_verified                PostgreSQL to PostgreSQL: every table's rows the same, the copy's
 *                                chain verifies, `store.copy` audited; an initialised target
 *                                refused without --force, replaced with it.
 *   copy_between_backends        an SQLite file to a fresh PostgreSQL database and back to a new
 *                                SQLite file: every table's rows the same, the chains made on
 *                                SQLite verify on PostgreSQL (the read chain's head is the same
 *                                on both), the identity sequences are past the copied ids, the
 *                                servers' role writes to the copy; --force replaces an
 *                                initialised PostgreSQL target, all of it or nothing.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <libpq-fe.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

static char *DIR_, *KEY, *SRC_OWNER, *SRC_APP;
static const char *CUR_KEY; /* IOM_AUDIT_KEY of the next iom() */
static const char *SOCK, *PORT;
static bool have_pg;

/* Percent-encodes a socket directory for the host= parameter of a URI (as pgmap.c). */
static void encode(const char *in, char *out, size_t cap)
{
    size_t k = 0;
    for (; *in && k + 4 < cap; in++) {
        unsigned char c = (unsigned char)*in;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
            c == '_' || c == '.')
            out[k++] = (char)c;
        else
            k += (size_t)snprintf(out + k, cap - k, "%%%02X", c);
    }
    out[k] = '\0';
}

static char *uri(const char *role, const char *db)
{
    char host[600];
    encode(SOCK, host, sizeof host);
    return t_fmt("postgresql://%s@/%s?host=%s&port=%s", role, db, host, PORT);
}

/* A fresh database of the cluster owned by iom_owner (dropped first if a former run left it). */
static void quiet(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

static void make_db(const char *name)
{
    char *ci = t_fmt("host=%s port=%s user=postgres dbname=postgres", SOCK, PORT);
    PGconn *c = PQconnectdb(ci);
    free(ci);
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    PQsetNoticeProcessor(c, quiet, NULL);
    char *sql = t_fmt("DROP DATABASE IF EXISTS %s", name);
    PQclear(PQexec(c, sql));
    free(sql);
    sql = t_fmt("CREATE DATABASE %s OWNER iom_owner TEMPLATE template0", name);
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        fprintf(stderr, "%s\n", PQresultErrorMessage(r));
    assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
    PQclear(r);
    free(sql);
    PQfinish(c);
}

static PGconn *connect_as(const char *role, const char *db)
{
    char *u = uri(role, db);
    PGconn *c = PQconnectdb(u);
    free(u);
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    return c;
}

static long long scalar(const char *db, const char *sql)
{
    PGconn *c = connect_as("iom_owner", db);
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        fprintf(stderr, "%s: %s\n", sql, PQresultErrorMessage(r));
    assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
    long long v = PQntuples(r) ? strtoll(PQgetvalue(r, 0, 0), NULL, 10) : -1;
    PQclear(r);
    PQfinish(c);
    return v;
}

/* `iom ARGS...` with IOM_AUDIT_KEY=CUR_KEY (t_run clears it). The plain binary, not the PostgreSQL
   run's iom-pgmap: a path is an SQLite file here, a URI a database of the cluster. */
static t_result iom(const char *a1, ...)
{
    const char *argv[16];
    int n = 0;
    argv[n++] = IOM_BINARY;
    va_list ap;
    va_start(ap, a1);
    for (const char *a = a1; a && n < 15; a = va_arg(ap, const char *))
        argv[n++] = a;
    va_end(ap);
    argv[n] = NULL;
    char *out = t_fmt("%s/out.txt", DIR_), *err = t_fmt("%s/err.txt", DIR_);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600), e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(o, 1);
        dup2(e, 2);
        int in = open("/dev/null", O_RDONLY);
        dup2(in, 0);
        setenv("IOM_AUDIT_KEY", CUR_KEY, 1);
        unsetenv("IOM_DB");
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    t_result r = {.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st)};
    const char *paths[2] = {out, err};
    char **dst[2] = {&r.out, &r.err};
    for (int i = 0; i < 2; i++) {
        FILE *f = fopen(paths[i], "rb");
        char *buf = calloc(1, 1 << 20);
        size_t got = f ? fread(buf, 1, (1 << 20) - 1, f) : 0;
        buf[got] = '\0';
        if (f)
            fclose(f);
        *dst[i] = buf;
    }
    free(out);
    free(err);
    return r;
}

static void ok(t_result r)
{
    if (r.status != 0)
        fprintf(stderr, "failed (%d): %s%s\n", r.status, r.out, r.err);
    assert_int_equal(r.status, 0);
    t_result_free(&r);
}

static void refused(t_result r, int status, const char *needle)
{
    if (r.status != status || !strstr(r.err, needle))
        fprintf(stderr, "wanted %d naming '%s'; got %d: %s%s\n", status, needle, r.status, r.out, r.err);
    assert_int_equal(r.status, status);
    assert_non_null(strstr(r.err, needle));
    t_result_free(&r);
}

static int mode_of(const char *p)
{
    struct stat sb;
    assert_int_equal(stat(p, &sb), 0);
    return (int)(sb.st_mode & 0777);
}

static bool file_has(const char *p, const char *needle)
{
    FILE *f = fopen(p, "rb");
    assert_non_null(f);
    static char buf[1 << 24];
    size_t got = fread(buf, 1, sizeof buf, f);
    fclose(f);
    return got && memmem(buf, got, needle, strlen(needle)) != NULL;
}

static char *path(const char *name) { return t_fmt("%s/%s", DIR_, name); }

static int setup(void **state)
{
    (void)state;
    SOCK = getenv("IOM_TEST_PG_SOCKDIR");
    PORT = getenv("IOM_TEST_PG_PORT");
    if (!PORT || !*PORT)
        PORT = "5432";
    have_pg = SOCK && *SOCK;
    if (!have_pg)
        return 0;
    DIR_ = t_tmpdir();
    KEY = path("audit.key");
    CUR_KEY = KEY;
    make_db("bk_src");
    SRC_OWNER = uri("iom_owner", "bk_src");
    SRC_APP = uri("iom_app", "bk_src");
    ok(iom("--db", SRC_OWNER, "demo", "--password", "backup test password 2026", NULL));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    if (!have_pg)
        return 0;
    t_tmpdir_free(DIR_);
    free(KEY);
    free(SRC_OWNER);
    free(SRC_APP);
    return 0;
}

#define NEED_PG()                                                                                  \
    do {                                                                                           \
        if (!have_pg) {                                                                            \
            fprintf(stderr, "skipped: no PostgreSQL cluster (IOM_TEST_PG_SOCKDIR is set by "       \
                            "scripts/test-pg.sh); test_backup covers SQLite\n");                   \
            skip();                                                                                \
        }                                                                                          \
    } while (0)

static void backup_is_a_consistent_copy(void **state)
{
    (void)state;
    NEED_PG();
    char *out = path("b1.dump"), *reads = path("b1.dump.reads");
    long long threats = scalar("bk_src", "SELECT count(*) FROM threat");
    /* an uncommitted write of another connection is not in the backup */
    PGconn *w = connect_as("iom_owner", "bk_src");
    PGresult *r = PQexec(w, "BEGIN; INSERT INTO holiday(day, name) VALUES ('2031-12-31', 'UNCOMMITTED-MARKER')");
    assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
    PQclear(r);
    t_result b = iom("--db", SRC_APP, "--json", "backup", "--out", out, NULL);
    PQclear(PQexec(w, "ROLLBACK"));
    PQfinish(w);
    if (b.status)
        fprintf(stderr, "%s%s\n", b.out, b.err);
    assert_int_equal(b.status, 0);
    assert_non_null(strstr(b.out, "\"sha256\""));
    t_result_free(&b);
    assert_int_equal(mode_of(out), 0600);
    assert_int_equal(mode_of(reads), 0600);
    assert_true(file_has(out, "PGDMP"));
    assert_true(file_has(reads, "PGDMP"));
    /* the audit key is not in it */
    char key[80] = "";
    FILE *kf = fopen(KEY, "r");
    assert_non_null(kf);
    assert_non_null(fgets(key, sizeof key, kf));
    fclose(kf);
    key[strcspn(key, "\n")] = '\0';
    assert_int_equal(strlen(key), 64);
    assert_false(file_has(out, key));
    assert_false(file_has(reads, key));
    /* its content: restored into a fresh database */
    make_db("bk_check");
    char *check = uri("iom_owner", "bk_check");
    ok(iom("--db", check, "restore", "--from", out, NULL));
    assert_int_equal(scalar("bk_check", "SELECT count(*) FROM threat"), threats);
    assert_int_equal(scalar("bk_check", "SELECT count(*) FROM holiday WHERE name = 'UNCOMMITTED-MARKER'"), 0);
    /* recorded in the source, with the file's checksum */
    assert_int_equal(scalar("bk_src", "SELECT count(*) FROM audit WHERE action = 'store.backup' AND after_json"
                                      " LIKE '%\"sha256\":\"%'"),
                     1);
    refused(iom("--db", SRC_APP, "backup", "--out", out, NULL), 6, "--force");
    ok(iom("--db", SRC_APP, "backup", "--out", out, "--force", NULL));
    refused(iom("--db", SRC_APP, "backup", "--out", KEY, "--force", NULL), 3, "the audit key");
    free(check);
    free(out);
    free(reads);
}

static void restore_round_trip(void **state)
{
    (void)state;
    NEED_PG();
    char *from = path("b1.dump");
    make_db("bk_r1");
    char *owner = uri("iom_owner", "bk_r1"), *app = uri("iom_app", "bk_r1");
    ok(iom("--db", owner, "restore", "--from", from, NULL));
    assert_int_equal(scalar("bk_r1", "SELECT count(*) FROM entity"), scalar("bk_src", "SELECT count(*) FROM entity"));
    assert_int_equal(scalar("bk_r1", "SELECT count(*) FROM reads.read_log"),
                     scalar("bk_src", "SELECT count(*) FROM reads.read_log"));
    assert_int_equal(scalar("bk_r1", "SELECT count(*) FROM audit WHERE action = 'store.restore'"), 1);
    /* every table the owner's; the servers' role has its grants back and can write */
    assert_int_equal(scalar("bk_r1", "SELECT count(*) FROM pg_tables WHERE schemaname IN ('public', 'reads')"
                                     " AND tableowner <> 'iom_owner'"),
                     0);
    assert_true(scalar("bk_r1", "SELECT count(*) FROM information_schema.role_table_grants WHERE grantee ="
                                " 'iom_app' AND table_name = 'audit' AND privilege_type = 'INSERT'") == 1);
    ok(iom("--db", app, "--as", "auditor", "audit", "verify", NULL));
    ok(iom("--db", app, "--as", "auditor", "audit", "verify", "--reads", NULL));
    char *again = path("after-restore.dump");
    ok(iom("--db", app, "backup", "--out", again, NULL)); /* a write as the servers' role */
    free(again);
    free(owner);
    free(app);
    free(from);
}

static void restore_refusals(void **state)
{
    (void)state;
    NEED_PG();
    char *from = path("b1.dump");
    char *owner = uri("iom_owner", "bk_r1");
    long long audit = scalar("bk_r1", "SELECT count(*) FROM audit");
    refused(iom("--db", owner, "restore", "--from", from, NULL), 6, "--force");
    char *junk = path("junk.dump");
    FILE *f = fopen(junk, "w");
    fputs("not a database\n", f);
    fclose(f);
    refused(iom("--db", owner, "restore", "--from", junk, "--force", NULL), 3, "not an iom database");
    /* a pg_dump of another database */
    make_db("bk_other");
    PGconn *c = connect_as("iom_owner", "bk_other");
    PQclear(PQexec(c, "CREATE TABLE t(x int); CREATE SCHEMA reads; CREATE TABLE reads.t(x int)"));
    PQfinish(c);
    char *other = path("other.dump");
    char *cmd = t_fmt("PGHOST='%s' PGPORT='%s' PGUSER=iom_owner PGDATABASE=bk_other sh -c 'pg_dump -Fc -N reads "
                      "> %s && pg_dump -Fc -n reads > %s.reads'",
                      SOCK, PORT, other, other);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    refused(iom("--db", owner, "restore", "--from", other, "--force", NULL), 3, "not an iom database");
    /* a newer schema: the backup of a database whose version says 99 */
    make_db("bk_newer");
    char *newer_owner = uri("iom_owner", "bk_newer");
    ok(iom("--db", newer_owner, "restore", "--from", from, NULL));
    c = connect_as("iom_owner", "bk_newer");
    PGresult *r = PQexec(c, "UPDATE iom_schema SET version = 99");
    assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
    PQclear(r);
    PQfinish(c);
    char *newer = path("newer.dump");
    cmd = t_fmt("PGHOST='%s' PGPORT='%s' PGUSER=iom_owner PGDATABASE=bk_newer sh -c 'pg_dump -Fc -N reads "
                "> %s && pg_dump -Fc -n reads > %s.reads'",
                SOCK, PORT, newer, newer);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    refused(iom("--db", owner, "restore", "--from", newer, "--force", NULL), 11, "newer than this binary");
    /* the read chain cut short: pg_restore fails half-way, nothing of the restore is kept */
    char *cut = path("cut.dump");
    cmd = t_fmt("cp '%s' '%s' && head -c 3000 '%s.reads' > '%s.reads'", from, cut, from, cut);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    refused(iom("--db", owner, "restore", "--from", cut, "--force", NULL), 7, "pg_restore");
    assert_int_equal(scalar("bk_r1", "SELECT count(*) FROM audit"), audit);
    char *app = uri("iom_app", "bk_r1");
    ok(iom("--db", app, "--as", "auditor", "audit", "verify", "--reads", NULL));
    free(app);
    free(cut);
    free(newer);
    free(newer_owner);
    free(other);
    free(junk);
    free(owner);
    free(from);
}

static void copy_verified(void **state)
{
    (void)state;
    NEED_PG();
    make_db("bk_copy");
    char *to = uri("iom_owner", "bk_copy"), *app = uri("iom_app", "bk_copy");
    t_result r = iom("copy", "--from", SRC_OWNER, "--to", to, "--json", NULL);
    if (r.status)
        fprintf(stderr, "%s%s\n", r.out, r.err);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\"tables\""));
    t_result_free(&r);
    assert_int_equal(scalar("bk_copy", "SELECT count(*) FROM entity"), scalar("bk_src", "SELECT count(*) FROM entity"));
    assert_int_equal(scalar("bk_copy", "SELECT count(*) FROM audit WHERE action = 'store.copy'"), 1);
    ok(iom("--db", app, "--as", "auditor", "audit", "verify", NULL));
    refused(iom("copy", "--from", SRC_OWNER, "--to", to, NULL), 6, "--force");
    ok(iom("copy", "--from", SRC_OWNER, "--to", to, "--force", NULL));
    assert_int_equal(scalar("bk_copy", "SELECT count(*) FROM audit WHERE action = 'store.copy'"), 1);
    free(to);
    free(app);
}

/* The head of `audit verify [--reads]` ("... head HEX"). */
static char *head_of(t_result r)
{
    if (r.status)
        fprintf(stderr, "%s%s\n", r.out, r.err);
    assert_int_equal(r.status, 0);
    const char *h = strstr(r.out, "head ");
    assert_non_null(h);
    char *v = strndup(h + 5, 64);
    t_result_free(&r);
    return v;
}

static void copy_between_backends(void **state)
{
    (void)state;
    NEED_PG();
    char *sq = path("sq.db"), *sq_key = path("sq.db.key"), *back = path("back.db");
    CUR_KEY = sq_key; /* the SQLite database's key (its init writes it), used for all three */
    ok(iom("--db", sq, "demo", "--password", "backup test password 2026", NULL));
    make_db("bk_x");
    char *owner = uri("iom_owner", "bk_x"), *app = uri("iom_app", "bk_x");
    t_result r = iom("--json", "copy", "--from", sq, "--to", owner, NULL);
    if (r.status)
        fprintf(stderr, "%s%s\n", r.out, r.err);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\"tables\": 62"));
    t_result_free(&r);
    /* the chains made on SQLite verify on PostgreSQL; the read chain is the same chain */
    char *h1 = head_of(iom("--db", sq, "--as", "auditor", "audit", "verify", "--reads", NULL));
    char *h2 = head_of(iom("--db", app, "--as", "auditor", "audit", "verify", "--reads", NULL));
    assert_string_equal(h1, h2);
    free(head_of(iom("--db", app, "--as", "auditor", "audit", "verify", NULL)));
    assert_int_equal(scalar("bk_x", "SELECT count(*) FROM audit WHERE action = 'store.copy'"), 1);
    /* the sequences are past the copied ids; the servers' role writes */
    assert_true(scalar("bk_x", "SELECT count(*) FROM entity") > 0);
    assert_int_equal(scalar("bk_x", "SELECT (nextval(pg_get_serial_sequence('entity', 'id')) >"
                                    " (SELECT max(id) FROM entity))::int"),
                     1);
    assert_int_equal(scalar("bk_x", "SELECT (nextval(pg_get_serial_sequence('threat', 'id')) >"
                                    " (SELECT max(id) FROM threat))::int"),
                     1);
    char *b = path("x.dump");
    ok(iom("--db", app, "backup", "--out", b, NULL));
    free(b);
    /* the append-only rules are back on */
    PGconn *c = connect_as("iom_owner", "bk_x");
    PGresult *pr = PQexec(c, "DELETE FROM audit");
    assert_int_not_equal(PQresultStatus(pr), PGRES_COMMAND_OK);
    PQclear(pr);
    PQfinish(c);
    /* and back to SQLite */
    ok(iom("copy", "--from", owner, "--to", back, NULL));
    char *h3 = head_of(iom("--db", back, "--as", "auditor", "audit", "verify", "--reads", NULL));
    assert_string_equal(h1, h3);
    free(head_of(iom("--db", back, "--as", "auditor", "audit", "verify", NULL)));
    /* an initialised target: refused without --force; with it replaced */
    long long audit = scalar("bk_x", "SELECT count(*) FROM audit");
    refused(iom("copy", "--from", sq, "--to", owner, NULL), 6, "--force");
    assert_int_equal(scalar("bk_x", "SELECT count(*) FROM audit"), audit);
    ok(iom("copy", "--from", sq, "--to", owner, "--force", NULL));
    assert_int_equal(scalar("bk_x", "SELECT count(*) FROM audit WHERE action = 'store.copy'"), 1);
    free(head_of(iom("--db", app, "--as", "auditor", "audit", "verify", NULL)));
    CUR_KEY = KEY;
    free(h1);
    free(h2);
    free(h3);
    free(owner);
    free(app);
    free(sq);
    free(sq_key);
    free(back);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(backup_is_a_consistent_copy),
        cmocka_unit_test(restore_round_trip),
        cmocka_unit_test(restore_refusals),
        cmocka_unit_test(copy_verified),
        cmocka_unit_test(copy_between_backends),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
