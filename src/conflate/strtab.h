/*
 * strtab.h: an interning table of byte strings -> dense ids 1..n (0 is "none").
 *
 * Open addressing (linear probing, load at most 1/2) over 64-bit slots holding the id and
 * 32 bits of the hash, so a probe touches an entry and its string only on a tag match;
 * the full 64-bit hash is kept per entry for growing. Strings live in one growable char array
 * (each NUL-terminated, so they can be printed). Not thread-safe. Memory is malloc'ed and
 * owned by the table; out of memory aborts (the arena policy of util/arena.h).
 */
#ifndef IOM_CONFLATE_STRTAB_H
#define IOM_CONFLATE_STRTAB_H

#include <stddef.h>
#include <stdint.h>

typedef struct conflate_strtab {
    char *chars;
    size_t nchars, capchars;
    size_t *off;      /* off[id] = offset of string id in chars (id 1..n) */
    uint32_t *len;    /* len[id] */
    uint64_t *hash;   /* hash[id] */
    uint32_t n, cap;  /* entries, capacity of off/len/hash */
    uint64_t *slots;  /* 0 = empty, else (hash >> 32) << 32 | id */
    uint32_t nslots;  /* power of two */
} conflate_strtab;

void conflate_strtab_init(conflate_strtab *t);
void conflate_strtab_free(conflate_strtab *t);

uint64_t conflate_hash(const void *p, size_t n);

/* Id of s (interned on first sight). *added (may be NULL) is set to 1 when it was new. */
uint32_t conflate_strtab_intern(conflate_strtab *t, const char *s, size_t n, int *added);

/* The same with s's conflate_hash given (h), for callers that hash ahead. */
uint32_t conflate_strtab_intern_h(conflate_strtab *t, const char *s, size_t n, uint64_t h,
                                  int *added);

/* Asks for the slot where a string of hash h would be probed first (a hint only: an
   interning meanwhile may grow the table), so that interning a run of strings can overlap
   their memory accesses. */
void conflate_strtab_prefetch(const conflate_strtab *t, uint64_t h);

/* Id of s, or 0 when absent. */
uint32_t conflate_strtab_find(const conflate_strtab *t, const char *s, size_t n);

static inline const char *conflate_strtab_str(const conflate_strtab *t, uint32_t id)
{
    return t->chars + t->off[id];
}

/* strlen(conflate_strtab_str(t, id)), kept. */
static inline size_t conflate_strtab_len(const conflate_strtab *t, uint32_t id)
{
    return t->len[id];
}

/* Aborts with a message on out-of-memory (used by every conflate module). */
void *conflate_xmalloc(size_t n);
void *conflate_xcalloc(size_t n, size_t size);
void *conflate_xrealloc(void *p, size_t n);

#endif
