/*
 * openapi.c: the OpenAPI 3.1 document, generated from the route table so it cannot drift
 * (test_http_openapi compares the two both ways).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "http/internal.h"
#include "ops/ops.h"

static json_t *str_schema(void) { return json_pack("{s:s}", "type", "string"); }

static json_t *schemas(void)
{
    json_t *s = json_object();
    json_t *problem =
        json_pack("{s:s, s:s, s:{s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}}, s:[s, s, s]}",
                  "description", "RFC 9457 problem details", "type", "object", "properties",
                  "type", "type", "string", "title", "type", "string", "status", "type", "integer",
                  "detail", "type", "string", "request_id", "type", "string", "required", "type",
                  "title", "status");
    json_t *props = json_object_get(problem, "properties");
    json_object_set_new(props, "errors",
        json_pack("{s:s, s:s, s:{s:s, s:{s:{s:s}, s:{s:s}}, s:[s, s]}}", "type", "array", "description",
                  "400 only, when the request's fields had several problems (missing, unknown or "
                  "wrong-typed fields, values not allowed): each of them, the first also in detail",
                  "items", "type", "object", "properties", "field", "type", "string", "detail",
                  "type", "string", "required", "field", "detail"));
    json_object_set_new(props, "errors_not_shown",
        json_pack("{s:s, s:s}", "type", "integer", "description",
                  "with errors: how many problems beyond the 16 listed"));
    json_object_set_new(s, "Problem", problem);
    json_object_set_new(s, "Login",
        json_pack("{s:s, s:{s:o, s:o, s:o}, s:[s, s], s:b}", "type", "object", "properties", "username",
                  str_schema(), "password", str_schema(), "totp",
                  json_pack("{s:s, s:s}", "type", "string", "description",
                            "the current one-time code, for a user enrolled in TOTP"),
                  "required", "username", "password", "additionalProperties", 0));
    json_object_set_new(s, "PasswordChange",
        json_pack("{s:s, s:{s:o, s:o}, s:[s, s], s:b}", "type", "object", "properties",
                  "old_password", str_schema(), "new_password", str_schema(), "required",
                  "old_password", "new_password", "additionalProperties", 0));
    json_object_set_new(s, "TotpCode",
        json_pack("{s:s, s:{s:o}, s:[s], s:b}", "type", "object", "properties", "totp",
                  str_schema(), "required", "totp", "additionalProperties", 0));
    for (const char *const *n = op_schema_names; *n; n++)
        json_object_set_new(s, *n, op_schema(*n, false));
    return s;
}

/* "post_api_v1_taskings_ref_action" */
static json_t *operation_id(const http_route *rt)
{
    char id[160];
    size_t j = 0;
    for (const char *m = rt->method; *m && j < sizeof id - 1; m++)
        id[j++] = (char)tolower((unsigned char)*m);
    for (const char *p = rt->pattern; *p && j < sizeof id - 1; p++) {
        if (*p == '{' || *p == '}')
            continue;
        id[j++] = isalnum((unsigned char)*p) ? *p : '_';
    }
    id[j] = '\0';
    return json_string(id);
}

static json_t *parameters(const http_route *rt)
{
    json_t *ps = json_array();
    for (const char *p = strchr(rt->pattern, '{'); p; p = strchr(p + 1, '{')) {
        const char *end = strchr(p, '}');
        json_t *schema = str_schema();
        if (rt->enums) {
            json_t *en = json_array();
            for (const char *const *a = rt->enums; *a; a++)
                json_array_append_new(en, json_string(*a));
            if (strncmp(p, "{action}", 8) == 0)
                json_object_set_new(schema, "enum", en);
            else
                json_decref(en);
        }
        json_array_append_new(ps, json_pack("{s:s%, s:s, s:b, s:o}", "name", p + 1,
                                            (size_t)(end - p - 1), "in", "path", "required", 1,
                                            "schema", schema));
    }
    for (const char *const *q = rt->query; q && *q; q++)
        json_array_append_new(ps, json_pack("{s:s, s:s, s:b, s:o}", "name", *q, "in", "query",
                                            "required", 0, "schema",
                                            strcmp(*q, "limit") == 0
                                                ? json_pack("{s:s, s:i, s:i}", "type", "integer",
                                                            "minimum", 1, "maximum", 1000)
                                                : str_schema()));
    if (rt->flags & HTTP_VERSIONED && strcmp(rt->method, "GET") != 0 && strchr(rt->pattern, '{'))
        json_array_append_new(ps, json_pack("{s:s, s:s, s:b, s:s, s:o}", "name", "If-Match", "in",
                                            "header", "required", 0, "description",
                                            "the ETag of the version read; stale: 409",
                                            "schema", str_schema()));
    return ps;
}

/* ---- operations of the operation table: everything from the row's fields ---- */

static json_t *field_schema(const op_field *f)
{
    static const char *const types[] = {[OT_STRING] = "string", [OT_INT] = "integer",
                                        [OT_BOOL] = "boolean", [OT_STRINGS] = "array",
                                        [OT_DOC] = "object", [OT_OBJECT] = "object"};
    json_t *s = json_pack("{s:s}", "type", types[f->type]);
    if (f->type == OT_STRING && (f->flags & OF_JSON)) { /* any JSON value */
        json_decref(s);
        s = json_object();
    }
    if (f->type == OT_STRING && (f->flags & OF_NUMBER_OK)) {
        json_decref(s);
        s = json_pack("{s:[s, s]}", "type", "string", "number");
    }
    if (f->type == OT_STRINGS && !(f->flags & OF_ONE_OK))
        json_object_set_new(s, "items", str_schema());
    else if (f->type == OT_STRINGS) { /* an array, or one string alone */
        json_decref(s);
        s = json_pack("{s:[{s:s, s:o}, o]}", "anyOf", "type", "array", "items", str_schema(),
                      str_schema());
    }
    if (f->type == OT_INT && f->max > 0) {
        json_object_set_new(s, "minimum", json_integer(f->min));
        json_object_set_new(s, "maximum", json_integer(f->max));
    }
    if (f->values) {
        json_t *en = json_array();
        for (const char *const *a = f->values; *a; a++)
            json_array_append_new(en, json_string(*a));
        json_t *target = f->type == OT_STRINGS ? json_object_get(s, "items") : s;
        if (target)
            json_object_set_new(target, "enum", en);
        else
            json_decref(en);
    }
    if (f->doc)
        json_object_set_new(s, "description", json_string(f->doc));
    return s;
}

static json_t *op_parameters(const op_def *op)
{
    json_t *ps = json_array();
    for (const op_field *f = op->fields; f && f->name; f++) {
        if (f->flags & OF_PURPOSE)
            json_array_append_new(ps, json_pack("{s:s, s:s, s:b, s:s, s:o}", "name", "X-Iom-Purpose",
                                                "in", "header", "required", 0, "description",
                                                "why you read this content (logged with the read)",
                                                "schema", str_schema()));
        else if (f->flags & OF_CLI_ONLY)
            continue;
        else if (f->flags & (OF_PATH | OF_QUERY))
            json_array_append_new(ps, json_pack("{s:s, s:s, s:b, s:o}", "name", f->name, "in",
                                                f->flags & OF_PATH ? "path" : "query", "required",
                                                (f->flags & OF_PATH) != 0, "schema", field_schema(f)));
        else if (f->flags & OF_VERSION)
            json_array_append_new(ps, json_pack("{s:s, s:s, s:b, s:s, s:o}", "name", "If-Match", "in",
                                                "header", "required", 0, "description",
                                                "the ETag of the version read; stale: 409",
                                                "schema", str_schema()));
    }
    return ps;
}

/* The JSON body of an operation: its body fields as a closed object (or its document). */
static json_t *op_body(const op_def *op, bool *required)
{
    json_t *props = json_object(), *req = json_array();
    bool any = false;
    *required = false;
    for (const op_field *f = op->fields; f && f->name; f++) {
        if (f->flags & (OF_PATH | OF_QUERY | OF_VERSION | OF_CLI_ONLY | OF_PURPOSE))
            continue;
        if (f->type == OT_DOC) {
            json_decref(props);
            json_decref(req);
            *required = true;
            return json_pack("{s:s, s:s}", "type", "object", "description",
                             f->doc ? f->doc : "a document of docs/api.md");
        }
        any = true;
        json_object_set_new(props, f->name, field_schema(f));
        if (f->flags & (OF_REQUIRED | OF_NEEDED)) {
            json_array_append_new(req, json_string(f->name));
            *required = true;
        }
    }
    if (!any) {
        json_decref(props);
        json_decref(req);
        return NULL;
    }
    return json_pack("{s:s, s:o, s:o, s:b}", "type", "object", "properties", props, "required", req,
                     "additionalProperties", 0);
}

static json_t *op_response(const op_def *op)
{
    if (op->flags & OP_DOCUMENT)
        return json_pack("{s:s, s:{s:{s:{s:s, s:s}}}}", "description", "the file", "content",
                         "application/octet-stream", "schema", "type", "string", "format", "binary");
    json_t *schema = op_schema(op->returns, op->flags & OP_LIST);
    if (!schema)
        schema = json_pack("{s:s}", "type", "object");
    else if (!(op->flags & OP_LIST)) {
        json_decref(schema);
        char ref[96];
        snprintf(ref, sizeof ref, "#/components/schemas/%s", op->returns);
        schema = json_pack("{s:s}", "$ref", ref);
    }
    return json_pack("{s:s, s:{s:{s:o}}}", "description", "success", "content", "application/json",
                     "schema", schema);
}

static json_t *op_operation(const http_route *rt)
{
    const op_def *op = rt->op;
    json_t *problem = json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", "a problem (RFC 9457)",
                                "content", "application/problem+json", "schema", "$ref",
                                "#/components/schemas/Problem");
    char summary[512];
    json_t *o = json_pack("{s:s, s:s, s:[s], s:o, s:{s:o, s:o}}", "operationId", op->name,
                          "summary", http_api_text(op->summary, summary, sizeof summary), "tags", op->tag, "parameters", op_parameters(op),
                          "responses", op->flags & OP_CREATED ? "201" : op->flags & OP_ACCEPTED ? "202" : "200",
                          op_response(op),
                          "default", problem);
    if (op->help)
        json_object_set_new(o, "description", json_string(op->help));
    bool required;
    json_t *body = op_body(op, &required);
    if (body)
        json_object_set_new(o, "requestBody",
                            json_pack("{s:b, s:{s:{s:o}}}", "required", required, "content",
                                      "application/json", "schema", body));
    return o;
}

static json_t *operation(const http_route *rt)
{
    if (rt->op)
        return op_operation(rt);
    json_t *problem = json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", "a problem (RFC 9457)",
                                "content", "application/problem+json", "schema", "$ref",
                                "#/components/schemas/Problem");
    json_t *ok = (rt->flags & HTTP_DOWNLOAD)
                     ? json_pack("{s:s, s:{s:{s:{s:s, s:s}}}}", "description", "the document",
                                 "content", "application/octet-stream", "schema", "type", "string",
                                 "format", "binary")
                     : rt->returns
                         ? json_pack("{s:s, s:{s:{s:{s:s+}}}}", "description", "success", "content",
                                     "application/json", "schema", "$ref", "#/components/schemas/",
                                     rt->returns)
                         : json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", "success", "content",
                                     "application/json", "schema", "type", "object");
    char summary[512];
    json_t *op = json_pack("{s:o, s:s, s:[s], s:o, s:{s:o, s:o}}", "operationId", operation_id(rt),
                           "summary", http_api_text(rt->summary, summary, sizeof summary), "tags", rt->tag, "parameters", parameters(rt),
                           "responses", (rt->flags & HTTP_CREATED) ? "201" : "200", ok, "default",
                           problem);
    if (rt->flags & HTTP_UPLOAD) {
        json_object_set_new(op, "requestBody",
                            json_pack("{s:b, s:{s:{s:{s:s, s:s}}}}", "required", 1, "content",
                                      "application/octet-stream", "schema", "type", "string",
                                      "format", "binary"));
    } else if (rt->flags & HTTP_BODY) {
        char ref[96];
        snprintf(ref, sizeof ref, "#/components/schemas/%s", rt->body_schema ? rt->body_schema : "Bid");
        json_object_set_new(op, "requestBody",
                            json_pack("{s:b, s:{s:{s:{s:s}}}}", "required",
                                      strcmp(rt->pattern, "/api/v1/taskings/{ref}/{action}") != 0 &&
                                          !(rt->flags & HTTP_BODY_OPTIONAL),
                                      "content", "application/json", "schema", "$ref", ref));
    }
    if (rt->flags & HTTP_PUBLIC)
        json_object_set_new(op, "security", json_array());
    return op;
}

json_t *http_openapi(void)
{
    json_t *paths = json_object();
    for (size_t i = 0; i < http_route_count; i++) {
        const http_route *rt = &http_routes[i];
        json_t *item = json_object_get(paths, rt->pattern);
        if (!item) {
            item = json_object();
            json_object_set_new(paths, rt->pattern, item);
        }
        char m[16];
        size_t k = 0;
        for (; rt->method[k] && k < sizeof m - 1; k++)
            m[k] = (char)tolower((unsigned char)rt->method[k]);
        m[k] = '\0';
        json_object_set_new(item, m, operation(rt));
    }
    return json_pack(
        "{s:s, s:{s:s, s:s, s:s}, s:o, s:{s:o, s:{s:{s:s, s:s, s:s, s:s}, s:{s:s, s:s}}}, s:[{s:[]}, {s:[]}]}",
        "openapi", "3.1.0", "info", "title", "iom", "version", IOM_VERSION, "description",
        "The TOEX Intelligence Operating Model API (docs/serve.md, docs/api.md)", "paths", paths,
        "components", "schemas", schemas(), "securitySchemes", "session", "type", "apiKey", "in",
        "cookie", "name", "iom_session", "description",
        "The session of POST /api/v1/session. Every request with it, reads included, also sends "
        "the header X-CSRF-Token with the csrf_token of the sign-in answer (else 403 csrf).",
        "bearer", "type", "http", "scheme", "bearer", "security", "session", "bearer");
}
