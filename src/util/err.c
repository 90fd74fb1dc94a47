#include "util/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/text.h"

iom_err iom_fail(iom_error *e, iom_err code, const char *fmt, ...)
{
    if (e) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        va_end(ap);
        /* a value quoted with "%.64s" (or the message cut at its size) may end inside a
           character: every message is UTF-8, so that JSON can carry it (review 65) */
        iom_utf8_repair(e->msg);
        e->code = code;
    }
    return code;
}

void iom_error_clear(iom_error *e)
{
    if (e) {
        e->code = IOM_OK;
        e->msg[0] = '\0';
    }
}

const char *iom_err_name(iom_err code)
{
    switch (code) {
    case IOM_OK: return "ok";
    case IOM_EINVAL: return "invalid";
    case IOM_ENOTFOUND: return "not_found";
    case IOM_EFORBIDDEN: return "forbidden";
    case IOM_ECONFLICT: return "conflict";
    case IOM_ESTORE: return "store";
    case IOM_ENOMEM: return "no_memory";
    case IOM_EIO: return "io";
    case IOM_EAUTH: return "unauthenticated";
    case IOM_ESCHEMA: return "schema";
    case IOM_EINTEGRITY: return "integrity";
    case IOM_EUSAGE: return "usage";
    case IOM_ETOOBIG: return "too_big";
    case IOM_EBUSY: return "busy";
    case IOM_EUNAVAILABLE: return "unavailable";
    }
    return "unknown";
}

const char *iom_err_text(iom_err code)
{
    switch (code) {
    case IOM_OK: return "success";
    case IOM_EINVAL: return "invalid input";
    case IOM_ENOTFOUND: return "not found";
    case IOM_EFORBIDDEN: return "not permitted";
    case IOM_ECONFLICT: return "conflict with the current state";
    case IOM_ESTORE: return "storage failure";
    case IOM_ENOMEM: return "out of memory";
    case IOM_EIO: return "file input/output failure";
    case IOM_EAUTH: return "no identified user";
    case IOM_ESCHEMA: return "database schema mismatch";
    case IOM_EINTEGRITY: return "audit chain integrity failure";
    case IOM_EUSAGE: return "wrong command-line usage";
    case IOM_ETOOBIG: return "too large";
    case IOM_EBUSY: return "busy: try again shortly";
    case IOM_EUNAVAILABLE: return "the read could not be logged, so nothing was shown";
    }
    return "unknown error";
}

int iom_err_exit_code(iom_err code)
{
    return code == IOM_OK ? 0 : (int)code + 2;
}

int iom_err_http_status(iom_err code)
{
    switch (code) {
    case IOM_OK: return 200;
    case IOM_EINVAL: return 400;
    case IOM_EUSAGE: return 400;
    case IOM_ENOTFOUND: return 404;
    case IOM_EFORBIDDEN: return 403;
    case IOM_ECONFLICT: return 409;
    case IOM_EAUTH: return 401;
    case IOM_ETOOBIG: return 413;
    case IOM_ESTORE: return 500;
    case IOM_ENOMEM: return 503;
    case IOM_EIO: return 500;
    case IOM_ESCHEMA: return 503;
    case IOM_EINTEGRITY: return 500;
    case IOM_EBUSY: return 503;
    case IOM_EUNAVAILABLE: return 503;
    }
    return 500;
}
