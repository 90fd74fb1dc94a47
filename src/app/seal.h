/*
 * seal.h: per-item encryption of intelligence content, so that a MoPI disposal can erase an
 * item for good (issue 12 point 6; docs/work.md "Review and disposal").
 *
 * Each intelligence item has its own random 32-byte key. Its text fields (text, source,
 * handling conditions, PND reason, correction reason) are stored sealed with that key, in
 * every version, and so are the item's images in the audit trail (the audit MAC covers the
 * sealed text, so the chain still verifies once the key is gone). The key is stored wrapped
 * (XChaCha20-Poly1305, the item's reference as associated data) under a key-encryption key
 * derived from the audit key: crypto_kdf_derive_from_key(kek, 32, 2, "iomitems", audit key).
 * Disposal deletes the wrapped key (and the store overwrites the freed bytes): every sealed
 * copy of the item, in its rows and in the audit trail, becomes unreadable.
 *
 * Sealed text: "iom:s1:" followed by base64 (URL-safe, no padding) of nonce (24 bytes) ||
 * ciphertext || tag (16), the field's name as associated data (a value cannot be moved to
 * another field unnoticed). Pure computation over libsodium; no I/O, no store.
 *
 * Results: arena strings. Errors: IOM_EINTEGRITY (a sealed value or wrapped key that does not
 * open: wrong key, altered bytes), IOM_EINVAL (a value that is not sealed text).
 */
#ifndef IOM_APP_SEAL_H
#define IOM_APP_SEAL_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"
#include "util/err.h"

#define SEAL_KEY_BYTES 32
#define SEAL_WRAPPED_BYTES 72 /* nonce 24 + key 32 + tag 16 */
#define SEAL_PREFIX "iom:s1:"

/* A new random item key. */
void seal_key_new(unsigned char key[SEAL_KEY_BYTES]);

/* The key-encryption key of a database, from its audit key (32 bytes). */
void seal_kek(const unsigned char audit_key[32], unsigned char kek[SEAL_KEY_BYTES]);

/* Wraps an item key under kek, bound to the item's reference. */
void seal_wrap(const unsigned char kek[SEAL_KEY_BYTES], const char *ref,
               const unsigned char key[SEAL_KEY_BYTES], unsigned char out[SEAL_WRAPPED_BYTES]);

/* Unwraps; IOM_EINTEGRITY when it does not open (another reference, altered bytes). */
iom_err seal_unwrap(const unsigned char kek[SEAL_KEY_BYTES], const char *ref,
                    const unsigned char *wrapped, size_t len, unsigned char key[SEAL_KEY_BYTES],
                    iom_error *e);

/* Is s sealed text (starts with SEAL_PREFIX)? */
bool seal_is_sealed(const char *s);

/* Seals plain (NULL stays NULL) as the value of `field`. OUT: arena string. */
char *seal_text(iom_arena *a, const unsigned char key[SEAL_KEY_BYTES], const char *field,
                const char *plain);

/* Opens a value sealed by seal_text for `field` (NULL stays NULL). OUT *plain: arena string. */
iom_err seal_open(iom_arena *a, const unsigned char key[SEAL_KEY_BYTES], const char *field,
                  const char *sealed, char **plain, iom_error *e);

#endif
