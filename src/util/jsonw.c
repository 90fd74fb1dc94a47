/* jsonw.c: compact JSON text into an iom_buf (see jsonw.h). */
#include "util/jsonw.h"

#include <errno.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Eight bytes at a time (the list's strings are mostly plain ASCII: the byte loops were 12% of
   a list request's CPU, perf). Words are loaded with memcpy within the string's length (strlen
   first), so nothing past its NUL is read. */
#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

static inline uint64_t load8(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

/* Nonzero when a byte of w is below 0x20, '"' or '\\' (exact as a yes/no: the classic
   has-less-than and has-zero tests; bytes of 0x80 and above never count). */
static inline uint64_t needs_escape8(uint64_t w)
{
    uint64_t q = w ^ (ONES * '"'), bs = w ^ (ONES * '\\');
    return (((w - ONES * 0x20) & ~w) | ((q - ONES) & ~q) | ((bs - ONES) & ~bs)) & HIGHS;
}

bool jsonw_utf8_ok(const char *s) { return jsonw_utf8_okn(s, strlen(s)); }

bool jsonw_utf8_okn(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        if (end - p >= 8 && !(load8(p) & HIGHS)) {
            p += 8;
            continue;
        }
        unsigned c = *p;
        if (c < 0x80) {
            p++;
            continue;
        }
        int n;
        unsigned cp;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        for (int i = 1; i <= n; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        p += n + 1;
    }
    return true;
}

void jsonw_str(iom_buf *b, const char *s) { jsonw_strn(b, s, strlen(s)); }

void jsonw_strn(iom_buf *b, const char *s, size_t len)
{
    iom_buf_putc(b, '"');
    const char *run = s, *end = s + len;
    for (const char *p = s;; p++) {
        while (end - p >= 8 && !needs_escape8(load8((const unsigned char *)p)))
            p += 8;
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        if (p > run)
            iom_buf_append(b, run, (size_t)(p - run));
        if (!c)
            break;
        char esc[8];
        switch (c) {
        case '"': iom_buf_append(b, "\\\"", 2); break;
        case '\\': iom_buf_append(b, "\\\\", 2); break;
        case '\b': iom_buf_append(b, "\\b", 2); break;
        case '\f': iom_buf_append(b, "\\f", 2); break;
        case '\n': iom_buf_append(b, "\\n", 2); break;
        case '\r': iom_buf_append(b, "\\r", 2); break;
        case '\t': iom_buf_append(b, "\\t", 2); break;
        default:
            snprintf(esc, sizeof esc, "\\u%04X", (unsigned)c);
            iom_buf_append(b, esc, 6);
            break;
        }
        run = p + 1;
    }
    iom_buf_putc(b, '"');
}

void jsonw_key(iom_buf *b, const char *key)
{
    jsonw_str(b, key);
    iom_buf_putc(b, ':');
}

/* Decimal digits by hand: snprintf's "%lld" was 1.7% of a list request's CPU (perf). */
void jsonw_int(iom_buf *b, int64_t v)
{
    char num[24], *e = num + sizeof num, *p = e;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v; /* INT64_MIN too */
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    iom_buf_append(b, p, (size_t)(e - p));
}

void jsonw_bool(iom_buf *b, bool v) { iom_buf_puts(b, v ? "true" : "false"); }

/* What jansson prints for a value this writer leaves to it (a real, a string holding NUL).
   Reals with 15 significant digits, the most a double holds exactly in decimal: a score of
   51.2 prints as 51.2, not 51.200000000000003 (jansson's default of 17 shows the binary
   noise). */
static void by_jansson(iom_buf *b, const json_t *j)
{
    char *t = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
    if (t) {
        iom_buf_puts(b, t);
        free(t);
    }
}

bool jsonw_real(iom_buf *b, double v)
{
    json_t *j = json_real(v);
    if (!j)
        return false;
    by_jansson(b, j);
    json_decref(j);
    return true;
}

void jsonw_json(iom_buf *b, const void *value)
{
    const json_t *j = value;
    if (!j)
        return;
    switch (json_typeof(j)) {
    case JSON_OBJECT: {
        iom_buf_putc(b, '{');
        const char *key;
        json_t *v;
        bool first = true;
        json_object_foreach((json_t *)j, key, v) {
            if (!first)
                iom_buf_putc(b, ',');
            first = false;
            jsonw_key(b, key);
            jsonw_json(b, v);
        }
        iom_buf_putc(b, '}');
        break;
    }
    case JSON_ARRAY: {
        iom_buf_putc(b, '[');
        for (size_t i = 0; i < json_array_size(j); i++) {
            if (i)
                iom_buf_putc(b, ',');
            jsonw_json(b, json_array_get(j, i));
        }
        iom_buf_putc(b, ']');
        break;
    }
    case JSON_STRING: {
        const char *s = json_string_value(j);
        if (strlen(s) == json_string_length(j))
            jsonw_str(b, s);
        else
            by_jansson(b, j);
        break;
    }
    case JSON_INTEGER:
        jsonw_int(b, (int64_t)json_integer_value(j));
        break;
    case JSON_REAL:
        by_jansson(b, j);
        break;
    case JSON_TRUE:
        iom_buf_puts(b, "true");
        break;
    case JSON_FALSE:
        iom_buf_puts(b, "false");
        break;
    case JSON_NULL:
        iom_buf_puts(b, "null");
        break;
    }
}

/* ---- jsonw_canon: stored JSON text copied as jsonw_json would print it once parsed ------- */

#define CANON_MAX_DEPTH 2048 /* jansson's JSON_PARSER_MAX_DEPTH */
#define CANON_MAX_KEYS 64    /* more members in one object: left to jansson (duplicates) */

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

static int hex4(const char *p, const char *end)
{
    if (end - p < 4)
        return -1;
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

static void put_utf8(iom_buf *b, unsigned cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    iom_buf_append(b, u, n);
}

/* The string token at *pp (its opening quote), written to b as jsonw_strn writes its value.
   False when jansson refuses it (a control character, invalid UTF-8, a bad escape, \u0000 or a
   lone surrogate, no closing quote). */
static bool canon_string(iom_buf *b, const char **pp, const char *end, iom_buf *scratch)
{
    const char *start = *pp + 1, *p = start;
    bool escapes = false;
    while (p < end && *p != '"') {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20)
            return false;
        if (c == '\\') {
            escapes = true;
            p += 2;
        } else {
            p++;
        }
    }
    if (p >= end)
        return false;
    size_t n = (size_t)(p - start);
    *pp = p + 1;
    if (!escapes) { /* the byte after the run is '"': no UTF-8 check reads past it */
        if (!jsonw_utf8_okn(start, n))
            return false;
        iom_buf_putc(b, '"');
        iom_buf_append(b, start, n);
        iom_buf_putc(b, '"');
        return true;
    }
    iom_buf_reset(scratch);
    for (const char *q = start; q < p;) {
        if (*q != '\\') {
            const char *run = q;
            while (q < p && *q != '\\')
                q++;
            iom_buf_append(scratch, run, (size_t)(q - run));
            continue;
        }
        char e = q[1];
        q += 2;
        switch (e) {
        case '"': iom_buf_putc(scratch, '"'); break;
        case '\\': iom_buf_putc(scratch, '\\'); break;
        case '/': iom_buf_putc(scratch, '/'); break;
        case 'b': iom_buf_putc(scratch, '\b'); break;
        case 'f': iom_buf_putc(scratch, '\f'); break;
        case 'n': iom_buf_putc(scratch, '\n'); break;
        case 'r': iom_buf_putc(scratch, '\r'); break;
        case 't': iom_buf_putc(scratch, '\t'); break;
        case 'u': {
            int v = hex4(q, p);
            if (v < 0)
                return false;
            q += 4;
            unsigned cp = (unsigned)v;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                int lo = q + 2 <= p && q[0] == '\\' && q[1] == 'u' ? hex4(q + 2, p) : -1;
                if (lo < 0xDC00 || lo > 0xDFFF)
                    return false;
                q += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + ((unsigned)lo - 0xDC00);
            } else if ((cp >= 0xDC00 && cp <= 0xDFFF) || cp == 0) {
                return false;
            }
            put_utf8(scratch, cp);
            break;
        }
        default:
            return false;
        }
    }
    const char *s = iom_buf_cstr(scratch);
    if (!jsonw_utf8_okn(s, scratch->len))
        return false;
    jsonw_strn(b, s, scratch->len);
    return true;
}

/* Past one or more digits at p; NULL when there is none. */
static const char *digits(const char *p, const char *end)
{
    if (p >= end || !is_digit(*p))
        return NULL;
    while (p < end && is_digit(*p))
        p++;
    return p;
}

/* The number token at *pp, as jansson reads it (an integer when it has no fraction or
   exponent, within int64; else a real, printed by jansson). */
static bool canon_number(iom_buf *b, const char **pp, const char *end, iom_buf *scratch)
{
    const char *s = *pp, *p = s;
    bool real = false;
    if (p < end && *p == '-')
        p++;
    if (p >= end || !is_digit(*p))
        return false;
    if (*p == '0') {
        p++;
        if (p < end && is_digit(*p))
            return false;
    } else {
        while (p < end && is_digit(*p))
            p++;
    }
    if (p < end && *p == '.') {
        if (!(p = digits(p + 1, end)))
            return false;
        real = true;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (!(p = digits(p, end)))
            return false;
        real = true;
    }
    *pp = p;
    size_t n = (size_t)(p - s);
    if (!real) {
        /* within int64: at most 19 digits and the sign */
        if (n > 20)
            return false;
        char num[24];
        memcpy(num, s, n);
        num[n] = '\0';
        errno = 0;
        char *stop;
        long long v = strtoll(num, &stop, 10);
        if (errno == ERANGE || *stop)
            return false;
        jsonw_int(b, (int64_t)v);
        return true;
    }
    iom_buf_reset(scratch);
    iom_buf_append(scratch, s, n);
    json_t *j = json_loads(iom_buf_cstr(scratch), JSON_DECODE_ANY, NULL);
    if (!j || !json_is_real(j)) {
        json_decref(j);
        return false;
    }
    by_jansson(b, j);
    json_decref(j);
    return true;
}

typedef struct {
    char kind;         /* '{' or '[' */
    size_t keys;       /* index of the object's first key in the key list */
} canon_frame;

bool jsonw_canon(iom_buf *b, const char *text, size_t n)
{
    size_t mark = b->len;
    const char *p = text, *end = text + n;
    canon_frame *st = NULL;
    size_t depth = 0, cap = 0;
    size_t (*keys)[2] = NULL; /* offsets in b of the keys (their text with quotes) */
    size_t nkeys = 0, capkeys = 0;
    iom_buf scratch = IOM_BUF_INIT;
    bool ok = false;

    p = skip_ws(p, end);
    if (p >= end || (*p != '{' && *p != '['))
        goto out;
    for (;;) {
        /* a value at p */
        p = skip_ws(p, end);
        if (p >= end)
            goto out;
        char c = *p;
        if (c == '{' || c == '[') {
            if (depth == CANON_MAX_DEPTH)
                goto out;
            if (depth == cap) {
                size_t nc = cap ? cap * 2 : 16;
                canon_frame *w = realloc(st, nc * sizeof *st);
                if (!w)
                    goto out;
                st = w;
                cap = nc;
            }
            st[depth++] = (canon_frame){c, nkeys};
            iom_buf_putc(b, c);
            p = skip_ws(p + 1, end);
            if (p < end && *p == (c == '{' ? '}' : ']')) {
                iom_buf_putc(b, *p++);
                depth--;
            } else if (c == '{') {
                goto key;
            } else {
                continue;
            }
        } else if (c == '"') {
            if (!canon_string(b, &p, end, &scratch))
                goto out;
        } else if (c == '-' || is_digit(c)) {
            if (!canon_number(b, &p, end, &scratch))
                goto out;
        } else if (end - p >= 4 && memcmp(p, "true", 4) == 0) {
            iom_buf_append(b, "true", 4);
            p += 4;
        } else if (end - p >= 5 && memcmp(p, "false", 5) == 0) {
            iom_buf_append(b, "false", 5);
            p += 5;
        } else if (end - p >= 4 && memcmp(p, "null", 4) == 0) {
            iom_buf_append(b, "null", 4);
            p += 4;
        } else {
            goto out;
        }
        /* a value is complete: what follows it in its container */
        for (;;) {
            if (depth == 0) {
                ok = skip_ws(p, end) == end;
                goto out;
            }
            p = skip_ws(p, end);
            if (p >= end)
                goto out;
            canon_frame *f = &st[depth - 1];
            if (*p == ',') {
                iom_buf_putc(b, ',');
                p++;
                if (f->kind == '{')
                    goto key;
                break; /* the next element */
            }
            if (*p != (f->kind == '{' ? '}' : ']'))
                goto out;
            iom_buf_putc(b, *p++);
            if (f->kind == '{')
                nkeys = f->keys;
            depth--;
        }
        continue;
    key:
        p = skip_ws(p, end);
        if (p >= end || *p != '"')
            goto out;
        {
            size_t at = b->len;
            if (!canon_string(b, &p, end, &scratch))
                goto out;
            size_t klen = b->len - at;
            size_t first = st[depth - 1].keys;
            if (nkeys - first >= CANON_MAX_KEYS)
                goto out;
            for (size_t k = first; k < nkeys; k++)
                if (keys[k][1] == klen && memcmp(b->data + keys[k][0], b->data + at, klen) == 0)
                    goto out; /* a key given twice: jansson keeps one */
            if (nkeys == capkeys) {
                size_t nc = capkeys ? capkeys * 2 : 32;
                size_t(*w)[2] = realloc(keys, nc * sizeof *keys);
                if (!w)
                    goto out;
                keys = w;
                capkeys = nc;
            }
            keys[nkeys][0] = at;
            keys[nkeys][1] = klen;
            nkeys++;
        }
        p = skip_ws(p, end);
        if (p >= end || *p != ':')
            goto out;
        iom_buf_putc(b, ':');
        p++;
    }
out:
    free(st);
    free(keys);
    iom_buf_free(&scratch);
    if (!ok && b->data) {
        b->len = mark;
        b->data[mark] = '\0';
    }
    return ok;
}
