#include "app/app.h"
#include "app/search.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/text.h"
#include "util/timefmt.h"

void app_ctx_init(iom_ctx *c, iom_store *store, iom_arena *arena)
{
    memset(c, 0, sizeof *c);
    c->store = store;
    c->arena = arena;
    c->via = "cli";
}

void app_problem(iom_ctx *c, const char *field, const char *fmt, ...)
{
    size_t kept = c->nproblems < IOM_MAX_PROBLEMS ? c->nproblems : IOM_MAX_PROBLEMS;
    for (size_t i = 0; i < kept; i++)
        if (strcmp(c->problem_fields[i], field) == 0)
            return;
    char m[IOM_ERRMSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof m, fmt, ap);
    va_end(ap);
    if (c->nproblems == 0)
        iom_fail(&c->err, IOM_EINVAL, "%s", m);
    if (c->nproblems < IOM_MAX_PROBLEMS) {
        c->problems[c->nproblems] = iom_arena_strdup(c->arena, m);
        c->problem_fields[c->nproblems] = iom_arena_printf(c->arena, "%.64s", field);
    }
    c->nproblems++;
}

iom_err app_problem_noted(iom_ctx *c, const char *field, iom_err err)
{
    if (err != IOM_EINVAL)
        return err;
    char named[65];
    if (!field) { /* the field the message names first ("grade: ...", "requirements[1]: ...") */
        size_t n = strspn(c->err.msg, "abcdefghijklmnopqrstuvwxyz_");
        bool ok = n > 0 && n < sizeof named && (c->err.msg[n] == ':' || c->err.msg[n] == '[');
        snprintf(named, sizeof named, "%.*s", ok ? (int)n : 5, ok ? c->err.msg : "input");
        field = named;
    }
    app_problem(c, field, "%s", c->err.msg);
    return IOM_OK;
}

iom_err app_problems_end(iom_ctx *c)
{
    if (!c->nproblems)
        return IOM_OK;
    return iom_fail(&c->err, IOM_EINVAL, "%s", c->problems[0]);
}

bool app_problems_apply(const iom_ctx *c)
{
    return c->nproblems > 1 && c->err.code == IOM_EINVAL && c->problems[0] &&
           strcmp(c->problems[0], c->err.msg) == 0;
}

int64_t app_now(iom_ctx *c)
{
    if (c->clock)
        return c->clock(c->clock_data);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec;
}

int64_t app_today(iom_ctx *c)
{
    int64_t now = app_now(c), day;
    char uk[32];
    iom_time_uk(now, uk);
    uk[10] = '\0';
    return iom_day_number(uk, &day) ? day : now / 86400;
}

iom_err app_actor(iom_ctx *c)
{
    if (c->actor_loaded)
        return IOM_OK;
    if (!c->actor_name || !*c->actor_name)
        return iom_fail(&c->err, IOM_EAUTH,
                        "no acting user: give --as USER (or set IOM_USER) for this command");
    iom_error e = {0};
    iom_err err = c->store->ops->user_get(c->store, c->actor_name, c->arena, &c->actor, &e);
    if (err == IOM_ENOTFOUND)
        return iom_fail(&c->err, IOM_EAUTH, "acting user '%s' does not exist", c->actor_name);
    if (err)
        return iom_fail(&c->err, err, "%s", e.msg);
    if (c->actor.disabled)
        return iom_fail(&c->err, IOM_EAUTH, "acting user '%s' is disabled", c->actor_name);
    if (c->actor.agency_disabled)
        return iom_fail(&c->err, IOM_EAUTH, "acting user '%s': agency '%s' is disabled",
                        c->actor_name, c->actor.agency);
    c->actor_loaded = true;
    return IOM_OK;
}

iom_err app_begin(iom_ctx *c, bool write)
{
    if (c->held && !write)
        return IOM_OK; /* joins the held read: an actor read in it is still the snapshot's */
    c->actor_loaded = false;
    if (c->held) {
        app_release(c);
        if (c->read_stale) /* what led here was read from an older state: run it again */
            return iom_fail(&c->err, IOM_ECONFLICT,
                            "the rows this request was checked against changed meanwhile; try again");
    }
    if (write) /* a tasking's search document is written by the store, folded as ours */
        c->store->search_terms = search_terms;
    return c->store->ops->begin(c->store, write, &c->err);
}

iom_err app_check_version(iom_ctx *c, const char *kind, const char *ref, int64_t if_version, int64_t version)
{
    if (if_version > version)
        return iom_fail(&c->err, IOM_ECONFLICT,
                        "%s %s: version %lld is no version of it (it is at version %lld); reload and retry",
                        kind, ref ? ref : "?", (long long)if_version, (long long)version);
    if (if_version > 0 && if_version != version)
        return iom_fail(&c->err, IOM_ECONFLICT,
                        "%s %s: you read version %lld but it is now version %lld; reload and retry",
                        kind, ref ? ref : "?", (long long)if_version, (long long)version);
    return IOM_OK;
}

iom_err app_end(iom_ctx *c, iom_err err)
{
    if (c->held)
        return err; /* the holder ends it */
    if (err) {
        c->store->ops->rollback(c->store);
        return err;
    }
    iom_err cerr = c->store->ops->commit(c->store, &c->err);
    if (cerr)
        c->store->ops->rollback(c->store);
    return cerr;
}

iom_err app_hold_read(iom_ctx *c)
{
    app_release(c);
    c->actor_loaded = false; /* an actor counts as read only inside the held snapshot */
    const iom_store_ops *o = c->store->ops;
    bool optimistic = c->optimistic && o->begin_read_optimistic;
    c->optimistic = false; /* for this hold only: what a later one reads may already be shown */
    iom_err err = optimistic ? o->begin_read_optimistic(c->store, &c->err)
                             : o->begin(c->store, false, &c->err);
    c->held = err == IOM_OK;
    return err;
}

void app_release(iom_ctx *c)
{
    if (!c->held)
        return;
    c->held = false;
    iom_error ignore = {0};
    if (c->store->ops->commit(c->store, &ignore)) /* ends a read: nothing to lose */
        c->store->ops->rollback(c->store);
    if (c->store->ops->read_stale && c->store->ops->read_stale(c->store))
        c->read_stale = true;
}

iom_err app_purpose_check(const char *purpose, iom_error *e)
{
    return iom_text_check("purpose", purpose, APP_PURPOSE_MAX, IOM_TEXT_REQUIRED | IOM_TEXT_SINGLE_LINE, e);
}

const char *app_read_purpose(const iom_ctx *c, const char *relation_purpose)
{
    return c->purpose && *c->purpose ? c->purpose : relation_purpose;
}

bool app_actor_has(const iom_ctx *c, iom_role r)
{
    return c->actor_loaded && iom_roles_has(c->actor.roles, r);
}

iom_err app_authorize_first(iom_ctx *c, iom_roles allowed, const char *action)
{
    if (c->held && c->actor_loaded) /* read in the held snapshot (the server's request) */
        return app_require_role(c, allowed, action);
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    if (!(err = app_actor(c)))
        err = app_require_role(c, allowed, action);
    return app_end(c, err); /* the use-case's own app_begin reads the actor again */
}

iom_err app_require_role(iom_ctx *c, iom_roles allowed, const char *action)
{
    if (c->actor_loaded && (c->actor.roles & allowed))
        return IOM_OK;
    char list[256];
    size_t j = 0;
    list[0] = '\0';
    for (int r = 0; r < IOM_ROLE_COUNT && j < sizeof list; r++)
        if (allowed & IOM_ROLE_BIT(r))
            j += (size_t)snprintf(list + j, sizeof list - j, "%s%s", j ? ", " : "",
                                  iom_role_name((iom_role)r));
    return iom_fail(&c->err, IOM_EFORBIDDEN, "%s: user '%s' does not hold a role allowed to do this (%s)",
                    action, c->actor_name ? c->actor_name : "", list);
}

iom_err app_no_token(iom_ctx *c, const char *action)
{
    if (!c->by_token)
        return IOM_OK;
    return iom_fail(&c->err, IOM_EFORBIDDEN,
                    "%s: accounts and sign-in are managed from a session signed in with a password; an "
                    "API token adds, enables or unlocks no user, resets no password or TOTP and changes "
                    "no sign-in setting (auth.*)", action);
}
