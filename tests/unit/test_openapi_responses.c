/*
 * Issue 11, point 5: the OpenAPI document's response schemas hold for the real answers.
 *
 * `iom serve` runs in-process on 127.0.0.1 (port 0) over the demo database (app_demo, as
 * `iom demo` makes it, with a fixed clock). The test fetches /api/openapi.json and
 *   - calls EVERY GET route of the document as a user who may see the objects (path
 *     parameters filled with real demo references, read from the lists first; every list also
 *     once with limit=1 so `next` is a cursor), twice: on a demo tasking with a transfer and
 *     delivered work, and on the tasking walked below;
 *   - walks one new tasking along its route over HTTP as the demo's users (bid -> submit ->
 *     forward -> accept -> ToR proposed twice, agreed -> team -> start -> contribution,
 *     intelligence with a correction and its PND status, an option, a product uploaded and
 *     delivered -> complete -> reassessment proposed and signed -> remain), then the other
 *     transitions on demo taskings (return, reject, decline, withdraw, request/escalate/decide
 *     a transfer) and the administrative writes (threats, agencies, users, roles);
 * and validates every 2xx JSON answer against the operation's response schema (resolved
 * through $ref) with the small JSON-Schema validator below, printing the JSON path of every
 * mismatch. A route whose schema is still a bare {"type": "object"} is listed as "not yet
 * described" and does not fail; every other route must validate. The validator is itself
 * checked on hand-made cases and on mutated real answers, so the test cannot pass vacuously.
 */
#include "test_http_support.h"

#include "app/job.h"

#include <liboath/oath.h>

#include "app/totp.h"

#include <math.h>

#include "app/demo.h"
#include "http/internal.h"
#include "ops/ops.h"

#define DEMO_NOW 1795608000 /* 2026-11-25T12:00:00Z */

/* ---- a small JSON-Schema validator ---------------------------------------------------- */

typedef struct verr {
    char *text; /* one mismatch a line: "$.items[0].grade.source: ..." */
    size_t len, cap;
    size_t n;
} verr;

static void verr_add(verr *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void verr_add(verr *e, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    size_t n = k < 0 ? 0 : (size_t)k >= sizeof line ? sizeof line - 1 : (size_t)k;
    if (e->len + n + 2 > e->cap) {
        e->cap = (e->len + n + 2) * 2;
        e->text = realloc(e->text, e->cap);
    }
    memcpy(e->text + e->len, line, n);
    e->len += n;
    e->text[e->len++] = '\n';
    e->text[e->len] = '\0';
    e->n++;
}

static void verr_append(verr *to, const verr *from)
{
    const char *p = from->text;
    for (size_t i = 0; p && i < from->n; i++) {
        const char *nl = strchr(p, '\n');
        verr_add(to, "%.*s", (int)(nl - p), p);
        p = nl + 1;
    }
}

static void verr_free(verr *e)
{
    free(e->text);
    memset(e, 0, sizeof *e);
}

static bool type_is(const char *t, const json_t *v)
{
    if (strcmp(t, "null") == 0)
        return json_is_null(v);
    if (strcmp(t, "boolean") == 0)
        return json_is_boolean(v);
    if (strcmp(t, "string") == 0)
        return json_is_string(v);
    if (strcmp(t, "object") == 0)
        return json_is_object(v);
    if (strcmp(t, "array") == 0)
        return json_is_array(v);
    if (strcmp(t, "number") == 0)
        return json_is_number(v);
    if (strcmp(t, "integer") == 0) /* JSON Schema: a number without a fractional part */
        return json_is_integer(v) ||
               (json_is_real(v) && floor(json_real_value(v)) == json_real_value(v));
    return false;
}

static const char *kind_of(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
    }
    return "?";
}

/* Keywords this validator understands; any other one that constrains values fails loudly
   rather than passing unchecked. */
static bool known_keyword(const char *k)
{
    static const char *const known[] = {"$ref", "type", "properties", "required",
                                        "additionalProperties", "items", "anyOf", "enum",
                                        "minimum", "maximum", "description", "format", "title",
                                        "example", "examples", "default", NULL};
    for (size_t i = 0; known[i]; i++)
        if (strcmp(known[i], k) == 0)
            return true;
    return false;
}

static void validate(const json_t *doc, const json_t *schema, const json_t *v, const char *path,
                     verr *e, int depth);

/* #/components/schemas/Name of doc, or NULL. */
static const json_t *resolve(const json_t *doc, const char *ref)
{
    static const char prefix[] = "#/components/schemas/";
    if (strncmp(ref, prefix, sizeof prefix - 1) != 0)
        return NULL;
    return json_object_get(json_object_get(json_object_get(doc, "components"), "schemas"),
                           ref + sizeof prefix - 1);
}

static void validate_object(const json_t *doc, const json_t *schema, const json_t *v,
                            const char *path, verr *e, int depth)
{
    const json_t *props = json_object_get(schema, "properties");
    const json_t *req = json_object_get(schema, "required");
    const json_t *extra = json_object_get(schema, "additionalProperties");
    size_t i;
    const json_t *r;
    json_array_foreach(req, i, r)
        if (!json_object_get(v, json_string_value(r)))
            verr_add(e, "%s: the required key '%s' is missing", path, json_string_value(r));
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)v, key, val) {
        char sub[512];
        snprintf(sub, sizeof sub, "%s.%s", path, key);
        const json_t *ps = json_object_get(props, key);
        if (ps)
            validate(doc, ps, val, sub, e, depth + 1);
        else if (json_is_false(extra))
            verr_add(e, "%s: the key is not in the schema (additionalProperties false)", sub);
        else if (json_is_object(extra))
            validate(doc, extra, val, sub, e, depth + 1);
    }
}

static void validate(const json_t *doc, const json_t *schema, const json_t *v, const char *path,
                     verr *e, int depth)
{
    if (depth > 64) {
        verr_add(e, "%s: schema nesting over 64 ($ref loop?)", path);
        return;
    }
    if (json_is_true(schema))
        return;
    if (!json_is_object(schema)) {
        verr_add(e, "%s: the schema is %s, not an object", path, kind_of(schema));
        return;
    }
    const char *k;
    json_t *kv;
    json_object_foreach((json_t *)schema, k, kv)
        if (!known_keyword(k))
            verr_add(e, "%s: the schema keyword '%s' is not supported by this validator", path, k);
    const json_t *ref = json_object_get(schema, "$ref");
    if (ref) {
        const json_t *target = json_is_string(ref) ? resolve(doc, json_string_value(ref)) : NULL;
        if (!target)
            verr_add(e, "%s: $ref '%s' does not resolve", path,
                     json_is_string(ref) ? json_string_value(ref) : "?");
        else
            validate(doc, target, v, path, e, depth + 1);
    }
    const json_t *any = json_object_get(schema, "anyOf");
    if (any) {
        verr best = {0};
        bool matched = false, have_best = false;
        size_t i;
        const json_t *alt;
        json_array_foreach(any, i, alt) {
            verr one = {0};
            validate(doc, alt, v, path, &one, depth + 1);
            if (one.n == 0) {
                matched = true;
                verr_free(&one);
                break;
            }
            /* The alternative of the same JSON type explains the mismatch best. */
            const json_t *t = json_object_get(alt, "type");
            bool same_type = !t || (json_is_string(t) && type_is(json_string_value(t), v));
            if (!have_best || (same_type && one.n < best.n)) {
                verr_free(&best);
                best = one;
                have_best = true;
            } else {
                verr_free(&one);
            }
        }
        if (!matched) {
            verr_add(e, "%s: %s matches none of the %zu alternatives (anyOf); the closest:", path,
                     kind_of(v), json_array_size(any));
            verr_append(e, &best);
        }
        verr_free(&best);
    }
    const json_t *type = json_object_get(schema, "type");
    if (type) {
        bool ok = false;
        if (json_is_string(type))
            ok = type_is(json_string_value(type), v);
        size_t i;
        const json_t *t;
        json_array_foreach(type, i, t)
            ok = ok || type_is(json_string_value(t), v);
        if (!ok) {
            char *want = json_dumps(type, JSON_COMPACT | JSON_ENCODE_ANY);
            verr_add(e, "%s: %s where the schema wants type %s", path, kind_of(v), want);
            free(want);
            return; /* the other keywords would only repeat it */
        }
    }
    const json_t *en = json_object_get(schema, "enum");
    if (en) {
        bool ok = false;
        size_t i;
        const json_t *x;
        json_array_foreach(en, i, x)
            ok = ok || json_equal((json_t *)x, (json_t *)v);
        if (!ok) {
            char *got = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
            verr_add(e, "%s: %s is not one of the enumeration's %zu values", path, got,
                     json_array_size(en));
            free(got);
        }
    }
    const json_t *min = json_object_get(schema, "minimum"), *max = json_object_get(schema, "maximum");
    if (json_is_number(v) && min && json_number_value(v) < json_number_value(min))
        verr_add(e, "%s: %g is below the minimum %g", path, json_number_value(v), json_number_value(min));
    if (json_is_number(v) && max && json_number_value(v) > json_number_value(max))
        verr_add(e, "%s: %g is above the maximum %g", path, json_number_value(v), json_number_value(max));
    if (json_is_object(v))
        validate_object(doc, schema, v, path, e, depth);
    const json_t *items = json_object_get(schema, "items");
    if (json_is_array(v) && items) {
        size_t i;
        const json_t *x;
        json_array_foreach(v, i, x) {
            char sub[512];
            snprintf(sub, sizeof sub, "%s[%zu]", path, i);
            validate(doc, items, x, sub, e, depth + 1);
        }
    }
}

/* The number of mismatches of v against schema (printed with label when any). */
static size_t mismatches(const json_t *doc, const json_t *schema, const json_t *v, const char *label)
{
    verr e = {0};
    validate(doc, schema, v, "$", &e, 0);
    size_t n = e.n;
    if (n && label)
        fprintf(stderr, "%s: %zu mismatch(es):\n%s", label, n, e.text);
    verr_free(&e);
    return n;
}

/* Whether some line of the mismatches of v against schema starts with path_prefix. */
static bool mismatch_at(const json_t *doc, const json_t *schema, const json_t *v,
                        const char *path_prefix)
{
    verr e = {0};
    validate(doc, schema, v, "$", &e, 0);
    bool found = false;
    size_t n = strlen(path_prefix);
    for (const char *p = e.text; p && *p && !found; p = strchr(p, '\n') + 1)
        found = strncmp(p, path_prefix, n) == 0 && p[n] == ':';
    verr_free(&e);
    return found;
}

/* ---- the validator on hand-made cases -------------------------------------------------- */

static void test_validator(void **state)
{
    (void)state;
    json_t *doc = json_loads(
        "{\"components\": {\"schemas\": {"
        " \"Grade\": {\"type\": \"object\", \"properties\": {"
        "   \"source\": {\"type\": \"string\", \"enum\": [\"1\", \"2\", \"3\"]},"
        "   \"display\": {\"type\": \"string\"}},"
        "   \"required\": [\"source\", \"display\"], \"additionalProperties\": false},"
        " \"Item\": {\"type\": \"object\", \"properties\": {"
        "   \"ref\": {\"type\": \"string\"},"
        "   \"version\": {\"type\": \"integer\"},"
        "   \"score\": {\"type\": \"number\"},"
        "   \"by\": {\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"null\"}]},"
        "   \"tags\": {\"type\": [\"array\", \"null\"], \"items\": {\"type\": \"string\"}},"
        "   \"grades\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/Grade\"}},"
        "   \"content\": {\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"integer\"}},"
        "                 \"additionalProperties\": true}},"
        "   \"required\": [\"ref\", \"version\", \"by\"], \"additionalProperties\": false}}}}",
        0, NULL);
    assert_non_null(doc);
    json_t *item = json_pack("{s:s}", "$ref", "#/components/schemas/Item");
    const char *good =
        "{\"ref\": \"INT-1\", \"version\": 2, \"score\": 64.0, \"by\": null, \"tags\": null,"
        " \"grades\": [{\"source\": \"1\", \"display\": \"1B P\"}], \"content\": {\"a\": 1, \"z\": [1]}}";
    json_t *v = json_loads(good, 0, NULL);
    assert_int_equal(mismatches(doc, item, v, "good"), 0);
    json_decref(v);

    static const struct {
        const char *json;    /* the good object with one thing wrong */
        const char *path;    /* where the mismatch must be reported */
    } bad[] = {
        /* a wrong type */
        {"{\"ref\": 1, \"version\": 2, \"by\": null}", "$.ref"},
        {"{\"ref\": \"x\", \"version\": 2.5, \"by\": null}", "$.version"},
        {"{\"ref\": \"x\", \"version\": 2, \"score\": \"64\", \"by\": null}", "$.score"},
        {"{\"ref\": \"x\", \"version\": 2, \"by\": null, \"tags\": \"a\"}", "$.tags"},
        {"{\"ref\": \"x\", \"version\": 2, \"by\": null, \"tags\": [\"a\", 3]}", "$.tags[1]"},
        /* a missing required key */
        {"{\"ref\": \"x\", \"by\": null}", "$"},
        {"{\"ref\": \"x\", \"version\": 2, \"by\": null, \"grades\": [{\"source\": \"1\"}]}", "$.grades[0]"},
        /* an extra key */
        {"{\"ref\": \"x\", \"version\": 2, \"by\": null, \"extra\": true}", "$.extra"},
        {"{\"ref\": \"x\", \"version\": 2, \"by\": null, \"grades\": [{\"source\": \"1\", "
         "\"display\": \"d\", \"x\": 1}]}", "$.grades[0].x"},
        /* a null where not allowed */
        {"{\"ref\": null, \"version\": 2, \"by\": null}", "$.ref"},
        {"{\"ref\": \"x\", \"version\": 2, \"by\": null, \"grades\": null}", "$.grades"},
        /* anyOf: none of the alternatives */
        {"{\"ref\": \"x\", \"version\": 2, \"by\": 7}", "$.by"},
        /* an enumeration */
        {"{\"ref\": \"x\", \"version\": 2, \"by\": \"u\", \"grades\": [{\"source\": \"4\", "
         "\"display\": \"d\"}]}", "$.grades[0].source"},
        /* inside an open object, the known keys still hold */
        {"{\"ref\": \"x\", \"version\": 2, \"by\": null, \"content\": {\"a\": \"1\"}}", "$.content.a"},
        /* not an object at all */
        {"[1, 2]", "$"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        v = json_loads(bad[i].json, 0, NULL);
        assert_non_null(v);
        if (!mismatch_at(doc, item, v, bad[i].path)) {
            fprintf(stderr, "case %zu: no mismatch reported at %s for %s\n", i, bad[i].path, bad[i].json);
            mismatches(doc, item, v, "  reported");
            fail();
        }
        json_decref(v);
    }
    /* An unresolvable $ref and an unsupported keyword fail rather than pass. */
    json_t *s = json_pack("{s:s}", "$ref", "#/components/schemas/Nothing");
    v = json_pack("{}");
    assert_true(mismatch_at(doc, s, v, "$"));
    json_decref(s);
    s = json_pack("{s:[{s:s}]}", "oneOf", "type", "object");
    assert_true(mismatch_at(doc, s, v, "$"));
    json_decref(s);
    json_decref(v);
    json_decref(item);
    json_decref(doc);
}

/* ---- the schemas of ops_schema.c on their own ------------------------------------------ */

/* Every $ref under j resolves in doc; returns how many do not (printed). */
static size_t dangling_refs(const json_t *doc, const json_t *j, const char *where)
{
    size_t bad = 0;
    if (json_is_object(j)) {
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)j, k, v) {
            if (strcmp(k, "$ref") == 0 && (!json_is_string(v) || !resolve(doc, json_string_value(v)))) {
                fprintf(stderr, "%s: $ref %s does not resolve\n", where,
                        json_is_string(v) ? json_string_value(v) : "?");
                bad++;
            } else {
                bad += dangling_refs(doc, v, where);
            }
        }
    } else if (json_is_array(j)) {
        size_t i;
        json_t *v;
        json_array_foreach(j, i, v)
            bad += dangling_refs(doc, v, where);
    }
    return bad;
}

static void test_schema_table(void **state)
{
    (void)state;
    /* Every type a row returns is described; every name gives a closed or open object. */
    for (const op_def *op = op_table; op->name; op++) {
        if (!op->returns)
            continue;
        json_t *s = op_schema(op->returns, false);
        if (!s)
            fprintf(stderr, "row %s returns '%s', which ops_schema.c does not describe\n", op->name,
                    op->returns);
        assert_non_null(s);
        json_decref(s);
    }
    size_t n = 0;
    for (const char *const *name = op_schema_names; *name; name++, n++) {
        json_t *s = op_schema(*name, false);
        assert_non_null(s);
        assert_string_equal(json_string_value(json_object_get(s, "type")), "object");
        assert_true(json_is_object(json_object_get(s, "properties")));
        assert_true(json_object_size(json_object_get(s, "properties")) > 0);
        assert_true(json_is_boolean(json_object_get(s, "additionalProperties")));
        json_decref(s);
        for (const char *const *other = op_schema_names; other < name; other++)
            assert_string_not_equal(*other, *name);
    }
    assert_true(n >= 40);
    assert_null(op_schema("NoSuchType", false));
    /* The document holds each of them, and every $ref in it resolves. */
    json_t *doc = http_openapi();
    for (const char *const *name = op_schema_names; *name; name++) {
        json_t *got = json_object_get(json_object_get(json_object_get(doc, "components"), "schemas"), *name);
        json_t *want = op_schema(*name, false);
        if (!json_equal(got, want))
            fprintf(stderr, "components/schemas/%s is not op_schema's\n", *name);
        assert_true(json_equal(got, want));
        json_decref(want);
    }
    assert_int_equal(dangling_refs(doc, doc, "openapi"), 0);
    json_decref(doc);
}

/* ---- the server over the demo ----------------------------------------------------------- */

typedef struct route_stat {
    const char *method; /* upper case */
    const char *path;   /* the template */
    json_t *op;         /* borrowed from the document */
    bool described;     /* the 2xx schema is more than {"type": "object"} (or binary) */
    bool binary;
    size_t validated;   /* answers validated against the document's schema */
    size_t planned_validated; /* not described yet: answers validated against the planned type */
    size_t answered;    /* 2xx answers seen */
} route_stat;

typedef struct world {
    hworld *h;
    json_t *doc;
    route_stat *routes;
    size_t nroutes;
    size_t failures;     /* answers that did not validate, unexpected statuses */
    char signed_in[64];
} world;

/* The demo database, as `iom demo` makes it, and the server over it. */
static hworld *demo_world(void)
{
    hworld *w = hw_open("demo.db", DEMO_NOW, true, "openapi-test");
    app_demo_result r;
    hw_ok(w, app_demo(&w->c, PASSWORD, &r));
    assert_true(r.taskings >= 16);
    w->threat = strdup("SOC-000001");
    hw_serve(w, 5);
    return w;
}

/* The route of the document whose template matches path (query ignored): the one with the
   most literal segments. */
static route_stat *route_of(world *w, const char *method, const char *path)
{
    char p[512];
    snprintf(p, sizeof p, "%.*s", (int)strcspn(path, "?"), path);
    route_stat *best = NULL;
    int best_score = -1;
    for (size_t i = 0; i < w->nroutes; i++) {
        route_stat *rt = &w->routes[i];
        if (strcmp(rt->method, method) != 0)
            continue;
        const char *a = rt->path, *b = p;
        int score = 0;
        bool ok = true;
        while (ok && *a && *b) {
            size_t na = strcspn(a, "/"), nb = strcspn(b, "/");
            if (a[0] == '{')
                ;
            else if (na == nb && memcmp(a, b, na) == 0)
                score++;
            else
                ok = false;
            a += na;
            b += nb;
            if (*a == '/' && *b == '/')
                a++, b++;
            else if (*a || *b)
                ok = ok && *a == *b;
        }
        if (ok && !*a && !*b && score > best_score) {
            best = rt;
            best_score = score;
        }
    }
    return best;
}

/* The schema of route rt's answer with this status (NULL when the status is not
   documented); *media set to its media type. */
static const json_t *response_schema(const route_stat *rt, int status, const char **media)
{
    char st[8];
    snprintf(st, sizeof st, "%d", status);
    const json_t *content = json_object_get(json_object_get(json_object_get(rt->op, "responses"), st),
                                            "content");
    const char *m;
    json_t *v;
    json_object_foreach((json_t *)content, m, v) {
        *media = m;
        return json_object_get(v, "schema");
    }
    return NULL;
}

static bool bare_object(const json_t *schema)
{
    return json_object_size(schema) == 1 &&
           strcmp(json_string_value(json_object_get(schema, "type")) ?: "", "object") == 0;
}

/* The routes not in the operation table yet and the object type each is to return: their
   answers are validated against that type of ops_schema.c already. */
typedef struct planned {
    const char *method, *path, *type;
    bool list;
} planned;

static const planned planned_types[] = {
    /* the upload stays a route of its own (the document's bytes are the body) */
    {"POST", "/api/v1/taskings/{ref}/products", "Product", false},
};

static const planned *planned_of(const char *method, const char *tmpl)
{
    for (size_t i = 0; i < sizeof planned_types / sizeof planned_types[0]; i++)
        if (strcmp(planned_types[i].method, method) == 0 && strcmp(planned_types[i].path, tmpl) == 0)
            return &planned_types[i];
    return NULL;
}

/* The highest "marking"/"threat_marking" anywhere in j: 0 none, 1 OFFICIAL, 2 OFFICIAL-SENSITIVE. */
static int highest_marking(const json_t *j)
{
    int best = 0;
    if (json_is_object(j)) {
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)j, k, v) {
            const char *s = json_string_value(v);
            if (s && (strcmp(k, "marking") == 0 || strcmp(k, "threat_marking") == 0)) {
                int m = strcmp(s, "OFFICIAL-SENSITIVE") == 0 ? 2 : strcmp(s, "OFFICIAL") == 0 ? 1 : 0;
                best = m > best ? m : best;
            }
            int sub = highest_marking(v);
            best = sub > best ? sub : best;
        }
    } else if (json_is_array(j)) {
        size_t i;
        json_t *v;
        json_array_foreach((json_t *)j, i, v) {
            int sub = highest_marking(v);
            best = sub > best ? sub : best;
        }
    }
    return best;
}

/* An answer that holds marked content says its highest marking in X-Iom-Marking (issue 13
   point 2): the header is at least the highest marking in the JSON. */
static void check_marking_header(world *w, const char *label, const hresp *r)
{
    int want = highest_marking(r->json);
    if (!want)
        return;
    char *h = hw_header(r, "X-Iom-Marking");
    int got = !h ? 0 : strcmp(h, "OFFICIAL-SENSITIVE") == 0 ? 2 : strcmp(h, "OFFICIAL") == 0 ? 1 : -1;
    if (got < want) {
        fprintf(stderr, "%s: X-Iom-Marking %s, but the answer holds %s\n", label, h ? h : "(none)",
                want == 2 ? "OFFICIAL-SENSITIVE" : "OFFICIAL");
        w->failures++;
    }
    free(h);
}

/* Checks one answer of method path against the document. */
static void verify(world *w, const char *method, const char *path, const hresp *r)
{
    route_stat *rt = route_of(w, method, path);
    if (!rt) {
        fprintf(stderr, "%s %s: no route of the document matches\n", method, path);
        w->failures++;
        return;
    }
    if (r->status < 200 || r->status > 299)
        return;
    rt->answered++;
    const char *media = NULL;
    const json_t *schema = response_schema(rt, r->status, &media);
    if (!schema) {
        fprintf(stderr, "%s %s (%s): status %d is not a documented answer\n", method, path, rt->path,
                r->status);
        w->failures++;
        return;
    }
    if (strcmp(media, "application/json") != 0) {
        rt->binary = true;
        return;
    }
    char label[600];
    snprintf(label, sizeof label, "%s %s (%s %s)", method, path, method, rt->path);
    if (bare_object(schema)) {
        rt->described = false;
        if (!json_is_object(r->json)) {
            fprintf(stderr, "%s: the answer is not a JSON object\n", label);
            w->failures++;
            return;
        }
        /* not in the operation table yet: the type of ops_schema.c it is to return */
        const planned *pl = planned_of(method, rt->path);
        if (!pl)
            return;
        json_t *ps = op_schema(pl->type, pl->list);
        assert_non_null(ps);
        strncat(label, " against the planned ", sizeof label - strlen(label) - 1);
        strncat(label, pl->type, sizeof label - strlen(label) - 1);
        if (mismatches(w->doc, ps, r->json, label))
            w->failures++;
        else
            rt->planned_validated++;
        json_decref(ps);
        return;
    }
    if (!r->json) {
        fprintf(stderr, "%s: the answer is not JSON: %.200s\n", label, r->body ? r->body : "");
        w->failures++;
        return;
    }
    if (mismatches(w->doc, schema, r->json, label))
        w->failures++;
    else
        rt->validated++;
    check_marking_header(w, label, r);
}

/* Signs in as user (the answer to POST /api/v1/session verified too) unless already. */
static void as_user(world *w, const char *user)
{
    if (strcmp(w->signed_in, user) == 0)
        return;
    char *body = t_fmt("{\"username\":\"%s\",\"password\":\"%s\"}", user, PASSWORD);
    hresp r = hw_req(w->h, "POST", "/api/v1/session", NULL, body);
    free(body);
    hw_expect(&r, 201);
    verify(w, "POST", "/api/v1/session", &r);
    char *sc = hw_header(&r, "Set-Cookie");
    assert_non_null(sc);
    snprintf(w->h->cookie, sizeof w->h->cookie, "Cookie: %.*s\r\n", (int)strcspn(sc, ";"), sc);
    snprintf(w->h->csrf, sizeof w->h->csrf, "X-CSRF-Token: %s\r\n", jstr(&r, "csrf_token"));
    free(sc);
    hresp_free(&r);
    snprintf(w->signed_in, sizeof w->signed_in, "%s", user);
}

/* A call as user that must answer status; its answer verified; returns the JSON (owned). */
static json_t *call(world *w, const char *user, const char *method, const char *path,
                    const char *body, int status)
{
    as_user(w, user);
    hresp r = hw_as(w->h, method, path, NULL, body);
    if (r.status != status) {
        fprintf(stderr, "%s %s as %s: expected %d, got %d: %s\n", method, path, user, status,
                r.status, r.body ? r.body : "");
        w->failures++;
    }
    verify(w, method, path, &r);
    json_t *j = json_incref(r.json);
    hresp_free(&r);
    return j;
}

static const char *js(const json_t *j, const char *key) { return json_string_value(json_object_get(j, key)); }

/* ---- every GET route --------------------------------------------------------------------- */

typedef struct refs {
    char tasking[32], threat[32], item[32], product[32], option[32], apmis[32];
    char dataset[32], entity[32], pair[32]; /* the picture (issue 16) */
    int tor_versions;
    bool has_transfer;
} refs;

/* The template with its parameters filled from refs; false for an unknown parameter. */
static bool fill(const refs *f, const char *tmpl, char *out, size_t cap)
{
    size_t j = 0;
    for (const char *p = tmpl; *p && j + 1 < cap;) {
        if (*p != '{') {
            out[j++] = *p++;
            continue;
        }
        size_t n = strcspn(p, "}");
        char name[32];
        snprintf(name, sizeof name, "%.*s", (int)n - 1, p + 1);
        const char *v = NULL;
        if (strcmp(name, "ref") == 0)
            v = strncmp(tmpl, "/api/v1/taskings/", 17) == 0 ? f->tasking
                : strncmp(tmpl, "/api/v1/threats/", 16) == 0 ? f->threat
                : strncmp(tmpl, "/api/v1/apmis/", 14) == 0   ? f->apmis
                                                              : NULL;
        else if (strcmp(name, "code") == 0)
            v = "west-yorkshire";
        else if (strcmp(name, "name") == 0)
            v = "toex-sia";
        else if (strcmp(name, "item") == 0)
            v = f->item;
        else if (strcmp(name, "product") == 0)
            v = f->product;
        else if (strcmp(name, "option") == 0)
            v = f->option;
        else if (strcmp(name, "dataset") == 0)
            v = f->dataset;
        else if (strcmp(name, "entity") == 0)
            v = f->entity;
        else if (strcmp(name, "pair") == 0)
            v = f->pair;
        else if (strcmp(name, "version") == 0)
            v = "1";
        else if (strcmp(name, "role") == 0)
            v = "spoc";
        else if (strcmp(name, "user") == 0)
            v = "toex-analyst";
        else if (strcmp(name, "setting") == 0)
            v = "intel.review_years";
        if (!v || !*v) {
            fprintf(stderr, "%s: no value for the parameter {%s}\n", tmpl, name);
            return false;
        }
        j += (size_t)snprintf(out + j, cap - j, "%s", v);
        p += n + 1;
    }
    out[j < cap ? j : cap - 1] = '\0';
    return true;
}

/* Whether the operation takes the query parameter name. */
static bool has_query(const json_t *op, const char *name)
{
    size_t i;
    const json_t *p;
    json_array_foreach(json_object_get(op, "parameters"), i, p)
        if (strcmp(js(p, "in") ?: "", "query") == 0 && strcmp(js(p, "name") ?: "", name) == 0)
            return true;
    return false;
}

/* Calls one GET as the first of the users that may (users and roles: admin; the rest: the
   auditor, who sees every tasking with its content, then others, last a spoc); 2xx required. */
static void get_as_someone(world *w, const route_stat *rt, const char *path)
{
    static const char *const admin_first[] = {"admin", "auditor", NULL};
    static const char *const auditor_first[] = {"auditor", "toex-sia", "nca-apmis", "admin",
                                                "west-yorkshire-spoc", NULL}; /* spoc: the options naming its agency */
    bool admin = strncmp(rt->path, "/api/v1/users", 13) == 0 || strncmp(rt->path, "/api/v1/roles", 13) == 0;
    int last = 0;
    for (const char *const *u = admin ? admin_first : auditor_first; *u; u++) {
        as_user(w, *u);
        hresp r = hw_as(w->h, "GET", path, NULL, NULL);
        last = r.status;
        if (r.status >= 200 && r.status <= 299) {
            verify(w, "GET", path, &r);
            hresp_free(&r);
            return;
        }
        if (!u[1])
            fprintf(stderr, "GET %s: %d %s\n", path, r.status, r.body ? r.body : "");
        hresp_free(&r);
    }
    fprintf(stderr, "GET %s: no demo user got a 2xx answer (last %d)\n", path, last);
    w->failures++;
}

/* The analysis of the picture (issue 17): every POST of it once on the demo's first tasking
   (its transactions and calls), the imports on the demo's tasking in development. */
static void analysis_calls(world *w)
{
    static const char *const reads[][2] = {
        {"graph/stats", "{}"}, {"graph/central", "{\"top\": 3}"},
        {"graph/communities", "{\"method\": \"louvain\"}"},
        {"graph/path", "{\"entity\": \"ENT-000001\", \"other\": \"ENT-000005\"}"},
        {"graph/ego", "{\"entity\": \"ENT-000001\", \"k\": 2}"}, {"graph/brokers", "{\"top\": 3}"},
        {"graph/keyplayers", "{\"k\": 2}"}, {"finance/flows", "{}"}, {"finance/mules", "{}"},
        {"finance/cycles", "{}"}, {"finance/fans", "{}"}, {"finance/structuring", "{}"},
        {"comms/contacts", "{}"}, {"comms/top", "{\"phone\": \"07700 900108\"}"},
        {"comms/common", "{\"phone\": \"07700 900108\", \"other\": \"07700 900404\"}"},
        {"comms/activity", "{}"}};
    for (size_t i = 0; i < sizeof reads / sizeof *reads; i++) {
        char *p = t_fmt("/api/v1/taskings/TOEX-2026-000001/%s", reads[i][0]);
        json_decref(call(w, "toex-analyst", "POST", p, reads[i][1], 200));
        free(p);
    }
    json_decref(call(w, "toex-analyst", "POST", "/api/v1/taskings/TOEX-2026-000002/finance/imports",
                     "{\"csv\": \"date,from,to,amount,currency\\n2026-11-20,11-22-33 12345678,40-50-60 87654321,"
                     "10.00,GBP\\n\"}", 201));
    json_decref(call(w, "toex-analyst", "POST", "/api/v1/taskings/TOEX-2026-000002/comms/imports",
                     "{\"csv\": \"caller,callee,start,duration,type\\n07700 900123,07700 900555,"
                     "2026-11-20T08:00:00Z,61,call\\n\"}", 201));
    /* an import removed (and what only it supports in the picture), once of each kind */
    static const char *const kinds[] = {"finance", "comms"};
    for (size_t i = 0; i < 2; i++) {
        char *p = t_fmt("/api/v1/taskings/TOEX-2026-000002/%s/imports", kinds[i]);
        json_t *body = json_pack("{s:s, s:s}", "csv",
                                 i ? "caller,callee,start,duration,type\n07700 900777,07700 900778,"
                                     "2026-11-21T08:00:00Z,30,call\n"
                                   : "date,from,to,amount,currency\n2026-11-21,70-00-00 00000001,"
                                     "70-00-00 00000002,1.00,GBP\n", "grade", "2B");
        char *text = json_dumps(body, 0);
        json_t *imp = call(w, "toex-analyst", "POST", p, text, 201);
        char *rp = t_fmt("/api/v1/%s/imports/%s/remove", kinds[i], json_string_value(json_object_get(imp, "ref")));
        json_decref(call(w, "toex-analyst", "POST", rp, "{\"reason\":\"the wrong file\"}", 200));
        free(rp);
        json_decref(imp);
        free(text);
        json_decref(body);
        free(p);
    }
}

/* Every GET route of the document, once plainly and (lists) once with limit=1. */
static void sweep(world *w, const refs *f)
{
    for (size_t i = 0; i < w->nroutes; i++) {
        const route_stat *rt = &w->routes[i];
        if (strcmp(rt->method, "GET") != 0)
            continue;
        if (!f->has_transfer && strcmp(rt->path, "/api/v1/taskings/{ref}/transfer") == 0)
            continue;
        if (strcmp(rt->path, "/api/v1/jobs/{job}") == 0) /* a job is its starter's: real_mutations */
            continue;
        char path[512];
        if (!fill(f, rt->path, path, sizeof path - 64)) {
            w->failures++;
            continue;
        }
        /* query parameters the route needs for a useful answer */
        char query[64] = "";
        if (strcmp(rt->path, "/api/v1/taskings/{ref}/tor-diff") == 0)
            snprintf(query, sizeof query, "from=1&to=%d", f->tor_versions);
        else if (strcmp(rt->path, "/api/v1/intelligence/due-review") == 0 ||
                 strcmp(rt->path, "/api/v1/datasets/due-review") == 0)
            snprintf(query, sizeof query, "days=36600");
        else if (strcmp(rt->path, "/api/v1/taskings/due") == 0)
            snprintf(query, sizeof query, "days=3660");
        else if (strcmp(rt->path, "/api/v1/agencies") == 0)
            snprintf(query, sizeof query, "all=true");
        else if (strcmp(rt->path, "/api/v1/threats") == 0)
            snprintf(query, sizeof query, "status=all");
        else if (strcmp(rt->path, "/api/v1/search") == 0)
            snprintf(query, sizeof query, "q=Popa");
        char full[600];
        snprintf(full, sizeof full, "%s%s%s", path, *query ? "?" : "", query);
        get_as_someone(w, rt, full);
        if (has_query(rt->op, "limit")) {
            snprintf(full, sizeof full, "%s?%s%slimit=1", path, query, *query ? "&" : "");
            get_as_someone(w, rt, full);
        }
        if (has_query(rt->op, "version") && strstr(rt->path, "{item}")) {
            snprintf(full, sizeof full, "%s?version=1", path);
            get_as_someone(w, rt, full);
        }
    }
}

/* The refs of a tasking: its threat, first intelligence item, product and option. */
static void refs_of(world *w, refs *f, const char *tasking)
{
    memset(f, 0, sizeof *f);
    snprintf(f->tasking, sizeof f->tasking, "%s", tasking);
    char *p = t_fmt("/api/v1/taskings/%s", tasking);
    json_t *t = call(w, "auditor", "GET", p, NULL, 200);
    free(p);
    snprintf(f->threat, sizeof f->threat, "%s", js(t, "threat"));
    f->has_transfer = json_is_object(json_object_get(t, "transfer"));
    json_decref(t);
    static const struct {
        const char *what;
        size_t off;
    } lists[] = {{"intelligence", offsetof(refs, item)},
                 {"products", offsetof(refs, product)},
                 {"options", offsetof(refs, option)}};
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        p = t_fmt("/api/v1/taskings/%s/%s", tasking, lists[i].what);
        json_t *l = call(w, "auditor", "GET", p, NULL, 200);
        free(p);
        json_t *first = json_array_get(json_object_get(l, "items"), 0);
        assert_non_null(first);
        snprintf((char *)f + lists[i].off, 32, "%s", js(first, "ref"));
        json_decref(l);
    }
    /* the picture: of this tasking, else of the demo's first (TOEX-2026-000001) */
    static const struct {
        const char *what;
        size_t off;
    } pic[] = {{"datasets", offsetof(refs, dataset)},
               {"entities", offsetof(refs, entity)},
               {"review-pairs", offsetof(refs, pair)}};
    for (size_t i = 0; i < sizeof pic / sizeof pic[0]; i++)
        for (int k = 0; k < 2 && !*((char *)f + pic[i].off); k++) {
            p = t_fmt("/api/v1/taskings/%s/%s", k ? "TOEX-2026-000001" : tasking, pic[i].what);
            json_t *l = call(w, "auditor", "GET", p, NULL, 200);
            free(p);
            json_t *first = json_array_get(json_object_get(l, "items"), 0);
            if (first)
                snprintf((char *)f + pic[i].off, 32, "%s", js(first, "ref"));
            json_decref(l);
        }
    p = t_fmt("/api/v1/taskings/%s/tor", tasking);
    json_t *l = call(w, "auditor", "GET", p, NULL, 200);
    free(p);
    f->tor_versions = (int)json_array_size(json_object_get(l, "items"));
    assert_true(f->tor_versions >= 1);
    json_decref(l);
    l = call(w, "auditor", "GET", "/api/v1/apmis", NULL, 200);
    json_t *first = json_array_get(json_object_get(l, "items"), 0);
    assert_non_null(first);
    snprintf(f->apmis, sizeof f->apmis, "%s", js(first, "ref"));
    json_decref(l);
}

/* The demo's taskings by threat: ref of the tasking on threat soc in state (NULL: any). */
static char *tasking_on(world *w, const char *soc, const char *state)
{
    json_t *l = call(w, "auditor", "GET", "/api/v1/taskings?limit=1000", NULL, 200);
    size_t i;
    json_t *t;
    char *ref = NULL;
    json_array_foreach(json_object_get(l, "items"), i, t)
        if (!ref && strcmp(js(t, "threat"), soc) == 0 && (!state || strcmp(js(t, "state"), state) == 0))
            ref = strdup(js(t, "ref"));
    json_decref(l);
    if (!ref)
        fprintf(stderr, "no demo tasking on %s in state %s\n", soc, state ? state : "any");
    assert_non_null(ref);
    return ref;
}

/* ---- the walk of one tasking and the other writes ------------------------------------- */

#define ASSESSMENT(h, scale, like, nat, rocu)                                                  \
    "{\"harm\":{\"physical\":" h ",\"psychological\":" h ",\"financial\":" h ",\"community\":" h \
    ",\"victim_vulnerability\":" h "},\"scale\":" scale ",\"likelihood\":" like                 \
    ",\"confidence\":\"medium\",\"capacity\":1,\"capability\":1,"                              \
    "\"needs_national_capability\":" nat ",\"needs_rocu_capability\":" rocu "}"

#define TOR(objective)                                                                         \
    "{\"services\":[\"intel_development\"],\"start_date\":\"2026-12-01\","                     \
    "\"end_date\":\"2027-06-30\",\"milestones\":[{\"name\":\"Network mapped\","                \
    "\"due\":\"2027-01-15\"}],\"products\":[{\"type\":\"network_analysis\","                   \
    "\"due\":\"2027-03-01\"}],\"objectives\":[\"" objective "\"]}"

/* POST/PUT/PATCH/DELETE path (printf-style) as user with body; answers status. */
static json_t *write_as(world *w, const char *user, const char *method, const char *body, int status,
                        const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static json_t *write_as(world *w, const char *user, const char *method, const char *body, int status,
                        const char *fmt, ...)
{
    char path[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(path, sizeof path, fmt, ap);
    va_end(ap);
    return call(w, user, method, path, body, status);
}

#define ACT(user, action, body) json_decref(write_as(w, user, "POST", body, 200, "/api/v1/taskings/%s/" action, ref))

/* The picture's writes over HTTP (issue 16) on a tasking in development: a dataset imported
   (its review queue, a decision), an entity and a link from an item, an update, an unlink, a
   merge, a split, and the dataset removed again. */
static json_t *first_of(world *w, const char *path)
{
    json_t *l = call(w, "toex-analyst", "GET", path, NULL, 200);
    json_t *it = json_incref(json_array_get(json_object_get(l, "items"), 0));
    json_decref(l);
    assert_non_null(it);
    return it;
}

static void picture_writes(world *w, const char *ref)
{
    json_t *t = write_as(w, "toex-analyst", "POST",
                         "{\"name\":\"Force nominals\",\"level\":\"local\",\"grade\":\"2B\","
                         "\"handling\":\"P\",\"fields\":[\"id=id\",\"full_name=name\",\"dob=dob\","
                         "\"phone=phone\"],\"link_threshold\":\"0.99999999\",\"review_threshold\":\"0.01\","
                         "\"csv\":\"id,name,dob,phone\\n1,Anna Lee,1980-01-01,07700 900111\\n"
                         "2,Anna Lee,1980-01-01,07700900111\\n3,Ana Lee,1980-01-11,\\n"
                         "4,Bob Ray,1970-02-02,07700 900222\\n5,Carl Dunn,1965-03-03,07700 900333\\n\"}",
                         201, "/api/v1/taskings/%s/datasets", ref);
    char *ds = strdup(js(t, "ref") ?: "");
    json_decref(t);
    char *p = t_fmt("/api/v1/taskings/%s/review-pairs", ref);
    t = first_of(w, p);
    free(p);
    json_decref(write_as(w, "toex-analyst", "POST", "{\"decision\":\"different\",\"reason\":\"twins\"}",
                         200, "/api/v1/review-pairs/%s/decide", js(t, "ref")));
    json_decref(t);
    p = t_fmt("/api/v1/taskings/%s/intelligence", ref);
    t = first_of(w, p);
    free(p);
    char *item = strdup(js(t, "ref") ?: "");
    json_decref(t);
    char *body = t_fmt("{\"type\":\"location\",\"label\":\"Unit 4, Canal Wharf\",\"item\":\"%s\"}", item);
    t = write_as(w, "toex-analyst", "POST", body, 201, "/api/v1/taskings/%s/entities", ref);
    free(body);
    char *loc = strdup(js(t, "ref") ?: "");
    json_decref(t);
    json_decref(write_as(w, "toex-analyst", "PATCH", "{\"label\":\"Unit 4\",\"confidence\":0.7}", 200,
                         "/api/v1/entities/%s", loc));
    /* a number is read as sent (review 83 L2: 1.0000001 was rounded to 1.000000 and taken) */
    json_t *over = write_as(w, "toex-analyst", "PATCH", "{\"confidence\":1.0000001}", 400,
                            "/api/v1/entities/%s", loc);
    assert_non_null(strstr(js(over, "detail") ?: "", "confidence: '1.0000001'"));
    json_decref(over);
    /* the web UI's PNG of the network, logged as a disclosure */
    json_decref(write_as(w, "toex-analyst", "POST",
                         "{\"png\":\"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5E"
                         "rkJggg==\",\"marking\":\"OFFICIAL-SENSITIVE\",\"recipient\":\"CPS\"}",
                         200, "/api/v1/taskings/%s/export/png", ref));
    p = t_fmt("/api/v1/taskings/%s/entities?type=person&limit=2", ref);
    json_t *l = call(w, "toex-analyst", "GET", p, NULL, 200);
    free(p);
    json_t *items = json_object_get(l, "items");
    assert_int_equal(json_array_size(items), 2);
    char *p1 = strdup(js(json_array_get(items, 0), "ref") ?: "");
    char *p2 = strdup(js(json_array_get(items, 1), "ref") ?: "");
    json_decref(l);
    body = t_fmt("{\"to\":\"%s\",\"type\":\"controls\",\"item\":\"%s\"}", loc, item);
    t = write_as(w, "toex-analyst", "POST", body, 201, "/api/v1/entities/%s/links", p1);
    free(body);
    json_decref(write_as(w, "toex-analyst", "POST", "{\"reason\":\"misread\"}", 200, "/api/v1/links/%s/remove",
                         js(t, "ref")));
    json_decref(t);
    body = t_fmt("{\"other\":\"%s\",\"reason\":\"one person\"}", p2);
    t = write_as(w, "toex-analyst", "POST", body, 200, "/api/v1/entities/%s/merge", p1);
    free(body);
    json_t *rec = json_array_get(json_object_get(t, "sources"), 0);
    body = t_fmt("{\"record\":\"%s\",\"reason\":\"not the same after all\"}", js(rec, "record"));
    json_decref(write_as(w, "toex-analyst", "POST", body, 200, "/api/v1/entities/%s/split", p1));
    free(body);
    json_decref(t);
    json_decref(write_as(w, "toex-manager", "POST",
                         "{\"decision\":\"retain\",\"next\":\"2027-06-01\",\"reason\":\"Still needed.\"}",
                         201, "/api/v1/datasets/%s/reviews", ds));
    json_decref(write_as(w, "toex-analyst", "POST", "{\"reason\":\"engine upgrade\"}", 200,
                         "/api/v1/taskings/%s/resolve", ref));
    json_decref(write_as(w, "toex-analyst", "POST", "{\"reason\":\"replaced\"}", 200,
                         "/api/v1/datasets/%s/remove", ds));
    /* a second dataset, disposed of at its review (the answer adds erased, purged, resolution) */
    t = write_as(w, "toex-analyst", "POST",
                 "{\"name\":\"Stop checks\",\"level\":\"local\",\"grade\":\"3C\",\"handling\":\"P\","
                 "\"fields\":[\"full_name=name\"],\"csv\":\"name\\nDan Holt\\n\"}",
                 201, "/api/v1/taskings/%s/datasets", ref);
    json_decref(write_as(w, "toex-manager", "POST", "{\"decision\":\"dispose\",\"reason\":\"Not needed.\"}",
                         201, "/api/v1/datasets/%s/reviews", js(t, "ref")));
    json_decref(t);
    /* the import as a background job: started (202), then read once it has ended */
    t = write_as(w, "toex-analyst", "POST",
                 "{\"name\":\"Job import\",\"level\":\"local\",\"grade\":\"3C\",\"handling\":\"P\","
                 "\"fields\":[\"full_name=name\"],\"csv\":\"name\\nJo Holt\\n\"}",
                 202, "/api/v1/taskings/%s/dataset-jobs", ref);
    assert_int_equal(app_jobs_drain(60), 0);
    p = t_fmt("/api/v1/jobs/%s", js(t, "id"));
    json_decref(t);
    t = call(w, "toex-analyst", "GET", p, NULL, 200);
    free(p);
    assert_string_equal(js(t, "state"), "done");
    json_decref(t);
    free(p1);
    free(p2);
    free(loc);
    free(item);
    free(ds);
}

/* bid -> ... -> remain, every answer verified; returns the tasking's reference. */
static char *walk(world *w)
{
    json_t *t = call(w, "west-yorkshire-spoc", "POST", "/api/v1/taskings",
                     "{\"threat\":\"SOC-000013\",\"summary\":\"Workers repay recruitment fees "
                     "from wages.\",\"ftm_date\":\"2026-11-20\",\"ftm_ref\":\"WY-FTM-2026-066\","
                     "\"requirements\":[\"Who controls the agency's accounts?\"],"
                     "\"services\":[\"intel_development\"],\"urgency\":\"priority\","
                     "\"customer\":\"west-yorkshire-sio\",\"type\":\"labour\","
                     "\"known\":\"Three complaints to the GLAA.\",\"assessment\":"
                     ASSESSMENT("2", "2", "3", "false", "true") "}",
                     201);
    assert_non_null(js(t, "ref"));
    assert_true(json_is_object(json_object_get(t, "bid")));
    char *ref = strdup(js(t, "ref"));
    json_decref(t);
    /* the draft edited before it goes (PATCH: the fields given replace the bid's) */
    char *p = t_fmt("/api/v1/taskings/%s", ref);
    t = call(w, "west-yorkshire-spoc", "PATCH", p,
             "{\"known\":\"Three complaints to the GLAA; one worker spoke to the police.\"}", 200);
    free(p);
    assert_non_null(strstr(js(json_object_get(t, "bid"), "known") ?: "", "spoke to the police"));
    json_decref(t);
    ACT("west-yorkshire-spoc", "submit", NULL);
    ACT("yhrocu-gateway", "forward", NULL);
    ACT("toex-manager", "accept", "{\"sia\":\"toex-sia\"}");
    json_decref(write_as(w, "toex-sia", "POST", TOR("Identify the controllers"), 201,
                         "/api/v1/taskings/%s/tor", ref));
    json_decref(write_as(w, "toex-sia", "POST", TOR("Identify and evidence the controllers"), 201,
                         "/api/v1/taskings/%s/tor", ref));
    ACT("toex-sia", "agree_tor", "{\"tor_version\":2}");
    ACT("west-yorkshire-sio", "agree_tor", "{\"tor_version\":2}");
    json_decref(write_as(w, "toex-sia", "POST", "{\"milestone\":\"Network mapped\"}", 200,
                         "/api/v1/taskings/%s/milestones-done", ref));
    json_decref(write_as(w, "toex-sia", "POST", "{\"user\":[\"toex-analyst\",\"toex-researcher\"]}",
                         200, "/api/v1/taskings/%s/team", ref));
    json_decref(write_as(w, "toex-sia", "DELETE", NULL, 200, "/api/v1/taskings/%s/team/toex-researcher", ref));
    /* another SIA for a while, then toex-sia again */
    json_decref(call(w, "admin", "POST", "/api/v1/users",
                     "{\"name\":\"spare-sia\",\"agency\":\"toex\",\"roles\":[\"sia\"],"
                     "\"clearance\":\"OFFICIAL-SENSITIVE\",\"password\":\"" PASSWORD "\"}", 201));
    json_decref(write_as(w, "toex-manager", "POST", "{\"sia\":\"spare-sia\",\"reason\":\"On leave\"}", 200,
                         "/api/v1/taskings/%s/reallocate", ref));
    json_decref(write_as(w, "toex-manager", "POST", "{\"sia\":\"toex-sia\",\"reason\":\"Back\"}", 200,
                         "/api/v1/taskings/%s/reallocate", ref));
    ACT("toex-sia", "start", NULL);
    json_decref(write_as(w, "toex-analyst", "POST",
                         "{\"date\":\"2026-11-25\",\"hours\":2.5,\"text\":\"Read the GLAA files.\"}",
                         201, "/api/v1/taskings/%s/contributions", ref));
    t = write_as(w, "toex-analyst", "POST",
                 "{\"text\":\"The agency's director holds the workers' bank cards.\","
                 "\"source\":\"Victim interview\",\"grade\":\"2B\",\"handling\":\"C\","
                 "\"conditions\":\"Not to be disclosed to the employer.\"}",
                 201, "/api/v1/taskings/%s/intelligence", ref);
    char *item = strdup(js(t, "ref") ?: "");
    json_decref(t);
    json_decref(write_as(w, "toex-analyst", "POST",
                         "{\"reason\":\"The director's deputy, not the director.\","
                         "\"text\":\"The agency's deputy director holds the workers' bank cards.\"}",
                         201, "/api/v1/intelligence/%s/corrections", item));
    json_decref(write_as(w, "toex-analyst", "PUT",
                         "{\"pnd\":\"recorded\",\"pnd_ref\":\"PND/2026/77\",\"pnd_date\":\"2026-11-25\"}",
                         200, "/api/v1/intelligence/%s/pnd", item));
    json_decref(write_as(w, "toex-sia", "POST",
                         "{\"decision\":\"retain\",\"next\":\"2027-06-01\",\"reason\":\"Still needed.\"}",
                         201, "/api/v1/intelligence/%s/reviews", item));
    /* A second item, recorded in error: disposed of (the answer adds erased and purged). */
    t = write_as(w, "toex-analyst", "POST",
                 "{\"text\":\"Recorded against the wrong tasking.\",\"source\":\"Analyst\","
                 "\"grade\":\"3E\",\"handling\":\"P\",\"pnd\":\"not_required\","
                 "\"pnd_reason\":\"Recorded in error\"}",
                 201, "/api/v1/taskings/%s/intelligence", ref);
    char *wrong = strdup(js(t, "ref") ?: "");
    json_decref(t);
    json_decref(write_as(w, "toex-manager", "POST",
                         "{\"decision\":\"dispose\",\"reason\":\"Recorded in error.\"}",
                         201, "/api/v1/intelligence/%s/reviews", wrong));
    free(wrong);
    free(item);
    t = write_as(w, "toex-sia", "POST",
                 "{\"strand\":\"pursue\",\"text\":\"Production order on the agency's accounts.\","
                 "\"agency\":\"west-yorkshire\"}",
                 201, "/api/v1/taskings/%s/options", ref);
    char *option = strdup(js(t, "ref") ?: "");
    json_decref(t);
    json_decref(write_as(w, "toex-sia", "PATCH", "{\"status\":\"accepted\"}", 200, "/api/v1/options/%s", option));
    free(option);
    t = write_as(w, "toex-analyst", "POST", "NETWORK ANALYSIS\nThe director, deputy and accounts.\n",
                 201, "/api/v1/taskings/%s/products?type=network_analysis&filename=network.txt", ref);
    char *product = strdup(js(t, "ref") ?: "");
    json_decref(t);
    json_decref(write_as(w, "toex-sia", "POST", "{}", 200, "/api/v1/products/%s/deliver", product));
    free(product);
    picture_writes(w, ref);
    ACT("toex-sia", "complete", NULL);
    const char *remain = ASSESSMENT("1", "1", "3", "false", "false");
    json_decref(write_as(w, "toex-sia", "POST", remain, 200, "/api/v1/taskings/%s/reassessment", ref));
    json_decref(write_as(w, "west-yorkshire-sio", "POST", remain, 200, "/api/v1/taskings/%s/reassessment", ref));
    ACT("west-yorkshire-sio", "remain", NULL);
    t = write_as(w, "auditor", "GET", NULL, 200, "/api/v1/taskings/%s", ref);
    assert_string_equal(js(t, "state") ?: "", "closed");
    assert_true(json_is_object(json_object_get(t, "reassessment")));
    json_decref(t);
    return ref;
}

/* The other transitions, on demo taskings in the states they need. */
static void other_transitions(world *w)
{
    char *ref = tasking_on(w, "SOC-000010", "submitted");
    ACT("yhrocu-gateway", "return", "{\"reason\":\"Add the dates of the begging pitches.\"}");
    free(ref);
    ref = tasking_on(w, "SOC-000011", "returned");
    ACT("greater-manchester-spoc", "submit", NULL);
    ACT("titan-gateway", "reject", "{\"reason\":\"A matter for the Home Office.\"}");
    free(ref);
    ref = tasking_on(w, "SOC-000012", "forwarded");
    ACT("toex-manager", "decline", "{\"reason\":\"Not enough to develop yet.\"}");
    free(ref);
    ref = tasking_on(w, "SOC-000009", "draft");
    ACT("west-yorkshire-spoc", "withdraw", "{\"reason\":\"Handled locally.\"}");
    free(ref);
    ref = tasking_on(w, "SOC-000004", "transfer_requested");
    ACT("titan-ttcg", "escalate", "{\"reason\":\"Several regions are involved.\"}");
    ACT("nca-ftt", "decide_transfer",
        "{\"accept\":true,\"new_owner\":\"nca\",\"new_sio\":\"nca-sio\",\"reason\":\"National reach.\"}");
    free(ref);
    ref = tasking_on(w, "SOC-000006", "escalated_ftt");
    ACT("nca-ftt", "decide_transfer", "{\"accept\":false,\"reason\":\"The Met keeps it.\"}");
    free(ref);
    /* request_transfer needs a reassessment signed by both and the SIO's agreement */
    ref = tasking_on(w, "SOC-000003", "reassessment");
    const char *regional = ASSESSMENT("3", "2", "4", "false", "true");
    json_decref(write_as(w, "toex-sia", "POST", regional, 200, "/api/v1/taskings/%s/reassessment", ref));
    json_decref(write_as(w, "south-yorkshire-sio", "POST", regional, 200,
                         "/api/v1/taskings/%s/reassessment", ref));
    ACT("south-yorkshire-sio", "agree_transfer", NULL);
    ACT("toex-sia", "request_transfer", "{\"reason\":\"The ROCU should own it.\"}");
    json_decref(write_as(w, "auditor", "GET", NULL, 200, "/api/v1/taskings/%s/transfer", ref));
    free(ref);
}

/* Threats, agencies, users and roles. */
static void admin_writes(world *w)
{
    json_t *t = call(w, "west-yorkshire-spoc", "POST", "/api/v1/threats",
                     "{\"title\":\"Nail bar staff housed above the shops\",\"type\":\"labour\","
                     "\"owner\":\"west-yorkshire\",\"sio\":\"west-yorkshire-sio\","
                     "\"force_tasking_ref\":\"WY-FTM-2026-090\"}",
                     201);
    char *soc = strdup(js(t, "ref") ?: "");
    json_decref(t);
    json_decref(write_as(w, "west-yorkshire-spoc", "PATCH", "{\"marking\":\"OFFICIAL-SENSITIVE\"}", 200,
                         "/api/v1/threats/%s", soc));
    json_decref(write_as(w, "west-yorkshire-spoc", "POST", "{\"reason\":\"Network disrupted\"}", 200,
                         "/api/v1/threats/%s/archive", soc));
    json_decref(write_as(w, "west-yorkshire-spoc", "POST", "{\"reason\":\"It came back\"}", 200,
                         "/api/v1/threats/%s/unarchive", soc));
    json_decref(write_as(w, "auditor", "GET", NULL, 200, "/api/v1/threats/%s/history", soc));
    free(soc);

    json_decref(call(w, "admin", "POST", "/api/v1/holidays",
                     "{\"day\":\"2031-01-01\",\"name\":\"New Year\"}", 201));
    json_decref(call(w, "admin", "POST", "/api/v1/holidays",
                     "{\"day\":\"2031-01-02\",\"name\":\"A mistyped day\"}", 201));
    json_decref(call(w, "admin", "DELETE", "/api/v1/holidays/2031-01-02",
                     "{\"reason\":\"added by mistake\"}", 200));
    json_decref(call(w, "admin", "POST", "/api/v1/agencies",
                     "{\"code\":\"test-force\",\"name\":\"Test Police\",\"kind\":\"force\","
                     "\"region\":\"yorkshire-humber\"}", 201));
    json_decref(call(w, "admin", "POST", "/api/v1/agencies",
                     "{\"code\":\"test-unit\",\"name\":\"Test Unit\",\"kind\":\"force\","
                     "\"region\":\"yorkshire-humber\"}", 201));
    json_decref(call(w, "admin", "POST", "/api/v1/agencies/test-force/rename",
                     "{\"name\":\"Test Constabulary\"}", 200));
    json_decref(call(w, "admin", "POST", "/api/v1/agencies/test-unit/merge", "{\"into\":\"test-force\",\"reason\":\"test\"}", 200));
    json_decref(call(w, "admin", "POST", "/api/v1/agencies/test-force/disable", NULL, 200));

    /* an account an admin makes has a temporary password (its first session may only change
       it); test-user below has its own, as if it had changed it */
    json_decref(call(w, "admin", "POST", "/api/v1/users",
                     "{\"name\":\"test-user0\",\"agency\":\"west-yorkshire\",\"roles\":[\"spoc\"],"
                     "\"clearance\":\"OFFICIAL\",\"password\":\"" PASSWORD "\"}", 201));
    hw_user(w->h, "test-user", "west-yorkshire", "spoc");
    /* the new user enrols TOTP (a code from the secret confirms it), an admin removes the
       enrolment, the user starts another and changes the password (ends the session) */
    json_t *en = call(w, "test-user", "POST", "/api/v1/me/totp", NULL, 201);
    char code[10] = "";
    {
        char *raw = NULL;
        size_t n = 0;
        const char *b32 = js(en, "secret");
        assert_int_equal(oath_init(), OATH_OK);
        assert_int_equal(oath_base32_decode(b32, strlen(b32), &raw, &n), OATH_OK);
        iom_error e = {0};
        assert_int_equal(totp_code((const unsigned char *)raw, n, atomic_load(&w->h->now), 6, code, &e),
                         IOM_OK);
        free(raw);
    }
    json_decref(en);
    char *confirm = t_fmt("{\"totp\":\"%s\"}", code);
    json_decref(call(w, "test-user", "POST", "/api/v1/me/totp/confirm", confirm, 200));
    free(confirm);
    json_decref(call(w, "admin", "DELETE", "/api/v1/users/test-user/totp", NULL, 200));
    json_decref(call(w, "test-user", "POST", "/api/v1/me/totp", NULL, 201));
    /* API tokens: made, listed and revoked by their user; an admin ends a lockout */
    json_t *tok = call(w, "test-user", "POST", "/api/v1/tokens", "{\"days\": 7}", 201);
    char *del = t_fmt("/api/v1/tokens/%s", js(tok, "ref"));
    json_decref(call(w, "test-user", "GET", "/api/v1/tokens", NULL, 200));
    json_decref(call(w, "test-user", "DELETE", del, NULL, 200));
    free(del);
    json_decref(tok);
    json_decref(call(w, "admin", "POST", "/api/v1/users/test-user/unlock", "{}", 200));
    json_decref(call(w, "admin", "POST", "/api/v1/address-lockouts/unlock", "{\"address\": \"127.0.0.1\"}", 200));
    json_decref(call(w, "test-user", "POST", "/api/v1/me/password",
                     "{\"old_password\":\"" PASSWORD "\",\"new_password\":\"another long password\"}", 200));
    w->signed_in[0] = '\0';
    json_decref(call(w, "admin", "POST", "/api/v1/users/test-user/password-reset", "{}", 200));
    json_decref(call(w, "admin", "POST", "/api/v1/users/test-user/password-reset",
                     "{\"password\":\"a temporary password\"}", 200));
    json_decref(call(w, "admin", "DELETE", "/api/v1/users/test-user/totp", NULL, 200));
    json_decref(call(w, "admin", "POST", "/api/v1/users/test-user/disable", NULL, 200));
    json_decref(call(w, "admin", "POST", "/api/v1/users/test-user/enable", NULL, 200));
    json_decref(call(w, "admin", "POST", "/api/v1/users/test-user/enable", NULL, 409));
    json_decref(call(w, "admin", "POST", "/api/v1/users/test-user/disable", NULL, 200));
    json_decref(call(w, "admin", "PUT", "/api/v1/settings/intel.review_years",
                     "{\"value\":7,\"reason\":\"MoPI group 2 review period\"}", 200));
    json_decref(call(w, "admin", "POST", "/api/v1/roles/researcher/require-totp", "{\"required\":true}", 200));
    json_decref(call(w, "admin", "POST", "/api/v1/roles/researcher/require-totp", "{\"required\":false}", 200));

    json_decref(call(w, "nca-apmis", "POST", "/api/v1/apmis",
                     "{\"threat\":\"SOC-000013\",\"date\":\"2026-11-25\",\"impact\":\"moderate\","
                     "\"type\":\"arrest\",\"lead\":\"west-yorkshire\",\"capabilities\":[\"toex\"],"
                     "\"arrests\":2,\"safeguarded\":5,\"seized_pence\":120000,\"strand\":\"pursue\","
                     "\"narrative\":\"The director and deputy arrested.\"}", 201));
    /* the demo's deconfliction alert (issue 16 point 6), acknowledged by the Met's SIO */
    json_t *alerts = call(w, "met-sio", "GET", "/api/v1/deconflictions?open=true", NULL, 200);
    const char *alert = js(json_array_get(json_object_get(alerts, "items"), 0), "ref");
    assert_non_null(alert);
    json_decref(write_as(w, "met-sio", "POST", NULL, 200, "/api/v1/deconflictions/%s/ack", alert));
    json_decref(alerts);
}

/* The validator rejects mutated real answers against the document's own schemas. */
static void real_mutations(world *w)
{
    json_t *threat = call(w, "auditor", "GET", "/api/v1/threats/SOC-000001", NULL, 200);
    json_t *tasking = call(w, "auditor", "GET", "/api/v1/taskings?limit=1", NULL, 200);
    const json_t *ts = resolve(w->doc, "#/components/schemas/Threat");
    const char *media = NULL;
    const json_t *list = response_schema(route_of(w, "GET", "/api/v1/taskings"), 200, &media);
    assert_non_null(ts);
    assert_non_null(list);
    assert_false(bare_object(list));
    assert_int_equal(mismatches(w->doc, ts, threat, "threat"), 0);
    assert_int_equal(mismatches(w->doc, list, tasking, "tasking list"), 0);
    json_t *m = json_deep_copy(threat);
    json_object_del(m, "ref");
    assert_true(mismatch_at(w->doc, ts, m, "$"));
    json_decref(m);
    m = json_deep_copy(threat);
    json_object_set_new(m, "version", json_string("1"));
    assert_true(mismatch_at(w->doc, ts, m, "$.version"));
    json_decref(m);
    m = json_deep_copy(threat);
    json_object_set_new(m, "secret", json_true());
    assert_true(mismatch_at(w->doc, ts, m, "$.secret"));
    json_decref(m);
    m = json_deep_copy(threat);
    json_object_set_new(m, "title", json_null());
    assert_true(mismatch_at(w->doc, ts, m, "$.title"));
    json_decref(m);
    m = json_deep_copy(threat);
    json_object_set_new(m, "status", json_string("deleted"));
    assert_true(mismatch_at(w->doc, ts, m, "$.status"));
    json_decref(m);
    m = json_deep_copy(tasking);
    json_object_set_new(json_array_get(json_object_get(m, "items"), 0), "state", json_integer(3));
    assert_true(mismatch_at(w->doc, list, m, "$.items[0].state"));
    json_object_set_new(m, "next", json_integer(3));
    assert_true(mismatch_at(w->doc, list, m, "$.next"));
    json_decref(m);
    json_decref(threat);
    json_decref(tasking);
}

static void test_responses(void **state)
{
    (void)state;
    world w = {.h = demo_world()};
    hresp r = hw_req(w.h, "GET", "/api/openapi.json", NULL, NULL);
    hw_expect(&r, 200);
    w.doc = json_incref(r.json);
    hresp_free(&r);
    assert_non_null(w.doc);
    /* the routes of the document */
    const char *p, *m;
    json_t *item, *op;
    json_object_foreach(json_object_get(w.doc, "paths"), p, item)
        json_object_foreach(item, m, op) {
            w.routes = realloc(w.routes, (w.nroutes + 1) * sizeof *w.routes);
            route_stat *rt = &w.routes[w.nroutes++];
            char *up = strdup(m);
            for (char *c = up; *c; c++)
                *c = (char)(*c - 'a' + 'A');
            *rt = (route_stat){.method = up, .path = p, .op = op, .described = true};
        }
    assert_true(w.nroutes > 50);
    /* the operation's 2xx schema: described or not, before any answer */
    for (size_t i = 0; i < w.nroutes; i++) {
        route_stat *rt = &w.routes[i];
        const char *media = NULL;
        const json_t *s = response_schema(rt, 200, &media);
        if (!s)
            s = response_schema(rt, 201, &media);
        if (!s)
            s = response_schema(rt, 202, &media);
        assert_non_null(s);
        rt->binary = strcmp(media, "application/json") != 0;
        rt->described = rt->binary || !bare_object(s);
    }

    /* 1. every GET on a demo tasking with a transfer and delivered work */
    char *demo = NULL;
    {
        json_t *l = call(&w, "auditor", "GET", "/api/v1/taskings?state=closed", NULL, 200);
        size_t i;
        json_t *t;
        json_array_foreach(json_object_get(l, "items"), i, t) {
            if (demo)
                break;
            char *path = t_fmt("/api/v1/taskings/%s", js(t, "ref"));
            json_t *v = call(&w, "auditor", "GET", path, NULL, 200);
            free(path);
            if (json_is_object(json_object_get(v, "transfer")) &&
                json_array_size(json_object_get(v, "team")) > 0)
                demo = strdup(js(t, "ref"));
            json_decref(v);
        }
        json_decref(l);
    }
    assert_non_null(demo);
    refs f;
    refs_of(&w, &f, demo);
    assert_true(f.has_transfer);
    sweep(&w, &f);
    analysis_calls(&w);
    /* a tasking as an APMIS recorder sees it (the outcome only: no content keys) */
    char *met = tasking_on(&w, "SOC-000007", "closed");
    char *path = t_fmt("/api/v1/taskings/%s", met);
    json_t *v = call(&w, "nca-apmis", "GET", path, NULL, 200);
    assert_string_equal(js(v, "access") ?: "", "apmis");
    assert_null(json_object_get(v, "team"));
    json_decref(v);
    free(path);
    free(met);
    real_mutations(&w);

    /* 2. the walk of a new tasking, then every GET on it */
    char *walked = walk(&w);
    refs_of(&w, &f, walked);
    assert_int_equal(f.tor_versions, 2);
    sweep(&w, &f);
    /* 3. the other writes */
    other_transitions(&w);
    admin_writes(&w);
    json_decref(call(&w, "auditor", "GET", "/api/v1/audit/verify", NULL, 200));
    json_decref(call(&w, "auditor", "DELETE", "/api/v1/session", NULL, 200));

    /* the report */
    size_t validated = 0, answers = 0, described_unseen = 0, gets_unseen = 0, bare = 0, planned_ok = 0;
    fprintf(stderr, "routes not yet described (response schema {\"type\": \"object\"}):\n");
    for (size_t i = 0; i < w.nroutes; i++) {
        route_stat *rt = &w.routes[i];
        if (!rt->described) {
            bare++;
            const planned *pl = planned_of(rt->method, rt->path);
            planned_ok += rt->planned_validated > 0;
            if (pl && !rt->planned_validated) {
                fprintf(stderr, "%s %s: planned as %s but no answer checked it\n", rt->method, rt->path,
                        pl->type);
                w.failures++;
            }
            fprintf(stderr, "  %-6s %s%s%s%s\n", rt->method, rt->path, pl ? ": valid as the planned " : "",
                    pl ? pl->type : "", rt->answered ? "" : " (not called)");
        }
    }
    fprintf(stderr, "routes with a schema that no answer exercised:\n");
    for (size_t i = 0; i < w.nroutes; i++) {
        route_stat *rt = &w.routes[i];
        validated += rt->validated > 0;
        answers += rt->validated;
        if (rt->described && !rt->binary && !rt->validated) {
            described_unseen++;
            fprintf(stderr, "  %-6s %s\n", rt->method, rt->path);
        }
        if (strcmp(rt->method, "GET") == 0 && !rt->answered) {
            gets_unseen++;
            fprintf(stderr, "GET %s was never answered\n", rt->path);
        }
    }
    fprintf(stderr, "OpenAPI responses: %zu routes, %zu validated (%zu answers), %zu not yet "
                    "described (%zu of them valid as their planned type), %zu with a schema not "
                    "exercised, %zu failure(s)\n",
            w.nroutes, validated, answers, bare, planned_ok, described_unseen, w.failures);
    assert_int_equal(w.failures, 0);
    assert_int_equal(gets_unseen, 0);
    assert_int_equal(described_unseen, 0);
    assert_true(validated >= 40);

    free(walked);
    free(demo);
    for (size_t i = 0; i < w.nroutes; i++)
        free((char *)w.routes[i].method);
    free(w.routes);
    json_decref(w.doc);
    hw_free(w.h);
}

int main(void)
{
    (void)hw_new; /* of test_http_support.h, not used here */
    (void)hw_login;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_validator),
        cmocka_unit_test(test_schema_table),
        cmocka_unit_test(test_responses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
