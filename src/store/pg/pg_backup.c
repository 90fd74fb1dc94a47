/*
 * PostgreSQL back-end: backup and restore (store.h ops backup and restore; issue 19 point 5;
 * docs/operations.md "PostgreSQL: backup, restore and copy").
 *
 * A backup is two files, as on SQLite: FILE, pg_dump's custom format (-Fc) of everything but
 * the schema `reads`, and FILE.reads, the same of the schema `reads` (the read chain). Both are
 * taken from ONE snapshot while servers write: this handle opens a REPEATABLE READ transaction,
 * exports its snapshot (pg_export_snapshot) and both pg_dump runs read through it (--snapshot).
 * The files are created here with mode 0600 and given to pg_dump as its standard output. The
 * audit key is a file apart (IOM_AUDIT_KEY): it is in no table, so in no dump.
 *
 * A restore replays both files into the database in ONE transaction: psql --single-transaction
 * reads, on one pipe, a prologue that drops the iom objects the database holds (schema reads,
 * public's tables, functions and text search configurations; not the extensions), then
 * `pg_restore -f -` of FILE and of FILE.reads (--no-owner --no-privileges: every object is
 * created by, so owned by, the role restoring, which must be the owner role), then the grants
 * of the servers' role (pg_schema_grants and each step's). Any error (ON_ERROR_STOP), a failed
 * pg_restore (psql is then killed before it reaches the end of its input) or a crash rolls all
 * of it back: the database is as it was.
 *
 * The tools are Debian's (package postgresql-client): /usr/lib/postgresql/<server major>/bin,
 * else IOM_PG_BIN, else the PATH. They run as child processes (posix_spawn, no shell) and get
 * the connection through their ENVIRONMENT only: every parameter libpq used for this handle
 * (PQconninfo: host, port, dbname, user, password, sslmode, ...) is passed as its PG* variable
 * (PGHOST, ..., PGPASSWORD) and nothing of it is on their command line, so `ps` shows no
 * password; PG* variables of our own environment are not inherited, nor IOM_AUDIT_KEY.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/pg/pg_internal.h"
#include "store/pg/pg_schema.h"

extern char **environ;

static bool exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* ---- child processes -------------------------------------------------------------------- */

/* The environment of a tool: ours without PG* and IOM_AUDIT_KEY, plus the handle's connection
   parameters as PG* variables. malloc'd (free with free_env). */
static char **tool_env(PGconn *conn)
{
    size_t n = 0;
    for (char **p = environ; *p; p++)
        n++;
    PQconninfoOption *opts = PQconninfo(conn);
    size_t m = 0;
    for (PQconninfoOption *o = opts; o && o->keyword; o++)
        m++;
    char **env = calloc(n + m + 1, sizeof *env);
    if (!env) {
        PQconninfoFree(opts);
        return NULL;
    }
    size_t k = 0;
    bool ok = true;
    for (char **p = environ; *p && ok; p++) {
        if (strncmp(*p, "PG", 2) == 0 || strncmp(*p, "IOM_AUDIT_KEY=", 14) == 0)
            continue;
        ok = (env[k++] = strdup(*p)) != NULL;
    }
    for (PQconninfoOption *o = opts; o && o->keyword && ok; o++) {
        if (!o->envvar || !o->val || !*o->val)
            continue;
        size_t len = strlen(o->envvar) + strlen(o->val) + 2;
        ok = (env[k] = malloc(len)) != NULL;
        if (ok)
            snprintf(env[k++], len, "%s=%s", o->envvar, o->val);
    }
    PQconninfoFree(opts);
    if (!ok) {
        for (size_t i = 0; i < k; i++)
            free(env[i]);
        free(env);
        return NULL;
    }
    return env;
}

static void free_env(char **env)
{
    if (!env)
        return;
    for (char **p = env; *p; p++) {
        size_t len = strlen(*p);
        memset(*p, 0, len); /* PGPASSWORD */
        free(*p);
    }
    free(env);
}

/* The tool `name` (pg_dump, pg_restore, psql) of the server's major version. */
static void tool_path(PGconn *conn, const char *name, char *out, size_t cap)
{
    const char *bin = getenv("IOM_PG_BIN");
    if (bin && *bin) {
        snprintf(out, cap, "%s/%s", bin, name);
        return;
    }
    snprintf(out, cap, "/usr/lib/postgresql/%d/bin/%s", PQserverVersion(conn) / 10000, name);
    if (access(out, X_OK) != 0)
        snprintf(out, cap, "%s", name); /* from the PATH */
}

typedef struct tool {
    pid_t pid;
    FILE *err; /* its standard error */
    char name[16];
} tool;

/* Starts argv[0] (a name from tool_path) with stdin `in` and stdout `out` (-1: /dev/null). */
static iom_err tool_start(tool *t, char *const argv[], char **env, int in, int out, iom_error *e)
{
    snprintf(t->name, sizeof t->name, "%s", strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0]);
    t->pid = -1;
    t->err = tmpfile();
    if (!t->err)
        return iom_fail(e, IOM_EIO, "%s: cannot make a temporary file: %s", t->name, strerror(errno));
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (in >= 0)
        posix_spawn_file_actions_adddup2(&fa, in, 0);
    else
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    if (out >= 0)
        posix_spawn_file_actions_adddup2(&fa, out, 1);
    else
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fileno(t->err), 2);
    int rc = strchr(argv[0], '/') ? posix_spawn(&t->pid, argv[0], &fa, NULL, argv, env)
                                   : posix_spawnp(&t->pid, argv[0], &fa, NULL, argv, env);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        fclose(t->err);
        t->err = NULL;
        t->pid = -1;
        return iom_fail(e, IOM_EIO, "cannot run %s (%s): %s; install Debian's postgresql-client of the "
                        "server's version or set IOM_PG_BIN", argv[0], t->name, strerror(rc));
    }
    return IOM_OK;
}

/* Waits for the tool: IOM_OK when it exited 0, else the first lines of its standard error. */
static iom_err tool_wait(tool *t, const char *what, iom_error *e)
{
    int st = 0;
    pid_t r;
    do
        r = waitpid(t->pid, &st, 0);
    while (r < 0 && errno == EINTR);
    iom_err err = IOM_OK;
    if (r != t->pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        char msg[600] = "";
        if (t->err) {
            rewind(t->err);
            size_t n = fread(msg, 1, sizeof msg - 1, t->err);
            msg[n] = '\0';
            for (char *p = msg; *p; p++)
                if (*p == '\n' || *p == '\t')
                    *p = ' ';
        }
        while (*msg && msg[strlen(msg) - 1] == ' ')
            msg[strlen(msg) - 1] = '\0';
        err = iom_fail(e, IOM_ESTORE, "%s: %s failed (%s %d)%s%s", what, t->name,
                       WIFSIGNALED(st) ? "signal" : "exit", WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st),
                       *msg ? ": " : "", msg);
    }
    if (t->err)
        fclose(t->err);
    t->err = NULL;
    t->pid = -1;
    return err;
}

/* Runs a tool to its end with stdout to `out`. */
static iom_err tool_run(char *const argv[], char **env, int out, const char *what, iom_error *e)
{
    tool t;
    iom_err err = tool_start(&t, argv, env, -1, out, e);
    return err ? err : tool_wait(&t, what, e);
}

/* ---- backup ------------------------------------------------------------------------------- */

static iom_err dump_to(PGconn *conn, char **env, const char *snapshot, const char *schema_opt,
                       const char *path, iom_error *e)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return iom_fail(e, IOM_EIO, "backup: cannot create '%s': %s", path, strerror(errno));
    iom_err err = IOM_OK;
    if (fchmod(fd, 0600) != 0) /* a file replaced with --force keeps no wider mode */
        err = iom_fail(e, IOM_EIO, "backup: '%s': %s", path, strerror(errno));
    char bin[4096], snap[128];
    tool_path(conn, "pg_dump", bin, sizeof bin);
    snprintf(snap, sizeof snap, "--snapshot=%s", snapshot);
    char *argv[] = {bin, "--format=custom", "--no-password", snap, (char *)schema_opt, "reads", NULL};
    if (!err)
        err = tool_run(argv, env, fd, "backup", e);
    if (!err && fsync(fd) != 0)
        err = iom_fail(e, IOM_EIO, "backup: '%s': %s", path, strerror(errno));
    if (close(fd) != 0 && !err)
        err = iom_fail(e, IOM_EIO, "backup: '%s': %s", path, strerror(errno));
    return err;
}

iom_err pg_backup_to(sq_store *s, const char *to, bool force, iom_error *e)
{
    PGconn *conn = s->pg->conn;
    size_t n = strlen(to) + sizeof ".reads";
    char *to_reads = malloc(n);
    if (!to_reads)
        return iom_fail(e, IOM_ENOMEM, "backup: out of memory");
    snprintf(to_reads, n, "%s.reads", to);
    iom_err err = IOM_OK;
    if (s->in_tx)
        err = iom_fail(e, IOM_ESTORE, "backup: a transaction is open on this handle");
    if (!err && !force && (exists(to) || exists(to_reads)))
        err = iom_fail(e, IOM_ECONFLICT, "backup: '%s' exists (or its .reads file); give another name, or "
                       "--force to replace it", to);
    /* one snapshot for both files, held until both dumps have read it */
    if (!err)
        err = pg_exec(s, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", e, "backup");
    char snapshot[64] = "";
    if (!err) {
        PGresult *r = PQexec(conn, "SELECT pg_export_snapshot()");
        if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
            snprintf(snapshot, sizeof snapshot, "%s", PQgetvalue(r, 0, 0));
        else {
            pg_note_failure(s, r);
            err = s->drv->fail(s, e, "backup: export a snapshot");
        }
        PQclear(r);
        char **env = err ? NULL : tool_env(conn);
        if (!err && !env)
            err = iom_fail(e, IOM_ENOMEM, "backup: out of memory");
        if (!err)
            err = dump_to(conn, env, snapshot, "--exclude-schema", to, e);
        if (!err)
            err = dump_to(conn, env, snapshot, "--schema", to_reads, e);
        free_env(env);
        PQclear(PQexec(conn, "COMMIT"));
        if (err && exists(to)) {
            unlink(to);
            unlink(to_reads);
        }
    }
    free(to_reads);
    return err;
}

/* ---- restore ------------------------------------------------------------------------------ */

/* Does the file start as pg_dump's custom format does? */
bool store_pg_is_dump(const char *path)
{
    char magic[5] = {0};
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    size_t n = fread(magic, 1, 5, f);
    fclose(f);
    return n == 5 && memcmp(magic, "PGDMP", 5) == 0;
}

/* pg_restore's output for `file` with option opt1 (and opt2, unless NULL) into a temporary file, opened
   for reading at its start. */
static iom_err restore_output(PGconn *conn, char **env, const char *opt1, const char *opt2, const char *file,
                              FILE **out, iom_error *e)
{
    *out = tmpfile();
    if (!*out)
        return iom_fail(e, IOM_EIO, "restore: cannot make a temporary file: %s", strerror(errno));
    char bin[4096];
    tool_path(conn, "pg_restore", bin, sizeof bin);
    char *argv[7];
    int k = 0;
    argv[k++] = bin;
    argv[k++] = (char *)opt1;
    if (opt2)
        argv[k++] = (char *)opt2;
    argv[k++] = "-f";
    argv[k++] = "-";
    argv[k++] = (char *)file;
    argv[k] = NULL;
    iom_err err = tool_run(argv, env, fileno(*out), "restore", e);
    rewind(*out);
    if (err) {
        fclose(*out);
        *out = NULL;
    }
    return err;
}

/* The table of contents of a dump (pg_restore --list) without the extensions (an extension is
   the administrator's or the database's, not the backup's: the target keeps its own), written
   to a temporary file whose path is put in `list` (the caller unlinks it). `need` must be one
   of its entries (" TABLE <schema> <name> "): else the file is no iom backup. */
static iom_err toc_of(PGconn *conn, char **env, const char *file, const char *need, char list[64], bool *iom,
                      iom_error *e)
{
    FILE *toc;
    *iom = false;
    list[0] = '\0';
    iom_err err = restore_output(conn, env, "--list", NULL, file, &toc, e);
    if (err)
        return err;
    snprintf(list, 64, "/tmp/iom-restore-XXXXXX");
    int fd = mkstemp(list);
    if (fd < 0) {
        fclose(toc);
        list[0] = '\0';
        return iom_fail(e, IOM_EIO, "restore: cannot make a temporary file: %s", strerror(errno));
    }
    FILE *w = fdopen(fd, "w");
    char line[2048];
    while (w && fgets(line, sizeof line, toc)) {
        if (line[0] != ';' && strstr(line, need))
            *iom = true;
        if (line[0] != ';' && strstr(line, " EXTENSION "))
            fprintf(w, ";%s", line); /* commented out: not restored */
        else
            fputs(line, w);
    }
    fclose(toc);
    if (!w || fclose(w) != 0) {
        if (!w)
            close(fd);
        return iom_fail(e, IOM_EIO, "restore: cannot write a temporary file");
    }
    return IOM_OK;
}

/* The schema version the dump holds (iom_schema's row), -1 when it has none. */
static iom_err version_of_dump(PGconn *conn, char **env, const char *file, int *v, iom_error *e)
{
    FILE *f;
    *v = -1;
    iom_err err = restore_output(conn, env, "--data-only", "--table=iom_schema", file, &f, e);
    if (err)
        return err;
    char line[512];
    bool next = false;
    while (fgets(line, sizeof line, f)) {
        if (next) {
            long one, ver;
            if (sscanf(line, "%ld\t%ld", &one, &ver) == 2 && one == 1)
                *v = (int)ver;
            break;
        }
        next = strncmp(line, "COPY public.iom_schema ", 23) == 0;
    }
    fclose(f);
    return IOM_OK;
}

/* Drops what an iom database holds, the extensions excepted (the prologue of a restore). */
static const char restore_prologue[] =
    "\\set ON_ERROR_STOP on\n"
    "SET client_min_messages = warning;\n"
    "DROP SCHEMA IF EXISTS reads CASCADE;\n"
    "DO $iom$ DECLARE t text; BEGIN\n"
    "  FOR t IN SELECT format('DROP %s IF EXISTS public.%I CASCADE',\n"
    "             CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'\n"
    "                            WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, c.relname)\n"
    "        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace\n"
    "       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')\n"
    "         AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass\n"
    "                          AND d.objid = c.oid AND d.deptype IN ('e', 'i', 'a'))\n"
    "  LOOP EXECUTE t; END LOOP;\n"
    "  FOR t IN SELECT format('DROP ROUTINE IF EXISTS %s CASCADE', p.oid::regprocedure)\n"
    "        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace\n"
    "       WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_depend d\n"
    "             WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')\n"
    "  LOOP EXECUTE t; END LOOP;\n"
    "  FOR t IN SELECT format('DROP TEXT SEARCH CONFIGURATION IF EXISTS public.%I CASCADE', c.cfgname)\n"
    "        FROM pg_ts_config c JOIN pg_namespace n ON n.oid = c.cfgnamespace\n"
    "       WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_depend d\n"
    "             WHERE d.classid = 'pg_ts_config'::regclass AND d.objid = c.oid AND d.deptype = 'e')\n"
    "  LOOP EXECUTE t; END LOOP;\n"
    "END $iom$;\n"
    /* what the dumps create needs this (the baseline creates it; it is no part of a dump) */
    "CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;\n";

static bool write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* The epilogue: the servers' role's grants for a database at schema version v. */
static char *restore_epilogue(int v)
{
    size_t n = strlen(pg_schema_grants) + 256;
    for (int k = 0; k < v - pg_schema_baseline_version && k < pg_migration_count; k++)
        n += strlen(pg_migration_grants[k]) + 2;
    char *sql = malloc(n);
    if (!sql)
        return NULL;
    /* pg_restore's scripts empty the search path */
    snprintf(sql, n, "RESET search_path;\n%s\n", pg_schema_grants);
    for (int k = 0; k < v - pg_schema_baseline_version && k < pg_migration_count; k++) {
        strcat(sql, pg_migration_grants[k]);
        strcat(sql, "\n");
    }
    strcat(sql, "GRANT SELECT ON iom_schema TO iom_app;\n");
    return sql;
}

iom_err pg_restore_from(sq_store *s, const char *from, int *schema, iom_error *e)
{
    PGconn *conn = s->pg->conn;
    *schema = 0;
    size_t n = strlen(from) + sizeof ".reads";
    char *from_reads = malloc(n);
    char **env = tool_env(conn);
    char list[64] = "", list_reads[64] = "";
    if (!from_reads || !env) {
        free(from_reads);
        free_env(env);
        return iom_fail(e, IOM_ENOMEM, "restore: out of memory");
    }
    snprintf(from_reads, n, "%s.reads", from);
    iom_err err = IOM_OK;
    bool iom = false, iom_reads = false;
    int v = -1;
    if (!store_pg_is_dump(from))
        err = iom_fail(e, IOM_EINVAL, "restore: '%s' is not an iom database (nor a backup of one)", from);
    else if (!store_pg_is_dump(from_reads))
        err = iom_fail(e, IOM_EINVAL, "restore: '%s' lacks its read chain '%s' (a backup is both files)", from,
                       from_reads);
    if (!err)
        err = toc_of(conn, env, from, " TABLE public iom_schema ", list, &iom, e);
    if (!err)
        err = toc_of(conn, env, from_reads, " TABLE reads read_log ", list_reads, &iom_reads, e);
    if (!err && (!iom || !iom_reads))
        err = iom_fail(e, IOM_EINVAL, "restore: '%s' is not an iom database: a pg_dump without %s", from,
                       iom ? "the read chain in its .reads file" : "iom's tables");
    if (!err)
        err = version_of_dump(conn, env, from, &v, e);
    if (!err && v < pg_schema_baseline_version)
        err = iom_fail(e, IOM_EINVAL, "restore: '%s' is not an iom database: no schema version in it", from);
    if (!err && v > pg_schema_baseline_version + pg_migration_count)
        err = iom_fail(e, IOM_ESCHEMA, "restore: '%s' has schema %d, newer than this binary's %d; restore it "
                       "with a newer iom", from, v, pg_schema_baseline_version + pg_migration_count);
    char *epilogue = err ? NULL : restore_epilogue(v);
    if (!err && !epilogue)
        err = iom_fail(e, IOM_ENOMEM, "restore: out of memory");
    if (!err) {
        /* psql applies the whole stream in one transaction, or nothing */
        struct sigaction ign = {.sa_handler = SIG_IGN}, old;
        sigaction(SIGPIPE, &ign, &old);
        int p[2] = {-1, -1};
        if (pipe2(p, O_CLOEXEC) != 0)
            err = iom_fail(e, IOM_EIO, "restore: pipe: %s", strerror(errno));
        char psql[4096], pgr[4096];
        tool_path(conn, "psql", psql, sizeof psql);
        tool_path(conn, "pg_restore", pgr, sizeof pgr);
        tool sql = {.pid = -1};
        if (!err) {
            char *argv[] = {psql, "--no-psqlrc", "--quiet", "--no-password", "--single-transaction",
                            "--set=ON_ERROR_STOP=1", "--file=-", NULL};
            err = tool_start(&sql, argv, env, p[0], -1, e);
            close(p[0]);
        }
        if (!err && !write_all(p[1], restore_prologue, strlen(restore_prologue)))
            err = iom_fail(e, IOM_ESTORE, "restore: psql ended early");
        const char *files[2] = {from, from_reads}, *lists[2] = {list, list_reads};
        for (int i = 0; i < 2 && !err; i++) {
            char *argv[] = {pgr, "--no-owner", "--no-privileges", "--use-list", (char *)lists[i], "-f", "-",
                            (char *)files[i], NULL};
            tool t;
            err = tool_start(&t, argv, env, -1, p[1], e);
            if (!err)
                err = tool_wait(&t, "restore", e);
        }
        if (!err && !write_all(p[1], epilogue, strlen(epilogue)))
            err = iom_fail(e, IOM_ESTORE, "restore: psql ended early");
        if (err && sql.pid > 0)
            kill(sql.pid, SIGKILL); /* before it sees the end of a partial script: nothing committed */
        if (p[1] >= 0)
            close(p[1]);
        if (sql.pid > 0) {
            iom_error e2;
            iom_err werr = tool_wait(&sql, "restore", err ? &e2 : e);
            if (!err)
                err = werr;
        }
        sigaction(SIGPIPE, &old, NULL);
    }
    free(epilogue);
    if (*list)
        unlink(list);
    if (*list_reads)
        unlink(list_reads);
    free(from_reads);
    free_env(env);
    pg_forget_tables(s);
    if (!err)
        *schema = v;
    return err;
}
