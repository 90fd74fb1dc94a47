/*
 * words.h: fixed vocabularies (states, roles, types...) as arrays of exact words, mapped to
 * and from their index. Pure; the word arrays are the caller's static storage.
 */
#ifndef IOM_UTIL_WORDS_H
#define IOM_UTIL_WORDS_H

#include "util/err.h"

/* OUT *out: the index of s in words[0..n). IOM_EINVAL otherwise, with the message
   "FIELD: 'S' is not one of: w0, w1, ..." (S shortened to 64 bytes); *out untouched. */
iom_err iom_word_parse(const char *field, const char *s, const char *const *words, int n,
                       int *out, iom_error *e);

/* words[v], or "?" when v is out of range. */
const char *iom_word_name(const char *const *words, int n, int v);

#endif
