/*
 * json.h: the JSON form of every object (docs/api.md describes each once). The CLI's --json,
 * the HTTP API and the audit trail's before/after content all use these, so they agree.
 *
 * Functions returning json_t* return a new reference: the caller owns it (json_decref).
 */
#ifndef IOM_APP_JSON_H
#define IOM_APP_JSON_H

#include <jansson.h>
#include <stddef.h>

#include "store/store.h"
#include "util/arena.h"

json_t *json_of_agency(const iom_agency_t *a);
json_t *json_of_region(const iom_region_t *r);
json_t *json_of_user(const iom_user_t *u);     /* never includes the password hash */
json_t *json_of_threat(const iom_threat_t *t);
json_t *json_of_audit(const iom_audit_t *a);   /* before/after parsed back into objects */

/* {"items": [...], "next": next_cursor|null}; steals the references in items. */
json_t *json_list(json_t *items, const char *next_cursor);

/* The reason a JSON text did not parse, in the user's words: jansson's text (je->text) with
   its library names turned into what they mean ("a NUL character (\u0000) is not allowed"
   for "... without JSON_ALLOW_NUL"; review 49). Static storage or je->text. */
const char *json_error_reason(const json_error_t *je);

/* Compact text of j (keys in insertion order), copied into the arena; j is not consumed. */
char *json_text(iom_arena *a, const json_t *j);

/* Canonical text of j: compact, keys sorted, so equal content gives equal text. Arena. */
char *json_text_sorted(iom_arena *a, const json_t *j);

/* A UTC time as JSON string "2026-11-25T19:30:00Z". */
json_t *json_time(int64_t t);

/* A string or null. */
json_t *json_str_or_null(const char *s);

#endif
