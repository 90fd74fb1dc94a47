/*
 * auth.h: authentication use-cases of the server (issue 5; architecture.md "Security model").
 *
 *  - Sign-in with a password (Argon2id, crypto_pwhash_str_verify) opens a session: a 256-bit
 *    random token for the cookie and a 256-bit CSRF token, both returned once and stored only
 *    as BLAKE2b-256 hashes. Repeated failures lock the user name and the client address out
 *    for a while (policy below); an unknown user costs the same verification time as a known
 *    one, and every failure answers the same, so names cannot be probed.
 *  - Every request resolves its session or Bearer API token again, including the user: a
 *    disabled user's sessions and tokens stop at once. Sessions expire when idle and at an
 *    absolute age.
 *  - API tokens for scripts: created by the user or an admin, printed once, revocable.
 *  - Password change (the old password required) and admin reset: after a reset the user
 *    must change the password before anything else; a change or reset ends every session
 *    and revokes every API token of the user.
 *  - TOTP second factor (RFC 6238, app/totp.h): enrolment shows the secret once and is
 *    confirmed by a first valid code; an enrolled user signs in with {password, totp}, a code
 *    is accepted once (no replay) within one step either side; a wrong code counts as a
 *    failed sign-in for the lockout. An admin marks roles as requiring TOTP: their users may
 *    sign in but do nothing else until enrolled (app_auth_restriction).
 *
 * Results live in ctx->arena (except the fixed buffers below); errors as app.h with the
 * detail in ctx->err. IOM_EAUTH for every authentication failure.
 */
#ifndef IOM_APP_AUTH_H
#define IOM_APP_AUTH_H

#include <jansson.h>
#include <stdbool.h>

#include "app/app.h"
#include "app/page.h"
#include "store/auth_store.h"

#define APP_TOKEN_MAX 64 /* text of a session, CSRF or API token, with NUL */

typedef struct app_auth_policy {
    int64_t idle_seconds;        /* session idle expiry; default 30 min */
    int64_t absolute_seconds;    /* session absolute expiry; default 12 h */
    int64_t user_max_failures;   /* failures of one user name before lockout; default 5 */
    int64_t addr_max_failures;   /* failures from one client address before lockout; default 20 */
    int64_t failure_window;      /* failures older than this are forgotten; default 15 min */
    int64_t lockout_seconds;     /* lockout length; default 15 min */
} app_auth_policy;

/* Fills the defaults above. */
void app_auth_policy_default(app_auth_policy *p);

typedef struct app_login {
    iom_user_t user;
    char session[APP_TOKEN_MAX];  /* cookie value; shown once */
    char csrf[APP_TOKEN_MAX];     /* X-CSRF-Token value; shown once */
    int64_t expires_at;           /* absolute expiry of the session */
    int64_t retry_after;          /* on a refused sign-in: seconds until the lockout ends (0: not locked) */
    bool must_change_password;    /* the session is restricted until the password is changed */
    bool totp_enrolment_required; /* ... until TOTP is enrolled (a role requires it) */
} app_login;

/* Signs in `name` with `password` (and `totp`, the one-time code, NULL when none was given)
   from `client` (an address, for the per-address counter). IOM_EAUTH "invalid user name or
   password" for every failure; out->retry_after > 0 when a lockout refused it without
   checking the password. A user enrolled in TOTP who gives no code gets IOM_EAUTH naming
   "totp" (not counted as a failure: the password was right); a wrong or replayed code is a
   failure. Failures are recorded (committed) even though the call fails. Needs the audit
   key for an enrolled user (the sealed secret). */
iom_err app_auth_login(iom_ctx *c, const app_auth_policy *p, const char *name,
                       const char *password, const char *totp, const char *client,
                       app_login *out);

/* Ends the session with this token (no error when it is already gone). */
iom_err app_auth_logout(iom_ctx *c, const char *session_token);

typedef struct app_principal {
    iom_user_t user;
    bool session;                          /* true: cookie session; false: Bearer API token */
    char csrf_hash[IOM_TOKEN_HASH_HEX];    /* session only */
    bool must_change_password;             /* see app_auth_restriction */
    bool totp_enrolment_required;
} app_principal;

typedef enum app_restriction {
    APP_RESTRICT_NONE,
    APP_RESTRICT_PASSWORD,   /* an admin set the password (a reset, a new account): change it first */
    APP_RESTRICT_TOTP,       /* a role of the user requires TOTP: enrol first */
} app_restriction;

/* What the principal must do first; OUT *why (static text) says so. While the password must
   be changed, nothing but sign-out, "me" and the password change may be used; while TOTP
   must be enrolled, those and the enrolment. The password comes first when both apply. */
app_restriction app_auth_restriction(const app_principal *p, const char **why);

/* Resolves a session cookie value. IOM_EAUTH when unknown, expired or the user is disabled.
   Records activity (last_seen) at most once a minute. */
iom_err app_auth_session(iom_ctx *c, const app_auth_policy *p, const char *token,
                         app_principal *out);

/* True when csrf is the session's CSRF token (constant-time comparison of hashes). */
bool app_auth_csrf_ok(const app_principal *p, const char *csrf);

/* Resolves a Bearer API token. IOM_EAUTH when unknown, revoked, expired or the user is
   disabled. */
iom_err app_auth_bearer(iom_ctx *c, const char *token, app_principal *out);

typedef struct app_token_created {
    iom_api_token_t t;
    char token[APP_TOKEN_MAX];    /* shown once, never stored */
} app_token_created;

/* `iom token create [--for USER] [--expires DAYS]`: the actor creates a token for itself, or
   an admin for any enabled user. days 1..3650 (0 = default 90). Audited (without the token). */
iom_err app_token_create(iom_ctx *c, const char *for_user, int64_t days, app_token_created *out);

typedef struct app_token_query {
    const char *user;   /* whose tokens: NULL = the actor's own; another user: admin only
                           (an admin with NULL lists every user's) */
    app_page page;      /* by reference */
} app_token_query;

/* `iom token list`: API tokens (never the token itself) with their state, by reference. A
   user sees its own; an admin any user's (all when q->user is NULL); another user's
   otherwise IOM_EFORBIDDEN. */
iom_err app_token_list(iom_ctx *c, const app_token_query *q, iom_api_token_t **out, size_t *n,
                       const char **next);

/* `iom user unlock NAME` (admin): ends the lockout of a user name after repeated failed
   sign-ins (a password reset ends it too). Audited as "user.unlock". */
iom_err app_user_unlock(iom_ctx *c, const char *name, iom_user_t *out);

/* The sign-in counter's name for a client address (what app_auth_login counts and
   app_address_unlock clears): an IPv4 address as itself (an IPv4-mapped IPv6 address too);
   an IPv6 address by its /64 network, "2001:db8:1:2::/64" (one host holds a whole /64:
   counted address by address, it would never be locked). text: an address, or an IPv6
   network written with /64. Returns false (out untouched) when text is neither. */
#define APP_ADDR_KEY_MAX 64
bool app_auth_client_key(const char *text, char out[APP_ADDR_KEY_MAX]);

typedef struct app_address_lock {
    char address[APP_ADDR_KEY_MAX]; /* the counter's name (app_auth_client_key) */
    int64_t failures;               /* what was cleared: failures counted in the window */
    int64_t locked_until;           /* and the end of the lock (0: none) */
} app_address_lock;

/* `iom user unlock-address ADDRESS` (admin): ends the lockout of a client address (or IPv6
   /64) after repeated failed sign-ins from it, whatever the user names tried. IOM_EINVAL
   when ADDRESS is no address. An address with no failure to clear is answered as it is
   (failures 0), nothing written or audited; else audited as "user.unlock_address". OUT *out:
   the counter as it was. */
iom_err app_address_unlock(iom_ctx *c, const char *address, app_address_lock *out);

/* `iom token revoke REF`: the token's user or an admin. Another user's token reads as
   IOM_ENOTFOUND. Audited. */
iom_err app_token_revoke(iom_ctx *c, const char *ref, iom_api_token_t *out);

/* ---- passwords ---------------------------------------------------------------------------- */

/* The actor changes its own password: old_password must verify (a wrong one counts as a
   failed sign-in of the user, IOM_EINVAL naming old_password; while the user is locked out,
   IOM_EFORBIDDEN), new_password follows the rule of user.h and differs from the old one.
   Clears must-change, ends every session and API token of the user, audits
   "user.password" (no hash). */
iom_err app_auth_password_change(iom_ctx *c, const app_auth_policy *p, const char *old_password,
                                 const char *new_password, iom_user_t *out);

typedef struct app_password_reset {
    iom_user_t user;
    char password[APP_TOKEN_MAX]; /* the temporary password when generated (shown once), else "" */
} app_password_reset;

/* `user reset-password NAME` (admin): sets `password` (NULL: a random one, returned once) and
   makes the user change it at the next sign-in; ends the user's sessions and API tokens;
   audits "user.password_reset". IOM_ENOTFOUND for an unknown user, IOM_ECONFLICT for a
   disabled one. */
iom_err app_auth_password_reset(iom_ctx *c, const char *name, const char *password,
                                app_password_reset *out);

/* ---- TOTP ------------------------------------------------------------------------------- */

typedef struct app_totp_enrolment {
    char secret[64];   /* base32, shown once */
    char uri[256];     /* otpauth://totp/iom:NAME?secret=...&issuer=iom&... shown once */
} app_totp_enrolment;

/* The actor starts (or restarts, while unconfirmed) its TOTP enrolment: a new secret, sealed
   at rest (app/totp.h). IOM_ECONFLICT when already enrolled (an admin resets it first). */
iom_err app_totp_enrol(iom_ctx *c, app_totp_enrolment *out);

/* Confirms the enrolment with a first valid code (IOM_EINVAL naming "totp" otherwise;
   IOM_ECONFLICT when there is no enrolment in progress). Audited. */
iom_err app_totp_confirm(iom_ctx *c, const char *code);

/* `user reset-totp NAME` (admin): removes the user's enrolment (lost device). Audited. */
iom_err app_totp_reset(iom_ctx *c, const char *name);

/* `role require-totp ROLE [--off]` (admin): marks or unmarks a role as requiring TOTP.
   OUT *required: the roles that require it afterwards. Audited "role.require_totp". */
iom_err app_role_require_totp(iom_ctx *c, const char *role, bool on, iom_roles *required);

/* The roles marked as requiring TOTP (admin). */
iom_err app_role_totp_list(iom_ctx *c, iom_roles *required);

/* {"ref", "user", "created_at", "expires_at"|null, "revoked_at"|null, "created_by"}. */
json_t *json_of_api_token(const iom_api_token_t *t);

#endif
