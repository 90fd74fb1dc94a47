/* The SOC master list's operations: threat add, list, show, update, archive, unarchive, history. */
#include "app/json.h"
#include "app/threat.h"
#include "ops/internal.h"

static void threat_out(op_out *out, const iom_threat_t *t)
{
    out->json = json_of_threat(t);
    out->etag = t->version;
    out->ref = t->ref;
    out->obj = t;
}

static app_threat_input threat_input(const op_in *in)
{
    return (app_threat_input){op_str(in, "title"), op_str(in, "type"), op_str(in, "owner"),
                              op_str(in, "sio"), op_str(in, "force_tasking_ref"),
                              op_str(in, "marking"), op_str(in, "reason")};
}

iom_err op_threat_add(iom_ctx *c, const op_in *in, op_out *out)
{
    app_threat_input ti = threat_input(in);
    iom_threat_t *t = iom_arena_new(c->arena, iom_threat_t, 1);
    iom_err err = app_threat_add(c, &ti, t);
    if (!err)
        threat_out(out, t);
    return err;
}

iom_err op_threat_list(iom_ctx *c, const op_in *in, op_out *out)
{
    app_threat_query q = {op_str(in, "owner"), op_str(in, "region"), op_str(in, "status"),
                          op_str(in, "after"), (size_t)op_int(in, "limit", 0)};
    iom_threat_t *v;
    size_t n;
    const char *next;
    iom_err err = app_threat_list(c, &q, &v, &n, &next);
    if (!err)
        OP_LIST_OUT(out, v, n, next, json_of_threat);
    return err;
}

iom_err op_threat_show(iom_ctx *c, const op_in *in, op_out *out)
{
    iom_threat_t *t = iom_arena_new(c->arena, iom_threat_t, 1);
    iom_err err = app_threat_get(c, op_str(in, "ref"), t);
    if (!err)
        threat_out(out, t);
    return err;
}

iom_err op_threat_update(iom_ctx *c, const op_in *in, op_out *out)
{
    app_threat_input ti = threat_input(in);
    iom_threat_t *t = iom_arena_new(c->arena, iom_threat_t, 1);
    iom_err err = app_threat_update(c, op_str(in, "ref"), &ti, op_int(in, "if_version", 0), t);
    if (!err)
        threat_out(out, t);
    return err;
}

iom_err op_threat_archive(iom_ctx *c, const op_in *in, op_out *out)
{
    iom_threat_t *t = iom_arena_new(c->arena, iom_threat_t, 1);
    iom_err err = app_threat_archive(c, op_str(in, "ref"), op_str(in, "reason"),
                                     op_int(in, "if_version", 0), t);
    if (!err)
        threat_out(out, t);
    return err;
}

iom_err op_threat_unarchive(iom_ctx *c, const op_in *in, op_out *out)
{
    iom_threat_t *t = iom_arena_new(c->arena, iom_threat_t, 1);
    iom_err err = app_threat_unarchive(c, op_str(in, "ref"), op_str(in, "reason"), op_str(in, "sio"),
                                       op_int(in, "if_version", 0), t);
    if (!err)
        threat_out(out, t);
    return err;
}

/* `seq`, the change's place in the audit chain, only for an auditor, who can look it up: for
   anyone else two readings of it counted the changes made in every region between them. */
static json_t *json_of_ownership_change(const app_ownership_change *h, bool with_seq)
{
    json_t *j = json_pack("{s:I, s:o, s:s, s:o, s:s, s:s, s:o, s:o, s:o, s:o}", "seq",
                          (json_int_t)h->seq, "at", json_time(h->at), "decision", h->decision, "by",
                          json_str_or_null(h->by), "owner", h->owner, "sio", h->sio, "from_owner",
                          json_str_or_null(h->from_owner), "from_sio",
                          json_str_or_null(h->from_sio), "tasking", json_str_or_null(h->tasking),
                          "reason", json_str_or_null(h->reason));
    if (h->from_marking && h->to_marking) { /* a marking_changed decision */
        json_object_set_new(j, "from_marking", json_string(h->from_marking));
        json_object_set_new(j, "to_marking", json_string(h->to_marking));
    }
    if (!with_seq)
        json_object_del(j, "seq");
    return j;
}

iom_err op_threat_history(iom_ctx *c, const op_in *in, op_out *out)
{
    app_ownership_change *v;
    size_t n;
    const char *ref = op_str(in, "ref");
    iom_err err = app_threat_history(c, ref, &v, &n);
    if (err)
        return err;
    json_t *items = json_array();
    bool auditor = iom_roles_has(c->actor.roles, IOM_ROLE_AUDITOR);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, json_of_ownership_change(&v[i], auditor));
    out->json = json_pack("{s:s, s:o}", "ref", ref, "history", items);
    out->obj = v;
    out->n = n;
    iom_threat_t t; /* the history is marked as the threat is */
    iom_error keep = c->err;
    op_mark(out, app_threat_get(c, ref, &t) == IOM_OK ? (int)t.marking
                                                       : (int)IOM_MARKING_OFFICIAL_SENSITIVE);
    c->err = keep;
    return IOM_OK;
}
