/*
 * threat.h: use-cases over threats and the SOC master list (domain.md §1, §3).
 * Results in ctx->arena; errors as app.h with the detail in ctx->err.
 */
#ifndef IOM_APP_THREAT_H
#define IOM_APP_THREAT_H

#include "app/app.h"

#define APP_TITLE_MAX 200
#define APP_TASKING_REF_MAX 100

typedef struct app_threat_input {
    const char *title;
    const char *type;              /* domain.md §1 exploitation type */
    const char *owner;             /* agency code (add only) */
    const char *sio;               /* user name */
    const char *force_tasking_ref;
    const char *marking;           /* OFFICIAL (default) | OFFICIAL-SENSITIVE */
    const char *reason;            /* update: why; required when the SIO changes (the SIO
                                      holds the risk: domain.md "every decision records why") */
} app_threat_input;

#define APP_THREAT_REASON_MAX 2000

/* `iom threat add`: a spoc or sio of the owning agency, cleared for the marking. */
iom_err app_threat_add(iom_ctx *c, const app_threat_input *in, iom_threat_t *out);

/* `iom threat update REF`: the owner's spoc or sio; NULL fields are unchanged; owner cannot
   change here (ownership moves only by a TTCG/FTT transfer decision). if_version > 0 is the
   version the caller read (stale: IOM_ECONFLICT); 0 = the version read in this call. */
iom_err app_threat_update(iom_ctx *c, const char *ref, const app_threat_input *in,
                          int64_t if_version, iom_threat_t *out);

/* `iom threat archive REF --reason TEXT`: the owner's spoc or sio, when no tasking on the
   threat is open; the threat leaves the active master list. REASON is required (recorded in
   the threat's history). */
iom_err app_threat_archive(iom_ctx *c, const char *ref, const char *reason, int64_t if_version,
                           iom_threat_t *out);

/* `iom threat unarchive REF --reason TEXT [--sio USER]`: the owner's spoc or sio puts an
   archived threat back on the active master list (an archive made in error, or a threat that
   came back). Its SIO must still be able to hold the risk (enabled, of the owner, cleared):
   otherwise IOM_EINVAL naming why, and SIO names a new one. The owner must still be able to
   own a threat (an enabled force, ROCU or national agency). Not archived: IOM_ECONFLICT. */
iom_err app_threat_unarchive(iom_ctx *c, const char *ref, const char *reason, const char *sio,
                             int64_t if_version, iom_threat_t *out);

/* `iom threat show REF`: any enabled user cleared for its marking; otherwise IOM_ENOTFOUND,
   exactly as for a missing reference. */
iom_err app_threat_get(iom_ctx *c, const char *ref, iom_threat_t *out);

typedef struct app_threat_query {
    const char *owner;  /* agency code or NULL */
    const char *region; /* region code or NULL */
    const char *status; /* "active" (default), "archived", "all" */
    const char *after;  /* cursor: a threat reference */
    size_t limit;       /* 0 = default 100; at most 1000 */
} app_threat_query;

/* `iom threat list`: the SOC master list, each threat with its owning agency and region.
   OUT next: cursor for the following page or NULL. */
iom_err app_threat_list(iom_ctx *c, const app_threat_query *q, iom_threat_t **out, size_t *n,
                        const char **next);

/* One entry of a threat's ownership history: the owner and SIO it had from `at`, and the
   recorded decision that gave them. */
typedef struct app_ownership_change {
    int64_t seq;               /* the audit entry that records it */
    int64_t at;
    const char *decision;      /* "listed" (threat add), "sio_changed" (threat update by the
                                  owner), "transfer" (a TTCG/FTT decision on a tasking),
                                  "agency_merge" (an admin merged the owner into another),
                                  "archived" / "unarchived" (the owner took the threat off the
                                  active master list / put it back), "marking_changed" (the
                                  owner changed who may read it) */
    const char *by;            /* the user who recorded it, or NULL (system) */
    const char *owner, *sio;   /* after the change */
    const char *from_owner, *from_sio; /* before it (NULL for "listed") */
    const char *tasking;       /* "transfer": the tasking whose decision it was, when the actor
                                  may see that tasking; NULL otherwise */
    const char *reason;        /* why, as recorded with the decision; NULL when none was
                                  recorded (entries written before reasons were) and, for a
                                  "transfer", when the actor may not see its tasking */
    const char *from_marking, *to_marking; /* "marking_changed": the marking before and after;
                                              NULL otherwise */
} app_ownership_change;

/* `iom threat history REF`: every owner and SIO the threat had, oldest first, each with when
   and by which decision (from the audit trail, which records every ownership change). Who
   may: as app_threat_get. OUT array in ctx->arena. */
iom_err app_threat_history(iom_ctx *c, const char *ref, app_ownership_change **out, size_t *n);

#endif
