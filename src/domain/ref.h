/*
 * ref.h: the fixed vocabularies of domain.md as enums with their exact words.
 *
 * Pure functions, no I/O. *_name returns static storage (never NULL for a valid value);
 * *_parse returns IOM_EINVAL with a message listing the accepted words.
 */
#ifndef IOM_DOMAIN_REF_H
#define IOM_DOMAIN_REF_H

#include <stdbool.h>

#include "util/err.h"

/* domain.md §3. Order is stable: role bit masks are stored. */
typedef enum iom_role {
    IOM_ROLE_SPOC,
    IOM_ROLE_SIO,
    IOM_ROLE_CUSTOMER,
    IOM_ROLE_GATEWAY,
    IOM_ROLE_TOEX_MANAGER,
    IOM_ROLE_SIA,
    IOM_ROLE_ANALYST,
    IOM_ROLE_IDO,
    IOM_ROLE_DIA,
    IOM_ROLE_RESEARCHER,
    IOM_ROLE_TTCG,
    IOM_ROLE_FTT,
    IOM_ROLE_APMIS,
    IOM_ROLE_AUDITOR,
    IOM_ROLE_ADMIN,
    IOM_ROLE_COUNT
} iom_role;

typedef unsigned iom_roles; /* bit set: 1u << iom_role */
#define IOM_ROLE_BIT(r) (1u << (r))

const char *iom_role_name(iom_role r);
iom_err iom_role_parse(const char *s, iom_role *out, iom_error *e);
static inline bool iom_roles_has(iom_roles set, iom_role r) { return (set & IOM_ROLE_BIT(r)) != 0; }

/* domain.md §5: iom stores OFFICIAL and OFFICIAL-SENSITIVE only; higher markings are refused. */
typedef enum iom_marking {
    IOM_MARKING_OFFICIAL,
    IOM_MARKING_OFFICIAL_SENSITIVE,
    IOM_MARKING_COUNT
} iom_marking;

const char *iom_marking_name(iom_marking m);
/* Refuses SECRET / TOP SECRET with a message saying iom does not hold them. */
iom_err iom_marking_parse(const char *s, iom_marking *out, iom_error *e);
/* A user with clearance c may read a record marked m. */
static inline bool iom_clearance_allows(iom_marking clearance, iom_marking m) { return clearance >= m; }

/* Agency kinds (domain.md §2): TOEX is the one `capability`. */
typedef enum iom_agency_kind {
    IOM_AGENCY_FORCE,
    IOM_AGENCY_ROCU,
    IOM_AGENCY_NATIONAL,
    IOM_AGENCY_CAPABILITY,
    IOM_AGENCY_KIND_COUNT
} iom_agency_kind;

const char *iom_agency_kind_name(iom_agency_kind k);
iom_err iom_agency_kind_parse(const char *s, iom_agency_kind *out, iom_error *e);

/* Threat exploitation types (domain.md §1). */
typedef enum iom_threat_type {
    IOM_THREAT_LABOUR,
    IOM_THREAT_SEXUAL,
    IOM_THREAT_CRIMINAL,
    IOM_THREAT_CSE,
    IOM_THREAT_DOMESTIC_SERVITUDE,
    IOM_THREAT_ORGAN_HARVESTING,
    IOM_THREAT_OIC,
    IOM_THREAT_OTHER,
    IOM_THREAT_TYPE_COUNT
} iom_threat_type;

const char *iom_threat_type_name(iom_threat_type t);
iom_err iom_threat_type_parse(const char *s, iom_threat_type *out, iom_error *e);

/* Threat status (domain.md §1). */
typedef enum iom_threat_status { IOM_THREAT_ACTIVE, IOM_THREAT_ARCHIVED } iom_threat_status;
const char *iom_threat_status_name(iom_threat_status s);

#endif
