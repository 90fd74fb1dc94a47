/*
 * err.h: the one error vocabulary of iom.
 *
 * Every fallible function returns an iom_err and, on failure, fills an iom_error with one
 * line that names the field, the value and the rule broken (as sqlite3_errmsg does for a
 * handle). Library code never prints and never exits; only the CLI and HTTP adapters turn a
 * code into an exit status or an HTTP status (iom_err_exit_code, iom_err_http_status).
 *
 * The numeric values are part of the CLI contract (exit codes derive from them): never
 * renumber, only append.
 */
#ifndef IOM_UTIL_ERR_H
#define IOM_UTIL_ERR_H

#include <stddef.h>

typedef enum iom_err {
    IOM_OK = 0,
    IOM_EINVAL = 1,      /* bad input: malformed, out of range, unknown value, oversized */
    IOM_ENOTFOUND = 2,   /* no such object, or one the actor may not see (indistinguishable) */
    IOM_EFORBIDDEN = 3,  /* the actor lacks the role, agency or clearance for this action */
    IOM_ECONFLICT = 4,   /* wrong state for the action, duplicate, or a stale version */
    IOM_ESTORE = 5,      /* the store failed (I/O, corruption, constraint the domain missed) */
    IOM_ENOMEM = 6,      /* out of memory */
    IOM_EIO = 7,         /* a file outside the store could not be read or written */
    IOM_EAUTH = 8,       /* no identified actor (missing --as, unknown or disabled user) */
    IOM_ESCHEMA = 9,     /* database schema older/newer than this binary, or not initialised */
    IOM_EINTEGRITY = 10, /* the audit chain does not verify */
    IOM_EUSAGE = 11,     /* the command line itself is wrong (unknown command or option) */
    IOM_ETOOBIG = 12,    /* a request body, file or collection exceeds a size limit (a text
                            field over its length is IOM_EINVAL: a rule of the field) */
    IOM_EBUSY = 13,      /* too much work queued (the read log's queue is full): try again */
    IOM_EUNAVAILABLE = 14, /* a content read could not be logged (the read log cannot be
                              written, or the server is stopping): nothing was shown */
} iom_err;

#define IOM_ERRMSG_MAX 512

/* Detailed message slot filled by the callee on failure. Zero-initialise before use. */
typedef struct iom_error {
    iom_err code;
    char msg[IOM_ERRMSG_MAX];
} iom_error;

/* Records code and printf-style message in *e (may be NULL) and returns code. */
iom_err iom_fail(iom_error *e, iom_err code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Clears *e to IOM_OK with an empty message. */
void iom_error_clear(iom_error *e);

/* Fixed short name of a code ("invalid", "not_found", ...); never NULL, static storage. */
const char *iom_err_name(iom_err code);

/* Fixed one-line description of a code; never NULL, static storage. */
const char *iom_err_text(iom_err code);

/* Process exit status for a code: 0 for IOM_OK, a distinct value 2..16 for each error. */
int iom_err_exit_code(iom_err code);

/* HTTP status for a code (RFC 9457 problem responses): 200, 400, 404, 403, 409, 500, ... */
int iom_err_http_status(iom_err code);

#endif
