/* Reading a JSON object's string members without a tree (util/jsonr.h). */
#include "util/jsonr.h"

#include <string.h>

#include "util/text.h"

typedef struct rd {
    const char *p, *s;
    iom_error *e;
} rd;

static iom_err bad(rd *r, const char *what)
{
    return iom_fail(r->e, IOM_EINVAL, "JSON: %s at byte %zu", what, (size_t)(r->p - r->s));
}

static void ws(rd *r)
{
    while (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r')
        r->p++;
}

static int hex4(const char *p, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                             : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return 0;
        v = v * 16 + (unsigned)d;
    }
    *out = v;
    return 1;
}

static size_t utf8_len(unsigned cp) { return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4; }

/* At r->p == '"': checks the string and sets [*b, *end) to its raw text (between the quotes) and
   *n to its length once unescaped; r->p ends after the closing quote. */
static iom_err scan_string(rd *r, const char **b, const char **end, size_t *n)
{
    const char *p = ++r->p;
    size_t len = 0;
    for (;;) {
        unsigned char c = (unsigned char)*p;
        if (c == '"')
            break;
        if (c == 0) {
            r->p = p;
            return bad(r, "unterminated string");
        }
        if (c < 0x20) {
            r->p = p;
            return bad(r, "control character in a string");
        }
        if (c != '\\') {
            p++;
            len++;
            continue;
        }
        switch (p[1]) {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
            p += 2;
            len++;
            break;
        case 'u': {
            unsigned cp;
            if (!hex4(p + 2, &cp)) {
                r->p = p;
                return bad(r, "bad \\u escape");
            }
            if (cp == 0) {
                r->p = p;
                return bad(r, "\\u0000 in a string");
            }
            p += 6;
            if (cp >= 0xDC00 && cp <= 0xDFFF) {
                r->p = p - 6;
                return bad(r, "lone low surrogate");
            }
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                unsigned lo;
                if (p[0] != '\\' || p[1] != 'u' || !hex4(p + 2, &lo) || lo < 0xDC00 || lo > 0xDFFF) {
                    r->p = p - 6;
                    return bad(r, "lone high surrogate");
                }
                p += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            len += utf8_len(cp);
            break;
        }
        default:
            r->p = p;
            return bad(r, "bad escape");
        }
    }
    /* escapes are ASCII: the raw text is UTF-8 exactly when the string is */
    if (!iom_utf8_valid(r->p, (size_t)(p - r->p)))
        return bad(r, "invalid UTF-8 in a string");
    *b = r->p;
    *end = p;
    *n = len;
    r->p = p + 1;
    return IOM_OK;
}

/* Unescapes the checked raw text [b, end) into out (room for the unescaped length + 1). */
static void decode(const char *b, const char *end, char *out)
{
    while (b < end) {
        if (*b != '\\') {
            *out++ = *b++;
            continue;
        }
        char c = b[1];
        b += 2;
        switch (c) {
        case 'b': *out++ = '\b'; break;
        case 'f': *out++ = '\f'; break;
        case 'n': *out++ = '\n'; break;
        case 'r': *out++ = '\r'; break;
        case 't': *out++ = '\t'; break;
        case 'u': {
            unsigned cp = 0, lo = 0; /* set by hex4 on checked text; zeroed for -O3's analysis */
            hex4(b, &cp);
            b += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                hex4(b + 2, &lo);
                b += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            if (cp < 0x80) {
                *out++ = (char)cp;
            } else if (cp < 0x800) {
                *out++ = (char)(0xC0 | (cp >> 6));
                *out++ = (char)(0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                *out++ = (char)(0xE0 | (cp >> 12));
                *out++ = (char)(0x80 | ((cp >> 6) & 0x3F));
                *out++ = (char)(0x80 | (cp & 0x3F));
            } else {
                *out++ = (char)(0xF0 | (cp >> 18));
                *out++ = (char)(0x80 | ((cp >> 12) & 0x3F));
                *out++ = (char)(0x80 | ((cp >> 6) & 0x3F));
                *out++ = (char)(0x80 | (cp & 0x3F));
            }
            break;
        }
        default: *out++ = c; break; /* " \ / */
        }
    }
    *out = '\0';
}

static int digits(rd *r)
{
    const char *p = r->p;
    while (*r->p >= '0' && *r->p <= '9')
        r->p++;
    return r->p > p;
}

static iom_err skip_value(rd *r, int depth);

/* The members (or elements) of an object or array opened at r->p, up to its closing bracket. */
static iom_err skip_container(rd *r, int depth)
{
    char close = *r->p == '{' ? '}' : ']';
    int object = close == '}';
    if (depth >= IOM_JSONR_DEPTH)
        return bad(r, "nested too deep");
    r->p++;
    ws(r);
    if (*r->p == close) {
        r->p++;
        return IOM_OK;
    }
    for (;;) {
        iom_err err;
        if (object) {
            const char *b, *end;
            size_t n;
            if (*r->p != '"')
                return bad(r, "a member name expected");
            if ((err = scan_string(r, &b, &end, &n)))
                return err;
            ws(r);
            if (*r->p != ':')
                return bad(r, "':' expected");
            r->p++;
        }
        if ((err = skip_value(r, depth + 1)))
            return err;
        ws(r);
        if (*r->p == ',') {
            r->p++;
            ws(r);
            continue;
        }
        if (*r->p == close) {
            r->p++;
            return IOM_OK;
        }
        return bad(r, object ? "',' or '}' expected" : "',' or ']' expected");
    }
}

static iom_err skip_value(rd *r, int depth)
{
    ws(r);
    const char *b, *end;
    size_t n;
    switch (*r->p) {
    case '"': return scan_string(r, &b, &end, &n);
    case '{': case '[': return skip_container(r, depth);
    case 't': case 'f': case 'n': {
        const char *lit = *r->p == 't' ? "true" : *r->p == 'f' ? "false" : "null";
        size_t k = strlen(lit);
        if (strncmp(r->p, lit, k) != 0)
            return bad(r, "a value expected");
        r->p += k;
        return IOM_OK;
    }
    default:
        break;
    }
    if (*r->p == '-')
        r->p++;
    if (*r->p == '0')
        r->p++;
    else if (!digits(r))
        return bad(r, "a value expected");
    if (*r->p == '.') {
        r->p++;
        if (!digits(r))
            return bad(r, "digits expected after '.'");
    }
    if (*r->p == 'e' || *r->p == 'E') {
        r->p++;
        if (*r->p == '+' || *r->p == '-')
            r->p++;
        if (!digits(r))
            return bad(r, "digits expected in the exponent");
    }
    return IOM_OK;
}

iom_err iom_jsonr_strings(iom_arena *a, const char *text, const char *const *keys, size_t nkeys,
                          const char **out, iom_error *e)
{
    for (size_t k = 0; k < nkeys; k++)
        out[k] = NULL;
    rd r = {text ? text : "", text ? text : "", e};
    ws(&r);
    if (*r.p != '{')
        return bad(&r, "an object expected");
    r.p++;
    ws(&r);
    if (*r.p == '}') {
        r.p++;
    } else {
        for (;;) {
            const char *b, *end;
            size_t n;
            iom_err err;
            if (*r.p != '"')
                return bad(&r, "a member name expected");
            if ((err = scan_string(&r, &b, &end, &n)))
                return err;
            /* the wanted keys are plain names: a key with escapes is decoded to compare */
            char key[64];
            size_t want = nkeys;
            if (n < sizeof key) {
                decode(b, end, key);
                for (size_t k = 0; k < nkeys && want == nkeys; k++)
                    if (strcmp(keys[k], key) == 0)
                        want = k;
            }
            ws(&r);
            if (*r.p != ':')
                return bad(&r, "':' expected");
            r.p++;
            ws(&r);
            if (want < nkeys && *r.p == '"') {
                if ((err = scan_string(&r, &b, &end, &n)))
                    return err;
                char *s = iom_arena_alloc_uninit(a, n + 1);
                decode(b, end, s);
                out[want] = s;
            } else {
                if (want < nkeys)
                    out[want] = NULL; /* the last one given wins: not a string */
                if ((err = skip_value(&r, 1)))
                    return err;
            }
            ws(&r);
            if (*r.p == ',') {
                r.p++;
                ws(&r);
                continue;
            }
            if (*r.p == '}') {
                r.p++;
                break;
            }
            return bad(&r, "',' or '}' expected");
        }
    }
    ws(&r);
    if (*r.p)
        return bad(&r, "text after the object");
    return IOM_OK;
}
