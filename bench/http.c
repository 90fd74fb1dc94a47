/*
 * bench_http: `iom serve` against nginx on loopback, driven by wrk (issue 5; numbers go to the
 * integrator's docs/performance.md).
 *
 *   bench_http [--threads T] [--connections C] [--duration SECONDS] [--taskings N]
 *              [--server-threads N] [--as USER] [--dir DIR] [--disk-dir DIR] [--rounds R]
 *              [--pg] [--pg-setting 'NAME = VALUE']
 *
 * In ONE invocation, with the same wrk settings for all five (default 2 threads, 32
 * connections, 10 s; `wrk --latency`):
 *   (a) nginx serving a small static JSON file: the ceiling. nginx runs as a child of this
 *       program with its own prefix and configuration in DIR, on a free loopback port, as the
 *       unprivileged user `nobody` when this program runs as root; it is stopped afterwards.
 *   (b) GET /api/health on `iom serve` (no authentication, no store).
 *   (c) GET /api/v1/taskings?limit=20 with a Bearer API token of USER (default: auditor, who
 *       may see every tasking) over the demo data plus N (default 100,000) extra taskings.
 *   (d) the logged content read: GET /api/v1/taskings/{ref} of a demo tasking as its assigned
 *       analyst (toex-analyst, Bearer token) with an X-Iom-Purpose header: every answer waits
 *       for its read-log entry to be durable (group commit, issue 14);
 *   (e) the same read with logging switched off by app_readlog_bench_unlogged (a function of
 *       libiom only this program calls: no option or variable of `iom` reaches it).
 *       (d) and (e) run on a server started in this process (http_server_start, the code of
 *       `iom serve`) over a copy of the database on a disk (--disk-dir, default /var/tmp: the
 *       fsync is the point, so not /dev/shm); the disk's fdatasync and fsync rates are
 *       measured there first (4 KiB pwrite + sync, 1 s each) and printed. (d) and (e) take
 *       turns over R rounds (default 3), in the order d e, e d, d e, ...: a drift of the
 *       machine's speed during the runs (tens of percent within minutes on a shared virtual
 *       machine) then weighs on both alike, where one (d) followed by one (e) put all of it
 *       into their ratio. Each is reported over its rounds (requests/s and p50 the mean, p99
 *       the worst round's), the ratio of each round too.
 * It prints requests/s, p50 and p99 latency and each ratio to nginx, the load average of the
 * machine before and after each run, and whether the goals are met (health >= 0.5 of nginx;
 * the authenticated list >= 0.25 of nginx with p99 < 10 ms; the logged read >= 0.7 of the
 * unlogged one with p99 < 10 ms).
 *
 * The database is made as `iom demo` makes it (the demo users' password is irrelevant here;
 * Argon2id runs at its minimum cost), then N draft taskings are created through the use-case
 * layer by the spocs of the four demo forces, round-robin: a threat (app_threat_add) and a
 * draft tasking on it (app_tasking_new), one committed transaction each (a threat has one
 * open tasking at a time). DIR defaults to a new directory under /dev/shm (so
 * seeding is CPU-bound, not fsync-bound; reads do not sync anyway) or $TMPDIR, removed at the
 * end; with --dir DIR the directory is kept and a database already seeded there with at least
 * N extra taskings is reused (seeding 100,000 takes a minute or more).
 *
 * With --pg (issue 19), in the same run and with the same wrk load: the list (c) split over two
 * `iom serve` processes on the one SQLite file (j: two wrk at once, each with half the threads
 * and connections, summed); then a throw-away PostgreSQL cluster (scripts/pg-test-cluster.sh
 * in --disk-dir, fsync on, stopped at exit) seeded the same way (as iom_owner, IOM_AUDIT_KEY in
 * DIR), two `iom serve` processes connected as iom_app, and: (f) the list on one server, (g) on
 * two, (h) the logged content read on one, (i) on two; the statements PostgreSQL ran per
 * request, the time spent inside it and the statements that took most of it, from the
 * cluster's log (log_min_duration_statement = 0 during a 2 s run on one connection); then
 * (k)-(n) the same again with settings of the servers' role changed (--pg-setting, several
 * separated by ';', default `join_collapse_limit = 1`). (f) takes turns with (c'), the SQLite
 * list served again at that time, and with (g), the two servers (c' f g, f g c', g c' f, ...
 * over R rounds, as (d) and (e)), and is compared with each: (c) ran minutes before, and the
 * machine's speed drifts (one (g) after the rounds read 0.78 to 1.02 of (f) from run to run,
 * stop 48). Goals:
 * PostgreSQL's list >= 0.5 of SQLite's (f / c'); two servers >= 0.9 of one (g / f). `taskset -c 0 bench_http --pg` runs it all on one core.
 *
 * `iom serve` is the built binary (IOM_BINARY), started with posix_spawn; its access log goes
 * to DIR/access.log (it is part of the server's work, as nginx's access log is part of
 * nginx's). wrk and nginx come from `scripts/install-deps.sh bench`.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "app/agency.h"
#include "app/app.h"
#include "app/audit.h"
#include "app/auth.h"
#include "app/demo.h"
#include "app/readlog.h"
#include "app/tasking.h"
#include "app/threat.h"
#include "http/http.h"
#include "util/heap.h"

#include "pg_cluster.h"

extern char **environ;

#define NOBODY_UID 65534
#define NOBODY_GID 65534

static void die(const char *fmt, const char *arg)
{
    fprintf(stderr, "bench_http: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n");
    exit(1);
}

static void die_ctx(const char *what, const iom_ctx *c, iom_err err)
{
    fprintf(stderr, "bench_http: %s: %s (%s)\n", what, c->err.msg, iom_err_name(err));
    exit(1);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void loadavg(char out[64])
{
    snprintf(out, 64, "?");
    FILE *f = fopen("/proc/loadavg", "r");
    if (!f)
        return;
    double a, b, c;
    if (fscanf(f, "%lf %lf %lf", &a, &b, &c) == 3)
        snprintf(out, 64, "%.2f %.2f %.2f", a, b, c);
    fclose(f);
}

/* A free loopback TCP port (bound, read back, released). */
static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0)
        die("cannot find a free port: %s", strerror(errno));
    int port = ntohs(a.sin_port);
    close(fd);
    return port;
}

/* True once GET path on port answers 200 (one request per connection). */
static bool answers(int port, const char *path)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = false;
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0) {
        char req[256], buf[64] = {0};
        int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", path);
        if (send(fd, req, (size_t)n, MSG_NOSIGNAL) == n && recv(fd, buf, sizeof buf - 1, 0) > 12)
            ok = strncmp(buf, "HTTP/1.1 200", 12) == 0;
    }
    if (fd >= 0)
        close(fd);
    return ok;
}

static void wait_ready(int port, const char *path, pid_t pid, const char *what)
{
    for (int i = 0; i < 200; i++) {
        if (answers(port, path))
            return;
        int st;
        if (waitpid(pid, &st, WNOHANG) == pid)
            die("%s exited before it answered", what);
        sleep_ms(50);
    }
    die("%s did not answer within 10 s", what);
}

static void stop_child(pid_t pid, int sig)
{
    kill(pid, sig);
    for (int i = 0; i < 200; i++) {
        int st;
        if (waitpid(pid, &st, WNOHANG) == pid)
            return;
        sleep_ms(50);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

/* ---- the database ------------------------------------------------------------------------- */

typedef struct seed_force {
    const char *code, *spoc, *sio;
} seed_force;

static const seed_force seed_forces[] = {
    {"west-yorkshire", "west-yorkshire-spoc", "west-yorkshire-sio"},
    {"south-yorkshire", "south-yorkshire-spoc", "south-yorkshire-sio"},
    {"greater-manchester", "greater-manchester-spoc", "greater-manchester-sio"},
    {"met", "met-spoc", "met-sio"},
};
#define NSEED (sizeof seed_forces / sizeof seed_forces[0])

static void ctx_open(const char *db, int flags, iom_store **s, iom_arena *a, iom_ctx *c)
{
    iom_error e = {0};
    if (iom_store_open(db, flags, s, &e))
        die("%s", e.msg);
    iom_arena_init(a);
    app_ctx_init(c, *s, a);
    c->os_user = "bench";
    c->via = "system";
    c->pwhash_opslimit = crypto_pwhash_OPSLIMIT_MIN;
    c->pwhash_memlimit = crypto_pwhash_MEMLIMIT_MIN;
}

/* The number of taskings the auditor sees (0 when the database is missing or cannot be used
   at this binary's schema: it is then made again). */
static long long count_taskings(const char *db)
{
    if (access(db, F_OK) != 0)
        return 0;
    iom_store *s;
    iom_error e = {0};
    if (iom_store_open(db, 0, &s, &e)) {
        printf("not reusing %s: %s\n", db, e.msg); /* e.g. made by an older schema */
        return 0;
    }
    iom_store_close(s);
    iom_arena a;
    iom_ctx c;
    ctx_open(db, 0, &s, &a, &c);
    if (audit_key_load(audit_key_path(&a, db), c.audit_key, &e))
        die("%s", e.msg);
    c.has_audit_key = true;
    c.actor_name = "auditor";
    long long total = 0;
    const char *after = NULL;
    for (;;) {
        app_tasking_query q = {.limit = 1000, .after = after};
        iom_tasking_t *v;
        size_t n;
        const char *next;
        iom_err err = app_tasking_list(&c, &q, &v, &n, &next);
        if (err)
            die_ctx("tasking list", &c, err);
        total += (long long)n;
        if (!next)
            break;
        static char cursor[64];
        snprintf(cursor, sizeof cursor, "%s", next);
        after = cursor;
        iom_arena_free(&a);
    }
    iom_arena_free(&a);
    iom_store_close(s);
    return total;
}

static void seed(const char *db, long long extra)
{
    iom_store *s;
    iom_arena a;
    iom_ctx c;
    ctx_open(db, IOM_STORE_CREATE | IOM_STORE_ANY_SCHEMA, &s, &a, &c);
    iom_err err;
    if ((err = audit_key_create(audit_key_path(&a, db), c.audit_key, &c.err)))
        die_ctx("audit key", &c, err);
    c.has_audit_key = true;
    int from, to;
    if ((err = s->ops->migrate(s, &from, &to, &c.err)))
        die_ctx("migrate", &c, err);
    if ((err = app_init_reference(&c)))
        die_ctx("reference data", &c, err);
    app_demo_result dr;
    if ((err = app_demo(&c, "bench-password-not-used", &dr)))
        die_ctx("demo", &c, err);
    iom_arena_free(&a);
    double t0 = now_s();
    bool progress = isatty(2);
    /* A threat has one open tasking at a time: one threat per tasking. */
    for (long long i = 0; i < extra; i++) {
        size_t f = (size_t)i % NSEED;
        char title[64];
        snprintf(title, sizeof title, "Bench threat %lld: car wash network", i + 1);
        char ftm[32]; /* an escalation is recorded once per owner (review 84 L9) */
        snprintf(ftm, sizeof ftm, "FTM-BENCH-%lld", i + 1);
        app_threat_input tin = {title, "labour", seed_forces[f].code, seed_forces[f].sio,
                                ftm, "OFFICIAL"};
        iom_threat_t th;
        c.actor_name = seed_forces[f].spoc;
        if ((err = app_threat_add(&c, &tin, &th)))
            die_ctx("threat add", &c, err);
        app_bid_input bid = {.threat = th.ref, .ftm_date = "2026-09-14", .ftm_ref = "FTM-BENCH-1",
                             .summary = "Map the controllers and money behind a network of hand "
                                        "car washes; victims from abroad.",
                             .known = "Intelligence from force systems and partner referrals.",
                             .requirements = {"Who organises and profits from the exploitation?"},
                             .nrequirements = 1,
                             .services = {"intel_development", "financial_intelligence"},
                             .nservices = 2,
                             .urgency = "routine",
                             .timeline = "Within three months"};
        iom_tasking_t t;
        c.actor_name = seed_forces[f].spoc;
        if ((err = app_tasking_new(&c, &bid, &t)))
            die_ctx("tasking new", &c, err);
        iom_arena_free(&a);
        if (progress && i % 1000 == 999)
            fprintf(stderr, "\rseeding %lld/%lld", i + 1, extra);
    }
    if (progress)
        fprintf(stderr, "\n");
    printf("seeded: demo data (%zu users, %zu threats, %zu taskings) + %lld threats each with a "
           "draft tasking in %.1f s\n",
           dr.users, dr.threats, dr.taskings, extra, now_s() - t0);
    iom_store_close(s);
}

/* A Bearer token of user (created by admin, as `iom --as admin token create --for USER`). */
static void make_token(const char *db, const char *user, char out[APP_TOKEN_MAX])
{
    iom_store *s;
    iom_arena a;
    iom_ctx c;
    ctx_open(db, 0, &s, &a, &c);
    iom_err err;
    if ((err = audit_key_load(audit_key_path(&a, db), c.audit_key, &c.err)))
        die_ctx("audit key", &c, err);
    c.has_audit_key = true;
    c.actor_name = "admin";
    app_token_created tc;
    if ((err = app_token_create(&c, user, 1, &tc)))
        die_ctx("token create", &c, err);
    memcpy(out, tc.token, APP_TOKEN_MAX);
    iom_arena_free(&a);
    iom_store_close(s);
}

/* ---- wrk ---------------------------------------------------------------------------------- */

typedef struct wrk_opts {
    int threads, connections, duration;
} wrk_opts;

typedef struct result {
    double rps, p50_ms, p99_ms;
    long long requests, bad;       /* bad: non-2xx/3xx responses and socket errors */
    char load_before[64], load_after[64];
} result;

/* "123.45us" / "1.20ms" / "2.00s" in milliseconds. */
static double to_ms(const char *v)
{
    char *end;
    double x = strtod(v, &end);
    if (strncmp(end, "us", 2) == 0)
        return x / 1000;
    if (strncmp(end, "ms", 2) == 0)
        return x;
    if (*end == 's')
        return x * 1000;
    return x;
}

static result run_wrk(const wrk_opts *o, const char *url, const char *const *headers)
{
    char t[16], cn[16], d[16];
    snprintf(t, sizeof t, "%d", o->threads);
    snprintf(cn, sizeof cn, "%d", o->connections);
    snprintf(d, sizeof d, "%ds", o->duration);
    char *argv[20];
    int k = 0;
    argv[k++] = "wrk";
    argv[k++] = "--latency";
    argv[k++] = "-t";
    argv[k++] = t;
    argv[k++] = "-c";
    argv[k++] = cn;
    argv[k++] = "-d";
    argv[k++] = d;
    for (int h = 0; headers && headers[h] && h < 4; h++) {
        argv[k++] = "-H";
        argv[k++] = (char *)headers[h];
    }
    argv[k++] = (char *)url;
    argv[k] = NULL;
    int p[2];
    if (pipe(p) != 0)
        die("pipe: %s", strerror(errno));
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, p[1], 1);
    posix_spawn_file_actions_addclose(&fa, p[0]);
    posix_spawn_file_actions_addclose(&fa, p[1]);
    result r = {0};
    loadavg(r.load_before);
    pid_t pid;
    int rc = posix_spawnp(&pid, "wrk", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(p[1]);
    if (rc != 0)
        die("cannot run wrk (scripts/install-deps.sh bench installs it): %s", strerror(rc));
    FILE *f = fdopen(p[0], "r");
    char line[512], said[4096] = "";
    bool in_dist = false;
    while (fgets(line, sizeof line, f)) {
        if (strlen(said) + strlen(line) < sizeof said)
            strcat(said, line);
        char v[64];
        long long a, b, c2, d2;
        if (strstr(line, "Latency Distribution"))
            in_dist = true;
        else if (in_dist && sscanf(line, " 50%% %63s", v) == 1)
            r.p50_ms = to_ms(v);
        else if (in_dist && sscanf(line, " 99%% %63s", v) == 1)
            r.p99_ms = to_ms(v);
        else if (sscanf(line, " %lld requests in", &a) == 1)
            r.requests = a;
        else if (sscanf(line, " Non-2xx or 3xx responses: %lld", &a) == 1)
            r.bad += a;
        else if (sscanf(line, " Socket errors: connect %lld, read %lld, write %lld, timeout %lld",
                        &a, &b, &c2, &d2) == 4)
            r.bad += a + b + c2 + d2;
        else
            sscanf(line, "Requests/sec: %lf", &r.rps);
    }
    fclose(f);
    int st;
    waitpid(pid, &st, 0);
    loadavg(r.load_after);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || r.rps <= 0) {
        fprintf(stderr, "%s", said);
        die("wrk failed against %s", url);
    }
    return r;
}

/* ---- nginx -------------------------------------------------------------------------------- */

static pid_t start_nginx(const char *dir, int port, bool drop)
{
    char prefix[4200], conf[4300], path[4300];
    snprintf(prefix, sizeof prefix, "%s/nginx", dir);
    mkdir(prefix, 0755);
    snprintf(path, sizeof path, "%s/html", prefix);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/html/health.json", prefix);
    FILE *f = fopen(path, "w");
    if (!f)
        die("cannot write %s", path);
    fputs("{\"status\":\"ok\"}", f);
    fclose(f);
    snprintf(conf, sizeof conf, "%s/nginx.conf", prefix);
    f = fopen(conf, "w");
    if (!f)
        die("cannot write %s", conf);
    /* As a typical small deployment: one worker per core, keep-alive, an access log. */
    fprintf(f,
            "worker_processes auto;\n"
            "pid %s/nginx.pid;\n"
            "error_log %s/error.log warn;\n"
            "events { worker_connections 1024; }\n"
            "http {\n"
            "  access_log %s/access.log;\n"
            "  client_body_temp_path %s/tmp-body;\n"
            "  proxy_temp_path %s/tmp-proxy;\n"
            "  fastcgi_temp_path %s/tmp-fastcgi;\n"
            "  uwsgi_temp_path %s/tmp-uwsgi;\n"
            "  scgi_temp_path %s/tmp-scgi;\n"
            "  keepalive_requests 1000000;\n"
            "  server {\n"
            "    listen 127.0.0.1:%d;\n"
            "    root %s/html;\n"
            "    location = /api/health { default_type application/json; try_files /health.json =404; }\n"
            "  }\n"
            "}\n",
            prefix, prefix, prefix, prefix, prefix, prefix, prefix, prefix, port, prefix);
    fclose(f);
    if (drop) {
        /* nginx runs as nobody: it must own its prefix. */
        const char *own[] = {"", "/html", "/html/health.json", "/nginx.conf"};
        for (size_t i = 0; i < sizeof own / sizeof own[0]; i++) {
            snprintf(path, sizeof path, "%s%s", prefix, own[i]);
            if (chown(path, NOBODY_UID, NOBODY_GID) != 0)
                die("chown %s", path);
        }
        if (chmod(dir, 0755) != 0)
            die("chmod %s", dir);
    }
    pid_t pid = fork();
    if (pid < 0)
        die("fork: %s", strerror(errno));
    if (pid == 0) {
        if (drop && (setgroups(0, NULL) != 0 || setgid(NOBODY_GID) != 0 || setuid(NOBODY_UID) != 0))
            _exit(126);
        char errlog[4400];
        snprintf(errlog, sizeof errlog, "%s/error.log", prefix);
        execlp("nginx", "nginx", "-p", prefix, "-c", conf, "-e", errlog, "-g", "daemon off;",
               (char *)NULL);
        _exit(127);
    }
    return pid;
}

/* ---- iom serve ---------------------------------------------------------------------------- */

static pid_t start_iom(const char *dir, const char *db, int port, const char *threads)
{
    static int started;
    char listen[64], log[4300];
    snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
    /* access.log for the first server, access-2.log, access-3.log, ... for the others */
    if (started++ == 0)
        snprintf(log, sizeof log, "%s/access.log", dir);
    else
        snprintf(log, sizeof log, "%s/access-%d.log", dir, started);
    char *argv[12];
    int k = 0;
    argv[k++] = (char *)IOM_BINARY;
    argv[k++] = "--db";
    argv[k++] = (char *)db;
    argv[k++] = "serve";
    argv[k++] = "--listen";
    argv[k++] = listen;
    if (threads) {
        argv[k++] = "--threads";
        argv[k++] = (char *)threads;
    }
    argv[k] = NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 2, log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_t pid;
    int rc = posix_spawn(&pid, IOM_BINARY, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        die("cannot run " IOM_BINARY ": %s", strerror(rc));
    return pid;
}

/* ---- the logged content read (d, e) ------------------------------------------------------ */

/* CPU seconds (user + system) of this process: the in-process server's threads. */
static double cpu_self(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* Syncs per second on a file in dir: 4 KiB pwrite then fdatasync (what SQLite's commit in WAL
   mode calls) or fsync, for about one second each. */
static void sync_rates(const char *dir, double *fdatasync_s, double *fsync_s)
{
    char path[4300];
    snprintf(path, sizeof path, "%s/sync-probe", dir);
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        die("cannot write in %s", dir);
    char buf[4096];
    memset(buf, 'x', sizeof buf);
    for (int mode = 0; mode < 2; mode++) {
        double t0 = now_s(), t;
        long n = 0;
        do {
            if (pwrite(fd, buf, sizeof buf, (off_t)(n % 256) * (off_t)sizeof buf) != (ssize_t)sizeof buf ||
                (mode == 0 ? fdatasync(fd) : fsync(fd)) != 0)
                die("sync probe in %s failed", dir);
            n++;
            t = now_s() - t0;
        } while (t < 1.0);
        *(mode == 0 ? fdatasync_s : fsync_s) = (double)n / t;
    }
    close(fd);
    unlink(path);
}

static void copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY | O_CLOEXEC), out = -1;
    if (in < 0)
        return; /* e.g. no -wal file */
    out = open(to, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0600);
    if (out < 0)
        die("cannot create %s", to);
    static char buf[1 << 20];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)n) != n)
            die("cannot write %s", to);
    if (n < 0 || fsync(out) != 0)
        die("cannot copy to %s", to);
    close(in);
    close(out);
}

/* The first demo tasking whose full record `user` reads as a member of its team (searched
   with logging off, so the search leaves no read entries). */
static void assigned_tasking(const char *db, const char *user, char out[32])
{
    iom_store *s;
    iom_arena a;
    iom_ctx c;
    ctx_open(db, 0, &s, &a, &c);
    iom_error e = {0};
    if (audit_key_load(audit_key_path(&a, db), c.audit_key, &e))
        die("%s", e.msg);
    c.has_audit_key = true;
    c.actor_name = user;
    app_readlog_bench_unlogged(true);
    out[0] = '\0';
    for (int i = 1; i <= 40 && !out[0]; i++) {
        char ref[32];
        snprintf(ref, sizeof ref, "TOEX-2026-%06d", i);
        app_tasking_view v;
        if (app_tasking_show(&c, ref, &v) == IOM_OK && v.access.content &&
            v.access.relation == IOM_ACCESS_ASSIGNED)
            snprintf(out, 32, "%s", ref);
    }
    app_readlog_bench_unlogged(false);
    iom_arena_free(&a);
    iom_store_close(s);
    if (!out[0])
        die("no demo tasking has %s on its team", user);
}

/* ---- two servers, one database ------------------------------------------------------------ */

typedef struct wrk_job {
    wrk_opts o;
    char url[256];
    const char *const *headers;
    result r;
} wrk_job;

static void *wrk_thread(void *p)
{
    wrk_job *j = p;
    j->r = run_wrk(&j->o, j->url, j->headers);
    return NULL;
}

/* The same load as run_wrk(o, ...) against ONE server, split over two servers: two wrk at once,
   each with half the threads and connections, on port1 and port2. requests/s and requests are
   the sums, p50 and p99 the larger of the two. */
static result run_wrk_two(const wrk_opts *o, int port1, int port2, const char *path,
                          const char *const *headers)
{
    wrk_job j[2];
    pthread_t th[2];
    for (int i = 0; i < 2; i++) {
        j[i] = (wrk_job){.o = {o->threads > 1 ? o->threads / 2 : 1,
                               o->connections > 1 ? o->connections / 2 : 1, o->duration},
                         .headers = headers};
        snprintf(j[i].url, sizeof j[i].url, "http://127.0.0.1:%d%s", i ? port2 : port1, path);
        if (pthread_create(&th[i], NULL, wrk_thread, &j[i]) != 0)
            die("%s", "pthread_create failed");
    }
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    result r = j[0].r;
    r.rps += j[1].r.rps;
    r.requests += j[1].r.requests;
    r.bad += j[1].r.bad;
    r.p50_ms = j[1].r.p50_ms > r.p50_ms ? j[1].r.p50_ms : r.p50_ms;
    r.p99_ms = j[1].r.p99_ms > r.p99_ms ? j[1].r.p99_ms : r.p99_ms;
    memcpy(r.load_after, j[1].r.load_after, sizeof r.load_after);
    return r;
}

/* ---- PostgreSQL (--pg) -------------------------------------------------------------------- */

typedef struct pg_stmt {
    char sql[120];             /* the statement's first 119 bytes */
    long long n;
    double ms;                 /* total duration inside PostgreSQL */
} pg_stmt;

typedef struct pg_trips {
    double statements;         /* statements executed per request */
    double begins;             /* of which BEGIN */
    double ms;                 /* time inside PostgreSQL per request */
    double bind_ms;            /* of which binding (where a custom plan is made) */
    long long requests;
    pg_stmt top[3];            /* the statements that took the most time in all */
} pg_trips;

/* Statements PostgreSQL runs per request: log_min_duration_statement = 0 for a 2 s run of ONE
   connection, then the cluster's log counted: every `execute` of a prepared statement and
   every simple `statement:` is one statement; a read's first statement shares its round trip
   with the BEGIN (or, when the read before it owes its COMMIT, the COMMIT AND CHAIN that ends
   that one and begins this one) and the cache epoch (one pipeline). */
static pg_trips pg_probe(const pg_cluster *pg, const char *url, const char *const *headers)
{
    char log[4300];
    snprintf(log, sizeof log, "%s/server.log", pg_dir);
    free(pg_sql_as(pg, pg->super, "ALTER SYSTEM SET log_min_duration_statement = 0"));
    free(pg_sql_as(pg, pg->super, "SELECT pg_reload_conf()"));
    sleep_ms(300);
    struct stat sb;
    off_t off = stat(log, &sb) == 0 ? sb.st_size : 0;
    wrk_opts one = {1, 1, 2};
    result r = run_wrk(&one, url, headers);
    free(pg_sql_as(pg, pg->super, "ALTER SYSTEM RESET log_min_duration_statement"));
    free(pg_sql_as(pg, pg->super, "SELECT pg_reload_conf()"));
    sleep_ms(300);
    pg_trips t = {.requests = r.requests};
    FILE *f = fopen(log, "r");
    if (!f)
        die("cannot read %s", log);
    fseeko(f, off, SEEK_SET);
    char line[8192];
    long long n = 0, b = 0;
    double ms = 0;
    enum { MAXS = 256 };
    static pg_stmt st[MAXS];
    size_t ns = 0;
    while (fgets(line, sizeof line, f)) {
        char *d = strstr(line, "duration: ");
        if (!d || !strstr(line, "iom_app@")) /* the servers' role */
            continue;
        double x = strtod(d + 10, NULL);
        ms += x;
        if (strstr(line, " bind "))
            t.bind_ms += x;
        char *q = strstr(line, " execute ");
        char *sq = strstr(line, " statement: ");
        if (!q && !sq)
            continue; /* parse, bind: part of the same round trip as the execute */
        n++;
        if (strstr(line, "statement: BEGIN") || (q && (strstr(q, ": BEGIN") || strstr(q, "AND CHAIN"))))
            b++;
        const char *text = sq ? sq + 12 : strchr(q + 9, ':') ? strchr(q + 9, ':') + 2 : q + 9;
        char key[120];
        snprintf(key, sizeof key, "%.*s", (int)strcspn(text, "\n"), text);
        size_t i = 0;
        while (i < ns && strcmp(st[i].sql, key) != 0)
            i++;
        if (i == ns && ns < MAXS)
            snprintf(st[ns++].sql, sizeof st[0].sql, "%s", key);
        if (i < ns) {
            st[i].n++;
            st[i].ms += x;
        }
    }
    fclose(f);
    for (int k = 0; k < 3; k++) {
        size_t best = ns;
        for (size_t i = 0; i < ns; i++)
            if (st[i].n && (best == ns || st[i].ms > st[best].ms))
                best = i;
        if (best < ns) {
            t.top[k] = st[best];
            st[best].n = 0;
        }
    }
    t.statements = r.requests ? (double)n / (double)r.requests : 0;
    t.begins = r.requests ? (double)b / (double)r.requests : 0;
    t.ms = r.requests ? ms / (double)r.requests : 0;
    t.bind_ms = r.requests ? t.bind_ms / (double)r.requests : 0;
    return t;
}

/* ---- main --------------------------------------------------------------------------------- */

static void rm_tree(const char *dir)
{
    pid_t pid;
    char *argv[] = {"rm", "-rf", "--", (char *)dir, NULL};
    if (posix_spawnp(&pid, "rm", NULL, NULL, argv, environ) == 0)
        waitpid(pid, NULL, 0);
}

static int arg_int(const char *name, const char *v, int lo, int hi)
{
    char *end;
    long x = strtol(v, &end, 10);
    if (*v < '0' || *v > '9' || *end || x < lo || x > hi) {
        fprintf(stderr, "bench_http: %s: '%s' is not a number from %d to %d\n", name, v, lo, hi);
        exit(2);
    }
    return (int)x;
}

/* Adds run r, the (k+1)th, to `into`: requests/s and p50 the mean, p99 the worst. */
static void merge_result(result *into, const result *r, int k)
{
    into->rps = (into->rps * k + r->rps) / (k + 1);
    into->p50_ms = (into->p50_ms * k + r->p50_ms) / (k + 1);
    if (r->p99_ms > into->p99_ms)
        into->p99_ms = r->p99_ms;
    into->requests += r->requests;
    into->bad += r->bad;
    if (k == 0)
        memcpy(into->load_before, r->load_before, sizeof into->load_before);
    memcpy(into->load_after, r->load_after, sizeof into->load_after);
}

static void print_row(const char *what, const result *r, const result *ceiling)
{
    printf("  %-44s %9.0f req/s  p50 %6.2f ms  p99 %6.2f ms  ratio %.3f  (%lld requests, %lld bad; "
           "load %s -> %s)\n",
           what, r->rps, r->p50_ms, r->p99_ms, r->rps / ceiling->rps, r->requests, r->bad,
           r->load_before, r->load_after);
}

int main(int argc, char **argv)
{
    static const char usage[] =
        "usage: bench_http [--threads T] [--connections C] [--duration SECONDS] [--taskings N]\n"
        "                  [--server-threads N] [--as USER] [--dir DIR] [--disk-dir DIR]\n"
        "                  [--rounds R] [--pg] [--pg-setting 'NAME = VALUE']\n";
    wrk_opts o = {2, 32, 10};
    long long extra = 100000;
    const char *dir_arg = NULL, *user = "auditor", *server_threads = NULL, *disk_arg = "/var/tmp";
    bool pg = false;
    int rounds = 3;
    const char *pg_setting = "join_collapse_limit = 1";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--pg") == 0) {
            pg = true;
            continue;
        }
        if (!v) {
            fputs(usage, stderr);
            return 2;
        }
        if (strcmp(a, "--threads") == 0)
            o.threads = arg_int(a, v, 1, 64);
        else if (strcmp(a, "--connections") == 0)
            o.connections = arg_int(a, v, 1, 1000);
        else if (strcmp(a, "--duration") == 0)
            o.duration = arg_int(a, v, 1, 3600);
        else if (strcmp(a, "--rounds") == 0)
            rounds = arg_int(a, v, 1, 16);
        else if (strcmp(a, "--taskings") == 0)
            extra = arg_int(a, v, 0, 10000000);
        else if (strcmp(a, "--server-threads") == 0)
            server_threads = (arg_int(a, v, 1, 256), v);
        else if (strcmp(a, "--as") == 0)
            user = v;
        else if (strcmp(a, "--dir") == 0)
            dir_arg = v;
        else if (strcmp(a, "--disk-dir") == 0)
            disk_arg = v;
        else if (strcmp(a, "--pg-setting") == 0)
            pg_setting = v;
        else {
            fputs(usage, stderr);
            return 2;
        }
        i++;
    }
    if (o.connections < o.threads) {
        fprintf(stderr, "bench_http: --connections must be at least --threads\n");
        return 2;
    }
    if (sodium_init() < 0)
        die("%s", "libsodium could not initialise");
    signal(SIGPIPE, SIG_IGN);
    iom_heap_tune(); /* as the iom binary does (src/main.c): (d) and (e) run in this process */

    char dir[4096];
    if (dir_arg) {
        snprintf(dir, sizeof dir, "%s", dir_arg);
        if (mkdir(dir, 0700) != 0 && errno != EEXIST)
            die("mkdir: %s", strerror(errno));
    } else {
        struct stat sb;
        const char *tmp = getenv("TMPDIR");
        const char *base = stat("/dev/shm", &sb) == 0 && S_ISDIR(sb.st_mode) ? "/dev/shm"
                           : tmp && *tmp                                      ? tmp
                                                                              : "/tmp";
        snprintf(dir, sizeof dir, "%s/iom-bench-http-XXXXXX", base);
        if (!mkdtemp(dir))
            die("mkdtemp: %s", strerror(errno));
    }
    char db[4200];
    snprintf(db, sizeof db, "%s/http.db", dir);
    char loads[64];
    loadavg(loads);
    printf("bench_http: dir %s, %ld cores, load average %s\n", dir, sysconf(_SC_NPROCESSORS_ONLN),
           loads);
    fflush(stdout);

    long long have = count_taskings(db);
    if (have >= extra + 1) {
        printf("reusing %s: %lld taskings (demo + extra)\n", db, have);
    } else {
        if (have > 0 || access(db, F_OK) == 0) {
            static const char *const sfx[] = {"", "-wal", "-shm", ".key", ".reads", ".reads-wal",
                                              ".reads-shm"};
            for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
                char p[4300];
                snprintf(p, sizeof p, "%s%s", db, sfx[i]);
                unlink(p);
            }
        }
        seed(db, extra);
        have = count_taskings(db);
    }
    char token[APP_TOKEN_MAX], authz[APP_TOKEN_MAX + 32];
    make_token(db, user, token);
    snprintf(authz, sizeof authz, "Authorization: Bearer %s", token);
    sodium_memzero(token, sizeof token);
    fflush(stdout);

    bool drop = geteuid() == 0;
    int nport = free_port();
    pid_t ng = start_nginx(dir, nport, drop);
    wait_ready(nport, "/api/health", ng, "nginx");
    int iport = free_port();
    pid_t srv = start_iom(dir, db, iport, server_threads);
    wait_ready(iport, "/api/health", srv, "iom serve");

    printf("wrk: %d threads, %d connections, %d s each, keep-alive; iom serve --threads %s; "
           "list as %s over %lld taskings; (d) and (e) alternated over %d rounds\n",
           o.threads, o.connections, o.duration, server_threads ? server_threads : "(default)",
           user, have, rounds);
    fflush(stdout);
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/api/health", nport);
    result rn = run_wrk(&o, url, NULL);
    stop_child(ng, SIGQUIT); /* graceful: workers finish, then exit */
    snprintf(url, sizeof url, "http://127.0.0.1:%d/api/health", iport);
    result rh = run_wrk(&o, url, NULL);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/api/v1/taskings?limit=20", iport);
    const char *list_headers[] = {authz, NULL};
    result rl = run_wrk(&o, url, list_headers);
    result sl2 = {0};
    if (pg) { /* (j): the same load split over two servers on the one SQLite file */
        int iport2 = free_port();
        pid_t srv2 = start_iom(dir, db, iport2, server_threads);
        wait_ready(iport2, "/api/health", srv2, "iom serve (second)");
        sl2 = run_wrk_two(&o, iport, iport2, "/api/v1/taskings?limit=20", list_headers);
        stop_child(srv2, SIGTERM);
    }
    stop_child(srv, SIGTERM);
    if (!pg)
        sodium_memzero(authz, sizeof authz); /* with --pg: (c') below uses it again */

    /* (d), (e): the content read, logged and not, over a copy of the database on a disk. */
    char ddir[4200], ddb[4300], p1[4400], p2[4400];
    snprintf(ddir, sizeof ddir, "%s/iom-bench-reads-XXXXXX", disk_arg);
    if (!mkdtemp(ddir))
        die("mkdtemp in --disk-dir: %s", strerror(errno));
    snprintf(ddb, sizeof ddb, "%s/http.db", ddir);
    static const char *const sfx[] = {"", "-wal", ".key", ".reads", ".reads-wal"};
    for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
        snprintf(p1, sizeof p1, "%s%s", db, sfx[i]);
        snprintf(p2, sizeof p2, "%s%s", ddb, sfx[i]);
        copy_file(p1, p2);
    }
    double fds, fss;
    sync_rates(ddir, &fds, &fss);
    printf("disk of %s: %.0f fdatasync/s, %.0f fsync/s (4 KiB pwrite + sync, 1 s each)\n", ddir,
           fds, fss);
    char ref[32], token2[APP_TOKEN_MAX], authz2[APP_TOKEN_MAX + 32];
    assigned_tasking(ddb, "toex-analyst", ref);
    make_token(ddb, "toex-analyst", token2);
    snprintf(authz2, sizeof authz2, "Authorization: Bearer %s", token2);
    sodium_memzero(token2, sizeof token2);
    snprintf(p1, sizeof p1, "%s/access.log", ddir);
    FILE *alog = fopen(p1, "w");
    if (!alog)
        die("cannot write %s", p1);
    http_config hc = {.db_path = ddb, .listen = "127.0.0.1:0", .access_log = alog,
                      .threads = server_threads ? (unsigned)atoi(server_threads) : 0};
    http_server *hs;
    iom_error he = {0};
    if (http_server_start(&hc, &hs, &he))
        die("in-process server: %s", he.msg);
    snprintf(url, sizeof url, "http://127.0.0.1:%u/api/v1/taskings/%s", http_server_port(hs), ref);
    const char *read_headers[] = {authz2, "X-Iom-Purpose: bench_http: the logged content read", NULL};
    printf("content read: GET /api/v1/taskings/%s as toex-analyst (assigned), server in this "
           "process over %s\n", ref, ddb);
    fflush(stdout);
    /* (d) and (e) take turns: d e, e d, d e, ... (see the top of this file) */
    result rd = {0}, ru = {0};
    uint64_t nbatch = 0, nentry = 0, wns = 0; /* the read log's, over the logged rounds */
    double cpu_d = 0, cpu_u = 0, round_d[16], round_u[16];
    for (int k = 0; k < rounds; k++)
        for (int j = 0; j < 2; j++) {
            bool logged = (j == 0) == (k % 2 == 0);
            app_readlog_bench_unlogged(!logged);
            uint64_t b0, e0, w0, b1, e1, w1;
            http_server_read_stats(hs, &b0, &e0, &w0);
            double c0 = cpu_self();
            result r = run_wrk(&o, url, read_headers);
            double c1 = cpu_self();
            http_server_read_stats(hs, &b1, &e1, &w1);
            if (logged) {
                merge_result(&rd, &r, k);
                round_d[k] = r.rps;
                cpu_d += c1 - c0;
                nbatch += b1 - b0;
                nentry += e1 - e0;
                wns += w1 - w0;
            } else {
                merge_result(&ru, &r, k);
                round_u[k] = r.rps;
                cpu_u += c1 - c0;
            }
        }
    app_readlog_bench_unlogged(false);
    http_server_stop(hs);
    fclose(alog);
    sodium_memzero(authz2, sizeof authz2);
    rm_tree(ddir);

    /* (f)-(i): the same on PostgreSQL: a throw-away cluster on the disk of --disk-dir (fsync
       on), the same seed, `iom serve` processes connected as iom_app. */
    result pl = {0}, pl2 = {0}, pr = {0}, pr2 = {0}, gl = {0}, gl2 = {0}, gr = {0}, gr2 = {0};
    result rc2 = {0}; /* (c'): the SQLite list again, alternated with (f) */
    double round_c[16] = {0}, round_f[16] = {0}, round_g[16] = {0};
    pg_trips tl = {0}, tr = {0}, gtl = {0};
    if (pg) {
        pg_cluster pc;
        pg_start(disk_arg, &pc);
        printf("PostgreSQL: a throw-away cluster in %s (scripts/pg-test-cluster.sh)\n", pg_dir);
        fflush(stdout);
        char key[4300];
        snprintf(key, sizeof key, "%s/pg.key", dir);
        unlink(key);
        setenv("IOM_AUDIT_KEY", key, 1); /* a URI's audit key: also the servers' */
        /* Seeding only: commits without waiting for the WAL flush, generic plans (reset before
           the runs). */
        free(pg_sql_as(&pc, pc.super, "ALTER DATABASE iom SET synchronous_commit = off"));
        free(pg_sql_as(&pc, pc.super, "ALTER DATABASE iom SET plan_cache_mode = force_generic_plan"));
        seed(pc.owner, extra);
        free(pg_sql_as(&pc, pc.super, "ALTER DATABASE iom RESET synchronous_commit"));
        free(pg_sql_as(&pc, pc.super, "ALTER DATABASE iom RESET plan_cache_mode"));
        /* VACUUM too: the autovacuum the seeding sets off would otherwise run during the first
           runs (a steady database has its visibility maps and hint bits set) */
        free(pg_sql_as(&pc, pc.super, "VACUUM (ANALYZE)"));
        char tk[APP_TOKEN_MAX], pauth[APP_TOKEN_MAX + 32], rauth[APP_TOKEN_MAX + 32], pref[32];
        make_token(pc.app, user, tk);
        snprintf(pauth, sizeof pauth, "Authorization: Bearer %s", tk);
        assigned_tasking(pc.app, "toex-analyst", pref);
        make_token(pc.app, "toex-analyst", tk);
        snprintf(rauth, sizeof rauth, "Authorization: Bearer %s", tk);
        sodium_memzero(tk, sizeof tk);
        int pp1 = free_port(), pp2 = free_port();
        pid_t ps1 = start_iom(dir, pc.app, pp1, server_threads);
        wait_ready(pp1, "/api/health", ps1, "iom serve on PostgreSQL");
        pid_t ps2 = start_iom(dir, pc.app, pp2, server_threads);
        wait_ready(pp2, "/api/health", ps2, "iom serve on PostgreSQL (second)");
        const char *pl_headers[] = {pauth, NULL};
        const char *pr_headers[] = {rauth, "X-Iom-Purpose: bench_http: the logged content read", NULL};
        char rpath[96];
        snprintf(rpath, sizeof rpath, "/api/v1/taskings/%s", pref);
        printf("PostgreSQL runs: list as %s, content read %s as toex-analyst; servers on ports %d "
               "and %d\n", user, pref, pp1, pp2);
        fflush(stdout);
        snprintf(url, sizeof url, "http://127.0.0.1:%d/api/v1/taskings?limit=20", pp1);
        /* (f) and (c') take turns over the rounds, c' f, f c', c' f, ... (as (d) and (e)): the
           SQLite list served again beside the PostgreSQL one, so that a drift of the machine
           between (c), minutes earlier, and (f) does not go into their ratio */
        int sport = free_port();
        unsetenv("IOM_AUDIT_KEY"); /* the SQLite file's key is the one beside it */
        pid_t ssrv = start_iom(dir, db, sport, server_threads);
        setenv("IOM_AUDIT_KEY", key, 1);
        wait_ready(sport, "/api/health", ssrv, "iom serve (SQLite, again)");
        char surl[128];
        snprintf(surl, sizeof surl, "http://127.0.0.1:%d/api/v1/taskings?limit=20", sport);
        for (int k = 0; k < rounds; k++)
            for (int j = 0; j < 3; j++) {
                int which = (j + k) % 3; /* 0 c', 1 f, 2 g: each first in turn */
                result r = which == 2 ? run_wrk_two(&o, pp1, pp2, "/api/v1/taskings?limit=20", pl_headers)
                                      : run_wrk(&o, which ? url : surl, which ? pl_headers : list_headers);
                merge_result(which == 0 ? &rc2 : which == 1 ? &pl : &pl2, &r, k);
                (which == 0 ? round_c : which == 1 ? round_f : round_g)[k] = r.rps;
            }
        stop_child(ssrv, SIGTERM);
        sodium_memzero(authz, sizeof authz);
        tl = pg_probe(&pc, url, pl_headers);
        snprintf(url, sizeof url, "http://127.0.0.1:%d%s", pp1, rpath);
        pr = run_wrk(&o, url, pr_headers);
        pr2 = run_wrk_two(&o, pp1, pp2, rpath, pr_headers);
        tr = pg_probe(&pc, url, pr_headers);
        stop_child(ps1, SIGTERM);
        stop_child(ps2, SIGTERM);
        /* (k)-(n): the same with one setting of the servers' role changed (--pg-setting;
           default: the planner joins in the order the SQL is written, not searching the
           orders of the tasking row's 11 tables at every execution). */
        char settings[300], alter[400], *save = NULL;
        snprintf(settings, sizeof settings, "%s", pg_setting);
        for (char *one = strtok_r(settings, ";", &save); one; one = strtok_r(NULL, ";", &save)) {
            snprintf(alter, sizeof alter, "ALTER ROLE iom_app IN DATABASE iom SET %s", one);
            free(pg_sql_as(&pc, pc.super, alter));
        }
        ps1 = start_iom(dir, pc.app, pp1, server_threads);
        wait_ready(pp1, "/api/health", ps1, "iom serve on PostgreSQL");
        ps2 = start_iom(dir, pc.app, pp2, server_threads);
        wait_ready(pp2, "/api/health", ps2, "iom serve on PostgreSQL (second)");
        snprintf(url, sizeof url, "http://127.0.0.1:%d/api/v1/taskings?limit=20", pp1);
        gl = run_wrk(&o, url, pl_headers);
        gl2 = run_wrk_two(&o, pp1, pp2, "/api/v1/taskings?limit=20", pl_headers);
        gtl = pg_probe(&pc, url, pl_headers);
        snprintf(url, sizeof url, "http://127.0.0.1:%d%s", pp1, rpath);
        gr = run_wrk(&o, url, pr_headers);
        gr2 = run_wrk_two(&o, pp1, pp2, rpath, pr_headers);
        stop_child(ps1, SIGTERM);
        stop_child(ps2, SIGTERM);
        sodium_memzero(pauth, sizeof pauth);
        sodium_memzero(rauth, sizeof rauth);
        pg_stop();
    }

    printf("results (loopback; the machine may be shared: see the load averages):\n");
    print_row("(a) nginx, static JSON file (the ceiling)", &rn, &rn);
    print_row("(b) iom serve GET /api/health", &rh, &rn);
    print_row("(c) iom serve GET /api/v1/taskings?limit=20", &rl, &rn);
    print_row("(d) GET /api/v1/taskings/{ref}, read logged", &rd, &rn);
    print_row("(e) the same read, logging off (bench hook)", &ru, &rn);
    printf("  logged / unlogged: %.3f over %d rounds (each:", rd.rps / ru.rps, rounds);
    for (int k = 0; k < rounds; k++)
        printf(" %.3f", round_d[k] / round_u[k]);
    printf("); read log: %llu entries in %llu transactions (%.1f per fsync); "
           "server CPU per read: logged %.0f us (of which the log writer %.0f us), unlogged %.0f us\n",
           (unsigned long long)nentry, (unsigned long long)nbatch,
           nbatch ? (double)nentry / (double)nbatch : 0.0,
           rd.requests ? cpu_d * 1e6 / (double)rd.requests : 0.0,
           nentry ? (double)wns / 1e3 / (double)nentry : 0.0,
           ru.requests ? cpu_u * 1e6 / (double)ru.requests : 0.0);
    if (pg) {
        printf("SQLite against PostgreSQL, one server against two (same data, same wrk load; ratio "
               "to the row named):\n");
        print_row("(j) SQLite list, two servers (ratio to c)", &sl2, &rl);
        print_row("(c') SQLite list again, alternated with f (ratio to c)", &rc2, &rl);
        print_row("(f) PostgreSQL list, one server (ratio to c')", &pl, &rc2);
        printf("  PostgreSQL / SQLite list: %.3f over %d rounds (each:", pl.rps / rc2.rps, rounds);
        for (int k = 0; k < rounds; k++)
            printf(" %.3f", round_f[k] / round_c[k]);
        printf(")\n");
        print_row("(g) PostgreSQL list, two servers (ratio to f)", &pl2, &pl);
        printf("  two servers / one: %.3f over %d rounds (each:", pl2.rps / pl.rps, rounds);
        for (int k = 0; k < rounds; k++)
            printf(" %.3f", round_g[k] / round_f[k]);
        printf(")\n");
        print_row("(h) PostgreSQL read logged, one (ratio to d)", &pr, &rd);
        print_row("(i) PostgreSQL read logged, two (ratio to h)", &pr2, &pr);
        printf("  statements PostgreSQL ran per request (one connection, 2 s, its log; a read's BEGIN, "
               "cache epoch and first statement share one round trip, its COMMIT goes with the next "
               "read's BEGIN as one COMMIT AND CHAIN): list %.1f statements (%.1f BEGIN or chain) over "
               "%lld requests; logged read %.1f statements (%.1f BEGIN or chain) over %lld requests\n",
               tl.statements, tl.begins, tl.requests, tr.statements, tr.begins, tr.requests);
        for (int w = 0; w < 2; w++) {
            const pg_trips *t = w ? &tr : &tl;
            printf("  %s: %.2f ms per request inside PostgreSQL, of which %.2f ms binding "
                   "(planning); executions taking the most time:\n",
                   w ? "logged read" : "list", t->ms, t->bind_ms);
            for (int k = 0; k < 3 && t->top[k].n; k++)
                printf("    %6lld x %8.3f ms  %s\n", t->top[k].n, t->top[k].ms / (double)t->top[k].n,
                       t->top[k].sql);
        }
        printf("the same with %s for iom_app (ALTER ROLE ... IN DATABASE iom SET):\n", pg_setting);
        print_row("(k) PostgreSQL list, one server (ratio to c')", &gl, &rc2);
        print_row("(l) PostgreSQL list, two servers (ratio to k)", &gl2, &gl);
        print_row("(m) PostgreSQL read logged, one (ratio to d)", &gr, &rd);
        print_row("(n) PostgreSQL read logged, two (ratio to m)", &gr2, &gr);
        printf("  list: %.1f statements, %.2f ms per request inside PostgreSQL, of which %.2f ms "
               "binding (planning); the most time:\n",
               gtl.statements, gtl.ms, gtl.bind_ms);
        for (int k = 0; k < 3 && gtl.top[k].n; k++)
            printf("    %6lld x %8.3f ms  %s\n", gtl.top[k].n, gtl.top[k].ms / (double)gtl.top[k].n,
                   gtl.top[k].sql);
        printf("goal PostgreSQL list >= 0.5 of SQLite's with that setting: %s (%.3f); two servers "
               ">= 0.9 of one: %s (%.3f; logged read %.3f)\n",
               gl.rps >= 0.5 * rc2.rps ? "met" : "NOT met", gl.rps / rc2.rps,
               gl2.rps >= 0.9 * gl.rps ? "met" : "NOT met", gl2.rps / gl.rps, gr2.rps / gr.rps);
        bool g4 = pl.rps >= 0.5 * rc2.rps && pl.bad == 0;
        bool g5 = pl2.rps >= 0.9 * pl.rps && pl2.bad == 0;
        printf("goal PostgreSQL authenticated list >= 0.5 of SQLite's: %s (%.3f)\n",
               g4 ? "met" : "NOT met", pl.rps / rc2.rps);
        printf("goal two servers >= 0.9 of one (PostgreSQL list): %s (%.3f; logged read %.3f)\n",
               g5 ? "met" : "NOT met", pl2.rps / pl.rps, pr2.rps / pr.rps);
        if (sl2.bad || pl.bad || pl2.bad || pr.bad || pr2.bad)
            printf("WARNING: some PostgreSQL or two-server responses were errors\n");
    }
    bool g1 = rh.rps >= 0.5 * rn.rps && rh.bad == 0;
    bool g2 = rl.rps >= 0.25 * rn.rps && rl.p99_ms < 10 && rl.bad == 0;
    bool g3 = rd.rps >= 0.7 * ru.rps && rd.p99_ms < 10 && rd.bad == 0 && ru.bad == 0;
    printf("goal health >= 0.5 of nginx: %s\n", g1 ? "met" : "NOT met");
    printf("goal authenticated list >= 0.25 of nginx with p99 < 10 ms: %s\n", g2 ? "met" : "NOT met");
    printf("goal logged read >= 0.7 of unlogged with p99 < 10 ms: %s\n", g3 ? "met" : "NOT met");
    if (rn.bad || rh.bad || rl.bad || rd.bad || ru.bad)
        printf("WARNING: some responses were errors (see the 'bad' counts)\n");
    if (!dir_arg)
        rm_tree(dir);
    return 0;
}
