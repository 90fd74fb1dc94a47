/* ops.c: looking rows and input values up, and the checks every adapter applies. */
#include "ops/ops.h"

#include <stdio.h>
#include <string.h>

const op_def *op_find(const char *name)
{
    for (const op_def *op = op_table; name && op->name; op++)
        if (strcmp(op->name, name) == 0)
            return op;
    return NULL;
}

int op_field_index(const op_def *op, const char *name)
{
    for (int i = 0; op->fields && op->fields[i].name; i++)
        if (strcmp(op->fields[i].name, name) == 0)
            return i;
    return -1;
}

const op_value *op_get(const op_in *in, const char *name)
{
    int i = op_field_index(in->op, name);
    return i < 0 ? NULL : &in->v[i];
}

const char *op_str(const op_in *in, const char *name)
{
    const op_value *v = op_get(in, name);
    return v && v->set ? v->s : NULL;
}

int64_t op_int(const op_in *in, const char *name, int64_t def)
{
    const op_value *v = op_get(in, name);
    return v && v->set ? v->i : def;
}

bool op_bool(const op_in *in, const char *name)
{
    const op_value *v = op_get(in, name);
    return v && v->set && v->b;
}

iom_err op_check(const op_in *in, iom_error *e)
{
    const op_def *op = in->op;
    for (int i = 0; op->fields && op->fields[i].name; i++) {
        const op_field *f = &op->fields[i];
        const op_value *v = &in->v[i];
        if ((f->flags & OF_REQUIRED) && !v->set)
            return iom_fail(e, IOM_EINVAL, "%s: required", f->name);
        if (v->set && f->type == OT_INT && f->max > 0 && (v->i < f->min || v->i > f->max))
            return iom_fail(e, IOM_EINVAL, "%s: %lld is not from %lld to %lld", f->name,
                            (long long)v->i, (long long)f->min, (long long)f->max);
        if (!v->set || !f->values)
            continue;
        size_t n = f->type == OT_STRINGS ? v->nv : 1;
        for (size_t k = 0; k < n; k++) {
            const char *s = f->type == OT_STRINGS ? v->v[k] : v->s;
            bool ok = false;
            for (const char *const *a = f->values; *a && !ok; a++)
                ok = strcmp(*a, s) == 0;
            if (!ok) {
                char list[256] = "";
                size_t j = 0;
                for (const char *const *a = f->values; *a && j < sizeof list; a++)
                    j += (size_t)snprintf(list + j, sizeof list - j, "%s%s", j ? ", " : "", *a);
                return iom_fail(e, IOM_EINVAL, "%s: '%s' is not one of: %s", f->name, s, list);
            }
        }
    }
    return IOM_OK;
}
