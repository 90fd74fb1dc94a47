/* Communities (igraph's Leiden, our Louvain), modularity, and brokers between communities. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph/graph_int.h"

/* Leiden's randomness (beta) as in igraph's own front ends and the Leiden paper. */
#define LEIDEN_BETA 0.01

/* Under the lock: igraph's Leiden with the modularity objective, one seed; memb[row]. */
static igraph_error_t leiden_once(const graph_net *g, const igraph_t *ig,
                                  const igraph_vector_t *w, double res, uint64_t seed,
                                  igraph_vector_int_t *memb, uint32_t *out)
{
    igraph_error_t ir = igraph_rng_seed(igraph_rng_default(), (igraph_uint_t)seed);
    if (ir != IGRAPH_SUCCESS)
        return ir;
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
        ir = igraph_community_leiden(ig, w, &nw, res / (2 * total), LEIDEN_BETA, 0, -1, memb,
                                     &nb, &quality);
    igraph_vector_destroy(&nw);
    for (uint32_t v = 0; ir == IGRAPH_SUCCESS && v < g->n; v++)
        out[v] = (uint32_t)VECTOR(*memb)[graph_fast(g, v)];
    return ir;
}

static iom_err leiden(const graph_net *g, double res, uint64_t seed, uint32_t *out,
                      iom_error *e)
{
    graph_ig_lock();
    const igraph_t *ig;
    const igraph_vector_t *w;
    iom_err rc = graph_ig_undirected((graph_net *)g, &ig, &w, e);
    if (rc == IOM_OK) {
        igraph_vector_int_t memb;
        igraph_error_t ir = igraph_vector_int_init(&memb, 0);
        if (ir == IGRAPH_SUCCESS) {
            ir = leiden_once(g, ig, w, res, seed, &memb, out);
            igraph_vector_int_destroy(&memb);
        }
        if (ir != IGRAPH_SUCCESS)
            rc = graph_ig_fail(ir, "Leiden", e);
    }
    graph_ig_unlock();
    return rc;
}

/* Newman's modularity of memb (labels < n) on the undirected view: the sum over communities
 * of in_c / 2m - g (tot_c / 2m)^2. */
static double modularity_rows(const graph_net *g, const uint32_t *memb, double gamma,
                              double *in, double *tot)
{
    const graph_view *u = &g->und;
    memset(in, 0, g->n * sizeof *in);
    memset(tot, 0, g->n * sizeof *tot);
    double m2 = 0;
    for (size_t j = 0; j < u->ne; j++) {
        double w = u->ew[j];
        uint32_t a = memb[u->eu[j]], b = memb[u->ev[j]];
        tot[a] += w;
        tot[b] += w;
        if (a == b)
            in[a] += 2 * w;
        m2 += 2 * w;
    }
    double q = 0;
    for (uint32_t c = 0; c < g->n; c++)
        q += in[c] / m2 - gamma * (tot[c] / m2) * (tot[c] / m2);
    return q;
}

/* Labels numbered by size (largest first), ties by the first row (= smallest input index). */
static bool relabel(const graph_net *g, const uint32_t *memb, iom_arena *a, graph_communities *c)
{
    uint32_t n = g->n;
    uint32_t *cnt = calloc(n ? n : 1, sizeof *cnt), *first = malloc((n ? n : 1) * sizeof *first);
    graph_kv *kv = malloc((n ? n : 1) * sizeof *kv), *tmp = malloc((n ? n : 1) * sizeof *tmp);
    bool ok = cnt && first && kv && tmp;
    for (uint32_t v = 0; ok && v < n; v++)
        if (cnt[memb[v]]++ == 0)
            first[memb[v]] = v;
    uint32_t k = 0;
    for (uint32_t v = 0; ok && v < n; v++) /* key: (n - size, first row) */
        if (first[memb[v]] == v)
            kv[k++] = (graph_kv){(uint64_t)(n - cnt[memb[v]]) * n + v, memb[v]};
    ok = ok && graph_radix_sort(kv, tmp, k, (uint64_t)n * n);
    if (ok) {
        c->count = k;
        c->size = iom_arena_new(a, uint32_t, k ? k : 1);
        for (uint32_t i = 0; i < k; i++) {
            c->size[i] = cnt[kv[i].val];
            first[kv[i].val] = i; /* reuse: old label -> new */
        }
        for (uint32_t v = 0; v < n; v++)
            c->community[v] = first[memb[v]];
    }
    free(cnt);
    free(first);
    free(kv);
    free(tmp);
    return ok;
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
    size_t k = n ? n : 1;
    uint32_t *best = malloc(k * sizeof *best), *cur = malloc(k * sizeof *cur);
    double *in = malloc(k * sizeof *in), *tot = malloc(k * sizeof *tot);
    iom_err rc = best && cur && in && tot ? IOM_OK
                                          : iom_fail(e, IOM_ENOMEM, "graph: out of memory (communities)");
    double bestq = -INFINITY;
    for (int r = 0; rc == IOM_OK && r < restarts; r++) {
        uint64_t seed = o->seed + (uint64_t)r;
        rc = o->method == GRAPH_LOUVAIN ? graph_louvain(g, res, seed, cur, e)
                                        : leiden(g, res, seed, cur, e);
        double q = rc == IOM_OK ? modularity_rows(g, cur, res, in, tot) : 0;
        if (rc == IOM_OK && q > bestq) {
            bestq = q;
            uint32_t *t = best;
            best = cur;
            cur = t;
        }
    }
    if (rc == IOM_OK) {
        c.modularity = bestq;
        if (!relabel(g, best, a, &c))
            rc = iom_fail(e, IOM_ENOMEM, "graph: out of memory (communities)");
    }
    free(best);
    free(cur);
    free(in);
    free(tot);
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
                VECTOR(memb)[graph_fast(g, v)] = membership[v];
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
