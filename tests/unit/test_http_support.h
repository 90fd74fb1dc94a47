/*
 * test_http_support.h: shared by the tests/unit/test_http_*.c programs. A database built
 * through the use-cases (users with passwords, Argon2id at its minimum cost), the server
 * started in-process on 127.0.0.1 with port 0 (any free port, read back), an injected clock,
 * and a small HTTP/1.1 client over a socket (Connection: close, bounded reads).
 */
#ifndef IOM_TEST_HTTP_SUPPORT_H
#define IOM_TEST_HTTP_SUPPORT_H

#include "testutil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <sodium.h>

#include "app/agency.h"
#include "app/app.h"
#include "app/audit.h"
#include "app/tasking.h"
#include "app/threat.h"
#include "app/user.h"
#include "http/http.h"
#include "store/store.h"

#define T0 1780304400 /* 2026-06-01T09:00:00Z */
#define PASSWORD "correct horse battery staple"

typedef struct hworld {
    char *dir;
    char *db;
    iom_store *store;
    iom_arena arena;
    iom_ctx c;
    _Atomic int64_t now;
    http_server *srv;
    uint16_t port;
    FILE *log;
    char *threat;               /* a west-yorkshire threat */
    char cookie[128];           /* last session signed in by hw_login */
    char csrf[128];
    size_t bodies_limit;        /* passed to the server by hw_start (0 = its default) */
    unsigned body_rate_window_ms; /* likewise */
    size_t body_limit;          /* likewise */
    size_t read_queue_max;      /* likewise */
    unsigned threads;           /* likewise (0 = 4) */
    const char *const *trusted_proxies; /* likewise */
} hworld;

static int64_t hw_clock(void *data) { return atomic_load(&((hworld *)data)->now); }

static void hw_ok(hworld *w, iom_err err)
{
    if (err)
        fprintf(stderr, "unexpected failure: %s\n", w->c.err.msg);
    assert_int_equal(err, IOM_OK);
}

static void hw_user(hworld *w, const char *name, const char *agency, const char *role)
{
    app_user_input in = {.name = name, .agency = agency, .roles = {role}, .nroles = 1,
                         .clearance = "OFFICIAL-SENSITIVE", .password = PASSWORD,
                         .own_password = true}; /* as if each had set their own */
    iom_user_t u;
    w->c.actor_name = strcmp(name, "admin") == 0 ? NULL : "admin";
    hw_ok(w, app_user_add(&w->c, &in, &u));
}

static void hw_start(hworld *w, unsigned timeout)
{
    http_config cfg = {.db_path = w->db, .listen = "127.0.0.1:0", .threads = w->threads ? w->threads : 4,
                       .conn_timeout = timeout, .clock = hw_clock, .clock_data = w,
                       .pwhash_opslimit = crypto_pwhash_OPSLIMIT_MIN,
                       .pwhash_memlimit = crypto_pwhash_MEMLIMIT_MIN, .access_log = w->log,
                       .shutdown_grace = 1, .bodies_limit = w->bodies_limit,
                       .body_rate_window_ms = w->body_rate_window_ms, .body_limit = w->body_limit,
                       .read_queue_max = w->read_queue_max, .trusted_proxies = w->trusted_proxies};
    iom_error e = {0};
    iom_err err = http_server_start(&cfg, &w->srv, &e);
    if (err)
        fprintf(stderr, "server: %s\n", e.msg);
    assert_int_equal(err, IOM_OK);
    w->port = http_server_port(w->srv);
    assert_true(w->port > 0);
}

/* A world with its store created and migrated, the reference data loaded and an audit key,
   no users and no server yet: the database db_name in a fresh temporary directory, the
   injected clock at now. app_clock: the use-cases read the injected clock too (false: they
   read the real clock; the server reads the injected one either way). */
static hworld *hw_open(const char *db_name, int64_t now, bool app_clock, const char *os_user)
{
    signal(SIGPIPE, SIG_IGN);
    hworld *w = calloc(1, sizeof *w);
    w->dir = t_tmpdir();
    w->db = t_fmt("%s/%s", w->dir, db_name);
    iom_error e = {0};
    assert_int_equal(iom_store_open(w->db, IOM_STORE_CREATE | IOM_STORE_ANY_SCHEMA, &w->store, &e), IOM_OK);
    iom_arena_init(&w->arena);
    app_ctx_init(&w->c, w->store, &w->arena);
    atomic_store(&w->now, now);
    if (app_clock) {
        w->c.clock = hw_clock;
        w->c.clock_data = w;
    }
    w->c.os_user = os_user;
    w->c.pwhash_opslimit = crypto_pwhash_OPSLIMIT_MIN;
    w->c.pwhash_memlimit = crypto_pwhash_MEMLIMIT_MIN;
    char *key = t_fmt("%s.key", w->db);
    assert_int_equal(audit_key_create(key, w->c.audit_key, &e), IOM_OK);
    free(key);
    w->c.has_audit_key = true;
    int from, to;
    assert_int_equal(w->store->ops->migrate(w->store, &from, &to, &e), IOM_OK);
    hw_ok(w, app_init_reference(&w->c));
    return w;
}

/* Opens the access log (access.log beside the database) and starts the server. */
static void hw_serve(hworld *w, unsigned timeout)
{
    char *logp = t_fmt("%s/access.log", w->dir);
    w->log = fopen(logp, "w+");
    free(logp);
    hw_start(w, timeout);
}

__attribute__((unused)) static hworld *hw_new(unsigned timeout)
{
    hworld *w = hw_open("http.db", T0, true, "http-test");
    hw_user(w, "admin", "toex", "admin");
    hw_user(w, "auditor", "nca", "auditor");
    hw_user(w, "wy-spoc", "west-yorkshire", "spoc");
    hw_user(w, "wy-sio", "west-yorkshire", "sio");
    hw_user(w, "yh-gateway", "yhrocu", "gateway");
    hw_user(w, "toex-manager", "toex", "toex_manager");
    hw_user(w, "toex-sia", "toex", "sia");
    hw_user(w, "met-spoc", "met", "spoc");
    app_threat_input ti = {"Car wash network", "labour", "west-yorkshire", "wy-sio", "WY-FTM-1", NULL};
    iom_threat_t th;
    w->c.actor_name = "wy-spoc";
    hw_ok(w, app_threat_add(&w->c, &ti, &th));
    w->threat = strdup(th.ref);
    hw_serve(w, timeout);
    return w;
}

/* Frees a world of hw_open without an in-process server (its store if open, its directory);
   also what hw_free does after stopping the server. */
__attribute__((unused)) static void hw_close_world(hworld *w)
{
    if (!w)
        return;
    if (w->store)
        iom_store_close(w->store);
    iom_arena_free(&w->arena);
    t_tmpdir_free(w->dir);
    free(w->db);
    free(w->threat);
    free(w);
}

__attribute__((unused)) static void hw_free(hworld *w)
{
    http_server_stop(w->srv);
    fclose(w->log);
    hw_close_world(w);
}

/* ---- the client ---- */

typedef struct hresp {
    int status;        /* 0 when the server closed without an answer */
    char *head;        /* status line and headers */
    char *body;
    json_t *json;      /* body parsed, or NULL */
} hresp;

static void hresp_free(hresp *r)
{
    free(r->head);
    free(r->body);
    json_decref(r->json);
    memset(r, 0, sizeof *r);
}

/* A connection to the server with a receive timeout, or -1 (no assertion: usable from
   threads of the test's own). */
static int hw_try_connect(uint16_t port, int timeout_s)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    struct timeval tv = {timeout_s, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

static int hw_connect(hworld *w)
{
    int fd = hw_try_connect(w->port, 10);
    assert_true(fd >= 0);
    return fd;
}

static void send_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
        if (k <= 0)
            return; /* the server may close early (413, 431): read what it said */
        p += k;
        n -= (size_t)k;
    }
}

/* The answer in buf (NUL-terminated; its head is cut at the blank line): status, head, body
   and the body parsed as JSON (NULL when it is not); status 0 when buf holds no HTTP answer. */
static hresp hw_parse(char *buf)
{
    hresp r = {0};
    char *sep = strstr(buf, "\r\n\r\n");
    if (strncmp(buf, "HTTP/1.1 ", 9) == 0 && sep) {
        r.status = atoi(buf + 9);
        *sep = '\0';
        r.head = strdup(buf);
        r.body = strdup(sep + 4);
        r.json = json_loads(r.body, 0, NULL);
    }
    return r;
}

/* Reads until the server closes (at most 4 MiB). */
static hresp read_resp(int fd)
{
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap + 1);
    for (;;) {
        if (len == cap) {
            if (cap >= (4u << 20))
                break;
            cap *= 2;
            buf = realloc(buf, cap + 1);
        }
        ssize_t k = recv(fd, buf + len, cap - len, 0);
        if (k <= 0)
            break;
        len += (size_t)k;
    }
    buf[len] = '\0';
    hresp r = hw_parse(buf);
    free(buf);
    return r;
}

/* For the tests that start `iom serve` processes of their own (test_crash_reads,
   test_multi_server, test_pg_backend_kill). */
__attribute__((unused)) static void hw_sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* A loopback port free at the moment of asking. */
__attribute__((unused)) static int hw_free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    int port = ntohs(a.sin_port);
    close(fd);
    return port;
}

/* One request to a loopback port on its own connection, waiting at most timeout_s for the
   answer (no cmocka asserts: usable from threads); status 0 when there was no answer. */
__attribute__((unused)) static hresp hw_port_req(int port, int timeout_s, const char *method, const char *path,
                                                 const char *headers, const char *body)
{
    hresp r = {0};
    int fd = hw_try_connect((uint16_t)port, timeout_s);
    if (fd < 0)
        return r;
    size_t blen = body ? strlen(body) : 0;
    char *text = t_fmt("%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s%s"
                       "Content-Length: %zu\r\n\r\n%s",
                       method, path, headers ? headers : "",
                       body ? "Content-Type: application/json\r\n" : "", blen, body ? body : "");
    send_all(fd, text, strlen(text));
    free(text);
    r = read_resp(fd);
    close(fd);
    return r;
}

static hresp hw_raw(hworld *w, const char *raw, size_t n)
{
    int fd = hw_connect(w);
    send_all(fd, raw, n);
    hresp r = read_resp(fd);
    close(fd);
    return r;
}

/* One request. headers: extra lines, each ending in \r\n (may be NULL). */
static hresp hw_req(hworld *w, const char *method, const char *path, const char *headers,
                    const char *body)
{
    size_t blen = body ? strlen(body) : 0;
    char *req = t_fmt("%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s%s"
                      "Content-Length: %zu\r\n\r\n",
                      method, path, headers ? headers : "",
                      body ? "Content-Type: application/json\r\n" : "", blen);
    size_t hl = strlen(req);
    req = realloc(req, hl + blen + 1);
    if (blen)
        memcpy(req + hl, body, blen);
    hresp r = hw_raw(w, req, hl + blen);
    free(req);
    return r;
}

/* The value of a response header (first match, case-insensitive), malloc'd, or NULL. */
static char *hw_header(const hresp *r, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = r->head ? strstr(r->head, "\r\n") : NULL; p; p = strstr(p + 2, "\r\n")) {
        const char *line = p + 2;
        if (strncasecmp(line, name, n) == 0 && line[n] == ':') {
            const char *v = line + n + 1;
            while (*v == ' ')
                v++;
            const char *end = strstr(v, "\r\n");
            return strndup(v, end ? (size_t)(end - v) : strlen(v));
        }
    }
    return NULL;
}

/* Signs in; fills w->cookie ("Cookie: iom_session=...\r\n") and w->csrf ("X-CSRF-Token: ...\r\n"). */
__attribute__((unused)) static void hw_login(hworld *w, const char *user)
{
    char *body = t_fmt("{\"username\":\"%s\",\"password\":\"%s\"}", user, PASSWORD);
    hresp r = hw_req(w, "POST", "/api/v1/session", NULL, body);
    free(body);
    if (r.status != 201)
        fprintf(stderr, "login %s: %d %s\n", user, r.status, r.body ? r.body : "");
    assert_int_equal(r.status, 201);
    char *sc = hw_header(&r, "Set-Cookie");
    assert_non_null(sc);
    size_t n = strcspn(sc, ";");
    snprintf(w->cookie, sizeof w->cookie, "Cookie: %.*s\r\n", (int)n, sc);
    snprintf(w->csrf, sizeof w->csrf, "X-CSRF-Token: %s\r\n",
             json_string_value(json_object_get(r.json, "csrf_token")));
    free(sc);
    hresp_free(&r);
}

/* A request with the session cookie and the CSRF token (every request signed in with the
   cookie carries it, reads too). */
__attribute__((unused)) static hresp hw_as(hworld *w, const char *method, const char *path, const char *extra,
                   const char *body)
{
    char *h = t_fmt("%s%s%s", w->cookie, w->csrf, extra ? extra : "");
    hresp r = hw_req(w, method, path, h, body);
    free(h);
    return r;
}

static const char *jstr(const hresp *r, const char *key)
{
    return json_string_value(json_object_get(r->json, key));
}

/* Asserts r's status (printing the body when it differs). */
__attribute__((unused)) static void hw_expect(hresp *r, int status)
{
    if (r->status != status)
        fprintf(stderr, "expected %d, got %d: %s\n", status, r->status, r->body ? r->body : "");
    assert_int_equal(r->status, status);
}

/* Asserts an RFC 9457 problem with this status (type and title present, the detail containing
   detail_part when given), then frees r. */
__attribute__((unused)) static void hw_expect_problem(hresp *r, int status, const char *detail_part)
{
    hw_expect(r, status);
    char *ct = hw_header(r, "Content-Type");
    assert_string_equal(ct, "application/problem+json");
    free(ct);
    assert_int_equal(json_integer_value(json_object_get(r->json, "status")), status);
    assert_non_null(jstr(r, "type"));
    assert_non_null(jstr(r, "title"));
    if (detail_part && !strstr(jstr(r, "detail"), detail_part)) {
        fprintf(stderr, "detail '%s' lacks '%s'\n", jstr(r, "detail"), detail_part);
        fail();
    }
    hresp_free(r);
}

#endif
