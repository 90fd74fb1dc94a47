/*
 * test_cli_support.h: the CLI side of the tests that drive one database through the built
 * binary and the API (test_http_support.h): W is the test's world (set by its setup);
 * cli_ok runs `iom --db DB [--as USER] ARGS...` and asserts success; cli_refused asserts a
 * refusal's exit status, its message, and that nothing stored changed (t_db_fingerprint).
 */
#ifndef IOM_TEST_CLI_SUPPORT_H
#define IOM_TEST_CLI_SUPPORT_H

#include <stdarg.h>

#include "test_http_support.h"

enum { EX_INVAL = 3, EX_NOTFOUND = 4, EX_FORBIDDEN = 5, EX_CONFLICT = 6 };

static hworld *W;

static t_result cliv(const char *user, va_list ap)
{
    const char *argv[64];
    int n = 0;
    argv[n++] = "--db";
    argv[n++] = W->db;
    if (user) {
        argv[n++] = "--as";
        argv[n++] = user;
    }
    const char *a;
    while ((a = va_arg(ap, const char *)) && n < 63)
        argv[n++] = a;
    argv[n] = NULL;
    return t_run(NULL, argv);
}

/* Runs `iom --db DB --as USER ... --json`-less command; asserts success; stdout malloc'd. */
__attribute__((unused)) static char *cli_ok(const char *user, ...)
{
    va_list ap;
    va_start(ap, user);
    t_result r = cliv(user, ap);
    va_end(ap);
    if (r.status != 0)
        fprintf(stderr, "cli failed (%d): %s%s\n", r.status, r.out, r.err);
    assert_int_equal(r.status, 0);
    free(r.err);
    return r.out;
}

/* Asserts a refusal: status, stderr naming `needle`, nothing stored changed. */
__attribute__((unused)) static void cli_refused(int status, const char *needle, const char *user, ...)
{
    char *before = t_db_fingerprint(W->db);
    va_list ap;
    va_start(ap, user);
    t_result r = cliv(user, ap);
    va_end(ap);
    char *after = t_db_fingerprint(W->db);
    if (r.status != status || !strstr(r.err, needle))
        fprintf(stderr, "wanted %d naming '%s'; got %d: %s%s\n", status, needle, r.status, r.out,
                r.err);
    assert_int_equal(r.status, status);
    assert_non_null(strstr(r.err, needle));
    assert_string_equal(before, after);
    free(before);
    free(after);
    t_result_free(&r);
}

#endif
