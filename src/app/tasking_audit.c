/* The audit image of a tasking and the record of a change (tasking_int.h). */
#include "app/tasking_int.h"

#include <string.h>

#include "app/audit.h"
#include "app/json.h"

/* The audit image of a tasking. The bid is written once, in the entry of `new`: no later
   step changes it, so repeating it in every image would only grow each commit. */
static char *tasking_image(iom_ctx *c, const iom_tasking_t *t, bool with_bid, const char *reason)
{
    json_t *j = json_of_tasking(t, with_bid);
    if (reason)
        json_object_set_new(j, "reason", json_string(reason));
    char *s = json_text(c->arena, j);
    json_decref(j);
    return s;
}

char *tasking_audit_text(iom_ctx *c, const iom_tasking_t *t)
{
    return tasking_image(c, t, false, NULL);
}

iom_err tasking_record(iom_ctx *c, const iom_tasking_t *t, const char *action, iom_role role,
                       int from, const char *reason, const char *before, iom_tasking_t *out)
{
    iom_tasking_event_t ev = {.tasking_id = t->id,
                              .at = app_now(c),
                              .action = (char *)action,
                              .actor_id = c->actor.id,
                              .role = (char *)iom_role_name(role),
                              .from_state = from,
                              .to_state = t->state,
                              .reason = (char *)reason};
    iom_err err = TS(c)->event_add(c->store, &ev, &c->err);
    if (err)
        return err;
    /* Reload for the audit's after-image (joined names, new version); it is also the
       caller's result, so the row is read once. */
    iom_tasking_t local, *now = out ? out : &local;
    if ((err = TS(c)->get(c->store, t->ref, c->arena, now, &c->err)))
        return err;
    char *audit_action = iom_arena_printf(c->arena, "tasking.%s", action);
    /* the bid in the images of its creation and of each edit (the only steps that change it) */
    bool with_bid = !before || strcmp(action, "edit") == 0;
    return audit_record(c, audit_action, t->ref, before, tasking_image(c, now, with_bid, reason));
}
