/*
 * user.h: use-cases over users and roles (domain.md §3).
 * Results in ctx->arena; errors as app.h with the detail in ctx->err.
 */
#ifndef IOM_APP_USER_H
#define IOM_APP_USER_H

#include "app/app.h"
#include "app/page.h"

#define APP_USER_MAX_ROLES IOM_ROLE_COUNT
#define APP_PASSWORD_MIN 12
#define APP_PASSWORD_MAX 256

typedef struct app_user_input {
    const char *name;             /* 2..64 chars: a-z 0-9 . _ - */
    const char *agency;           /* agency code */
    const char *roles[APP_USER_MAX_ROLES];
    size_t nroles;
    const char *clearance;        /* OFFICIAL | OFFICIAL-SENSITIVE */
    const char *password;         /* optional; hashed with Argon2id, never stored in clear */
    bool own_password;            /* the password is the user's own (the demo's): not one to change
                                     at first sign-in, as an admin's choice for another is */
} app_user_input;

/* `iom user add`: by an admin, or with no actor while no enabled admin exists (bootstrap).
   Rules: known, enabled agency; roles known and not repeated; TOEX roles (toex_manager, sia,
   analyst, ido, dia, researcher) only for TOEX users; gateway and ttcg only at a force or ROCU;
   sio and spoc only at an agency that can own threats; password 12..256 bytes. A password an
   admin gives (own_password false) is temporary: the account must change it at its first
   sign-in. An auditor is added only on the command line (IOM_EFORBIDDEN over the API). */
iom_err app_user_add(iom_ctx *c, const app_user_input *in, iom_user_t *out);

typedef struct app_user_query {
    const char *agency; /* only users of this agency, or NULL */
    const char *role;   /* only users holding this role, or NULL */
    app_page page;      /* by name */
} app_user_query;

/* `iom user list`: any enabled user; by name, one page (page.h). IOM_EINVAL for an unknown
   role or a bad limit. */
iom_err app_user_list(iom_ctx *c, const app_user_query *q, iom_user_t **out, size_t *n,
                      const char **next);

/* `iom user show NAME`: any enabled user. */
iom_err app_user_get(iom_ctx *c, const char *name, iom_user_t *out);

/* Inside a transaction: how many users hold the auditor role and may sign in (the user and
   its agency enabled), not counting those of agency except_agency_id (0: none). */
iom_err app_enabled_auditors(iom_ctx *c, int64_t except_agency_id, size_t *n);

/* `iom user disable NAME [--reason TEXT]`: admin; refuses to disable the last enabled admin or
   auditor, an SIO who holds a threat's risk, an SIA of a live tasking. REASON (may be NULL) is
   recorded in the audit entry. */
iom_err app_user_disable(iom_ctx *c, const char *name, const char *reason, iom_user_t *out);

/* `iom user enable NAME`: admin; a disabled user of an enabled agency may act and sign in
   again; the sessions and tokens it held end (it signs in anew). *out: the user (c->arena).
   IOM_ENOTFOUND: no such user; IOM_ECONFLICT: not disabled, or its agency is disabled;
   IOM_EPERM: not an admin. */
iom_err app_user_enable(iom_ctx *c, const char *name, iom_user_t *out);

/* The password rule: 12..256 bytes of UTF-8 without control characters, at least 5 different
   characters, not digits and symbols alone nor one of the words guessing lists start with
   between them ("Password123!"), and (app_password_check_for) not holding the user's name
   (user NULL: not checked); IOM_EINVAL naming `field` (e.g. "new_password") otherwise. */
iom_err app_password_check(iom_ctx *c, const char *field, const char *pw);
iom_err app_password_check_for(iom_ctx *c, const char *field, const char *pw, const char *user);

/* Argon2id hash of pw (crypto_pwhash_str at the context's cost) in ctx->arena. Slow by design:
   call it outside a write transaction. IOM_ENOMEM when hashing fails. */
iom_err app_password_hash(iom_ctx *c, const char *pw, char **out);

/* Checks a user name (exported for the HTTP adapter's login form). */
iom_err app_user_name_check(const char *name, iom_error *e);

/* The rule of a new user's name, as its refusals and the help state it (review 84 L12: the help
   and the refusal of a bad character left out the first character's rule). */
#define APP_USER_NAME_RULE "2-64 characters: a-z, 0-9, '.', '_', '-', the first a-z or 0-9"

#endif
