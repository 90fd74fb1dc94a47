/* Due milestones and products of the ToR in force (app/tasking.h). */
#include "app/tasking_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/calendar.h"

#include "store/work_store.h"
#include "util/timefmt.h"

static int64_t day_number(const char *ymd)
{
    int64_t day;
    return iom_day_number(ymd, &day) ? day : 0;
}

/* Appends item `it` to the growing array *v (capacity *cap, count *k). */
static void push(iom_ctx *c, app_due_item **v, size_t *k, size_t *cap, app_due_item it)
{
    if (*k == *cap) {
        app_due_item *w = iom_arena_new(c->arena, app_due_item, *cap * 2);
        memcpy(w, *v, *k * sizeof **v);
        *v = w;
        *cap *= 2;
    }
    (*v)[(*k)++] = it;
}

/* Every tasking in state `st` the actor may see (the list's rows, every page of it): *out in
   the context's arena. */
static iom_err listed_in(iom_ctx *c, iom_tasking_state st, iom_tasking_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    const char *after = NULL;
    do {
        app_tasking_query q = {.state = lifecycle_state_name(st), .limit = 1000, .after = after};
        iom_tasking_t *ts;
        size_t nt;
        const char *next;
        iom_err err = app_tasking_list(c, &q, &ts, &nt, &next);
        if (err)
            return err;
        if (*n + nt > cap) {
            size_t nc = cap ? cap * 2 : 64;
            while (nc < *n + nt)
                nc *= 2;
            iom_tasking_t *w = iom_arena_new(c->arena, iom_tasking_t, nc);
            if (*n)
                memcpy(w, *out, *n * sizeof *w);
            *out = w;
            cap = nc;
        }
        if (nt)
            memcpy(*out + *n, ts, nt * sizeof *ts);
        *n += nt;
        after = next;
    } while (after);
    return IOM_OK;
}

/* The Gateway's triage: the submitted bids it may see, each with its due day (issue 12
   point 4): the actor's when it holds the gateway role of the bid's region and did not draft,
   edit or send the bid; every one the actor may see with `all`. */
static iom_err triage_items(iom_ctx *c, int days, bool all, int64_t today, app_due_item **v,
                            size_t *k, size_t *cap)
{
    iom_tasking_t *ts;
    size_t nt;
    iom_err err = listed_in(c, IOM_TS_SUBMITTED, &ts, &nt); /* reads the actor, as it lists */
    if (err)
        return err;
    bool gateway = iom_roles_has(c->actor.roles, IOM_ROLE_GATEWAY);
    if (!gateway && !all)
        return IOM_OK;
    for (size_t i = 0; i < nt; i++) {
        int64_t left = ts[i].triage_due - today;
        if (!ts[i].triage_due || left > days)
            continue;
        /* the region's Gateway (a Gateway user sees the bids of its region), and not a bid the
           user drafted, edited or submitted: another member of the Gateway triages it (review 88
           M3) */
        bool yours = gateway && c->actor.agency_region_id &&
                     c->actor.agency_region_id == ts[i].requesting_region_id;
        if (yours) {
            iom_err terr = app_begin(c, false);
            if (terr)
                return terr;
            iom_error keep = c->err;
            terr = tasking_two_person(c, &ts[i], IOM_TA_FORWARD, IOM_ROLE_GATEWAY);
            if (terr == IOM_EFORBIDDEN) {
                c->err = keep;
                terr = IOM_OK;
                yours = false;
            }
            if ((terr = app_end(c, terr)))
                return terr;
        }
        if (!yours && !all)
            continue;
        char due[32];
        iom_time_utc(ts[i].triage_due * 86400, due);
        due[10] = '\0';
        push(c, v, k, cap, (app_due_item){iom_arena_strdup(c->arena, ts[i].ref), "triage",
                                          "triage", iom_arena_strdup(c->arena, due), left,
                                          false, ts[i].marking, "gateway", yours});
    }
    return IOM_OK;
}

iom_err app_tasking_due(iom_ctx *c, int days, bool all, app_due_item **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (days < 0 || days > 3660)
        return iom_fail(&c->err, IOM_EINVAL, "days: %d is not from 0 to 3660", days);
    static const iom_tasking_state open_states[] = {IOM_TS_TOR_AGREED, IOM_TS_IN_DEVELOPMENT,
                                                    IOM_TS_REASSESSMENT};
    size_t cap = 64, k = 0;
    app_due_item *v = iom_arena_new(c->arena, app_due_item, cap);
    int64_t today = app_today(c);
    iom_err terr = triage_items(c, days, all, today, &v, &k, &cap);
    if (terr)
        return terr;
    for (size_t si = 0; si < sizeof open_states / sizeof open_states[0]; si++) {
        iom_tasking_t *ts;
        size_t nt;
        iom_err err = listed_in(c, open_states[si], &ts, &nt);
        if (err)
            return err;
        for (size_t i = 0; i < nt; i++) {
            if ((err = app_begin(c, false)))
                return err;
            app_tasking_scope sc;
            iom_tor_t tor;
            err = tasking_load(c, ts[i].ref, IOM_PART_TASKING, &sc);
            if (!err)
                err = tasking_tor_in_force(c, &sc.t, &tor);
            if (err == IOM_ENOTFOUND) {
                iom_error_clear(&c->err);
                app_end(c, IOM_OK);
                continue;
            }
            if (err)
                return app_end(c, err);
            if (!err)
                err = tasking_tor_fill_done(c, sc.t.id, &tor);
            if (err)
                return app_end(c, err);
            /* whose the items are: the milestones the tasking's SIA's (who marks them done), the
               products its team's (who makes and delivers them: record_product) */
            lifecycle_actor who = {c->actor.roles, access_lifecycle_relations(&sc.actor, &sc.at)};
            bool sia = iom_roles_has(c->actor.roles, IOM_ROLE_SIA) && (who.rels & IOM_REL_TASKING_SIA);
            bool team = (lifecycle_allowed_actions(sc.t.state, &who) & (1u << IOM_TA_RECORD_PRODUCT)) != 0;
            if (!all && !sia && !team) {
                app_end(c, IOM_OK);
                continue;
            }
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
                    for (size_t d = 0; l == 0 && d < tor.ndone; d++)
                        delivered = delivered || strcmp(tor.done[d].name, name) == 0;
                    if (l == 1) {
                        /* the ToR may list a type more than once (an interim and a final
                           analysis): N delivered products of the type meet its N earliest dues,
                           as the APMIS report pairs them; one delivery is not every one */
                        int64_t nd = 0, before = 0;
                        if ((err = c->store->ops->work->products_delivered(c->store, sc.t.id, name,
                                                                           &nd, &c->err)))
                            break;
                        size_t o;
                        json_t *other;
                        json_array_foreach(json_object_get(doc, lists[l]), o, other) {
                            const char *on = json_string_value(json_object_get(other, "type"));
                            const char *od = json_string_value(json_object_get(other, "due"));
                            if (o != j && on && od && strcmp(on, name) == 0 &&
                                (strcmp(od, due) < 0 || (strcmp(od, due) == 0 && o < j)))
                                before++;
                        }
                        delivered = before < nd;
                    }
                    bool yours = l ? team : sia;
                    if (left > days || delivered || (!yours && !all))
                        continue;
                    push(c, &v, &k, &cap,
                         (app_due_item){iom_arena_strdup(c->arena, sc.t.ref),
                                        l ? "product" : "milestone",
                                        iom_arena_strdup(c->arena, name),
                                        iom_arena_strdup(c->arena, due), left, delivered,
                                        sc.t.marking, l ? "team" : "sia", yours});
                }
            }
            json_decref(doc);
            if ((err = app_end(c, err)))
                return err;
        }
    }
    *out = v;
    *n = k;
    return IOM_OK;
}

/* The steps of the lifecycle that wait on whoever may take them (app/tasking.h). */
static const unsigned QUEUE_ACTIONS =
    1u << IOM_TA_SUBMIT | 1u << IOM_TA_FORWARD | 1u << IOM_TA_RETURN | 1u << IOM_TA_REJECT |
    1u << IOM_TA_ACCEPT | 1u << IOM_TA_DECLINE | 1u << IOM_TA_PROPOSE_TOR |
    1u << IOM_TA_AGREE_TOR | 1u << IOM_TA_START | 1u << IOM_TA_COMPLETE | 1u << IOM_TA_REASSESS |
    1u << IOM_TA_REMAIN | 1u << IOM_TA_REQUEST_TRANSFER | 1u << IOM_TA_ESCALATE |
    1u << IOM_TA_DECIDE_TRANSFER | 1u << IOM_TA_AGREE_TRANSFER;

/* The steps of one tasking that wait on the actor (0: none), inside a read transaction. */
static iom_err queue_actions(iom_ctx *c, const char *ref, app_queue_item *it, bool *found)
{
    app_tasking_scope sc;
    *found = false;
    iom_err err = tasking_load(c, ref, IOM_PART_OUTCOME, &sc);
    if (err == IOM_ENOTFOUND) { /* gone from sight since the list was read */
        iom_error_clear(&c->err);
        return IOM_OK;
    }
    if (err)
        return err;
    access_decision acc;
    iom_error ignore = {0};
    if (access_part_check(&acc, &sc.actor, &sc.at, IOM_PART_TASKING, sc.t.marking, &ignore) != IOM_OK)
        acc = sc.access;
    if (acc.read_only)
        return IOM_OK;
    unsigned open = 0;
    if ((err = tasking_open_actions(c, &sc, &open, NULL)))
        return err;
    open &= QUEUE_ACTIONS;
    iom_store *s = c->store;
    if (open & (1u << IOM_TA_PROPOSE_TOR)) {
        /* a proposed version waits on the agreements, not on another proposal */
        iom_tor_t tor;
        err = TS(c)->tor_get(s, sc.t.id, 0, c->arena, &tor, &c->err);
        if (!err)
            open &= ~(1u << IOM_TA_PROPOSE_TOR);
        else if (err == IOM_ENOTFOUND)
            iom_error_clear(&c->err);
        else
            return err;
    }
    if (open & (1u << IOM_TA_REASSESS)) {
        /* the SIA proposes the first version; a version waits on the part that has not
           signed it (a signature counts while its maker holds the part, as reassess reads it) */
        bool sia = (access_lifecycle_relations(&sc.actor, &sc.at) & IOM_REL_TASKING_SIA) != 0;
        iom_assessment_t a;
        err = TS(c)->assessment_latest(s, sc.t.id, "reassessment", c->arena, &a, &c->err);
        bool waits;
        if (err == IOM_ENOTFOUND) {
            iom_error_clear(&c->err);
            waits = sia;
        } else if (err) {
            return err;
        } else {
            waits = sia ? !(a.sia_signed_by && a.sia_signed_by == sc.t.sia_id)
                        : !(a.sio_signed_by && a.sio_signed_by == sc.t.threat_sio_id);
        }
        if (!waits)
            open &= ~(1u << IOM_TA_REASSESS);
        err = IOM_OK;
    }
    if (open) {
        *it = (app_queue_item){iom_arena_strdup(c->arena, sc.t.ref), sc.t.state, sc.t.state_since,
                               open, sc.t.marking};
        *found = true;
    }
    return IOM_OK;
}

static int queue_cmp(const void *x, const void *y)
{
    const app_queue_item *a = x, *b = y;
    if (a->since != b->since)
        return a->since < b->since ? -1 : 1;
    return strcmp(a->tasking, b->tasking);
}

iom_err app_tasking_queue(iom_ctx *c, app_queue_item **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    static const iom_tasking_state waiting[] = {
        IOM_TS_DRAFT,          IOM_TS_SUBMITTED,      IOM_TS_RETURNED,
        IOM_TS_FORWARDED,      IOM_TS_ACCEPTED,       IOM_TS_TOR_AGREED,
        IOM_TS_IN_DEVELOPMENT, IOM_TS_REASSESSMENT,   IOM_TS_TRANSFER_REQUESTED,
        IOM_TS_ESCALATED_FTT};
    size_t cap = 64, k = 0;
    app_queue_item *v = iom_arena_new(c->arena, app_queue_item, cap);
    for (size_t si = 0; si < sizeof waiting / sizeof waiting[0]; si++) {
        iom_tasking_t *ts;
        size_t nt;
        iom_err err = listed_in(c, waiting[si], &ts, &nt);
        if (err)
            return err;
        for (size_t i = 0; i < nt; i++) {
            if ((err = app_begin(c, false)))
                return err;
            app_queue_item it;
            bool found;
            err = queue_actions(c, ts[i].ref, &it, &found);
            if ((err = app_end(c, err)))
                return err;
            if (!found)
                continue;
            if (k == cap) {
                app_queue_item *w = iom_arena_new(c->arena, app_queue_item, cap * 2);
                memcpy(w, v, k * sizeof *v);
                v = w;
                cap *= 2;
            }
            v[k++] = it;
        }
    }
    qsort(v, k, sizeof *v, queue_cmp);
    *out = v;
    *n = k;
    return IOM_OK;
}
