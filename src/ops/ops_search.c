/* Search and deconfliction (issue 16 points 4 and 6; docs/picture.md). Each run maps the
   decoded input onto the use-case of app/search.h. */
#include "app/search.h"
#include "ops/internal.h"

static app_page page_of(const op_in *in)
{
    return (app_page){op_str(in, "after"), (size_t)op_int(in, "limit", 0)};
}

iom_err op_search(iom_ctx *c, const op_in *in, op_out *out)
{
    app_search_query q = {.text = op_str(in, "q"), .tasking = op_str(in, "tasking"), .type = op_str(in, "type"),
                          .justification = op_str(in, "justification"), .page = page_of(in)};
    app_search_hit *v;
    size_t n;
    const char *next;
    iom_err err = app_search(c, &q, &v, &n, &next);
    if (!err)
        OP_LIST_OUT(out, v, n, next, json_of_search_hit);
    return err;
}

iom_err op_deconflict_list(iom_ctx *c, const op_in *in, op_out *out)
{
    app_page p = page_of(in);
    app_deconfliction *v;
    size_t n;
    const char *next;
    iom_err err = app_deconflict_list(c, op_bool(in, "open"), &p, &v, &n, &next);
    if (!err)
        OP_LIST_OUT(out, v, n, next, json_of_deconfliction);
    return err;
}

iom_err op_deconflict_ack(iom_ctx *c, const op_in *in, op_out *out)
{
    app_deconfliction *d = iom_arena_new(c->arena, app_deconfliction, 1);
    iom_err err = app_deconflict_ack(c, op_str(in, "alert"), d);
    if (!err) {
        out->json = json_of_deconfliction(d);
        out->obj = d;
        out->ref = d->ref;
    }
    return err;
}
