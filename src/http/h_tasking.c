/* Taskings: /api/v1/taskings, one tasking, and its lifecycle transitions. */
#include <string.h>

#include "app/json.h"
#include "app/tasking.h"
#include "http/internal.h"
#include "util/jsonw.h"

void h_tasking_list(http_req *r)
{
    app_tasking_query q = {.state = http_query(r, "state"), .region = http_query(r, "region"),
                           .owner = http_query(r, "owner"), .after = http_query(r, "after")};
    if (!http_query_limit(r, 1000, &q.limit))
        return;
    iom_tasking_t *v;
    size_t n;
    const char *next;
    iom_err err = app_tasking_list(&r->ctx, &q, &v, &n, &next);
    if (err)
        return http_fail(r, err);
    /* json_list of json_of_tasking(.., false), written as text directly: the list is the
       hottest read, and building and dumping a tree cost more than the query. */
    iom_buf b = IOM_BUF_INIT;
    iom_buf_reserve(&b, 512 + 640 * n);
    iom_buf_puts(&b, "{\"items\":[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            iom_buf_putc(&b, ',');
        json_write_tasking(&b, &v[i]);
    }
    iom_buf_puts(&b, "],\"next\":");
    if (next && jsonw_utf8_ok(next))
        jsonw_str(&b, next);
    else
        iom_buf_puts(&b, "null");
    iom_buf_putc(&b, '}');
    http_json_text(r, 200, &b);
}

void h_tasking_show(http_req *r)
{
    app_tasking_view v;
    iom_err err = app_tasking_show(&r->ctx, http_param(r, "ref"), &v);
    if (err)
        return http_fail(r, err);
    r->etag = v.t.version;
    http_json(r, 200, json_of_tasking_view(&v));
}

void h_tasking_new(http_req *r)
{
    json_t *body, *root = NULL;
    if (!http_body_object(r, false, &body))
        return;
    app_bid_input in;
    iom_err err = app_bid_from_json(&r->ctx, r->body.data, &root, &in);
    iom_tasking_t t;
    if (!err)
        err = app_tasking_new(&r->ctx, &in, &t);
    json_decref(root);
    if (err)
        return http_fail(r, err);
    r->etag = t.version;
    http_json(r, 201, json_of_tasking(&t, true));
}

void h_tasking_act(http_req *r)
{
    const char *name = http_param(r, "action");
    iom_tasking_action action;
    bool listed = false;
    for (const char *const *a = r->route->enums; a && *a; a++)
        listed = listed || strcmp(*a, name) == 0;
    iom_error e = {0};
    if (!listed || lifecycle_action_parse(name, &action, &e)) {
        http_problem(r, 404, "not_found", "Not found", "%s: no such tasking action here", name);
        return;
    }
    json_t *body;
    app_act_input in = {0};
    http_field f[] = {{"reason", HF_STRING, false, &in.reason},
                      {"sia", HF_STRING, false, &in.sia},
                      {"tor_version", HF_INT, false, &in.tor_version},
                      {"accept", HF_BOOL, false, &in.accept},
                      {"new_owner", HF_STRING, false, &in.new_owner},
                      {"new_sio", HF_STRING, false, &in.new_sio},
                      {0}};
    int64_t ver;
    if (!http_if_match(r, &ver) || !http_body_object(r, true, &body) || !http_fields(r, body, f))
        return;
    iom_tasking_t t;
    iom_err err = app_tasking_act(&r->ctx, http_param(r, "ref"), action, &in, ver, &t);
    if (err)
        return http_fail(r, err);
    r->etag = t.version;
    http_json(r, 200, json_of_tasking(&t, true));
}
