/* The rest of the tasking lifecycle under /api/v1/taskings: due dates, history, the risk
   transfer, the TOEX team, terms of reference and the reassessment. The transitions without
   a document of their own stay in h_tasking.c (POST .../{ref}/{action}). */
#include <stdio.h>
#include <string.h>

#include "app/json.h"
#include "app/tasking.h"
#include "http/internal.h"

/* GET /api/v1/taskings/due?days=N: as `tasking due --json`. */
void h_tasking_due(http_req *r)
{
    int64_t days;
    if (!http_query_int(r, "days", 0, 3660, 14, &days))
        return;
    app_due_item *v;
    size_t n;
    iom_err err = app_tasking_due(&r->ctx, (int)days, &v, &n);
    if (err)
        return http_fail(r, err);
    const char **keys = iom_arena_new(&r->arena, const char *, n ? n : 1);
    for (size_t i = 0; i < n; i++)
        keys[i] = iom_arena_printf(&r->arena, "%s:%s:%s:%s", v[i].tasking, v[i].kind, v[i].due, v[i].name);
    size_t from, to;
    const char *next;
    if (!http_page(r, keys, n, &from, &to, &next))
        return;
    json_t *items = json_array();
    for (size_t i = from; i < to; i++)
        json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:I, s:b}", "tasking", v[i].tasking,
                                               "kind", v[i].kind, "name", v[i].name, "due", v[i].due,
                                               "days_left", (json_int_t)v[i].days_left, "overdue",
                                               v[i].days_left < 0));
    http_json(r, 200, json_list(items, next));
}

/* GET /api/v1/taskings/{ref}/history: as `tasking history --json`. */
void h_tasking_history(http_req *r)
{
    app_tasking_view v;
    iom_err err = app_tasking_show(&r->ctx, http_param(r, "ref"), &v);
    if (err)
        return http_fail(r, err);
    json_t *j = json_of_tasking_view(&v);
    json_t *h = json_incref(json_object_get(j, "history"));
    json_decref(j);
    r->etag = v.t.version;
    http_json(r, 200, json_pack("{s:s, s:o}", "ref", v.t.ref, "history", h));
}

/* GET /api/v1/taskings/{ref}/transfer: the latest risk transfer (request, escalation,
   decision), as the `transfer` of `tasking show --json`. */
void h_tasking_transfer(http_req *r)
{
    app_tasking_view v;
    iom_err err = app_tasking_show(&r->ctx, http_param(r, "ref"), &v);
    if (err)
        return http_fail(r, err);
    if (!v.has_transfer) {
        http_problem(r, 404, "not_found", "Not found", "transfer: tasking %s has no transfer", v.t.ref);
        return;
    }
    r->etag = v.t.version;
    http_json(r, 200, json_of_transfer(&v.transfer));
}

static void answer_tasking(http_req *r, const iom_tasking_t *t)
{
    r->etag = t->version;
    http_json(r, 200, json_of_tasking(t, true));
}

/* POST /api/v1/taskings/{ref}/team {"user"}: `tasking assign`. */
void h_team_add(http_req *r)
{
    json_t *body;
    const char *user = NULL;
    http_field f[] = {{"user", HF_STRING, true, &user}, {0}};
    int64_t ver;
    if (!http_if_match(r, &ver) || !http_body_object(r, false, &body) || !http_fields(r, body, f))
        return;
    iom_tasking_t t;
    iom_err err = app_tasking_assign(&r->ctx, http_param(r, "ref"), user, true, ver, &t);
    if (err)
        return http_fail(r, err);
    answer_tasking(r, &t);
}

/* DELETE /api/v1/taskings/{ref}/team/{user}: `tasking unassign`. */
void h_team_remove(http_req *r)
{
    int64_t ver;
    if (!http_if_match(r, &ver))
        return;
    iom_tasking_t t;
    iom_err err = app_tasking_assign(&r->ctx, http_param(r, "ref"), http_param(r, "user"), false, ver, &t);
    if (err)
        return http_fail(r, err);
    answer_tasking(r, &t);
}

/* GET /api/v1/taskings/{ref}/tor: every version, oldest first. */
void h_tor_list(http_req *r)
{
    const char *ref = http_param(r, "ref");
    int64_t tv;
    iom_err err = app_tasking_version(&r->ctx, ref, &tv);
    iom_tor_t *v = NULL;
    size_t n = 0;
    if (err || (err = app_tor_list(&r->ctx, ref, &v, &n)))
        return http_fail(r, err);
    const char **keys = iom_arena_new(&r->arena, const char *, n ? n : 1);
    for (size_t i = 0; i < n; i++)
        keys[i] = iom_arena_printf(&r->arena, "%lld", (long long)v[i].version);
    size_t from, to;
    const char *next;
    if (!http_page(r, keys, n, &from, &to, &next))
        return;
    json_t *items = json_array();
    for (size_t i = from; i < to; i++)
        json_array_append_new(items, json_of_tor(&v[i]));
    r->etag = tv;
    http_json(r, 200, json_list(items, next));
}

/* GET /api/v1/taskings/{ref}/tor/{version}: `tor show --version N`. */
void h_tor_get(http_req *r)
{
    const char *ref = http_param(r, "ref");
    int64_t version, tv;
    if (!http_path_int(r, "version", &version))
        return;
    iom_err err = app_tasking_version(&r->ctx, ref, &tv);
    iom_tor_t t;
    if (err || (err = app_tor_get(&r->ctx, ref, version, &t))) {
        if (err == IOM_ENOTFOUND && tv)
            iom_fail(&r->ctx.err, IOM_ENOTFOUND, "terms of reference: %s has no version %lld", ref,
                     (long long)version);
        return http_fail(r, err);
    }
    r->etag = tv;
    http_json(r, 200, json_of_tor(&t));
}

/* POST /api/v1/taskings/{ref}/tor: the SIA proposes the next version (the body is the ToR
   document of docs/api.md). Agreeing is the transition agree_tor. */
void h_tor_propose(http_req *r)
{
    json_t *body;
    int64_t ver;
    if (!http_if_match(r, &ver) || !http_body_object(r, false, &body))
        return;
    const char *ref = http_param(r, "ref");
    iom_tor_t t;
    iom_err err = app_tor_propose(&r->ctx, ref, r->body.data, ver, &t);
    if (err)
        return http_fail(r, err);
    http_tasking_etag(r, ref, ver);
    http_json(r, 201, json_of_tor(&t));
}

/* POST /api/v1/taskings/{ref}/reassessment: the SIA proposes, the SIO signs the same
   content (the body is the assessment input of docs/api.md). */
void h_reassess(http_req *r)
{
    json_t *body;
    int64_t ver;
    if (!http_if_match(r, &ver) || !http_body_object(r, false, &body))
        return;
    const char *ref = http_param(r, "ref");
    iom_assessment_t a;
    iom_err err = app_tasking_reassess(&r->ctx, ref, r->body.data, ver, &a);
    if (err)
        return http_fail(r, err);
    http_tasking_etag(r, ref, ver);
    http_json(r, 200, json_of_assessment(&a));
}
