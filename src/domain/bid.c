#include "domain/bid.h"

/* Rule 3: the owner, an agency of the owner's region, or a national agency; any force or
   ROCU for a threat a national agency owns (the NCA's threats operate in the regions). */
static bool may_request_for(const bid_agency *req, const bid_agency *owner)
{
    if (req->id == owner->id || req->kind == IOM_AGENCY_NATIONAL ||
        owner->kind == IOM_AGENCY_NATIONAL)
        return true;
    return req->region_id != 0 && req->region_id == owner->region_id;
}

iom_err bid_check(const bid_request *r, iom_error *e)
{
    const bid_agency *req = &r->requesting;
    if (r->threat_archived)
        return iom_fail(e, IOM_ECONFLICT, "threat %s is archived; no new bid on it", r->threat_ref);
    if (req->kind == IOM_AGENCY_CAPABILITY || req->disabled)
        return iom_fail(e, IOM_EINVAL,
                        "requesting_agency: '%s' cannot request TOEX support (a force, ROCU or "
                        "the NCA does)",
                        req->code);
    if (!may_request_for(req, &r->owner))
        return iom_fail(e, IOM_EINVAL,
                        "requesting_agency: '%s' is outside the region of %s's owner '%s'; the "
                        "owner, an agency of its region or the NCA requests support (any force "
                        "or ROCU for a threat the NCA owns)",
                        req->code, r->threat_ref, r->owner.code);
    if (!iom_roles_has(r->actor_roles, IOM_ROLE_SPOC) || r->actor_agency_id != req->id)
        return iom_fail(e, IOM_EFORBIDDEN,
                        "tasking new: only a spoc of the requesting agency '%s' prepares a bid",
                        req->code);
    if (r->marking < r->threat_marking)
        return iom_fail(e, IOM_EINVAL, "marking: %s is below the threat's marking %s",
                        iom_marking_name(r->marking), iom_marking_name(r->threat_marking));
    if (!iom_clearance_allows(r->actor_clearance, r->marking))
        return iom_fail(e, IOM_EFORBIDDEN, "marking: user '%s' is not cleared for %s",
                        r->actor_name, iom_marking_name(r->marking));
    return IOM_OK;
}

iom_err bid_edit_check(iom_tasking_state state, iom_roles actor_roles, int64_t actor_agency_id,
                       int64_t requesting_agency_id, const char *requesting_code, iom_error *e)
{
    if (!iom_roles_has(actor_roles, IOM_ROLE_SPOC) || actor_agency_id != requesting_agency_id)
        return iom_fail(e, IOM_EFORBIDDEN, "tasking edit: only a spoc of the requesting agency '%s' "
                        "edits its bid", requesting_code ? requesting_code : "?");
    if (state != IOM_TS_DRAFT && state != IOM_TS_RETURNED)
        return iom_fail(e, IOM_ECONFLICT, "tasking edit: the bid is %s; it is edited while draft or "
                        "returned (it is on record as submitted)", lifecycle_state_name(state));
    return IOM_OK;
}

iom_err bid_region(const bid_agency *req, const bid_agency *owner, int64_t named,
                   const char *named_code, int64_t *out, iom_error *e)
{
    if (req->region_id) {
        if (named && named != req->region_id)
            return iom_fail(e, IOM_EINVAL,
                            "region: '%s' is not the region of '%s'; a force's or ROCU's bid is "
                            "triaged by the Gateway of its own region (leave region out)",
                            named_code ? named_code : "?", req->code);
        *out = req->region_id;
        return IOM_OK;
    }
    /* a threat owned by a force or ROCU operates in its owner's region: its Gateway triages a
       national agency's bid on it too (review 100 L1: London's Gateway could reject a bid on a
       Yorkshire force's threat, and Yorkshire's had no say) */
    if (named && owner->region_id && named != owner->region_id)
        return iom_fail(e, IOM_EINVAL,
                        "region: '%s' is not the region of the threat's owner '%s'; a bid on a threat "
                        "a force or ROCU owns is triaged by the Gateway of the owner's region (leave "
                        "region out)",
                        named_code ? named_code : "?", owner->code);
    if (named)
        *out = named;
    else if (owner->region_id)
        *out = owner->region_id;
    else
        return iom_fail(e, IOM_EINVAL,
                        "region: a bid of the national agency '%s' on a threat it owns names the "
                        "region where the threat operates; that region's Gateway triages it",
                        req->code);
    return IOM_OK;
}
