/* respond.c: JSON answers and RFC 9457 problems. The server (server.c) turns them into an
   MHD response with the security headers. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "app/readlog.h"
#include "http/internal.h"
#include "ops/ops.h"
#include "util/text.h"

void http_json(http_req *r, int status, json_t *j)
{
    json_decref(r->out);
    iom_buf_free(&r->text);
    r->text = (iom_buf)IOM_BUF_INIT;
    r->out = j;
    r->status = status;
    r->content_type = "application/json";
}

void http_json_text(http_req *r, int status, iom_buf *text)
{
    http_json(r, status, NULL);
    r->text = *text;
    *text = (iom_buf)IOM_BUF_INIT;
}

static void problem_v(http_req *r, int status, const char *kind, const char *title,
                      const char *fmt, va_list ap)
{
    char detail[2 * IOM_ERRMSG_MAX];
    vsnprintf(detail, sizeof detail, fmt, ap);
    char type[96];
    snprintf(type, sizeof type, "urn:iom:problem:%s", kind);
    /* json_string refuses invalid UTF-8: a detail quoting hostile input, or a value cut inside
       a character by a "%.64s", is repaired ('?' for each stray byte) rather than lost */
    iom_utf8_repair(detail);
    json_t *d = json_string(detail);
    if (!d)
        d = json_string("the request was refused (detail not printable)");
    json_t *j = json_pack("{s:s, s:s, s:i, s:o, s:s}", "type", type, "title", title, "status",
                          status, "detail", d, "request_id", r->request_id);
    http_json(r, status, j);
    r->content_type = "application/problem+json";
    r->problem_set = true;
}

void http_problem(http_req *r, int status, const char *kind, const char *title,
                  const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    problem_v(r, status, kind, title, fmt, ap);
    va_end(ap);
}

char *http_api_detail(const char *s, char *out, size_t n)
{
    if (!n)
        return out;
    size_t o = 0;
    bool quoted = false, value = false; /* inside `...`: a command to type; '...': a value quoted */
    for (const char *p = s; *p && o + 1 < n; p++) {
        if (*p == '`')
            quoted = !quoted;
        else if (*p == '\'' && !quoted && (value || p == s || p[-1] == ' ' || p[-1] == '(' || p[-1] == ':'))
            value = !value; /* a value the client sent ('--evil'): as sent (review 68) */
        if (value) {
            out[o++] = *p;
            continue;
        }
        bool cli = p - s >= 4 && !strncmp(p - 4, "CLI ", 4); /* "(CLI --version N)": the CLI's */
        if (!quoted && !cli && p[0] == '-' && p[1] == '-' &&
            ((p[2] >= 'a' && p[2] <= 'z') || (p[2] >= 'A' && p[2] <= 'Z')) &&
            (p == s || p[-1] == '(' || p[-1] == ' ' || p[-1] == '\'' || p[-1] == '"')) {
            p++; /* the option's dashes: the field's name stays */
            continue;
        }
        out[o++] = *p;
    }
    out[o] = '\0';
    return out;
}

char *http_api_text(const char *s, char *out, size_t n)
{
    if (!n)
        return out;
    size_t o = 0;
    int depth = 0, cli_depth = 0; /* cli_depth: the depth of the parenthesis opened with "(--" */
    for (const char *p = s; *p && o + 1 < n; p++) {
        if (*p == '(') {
            depth++;
            if (!cli_depth && p[1] == '-' && p[2] == '-')
                cli_depth = depth;
        } else if (*p == ')' && depth > 0) {
            if (cli_depth == depth)
                cli_depth = 0;
            depth--;
        } else if (cli_depth && p[0] == '-' && p[1] == '-' && p[2] && p[2] != '-' && p[2] != ' ' &&
                   p > s && (p[-1] == '(' || p[-1] == ' ')) {
            p++; /* the option's dashes: the field's name stays */
            continue;
        }
        out[o++] = *p;
    }
    out[o] = '\0';
    return out;
}

/* The cause of a failure that is not the request's (5xx) in the server's log, one line: the
   answer says only "storage failure", so an operator finds the cause here by request id.
   Control bytes of the message (which may quote what a client sent) are written \xHH, so a
   message cannot forge log lines. */
static void log_cause(const http_req *r, const char *msg)
{
    char line[sizeof r->ctx.err.msg * 4 + 1];
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)msg; *p && o + 5 < sizeof line; p++)
        if (*p < 0x20 || *p == 0x7F)
            o += (size_t)snprintf(line + o, sizeof line - o, "\\x%02X", *p);
        else
            line[o++] = (char)*p;
    line[o] = '\0';
    fprintf(stderr, "iom serve: request %s: %s\n", r->request_id, line);
}
/* A problem's title, one per type whatever the occurrence (RFC 9457; review 100 L4: an
   application's refusal read "invalid input" or "not found" where the server's own read
   "Invalid request" or "Not found"); the detail says what was wrong. */
static const char *problem_title(iom_err err)
{
    switch (err) {
    case IOM_EINVAL: return "Invalid request";
    case IOM_ENOTFOUND: return "Not found";
    case IOM_EFORBIDDEN: return "Forbidden";
    case IOM_ECONFLICT: return "Conflict";
    case IOM_EAUTH: return "Not signed in";
    case IOM_ETOOBIG: return "Request too large";
    case IOM_EBUSY: case IOM_EUNAVAILABLE: return "Service unavailable";
    case IOM_OK: case IOM_ESTORE: case IOM_ENOMEM: case IOM_EIO: case IOM_ESCHEMA: case IOM_EINTEGRITY:
    case IOM_EUSAGE: return "Internal error";
    }
    return "Internal error";
}


/* A problem's field as the request names it (review 106 M1: the use-cases note a field by its
   command-line name, "capability", "role", "field", where the API's body has "capabilities",
   "roles", "fields"): the leading name, before any "[i]" or ".part", is looked up among the
   route's operation's fields by their CLI option (its .cli, else the name with '_' as '-');
   a CLI-only file beside an API-only CSV text is that text ("file" -> "csv"). */
static void api_field_name(const http_req *r, const char *field, char *out, size_t cap)
{
    snprintf(out, cap, "%s", field ? field : "");
    const op_def *op = r->route ? r->route->op : NULL;
    if (!op || !field)
        return;
    size_t n = strcspn(field, "[.");
    for (const op_field *f = op->fields; f->name; f++)
        if (strlen(f->name) == n && !strncmp(f->name, field, n) && !(f->flags & OF_CLI_ONLY))
            return; /* the API's own name */
    for (const op_field *f = op->fields; f->name; f++) {
        if (f->flags & OF_CLI_ONLY)
            continue;
        char cli[64];
        snprintf(cli, sizeof cli, "%s", f->cli ? f->cli : f->name);
        for (char *c = cli; !f->cli && *c; c++)
            if (*c == '_')
                *c = '-';
        if (strlen(cli) == n && !strncmp(cli, field, n)) {
            snprintf(out, cap, "%s%s", f->name, field + n);
            return;
        }
    }
    bool cli_file = false, api_csv = false;
    for (const op_field *f = op->fields; f->name; f++) {
        cli_file |= !strcmp(f->name, "file") && (f->flags & OF_CLI_ONLY);
        api_csv |= !strcmp(f->name, "csv") && (f->flags & OF_API_ONLY);
    }
    if (cli_file && api_csv && n == 4 && !strncmp(field, "file", 4))
        snprintf(out, cap, "csv%s", field + n);
}

void http_fail(http_req *r, iom_err err)
{
    if (err == IOM_ESTORE && r->store && r->store->ops->unreachable &&
        r->store->ops->unreachable(r->store)) {
        /* The database server cannot be reached (a PostgreSQL server restarting, its
           connection lost): no fault of the request. The transaction it was in is lost; the
           store handle connects again at its next use (store.h unreachable). */
        log_cause(r, r->ctx.err.msg);
        r->retry_after = 1;
        http_problem(r, 503, "unavailable", "Service unavailable",
                     "the database cannot be reached just now; try again shortly");
        return;
    }
    /* a refusal of a route outside the operation table (a product's download or upload, an
       upload's check before its body) is an attempt the auditor sees too (review 92 M2; the
       operations log theirs in op_execute, and this logs nothing twice) */
    if ((err == IOM_EFORBIDDEN || err == IOM_ENOTFOUND) && !r->ctx.refusal_logged && r->route) {
        const char *name = r->route->op ? r->route->op->name
                                        : iom_arena_printf(&r->arena, "%s %s", r->route->method, r->route->pattern);
        const char *ref = r->nparams > 0 ? r->values[0] : NULL;
        if (ref && strlen(ref) > 128)
            ref = iom_arena_printf(&r->arena, "%.128s", ref);
        /* a reference in the case its route takes it (review 93 M2: `prd-000001` was logged so,
           and the auditor's search for PRD-000001 missed it): the routes outside the table take
           references only; an operation's path field when it is one */
        bool is_ref = !r->route->op;
        if (r->route->op && r->nparams > 0) {
            int fi = op_field_index(r->route->op, r->names[0]);
            is_ref = fi >= 0 && (r->route->op->fields[fi].flags & OF_REF);
        }
        if (is_ref)
            ref = op_ref_upper(&r->arena, ref);
        app_read_log_refused(&r->ctx, name, ref, err);
    }
    int status = iom_err_http_status(err);
    const char *detail = r->ctx.err.msg[0] ? r->ctx.err.msg : iom_err_text(err);
    if (status >= 500) {
        log_cause(r, detail);
        /* store internals stay in the server's log; a busy answer says what to wait for (one
           import at a time, the jobs running, the read log's queue, the database's lock: no
           internals; review 83 L7: a second import was told only "busy") */
        if (err != IOM_EBUSY || !r->ctx.err.msg[0])
            detail = iom_err_text(err);
    }
    if (err == IOM_EAUTH)
        r->www_authenticate = true;
    if (err == IOM_EBUSY && r->retry_after <= 0)
        r->retry_after = 1; /* the read log's queue empties within a batch or two */
    char text[sizeof r->ctx.err.msg];
    http_problem(r, status, iom_err_name(err), problem_title(err), "%s",
                 http_api_detail(detail, text, sizeof text));
    /* every problem of the request's fields, when there were several: "errors", each with the
       field as the request named it and its detail (the first is "detail" too) */
    if (app_problems_apply(&r->ctx) && r->out) {
        json_t *list = json_array();
        size_t n = r->ctx.nproblems < IOM_MAX_PROBLEMS ? r->ctx.nproblems : IOM_MAX_PROBLEMS;
        for (size_t i = 0; list && i < n; i++) {
            char d[sizeof r->ctx.err.msg], f[80];
            http_api_detail(r->ctx.problems[i], d, sizeof d);
            api_field_name(r, r->ctx.problem_fields[i], f, sizeof f);
            iom_utf8_repair(d);
            iom_utf8_repair(f);
            json_array_append_new(list, json_pack("{s:s, s:s}", "field", f, "detail", d));
        }
        if (list)
            json_object_set_new(r->out, "errors", list);
        if (r->ctx.nproblems > n)
            json_object_set_new(r->out, "errors_not_shown", json_integer((json_int_t)(r->ctx.nproblems - n)));
    }
}
