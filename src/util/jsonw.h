/*
 * jsonw.h: appends compact JSON text straight to an iom_buf, for hot paths (the HTTP list of
 * taskings) where building a jansson tree and dumping it costs more than the query.
 *
 * The text is byte for byte what jansson's json_dumps(..., JSON_COMPACT) prints for the same
 * values: strings escape '"', '\\' and control characters (\b \f \n \r \t, else \u00XX in
 * upper-case hex), everything else is copied as UTF-8 (no \/ and no \u for non-ASCII);
 * integers in decimal; members separated by "," and ":" without spaces.
 *
 * The caller writes the punctuation of objects and arrays itself ('{', ',', '}') with
 * iom_buf_putc; jsonw_key writes "key": . No allocation beyond the buffer's growth.
 */
#ifndef IOM_UTIL_JSONW_H
#define IOM_UTIL_JSONW_H

#include <stdbool.h>
#include <stdint.h>

#include "util/buf.h"

/* True when s is valid UTF-8 (no overlong forms, surrogates or code points past U+10FFFF),
   as jansson requires of every string value. */
bool jsonw_utf8_ok(const char *s);
/* The same of s whose length (strlen) is len, s[len] being its NUL. */
bool jsonw_utf8_okn(const char *s, size_t len);

/* "s" with JSON escapes. s must be valid UTF-8 (check with jsonw_utf8_ok). */
void jsonw_str(iom_buf *b, const char *s);
/* The same of s whose length (strlen) is len, s[len] being its NUL. */
void jsonw_strn(iom_buf *b, const char *s, size_t len);

/* "key": */
void jsonw_key(iom_buf *b, const char *key);

/* Decimal integer. */
void jsonw_int(iom_buf *b, int64_t v);

/* true / false */
void jsonw_bool(iom_buf *b, bool v);

/* A real as jansson prints it (json_real, then json_dumps); false, nothing written, when v is
   not finite (jansson has no such value). */
bool jsonw_real(iom_buf *b, double v);

/* A whole jansson value (a json_t *, its members in their order), byte for byte what
   json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY) prints, without its
   per-container loop check (a "%p" printed and hashed for every object and array: a quarter of
   a content read's CPU in `iom serve`). The value must hold no cycle (a tree built for one
   answer). Reals and strings holding NUL are printed by jansson itself. */
void jsonw_json(iom_buf *b, const void *j);

/* The JSON text `text` (n bytes, not necessarily NUL-terminated) written compactly: byte for
   byte what jsonw_json prints of json_loadb(text, n, 0, ...), without building the tree. For
   documents iom stored as JSON text (a bid, a ToR's content) and now embeds in an answer.
   Returns true when it wrote it; false, with b left as it was, when jansson would refuse the
   text (not an object or array at the top, invalid UTF-8, a control character in a string, a
   bad escape, \u0000, a lone surrogate, an integer outside int64, a real that overflows,
   nesting deeper than 2048, anything after the value) and also when an object has a key twice
   or more than 64 members: there jansson's tree is what counts, so the caller falls back to
   json_loads and jsonw_json. Reals are printed by jansson. Allocates only scratch space. */
bool jsonw_canon(iom_buf *b, const char *text, size_t n);

#endif
