/* Use-cases of the tasking lifecycle (app/tasking.h). */
#include "app/tasking.h"

#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "app/readlog.h"
#include "app/json.h"
#include "domain/ownership.h"
#include "domain/products.h"
#include "store/work_store.h"
#include "util/jsonw.h"
#include "util/text.h"
#include "util/timefmt.h"

#define SUMMARY_MAX 4000
#define KNOWN_MAX 20000
#define ITEM_MAX 1000
#define REF_MAX 100
#define REASON_MAX 4000

#define TS(c) ((c)->store->ops->tasking)

/* ---- access -------------------------------------------------------------------------- */

static access_actor actor_of(const iom_ctx *c)
{
    return (access_actor){.user_id = c->actor.id,
                          .roles = c->actor.roles,
                          .agency_kind = c->actor.agency_kind,
                          .agency_id = c->actor.agency_id,
                          .region_id = c->actor.agency_region_id,
                          .clearance = c->actor.clearance};
}

/* Fills the need-to-know description of t; the actor's team membership is looked up. */
/* The access facts of t without the actor's team membership (actor_assigned false). */
static access_tasking summary_of(const iom_tasking_t *t)
{
    return (access_tasking){.requesting_agency_id = t->requesting_agency_id,
                            .requesting_region_id = t->requesting_region_id,
                            .owning_agency_id = t->owner_id,
                            .owning_region_id = t->owner_region_id,
                            .reached_toex = t->reached_toex,
                            .escalated_ftt = t->escalated_ftt,
                            .sia_id = t->sia_id,
                            .sio_id = t->threat_sio_id,
                            .marking = t->marking};
}

static iom_err tasking_of(iom_ctx *c, const iom_tasking_t *t, access_tasking *out)
{
    bool member = false;
    iom_err err = TS(c)->is_member(c->store, t->id, c->actor.id, &member, &c->err);
    *out = (access_tasking){.requesting_agency_id = t->requesting_agency_id,
                            .requesting_region_id = t->requesting_region_id,
                            .owning_agency_id = t->owner_id,
                            .owning_region_id = t->owner_region_id,
                            .reached_toex = t->reached_toex,
                            .escalated_ftt = t->escalated_ftt,
                            .actor_assigned = member,
                            .sia_id = t->sia_id,
                            .sio_id = t->threat_sio_id,
                            .marking = t->marking};
    return err;
}

static iom_err not_found(iom_ctx *c, const char *ref)
{
    return iom_fail(&c->err, IOM_ENOTFOUND, "tasking: '%s' not found", ref ? ref : "");
}

/* Loads a tasking the actor may read `part` of; a refusal reads as not found. */
static iom_err load(iom_ctx *c, const char *ref, iom_access_part part, app_tasking_scope *s)
{
    memset(s, 0, sizeof *s);
    iom_err err = app_actor(c);
    if (err)
        return err;
    err = TS(c)->get(c->store, ref ? ref : "", c->arena, &s->t, &c->err);
    if (err == IOM_ENOTFOUND)
        return not_found(c, ref);
    if (err || (err = tasking_of(c, &s->t, &s->at)))
        return err;
    s->actor = actor_of(c);
    iom_error why = {0};
    if (access_part_check(&s->access, &s->actor, &s->at, part, s->t.marking, &why) != IOM_OK)
        return not_found(c, ref);
    return IOM_OK;
}

static iom_err check_version(iom_ctx *c, const iom_tasking_t *t, int64_t if_version)
{
    if (if_version > 0 && if_version != t->version)
        return iom_fail(&c->err, IOM_ECONFLICT,
                        "tasking %s: you read version %lld but it is now version %lld; reload and retry",
                        t->ref, (long long)if_version, (long long)t->version);
    return IOM_OK;
}

iom_err app_tasking_read(iom_ctx *c, const char *ref, iom_access_part part, app_tasking_scope *out)
{
    return load(c, ref, part, out);
}

iom_err app_tasking_enter(iom_ctx *c, const char *ref, iom_tasking_action action, int64_t if_version,
                          app_tasking_scope *out)
{
    /* Sight of the tasking at all (its outcome) is enough to be told "forbidden": an apmis
       recorder sees it (domain.md §3), so a change is refused with 403, as for an auditor,
       not answered "not found" for a tasking the same user can GET (serve.md). */
    iom_err err = load(c, ref, IOM_PART_OUTCOME, out);
    if (err)
        return err;
    if (out->access.read_only)
        return iom_fail(&c->err, IOM_EFORBIDDEN, "%s: user '%s' has read-only access to %s",
                        lifecycle_action_name(action), c->actor.name, out->t.ref);
    lifecycle_actor who = {c->actor.roles, access_lifecycle_relations(&out->actor, &out->at)};
    lifecycle_facts facts = {0};
    iom_tasking_state next;
    if ((err = lifecycle_decide(&next, &out->role, out->t.state, action, &who, &facts, &c->err)))
        return err;
    return check_version(c, &out->t, if_version);
}

iom_err app_tasking_touch(iom_ctx *c, iom_tasking_t *t)
{
    t->updated_at = app_now(c);
    return TS(c)->update(c->store, t, t->version, &c->err);
}

/* ---- audit and history ---------------------------------------------------------------- */

/* The audit image of a tasking. The bid is written once, in the entry of `new`: no later
   step changes it, so repeating it in every image would only grow each commit. */
static char *tasking_image(iom_ctx *c, const iom_tasking_t *t, bool with_bid, const char *reason)
{
    json_t *j = json_of_tasking(t, with_bid);
    if (reason)
        json_object_set_new(j, "reason", json_string(reason));
    char *s = json_text(c->arena, j);
    json_decref(j);
    return s;
}

static char *tasking_text(iom_ctx *c, const iom_tasking_t *t)
{
    return tasking_image(c, t, false, NULL);
}

/* Writes the history event and the audit entry of a change to t (already stored). OUT
   *now (may be NULL): the tasking as stored afterwards, for the caller's result. */
static iom_err record_into(iom_ctx *c, const iom_tasking_t *t, const char *action, iom_role role,
                           int from, const char *reason, const char *before, iom_tasking_t *now);

static iom_err record(iom_ctx *c, const iom_tasking_t *t, const char *action, iom_role role,
                      int from, const char *reason, const char *before)
{
    return record_into(c, t, action, role, from, reason, before, NULL);
}

static iom_err record_into(iom_ctx *c, const iom_tasking_t *t, const char *action, iom_role role,
                           int from, const char *reason, const char *before, iom_tasking_t *out)
{
    iom_tasking_event_t ev = {.tasking_id = t->id,
                              .at = app_now(c),
                              .action = (char *)action,
                              .actor_id = c->actor.id,
                              .role = (char *)iom_role_name(role),
                              .from_state = from,
                              .to_state = t->state,
                              .reason = (char *)reason};
    iom_err err = TS(c)->event_add(c->store, &ev, &c->err);
    if (err)
        return err;
    /* Reload for the audit's after-image (joined names, new version); it is also the
       caller's result, so the row is read once. */
    iom_tasking_t local, *now = out ? out : &local;
    if ((err = TS(c)->get(c->store, t->ref, c->arena, now, &c->err)))
        return err;
    char *audit_action = iom_arena_printf(c->arena, "tasking.%s", action);
    return audit_record(c, audit_action, t->ref, before, tasking_image(c, now, !before, reason));
}

/* ---- the bid ---------------------------------------------------------------------------- */

static iom_err text_field(iom_ctx *c, const char *name, const char *v, size_t max, int flags)
{
    return iom_text_check(name, v, max, flags, &c->err);
}

static iom_err validate_bid(iom_ctx *c, const app_bid_input *in, json_t **bid)
{
    iom_err err;
    if ((err = text_field(c, "summary", in->summary, SUMMARY_MAX, IOM_TEXT_REQUIRED | IOM_TEXT_MULTI_LINE)) ||
        (err = text_field(c, "known", in->known, KNOWN_MAX, IOM_TEXT_MULTI_LINE)) ||
        (err = text_field(c, "ftm_ref", in->ftm_ref, REF_MAX, IOM_TEXT_REQUIRED | IOM_TEXT_SINGLE_LINE)) ||
        (err = text_field(c, "timeline", in->timeline, ITEM_MAX, IOM_TEXT_MULTI_LINE)) ||
        (err = text_field(c, "customer", in->customer, 64, IOM_TEXT_SINGLE_LINE)))
        return err;
    if (!in->ftm_date)
        return iom_fail(&c->err, IOM_EINVAL, "ftm_date: the date of the force tasking meeting is required");
    if ((err = iom_date_check("ftm_date", in->ftm_date, &c->err)))
        return err;
    if (in->nrequirements == 0)
        return iom_fail(&c->err, IOM_EINVAL, "requirements: at least one intelligence requirement is needed");
    if (in->nservices == 0)
        return iom_fail(&c->err, IOM_EINVAL, "services: at least one TOEX service is needed");
    json_t *reqs = json_array(), *svcs = json_array();
    *bid = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "ftm_date", in->ftm_date, "ftm_ref",
                     in->ftm_ref, "summary", json_string(in->summary), "known",
                     json_str_or_null(in->known), "requirements", reqs, "services", svcs,
                     "timeline", json_str_or_null(in->timeline));
    for (size_t i = 0; i < in->nrequirements; i++) {
        char field[48];
        snprintf(field, sizeof field, "requirements[%zu]", i);
        if ((err = text_field(c, field, in->requirements[i], ITEM_MAX,
                              IOM_TEXT_REQUIRED | IOM_TEXT_MULTI_LINE)))
            return err;
        json_array_append_new(reqs, json_string(in->requirements[i]));
    }
    for (size_t i = 0; i < in->nservices; i++) {
        iom_service sv;
        if ((err = products_service_parse(in->services[i], &sv, &c->err)))
            return err;
        for (size_t k = 0; k < i; k++)
            if (strcmp(in->services[k], in->services[i]) == 0)
                return iom_fail(&c->err, IOM_EINVAL, "services: '%s' is given twice", in->services[i]);
        json_array_append_new(svcs, json_string(in->services[i]));
    }
    if (in->has_assessment) {
        assess_result r;
        if ((err = assess_compute(&r, &in->assessment, NULL, &c->err)))
            return err;
        json_t *h = json_object();
        for (int k = 0; k < IOM_HARM_COUNT; k++)
            json_object_set_new(h, assess_harm_name((iom_harm)k), json_integer(in->assessment.harm[k]));
        json_object_set_new(
            *bid, "assessment",
            json_pack("{s:o, s:i, s:i, s:s, s:i, s:i, s:b, s:b, s:f, s:s, s:s, s:s}", "harm", h,
                      "scale", in->assessment.scale, "likelihood", in->assessment.likelihood,
                      "confidence", assess_confidence_name(in->assessment.confidence), "capacity",
                      in->assessment.capacity, "capability", in->assessment.capability,
                      "needs_national_capability", in->assessment.needs_national_capability,
                      "needs_rocu_capability", in->assessment.needs_rocu_capability, "score",
                      r.score_tenths / 10.0, "band", assess_band_name(r.band), "recommendation",
                      assess_recommendation_name(r.recommendation), "rationale", r.rationale));
    }
    return IOM_OK;
}

/* Who may ask for help on a threat: its owner, an agency of the owner's region, or the NCA. */
static bool may_request_for(const iom_agency_t *req, const iom_threat_t *th, int64_t owner_region_id)
{
    if (strcmp(req->code, th->owner) == 0 || req->kind == IOM_AGENCY_NATIONAL)
        return true;
    return req->region_id && req->region_id == owner_region_id;
}

iom_err app_tasking_new(iom_ctx *c, const app_bid_input *in, iom_tasking_t *out)
{
    json_t *bid = NULL;
    iom_err err = validate_bid(c, in, &bid);
    if (err) {
        json_decref(bid);
        return err;
    }
    iom_urgency urgency = IOM_URGENCY_ROUTINE;
    if (in->urgency && (err = products_urgency_parse(in->urgency, &urgency, &c->err))) {
        json_decref(bid);
        return err;
    }
    if ((err = app_begin(c, true))) {
        json_decref(bid);
        return err;
    }
    iom_store *s = c->store;
    iom_threat_t th;
    iom_agency_t req, owner;
    iom_user_t customer = {0};
    iom_marking marking = IOM_MARKING_OFFICIAL;
    if ((err = app_actor(c)))
        goto out;
    if (!in->threat || !*in->threat) {
        err = iom_fail(&c->err, IOM_EINVAL, "threat: the SOC master list reference is required");
        goto out;
    }
    err = s->ops->threat_get(s, in->threat, c->arena, &th, &c->err);
    if (!err && !iom_clearance_allows(c->actor.clearance, th.marking))
        err = iom_fail(&c->err, IOM_ENOTFOUND, "threat: '%s' is not on the SOC master list", in->threat);
    if (err)
        goto out;
    if (th.status == IOM_THREAT_ARCHIVED) {
        err = iom_fail(&c->err, IOM_ECONFLICT, "threat %s is archived; no new bid on it", th.ref);
        goto out;
    }
    const char *req_code = in->requesting_agency ? in->requesting_agency : c->actor.agency;
    err = s->ops->agency_get(s, req_code, c->arena, &req, &c->err);
    if (err == IOM_ENOTFOUND)
        err = iom_fail(&c->err, IOM_EINVAL, "requesting_agency: '%s' is not a known agency", req_code);
    if (err || (err = s->ops->agency_get(s, th.owner, c->arena, &owner, &c->err)))
        goto out;
    if (req.kind == IOM_AGENCY_CAPABILITY || req.disabled) {
        err = iom_fail(&c->err, IOM_EINVAL,
                       "requesting_agency: '%s' cannot request TOEX support (a force, ROCU or the NCA does)",
                       req.code);
        goto out;
    }
    if (!may_request_for(&req, &th, owner.region_id)) {
        err = iom_fail(&c->err, IOM_EINVAL,
                       "requesting_agency: '%s' is outside the region of %s's owner '%s'; the owner, "
                       "an agency of its region or the NCA requests support",
                       req.code, th.ref, th.owner);
        goto out;
    }
    if (!iom_roles_has(c->actor.roles, IOM_ROLE_SPOC) || c->actor.agency_id != req.id) {
        err = iom_fail(&c->err, IOM_EFORBIDDEN,
                       "tasking new: only a spoc of the requesting agency '%s' prepares a bid", req.code);
        goto out;
    }
    if (in->customer) {
        err = s->ops->user_get(s, in->customer, c->arena, &customer, &c->err);
        if (err == IOM_ENOTFOUND)
            err = iom_fail(&c->err, IOM_EINVAL, "customer: '%s' is not a known user", in->customer);
        if (err)
            goto out;
    }
    marking = th.marking;
    if (in->marking && (err = iom_marking_parse(in->marking, &marking, &c->err)))
        goto out;
    if (marking < th.marking) {
        err = iom_fail(&c->err, IOM_EINVAL, "marking: %s is below the threat's marking %s",
                       iom_marking_name(marking), iom_marking_name(th.marking));
        goto out;
    }
    if (!iom_clearance_allows(c->actor.clearance, marking)) {
        err = iom_fail(&c->err, IOM_EFORBIDDEN, "marking: user '%s' is not cleared for %s",
                       c->actor.name, iom_marking_name(marking));
        goto out;
    }
    if (in->type) {
        iom_threat_type ty;
        if ((err = iom_threat_type_parse(in->type, &ty, &c->err)))
            goto out;
        json_object_set_new(bid, "type", json_string(in->type));
    }
    if (in->customer)
        json_object_set_new(bid, "customer", json_string(in->customer));
    iom_user_t sio;
    if ((err = s->ops->user_get(s, th.sio, c->arena, &sio, &c->err)))
        goto out;
    int64_t now = app_now(c);
    iom_tasking_t t = {.threat_id = th.id,
                       .state = IOM_TS_DRAFT,
                       .requesting_agency_id = req.id,
                       .spoc_id = c->actor.id,
                       .customer_id = customer.id,
                       .sio_id = sio.id,
                       .urgency = urgency,
                       .marking = marking,
                       .bid_json = json_text(c->arena, bid),
                       .created_at = now,
                       .created_by = c->actor.id};
    if ((err = TS(c)->insert(s, &t, c->arena, &c->err)) ||
        (err = record_into(c, &t, "new", IOM_ROLE_SPOC, -1, NULL, NULL, out)))
        goto out;
out:
    json_decref(bid);
    return app_end(c, err);
}

/* ---- transitions ---------------------------------------------------------------------- */

static bool nonblank(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return true;
    return false;
}

/* The ToR in force: the latest version agreed by both (IOM_ENOTFOUND when none). */
static iom_err tor_in_force(iom_ctx *c, const iom_tasking_t *t, iom_tor_t *out)
{
    int64_t v = 0;
    iom_err err = TS(c)->tor_agreed_version(c->store, t->id, &v, &c->err);
    if (err)
        return err;
    if (!v)
        return iom_fail(&c->err, IOM_ENOTFOUND, "terms of reference: none agreed");
    return TS(c)->tor_get(c->store, t->id, v, c->arena, out, &c->err);
}

/* complete: every product of the ToR in force has a delivered version. */
static iom_err products_done(iom_ctx *c, const iom_tasking_t *t, bool *out)
{
    iom_tor_t tor;
    *out = false;
    iom_err err = tor_in_force(c, t, &tor);
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
        int64_t n = 0;
        const char *type = json_string_value(json_object_get(p, "type"));
        if ((err = c->store->ops->work->products_delivered(c->store, t->id, type ? type : "", &n,
                                                           &c->err)))
            break;
        if (n == 0)
            all = false;
    }
    json_decref(doc);
    *out = all;
    return err;
}

typedef struct act_state {
    iom_user_t sia;
    iom_tor_t tor;
    const char *agree_role;
    iom_assessment_t reassessment;
    bool has_reassessment;
    iom_transfer_t transfer;
    iom_agency_t new_owner;
    iom_user_t new_sio;
} act_state;

/* Establishes the facts lifecycle_decide needs for `action`, reading the store. */
static iom_err gather(iom_ctx *c, app_tasking_scope *sc, iom_tasking_action action,
                      const app_act_input *in, lifecycle_facts *f, act_state *st)
{
    iom_store *s = c->store;
    iom_tasking_t *t = &sc->t;
    iom_err err = IOM_OK;
    f->reason_given = nonblank(in->reason);
    f->threat_has_sio = t->threat_sio_id != 0;
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
            f->sia_eligible = !err && !st->sia.disabled && iom_roles_has(st->sia.roles, IOM_ROLE_SIA) &&
                              st->sia.agency_kind == IOM_AGENCY_CAPABILITY;
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
        if (in->tor_version && in->tor_version != st->tor.version)
            return iom_fail(&c->err, IOM_ECONFLICT,
                            "version: %lld is not the latest terms of reference (version %lld); "
                            "agree the latest",
                            (long long)in->tor_version, (long long)st->tor.version);
        f->tor_version_exists = true;
        iom_tasking_rels rels = access_lifecycle_relations(&sc->actor, &sc->at);
        st->agree_role = (rels & IOM_REL_TASKING_SIA) ? "sia" : (rels & IOM_REL_THREAT_SIO) ? "sio" : NULL;
        bool sia = st->tor.sia_agreed_by != 0, sio = st->tor.sio_agreed_by != 0;
        if (st->agree_role && (strcmp(st->agree_role, "sia") == 0 ? sia : sio))
            return iom_fail(&c->err, IOM_ECONFLICT, "agree: the %s has already agreed version %lld",
                            st->agree_role, (long long)st->tor.version);
        f->tor_both_agreed = st->agree_role && (sia || sio);
        break;
    }
    case IOM_TA_COMPLETE: {
        int64_t pending = 0;
        if ((err = products_done(c, t, &f->tor_products_delivered)) ||
            (err = s->ops->work->intel_pending_count(s, t->id, &pending, &c->err)))
            return err;
        f->no_intel_pending = pending == 0;
        break;
    }
    case IOM_TA_REMAIN:
    case IOM_TA_REQUEST_TRANSFER:
        err = TS(c)->assessment_latest(s, t->id, "reassessment", c->arena, &st->reassessment, &c->err);
        if (err == IOM_ENOTFOUND) {
            iom_error_clear(&c->err);
            return IOM_OK;
        }
        st->has_reassessment = !err;
        f->assessment_signed = !err && st->reassessment.sia_signed_by && st->reassessment.sio_signed_by;
        f->sio_agrees_transfer = f->assessment_signed && strcmp(st->reassessment.recommendation, "remain") != 0;
        break;
    case IOM_TA_ESCALATE:
    case IOM_TA_DECIDE_TRANSFER:
        if ((err = TS(c)->transfer_latest(s, t->id, c->arena, &st->transfer, &c->err)))
            return err;
        if (action == IOM_TA_ESCALATE)
            break;
        f->transfer_accept = in->accept;
        if (!in->accept)
            break;
        f->new_owner_given = in->new_owner && *in->new_owner;
        f->new_sio_given = in->new_sio && *in->new_sio;
        if (f->new_owner_given) {
            err = s->ops->agency_get(s, in->new_owner, c->arena, &st->new_owner, &c->err);
            if (err == IOM_ENOTFOUND)
                return iom_fail(&c->err, IOM_EINVAL, "owner: '%s' is not a known agency code", in->new_owner);
            if (err)
                return err;
            own_agency o = {st->new_owner.code, st->new_owner.kind, st->new_owner.region, st->new_owner.disabled};
            iom_error ignore = {0};
            /* A disabled agency is refused here with its own reason; TOEX (a capability) is
               left to the domain rule "TOEX cannot own risk". */
            if (st->new_owner.disabled)
                return iom_fail(&c->err, IOM_EINVAL, "owner: agency '%s' is disabled", st->new_owner.code);
            f->new_owner_can_own = ownership_owner_check(&o, &ignore) == IOM_OK;
            f->new_owner_differs = st->new_owner.id != t->owner_id;
            f->new_owner_in_region = t->owner_region_id && st->new_owner.region_id == t->owner_region_id;
            if (f->new_sio_given) {
                err = s->ops->user_get(s, in->new_sio, c->arena, &st->new_sio, &c->err);
                if (err == IOM_ENOTFOUND)
                    return iom_fail(&c->err, IOM_EINVAL, "sio: '%s' is not a known user", in->new_sio);
                if (err)
                    return err;
                if (st->new_sio.disabled)
                    return iom_fail(&c->err, IOM_EINVAL, "sio: user '%s' is disabled", st->new_sio.name);
                own_agency sa = {st->new_sio.agency, st->new_sio.agency_kind, st->new_sio.agency_region, false};
                own_user su = {st->new_sio.name, st->new_sio.roles, &sa, st->new_sio.disabled};
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
    case IOM_TA_AGREE_TOR:
        return TS(c)->tor_agree(s, st->tor.id, st->agree_role ? st->agree_role : iom_role_name(role),
                                c->actor.id, now, &c->err);
    case IOM_TA_REQUEST_TRANSFER: {
        iom_transfer_t x = {.tasking_id = t->id, .from_owner_id = t->owner_id,
                            .rationale = (char *)in->reason, .requested_by = c->actor.id,
                            .requested_at = now};
        return TS(c)->transfer_insert(s, &x, &c->err);
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
    case IOM_TA_DECIDE_TRANSFER: case IOM_TA_WITHDRAW:
        break;
    }
    if ((err = app_begin(c, true)))
        return err;
    app_tasking_scope sc;
    act_state st;
    memset(&st, 0, sizeof st);
    lifecycle_facts facts = {0};
    iom_tasking_state next;
    iom_role role = IOM_ROLE_ADMIN;
    if ((err = load(c, ref, IOM_PART_OUTCOME, &sc))) /* as app_tasking_enter: apmis gets 403 */
        return app_end(c, err);
    if (sc.access.read_only)
        return app_end(c, iom_fail(&c->err, IOM_EFORBIDDEN, "%s: user '%s' has read-only access to %s",
                                   lifecycle_action_name(action), c->actor.name, sc.t.ref));
    lifecycle_actor who = {c->actor.roles, access_lifecycle_relations(&sc.actor, &sc.at)};
    /* The state and the actor's role are judged before any fact is gathered, so a wrong
       state or role is reported as such, whatever else is missing. */
    if (!(lifecycle_allowed_actions(sc.t.state, &who) & (1u << action))) {
        err = lifecycle_decide(&next, &role, sc.t.state, action, &who, &facts, &c->err);
        return app_end(c, err ? err : iom_fail(&c->err, IOM_EFORBIDDEN, "%s: not allowed",
                                               lifecycle_action_name(action)));
    }
    if ((err = check_version(c, &sc.t, if_version)) ||
        (err = gather(c, &sc, action, in, &facts, &st)))
        return app_end(c, err);
    if ((err = lifecycle_decide(&next, &role, sc.t.state, action, &who, &facts, &c->err)))
        return app_end(c, err);
    char *before = tasking_text(c, &sc.t);
    iom_tasking_state from = sc.t.state;
    if ((err = apply(c, &sc, action, in, &st, role)))
        return app_end(c, err);
    int64_t now = app_now(c);
    if (next != from) {
        sc.t.state = next;
        sc.t.state_since = now;
    }
    sc.t.updated_at = now;
    err = TS(c)->update(c->store, &sc.t, sc.t.version, &c->err);
    if (!err)
        err = record_into(c, &sc.t, lifecycle_action_name(action), role, (int)from, in->reason,
                          before, out);
    return app_end(c, err);
}

/* ---- team ----------------------------------------------------------------------------- */

iom_err app_tasking_assign(iom_ctx *c, const char *ref, const char *user, bool add,
                           int64_t if_version, iom_tasking_t *out)
{
    iom_err err = app_begin(c, true);
    if (err)
        return err;
    app_tasking_scope sc;
    iom_user_t u;
    iom_tasking_action action = add ? IOM_TA_ASSIGN : IOM_TA_UNASSIGN;
    if ((err = app_tasking_enter(c, ref, action, if_version, &sc)))
        return app_end(c, err);
    err = c->store->ops->user_get(c->store, user ? user : "", c->arena, &u, &c->err);
    if (err == IOM_ENOTFOUND)
        err = iom_fail(&c->err, IOM_EINVAL, "user: '%s' is not a known user", user ? user : "");
    if (err)
        return app_end(c, err);
    const iom_roles team_roles = IOM_ROLE_BIT(IOM_ROLE_SIA) | IOM_ROLE_BIT(IOM_ROLE_ANALYST) |
                                 IOM_ROLE_BIT(IOM_ROLE_IDO) | IOM_ROLE_BIT(IOM_ROLE_DIA) |
                                 IOM_ROLE_BIT(IOM_ROLE_RESEARCHER) |
                                 IOM_ROLE_BIT(IOM_ROLE_TOEX_MANAGER);
    if (add && (u.agency_kind != IOM_AGENCY_CAPABILITY || !(u.roles & team_roles) || u.disabled))
        return app_end(c, iom_fail(&c->err, IOM_EINVAL,
                                   "user: '%s' is not active TOEX staff (sia, analyst, ido, dia, "
                                   "researcher, toex_manager); only TOEX staff join a tasking team",
                                   u.name));
    if (!add && u.id == sc.t.sia_id)
        return app_end(c, iom_fail(&c->err, IOM_ECONFLICT,
                                   "user: '%s' is the tasking's SIA and stays on the team", u.name));
    char *before = tasking_text(c, &sc.t);
    if (add)
        err = TS(c)->member_add(c->store, sc.t.id, u.id, app_now(c), c->actor.id, &c->err);
    else
        err = TS(c)->member_remove(c->store, sc.t.id, u.id, &c->err);
    char *what = iom_arena_printf(c->arena, "user %s", u.name);
    if (err || (err = app_tasking_touch(c, &sc.t)) ||
        (err = record_into(c, &sc.t, lifecycle_action_name(action), sc.role, (int)sc.t.state, what,
                           before, out)))
        return app_end(c, err);
    return app_end(c, IOM_OK);
}

/* ---- terms of reference ------------------------------------------------------------- */

static iom_err tor_validate(iom_ctx *c, const char *text, json_t **doc, const char **start,
                            const char **end)
{
    static const char *const keys[] = {"services", "start_date", "end_date", "milestones",
                                       "products", "objectives", NULL};
    json_error_t je;
    size_t n = text ? strlen(text) : 0;
    if (!text)
        return iom_fail(&c->err, IOM_EINVAL, "tor: no document given");
    if (n > (1u << 20))
        return iom_fail(&c->err, IOM_ETOOBIG, "tor: %zu bytes is over the limit of 1 MiB", n);
    *doc = json_loadb(text, n, JSON_REJECT_DUPLICATES, &je);
    if (!*doc)
        return iom_fail(&c->err, IOM_EINVAL, "tor: invalid JSON at line %d column %d: %s", je.line,
                        je.column, je.text);
    json_t *o = *doc;
    if (!json_is_object(o))
        return iom_fail(&c->err, IOM_EINVAL, "tor: the document must be a JSON object");
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v) {
        size_t k = 0;
        while (keys[k] && strcmp(keys[k], key) != 0)
            k++;
        if (!keys[k])
            return iom_fail(&c->err, IOM_EINVAL, "tor: unknown field '%.64s'", key);
    }
    *start = json_string_value(json_object_get(o, "start_date"));
    *end = json_string_value(json_object_get(o, "end_date"));
    iom_err err;
    if (!*start)
        return iom_fail(&c->err, IOM_EINVAL, "start_date: required (YYYY-MM-DD)");
    if (!*end)
        return iom_fail(&c->err, IOM_EINVAL, "end_date: required (YYYY-MM-DD)");
    if ((err = iom_date_check("start_date", *start, &c->err)) ||
        (err = iom_date_check("end_date", *end, &c->err)))
        return err;
    if (strcmp(*end, *start) < 0)
        return iom_fail(&c->err, IOM_EINVAL, "end_date: %s is before start_date %s", *end, *start);
    json_t *services = json_object_get(o, "services");
    if (!json_is_array(services) || json_array_size(services) == 0)
        return iom_fail(&c->err, IOM_EINVAL, "services: a list of at least one TOEX service is required");
    size_t i;
    json_array_foreach(services, i, v) {
        iom_service sv;
        if (!json_is_string(v))
            return iom_fail(&c->err, IOM_EINVAL, "services[%zu]: must be a string", i);
        if ((err = products_service_parse(json_string_value(v), &sv, &c->err)))
            return err;
    }
    json_t *objectives = json_object_get(o, "objectives");
    if (!json_is_array(objectives) || json_array_size(objectives) == 0)
        return iom_fail(&c->err, IOM_EINVAL,
                        "objectives: at least one objective of the SIO's investigation strategy is required");
    json_array_foreach(objectives, i, v) {
        char field[48];
        snprintf(field, sizeof field, "objectives[%zu]", i);
        if (!json_is_string(v))
            return iom_fail(&c->err, IOM_EINVAL, "%s: must be a string", field);
        if ((err = iom_text_check(field, json_string_value(v), ITEM_MAX,
                                  IOM_TEXT_REQUIRED | IOM_TEXT_MULTI_LINE, &c->err)))
            return err;
    }
    const char *lists[] = {"milestones", "products"};
    for (int l = 0; l < 2; l++) {
        json_t *arr = json_object_get(o, lists[l]);
        if (!arr)
            continue;
        if (!json_is_array(arr) || json_array_size(arr) > 200)
            return iom_fail(&c->err, IOM_EINVAL, "%s: must be a list (at most 200)", lists[l]);
        json_array_foreach(arr, i, v) {
            const char *name = l == 0 ? "name" : "type";
            const char *label = json_string_value(json_object_get(v, name));
            const char *due = json_string_value(json_object_get(v, "due"));
            char field[64];
            snprintf(field, sizeof field, "%s[%zu].%s", lists[l], i, name);
            if (!json_is_object(v) || json_object_size(v) != 2 || !label || !due)
                return iom_fail(&c->err, IOM_EINVAL, "%s[%zu]: must be {\"%s\": ..., \"due\": \"YYYY-MM-DD\"}",
                                lists[l], i, name);
            if (l == 0 && (err = iom_text_check(field, label, ITEM_MAX,
                                                IOM_TEXT_REQUIRED | IOM_TEXT_SINGLE_LINE, &c->err)))
                return err;
            iom_product_type pt;
            if (l == 1 && (err = products_type_parse(label, &pt, &c->err)))
                return err;
            snprintf(field, sizeof field, "%s[%zu].due", lists[l], i);
            if ((err = iom_date_check(field, due, &c->err)))
                return err;
            if (strcmp(due, *start) < 0 || strcmp(due, *end) > 0)
                return iom_fail(&c->err, IOM_EINVAL, "%s: %s is outside the ToR's %s to %s", field, due,
                                *start, *end);
        }
    }
    return IOM_OK;
}

iom_err app_tor_propose(iom_ctx *c, const char *ref, const char *json_text, int64_t if_version,
                        iom_tor_t *out)
{
    json_t *doc = NULL;
    const char *start = NULL, *end = NULL;
    iom_err err = tor_validate(c, json_text, &doc, &start, &end);
    if (err || (err = app_begin(c, true))) {
        json_decref(doc);
        return err;
    }
    app_tasking_scope sc;
    if ((err = app_tasking_enter(c, ref, IOM_TA_PROPOSE_TOR, if_version, &sc)))
        goto done;
    char *before = tasking_text(c, &sc.t);
    iom_tor_t tor = {.tasking_id = sc.t.id, .content_json = json_text_sorted(c->arena, doc),
                     .start_date = (char *)start, .end_date = (char *)end,
                     .proposed_by = c->actor.id, .proposed_at = app_now(c)};
    char *what = NULL;
    if ((err = TS(c)->tor_insert(c->store, &tor, &c->err)))
        goto done;
    what = iom_arena_printf(c->arena, "version %lld", (long long)tor.version);
    if ((err = app_tasking_touch(c, &sc.t)) ||
        (err = record(c, &sc.t, "propose_tor", sc.role, (int)sc.t.state, what, before)) ||
        (err = TS(c)->tor_get(c->store, sc.t.id, tor.version, c->arena, out, &c->err)))
        goto done;
done:
    json_decref(doc);
    return app_end(c, err);
}

iom_err app_tor_get(iom_ctx *c, const char *ref, int64_t version, iom_tor_t *out)
{
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    app_tasking_scope sc;
    if (!(err = load(c, ref, IOM_PART_TASKING, &sc)))
        err = TS(c)->tor_get(c->store, sc.t.id, version, c->arena, out, &c->err);
    return app_end(c, err);
}

iom_err app_tasking_version(iom_ctx *c, const char *ref, int64_t *out)
{
    *out = 0;
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    app_tasking_scope sc;
    if (!(err = load(c, ref, IOM_PART_TASKING, &sc)))
        *out = sc.t.version;
    return app_end(c, err);
}

iom_err app_tor_list(iom_ctx *c, const char *ref, iom_tor_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    app_tasking_scope sc;
    iom_tor_t latest;
    if ((err = load(c, ref, IOM_PART_TASKING, &sc)))
        return app_end(c, err);
    err = TS(c)->tor_get(c->store, sc.t.id, 0, c->arena, &latest, &c->err);
    if (err == IOM_ENOTFOUND) {
        c->err.msg[0] = '\0';
        return app_end(c, IOM_OK);
    }
    if (err)
        return app_end(c, err);
    iom_tor_t *v = iom_arena_new(c->arena, iom_tor_t, (size_t)latest.version);
    for (int64_t i = 1; i < latest.version && !err; i++)
        err = TS(c)->tor_get(c->store, sc.t.id, i, c->arena, &v[i - 1], &c->err);
    if (err)
        return app_end(c, err);
    v[latest.version - 1] = latest;
    *out = v;
    *n = (size_t)latest.version;
    return app_end(c, IOM_OK);
}

/* ---- reassessment --------------------------------------------------------------------- */

iom_err app_tasking_reassess(iom_ctx *c, const char *ref, const char *text, int64_t if_version,
                             iom_assessment_t *out)
{
    json_error_t je;
    size_t n = text ? strlen(text) : 0;
    if (!text)
        return iom_fail(&c->err, IOM_EINVAL, "assessment: no document given");
    if (n > 65536)
        return iom_fail(&c->err, IOM_ETOOBIG, "assessment: %zu bytes is over the limit of 64 KiB", n);
    json_t *doc = json_loadb(text, n, JSON_REJECT_DUPLICATES, &je);
    if (!doc)
        return iom_fail(&c->err, IOM_EINVAL, "assessment: invalid JSON at line %d column %d: %s",
                        je.line, je.column, je.text);
    assess_input in;
    assess_result r;
    iom_err err = app_assessment_from_json(c, doc, &in);
    if (!err)
        err = assess_compute(&r, &in, NULL, &c->err);
    if (err || (err = app_begin(c, true))) {
        json_decref(doc);
        return err;
    }
    app_tasking_scope sc;
    if ((err = app_tasking_enter(c, ref, IOM_TA_REASSESS, if_version, &sc)))
        goto done;
    iom_tasking_rels rels = access_lifecycle_relations(&sc.actor, &sc.at);
    const char *role = (rels & IOM_REL_TASKING_SIA) ? "sia" : "sio";
    char *content = json_text_sorted(c->arena, doc);
    char *before = tasking_text(c, &sc.t);
    iom_assessment_t latest;
    bool sign_existing = false;
    err = TS(c)->assessment_latest(c->store, sc.t.id, "reassessment", c->arena, &latest, &c->err);
    if (err == IOM_ENOTFOUND) {
        iom_error_clear(&c->err);
        err = IOM_OK;
    } else if (!err) {
        bool mine = strcmp(role, "sia") == 0 ? latest.sia_signed_by != 0 : latest.sio_signed_by != 0;
        sign_existing = strcmp(latest.content_json, content) == 0 && !mine;
        if (strcmp(latest.content_json, content) == 0 && mine)
            err = iom_fail(&c->err, IOM_ECONFLICT,
                           "assessment: the %s has already signed this assessment (version %lld)", role,
                           (long long)latest.version);
    }
    if (err)
        goto done;
    int64_t id = latest.id;
    if (!sign_existing) {
        iom_assessment_t x = {.tasking_id = sc.t.id, .kind = "reassessment", .content_json = content,
                              .score_tenths = r.score_tenths, .band = (char *)assess_band_name(r.band),
                              .recommendation = (char *)assess_recommendation_name(r.recommendation),
                              .rationale = r.rationale, .proposed_by = c->actor.id,
                              .proposed_at = app_now(c)};
        if ((err = TS(c)->assessment_insert(c->store, &x, &c->err)))
            goto done;
        id = x.id;
    }
    if ((err = TS(c)->assessment_sign(c->store, id, role, c->actor.id, app_now(c), &c->err)) ||
        (err = app_tasking_touch(c, &sc.t)) ||
        (err = record(c, &sc.t, "reassess", sc.role, (int)sc.t.state,
                      sign_existing ? "signed the same assessment" : "proposed a new assessment", before)) ||
        (err = TS(c)->assessment_latest(c->store, sc.t.id, "reassessment", c->arena, out, &c->err)))
        goto done;
done:
    json_decref(doc);
    return app_end(c, err);
}

/* ---- reads ---------------------------------------------------------------------------- */

/* The read of a tasking's full record is logged (domain.md §10, issue 5 point 7) with the
   stated purpose or the relation that granted it, in the read chain once the read transaction
   has ended (app/readlog.h): it returns when the entry is durable (or queued under the
   adapter's ticket). */
static iom_err log_tasking_read(iom_ctx *c, const app_tasking_view *v)
{
    const char *purpose = app_read_purpose(c, access_read_purpose(&v->access));
    if (!purpose)
        return IOM_OK; /* no content was read (apmis: outcome only) */
    iom_err err = app_purpose_check(purpose, &c->err);
    if (err)
        return err;
    /* {"read":{"ref","version"},"justification":null,"purpose"} as text directly (the hottest
       read; the same text as json_text of the jansson object). */
    iom_buf b = IOM_BUF_INIT;
    iom_buf_puts(&b, "{\"read\":{");
    jsonw_key(&b, "ref");
    jsonw_str(&b, v->t.ref);
    iom_buf_putc(&b, ',');
    jsonw_key(&b, "version");
    jsonw_int(&b, v->t.version);
    iom_buf_puts(&b, "},\"justification\":null,");
    jsonw_key(&b, "purpose");
    jsonw_str(&b, purpose);
    iom_buf_putc(&b, '}');
    err = app_read_log(c, "tasking.read", v->t.ref, b.data);
    iom_buf_free(&b);
    return err;
}

iom_err app_tasking_show(iom_ctx *c, const char *ref, app_tasking_view *v)
{
    memset(v, 0, sizeof *v);
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    app_tasking_scope sc;
    if ((err = load(c, ref, IOM_PART_OUTCOME, &sc)))
        return app_end(c, err);
    v->t = sc.t;
    iom_access_part part = IOM_PART_TASKING;
    iom_error ignore = {0};
    if (access_part_check(&v->access, &sc.actor, &sc.at, part, sc.t.marking, &ignore) != IOM_OK)
        v->access = sc.access; /* outcome only (apmis) */
    iom_store *s = c->store;
    if ((err = TS(c)->events(s, sc.t.id, c->arena, &v->events, &v->nevents, &c->err)))
        return app_end(c, err);
    if (v->access.content) {
        if ((err = TS(c)->members(s, sc.t.id, c->arena, &v->members, &v->nmembers, &c->err)) ||
            (err = TS(c)->tor_agreed_version(s, sc.t.id, &v->tor_agreed_version, &c->err)))
            return app_end(c, err);
        err = TS(c)->tor_get(s, sc.t.id, 0, c->arena, &v->tor, &c->err);
        v->has_tor = !err;
        if (err == IOM_ENOTFOUND)
            err = IOM_OK;
        if (!err) {
            err = TS(c)->assessment_latest(s, sc.t.id, "reassessment", c->arena, &v->reassessment, &c->err);
            v->has_reassessment = !err;
            if (err == IOM_ENOTFOUND)
                err = IOM_OK;
        }
    }
    if (!err) {
        err = TS(c)->transfer_latest(s, sc.t.id, c->arena, &v->transfer, &c->err);
        v->has_transfer = !err;
        if (err == IOM_ENOTFOUND)
            err = IOM_OK;
    }
    iom_error_clear(&c->err);
    lifecycle_actor who = {c->actor.roles, access_lifecycle_relations(&sc.actor, &sc.at)};
    v->allowed_actions = v->access.read_only ? 0 : lifecycle_allowed_actions(sc.t.state, &who);
    if ((err = app_end(c, err)))
        return err;
    return v->access.content ? log_tasking_read(c, v) : IOM_OK;
}

iom_err app_tasking_list(iom_ctx *c, const app_tasking_query *q, iom_tasking_t **out, size_t *n,
                         const char **next)
{
    *next = NULL;
    *n = 0;
    iom_tasking_filter f = {.state = -1, .after_ref = q->after, .limit = q->limit ? q->limit : 50};
    iom_err err;
    if (f.limit > 1000)
        return iom_fail(&c->err, IOM_EINVAL, "limit: %zu is above the maximum of 1000", f.limit);
    if (q->state) {
        iom_tasking_state st;
        if ((err = lifecycle_state_parse(q->state, &st, &c->err)))
            return err;
        f.state = (int)st;
    }
    if ((err = app_begin(c, false)))
        return err;
    if ((err = app_actor(c)))
        return app_end(c, err);
    iom_store *s = c->store;
    if (q->owner) {
        iom_agency_t a;
        err = s->ops->agency_get(s, q->owner, c->arena, &a, &c->err);
        if (err == IOM_ENOTFOUND)
            err = iom_fail(&c->err, IOM_EINVAL, "owner: '%s' is not a known agency code", q->owner);
        if (err)
            return app_end(c, err);
        f.owner_id = a.id;
    }
    if (q->region) {
        iom_region_t *regions;
        size_t nr, i = 0;
        if ((err = s->ops->region_list(s, c->arena, &regions, &nr, &c->err)))
            return app_end(c, err);
        while (i < nr && strcmp(regions[i].code, q->region) != 0)
            i++;
        if (i == nr)
            return app_end(c, iom_fail(&c->err, IOM_EINVAL, "region: '%s' is not a known region code",
                                       q->region));
        f.region = regions[i].code;
    }
    /* Need-to-know as a store filter (domain.md §3); each row is checked again below. */
    iom_roles r = c->actor.roles;
    bool member_of_agency = (r & ~IOM_ROLE_BIT(IOM_ROLE_ADMIN)) != 0;
    f.scope.all = iom_roles_has(r, IOM_ROLE_AUDITOR) || iom_roles_has(r, IOM_ROLE_APMIS);
    f.scope.agency_id = member_of_agency ? c->actor.agency_id : 0;
    f.scope.region_id = (iom_roles_has(r, IOM_ROLE_GATEWAY) || iom_roles_has(r, IOM_ROLE_TTCG))
                            ? c->actor.agency_region_id : 0;
    f.scope.user_id = c->actor.agency_kind == IOM_AGENCY_CAPABILITY ? c->actor.id : 0;
    f.scope.reached_toex = iom_roles_has(r, IOM_ROLE_TOEX_MANAGER);
    f.scope.escalated_ftt = iom_roles_has(r, IOM_ROLE_FTT);
    f.max_marking = c->actor.clearance;
    size_t want = f.limit;
    f.limit = want + 1;
    iom_tasking_t *v;
    size_t k;
    if ((err = TS(c)->list(s, &f, c->arena, &v, &k, &c->err)))
        return app_end(c, err);
    if (k > want) {
        k = want;
        *next = v[want - 1].ref;
    }
    /* Defence in depth: drop anything the domain predicate refuses. Team membership only ever
       grants sight, so it is looked up (one query) only for a row refused without it. */
    access_actor a = actor_of(c);
    size_t kept = 0;
    for (size_t i = 0; i < k; i++) {
        access_tasking at = summary_of(&v[i]);
        access_decision d;
        iom_error ignore = {0};
        bool ok = access_tasking_check(&d, &a, &at, &ignore) == IOM_OK;
        if (!ok) {
            if ((err = tasking_of(c, &v[i], &at)))
                return app_end(c, err);
            ok = at.actor_assigned && access_tasking_check(&d, &a, &at, &ignore) == IOM_OK;
        }
        if (ok)
            v[kept++] = v[i];
    }
    *out = v;
    *n = kept;
    return app_end(c, IOM_OK);
}

/* ---- due dates ------------------------------------------------------------------------ */

static int64_t day_number(const char *ymd)
{
    int y = 0, m = 0, d = 0;
    sscanf(ymd, "%d-%d-%d", &y, &m, &d);
    return iom_days_from_civil(y, (unsigned)m, (unsigned)d);
}

iom_err app_tasking_due(iom_ctx *c, int days, app_due_item **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (days < 0 || days > 3660)
        return iom_fail(&c->err, IOM_EINVAL, "days: %d is not from 0 to 3660", days);
    static const iom_tasking_state open_states[] = {IOM_TS_TOR_AGREED, IOM_TS_IN_DEVELOPMENT,
                                                    IOM_TS_REASSESSMENT};
    size_t cap = 64, k = 0;
    app_due_item *v = iom_arena_new(c->arena, app_due_item, cap);
    int64_t today = app_now(c) / 86400;
    for (size_t si = 0; si < sizeof open_states / sizeof open_states[0]; si++) {
        const char *after = NULL;
        do {
            app_tasking_query q = {.state = lifecycle_state_name(open_states[si]), .limit = 1000,
                                   .after = after};
            iom_tasking_t *ts;
            size_t nt;
            const char *next;
            iom_err err = app_tasking_list(c, &q, &ts, &nt, &next);
            if (err)
                return err;
            for (size_t i = 0; i < nt; i++) {
                if ((err = app_begin(c, false)))
                    return err;
                app_tasking_scope sc;
                iom_tor_t tor;
                err = load(c, ts[i].ref, IOM_PART_TASKING, &sc);
                if (!err)
                    err = tor_in_force(c, &sc.t, &tor);
                if (err == IOM_ENOTFOUND) {
                    iom_error_clear(&c->err);
                    app_end(c, IOM_OK);
                    continue;
                }
                if (err)
                    return app_end(c, err);
                json_t *doc = json_loads(tor.content_json, 0, NULL);
                const char *lists[] = {"milestones", "products"};
                for (int l = 0; l < 2 && !err; l++) {
                    size_t j;
                    json_t *it;
                    json_array_foreach(json_object_get(doc, lists[l]), j, it) {
                        const char *name = json_string_value(json_object_get(it, l ? "type" : "name"));
                        const char *due = json_string_value(json_object_get(it, "due"));
                        if (!name || !due)
                            continue;
                        int64_t left = day_number(due) - today;
                        bool delivered = false;
                        if (l == 1) {
                            int64_t nd = 0;
                            if ((err = c->store->ops->work->products_delivered(c->store, sc.t.id, name,
                                                                               &nd, &c->err)))
                                break;
                            delivered = nd > 0;
                        }
                        if (left > days || delivered)
                            continue;
                        if (k == cap) {
                            app_due_item *w = iom_arena_new(c->arena, app_due_item, cap * 2);
                            memcpy(w, v, k * sizeof *v);
                            v = w;
                            cap *= 2;
                        }
                        v[k++] = (app_due_item){iom_arena_strdup(c->arena, sc.t.ref),
                                                l ? "product" : "milestone",
                                                iom_arena_strdup(c->arena, name),
                                                iom_arena_strdup(c->arena, due), left, delivered};
                    }
                }
                json_decref(doc);
                if ((err = app_end(c, err)))
                    return err;
            }
            after = next;
        } while (after);
    }
    *out = v;
    *n = k;
    return IOM_OK;
}
