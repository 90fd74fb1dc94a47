/* Reference data, users and roles: region list; agency list, show, add, rename, disable,
   merge; user add, list, show, disable, reset-password, reset-totp; role list, require-totp. */
#include <sodium.h>
#include <string.h>

#include "app/agency.h"
#include "app/calendar.h"
#include "app/auth.h"
#include "app/settings.h"
#include "app/json.h"
#include "app/user.h"
#include "ops/internal.h"

#include "app/calendar.h"

static app_page page_of(const op_in *in)
{
    return (app_page){op_str(in, "after"), (size_t)op_int(in, "limit", 0)};
}

iom_err op_region_list(iom_ctx *c, const op_in *in, op_out *out)
{
    (void)in;
    iom_region_t *v;
    size_t n;
    iom_err err = app_region_list(c, &v, &n);
    if (!err)
        OP_LIST_OUT(out, v, n, (const char *)NULL, json_of_region);
    return err;
}

static json_t *json_of_holiday(const iom_holiday_t *h)
{
    return json_pack("{s:s, s:s, s:s}", "ref", h->day, "day", h->day, "name", h->name);
}

iom_err op_holiday_list(iom_ctx *c, const op_in *in, op_out *out)
{
    iom_holiday_t *v;
    size_t n;
    iom_err err = app_holiday_list(c, op_int_sat(in, "year", 0), &v, &n);
    if (!err)
        OP_LIST_OUT(out, v, n, (const char *)NULL, json_of_holiday);
    return err;
}

iom_err op_holiday_add(iom_ctx *c, const op_in *in, op_out *out)
{
    iom_holiday_t *h = iom_arena_new(c->arena, iom_holiday_t, 1);
    iom_err err = app_holiday_add(c, op_str(in, "day"), op_str(in, "name"), h);
    if (!err) {
        out->json = json_of_holiday(h);
        out->ref = h->day;
        out->obj = h;
    }
    return err;
}

iom_err op_holiday_remove(iom_ctx *c, const op_in *in, op_out *out)
{
    iom_holiday_t *h = iom_arena_new(c->arena, iom_holiday_t, 1);
    iom_err err = app_holiday_remove(c, op_str(in, "day"), op_str(in, "reason"), h);
    if (!err) {
        out->json = json_of_holiday(h);
        out->ref = h->day;
        out->obj = h;
    }
    return err;
}

static void agency_out(op_out *out, const iom_agency_t *a)
{
    out->json = json_of_agency(a);
    out->ref = a->code;
    out->obj = a;
}

iom_err op_agency_list(iom_ctx *c, const op_in *in, op_out *out)
{
    app_agency_query q = {op_str(in, "kind"), op_str(in, "region"), op_bool(in, "all"), page_of(in)};
    iom_agency_t *v;
    size_t n;
    const char *next;
    iom_err err = app_agency_list(c, &q, &v, &n, &next);
    if (!err)
        OP_LIST_OUT(out, v, n, next, json_of_agency);
    return err;
}

/* The agency operations that take a code and give the agency back. */
#define AGENCY_OP(fn, call)                                                                    \
    iom_err fn(iom_ctx *c, const op_in *in, op_out *out)                                       \
    {                                                                                          \
        iom_agency_t *a = iom_arena_new(c->arena, iom_agency_t, 1);                            \
        const char *code = op_str(in, "code");                                                 \
        iom_err err = call;                                                                    \
        if (!err)                                                                              \
            agency_out(out, a);                                                                \
        return err;                                                                            \
    }

AGENCY_OP(op_agency_show, app_agency_get(c, code, a))
AGENCY_OP(op_agency_rename, app_agency_rename(c, code, op_str(in, "name"), a))
AGENCY_OP(op_agency_disable, app_agency_disable(c, code, a))
AGENCY_OP(op_agency_merge, app_agency_merge(c, code, op_str(in, "into"), op_str(in, "reason"), a))

iom_err op_agency_add(iom_ctx *c, const op_in *in, op_out *out)
{
    app_agency_input ai = {op_str(in, "code"), op_str(in, "name"), op_str(in, "kind"),
                           op_str(in, "region")};
    iom_agency_t *a = iom_arena_new(c->arena, iom_agency_t, 1);
    iom_err err = app_agency_add(c, &ai, a);
    if (!err)
        agency_out(out, a);
    return err;
}

static void user_out(op_out *out, const iom_user_t *u)
{
    out->json = json_of_user(u);
    out->ref = u->name;
    out->obj = u;
}

iom_err op_user_add(iom_ctx *c, const op_in *in, op_out *out)
{
    app_user_input ui = {.name = op_str(in, "name"), .agency = op_str(in, "agency"),
                         .clearance = op_str(in, "clearance"), .password = op_str(in, "password")};
    const op_value *roles = op_get(in, "roles");
    if (roles->nv > APP_USER_MAX_ROLES)
        return iom_fail(&c->err, IOM_EINVAL, "roles: at most %d roles", APP_USER_MAX_ROLES);
    for (size_t i = 0; i < roles->nv; i++)
        ui.roles[ui.nroles++] = roles->v[i];
    iom_user_t *u = iom_arena_new(c->arena, iom_user_t, 1);
    iom_err err = app_user_add(c, &ui, u);
    if (!err)
        user_out(out, u);
    return err;
}

iom_err op_user_list(iom_ctx *c, const op_in *in, op_out *out)
{
    app_user_query q = {op_str(in, "agency"), op_str(in, "role"), page_of(in)};
    iom_user_t *v;
    size_t n;
    const char *next;
    iom_err err = app_user_list(c, &q, &v, &n, &next);
    if (!err)
        OP_LIST_OUT(out, v, n, next, json_of_user);
    return err;
}

iom_err op_user_show(iom_ctx *c, const op_in *in, op_out *out)
{
    iom_user_t *u = iom_arena_new(c->arena, iom_user_t, 1);
    iom_err err = app_user_get(c, op_str(in, "name"), u);
    if (!err)
        user_out(out, u);
    return err;
}

iom_err op_user_enable(iom_ctx *c, const op_in *in, op_out *out)
{
    iom_user_t *u = iom_arena_new(c->arena, iom_user_t, 1);
    iom_err err = app_user_enable(c, op_str(in, "name"), u);
    if (!err)
        user_out(out, u);
    return err;
}

iom_err op_user_disable(iom_ctx *c, const op_in *in, op_out *out)
{
    iom_user_t *u = iom_arena_new(c->arena, iom_user_t, 1);
    iom_err err = app_user_disable(c, op_str(in, "name"), op_str(in, "reason"), u);
    if (!err)
        user_out(out, u);
    return err;
}

/* The temporary password is shown once: in the JSON (which the adapter sends and frees) and
   to the text renderer through obj; the use-case's copy is wiped here. */
iom_err op_user_reset_password(iom_ctx *c, const op_in *in, op_out *out)
{
    app_password_reset *res = iom_arena_new(c->arena, app_password_reset, 1);
    iom_err err = app_auth_password_reset(c, op_str(in, "name"), op_str(in, "password"), res);
    if (err)
        return err;
    out->json = json_pack("{s:o, s:b, s:o}", "user", json_of_user(&res->user),
                          "must_change_password", 1, "temporary_password",
                          res->password[0] ? json_string(res->password) : json_null());
    out->ref = res->user.name;
    out->obj = res;
    sodium_memzero(res->password, sizeof res->password); /* the JSON holds the one copy shown */
    return IOM_OK;
}

iom_err op_user_reset_totp(iom_ctx *c, const op_in *in, op_out *out)
{
    const char *name = op_str(in, "name");
    iom_err err = app_totp_reset(c, name);
    if (!err) {
        out->json = json_pack("{s:s, s:s}", "user", name, "totp", "none");
        out->ref = name;
    }
    return err;
}

static void roles_out(op_out *out, iom_roles required)
{
    json_t *items = json_array();
    for (int i = 0; i < IOM_ROLE_COUNT; i++)
        json_array_append_new(items, json_pack("{s:s, s:b}", "role", iom_role_name((iom_role)i),
                                               "require_totp", iom_roles_has(required, (iom_role)i)));
    out->json = json_list(items, NULL);
    out->n = IOM_ROLE_COUNT;
}

iom_err op_role_list(iom_ctx *c, const op_in *in, op_out *out)
{
    (void)in;
    iom_roles req;
    iom_err err = app_role_totp_list(c, &req);
    if (!err)
        roles_out(out, req);
    return err;
}

iom_err op_role_require_totp(iom_ctx *c, const op_in *in, op_out *out)
{
    iom_roles req;
    const op_value *on = op_get(in, "required"); /* absent: required (CLI: --off is false) */
    iom_err err = app_role_require_totp(c, op_str(in, "role"), !on->set || on->b, &req);
    if (!err)
        roles_out(out, req);
    return err;
}

/* ---- API tokens and lockouts ---------------------------------------------------------------- */

/* The token is shown once: in the JSON (sent, then freed) and to the text renderer; the
   use-case's copy is wiped. */
iom_err op_token_create(iom_ctx *c, const op_in *in, op_out *out)
{
    app_token_created *tc = iom_arena_new(c->arena, app_token_created, 1);
    iom_err err = app_token_create(c, op_str(in, "user"), op_int(in, "days", 0), tc);
    if (err)
        return err;
    out->json = json_of_api_token(&tc->t);
    json_object_set_new(out->json, "token", json_string(tc->token));
    sodium_memzero(tc->token, sizeof tc->token);
    out->obj = &tc->t;
    out->ref = tc->t.ref;
    return IOM_OK;
}

iom_err op_token_list(iom_ctx *c, const op_in *in, op_out *out)
{
    app_token_query q = {op_str(in, "user"), page_of(in)};
    iom_api_token_t *v;
    size_t n;
    const char *next;
    iom_err err = app_token_list(c, &q, &v, &n, &next);
    if (!err)
        OP_LIST_OUT(out, v, n, next, json_of_api_token);
    return err;
}

iom_err op_token_revoke(iom_ctx *c, const op_in *in, op_out *out)
{
    iom_api_token_t *t = iom_arena_new(c->arena, iom_api_token_t, 1);
    iom_err err = app_token_revoke(c, op_str(in, "ref"), t);
    if (!err) {
        out->json = json_of_api_token(t);
        out->obj = t;
        out->ref = t->ref;
    }
    return err;
}

iom_err op_user_unlock(iom_ctx *c, const op_in *in, op_out *out)
{
    iom_user_t *u = iom_arena_new(c->arena, iom_user_t, 1);
    iom_err err = app_user_unlock(c, op_str(in, "name"), u);
    if (!err)
        user_out(out, u);
    return err;
}

iom_err op_user_unlock_address(iom_ctx *c, const op_in *in, op_out *out)
{
    app_address_lock *l = iom_arena_new(c->arena, app_address_lock, 1);
    iom_err err = app_address_unlock(c, op_str(in, "address"), l);
    if (!err) {
        out->json = json_pack("{s:s, s:I, s:o}", "address", l->address, "failures", (json_int_t)l->failures,
                              "locked_until", l->locked_until ? json_time(l->locked_until) : json_null());
        out->ref = l->address;
    }
    return err;
}

/* ---- one's own account ------------------------------------------------------------------ */

/* Every session and token of the user ends with a password change (OP_ENDS_SESSION: the API
   clears the cookie of this one too). */
iom_err op_me_password(iom_ctx *c, const op_in *in, op_out *out)
{
    app_auth_policy pol; /* the stored settings, with the server's overrides */
    iom_err err = app_settings_auth_policy(c, c->auth_policy, &pol);
    if (err)
        return err;
    const app_auth_policy *p = &pol;
    iom_user_t *u = iom_arena_new(c->arena, iom_user_t, 1);
    err = app_auth_password_change(c, p, op_str(in, "old_password"),
                                           op_str(in, "new_password"), u);
    if (!err) {
        out->json = json_pack("{s:o, s:b}", "user", json_of_user(u), "signed_out", 1);
        out->obj = u;
        out->ref = u->name;
    }
    return err;
}

/* The secret is shown once (the JSON, then freed); the use-case's copy is wiped. */
iom_err op_me_totp_enrol(iom_ctx *c, const op_in *in, op_out *out)
{
    (void)in;
    app_totp_enrolment en;
    iom_err err = app_totp_enrol(c, &en);
    if (!err) {
        out->json = json_pack("{s:s, s:s, s:s, s:i, s:i}", "secret", en.secret, "otpauth_uri",
                              en.uri, "algorithm", "SHA1", "digits", 6, "period", 30);
        out->ref = c->actor_name;
    }
    sodium_memzero(&en, sizeof en);
    return err;
}

iom_err op_me_totp_confirm(iom_ctx *c, const op_in *in, op_out *out)
{
    iom_err err = app_totp_confirm(c, op_str(in, "totp"));
    if (!err)
        out->json = json_pack("{s:s}", "totp", "enrolled");
    return err;
}
