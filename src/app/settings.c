#include "app/settings.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app/audit.h"
#include "app/json.h"
#include "app/work.h"
#include "util/text.h"

#define SETTINGS_STORE(c) ((c)->store->ops->settings)

/* The last settings decoded, keyed by the stored rows they came from (names, versions and
   value texts, compared byte for byte): a load whose rows are the same skips the decoding.
   Keyed by content, so it is right for any store and any handle. */
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static char *cache_key;
static iom_settings cache_value;

static char *rows_key(const iom_setting_t *v, size_t n)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(v[i].name) + strlen(v[i].value_json ? v[i].value_json : "") + 24;
    char *k = malloc(len), *p = k;
    if (!k)
        return NULL;
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "%s\n%lld\n%s\n", v[i].name, (long long)v[i].version,
                     v[i].value_json ? v[i].value_json : "");
    *p = '\0';
    return k;
}

iom_err app_settings_load(iom_ctx *c, iom_settings *out)
{
    iom_setting_t *v;
    size_t n;
    iom_err err = SETTINGS_STORE(c)->current(c->store, c->arena, &v, &n, &c->err);
    if (err)
        return err;
    char *key = rows_key(v, n);
    pthread_mutex_lock(&cache_lock);
    bool hit = key && cache_key && strcmp(key, cache_key) == 0;
    if (hit)
        *out = cache_value;
    pthread_mutex_unlock(&cache_lock);
    if (hit) {
        free(key);
        return IOM_OK;
    }
    settings_default(out);
    for (size_t i = 0; i < n; i++) {
        settings_id id;
        if (settings_parse_name(v[i].name, &id, NULL) != IOM_OK)
            continue; /* a setting of a later iom: not ours to read */
        iom_error e = {0};
        if (settings_apply(out, id, v[i].value_json, &e) != IOM_OK) {
            free(key);
            return iom_fail(&c->err, IOM_ESTORE, "stored setting %s version %lld does not pass "
                                                 "its check: %s", v[i].name,
                            (long long)v[i].version, e.msg);
        }
        out->version[id] = v[i].version;
    }
    if (key) {
        pthread_mutex_lock(&cache_lock);
        free(cache_key);
        cache_key = key;
        cache_value = *out;
        pthread_mutex_unlock(&cache_lock);
    }
    return IOM_OK;
}

iom_err app_settings_current(iom_ctx *c, iom_settings *out)
{
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    return app_end(c, app_settings_load(c, out));
}

/* The current row of one setting from the store's list; IOM_ESTORE when it has none (the
   migration seeds every one). */
static iom_err current_row(iom_ctx *c, settings_id id, iom_setting_t *out)
{
    iom_setting_t *v;
    size_t n;
    iom_err err = SETTINGS_STORE(c)->current(c->store, c->arena, &v, &n, &c->err);
    if (err)
        return err;
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].name, settings_name(id)) == 0) {
            *out = v[i];
            return IOM_OK;
        }
    return iom_fail(&c->err, IOM_ESTORE, "setting %s: no stored version (run `iom migrate`)",
                    settings_name(id));
}

iom_err app_settings_list(iom_ctx *c, iom_setting_t **out, size_t *n)
{
    iom_err err = app_begin(c, false);
    if (err || (err = app_actor(c)))
        return app_end(c, err);
    iom_setting_t *v = iom_arena_new(c->arena, iom_setting_t, SETTINGS_COUNT);
    for (int i = 0; i < SETTINGS_COUNT && !err; i++)
        err = current_row(c, (settings_id)i, &v[i]);
    if ((err = app_end(c, err)))
        return err;
    *out = v;
    *n = SETTINGS_COUNT;
    return IOM_OK;
}

iom_err app_settings_show(iom_ctx *c, const char *name, iom_setting_t *out)
{
    settings_id id;
    iom_err err = settings_parse_name(name, &id, &c->err);
    if (err || (err = app_begin(c, false)))
        return err;
    if (!(err = app_actor(c)))
        err = current_row(c, id, out);
    return app_end(c, err);
}

iom_err app_settings_history(iom_ctx *c, const char *name, const app_page *p, iom_setting_t **out,
                             size_t *n, const char **next)
{
    settings_id id;
    iom_err err = settings_parse_name(name, &id, &c->err);
    if (err)
        return err;
    size_t limit = p->limit ? p->limit : APP_PAGE_DEFAULT;
    if (limit > APP_PAGE_MAX)
        return iom_fail(&c->err, IOM_EINVAL, "limit: %zu is above %d", limit, APP_PAGE_MAX);
    int64_t before = 0;
    if (p->after) {
        if (!iom_parse_cursor(p->after, INT32_MAX, &before) || before < 1) /* a version */
            return iom_fail(&c->err, IOM_EINVAL, "after: '%.32s' is not a cursor of this list",
                            p->after);
    }
    if ((err = app_begin(c, false)))
        return err;
    if (!(err = app_actor(c)))
        err = SETTINGS_STORE(c)->history(c->store, settings_name(id), before, limit + 1, c->arena,
                                         out, n, &c->err);
    if ((err = app_end(c, err)))
        return err;
    *next = NULL;
    if (*n > limit) {
        *n = limit;
        char buf[24];
        snprintf(buf, sizeof buf, "%lld", (long long)(*out)[limit - 1].version);
        *next = iom_arena_strdup(c->arena, buf);
    }
    return IOM_OK;
}

/* The audit text of one version: {"version", "value", "reason"}. */
static char *version_text(iom_ctx *c, const iom_setting_t *s)
{
    json_t *v = json_loads(s->value_json ? s->value_json : "null", JSON_DECODE_ANY, NULL);
    json_t *j = json_pack("{s:s, s:I, s:o, s:s}", "setting", s->name, "version",
                          (json_int_t)s->version, "value", v ? v : json_null(), "reason",
                          s->reason ? s->reason : "");
    char *t = json_text(c->arena, j);
    json_decref(j);
    return t;
}

iom_err app_settings_set(iom_ctx *c, const char *name, const char *value_json,
                         const char *reason, int64_t if_version, iom_setting_t *out)
{
    settings_id id;
    iom_err err = app_authorize_first(c, IOM_ROLE_BIT(IOM_ROLE_ADMIN), "settings set");
    if (err || (err = settings_parse_name(name, &id, &c->err)))
        return err;
    /* who may sign in and for how long is managed from a password session, as the accounts
       are: a leaked token loosened the lockout to open password guessing (review 71) */
    if (strncmp(name, "auth.", 5) == 0 && (err = app_no_token(c, "settings set auth.*")))
        return err;
    if ((err = iom_text_check("reason", reason, APP_SETTING_REASON_MAX,
                              IOM_TEXT_REQUIRED | IOM_TEXT_MULTI_LINE, &c->err)))
        return err;
    bool blank = true;
    for (const char *p = reason; *p && blank; p++)
        blank = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r';
    if (blank)
        return iom_fail(&c->err, IOM_EINVAL, "reason: blank; rule: a setting is changed with "
                                             "a reason");
    if (!value_json)
        return iom_fail(&c->err, IOM_EINVAL, "value: required (the new value as JSON)");
    if ((err = app_begin(c, true)))
        return err;
    iom_settings cur;
    iom_setting_t row;
    if ((err = app_actor(c)) ||
        (err = app_require_role(c, IOM_ROLE_BIT(IOM_ROLE_ADMIN), "settings set")) ||
        (err = app_settings_load(c, &cur)) || (err = current_row(c, id, &row)))
        return app_end(c, err);
    if (if_version > 0 && if_version != row.version)
        return app_end(c, iom_fail(&c->err, IOM_ECONFLICT,
                                   "%s: version %lld was read, but it is now at version %lld",
                                   name, (long long)if_version, (long long)row.version));
    iom_settings next = cur;
    if ((err = settings_apply(&next, id, value_json, &c->err)))
        return app_end(c, err);
    char *canon = iom_arena_alloc(c->arena, SETTINGS_VALUE_MAX * 2);
    if (!settings_format(&next, id, canon, SETTINGS_VALUE_MAX * 2))
        return app_end(c, iom_fail(&c->err, IOM_ETOOBIG, "%s: the value is too large", name));
    char *was = iom_arena_alloc(c->arena, SETTINGS_VALUE_MAX * 2);
    if (settings_format(&cur, id, was, SETTINGS_VALUE_MAX * 2) && strcmp(was, canon) == 0)
        return app_end(c, iom_fail(&c->err, IOM_EINVAL,
                                   "%s: the value is the same as version %lld; nothing to change",
                                   name, (long long)row.version));
    iom_setting_t x = {.name = (char *)settings_name(id), .version = row.version + 1,
                       .value_json = canon, .reason = (char *)reason,
                       .changed_by = c->actor.id, .changed_at = app_now(c)};
    if ((err = SETTINGS_STORE(c)->insert(c->store, &x, &c->err)) ||
        (err = current_row(c, id, out)))
        return app_end(c, err);
    err = audit_record(c, "setting.set", out->name, version_text(c, &row), version_text(c, out));
    return app_end(c, err);
}

iom_err app_settings_score(iom_ctx *c, const assess_input *in, json_t *assessment)
{
    iom_settings s;
    assess_result r;
    iom_err err = app_settings_load(c, &s);
    if (err || (err = assess_compute(&r, in, &s.assess, &c->err)))
        return err;
    if (!json_is_object(assessment))
        return iom_fail(&c->err, IOM_EINVAL, "assessment: must be an object");
    json_object_set_new(assessment, "score", json_real(r.score_tenths / 10.0));
    json_object_set_new(assessment, "band", json_string(assess_band_name(r.band)));
    json_object_set_new(assessment, "recommendation",
                        json_string(assess_recommendation_name(r.recommendation)));
    json_object_set_new(assessment, "rationale", json_string(r.rationale));
    json_object_set_new(assessment, "scoring_version",
                        json_integer(s.version[SETTINGS_ASSESSMENT_SCORING]));
    return IOM_OK;
}

iom_err app_settings_review_date(iom_ctx *c, int64_t now, char out[11])
{
    iom_settings s;
    iom_err err = app_settings_load(c, &s);
    if (!err)
        work_review_date(now, s.review_years, out);
    return err;
}

iom_err app_settings_intel(iom_ctx *c, const char *legacy, int64_t now, iom_intel_t *it)
{
    iom_settings s;
    iom_err err = app_settings_load(c, &s);
    if (err)
        return err;
    char *review = iom_arena_alloc(c->arena, 11);
    work_review_date(now, s.review_years, review);
    it->review_date = review;
    if (!legacy)
        return IOM_OK;
    /* The map's conditions point into s: copy the grade's into the arena. */
    grade_legacy_map map;
    settings_grade_map(&s, &map);
    char original[GRADE_LEGACY_MAX];
    if ((err = grade_from_legacy(&it->grade, original, legacy, &map, &c->err)))
        return err;
    if (it->grade.conditions)
        it->grade.conditions = iom_arena_strdup(c->arena, it->grade.conditions);
    it->legacy_grade = iom_arena_strdup(c->arena, original);
    it->grade_map_version = s.version[SETTINGS_GRADE_LEGACY_MAP];
    return IOM_OK;
}

iom_err app_settings_auth_policy(iom_ctx *c, const app_auth_policy *override, app_auth_policy *out)
{
    iom_settings s;
    iom_err err = app_settings_current(c, &s);
    if (err)
        settings_default(&s);
    *out = (app_auth_policy){.idle_seconds = (int64_t)s.idle_minutes * 60,
                             .absolute_seconds = (int64_t)s.absolute_hours * 3600,
                             .user_max_failures = s.user_max_failures,
                             .addr_max_failures = s.addr_max_failures,
                             .failure_window = (int64_t)s.failure_window_minutes * 60,
                             .lockout_seconds = (int64_t)s.lockout_minutes * 60};
    if (override) {
#define OVR(f)               \
    if (override->f > 0)     \
        out->f = override->f;
        OVR(idle_seconds)
        OVR(absolute_seconds)
        OVR(user_max_failures)
        OVR(addr_max_failures)
        OVR(failure_window)
        OVR(lockout_seconds)
#undef OVR
    }
    return err;
}
