/*
 * The locality order: a renumbering of big networks so that nodes which link to each other
 * mostly sit close together in memory. A breadth-first search touches every neighbour of
 * every node it reaches; in input order (or any order unrelated to the links) each touch is
 * a cache miss, and on a million nodes the sweeps behind betweenness run at memory latency.
 *
 * Groups come from a few rounds of label propagation (Raghavan, Albert & Kumara 2007: each
 * node takes the label most frequent among its neighbours, ties broken pseudo-randomly but
 * deterministically), which finds tightly knit groups in near-linear time; the nodes are then
 * numbered group by group, in input order within a group.
 */
#include <stdlib.h>
#include <string.h>

#include "graph/graph_int.h"

#define LPA_ROUNDS 5

static uint32_t mix(uint32_t x, uint32_t round)
{
    uint64_t z = ((uint64_t)x << 8 | round) * 0x9e3779b97f4a7c15ull;
    return (uint32_t)(z >> 32);
}

static iom_err fast_view(graph_net *g, iom_error *e)
{
    const graph_view *w = graph_walk(g);
    uint32_t n = g->n;
    size_t ne = w->off[n];
    graph_kv *kv = malloc((ne ? ne : 1) * sizeof *kv), *tmp = malloc((ne ? ne : 1) * sizeof *tmp);
    graph_view *f = &g->fast;
    f->off = calloc((size_t)n + 1, sizeof *f->off);
    f->adj = malloc((ne ? ne : 1) * sizeof *f->adj);
    f->eid = malloc((ne ? ne : 1) * sizeof *f->eid);
    if (!kv || !tmp || !f->off || !f->adj || !f->eid) {
        free(kv);
        free(tmp);
        return iom_fail(e, IOM_ENOMEM, "graph: out of memory (locality order)");
    }
    size_t k = 0;
    for (uint32_t x = 0; x < n; x++) {
        uint64_t fx = g->fast_of[x];
        for (uint64_t j = w->off[x]; j < w->off[x + 1]; j++)
            kv[k++] = (graph_kv){fx * n + g->fast_of[w->adj[j]], w->eid[j]};
    }
    bool ok = graph_radix_sort(kv, tmp, ne, n ? (uint64_t)n * n - 1 : 0);
    free(tmp);
    if (!ok) {
        free(kv);
        return iom_fail(e, IOM_ENOMEM, "graph: out of memory (locality order)");
    }
    for (size_t j = 0; j < ne; j++) {
        f->off[kv[j].key / n + 1]++;
        f->adj[j] = (uint32_t)(kv[j].key % n);
        f->eid[j] = kv[j].val;
    }
    for (uint32_t x = 0; x < n; x++)
        f->off[x + 1] += f->off[x];
    f->ew = w->ew; /* borrowed: edge numbers are the walk view's (graph_free unhooks it) */
    free(kv);
    return IOM_OK;
}

iom_err graph_order_locality(graph_net *g, iom_error *e)
{
    uint32_t n = g->n;
    const graph_view *u = &g->und;
    uint32_t *label = malloc((n ? n : 1) * sizeof *label);
    uint32_t *count = calloc(n ? n : 1, sizeof *count);
    uint32_t *touched = malloc((n ? n : 1) * sizeof *touched);
    g->fast_of = malloc((n ? n : 1) * sizeof *g->fast_of);
    g->row_of = malloc((n ? n : 1) * sizeof *g->row_of);
    if (!label || !count || !touched || !g->fast_of || !g->row_of) {
        free(label);
        free(count);
        free(touched);
        return iom_fail(e, IOM_ENOMEM, "graph: out of memory (locality order)");
    }
    for (uint32_t v = 0; v < n; v++)
        label[v] = v;
    for (uint32_t round = 0; round < LPA_ROUNDS; round++) {
        size_t changed = 0;
        for (uint32_t v = 0; v < n; v++) {
            uint32_t nt = 0;
            for (uint64_t j = u->off[v]; j < u->off[v + 1]; j++) {
                uint32_t l = label[u->adj[j]];
                if (count[l]++ == 0)
                    touched[nt++] = l;
            }
            if (!nt)
                continue;
            uint32_t best = label[v], bc = 0, bh = 0;
            for (uint32_t i = 0; i < nt; i++) {
                uint32_t l = touched[i], c = count[l], h = mix(l, round);
                if (c > bc || (c == bc && h > bh)) {
                    best = l;
                    bc = c;
                    bh = h;
                }
                count[l] = 0;
            }
            if (best != label[v]) {
                label[v] = best;
                changed++;
            }
        }
        if (changed < n / 1000 + 1)
            break;
    }
    /* number the nodes group by group (counting sort by label, stable) */
    memset(count, 0, n * sizeof *count);
    for (uint32_t v = 0; v < n; v++)
        count[label[v]]++;
    uint32_t sum = 0;
    for (uint32_t l = 0; l < n; l++) {
        uint32_t c = count[l];
        count[l] = sum;
        sum += c;
    }
    for (uint32_t v = 0; v < n; v++) {
        uint32_t p = count[label[v]]++;
        g->fast_of[v] = p;
        g->row_of[p] = v;
    }
    free(label);
    free(count);
    free(touched);
    return fast_view(g, e);
}
