/*
 * Louvain (Blondel, Guillaume, Lambiotte & Lefebvre 2008): local moving of nodes between
 * communities while modularity grows, then the communities become the nodes of the next
 * level, until a level changes nothing.
 *
 * Our own code rather than igraph_community_multilevel: on a million nodes igraph's version
 * (0.10.2, Debian 12) spends most of its time in igraph_incident, which it calls for every
 * node on every pass (about 30 s against 3 s here, docs/performance.md). Same objective,
 * same modularity; test_graph_karate checks it reaches networkx's best.
 *
 * Modularity with resolution g on a symmetric weight matrix A (A_ii holds twice the weight
 * inside an aggregated node): Q = 1/2m sum_ij [A_ij - g k_i k_j / 2m] d(c_i, c_j). Moving
 * node i into community c gains, up to a positive factor, w_ic - g tot_c k_i / 2m, where w_ic
 * is i's weight to c and tot_c the degree total of c without i.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph/graph_int.h"

#define LV_BLOCK 32
#define LV_BLOCK_FROM 65536 /* nodes in a level */

typedef struct lv_graph {
    uint32_t n;
    uint64_t *off;
    uint32_t *adj;
    double *w;
    double *loop;  /* A_ii */
    double *k;     /* weighted degree, loop included */
} lv_graph;

static void lv_free(lv_graph *h)
{
    free(h->off);
    free(h->adj);
    free(h->w);
    free(h->loop);
    free(h->k);
    memset(h, 0, sizeof *h);
}

static bool lv_alloc(lv_graph *h, uint32_t n, uint64_t nnz)
{
    h->n = n;
    h->off = calloc((size_t)n + 1, sizeof *h->off);
    h->adj = malloc((nnz ? nnz : 1) * sizeof *h->adj);
    h->w = malloc((nnz ? nnz : 1) * sizeof *h->w);
    h->loop = calloc(n ? n : 1, sizeof *h->loop);
    h->k = calloc(n ? n : 1, sizeof *h->k);
    return h->off && h->adj && h->w && h->loop && h->k;
}

/* Level 0: the undirected view, in locality numbering when there is one. */
static bool lv_from_net(const graph_net *g, lv_graph *h)
{
    const graph_view *u = &g->und;
    uint32_t n = g->n;
    if (!lv_alloc(h, n, u->off[n]))
        return false;
    for (uint32_t r = 0; r < n; r++)
        h->off[graph_fast(g, r) + 1] = u->off[r + 1] - u->off[r];
    for (uint32_t x = 0; x < n; x++)
        h->off[x + 1] += h->off[x];
    for (uint32_t r = 0; r < n; r++) {
        uint32_t x = graph_fast(g, r);
        uint64_t p = h->off[x];
        double k = 0;
        for (uint64_t j = u->off[r]; j < u->off[r + 1]; j++, p++) {
            h->adj[p] = graph_fast(g, u->adj[j]);
            h->w[p] = u->ew[u->eid[j]];
            k += h->w[p];
        }
        h->k[x] = k;
    }
    return true;
}

/* One level of local moving. comm[i] in, out; returns whether anything moved. */
static bool lv_move(const lv_graph *h, double gamma, uint32_t *comm, double *tot, double *wc,
                    uint32_t *touched, const uint32_t *visit)
{
    double m2 = 0;
    for (uint32_t i = 0; i < h->n; i++)
        m2 += h->k[i];
    if (m2 <= 0)
        return false;
    for (uint32_t i = 0; i < h->n; i++) {
        comm[i] = i;
        tot[i] = h->k[i];
    }
    bool any = false;
    for (int pass = 0; pass < 1000; pass++) {
        double gained = 0;
        size_t moved = 0;
        for (uint32_t t = 0; t < h->n; t++) {
            uint32_t i = visit ? visit[t] : t, ci = comm[i], nt = 0;
            double ki = h->k[i];
            for (uint64_t j = h->off[i]; j < h->off[i + 1]; j++) {
                uint32_t c = comm[h->adj[j]];
                if (h->adj[j] == i)
                    continue;
                if (wc[c] == 0)
                    touched[nt++] = c;
                wc[c] += h->w[j];
            }
            tot[ci] -= ki;
            double f = gamma * ki / m2;
            uint32_t best = ci;
            double bestgain = wc[ci] - f * tot[ci];
            for (uint32_t q = 0; q < nt; q++) {
                uint32_t c = touched[q];
                double gain = wc[c] - f * tot[c];
                if (gain > bestgain + 1e-12 * (fabs(bestgain) + 1e-300)) {
                    bestgain = gain;
                    best = c;
                }
            }
            if (best != ci) {
                gained += bestgain - (wc[ci] - f * tot[ci]);
                moved++;
                comm[i] = best;
            }
            tot[best] += ki;
            for (uint32_t q = 0; q < nt; q++)
                wc[touched[q]] = 0;
            wc[ci] = 0;
        }
        if (moved)
            any = true;
        /* a pass that gains less than 1e-7 of modularity ends the level (Blondel et al.) */
        if (!moved || 2 * gained / m2 < 1e-7)
            break;
    }
    return any;
}

/* Numbers communities 0..C-1 in order of first appearance; returns C. */
static uint32_t lv_renumber(uint32_t *comm, uint32_t n, uint32_t *map)
{
    memset(map, 0xff, (size_t)n * sizeof *map);
    uint32_t c = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (map[comm[i]] == UINT32_MAX)
            map[comm[i]] = c++;
        comm[i] = map[comm[i]];
    }
    return c;
}

/* The graph of communities: nodes grouped by community, weights summed (dense accumulator). */
static bool lv_aggregate(const lv_graph *h, const uint32_t *comm, uint32_t nc, lv_graph *out,
                         double *wc, uint32_t *touched)
{
    uint32_t *start = calloc((size_t)nc + 1, sizeof *start), *members = malloc((h->n ? h->n : 1) * sizeof *members);
    uint64_t *roff = calloc((size_t)nc + 1, sizeof *roff);
    if (!start || !members || !roff) {
        free(start);
        free(members);
        free(roff);
        return false;
    }
    for (uint32_t i = 0; i < h->n; i++)
        start[comm[i] + 1]++;
    for (uint32_t c = 0; c < nc; c++)
        start[c + 1] += start[c];
    for (uint32_t i = 0; i < h->n; i++)
        members[start[comm[i]]++] = i;
    for (uint32_t c = nc; c > 0; c--)
        start[c] = start[c - 1];
    start[0] = 0;
    /* first pass: row sizes; second: fill */
    uint64_t nnz = 0;
    for (int fill = 0; fill < 2; fill++) {
        if (fill) {
            if (!lv_alloc(out, nc, nnz))
                break;
            memcpy(out->off, roff, ((size_t)nc + 1) * sizeof *roff);
        }
        uint64_t p = 0;
        for (uint32_t c = 0; c < nc; c++) {
            uint32_t nt = 0;
            double loop = 0, k = 0;
            for (uint32_t m = start[c]; m < start[c + 1]; m++) {
                uint32_t i = members[m];
                loop += h->loop[i];
                k += h->k[i];
                for (uint64_t j = h->off[i]; j < h->off[i + 1]; j++) {
                    uint32_t d = comm[h->adj[j]];
                    if (d == c) {
                        loop += h->w[j];
                        continue;
                    }
                    if (wc[d] == 0)
                        touched[nt++] = d;
                    wc[d] += h->w[j];
                }
            }
            for (uint32_t q = 0; q < nt; q++) {
                if (fill) {
                    out->adj[p] = touched[q];
                    out->w[p] = wc[touched[q]];
                }
                p++;
                wc[touched[q]] = 0;
            }
            if (fill) {
                out->loop[c] = loop;
                out->k[c] = k;
            } else {
                roff[c + 1] = p;
            }
        }
        nnz = p;
    }
    bool ok = out->off != NULL;
    free(start);
    free(members);
    free(roff);
    return ok;
}

/* Louvain on the network: memb[row] (0..count-1, any numbering). */
iom_err graph_louvain(const graph_net *g, double gamma, uint64_t seed, uint32_t *memb,
                      iom_error *e)
{
    uint32_t n = g->n;
    lv_graph h = {0}, next = {0};
    uint32_t *comm = malloc((n ? n : 1) * sizeof *comm), *top = malloc((n ? n : 1) * sizeof *top);
    uint32_t *touched = malloc((n ? n : 1) * sizeof *touched), *map = malloc((n ? n : 1) * sizeof *map);
    uint32_t *visit = malloc((n ? n : 1) * sizeof *visit);
    double *tot = malloc((n ? n : 1) * sizeof *tot), *wc = calloc(n ? n : 1, sizeof *wc);
    bool ok = comm && top && touched && map && visit && tot && wc && lv_from_net(g, &h);
    /* top[x]: the community of level-0 node x (locality numbering) */
    for (uint32_t x = 0; ok && x < n; x++)
        top[x] = x;
    while (ok && h.n > 0) {
        /* Visiting order: a seeded shuffle (the seed is the only randomness). On big levels
           blocks of LV_BLOCK consecutive nodes are shuffled instead of single nodes: whole
           blocks keep neighbours' data in cache (the locality numbering), which a shuffle of
           single nodes costs a quarter more time on a million nodes. */
        uint32_t bs = h.n >= LV_BLOCK_FROM ? LV_BLOCK : 1;
        uint32_t nb = (h.n + bs - 1) / bs, pos = 0;
        uint64_t st = seed ^ (0x5851f42d4c957f2dull * (h.n + 1));
        for (uint32_t b = 0; b < nb; b++)
            map[b] = b;
        for (uint32_t b = nb; b > 1; b--) {
            uint32_t j = (uint32_t)(graph_rand(&st) % b), t = map[b - 1];
            map[b - 1] = map[j];
            map[j] = t;
        }
        for (uint32_t b = 0; b < nb; b++)
            for (uint32_t i = map[b] * bs; i < h.n && i < (map[b] + 1) * bs; i++)
                visit[pos++] = i;
        if (!lv_move(&h, gamma, comm, tot, wc, touched, visit))
            break;
        uint32_t nc = lv_renumber(comm, h.n, map);
        for (uint32_t x = 0; x < n; x++)
            top[x] = comm[top[x]];
        if (nc == h.n)
            break;
        ok = lv_aggregate(&h, comm, nc, &next, wc, touched);
        lv_free(&h);
        h = next;
        memset(&next, 0, sizeof next);
    }
    for (uint32_t r = 0; ok && r < n; r++)
        memb[r] = top[graph_fast(g, r)];
    lv_free(&h);
    lv_free(&next);
    free(comm);
    free(top);
    free(touched);
    free(map);
    free(visit);
    free(tot);
    free(wc);
    return ok ? IOM_OK : iom_fail(e, IOM_ENOMEM, "graph: out of memory (Louvain)");
}
