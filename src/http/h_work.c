/* The work on a tasking (docs/work.md): contributions, intelligence items and tactical
   options. Changes take If-Match with the TASKING's ETag (the work use-cases check the
   tasking's version) and answer with the tasking's new ETag; reads of items answer with the
   tasking's ETag too. Reads of intelligence content are logged by the use-cases with the
   X-Iom-Purpose header as the justification. */
#include <stdio.h>
#include <string.h>

#include "app/json.h"
#include "app/work.h"
#include "http/internal.h"

/* ---- contributions -------------------------------------------------------------------- */

void h_contribution_list(http_req *r)
{
    const char *ref = http_param(r, "ref");
    int64_t tv;
    iom_contribution_t *v = NULL;
    size_t n = 0;
    iom_err err = app_tasking_version(&r->ctx, ref, &tv);
    if (err || (err = app_contribution_list(&r->ctx, ref, &v, &n)))
        return http_fail(r, err);
    const char **keys = iom_arena_new(&r->arena, const char *, n ? n : 1);
    for (size_t i = 0; i < n; i++)
        keys[i] = v[i].ref;
    size_t from, to;
    const char *next;
    if (!http_page(r, keys, n, &from, &to, &next))
        return;
    json_t *items = json_array();
    for (size_t i = from; i < to; i++)
        json_array_append_new(items, json_of_contribution(&v[i]));
    r->etag = tv;
    http_json(r, 200, json_list(items, next));
}

void h_contribution_add(http_req *r)
{
    json_t *body;
    app_contribution_input in = {0};
    int64_t ver;
    if (!http_if_match(r, &ver) || !http_body_object(r, false, &body))
        return;
    /* hours: a JSON number (2.5) or, as on the command line, a decimal string ("2.5"). */
    json_t *h = json_object_get(body, "hours");
    if (json_is_number(h)) {
        char text[40];
        if (json_is_integer(h))
            snprintf(text, sizeof text, "%lld", (long long)json_integer_value(h));
        else
            snprintf(text, sizeof text, "%.6f", json_real_value(h));
        json_object_set_new(body, "hours", json_string(text));
    } else if (h && !json_is_string(h) && !json_is_null(h)) {
        http_problem(r, 400, "invalid", "Wrong type", "hours: must be a number of hours");
        return;
    }
    http_field f[] = {{"date", HF_STRING, true, &in.date},
                      {"hours", HF_STRING, true, &in.hours},
                      {"text", HF_STRING, true, &in.text},
                      {0}};
    if (!http_fields(r, body, f))
        return;
    const char *ref = http_param(r, "ref");
    iom_contribution_t k;
    iom_err err = app_contribution_add(&r->ctx, ref, &in, ver, &k);
    if (err)
        return http_fail(r, err);
    http_tasking_etag(r, ref, ver);
    http_json(r, 201, json_of_contribution(&k));
}

/* ---- intelligence ----------------------------------------------------------------------- */

static bool intel_fields(http_req *r, app_intel_input *in, bool correction)
{
    json_t *body;
    http_field f[] = {{"text", HF_STRING, !correction, &in->text},
                      {"source", HF_STRING, !correction, &in->source},
                      {"grade", HF_STRING, false, &in->grade},
                      {"handling", HF_STRING, false, &in->handling},
                      {"conditions", HF_STRING, false, &in->conditions},
                      {"legacy", HF_STRING, false, &in->legacy},
                      {"marking", HF_STRING, false, &in->marking},
                      {"pnd", HF_STRING, false, &in->pnd},
                      {"pnd_ref", HF_STRING, false, &in->pnd_ref},
                      {"pnd_date", HF_STRING, false, &in->pnd_date},
                      {"pnd_reason", HF_STRING, false, &in->pnd_reason},
                      {correction ? "reason" : NULL, HF_STRING, true, &in->reason},
                      {0}};
    return http_body_object(r, false, &body) && http_fields(r, body, f);
}

static bool intel_page(http_req *r, const iom_intel_t *v, size_t n, bool by_version, json_t **out)
{
    const char *pnd = http_query(r, "pnd");
    iom_pnd_status want = IOM_PND_COUNT;
    if (pnd && grade_pnd_parse(pnd, &want, &r->ctx.err)) {
        http_problem(r, 400, "invalid", "Invalid request", "%s", r->ctx.err.msg);
        return false;
    }
    const iom_intel_t **sel = iom_arena_new(&r->arena, const iom_intel_t *, n ? n : 1);
    const char **keys = iom_arena_new(&r->arena, const char *, n ? n : 1);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (pnd && v[i].pnd != want)
            continue;
        sel[m] = &v[i];
        keys[m++] = by_version ? iom_arena_printf(&r->arena, "%lld", (long long)v[i].version) : v[i].ref;
    }
    size_t from, to;
    const char *next;
    if (!http_page(r, keys, m, &from, &to, &next))
        return false;
    json_t *items = json_array();
    for (size_t i = from; i < to; i++)
        json_array_append_new(items, json_of_intel(sel[i]));
    *out = json_list(items, next);
    return true;
}

void h_intel_list(http_req *r)
{
    const char *ref = http_param(r, "ref");
    int64_t tv;
    iom_intel_t *v = NULL;
    size_t n = 0;
    json_t *out;
    iom_err err = app_tasking_version(&r->ctx, ref, &tv);
    if (err || (err = app_intel_list(&r->ctx, ref, http_purpose(r), &v, &n)))
        return http_fail(r, err);
    if (!intel_page(r, v, n, false, &out))
        return;
    r->etag = tv;
    http_json(r, 200, out);
}

void h_intel_add(http_req *r)
{
    app_intel_input in = {0};
    int64_t ver;
    if (!http_if_match(r, &ver) || !intel_fields(r, &in, false))
        return;
    const char *ref = http_param(r, "ref");
    iom_intel_t it;
    iom_err err = app_intel_add(&r->ctx, ref, &in, ver, &it);
    if (err)
        return http_fail(r, err);
    http_tasking_etag(r, ref, ver);
    http_json(r, 201, json_of_intel(&it));
}

void h_intel_due_review(http_req *r)
{
    int64_t days;
    if (!http_query_int(r, "days", 0, 36600, 0, &days))
        return;
    iom_intel_t *v = NULL;
    size_t n = 0;
    json_t *out;
    iom_err err = app_intel_due_review(&r->ctx, (int)days, http_purpose(r), &v, &n);
    if (err)
        return http_fail(r, err);
    if (intel_page(r, v, n, false, &out))
        http_json(r, 200, out);
}

void h_intel_show(http_req *r)
{
    int64_t version;
    if (!http_query_int(r, "version", 1, INT64_C(1) << 53, 0, &version))
        return;
    iom_intel_t it;
    iom_err err = app_intel_show(&r->ctx, http_param(r, "item"), version, http_purpose(r), &it);
    if (err)
        return http_fail(r, err);
    http_tasking_etag(r, it.tasking_ref, 0);
    http_json(r, 200, json_of_intel(&it));
}

void h_intel_history(http_req *r)
{
    iom_intel_t *v = NULL;
    size_t n = 0;
    json_t *out;
    iom_err err = app_intel_history(&r->ctx, http_param(r, "item"), http_purpose(r), &v, &n);
    if (err)
        return http_fail(r, err);
    if (!intel_page(r, v, n, true, &out))
        return;
    if (n)
        http_tasking_etag(r, v[0].tasking_ref, 0);
    http_json(r, 200, out);
}

void h_intel_correct(http_req *r)
{
    app_intel_input in = {0};
    int64_t ver;
    if (!http_if_match(r, &ver) || !intel_fields(r, &in, true))
        return;
    iom_intel_t it;
    iom_err err = app_intel_correct(&r->ctx, http_param(r, "item"), &in, ver, &it);
    if (err)
        return http_fail(r, err);
    http_tasking_etag(r, it.tasking_ref, ver);
    http_json(r, 201, json_of_intel(&it));
}

void h_intel_pnd(http_req *r)
{
    json_t *body;
    const char *pnd = NULL, *pnd_ref = NULL, *pnd_date = NULL, *reason = NULL;
    http_field f[] = {{"pnd", HF_STRING, true, &pnd},
                      {"pnd_ref", HF_STRING, false, &pnd_ref},
                      {"pnd_date", HF_STRING, false, &pnd_date},
                      {"reason", HF_STRING, false, &reason},
                      {0}};
    int64_t ver;
    if (!http_if_match(r, &ver) || !http_body_object(r, false, &body) || !http_fields(r, body, f))
        return;
    iom_intel_t it;
    iom_err err = app_intel_pnd(&r->ctx, http_param(r, "item"), pnd, pnd_ref, pnd_date, reason, ver, &it);
    if (err)
        return http_fail(r, err);
    http_tasking_etag(r, it.tasking_ref, ver);
    http_json(r, 200, json_of_intel(&it));
}

/* ---- tactical options ------------------------------------------------------------------- */

void h_option_list(http_req *r)
{
    const char *status = http_query(r, "status"), *strand = http_query(r, "strand");
    iom_option_status ws = IOM_OPTION_STATUS_COUNT;
    iom_strand wt = IOM_STRAND_COUNT;
    if ((status && products_option_status_parse(status, &ws, &r->ctx.err)) ||
        (strand && products_strand_parse(strand, &wt, &r->ctx.err))) {
        http_problem(r, 400, "invalid", "Invalid request", "%s", r->ctx.err.msg);
        return;
    }
    const char *ref = http_param(r, "ref");
    int64_t tv;
    iom_option_t *v = NULL;
    size_t n = 0;
    iom_err err = app_tasking_version(&r->ctx, ref, &tv);
    if (err || (err = app_option_list(&r->ctx, ref, &v, &n)))
        return http_fail(r, err);
    const iom_option_t **sel = iom_arena_new(&r->arena, const iom_option_t *, n ? n : 1);
    const char **keys = iom_arena_new(&r->arena, const char *, n ? n : 1);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if ((status && v[i].status != ws) || (strand && v[i].strand != wt))
            continue;
        sel[m] = &v[i];
        keys[m++] = v[i].ref;
    }
    size_t from, to;
    const char *next;
    if (!http_page(r, keys, m, &from, &to, &next))
        return;
    json_t *items = json_array();
    for (size_t i = from; i < to; i++)
        json_array_append_new(items, json_of_option(sel[i]));
    r->etag = tv;
    http_json(r, 200, json_list(items, next));
}

void h_option_add(http_req *r)
{
    json_t *body;
    app_option_input in = {0};
    http_field f[] = {{"strand", HF_STRING, true, &in.strand},
                      {"text", HF_STRING, true, &in.text},
                      {"agency", HF_STRING, true, &in.agency},
                      {0}};
    int64_t ver;
    if (!http_if_match(r, &ver) || !http_body_object(r, false, &body) || !http_fields(r, body, f))
        return;
    const char *ref = http_param(r, "ref");
    iom_option_t o;
    iom_err err = app_option_add(&r->ctx, ref, &in, ver, &o);
    if (err)
        return http_fail(r, err);
    http_tasking_etag(r, ref, ver);
    http_json(r, 201, json_of_option(&o));
}

void h_option_set(http_req *r)
{
    json_t *body;
    const char *status = NULL;
    http_field f[] = {{"status", HF_STRING, true, &status}, {0}};
    int64_t ver;
    if (!http_if_match(r, &ver) || !http_body_object(r, false, &body) || !http_fields(r, body, f))
        return;
    iom_option_t o;
    iom_err err = app_option_set(&r->ctx, http_param(r, "option"), status, ver, &o);
    if (err)
        return http_fail(r, err);
    http_tasking_etag(r, o.tasking_ref, ver);
    http_json(r, 200, json_of_option(&o));
}
