/* The audit trail for auditors: the log (paged by sequence number, optionally for one
   object) and the checkpoint (the chain head to keep elsewhere). Verify is in h_system.c. */
#include <stdint.h>
#include <stdio.h>

#include "app/audit.h"
#include "app/json.h"
#include "http/internal.h"

void h_audit_log(http_req *r)
{
    size_t limit;
    int64_t after;
    if (!http_query_limit(r, 1000, &limit) || !http_query_int(r, "after", 0, INT64_MAX, 0, &after))
        return;
    iom_audit_t *v;
    size_t n;
    int64_t next;
    iom_err err = app_audit_log_page(&r->ctx, http_query(r, "object"), after, limit ? limit : 100, &v,
                                     &n, &next);
    if (err)
        return http_fail(r, err);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, json_of_audit(&v[i]));
    char cursor[24];
    snprintf(cursor, sizeof cursor, "%lld", (long long)next);
    http_json(r, 200, json_list(items, next ? cursor : NULL));
}

void h_audit_checkpoint(http_req *r)
{
    audit_checkpoint cp;
    iom_err err = app_audit_checkpoint(&r->ctx, &cp);
    if (err)
        return http_fail(r, err);
    http_json(r, 200, json_pack("{s:I, s:s}", "seq", (json_int_t)cp.seq, "hash", cp.hash));
}
