/*
 * roles.h: which agencies hold which roles, and who may be on a tasking's TOEX team
 * (domain.md §2, §3), as data and pure functions. app/ asks here when a user is added
 * (user add) and when a team changes (tasking assign / unassign, the SIA allocated on
 * accept); the transition table of lifecycle.h says which of these roles do what.
 */
#ifndef IOM_DOMAIN_ROLES_H
#define IOM_DOMAIN_ROLES_H

#include <stdbool.h>

#include "domain/ref.h"
#include "util/err.h"

/* The TOEX staff roles (domain.md §3): held only by TOEX users, and the only roles that put
   a user on a tasking's team. The team and work rows of lifecycle.c grant only these. */
#define IOM_ROLES_TOEX                                                                        \
    (IOM_ROLE_BIT(IOM_ROLE_TOEX_MANAGER) | IOM_ROLE_BIT(IOM_ROLE_SIA) |                       \
     IOM_ROLE_BIT(IOM_ROLE_ANALYST) | IOM_ROLE_BIT(IOM_ROLE_IDO) | IOM_ROLE_BIT(IOM_ROLE_DIA) | \
     IOM_ROLE_BIT(IOM_ROLE_RESEARCHER))

/*
 * May a user of an agency of kind `kind` (code `agency_code`, for the message) hold `roles`?
 * TOEX staff roles only at TOEX (the capability); gateway only at the region's Gateway
 * agency (`region_gateway`: its ROCU, in London the Metropolitan Police Service, domain.md
 * §2); ttcg at a force or ROCU (the region's ROCU or one of its forces); spoc, sio and
 * customer only at an agency that can own a threat (not TOEX); ftt only at a national agency
 * (the Federated Tasking Team). IOM_OK, or IOM_EINVAL naming the role refused and its rule.
 */
iom_err roles_agency_check(iom_roles roles, iom_agency_kind kind, const char *agency_code,
                           bool region_gateway, iom_error *e);

/* A user as the team rules see it. */
typedef struct roles_user {
    const char *name;
    iom_roles roles;
    iom_agency_kind agency_kind;
    bool disabled;
} roles_user;

/*
 * May `u` join (add) or leave (!add) a tasking's team? Joining: an enabled TOEX user with a
 * TOEX staff role (IOM_EINVAL otherwise). Leaving: anyone but the tasking's SIA
 * (is_tasking_sia: IOM_ECONFLICT, the SIA stays on the team).
 */
iom_err roles_team_check(const roles_user *u, bool add, bool is_tasking_sia, iom_error *e);

/* May `u` be allocated as a tasking's SIA (accept)? An enabled TOEX user holding role sia. */
bool roles_sia_eligible(const roles_user *u);

#endif
