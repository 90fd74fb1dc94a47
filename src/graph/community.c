/* Communities (igraph's Leiden and Louvain), modularity, and brokers between communities. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph/graph_int.h"

/* Leiden's randomness (beta) as in igraph's own front ends and the Leiden paper. */
#define LEIDEN_BETA 0.01

/* Under the lock: one run with the given seed; membership and modularity. */
static igraph_error_t run_once(const igraph_t *ig, const igraph_vector_t *w,
                               graph_community_method method, double res, uint64_t seed,
                               igraph_vector_int_t *memb, double *q)
{
    igraph_error_t ir = igraph_rng_seed(igraph_rng_default(), (igraph_uint_t)seed);
    if (ir != IGRAPH_SUCCESS)
        return ir;
    switch (method) {
    case GRAPH_LOUVAIN:
        ir = igraph_community_multilevel(ig, w, res, memb, NULL, NULL);
        break;
    case GRAPH_LEIDEN: {
        /* Modularity as Leiden's quality: node weights = strengths, resolution / 2m. */
        igraph_vector_t nw;
        ir = igraph_vector_init(&nw, 0);
        if (ir != IGRAPH_SUCCESS)
            return ir;
        ir = igraph_strength(ig, &nw, igraph_vss_all(), IGRAPH_ALL, IGRAPH_LOOPS, w);
        double total = w ? igraph_vector_sum(w) : (double)igraph_ecount(ig);
        igraph_integer_t nb = 0;
        igraph_real_t quality = 0;
        if (ir == IGRAPH_SUCCESS)
            ir = igraph_community_leiden(ig, w, &nw, res / (2 * total), LEIDEN_BETA, 0, -1,
                                         memb, &nb, &quality);
        igraph_vector_destroy(&nw);
        break;
    }
    }
    if (ir == IGRAPH_SUCCESS)
        ir = igraph_modularity(ig, memb, w, res, 0, q);
    return ir;
}

/* Labels numbered by size (largest first), ties by the first row (= smallest input index). */
static bool relabel(const igraph_vector_int_t *memb, uint32_t n, iom_arena *a,
                    graph_communities *c)
{
    uint32_t *cnt = calloc(n ? n : 1, sizeof *cnt), *first = malloc((n ? n : 1) * sizeof *first);
    uint32_t *lab = malloc((n ? n : 1) * sizeof *lab);
    if (!cnt || !first || !lab) {
        free(cnt);
        free(first);
        free(lab);
        return false;
    }
    uint32_t nl = 0;
    for (uint32_t v = 0; v < n; v++) {
        uint32_t l = (uint32_t)VECTOR(*memb)[v];
        if (cnt[l]++ == 0)
            first[l] = v;
        if (l + 1 > nl)
            nl = l + 1;
    }
    /* order labels: size desc, first asc (a counting sort would do; labels are few) */
    uint32_t k = 0;
    for (uint32_t l = 0; l < nl; l++)
        if (cnt[l])
            lab[k++] = l;
    for (uint32_t i = 1; i < k; i++) { /* insertion sort keyed by (size desc, first asc) */
        uint32_t x = lab[i], j = i;
        while (j > 0 && (cnt[lab[j - 1]] < cnt[x] ||
                         (cnt[lab[j - 1]] == cnt[x] && first[lab[j - 1]] > first[x]))) {
            lab[j] = lab[j - 1];
            j--;
        }
        lab[j] = x;
    }
    c->count = k;
    c->size = iom_arena_new(a, uint32_t, k ? k : 1);
    for (uint32_t i = 0; i < k; i++) {
        c->size[i] = cnt[lab[i]];
        first[lab[i]] = i; /* reuse: old label -> new */
    }
    for (uint32_t v = 0; v < n; v++)
        c->community[v] = first[VECTOR(*memb)[v]];
    free(cnt);
    free(first);
    free(lab);
    return true;
}

iom_err graph_communities_get(const graph_net *g, const graph_community_opts *o,
                              iom_arena *a, graph_communities *out, iom_error *e)
{
    graph_community_opts none = {0};
    if (!o)
        o = &none;
    if (o->method != GRAPH_LEIDEN && o->method != GRAPH_LOUVAIN)
        return iom_fail(e, IOM_EINVAL, "graph communities: method: %d is unknown", (int)o->method);
    double res = o->resolution == 0 ? 1.0 : o->resolution;
    if (!(res > 0) || !isfinite(res))
        return iom_fail(e, IOM_EINVAL, "graph communities: resolution: %g is not > 0", res);
    int restarts = o->restarts > 0 ? o->restarts : 1;
    graph_communities c;
    memset(&c, 0, sizeof c);
    uint32_t n = g->n;
    c.n = n;
    c.node = iom_arena_new(a, uint32_t, n ? n : 1);
    memcpy(c.node, g->node_id, n * sizeof *c.node);
    c.community = iom_arena_new(a, uint32_t, n ? n : 1);
    if (g->und.ne == 0) { /* no edges: every node alone; modularity is taken as 0 */
        c.count = n;
        c.size = iom_arena_new(a, uint32_t, n ? n : 1);
        for (uint32_t v = 0; v < n; v++) {
            c.community[v] = v;
            c.size[v] = 1;
        }
        *out = c;
        return IOM_OK;
    }
    igraph_vector_int_t memb, best;
    bool have_best = false, vecs = false;
    double bestq = -INFINITY;
    const igraph_t *ig;
    const igraph_vector_t *w;
    igraph_error_t ir = IGRAPH_SUCCESS;
    graph_ig_lock();
    iom_err rc = graph_ig_undirected((graph_net *)g, &ig, &w, e);
    if (rc == IOM_OK) {
        ir = igraph_vector_int_init(&memb, 0);
        if (ir == IGRAPH_SUCCESS && (ir = igraph_vector_int_init(&best, 0)) != IGRAPH_SUCCESS)
            igraph_vector_int_destroy(&memb);
        vecs = ir == IGRAPH_SUCCESS;
    }
    for (int r = 0; vecs && ir == IGRAPH_SUCCESS && r < restarts; r++) {
        double q = 0;
        ir = run_once(ig, w, o->method, res, o->seed + (uint64_t)r, &memb, &q);
        if (ir == IGRAPH_SUCCESS && q > bestq) {
            bestq = q;
            ir = igraph_vector_int_update(&best, &memb);
            have_best = true;
        }
    }
    if (rc == IOM_OK && ir != IGRAPH_SUCCESS)
        rc = graph_ig_fail(ir, o->method == GRAPH_LEIDEN ? "Leiden" : "Louvain", e);
    if (rc == IOM_OK && have_best) {
        c.modularity = bestq;
        if (!relabel(&best, n, a, &c))
            rc = iom_fail(e, IOM_ENOMEM, "graph: out of memory (communities)");
    }
    if (vecs) {
        igraph_vector_int_destroy(&memb);
        igraph_vector_int_destroy(&best);
    }
    graph_ig_unlock();
    if (rc == IOM_OK)
        *out = c;
    return rc;
}

iom_err graph_modularity(const graph_net *g, const uint32_t *membership, double resolution,
                         double *out, iom_error *e)
{
    double res = resolution == 0 ? 1.0 : resolution;
    for (uint32_t v = 0; v < g->n; v++)
        if (membership[v] >= g->n)
            return iom_fail(e, IOM_EINVAL, "graph modularity: membership[%u]: %u is not < %u", v,
                            membership[v], g->n);
    if (g->und.ne == 0) {
        *out = 0;
        return IOM_OK;
    }
    graph_ig_lock();
    const igraph_t *ig;
    const igraph_vector_t *w;
    iom_err rc = graph_ig_undirected((graph_net *)g, &ig, &w, e);
    igraph_vector_int_t memb;
    if (rc == IOM_OK) {
        igraph_error_t ir = igraph_vector_int_init(&memb, g->n);
        if (ir == IGRAPH_SUCCESS) {
            for (uint32_t v = 0; v < g->n; v++)
                VECTOR(memb)[v] = membership[v];
            ir = igraph_modularity(ig, &memb, w, res, 0, out);
            igraph_vector_int_destroy(&memb);
        }
        if (ir != IGRAPH_SUCCESS)
            rc = graph_ig_fail(ir, "modularity", e);
    }
    graph_ig_unlock();
    return rc;
}

/* ---- brokers ---- */

static int broker_cmp(const void *pa, const void *pb)
{
    const graph_broker *a = pa, *b = pb;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    if (a->betweenness != b->betweenness)
        return a->betweenness > b->betweenness ? -1 : 1;
    return a->node < b->node ? -1 : a->node > b->node;
}

iom_err graph_brokers_get(const graph_net *g, const graph_broker_opts *o, iom_arena *a,
                          graph_brokers *out, iom_error *e)
{
    graph_broker_opts none = {0};
    if (!o)
        o = &none;
    uint32_t n = g->n;
    graph_communities own;
    const graph_communities *c = o->communities;
    iom_err rc = IOM_OK;
    if (!c) {
        graph_community_opts co = {.method = GRAPH_LEIDEN, .seed = 1};
        rc = graph_communities_get(g, &co, a, &own, e);
        if (rc)
            return rc;
        c = &own;
    } else if (c->n != n) {
        return iom_fail(e, IOM_EINVAL, "graph brokers: communities: %zu rows for %u nodes", c->n, n);
    }
    for (uint32_t v = 0; v < n; v++)
        if (c->node[v] != g->node_id[v] || c->community[v] >= (c->count ? c->count : 1))
            return iom_fail(e, IOM_EINVAL, "graph brokers: communities: row %u is not of this network", v);
    double *bc = calloc(n ? n : 1, sizeof *bc), *acc = calloc(c->count ? c->count : 1, sizeof *acc);
    uint32_t *touched = malloc((c->count ? c->count : 1) * sizeof *touched);
    if (!bc || !acc || !touched) {
        free(bc);
        free(acc);
        free(touched);
        return iom_fail(e, IOM_ENOMEM, "graph: out of memory (brokers)");
    }
    bool est;
    rc = graph_shortest_sweep(g, o->sources, o->n_sources, o->threads, bc, NULL, &est, e);
    graph_broker *items = iom_arena_new(a, graph_broker, n ? n : 1);
    size_t k = 0;
    const graph_view *u = &g->und;
    for (uint32_t v = 0; rc == IOM_OK && v < n; v++) {
        double total = 0;
        uint32_t nt = 0;
        for (uint64_t j = u->off[v]; j < u->off[v + 1]; j++) {
            uint32_t cc = c->community[u->adj[j]];
            double w = u->ew[u->eid[j]];
            if (acc[cc] == 0)
                touched[nt++] = cc;
            acc[cc] += w;
            total += w;
        }
        double sum2 = 0;
        bool own_seen = false;
        for (uint32_t i = 0; i < nt; i++) {
            double f = acc[touched[i]] / total;
            sum2 += f * f;
            own_seen |= touched[i] == c->community[v];
            acc[touched[i]] = 0;
        }
        double p = total > 0 ? 1.0 - sum2 : 0;
        if (p < 1e-15) /* 1 - 1 in floating point */
            p = 0;
        double score = p * bc[v];
        if (score > 0)
            items[k++] = (graph_broker){g->node_id[v], c->community[v], nt + !own_seen, p, bc[v], score};
    }
    free(bc);
    free(acc);
    free(touched);
    if (rc)
        return rc;
    qsort(items, k, sizeof *items, broker_cmp);
    out->count = o->top && o->top < k ? o->top : k;
    out->items = items;
    return IOM_OK;
}
