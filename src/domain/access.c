#include "domain/access.h"

#include <stdio.h>

static const char *const relation_words[IOM_ACCESS_RELATION_COUNT] = {
    "none", "owner", "requesting", "sio", "assigned", "gateway", "ttcg", "toex_manager", "ftt",
    "audit", "apmis"};
static const char *const part_words[IOM_PART_COUNT] = {"threat", "outcome", "tasking",
                                                       "intelligence", "products"};

const char *access_relation_name(iom_access_relation r)
{
    return (unsigned)r < IOM_ACCESS_RELATION_COUNT ? relation_words[r] : "?";
}

const char *access_read_purpose(const access_decision *d)
{
    if (!d || !d->content || d->relation == IOM_ACCESS_NONE || d->relation == IOM_ACCESS_APMIS)
        return NULL;
    return access_relation_name(d->relation);
}

const char *access_part_name(iom_access_part p)
{
    return (unsigned)p < IOM_PART_COUNT ? part_words[p] : "?";
}

static bool same(int64_t a, int64_t b) { return a != 0 && a == b; }

bool access_operational(iom_roles roles)
{
    /* admin: no access by role alone; apmis: outcomes only, whatever the recorder's agency
       (issue 12 point 9); auditor: everything read-only as oversight, never as a member of the
       owning force (its reads are logged with the purpose "audit", and nothing it reads is
       writable by its agency's relation): none of them makes agency membership count. */
    return (roles & ~(IOM_ROLE_BIT(IOM_ROLE_ADMIN) | IOM_ROLE_BIT(IOM_ROLE_APMIS) |
                      IOM_ROLE_BIT(IOM_ROLE_AUDITOR))) != 0;
}

access_scope access_scope_of(const access_actor *a)
{
    access_scope s = {.region_as = IOM_ACCESS_NONE, .all = IOM_ACCESS_NONE};
    if (!a)
        return s;
    iom_roles r = a->roles;
    s.agency_id = access_operational(r) ? a->agency_id : 0;
    s.user_id = a->agency_kind == IOM_AGENCY_CAPABILITY ? a->user_id : 0;
    s.sio_user_id = access_operational(r) && iom_roles_has(r, IOM_ROLE_SIO) ? a->user_id : 0;
    if (iom_roles_has(r, IOM_ROLE_GATEWAY) || iom_roles_has(r, IOM_ROLE_TTCG)) {
        s.region_id = a->region_id;
        s.region_as = iom_roles_has(r, IOM_ROLE_GATEWAY) ? IOM_ACCESS_GATEWAY : IOM_ACCESS_TTCG;
    }
    s.reached_toex = iom_roles_has(r, IOM_ROLE_TOEX_MANAGER);
    s.escalated_ftt = iom_roles_has(r, IOM_ROLE_FTT);
    s.all = iom_roles_has(r, IOM_ROLE_AUDITOR) ? IOM_ACCESS_AUDIT
          : iom_roles_has(r, IOM_ROLE_APMIS)   ? IOM_ACCESS_APMIS
                                               : IOM_ACCESS_NONE;
    s.clearance = a->clearance;
    return s;
}

/* `user` is on t's team (or is its SIA). */
static bool on_team(int64_t user, const access_tasking *t)
{
    if (user == 0)
        return false;
    if (t->actor_assigned || same(user, t->sia_id))
        return true;
    for (size_t i = 0; t->assigned_ids && i < t->n_assigned; i++)
        if (same(user, t->assigned_ids[i]))
            return true;
    return false;
}

static bool toex_assigned(const access_actor *a, const access_tasking *t)
{
    return a->agency_kind == IOM_AGENCY_CAPABILITY && on_team(a->user_id, t);
}

/* The strongest granting clause, in the order of iom_access_relation. */
iom_access_relation access_scope_relation(const access_scope *s, const access_tasking *t)
{
    if (!s || !t)
        return IOM_ACCESS_NONE;
    if (same(s->agency_id, t->owning_agency_id))
        return IOM_ACCESS_OWNER;
    if (same(s->agency_id, t->requesting_agency_id))
        return IOM_ACCESS_REQUESTING;
    if (same(s->sio_user_id, t->sio_id))
        return IOM_ACCESS_SIO;
    if (on_team(s->user_id, t))
        return IOM_ACCESS_ASSIGNED;
    if (s->region_as != IOM_ACCESS_NONE && !t->draft &&
        (same(s->region_id, t->requesting_region_id) || same(s->region_id, t->owning_region_id)))
        return s->region_as;
    if (s->reached_toex && t->reached_toex)
        return IOM_ACCESS_TOEX_MANAGER;
    if (s->escalated_ftt && t->escalated_ftt)
        return IOM_ACCESS_FTT;
    /* the APMIS recorder reads outcomes: a draft, still its SPOC's, has none (review 84 L2) */
    if (s->all == IOM_ACCESS_APMIS && t->draft)
        return IOM_ACCESS_NONE;
    return s->all;
}

bool access_scope_admits(const access_scope *s, const access_tasking *t)
{
    return access_scope_relation(s, t) != IOM_ACCESS_NONE &&
           iom_clearance_allows(s->clearance, t->marking);
}

static iom_err clearance(access_decision *out, const access_scope *s, iom_marking m,
                         const char *what, iom_error *e)
{
    if (iom_clearance_allows(s->clearance, m))
        return IOM_OK;
    iom_access_relation had = out->relation;
    *out = (access_decision){IOM_ACCESS_NONE, false, false};
    return iom_fail(e, IOM_EFORBIDDEN, "access: %s marked %s, actor cleared to %s (relation %s); "
                                       "rule: a user needs clearance for a record's marking",
                    what, iom_marking_name(m), iom_marking_name(s->clearance),
                    relation_words[had]);
}

iom_err access_tasking_check(access_decision *out, const access_actor *a, const access_tasking *t,
                             iom_error *e)
{
    *out = (access_decision){IOM_ACCESS_NONE, false, false};
    if (!a || !t)
        return iom_fail(e, IOM_EFORBIDDEN, "access: no actor or no tasking");
    access_scope s = access_scope_of(a);
    iom_access_relation rel = access_scope_relation(&s, t);
    if (rel == IOM_ACCESS_NONE)
        return iom_fail(e, IOM_EFORBIDDEN,
                        "access: no need-to-know relation to the tasking; rule: only the "
                        "requesting or owning agency, the threat's SIO, gateway/ttcg of their "
                        "regions, the assigned TOEX team, toex_managers once it reached TOEX, the ftt once "
                        "escalated, auditors and (threat, owner, outcome only) apmis see it");
    *out = (access_decision){rel, rel != IOM_ACCESS_APMIS,
                             rel == IOM_ACCESS_AUDIT || rel == IOM_ACCESS_APMIS};
    return clearance(out, &s, t->marking, "tasking", e);
}

iom_err access_part_check(access_decision *out, const access_actor *a, const access_tasking *t,
                          iom_access_part part, iom_marking record_marking, iom_error *e)
{
    *out = (access_decision){IOM_ACCESS_NONE, false, false};
    if ((unsigned)part >= IOM_PART_COUNT)
        return iom_fail(e, IOM_EFORBIDDEN, "access: part %d is unknown", (int)part);
    if (!a || !t)
        return iom_fail(e, IOM_EFORBIDDEN, "access: no actor or no tasking");
    access_scope s = access_scope_of(a);
    iom_access_relation rel = access_scope_relation(&s, t);
    if (rel == IOM_ACCESS_NONE)
        return access_tasking_check(out, a, t, e);
    if (rel == IOM_ACCESS_APMIS && part != IOM_PART_THREAT && part != IOM_PART_OUTCOME)
        return iom_fail(e, IOM_EFORBIDDEN, "access: %s of a tasking, relation apmis; rule: an "
                                           "APMIS recorder sees the threat, owner and outcome "
                                           "only, no intelligence content",
                        part_words[part]);
    *out = (access_decision){rel, rel != IOM_ACCESS_APMIS,
                             rel == IOM_ACCESS_AUDIT || rel == IOM_ACCESS_APMIS};
    return clearance(out, &s, record_marking, part_words[part], e);
}

bool access_master_list(const access_actor *a)
{
    return a && a->agency_id != 0 && (unsigned)a->agency_kind < IOM_AGENCY_KIND_COUNT;
}

bool access_option_agency(const access_actor *a, int64_t option_agency_id, iom_marking tasking_marking)
{
    return a && same(a->agency_id, option_agency_id) && access_operational(a->roles) &&
           (iom_roles_has(a->roles, IOM_ROLE_SPOC) || iom_roles_has(a->roles, IOM_ROLE_SIO)) &&
           iom_clearance_allows(a->clearance, tasking_marking);
}

iom_tasking_rels access_lifecycle_relations(const access_actor *a, const access_tasking *t)
{
    if (!a || !t)
        return 0;
    iom_tasking_rels r = 0;
    if (same(a->agency_id, t->requesting_agency_id))
        r |= IOM_REL_REQUESTING;
    if (same(a->agency_id, t->owning_agency_id))
        r |= IOM_REL_OWNING;
    if (same(a->region_id, t->requesting_region_id))
        r |= IOM_REL_REQUESTING_REGION;
    /* the region whose TTCG handles a transfer: the owner's; a national owner has none, and its
       transfer goes to the TTCG of the bid's region (review 113 L2) */
    if (same(a->region_id, t->owning_region_id ? t->owning_region_id : t->requesting_region_id))
        r |= IOM_REL_OWNER_REGION;
    if (toex_assigned(a, t))
        r |= IOM_REL_ASSIGNED;
    if (same(a->user_id, t->sia_id))
        r |= IOM_REL_TASKING_SIA;
    if (same(a->user_id, t->sio_id))
        r |= IOM_REL_THREAT_SIO;
    return r;
}
