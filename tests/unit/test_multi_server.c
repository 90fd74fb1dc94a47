/*
 * Several `iom serve` processes on ONE database (issue 19 point 4). Three servers (the built
 * binary, t_binary()) listen on different loopback ports over the same database: an SQLite
 * file in WAL mode, or, under scripts/test-pg.sh, the PostgreSQL database that tests/pg/pgmap.c
 * maps the same path to in this process and in every spawned server. Bounded: about 3 x 60
 * requests per conflict round, a few hundred reads and writes in all, a few seconds.
 *
 *  1. A session made (sign-in) on server 0 works on servers 1 and 2 (a read and a change with
 *     its CSRF token); signing out on server 1 ends it on server 2 too.
 *  2. Conflicting changes through all servers at once: in each of ROUNDS rounds, GROUPS
 *     taskings each get PER_GROUP clients (spread over the three servers) that POST the same
 *     transition with the same If-Match version, all released together. Per group exactly one
 *     200 (ETag = version + 1) and PER_GROUP - 1 409s; afterwards each tasking's version went
 *     up by ROUNDS and its audit log holds exactly one entry per winning change.
 *  3. Content reads through all servers at once (each with a purpose of its own): every read
 *     answered 200 is in the read chain exactly once, and the chain holds batches of different
 *     servers one after the other (they interleave; the chain still verifies).
 *  4. Under load (new threats and content reads through all three), server 1 is killed with SIGKILL:
 *     every threat answered 201 is in the database afterwards, every read answered 200 is in
 *     the read chain.
 *  5. `iom audit verify` and `iom audit verify --reads` (the CLI, a fresh process) report one
 *     intact chain each: no fork when several servers append at once.
 */
#include "test_http_support.h"

#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>

#include "app/auth.h"
#include "store/reads_store.h"

/* Of test_http_support.h: this test starts no in-process server. */
static hworld *hw_new(unsigned timeout) __attribute__((unused));
static void hw_free(hworld *w) __attribute__((unused));

extern char **environ;

#define SERVERS 3
#define GROUPS 3
#define PER_GROUP 18 /* clients per tasking and round, PER_GROUP / SERVERS per server */
#define ROUNDS 4
#define READERS 4    /* per server, in step 3 */
#define READS 15     /* per reader */

typedef struct multi {
    hworld *w;                 /* the database, its key and the users; no in-process server */
    int port[SERVERS];
    pid_t pid[SERVERS];
    char *log;
    char spoc[128];            /* "Authorization: Bearer ...\r\n" of wy-spoc */
    char gateway[128];         /* likewise of yh-gateway */
} multi;

/* One request to a port on its own connection (hw_port_req). */
static hresp req(int port, const char *method, const char *path, const char *headers, const char *body)
{
    return hw_port_req(port, 20, method, path, headers, body);
}

static pid_t start_server(multi *m, int i)
{
    m->port[i] = hw_free_port();
    char listen[64];
    snprintf(listen, sizeof listen, "127.0.0.1:%d", m->port[i]);
    char *argv[] = {(char *)t_binary(), "--db", m->w->db, "serve", "--listen", listen,
                    "--threads", "4", NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, m->log, O_WRONLY | O_CREAT | O_APPEND, 0600);
    pid_t pid;
    assert_int_equal(posix_spawn(&pid, t_binary(), &fa, NULL, argv, environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    /* Up when it answers (a request without credentials: 401). */
    for (int k = 0; k < 1000; k++) {
        hresp r = req(m->port[i], "GET", "/api/v1/taskings", NULL, NULL);
        int st = r.status;
        hresp_free(&r);
        if (st == 401)
            return pid;
        assert_true(st == 0);
        int ws;
        assert_int_equal(waitpid(pid, &ws, WNOHANG), 0); /* still running */
        hw_sleep_ms(10);
    }
    fail_msg("server %d did not answer within 10 s", i);
    return -1;
}

static void stop_server(multi *m, int i, int sig)
{
    if (m->pid[i] <= 0)
        return;
    kill(m->pid[i], sig);
    int st;
    assert_int_equal(waitpid(m->pid[i], &st, 0), m->pid[i]);
    if (sig == SIGKILL)
        assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
    else
        assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    m->pid[i] = 0;
}

/* Opens the store in this process as a server would (the use-cases' context in w->c). */
static void open_store(multi *m)
{
    iom_error e = {0};
    assert_int_equal(iom_store_open(m->w->db, 0, &m->w->store, &e), IOM_OK);
    app_ctx_init(&m->w->c, m->w->store, &m->w->arena);
    m->w->c.os_user = "multi-test";
    char *key = t_fmt("%s.key", m->w->db);
    assert_int_equal(audit_key_load(key, m->w->c.audit_key, &e), IOM_OK);
    free(key);
    m->w->c.has_audit_key = true;
}

static void close_store(multi *m)
{
    iom_store_close(m->w->store);
    m->w->store = NULL;
}

static int setup(void **state)
{
    multi *m = calloc(1, sizeof *m);
    /* The real clock: the servers read it too (sessions and tokens expire by it). */
    m->w = hw_open("multi.db", (int64_t)time(NULL), false, "multi-test");
    hworld *w = m->w;
    hw_user(w, "admin", "toex", "admin");
    hw_user(w, "auditor", "nca", "auditor");
    hw_user(w, "wy-spoc", "west-yorkshire", "spoc");
    hw_user(w, "wy-sio", "west-yorkshire", "sio");
    hw_user(w, "yh-gateway", "yhrocu", "gateway");
    app_threat_input ti = {"Car wash network", "labour", "west-yorkshire", "wy-sio", "WY-FTM-1", NULL};
    iom_threat_t th;
    w->c.actor_name = "wy-spoc";
    hw_ok(w, app_threat_add(&w->c, &ti, &th));
    w->threat = strdup(th.ref);
    w->c.actor_name = "admin";
    app_token_created tc;
    hw_ok(w, app_token_create(&w->c, "wy-spoc", 1, &tc));
    snprintf(m->spoc, sizeof m->spoc, "Authorization: Bearer %s\r\n", tc.token);
    hw_ok(w, app_token_create(&w->c, "yh-gateway", 1, &tc));
    snprintf(m->gateway, sizeof m->gateway, "Authorization: Bearer %s\r\n", tc.token);
    sodium_memzero(&tc, sizeof tc);
    close_store(m);
    m->log = t_fmt("%s/serve.log", w->dir);
    for (int i = 0; i < SERVERS; i++)
        m->pid[i] = start_server(m, i);
    *state = m;
    return 0;
}

static int teardown(void **state)
{
    multi *m = *state;
    for (int i = 0; i < SERVERS; i++)
        if (m->pid[i] > 0) {
            kill(m->pid[i], SIGKILL);
            waitpid(m->pid[i], NULL, 0);
        }
    hw_close_world(m->w);
    free(m->log);
    free(m);
    return 0;
}

static char *bid_body(const char *threat, const char *ftm_ref)
{
    return t_fmt("{\"threat\":\"%s\",\"ftm_date\":\"2026-05-28\",\"ftm_ref\":\"%s\","
                 "\"summary\":\"Hand car washes run by one family\","
                 "\"requirements\":[\"Who controls it?\"],\"services\":[\"intel_development\"],"
                 "\"assessment\":" T_ASSESSMENT "}",
                 threat, ftm_ref);
}

/* A threat's body (a threat has one open tasking at a time: one threat per tasking). */
static char *threat_body(const char *ftm_ref)
{
    return t_fmt("{\"title\":\"Car wash network %s\",\"type\":\"labour\",\"owner\":"
                 "\"west-yorkshire\",\"sio\":\"wy-sio\",\"force_tasking_ref\":\"%s\"}",
                 ftm_ref, ftm_ref);
}

/* A new threat and a draft tasking on it through server i; the tasking's ref (malloc'd). */
static char *new_tasking(multi *m, int i, const char *ftm_ref)
{
    char *body = threat_body(ftm_ref);
    hresp r = req(m->port[i], "POST", "/api/v1/threats", m->spoc, body);
    free(body);
    hw_expect(&r, 201);
    body = bid_body(jstr(&r, "ref"), ftm_ref);
    hresp_free(&r);
    r = req(m->port[i], "POST", "/api/v1/taskings", m->spoc, body);
    free(body);
    hw_expect(&r, 201);
    char *ref = strdup(jstr(&r, "ref"));
    hresp_free(&r);
    return ref;
}

/* The tasking's version and state as read through server i. */
static int64_t version_of(multi *m, int i, const char *ref, char *state, size_t n)
{
    char *path = t_fmt("/api/v1/taskings/%s", ref);
    char *h = t_fmt("%sX-Iom-Purpose: version check\r\n", m->spoc);
    hresp r = req(m->port[i], "GET", path, h, NULL);
    free(h);
    free(path);
    hw_expect(&r, 200);
    snprintf(state, n, "%s", jstr(&r, "state"));
    int64_t v = json_integer_value(json_object_get(r.json, "version"));
    hresp_free(&r);
    return v;
}

/* ---- 1. a session made on one server works on the others ---- */

static void session_across_servers(void **state)
{
    multi *m = *state;
    char *body = t_fmt("{\"username\":\"wy-spoc\",\"password\":\"%s\"}", PASSWORD);
    hresp r = req(m->port[0], "POST", "/api/v1/session", NULL, body);
    free(body);
    hw_expect(&r, 201);
    char *sc = hw_header(&r, "Set-Cookie");
    assert_non_null(sc);
    char *cookie = t_fmt("Cookie: %.*s\r\n", (int)strcspn(sc, ";"), sc);
    char *both = t_fmt("%sX-CSRF-Token: %s\r\n", cookie,
                       json_string_value(json_object_get(r.json, "csrf_token")));
    free(sc);
    hresp_free(&r);

    r = req(m->port[1], "GET", "/api/v1/me", cookie, NULL); /* the cookie alone: refused */
    hw_expect(&r, 403);
    hresp_free(&r);
    r = req(m->port[1], "GET", "/api/v1/me", both, NULL); /* who am I, on server 1 */
    hw_expect(&r, 200);
    assert_string_equal(json_string_value(json_object_get(json_object_get(r.json, "user"), "name")),
                        "wy-spoc");
    hresp_free(&r);
    r = req(m->port[2], "GET", "/api/v1/taskings", both, NULL);
    hw_expect(&r, 200);
    hresp_free(&r);
    char *bid = threat_body("WY-SESSION-1");
    r = req(m->port[2], "POST", "/api/v1/threats", both, bid); /* a change, CSRF checked */
    hw_expect(&r, 201);
    hresp_free(&r);
    r = req(m->port[1], "POST", "/api/v1/threats", cookie, bid); /* without the token: refused */
    hw_expect(&r, 403);
    hresp_free(&r);

    /* Signed out on server 1: refused on servers 2 and 0. */
    r = req(m->port[1], "DELETE", "/api/v1/session", both, NULL);
    hw_expect(&r, 200);
    hresp_free(&r);
    for (int i = 0; i < SERVERS; i += 2) {
        r = req(m->port[i], "GET", "/api/v1/taskings", both, NULL);
        hw_expect(&r, 401);
        hresp_free(&r);
    }
    free(bid);
    free(both);
    free(cookie);
}

/* A new API token for `user`, made by the admin through the use-case: its Authorization
   header line and the DELETE path that revokes it (both malloc'd); the token itself is wiped. */
static void new_token(multi *m, const char *user, char **auth, char **revoke)
{
    open_store(m);
    m->w->c.actor_name = "admin";
    app_token_created tc;
    hw_ok(m->w, app_token_create(&m->w->c, user, 1, &tc));
    close_store(m);
    *auth = t_fmt("Authorization: Bearer %s\r\n", tc.token);
    *revoke = t_fmt("/api/v1/tokens/%s", tc.t.ref);
    sodium_memzero(&tc, sizeof tc);
}

/* A token revoked through one server is refused by the next request on every other, however
   warm their handles' caches of it (store.h begin_read_optimistic: on PostgreSQL a GET is
   served from the cache at the epoch last seen and runs again when its first round trip finds
   the epoch moved). Routes that read more than the sign-in (the list) and routes the sign-in
   alone answers (me). */
static void token_revoked_across_servers(void **state)
{
    multi *m = *state;
    char *auth, *path;
    new_token(m, "yh-gateway", &auth, &path);
    const char *paths[] = {"/api/v1/taskings", "/api/v1/me"};
    for (int round = 0; round < 20; round++) /* every handle of every server serves it */
        for (int i = 0; i < SERVERS; i++) {
            hresp r = req(m->port[i], "GET", paths[round % 2], auth, NULL);
            hw_expect(&r, 200);
            hresp_free(&r);
        }
    hresp r = req(m->port[0], "DELETE", path, auth, NULL); /* revoked through server 0 */
    assert_int_equal(r.status, 200);
    hresp_free(&r);
    free(path);
    for (int round = 0; round < 20; round++)
        for (int i = 0; i < SERVERS; i++) {
            r = req(m->port[i], "GET", paths[round % 2], auth, NULL);
            hw_expect(&r, 401);
            hresp_free(&r);
        }
    free(auth);
    if (t_pg()) { /* the COMMITs the GETs owed went within ~100 ms (the servers' idle sweeper):
                     no server session still holds a snapshot */
        for (int round = 0; round < 4; round++)
            for (int i = 0; i < SERVERS; i++) {
                r = req(m->port[i], "GET", "/api/v1/taskings", m->spoc, NULL);
                hw_expect(&r, 200);
                hresp_free(&r);
            }
        struct timespec ts = {0, 400 * 1000 * 1000};
        nanosleep(&ts, NULL);
        assert_int_equal(t_db_scalar(m->w->db, "SELECT count(*) FROM pg_stat_activity WHERE datname ="
                                               " current_database() AND state LIKE 'idle in transaction%'"),
                         0);
    }
}

/* ---- 2. conflicting changes through all servers at once ---- */

typedef struct client {
    pthread_t th;
    pthread_barrier_t *go;
    int port;
    const char *method, *path, *headers, *body;
    int status;
    char etag[32];
    char kind[64];
} client;

static void *client_run(void *arg)
{
    client *cl = arg;
    pthread_barrier_wait(cl->go);
    hresp r = req(cl->port, cl->method, cl->path, cl->headers, cl->body);
    cl->status = r.status;
    char *etag = hw_header(&r, "ETag");
    if (etag)
        snprintf(cl->etag, sizeof cl->etag, "%s", etag);
    free(etag);
    const char *type = jstr(&r, "type");
    if (type)
        snprintf(cl->kind, sizeof cl->kind, "%s", type);
    hresp_free(&r);
    return NULL;
}

static size_t count_audit(multi *m, const char *ref, const char *action)
{
    m->w->c.actor_name = "auditor";
    iom_audit_t *v;
    size_t n, k = 0;
    hw_ok(m->w, app_audit_log(&m->w->c, ref, &v, &n));
    for (size_t i = 0; i < n; i++)
        k += strcmp(v[i].action, action) == 0;
    return k;
}

static void conflicts_across_servers(void **state)
{
    multi *m = *state;
    char *ref[GROUPS];
    int64_t v[GROUPS];
    char st[32];
    for (int g = 0; g < GROUPS; g++) {
        char ftm[32];
        snprintf(ftm, sizeof ftm, "WY-CONFLICT-%d", g);
        ref[g] = new_tasking(m, g % SERVERS, ftm);
        v[g] = version_of(m, (g + 1) % SERVERS, ref[g], st, sizeof st);
        assert_string_equal(st, "draft");
    }
    static const char *const action[ROUNDS] = {"submit", "return", "submit", "return"};
    static const char *const after[ROUNDS] = {"submitted", "returned", "submitted", "returned"};
    const char *reason = "{\"reason\":\"Add the victims' nationalities\"}";
    long long wins = 0, conflicts = 0;
    for (int round = 0; round < ROUNDS; round++) {
        bool submit = strcmp(action[round], "submit") == 0;
        char *path[GROUPS], *headers[GROUPS];
        for (int g = 0; g < GROUPS; g++) {
            path[g] = t_fmt("/api/v1/taskings/%s/%s", ref[g], action[round]);
            headers[g] = t_fmt("%sIf-Match: \"%lld\"\r\n", submit ? m->spoc : m->gateway,
                               (long long)v[g]);
        }
        pthread_barrier_t go;
        pthread_barrier_init(&go, NULL, GROUPS * PER_GROUP);
        client cl[GROUPS * PER_GROUP];
        for (int g = 0; g < GROUPS; g++)
            for (int k = 0; k < PER_GROUP; k++) {
                client *c = &cl[g * PER_GROUP + k];
                *c = (client){.go = &go, .port = m->port[k % SERVERS], .method = "POST",
                              .path = path[g], .headers = headers[g], .body = submit ? NULL : reason};
                assert_int_equal(pthread_create(&c->th, NULL, client_run, c), 0);
            }
        for (int i = 0; i < GROUPS * PER_GROUP; i++)
            pthread_join(cl[i].th, NULL);
        pthread_barrier_destroy(&go);
        for (int g = 0; g < GROUPS; g++) {
            int ok = 0, conflict = 0, winner_server = -1;
            char etag[32] = "";
            for (int k = 0; k < PER_GROUP; k++) {
                client *c = &cl[g * PER_GROUP + k];
                if (c->status == 200) {
                    ok++;
                    winner_server = k % SERVERS;
                    snprintf(etag, sizeof etag, "%s", c->etag);
                } else if (c->status == 409) {
                    conflict++;
                    assert_string_equal(c->kind, "urn:iom:problem:conflict");
                } else {
                    fprintf(stderr, "round %d group %d: unexpected status %d\n", round, g, c->status);
                }
            }
            if (ok != 1 || conflict != PER_GROUP - 1)
                fprintf(stderr, "round %d (%s) group %d: %d won, %d conflicts\n", round, action[round],
                        g, ok, conflict);
            assert_int_equal(ok, 1);
            assert_int_equal(conflict, PER_GROUP - 1);
            assert_true(winner_server >= 0);
            char want[32];
            snprintf(want, sizeof want, "\"%lld\"", (long long)(v[g] + 1));
            assert_string_equal(etag, want);
            /* Every server sees the winner's change. */
            for (int i = 0; i < SERVERS; i++) {
                assert_int_equal(version_of(m, i, ref[g], st, sizeof st), v[g] + 1);
                assert_string_equal(st, after[round]);
            }
            v[g]++;
            wins += ok;
            conflicts += conflict;
            free(path[g]);
            free(headers[g]);
        }
    }
    /* One audit entry per winning change, nothing doubled. */
    open_store(m);
    for (int g = 0; g < GROUPS; g++) {
        assert_int_equal(count_audit(m, ref[g], "tasking.submit"), ROUNDS / 2);
        assert_int_equal(count_audit(m, ref[g], "tasking.return"), ROUNDS / 2);
        free(ref[g]);
    }
    close_store(m);
    fprintf(stderr, "%d servers, %d rounds x %d groups x %d clients: %lld changes applied (one per "
                    "group), %lld refused with 409\n",
            SERVERS, ROUNDS, GROUPS, PER_GROUP, wins, conflicts);
}

/* ---- 3. and 4.: reads and creates through all servers; one killed ---- */

typedef struct worker {
    pthread_t th;
    multi *m;
    int server, id;
    bool writer;
    const char *tag;           /* purpose / ftm_ref prefix */
    const char *path;          /* readers: the content read */
    int limit;                 /* requests to make, 0: until stop */
    atomic_bool *stop;
    atomic_int *acked;
    atomic_int *acked_here;    /* NULL, or this server's own count */
    char **ok;                 /* purposes answered 200 / refs answered 201 */
    size_t nok, cap;
    int errors;                /* answers other than the expected while the server lived */
    int failed;                /* no answer (connection refused or cut) */
} worker;

static void keep(worker *k, const char *s)
{
    if (k->nok == k->cap) {
        k->cap = k->cap ? k->cap * 2 : 64;
        k->ok = realloc(k->ok, k->cap * sizeof *k->ok);
    }
    k->ok[k->nok++] = strdup(s);
}

static void *worker_run(void *arg)
{
    worker *k = arg;
    int port = k->m->port[k->server];
    for (int n = 0; k->limit ? n < k->limit : !atomic_load(k->stop); n++) {
        char tag[64];
        snprintf(tag, sizeof tag, "%s-s%d-w%d-n%d", k->tag, k->server, k->id, n);
        hresp r;
        if (k->writer) {
            char *body = threat_body(tag);
            r = req(port, "POST", "/api/v1/threats", k->m->spoc, body);
            free(body);
            if (r.status == 201 && jstr(&r, "ref"))
                keep(k, jstr(&r, "ref"));
        } else {
            char *h = t_fmt("%sX-Iom-Purpose: %s\r\n", k->m->spoc, tag);
            r = req(port, "GET", k->path, h, NULL);
            free(h);
            if (r.status == 200)
                keep(k, tag);
        }
        int expect = k->writer ? 201 : 200, status = r.status;
        if (status == expect) {
            atomic_fetch_add(k->acked, 1);
            if (k->acked_here)
                atomic_fetch_add(k->acked_here, 1);
        }
        else if (status == 0)
            k->failed++;
        else
            k->errors++;
        if (status != expect && status != 0)
            fprintf(stderr, "server %d: %d %s\n", k->server, status, r.body ? r.body : "");
        hresp_free(&r);
        if (status == 0 && k->failed > 3)
            break; /* the server is gone */
    }
    return NULL;
}

typedef struct logged {
    char **purpose;            /* in read-chain order */
    int64_t *seq;
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
        l->seq = realloc(l->seq, l->cap * sizeof *l->seq);
    }
    l->seq[l->n] = en->seq;
    l->purpose[l->n++] = strdup(p ? p : "");
    json_decref(j);
    return 0;
}

/* Every purpose in ok[] appears exactly once in l (the read chain). */
static void expect_logged_once(const logged *l, char *const *ok, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int times = 0;
        for (size_t j = 0; j < l->n; j++)
            times += strcmp(l->purpose[j], ok[i]) == 0;
        if (times != 1)
            fprintf(stderr, "read '%s' was answered 200 and is %d times in the read chain\n", ok[i],
                    times);
        assert_int_equal(times, 1);
    }
}

static void read_chain(multi *m, logged *l)
{
    iom_error e = {0};
    iom_store *s = m->w->store;
    assert_int_equal(s->ops->begin(s, false, &e), IOM_OK);
    iom_err err = s->ops->reads->scan(s, 0, on_read, l, &e);
    s->ops->rollback(s);
    if (err)
        fprintf(stderr, "read chain: %s\n", e.msg);
    assert_int_equal(err, IOM_OK);
    for (size_t i = 1; i < l->n; i++)
        assert_int_equal(l->seq[i], l->seq[i - 1] + 1);
}

static void logged_free(logged *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->purpose[i]);
    free(l->purpose);
    free(l->seq);
}

static void reads_interleave(void **state)
{
    multi *m = *state;
    char *ref = new_tasking(m, 0, "WY-READS-1");
    char *path = t_fmt("/api/v1/taskings/%s", ref);
    atomic_bool stop = false;
    atomic_int acked = 0;
    worker wk[SERVERS * READERS];
    for (int i = 0; i < SERVERS * READERS; i++) {
        wk[i] = (worker){.m = m, .server = i % SERVERS, .id = i / SERVERS, .tag = "rd", .path = path,
                         .limit = READS, .stop = &stop, .acked = &acked};
        assert_int_equal(pthread_create(&wk[i].th, NULL, worker_run, &wk[i]), 0);
    }
    for (int i = 0; i < SERVERS * READERS; i++)
        pthread_join(wk[i].th, NULL);
    assert_int_equal(atomic_load(&acked), SERVERS * READERS * READS);

    open_store(m);
    logged l = {0};
    read_chain(m, &l);
    for (int i = 0; i < SERVERS * READERS; i++) {
        assert_int_equal(wk[i].errors + wk[i].failed, 0);
        expect_logged_once(&l, wk[i].ok, wk[i].nok);
        for (size_t j = 0; j < wk[i].nok; j++)
            free(wk[i].ok[j]);
        free(wk[i].ok);
    }
    /* The entries of the three servers follow one another in one chain: count the places
       where the next "rd" entry came through another server than the one before. */
    int switches = 0, last = -1;
    bool seen[SERVERS] = {false};
    for (size_t j = 0; j < l.n; j++) {
        int s;
        if (sscanf(l.purpose[j], "rd-s%d-", &s) != 1)
            continue;
        seen[s] = true;
        switches += last >= 0 && s != last;
        last = s;
    }
    for (int i = 0; i < SERVERS; i++)
        assert_true(seen[i]);
    assert_true(switches >= SERVERS - 1);
    fprintf(stderr, "%d reads through %d servers at once, each in the read chain once; the chain "
                    "changes server %d times\n",
            SERVERS * READERS * READS, SERVERS, switches);
    logged_free(&l);
    close_store(m);
    free(path);
    free(ref);
}

/* Content reads with a token revoked through another server: refused, and not one of them in
   the read chain, however warm every server's cache of the token (on PostgreSQL the first run
   of such a GET is served from a stale guess and refuses to log: app_read_log). */
static void revoked_token_reads_nothing(void **state)
{
    multi *m = *state;
    char *ref = new_tasking(m, 0, "WY-REVOKED-1");
    char *auth, *revoke;
    new_token(m, "wy-spoc", &auth, &revoke);
    char *path = t_fmt("/api/v1/taskings/%s", ref);
    enum { ROUNDS_R = 10 };
    for (int phase = 0; phase < 2; phase++) {
        if (phase == 1) {
            hresp r = req(m->port[0], "DELETE", revoke, auth, NULL);
            assert_int_equal(r.status, 200);
            hresp_free(&r);
        }
        for (int round = 0; round < ROUNDS_R; round++)
            for (int i = 0; i < SERVERS; i++) {
                char *h = t_fmt("%sX-Iom-Purpose: %s-%d-%d\r\n", auth, phase ? "revoked" : "warm",
                                i, round);
                hresp r = req(m->port[i], "GET", path, h, NULL);
                free(h);
                hw_expect(&r, phase ? 401 : 200);
                hresp_free(&r);
            }
    }
    open_store(m);
    logged l = {0};
    read_chain(m, &l);
    close_store(m);
    int warm = 0;
    for (size_t j = 0; j < l.n; j++) {
        warm += strncmp(l.purpose[j], "warm-", 5) == 0;
        if (strncmp(l.purpose[j], "revoked-", 8) == 0)
            fail_msg("a read refused with a revoked token is in the read chain: %s", l.purpose[j]);
    }
    assert_int_equal(warm, SERVERS * ROUNDS_R);
    logged_free(&l);
    free(path);
    free(revoke);
    free(auth);
    free(ref);
}

static void kill_one_under_load(void **state)
{
    multi *m = *state;
    char *ref = new_tasking(m, 2, "WY-KILL-1");
    char *path = t_fmt("/api/v1/taskings/%s", ref);
    atomic_bool stop = false;
    atomic_int acked = 0, acked1 = 0; /* all servers', and the one to be killed's */
    enum { PER = 4 }; /* per server: 2 writers, 2 readers */
    worker wk[SERVERS * PER];
    for (int i = 0; i < SERVERS * PER; i++) {
        wk[i] = (worker){.m = m, .server = i % SERVERS, .id = i / SERVERS, .writer = (i / SERVERS) % 2,
                         .tag = "kl", .path = path, .stop = &stop, .acked = &acked,
                         .acked_here = i % SERVERS == 1 ? &acked1 : NULL};
        assert_int_equal(pthread_create(&wk[i].th, NULL, worker_run, &wk[i]), 0);
    }
    /* killed under load: once server 1 itself has answered some (under the sanitizers, the
       others could reach 30 before it answered one, and the kill then proved nothing) */
    for (int i = 0; i < 2000 && (atomic_load(&acked) < 30 || atomic_load(&acked1) < 3); i++)
        hw_sleep_ms(5);
    assert_true(atomic_load(&acked) >= 30);
    assert_true(atomic_load(&acked1) >= 3);
    srand((unsigned)time(NULL) ^ (unsigned)getpid());
    hw_sleep_ms(rand() % 200);
    int at_kill = atomic_load(&acked);
    stop_server(m, 1, SIGKILL);
    /* The others go on a while, then stop gracefully. */
    hw_sleep_ms(300);
    atomic_store(&stop, true);
    for (int i = 0; i < SERVERS * PER; i++)
        pthread_join(wk[i].th, NULL);
    stop_server(m, 0, SIGTERM);
    stop_server(m, 2, SIGTERM);

    open_store(m);
    logged l = {0};
    read_chain(m, &l);
    long long writes = 0, reads = 0, killed_acks = 0;
    m->w->c.actor_name = "wy-spoc";
    for (int i = 0; i < SERVERS * PER; i++) {
        worker *k = &wk[i];
        if (k->errors)
            fprintf(stderr, "server %d worker %d: %d unexpected answers\n", k->server, k->id, k->errors);
        assert_int_equal(k->errors, 0);
        if (k->server != 1)
            assert_int_equal(k->failed, 0);
        if (k->writer) {
            for (size_t j = 0; j < k->nok; j++) {
                iom_threat_t th;
                iom_err err = app_threat_get(&m->w->c, k->ok[j], &th);
                if (err)
                    fprintf(stderr, "threat %s was answered 201 and is missing: %s\n", k->ok[j],
                            m->w->c.err.msg);
                assert_int_equal(err, IOM_OK);
                assert_string_equal(th.ref, k->ok[j]);
            }
            writes += (long long)k->nok;
        } else {
            expect_logged_once(&l, k->ok, k->nok);
            reads += (long long)k->nok;
        }
        if (k->server == 1)
            killed_acks += (long long)k->nok;
        for (size_t j = 0; j < k->nok; j++)
            free(k->ok[j]);
        free(k->ok);
    }
    assert_true(killed_acks > 0);
    logged_free(&l);
    close_store(m);
    fprintf(stderr, "SIGKILL of server 1 after %d acknowledged requests: %lld threats created (201) "
                    "all in the database (%lld answers of the killed server in all), %lld reads answered 200 "
                    "all in the read chain\n",
            at_kill, writes, killed_acks, reads);

    /* 5. One intact chain each, verified by a fresh process. */
    t_result r = t_runv(NULL, "--db", m->w->db, "--as", "auditor", "audit", "verify", NULL);
    if (r.status)
        fprintf(stderr, "audit verify: %s%s\n", r.out, r.err);
    assert_int_equal(r.status, 0);
    t_result_free(&r);
    r = t_runv(NULL, "--db", m->w->db, "--as", "auditor", "audit", "verify", "--reads", NULL);
    if (r.status)
        fprintf(stderr, "audit verify --reads: %s%s\n", r.out, r.err);
    assert_int_equal(r.status, 0);
    t_result_free(&r);
    free(path);
    free(ref);
}

int main(void)
{
    /* One group: the servers run through all four tests, in this order (the last kills one). */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(session_across_servers),
        cmocka_unit_test(token_revoked_across_servers),
        cmocka_unit_test(conflicts_across_servers),
        cmocka_unit_test(reads_interleave),
        cmocka_unit_test(revoked_token_reads_nothing),
        cmocka_unit_test(kill_one_under_load),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
