/* The TOEX team of a tasking: assign, unassign (app/tasking.h). */
#include "app/tasking_int.h"

#include "domain/roles.h"

iom_err app_tasking_assign(iom_ctx *c, const char *ref, const char *user, bool add,
                           int64_t if_version, iom_tasking_t *out)
{
    iom_err err = app_begin(c, true);
    if (err)
        return err;
    app_tasking_scope sc;
    iom_user_t u;
    iom_tasking_action action = add ? IOM_TA_ASSIGN : IOM_TA_UNASSIGN;
    if ((err = app_tasking_enter(c, ref, action, if_version, &sc)))
        return app_end(c, err);
    err = c->store->ops->user_get(c->store, user ? user : "", c->arena, &u, &c->err);
    if (err == IOM_ENOTFOUND)
        err = iom_fail(&c->err, IOM_EINVAL, "user: '%s' is not a known user", user ? user : "");
    if (err)
        return app_end(c, err);
    roles_user ru = {u.name, u.roles, u.agency_kind, u.disabled};
    if ((err = roles_team_check(&ru, add, u.id == sc.t.sia_id, &c->err)))
        return app_end(c, err);
    char *before = tasking_audit_text(c, &sc.t);
    if (add)
        err = TS(c)->member_add(c->store, sc.t.id, u.id, app_now(c), c->actor.id, &c->err);
    else
        err = TS(c)->member_remove(c->store, sc.t.id, u.id, &c->err);
    char *what = iom_arena_printf(c->arena, "user %s", u.name);
    if (err || (err = app_tasking_touch(c, &sc.t)) ||
        (err = tasking_record(c, &sc.t, lifecycle_action_name(action), sc.role, (int)sc.t.state,
                              what, before, out)))
        return app_end(c, err);
    return app_end(c, IOM_OK);
}
