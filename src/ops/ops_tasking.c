/* The tasking lifecycle's operations (domain.md §1): the bid, every transition, the team,
   terms of reference, the reassessment, and the reads (show, history, transfer, list, due). */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "app/json.h"
#include "app/page.h"
#include "app/tasking.h"
#include "ops/internal.h"
#include "util/jsonw.h"
#include "util/timefmt.h"

void op_mark_tasking(iom_ctx *c, op_out *out, const char *tasking_ref)
{
    iom_error keep = c->err;
    iom_marking m = IOM_MARKING_OFFICIAL_SENSITIVE;
    if (!tasking_ref || app_tasking_marking(c, tasking_ref, &m) != IOM_OK)
        m = IOM_MARKING_OFFICIAL_SENSITIVE;
    c->err = keep;
    op_mark(out, (int)m);
}

/* CONTENT: with the bid. A change's answer carries it only for the bid's own writer (new,
   edit); a transition's or a team change's answer is the tasking without it (review 81 M5: a
   manager's accept, or a team member added and removed, showed the whole bid, and no read was
   logged): its content is read by GET, which logs the read. */
static void tasking_out(op_out *out, const iom_tasking_t *t, bool content)
{
    out->json = json_of_tasking(t, content);
    out->etag = t->version;
    out->ref = t->ref;
    out->obj = t;
}

static void copy_list(const op_value *v, const char **to, size_t *n, size_t max)
{
    *n = 0;
    for (size_t i = 0; v && i < v->nv && i < max; i++)
        to[(*n)++] = v->v[i];
}

/* The bid's fields of a row (tasking new, tasking edit), the assessment decoded. */
static iom_err bid_of(iom_ctx *c, const op_in *in, app_bid_input *b)
{
    *b = (app_bid_input){.threat = op_str(in, "threat"), .requesting_agency = op_str(in, "requesting_agency"),
                         .region = op_str(in, "region"), .customer = op_str(in, "customer"),
                         .ftm_date = op_str(in, "ftm_date"), .ftm_ref = op_str(in, "ftm_ref"),
                         .type = op_str(in, "type"), .summary = op_str(in, "summary"),
                         .known = op_str(in, "known"), .urgency = op_str(in, "urgency"),
                         .timeline = op_str(in, "timeline"), .marking = op_str(in, "marking")};
    copy_list(op_get(in, "requirements"), b->requirements, &b->nrequirements, APP_MAX_LIST_ITEMS);
    copy_list(op_get(in, "services"), b->services, &b->nservices, APP_MAX_LIST_ITEMS);
    const op_value *rq = op_get(in, "requirements"), *sv = op_get(in, "services");
    b->has_requirements = rq && rq->set;
    b->has_services = sv && sv->set;
    const op_value *a = op_get(in, "assessment");
    b->has_assessment = a && a->set;
    return b->has_assessment ? app_assessment_from_json(c, a->j, &b->assessment) : IOM_OK;
}

iom_err op_tasking_new(iom_ctx *c, const op_in *in, op_out *out)
{
    app_bid_input b;
    iom_tasking_t *t = iom_arena_new(c->arena, iom_tasking_t, 1);
    iom_err err = bid_of(c, in, &b);
    if (!err && !(err = app_tasking_new(c, &b, t)))
        tasking_out(out, t, true);
    return err;
}

iom_err op_tasking_edit(iom_ctx *c, const op_in *in, op_out *out)
{
    app_bid_input b;
    iom_tasking_t *t = iom_arena_new(c->arena, iom_tasking_t, 1);
    iom_err err = bid_of(c, in, &b);
    if (!err && !(err = app_tasking_edit(c, op_str(in, "ref"), &b, op_int(in, "if_version", 0), t)))
        tasking_out(out, t, true);
    return err;
}

/* Every transition without a document of its own: the row's arg is the action. The CLI's
   decide takes --accept or --decline; the API's {"accept": true|false}. */
iom_err op_tasking_act(iom_ctx *c, const op_in *in, op_out *out)
{
    iom_tasking_action action = (iom_tasking_action)in->op->arg;
    app_act_input a = {.reason = op_str(in, "reason"), .sia = op_str(in, "sia"),
                       .tor_version = op_int(in, "tor_version", 0), .accept = op_bool(in, "accept"),
                       .new_owner = op_str(in, "new_owner"), .new_sio = op_str(in, "new_sio")};
    if (action == IOM_TA_DECIDE_TRANSFER) {
        const op_value *acc = op_get(in, "accept"), *dec = op_get(in, "decline");
        if (acc->set == dec->set)
            return iom_fail(&c->err, IOM_EINVAL, "decide: give exactly one of --accept or --decline "
                                                 "(API: \"accept\": true or false)");
    }
    iom_tasking_t *t = iom_arena_new(c->arena, iom_tasking_t, 1);
    iom_err err = app_tasking_act(c, op_str(in, "ref"), action, &a, op_int(in, "if_version", 0), t);
    if (!err)
        tasking_out(out, t, false);
    return err;
}

/* assign (arg 1) adds every user given, in order, in one transaction; unassign (arg 0)
   removes one. */
iom_err op_tasking_team(iom_ctx *c, const op_in *in, op_out *out)
{
    const op_value *users = op_get(in, "user");
    bool add = in->op->arg != 0;
    iom_tasking_t *t = iom_arena_new(c->arena, iom_tasking_t, 1);
    const char *one[1] = {users->s};
    const char *const *names = add ? users->v : one;
    size_t n = add ? users->nv : 1;
    iom_err err = app_tasking_assign_many(c, op_str(in, "ref"), names, n, add, op_int(in, "if_version", 0), t);
    if (!err)
        tasking_out(out, t, false);
    return err;
}

iom_err op_tasking_reallocate(iom_ctx *c, const op_in *in, op_out *out)
{
    iom_tasking_t *t = iom_arena_new(c->arena, iom_tasking_t, 1);
    iom_err err = app_tasking_reallocate(c, op_str(in, "ref"), op_str(in, "sia"), op_str(in, "reason"),
                                         op_int(in, "if_version", 0), t);
    if (!err)
        tasking_out(out, t, false);
    return err;
}

static void tor_out(op_out *out, const iom_tor_t *t, int64_t etag)
{
    out->json = json_of_tor(t);
    out->etag = etag;
    out->obj = t;
}

iom_err op_tor_propose(iom_ctx *c, const op_in *in, op_out *out)
{
    iom_tor_t *t = iom_arena_new(c->arena, iom_tor_t, 1);
    int64_t ver = op_int(in, "if_version", 0);
    const char *ref = op_str(in, "ref");
    iom_err err = app_tor_propose(c, ref, op_str(in, "tor"), ver, t);
    int64_t etag = 0;
    if (!err && app_tasking_version(c, ref, &etag) != IOM_OK)
        etag = 0; /* the change is made; only the ETag is missing */
    if (!err) {
        tor_out(out, t, etag);
        op_mark_tasking(c, out, ref);
    }
    return err;
}

iom_err op_tor_milestone_done(iom_ctx *c, const op_in *in, op_out *out)
{
    iom_tor_t *t = iom_arena_new(c->arena, iom_tor_t, 1);
    const char *ref = op_str(in, "ref");
    int64_t tv = 0;
    iom_err err = app_tor_milestone_done(c, ref, op_str(in, "milestone"), t);
    if (!err && !(err = app_tasking_version(c, ref, &tv))) {
        tor_out(out, t, tv);
        op_mark_tasking(c, out, ref);
    }
    return err;
}

iom_err op_tor_show(iom_ctx *c, const op_in *in, op_out *out)
{
    const char *ref = op_str(in, "ref");
    int64_t version = op_int(in, "version", 0), tv = 0;
    iom_tor_t *t = iom_arena_new(c->arena, iom_tor_t, 1);
    iom_err err = app_tasking_version(c, ref, &tv);
    if (!err)
        err = app_tor_get(c, ref, version, t);
    if (!err) {
        tor_out(out, t, tv);
        op_mark_tasking(c, out, ref);
    }
    return err;
}

iom_err op_tor_list(iom_ctx *c, const op_in *in, op_out *out)
{
    const char *ref = op_str(in, "ref");
    int64_t tv = 0;
    iom_tor_t *v = NULL;
    size_t n = 0, from, count;
    const char *next;
    iom_err err = app_tasking_version(c, ref, &tv);
    if (!err)
        err = app_tor_list(c, ref, &v, &n);
    if (err)
        return err;
    /* versions in order, their numbers the cursors: an `after` that is not one of them is
       refused (page.h), and ten versions or more stay in order (text keys compared as text
       put "10" before "9") */
    const char **keys = iom_arena_new(c->arena, const char *, n ? n : 1);
    for (size_t i = 0; i < n; i++)
        keys[i] = iom_arena_printf(c->arena, "%lld", (long long)v[i].version);
    app_page p = {op_str(in, "after"), (size_t)op_int(in, "limit", 0)};
    if ((err = app_page_ordered(c, &p, keys, n, &from, &count, &next)))
        return err;
    json_t *items = json_array();
    for (size_t i = from; i < from + count; i++)
        json_array_append_new(items, json_of_tor(&v[i]));
    out->json = json_list(items, next);
    out->obj = v + from;
    out->n = count;
    out->next = next;
    out->etag = tv;
    op_mark_tasking(c, out, ref);
    return IOM_OK;
}

/* What changed between two ToR versions: {"from", "to", "changes": {field: {from, to}}}. */
iom_err op_tor_diff(iom_ctx *c, const op_in *in, op_out *out)
{
    const char *ref = op_str(in, "ref");
    int64_t va = op_int(in, "from", 0), vb = op_int(in, "to", 0); /* 1..INT32_MAX: the op table */
    iom_tor_t a, b;
    iom_err err = app_tor_get2(c, ref, va, vb, &a, &b);
    if (err)
        return err;
    json_t *ja = json_loads(a.content_json, 0, NULL), *jb = json_loads(b.content_json, 0, NULL);
    json_t *changes = json_object();
    static const char *const keys[] = {"services", "start_date", "end_date", "milestones",
                                       "products", "objectives"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        json_t *x = json_object_get(ja, keys[i]), *y = json_object_get(jb, keys[i]);
        if ((!x && !y) || json_equal(x, y))
            continue;
        json_object_set_new(changes, keys[i], json_pack("{s:O?, s:O?}", "from", x, "to", y));
    }
    json_decref(ja);
    json_decref(jb);
    out->json = json_pack("{s:I, s:I, s:o}", "from", (json_int_t)va, "to", (json_int_t)vb,
                          "changes", changes);
    op_mark_tasking(c, out, ref);
    return IOM_OK;
}

iom_err op_tasking_reassess(iom_ctx *c, const op_in *in, op_out *out)
{
    const char *ref = op_str(in, "ref");
    iom_assessment_t *a = iom_arena_new(c->arena, iom_assessment_t, 1);
    iom_err err = app_tasking_reassess(c, ref, op_str(in, "assessment"), op_int(in, "if_version", 0), a);
    if (err)
        return err;
    out->json = json_of_assessment(a);
    out->obj = a;
    if (app_tasking_version(c, ref, &out->etag) != IOM_OK)
        out->etag = 0;
    op_mark_tasking(c, out, ref);
    return IOM_OK;
}

/* show (arg 0), history (arg 1) and transfer (arg 2) read the same view. */
iom_err op_tasking_show(iom_ctx *c, const op_in *in, op_out *out)
{
    app_tasking_view *v = iom_arena_new(c->arena, app_tasking_view, 1);
    iom_err err = in->op->arg == 2 ? app_tasking_transfer(c, op_str(in, "ref"), v)
                                   : app_tasking_show(c, op_str(in, "ref"), v);
    if (err)
        return err;
    out->obj = v;
    out->etag = v->t.version;
    out->ref = v->t.ref;
    if (in->op->arg == 0) {
        /* the content read analysts make all day: written as text, as the list is */
        iom_buf_reserve(&out->text, 4096);
        json_write_tasking_view(&out->text, v);
        op_mark(out, (int)v->t.marking);
        return IOM_OK;
    }
    json_t *j = json_of_tasking_view(v);
    if (in->op->arg == 1) {
        out->json = json_pack("{s:s, s:O}", "ref", v->t.ref, "history", json_object_get(j, "history"));
        json_decref(j);
    } else {
        json_decref(j);
        if (!v->has_transfer)
            return iom_fail(&c->err, IOM_ENOTFOUND, "transfer: tasking %s has no transfer", v->t.ref);
        out->json = json_of_transfer(&v->transfer);
    }
    op_mark(out, (int)v->t.marking);
    return IOM_OK;
}

/* What the caller may do with the tasking now; no content, no read logged (review 93 L5). */
iom_err op_tasking_actions(iom_ctx *c, const op_in *in, op_out *out)
{
    app_tasking_view *v = iom_arena_new(c->arena, app_tasking_view, 1);
    iom_err err = app_tasking_actions(c, op_str(in, "ref"), v);
    if (err)
        return err;
    json_t *acts = json_array(), *blocked = json_array();
    for (int a = 0; a < IOM_TA_COUNT; a++) {
        const char *name = lifecycle_action_name((iom_tasking_action)a);
        if (v->allowed_actions & (1u << a))
            json_array_append_new(acts, json_string(name));
        if (v->blocked[a])
            json_array_append_new(blocked, json_pack("{s:s, s:s}", "action", name, "why", v->blocked[a]));
    }
    out->json = json_pack("{s:s, s:s, s:I, s:o, s:o}", "ref", v->t.ref, "state",
                          lifecycle_state_name(v->t.state), "version", (json_int_t)v->t.version,
                          "actions", acts, "blocked", blocked);
    if (!out->json)
        return iom_fail(&c->err, IOM_ENOMEM, "tasking actions: out of memory");
    out->etag = v->t.version;
    out->ref = v->t.ref;
    op_mark(out, (int)v->t.marking);
    return IOM_OK;
}

/* The hottest read: the list is written as JSON text directly (a jansson tree per row costs
   more than the query), the same text as json_list of json_of_tasking(.., false). */
iom_err op_tasking_list(iom_ctx *c, const op_in *in, op_out *out)
{
    app_tasking_query q = {op_str(in, "state"), op_str(in, "region"), op_str(in, "owner"),
                           (size_t)op_int(in, "limit", 0), op_str(in, "after")};
    iom_tasking_t *v;
    size_t n;
    const char *next;
    iom_err err = app_tasking_list(c, &q, &v, &n, &next);
    if (err)
        return err;
    iom_buf_reserve(&out->text, 512 + 640 * n);
    iom_buf_puts(&out->text, "{\"items\":[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            iom_buf_putc(&out->text, ',');
        json_write_tasking(&out->text, &v[i]);
    }
    iom_buf_puts(&out->text, "],\"next\":");
    for (size_t i = 0; i < n; i++)
        if ((int)v[i].marking > out->marking)
            out->marking = (int)v[i].marking;
    if (next && jsonw_utf8_ok(next))
        jsonw_str(&out->text, next);
    else
        iom_buf_puts(&out->text, "null");
    iom_buf_putc(&out->text, '}');
    out->obj = v;
    out->n = n;
    out->next = next;
    for (size_t i = 0; i < n; i++)
        if ((int)v[i].marking > out->marking)
            out->marking = (int)v[i].marking;
    return IOM_OK;
}

static json_t *json_of_queue(iom_ctx *c, const app_queue_item *q)
{
    json_t *acts = json_array();
    for (int a = 0; a < IOM_TA_COUNT; a++)
        if (q->actions & (1u << a))
            json_array_append_new(acts, json_string(lifecycle_action_name((iom_tasking_action)a)));
    int64_t waited = (app_now(c) - q->since) / 86400;
    return json_pack("{s:s, s:s, s:o, s:I, s:o, s:s}", "tasking", q->tasking, "state",
                     lifecycle_state_name(q->state), "since", json_time(q->since), "days_waiting",
                     (json_int_t)(waited > 0 ? waited : 0), "actions", acts, "marking",
                     iom_marking_name(q->marking));
}

iom_err op_tasking_queue(iom_ctx *c, const op_in *in, op_out *out)
{
    app_queue_item *v;
    size_t n, from, count;
    const char *next;
    iom_err err = app_tasking_queue(c, &v, &n);
    if (err)
        return err;
    typedef struct { const char *key; app_queue_item *q; } keyed;
    keyed *k = iom_arena_new(c->arena, keyed, n ? n : 1);
    /* in the use-case's order (longest waiting first, then by reference), keyed by it: a page
       goes on after the last item seen even when items before it have left the queue since
       (review 88 L1: a position skipped one) */
    for (size_t i = 0; i < n; i++)
        k[i] = (keyed){iom_arena_printf(c->arena, "%020lld.%s", (long long)(v[i].since > 0 ? v[i].since : 0),
                                        v[i].tasking), &v[i]};
    const char *after = op_str(in, "after");
    if (after) {
        size_t d = 0;
        while (after[d] >= '0' && after[d] <= '9')
            d++;
        /* the cursor whole: 20 digits, '.', a tasking's reference (TOEX-YYYY-NNNNNN) and nothing
           after it (review 104 L6: a trailing '.' or NUL and anything were taken) */
        const char *ref = after + 21;
        size_t q = 0;
        bool shaped = d == 20 && after[20] == '.' && strncmp(ref, "TOEX-", 5) == 0;
        for (q = 5; shaped && q < 9; q++)
            shaped = ref[q] >= '0' && ref[q] <= '9';
        shaped = shaped && ref[9] == '-';
        for (q = 10; shaped && ref[q] >= '0' && ref[q] <= '9'; q++)
            ;
        if (!shaped || q < 16 || ref[q] != '\0')
            return iom_fail(&c->err, IOM_EINVAL, "after: '%.64s' is not a cursor of the queue (give the "
                                                 "`next` of the page before)", after);
    }
    app_page p = {after, (size_t)op_int(in, "limit", 0)};
    if ((err = app_page_sorted(c, &p, k, n, sizeof *k, offsetof(keyed, key), &from, &count, &next)))
        return err;
    json_t *items = json_array();
    app_queue_item *page = iom_arena_new(c->arena, app_queue_item, count ? count : 1);
    for (size_t i = from; i < from + count; i++) {
        json_array_append_new(items, json_of_queue(c, k[i].q));
        page[i - from] = *k[i].q;
        if ((int)k[i].q->marking > out->marking)
            out->marking = (int)k[i].q->marking;
    }
    out->json = json_list(items, next);
    out->obj = page;
    out->n = count;
    out->next = next;
    return IOM_OK;
}

static json_t *json_of_due(const app_due_item *d)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:I, s:b, s:s, s:b, s:s}", "tasking", d->tasking, "kind",
                     d->kind, "name", d->name, "due", d->due, "days_left", (json_int_t)d->days_left,
                     "overdue", d->days_left < 0, "whose", d->whose, "yours", d->yours, "marking",
                     iom_marking_name(d->marking));
}

iom_err op_tasking_due(iom_ctx *c, const op_in *in, op_out *out)
{
    app_due_item *v;
    size_t n, from, count;
    const char *next;
    iom_err err = app_tasking_due(c, op_int_sat(in, "days", 14), op_bool(in, "all"), &v, &n);
    if (err)
        return err;
    /* keyed by what the item is, due date first (the list's order), so that a page's cursor
       still stands where it stood when an item before it is done meanwhile (review 108 L3: the
       key was the item's index, and one done between two pages moved every later item) */
    typedef struct { const char *key; app_due_item *d; } keyed;
    keyed *k = iom_arena_new(c->arena, keyed, n ? n : 1);
    for (size_t i = 0; i < n; i++)
        k[i] = (keyed){iom_arena_printf(c->arena, "%s|%s|%s|%s", v[i].due, v[i].tasking, v[i].kind, v[i].name),
                       &v[i]};
    const char *after = op_str(in, "after");
    if (after) { /* the `next` of a page: DATE|TOEX-...|KIND|NAME; anything else is no cursor */
        const char *t = after;
        bool okc = strlen(t) > 17 && t[4] == '-' && t[7] == '-' && t[10] == '|' &&
                   strncmp(t + 11, "TOEX-", 5) == 0;
        for (int i = 0; okc && i < 10; i++)
            okc = i == 4 || i == 7 || (t[i] >= '0' && t[i] <= '9');
        /* each part as a page's `next` writes it (review 117 L1: '9999-99-99|TOEX-x|a|b' was
           taken): a calendar date, a tasking's reference TOEX-YYYY-NNNNNN, an item kind, a
           name (triage's is "triage") */
        if (okc) {
            char day[11];
            int64_t dn;
            memcpy(day, t, 10);
            day[10] = '\0';
            okc = iom_day_number(day, &dn);
        }
        const char *r = t + 11;
        size_t q = 5;
        for (; okc && q < 9; q++)
            okc = r[q] >= '0' && r[q] <= '9';
        okc = okc && r[9] == '-';
        for (q = 10; okc && r[q] >= '0' && r[q] <= '9'; q++)
            ;
        okc = okc && q >= 16 && r[q] == '|';
        const char *kind = okc ? r + q + 1 : NULL, *bar2 = kind ? strchr(kind, '|') : NULL;
        if (bar2) {
            size_t kl = (size_t)(bar2 - kind);
            bool triage = kl == 6 && strncmp(kind, "triage", 6) == 0;
            if (!(triage || (kl == 7 && strncmp(kind, "product", 7) == 0) ||
                  (kl == 9 && strncmp(kind, "milestone", 9) == 0)) ||
                !bar2[1] || (triage && strcmp(bar2 + 1, "triage") != 0))
                bar2 = NULL;
        }
        if (!bar2)
            return iom_fail(&c->err, IOM_EINVAL,
                            "after: '%.80s' is not a cursor of this list (give the `next` of a page: "
                            "DATE|TASKING|KIND|NAME)", after);
    }
    app_page p = {after, (size_t)op_int(in, "limit", 0)};
    if ((err = app_page_apply(c, &p, k, n, sizeof *k, offsetof(keyed, key), &from, &count, &next)))
        return err;
    json_t *items = json_array();
    /* the page in the list's order for the text view too (it printed v's unsorted items, not
       the page the JSON gives) */
    app_due_item *page = iom_arena_new(c->arena, app_due_item, count ? count : 1);
    for (size_t i = from; i < from + count; i++) {
        json_array_append_new(items, json_of_due(k[i].d));
        page[i - from] = *k[i].d;
    }
    out->json = json_list(items, next);
    out->obj = page;
    out->n = count;
    out->next = next;
    return IOM_OK;
}
