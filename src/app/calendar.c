/* Bank holidays and working days (app/calendar.h). */
#include "app/calendar.h"

#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "app/json.h"
#include "app/settings.h"
#include "store/settings_store.h"
#include "domain/calendar.h"
#include "domain/products.h"
#include "util/text.h"
#include "util/timefmt.h"

static int64_t day_of(const char *ymd)
{
    int64_t day;
    return iom_day_number(ymd, &day) ? day : 0;
}

iom_err app_holiday_list(iom_ctx *c, int year, iom_holiday_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (year && (year < 1900 || year > 2999))
        return iom_fail(&c->err, IOM_EINVAL, "year: %d is not from 1900 to 2999", year);
    iom_err err = app_begin(c, false);
    if (err)
        return err;
    iom_holiday_t *v = NULL;
    size_t nv = 0, k = 0;
    if (!(err = app_actor(c)))
        err = c->store->ops->holiday_list(c->store, c->arena, &v, &nv, &c->err);
    for (size_t i = 0; !err && i < nv; i++)
        if (!year || strncmp(v[i].day, iom_arena_printf(c->arena, "%04d-", year), 5) == 0)
            v[k++] = v[i];
    if (!err) {
        *out = v;
        *n = k;
    }
    return app_end(c, err);
}

iom_err app_holiday_add(iom_ctx *c, const char *day, const char *name, iom_holiday_t *out)
{
    iom_err err = app_authorize_first(c, IOM_ROLE_BIT(IOM_ROLE_ADMIN), "holiday add");
    if (err || (err = iom_date_check("day", day, &c->err)) || (err = iom_text_check("name", name, 200, IOM_TEXT_REQUIRED | IOM_TEXT_SINGLE_LINE,
                                     &c->err)))
        return err;
    /* no date iom keeps is before 2000 (a bid's, a ToR's, a PND record's: review 100 L4) */
    if (strcmp(day, "2000-01-01") < 0)
        return iom_fail(&c->err, IOM_EINVAL, "day: %s is before 2000-01-01; no date iom counts working "
                        "days for is", day);
    /* weekends are never working days: a Saturday "holiday" is a mistyped day (review 97 L5) */
    int wd = calendar_weekday(day_of(day));
    if (wd >= 5)
        return iom_fail(&c->err, IOM_EINVAL, "day: %s is a %s; working days skip weekends already (a bank "
                        "holiday that falls on one is kept on the weekday it moves to)",
                        day, wd == 5 ? "Saturday" : "Sunday");
    if ((err = app_begin(c, true)))
        return err;
    if ((err = app_actor(c)) ||
        (err = app_require_role(c, IOM_ROLE_BIT(IOM_ROLE_ADMIN), "holiday add")))
        return app_end(c, err);
    *out = (iom_holiday_t){iom_arena_strdup(c->arena, day), iom_arena_strdup(c->arena, name)};
    json_t *j = json_pack("{s:s, s:s}", "day", day, "name", name);
    if (!(err = c->store->ops->holiday_insert(c->store, out, &c->err)))
        err = audit_record(c, "holiday.add", day, NULL, json_text(c->arena, j));
    json_decref(j);
    return app_end(c, err);
}

iom_err app_holiday_remove(iom_ctx *c, const char *day, const char *reason, iom_holiday_t *out)
{
    iom_err err = app_authorize_first(c, IOM_ROLE_BIT(IOM_ROLE_ADMIN), "holiday remove");
    if (err || (err = iom_date_check("day", day, &c->err)) ||
        (err = iom_text_check("reason", reason, 2000, IOM_TEXT_MULTI_LINE, &c->err)))
        return err;
    if ((err = app_begin(c, true)))
        return err;
    if ((err = app_actor(c)) ||
        (err = app_require_role(c, IOM_ROLE_BIT(IOM_ROLE_ADMIN), "holiday remove")))
        return app_end(c, err);
    iom_holiday_t *v;
    size_t n;
    if ((err = c->store->ops->holiday_list(c->store, c->arena, &v, &n, &c->err)))
        return app_end(c, err);
    size_t i = 0;
    while (i < n && strcmp(v[i].day, day) != 0)
        i++;
    if (i == n)
        return app_end(c, iom_fail(&c->err, IOM_ENOTFOUND, "holiday: %s is not a bank holiday", day));
    *out = v[i];
    json_t *before = json_pack("{s:s, s:s}", "day", v[i].day, "name", v[i].name);
    json_t *after = json_pack("{s:s}", "removed", day);
    if (reason && *reason)
        json_object_set_new(after, "reason", json_string(reason));
    if (!(err = c->store->ops->holiday_delete(c->store, day, &c->err)))
        err = audit_record(c, "holiday.remove", day, json_text(c->arena, before), json_text(c->arena, after));
    json_decref(before);
    json_decref(after);
    return app_end(c, err);
}

iom_err app_tasking_fill_triage_due(iom_ctx *c, iom_tasking_t *t, size_t n)
{
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        t[i].triage_due = 0;
        any = any || t[i].state == IOM_TS_SUBMITTED;
    }
    if (!any)
        return IOM_OK;
    iom_holiday_t *h;
    size_t nh = 0;
    iom_settings set;
    iom_setting_t *hv = NULL; /* every version of triage.target_days, newest first */
    size_t nhv = 0;
    iom_err err;
    if ((err = c->store->ops->settings->history(c->store, "triage.target_days", 0, 0, c->arena,
                                                &hv, &nhv, &c->err)) ||
        (err = c->store->ops->holiday_list(c->store, c->arena, &h, &nh, &c->err)))
        return err;
    /* The setting's current value is its newest version (the defaults when it never
       changed): only the triage targets are read below, so the other settings need no read. */
    settings_default(&set);
    if (nhv && settings_apply(&set, SETTINGS_TRIAGE_TARGET_DAYS, hv[0].value_json, NULL))
        settings_default(&set);
    int64_t *days = iom_arena_new(c->arena, int64_t, nh ? nh : 1);
    for (size_t i = 0; i < nh; i++)
        days[i] = day_of(h[i].day); /* the store lists them by day: sorted */
    for (size_t i = 0; i < n; i++) {
        if (t[i].state != IOM_TS_SUBMITTED)
            continue;
        char uk[32];
        iom_time_uk(t[i].state_since, uk); /* the UK date the bid was submitted */
        /* The targets in force when the bid was submitted: a later change of the setting
           applies to bids submitted after it (docs/settings.md). */
        iom_settings then = set;
        for (size_t j = 0; j < nhv; j++)
            if (hv[j].changed_at <= t[i].state_since) {
                if (settings_apply(&then, SETTINGS_TRIAGE_TARGET_DAYS, hv[j].value_json, NULL))
                    then = set;
                break;
            }
        t[i].triage_days = settings_triage_days(&then, t[i].urgency);
        t[i].triage_due = calendar_add_working_days(day_of(uk), t[i].triage_days, days, nh);
    }
    return IOM_OK;
}
