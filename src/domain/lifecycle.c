#include "domain/lifecycle.h"

#include "util/words.h"

#include <stdio.h>
#include <string.h>

static const char *const state_names[IOM_TS_COUNT] = {
    "draft",       "submitted",      "returned",     "forwarded",          "accepted",
    "tor_agreed",  "in_development", "reassessment", "transfer_requested", "escalated_ftt",
    "closed",      "rejected",       "declined",     "withdrawn",
};

static const char *const action_names[IOM_TA_COUNT] = {
    "submit",   "forward",    "return",       "reject",        "accept",
    "decline",  "propose_tor", "agree_tor",   "start",         "complete",
    "reassess", "remain",     "request_transfer", "escalate",  "decide_transfer",
    "withdraw", "assign",     "unassign",     "contribute",    "record_intel",
    "record_option", "record_product", "agree_transfer",
};

static const char *const pre_names[IOM_PRE_COUNT] = {
    "none",           "reason",           "bid_ready",         "sia_allocated",
    "tor_agreement",  "tor_version",      "development_done",  "assessment_signed",
    "transfer_request", "decision_ttcg",  "decision_ftt",  "transfer_agreement",
};

/* Shorthands for the table only. */
#define G(role, rels) {IOM_ROLE_##role, (rels)}
#define REQ IOM_REL_REQUESTING
#define REQ_REGION IOM_REL_REQUESTING_REGION
#define OWN_REGION IOM_REL_OWNER_REGION
#define TEAM IOM_REL_ASSIGNED
#define SIA_OF IOM_REL_TASKING_SIA
#define SIO_OF IOM_REL_THREAT_SIO
#define S(x) IOM_TS_##x
#define A(x) IOM_TA_##x
#define P(x) IOM_PRE_##x

/* The allocated SIA, or the threat's SIO (ToR agreement and reassessment are joint acts). */
#define SIA_SIO {G(SIA, SIA_OF), G(SIO, SIO_OF)}, 2
/* withdraw: the spoc or sio of the requesting agency (its bid: domain.md §1), and the threat's
   SIO, the bid's SIO, who holds the risk (domain.md §3: the sio "holds the risk; ... withdraws"),
   from every state that has not ended. Not any other officer of the threat's owner when another
   agency made the bid (review 113 L1: the owner's spoc withdrew another agency's bid, which had
   no say); but the threat's SIO may, or another agency's bid, even a draft never sent, held the
   owner's threat without end (review 117 M2: one open tasking per threat). */
#define WITHDRAW(st) {S(st), A(WITHDRAW), {G(SPOC, REQ), G(SIO, REQ | SIO_OF)}, 2, P(REASON), S(WITHDRAWN)}
/* Team and work steps, allowed in tor_agreed, in_development and reassessment (§1). */
#define ASSIGNERS {G(TOEX_MANAGER, 0), G(SIA, SIA_OF)}, 2
#define WORKERS                                                                           \
    {G(SIA, SIA_OF | TEAM), G(ANALYST, TEAM), G(IDO, TEAM), G(DIA, TEAM),                \
     G(RESEARCHER, TEAM)}, 5
#define WORK(st)                                                                          \
    {S(st), A(ASSIGN), ASSIGNERS, P(NONE), S(st)},                                        \
    {S(st), A(UNASSIGN), ASSIGNERS, P(NONE), S(st)},                                      \
    {S(st), A(CONTRIBUTE), WORKERS, P(NONE), S(st)},                                      \
    {S(st), A(RECORD_INTEL), WORKERS, P(NONE), S(st)},                                    \
    {S(st), A(RECORD_OPTION), WORKERS, P(NONE), S(st)},                                   \
    {S(st), A(RECORD_PRODUCT), WORKERS, P(NONE), S(st)}

/*
 * THE transition table (domain.md §1, "States and actions"). One row per (state, action).
 * A ToR changed after agreement is a new version both must agree again while the tasking
 * stays where it is (propose_tor/agree_tor also in tor_agreed and in_development); not in
 * reassessment, where development is over and a new product could not be delivered.
 */
static const lifecycle_rule rules[] = {
    {S(DRAFT), A(SUBMIT), {G(SPOC, REQ)}, 1, P(BID_READY), S(SUBMITTED)},
    WITHDRAW(DRAFT),

    {S(SUBMITTED), A(FORWARD), {G(GATEWAY, REQ_REGION)}, 1, P(NONE), S(FORWARDED)},
    {S(SUBMITTED), A(RETURN), {G(GATEWAY, REQ_REGION)}, 1, P(REASON), S(RETURNED)},
    {S(SUBMITTED), A(REJECT), {G(GATEWAY, REQ_REGION)}, 1, P(REASON), S(REJECTED)},
    WITHDRAW(SUBMITTED),

    {S(RETURNED), A(SUBMIT), {G(SPOC, REQ)}, 1, P(BID_READY), S(SUBMITTED)},
    WITHDRAW(RETURNED),

    {S(FORWARDED), A(ACCEPT), {G(TOEX_MANAGER, 0)}, 1, P(SIA_ALLOCATED), S(ACCEPTED)},
    {S(FORWARDED), A(DECLINE), {G(TOEX_MANAGER, 0)}, 1, P(REASON), S(DECLINED)},
    WITHDRAW(FORWARDED),

    {S(ACCEPTED), A(PROPOSE_TOR), {G(SIA, SIA_OF)}, 1, P(NONE), S(ACCEPTED)},
    {S(ACCEPTED), A(AGREE_TOR), SIA_SIO, P(TOR_AGREEMENT), S(TOR_AGREED)},
    /* an SIA reallocated since acceptance leaves the team at once (review 84 L12: the former
       SIA kept the tasking's content until tor_agreed); the team is not built before then */
    {S(ACCEPTED), A(UNASSIGN), ASSIGNERS, P(NONE), S(ACCEPTED)},
    WITHDRAW(ACCEPTED),

    {S(TOR_AGREED), A(START), {G(SIA, SIA_OF)}, 1, P(NONE), S(IN_DEVELOPMENT)},
    {S(TOR_AGREED), A(PROPOSE_TOR), {G(SIA, SIA_OF)}, 1, P(NONE), S(TOR_AGREED)},
    {S(TOR_AGREED), A(AGREE_TOR), SIA_SIO, P(TOR_VERSION), S(TOR_AGREED)},
    WORK(TOR_AGREED),
    WITHDRAW(TOR_AGREED),

    {S(IN_DEVELOPMENT), A(COMPLETE), {G(SIA, SIA_OF)}, 1, P(DEVELOPMENT_DONE), S(REASSESSMENT)},
    {S(IN_DEVELOPMENT), A(PROPOSE_TOR), {G(SIA, SIA_OF)}, 1, P(NONE), S(IN_DEVELOPMENT)},
    {S(IN_DEVELOPMENT), A(AGREE_TOR), SIA_SIO, P(TOR_VERSION), S(IN_DEVELOPMENT)},
    WORK(IN_DEVELOPMENT),
    WITHDRAW(IN_DEVELOPMENT),

    {S(REASSESSMENT), A(REASSESS), SIA_SIO, P(NONE), S(REASSESSMENT)},
    {S(REASSESSMENT), A(REMAIN), {G(SIO, SIO_OF)}, 1, P(ASSESSMENT_SIGNED), S(CLOSED)},
    /* the SIO who holds the risk agrees to hand it on (review 113 M1: read off the
       recommendation before, so a "remain" could never be transferred and a signature of the
       facts counted as consent) */
    {S(REASSESSMENT), A(AGREE_TRANSFER), {G(SIO, SIO_OF)}, 1, P(TRANSFER_AGREEMENT), S(REASSESSMENT)},
    {S(REASSESSMENT), A(REQUEST_TRANSFER), {G(SIA, SIA_OF)}, 1, P(TRANSFER_REQUEST),
     S(TRANSFER_REQUESTED)},
    WORK(REASSESSMENT),
    WITHDRAW(REASSESSMENT),

    {S(TRANSFER_REQUESTED), A(DECIDE_TRANSFER), {G(TTCG, OWN_REGION)}, 1, P(DECISION_TTCG),
     S(CLOSED)},
    {S(TRANSFER_REQUESTED), A(ESCALATE), {G(TTCG, OWN_REGION)}, 1, P(REASON), S(ESCALATED_FTT)},
    /* as in accepted: a reallocation is allowed until the tasking ends, and so is taking a
       former SIA (or anyone) off the team (review 84 L12) */
    {S(TRANSFER_REQUESTED), A(UNASSIGN), ASSIGNERS, P(NONE), S(TRANSFER_REQUESTED)},
    WITHDRAW(TRANSFER_REQUESTED),

    {S(ESCALATED_FTT), A(DECIDE_TRANSFER), {G(FTT, 0)}, 1, P(DECISION_FTT), S(CLOSED)},
    {S(ESCALATED_FTT), A(UNASSIGN), ASSIGNERS, P(NONE), S(ESCALATED_FTT)},
    WITHDRAW(ESCALATED_FTT),
};

#define N_RULES (sizeof rules / sizeof rules[0])

const char *lifecycle_state_name(iom_tasking_state s)
{
    return (unsigned)s < IOM_TS_COUNT ? state_names[s] : "?";
}

const char *lifecycle_action_name(iom_tasking_action a)
{
    return (unsigned)a < IOM_TA_COUNT ? action_names[a] : "?";
}

const char *lifecycle_pre_name(iom_lifecycle_pre p)
{
    return (unsigned)p < IOM_PRE_COUNT ? pre_names[p] : "?";
}

iom_err lifecycle_state_parse(const char *s, iom_tasking_state *out, iom_error *e)
{
    int i = 0;
    iom_err rc = iom_word_parse("state", s, state_names, IOM_TS_COUNT, &i, e);
    if (rc == IOM_OK)
        *out = (iom_tasking_state)i;
    return rc;
}

iom_err lifecycle_action_parse(const char *s, iom_tasking_action *out, iom_error *e)
{
    int i = 0;
    iom_err rc = iom_word_parse("action", s, action_names, IOM_TA_COUNT, &i, e);
    if (rc == IOM_OK)
        *out = (iom_tasking_action)i;
    return rc;
}

bool lifecycle_state_ended(iom_tasking_state s)
{
    return s == IOM_TS_CLOSED || s == IOM_TS_REJECTED || s == IOM_TS_DECLINED ||
           s == IOM_TS_WITHDRAWN;
}

const lifecycle_rule *lifecycle_rules(size_t *n_out)
{
    if (n_out)
        *n_out = N_RULES;
    return rules;
}

static const lifecycle_rule *find_rule(iom_tasking_state from, iom_tasking_action action)
{
    for (size_t i = 0; i < N_RULES; i++)
        if (rules[i].from == from && rules[i].action == action)
            return &rules[i];
    return NULL;
}

/* Human words for a relation requirement, for messages. */
static const char *rels_text(iom_tasking_rels r)
{
    switch (r) {
    case 0: return "any tasking";
    case IOM_REL_REQUESTING: return "the requesting agency";
    case IOM_REL_OWNING: return "the owning agency";
    case IOM_REL_REQUESTING_REGION: return "the requesting agency's region";
    case IOM_REL_OWNER_REGION: return "the owner's region, or the bid's for a national owner";
    case IOM_REL_ASSIGNED: return "the tasking's assigned team";
    case IOM_REL_TASKING_SIA: return "the tasking as its allocated SIA";
    case IOM_REL_THREAT_SIO: return "the threat as its SIO";
    case IOM_REL_REQUESTING | IOM_REL_OWNING: return "the requesting agency or the threat's owner";
    case IOM_REL_REQUESTING | IOM_REL_THREAT_SIO: return "the requesting agency, or the threat as its SIO";
    case IOM_REL_TASKING_SIA | IOM_REL_ASSIGNED:
        return "the tasking as its allocated SIA or assigned team";
    default: return "the tasking";
    }
}

/* "spoc (the requesting agency) or sio (the requesting agency)"; a role granted whatever the
   relation is named by the body it is (review 113 L8: "ftt (any tasking)" for the Federated
   Tasking Team, "toex_manager (any tasking)" for the TOEX managers, who see every tasking that
   reached TOEX). */
static void grants_text(const lifecycle_rule *r, char *buf, size_t n)
{
    size_t j = 0;
    buf[0] = '\0';
    for (unsigned i = 0; i < r->n_grants && j < n; i++) {
        const lifecycle_grant *g = &r->grants[i];
        const char *sep = i ? " or " : "";
        if (g->rels_any == 0 && g->role == IOM_ROLE_FTT)
            j += (size_t)snprintf(buf + j, n - j, "%sthe Federated Tasking Team (ftt)", sep);
        else if (g->rels_any == 0 && g->role == IOM_ROLE_TOEX_MANAGER)
            j += (size_t)snprintf(buf + j, n - j, "%sa TOEX manager (toex_manager)", sep);
        else
            j += (size_t)snprintf(buf + j, n - j, "%s%s (%s)", sep, iom_role_name(g->role),
                                  rels_text(g->rels_any));
    }
}

static void roles_text(iom_roles roles, char *buf, size_t n)
{
    size_t j = 0;
    buf[0] = '\0';
    for (int i = 0; i < IOM_ROLE_COUNT && j < n; i++)
        if (iom_roles_has(roles, (iom_role)i))
            j += (size_t)snprintf(buf + j, n - j, "%s%s", j ? "," : "", iom_role_name((iom_role)i));
    if (j == 0)
        snprintf(buf, n, "none");
}

static void states_for_action(iom_tasking_action action, char *buf, size_t n)
{
    size_t j = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < N_RULES && j < n; i++)
        if (rules[i].action == action)
            j += (size_t)snprintf(buf + j, n - j, "%s%s", j ? ", " : "",
                                  state_names[rules[i].from]);
}

/* Role check then relation check; on success *role_out is the granting role. */
static iom_err check_actor(const lifecycle_rule *r, const lifecycle_actor *who, iom_role *role_out,
                           iom_error *e)
{
    iom_roles roles = who ? who->roles : 0;
    iom_tasking_rels rels = who ? who->rels : 0;
    bool role_ok = false;
    for (unsigned i = 0; i < r->n_grants; i++) {
        const lifecycle_grant *g = &r->grants[i];
        if (!iom_roles_has(roles, g->role))
            continue;
        role_ok = true;
        if (g->rels_any == 0 || (rels & g->rels_any) != 0) {
            *role_out = g->role;
            return IOM_OK;
        }
    }
    char need[256], have[200];
    grants_text(r, need, sizeof need);
    roles_text(roles, have, sizeof have);
    const char *st = state_names[r->from], *ac = action_names[r->action];
    if (!role_ok)
        return iom_fail(e, IOM_EFORBIDDEN,
                        "action '%s' in state '%s': role not allowed (actor roles: %s); rule: "
                        "only %s may %s",
                        ac, st, have, need, ac);
    return iom_fail(e, IOM_EFORBIDDEN,
                    "action '%s' in state '%s': the actor's role is allowed but not its relation "
                    "to this tasking; rule: only %s may %s",
                    ac, st, need, ac);
}

#define FAIL(code, ...) return iom_fail(e, code, __VA_ARGS__)

/* The new-owner checks of an accepted transfer decision (§1: ownership changes). */
static iom_err check_new_owner(const char *st, const char *ac, bool by_ttcg,
                               const lifecycle_facts *f, iom_error *e)
{
    if (!f->new_owner_given)
        FAIL(IOM_EINVAL, "action '%s' in state '%s': new owner missing; rule: an ownership "
                         "change names the new owner and its SIO in the same step", ac, st);
    if (!f->new_sio_given)
        FAIL(IOM_EINVAL, "action '%s' in state '%s': new SIO missing; rule: an ownership change "
                         "names the new owner and its SIO in the same step", ac, st);
    if (!f->new_owner_can_own)
        FAIL(IOM_EINVAL, "action '%s' in state '%s': new owner is TOEX; rule: TOEX cannot own "
                         "risk and is never the owner of a threat", ac, st);
    if (!f->new_owner_differs)
        FAIL(IOM_EINVAL, "action '%s' in state '%s': new owner is the current owner; rule: an "
                         "accepted transfer moves ownership to another owner (decline instead)",
             ac, st);
    if (by_ttcg && !f->new_owner_in_region)
        FAIL(IOM_EFORBIDDEN, "action '%s' in state '%s': new owner is outside the TTCG's "
                             "region (the owner's, or the bid's for a national owner); rule: a "
                             "TTCG moves ownership only within its region (its ROCU or one of its "
                             "forces), otherwise it escalates to the FTT",
             ac, st);
    if (f->new_sio_lacks_role)
        FAIL(IOM_EINVAL, "action '%s' in state '%s': the new SIO does not hold the sio role; rule: "
                         "the risk passes to a Senior Investigating Officer (role sio) of the new "
                         "owner", ac, st);
    if (!f->new_sio_of_new_owner)
        FAIL(IOM_EINVAL, "action '%s' in state '%s': new SIO does not belong to the new owner; "
                         "rule: the SIO belongs to the threat's owner (for a ROCU owner: the "
                         "ROCU or a force of its region)", ac, st);
    return IOM_OK;
}

/* docs/domain.md §4: no intelligence item of the tasking may stay pending on PND, from
   reassessment to the end (complete, remain, request_transfer); the refusal names them. */
static iom_err pnd_gate(const char *st, const char *ac, const char *when, const lifecycle_facts *f,
                        iom_error *e)
{
    if (f->no_intel_pending)
        return IOM_OK;
    return iom_fail(e, IOM_ECONFLICT,
                    "action '%s' in state '%s': intelligence still pending on PND%s%s; rule: all "
                    "available intelligence is recorded on PND %s", ac, st,
                    f->pending_items ? ": " : "", f->pending_items ? f->pending_items : "", when);
}

static iom_err need_reason(const char *st, const char *ac, const lifecycle_facts *f, iom_error *e)
{
    if (!f->reason_given)
        FAIL(IOM_EINVAL, "action '%s' in state '%s': reason missing; rule: '%s' must give a "
                         "reason (what is missing, why, or the rationale of the decision)",
             ac, st, ac);
    return IOM_OK;
}

/* agree_tor: the latest version, not yet agreed by the actor's side; moves on only when the
   other side has agreed it too (and never under IOM_PRE_TOR_VERSION). */
static iom_err check_tor_agreement(const lifecycle_rule *r, iom_role role,
                                   const lifecycle_facts *f, iom_tasking_state *next, iom_error *e)
{
    const char *st = state_names[r->from], *ac = action_names[r->action];
    if (!f->tor_version_exists)
        FAIL(IOM_ECONFLICT, "action '%s' in state '%s': no such ToR version proposed; "
                            "rule: the SIA proposes a ToR version before it is agreed", ac, st);
    if (f->tor_version_asked && f->tor_version_asked != f->tor_latest_version)
        FAIL(IOM_ECONFLICT, "version: %lld is not the latest terms of reference (version %lld); "
                            "agree the latest",
             (long long)f->tor_version_asked, (long long)f->tor_latest_version);
    bool sia = role == IOM_ROLE_SIA;
    if (sia ? f->tor_sia_agreed : f->tor_sio_agreed)
        FAIL(IOM_ECONFLICT, "agree: the %s has already agreed version %lld", iom_role_name(role),
             (long long)f->tor_latest_version);
    bool both = f->tor_both_agreed || (sia ? f->tor_sio_agreed : f->tor_sia_agreed);
    if (r->pre == IOM_PRE_TOR_VERSION || !both)
        *next = r->from;
    return IOM_OK;
}

/* Applies r->pre for an actor granted `role`. May change *next (agree_tor before both have
   agreed stays). */
static iom_err check_pre(const lifecycle_rule *r, iom_role role, const lifecycle_facts *f,
                         iom_tasking_state *next, iom_error *e)
{
    const char *st = state_names[r->from], *ac = action_names[r->action];
    iom_err rc;
    switch (r->pre) {
    case IOM_PRE_NONE:
        return IOM_OK;
    case IOM_PRE_REASON:
        return need_reason(st, ac, f, e);
    case IOM_PRE_BID_READY:
        if (!f->threat_has_sio)
            FAIL(IOM_ECONFLICT, "action '%s' in state '%s': the threat has no SIO; rule: an "
                                "SIO is assigned before a bid is made", ac, st);
        if (!f->bid_has_assessment)
            FAIL(IOM_ECONFLICT, "action '%s' in state '%s': the bid carries no threat assessment; "
                                "rule: a bid is submitted with its assessment (harm, scale, "
                                "likelihood, confidence, the owner's capacity and capability: "
                                "domain.md section 7); add it with tasking edit (its assessment)",
                 ac, st);
        return IOM_OK;
    case IOM_PRE_SIA_ALLOCATED:
        if (!f->sia_given)
            FAIL(IOM_EINVAL, "action '%s' in state '%s': sia missing; rule: accepting a bid "
                             "allocates a Senior Intelligence Analyst", ac, st);
        if (!f->sia_eligible && f->sia_disabled)
            FAIL(IOM_EINVAL, "action '%s' in state '%s': the named sia is disabled; rule: the "
                             "allocated SIA is an enabled TOEX Senior Intelligence Analyst", ac, st);
        if (!f->sia_eligible)
            FAIL(IOM_EINVAL, "action '%s' in state '%s': the named sia does not hold role sia "
                             "at TOEX; rule: the allocated SIA is a TOEX Senior Intelligence "
                             "Analyst", ac, st);
        return IOM_OK;
    case IOM_PRE_TOR_AGREEMENT:
    case IOM_PRE_TOR_VERSION:
        return check_tor_agreement(r, role, f, next, e);
    case IOM_PRE_DEVELOPMENT_DONE:
        if (!f->tor_products_delivered)
            FAIL(IOM_ECONFLICT, "action '%s' in state '%s': a ToR product is not delivered; "
                                "rule: development completes only when every ToR product is "
                                "delivered", ac, st);
        return pnd_gate(st, ac, "before reassessment", f, e);
    case IOM_PRE_ASSESSMENT_SIGNED:
        if (!f->assessment_signed)
            FAIL(IOM_ECONFLICT, "action '%s' in state '%s': the reassessment is not signed by "
                                "both; rule: sia and sio sign the same assessment first", ac, st);
        return pnd_gate(st, ac, "before the tasking closes", f, e);
    case IOM_PRE_TRANSFER_REQUEST:
        if ((rc = need_reason(st, ac, f, e)) != IOM_OK)
            return rc;
        if (!f->assessment_signed)
            FAIL(IOM_ECONFLICT, "action '%s' in state '%s': the reassessment is not signed by "
                                "both; rule: sia and sio sign the same assessment first", ac, st);
        if (!f->sio_agrees_transfer)
            FAIL(IOM_ECONFLICT, "action '%s' in state '%s': the SIO has not agreed to the "
                                "transfer; rule: the sia requests a transfer only with the sio's "
                                "agreement, recorded by the threat's SIO (agree_transfer: iom "
                                "transfer agree REF) on the reassessment both signed, whatever "
                                "it recommends", ac, st);
        /* to the TTCG (of the owner's region, or of the bid's for a national owner), which
           decides or escalates to the FTT: never straight to the FTT (review 113 L2) */
        return pnd_gate(st, ac, "before the risk is handed on", f, e);
    case IOM_PRE_TRANSFER_AGREEMENT:
        if (!f->assessment_signed)
            FAIL(IOM_ECONFLICT, "action '%s' in state '%s': the reassessment is not signed by "
                                "both; rule: the sio agrees to a transfer on the reassessment the "
                                "sia and the sio both signed", ac, st);
        if (!f->transfer_agreement_open)
            FAIL(IOM_ECONFLICT, "action '%s' in state '%s': the SIO has already agreed to the "
                                "transfer on this reassessment; rule: the sio agrees once to each "
                                "signed reassessment (a new one clears it)", ac, st);
        return IOM_OK;
    case IOM_PRE_DECISION_TTCG:
    case IOM_PRE_DECISION_FTT:
        if ((rc = need_reason(st, ac, f, e)) != IOM_OK)
            return rc;
        if (!f->transfer_accept)
            return IOM_OK;
        return check_new_owner(st, ac, r->pre == IOM_PRE_DECISION_TTCG, f, e);
    case IOM_PRE_COUNT:
        break;
    }
    FAIL(IOM_EINVAL, "action '%s' in state '%s': unknown precondition %d", ac, st, (int)r->pre);
}

/* Steps 1-3 of lifecycle.h: the rule for (from, action) and the role granted under it. */
static iom_err find_grant(const lifecycle_rule **out, iom_role *role, iom_tasking_state from,
                          iom_tasking_action action, const lifecycle_actor *who, iom_error *e)
{
    if ((unsigned)from >= IOM_TS_COUNT)
        FAIL(IOM_EINVAL, "state: %d is not a tasking state", (int)from);
    if ((unsigned)action >= IOM_TA_COUNT)
        FAIL(IOM_EINVAL, "action: %d is not a tasking action", (int)action);
    const char *st = state_names[from], *ac = action_names[action];
    if (lifecycle_state_ended(from))
        FAIL(IOM_ECONFLICT, "action '%s' in state '%s': the tasking has ended; rule: ended "
                            "taskings (closed, rejected, declined, withdrawn) accept nothing",
             ac, st);
    const lifecycle_rule *r = find_rule(from, action);
    if (!r) {
        char allowed[400];
        states_for_action(action, allowed, sizeof allowed);
        FAIL(IOM_ECONFLICT, "action '%s' in state '%s': not allowed in this state; rule: '%s' "
                            "is allowed only from: %s", ac, st, ac, allowed);
    }
    *out = r;
    return check_actor(r, who, role, e);
}

/* Steps 4-5: the rule's precondition over the facts; the outputs on success. */
static iom_err finish(const lifecycle_rule *r, iom_role role, const lifecycle_facts *facts,
                      iom_tasking_state *out_next, iom_role *out_role, iom_error *e)
{
    iom_tasking_state next = r->next;
    iom_err rc = check_pre(r, role, facts, &next, e);
    if (rc != IOM_OK)
        return rc;
    *out_next = next;
    if (out_role)
        *out_role = role;
    return IOM_OK;
}

iom_err lifecycle_decide(iom_tasking_state *out_next, iom_role *out_role, iom_tasking_state from,
                         iom_tasking_action action, const lifecycle_actor *who,
                         const lifecycle_facts *facts, iom_error *e)
{
    static const lifecycle_facts none;
    const lifecycle_rule *r = NULL;
    iom_role role = IOM_ROLE_COUNT;
    iom_err rc = find_grant(&r, &role, from, action, who, e);
    if (rc != IOM_OK)
        return rc;
    return finish(r, role, facts ? facts : &none, out_next, out_role, e);
}

iom_err lifecycle_decide_gather(iom_tasking_state *out_next, iom_role *out_role,
                                iom_tasking_state from, iom_tasking_action action,
                                const lifecycle_actor *who, lifecycle_gather_fn gather,
                                void *data, iom_error *e)
{
    const lifecycle_rule *r = NULL;
    iom_role role = IOM_ROLE_COUNT;
    iom_err rc = find_grant(&r, &role, from, action, who, e);
    if (rc != IOM_OK)
        return rc;
    lifecycle_facts facts = {0};
    if (gather && (rc = gather(data, role, &facts)) != IOM_OK)
        return rc;
    return finish(r, role, &facts, out_next, out_role, e);
}

unsigned lifecycle_allowed_actions(iom_tasking_state from, const lifecycle_actor *who)
{
    unsigned set = 0;
    for (size_t i = 0; i < N_RULES; i++) {
        iom_role role;
        if (rules[i].from == from && check_actor(&rules[i], who, &role, NULL) == IOM_OK)
            set |= 1u << rules[i].action;
    }
    return set;
}

bool lifecycle_action_open(iom_tasking_state from, iom_tasking_action action,
                           const lifecycle_actor *who, const lifecycle_facts *facts)
{
    return lifecycle_action_open_why(from, action, who, facts, NULL);
}

bool lifecycle_action_open_why(iom_tasking_state from, iom_tasking_action action,
                               const lifecycle_actor *who, const lifecycle_facts *facts, iom_error *why)
{
    const lifecycle_rule *r = NULL;
    iom_role role = IOM_ROLE_COUNT;
    if (find_grant(&r, &role, from, action, who, NULL) != IOM_OK)
        return false;
    lifecycle_facts f = {0};
    if (facts)
        f = *facts;
    /* what the command supplies */
    f.reason_given = true;
    f.sia_given = f.sia_eligible = true;
    f.tor_version_asked = 0;
    f.transfer_accept = false;
    iom_tasking_state next = from;
    return check_pre(r, role, &f, &next, why) == IOM_OK;
}

iom_err lifecycle_pnd_may(iom_tasking_state from, const lifecycle_actor *who, iom_role *out_role,
                          iom_error *e)
{
    static const char rule[] =
        "rule: the TOEX team and the SIA set an item's PND status while the tasking is in "
        "tor_agreed, in_development or reassessment, and once it has ended, so that all it "
        "gathered is recorded on PND";
    if (!lifecycle_state_ended(from)) {
        iom_tasking_state next;
        iom_role role;
        iom_error why = {0};
        lifecycle_facts facts = {0};
        iom_err err = lifecycle_decide(&next, &role, from, IOM_TA_RECORD_INTEL, who, &facts, &why);
        if (!err && out_role)
            *out_role = role;
        if (err && e)
            *e = why;
        return err;
    }
    iom_roles roles = who ? who->roles : 0;
    iom_tasking_rels rels = who ? who->rels : 0;
    iom_role role;
    if (iom_roles_has(roles, IOM_ROLE_SIA) && (rels & (IOM_REL_TASKING_SIA | IOM_REL_ASSIGNED)))
        role = IOM_ROLE_SIA;
    else if ((rels & IOM_REL_ASSIGNED) &&
             (iom_roles_has(roles, IOM_ROLE_ANALYST) || iom_roles_has(roles, IOM_ROLE_IDO) ||
              iom_roles_has(roles, IOM_ROLE_DIA) || iom_roles_has(roles, IOM_ROLE_RESEARCHER)))
        role = iom_roles_has(roles, IOM_ROLE_ANALYST) ? IOM_ROLE_ANALYST
               : iom_roles_has(roles, IOM_ROLE_IDO)   ? IOM_ROLE_IDO
               : iom_roles_has(roles, IOM_ROLE_DIA)   ? IOM_ROLE_DIA
                                                      : IOM_ROLE_RESEARCHER;
    else
        FAIL(IOM_EFORBIDDEN, "action 'record_intel' (PND status) in state '%s': %s",
             state_names[(unsigned)from < IOM_TS_COUNT ? from : 0], rule);
    if (out_role)
        *out_role = role;
    return IOM_OK;
}

iom_err lifecycle_option_status_may(iom_tasking_state from, const lifecycle_actor *who,
                                    bool of_option_agency, iom_role *out_role, iom_error *e)
{
    static const char rule[] =
        "rule: the TOEX team and the SIA set a tactical option's status while the tasking is in "
        "tor_agreed, in_development or reassessment; the spoc or sio of the agency named on the "
        "option, and the threat's SIO, at any time, also after the tasking has ended";
    iom_tasking_state next;
    iom_role role = IOM_ROLE_COUNT;
    if (lifecycle_decide(&next, &role, from, IOM_TA_RECORD_OPTION, who, NULL, NULL) == IOM_OK)
        goto granted;
    iom_roles roles = who ? who->roles : 0;
    iom_tasking_rels rels = who ? who->rels : 0;
    if (iom_roles_has(roles, IOM_ROLE_SIO) && (rels & IOM_REL_THREAT_SIO)) {
        role = IOM_ROLE_SIO;
        goto granted;
    }
    if (of_option_agency && (iom_roles_has(roles, IOM_ROLE_SPOC) || iom_roles_has(roles, IOM_ROLE_SIO))) {
        role = iom_roles_has(roles, IOM_ROLE_SPOC) ? IOM_ROLE_SPOC : IOM_ROLE_SIO;
        goto granted;
    }
    /* a worker of this tasking refused only by the state: the work is over */
    if (lifecycle_decide(&next, &role, IOM_TS_IN_DEVELOPMENT, IOM_TA_RECORD_OPTION, who, NULL, NULL) ==
        IOM_OK)
        FAIL(IOM_ECONFLICT, "action 'record_option' in state '%s': the tasking's work is %s; %s",
             state_names[(unsigned)from < IOM_TS_COUNT ? from : 0],
             lifecycle_state_ended(from) ? "over (the tasking has ended)" : "not open", rule);
    char have[200];
    roles_text(roles, have, sizeof have);
    FAIL(IOM_EFORBIDDEN, "action 'record_option' in state '%s': neither on the tasking's team nor "
                         "of the option's agency nor the threat's SIO (actor roles: %s); %s",
         state_names[(unsigned)from < IOM_TS_COUNT ? from : 0], have, rule);
granted:
    if (out_role)
        *out_role = role;
    return IOM_OK;
}
