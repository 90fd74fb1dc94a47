/*
 * mopi.h: the rules of a MoPI review of an intelligence item (domain.md §10; issue 12 point 6;
 * docs/work.md "Review and disposal"). Pure: app/ establishes the facts from the store and the
 * clock and applies the answer in its own transaction.
 *
 * A review retains the item until a next review date, or disposes of it (its content is erased;
 * the review history and the audit trail remain). Reviews are recorded in every state of the
 * tasking, closed ones included: items reach their review date years after the tasking ended.
 */
#ifndef IOM_DOMAIN_MOPI_H
#define IOM_DOMAIN_MOPI_H

#include <stdbool.h>

#include "domain/lifecycle.h"
#include "domain/ref.h"
#include "util/err.h"

typedef enum mopi_decision { MOPI_RETAIN, MOPI_DISPOSE } mopi_decision;

/* "retain" | "dispose". IOM_EINVAL naming both otherwise. */
iom_err mopi_decision_parse(const char *s, mopi_decision *out, iom_error *e);
const char *mopi_decision_name(mopi_decision d);

/* Facts of one review, established by app/. Dates are "YYYY-MM-DD" (valid: app checks). */
typedef struct mopi_facts {
    iom_roles roles;            /* the actor's roles */
    iom_tasking_rels rels;      /* the actor's relations to the item's tasking (lifecycle.h) */
    bool disposed;              /* the item was disposed of already */
    bool pnd_pending;           /* the item's current version is pending on PND */
    bool tasking_ended;         /* the tasking is closed, rejected, declined or withdrawn */
    bool reason_given;          /* a non-blank reason */
    const char *next_date;      /* retain: the next review date asked for; NULL: not given */
    const char *today;          /* today's date */
    const char *latest_next;    /* the latest next date allowed: today + intel.review_years */
} mopi_facts;

/*
 * May the actor review, and is the review valid? In this order:
 *   - who (IOM_EFORBIDDEN naming the rule): a toex_manager; the SIA who led the tasking (role
 *     sia and IOM_REL_TASKING_SIA); the threat's SIO or an SIO of the agency that owns the threat
 *     (role sio and IOM_REL_THREAT_SIO or IOM_REL_OWNING: a ROCU owner's SIO may be at a force
 *     of its region, review 100 M3). Nobody else, the auditor included (the auditor reads reviews);
 *   - the item is not disposed already (IOM_ECONFLICT);
 *   - a reason (IOM_EINVAL);
 *   - retain: a next date after today and not after latest_next (IOM_EINVAL); dispose: while
 *     the tasking is live, the threat's SIO, the tasking's SIA or a toex_manager only
 *     (IOM_EFORBIDDEN: not another SIO of the owning agency), and no next date (IOM_EINVAL);
 *   - dispose of an item still pending on PND while the tasking is live (IOM_ECONFLICT: the PND
 *     gate; record its PND status first, or withdraw the tasking).
 */
iom_err mopi_review_check(mopi_decision d, const mopi_facts *f, iom_error *e);

/* Whether roles with relations rels may review (the first rule above): a user who may not
 * and cannot read the item is answered as if it did not exist. */
bool mopi_may_review(iom_roles roles, iom_tasking_rels rels);

#endif
