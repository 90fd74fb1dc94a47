/* The bid: validation and `tasking new` (app/tasking.h). */
#include "app/tasking_int.h"

#include <stdio.h>
#include <string.h>

#include "app/json.h"
#include "app/settings.h"
#include "domain/access.h"
#include "domain/bid.h"
#include "domain/products.h"
#include "util/text.h"
#include "util/timefmt.h"

#define SUMMARY_MAX 4000
#define KNOWN_MAX 20000
#define REF_MAX 100

iom_err tasking_date_near(iom_ctx *c, const char *field, const char *d, const char *from, int ahead,
                          const char *what)
{
    int64_t day = 0, min = 0;
    iom_day_number(d, &day);
    iom_day_number(from, &min);
    int64_t today = app_today(c);
    if (day < min)
        return iom_fail(&c->err, IOM_EINVAL, "%s: %s is before %s; it is %s", field, d, from, what);
    if (ahead == 0 && day > today) {
        char t[32];
        iom_time_utc(today * 86400, t);
        t[10] = '\0';
        return iom_fail(&c->err, IOM_EINVAL, "%s: %s is after today (%s in the UK); it is %s", field, d,
                        t, what);
    }
    if (day > today + ahead)
        return iom_fail(&c->err, IOM_EINVAL, "%s: %s is more than %d days after today; it is %s",
                        field, d, ahead, what);
    return IOM_OK;
}

static iom_err text_field(iom_ctx *c, const char *name, const char *v, size_t max, int flags)
{
    return iom_text_check(name, v, max, flags, &c->err);
}

/* The bid's fields, every one checked (each problem noted: iom_ctx problems, so that a form
   of several bad fields is told all of them at once, review 90); *bid is built only when all
   hold. IOM_EINVAL when a problem was noted (c->err holds the first). */
static iom_err validate_bid(iom_ctx *c, const app_bid_input *in, json_t **bid)
{
    iom_err err;
    *bid = NULL;
    static const struct {
        const char *name;
        size_t max;
        int flags;
    } texts[] = {{"summary", SUMMARY_MAX, IOM_TEXT_REQUIRED | IOM_TEXT_MULTI_LINE},
                 {"known", KNOWN_MAX, IOM_TEXT_MULTI_LINE},
                 {"ftm_ref", REF_MAX, IOM_TEXT_REQUIRED | IOM_TEXT_SINGLE_LINE},
                 {"timeline", TASKING_ITEM_MAX, IOM_TEXT_MULTI_LINE},
                 {"customer", 64, IOM_TEXT_SINGLE_LINE}};
    const char *values[] = {in->summary, in->known, in->ftm_ref, in->timeline, in->customer};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if ((err = app_problem_noted(c, texts[i].name,
                                     text_field(c, texts[i].name, values[i], texts[i].max, texts[i].flags))))
            return err;
    if (!in->ftm_date)
        app_problem(c, "ftm_date", "ftm_date: the date of the force tasking meeting is required");
    else if ((err = app_problem_noted(
                  c, "ftm_date",
                  (err = iom_date_check("ftm_date", in->ftm_date, &c->err))
                      ? err
                      : tasking_date_near(c, "ftm_date", in->ftm_date, "2000-01-01", 0,
                                          "the date of the force tasking meeting that escalated the "
                                          "threat, held before the bid"))))
        return err;
    if (in->nrequirements == 0)
        app_problem(c, "requirements", "requirements: at least one intelligence requirement is needed");
    if (in->nservices == 0)
        app_problem(c, "services", "services: at least one TOEX service is needed");
    for (size_t i = 0; i < in->nrequirements; i++) {
        char field[48];
        snprintf(field, sizeof field, "requirements[%zu]", i);
        if ((err = text_field(c, field, in->requirements[i], TASKING_ITEM_MAX,
                              IOM_TEXT_REQUIRED | IOM_TEXT_MULTI_LINE))) {
            if ((err = app_problem_noted(c, field, err)))
                return err;
            continue;
        }
        for (size_t k = 0; k < i; k++)
            if (in->requirements[k] && !strcmp(in->requirements[k], in->requirements[i])) {
                app_problem(c, field, "%s: '%.64s' is given twice (requirements[%zu])", field,
                            in->requirements[i], k);
                break;
            }
    }
    for (size_t i = 0; i < in->nservices; i++) {
        iom_service sv;
        char field[48];
        snprintf(field, sizeof field, "services[%zu]", i);
        if ((err = products_service_parse(in->services[i], &sv, &c->err))) {
            if ((err = app_problem_noted(c, field, err)))
                return err;
            continue;
        }
        for (size_t k = 0; k < i; k++)
            if (strcmp(in->services[k], in->services[i]) == 0) {
                app_problem(c, field, "services: '%s' is given twice", in->services[i]);
                break;
            }
    }
    assess_result r;
    if (in->has_assessment &&
        (err = app_problem_noted(c, "assessment", assess_compute(&r, &in->assessment, NULL, &c->err))))
        return err;
    if (c->nproblems)
        return IOM_EINVAL;
    json_t *reqs = json_array(), *svcs = json_array();
    *bid = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "ftm_date", in->ftm_date, "ftm_ref",
                     in->ftm_ref, "summary", json_string(in->summary), "known",
                     json_str_or_null(in->known), "requirements", reqs, "services", svcs,
                     "timeline", json_str_or_null(in->timeline));
    for (size_t i = 0; i < in->nrequirements; i++)
        json_array_append_new(reqs, json_string(in->requirements[i]));
    for (size_t i = 0; i < in->nservices; i++)
        json_array_append_new(svcs, json_string(in->services[i]));
    if (in->has_assessment) {
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

static bid_agency bid_agency_of(const iom_agency_t *a)
{
    return (bid_agency){a->id, a->code, a->kind, a->region_id, a->disabled};
}

/* The bid's own words, before any record is read: urgency, marking and type. */
static iom_err parse_words(iom_ctx *c, const app_bid_input *in, iom_urgency *urgency,
                           bool *has_marking, iom_marking *marking, json_t *bid)
{
    iom_err err;
    *urgency = IOM_URGENCY_ROUTINE;
    if (in->urgency && (err = app_problem_noted(c, "urgency", products_urgency_parse(in->urgency, urgency, &c->err))))
        return err;
    *has_marking = in->marking != NULL;
    if (in->marking && (err = app_problem_noted(c, "marking", iom_marking_parse(in->marking, marking, &c->err))))
        return err;
    iom_threat_type ty;
    if (in->type && (err = app_problem_noted(c, "type", iom_threat_type_parse(in->type, &ty, &c->err))))
        return err;
    if (c->nproblems || !bid) /* every problem noted: nothing is built */
        return c->nproblems ? IOM_EINVAL : IOM_OK;
    if (in->type)
        json_object_set_new(bid, "type", json_string(in->type));
    if (in->customer)
        json_object_set_new(bid, "customer", json_string(in->customer));
    return IOM_OK;
}

/* The bid's region (domain/bid.h bid_region), the code named resolved first. */
static iom_err bid_region_of(iom_ctx *c, const app_bid_input *in, const iom_agency_t *req,
                             const iom_agency_t *owner, int64_t *out)
{
    int64_t named = 0;
    if (in->region) {
        iom_region_t *rs;
        size_t nr;
        iom_err err = c->store->ops->region_list(c->store, c->arena, &rs, &nr, &c->err);
        if (err)
            return err;
        for (size_t i = 0; i < nr && !named; i++)
            if (strcmp(rs[i].code, in->region) == 0)
                named = rs[i].id;
        if (!named)
            return iom_fail(&c->err, IOM_EINVAL, "region: '%s' is not a known region (iom "
                                                 "region list)", in->region);
    }
    bid_agency rq = bid_agency_of(req), ow = bid_agency_of(owner);
    return bid_region(&rq, &ow, named, in->region, out, &c->err);
}

/* The customer is the officer who asked for help (domain.md): a user of the requesting agency
   or of the threat's owner, able to act. Anyone else named there (another force's officer,
   TOEX, which never owns the risk, an administrator) would be recorded as the customer of a
   tasking they cannot see. */
static iom_err customer_check(iom_ctx *c, const iom_user_t *cu, int64_t req_id, const char *req_code,
                              int64_t owner_id, const char *owner_code, iom_marking marking)
{
    if (cu->disabled || cu->agency_disabled)
        return iom_fail(&c->err, IOM_EINVAL, "customer: '%s' is disabled", cu->name);
    if (!iom_clearance_allows(cu->clearance, marking))
        return iom_fail(&c->err, IOM_EINVAL,
                        "customer: '%s' is cleared for %s and the tasking is marked %s; the "
                        "customer must be able to read the tasking",
                        cu->name, iom_marking_name(cu->clearance), iom_marking_name(marking));
    if (cu->agency_id != req_id && cu->agency_id != owner_id)
        return iom_fail(&c->err, IOM_EINVAL,
                        "customer: '%s' is of %s; rule: the customer is an officer of the "
                        "requesting agency (%s) or of the threat's owner (%s)",
                        cu->name, cu->agency ? cu->agency : "another agency", req_code,
                        owner_code);
    /* Review 104: an officer of the agency, not an account whose roles are oversight or
       administration alone (admin, apmis, auditor): none of those reads a tasking as a member
       of its agency (access_operational), so such a customer could not read the bid it is
       named on (an APMIS recorder's sight of a draft is none at all). */
    if (!access_operational(cu->roles))
        return iom_fail(&c->err, IOM_EINVAL,
                        "customer: '%s' holds no operational role of %s (only admin, apmis or "
                        "auditor, which read no tasking as its agency's officer); the customer "
                        "must be able to read the tasking",
                        cu->name, cu->agency ? cu->agency : "its agency");
    return IOM_OK;
}

iom_err app_tasking_new(iom_ctx *c, const app_bid_input *in, iom_tasking_t *out)
{
    json_t *bid = NULL;
    iom_urgency urgency;
    bool has_marking;
    iom_marking marking = IOM_MARKING_OFFICIAL;
    iom_err err = app_begin(c, true);
    if (err)
        return err;
    iom_store *s = c->store;
    iom_threat_t th;
    iom_agency_t req, owner;
    iom_user_t customer = {0};
    if ((err = app_actor(c)))
        goto out;
    /* the caller's right before the content (api.md "Errors"; review 84 L12: a toex analyst was
       told its agency cannot request support, before it was told its role prepares no bid): a
       bid is prepared by a spoc of the requesting agency, which is the spoc's own */
    const char *req_code = in->requesting_agency ? in->requesting_agency : c->actor.agency;
    if (!iom_roles_has(c->actor.roles, IOM_ROLE_SPOC) || !c->actor.agency ||
        strcmp(req_code, c->actor.agency) != 0) {
        err = iom_fail(&c->err, IOM_EFORBIDDEN,
                       "tasking new: only a spoc of the requesting agency '%s' prepares a bid", req_code);
        goto out;
    }
    /* the bid's own fields, every problem of them told at once (iom_ctx problems) */
    c->nproblems = 0;
    if ((err = validate_bid(c, in, &bid)) && err != IOM_EINVAL)
        goto out;
    if ((err = parse_words(c, in, &urgency, &has_marking, &marking, bid)) && err != IOM_EINVAL)
        goto out;
    if ((err = app_problems_end(c)))
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
    err = s->ops->agency_get(s, req_code, c->arena, &req, &c->err);
    if (err == IOM_ENOTFOUND)
        err = iom_fail(&c->err, IOM_EINVAL, "requesting_agency: '%s' is not a known agency", req_code);
    if (err || (err = s->ops->agency_get(s, th.owner, c->arena, &owner, &c->err)))
        goto out;
    if (!has_marking)
        marking = th.marking;
    bid_request r = {.actor_name = c->actor.name, .actor_roles = c->actor.roles,
                     .actor_agency_id = c->actor.agency_id, .actor_clearance = c->actor.clearance,
                     .threat_ref = th.ref, .threat_archived = th.status == IOM_THREAT_ARCHIVED,
                     .threat_marking = th.marking, .owner = bid_agency_of(&owner),
                     .requesting = bid_agency_of(&req), .marking = marking};
    int64_t region_id = 0;
    if ((err = bid_check(&r, &c->err)) || (err = bid_region_of(c, in, &req, &owner, &region_id)))
        goto out;
    if (in->customer) {
        err = s->ops->user_get(s, in->customer, c->arena, &customer, &c->err);
        if (err == IOM_ENOTFOUND)
            err = iom_fail(&c->err, IOM_EINVAL, "customer: '%s' is not a known user", in->customer);
        if (!err)
            err = customer_check(c, &customer, req.id, req.code, owner.id, owner.code, marking);
        if (err)
            goto out;
    }
    iom_user_t sio;
    if ((err = s->ops->user_get(s, th.sio, c->arena, &sio, &c->err)))
        goto out;
    /* the threat's SIO holds the risk, agrees the ToR and signs the reassessment: a bid marked
       above their clearance would be a tasking its risk holder cannot read (review 42: its ToR
       could never be agreed) */
    if (!iom_clearance_allows(sio.clearance, marking)) {
        err = iom_fail(&c->err, IOM_EINVAL,
                       "marking: the threat's SIO '%s' is cleared for %s and the tasking would be "
                       "marked %s; the SIO who holds the risk agrees its terms and must be able to "
                       "read it (the owner names another SIO first: threat update --sio)",
                       sio.name, iom_marking_name(sio.clearance), iom_marking_name(marking));
        goto out;
    }
    /* The score under the assessment.scoring setting in force, with its version. */
    if (in->has_assessment &&
        (err = app_settings_score(c, &in->assessment, json_object_get(bid, "assessment"))))
        goto out;
    int64_t now = app_now(c);
    iom_tasking_t t = {.threat_id = th.id,
                       .state = IOM_TS_DRAFT,
                       .requesting_agency_id = req.id,
                       .requesting_region_id = region_id,
                       .spoc_id = c->actor.id,
                       .customer_id = customer.id,
                       .sio_id = sio.id,
                       .urgency = urgency,
                       .marking = marking,
                       .bid_json = json_text(c->arena, bid),
                       .created_at = now,
                       .created_by = c->actor.id};
    /* One open tasking per threat: checked here too (the store's triggers hold it under
       concurrency), so that a refused bid takes no reference number (a PostgreSQL sequence
       does not give one back) and both back-ends number the next bid alike. */
    int64_t open = 0;
    if ((err = TS(c)->open_for_threat(s, th.id, &open, &c->err)))
        goto out;
    if (open) {
        err = iom_fail(&c->err, IOM_ECONFLICT,
                       "threat: %s already has an open tasking; a threat has one open tasking at a time "
                       "(bid again once it has ended)", th.ref);
        goto out;
    }
    if ((err = TS(c)->insert(s, &t, c->arena, &c->err)) ||
        (err = tasking_record(c, &t, "new", IOM_ROLE_SPOC, -1, NULL, NULL, out)))
        goto out;
out:
    json_decref(bid);
    return app_end(c, err);
}

/* The stored bid's string of key, or NULL. */
static const char *bid_str(json_t *bid, const char *key)
{
    return json_string_value(json_object_get(bid, key));
}

static void bid_list(json_t *bid, const char *key, const char **out, size_t *n)
{
    size_t i;
    json_t *v;
    *n = 0;
    json_array_foreach(json_object_get(bid, key), i, v) if (json_is_string(v) && *n < APP_MAX_LIST_ITEMS)
        out[(*n)++] = json_string_value(v);
}

iom_err app_tasking_edit(iom_ctx *c, const char *ref, const app_bid_input *in, int64_t if_version,
                         iom_tasking_t *out)
{
    const char *fixed = in->threat ? "threat" : in->requesting_agency ? "requesting_agency"
                        : in->region ? "region" : in->marking ? "marking" : NULL;
    if (fixed)
        return iom_fail(&c->err, IOM_EINVAL, "%s: fixed when the bid was drafted; withdraw it and draft a "
                        "new one to change it", fixed);
    iom_err err = app_begin(c, true);
    if (err)
        return err;
    app_tasking_scope sc;
    json_t *old = NULL, *bid = NULL;
    if ((err = app_actor(c)) || (err = tasking_load(c, ref, IOM_PART_TASKING, &sc)) ||
        (err = tasking_check_version(c, &sc.t, if_version)))
        goto out;
    iom_agency_t req;
    if ((err = c->store->ops->agency_get(c->store, sc.t.requesting_agency, c->arena, &req, &c->err)) ||
        (err = bid_edit_check(sc.t.state, c->actor.roles, c->actor.agency_id, req.id, req.code, &c->err)))
        goto out;
    old = json_loads(sc.t.bid_json ? sc.t.bid_json : "{}", 0, NULL);
    if (!json_is_object(old)) {
        err = iom_fail(&c->err, IOM_ESTORE, "tasking %s: its bid is not a JSON object", sc.t.ref);
        goto out;
    }
    /* the bid as stored, with the fields given replacing theirs (a list given replaces the list) */
    app_bid_input m = {.ftm_date = in->ftm_date ? in->ftm_date : bid_str(old, "ftm_date"),
                       .ftm_ref = in->ftm_ref ? in->ftm_ref : bid_str(old, "ftm_ref"),
                       .summary = in->summary ? in->summary : bid_str(old, "summary"),
                       .known = in->known ? in->known : bid_str(old, "known"),
                       .timeline = in->timeline ? in->timeline : bid_str(old, "timeline"),
                       .type = in->type ? in->type : bid_str(old, "type"),
                       .customer = in->customer ? in->customer : bid_str(old, "customer"),
                       .urgency = in->urgency ? in->urgency : products_urgency_name(sc.t.urgency),
                       .has_assessment = in->has_assessment,
                       .assessment = in->assessment};
    if (in->nrequirements || in->has_requirements) {
        memcpy(m.requirements, in->requirements, in->nrequirements * sizeof *in->requirements);
        m.nrequirements = in->nrequirements;
    } else
        bid_list(old, "requirements", m.requirements, &m.nrequirements);
    if (in->nservices || in->has_services) {
        memcpy(m.services, in->services, in->nservices * sizeof *in->services);
        m.nservices = in->nservices;
    } else
        bid_list(old, "services", m.services, &m.nservices);
    iom_urgency urgency;
    bool has_marking;
    iom_marking marking;
    c->nproblems = 0; /* every problem of the bid as edited told at once */
    if ((err = validate_bid(c, &m, &bid)) && err != IOM_EINVAL)
        goto out;
    if ((err = parse_words(c, &m, &urgency, &has_marking, &marking, bid)) && err != IOM_EINVAL)
        goto out;
    if ((err = app_problems_end(c)))
        goto out;
    if (in->has_assessment) {
        if ((err = app_settings_score(c, &in->assessment, json_object_get(bid, "assessment"))))
            goto out;
    } else if (json_object_get(old, "assessment")) { /* kept as scored then */
        json_object_set(bid, "assessment", json_object_get(old, "assessment"));
    }
    iom_user_t customer = {0};
    if (m.customer) {
        err = c->store->ops->user_get(c->store, m.customer, c->arena, &customer, &c->err);
        if (err == IOM_ENOTFOUND)
            err = iom_fail(&c->err, IOM_EINVAL, "customer: '%s' is not a known user", m.customer);
        /* checked when it changes: a customer named before keeps its place (the marking is
           the draft's, not edited) */
        if (!err && in->customer)
            err = customer_check(c, &customer, req.id, req.code, sc.t.owner_id, sc.t.owner,
                                 sc.t.marking);
        if (err)
            goto out;
    }
    if (json_equal(bid, old) && urgency == sc.t.urgency) {
        err = iom_fail(&c->err, IOM_EINVAL, "tasking edit: nothing changes (give the fields to change)");
        goto out;
    }
    json_t *bj = json_of_tasking(&sc.t, true); /* the bid before, as the audit keeps it */
    char *before = json_text(c->arena, bj);
    json_decref(bj);
    iom_tasking_t t = sc.t;
    t.bid_json = json_text(c->arena, bid);
    t.urgency = urgency;
    t.customer_id = customer.id;
    t.updated_at = app_now(c);
    int64_t expected = t.version;
    if ((err = TS(c)->update(c->store, &t, expected, &c->err)) ||
        (err = tasking_record(c, &t, "edit", IOM_ROLE_SPOC, (int)t.state, NULL, before, out)))
        goto out;
out:
    json_decref(old);
    json_decref(bid);
    return app_end(c, err);
}
