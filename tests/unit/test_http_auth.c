/*
 * Issue 5 points 2, 4 and 7, black-box over a socket (the server started in-process on a
 * free loopback port, with an injected clock): password change and admin reset (must-change
 * answers 403 everywhere but me, sign-out and password change; sessions and tokens end),
 * TOTP enrolment, sign-in with a code, a missing/wrong/replayed code, the ±1 step window and
 * the lockout, roles requiring TOTP, the admin routes for users, agencies, regions and roles
 * with their refusals, and the read-purpose log (X-Iom-Purpose, the relation by default,
 * lists not logged) queried by the API and by the CLI.
 */
#include "test_http_support.h"

#include <liboath/oath.h>

#include "app/auth.h"
#include "app/totp.h"

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

static void expect(hresp *r, int status)
{
    if (r->status != status)
        fprintf(stderr, "expected %d, got %d: %s\n", status, r->status, r->body ? r->body : "");
    assert_int_equal(r->status, status);
}

/* A problem of that status whose type ends in kind (NULL: any) and whose detail holds part. */
static void expect_problem(hresp *r, int status, const char *kind, const char *part)
{
    expect(r, status);
    const char *type = jstr(r, "type");
    assert_non_null(type);
    if (kind && (strlen(type) < strlen(kind) || strcmp(type + strlen(type) - strlen(kind), kind))) {
        fprintf(stderr, "type '%s' is not '%s'\n", type, kind);
        fail();
    }
    if (part && !strstr(jstr(r, "detail"), part)) {
        fprintf(stderr, "detail '%s' lacks '%s'\n", jstr(r, "detail"), part);
        fail();
    }
    hresp_free(r);
}

static void expect_free(hresp *r, int status)
{
    expect(r, status);
    hresp_free(r);
}

/* Signs in with an explicit body; on 201 keeps the cookie and CSRF token like hw_login. */
static hresp sign_in(hworld *w, const char *user, const char *password, const char *totp)
{
    char *body = totp ? t_fmt("{\"username\":\"%s\",\"password\":\"%s\",\"totp\":\"%s\"}", user,
                              password, totp)
                      : t_fmt("{\"username\":\"%s\",\"password\":\"%s\"}", user, password);
    hresp r = hw_req(w, "POST", "/api/v1/session", NULL, body);
    free(body);
    if (r.status == 201) {
        char *sc = hw_header(&r, "Set-Cookie");
        size_t n = strcspn(sc, ";");
        snprintf(w->cookie, sizeof w->cookie, "Cookie: %.*s\r\n", (int)n, sc);
        snprintf(w->csrf, sizeof w->csrf, "X-CSRF-Token: %s\r\n", jstr(&r, "csrf_token"));
        free(sc);
    }
    return r;
}

static const char *restriction(const hresp *r)
{
    return json_string_value(json_object_get(r->json, "restriction"));
}

/* ---- passwords ------------------------------------------------------------------------ */

static void test_password_change(void **state)
{
    hworld *w = *state;
    /* an API token of the user, which the change must revoke */
    app_token_created tc;
    w->c.actor_name = "wy-spoc";
    hw_ok(w, app_token_create(&w->c, NULL, 5, &tc));
    char *bearer = t_fmt("Authorization: Bearer %s\r\n", tc.token);
    hw_login(w, "wy-spoc");
    char old_cookie[300]; /* the cookie and its CSRF token (the cookie alone is refused before) */
    snprintf(old_cookie, sizeof old_cookie, "%s%s", w->cookie, w->csrf);

    /* refusals change nothing */
    hresp r = hw_as(w, "POST", "/api/v1/me/password", NULL,
                    "{\"old_password\":\"not my password\",\"new_password\":\"a brand new passphrase\"}");
    expect_problem(&r, 400, NULL, "old_password");
    r = hw_as(w, "POST", "/api/v1/me/password", NULL,
              "{\"old_password\":\"" PASSWORD "\",\"new_password\":\"short\"}");
    expect_problem(&r, 400, NULL, "new_password");
    r = hw_as(w, "POST", "/api/v1/me/password", NULL,
              "{\"old_password\":\"" PASSWORD "\",\"new_password\":\"" PASSWORD "\"}");
    expect_problem(&r, 400, NULL, "differ");
    r = hw_as(w, "POST", "/api/v1/me/password", NULL, "{\"new_password\":\"a brand new passphrase\"}");
    expect_problem(&r, 400, NULL, "old_password");
    r = hw_req(w, "POST", "/api/v1/me/password", w->cookie,
               "{\"old_password\":\"" PASSWORD "\",\"new_password\":\"a brand new passphrase\"}");
    expect_problem(&r, 403, "csrf", NULL); /* no CSRF token */
    r = hw_req(w, "GET", "/api/v1/me", bearer, NULL);
    expect_free(&r, 200);
    /* review 49: a second X-CSRF-Token is refused (the first won: a right one then junk was
       taken), and a browser's Origin must be this server's, the token notwithstanding */
    r = hw_as(w, "GET", "/api/v1/me", "X-CSRF-Token: junk\r\n", NULL);
    expect_problem(&r, 400, NULL, "X-CSRF-Token: given more than once");
    r = hw_as(w, "GET", "/api/v1/me", "Origin: http://evil.example\r\n", NULL);
    expect_problem(&r, 403, "csrf", "Origin");
    r = hw_as(w, "GET", "/api/v1/me", "Origin: null\r\n", NULL);
    expect_problem(&r, 403, "csrf", "Origin");
    r = hw_as(w, "GET", "/api/v1/me", "Origin: http://127.0.0.1\r\n", NULL);
    expect_free(&r, 200);
    /* without TLS of its own the server may be behind a proxy that ends TLS: an https Origin
       of this host is its own; another scheme is not (review 104 L5) */
    r = hw_as(w, "GET", "/api/v1/me", "Origin: https://127.0.0.1\r\n", NULL);
    expect_free(&r, 200);
    r = hw_as(w, "GET", "/api/v1/me", "Origin: ftp://127.0.0.1\r\n", NULL);
    expect_problem(&r, 403, "csrf", "Origin");
    char *bo = t_fmt("%sOrigin: http://evil.example\r\n", bearer); /* an API token: no cookie to abuse */
    r = hw_req(w, "GET", "/api/v1/me", bo, NULL);
    free(bo);
    expect_free(&r, 200);
    /* an API token makes no token and enrols no TOTP secret: its expiry would mean nothing,
       and the account's second factor is its signed-in user's (review 58) */
    long long tokens = t_db_scalar(w->db, "SELECT count(*) FROM api_token");
    r = hw_req(w, "POST", "/api/v1/tokens", bearer, "{\"days\":3650}");
    expect_problem(&r, 403, NULL, "an API token makes no token");
    r = hw_req(w, "POST", "/api/v1/me/totp", bearer, NULL);
    expect_problem(&r, 403, NULL, "enrols no TOTP secret");
    r = hw_req(w, "POST", "/api/v1/me/totp/confirm", bearer, "{\"totp\":\"123456\"}");
    expect_problem(&r, 403, NULL, "confirms no TOTP secret");
    assert_int_equal(t_db_scalar(w->db, "SELECT count(*) FROM api_token"), tokens);
    /* nor resets its own user's password or TOTP (review 62: an admin's token got a temporary
       password, then a password session, a ten-year token and a TOTP secret of its own) */
    {
        app_token_created ta;
        w->c.actor_name = "admin";
        hw_ok(w, app_token_create(&w->c, NULL, 1, &ta));
        char *ab = t_fmt("Authorization: Bearer %s\r\n", ta.token);
        char *fp = t_db_fingerprint(w->db);
        r = hw_req(w, "POST", "/api/v1/users/admin/password-reset", ab, "{}");
        expect_problem(&r, 403, NULL, "an API token adds, enables or unlocks no user");
        r = hw_req(w, "DELETE", "/api/v1/users/admin/totp", ab, NULL);
        expect_problem(&r, 403, NULL, "an API token adds, enables or unlocks no user");
        /* nor another's, nor a new account that would outlive the token (review 69: a token
           made a second admin with a password, signed in as it and reset the first) */
        r = hw_req(w, "POST", "/api/v1/users/wy-spoc/password-reset", ab, "{}");
        expect_problem(&r, 403, NULL, "an API token adds, enables or unlocks no user");
        r = hw_req(w, "POST", "/api/v1/users", ab,
                   "{\"name\":\"admin2\",\"agency\":\"toex\",\"roles\":[\"admin\"],\"password\":\"a long enough passphrase\"}");
        expect_problem(&r, 403, NULL, "an API token adds, enables or unlocks no user");
        /* nor loosens the sign-in lockout (review 71) */
        r = hw_req(w, "PUT", "/api/v1/settings/auth.lockout", ab,
                   "{\"value\":{\"addr_max_failures\":1000,\"failure_window_minutes\":1,"
                   "\"lockout_minutes\":1,\"user_max_failures\":100},\"reason\":\"x\"}");
        expect_problem(&r, 403, NULL, "changes no sign-in setting");
        char *fp2 = t_db_fingerprint(w->db);
        assert_string_equal(fp, fp2);
        free(fp);
        free(fp2);
        free(ab);
    }

    r = hw_as(w, "POST", "/api/v1/me/password", NULL,
              "{\"old_password\":\"" PASSWORD "\",\"new_password\":\"a brand new passphrase\"}");
    expect(&r, 200);
    assert_true(json_is_true(json_object_get(r.json, "signed_out")));
    char *sc = hw_header(&r, "Set-Cookie");
    assert_non_null(strstr(sc, "Max-Age=0"));
    free(sc);
    hresp_free(&r);
    /* the session and the token have ended */
    r = hw_req(w, "GET", "/api/v1/me", old_cookie, NULL);
    expect_free(&r, 401);
    r = hw_req(w, "GET", "/api/v1/me", bearer, NULL);
    expect_free(&r, 401);
    free(bearer);
    /* the old password no longer works, the new one does */
    r = sign_in(w, "wy-spoc", PASSWORD, NULL);
    expect_free(&r, 401);
    r = sign_in(w, "wy-spoc", "a brand new passphrase", NULL);
    expect(&r, 201);
    assert_null(restriction(&r));
    hresp_free(&r);
    /* audited without any hash */
    assert_int_equal(t_db_scalar(w->db, "SELECT count(*) FROM audit WHERE action = 'user.password'"
                                        " AND object_ref = 'wy-spoc' AND after_json NOT LIKE '%argon%'"), 1);
}

static void test_password_reset(void **state)
{
    hworld *w = *state;
    hw_login(w, "wy-sio");
    char sio_cookie[300]; /* the cookie and its CSRF token */
    snprintf(sio_cookie, sizeof sio_cookie, "%s%s", w->cookie, w->csrf);
    /* only an admin resets */
    hw_login(w, "wy-spoc");
    hresp r = hw_as(w, "POST", "/api/v1/users/wy-sio/password-reset", NULL, NULL);
    expect_problem(&r, 403, "forbidden", "admin");
    hw_login(w, "admin");
    r = hw_as(w, "POST", "/api/v1/users/nobody/password-reset", NULL, NULL);
    expect_free(&r, 404);
    r = hw_as(w, "POST", "/api/v1/users/wy-sio/password-reset", NULL, "{\"password\":\"short\"}");
    expect_problem(&r, 400, NULL, "password");
    r = hw_as(w, "POST", "/api/v1/users/wy-sio/password-reset", NULL, NULL);
    expect(&r, 200);
    const char *tmp = jstr(&r, "temporary_password");
    assert_non_null(tmp);
    assert_int_equal(strlen(tmp), 24);
    char *temp = strdup(tmp);
    hresp_free(&r);
    /* the user's session ended */
    r = hw_req(w, "GET", "/api/v1/me", sio_cookie, NULL);
    expect_free(&r, 401);

    /* sign-in works, but only me, sign-out and password change until it is changed */
    r = sign_in(w, "wy-sio", temp, NULL);
    expect(&r, 201);
    assert_string_equal(restriction(&r), "password_change");
    hresp_free(&r);
    r = hw_as(w, "GET", "/api/v1/taskings", NULL, NULL);
    expect_problem(&r, 403, "password_change_required", "password");
    r = hw_as(w, "GET", "/api/v1/threats", NULL, NULL);
    expect_problem(&r, 403, "password_change_required", NULL);
    r = hw_as(w, "POST", "/api/v1/me/totp", NULL, NULL); /* not even TOTP enrolment */
    expect_problem(&r, 403, "password_change_required", NULL);
    r = hw_as(w, "GET", "/api/v1/me", NULL, NULL);
    expect(&r, 200);
    assert_string_equal(restriction(&r), "password_change");
    hresp_free(&r);
    char *body = t_fmt("{\"old_password\":\"%s\",\"new_password\":\"sio's own new passphrase\"}", temp);
    r = hw_as(w, "POST", "/api/v1/me/password", NULL, body);
    free(body);
    expect_free(&r, 200);
    r = sign_in(w, "wy-sio", "sio's own new passphrase", NULL);
    expect(&r, 201);
    assert_null(restriction(&r));
    hresp_free(&r);
    r = hw_as(w, "GET", "/api/v1/taskings", NULL, NULL);
    expect_free(&r, 200);
    r = hw_as(w, "DELETE", "/api/v1/session", NULL, NULL);
    expect_free(&r, 200);
    free(temp);

    /* The CLI: an admin resets with a password from standard input; the user changes it. */
    t_result cr = t_runv("a temporary passphrase\n", "--db", w->db, "--as", "admin", "user",
                         "reset-password", "met-spoc", "--password-stdin", NULL);
    assert_int_equal(cr.status, 0);
    assert_null(strstr(cr.out, "temporary passphrase"));
    t_result_free(&cr);
    cr = t_runv(NULL, "--db", w->db, "--as", "wy-spoc", "user", "reset-password", "met-spoc", NULL);
    assert_int_equal(cr.status, 5); /* forbidden */
    t_result_free(&cr);
    r = sign_in(w, "met-spoc", "a temporary passphrase", NULL);
    expect(&r, 201);
    assert_string_equal(restriction(&r), "password_change");
    hresp_free(&r);
    cr = t_runv("wrong passphrase here\nmet's new passphrase\n", "--db", w->db, "--as", "met-spoc",
                "user", "password", "--password-stdin", NULL);
    assert_int_equal(cr.status, 3);
    assert_non_null(strstr(cr.err, "old_password"));
    t_result_free(&cr);
    cr = t_runv("a temporary passphrase\nmet's new passphrase\n", "--db", w->db, "--as",
                "met-spoc", "user", "password", "--password-stdin", NULL);
    assert_int_equal(cr.status, 0);
    t_result_free(&cr);
    r = hw_as(w, "GET", "/api/v1/me", NULL, NULL); /* that session ended with the change */
    expect_free(&r, 401);
    r = sign_in(w, "met-spoc", "met's new passphrase", NULL);
    expect(&r, 201);
    assert_null(restriction(&r));
    hresp_free(&r);

    /* Review 41: whoever signs in with what a reset gives reads as its user. An admin resets no
       one cleared above them (an OFFICIAL admin took over the auditor and read
       OFFICIAL-SENSITIVE content), and over the API no auditor (the command line may). */
    cr = t_runv("an admin's own passphrase\n", "--db", w->db, "--as", "admin", "user", "add",
                "admin-low", "--agency", "toex", "--role", "admin", "--clearance", "OFFICIAL",
                "--password-stdin", NULL);
    assert_int_equal(cr.status, 0);
    t_result_free(&cr);
    char *before = t_db_fingerprint(w->db);
    cr = t_runv(NULL, "--db", w->db, "--as", "admin-low", "user", "reset-password", "auditor", NULL);
    assert_int_equal(cr.status, 5);
    assert_non_null(strstr(cr.err, "cleared for OFFICIAL-SENSITIVE, above your OFFICIAL"));
    t_result_free(&cr);
    cr = t_runv(NULL, "--db", w->db, "--as", "admin-low", "user", "reset-totp", "wy-sio", NULL);
    assert_int_equal(cr.status, 5);
    t_result_free(&cr);
    char *mid = t_db_fingerprint(w->db);
    assert_string_equal(before, mid);
    free(mid);
    hw_login(w, "admin");
    free(before);
    before = t_db_fingerprint(w->db);
    r = hw_as(w, "POST", "/api/v1/users/auditor/password-reset", NULL, NULL);
    expect_problem(&r, 403, "forbidden", "auditor");
    r = hw_as(w, "POST", "/api/v1/users/auditor/password-reset", NULL, "{\"password\":\"the admin chose this\"}");
    expect_problem(&r, 403, "forbidden", "command line");
    r = hw_as(w, "DELETE", "/api/v1/users/auditor/totp", NULL, NULL);
    expect_problem(&r, 403, "forbidden", "auditor");
    char *after = t_db_fingerprint(w->db);
    assert_string_equal(before, after);
    free(before);
    free(after);
    cr = t_runv("a temporary passphrase of theirs\n", "--db", w->db, "--as", "admin", "user",
                "reset-password", "auditor", "--password-stdin", NULL);
    assert_int_equal(cr.status, 0);
    t_result_free(&cr);
}

/* ---- TOTP --------------------------------------------------------------------------------- */

/* The code for the secret (base32 as shown at enrolment) at time t. */
static void code_at(const char *b32, int64_t t, char out[10])
{
    char *raw = NULL;
    size_t n = 0;
    assert_int_equal(oath_init(), OATH_OK);
    assert_int_equal(oath_base32_decode(b32, strlen(b32), &raw, &n), OATH_OK);
    iom_error e = {0};
    assert_int_equal(totp_code((const unsigned char *)raw, n, t, 6, out, &e), IOM_OK);
    free(raw);
}

/* Enrols the signed-in user and confirms; returns the base32 secret (malloc'd). */
static char *enrol(hworld *w, const char *user)
{
    hresp r = hw_as(w, "POST", "/api/v1/me/totp", NULL, NULL);
    expect(&r, 201);
    char *b32 = strdup(jstr(&r, "secret"));
    const char *uri = jstr(&r, "otpauth_uri");
    char *want = t_fmt("otpauth://totp/iom:%s?secret=%s&", user, b32);
    assert_true(strncmp(uri, want, strlen(want)) == 0);
    free(want);
    hresp_free(&r);
    char code[10];
    code_at(b32, atomic_load(&w->now), code);
    char *body = t_fmt("{\"totp\":\"%s\"}", code);
    r = hw_as(w, "POST", "/api/v1/me/totp/confirm", NULL, body);
    free(body);
    expect_free(&r, 200);
    return b32;
}

static void test_totp_sign_in(void **state)
{
    hworld *w = *state;
    hw_login(w, "wy-spoc");
    hresp r = hw_as(w, "POST", "/api/v1/me/totp/confirm", NULL, "{\"totp\":\"123456\"}");
    expect_problem(&r, 409, NULL, "enrol first");
    r = hw_as(w, "POST", "/api/v1/me/totp", NULL, NULL);
    expect(&r, 201);
    char *first = strdup(jstr(&r, "secret"));
    hresp_free(&r);
    /* a wrong first code does not confirm */
    char code[10];
    code_at(first, atomic_load(&w->now) + 120, code);
    char *body = t_fmt("{\"totp\":\"%s\"}", code);
    r = hw_as(w, "POST", "/api/v1/me/totp/confirm", NULL, body);
    free(body);
    expect_problem(&r, 400, NULL, "totp");
    r = hw_as(w, "POST", "/api/v1/me/totp/confirm", NULL, "{\"totp\":\"12ab56\"}");
    expect_problem(&r, 400, NULL, "totp");
    free(first);
    /* restarting gives a new secret; it is confirmed */
    char *b32 = enrol(w, "wy-spoc");
    r = hw_as(w, "POST", "/api/v1/me/totp", NULL, NULL);
    expect_problem(&r, 409, NULL, "already enrolled");
    /* the secret is not in the database in clear */
    char *q = t_fmt("SELECT count(*) FROM user_security WHERE totp_secret LIKE '%%%s%%'", b32);
    assert_int_equal(t_db_scalar(w->db, q), 0);
    free(q);
    assert_int_equal(t_db_scalar(w->db, "SELECT count(*) FROM user_security WHERE totp_confirmed = 1"), 1);

    /* no code: 401 naming totp, not a failure */
    r = sign_in(w, "wy-spoc", PASSWORD, NULL);
    expect_problem(&r, 401, NULL, "totp");
    /* the confirmation used the current step: the same code is a replay */
    atomic_fetch_add(&w->now, 1);
    code_at(b32, atomic_load(&w->now), code);
    r = sign_in(w, "wy-spoc", PASSWORD, code);
    expect_problem(&r, 401, NULL, "one-time code");
    /* the next step's code (within the window) signs in, once */
    code_at(b32, atomic_load(&w->now) + 30, code);
    r = sign_in(w, "wy-spoc", PASSWORD, code);
    expect_free(&r, 201);
    r = hw_as(w, "GET", "/api/v1/taskings", NULL, NULL);
    expect_free(&r, 200);
    r = sign_in(w, "wy-spoc", PASSWORD, code);
    expect_problem(&r, 401, NULL, NULL);
    /* a code two steps away is refused; the wrong password with a good code too */
    code_at(b32, atomic_load(&w->now) + 90, code);
    r = sign_in(w, "wy-spoc", PASSWORD, code);
    expect_free(&r, 401);
    atomic_fetch_add(&w->now, 120);
    code_at(b32, atomic_load(&w->now), code);
    r = sign_in(w, "wy-spoc", "wrong password!!", code);
    expect_free(&r, 401);
    /* wrong and replayed codes count for the lockout (the missing code did not; the last
       success cleared the counter): the replay, the code two steps away, the wrong password
       and these two make five, which locks the user: then even the right code is refused */
    r = sign_in(w, "wy-spoc", PASSWORD, "000000");
    expect_free(&r, 401);
    r = sign_in(w, "wy-spoc", PASSWORD, "999999");
    expect_free(&r, 401);
    r = sign_in(w, "wy-spoc", PASSWORD, code);
    expect_free(&r, 429);
    /* after the lockout the right code works */
    atomic_fetch_add(&w->now, 16 * 60);
    code_at(b32, atomic_load(&w->now), code);
    r = sign_in(w, "wy-spoc", PASSWORD, code);
    expect_free(&r, 201);

    /* an admin removes the enrolment (lost device): the password alone works again */
    hw_login(w, "wy-sio");
    r = hw_as(w, "DELETE", "/api/v1/users/wy-spoc/totp", NULL, NULL);
    expect_problem(&r, 403, "forbidden", NULL);
    hw_login(w, "admin");
    r = hw_as(w, "DELETE", "/api/v1/users/wy-spoc/totp", NULL, NULL);
    expect_free(&r, 200);
    r = sign_in(w, "wy-spoc", PASSWORD, NULL);
    expect_free(&r, 201);
    free(b32);
}

static void test_totp_required_role(void **state)
{
    hworld *w = *state;
    hw_login(w, "wy-spoc");
    hresp r = hw_as(w, "POST", "/api/v1/roles/spoc/require-totp", NULL, "{\"required\":true}");
    expect_problem(&r, 403, "forbidden", "admin");
    r = hw_as(w, "GET", "/api/v1/roles", NULL, NULL);
    expect_free(&r, 403);
    hw_login(w, "admin");
    r = hw_as(w, "POST", "/api/v1/roles/wizard/require-totp", NULL, "{\"required\":true}");
    expect_problem(&r, 400, NULL, "role");
    r = hw_as(w, "POST", "/api/v1/roles/spoc/require-totp", NULL, "{\"required\":\"yes\"}");
    expect_problem(&r, 400, NULL, "required");
    r = hw_as(w, "POST", "/api/v1/roles/spoc/require-totp", NULL, "{\"required\":true}");
    expect_free(&r, 200);
    r = hw_as(w, "GET", "/api/v1/roles", NULL, NULL);
    expect(&r, 200);
    size_t i;
    json_t *v;
    int required = 0;
    json_array_foreach(json_object_get(r.json, "items"), i, v)
        if (json_is_true(json_object_get(v, "require_totp"))) {
            required++;
            assert_string_equal(jstr(&(hresp){.json = v}, "role"), "spoc");
        }
    assert_int_equal(required, 1);
    hresp_free(&r);

    /* a spoc signs in, but can do nothing until enrolled; a sio is not concerned */
    r = sign_in(w, "met-spoc", PASSWORD, NULL);
    expect(&r, 201);
    assert_string_equal(restriction(&r), "totp_enrolment");
    hresp_free(&r);
    r = hw_as(w, "GET", "/api/v1/taskings", NULL, NULL);
    expect_problem(&r, 403, "totp_enrolment_required", "totp");
    char *b32 = enrol(w, "met-spoc");
    r = hw_as(w, "GET", "/api/v1/taskings", NULL, NULL); /* the same session, now enrolled */
    expect_free(&r, 200);
    free(b32);
    hw_login(w, "wy-sio");
    r = hw_as(w, "GET", "/api/v1/taskings", NULL, NULL);
    expect_free(&r, 200);

    /* both restrictions: the password comes first, then the enrolment */
    hw_login(w, "admin");
    r = hw_as(w, "POST", "/api/v1/users/wy-spoc/password-reset", NULL,
              "{\"password\":\"temporary spoc passphrase\"}");
    expect(&r, 200);
    assert_true(json_is_null(json_object_get(r.json, "temporary_password")));
    hresp_free(&r);
    r = sign_in(w, "wy-spoc", "temporary spoc passphrase", NULL);
    expect(&r, 201);
    assert_string_equal(restriction(&r), "password_change");
    hresp_free(&r);
    r = hw_as(w, "POST", "/api/v1/me/totp", NULL, NULL);
    expect_problem(&r, 403, "password_change_required", NULL);
    r = hw_as(w, "POST", "/api/v1/me/password", NULL,
              "{\"old_password\":\"temporary spoc passphrase\",\"new_password\":\"" PASSWORD "\"}");
    expect_free(&r, 200);
    r = sign_in(w, "wy-spoc", PASSWORD, NULL);
    expect(&r, 201);
    assert_string_equal(restriction(&r), "totp_enrolment");
    hresp_free(&r);
    r = hw_as(w, "GET", "/api/v1/threats", NULL, NULL);
    expect_problem(&r, 403, "totp_enrolment_required", NULL);

    /* the CLI sets it off again (admin only) */
    t_result cr = t_runv(NULL, "--db", w->db, "--as", "wy-sio", "role", "require-totp", "spoc", "--off", NULL);
    assert_int_equal(cr.status, 5);
    t_result_free(&cr);
    cr = t_runv(NULL, "--db", w->db, "--as", "admin", "--json", "role", "require-totp", "spoc", "--off", NULL);
    assert_int_equal(cr.status, 0);
    assert_null(strstr(cr.out, "true"));
    t_result_free(&cr);
    r = sign_in(w, "wy-spoc", PASSWORD, NULL);
    expect(&r, 201);
    assert_null(restriction(&r));
    hresp_free(&r);
    assert_int_equal(t_db_scalar(w->db, "SELECT count(*) FROM audit WHERE action = 'role.require_totp'"), 2);
}

/* The same enrolment from the command line (`user totp-enrol`, `user totp-confirm`, system
   clock): refusals with their exit codes, then the API's sign-in asks for the code. */
static void test_totp_cli(void **state)
{
    hworld *w = *state;
    t_result cr = t_runv(NULL, "--db", w->db, "--as", "wy-sio", "user", "totp-confirm", "123456", NULL);
    assert_int_equal(cr.status, 6); /* nothing to confirm yet */
    assert_non_null(strstr(cr.err, "enrol first"));
    t_result_free(&cr);
    cr = t_runv(NULL, "--db", w->db, "--as", "wy-sio", "--json", "user", "totp-enrol", NULL);
    assert_int_equal(cr.status, 0);
    json_t *j = json_loads(cr.out, 0, NULL);
    assert_non_null(j);
    char *b32 = strdup(json_string_value(json_object_get(j, "secret")));
    char *want = t_fmt("otpauth://totp/iom:wy-sio?secret=%s&", b32);
    assert_true(strncmp(json_string_value(json_object_get(j, "otpauth_uri")), want, strlen(want)) == 0);
    assert_int_equal(json_integer_value(json_object_get(j, "digits")), 6);
    free(want);
    json_decref(j);
    t_result_free(&cr);
    cr = t_runv(NULL, "--db", w->db, "--as", "wy-sio", "user", "totp-confirm", "12ab56", NULL);
    assert_int_equal(cr.status, 3);
    assert_non_null(strstr(cr.err, "totp"));
    t_result_free(&cr);
    cr = t_runv(NULL, "--db", w->db, "--as", "wy-sio", "user", "totp-confirm", NULL);
    assert_int_equal(cr.status, 13); /* usage: the code is missing */
    t_result_free(&cr);
    char code[10];
    code_at(b32, (int64_t)time(NULL), code);
    cr = t_runv(NULL, "--db", w->db, "--as", "wy-sio", "user", "totp-confirm", code, NULL);
    if (cr.status != 0)
        fprintf(stderr, "totp-confirm: %s\n", cr.err);
    assert_int_equal(cr.status, 0);
    assert_non_null(strstr(cr.out, "TOTP enrolled"));
    t_result_free(&cr);
    cr = t_runv(NULL, "--db", w->db, "--as", "wy-sio", "user", "totp-enrol", NULL);
    assert_int_equal(cr.status, 6); /* already enrolled: an admin resets it first */
    t_result_free(&cr);
    hresp r = sign_in(w, "wy-sio", PASSWORD, NULL);
    expect_problem(&r, 401, NULL, "totp");
    /* the server's clock moved past the step the confirmation used (an earlier step would be
       refused as a replay) */
    atomic_store(&w->now, (int64_t)time(NULL) + 30);
    code_at(b32, atomic_load(&w->now), code);
    r = sign_in(w, "wy-sio", PASSWORD, code);
    expect_free(&r, 201);
    assert_int_equal(t_db_scalar(w->db, "SELECT count(*) FROM user_security WHERE totp_confirmed = 1"), 1);
    free(b32);
}

/* ---- administration ----------------------------------------------------------------------- */

static void test_admin_routes(void **state)
{
    hworld *w = *state;
    static const char new_user[] =
        "{\"name\":\"wy-ttcg\",\"agency\":\"west-yorkshire\",\"roles\":[\"ttcg\"],"
        "\"clearance\":\"OFFICIAL\",\"password\":\"ttcg passphrase 1\"}";
    /* non-admins are refused every change, and nothing is stored */
    hw_login(w, "wy-spoc");
    char *before = t_db_fingerprint(w->db);
    hresp r = hw_as(w, "POST", "/api/v1/users", NULL, new_user);
    expect_problem(&r, 403, "forbidden", "admin");
    r = hw_as(w, "POST", "/api/v1/users/wy-sio/disable", NULL, NULL);
    expect_problem(&r, 403, "forbidden", NULL);
    r = hw_as(w, "POST", "/api/v1/agencies", NULL,
              "{\"code\":\"new-force\",\"name\":\"New Force\",\"kind\":\"force\",\"region\":\"london\"}");
    expect_problem(&r, 403, "forbidden", NULL);
    r = hw_as(w, "POST", "/api/v1/agencies/met/rename", NULL, "{\"name\":\"Met\"}");
    expect_problem(&r, 403, "forbidden", NULL);
    r = hw_as(w, "POST", "/api/v1/agencies/met/disable", NULL, NULL);
    expect_problem(&r, 403, "forbidden", NULL);
    r = hw_as(w, "POST", "/api/v1/agencies/met/merge", NULL, "{\"into\":\"west-yorkshire\",\"reason\":\"test\"}");
    expect_problem(&r, 403, "forbidden", NULL);
    /* whatever the input: a non-admin learns nothing of what it should be (review 72) */
    r = hw_as(w, "POST", "/api/v1/users", NULL, "{}");
    expect_problem(&r, 403, "forbidden", "admin");
    r = hw_as(w, "PUT", "/api/v1/settings/auth.lockout", NULL, "{}");
    expect_problem(&r, 403, "forbidden", "admin");
    r = hw_as(w, "POST", "/api/v1/users/wy-sio/password-reset", NULL, "{\"password\":1}");
    expect_problem(&r, 403, "forbidden", "admin");
    r = hw_as(w, "DELETE", "/api/v1/users/wy-sio/totp", NULL, "{bad"); /* a body it takes none of */
    expect_problem(&r, 403, "forbidden", "admin");
    char *after = t_db_fingerprint(w->db);
    assert_string_equal(before, after);
    free(before);
    free(after);
    /* reads, as the CLI allows them to any user */
    r = hw_as(w, "GET", "/api/v1/users/wy-sio", NULL, NULL);
    expect(&r, 200);
    assert_string_equal(jstr(&r, "agency"), "west-yorkshire");
    assert_null(json_object_get(r.json, "pw_hash"));
    hresp_free(&r);
    r = hw_as(w, "GET", "/api/v1/regions", NULL, NULL);
    expect(&r, 200);
    assert_true(json_array_size(json_object_get(r.json, "items")) >= 9);
    hresp_free(&r);

    hw_login(w, "admin");
    /* bad input names the field */
    r = hw_as(w, "POST", "/api/v1/users", NULL,
              "{\"name\":\"x1\",\"agency\":\"west-yorkshire\",\"roles\":\"ttcg\",\"clearance\":\"OFFICIAL\"}");
    expect_problem(&r, 400, NULL, "roles");
    r = hw_as(w, "POST", "/api/v1/users", NULL,
              "{\"name\":\"x1\",\"agency\":\"west-yorkshire\",\"roles\":[\"wizard\"],\"clearance\":\"OFFICIAL\"}");
    expect_problem(&r, 400, NULL, "role");
    r = hw_as(w, "POST", "/api/v1/users", NULL,
              "{\"name\":\"x1\",\"agency\":\"toex\",\"roles\":[\"gateway\"],\"clearance\":\"OFFICIAL\"}");
    expect_problem(&r, 400, NULL, "regional role");
    r = hw_as(w, "POST", "/api/v1/users", NULL, new_user);
    expect(&r, 201);
    assert_string_equal(jstr(&r, "name"), "wy-ttcg");
    hresp_free(&r);
    r = hw_as(w, "POST", "/api/v1/users", NULL, new_user);
    expect_free(&r, 409);
    r = hw_as(w, "GET", "/api/v1/users?limit=2", NULL, NULL);
    expect(&r, 200);
    assert_int_equal(json_array_size(json_object_get(r.json, "items")), 2);
    char *next = strdup(jstr(&r, "next"));
    hresp_free(&r);
    char *page = t_fmt("/api/v1/users?limit=100&after=%s", next);
    r = hw_as(w, "GET", page, NULL, NULL);
    free(page);
    free(next);
    expect(&r, 200);
    assert_int_equal(json_array_size(json_object_get(r.json, "items")), 9 - 2);
    hresp_free(&r);
    /* the password the admin chose is a temporary one: the session may only change it
       (review 72: an admin signed in as an account it made and read as its user) */
    r = sign_in(w, "wy-ttcg", "ttcg passphrase 1", NULL);
    expect(&r, 201);
    assert_string_equal(restriction(&r), "password_change");
    hresp_free(&r);
    r = hw_as(w, "GET", "/api/v1/taskings", NULL, NULL);
    expect_problem(&r, 403, "password_change_required", NULL);
    hw_login(w, "admin");
    /* nor does an admin make an auditor over the API: the command line does */
    char *fp = t_db_fingerprint(w->db);
    r = hw_as(w, "POST", "/api/v1/users", NULL,
              "{\"name\":\"aud2\",\"agency\":\"toex\",\"roles\":[\"auditor\"],"
              "\"clearance\":\"OFFICIAL-SENSITIVE\",\"password\":\"auditor passphrase\"}");
    expect_problem(&r, 403, "forbidden", "command line");
    char *fp2 = t_db_fingerprint(w->db);
    assert_string_equal(fp, fp2);
    free(fp);
    free(fp2);
    /* nor disables the last auditor, who oversees what admins do */
    r = hw_as(w, "POST", "/api/v1/users/auditor/disable", NULL, NULL);
    expect_problem(&r, 409, NULL, "last enabled auditor");
    /* nor through the auditor's agency (review 74) */
    r = hw_as(w, "POST", "/api/v1/agencies/nca/disable", NULL, NULL);
    expect_problem(&r, 409, NULL, "holds every enabled auditor");
    /* an auditor of a disabled agency is not counted, so disabling them leaves as many as
       before (review 76 L5: refused as "the last enabled auditor") */
    t_result ar = t_runv(NULL, "--db", w->db, "--as", "admin", "agency", "add", "--code", "audit-unit", "--name",
                         "Audit Unit", "--kind", "national", NULL);
    assert_int_equal(ar.status, 0);
    t_result_free(&ar);
    ar = t_runv("an auditor's own passphrase\n", "--db", w->db, "--as", "admin", "user", "add", "aud-unit",
                "--agency", "audit-unit", "--role", "auditor", "--clearance", "OFFICIAL-SENSITIVE",
                "--password-stdin", NULL);
    assert_int_equal(ar.status, 0);
    t_result_free(&ar);
    /* the auditor signs in; once its agency is disabled its session says so (review 81 L9:
       it said "the user is disabled", and no user was) */
    r = sign_in(w, "aud-unit", "an auditor's own passphrase", NULL);
    expect_free(&r, 201);
    char aud_cookie[sizeof w->cookie], aud_csrf[sizeof w->csrf];
    memcpy(aud_cookie, w->cookie, sizeof aud_cookie);
    memcpy(aud_csrf, w->csrf, sizeof aud_csrf);
    hw_login(w, "admin");
    r = hw_as(w, "POST", "/api/v1/agencies/audit-unit/disable", NULL, NULL);
    expect_free(&r, 200);
    char admin_cookie[sizeof w->cookie], admin_csrf[sizeof w->csrf];
    memcpy(admin_cookie, w->cookie, sizeof admin_cookie);
    memcpy(admin_csrf, w->csrf, sizeof admin_csrf);
    memcpy(w->cookie, aud_cookie, sizeof aud_cookie);
    memcpy(w->csrf, aud_csrf, sizeof aud_csrf);
    r = hw_as(w, "GET", "/api/v1/me", NULL, NULL);
    expect_problem(&r, 401, NULL, "not signed in: the user's agency 'audit-unit' is disabled");
    memcpy(w->cookie, admin_cookie, sizeof admin_cookie);
    memcpy(w->csrf, admin_csrf, sizeof admin_csrf);
    r = hw_as(w, "POST", "/api/v1/users/aud-unit/disable", NULL, NULL);
    expect_free(&r, 200);
    r = hw_as(w, "POST", "/api/v1/users/wy-ttcg/disable", NULL, NULL);
    expect(&r, 200);
    assert_true(json_is_true(json_object_get(r.json, "disabled")));
    hresp_free(&r);
    r = hw_as(w, "POST", "/api/v1/users/admin/disable", NULL, NULL);
    expect_problem(&r, 409, NULL, "last enabled admin");

    /* agencies */
    r = hw_as(w, "POST", "/api/v1/agencies", NULL,
              "{\"code\":\"new-force\",\"name\":\"New Force\",\"kind\":\"force\",\"region\":\"london\"}");
    expect(&r, 201);
    assert_string_equal(jstr(&r, "region"), "london");
    hresp_free(&r);
    r = hw_as(w, "POST", "/api/v1/agencies", NULL,
              "{\"code\":\"other-force\",\"name\":\"Other\",\"kind\":\"force\"}");
    expect_problem(&r, 400, NULL, "region");
    r = hw_as(w, "POST", "/api/v1/agencies/new-force/rename", NULL, "{\"name\":\"Renamed Force\"}");
    expect(&r, 200);
    assert_string_equal(jstr(&r, "name"), "Renamed Force");
    hresp_free(&r);
    r = hw_as(w, "GET", "/api/v1/agencies/new-force", NULL, NULL);
    expect(&r, 200);
    assert_string_equal(jstr(&r, "name"), "Renamed Force");
    hresp_free(&r);
    r = hw_as(w, "POST", "/api/v1/agencies/new-force/merge", NULL, "{\"into\":\"west-yorkshire\",\"reason\":\"test\"}");
    expect_free(&r, 400); /* another region */
    r = hw_as(w, "POST", "/api/v1/agencies/new-force/merge", NULL, "{\"into\":\"met\",\"reason\":\"test\"}");
    expect(&r, 200);
    assert_true(json_is_true(json_object_get(r.json, "disabled")));
    hresp_free(&r);
    r = hw_as(w, "POST", "/api/v1/agencies/new-force/disable", NULL, NULL);
    expect_free(&r, 409);
    r = hw_as(w, "GET", "/api/v1/agencies/nowhere", NULL, NULL);
    expect_free(&r, 404);
}

/* ---- the read-purpose log ----------------------------------------------------------------- */

static long long reads_of(hworld *w, const char *ref)
{
    char *q = t_fmt("SELECT count(*) FROM read_log WHERE object_ref = '%s' AND action = 'tasking.read'", ref);
    long long n = t_db_scalar(w->db, q);
    free(q);
    return n;
}

static void test_read_purpose(void **state)
{
    hworld *w = *state;
    hw_login(w, "wy-spoc");
    char *body = t_fmt("{\"threat\":\"%s\",\"ftm_date\":\"2026-05-28\",\"ftm_ref\":\"WY-FTM-1\","
                       "\"summary\":\"Hand car washes run by one family\",\"requirements\":[\"Who?\"],"
                       "\"services\":[\"intel_development\"],\"assessment\":" T_ASSESSMENT "}", w->threat);
    hresp r = hw_as(w, "POST", "/api/v1/taskings", NULL, body);
    free(body);
    expect(&r, 201);
    char *ref = strdup(jstr(&r, "ref"));
    hresp_free(&r);
    char *path = t_fmt("/api/v1/taskings/%s", ref);

    /* a list of summaries is not a content read */
    r = hw_as(w, "GET", "/api/v1/taskings", NULL, NULL);
    expect_free(&r, 200);
    assert_int_equal(reads_of(w, ref), 0);
    /* nor is what one may do with it (review 93 L5: the network, datasets and review pages
       GOT the whole tasking for its actions, and each visit logged a read of the bid) */
    char *acts = t_fmt("/api/v1/taskings/%s/actions", ref);
    r = hw_as(w, "GET", acts, "X-Iom-Purpose: page forms\r\n", NULL);
    expect(&r, 200);
    assert_string_equal(jstr(&r, "ref"), ref);
    assert_string_equal(jstr(&r, "state"), "draft");
    assert_non_null(strstr(r.body, "\"submit\""));
    assert_null(strstr(r.body, "Hand car washes"));
    hresp_free(&r);
    assert_int_equal(reads_of(w, ref), 0);
    free(acts);
    /* the full record is: with the stated purpose, or the relation */
    r = hw_as(w, "GET", path, "X-Iom-Purpose: Op Larch briefing for the SIO\r\n", NULL);
    expect_free(&r, 200);
    r = hw_as(w, "GET", path, NULL, NULL);
    expect_free(&r, 200);
    assert_int_equal(reads_of(w, ref), 2);
    /* a bad purpose is refused and nothing is logged */
    char longp[260];
    memset(longp, 'p', 250);
    longp[250] = '\0';
    char *hdr = t_fmt("X-Iom-Purpose: %s\r\n", longp);
    r = hw_as(w, "GET", path, hdr, NULL);
    free(hdr);
    expect_problem(&r, 400, NULL, "purpose");
    r = hw_as(w, "GET", path, "X-Iom-Purpose: tab\there\r\n", NULL);
    expect_problem(&r, 400, NULL, "purpose");
    assert_int_equal(reads_of(w, ref), 2);
    /* another region: 404, nothing logged */
    hw_login(w, "met-spoc");
    r = hw_as(w, "GET", path, "X-Iom-Purpose: curiosity\r\n", NULL);
    expect_free(&r, 404);
    assert_int_equal(reads_of(w, ref), 2);
    /* the Gateway of the region: not while it is a draft (review 81 L1), then by its relation */
    hw_login(w, "yh-gateway");
    r = hw_as(w, "GET", path, NULL, NULL);
    expect_free(&r, 404);
    assert_int_equal(reads_of(w, ref), 2);
    hw_login(w, "wy-spoc");
    char *submit = t_fmt("%s/submit", path);
    r = hw_as(w, "POST", submit, NULL, NULL);
    expect_free(&r, 200);
    free(submit);
    hw_login(w, "yh-gateway");
    r = hw_as(w, "GET", path, NULL, NULL);
    expect_free(&r, 200);
    /* the CLI, with --purpose */
    t_result cr = t_runv(NULL, "--db", w->db, "--as", "wy-sio", "--purpose", "SIO review", "tasking",
                         "show", ref, NULL);
    assert_int_equal(cr.status, 0);
    t_result_free(&cr);
    cr = t_runv(NULL, "--db", w->db, "--as", "wy-sio", "--purpose", "bad\x01purpose", "tasking",
                "show", ref, NULL);
    assert_int_equal(cr.status, 3);
    assert_non_null(strstr(cr.err, "purpose"));
    t_result_free(&cr);
    assert_int_equal(reads_of(w, ref), 4);

    /* auditors (and admins) query the log; others may not */
    r = hw_as(w, "GET", "/api/v1/audit/reads", NULL, NULL);
    expect_problem(&r, 403, "forbidden", NULL);
    hw_login(w, "auditor");
    char *q = t_fmt("/api/v1/audit/reads?object=%s", ref);
    r = hw_as(w, "GET", q, NULL, NULL);
    free(q);
    expect(&r, 200);
    json_t *items = json_object_get(r.json, "items");
    /* the four reads, and between them the two refused attempts (review 81 L7: the other
       region's SPOC probing, and the Gateway before the bid was sent), which read nothing */
    assert_int_equal(json_array_size(items), 6);
    static const char *const want[][3] = {{"wy-spoc", "Op Larch briefing for the SIO", "http"},
                                          {"wy-spoc", "owner", "http"},
                                          {"met-spoc", NULL, "http"},
                                          {"yh-gateway", NULL, "http"},
                                          {"yh-gateway", "gateway", "http"},
                                          {"wy-sio", "SIO review", "cli"}};
    for (size_t i = 0; i < 6; i++) {
        hresp e = {.json = json_array_get(items, i)};
        assert_string_equal(jstr(&e, "user"), want[i][0]);
        assert_string_equal(jstr(&e, "via"), want[i][2]);
        assert_string_equal(jstr(&e, "object"), ref);
        assert_non_null(jstr(&e, "at"));
        if (want[i][1]) {
            assert_string_equal(jstr(&e, "purpose"), want[i][1]);
            assert_string_equal(jstr(&e, "action"), "tasking.read");
            assert_null(json_object_get(e.json, "refused"));
        } else {
            assert_true(json_is_null(json_object_get(e.json, "purpose")));
            assert_true(json_is_null(json_object_get(e.json, "read")));
            assert_string_equal(jstr(&e, "action"), "access.refused");
            json_t *why = json_object_get(e.json, "refused");
            assert_string_equal(json_string_value(json_object_get(why, "operation")), "tasking.show");
            assert_string_equal(json_string_value(json_object_get(why, "answer")), "not_found");
        }
    }
    assert_true(json_is_null(json_object_get(r.json, "next")));
    hresp_free(&r);
    /* filters and pages */
    r = hw_as(w, "GET", "/api/v1/audit/reads?user=wy-spoc&limit=1", NULL, NULL);
    expect(&r, 200);
    assert_int_equal(json_array_size(json_object_get(r.json, "items")), 1);
    char *next = strdup(jstr(&r, "next"));
    hresp_free(&r);
    q = t_fmt("/api/v1/audit/reads?user=wy-spoc&limit=1&after=%s", next);
    r = hw_as(w, "GET", q, NULL, NULL);
    free(q);
    free(next);
    expect(&r, 200);
    items = json_object_get(r.json, "items");
    assert_int_equal(json_array_size(items), 1);
    assert_string_equal(jstr(&(hresp){.json = json_array_get(items, 0)}, "purpose"), "owner");
    assert_true(json_is_null(json_object_get(r.json, "next")));
    hresp_free(&r);
    /* the entries read whole by an auditor cleared for every marking are marked so (review 111
       L5: a search's words may be those of an OFFICIAL-SENSITIVE item) */
    r = hw_as(w, "GET", "/api/v1/audit/reads?limit=1", NULL, NULL);
    expect(&r, 200);
    char *mk = hw_header(&r, "X-Iom-Marking");
    assert_non_null(mk);
    assert_string_equal(mk, "OFFICIAL-SENSITIVE");
    free(mk);
    hresp_free(&r);
    /* the refused accesses alone, newest first (review 109 M9: an auditor looking for probing
       paged the whole log) */
    q = t_fmt("/api/v1/audit/reads?object=%s&action=access.refused&newest=true", ref);
    r = hw_as(w, "GET", q, NULL, NULL);
    free(q);
    expect(&r, 200);
    items = json_object_get(r.json, "items");
    assert_int_equal(json_array_size(items), 2);
    assert_string_equal(jstr(&(hresp){.json = json_array_get(items, 0)}, "user"), "yh-gateway");
    assert_string_equal(jstr(&(hresp){.json = json_array_get(items, 1)}, "user"), "met-spoc");
    hresp_free(&r);
    q = t_fmt("/api/v1/audit/reads?object=%s&newest=true&limit=2", ref);
    r = hw_as(w, "GET", q, NULL, NULL);
    free(q);
    expect(&r, 200);
    items = json_object_get(r.json, "items");
    assert_int_equal(json_array_size(items), 2);
    assert_string_equal(jstr(&(hresp){.json = json_array_get(items, 0)}, "user"), "wy-sio");
    assert_string_equal(jstr(&(hresp){.json = json_array_get(items, 1)}, "purpose"), "gateway");
    next = strdup(jstr(&r, "next"));
    hresp_free(&r);
    q = t_fmt("/api/v1/audit/reads?object=%s&newest=true&limit=2&after=%s", ref, next);
    free(next);
    r = hw_as(w, "GET", q, NULL, NULL);
    free(q);
    expect(&r, 200);
    items = json_object_get(r.json, "items");
    assert_int_equal(json_array_size(items), 2);
    assert_string_equal(jstr(&(hresp){.json = json_array_get(items, 0)}, "user"), "yh-gateway");
    assert_string_equal(jstr(&(hresp){.json = json_array_get(items, 1)}, "user"), "met-spoc");
    hresp_free(&r);
    r = hw_as(w, "GET", "/api/v1/audit/reads?action=tasking.create", NULL, NULL);
    expect_problem(&r, 400, NULL, "action");
    /* the trail of changes: by actor and action, newest first */
    r = hw_as(w, "GET", "/api/v1/audit/log?actor=wy-spoc&action=tasking.submit&newest=true", NULL, NULL);
    expect(&r, 200);
    items = json_object_get(r.json, "items");
    assert_true(json_array_size(items) >= 1);
    for (size_t i = 0; i < json_array_size(items); i++) {
        hresp e = {.json = json_array_get(items, i)};
        assert_string_equal(jstr(&e, "actor"), "wy-spoc");
        assert_string_equal(jstr(&e, "action"), "tasking.submit");
    }
    hresp_free(&r);
    r = hw_as(w, "GET", "/api/v1/audit/log?newest=true&limit=3", NULL, NULL);
    expect(&r, 200);
    items = json_object_get(r.json, "items");
    assert_int_equal(json_array_size(items), 3);
    json_int_t s0 = json_integer_value(json_object_get(json_array_get(items, 0), "seq")),
               s2 = json_integer_value(json_object_get(json_array_get(items, 2), "seq"));
    assert_true(s0 > s2);
    next = strdup(jstr(&r, "next"));
    hresp_free(&r);
    q = t_fmt("/api/v1/audit/log?newest=true&limit=3&after=%s", next);
    free(next);
    r = hw_as(w, "GET", q, NULL, NULL);
    free(q);
    expect(&r, 200);
    assert_true(json_integer_value(json_object_get(json_array_get(json_object_get(r.json, "items"), 0), "seq")) == s2 - 1);
    hresp_free(&r);
    /* a cursor past 2^31 (review 111 L1: PostgreSQL typed it as a 32-bit integer, 500) */
    r = hw_as(w, "GET", "/api/v1/audit/log?newest=true&limit=1&after=3000000000", NULL, NULL);
    expect(&r, 200);
    assert_int_equal(json_array_size(json_object_get(r.json, "items")), 1);
    hresp_free(&r);
    r = hw_as(w, "GET", "/api/v1/audit/reads?newest=true&limit=1&after=r3000000000", NULL, NULL);
    expect(&r, 200);
    assert_int_equal(json_array_size(json_object_get(r.json, "items")), 1);
    hresp_free(&r);
    r = hw_as(w, "GET", "/api/v1/audit/log?action=DROP%20TABLE", NULL, NULL);
    expect_problem(&r, 400, NULL, "action");
    r = hw_as(w, "GET", "/api/v1/audit/reads?after=x", NULL, NULL);
    expect_problem(&r, 400, NULL, "after");
    r = hw_as(w, "GET", "/api/v1/audit/reads?limit=0", NULL, NULL);
    expect_free(&r, 400);
    /* the CLI gives the same entries */
    cr = t_runv(NULL, "--db", w->db, "--as", "auditor", "--json", "audit", "reads", "--object", ref,
                "--user", "yh-gateway", NULL);
    assert_int_equal(cr.status, 0);
    json_t *j = json_loads(cr.out, 0, NULL);
    assert_non_null(j);
    items = json_object_get(j, "items");
    assert_int_equal(json_array_size(items), 2); /* its refused attempt, then its read */
    assert_string_equal(jstr(&(hresp){.json = json_array_get(items, 0)}, "action"), "access.refused");
    assert_string_equal(jstr(&(hresp){.json = json_array_get(items, 1)}, "purpose"), "gateway");
    json_decref(j);
    t_result_free(&cr);
    cr = t_runv(NULL, "--db", w->db, "--as", "wy-spoc", "audit", "reads", NULL);
    assert_int_equal(cr.status, 5);
    t_result_free(&cr);
    /* the reads are chained like every entry: the trail verifies */
    r = hw_as(w, "GET", "/api/v1/audit/verify", NULL, NULL);
    expect(&r, 200);
    assert_true(json_is_true(json_object_get(r.json, "intact")));
    hresp_free(&r);
    free(path);
    free(ref);
}

/* Five failed sign-ins lock the user name; an admin's unlock (API and CLI) ends the lockout
   at once, and so does a password reset (issue 13 point 5). Refusals change nothing. */
/* review 111 M1: a draft the SPOC withdraws unsent stays its agency's, as a draft does: the
   region's Gateway, the APMIS recorder and search see nothing of it; a bid withdrawn after it
   was sent stays the Gateway's to read. */
static bool listed(hworld *w, const char *ref)
{
    hresp r = hw_as(w, "GET", "/api/v1/taskings?limit=1000", NULL, NULL);
    expect(&r, 200);
    bool found = strstr(r.body, ref) != NULL;
    hresp_free(&r);
    return found;
}

static char *new_bid(hworld *w, const char *summary)
{
    hw_login(w, "wy-spoc");
    char *body = t_fmt("{\"threat\":\"%s\",\"ftm_date\":\"2026-05-28\",\"ftm_ref\":\"WY-FTM-9\","
                       "\"summary\":\"%s\",\"requirements\":[\"Who?\"],"
                       "\"services\":[\"intel_development\"],\"assessment\":" T_ASSESSMENT "}", w->threat, summary);
    hresp r = hw_as(w, "POST", "/api/v1/taskings", NULL, body);
    free(body);
    expect(&r, 201);
    char *ref = strdup(jstr(&r, "ref"));
    hresp_free(&r);
    return ref;
}

static void test_withdrawn_draft(void **state)
{
    hworld *w = *state;
    hw_user(w, "nca-apmis", "nca", "apmis");
    char *unsent = new_bid(w, "Nail bars never sent");
    char *path = t_fmt("/api/v1/taskings/%s", unsent), *wd = t_fmt("%s/withdraw", path);
    hresp r = hw_as(w, "POST", wd, NULL, "{\"reason\":\"handled by the force\"}");
    expect(&r, 200);
    assert_string_equal(jstr(&r, "state"), "withdrawn");
    hresp_free(&r);
    r = hw_as(w, "GET", path, NULL, NULL); /* its own SPOC still reads it */
    expect_free(&r, 200);
    static const char *const others[] = {"yh-gateway", "nca-apmis", "toex-manager", "met-spoc"};
    for (size_t i = 0; i < sizeof others / sizeof *others; i++) {
        hw_login(w, others[i]);
        r = hw_as(w, "GET", path, NULL, NULL);
        if (r.status != 404)
            fprintf(stderr, "%s read the withdrawn draft: %d\n", others[i], r.status);
        expect_free(&r, 404);
        assert_false(listed(w, unsent));
    }
    hw_login(w, "yh-gateway");
    r = hw_as(w, "GET", "/api/v1/search?q=nail%20bars", NULL, NULL);
    expect(&r, 200);
    assert_null(strstr(r.body, unsent));
    hresp_free(&r);
    /* sent, then withdrawn: the Gateway it reached still reads it */
    char *sent = new_bid(w, "Nail bars sent then withdrawn");
    char *spath = t_fmt("/api/v1/taskings/%s", sent), *sub = t_fmt("%s/submit", spath),
         *swd = t_fmt("%s/withdraw", spath);
    r = hw_as(w, "POST", sub, NULL, NULL);
    expect_free(&r, 200);
    r = hw_as(w, "POST", swd, NULL, "{\"reason\":\"handled by the force\"}");
    expect_free(&r, 200);
    hw_login(w, "yh-gateway");
    r = hw_as(w, "GET", spath, NULL, NULL);
    expect(&r, 200);
    assert_string_equal(jstr(&r, "state"), "withdrawn");
    hresp_free(&r);
    assert_true(listed(w, sent));
    assert_false(listed(w, unsent));
    hw_login(w, "nca-apmis");
    r = hw_as(w, "GET", spath, NULL, NULL);
    expect_free(&r, 200);
    free(path);
    free(wd);
    free(unsent);
    free(spath);
    free(sub);
    free(swd);
    free(sent);
}

static void test_unlock(void **state)
{
    hworld *w = *state;
    for (int i = 0; i < 5; i++) {
        hresp r = sign_in(w, "wy-spoc", "wrong password!!", NULL);
        expect_free(&r, 401);
    }
    hresp r = sign_in(w, "wy-spoc", PASSWORD, NULL);
    expect_free(&r, 429);
    /* not an admin: refused */
    hw_login(w, "wy-sio");
    r = hw_as(w, "POST", "/api/v1/users/wy-spoc/unlock", NULL, "{}");
    expect_problem(&r, 403, NULL, NULL);
    r = sign_in(w, "wy-spoc", PASSWORD, NULL);
    expect_free(&r, 429);
    /* the admin unlocks: the right password works at once */
    hw_login(w, "admin");
    r = hw_as(w, "POST", "/api/v1/users/wy-spoc/unlock", NULL, "{}");
    expect_free(&r, 200);
    r = sign_in(w, "wy-spoc", PASSWORD, NULL);
    expect_free(&r, 201);
    /* locked again; a password reset ends it too */
    for (int i = 0; i < 5; i++) {
        r = sign_in(w, "wy-spoc", "wrong password!!", NULL);
        expect_free(&r, 401);
    }
    r = sign_in(w, "wy-spoc", PASSWORD, NULL);
    expect_free(&r, 429);
    hw_login(w, "admin");
    r = hw_as(w, "POST", "/api/v1/users/wy-spoc/password-reset", NULL, "{\"password\":\"a temporary password\"}");
    expect_free(&r, 200);
    r = sign_in(w, "wy-spoc", "a temporary password", NULL);
    expect_free(&r, 201);
    /* the CLI: unlock is an admin's, and names the rule otherwise */
    t_result c = t_runv(NULL, "--db", w->db, "--as", "wy-sio", "user", "unlock", "wy-spoc", NULL);
    assert_int_equal(c.status, 5);
    assert_non_null(strstr(c.err, "admin"));
    t_result_free(&c);
    c = t_runv(NULL, "--db", w->db, "--as", "admin", "user", "unlock", "wy-spoc", NULL);
    assert_int_equal(c.status, 0);
    t_result_free(&c);
}

/* `c` failed sign-ins of made-up names sent through X-Forwarded-For `xff` (NULL: none). */
static void fail_from(hworld *w, const char *xff, int n)
{
    char *h = xff ? t_fmt("X-Forwarded-For: %s\r\n", xff) : NULL;
    for (int i = 0; i < n; i++) {
        char *body = t_fmt("{\"username\":\"nobody%d\",\"password\":\"wrong password here\"}", i);
        hresp r = hw_req(w, "POST", "/api/v1/session", h, body);
        expect_free(&r, 401);
        free(body);
    }
    free(h);
}

/* A correct sign-in of wy-spoc through X-Forwarded-For `xff` (NULL: none): its status. */
static int sign_in_from(hworld *w, const char *xff)
{
    char *h = xff ? t_fmt("X-Forwarded-For: %s\r\n", xff) : NULL;
    char *body = t_fmt("{\"username\":\"wy-spoc\",\"password\":\"%s\"}", PASSWORD);
    hresp r = hw_req(w, "POST", "/api/v1/session", h, body);
    int st = r.status;
    hresp_free(&r);
    free(body);
    free(h);
    return st;
}

/* The per-address lockout and proxies (review 108 M1): 20 failures from one address lock it
   for every user name, so behind a proxy whose address is every user's, anyone could lock
   everyone out. X-Forwarded-For is believed only from a peer named a trusted proxy, and then
   only its part that trusted proxies appended; an IPv6 client is counted by its /64; an
   admin ends an address's lock (CLI and API), audited. */
static void test_address_lockout(void **state)
{
    hworld *w = *state;
    /* no trusted proxy: X-Forwarded-For is the client's word, not believed */
    fail_from(w, "203.0.113.5", 20);
    assert_int_equal(sign_in_from(w, "203.0.113.9"), 429);
    assert_int_equal(sign_in_from(w, NULL), 429);
    /* the admin is locked out too; the CLI on the server ends it (the admin role only) */
    t_result c = t_runv(NULL, "--db", w->db, "--as", "wy-sio", "user", "unlock-address", "127.0.0.1", NULL);
    assert_int_equal(c.status, 5);
    t_result_free(&c);
    c = t_runv(NULL, "--db", w->db, "--as", "admin", "user", "unlock-address", "not-an-address", NULL);
    assert_int_equal(c.status, 3);
    assert_non_null(strstr(c.err, "'not-an-address' is not an IPv4 or IPv6 address"));
    t_result_free(&c);
    c = t_runv(NULL, "--db", w->db, "--as", "admin", "--json", "user", "unlock-address", "::ffff:127.0.0.1", NULL);
    assert_int_equal(c.status, 0);
    assert_non_null(strstr(c.out, "\"address\": \"127.0.0.1\""));
    assert_non_null(strstr(c.out, "\"failures\": 20"));
    t_result_free(&c);
    assert_int_equal(sign_in_from(w, NULL), 201);

    /* behind a trusted proxy: the client it names is counted, not the proxy */
    static const char *const proxies[] = {"127.0.0.0/8", "2001:db8:ffff::/48", NULL};
    http_server_stop(w->srv);
    w->trusted_proxies = proxies;
    hw_start(w, 5);
    fail_from(w, "203.0.113.5", 20);
    assert_int_equal(sign_in_from(w, "203.0.113.5"), 429);
    assert_int_equal(sign_in_from(w, "203.0.113.9"), 201);
    assert_int_equal(sign_in_from(w, NULL), 201); /* the proxy itself is no client */
    /* what the client put before the proxy's own entry is not believed: the rightmost
       address no trusted proxy appended is the client (a trusted hop is skipped) */
    assert_int_equal(sign_in_from(w, "198.51.100.7, 203.0.113.5"), 429);
    assert_int_equal(sign_in_from(w, "203.0.113.5, 2001:db8:ffff::1"), 429);
    assert_int_equal(sign_in_from(w, "203.0.113.5, not-an-address, 198.51.100.8"), 201);
    /* an IPv6 client is counted by its /64 */
    fail_from(w, "2001:db8:1:2::10", 20);
    assert_int_equal(sign_in_from(w, "2001:db8:1:2::99"), 429);
    assert_int_equal(sign_in_from(w, "2001:db8:1:3::1"), 201);
    /* the API: the admin ends a lock, named by any address of the /64; audited */
    hw_login(w, "wy-sio");
    hresp r = hw_as(w, "POST", "/api/v1/address-lockouts/unlock", NULL, "{\"address\":\"2001:db8:1:2::1\"}");
    expect_problem(&r, 403, NULL, NULL);
    hw_login(w, "admin");
    r = hw_as(w, "POST", "/api/v1/address-lockouts/unlock", NULL, "{\"address\":\"2001:db8:1:2::1\"}");
    expect(&r, 200);
    assert_string_equal(jstr(&r, "address"), "2001:db8:1:2::/64");
    assert_int_equal(json_integer_value(json_object_get(r.json, "failures")), 20);
    hresp_free(&r);
    assert_int_equal(sign_in_from(w, "2001:db8:1:2::99"), 201);
    r = hw_as(w, "POST", "/api/v1/address-lockouts/unlock", NULL, "{\"address\":\"2001:db8:1:2::/64\"}");
    expect(&r, 200); /* nothing left to clear: answered as it is */
    assert_int_equal(json_integer_value(json_object_get(r.json, "failures")), 0);
    hresp_free(&r);
    r = hw_as(w, "POST", "/api/v1/address-lockouts/unlock", NULL, "{\"address\":\"203.0.113.500\"}");
    expect_problem(&r, 400, NULL, "is not an IPv4 or IPv6 address");
    assert_int_equal(t_db_scalar(w->db, "SELECT count(*) FROM audit WHERE action = 'user.unlock_address'"), 2);

    /* a trusted proxy that is no address or network: the server does not start */
    static const char *const bad[] = {"10.0.0.0/33", NULL};
    http_config cfg = {.db_path = w->db, .listen = "127.0.0.1:0", .trusted_proxies = bad};
    http_server *s = NULL;
    iom_error e = {0};
    assert_int_equal(http_server_start(&cfg, &s, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "trusted-proxy: '10.0.0.0/33' is not"));
    assert_null(s);
}

/* The sign-in limits are settings (issue 13 point 1): a change by the admin applies to the
   running server's next sign-in and session check, without a restart; a bad value is refused
   naming the rule, and a non-admin cannot change them. */
static void test_settings_apply(void **state)
{
    hworld *w = *state;
    /* under the seeded lockout (5 failures) two failures lock nothing */
    for (int i = 0; i < 2; i++) {
        hresp r = sign_in(w, "wy-spoc", "wrong password!!", NULL);
        expect_free(&r, 401);
    }
    hresp r = sign_in(w, "wy-spoc", PASSWORD, NULL);
    expect_free(&r, 201);
    r = hw_as(w, "PUT", "/api/v1/settings/auth.lockout", NULL,
              "{\"value\":{\"user_max_failures\":2,\"addr_max_failures\":20,"
              "\"failure_window_minutes\":15,\"lockout_minutes\":15},\"reason\":\"not mine\"}");
    expect_problem(&r, 403, NULL, "admin");
    hw_login(w, "admin");
    r = hw_as(w, "PUT", "/api/v1/settings/auth.lockout", NULL,
              "{\"value\":{\"user_max_failures\":2,\"addr_max_failures\":20,"
              "\"failure_window_minutes\":15,\"lockout_minutes\":\"15\"},\"reason\":\"typo\"}");
    expect_problem(&r, 400, NULL, "lockout_minutes: must be a number");
    r = hw_as(w, "PUT", "/api/v1/settings/auth.lockout", NULL,
              "{\"value\":{\"user_max_failures\":2,\"addr_max_failures\":20,"
              "\"failure_window_minutes\":15,\"lockout_minutes\":15},"
              "\"reason\":\"security review: two attempts\"}");
    expect(&r, 200);
    assert_int_equal(json_integer_value(json_object_get(r.json, "version")), 2);
    hresp_free(&r);
    /* now two failures lock the user name */
    for (int i = 0; i < 2; i++) {
        r = sign_in(w, "wy-sio", "wrong password!!", NULL);
        expect_free(&r, 401);
    }
    r = sign_in(w, "wy-sio", PASSWORD, NULL);
    expect_free(&r, 429);

    /* sessions: one idle minute, one hour at most (the server holds them to it; the cookie is
       the browser session's, with no Max-Age: review 58) */
    hw_login(w, "admin");
    r = hw_as(w, "PUT", "/api/v1/settings/auth.session", NULL,
              "{\"value\":{\"idle_minutes\":1,\"absolute_hours\":1},\"reason\":\"kiosk use\"}");
    expect_free(&r, 200);
    /* failed sign-ins counted a week ago go at the next sign-in (review 58: kept for ever) */
    assert_int_equal(t_db_exec(w->db, "INSERT INTO login_failure(key, failures, first_at, locked_until) VALUES"
                                      " ('user:ghost-of-2025', 1, 1, 0)"),
                     0);
    r = sign_in(w, "met-spoc", PASSWORD, NULL);
    assert_int_equal(t_db_scalar(w->db, "SELECT count(*) FROM login_failure WHERE key = 'user:ghost-of-2025'"), 0);
    char *sc = hw_header(&r, "Set-Cookie");
    assert_null(strstr(sc, "Max-Age"));
    assert_null(strstr(sc, "Expires"));
    free(sc);
    expect_free(&r, 201);
    r = hw_as(w, "GET", "/api/v1/me", NULL, NULL);
    expect_free(&r, 200);
    /* activity within the idle minute keeps the session: seen at +40 s, alive at +75 s (it
       was touched once a minute whatever the idle limit, and died at +60 s) */
    atomic_fetch_add(&w->now, 40);
    r = hw_as(w, "GET", "/api/v1/me", NULL, NULL);
    expect_free(&r, 200);
    atomic_fetch_add(&w->now, 35);
    r = hw_as(w, "GET", "/api/v1/me", NULL, NULL);
    expect_free(&r, 200);
    /* the cookie alone (a page on another port: no CSRF token) keeps nothing alive: refused
       before the session is looked up (review 46: such requests kept an idle session open) */
    for (int i = 0; i < 4; i++) {
        atomic_fetch_add(&w->now, 30);
        r = hw_req(w, "GET", "/api/v1/me", w->cookie, NULL);
        expect_free(&r, 403);
    }
    r = hw_as(w, "GET", "/api/v1/me", NULL, NULL); /* 120 s idle: gone */
    expect_free(&r, 401);

    /* a lowered absolute lifetime reaches the sessions already open (an API review: they kept
       the lifetime of their sign-in) */
    hw_login(w, "admin");
    r = hw_as(w, "PUT", "/api/v1/settings/auth.session", NULL,
              "{\"value\":{\"idle_minutes\":60,\"absolute_hours\":12},\"reason\":\"office use\"}");
    expect_free(&r, 200);
    r = sign_in(w, "met-spoc", PASSWORD, NULL);
    expect_free(&r, 201);
    char cookie[sizeof w->cookie], csrf[sizeof w->csrf];
    memcpy(cookie, w->cookie, sizeof cookie);
    memcpy(csrf, w->csrf, sizeof csrf);
    hw_login(w, "admin");
    r = hw_as(w, "PUT", "/api/v1/settings/auth.session", NULL,
              "{\"value\":{\"idle_minutes\":60,\"absolute_hours\":1},\"reason\":\"kiosk again\"}");
    expect_free(&r, 200);
    memcpy(w->cookie, cookie, sizeof cookie);
    memcpy(w->csrf, csrf, sizeof csrf);
    atomic_fetch_add(&w->now, 50 * 60);
    r = hw_as(w, "GET", "/api/v1/me", NULL, NULL);
    expect_free(&r, 200);
    atomic_fetch_add(&w->now, 15 * 60); /* 65 minutes old, 15 idle */
    r = hw_as(w, "GET", "/api/v1/me", NULL, NULL);
    expect_free(&r, 401);
}

/* Review 86 LOW-1: a signed-in request whose session touch falls due while a long change
   holds the database is served (the touch, bookkeeping, is skipped), not answered 503. */
static void test_session_touch_best_effort(void **state)
{
    hworld *w = *state;
    hw_login(w, "wy-spoc");
    atomic_fetch_add(&w->now, 120); /* the touch is due (every minute at most) */
    t_db_lock *l = t_db_hold_writes(w->db);
    hresp r = hw_as(w, "GET", "/api/v1/me", NULL, NULL);
    t_db_release_writes(l);
    hw_expect(&r, 200);
    hresp_free(&r);
    r = hw_as(w, "GET", "/api/v1/me", NULL, NULL); /* and the next one touches */
    hw_expect(&r, 200);
    hresp_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_password_change, setup, teardown),
        cmocka_unit_test_setup_teardown(test_session_touch_best_effort, setup, teardown),
        cmocka_unit_test_setup_teardown(test_password_reset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_totp_sign_in, setup, teardown),
        cmocka_unit_test_setup_teardown(test_totp_required_role, setup, teardown),
        cmocka_unit_test_setup_teardown(test_totp_cli, setup, teardown),
        cmocka_unit_test_setup_teardown(test_admin_routes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_purpose, setup, teardown),
        cmocka_unit_test_setup_teardown(test_withdrawn_draft, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unlock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_address_lockout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_settings_apply, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
