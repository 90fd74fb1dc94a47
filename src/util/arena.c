#include "util/arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct iom_arena_chunk {
    iom_arena_chunk *next;
    max_align_t data[];
};

#define ARENA_MIN_CHUNK (16 * 1024)

void iom_arena_init(iom_arena *a)
{
    memset(a, 0, sizeof *a);
}

void iom_arena_free(iom_arena *a)
{
    iom_arena_chunk *c = a->head;
    while (c) {
        iom_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    iom_arena_init(a);
}

static void *oom(size_t n)
{
    fprintf(stderr, "iom: out of memory allocating %zu bytes\n", n);
    abort();
}

/* n bytes, not cleared. A block larger than a chunk is a chunk of its own, put behind the
   current one, so the current chunk's free space stays in use (an array grown by doubling
   would otherwise retire a chunk at each step). */
void *iom_arena_alloc_uninit(iom_arena *a, size_t n)
{
    const size_t align = _Alignof(max_align_t);
    size_t need = (n + align - 1) & ~(align - 1);
    if (need < n)
        return oom(n);
    if (a->head && a->cap - a->used >= need) {
        void *p = (char *)a->head->data + a->used;
        a->used += need;
        return p;
    }
    if (a->head && need > ARENA_MIN_CHUNK && need > a->cap - a->used && need >= a->cap) {
        iom_arena_chunk *c = malloc(sizeof *c + need);
        if (!c)
            return oom(n);
        c->next = a->head->next;
        a->head->next = c;
        a->total += need;
        return c->data;
    }
    size_t cap = need > ARENA_MIN_CHUNK ? need : ARENA_MIN_CHUNK;
    if (a->head && a->cap * 2 > cap && a->cap < (1u << 20))
        cap = a->cap * 2;
    iom_arena_chunk *c = malloc(sizeof *c + cap);
    if (!c)
        return oom(n);
    c->next = a->head;
    a->head = c;
    a->cap = cap;
    a->used = need;
    a->total += cap;
    return c->data;
}

void *iom_arena_alloc(iom_arena *a, size_t n)
{
    void *p = iom_arena_alloc_uninit(a, n);
    memset(p, 0, n);
    return p;
}

char *iom_arena_strndup(iom_arena *a, const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *p = iom_arena_alloc_uninit(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *iom_arena_strdup(iom_arena *a, const char *s)
{
    return s ? iom_arena_strndup(a, s, strlen(s)) : NULL;
}

char *iom_arena_vprintf(iom_arena *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        n = 0;
    char *p = iom_arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *iom_arena_printf(iom_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = iom_arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}
