/* Terms of reference: validation, propose, versions, the ToR in force (app/tasking.h). */
#include "app/tasking_int.h"

#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "app/json.h"
#include "app/work.h"
#include "domain/products.h"
#include "util/text.h"
#include "util/timefmt.h"

/* A date field of the ToR: required, YYYY-MM-DD, and near today (tasking_date_near). Noted as a
   problem (iom_ctx problems) when it fails; *ok tells whether it holds. */
static iom_err tor_date(iom_ctx *c, const char *field, const char *d, int ahead, const char *what,
                        bool *ok)
{
    iom_err err;
    *ok = false;
    if (!d) {
        app_problem(c, field, "%s: required (YYYY-MM-DD)", field);
        return IOM_OK;
    }
    if ((err = iom_date_check(field, d, &c->err)) ||
        (err = tasking_date_near(c, field, d, "2000-01-01", ahead, what)))
        return app_problem_noted(c, field, err);
    *ok = true;
    return IOM_OK;
}

/* Whether a string list's value at i was given before it; *first is where. */
static bool given_before(json_t *arr, size_t i, const char *member, size_t *first)
{
    json_t *v = json_array_get(arr, i);
    const char *s = json_string_value(member ? json_object_get(v, member) : v);
    for (size_t j = 0; s && j < i; j++) {
        json_t *w = json_array_get(arr, j);
        const char *o = json_string_value(member ? json_object_get(w, member) : w);
        if (o && !strcmp(o, s)) {
            *first = j;
            return true;
        }
    }
    return false;
}

/* The ToR document: its structure (size, JSON, an object) is told alone; then every field is
   checked and every problem noted (iom_ctx problems, review 90), so that a ToR of several bad
   fields is told all of them at once. IOM_EINVAL with the first in c->err. */
static iom_err tor_validate(iom_ctx *c, const char *text, json_t **doc, const char **start,
                            const char **end)
{
    static const char *const keys[] = {"services", "start_date", "end_date", "milestones",
                                       "products", "objectives", NULL};
    json_error_t je;
    size_t n = text ? strlen(text) : 0;
    if (!text)
        return iom_fail(&c->err, IOM_EINVAL, "tor: no document given");
    if (n > (1u << 20))
        return iom_fail(&c->err, IOM_ETOOBIG, "tor: %zu bytes is over the limit of 1 MiB", n);
    *doc = json_loadb(text, n, JSON_REJECT_DUPLICATES, &je);
    if (!*doc)
        return iom_fail(&c->err, IOM_EINVAL, "tor: invalid JSON at line %d column %d: %s", je.line,
                        je.column, json_error_reason(&je));
    json_t *o = *doc;
    if (!json_is_object(o))
        return iom_fail(&c->err, IOM_EINVAL, "tor: the document must be a JSON object");
    c->nproblems = 0;
    const char *key;
    json_t *v;
    iom_err err;
    json_object_foreach(o, key, v) {
        size_t k = 0;
        while (keys[k] && strcmp(keys[k], key) != 0)
            k++;
        if (!keys[k])
            app_problem(c, key, "%.64s: unknown field of the terms of reference (it takes "
                        "services, start_date, end_date, objectives, milestones, products)", key);
    }
    *start = json_string_value(json_object_get(o, "start_date"));
    *end = json_string_value(json_object_get(o, "end_date"));
    bool start_ok, end_ok;
    if ((err = tor_date(c, "start_date", *start, 366, "when the support starts, agreed now",
                        &start_ok)) ||
        (err = tor_date(c, "end_date", *end, 3660, "when the support ends, within ten years",
                        &end_ok)))
        return err;
    bool range = start_ok && end_ok; /* the dates hold: the dues can be checked against them */
    if (range && strcmp(*end, *start) < 0) {
        app_problem(c, "end_date", "end_date: %s is before start_date %s", *end, *start);
        range = false;
    }
    size_t i, first;
    json_t *services = json_object_get(o, "services");
    if (!json_is_array(services) || json_array_size(services) == 0)
        app_problem(c, "services", "services: a list of at least one TOEX service is required");
    else
        json_array_foreach(services, i, v) {
            char field[48];
            iom_service sv;
            snprintf(field, sizeof field, "services[%zu]", i);
            if (!json_is_string(v))
                app_problem(c, field, "%s: must be a string", field);
            else if ((err = app_problem_noted(c, field, products_service_parse(json_string_value(v),
                                                                               &sv, &c->err))))
                return err;
            else if (given_before(services, i, NULL, &first))
                app_problem(c, field, "%s: '%.64s' is given twice (services[%zu])", field,
                            json_string_value(v), first);
        }
    json_t *objectives = json_object_get(o, "objectives");
    if (!json_is_array(objectives) || json_array_size(objectives) == 0)
        app_problem(c, "objectives",
                    "objectives: at least one objective of the SIO's investigation strategy is required");
    else
        json_array_foreach(objectives, i, v) {
            char field[48];
            snprintf(field, sizeof field, "objectives[%zu]", i);
            if (!json_is_string(v))
                app_problem(c, field, "%s: must be a string", field);
            else if ((err = app_problem_noted(
                          c, field, iom_text_check(field, json_string_value(v), TASKING_ITEM_MAX,
                                                   IOM_TEXT_REQUIRED | IOM_TEXT_MULTI_LINE, &c->err))))
                return err;
            else if (given_before(objectives, i, NULL, &first))
                app_problem(c, field, "%s: '%.64s' is given twice (objectives[%zu])", field,
                            json_string_value(v), first);
        }
    const char *lists[] = {"milestones", "products"};
    for (int l = 0; l < 2; l++) {
        json_t *arr = json_object_get(o, lists[l]);
        if (!arr)
            continue;
        if (!json_is_array(arr) || json_array_size(arr) > 200) {
            app_problem(c, lists[l], "%s: must be a list (at most 200)", lists[l]);
            continue;
        }
        json_array_foreach(arr, i, v) {
            const char *name = l == 0 ? "name" : "type";
            const char *label = json_string_value(json_object_get(v, name));
            const char *due = json_string_value(json_object_get(v, "due"));
            char field[64], item[48];
            snprintf(item, sizeof item, "%s[%zu]", lists[l], i);
            snprintf(field, sizeof field, "%s.%s", item, name);
            if (!json_is_object(v) || json_object_size(v) != 2 || !label || !due) {
                app_problem(c, item, "%s: must be {\"%s\": ..., \"due\": \"YYYY-MM-DD\"}", item, name);
                continue;
            }
            iom_product_type pt;
            if (l == 0 && (err = iom_text_check(field, label, TASKING_ITEM_MAX,
                                                IOM_TEXT_REQUIRED | IOM_TEXT_SINGLE_LINE, &c->err))) {
                if ((err = app_problem_noted(c, field, err)))
                    return err;
            } else if (l == 0 && given_before(arr, i, "name", &first)) {
                /* a milestone is marked done by its name: two of one name could not be told apart */
                app_problem(c, field, "%s: '%.64s' is given twice (milestones[%zu]): "
                            "milestones are marked done by name", field, label, first);
            } else if (l == 1 && (err = app_problem_noted(c, field,
                                                          products_type_parse(label, &pt, &c->err))))
                return err;
            snprintf(field, sizeof field, "%s.due", item);
            if ((err = iom_date_check(field, due, &c->err))) {
                if ((err = app_problem_noted(c, field, err)))
                    return err;
            } else if (range && (strcmp(due, *start) < 0 || strcmp(due, *end) > 0))
                app_problem(c, field, "%s: %s is outside the ToR's %s to %s", field, due, *start,
                            *end);
        }
    }
    return app_problems_end(c);
}

/* The support a ToR agrees starts no earlier than the bid that asked for it: start_date is not
   before the UK day the bid was (first) submitted to the Gateway (review 113 L4: a ToR could be
   agreed for a period long past, its products due years before the bid, late on agreement and
   counted so on APMIS). Its products' and milestones' dues lie within its dates
   (tor_validate). */
static iom_err tor_starts_after_bid(iom_ctx *c, const iom_tasking_t *t, const char *start)
{
    iom_tasking_event_t *ev;
    size_t n = 0;
    iom_err err = TS(c)->events(c->store, t->id, c->arena, &ev, &n, &c->err);
    if (err)
        return err;
    for (size_t i = 0; i < n; i++) {
        if (!ev[i].action || strcmp(ev[i].action, "submit") != 0)
            continue;
        char uk[32];
        iom_time_uk(ev[i].at, uk); /* YYYY-MM-DD first: the UK day */
        uk[10] = '\0';
        if (start && strcmp(start, uk) < 0) {
            c->nproblems = 0;
            app_problem(c, "start_date",
                        "start_date: %s is before %s, the day the bid was submitted (UK); rule: the "
                        "support a terms of reference agrees starts no earlier than the bid that asked "
                        "for it (its products and milestones fall due within its dates)",
                        start, uk);
            return app_problems_end(c);
        }
        break; /* the first submission */
    }
    return IOM_OK;
}

iom_err app_tor_propose(iom_ctx *c, const char *ref, const char *json_text, int64_t if_version,
                        iom_tor_t *out)
{
    json_t *doc = NULL;
    const char *start = NULL, *end = NULL;
    iom_err err = tor_validate(c, json_text, &doc, &start, &end);
    if (err || (err = app_begin(c, true))) {
        json_decref(doc);
        return err;
    }
    app_tasking_scope sc;
    if ((err = app_tasking_enter(c, ref, IOM_TA_PROPOSE_TOR, if_version, &sc)) ||
        (err = tor_starts_after_bid(c, &sc.t, start)))
        goto done;
    /* a version that changes nothing would only ask both parties to agree again */
    iom_tor_t latest;
    char *content = json_text_sorted(c->arena, doc);
    err = TS(c)->tor_get(c->store, sc.t.id, 0, c->arena, &latest, &c->err);
    if (err == IOM_ENOTFOUND) {
        iom_error_clear(&c->err);
        err = IOM_OK;
    } else if (!err && latest.content_json && strcmp(latest.content_json, content) == 0)
        err = iom_fail(&c->err, IOM_EINVAL,
                       "terms of reference: the same as version %lld; nothing to change",
                       (long long)latest.version);
    if (err)
        goto done;
    char *before = tasking_audit_text(c, &sc.t);
    iom_tor_t tor = {.tasking_id = sc.t.id, .content_json = content,
                     .start_date = (char *)start, .end_date = (char *)end,
                     .proposed_by = c->actor.id, .proposed_at = app_now(c)};
    char *what = NULL;
    if ((err = TS(c)->tor_insert(c->store, &tor, &c->err)))
        goto done;
    what = iom_arena_printf(c->arena, "version %lld", (long long)tor.version);
    if ((err = app_tasking_touch(c, &sc.t)) ||
        (err = tasking_record(c, &sc.t, "propose_tor", sc.role, (int)sc.t.state, what, before,
                               NULL)) ||
        (err = TS(c)->tor_get(c->store, sc.t.id, tor.version, c->arena, out, &c->err)))
        goto done;
done:
    json_decref(doc);
    return app_end(c, err);
}

/* The tasking's milestones marked done, shown with every version of its ToR. */
iom_err tasking_tor_fill_done(iom_ctx *c, int64_t tasking_id, iom_tor_t *tor)
{
    return TS(c)->milestones_done(c->store, tasking_id, c->arena, &tor->done, &tor->ndone,
                                  &c->err);
}

static json_t *tor_read_ref(const char *ref, int64_t version)
{
    return json_pack("{s:s, s:s, s:I}", "ref", ref, "view", "tor", "version", (json_int_t)version);
}

iom_err app_tor_get2(iom_ctx *c, const char *ref, int64_t version, int64_t version2, iom_tor_t *out,
                     iom_tor_t *out2)
{
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    app_tasking_scope sc;
    if (!(err = tasking_load(c, ref, IOM_PART_TASKING, &sc)) &&
        !(err = TS(c)->tor_get(c->store, sc.t.id, version, c->arena, out, &c->err)))
        err = tasking_tor_fill_done(c, sc.t.id, out);
    if (!err && out2 && !(err = TS(c)->tor_get(c->store, sc.t.id, version2, c->arena, out2, &c->err)))
        err = tasking_tor_fill_done(c, sc.t.id, out2);
    if ((err = app_end(c, err)))
        return err; /* nothing was shown: nothing is logged */
    json_t *what = tor_read_ref(sc.t.ref, out->version);
    if (out2)
        what = json_pack("[o, o]", what, tor_read_ref(sc.t.ref, out2->version));
    return work_log_tasking_part(c, sc.t.ref, &sc.access, what);
}

iom_err app_tor_get(iom_ctx *c, const char *ref, int64_t version, iom_tor_t *out)
{
    return app_tor_get2(c, ref, version, 0, out, NULL);
}

/* Is `name` a milestone of the ToR document `content_json`? */
static bool tor_has_milestone(const char *content_json, const char *name)
{
    json_t *doc = json_loads(content_json ? content_json : "{}", 0, NULL);
    size_t i;
    json_t *m;
    bool found = false;
    json_array_foreach(json_object_get(doc, "milestones"), i, m) {
        const char *n = json_string_value(json_object_get(m, "name"));
        if (n && strcmp(n, name) == 0)
            found = true;
    }
    json_decref(doc);
    return found;
}

iom_err app_tor_milestone_done(iom_ctx *c, const char *ref, const char *milestone, iom_tor_t *out)
{
    iom_err err = iom_text_check("milestone", milestone, TASKING_ITEM_MAX,
                                 IOM_TEXT_REQUIRED | IOM_TEXT_SINGLE_LINE, &c->err);
    if (err || (err = app_begin(c, true)))
        return err;
    app_tasking_scope sc;
    if ((err = tasking_load(c, ref, IOM_PART_OUTCOME, &sc))) /* as the actions: apmis gets 403 */
        return app_end(c, err);
    iom_tasking_state st = sc.t.state;
    if (sc.access.read_only)
        err = iom_fail(&c->err, IOM_EFORBIDDEN, "milestone done: user '%s' has read-only access to "
                                                "%s", c->actor.name, sc.t.ref);
    else if (!iom_roles_has(c->actor.roles, IOM_ROLE_SIA) || c->actor.id != sc.t.sia_id)
        err = iom_fail(&c->err, IOM_EFORBIDDEN, "milestone done: only the tasking's SIA marks a "
                                                "ToR milestone done");
    else if (st != IOM_TS_TOR_AGREED && st != IOM_TS_IN_DEVELOPMENT && st != IOM_TS_REASSESSMENT)
        err = iom_fail(&c->err, IOM_ECONFLICT, "milestone done in state '%s': milestones are "
                                               "marked done while the ToR is in force "
                                               "(tor_agreed, in_development, reassessment)",
                       lifecycle_state_name(st));
    else if (!(err = tasking_tor_in_force(c, &sc.t, out)) &&
             !tor_has_milestone(out->content_json, milestone))
        err = iom_fail(&c->err, IOM_EINVAL, "milestone: '%s' is not a milestone of the ToR in "
                                            "force (version %lld)",
                       milestone, (long long)out->version);
    if (err)
        return app_end(c, err);
    int64_t now = app_now(c);
    json_t *after = json_pack("{s:s, s:I}", "milestone", milestone, "tor_version",
                              (json_int_t)out->version);
    if (!(err = TS(c)->milestone_done_add(c->store, sc.t.id, milestone, now, c->actor.id,
                                          &c->err)) &&
        !(err = audit_record(c, "tasking.milestone_done", sc.t.ref, NULL,
                             json_text(c->arena, after))))
        err = tasking_tor_fill_done(c, sc.t.id, out);
    json_decref(after);
    return app_end(c, err);
}

iom_err app_tor_list(iom_ctx *c, const char *ref, iom_tor_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    app_tasking_scope sc;
    iom_tor_t latest;
    if ((err = tasking_load(c, ref, IOM_PART_TASKING, &sc)))
        return app_end(c, err);
    err = TS(c)->tor_get(c->store, sc.t.id, 0, c->arena, &latest, &c->err);
    if (err == IOM_ENOTFOUND) {
        c->err.msg[0] = '\0';
        return app_end(c, IOM_OK);
    }
    if (err)
        return app_end(c, err);
    iom_tor_t *v = iom_arena_new(c->arena, iom_tor_t, (size_t)latest.version);
    for (int64_t i = 1; i < latest.version && !err; i++)
        err = TS(c)->tor_get(c->store, sc.t.id, i, c->arena, &v[i - 1], &c->err);
    if (err)
        return app_end(c, err);
    v[latest.version - 1] = latest;
    for (int64_t i = 0; i < latest.version && !err; i++)
        err = tasking_tor_fill_done(c, sc.t.id, &v[i]);
    if (err)
        return app_end(c, err);
    if ((err = app_end(c, IOM_OK)))
        return err;
    json_t *versions = json_array();
    for (int64_t i = 1; i <= latest.version; i++)
        json_array_append_new(versions, tor_read_ref(sc.t.ref, i));
    if ((err = work_log_tasking_part(c, sc.t.ref, &sc.access, versions)))
        return err;
    *out = v;
    *n = (size_t)latest.version;
    return IOM_OK;
}

/* The ToR in force: the latest version agreed by both (IOM_ENOTFOUND when none). */
iom_err tasking_tor_in_force(iom_ctx *c, const iom_tasking_t *t, iom_tor_t *out)
{
    int64_t v = 0;
    iom_err err = TS(c)->tor_agreed_version(c->store, t->id, &v, &c->err);
    if (err)
        return err;
    if (!v)
        return iom_fail(&c->err, IOM_ENOTFOUND, "terms of reference: none agreed");
    return TS(c)->tor_get(c->store, t->id, v, c->arena, out, &c->err);
}
