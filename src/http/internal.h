/*
 * internal.h: shared by the files of src/http only. A request (http_req) lives from the
 * first call of the access handler to MHD's completion callback; everything it allocates is
 * in r->arena or owned by it (body, input JSON, output JSON) and freed in one place.
 *
 * Handlers (h_*.c) never touch the socket: they read r (params, query, parsed body), call
 * one use-case with r->ctx, and answer with http_json / http_fail / http_problem.
 */
#ifndef IOM_HTTP_INTERNAL_H
#define IOM_HTTP_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"
#include "app/auth.h"
#include "app/readlog.h"
#include "http/http.h"
#include "util/arena.h"
#include "util/buf.h"

#define HTTP_MAX_PARAMS 4
#define HTTP_PARAM_MAX 64 /* bytes of a {param} path segment */

typedef struct http_req http_req;
typedef void (*http_handler)(http_req *r);

enum {
    HTTP_PUBLIC = 1 << 0,   /* no authentication (health, sign-in, the OpenAPI document) */
    HTTP_BODY = 1 << 1,     /* takes a JSON body (application/json) */
    HTTP_CREATED = 1 << 2,  /* success is 201 (OpenAPI) */
    HTTP_VERSIONED = 1 << 3,/* takes If-Match / answers with an ETag (OpenAPI) */
    HTTP_UPLOAD = 1 << 4,   /* with HTTP_BODY: a raw document (any Content-Type) of up to
                               APP_PRODUCT_MAX_BYTES instead of the JSON body limit */
    HTTP_BODY_OPTIONAL = 1 << 5, /* with HTTP_BODY: an empty body is allowed (OpenAPI) */
    HTTP_DOWNLOAD = 1 << 6, /* answers a document's bytes, not JSON (OpenAPI) */
    HTTP_RESTRICTED_OK = 1 << 7, /* usable while the account must change its password or
                                    enrol TOTP (app_auth_restriction): me, sign-out, password */
    HTTP_TOTP_ENROL = 1 << 8,    /* usable while the account must enrol TOTP (not while it
                                    must change its password): the enrolment routes */
};

/* One row of the route table (routes.c), after Taler's handlers[]. */
typedef struct http_route {
    const char *method;           /* "GET", "POST", "PATCH", "DELETE" */
    const char *pattern;          /* "/api/v1/taskings/{ref}/{action}" */
    http_handler fn;
    /* An HTTP_UPLOAD route's check before its body is read (the user signed in, the store
       open): answers and returns false to refuse, so a large body is never received for a
       request the handler would refuse anyway; NULL: none. */
    bool (*early)(http_req *r);
    unsigned flags;               /* HTTP_* */
    const char *const *query;     /* allowed query parameters, NULL-terminated, or NULL */
    const char *summary;          /* one line, for OpenAPI */
    const char *tag;              /* OpenAPI tag */
    const char *body_schema;      /* OpenAPI components/schemas name of the body, or NULL */
    const char *const *enums;     /* for {action}: the allowed values, or NULL */
    const struct op_def *op;      /* a route made from the operation table (fn = h_op) */
    const char *returns;          /* a fixed route's result type (ops_schema.c), or NULL */
    unsigned segments;            /* the pattern's '/' count (set by routes.c): a path with
                                     another count cannot match it */
} http_route;

/* The '/' count of a path or pattern. */
unsigned http_path_segments(const char *s);

/* Every route: the rows of routes.c and one per operation of the operation table that has
   an HTTP method (built once, before main, by routes.c). */
extern const http_route *http_routes;
extern size_t http_route_count;

/* The handler of every route made from the operation table (h_ops.c). */
void h_op(http_req *r);

/* Router (router.c). OUT params: up to HTTP_MAX_PARAMS name/value pairs (values in a).
   Returns the route for (method, path); NULL with *path_known set when the path matches
   some route under another method (405) or not at all (404). */
const http_route *http_route_find(const char *method, const char *path, iom_arena *a,
                                  const char **names, const char **values, int *nparams,
                                  bool *path_known);
/* "GET, POST" for a path matching under several methods; arena. */
char *http_route_allow(const char *path, iom_arena *a);

/* A network of trusted proxies (http_config.trusted_proxies), parsed. */
typedef struct http_net {
    int family;              /* AF_INET or AF_INET6 */
    unsigned char addr[16];  /* the first 4 bytes for AF_INET */
    unsigned prefix;         /* bits that must agree */
} http_net;

/* Parses "ADDRESS" or "ADDRESS/PREFIX" (an IPv4-mapped IPv6 network is an IPv4 one).
   IOM_EINVAL naming the text when it is neither. */
iom_err http_net_parse(const char *text, http_net *out, iom_error *e);

/* The server state the handlers may read. */
typedef struct http_shared {
    http_config cfg;
    http_net proxies[HTTP_MAX_PROXIES]; /* cfg.trusted_proxies, parsed */
    size_t nproxies;
    bool tls;
    unsigned char audit_key[IOM_AUDIT_KEY_BYTES];
    const char *os_user;
} http_shared;

struct http_req {
    iom_arena arena;
    const http_shared *srv;
    struct MHD_Connection *conn;
    const char *method;
    const http_route *route;
    const char *names[HTTP_MAX_PARAMS];
    const char *values[HTTP_MAX_PARAMS];
    int nparams;
    iom_buf body;
    bool body_too_big;
    bool body_busy;               /* refused: the server's budget for bodies in flight is spent */
    bool body_slow;               /* refused: a large body came slower than the least rate */
    bool body_reserved;           /* its declared length is counted whole in the budget */
    size_t body_held;             /* bytes of this body counted in the server's budget */
    int64_t body_user;            /* the user whose share body_held counts in (0: none) */
    uint64_t body_win_us;         /* a large body: the start of its current rate window */
    size_t body_win_len;          /* the body's length at that start */
    json_t *input;                /* parsed body; strings borrowed from it live until the end */
    char request_id[17];
    uint64_t start_us;
    /* authentication */
    bool authed;
    app_principal who;
    iom_store *store;
    iom_ctx ctx;
    /* response */
    int status;
    json_t *out;                  /* body (owned) */
    iom_buf text;                 /* or the body as JSON text already (owned; http_json_text) */
    const char *content_type;     /* default application/json */
    int64_t etag;                 /* > 0: ETag "N" */
    const char *etag_text;        /* a quoted strong ETag (a web UI file), instead of etag */
    bool revalidate;              /* Cache-Control: no-cache (a public web UI file: kept by the
                                     browser, asked again with If-None-Match), not no-store */
    const char *set_cookie;
    const char *allow;
    int64_t retry_after;
    bool www_authenticate;
    bool problem_set;
    /* a non-JSON answer (http_bytes): borrowed, lives until the response is queued */
    const void *raw;
    size_t raw_len;
    const char *hdr_name[8], *hdr_value[8]; /* extra response headers (http_header) */
    int nhdr;
    /* content reads: the entries this request queued on the read log (server.c); while any
       is not yet durable the connection is suspended and nothing is sent */
    app_read_ticket read_ticket;
    bool read_suspended;          /* suspended for the read log (counted in the server) */
};

/* ---- responses (respond.c) ---- */
/* Answers status with j (stolen). */
void http_json(http_req *r, int status, json_t *j);
/* Answers status with a JSON body already serialised in *text (taken: *text is reset). */
void http_json_text(http_req *r, int status, iom_buf *text);
/* RFC 9457 problem: type urn:iom:problem:<kind>, title, status, detail. */
void http_problem(http_req *r, int status, const char *kind, const char *title,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The problem for a use-case failure err with the detail in r->ctx.err. */
void http_fail(http_req *r, iom_err err);

/* The use-cases' and the operation table's texts name the command line's options in a
   parenthesis that starts with one ("reason: required (--reason TEXT)", "(--grade 1B with
   --handling P|C, or --legacy CODE)"). The API takes the same names as JSON fields: copies s
   into out (at most n bytes, NUL-terminated) without the "--" that starts a word inside such a
   parenthesis ("(reason TEXT)", "(grade 1B with handling P|C, or legacy CODE)"); everything
   else unchanged. Returns out. */
char *http_api_text(const char *s, char *out, size_t n);
/* For an answer's detail (a problem's, a failed job's): http_api_text's rule for an option
   written anywhere ("give --replace", "--field ROLE=COLUMN": review 60, 66), but not inside
   `...` (a command to type) nor after "CLI " (what the command line takes). */
char *http_api_detail(const char *s, char *out, size_t n);

/* ---- input (input.c) ---- */
typedef enum http_ftype { HF_STRING, HF_INT, HF_BOOL, HF_OBJECT, HF_ARRAY } http_ftype;
typedef struct http_field {
    const char *name;
    http_ftype type;
    bool required;
    void *out;                    /* const char **, int64_t *, bool *, json_t ** (object, array) */
} http_field;

/* A path parameter by name (always present when the route has it). */
const char *http_param(const http_req *r, const char *name);
/* The Set-Cookie that ends the session cookie in the browser (Secure under TLS, as the cookie
   it ends). */
const char *http_cookie_clear(const http_req *r);

/* A query parameter or NULL. */
const char *http_query(const http_req *r, const char *name);
/* The body as a JSON object (strict: duplicate keys, invalid UTF-8, NUL and depth are 400);
   an empty body gives NULL when allow_empty. False after answering 400/415. */
bool http_body_object(http_req *r, bool allow_empty, json_t **out);
/* Strict field decoding of obj (may be NULL = {}): unknown, missing and wrong-typed fields
   answer 400 naming the field; f is terminated by {NULL}. */
bool http_fields(http_req *r, json_t *obj, const http_field *f);
/* If-Match: "N" into *out (0 when absent); false after answering 400. */
bool http_if_match(http_req *r, int64_t *out);

/* How many request headers are named NAME (compared without case): a header that names one
   thing (a credential, a version, a purpose) given twice is refused, not guessed at. */
int http_header_count(http_req *r, const char *name);

/* ---- resources helpers (paging.c) ---- */
/* The body of a route anyone may call (the sign-in) is read before anybody is known: at most
   this (review 62: 1 MiB sign-in bodies from 257 anonymous connections filled the server's
   body budget, and every sign-in and write was 503 busy). */
#define HTTP_PUBLIC_BODY_MAX 16384
/* The body size limit of a route: HTTP_PUBLIC_BODY_MAX (or less) for a public route,
   APP_PRODUCT_MAX_BYTES for HTTP_UPLOAD, the operation's body_max when above cfg.body_limit
   (POST .../export/png), else cfg.body_limit. */
size_t http_body_limit(const http_route *rt, size_t cfg_limit);

/* The connection watch (server.c): whether a request awaited since since_us (CLOCK_MONOTONIC,
   microseconds) is past limit_us at now_us. A since_us later than now_us (stored by a worker
   as the watch runs) is not overdue. */
bool http_watch_overdue(uint64_t since_us, uint64_t now_us, uint64_t limit_us);
/* A whole-number query parameter in min..max into *out (def when absent); false after
   answering 400 naming it. */
bool http_query_int(http_req *r, const char *name, int64_t min, int64_t max, int64_t def,
                    int64_t *out);
/* The purpose of a read of intelligence content: the X-Iom-Purpose header or NULL. */
const char *http_purpose(const http_req *r);
/* Answers status with raw bytes (borrowed: they must live in r->arena or longer). */
void http_bytes(http_req *r, int status, const char *content_type, const void *data, size_t len);
/* Adds a response header (name and value borrowed; at most 8). */
void http_header(http_req *r, const char *name, const char *value);
/* ETag of a resource under a tasking: the tasking's version, which every change to its work
   takes as If-Match. After a change made with If-Match "N": N + 1; else read (errors ignored). */
void http_tasking_etag(http_req *r, const char *tasking_ref, int64_t if_version);

/* ---- OpenAPI (openapi.c) ---- */
json_t *http_openapi(void);

/* ---- handlers ---- */
void h_health(http_req *r);
void h_ready(http_req *r);
void h_openapi(http_req *r);
void h_login(http_req *r);
void h_logout(http_req *r);
void h_me(http_req *r);
/* h_admin.c: users, agencies, regions and roles (same use-cases as the CLI) */
/* resources of the tasking lifecycle, the work and APMIS (h_work.c, h_product.c, h_apmis.c,
   h_audit.c) */
void h_product_add(http_req *r);
bool h_product_add_early(http_req *r);
void h_product_get(http_req *r);

#endif
