/*
 * auth_store.h: the store's authentication area (store->ops->auth): server sessions, API
 * tokens for scripts and login failure counters (issue 5, architecture.md "Security model");
 * from version 2 also each user's account security state (must change password, the sealed
 * TOTP secret and its last used step), the roles requiring TOTP, and the query of the
 * read-purpose log over the audit trail.
 *
 * Secrets are never stored: sessions and tokens are found by the hex BLAKE2b-256 hash of the
 * token the client holds, and the CSRF token likewise. Same contract as store.h: results in
 * the caller's arena; IOM_ENOTFOUND for a missing key, IOM_ECONFLICT for a duplicate,
 * IOM_ESTORE for anything else. Every call runs inside a transaction opened by the caller.
 */
#ifndef IOM_STORE_AUTH_STORE_H
#define IOM_STORE_AUTH_STORE_H

#include <stdbool.h>

#include "store/store.h"

#define IOM_TOKEN_HASH_HEX 65 /* 64 hex digits and NUL */

typedef struct iom_session_t {
    int64_t id;                       /* internal */
    char token_hash[IOM_TOKEN_HASH_HEX];
    char csrf_hash[IOM_TOKEN_HASH_HEX];
    int64_t user_id;                  /* internal id of the user */
    int64_t created_at;
    int64_t last_seen;
    /* when the session ends unless used again: the earlier of its absolute end and its idle
       end, by the policy in force at its last use (so a limit raised later does not bring an
       ended session back; review 97 M3) */
    int64_t expires_at;
    /* joined, read-only: */
    char *user_name;
} iom_session_t;

typedef struct iom_api_token_t {
    int64_t id;                       /* internal */
    char ref[24];                     /* public: "TOK-000001", assigned by insert */
    char token_hash[IOM_TOKEN_HASH_HEX];
    int64_t user_id;
    int64_t created_by;               /* user id of the creator */
    int64_t created_at;
    int64_t expires_at;               /* 0 = never */
    int64_t revoked_at;               /* 0 = not revoked */
    /* joined, read-only: */
    char *user_name;
    char *created_by_name;
} iom_api_token_t;

/* A user's account security state (migration 4). All zero / NULL when none was recorded. */
typedef struct iom_user_security_t {
    bool must_change_password;        /* set by an admin reset; cleared by a change */
    char *totp_secret;                /* sealed secret (app/auth.c: never the clear secret) or NULL */
    bool totp_confirmed;              /* enrolment confirmed by a first valid code */
    int64_t totp_last_step;           /* last TOTP time step accepted (no replay) */
} iom_user_security_t;

/* Filter of audit entries (the read-purpose log, the audit trail): entries whose action is
   one of `actions` (NULL: any action) and `action` (NULL: any), by `actor`, about
   `object_ref`, from the cursor in the order asked. */
typedef struct iom_audit_read_filter {
    const char *const *actions;       /* NULL-terminated (1..8), or NULL: every action */
    const char *actor;                /* user name or NULL */
    const char *object_ref;           /* object reference or NULL */
    int64_t after_seq;                /* cursor: oldest first, entries with seq > after_seq;
                                         newest first, entries with seq < after_seq (0: from
                                         the newest) */
    size_t limit;                     /* 1.. */
    const char *action;               /* only this action, or NULL */
    bool newest;                      /* newest first (seq descending) */
} iom_audit_read_filter;

/* One login failure counter, keyed "user:NAME" or "addr:ADDRESS". */
typedef struct iom_login_failure_t {
    int64_t failures;                 /* consecutive failures in the current window */
    int64_t first_at;                 /* time of the first failure of the window */
    int64_t locked_until;             /* 0 = not locked */
} iom_login_failure_t;

struct iom_store_auth_ops {
    int version;

    /* Inserts s (token_hash, csrf_hash, user_id, times); OUT s->id. */
    iom_err (*session_insert)(iom_store *s, iom_session_t *in_out, iom_error *e);
    /* The session with that token hash, with its user's name. */
    iom_err (*session_get)(iom_store *s, const char *token_hash, iom_arena *a, iom_session_t *out,
                           iom_error *e);
    /* Its last use moved to now and its end to expires_at. */
    iom_err (*session_touch)(iom_store *s, int64_t id, int64_t now, int64_t expires_at, iom_error *e);
    /* Deletes the session (no error when absent). */
    iom_err (*session_delete)(iom_store *s, const char *token_hash, iom_error *e);
    /* Deletes sessions past their absolute expiry or idle since before idle_cutoff, and the
       failed sign-in counts begun a week or more before now that lock nothing. */
    iom_err (*session_purge)(iom_store *s, int64_t now, int64_t idle_cutoff, iom_error *e);

    /* Inserts t; OUT t->id and t->ref. */
    iom_err (*token_insert)(iom_store *s, iom_api_token_t *in_out, iom_error *e);
    /* By token hash (ref NULL) or by ref (token_hash NULL). */
    iom_err (*token_get)(iom_store *s, const char *token_hash, const char *ref, iom_arena *a,
                         iom_api_token_t *out, iom_error *e);
    /* Sets revoked_at where not yet revoked. */
    iom_err (*token_revoke)(iom_store *s, int64_t id, int64_t now, iom_error *e);

    /* The counter for key, or all zero when there is none. */
    iom_err (*failure_get)(iom_store *s, const char *key, iom_login_failure_t *out, iom_error *e);
    /* Inserts or replaces the counter for key. */
    iom_err (*failure_put)(iom_store *s, const char *key, const iom_login_failure_t *f,
                           iom_error *e);
    iom_err (*failure_clear)(iom_store *s, const char *key, iom_error *e);
    /* ---- version 2 (migration 4) ---- */

    /* The security state of a user (all zero when none: no error). */
    iom_err (*security_get)(iom_store *s, int64_t user_id, iom_arena *a, iom_user_security_t *out,
                            iom_error *e);
    /* Inserts or replaces the security state of a user. */
    iom_err (*security_put)(iom_store *s, int64_t user_id, const iom_user_security_t *in,
                            iom_error *e);
    /* Ends every session of a user and revokes (at `now`) every unrevoked API token of it. */
    iom_err (*end_user_sessions)(iom_store *s, int64_t user_id, int64_t now, iom_error *e);
    /* OUT: the bit set of roles marked as requiring TOTP. */
    iom_err (*totp_roles_get)(iom_store *s, iom_roles *out, iom_error *e);
    /* Marks (on) or unmarks a role (by its name) as requiring TOTP; idempotent. */
    iom_err (*totp_role_set)(iom_store *s, const char *role, bool on, int64_t now, iom_error *e);
    /* Audit entries (of the change chain) matching f, in f's order, at most f->limit (arena).
       IOM_EINVAL for more than 8 actions. */
    iom_err (*audit_reads)(iom_store *s, const iom_audit_read_filter *f, iom_arena *a,
                           iom_audit_t **out, size_t *n, iom_error *e);
    /* ---- version 3 ---- */
    /* The API tokens of a user (user_id 0: of every user), by reference (arena). */
    iom_err (*token_list)(iom_store *s, int64_t user_id, iom_arena *a, iom_api_token_t **out,
                          size_t *n, iom_error *e);
    /* New slots are appended below this line. */
};

#endif
