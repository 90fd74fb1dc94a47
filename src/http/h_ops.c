/*
 * h_ops.c: the one handler of every route made from the operation table (ops/ops.h). It
 * decodes the row's fields from the path ({name}), the query, If-Match and the JSON body
 * (strictly: unknown, duplicate and wrong-typed fields are 400 naming the field), runs the
 * row and answers its JSON object with the ETag it gives.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "http/internal.h"
#include "ops/ops.h"

/* A whole number 0..2^53 from a path segment or query parameter; false when it is not. */
static bool whole(const char *s, int64_t *out)
{
    if (!s || !(*s >= '0' && *s <= '9')) /* digits only: strtoll would take " 1" and "+1" (review 108 L4) */
        return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < 0 || v > (1LL << 53) || (s[0] == '0' && s[1]))
        return false;
    *out = v;
    return true;
}

static bool decode(http_req *r, const op_def *op, op_in *in)
{
    memset(in, 0, sizeof *in);
    in->op = op;
    bool doc = false, want_body = false;
    for (int i = 0; op->fields && op->fields[i].name; i++) {
        const op_field *f = &op->fields[i];
        op_value *v = &in->v[i];
        if (f->flags & OF_PATH) {
            v->s = http_param(r, f->name);
            v->set = v->s != NULL;
            if (f->type == OT_INT && v->set && !whole(v->s, &v->i)) {
                http_problem(r, 404, "not_found", "Not found", "%s: '%s' is not a number", f->name, v->s);
                return false;
            }
            /* a number outside the field's range names no resource either (review 100 L4:
               /tor/0 was 400, /tor/-1 404) */
            if (f->type == OT_INT && v->set && f->max > 0 && (v->i < f->min || v->i > f->max)) {
                http_problem(r, 404, "not_found", "Not found", "%s: %lld is not from %lld to %lld", f->name,
                             (long long)v->i, (long long)f->min, (long long)f->max);
                return false;
            }
        } else if (f->flags & OF_VERSION) {
            if (!http_if_match(r, &v->i))
                return false;
            v->set = v->i > 0;
        } else if (f->flags & OF_QUERY) {
            v->s = http_query(r, f->name);
            v->set = v->s != NULL;
            if (v->set && f->type == OT_INT && !whole(v->s, &v->i)) {
                const char *num = v->s + (v->s[0] == '-');
                bool integer = num[0] && !num[strspn(num, "0123456789")] && (num[0] != '0' || !num[1]);
                if (f->max > 0) /* the field's range, as op_check words a number outside it, so
                                   that -1 and 0 are not told two different ranges (review 89 L4) */
                    http_problem(r, 400, "invalid", "Invalid request",
                                 integer ? "%s: %.64s is not from %lld to %lld"
                                         : "%s: '%.64s' is not a whole number from %lld to %lld",
                                 f->name, v->s, (long long)f->min, (long long)f->max);
                else
                    http_problem(r, 400, "invalid", "Invalid request",
                                 integer && v->s[0] == '-'
                                     ? "%s: '%.64s' is below 0 (a whole number of 0 or more)"
                                     : "%s: '%.64s' is not a whole number (digits only, 0 or more)",
                                 f->name, v->s);
                return false;
            }
            if (v->set && f->type == OT_BOOL) {
                v->b = strcmp(v->s, "true") == 0 || strcmp(v->s, "1") == 0;
                if (!v->b && strcmp(v->s, "false") != 0 && strcmp(v->s, "0") != 0) {
                    http_problem(r, 400, "invalid", "Invalid request",
                                 "%s: '%.64s' is not true or false", f->name, v->s);
                    return false;
                }
            }
        } else if (f->flags & OF_PURPOSE) {
            v->s = http_purpose(r);
            v->set = v->s != NULL;
        } else if (f->flags & OF_CLI_ONLY) {
            continue;
        } else if (f->type == OT_DOC) {
            doc = true;
        } else {
            want_body = true;
        }
    }
    json_t *body = NULL;
    want_body = !doc && (want_body || (r->route->flags & HTTP_BODY)); /* {} on a POST without fields */
    if (doc || want_body) {
        bool optional = (r->route->flags & HTTP_BODY_OPTIONAL) != 0;
        if (!http_body_object(r, optional, &body))
            return false;
    }
    if (doc)
        for (int i = 0; op->fields[i].name; i++)
            if (op->fields[i].type == OT_DOC) {
                in->v[i].set = true;
                in->v[i].s = r->body.data;
            }
    if (want_body && op_decode_body(&r->ctx, in, body)) {
        http_fail(r, IOM_EINVAL);
        return false;
    }
    return true;
}

void h_op(http_req *r)
{
    const op_def *op = r->route->op;
    op_in in;
    iom_err aerr;
    if ((op->flags & OP_ADMIN) &&
        (aerr = app_authorize_first(&r->ctx, IOM_ROLE_BIT(IOM_ROLE_ADMIN),
                                    op->group ? iom_arena_printf(&r->arena, "%s %s", op->group, op->cmd)
                                              : op->name)))
        return http_fail(r, aerr); /* logged as access.refused there (review 81 L7) */
    if ((op->flags & OP_ADMIN) && !(r->route->flags & HTTP_BODY) && r->body.len) {
        http_problem(r, 400, "invalid", "Invalid request", "body: this request takes no body");
        return;
    }
    if (!decode(r, op, &in))
        return;
    op_out out = {0};
    iom_err err = op_execute(&r->ctx, &in, &out);
    if (err)
        return http_fail(r, err);
    r->etag = out.etag;
    if (out.marking >= 0) /* the highest marking of what the answer holds */
        http_header(r, "X-Iom-Marking", iom_marking_name((iom_marking)out.marking));
    if (op->flags & OP_ENDS_SESSION) /* every session of the user ended, this one too */
        r->set_cookie = http_cookie_clear(r);
    int status = op->flags & OP_CREATED ? 201 : op->flags & OP_ACCEPTED ? 202 : 200;
    if (out.content_type) {
        char *doc = iom_arena_alloc(&r->arena, out.text.len + 1);
        memcpy(doc, out.text.data, out.text.len);
        if (out.filename) /* a reference and a format's extension: nothing to escape */
            http_header(r, "Content-Disposition",
                        iom_arena_printf(&r->arena, "attachment; filename=\"%s\"", out.filename));
        http_bytes(r, status, out.content_type, doc, out.text.len);
    } else if (out.text.data)
        http_json_text(r, status, &out.text);
    else {
        /* a job's failure is the import's message, written for the command line too: in the
           API's words (review 66) */
        json_t *je = out.json ? json_object_get(json_object_get(out.json, "error"), "detail") : NULL;
        if (json_is_string(je)) {
            char text[2 * IOM_ERRMSG_MAX];
            json_string_set(je, http_api_detail(json_string_value(je), text, sizeof text));
        }
        http_json(r, status, out.json);
    }
    iom_buf_free(&out.text);
}
