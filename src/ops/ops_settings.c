/* ops_settings.c: the settings rows of the operation table (app/settings.h). */
#include "app/settings.h"
#include "ops/internal.h"

/* {name, version, value, reason, changed_by, changed_at, description} */
static json_t *json_of_setting(const iom_setting_t *s)
{
    json_t *v = json_loads(s->value_json ? s->value_json : "null", JSON_DECODE_ANY, NULL);
    settings_id id;
    const char *desc = settings_parse_name(s->name, &id, NULL) == IOM_OK ? settings_describe(id) : "";
    return json_pack("{s:s, s:I, s:o, s:s, s:o, s:o, s:s}", "name", s->name, "version",
                     (json_int_t)s->version, "value", v ? v : json_null(), "reason",
                     s->reason ? s->reason : "", "changed_by", json_str_or_null(s->changed_by_name),
                     "changed_at", s->changed_at ? json_time(s->changed_at) : json_null(), "description", desc);
}

static void one_out(op_out *out, const iom_setting_t *s)
{
    out->json = json_of_setting(s);
    out->obj = s;
    out->ref = s->name;
    out->etag = s->version;
}

iom_err op_settings_list(iom_ctx *c, const op_in *in, op_out *out)
{
    (void)in;
    iom_setting_t *v;
    size_t n;
    iom_err err = app_settings_list(c, &v, &n);
    if (!err)
        OP_LIST_OUT(out, v, n, NULL, json_of_setting);
    return err;
}

iom_err op_settings_show(iom_ctx *c, const op_in *in, op_out *out)
{
    iom_setting_t *s = iom_arena_new(c->arena, iom_setting_t, 1);
    iom_err err = app_settings_show(c, op_str(in, "setting"), s);
    if (!err)
        one_out(out, s);
    return err;
}

iom_err op_settings_history(iom_ctx *c, const op_in *in, op_out *out)
{
    app_page p = {op_str(in, "after"), (size_t)op_int(in, "limit", 0)};
    iom_setting_t *v;
    size_t n;
    const char *next;
    iom_err err = app_settings_history(c, op_str(in, "setting"), &p, &v, &n, &next);
    if (!err)
        OP_LIST_OUT(out, v, n, next, json_of_setting);
    return err;
}

iom_err op_settings_set(iom_ctx *c, const op_in *in, op_out *out)
{
    iom_setting_t *s = iom_arena_new(c->arena, iom_setting_t, 1);
    iom_err err = app_settings_set(c, op_str(in, "setting"), op_json_text(in, "value", c->arena),
                                   op_str(in, "reason"), op_int(in, "if_version", 0), s);
    if (!err)
        one_out(out, s);
    return err;
}
