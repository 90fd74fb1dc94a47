/*
 * text.h: validation of text fields arriving from users (CLI arguments, JSON, CSV).
 * Pure functions; no allocation but iom_text_nfc's result.
 */
#ifndef IOM_UTIL_TEXT_H
#define IOM_UTIL_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* Returns true when s[0..n) is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF). */
bool iom_utf8_valid(const char *s, size_t n);

/* The same, and no NUL byte in s[0..n) (a text field read from a file). */
bool iom_utf8_valid_nonul(const char *s, size_t n);

/* Makes NUL-terminated s valid UTF-8 in place: each byte that does not begin a well-formed
   sequence (a character cut by a "%.64s", bytes of another encoding) becomes '?'. Returns how
   many were replaced. */
size_t iom_utf8_repair(char *s);

/* The code point at s[*i] of valid UTF-8 s[0..n) (checked with iom_utf8_valid first), *i
   moved past it (never past n). */
uint32_t iom_utf8_next(const char *s, size_t n, size_t *i);

enum {
    IOM_TEXT_REQUIRED = 1 << 0,  /* NULL or "" is refused */
    IOM_TEXT_SINGLE_LINE = 1 << 1, /* any control character (incl. TAB, CR, LF) is refused */
    IOM_TEXT_MULTI_LINE = 1 << 2,  /* control characters other than TAB, LF, CR are refused */
};

/* The first character of valid UTF-8 s[0..n) that text fields never take whatever the flags:
   a C1 control (U+0080..U+009F) or a bidirectional embedding, override or isolate (U+202A..
   U+202E, U+2066..U+2069: they make text display in another order than it is stored, the
   "Trojan Source" spoofing). Right-to-left text needs none of them (its letters carry their
   direction); the marks U+200E, U+200F and U+061C stay allowed. Returns the code point and its
   byte offset in *at, or 0 when there is none. */
unsigned iom_text_hidden_control(const char *s, size_t n, size_t *at);

/* The first character of valid UTF-8 s[0..n) that shows nothing where it stands and that text
   never needs there (the rule iom_text_check applies to every field: default-ignorable code
   points and noncharacters, and those a script needs where they only hide, next to Latin
   letters); its code point and byte offset in *at, or 0 when there is none. Line and paragraph
   separators are allowed (as in a multi-line field). */
unsigned iom_text_invisible(const char *s, size_t n, size_t *at);

/*
 * Checks a text field: UTF-8, no NUL inside, at most max_bytes bytes, control characters
 * per flags, none of iom_text_hidden_control's, no zero-width space, word joiner or byte-order
 * mark (and with IOM_TEXT_SINGLE_LINE no line or paragraph separator, and no space, Unicode
 * space or invisible mark first or last), and not only spaces and invisible characters (a
 * value given, required or not, says something). On failure returns IOM_EINVAL (for a length
 * over max_bytes too: a rule of the field) with a message naming `field` and the rule. NULL is
 * accepted unless IOM_TEXT_REQUIRED.
 */
iom_err iom_text_check(const char *field, const char *s, size_t max_bytes, int flags,
                       iom_error *e);

/* Review 102 L7: a length limit is measured on the text as stored, in NFC, which may be longer
   (U+0958 becomes two code points) or shorter than what was sent. When e holds
   iom_text_check's "FIELD: N bytes is longer than the limit of M bytes" and N is one of
   composed[0..n) (the lengths of the values NFC changed), the message is made
   "FIELD: N bytes once composed (NFC) is longer than the limit of M bytes"; else e is left
   as it is. */
void iom_text_length_composed(iom_error *e, const size_t *composed, size_t n);

/* s (NUL-terminated) in Unicode Normalization Form C (canonical composition: "a" + U+0301
   COMBINING ACUTE becomes "á", as most keyboards type it), so that text typed two ways is
   stored, compared and searched as one. NULL when s needs no change (ASCII text never does),
   is NULL, or is not valid UTF-8 (left for iom_text_check to refuse with its rule); otherwise
   a new string, which the caller frees with free(). */
char *iom_text_nfc(const char *s);

/* Whether texts a and b are the same text, typed either way: equal bytes, or equal once both
   are in NFC ("Prénom" with a composed é and with e + U+0301). NULL equals only NULL. */
bool iom_text_same(const char *a, const char *b);

/* The key two names are compared by when they must not clash (agency names: app/agency.h):
   s in NFKC (compatibility forms as their letters: full-width "Ｋｅｎｔ" is "Kent"), case folded
   (Unicode full case folding: "STRASSE" and "straße" are one), without accents ("Kënt" is
   "kent"), with the Cyrillic and Greek letters written like Latin ones as those letters (a
   skeleton in the manner of UTS #39's confusables, for the letters a UK name is spoofed with:
   "Kеnt Police" with a Cyrillic е is "kent police") and with every run of white space or
   punctuation one space, so that "Kent Police", "kent  police", "KENT POLICE" and "Kent
   Police." have one key, and "St. Helens" and "St Helens". A key is for comparing, never
   shown. A new string the caller frees with free(); NULL for NULL, invalid UTF-8 or no
   memory. */
char *iom_text_name_key(const char *s);

/* s with every run of white space (ASCII space and tab, and Unicode spaces: no-break, narrow,
   ideographic...) as one ASCII space and none at either end, its other characters as they are:
   a name as stored ("Kent  Police" is "Kent Police"). A new string the caller frees with free();
   NULL for NULL, invalid UTF-8 or no memory. */
char *iom_text_one_spaced(const char *s);

/* Whether s[0..n) holds printable ASCII (U+0020 to U+007E) and tabs only: text in which no
   check for NUL bytes, control characters or invalid UTF-8 can find anything. 16 bytes a step
   (most values and lines of an extract are so, and the check runs on every one read). */
bool iom_text_plain_ascii(const char *s, size_t n);

/* A short, printable rendering of a hostile value for an error message: bytes that are not
   printable ASCII as \xHH, cut after about 40 bytes with "..."; out holds cap bytes. */
void iom_text_shown(const char *s, char *out, size_t cap);

/* Checks a lower-case slug: [a-z0-9] and single '-' between them, 2..max_bytes long. */
iom_err iom_slug_check(const char *field, const char *s, size_t max_bytes, iom_error *e);

/* Checks a calendar date YYYY-MM-DD (proleptic Gregorian, years 1900..2999). */
iom_err iom_date_check(const char *field, const char *s, iom_error *e);

/* Reads a list cursor or count written as the API writes it: decimal digits only (no sign,
   space or leading zero, "0" itself allowed), at most max. Returns false (and leaves *out) for
   anything else. */
bool iom_parse_cursor(const char *s, int64_t max, int64_t *out);

/* Whether s is a plain decimal as people write it: digits with at most one '.', at least one
   digit, at most 32 bytes ("0.5", ".25", "8"); no sign, space, exponent, hex or "inf", which
   strtod would take. */
bool iom_plain_decimal(const char *s);

#endif
