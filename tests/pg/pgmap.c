/*
 * pgmap.c: runs the test suite on PostgreSQL without changing a test (issue 19 point 3).
 *
 * Linked into every test program and into `iom-pgmap` (the `iom` binary the tests spawn in a
 * PostgreSQL run) with the linker's --wrap=iom_store_open: every store the code opens goes
 * through __wrap_iom_store_open. Without IOM_TEST_PG_SOCKDIR it calls the real function, so a
 * SQLite run is unchanged. With it (scripts/test-pg.sh sets it to the throw-away cluster's
 * socket directory), a database location that is a file path is mapped to a PostgreSQL
 * database of that cluster named after the path, made on first use (an open with
 * IOM_STORE_CREATE), and opened as:
 *  - iom_owner (who owns the tables) for init and migrate (opens with IOM_STORE_ANY_SCHEMA),
 *  - iom_app (the servers' role: no ownership, only its grants) for everything else,
 * so the suite exercises the grants. The file at the path holds "iom-pgmap <database>": a test
 * that copies a database file (a fixture copied for each case) copies that line, and the first
 * open of the copy makes its database as a clone of the one named (CREATE DATABASE ... TEMPLATE,
 * the state of the original at that moment). The audit key stays where the SQLite run keeps it,
 * "<path>.key" (the code derives it from the path it was given, which is unchanged), so
 * CLI output and golden transcripts are identical on both back-ends. A path whose database was
 * never made opens as a missing file does ("does not exist: run `iom init` first").
 */
#include <fcntl.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"
#include "pgmap.h"

iom_err __real_iom_store_open(const char *location, int flags, iom_store **out, iom_error *e);
iom_err __wrap_iom_store_open(const char *location, int flags, iom_store **out, iom_error *e);

/* FNV-1a 64 of the path: the database name t_<16 hex digits>. */
static void db_name(const char *path, char out[24])
{
    uint64_t h = 1469598103934665603ull;
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        h ^= *p;
        h *= 1099511628211ull;
    }
    snprintf(out, 24, "t_%016llx", (unsigned long long)h);
}

/* Percent-encodes a socket directory for the host= parameter of a URI. */
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

/* The database a copied file names ("iom-pgmap NAME"), into src; false when none. */
static bool copied_from(const char *path, const char *name, char src[64])
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    char line[128] = "";
    bool ok = fgets(line, sizeof line, f) && sscanf(line, "iom-pgmap %63s", src) == 1 &&
              strcmp(src, name) != 0 && strncmp(src, "t_", 2) == 0 && strspn(src + 2, "0123456789abcdef") == 16;
    fclose(f);
    return ok;
}

static void mark(const char *path, const char *name)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd >= 0) {
        char line[64];
        int n = snprintf(line, sizeof line, "iom-pgmap %s\n", name);
        if (write(fd, line, (size_t)n) != n) { /* the next open makes it again */
        }
        close(fd);
    }
}

/* The superuser connection to the cluster's `postgres` database that ensure_db asks, kept for
   the process (a store open made two connections before it, each ~4.6 ms of the cluster's time:
   measured with pgbench -C). Guarded by a mutex (tests open stores from several threads); made
   again after a fork (a child must not talk on its parent's socket) or when it broke (a test
   restarts the cluster). Never freed: the process's end closes it. */
static pthread_mutex_t su_mu = PTHREAD_MUTEX_INITIALIZER;
static PGconn *su_conn;
static pid_t su_pid;

static PGconn *su_get(const char *sock, const char *port, iom_error *e)
{
    if (su_conn && su_pid != getpid())
        su_conn = NULL; /* the parent's: left alone */
    if (su_conn && PQstatus(su_conn) != CONNECTION_OK) {
        PQfinish(su_conn);
        su_conn = NULL;
    }
    if (!su_conn) {
        char conninfo[1024];
        snprintf(conninfo, sizeof conninfo, "host=%s port=%s user=postgres dbname=postgres", sock, port);
        PGconn *c = PQconnectdb(conninfo);
        if (PQstatus(c) != CONNECTION_OK) {
            iom_fail(e, IOM_ESTORE, "test cluster: %s", PQerrorMessage(c));
            PQfinish(c);
            return NULL;
        }
        su_conn = c;
        su_pid = getpid();
    }
    return su_conn;
}

/* 1: the database exists, 0: it does not, -1: the cluster cannot be asked (message in e). */
static int ensure_db_locked(PGconn *c, const char *name, const char *path, bool create, iom_error *e);

static int ensure_db(const char *sock, const char *port, const char *name, const char *path, bool create,
                     iom_error *e)
{
    pthread_mutex_lock(&su_mu);
    int have = -1;
    for (int attempt = 0; attempt < 2; attempt++) {
        PGconn *c = su_get(sock, port, e);
        if (!c)
            break;
        have = ensure_db_locked(c, name, path, create, e);
        if (have >= 0)
            break;
        /* the connection may have broken under the question (the cluster restarted; libpq
           may still call it CONNECTION_OK): a new one, once */
        PQfinish(su_conn);
        su_conn = NULL;
    }
    pthread_mutex_unlock(&su_mu);
    return have;
}

static int ensure_db_locked(PGconn *c, const char *name, const char *path, bool create, iom_error *e)
{
    const char *params[1] = {name};
    PGresult *r = PQexecParams(c, "SELECT 1 FROM pg_database WHERE datname = $1", 1, NULL, params,
                               NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        iom_fail(e, IOM_ESTORE, "test cluster: %s", PQerrorMessage(c));
        PQclear(r);
        return -1;
    }
    int have = PQntuples(r) == 1;
    PQclear(r);
    bool made = false;
    char src[64];
    if (!have && copied_from(path, name, src)) {
        /* a copy of another database's file: a clone of that database (it may be in use for a
           moment by a process closing it: CREATE DATABASE ... TEMPLATE needs it idle) */
        char sql[200], end_warm[300];
        snprintf(sql, sizeof sql, "CREATE DATABASE %s OWNER iom_owner TEMPLATE %s", name, src);
        /* the test support's kept read connection (pgmap.h) would hold it for good */
        snprintf(end_warm, sizeof end_warm,
                 "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = '%s' "
                 "AND application_name = '%s'", src, PGMAP_WARM_APP);
        for (int tries = 0; tries < 100 && !have; tries++) {
            PQclear(PQexec(c, end_warm));
            r = PQexec(c, sql);
            have = PQresultStatus(r) == PGRES_COMMAND_OK ||
                   strstr(PQresultErrorMessage(r), "already exists") != NULL;
            bool busy = strstr(PQresultErrorMessage(r), "being accessed by other users") != NULL;
            PQclear(r);
            if (!have && !busy)
                break;
            if (!have)
                usleep(100 * 1000);
        }
        made = have;
    }
    if (!have && create) {
        char sql[160];
        snprintf(sql, sizeof sql, "CREATE DATABASE %s OWNER iom_owner TEMPLATE template0", name);
        r = PQexec(c, sql);
        have = PQresultStatus(r) == PGRES_COMMAND_OK;
        if (!have) /* made meanwhile by another process of the same test: fine */
            have = strstr(PQresultErrorMessage(r), "already exists") != NULL;
        if (!have)
            iom_fail(e, IOM_ESTORE, "test cluster: %s", PQresultErrorMessage(r));
        else
            made = true;
        PQclear(r);
        if (!have)
            return -1;
    }
    if (made) /* a file at the path, as SQLite would leave one: tests list *.db, copy it */
        mark(path, name);
    return have;
}

int pgmap_conninfo(const char *path, const char *user, char *out, size_t cap)
{
    const char *sock = getenv("IOM_TEST_PG_SOCKDIR");
    if (!sock || !*sock || !path || strstr(path, "://"))
        return -1;
    const char *port = getenv("IOM_TEST_PG_PORT");
    char name[24], abs[4096];
    if (path[0] != '/' && getcwd(abs, sizeof abs))
        snprintf(abs + strlen(abs), sizeof abs - strlen(abs), "/%s", path);
    else
        snprintf(abs, sizeof abs, "%s", path);
    db_name(abs, name);
    iom_error e = {0};
    ensure_db(sock, port && *port ? port : "5432", name, path, false, &e); /* a copy: its clone */
    snprintf(out, cap, "host=%s port=%s user=%s dbname=%s", sock, port && *port ? port : "5432", user, name);
    return 0;
}

iom_err __wrap_iom_store_open(const char *location, int flags, iom_store **out, iom_error *e)
{
    if (getenv("IOM_TEST_STORE_FREE")) { /* CMakeLists.txt sets it for tests/pg/store-free.txt */
        fprintf(stderr, "pgmap: this test is listed in tests/pg/store-free.txt (left out of the "
                        "PostgreSQL run as one that never opens a store) and opened '%s': take it "
                        "off the list\n", location ? location : "(null)");
        abort();
    }
    const char *sock = getenv("IOM_TEST_PG_SOCKDIR");
    if (!sock || !*sock || !location || strstr(location, "://"))
        return __real_iom_store_open(location, flags, out, e);
    const char *port = getenv("IOM_TEST_PG_PORT");
    if (!port || !*port)
        port = "5432";
    char name[24], abs[4096];
    if (location[0] != '/' && getcwd(abs, sizeof abs)) /* relative paths of different tests differ */
        snprintf(abs + strlen(abs), sizeof abs - strlen(abs), "/%s", location);
    else
        snprintf(abs, sizeof abs, "%s", location);
    db_name(abs, name);
    char host[600], uri[900];
    encode(sock, host, sizeof host);
    snprintf(uri, sizeof uri, "postgresql://%s@/%s?host=%s&port=%s",
             (flags & IOM_STORE_ANY_SCHEMA) ? "iom_owner" : "iom_app", name, host, port);
    /* Most opens are of a database that exists: they connect straight to it, and ask the
       superuser connection (a second backend to start, ~5 ms of the cluster's time) only when
       the path is a copy still to clone or the connection finds no database. */
    char src[64];
    iom_err err = IOM_ESTORE;
    bool direct = !copied_from(location, name, src);
    if (direct) {
        iom_error first = {0};
        err = __real_iom_store_open(uri, flags, out, &first);
        if (err && !strstr(first.msg, "does not exist")) {
            if (e)
                *e = first;
        } else if (err) {
            direct = false; /* no such database (yet): ensure_db below */
        }
    }
    if (!direct) {
        int have = ensure_db(sock, port, name, location, (flags & IOM_STORE_CREATE) != 0, e);
        if (have < 0)
            return IOM_ESTORE;
        if (!have) {
            *out = NULL;
            return iom_fail(e, IOM_ESCHEMA, "database '%s' does not exist: run `iom init` first", location);
        }
        err = __real_iom_store_open(uri, flags, out, e);
    }
    if (err && e) { /* name the path the test gave, as the SQLite run would */
        char msg[IOM_ERRMSG_MAX];
        snprintf(msg, sizeof msg, "%s", e->msg);
        char *at = strstr(msg, uri);
        if (at) {
            char fixed[IOM_ERRMSG_MAX];
            snprintf(fixed, sizeof fixed, "%.*s%s%s", (int)(at - msg), msg, location, at + strlen(uri));
            snprintf(e->msg, sizeof e->msg, "%s", fixed);
        }
    }
    return err;
}
