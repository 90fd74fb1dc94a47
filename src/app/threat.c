#include "app/page.h"
#include "app/threat.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "app/audit.h"
#include "app/json.h"
#include "app/tasking.h"
#include "app/tasking_int.h"
#include "store/tasking_store.h"
#include "store/picture_store.h"
#include "domain/ownership.h"
#include "util/text.h"

static char *threat_json(iom_ctx *c, const iom_threat_t *t)
{
    json_t *j = json_of_threat(t);
    char *s = json_text(c->arena, j);
    json_decref(j);
    return s;
}

/* The threat's image with the decision's reason beside it (the history shows it). */
static char *threat_json_why(iom_ctx *c, const iom_threat_t *t, const char *reason)
{
    json_t *j = json_of_threat(t);
    if (reason && *reason)
        json_object_set_new(j, "reason", json_string(reason));
    char *s = json_text(c->arena, j);
    json_decref(j);
    return s;
}

static iom_err reason_check(iom_ctx *c, const char *reason, bool required, const char *what)
{
    if (required && (!reason || !*reason))
        return iom_fail(&c->err, IOM_EINVAL, "reason: required: %s records why (--reason TEXT)", what);
    return iom_text_check("reason", reason, APP_THREAT_REASON_MAX, IOM_TEXT_MULTI_LINE, &c->err);
}

static own_agency own_of(const iom_agency_t *a)
{
    return (own_agency){a->code, a->kind, a->region, a->disabled};
}

/* Loads an agency and a user into the ownership domain's plain descriptions. */
static iom_err load_user(iom_ctx *c, const char *field, const char *name, iom_user_t *u,
                         iom_agency_t *ua, own_agency *oa, own_user *ou)
{
    iom_store *s = c->store;
    iom_err err = s->ops->user_get(s, name, c->arena, u, &c->err);
    if (err == IOM_ENOTFOUND)
        return iom_fail(&c->err, IOM_EINVAL, "%s: '%s' is not a known user", field, name);
    if (err || (err = s->ops->agency_get(s, u->agency, c->arena, ua, &c->err)))
        return err;
    *oa = own_of(ua);
    *ou = (own_user){u->name, u->roles, oa, u->disabled};
    return IOM_OK;
}

/* The SIO holds the threat's risk and agrees its taskings' terms: they must be able to read
   it. `field` names what made the mismatch (the SIO named, or the marking raised). */
static iom_err sio_cleared(iom_ctx *c, const iom_user_t *sio, iom_marking marking, const char *field)
{
    if (iom_clearance_allows(sio->clearance, marking))
        return IOM_OK;
    return iom_fail(&c->err, IOM_EINVAL,
                    "%s: the SIO '%s' is cleared for %s and the threat would be marked %s; the SIO "
                    "who holds its risk must be able to read it",
                    field, sio->name, iom_marking_name(sio->clearance), iom_marking_name(marking));
}

/* The SIO agrees the ToR of the threat's open tasking and signs its reassessment: they must be
   able to read it too, whose marking may be above the threat's (review 42: an SIO named while an
   OFFICIAL-SENSITIVE tasking was open could never agree its ToR).

   The refusal is worded by the actor's clearance (review 97 M1): an actor cleared for what is
   above the SIO is told the tasking and the marking; one who is not (an OFFICIAL spoc or sio of
   the owner, who gets 404 for an OFFICIAL-SENSITIVE tasking) is told neither, and the same words
   whether it is the tasking itself or the intelligence it holds (review 97 L1). That the refusal
   happens at all is the price of the rule, documented in docs/serve.md. */
static iom_err sio_not_cleared_for_open_tasking(iom_ctx *c, const iom_user_t *sio)
{
    return iom_fail(&c->err, IOM_EINVAL,
                    "sio: the SIO '%s' is cleared for %s, below what the threat's open tasking holds; "
                    "the SIO who holds its risk agrees its terms, signs its reassessment and must be "
                    "able to read them",
                    sio->name, iom_marking_name(sio->clearance));
}

static iom_err sio_reads_open_tasking(iom_ctx *c, const iom_user_t *sio, int64_t threat_id)
{
    for (int m = (int)sio->clearance + 1; m < (int)IOM_MARKING_COUNT; m++) {
        char *above = NULL;
        iom_err err = c->store->ops->tasking->marked_for_threat(c->store, threat_id,
                                                                iom_marking_name((iom_marking)m), true,
                                                                c->arena, &above, &c->err);
        if (err)
            return err;
        if (above && !iom_clearance_allows(c->actor.clearance, (iom_marking)m))
            return sio_not_cleared_for_open_tasking(c, sio);
        if (above)
            return iom_fail(&c->err, IOM_EINVAL,
                            "sio: the SIO '%s' is cleared for %s and the threat's open tasking %s is "
                            "marked %s; the SIO who holds its risk agrees its terms and must be able "
                            "to read it",
                            sio->name, iom_marking_name(sio->clearance), above,
                            iom_marking_name((iom_marking)m));
    }
    /* and the intelligence it holds, which may be marked above the tasking (review 84 L5: an SIO
       cleared for OFFICIAL was named while the tasking held OFFICIAL-SENSITIVE intelligence,
       which the reassessment they sign rests on) */
    int64_t open = 0;
    unsigned mask = 0;
    iom_err e2 = c->store->ops->tasking->open_for_threat(c->store, threat_id, &open, &c->err);
    if (!e2 && open)
        e2 = c->store->ops->picture->tasking_markings(c->store, open, &mask, &c->err);
    if (e2)
        return e2;
    for (int m = (int)sio->clearance + 1; m < (int)IOM_MARKING_COUNT; m++)
        if (mask & (1u << m)) {
            if (!iom_clearance_allows(c->actor.clearance, (iom_marking)m))
                return sio_not_cleared_for_open_tasking(c, sio);
            return iom_fail(&c->err, IOM_EINVAL,
                            "sio: the SIO '%s' is cleared for %s and the threat's open tasking holds "
                            "intelligence marked %s; the SIO who holds its risk reads what its "
                            "reassessment rests on",
                            sio->name, iom_marking_name(sio->clearance), iom_marking_name((iom_marking)m));
        }
    return IOM_OK;
}

static iom_err check_fields(iom_ctx *c, const app_threat_input *in, bool adding,
                            iom_threat_type *type, iom_marking *marking)
{
    /* every field checked, each problem noted (iom_ctx problems: all told at once) */
    c->nproblems = 0;
    int req = adding ? IOM_TEXT_REQUIRED : 0;
    iom_err err;
    if ((err = app_problem_noted(c, "title", iom_text_check("title", in->title, APP_TITLE_MAX,
                                                            req | IOM_TEXT_SINGLE_LINE, &c->err))))
        return err;
    if ((err = app_problem_noted(c, "force_tasking_ref",
                                 iom_text_check("force_tasking_ref", in->force_tasking_ref, APP_TASKING_REF_MAX,
                                                req | IOM_TEXT_SINGLE_LINE, &c->err))))
        return err;
    if (!adding && in->title && !*in->title)
        app_problem(c, "title", "title: must not be empty");
    if (!adding && in->force_tasking_ref && !*in->force_tasking_ref)
        app_problem(c, "force_tasking_ref", "force_tasking_ref: must not be empty");
    /* a meeting's reference is a force system's: ASCII letters, digits and punctuation. A
       look-alike (a full-width W, a Cyrillic M, a Unicode hyphen) listed one escalation twice
       past the check below (review 92 L2) */
    for (const unsigned char *p = (const unsigned char *)in->force_tasking_ref; p && *p; p++)
        if (*p < 0x20 || *p > 0x7e) {
            app_problem(c, "force_tasking_ref",
                        "force_tasking_ref: the force's reference is written in ASCII letters, digits "
                        "and punctuation (as its system writes it); a look-alike character such as a "
                        "full-width letter or a Unicode dash would make one escalation two");
            break;
        }
    if (adding && (!in->type || !*in->type))
        app_problem(c, "type", "type: required (--type TYPE)");
    else if (in->type && (err = app_problem_noted(c, "type", iom_threat_type_parse(in->type, type, &c->err))))
        return err;
    if (adding && (!in->owner || !*in->owner))
        app_problem(c, "owner", "owner: every threat has an owner (--owner CODE)");
    if (adding && (!in->sio || !*in->sio))
        app_problem(c, "sio", "sio: an SIO is assigned before a threat is listed (--sio USER)");
    if (in->marking && (err = app_problem_noted(c, "marking", iom_marking_parse(in->marking, marking, &c->err))))
        return err;
    return app_problems_end(c);
}

/* Whether two force tasking references are the same but for case and the white space around
   them ("WY-TM-31 " and "wy-tm-31"). */
static bool same_meeting_ref(const char *a, const char *b)
{
    while (*a == ' ' || *a == '\t')
        a++;
    while (*b == ' ' || *b == '\t')
        b++;
    size_t na = strlen(a), nb = strlen(b);
    while (na && (a[na - 1] == ' ' || a[na - 1] == '\t'))
        na--;
    while (nb && (b[nb - 1] == ' ' || b[nb - 1] == '\t'))
        nb--;
    return na && na == nb && strncasecmp(a, b, na) == 0;
}

/* Review 84 L9: one escalation of a tasking meeting is one threat on the SOC master list. A
   threat of the same owner with the same non-empty force tasking reference, active or
   archived (an archived one is put back with `threat unarchive`, which keeps its history), is
   IOM_ECONFLICT naming it to who may read it; one marked above the actor's clearance is not
   named: the refusal says only that the owner's reference is taken (the actor's own agency's
   meeting reference, which it knows; nothing of the threat). */
static iom_err same_escalation(iom_ctx *c, const char *owner, const char *meeting_ref, int64_t self_id)
{
    if (!meeting_ref || !*meeting_ref)
        return IOM_OK;
    iom_threat_filter f = {.owner = owner, .status = -1, .max_marking = IOM_MARKING_OFFICIAL_SENSITIVE};
    iom_threat_t *v;
    size_t n;
    iom_err err = c->store->ops->threat_list(c->store, &f, c->arena, &v, &n, &c->err);
    for (size_t i = 0; !err && i < n; i++) {
        if (v[i].id == self_id || !v[i].force_tasking_ref ||
            !same_meeting_ref(v[i].force_tasking_ref, meeting_ref))
            continue;
        if (!iom_clearance_allows(c->actor.clearance, v[i].marking))
            return iom_fail(&c->err, IOM_ECONFLICT,
                            "force_tasking_ref: '%s' is already the tasking meeting reference of a "
                            "threat of '%s' on the SOC master list; an escalation is recorded once",
                            meeting_ref, owner);
        bool archived = v[i].status == IOM_THREAT_ARCHIVED;
        return iom_fail(&c->err, IOM_ECONFLICT,
                        "force_tasking_ref: '%s' is already the tasking meeting reference of %s (%s)%s; "
                        "an escalation is recorded once",
                        meeting_ref, v[i].ref, archived ? "archived" : "active",
                        archived ? ": put it back with `threat unarchive`" : "");
    }
    return err;
}

iom_err app_threat_add(iom_ctx *c, const app_threat_input *in, iom_threat_t *out)
{
    iom_threat_type type = IOM_THREAT_OTHER;
    iom_marking marking = IOM_MARKING_OFFICIAL;
    iom_err err = check_fields(c, in, true, &type, &marking);
    if (err || (err = app_begin(c, true)))
        return err;
    if ((err = app_actor(c)))
        return app_end(c, err);
    /* the caller's right before the content (api.md "Errors"; review 49: an admin was told
       "TOEX never owns risk") */
    if (!iom_roles_has(c->actor.roles, IOM_ROLE_SPOC) && !iom_roles_has(c->actor.roles, IOM_ROLE_SIO))
        return app_end(c, iom_fail(&c->err, IOM_EFORBIDDEN, "threat add: user '%s' is neither spoc nor sio",
                                   c->actor.name));
    iom_store *s = c->store;
    iom_agency_t owner, actor_agency, sio_agency;
    iom_user_t sio;
    own_agency o_owner, o_actor, o_sio;
    own_user u_sio;
    err = s->ops->agency_get(s, in->owner, c->arena, &owner, &c->err);
    if (err == IOM_ENOTFOUND)
        err = iom_fail(&c->err, IOM_EINVAL, "owner: '%s' is not a known agency code", in->owner);
    if (err || (err = s->ops->agency_get(s, c->actor.agency, c->arena, &actor_agency, &c->err)))
        return app_end(c, err);
    o_owner = own_of(&owner);
    o_actor = own_of(&actor_agency);
    own_user u_actor = {c->actor.name, c->actor.roles, &o_actor, false};
    if ((err = ownership_owner_check(&o_owner, &c->err)) ||
        (err = ownership_may_edit(&o_owner, &u_actor, false, "threat add", &c->err)) ||
        (err = load_user(c, "sio", in->sio, &sio, &sio_agency, &o_sio, &u_sio)) ||
        (err = ownership_sio_check(&o_owner, &u_sio, &c->err)) ||
        (err = sio_cleared(c, &sio, marking, "sio")))
        return app_end(c, err);
    if (!iom_clearance_allows(c->actor.clearance, marking))
        return app_end(c, iom_fail(&c->err, IOM_EFORBIDDEN,
                                   "marking: user '%s' is not cleared for %s", c->actor.name,
                                   iom_marking_name(marking)));
    if ((err = same_escalation(c, owner.code, in->force_tasking_ref, 0)))
        return app_end(c, err);
    int64_t now = app_now(c);
    iom_threat_t t = {.title = (char *)in->title, .type = type, .owner = owner.code,
                      .sio = sio.name, .force_tasking_ref = (char *)in->force_tasking_ref,
                      .marking = marking, .status = IOM_THREAT_ACTIVE, .created_at = now,
                      .updated_at = now, .created_by = c->actor.name};
    if ((err = s->ops->threat_insert(s, &t, &c->err)))
        return app_end(c, err);
    char *ref = iom_arena_printf(c->arena, "SOC-%06lld", (long long)t.id);
    if ((err = s->ops->threat_get(s, ref, c->arena, out, &c->err)))
        return app_end(c, err);
    err = audit_record(c, "threat.add", out->ref, NULL, threat_json(c, out));
    return app_end(c, err);
}

/* Loads a threat the actor may see: a marking above the actor's clearance reads as absent. */
static iom_err load_visible(iom_ctx *c, const char *ref, iom_threat_t *t)
{
    iom_err err = c->store->ops->threat_get(c->store, ref ? ref : "", c->arena, t, &c->err);
    if (!err && !iom_clearance_allows(c->actor.clearance, t->marking))
        err = iom_fail(&c->err, IOM_ENOTFOUND, "threat: '%s' is not on the SOC master list", ref);
    return err;
}

/* The threat the owner's spoc or sio, or its own SIO, changes: visible, at the version read,
   active (archived: archived, for unarchive). */
static iom_err load_for_change(iom_ctx *c, const char *ref, int64_t if_version, const char *action,
                               bool archived, iom_threat_t *t, iom_agency_t *owner)
{
    iom_store *s = c->store;
    iom_agency_t actor_agency;
    iom_err err;
    if ((err = app_actor(c)) || (err = load_visible(c, ref, t)) ||
        (err = s->ops->agency_get(s, t->owner, c->arena, owner, &c->err)) ||
        (err = s->ops->agency_get(s, c->actor.agency, c->arena, &actor_agency, &c->err)))
        return err;
    /* a stale version first, as for taskings (docs/serve.md): a change another made since is
       what the caller is told, not that the role now forbids it (review 108 L5) */
    if ((err = app_check_version(c, "threat", t->ref, if_version, t->version)))
        return err;
    own_agency o_owner = own_of(owner), o_actor = own_of(&actor_agency);
    own_user u_actor = {c->actor.name, c->actor.roles, &o_actor, false};
    bool its_sio = t->sio && strcmp(t->sio, c->actor.name) == 0;
    if ((err = ownership_may_edit(&o_owner, &u_actor, its_sio, action, &c->err)))
        return err;
    if (archived && t->status != IOM_THREAT_ARCHIVED)
        return iom_fail(&c->err, IOM_ECONFLICT, "threat %s is not archived", t->ref);
    if (!archived && t->status == IOM_THREAT_ARCHIVED)
        return iom_fail(&c->err, IOM_ECONFLICT, "threat %s is archived; it accepts no change", t->ref);
    return IOM_OK;
}

/* The threat's open tasking, if any, records the change of SIO in its own history: its SIO
   agrees its terms and signs its reassessment, and an agreement of the former SIO no longer
   counts (review 84 L11: the tasking's history did not show why its SIO had changed). */
static iom_err sio_change_on_open_tasking(iom_ctx *c, const iom_threat_t *t, const char *old_sio,
                                          const char *reason)
{
    char *ref = NULL;
    iom_err err = IOM_OK;
    for (int m = 0; m < (int)IOM_MARKING_COUNT && !ref && !err; m++)
        err = c->store->ops->tasking->marked_for_threat(c->store, t->id, iom_marking_name((iom_marking)m),
                                                        true, c->arena, &ref, &c->err);
    if (err || !ref)
        return err;
    iom_tasking_t tk;
    if ((err = c->store->ops->tasking->get(c->store, ref, c->arena, &tk, &c->err)))
        return err;
    char *before = tasking_audit_text(c, &tk);
    /* the owner's reason stays in the threat's history, read by the owner's side, the SIO and
       the auditor (review 84 M3); the tasking's readers (the TOEX team, the Gateway, the TTCG,
       the FTT) learn who holds the risk now (review 86 M2: the reason was copied here) */
    (void)reason;
    const char *why = iom_arena_printf(c->arena, "the threat's SIO %s -> %s (the owner's reason is "
                                                 "in the threat's history)", old_sio, t->sio);
    iom_role role = iom_roles_has(c->actor.roles, IOM_ROLE_SPOC) ? IOM_ROLE_SPOC : IOM_ROLE_SIO;
    /* a change of the tasking: a new version (its holders' If-Match turn stale: who agrees its
       terms changed), one audit entry */
    tk.updated_at = app_now(c);
    if ((err = c->store->ops->tasking->update(c->store, &tk, tk.version, &c->err)))
        return err;
    return tasking_record(c, &tk, "sio_changed", role, (int)tk.state, why, before, NULL);
}

iom_err app_threat_update(iom_ctx *c, const char *ref, const app_threat_input *in,
                          int64_t if_version, iom_threat_t *out)
{
    iom_threat_type type = IOM_THREAT_OTHER;
    iom_marking marking = IOM_MARKING_OFFICIAL;
    iom_err err = check_fields(c, in, false, &type, &marking);
    if (err)
        return err;
    if (in->owner)
        return iom_fail(&c->err, IOM_EINVAL,
                        "owner: ownership changes only by a transfer decided by the TTCG or FTT, "
                        "not by an update");
    if (!in->title && !in->type && !in->sio && !in->force_tasking_ref && !in->marking)
        return iom_fail(&c->err, IOM_EINVAL, "threat update: nothing to change");
    if ((err = app_begin(c, true)))
        return err;
    iom_threat_t t;
    iom_agency_t owner;
    if ((err = load_for_change(c, ref, if_version, "threat update", false, &t, &owner)) ||
        (err = reason_check(c, in->reason, false, "")))
        return app_end(c, err);
    char *before = threat_json(c, &t);
    const char *old_sio = t.sio;
    if (in->sio) {
        iom_user_t sio;
        iom_agency_t sio_agency;
        own_agency o_sio, o_owner = own_of(&owner);
        own_user u_sio;
        if ((err = load_user(c, "sio", in->sio, &sio, &sio_agency, &o_sio, &u_sio)) ||
            (err = ownership_sio_check(&o_owner, &u_sio, &c->err)) ||
            (err = sio_cleared(c, &sio, in->marking ? marking : t.marking, "sio")) ||
            (err = sio_reads_open_tasking(c, &sio, t.id)))
            return app_end(c, err);
        t.sio = sio.name;
    } else if (in->marking) {
        iom_user_t sio;
        if ((err = c->store->ops->user_get(c->store, t.sio, c->arena, &sio, &c->err)) ||
            (err = sio_cleared(c, &sio, marking, "marking")))
            return app_end(c, err);
    }
    if (in->marking && !iom_clearance_allows(c->actor.clearance, marking))
        return app_end(c, iom_fail(&c->err, IOM_EFORBIDDEN, "marking: user '%s' is not cleared for %s",
                                   c->actor.name, iom_marking_name(marking)));
    /* A tasking shows its threat's title to everyone cleared for the tasking's own marking: a
       threat is not marked above any of its taskings (a bid below its threat's marking is
       refused when drafted; this is the same rule from the threat's side). */
    for (int m = 0; in->marking && m < (int)marking && !err; m++) {
        char *below = NULL;
        if ((err = c->store->ops->tasking->marked_for_threat(c->store, t.id, iom_marking_name((iom_marking)m),
                                                             false, c->arena, &below, &c->err)))
            break;
        if (below)
            err = iom_fail(&c->err, IOM_ECONFLICT,
                           "marking: tasking %s on threat %s is marked %s and shows the threat's title "
                           "to readers cleared for that marking; a threat is not marked above its "
                           "taskings",
                           below, t.ref, iom_marking_name((iom_marking)m));
    }
    if (err)
        return app_end(c, err);
    /* a change that changes nothing is refused, as a tasking's edit is: it would raise the
       version (every other holder's If-Match turns stale) and audit nothing */
#define SAME_TEXT(a, b) (strcmp((a) ? (a) : "", (b) ? (b) : "") == 0)
    if ((!in->title || SAME_TEXT(in->title, t.title)) && (!in->type || type == t.type) &&
        (!in->sio || SAME_TEXT(t.sio, old_sio)) &&
        (!in->force_tasking_ref || SAME_TEXT(in->force_tasking_ref, t.force_tasking_ref)) &&
        (!in->marking || marking == t.marking))
        return app_end(c, iom_fail(&c->err, IOM_EINVAL,
                                   "threat update: nothing to change (every field given already has "
                                   "that value)"));
    if (in->sio && !SAME_TEXT(t.sio, old_sio) && (!in->reason || !*in->reason))
        return app_end(c, iom_fail(&c->err, IOM_EINVAL,
                                   "reason: required: a change of SIO (who holds the threat's risk) "
                                   "records why (--reason TEXT)"));
    /* a lower marking shows the threat to readers it was hidden from (review 84 L4) */
    if (in->marking && marking < t.marking && (!in->reason || !*in->reason))
        return app_end(c, iom_fail(&c->err, IOM_EINVAL,
                                   "reason: required: a lower marking shows the threat to readers "
                                   "not cleared before, and records why (--reason TEXT)"));
#undef SAME_TEXT
    /* a new tasking meeting reference is one no other threat of the owner has (review 84 L9;
       the owner itself changes only by a TTCG/FTT decision or an agency merge, which move the
       risk and are not refused for it) */
    if (in->force_tasking_ref && (err = same_escalation(c, t.owner, in->force_tasking_ref, t.id)))
        return app_end(c, err);
    if (in->title)
        t.title = (char *)in->title;
    if (in->type)
        t.type = type;
    if (in->force_tasking_ref)
        t.force_tasking_ref = (char *)in->force_tasking_ref;
    if (in->marking)
        t.marking = marking;
    t.updated_at = app_now(c);
    if ((err = c->store->ops->threat_update(c->store, &t, t.version, &c->err)) ||
        (err = c->store->ops->threat_get(c->store, t.ref, c->arena, out, &c->err)))
        return app_end(c, err);
    err = audit_record(c, "threat.update", t.ref, before, threat_json_why(c, out, in->reason));
    if (!err && in->sio && strcmp(out->sio, old_sio) != 0)
        err = sio_change_on_open_tasking(c, out, old_sio, in->reason);
    return app_end(c, err);
}

iom_err app_threat_archive(iom_ctx *c, const char *ref, const char *reason, int64_t if_version,
                           iom_threat_t *out)
{
    iom_err err = app_begin(c, true);
    if (err)
        return err;
    iom_threat_t t;
    iom_agency_t owner;
    if ((err = load_for_change(c, ref, if_version, "threat archive", false, &t, &owner)))
        return app_end(c, err);
    int64_t open_tasking = 0;
    if ((err = c->store->ops->tasking->open_for_threat(c->store, t.id, &open_tasking, &c->err)))
        return app_end(c, err);
    if (open_tasking)
        return app_end(c, iom_fail(&c->err, IOM_ECONFLICT,
                                   "threat %s has an open tasking; its owner archives it only when "
                                   "no tasking on it is open",
                                   t.ref));
    if ((err = reason_check(c, reason, true, "an archive takes the threat off the active master list and")))
        return app_end(c, err);
    char *before = threat_json(c, &t);
    t.status = IOM_THREAT_ARCHIVED;
    t.updated_at = app_now(c);
    if ((err = c->store->ops->threat_update(c->store, &t, t.version, &c->err)) ||
        (err = c->store->ops->threat_get(c->store, t.ref, c->arena, out, &c->err)))
        return app_end(c, err);
    err = audit_record(c, "threat.archive", t.ref, before, threat_json_why(c, out, reason));
    return app_end(c, err);
}

iom_err app_threat_unarchive(iom_ctx *c, const char *ref, const char *reason, const char *sio_name,
                             int64_t if_version, iom_threat_t *out)
{
    iom_err err = app_begin(c, true);
    if (err)
        return err;
    iom_store *s = c->store;
    iom_threat_t t;
    iom_agency_t owner;
    if ((err = load_for_change(c, ref, if_version, "threat unarchive", true, &t, &owner)))
        return app_end(c, err);
    own_agency o_owner = own_of(&owner);
    if ((err = reason_check(c, reason, true, "putting a threat back on the active master list")))
        return app_end(c, err);
    if ((err = ownership_owner_check(&o_owner, &c->err)))
        return app_end(c, err);
    /* The SIO holds the risk of an active threat: the one it had, or a new one, must still be
       able to (users are disabled and move while a threat is archived). */
    iom_user_t sio;
    iom_agency_t sio_agency;
    own_agency o_sio;
    own_user u_sio;
    if ((err = load_user(c, "sio", sio_name ? sio_name : t.sio, &sio, &sio_agency, &o_sio, &u_sio)))
        return app_end(c, err);
    if ((err = ownership_sio_check(&o_owner, &u_sio, &c->err)) ||
        (err = sio_cleared(c, &sio, t.marking, "sio"))) {
        if (!sio_name) {
            char why[sizeof c->err.msg];
            snprintf(why, sizeof why, "%s", strncmp(c->err.msg, "sio: ", 5) ? c->err.msg : c->err.msg + 5);
            iom_fail(&c->err, err,
                     "sio: the threat's SIO can no longer hold its risk (%s); name the SIO who holds "
                     "it now (sio)",
                     why);
        }
        return app_end(c, err);
    }
    char *before = threat_json(c, &t);
    t.status = IOM_THREAT_ACTIVE;
    t.sio = sio.name;
    t.updated_at = app_now(c);
    if ((err = s->ops->threat_update(s, &t, t.version, &c->err)) ||
        (err = s->ops->threat_get(s, t.ref, c->arena, out, &c->err)))
        return app_end(c, err);
    err = audit_record(c, "threat.unarchive", t.ref, before, threat_json_why(c, out, reason));
    return app_end(c, err);
}

iom_err app_threat_get(iom_ctx *c, const char *ref, iom_threat_t *out)
{
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    if (!(err = app_actor(c)))
        err = load_visible(c, ref, out);
    return app_end(c, err);
}

iom_err app_threat_list(iom_ctx *c, const app_threat_query *q, iom_threat_t **out, size_t *n,
                        const char **next)
{
    *next = NULL;
    iom_threat_filter f = {.owner = q->owner, .region = q->region, .status = IOM_THREAT_ACTIVE,
                           .after_ref = q->after, .limit = q->limit ? q->limit : 100};
    if (q->status && strcmp(q->status, "all") == 0)
        f.status = -1;
    else if (q->status && strcmp(q->status, "archived") == 0)
        f.status = IOM_THREAT_ARCHIVED;
    else if (q->status && strcmp(q->status, "active") != 0) {
        char shown[64];
        iom_text_shown(q->status, shown, sizeof shown);
        return iom_fail(&c->err, IOM_EINVAL, "status: '%s' is not one of: active, archived, all", shown);
    }
    if (f.limit > 1000)
        return iom_fail(&c->err, IOM_EINVAL, "limit: %zu is above the maximum of 1000", f.limit);
    iom_err err = app_page_cursor(c, q->after, "SOC-");
    if (err)
        return err;
    err = app_begin(c, false);
    if (err)
        return err;
    if ((err = app_actor(c)))
        return app_end(c, err);
    if (q->owner) {
        iom_agency_t a;
        err = c->store->ops->agency_get(c->store, q->owner, c->arena, &a, &c->err);
        if (err == IOM_ENOTFOUND)
            err = iom_fail(&c->err, IOM_EINVAL, "owner: '%s' is not a known agency code", q->owner);
        if (err)
            return app_end(c, err);
    }
    if (q->region) {
        iom_region_t *r;
        size_t nr;
        if ((err = c->store->ops->region_list(c->store, c->arena, &r, &nr, &c->err)))
            return app_end(c, err);
        size_t i = 0;
        while (i < nr && strcmp(r[i].code, q->region) != 0)
            i++;
        if (i == nr)
            return app_end(c, iom_fail(&c->err, IOM_EINVAL, "region: '%s' is not a known region code",
                                       q->region));
    }
    f.max_marking = c->actor.clearance;
    size_t want = f.limit;
    f.limit = want + 1; /* one more tells whether a next page exists */
    if (!(err = c->store->ops->threat_list(c->store, &f, c->arena, out, n, &c->err)) && *n > want) {
        *n = want;
        *next = (*out)[want - 1].ref;
    }
    return app_end(c, err);
}

/* ---- ownership history ------------------------------------------------------------------ */

typedef struct history_scan {
    iom_ctx *c;
    bool auditor;       /* the reader sees every decision's reason */
    bool operational;   /* the reader is an operational user (not only admin, APMIS, auditor) */
    app_ownership_change *v;
    size_t n, cap;
    iom_err err;
} history_scan;

static const char *jstr(iom_arena *a, const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? iom_arena_strdup(a, s) : NULL;
}

static bool same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Keeps the entries that set or change the owner or the SIO. */
static int history_entry(void *data, const iom_audit_t *en)
{
    history_scan *h = data;
    const char *decision;
    if (strcmp(en->action, "threat.add") == 0)
        decision = "listed";
    else if (strcmp(en->action, "threat.update") == 0)
        decision = "sio_changed";
    else if (strcmp(en->action, "threat.transfer") == 0)
        decision = "transfer";
    else if (strcmp(en->action, "threat.merge") == 0)
        decision = "agency_merge";
    else if (strcmp(en->action, "threat.archive") == 0)
        decision = "archived";
    else if (strcmp(en->action, "threat.unarchive") == 0)
        decision = "unarchived";
    else
        return 0;
    iom_arena *a = h->c->arena;
    json_t *after = en->after_json ? json_loads(en->after_json, 0, NULL) : NULL;
    json_t *before = en->before_json ? json_loads(en->before_json, 0, NULL) : NULL;
    app_ownership_change ch = {.seq = en->seq, .at = en->at, .decision = decision,
                               .by = en->actor ? iom_arena_strdup(a, en->actor) : NULL,
                               .owner = jstr(a, after, "owner"), .sio = jstr(a, after, "sio"),
                               .from_owner = jstr(a, before, "owner"),
                               .from_sio = jstr(a, before, "sio"),
                               .reason = jstr(a, after, "reason")};
    const char *tasking = jstr(a, after, "transferred_by");
    const char *why = ch.reason;
    const char *mb = jstr(a, before, "marking"), *ma = jstr(a, after, "marking");
    json_decref(after);
    json_decref(before);
    if (!ch.owner || !ch.sio) {
        h->err = iom_fail(&h->c->err, IOM_EINTEGRITY, "audit entry %lld: a threat image without owner or SIO",
                          (long long)en->seq);
        return 1;
    }
    bool marking_moved = strcmp(decision, "sio_changed") == 0 && mb && ma && strcmp(mb, ma) != 0;
    if (strcmp(decision, "sio_changed") == 0 && same(ch.owner, ch.from_owner) && same(ch.sio, ch.from_sio)) {
        /* a change of title, type or marking: not an ownership change, but a marking's change
           is a decision on who may read the threat (review 84 L4) */
        if (!marking_moved)
            return 0;
        ch.decision = decision = "marking_changed";
        ch.from_marking = iom_arena_strdup(a, mb);
        ch.to_marking = iom_arena_strdup(a, ma);
        marking_moved = false;
    }
    /* A reason is free text of the owner's (or of the TTCG/FTT's) and may carry operational
       detail: the master list's fields are national, its reasons are the owner's side's, the
       SIO's and the auditor's (review 84 M3: any force, an admin and the APMIS recorder read
       them) */
    /* whose reason it is: the owner's side and the SIO of that decision, as they were then
       (review 88 M1: after a transfer the new owner's users read the former owner's reason for
       changing its SIO, and the former owner, who wrote it, no longer did) */
    iom_ctx *rc = h->c;
    bool of_side = h->operational && rc->actor.agency &&
                   (same(rc->actor.agency, ch.owner) || (ch.from_owner && same(rc->actor.agency, ch.from_owner)));
    bool its_sio = same(rc->actor.name, ch.sio) || (ch.from_sio && same(rc->actor.name, ch.from_sio));
    if (!h->auditor && !of_side && !its_sio)
        ch.reason = NULL;
    if (strcmp(decision, "transfer") == 0)
        ch.reason = NULL; /* the TTCG/FTT decision's reason: as its tasking, below */
    if (tasking) {
        /* The tasking is named only to those who may see it (its outcome, domain.md §3), the
           decision's reason only to those who read its content (as the tasking's view gives
           it: not to the APMIS recorder) */
        app_tasking_scope sc;
        iom_error keep = h->c->err;
        if (app_tasking_read(h->c, tasking, IOM_PART_OUTCOME, &sc) == IOM_OK) {
            ch.tasking = tasking;
            if (app_tasking_read(h->c, tasking, IOM_PART_TASKING, &sc) == IOM_OK)
                ch.reason = why;
        }
        h->c->err = keep;
    }
    for (int k = 0; k < (marking_moved ? 2 : 1); k++) {
        if (k == 1) { /* one update changed the SIO and the marking: both decisions shown
                         (review 86 M1: a lowered marking was hidden behind the new SIO) */
            ch.decision = "marking_changed";
            ch.from_marking = iom_arena_strdup(a, mb);
            ch.to_marking = iom_arena_strdup(a, ma);
        }
        if (h->n == h->cap) {
            size_t cap = h->cap ? 2 * h->cap : 8;
            app_ownership_change *v = iom_arena_new(a, app_ownership_change, cap);
            if (h->n)
                memcpy(v, h->v, h->n * sizeof *v);
            h->v = v;
            h->cap = cap;
        }
        h->v[h->n++] = ch;
    }
    return 0;
}

iom_err app_threat_history(iom_ctx *c, const char *ref, app_ownership_change **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    iom_threat_t t;
    history_scan h = {.c = c};
    if (!(err = app_actor(c)) && !(err = load_visible(c, ref, &t))) {
        iom_roles r = c->actor.roles;
        bool operational = r & ~(IOM_ROLE_BIT(IOM_ROLE_ADMIN) | IOM_ROLE_BIT(IOM_ROLE_APMIS) |
                                 IOM_ROLE_BIT(IOM_ROLE_AUDITOR));
        h.auditor = iom_roles_has(r, IOM_ROLE_AUDITOR);
        h.operational = operational;
        if (!(err = c->store->ops->audit_scan(c->store, t.ref, 0, history_entry, &h, &c->err)))
            err = h.err;
    }
    if (!err) {
        *out = h.v;
        *n = h.n;
    }
    return app_end(c, err);
}
