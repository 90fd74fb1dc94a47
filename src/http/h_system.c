/* Health, readiness, the OpenAPI document, and the read-only reference resources. */
#include <stdlib.h>
#include <string.h>

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
