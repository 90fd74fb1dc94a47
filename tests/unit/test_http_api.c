/*
 * Issue 5: black-box tests of `iom serve` over a socket: health and security headers,
 * sign-in (cookie flags, failures, lockout per user and per address), 401 and CSRF,
 * session expiry, disabled users and API tokens, one tasking walked draft -> accepted by
 * the right users, every error class, the OpenAPI document against the route table both
 * ways, and the access log (no secrets in it).
 */
#include "test_http_support.h"

#include "app/auth.h"
#include "app/settings.h"
#include "http/internal.h"

static int setup(void **state)
{
    *state = hw_new(5);
    return 0;
}

static int teardown(void **state)
{
    hw_free(*state);
    return 0;
}

static void test_health_and_headers(void **state)
{
    hworld *w = *state;
    hresp r = hw_req(w, "GET", "/api/health", NULL, NULL);
    hw_expect(&r, 200);
    assert_string_equal(jstr(&r, "status"), "ok");
    assert_int_equal(json_object_size(r.json), 1);
    static const char *const want[][2] = {
        {"Content-Security-Policy", "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'"},
        {"X-Content-Type-Options", "nosniff"},
        {"Referrer-Policy", "no-referrer"},
        {"Cache-Control", "no-store"},
        {"Cross-Origin-Opener-Policy", "same-origin"},
        {"Cross-Origin-Resource-Policy", "same-origin"},
        {"Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"},
        {"Content-Type", "application/json"}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        char *v = hw_header(&r, want[i][0]);
        assert_non_null(v);
        assert_string_equal(v, want[i][1]);
        free(v);
    }
    char *id = hw_header(&r, "X-Request-Id");
    assert_int_equal(strlen(id), 16);
    free(id);
    hresp_free(&r);
    r = hw_req(w, "GET", "/api/ready", NULL, NULL);
    hw_expect(&r, 200);
    hresp_free(&r);
    /* The web UI's files are kept by the browser and asked again (review 109 M8): a strong
       ETag of their bytes, Cache-Control no-cache; the same ETag back is 304 without the bytes,
       another is the file; the security headers are on both. The API's answers stay no-store. */
    r = hw_req(w, "GET", "/", NULL, NULL);
    hw_expect(&r, 200);
    char *tag = hw_header(&r, "ETag"), *cc = hw_header(&r, "Cache-Control");
    assert_non_null(tag);
    assert_true(strncmp(tag, "\"w-", 3) == 0 && strlen(tag) == 36);
    assert_string_equal(cc, "no-cache");
    assert_true(r.body && strlen(r.body) > 100);
    free(cc);
    hresp_free(&r);
    char *inm = t_fmt("If-None-Match: %s\r\n", tag);
    r = hw_req(w, "GET", "/", inm, NULL);
    hw_expect(&r, 304);
    assert_true(!r.body || !*r.body);
    char *tag2 = hw_header(&r, "ETag"), *csp0 = hw_header(&r, "Content-Security-Policy");
    assert_string_equal(tag2, tag);
    assert_non_null(csp0);
    free(tag2);
    free(csp0);
    hresp_free(&r);
    r = hw_req(w, "GET", "/", "If-None-Match: \"w-00000000000000000000000000000000\"\r\n", NULL);
    hw_expect(&r, 200);
    assert_true(r.body && strlen(r.body) > 100);
    hresp_free(&r);
    free(inm);
    free(tag);
    /* the OpenAPI document likewise (made once per binary) */
    r = hw_req(w, "GET", "/api/openapi.json", NULL, NULL);
    hw_expect(&r, 200);
    assert_non_null(json_object_get(r.json, "paths"));
    tag = hw_header(&r, "ETag");
    cc = hw_header(&r, "Cache-Control");
    assert_true(tag && strncmp(tag, "\"o-", 3) == 0);
    assert_string_equal(cc, "no-cache");
    free(cc);
    hresp_free(&r);
    inm = t_fmt("If-None-Match: %s\r\n", tag);
    r = hw_req(w, "GET", "/api/openapi.json", inm, NULL);
    hw_expect(&r, 304);
    hresp_free(&r);
    free(inm);
    free(tag);
    /* Errors carry the headers too. */
    r = hw_req(w, "GET", "/nowhere", NULL, NULL);
    char *csp = hw_header(&r, "Content-Security-Policy");
    assert_non_null(csp);
    free(csp);
    hw_expect_problem(&r, 404, NULL);
}

static void test_login(void **state)
{
    hworld *w = *state;
    hresp r = hw_req(w, "POST", "/api/v1/session", NULL,
                     "{\"username\":\"wy-spoc\",\"password\":\"" PASSWORD "\"}");
    hw_expect(&r, 201);
    char *sc = hw_header(&r, "Set-Cookie");
    assert_non_null(strstr(sc, "iom_session="));
    assert_non_null(strstr(sc, "; HttpOnly"));
    assert_non_null(strstr(sc, "; SameSite=Strict"));
    assert_non_null(strstr(sc, "; Path=/"));
    assert_null(strstr(sc, "Secure")); /* plain HTTP in the test */
    /* 256 bits in base64url: 43 characters */
    assert_int_equal(strcspn(sc + strlen("iom_session="), ";"), 43);
    free(sc);
    assert_int_equal(strlen(jstr(&r, "csrf_token")), 43);
    json_t *u = json_object_get(r.json, "user");
    assert_string_equal(json_string_value(json_object_get(u, "name")), "wy-spoc");
    assert_null(json_object_get(u, "pw_hash"));
    hresp_free(&r);

    hw_login(w, "wy-spoc");
    r = hw_as(w, "GET", "/api/v1/me", NULL, NULL);
    hw_expect(&r, 200);
    assert_string_equal(json_string_value(json_object_get(json_object_get(r.json, "user"), "name")), "wy-spoc");
    assert_string_equal(jstr(&r, "auth"), "session");
    hresp_free(&r);

    /* A wrong password and an unknown user answer the same. */
    r = hw_req(w, "POST", "/api/v1/session", NULL, "{\"username\":\"wy-spoc\",\"password\":\"wrong password!\"}");
    hw_expect(&r, 401);
    char *d1 = strdup(jstr(&r, "detail"));
    hresp_free(&r);
    r = hw_req(w, "POST", "/api/v1/session", NULL, "{\"username\":\"nobody\",\"password\":\"wrong password!\"}");
    hw_expect(&r, 401);
    assert_string_equal(d1, jstr(&r, "detail"));
    free(d1);
    hresp_free(&r);

    /* Sign-out ends the session (with the CSRF token). */
    r = hw_as(w, "DELETE", "/api/v1/session", NULL, NULL);
    hw_expect(&r, 200);
    hresp_free(&r);
    r = hw_as(w, "GET", "/api/v1/me", NULL, NULL);
    hw_expect_problem(&r, 401, NULL);
}

static void test_lockout(void **state)
{
    hworld *w = *state;
    /* Five failures lock the user name, even against the right password. */
    for (int i = 0; i < 5; i++) {
        hresp r = hw_req(w, "POST", "/api/v1/session", NULL, "{\"username\":\"wy-sio\",\"password\":\"guess guess guess\"}");
        hw_expect(&r, 401);
        hresp_free(&r);
    }
    hresp r = hw_req(w, "POST", "/api/v1/session", NULL,
                     "{\"username\":\"wy-sio\",\"password\":\"" PASSWORD "\"}");
    hw_expect(&r, 429);
    char *ra = hw_header(&r, "Retry-After");
    assert_non_null(ra);
    assert_true(atoi(ra) > 0 && atoi(ra) <= 900);
    free(ra);
    hresp_free(&r);
    /* Others still sign in; after the lockout the user does too. */
    hw_login(w, "wy-spoc");
    atomic_fetch_add(&w->now, 901);
    hw_login(w, "wy-sio");

    /* Twenty failures from one address lock the address, whatever the names. */
    for (int i = 0; i < 20; i++) {
        char *b = t_fmt("{\"username\":\"ghost-%d\",\"password\":\"guess guess guess\"}", i);
        r = hw_req(w, "POST", "/api/v1/session", NULL, b);
        free(b);
        hw_expect(&r, 401);
        hresp_free(&r);
    }
    r = hw_req(w, "POST", "/api/v1/session", NULL, "{\"username\":\"admin\",\"password\":\"" PASSWORD "\"}");
    hw_expect_problem(&r, 429, "try again");
    atomic_fetch_add(&w->now, 901);
    hw_login(w, "admin");
}

static void test_unauthenticated(void **state)
{
    hworld *w = *state;
    hresp r = hw_req(w, "GET", "/api/v1/taskings", NULL, NULL);
    char *wa = hw_header(&r, "WWW-Authenticate");
    assert_non_null(wa);
    free(wa);
    hw_expect_problem(&r, 401, NULL);
    /* a cookie without its CSRF token: 403 before any look-up, whether the session lives or
       not (no oracle, and the session's last use is not moved: review 46) */
    r = hw_req(w, "GET", "/api/v1/me", "Cookie: iom_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n", NULL);
    hw_expect_problem(&r, 403, "X-CSRF-Token");
    r = hw_req(w, "GET", "/api/v1/me",
               "Cookie: iom_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n"
               "X-CSRF-Token: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n", NULL);
    hw_expect_problem(&r, 401, NULL);
    r = hw_req(w, "GET", "/api/v1/me", "Authorization: Bearer iomt_nonsense\r\n", NULL);
    hw_expect_problem(&r, 401, NULL);
    r = hw_req(w, "GET", "/api/v1/me", "Authorization: Basic YWRtaW46YWRtaW4=\r\n", NULL);
    hw_expect_problem(&r, 401, "Bearer");
    r = hw_req(w, "POST", "/api/v1/threats", NULL, "{}");
    hw_expect_problem(&r, 401, NULL);
    /* a body is read only from a caller who is signed in (review 62: 257 anonymous 1 MiB
       bodies filled the server's body budget, and every sign-in and write was 503 busy):
       only the headers are sent, and the answer comes without the body; a chunked one too */
    const char *heads[] = {"Content-Length: 1000000\r\n", "Transfer-Encoding: chunked\r\n"};
    for (int k = 0; k < 2; k++) {
        char *raw = t_fmt("POST /api/v1/threats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                          "Content-Type: application/json\r\n%s\r\n%s",
                          heads[k], k ? "" : "{\"title\":\"");
        r = hw_raw(w, raw, strlen(raw));
        free(raw);
        hw_expect_problem(&r, 401, NULL);
    }
    /* an unknown path: 404 at once, the body unread */
    const char *raw404 = "POST /api/v1/nothing-here HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                         "Content-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{";
    r = hw_raw(w, raw404, strlen(raw404));
    hw_expect_problem(&r, 404, NULL);
    /* the sign-in, which anyone may call, takes a small body: 413 before it is read */
    char *rawin = t_fmt("POST /api/v1/session HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                        "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n{\"name\":\"",
                        16385);
    r = hw_raw(w, rawin, strlen(rawin));
    free(rawin);
    hw_expect_problem(&r, 413, "16384 bytes");
}

static const char threat_body[] =
    "{\"title\":\"Nail bar network\",\"type\":\"labour\",\"owner\":\"west-yorkshire\","
    "\"sio\":\"wy-sio\",\"force_tasking_ref\":\"WY-FTM-9\"}";

static void test_csrf(void **state)
{
    hworld *w = *state;
    hw_login(w, "wy-spoc");
    char *fp = t_db_fingerprint(w->db);
    hresp r = hw_req(w, "POST", "/api/v1/threats", w->cookie, threat_body);
    hw_expect_problem(&r, 403, "X-CSRF-Token");
    char *h = t_fmt("%sX-CSRF-Token: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n", w->cookie);
    r = hw_req(w, "POST", "/api/v1/threats", h, threat_body);
    free(h);
    hw_expect_problem(&r, 403, NULL);
    r = hw_req(w, "DELETE", "/api/v1/session", w->cookie, NULL);
    hw_expect_problem(&r, 403, NULL);
    char *fp2 = t_db_fingerprint(w->db);
    assert_string_equal(fp, fp2);
    free(fp);
    free(fp2);
    r = hw_as(w, "POST", "/api/v1/threats", NULL, threat_body);
    hw_expect(&r, 201);
    char *etag = hw_header(&r, "ETag");
    assert_string_equal(etag, "\"1\"");
    free(etag);
    hresp_free(&r);

    /* A Bearer token needs no CSRF token: no browser sends it by itself. */
    app_token_created tc;
    w->c.actor_name = "wy-sio";
    hw_ok(w, app_token_create(&w->c, NULL, 0, &tc));
    char *auth = t_fmt("Authorization: Bearer %s\r\n", tc.token);
    r = hw_req(w, "GET", "/api/v1/me", auth, NULL);
    hw_expect(&r, 200);
    assert_string_equal(jstr(&r, "auth"), "token");
    hresp_free(&r);
    r = hw_req(w, "POST", "/api/v1/threats", auth,
               "{\"title\":\"Second\",\"type\":\"labour\",\"owner\":\"west-yorkshire\","
               "\"sio\":\"wy-sio\",\"force_tasking_ref\":\"WY-FTM-10\"}");
    hw_expect(&r, 201);
    hresp_free(&r);
    /* Revoked: stops at once. */
    iom_api_token_t t;
    hw_ok(w, app_token_revoke(&w->c, tc.t.ref, &t));
    r = hw_req(w, "GET", "/api/v1/me", auth, NULL);
    hw_expect_problem(&r, 401, NULL);
    free(auth);
}

static void test_expiry_and_disabled(void **state)
{
    hworld *w = *state;
    hw_login(w, "wy-spoc");
    atomic_fetch_add(&w->now, 29 * 60);
    hresp r = hw_as(w, "GET", "/api/v1/me", NULL, NULL);
    hw_expect(&r, 200); /* activity renews the idle period */
    hresp_free(&r);
    atomic_fetch_add(&w->now, 29 * 60);
    r = hw_as(w, "GET", "/api/v1/me", NULL, NULL);
    hw_expect(&r, 200);
    hresp_free(&r);
    atomic_fetch_add(&w->now, 31 * 60);
    r = hw_as(w, "GET", "/api/v1/me", NULL, NULL);
    hw_expect_problem(&r, 401, "expired");

    /* Absolute expiry: active every 20 minutes, refused after 12 hours. */
    hw_login(w, "wy-spoc");
    for (int i = 0; i < 36; i++) {
        atomic_fetch_add(&w->now, 20 * 60);
        r = hw_as(w, "GET", "/api/v1/me", NULL, NULL);
        if (i < 35)
            hw_expect(&r, 200), hresp_free(&r);
        else
            hw_expect_problem(&r, 401, "expired");
    }

    /* A disabled user's session and token stop at once. */
    hw_login(w, "wy-spoc");
    app_token_created tc;
    w->c.actor_name = "wy-spoc";
    hw_ok(w, app_token_create(&w->c, NULL, 5, &tc));
    char *auth = t_fmt("Authorization: Bearer %s\r\n", tc.token);
    iom_user_t u;
    w->c.actor_name = "admin";
    hw_ok(w, app_user_disable(&w->c, "wy-spoc", NULL, &u));
    r = hw_as(w, "GET", "/api/v1/me", NULL, NULL);
    hw_expect_problem(&r, 401, "disabled");
    r = hw_req(w, "GET", "/api/v1/me", auth, NULL);
    hw_expect_problem(&r, 401, "disabled");
    free(auth);
}

/* Review 97 M3: a session that has ended stays ended when the idle limit is raised later, with
   or without a request in between, and the 401 clears the browser's cookie. */
static void test_ended_session_stays_ended(void **state)
{
    hworld *w = *state;
    for (int asked = 0; asked < 2; asked++) {
        iom_setting_t st;
        w->c.actor_name = "admin";
        if (asked) /* the default again */
            hw_ok(w, app_settings_set(&w->c, "auth.session", "{\"idle_minutes\":30,\"absolute_hours\":12}",
                                      "back to 30 minutes", 0, &st));
        hw_login(w, "wy-spoc");
        hresp r = hw_as(w, "GET", "/api/v1/me", NULL, NULL);
        hw_expect(&r, 200);
        hresp_free(&r);
        atomic_fetch_add(&w->now, 31 * 60);
        if (asked) { /* refused, and the cookie cleared */
            r = hw_as(w, "GET", "/api/v1/me", NULL, NULL);
            char *sc = hw_header(&r, "Set-Cookie"); /* before hw_expect_problem frees r */
            hw_expect_problem(&r, 401, "expired");
            assert_non_null(sc);
            assert_non_null(strstr(sc, "iom_session=;"));
            assert_non_null(strstr(sc, "Max-Age=0"));
            free(sc);
        }
        w->c.actor_name = "admin";
        hw_ok(w, app_settings_set(&w->c, "auth.session", "{\"idle_minutes\":60,\"absolute_hours\":12}",
                                  "longer sessions", 0, &st));
        r = hw_as(w, "GET", "/api/v1/me", NULL, NULL);
        hw_expect_problem(&r, 401, NULL);
        /* a session opened now has the new limit */
        hw_login(w, "wy-spoc");
        atomic_fetch_add(&w->now, 45 * 60);
        r = hw_as(w, "GET", "/api/v1/me", NULL, NULL);
        hw_expect(&r, 200);
        hresp_free(&r);
    }
}

static const char bid_body[] =
    "{\"threat\":\"%s\",\"ftm_date\":\"2026-05-28\",\"ftm_ref\":\"WY-FTM-1\","
    "\"summary\":\"Hand car washes run by one family\",\"requirements\":[\"Who controls it?\"],"
    "\"services\":[\"intel_development\"],\"assessment\":" T_ASSESSMENT "}";

static char *act(hworld *w, const char *user, const char *ref, const char *action,
                 const char *body, int status, const char *state)
{
    hw_login(w, user);
    char *path = t_fmt("/api/v1/taskings/%s/%s", ref, action);
    hresp r = hw_as(w, "POST", path, NULL, body);
    free(path);
    hw_expect(&r, status);
    char *etag = hw_header(&r, "ETag");
    if (state) {
        assert_string_equal(jstr(&r, "state"), state);
        assert_non_null(etag);
    }
    hresp_free(&r);
    return etag;
}

static void test_lifecycle(void **state)
{
    hworld *w = *state;
    hw_login(w, "wy-spoc");
    char *body = t_fmt(bid_body, w->threat);
    hresp r = hw_as(w, "POST", "/api/v1/taskings", NULL, body);
    free(body);
    hw_expect(&r, 201);
    assert_string_equal(jstr(&r, "state"), "draft");
    char *ref = strdup(jstr(&r, "ref"));
    char *etag = hw_header(&r, "ETag");
    assert_string_equal(etag, "\"1\"");
    free(etag);
    hresp_free(&r);

    /* Stale If-Match: 409, nothing changes. */
    char *submit = t_fmt("/api/v1/taskings/%s/submit", ref);
    r = hw_as(w, "POST", submit, "If-Match: \"7\"\r\n", NULL);
    hw_expect_problem(&r, 409, NULL);
    /* a weak ETag names no version: said so (review 49) */
    r = hw_as(w, "POST", submit, "If-Match: W/\"1\"\r\n", NULL);
    assert_non_null(r.body);
    assert_non_null(strstr(r.body, "a weak ETag"));
    hw_expect_problem(&r, 400, NULL);
    /* a list (valid in RFC 9110) names no one version: said so (review 97 L6) */
    r = hw_as(w, "POST", submit, "If-Match: \"1\", \"2\"\r\n", NULL);
    assert_non_null(r.body);
    assert_non_null(strstr(r.body, "a list of ETags is not taken"));
    hw_expect_problem(&r, 400, NULL);
    /* compared as written: "001" is not the ETag "1": a tag of no version, refused as stale
       (review 55, 57) */
    r = hw_as(w, "POST", submit, "If-Match: \"001\"\r\n", NULL);
    assert_non_null(strstr(r.body, "no version has the tag \\\"001\\\"")); /* no sentinel version (review 62) */
    assert_null(strstr(r.body, "9223372036854775807"));
    hw_expect_problem(&r, 409, NULL);
    /* Another region cannot see it: 404, as for a missing one. */
    hw_login(w, "met-spoc");
    char *path = t_fmt("/api/v1/taskings/%s", ref);
    r = hw_as(w, "GET", path, NULL, NULL);
    hw_expect_problem(&r, 404, NULL);
    r = hw_as(w, "GET", "/api/v1/taskings/TOEX-2026-999999", NULL, NULL);
    hw_expect_problem(&r, 404, NULL);

    hw_login(w, "wy-spoc");
    r = hw_as(w, "POST", submit, "If-Match: \"1\"\r\n", NULL);
    free(submit);
    hw_expect(&r, 200);
    assert_string_equal(jstr(&r, "state"), "submitted");
    hresp_free(&r);
    /* The wrong role: forbidden (the tasking is visible to its spoc). */
    free(act(w, "wy-spoc", ref, "forward", NULL, 403, NULL));
    /* Submitting again: wrong state, 409. */
    free(act(w, "wy-spoc", ref, "submit", NULL, 409, NULL));
    free(act(w, "yh-gateway", ref, "forward", NULL, 200, "forwarded"));
    free(act(w, "toex-manager", ref, "accept", "{\"sia\":\"toex-sia\"}", 200, "accepted"));
    /* Unknown action: 404. */
    free(act(w, "toex-manager", ref, "explode", NULL, 404, NULL));

    hw_login(w, "yh-gateway");
    r = hw_as(w, "GET", path, NULL, NULL);
    hw_expect(&r, 200);
    assert_string_equal(jstr(&r, "state"), "accepted");
    etag = hw_header(&r, "ETag");
    assert_non_null(etag);
    hresp_free(&r);
    free(etag);
    r = hw_as(w, "GET", "/api/v1/taskings?state=accepted&limit=10", NULL, NULL);
    hw_expect(&r, 200);
    json_t *items = json_object_get(r.json, "items");
    assert_int_equal(json_array_size(items), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "ref")), ref);
    assert_true(json_object_get(r.json, "next") != NULL);
    hresp_free(&r);

    /* The audit trail records the HTTP changes, and verifies. */
    hw_login(w, "auditor");
    r = hw_as(w, "GET", "/api/v1/audit/verify", NULL, NULL);
    hw_expect(&r, 200);
    assert_true(json_is_true(json_object_get(r.json, "intact")));
    hresp_free(&r);
    iom_audit_t *log;
    size_t n;
    w->c.actor_name = "auditor";
    hw_ok(w, app_audit_log(&w->c, ref, &log, &n));
    assert_true(n >= 4);
    while (n > 0 && strcmp(log[n - 1].action, "tasking.read") == 0)
        n--; /* reads of the full record are logged too (issue 5 point 7) */
    assert_string_equal(log[n - 1].via, "http");
    assert_string_equal(log[n - 1].actor, "toex-manager");
    hw_login(w, "wy-spoc");
    r = hw_as(w, "GET", "/api/v1/audit/verify", NULL, NULL);
    hw_expect_problem(&r, 403, NULL);
    free(path);
    free(ref);
}

static void test_error_classes(void **state)
{
    hworld *w = *state;
    hw_login(w, "wy-spoc");
    char *fp = t_db_fingerprint(w->db);
    hresp r = hw_as(w, "POST", "/api/v1/threats", NULL, "{\"title\": ");
    hw_expect_problem(&r, 400, "not valid JSON");
    r = hw_as(w, "POST", "/api/v1/threats", NULL,
              "{\"title\":\"x\",\"type\":\"labour\",\"owner\":\"west-yorkshire\",\"sio\":\"wy-sio\","
              "\"force_tasking_ref\":\"A\",\"colour\":\"red\"}");
    hw_expect_problem(&r, 400, "colour: unknown field (this request takes title, ");
    /* a threat's owner is no field to change: the answer says how it moves (review 81 L9) */
    r = hw_as(w, "PATCH", "/api/v1/threats/SOC-000001", NULL, "{\"owner\":\"met\"}");
    hw_expect_problem(&r, 400, "changes only by a transfer (request_transfer");
    r = hw_as(w, "POST", "/api/v1/threats", NULL,
              "{\"title\":5,\"type\":\"labour\",\"owner\":\"west-yorkshire\",\"sio\":\"wy-sio\","
              "\"force_tasking_ref\":\"A\"}");
    assert_non_null(r.json);
    assert_null(json_object_get(r.json, "errors")); /* one problem: detail alone */
    hw_expect_problem(&r, 400, "title: must be a string");
    /* every problem of the fields at once (review 90: three bad fields, three submits), the
       first also as detail; the order is the body's keys, then the row's fields */
    r = hw_as(w, "POST", "/api/v1/threats", NULL,
              "{\"colour\":\"red\",\"title\":5,\"type\":\"labour\",\"owner\":\"west-yorkshire\","
              "\"sio\":\"wy-sio\",\"force_tasking_ref\":\"A\",\"marking\":[1],\"size\":2}");
    {
        assert_int_equal(r.status, 400);
        json_t *errs = json_object_get(r.json, "errors");
        assert_true(json_is_array(errs));
        assert_int_equal(json_array_size(errs), 4);
        static const char *const want[4][2] = {
            {"colour", "colour: unknown field (this request takes title, "},
            {"size", "size: unknown field"},
            {"title", "title: must be a string"},
            {"marking", "marking: must be a string"}};
        for (size_t i = 0; i < 4; i++) {
            json_t *e = json_array_get(errs, i);
            assert_string_equal(json_string_value(json_object_get(e, "field")), want[i][0]);
            const char *d = json_string_value(json_object_get(e, "detail"));
            assert_non_null(d);
            assert_memory_equal(d, want[i][1], strlen(want[i][1]));
        }
        assert_string_equal(json_string_value(json_object_get(r.json, "detail")),
                            json_string_value(json_object_get(json_array_get(errs, 0), "detail")));
        assert_null(json_object_get(r.json, "errors_not_shown"));
    }
    hresp_free(&r);
    /* and the use-case's own checks of a threat's fields, all of them */
    r = hw_as(w, "POST", "/api/v1/threats", NULL,
              "{\"title\":\"\",\"type\":\"piracy\",\"owner\":\"west-yorkshire\",\"sio\":\"wy-sio\","
              "\"force_tasking_ref\":\"A\",\"marking\":\"SECRETISH\"}");
    {
        assert_int_equal(r.status, 400);
        json_t *errs = json_object_get(r.json, "errors");
        assert_int_equal(json_array_size(errs), 3);
        static const char *const fields[3] = {"title", "type", "marking"};
        for (size_t i = 0; i < 3; i++)
            assert_string_equal(json_string_value(json_object_get(json_array_get(errs, i), "field")), fields[i]);
    }
    hresp_free(&r);
    /* a use-case notes a field by its command-line name (--capability, --role); the answer
       names it as the body does (review 106 M1: "capability" for "capabilities") */
    r = hw_as(w, "POST", "/api/v1/apmis", NULL,
              "{\"threat\":\"SOC-000001\",\"date\":\"2026-01-05\",\"impact\":\"huge\",\"type\":\"arrest\","
              "\"lead\":\"west-yorkshire\",\"capabilities\":[\"toex\",\"toex\"],\"strand\":\"pursue\","
              "\"narrative\":\"n\"}");
    {
        assert_int_equal(r.status, 400);
        json_t *errs = json_object_get(r.json, "errors");
        assert_int_equal(json_array_size(errs), 2);
        assert_string_equal(json_string_value(json_object_get(json_array_get(errs, 0), "field")), "impact");
        assert_string_equal(json_string_value(json_object_get(json_array_get(errs, 1), "field")), "capabilities");
    }
    hresp_free(&r);
    r = hw_as(w, "POST", "/api/v1/threats", NULL,
              "{\"type\":\"labour\",\"owner\":\"west-yorkshire\",\"sio\":\"wy-sio\",\"force_tasking_ref\":\"A\"}");
    hw_expect_problem(&r, 400, "title: a value is required");
    r = hw_as(w, "POST", "/api/v1/threats", NULL,
              "{\"title\":\"a\",\"title\":\"b\",\"type\":\"labour\",\"owner\":\"west-yorkshire\","
              "\"sio\":\"wy-sio\",\"force_tasking_ref\":\"A\"}");
    hw_expect_problem(&r, 400, "duplicate");
    r = hw_as(w, "POST", "/api/v1/threats", NULL, "[1,2]");
    hw_expect_problem(&r, 400, "object");
    r = hw_as(w, "POST", "/api/v1/threats", NULL,
              "{\"title\":\"x\",\"type\":\"piracy\",\"owner\":\"west-yorkshire\",\"sio\":\"wy-sio\","
              "\"force_tasking_ref\":\"A\"}");
    hw_expect_problem(&r, 400, "type");
    /* a use-case's text names the field, not the command line's option */
    r = hw_as(w, "POST", "/api/v1/threats", NULL,
              "{\"title\":\"x\",\"type\":\"labour\",\"sio\":\"wy-sio\",\"force_tasking_ref\":\"A\"}");
    assert_null(strstr((char *)r.body, "--owner"));
    hw_expect_problem(&r, 400, "owner: every threat has an owner (owner CODE)");
    r = hw_as(w, "GET", "/api/v1/threats/SOC-999999", NULL, NULL);
    hw_expect_problem(&r, 404, NULL);
    r = hw_as(w, "GET", "/api/v1/threats?colour=red", NULL, NULL);
    hw_expect_problem(&r, 400, "colour");
    r = hw_as(w, "GET", "/api/v1/threats?limit=0", NULL, NULL);
    hw_expect_problem(&r, 400, "limit");
    r = hw_as(w, "GET", "/api/v1/threats?limit=5&limit=6", NULL, NULL);
    hw_expect_problem(&r, 400, "limit");
    r = hw_as(w, "PUT", "/api/v1/threats", NULL, NULL);
    char *allow = hw_header(&r, "Allow");
    assert_string_equal(allow, "GET, HEAD, POST");
    free(allow);
    hw_expect_problem(&r, 405, NULL);
    /* HEAD is GET without the body (RFC 9110; an API review found 405 on every route) */
    r = hw_as(w, "GET", "/api/v1/threats?limit=2", NULL, NULL);
    assert_int_equal(r.status, 200);
    char *get_len = hw_header(&r, "Content-Length");
    assert_non_null(get_len);
    hresp_free(&r);
    r = hw_as(w, "HEAD", "/api/v1/threats?limit=2", NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "");
    char *head_len = hw_header(&r, "Content-Length");
    assert_non_null(head_len);
    assert_string_equal(head_len, get_len);
    free(get_len);
    free(head_len);
    hresp_free(&r);
    r = hw_as(w, "HEAD", "/api/v1/threats/SOC-999999", NULL, NULL);
    assert_int_equal(r.status, 404);
    assert_string_equal(r.body, "");
    hresp_free(&r);
    char *h = t_fmt("%s%sContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}", w->cookie, w->csrf);
    char *raw = t_fmt("POST /api/v1/threats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n%s", h);
    r = hw_raw(w, raw, strlen(raw));
    free(h);
    free(raw);
    hw_expect_problem(&r, 415, NULL);
    /* the media type alone, then parameters, a charset of UTF-8 (review 58) */
    static const char *const types[] = {"application/json text/plain", "application/jsonp",
                                        "application/json; charset=iso-8859-1",
                                        /* the charset's value whole, each parameter in turn (review 62) */
                                        "application/json; charset=utf-8x", "application/json; charset=utf8mb4",
                                        "application/json; x=\"a;charset=utf-8\"; charset=latin1",
                                        /* a parameter is token=value (review 71) */
                                        "application/json; charset =utf-16", "application/json; charset"};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        h = t_fmt("%s%sContent-Type: %s\r\nContent-Length: 2\r\n\r\n{}", w->cookie, w->csrf, types[i]);
        raw = t_fmt("POST /api/v1/threats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n%s", h);
        r = hw_raw(w, raw, strlen(raw));
        free(h);
        free(raw);
        hw_expect_problem(&r, 415, NULL);
    }
    /* and UTF-8 however written passes (then the body's own checks: 400 here) */
    static const char *const good[] = {"application/json; charset=UTF-8", "application/json;charset=\"utf-8\"",
                                       "application/json; boundary=x; charset=utf8",
                                       /* an empty parameter is allowed (RFC 9110 §5.6.6; review 76 L1) */
                                       "application/json;", "application/json; charset=utf-8;",
                                       "application/json;;charset=utf-8"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        h = t_fmt("%s%sContent-Type: %s\r\nContent-Length: 2\r\n\r\n{}", w->cookie, w->csrf, good[i]);
        raw = t_fmt("POST /api/v1/threats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n%s", h);
        r = hw_raw(w, raw, strlen(raw));
        free(h);
        free(raw);
        hw_expect_problem(&r, 400, NULL);
    }
    /* Stale If-Match on a threat. */
    char *path = t_fmt("/api/v1/threats/%s", w->threat);
    r = hw_as(w, "PATCH", path, "If-Match: \"9\"\r\n", "{\"title\":\"Renamed\"}");
    hw_expect_problem(&r, 409, NULL);
    r = hw_as(w, "PATCH", path, "If-Match: 1\r\n", "{\"title\":\"Renamed\"}");
    hw_expect_problem(&r, 400, "If-Match");
    /* two If-Match headers, the right one second: one list, refused (review 83 L4: the first
       was used) */
    r = hw_as(w, "PATCH", path, "If-Match: \"9\"\r\nIf-Match: \"1\"\r\n", "{\"title\":\"Renamed\"}");
    hw_expect_problem(&r, 400, "If-Match: given more than once");
    r = hw_as(w, "PATCH", path, "If-Match: \"1\"\r\nif-match: \"1\"\r\n", "{\"title\":\"Renamed\"}");
    hw_expect_problem(&r, 400, "If-Match: given more than once");
    /* two Content-Type headers: which one counts would be a guess (review 104 L4: the first
       was taken, so application/json then text/plain was read as JSON) */
    r = hw_as(w, "PATCH", path, "If-Match: \"1\"\r\nContent-Type: text/plain\r\n", "{\"title\":\"Renamed\"}");
    hw_expect_problem(&r, 400, "Content-Type: given more than once");
    /* Over the body limit: 413 before the body is read. */
    raw = t_fmt("POST /api/v1/threats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n%s%s"
                "Content-Type: application/json\r\nContent-Length: %u\r\n\r\n{\"title\":\"",
                w->cookie, w->csrf, (2u << 20));
    r = hw_raw(w, raw, strlen(raw));
    free(raw);
    hw_expect_problem(&r, 413, NULL);
    char *fp2 = t_db_fingerprint(w->db);
    assert_string_equal(fp, fp2);
    free(fp);
    free(fp2);
    /* The right If-Match: 200 with the next ETag. */
    r = hw_as(w, "PATCH", path, "If-Match: \"1\"\r\n", "{\"title\":\"Renamed\"}");
    hw_expect(&r, 200);
    char *etag = hw_header(&r, "ETag");
    assert_string_equal(etag, "\"2\"");
    free(etag);
    hresp_free(&r);
    /* If-Match: * (RFC 9110: any current version) applies to the version there; the same
       values again change nothing and are refused, and make no version */
    r = hw_as(w, "PATCH", path, "If-Match: *\r\n", "{\"title\":\"Renamed again\"}");
    hw_expect(&r, 200);
    etag = hw_header(&r, "ETag");
    assert_string_equal(etag, "\"3\"");
    free(etag);
    hresp_free(&r);
    r = hw_as(w, "PATCH", path, NULL, "{\"title\":\"Renamed again\"}");
    hw_expect_problem(&r, 400, "nothing to change");
    free(path);
}

/* Every route is in the OpenAPI document, and every operation there is a route. */
static void test_openapi(void **state)
{
    hworld *w = *state;
    hresp r = hw_req(w, "GET", "/api/openapi.json", NULL, NULL);
    hw_expect(&r, 200);
    assert_string_equal(jstr(&r, "openapi"), "3.1.0");
    json_t *paths = json_object_get(r.json, "paths");
    for (size_t i = 0; i < http_route_count; i++) {
        char m[16];
        size_t k;
        for (k = 0; http_routes[i].method[k]; k++)
            m[k] = (char)(http_routes[i].method[k] - 'A' + 'a');
        m[k] = '\0';
        json_t *op = json_object_get(json_object_get(paths, http_routes[i].pattern), m);
        if (!op)
            fprintf(stderr, "route %s %s not in OpenAPI\n", http_routes[i].method, http_routes[i].pattern);
        assert_non_null(op);
        assert_non_null(json_object_get(op, "responses"));
    }
    size_t ops = 0;
    const char *p;
    json_t *item;
    json_object_foreach(paths, p, item) {
        const char *m;
        json_t *op;
        json_object_foreach(item, m, op) {
            bool found = false;
            for (size_t i = 0; i < http_route_count && !found; i++)
                found = strcmp(http_routes[i].pattern, p) == 0 &&
                        strcasecmp(http_routes[i].method, m) == 0;
            if (!found)
                fprintf(stderr, "OpenAPI %s %s is not a route\n", m, p);
            assert_true(found);
            /* summaries name fields, not the command line's options */
            const char *sum = json_string_value(json_object_get(op, "summary"));
            assert_non_null(sum);
            assert_null(strstr(sum, "(--"));
            ops++;
        }
    }
    assert_int_equal(ops, http_route_count);
    hresp_free(&r);
}

/* One JSON line per request, with the route's template and never a secret. */
static void test_access_log(void **state)
{
    hworld *w = *state;
    hw_login(w, "wy-spoc");
    char *path = t_fmt("/api/v1/threats/%s", w->threat);
    hresp r = hw_as(w, "GET", path, NULL, NULL);
    hw_expect(&r, 200);
    hresp_free(&r);
    free(path);
    /* The completion callback runs after the response is sent: wait for the lines. */
    char text[1 << 15];
    size_t n = 0;
    for (int i = 0; i < 200; i++) {
        fflush(w->log);
        rewind(w->log);
        n = fread(text, 1, sizeof text - 1, w->log);
        text[n] = '\0';
        if (strstr(text, "/api/v1/threats/{ref}"))
            break;
        usleep(10000);
    }
    assert_non_null(strstr(text, "\"path\":\"/api/v1/threats/{ref}\""));
    assert_non_null(strstr(text, "\"user\":\"wy-spoc\""));
    assert_null(strstr(text, PASSWORD));
    char secret[21];
    snprintf(secret, sizeof secret, "%s", strchr(w->cookie, '=') + 1);
    assert_null(strstr(text, secret));
    snprintf(secret, sizeof secret, "%s", strchr(w->csrf, ' ') + 1);
    assert_null(strstr(text, secret));
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        json_t *j = json_loads(line, 0, NULL);
        assert_non_null(j);
        static const char *const keys[] = {"time", "method", "path", "status", "duration_us",
                                           "user", "request_id"};
        for (size_t k = 0; k < 7; k++)
            assert_non_null(json_object_get(j, keys[k]));
        json_decref(j);
    }
}

/* An answer's detail names the API's fields, not the command line's options, wherever they
   are written (review 60 L2, review 66: "give --replace", "--field ROLE=COLUMN"); a command
   to type (`...`) and what the command line takes ("CLI --version N") stay as written. */
static void test_api_wording(void **state)
{
    (void)state;
    char out[256];
    assert_string_equal(http_api_detail("name: 'A' is already a dataset of T (DS-000001); give --replace to replace it",
                                        out, sizeof out),
                        "name: 'A' is already a dataset of T (DS-000001); give replace to replace it");
    assert_string_equal(http_api_detail("file: no column for a name (--field ROLE=COLUMN)", out, sizeof out),
                        "file: no column for a name (field ROLE=COLUMN)");
    assert_string_equal(http_api_detail("made on the command line (`iom --as ADMIN token create --for USER`)", out,
                                        sizeof out),
                        "made on the command line (`iom --as ADMIN token create --for USER`)");
    assert_string_equal(http_api_detail("tor_version: required (the latest; CLI --version N)", out, sizeof out),
                        "tor_version: required (the latest; CLI --version N)");
    assert_string_equal(http_api_detail("a -- b, x--y, --1", out, sizeof out), "a -- b, x--y, --1");
    assert_string_equal(http_api_detail("name: '--evil' is taken; give --replace", out, sizeof out),
                        "name: '--evil' is taken; give replace");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api_wording),
        cmocka_unit_test_setup_teardown(test_health_and_headers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_login, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lockout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unauthenticated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csrf, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expiry_and_disabled, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ended_session_stays_ended, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lifecycle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_classes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_openapi, setup, teardown),
        cmocka_unit_test_setup_teardown(test_access_log, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
