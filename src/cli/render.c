/*
 * render.c: the CLI's text output for people, one renderer per result type (or per
 * operation where one needs its own), looked up by cli_render. --json prints the API's
 * object instead and needs no renderer. Times are shown in UK local time with the zone.
 */
#include <string.h>

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

static const struct {
    const char *key;  /* an operation's name, or a result type ("Threat"; "Threat[]": a list) */
    render_fn fn;
} renderers[] = {
    {"Threat", threat_one},
    {"Threat[]", threat_list},
    {"OwnershipHistory", ownership_history},
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
