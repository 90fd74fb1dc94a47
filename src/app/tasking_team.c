/* The TOEX team of a tasking: assign, unassign, the SIA reallocated (app/tasking.h). */
#include <string.h>

#include "app/tasking_int.h"

#include "domain/roles.h"
#include "store/picture_store.h"
#include "util/text.h"

iom_err tasking_user_cleared(iom_ctx *c, const char *field, const iom_user_t *u,
                             const iom_tasking_t *t)
{
    if (iom_clearance_allows(u->clearance, t->marking))
        return IOM_OK;
    return iom_fail(&c->err, IOM_EINVAL,
                    "%s: user '%s' is cleared for %s; tasking %s is marked %s, and whoever works "
                    "on it must be able to read it",
                    field, u->name, iom_marking_name(u->clearance), t->ref,
                    iom_marking_name(t->marking));
}

iom_err tasking_sia_cleared(iom_ctx *c, const iom_user_t *u, const iom_tasking_t *t)
{
    iom_err err = tasking_user_cleared(c, "sia", u, t);
    unsigned held = 0;
    if (err || !t->id || (err = c->store->ops->picture->tasking_markings(c->store, t->id, &held, &c->err)))
        return err;
    for (int m = (int)u->clearance + 1; m < (int)IOM_MARKING_COUNT; m++)
        if (held & (1u << m)) {
            if (!iom_clearance_allows(c->actor.clearance, (iom_marking)m))
                return iom_fail(&c->err, IOM_EINVAL,
                                "sia: user '%s' is not cleared for all that tasking %s holds, and its "
                                "SIA reads, delivers and signs what it rests on",
                                u->name, t->ref);
            return iom_fail(&c->err, IOM_EINVAL,
                            "sia: user '%s' is cleared for %s; tasking %s holds records marked %s, "
                            "and its SIA reads, delivers and signs what it rests on",
                            u->name, iom_marking_name(u->clearance), t->ref,
                            iom_marking_name((iom_marking)m));
        }
    return IOM_OK;
}

iom_err app_tasking_assign_many(iom_ctx *c, const char *ref, const char *const *users, size_t n, bool add,
                                int64_t if_version, iom_tasking_t *out)
{
    if (n == 0)
        return iom_fail(&c->err, IOM_EINVAL, "user: required");
    iom_err err = app_begin(c, true);
    if (err)
        return err;
    app_tasking_scope sc;
    iom_tasking_action action = add ? IOM_TA_ASSIGN : IOM_TA_UNASSIGN;
    if ((err = app_tasking_enter(c, ref, action, if_version, &sc)))
        return app_end(c, err);
    /* every user checked before anything is written: all or nothing (review 63: the second
       of two names refused left the first assigned, in a transaction of its own) */
    iom_user_t *uv = iom_arena_new(c->arena, iom_user_t, n);
    for (size_t i = 0; i < n && !err; i++) {
        const char *user = users[i] ? users[i] : "";
        for (size_t j = 0; j < i && !err; j++)
            if (strcmp(uv[j].name, user) == 0)
                err = iom_fail(&c->err, IOM_EINVAL, "user: '%s' is given twice", user);
        if (err)
            break;
        err = c->store->ops->user_get(c->store, user, c->arena, &uv[i], &c->err);
        /* one taken off names a member (DELETE …/team/{user}): an unknown one is not found, as
           a known user not on the team is (review 104 L: 400 for the one, 404 for the other) */
        if (err == IOM_ENOTFOUND)
            err = iom_fail(&c->err, add ? IOM_EINVAL : IOM_ENOTFOUND, "user: '%s' is not a known user", user);
        if (err)
            break;
        roles_user ru = {uv[i].name, uv[i].roles, uv[i].agency_kind, uv[i].disabled};
        if ((err = roles_team_check(&ru, add, uv[i].id == sc.t.sia_id, &c->err)) ||
            (add && (err = tasking_user_cleared(c, "user", &uv[i], &sc.t))))
            break;
    }
    for (size_t i = 0; i < n && !err; i++) {
        char *before = tasking_audit_text(c, &sc.t);
        if (add)
            err = TS(c)->member_add(c->store, sc.t.id, uv[i].id, app_now(c), c->actor.id, &c->err);
        else
            err = TS(c)->member_remove(c->store, sc.t.id, uv[i].id, &c->err);
        if (err == IOM_ECONFLICT || err == IOM_ENOTFOUND) /* which of the users given (review 69) */
            err = iom_fail(&c->err, err, "user: '%s' %s", uv[i].name,
                           add ? "is already on the tasking's team" : "is not on the tasking's team");
        char *what = iom_arena_printf(c->arena, "user %s", uv[i].name);
        if (!err && !(err = app_tasking_touch(c, &sc.t)))
            err = tasking_record(c, &sc.t, lifecycle_action_name(action), sc.role, (int)sc.t.state, what, before,
                                 out);
        if (!err && i + 1 < n)
            sc.t = *out; /* the next change from the tasking as this one left it */
    }
    return app_end(c, err);
}

iom_err app_tasking_assign(iom_ctx *c, const char *ref, const char *user, bool add,
                           int64_t if_version, iom_tasking_t *out)
{
    const char *one[1] = {user};
    return app_tasking_assign_many(c, ref, one, 1, add, if_version, out);
}

iom_err app_tasking_reallocate(iom_ctx *c, const char *ref, const char *sia, const char *reason,
                               int64_t if_version, iom_tasking_t *out)
{
    iom_err err = iom_text_check("reason", reason, TASKING_ITEM_MAX, IOM_TEXT_REQUIRED | IOM_TEXT_MULTI_LINE,
                                 &c->err);
    if (!err && (!sia || !*sia))
        err = iom_fail(&c->err, IOM_EINVAL, "sia: required (the Senior Intelligence Analyst to allocate)");
    if (err || (err = app_begin(c, true)))
        return err;
    app_tasking_scope sc;
    if ((err = tasking_load(c, ref, IOM_PART_OUTCOME, &sc))) /* as the actions: apmis gets 403 */
        return app_end(c, err);
    iom_tasking_state st = sc.t.state;
    if (sc.access.read_only || !iom_roles_has(c->actor.roles, IOM_ROLE_TOEX_MANAGER))
        err = iom_fail(&c->err, IOM_EFORBIDDEN,
                       "reallocate: only a toex_manager reallocates a tasking's SIA");
    else if (sc.t.sia_id == 0 || lifecycle_state_ended(st))
        err = iom_fail(&c->err, IOM_ECONFLICT,
                       "reallocate in state '%s': a tasking has an SIA from its acceptance until it ends",
                       lifecycle_state_name(st));
    else
        err = tasking_check_version(c, &sc.t, if_version);
    if (err)
        return app_end(c, err);
    iom_user_t u = {0};
    err = c->store->ops->user_get(c->store, sia, c->arena, &u, &c->err);
    if (err == IOM_ENOTFOUND)
        err = iom_fail(&c->err, IOM_EINVAL, "sia: '%s' is not a known user", sia);
    roles_user ru = {u.name, u.roles, u.agency_kind, u.disabled};
    if (!err && !roles_sia_eligible(&ru))
        err = iom_fail(&c->err, IOM_EINVAL,
                       "sia: '%s' is not an enabled TOEX user with the sia role", u.name);
    if (!err && u.id == sc.t.sia_id)
        err = iom_fail(&c->err, IOM_ECONFLICT, "sia: '%s' is the tasking's SIA already", u.name);
    if (!err)
        err = tasking_sia_cleared(c, &u, &sc.t);
    if (err)
        return app_end(c, err);
    char *before = tasking_audit_text(c, &sc.t);
    sc.t.sia_id = u.id;
    bool member = false;
    if (!(err = TS(c)->is_member(c->store, sc.t.id, u.id, &member, &c->err)) && !member)
        err = TS(c)->member_add(c->store, sc.t.id, u.id, app_now(c), c->actor.id, &c->err);
    char *what = iom_arena_printf(c->arena, "SIA %s: %s", u.name, reason);
    if (err || (err = app_tasking_touch(c, &sc.t)) ||
        (err = tasking_record(c, &sc.t, "reallocate", IOM_ROLE_TOEX_MANAGER, (int)st, what, before, out)))
        return app_end(c, err);
    return app_end(c, IOM_OK);
}
