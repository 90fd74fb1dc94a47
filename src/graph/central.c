/* Centralities: degree, betweenness and closeness (sweep.c), PageRank (pagerank.c),
 * eigenvector (igraph). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph/graph_int.h"

/* Network rows of the sources, duplicates dropped, in the order given. OUT: *rows (malloc). */
static iom_err source_rows(const graph_net *g, const uint32_t *ids, size_t n, uint32_t **rows,
                           size_t *count, iom_error *e)
{
    uint8_t *seen = calloc(g->n ? g->n : 1, 1);
    uint32_t *r = malloc((n ? n : 1) * sizeof *r);
    if (!seen || !r) {
        free(seen);
        free(r);
        return iom_fail(e, IOM_ENOMEM, "graph: out of memory (sources)");
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t row;
        iom_err rc = graph_row(g, ids[i], "source", &row, e);
        if (rc) {
            free(seen);
            free(r);
            return rc;
        }
        if (!seen[row]) {
            seen[row] = 1;
            r[k++] = row;
        }
    }
    free(seen);
    *rows = r;
    *count = k;
    return IOM_OK;
}

iom_err graph_shortest_sweep(const graph_net *g, const uint32_t *ids, size_t nids, int threads,
                             double *bc, double *close, bool *estimated, iom_error *e)
{
    uint32_t *rows = NULL;
    size_t k = 0;
    iom_err rc;
    if (ids) {
        rc = source_rows(g, ids, nids, &rows, &k, e);
    } else {
        rows = malloc((g->n ? g->n : 1) * sizeof *rows);
        if (!rows)
            return iom_fail(e, IOM_ENOMEM, "graph: out of memory (sources)");
        for (uint32_t v = 0; v < g->n; v++)
            rows[v] = v;
        k = g->n;
        rc = IOM_OK;
    }
    if (rc)
        return rc;
    *estimated = ids && k < g->n;
    uint32_t n32 = g->n ? g->n : 1;
    graph_sweep_out so = {0};
    /* In locality numbering the sweep fills its own arrays, mapped back to rows below. */
    if (g->fast_of) {
        for (size_t i = 0; i < k; i++)
            rows[i] = g->fast_of[rows[i]];
        if (bc && !(so.betweenness = calloc(n32, sizeof *so.betweenness)))
            rc = IOM_ENOMEM;
    } else {
        so.betweenness = bc;
    }
    if (close && rc == IOM_OK) {
        so.close_sum = calloc(n32, sizeof *so.close_sum);
        so.close_reach = calloc(n32, sizeof *so.close_reach);
        if (!so.close_sum || !so.close_reach)
            rc = IOM_ENOMEM;
    }
    if (rc == IOM_ENOMEM)
        rc = iom_fail(e, IOM_ENOMEM, "graph: out of memory (betweenness / closeness)");
    if (rc == IOM_OK)
        rc = graph_sweep(g, graph_sweep_view(g), g->weighted, rows, k, threads, &so, e);
    free(rows);
    double n = g->n, scale = k ? n / (double)k : 0;
    if (rc == IOM_OK && bc) {
        /* Sum of dependencies over ordered pairs (s, t): an undirected pair counts twice, so
           one division by (n-1)(n-2) is networkx's normalisation in both cases. */
        double norm = n > 2 ? scale / ((n - 1) * (n - 2)) : 0;
        for (uint32_t v = 0; v < g->n; v++)
            bc[v] = so.betweenness[graph_fast(g, v)] * norm;
    }
    if (rc == IOM_OK && close) {
        for (uint32_t v = 0; v < g->n; v++) {
            uint32_t f = graph_fast(g, v);
            double reach = so.close_reach[f] * scale, sum = so.close_sum[f];
            if (reach > n - 1)
                reach = n - 1;
            close[v] = sum > 0 && n > 1 ? (reach / (n - 1)) * (so.close_reach[f] / sum) : 0;
        }
    }
    if (so.betweenness != bc)
        free(so.betweenness);
    free(so.close_sum);
    free(so.close_reach);
    return rc;
}

static void degrees(const graph_net *g, graph_central *c, iom_arena *a)
{
    uint32_t n = g->n;
    c->degree = iom_arena_new(a, uint32_t, n ? n : 1);
    c->in_degree = iom_arena_new(a, uint32_t, n ? n : 1);
    c->out_degree = iom_arena_new(a, uint32_t, n ? n : 1);
    c->strength = iom_arena_new(a, double, n ? n : 1);
    c->degree_c = iom_arena_new(a, double, n ? n : 1);
    const graph_view *u = &g->und;
    for (uint32_t v = 0; v < n; v++) {
        c->degree[v] = (uint32_t)(u->off[v + 1] - u->off[v]);
        double s = 0;
        for (uint64_t j = u->off[v]; j < u->off[v + 1]; j++)
            s += u->ew[u->eid[j]];
        c->strength[v] = s;
        c->degree_c[v] = n > 1 ? c->degree[v] / (double)(n - 1) : 0;
    }
    if (!g->directed) {
        memcpy(c->in_degree, c->degree, n * sizeof *c->degree);
        memcpy(c->out_degree, c->degree, n * sizeof *c->degree);
        return;
    }
    for (size_t j = 0; j < g->arc.ne; j++) {
        c->out_degree[g->arc.eu[j]]++;
        c->in_degree[g->arc.ev[j]]++;
    }
}

static iom_err eigenvector(const graph_net *g, double *out, iom_error *e)
{
    if (g->n == 0)
        return IOM_OK;
    igraph_vector_t vec;
    igraph_real_t value;
    iom_err rc = IOM_OK;
    graph_ig_lock();
    /* ARPACK starts from a random vector: seeded at every call, the same picture gives the same
       figures however many analyses ran before (review 45: five calls, five answers, on a
       disconnected picture whose eigenvector is not unique) */
    igraph_error_t ir = igraph_rng_seed(igraph_rng_default(), 1);
    if (ir == IGRAPH_SUCCESS)
        ir = igraph_vector_init(&vec, 0);
    if (ir == IGRAPH_SUCCESS) {
        const igraph_vector_t *w = g->weighted ? &g->igw : NULL;
        igraph_arpack_options_t ao;
        igraph_arpack_options_init(&ao);
        ir = igraph_eigenvector_centrality(&g->ig, &vec, &value, g->directed, 1, w, &ao);
        if (ir == IGRAPH_SUCCESS)
            for (uint32_t v = 0; v < g->n; v++)
                out[v] = VECTOR(vec)[graph_fast(g, v)];
        igraph_vector_destroy(&vec);
    }
    if (ir != IGRAPH_SUCCESS)
        rc = graph_ig_fail(ir, "eigenvector centrality", e);
    graph_ig_unlock();
    return rc;
}

iom_err graph_central_get(const graph_net *g, const graph_central_opts *o, iom_arena *a,
                          graph_central *out, iom_error *e)
{
    graph_central_opts none = {0};
    if (!o)
        o = &none;
    unsigned want = o->measures ? o->measures : GRAPH_ALL_MEASURES;
    if (want & ~(unsigned)GRAPH_ALL_MEASURES)
        return iom_fail(e, IOM_EINVAL, "graph centrality: measures: unknown flags 0x%x", want);
    double damping = o->damping == 0 ? GRAPH_PAGERANK_DAMPING : o->damping;
    if (!(damping > 0 && damping < 1))
        return iom_fail(e, IOM_EINVAL, "graph centrality: damping: %g is not in (0, 1)", damping);
    if (!o->sources && o->n_sources)
        return iom_fail(e, IOM_EINVAL, "graph centrality: n_sources without sources");
    graph_central c;
    memset(&c, 0, sizeof c);
    uint32_t n = g->n;
    c.n = n;
    c.node = iom_arena_new(a, uint32_t, n ? n : 1);
    memcpy(c.node, g->node_id, n * sizeof *c.node);
    if (want & GRAPH_DEGREE)
        degrees(g, &c, a);
    iom_err rc = IOM_OK;
    if (want & (GRAPH_BETWEENNESS | GRAPH_CLOSENESS)) {
        if (want & GRAPH_BETWEENNESS)
            c.betweenness = iom_arena_new(a, double, n ? n : 1);
        if (want & GRAPH_CLOSENESS)
            c.closeness = iom_arena_new(a, double, n ? n : 1);
        rc = graph_shortest_sweep(g, o->sources, o->n_sources, o->threads, c.betweenness,
                                  c.closeness, &c.estimated, e);
    }
    if (rc == IOM_OK && (want & GRAPH_EIGENVECTOR)) {
        c.eigenvector = iom_arena_new(a, double, n ? n : 1);
        rc = eigenvector(g, c.eigenvector, e);
    }
    if (rc == IOM_OK && (want & GRAPH_PAGERANK)) {
        c.pagerank = iom_arena_new(a, double, n ? n : 1);
        rc = graph_pagerank(g, damping, o->threads, c.pagerank, e);
    }
    if (rc == IOM_OK)
        *out = c;
    return rc;
}

void graph_sample_sources(const graph_net *g, size_t k, uint64_t seed, iom_arena *a,
                          uint32_t **out, size_t *count)
{
    uint32_t n = g->n;
    if (k > n)
        k = n;
    uint8_t *in = iom_arena_new(a, uint8_t, n ? n : 1);
    uint64_t st = seed;
    /* Floyd's algorithm: k distinct draws, each step one random number. */
    for (uint64_t j = n - k; j < n; j++) {
        uint64_t t = graph_rand(&st) % (j + 1);
        if (in[t])
            in[j] = 1;
        else
            in[t] = 1;
    }
    uint32_t *r = iom_arena_new(a, uint32_t, k ? k : 1);
    size_t m = 0;
    for (uint32_t v = 0; v < n; v++)
        if (in[v])
            r[m++] = g->node_id[v];
    *out = r;
    *count = m;
}
