/* Users, agencies, regions and roles over HTTP: the same use-cases as `iom user|agency|region|
   role ...`, so the same rules (changes by admins only, the last admin kept, ...). */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app/agency.h"
#include "app/json.h"
#include "app/user.h"
#include "http/internal.h"

/* ---- users -------------------------------------------------------------------------------- */

static int by_name(const void *a, const void *b)
{
    return strcmp(((const iom_user_t *)a)->name, ((const iom_user_t *)b)->name);
}

void h_user_list(http_req *r)
{
    size_t limit;
    if (!http_query_limit(r, 1000, &limit))
        return;
    if (!limit)
        limit = 100;
    const char *after = http_query(r, "after");
    iom_user_t *v;
    size_t n;
    iom_err err = app_user_list(&r->ctx, &v, &n);
    if (err)
        return http_fail(r, err);
    qsort(v, n, sizeof *v, by_name);
    json_t *items = json_array();
    const char *next = NULL;
    for (size_t i = 0; i < n; i++) {
        if (after && strcmp(v[i].name, after) <= 0)
            continue;
        if (json_array_size(items) == limit) {
            next = v[i - 1].name;
            break;
        }
        json_array_append_new(items, json_of_user(&v[i]));
    }
    http_json(r, 200, json_list(items, next));
}

void h_user_add(http_req *r)
{
    json_t *body, *roles = NULL;
    app_user_input in = {0};
    http_field f[] = {{"name", HF_STRING, true, &in.name},
                      {"agency", HF_STRING, true, &in.agency},
                      {"roles", HF_ARRAY, true, &roles},
                      {"clearance", HF_STRING, true, &in.clearance},
                      {"password", HF_STRING, false, &in.password},
                      {0}};
    if (!http_body_object(r, false, &body) || !http_fields(r, body, f))
        return;
    size_t i;
    json_t *v;
    json_array_foreach(roles, i, v) {
        if (!json_is_string(v)) {
            http_problem(r, 400, "invalid", "Wrong type", "roles[%zu]: must be a string", i);
            return;
        }
        if (in.nroles == APP_USER_MAX_ROLES) {
            http_problem(r, 400, "invalid", "Invalid request", "roles: at most %d roles",
                         APP_USER_MAX_ROLES);
            return;
        }
        in.roles[in.nroles++] = json_string_value(v);
    }
    iom_user_t u;
    iom_err err = app_user_add(&r->ctx, &in, &u);
    if (err)
        return http_fail(r, err);
    http_json(r, 201, json_of_user(&u));
}

void h_user_get(http_req *r)
{
    iom_user_t u;
    iom_err err = app_user_get(&r->ctx, http_param(r, "name"), &u);
    if (err)
        return http_fail(r, err);
    http_json(r, 200, json_of_user(&u));
}

void h_user_disable(http_req *r)
{
    iom_user_t u;
    iom_err err = app_user_disable(&r->ctx, http_param(r, "name"), &u);
    if (err)
        return http_fail(r, err);
    http_json(r, 200, json_of_user(&u));
}

/* Body {"password": TEXT} sets the temporary password; without it one is generated and
   returned once. */
void h_user_password_reset(http_req *r)
{
    json_t *body;
    const char *pw = NULL;
    http_field f[] = {{"password", HF_STRING, false, &pw}, {0}};
    if (!http_body_object(r, true, &body) || !http_fields(r, body, f))
        return;
    app_password_reset res;
    iom_err err = app_auth_password_reset(&r->ctx, http_param(r, "name"), pw, &res);
    if (err)
        return http_fail(r, err);
    http_json(r, 200, json_pack("{s:o, s:b, s:o}", "user", json_of_user(&res.user),
                                "must_change_password", 1, "temporary_password",
                                res.password[0] ? json_string(res.password) : json_null()));
    sodium_memzero(res.password, sizeof res.password);
}

void h_user_totp_reset(http_req *r)
{
    iom_err err = app_totp_reset(&r->ctx, http_param(r, "name"));
    if (err)
        return http_fail(r, err);
    http_json(r, 200, json_pack("{s:s, s:s}", "user", http_param(r, "name"), "totp", "none"));
}

/* ---- agencies and regions ---------------------------------------------------------------- */

void h_agency_add(http_req *r)
{
    json_t *body;
    app_agency_input in = {0};
    http_field f[] = {{"code", HF_STRING, true, &in.code}, {"name", HF_STRING, true, &in.name},
                      {"kind", HF_STRING, true, &in.kind}, {"region", HF_STRING, false, &in.region},
                      {0}};
    if (!http_body_object(r, false, &body) || !http_fields(r, body, f))
        return;
    iom_agency_t a;
    iom_err err = app_agency_add(&r->ctx, &in, &a);
    if (err)
        return http_fail(r, err);
    http_json(r, 201, json_of_agency(&a));
}

void h_agency_get(http_req *r)
{
    iom_agency_t a;
    iom_err err = app_agency_get(&r->ctx, http_param(r, "code"), &a);
    if (err)
        return http_fail(r, err);
    http_json(r, 200, json_of_agency(&a));
}

void h_agency_rename(http_req *r)
{
    json_t *body;
    const char *name = NULL;
    http_field f[] = {{"name", HF_STRING, true, &name}, {0}};
    if (!http_body_object(r, false, &body) || !http_fields(r, body, f))
        return;
    iom_agency_t a;
    iom_err err = app_agency_rename(&r->ctx, http_param(r, "code"), name, &a);
    if (err)
        return http_fail(r, err);
    http_json(r, 200, json_of_agency(&a));
}

void h_agency_disable(http_req *r)
{
    iom_agency_t a;
    iom_err err = app_agency_disable(&r->ctx, http_param(r, "code"), &a);
    if (err)
        return http_fail(r, err);
    http_json(r, 200, json_of_agency(&a));
}

void h_agency_merge(http_req *r)
{
    json_t *body;
    const char *into = NULL;
    http_field f[] = {{"into", HF_STRING, true, &into}, {0}};
    if (!http_body_object(r, false, &body) || !http_fields(r, body, f))
        return;
    iom_agency_t a;
    iom_err err = app_agency_merge(&r->ctx, http_param(r, "code"), into, &a);
    if (err)
        return http_fail(r, err);
    http_json(r, 200, json_of_agency(&a));
}

void h_regions(http_req *r)
{
    iom_region_t *v;
    size_t n;
    iom_err err = app_region_list(&r->ctx, &v, &n);
    if (err)
        return http_fail(r, err);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, json_of_region(&v[i]));
    http_json(r, 200, json_list(items, NULL));
}

/* ---- roles ---------------------------------------------------------------------------------- */

static json_t *roles_json(iom_roles required)
{
    json_t *items = json_array();
    for (int i = 0; i < IOM_ROLE_COUNT; i++)
        json_array_append_new(items, json_pack("{s:s, s:b}", "role", iom_role_name((iom_role)i),
                                               "require_totp", iom_roles_has(required, (iom_role)i)));
    return json_list(items, NULL);
}

void h_role_list(http_req *r)
{
    iom_roles req;
    iom_err err = app_role_totp_list(&r->ctx, &req);
    if (err)
        return http_fail(r, err);
    http_json(r, 200, roles_json(req));
}

void h_role_totp(http_req *r)
{
    json_t *body;
    bool on = false;
    http_field f[] = {{"required", HF_BOOL, true, &on}, {0}};
    if (!http_body_object(r, false, &body) || !http_fields(r, body, f))
        return;
    iom_roles req;
    iom_err err = app_role_require_totp(&r->ctx, http_param(r, "role"), on, &req);
    if (err)
        return http_fail(r, err);
    http_json(r, 200, roles_json(req));
}
