/*
 * ops_schema.c: the JSON schemas of the objects the operations return (docs/api.md), for the
 * OpenAPI document's response schemas. Each object is written in a compact form, one
 * "name:type" per property, every property required:
 *   string integer number boolean object   the JSON types
 *   T?                                     T or null
 *   [T]                                    an array of T
 *   Name                                   another object of this table ($ref)
 *   any                                    any value
 * Objects are closed (additionalProperties false) unless the form ends with " ...".
 */
#include <stdio.h>
#include <string.h>

#include "ops/ops.h"

static const struct {
    const char *name;
    const char *form;
} objects[] = {
    {"Threat",
     "ref:string title:string type:string owner:string owner_name:string owner_kind:string "
     "region:string? sio:string force_tasking_ref:string marking:string status:string "
     "version:integer created_at:string updated_at:string created_by:string?"},
    {"OwnershipChange",
     "seq:integer at:string decision:string by:string? owner:string sio:string "
     "from_owner:string? from_sio:string? tasking:string?"},
    {"OwnershipHistory", "ref:string history:[OwnershipChange]"},
};

const char *const op_schema_names[] = {"Threat", "OwnershipChange", "OwnershipHistory", NULL};

static json_t *type_schema(const char *t, size_t n)
{
    bool nullable = n && t[n - 1] == '?';
    if (nullable)
        n--;
    json_t *s;
    if (n >= 2 && t[0] == '[' && t[n - 1] == ']')
        s = json_pack("{s:s, s:o}", "type", "array", "items", type_schema(t + 1, n - 2));
    else if (n == 3 && memcmp(t, "any", 3) == 0)
        s = json_object();
    else if (t[0] >= 'a' && t[0] <= 'z')
        s = json_pack("{s:s%}", "type", t, n);
    else {
        char ref[96];
        snprintf(ref, sizeof ref, "#/components/schemas/%.*s", (int)n, t);
        s = json_pack("{s:s}", "$ref", ref);
    }
    if (!nullable)
        return s;
    return json_pack("{s:[o, {s:s}]}", "anyOf", s, "type", "null");
}

static json_t *object_schema(const char *form)
{
    json_t *props = json_object(), *req = json_array();
    bool open = false;
    for (const char *p = form; *p;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        size_t len = strcspn(p, " ");
        if (len == 3 && memcmp(p, "...", 3) == 0) {
            open = true;
            p += len;
            continue;
        }
        const char *colon = memchr(p, ':', len);
        if (!colon)
            break;
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(colon - p), p);
        json_object_set_new(props, name, type_schema(colon + 1, len - (size_t)(colon + 1 - p)));
        json_array_append_new(req, json_string(name));
        p += len;
    }
    return json_pack("{s:s, s:o, s:o, s:b}", "type", "object", "properties", props, "required", req,
                     "additionalProperties", open);
}

json_t *op_schema(const char *name, bool list)
{
    for (size_t i = 0; name && i < sizeof objects / sizeof objects[0]; i++) {
        if (strcmp(objects[i].name, name) != 0)
            continue;
        if (!list)
            return object_schema(objects[i].form);
        char ref[96];
        snprintf(ref, sizeof ref, "#/components/schemas/%s", name);
        return json_pack("{s:s, s:{s:{s:s, s:{s:s}}, s:{s:[s, s]}}, s:[s, s], s:b}", "type", "object",
                         "properties", "items", "type", "array", "items", "$ref", ref, "next", "type",
                         "string", "null", "required", "items", "next", "additionalProperties", 0);
    }
    return NULL;
}
