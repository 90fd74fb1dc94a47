/*
 * graph_int.h: the network's representation, shared by the files of src/graph only.
 */
#ifndef IOM_GRAPH_GRAPH_INT_H
#define IOM_GRAPH_GRAPH_INT_H

#include <igraph.h>
#include <stdbool.h>
#include <stdint.h>

#include "graph/graph.h"

#define GRAPH_NONE UINT32_MAX

/* Merged edges (or arcs) and their adjacency (CSR). Undirected views list each edge under
 * both ends; arc views list an arc under its tail only. Adjacency lists are sorted by
 * neighbour. */
typedef struct graph_view {
    size_t ne;
    uint32_t *eu, *ev;      /* ends (eu < ev for undirected edges) */
    double *ew;             /* weight: summed strengths, 1 when unweighted */
    uint64_t *lo;           /* edge e came from input links links[lo[e] .. lo[e+1]) */
    uint32_t *links;
    uint64_t *off;          /* node v's entries: adj[off[v] .. off[v+1]) */
    uint32_t *adj, *eid;    /* neighbour and edge of each entry */
} graph_view;

struct graph_net {
    uint32_t n;
    size_t n_input;
    uint32_t *node_id;      /* network row -> input index */
    uint32_t *node_of;      /* input index -> network row, or GRAPH_NONE */
    size_t links_kept;
    bool directed, weighted;
    graph_view und;         /* always */
    graph_view arc;         /* directed networks only */
    /* The locality order (order.c): big networks are renumbered so that tightly knit
       groups sit together in memory. Rows stay in input order for every result; the
       igraph graphs and the `fast` adjacency used by the shortest-path sweeps use the
       locality numbering, and results are mapped back. NULL: identity. */
    uint32_t *fast_of;      /* row -> locality position */
    uint32_t *row_of;       /* locality position -> row */
    graph_view fast;        /* the walk view in locality numbering (off, adj, eid; ew is the
                               walk view's, borrowed) */
    igraph_t ig;            /* und (undirected network) or arc (directed one), vertices in
                               locality numbering, edge j = view edge j */
    igraph_vector_t igw;    /* its weights (weighted networks) */
    bool ig_und_built;      /* directed networks: undirected igraph copy for communities, */
    igraph_t ig_und;        /*   built on first use under the igraph lock */
    igraph_vector_t ig_und_w;
};

/* The view shortest paths walk: arcs in a directed network, edges in an undirected one. */
static inline const graph_view *graph_walk(const graph_net *g)
{
    return g->directed ? &g->arc : &g->und;
}

static inline uint32_t graph_fast(const graph_net *g, uint32_t row)
{
    return g->fast_of ? g->fast_of[row] : row;
}

/* The adjacency the sweeps run on: the walk view, in locality numbering when there is one. */
static inline const graph_view *graph_sweep_view(const graph_net *g)
{
    return g->fast_of ? &g->fast : graph_walk(g);
}

/* ---- locality order (order.c) ---- */

/* Networks with at least this many nodes are renumbered (GRAPH_ORDER_AUTO). */
#define GRAPH_LOCALITY_MIN_NODES 20000
/* Computes fast_of, row_of and fast (label propagation on the undirected view, then nodes
 * grouped by label). */
iom_err graph_order_locality(graph_net *g, iom_error *e);

/* ---- igraph glue (ig.c) ---- */

/* Takes the process-wide igraph lock (installing, once, error and warning handlers that
 * never print or abort). */
void graph_ig_lock(void);
void graph_ig_unlock(void);
/* Under the lock: turns igraph's error rc into an iom error naming `what` and igraph's
 * reason. */
iom_err graph_ig_fail(igraph_error_t rc, const char *what, iom_error *e);
/* Under the lock: the undirected igraph graph and weights (NULL weights when unweighted). */
iom_err graph_ig_undirected(graph_net *g, const igraph_t **ig, const igraph_vector_t **w,
                            iom_error *e);

/* ---- shortest-path sweeps (sweep.c) ---- */

/* Per-thread scratch for single-source shortest paths over the walk view. */
typedef struct graph_sssp {
    uint32_t n;
    int32_t *hops;         /* unweighted: distance, -1 unreached */
    double *dist;          /* weighted: distance, INFINITY unreached */
    uint8_t *done;         /* weighted: settled */
    double *sigma;         /* number of shortest paths from the source */
    double *coef;          /* accumulation scratch */
    uint32_t *order;       /* reached nodes in non-decreasing distance */
    uint32_t reached;
    /* Unweighted sweeps (Brandes): instead of hops, a one-byte level code per node (the
       level mod 3, plus 1; 0 unvisited: a neighbour's level differs by at most one, so that
       is enough) keeps the hot array small enough for the caches; levels are the runs of
       `order` ending at lvl_end[0..levels-1]. */
    uint8_t *lvl;
    uint32_t *lvl_end;
    uint32_t levels;
    uint32_t *dag;         /* successors on shortest paths, grouped by node: order[i]'s are */
    uint64_t *dag_off;     /*   dag[dag_off[i] .. dag_off[i+1]) */
    uint32_t *heap_node;   /* weighted: binary heap */
    double *heap_key;
    size_t heap_cap;
} graph_sssp;

/* dag_entries: room for the successor lists (the view's adjacency entries): the unweighted
 * Brandes mode above (no hops); 0: hops and sigma only (paths, diameters). */
iom_err graph_sssp_init(graph_sssp *s, const graph_net *g, bool weighted, size_t dag_entries,
                        iom_error *e);
void graph_sssp_free(graph_sssp *s);
/* Runs from source (network row) over view v; fills order/sigma and hops or dist. False:
 * out of memory (the run is incomplete; reset still clears it). */
bool graph_sssp_run(graph_sssp *s, const graph_view *v, bool weighted, uint32_t source);
/* Clears what the last run touched. */
void graph_sssp_reset(graph_sssp *s, bool weighted);
/* Length of edge e of a view in path terms. */
static inline double graph_len(const graph_view *v, bool weighted, uint32_t e)
{
    return weighted ? 1.0 / v->ew[e] : 1.0;
}
/* Same distance, with a relative tolerance for sums of 1/weight. */
static inline bool graph_same_dist(double a, double b)
{
    double d = a - b, m = a > b ? a : b;
    return (d < 0 ? -d : d) <= 1e-10 * (m > 1 ? m : 1);
}

typedef struct graph_sweep_out {
    double *betweenness;   /* summed dependencies (NULL: not wanted) */
    double *close_sum;     /* summed distances to each node (NULL: not wanted) */
    uint32_t *close_reach; /* sources reaching each node */
    double max_dist;       /* largest distance seen (eccentricity maximum) */
} graph_sweep_out;

/* Runs from every source (network rows) on up to `threads` threads and sums into out (whose
 * arrays are zeroed n-long, allocated by the caller). */
iom_err graph_sweep(const graph_net *g, const graph_view *v, bool weighted, const uint32_t *src,
                    size_t nsrc, int threads, graph_sweep_out *out, iom_error *e);

int graph_threads(int requested);

/* Betweenness (normalised) and/or closeness (either NULL: not wanted; n-long, zeroed) from
 * the given sources (input ids; NULL: every node) over the walk view. *estimated: from a
 * strict subset. */
iom_err graph_shortest_sweep(const graph_net *g, const uint32_t *ids, size_t nids, int threads,
                             double *bc, double *close, bool *estimated, iom_error *e);

/* Connected components of the undirected view, skipping removed nodes (removed may be NULL):
 * comp[v] (GRAPH_NONE for removed ones), OUT: sizes (malloc, one per component), *ncomp. */
iom_err graph_components(const graph_net *g, const uint8_t *removed, uint32_t *comp,
                         uint32_t **sizes, size_t *ncomp, iom_error *e);

/* PageRank (pagerank.c): out[row]. IOM_ENOMEM only. */
iom_err graph_pagerank(const graph_net *g, double damping, int threads, double *out,
                       iom_error *e);

/* Louvain (louvain.c): memb[row], labels < n. IOM_ENOMEM only. */
iom_err graph_louvain(const graph_net *g, double gamma, uint64_t seed, uint32_t *memb,
                      iom_error *e);

/* ---- helpers ---- */

/* Network rows of input ids, checked (IOM_EINVAL naming `what`). */
iom_err graph_row(const graph_net *g, uint32_t id, const char *what, uint32_t *row, iom_error *e);

/* Sorts pairs by key (LSD radix, stable). tmp has n entries. False: out of memory. */
typedef struct graph_kv {
    uint64_t key;
    uint32_t val;
} graph_kv;
bool graph_radix_sort(graph_kv *a, graph_kv *tmp, size_t n, uint64_t max_key);

/* splitmix64: seeded, reproducible. */
static inline uint64_t graph_rand(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

#endif
