/* ops.c: looking rows and input values up, and the checks every adapter applies. */
#include "ops/ops.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/readlog.h"
#include "util/text.h"

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

int op_int_sat(const op_in *in, const char *name, int def)
{
    int64_t v = op_int(in, name, def);
    return v > INT_MAX ? INT_MAX : v < INT_MIN ? INT_MIN : (int)v;
}

bool op_bool(const op_in *in, const char *name)
{
    const op_value *v = op_get(in, name);
    return v && v->set && v->b;
}

const char *op_json_text(const op_in *in, const char *name, iom_arena *a)
{
    const op_value *v = op_get(in, name);
    if (!v || !v->set)
        return NULL;
    if (!v->j)
        return v->s;
    char *t = json_dumps(v->j, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!t)
        return NULL;
    char *copy = iom_arena_strdup(a, t);
    free(t);
    return copy;
}

/* The checks of op_check on fields [0, ...) of in, each problem noted. */
static void check_values(iom_ctx *c, const op_in *in)
{
    const op_def *op = in->op;
    for (int i = 0; op->fields && op->fields[i].name; i++) {
        const op_field *f = &op->fields[i];
        const op_value *v = &in->v[i];
        if ((f->flags & OF_REQUIRED) && !v->set) {
            app_problem(c, f->name, "%s: required", f->name);
            continue;
        }
        if (v->set && f->type == OT_INT && f->max > 0 && (v->i < f->min || v->i > f->max)) {
            app_problem(c, f->name, "%s: %lld is not from %lld to %lld", f->name, (long long)v->i,
                    (long long)f->min, (long long)f->max);
            continue;
        }
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
                char shown[64]; /* a hostile value shown safely (review 102: bidi controls) */
                iom_text_shown(s, shown, sizeof shown);
                app_problem(c, f->name, "%s: '%s' is not one of: %s", f->name, shown, list);
                break;
            }
        }
    }
}

iom_err op_check(iom_ctx *c, const op_in *in)
{
    c->nproblems = 0;
    check_values(c, in);
    return c->nproblems ? IOM_EINVAL : IOM_OK;
}

bool op_body_field(const op_field *f)
{
    return !(f->flags & (OF_PATH | OF_QUERY | OF_VERSION | OF_CLI_ONLY | OF_PURPOSE)) &&
           f->type != OT_DOC;
}

static const char *type_text(op_ftype t)
{
    switch (t) {
    case OT_STRING: return "a string";
    case OT_INT: return "an integer";
    case OT_BOOL: return "true or false";
    case OT_STRINGS: return "an array of strings";
    case OT_DOC: case OT_OBJECT: break;
    }
    return "an object";
}

iom_err op_decode_body(iom_ctx *c, op_in *in, json_t *body)
{
    c->nproblems = 0;
    const op_def *op = in->op;
    const char *key;
    json_t *x;
    json_object_foreach(body, key, x) {
        int i = op_field_index(op, key);
        if (i < 0 || !op_body_field(&op->fields[i])) {
            /* the fields it takes, named (review 81 L9: "owner: unknown field" on a threat said
               nothing of how ownership moves) */
            char list[512];
            size_t o = 0;
            list[0] = '\0';
            for (int k = 0; op->fields && op->fields[k].name; k++)
                if (op_body_field(&op->fields[k]) && o + strlen(op->fields[k].name) + 3 < sizeof list)
                    o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", o ? ", " : "", op->fields[k].name);
            app_problem(c, key, "%.64s: unknown field (this request takes %s)%s", key,
                    o ? list : "no fields",
                    strcmp(key, "owner") == 0 ? "; a threat's owner changes only by a transfer "
                                                "(request_transfer, decided by the TTCG or the FTT)"
                                              : "");
        }
    }
    for (int i = 0; op->fields && op->fields[i].name; i++) {
        const op_field *f = &op->fields[i];
        if (!op_body_field(f))
            continue;
        op_value *v = &in->v[i];
        x = body ? json_object_get(body, f->name) : NULL;
        if (!x || json_is_null(x)) {
            if ((f->flags & OF_REQUIRED) && !v->set)
                app_problem(c, f->name, "%s: required", f->name);
            continue;
        }
        if (f->type == OT_STRING && (f->flags & OF_JSON)) { /* any JSON value */
            memset(v, 0, sizeof *v);
            v->set = true;
            v->j = x;
            continue;
        }
        if (f->type == OT_STRING && (f->flags & OF_NUMBER_OK) && json_is_number(x)) {
            memset(v, 0, sizeof *v);
            v->set = true;
            if (json_is_integer(x))
                snprintf(v->num, sizeof v->num, "%lld", (long long)json_integer_value(x));
            else {
                /* the number as sent: the shortest plain decimal that reads back as the same
                   double (review 83 L2: "%.6f" made 0.9999999 into 1.000000, refused as a
                   value never sent); too long for that (1e300): as %.17g, refused naming it */
                double d = json_real_value(x);
                bool done = false;
                for (int p = 1; p <= 20 && !done; p++) {
                    int k = snprintf(v->num, sizeof v->num, "%.*f", p, d);
                    done = k > 0 && (size_t)k < sizeof v->num && strtod(v->num, NULL) == d;
                }
                if (!done)
                    snprintf(v->num, sizeof v->num, "%.17g", d);
            }
            v->s = v->num;
            continue;
        }
        bool ok = (f->type == OT_STRING && json_is_string(x)) ||
                  (f->type == OT_INT && json_is_integer(x)) ||
                  (f->type == OT_BOOL && json_is_boolean(x)) ||
                  (f->type == OT_OBJECT && json_is_object(x)) ||
                  (f->type == OT_STRINGS &&
                   (json_is_array(x) || (json_is_string(x) && (f->flags & OF_ONE_OK))));
        if (!ok) {
            app_problem(c, f->name, "%s: must be %s", f->name,
                    f->type == OT_STRINGS && (f->flags & OF_ONE_OK) ? "a string or an array of strings"
                    : f->type == OT_STRING && (f->flags & OF_NUMBER_OK) ? "a number or a string"
                                                                         : type_text(f->type));
            continue;
        }
        memset(v, 0, sizeof *v);
        v->set = true;
        switch (f->type) {
        case OT_STRING: v->s = json_string_value(x); break;
        case OT_INT: v->i = json_integer_value(x); break;
        case OT_BOOL: v->b = json_is_true(x); break;
        case OT_OBJECT: v->j = x; break;
        case OT_STRINGS: {
            if (json_is_string(x)) { /* one value may be given alone */
                v->v[v->nv++] = json_string_value(x);
                break;
            }
            if (json_array_size(x) > OP_MAX_VALUES) {
                app_problem(c, f->name, "%s: at most %d values", f->name, OP_MAX_VALUES);
                v->set = false;
                break;
            }
            size_t k;
            json_t *y;
            json_array_foreach(x, k, y) {
                if (!json_is_string(y)) {
                    app_problem(c, f->name, "%s[%zu]: must be a string", f->name, k);
                    v->set = false;
                    v->nv = 0;
                    break;
                }
                v->v[v->nv++] = json_string_value(y);
            }
            break;
        }
        case OT_DOC: break;
        }
    }
    if (!c->nproblems)
        return IOM_OK;
    /* and what op_check would refuse next among the fields that decoded, so that every problem
       of the input is told at once (a field noted above is not noted again) */
    check_values(c, in);
    return IOM_EINVAL;
}

const char *op_ref_upper(iom_arena *a, const char *s)
{
    bool lower = false;
    for (const char *p = s; p && *p && !lower; p++)
        lower = *p >= 'a' && *p <= 'z';
    if (!lower)
        return s;
    char *u = iom_arena_strdup(a, s);
    for (char *p = u; *p; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    return u;
}

/* References are upper case (TOEX-2026-000004); people type them in any case. */
static void upper_refs(iom_ctx *c, op_in *in)
{
    for (int i = 0; in->op->fields && in->op->fields[i].name; i++) {
        op_value *v = &in->v[i];
        if ((in->op->fields[i].flags & OF_REF) && v->set && v->s)
            v->s = op_ref_upper(c->arena, v->s);
    }
}

/* The lengths in bytes of the values NFC made longer or shorter than they were sent (review 102
   L7): a limit is measured on the composed text, and its message says so
   (iom_text_length_composed). The first NFC_SEEN_MAX are kept. */
#define NFC_SEEN_MAX 16
typedef struct nfc_seen {
    size_t len[NFC_SEEN_MAX];
    size_t n;
} nfc_seen;

static void nfc_saw(nfc_seen *seen, const char *sent, const char *nfc)
{
    size_t a = strlen(sent), b = strlen(nfc);
    if (seen && a != b && seen->n < NFC_SEEN_MAX)
        seen->len[seen->n++] = b;
}

/* The strings of JSON value j in NFC, in place (a document's or an object's text); how many
   changed. */
static size_t nfc_json(json_t *j, int depth, nfc_seen *seen)
{
    size_t n = 0;
    if (!j || depth > 64)
        return 0;
    if (json_is_string(j)) {
        char *nfc = iom_text_nfc(json_string_value(j));
        if (nfc) {
            nfc_saw(seen, json_string_value(j), nfc);
            n += json_string_set(j, nfc) == 0;
            free(nfc);
        }
    } else if (json_is_array(j)) {
        size_t i;
        json_t *x;
        json_array_foreach(j, i, x)
            n += nfc_json(x, depth + 1, seen);
    } else if (json_is_object(j)) {
        const char *k;
        json_t *x;
        json_object_foreach(j, k, x)
            n += nfc_json(x, depth + 1, seen);
    }
    return n;
}

/* A document's JSON text with its strings in NFC (escaped characters too: "\u0301"), in the
   arena; the text itself when nothing changes or it is not JSON (the use-case says why). */
static const char *nfc_doc(iom_ctx *c, const char *text, nfc_seen *seen)
{
    bool plain = true;
    for (const char *p = text; *p && plain; p++)
        plain = (unsigned char)*p < 0x80 && !(p[0] == '\\' && p[1] == 'u');
    if (plain)
        return text;
    json_error_t je;
    json_t *j = json_loads(text, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
    if (!j)
        return text;
    const char *out = text;
    if (nfc_json(j, 0, seen)) {
        char *d = json_dumps(j, JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
        if (d) {
            out = iom_arena_strdup(c->arena, d);
            free(d);
        }
    }
    json_decref(j);
    return out;
}

/* Text values in NFC (OF_RAW ones, passwords and JSON setting values as given: util/text.h
   iom_text_nfc), in the context's arena; a document's (a ToR) and an object's strings too,
   so that a milestone named in the ToR and in `milestone-done` compare as one (review 102 M3). */
static void nfc_text(iom_ctx *c, op_in *in, nfc_seen *seen)
{
    for (int i = 0; in->op->fields && in->op->fields[i].name; i++) {
        const op_field *f = &in->op->fields[i];
        op_value *v = &in->v[i];
        if (!v->set || (f->flags & (OF_RAW | OF_SECRET | OF_JSON)))
            continue;
        if (f->type == OT_OBJECT) {
            nfc_json(v->j, 0, seen);
            continue;
        }
        if (f->type == OT_DOC && v->s) {
            v->s = nfc_doc(c, v->s, seen);
            continue;
        }
        if (f->type != OT_STRING && f->type != OT_STRINGS)
            continue;
        size_t n = f->type == OT_STRINGS ? v->nv : 1;
        for (size_t k = 0; k < n; k++) {
            const char **p = f->type == OT_STRINGS ? &v->v[k] : &v->s;
            char *nfc = iom_text_nfc(*p);
            if (nfc) {
                nfc_saw(seen, *p, nfc);
                *p = iom_arena_strdup(c->arena, nfc);
                free(nfc);
            }
        }
    }
}

static void mark_object(json_t *o, int m)
{
    if (json_is_object(o) && !json_object_get(o, "marking"))
        json_object_set_new(o, "marking", json_string(iom_marking_name((iom_marking)m)));
}

void op_mark(op_out *out, int m)
{
    if (m < 0)
        return;
    if (m > out->marking)
        out->marking = m;
    json_t *items = json_object_get(out->json, "items");
    if (json_is_array(items)) {
        size_t i;
        json_t *x;
        json_array_foreach(items, i, x)
            mark_object(x, m);
    } else {
        mark_object(out->json, m);
    }
}

/* The highest "marking" (or "threat_marking") anywhere in the answer: objects nested in it
   (an audit entry's before and after images) count too. */
static int marking_of(const json_t *j)
{
    int best = -1;
    if (json_is_object(j)) {
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)j, k, v) {
            const char *s = json_string_value(v);
            iom_marking m;
            iom_error e = {0};
            if (s && (strcmp(k, "marking") == 0 || strcmp(k, "threat_marking") == 0) &&
                iom_marking_parse(s, &m, &e) == IOM_OK && (int)m > best)
                best = (int)m;
            else if (!s) {
                int sub = marking_of(v);
                best = sub > best ? sub : best;
            }
        }
    } else if (json_is_array(j)) {
        size_t i;
        json_t *v;
        json_array_foreach((json_t *)j, i, v) {
            int sub = marking_of(v);
            best = sub > best ? sub : best;
        }
    }
    return best;
}

/* The object an operation names: its first path argument or, with none, the first reference
   given in the query or the body (a search's `tasking`, APMIS's `threat`, a bid's `threat`:
   review 94 L3, those probes were logged with no object); at most 128 bytes of it; or NULL.
   References were upper-cased (op_ref_upper) by upper_refs. */
static const char *object_of(iom_ctx *c, const op_in *in)
{
    const char *s = NULL;
    for (int pass = 0; pass < 2 && !s; pass++)
        for (int i = 0; in->op->fields && in->op->fields[i].name && !s; i++) {
            int flag = pass == 0 ? OF_PATH : OF_REF;
            if ((in->op->fields[i].flags & flag) && (pass == 0 || in->op->fields[i].type == OT_STRING) &&
                in->v[i].set && in->v[i].s && *in->v[i].s)
                s = in->v[i].s;
        }
    return s && strlen(s) > 128 ? iom_arena_printf(c->arena, "%.128s", s) : s;
}

iom_err op_execute(iom_ctx *c, const op_in *given, op_out *out)
{
    out->marking = -1;
    op_in norm = *given;
    op_in *in = &norm;
    upper_refs(c, in);
    nfc_seen seen = {0};
    nfc_text(c, in, &seen);
    iom_err err = op_check(c, in);
    if (err)
        return err;
    bool hold = !(in->op->flags & (OP_WRITE | OP_CONTENT_READ)) && !c->held;
    if (hold && (err = app_hold_read(c)))
        return err;
    err = in->op->run(c, in, out);
    if (!err && out->json) { /* what the objects say of themselves counts too */
        int m = marking_of(out->json);
        if (m > out->marking)
            out->marking = m;
    }
    if (hold)
        app_release(c);
    if (err == IOM_EFORBIDDEN || err == IOM_ENOTFOUND) /* the auditor sees probing (review 81 L7) */
        app_read_log_refused(c, in->op->name, object_of(c, in), err);
    if (err == IOM_EINVAL) { /* a limit measured on what NFC made of the value says so */
        bool all = app_problems_apply(c);
        iom_text_length_composed(&c->err, seen.len, seen.n);
        /* and each problem of the input told with it (iom_ctx problems), the same words */
        size_t n = c->nproblems < IOM_MAX_PROBLEMS ? c->nproblems : IOM_MAX_PROBLEMS;
        for (size_t i = 0; all && i < n; i++) {
            iom_error one = {IOM_EINVAL, ""};
            snprintf(one.msg, sizeof one.msg, "%s", c->problems[i]);
            iom_text_length_composed(&one, seen.len, seen.n);
            c->problems[i] = i == 0 ? iom_arena_strdup(c->arena, c->err.msg) : iom_arena_strdup(c->arena, one.msg);
        }
    }
    if (err) {
        json_decref(out->json);
        out->json = NULL;
        iom_buf_free(&out->text);
    }
    return err;
}
