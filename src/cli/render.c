/*
 * render.c: the CLI's text output for people, one renderer per result type (or per
 * operation where one needs its own), looked up by cli_render. --json prints the API's
 * object instead and needs no renderer. Times are shown in UK local time with the zone.
 */
#include <stdlib.h>
#include <string.h>

#include "app/apmis.h"
#include "app/auth.h"
#include "app/picture.h"
#include "app/settings.h"
#include "app/audit.h"
#include "app/search.h"
#include "app/tasking.h"
#include "app/threat.h"
#include "app/work.h"
#include "domain/grade.h"
#include "store/picture_store.h"
#include "cli/commands.h"
#include "util/timefmt.h"

typedef void (*render_fn)(cli_t *cli, const op_out *out);

static void threat_one(cli_t *cli, const op_out *out)
{
    const iom_threat_t *t = out->obj;
    char created[32], updated[32];
    iom_time_display(t->created_at, created);
    iom_time_display(t->updated_at, updated);
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
        iom_time_display(v[i].at, when);
        fprintf(cli->out, "%-26s %-12s %-20s %-24s %s%s%s", when, v[i].decision, v[i].owner,
                v[i].sio, v[i].by ? v[i].by : "(system)", v[i].tasking ? " on " : "",
                v[i].tasking ? v[i].tasking : "");
        if (v[i].from_marking && v[i].to_marking)
            fprintf(cli->out, " (%s -> %s)", v[i].from_marking, v[i].to_marking);
        fprintf(cli->out, "%s%s\n", v[i].reason ? ": " : "", v[i].reason ? v[i].reason : "");
    }
}

static void region_list(cli_t *cli, const op_out *out)
{
    const iom_region_t *r = out->obj;
    for (size_t i = 0; i < out->n; i++)
        fprintf(cli->out, "%-18s %s\n", r[i].code, r[i].name);
}

static void holiday_one(cli_t *cli, const op_out *out)
{
    const iom_holiday_t *h = out->obj;
    fprintf(cli->out, "%s  %s\n", h->day, h->name);
}

static void holiday_list(cli_t *cli, const op_out *out)
{
    const iom_holiday_t *v = out->obj;
    for (size_t i = 0; i < out->n; i++)
        fprintf(cli->out, "%s  %s\n", v[i].day, v[i].name);
    if (!out->n)
        fprintf(cli->out, "no bank holidays\n");
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
    if (u->directory_only) { /* another's account: the directory's view (review 84 L8) */
        fprintf(cli->out, "%s\n  agency: %s\n  roles: %s\n", u->name, u->agency, roles);
        return;
    }
    iom_time_display(u->created_at, when);
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
                v[i].directory_only ? "-" : iom_marking_name(v[i].clearance),
                v[i].directory_only ? "-" : v[i].disabled ? "disabled" : "active", roles);
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

static void token_created(cli_t *cli, const op_out *out)
{
    const iom_api_token_t *t = out->obj;
    char until[32] = "never";
    if (t->expires_at)
        iom_time_display(t->expires_at, until);
    fprintf(cli->out, "%s\n", json_string_value(json_object_get(out->json, "token")));
    fprintf(cli->err, "token %s for %s, valid until %s; shown once, keep it secret\n", t->ref,
            t->user_name ? t->user_name : "-", until);
}

static void token_list(cli_t *cli, const op_out *out)
{
    const iom_api_token_t *v = out->obj;
    fprintf(cli->out, "%-11s %-24s %-22s %-22s %s\n", "REF", "USER", "CREATED", "EXPIRES", "STATE");
    for (size_t i = 0; i < out->n; i++) {
        char created[32], expires[32] = "never";
        iom_time_display(v[i].created_at, created);
        if (v[i].expires_at)
            iom_time_display(v[i].expires_at, expires);
        fprintf(cli->out, "%-11s %-24s %-22s %-22s %s\n", v[i].ref, v[i].user_name ? v[i].user_name : "-",
                created, expires, v[i].revoked_at ? "revoked" : "active");
    }
    if (out->next)
        fprintf(cli->out, "(more: --after %s)\n", out->next);
}

static void token_revoked(cli_t *cli, const op_out *out)
{
    fprintf(cli->out, "%s revoked\n", out->ref);
}

static void password_changed(cli_t *cli, const op_out *out)
{
    fprintf(cli->out, "password of %s changed; its sessions and API tokens were ended\n", out->ref);
}

static void totp_enrolment(cli_t *cli, const op_out *out)
{
    fprintf(cli->out,
            "secret %s (shown once)\n%s\nadd it to an authenticator app, then run: iom --as %s "
            "user totp-confirm CODE\n",
            json_string_value(json_object_get(out->json, "secret")),
            json_string_value(json_object_get(out->json, "otpauth_uri")), out->ref ? out->ref : "USER");
}

static void totp_enrolled(cli_t *cli, const op_out *out)
{
    (void)out;
    fprintf(cli->out, "TOTP enrolled: sign-in now asks for a code\n");
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

/* ---- settings ---- */

static void setting_one(cli_t *cli, const op_out *out)
{
    const iom_setting_t *s = out->obj;
    char when[32] = "at migration";
    if (s->changed_at)
        iom_time_display(s->changed_at, when);
    settings_id id;
    fprintf(cli->out, "%s version %lld\n  %s\n  value: %s\n  set: %s by %s\n  reason: %s\n",
            s->name, (long long)s->version,
            settings_parse_name(s->name, &id, NULL) == IOM_OK ? settings_describe(id) : "",
            s->value_json, when, s->changed_by_name ? s->changed_by_name : "-", s->reason);
}

static void setting_list(cli_t *cli, const op_out *out)
{
    const iom_setting_t *v = out->obj;
    fprintf(cli->out, "%-20s %-7s %s\n", "NAME", "VERSION", "VALUE");
    for (size_t i = 0; i < out->n; i++)
        fprintf(cli->out, "%-20s %-7lld %s\n", v[i].name, (long long)v[i].version, v[i].value_json);
}

static void setting_history(cli_t *cli, const op_out *out)
{
    const iom_setting_t *v = out->obj;
    fprintf(cli->out, "%-7s %-22s %-20s %s\n", "VERSION", "SET", "BY", "REASON / VALUE");
    for (size_t i = 0; i < out->n; i++) {
        char when[32] = "at migration";
        if (v[i].changed_at)
            iom_time_display(v[i].changed_at, when);
        fprintf(cli->out, "%-7lld %-22s %-20s %s\n%-52s %s\n", (long long)v[i].version, when,
                v[i].changed_by_name ? v[i].changed_by_name : "-", v[i].reason, "",
                v[i].value_json);
    }
    if (out->next)
        fprintf(cli->out, "more: --after %s\n", out->next);
}

/* ---- the tasking lifecycle ---- */

static void tasking_one(cli_t *cli, const op_out *out)
{
    const iom_tasking_t *t = out->obj;
    char since[32];
    iom_time_display(t->state_since, since);
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
        iom_time_display(ev->at, when);
        bool why = ev->reason && v->access.content;
        fprintf(cli->out, "    %s  %-16s %-18s by %s (%s)%s%s\n", when, ev->action,
                lifecycle_state_name(ev->to_state), ev->actor ? ev->actor : "-", ev->role ? ev->role : "-",
                why ? ": " : "", why ? ev->reason : "");
    }
}

/* The command that takes each lifecycle action, with what it needs, for "next:" lines. */
static const char *const action_command[IOM_TA_COUNT] = {
    [IOM_TA_SUBMIT] = "tasking submit %s",
    [IOM_TA_FORWARD] = "tasking forward %s",
    [IOM_TA_RETURN] = "tasking return %s --reason TEXT",
    [IOM_TA_REJECT] = "tasking reject %s --reason TEXT",
    [IOM_TA_ACCEPT] = "tasking accept %s --sia USER",
    [IOM_TA_DECLINE] = "tasking decline %s --reason TEXT",
    [IOM_TA_PROPOSE_TOR] = "tor propose %s --from-json TOR.json",
    [IOM_TA_AGREE_TOR] = "tor agree %s --version N",
    [IOM_TA_START] = "tasking start %s",
    [IOM_TA_COMPLETE] = "tasking complete %s",
    [IOM_TA_REASSESS] = "tasking reassess %s --from-json ASSESSMENT.json",
    [IOM_TA_REMAIN] = "tasking remain %s",
    [IOM_TA_REQUEST_TRANSFER] = "transfer request %s --rationale TEXT",
    [IOM_TA_ESCALATE] = "transfer escalate %s --rationale TEXT",
    [IOM_TA_DECIDE_TRANSFER] = "transfer decide %s (--accept --owner CODE --sio USER | --decline) --reason TEXT",
    [IOM_TA_WITHDRAW] = "tasking withdraw %s --reason TEXT",
    [IOM_TA_ASSIGN] = "tasking assign %s --user USER",
    [IOM_TA_UNASSIGN] = "tasking unassign %s --user USER",
    [IOM_TA_CONTRIBUTE] = "contribution add %s --date YYYY-MM-DD --hours H --text TEXT",
    [IOM_TA_RECORD_INTEL] = "intel add %s --text TEXT --source TEXT --grade 1B --handling P",
    [IOM_TA_RECORD_OPTION] = "option add %s --strand S --text TEXT --agency CODE",
    [IOM_TA_RECORD_PRODUCT] = "product add %s --type TYPE --file PATH",
    [IOM_TA_AGREE_TRANSFER] = "transfer agree %s",
};

/* A transfer's steps, each with who and when (review 113 L3), indented by `ind`; a rationale or
   reason withheld (from the APMIS recorder) is left out. */
static void transfer_steps(cli_t *cli, const iom_transfer_t *t, const char *ind)
{
    char at[32];
    iom_time_display(t->requested_at, at);
    fprintf(cli->out, "%srequested by %s, %s%s%s\n", ind, t->requester ? t->requester : "-", at,
            t->rationale ? ": " : "", t->rationale ? t->rationale : "");
    if (t->agreed) {
        iom_time_display(t->agreed_at, at);
        fprintf(cli->out, "%sagreed by the SIO %s, %s\n", ind, t->agreed, at);
    } else {
        fprintf(cli->out, "%sthe SIO's agreement: not recorded\n", ind);
    }
    if (t->escalated_at) {
        iom_time_display(t->escalated_at, at);
        fprintf(cli->out, "%sescalated to the FTT by %s, %s%s%s\n", ind, t->escalator ? t->escalator : "-",
                at, t->escalation_rationale ? ": " : "", t->escalation_rationale ? t->escalation_rationale : "");
    }
    if (t->decision) {
        iom_time_display(t->decided_at, at);
        fprintf(cli->out, "%sdecided by %s (%s), %s: %s%s%s%s%s%s\n", ind, t->decider ? t->decider : "-",
                t->decided_as ? t->decided_as : "-", at, t->decision, t->new_owner ? " to " : "",
                t->new_owner ? t->new_owner : "", t->new_sio ? " (SIO " : "", t->new_sio ? t->new_sio : "",
                t->new_sio ? ")" : "");
        if (t->decision_reason)
            fprintf(cli->out, "%s  why: %s\n", ind, t->decision_reason);
    } else {
        fprintf(cli->out, "%snot decided yet\n", ind);
    }
}

/* The bid as a Gateway triages it (review 113 L7: the text view gave the summary only): the
   tasking meeting, the summary, what is known, the requirements, the services, the timeline
   and the bid's assessment. */
/* The string member `key` of `o`, or `dflt`. */
static const char *jstr_or(json_t *o, const char *key, const char *dflt)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : dflt;
}

static void bid_print(cli_t *cli, const char *bid_json)
{
    json_t *bid = json_loads(bid_json ? bid_json : "{}", 0, NULL);
    fprintf(cli->out, "  tasking meeting: %s on %s\n", jstr_or(bid, "ftm_ref", "-"), jstr_or(bid, "ftm_date", "-"));
    fprintf(cli->out, "  summary: %s\n", jstr_or(bid, "summary", "-"));
    if (json_string_value(json_object_get(bid, "known")))
        fprintf(cli->out, "  known: %s\n", jstr_or(bid, "known", ""));
    size_t i;
    json_t *x;
    fprintf(cli->out, "  requirements:\n");
    json_array_foreach(json_object_get(bid, "requirements"), i, x)
        fprintf(cli->out, "    - %s\n", json_string_value(x) ? json_string_value(x) : "");
    fprintf(cli->out, "  services:");
    json_array_foreach(json_object_get(bid, "services"), i, x)
        fprintf(cli->out, "%s%s", i ? ", " : " ", json_string_value(x) ? json_string_value(x) : "");
    fprintf(cli->out, "\n");
    fprintf(cli->out, "  timeline: %s\n", jstr_or(bid, "timeline", "-"));
    json_t *a = json_object_get(bid, "assessment");
    if (json_is_object(a))
        fprintf(cli->out, "  bid assessment: score %.1f %s, recommends %s\n",
                json_number_value(json_object_get(a, "score")), jstr_or(a, "band", "?"),
                jstr_or(a, "recommendation", "?"));
    else
        fprintf(cli->out, "  bid assessment: none (a bid is submitted with one)\n");
    json_decref(bid);
}

static void tasking_show(cli_t *cli, const op_out *out)
{
    const app_tasking_view *v = out->obj;
    const iom_tasking_t *t = &v->t;
    char since[32];
    iom_time_display(t->state_since, since);
    /* a national requester (the NCA) is national; its bid is triaged in the region it named
       (review 113 L8: "nca (north-west)" read as if the NCA were of the North West) */
    char from[96];
    if (t->requesting_kind == IOM_AGENCY_NATIONAL)
        snprintf(from, sizeof from, "national; triaged in %s", t->requesting_region ? t->requesting_region : "-");
    else
        snprintf(from, sizeof from, "%s", t->requesting_region ? t->requesting_region : "national");
    fprintf(cli->out, "%s  [%s]  version %lld\n  state: %s since %s\n  threat: %s %s\n  owner: %s (%s)  SIO: %s\n"
                      "  requested by: %s (%s), spoc %s\n  urgency: %s\n  SIA: %s\n  access: %s\n",
            t->ref, iom_marking_name(t->marking), (long long)t->version, lifecycle_state_name(t->state), since, t->threat_ref,
            t->threat_title, t->owner, t->owner_region ? t->owner_region : "national",
            t->threat_sio, t->requesting_agency, from, t->spoc,
            products_urgency_name(t->urgency), t->sia ? t->sia : "-",
            access_relation_name(v->access.relation));
    if (t->triage_due) {
        char due[32];
        iom_time_utc(t->triage_due * 86400, due);
        due[10] = '\0';
        fprintf(cli->out, "  triage due: %s (%d working days for %s)\n", due,
                t->triage_days, products_urgency_name(t->urgency));
    }
    fprintf(cli->out, "  customer: %s\n", t->customer ? t->customer : "-");
    if (v->access.content)
        bid_print(cli, t->bid_json);
    if (v->access.content) {
        fprintf(cli->out, "  team:");
        for (size_t i = 0; i < v->nmembers; i++)
            fprintf(cli->out, " %s", v->members[i].user);
        fprintf(cli->out, "%s\n", v->nmembers ? "" : " -");
        if (v->has_tor)
            fprintf(cli->out, "  ToR: version %lld (agreed in force: %lld)\n", (long long)v->tor.version,
                    (long long)v->tor_agreed_version);
        if (v->has_reassessment) {
            fprintf(cli->out, "  reassessment: score %.1f %s, recommends %s\n",
                    v->reassessment.score_tenths / 10.0, v->reassessment.band,
                    v->reassessment.recommendation);
            if (v->reassessment.transfer_agreed) {
                char at[32];
                iom_time_display(v->reassessment.transfer_agreed_at, at);
                fprintf(cli->out, "  the SIO agreed to a transfer: %s, %s\n", v->reassessment.transfer_agreed, at);
            }
        }
    }
    if (v->has_transfer) {
        fprintf(cli->out, "  transfer: from %s%s%s%s%s\n", v->transfer.from_owner,
                v->transfer.decision ? ", " : " (undecided)", v->transfer.decision ? v->transfer.decision : "",
                v->transfer.new_owner ? " to " : "", v->transfer.new_owner ? v->transfer.new_owner : "");
        transfer_steps(cli, &v->transfer, "    ");
    }
    fprintf(cli->out, "  you may:%s\n", v->allowed_actions ? "" : " nothing now");
    for (int a = 0; a < IOM_TA_COUNT; a++)
        if ((v->allowed_actions & (1u << a)) && action_command[a]) {
            fprintf(cli->out, "    iom ");
            fprintf(cli->out, action_command[a], t->ref);
            fprintf(cli->out, " --if-version %lld\n", (long long)t->version);
        }
    for (int a = 0; a < IOM_TA_COUNT; a++)
        if (v->blocked[a])
            fprintf(cli->out, "  not yet: %s: %s\n", lifecycle_action_name((iom_tasking_action)a), v->blocked[a]);
    fprintf(cli->out, "  history:\n");
    tasking_events(cli, v);
}

static void tasking_history(cli_t *cli, const op_out *out)
{
    tasking_events(cli, out->obj);
}

/* Whose a due item is, in words (tasking due --all). */
static const char *whose_text(const app_due_item *d)
{
    if (d->yours)
        return "yours";
    return !strcmp(d->whose, "sia") ? "the SIA's" : !strcmp(d->whose, "team") ? "the TOEX team's" : "the Gateway's";
}

static void due_list(cli_t *cli, const op_out *out)
{
    const app_due_item *v = out->obj;
    bool others = false; /* --all: a column says whose each item is */
    for (size_t i = 0; i < out->n; i++)
        others = others || !v[i].yours;
    if (others)
        fprintf(cli->out, "%-17s %-10s %-12s %-36s %-8s %s\n", "TASKING", "KIND", "DUE", "WHAT", "", "WHOSE");
    else
        fprintf(cli->out, "%-17s %-10s %-12s %-36s %s\n", "TASKING", "KIND", "DUE", "WHAT", "");
    for (size_t i = 0; i < out->n; i++) {
        if (others)
            fprintf(cli->out, "%-17s %-10s %-12s %-36s %-8s %s\n", v[i].tasking, v[i].kind, v[i].due,
                    v[i].name, v[i].days_left < 0 ? "OVERDUE" : "", whose_text(&v[i]));
        else
            fprintf(cli->out, "%-17s %-10s %-12s %-36s %s\n", v[i].tasking, v[i].kind, v[i].due, v[i].name,
                    v[i].days_left < 0 ? "OVERDUE" : "");
    }
    if (out->n == 0)
        fprintf(cli->out, "(nothing due)\n");
    if (out->next)
        fprintf(cli->out, "(more: --after %s)\n", out->next);
}

static void queue_list(cli_t *cli, const op_out *out)
{
    const app_queue_item *v = out->obj;
    fprintf(cli->out, "%-17s %-18s %-11s %s\n", "TASKING", "STATE", "SINCE", "YOURS TO DO");
    for (size_t i = 0; i < out->n; i++) {
        char since[32];
        iom_time_utc(v[i].since, since);
        since[10] = '\0';
        fprintf(cli->out, "%-17s %-18s %-11s", v[i].tasking, lifecycle_state_name(v[i].state), since);
        const char *sep = " ";
        for (int a = 0; a < IOM_TA_COUNT; a++)
            if (v[i].actions & (1u << a)) {
                fprintf(cli->out, "%s%s", sep, lifecycle_action_name((iom_tasking_action)a));
                sep = ", ";
            }
        fputc('\n', cli->out);
    }
    if (out->n == 0)
        fprintf(cli->out, "(nothing waits on you)\n");
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
    for (size_t i = 0; i < t->ndone; i++) {
        char at[32];
        iom_time_display(t->done[i].done_at, at);
        fprintf(cli->out, "  milestone done: %s (%s, by %s)\n", t->done[i].name, at,
                t->done[i].done_by);
    }
    free(s);
    json_decref(j);
}

static void tor_one(cli_t *cli, const op_out *out)
{
    if (out->marking >= 0) /* a change's answer: the marking inline */
        fprintf(cli->out, "[%s] ", iom_marking_name((iom_marking)out->marking));
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

static void transfer_one(cli_t *cli, const op_out *out)
{
    const app_tasking_view *v = out->obj;
    const iom_transfer_t *t = &v->transfer;
    fprintf(cli->out, "%s  transfer from %s%s%s%s%s\n", v->t.ref, t->from_owner,
            t->decision ? ": " : " (undecided)", t->decision ? t->decision : "",
            t->new_owner ? " to " : "", t->new_owner ? t->new_owner : "");
    transfer_steps(cli, t, "  ");
}

static void assessment_one(cli_t *cli, const op_out *out)
{
    const iom_assessment_t *a = out->obj;
    fprintf(cli->out, "reassessment version %lld: score %.1f (%s), recommendation %s; signed by sia: %s, sio: %s\n  %s\n"
                      "  scored with assessment.scoring version %lld\n",
            (long long)a->version, a->score_tenths / 10.0, a->band, a->recommendation,
            a->sia_signed_by ? "yes" : "no", a->sio_signed_by ? "yes" : "no", a->rationale,
            (long long)(a->scoring_version > 0 ? a->scoring_version : 1));
}

/* ---- the work on a tasking ---- */

/* Prints multi-line text indented under a heading. */
static void print_block(cli_t *cli, const char *text)
{
    const char *p = text ? text : "";
    while (*p) {
        const char *nl = strchr(p, '\n');
        int len = nl ? (int)(nl - p) : (int)strlen(p);
        fprintf(cli->out, "    %.*s\n", len, p);
        p += len + (nl ? 1 : 0);
    }
}

/* The first line of a text, at most `max` bytes (not cutting a UTF-8 sequence). */
static int first_line_len(const char *s, int max)
{
    int n = 0;
    while (s[n] && s[n] != '\n' && s[n] != '\r' && n < max)
        n++;
    while (n > 0 && s[n] && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

static void contribution_list(cli_t *cli, const op_out *out)
{
    const iom_contribution_t *v = out->obj;
    long total = 0;
    fprintf(cli->out, "%-10s %-10s %6s  %-20s %s\n", "REF", "DATE", "HOURS", "USER", "TEXT");
    for (size_t i = 0; i < out->n; i++) {
        fprintf(cli->out, "%-10s %-10s %6.2f  %-20s %.*s\n", v[i].ref, v[i].work_date,
                v[i].minutes / 60.0, v[i].user ? v[i].user : "-", first_line_len(v[i].text, 80),
                v[i].text);
        total += v[i].minutes;
    }
    fprintf(cli->out, "total: %.2f hours in %zu entries%s\n", total / 60.0, out->n,
            out->next ? " on this page" : "");
    if (out->next)
        fprintf(cli->out, "(more: --after %s)\n", out->next);
}

static void print_intel(cli_t *cli, const iom_intel_t *it)
{
    char display[GRADE_DISPLAY_MAX], created[32];
    grade_format(&it->grade, display);
    iom_time_display(it->created_at, created);
    fprintf(cli->out, "%s version %lld%s  [%s]  %s\n", it->ref, (long long)it->version,
            it->is_current ? "" : " (superseded)", iom_marking_name(it->marking), display);
    if (it->owner)
        fprintf(cli->out, "  tasking: %s  (threat owned by %s)\n", it->tasking_ref, it->owner);
    else
        fprintf(cli->out, "  tasking: %s\n", it->tasking_ref);
    if (it->disposed_at) {
        char when[32];
        iom_time_display(it->disposed_at, when);
        fprintf(cli->out, "  DISPOSED of on %s (MoPI): its content was erased\n", when);
    }
    fprintf(cli->out, "  grade: %s  (source: %s; intelligence: %s; handling: %s)\n", display,
            grade_source_text(it->grade.source), grade_assessment_text(it->grade.assessment),
            grade_handling_text(it->grade.handling));
    if (it->grade.handling == 'C' && !it->disposed_at)
        fprintf(cli->out, "  conditions: %s\n", it->grade.conditions ? it->grade.conditions : "");
    if (it->legacy_grade && it->grade_map_version > 0)
        fprintf(cli->out, "  legacy 5x5x5 grade: %s (mapped with grade.legacy_map version %lld)\n",
                it->legacy_grade, (long long)it->grade_map_version);
    else if (it->legacy_grade)
        fprintf(cli->out, "  legacy 5x5x5 grade: %s\n", it->legacy_grade);
    if (!it->disposed_at)
        fprintf(cli->out, "  source: %s\n", it->source ? it->source : "");
    switch (it->pnd) {
    case IOM_PND_RECORDED:
        fprintf(cli->out, "  PND: recorded as %s on %s\n", it->pnd_ref, it->pnd_date);
        break;
    case IOM_PND_NOT_REQUIRED:
        fprintf(cli->out, "  PND: not required (%s)\n", it->pnd_reason ? it->pnd_reason : "erased");
        break;
    case IOM_PND_PENDING:
    case IOM_PND_COUNT:
        fprintf(cli->out, "  PND: pending\n");
        break;
    }
    fprintf(cli->out, "  MoPI review date: %s\n", it->review_date);
    if (it->correction_reason)
        fprintf(cli->out, "  correction: %s\n", it->correction_reason);
    fprintf(cli->out, "  recorded: %s by %s\n", created, it->creator ? it->creator : "-");
    if (it->disposed_at)
        return;
    fprintf(cli->out, "  text:\n");
    print_block(cli, it->text ? it->text : "");
}

static void print_intel_table(cli_t *cli, const iom_intel_t *v, size_t n, bool history)
{
    fprintf(cli->out, "%-11s %-3s %-18s %-5s %-13s %-10s %s\n", "REF", "VER", "MARKING", "GRADE",
            "PND", "REVIEW", history ? "CORRECTION / TEXT" : "TEXT");
    for (size_t i = 0; i < n; i++) {
        char display[GRADE_DISPLAY_MAX];
        grade_format(&v[i].grade, display);
        const char *t = v[i].disposed_at ? "[disposed of: content erased]"
                        : history && v[i].correction_reason ? v[i].correction_reason
                                                            : v[i].text ? v[i].text : "";
        fprintf(cli->out, "%-11s %-3lld %-18s %-5s %-13s %-10s %.*s\n", v[i].ref,
                (long long)v[i].version, iom_marking_name(v[i].marking), display,
                grade_pnd_name(v[i].pnd), v[i].review_date, first_line_len(t, 60), t);
    }
}

static void intel_one(cli_t *cli, const op_out *out)
{
    print_intel(cli, out->obj);
}

static void intel_added(cli_t *cli, const op_out *out)
{
    const iom_intel_t *it = out->obj;
    char display[GRADE_DISPLAY_MAX];
    fprintf(cli->out, "%s  %s\n", it->ref, grade_format(&it->grade, display));
}

static void intel_list(cli_t *cli, const op_out *out)
{
    print_intel_table(cli, out->obj, out->n, false);
    if (out->next)
        fprintf(cli->out, "(more: --after %s)\n", out->next);
}

static void intel_history(cli_t *cli, const op_out *out)
{
    print_intel_table(cli, out->obj, out->n, true);
    if (out->next)
        fprintf(cli->out, "(more: --after %s)\n", out->next);
}

static void intel_due(cli_t *cli, const op_out *out)
{
    const iom_intel_t *v = out->obj;
    fprintf(cli->out, "%-18s %-11s %-17s %-10s %-18s %-5s %s\n", "OWNER", "REF", "TASKING",
            "REVIEW", "MARKING", "GRADE", "PND");
    for (size_t i = 0; i < out->n; i++) {
        char display[GRADE_DISPLAY_MAX];
        fprintf(cli->out, "%-18s %-11s %-17s %-10s %-18s %-5s %s\n", v[i].owner ? v[i].owner : "-",
                v[i].ref, v[i].tasking_ref, v[i].review_date, iom_marking_name(v[i].marking),
                grade_format(&v[i].grade, display), grade_pnd_name(v[i].pnd));
    }
    fprintf(cli->out, "%zu item%s due for review%s\n", out->n, out->n == 1 ? "" : "s",
            out->next ? " on this page" : "");
    if (out->next)
        fprintf(cli->out, "(more: --after %s)\n", out->next);
}

static void print_review(cli_t *cli, const iom_intel_review_t *r)
{
    char at[32];
    iom_time_display(r->at, at);
    if (r->dispose)
        fprintf(cli->out, "%s  disposed of  %s by %s (review due %s)\n", r->ref, at,
                r->user ? r->user : "-", r->due_date);
    else
        fprintf(cli->out, "%s  retained until %s  %s by %s (review due %s)\n", r->ref, r->next_date,
                at, r->user ? r->user : "-", r->due_date);
    fprintf(cli->out, "  reason: %.*s\n", first_line_len(r->reason, 200), r->reason);
}

static void review_one(cli_t *cli, const op_out *out)
{
    const iom_intel_review_t *r = out->obj;
    print_review(cli, r);
    if (r->dispose)
        fprintf(cli->out, "  its content is erased, in every version and in the audit trail\n");
}

static void review_list(cli_t *cli, const op_out *out)
{
    const iom_intel_review_t *v = out->obj;
    for (size_t i = 0; i < out->n; i++)
        print_review(cli, &v[i]);
    fprintf(cli->out, "%zu review%s\n", out->n, out->n == 1 ? "" : "s");
}

static void dataset_reviewed(cli_t *cli, const op_out *out)
{
    const iom_intel_review_t *r = out->obj;
    print_review(cli, r);
    if (r->dispose)
        fprintf(cli->out, "  the dataset, its records and every entity and link only they supported are deleted\n");
}

static void picture_due_list(cli_t *cli, const op_out *out)
{
    const iom_pdue_t *v = out->obj;
    if (out->n)
        fprintf(cli->out, "%-12s %-10s %-16s %-20s %-18s %s\n", "DUE", "KIND", "REF", "TASKING", "OWNER", "WHAT");
    for (size_t i = 0; i < out->n; i++) {
        const iom_pdue_t *d = &v[i];
        char what[256];
        if (d->entity)
            snprintf(what, sizeof what, "%s, %lld source%s", d->type ? d->type : "", (long long)d->count,
                     d->count == 1 ? "" : "s");
        else
            snprintf(what, sizeof what, "%s: %.120s, %lld record%s", d->type ? d->type : "",
                     d->name ? d->name : "", (long long)d->count, d->count == 1 ? "" : "s");
        fprintf(cli->out, "%-12s %-10s %-16s %-20s %-18s %s\n", d->review_date, d->entity ? "entity" : "dataset",
                d->ref, d->tasking_ref ? d->tasking_ref : "", d->owner ? d->owner : "", what);
    }
    if (out->n == 0)
        fprintf(cli->out, "no dataset or entity is due for review\n");
    if (out->next)
        fprintf(cli->out, "more: --after %s\n", out->next);
}

static void print_option(cli_t *cli, const iom_option_t *o)
{
    fprintf(cli->out, "%-10s %-16s %-8s %-9s %-20s %.*s\n", o->ref, o->tasking_ref ? o->tasking_ref : "",
            products_strand_name(o->strand), products_option_status_name(o->status), o->agency,
            first_line_len(o->text, 80), o->text);
}

static void option_one(cli_t *cli, const op_out *out)
{
    print_option(cli, out->obj);
}

static void option_list(cli_t *cli, const op_out *out)
{
    const iom_option_t *v = out->obj;
    fprintf(cli->out, "%-10s %-16s %-8s %-9s %-20s %s\n", "REF", "TASKING", "STRAND", "STATUS", "AGENCY",
            "TEXT");
    for (size_t i = 0; i < out->n; i++)
        print_option(cli, &v[i]);
    if (out->next)
        fprintf(cli->out, "(more: --after %s)\n", out->next);
}

static void print_product(cli_t *cli, const iom_product_t *p)
{
    char when[32] = "-";
    if (p->delivered_at)
        iom_time_display(p->delivered_at, when);
    fprintf(cli->out, "%-10s %-3lld %-18s %-34s %10lld  %-12.12s  %s\n", p->ref, (long long)p->version,
            iom_marking_name(p->marking), products_type_name(p->type), (long long)p->size, p->sha256,
            p->delivered_at ? when : "not delivered");
}

static void product_header(cli_t *cli)
{
    fprintf(cli->out, "%-10s %-3s %-18s %-34s %10s  %-12s  %s\n", "REF", "VER", "MARKING", "TYPE",
            "BYTES", "SHA256", "DELIVERED");
}

static void product_one(cli_t *cli, const op_out *out)
{
    product_header(cli);
    print_product(cli, out->obj);
}

static void product_list(cli_t *cli, const op_out *out)
{
    const iom_product_t *v = out->obj;
    product_header(cli);
    for (size_t i = 0; i < out->n; i++)
        print_product(cli, &v[i]);
    if (out->next)
        fprintf(cli->out, "(more: --after %s)\n", out->next);
}

/* ---- the picture's datasets ---- */

static void dataset_header(cli_t *cli)
{
    fprintf(cli->out, "%-10s %-8s %-6s %-18s %8s  %-16s  %-10s  %s\n", "REF", "LEVEL", "GRADE", "MARKING",
            "RECORDS", "IMPORTED", "REVIEW", "NAME");
}

static void print_dataset(cli_t *cli, const iom_dataset_t *d)
{
    char when[32] = "-", grade[GRADE_DISPLAY_MAX];
    if (d->imported_at)
        iom_time_display(d->imported_at, when);
    grade_format(&d->grade, grade);
    fprintf(cli->out, "%-10s %-8s %-6s %-18s %8lld  %-16.16s  %-10s  %s\n", d->ref, d->level ? d->level : "",
            grade, iom_marking_name(d->marking), (long long)d->records, when, d->review_date ? d->review_date : "-",
            d->name ? d->name : "");
}

/* A dataset: its line, then where it came from (review 47: dataset list and show printed their
   JSON in text mode). */
static void dataset_one(cli_t *cli, const op_out *out)
{
    const iom_dataset_t *d = out->obj;
    dataset_header(cli);
    print_dataset(cli, d);
    fprintf(cli->out, "\ntasking:  %s\nfile:     %s\nsha256:   %s\nimporter: %s\n", d->tasking_ref ? d->tasking_ref : "-",
            d->filename ? d->filename : "-", d->sha256, d->importer ? d->importer : "-");
    if (d->grade.conditions && *d->grade.conditions)
        fprintf(cli->out, "conditions: %s\n", d->grade.conditions);
}

static void dataset_list(cli_t *cli, const op_out *out)
{
    const iom_dataset_t *v = out->obj;
    dataset_header(cli);
    for (size_t i = 0; i < out->n; i++)
        print_dataset(cli, &v[i]);
    if (out->next)
        fprintf(cli->out, "(more: --after %s)\n", out->next);
}

/* ---- the picture's entities and links (review 47: their lists printed JSON in text mode) ---- */

static void entity_header(cli_t *cli)
{
    fprintf(cli->out, "%-10s %-16s %-7s %-6s %-18s %7s  %-23s  %s\n", "REF", "TYPE", "CONF", "GRADE", "MARKING",
            "SOURCES", "SEEN", "LABEL");
}

static void seen_range(const char *a, const char *b, char out[32])
{
    if (!a && !b)
        snprintf(out, 32, "-");
    else if (!b || (a && strcmp(a, b) == 0))
        snprintf(out, 32, "%s", a ? a : b);
    else
        snprintf(out, 32, "%s..%s", a ? a : "", b);
}

static void print_entity(cli_t *cli, const app_entity_view *v)
{
    char grade[GRADE_DISPLAY_MAX], seen[32];
    grade_format(&v->grade, grade);
    seen_range(v->first_seen, v->last_seen, seen);
    fprintf(cli->out, "%-10s %-16s %-7.4f %-6s %-18s %7zu  %-23s  %s\n", v->e.ref, v->e.type, v->e.confidence, grade,
            iom_marking_name(v->marking), v->nsources, seen, v->label ? v->label : "");
}

static void print_link(cli_t *cli, const app_link_view *v)
{
    char grade[GRADE_DISPLAY_MAX], seen[32];
    grade_format(&v->grade, grade);
    seen_range(v->first_seen, v->last_seen, seen);
    fprintf(cli->out, "%-10s %-16s %s %s %s  conf %.4f  %s  %s  %zu source%s  %s\n", v->l.ref, v->l.type,
            v->l.from_ref ? v->l.from_ref : "?", v->l.directed ? "->" : "--", v->l.to_ref ? v->l.to_ref : "?",
            v->l.confidence, grade, iom_marking_name(v->marking), v->nsources, v->nsources == 1 ? "" : "s", seen);
}

static void print_sources(cli_t *cli, const iom_psource_t *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char grade[GRADE_DISPLAY_MAX];
        grade_format(&s[i].grade, grade);
        const char *what = s[i].record_ref ? s[i].record_ref : s[i].intel_ref ? s[i].intel_ref
                                                                            : s[i].import_ref ? s[i].import_ref : "-";
        fprintf(cli->out, "  source %-10s %-6s %-18s %-10s", what, grade, iom_marking_name(s[i].marking),
                s[i].seen ? s[i].seen : "-");
        if (s[i].dataset_ref)
            fprintf(cli->out, "  %s %s id %s", s[i].dataset_ref, s[i].dataset_name ? s[i].dataset_name : "",
                    s[i].rkey ? s[i].rkey : "?");
        if (s[i].label)
            fprintf(cli->out, "  \"%s\"", s[i].label);
        fputc('\n', cli->out);
    }
}

static void entity_one(cli_t *cli, const op_out *out)
{
    const app_entity_view *v = out->obj;
    entity_header(cli);
    print_entity(cli, v);
    if (v->e.key)
        fprintf(cli->out, "key: %s\n", v->e.key);
    fprintf(cli->out, "tasking: %s  review date: %s\n", v->e.tasking_ref ? v->e.tasking_ref : "-",
            v->e.review_date ? v->e.review_date : "-");
    print_sources(cli, v->sources, v->nsources);
    for (size_t i = 0; i < v->nlinks; i++) {
        fputs("  link   ", cli->out);
        print_link(cli, &v->links[i]);
    }
}

static void entity_list(cli_t *cli, const op_out *out)
{
    const app_entity_view *v = out->obj;
    entity_header(cli);
    for (size_t i = 0; i < out->n; i++)
        print_entity(cli, &v[i]);
    if (out->next)
        fprintf(cli->out, "(more: --after %s)\n", out->next);
}

static void link_one(cli_t *cli, const op_out *out)
{
    const app_link_view *v = out->obj;
    print_link(cli, v);
    print_sources(cli, v->sources, v->nsources);
}

static void link_list(cli_t *cli, const op_out *out)
{
    const app_link_view *v = out->obj;
    for (size_t i = 0; i < out->n; i++)
        print_link(cli, &v[i]);
    if (out->next)
        fprintf(cli->out, "(more: --after %s)\n", out->next);
}

/* ---- resolutions, imports and the review queue ---- */

static void print_resolution(cli_t *cli, const app_resolution *r)
{
    if (r->withheld) {
        fprintf(cli->out, "resolution (%s): counts withheld (the tasking holds what you are not cleared for)\n",
                r->incremental ? "incremental" : "full");
        return;
    }
    fprintf(cli->out,
            "resolution (%s): %lld records; %lld entities (%lld new, %lld removed), %lld links (%lld removed); "
            "%lld review pairs; %lld decisions applied",
            r->incremental ? "incremental" : "full", (long long)r->records, (long long)r->entities,
            (long long)r->created_entities, (long long)r->removed_entities, (long long)r->links,
            (long long)r->removed_links, (long long)r->review_pairs, (long long)r->decisions);
    if (r->unusable)
        fprintf(cli->out, "; %lld identifiers unusable", (long long)r->unusable);
    fprintf(cli->out, "; link at %.4g, review from %.4g\n", r->link_threshold, r->review_threshold);
}

static void dataset_imported(cli_t *cli, const op_out *out)
{
    const app_import_result *r = out->obj;
    dataset_header(cli);
    print_dataset(cli, &r->dataset);
    if (r->replaced)
        fprintf(cli->out, "replaced: %s\n", r->replaced);
    print_resolution(cli, &r->res);
}

static void dataset_removed(cli_t *cli, const op_out *out)
{
    const app_import_result *r = out->obj;
    fprintf(cli->out, "removed: %s\n", r->dataset.ref);
    print_resolution(cli, &r->res);
}

static void resolution_one(cli_t *cli, const op_out *out) { print_resolution(cli, out->obj); }

static void picture_resolved(cli_t *cli, const op_out *out)
{
    json_t *b = json_object_get(out->json, "engine_before"), *a = json_object_get(out->json, "engine");
    fprintf(cli->out, "resolved again: %s (engine %lld, before %lld)\n", out->ref ? out->ref : "?",
            (long long)json_integer_value(a), (long long)json_integer_value(b));
    print_resolution(cli, out->obj);
}

static void pair_header(cli_t *cli)
{
    fprintf(cli->out, "%-10s %-8s %-18s %s\n", "REF", "P", "MARKING", "RECORDS");
}

static void print_pair(cli_t *cli, const iom_review_t *r)
{
    iom_marking m = r->marking_a > r->marking_b ? r->marking_a : r->marking_b;
    fprintf(cli->out, "%-10s %-8.4f %-18s %s (%s id %s)  ~  %s (%s id %s)\n", r->ref, r->probability,
            iom_marking_name(m), r->ref_a ? r->ref_a : "?", r->input_a ? r->input_a : "?", r->key_a ? r->key_a : "?",
            r->ref_b ? r->ref_b : "?", r->input_b ? r->input_b : "?", r->key_b ? r->key_b : "?");
}

/* A near match and its waterfall: each field's comparison and weight. */
static void review_pair_one(cli_t *cli, const op_out *out)
{
    const iom_review_t *r = out->obj;
    pair_header(cli);
    print_pair(cli, r);
    json_t *ex = json_loads(r->explanation_json ? r->explanation_json : "{}", 0, NULL);
    if (!ex)
        return;
    /* each record's dataset grade: a C dataset's conditions go with its values (review 68) */
    const iom_grade *gv[2] = {&r->grade_a, &r->grade_b};
    for (int k = 0; k < 2; k++)
        fprintf(cli->out, "%s: grade %c%c %c%s%s\n", k ? "B" : "A", gv[k]->source, gv[k]->assessment, gv[k]->handling,
                gv[k]->handling == 'C' && gv[k]->conditions ? ": " : "",
                gv[k]->handling == 'C' && gv[k]->conditions ? gv[k]->conditions : "");
    fprintf(cli->out, "match weight %.3f\n", json_number_value(json_object_get(ex, "match_weight")));
    /* each field compared with the two records' values (the same the engine read) */
    json_t *va = r->fields_a ? json_loads(r->fields_a, 0, NULL) : NULL;
    json_t *vb = r->fields_b ? json_loads(r->fields_b, 0, NULL) : NULL;
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(ex, "fields"), i, f) {
        const char *field = json_string_value(json_object_get(f, "field"));
        const char *a = field ? json_string_value(json_object_get(va, field)) : NULL;
        const char *b = field ? json_string_value(json_object_get(vb, field)) : NULL;
        fprintf(cli->out, "  %-14s %-9s %+8.3f  %s | %s\n", field ? field : "?",
                json_string_value(json_object_get(f, "comparison")), json_number_value(json_object_get(f, "weight")),
                a ? a : "-", b ? b : "-");
    }
    json_decref(va);
    json_decref(vb);
    json_decref(ex);
}

static void review_pair_list(cli_t *cli, const op_out *out)
{
    const iom_review_t *v = out->obj;
    pair_header(cli);
    for (size_t i = 0; i < out->n; i++)
        print_pair(cli, &v[i]);
    if (out->next)
        fprintf(cli->out, "(more: --after %s)\n", out->next);
}

/* ---- APMIS and the audit trail ---- */

/* Money for people: £222,500.00 (pounds grouped by thousands). */
static void pence(int64_t p, char out[48])
{
    bool neg = p < 0;
    unsigned long long v = neg ? 0ULL - (unsigned long long)p : (unsigned long long)p;
    char digits[24], grouped[32]; /* 2^63 pence: 17 digits of pounds, 5 commas */
    int n = snprintf(digits, sizeof digits, "%llu", v / 100), j = 0;
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            grouped[j++] = ',';
        grouped[j++] = digits[i];
    }
    grouped[j] = '\0';
    snprintf(out, 48, "%s£%s.%02llu", neg ? "-" : "", grouped, v % 100);
}

static void print_record(cli_t *cli, const iom_apmis_t *r)
{
    char created[32], seized[48];
    iom_time_display(r->created_at, created);
    pence(r->seized_pence, seized);
    fprintf(cli->out,
            "%s  [%s]  %s %s on %s\n  threat: %s  %s (owner %s)\n  lead: %s (%s)\n  impact: %s\n"
            "  strand: %s\n  arrests: %lld  victims safeguarded: %lld  seized: %s\n"
            "  capabilities:",
            r->ref, iom_marking_name(r->threat_marking), products_disruption_name(r->type),
            "disruption", r->date, r->threat_ref, r->threat_title ? r->threat_title : "",
            r->owner ? r->owner : "-", r->lead_agency, r->lead_region ? r->lead_region : "national",
            products_impact_name(r->impact), products_strand_name(r->strand),
            (long long)r->arrests, (long long)r->safeguarded, seized);
    for (size_t i = 0; i < r->ncapabilities; i++)
        fprintf(cli->out, " %s", r->capabilities[i]);
    fprintf(cli->out, "%s\n  recorded: %s by %s\n  narrative:\n    %s\n",
            r->ncapabilities ? "" : " (none)", created,
            r->created_by_name ? r->created_by_name : "-", r->narrative);
}

static void apmis_one(cli_t *cli, const op_out *out)
{
    print_record(cli, out->obj);
}

static void apmis_list(cli_t *cli, const op_out *out)
{
    const iom_apmis_t *v = out->obj;
    fprintf(cli->out, "%-11s %-18s %-11s %-11s %-20s %-9s %-20s %s\n", "REF", "MARKING", "THREAT",
            "DATE", "LEAD", "IMPACT", "TYPE", "TOEX");
    for (size_t i = 0; i < out->n; i++) {
        bool toex = false;
        for (size_t k = 0; k < v[i].ncapabilities; k++)
            toex = toex || v[i].capability_kinds[k] == IOM_AGENCY_CAPABILITY;
        fprintf(cli->out, "%-11s %-18s %-11s %-11s %-20s %-9s %-20s %s\n", v[i].ref,
                iom_marking_name(v[i].threat_marking), v[i].threat_ref, v[i].date,
                v[i].lead_agency, products_impact_name(v[i].impact),
                products_disruption_name(v[i].type), toex ? "yes" : "no");
    }
    if (out->next)
        fprintf(cli->out, "(more: --after %s)\n", out->next);
}

static void duration(int64_t s, char out[40])
{
    snprintf(out, 40, "%lldd %02lldh %02lldm", (long long)(s / 86400), (long long)(s % 86400 / 3600),
             (long long)(s % 3600 / 60));
}

static void print_totals(cli_t *cli, const char *title, const apmis_disruption_totals *t)
{
    char seized[48];
    pence(t->seized_pence, seized);
    fprintf(cli->out, "  %s: %lld (", title, (long long)t->count);
    for (int i = 0; i < IOM_IMPACT_COUNT; i++)
        fprintf(cli->out, "%s%s %lld", i ? ", " : "", products_impact_name((iom_apmis_impact)i),
                (long long)t->by_impact[i]);
    fprintf(cli->out, ")\n    arrests %lld, victims safeguarded %lld, seized %s\n",
            (long long)t->arrests, (long long)t->safeguarded, seized);
}

static void print_report(cli_t *cli, const app_apmis_report_t *ar)
{
    const apmis_report *r = &ar->r;
    char from[16] = "the beginning", to[16], end[32];
    if (r->period.has_from)
        apmis_day_format(r->period.from_day, from);
    apmis_day_format(r->period.to_day, to);
    iom_time_display(r->period.end, end);
    FILE *o = cli->out;
    fprintf(o, "APMIS value measures  [%s]\n  region: %s  force: %s%s\n  period: %s to %s (up to %s)\n\n",
            iom_marking_name(r->marking), ar->region ? ar->region : "all",
            ar->force ? ar->force : "all",
            ar->by_owner ? "  (as the threats' owner: taskings of its threats, disruptions against them)" : "",
            from, to, end);
    fprintf(o, "Taskings by state (%lld):\n", (long long)r->taskings);
    for (int s = 0; s < IOM_TS_COUNT; s++)
        if (r->by_state[s])
            fprintf(o, "  %-20s %lld\n", lifecycle_state_name((iom_tasking_state)s),
                    (long long)r->by_state[s]);
    fprintf(o, "\nTime in state (visits, total, median, 90th percentile):\n");
    for (int s = 0; s < IOM_TS_COUNT; s++) {
        const apmis_state_time *t = &r->time[s];
        if (!t->visits)
            continue;
        char tot[40], med[40], p90[40];
        duration(t->total_seconds, tot);
        duration(t->median_seconds, med);
        duration(t->p90_seconds, p90);
        fprintf(o, "  %-20s %4lld  %s  %s  %s\n", lifecycle_state_name((iom_tasking_state)s),
                (long long)t->visits, tot, med, p90);
    }
    fprintf(o, "\nProducts: %lld  delivered on time %lld, late %lld; not delivered by their due day %lld\n",
            (long long)r->products.due, (long long)r->products.on_time, (long long)r->products.late,
            (long long)r->products.not_delivered);
    fprintf(o, "Tactical options recorded: %lld  actioned %lld (pursue %lld, prevent %lld, protect "
               "%lld, prepare %lld)\n",
            (long long)r->options.recorded, (long long)r->options.by_status[IOM_OPTION_ACTIONED],
            (long long)r->options.actioned_by_strand[IOM_STRAND_PURSUE],
            (long long)r->options.actioned_by_strand[IOM_STRAND_PREVENT],
            (long long)r->options.actioned_by_strand[IOM_STRAND_PROTECT],
            (long long)r->options.actioned_by_strand[IOM_STRAND_PREPARE]);
    fprintf(o, "Intelligence items: %lld  recorded on PND %lld, not required %lld, pending %lld\n",
            (long long)r->pnd.items, (long long)r->pnd.recorded, (long long)r->pnd.not_required,
            (long long)r->pnd.pending);
    fprintf(o, "\nDisruptions:\n");
    print_totals(cli, "with TOEX contribution", &r->disruptions_toex);
    print_totals(cli, "all", &r->disruptions_all);
}

static void apmis_report_text(cli_t *cli, const op_out *out)
{
    print_report(cli, out->obj);
}

static void audit_list(cli_t *cli, const op_out *out)
{
    const iom_audit_t *v = out->obj;
    for (size_t i = 0; i < out->n; i++) {
        char when[32];
        iom_time_display(v[i].at, when);
        fprintf(cli->out, "%6lld  %s  %-16s %-20s by %s (%s via %s)\n", (long long)v[i].seq, when,
                v[i].action, v[i].object_ref ? v[i].object_ref : "-",
                v[i].actor ? v[i].actor : "(system)", v[i].os_user ? v[i].os_user : "?", v[i].via);
        if (v[i].before_json)
            fprintf(cli->out, "        before: %s\n", v[i].before_json);
        if (v[i].after_json)
            fprintf(cli->out, "        after:  %s\n", v[i].after_json);
    }
    if (out->next)
        fprintf(cli->out, "(more: --after %s)\n", out->next);
}

static void audit_verify(cli_t *cli, const op_out *out)
{
    const audit_verify_result *r = out->obj;
    fprintf(cli->out, "%s chain intact: %lld entries, head %s%s\n",
            json_is_true(json_object_get(out->json, "reads")) ? "read" : "audit", (long long)r->entries, r->head,
            json_is_true(json_object_get(out->json, "checkpoint_matched")) ? " (checkpoint matched)" : "");
}

static void audit_checkpoint_line(cli_t *cli, const op_out *out)
{
    const audit_checkpoint *cp = out->obj;
    fprintf(cli->out, "%s seq=%lld hash=%s\n", cp->reads ? "iom-read-checkpoint" : "iom-audit-checkpoint",
            (long long)cp->seq, cp->hash);
}

static void read_list(cli_t *cli, const op_out *out)
{
    const iom_audit_t *v = out->obj;
    for (size_t i = 0; i < out->n; i++) {
        json_t *j = json_of_read_entry(&v[i]);
        char when[32];
        iom_time_display(v[i].at, when);
        const char *purpose = json_string_value(json_object_get(j, "purpose"));
        json_t *refused = json_object_get(j, "refused"); /* access.refused: what was tried */
        fprintf(cli->out, "%6lld  %s  %-16s %-20s by %s via %s  %s: %s%s%s%s\n", (long long)v[i].seq,
                when, v[i].action, v[i].object_ref ? v[i].object_ref : "-",
                v[i].actor ? v[i].actor : "(system)", v[i].via, refused ? "refused" : "purpose",
                refused ? json_string_value(json_object_get(refused, "operation")) : purpose ? purpose : "-",
                refused ? " (" : "", refused ? json_string_value(json_object_get(refused, "answer")) : "",
                refused ? ")" : "");
        json_decref(j);
    }
    if (out->next)
        fprintf(cli->out, "more: --after %s\n", out->next);
}

/* Search results: one line each, best first, and the text around the match. */
static void search_list(cli_t *cli, const op_out *out)
{
    const app_search_hit *v = out->obj;
    for (size_t i = 0; i < out->n; i++) {
        fprintf(cli->out, "%-12s %-16s %-16s %s\n", v[i].type ? v[i].type : v[i].kind, v[i].ref, v[i].tasking,
                v[i].label ? v[i].label : "");
        fprintf(cli->out, "    %s\n", v[i].snippet ? v[i].snippet : "");
    }
    if (out->n == 0)
        fprintf(cli->out, "nothing found\n");
    if (out->next)
        fprintf(cli->out, "more: --after %s\n", out->next);
}

static void deconfliction_line(cli_t *cli, const app_deconfliction *d)
{
    char when[32];
    iom_time_display(d->raised_at, when);
    fprintf(cli->out, "%s  %s  %s %s matches another tasking's (probability %.4f), raised %s\n", d->ref, d->tasking,
            d->entity_type, d->entity, d->probability, when);
    fprintf(cli->out, "    contact: SIA %s, owning agency %s (%s)%s%s\n", d->contact_sia ? d->contact_sia : "(none)",
            d->contact_agency_name, d->contact_agency, d->acknowledged_by ? "; acknowledged by " : "",
            d->acknowledged_by ? d->acknowledged_by : "");
}

static void deconfliction_one(cli_t *cli, const op_out *out) { deconfliction_line(cli, out->obj); }

static void deconfliction_list(cli_t *cli, const op_out *out)
{
    const app_deconfliction *v = out->obj;
    for (size_t i = 0; i < out->n; i++)
        deconfliction_line(cli, &v[i]);
    if (out->n == 0)
        fprintf(cli->out, "no deconfliction alerts\n");
    if (out->next)
        fprintf(cli->out, "more: --after %s\n", out->next);
}

static const struct {
    const char *key;  /* an operation's name, or a result type ("Threat"; "Threat[]": a list) */
    render_fn fn;
} renderers[] = {
    {"Threat", threat_one},
    {"Threat[]", threat_list},
    {"OwnershipHistory", ownership_history},
    {"Region[]", region_list},
    {"Holiday", holiday_one},
    {"Holiday[]", holiday_list},
    {"Agency", agency_one},
    {"Agency[]", agency_list},
    {"User", user_one},
    {"User[]", user_list},
    {"user.reset-password", password_reset},
    {"user.reset-totp", totp_reset},
    {"user.password", password_changed},
    {"user.totp-enrol", totp_enrolment},
    {"user.totp-confirm", totp_enrolled},
    {"token.create", token_created},
    {"ApiToken[]", token_list},
    {"token.revoke", token_revoked},
    {"RoleSetting[]", role_settings},
    {"settings.history", setting_history},
    {"Setting", setting_one},
    {"Setting[]", setting_list},
    {"Tasking", tasking_one},
    {"Tasking[]", tasking_list},
    {"TaskingView", tasking_show},
    {"TaskingHistory", tasking_history},
    {"DueItem[]", due_list},
    {"QueueItem[]", queue_list},
    {"TermsOfReference", tor_one},
    {"TermsOfReference[]", tor_list},
    {"TorDiff", tor_diff},
    {"Assessment", assessment_one},
    {"Transfer", transfer_one},
    {"Contribution[]", contribution_list},
    {"intel.add", intel_added},
    {"intel.history", intel_history},
    {"intel.due-review", intel_due},
    {"IntelItem", intel_one},
    {"IntelItem[]", intel_list},
    {"dataset.review", dataset_reviewed},
    {"PictureDue[]", picture_due_list},
    {"MopiReview", review_one},
    {"MopiReview[]", review_list},
    {"Option", option_one},
    {"Option[]", option_list},
    {"Product", product_one},
    {"Product[]", product_list},
    {"Entity", entity_one},
    {"Entity[]", entity_list},
    {"Link", link_one},
    {"Link[]", link_list},
    {"DatasetImport", dataset_imported},
    {"DatasetRemoved", dataset_removed},
    {"PictureResolved", picture_resolved},
    {"Resolution", resolution_one},
    {"ReviewPair", review_pair_one},
    {"ReviewPair[]", review_pair_list},
    {"Dataset", dataset_one},
    {"Dataset[]", dataset_list},
    {"ApmisRecord", apmis_one},
    {"ApmisRecord[]", apmis_list},
    {"ApmisReport", apmis_report_text},
    {"AuditEntry[]", audit_list},
    {"AuditVerify", audit_verify},
    {"AuditCheckpoint", audit_checkpoint_line},
    {"ReadEntry[]", read_list},
    {"SearchResult[]", search_list},
    {"Deconfliction", deconfliction_one},
    {"Deconfliction[]", deconfliction_list},
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

/* ---- any other result: its JSON as text ---------------------------------------------------- */

/* A scalar (or an array of scalars, joined; anything deeper compact) as text in buf. */
static const char *cell(json_t *v, char *buf, size_t cap)
{
    if (!v || json_is_null(v))
        return "-";
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_true(v))
        return "yes";
    if (json_is_false(v))
        return "no";
    if (json_is_integer(v)) {
        snprintf(buf, cap, "%lld", (long long)json_integer_value(v));
        return buf;
    }
    if (json_is_real(v)) {
        snprintf(buf, cap, "%.6g", json_real_value(v));
        return buf;
    }
    bool flat = json_is_array(v);
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x) flat = flat && !json_is_object(x) && !json_is_array(x);
    if (flat) {
        size_t o = 0;
        buf[0] = '\0';
        json_array_foreach(v, i, x)
        {
            char one[64];
            o += (size_t)snprintf(buf + o, o < cap ? cap - o : 0, "%s%s", i ? ", " : "", cell(x, one, sizeof one));
            if (o >= cap)
                break;
        }
        return buf;
    }
    char *d = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    snprintf(buf, cap, "%s", d ? d : "");
    free(d);
    return buf;
}

static bool is_scalarish(json_t *v)
{
    if (!json_is_array(v))
        return !json_is_object(v);
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x) if (json_is_object(x) || json_is_array(x)) return false;
    return true;
}

static void text_value(cli_t *cli, json_t *v, int depth);

/* Whether v is an object of scalar values only. */
static bool flat_object(json_t *v)
{
    if (!json_is_object(v))
        return false;
    const char *k;
    json_t *x;
    json_object_foreach(v, k, x) if (!is_scalarish(x)) return false;
    return true;
}

/* An array of objects as a table: a column per key whose values are scalars (or arrays of
   them), and per key of an object of scalars (an entity: its ref, type, label), in the first
   object's order; the other keys' values after each row, indented. */
static void text_table(cli_t *cli, json_t *a, int depth)
{
    const char *keys[32], *subs[32];
    size_t nk = 0, widths[32];
    json_t *first = json_array_get(a, 0);
    const char *k;
    json_t *v;
    json_object_foreach(first, k, v)
    {
        bool scalar = true, flat = true;
        size_t i;
        json_t *row;
        json_array_foreach(a, i, row)
        {
            json_t *x = json_object_get(row, k);
            scalar = scalar && is_scalarish(x);
            flat = flat && (json_is_null(x) || flat_object(x));
        }
        if (scalar && nk < 32) {
            keys[nk] = k;
            subs[nk++] = NULL;
        } else if (flat && json_is_object(v)) {
            const char *sk;
            json_t *sx;
            json_object_foreach(v, sk, sx) if (nk < 32)
            {
                keys[nk] = k;
                subs[nk++] = sk;
            }
        }
    }
    char buf[256], head[96];
#define COL(row, c) (subs[c] ? json_object_get(json_object_get((row), keys[c]), subs[c]) : json_object_get((row), keys[c]))
#define HEAD(c) (subs[c] ? (snprintf(head, sizeof head, "%s %s", keys[c], subs[c]), head) : keys[c])
    for (size_t c = 0; c < nk; c++) {
        widths[c] = strlen(HEAD(c));
        size_t i;
        json_t *row;
        json_array_foreach(a, i, row)
        {
            size_t w = strlen(cell(COL(row, c), buf, sizeof buf));
            if (w > widths[c])
                widths[c] = w;
        }
        if (widths[c] > 40)
            widths[c] = 40;
    }
    fprintf(cli->out, "%*s", depth * 2, "");
    for (size_t c = 0; c < nk; c++) {
        const char *h = HEAD(c);
        for (const char *p = h; *p; p++)
            fputc(*p >= 'a' && *p <= 'z' ? *p - 32 : *p == '_' ? ' ' : *p, cli->out);
        fprintf(cli->out, "%*s", c + 1 < nk ? (int)(widths[c] - strlen(h) + 2) : 0, "");
    }
    fputc('\n', cli->out);
    size_t i;
    json_t *row;
    json_array_foreach(a, i, row)
    {
        fprintf(cli->out, "%*s", depth * 2, "");
        for (size_t c = 0; c < nk; c++) {
            const char *t = cell(COL(row, c), buf, sizeof buf);
            if (c + 1 < nk)
                fprintf(cli->out, "%-*.*s  ", (int)widths[c], (int)widths[c], t);
            else
                fputs(t, cli->out);
        }
        fputc('\n', cli->out);
        json_object_foreach(row, k, v)
        {
            bool shown = false;
            for (size_t c = 0; c < nk && !shown; c++)
                shown = strcmp(keys[c], k) == 0;
            if (shown || json_is_null(v) || (json_is_array(v) && !json_array_size(v)))
                continue;
            fprintf(cli->out, "%*s%s:", depth * 2 + 4, "", k);
            if (is_scalarish(v)) {
                fprintf(cli->out, " %s\n", cell(v, buf, sizeof buf));
            } else {
                fputc('\n', cli->out);
                text_value(cli, v, depth + 3);
            }
        }
    }
#undef COL
#undef HEAD
}

/* A value as lines: an object's keys one per line ("key: value", deeper values indented),
   an array of objects as a table, anything else as its cell. */
static void text_value(cli_t *cli, json_t *v, int depth)
{
    char buf[256];
    if (json_is_array(v) && json_array_size(v) && json_is_object(json_array_get(v, 0))) {
        text_table(cli, v, depth);
        return;
    }
    if (!json_is_object(v)) {
        fprintf(cli->out, "%*s%s\n", depth * 2, "", cell(v, buf, sizeof buf));
        return;
    }
    const char *k;
    json_t *x;
    json_object_foreach(v, k, x)
    {
        if (is_scalarish(x)) {
            fprintf(cli->out, "%*s%s: %s\n", depth * 2, "", k, cell(x, buf, sizeof buf));
        } else if (json_is_array(x) && !json_array_size(x)) {
            fprintf(cli->out, "%*s%s: (none)\n", depth * 2, "", k);
        } else {
            fprintf(cli->out, "%*s%s:\n", depth * 2, "", k);
            text_value(cli, x, depth + 1);
        }
    }
}

void cli_print_text(cli_t *cli, json_t *j)
{
    json_t *items = json_object_get(j, "items");
    if (json_is_object(j) && json_is_array(items)) { /* a list: its other keys, the table, the cursor */
        const char *k;
        json_t *x;
        char buf[256];
        json_object_foreach(j, k, x) if (strcmp(k, "items") && strcmp(k, "next") && is_scalarish(x))
            fprintf(cli->out, "%s: %s\n", k, cell(x, buf, sizeof buf));
        json_object_foreach(j, k, x) if (strcmp(k, "items") && !is_scalarish(x))
        {
            fprintf(cli->out, "%s:\n", k);
            text_value(cli, x, 1);
        }
        if (json_array_size(items))
            text_value(cli, items, 0);
        else
            fputs("(none)\n", cli->out);
        const char *next = json_string_value(json_object_get(j, "next"));
        if (next)
            fprintf(cli->out, "(more: --after %s)\n", next);
        return;
    }
    text_value(cli, j, 0);
}
