/*
 * app.h: the use-case context shared by every use-case in src/app/.
 *
 * A use-case is one function per user action: it takes an iom_ctx and a plain input struct,
 * resolves and checks the actor, applies the domain rule, writes the change and its audit
 * entry in ONE store transaction, and returns a plain result allocated in ctx->arena. The
 * CLI and the HTTP server call the same functions, so both behave identically.
 *
 * On failure a use-case returns the iom_err and leaves the detail in ctx->err; nothing has
 * been written (the transaction was rolled back).
 */
#ifndef IOM_APP_APP_H
#define IOM_APP_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"
#include "util/arena.h"
#include "util/err.h"

#define IOM_AUDIT_KEY_BYTES 32

typedef int64_t (*iom_clock_fn)(void *clock_data);

typedef struct iom_ctx {
    iom_store *store;          /* borrowed */
    iom_arena *arena;          /* borrowed: results live here */
    iom_clock_fn clock;        /* NULL = the system clock */
    void *clock_data;
    const char *actor_name;    /* acting iom user (CLI --as, HTTP session) or NULL */
    const char *os_user;       /* operating-system user, recorded in the audit */
    const char *via;           /* "cli", "http", "system" */
    /* Why the actor reads intelligence content (HTTP X-Iom-Purpose, CLI --purpose), or NULL:
       then a read is logged with the relation that granted access (domain/access.h). Checked
       by app_purpose_check before it is set. */
    const char *purpose;
    unsigned char audit_key[IOM_AUDIT_KEY_BYTES];
    bool has_audit_key;
    /* Argon2id cost (crypto_pwhash). Zero = libsodium's INTERACTIVE limits. Tests lower it. */
    unsigned long long pwhash_opslimit;
    size_t pwhash_memlimit;
    iom_error err;             /* detail of the last failure */
    /* Resolved by app_actor(); valid for the current use-case only. */
    iom_user_t actor;
    bool actor_loaded;
    /* A read transaction opened by app_hold_read that read-only use-cases join (see there). */
    bool held;
    /* Set by the caller before app_hold_read: that one hold may be optimistic (store.h
       begin_read_optimistic), because the caller checks read_stale after app_release and then
       throws its answer away and runs the request again (`iom serve`, for a GET). Cleared by
       app_hold_read: a later hold in the same request is a plain one. */
    bool optimistic;
    /* Set by app_release when an optimistic hold served rows older than its snapshot: nothing
       read in it may be shown. A write refused for it fails with IOM_ECONFLICT. */
    bool read_stale;
    /* Set by app_read_log_refused once the request's refusal is logged (queued), so that an
       adapter's error path does not log it again. */
    bool refusal_logged;
    /* The actor signed in with an API token (`iom serve`, Authorization: Bearer): a token is
       for automation, not for the account's own keys: it makes no token and enrols no TOTP
       secret (review 58: a 1-day token made a 10-year one). */
    bool by_token;
    /* Overrides of the sign-in policy (lockout, session lengths) by the server's options, or
       NULL (the CLI): a struct app_auth_policy of app/auth.h, borrowed; a field > 0 wins over
       the stored auth.session / auth.lockout settings (app/settings.h
       app_settings_auth_policy), 0 takes the setting. */
    const struct app_auth_policy *auth_policy;
    /* Where content reads are logged (app/readlog.h, app_read_log): NULL = on this store, in a
       write transaction of their own (a batch of one), before the use-case returns; else the
       group-commit writer (borrowed). With a writer and a ticket (borrowed), a content read
       returns once its entry is queued and the adapter shows nothing until the ticket says it
       is written. */
    struct app_readlog *readlog;
    struct app_read_ticket *read_ticket;
    /* Every problem the operations table's checks found in one input's fields (op_decode_body,
       op_check: a missing, unknown or wrong-typed field, a value not allowed), not only the
       first (review 90: a form of three bad fields took three submits). The first is also
       err.msg. problems[i] is "field: rule", problem_fields[i] the field as named in the
       request; both in arena. nproblems counts every one; at most IOM_MAX_PROBLEMS are kept.
       The adapters show them all (the API's problem "errors", one CLI line each) when err.msg
       is still the first of them. */
#define IOM_MAX_PROBLEMS 16
    const char *problems[IOM_MAX_PROBLEMS];
    const char *problem_fields[IOM_MAX_PROBLEMS];
    size_t nproblems;
    /* The database's path, for background jobs that open a store of their own (app/job.h):
       set by `iom serve`; NULL elsewhere (no jobs). Borrowed. */
    const char *db_path;
} iom_ctx;

/* Initialises a context over store and arena with the system clock. */
void app_ctx_init(iom_ctx *c, iom_store *store, iom_arena *arena);

/* Whether the failure in c->err is the first of c's problems of more than one (iom_ctx
   problems): then an adapter shows them all. */
bool app_problems_apply(const iom_ctx *c);

/* Checking an input whole (iom_ctx problems): clear c->nproblems, run every check, note each
   failure, and end with app_problems_end. app_problem notes a problem of `field` (printf
   text naming it, "field: rule"); a field already noted is not noted again. */
void app_problem(iom_ctx *c, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* After a check of `field` returned err: IOM_EINVAL is noted (c->err's text) and IOM_OK
   returned, so that checking goes on; any other error (out of memory, the store) is returned
   as it is, to stop. field NULL: the field the message names first ("grade: ..."). */
iom_err app_problem_noted(iom_ctx *c, const char *field, iom_err err);
/* IOM_OK when nothing was noted since c->nproblems was cleared; else IOM_EINVAL with the first
   problem in c->err. */
iom_err app_problems_end(iom_ctx *c);

/* Current time (UTC seconds) from the injected clock. */
int64_t app_now(iom_ctx *c);

/* Today as days since 1970-01-01: the day in the UK (Europe/London), where the people who
   enter dates are (under BST the UTC day ends an hour earlier; review 81 L10). */
int64_t app_today(iom_ctx *c);

/* Inside a transaction: loads ctx->actor_name into ctx->actor. IOM_EAUTH when no actor is
   named, the user does not exist or is disabled. */
iom_err app_actor(iom_ctx *c);

/* The If-Match check of a versioned object (`kind` "threat", "tasking"; `ref` its reference) at
   `version`: if_version 0 checks nothing; a later version than it has is IOM_ECONFLICT "version
   N is no version of it", an earlier one IOM_ECONFLICT "you read version N but it is now
   version M" (docs/serve.md: a stale version is told before the role and the state). */
iom_err app_check_version(iom_ctx *c, const char *kind, const char *ref, int64_t if_version, int64_t version);

/* Transaction helpers: app_end commits when err == IOM_OK, otherwise rolls back; returns the
   final error (a failed commit is reported). */
iom_err app_begin(iom_ctx *c, bool write);
iom_err app_end(iom_ctx *c, iom_err err);

/* Held read: an adapter that runs several read-only steps for one request (the HTTP server
   for GET: sign-in check, then the use-case) opens ONE read transaction with app_hold_read, so
   every step sees the same snapshot and the store's per-transaction work is done once. While
   it is held, app_begin(c, false) joins it and app_end leaves it open (a failed read has
   written nothing); app_begin(c, true) first ends the held read, then begins the write as
   usual, so a use-case that writes (a read-log entry, a session touch) behaves exactly as
   without the hold. app_release ends the hold (if still held); it is safe to call always.
   IOM_ESTORE from app_hold_read when the store cannot begin (nothing is held then). */
iom_err app_hold_read(iom_ctx *c);
void app_release(iom_ctx *c);

/* A stated purpose of reading: 1..APP_PURPOSE_MAX bytes of UTF-8 without control characters
   (IOM_EINVAL naming "purpose" otherwise). */
#define APP_PURPOSE_MAX 200
iom_err app_purpose_check(const char *purpose, iom_error *e);

/* The purpose recorded for a read of content granted by `relation_purpose` (the domain's
   access_read_purpose): the stated ctx->purpose when there is one, else the relation. */
const char *app_read_purpose(const iom_ctx *c, const char *relation_purpose);

/* True when the actor holds role r. */
bool app_actor_has(const iom_ctx *c, iom_role r);

/* IOM_EFORBIDDEN naming the action and the roles that may do it, unless the actor holds one
   of the roles in `allowed` (bit set). */
iom_err app_require_role(iom_ctx *c, iom_roles allowed, const char *action);

/* IOM_EFORBIDDEN when the actor signed in with an API token: the accounts' keys and who may
   sign in (a user added or enabled, a password or TOTP reset, a lockout lifted, the roles
   that need TOTP, the auth.* settings: lockout and session limits) are managed from a session signed in with a password, so that a leaked
   token cannot make itself an account that outlives it (review 62, 69). */
iom_err app_no_token(iom_ctx *c, const char *action);

/* The same check before a use-case looks at its input: a caller without the role is told so
   (IOM_EFORBIDDEN, or IOM_EAUTH for an unknown or disabled actor) before any of the input's
   faults, so a refusal reveals nothing about which inputs would be accepted and costs no
   validation (or password hashing). Reads the actor in a read transaction of its own unless a
   held read has it already; the use-case's own transaction reads it again in its snapshot. */
iom_err app_authorize_first(iom_ctx *c, iom_roles allowed, const char *action);

#endif
