/*
 * cli_ops.c: the CLI made from the operation table (ops/ops.h). For a row it derives the
 * options (a field "force_tasking_ref" is --force-tasking-ref; OF_PATH fields are positional
 * arguments in order; OT_BOOL is a flag; OT_STRINGS may be repeated; OT_DOC is --from-json
 * FILE|-; OF_VERSION is --if-version N), the usage text of --help, the decoding into op_in,
 * and runs the row. Text output comes from the renderers of render.c; --json prints the
 * API's object.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app/json.h"
#include "cli/commands.h"
#include "ops/ops.h"

#define DOC_MAX (1u << 20) /* bytes of a --from-json document */
#define SECRET_MAX 258     /* bytes of a password line read from standard input, with CR LF */

/* Positional on the command line: a path segment of the API, or OF_ARG. */
static bool positional(const op_field *f)
{
    return (f->flags & (OF_PATH | OF_ARG)) && !(f->flags & OF_CLI_OPT);
}

/* Whether a field has a command-line option of its own. */
static bool has_option(const op_field *f)
{
    return !positional(f) && !(f->flags & (OF_SECRET | OF_API_ONLY)) && f->type != OT_OBJECT;
}

/* Whether the row takes its body fields from a --from-json document too (rows with body
   fields and no whole document of their own). */
static bool takes_doc(const op_def *op)
{
    bool body = false;
    for (const op_field *f = op->fields; f && f->name; f++) {
        if (f->type == OT_DOC)
            return false;
        body = body || op_body_field(f);
    }
    return body;
}

/* Whether the row has secrets, and whether they are read without being asked for. */
static bool has_secret(const op_def *op, bool *always)
{
    bool any = false;
    *always = false;
    for (const op_field *f = op->fields; f && f->name; f++)
        if (f->flags & OF_SECRET) {
            any = true;
            *always = *always || (f->flags & (OF_NEEDED | OF_REQUIRED));
        }
    return any;
}

/* The option name of a field (without dashes), in buf. */
static const char *opt_name(const op_field *f, char *buf, size_t cap)
{
    if (f->cli)
        return f->cli;
    if (f->type == OT_DOC)
        return "from-json";
    size_t i = 0;
    for (; f->name[i] && i < cap - 1; i++)
        buf[i] = f->name[i] == '_' ? '-' : f->name[i];
    buf[i] = '\0';
    return buf;
}

static const char *meta_of(const op_field *f)
{
    if (f->meta)
        return f->meta;
    switch (f->type) {
    case OT_INT: return "N";
    case OT_DOC: case OT_OBJECT: return "FILE.json";
    case OT_STRING: case OT_STRINGS: case OT_BOOL: break;
    }
    return "TEXT";
}

void cli_op_usage(FILE *f, const op_def *op)
{
    char buf[64];
    fprintf(f, "usage: iom --as USER %s%s%s", op->group, *op->cmd ? " " : "", op->cmd);
    for (const op_field *x = op->fields; x && x->name; x++)
        if (positional(x))
            fprintf(f, " %s", meta_of(x));
    for (const op_field *x = op->fields; x && x->name; x++) {
        if (!has_option(x))
            continue;
        const char *o = opt_name(x, buf, sizeof buf);
        bool req = x->flags & (OF_REQUIRED | OF_NEEDED);
        if (x->type == OT_BOOL)
            fprintf(f, " %s--%s%s", req ? "" : "[", o, req ? "" : "]");
        else
            fprintf(f, " %s--%s %s%s%s", req ? "" : "[", o, meta_of(x),
                    x->type == OT_STRINGS ? "..." : "", req ? "" : "]");
    }
    bool always;
    if (has_secret(op, &always) && !always)
        fprintf(f, " [--password-stdin]");
    if (takes_doc(op))
        fprintf(f, " [--from-json FILE.json]");
    fprintf(f, "\n%s%s", op->summary, op->summary[0] ? ".\n" : "");
    if (op->help)
        fprintf(f, "%s\n", op->help);
    bool any = false;
    for (const op_field *x = op->fields; x && x->name; x++) {
        if (!x->doc)
            continue;
        if (!any)
            fprintf(f, "\n");
        any = true;
        char left[96];
        if (positional(x))
            snprintf(left, sizeof left, "%s", meta_of(x));
        else if (x->flags & OF_SECRET)
            snprintf(left, sizeof left, "(stdin) %s", x->name);
        else if (x->type == OT_OBJECT)
            snprintf(left, sizeof left, "(json) %s", x->name);
        else if (x->flags & OF_API_ONLY) /* no option: the API's body (or --from-json) only */
            snprintf(left, sizeof left, "(API) %s", x->name);
        else
            snprintf(left, sizeof left, "--%s", opt_name(x, buf, sizeof buf));
        fprintf(f, "  %-22s %s%s\n", left, x->doc,
                x->type == OT_STRINGS ? " (may be given several times)" : "");
    }
    if (takes_doc(op))
        fprintf(f, "\n--from-json reads the fields from a JSON document (the API's request body,\n"
                   "docs/api.md); options given as well override its values.\n");
    if (op->flags & OP_CONTENT_READ)
        fprintf(f, "\nA read of intelligence content: logged with --purpose (or the relation that\n"
                   "grants you access).\n");
}

static iom_err decode(cli_t *cli, const op_def *op, cli_opt *opts, const char **pos, int npos,
                      op_in *in)
{
    memset(in, 0, sizeof *in);
    in->op = op;
    int p = 0, k = 0;
    for (int i = 0; op->fields && op->fields[i].name; i++) {
        const op_field *f = &op->fields[i];
        op_value *v = &in->v[i];
        if (positional(f)) {
            if (p < npos) {
                v->set = true;
                v->s = pos[p++];
                long long x;
                if (f->type == OT_INT && cli_uint(cli, f->name, v->s, 1LL << 53, &x))
                    return IOM_EINVAL;
                v->i = f->type == OT_INT ? x : 0;
            }
            continue;
        }
        if (!has_option(f))
            continue;
        cli_opt *o = &opts[k++];
        if (!o->count)
            continue;
        v->set = true;
        if (f->type == OT_DOC || (f->flags & OF_FILE)) { /* the option names a file */
            char *text;
            iom_err err = cli_read_file(cli, o->name, o->value, DOC_MAX, &text);
            if (err)
                return err;
            v->s = text;
            continue;
        }
        switch (f->type) {
        case OT_STRING:
            v->s = o->value;
            break;
        case OT_BOOL:
            v->b = !(f->flags & OF_NEGATE);
            break;
        case OT_STRINGS:
            for (int j = 0; j < o->count && j < OP_MAX_VALUES; j++)
                v->v[v->nv++] = o->values[j];
            break;
        case OT_INT:
            if (f->flags & (OF_VERSION | OF_CLI_OPT)) {
                if (cli_version(cli, o->name, o->value, &v->i))
                    return IOM_EINVAL;
            } else { /* signed: the row's range or the use-case names a wrong value */
                char *end;
                errno = 0;
                long long x = strtoll(o->value, &end, 10);
                if (!*o->value || errno || *end)
                    return iom_fail(&cli->ctx.err, IOM_EINVAL, "%s: '%.48s' is not a whole number",
                                    f->name, o->value);
                v->i = x;
            }
            break;
        case OT_DOC: case OT_OBJECT: /* a file (above), or only through --from-json */
            break;
        }
    }
    bool always;
    if (has_secret(op, &always) && (always || opts[k++].count)) {
        for (int i = 0; op->fields[i].name; i++) {
            const op_field *f = &op->fields[i];
            if (!(f->flags & OF_SECRET))
                continue;
            char *buf = iom_arena_alloc(&cli->arena, SECRET_MAX);
            char prompt[80]; /* "new password: " for new_password */
            size_t j = 0;
            for (const char *c = f->name; *c && j < sizeof prompt - 3; c++)
                prompt[j++] = *c == '_' ? ' ' : *c;
            memcpy(prompt + j, ": ", 3);
            iom_err err = cli_read_secret(cli, prompt, buf, SECRET_MAX);
            if (err)
                return err;
            in->v[i].set = true;
            in->v[i].s = buf;
        }
    }
    return IOM_OK;
}

/* The usage, then "iom: --user is required", on the error stream; with --json the error
   object alone. */
static void error_line_usage(cli_t *cli, const op_def *op, const char *opt)
{
    if (cli->json) {
        iom_fail(&cli->ctx.err, IOM_EUSAGE, "--%s is required", opt);
        cli_fail(cli, IOM_EUSAGE);
        return;
    }
    cli_op_usage(cli->err, op);
    fprintf(cli->err, "iom: --%s is required\n", opt);
}

/* --from-json FILE: the body fields from a JSON document, decoded exactly as the API's body;
   the options given on the command line win. OUT *doc keeps the strings alive. */
static iom_err read_doc(cli_t *cli, const char *path, json_t **doc, op_in *in)
{
    char *text;
    iom_err err = cli_read_file(cli, "from-json", path, DOC_MAX, &text);
    if (err)
        return err;
    json_error_t je;
    *doc = json_loads(text, JSON_REJECT_DUPLICATES, &je);
    if (!*doc || !json_is_object(*doc))
        return iom_fail(&cli->ctx.err, IOM_EINVAL, "from-json: '%s' is not a JSON object%s%s", path,
                        *doc ? "" : ": ", *doc ? "" : json_error_reason(&je));
    op_in given = *in; /* the options' values win over the document's */
    if ((err = op_decode_body(&cli->ctx, in, *doc)))
        return err;
    for (int i = 0; in->op->fields[i].name; i++)
        if (given.v[i].set)
            in->v[i] = given.v[i];
    return IOM_OK;
}

/* Wipes the secrets read from standard input once the row has run. */
static void wipe_secrets(op_in *in)
{
    for (int i = 0; in->op->fields && in->op->fields[i].name; i++)
        if ((in->op->fields[i].flags & OF_SECRET) && in->v[i].set && in->v[i].s)
            sodium_memzero((char *)in->v[i].s, strlen(in->v[i].s));
}

/* Text for people: the row's renderer (render.c), or the result's JSON when it has none. */
static void render(cli_t *cli, const op_def *op, op_out *out)
{
    if (out->content_type) { /* a document (CSV): as it is, in either mode */
        fwrite(out->text.data, 1, out->text.len, cli->out);
        return;
    }
    if (cli->json) {
        cli_print_json(cli, out->json);
        out->json = NULL;
        return;
    }
    if (out->status) /* a failure that is also a result: the detail, as any failure */
        return;
    if ((op->flags & OP_CLI_REF) && out->ref) {
        fprintf(cli->out, "%s\n", out->ref);
        return;
    }
    /* A read's text starts with the highest marking of what it shows (a change's answer shows
       the marking inline, in its object's own lines). */
    if (out->marking >= 0 && !(op->flags & OP_WRITE))
        fprintf(cli->out, "%s\n", iom_marking_name((iom_marking)out->marking));
    if (!cli_render(cli, op, out) && out->json)
        cli_print_text(cli, out->json);
}

int cli_op_run(cli_t *cli, const op_def *op, int argc, char **argv)
{
    /* One cli_opt per non-positional field, in field order. */
    cli_opt opts[OP_MAX_FIELDS + 1];
    char names[OP_MAX_FIELDS][64];
    int k = 0, maxpos = 0;
    memset(opts, 0, sizeof opts);
    for (const op_field *f = op->fields; f && f->name; f++) {
        if (positional(f)) {
            maxpos++;
            continue;
        }
        if (!has_option(f))
            continue;
        opts[k] = (cli_opt){.name = opt_name(f, names[k], sizeof names[k]),
                            .has_arg = f->type != OT_BOOL, .repeat = f->type == OT_STRINGS};
        k++;
    }
    bool always;
    if (has_secret(op, &always))
        opts[k++] = (cli_opt){.name = "password-stdin"};
    cli_opt *from_json = NULL;
    if (takes_doc(op)) {
        from_json = &opts[k];
        opts[k++] = (cli_opt){.name = "from-json", .has_arg = true};
    }
    char *usage = NULL;
    size_t ulen = 0;
    FILE *uf = open_memstream(&usage, &ulen);
    if (!uf)
        return cli_fail(cli, IOM_ENOMEM);
    cli_op_usage(uf, op);
    fclose(uf);
    const char *pos[OP_MAX_FIELDS];
    int npos = 0;
    int prc = cli_parse(cli, argc, argv, opts, pos, maxpos, &npos, usage);
    if (prc == 0 && npos < maxpos) {
        prc = cli_usage_error(cli, usage);
    }
    free(usage);
    if (prc == -1)
        return 0;
    if (prc)
        return iom_err_exit_code(IOM_EUSAGE);
    op_in in;
    op_out out = {0};
    json_t *doc = NULL;
    iom_err err = decode(cli, op, opts, pos, npos, &in);
    if (!err && from_json && from_json->count)
        err = read_doc(cli, from_json->value, &doc, &in);
    for (int i = 0; !err && op->fields && op->fields[i].name; i++)
        if ((op->fields[i].flags & OF_REQUIRED) && !in.v[i].set) {
            /* a required option missing from the command line is a usage error (13) */
            char buf[64];
            error_line_usage(cli, op, opt_name(&op->fields[i], buf, sizeof buf));
            json_decref(doc);
            return iom_err_exit_code(IOM_EUSAGE);
        }
    if (!err)
        err = op_execute(&cli->ctx, &in, &out);
    wipe_secrets(&in);
    if (!err && !out.json && out.text.data && !out.content_type) { /* JSON text: a tree for --json */
        out.json = json_loadb(out.text.data, out.text.len, 0, NULL);
        if (!out.json)
            err = iom_fail(&cli->ctx.err, IOM_ENOMEM, "out of memory reading a result");
    }
    if (!err)
        render(cli, op, &out);
    iom_buf_free(&out.text);
    json_decref(out.json);
    json_decref(doc);
    if (!err && out.status) /* shown (--json) and still a failure: its exit status */
        return cli->json ? iom_err_exit_code(out.status) : cli_fail(cli, out.status);
    return err ? cli_fail(cli, err) : 0;
}
