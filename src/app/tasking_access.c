/* Need-to-know on one tasking: load, enter, touch (app/tasking.h, tasking_int.h). */
#include "app/tasking_int.h"

#include <string.h>

access_actor app_access_actor(const iom_ctx *c)
{
    return (access_actor){.user_id = c->actor.id,
                          .roles = c->actor.roles,
                          .agency_kind = c->actor.agency_kind,
                          .agency_id = c->actor.agency_id,
                          .region_id = c->actor.agency_region_id,
                          .clearance = c->actor.clearance};
}

access_tasking tasking_summary(const iom_tasking_t *t)
{
    return (access_tasking){.requesting_agency_id = t->requesting_agency_id,
                            .requesting_region_id = t->requesting_region_id,
                            .owning_agency_id = t->owner_id,
                            .owning_region_id = t->owner_region_id,
                            .reached_toex = t->reached_toex,
                            .escalated_ftt = t->escalated_ftt,
                            .draft = t->unsent || t->state == IOM_TS_DRAFT,
                            .sia_id = t->sia_id,
                            .sio_id = t->threat_sio_id,
                            .marking = t->marking};
}

iom_err tasking_facts(iom_ctx *c, const iom_tasking_t *t, access_tasking *out)
{
    bool member = false;
    iom_err err = TS(c)->is_member(c->store, t->id, c->actor.id, &member, &c->err);
    *out = (access_tasking){.requesting_agency_id = t->requesting_agency_id,
                            .requesting_region_id = t->requesting_region_id,
                            .owning_agency_id = t->owner_id,
                            .owning_region_id = t->owner_region_id,
                            .reached_toex = t->reached_toex,
                            .escalated_ftt = t->escalated_ftt,
                            .draft = t->unsent || t->state == IOM_TS_DRAFT,
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

iom_err tasking_load(iom_ctx *c, const char *ref, iom_access_part part, app_tasking_scope *s)
{
    memset(s, 0, sizeof *s);
    iom_err err = app_actor(c);
    if (err)
        return err;
    err = TS(c)->get(c->store, ref ? ref : "", c->arena, &s->t, &c->err);
    if (err == IOM_ENOTFOUND)
        return not_found(c, ref);
    if (err || (err = tasking_facts(c, &s->t, &s->at)))
        return err;
    s->actor = app_access_actor(c);
    iom_error why = {0};
    if (access_part_check(&s->access, &s->actor, &s->at, part, s->t.marking, &why) == IOM_OK)
        return IOM_OK;
    /* Content of a tasking whose outcome the reader sees (the APMIS recorder): still not found,
       as content one may not read is (a ToR, the intelligence, the picture, the products do not
       exist for an outcome reader), but saying why, since the same reader GETs the tasking's
       outcome view (review 84 L12: "not found" there, 200 on the tasking, read as a
       contradiction). Nothing is told that the outcome view does not show. */
    access_decision outcome;
    if (part > IOM_PART_OUTCOME &&
        access_part_check(&outcome, &s->actor, &s->at, IOM_PART_OUTCOME, s->t.marking, &why) == IOM_OK &&
        outcome.relation == IOM_ACCESS_APMIS)
        return iom_fail(&c->err, IOM_ENOTFOUND,
                        "tasking: '%s' not found for its %s: an APMIS recorder reads a tasking's "
                        "threat, owner and outcome only, never its content (domain.md §3)",
                        s->t.ref, part == IOM_PART_TASKING       ? "bid, terms of reference and team"
                                  : part == IOM_PART_INTELLIGENCE ? "intelligence and picture"
                                                                  : "products and options");
    return not_found(c, ref);
}

iom_err tasking_check_version(iom_ctx *c, const iom_tasking_t *t, int64_t if_version)
{
    return app_check_version(c, "tasking", t->ref, if_version, t->version);
}

iom_err app_tasking_check_version(iom_ctx *c, const iom_tasking_t *t, int64_t if_version)
{
    return tasking_check_version(c, t, if_version);
}

iom_err app_tasking_read(iom_ctx *c, const char *ref, iom_access_part part, app_tasking_scope *out)
{
    return tasking_load(c, ref, part, out);
}

iom_err app_tasking_enter(iom_ctx *c, const char *ref, iom_tasking_action action, int64_t if_version,
                          app_tasking_scope *out)
{
    /* Sight of the tasking at all (its outcome) is enough to be told "forbidden": an apmis
       recorder sees it (domain.md §3), so a change is refused with 403, as for an auditor,
       not answered "not found" for a tasking the same user can GET (serve.md). */
    iom_err err = tasking_load(c, ref, IOM_PART_OUTCOME, out);
    if (err)
        return err;
    if (out->access.read_only)
        return iom_fail(&c->err, IOM_EFORBIDDEN, "%s: user '%s' has read-only access to %s",
                        lifecycle_action_name(action), c->actor.name, out->t.ref);
    /* a stale version first: whoever may act on it (and reads its version anyway) is told
       someone acted since, not that their role or the state forbids what was allowed when
       they read it (review 81 M3) */
    if ((err = tasking_check_version(c, &out->t, if_version)))
        return err;
    lifecycle_actor who = {c->actor.roles, access_lifecycle_relations(&out->actor, &out->at)};
    lifecycle_facts facts = {0};
    iom_tasking_state next;
    if ((err = lifecycle_decide(&next, &out->role, out->t.state, action, &who, &facts, &c->err)))
        return err;
    return tasking_check_version(c, &out->t, if_version);
}

iom_err app_tasking_enter_pnd(iom_ctx *c, const char *ref, int64_t if_version, app_tasking_scope *out)
{
    /* who cannot read the tasking's intelligence is told of no item (as work_enter) */
    iom_err err = tasking_load(c, ref, IOM_PART_INTELLIGENCE, out);
    if (err)
        return err == IOM_ESTORE ? err : IOM_ENOTFOUND;
    if (out->access.read_only)
        return iom_fail(&c->err, IOM_EFORBIDDEN, "record_intel: user '%s' has read-only access to %s",
                        c->actor.name, out->t.ref);
    if ((err = tasking_check_version(c, &out->t, if_version)))
        return err;
    lifecycle_actor who = {c->actor.roles, access_lifecycle_relations(&out->actor, &out->at)};
    return lifecycle_pnd_may(out->t.state, &who, &out->role, &c->err);
}

/* The option's agency's narrow view (access_option_agency): the tasking is loaded for the
   option's rules (its state, its threat's SIO) but grants no sight of it; out->access stays
   NONE and out->narrow is set. IOM_ENOTFOUND, as for any tasking one may not see, otherwise. */
static iom_err option_agency_load(iom_ctx *c, const char *ref, int64_t option_agency_id,
                                  app_tasking_scope *out)
{
    iom_error saved = c->err;
    memset(out, 0, sizeof *out);
    iom_err err = TS(c)->get(c->store, ref ? ref : "", c->arena, &out->t, &c->err);
    if (err == IOM_ENOTFOUND)
        return not_found(c, ref);
    if (err || (err = tasking_facts(c, &out->t, &out->at)))
        return err;
    out->actor = app_access_actor(c);
    if (!access_option_agency(&out->actor, option_agency_id, out->t.marking))
        return not_found(c, ref);
    c->err = saved;
    out->narrow = true;
    return IOM_OK;
}

iom_err app_tasking_enter_option(iom_ctx *c, const char *ref, int64_t option_agency_id,
                                 int64_t if_version, app_tasking_scope *out)
{
    bool of_option_agency = option_agency_id != 0 && option_agency_id == c->actor.agency_id;
    iom_err err = tasking_load(c, ref, IOM_PART_PRODUCTS, out);
    if (err == IOM_ENOTFOUND && of_option_agency)
        err = option_agency_load(c, ref, option_agency_id, out);
    if (err)
        return err;
    /* the narrow view never reads the tasking's version, so it cannot name one */
    if (out->narrow && if_version > 0)
        return iom_fail(&c->err, IOM_EINVAL,
                        "If-Match: the option's agency does not read the tasking's version; give "
                        "the option's own version, as its agency's option list shows it");
    if (out->access.read_only)
        return iom_fail(&c->err, IOM_EFORBIDDEN, "record_option: user '%s' has read-only access to %s",
                        c->actor.name, out->t.ref);
    /* the right first: a user who may never set an option's status (the region's Gateway) is
       told so, not "reload and retry" and then 403 after reloading (review 89 L2). A stale
       version still comes before the state-only refusal of a team member whose work is over
       (review 81 M3): they may have read it while it was open. */
    lifecycle_actor who = {c->actor.roles, access_lifecycle_relations(&out->actor, &out->at)};
    iom_error why = {0};
    iom_err may = lifecycle_option_status_may(out->t.state, &who, of_option_agency, &out->role, &why);
    if (may == IOM_EFORBIDDEN) {
        c->err = why;
        return may;
    }
    /* the narrow view never reads the tasking's version: the option's own is its guard */
    if (!out->narrow && (err = tasking_check_version(c, &out->t, if_version)))
        return err;
    if (may)
        c->err = why;
    return may;
}

iom_err app_tasking_touch(iom_ctx *c, iom_tasking_t *t)
{
    t->updated_at = app_now(c);
    return TS(c)->update(c->store, t, t->version, &c->err);
}
