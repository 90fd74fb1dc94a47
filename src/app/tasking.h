/*
 * tasking.h: use-cases of the tasking lifecycle (domain.md §1): the bid, every transition,
 * the TOEX team, terms of reference, reassessment and risk transfer, and the reads with
 * need-to-know applied. Results live in ctx->arena; errors as app.h with the detail in
 * ctx->err. A tasking the actor may not see reads as IOM_ENOTFOUND, exactly like a missing
 * one. Every change takes the version read (if_version > 0) or the version read in the same
 * call (0), and writes its audit entry and a history event in the same transaction.
 */
#ifndef IOM_APP_TASKING_H
#define IOM_APP_TASKING_H

#include <jansson.h>

#include "app/app.h"
#include "domain/access.h"
#include "domain/assess.h"
#include "domain/lifecycle.h"
#include "store/tasking_store.h"
#include "util/buf.h"

#define APP_MAX_LIST_ITEMS 32

typedef struct app_bid_input {
    const char *threat;             /* SOC reference (required) */
    const char *requesting_agency;  /* default: the actor's agency */
    const char *region;             /* the region whose Gateway triages the bid: a national
                                       agency names it (default: the owner's region); a
                                       force or ROCU may only name its own */
    const char *customer;           /* user name, optional */
    const char *ftm_date;           /* force tasking meeting date YYYY-MM-DD (required) */
    const char *ftm_ref;            /* force tasking meeting reference (required) */
    const char *type;               /* exploitation type; default: the threat's */
    const char *summary;            /* required */
    const char *known;              /* what is known */
    const char *requirements[APP_MAX_LIST_ITEMS]; /* intelligence requirements (>= 1) */
    size_t nrequirements;
    const char *services[APP_MAX_LIST_ITEMS];     /* TOEX services requested (>= 1) */
    size_t nservices;
    const char *urgency;            /* routine (default) | priority | urgent */
    const char *timeline;           /* desired timeline */
    const char *marking;            /* default: the threat's marking; never lower */
    bool has_requirements;     /* edit: the list was given (an empty one is refused, as on
                                 new), not left out */
    bool has_services;         /* likewise */
    bool has_assessment;
    assess_input assessment;        /* the bid's threat assessment (§7) */
} app_bid_input;

/* `tasking edit REF [fields...]`: the bid changed while it is with the requesting agency
   (draft, or returned by the Gateway saying what is missing; domain/bid.h bid_edit_check): the
   fields given replace the bid's (a list given replaces the whole list; the assessment is
   scored again), validated as a new bid's. threat, requesting_agency, region and marking are
   fixed at drafting (IOM_EINVAL). IOM_ECONFLICT for a stale if_version (> 0) or another state,
   IOM_EFORBIDDEN for anyone but a spoc of the requesting agency, IOM_ENOTFOUND for anyone who
   may not read the bid. Audited `tasking.edit` with the bid before and after; a history event
   `edit`. */
iom_err app_tasking_edit(iom_ctx *c, const char *ref, const app_bid_input *in, int64_t if_version,
                         iom_tasking_t *out);

/* Decodes a bid document (docs/api.md "bid input"); strict: unknown keys, wrong types and
   duplicate keys are IOM_EINVAL naming the key. Strings borrow from *root, which the caller
   keeps alive (json_decref after use). */
iom_err app_bid_from_json(iom_ctx *c, const char *text, json_t **root, app_bid_input *out);

/* Decodes an assessment object ({"harm": {...}, "scale": N, ...}). */
iom_err app_assessment_from_json(iom_ctx *c, json_t *obj, assess_input *out);

/* `tasking new`: a draft bid by a spoc of the requesting agency. */
iom_err app_tasking_new(iom_ctx *c, const app_bid_input *in, iom_tasking_t *out);

/* Input of a transition; fields are read by the actions that need them. */
typedef struct app_act_input {
    const char *reason;       /* return, reject, decline, withdraw; transfer rationale */
    const char *sia;          /* accept: the SIA's user name */
    int64_t tor_version;      /* agree_tor */
    bool accept;              /* decide_transfer: accept (true) or decline */
    const char *new_owner;    /* decide_transfer accept */
    const char *new_sio;      /* decide_transfer accept */
} app_act_input;

/* A transition without content of its own (submit, forward, return, reject, accept,
   decline, start, complete, remain, withdraw, request_transfer, escalate, decide_transfer,
   agree_tor). */
iom_err app_tasking_act(iom_ctx *c, const char *ref, iom_tasking_action action,
                        const app_act_input *in, int64_t if_version, iom_tasking_t *out);

/* `tasking assign|unassign REF --user U`: toex_manager or the tasking's SIA; TOEX staff only. */
iom_err app_tasking_assign(iom_ctx *c, const char *ref, const char *user, bool add,
                           int64_t if_version, iom_tasking_t *out);
/* The same for n users in one transaction, in order (a history entry each): every user is
   checked first, and one refused (unknown, given twice, not TOEX staff, not cleared, already
   on or not on the team) changes nothing. OUT the tasking after the last. */
iom_err app_tasking_assign_many(iom_ctx *c, const char *ref, const char *const *users, size_t n, bool add,
                                int64_t if_version, iom_tasking_t *out);

/* `tasking reallocate REF --sia USER --reason TEXT`: a toex_manager gives an accepted tasking that
   has not ended another SIA (the allocated one leaves, is ill, is to be disabled). The new SIA
   is an enabled TOEX user with the sia role, joins the team, and from then on is the one whose
   ToR agreement and reassessment signature count (a former SIA's no longer do).
   IOM_EFORBIDDEN (not a toex_manager), IOM_ECONFLICT (not accepted yet or ended; the same SIA;
   a stale if_version), IOM_EINVAL (reason, sia). */
iom_err app_tasking_reallocate(iom_ctx *c, const char *ref, const char *sia, const char *reason,
                               int64_t if_version, iom_tasking_t *out);

/* `tor propose REF --from-json TOR.json`: the tasking's SIA proposes a new ToR version. */
iom_err app_tor_propose(iom_ctx *c, const char *ref, const char *json_text, int64_t if_version,
                        iom_tor_t *out);
/* `tor show REF [--version N]` (0 = latest). */
iom_err app_tor_get(iom_ctx *c, const char *ref, int64_t version, iom_tor_t *out);
/* Two versions in one read (`tor diff`), logged as one read of both; nothing is logged when
   either is missing (IOM_ENOTFOUND). */
iom_err app_tor_get2(iom_ctx *c, const char *ref, int64_t version, int64_t version2, iom_tor_t *out,
                     iom_tor_t *out2);
/* The tasking's marking, for an actor who may see it (else IOM_ENOTFOUND): what belongs to it
   without a marking of its own (ToR, work log, options, history) is marked as it is. */
iom_err app_tasking_marking(iom_ctx *c, const char *ref, iom_marking *out);
/* The tasking's current version (its ETag) for an actor who may see it (else IOM_ENOTFOUND). */
iom_err app_tasking_version(iom_ctx *c, const char *ref, int64_t *out);
/* Every ToR version of the tasking, oldest first (none: *n = 0). Arena. */
iom_err app_tor_list(iom_ctx *c, const char *ref, iom_tor_t **out, size_t *n);

/* `tasking reassess REF --from-json ASSESSMENT.json`: the SIA proposes, the SIO signs the
   same content (or either proposes a new version the other must sign). */
iom_err app_tasking_reassess(iom_ctx *c, const char *ref, const char *json_text,
                             int64_t if_version, iom_assessment_t *out);

/* Reads. */
typedef struct app_tasking_view {
    iom_tasking_t t;
    access_decision access;
    iom_member_t *members;
    size_t nmembers;
    iom_tasking_event_t *events;
    size_t nevents;
    bool has_tor;
    iom_tor_t tor;                /* the latest ToR */
    int64_t tor_agreed_version;   /* 0 when none */
    bool has_reassessment;
    iom_assessment_t reassessment;
    bool has_transfer;
    iom_transfer_t transfer;
    unsigned allowed_actions;     /* bit set of iom_tasking_action this actor may take now
                                     (lifecycle_action_open over the tasking's facts) */
    const char *blocked[IOM_TA_COUNT]; /* per action the actor's role and relation allow but a
                                          precondition holds back: the rule's message (what it
                                          waits for), in the context's arena; NULL otherwise */
} app_tasking_view;

/* `tasking show REF`: the full record. When it includes the bid content (v->access.content)
   the read is logged in the same (write) transaction as an audit entry "tasking.read" with the
   purpose (ctx->purpose, else the granting relation): it therefore needs the audit key. */
iom_err app_tasking_show(iom_ctx *c, const char *ref, app_tasking_view *out);

/* `tasking transfer REF`: the view of app_tasking_show for its latest transfer. A tasking with
   no transfer is IOM_ENOTFOUND ("transfer: tasking REF has no transfer") and logs no read:
   nothing of it was shown (review 84 L12). */
iom_err app_tasking_transfer(iom_ctx *c, const char *ref, app_tasking_view *out);

/* `tasking actions REF`: what the actor may do with the tasking now, for a page that offers
   forms (the network, datasets and review pages): out->t (its reference, state, version and
   marking), out->allowed_actions and out->blocked, as app_tasking_show computes them; nothing
   else of out is set. Whoever may see the tasking in the list may ask; no content is read, so
   nothing is logged (review 93 L5: those pages GOT the whole tasking for its actions, and each
   visit logged a `tasking.read` of a bid the user never saw). A read-only reader (auditor, APMIS
   recorder) gets no actions. Errors: IOM_ENOTFOUND (no such tasking, or
   one the actor may not see), IOM_ESTORE. */
iom_err app_tasking_actions(iom_ctx *c, const char *ref, app_tasking_view *out);

typedef struct app_tasking_query {
    const char *state;
    const char *region;
    const char *owner;
    size_t limit;                 /* default 50, at most 1000 */
    const char *after;
} app_tasking_query;

/* `tasking list`: the taskings the actor may see (domain.md §3), by reference. The store
   filters by the actor's need-to-know scope (access_scope_of) and every row is checked again
   against the same scope (access_scope_admits) before it is returned. */
iom_err app_tasking_list(iom_ctx *c, const app_tasking_query *q, iom_tasking_t **out, size_t *n,
                         const char **next);

/* For tests of that re-check only (tests/unit/test_access_scope.c); no adapter calls it. As
   app_tasking_list, but the store's query is filtered by `store_scope` instead of the actor's
   scope. The rows are still re-checked against the actor's own scope, so the result never
   holds more than app_tasking_list would: with a store scope that admits everything, it
   shows that the re-check alone removes what the store's filter removes. */
iom_err app_tasking_list_store_scope(iom_ctx *c, const app_tasking_query *q,
                                     const access_scope *store_scope, iom_tasking_t **out,
                                     size_t *n, const char **next);

/* `tasking due [--days N] [--all]`: milestones and products of the ToR in force of the open
   taskings the actor may see whose due date is within `days` days from today (or already past),
   and the triage of submitted bids. Only the items the actor's own role acts on (review 113 L8:
   a Gateway's list mixed the SIA's milestones with its triage): a milestone is its tasking's
   SIA's (who marks it done), a product its TOEX team's (record_product: the SIA and the
   assigned staff), a triage its region's Gateway's (not one who drafted, edited or sent the
   bid). `all`: every such item of the taskings the actor may see, each marked whose it is. */
typedef struct app_due_item {
    const char *tasking;      /* reference */
    const char *kind;         /* "milestone" | "product" | "triage" (a submitted bid, listed
                                 for a gateway user: issue 12 point 4) */
    const char *name;         /* milestone name or product type ("triage") */
    const char *due;          /* YYYY-MM-DD */
    int64_t days_left;        /* negative when overdue */
    bool delivered;           /* products: a version is delivered (then not listed) */
    iom_marking marking;      /* the tasking's: what the item reveals is marked as it is */
    const char *whose;        /* who acts on it: "sia" (a milestone), "team" (a product: the
                                 tasking's SIA and TOEX team), "gateway" (a triage) */
    bool yours;               /* the actor is one who acts on it */
} app_due_item;

iom_err app_tasking_due(iom_ctx *c, int days, bool all, app_due_item **out, size_t *n);

/* `tasking queue`: what waits on the actor (review 84 L10). Every tasking the actor may see in
   a state that has not ended, with the steps of the lifecycle that are the actor's to take now
   (their role, their relation to the tasking and the rule's precondition all hold, as
   `tasking show` computes its actions): submit a draft or a returned bid (its SPOC), triage
   (forward, return, reject: the Gateway), consider (accept, decline: a TOEX manager), propose
   a ToR when none is proposed yet (the SIA), agree the latest ToR version the actor's side has
   not agreed, start, complete, propose or sign the reassessment (the SIA proposes; a version
   the actor's side has not signed), remain or request a transfer (both signed), escalate or
   decide a transfer (TTCG, FTT). Withdrawing and team work are never listed: nothing waits on
   them. A tasking with no such step is not listed; none is listed for a read-only relation
   (auditor, APMIS). Longest waiting first (the time the tasking entered its state), then by
   reference. Reads only: no read of content is logged (as the list). Arrays in c's arena. */
typedef struct app_queue_item {
    const char *tasking;        /* reference */
    iom_tasking_state state;
    int64_t since;              /* the time it entered the state (unix seconds) */
    unsigned actions;           /* bit set of iom_tasking_action */
    iom_marking marking;        /* the tasking's */
} app_queue_item;

iom_err app_tasking_queue(iom_ctx *c, app_queue_item **out, size_t *n);

/*
 * For use-cases of other areas (contributions, intelligence, options, products): inside an
 * open write transaction, loads the tasking `ref`, resolves the actor, applies need-to-know
 * (IOM_ENOTFOUND when not visible) and lifecycle_decide for `action` (which must stay in
 * the state), checks if_version, and fills *out. Then the caller writes its rows, calls
 * app_tasking_touch, audits, and ends the transaction.
 */
typedef struct app_tasking_scope {
    iom_tasking_t t;
    access_actor actor;
    access_tasking at;
    access_decision access;
    iom_role role;                /* the role the action was granted under */
    bool narrow;                  /* entered through the option's agency's narrow view
                                     (app_tasking_enter_option): no sight of the tasking */
} app_tasking_scope;

iom_err app_tasking_enter(iom_ctx *c, const char *ref, iom_tasking_action action,
                          int64_t if_version, app_tasking_scope *out);

/* IOM_ECONFLICT ("reload and retry") when if_version > 0 and is not t's version: for a caller
   that enters with if_version 0 to check a right of its own before the version (review 89
   L2: product delivery, the SIA's alone). */
iom_err app_tasking_check_version(iom_ctx *c, const iom_tasking_t *t, int64_t if_version);

/* As app_tasking_enter, for setting the status of a tactical option of the tasking (review 84
   M6): need-to-know for reading its options (IOM_ENOTFOUND otherwise), then
   lifecycle_option_status_may: the team and the SIA while the work is open, the spoc or sio
   of the option's agency (`option_agency_id`, the option's agency) and the threat's SIO at any time, after the
   tasking has ended too. A caller with no such right is refused (IOM_EFORBIDDEN) before
   if_version is checked; a team member refused only because the work is over, after it.
   The spoc or sio of the option's agency who cannot otherwise see the tasking enters through
   its narrow view (access_option_agency: out->narrow set, out->access NONE; an if_version
   given is refused with IOM_EINVAL, as that view never reads the tasking's version); one
   without clearance for the tasking's marking gets IOM_ENOTFOUND. */
iom_err app_tasking_enter_option(iom_ctx *c, const char *ref, int64_t option_agency_id,
                                 int64_t if_version, app_tasking_scope *out);

/* As app_tasking_enter, for setting an intelligence item's PND status: need-to-know for reading
   the tasking's intelligence (IOM_ENOTFOUND otherwise), if_version, then lifecycle_pnd_may (the
   team and the SIA, while the work is open and after the tasking has ended). */
iom_err app_tasking_enter_pnd(iom_ctx *c, const char *ref, int64_t if_version, app_tasking_scope *out);

/* Inside a read transaction: loads and applies need-to-know for reading `part` of it. */
iom_err app_tasking_read(iom_ctx *c, const char *ref, iom_access_part part,
                         app_tasking_scope *out);

/* The actor (ctx->actor, resolved by app_actor) as the need-to-know predicate sees it. */
access_actor app_access_actor(const iom_ctx *c);

/* Bumps the tasking's version and updated_at (a change to its content was recorded). */
iom_err app_tasking_touch(iom_ctx *c, iom_tasking_t *t);

/* The tasking's JSON (docs/api.md "tasking"): the bid content only when content is true. */
json_t *json_of_tasking(const iom_tasking_t *t, bool content);
/* The same text as json_dumps(json_of_tasking(t, false), JSON_COMPACT), appended to b
   without building a jansson tree (the HTTP list). */
void json_write_tasking(iom_buf *b, const iom_tasking_t *t);
json_t *json_of_tor(const iom_tor_t *t);

/* `tor milestone-done REF --milestone NAME` (issue 12 point 5): the tasking's SIA marks a
   milestone of the ToR in force done, while it is in force (tor_agreed, in_development,
   reassessment); audited ("tasking.milestone_done"). `tasking due` no longer lists it; every
   ToR version shows the milestones done, when and by whom. IOM_EINVAL: not a milestone of the
   ToR in force; IOM_ECONFLICT: already done, or wrong state; IOM_EFORBIDDEN: not the SIA;
   IOM_ENOTFOUND: no sight of the tasking. OUT: the ToR in force. */
iom_err app_tor_milestone_done(iom_ctx *c, const char *ref, const char *milestone, iom_tor_t *out);
json_t *json_of_assessment(const iom_assessment_t *a);
json_t *json_of_transfer(const iom_transfer_t *t);
json_t *json_of_tasking_view(const app_tasking_view *v);
/* The same view written as compact JSON text onto b: byte for byte jsonw_json (and
   json_dumps(.., JSON_COMPACT | JSON_PRESERVE_ORDER)) of json_of_tasking_view(v), without the
   tree. Reads v only; allocates only b's growth (and a tree for a stored document that is
   not plain: see jsonw_canon). */
void json_write_tasking_view(iom_buf *b, const app_tasking_view *v);

#endif
