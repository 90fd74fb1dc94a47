/*
 * buf.h: a growable byte buffer (always NUL-terminated) for building text.
 * Owns its memory (malloc); free with iom_buf_free. Out of memory aborts, as arenas do.
 */
#ifndef IOM_UTIL_BUF_H
#define IOM_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct iom_buf {
    char *data; /* NUL-terminated; NULL until the first append */
    size_t len;
    size_t cap;
} iom_buf;

#define IOM_BUF_INIT {NULL, 0, 0}

void iom_buf_append(iom_buf *b, const void *data, size_t n);
void iom_buf_puts(iom_buf *b, const char *s);
void iom_buf_putc(iom_buf *b, char c);
void iom_buf_printf(iom_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void iom_buf_reserve(iom_buf *b, size_t n);   /* room for n more bytes without growing */
void iom_buf_reset(iom_buf *b);                /* length 0, memory kept */
const char *iom_buf_cstr(const iom_buf *b);    /* "" when empty; borrowed */
void iom_buf_free(iom_buf *b);

#endif
