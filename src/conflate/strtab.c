/* strtab.c: see strtab.h. */
#include "conflate/strtab.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/*
 * Large arrays (pairs, keys, records, tables) are touched once each page: with 4 KiB pages
 * the page faults cost more than the work on a virtual machine. Ask for transparent huge
 * pages on the 2 MiB-aligned interior of every large block (advice only: ignored where
 * the kernel does not offer them).
 */
#define HUGE_MIN ((size_t)2 << 20)
static void advise_huge(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
    if (!p || n < HUGE_MIN)
        return;
    uintptr_t a = ((uintptr_t)p + ((uintptr_t)2 << 20) - 1) & ~(((uintptr_t)2 << 20) - 1);
    uintptr_t e = ((uintptr_t)p + n) & ~(((uintptr_t)2 << 20) - 1);
    if (e > a)
        (void)madvise((void *)a, e - a, MADV_HUGEPAGE);
#else
    (void)p;
    (void)n;
#endif
}

void *conflate_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "iom conflate: out of memory (%zu bytes)\n", n);
        abort();
    }
    advise_huge(p, n);
    return p;
}

void *conflate_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) {
        fprintf(stderr, "iom conflate: out of memory (%zu x %zu bytes)\n", n, size);
        abort();
    }
    advise_huge(p, n * size);
    return p;
}

void *conflate_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(stderr, "iom conflate: out of memory (%zu bytes)\n", n);
        abort();
    }
    advise_huge(q, n);
    return q;
}

/* A 64-bit multiply-xorshift hash over 8-byte words: fast and well mixed for short keys. */
uint64_t conflate_hash(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = 0x9E3779B97F4A7C15ull ^ (n * 0xFF51AFD7ED558CCDull);
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xC4CEB9FE1A85EC53ull;
        h ^= h >> 29;
        s += 8;
        n -= 8;
    }
    uint64_t w = 0;
    for (size_t i = 0; i < n; i++)
        w |= (uint64_t)s[i] << (8 * i);
    h = (h ^ w) * 0xC4CEB9FE1A85EC53ull;
    h ^= h >> 32;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 29;
    return h;
}

void conflate_strtab_init(conflate_strtab *t)
{
    memset(t, 0, sizeof *t);
}

void conflate_strtab_free(conflate_strtab *t)
{
    free(t->chars);
    free(t->off);
    free(t->len);
    free(t->hash);
    free(t->slots);
    memset(t, 0, sizeof *t);
}

static inline uint64_t slot_of(uint64_t h, uint32_t id)
{
    return (h >> 32) << 32 | id;
}

static void rehash(conflate_strtab *t, uint32_t nslots)
{
    free(t->slots);
    t->slots = conflate_xcalloc(nslots, sizeof *t->slots);
    t->nslots = nslots;
    for (uint32_t id = 1; id <= t->n; id++) {
        uint32_t i = (uint32_t)t->hash[id] & (nslots - 1);
        while (t->slots[i])
            i = (i + 1) & (nslots - 1);
        t->slots[i] = slot_of(t->hash[id], id);
    }
}

static uint32_t probe(const conflate_strtab *t, const char *s, size_t n, uint64_t h, uint32_t *slot)
{
    uint32_t mask = t->nslots - 1;
    uint32_t i = (uint32_t)h & mask;
    uint64_t tag = h >> 32;
    for (;;) {
        uint64_t sl = t->slots[i];
        if (!sl) {
            *slot = i;
            return 0;
        }
        uint32_t id = (uint32_t)sl;
        /* the slot's tag is the hash's top half; the text decides (the whole hash, in
           another array, would be one more cache miss a look-up) */
        if ((sl >> 32) == tag && t->len[id] == n && memcmp(t->chars + t->off[id], s, n) == 0) {
            *slot = i;
            return id;
        }
        i = (i + 1) & mask;
    }
}

uint32_t conflate_strtab_find(const conflate_strtab *t, const char *s, size_t n)
{
    if (!t->nslots)
        return 0;
    uint32_t slot;
    return probe(t, s, n, conflate_hash(s, n), &slot);
}

uint32_t conflate_strtab_intern(conflate_strtab *t, const char *s, size_t n, int *added)
{
    return conflate_strtab_intern_h(t, s, n, conflate_hash(s, n), added);
}

void conflate_strtab_prefetch(const conflate_strtab *t, uint64_t h)
{
    if (t->nslots)
        __builtin_prefetch(&t->slots[(uint32_t)h & (t->nslots - 1)]);
}

uint32_t conflate_strtab_intern_h(conflate_strtab *t, const char *s, size_t n, uint64_t h,
                                  int *added)
{
    if (added)
        *added = 0;
    if (!t->nslots)
        rehash(t, 64);
    uint32_t slot;
    uint32_t id = probe(t, s, n, h, &slot);
    if (id)
        return id;
    if (t->n + 2 >= t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->off = conflate_xrealloc(t->off, (size_t)t->cap * sizeof *t->off);
        t->len = conflate_xrealloc(t->len, (size_t)t->cap * sizeof *t->len);
        t->hash = conflate_xrealloc(t->hash, (size_t)t->cap * sizeof *t->hash);
    }
    if (t->nchars + n + 1 > t->capchars) {
        size_t c = t->capchars ? t->capchars * 2 : 4096;
        while (c < t->nchars + n + 1)
            c *= 2;
        t->chars = conflate_xrealloc(t->chars, c);
        t->capchars = c;
    }
    id = ++t->n;
    t->off[id] = t->nchars;
    t->len[id] = (uint32_t)n;
    t->hash[id] = h;
    memcpy(t->chars + t->nchars, s, n);
    t->chars[t->nchars + n] = 0;
    t->nchars += n + 1;
    t->slots[slot] = slot_of(h, id);
    if (added)
        *added = 1;
    if ((uint64_t)t->n * 2 > (uint64_t)t->nslots)
        rehash(t, t->nslots * 2);
    return id;
}
