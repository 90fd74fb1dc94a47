#include "app/auth.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "app/audit.h"
#include "app/json.h"
#include "app/totp.h"
#include "app/user.h"

#define TOUCH_EVERY 60      /* seconds between last_seen updates of a session */
#define TOKEN_BYTES 32      /* 256 random bits */
#define API_TOKEN_PREFIX "iomt_"
#define DEFAULT_TOKEN_DAYS 90
#define MAX_TOKEN_DAYS 3650

void app_auth_policy_default(app_auth_policy *p)
{
    *p = (app_auth_policy){.idle_seconds = 30 * 60,
                           .absolute_seconds = 12 * 3600,
                           .user_max_failures = 5,
                           .addr_max_failures = 20,
                           .failure_window = 15 * 60,
                           .lockout_seconds = 15 * 60};
}

/* ---- tokens and hashes ------------------------------------------------------------------ */

/* A new random token: prefix + base64url(32 random bytes). */
static void new_token(const char *prefix, char out[APP_TOKEN_MAX])
{
    unsigned char raw[TOKEN_BYTES];
    randombytes_buf(raw, sizeof raw);
    size_t n = strlen(prefix);
    memcpy(out, prefix, n);
    sodium_bin2base64(out + n, APP_TOKEN_MAX - n, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
}

/* Hex BLAKE2b-256 of a token: what the store keeps and looks up. */
static void token_hash(const char *token, char out[IOM_TOKEN_HASH_HEX])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(out, IOM_TOKEN_HASH_HEX, h, sizeof h);
}

/* A token as sent by a client must look like one before it reaches the store. */
static bool token_shape_ok(const char *t)
{
    size_t n = t ? strlen(t) : 0;
    if (n < 40 || n >= APP_TOKEN_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = t[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '-' || ch == '_'))
            return false;
    }
    return true;
}

/* ---- sign-in ---------------------------------------------------------------------------- */

/* A hash to verify against when the user is unknown, so both cases cost the same. */
static pthread_mutex_t dummy_lock = PTHREAD_MUTEX_INITIALIZER;
static char dummy_hash[crypto_pwhash_STRBYTES];

static const char *dummy_pw_hash(iom_ctx *c)
{
    pthread_mutex_lock(&dummy_lock);
    if (!dummy_hash[0]) {
        unsigned long long ops = c->pwhash_opslimit ? c->pwhash_opslimit : crypto_pwhash_OPSLIMIT_INTERACTIVE;
        size_t mem = c->pwhash_memlimit ? c->pwhash_memlimit : crypto_pwhash_MEMLIMIT_INTERACTIVE;
        char pw[33];
        unsigned char raw[16];
        randombytes_buf(raw, sizeof raw);
        sodium_bin2hex(pw, sizeof pw, raw, sizeof raw);
        if (crypto_pwhash_str_alg(dummy_hash, pw, strlen(pw), ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
            dummy_hash[0] = '\0';
    }
    pthread_mutex_unlock(&dummy_lock);
    return dummy_hash;
}

static const char invalid_login[] = "invalid user name or password";

/* One failure more on a counter; locks it when it reaches max. */
static void count_failure(iom_login_failure_t *f, const app_auth_policy *p, int64_t max, int64_t now)
{
    if (f->first_at == 0 || now - f->first_at > p->failure_window || f->locked_until) {
        if (f->locked_until > now)
            return;
        f->failures = 0;
        f->first_at = now;
        f->locked_until = 0;
    }
    if (++f->failures >= max)
        f->locked_until = now + p->lockout_seconds;
}

/* One failure less on a counter (an attempt counted ahead that did not fail); unlocks it when
   the count falls below max. */
static void uncount_failure(iom_login_failure_t *f, int64_t max)
{
    if (f->failures > 0)
        f->failures--;
    if (f->failures < max)
        f->locked_until = 0;
}

/* Reads the user and both counters and, unless one is locked at `now`, counts the attempt on
   both before any password is checked: one write transaction, so that attempts made at once
   are counted one after another and no more than the limit get their password checked (review
   45: 95 sign-ins sent in parallel had 6 passwords checked on SQLite and 8 on PostgreSQL, one
   per request thread, when the check read the counters and the failure was counted after the
   password). An attempt that does not fail is uncounted (login_uncount, open_session). name
   NULL: no user is read; akey NULL: no address counter (a password change). OUT *found: the
   user exists (enabled or not); *locked_until: the later lock, 0 when none. */
static iom_err login_reserve(iom_ctx *c, const app_auth_policy *p, const char *name,
                             const char *ukey, const char *akey, int64_t now, iom_user_t *u,
                             bool *found, int64_t *locked_until)
{
    iom_store *s = c->store;
    const struct iom_store_auth_ops *au = s->ops->auth;
    iom_error e = {0};
    *found = false;
    *locked_until = 0;
    iom_err err = app_begin(c, true);
    iom_login_failure_t uf = {0}, af = {0};
    if (!err && ukey)
        err = au->failure_get(s, ukey, &uf, &e);
    if (!err && akey)
        err = au->failure_get(s, akey, &af, &e);
    if (!err && ukey && name) {
        err = s->ops->user_get(s, name, c->arena, u, &e);
        *found = err == IOM_OK;
        if (err == IOM_ENOTFOUND)
            err = IOM_OK;
    }
    *locked_until = uf.locked_until > af.locked_until ? uf.locked_until : af.locked_until;
    if (!err && *locked_until <= now) {
        if (ukey) {
            count_failure(&uf, p, p->user_max_failures, now);
            err = au->failure_put(s, ukey, &uf, &e);
        }
        if (!err && akey) {
            count_failure(&af, p, p->addr_max_failures, now);
            err = au->failure_put(s, akey, &af, &e);
        }
    }
    if (err && e.msg[0])
        iom_fail(&c->err, err, "%s", e.msg);
    return app_end(c, err);
}

/* In a write transaction: the attempt counted ahead on key did not fail. */
static iom_err uncount(iom_ctx *c, const char *key, int64_t max, iom_error *e)
{
    iom_store *s = c->store;
    iom_login_failure_t f;
    iom_err err = s->ops->auth->failure_get(s, key, &f, e);
    if (err)
        return err;
    uncount_failure(&f, max);
    return s->ops->auth->failure_put(s, key, &f, e);
}

/* The attempt counted ahead was no failure (the password was right and the one-time code is
   asked for next): both counters as they were. */
static iom_err login_uncount(iom_ctx *c, const app_auth_policy *p, const char *ukey,
                             const char *akey)
{
    iom_error e = {0};
    iom_err err = app_begin(c, true);
    if (!err && ukey)
        err = uncount(c, ukey, p->user_max_failures, &e);
    if (!err)
        err = uncount(c, akey, p->addr_max_failures, &e);
    if (err && e.msg[0])
        iom_fail(&c->err, err, "%s", e.msg);
    return app_end(c, err);
}

/* In the session's write transaction: records the TOTP step used, unless another sign-in
   used it (or a later one) meanwhile: then the code is a replay. */
static iom_err consume_step(iom_ctx *c, int64_t user_id, int64_t step, iom_error *e)
{
    iom_user_security_t sec;
    iom_err err = c->store->ops->auth->security_get(c->store, user_id, c->arena, &sec, e);
    if (err)
        return err;
    if (step <= sec.totp_last_step)
        return iom_fail(e, IOM_EAUTH, "totp: the one-time code was already used");
    sec.totp_last_step = step;
    return c->store->ops->auth->security_put(c->store, user_id, &sec, e);
}

/* When a session used at `now` ends unless used again: its idle end, or its absolute end when
   that comes first. */
static int64_t session_end(const app_auth_policy *p, int64_t created_at, int64_t now)
{
    int64_t end = now + p->idle_seconds;
    if (p->absolute_seconds > 0 && created_at + p->absolute_seconds < end)
        end = created_at + p->absolute_seconds;
    return end;
}

static iom_err open_session(iom_ctx *c, const app_auth_policy *p, const char *ukey,
                            const char *akey, int64_t now, int64_t totp_step, app_login *out)
{
    iom_store *s = c->store;
    const struct iom_store_auth_ops *au = s->ops->auth;
    iom_error e = {0};
    iom_session_t se = {.user_id = out->user.id, .created_at = now, .last_seen = now,
                        .expires_at = session_end(p, now, now)};
    new_token("", out->session);
    new_token("", out->csrf);
    token_hash(out->session, se.token_hash);
    token_hash(out->csrf, se.csrf_hash);
    out->expires_at = now + p->absolute_seconds; /* the latest it may last */
    iom_err err = app_begin(c, true);
    if (!err && totp_step > 0)
        err = consume_step(c, out->user.id, totp_step, &e);
    if (!err)
        err = au->failure_clear(s, ukey, &e);
    if (!err) /* the attempt counted ahead (login_reserve) */
        err = uncount(c, akey, p->addr_max_failures, &e);
    if (!err)
        err = au->session_purge(s, now, now - p->idle_seconds, &e);
    if (!err)
        err = au->session_insert(s, &se, &e);
    if (err && e.msg[0])
        iom_fail(&c->err, err, "%s", e.msg);
    err = app_end(c, err);
    if (err) {
        sodium_memzero(out->session, sizeof out->session);
        sodium_memzero(out->csrf, sizeof out->csrf);
    }
    return err;
}

/* The user's security state and the roles that require TOTP, in a read transaction. */
static iom_err read_security(iom_ctx *c, const iom_user_t *u, iom_user_security_t *sec,
                             iom_roles *totp_roles)
{
    iom_error e = {0};
    iom_err err = app_begin(c, false);
    if (!err)
        err = c->store->ops->auth->security_get(c->store, u->id, c->arena, sec, &e);
    if (!err)
        err = c->store->ops->auth->totp_roles_get(c->store, totp_roles, &e);
    if (err && e.msg[0])
        iom_fail(&c->err, err, "%s", e.msg);
    return app_end(c, err);
}

/* The second factor of an enrolled user. OUT *step: the step of the accepted code. */
static iom_err check_code(iom_ctx *c, const iom_user_t *u, const iom_user_security_t *sec,
                          const char *code, int64_t now, int64_t *step)
{
    if (!c->has_audit_key)
        return iom_fail(&c->err, IOM_EINTEGRITY, "totp: no audit key loaded to open the secret");
    unsigned char secret[TOTP_SECRET_BYTES];
    iom_err err = totp_open(c->audit_key, u->id, sec->totp_secret, secret, &c->err);
    if (!err)
        err = totp_verify(secret, sizeof secret, now, TOTP_WINDOW, TOTP_DIGITS, code, step, &c->err);
    sodium_memzero(secret, sizeof secret);
    if (!err && *step <= sec->totp_last_step)
        err = IOM_EAUTH; /* replay */
    return err;
}

iom_err app_auth_login(iom_ctx *c, const app_auth_policy *p, const char *name,
                       const char *password, const char *totp, const char *client, app_login *out)
{
    memset(out, 0, sizeof *out);
    int64_t now = app_now(c);
    iom_error ne = {0};
    bool name_ok = name && app_user_name_check(name, &ne) == IOM_OK;
    const char *ukey = name_ok ? iom_arena_printf(c->arena, "user:%s", name) : NULL;
    char ckey[APP_ADDR_KEY_MAX];
    const char *akey = iom_arena_printf(c->arena, "addr:%s",
                                        client && app_auth_client_key(client, ckey) ? ckey : "unknown");
    bool found;
    int64_t locked_until;
    iom_err err = login_reserve(c, p, name, ukey, akey, now, &out->user, &found, &locked_until);
    if (err)
        return err;
    if (locked_until > now) {
        out->retry_after = locked_until - now;
        return iom_fail(&c->err, IOM_EAUTH, "%s; too many failed attempts: try again in %lld s",
                        invalid_login, (long long)out->retry_after);
    }
    size_t pwlen = password ? strlen(password) : 0;
    bool usable = found && !out->user.disabled && !out->user.agency_disabled &&
                  out->user.pw_hash && pwlen > 0 &&
                  pwlen <= APP_PASSWORD_MAX;
    const char *hash = usable ? out->user.pw_hash : dummy_pw_hash(c);
    bool verified = hash[0] && crypto_pwhash_str_verify(hash, password ? password : "", pwlen) == 0;
    if (!usable || !verified) { /* counted already (login_reserve) */
        memset(&out->user, 0, sizeof out->user);
        return iom_fail(&c->err, IOM_EAUTH, "%s", invalid_login);
    }
    iom_user_security_t sec;
    iom_roles totp_roles = 0;
    if ((err = read_security(c, &out->user, &sec, &totp_roles)))
        return err;
    int64_t step = 0;
    if (sec.totp_confirmed) {
        if (!totp || !*totp) { /* the code is asked for: no failure */
            if ((err = login_uncount(c, p, ukey, akey)))
                return err;
            memset(&out->user, 0, sizeof out->user);
            return iom_fail(&c->err, IOM_EAUTH,
                            "totp: this user signs in with a one-time code from the authenticator: "
                            "give totp with the user name and password");
        }
        err = check_code(c, &out->user, &sec, totp, now, &step);
        if (err == IOM_EINTEGRITY)
            return err;
        if (err) { /* counted already (login_reserve) */
            memset(&out->user, 0, sizeof out->user);
            return iom_fail(&c->err, IOM_EAUTH, "totp: invalid user name, password or one-time code");
        }
    }
    out->must_change_password = sec.must_change_password;
    out->totp_enrolment_required = (out->user.roles & totp_roles) && !sec.totp_confirmed;
    /* a concurrent sign-in that used the code first makes this one fail (IOM_EAUTH): its
       attempt stays counted */
    return open_session(c, p, ukey, akey, now, step, out);
}

iom_err app_auth_logout(iom_ctx *c, const char *session_token)
{
    if (!token_shape_ok(session_token))
        return IOM_OK;
    char h[IOM_TOKEN_HASH_HEX];
    token_hash(session_token, h);
    iom_error e = {0};
    iom_err err = app_begin(c, true);
    if (!err)
        err = c->store->ops->auth->session_delete(c->store, h, &e);
    if (err && e.msg[0])
        iom_fail(&c->err, err, "%s", e.msg);
    return app_end(c, err);
}

/* ---- each request ----------------------------------------------------------------------- */

/* Loads the principal's user and its restrictions; IOM_EAUTH when it is gone or disabled. */
static iom_err load_principal_user(iom_ctx *c, const char *name, app_principal *out)
{
    iom_error e = {0};
    iom_err err = c->store->ops->user_get(c->store, name, c->arena, &out->user, &e);
    if (err == IOM_ENOTFOUND || (!err && out->user.disabled))
        return iom_fail(&c->err, IOM_EAUTH, "not signed in: the user is disabled");
    /* its holder was this user: it may know why (review 81 L9: "the user is disabled" sent an
       officer to an administrator who had disabled no user) */
    if (!err && out->user.agency_disabled)
        return iom_fail(&c->err, IOM_EAUTH, "not signed in: the user's agency '%s' is disabled",
                        out->user.agency);
    iom_user_security_t sec;
    iom_roles totp_roles = 0;
    if (!err)
        err = c->store->ops->auth->security_get(c->store, out->user.id, c->arena, &sec, &e);
    if (!err)
        err = c->store->ops->auth->totp_roles_get(c->store, &totp_roles, &e);
    if (err)
        return iom_fail(&c->err, err, "%s", e.msg);
    out->must_change_password = sec.must_change_password;
    out->totp_enrolment_required = (out->user.roles & totp_roles) && !sec.totp_confirmed;
    return IOM_OK;
}

app_restriction app_auth_restriction(const app_principal *p, const char **why)
{
    if (p->must_change_password) {
        *why = "password: an admin set this password (a reset or a new account); change it "
               "(old_password, new_password) before anything else";
        return APP_RESTRICT_PASSWORD;
    }
    if (p->totp_enrolment_required) {
        *why = "totp: a role of this user requires a second factor; enrol TOTP (and confirm it "
               "with a first code) before anything else";
        return APP_RESTRICT_TOTP;
    }
    *why = NULL;
    return APP_RESTRICT_NONE;
}

iom_err app_auth_session(iom_ctx *c, const app_auth_policy *p, const char *token,
                         app_principal *out)
{
    memset(out, 0, sizeof *out);
    if (!token_shape_ok(token))
        return iom_fail(&c->err, IOM_EAUTH, "not signed in: no valid session");
    char h[IOM_TOKEN_HASH_HEX];
    token_hash(token, h);
    int64_t now = app_now(c);
    iom_session_t se;
    iom_error e = {0};
    bool expired = false;
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    err = c->store->ops->auth->session_get(c->store, h, c->arena, &se, &e);
    if (err == IOM_ENOTFOUND || (!err && sodium_memcmp(se.token_hash, h, 64) != 0))
        err = iom_fail(&c->err, IOM_EAUTH, "not signed in: no valid session");
    else if (err)
        err = iom_fail(&c->err, err, "%s", e.msg);
    /* the limits in force now count too: a lowered setting reaches the sessions already open
       (an API review: expires_at alone kept them to the sign-in's lifetime); expires_at, set at
       the last use, keeps an ended session ended when a limit is raised later (review 97 M3) */
    else if (now >= se.expires_at || now - se.last_seen >= p->idle_seconds ||
             (p->absolute_seconds > 0 && now - se.created_at >= p->absolute_seconds))
        err = iom_fail(&c->err, IOM_EAUTH, "not signed in: the session has expired"), expired = true;
    else
        err = load_principal_user(c, se.user_name, out);
    if ((err = app_end(c, err))) {
        if (expired) { /* and ended for good; the next sign-in's purge does it when the store is busy */
            iom_error saved = c->err;
            if (!app_begin(c, true))
                (void)app_end(c, c->store->ops->auth->session_delete(c->store, h, &e));
            c->err = saved;
        }
        return err;
    }
    out->session = true;
    memcpy(out->csrf_hash, se.csrf_hash, sizeof out->csrf_hash);
    /* touched at least four times per idle period, so a short idle limit (the settings allow
       one minute) still sees the activity */
    int64_t every = p->idle_seconds / 4 < TOUCH_EVERY ? p->idle_seconds / 4 : TOUCH_EVERY;
    if (now - se.last_seen >= (every > 0 ? every : 1)) {
        if (!(err = app_begin(c, true)))
            err = c->store->ops->auth->session_touch(c->store, se.id, now, session_end(p, se.created_at, now), &e);
        if (err && e.msg[0])
            iom_fail(&c->err, err, "%s", e.msg);
        err = app_end(c, err);
        if (err == IOM_EBUSY) {
            /* the touch is bookkeeping: a request is not refused because a long write (an
               import) holds the store past the write gate's wait; the next one touches
               (review 86 LOW-1) */
            iom_error_clear(&c->err);
            err = IOM_OK;
        }
    }
    return err;
}

bool app_auth_csrf_ok(const app_principal *p, const char *csrf)
{
    if (!p->session || !token_shape_ok(csrf))
        return false;
    char h[IOM_TOKEN_HASH_HEX];
    token_hash(csrf, h);
    return sodium_memcmp(h, p->csrf_hash, 64) == 0;
}

iom_err app_auth_bearer(iom_ctx *c, const char *token, app_principal *out)
{
    memset(out, 0, sizeof *out);
    size_t np = strlen(API_TOKEN_PREFIX);
    if (!token || strncmp(token, API_TOKEN_PREFIX, np) != 0 || !token_shape_ok(token + np))
        return iom_fail(&c->err, IOM_EAUTH, "not signed in: invalid API token");
    char h[IOM_TOKEN_HASH_HEX];
    token_hash(token, h);
    int64_t now = app_now(c);
    iom_api_token_t t;
    iom_error e = {0};
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    err = c->store->ops->auth->token_get(c->store, h, NULL, c->arena, &t, &e);
    if (err == IOM_ENOTFOUND || (!err && sodium_memcmp(t.token_hash, h, 64) != 0))
        err = iom_fail(&c->err, IOM_EAUTH, "not signed in: invalid API token");
    else if (err)
        err = iom_fail(&c->err, err, "%s", e.msg);
    else if (t.revoked_at || (t.expires_at && now >= t.expires_at))
        err = iom_fail(&c->err, IOM_EAUTH, "not signed in: the API token is revoked or expired");
    else
        err = load_principal_user(c, t.user_name, out);
    return app_end(c, err);
}

/* ---- API tokens ------------------------------------------------------------------------- */

json_t *json_of_api_token(const iom_api_token_t *t)
{
    return json_pack("{s:s, s:s?, s:o, s:o, s:o, s:s?}", "ref", t->ref, "user", t->user_name,
                     "created_at", json_time(t->created_at), "expires_at",
                     t->expires_at ? json_time(t->expires_at) : json_null(), "revoked_at",
                     t->revoked_at ? json_time(t->revoked_at) : json_null(), "created_by",
                     t->created_by_name);
}

static char *token_json(iom_ctx *c, const iom_api_token_t *t)
{
    json_t *j = json_of_api_token(t);
    char *s = json_text(c->arena, j);
    json_decref(j);
    return s;
}

static iom_err token_create_tx(iom_ctx *c, const char *for_user, int64_t days,
                               app_token_created *out)
{
    iom_store *s = c->store;
    iom_err err = app_actor(c);
    if (err)
        return err;
    if (c->by_token) /* a token makes no token: its expiry would mean nothing (review 58) */
        return iom_fail(&c->err, IOM_EFORBIDDEN, "token create: an API token makes no token; sign in "
                                                 "with your password (POST /api/v1/session) to make one");
    const char *name = for_user && *for_user ? for_user : c->actor.name;
    bool admin = app_actor_has(c, IOM_ROLE_ADMIN);
    if (strcmp(name, c->actor.name) != 0 && !admin)
        return iom_fail(&c->err, IOM_EFORBIDDEN,
                        "token create: only an admin may create a token for another user");
    /* Over HTTP a token is its caller's own: an admin minting another user's token there would
       read, as that user, content the admin role never shows (domain.md §3). On the command
       line (the operator of the database) an admin still may, audited with its maker. */
    if (strcmp(name, c->actor.name) != 0 && c->via && strcmp(c->via, "http") == 0)
        return iom_fail(&c->err, IOM_EFORBIDDEN,
                        "user: a token for another user ('%s') is made on the command line "
                        "(`iom --as ADMIN token create --for USER`), not over the API", name);
    iom_user_t u;
    iom_error e = {0};
    err = s->ops->user_get(s, name, c->arena, &u, &e);
    if (err == IOM_ENOTFOUND || (!err && (u.disabled || u.agency_disabled)))
        return iom_fail(&c->err, IOM_EINVAL, "for: '%s' is not an enabled user", name);
    if (err)
        return iom_fail(&c->err, err, "%s", e.msg);
    int64_t now = app_now(c);
    new_token(API_TOKEN_PREFIX, out->token);
    out->t = (iom_api_token_t){.user_id = u.id, .created_by = c->actor.id, .created_at = now,
                               .expires_at = now + days * 86400, .user_name = u.name,
                               .created_by_name = c->actor.name};
    token_hash(out->token, out->t.token_hash);
    if ((err = s->ops->auth->token_insert(s, &out->t, &e)))
        return iom_fail(&c->err, err, "%s", e.msg);
    return audit_record(c, "token.create", out->t.ref, NULL, token_json(c, &out->t));
}

iom_err app_token_create(iom_ctx *c, const char *for_user, int64_t days, app_token_created *out)
{
    memset(out, 0, sizeof *out);
    if (days == 0)
        days = DEFAULT_TOKEN_DAYS;
    if (days < 1 || days > MAX_TOKEN_DAYS)
        return iom_fail(&c->err, IOM_EINVAL, "expires: %lld is not a number of days from 1 to %d",
                        (long long)days, MAX_TOKEN_DAYS);
    iom_err err = app_begin(c, true);
    if (err)
        return err;
    err = app_end(c, token_create_tx(c, for_user, days, out));
    if (err)
        sodium_memzero(out->token, sizeof out->token);
    return err;
}

static iom_err token_revoke_tx(iom_ctx *c, const char *ref, iom_api_token_t *out)
{
    iom_store *s = c->store;
    iom_err err = app_actor(c);
    if (err)
        return err;
    iom_error e = {0};
    err = s->ops->auth->token_get(s, NULL, ref, c->arena, out, &e);
    if (err == IOM_ENOTFOUND ||
        (!err && out->user_id != c->actor.id && !app_actor_has(c, IOM_ROLE_ADMIN)))
        return iom_fail(&c->err, IOM_ENOTFOUND, "token: '%s' is not an API token of yours", ref);
    if (err)
        return iom_fail(&c->err, err, "%s", e.msg);
    if (out->revoked_at)
        return iom_fail(&c->err, IOM_ECONFLICT, "token: '%s' is already revoked", ref);
    char *before = token_json(c, out);
    out->revoked_at = app_now(c);
    if ((err = s->ops->auth->token_revoke(s, out->id, out->revoked_at, &e)))
        return iom_fail(&c->err, err, "%s", e.msg);
    return audit_record(c, "token.revoke", out->ref, before, token_json(c, out));
}

iom_err app_token_revoke(iom_ctx *c, const char *ref, iom_api_token_t *out)
{
    memset(out, 0, sizeof *out);
    if (!ref || !*ref || strlen(ref) > 20)
        return iom_fail(&c->err, IOM_ENOTFOUND, "token: no such API token");
    iom_err err = app_begin(c, true);
    if (err)
        return err;
    return app_end(c, token_revoke_tx(c, ref, out));
}

iom_err app_token_list(iom_ctx *c, const app_token_query *q, iom_api_token_t **out, size_t *n,
                       const char **next)
{
    *out = NULL;
    *n = 0;
    *next = NULL;
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    int64_t uid = 0;
    iom_user_t u;
    bool admin = false;
    if (!(err = app_actor(c))) {
        admin = app_actor_has(c, IOM_ROLE_ADMIN);
        if (!q->user || strcmp(q->user, c->actor.name) == 0)
            uid = q->user || !admin ? c->actor.id : 0;
        else if (!admin)
            err = iom_fail(&c->err, IOM_EFORBIDDEN,
                           "token list: user '%s' may list only its own tokens (an admin: anyone's)",
                           c->actor.name);
        else if (!(err = c->store->ops->user_get(c->store, q->user, c->arena, &u, &c->err)))
            uid = u.id;
    }
    iom_api_token_t *v = NULL;
    size_t m = 0, from = 0, count = 0;
    if (!err)
        err = c->store->ops->auth->token_list(c->store, uid, c->arena, &v, &m, &c->err);
    if (!err) { /* in reference order from the store; the reference is the cursor */
        const char **keys = iom_arena_new(c->arena, const char *, m ? m : 1);
        for (size_t i = 0; i < m; i++)
            keys[i] = v[i].ref;
        size_t i = 0;
        while (q->page.after && i < m && strcmp(keys[i], q->page.after) <= 0)
            i++;
        app_page rest = {NULL, q->page.limit};
        err = app_page_ordered(c, &rest, keys + i, m - i, &from, &count, next);
        from += i;
    }
    err = app_end(c, err);
    if (!err) {
        *out = v + from;
        *n = count;
    }
    return err;
}

iom_err app_user_unlock(iom_ctx *c, const char *name, iom_user_t *out)
{
    iom_err err = app_begin(c, true);
    if (err)
        return err;
    iom_login_failure_t f;
    iom_error e = {0};
    if (!(err = app_actor(c)) &&
        !(err = app_require_role(c, IOM_ROLE_BIT(IOM_ROLE_ADMIN), "user unlock")) && !(err = app_no_token(c, "user unlock")) &&
        !(err = c->store->ops->user_get(c->store, name ? name : "", c->arena, out, &c->err))) {
        const char *ukey = iom_arena_printf(c->arena, "user:%s", out->name);
        /* a user with no failure to clear is answered as they are: nothing is written and no
           audit entry tells of a change that was none (review 104 L3) */
        if (!(err = c->store->ops->auth->failure_get(c->store, ukey, &f, &e)) &&
            (f.failures != 0 || f.locked_until != 0) &&
            !(err = c->store->ops->auth->failure_clear(c->store, ukey, &e))) {
            json_t *b = json_pack("{s:s, s:I, s:I}", "name", out->name, "failures",
                                  (json_int_t)f.failures, "locked_until", (json_int_t)f.locked_until);
            json_t *a = json_pack("{s:s, s:I, s:I}", "name", out->name, "failures", (json_int_t)0,
                                  "locked_until", (json_int_t)0);
            err = audit_record(c, "user.unlock", out->name, json_text(c->arena, b), json_text(c->arena, a));
            json_decref(b);
            json_decref(a);
        }
        if (err && e.code)
            c->err = e;
    }
    return app_end(c, err);
}

bool app_auth_client_key(const char *text, char out[APP_ADDR_KEY_MAX])
{
    if (!text)
        return false;
    size_t n = strlen(text);
    char buf[INET6_ADDRSTRLEN + 8];
    if (n == 0 || n >= sizeof buf)
        return false;
    memcpy(buf, text, n + 1);
    bool net = n > 3 && strcmp(buf + n - 3, "/64") == 0;
    if (net)
        buf[n - 3] = '\0';
    unsigned char a[16];
    if (!net && inet_pton(AF_INET, buf, a) == 1)
        return inet_ntop(AF_INET, a, out, APP_ADDR_KEY_MAX) != NULL;
    if (inet_pton(AF_INET6, buf, a) != 1)
        return false;
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (!net && memcmp(a, mapped, sizeof mapped) == 0) /* ::ffff:192.0.2.1 is 192.0.2.1 */
        return inet_ntop(AF_INET, a + 12, out, APP_ADDR_KEY_MAX) != NULL;
    memset(a + 8, 0, 8); /* the /64 */
    char t[INET6_ADDRSTRLEN];
    if (!inet_ntop(AF_INET6, a, t, sizeof t))
        return false;
    snprintf(out, APP_ADDR_KEY_MAX, "%s/64", t);
    return true;
}

iom_err app_address_unlock(iom_ctx *c, const char *address, app_address_lock *out)
{
    memset(out, 0, sizeof *out);
    iom_err err = app_begin(c, true);
    if (err)
        return err;
    iom_login_failure_t f = {0};
    iom_error e = {0};
    if (!(err = app_actor(c)) &&
        !(err = app_require_role(c, IOM_ROLE_BIT(IOM_ROLE_ADMIN), "user unlock-address")) &&
        !(err = app_no_token(c, "user unlock-address"))) {
        if (!app_auth_client_key(address, out->address))
            err = iom_fail(&c->err, IOM_EINVAL,
                           "address: '%.80s' is not an IPv4 or IPv6 address (or an IPv6 network "
                           "written ADDRESS/64)", address ? address : "");
    }
    if (!err) {
        const char *akey = iom_arena_printf(c->arena, "addr:%s", out->address);
        if (!(err = c->store->ops->auth->failure_get(c->store, akey, &f, &e)) &&
            (f.failures != 0 || f.locked_until != 0) &&
            !(err = c->store->ops->auth->failure_clear(c->store, akey, &e))) {
            json_t *b = json_pack("{s:s, s:I, s:I}", "address", out->address, "failures",
                                  (json_int_t)f.failures, "locked_until", (json_int_t)f.locked_until);
            json_t *a = json_pack("{s:s, s:I, s:I}", "address", out->address, "failures", (json_int_t)0,
                                  "locked_until", (json_int_t)0);
            err = audit_record(c, "user.unlock_address", out->address, json_text(c->arena, b),
                               json_text(c->arena, a));
            json_decref(b);
            json_decref(a);
        }
        if (err && e.code)
            c->err = e;
        out->failures = f.failures;
        out->locked_until = f.locked_until;
    }
    return app_end(c, err);
}

/* ---- passwords -------------------------------------------------------------------------- */

/* The audit image of a user's account security (never a hash or a secret). */
static char *security_json(iom_ctx *c, const char *name, const iom_user_security_t *sec)
{
    json_t *j = json_pack("{s:s, s:b, s:s}", "name", name, "must_change_password",
                          sec->must_change_password, "totp",
                          sec->totp_confirmed ? "enrolled" : sec->totp_secret ? "pending" : "none");
    char *t = json_text(c->arena, j);
    json_decref(j);
    return t;
}

/* In a write transaction: sets u's password hash (u as read, version-checked), must-change,
   ends its sessions and tokens, audits. */
static iom_err set_password_tx(iom_ctx *c, iom_user_t *u, char *pw_hash, bool must_change,
                               const char *action)
{
    iom_store *s = c->store;
    iom_user_security_t sec;
    iom_error e = {0};
    iom_err err = s->ops->auth->security_get(s, u->id, c->arena, &sec, &e);
    if (err)
        return iom_fail(&c->err, err, "%s", e.msg);
    char *before = security_json(c, u->name, &sec);
    u->pw_hash = pw_hash;
    if ((err = s->ops->user_update(s, u, u->version, &c->err)))
        return err;
    sec.must_change_password = must_change;
    if ((err = s->ops->auth->security_put(s, u->id, &sec, &e)) ||
        (err = s->ops->auth->end_user_sessions(s, u->id, app_now(c), &e)))
        return iom_fail(&c->err, err, "%s", e.msg);
    return audit_record(c, action, u->name, before, security_json(c, u->name, &sec));
}

iom_err app_auth_password_change(iom_ctx *c, const app_auth_policy *p, const char *old_password,
                                 const char *new_password, iom_user_t *out)
{
    memset(out, 0, sizeof *out);
    if (!old_password || !*old_password)
        return iom_fail(&c->err, IOM_EINVAL, "old_password: required");
    if (strlen(old_password) > APP_PASSWORD_MAX)
        return iom_fail(&c->err, IOM_EINVAL, "old_password: does not match the current password");
    iom_err err = app_password_check_for(c, "new_password", new_password, c->actor_name);
    if (err)
        return err;
    if (strcmp(old_password, new_password) == 0)
        return iom_fail(&c->err, IOM_EINVAL, "new_password: must differ from the current password");
    /* The user, then the attempt counted before the old password is checked (login_reserve:
       password changes sent at once must not check more old passwords than the lockout's
       limit) */
    if ((err = app_begin(c, false)))
        return err;
    if ((err = app_end(c, app_actor(c))))
        return err;
    iom_user_t me = c->actor;
    int64_t now = app_now(c);
    const char *ukey = iom_arena_printf(c->arena, "user:%s", me.name);
    bool found_unused;
    int64_t locked_until;
    iom_user_t unused;
    if ((err = login_reserve(c, p, NULL, ukey, NULL, now, &unused, &found_unused, &locked_until)))
        return err;
    if (locked_until > now)
        return iom_fail(&c->err, IOM_EFORBIDDEN,
                        "password change: too many failed attempts: try again in %lld s",
                        (long long)(locked_until - now));
    bool ok = me.pw_hash && crypto_pwhash_str_verify(me.pw_hash, old_password, strlen(old_password)) == 0;
    if (!ok) /* counted already */
        return iom_fail(&c->err, IOM_EINVAL, "old_password: does not match the current password");
    char *h;
    if ((err = app_password_hash(c, new_password, &h)) || (err = app_begin(c, true)))
        return err;
    c->actor_loaded = false;
    if (!(err = app_actor(c))) {
        iom_user_t u = c->actor;
        if (u.version != me.version)
            err = iom_fail(&c->err, IOM_ECONFLICT, "password: the account changed meanwhile; retry");
        else
            err = set_password_tx(c, &u, h, false, "user.password");
        iom_error ue = {0};
        if (!err && (err = uncount(c, ukey, p->user_max_failures, &ue))) /* it did not fail */
            iom_fail(&c->err, err, "%s", ue.msg);
        if (!err)
            err = c->store->ops->user_get(c->store, u.name, c->arena, out, &c->err);
    }
    return app_end(c, err);
}

/* Whether the actor (an admin) may reset the sign-in of user u (its password or its TOTP):
   whoever signs in with what a reset gives reads as u. Never a user cleared above the admin
   (an admin grants no clearance above their own, and a reset must not be the way round it), and
   over the API never an auditor, who oversees what administrators do (on the command line, the
   database's operator still may; both are audited). Review 41: an OFFICIAL admin reset the
   auditor's password and read OFFICIAL-SENSITIVE content as it. */
static iom_err may_reset(iom_ctx *c, const iom_user_t *u, const char *what)
{
    /* a token resets no sign-in of its own user: the temporary password would make it a
       password session, a token without end and a second factor of the attacker's, and lock
       the user out (review 62) */
    iom_err nt = app_no_token(c, what);
    if (nt)
        return nt;
    if (!iom_clearance_allows(c->actor.clearance, u->clearance))
        return iom_fail(&c->err, IOM_EFORBIDDEN,
                        "%s: '%s' is cleared for %s, above your %s; rule: an admin resets no one "
                        "cleared above them", what, u->name, iom_marking_name(u->clearance),
                        iom_marking_name(c->actor.clearance));
    if (iom_roles_has(u->roles, IOM_ROLE_AUDITOR) && strcmp(u->name, c->actor.name) != 0 && c->via &&
        strcmp(c->via, "http") == 0)
        return iom_fail(&c->err, IOM_EFORBIDDEN,
                        "%s: '%s' is an auditor, who oversees what administrators do; an auditor's "
                        "sign-in is reset on the command line (`iom --as ADMIN user %s`), not over the API",
                        what, u->name, strstr(what, "totp") ? "reset-totp" : "reset-password");
    return IOM_OK;
}

iom_err app_auth_password_reset(iom_ctx *c, const char *name, const char *password,
                                app_password_reset *out)
{
    memset(out, 0, sizeof *out);
    iom_err err = app_authorize_first(c, IOM_ROLE_BIT(IOM_ROLE_ADMIN), "user reset-password");
    if (err || (password && (err = app_password_check_for(c, "password", password, name))))
        return err;
    if (!password) {
        unsigned char raw[18]; /* 144 bits: 24 characters of base64url */
        randombytes_buf(raw, sizeof raw);
        sodium_bin2base64(out->password, sizeof out->password, raw, sizeof raw,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        sodium_memzero(raw, sizeof raw);
    }
    char *h;
    if ((err = app_password_hash(c, password ? password : out->password, &h)) ||
        (err = app_begin(c, true))) {
        sodium_memzero(out->password, sizeof out->password);
        return err;
    }
    iom_user_t u;
    if (!(err = app_actor(c)) &&
        !(err = app_require_role(c, IOM_ROLE_BIT(IOM_ROLE_ADMIN), "user reset-password")) &&
        !(err = c->store->ops->user_get(c->store, name ? name : "", c->arena, &u, &c->err)) &&
        !(err = may_reset(c, &u, "user reset-password"))) {
        if (u.disabled)
            err = iom_fail(&c->err, IOM_ECONFLICT, "user '%s' is disabled", u.name);
        else if (!(err = set_password_tx(c, &u, h, true, "user.password_reset"))) {
            iom_error fe = {0}; /* a reset ends a lockout of the user name too */
            const char *ukey = iom_arena_printf(c->arena, "user:%s", u.name);
            if ((err = c->store->ops->auth->failure_clear(c->store, ukey, &fe)))
                c->err = fe;
            else
                err = c->store->ops->user_get(c->store, u.name, c->arena, &out->user, &c->err);
        }
    }
    err = app_end(c, err);
    if (err)
        sodium_memzero(out->password, sizeof out->password);
    return err;
}

/* ---- TOTP ------------------------------------------------------------------------------- */

iom_err app_totp_enrol(iom_ctx *c, app_totp_enrolment *out)
{
    memset(out, 0, sizeof *out);
    if (c->by_token) /* the account's second factor is its user's, signed in (review 58) */
        return iom_fail(&c->err, IOM_EFORBIDDEN, "totp: an API token enrols no TOTP secret; sign in with "
                                                 "your password to enrol");
    if (!c->has_audit_key)
        return iom_fail(&c->err, IOM_EINTEGRITY, "totp: no audit key loaded to seal the secret");
    iom_err err = app_begin(c, true);
    if (err)
        return err;
    iom_store *s = c->store;
    iom_user_security_t sec;
    iom_error e = {0};
    unsigned char secret[TOTP_SECRET_BYTES];
    randombytes_buf(secret, sizeof secret);
    if ((err = app_actor(c)))
        goto done;
    if ((err = s->ops->auth->security_get(s, c->actor.id, c->arena, &sec, &e))) {
        iom_fail(&c->err, err, "%s", e.msg);
        goto done;
    }
    if (sec.totp_confirmed) {
        err = iom_fail(&c->err, IOM_ECONFLICT,
                       "totp: already enrolled; an admin resets the enrolment first (user reset-totp)");
        goto done;
    }
    char *before = security_json(c, c->actor.name, &sec);
    if ((err = totp_seal(c->audit_key, c->actor.id, secret, sizeof secret, c->arena,
                         &sec.totp_secret, &c->err)) ||
        (err = totp_base32(secret, sizeof secret, out->secret, &c->err)))
        goto done;
    sec.totp_confirmed = false;
    sec.totp_last_step = 0;
    if ((err = s->ops->auth->security_put(s, c->actor.id, &sec, &e))) {
        iom_fail(&c->err, err, "%s", e.msg);
        goto done;
    }
    snprintf(out->uri, sizeof out->uri,
             "otpauth://totp/iom:%s?secret=%s&issuer=iom&algorithm=SHA1&digits=%d&period=%d",
             c->actor.name, out->secret, TOTP_DIGITS, TOTP_STEP);
    err = audit_record(c, "user.totp_enrol", c->actor.name, before,
                       security_json(c, c->actor.name, &sec));
done:
    sodium_memzero(secret, sizeof secret);
    err = app_end(c, err);
    if (err)
        sodium_memzero(out, sizeof *out);
    return err;
}

iom_err app_totp_confirm(iom_ctx *c, const char *code)
{
    if (c->by_token)
        return iom_fail(&c->err, IOM_EFORBIDDEN, "totp: an API token confirms no TOTP secret; sign in with "
                                                 "your password to enrol");
    if (!c->has_audit_key)
        return iom_fail(&c->err, IOM_EINTEGRITY, "totp: no audit key loaded to open the secret");
    iom_err err = app_begin(c, true);
    if (err)
        return err;
    iom_store *s = c->store;
    iom_user_security_t sec;
    iom_error e = {0};
    if ((err = app_actor(c)))
        return app_end(c, err);
    if ((err = s->ops->auth->security_get(s, c->actor.id, c->arena, &sec, &e)))
        return app_end(c, iom_fail(&c->err, err, "%s", e.msg));
    if (!sec.totp_secret || sec.totp_confirmed)
        return app_end(c, iom_fail(&c->err, IOM_ECONFLICT,
                                   sec.totp_confirmed ? "totp: already enrolled and confirmed"
                                                      : "totp: no enrolment in progress: enrol first"));
    char *before = security_json(c, c->actor.name, &sec);
    int64_t step = 0;
    err = check_code(c, &c->actor, &sec, code, app_now(c), &step);
    if (err == IOM_EAUTH || err == IOM_EINVAL)
        return app_end(c, iom_fail(&c->err, IOM_EINVAL,
                                   "totp: '%.12s' is not the current one-time code of the new secret "
                                   "(%d digits; check the device's clock)",
                                   code ? code : "", TOTP_DIGITS));
    if (err)
        return app_end(c, err);
    sec.totp_confirmed = true;
    sec.totp_last_step = step;
    if ((err = s->ops->auth->security_put(s, c->actor.id, &sec, &e)))
        return app_end(c, iom_fail(&c->err, err, "%s", e.msg));
    err = audit_record(c, "user.totp_confirm", c->actor.name, before,
                       security_json(c, c->actor.name, &sec));
    return app_end(c, err);
}

iom_err app_totp_reset(iom_ctx *c, const char *name)
{
    iom_err err = app_begin(c, true);
    if (err)
        return err;
    iom_store *s = c->store;
    iom_user_t u;
    iom_user_security_t sec;
    iom_error e = {0};
    if ((err = app_actor(c)) ||
        (err = app_require_role(c, IOM_ROLE_BIT(IOM_ROLE_ADMIN), "user reset-totp")) ||
        (err = s->ops->user_get(s, name ? name : "", c->arena, &u, &c->err)) ||
        (err = may_reset(c, &u, "user reset-totp")))
        return app_end(c, err);
    if ((err = s->ops->auth->security_get(s, u.id, c->arena, &sec, &e)))
        return app_end(c, iom_fail(&c->err, err, "%s", e.msg));
    if (!sec.totp_secret)
        return app_end(c, iom_fail(&c->err, IOM_ECONFLICT, "totp: user '%s' is not enrolled", u.name));
    char *before = security_json(c, u.name, &sec);
    sec.totp_secret = NULL;
    sec.totp_confirmed = false;
    sec.totp_last_step = 0;
    if ((err = s->ops->auth->security_put(s, u.id, &sec, &e)))
        return app_end(c, iom_fail(&c->err, err, "%s", e.msg));
    err = audit_record(c, "user.totp_reset", u.name, before, security_json(c, u.name, &sec));
    return app_end(c, err);
}

iom_err app_role_require_totp(iom_ctx *c, const char *role, bool on, iom_roles *required)
{
    *required = 0;
    iom_role r;
    iom_err err = app_no_token(c, "role require-totp");
    if (!err)
        err = app_authorize_first(c, IOM_ROLE_BIT(IOM_ROLE_ADMIN), "role require-totp");
    if (!err)
        err = iom_role_parse(role, &r, &c->err);
    if (err || (err = app_begin(c, true)))
        return err;
    iom_store *s = c->store;
    iom_error e = {0};
    iom_roles before = 0;
    if ((err = app_actor(c)) ||
        (err = app_require_role(c, IOM_ROLE_BIT(IOM_ROLE_ADMIN), "role require-totp")))
        return app_end(c, err);
    if ((err = s->ops->auth->totp_roles_get(s, &before, &e)))
        return app_end(c, iom_fail(&c->err, err, "%s", e.msg));
    if (iom_roles_has(before, r) == on) { /* as it is: nothing written or audited (review 104 L3) */
        *required = before;
        return app_end(c, IOM_OK);
    }
    if ((err = s->ops->auth->totp_role_set(s, iom_role_name(r), on, app_now(c), &e)) ||
        (err = s->ops->auth->totp_roles_get(s, required, &e)))
        return app_end(c, iom_fail(&c->err, err, "%s", e.msg));
    json_t *b = json_pack("{s:s, s:b}", "role", iom_role_name(r), "require_totp",
                          iom_roles_has(before, r));
    json_t *a = json_pack("{s:s, s:b}", "role", iom_role_name(r), "require_totp", on);
    err = audit_record(c, "role.require_totp", iom_role_name(r), json_text(c->arena, b),
                       json_text(c->arena, a));
    json_decref(b);
    json_decref(a);
    return app_end(c, err);
}

iom_err app_role_totp_list(iom_ctx *c, iom_roles *required)
{
    *required = 0;
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    iom_error e = {0};
    if ((err = app_actor(c)) ||
        (err = app_require_role(c, IOM_ROLE_BIT(IOM_ROLE_ADMIN), "role list")))
        return app_end(c, err);
    if ((err = c->store->ops->auth->totp_roles_get(c->store, required, &e)))
        iom_fail(&c->err, err, "%s", e.msg);
    return app_end(c, err);
}
