/* SQLite back-end: the APMIS area (store/apmis_store.h). */
#include "store/sqlite/sqlite_internal.h"
#include "store/apmis_store.h"

const struct iom_store_apmis_ops sqlite_apmis_ops = {
    .version = 1,
};
