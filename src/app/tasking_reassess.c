/* The reassessment: the SIA and the SIO sign the same assessment (app/tasking.h). */
#include "app/tasking_int.h"

#include <string.h>

#include "app/json.h"
#include "app/settings.h"

iom_err app_tasking_reassess(iom_ctx *c, const char *ref, const char *text, int64_t if_version,
                             iom_assessment_t *out)
{
    json_error_t je;
    size_t n = text ? strlen(text) : 0;
    if (!text)
        return iom_fail(&c->err, IOM_EINVAL, "assessment: no document given");
    if (n > 65536)
        return iom_fail(&c->err, IOM_ETOOBIG, "assessment: %zu bytes is over the limit of 64 KiB", n);
    json_t *doc = json_loadb(text, n, JSON_REJECT_DUPLICATES, &je);
    if (!doc)
        return iom_fail(&c->err, IOM_EINVAL, "assessment: invalid JSON at line %d column %d: %s",
                        je.line, je.column, json_error_reason(&je));
    assess_input in;
    assess_result r;
    iom_err err = app_assessment_from_json(c, doc, &in);
    if (err || (err = app_begin(c, true))) {
        json_decref(doc);
        return err;
    }
    app_tasking_scope sc;
    iom_settings set; /* scored under the assessment.scoring setting in force */
    if ((err = app_tasking_enter(c, ref, IOM_TA_REASSESS, if_version, &sc)) ||
        (err = app_settings_load(c, &set)) || (err = assess_compute(&r, &in, &set.assess, &c->err)))
        goto done;
    iom_tasking_rels rels = access_lifecycle_relations(&sc.actor, &sc.at);
    const char *role = (rels & IOM_REL_TASKING_SIA) ? "sia" : "sio";
    char *content = json_text_sorted(c->arena, doc);
    char *before = tasking_audit_text(c, &sc.t);
    iom_assessment_t latest;
    memset(&latest, 0, sizeof latest);
    bool sign_existing = false;
    err = TS(c)->assessment_latest(c->store, sc.t.id, "reassessment", c->arena, &latest, &c->err);
    if (err == IOM_ENOTFOUND) {
        iom_error_clear(&c->err);
        err = IOM_OK;
    } else if (!err) {
        /* signed for this part by whoever holds it now (a former SIO's signature is signed
           again by the SIO who holds the risk) */
        bool mine = strcmp(role, "sia") == 0
                        ? latest.sia_signed_by != 0 && latest.sia_signed_by == sc.t.sia_id
                        : latest.sio_signed_by != 0 && latest.sio_signed_by == sc.t.threat_sio_id;
        sign_existing = strcmp(latest.content_json, content) == 0 && !mine;
        if (strcmp(latest.content_json, content) == 0 && mine)
            err = iom_fail(&c->err, IOM_ECONFLICT,
                           "assessment: the %s has already signed this assessment (version %lld)", role,
                           (long long)latest.version);
    }
    if (err)
        goto done;
    int64_t id = latest.id;
    if (!sign_existing) {
        iom_assessment_t x = {.tasking_id = sc.t.id, .kind = "reassessment", .content_json = content,
                              .score_tenths = r.score_tenths, .band = (char *)assess_band_name(r.band),
                              .recommendation = (char *)assess_recommendation_name(r.recommendation),
                              .rationale = r.rationale, .proposed_by = c->actor.id,
                              .proposed_at = app_now(c),
                              .scoring_version = set.version[SETTINGS_ASSESSMENT_SCORING]};
        if ((err = TS(c)->assessment_insert(c->store, &x, &c->err)))
            goto done;
        id = x.id;
    }
    /* the other part's signature by someone who no longer holds it (a former SIO) no longer
       counts: withdrawn, so that two signatures always mean signed by both */
    if (sign_existing) {
        bool sia = strcmp(role, "sia") == 0;
        int64_t other_by = sia ? latest.sio_signed_by : latest.sia_signed_by;
        int64_t other_holder = sia ? sc.t.threat_sio_id : sc.t.sia_id;
        if (other_by && other_by != other_holder &&
            (err = TS(c)->assessment_unsign(c->store, id, sia ? "sio" : "sia", &c->err)))
            goto done;
    }
    /* A newly signed reassessment clears the SIO's agreement to a transfer (review 113 M1): a
       new version has none of its own, and a new signature of the same one (a new holder of a
       part) asks the SIO to agree again to what both now sign. */
    const char *what = sign_existing ? "signed the same assessment" : "proposed a new assessment";
    if (latest.transfer_agreed_by) {
        if (sign_existing &&
            (err = TS(c)->assessment_agree_transfer(c->store, id, 0, 0, &c->err)))
            goto done;
        what = iom_arena_printf(c->arena, "%s; the SIO's agreement to a transfer (on version %lld) is "
                                          "cleared: the SIO agrees again on the reassessment both sign",
                                what, (long long)latest.version);
    }
    if ((err = TS(c)->assessment_sign(c->store, id, role, c->actor.id, app_now(c), &c->err)) ||
        (err = app_tasking_touch(c, &sc.t)) ||
        (err = tasking_record(c, &sc.t, "reassess", sc.role, (int)sc.t.state, what, before, NULL)) ||
        (err = TS(c)->assessment_latest(c->store, sc.t.id, "reassessment", c->arena, out, &c->err)))
        goto done;
done:
    json_decref(doc);
    return app_end(c, err);
}
