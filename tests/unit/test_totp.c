/*
 * TOTP (RFC 6238) over liboath, and the sealing of secrets at rest (app/totp.h): the RFC's
 * SHA-1 test vectors (8 digits), the ±1 step window, malformed codes, base32, and sealed
 * secrets that open only with the same audit key for the same user.
 */
#include "testutil.h"

#include <sodium.h>
#include <string.h>

#include "app/totp.h"

static const unsigned char rfc_secret[] = "12345678901234567890"; /* RFC 6238 appendix B, SHA-1 */

static void test_rfc6238_vectors(void **state)
{
    (void)state;
    static const struct {
        int64_t t;
        const char *code;
    } v[] = {{59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
             {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000LL, "65353130"}};
    iom_error e = {0};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char code[10];
        assert_int_equal(totp_code(rfc_secret, 20, v[i].t, 8, code, &e), IOM_OK);
        assert_string_equal(code, v[i].code);
        /* and the same code verifies at that time, giving its step */
        int64_t step = 0;
        assert_int_equal(totp_verify(rfc_secret, 20, v[i].t, 1, 8, v[i].code, &step, &e), IOM_OK);
        assert_int_equal(step, v[i].t / 30);
    }
}

static void test_window(void **state)
{
    (void)state;
    iom_error e = {0};
    const int64_t t = 1780304400; /* a step boundary: 2026-06-01T09:00:00Z */
    char code[10];
    assert_int_equal(totp_code(rfc_secret, 20, t, 6, code, &e), IOM_OK);
    assert_int_equal(strlen(code), 6);
    int64_t step = 0;
    /* one step either side is accepted ... */
    assert_int_equal(totp_verify(rfc_secret, 20, t - 30, 1, 6, code, &step, &e), IOM_OK);
    assert_int_equal(step, t / 30);
    assert_int_equal(totp_verify(rfc_secret, 20, t + 59, 1, 6, code, &step, &e), IOM_OK);
    assert_int_equal(step, t / 30);
    /* ... two are not */
    assert_int_equal(totp_verify(rfc_secret, 20, t + 60, 1, 6, code, &step, &e), IOM_EAUTH);
    assert_non_null(strstr(e.msg, "totp"));
    assert_int_equal(totp_verify(rfc_secret, 20, t - 31, 1, 6, code, &step, &e), IOM_EAUTH);
    /* malformed codes are refused before any comparison */
    assert_int_equal(totp_verify(rfc_secret, 20, t, 1, 6, "12345", &step, &e), IOM_EINVAL);
    assert_int_equal(totp_verify(rfc_secret, 20, t, 1, 6, "12345a", &step, &e), IOM_EINVAL);
    assert_int_equal(totp_verify(rfc_secret, 20, t, 1, 6, "1234567", &step, &e), IOM_EINVAL);
    assert_int_equal(totp_verify(rfc_secret, 20, t, 1, 6, NULL, &step, &e), IOM_EINVAL);
    assert_int_equal(totp_code(rfc_secret, 20, t, 5, code, &e), IOM_EINVAL);
}

static void test_base32(void **state)
{
    (void)state;
    iom_error e = {0};
    char b32[TOTP_BASE32_MAX];
    assert_int_equal(totp_base32(rfc_secret, 20, b32, &e), IOM_OK);
    assert_string_equal(b32, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

static void test_seal(void **state)
{
    (void)state;
    iom_error e = {0};
    iom_arena a;
    iom_arena_init(&a);
    unsigned char key[IOM_AUDIT_KEY_BYTES], other[IOM_AUDIT_KEY_BYTES];
    assert_true(sodium_init() >= 0);
    randombytes_buf(key, sizeof key);
    randombytes_buf(other, sizeof other);
    char *sealed = NULL, *again = NULL;
    assert_int_equal(totp_seal(key, 7, rfc_secret, 20, &a, &sealed, &e), IOM_OK);
    assert_int_equal(totp_seal(key, 7, rfc_secret, 20, &a, &again, &e), IOM_OK);
    assert_string_not_equal(sealed, again); /* a fresh nonce each time */
    /* the clear secret is not in the sealed text, in hex or in base32 */
    char hex[41];
    sodium_bin2hex(hex, sizeof hex, rfc_secret, 20);
    assert_null(strstr(sealed, hex));
    assert_null(strstr(sealed, "GEZDGNBVGY3TQOJQ"));
    unsigned char out[TOTP_SECRET_BYTES];
    assert_int_equal(totp_open(key, 7, sealed, out, &e), IOM_OK);
    assert_memory_equal(out, rfc_secret, 20);
    /* another user's row, another key, or an altered text: it does not open */
    assert_int_equal(totp_open(key, 8, sealed, out, &e), IOM_EINTEGRITY);
    assert_int_equal(totp_open(other, 7, sealed, out, &e), IOM_EINTEGRITY);
    sealed[10] = sealed[10] == 'a' ? 'b' : 'a';
    assert_int_equal(totp_open(key, 7, sealed, out, &e), IOM_EINTEGRITY);
    assert_int_equal(totp_open(key, 7, "abc", out, &e), IOM_EINTEGRITY);
    assert_int_equal(totp_seal(key, 7, rfc_secret, 19, &a, &again, &e), IOM_EINVAL);
    iom_arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc6238_vectors),
        cmocka_unit_test(test_window),
        cmocka_unit_test(test_base32),
        cmocka_unit_test(test_seal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
