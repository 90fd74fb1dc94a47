/* Health, readiness, the OpenAPI document, and the read-only reference resources. */
#include <stdlib.h>
#include <string.h>

#include "app/agency.h"
#include "app/audit.h"
#include "app/json.h"
#include "http/internal.h"

void h_health(http_req *r) { http_json(r, 200, json_pack("{s:s}", "status", "ok")); }

void h_ready(http_req *r)
{
    int cur = 0, latest = 0;
    iom_error e = {0};
    iom_err err = r->store->ops->schema_version(r->store, &cur, &latest, &e);
    if (err || cur != latest) {
        http_problem(r, 503, "unavailable", "Not ready", "the store is not reachable or not migrated");
        return;
    }
    http_json(r, 200, json_pack("{s:s}", "status", "ready"));
}

void h_openapi(http_req *r) { http_json(r, 200, http_openapi()); }

static int by_code(const void *a, const void *b)
{
    return strcmp(((const iom_agency_t *)a)->code, ((const iom_agency_t *)b)->code);
}

/* Reference data is small: the whole list is read, then paged by code. */
void h_agencies(http_req *r)
{
    size_t limit;
    if (!http_query_limit(r, 1000, &limit))
        return;
    if (!limit)
        limit = 100;
    const char *after = http_query(r, "after");
    iom_agency_t *v;
    size_t n;
    iom_err err = app_agency_list(&r->ctx, &v, &n);
    if (err)
        return http_fail(r, err);
    qsort(v, n, sizeof *v, by_code);
    json_t *items = json_array();
    const char *next = NULL;
    for (size_t i = 0; i < n; i++) {
        if (after && strcmp(v[i].code, after) <= 0)
            continue;
        if (json_array_size(items) == limit) {
            next = v[i - 1].code;
            break;
        }
        json_array_append_new(items, json_of_agency(&v[i]));
    }
    http_json(r, 200, json_list(items, next));
}

void h_audit_verify(http_req *r)
{
    audit_verify_result res;
    iom_err err = app_audit_verify(&r->ctx, NULL, &res);
    if (err && err != IOM_EINTEGRITY)
        return http_fail(r, err);
    http_json(r, 200,
              json_pack("{s:b, s:I, s:s, s:o, s:o}", "intact", err == IOM_OK, "entries",
                        (json_int_t)res.entries, "head", res.head, "first_bad",
                        res.first_bad ? json_integer(res.first_bad) : json_null(), "detail",
                        err ? json_string(r->ctx.err.msg) : json_null()));
}
