/*
 * agency.h: use-cases over reference data: database initialisation, regions and agencies.
 * Results are allocated in ctx->arena. Errors as app.h; the detail is in ctx->err.
 */
#ifndef IOM_APP_AGENCY_H
#define IOM_APP_AGENCY_H

#include "app/app.h"
#include "app/page.h"

/* `iom init`: on an empty, migrated store, loads the regions and agencies of domain.md §2
   and audits it; that first entry of the change chain is also where the read chain starts
   (app/readlog.h). IOM_ECONFLICT when already initialised. No actor needed. */
iom_err app_init_reference(iom_ctx *c);

typedef struct app_agency_query {
    const char *kind;   /* force|rocu|national|capability, or NULL for all */
    const char *region; /* region code, or NULL */
    bool all;           /* also disabled and merged agencies */
    app_page page;      /* by code */
} app_agency_query;

/* `iom agency list`: agencies by code, one page (page.h). No actor needed: reference data is
   not sensitive. IOM_EINVAL for an unknown kind or a bad limit. */
iom_err app_agency_list(iom_ctx *c, const app_agency_query *q, iom_agency_t **out, size_t *n,
                        const char **next);
iom_err app_region_list(iom_ctx *c, iom_region_t **out, size_t *n);

/* `iom agency show CODE`. */
iom_err app_agency_get(iom_ctx *c, const char *code, iom_agency_t *out);

typedef struct app_agency_input {
    const char *code;   /* new slug */
    const char *name;
    const char *kind;   /* force|rocu|national|capability */
    const char *region; /* region code: required for force and rocu, absent otherwise */
} app_agency_input;

/* Admin only. A name (add, rename) that is the name of another enabled agency, compared in
   NFC, case folded and with its spaces collapsed ("kent  police" is "Kent Police"), is
   IOM_ECONFLICT naming that agency (review 102 L9c); disabled and merged agencies do not count.
   No schema constraint holds it (databases may hold such duplicates from before): the check
   runs in the change's own transaction. */
iom_err app_agency_add(iom_ctx *c, const app_agency_input *in, iom_agency_t *out);
iom_err app_agency_rename(iom_ctx *c, const char *code, const char *name, iom_agency_t *out);
/* Disables an agency: its users can no longer act, sign in or use their sessions and tokens
   (checked on every request). Refused for TOEX (IOM_EINVAL) and, IOM_ECONFLICT naming them,
   while it owns threats with taskings that have not ended (issue 12 points 7-8). */
iom_err app_agency_disable(iom_ctx *c, const char *code, iom_agency_t *out);
/* Merges `from` into `into` (same kind; for forces/ROCUs the same region unless `into` is
   national), giving a reason (required): users and owned threats move to `into`, `from` is
   disabled and records merged_into. Refused (IOM_ECONFLICT, naming them) while `from` owns
   threats with taskings that have not ended: that risk moves through the TTCG/FTT route.
   Each threat moved gets an ownership change ("threat.merge", with the reason) in its
   history and the audit trail, beside the one "agency.merge" entry. */
iom_err app_agency_merge(iom_ctx *c, const char *from, const char *into, const char *reason,
                         iom_agency_t *out);

#endif
