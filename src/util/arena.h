/*
 * arena.h: per-command / per-request memory (after h2o_mem_pool_t).
 *
 * Everything allocated from an arena is freed at once by iom_arena_free. Allocation never
 * returns NULL: on out-of-memory the process aborts with a message, because every caller
 * would otherwise have to unwind half-built results (the policy h2o states for its pools).
 * An arena is not thread-safe; use one per thread / request.
 */
#ifndef IOM_UTIL_ARENA_H
#define IOM_UTIL_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct iom_arena_chunk iom_arena_chunk;
typedef struct iom_arena {
    iom_arena_chunk *head;
    size_t used;   /* bytes used in head */
    size_t cap;    /* capacity of head */
    size_t total;  /* bytes obtained from malloc, for accounting */
} iom_arena;

/* Initialises an empty arena (no allocation until first use). */
void iom_arena_init(iom_arena *a);

/* Frees every allocation of the arena; the arena may be reused afterwards. */
void iom_arena_free(iom_arena *a);

/* Returns n zeroed bytes aligned for any type; owned by the arena. */
void *iom_arena_alloc(iom_arena *a, size_t n);

/* The same, not cleared: for memory the caller fills before reading it (copies, row arrays
   whose rows are cleared one by one as they are filled). */
void *iom_arena_alloc_uninit(iom_arena *a, size_t n);

#define iom_arena_new(a, type, n) ((type *)iom_arena_alloc((a), sizeof(type) * (n)))

/* Copies s (NULL gives NULL); owned by the arena. */
char *iom_arena_strdup(iom_arena *a, const char *s);

/* Copies n bytes of s and adds a terminating NUL; owned by the arena. */
char *iom_arena_strndup(iom_arena *a, const char *s, size_t n);

/* printf into arena memory; owned by the arena. */
char *iom_arena_printf(iom_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *iom_arena_vprintf(iom_arena *a, const char *fmt, va_list ap);

#endif
