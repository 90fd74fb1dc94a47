/*
 * radix.h: stable LSD radix sorts for the engine (internal to src/conflate/).
 *
 * A sort runs over `digits` (bit ranges of the key, each at most RADIX_BITS wide, lowest
 * first), so it passes only over the bits that can be set; a pass where every key has the
 * same digit is skipped. Each pass counts, then scatters, fixed parts of the array on up to
 * `threads` threads (conflate_par); the parts' counts are summed digit by digit in part order,
 * so the sort is stable and its result is the serial one whatever the threads (threads <= 1:
 * on the calling thread). Allocates a scratch copy of the array (aborts when memory is out,
 * as conflate_xmalloc).
 *
 * RADIX_SORT(name, type, key) defines
 *     static void name(type *a, size_t n, const radix_digits *dg, int threads)
 * sorting a[0..n) by the uint64_t key(element).
 */
#ifndef IOM_CONFLATE_RADIX_H
#define IOM_CONFLATE_RADIX_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conflate/engine_int.h"

enum { RADIX_BITS = 11, RADIX_NB = 1 << RADIX_BITS, RADIX_PARTS = 16 };

typedef struct radix_digits {
    int n, shift[8], width[8];
} radix_digits;

/* The digits covering bits [lo, lo + nbits) of a key, as few as RADIX_BITS allows, of equal
   widths (nbits <= 64 - lo). */
static inline radix_digits radix_digits_of(int lo, int nbits)
{
    radix_digits dg = {0, {0}, {0}};
    if (nbits <= 0)
        return dg;
    int nd = (nbits + RADIX_BITS - 1) / RADIX_BITS, w = (nbits + nd - 1) / nd;
    for (int i = 0, at = 0; i < nd; i++, at += w) {
        dg.shift[dg.n] = lo + at;
        dg.width[dg.n] = at + w <= nbits ? w : nbits - at;
        dg.n++;
    }
    return dg;
}

#define RADIX_SORT(NAME, T, KEY)                                                            \
    typedef struct NAME##_ctx {                                                                 \
        T *src, *dst;                                                                           \
        size_t n;                                                                               \
        int parts, shift, scatter;                                                              \
        uint64_t mask;                                                                          \
        size_t (*cnt)[RADIX_NB];                                                                   \
    } NAME##_ctx;                                                                               \
    static void NAME##_part(void *ctx, int tid, size_t b, size_t e)                            \
    {                                                                                           \
        NAME##_ctx *c = ctx;                                                                    \
        (void)tid;                                                                              \
        for (size_t q = b; q < e; q++) {                                                        \
            size_t lo = c->n * q / (size_t)c->parts, hi = c->n * (q + 1) / (size_t)c->parts;    \
            size_t *cnt = c->cnt[q];                                                            \
            if (!c->scatter) {                                                                  \
                memset(cnt, 0, RADIX_NB * sizeof *cnt);                                            \
                for (size_t i = lo; i < hi; i++)                                                \
                    cnt[(KEY(c->src[i]) >> c->shift) & c->mask]++;                              \
            } else {                                                                            \
                for (size_t i = lo; i < hi; i++)                                                \
                    c->dst[cnt[(KEY(c->src[i]) >> c->shift) & c->mask]++] = c->src[i];          \
            }                                                                                   \
        }                                                                                       \
    }                                                                                           \
    static void NAME(T *a, size_t n, const radix_digits *dg, int threads)                             \
    {                                                                                           \
        if (n < 2)                                                                              \
            return;                                                                             \
        int parts = threads < 2 || n < ((size_t)1 << 16) ? 1                                    \
                    : threads > RADIX_PARTS                 ? RADIX_PARTS                             \
                                                         : threads;                             \
        T *tmp = conflate_xmalloc(n * sizeof *tmp);                                             \
        NAME##_ctx c = {a, tmp, n, parts, 0, 0, 0, conflate_xmalloc((size_t)parts * sizeof *c.cnt)}; \
        for (int d = 0; d < dg->n; d++) {                                                       \
            c.shift = dg->shift[d];                                                             \
            c.mask = ((uint64_t)1 << dg->width[d]) - 1;                                         \
            c.scatter = 0;                                                                      \
            conflate_par(threads, (size_t)parts, 1, NAME##_part, &c);                           \
            size_t d0 = (size_t)((KEY(c.src[0]) >> c.shift) & c.mask), same = 0;                \
            for (int q = 0; q < parts; q++)                                                     \
                same += c.cnt[q][d0];                                                           \
            if (same == n)                                                                      \
                continue; /* every key has this digit */                                        \
            size_t pos = 0;                                                                     \
            for (size_t x = 0; x <= c.mask; x++)                                                \
                for (int q = 0; q < parts; q++) {                                               \
                    size_t k = c.cnt[q][x];                                                     \
                    c.cnt[q][x] = pos;                                                          \
                    pos += k;                                                                   \
                }                                                                               \
            c.scatter = 1;                                                                      \
            conflate_par(threads, (size_t)parts, 1, NAME##_part, &c);                           \
            T *t = c.src;                                                                       \
            c.src = c.dst;                                                                      \
            c.dst = t;                                                                          \
        }                                                                                       \
        if (c.src != a)                                                                         \
            memcpy(a, c.src, n * sizeof *a);                                                    \
        free(c.cnt);                                                                            \
        free(tmp);                                                                              \
    }

#endif
