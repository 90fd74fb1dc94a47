/*
 * apmis_store.h: the store's APMIS area (store->ops->apmis): disruption records against
 * SOC master list threats with their contributing capabilities, and the raw rows the value
 * measure report (domain/apmis.h) aggregates. Same contract as store.h: results in the
 * caller's arena; IOM_ENOTFOUND / IOM_ECONFLICT / IOM_EINVAL / IOM_ESTORE.
 */
#ifndef IOM_STORE_APMIS_STORE_H
#define IOM_STORE_APMIS_STORE_H

#include "domain/apmis.h"
#include "store/store.h"

typedef struct iom_apmis_t {
    int64_t id;                /* internal */
    char *ref;                 /* "APM-000001", assigned by insert */
    int64_t threat_id;
    char *date;                /* YYYY-MM-DD */
    int64_t lead_agency_id;
    iom_apmis_impact impact;
    iom_disruption_type type;
    int64_t arrests, safeguarded, seized_pence;
    iom_strand strand;
    char *narrative;
    int64_t created_by;        /* user id, 0 when none */
    int64_t created_at;
    /* contributing capabilities (read: filled by get and list; write: ids only) */
    int64_t *capability_ids;
    char **capabilities;       /* agency codes, in code order */
    iom_agency_kind *capability_kinds;
    size_t ncapabilities;
    /* joined, read-only: */
    char *threat_ref;
    char *threat_title;
    iom_marking threat_marking;
    int64_t owner_id;          /* the threat's current owner */
    char *owner;
    int64_t owner_region_id;
    char *lead_agency;
    int64_t lead_region_id;
    char *lead_region;
    char *created_by_name;
} iom_apmis_t;

/* Who may read which records, for list (the same rule as apmis_may_read in domain/apmis.h). */
typedef struct iom_apmis_filter {
    apmis_read_scope scope;    /* the reader's (domain/apmis.h), clearance included */
    int64_t threat_id;         /* 0 any */
    const char *after_ref;     /* cursor: refs strictly greater */
    size_t limit;              /* 0 = no limit */
} iom_apmis_filter;

/* The report's scope and period for the row queries. */
typedef struct iom_apmis_report_filter {
    int64_t region_id;         /* 0 any: requesting agency's region / lead agency's region
                                  (by_owner: the threat owner's) */
    int64_t agency_id;         /* 0 any: requesting agency / lead agency (by_owner: owner) */
    iom_marking max_marking;   /* only rows the reader is cleared for */
    int64_t end;               /* exclusive: taskings created and events before it (the
                                  period's limit: now + 1 when the report ends now) */
    const char *from_date;     /* disruptions: disruption_date >= (NULL: open) */
    const char *to_date;       /* disruptions: disruption_date <= */
    int by_owner;              /* 1: the scope is the threat's owner's (taskings of the threats it
                                  owns, disruptions against them), not the requesting / lead
                                  agency's */
} iom_apmis_report_filter;

/* One agreed ToR (the latest version agreed by both SIA and SIO) of a tasking in scope. */
typedef struct iom_apmis_tor_row {
    int64_t tasking_id;
    char *content_json;
} iom_apmis_tor_row;

struct iom_store_apmis_ops {
    int version;

    /* Inserts the record and its capabilities (r->capability_ids[0..ncapabilities)).
       OUT r->id; the record's ref is "APM-" and the id in six or more digits. */
    iom_err (*insert)(iom_store *s, iom_apmis_t *r, iom_error *e);
    /* IOM_ENOTFOUND when no record has that ref. */
    iom_err (*get)(iom_store *s, const char *ref, iom_arena *a, iom_apmis_t *out, iom_error *e);
    /* Records visible under f, ascending ref. */
    iom_err (*list)(iom_store *s, const iom_apmis_filter *f, iom_arena *a, iom_apmis_t **out,
                    size_t *n, iom_error *e);

    /* Report rows. Taskings are those whose requesting agency (by_owner: whose threat's
       owner) is in scope. */
    iom_err (*report_taskings)(iom_store *s, const iom_apmis_report_filter *f, iom_arena *a,
                               apmis_tasking_row **out, size_t *n, iom_error *e);
    /* Events of those taskings with at < end, ascending tasking id then event order. */
    iom_err (*report_events)(iom_store *s, const iom_apmis_report_filter *f, iom_arena *a,
                             apmis_event_row **out, size_t *n, iom_error *e);
    iom_err (*report_tors)(iom_store *s, const iom_apmis_report_filter *f, iom_arena *a,
                           iom_apmis_tor_row **out, size_t *n, iom_error *e);
    /* One row per product (ref): its type and first delivery (0 when never delivered). */
    iom_err (*report_deliveries)(iom_store *s, const iom_apmis_report_filter *f, iom_arena *a,
                                 apmis_delivery_row **out, size_t *n, iom_error *e);
    iom_err (*report_options)(iom_store *s, const iom_apmis_report_filter *f, iom_arena *a,
                              apmis_option_row **out, size_t *n, iom_error *e);
    /* Current versions of intelligence items, with the first version's created_at. */
    iom_err (*report_intel)(iom_store *s, const iom_apmis_report_filter *f, iom_arena *a,
                            apmis_intel_row **out, size_t *n, iom_error *e);
    /* Records whose lead agency (by_owner: whose threat's owner) is in scope, dated within
       [from_date, to_date]. */
    iom_err (*report_disruptions)(iom_store *s, const iom_apmis_report_filter *f, iom_arena *a,
                                  apmis_disruption_row **out, size_t *n, iom_error *e);
    /* New slots are appended below this line. */
};

#endif
