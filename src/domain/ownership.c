#include "domain/ownership.h"

#include <string.h>

static bool same(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

iom_err ownership_owner_check(const own_agency *o, iom_error *e)
{
    if (o->kind == IOM_AGENCY_CAPABILITY)
        return iom_fail(e, IOM_EINVAL,
                        "owner: '%s' is a capability; TOEX never owns risk, a threat is owned by a "
                        "force, a ROCU or a national agency",
                        o->code);
    if (o->kind != IOM_AGENCY_FORCE && o->kind != IOM_AGENCY_ROCU && o->kind != IOM_AGENCY_NATIONAL)
        return iom_fail(e, IOM_EINVAL, "owner: '%s' cannot own a threat", o->code);
    if (o->disabled)
        return iom_fail(e, IOM_EINVAL, "owner: agency '%s' is disabled", o->code);
    return IOM_OK;
}

iom_err ownership_sio_check(const own_agency *owner, const own_user *sio, iom_error *e)
{
    if (sio->disabled)
        return iom_fail(e, IOM_EINVAL, "sio: user '%s' is disabled", sio->name);
    if (sio->agency && sio->agency->disabled) /* its users cannot sign in: nobody would hold the risk */
        return iom_fail(e, IOM_EINVAL, "sio: user '%s' belongs to agency '%s', which is disabled",
                        sio->name, sio->agency->code);
    if (!iom_roles_has(sio->roles, IOM_ROLE_SIO))
        return iom_fail(e, IOM_EINVAL, "sio: user '%s' does not hold the sio role", sio->name);
    const own_agency *a = sio->agency;
    bool ok = same(a->code, owner->code) ||
              (owner->kind == IOM_AGENCY_ROCU && a->kind == IOM_AGENCY_FORCE &&
               same(a->region, owner->region));
    if (!ok)
        return iom_fail(e, IOM_EINVAL,
                        "sio: user '%s' is at '%s'; the SIO must belong to the owning agency '%s'%s",
                        sio->name, a->code, owner->code,
                        owner->kind == IOM_AGENCY_ROCU ? " or a force of its region" : "");
    return IOM_OK;
}

iom_err ownership_may_edit(const own_agency *owner, const own_user *actor, bool threat_sio,
                           const char *action, iom_error *e)
{
    bool role = iom_roles_has(actor->roles, IOM_ROLE_SPOC) || iom_roles_has(actor->roles, IOM_ROLE_SIO);
    if (!role)
        return iom_fail(e, IOM_EFORBIDDEN, "%s: user '%s' is neither spoc nor sio", action, actor->name);
    /* the threat's own SIO holds its risk, whatever agency of the owner's side it is at (a
       force of a ROCU owner's region: review 100 M3, the SIO was locked out of the threat while
       an SIO of the ROCU who held nothing could edit it) */
    if (threat_sio && iom_roles_has(actor->roles, IOM_ROLE_SIO))
        return IOM_OK;
    if (!same(actor->agency->code, owner->code))
        return iom_fail(e, IOM_EFORBIDDEN,
                        "%s: user '%s' is at '%s'; only the owning agency '%s' (its spoc or sio) may do this",
                        action, actor->name, actor->agency->code, owner->code);
    return IOM_OK;
}
