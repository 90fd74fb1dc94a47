/*
 * intel_int.h: shared by the intelligence use-cases (intel.c, intel_review.c) and the audit
 * view (audit.c): the item's key and its sealed fields (app/seal.h). Inside a transaction;
 * results in ctx->arena; IOM_EINTEGRITY when the audit key is not loaded or a key or value
 * does not open.
 */
#ifndef IOM_APP_INTEL_INT_H
#define IOM_APP_INTEL_INT_H

#include "app/app.h"
#include "app/seal.h"
#include "store/work_store.h"

/* The key of item `it` (a version as read). An item recorded before migration 11 has none:
   with `create`, its versions are sealed now under a new key (stored), else IOM_ENOTFOUND.
   A disposed item: IOM_ECONFLICT. */
iom_err intel_item_key(iom_ctx *c, const iom_intel_t *it, bool create,
                       unsigned char key[SEAL_KEY_BYTES]);

/* Stores the key of a new item `ref`, wrapped under the database's key-encryption key. */
iom_err intel_key_store(iom_ctx *c, const char *ref, const unsigned char key[SEAL_KEY_BYTES]);

/* Seals the text fields of it in place (arena strings). */
void intel_seal_fields(iom_ctx *c, const unsigned char key[SEAL_KEY_BYTES], iom_intel_t *it);

/* Opens the text fields of v[0..n) in place: sealed ones with their item's key, plain ones
   (before migration 11) as they are; a disposed item's fields become NULL. */
iom_err intel_open(iom_ctx *c, iom_intel_t *v, size_t n);

/* Opens one field of item `ref`'s current version as stored (`sealed`): plain text is
   returned as it is, sealed text opened with the item's key; NULL when the item was disposed
   of. OUT *plain: arena string or NULL. */
iom_err intel_open_field(iom_ctx *c, const char *ref, const char *field, const char *sealed,
                         char **plain);

/* The audit image of an item version: {"ref","version","sealed": the item's JSON sealed with
   its key}, compact JSON text in the arena. */
char *intel_sealed_image(iom_ctx *c, const unsigned char key[SEAL_KEY_BYTES], const iom_intel_t *it);

/* An audit image as an auditor reads it: an image written by intel_sealed_image becomes the
   item's JSON again while its key exists, {"ref","version","erased": true} once disposed;
   anything else is returned as it is. */
const char *intel_image_view(iom_ctx *c, const char *image);

#endif
