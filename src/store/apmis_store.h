/*
 * apmis_store.h: the store's APMIS area (store->ops->apmis): disruption records against
 * SOC master list threats with their contributing capabilities, and the value-measure
 * queries. Same contract as store.h.
 */
#ifndef IOM_STORE_APMIS_STORE_H
#define IOM_STORE_APMIS_STORE_H

#include "store/store.h"

struct iom_store_apmis_ops {
    int version;
};

#endif
