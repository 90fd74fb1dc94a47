/* input.c: strict decoding of what a client sends: path and query parameters, JSON bodies,
   If-Match. Every refusal answers 400 naming the field and the rule. */
#include <errno.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "app/json.h"
#include "http/internal.h"

const char *http_param(const http_req *r, const char *name)
{
    for (int i = 0; i < r->nparams; i++)
        if (strcmp(r->names[i], name) == 0)
            return r->values[i];
    return NULL;
}

const char *http_query(const http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}


bool http_body_object(http_req *r, bool allow_empty, json_t **out)
{
    *out = NULL;
    if (r->body.len == 0) {
        if (allow_empty)
            return true;
        http_problem(r, 400, "invalid", "Invalid request", "body: a JSON object is required");
        return false;
    }
    if (http_header_count(r, "Content-Type") > 1) { /* which one counts would be a guess (review 104 L4) */
        http_problem(r, 400, "invalid", "Invalid request", "Content-Type: given more than once");
        return false;
    }
    const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type");
    size_t n = strlen("application/json");
    /* the media type alone, then only parameters: "application/json text/plain" is no JSON
       type (review 58); a charset, when given, is UTF-8 */
    const char *rest = ct && strncasecmp(ct, "application/json", n) == 0 ? ct + n : NULL;
    while (rest && (*rest == ' ' || *rest == '\t'))
        rest++;
    bool ok = rest && (!*rest || *rest == ';');
    if (ok && *rest == ';') {
        /* each parameter "; name=value" in turn (a "charset=" inside another's value is no
           charset), the charset's value whole: UTF-8 (review 62: utf-8x and utf8mb4 passed) */
        for (const char *q = rest; ok && *q == ';';) {
            q++;
            while (*q == ' ' || *q == '\t')
                q++;
            const char *name = q;
            if (*q == ';' || !*q) /* an empty parameter ("application/json;"): RFC 9110 allows it */
                continue;
            while (*q && *q != '=' && *q != ';')
                q++;
            size_t nlen = (size_t)(q - name);
            /* a parameter is token=value: no space in its name, an '=' (RFC 9110 §5.6.6;
               review 71: "charset =utf-16" passed as some other parameter) */
            ok = nlen > 0 && *q == '=' && !memchr(name, ' ', nlen) && !memchr(name, '\t', nlen);
            if (!ok)
                break;
            const char *val = q + 1, *vend;
            if (*val == '"') {
                vend = strchr(val + 1, '"');
                ok = vend != NULL;
                val++;
                q = ok ? vend + 1 : val;
            } else {
                for (vend = val; *vend && *vend != ';' && *vend != ' ' && *vend != '\t'; vend++)
                    ;
                q = vend;
            }
            if (ok && nlen == 7 && strncasecmp(name, "charset", 7) == 0) {
                size_t vlen = (size_t)(vend - val);
                ok = (vlen == 5 && strncasecmp(val, "utf-8", 5) == 0) || (vlen == 4 && strncasecmp(val, "utf8", 4) == 0);
            }
            while (ok && (*q == ' ' || *q == '\t'))
                q++;
            ok = ok && (*q == ';' || !*q);
        }
    }
    if (!ok) {
        bool json_type = ct && strncasecmp(ct, "application/json", n) == 0 && (!ct[n] || ct[n] == ';' || ct[n] == ' ');
        http_problem(r, 415, "unsupported_media_type", "Unsupported media type",
                     json_type ? "Content-Type: a JSON body is UTF-8 (charset=utf-8, or no charset)"
                               : "Content-Type: the body must be application/json");
        return false;
    }
    json_error_t je;
    json_t *j = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &je);
    if (!j) {
        http_problem(r, 400, "invalid", "Invalid request",
                     "body: not valid JSON at line %d, column %d: %s", je.line, je.column, json_error_reason(&je));
        return false;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        http_problem(r, 400, "invalid", "Invalid request", "body: must be a JSON object");
        return false;
    }
    json_decref(r->input);
    r->input = j;
    *out = j;
    return true;
}

static const char *type_name(http_ftype t)
{
    switch (t) {
    case HF_STRING: return "a string";
    case HF_INT: return "an integer";
    case HF_BOOL: return "true or false";
    case HF_OBJECT: return "an object";
    case HF_ARRAY: return "an array";
    }
    return "?";
}

bool http_fields(http_req *r, json_t *obj, const http_field *f)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        const http_field *x = f;
        while (x->name && strcmp(x->name, key) != 0)
            x++;
        if (!x->name) {
            /* the fields it takes, named (review 81 L9: "owner: unknown field" on a threat said
               nothing of how ownership moves) */
            char list[512];
            size_t o = 0;
            list[0] = '\0';
            for (const http_field *y = f; y->name && o + strlen(y->name) + 3 < sizeof list; y++)
                o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", o ? ", " : "", y->name);
            http_problem(r, 400, "invalid", "Invalid request", "%.64s: unknown field (this request takes %s)%s", key,
                         o ? list : "no fields",
                         strcmp(key, "owner") == 0 ? "; a threat's owner changes only by a transfer "
                                                     "(request_transfer, decided by the TTCG or the FTT)"
                                                   : "");
            return false;
        }
    }
    for (const http_field *x = f; x->name; x++) {
        v = obj ? json_object_get(obj, x->name) : NULL;
        if (!v || json_is_null(v)) {
            if (x->required) {
                http_problem(r, 400, "invalid", "Invalid request", "%s: required", x->name);
                return false;
            }
            continue;
        }
        bool ok = (x->type == HF_STRING && json_is_string(v)) ||
                  (x->type == HF_INT && json_is_integer(v)) ||
                  (x->type == HF_BOOL && json_is_boolean(v)) ||
                  (x->type == HF_OBJECT && json_is_object(v)) ||
                  (x->type == HF_ARRAY && json_is_array(v));
        if (!ok) {
            http_problem(r, 400, "invalid", "Invalid request", "%s: must be %s", x->name,
                         type_name(x->type));
            return false;
        }
        switch (x->type) {
        case HF_STRING: *(const char **)x->out = json_string_value(v); break;
        case HF_INT: *(int64_t *)x->out = json_integer_value(v); break;
        case HF_BOOL: *(bool *)x->out = json_is_true(v); break;
        case HF_OBJECT: *(json_t **)x->out = v; break;
        case HF_ARRAY: *(json_t **)x->out = v; break;
        }
    }
    return true;
}

typedef struct named_count {
    const char *name;
    int n;
} named_count;

static enum MHD_Result count_named(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    (void)value;
    named_count *c = cls;
    if (key && strcasecmp(key, c->name) == 0)
        c->n++;
    return MHD_YES;
}

int http_header_count(http_req *r, const char *name)
{
    named_count nc = {name, 0};
    MHD_get_connection_values(r->conn, MHD_HEADER_KIND, count_named, &nc);
    return nc.n;
}

bool http_if_match(http_req *r, int64_t *out)
{
    *out = 0;
    const char *s = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "If-Match");
    if (s && http_header_count(r, "If-Match") > 1) { /* two headers are one list (RFC 9110): a version is named once (review 83 L4) */
        http_problem(r, 400, "invalid", "Invalid request",
                     "If-Match: given more than once; send the ETag of the one version read");
        return false;
    }
    if (!s || strcmp(s, "*") == 0) /* `*`: any current version (RFC 9110, 13.1.1) */
        return true;
    size_t n = strlen(s);
    long long v = 0;
    bool ok = n >= 3 && n <= 18 && s[0] == '"' && s[n - 1] == '"';
    for (size_t i = 1; ok && i + 1 < n; i++) {
        ok = s[i] >= '0' && s[i] <= '9';
        v = v * 10 + (s[i] - '0');
    }
    if (ok && s[1] == '0') { /* "0", "00", "019": a tag no version has (review 69: some were 400) */
        http_problem(r, 409, "conflict", "Conflict",
                     "If-Match: no version has the tag %s (a version's ETag has no leading zero); read the "
                     "object again and send its ETag", s);
        return false;
    }
    if (!ok || v < 1) {
        http_problem(r, 400, "invalid", "Invalid request",
                     strncmp(s, "W/", 2) == 0
                         ? "If-Match: a weak ETag (W/...) cannot name a version to change (RFC 9110 compares "
                           "If-Match strongly): send the ETag of the version read, e.g. \"3\""
                         : strchr(s, ',')
                               ? "If-Match: a list of ETags is not taken (a change names the one version it was "
                                 "made on): send the ETag of the version read, e.g. \"3\""
                               : "If-Match: must be the ETag of the version read, e.g. \"3\"");
        return false;
    }
    /* compared strongly, as the ETag is written: "001" is a tag no version has (no ETag is
       written with a leading zero), so it never matches: the stale answer, 409 (review 55, 57),
       said here (review 62: a sentinel version passed down showed in the message) */
    *out = v;
    return true;
}
