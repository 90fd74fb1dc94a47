/*
 * bid.h: who may prepare a bid (tasking new) for which threat, and at which marking
 * (domain.md §1 steps 1-2, §3, §5), as one pure decision.
 *
 * app/ reads the threat, the requesting agency and the threat's owner from the store, fills a
 * bid_request and asks once; the answer is IOM_OK or the reason. Looking the records up (an
 * unknown agency, a threat the actor is not cleared to see) stays with app/.
 */
#ifndef IOM_DOMAIN_BID_H
#define IOM_DOMAIN_BID_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/lifecycle.h"
#include "domain/ref.h"
#include "util/err.h"

typedef struct bid_agency {
    int64_t id;
    const char *code;
    iom_agency_kind kind;
    int64_t region_id;         /* 0: national or TOEX */
    bool disabled;
} bid_agency;

typedef struct bid_request {
    const char *actor_name;    /* for messages */
    iom_roles actor_roles;
    int64_t actor_agency_id;
    iom_marking actor_clearance;
    const char *threat_ref;    /* for messages */
    bool threat_archived;
    iom_marking threat_marking;
    bid_agency owner;          /* the threat's owner */
    bid_agency requesting;     /* the agency asking for support */
    iom_marking marking;       /* the bid's marking (the threat's unless one is given) */
} bid_request;

/*
 * May the actor prepare this bid? The rules, in the order checked (the first broken one is
 * the answer):
 *   1. the threat is active                                      else IOM_ECONFLICT
 *   2. the requesting agency is an enabled force, ROCU or national agency (TOEX, a capability,
 *      never asks itself for support)                           else IOM_EINVAL
 *   3. it may ask for help on this threat: it is the owner, an agency of the owner's region,
 *      or a national agency (the NCA); for a threat owned by a national agency, any force or
 *      ROCU                                                     else IOM_EINVAL
 *   4. the actor is a spoc of the requesting agency              else IOM_EFORBIDDEN
 *   5. the bid's marking is not below the threat's               else IOM_EINVAL
 *   6. the actor is cleared for the bid's marking                else IOM_EFORBIDDEN
 */
iom_err bid_check(const bid_request *r, iom_error *e);

/*
 * May the actor edit the bid (`tasking edit`)? While the bid is with the requesting agency:
 * in `draft`, and in `returned` (the Gateway sent it back saying what is missing; domain.md §1),
 * by a spoc of the requesting agency (IOM_EFORBIDDEN otherwise); in any other state the bid is
 * on record as it was submitted (IOM_ECONFLICT naming the state).
 */
iom_err bid_edit_check(iom_tasking_state state, iom_roles actor_roles, int64_t actor_agency_id,
                       int64_t requesting_agency_id, const char *requesting_code, iom_error *e);

/*
 * The region whose Gateway triages the bid (issue 12 point 1): a force's or ROCU's own
 * region (a different region named is IOM_EINVAL); for a national requester (the NCA) the
 * owner's region when a force or ROCU owns the threat (another named is IOM_EINVAL), and on a
 * nationally owned threat the region named (`named`, its code `named_code` for the message;
 * 0 = none: IOM_EINVAL). OUT: *out the region id on IOM_OK.
 */
iom_err bid_region(const bid_agency *req, const bid_agency *owner, int64_t named,
                   const char *named_code, int64_t *out, iom_error *e);

#endif
