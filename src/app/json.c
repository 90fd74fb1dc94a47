#include "app/json.h"

#include <stdlib.h>
#include <string.h>

#include "util/timefmt.h"

json_t *json_str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

json_t *json_time(int64_t t)
{
    char buf[32];
    iom_time_utc(t, buf);
    return json_string(buf);
}

json_t *json_of_region(const iom_region_t *r)
{
    return json_pack("{s:s, s:s, s:s}", "ref", r->code, "code", r->code, "name", r->name);
}

json_t *json_of_agency(const iom_agency_t *a)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:o, s:b, s:o}", "ref", a->code, "code", a->code,
                     "name", a->name, "kind", iom_agency_kind_name(a->kind), "region",
                     json_str_or_null(a->region), "disabled", a->disabled, "merged_into",
                     json_str_or_null(a->merged_into));
}

json_t *json_of_user(const iom_user_t *u)
{
    json_t *roles = json_array();
    for (int r = 0; r < IOM_ROLE_COUNT; r++)
        if (iom_roles_has(u->roles, (iom_role)r))
            json_array_append_new(roles, json_string(iom_role_name((iom_role)r)));
    if (u->directory_only) /* the directory's view of another's account (review 84 L8) */
        return json_pack("{s:s, s:s, s:s, s:o}", "ref", u->name, "name", u->name, "agency", u->agency,
                         "roles", roles);
    return json_pack("{s:s, s:s, s:s, s:o, s:s, s:b, s:b, s:o, s:I}", "ref", u->name, "name",
                     u->name, "agency", u->agency, "roles", roles, "clearance",
                     iom_marking_name(u->clearance), "disabled", u->disabled, "has_password",
                     u->pw_hash != NULL, "created_at", json_time(u->created_at), "version",
                     (json_int_t)u->version);
}

json_t *json_of_threat(const iom_threat_t *t)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:I, s:o, s:o, s:o}",
                     "ref", t->ref, "title", t->title, "type", iom_threat_type_name(t->type),
                     "owner", t->owner, "owner_name", t->owner_name ? t->owner_name : "",
                     "owner_kind", iom_agency_kind_name(t->owner_kind), "region",
                     json_str_or_null(t->owner_region), "sio", t->sio, "force_tasking_ref",
                     t->force_tasking_ref, "marking", iom_marking_name(t->marking), "status",
                     iom_threat_status_name(t->status), "version", (json_int_t)t->version,
                     "created_at", json_time(t->created_at), "updated_at",
                     json_time(t->updated_at), "created_by", json_str_or_null(t->created_by));
}

static json_t *parsed_or_null(const char *text)
{
    if (!text)
        return json_null();
    json_t *j = json_loads(text, JSON_DECODE_ANY, NULL);
    return j ? j : json_string(text);
}

json_t *json_of_audit(const iom_audit_t *a)
{
    return json_pack("{s:I, s:o, s:o, s:o, s:s, s:s, s:o, s:o, s:o, s:s}", "seq",
                     (json_int_t)a->seq, "at", json_time(a->at), "actor",
                     json_str_or_null(a->actor), "os_user", json_str_or_null(a->os_user), "via",
                     a->via ? a->via : "", "action", a->action ? a->action : "", "object",
                     json_str_or_null(a->object_ref), "before", parsed_or_null(a->before_json),
                     "after", parsed_or_null(a->after_json), "hash", a->hash);
}

json_t *json_list(json_t *items, const char *next_cursor)
{
    return json_pack("{s:o, s:o}", "items", items, "next", json_str_or_null(next_cursor));
}

char *json_text(iom_arena *a, const json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    char *out = iom_arena_strdup(a, s ? s : "null");
    free(s);
    return out;
}

char *json_text_sorted(iom_arena *a, const json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    char *out = iom_arena_strdup(a, s ? s : "null");
    free(s);
    return out;
}

const char *json_error_reason(const json_error_t *je)
{
    const char *t = je->text;
    if (strstr(t, "JSON_ALLOW_NUL"))
        return "a NUL character (\\u0000) is not allowed in a string";
    if (strstr(t, "too big integer") || strstr(t, "too big negative integer"))
        return "an integer out of range (at most 9223372036854775807 in magnitude)";
    if (strstr(t, "real number overflow"))
        return "a number out of range";
    return t;
}
