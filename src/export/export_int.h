/*
 * export_int.h: what the writers of src/export share (not part of the module's API).
 */
#ifndef IOM_EXPORT_EXPORT_INT_H
#define IOM_EXPORT_EXPORT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conflate/strtab.h"
#include "export/export.h"
#include "util/buf.h"

/* Decodes one UTF-8 character at s (s[0] != 0). Returns the bytes it takes (1..4) and sets
   *cp; an invalid sequence (bad lead or continuation byte, overlong form, surrogate, past
   U+10FFFF, cut short) takes 1 byte and gives U+FFFD. */
size_t ex_utf8_next(const unsigned char *s, uint32_t *cp);

/* Appends the UTF-8 encoding of cp. */
void ex_put_cp(iom_buf *b, uint32_t cp);

/* Appends s (NULL is "") as valid UTF-8: invalid sequences become U+FFFD. */
void ex_clean(iom_buf *b, const char *s);

/* Appends s (NULL is "") escaped for XML 1.0: & < > " ' as entities; characters XML 1.0
   forbids and invalid UTF-8 as U+FFFD; in an attribute (attr) TAB, LF and CR as &#9; &#10;
   &#13; so attribute normalisation keeps them; in text CR as &#13;. */
void ex_xml(iom_buf *b, const char *s, bool attr);

/* Appends s (NULL is "") as a JSON string (valid UTF-8 ensured first). */
void ex_json_str(iom_buf *b, const char *s);

/* Appends v with the fewest digits that read back as the same double ("0.9", "1"). */
void ex_double(iom_buf *b, double v);

/* Appends the sources as a JSON array text [{"type":"dataset_row","ref":"..."}, ...] and the
   attributes as a JSON object text {"key":"value", ...}; CSV and GraphML carry these in one
   cell/value each. */
void ex_json_sources(iom_buf *b, const export_facts *f);
void ex_json_attrs(iom_buf *b, const export_facts *f);

/* Whether s is a decimal number as export_attr.number requires (JSON's number grammar
   without an exponent). */
bool ex_number_text(const char *s);

/* "2026-12-02T11:04:25Z" of chart->generated_at. */
void ex_generated(const export_chart *c, char out[32]);

/* The names of attribute keys as the writer shows them. Keys are interned over the entities
   and/or the links; names[i] is key i+1's display name: the key itself, or "attribute: KEY"
   when it equals one of the writer's own field names (reserved, NULL-terminated), so a
   hostile key cannot shadow a built-in field. */
typedef struct ex_keys {
    conflate_strtab tab;     /* key -> id 1..n */
    char **names;            /* names[id - 1], malloc'd */
    bool *number;            /* number[id - 1]: every value of the key is a number */
    uint32_t n;
} ex_keys;
void ex_keys_build(ex_keys *k, const export_chart *c, bool entities, bool links,
                   const char *const *reserved);
uint32_t ex_keys_id(ex_keys *k, const char *key);
void ex_keys_free(ex_keys *k);

/* Grade indices into the ANX grade collections: 0..2, 0..4, 0..1. */
int ex_grade_one(const iom_grade *g);
int ex_grade_two(const iom_grade *g);
int ex_grade_three(const iom_grade *g);

#endif
