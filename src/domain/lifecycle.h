/*
 * lifecycle.h: the tasking lifecycle of domain.md §1 as ONE transition table and one pure
 * decision function over it.
 *
 * State and action words are exactly those of domain.md §1 (the API, CLI, UI and tests use
 * them). The table is data (lifecycle_rules); lifecycle_decide is the only code that reads it
 * to authorise a move. Nothing here does I/O, reads a clock or allocates: the caller (app/)
 * works out the actor's relation to the tasking and the precondition facts from the store,
 * passes them in plain structs, and applies the answer in its own transaction.
 *
 * Order of checks in lifecycle_decide (and so which error wins when several apply):
 *   1. state ended, or no rule for (state, action)        -> IOM_ECONFLICT
 *   2. no role of the actor is allowed the action there    -> IOM_EFORBIDDEN
 *   3. role allowed but not the needed relation            -> IOM_EFORBIDDEN
 *   4. a required input missing or invalid (reason, SIA,
 *      new owner, new SIO)                                 -> IOM_EINVAL
 *      (a new owner outside a TTCG's region                -> IOM_EFORBIDDEN)
 *   5. a precondition on the tasking's data unmet          -> IOM_ECONFLICT
 * Every message names the state, the action and the rule broken.
 */
#ifndef IOM_DOMAIN_LIFECYCLE_H
#define IOM_DOMAIN_LIFECYCLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/ref.h"
#include "util/err.h"

/* Tasking states (domain.md §1). Order is stable: values may be stored. */
typedef enum iom_tasking_state {
    IOM_TS_DRAFT,
    IOM_TS_SUBMITTED,
    IOM_TS_RETURNED,
    IOM_TS_FORWARDED,
    IOM_TS_ACCEPTED,
    IOM_TS_TOR_AGREED,
    IOM_TS_IN_DEVELOPMENT,
    IOM_TS_REASSESSMENT,
    IOM_TS_TRANSFER_REQUESTED,
    IOM_TS_ESCALATED_FTT,
    IOM_TS_CLOSED,
    IOM_TS_REJECTED,
    IOM_TS_DECLINED,
    IOM_TS_WITHDRAWN,
    IOM_TS_COUNT
} iom_tasking_state;

/*
 * Tasking actions. The first sixteen are the words of domain.md §1. The next six name the
 * team and work steps that §1 allows only in tor_agreed, in_development and reassessment:
 * `assign`/`unassign` (toex_manager, sia), `contribute` (work log), `record_intel` (add,
 * correct or set the PND status of an intelligence item), `record_option` (add a tactical
 * option or set its status), `record_product` (add or deliver a product version). The last,
 * `agree_transfer`, is domain.md §1's "with the sio's agreement" made a recorded act: the
 * threat's SIO agrees, in reassessment, to the transfer the SIA then requests (review 113 M1).
 * Order is stable: values may be stored (a new action goes last).
 */
typedef enum iom_tasking_action {
    IOM_TA_SUBMIT,
    IOM_TA_FORWARD,
    IOM_TA_RETURN,
    IOM_TA_REJECT,
    IOM_TA_ACCEPT,
    IOM_TA_DECLINE,
    IOM_TA_PROPOSE_TOR,
    IOM_TA_AGREE_TOR,
    IOM_TA_START,
    IOM_TA_COMPLETE,
    IOM_TA_REASSESS,
    IOM_TA_REMAIN,
    IOM_TA_REQUEST_TRANSFER,
    IOM_TA_ESCALATE,
    IOM_TA_DECIDE_TRANSFER,
    IOM_TA_WITHDRAW,
    IOM_TA_ASSIGN,
    IOM_TA_UNASSIGN,
    IOM_TA_CONTRIBUTE,
    IOM_TA_RECORD_INTEL,
    IOM_TA_RECORD_OPTION,
    IOM_TA_RECORD_PRODUCT,
    IOM_TA_AGREE_TRANSFER,
    IOM_TA_COUNT
} iom_tasking_action;

/*
 * The actor's relations to one tasking, as a bit set. app/ computes them from the store
 * (access_lifecycle_relations in domain/access.h does it from the need-to-know structs).
 */
enum {
    IOM_REL_REQUESTING = 1u << 0,        /* actor's agency is the requesting agency */
    IOM_REL_OWNING = 1u << 1,            /* actor's agency owns the threat */
    IOM_REL_REQUESTING_REGION = 1u << 2, /* actor's region is the requesting agency's region */
    IOM_REL_OWNER_REGION = 1u << 3,      /* actor's region is the region whose TTCG handles the
                                            tasking's transfer: the owning agency's, or for a
                                            national owner (no region) the bid's region (the one
                                            whose Gateway triaged it: review 113 L2) */
    IOM_REL_ASSIGNED = 1u << 4,          /* actor is on the tasking's TOEX team */
    IOM_REL_TASKING_SIA = 1u << 5,       /* actor is the SIA allocated to the tasking */
    IOM_REL_THREAT_SIO = 1u << 6,        /* actor is the SIO of the tasking's threat */
    IOM_REL_ALL = (1u << 7) - 1
};
typedef unsigned iom_tasking_rels;

typedef struct lifecycle_actor {
    iom_roles roles;       /* every role the user holds */
    iom_tasking_rels rels; /* IOM_REL_* bits for this tasking */
} lifecycle_actor;

/*
 * Facts the rules need, established by app/ from the store before calling. All fields are
 * phrased so that the zero value refuses: a forgotten fact can never let a move through.
 * Each field is read only by the actions listed beside it.
 */
typedef struct lifecycle_facts {
    bool reason_given;            /* return, reject, decline, withdraw, request_transfer,
                                     escalate, decide_transfer: non-empty reason/rationale */
    bool threat_has_sio;          /* submit: an SIO is assigned to the threat (bid_has_assessment
                                     below: the bid's assessment) */
    bool sia_given;               /* accept: an SIA user is named */
    bool sia_eligible;            /* accept: that user holds role sia at TOEX, enabled */
    bool tor_version_exists;      /* agree_tor: a ToR version was proposed */
    bool tor_both_agreed;         /* agree_tor: counting this agreement, sia and sio have both
                                     agreed the same (latest) version. The domain also works
                                     it out from tor_sia_agreed / tor_sio_agreed below. */
    bool tor_products_delivered;  /* complete: every product of the agreed ToR is delivered */
    bool no_intel_pending;        /* complete: no intelligence item is `pending` on PND */
    bool assessment_signed;       /* remain, request_transfer: sia and sio signed the same
                                     reassessment */
    bool sio_agrees_transfer;     /* request_transfer: the threat's SIO has recorded its
                                     agreement to the transfer (agree_transfer) on the
                                     reassessment both signed, whatever it recommends */
    bool transfer_accept;         /* decide_transfer: true accept, false decline */
    bool new_owner_given;         /* decide_transfer accept: a new owning agency is named */
    bool new_sio_given;           /* decide_transfer accept: its SIO is named */
    bool new_owner_can_own;       /* decide_transfer accept: the new owner is not TOEX (TOEX
                                     never owns risk) */
    bool new_owner_differs;       /* decide_transfer accept: the new owner is not the current
                                     owner */
    bool new_owner_in_region;     /* decide_transfer accept by ttcg: the new owner is in the
                                     TTCG's region (the owner's; for a national owner the bid's:
                                     its ROCU or one of its forces) */
    bool new_sio_of_new_owner;    /* decide_transfer accept: the SIO belongs to the new owner
                                     (for a ROCU owner: the ROCU or a force of its region) */
    /* agree_tor, the latest version's data (after the flags above, so that a positional
       initialiser of those stays valid; the zero values say "not given" / "not agreed"): */
    int64_t tor_latest_version;   /* the latest proposed version (for messages) */
    int64_t tor_version_asked;    /* the version the actor says it agrees; 0: the latest */
    bool tor_sia_agreed;          /* the SIA has already agreed the latest version */
    bool tor_sio_agreed;          /* the SIO has already agreed the latest version */
    /* decide_transfer accept: the new SIO named does not hold the sio role (false: it does,
       or no SIO was named), so the refusal names the role (issue 13 point 5) */
    bool new_sio_lacks_role;
    /* accept: the SIA named is disabled, so the refusal says so (review 49) */
    bool sia_disabled;
    /* complete, remain, request_transfer: the references of the items still pending on PND
       (comma-separated) when no_intel_pending is false, for the refusal; NULL otherwise */
    const char *pending_items;
    /* agree_transfer: the threat's SIO has not yet agreed to the transfer on the reassessment
       both signed (it agrees once to each; review 113 M1) */
    bool transfer_agreement_open;
    /* submit: the bid carries a threat assessment (domain.md §7: "The bid carries an
       assessment"; a draft may lack it: review 113 M2) */
    bool bid_has_assessment;
} lifecycle_facts;

/* Precondition ids: which check of lifecycle_facts a rule applies after role and relation. */
typedef enum iom_lifecycle_pre {
    IOM_PRE_NONE,
    IOM_PRE_REASON,            /* reason_given */
    IOM_PRE_BID_READY,         /* threat_has_sio, bid_has_assessment */
    IOM_PRE_SIA_ALLOCATED,     /* sia_given, sia_eligible */
    IOM_PRE_TOR_AGREEMENT,     /* tor_version_exists; the version asked is the latest; the
                                  actor's side (sia or sio) has not agreed it yet; moves on
                                  only if both have agreed then, otherwise stays (not an
                                  error) */
    IOM_PRE_TOR_VERSION,       /* as tor_agreement, but always stays */
    IOM_PRE_DEVELOPMENT_DONE,  /* tor_products_delivered, no_intel_pending */
    IOM_PRE_ASSESSMENT_SIGNED, /* assessment_signed, no_intel_pending (the PND gate holds to
                                  the end: remain closes the tasking) */
    IOM_PRE_TRANSFER_REQUEST,  /* reason_given, assessment_signed, sio_agrees_transfer,
                                  no_intel_pending */
    IOM_PRE_DECISION_TTCG,     /* reason_given; on accept the new owner checks including
                                  new_owner_in_region */
    IOM_PRE_DECISION_FTT,      /* reason_given; on accept the new owner checks (any owner) */
    IOM_PRE_TRANSFER_AGREEMENT, /* assessment_signed, transfer_agreement_open; stays */
    IOM_PRE_COUNT
} iom_lifecycle_pre;

/* One actor kind allowed by a rule: a role, plus relations of which at least one is needed
 * (rels_any == 0: the role alone suffices, as for toex_manager and ftt). */
typedef struct lifecycle_grant {
    iom_role role;
    iom_tasking_rels rels_any;
} lifecycle_grant;

#define LIFECYCLE_MAX_GRANTS 5

/* One row of the transition table. next == from for actions that stay in the state. */
typedef struct lifecycle_rule {
    iom_tasking_state from;
    iom_tasking_action action;
    lifecycle_grant grants[LIFECYCLE_MAX_GRANTS];
    unsigned n_grants;
    iom_lifecycle_pre pre;
    iom_tasking_state next;
} lifecycle_rule;

/* Exact words; static storage; "?" for an out-of-range value. */
const char *lifecycle_state_name(iom_tasking_state s);
const char *lifecycle_action_name(iom_tasking_action a);
const char *lifecycle_pre_name(iom_lifecycle_pre p);

/* Parse the exact word. IOM_EINVAL with the accepted words listed otherwise; *out untouched. */
iom_err lifecycle_state_parse(const char *s, iom_tasking_state *out, iom_error *e);
iom_err lifecycle_action_parse(const char *s, iom_tasking_action *out, iom_error *e);

/* closed, rejected, declined, withdrawn: ended states accept no action at all. */
bool lifecycle_state_ended(iom_tasking_state s);

/* The transition table (static storage, *n_out rows), for documentation and UI hints. */
const lifecycle_rule *lifecycle_rules(size_t *n_out);

/*
 * Decides whether `who` may take `action` on a tasking in state `from`, given `facts`.
 *   out_next: OUT, the state after the action (== from when the action stays). Written only
 *             on IOM_OK.
 *   out_role: OUT, optional (may be NULL): the role under which the action is allowed (the
 *             first granted role in the rule's order), for the audit entry. Only on IOM_OK.
 *   facts:    may be NULL (read as all false).
 *   e:        may be NULL; on failure receives the message.
 * Returns IOM_OK, IOM_ECONFLICT, IOM_EFORBIDDEN or IOM_EINVAL, in the order given at the top
 * of this file.
 */
iom_err lifecycle_decide(iom_tasking_state *out_next, iom_role *out_role, iom_tasking_state from,
                         iom_tasking_action action, const lifecycle_actor *who,
                         const lifecycle_facts *facts, iom_error *e);

/*
 * Supplies the facts for lifecycle_decide_gather. It is called once the state, the actor's
 * role and relation have passed, so that a wrong state or role is reported as such whatever
 * else is missing, and a caller reads the store for facts only for a move that may happen.
 *   granted: the role the rule grants the action under (as *out_role).
 *   out:     zeroed before the call.
 * Returns IOM_OK, or its own error (with its message already in the caller's error slot),
 * which lifecycle_decide_gather returns unchanged.
 */
typedef iom_err (*lifecycle_gather_fn)(void *data, iom_role granted, lifecycle_facts *out);

/*
 * lifecycle_decide, with the facts gathered only when they are needed: the one question a
 * use-case asks per action. Same outputs, same order of checks, with the gatherer's own
 * errors between step 3 (relation) and step 4 (inputs) of the list at the top.
 */
iom_err lifecycle_decide_gather(iom_tasking_state *out_next, iom_role *out_role,
                                iom_tasking_state from, iom_tasking_action action,
                                const lifecycle_actor *who, lifecycle_gather_fn gather,
                                void *data, iom_error *e);

/*
 * The actions `who` may attempt in state `from` by role and relation alone (preconditions
 * not considered), as a bit set (1u << iom_tasking_action). For UI hints and `tasking show`.
 */
unsigned lifecycle_allowed_actions(iom_tasking_state from, const lifecycle_actor *who);

/*
 * Whether `who` may take `action` in state `from` now: lifecycle_decide's steps 1-3 and the
 * rule's precondition over the tasking's facts (`facts`, NULL: all false), with what the
 * command itself supplies taken as given and valid (the reason or rationale, the SIA named
 * on accept, the ToR version asked: the latest, a transfer decision: decline). So an action
 * whose state facts refuse it (no SIO on the threat, the actor's side has already agreed the
 * ToR, a product undelivered, intelligence pending on PND, the reassessment unsigned) is
 * not open. For `tasking show` ("you may") and the `actions` of its JSON.
 */
bool lifecycle_action_open(iom_tasking_state from, iom_tasking_action action,
                           const lifecycle_actor *who, const lifecycle_facts *facts);
/* The same; when the role and relation allow the action but a precondition does not, *why
   (may be NULL) receives the rule's message (what the action waits for). */
bool lifecycle_action_open_why(iom_tasking_state from, iom_tasking_action action,
                               const lifecycle_actor *who, const lifecycle_facts *facts, iom_error *why);

/*
 * Who may set a tactical option's status (domain.md §8, review 84 M6): the TOEX team and
 * the SIA while the tasking's work is open (`record_option`, in tor_agreed, in_development and
 * reassessment, as lifecycle_decide says); and in every state, also after the tasking has
 * ended, the spoc or sio of the agency named on the option (`of_option_agency`: it carries
 * the option out) and the threat's SIO (IOM_REL_THREAT_SIO in who->rels: they hold the risk).
 * Need-to-know is the caller's: it is checked before (an option the actor may not read is
 * not found). *out_role (may be NULL) receives the granting role on IOM_OK.
 * Returns IOM_OK; IOM_ECONFLICT when only the state refuses (a team member or the SIA once the
 * work is over); IOM_EFORBIDDEN otherwise. The message states the whole rule.
 */
/*
 * Setting an intelligence item's PND status (recorded, not_required): while the work is open,
 * who may record_intel (lifecycle_decide); once the tasking has ended, the same people (its SIA,
 * the members of its TOEX team), so that what TOEX gathered is still recorded on PND when the
 * requester withdraws the tasking part-way (review 100 M1: the items stayed pending for good).
 * Nothing else of an ended tasking changes. *out_role (may be NULL)
 * receives the granting role. IOM_OK, IOM_ECONFLICT when only the state refuses (before the
 * work opened), IOM_EFORBIDDEN otherwise; the message states the whole rule.
 */
iom_err lifecycle_pnd_may(iom_tasking_state from, const lifecycle_actor *who, iom_role *out_role,
                          iom_error *e);

iom_err lifecycle_option_status_may(iom_tasking_state from, const lifecycle_actor *who,
                                    bool of_option_agency, iom_role *out_role, iom_error *e);

#endif
