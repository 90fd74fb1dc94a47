/* JSON of taskings (docs/api.md) and strict decoding of bid, assessment and ToR documents. */
#include <string.h>

#include "app/json.h"
#include "app/tasking.h"
#include "domain/products.h"
#include "util/jsonw.h"
#include "util/text.h"
#include "util/timefmt.h"

#define JSON_DOC_MAX (1u << 20)

/* "YYYY-MM-DD" of a civil day number (static storage of the calling thread). */
static const char *day_text(int64_t day)
{
    static _Thread_local char out[32];
    iom_time_utc(day * 86400, out);
    out[10] = '\0';
    return out;
}

json_t *json_of_tasking(const iom_tasking_t *t, bool content)
{
    json_t *j = json_object();
    json_object_set_new(j, "ref", json_string(t->ref));
    json_object_set_new(j, "state", json_string(lifecycle_state_name(t->state)));
    json_object_set_new(j, "threat", json_string(t->threat_ref));
    json_object_set_new(j, "threat_title", json_str_or_null(t->threat_title));
    json_object_set_new(j, "type", json_string(iom_threat_type_name(t->threat_type)));
    json_object_set_new(j, "requesting_agency", json_string(t->requesting_agency));
    json_object_set_new(j, "requesting_region", json_str_or_null(t->requesting_region));
    json_object_set_new(j, "owner", json_string(t->owner));
    json_object_set_new(j, "owner_region", json_str_or_null(t->owner_region));
    json_object_set_new(j, "sio", json_str_or_null(t->threat_sio));
    json_object_set_new(j, "bid_sio", json_str_or_null(t->sio));
    json_object_set_new(j, "spoc", json_str_or_null(t->spoc));
    json_object_set_new(j, "customer", json_str_or_null(t->customer));
    json_object_set_new(j, "sia", json_str_or_null(t->sia));
    json_object_set_new(j, "urgency", json_string(products_urgency_name(t->urgency)));
    json_object_set_new(j, "marking", json_string(iom_marking_name(t->marking)));
    json_object_set_new(j, "reached_toex", json_boolean(t->reached_toex));
    json_object_set_new(j, "escalated_ftt", json_boolean(t->escalated_ftt));
    json_object_set_new(j, "version", json_integer(t->version));
    json_object_set_new(j, "state_since", json_time(t->state_since));
    json_object_set_new(j, "created_at", json_time(t->created_at));
    json_object_set_new(j, "updated_at", json_time(t->updated_at));
    json_object_set_new(j, "triage_due", t->triage_due ? json_string(day_text(t->triage_due))
                                                       : json_null());
    if (content && t->bid_json) {
        json_t *bid = json_loads(t->bid_json, 0, NULL);
        json_object_set_new(j, "bid", bid ? bid : json_null());
    }
    return j;
}

/* A member: KEY is the literal "name" (jsonw_key's text without the colon, so keys are not
   escaped per row). A string value that is not valid UTF-8 leaves the member out, as
   json_object_set_new with json_string does; NULL is null where null_ok, else left out. */
#define W_KEY(b, first, key)                                                                   \
    do {                                                                                       \
        iom_buf_append((b), *(first) ? "\"" key "\":" : ",\"" key "\":",                         \
                       sizeof(key) + (*(first) ? 2 : 3));                                      \
        *(first) = false;                                                                      \
    } while (0)
#define W_STR(b, first, key, v, null_ok)                                                       \
    do {                                                                                       \
        const char *v_ = (v);                                                                  \
        size_t n_ = v_ ? strlen(v_) : 0;                                                       \
        if (v_ ? jsonw_utf8_okn(v_, n_) : (null_ok)) {                                         \
            W_KEY(b, first, key);                                                              \
            if (v_)                                                                            \
                jsonw_strn((b), v_, n_);                                                       \
            else                                                                               \
                iom_buf_append((b), "null", 4);                                                \
        }                                                                                      \
    } while (0)
/* A time as iom_time_utc writes it: ASCII digits and punctuation, nothing to check or escape */
#define W_TIME(b, first, key, t)                                                               \
    do {                                                                                       \
        char when_[32];                                                                        \
        iom_time_utc((t), when_);                                                              \
        W_KEY(b, first, key);                                                                  \
        iom_buf_putc((b), '"');                                                                \
        iom_buf_puts((b), when_);                                                              \
        iom_buf_putc((b), '"');                                                                \
    } while (0)

/* The members of json_of_tasking(t, false), after the object's '{'. */
static void write_tasking_members(iom_buf *b, const iom_tasking_t *t, bool *firstp)
{
    bool first = *firstp;
    W_STR(b, &first, "ref", t->ref, false);
    W_STR(b, &first, "state", lifecycle_state_name(t->state), false);
    W_STR(b, &first, "threat", t->threat_ref, false);
    W_STR(b, &first, "threat_title", t->threat_title, true);
    W_STR(b, &first, "type", iom_threat_type_name(t->threat_type), false);
    W_STR(b, &first, "requesting_agency", t->requesting_agency, false);
    W_STR(b, &first, "requesting_region", t->requesting_region, true);
    W_STR(b, &first, "owner", t->owner, false);
    W_STR(b, &first, "owner_region", t->owner_region, true);
    W_STR(b, &first, "sio", t->threat_sio, true);
    W_STR(b, &first, "bid_sio", t->sio, true);
    W_STR(b, &first, "spoc", t->spoc, true);
    W_STR(b, &first, "customer", t->customer, true);
    W_STR(b, &first, "sia", t->sia, true);
    W_STR(b, &first, "urgency", products_urgency_name(t->urgency), false);
    W_STR(b, &first, "marking", iom_marking_name(t->marking), false);
    W_KEY(b, &first, "reached_toex");
    jsonw_bool(b, t->reached_toex);
    W_KEY(b, &first, "escalated_ftt");
    jsonw_bool(b, t->escalated_ftt);
    W_KEY(b, &first, "version");
    jsonw_int(b, t->version);
    W_TIME(b, &first, "state_since", t->state_since);
    W_TIME(b, &first, "created_at", t->created_at);
    W_TIME(b, &first, "updated_at", t->updated_at);
    W_STR(b, &first, "triage_due", t->triage_due ? day_text(t->triage_due) : NULL, true);
    *firstp = first;
}

void json_write_tasking(iom_buf *b, const iom_tasking_t *t)
{
    /* The members and their order are json_of_tasking(t, false)'s; a test compares the two. */
    bool first = true;
    iom_buf_putc(b, '{');
    write_tasking_members(b, t, &first);
    iom_buf_putc(b, '}');
}

#undef W_KEY
#undef W_STR
#undef W_TIME

json_t *json_of_tor(const iom_tor_t *t)
{
    json_t *content = json_loads(t->content_json ? t->content_json : "{}", 0, NULL);
    json_t *agreed = json_pack("{s:o, s:o}", "sia",
                               t->sia_agreed ? json_pack("{s:s, s:o}", "by", t->sia_agreed, "at",
                                                         json_time(t->sia_agreed_at))
                                             : json_null(),
                               "sio",
                               t->sio_agreed ? json_pack("{s:s, s:o}", "by", t->sio_agreed, "at",
                                                         json_time(t->sio_agreed_at))
                                             : json_null());
    json_t *done = json_array();
    for (size_t i = 0; i < t->ndone; i++)
        json_array_append_new(done, json_pack("{s:s, s:o, s:s}", "name", t->done[i].name,
                                              "at", json_time(t->done[i].done_at), "by",
                                              t->done[i].done_by));
    return json_pack("{s:I, s:o, s:o, s:o, s:o, s:b, s:o}", "version", (json_int_t)t->version,
                     "content", content ? content : json_object(), "proposed_by",
                     json_str_or_null(t->proposer), "proposed_at", json_time(t->proposed_at),
                     "agreements", agreed, "agreed_by_both", t->sia_agreed && t->sio_agreed,
                     "milestones_done", done);
}

json_t *json_of_assessment(const iom_assessment_t *a)
{
    json_t *input = json_loads(a->content_json ? a->content_json : "{}", 0, NULL);
    json_t *j = json_pack("{s:s, s:I, s:o, s:f, s:s, s:s, s:s, s:b, s:b, s:o}", "kind", a->kind,
                     "version", (json_int_t)a->version, "input", input ? input : json_object(),
                     "score", a->score_tenths / 10.0, "band", a->band, "recommendation",
                     a->recommendation, "rationale", a->rationale, "signed_by_sia",
                     a->sia_signed_by != 0, "signed_by_sio", a->sio_signed_by != 0,
                     "proposed_at", json_time(a->proposed_at));
    json_object_set_new(j, "scoring_version",
                        json_integer(a->scoring_version > 0 ? a->scoring_version : 1));
    json_object_set_new(j, "transfer_agreed",
                        a->transfer_agreed ? json_pack("{s:s, s:o}", "by", a->transfer_agreed, "at",
                                                       json_time(a->transfer_agreed_at))
                                           : json_null());
    return j;
}

json_t *json_of_transfer(const iom_transfer_t *t)
{
    /* rationale null where it is withheld (from the APMIS recorder), as the other reasons; who
       and when of each step (review 113 L3: who decided and when was in the history only) */
    json_t *j = json_object();
    json_object_set_new(j, "from_owner", json_string(t->from_owner ? t->from_owner : ""));
    json_object_set_new(j, "rationale", json_str_or_null(t->rationale));
    json_object_set_new(j, "requested_by", json_str_or_null(t->requester));
    json_object_set_new(j, "requested_at", json_time(t->requested_at));
    json_object_set_new(j, "agreed_by", json_str_or_null(t->agreed));
    json_object_set_new(j, "agreed_at", t->agreed ? json_time(t->agreed_at) : json_null());
    json_object_set_new(j, "escalated_by", json_str_or_null(t->escalator));
    json_object_set_new(j, "escalated_at", t->escalated_at ? json_time(t->escalated_at) : json_null());
    json_object_set_new(j, "escalation_rationale", json_str_or_null(t->escalation_rationale));
    json_object_set_new(j, "decided_by", json_str_or_null(t->decider));
    json_object_set_new(j, "decided_at", t->decided_at ? json_time(t->decided_at) : json_null());
    json_object_set_new(j, "decided_as", json_str_or_null(t->decided_as));
    json_object_set_new(j, "decision", json_str_or_null(t->decision));
    json_object_set_new(j, "decision_reason", json_str_or_null(t->decision_reason));
    json_object_set_new(j, "new_owner", json_str_or_null(t->new_owner));
    json_object_set_new(j, "new_sio", json_str_or_null(t->new_sio));
    return j;
}

json_t *json_of_tasking_view(const app_tasking_view *v)
{
    json_t *j = json_of_tasking(&v->t, v->access.content);
    json_object_set_new(j, "access", json_string(access_relation_name(v->access.relation)));
    if (v->access.content) {
        json_t *team = json_array();
        for (size_t i = 0; i < v->nmembers; i++)
            json_array_append_new(team, json_string(v->members[i].user));
        json_object_set_new(j, "team", team);
        json_object_set_new(j, "tor", v->has_tor ? json_of_tor(&v->tor) : json_null());
        json_object_set_new(j, "tor_agreed_version",
                            v->tor_agreed_version ? json_integer(v->tor_agreed_version) : json_null());
        json_object_set_new(j, "reassessment",
                            v->has_reassessment ? json_of_assessment(&v->reassessment) : json_null());
    }
    json_object_set_new(j, "transfer", v->has_transfer ? json_of_transfer(&v->transfer) : json_null());
    json_t *hist = json_array();
    for (size_t i = 0; i < v->nevents; i++) {
        const iom_tasking_event_t *ev = &v->events[i];
        json_array_append_new(
            hist, json_pack("{s:o, s:s, s:o, s:o, s:o, s:s, s:o}", "at", json_time(ev->at),
                            "action", ev->action, "by", json_str_or_null(ev->actor), "role",
                            json_str_or_null(ev->role), "from",
                            ev->from_state >= 0 ? json_string(lifecycle_state_name((iom_tasking_state)ev->from_state))
                                                : json_null(),
                            "to", lifecycle_state_name(ev->to_state), "reason",
                            v->access.content ? json_str_or_null(ev->reason) : json_null()));
    }
    json_object_set_new(j, "history", hist);
    json_t *acts = json_array();
    for (int a = 0; a < IOM_TA_COUNT; a++)
        if (v->allowed_actions & (1u << a))
            json_array_append_new(acts, json_string(lifecycle_action_name((iom_tasking_action)a)));
    json_object_set_new(j, "actions", acts);
    json_t *blocked = json_array();
    for (int a = 0; a < IOM_TA_COUNT; a++)
        if (v->blocked[a])
            json_array_append_new(blocked, json_pack("{s:s, s:s}", "action",
                                                     lifecycle_action_name((iom_tasking_action)a), "why",
                                                     v->blocked[a]));
    json_object_set_new(j, "blocked", blocked);
    return j;
}

/* ---- strict decoding ----------------------------------------------------------------- */

static iom_err parse_doc(iom_ctx *c, const char *what, const char *text, json_t **root)
{
    if (!text)
        return iom_fail(&c->err, IOM_EINVAL, "%s: no document given", what);
    size_t n = strlen(text);
    if (n > JSON_DOC_MAX)
        return iom_fail(&c->err, IOM_ETOOBIG, "%s: %zu bytes is over the limit of %u bytes", what, n,
                        JSON_DOC_MAX);
    json_error_t je;
    *root = json_loadb(text, n, JSON_REJECT_DUPLICATES, &je);
    if (!*root)
        return iom_fail(&c->err, IOM_EINVAL, "%s: invalid JSON at line %d column %d: %s", what, je.line,
                        je.column, json_error_reason(&je));
    if (!json_is_object(*root)) {
        json_decref(*root);
        *root = NULL;
        return iom_fail(&c->err, IOM_EINVAL, "%s: the document must be a JSON object", what);
    }
    return IOM_OK;
}

/* Refuses keys not in `allowed` (NULL-terminated). */
static iom_err only_keys(iom_ctx *c, const char *what, json_t *obj, const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        bool ok = false;
        for (size_t i = 0; allowed[i] && !ok; i++)
            ok = strcmp(allowed[i], key) == 0;
        if (!ok)
            return iom_fail(&c->err, IOM_EINVAL, "%s: unknown field '%.64s'", what, key);
    }
    return IOM_OK;
}

static iom_err get_str(iom_ctx *c, json_t *obj, const char *key, const char **out)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return IOM_OK;
    if (!json_is_string(v))
        return iom_fail(&c->err, IOM_EINVAL, "%s: must be a string", key);
    if (strlen(json_string_value(v)) != json_string_length(v))
        return iom_fail(&c->err, IOM_EINVAL, "%s: must not contain a NUL character", key);
    *out = json_string_value(v);
    return IOM_OK;
}

static iom_err get_str_list(iom_ctx *c, json_t *obj, const char *key, const char **out, size_t *n)
{
    json_t *v = json_object_get(obj, key);
    *n = 0;
    if (!v || json_is_null(v))
        return IOM_OK;
    if (!json_is_array(v))
        return iom_fail(&c->err, IOM_EINVAL, "%s: must be a list of strings", key);
    if (json_array_size(v) > APP_MAX_LIST_ITEMS)
        return iom_fail(&c->err, IOM_ETOOBIG, "%s: at most %d items", key, APP_MAX_LIST_ITEMS);
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item) {
        if (!json_is_string(item) || strlen(json_string_value(item)) != json_string_length(item))
            return iom_fail(&c->err, IOM_EINVAL, "%s[%zu]: must be a string", key, i);
        out[(*n)++] = json_string_value(item);
    }
    return IOM_OK;
}

static iom_err get_int(iom_ctx *c, json_t *obj, const char *key, int lo, int hi, int *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return iom_fail(&c->err, IOM_EINVAL, "%s: required (a whole number from %d to %d)", key, lo, hi);
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
        return iom_fail(&c->err, IOM_EINVAL, "%s: must be a whole number from %d to %d", key, lo, hi);
    *out = (int)json_integer_value(v);
    return IOM_OK;
}

iom_err app_assessment_from_json(iom_ctx *c, json_t *obj, assess_input *out)
{
    static const char *const keys[] = {"harm", "scale", "likelihood", "confidence", "capacity",
                                       "capability", "needs_national_capability",
                                       "needs_rocu_capability", NULL};
    memset(out, 0, sizeof *out);
    if (!json_is_object(obj))
        return iom_fail(&c->err, IOM_EINVAL, "assessment: must be an object");
    iom_err err = only_keys(c, "assessment", obj, keys);
    if (err)
        return err;
    json_t *harm = json_object_get(obj, "harm");
    if (!json_is_object(harm))
        return iom_fail(&c->err, IOM_EINVAL,
                        "assessment.harm: required object with physical, psychological, financial, "
                        "community, victim_vulnerability (each 0-4)");
    const char *hk[IOM_HARM_COUNT + 1];
    for (int h = 0; h < IOM_HARM_COUNT; h++)
        hk[h] = assess_harm_name((iom_harm)h);
    hk[IOM_HARM_COUNT] = NULL;
    if ((err = only_keys(c, "assessment.harm", harm, hk)))
        return err;
    for (int h = 0; h < IOM_HARM_COUNT; h++)
        if ((err = get_int(c, harm, hk[h], 0, 4, &out->harm[h])))
            return err;
    const char *conf = NULL;
    if ((err = get_int(c, obj, "scale", 1, 4, &out->scale)) ||
        (err = get_int(c, obj, "likelihood", 1, 5, &out->likelihood)) ||
        (err = get_int(c, obj, "capacity", 0, 4, &out->capacity)) ||
        (err = get_int(c, obj, "capability", 0, 4, &out->capability)) ||
        (err = get_str(c, obj, "confidence", &conf)))
        return err;
    if (!conf)
        return iom_fail(&c->err, IOM_EINVAL, "confidence: required (low, medium or high)");
    if ((err = assess_confidence_parse(conf, &out->confidence, &c->err)))
        return err;
    const char *flags[] = {"needs_national_capability", "needs_rocu_capability"};
    bool *dst[] = {&out->needs_national_capability, &out->needs_rocu_capability};
    for (int i = 0; i < 2; i++) {
        json_t *v = json_object_get(obj, flags[i]);
        if (v && !json_is_boolean(v))
            return iom_fail(&c->err, IOM_EINVAL, "%s: must be true or false", flags[i]);
        *dst[i] = v && json_is_true(v);
    }
    return assess_input_check(out, &c->err);
}

iom_err app_bid_from_json(iom_ctx *c, const char *text, json_t **root, app_bid_input *out)
{
    static const char *const keys[] = {"threat", "requesting_agency", "customer", "ftm_date",
                                       "ftm_ref", "type", "summary", "known", "requirements",
                                       "services", "urgency", "timeline", "marking",
                                       "assessment", "region", NULL};
    memset(out, 0, sizeof *out);
    iom_err err = parse_doc(c, "bid", text, root);
    if (err)
        return err;
    json_t *o = *root;
    if ((err = only_keys(c, "bid", o, keys)) || (err = get_str(c, o, "threat", &out->threat)) ||
        (err = get_str(c, o, "requesting_agency", &out->requesting_agency)) ||
        (err = get_str(c, o, "region", &out->region)) ||
        (err = get_str(c, o, "customer", &out->customer)) ||
        (err = get_str(c, o, "ftm_date", &out->ftm_date)) ||
        (err = get_str(c, o, "ftm_ref", &out->ftm_ref)) || (err = get_str(c, o, "type", &out->type)) ||
        (err = get_str(c, o, "summary", &out->summary)) || (err = get_str(c, o, "known", &out->known)) ||
        (err = get_str(c, o, "urgency", &out->urgency)) ||
        (err = get_str(c, o, "timeline", &out->timeline)) ||
        (err = get_str(c, o, "marking", &out->marking)) ||
        (err = get_str_list(c, o, "requirements", out->requirements, &out->nrequirements)) ||
        (err = get_str_list(c, o, "services", out->services, &out->nservices)))
        return err;
    json_t *a = json_object_get(o, "assessment");
    if (a && !json_is_null(a)) {
        out->has_assessment = true;
        if ((err = app_assessment_from_json(c, a, &out->assessment)))
            return err;
    }
    return IOM_OK;
}

/* ---- the view as text ------------------------------------------------------------------ */

/* json_of_tasking_view written straight to text (a content read's answer: the tree, its dump,
   its marking scan and its free were a third of a content read's CPU in `iom serve`, perf).
   The text is byte for byte jsonw_json(json_of_tasking_view(v)); tests/unit/test_jsonw.c
   compares the two. Where jansson would drop a value (a string that is not UTF-8 makes
   json_string NULL: json_object_set_new leaves that member out, json_pack fails whole), the
   same is left out here: what a json_pack'ed object would be is written and cut back on the
   first such string. */

static void cut(iom_buf *b, size_t at)
{
    b->len = at;
    if (b->data)
        b->data[at] = '\0';
}

/* json_pack's "s" (NULL fails) and "o" of json_str_or_null (NULL is null). */
static bool pk_str(iom_buf *b, const char *s, bool null_ok)
{
    if (!s) {
        if (null_ok)
            iom_buf_append(b, "null", 4);
        return null_ok;
    }
    size_t n = strlen(s);
    if (!jsonw_utf8_okn(s, n))
        return false;
    jsonw_strn(b, s, n);
    return true;
}

static void pk_time(iom_buf *b, int64_t t)
{
    char when[32];
    iom_time_utc(t, when);
    iom_buf_putc(b, '"');
    iom_buf_puts(b, when);
    iom_buf_putc(b, '"');
}

/* A stored JSON document as json_loads then jsonw_json would print it; `if_bad` when jansson
   refuses it. */
static void put_doc(iom_buf *b, const char *text, const char *if_bad)
{
    if (jsonw_canon(b, text, strlen(text)))
        return;
    json_t *j = json_loads(text, 0, NULL);
    if (j)
        jsonw_json(b, j);
    else
        iom_buf_puts(b, if_bad);
    json_decref(j);
}

/* {"by":..,"at":..} of a ToR agreement, null when not agreed. */
static bool write_agreement(iom_buf *b, const char *by, int64_t at)
{
    if (!by) {
        iom_buf_puts(b, "null");
        return true;
    }
    iom_buf_puts(b, "{\"by\":");
    if (!pk_str(b, by, false))
        return false;
    iom_buf_puts(b, ",\"at\":");
    pk_time(b, at);
    iom_buf_putc(b, '}');
    return true;
}

static bool write_tor(iom_buf *b, const iom_tor_t *t)
{
    iom_buf_append(b, "{\"version\":", 11);
    jsonw_int(b, t->version);
    iom_buf_puts(b, ",\"content\":");
    put_doc(b, t->content_json ? t->content_json : "{}", "{}");
    iom_buf_puts(b, ",\"proposed_by\":");
    if (!pk_str(b, t->proposer, true))
        return false;
    iom_buf_puts(b, ",\"proposed_at\":");
    pk_time(b, t->proposed_at);
    iom_buf_puts(b, ",\"agreements\":{\"sia\":");
    if (!write_agreement(b, t->sia_agreed, t->sia_agreed_at))
        return false;
    iom_buf_puts(b, ",\"sio\":");
    if (!write_agreement(b, t->sio_agreed, t->sio_agreed_at))
        return false;
    iom_buf_puts(b, "},\"agreed_by_both\":");
    jsonw_bool(b, t->sia_agreed && t->sio_agreed);
    iom_buf_puts(b, ",\"milestones_done\":[");
    bool first = true;
    for (size_t i = 0; i < t->ndone; i++) {
        size_t at = b->len;
        if (!first)
            iom_buf_putc(b, ',');
        iom_buf_puts(b, "{\"name\":");
        bool ok = pk_str(b, t->done[i].name, false);
        if (ok) {
            iom_buf_puts(b, ",\"at\":");
            pk_time(b, t->done[i].done_at);
            iom_buf_puts(b, ",\"by\":");
            ok = pk_str(b, t->done[i].done_by, false);
        }
        if (!ok) { /* json_array_append_new(done, NULL): no element */
            cut(b, at);
            continue;
        }
        iom_buf_putc(b, '}');
        first = false;
    }
    iom_buf_puts(b, "]}");
    return true;
}

static bool write_assessment(iom_buf *b, const iom_assessment_t *a)
{
    iom_buf_puts(b, "{\"kind\":");
    if (!pk_str(b, a->kind, false))
        return false;
    iom_buf_puts(b, ",\"version\":");
    jsonw_int(b, a->version);
    iom_buf_puts(b, ",\"input\":");
    put_doc(b, a->content_json ? a->content_json : "{}", "{}");
    iom_buf_puts(b, ",\"score\":");
    if (!jsonw_real(b, a->score_tenths / 10.0))
        return false;
    iom_buf_puts(b, ",\"band\":");
    if (!pk_str(b, a->band, false))
        return false;
    iom_buf_puts(b, ",\"recommendation\":");
    if (!pk_str(b, a->recommendation, false))
        return false;
    iom_buf_puts(b, ",\"rationale\":");
    if (!pk_str(b, a->rationale, false))
        return false;
    iom_buf_puts(b, ",\"signed_by_sia\":");
    jsonw_bool(b, a->sia_signed_by != 0);
    iom_buf_puts(b, ",\"signed_by_sio\":");
    jsonw_bool(b, a->sio_signed_by != 0);
    iom_buf_puts(b, ",\"proposed_at\":");
    pk_time(b, a->proposed_at);
    iom_buf_puts(b, ",\"scoring_version\":");
    jsonw_int(b, a->scoring_version > 0 ? a->scoring_version : 1);
    iom_buf_puts(b, ",\"transfer_agreed\":");
    if (!write_agreement(b, a->transfer_agreed, a->transfer_agreed_at))
        return false;
    iom_buf_putc(b, '}');
    return true;
}

/* The members of json_of_transfer, which sets each with json_object_set_new: a member whose
   string is not UTF-8 is left out (json_string gives NULL), the others kept. */
static void transfer_key(iom_buf *b, bool *first, const char *key)
{
    iom_buf_puts(b, *first ? "\"" : ",\"");
    iom_buf_puts(b, key);
    iom_buf_puts(b, "\":");
    *first = false;
}

static void transfer_str(iom_buf *b, bool *first, const char *key, const char *v, bool null_ok)
{
    if (v ? !jsonw_utf8_ok(v) : !null_ok)
        return;
    transfer_key(b, first, key);
    pk_str(b, v, true);
}

static void transfer_time(iom_buf *b, bool *first, const char *key, bool set, int64_t t)
{
    transfer_key(b, first, key);
    if (set)
        pk_time(b, t);
    else
        iom_buf_puts(b, "null");
}

static bool write_transfer(iom_buf *b, const iom_transfer_t *t)
{
    bool first = true;
    iom_buf_putc(b, '{');
    transfer_str(b, &first, "from_owner", t->from_owner ? t->from_owner : "", false);
    transfer_str(b, &first, "rationale", t->rationale, true);
    transfer_str(b, &first, "requested_by", t->requester, true);
    transfer_time(b, &first, "requested_at", true, t->requested_at);
    transfer_str(b, &first, "agreed_by", t->agreed, true);
    transfer_time(b, &first, "agreed_at", t->agreed != NULL, t->agreed_at);
    transfer_str(b, &first, "escalated_by", t->escalator, true);
    transfer_time(b, &first, "escalated_at", t->escalated_at != 0, t->escalated_at);
    transfer_str(b, &first, "escalation_rationale", t->escalation_rationale, true);
    transfer_str(b, &first, "decided_by", t->decider, true);
    transfer_time(b, &first, "decided_at", t->decided_at != 0, t->decided_at);
    transfer_str(b, &first, "decided_as", t->decided_as, true);
    transfer_str(b, &first, "decision", t->decision, true);
    transfer_str(b, &first, "decision_reason", t->decision_reason, true);
    transfer_str(b, &first, "new_owner", t->new_owner, true);
    transfer_str(b, &first, "new_sio", t->new_sio, true);
    iom_buf_putc(b, '}');
    return true;
}

/* ,"key": then what `w` writes; the member is left out when w fails (json_object_set_new of
   a NULL value). */
#define MEMBER(b, key, call)                                                                   \
    do {                                                                                       \
        size_t at_ = (b)->len;                                                                 \
        iom_buf_puts((b), ",\"" key "\":");                                                    \
        if (!(call))                                                                           \
            cut((b), at_);                                                                     \
    } while (0)

void json_write_tasking_view(iom_buf *b, const app_tasking_view *v)
{
    const iom_tasking_t *t = &v->t;
    bool first = true;
    iom_buf_putc(b, '{');
    write_tasking_members(b, t, &first);
    /* the members below follow at least "version" and the times: never first */
    if (v->access.content && t->bid_json) {
        iom_buf_puts(b, ",\"bid\":");
        put_doc(b, t->bid_json, "null");
    }
    iom_buf_puts(b, ",\"access\":");
    jsonw_str(b, access_relation_name(v->access.relation));
    if (v->access.content) {
        iom_buf_puts(b, ",\"team\":[");
        bool f = true;
        for (size_t i = 0; i < v->nmembers; i++) {
            const char *u = v->members[i].user;
            if (!u || !jsonw_utf8_ok(u))
                continue;
            if (!f)
                iom_buf_putc(b, ',');
            jsonw_str(b, u);
            f = false;
        }
        iom_buf_putc(b, ']');
        if (v->has_tor)
            MEMBER(b, "tor", write_tor(b, &v->tor));
        else
            iom_buf_puts(b, ",\"tor\":null");
        iom_buf_puts(b, ",\"tor_agreed_version\":");
        if (v->tor_agreed_version)
            jsonw_int(b, v->tor_agreed_version);
        else
            iom_buf_puts(b, "null");
        if (v->has_reassessment)
            MEMBER(b, "reassessment", write_assessment(b, &v->reassessment));
        else
            iom_buf_puts(b, ",\"reassessment\":null");
    }
    if (v->has_transfer)
        MEMBER(b, "transfer", write_transfer(b, &v->transfer));
    else
        iom_buf_puts(b, ",\"transfer\":null");
    iom_buf_puts(b, ",\"history\":[");
    bool f = true;
    for (size_t i = 0; i < v->nevents; i++) {
        const iom_tasking_event_t *ev = &v->events[i];
        size_t at = b->len;
        if (!f)
            iom_buf_putc(b, ',');
        iom_buf_puts(b, "{\"at\":");
        pk_time(b, ev->at);
        iom_buf_puts(b, ",\"action\":");
        bool ok = pk_str(b, ev->action, false);
        if (ok) {
            iom_buf_puts(b, ",\"by\":");
            ok = pk_str(b, ev->actor, true);
        }
        if (ok) {
            iom_buf_puts(b, ",\"role\":");
            ok = pk_str(b, ev->role, true);
        }
        if (ok) {
            iom_buf_puts(b, ",\"from\":");
            if (ev->from_state >= 0)
                jsonw_str(b, lifecycle_state_name((iom_tasking_state)ev->from_state));
            else
                iom_buf_puts(b, "null");
            iom_buf_puts(b, ",\"to\":");
            jsonw_str(b, lifecycle_state_name(ev->to_state));
            iom_buf_puts(b, ",\"reason\":");
            ok = pk_str(b, v->access.content ? ev->reason : NULL, true);
        }
        if (!ok) { /* json_pack failed: json_array_append_new(hist, NULL) adds nothing */
            cut(b, at);
            continue;
        }
        iom_buf_putc(b, '}');
        f = false;
    }
    iom_buf_puts(b, "],\"actions\":[");
    f = true;
    for (int a = 0; a < IOM_TA_COUNT; a++)
        if (v->allowed_actions & (1u << a)) {
            if (!f)
                iom_buf_putc(b, ',');
            jsonw_str(b, lifecycle_action_name((iom_tasking_action)a));
            f = false;
        }
    iom_buf_puts(b, "],\"blocked\":[");
    f = true;
    for (int a = 0; a < IOM_TA_COUNT; a++)
        if (v->blocked[a]) {
            iom_buf_puts(b, f ? "{\"action\":" : ",{\"action\":");
            jsonw_str(b, lifecycle_action_name((iom_tasking_action)a));
            iom_buf_puts(b, ",\"why\":");
            jsonw_str(b, v->blocked[a]);
            iom_buf_putc(b, '}');
            f = false;
        }
    iom_buf_puts(b, "]}");
}

#undef MEMBER
