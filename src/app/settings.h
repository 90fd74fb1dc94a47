/*
 * settings.h: the settings use-cases (issue 13 point 1; domain/settings.h for the values and
 * their rules, store/settings_store.h for their storage).
 *
 *  - Reading: every signed-in user lists the settings and shows one with its history (they
 *    explain the scores, grades, review dates and limits everyone sees; they hold no content).
 *  - Changing: an admin sets a new value with a reason. The value is checked by the domain
 *    (refused with the rule named); a refusal writes nothing. An accepted change is the next
 *    version of the setting, audited as "setting.set" (before and after, with the reason) in
 *    the same transaction.
 *  - Using: the use-cases that depend on a setting load the current values inside their own
 *    transaction (app_settings_load: one read of the store) and store beside the record the
 *    version they used (an assessment its scoring version, a mapped grade its mapping
 *    version; an intelligence item's review date is stored with it). A change applies to
 *    records made after it; a record already made keeps what it was made with.
 *
 * Results live in ctx->arena; errors as app.h with the detail in ctx->err.
 */
#ifndef IOM_APP_SETTINGS_H
#define IOM_APP_SETTINGS_H

#include <jansson.h>

#include "app/app.h"
#include "app/auth.h"
#include "app/page.h"
#include "domain/settings.h"
#include "store/settings_store.h"
#include "store/work_store.h"

#define APP_SETTING_REASON_MAX 1000

/* Inside an open transaction: the current value of every setting (each setting's latest
   stored version over the defaults; out->version[] says which). A stored value that no longer
   passes the domain's check is IOM_ESTORE naming it (the store was changed behind iom). */
iom_err app_settings_load(iom_ctx *c, iom_settings *out);

/* The same in a read transaction of its own (or the held one). */
iom_err app_settings_current(iom_ctx *c, iom_settings *out);

/* `iom settings list`: the current version of every setting in the order of domain/settings.h
   (any signed-in user). OUT *out: arena array of SETTINGS_COUNT rows. */
iom_err app_settings_list(iom_ctx *c, iom_setting_t **out, size_t *n);

/* `iom settings show NAME`: its current version. IOM_EINVAL for an unknown name. */
iom_err app_settings_show(iom_ctx *c, const char *name, iom_setting_t *out);

/* `iom settings history NAME`: every version, newest first, by page (the cursor is the
   version number as text). */
iom_err app_settings_history(iom_ctx *c, const char *name, const app_page *p, iom_setting_t **out,
                             size_t *n, const char **next);

/* `iom settings set NAME --value JSON --reason TEXT` (admin): the next version. if_version
   (> 0) must be the current version (IOM_ECONFLICT otherwise). IOM_EINVAL naming the rule for
   a bad value, a missing reason, or a value equal to the current one. OUT *out: the new
   version. */
iom_err app_settings_set(iom_ctx *c, const char *name, const char *value_json,
                         const char *reason, int64_t if_version, iom_setting_t *out);

/* Inside an open write transaction, for a new version of an intelligence item made at `now`:
   sets it->review_date (arena) from intel.review_years and, when `legacy` is given, maps it
   again with the current grade.legacy_map, setting it->grade, it->legacy_grade and
   it->grade_map_version (the version used). */
iom_err app_settings_intel(iom_ctx *c, const char *legacy, int64_t now, iom_intel_t *it);

/* Inside an open transaction, for a bid's assessment: computes it under the current
   assessment.scoring setting and sets "score", "band", "recommendation", "rationale" and
   "scoring_version" in `assessment` (the bid's assessment object). */
iom_err app_settings_score(iom_ctx *c, const assess_input *in, json_t *assessment);

/* Inside an open transaction: the MoPI review date for a change made at `now`. */
iom_err app_settings_review_date(iom_ctx *c, int64_t now, char out[11]);

/*
 * The sign-in policy in force: auth.session and auth.lockout from the store (in a read
 * transaction of its own, or the held one), each field overridden by a non-zero field of
 * `override` (the `iom serve --idle-minutes/--absolute-hours` options; NULL: none). On a
 * store failure, the defaults with the overrides (the failure is kept in ctx->err and
 * returned).
 */
iom_err app_settings_auth_policy(iom_ctx *c, const app_auth_policy *override, app_auth_policy *out);

#endif
