/* eval.c: see eval.h. */
#include "conflate/eval.h"

#include <stdlib.h>

#include "conflate/strtab.h"

typedef struct tc {
    uint64_t a, b;
} tc;

static int cmp_ab(const void *x, const void *y)
{
    const tc *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return (p->b > q->b) - (p->b < q->b);
}

/* Sum over groups of equal .a (and, when both, equal .b) of C(size, 2); v must be sorted. */
static uint64_t pairs_of(const tc *v, size_t n, int both)
{
    uint64_t s = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && v[j].a == v[i].a && (!both || v[j].b == v[i].b))
            j++;
        uint64_t k = j - i;
        s += k * (k - 1) / 2;
        i = j;
    }
    return s;
}

conflate_eval conflate_eval_pairwise(const uint64_t *truth, const uint64_t *cluster, size_t n)
{
    conflate_eval r = {0, 0, 0, 1.0, 1.0, 0.0};
    tc *v = conflate_xmalloc((n + 1) * sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = (tc){cluster[i], truth[i]};
    qsort(v, n, sizeof *v, cmp_ab);
    r.predicted_pairs = pairs_of(v, n, 0);
    r.correct_pairs = pairs_of(v, n, 1);
    for (size_t i = 0; i < n; i++)
        v[i] = (tc){truth[i], 0};
    qsort(v, n, sizeof *v, cmp_ab);
    r.true_pairs = pairs_of(v, n, 0);
    free(v);
    if (r.predicted_pairs)
        r.precision = (double)r.correct_pairs / (double)r.predicted_pairs;
    if (r.true_pairs)
        r.recall = (double)r.correct_pairs / (double)r.true_pairs;
    r.f1 = r.precision + r.recall > 0 ? 2 * r.precision * r.recall / (r.precision + r.recall) : 0;
    return r;
}
