/*
 * A PostgreSQL backend killed under `iom serve` (issue 19: the crash tests on PostgreSQL).
 * One server (the built binary, t_binary()) over the test database of the PostgreSQL run
 * (scripts/test-pg.sh; tests/pg/pgmap.c maps the path to a database of the throw-away cluster,
 * in this process and in the server). Writers create threats, readers read a tasking's full
 * record (a logged content read, each with a purpose of its own), all through HTTP, all the
 * time. KILLS times, a backend process of the servers' role (iom_app) is killed with SIGKILL
 * (preferably one busy with a request): the postmaster then ends every other backend and
 * restarts the cluster after crash recovery. Checked:
 *
 *  1. every threat answered 201 is in the database afterwards, and every read answered 200 is
 *     in the read chain exactly once (synchronous_commit is on in the test cluster, as in
 *     production: an acknowledged commit survives the crash);
 *  2. requests during the outage are answered 503 `unavailable` (the problem type, nothing
 *     else: never 500, never a 200 or 201 without its write), none takes longer than
 *     HANG_BOUND_MS and none is left without an answer;
 *  3. the server recovers by itself: after each restart of the cluster (every backend of
 *     before the kill gone, a new connection answers), writes and reads started from then on
 *     succeed again through the same `iom serve` process, which never restarted (its pooled
 *     connections and the read log writer's are all made again: store.h unreachable,
 *     src/store/pg/pg_store.c pg_reconnect), and /api/ready answers 200; the server then stops
 *     cleanly on SIGTERM;
 *  4. `iom audit verify` and `iom audit verify --reads` (a fresh process) pass afterwards.
 *
 * Then every connection of the server is ended by pg_terminate_backend (an administrator; no
 * restart of the cluster), and the server again serves writes and reads by itself.
 *
 * Bounded: KILLS kills, each wait bounded (WAIT_MS), the whole program well under 60 s (checked,
 * typically ~10 s). In a PostgreSQL run it restarts the whole cluster, so ctest runs it alone
 * (RUN_SERIAL, CMakeLists.txt). On SQLite there is no backend process to kill: the test is
 * skipped, saying so (test_crash, test_crash_reads and test_multi_server kill the process that
 * writes the SQLite file).
 */
#include "test_http_support.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>

#include "app/auth.h"
#include "store/reads_store.h"

/* Of test_http_support.h: this test starts no in-process server. */
static hworld *hw_new(unsigned timeout) __attribute__((unused));
static void hw_free(hworld *w) __attribute__((unused));

/* tests/pg/pgmap.c: the libpq conninfo of the database a test path is mapped to. */
int pgmap_conninfo(const char *path, const char *user, char *out, size_t cap);

extern char **environ;

#define KILLS 6
#define WRITERS 3
#define READERS 3
#define PROGRESS 4          /* writes and reads answered 2xx after each restart, at least */
#define WAIT_MS 15000       /* the most any one wait of the test may take */
#define HANG_BOUND_MS 10000 /* the longest any request may take to be answered */
#define TOTAL_MS 60000      /* the whole program, set-up included */

typedef struct kworld kworld;

typedef struct worker {
    pthread_t th;
    kworld *k;
    int id;
    bool writer;
    atomic_int *acked;         /* 2xx answers of all workers of this kind */
    char **ok;                 /* refs answered 201 / purposes answered 200 */
    size_t nok, cap;
    int refused;               /* 503 `unavailable` */
    int errors;                /* any other answer */
    int unanswered;            /* no answer at all */
    long long slowest_ms;
} worker;

struct kworld {
    hworld *w;
    int port;
    pid_t pid;
    char *log;
    char spoc[128];         /* "Authorization: Bearer ...\r\n" of wy-spoc */
    char conninfo[1024];    /* the test database, as the cluster's superuser */
    char *path;             /* the content the readers read */
    /* the load: on the heap, so that a failed assertion's teardown can stop it */
    worker wk[WRITERS + READERS];
    int nworkers;           /* started */
    atomic_bool stop;
    atomic_int writes, reads;
    /* Requests STARTED after the main thread last moved `gen` (after a restart of the cluster)
       and answered 2xx: proof that the server serves again (not answers of before the kill
       arriving late). */
    atomic_int gen, fresh_writes, fresh_reads;
};

static struct timespec t_start;

static long long ms_since(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)(now.tv_sec - t->tv_sec) * 1000 + (now.tv_nsec - t->tv_nsec) / 1000000;
}

/* One request to a port on its own connection (hw_port_req). */
static hresp req(int port, const char *method, const char *path, const char *headers, const char *body)
{
    return hw_port_req(port, HANG_BOUND_MS / 1000 + 5, method, path, headers, body);
}

static bool server_alive(kworld *k)
{
    int ws;
    return k->pid > 0 && waitpid(k->pid, &ws, WNOHANG) == 0;
}

static void start_server(kworld *k)
{
    k->port = hw_free_port();
    char listen[64];
    snprintf(listen, sizeof listen, "127.0.0.1:%d", k->port);
    char *argv[] = {(char *)t_binary(), "--db", k->w->db, "serve", "--listen", listen,
                    "--threads", "4", NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, k->log, O_WRONLY | O_CREAT | O_APPEND, 0600);
    assert_int_equal(posix_spawn(&k->pid, t_binary(), &fa, NULL, argv, environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    /* Up when it answers (a request without credentials: 401). */
    for (int i = 0; i < 1000; i++) {
        hresp r = req(k->port, "GET", "/api/v1/taskings", NULL, NULL);
        int st = r.status;
        hresp_free(&r);
        if (st == 401)
            return;
        assert_true(st == 0);
        assert_true(server_alive(k));
        hw_sleep_ms(10);
    }
    fail_msg("the server did not answer within 10 s");
}

static int setup(void **state)
{
    clock_gettime(CLOCK_MONOTONIC, &t_start);
    kworld *k = calloc(1, sizeof *k);
    *state = k;
    if (!t_pg())
        return 0;
    /* The real clock: the server reads it too (tokens expire by it). */
    k->w = hw_open("kill.db", (int64_t)time(NULL), false, "kill-test");
    hworld *w = k->w;
    hw_user(w, "admin", "toex", "admin");
    hw_user(w, "auditor", "nca", "auditor");
    hw_user(w, "wy-spoc", "west-yorkshire", "spoc");
    hw_user(w, "wy-sio", "west-yorkshire", "sio");
    w->c.actor_name = "admin";
    app_token_created tc;
    hw_ok(w, app_token_create(&w->c, "wy-spoc", 1, &tc));
    snprintf(k->spoc, sizeof k->spoc, "Authorization: Bearer %s\r\n", tc.token);
    sodium_memzero(&tc, sizeof tc);
    iom_store_close(w->store);
    w->store = NULL;
    assert_int_equal(pgmap_conninfo(w->db, "postgres", k->conninfo, sizeof k->conninfo), 0);
    k->log = t_fmt("%s/serve.log", w->dir);
    start_server(k);
    return 0;
}

static void stop_load(kworld *k)
{
    atomic_store(&k->stop, true);
    for (int i = 0; i < k->nworkers; i++)
        pthread_join(k->wk[i].th, NULL);
    k->nworkers = 0;
}

static int teardown(void **state)
{
    kworld *k = *state;
    atomic_store(&k->stop, true); /* before the kill: the workers' last requests are not noise */
    if (k->pid > 0) {
        kill(k->pid, SIGKILL);
        waitpid(k->pid, NULL, 0);
    }
    stop_load(k); /* after a failed assertion: the workers meet a closed port and end */
    for (int i = 0; i < WRITERS + READERS; i++) {
        for (size_t j = 0; j < k->wk[i].nok; j++)
            free(k->wk[i].ok[j]);
        free(k->wk[i].ok);
    }
    free(k->path);
    hw_close_world(k->w);
    free(k->log);
    free(k);
    return 0;
}

static char *threat_body(const char *ftm_ref)
{
    return t_fmt("{\"title\":\"Car wash network %s\",\"type\":\"labour\",\"owner\":"
                 "\"west-yorkshire\",\"sio\":\"wy-sio\",\"force_tasking_ref\":\"%s\"}",
                 ftm_ref, ftm_ref);
}

/* A new threat and a draft tasking on it, through the server; the tasking's ref (malloc'd). */
static char *new_tasking(kworld *k, const char *ftm_ref)
{
    char *body = threat_body(ftm_ref);
    hresp r = req(k->port, "POST", "/api/v1/threats", k->spoc, body);
    free(body);
    hw_expect(&r, 201);
    body = t_fmt("{\"threat\":\"%s\",\"ftm_date\":\"2026-05-28\",\"ftm_ref\":\"%s\","
                 "\"summary\":\"Hand car washes run by one family\","
                 "\"requirements\":[\"Who controls it?\"],\"services\":[\"intel_development\"]}",
                 jstr(&r, "ref"), ftm_ref);
    hresp_free(&r);
    r = req(k->port, "POST", "/api/v1/taskings", k->spoc, body);
    free(body);
    hw_expect(&r, 201);
    char *ref = strdup(jstr(&r, "ref"));
    hresp_free(&r);
    return ref;
}

/* ---- the load ---- */

static void keep(worker *wk, const char *s)
{
    if (wk->nok == wk->cap) {
        wk->cap = wk->cap ? wk->cap * 2 : 64;
        wk->ok = realloc(wk->ok, wk->cap * sizeof *wk->ok);
    }
    wk->ok[wk->nok++] = strdup(s);
}

static void *worker_run(void *arg)
{
    worker *wk = arg;
    for (int n = 0; !atomic_load(&wk->k->stop); n++) {
        char tag[64];
        snprintf(tag, sizeof tag, "kill-%c%d-n%d", wk->writer ? 'w' : 'r', wk->id, n);
        struct timespec t0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        int gen = atomic_load(&wk->k->gen);
        hresp r;
        if (wk->writer) {
            char *body = threat_body(tag);
            r = req(wk->k->port, "POST", "/api/v1/threats", wk->k->spoc, body);
            free(body);
        } else {
            char *h = t_fmt("%sX-Iom-Purpose: %s\r\n", wk->k->spoc, tag);
            r = req(wk->k->port, "GET", wk->k->path, h, NULL);
            free(h);
        }
        long long took = ms_since(&t0);
        if (took > wk->slowest_ms)
            wk->slowest_ms = took;
        int expect = wk->writer ? 201 : 200;
        const char *type = jstr(&r, "type");
        if (r.status == expect && (!wk->writer || jstr(&r, "ref"))) {
            keep(wk, wk->writer ? jstr(&r, "ref") : tag);
            atomic_fetch_add(wk->acked, 1);
            if (gen == atomic_load(&wk->k->gen))
                atomic_fetch_add(wk->writer ? &wk->k->fresh_writes : &wk->k->fresh_reads, 1);
        } else if (r.status == 503 && type && strcmp(type, "urn:iom:problem:unavailable") == 0) {
            wk->refused++;
            hw_sleep_ms(20); /* as a client honouring Retry-After would, briefly */
        } else if (r.status == 0) {
            wk->unanswered++;
            fprintf(stderr, "%s: no answer after %lld ms\n", tag, took);
        } else {
            wk->errors++;
            fprintf(stderr, "%s: unexpected %d %s\n", tag, r.status, r.body ? r.body : "");
        }
        hresp_free(&r);
    }
    return NULL;
}

/* ---- the cluster ---- */

/* The WARNING a backend sends as the postmaster ends it ("terminating connection because of
   crash of another server process"): expected here. */
static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* The pids of the backends of the servers' role on the test database, and their state;
   false when the cluster cannot be asked just now (restarting). */
static bool backends(kworld *k, int *pid, bool *busy, int *n, int cap)
{
    PGconn *c = PQconnectdb(k->conninfo);
    bool ok = PQstatus(c) == CONNECTION_OK;
    if (c)
        PQsetNoticeProcessor(c, quiet, NULL);
    PGresult *r = NULL;
    if (ok) {
        r = PQexec(c, "SELECT pid, state <> 'idle' FROM pg_stat_activity WHERE usename = 'iom_app'"
                      " AND datname = current_database() ORDER BY pid");
        ok = PQresultStatus(r) == PGRES_TUPLES_OK;
    }
    *n = 0;
    for (int i = 0; ok && i < PQntuples(r) && *n < cap; i++, (*n)++) {
        pid[*n] = atoi(PQgetvalue(r, i, 0));
        busy[*n] = PQgetvalue(r, i, 1)[0] == 't';
    }
    PQclear(r);
    PQfinish(c);
    return ok;
}

/* On a failure: the last lines of the server's log and of the cluster's (IOM_TEST_PG_LOG, set
   by scripts/test-pg.sh), so that a failure on CI says what the two were doing. */
static void tail_file(const char *what, const char *path)
{
    FILE *f = path ? fopen(path, "r") : NULL;
    if (!f)
        return;
    static char buf[8192];
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, size > (long)sizeof buf - 1 ? size - (long)(sizeof buf - 1) : 0, SEEK_SET);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    fprintf(stderr, "---- the end of %s (%s) ----\n%s\n---- end ----\n", what, path, buf);
}

static void dump_logs(kworld *k)
{
    tail_file("the server's log", k->log);
    tail_file("the cluster's log", getenv("IOM_TEST_PG_LOG"));
}

/* CHECKPOINT, as the superuser: PostgreSQL's crash recovery replays the WAL written since the
   last checkpoint, so without one the restart after a kill takes as long as the WAL that the
   tests run before this one left (CREATE DATABASE copies its template through the WAL: after
   the whole suite, hundreds of MB, measured 9.9 s of recovery for 550 MB here and more than
   15 s on CI). With it, the restart measured is that of this test's own work. */
static void checkpoint(kworld *k)
{
    PGconn *c = PQconnectdb(k->conninfo);
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    PGresult *r = PQexec(c, "CHECKPOINT");
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        fail_msg("CHECKPOINT: %s", PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
}

/* Waits until the cluster answers again with none of the backends in old[] left (the
   postmaster ended them all: crash recovery happened); ms taken. */
static long long wait_restarted(kworld *k, const int *old, int nold)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        int pid[256], n;
        bool busy[256];
        if (backends(k, pid, busy, &n, 256)) {
            bool left = false;
            for (int i = 0; i < n && !left; i++)
                for (int j = 0; j < nold && !left; j++)
                    left = pid[i] == old[j];
            if (!left)
                return ms_since(&t0);
        }
        if (ms_since(&t0) > WAIT_MS && (dump_logs(k), true))
            fail_msg("the cluster did not come back within %d ms of the kill", WAIT_MS);
        hw_sleep_ms(20);
    }
}

/* Waits until PROGRESS writes and PROGRESS reads, each started from now on, were answered
   2xx: the server serves again. */
static long long wait_progress(kworld *k)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    atomic_store(&k->fresh_writes, 0);
    atomic_store(&k->fresh_reads, 0);
    atomic_fetch_add(&k->gen, 1);
    while (atomic_load(&k->fresh_writes) < PROGRESS || atomic_load(&k->fresh_reads) < PROGRESS) {
        if (ms_since(&t0) > WAIT_MS && (dump_logs(k), true))
            fail_msg("no recovery: %d writes and %d reads started and answered in %d ms after the "
                     "cluster came back (server %s)",
                     atomic_load(&k->fresh_writes), atomic_load(&k->fresh_reads), WAIT_MS,
                     server_alive(k) ? "running" : "gone");
        hw_sleep_ms(10);
    }
    return ms_since(&t0);
}

/* ---- the checks afterwards ---- */

typedef struct logged {
    char **purpose;
    size_t n, cap;
} logged;

static int on_read(void *data, const iom_audit_t *en)
{
    logged *l = data;
    json_t *j = json_loads(en->after_json ? en->after_json : "", 0, NULL);
    const char *p = json_string_value(json_object_get(j, "purpose"));
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 1024;
        l->purpose = realloc(l->purpose, l->cap * sizeof *l->purpose);
    }
    l->purpose[l->n++] = strdup(p ? p : "");
    json_decref(j);
    return 0;
}

static void audit_verify(kworld *k, const char *reads)
{
    t_result r = t_runv(NULL, "--db", k->w->db, "--as", "auditor", "audit", "verify", reads, NULL);
    if (r.status)
        fprintf(stderr, "audit verify %s: %s%s\n", reads ? reads : "", r.out, r.err);
    assert_int_equal(r.status, 0);
    t_result_free(&r);
}

static void backend_killed_under_load(void **state)
{
    kworld *k = *state;
    if (!t_pg()) {
        fprintf(stderr, "skipped: SQLite has no server process to kill (this test kills PostgreSQL "
                        "backends; it runs under scripts/test-pg.sh). test_crash, test_crash_reads "
                        "and test_multi_server kill the process writing the SQLite file\n");
        skip();
    }
    char *ref = new_tasking(k, "WY-KILL-PG");
    k->path = t_fmt("/api/v1/taskings/%s", ref);
    free(ref);
    atomic_int *writes = &k->writes, *reads = &k->reads;
    worker *wk = k->wk;
    for (int i = 0; i < WRITERS + READERS; i++) {
        bool writer = i < WRITERS;
        wk[i] = (worker){.k = k, .id = i, .writer = writer, .acked = writer ? writes : reads};
        assert_int_equal(pthread_create(&wk[i].th, NULL, worker_run, &wk[i]), 0);
        k->nworkers++;
    }
    unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
    srand(seed);
    fprintf(stderr, "seed %u\n", seed);
    long long longest_outage = 0, longest_restart = 0;
    int busy_kills = 0;
    wait_progress(k);
    for (int kill_no = 0; kill_no < KILLS; kill_no++) {
        checkpoint(k);
        hw_sleep_ms(50 + rand() % 300); /* the kill lands anywhere in the requests' work */
        int pid[256], n = 0;
        bool busy[256];
        assert_true(backends(k, pid, busy, &n, 256));
        assert_true(n > 0); /* the server's pool, the read log's writer */
        int nbusy = 0;
        for (int i = 0; i < n; i++)
            nbusy += busy[i];
        int pick = rand() % (nbusy ? nbusy : n);
        int victim = -1;
        for (int i = 0; i < n && victim < 0; i++)
            if (!nbusy || busy[i])
                if (pick-- == 0)
                    victim = pid[i];
        busy_kills += nbusy > 0;
        struct timespec t_kill;
        clock_gettime(CLOCK_MONOTONIC, &t_kill);
        if (kill(victim, SIGKILL) != 0)
            fail_msg("kill(%d, SIGKILL): %s", victim, strerror(errno));
        /* 3. the cluster restarts (every backend of before ended) ... */
        long long restart = wait_restarted(k, pid, n);
        /* ... and the same server serves writes and reads again, by itself */
        long long back = wait_progress(k);
        assert_true(server_alive(k));
        hresp ready = req(k->port, "GET", "/api/ready", NULL, NULL); /* and says so */
        hw_expect(&ready, 200);
        hresp_free(&ready);
        fprintf(stderr, "kill %d: backend %d (%s, 1 of %d) SIGKILLed; cluster back after %lld ms, "
                        "server serving writes and reads %lld ms later\n",
                kill_no + 1, victim, nbusy ? "busy" : "idle", n, restart, back);
        if (restart > longest_restart)
            longest_restart = restart;
        if (ms_since(&t_kill) > longest_outage)
            longest_outage = ms_since(&t_kill);
    }
    /* An administrator ending the sessions (pg_terminate_backend: 57P01, no restart of the
       cluster): the same, for the connections cut alone. */
    PGconn *su = PQconnectdb(k->conninfo);
    assert_int_equal(PQstatus(su), CONNECTION_OK);
    PGresult *res = PQexec(su, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                               " WHERE usename = 'iom_app' AND datname = current_database()");
    assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
    int ended = atoi(PQgetvalue(res, 0, 0));
    PQclear(res);
    PQfinish(su);
    assert_true(ended > 0);
    long long back = wait_progress(k);
    fprintf(stderr, "pg_terminate_backend of the server's %d connections: serving again %lld ms "
                    "later\n",
            ended, back);
    stop_load(k);
    /* The server stops cleanly: nothing of it was left broken. */
    assert_true(server_alive(k));
    kill(k->pid, SIGTERM);
    int ws;
    assert_int_equal(waitpid(k->pid, &ws, 0), k->pid);
    k->pid = 0;
    assert_true(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);

    /* 1. every acknowledged change and read is stored */
    iom_error e = {0};
    hworld *w = k->w;
    if (iom_store_open(w->db, 0, &w->store, &e) != IOM_OK)
        fail_msg("open %s: %s", w->db, e.msg);
    app_ctx_init(&w->c, w->store, &w->arena);
    w->c.actor_name = "wy-spoc";
    logged l = {0};
    assert_int_equal(w->store->ops->begin(w->store, false, &e), IOM_OK);
    iom_err err = w->store->ops->reads->scan(w->store, 0, on_read, &l, &e);
    w->store->ops->rollback(w->store);
    if (err)
        fprintf(stderr, "read chain: %s\n", e.msg);
    assert_int_equal(err, IOM_OK);
    long long created = 0, shown = 0, refused = 0, slowest = 0;
    for (int i = 0; i < WRITERS + READERS; i++) {
        worker *x = &wk[i];
        /* 2. nothing but 2xx and 503 `unavailable`, every request answered in bounded time */
        assert_int_equal(x->errors, 0);
        assert_int_equal(x->unanswered, 0);
        assert_true(x->slowest_ms < HANG_BOUND_MS);
        refused += x->refused;
        if (x->slowest_ms > slowest)
            slowest = x->slowest_ms;
        for (size_t j = 0; j < x->nok; j++) {
            if (x->writer) {
                iom_threat_t th;
                err = app_threat_get(&w->c, x->ok[j], &th);
                if (err)
                    fprintf(stderr, "threat %s was answered 201 and is missing: %s\n", x->ok[j],
                            w->c.err.msg);
                assert_int_equal(err, IOM_OK);
                assert_string_equal(th.ref, x->ok[j]);
            } else {
                int times = 0;
                for (size_t m = 0; m < l.n; m++)
                    times += strcmp(l.purpose[m], x->ok[j]) == 0;
                if (times != 1)
                    fprintf(stderr, "read '%s' was answered 200 and is %d times in the read chain\n",
                            x->ok[j], times);
                assert_int_equal(times, 1);
            }
        }
        *(x->writer ? &created : &shown) += (long long)x->nok;
    }
    for (size_t m = 0; m < l.n; m++)
        free(l.purpose[m]);
    free(l.purpose);
    iom_store_close(w->store);
    w->store = NULL;
    /* The kills met requests in flight: some were refused, and none of those as anything but
       503 `unavailable` (checked above). */
    assert_true(busy_kills > 0);
    assert_true(refused > 0);
    /* 4. both chains intact, verified by a fresh process */
    audit_verify(k, NULL);
    audit_verify(k, "--reads");
    long long total = ms_since(&t_start);
    fprintf(stderr, "%d backends SIGKILLed (%d busy with a request) under %d writers and %d readers: "
                    "%lld threats answered 201 all in the database, %lld reads answered 200 all in "
                    "the read chain once, %lld requests refused with 503 during the outages, slowest "
                    "answer %lld ms; cluster restarts took %lld ms at most, kill to serving again "
                    "%lld ms at most; %lld ms in all\n",
            KILLS, busy_kills, WRITERS, READERS, created, shown, refused, slowest, longest_restart,
            longest_outage, total);
    assert_true(total < TOTAL_MS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(backend_killed_under_load),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
