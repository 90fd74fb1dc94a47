/*
 * text.h: validation of text fields arriving from users (CLI arguments, JSON, CSV).
 * Pure functions; no allocation.
 */
#ifndef IOM_UTIL_TEXT_H
#define IOM_UTIL_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

/* Returns true when s[0..n) is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF). */
bool iom_utf8_valid(const char *s, size_t n);

/* The same, and no NUL byte in s[0..n) (a text field read from a file). */
bool iom_utf8_valid_nonul(const char *s, size_t n);

enum {
    IOM_TEXT_REQUIRED = 1 << 0,  /* NULL or "" is refused */
    IOM_TEXT_SINGLE_LINE = 1 << 1, /* any control character (incl. TAB, CR, LF) is refused */
    IOM_TEXT_MULTI_LINE = 1 << 2,  /* control characters other than TAB, LF, CR are refused */
};

/*
 * Checks a text field: UTF-8, no NUL inside, at most max_bytes bytes, control characters
 * per flags. On failure returns IOM_EINVAL (or IOM_ETOOBIG for length) with a message naming
 * `field` and the rule. NULL is accepted unless IOM_TEXT_REQUIRED.
 */
iom_err iom_text_check(const char *field, const char *s, size_t max_bytes, int flags,
                       iom_error *e);

/* Checks a lower-case slug: [a-z0-9] and single '-' between them, 2..max_bytes long. */
iom_err iom_slug_check(const char *field, const char *s, size_t max_bytes, iom_error *e);

/* Checks a calendar date YYYY-MM-DD (proleptic Gregorian, years 1900..2999). */
iom_err iom_date_check(const char *field, const char *s, iom_error *e);

/* Whether s is a plain decimal as people write it: digits with at most one '.', at least one
   digit, at most 32 bytes ("0.5", ".25", "8"); no sign, space, exponent, hex or "inf", which
   strtod would take. */
bool iom_plain_decimal(const char *s);

#endif
