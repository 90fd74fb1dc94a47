/*
 * Issue 5: 200 concurrent changes to the same tasking over HTTP, black-box.
 *
 * The tasking goes draft -> submitted -> returned -> submitted -> returned -> submitted in
 * five rounds. In each round 200 client threads, each on its own connection, are released
 * together and POST the same transition (submit as the spoc with a session cookie and CSRF
 * token; return as the gateway with a Bearer API token): in rounds 1-4 all with the same
 * If-Match version, in round 5 without If-Match (the change then applies to the version read
 * in its own transaction, so the state decides). Exactly one request per round wins (200,
 * ETag = version + 1); the other 199 get 409. The connections come from four loopback
 * source addresses (127.0.0.2-5), so that the server's per-address connection limit (100)
 * does not turn away the 200 at once. Afterwards: the version went up by exactly the
 * number of winners, the state is the last winner's, the tasking's history and the audit log
 * hold exactly one entry per winner (nothing lost, nothing doubled), every winner's ETag is
 * distinct, and the audit chain verifies.
 */
#include "test_http_support.h"

#include <pthread.h>

#include "app/auth.h"

#define ROUNDS 5
#define PER_ROUND 200 /* all at once, in each of the ROUNDS rounds */

static int setup(void **state)
{
    /* A generous connection timeout: the 200 connections are opened before the barrier, and
       libmicrohttpd closes, without an answer, a connection whose request it has not read
       within the timeout of its last activity, which a loaded machine (PostgreSQL run, CI)
       reached with 10 s. This test is about the outcome of conflicting changes, not latency. */
    *state = hw_new(120);
    return 0;
}

static int teardown(void **state)
{
    hw_free(*state);
    return 0;
}

typedef struct client {
    pthread_t th;
    hworld *w;
    pthread_barrier_t *go;
    const char *request;        /* the whole request text */
    int index;                  /* picks the source address */
    int status;                 /* 0: no answer (see failed, err) */
    const char *failed;         /* where a request without an answer failed */
    int err;                    /* its errno */
    char etag[32];              /* the ETag of a 200 */
    char kind[64];              /* the problem type of an error */
} client;

/* One request on its own connection; no cmocka asserts off the main thread. */
static void *client_run(void *arg)
{
    client *cl = arg;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(cl->w->port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct sockaddr_in src = {.sin_family = AF_INET};
    src.sin_addr.s_addr = htonl(INADDR_LOOPBACK + 1 + (uint32_t)(cl->index % 4));
    bool connected = fd >= 0 && bind(fd, (struct sockaddr *)&src, sizeof src) == 0 &&
                     connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    int connect_errno = connected ? 0 : errno;
    struct timeval tv = {180, 0};
    if (fd >= 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    pthread_barrier_wait(cl->go);
    if (!connected) {
        cl->failed = fd < 0 ? "socket" : "bind/connect";
        cl->err = connect_errno;
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    send_all(fd, cl->request, strlen(cl->request));
    errno = 0;
    hresp r = read_resp(fd);
    if (!r.status) {
        cl->failed = "reading the answer (closed or timed out before a status line)";
        cl->err = errno;
    }
    close(fd);
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

/* A request text: POST path with headers (each ending \r\n) and an optional JSON body. */
static char *request_text(const char *path, const char *headers, const char *body)
{
    return t_fmt("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s"
                 "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                 path, headers, body ? strlen(body) : 0, body ? body : "");
}

/* The tasking's version and state as its spoc sees it. */
static int64_t current(hworld *w, const char *who_headers, const char *ref, char *state, size_t n)
{
    char *path = t_fmt("/api/v1/taskings/%s", ref);
    hresp r = hw_req(w, "GET", path, who_headers, NULL);
    free(path);
    assert_int_equal(r.status, 200);
    snprintf(state, n, "%s", jstr(&r, "state"));
    int64_t v = json_integer_value(json_object_get(r.json, "version"));
    char *etag = hw_header(&r, "ETag");
    char want[32];
    snprintf(want, sizeof want, "\"%lld\"", (long long)v);
    assert_string_equal(etag, want);
    free(etag);
    hresp_free(&r);
    return v;
}

static size_t count_audit(hworld *w, const char *ref, const char *action)
{
    w->c.actor_name = "auditor";
    iom_audit_t *v;
    size_t n, k = 0;
    hw_ok(w, app_audit_log(&w->c, ref, &v, &n));
    /* NULL: every change (the tasking.read entries of the reads in between are not changes) */
    for (size_t i = 0; i < n; i++)
        k += action == NULL ? strcmp(v[i].action, "tasking.read") != 0 : strcmp(v[i].action, action) == 0;
    return k;
}

static void test_200_concurrent_changes(void **state)
{
    hworld *w = *state;
    /* The spoc drafts the tasking (cookie + CSRF); the gateway uses an API token. */
    hw_login(w, "wy-spoc");
    char spoc[300];
    snprintf(spoc, sizeof spoc, "%s%s", w->cookie, w->csrf);
    char *bid = t_fmt("{\"threat\":\"%s\",\"ftm_date\":\"2026-05-28\",\"ftm_ref\":\"WY-FTM-1\","
                      "\"summary\":\"Hand car washes run by one family\","
                      "\"requirements\":[\"Who controls it?\"],\"services\":[\"intel_development\"],"
                      "\"assessment\":" T_ASSESSMENT "}",
                      w->threat);
    hresp r = hw_req(w, "POST", "/api/v1/taskings", spoc, bid);
    free(bid);
    assert_int_equal(r.status, 201);
    char ref[32];
    snprintf(ref, sizeof ref, "%s", jstr(&r, "ref"));
    hresp_free(&r);
    w->c.actor_name = "admin";
    app_token_created tc;
    hw_ok(w, app_token_create(&w->c, "yh-gateway", 1, &tc));
    char gateway[128];
    snprintf(gateway, sizeof gateway, "Authorization: Bearer %s\r\n", tc.token);

    char st[32];
    int64_t v0 = current(w, spoc, ref, st, sizeof st);
    assert_string_equal(st, "draft");
    size_t audit0 = count_audit(w, ref, NULL);
    char *hpath = t_fmt("/api/v1/taskings/%s", ref);
    r = hw_req(w, "GET", hpath, spoc, NULL);
    size_t history0 = json_array_size(json_object_get(r.json, "history"));
    hresp_free(&r);
    assert_true(history0 >= 1);

    static const char *const action[ROUNDS] = {"submit", "return", "submit", "return", "submit"};
    static const char *const after[ROUNDS] = {"submitted", "returned", "submitted", "returned",
                                              "submitted"};
    char winners[ROUNDS][32];
    int64_t v = v0;
    size_t wins = 0;
    for (int round = 0; round < ROUNDS; round++) {
        bool if_match = round < ROUNDS - 1;
        char *path = t_fmt("/api/v1/taskings/%s/%s", ref, action[round]);
        char *headers = if_match ? t_fmt("%sIf-Match: \"%lld\"\r\n",
                                         strcmp(action[round], "submit") == 0 ? spoc : gateway,
                                         (long long)v)
                                 : t_fmt("%s", spoc);
        const char *body = strcmp(action[round], "return") == 0
                               ? "{\"reason\":\"Add the victims' nationalities\"}"
                               : NULL;
        char *req = request_text(path, headers, body);
        pthread_barrier_t go;
        pthread_barrier_init(&go, NULL, PER_ROUND);
        client cl[PER_ROUND];
        for (int i = 0; i < PER_ROUND; i++) {
            cl[i] = (client){.w = w, .go = &go, .request = req, .index = i};
            assert_int_equal(pthread_create(&cl[i].th, NULL, client_run, &cl[i]), 0);
        }
        for (int i = 0; i < PER_ROUND; i++)
            pthread_join(cl[i].th, NULL);
        pthread_barrier_destroy(&go);
        int ok = 0, conflict = 0;
        for (int i = 0; i < PER_ROUND; i++) {
            if (cl[i].status == 200) {
                ok++;
                snprintf(winners[round], sizeof winners[round], "%s", cl[i].etag);
            } else if (cl[i].status == 409) {
                conflict++;
                assert_string_equal(cl[i].kind, "urn:iom:problem:conflict");
            } else {
                fprintf(stderr, "round %d (%s): unexpected status %d%s%s%s%s\n", round + 1,
                        action[round], cl[i].status, cl[i].failed ? ": " : "",
                        cl[i].failed ? cl[i].failed : "", cl[i].err ? ": " : "",
                        cl[i].err ? strerror(cl[i].err) : "");
            }
        }
        if (ok != 1 || conflict != PER_ROUND - 1)
            fprintf(stderr, "round %d (%s%s): %d won, %d conflicts\n", round + 1, action[round],
                    if_match ? ", If-Match" : "", ok, conflict);
        assert_int_equal(ok, 1);
        assert_int_equal(conflict, PER_ROUND - 1);
        wins++;
        char want[32];
        snprintf(want, sizeof want, "\"%lld\"", (long long)(v + 1));
        assert_string_equal(winners[round], want); /* one winner per version, in order */
        int64_t now = current(w, spoc, ref, st, sizeof st);
        assert_int_equal(now, v + 1);
        assert_string_equal(st, after[round]);
        v = now;
        free(req);
        free(path);
        free(headers);
    }

    /* Nothing lost, nothing doubled: one version, one history event and one audit entry per
       winning change, and the final state is the last winner's. */
    assert_int_equal(wins, ROUNDS);
    for (int i = 0; i < ROUNDS; i++)
        for (int j = i + 1; j < ROUNDS; j++)
            assert_string_not_equal(winners[i], winners[j]);
    assert_int_equal(v, v0 + ROUNDS);
    assert_string_equal(st, "submitted");
    assert_int_equal(count_audit(w, ref, NULL), audit0 + ROUNDS);
    assert_int_equal(count_audit(w, ref, "tasking.submit"), 3);
    assert_int_equal(count_audit(w, ref, "tasking.return"), 2);
    r = hw_req(w, "GET", hpath, spoc, NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(json_array_size(json_object_get(r.json, "history")), history0 + ROUNDS);
    hresp_free(&r);
    free(hpath);

    /* The audit chain verifies (over HTTP, as the auditor). */
    hw_login(w, "auditor");
    r = hw_as(w, "GET", "/api/v1/audit/verify", NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_true(json_is_true(json_object_get(r.json, "intact")));
    hresp_free(&r);
    sodium_memzero(&tc, sizeof tc);
}

/* Review 45: wrong passwords sent at once for one user name. The lockout allows 5 failures per
   window; each attempt is counted before its password is checked, so no more than 5 of them
   get a password checked (401), however many arrive together: the rest are refused as locked
   (429), and so is the right password afterwards. Before, each request thread checked a
   password before any failure was counted: 6 of 95 on SQLite, 8 on PostgreSQL. */
static void test_lockout_holds_under_concurrency(void **state)
{
    hworld *w = *state;
    enum { N = 60 };
    client cl[N];
    pthread_barrier_t go;
    pthread_barrier_init(&go, NULL, N);
    char *req = request_text("/api/v1/session", "",
                             "{\"username\":\"wy-sio\",\"password\":\"not the password at all\"}");
    for (int i = 0; i < N; i++) {
        cl[i] = (client){.w = w, .go = &go, .request = req, .index = i};
        assert_int_equal(pthread_create(&cl[i].th, NULL, client_run, &cl[i]), 0);
    }
    int checked = 0, locked = 0;
    for (int i = 0; i < N; i++) {
        pthread_join(cl[i].th, NULL);
        if (!cl[i].status)
            fail_msg("client %d: %s (errno %d)", i, cl[i].failed, cl[i].err);
        checked += cl[i].status == 401;
        locked += cl[i].status == 429;
    }
    pthread_barrier_destroy(&go);
    free(req);
    assert_int_equal(checked, 5);
    assert_int_equal(locked, N - 5);
    /* locked: the right password too */
    hresp r = hw_req(w, "POST", "/api/v1/session", NULL,
                     "{\"username\":\"wy-sio\",\"password\":\"" PASSWORD "\"}");
    assert_int_equal(r.status, 429);
    hresp_free(&r);
}

/* Review 101: a worker thread that finds 128 connections ready at once answers them at once.
   libmicrohttpd's epoll loop (0.9.75, and its master as of 2025) takes at most 128 events
   (MAX_EVENTS) per epoll_wait and, when it got that many, calls epoll_wait again, with the
   timeout it computed before the first call (the time left until the earliest connection
   timeout), before it serves any of them; with nothing more to come, that worker slept until
   the connection timeout, and then its timeout pass (which runs before the ready connections
   are served) closed every connection whose request it had not read, with the request unread:
   the clients saw their connections reset. That was the intermittent stall of
   test_200_concurrent_changes (one worker often owns most of a round's 200 connections; in 1-2%
   of runs, on PostgreSQL and on SQLite: 72 answered, 128 reset at the 120 s timeout). Here,
   deterministically: one worker thread; 129 connections open and accepted; the first request
   (a sign-in, which writes) waits for the write lock this test holds, while the other 128
   requests arrive; then the lock is let go. Every answer must come well within the server's
   connection timeout. */
enum { READY = 129, READY_TIMEOUT_S = 10 };

static int ready_connect(uint16_t port, int i)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in src = {.sin_family = AF_INET};
    src.sin_addr.s_addr = htonl(INADDR_LOOPBACK + 1 + (uint32_t)(i % 4)); /* per-address limit */
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&src, sizeof src), 0);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    struct timeval tv = {3 * READY_TIMEOUT_S, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

static uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void test_128_ready_at_once(void **state)
{
    hworld *w = *state;
    /* the same world on one worker thread, with a short connection timeout */
    http_server_stop(w->srv);
    fclose(w->log);
    w->threads = 1;
    hw_serve(w, READY_TIMEOUT_S);

    int fd[READY];
    for (int i = 0; i < READY; i++)
        fd[i] = ready_connect(w->port, i);
    hw_sleep_ms(300); /* all accepted, nothing to read yet */

    iom_error e = {0};
    assert_int_equal(w->store->ops->begin(w->store, true, &e), IOM_OK); /* the write lock */
    char *signin = request_text("/api/v1/session", "",
                                "{\"username\":\"wy-sio\",\"password\":\"" PASSWORD "\"}");
    send_all(fd[0], signin, strlen(signin));
    free(signin);
    hw_sleep_ms(300); /* the worker waits in the sign-in's write */
    static const char health[] = "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    for (int i = 1; i < READY; i++)
        send_all(fd[i], health, sizeof health - 1);
    hw_sleep_ms(300); /* all 128 ready */
    w->store->ops->rollback(w->store);

    uint64_t t0 = mono_ms();
    int answered = 0;
    for (int i = 0; i < READY; i++) {
        errno = 0;
        hresp r = read_resp(fd[i]);
        int err = errno;
        close(fd[i]);
        if (r.status == (i == 0 ? 201 : 200))
            answered++;
        else
            fprintf(stderr, "connection %d: status %d%s%s (after %.1f s)\n", i, r.status,
                    err ? ": " : "", err ? strerror(err) : "", (double)(mono_ms() - t0) / 1000);
        hresp_free(&r);
    }
    uint64_t took = mono_ms() - t0;
    if (answered != READY || took >= READY_TIMEOUT_S * 1000u / 2)
        fprintf(stderr, "%d of %d answered in %.1f s\n", answered, READY, (double)took / 1000);
    assert_int_equal(answered, READY);
    assert_true(took < READY_TIMEOUT_S * 1000u / 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_200_concurrent_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lockout_holds_under_concurrency, setup, teardown),
        cmocka_unit_test_setup_teardown(test_128_ready_at_once, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
