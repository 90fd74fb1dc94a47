/*
 * render.c: the CLI's text output for people, one renderer per result type (or per
 * operation where one needs its own), looked up by cli_render. --json prints the API's
 * object instead and needs no renderer. Times are shown in UK local time with the zone.
 */
#include <stdlib.h>
#include <string.h>

#include "app/tasking.h"
#include "app/threat.h"
#include "cli/commands.h"
#include "util/timefmt.h"

typedef void (*render_fn)(cli_t *cli, const op_out *out);

static void threat_one(cli_t *cli, const op_out *out)
{
    const iom_threat_t *t = out->obj;
    char created[32], updated[32];
    iom_time_uk(t->created_at, created);
    iom_time_uk(t->updated_at, updated);
    fprintf(cli->out,
            "%s  [%s]  %s\n  title: %s\n  type: %s\n  owner: %s (%s)\n  region: %s\n  sio: %s\n"
            "  force tasking ref: %s\n  status: %s\n  version: %lld\n  created: %s by %s\n  updated: %s\n",
            t->ref, iom_marking_name(t->marking), t->title, t->title, iom_threat_type_name(t->type),
            t->owner_name, t->owner, t->owner_region ? t->owner_region : "national", t->sio,
            t->force_tasking_ref, iom_threat_status_name(t->status), (long long)t->version, created,
            t->created_by ? t->created_by : "-", updated);
}

static void threat_list(cli_t *cli, const op_out *out)
{
    const iom_threat_t *v = out->obj;
    fprintf(cli->out, "%-11s %-18s %-20s %-17s %-24s %-18s %s\n", "REF", "MARKING", "OWNER",
            "REGION", "SIO", "TYPE", "TITLE");
    for (size_t i = 0; i < out->n; i++)
        fprintf(cli->out, "%-11s %-18s %-20s %-17s %-24s %-18s %s%s\n", v[i].ref,
                iom_marking_name(v[i].marking), v[i].owner,
                v[i].owner_region ? v[i].owner_region : "national", v[i].sio,
                iom_threat_type_name(v[i].type), v[i].title,
                v[i].status == IOM_THREAT_ARCHIVED ? " [archived]" : "");
    if (out->next)
        fprintf(cli->out, "(more: --after %s)\n", out->next);
}

static void ownership_history(cli_t *cli, const op_out *out)
{
    const app_ownership_change *v = out->obj;
    fprintf(cli->out, "%-26s %-12s %-20s %-24s %s\n", "SINCE", "DECISION", "OWNER", "SIO", "BY");
    for (size_t i = 0; i < out->n; i++) {
        char when[32];
        iom_time_uk(v[i].at, when);
        fprintf(cli->out, "%-26s %-12s %-20s %-24s %s%s%s\n", when, v[i].decision, v[i].owner,
                v[i].sio, v[i].by ? v[i].by : "(system)", v[i].tasking ? " on " : "",
                v[i].tasking ? v[i].tasking : "");
    }
}

static void region_list(cli_t *cli, const op_out *out)
{
    const iom_region_t *r = out->obj;
    for (size_t i = 0; i < out->n; i++)
        fprintf(cli->out, "%-18s %s\n", r[i].code, r[i].name);
}

static void agency_one(cli_t *cli, const op_out *out)
{
    const iom_agency_t *a = out->obj;
    fprintf(cli->out, "%s: %s\n  kind: %s\n  region: %s\n  status: %s", a->code, a->name,
            iom_agency_kind_name(a->kind), a->region ? a->region : "(national)",
            a->disabled ? "disabled" : "active");
    if (a->merged_into)
        fprintf(cli->out, " (merged into %s)", a->merged_into);
    fputc('\n', cli->out);
}

static void agency_list(cli_t *cli, const op_out *out)
{
    const iom_agency_t *v = out->obj;
    fprintf(cli->out, "%-20s %-10s %-18s %s\n", "CODE", "KIND", "REGION", "NAME");
    for (size_t i = 0; i < out->n; i++)
        fprintf(cli->out, "%-20s %-10s %-18s %s%s\n", v[i].code, iom_agency_kind_name(v[i].kind),
                v[i].region ? v[i].region : "-", v[i].name, v[i].disabled ? " [disabled]" : "");
    if (out->next)
        fprintf(cli->out, "(more: --after %s)\n", out->next);
}

static void roles_text(iom_roles roles, char *buf, size_t cap)
{
    size_t j = 0;
    buf[0] = '\0';
    for (int r = 0; r < IOM_ROLE_COUNT && j < cap; r++)
        if (iom_roles_has(roles, (iom_role)r))
            j += (size_t)snprintf(buf + j, cap - j, "%s%s", j ? "," : "", iom_role_name((iom_role)r));
}

static void user_one(cli_t *cli, const op_out *out)
{
    const iom_user_t *u = out->obj;
    char roles[256], when[32];
    roles_text(u->roles, roles, sizeof roles);
    iom_time_uk(u->created_at, when);
    fprintf(cli->out, "%s\n  agency: %s\n  roles: %s\n  clearance: %s\n  status: %s\n  password: %s\n  created: %s\n",
            u->name, u->agency, roles, iom_marking_name(u->clearance),
            u->disabled ? "disabled" : "active", u->pw_hash ? "set" : "not set", when);
}

static void user_list(cli_t *cli, const op_out *out)
{
    const iom_user_t *v = out->obj;
    fprintf(cli->out, "%-28s %-20s %-20s %-9s %s\n", "NAME", "AGENCY", "CLEARANCE", "STATUS", "ROLES");
    for (size_t i = 0; i < out->n; i++) {
        char roles[256];
        roles_text(v[i].roles, roles, sizeof roles);
        fprintf(cli->out, "%-28s %-20s %-20s %-9s %s\n", v[i].name, v[i].agency,
                iom_marking_name(v[i].clearance), v[i].disabled ? "disabled" : "active", roles);
    }
    if (out->next)
        fprintf(cli->out, "(more: --after %s)\n", out->next);
}

static void password_reset(cli_t *cli, const op_out *out)
{
    const char *pw = json_string_value(json_object_get(out->json, "temporary_password"));
    if (pw)
        fprintf(cli->out, "temporary password of %s (shown once; it must be changed at sign-in):\n%s\n",
                out->ref, pw);
    else
        fprintf(cli->out, "password of %s reset; it must be changed at sign-in\n", out->ref);
}

static void totp_reset(cli_t *cli, const op_out *out)
{
    fprintf(cli->out, "TOTP enrolment of %s removed\n", out->ref);
}

static void role_settings(cli_t *cli, const op_out *out)
{
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(out->json, "items"), i, x)
        fprintf(cli->out, "%-14s %s\n", json_string_value(json_object_get(x, "role")),
                json_is_true(json_object_get(x, "require_totp")) ? "TOTP required" : "-");
}

/* ---- the tasking lifecycle ---- */

static void tasking_one(cli_t *cli, const op_out *out)
{
    const iom_tasking_t *t = out->obj;
    char since[32];
    iom_time_uk(t->state_since, since);
    fprintf(cli->out, "%s  [%s]  %s (since %s), version %lld\n", t->ref, iom_marking_name(t->marking),
            lifecycle_state_name(t->state), since, (long long)t->version);
}

static void tasking_list(cli_t *cli, const op_out *out)
{
    const iom_tasking_t *v = out->obj;
    fprintf(cli->out, "%-17s %-18s %-11s %-20s %-18s %-8s %s\n", "REF", "STATE", "THREAT", "OWNER",
            "REQUESTED BY", "URGENCY", "TITLE");
    for (size_t i = 0; i < out->n; i++)
        fprintf(cli->out, "%-17s %-18s %-11s %-20s %-18s %-8s %s\n", v[i].ref,
                lifecycle_state_name(v[i].state), v[i].threat_ref, v[i].owner,
                v[i].requesting_agency, products_urgency_name(v[i].urgency),
                v[i].threat_title ? v[i].threat_title : "");
    if (out->next)
        fprintf(cli->out, "(more: --after %s)\n", out->next);
}

static void tasking_events(cli_t *cli, const app_tasking_view *v)
{
    for (size_t i = 0; i < v->nevents; i++) {
        const iom_tasking_event_t *ev = &v->events[i];
        char when[32];
        iom_time_uk(ev->at, when);
        bool why = ev->reason && v->access.content;
        fprintf(cli->out, "    %s  %-16s %-18s by %s (%s)%s%s\n", when, ev->action,
                lifecycle_state_name(ev->to_state), ev->actor ? ev->actor : "-", ev->role ? ev->role : "-",
                why ? ": " : "", why ? ev->reason : "");
    }
}

static void tasking_show(cli_t *cli, const op_out *out)
{
    const app_tasking_view *v = out->obj;
    const iom_tasking_t *t = &v->t;
    char since[32];
    iom_time_uk(t->state_since, since);
    fprintf(cli->out, "%s  [%s]\n  state: %s since %s\n  threat: %s %s\n  owner: %s (%s)  SIO: %s\n"
                      "  requested by: %s (%s), spoc %s\n  urgency: %s\n  SIA: %s\n  access: %s\n",
            t->ref, iom_marking_name(t->marking), lifecycle_state_name(t->state), since, t->threat_ref,
            t->threat_title, t->owner, t->owner_region ? t->owner_region : "national",
            t->threat_sio, t->requesting_agency,
            t->requesting_region ? t->requesting_region : "national", t->spoc,
            products_urgency_name(t->urgency), t->sia ? t->sia : "-",
            access_relation_name(v->access.relation));
    if (v->access.content) {
        json_t *bid = json_loads(t->bid_json, 0, NULL);
        fprintf(cli->out, "  summary: %s\n", json_string_value(json_object_get(bid, "summary")));
        json_decref(bid);
        fprintf(cli->out, "  team:");
        for (size_t i = 0; i < v->nmembers; i++)
            fprintf(cli->out, " %s", v->members[i].user);
        fprintf(cli->out, "%s\n", v->nmembers ? "" : " -");
        if (v->has_tor)
            fprintf(cli->out, "  ToR: version %lld (agreed in force: %lld)\n", (long long)v->tor.version,
                    (long long)v->tor_agreed_version);
        if (v->has_reassessment)
            fprintf(cli->out, "  reassessment: score %.1f %s, recommends %s\n",
                    v->reassessment.score_tenths / 10.0, v->reassessment.band,
                    v->reassessment.recommendation);
    }
    if (v->has_transfer)
        fprintf(cli->out, "  transfer: from %s%s%s%s%s\n", v->transfer.from_owner,
                v->transfer.decision ? ", " : " (undecided)", v->transfer.decision ? v->transfer.decision : "",
                v->transfer.new_owner ? " to " : "", v->transfer.new_owner ? v->transfer.new_owner : "");
    fprintf(cli->out, "  you may:");
    for (int a = 0; a < IOM_TA_COUNT; a++)
        if (v->allowed_actions & (1u << a))
            fprintf(cli->out, " %s", lifecycle_action_name((iom_tasking_action)a));
    fprintf(cli->out, "%s\n  history:\n", v->allowed_actions ? "" : " (nothing)");
    tasking_events(cli, v);
}

static void tasking_history(cli_t *cli, const op_out *out)
{
    tasking_events(cli, out->obj);
}

static void due_list(cli_t *cli, const op_out *out)
{
    const app_due_item *v = out->obj;
    fprintf(cli->out, "%-17s %-10s %-12s %-36s %s\n", "TASKING", "KIND", "DUE", "WHAT", "");
    for (size_t i = 0; i < out->n; i++)
        fprintf(cli->out, "%-17s %-10s %-12s %-36s %s\n", v[i].tasking, v[i].kind, v[i].due, v[i].name,
                v[i].days_left < 0 ? "OVERDUE" : "");
    if (out->n == 0)
        fprintf(cli->out, "(nothing due)\n");
    if (out->next)
        fprintf(cli->out, "(more: --after %s)\n", out->next);
}

static void tor_print(cli_t *cli, const iom_tor_t *t)
{
    json_t *j = json_of_tor(t);
    char *s = json_dumps(json_object_get(j, "content"), JSON_INDENT(2) | JSON_SORT_KEYS);
    fprintf(cli->out, "terms of reference version %lld (%s to %s), proposed by %s\n  agreed: sia %s, sio %s\n%s\n",
            (long long)t->version, t->start_date, t->end_date, t->proposer ? t->proposer : "-",
            t->sia_agreed ? t->sia_agreed : "no", t->sio_agreed ? t->sio_agreed : "no", s ? s : "");
    free(s);
    json_decref(j);
}

static void tor_one(cli_t *cli, const op_out *out)
{
    tor_print(cli, out->obj);
}

static void tor_list(cli_t *cli, const op_out *out)
{
    const iom_tor_t *v = out->obj;
    for (size_t i = 0; i < out->n; i++)
        tor_print(cli, &v[i]);
    if (out->next)
        fprintf(cli->out, "(more: --after %s)\n", out->next);
}

static void tor_diff(cli_t *cli, const op_out *out)
{
    json_t *changes = json_object_get(out->json, "changes");
    const char *key;
    json_t *x;
    json_object_foreach(changes, key, x) {
        json_t *from = json_object_get(x, "from"), *to = json_object_get(x, "to");
        char *sx = json_is_null(from) ? NULL : json_dumps(from, JSON_COMPACT | JSON_ENCODE_ANY);
        char *sy = json_is_null(to) ? NULL : json_dumps(to, JSON_COMPACT | JSON_ENCODE_ANY);
        fprintf(cli->out, "%s:\n- %s\n+ %s\n", key, sx ? sx : "(none)", sy ? sy : "(none)");
        free(sx);
        free(sy);
    }
    if (json_object_size(changes) == 0)
        fprintf(cli->out, "versions %lld and %lld have the same content\n",
                (long long)json_integer_value(json_object_get(out->json, "from")),
                (long long)json_integer_value(json_object_get(out->json, "to")));
}

static void assessment_one(cli_t *cli, const op_out *out)
{
    const iom_assessment_t *a = out->obj;
    fprintf(cli->out, "reassessment version %lld: score %.1f (%s), recommendation %s; signed by sia: %s, sio: %s\n  %s\n",
            (long long)a->version, a->score_tenths / 10.0, a->band, a->recommendation,
            a->sia_signed_by ? "yes" : "no", a->sio_signed_by ? "yes" : "no", a->rationale);
}

static const struct {
    const char *key;  /* an operation's name, or a result type ("Threat"; "Threat[]": a list) */
    render_fn fn;
} renderers[] = {
    {"Threat", threat_one},
    {"Threat[]", threat_list},
    {"OwnershipHistory", ownership_history},
    {"Region[]", region_list},
    {"Agency", agency_one},
    {"Agency[]", agency_list},
    {"User", user_one},
    {"User[]", user_list},
    {"user.reset-password", password_reset},
    {"user.reset-totp", totp_reset},
    {"RoleSetting[]", role_settings},
    {"Tasking", tasking_one},
    {"Tasking[]", tasking_list},
    {"TaskingView", tasking_show},
    {"TaskingHistory", tasking_history},
    {"DueItem[]", due_list},
    {"TermsOfReference", tor_one},
    {"TermsOfReference[]", tor_list},
    {"TorDiff", tor_diff},
    {"Assessment", assessment_one},
};

bool cli_render(cli_t *cli, const op_def *op, const op_out *out)
{
    char type[64];
    snprintf(type, sizeof type, "%s%s", op->returns ? op->returns : "", op->flags & OP_LIST ? "[]" : "");
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < sizeof renderers / sizeof renderers[0]; i++)
            if (strcmp(renderers[i].key, pass ? type : op->name) == 0) {
                renderers[i].fn(cli, out);
                return true;
            }
    return false;
}
