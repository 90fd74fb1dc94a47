/* jsonw.c: compact JSON text into an iom_buf (see jsonw.h). */
#include "util/jsonw.h"

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

/* What jansson prints for a value this writer leaves to it (a real, a string holding NUL). */
static void by_jansson(iom_buf *b, const json_t *j)
{
    char *t = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    if (t) {
        iom_buf_puts(b, t);
        free(t);
    }
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
