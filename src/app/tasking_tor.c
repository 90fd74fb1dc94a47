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
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v) {
        size_t k = 0;
        while (keys[k] && strcmp(keys[k], key) != 0)
            k++;
        if (!keys[k])
            return iom_fail(&c->err, IOM_EINVAL, "tor: unknown field '%.64s'", key);
    }
    *start = json_string_value(json_object_get(o, "start_date"));
    *end = json_string_value(json_object_get(o, "end_date"));
    iom_err err;
    if (!*start)
        return iom_fail(&c->err, IOM_EINVAL, "start_date: required (YYYY-MM-DD)");
    if (!*end)
        return iom_fail(&c->err, IOM_EINVAL, "end_date: required (YYYY-MM-DD)");
    if ((err = iom_date_check("start_date", *start, &c->err)) ||
        (err = iom_date_check("end_date", *end, &c->err)) ||
        (err = tasking_date_near(c, "start_date", *start, "2000-01-01", 366,
                                 "when the support starts, agreed now")) ||
        (err = tasking_date_near(c, "end_date", *end, "2000-01-01", 3660,
                                 "when the support ends, within ten years")))
        return err;
    if (strcmp(*end, *start) < 0)
        return iom_fail(&c->err, IOM_EINVAL, "end_date: %s is before start_date %s", *end, *start);
    json_t *services = json_object_get(o, "services");
    if (!json_is_array(services) || json_array_size(services) == 0)
        return iom_fail(&c->err, IOM_EINVAL, "services: a list of at least one TOEX service is required");
    size_t i;
    json_array_foreach(services, i, v) {
        iom_service sv;
        if (!json_is_string(v))
            return iom_fail(&c->err, IOM_EINVAL, "services[%zu]: must be a string", i);
        if ((err = products_service_parse(json_string_value(v), &sv, &c->err)))
            return err;
        for (size_t j = 0; j < i; j++)
            if (!strcmp(json_string_value(json_array_get(services, j)), json_string_value(v)))
                return iom_fail(&c->err, IOM_EINVAL, "services[%zu]: '%.64s' is given twice "
                                "(services[%zu])", i, json_string_value(v), j);
    }
    json_t *objectives = json_object_get(o, "objectives");
    if (!json_is_array(objectives) || json_array_size(objectives) == 0)
        return iom_fail(&c->err, IOM_EINVAL,
                        "objectives: at least one objective of the SIO's investigation strategy is required");
    json_array_foreach(objectives, i, v) {
        char field[48];
        snprintf(field, sizeof field, "objectives[%zu]", i);
        if (!json_is_string(v))
            return iom_fail(&c->err, IOM_EINVAL, "%s: must be a string", field);
        if ((err = iom_text_check(field, json_string_value(v), TASKING_ITEM_MAX,
                                  IOM_TEXT_REQUIRED | IOM_TEXT_MULTI_LINE, &c->err)))
            return err;
        for (size_t k = 0; k < i; k++)
            if (!strcmp(json_string_value(json_array_get(objectives, k)), json_string_value(v)))
                return iom_fail(&c->err, IOM_EINVAL, "%s: '%.64s' is given twice (objectives[%zu])",
                                field, json_string_value(v), k);
    }
    const char *lists[] = {"milestones", "products"};
    for (int l = 0; l < 2; l++) {
        json_t *arr = json_object_get(o, lists[l]);
        if (!arr)
            continue;
        if (!json_is_array(arr) || json_array_size(arr) > 200)
            return iom_fail(&c->err, IOM_EINVAL, "%s: must be a list (at most 200)", lists[l]);
        json_array_foreach(arr, i, v) {
            const char *name = l == 0 ? "name" : "type";
            const char *label = json_string_value(json_object_get(v, name));
            const char *due = json_string_value(json_object_get(v, "due"));
            char field[64];
            snprintf(field, sizeof field, "%s[%zu].%s", lists[l], i, name);
            if (!json_is_object(v) || json_object_size(v) != 2 || !label || !due)
                return iom_fail(&c->err, IOM_EINVAL, "%s[%zu]: must be {\"%s\": ..., \"due\": \"YYYY-MM-DD\"}",
                                lists[l], i, name);
            if (l == 0 && (err = iom_text_check(field, label, TASKING_ITEM_MAX,
                                                IOM_TEXT_REQUIRED | IOM_TEXT_SINGLE_LINE, &c->err)))
                return err;
            /* a milestone is marked done by its name: two of one name could not be told apart */
            for (size_t j = 0; l == 0 && j < i; j++) {
                const char *other = json_string_value(json_object_get(json_array_get(arr, j), "name"));
                if (other && !strcmp(other, label))
                    return iom_fail(&c->err, IOM_EINVAL, "%s: '%.64s' is given twice (milestones[%zu]): "
                                    "milestones are marked done by name", field, label, j);
            }
            iom_product_type pt;
            if (l == 1 && (err = products_type_parse(label, &pt, &c->err)))
                return err;
            snprintf(field, sizeof field, "%s[%zu].due", lists[l], i);
            if ((err = iom_date_check(field, due, &c->err)))
                return err;
            if (strcmp(due, *start) < 0 || strcmp(due, *end) > 0)
                return iom_fail(&c->err, IOM_EINVAL, "%s: %s is outside the ToR's %s to %s", field, due,
                                *start, *end);
        }
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
    if ((err = app_tasking_enter(c, ref, IOM_TA_PROPOSE_TOR, if_version, &sc)))
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
