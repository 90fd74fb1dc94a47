/*
 * apmis.h: use-cases of APMIS (domain.md §9): disruption records against SOC master list
 * threats, never blocked by the state of any tasking, with TOEX among the contributing
 * capabilities when it helped; and the value-measure report per region, force and period.
 * Results live in ctx->arena; errors as app.h with the detail in ctx->err. Definitions of
 * every figure: docs/apmis.md.
 */
#ifndef IOM_APP_APMIS_H
#define IOM_APP_APMIS_H

#include <jansson.h>

#include "app/app.h"
#include "domain/apmis.h"
#include "store/apmis_store.h"

/*
 * `apmis record`: role apmis, or a spoc/sio of the lead agency. The threat must be on the
 * SOC master list and visible to the actor (IOM_ENOTFOUND otherwise, archived threats
 * included: a disruption may follow the end of every tasking). Lead agency: known, enabled,
 * not a capability (IOM_EINVAL). Capabilities: known, enabled agencies, TOEX allowed.
 * Writes the record, its capabilities and the audit entry "apmis.record" in one transaction.
 */
iom_err app_apmis_record(iom_ctx *c, const apmis_input *in, iom_apmis_t *out);

/* `apmis show REF`: a record the actor may read (apmis_may_read), else IOM_ENOTFOUND. */
iom_err app_apmis_get(iom_ctx *c, const char *ref, iom_apmis_t *out);

typedef struct app_apmis_query {
    const char *threat;        /* SOC reference or NULL */
    const char *after;         /* cursor: an APM reference */
    size_t limit;              /* 0 = default 100; at most 1000 */
} app_apmis_query;

/* `apmis list`: the records the actor may read, ascending reference. OUT next: cursor. */
iom_err app_apmis_list(iom_ctx *c, const app_apmis_query *q, iom_apmis_t **out, size_t *n,
                       const char **next);

typedef struct app_apmis_report_query {
    const char *region;        /* region code or NULL */
    const char *force;         /* agency code (a force, or any agency) or NULL */
    const char *from;          /* YYYY-MM-DD or NULL (from the beginning) */
    const char *to;            /* YYYY-MM-DD or NULL (today) */
    bool by_owner;             /* the owner's view: taskings of the threats the scope owns and
                                  disruptions against them, not those it requested or led */
} app_apmis_report_query;

typedef struct app_apmis_report_t {
    apmis_report r;
    const char *region;        /* effective scope: region code or NULL (all) */
    const char *force;         /* agency code or NULL (all) */
    bool by_owner;             /* the scope is the threats' owner's (the query's by_owner) */
} app_apmis_report_t;

/*
 * `apmis report`: apmis, toex_manager and auditor for any scope; spoc, sio, customer,
 * gateway and ttcg users for their own agency (gateway, ttcg and ROCU users: their region),
 * narrowed to it when no scope is asked (apmis_report_scope). Counts only what the actor is
 * cleared for; the report carries the highest marking counted. by_owner: the same scope read
 * as the threats' owner (drafts are then never counted: a draft is its SPOC's until sent).
 */
iom_err app_apmis_report(iom_ctx *c, const app_apmis_report_query *q, app_apmis_report_t *out);

/* JSON (docs/apmis.md). New references. */
json_t *json_of_apmis(const iom_apmis_t *r);
json_t *json_of_apmis_report(const app_apmis_report_t *r);

/* The same figures as CSV (RFC 4180, header "section,item,measure,value"), in the arena. */
char *app_apmis_report_csv(iom_arena *a, const app_apmis_report_t *r);

#endif
