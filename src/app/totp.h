/*
 * totp.h: time-based one-time passwords (RFC 6238, HMAC-SHA-1, 30 s steps from the Unix
 * epoch) over liboath, and the sealing of TOTP secrets at rest.
 *
 * Secrets are 20 random bytes (libsodium randombytes), shown to the user once as base32 and
 * as an otpauth:// URI. At rest a secret is sealed with XChaCha20-Poly1305 under a key
 * derived (crypto_kdf, context "iomtotp1") from the audit key, which lives outside the
 * database: a dump of the database alone does not reveal any secret. The user's internal
 * id is the associated data, so a sealed secret copied to another user's row does not open.
 * Consequence: replacing the audit key makes every enrolment unusable (users enrol again).
 *
 * No allocation except where an arena is passed; errors name the field and the rule.
 */
#ifndef IOM_APP_TOTP_H
#define IOM_APP_TOTP_H

#include <stddef.h>
#include <stdint.h>

#include "app/app.h"

#define TOTP_SECRET_BYTES 20   /* 160 bits, as RFC 4226 recommends */
#define TOTP_STEP 30           /* seconds */
#define TOTP_DIGITS 6          /* codes users type */
#define TOTP_WINDOW 1          /* steps accepted either side of now */
#define TOTP_BASE32_MAX 64     /* base32 text of a secret, with NUL */

/* The code for time t (digits 6..8) into out (digits + 1 bytes). IOM_EINVAL on a bad
   argument. */
iom_err totp_code(const unsigned char *secret, size_t n, int64_t t, unsigned digits, char *out,
                  iom_error *e);

/* Checks `code` (exactly `digits` decimal digits) against the steps now-window..now+window.
   OUT *step: the time step (t / 30) the code belongs to. IOM_EAUTH naming "totp" when it
   matches none; IOM_EINVAL when it is not `digits` digits. Replay is the caller's rule. */
iom_err totp_verify(const unsigned char *secret, size_t n, int64_t now, unsigned window,
                    unsigned digits, const char *code, int64_t *step, iom_error *e);

/* RFC 4648 base32 (no padding) of the secret into out[TOTP_BASE32_MAX]. */
iom_err totp_base32(const unsigned char *secret, size_t n, char out[TOTP_BASE32_MAX], iom_error *e);

/* Seals a secret for user_id under the audit key. OUT *out: hex text in the arena. */
iom_err totp_seal(const unsigned char audit_key[IOM_AUDIT_KEY_BYTES], int64_t user_id,
                  const unsigned char *secret, size_t n, iom_arena *a, char **out, iom_error *e);

/* Opens a sealed secret into secret[TOTP_SECRET_BYTES]. IOM_EINTEGRITY when it does not
   open (other key, other user, altered). */
iom_err totp_open(const unsigned char audit_key[IOM_AUDIT_KEY_BYTES], int64_t user_id,
                  const char *sealed, unsigned char secret[TOTP_SECRET_BYTES], iom_error *e);

#endif
