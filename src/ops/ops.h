/*
 * ops.h: THE table of operations. Every use-case that the CLI or the API exposes is one row
 * (op_def): its name, its CLI words, its HTTP method and path, its input fields, the object
 * it returns, whether it writes or reads content, and the function that runs it.
 *
 * From the rows come, with no per-operation code in the adapters:
 *   - the CLI's option parsing, `iom GROUP CMD --help`, `iom GROUP --help`, `iom help GROUP`
 *     (src/cli/cli_ops.c);
 *   - the HTTP routes, path/query/body decoding with strict field checks, If-Match and ETag
 *     (src/http/h_ops.c);
 *   - the OpenAPI document's parameters, request schemas and response schemas
 *     (src/http/openapi.c, with the object schemas of ops_schema.c).
 * Adding an operation is one row plus its use-case (and, for people, a text renderer in
 * src/cli/render.c when the default rendering of its result type does not fit).
 *
 * Layering: ops/ sits between the adapters and app/. A row's `run` only maps the decoded
 * input onto the use-case's input struct and the use-case's result onto the API's JSON object
 * (app/json.h); it holds no rule and touches no store.
 */
#ifndef IOM_OPS_OPS_H
#define IOM_OPS_OPS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "util/buf.h"

#define OP_MAX_FIELDS 24
#define OP_MAX_VALUES 32 /* values of one repeatable field */

typedef enum op_ftype {
    OT_STRING,  /* text */
    OT_INT,     /* a whole number (JSON integer; CLI decimal) */
    OT_BOOL,    /* JSON true/false; CLI flag --name (present = true) */
    OT_STRINGS, /* JSON array of strings; CLI option given several times */
    OT_DOC,     /* the whole JSON body is a document of docs/api.md; CLI --from-json FILE|- */
    OT_OBJECT,  /* a JSON object (e.g. a bid's assessment); CLI: only through --from-json */
} op_ftype;

enum {
    OF_REQUIRED = 1 << 0, /* must be given (the adapter refuses before the use-case runs) */
    OF_PATH = 1 << 1,     /* HTTP: a {name} path segment; CLI: a positional argument */
    OF_QUERY = 1 << 2,    /* HTTP: a query parameter (GET); CLI: an option */
    OF_VERSION = 1 << 3,  /* the version the caller read: HTTP If-Match, CLI --if-version */
    OF_NEEDED = 1 << 4,   /* required, but the use-case refuses its absence with the rule's own
                             words ("sio: an SIO is assigned before a threat is listed"): the
                             adapters do not check it; the documents mark it required */
    OF_ARG = 1 << 5,      /* CLI: a positional argument (after the OF_PATH ones); HTTP: a body
                             field (`iom user add NAME` / POST /users {"name"}) */
    OF_SECRET = 1 << 6,   /* a password: never on the CLI's command line. The CLI reads the
                             row's secret fields from standard input, one line each in field
                             order (prompted without echo on a terminal), when --password-stdin
                             is given or when one of them is OF_NEEDED */
    OF_NEGATE = 1 << 7,   /* OT_BOOL whose CLI flag (named by .cli) means false: absent = true
                             (`role require-totp ROLE [--off]` / {"required": false}) */
    OF_ONE_OK = 1 << 9,   /* OT_STRINGS: the API also takes one string alone ({"user": "x"}) */
    OF_CLI_OPT = 1 << 8,  /* with OF_PATH: on the CLI an optional option (--version N) rather
                             than a positional argument */
    OF_CLI_ONLY = 1 << 10, /* a CLI flag only (--recorded, --decline): not in the API's body */
    OF_API_ONLY = 1 << 11, /* in the API only ({"pnd": ...}): no CLI option */
    OF_PURPOSE = 1 << 12, /* the justification of a content read: HTTP the X-Iom-Purpose header,
                             CLI --justification (or the global --purpose) */
    OF_FILE = 1 << 14,    /* CLI: the option names a file (or - for standard input) whose
                             content is the value; API: the value itself */
    OF_REF = 1 << 15,     /* a reference (SOC-..., TOEX-..., INT-...): taken in any case */
    OF_NUMBER_OK = 1 << 13, /* OT_STRING that the API also takes as a JSON number (hours: 2.5),
                               kept as its decimal text */
    OF_RAW = 1 << 17,     /* taken byte for byte: data (a CSV's text and its column names), a
                             path. Every other text value is put in Unicode NFC as it comes in
                             (op_execute), so that text typed two ways is stored, compared and
                             searched as one (review 100 L5) */
    OF_JSON = 1 << 16,    /* OT_STRING whose value is JSON of any type (a setting's value): the
                             API takes the JSON value itself (op_value.j, borrowed), the CLI its
                             JSON text (op_value.s); op_json_text gives the text of either */
};

typedef struct op_field {
    const char *name;          /* JSON / query / path name: "force_tasking_ref" */
    op_ftype type;
    unsigned flags;            /* OF_* */
    const char *doc;           /* one line for --help and OpenAPI */
    const char *cli;           /* CLI option name when not the name with '_' -> '-', or NULL */
    const char *const *values; /* the allowed values (an enumeration), NULL-terminated, or NULL */
    const char *meta;          /* CLI placeholder for the value ("REF", "N", "TEXT"...) or NULL */
    int64_t min, max;          /* OT_INT: the allowed range when max > 0 */
} op_field;

/* A decoded input value. Strings are borrowed from the adapter's request (argv, the JSON
   body, the path) and live for the operation. */
typedef struct op_value {
    bool set;
    const char *s;             /* OT_STRING; OT_DOC: the document's JSON text */
    int64_t i;                 /* OT_INT */
    bool b;                    /* OT_BOOL */
    const char *v[OP_MAX_VALUES]; /* OT_STRINGS */
    size_t nv;
    json_t *j;                 /* OT_OBJECT, OF_JSON from the API (borrowed from the body) */
    char num[40];              /* OF_NUMBER_OK: the text of a JSON number (s points here) */
} op_value;

struct op_def;
typedef struct op_in {
    const struct op_def *op;
    op_value v[OP_MAX_FIELDS]; /* in the order of op->fields */
} op_in;

typedef struct op_out {
    json_t *json;      /* the result object or list (owned by the caller after run) */
    int64_t etag;      /* > 0: the version to send as ETag (the object's or its tasking's) */
    const char *ref;   /* the reference of the created/affected object, for the CLI's text */
    const void *obj;   /* the use-case's typed result (in ctx->arena) for text renderers */
    size_t n;          /* for lists: the number of items in obj */
    const char *next;  /* for lists: the cursor of the next page, or NULL */
    iom_buf text;      /* or the result as compact JSON text already (a hot list); json is
                          then NULL. Owned by the caller (iom_buf_free). */
    const char *content_type; /* text is not JSON but a document of this type (CSV): the API
                                 answers it as is, the CLI prints it as is */
    const char *filename;      /* with content_type: the API sends it as an attachment of this
                                  name (Content-Disposition); static or in ctx->arena */
    int marking;       /* the highest marking of what the answer holds (an iom_marking), or -1
                          when it holds nothing marked: the API's X-Iom-Marking header, the
                          first line of the CLI's text. op_execute works it out from the
                          "marking" keys of the JSON when run leaves it -1 */
    iom_err status;    /* a result that is also a failure (a broken audit chain): the API
                          answers the object with 200, the CLI shows it and exits with this
                          error's status; the detail is in ctx->err */
} op_out;

typedef iom_err (*op_run_fn)(iom_ctx *c, const op_in *in, op_out *out);

enum {
    OP_WRITE = 1 << 0,        /* changes data: needs the audit key; POST/PATCH/PUT/DELETE */
    OP_CREATED = 1 << 1,      /* HTTP success is 201 */
    OP_CONTENT_READ = 1 << 2, /* a read of intelligence content: logged with its purpose */
    OP_LIST = 1 << 3,         /* returns {items, next}; takes limit and after */
    OP_CLI_REF = 1 << 4,      /* the CLI's text output is the new object's reference alone */
    OP_RESTRICTED_OK = 1 << 5,/* usable while the account must first change its password or
                                 enrol TOTP (app_auth_restriction): the password change */
    OP_TOTP_ENROL = 1 << 6,   /* usable while the account must enrol TOTP: the enrolment */
    OP_ENDS_SESSION = 1 << 7, /* ends the caller's sessions: the API clears its cookie */
    OP_DOCUMENT = 1 << 8,     /* the API answers a file (out->content_type), not `returns`:
                                 OpenAPI application/octet-stream; the CLI's --json shows
                                 `returns` */
    OP_ACCEPTED = 1 << 9,     /* HTTP success is 202: a background job started (app/job.h) */
    OP_ADMIN = 1 << 10,       /* an admin's only: over the API a caller without the admin role
                                 is refused (403) before its input is read, so the refusal
                                 tells nothing of what the input should be (review 72) */
};

typedef struct op_def {
    const char *name;          /* "threat.add": the operation's stable name */
    const char *group, *cmd;   /* CLI words ("threat", "add"); group NULL = API only */
    const char *method;        /* "GET", "POST", ...; NULL = CLI only */
    const char *path;          /* "/api/v1/threats/{ref}" */
    const op_field *fields;    /* terminated by {NULL} */
    const char *returns;       /* the object type of docs/api.md ("Threat"); lists: item type */
    unsigned flags;            /* OP_* */
    const char *tag;           /* OpenAPI tag */
    const char *summary;       /* one line: CLI command list, OpenAPI summary */
    const char *help;          /* further lines for --help (who may, what it does), or NULL */
    op_run_fn run;
    int arg;                   /* passed to run through in->op (e.g. the lifecycle action) */
    size_t body_max;           /* HTTP: the request body bytes this route accepts when above the
                                  server's body limit (0: the server's limit, 1 MiB by default);
                                  larger bodies are 413 naming it (picture.image: a PNG) */
    /* HTTP, with body_max: asked once the caller is signed in and before the body is read,
       with the path's {ref}: may the caller do this on that object now? An error is the
       answer, the body unread (review 65: any signed-in user held 96 MiB import bodies for
       taskings they could not import into). NULL: no such check. */
    iom_err (*early)(iom_ctx *c, const char *ref);
} op_def;

/* Every operation, in the order `iom help` lists them; terminated by a row with name NULL. */
extern const op_def op_table[];

/* The row named name ("threat.add"), or NULL. */
const op_def *op_find(const char *name);

/* Index of the field called name in op->fields, or -1. */
int op_field_index(const op_def *op, const char *name);

/* A reference as the operations take it, in upper case (people type them in any case): s
   itself when it has no lower-case letter, else a copy in arena a. NULL for NULL. */
const char *op_ref_upper(iom_arena *a, const char *s);

/* The decoded value of field name (NULL when the row has no such field). */
const op_value *op_get(const op_in *in, const char *name);
/* Its string value, or NULL when not given. */
const char *op_str(const op_in *in, const char *name);
/* Its integer value, or def when not given. */
int64_t op_int(const op_in *in, const char *name, int64_t def);
/* op_int for a value the use-case takes as an int: saturated at INT_MIN..INT_MAX, so a huge
   number stays out of range (and is refused as such) instead of wrapping into range. */
int op_int_sat(const op_in *in, const char *name, int def);
/* Its boolean value (false when not given). */
bool op_bool(const op_in *in, const char *name);
/* The JSON text of an OF_JSON field (compact, in arena a), or NULL when not given. */
const char *op_json_text(const op_in *in, const char *name, iom_arena *a);

/* Whether a field travels in the JSON body over HTTP (and in a CLI --from-json document):
   not a path segment, query parameter, version or whole document. */
bool op_body_field(const op_field *f);

/* Decodes the body fields of the row from the JSON object body (NULL = {}), strictly: an
   unknown key, a wrong type or a missing OF_REQUIRED field is IOM_EINVAL naming the key;
   null counts as absent. Every problem of the body is found, not only the first: the first
   in c->err, all of them (with those op_check would find next in the fields that decoded) in
   c->problems (iom_ctx). Strings borrow from body, which must outlive the input. Values
   already set in `in` are kept only for keys the body does not have. */
iom_err op_decode_body(iom_ctx *c, op_in *in, json_t *body);

/* Checks a decoded input against the row: every OF_REQUIRED field given; an enumerated
   field's value among the allowed ones; a whole number within its range. IOM_EINVAL naming
   the field otherwise: the first problem in c->err, every one in c->problems. op_execute
   calls this before run. */
iom_err op_check(iom_ctx *c, const op_in *in);

/* Runs the row on a decoded and checked input. A row that does not write runs in one read
   transaction (app_hold_read), so the version and the body it reads agree; a row that writes
   or logs a content read runs its use-cases as they are. On failure out->json is NULL. */
iom_err op_execute(iom_ctx *c, const op_in *in, op_out *out);

/* Marks the answer as holding content of marking m (the highest wins), and gives every object
   of it that has no "marking" of its own (the result, or each item of a list) the key: what
   belongs to a tasking without a marking of its own is marked as the tasking. */
void op_mark(op_out *out, int m);

/* The analyses a server with `threads` request threads runs at once (ops_analysis.c): two, and
   one fewer than its threads (one at least), so that a thread is always left for every other
   request. Called by `iom serve` before it answers. */
void op_analyses_threads(unsigned threads);

/* The JSON schema (a new reference) of the object type name ("Threat"), of the list of it
   when list is true ({items: [...], next}), or NULL for an unknown type (ops_schema.c). */
json_t *op_schema(const char *name, bool list);
/* The names of every object type op_schema knows, NULL-terminated. */
extern const char *const op_schema_names[];

#endif
