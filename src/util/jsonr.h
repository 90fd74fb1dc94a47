/*
 * jsonr.h: reads the string members of a JSON object without building a tree, for hot paths
 * that read many small objects of the same keys (a dataset record's fields, read for every
 * record of a tasking on each import). jansson's json_loads builds a hash table and a node per
 * value for each object; this reads the text once and copies the wanted strings only.
 *
 * The text must be exactly one JSON object (RFC 8259), whitespace around it allowed. Every
 * member is checked, wanted or not: strings (escapes, \u with surrogate pairs, no raw control
 * character, valid UTF-8, no \u0000), numbers, true/false/null, and arrays and objects nested
 * to depth IOM_JSONR_DEPTH. A member given twice: the last one wins, as with jansson. It accepts
 * what jansson's json_loads accepts, with two differences: a number is checked for its form
 * only (jansson also refuses an integer or a real it cannot hold, 1e400), and nesting stops at
 * IOM_JSONR_DEPTH (jansson's is 2048). The strings it gives are jansson's (fuzz_jsonr).
 */
#ifndef IOM_UTIL_JSONR_H
#define IOM_UTIL_JSONR_H

#include <stddef.h>

#include "util/arena.h"
#include "util/err.h"

#define IOM_JSONR_DEPTH 64

/* For each keys[i] (i < nkeys), out[i] gets the value of the object's member of that name when
   it is a string (unescaped, NUL-terminated, owned by a), else NULL (absent, null, or another
   type). Returns IOM_OK, or IOM_EINVAL with e naming the byte offset and what is wrong (out is
   then undefined). */
iom_err iom_jsonr_strings(iom_arena *a, const char *text, const char *const *keys, size_t nkeys,
                          const char **out, iom_error *e);

#endif
