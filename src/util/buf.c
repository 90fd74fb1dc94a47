#include "util/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void grow(iom_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1) {
        if (cap > ((size_t)-1) / 2) {
            fprintf(stderr, "iom: buffer size overflow\n");
            abort();
        }
        cap *= 2;
    }
    char *p = realloc(b->data, cap);
    if (!p) {
        fprintf(stderr, "iom: out of memory growing a buffer to %zu bytes\n", cap);
        abort();
    }
    b->data = p;
    b->cap = cap;
}

void iom_buf_append(iom_buf *b, const void *data, size_t n)
{
    grow(b, n);
    if (n)
        memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void iom_buf_puts(iom_buf *b, const char *s) { iom_buf_append(b, s, strlen(s)); }
void iom_buf_putc(iom_buf *b, char c)
{
    if (b->len + 2 > b->cap)
        grow(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

void iom_buf_reserve(iom_buf *b, size_t n)
{
    grow(b, n);
    b->data[b->len] = '\0';
}

void iom_buf_printf(iom_buf *b, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n > 0) {
        grow(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
        b->len += (size_t)n;
    }
    va_end(ap);
}

void iom_buf_reset(iom_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

const char *iom_buf_cstr(const iom_buf *b) { return b->data ? b->data : ""; }

void iom_buf_free(iom_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
