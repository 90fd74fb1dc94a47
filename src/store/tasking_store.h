/*
 * tasking_store.h: the store's tasking area (a sub-table of iom_store_ops, reached as
 * store->ops->tasking): taskings, their transition events, the TOEX team, terms of
 * reference with agreements, assessments and risk transfers. Same contract as store.h:
 * results in the caller's arena, IOM_ENOTFOUND / IOM_ECONFLICT / IOM_EINVAL / IOM_ESTORE.
 */
#ifndef IOM_STORE_TASKING_STORE_H
#define IOM_STORE_TASKING_STORE_H

#include "domain/access.h"
#include "domain/lifecycle.h"
#include "domain/products.h"
#include "store/store.h"

typedef struct iom_tasking_t {
    int64_t id;
    char *ref;                    /* "TOEX-2026-000123", assigned by insert */
    int64_t threat_id;
    iom_tasking_state state;
    int64_t requesting_agency_id;
    int64_t spoc_id;
    int64_t customer_id;          /* 0 when the customer is not a user of iom */
    int64_t sio_id;               /* the threat's SIO when the bid was made */
    int64_t sia_id;               /* 0 until accepted */
    iom_urgency urgency;
    iom_marking marking;
    char *bid_json;               /* the bid's content as validated by app/ */
    bool reached_toex;
    bool escalated_ftt;
    bool unsent;                  /* never sent to the Gateway: a draft, or a draft withdrawn
                                     (read from the state and the withdrawal's event; not
                                     written). In a list's rows, the draft state only */
    int64_t version;
    int64_t state_since;
    int64_t created_at;
    int64_t updated_at;
    int64_t created_by;
    int64_t triage_due;           /* computed by app/ (app/calendar.h), never stored: for a
                                     submitted bid the civil day its triage is due; 0 none */
    int triage_days;              /* computed with it: the target in working days */
    /* joined, read-only: */
    char *threat_ref;
    char *threat_title;
    iom_threat_type threat_type;
    char *requesting_agency;      /* code */
    int64_t requesting_region_id; /* the bid's region: the requesting agency's own, or the
                                     region a national requester named (issue 12); written by
                                     insert, never changed */
    char *requesting_region;      /* its code (read only) */
    iom_agency_kind requesting_kind; /* the requesting agency's kind (read only) */
    int64_t owner_id;             /* the threat's current owner */
    char *owner;
    iom_agency_kind owner_kind;
    int64_t owner_region_id;
    char *owner_region;
    int64_t threat_sio_id;        /* the threat's current SIO */
    char *threat_sio;
    char *spoc;
    char *customer;
    char *sio;
    char *sia;
} iom_tasking_t;

/* Which taskings list returns. The need-to-know scope is the domain's value (domain/access.h,
   access_scope_of): the back-end translates each of its clauses into its query, exactly as
   access_scope_admits reads them, clearance included. */
typedef struct iom_tasking_filter {
    access_scope scope;
    int state;                    /* -1 any, else iom_tasking_state */
    const char *region;           /* NULL any, else a region code: requesting or owning region */
    int64_t owner_id;             /* 0 any */
    const char *after_ref;        /* cursor */
    size_t limit;
} iom_tasking_filter;

typedef struct iom_tasking_event_t {
    int64_t id;                   /* number within its tasking (1, 2, ...; set by the store) */
    int64_t tasking_id;
    int64_t at;
    char *action;
    int64_t actor_id;
    char *actor;                  /* joined */
    char *role;
    int from_state;               /* -1 for creation */
    iom_tasking_state to_state;
    char *reason;
} iom_tasking_event_t;

typedef struct iom_member_t {
    int64_t user_id;
    char *user;
    iom_roles roles;
    int64_t added_at;
} iom_member_t;

typedef struct iom_tor_t {
    int64_t id;
    int64_t tasking_id;
    int64_t version;              /* assigned by tor_insert: latest + 1 */
    char *content_json;
    char *start_date;
    char *end_date;
    int64_t proposed_by;
    int64_t proposed_at;
    /* agreements, read-only: 0 when not agreed */
    int64_t sia_agreed_by, sia_agreed_at;
    int64_t sio_agreed_by, sio_agreed_at;
    char *proposer, *sia_agreed, *sio_agreed;
    /* filled by app/ (never stored with the version): the tasking's milestones marked done */
    struct iom_milestone_done_t *done;
    size_t ndone;
} iom_tor_t;

/* A ToR milestone the tasking's SIA marked done (issue 12 point 5): by name, for the tasking,
   so a milestone a later ToR version keeps stays done. */
typedef struct iom_milestone_done_t {
    char *name;
    int64_t done_at;
    char *done_by;                /* user name (joined) */
} iom_milestone_done_t;

typedef struct iom_assessment_t {
    int64_t id;
    int64_t tasking_id;
    char *kind;                   /* "bid" | "reassessment" */
    int64_t version;              /* assigned by insert */
    char *content_json;
    int score_tenths;
    char *band;
    char *recommendation;
    char *rationale;
    int64_t proposed_by, proposed_at;
    int64_t sia_signed_by, sia_signed_at;
    int64_t sio_signed_by, sio_signed_at;
    int64_t scoring_version;      /* the assessment.scoring setting's version it was computed
                                     with (domain/settings.h); insert stores it (0 means 1) */
    /* read-only (assessment_latest): the threat's SIO's agreement to a transfer of the risk on
       this reassessment (agree_transfer, review 113 M1), 0 / NULL when none */
    int64_t transfer_agreed_by, transfer_agreed_at;
    char *transfer_agreed;        /* the agreeing user's name */
} iom_assessment_t;

typedef struct iom_transfer_t {
    int64_t id;
    int64_t tasking_id;
    int64_t from_owner_id;
    char *rationale;
    int64_t requested_by, requested_at;
    int64_t escalated_by, escalated_at;
    char *escalation_rationale;
    int64_t decided_by, decided_at;
    char *decided_as;             /* "ttcg" | "ftt" | NULL */
    char *decision;               /* "accept" | "decline" | NULL */
    char *decision_reason;
    int64_t new_owner_id, new_sio_id;
    /* joined */
    char *from_owner, *new_owner, *new_sio;
    /* read-only (transfer_latest): the threat's SIO's agreement to the transfer, recorded on
       the reassessment the request rests on (its latest), 0 / NULL when none (a transfer
       requested before agree_transfer existed) */
    int64_t agreed_by, agreed_at;
    char *agreed;                 /* the agreeing user's name */
    /* read-only (transfer_latest): the names of requested_by, escalated_by, decided_by */
    char *requester, *escalator, *decider;
} iom_transfer_t;

struct iom_store_tasking_ops {
    int version;

    /* Sets in_out->id, version and ref (allocated in a). */
    iom_err (*insert)(iom_store *s, iom_tasking_t *in_out, iom_arena *a, iom_error *e);
    iom_err (*get)(iom_store *s, const char *ref, iom_arena *a, iom_tasking_t *out, iom_error *e);
    /* Updates state, sia_id, customer_id, urgency, marking, bid_json, reached_toex,
       escalated_ftt, state_since, updated_at where version == expected; t->version += 1. */
    iom_err (*update)(iom_store *s, iom_tasking_t *t, int64_t expected_version, iom_error *e);
    /* Summaries: bid_json is NULL in every row (the content is read with get). */
    iom_err (*list)(iom_store *s, const iom_tasking_filter *f, iom_arena *a, iom_tasking_t **out,
                    size_t *n, iom_error *e);
    /* OUT: the open tasking of a threat, or 0. */
    iom_err (*open_for_threat)(iom_store *s, int64_t threat_id, int64_t *out, iom_error *e);
    /* OUT: when TOEX first took on a tasking of the threat marked at most max_marking (the
       earliest `accept` event of those taskings, epoch seconds), or 0 when it never did. */
    iom_err (*supported_for_threat)(iom_store *s, int64_t threat_id, iom_marking max_marking, int64_t *out,
                                    iom_error *e);
    /* OUT: whether agency_id requested a tasking of the threat that TOEX accepted (one of its
       own: it knows of it whoever owns the threat now). */
    iom_err (*requested_for_threat)(iom_store *s, int64_t threat_id, int64_t agency_id, bool *out,
                                    iom_error *e);
    /* OUT: the reference (in a) of the threat's first tasking marked `marking`, open or ended
       (open_only: open, i.e. not closed, rejected, declined or withdrawn); NULL when none. */
    iom_err (*marked_for_threat)(iom_store *s, int64_t threat_id, const char *marking, bool open_only,
                                 iom_arena *a, char **out, iom_error *e);

    iom_err (*event_add)(iom_store *s, const iom_tasking_event_t *ev, iom_error *e);
    iom_err (*events)(iom_store *s, int64_t tasking_id, iom_arena *a, iom_tasking_event_t **out,
                      size_t *n, iom_error *e);

    iom_err (*member_add)(iom_store *s, int64_t tasking_id, int64_t user_id, int64_t at,
                          int64_t by, iom_error *e);
    iom_err (*member_remove)(iom_store *s, int64_t tasking_id, int64_t user_id, iom_error *e);
    iom_err (*members)(iom_store *s, int64_t tasking_id, iom_arena *a, iom_member_t **out,
                       size_t *n, iom_error *e);
    iom_err (*is_member)(iom_store *s, int64_t tasking_id, int64_t user_id, bool *out,
                         iom_error *e);

    iom_err (*tor_insert)(iom_store *s, iom_tor_t *in_out /* id, version */, iom_error *e);
    /* version 0 = the latest. */
    iom_err (*tor_get)(iom_store *s, int64_t tasking_id, int64_t version, iom_arena *a,
                       iom_tor_t *out, iom_error *e);
    /* Records the agreement of role "sia" or "sio" by user_id; another user's agreement for the
       role (a former SIO's) is replaced; IOM_ECONFLICT if this user agreed already. */
    iom_err (*tor_agree)(iom_store *s, int64_t tor_id, const char *role, int64_t user_id,
                         int64_t at, iom_error *e);
    /* OUT: the latest version agreed by both, 0 when none. */
    iom_err (*tor_agreed_version)(iom_store *s, int64_t tasking_id, int64_t *out, iom_error *e);

    iom_err (*assessment_insert)(iom_store *s, iom_assessment_t *in_out, iom_error *e);
    /* IOM_ENOTFOUND when the tasking has none of that kind. */
    iom_err (*assessment_latest)(iom_store *s, int64_t tasking_id, const char *kind,
                                 iom_arena *a, iom_assessment_t *out, iom_error *e);
    iom_err (*assessment_sign)(iom_store *s, int64_t id, const char *role, int64_t user_id,
                               int64_t at, iom_error *e);

    iom_err (*transfer_insert)(iom_store *s, iom_transfer_t *in_out, iom_error *e);
    /* The latest transfer of the tasking (IOM_ENOTFOUND when none). */
    iom_err (*transfer_latest)(iom_store *s, int64_t tasking_id, iom_arena *a,
                               iom_transfer_t *out, iom_error *e);
    /* Writes escalation and decision columns of t->id. */
    iom_err (*transfer_update)(iom_store *s, const iom_transfer_t *t, iom_error *e);

    /* Milestones done: add one (IOM_ECONFLICT when that name is already marked); list them,
       oldest first (OUT arena array). */
    iom_err (*milestone_done_add)(iom_store *s, int64_t tasking_id, const char *name, int64_t at,
                                  int64_t by, iom_error *e);
    iom_err (*milestones_done)(iom_store *s, int64_t tasking_id, iom_arena *a,
                               iom_milestone_done_t **out, size_t *n, iom_error *e);
    /* New slots are appended below this line. */

    /* Withdraws the agreement (tor_withdraw) or the signature (assessment_unsign) of part
       role ("sia" or "sio"), if any: the use-case's rule, for a pending agreement whose maker
       no longer holds the part (app/tasking_act.c, app/tasking_reassess.c). */
    iom_err (*tor_withdraw)(iom_store *s, int64_t tor_id, const char *role, iom_error *e);
    iom_err (*assessment_unsign)(iom_store *s, int64_t id, const char *role, iom_error *e);
    /* Optional (may be NULL). A hint inside a read transaction, after its first statement:
       the parts of a tasking's view are about to be read with events, transfer_latest and
       (content) members, tor_agreed_version, tor_get of the latest version, milestones_done
       and assessment_latest of kind "reassessment". A back-end whose statements cost a round
       trip each (PostgreSQL) runs them all now in one; the calls then return what they would
       have. Nothing fails here: a failure shows at the call it concerns. Returns how many
       statements ran ahead (0 on SQLite, in a write transaction, or before the read
       transaction's first statement, which on PostgreSQL carries its BEGIN). */
    int (*view_ahead)(iom_store *s, int64_t tasking_id, bool content);
    /* Records (user_id != 0) or clears (user_id 0) the threat's SIO's agreement to a transfer
       of the risk on assessment `id` (a reassessment): one per assessment, a second record
       IOM_ECONFLICT. Who may, and when it is cleared, is the use-case's rule
       (app/tasking_act.c agree_transfer, app/tasking_reassess.c). */
    iom_err (*assessment_agree_transfer)(iom_store *s, int64_t id, int64_t user_id, int64_t at,
                                         iom_error *e);
};

#endif
