/*
 * tasking_int.h: what the files of the tasking use-cases share (src/app/tasking_*.c); not
 * for use outside them. The public interface is app/tasking.h.
 *
 * The files, one concern each:
 *   tasking_access.c    need-to-know on one tasking: load, enter (for other areas), touch
 *   tasking_audit.c     the audit image of a tasking and the record of a change
 *   tasking_bid.c       the bid: validation and `tasking new`
 *   tasking_act.c       the transitions without content: facts, decision, effects
 *   tasking_team.c      the TOEX team (assign, unassign)
 *   tasking_tor.c       terms of reference: validation, propose, versions, the ToR in force
 *   tasking_reassess.c  the reassessment
 *   tasking_read.c      show, list, version
 *   tasking_due.c       due milestones and products
 *   tasking_json.c      JSON of taskings and decoding of bid and assessment documents
 */
#ifndef IOM_APP_TASKING_INT_H
#define IOM_APP_TASKING_INT_H

#include "app/tasking.h"

#define TS(c) ((c)->store->ops->tasking)

/* Longest requirement, objective or milestone name (bytes). */
#define TASKING_ITEM_MAX 1000

/* ---- tasking_access.c ---- */

/* The access facts of t without the actor's team membership (actor_assigned false). */
access_tasking tasking_summary(const iom_tasking_t *t);
/* The access facts of t with the actor's team membership looked up in the store. */
iom_err tasking_facts(iom_ctx *c, const iom_tasking_t *t, access_tasking *out);
/* Inside a transaction: loads a tasking the actor may read `part` of; a refusal reads as
   not found (IOM_ENOTFOUND). */
iom_err tasking_load(iom_ctx *c, const char *ref, iom_access_part part, app_tasking_scope *s);
/* IOM_ECONFLICT when if_version > 0 and is not t's version. */
iom_err tasking_check_version(iom_ctx *c, const iom_tasking_t *t, int64_t if_version);

/* ---- tasking_audit.c ---- */

/* The audit image of t without the bid (which is written once, in the entry of `new`). */
char *tasking_audit_text(iom_ctx *c, const iom_tasking_t *t);
/* Writes the history event and the audit entry of a change to t (already stored). OUT
   *now (may be NULL): the tasking as stored afterwards, for the caller's result. `before`
   NULL: the creation (the after-image then carries the bid). */
iom_err tasking_record(iom_ctx *c, const iom_tasking_t *t, const char *action, iom_role role,
                       int from, const char *reason, const char *before, iom_tasking_t *now);

/* ---- tasking_tor.c ---- */

/* The facts of t's state that the rule of `action` reads (tasking_act.c), as app_tasking_act
   gathers them, with no command input: for `tasking show`'s actions open now. A fact whose
   record is missing stays false. */
iom_err tasking_state_facts(iom_ctx *c, app_tasking_scope *sc, iom_tasking_action action,
                            lifecycle_facts *out);
/* One person does not hold both sides of a check: IOM_EFORBIDDEN with the rule's words when
   the actor drafted, edited or submitted the bid they would triage (forward, return, reject), or is
   the SIO who holds the risk or signed the reassessment of the transfer they would decide
   (decide_transfer; granted: the role the rule granted, for the words); IOM_OK otherwise. */
iom_err tasking_two_person(iom_ctx *c, const iom_tasking_t *t, iom_tasking_action action,
                           iom_role granted);
/* The actions the actor may take on sc's tasking now (bit set of iom_tasking_action in
   *open): role and relation, then each action's precondition over the stored facts. When
   `blocked` is not NULL (IOM_TA_COUNT entries, zeroed by the caller), an action the role
   and relation allow but a precondition holds back gets the rule's message (arena). Inside
   a transaction; reads only. */
iom_err tasking_open_actions(iom_ctx *c, app_tasking_scope *sc, unsigned *open,
                             const char **blocked);
/* The ToR in force: the latest version agreed by both (IOM_ENOTFOUND when none). */
iom_err tasking_tor_in_force(iom_ctx *c, const iom_tasking_t *t, iom_tor_t *out);
/* Fills tor->done / ndone with the tasking's milestones marked done (arena). */
iom_err tasking_tor_fill_done(iom_ctx *c, int64_t tasking_id, iom_tor_t *tor);

/* A date a person gives that must be near today: not before `from` (YYYY-MM-DD) and not more
   than `ahead` days after today (ahead 0: not after today, said so). A typo (2099 for 2026,
   1900) is refused with the field named and `what` the date is. d must have passed
   iom_date_check. */
iom_err tasking_date_near(iom_ctx *c, const char *field, const char *d, const char *from, int ahead,
                          const char *what);

/* IOM_EINVAL naming `field` when user u's clearance is below tasking t's marking: whoever
   leads or works on a tasking (its SIA, a member of its team) must be able to read it. */
iom_err tasking_user_cleared(iom_ctx *c, const char *field, const iom_user_t *u,
                             const iom_tasking_t *t);

/* tasking_user_cleared for the SIA (field "sia"), and IOM_EINVAL too when tasking t holds a
   record (item, dataset, import, product) marked above u's clearance: the SIA agrees the terms,
   delivers the products and signs the reassessment that rest on them (review 94 M1, as review
   92 M1 for the SIO). The marking is named only to an actor cleared for it. Store errors as
   returned. */
iom_err tasking_sia_cleared(iom_ctx *c, const iom_user_t *u, const iom_tasking_t *t);

#endif
