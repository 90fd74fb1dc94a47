/* The SOC master list: /api/v1/threats. */
#include "app/json.h"
#include "app/threat.h"
#include "http/internal.h"

static void answer_threat(http_req *r, int status, const iom_threat_t *t)
{
    r->etag = t->version;
    http_json(r, status, json_of_threat(t));
}

void h_threat_list(http_req *r)
{
    app_threat_query q = {.owner = http_query(r, "owner"), .region = http_query(r, "region"),
                          .status = http_query(r, "status"), .after = http_query(r, "after")};
    if (!http_query_limit(r, 1000, &q.limit))
        return;
    iom_threat_t *v;
    size_t n;
    const char *next;
    iom_err err = app_threat_list(&r->ctx, &q, &v, &n, &next);
    if (err)
        return http_fail(r, err);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, json_of_threat(&v[i]));
    http_json(r, 200, json_list(items, next));
}

void h_threat_get(http_req *r)
{
    iom_threat_t t;
    iom_err err = app_threat_get(&r->ctx, http_param(r, "ref"), &t);
    if (err)
        return http_fail(r, err);
    answer_threat(r, 200, &t);
}

void h_threat_add(http_req *r)
{
    json_t *body;
    app_threat_input in = {0};
    http_field f[] = {{"title", HF_STRING, true, &in.title},
                      {"type", HF_STRING, true, &in.type},
                      {"owner", HF_STRING, true, &in.owner},
                      {"sio", HF_STRING, true, &in.sio},
                      {"force_tasking_ref", HF_STRING, true, &in.force_tasking_ref},
                      {"marking", HF_STRING, false, &in.marking},
                      {0}};
    if (!http_body_object(r, false, &body) || !http_fields(r, body, f))
        return;
    iom_threat_t t;
    iom_err err = app_threat_add(&r->ctx, &in, &t);
    if (err)
        return http_fail(r, err);
    answer_threat(r, 201, &t);
}

void h_threat_update(http_req *r)
{
    json_t *body;
    app_threat_input in = {0};
    http_field f[] = {{"title", HF_STRING, false, &in.title},
                      {"type", HF_STRING, false, &in.type},
                      {"sio", HF_STRING, false, &in.sio},
                      {"force_tasking_ref", HF_STRING, false, &in.force_tasking_ref},
                      {"marking", HF_STRING, false, &in.marking},
                      {0}};
    int64_t ver;
    if (!http_if_match(r, &ver) || !http_body_object(r, false, &body) || !http_fields(r, body, f))
        return;
    iom_threat_t t;
    iom_err err = app_threat_update(&r->ctx, http_param(r, "ref"), &in, ver, &t);
    if (err)
        return http_fail(r, err);
    answer_threat(r, 200, &t);
}
