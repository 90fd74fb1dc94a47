/*
 * access.h: the need-to-know predicate of domain.md §3, as pure functions over plain structs.
 *
 * app/ fills an access_actor from the user and an access_tasking from the store, asks here,
 * and, per architecture.md, answers a refused read exactly like a missing record (404 /
 * IOM_ENOTFOUND) so references cannot be probed. The IOM_EFORBIDDEN and message returned here
 * are for the audit log and for tests, never for the refused user.
 *
 * Who sees a tasking (and its threat, intelligence, picture and products), and the relation
 * reported, strongest first:
 *   owner         the actor's agency owns the threat
 *   requesting    the actor's agency is the requesting agency
 *   sio           the actor is the threat's SIO (an SIO role holder), whatever its agency: a
 *                 ROCU-owned threat's SIO may be of a force of the region, and holds the risk
 *   assigned      a TOEX user on the tasking's team (or its SIA)
 *   gateway       role gateway in the region of the requesting or the owning agency, once
 *                 the bid was submitted (a draft is the SPOC's until it is sent)
 *   ttcg          role ttcg in the region of the requesting or the owning agency, likewise
 *   toex_manager  role toex_manager, once the tasking has reached TOEX
 *   ftt           role ftt, once the tasking has been escalated to the FTT
 *   audit         role auditor: everything, read-only
 *   apmis         role apmis: the threat, its owner and the outcome only, read-only; not a
 *                 draft (no outcome yet)
 * Agency membership counts only for a user holding some role other than admin, apmis and
 * auditor (access_operational): admin gives
 * "no access to intelligence content by role alone", and a user with no role at all is not
 * an operational user (access_operational, the one place of that rule). A user needs
 * clearance for the marking of what is read.
 *
 * All of it is decided through ONE value, the actor's need-to-know scope (access_scope):
 * access_scope_of derives it from the actor, the store translates it into the WHERE clause
 * of its list query (store/tasking_store.h), and access_scope_relation answers the same
 * question for one tasking in C. access_tasking_check and access_part_check are written over
 * it, so what a list shows and what a read allows cannot drift apart.
 */
#ifndef IOM_DOMAIN_ACCESS_H
#define IOM_DOMAIN_ACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/lifecycle.h"
#include "domain/ref.h"
#include "util/err.h"

typedef enum iom_access_relation {
    IOM_ACCESS_NONE,
    IOM_ACCESS_OWNER,
    IOM_ACCESS_REQUESTING,
    IOM_ACCESS_SIO,
    IOM_ACCESS_ASSIGNED,
    IOM_ACCESS_GATEWAY,
    IOM_ACCESS_TTCG,
    IOM_ACCESS_TOEX_MANAGER,
    IOM_ACCESS_FTT,
    IOM_ACCESS_AUDIT,
    IOM_ACCESS_APMIS,
    IOM_ACCESS_RELATION_COUNT
} iom_access_relation;

/* What of a tasking is read. */
typedef enum iom_access_part {
    IOM_PART_THREAT,       /* the threat, its owner and SIO */
    IOM_PART_OUTCOME,      /* state, dates, transfer decisions, new owner: the outcome */
    IOM_PART_TASKING,      /* bid content, ToR, team, contributions, assessments */
    IOM_PART_INTELLIGENCE, /* intelligence items, entities, links, the picture */
    IOM_PART_PRODUCTS,     /* products and tactical options */
    IOM_PART_COUNT
} iom_access_part;

/* Ids are the store's internal ids; 0 means "none" and never matches anything. */
typedef struct access_actor {
    int64_t user_id;
    iom_roles roles;
    iom_agency_kind agency_kind; /* TOEX is IOM_AGENCY_CAPABILITY */
    int64_t agency_id;           /* 0: no agency */
    int64_t region_id;           /* 0: national / TOEX / none */
    iom_marking clearance;
} access_actor;

typedef struct access_tasking {
    int64_t requesting_agency_id;
    int64_t requesting_region_id; /* 0 for a national requester */
    int64_t owning_agency_id;
    int64_t owning_region_id;     /* 0 for a national owner */
    bool reached_toex;            /* has ever been forwarded to TOEX */
    bool escalated_ftt;           /* has ever been escalated to the FTT */
    const int64_t *assigned_ids;  /* the TOEX team (borrowed; may be NULL with n 0) */
    size_t n_assigned;
    bool actor_assigned;          /* alternative to the list: the caller already knows */
    int64_t sia_id;               /* allocated SIA, 0 before accept */
    int64_t sio_id;               /* the threat's SIO */
    iom_marking marking;          /* the tasking's own marking */
    bool draft;                   /* never submitted: the SPOC is still writing the bid, and
                                     the region's gateway and ttcg do not see it yet */
} access_tasking;

/*
 * The need-to-know scope: which taskings an actor sees, as clauses the store can filter on.
 * A tasking is in scope when any clause grants it AND its marking is at most `clearance`.
 * Each clause grants under one relation; when several grant, the strongest (the order of
 * iom_access_relation) names the access. Zero fields grant nothing (ids are never 0).
 */
typedef struct access_scope {
    int64_t agency_id;             /* owner, requesting: the tasking's owning or requesting
                                      agency is this one (0: no agency, or admin only) */
    int64_t user_id;               /* assigned: a TOEX user on the tasking's team or its SIA */
    int64_t sio_user_id;           /* sio: the threat's SIO is this user (an operational user
                                      holding the sio role; 0 for anyone else) */
    int64_t region_id;             /* gateway, ttcg: the requesting or the owning agency is in
                                      this region */
    iom_access_relation region_as; /* IOM_ACCESS_GATEWAY or IOM_ACCESS_TTCG, with region_id */
    bool reached_toex;             /* toex_manager: every tasking that has reached TOEX */
    bool escalated_ftt;            /* ftt: every tasking escalated to the FTT */
    iom_access_relation all;       /* IOM_ACCESS_AUDIT or IOM_ACCESS_APMIS: every tasking, under
                                      that relation; IOM_ACCESS_NONE otherwise */
    iom_marking clearance;         /* only taskings marked at most this */
} access_scope;

/* An operational user: one holding some role other than admin, apmis and auditor. Only an
   operational user's agency membership counts for need-to-know (domain.md §3: admin gives no
   access to intelligence content by role alone; an APMIS recorder sees the threat, its owner
   and the outcome only, also of its own agency's taskings: issue 12 point 9; an auditor reads
   everything as oversight, read-only, never as its agency's member). Every
   need-to-know rule of iom (taskings, intelligence review, APMIS) asks here. */
bool access_operational(iom_roles roles);

/* The actor's scope (domain.md §3). a may be NULL: a scope that grants nothing. */
access_scope access_scope_of(const access_actor *a);

/* The strongest relation under which s grants t, marking not considered; NONE when no clause
   grants it. For the clause `user_id`, t's team is t->assigned_ids (or t->actor_assigned,
   meaning the scope's user is on it) and t->sia_id. */
iom_access_relation access_scope_relation(const access_scope *s, const access_tasking *t);

/* The list's predicate: some clause grants t and s->clearance allows t->marking. It is
   exactly what access_tasking_check allows. */
bool access_scope_admits(const access_scope *s, const access_tasking *t);

typedef struct access_decision {
    iom_access_relation relation; /* the strongest granting relation; NONE when refused */
    bool content;                 /* may read bid, intelligence and products (not apmis) */
    bool read_only;               /* granted only as auditor or apmis recorder */
} access_decision;

/*
 * May the actor see the tasking at all, and how? Checks the relation, then clearance for
 * t->marking. OUT: *out always written (relation NONE on refusal). Returns IOM_OK or
 * IOM_EFORBIDDEN with a message naming the rule (no relation, or the clearance short of the
 * marking).
 */
iom_err access_tasking_check(access_decision *out, const access_actor *a, const access_tasking *t,
                             iom_error *e);

/*
 * May the actor read `part` of the tasking, a record marked `record_marking` (the item's own
 * marking: an intelligence item or product may be marked above its tasking)? apmis reads only
 * THREAT and OUTCOME. OUT: *out always written. IOM_OK or IOM_EFORBIDDEN.
 */
iom_err access_part_check(access_decision *out, const access_actor *a, const access_tasking *t,
                          iom_access_part part, iom_marking record_marking, iom_error *e);

/* The SOC master list (reference, title, type, owner, region, SIO) is visible to every user
 * of a force, ROCU, national agency or TOEX: any user with an agency. */
bool access_master_list(const access_actor *a);

/*
 * The narrow view of a tactical option by the agency named on it (domain.md §8: "the agency
 * that would act"), whatever its sight of the tasking: a spoc or sio of that agency, with
 * clearance for the tasking's marking, reads the option itself (its strand, text, status,
 * version and tasking reference: app_option_list_agency) and may set its status
 * (lifecycle_option_status_may), and nothing else of the tasking. A county-lines option
 * routinely names a force of another region (review 100 M4).
 */
bool access_option_agency(const access_actor *a, int64_t option_agency_id, iom_marking tasking_marking);

/* The actor's IOM_REL_* bits for lifecycle_decide, from the same facts. */
iom_tasking_rels access_lifecycle_relations(const access_actor *a, const access_tasking *t);

const char *access_relation_name(iom_access_relation r); /* "owner", ...; "none" */

/*
 * The purpose recorded for a read of content when the reader states none (DPA 2018 s.62,
 * domain.md §10; issue 5 point 7): the relation that granted the read, as its word ("owner",
 * "requesting", "assigned", "gateway", "ttcg", "toex_manager", "ftt", "audit"). A decision
 * that grants no content (NONE, apmis) has no read purpose: NULL.
 */
const char *access_read_purpose(const access_decision *d);
const char *access_part_name(iom_access_part p);          /* "threat", ... */

#endif
