/* Use-cases of the work on a tasking (app/work.h): shared helpers, JSON, the work log and
   tactical options. Intelligence is in intel.c, products in product.c. */
#include "app/work.h"

#include "app/settings.h"
#include "domain/mopi.h"
#include "util/timefmt.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

#include "app/audit.h"
#include "app/json.h"
#include "app/readlog.h"
#include "app/tasking.h"
#include "util/text.h"

#define WS(c) ((c)->store->ops->work)

/* ---- helpers ------------------------------------------------------------------------- */

static void format_date(char out[11], int y, int m, int d)
{
    unsigned uy = (unsigned)y % 10000u, um = (unsigned)m % 100u, ud = (unsigned)d % 100u;
    out[0] = (char)('0' + uy / 1000);
    out[1] = (char)('0' + uy / 100 % 10);
    out[2] = (char)('0' + uy / 10 % 10);
    out[3] = (char)('0' + uy % 10);
    out[4] = '-';
    out[5] = (char)('0' + um / 10);
    out[6] = (char)('0' + um % 10);
    out[7] = '-';
    out[8] = (char)('0' + ud / 10);
    out[9] = (char)('0' + ud % 10);
    out[10] = '\0';
}

/* The calendar day of an instant in the UK (Europe/London), where the people who enter and
   read these dates are: under BST the UTC day ends an hour earlier (review 88 L2: at 00:30 BST
   a review "next" of the UK's today was taken as after today, and items' review dates fell a
   day early). */
static void uk_ymd(int64_t now, int *y, int *m, int *d)
{
    char uk[32];
    iom_time_uk(now, uk);
    *y = (uk[0] - '0') * 1000 + (uk[1] - '0') * 100 + (uk[2] - '0') * 10 + (uk[3] - '0');
    *m = (uk[5] - '0') * 10 + (uk[6] - '0');
    *d = (uk[8] - '0') * 10 + (uk[9] - '0');
}

void work_today(int64_t now, char out[11])
{
    int y, m, d;
    uk_ymd(now, &y, &m, &d);
    format_date(out, y, m, d);
}

void work_review_date(int64_t now, int years, char out[11])
{
    int y, m, d;
    uk_ymd(now, &y, &m, &d);
    y += years;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m == 2 && d == 29 && !leap)
        d = 28;
    format_date(out, y, m, d);
}

iom_err work_not_future(iom_ctx *c, const char *field, const char *date)
{
    /* the day in the UK, where the officer entering it is: under BST the UTC day ends an hour
       earlier, and today's date entered after midnight was refused (review 81 L10) */
    char uk[32];
    iom_time_uk(app_now(c), uk);
    uk[10] = '\0';
    if (date && strcmp(date, uk) > 0)
        return iom_fail(&c->err, IOM_EINVAL, "%s: %s is in the future (today is %s in the UK)", field, date,
                        uk);
    return IOM_OK;
}

/* Whether user `name` (the tasking's SIO or SIA; NULL or unknown: no) is cleared below m, above
   OFFICIAL; *u the user when found. Store errors as returned. */
static iom_err cleared_below(iom_ctx *c, const char *name, iom_marking m, iom_user_t *u, bool *below)
{
    *below = false;
    if (!name || !*name || m <= IOM_MARKING_OFFICIAL)
        return IOM_OK;
    iom_error e = {0};
    iom_err err = c->store->ops->user_get(c->store, name, c->arena, u, &e);
    if (err == IOM_ENOTFOUND)
        return IOM_OK;
    if (err)
        return iom_fail(&c->err, err, "%s", e.msg);
    *below = !iom_clearance_allows(u->clearance, m);
    return IOM_OK;
}

iom_err work_marking(iom_ctx *c, const char *field, const char *given, const iom_tasking_t *t,
                     iom_marking *out)
{
    iom_marking tasking = t->marking, m = tasking;
    if (given) {
        iom_err err = iom_marking_parse(given, &m, &c->err);
        if (err)
            return err;
        if (m < tasking)
            return iom_fail(&c->err, IOM_EINVAL,
                            "%s: %s is below the tasking's marking %s; a record is never marked "
                            "below its tasking",
                            field, iom_marking_name(m), iom_marking_name(tasking));
    }
    if (!iom_clearance_allows(c->actor.clearance, m))
        return iom_fail(&c->err, IOM_EFORBIDDEN, "%s: user '%s' is not cleared for %s", field,
                        c->actor.name, iom_marking_name(m));
    /* the SIO who holds the risk reads what the tasking holds: an SIO cleared below it is
       refused when named (threat update), and so is a record above them (review 92 M1: an SIO
       cleared for OFFICIAL agreed, signed and closed a tasking on OFFICIAL-SENSITIVE material
       they could not see); and so does its SIA, who agrees the terms, delivers the products and
       signs the reassessment (review 94 M1: an SIA cleared for OFFICIAL completed and signed a
       tasking holding OFFICIAL-SENSITIVE items, and no one on the TOEX side saw its
       deconfliction alerts) */
    iom_user_t u;
    bool below;
    iom_err err = cleared_below(c, t->threat_sio, m, &u, &below);
    if (!err && below)
        return iom_fail(&c->err, IOM_EINVAL,
                        "%s: %s is above the clearance of the SIO '%s' who holds the risk of %s "
                        "(%s), who agrees the terms and signs the reassessment that rest on what "
                        "%s holds: mark it %s, or the threat's SPOC names an SIO cleared for %s first",
                        field, iom_marking_name(m), u.name, t->threat_ref ? t->threat_ref : "the threat",
                        iom_marking_name(u.clearance), t->ref, iom_marking_name(u.clearance),
                        iom_marking_name(m));
    if (!err && !(err = cleared_below(c, t->sia, m, &u, &below)) && below)
        return iom_fail(&c->err, IOM_EINVAL,
                        "%s: %s is above the clearance of the SIA '%s' of %s (%s), who delivers its "
                        "products and signs the reassessment that rest on what it holds: mark it %s, "
                        "or a toex_manager reallocates it to an SIA cleared for %s first",
                        field, iom_marking_name(m), u.name, t->ref, iom_marking_name(u.clearance),
                        iom_marking_name(u.clearance), iom_marking_name(m));
    if (err)
        return err;
    *out = m;
    return IOM_OK;
}

char *work_json_text(iom_ctx *c, json_t *j)
{
    char *s = json_text(c->arena, j);
    json_decref(j);
    return s;
}

/* A read entry's after_json, {"read": what, "justification", "purpose"}, in the arena (*out);
   consumes what. Errors as work_log_read's purpose check. */
static iom_err read_json(iom_ctx *c, json_t *what, const char *justification, const char *relation,
                         const char **out)
{
    const char *purpose = app_read_purpose(c, relation);
    iom_err err = purpose ? app_purpose_check(purpose, &c->err)
                          : iom_fail(&c->err, IOM_EFORBIDDEN, "read: no purpose and no relation");
    if (err) {
        json_decref(what);
        return err;
    }
    json_t *j = json_pack("{s:o, s:o, s:s}", "read", what, "justification",
                          json_str_or_null(justification), "purpose", purpose);
    *out = work_json_text(c, j);
    return IOM_OK;
}

iom_err work_log_read(iom_ctx *c, const char *action, const char *object_ref, json_t *what,
                      const char *justification, const char *relation)
{
    const char *text;
    iom_err err = read_json(c, what, justification, relation, &text);
    return err ? err : app_read_log(c, action, object_ref, text);
}

iom_err work_log_tasking_part(iom_ctx *c, const char *tasking_ref, const struct access_decision *access,
                              json_t *what)
{
    const char *relation = access_read_purpose(access);
    if (!app_read_purpose(c, relation) || (json_is_array(what) && json_array_size(what) == 0)) {
        json_decref(what);
        return IOM_OK; /* no content was read, or none was shown */
    }
    return work_log_read(c, "tasking.read", tasking_ref, what, NULL, relation);
}



/* [{"ref"}] of n items of `size` bytes whose reference (char *) is at `ref_at` */
static json_t *read_refs(const void *items, size_t n, size_t size, size_t ref_at)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        const char *ref = *(char *const *)((const char *)items + i * size + ref_at);
        json_array_append_new(a, json_pack("{s:s}", "ref", ref));
    }
    return a;
}

iom_err work_enter(iom_ctx *c, const char *what, const char *item_ref, const char *tasking_ref,
                   iom_tasking_action action, int64_t if_version, app_tasking_scope *sc)
{
    iom_err err = app_tasking_enter(c, tasking_ref, action, if_version, sc);
    if (err && err != IOM_ENOTFOUND && item_ref && tasking_ref && strcmp(item_ref, tasking_ref) != 0) {
        /* refused on a tasking the actor sees only the outcome of (an apmis recorder): the item
           is one they cannot read, so it is not found, and its refusal must not name its
           tasking (a product's, an item's, an option's) */
        iom_access_part part = action == IOM_TA_RECORD_PRODUCT || action == IOM_TA_RECORD_OPTION
                                   ? IOM_PART_PRODUCTS
                               : action == IOM_TA_RECORD_INTEL ? IOM_PART_INTELLIGENCE
                                                               : IOM_PART_TASKING;
        iom_error why = c->err;
        app_tasking_scope seen;
        if (app_tasking_read(c, tasking_ref, part, &seen) != IOM_OK)
            err = IOM_ENOTFOUND;
        else
            c->err = why;
    }
    if (err == IOM_ENOTFOUND)
        return iom_fail(&c->err, IOM_ENOTFOUND, "%s: '%s' not found", what, item_ref);
    return err;
}

iom_err work_read(iom_ctx *c, const char *what, const char *item_ref, const char *tasking_ref,
                  iom_access_part part, iom_marking marking, app_tasking_scope *sc)
{
    iom_err err = app_tasking_read(c, tasking_ref, part, sc);
    /* a read of the tasking's own content keeps tasking_load's words ("tasking: 'REF' not
       found", or why an outcome reader does not read it); an item read by its own reference
       names only the item */
    if (err == IOM_ENOTFOUND && strcmp(what, "tasking") == 0 && item_ref && tasking_ref &&
        strcmp(item_ref, tasking_ref) == 0)
        return err;
    if (!err && !iom_clearance_allows(c->actor.clearance, marking))
        err = IOM_ENOTFOUND;
    if (err == IOM_ENOTFOUND)
        return iom_fail(&c->err, IOM_ENOTFOUND, "%s: '%s' not found", what, item_ref);
    return err;
}

iom_err work_review_scope(iom_ctx *c, const char *what, const char *ref, const char *tasking_ref,
                          iom_marking marking, app_tasking_scope *sc)
{
    iom_err err = work_read(c, what, ref, tasking_ref, IOM_PART_INTELLIGENCE, marking, sc);
    if (err == IOM_ENOTFOUND && iom_clearance_allows(c->actor.clearance, marking)) {
        iom_error saved = c->err;
        /* a reviewer who does not read intelligence (a toex_manager) reviews by the outcome;
           anyone else who cannot read the item is answered as if it did not exist */
        if (app_tasking_read(c, tasking_ref, IOM_PART_OUTCOME, sc) == IOM_OK &&
            mopi_may_review(c->actor.roles, access_lifecycle_relations(&sc->actor, &sc->at)))
            return IOM_OK;
        c->err = saved;
    }
    return err;
}

iom_err work_review_facts(iom_ctx *c, const app_tasking_scope *sc, const app_intel_review_input *in,
                          char today[11], char latest[11], mopi_facts *f)
{
    int64_t now = app_now(c);
    work_today(now, today);
    iom_err err = app_settings_review_date(c, now, latest);
    bool reason = false;
    for (const char *p = in->reason; p && *p && !reason; p++)
        reason = *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r';
    *f = (mopi_facts){.roles = c->actor.roles,
                      .rels = access_lifecycle_relations(&sc->actor, &sc->at),
                      .tasking_ended = lifecycle_state_ended(sc->t.state),
                      .reason_given = reason,
                      .next_date = in->next && *in->next ? in->next : NULL,
                      .today = today,
                      .latest_next = latest};
    return err;
}

/* ---- JSON ---------------------------------------------------------------------------- */

json_t *json_of_grade(const iom_grade *g)
{
    char s[2] = {g->source, 0}, a[2] = {g->assessment, 0}, h[2] = {g->handling, 0};
    char display[GRADE_DISPLAY_MAX];
    grade_format(g, display);
    return json_pack("{s:s, s:s, s:s, s:o, s:s}", "source", s, "assessment", a, "handling", h,
                     "conditions", json_str_or_null(g->handling == 'C' ? g->conditions : NULL),
                     "display", display);
}

json_t *json_of_contribution(const iom_contribution_t *k)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:i, s:f, s:s, s:o}", "ref", k->ref, "tasking",
                     k->tasking_ref ? k->tasking_ref : "", "user", k->user ? k->user : "", "date",
                     k->work_date, "minutes", k->minutes, "hours", k->minutes / 60.0, "text",
                     k->text, "created_at", json_time(k->created_at));
}

json_t *json_of_intel(const iom_intel_t *it)
{
    json_t *pnd = json_pack("{s:s, s:o, s:o, s:o}", "status", grade_pnd_name(it->pnd), "ref",
                            json_str_or_null(it->pnd_ref), "date", json_str_or_null(it->pnd_date),
                            "reason", json_str_or_null(it->pnd_reason));
    json_t *j = json_pack("{s:s, s:I, s:b, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:s, s:o, s:o, s:o}",
                     "ref", it->ref, "version", (json_int_t)it->version, "current", it->is_current,
                     "tasking", it->tasking_ref ? it->tasking_ref : "", "marking",
                     iom_marking_name(it->marking), "text", json_str_or_null(it->text), "source",
                     json_str_or_null(it->source),
                     "grade", json_of_grade(&it->grade), "legacy_grade",
                     json_str_or_null(it->legacy_grade), "pnd", pnd, "review_date",
                     it->review_date, "correction_reason", json_str_or_null(it->correction_reason),
                     "created_by", json_str_or_null(it->creator), "created_at",
                     json_time(it->created_at));
    json_object_set_new(j, "grade_map_version", it->grade_map_version > 0
                                                    ? json_integer(it->grade_map_version)
                                                    : json_null());
    json_object_set_new(j, "owner", json_str_or_null(it->owner));
    json_object_set_new(j, "disposed", json_boolean(it->disposed_at != 0));
    json_object_set_new(j, "disposed_at", it->disposed_at ? json_time(it->disposed_at) : json_null());
    if (it->may_pnd)
        json_object_set_new(j, "may_set_pnd", json_boolean(it->may_pnd == 2));
    return j;
}

json_t *json_of_intel_review(const iom_intel_review_t *r)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "id", (json_int_t)r->id, "item",
                     r->ref, "decision", r->dispose ? "dispose" : "retain", "reason", r->reason,
                     "due_date", r->due_date, "next_date", json_str_or_null(r->next_date), "by",
                     json_str_or_null(r->user), "at", json_time(r->at));
}

json_t *json_of_option(const iom_option_t *o)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:o, s:o, s:o, s:s}", "ref", o->ref,
                     "tasking", o->tasking_ref ? o->tasking_ref : "", "strand",
                     products_strand_name(o->strand), "text", o->text, "agency",
                     o->agency ? o->agency : "", "status", products_option_status_name(o->status),
                     "version", (json_int_t)o->version, "created_by", json_str_or_null(o->creator),
                     "created_at", json_time(o->created_at), "updated_at", json_time(o->updated_at),
                     "marking", iom_marking_name(o->marking));
}

json_t *json_of_option_listed(const iom_option_t *o)
{
    json_t *j = json_of_option(o);
    json_object_set_new(j, "may_set", json_boolean(o->may_set));
    return j;
}

json_t *json_of_product(const iom_product_t *p)
{
    return json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:o, s:o, s:b, s:o, s:o}", "ref",
                     p->ref, "version", (json_int_t)p->version, "tasking",
                     p->tasking_ref ? p->tasking_ref : "", "type", products_type_name(p->type),
                     "marking", iom_marking_name(p->marking), "filename", p->filename, "size",
                     (json_int_t)p->size, "sha256", p->sha256, "created_by",
                     json_str_or_null(p->creator), "created_at", json_time(p->created_at),
                     "delivered", p->delivered_at != 0, "delivered_at",
                     p->delivered_at ? json_time(p->delivered_at) : json_null(), "delivered_by",
                     json_str_or_null(p->deliverer));
}

/* ---- contributions ------------------------------------------------------------------- */

/* Decimal hours ("1.5", "0.25", "8") to the nearest whole minute, 1 minute <= hours <= 24: less
   than a minute is refused, not rounded up to one (review 97 L4). Up to 40 characters: a
   client's double printed in full ("1.0000000000000002") is rounded as any other (review 133:
   over 12 it was refused as "not a number of hours"). */
static iom_err parse_hours(iom_ctx *c, const char *s, int *minutes)
{
    bool ok = s && *s && strlen(s) <= 40;
    int dots = 0;
    for (const char *p = s; ok && *p; p++) {
        if (*p == '.')
            dots++;
        else if (!isdigit((unsigned char)*p))
            ok = false;
    }
    double h = ok && dots <= 1 && strcmp(s, ".") != 0 ? strtod(s, NULL) : -1;
    long m = h > 0 ? lround(h * 60.0) : 0;
    if (!ok || dots > 1 || h <= 0 || h > 24 || h * 60.0 < 1.0 - 1e-9 || m < 1)
        return iom_fail(&c->err, IOM_EINVAL,
                        "hours: '%s' is not a number of hours from one minute (0.0167) to 24 "
                        "(decimal, e.g. 1.5; kept to the nearest minute)",
                        s ? s : "");
    *minutes = (int)m;
    return IOM_OK;
}

iom_err app_contribution_add(iom_ctx *c, const char *tasking_ref, const app_contribution_input *in,
                             int64_t if_version, iom_contribution_t *out)
{
    int minutes = 0;
    iom_err err;
    c->nproblems = 0; /* every field checked, all problems told at once (iom_ctx problems) */
    if (!in->date || !*in->date)
        app_problem(c, "date", "date: required (--date YYYY-MM-DD)");
    else if ((err = iom_date_check("date", in->date, &c->err)) ||
             (err = work_not_future(c, "date", in->date))) {
        if ((err = app_problem_noted(c, "date", err)))
            return err;
    }
    if (!in->hours || !*in->hours)
        app_problem(c, "hours", "hours: required (--hours H)");
    else if ((err = app_problem_noted(c, "hours", parse_hours(c, in->hours, &minutes))))
        return err;
    if ((err = app_problem_noted(c, "text", iom_text_check("text", in->text, APP_WORK_TEXT_MAX,
                                                           IOM_TEXT_REQUIRED | IOM_TEXT_MULTI_LINE,
                                                           &c->err))) ||
        (err = app_problems_end(c)))
        return err;
    if ((err = app_begin(c, true)))
        return err;
    app_tasking_scope sc;
    if ((err = app_tasking_enter(c, tasking_ref, IOM_TA_CONTRIBUTE, if_version, &sc)))
        return app_end(c, err);
    /* Work on a tasking is done after its bid was drafted: a date before that (1900-01-01,
       a year typed wrong) would count hours in a period the tasking did not exist in. */
    char drafted[11];
    work_today(sc.t.created_at, drafted);
    if (strcmp(in->date, drafted) < 0)
        return app_end(c, iom_fail(&c->err, IOM_EINVAL,
                                   "date: %s is before the tasking's bid was drafted (%s); work "
                                   "on a tasking is dated from then",
                                   in->date, drafted));
    /* a day holds 24 hours of one person's work, on all taskings together */
    int64_t done = 0;
    if ((err = WS(c)->contribution_minutes(c->store, c->actor.id, in->date, &done, &c->err)))
        return app_end(c, err);
    if (done + minutes > 24 * 60)
        return app_end(c, iom_fail(&c->err, IOM_EINVAL,
                                   "hours: %s would make %.2f hours of work by '%s' on %s (%.2f "
                                   "recorded already, on every tasking); a day holds at most 24",
                                   in->hours, (double)(done + minutes) / 60.0, c->actor.name,
                                   in->date, (double)done / 60.0));
    iom_contribution_t k = {.tasking_id = sc.t.id, .user_id = c->actor.id,
                            .work_date = (char *)in->date, .minutes = minutes,
                            .text = (char *)in->text, .created_at = app_now(c),
                            .tasking_ref = sc.t.ref, .user = c->actor.name};
    if ((err = WS(c)->contribution_insert(c->store, &k, c->arena, &c->err)) ||
        (err = app_tasking_touch(c, &sc.t)))
        return app_end(c, err);
    *out = k;
    err = audit_record(c, "contribution.add", k.ref, NULL, work_json_text(c, json_of_contribution(&k)));
    return app_end(c, err);
}

iom_err work_page(iom_ctx *c, const app_work_query *q, void *v, size_t size, const char **keys,
                  size_t *n, const char **next)
{
    size_t from, count;
    iom_err err = app_page_ordered(c, q ? &q->page : NULL, keys, *n, &from, &count, next);
    if (err)
        return err;
    if (from && count)
        memmove(v, (char *)v + from * size, count * size);
    *n = count;
    return IOM_OK;
}

/* work_page over a filtered list: all[0..nall) the keys before the filter (app_page_ordered_within). */
static iom_err work_page_within(iom_ctx *c, const app_work_query *q, void *v, size_t size,
                                const char **keys, size_t *n, const char **all, size_t nall,
                                const char **next)
{
    size_t from, count;
    iom_err err = app_page_ordered_within(c, q ? &q->page : NULL, keys, *n, all, nall, &from, &count, next);
    if (err)
        return err;
    if (from && count)
        memmove(v, (char *)v + from * size, count * size);
    *n = count;
    return IOM_OK;
}

iom_err app_contribution_list(iom_ctx *c, const char *tasking_ref, const app_work_query *q,
                              iom_contribution_t **out, size_t *n, const char **next,
                              int64_t *tasking_version)
{
    *n = 0;
    *next = NULL;
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    app_tasking_scope sc;
    if (!(err = app_tasking_read(c, tasking_ref, IOM_PART_TASKING, &sc)))
        err = WS(c)->contribution_list(c->store, sc.t.id, c->arena, out, n, &c->err);
    if (!err) {
        *tasking_version = sc.t.version;
        const char **keys = iom_arena_new(c->arena, const char *, *n ? *n : 1);
        for (size_t i = 0; i < *n; i++)
            keys[i] = (*out)[i].ref;
        err = work_page(c, q, *out, sizeof **out, keys, n, next);
    }
    if ((err = app_end(c, err)))
        return err;
    /* the contributions' text is content: the page shown is logged */
    return work_log_tasking_part(c, sc.t.ref, &sc.access,
                                 read_refs(*out, *n, sizeof **out, offsetof(iom_contribution_t, ref)));
}

/* ---- tactical options ------------------------------------------------------------------ */

iom_err app_option_add(iom_ctx *c, const char *tasking_ref, const app_option_input *in,
                       int64_t if_version, iom_option_t *out)
{
    iom_strand strand = IOM_STRAND_PURSUE;
    iom_err err;
    c->nproblems = 0; /* every field checked, all problems told at once (iom_ctx problems) */
    if (!in->strand || !*in->strand)
        app_problem(c, "strand", "strand: required (--strand pursue|prevent|protect|prepare)");
    else if ((err = app_problem_noted(c, "strand", products_strand_parse(in->strand, &strand, &c->err))))
        return err;
    if (!in->agency || !*in->agency)
        app_problem(c, "agency", "agency: required (--agency CODE of the agency that would act)");
    if ((err = app_problem_noted(c, "text", iom_text_check("text", in->text, APP_WORK_TEXT_MAX,
                                                           IOM_TEXT_REQUIRED | IOM_TEXT_MULTI_LINE, &c->err))) ||
        (err = app_problems_end(c)) || (err = app_begin(c, true)))
        return err;
    app_tasking_scope sc;
    if ((err = app_tasking_enter(c, tasking_ref, IOM_TA_RECORD_OPTION, if_version, &sc)))
        return app_end(c, err);
    iom_agency_t ag;
    err = c->store->ops->agency_get(c->store, in->agency, c->arena, &ag, &c->err);
    if (err == IOM_ENOTFOUND)
        err = iom_fail(&c->err, IOM_EINVAL, "agency: '%s' is not a known agency code", in->agency);
    else if (!err && (ag.disabled || ag.merged_into))
        err = iom_fail(&c->err, IOM_EINVAL, "agency: '%s' is disabled%s%s; name an active agency",
                       in->agency, ag.merged_into ? " (merged into " : "",
                       ag.merged_into ? ag.merged_into : "");
    else if (!err && ag.kind == IOM_AGENCY_CAPABILITY) /* review 81 L5 */
        err = iom_fail(&c->err, IOM_EINVAL, "agency: '%s' is a capability: it develops intelligence and "
                       "carries out no 4P option; name the force, ROCU or national agency that would act",
                       in->agency);
    if (err)
        return app_end(c, err);
    iom_marking marking;
    if ((err = work_marking(c, "marking", in->marking, &sc.t, &marking)))
        return app_end(c, err);
    int64_t now = app_now(c);
    iom_option_t o = {.tasking_id = sc.t.id, .strand = strand, .text = (char *)in->text,
                      .agency_id = ag.id, .status = IOM_OPTION_PROPOSED, .created_by = c->actor.id,
                      .created_at = now, .tasking_ref = sc.t.ref, .agency = ag.code,
                      .creator = c->actor.name, .marking = marking,
                      .tasking_state = sc.t.state, .tasking_marking = sc.t.marking};
    if ((err = WS(c)->option_insert(c->store, &o, c->arena, &c->err)) ||
        (err = app_tasking_touch(c, &sc.t)))
        return app_end(c, err);
    *out = o;
    err = audit_record(c, "option.add", o.ref, NULL, work_json_text(c, json_of_option(&o)));
    return app_end(c, err);
}

iom_err app_option_set(iom_ctx *c, const char *option_ref, const char *status, int64_t if_version,
                       int64_t option_version, iom_option_t *out)
{
    iom_option_status to;
    iom_err err;
    if (!status || !*status)
        return iom_fail(&c->err, IOM_EINVAL, "status: required (--status accepted|declined|actioned)");
    if ((err = products_option_status_parse(status, &to, &c->err)) || (err = app_begin(c, true)))
        return err;
    iom_option_t o;
    if ((err = app_actor(c)))
        return app_end(c, err);
    err = WS(c)->option_get(c->store, option_ref ? option_ref : "", c->arena, &o, &c->err);
    app_tasking_scope sc;
    /* the team and the SIA while the work is open; the option's agency (spoc, sio) and the
       threat's SIO at any time, after the tasking has ended too (review 84 M6) */
    /* an option marked above the actor's clearance is one they cannot read: not found */
    if (!err && !iom_clearance_allows(c->actor.clearance, o.marking))
        err = iom_fail(&c->err, IOM_ENOTFOUND, "tactical option: '%s' not found", option_ref);
    if (!err && (err = app_tasking_enter_option(c, o.tasking_ref, o.agency_id,
                                                if_version, &sc)) == IOM_ENOTFOUND)
        err = iom_fail(&c->err, IOM_ENOTFOUND, "tactical option: '%s' not found", option_ref);
    if (err)
        return app_end(c, err);
    if (sc.narrow && option_version <= 0)
        return app_end(c, iom_fail(&c->err, IOM_EINVAL,
                                   "version: required from the option's agency: the option's "
                                   "version as you read it (the options naming your agency: "
                                   "GET /api/v1/options, `iom option agency`), so that two "
                                   "decisions do not overwrite each other (%s is at version %lld)",
                                   o.ref, (long long)o.version));
    /* the option's own version: once the tasking has ended its version stays, so only this
       tells a decision made on a stale read (review 88 M2: the SIO declined an option the
       option's agency had just accepted, both with the same ETag) */
    if (option_version > 0 && option_version != o.version)
        return app_end(c, iom_fail(&c->err, IOM_ECONFLICT,
                                   "tactical option %s: version %lld was read; it is at version %lld "
                                   "now (status %s): read it again",
                                   o.ref, (long long)option_version, (long long)o.version,
                                   products_option_status_name(o.status)));
    if (option_version <= 0 && lifecycle_state_ended(sc.t.state))
        return app_end(c, iom_fail(&c->err, IOM_EINVAL,
                                   "version: required once the tasking has ended: the option's "
                                   "version as you read it (option list), so that two decisions "
                                   "do not overwrite each other (%s is at version %lld)",
                                   o.ref, (long long)o.version));
    char *before = work_json_text(c, json_of_option(&o));
    iom_error why = {0};
    if ((err = products_option_status_check(o.status, to, &why)))
        return app_end(c, iom_fail(&c->err, err, "tactical option %s: %s", o.ref, why.msg));
    o.status = to;
    o.updated_at = app_now(c);
    /* an ended tasking accepts no change (its version stays; the option's own moves on) */
    if ((err = WS(c)->option_update(c->store, &o, o.version, &c->err)) ||
        (!lifecycle_state_ended(sc.t.state) && (err = app_tasking_touch(c, &sc.t))))
        return app_end(c, err);
    *out = o;
    if (sc.narrow) /* who proposed it is the tasking's, not shown to its narrow view */
        out->creator = NULL;
    err = audit_record(c, "option.set", o.ref, before, work_json_text(c, json_of_option(&o)));
    return app_end(c, err);
}

/* The option lists' filters: a status and a strand (IOM_OPTION_STATUS_COUNT and
   IOM_STRAND_COUNT when not given); IOM_EINVAL naming a value that is none. */
static iom_err option_filters(iom_ctx *c, const app_work_query *q, iom_option_status *ws,
                              iom_strand *wt)
{
    *ws = IOM_OPTION_STATUS_COUNT;
    *wt = IOM_STRAND_COUNT;
    if ((q && q->status && products_option_status_parse(q->status, ws, &c->err)) ||
        (q && q->strand && products_strand_parse(q->strand, wt, &c->err)))
        return IOM_EINVAL;
    return IOM_OK;
}

iom_err app_option_list(iom_ctx *c, const char *tasking_ref, const app_work_query *q,
                        iom_option_t **out, size_t *n, const char **next, int64_t *tasking_version)
{
    *n = 0;
    *next = NULL;
    iom_option_status ws;
    iom_strand wt;
    iom_err err = option_filters(c, q, &ws, &wt);
    if (err || (err = app_begin(c, false)))
        return err;
    app_tasking_scope sc;
    if (!(err = app_tasking_read(c, tasking_ref, IOM_PART_PRODUCTS, &sc)))
        err = WS(c)->option_list(c->store, sc.t.id, c->arena, out, n, &c->err);
    if (!err) {
        *tasking_version = sc.t.version;
        /* the list the reader may see before its filters (a cursor of it pages on) */
        size_t k = 0, nall = 0;
        const char **keys = iom_arena_new(c->arena, const char *, *n ? *n : 1);
        const char **all = iom_arena_new(c->arena, const char *, *n ? *n : 1);
        for (size_t i = 0; i < *n; i++)
            if (iom_clearance_allows(c->actor.clearance, (*out)[i].marking))
                all[nall++] = (*out)[i].ref;
        lifecycle_actor who = {c->actor.roles, access_lifecycle_relations(&sc.actor, &sc.at)};
        for (size_t i = 0; i < *n; i++)
            if ((!q || !q->status || (*out)[i].status == ws) && (!q || !q->strand || (*out)[i].strand == wt) &&
                iom_clearance_allows(c->actor.clearance, (*out)[i].marking)) {
                /* whether this reader may set its status now: the rule of app_option_set, and a
                   status that can still move (the web's buttons follow it) */
                iom_option_t *o = &(*out)[i];
                iom_role role;
                iom_error ignore = {0};
                o->may_set = !sc.access.read_only && o->status != IOM_OPTION_ACTIONED &&
                             o->status != IOM_OPTION_DECLINED &&
                             lifecycle_option_status_may(sc.t.state, &who, o->agency_id == c->actor.agency_id,
                                                         &role, &ignore) == IOM_OK;
                (*out)[k] = (*out)[i];
                keys[k] = (*out)[k].ref;
                k++;
            }
        *n = k;
        err = work_page_within(c, q, *out, sizeof **out, keys, n, all, nall, next);
    }
    if ((err = app_end(c, err)))
        return err;
    /* the options' text is content: the page shown is logged */
    return work_log_tasking_part(c, sc.t.ref, &sc.access,
                                 read_refs(*out, *n, sizeof **out, offsetof(iom_option_t, ref)));
}

iom_err app_option_list_agency(iom_ctx *c, const app_work_query *q, iom_option_t **out, size_t *n,
                               const char **next)
{
    *n = 0;
    *next = NULL;
    iom_option_status ws;
    iom_strand wt;
    iom_err err = option_filters(c, q, &ws, &wt);
    if (err || (err = app_begin(c, false)))
        return err;
    if ((err = app_actor(c)) ||
        (err = app_require_role(c, IOM_ROLE_BIT(IOM_ROLE_SPOC) | IOM_ROLE_BIT(IOM_ROLE_SIO),
                                "option agency (the options naming your agency)")))
        return app_end(c, err);
    access_actor me = app_access_actor(c);
    if (!(err = WS(c)->option_list_agency(c->store, c->actor.agency_id, c->arena, out, n, &c->err))) {
        /* the list the reader may see before its filters (a cursor of it pages on) */
        size_t k = 0, nall = 0;
        const char **keys = iom_arena_new(c->arena, const char *, *n ? *n : 1);
        const char **all = iom_arena_new(c->arena, const char *, *n ? *n : 1);
        for (size_t i = 0; i < *n; i++)
            if (access_option_agency(&me, (*out)[i].agency_id, (*out)[i].marking))
                all[nall++] = (*out)[i].ref;
        lifecycle_actor who = {c->actor.roles, 0};
        for (size_t i = 0; i < *n; i++) {
            iom_option_t *o = &(*out)[i];
            if ((q && q->status && o->status != ws) || (q && q->strand && o->strand != wt) ||
                !access_option_agency(&me, o->agency_id, o->marking))
                continue;
            iom_role role;
            iom_error ignore = {0};
            o->may_set = o->status != IOM_OPTION_ACTIONED && o->status != IOM_OPTION_DECLINED &&
                         lifecycle_option_status_may(o->tasking_state, &who, true, &role, &ignore) == IOM_OK;
            o->creator = NULL; /* who proposed it belongs to the tasking (review 102) */
            (*out)[k] = *o;
            keys[k] = (*out)[k].ref;
            k++;
        }
        *n = k;
        err = work_page_within(c, q, *out, sizeof **out, keys, n, all, nall, next);
    }
    if ((err = app_end(c, err)))
        return err;
    /* the options' text is content: the page shown is logged, all of it or none, under each
       option (`option.read`, so that `audit reads --object OPT-…` finds who read it: review 102
       L4) and under each option's tasking (`tasking.read` naming its options shown: the
       tasking's content was seen, though its reader has no sight of the tasking) */
    app_read_entry *v = iom_arena_new(c->arena, app_read_entry, 2 * *n + 1);
    size_t nv = 0;
    for (size_t i = 0; i < *n && !err; i++) {
        const iom_option_t *o = &(*out)[i];
        v[nv] = (app_read_entry){"option.read", o->ref, NULL};
        err = read_json(c, json_pack("{s:s, s:I, s:s}", "ref", o->ref, "version", (json_int_t)o->version,
                                     "tasking", o->tasking_ref),
                        NULL, "option_agency", &v[nv].after_json);
        nv++;
    }
    for (size_t i = 0; i < *n && !err; i++) {
        const char *t = (*out)[i].tasking_ref;
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = !strcmp((*out)[j].tasking_ref, t);
        if (seen)
            continue;
        json_t *refs = json_array();
        for (size_t j = i; j < *n; j++)
            if (!strcmp((*out)[j].tasking_ref, t))
                json_array_append_new(refs, json_pack("{s:s}", "ref", (*out)[j].ref));
        v[nv] = (app_read_entry){"tasking.read", t, NULL};
        err = read_json(c, refs, NULL, "option_agency", &v[nv].after_json);
        nv++;
    }
    return err ? err : app_read_log_all(c, v, nv);
}
