/*
 * refdata.h: the reference data `iom init` loads (domain.md §2): 10 regions, 9 ROCUs, the 43
 * territorial forces of England and Wales in their regions, the NCA, and TOEX as a
 * capability. Static, read-only tables; after init the data lives in the store and an admin
 * changes it there (iom agency add/rename/disable/merge) without a release.
 */
#ifndef IOM_DOMAIN_REFDATA_H
#define IOM_DOMAIN_REFDATA_H

#include <stdbool.h>
#include <stddef.h>

#include "domain/ref.h"

typedef struct refdata_region {
    const char *code;
    const char *name;
} refdata_region;

typedef struct refdata_agency {
    const char *code;
    const char *name;
    iom_agency_kind kind;
    const char *region; /* region code, NULL for national agencies and capabilities */
    bool gateway;       /* its users hold the region's Gateway and TTCG roles although it is
                           not a ROCU (London has none: the Metropolitan Police Service) */
} refdata_agency;

extern const refdata_region refdata_regions[];
extern const size_t refdata_region_count;
extern const refdata_agency refdata_agencies[];
extern const size_t refdata_agency_count;

/* The agency code of TOEX, the capability that can never own a threat. */
#define REFDATA_TOEX "toex"

#endif
