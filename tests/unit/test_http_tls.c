/*
 * `iom serve` over TLS (--tls-cert/--tls-key; docs/serve.md "Authentication", "Conventions").
 * No test covered TLS at all, and an API review found the sign-out's clearing cookie without
 * `Secure` under TLS (fixed in src/http/h_session.c http_cookie_clear): this test proves, over
 * real TLS connections to the in-process server on 127.0.0.1:
 *
 *  1. a throw-away self-signed certificate and key made here with GnuTLS (PEM files in the
 *     test's temporary directory: nothing committed, no openssl binary) are served;
 *  2. a GnuTLS client (no certificate verification: it is self-signed) completes the
 *     handshake with TLS 1.3 and with TLS 1.2 (the version checked after each handshake);
 *  3. the sign-in's Set-Cookie carries Secure, HttpOnly and SameSite=Strict, and the
 *     sign-out's clearing Set-Cookie (Max-Age=0) carries Secure too (the old cookie then
 *     answers 401); Strict-Transport-Security is on a 200 and on a 404;
 *  4. a client that offers only TLS 1.1, or only TLS 1.0, fails the handshake (it did not:
 *     GnuTLS's default priorities on Debian 12 allow both; the server now sets its own,
 *     TLS 1.2 and 1.3 only, src/http/server.c);
 *  5. plain HTTP sent to the TLS port gets no HTTP answer (closed or reset, nothing in clear);
 *  6. the server is still up after all that (health answers 200 over TLS).
 * Bounded: nine connections, 5 s receive and handshake timeouts, no sleeps; about 0.3 s.
 */
#include "test_http_support.h"

#include <fcntl.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

/* Of test_http_support.h: this test starts its own (TLS) server and speaks TLS itself. */
static hworld *hw_new(unsigned timeout) __attribute__((unused));
static hresp hw_req(hworld *w, const char *method, const char *path, const char *headers,
                    const char *body) __attribute__((unused));

#define TLS13 "NORMAL:-VERS-ALL:+VERS-TLS1.3"
#define TLS12 "NORMAL:-VERS-ALL:+VERS-TLS1.2"
#define TLS11 "NORMAL:-VERS-ALL:+VERS-TLS1.1"
#define TLS10 "NORMAL:-VERS-ALL:+VERS-TLS1.0"
#define TIMEOUT_S 5

#define GNUTLS_OK(call)                                                                   \
    do {                                                                                  \
        int rc_ = (call);                                                                 \
        if (rc_ < 0)                                                                      \
            fail_msg("%s: %s", #call, gnutls_strerror(rc_));                              \
    } while (0)

static void write_pem(const char *path, const gnutls_datum_t *d)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, d->data, d->size), (ssize_t)d->size);
    assert_int_equal(close(fd), 0);
}

/* A self-signed certificate for 127.0.0.1 valid for an hour, and its key (ECDSA P-256), as
   PEM files cert and key. */
static void make_certificate(const char *cert, const char *key)
{
    gnutls_x509_privkey_t k;
    gnutls_x509_crt_t c;
    GNUTLS_OK(gnutls_x509_privkey_init(&k));
    GNUTLS_OK(gnutls_x509_privkey_generate(k, GNUTLS_PK_ECDSA,
                                           GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0));
    GNUTLS_OK(gnutls_x509_crt_init(&c));
    GNUTLS_OK(gnutls_x509_crt_set_version(c, 3));
    unsigned char serial[8];
    randombytes_buf(serial, sizeof serial);
    serial[0] &= 0x7f; /* positive */
    GNUTLS_OK(gnutls_x509_crt_set_serial(c, serial, sizeof serial));
    time_t now = time(NULL);
    GNUTLS_OK(gnutls_x509_crt_set_activation_time(c, now - 60));
    GNUTLS_OK(gnutls_x509_crt_set_expiration_time(c, now + 3600));
    const char *error_at = NULL;
    GNUTLS_OK(gnutls_x509_crt_set_dn(c, "CN=127.0.0.1,O=iom test_http_tls", &error_at));
    const unsigned char ip[4] = {127, 0, 0, 1};
    GNUTLS_OK(gnutls_x509_crt_set_subject_alt_name(c, GNUTLS_SAN_IPADDRESS, ip, sizeof ip,
                                                   GNUTLS_FSAN_SET));
    GNUTLS_OK(gnutls_x509_crt_set_key(c, k));
    GNUTLS_OK(gnutls_x509_crt_set_basic_constraints(c, 0, -1));
    GNUTLS_OK(gnutls_x509_crt_set_key_usage(c, GNUTLS_KEY_DIGITAL_SIGNATURE));
    GNUTLS_OK(gnutls_x509_crt_set_key_purpose_oid(c, GNUTLS_KP_TLS_WWW_SERVER, 0));
    GNUTLS_OK(gnutls_x509_crt_sign2(c, c, k, GNUTLS_DIG_SHA256, 0));
    gnutls_datum_t d = {NULL, 0};
    GNUTLS_OK(gnutls_x509_crt_export2(c, GNUTLS_X509_FMT_PEM, &d));
    write_pem(cert, &d);
    gnutls_free(d.data);
    GNUTLS_OK(gnutls_x509_privkey_export2(k, GNUTLS_X509_FMT_PEM, &d));
    write_pem(key, &d);
    gnutls_memset(d.data, 0, d.size);
    gnutls_free(d.data);
    gnutls_x509_crt_deinit(c);
    gnutls_x509_privkey_deinit(k);
}

/* A database with an admin, and the server on 127.0.0.1:0 with a fresh certificate. */
static int setup(void **state)
{
    hworld *w = hw_open("tls.db", T0, true, "http-test");
    hw_user(w, "admin", "toex", "admin");
    char *cert = t_fmt("%s/cert.pem", w->dir);
    char *key = t_fmt("%s/key.pem", w->dir);
    make_certificate(cert, key);
    char *logp = t_fmt("%s/access.log", w->dir);
    w->log = fopen(logp, "w+");
    assert_non_null(w->log);
    free(logp);
    http_config cfg = {.db_path = w->db, .listen = "127.0.0.1:0", .threads = 2,
                       .tls_cert = cert, .tls_key = key, .conn_timeout = TIMEOUT_S,
                       .clock = hw_clock, .clock_data = w,
                       .pwhash_opslimit = crypto_pwhash_OPSLIMIT_MIN,
                       .pwhash_memlimit = crypto_pwhash_MEMLIMIT_MIN, .access_log = w->log,
                       .shutdown_grace = 1};
    iom_error e = {0};
    iom_err err = http_server_start(&cfg, &w->srv, &e);
    if (err)
        fprintf(stderr, "server: %s\n", e.msg);
    assert_int_equal(err, IOM_OK);
    free(cert);
    free(key);
    w->port = http_server_port(w->srv);
    assert_true(w->port > 0);
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    hw_free(*state);
    return 0;
}

/* ---- a TLS client ---- */

typedef struct tls_conn {
    int fd;
    gnutls_session_t s;
    gnutls_certificate_credentials_t cred;
} tls_conn;

/* Connects and runs the handshake offering only the versions of priority. Returns the
   handshake's result (0, or the GnuTLS error); on 0 the connection is open (tls_close). */
static int tls_open(hworld *w, const char *priority, tls_conn *t)
{
    t->fd = hw_try_connect(w->port, TIMEOUT_S);
    assert_true(t->fd >= 0);
    struct timeval tv = {TIMEOUT_S, 0};
    assert_int_equal(setsockopt(t->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv), 0);
    GNUTLS_OK(gnutls_certificate_allocate_credentials(&t->cred));
    GNUTLS_OK(gnutls_init(&t->s, GNUTLS_CLIENT));
    const char *error_at = NULL;
    GNUTLS_OK(gnutls_priority_set_direct(t->s, priority, &error_at));
    /* No gnutls_session_set_verify_cert: the certificate is self-signed and not checked. */
    GNUTLS_OK(gnutls_credentials_set(t->s, GNUTLS_CRD_CERTIFICATE, t->cred));
    gnutls_transport_set_int(t->s, t->fd);
    gnutls_handshake_set_timeout(t->s, TIMEOUT_S * 1000);
    int rc;
    int tries = 0;
    do /* blocking socket: GNUTLS_E_AGAIN is the receive timeout, not a retry */
        rc = gnutls_handshake(t->s);
    while (rc == GNUTLS_E_INTERRUPTED && ++tries < 10);
    return rc;
}

static void tls_close(tls_conn *t)
{
    gnutls_deinit(t->s);
    gnutls_certificate_free_credentials(t->cred);
    close(t->fd);
    memset(t, 0, sizeof *t);
}

/* One request over a new TLS connection offering only the versions of priority; asserts the
   handshake succeeded with version. The answer is read until the server closes (at most
   1 MiB), parsed as read_resp does (status 0 without a complete HTTP/1.1 answer). */
static hresp tls_req(hworld *w, const char *priority, gnutls_protocol_t version, const char *method,
                     const char *path, const char *headers, const char *body)
{
    tls_conn t;
    int rc = tls_open(w, priority, &t);
    if (rc < 0)
        fail_msg("handshake (%s): %s", priority, gnutls_strerror(rc));
    assert_int_equal(gnutls_protocol_get_version(t.s), version);
    size_t blen = body ? strlen(body) : 0;
    char *req = t_fmt("%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s%s"
                      "Content-Length: %zu\r\n\r\n%s",
                      method, path, headers ? headers : "",
                      body ? "Content-Type: application/json\r\n" : "", blen, body ? body : "");
    for (size_t off = 0, n = strlen(req); off < n;) {
        ssize_t k = gnutls_record_send(t.s, req + off, n - off);
        if (k == GNUTLS_E_INTERRUPTED)
            continue;
        if (k < 0)
            fail_msg("send: %s", gnutls_strerror((int)k));
        off += (size_t)k;
    }
    free(req);
    size_t cap = 1 << 20, len = 0;
    char *buf = malloc(cap + 1);
    assert_non_null(buf);
    for (;;) {
        ssize_t k = gnutls_record_recv(t.s, buf + len, cap - len);
        if (k == GNUTLS_E_INTERRUPTED)
            continue;
        /* 0: close_notify; GNUTLS_E_PREMATURE_TERMINATION: closed without one (both end the
           answer, Connection: close); GNUTLS_E_AGAIN: the receive timeout. */
        if (k <= 0 || (len += (size_t)k) == cap)
            break;
    }
    buf[len] = '\0';
    tls_close(&t);
    hresp r = hw_parse(buf);
    if (r.status) {
        char *cl = hw_header(&r, "Content-Length"); /* the whole answer was read */
        if (cl)
            assert_int_equal(strtoull(cl, NULL, 10), strlen(r.body));
        free(cl);
    }
    free(buf);
    return r;
}

/* Whether the Set-Cookie value sc has the attribute attr (exactly, between semicolons). */
static bool cookie_has(const char *sc, const char *attr)
{
    size_t n = strlen(attr);
    for (const char *p = strchr(sc, ';'); p; p = strchr(p + 1, ';')) {
        const char *a = p + 1;
        while (*a == ' ')
            a++;
        if (strncasecmp(a, attr, n) == 0 && (a[n] == ';' || a[n] == '\0' || a[n] == ' '))
            return true;
    }
    return false;
}

static void expect_hsts(const hresp *r)
{
    char *h = hw_header(r, "Strict-Transport-Security");
    if (!h)
        fail_msg("no Strict-Transport-Security on the %d answer:\n%s", r->status, r->head);
    assert_non_null(strstr(h, "max-age="));
    assert_true(strtoll(strstr(h, "max-age=") + 8, NULL, 10) > 0);
    free(h);
}

static void test_tls(void **state)
{
    hworld *w = *state;

    /* Sign in over TLS 1.3: the session cookie is Secure, HttpOnly, SameSite=Strict. */
    char *body = t_fmt("{\"username\":\"admin\",\"password\":\"%s\"}", PASSWORD);
    hresp r = tls_req(w, TLS13, GNUTLS_TLS1_3, "POST", "/api/v1/session", NULL, body);
    free(body);
    hw_expect(&r, 201);
    char *sc = hw_header(&r, "Set-Cookie");
    assert_non_null(sc);
    assert_true(strncmp(sc, "iom_session=", 12) == 0 && sc[12] != ';');
    if (!cookie_has(sc, "Secure") || !cookie_has(sc, "HttpOnly") || !cookie_has(sc, "SameSite=Strict"))
        fail_msg("sign-in cookie under TLS: %s", sc);
    expect_hsts(&r);
    char cookie[160], csrf[160];
    snprintf(cookie, sizeof cookie, "Cookie: %.*s\r\n", (int)strcspn(sc, ";"), sc);
    assert_non_null(jstr(&r, "csrf_token"));
    snprintf(csrf, sizeof csrf, "X-CSRF-Token: %s\r\n", jstr(&r, "csrf_token"));
    free(sc);
    hresp_free(&r);
    char *h0 = t_fmt("%s%s", cookie, csrf); /* the cookie and its CSRF token, on every request */

    /* The session works over TLS 1.2; HSTS on a 200 and on a 404. */
    r = tls_req(w, TLS12, GNUTLS_TLS1_2, "GET", "/api/v1/me", h0, NULL);
    hw_expect(&r, 200);
    assert_string_equal(jstr(&r, "auth"), "session");
    expect_hsts(&r);
    hresp_free(&r);
    r = tls_req(w, TLS12, GNUTLS_TLS1_2, "GET", "/api/v1/no-such-route", h0, NULL);
    hw_expect(&r, 404);
    expect_hsts(&r);
    hresp_free(&r);
    /* under TLS a browser's Origin is https: an http one is another origin (review 104 L5) */
    char *ho = t_fmt("%sOrigin: http://127.0.0.1\r\n", h0);
    r = tls_req(w, TLS13, GNUTLS_TLS1_3, "GET", "/api/v1/me", ho, NULL);
    hw_expect(&r, 403);
    hresp_free(&r);
    free(ho);
    ho = t_fmt("%sOrigin: https://127.0.0.1\r\n", h0);
    r = tls_req(w, TLS13, GNUTLS_TLS1_3, "GET", "/api/v1/me", ho, NULL);
    hw_expect(&r, 200);
    hresp_free(&r);
    free(ho);

    /* Sign out: the clearing cookie (Max-Age=0) is Secure too (it was not); the session ends. */
    char *h = t_fmt("%s%s", cookie, csrf);
    r = tls_req(w, TLS13, GNUTLS_TLS1_3, "DELETE", "/api/v1/session", h, NULL);
    free(h);
    hw_expect(&r, 200);
    assert_true(json_is_true(json_object_get(r.json, "signed_out")));
    sc = hw_header(&r, "Set-Cookie");
    assert_non_null(sc);
    assert_true(strncmp(sc, "iom_session=;", 13) == 0);
    if (!cookie_has(sc, "Max-Age=0") || !cookie_has(sc, "Secure") || !cookie_has(sc, "HttpOnly") ||
        !cookie_has(sc, "SameSite=Strict"))
        fail_msg("sign-out cookie under TLS: %s", sc);
    free(sc);
    expect_hsts(&r);
    hresp_free(&r);
    r = tls_req(w, TLS13, GNUTLS_TLS1_3, "GET", "/api/v1/me", h0, NULL);
    hw_expect_problem(&r, 401, NULL);
    free(h0);

    /* Only TLS 1.1, or only TLS 1.0, offered: the server refuses the handshake (an alert, or
       the connection closed or reset; not a failure of the client's own making). */
    const char *old[] = {TLS11, TLS10};
    for (size_t i = 0; i < sizeof old / sizeof *old; i++) {
        tls_conn t;
        int rc = tls_open(w, old[i], &t);
        const char *got = rc == 0 ? gnutls_protocol_get_name(gnutls_protocol_get_version(t.s)) : NULL;
        gnutls_alert_description_t alert = gnutls_alert_get(t.s);
        tls_close(&t);
        if (rc == 0)
            fail_msg("the server completed a handshake offering only %s (%s)", old[i], got);
        if (rc != GNUTLS_E_FATAL_ALERT_RECEIVED && rc != GNUTLS_E_PREMATURE_TERMINATION &&
            rc != GNUTLS_E_PULL_ERROR && rc != GNUTLS_E_PUSH_ERROR &&
            rc != GNUTLS_E_UNSUPPORTED_VERSION_PACKET)
            fail_msg("%s: %s (the client's own failure, not the server's refusal)", old[i],
                     gnutls_strerror(rc));
        if (rc == GNUTLS_E_FATAL_ALERT_RECEIVED)
            fprintf(stderr, "%s: refused (alert %s)\n", old[i], gnutls_alert_get_name(alert));
        else
            fprintf(stderr, "%s: refused (%s)\n", old[i], gnutls_strerror(rc));
    }

    /* Plain HTTP to the TLS port: closed or reset without an answer in clear. */
    int fd = hw_try_connect(w->port, TIMEOUT_S);
    assert_true(fd >= 0);
    const char plain[] = "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    send_all(fd, plain, sizeof plain - 1);
    char got[4096];
    size_t len = 0;
    ssize_t k;
    while ((k = recv(fd, got + len, sizeof got - 1 - len, 0)) > 0 && (len += (size_t)k) < sizeof got - 1)
        ;
    int end_errno = k < 0 ? errno : 0;
    close(fd);
    got[len] = '\0';
    if (k > 0 || (k < 0 && end_errno != ECONNRESET))
        fail_msg("plain HTTP: the connection was not closed (%s)", k < 0 ? strerror(end_errno) : "more data");
    for (size_t i = 0; i + 5 <= len; i++)
        if (memcmp(got + i, "HTTP/", 5) == 0)
            fail_msg("plain HTTP answered in clear: %s", got);
    fprintf(stderr, "plain: %zu bytes, %s\n", len, k < 0 ? strerror(end_errno) : "closed");

    /* Still up. */
    r = tls_req(w, TLS13, GNUTLS_TLS1_3, "GET", "/api/health", NULL, NULL);
    hw_expect(&r, 200);
    expect_hsts(&r);
    hresp_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_tls, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
