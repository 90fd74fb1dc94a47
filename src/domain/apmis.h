/*
 * apmis.h: APMIS disruption records and the value-measure report of domain.md §9, as pure
 * rules: validation of a record's own fields, who may record / read a record / read the
 * report for which scope, percentile statistics, and the report's aggregation over plain
 * rows that app/ loads from the store. No I/O, no clock (the caller passes "now"), memory only
 * from the caller's arena. docs/apmis.md states every definition used here.
 */
#ifndef IOM_DOMAIN_APMIS_H
#define IOM_DOMAIN_APMIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/lifecycle.h"
#include "domain/products.h"
#include "domain/ref.h"
#include "util/arena.h"
#include "util/err.h"

#define APMIS_NARRATIVE_MAX 8000          /* bytes of UTF-8 */
#define APMIS_COUNT_MAX 100000            /* arrests, victims safeguarded, per record */
#define APMIS_PENCE_MAX 1000000000000LL   /* £10,000,000,000 in pence, per record */
#define APMIS_MAX_CAPABILITIES 32

/* A record as given by the user (CLI flags, HTTP JSON). Strings borrowed. */
typedef struct apmis_input {
    const char *threat;        /* SOC reference */
    const char *date;          /* YYYY-MM-DD, not after today (UTC) */
    const char *impact;        /* major | moderate | minor | none | negative */
    const char *type;          /* products_disruption_parse words */
    const char *lead;          /* lead agency code */
    const char *capabilities[APMIS_MAX_CAPABILITIES]; /* contributing agency codes */
    size_t ncapabilities;
    int64_t arrests;           /* >= 0 */
    int64_t safeguarded;       /* >= 0 */
    int64_t seized_pence;      /* >= 0, integer pence */
    const char *strand;        /* pursue | prevent | protect | prepare */
    const char *narrative;     /* required UTF-8, multi-line, <= APMIS_NARRATIVE_MAX bytes */
} apmis_input;

typedef struct apmis_fields {
    iom_apmis_impact impact;
    iom_disruption_type type;
    iom_strand strand;
    int64_t day;               /* disruption date as days since 1970-01-01 */
} apmis_fields;

/*
 * Checks every field that needs no store: required fields present, date a real calendar date
 * not after `today` (days since 1970-01-01: the caller's day in the UK), words of §8/§9, counts in 0..APMIS_COUNT_MAX, pence in
 * 0..APMIS_PENCE_MAX, narrative text, at most APMIS_MAX_CAPABILITIES capabilities, none
 * named twice. IOM_EINVAL (IOM_ETOOBIG for an oversized narrative) naming the field; *out
 * written only on IOM_OK.
 */
iom_err apmis_validate(const apmis_input *in, int64_t today, apmis_fields *out, iom_error *e);

/* A problem of one field (the field's name; e holds its message), told as it is found. */
typedef void (*apmis_note_fn)(void *ud, const char *field, const iom_error *e);
/* apmis_validate checking every field: each IOM_EINVAL problem is told to note (with ud) and
   checking goes on; IOM_EINVAL at the end when any was told (e: the last), *out unwritten.
   Another error (IOM_ETOOBIG: an oversized narrative) stops at once and is returned. note NULL:
   apmis_validate (the first problem alone). */
iom_err apmis_validate_each(const apmis_input *in, int64_t today, apmis_fields *out,
                            apmis_note_fn note, void *ud, iom_error *e);

/* "YYYY-MM-DD" to days since 1970-01-01; IOM_EINVAL naming field when malformed. */
iom_err apmis_day_parse(const char *field, const char *s, int64_t *out, iom_error *e);
/* Days since 1970-01-01 to "YYYY-MM-DD" (11 bytes with NUL). */
void apmis_day_format(int64_t day, char out[16]);
/* The UK (Europe/London) day of a time, in days since 1970-01-01. */
int64_t apmis_day_of(int64_t t);

/* ---- who may do what (domain.md §3) ---- */

typedef struct apmis_actor {
    iom_roles roles;
    iom_agency_kind agency_kind;
    int64_t agency_id;
    int64_t region_id;         /* 0 for national / TOEX */
    iom_marking clearance;
} apmis_actor;

/* Record: role apmis (any agency), or a spoc or sio whose agency is the lead agency.
   IOM_EFORBIDDEN naming the rule otherwise. */
iom_err apmis_may_record(const apmis_actor *a, int64_t lead_agency_id, iom_error *e);

/* The facts of one record that decide who reads it. */
typedef struct apmis_record_facts {
    int64_t lead_agency_id, lead_region_id;     /* region 0 for a national lead */
    int64_t owner_agency_id, owner_region_id;   /* the threat's current owner */
    const int64_t *capability_ids;              /* contributing agencies (borrowed) */
    size_t ncapabilities;
    iom_marking marking;                        /* the threat's marking */
} apmis_record_facts;

/* Roles that read every record and the national report: apmis, toex_manager, auditor. */
bool apmis_reads_all(const apmis_actor *a);

/*
 * Which records an actor reads, as one value: the store translates it into its list query
 * (store/apmis_store.h) and apmis_scope_admits answers the same question for one record.
 * apmis, toex_manager and auditor read every record; any operational user (a role other than
 * admin alone: access_operational of domain/access.h) reads records whose lead agency, threat
 * owner or a contributing capability is their agency; gateway and ttcg roles and users of a
 * ROCU also read records whose lead or owner is in their region. Always with clearance for
 * the marking.
 */
typedef struct apmis_read_scope {
    bool all;                  /* every record */
    int64_t agency_id;         /* lead, owner or a contributing capability; 0 none */
    int64_t region_id;         /* lead's or owner's region; 0 none */
    iom_marking clearance;     /* records whose threat is marked at most this */
} apmis_read_scope;

apmis_read_scope apmis_read_scope_of(const apmis_actor *a);
bool apmis_scope_admits(const apmis_read_scope *s, const apmis_record_facts *r);

/* May the actor read the record (show, list)? apmis_scope_admits of the actor's scope;
   false means "read as not found". */
bool apmis_may_read(const apmis_actor *a, const apmis_record_facts *r);

/* The report's scope: internal ids, 0 = any. */
typedef struct apmis_scope {
    int64_t region_id;
    int64_t agency_id;
    int64_t agency_region_id;  /* region of agency_id (0 national), to check containment */
} apmis_scope;

/*
 * Decides the scope the actor may read. apmis, toex_manager, auditor: any scope as asked.
 * Otherwise a user holding spoc, sio, customer, gateway or ttcg: gateway, ttcg and users of
 * a ROCU read their region (or an agency within it); others read their own agency only. An
 * empty request is narrowed to what the actor may read; a request outside it is
 * IOM_EFORBIDDEN naming the allowed scope. *out written only on IOM_OK.
 */
iom_err apmis_report_scope(const apmis_actor *a, const apmis_scope *asked, apmis_scope *out,
                           iom_error *e);

/* ---- statistics ---- */

/* Sorts v ascending in place. */
void apmis_sort(int64_t *v, size_t n);

/*
 * The p-th percentile (0..100) of sorted v[0..n), n >= 1, by linear interpolation between
 * closest ranks (Hyndman-Fan type 7; R's default, numpy's "linear", Excel PERCENTILE.INC):
 * h = (n-1)*p/100, result = v[floor h] + (h - floor h) * (v[floor h + 1] - v[floor h]),
 * rounded to the nearest integer, halves up. Computed in exact integer arithmetic. 0 when n=0.
 */
int64_t apmis_percentile(const int64_t *v, size_t n, unsigned p);

/* ---- the report ---- */

/* The period: days inclusive and the instants they give. */
typedef struct apmis_period {
    bool has_from;
    int64_t from_day;          /* first day (if has_from) */
    int64_t to_day;            /* last day: --to, else today */
    int64_t start;             /* from_day 00:00 UK time (GMT or BST), or INT64_MIN */
    int64_t end;               /* min(the day after to_day at 00:00 UK time, now): time still
                                  running counts up to it */
    int64_t limit;             /* exclusive bound of what the period holds: the day after
                                  to_day at 00:00 UK time, or now + 1 when that is later than
                                  now (a record made in the report's own second counts) */
} apmis_period;

/* Builds the period from optional --from/--to (YYYY-MM-DD), now and today (days since
   1970-01-01: the day in the UK, the default last day). IOM_EINVAL when a date is malformed,
   from is after to or after today. */
iom_err apmis_period_make(const char *from, const char *to, int64_t now, int64_t today,
                          apmis_period *out, iom_error *e);

typedef struct apmis_tasking_row {
    int64_t id;
    int64_t created_at;
    iom_tasking_state state;   /* current state (used when a tasking has no events) */
    iom_marking marking;
    bool reached_toex;         /* forwarded to TOEX at some time */
} apmis_tasking_row;

typedef struct apmis_event_row {
    int64_t tasking_id;
    int64_t at;
    iom_tasking_state to_state;
} apmis_event_row;

typedef struct apmis_due_row {          /* one product of a tasking's agreed ToR */
    int64_t tasking_id;
    iom_product_type type;
    int64_t due_day;
} apmis_due_row;

typedef struct apmis_delivery_row {     /* one product (all versions of one ref) */
    int64_t tasking_id;
    iom_product_type type;
    int64_t delivered_at;               /* first delivery of any version; 0 = not delivered */
    iom_marking marking;                /* the highest of its versions counted */
} apmis_delivery_row;

typedef struct apmis_option_row {
    int64_t created_at;
    iom_option_status status;
    iom_strand strand;
    iom_marking marking;                /* its own (option_marking), else its tasking's */
} apmis_option_row;

typedef struct apmis_intel_row {
    int64_t created_at;                 /* the item's first version */
    int pnd;                            /* 0 pending, 1 recorded, 2 not_required */
    iom_marking marking;
} apmis_intel_row;

typedef struct apmis_disruption_row {
    int64_t day;
    iom_apmis_impact impact;
    bool toex;                          /* TOEX (the capability) contributed */
    int64_t arrests, safeguarded, seized_pence;
    iom_marking marking;
} apmis_disruption_row;

typedef struct apmis_report_input {
    const apmis_tasking_row *taskings; size_t ntaskings;   /* ascending id */
    const apmis_event_row *events; size_t nevents;         /* ascending tasking_id, then order */
    const apmis_due_row *dues; size_t ndues;
    const apmis_delivery_row *deliveries; size_t ndeliveries;
    const apmis_option_row *options; size_t noptions;
    const apmis_intel_row *intel; size_t nintel;
    const apmis_disruption_row *disruptions; size_t ndisruptions;
} apmis_report_input;

typedef struct apmis_state_time {
    int64_t visits;
    int64_t total_seconds;
    int64_t median_seconds;
    int64_t p90_seconds;
} apmis_state_time;

typedef struct apmis_disruption_totals {
    int64_t count;
    int64_t by_impact[IOM_IMPACT_COUNT];
    int64_t arrests, safeguarded, seized_pence;
} apmis_disruption_totals;

typedef struct apmis_report {
    apmis_period period;
    iom_marking marking;                         /* highest marking of what was counted */
    int64_t taskings;                            /* taskings counted by state */
    int64_t by_state[IOM_TS_COUNT];
    apmis_state_time time[IOM_TS_COUNT];         /* ended states have no time (visits 0) */
    struct {                                     /* docs/apmis.md "Products delivered on
                                                    time": a delivered product in the period
                                                    it was delivered (on time or late); an
                                                    undelivered one once its due day in the
                                                    period has passed; due = the three */
        int64_t due, on_time, late, not_delivered;
    } products;
    struct {
        int64_t recorded;
        int64_t by_status[IOM_OPTION_STATUS_COUNT];
        int64_t actioned_by_strand[IOM_STRAND_COUNT];
    } options;
    apmis_disruption_totals disruptions_all, disruptions_toex;
    struct {
        int64_t items, recorded, not_required, pending;
    } pnd;
} apmis_report;

/*
 * Computes every figure (definitions in docs/apmis.md). Input arrays are not modified;
 * scratch memory comes from arena a.
 */
void apmis_report_compute(const apmis_report_input *in, const apmis_period *p, iom_arena *a,
                          apmis_report *out);

#endif
