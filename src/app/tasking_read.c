/* Reads of taskings: show, list, version (app/tasking.h). */
#include "app/page.h"
#include "app/tasking_int.h"

#include "app/calendar.h"

#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "app/json.h"
#include "app/readlog.h"
#include "util/jsonw.h"

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

/* The actions open now: role and relation (lifecycle_allowed_actions), then each one's
   precondition over the tasking's facts, read as app_tasking_act reads them. */
iom_err tasking_open_actions(iom_ctx *c, app_tasking_scope *sc, unsigned *open,
                             const char **blocked)
{
    *open = 0;
    lifecycle_actor who = {c->actor.roles, access_lifecycle_relations(&sc->actor, &sc->at)};
    unsigned may = lifecycle_allowed_actions(sc->t.state, &who);
    iom_err err = IOM_OK;
    for (int a = 0; !err && a < IOM_TA_COUNT; a++) {
        lifecycle_facts f;
        if (!(may & (1u << a)) ||
            (err = tasking_state_facts(c, sc, (iom_tasking_action)a, &f)))
            continue;
        iom_error why = {0};
        bool ok = lifecycle_action_open_why(sc->t.state, (iom_tasking_action)a, &who, &f, &why);
        if (ok) { /* and not both sides of a check (review 88 M3: a spoc with the gateway role
                     was offered the triage of their own bid, then refused) */
            iom_error keep = c->err;
            iom_role granted = sc->t.state == IOM_TS_ESCALATED_FTT ? IOM_ROLE_FTT : IOM_ROLE_TTCG;
            iom_err terr = tasking_two_person(c, &sc->t, (iom_tasking_action)a, granted);
            if (terr == IOM_EFORBIDDEN) {
                ok = false;
                snprintf(why.msg, sizeof why.msg, "%s", c->err.msg);
                c->err = keep;
            } else if (terr) {
                err = terr;
                continue;
            }
        }
        if (ok)
            *open |= 1u << a;
        else if (blocked && why.msg[0] &&
                 !(a == IOM_TA_AGREE_TOR && f.tor_version_exists &&
                   ((who.rels & IOM_REL_TASKING_SIA) ? f.tor_sia_agreed : f.tor_sio_agreed)) &&
                 !(a == IOM_TA_AGREE_TRANSFER && f.assessment_signed && !f.transfer_agreement_open))
            /* what it waits for (review 63: "complete" was hidden, no reason); a ToR this side
               agreed already waits for nothing (review 68), but one not yet proposed waits for
               the SIA (review 71: every agree_tor reason was hidden); nor does a transfer the
               SIO has agreed to */
            blocked[a] = iom_arena_strdup(c->arena, why.msg);
    }
    return err;
}

static iom_err tasking_show(iom_ctx *c, const char *ref, bool transfer, app_tasking_view *v);

iom_err app_tasking_show(iom_ctx *c, const char *ref, app_tasking_view *v)
{
    return tasking_show(c, ref, false, v);
}

iom_err app_tasking_transfer(iom_ctx *c, const char *ref, app_tasking_view *v)
{
    return tasking_show(c, ref, true, v);
}

/* In a read transaction begun here: the tasking as whoever sees it in the list may (its outcome),
   in v->t, and the actor's access to its content in v->access (the outcome's when none: apmis).
   On an error the transaction is ended. */
static iom_err view_begin(iom_ctx *c, const char *ref, app_tasking_view *v, app_tasking_scope *sc)
{
    memset(v, 0, sizeof *v);
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    if ((err = tasking_load(c, ref, IOM_PART_OUTCOME, sc)))
        return app_end(c, err);
    v->t = sc->t;
    iom_error ignore = {0};
    if (access_part_check(&v->access, &sc->actor, &sc->at, IOM_PART_TASKING, sc->t.marking, &ignore) != IOM_OK)
        v->access = sc->access; /* outcome only (apmis) */
    return IOM_OK;
}

static iom_err tasking_show(iom_ctx *c, const char *ref, bool transfer, app_tasking_view *v)
{
    app_tasking_scope sc;
    iom_err err = view_begin(c, ref, v, &sc);
    if (err)
        return err;
    if ((err = app_tasking_fill_triage_due(c, &v->t, 1)))
        return app_end(c, err);
    iom_store *s = c->store;
    if (TS(c)->view_ahead) /* one round trip for the parts below where a read costs one each */
        TS(c)->view_ahead(s, sc.t.id, v->access.content);
    if ((err = TS(c)->events(s, sc.t.id, c->arena, &v->events, &v->nevents, &c->err)))
        return app_end(c, err);
    if (v->access.content) {
        if ((err = TS(c)->members(s, sc.t.id, c->arena, &v->members, &v->nmembers, &c->err)) ||
            (err = TS(c)->tor_agreed_version(s, sc.t.id, &v->tor_agreed_version, &c->err)))
            return app_end(c, err);
        err = TS(c)->tor_get(s, sc.t.id, 0, c->arena, &v->tor, &c->err);
        v->has_tor = !err;
        if (!err)
            err = tasking_tor_fill_done(c, sc.t.id, &v->tor);
        if (err == IOM_ENOTFOUND)
            err = IOM_OK;
        if (!err) {
            err = TS(c)->assessment_latest(s, sc.t.id, "reassessment", c->arena, &v->reassessment, &c->err);
            v->has_reassessment = !err;
            /* while the reassessment decides what comes next, a signature counts only while its
               maker holds the part (tasking_act.c: `remain` and a transfer ask for the SIA's and
               the SIO's of now): shown so, not as "signed" when the threat's SIO or the SIA has
               changed since (review 42 saw "signed_by_sio": true and a 409 "not signed by both"
               for one request); once acted on, the signatures are shown as they were made */
            bool deciding = sc.t.state == IOM_TS_REASSESSMENT;
            if (!err && deciding && v->reassessment.sio_signed_by != sc.t.threat_sio_id)
                v->reassessment.sio_signed_by = 0;
            if (!err && deciding && v->reassessment.sia_signed_by != sc.t.sia_id)
                v->reassessment.sia_signed_by = 0;
            /* and the SIO's agreement to a transfer, as request_transfer reads it */
            if (!err && deciding && v->reassessment.transfer_agreed_by != sc.t.threat_sio_id) {
                v->reassessment.transfer_agreed_by = v->reassessment.transfer_agreed_at = 0;
                v->reassessment.transfer_agreed = NULL;
            }
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
    if (!v->access.content) {
        /* The APMIS recorder sees outcomes only (issue 12 point 9): states, dates, decisions
           and owners, never a reason, rationale or other free text that may carry
           intelligence. */
        for (size_t i = 0; i < v->nevents; i++)
            v->events[i].reason = NULL;
        v->transfer.rationale = v->transfer.escalation_rationale = NULL;
        v->transfer.decision_reason = NULL;
    }
    if (!err && !v->access.read_only)
        err = tasking_open_actions(c, &sc, &v->allowed_actions, v->blocked);
    if ((err = app_end(c, err)))
        return err;
    /* a transfer asked for and none made: nothing of the tasking is shown, so no read is
       logged (review 84 L12: the 404 wrote a `tasking.read`) */
    if (transfer && !v->has_transfer)
        return iom_fail(&c->err, IOM_ENOTFOUND, "transfer: tasking %s has no transfer", v->t.ref);
    return v->access.content ? log_tasking_read(c, v) : IOM_OK;
}

iom_err app_tasking_actions(iom_ctx *c, const char *ref, app_tasking_view *v)
{
    app_tasking_scope sc;
    iom_err err = view_begin(c, ref, v, &sc);
    if (err)
        return err;
    if (!v->access.read_only) /* as app_tasking_show */
        err = tasking_open_actions(c, &sc, &v->allowed_actions, v->blocked);
    return app_end(c, err);
}

/* The list: the store's query filtered by `store_scope` (NULL: the actor's scope), then every
   row re-checked against the actor's scope. */
static iom_err list_in(iom_ctx *c, const app_tasking_query *q, const access_scope *store_scope,
                       iom_tasking_t **out, size_t *n, const char **next)
{
    *next = NULL;
    *n = 0;
    iom_tasking_filter f = {.state = -1, .after_ref = q->after, .limit = q->limit ? q->limit : 50};
    iom_err err;
    if (f.limit > 1000)
        return iom_fail(&c->err, IOM_EINVAL, "limit: %zu is above the maximum of 1000", f.limit);
    if ((err = app_page_cursor(c, q->after, "TOEX-")))
        return err;
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
    /* Need-to-know (domain.md §3): one scope value, the store's filter and the re-check. */
    access_actor a = app_access_actor(c);
    access_scope scope = access_scope_of(&a);
    f.scope = store_scope ? *store_scope : scope;
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
    /* Defence in depth: drop any row the same scope refuses. Team membership only ever grants
       sight, so it is looked up (one query) only for a row refused without it, and only for
       a scope with a team clause. */
    size_t kept = 0;
    for (size_t i = 0; i < k; i++) {
        /* a withdrawn row, for a reader whose sight of it depends on whether it was ever sent
           (the region's Gateway and TTCG, APMIS: review 111 M1): read whole, which says so (a
           list's rows do not: their lookup made every page dearer) */
        if (v[i].state == IOM_TS_WITHDRAWN && !v[i].unsent &&
            (scope.region_as != IOM_ACCESS_NONE || scope.all == IOM_ACCESS_APMIS)) {
            iom_tasking_t whole;
            if ((err = TS(c)->get(s, v[i].ref, c->arena, &whole, &c->err)))
                return app_end(c, err);
            v[i].unsent = whole.unsent;
        }
        access_tasking at = tasking_summary(&v[i]);
        bool ok = access_scope_admits(&scope, &at);
        if (!ok && scope.user_id) {
            if ((err = tasking_facts(c, &v[i], &at)))
                return app_end(c, err);
            ok = at.actor_assigned && access_scope_admits(&scope, &at);
        }
        if (ok)
            v[kept++] = v[i];
    }
    *out = v;
    *n = kept;
    return app_end(c, app_tasking_fill_triage_due(c, v, kept));
}

iom_err app_tasking_list(iom_ctx *c, const app_tasking_query *q, iom_tasking_t **out, size_t *n,
                         const char **next)
{
    return list_in(c, q, NULL, out, n, next);
}

iom_err app_tasking_list_store_scope(iom_ctx *c, const app_tasking_query *q,
                                     const access_scope *store_scope, iom_tasking_t **out,
                                     size_t *n, const char **next)
{
    return list_in(c, q, store_scope, out, n, next);
}

iom_err app_tasking_version(iom_ctx *c, const char *ref, int64_t *out)
{
    *out = 0;
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    app_tasking_scope sc;
    if (!(err = tasking_load(c, ref, IOM_PART_TASKING, &sc)))
        *out = sc.t.version;
    return app_end(c, err);
}

iom_err app_tasking_marking(iom_ctx *c, const char *ref, iom_marking *out)
{
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    app_tasking_scope sc;
    if (!(err = tasking_load(c, ref, IOM_PART_OUTCOME, &sc)))
        *out = sc.t.marking;
    return app_end(c, err);
}
