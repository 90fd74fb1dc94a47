/*
 * work_store.h: the store's work area (store->ops->work): contributions, intelligence items
 * with their PND status and versions, tactical options and products. Same contract as
 * store.h.
 */
#ifndef IOM_STORE_WORK_STORE_H
#define IOM_STORE_WORK_STORE_H

#include "store/store.h"

struct iom_store_work_ops {
    int version;
    /* OUT: intelligence items of the tasking whose current version is `pending` on PND. */
    iom_err (*intel_pending_count)(iom_store *s, int64_t tasking_id, int64_t *out, iom_error *e);
    /* OUT: delivered product versions of `type` on the tasking. */
    iom_err (*products_delivered)(iom_store *s, int64_t tasking_id, const char *type,
                                  int64_t *out, iom_error *e);
    /* New slots are appended below this line. */
};

#endif
