/*
 * routes.c: THE route table of the API (after GNU Taler's handlers[]). One row per
 * (method, path pattern); `{name}` segments are parameters. The OpenAPI document is
 * generated from these rows (openapi.c), and a test compares the two both ways.
 */
#include <string.h>

#include "http/internal.h"
#include "ops/ops.h"

/* ---- resources of the tasking lifecycle, the work and APMIS (h_lifecycle.c, h_work.c,
   h_product.c, h_apmis.c, h_audit.c) ---- */
static const char *const q_version[] = {"version", NULL};
static const char *const q_upload[] = {"type", "filename", "replaces", "marking", NULL};

static const http_route fixed_routes[] = {
    {.method = "GET", .pattern = "/api/health", .fn = h_health, .returns = "Health", .flags = HTTP_PUBLIC,
     .summary = "Liveness: the process answers (no data)", .tag = "system"},
    {.method = "GET", .pattern = "/api/ready", .fn = h_ready, .returns = "Health", .flags = HTTP_PUBLIC,
     .summary = "Readiness: the store is reachable", .tag = "system"},
    {.method = "GET", .pattern = "/api/openapi.json", .fn = h_openapi, .returns = "OpenApi", .flags = HTTP_PUBLIC,
     .summary = "This API as an OpenAPI 3.1 document", .tag = "system"},

    {.method = "POST", .pattern = "/api/v1/session", .fn = h_login, .returns = "Session",
     .flags = HTTP_PUBLIC | HTTP_BODY | HTTP_CREATED, .body_schema = "Login",
     .summary = "Sign in: sets the session cookie, returns the user and the CSRF token",
     .tag = "session"},
    {.method = "DELETE", .pattern = "/api/v1/session", .fn = h_logout, .returns = "SignedOut", .flags = HTTP_RESTRICTED_OK,
     .summary = "Sign out: ends the session", .tag = "session"},
    {.method = "GET", .pattern = "/api/v1/me", .fn = h_me, .returns = "Me", .flags = HTTP_RESTRICTED_OK,
     .summary = "The signed-in user and what it must do first (restriction)", .tag = "session"},

    /* ---- resources of the tasking lifecycle, the work and APMIS ---- */

    {.method = "POST", .pattern = "/api/v1/taskings/{ref}/products", .fn = h_product_add,
     .early = h_product_add_early, .returns = "Product",
     .query = q_upload, .flags = HTTP_BODY | HTTP_UPLOAD | HTTP_CREATED | HTTP_VERSIONED,
     .summary = "Upload a product document (the body; metadata in the query; at most 50 MiB)",
     .tag = "work"},
    {.method = "GET", .pattern = "/api/v1/products/{product}", .fn = h_product_get,
     .query = q_version, .flags = HTTP_DOWNLOAD,
     .summary = "Download a product document, SHA-256 verified (a logged read)", .tag = "work"},

    /* ---- end of the resources of the tasking lifecycle, the work and APMIS ---- */

};

/* ---- routes made from the operation table ---------------------------------------------- */

#define MAX_ROUTES 512
static http_route all_routes[MAX_ROUTES];
static const char *op_queries[MAX_ROUTES][OP_MAX_FIELDS + 1];
const http_route *http_routes = all_routes;
size_t http_route_count;

/* The route of an operation: its method and path; its query parameters; a JSON body when it
   has body fields or a document (optional when none of them is required). */
static http_route route_of(const op_def *op, const char **query)
{
    unsigned flags = 0;
    bool body = false, required = false;
    size_t nq = 0;
    for (const op_field *f = op->fields; f && f->name; f++) {
        if (f->flags & (OF_CLI_ONLY | OF_PURPOSE))
            continue;
        if (f->flags & OF_QUERY)
            query[nq++] = f->name;
        else if (f->flags & OF_VERSION)
            flags |= HTTP_VERSIONED;
        else if (!(f->flags & OF_PATH)) {
            body = true;
            required = required || (f->flags & OF_REQUIRED) || f->type == OT_DOC;
        }
    }
    query[nq] = NULL;
    /* A POST/PUT/PATCH takes a JSON body even without fields ({} or nothing), as clients send */
    bool writes = strcmp(op->method, "GET") != 0 && strcmp(op->method, "DELETE") != 0;
    if (!body && writes)
        flags |= HTTP_BODY | HTTP_BODY_OPTIONAL;
    if (body)
        flags |= HTTP_BODY | (required || strcmp(op->method, "PATCH") == 0 ? 0 : HTTP_BODY_OPTIONAL);
    if (op->flags & OP_CREATED)
        flags |= HTTP_CREATED;
    if (op->flags & OP_RESTRICTED_OK)
        flags |= HTTP_RESTRICTED_OK;
    if (op->flags & OP_TOTP_ENROL)
        flags |= HTTP_TOTP_ENROL;
    if (strcmp(op->method, "GET") == 0 && strchr(op->path, '{') && !(op->flags & OP_LIST))
        flags |= HTTP_VERSIONED; /* answers the object's ETag */
    char *summary = NULL;
    return (http_route){.method = op->method, .pattern = op->path, .fn = h_op, .flags = flags,
                        .query = nq ? query : NULL, .summary = summary ? summary : op->summary,
                        .tag = op->tag, .op = op};
}

__attribute__((constructor)) static void routes_init(void)
{
    size_t n = 0;
    for (size_t i = 0; i < sizeof fixed_routes / sizeof fixed_routes[0] && n < MAX_ROUTES; i++)
        all_routes[n++] = fixed_routes[i];
    for (const op_def *op = op_table; op->name && n < MAX_ROUTES; op++)
        if (op->method) {
            all_routes[n] = route_of(op, op_queries[n]);
            n++;
        }
    for (size_t i = 0; i < n; i++)
        all_routes[i].segments = http_path_segments(all_routes[i].pattern);
    http_route_count = n;
}
