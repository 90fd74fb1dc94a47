/*
 * comms.h: communications data (call data records), the engine behind `iom comms ...`
 * (issue 17): contact links weighted by count and duration, a phone's top contacts, the
 * common contacts of two phones, activity by hour of day and day of week.
 *
 * A pure library: no printing, no store, no clock. app/ resolves phone numbers and cell
 * sites to numbers itself and hands over comms_record arrays (comms_parse_row validates the
 * text fields of one row). Records outside the settings' period are ignored by the analyses
 * (but validated). People see UK local time: activity is counted in Europe/London time
 * (GMT/BST) unless the settings ask for UTC.
 *
 * Ownership: results live in the caller's iom_arena; inputs are only read. Thread-safe.
 *
 * Errors (util/err.h): IOM_EINVAL for a record or row that is not valid, naming it and the
 * field (a start time malformed or out of range, a duration that is not a number of seconds
 * or H:MM:SS, or longer than a day, a kind that is not call or sms, a phone out of range or
 * the same on both ends), a phone argument out of range, or a bad setting; IOM_ETOOBIG for
 * more than 2^32 - 2 records; IOM_ENOMEM when the working arrays cannot be allocated (arena
 * allocations abort, util/arena.h).
 */
#ifndef IOM_GRAPH_COMMS_H
#define IOM_GRAPH_COMMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "graph/graph.h"
#include "util/arena.h"
#include "util/err.h"

#define COMMS_TIME_NONE INT64_MIN
#define COMMS_MAX_DURATION 86400u  /* seconds: a record longer than a day is refused */

typedef enum comms_kind { COMMS_CALL = 0, COMMS_SMS = 1 } comms_kind;

typedef struct comms_record {
    uint32_t caller, callee; /* phones: the caller's numbers, 0..n_phones-1 */
    int64_t start;           /* UTC seconds */
    uint32_t duration;       /* seconds (calls; SMS durations are not summed) */
    comms_kind kind;
    uint32_t cell;           /* the caller's cell site, the caller's code; 0 none */
} comms_record;

typedef struct comms_settings {
    int64_t from, to;             /* analysed period, inclusive; COMMS_TIME_NONE open */
    int64_t valid_from, valid_to; /* accepted start times [valid_from, valid_to): 1970 to
                                     2100 (app/ may narrow valid_to to tomorrow) */
    bool utc;                     /* activity by UTC hours instead of UK local time */
} comms_settings;

void comms_settings_default(comms_settings *s);

/* One row as text; phones and the cell already resolved by the caller. */
typedef struct comms_row_text {
    uint32_t caller, callee;
    const char *start;       /* "YYYY-MM-DDTHH:MM:SSZ" */
    const char *duration;    /* seconds "75", or "M:SS" / "H:MM:SS"; empty for SMS */
    const char *kind;        /* "call" / "voice" or "sms" / "text", any case */
    uint32_t cell;
} comms_row_text;

/* `row` is the caller's row number, named in messages ("row 3: duration: ..."). s may be
 * NULL (defaults). */
iom_err comms_parse_row(const comms_row_text *r, size_t row, const comms_settings *s,
                        comms_record *out, iom_error *e);

/* Validates an array (every analysis does this first): "record 3: callee: ...". */
iom_err comms_check(const comms_record *r, size_t n, size_t n_phones, const comms_settings *s,
                    iom_error *e);

/* ---- contact links ---- */

typedef struct comms_contact {
    uint32_t a, b;                  /* a < b */
    uint32_t calls_ab, calls_ba;    /* calls from a to b, from b to a */
    uint32_t sms_ab, sms_ba;
    uint32_t count;                 /* all records between them */
    uint64_t duration;              /* seconds of calls, both ways */
    int64_t first, last;            /* start times */
} comms_contact;

typedef struct comms_contacts {
    size_t count;
    comms_contact *items;           /* by count (most first), duration, then a, b */
} comms_contacts;

iom_err comms_contacts_get(const comms_record *r, size_t n, size_t n_phones,
                           const comms_settings *s, iom_arena *a, comms_contacts *out,
                           iom_error *e);

/* The contacts as undirected links for graph_build: from a, to b, weight = count, the given
 * type, period first..last, ungraded. OUT: *out (arena), c->count links. */
void comms_contacts_links(const comms_contacts *c, uint32_t type, iom_arena *a,
                          graph_link **out);

/* ---- one phone's contacts ---- */

typedef struct comms_peer {
    uint32_t phone;
    uint32_t calls_out, calls_in, sms_out, sms_in;
    uint32_t count;
    uint64_t duration;
    int64_t first, last;
} comms_peer;

typedef struct comms_peers {
    size_t count;
    comms_peer *items;              /* by count (most first), duration, then phone */
} comms_peers;

/* The phone's contacts, at most top of them (0: all). */
iom_err comms_top_contacts(const comms_record *r, size_t n, size_t n_phones, uint32_t phone,
                           size_t top, const comms_settings *s, iom_arena *a,
                           comms_peers *out, iom_error *e);

/* ---- common contacts ---- */

typedef struct comms_common_item {
    uint32_t phone;
    uint32_t with_a, with_b;        /* records with each of the two */
    uint64_t duration_a, duration_b;
    size_t n_records;
    uint32_t *records;              /* evidence: indices of those records, ascending */
} comms_common_item;

typedef struct comms_common {
    uint32_t direct;                /* records between the two phones themselves */
    size_t count;
    comms_common_item *items;       /* by the smaller of with_a / with_b (most first), then
                                       their sum, then phone */
} comms_common;

/* Phones in contact with both a and b (a and b themselves excluded). */
iom_err comms_common_contacts(const comms_record *r, size_t n, size_t n_phones, uint32_t pa,
                              uint32_t pb, const comms_settings *s, iom_arena *a,
                              comms_common *out, iom_error *e);

/* ---- activity ---- */

#define COMMS_ALL_PHONES UINT32_MAX

typedef struct comms_activity {
    uint32_t by_hour[24];
    uint32_t by_day[7];             /* Monday = 0 */
    uint32_t grid[7][24];           /* day x hour */
    uint64_t call_seconds_by_hour[24];
    uint32_t calls, sms;
    bool utc;                       /* hours are UTC (else UK local, GMT/BST) */
} comms_activity;

/* Records of a phone (either end), or of all (COMMS_ALL_PHONES), counted by start time. */
iom_err comms_activity_get(const comms_record *r, size_t n, size_t n_phones, uint32_t phone,
                           const comms_settings *s, comms_activity *out, iom_error *e);

#endif
