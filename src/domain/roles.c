#include "domain/roles.h"

#define BIT(r) IOM_ROLE_BIT(IOM_ROLE_##r)
#define KIND(k) (1u << IOM_AGENCY_##k)

/* Which agency kinds may hold a set of roles; for each role, the first row naming it that
   refuses the agency's kind gives the message. */
static const struct {
    iom_roles roles;
    unsigned kinds; /* bit set of iom_agency_kind allowed */
    const char *rule;
} holders[] = {
    {IOM_ROLES_TOEX, KIND(CAPABILITY), "is a TOEX role, held only by TOEX users"},
    {BIT(GATEWAY) | BIT(TTCG), KIND(FORCE) | KIND(ROCU),
     "is a regional role, held only at a force or ROCU"},
    {BIT(SPOC) | BIT(SIO) | BIT(CUSTOMER), KIND(FORCE) | KIND(ROCU) | KIND(NATIONAL),
     "belongs to an agency that can own a threat; TOEX never owns risk"},
    {BIT(FTT), KIND(NATIONAL),
     "is held by members of the Federated Tasking Team, users of a national agency"},
};

iom_err roles_agency_check(iom_roles roles, iom_agency_kind kind, const char *agency_code,
                           bool region_gateway, iom_error *e)
{
    /* separation of duties: the auditor oversees what administrators do */
    if (iom_roles_has(roles, IOM_ROLE_ADMIN) && iom_roles_has(roles, IOM_ROLE_AUDITOR))
        return iom_fail(e, IOM_EINVAL,
                        "role: 'admin' and 'auditor' are not held by one user: the auditor "
                        "oversees what administrators do (separation of duties)");
    if (iom_roles_has(roles, IOM_ROLE_GATEWAY) && !region_gateway &&
        (kind == IOM_AGENCY_FORCE || kind == IOM_AGENCY_ROCU))
        return iom_fail(e, IOM_EINVAL,
                        "role: 'gateway' is held only by users of the region's Gateway agency "
                        "(its ROCU; in London the Metropolitan Police Service); agency '%s' is "
                        "not its region's Gateway",
                        agency_code);
    for (int r = 0; r < IOM_ROLE_COUNT; r++) {
        if (!iom_roles_has(roles, (iom_role)r))
            continue;
        for (size_t i = 0; i < sizeof holders / sizeof holders[0]; i++)
            if ((holders[i].roles & IOM_ROLE_BIT(r)) && !(holders[i].kinds & (1u << kind)))
                return iom_fail(e, IOM_EINVAL, "role: '%s' %s; agency '%s' is a %s",
                                iom_role_name((iom_role)r), holders[i].rule, agency_code,
                                iom_agency_kind_name(kind));
    }
    return IOM_OK;
}

iom_err roles_team_check(const roles_user *u, bool add, bool is_tasking_sia, iom_error *e)
{
    if (add && (u->agency_kind != IOM_AGENCY_CAPABILITY || !(u->roles & IOM_ROLES_TOEX) ||
                u->disabled))
        return iom_fail(e, IOM_EINVAL,
                        "user: '%s' is not active TOEX staff (sia, analyst, ido, dia, "
                        "researcher, toex_manager); only TOEX staff join a tasking team",
                        u->name);
    if (!add && is_tasking_sia)
        return iom_fail(e, IOM_ECONFLICT, "user: '%s' is the tasking's SIA and stays on the team",
                        u->name);
    return IOM_OK;
}

bool roles_sia_eligible(const roles_user *u)
{
    return !u->disabled && iom_roles_has(u->roles, IOM_ROLE_SIA) &&
           u->agency_kind == IOM_AGENCY_CAPABILITY;
}
