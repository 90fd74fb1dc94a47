/* The transitions without content of their own: facts, decision, effects (app/tasking.h). */
#include "app/tasking_int.h"

#include "app/calendar.h"

#include <string.h>

#include "app/audit.h"
#include "app/json.h"
#include "domain/ownership.h"
#include "domain/roles.h"
#include "store/picture_store.h"
#include "store/work_store.h"
#include "util/text.h"

#define REASON_MAX 4000

static bool nonblank(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return true;
    return false;
}

/* The type of a ToR product entry ("" when it has none). */
static const char *product_type_of(json_t *p)
{
    const char *type = json_string_value(json_object_get(p, "type"));
    return type ? type : "";
}

/* complete: every product of the ToR in force is delivered. A ToR may list several products
   of one type (an interim and a final network analysis): each needs a delivered product of its
   own (the APMIS report pairs them so), not one delivery for the type. */
static iom_err products_done(iom_ctx *c, const iom_tasking_t *t, bool *out)
{
    iom_tor_t tor;
    *out = false;
    iom_err err = tasking_tor_in_force(c, t, &tor);
    if (err == IOM_ENOTFOUND)
        return IOM_OK;
    if (err)
        return err;
    json_t *doc = json_loads(tor.content_json, 0, NULL);
    json_t *products = json_object_get(doc, "products");
    size_t i;
    json_t *p;
    bool all = true;
    json_array_foreach(products, i, p) {
        int64_t n = 0, need = 0;
        const char *type = product_type_of(p);
        size_t j;
        json_t *q;
        json_array_foreach(products, j, q) /* the ToR's products of this type */
            need += strcmp(product_type_of(q), type) == 0;
        if ((err = c->store->ops->work->products_delivered(c->store, t->id, type, &n, &c->err)))
            break;
        if (n < need)
            all = false;
    }
    json_decref(doc);
    *out = all;
    return err;
}

typedef struct act_state {
    iom_user_t sia;
    iom_tor_t tor;
    iom_assessment_t reassessment;
    bool has_reassessment;
    iom_transfer_t transfer;
    iom_agency_t new_owner;
    iom_user_t new_sio;
    const char *note;           /* what the event records beside the action (no reason given) */
} act_state;

/* Establishes the facts the rule of `action` needs, reading the store; the rules over them
   are the domain's (lifecycle_decide_gather calls this once role and relation have passed). */
/* The PND gate's facts: whether any current item of the tasking is pending, and which: the
   references of those marked at most `shown_to` (the reader's clearance), a count of the
   others (review 60: an OFFICIAL SIA was told of OFFICIAL-SENSITIVE items by reference, and a
   withdrawal's history, read by everyone who reads the tasking, named them). */
static iom_err pending_items(iom_ctx *c, const iom_tasking_t *t, iom_marking shown_to, lifecycle_facts *f)
{
    int64_t pending = 0;
    iom_err err = c->store->ops->work->intel_pending_count(c->store, t->id, &pending, &c->err);
    f->no_intel_pending = !err && pending == 0;
    if (err || pending == 0)
        return err;
    iom_intel_t *v;
    size_t n;
    if ((err = c->store->ops->work->intel_list(c->store, t->id, c->arena, &v, &n, &c->err)))
        return err;
    iom_buf b = IOM_BUF_INIT;
    long long shown = 0, more = 0, hidden = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i].pnd != IOM_PND_PENDING)
            continue;
        if (!iom_clearance_allows(shown_to, v[i].marking))
            hidden++;
        else if (shown++ < 20)
            iom_buf_printf(&b, "%s%s", b.len ? ", " : "", v[i].ref);
        else
            more++;
    }
    if (more)
        iom_buf_printf(&b, " and %lld more", more);
    if (hidden)
        iom_buf_printf(&b, "%s%lld item%s marked above %s (for a team member cleared for them)", b.len ? " and " : "",
                       hidden, hidden == 1 ? "" : "s", iom_marking_name(shown_to));
    f->pending_items = b.len ? iom_arena_strdup(c->arena, b.data) : NULL;
    iom_buf_free(&b);
    return IOM_OK;
}

static iom_err gather(iom_ctx *c, app_tasking_scope *sc, iom_tasking_action action,
                      const app_act_input *in, lifecycle_facts *f, act_state *st)
{
    iom_store *s = c->store;
    iom_tasking_t *t = &sc->t;
    iom_err err = IOM_OK;
    f->reason_given = nonblank(in->reason);
    f->threat_has_sio = t->threat_sio_id != 0;
    if (action == IOM_TA_SUBMIT) { /* the bid carries an assessment (a draft may lack it) */
        json_t *bid = json_loads(t->bid_json ? t->bid_json : "{}", 0, NULL);
        f->bid_has_assessment = json_is_object(json_object_get(bid, "assessment"));
        json_decref(bid);
    }
    if (action == IOM_TA_SUBMIT && f->threat_has_sio) {
        /* A disabled SIO no longer holds the risk: the threat needs a new SIO first. */
        iom_user_t sio;
        if ((err = s->ops->user_get(s, t->threat_sio, c->arena, &sio, &c->err)))
            return err;
        f->threat_has_sio = !sio.disabled;
    }
    switch (action) {
    case IOM_TA_ACCEPT:
        f->sia_given = in->sia && *in->sia;
        if (f->sia_given) {
            err = s->ops->user_get(s, in->sia, c->arena, &st->sia, &c->err);
            if (err == IOM_ENOTFOUND)
                return iom_fail(&c->err, IOM_EINVAL, "sia: '%s' is not a known user", in->sia);
            roles_user ru = {st->sia.name, st->sia.roles, st->sia.agency_kind, st->sia.disabled};
            f->sia_eligible = !err && roles_sia_eligible(&ru);
            f->sia_disabled = !err && st->sia.disabled;
            if (!err && f->sia_eligible && (err = tasking_sia_cleared(c, &st->sia, t)))
                return err;
        }
        break;
    case IOM_TA_AGREE_TOR: {
        err = TS(c)->tor_get(s, t->id, 0, c->arena, &st->tor, &c->err);
        if (err == IOM_ENOTFOUND) {
            iom_error_clear(&c->err);
            return IOM_OK; /* tor_version_exists stays false */
        }
        if (err)
            return err;
        f->tor_version_exists = true;
        f->tor_latest_version = st->tor.version;
        f->tor_version_asked = in->tor_version;
        /* An agreement counts only while its maker still holds the part: after the threat's
           SIO changed, the SIO who holds the risk now agrees again (and the SIA likewise). */
        f->tor_sia_agreed = st->tor.sia_agreed_by != 0 && st->tor.sia_agreed_by == t->sia_id;
        f->tor_sio_agreed = st->tor.sio_agreed_by != 0 && st->tor.sio_agreed_by == t->threat_sio_id;
        break;
    }
    case IOM_TA_COMPLETE: {
        if ((err = products_done(c, t, &f->tor_products_delivered)) ||
            (err = pending_items(c, t, c->actor.clearance, f)))
            return err;
        /* a change of the terms proposed during development and not agreed lapses with it: the
           history says so (review 100 L2: the proposal stayed as the tasking's ToR, as if a
           product were still to come) */
        iom_tor_t latest;
        int64_t agreed = 0;
        if (!(err = TS(c)->tor_get(s, t->id, 0, c->arena, &latest, &c->err)) &&
            !(err = TS(c)->tor_agreed_version(s, t->id, &agreed, &c->err)) && latest.version > agreed)
            st->note = iom_arena_printf(c->arena, "ToR version %lld was proposed and not agreed: it lapses; "
                                                  "version %lld stays in force",
                                        (long long)latest.version, (long long)agreed);
        if (err == IOM_ENOTFOUND) {
            iom_error_clear(&c->err);
            err = IOM_OK;
        }
        if (err)
            return err;
        break;
    }
    case IOM_TA_REMAIN:
    case IOM_TA_REQUEST_TRANSFER:
    case IOM_TA_AGREE_TRANSFER:
        if (action != IOM_TA_AGREE_TRANSFER && (err = pending_items(c, t, c->actor.clearance, f)))
            return err;
        err = TS(c)->assessment_latest(s, t->id, "reassessment", c->arena, &st->reassessment, &c->err);
        if (err == IOM_ENOTFOUND) {
            iom_error_clear(&c->err);
            return IOM_OK;
        }
        st->has_reassessment = !err;
        /* signed by the SIA and the SIO who hold the parts now (a signature of a former SIO
           does not carry the risk holder's agreement) */
        f->assessment_signed = !err && st->reassessment.sia_signed_by && st->reassessment.sio_signed_by &&
                               st->reassessment.sia_signed_by == t->sia_id &&
                               st->reassessment.sio_signed_by == t->threat_sio_id;
        /* the SIO's agreement is an act of its own (agree_transfer), whatever the reassessment
           recommends (a decision aid for the TTCG/FTT, never a gate: review 113 M1), and counts
           only while its maker holds the risk */
        f->sio_agrees_transfer = f->assessment_signed && st->reassessment.transfer_agreed_by &&
                                 st->reassessment.transfer_agreed_by == t->threat_sio_id;
        f->transfer_agreement_open = !f->sio_agrees_transfer;
        break;
    case IOM_TA_ESCALATE:
    case IOM_TA_DECIDE_TRANSFER:
        if ((err = TS(c)->transfer_latest(s, t->id, c->arena, &st->transfer, &c->err)))
            return err;
        if (action == IOM_TA_ESCALATE)
            break;
        f->transfer_accept = in->accept;
        if (!in->accept && ((in->new_owner && *in->new_owner) || (in->new_sio && *in->new_sio)))
            return iom_fail(&c->err, IOM_EINVAL,
                            "%s: a declined transfer names no new owner or SIO (the risk stays with "
                            "the owner); accept it to move the risk",
                            in->new_owner && *in->new_owner ? "new_owner" : "new_sio");
        if (!in->accept)
            break;
        f->new_owner_given = in->new_owner && *in->new_owner;
        f->new_sio_given = in->new_sio && *in->new_sio;
        if (f->new_owner_given) {
            err = s->ops->agency_get(s, in->new_owner, c->arena, &st->new_owner, &c->err);
            if (err == IOM_ENOTFOUND)
                return iom_fail(&c->err, IOM_EINVAL, "new_owner: '%s' is not a known agency code", in->new_owner);
            if (err)
                return err;
            own_agency o = {st->new_owner.code, st->new_owner.kind, st->new_owner.region, st->new_owner.disabled};
            iom_error ignore = {0};
            /* A disabled agency is refused here with its own reason; TOEX (a capability) is
               left to the domain rule "TOEX cannot own risk". */
            if (st->new_owner.disabled)
                return iom_fail(&c->err, IOM_EINVAL, "new_owner: agency '%s' is disabled", st->new_owner.code);
            f->new_owner_can_own = ownership_owner_check(&o, &ignore) == IOM_OK;
            f->new_owner_differs = st->new_owner.id != t->owner_id;
            /* the TTCG's region: the owner's, or the bid's for a national owner (no region) */
            int64_t ttcg_region = t->owner_region_id ? t->owner_region_id : t->requesting_region_id;
            f->new_owner_in_region = ttcg_region && st->new_owner.region_id == ttcg_region;
            if (f->new_sio_given) {
                err = s->ops->user_get(s, in->new_sio, c->arena, &st->new_sio, &c->err);
                if (err == IOM_ENOTFOUND)
                    return iom_fail(&c->err, IOM_EINVAL, "new_sio: '%s' is not a known user", in->new_sio);
                if (err)
                    return err;
                if (st->new_sio.disabled)
                    return iom_fail(&c->err, IOM_EINVAL, "new_sio: user '%s' is disabled", st->new_sio.name);
                if (st->new_sio.agency_disabled)
                    return iom_fail(&c->err, IOM_EINVAL, "new_sio: user '%s' belongs to agency '%s', which is "
                                    "disabled", st->new_sio.name, st->new_sio.agency);
                /* the SIO who takes the risk reads the threat and this tasking's reassessment */
                if (!iom_clearance_allows(st->new_sio.clearance, t->marking))
                    return iom_fail(&c->err, IOM_EINVAL,
                                    "new_sio: user '%s' is cleared for %s; tasking %s is marked %s, "
                                    "and the SIO who holds the risk must be able to read it",
                                    st->new_sio.name, iom_marking_name(st->new_sio.clearance),
                                    t->ref, iom_marking_name(t->marking));
                /* and the intelligence it holds, which may be marked above the tasking, as for an
                   SIO named on the threat (review 92 M1: a TTCG handed the risk to an SIO cleared
                   below the tasking's intelligence) */
                unsigned held = 0;
                if ((err = c->store->ops->picture->tasking_markings(s, t->id, &held, &c->err)))
                    return err;
                for (int m = (int)st->new_sio.clearance + 1; m < (int)IOM_MARKING_COUNT; m++)
                    if (held & (1u << m)) {
                        /* the marking named to a decider cleared for it only (review 93 L4) */
                        if (!iom_clearance_allows(c->actor.clearance, (iom_marking)m))
                            return iom_fail(&c->err, IOM_EINVAL,
                                            "new_sio: user '%s' is not cleared for all that tasking %s holds, "
                                            "and the SIO who holds the risk reads what it rests on",
                                            st->new_sio.name, t->ref);
                        return iom_fail(&c->err, IOM_EINVAL,
                                        "new_sio: user '%s' is cleared for %s; tasking %s holds intelligence "
                                        "marked %s, and the SIO who holds the risk reads what it rests on",
                                        st->new_sio.name, iom_marking_name(st->new_sio.clearance), t->ref,
                                        iom_marking_name((iom_marking)m));
                    }
                /* one person does not decide a transfer and take the risk it moves (review 92 M3:
                   a TTCG member who is also an SIO named himself) */
                if (st->new_sio.id == c->actor.id)
                    return iom_fail(&c->err, IOM_EFORBIDDEN,
                                    "decide_transfer: user '%s' would decide the transfer and hold the risk "
                                    "it moves: name another SIO, or another member of the %s decides",
                                    c->actor.name,
                                    t->state == IOM_TS_ESCALATED_FTT ? "Federated Tasking Team" : "TTCG");
                own_agency sa = {st->new_sio.agency, st->new_sio.agency_kind, st->new_sio.agency_region,
                                 st->new_sio.agency_disabled};
                own_user su = {st->new_sio.name, st->new_sio.roles, &sa, st->new_sio.disabled};
                f->new_sio_lacks_role = !iom_roles_has(st->new_sio.roles, IOM_ROLE_SIO);
                f->new_sio_of_new_owner = ownership_sio_check(&o, &su, &ignore) == IOM_OK;
            }
        }
        break;
    case IOM_TA_SUBMIT: case IOM_TA_FORWARD: case IOM_TA_RETURN: case IOM_TA_REJECT:
    case IOM_TA_DECLINE: case IOM_TA_PROPOSE_TOR: case IOM_TA_START: case IOM_TA_REASSESS:
    case IOM_TA_WITHDRAW: case IOM_TA_ASSIGN: case IOM_TA_UNASSIGN: case IOM_TA_CONTRIBUTE:
    case IOM_TA_RECORD_INTEL: case IOM_TA_RECORD_OPTION: case IOM_TA_RECORD_PRODUCT:
    case IOM_TA_COUNT:
        break;
    }
    return err;
}

iom_err tasking_state_facts(iom_ctx *c, app_tasking_scope *sc, iom_tasking_action action,
                            lifecycle_facts *out)
{
    static const app_act_input none = {0};
    act_state st;
    memset(&st, 0, sizeof st);
    memset(out, 0, sizeof *out);
    iom_err err = gather(c, sc, action, &none, out, &st);
    if (err == IOM_ENOTFOUND) { /* e.g. no transfer on record: its facts stay false */
        iom_error_clear(&c->err);
        err = IOM_OK;
    }
    return err;
}

/* Moves the threat to its new owner and SIO in the same transaction (one atomic step). */
static iom_err change_owner(iom_ctx *c, const iom_tasking_t *t, const act_state *st)
{
    iom_store *s = c->store;
    iom_threat_t th;
    iom_err err = s->ops->threat_get(s, t->threat_ref, c->arena, &th, &c->err);
    if (err)
        return err;
    json_t *jb = json_of_threat(&th);
    char *before = json_text(c->arena, jb);
    json_decref(jb);
    th.owner = st->new_owner.code;
    th.sio = st->new_sio.name;
    th.updated_at = app_now(c);
    if ((err = s->ops->threat_update(s, &th, th.version, &c->err)) ||
        (err = s->ops->threat_get(s, t->threat_ref, c->arena, &th, &c->err)))
        return err;
    json_t *ja = json_of_threat(&th);
    json_object_set_new(ja, "transferred_by", json_string(t->ref));
    if (st->transfer.decision_reason && *st->transfer.decision_reason)
        json_object_set_new(ja, "reason", json_string(st->transfer.decision_reason));
    err = audit_record(c, "threat.transfer", th.ref, before, json_text(c->arena, ja));
    json_decref(ja);
    return err;
}

/* Applies the action's own effects before the state change is stored. */
static iom_err apply(iom_ctx *c, app_tasking_scope *sc, iom_tasking_action action,
                     const app_act_input *in, act_state *st, iom_role role)
{
    iom_store *s = c->store;
    iom_tasking_t *t = &sc->t;
    int64_t now = app_now(c);
    switch (action) {
    case IOM_TA_FORWARD:
        t->reached_toex = true;
        return IOM_OK;
    case IOM_TA_ACCEPT: {
        t->sia_id = st->sia.id;
        bool member = false;
        iom_err err = TS(c)->is_member(s, t->id, st->sia.id, &member, &c->err);
        if (!err && !member)
            err = TS(c)->member_add(s, t->id, st->sia.id, now, c->actor.id, &c->err);
        return err;
    }
    case IOM_TA_AGREE_TOR: { /* as the side the rule granted: sia or sio */
        /* The other part's agreement made by someone who no longer holds it (a former SIO, a
           reallocated SIA) was never completed and no longer counts (act facts above): it is
           withdrawn now, so that two agreements on a version always mean agreed by both. */
        bool sia = role == IOM_ROLE_SIA;
        int64_t other_by = sia ? st->tor.sio_agreed_by : st->tor.sia_agreed_by;
        int64_t other_holder = sia ? t->threat_sio_id : t->sia_id;
        iom_err err = IOM_OK;
        if (other_by && other_by != other_holder) {
            err = TS(c)->tor_withdraw(s, st->tor.id, sia ? "sio" : "sia", &c->err);
            /* the history says so (review 81 L3: two agree_tor events and the state unmoved) */
            st->note = sia ? iom_arena_printf(c->arena, "the agreement of the SIO's part by a user no "
                                                        "longer the threat's SIO was withdrawn; the ToR "
                                                        "takes effect when the SIO (%s) agrees",
                                              t->threat_sio ? t->threat_sio : "?")
                           : iom_arena_printf(c->arena, "the agreement of the SIA's part by a user no "
                                                        "longer the tasking's SIA was withdrawn; the ToR "
                                                        "takes effect when the SIA (%s) agrees",
                                              t->sia ? t->sia : "?");
        }
        if (!err)
            err = TS(c)->tor_agree(s, st->tor.id, iom_role_name(role), c->actor.id, now, &c->err);
        return err;
    }
    case IOM_TA_REQUEST_TRANSFER: {
        iom_transfer_t x = {.tasking_id = t->id, .from_owner_id = t->owner_id,
                            .rationale = (char *)in->reason, .requested_by = c->actor.id,
                            .requested_at = now};
        return TS(c)->transfer_insert(s, &x, &c->err);
    }
    case IOM_TA_AGREE_TRANSFER: {
        /* a former SIO's agreement no longer counts (gather): replaced by this one */
        iom_err err = IOM_OK;
        if (st->reassessment.transfer_agreed_by)
            err = TS(c)->assessment_agree_transfer(s, st->reassessment.id, 0, 0, &c->err);
        if (!err)
            err = TS(c)->assessment_agree_transfer(s, st->reassessment.id, c->actor.id, now, &c->err);
        st->note = iom_arena_printf(c->arena, "the SIO agrees to a transfer of the risk on reassessment "
                                              "version %lld (which recommends %s)",
                                    (long long)st->reassessment.version, st->reassessment.recommendation);
        return err;
    }
    case IOM_TA_ESCALATE:
        t->escalated_ftt = true;
        st->transfer.escalated_by = c->actor.id;
        st->transfer.escalated_at = now;
        st->transfer.escalation_rationale = (char *)in->reason;
        return TS(c)->transfer_update(s, &st->transfer, &c->err);
    case IOM_TA_DECIDE_TRANSFER: {
        st->transfer.decided_by = c->actor.id;
        st->transfer.decided_at = now;
        st->transfer.decided_as = t->state == IOM_TS_ESCALATED_FTT ? "ftt" : "ttcg";
        st->transfer.decision = in->accept ? "accept" : "decline";
        st->transfer.decision_reason = (char *)in->reason;
        st->transfer.new_owner_id = in->accept ? st->new_owner.id : 0;
        st->transfer.new_sio_id = in->accept ? st->new_sio.id : 0;
        iom_err err = TS(c)->transfer_update(s, &st->transfer, &c->err);
        if (!err && in->accept)
            err = change_owner(c, t, st);
        return err;
    }
    case IOM_TA_SUBMIT: case IOM_TA_RETURN: case IOM_TA_REJECT: case IOM_TA_DECLINE:
    case IOM_TA_PROPOSE_TOR: case IOM_TA_START: case IOM_TA_COMPLETE: case IOM_TA_REASSESS:
    case IOM_TA_REMAIN: case IOM_TA_WITHDRAW: case IOM_TA_ASSIGN: case IOM_TA_UNASSIGN:
    case IOM_TA_CONTRIBUTE: case IOM_TA_RECORD_INTEL: case IOM_TA_RECORD_OPTION:
    case IOM_TA_RECORD_PRODUCT: case IOM_TA_COUNT:
        return IOM_OK;
    }
    return IOM_OK;
}

/* What gather needs, for lifecycle_decide_gather. */
typedef struct act_gather {
    iom_ctx *c;
    app_tasking_scope *sc;
    iom_tasking_action action;
    const app_act_input *in;
    int64_t if_version;
    act_state *st;
} act_gather;

/* Runs only for a move the actor's role and relation allow: the version read, then the facts. */
iom_err tasking_two_person(iom_ctx *c, const iom_tasking_t *t, iom_tasking_action action,
                           iom_role granted)
{
    /* one person does not hold both sides of a check (review 55: a user with the sio and
       ttcg roles decided the transfer of the risk he held; one with spoc and gateway
       forwarded his own bid) */
    /* the SIO who holds the risk, or who signed the reassessment that asked for its transfer
       (review 57: naming a colleague SIO first got round the rule) */
    bool transfer = action == IOM_TA_DECIDE_TRANSFER || action == IOM_TA_ESCALATE;
    int64_t signed_sio = 0;
    if (transfer) {
        iom_assessment_t ra;
        iom_err aerr = TS(c)->assessment_latest(c->store, t->id, "reassessment", c->arena, &ra, &c->err);
        if (aerr == IOM_ENOTFOUND)
            iom_error_clear(&c->err);
        else if (aerr)
            return aerr;
        else
            signed_sio = ra.sio_signed_by;
    }
    /* escalating the request to the FTT is the TTCG's judgement on it too (review 92 L1: the SIO
       who held the risk and signed the request, also of the TTCG, escalated it himself) */
    if (transfer &&
        ((t->threat_sio_id && c->actor.id == t->threat_sio_id) || (signed_sio && c->actor.id == signed_sio)))
        return iom_fail(&c->err, IOM_EFORBIDDEN, "%s: user '%s' is the SIO of %s, who holds its risk or "
                        "agreed to its transfer: the transfer is %s by another member of the %s",
                        lifecycle_action_name(action), c->actor.name,
                        t->threat_ref ? t->threat_ref : "the threat",
                        action == IOM_TA_ESCALATE ? "escalated" : "decided",
                        granted == IOM_ROLE_FTT ? "Federated Tasking Team" : "TTCG");
    if (action == IOM_TA_FORWARD || action == IOM_TA_RETURN || action == IOM_TA_REJECT) {
        /* the bid's SPOC, or whoever wrote or sent any version of it (review 57: a SPOC with the
           gateway role submitted a colleague's draft, then forwarded it; review 89 M1: one who
           submitted it before a return, or rewrote it with `tasking edit`, and let a colleague
           send it, triaged it: only the last submitter was barred) */
        bool took_part = t->spoc_id && c->actor.id == t->spoc_id;
        iom_tasking_event_t *ev;
        size_t nev = 0;
        iom_err eerr = took_part ? IOM_OK : TS(c)->events(c->store, t->id, c->arena, &ev, &nev, &c->err);
        if (eerr)
            return eerr;
        for (size_t i = 0; i < nev && !took_part; i++)
            took_part = ev[i].action && ev[i].actor_id == c->actor.id &&
                        (strcmp(ev[i].action, "new") == 0 || strcmp(ev[i].action, "edit") == 0 ||
                         strcmp(ev[i].action, "submit") == 0);
        if (took_part)
            return iom_fail(&c->err, IOM_EFORBIDDEN, "%s: user '%s' drafted, edited or submitted %s: another "
                            "member of the Gateway triages it", lifecycle_action_name(action), c->actor.name,
                            t->ref);
    }
    return IOM_OK;
}

static iom_err gather_for_decision(void *data, iom_role granted, lifecycle_facts *f)
{
    act_gather *g = data;
    iom_err terr = tasking_two_person(g->c, &g->sc->t, g->action, granted);
    if (terr)
        return terr;
    /* both sides agree one named version: an agreement without it would be to whatever the
       latest is when it arrives, which the agreeing side may not have read (asked here, once
       the actor's role and relation have passed, so it tells nothing to others) */
    if (g->action == IOM_TA_AGREE_TOR && g->in->tor_version < 1)
        return iom_fail(&g->c->err, IOM_EINVAL, "tor_version: required: the ToR version agreed "
                                                "(the latest; CLI --version N)");
    iom_err err = tasking_check_version(g->c, &g->sc->t, g->if_version);
    return err ? err : gather(g->c, g->sc, g->action, g->in, f, g->st);
}

iom_err app_tasking_act(iom_ctx *c, const char *ref, iom_tasking_action action,
                        const app_act_input *in, int64_t if_version, iom_tasking_t *out)
{
    static const app_act_input none = {0};
    if (!in)
        in = &none;
    iom_err err;
    if ((err = iom_text_check("reason", in->reason, REASON_MAX, IOM_TEXT_MULTI_LINE, &c->err)))
        return err;
    switch (action) {
    case IOM_TA_PROPOSE_TOR: case IOM_TA_REASSESS: case IOM_TA_ASSIGN: case IOM_TA_UNASSIGN:
    case IOM_TA_CONTRIBUTE: case IOM_TA_RECORD_INTEL: case IOM_TA_RECORD_OPTION:
    case IOM_TA_RECORD_PRODUCT: case IOM_TA_COUNT:
        return iom_fail(&c->err, IOM_EINVAL, "action '%s' carries content: use its own command",
                        lifecycle_action_name(action));
    case IOM_TA_SUBMIT: case IOM_TA_FORWARD: case IOM_TA_RETURN: case IOM_TA_REJECT:
    case IOM_TA_ACCEPT: case IOM_TA_DECLINE: case IOM_TA_AGREE_TOR: case IOM_TA_START:
    case IOM_TA_COMPLETE: case IOM_TA_REMAIN: case IOM_TA_REQUEST_TRANSFER: case IOM_TA_ESCALATE:
    case IOM_TA_DECIDE_TRANSFER: case IOM_TA_WITHDRAW: case IOM_TA_AGREE_TRANSFER:
        break;
    }
    if ((err = app_begin(c, true)))
        return err;
    app_tasking_scope sc;
    act_state st;
    memset(&st, 0, sizeof st);
    iom_tasking_state next;
    iom_role role = IOM_ROLE_ADMIN;
    if ((err = tasking_load(c, ref, IOM_PART_OUTCOME, &sc))) /* as app_tasking_enter: apmis gets 403 */
        return app_end(c, err);
    if (sc.access.read_only)
        return app_end(c, iom_fail(&c->err, IOM_EFORBIDDEN, "%s: user '%s' has read-only access to %s",
                                   lifecycle_action_name(action), c->actor.name, sc.t.ref));
    /* a stale version first (review 81 M3: a TTCG member whose decide_transfer came after
       another's escalate was told their role was not allowed) */
    if ((err = tasking_check_version(c, &sc.t, if_version)))
        return app_end(c, err);
    /* One question to the domain: it judges the state and the actor's role, and only then are
       the facts gathered (gather_for_decision). */
    lifecycle_actor who = {c->actor.roles, access_lifecycle_relations(&sc.actor, &sc.at)};
    act_gather g = {c, &sc, action, in, if_version, &st};
    if ((err = lifecycle_decide_gather(&next, &role, sc.t.state, action, &who, gather_for_decision,
                                       &g, &c->err)))
        return app_end(c, err);
    char *before = tasking_audit_text(c, &sc.t);
    iom_tasking_state from = sc.t.state;
    if ((err = apply(c, &sc, action, in, &st, role)))
        return app_end(c, err);
    int64_t now = app_now(c);
    if (next != from) {
        sc.t.state = next;
        sc.t.state_since = now;
    }
    sc.t.updated_at = now;
    const char *reason = in->reason ? in->reason : st.note;
    if (action == IOM_TA_WITHDRAW) { /* items pending on PND stay listed with the withdrawal */
        lifecycle_facts pf = {0};
        /* the history is read by everyone who reads the tasking: items above its marking are
           counted, not named */
        iom_marking to = c->actor.clearance < sc.t.marking ? c->actor.clearance : sc.t.marking;
        if (!(err = pending_items(c, &sc.t, to, &pf)) && pf.pending_items)
            reason = iom_arena_printf(c->arena, "%s [still pending on PND: %s]", reason ? reason : "",
                                      pf.pending_items);
        if (err)
            return app_end(c, err);
    }
    err = TS(c)->update(c->store, &sc.t, sc.t.version, &c->err);
    if (!err)
        err = tasking_record(c, &sc.t, lifecycle_action_name(action), role, (int)from, reason,
                             before, out);
    if (!err && out)
        err = app_tasking_fill_triage_due(c, out, 1);
    return app_end(c, err);
}
