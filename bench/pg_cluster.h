/*
 * pg_cluster.h: the benchmarks' PostgreSQL (bench_http --pg, bench_lifecycle --pg): a
 * throw-away cluster of scripts/pg-test-cluster.sh (a temporary directory under the base the
 * caller gives, a Unix socket only, fsync on), stopped and removed at exit, also after an
 * error exit or SIGINT/SIGTERM. Static functions: included by one program each.
 */
#ifndef IOM_BENCH_PG_CLUSTER_H
#define IOM_BENCH_PG_CLUSTER_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void pg_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void pg_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "bench: PostgreSQL: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(1);
}

/* The throw-away cluster of scripts/pg-test-cluster.sh, stopped (and its directory removed) at
   exit, also after die() or SIGINT/SIGTERM. */
#define PG_CLUSTER_SCRIPT IOM_TEST_DATA_DIR "/../../scripts/pg-test-cluster.sh"
static char pg_dir[4200];

static void pg_stop(void)
{
    if (!pg_dir[0])
        return;
    pid_t pid;
    char *argv[] = {"bash", PG_CLUSTER_SCRIPT, "stop", pg_dir, NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    if (posix_spawnp(&pid, "bash", &fa, NULL, argv, environ) == 0)
        waitpid(pid, NULL, 0);
    posix_spawn_file_actions_destroy(&fa);
    pg_dir[0] = '\0';
}

static void pg_on_signal(int sig)
{
    pg_stop();
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Runs argv (argv[0] looked up in PATH) and returns its standard output (malloc'd); dies when
   it fails. */
static char *capture(char *const *argv)
{
    int p[2];
    if (pipe(p) != 0)
        pg_die("pipe: %s", strerror(errno));
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, p[1], 1);
    posix_spawn_file_actions_addclose(&fa, p[0]);
    posix_spawn_file_actions_addclose(&fa, p[1]);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(p[1]);
    if (rc != 0)
        pg_die("cannot run %s", argv[0]);
    size_t cap = 4096, len = 0;
    char *out = malloc(cap);
    ssize_t k;
    while ((k = read(p[0], out + len, cap - len - 1)) > 0)
        if ((len += (size_t)k) + 1 == cap)
            out = realloc(out, cap *= 2);
    out[len] = '\0';
    close(p[0]);
    int st;
    waitpid(pid, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        pg_die("%s failed", argv[1] ? argv[1] : argv[0]);
    return out;
}

typedef struct pg_cluster {
    char owner[1024], app[1024], super[1024], bin[1024];
} pg_cluster;

/* Starts the cluster in a new directory under base (a disk: commits fsync there). */
static void pg_start(const char *base, pg_cluster *pg)
{
    snprintf(pg_dir, sizeof pg_dir, "%s/iom-bench-pg-XXXXXX", base);
    if (!mkdtemp(pg_dir))
        pg_die("mkdtemp: %s", strerror(errno));
    rmdir(pg_dir); /* the script makes it (mode 0700, owned by the cluster's user) */
    atexit(pg_stop);
    signal(SIGINT, pg_on_signal);
    signal(SIGTERM, pg_on_signal);
    char *argv[] = {"bash", "-c",
                    "eval \"$(bash \"$0\" start \"$1\")\" && printf '%s\\n' \"$IOM_PG_OWNER_URI\" "
                    "\"$IOM_PG_APP_URI\" \"$IOM_PG_SUPER_URI\" \"$IOM_PG_BIN\"",
                    PG_CLUSTER_SCRIPT, pg_dir, NULL};
    char *out = capture(argv);
    char *line[4] = {0}, *save = NULL;
    for (int i = 0; i < 4; i++)
        line[i] = strtok_r(i ? NULL : out, "\n", &save);
    if (!line[3])
        pg_die("%s", "pg-test-cluster.sh printed no URIs");
    snprintf(pg->owner, sizeof pg->owner, "%s", line[0]);
    snprintf(pg->app, sizeof pg->app, "%s", line[1]);
    snprintf(pg->super, sizeof pg->super, "%s", line[2]);
    snprintf(pg->bin, sizeof pg->bin, "%s", line[3]);
    free(out);
}

/* One SQL command as the role of uri (psql of the cluster); its output (malloc'd). */
__attribute__((unused)) static char *pg_sql_as(const pg_cluster *pg, const char *uri, const char *sql)
{
    char psql[1100];
    snprintf(psql, sizeof psql, "%s/psql", pg->bin);
    char *argv[] = {psql, "-X", "-q", "-A", "-t", "-d", (char *)uri, "-c", (char *)sql, NULL};
    return capture(argv);
}

#endif
