#include "app/user.h"

#include <stddef.h>

#include <sodium.h>
#include <string.h>

#include "app/audit.h"
#include "app/json.h"
#include "store/auth_store.h"
#include "domain/roles.h"
#include "util/text.h"

static char *user_json(iom_ctx *c, const iom_user_t *u)
{
    json_t *j = json_of_user(u);
    char *s = json_text(c->arena, j);
    json_decref(j);
    return s;
}

iom_err app_user_name_check(const char *name, iom_error *e)
{
    iom_err err = iom_text_check("name", name, 64, IOM_TEXT_REQUIRED | IOM_TEXT_SINGLE_LINE, e);
    if (err)
        return err;
    size_t n = strlen(name);
    bool ok = n >= 2;
    for (size_t i = 0; ok && i < n; i++) {
        char ch = name[i];
        ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' ||
             ch == '-';
    }
    if (!ok)
        return iom_fail(e, IOM_EINVAL, "name: '%s' is not a valid user name (%s)", name, APP_USER_NAME_RULE);
    return IOM_OK;
}

/* A new user's fields, every one checked and every problem noted (iom_ctx problems, review 90:
   a form of several bad fields is told all of them at once). IOM_EINVAL with the first in
   c->err. */
static iom_err parse_input(iom_ctx *c, const app_user_input *in, iom_roles *roles,
                           iom_marking *clearance)
{
    c->nproblems = 0;
    iom_err err = app_user_name_check(in->name, &c->err);
    /* a new name starts with a letter or digit: one of dots ('..') is a path step no URL can
       name (review 83 L1: such a user could not be shown, disabled or taken off a team over
       HTTP); names made before still sign in */
    if (!err && !((in->name[0] >= 'a' && in->name[0] <= 'z') || (in->name[0] >= '0' && in->name[0] <= '9')))
        err = iom_fail(&c->err, IOM_EINVAL, "name: '%s' is not a valid user name: it starts with a "
                                            "letter or digit (%s)",
                       in->name, APP_USER_NAME_RULE);
    if ((err = app_problem_noted(c, "name", err)))
        return err;
    if (!in->agency || !*in->agency)
        app_problem(c, "agency", "agency: a user must belong to an agency (--agency CODE)");
    if (in->nroles == 0)
        app_problem(c, "role", "role: a user needs at least one role (--role ROLE)");
    *roles = 0;
    for (size_t i = 0; i < in->nroles; i++) {
        iom_role r;
        if ((err = iom_role_parse(in->roles[i], &r, &c->err))) {
            if ((err = app_problem_noted(c, "role", err)))
                return err;
        } else if (iom_roles_has(*roles, r))
            app_problem(c, "role", "role: '%s' is given twice", in->roles[i]);
        else
            *roles |= IOM_ROLE_BIT(r);
    }
    if (!in->clearance || !*in->clearance)
        app_problem(c, "clearance", "clearance: required (--clearance OFFICIAL|OFFICIAL-SENSITIVE)");
    else if ((err = iom_marking_parse(in->clearance, clearance, &c->err))) {
        if (err != IOM_EINVAL)
            return err;
        /* The parser names the field "marking"; say "clearance" (copy: never format a
           buffer into itself). */
        char detail[IOM_ERRMSG_MAX];
        const char *colon = strchr(c->err.msg, ':');
        snprintf(detail, sizeof detail, "%s", colon ? colon + 2 : c->err.msg);
        app_problem(c, "clearance", "clearance: %s", detail);
    }
    if (in->password &&
        (err = app_problem_noted(c, "password",
                                 app_password_check_for(c, "password", in->password, in->name))))
        return err;
    return app_problems_end(c);
}

/* Whether the ASCII-lower-cased text of s (n bytes) holds word (lower case). */
static bool holds_word(const char *s, size_t n, const char *word)
{
    size_t w = strlen(word);
    for (size_t i = 0; w && i + w <= n; i++) {
        size_t k = 0;
        while (k < w && (s[i + k] >= 'A' && s[i + k] <= 'Z' ? s[i + k] + 32 : s[i + k]) == word[k])
            k++;
        if (k == w)
            return true;
    }
    return false;
}

iom_err app_password_check_for(iom_ctx *c, const char *field, const char *pw, const char *user)
{
    size_t n = pw ? strlen(pw) : 0;
    if (n < APP_PASSWORD_MIN || n > APP_PASSWORD_MAX)
        return iom_fail(&c->err, IOM_EINVAL, "%s: must be %d to %d bytes long (got %zu)", field,
                        APP_PASSWORD_MIN, APP_PASSWORD_MAX, n);
    iom_err err = iom_text_check(field, pw, APP_PASSWORD_MAX, IOM_TEXT_SINGLE_LINE, &c->err);
    if (err)
        return iom_fail(&c->err, err, "%s: must be valid UTF-8 without control characters or edge spaces",
                        field);
    /* what every guessing list tries first (NCSC password guidance: deny the most common):
       few distinct characters, the words such lists start with, the user's own name
       (review 72: "aaaaaaaaaaaa" and "wy-off-spoc-wy-off-spoc" were taken) */
    unsigned char seen[256] = {0};
    size_t distinct = 0;
    for (size_t i = 0; i < n; i++)
        distinct += !seen[(unsigned char)pw[i]]++;
    if (distinct < 5)
        return iom_fail(&c->err, IOM_EINVAL, "%s: has only %zu different characters; a passphrase of "
                        "several words is easier to remember and harder to guess", field, distinct);
    /* the password without the digits and symbols around it, lower-cased: one of the words
       guessing lists start with ("Password123!", "qwertyuiop12"), or nothing at all (digits
       and symbols alone: "123456789012") */
    size_t a = 0, b = n;
    while (a < b && !((pw[a] | 32) >= 'a' && (pw[a] | 32) <= 'z') && (unsigned char)pw[a] < 0x80)
        a++;
    while (b > a && !((pw[b - 1] | 32) >= 'a' && (pw[b - 1] | 32) <= 'z') && (unsigned char)pw[b - 1] < 0x80)
        b--;
    static const char *const common[] = {"password", "passw", "qwerty", "qwertyuiop", "asdfghjkl",
                                         "iloveyou", "letmein", "welcome", "admin", "changeme",
                                         "abcdefghijkl", "monkey", "dragon", "football", "sunshine",
                                         "princess", "superman", "trustno", "master", "login", NULL};
    if (a == b)
        return iom_fail(&c->err, IOM_EINVAL, "%s: digits and symbols alone are guessed first; choose a "
                        "passphrase of words", field);
    for (const char *const *w = common; *w; w++)
        if (b - a == strlen(*w) && holds_word(pw + a, b - a, *w))
            return iom_fail(&c->err, IOM_EINVAL, "%s: '%s' with digits or symbols is among the first "
                            "things a guesser tries; choose a passphrase of unrelated words", field, *w);
    if (user && strlen(user) >= 3) {
        char low[APP_PASSWORD_MAX + 1];
        size_t k = 0;
        for (; user[k] && k < sizeof low - 1; k++)
            low[k] = (char)(user[k] >= 'A' && user[k] <= 'Z' ? user[k] + 32 : user[k]);
        low[k] = 0;
        if (holds_word(pw, n, low))
            return iom_fail(&c->err, IOM_EINVAL, "%s: holds the user name; choose a passphrase that "
                            "does not", field);
    }
    return IOM_OK;
}

iom_err app_password_check(iom_ctx *c, const char *field, const char *pw)
{
    return app_password_check_for(c, field, pw, NULL);
}

iom_err app_password_hash(iom_ctx *c, const char *pw, char **out)
{
    if (sodium_init() < 0)
        return iom_fail(&c->err, IOM_ESTORE, "password: libsodium could not initialise");
    char *h = iom_arena_alloc(c->arena, crypto_pwhash_STRBYTES);
    unsigned long long ops = c->pwhash_opslimit ? c->pwhash_opslimit : crypto_pwhash_OPSLIMIT_INTERACTIVE;
    size_t mem = c->pwhash_memlimit ? c->pwhash_memlimit : crypto_pwhash_MEMLIMIT_INTERACTIVE;
    if (crypto_pwhash_str_alg(h, pw, strlen(pw), ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return iom_fail(&c->err, IOM_ENOMEM, "password: hashing ran out of memory");
    *out = h;
    return IOM_OK;
}

iom_err app_user_add(iom_ctx *c, const app_user_input *in, iom_user_t *out)
{
    iom_roles roles = 0;
    iom_marking clearance = IOM_MARKING_OFFICIAL;
    iom_err err = IOM_OK;
    /* with an actor, the actor must be an admin before the input is looked at; without one
       (the first user of a new database) the transaction below decides */
    if (c->actor_name && *c->actor_name && !(err = app_no_token(c, "user add")))
        err = app_authorize_first(c, IOM_ROLE_BIT(IOM_ROLE_ADMIN), "user add");
    if (err || (err = parse_input(c, in, &roles, &clearance)))
        return err;
    /* the auditor oversees what administrators do: an admin makes no auditor over the API, as
       an auditor's sign-in is reset only on the command line (review 72: an admin made an
       auditor with a password of its choosing and read every tasking's intelligence with it) */
    if (iom_roles_has(roles, IOM_ROLE_AUDITOR) && c->via && strcmp(c->via, "http") == 0)
        return iom_fail(&c->err, IOM_EFORBIDDEN,
                        "roles: an auditor, who oversees what administrators do, is added on the "
                        "command line (`iom --as ADMIN user add %s --role auditor ...`), not over the API",
                        in->name);
    char *pw_hash = NULL;
    /* Hash before the write transaction: Argon2id is deliberately slow. */
    if (in->password && (err = app_password_hash(c, in->password, &pw_hash)))
        return err;
    if ((err = app_begin(c, true)))
        return err;
    int64_t admins = 0;
    if ((err = c->store->ops->user_count_admins(c->store, 0, &admins, &c->err)))
        return app_end(c, err);
    if (c->actor_name && *c->actor_name) {
        if ((err = app_actor(c)) ||
            (err = app_require_role(c, IOM_ROLE_BIT(IOM_ROLE_ADMIN), "user add")))
            return app_end(c, err);
        /* an admin grants no clearance above their own: what they cannot read, they cannot
           open to an account they made */
        if (!iom_clearance_allows(c->actor.clearance, clearance))
            return app_end(c, iom_fail(&c->err, IOM_EFORBIDDEN,
                                       "clearance: %s is above your own (%s); an admin grants no "
                                       "clearance above their own",
                                       iom_marking_name(clearance),
                                       iom_marking_name(c->actor.clearance)));
    } else if (admins > 0) {
        return app_end(c, iom_fail(&c->err, IOM_EAUTH,
                                   "user add: an admin exists, so only an admin adds users: give --as ADMIN"));
    }
    iom_agency_t a;
    err = c->store->ops->agency_get(c->store, in->agency, c->arena, &a, &c->err);
    if (err == IOM_ENOTFOUND)
        err = iom_fail(&c->err, IOM_EINVAL, "agency: '%s' is not a known agency code", in->agency);
    else if (!err && a.disabled)
        err = iom_fail(&c->err, IOM_EINVAL, "agency: '%s' is disabled", in->agency);
    if (err || (err = roles_agency_check(roles, a.kind, a.code, a.region_gateway, &c->err)))
        return app_end(c, err);
    iom_user_t u = {.name = (char *)in->name, .agency = a.code, .roles = roles,
                    .clearance = clearance, .pw_hash = pw_hash, .created_at = app_now(c)};
    if ((err = c->store->ops->user_insert(c->store, &u, &c->err)) ||
        (err = c->store->ops->user_get(c->store, in->name, c->arena, out, &c->err)))
        return app_end(c, err);
    /* A password an admin chose is a temporary one, as a reset's is: its session may only
       change it (app_auth_restriction), so the admin does not end up holding a working
       sign-in of someone else's account. The bootstrap admin's (no actor) and the demo's are
       their own. */
    if (pw_hash && c->actor_name && *c->actor_name && !in->own_password) {
        iom_user_security_t sec;
        iom_error e = {0};
        if ((err = c->store->ops->auth->security_get(c->store, out->id, c->arena, &sec, &e)))
            return app_end(c, iom_fail(&c->err, err, "%s", e.msg));
        sec.must_change_password = true;
        if ((err = c->store->ops->auth->security_put(c->store, out->id, &sec, &e)))
            return app_end(c, iom_fail(&c->err, err, "%s", e.msg));
    }
    err = audit_record(c, "user.add", out->name, NULL, user_json(c, out));
    return app_end(c, err);
}

/* The user directory (review 84 L8): every signed-in user may find another to task or name
   (name, agency, roles); the account itself (clearance, disabled, whether a password is set,
   when it was made, its version) only an admin, an auditor and the user themselves. */
static void directory_view(const iom_ctx *c, iom_user_t *u)
{
    if (iom_roles_has(c->actor.roles, IOM_ROLE_ADMIN) || iom_roles_has(c->actor.roles, IOM_ROLE_AUDITOR) ||
        u->id == c->actor.id)
        return;
    u->directory_only = true;
    u->clearance = IOM_MARKING_OFFICIAL;
    u->pw_hash = NULL;
    u->disabled = false;
    u->created_at = 0;
    u->version = 0;
}

iom_err app_user_list(iom_ctx *c, const app_user_query *q, iom_user_t **out, size_t *n,
                      const char **next)
{
    iom_role role = IOM_ROLE_ADMIN;
    if (q->role && iom_role_parse(q->role, &role, &c->err))
        return IOM_EINVAL;
    iom_user_t *v;
    size_t nv, kept = 0, from, count;
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    if (!(err = app_actor(c)))
        err = c->store->ops->user_list(c->store, c->arena, &v, &nv, &c->err);
    if ((err = app_end(c, err)))
        return err;
    for (size_t i = 0; i < nv; i++)
        if ((!q->agency || strcmp(v[i].agency, q->agency) == 0) &&
            (!q->role || iom_roles_has(v[i].roles, role)))
            v[kept++] = v[i];
    err = app_page_apply(c, &q->page, v, kept, sizeof *v, offsetof(iom_user_t, name), &from,
                         &count, next);
    *out = v + from;
    *n = count;
    for (size_t i = 0; !err && i < count; i++)
        directory_view(c, &(*out)[i]);
    return err;
}

iom_err app_user_get(iom_ctx *c, const char *name, iom_user_t *out)
{
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    if (!(err = app_actor(c)))
        err = c->store->ops->user_get(c->store, name ? name : "", c->arena, out, &c->err);
    if (!err)
        directory_view(c, out);
    return app_end(c, err);
}

iom_err app_user_enable(iom_ctx *c, const char *name, iom_user_t *out)
{
    iom_err err = app_begin(c, true);
    if (err)
        return err;
    if ((err = app_actor(c)) || (err = app_require_role(c, IOM_ROLE_BIT(IOM_ROLE_ADMIN), "user enable")) ||
        (err = app_no_token(c, "user enable")))
        return app_end(c, err);
    iom_user_t u;
    if ((err = c->store->ops->user_get(c->store, name ? name : "", c->arena, &u, &c->err)))
        return app_end(c, err);
    if (u.agency_disabled)
        return app_end(c, iom_fail(&c->err, IOM_ECONFLICT,
                                   "user '%s' belongs to agency '%s', which is disabled; its users stay "
                                   "disabled (`agency merge` moves them to another agency first)",
                                   u.name, u.agency));
    if (!u.disabled)
        return app_end(c, iom_fail(&c->err, IOM_ECONFLICT, "user '%s' is not disabled", u.name));
    /* sessions and tokens made before the user was disabled never come back: they end now,
       and the user signs in again */
    char *before = user_json(c, &u);
    u.disabled = false;
    if ((err = c->store->ops->auth->end_user_sessions(c->store, u.id, app_now(c), &c->err)) ||
        (err = c->store->ops->user_update(c->store, &u, u.version, &c->err)) ||
        (err = c->store->ops->user_get(c->store, u.name, c->arena, out, &c->err)))
        return app_end(c, err);
    err = audit_record(c, "user.enable", u.name, before, user_json(c, out));
    return app_end(c, err);
}

iom_err app_enabled_auditors(iom_ctx *c, int64_t except_agency_id, size_t *n)
{
    *n = 0;
    iom_user_t *all;
    size_t nu = 0;
    iom_err err = c->store->ops->user_list(c->store, c->arena, &all, &nu, &c->err);
    for (size_t i = 0; !err && i < nu; i++)
        *n += !all[i].disabled && !all[i].agency_disabled && all[i].agency_id != except_agency_id &&
              iom_roles_has(all[i].roles, IOM_ROLE_AUDITOR);
    return err;
}

iom_err app_user_disable(iom_ctx *c, const char *name, const char *reason, iom_user_t *out)
{
    iom_err err = iom_text_check("reason", reason, 2000, IOM_TEXT_MULTI_LINE, &c->err);
    if (err || (err = app_begin(c, true)))
        return err;
    if ((err = app_actor(c)) || (err = app_require_role(c, IOM_ROLE_BIT(IOM_ROLE_ADMIN), "user disable")))
        return app_end(c, err);
    iom_user_t u;
    if ((err = c->store->ops->user_get(c->store, name ? name : "", c->arena, &u, &c->err)))
        return app_end(c, err);
    if (u.disabled)
        return app_end(c, iom_fail(&c->err, IOM_ECONFLICT, "user '%s' is already disabled", u.name));
    int64_t admins = 0;
    if (iom_roles_has(u.roles, IOM_ROLE_ADMIN) &&
        !(err = c->store->ops->user_count_admins(c->store, 0, &admins, &c->err)) && admins <= 1)
        err = iom_fail(&c->err, IOM_ECONFLICT,
                       "user '%s' is the last enabled admin; add another admin first", u.name);
    /* nor the last auditor: the auditor oversees what administrators do, and with none
       enabled nobody reads the audit or read log (review 72) */
    if (!err && iom_roles_has(u.roles, IOM_ROLE_AUDITOR) && !u.agency_disabled) { /* counted (review 76 L5) */
        size_t auditors = 0;
        err = app_enabled_auditors(c, 0, &auditors);
        if (!err && auditors <= 1)
            err = iom_fail(&c->err, IOM_ECONFLICT,
                           "user '%s' is the last enabled auditor, who oversees what administrators "
                           "do; add another auditor first (on the command line: `iom --as ADMIN user "
                           "add NAME --role auditor ...`)", u.name);
    }
    /* Every threat keeps an SIO who holds its risk and every live tasking an SIA: hand the
       part over first (a compromised account's sessions and tokens end at once by a password
       reset, `user reset-password`). */
    char *sia_of = NULL, *sio_of = NULL;
    if (!err && !(err = c->store->ops->user_duties(c->store, u.id, c->arena, &sia_of, &sio_of, &c->err))) {
        if (sio_of)
            err = iom_fail(&c->err, IOM_ECONFLICT,
                           "user '%s' is the SIO of threat %s, who holds its risk; its owner's spoc "
                           "names another SIO first (`threat update %s --sio USER --reason TEXT`)",
                           u.name, sio_of, sio_of);
        else if (sia_of)
            err = iom_fail(&c->err, IOM_ECONFLICT,
                           "user '%s' is the SIA of tasking %s; a toex_manager allocates another SIA "
                           "first (`tasking reallocate %s --sia USER --reason TEXT`)",
                           u.name, sia_of, sia_of);
    }
    /* nor the last who can move a tasking on: a bid waiting on its region's Gateway or on TOEX's
       managers, a transfer on its region's TTCG or the FTT, would wait for ever (review 97 L3:
       the only TTCG user of a region was disabled under a transfer_requested tasking; review
       100 M2: the only toex_manager under a forwarded bid, and then no SIA could be
       reallocated) */
    char *waits = NULL, *part = NULL;
    iom_marking wm = IOM_MARKING_OFFICIAL;
    if (!err && !(err = c->store->ops->user_last_for(c->store, u.id, 0, c->arena, &waits, &part, &wm, &c->err)) &&
        waits) {
        /* the tasking named only to an admin cleared for it (review 99 H1: an OFFICIAL admin was
           told the reference of an OFFICIAL-SENSITIVE tasking it reads as not found) */
        bool named = iom_clearance_allows(c->actor.clearance, wm);
        bool sia = !strcmp(part, "toex_manager_sia");
        const char *role = sia ? "toex_manager" : part;
        err = iom_fail(&c->err, IOM_ECONFLICT,
                       "user '%s' is the last enabled %s cleared to act on %s%s, which %s; "
                       "add or enable another %s user first (`iom --as ADMIN user add NAME --role %s ...`)",
                       u.name, role, named ? "tasking " : "a tasking above your clearance", named ? waits : "",
                       !strcmp(part, "gateway") ? "waits on its region's Gateway triage"
                       : !strcmp(part, "ttcg")  ? "waits on its region's TTCG deciding its transfer (the owner's region; the bid's, for a national owner)"
                       : !strcmp(part, "ftt")   ? "waits on the FTT deciding its transfer"
                       : sia ? "TOEX works on: only a toex_manager gives it another SIA"
                             : "waits on TOEX's managers accepting or declining it",
                       role, role);
    }
    if (err)
        return app_end(c, err);
    char *before = user_json(c, &u);
    u.disabled = true;
    if ((err = c->store->ops->user_update(c->store, &u, u.version, &c->err)) ||
        (err = c->store->ops->user_get(c->store, u.name, c->arena, out, &c->err)))
        return app_end(c, err);
    char *after = user_json(c, out);
    if (reason && *reason) { /* why the account stopped: a leaver, a suspension, a compromise */
        json_t *j = json_loads(after, 0, NULL);
        json_object_set_new(j, "reason", json_string(reason));
        after = json_text(c->arena, j);
        json_decref(j);
    }
    err = audit_record(c, "user.disable", u.name, before, after);
    return app_end(c, err);
}
