/* Network statistics: size, components, density, diameter of the largest component. */
#include <stdlib.h>
#include <string.h>

#include "graph/graph_int.h"

iom_err graph_components(const graph_net *g, const uint8_t *removed, uint32_t *comp,
                         uint32_t **sizes, size_t *ncomp, iom_error *e)
{
    const graph_view *u = &g->und;
    uint32_t n = g->n;
    uint32_t *queue = malloc((n ? n : 1) * sizeof *queue);
    size_t cap = 64, nc = 0;
    uint32_t *sz = malloc(cap * sizeof *sz);
    if (!queue || !sz) {
        free(queue);
        free(sz);
        return iom_fail(e, IOM_ENOMEM, "graph: out of memory (components)");
    }
    for (uint32_t v = 0; v < n; v++)
        comp[v] = GRAPH_NONE;
    for (uint32_t s = 0; s < n; s++) {
        if (comp[s] != GRAPH_NONE || (removed && removed[s]))
            continue;
        if (nc == cap) {
            uint32_t *bigger = realloc(sz, 2 * cap * sizeof *sz);
            if (!bigger) {
                free(queue);
                free(sz);
                return iom_fail(e, IOM_ENOMEM, "graph: out of memory (components)");
            }
            sz = bigger;
            cap *= 2;
        }
        uint32_t head = 0, tail = 0, c = (uint32_t)nc;
        queue[tail++] = s;
        comp[s] = c;
        while (head < tail) {
            uint32_t x = queue[head++];
            for (uint64_t j = u->off[x]; j < u->off[x + 1]; j++) {
                uint32_t y = u->adj[j];
                if (comp[y] == GRAPH_NONE && !(removed && removed[y])) {
                    comp[y] = c;
                    queue[tail++] = y;
                }
            }
        }
        sz[nc++] = tail;
    }
    free(queue);
    *sizes = sz;
    *ncomp = nc;
    return IOM_OK;
}

iom_err graph_stats_get(const graph_net *g, size_t max_diameter_nodes, int threads,
                        graph_stats *out, iom_error *e)
{
    graph_stats st;
    memset(&st, 0, sizeof st);
    uint32_t n = g->n;
    st.nodes = n;
    st.edges = g->und.ne;
    st.links = g->links_kept;
    st.arcs = g->directed ? g->arc.ne : 0;
    double pairs = (double)n * (n > 0 ? n - 1 : 0);
    if (n >= 2)
        st.density = g->directed ? (double)st.arcs / pairs : (double)st.edges / (pairs / 2);
    st.mean_degree = n ? 2.0 * (double)st.edges / n : 0;
    for (uint32_t v = 0; v < n; v++)
        st.isolated += g->und.off[v + 1] == g->und.off[v];
    st.diameter = -1;
    uint32_t *comp = malloc((n ? n : 1) * sizeof *comp), *sizes = NULL;
    if (!comp)
        return iom_fail(e, IOM_ENOMEM, "graph: out of memory (components)");
    size_t nc = 0;
    iom_err rc = graph_components(g, NULL, comp, &sizes, &nc, e);
    if (rc) {
        free(comp);
        return rc;
    }
    st.components = nc;
    uint32_t big = 0;
    for (size_t c = 0; c < nc; c++)
        if (sizes[c] > sizes[big])
            big = (uint32_t)c;
    st.largest = nc ? sizes[big] : 0;
    size_t limit = max_diameter_nodes ? max_diameter_nodes : GRAPH_DIAMETER_MAX_NODES;
    if (nc && st.largest <= limit) {
        /* Every node of the largest component is a source; the largest distance seen is
           the diameter (hops on the undirected view). */
        uint32_t *src = malloc(st.largest * sizeof *src);
        if (!src)
            rc = iom_fail(e, IOM_ENOMEM, "graph: out of memory (diameter)");
        size_t k = 0;
        for (uint32_t v = 0; src && v < n; v++)
            if (comp[v] == big)
                src[k++] = v;
        graph_sweep_out so = {0};
        if (rc == IOM_OK)
            rc = graph_sweep(g, &g->und, false, src, k, threads, &so, e);
        if (rc == IOM_OK)
            st.diameter = (int64_t)so.max_dist;
        free(src);
    }
    free(comp);
    free(sizes);
    if (rc == IOM_OK)
        *out = st;
    return rc;
}
