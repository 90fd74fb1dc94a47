#include "app/totp.h"

#include <liboath/oath.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#define KDF_CONTEXT "iomtotp1"
#define KDF_ID 1

static pthread_once_t oath_once = PTHREAD_ONCE_INIT;
static int oath_init_rc = OATH_OK;

static void oath_setup(void) { oath_init_rc = oath_init(); }

static iom_err ready(iom_error *e)
{
    pthread_once(&oath_once, oath_setup);
    if (oath_init_rc != OATH_OK)
        return iom_fail(e, IOM_EIO, "totp: liboath could not initialise: %s", oath_strerror(oath_init_rc));
    return IOM_OK;
}

iom_err totp_code(const unsigned char *secret, size_t n, int64_t t, unsigned digits, char *out,
                  iom_error *e)
{
    iom_err err = ready(e);
    if (err)
        return err;
    if (!secret || n == 0 || digits < 6 || digits > 8 || t < 0)
        return iom_fail(e, IOM_EINVAL, "totp: no secret, a time before 1970 or not 6-8 digits");
    int rc = oath_totp_generate((const char *)secret, n, (time_t)t, TOTP_STEP,
                                OATH_TOTP_DEFAULT_START_TIME, digits, out);
    if (rc != OATH_OK)
        return iom_fail(e, IOM_EINVAL, "totp: %s", oath_strerror(rc));
    return IOM_OK;
}

iom_err totp_verify(const unsigned char *secret, size_t n, int64_t now, unsigned window,
                    unsigned digits, const char *code, int64_t *step, iom_error *e)
{
    iom_err err = ready(e);
    if (err)
        return err;
    size_t len = code ? strlen(code) : 0;
    bool digits_only = len == digits;
    for (size_t i = 0; digits_only && i < len; i++)
        digits_only = code[i] >= '0' && code[i] <= '9';
    if (!digits_only)
        return iom_fail(e, IOM_EINVAL, "totp: a one-time code is %u digits", digits);
    if (!secret || n == 0 || now < 0)
        return iom_fail(e, IOM_EINVAL, "totp: no secret");
    int pos = 0;
    uint64_t counter = 0;
    int rc = oath_totp_validate3((const char *)secret, n, (time_t)now, TOTP_STEP,
                                 OATH_TOTP_DEFAULT_START_TIME, window, &pos, &counter, code);
    if (rc < 0)
        return iom_fail(e, IOM_EAUTH, "totp: the one-time code is wrong or expired");
    *step = (int64_t)counter;
    return IOM_OK;
}

iom_err totp_base32(const unsigned char *secret, size_t n, char out[TOTP_BASE32_MAX], iom_error *e)
{
    iom_err err = ready(e);
    if (err)
        return err;
    char *b32 = NULL;
    size_t len = 0;
    int rc = oath_base32_encode((const char *)secret, n, &b32, &len);
    if (rc != OATH_OK || !b32)
        return iom_fail(e, IOM_ENOMEM, "totp: base32: %s", oath_strerror(rc));
    /* Authenticator apps take the secret without '=' padding. */
    size_t k = 0;
    for (size_t i = 0; i < len && k < TOTP_BASE32_MAX - 1; i++)
        if (b32[i] != '=')
            out[k++] = b32[i];
    out[k] = '\0';
    sodium_memzero(b32, len);
    free(b32);
    return IOM_OK;
}

static void derive(const unsigned char audit_key[IOM_AUDIT_KEY_BYTES],
                   unsigned char key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES])
{
    crypto_kdf_derive_from_key(key, crypto_aead_xchacha20poly1305_ietf_KEYBYTES, KDF_ID,
                               KDF_CONTEXT, audit_key);
}

#define NONCE crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG crypto_aead_xchacha20poly1305_ietf_ABYTES
#define SEALED (NONCE + TOTP_SECRET_BYTES + TAG)

iom_err totp_seal(const unsigned char audit_key[IOM_AUDIT_KEY_BYTES], int64_t user_id,
                  const unsigned char *secret, size_t n, iom_arena *a, char **out, iom_error *e)
{
    if (n != TOTP_SECRET_BYTES)
        return iom_fail(e, IOM_EINVAL, "totp: a secret is %d bytes", TOTP_SECRET_BYTES);
    if (sodium_init() < 0)
        return iom_fail(e, IOM_EIO, "totp: libsodium could not initialise");
    unsigned char key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES], box[SEALED];
    char ad[24];
    int adn = snprintf(ad, sizeof ad, "%lld", (long long)user_id);
    derive(audit_key, key);
    randombytes_buf(box, NONCE);
    unsigned long long clen = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(box + NONCE, &clen, secret, n,
                                               (const unsigned char *)ad, (unsigned long long)adn,
                                               NULL, box, key);
    sodium_memzero(key, sizeof key);
    char *hex = iom_arena_alloc(a, 2 * SEALED + 1);
    sodium_bin2hex(hex, 2 * SEALED + 1, box, NONCE + (size_t)clen);
    *out = hex;
    return IOM_OK;
}

iom_err totp_open(const unsigned char audit_key[IOM_AUDIT_KEY_BYTES], int64_t user_id,
                  const char *sealed, unsigned char secret[TOTP_SECRET_BYTES], iom_error *e)
{
    if (sodium_init() < 0)
        return iom_fail(e, IOM_EIO, "totp: libsodium could not initialise");
    unsigned char box[SEALED], key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
    size_t bin = 0;
    if (!sealed || strlen(sealed) != 2 * SEALED ||
        sodium_hex2bin(box, sizeof box, sealed, 2 * SEALED, NULL, &bin, NULL) != 0 || bin != SEALED)
        return iom_fail(e, IOM_EINTEGRITY, "totp: the stored secret is malformed");
    char ad[24];
    int adn = snprintf(ad, sizeof ad, "%lld", (long long)user_id);
    derive(audit_key, key);
    unsigned long long mlen = 0;
    int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(secret, &mlen, NULL, box + NONCE,
                                                        SEALED - NONCE, (const unsigned char *)ad,
                                                        (unsigned long long)adn, box, key);
    sodium_memzero(key, sizeof key);
    if (rc != 0 || mlen != TOTP_SECRET_BYTES)
        return iom_fail(e, IOM_EINTEGRITY,
                        "totp: the stored secret does not open with this audit key (enrol again)");
    return IOM_OK;
}
