/*
 * ownership.h: the rules of who may own a threat and who may be its SIO (domain.md §1, §2).
 * Pure functions over plain descriptions; the schema enforces the same rules again as
 * triggers (src/store/sqlite/schema.c) so that no code path can store a threat breaking them.
 */
#ifndef IOM_DOMAIN_OWNERSHIP_H
#define IOM_DOMAIN_OWNERSHIP_H

#include <stdbool.h>

#include "domain/ref.h"
#include "util/err.h"

typedef struct own_agency {
    const char *code;
    iom_agency_kind kind;
    const char *region; /* NULL for national / capability */
    bool disabled;
} own_agency;

typedef struct own_user {
    const char *name;
    iom_roles roles;
    const own_agency *agency;
    bool disabled;
} own_user;

/* TOEX never owns risk: the owner is an enabled force, ROCU or national agency. */
iom_err ownership_owner_check(const own_agency *owner, iom_error *e);

/* The SIO holds the sio role, is enabled, and belongs to the owner, or for a ROCU owner to
   the ROCU or a force of its region. */
iom_err ownership_sio_check(const own_agency *owner, const own_user *sio, iom_error *e);

/* Adding or updating a threat: a spoc or sio of the owning agency, or the threat's own SIO
   (threat_sio: the actor is the SIO named on the threat; for a ROCU owner the SIO may be at a
   force of its region). IOM_EFORBIDDEN otherwise. */
iom_err ownership_may_edit(const own_agency *owner, const own_user *actor, bool threat_sio,
                           const char *action, iom_error *e);

#endif
