/* paging.c: helpers of the resource handlers: per-route body limit, whole-number query
   parameters, the read purpose, paging a list the use-case returned whole, and non-JSON
   answers (product downloads). */
#include <errno.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "app/tasking.h"
#include "app/work.h"
#include "http/internal.h"
#include "ops/ops.h"

size_t http_body_limit(const http_route *rt, size_t cfg_limit)
{
    if (rt && (rt->flags & HTTP_PUBLIC))
        return cfg_limit < HTTP_PUBLIC_BODY_MAX ? cfg_limit : HTTP_PUBLIC_BODY_MAX;
    if (rt && (rt->flags & HTTP_UPLOAD) && cfg_limit < APP_PRODUCT_MAX_BYTES)
        return APP_PRODUCT_MAX_BYTES;
    if (rt && rt->op && rt->op->body_max > cfg_limit)
        return rt->op->body_max; /* a route that takes more than the server's limit (a PNG) */
    return cfg_limit;
}

bool http_query_int(http_req *r, const char *name, int64_t min, int64_t max, int64_t def,
                    int64_t *out)
{
    *out = def;
    const char *s = http_query(r, name);
    if (!s)
        return true;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    /* digits, a minus first where the range allows one: strtoll would take " 1" and "+1" */
    bool digits = (*s >= '0' && *s <= '9') || (*s == '-' && min < 0 && s[1] >= '0' && s[1] <= '9');
    if (!digits || *end || errno || v < min || v > max) {
        http_problem(r, 400, "invalid", "Invalid request",
                     "%s: must be a whole number from %lld to %lld", name, (long long)min,
                     (long long)max);
        return false;
    }
    *out = v;
    return true;
}

const char *http_purpose(const http_req *r)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Iom-Purpose");
}

void http_bytes(http_req *r, int status, const char *content_type, const void *data, size_t len)
{
    json_decref(r->out);
    r->out = NULL;
    r->raw = data;
    r->raw_len = len;
    r->status = status;
    r->content_type = content_type;
}

void http_header(http_req *r, const char *name, const char *value)
{
    if (r->nhdr < (int)(sizeof r->hdr_name / sizeof r->hdr_name[0])) {
        r->hdr_name[r->nhdr] = name;
        r->hdr_value[r->nhdr] = value;
        r->nhdr++;
    }
}

void http_tasking_etag(http_req *r, const char *tasking_ref, int64_t if_version)
{
    if (if_version > 0) {
        r->etag = if_version + 1; /* a change bumps the tasking's version by exactly one */
        return;
    }
    iom_error saved = r->ctx.err;
    int64_t v = 0;
    if (tasking_ref && app_tasking_version(&r->ctx, tasking_ref, &v) == IOM_OK)
        r->etag = v;
    r->ctx.err = saved;
}

