/* The rules of a MoPI review (mopi.h). */
#include "domain/mopi.h"

#include <string.h>

iom_err mopi_decision_parse(const char *s, mopi_decision *out, iom_error *e)
{
    if (s && strcmp(s, "retain") == 0)
        *out = MOPI_RETAIN;
    else if (s && strcmp(s, "dispose") == 0)
        *out = MOPI_DISPOSE;
    else
        return iom_fail(e, IOM_EINVAL, "decision: '%.40s' is not a review decision (retain or dispose)",
                        s ? s : "");
    return IOM_OK;
}

const char *mopi_decision_name(mopi_decision d) { return d == MOPI_DISPOSE ? "dispose" : "retain"; }

bool mopi_may_review(iom_roles roles, iom_tasking_rels rels)
{
    return iom_roles_has(roles, IOM_ROLE_TOEX_MANAGER) ||
           (iom_roles_has(roles, IOM_ROLE_SIA) && (rels & IOM_REL_TASKING_SIA)) ||
           (iom_roles_has(roles, IOM_ROLE_SIO) && (rels & (IOM_REL_OWNING | IOM_REL_THREAT_SIO)));
}

static bool may_review(const mopi_facts *f) { return mopi_may_review(f->roles, f->rels); }

iom_err mopi_review_check(mopi_decision d, const mopi_facts *f, iom_error *e)
{
    const char *what = mopi_decision_name(d);
    if (!may_review(f))
        return iom_fail(e, IOM_EFORBIDDEN,
                        "review (%s): only a toex_manager, the SIA who led the tasking, the "
                        "threat's SIO or an SIO of the agency that owns the threat reviews its "
                        "intelligence",
                        what);
    if (f->disposed)
        return iom_fail(e, IOM_ECONFLICT, "review (%s): the item was disposed of; it takes no "
                        "further review", what);
    if (!f->reason_given)
        return iom_fail(e, IOM_EINVAL, "reason: a review needs a reason (--reason TEXT)");
    if (d == MOPI_RETAIN) {
        if (!f->next_date)
            return iom_fail(e, IOM_EINVAL, "next: retaining an item needs the next review date "
                            "(--next YYYY-MM-DD)");
        if (strcmp(f->next_date, f->today) <= 0)
            return iom_fail(e, IOM_EINVAL, "next: %s is not after today (%s)", f->next_date, f->today);
        if (strcmp(f->next_date, f->latest_next) > 0)
            return iom_fail(e, IOM_EINVAL, "next: %s is after %s, one review period "
                            "(intel.review_years) from today", f->next_date, f->latest_next);
        return IOM_OK;
    }
    /* a disposal cannot be undone: while the tasking is live, only those who hold its risk,
       lead its work or manage the unit dispose of what it holds (review 84 M5: any SIO of the
       owning force, not the threat's, erased an item of a live development, unknown to its
       SIA) */
    if (!f->tasking_ended && !(f->rels & (IOM_REL_THREAT_SIO | IOM_REL_TASKING_SIA)) &&
        !iom_roles_has(f->roles, IOM_ROLE_TOEX_MANAGER))
        return iom_fail(e, IOM_EFORBIDDEN,
                        "review (dispose): while its tasking is live, only the threat's SIO, the "
                        "tasking's SIA or a toex_manager disposes of what it holds; a review to "
                        "retain is open to every reviewer");
    if (f->next_date)
        return iom_fail(e, IOM_EINVAL, "next: a disposal takes no next review date");
    if (f->pnd_pending && !f->tasking_ended)
        return iom_fail(e, IOM_ECONFLICT, "review (dispose): the item is pending on PND while its "
                        "tasking is live; record its PND status first");
    return IOM_OK;
}
