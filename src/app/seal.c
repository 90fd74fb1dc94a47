/* Per-item encryption of intelligence content (seal.h). */
#include "app/seal.h"

#include <string.h>

#include <sodium.h>

#define KDF_ID 2
#define KDF_CONTEXT "iomitems"
#define NONCE crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG crypto_aead_xchacha20poly1305_ietf_ABYTES
#define B64 sodium_base64_VARIANT_URLSAFE_NO_PADDING

void seal_key_new(unsigned char key[SEAL_KEY_BYTES])
{
    crypto_aead_xchacha20poly1305_ietf_keygen(key);
}

void seal_kek(const unsigned char audit_key[32], unsigned char kek[SEAL_KEY_BYTES])
{
    crypto_kdf_derive_from_key(kek, SEAL_KEY_BYTES, KDF_ID, KDF_CONTEXT, audit_key);
}

void seal_wrap(const unsigned char kek[SEAL_KEY_BYTES], const char *ref,
               const unsigned char key[SEAL_KEY_BYTES], unsigned char out[SEAL_WRAPPED_BYTES])
{
    randombytes_buf(out, NONCE);
    crypto_aead_xchacha20poly1305_ietf_encrypt(out + NONCE, NULL, key, SEAL_KEY_BYTES,
                                               (const unsigned char *)ref, strlen(ref), NULL,
                                               out, kek);
}

iom_err seal_unwrap(const unsigned char kek[SEAL_KEY_BYTES], const char *ref,
                    const unsigned char *wrapped, size_t len, unsigned char key[SEAL_KEY_BYTES],
                    iom_error *e)
{
    if (!wrapped || len != SEAL_WRAPPED_BYTES ||
        crypto_aead_xchacha20poly1305_ietf_decrypt(key, NULL, NULL, wrapped + NONCE,
                                                   SEAL_WRAPPED_BYTES - NONCE,
                                                   (const unsigned char *)ref, strlen(ref),
                                                   wrapped, kek) != 0)
        return iom_fail(e, IOM_EINTEGRITY,
                        "intelligence item %s: its key does not open under this database's audit "
                        "key (wrong key file, or the stored key was altered)",
                        ref);
    return IOM_OK;
}

bool seal_is_sealed(const char *s)
{
    return s && strncmp(s, SEAL_PREFIX, sizeof SEAL_PREFIX - 1) == 0;
}

char *seal_text(iom_arena *a, const unsigned char key[SEAL_KEY_BYTES], const char *field,
                const char *plain)
{
    if (!plain)
        return NULL;
    size_t n = strlen(plain), blen = NONCE + n + TAG;
    unsigned char *buf = iom_arena_alloc(a, blen);
    randombytes_buf(buf, NONCE);
    crypto_aead_xchacha20poly1305_ietf_encrypt(buf + NONCE, NULL, (const unsigned char *)plain, n,
                                               (const unsigned char *)field, strlen(field), NULL,
                                               buf, key);
    size_t plen = sizeof SEAL_PREFIX - 1;
    size_t olen = plen + sodium_base64_ENCODED_LEN(blen, B64);
    char *out = iom_arena_alloc(a, olen);
    memcpy(out, SEAL_PREFIX, plen);
    sodium_bin2base64(out + plen, olen - plen, buf, blen, B64);
    sodium_memzero(buf, blen);
    return out;
}

iom_err seal_open(iom_arena *a, const unsigned char key[SEAL_KEY_BYTES], const char *field,
                  const char *sealed, char **plain, iom_error *e)
{
    *plain = NULL;
    if (!sealed)
        return IOM_OK;
    if (!seal_is_sealed(sealed))
        return iom_fail(e, IOM_EINVAL, "%s: not sealed text", field);
    const char *b64 = sealed + sizeof SEAL_PREFIX - 1;
    size_t b64len = strlen(b64), cap = b64len / 4 * 3 + 3, blen = 0;
    unsigned char *buf = iom_arena_alloc(a, cap + 1);
    if (sodium_base642bin(buf, cap, b64, b64len, NULL, &blen, NULL, B64) != 0 || blen < NONCE + TAG)
        return iom_fail(e, IOM_EINTEGRITY, "%s: sealed text is malformed", field);
    size_t n = blen - NONCE - TAG;
    char *out = iom_arena_alloc(a, n + 1);
    if (crypto_aead_xchacha20poly1305_ietf_decrypt((unsigned char *)out, NULL, NULL, buf + NONCE,
                                                   blen - NONCE, (const unsigned char *)field,
                                                   strlen(field), buf, key) != 0)
        return iom_fail(e, IOM_EINTEGRITY, "%s: sealed text does not open (altered, or another "
                        "item's)", field);
    out[n] = 0;
    *plain = out;
    return IOM_OK;
}
