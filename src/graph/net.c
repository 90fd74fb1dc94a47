/* Building the filtered network: validation, the filter, merged edges, adjacency, igraph. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph/graph_int.h"
#include "util/dynlib.h"

#define NOMEM(e, what) iom_fail((e), IOM_ENOMEM, "graph: out of memory (%s)", (what))

static bool has_period(const graph_filter *f)
{
    return !(f->from == 0 && f->to == 0) &&
           !(f->from == GRAPH_TIME_NONE && f->to == GRAPH_TIME_NONE);
}

/* Does [start, end] (either open) overlap the filter's period? */
static bool in_period(const graph_filter *f, int64_t start, int64_t end)
{
    if (!has_period(f))
        return true;
    if (start == GRAPH_TIME_NONE && end == GRAPH_TIME_NONE)
        return !f->drop_undated;
    if (f->from != GRAPH_TIME_NONE && end != GRAPH_TIME_NONE && end < f->from)
        return false;
    if (f->to != GRAPH_TIME_NONE && start != GRAPH_TIME_NONE && start > f->to)
        return false;
    return true;
}

static bool in_set(const uint32_t *set, size_t n, uint32_t x)
{
    if (!set)
        return true;
    for (size_t i = 0; i < n; i++)
        if (set[i] == x)
            return true;
    return false;
}

static iom_err check_input(const graph_node *nodes, size_t n, const graph_link *links, size_t m,
                           const graph_filter *f, iom_error *e)
{
    if (n > GRAPH_MAX_NODES)
        return iom_fail(e, IOM_ETOOBIG, "graph: %zu nodes (at most %u)", n, GRAPH_MAX_NODES);
    if (m > GRAPH_MAX_LINKS)
        return iom_fail(e, IOM_ETOOBIG, "graph: %zu links (at most %u)", m, GRAPH_MAX_LINKS);
    if (m && !links)
        return iom_fail(e, IOM_EINVAL, "graph: %zu links but no link array", m);
    if (!f->node_types && f->n_node_types)
        return iom_fail(e, IOM_EINVAL, "graph filter: n_node_types without node_types");
    if (!f->link_types && f->n_link_types)
        return iom_fail(e, IOM_EINVAL, "graph filter: n_link_types without link_types");
    if (has_period(f) && f->from != GRAPH_TIME_NONE && f->to != GRAPH_TIME_NONE && f->to < f->from)
        return iom_fail(e, IOM_EINVAL, "graph filter: period ends (%lld) before it starts (%lld)",
                        (long long)f->to, (long long)f->from);
    for (size_t i = 0; nodes && i < n; i++)
        if (nodes[i].start != GRAPH_TIME_NONE && nodes[i].end != GRAPH_TIME_NONE &&
            nodes[i].end < nodes[i].start)
            return iom_fail(e, IOM_EINVAL, "graph: node %zu: period ends before it starts", i);
    for (size_t i = 0; i < m; i++) {
        const graph_link *l = &links[i];
        if (l->from >= n)
            return iom_fail(e, IOM_EINVAL, "graph: link %zu: from: %u is not a node (n = %zu)", i,
                            l->from, n);
        if (l->to >= n)
            return iom_fail(e, IOM_EINVAL, "graph: link %zu: to: %u is not a node (n = %zu)", i,
                            l->to, n);
        if (!isfinite(l->weight) || l->weight < 0)
            return iom_fail(e, IOM_EINVAL, "graph: link %zu: weight: %g is not a finite weight >= 0",
                            i, l->weight);
        if (l->start != GRAPH_TIME_NONE && l->end != GRAPH_TIME_NONE && l->end < l->start)
            return iom_fail(e, IOM_EINVAL, "graph: link %zu: period ends before it starts", i);
    }
    return IOM_OK;
}

bool graph_radix_sort(graph_kv *a, graph_kv *tmp, size_t n, uint64_t max_key)
{
    int bits = 0;
    while (bits < 64 && (max_key >> bits))
        bits++;
    size_t *count = calloc(1u << 16, sizeof *count);
    if (!count)
        return false;
    graph_kv *src = a, *dst = tmp;
    for (int shift = 0; shift < bits; shift += 16) {
        memset(count, 0, (1u << 16) * sizeof *count);
        for (size_t i = 0; i < n; i++)
            count[(src[i].key >> shift) & 0xffff]++;
        size_t sum = 0;
        for (size_t d = 0; d < (1u << 16); d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[count[(src[i].key >> shift) & 0xffff]++] = src[i];
        graph_kv *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof *a);
    free(count);
    return true;
}

static void view_free(graph_view *v)
{
    free(v->eu);
    free(v->ev);
    free(v->ew);
    free(v->lo);
    free(v->links);
    free(v->off);
    free(v->adj);
    free(v->eid);
    memset(v, 0, sizeof *v);
}

/* Merges sorted (key = u * n + v, link) pairs into edges and builds the adjacency. */
static iom_err view_make(graph_view *v, const graph_kv *kv, size_t nkv, uint32_t n, bool both,
                         const graph_link *links, bool weighted, iom_error *e)
{
    size_t ne = 0;
    for (size_t i = 0; i < nkv; i++)
        if (i == 0 || kv[i].key != kv[i - 1].key)
            ne++;
    v->ne = ne;
    v->eu = malloc((ne ? ne : 1) * sizeof *v->eu);
    v->ev = malloc((ne ? ne : 1) * sizeof *v->ev);
    v->ew = malloc((ne ? ne : 1) * sizeof *v->ew);
    v->lo = malloc((ne + 1) * sizeof *v->lo);
    v->links = malloc((nkv ? nkv : 1) * sizeof *v->links);
    v->off = calloc((size_t)n + 1, sizeof *v->off);
    size_t nadj = both ? 2 * ne : ne;
    v->adj = malloc((nadj ? nadj : 1) * sizeof *v->adj);
    v->eid = malloc((nadj ? nadj : 1) * sizeof *v->eid);
    if (!v->eu || !v->ev || !v->ew || !v->lo || !v->links || !v->off || !v->adj || !v->eid)
        return NOMEM(e, "edges");
    size_t k = (size_t)-1;
    for (size_t i = 0; i < nkv; i++) {
        if (i == 0 || kv[i].key != kv[i - 1].key) {
            k++;
            v->eu[k] = (uint32_t)(kv[i].key / n);
            v->ev[k] = (uint32_t)(kv[i].key % n);
            v->ew[k] = 0;
            v->lo[k] = i;
        }
        v->links[i] = kv[i].val;
        double w = links[kv[i].val].weight;
        v->ew[k] = weighted ? v->ew[k] + (w > 0 ? w : 1.0) : 1.0;
    }
    v->lo[ne] = nkv;
    for (size_t j = 0; j < ne; j++) {
        v->off[v->eu[j] + 1]++;
        if (both)
            v->off[v->ev[j] + 1]++;
    }
    for (uint32_t x = 0; x < n; x++)
        v->off[x + 1] += v->off[x];
    uint64_t *pos = malloc(((size_t)n + 1) * sizeof *pos);
    if (!pos)
        return NOMEM(e, "adjacency");
    memcpy(pos, v->off, ((size_t)n + 1) * sizeof *pos);
    /* Edges are sorted by (eu, ev): every list comes out sorted by neighbour (for x, the
       edges (a, x) with a < x come before the edges (x, b)). */
    for (size_t j = 0; j < ne; j++) {
        uint32_t a = v->eu[j], b = v->ev[j];
        v->adj[pos[a]] = b;
        v->eid[pos[a]++] = (uint32_t)j;
        if (both) {
            v->adj[pos[b]] = a;
            v->eid[pos[b]++] = (uint32_t)j;
        }
    }
    free(pos);
    return IOM_OK;
}

static iom_err make_igraph(graph_net *g, igraph_t *ig, igraph_vector_t *w, const graph_view *v,
                           bool directed, iom_error *e)
{
    iom_err rc = iom_lib_need(IOM_LIB_IGRAPH, e);
    if (rc)
        return rc;
    igraph_vector_int_t ev;
    graph_ig_lock();
    igraph_error_t ir = igraph_vector_int_init(&ev, (igraph_integer_t)(2 * v->ne));
    if (ir == IGRAPH_SUCCESS) {
        for (size_t j = 0; j < v->ne; j++) {
            VECTOR(ev)[2 * j] = graph_fast(g, v->eu[j]);
            VECTOR(ev)[2 * j + 1] = graph_fast(g, v->ev[j]);
        }
        ir = igraph_create(ig, &ev, g->n, directed);
        igraph_vector_int_destroy(&ev);
    }
    if (ir != IGRAPH_SUCCESS) {
        rc = graph_ig_fail(ir, "building the network", e);
    } else if (g->weighted) {
        ir = igraph_vector_init(w, (igraph_integer_t)v->ne);
        if (ir != IGRAPH_SUCCESS) {
            igraph_destroy(ig);
            rc = graph_ig_fail(ir, "building the weights", e);
        } else {
            for (size_t j = 0; j < v->ne; j++)
                VECTOR(*w)[j] = v->ew[j];
        }
    }
    graph_ig_unlock();
    return rc;
}

iom_err graph_ig_undirected(graph_net *g, const igraph_t **ig, const igraph_vector_t **w,
                            iom_error *e)
{
    if (!g->directed) {
        *ig = &g->ig;
        *w = g->weighted ? &g->igw : NULL;
        return IOM_OK;
    }
    if (!g->ig_und_built) {
        /* We hold the lock already; make_igraph takes it itself, so build inline. */
        igraph_vector_int_t ev;
        igraph_error_t ir = igraph_vector_int_init(&ev, (igraph_integer_t)(2 * g->und.ne));
        if (ir != IGRAPH_SUCCESS)
            return graph_ig_fail(ir, "building the undirected network", e);
        for (size_t j = 0; j < g->und.ne; j++) {
            VECTOR(ev)[2 * j] = graph_fast(g, g->und.eu[j]);
            VECTOR(ev)[2 * j + 1] = graph_fast(g, g->und.ev[j]);
        }
        ir = igraph_create(&g->ig_und, &ev, g->n, IGRAPH_UNDIRECTED);
        igraph_vector_int_destroy(&ev);
        if (ir != IGRAPH_SUCCESS)
            return graph_ig_fail(ir, "building the undirected network", e);
        if (g->weighted) {
            ir = igraph_vector_init(&g->ig_und_w, (igraph_integer_t)g->und.ne);
            if (ir != IGRAPH_SUCCESS) {
                igraph_destroy(&g->ig_und);
                return graph_ig_fail(ir, "building the undirected weights", e);
            }
            for (size_t j = 0; j < g->und.ne; j++)
                VECTOR(g->ig_und_w)[j] = g->und.ew[j];
        }
        g->ig_und_built = true;
    }
    *ig = &g->ig_und;
    *w = g->weighted ? &g->ig_und_w : NULL;
    return IOM_OK;
}

/* Which nodes and links the filter keeps. */
static iom_err select_items(graph_net *g, const graph_node *nodes, const graph_link *links,
                            size_t m, const graph_filter *f, uint8_t *keep_link, iom_error *e)
{
    size_t n = g->n_input;
    uint8_t *keep = calloc(n ? n : 1, 1);
    if (!keep)
        return NOMEM(e, "filter");
    for (size_t i = 0; i < n; i++)
        keep[i] = !nodes || (in_set(f->node_types, f->n_node_types, nodes[i].type) &&
                             in_period(f, nodes[i].start, nodes[i].end));
    size_t kept = 0;
    for (size_t i = 0; i < m; i++) {
        const graph_link *l = &links[i];
        keep_link[i] = l->from != l->to && keep[l->from] && keep[l->to] &&
                       in_set(f->link_types, f->n_link_types, l->type) &&
                       l->grade >= f->min_grade && in_period(f, l->start, l->end);
        kept += keep_link[i];
    }
    g->links_kept = kept;
    if (f->drop_isolated) {
        for (size_t i = 0; i < n; i++)
            keep[i] = keep[i] ? 2 : 0; /* 2: kept but not yet seen on a link */
        for (size_t i = 0; i < m; i++)
            if (keep_link[i])
                keep[links[i].from] = keep[links[i].to] = 1;
        for (size_t i = 0; i < n; i++)
            if (keep[i] == 2)
                keep[i] = 0;
    }
    uint32_t rows = 0;
    for (size_t i = 0; i < n; i++)
        rows += keep[i] != 0;
    g->n = rows;
    g->node_id = malloc((rows ? rows : 1) * sizeof *g->node_id);
    g->node_of = malloc((n ? n : 1) * sizeof *g->node_of);
    if (!g->node_id || !g->node_of) {
        free(keep);
        return NOMEM(e, "nodes");
    }
    rows = 0;
    for (size_t i = 0; i < n; i++) {
        g->node_of[i] = keep[i] ? rows : GRAPH_NONE;
        if (keep[i])
            g->node_id[rows++] = (uint32_t)i;
    }
    free(keep);
    return IOM_OK;
}

/* Sorted (edge key, link) pairs for the undirected view (arcs = false) or the arcs. */
static iom_err link_keys(const graph_net *g, const graph_link *links, size_t m,
                         const uint8_t *keep_link, bool arcs, graph_kv **out, size_t *nout,
                         iom_error *e)
{
    size_t cnt = 0;
    for (size_t i = 0; i < m; i++)
        if (keep_link[i])
            cnt += arcs && !links[i].directed ? 2 : 1;
    graph_kv *kv = malloc((cnt ? cnt : 1) * sizeof *kv), *tmp = malloc((cnt ? cnt : 1) * sizeof *tmp);
    if (!kv || !tmp) {
        free(kv);
        free(tmp);
        return NOMEM(e, "sorting links");
    }
    uint64_t n = g->n;
    size_t k = 0;
    for (size_t i = 0; i < m; i++) {
        if (!keep_link[i])
            continue;
        uint64_t a = g->node_of[links[i].from], b = g->node_of[links[i].to];
        if (!arcs) {
            uint64_t lo = a < b ? a : b, hi = a < b ? b : a;
            kv[k++] = (graph_kv){lo * n + hi, (uint32_t)i};
        } else {
            kv[k++] = (graph_kv){a * n + b, (uint32_t)i};
            if (!links[i].directed)
                kv[k++] = (graph_kv){b * n + a, (uint32_t)i};
        }
    }
    bool sorted = graph_radix_sort(kv, tmp, cnt, n ? n * n - 1 : 0);
    free(tmp);
    if (!sorted) {
        free(kv);
        return NOMEM(e, "sorting links");
    }
    *out = kv;
    *nout = cnt;
    return IOM_OK;
}

iom_err graph_build(graph_net **out, const graph_node *nodes, size_t n, const graph_link *links,
                    size_t m, const graph_filter *filter, const graph_options *opts, iom_error *e)
{
    graph_filter nof = {0};
    graph_options noo = {0};
    const graph_filter *f = filter ? filter : &nof;
    const graph_options *o = opts ? opts : &noo;
    iom_err rc = check_input(nodes, n, links, m, f, e);
    if (rc)
        return rc;
    if (o->order != GRAPH_ORDER_AUTO && o->order != GRAPH_ORDER_INPUT &&
        o->order != GRAPH_ORDER_LOCALITY)
        return iom_fail(e, IOM_EINVAL, "graph options: order: %d is unknown", (int)o->order);
    graph_net *g = calloc(1, sizeof *g);
    uint8_t *keep_link = malloc(m ? m : 1);
    if (!g || !keep_link) {
        free(g);
        free(keep_link);
        return NOMEM(e, "network");
    }
    g->n_input = n;
    g->directed = o->directed;
    g->weighted = o->weighted;
    bool ig_made = false;
    rc = select_items(g, nodes, links, m, f, keep_link, e);
    for (int pass = 0; rc == IOM_OK && pass < (g->directed ? 2 : 1); pass++) {
        graph_kv *kv = NULL;
        size_t nkv = 0;
        rc = link_keys(g, links, m, keep_link, pass == 1, &kv, &nkv, e);
        if (rc == IOM_OK)
            rc = view_make(pass ? &g->arc : &g->und, kv, nkv, g->n, pass == 0, links, g->weighted, e);
        free(kv);
    }
    free(keep_link);
    if (rc == IOM_OK && (o->order == GRAPH_ORDER_LOCALITY ||
                         (o->order == GRAPH_ORDER_AUTO && g->n >= GRAPH_LOCALITY_MIN_NODES)))
        rc = graph_order_locality(g, e);
    if (rc == IOM_OK) {
        rc = make_igraph(g, &g->ig, &g->igw, graph_walk(g), g->directed, e);
        ig_made = rc == IOM_OK;
    }
    if (rc) {
        if (!ig_made) { /* graph_free would destroy an igraph that was never made */
            view_free(&g->und);
            view_free(&g->arc);
            g->fast.ew = NULL; /* borrowed from the walk view */
            view_free(&g->fast);
            free(g->fast_of);
            free(g->row_of);
            free(g->node_id);
            free(g->node_of);
            free(g);
            return rc;
        }
        graph_free(g);
        return rc;
    }
    *out = g;
    return IOM_OK;
}

void graph_free(graph_net *g)
{
    if (!g)
        return;
    graph_ig_lock();
    igraph_destroy(&g->ig);
    if (g->weighted)
        igraph_vector_destroy(&g->igw);
    if (g->ig_und_built) {
        igraph_destroy(&g->ig_und);
        if (g->weighted)
            igraph_vector_destroy(&g->ig_und_w);
    }
    graph_ig_unlock();
    g->fast.ew = NULL; /* borrowed from the walk view */
    view_free(&g->und);
    view_free(&g->arc);
    view_free(&g->fast);
    free(g->fast_of);
    free(g->row_of);
    free(g->node_id);
    free(g->node_of);
    free(g);
}

size_t graph_node_count(const graph_net *g) { return g->n; }
size_t graph_edge_count(const graph_net *g) { return g->und.ne; }
size_t graph_link_count(const graph_net *g) { return g->links_kept; }
uint32_t graph_node_id(const graph_net *g, size_t v) { return g->node_id[v]; }

bool graph_has_node(const graph_net *g, uint32_t id)
{
    return id < g->n_input && g->node_of[id] != GRAPH_NONE;
}

iom_err graph_row(const graph_net *g, uint32_t id, const char *what, uint32_t *row, iom_error *e)
{
    if (id >= g->n_input)
        return iom_fail(e, IOM_EINVAL, "graph: %s: %u is not a node (n = %zu)", what, id, g->n_input);
    if (g->node_of[id] == GRAPH_NONE)
        return iom_fail(e, IOM_EINVAL, "graph: %s: node %u is not in the filtered network", what, id);
    *row = g->node_of[id];
    return IOM_OK;
}
