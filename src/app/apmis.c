#include "app/page.h"
#include "app/apmis.h"
#include "store/tasking_store.h"

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/json.h"
#include "app/work.h"
#include "util/buf.h"
#include "util/timefmt.h"

static apmis_actor actor_of(const iom_ctx *c)
{
    return (apmis_actor){c->actor.roles, c->actor.agency_kind, c->actor.agency_id,
                         c->actor.agency_region_id, c->actor.clearance};
}

static bool toex_contributed(const iom_apmis_t *r)
{
    for (size_t i = 0; i < r->ncapabilities; i++)
        if (r->capability_kinds && r->capability_kinds[i] == IOM_AGENCY_CAPABILITY)
            return true;
    return false;
}

json_t *json_of_apmis(const iom_apmis_t *r)
{
    json_t *caps = json_array();
    for (size_t i = 0; i < r->ncapabilities; i++)
        json_array_append_new(caps, json_string(r->capabilities[i]));
    json_t *j = json_object();
    json_object_set_new(j, "ref", json_string(r->ref));
    json_object_set_new(j, "threat", json_string(r->threat_ref));
    json_object_set_new(j, "threat_title", json_str_or_null(r->threat_title));
    json_object_set_new(j, "owner", json_str_or_null(r->owner));
    json_object_set_new(j, "date", json_string(r->date));
    json_object_set_new(j, "lead", json_string(r->lead_agency));
    json_object_set_new(j, "lead_region", json_str_or_null(r->lead_region));
    json_object_set_new(j, "impact", json_string(products_impact_name(r->impact)));
    json_object_set_new(j, "type", json_string(products_disruption_name(r->type)));
    json_object_set_new(j, "strand", json_string(products_strand_name(r->strand)));
    json_object_set_new(j, "arrests", json_integer(r->arrests));
    json_object_set_new(j, "safeguarded", json_integer(r->safeguarded));
    json_object_set_new(j, "seized_pence", json_integer(r->seized_pence));
    json_object_set_new(j, "capabilities", caps);
    json_object_set_new(j, "toex_contributed", json_boolean(toex_contributed(r)));
    json_object_set_new(j, "narrative", json_string(r->narrative));
    json_object_set_new(j, "marking", json_string(iom_marking_name(r->threat_marking)));
    json_object_set_new(j, "created_at", json_time(r->created_at));
    json_object_set_new(j, "created_by", json_str_or_null(r->created_by_name));
    return j;
}

/* ---- record ---- */

static iom_err load_agency(iom_ctx *c, const char *field, const char *code, iom_agency_t *out)
{
    iom_err err = c->store->ops->agency_get(c->store, code, c->arena, out, &c->err);
    if (err == IOM_ENOTFOUND)
        return iom_fail(&c->err, IOM_EINVAL, "%s: '%.64s' is not a known agency code", field, code);
    if (!err && out->disabled)
        return iom_fail(&c->err, IOM_EINVAL, "%s: agency '%s' is disabled%s%s", field, code,
                        out->merged_into ? "; it was merged into " : "",
                        out->merged_into ? out->merged_into : "");
    return err;
}

/* A threat the actor may see: above the actor's clearance reads as absent. */
static iom_err load_threat(iom_ctx *c, const char *ref, iom_threat_t *t)
{
    iom_err err = c->store->ops->threat_get(c->store, ref, c->arena, t, &c->err);
    if (err == IOM_ENOTFOUND || (!err && !iom_clearance_allows(c->actor.clearance, t->marking)))
        return iom_fail(&c->err, IOM_ENOTFOUND, "threat: '%.64s' is not on the SOC master list", ref);
    return err;
}

static bool may_read(const iom_ctx *c, const iom_apmis_t *r);

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* IOM_ECONFLICT when the threat already has this very disruption (date, lead, impact, type,
   counts, strand, narrative and capabilities all the same): a request sent twice, a form
   submitted again (review 49: four copies of one disruption were counted four times in the
   report). Two disruptions on one day differ at least in their narrative. */
/* Whether two narratives are the same text but for the white space around and between words
   (review 55: a trailing space recorded one disruption twice). */
static bool same_words(const char *a, const char *b)
{
    a = a ? a : "";
    b = b ? b : "";
    for (;;) {
        while (*a == ' ' || *a == '\t' || *a == '\r' || *a == '\n')
            a++;
        while (*b == ' ' || *b == '\t' || *b == '\r' || *b == '\n')
            b++;
        if (!*a || !*b)
            return !*a && !*b;
        while (*a && *b && *a == *b && !(*a == ' ' || *a == '\t' || *a == '\r' || *a == '\n'))
            a++, b++;
        bool ea = !*a || *a == ' ' || *a == '\t' || *a == '\r' || *a == '\n',
             eb = !*b || *b == ' ' || *b == '\t' || *b == '\r' || *b == '\n';
        if (!ea || !eb)
            return false;
    }
}

/* The capabilities of r other than its lead agency, sorted (in a): naming the lead among
   them too says nothing more (review 55: it recorded one disruption twice). */
/* r's capabilities but the two leads (its own, and `other`'s: 0 for none), sorted. */
static size_t capabilities_of(iom_arena *a, const iom_apmis_t *r, int64_t other, int64_t **out)
{
    int64_t *v = iom_arena_new(a, int64_t, r->ncapabilities + 1);
    size_t n = 0;
    for (size_t i = 0; i < r->ncapabilities; i++)
        if (r->capability_ids[i] != r->lead_agency_id && r->capability_ids[i] != other)
            v[n++] = r->capability_ids[i];
    qsort(v, n, sizeof *v, cmp_id);
    *out = v;
    return n;
}

static iom_err same_recorded(iom_ctx *c, const iom_apmis_t *r)
{
    iom_apmis_filter f = {.scope = {.all = true, .clearance = IOM_MARKING_OFFICIAL_SENSITIVE},
                          .threat_id = r->threat_id};
    iom_apmis_t *v;
    size_t n;
    iom_err err = c->store->ops->apmis->list(c->store, &f, c->arena, &v, &n, &c->err);
    if (err)
        return err;
    for (size_t i = 0; i < n; i++) {
        const iom_apmis_t *o = &v[i];
        /* whatever the lead: one disruption recorded by two agencies counted twice in TOEX's
           value report (review 81 M2) */
        if (strcmp(o->date, r->date) || o->impact != r->impact ||
            o->type != r->type || o->arrests != r->arrests || o->safeguarded != r->safeguarded ||
            o->seized_pence != r->seized_pence || o->strand != r->strand || !same_words(o->narrative, r->narrative))
            continue;
        int64_t *mine, *theirs;
        size_t nmine = capabilities_of(c->arena, r, o->lead_agency_id, &mine);
        size_t ntheirs = capabilities_of(c->arena, o, r->lead_agency_id, &theirs);
        if (ntheirs == nmine && (!nmine || memcmp(mine, theirs, nmine * sizeof *mine) == 0)) {
            bool named = may_read(c, o); /* the record's ref only to who may read it (review 50) */
            return iom_fail(&c->err, IOM_ECONFLICT,
                            "apmis record: this disruption is already recorded%s%s (the same threat, "
                            "date, impact, type, counts, strand, narrative and capabilities, whichever "
                            "agency leads)",
                            named ? " as " : "", named ? o->ref : "");
        }
    }
    return IOM_OK;
}

/* apmis_validate_each's note: the problem into c's list (iom_ctx problems). */
static void note_problem(void *ud, const char *field, const iom_error *e)
{
    iom_ctx *c = ud;
    app_problem(c, field, "%s", e->msg);
}

iom_err app_apmis_record(iom_ctx *c, const apmis_input *in, iom_apmis_t *out)
{
    apmis_fields f;
    c->nproblems = 0; /* every field checked, all problems told at once (iom_ctx problems) */
    iom_err err = apmis_validate_each(in, app_today(c), &f, note_problem, c, &c->err);
    if (err == IOM_EINVAL)
        err = app_problems_end(c);
    if (err || (err = app_begin(c, true)))
        return err;
    if ((err = app_actor(c)))
        return app_end(c, err);
    iom_store *s = c->store;
    iom_threat_t t;
    iom_agency_t lead;
    apmis_actor who = actor_of(c);
    /* the caller's right before the content (api.md "Errors"; review 84 L12): whoever is neither
       an APMIS recorder nor a spoc or sio of the lead named (by its code, before it is read) is
       refused before the lead is judged */
    bool own_lead = in->lead && c->actor.agency && strcmp(in->lead, c->actor.agency) == 0;
    if ((err = apmis_may_record(&who, own_lead ? c->actor.agency_id : 0, &c->err)) ||
        (err = load_agency(c, "lead", in->lead, &lead)))
        return app_end(c, err);
    if (lead.kind == IOM_AGENCY_CAPABILITY)
        return app_end(c, iom_fail(&c->err, IOM_EINVAL,
                                   "lead: '%s' is a capability, not a lead agency; name it with "
                                   "--capability", lead.code));
    if ((err = apmis_may_record(&who, lead.id, &c->err)) || (err = load_threat(c, in->threat, &t)))
        return app_end(c, err);
    int64_t *ids = iom_arena_new(c->arena, int64_t, in->ncapabilities + 1);
    for (size_t i = 0; i < in->ncapabilities; i++) {
        iom_agency_t ag;
        if ((err = load_agency(c, "capability", in->capabilities[i], &ag)))
            return app_end(c, err);
        ids[i] = ag.id;
        /* TOEX contributed only where it took a tasking of the threat on: the value report
           counts these records as TOEX's (review 55: a bid the Gateway rejected, or none at
           all, counted) */
        int64_t taken = 0;
        if (ag.kind != IOM_AGENCY_CAPABILITY)
            continue;
        /* who credits TOEX knows its taskings of the threat: the APMIS team, TOEX's own staff,
           the threat's owner (its taskings are its own); another force's SPOC is told
           nothing of them, not whether one was accepted nor when (review 81 M1: the refusal
           named the day TOEX took on a tasking of another region's threat, and a date after
           it recorded TOEX's part in it) */
        bool knows = iom_roles_has(c->actor.roles, IOM_ROLE_APMIS) || c->actor.agency_kind == IOM_AGENCY_CAPABILITY ||
                     (t.owner && c->actor.agency && strcmp(t.owner, c->actor.agency) == 0);
        /* and the agency that requested a tasking of it TOEX accepted: it knows its own
           tasking, also once the threat has moved to another owner (review 88 L4: a force
           that carried out the option could not credit TOEX after the transfer) */
        if (!knows && c->actor.agency_id &&
            (err = c->store->ops->tasking->requested_for_threat(c->store, t.id, c->actor.agency_id, &knows,
                                                                 &c->err)))
            return app_end(c, err);
        if (!knows)
            return app_end(c, iom_fail(&c->err, IOM_EFORBIDDEN,
                                       "capability: %s's part in a disruption of %s is recorded by the threat's "
                                       "owner (%s), the agency that requested its tasking, TOEX or the APMIS "
                                       "team, who know its taskings; record it "
                                       "without --capability %s, or ask them",
                                       ag.code, t.ref, t.owner ? t.owner : "?", ag.code));
        /* of the taskings the recorder may see: a hidden one's acceptance and date are not told
           (review 69) */
        if ((err = c->store->ops->tasking->supported_for_threat(c->store, t.id, c->actor.clearance, &taken, &c->err)))
            return app_end(c, err);
        if (!taken)
            return app_end(c, iom_fail(&c->err, IOM_ECONFLICT,
                                       "capability: %s took on no tasking of threat %s (none was accepted); it "
                                       "cannot have contributed to this disruption", ag.code, t.ref));
        /* nor to one before it took the first on (review 57: a 2001 disruption counted) */
        char since[32];
        iom_time_uk(taken, since); /* the UK day, as the record's date is checked (review 93 L3) */
        since[10] = '\0';
        if (strcmp(in->date, since) < 0)
            return app_end(c, iom_fail(&c->err, IOM_ECONFLICT,
                                       "capability: %s first took on a tasking of threat %s on %s; it cannot have "
                                       "contributed to a disruption of %s", ag.code, t.ref, since, in->date));
    }
    iom_apmis_t r = {.threat_id = t.id, .date = (char *)in->date, .lead_agency_id = lead.id,
                     .impact = f.impact, .type = f.type, .arrests = in->arrests,
                     .safeguarded = in->safeguarded, .seized_pence = in->seized_pence,
                     .strand = f.strand, .narrative = (char *)in->narrative,
                     .created_by = c->actor.id, .created_at = app_now(c), .capability_ids = ids,
                     .ncapabilities = in->ncapabilities};
    if ((err = same_recorded(c, &r)) || (err = s->ops->apmis->insert(s, &r, &c->err)))
        return app_end(c, err);
    char *ref = iom_arena_printf(c->arena, "APM-%06lld", (long long)r.id);
    if ((err = s->ops->apmis->get(s, ref, c->arena, out, &c->err)))
        return app_end(c, err);
    json_t *j = json_of_apmis(out);
    char *after = json_text(c->arena, j);
    json_decref(j);
    err = audit_record(c, "apmis.record", out->ref, NULL, after);
    return app_end(c, err);
}

/* ---- reads ---- */

static apmis_record_facts facts_of(const iom_apmis_t *r)
{
    return (apmis_record_facts){r->lead_agency_id, r->lead_region_id, r->owner_id,
                                r->owner_region_id, r->capability_ids, r->ncapabilities,
                                r->threat_marking};
}

static bool may_read(const iom_ctx *c, const iom_apmis_t *r)
{
    apmis_actor who = actor_of(c);
    apmis_record_facts f = facts_of(r);
    return apmis_may_read(&who, &f);
}

/* A record's narrative may hold personal data ("five workers safeguarded at ..."): reading
   records is logged as any read of a tasking's content (review 81 M5), one `tasking.read` entry
   per answer naming each record shown; an empty answer logs nothing. */
static iom_err log_consult(iom_ctx *c, const char *object, const iom_apmis_t *v, size_t n)
{
    if (n == 0)
        return IOM_OK;
    json_t *what = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(what, json_pack("{s:s, s:s}", "ref", v[i].ref, "view", "apmis record"));
    return work_log_read(c, "tasking.read", object, what, NULL, "apmis");
}

iom_err app_apmis_get(iom_ctx *c, const char *ref, iom_apmis_t *out)
{
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    if (!(err = app_actor(c)) &&
        !(err = c->store->ops->apmis->get(c->store, ref ? ref : "", c->arena, out, &c->err)) &&
        !may_read(c, out))
        err = iom_fail(&c->err, IOM_ENOTFOUND, "apmis record: '%.64s' not found", ref);
    if ((err = app_end(c, err)))
        return err;
    return log_consult(c, out->ref, out, 1);
}

iom_err app_apmis_list(iom_ctx *c, const app_apmis_query *q, iom_apmis_t **out, size_t *n,
                       const char **next)
{
    *next = NULL;
    *n = 0;
    size_t want = q->limit ? q->limit : 100;
    if (want > 1000)
        return iom_fail(&c->err, IOM_EINVAL, "limit: %zu is above the maximum of 1000", want);
    iom_err err = app_page_cursor(c, q->after, "APM-");
    if (err)
        return err;
    err = app_begin(c, false);
    if (err)
        return err;
    if ((err = app_actor(c)))
        return app_end(c, err);
    apmis_actor who = actor_of(c);
    iom_apmis_filter f = {.scope = apmis_read_scope_of(&who), .after_ref = q->after,
                          .limit = want + 1};
    if (q->threat) {
        iom_threat_t t;
        if ((err = load_threat(c, q->threat, &t)))
            return app_end(c, err);
        f.threat_id = t.id;
    }
    if (!(err = c->store->ops->apmis->list(c->store, &f, c->arena, out, n, &c->err)) && *n > want) {
        *n = want;
        *next = (*out)[want - 1].ref;
    }
    /* Defence in depth, as the tasking list: drop any row the same scope refuses. */
    size_t kept = 0;
    for (size_t i = 0; !err && i < *n; i++) {
        apmis_record_facts rf = facts_of(&(*out)[i]);
        if (apmis_scope_admits(&f.scope, &rf))
            (*out)[kept++] = (*out)[i];
    }
    *n = err ? 0 : kept;
    if ((err = app_end(c, err)))
        return err;
    return log_consult(c, "apmis", *out, *n);
}

/* ---- report ---- */

/* The products of each agreed ToR, as due rows. A malformed entry cannot be counted and is
   skipped (app/tasking validates ToR content when it is proposed). */
static void dues_from_tors(iom_arena *a, const iom_apmis_tor_row *tors, size_t nt,
                           apmis_due_row **out, size_t *n)
{
    size_t cap = 16, k = 0;
    apmis_due_row *v = iom_arena_new(a, apmis_due_row, cap);
    for (size_t i = 0; i < nt; i++) {
        json_t *root = json_loads(tors[i].content_json, 0, NULL);
        json_t *products = json_object_get(root, "products");
        size_t idx;
        json_t *p;
        json_array_foreach(products, idx, p) {
            const char *type = json_string_value(json_object_get(p, "type"));
            const char *due = json_string_value(json_object_get(p, "due"));
            apmis_due_row d = {.tasking_id = tors[i].tasking_id};
            if (!type || !due || products_type_parse(type, &d.type, NULL) ||
                apmis_day_parse("due", due, &d.due_day, NULL))
                continue;
            if (k == cap) {
                apmis_due_row *w = iom_arena_new(a, apmis_due_row, cap * 2);
                memcpy(w, v, k * sizeof *v);
                v = w;
                cap *= 2;
            }
            v[k++] = d;
        }
        json_decref(root);
    }
    *out = v;
    *n = k;
}

/* Region id of a region code, from the agencies in it (-1 when it has none). */
static iom_err region_lookup(iom_ctx *c, const char *code, int64_t *id)
{
    iom_region_t *rs;
    iom_agency_t *as;
    size_t nr, na;
    iom_err err;
    if ((err = c->store->ops->region_list(c->store, c->arena, &rs, &nr, &c->err)))
        return err;
    bool known = false;
    for (size_t i = 0; i < nr; i++)
        known = known || strcmp(rs[i].code, code) == 0;
    if (!known)
        return iom_fail(&c->err, IOM_EINVAL, "region: '%.64s' is not a known region code", code);
    if ((err = c->store->ops->agency_list(c->store, c->arena, &as, &na, &c->err)))
        return err;
    *id = -1;
    for (size_t i = 0; i < na; i++)
        if (as[i].region && strcmp(as[i].region, code) == 0)
            *id = as[i].region_id;
    return IOM_OK;
}

/* Whether id is in v[0..n), sorted ascending. */
static bool id_in(const int64_t *v, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo] == id;
}

/* Keeps the events ev[0..*nev) of the taskings tk[0..nt) (the others' left out, in order). */
static void keep_events_of(iom_ctx *c, const apmis_tasking_row *tk, size_t nt, apmis_event_row *ev,
                           size_t *nev)
{
    int64_t *kept = iom_arena_new(c->arena, int64_t, nt + 1);
    for (size_t i = 0; i < nt; i++)
        kept[i] = tk[i].id;
    apmis_sort(kept, nt);
    size_t m = 0;
    for (size_t j = 0; j < *nev; j++)
        if (id_in(kept, nt, ev[j].tasking_id))
            ev[m++] = ev[j];
    *nev = m;
}

iom_err app_apmis_report(iom_ctx *c, const app_apmis_report_query *q, app_apmis_report_t *out)
{
    apmis_period p;
    iom_err err = apmis_period_make(q->from, q->to, app_now(c), app_today(c), &p, &c->err);
    if (err || (err = app_begin(c, false)))
        return err;
    if ((err = app_actor(c)))
        return app_end(c, err);
    apmis_scope asked = {0}, scope;
    const char *region = q->region, *force = q->force;
    if (region && (err = region_lookup(c, region, &asked.region_id)))
        return app_end(c, err);
    if (force) {
        iom_agency_t ag;
        err = c->store->ops->agency_get(c->store, force, c->arena, &ag, &c->err);
        if (err == IOM_ENOTFOUND)
            err = iom_fail(&c->err, IOM_EINVAL, "force: '%.64s' is not a known agency code", force);
        if (err)
            return app_end(c, err);
        asked.agency_id = ag.id;
        asked.agency_region_id = ag.region_id;
    }
    apmis_actor who = actor_of(c);
    if ((err = apmis_report_scope(&who, &asked, &scope, &c->err)))
        return app_end(c, err);
    /* Name the narrowed scope: it is the actor's own agency or region. */
    if (scope.agency_id && scope.agency_id != asked.agency_id)
        force = c->actor.agency;
    if (scope.region_id && scope.region_id != asked.region_id)
        region = c->actor.agency_region;
    char from[16], to[16];
    if (p.has_from)
        apmis_day_format(p.from_day, from);
    apmis_day_format(p.to_day, to);
    iom_apmis_report_filter f = {scope.region_id, scope.agency_id, c->actor.clearance, p.limit,
                                 p.has_from ? from : NULL, to, q->by_owner};
    const struct iom_store_apmis_ops *ops = c->store->ops->apmis;
    iom_store *s = c->store;
    apmis_report_input in = {0};
    iom_apmis_tor_row *tors;
    size_t ntors;
    apmis_tasking_row *tk;
    apmis_event_row *ev;
    apmis_delivery_row *dl;
    apmis_option_row *op;
    apmis_intel_row *it;
    apmis_disruption_row *dr;
    if ((err = ops->report_taskings(s, &f, c->arena, &tk, &in.ntaskings, &c->err)) ||
        (err = ops->report_events(s, &f, c->arena, &ev, &in.nevents, &c->err)) ||
        (err = ops->report_tors(s, &f, c->arena, &tors, &ntors, &c->err)) ||
        (err = ops->report_deliveries(s, &f, c->arena, &dl, &in.ndeliveries, &c->err)) ||
        (err = ops->report_options(s, &f, c->arena, &op, &in.noptions, &c->err)) ||
        (err = ops->report_intel(s, &f, c->arena, &it, &in.nintel, &c->err)) ||
        (err = ops->report_disruptions(s, &f, c->arena, &dr, &in.ndisruptions, &c->err)))
        return app_end(c, err);
    /* a draft is its SPOC's until it is sent (review 84 L2), and so is a draft withdrawn
       unsent (review 111 M1: no event of it ever reached `submitted`): counted only in a
       report of the reader's own agency as the requester, events included (the owner's view
       holds other agencies' taskings of its threats) */
    if (q->by_owner || !(scope.agency_id && scope.agency_id == c->actor.agency_id)) {
        /* the taskings ever submitted, then those kept: sorted ids, looked up by bisection */
        int64_t *sub = iom_arena_new(c->arena, int64_t, in.nevents + 1);
        size_t ns = 0, k = 0;
        for (size_t j = 0; j < in.nevents; j++)
            if (ev[j].to_state == IOM_TS_SUBMITTED)
                sub[ns++] = ev[j].tasking_id;
        apmis_sort(sub, ns);
        for (size_t i = 0; i < in.ntaskings; i++)
            if (tk[i].state != IOM_TS_DRAFT &&
                (tk[i].state != IOM_TS_WITHDRAWN || id_in(sub, ns, tk[i].id)))
                tk[k++] = tk[i];
        in.ntaskings = k;
        keep_events_of(c, tk, k, ev, &in.nevents);
    }
    /* a toex_manager's need-to-know is the taskings that reached TOEX (domain.md §3): a report
       of any scope holds those only, unless the reader also holds apmis or auditor (review 111
       L3: a force and a one-day period told one bid's draft, submission and Gateway return to
       the second). */
    if (app_actor_has(c, IOM_ROLE_TOEX_MANAGER) && !app_actor_has(c, IOM_ROLE_APMIS) &&
        !app_actor_has(c, IOM_ROLE_AUDITOR) && !(scope.agency_id && scope.agency_id == c->actor.agency_id)) {
        size_t k = 0;
        for (size_t i = 0; i < in.ntaskings; i++)
            if (tk[i].reached_toex)
                tk[k++] = tk[i];
        in.ntaskings = k;
        keep_events_of(c, tk, k, ev, &in.nevents);
    }
    apmis_due_row *dues;
    dues_from_tors(c->arena, tors, ntors, &dues, &in.ndues);
    in.taskings = tk;
    in.events = ev;
    in.dues = dues;
    in.deliveries = dl;
    in.options = op;
    in.intel = it;
    in.disruptions = dr;
    memset(out, 0, sizeof *out);
    apmis_report_compute(&in, &p, c->arena, &out->r);
    out->region = region ? iom_arena_strdup(c->arena, region) : NULL;
    out->force = force ? iom_arena_strdup(c->arena, force) : NULL;
    out->by_owner = q->by_owner;
    return app_end(c, IOM_OK);
}

/* ---- report rendering ---- */

static json_t *totals_json(const apmis_disruption_totals *t)
{
    json_t *by = json_object();
    for (int i = 0; i < IOM_IMPACT_COUNT; i++)
        json_object_set_new(by, products_impact_name((iom_apmis_impact)i), json_integer(t->by_impact[i]));
    return json_pack("{s:I, s:o, s:I, s:I, s:I}", "count", (json_int_t)t->count, "by_impact", by,
                     "arrests", (json_int_t)t->arrests, "victims_safeguarded",
                     (json_int_t)t->safeguarded, "seized_pence", (json_int_t)t->seized_pence);
}

json_t *json_of_apmis_report(const app_apmis_report_t *ar)
{
    const apmis_report *r = &ar->r;
    char from[16], to[16];
    if (r->period.has_from)
        apmis_day_format(r->period.from_day, from);
    apmis_day_format(r->period.to_day, to);
    json_t *scope = json_pack("{s:o, s:o, s:s, s:o, s:s, s:o}", "region", json_str_or_null(ar->region),
                              "force", json_str_or_null(ar->force), "by",
                              ar->by_owner ? "owner" : "requester", "from",
                              json_str_or_null(r->period.has_from ? from : NULL), "to", to, "end",
                              json_time(r->period.end));
    json_t *by_state = json_object(), *times = json_object();
    for (int s = 0; s < IOM_TS_COUNT; s++) {
        const char *name = lifecycle_state_name((iom_tasking_state)s);
        json_object_set_new(by_state, name, json_integer(r->by_state[s]));
        if (lifecycle_state_ended((iom_tasking_state)s))
            continue;
        const apmis_state_time *t = &r->time[s];
        json_object_set_new(times, name,
                            json_pack("{s:I, s:I, s:I, s:I}", "visits", (json_int_t)t->visits,
                                      "total_seconds", (json_int_t)t->total_seconds,
                                      "median_seconds", (json_int_t)t->median_seconds,
                                      "p90_seconds", (json_int_t)t->p90_seconds));
    }
    json_t *status = json_object(), *strand = json_object();
    for (int i = 0; i < IOM_OPTION_STATUS_COUNT; i++)
        json_object_set_new(status, products_option_status_name((iom_option_status)i),
                            json_integer(r->options.by_status[i]));
    for (int i = 0; i < IOM_STRAND_COUNT; i++)
        json_object_set_new(strand, products_strand_name((iom_strand)i),
                            json_integer(r->options.actioned_by_strand[i]));
    return json_pack(
        "{s:s, s:o, s:{s:I, s:o}, s:o, s:{s:I, s:I, s:I, s:I}, s:{s:I, s:I, s:o, s:o},"
        " s:{s:o, s:o}, s:{s:I, s:I, s:I, s:I}}",
        "marking", iom_marking_name(r->marking), "scope", scope,
        "taskings", "total", (json_int_t)r->taskings, "by_state", by_state,
        "time_in_state", times,
        "products", "due", (json_int_t)r->products.due, "on_time", (json_int_t)r->products.on_time,
        "late", (json_int_t)r->products.late, "not_delivered", (json_int_t)r->products.not_delivered,
        "tactical_options", "recorded", (json_int_t)r->options.recorded, "actioned",
        (json_int_t)r->options.by_status[IOM_OPTION_ACTIONED], "by_status", status,
        "actioned_by_strand", strand,
        "disruptions", "all", totals_json(&r->disruptions_all), "with_toex",
        totals_json(&r->disruptions_toex),
        "intelligence", "items", (json_int_t)r->pnd.items, "recorded_on_pnd",
        (json_int_t)r->pnd.recorded, "not_required", (json_int_t)r->pnd.not_required, "pending",
        (json_int_t)r->pnd.pending);
}

/* A field, quoted (by libcsv) only when it holds a comma, quote, CR or LF (RFC 4180). */
static void csv_field(iom_buf *b, const char *s)
{
    size_t n = strlen(s);
    if (!strpbrk(s, ",\"\r\n")) {
        iom_buf_append(b, s, n);
        return;
    }
    char small[256];
    size_t need = csv_write(small, sizeof small, s, n);
    if (need <= sizeof small) {
        iom_buf_append(b, small, need);
        return;
    }
    char *big = malloc(need);
    csv_write(big, need, s, n);
    iom_buf_append(b, big, need);
    free(big);
}

static void csv_row(iom_buf *b, const char *section, const char *item, const char *measure,
                    const char *value)
{
    csv_field(b, section);
    iom_buf_putc(b, ',');
    csv_field(b, item);
    iom_buf_putc(b, ',');
    csv_field(b, measure);
    iom_buf_putc(b, ',');
    csv_field(b, value);
    iom_buf_puts(b, "\r\n");
}

static void csv_num(iom_buf *b, const char *section, const char *item, const char *measure,
                    int64_t v)
{
    char n[32];
    snprintf(n, sizeof n, "%lld", (long long)v);
    csv_row(b, section, item, measure, n);
}

static void csv_totals(iom_buf *b, const char *which, const apmis_disruption_totals *t)
{
    csv_num(b, "disruptions", which, "count", t->count);
    for (int i = 0; i < IOM_IMPACT_COUNT; i++)
        csv_num(b, "disruptions", which, products_impact_name((iom_apmis_impact)i), t->by_impact[i]);
    csv_num(b, "disruptions", which, "arrests", t->arrests);
    csv_num(b, "disruptions", which, "victims_safeguarded", t->safeguarded);
    csv_num(b, "disruptions", which, "seized_pence", t->seized_pence);
}

char *app_apmis_report_csv(iom_arena *a, const app_apmis_report_t *ar)
{
    const apmis_report *r = &ar->r;
    iom_buf b = IOM_BUF_INIT;
    char from[16] = "", to[16], end[32];
    if (r->period.has_from)
        apmis_day_format(r->period.from_day, from);
    apmis_day_format(r->period.to_day, to);
    json_t *endj = json_time(r->period.end);
    snprintf(end, sizeof end, "%s", json_string_value(endj));
    json_decref(endj);
    iom_buf_puts(&b, "section,item,measure,value\r\n");
    csv_row(&b, "report", "", "marking", iom_marking_name(r->marking));
    csv_row(&b, "scope", "", "region", ar->region ? ar->region : "");
    csv_row(&b, "scope", "", "force", ar->force ? ar->force : "");
    csv_row(&b, "scope", "", "by", ar->by_owner ? "owner" : "requester");
    csv_row(&b, "scope", "", "from", from);
    csv_row(&b, "scope", "", "to", to);
    csv_row(&b, "scope", "", "end", end);
    csv_num(&b, "taskings", "", "total", r->taskings);
    for (int s = 0; s < IOM_TS_COUNT; s++)
        csv_num(&b, "taskings", lifecycle_state_name((iom_tasking_state)s), "count", r->by_state[s]);
    for (int s = 0; s < IOM_TS_COUNT; s++) {
        if (lifecycle_state_ended((iom_tasking_state)s))
            continue;
        const char *name = lifecycle_state_name((iom_tasking_state)s);
        csv_num(&b, "time_in_state", name, "visits", r->time[s].visits);
        csv_num(&b, "time_in_state", name, "total_seconds", r->time[s].total_seconds);
        csv_num(&b, "time_in_state", name, "median_seconds", r->time[s].median_seconds);
        csv_num(&b, "time_in_state", name, "p90_seconds", r->time[s].p90_seconds);
    }
    csv_num(&b, "products", "", "due", r->products.due);
    csv_num(&b, "products", "", "on_time", r->products.on_time);
    csv_num(&b, "products", "", "late", r->products.late);
    csv_num(&b, "products", "", "not_delivered", r->products.not_delivered);
    csv_num(&b, "tactical_options", "", "recorded", r->options.recorded);
    csv_num(&b, "tactical_options", "", "actioned", r->options.by_status[IOM_OPTION_ACTIONED]);
    for (int i = 0; i < IOM_OPTION_STATUS_COUNT; i++)
        csv_num(&b, "tactical_options", products_option_status_name((iom_option_status)i), "count",
                r->options.by_status[i]);
    for (int i = 0; i < IOM_STRAND_COUNT; i++)
        csv_num(&b, "tactical_options", products_strand_name((iom_strand)i), "actioned",
                r->options.actioned_by_strand[i]);
    csv_totals(&b, "all", &r->disruptions_all);
    csv_totals(&b, "with_toex", &r->disruptions_toex);
    csv_num(&b, "intelligence", "", "items", r->pnd.items);
    csv_num(&b, "intelligence", "", "recorded_on_pnd", r->pnd.recorded);
    csv_num(&b, "intelligence", "", "not_required", r->pnd.not_required);
    csv_num(&b, "intelligence", "", "pending", r->pnd.pending);
    char *out = iom_arena_strdup(a, iom_buf_cstr(&b));
    iom_buf_free(&b);
    return out;
}
