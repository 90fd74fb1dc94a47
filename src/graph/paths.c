/* Shortest paths between two nodes, and k-step ego networks. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph/graph_int.h"

/* Is y the next node after x on a shortest path from the source (edge j of x's list)? */
static bool on_dag(const graph_sssp *s, const graph_view *v, bool weighted, uint32_t x,
                   uint64_t j)
{
    uint32_t y = v->adj[j];
    if (!weighted)
        return s->hops[y] == s->hops[x] + 1;
    return !isinf(s->dist[y]) && s->dist[y] > s->dist[x] &&
           graph_same_dist(s->dist[x] + 1.0 / v->ew[v->eid[j]], s->dist[y]);
}

typedef struct path_walk {
    const graph_net *g;
    const graph_view *v;
    const graph_sssp *s;
    bool weighted;
    const uint8_t *useful; /* node lies on a shortest path to the target */
    uint32_t target;
    size_t max, count, len;
    uint32_t *nodes;       /* current path, len + 1 entries */
    uint64_t *edges;       /* current path's adjacency entries */
    graph_path *paths;
    iom_arena *a;
} path_walk;

/* Depth-first over the shortest-path DAG in neighbour order: lexicographic paths. Iterative
 * (a path may be long), with the adjacency position of each level on `edges`. */
static void enumerate(path_walk *w, uint32_t from)
{
    size_t depth = 0;
    w->nodes[0] = from;
    w->edges[0] = w->v->off[from];
    while (w->count < w->max) {
        uint32_t x = w->nodes[depth];
        if (x == w->target) {
            graph_path *p = &w->paths[w->count++];
            p->len = depth;
            p->node = iom_arena_new(w->a, uint32_t, depth + 1);
            p->link = iom_arena_new(w->a, uint32_t, depth ? depth : 1);
            for (size_t i = 0; i <= depth; i++)
                p->node[i] = w->g->node_id[w->nodes[i]];
            for (size_t i = 0; i < depth; i++) {
                uint32_t eid = w->v->eid[w->edges[i] - 1];
                p->link[i] = w->v->links[w->v->lo[eid]];
            }
            if (depth == 0)
                return;
            depth--;
            continue;
        }
        uint64_t *j = &w->edges[depth];
        while (*j < w->v->off[x + 1] &&
               !(w->useful[w->v->adj[*j]] && on_dag(w->s, w->v, w->weighted, x, *j)))
            (*j)++;
        if (*j == w->v->off[x + 1]) {
            if (depth == 0)
                return;
            depth--;
            continue;
        }
        uint32_t y = w->v->adj[(*j)++];
        depth++;
        w->nodes[depth] = y;
        w->edges[depth] = w->v->off[y];
    }
}

iom_err graph_shortest_paths(const graph_net *g, uint32_t from, uint32_t to, size_t max_paths,
                             iom_arena *a, graph_paths *out, iom_error *e)
{
    uint32_t s0, t0;
    iom_err rc = graph_row(g, from, "from", &s0, e);
    if (rc == IOM_OK)
        rc = graph_row(g, to, "to", &t0, e);
    if (rc)
        return rc;
    size_t max = max_paths ? max_paths : GRAPH_MAX_PATHS_DEFAULT;
    graph_paths r = {.distance = INFINITY};
    const graph_view *v = graph_walk(g);
    graph_sssp s;
    rc = graph_sssp_init(&s, g, g->weighted, 0, e);
    if (rc)
        return rc;
    if (!graph_sssp_run(&s, v, g->weighted, s0)) {
        graph_sssp_reset(&s, g->weighted);
        graph_sssp_free(&s);
        return iom_fail(e, IOM_ENOMEM, "graph: out of memory (shortest paths)");
    }
    bool reached = g->weighted ? !isinf(s.dist[t0]) : s.hops[t0] >= 0;
    if (reached) {
        r.distance = g->weighted ? s.dist[t0] : s.hops[t0];
        r.total = s.sigma[t0];
        /* Nodes from which the target is reached along the DAG: from the farthest back. */
        uint8_t *useful = calloc(g->n ? g->n : 1, 1);
        size_t hops = 0;
        for (uint32_t i = 0; i < s.reached; i++) /* a path has at most `reached` nodes */
            hops = i;
        uint32_t *nodes = malloc((hops + 2) * sizeof *nodes);
        uint64_t *edges = malloc((hops + 2) * sizeof *edges);
        if (!useful || !nodes || !edges) {
            rc = iom_fail(e, IOM_ENOMEM, "graph: out of memory (shortest paths)");
        } else {
            useful[t0] = 1;
            for (uint32_t i = s.reached; i-- > 0;) {
                uint32_t x = s.order[i];
                for (uint64_t j = v->off[x]; !useful[x] && j < v->off[x + 1]; j++)
                    if (useful[v->adj[j]] && on_dag(&s, v, g->weighted, x, j))
                        useful[x] = 1;
            }
            size_t cap = r.total < (double)max ? (size_t)r.total : max;
            r.paths = iom_arena_new(a, graph_path, cap ? cap : 1);
            path_walk w = {g, v, &s, g->weighted, useful, t0, cap, 0, 0, nodes, edges,
                           r.paths, a};
            enumerate(&w, s0);
            r.count = w.count;
        }
        free(useful);
        free(nodes);
        free(edges);
    }
    graph_sssp_reset(&s, g->weighted);
    graph_sssp_free(&s);
    if (rc == IOM_OK)
        *out = r;
    return rc;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

iom_err graph_ego_get(const graph_net *g, uint32_t centre, unsigned k, iom_arena *a,
                      graph_ego *out, iom_error *e)
{
    uint32_t c;
    iom_err rc = graph_row(g, centre, "centre", &c, e);
    if (rc)
        return rc;
    const graph_view *u = &g->und;
    uint32_t *dist = malloc((g->n ? g->n : 1) * sizeof *dist);
    uint32_t *queue = malloc((g->n ? g->n : 1) * sizeof *queue);
    if (!dist || !queue) {
        free(dist);
        free(queue);
        return iom_fail(e, IOM_ENOMEM, "graph: out of memory (ego network)");
    }
    memset(dist, 0xff, g->n * sizeof *dist);
    uint32_t head = 0, tail = 0;
    queue[tail++] = c;
    dist[c] = 0;
    size_t nlinks = 0;
    while (head < tail) {
        uint32_t x = queue[head++];
        for (uint64_t j = u->off[x]; j < u->off[x + 1]; j++) {
            uint32_t y = u->adj[j];
            if (dist[y] == UINT32_MAX && dist[x] < k) {
                dist[y] = dist[x] + 1;
                queue[tail++] = y;
            }
        }
    }
    /* BFS order is by distance; within a distance, sort by row (= input index). */
    for (uint32_t i = 1, j; i < tail; i = j) {
        for (j = i; j < tail && dist[queue[j]] == dist[queue[i]]; j++)
            ;
        qsort(queue + i, j - i, sizeof *queue, cmp_u32);
    }
    for (uint32_t i = 0; i < tail; i++) {
        uint32_t x = queue[i];
        for (uint64_t j = u->off[x]; j < u->off[x + 1]; j++) {
            uint32_t y = u->adj[j], eid = u->eid[j];
            if (dist[y] != UINT32_MAX && x < y)
                nlinks += u->lo[eid + 1] - u->lo[eid];
        }
    }
    graph_ego r;
    r.count = tail;
    r.node = iom_arena_new(a, uint32_t, tail);
    r.distance = iom_arena_new(a, uint32_t, tail);
    r.n_links = nlinks;
    r.link = iom_arena_new(a, uint32_t, nlinks ? nlinks : 1);
    size_t m = 0;
    for (uint32_t i = 0; i < tail; i++) {
        uint32_t x = queue[i];
        r.node[i] = g->node_id[x];
        r.distance[i] = dist[x];
        for (uint64_t j = u->off[x]; j < u->off[x + 1]; j++) {
            uint32_t y = u->adj[j], eid = u->eid[j];
            if (dist[y] != UINT32_MAX && x < y)
                for (uint64_t l = u->lo[eid]; l < u->lo[eid + 1]; l++)
                    r.link[m++] = u->links[l];
        }
    }
    qsort(r.link, m, sizeof *r.link, cmp_u32);
    free(dist);
    free(queue);
    *out = r;
    return IOM_OK;
}
