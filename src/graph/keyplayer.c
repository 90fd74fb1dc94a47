/*
 * Key players, KPP-Neg (Borgatti, "Identifying sets of key players in a social network",
 * Computational & Mathematical Organization Theory 12, 2006): the set of k nodes whose
 * removal leaves the fewest connected pairs (highest fragmentation F), or the smallest
 * largest component.
 *
 * One evaluation gives, for every node v still present, what removing v as well would leave:
 * a depth-first search with low-links finds the pieces v's component splits into (each DFS
 * child c with low[c] >= disc[v] becomes a piece of size sub[c]; the rest of the component
 * stays together), so all n candidates cost one O(n + m) pass instead of n passes.
 */
#include <stdlib.h>
#include <string.h>

#include "graph/graph_int.h"

typedef struct kp_scratch {
    uint32_t n;
    uint32_t *disc, *low, *parent, *sub, *comp, *stack, *maxpiece;
    uint64_t *it, *pieces, *piecepairs;
    uint32_t *compsize;
    size_t ncomp;
} kp_scratch;

typedef struct kp_value {
    uint64_t pairs;   /* connected unordered pairs left */
    uint64_t largest; /* largest component left */
} kp_value;

static uint64_t pairs_of(uint64_t s) { return s * (s ? s - 1 : 0) / 2; }

static bool better(graph_kp_objective obj, kp_value a, kp_value b)
{
    if (obj == GRAPH_KP_LARGEST && a.largest != b.largest)
        return a.largest < b.largest;
    if (a.pairs != b.pairs)
        return a.pairs < b.pairs;
    return obj == GRAPH_KP_FRAGMENTATION && a.largest < b.largest;
}

static void kp_free(kp_scratch *s)
{
    free(s->disc);
    free(s->low);
    free(s->parent);
    free(s->sub);
    free(s->comp);
    free(s->stack);
    free(s->maxpiece);
    free(s->it);
    free(s->pieces);
    free(s->piecepairs);
    free(s->compsize);
}

static bool kp_init(kp_scratch *s, uint32_t n)
{
    size_t k = n ? n : 1;
    memset(s, 0, sizeof *s);
    s->n = n;
    s->disc = malloc(k * sizeof *s->disc);
    s->low = malloc(k * sizeof *s->low);
    s->parent = malloc(k * sizeof *s->parent);
    s->sub = malloc(k * sizeof *s->sub);
    s->comp = malloc(k * sizeof *s->comp);
    s->stack = malloc(k * sizeof *s->stack);
    s->maxpiece = malloc(k * sizeof *s->maxpiece);
    s->it = malloc(k * sizeof *s->it);
    s->pieces = malloc(k * sizeof *s->pieces);
    s->piecepairs = malloc(k * sizeof *s->piecepairs);
    s->compsize = malloc(k * sizeof *s->compsize);
    return s->disc && s->low && s->parent && s->sub && s->comp && s->stack && s->maxpiece &&
           s->it && s->pieces && s->piecepairs && s->compsize;
}

/* One DFS over the network without the removed nodes. */
static void kp_dfs(kp_scratch *s, const graph_view *u, const uint8_t *removed)
{
    uint32_t n = s->n, time = 0;
    memset(s->disc, 0, n * sizeof *s->disc);
    memset(s->pieces, 0, n * sizeof *s->pieces);
    memset(s->piecepairs, 0, n * sizeof *s->piecepairs);
    memset(s->maxpiece, 0, n * sizeof *s->maxpiece);
    s->ncomp = 0;
    for (uint32_t r = 0; r < n; r++) {
        if (s->disc[r] || removed[r])
            continue;
        uint32_t c = (uint32_t)s->ncomp++, top = 0, size = 0;
        s->stack[top++] = r;
        s->disc[r] = s->low[r] = ++time;
        s->parent[r] = GRAPH_NONE;
        s->sub[r] = 1;
        s->it[r] = u->off[r];
        s->comp[r] = c;
        size++;
        while (top) {
            uint32_t x = s->stack[top - 1];
            if (s->it[x] < u->off[x + 1]) {
                uint32_t y = u->adj[s->it[x]++];
                if (removed[y])
                    continue;
                if (!s->disc[y]) {
                    s->disc[y] = s->low[y] = ++time;
                    s->parent[y] = x;
                    s->sub[y] = 1;
                    s->it[y] = u->off[y];
                    s->comp[y] = c;
                    s->stack[top++] = y;
                    size++;
                } else if (y != s->parent[x] && s->disc[y] < s->low[x]) {
                    s->low[x] = s->disc[y];
                }
                continue;
            }
            top--; /* x is finished: report it to its parent */
            uint32_t p = s->parent[x];
            if (p == GRAPH_NONE)
                continue;
            s->sub[p] += s->sub[x];
            if (s->low[x] < s->low[p])
                s->low[p] = s->low[x];
            if (s->low[x] >= s->disc[p]) { /* removing p cuts x's subtree off */
                s->pieces[p] += s->sub[x];
                s->piecepairs[p] += pairs_of(s->sub[x]);
                if (s->sub[x] > s->maxpiece[p])
                    s->maxpiece[p] = s->sub[x];
            }
        }
        s->compsize[c] = size;
    }
}

static kp_value current(const kp_scratch *s)
{
    kp_value v = {0, 0};
    for (size_t c = 0; c < s->ncomp; c++) {
        v.pairs += pairs_of(s->compsize[c]);
        if (s->compsize[c] > v.largest)
            v.largest = s->compsize[c];
    }
    return v;
}

/* The best node to remove next (GRAPH_NONE when none is left) and what it leaves. */
static uint32_t kp_best(kp_scratch *s, const graph_view *u, const uint8_t *removed,
                        graph_kp_objective obj, kp_value *bestv)
{
    kp_dfs(s, u, removed);
    kp_value now = current(s);
    uint64_t first = 0, second = 0; /* the two largest components (first's index kept) */
    size_t firstc = 0;
    for (size_t c = 0; c < s->ncomp; c++) {
        if (s->compsize[c] > first) {
            second = first;
            first = s->compsize[c];
            firstc = c;
        } else if (s->compsize[c] > second) {
            second = s->compsize[c];
        }
    }
    uint32_t best = GRAPH_NONE;
    for (uint32_t v = 0; v < s->n; v++) {
        if (removed[v])
            continue;
        uint64_t csize = s->compsize[s->comp[v]];
        uint64_t rest = csize - 1 - s->pieces[v];
        kp_value k;
        k.pairs = now.pairs - pairs_of(csize) + s->piecepairs[v] + pairs_of(rest);
        uint64_t other = s->comp[v] == firstc ? second : first;
        k.largest = other;
        if (s->maxpiece[v] > k.largest)
            k.largest = s->maxpiece[v];
        if (rest > k.largest)
            k.largest = rest;
        if (best == GRAPH_NONE || better(obj, k, *bestv)) {
            best = v;
            *bestv = k;
        }
    }
    return best;
}

static double fragmentation(uint64_t pairs, uint64_t nodes)
{
    if (nodes < 2)
        return 1.0;
    return 1.0 - (double)pairs / ((double)nodes * (double)(nodes - 1) / 2.0);
}

iom_err graph_keyplayers_get(const graph_net *g, const graph_keyplayer_opts *o,
                             iom_arena *a, graph_keyplayers *out, iom_error *e)
{
    uint32_t n = g->n;
    if (!o || o->k < 1 || o->k >= n)
        return iom_fail(e, IOM_EINVAL, "graph key players: k: %zu is not in 1..%u (nodes - 1)",
                        o ? o->k : 0, n ? n - 1 : 0);
    if (o->objective != GRAPH_KP_FRAGMENTATION && o->objective != GRAPH_KP_LARGEST)
        return iom_fail(e, IOM_EINVAL, "graph key players: objective: %d is unknown", (int)o->objective);
    int rounds = o->swap_rounds == 0 ? 4 : o->swap_rounds < 0 ? 0 : o->swap_rounds;
    kp_scratch s;
    uint8_t *removed = calloc(n, 1);
    if (!kp_init(&s, n) || !removed) {
        kp_free(&s);
        free(removed);
        return iom_fail(e, IOM_ENOMEM, "graph: out of memory (key players)");
    }
    const graph_view *u = &g->und;
    graph_keyplayers r;
    memset(&r, 0, sizeof r);
    r.k = o->k;
    r.node = iom_arena_new(a, uint32_t, o->k);
    uint32_t *chosen = malloc(o->k * sizeof *chosen);
    kp_dfs(&s, u, removed);
    kp_value before = current(&s);
    r.pairs_before = before.pairs;
    r.largest_before = before.largest;
    r.components_before = s.ncomp;
    r.fragmentation_before = fragmentation(before.pairs, n);
    kp_value cur = before;
    for (size_t i = 0; chosen && i < o->k; i++) {
        chosen[i] = kp_best(&s, u, removed, o->objective, &cur);
        removed[chosen[i]] = 1;
    }
    /* Borgatti's swaps: put one chosen node back and take the best replacement while that
       improves the objective. */
    for (int round = 0; chosen && round < rounds; round++) {
        bool improved = false;
        for (size_t i = 0; i < o->k; i++) {
            removed[chosen[i]] = 0;
            kp_value v;
            uint32_t alt = kp_best(&s, u, removed, o->objective, &v);
            if (alt != chosen[i] && better(o->objective, v, cur)) {
                chosen[i] = alt;
                cur = v;
                r.swaps++;
                improved = true;
            }
            removed[chosen[i]] = 1;
        }
        if (!improved)
            break;
    }
    if (chosen) {
        kp_dfs(&s, u, removed);
        kp_value after = current(&s);
        r.pairs = after.pairs;
        r.largest = after.largest;
        r.components = s.ncomp;
        r.fragmentation = fragmentation(after.pairs, n - o->k);
        for (size_t i = 0; i < o->k; i++)
            r.node[i] = g->node_id[chosen[i]];
    }
    kp_free(&s);
    free(removed);
    if (!chosen)
        return iom_fail(e, IOM_ENOMEM, "graph: out of memory (key players)");
    free(chosen);
    *out = r;
    return IOM_OK;
}
