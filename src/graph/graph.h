/*
 * graph.h: network analysis of a picture (issue 17), the engine behind `iom graph ...`.
 * docs/graph.md defines every measure, its source and its defaults.
 *
 * A pure library: it never prints, never touches the store and keeps no global state of its
 * own. app/ hands it a tasking's entities and links as plain arrays (graph_node, graph_link),
 * with a filter; graph_build makes the filtered network once, and every analysis reads it.
 *
 *   graph_net *g;
 *   graph_build(&g, nodes, n, links, m, &filter, &opts, &err);
 *   graph_central(g, &copts, &arena, &central, &err);        and the others below
 *   graph_free(g);
 *
 * Numbering. Callers speak of nodes and links by their index in the arrays they passed
 * ("input index"). Results name nodes and links the same way. Nodes the filter drops are not
 * in the network; naming one as an argument is IOM_EINVAL.
 *
 * The network. Parallel links between the same two nodes (the same direction, in a directed
 * network) are merged into one edge whose weight is the sum of theirs; self-loops are
 * dropped. Unweighted networks (the default) give every edge weight 1 whatever was merged.
 * Undirected (the default): direction is ignored. Directed: directed links are arcs, an
 * undirected link is a pair of opposite arcs; communities, brokers, key players, ego networks,
 * components and the diameter still use the undirected view (they are about who is connected,
 * not who pays whom). Weights are strengths (more contact = a stronger tie): PageRank,
 * eigenvector centrality, strength and communities use them as they are; path measures
 * (betweenness, closeness, shortest paths) use the length 1/weight.
 *
 * Ownership. graph_build's *out is the caller's; free it with graph_free. Every result is
 * allocated in the caller's iom_arena (util/arena.h) and lives until that arena is freed; the
 * network may be freed first. Results never point into the input arrays.
 *
 * Threads. A graph_net is read-only after graph_build: any number of threads may analyse the
 * same network at once. Debian's igraph is built without thread safety (IGRAPH_THREAD_SAFE
 * 0: a global error stack and random number generator), so every call into igraph is
 * serialised on one process-wide lock (eigenvector centrality, Leiden, graph_modularity).
 * PageRank, Louvain, betweenness, closeness, paths, ego networks, key players, brokers and the
 * diameter are our own code on the network's adjacency arrays and run outside that lock,
 * PageRank, betweenness and closeness on up to `threads` threads of their own.
 *
 * Errors (util/err.h; the message names the link, node, field or option):
 *   IOM_EINVAL   a link naming a node that does not exist, a weight that is negative or not
 *                finite, a period that ends before it starts, an option out of range, a node
 *                argument that is not in the filtered network, igraph refusing the input or
 *                not converging (the message quotes igraph)
 *   IOM_ETOOBIG  more than GRAPH_MAX_NODES nodes or GRAPH_MAX_LINKS links
 *   IOM_ENOMEM   out of memory in graph_build or inside igraph (arena allocations abort,
 *                util/arena.h)
 * On failure nothing is returned and *out is untouched.
 */
#ifndef IOM_GRAPH_GRAPH_H
#define IOM_GRAPH_GRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/err.h"

/* An open end of a period (no date known). */
#define GRAPH_TIME_NONE INT64_MIN
#define GRAPH_MAX_NODES 100000000u   /* 1e8 */
#define GRAPH_MAX_LINKS 1000000000u  /* 1e9 */

/* An entity of the picture. NULL nodes in graph_build means n untyped, undated nodes. */
typedef struct graph_node {
    uint32_t type;        /* the caller's entity-type code (the filter matches it) */
    int64_t start, end;   /* when the entity is known (UTC seconds, inclusive); either may be
                             GRAPH_TIME_NONE (open) */
} graph_node;

/* A link of the picture. */
typedef struct graph_link {
    uint32_t from, to;    /* input indices of the two nodes */
    uint32_t type;        /* the caller's link-type code */
    int32_t grade;        /* grade rank: larger is more reliable, 0 ungraded (app/ maps the
                             3x5x2 grade to it) */
    double weight;        /* strength > 0; 0 means 1 */
    int64_t start, end;   /* when the link held (UTC seconds, inclusive); GRAPH_TIME_NONE open */
    bool directed;        /* from -> to (money, a call); false: symmetric (associate) */
} graph_link;

/* Which part of the picture to analyse. Zero-initialised: everything. */
typedef struct graph_filter {
    const uint32_t *node_types; /* keep nodes of these types; NULL: every type */
    size_t n_node_types;
    const uint32_t *link_types; /* keep links of these types; NULL: every type */
    size_t n_link_types;
    int64_t from, to;           /* keep nodes and links whose period overlaps [from, to];
                                   GRAPH_TIME_NONE (or 0 for both) leaves that end open */
    bool drop_undated;          /* with a period: also drop what has no date at all
                                   (default: undated items are kept, they are not known to
                                   lie outside) */
    int32_t min_grade;          /* drop links whose grade rank is below this (0: keep all) */
    bool drop_isolated;         /* drop nodes left without a link */
} graph_filter;

/* Memory layout of the network (results never depend on it beyond the last bits of floating
 * point sums and the tie-breaks inside Louvain / Leiden): big networks are renumbered
 * internally so that tightly knit groups sit together, which makes the shortest-path sweeps
 * and igraph's algorithms several times faster (docs/graph.md). */
typedef enum graph_order {
    GRAPH_ORDER_AUTO = 0,       /* locality from 20,000 nodes up, else input order */
    GRAPH_ORDER_INPUT = 1,
    GRAPH_ORDER_LOCALITY = 2
} graph_order;

typedef struct graph_options {
    bool directed;              /* default false: direction ignored */
    bool weighted;              /* default false: every edge weighs 1 */
    graph_order order;          /* default GRAPH_ORDER_AUTO */
} graph_options;

typedef struct graph_net graph_net;

/*
 * Builds the filtered network. nodes may be NULL (n untyped, undated nodes); links may be
 * NULL when m is 0; filter and opts may be NULL (defaults). Every link is validated, kept or
 * not. OUT: *out, owned by the caller (graph_free). Errors: IOM_EINVAL, IOM_ETOOBIG,
 * IOM_ENOMEM.
 */
iom_err graph_build(graph_net **out, const graph_node *nodes, size_t n, const graph_link *links,
                    size_t m, const graph_filter *filter, const graph_options *opts, iom_error *e);
void graph_free(graph_net *g);

size_t graph_node_count(const graph_net *g);       /* nodes kept by the filter */
size_t graph_edge_count(const graph_net *g);       /* edges of the undirected view */
size_t graph_link_count(const graph_net *g);       /* input links kept (self-loops excluded) */
uint32_t graph_node_id(const graph_net *g, size_t v); /* input index of the v-th kept node */
bool graph_has_node(const graph_net *g, uint32_t id); /* the input node is in the network */

/* ---- statistics ------------------------------------------------------------------------ */

#define GRAPH_DIAMETER_MAX_NODES 10000 /* default: diameter only of components up to this */

typedef struct graph_stats {
    size_t nodes, edges, links; /* as the accessors above; arcs: edges of the directed view */
    size_t arcs;                /* directed networks: merged arcs; undirected: 0 */
    size_t components;          /* connected components of the undirected view */
    size_t largest;             /* nodes in the largest one */
    size_t isolated;            /* nodes without an edge */
    double density;             /* edges / (n(n-1)/2); directed: arcs / (n(n-1)); 0 for n < 2 */
    double mean_degree;         /* 2 edges / n */
    int64_t diameter;           /* hops, the longest shortest path in the largest component
                                   (undirected view); -1 when it has more than the limit */
} graph_stats;

/* max_diameter_nodes 0 means GRAPH_DIAMETER_MAX_NODES. threads <= 0: online CPUs. */
iom_err graph_stats_get(const graph_net *g, size_t max_diameter_nodes, int threads,
                        graph_stats *out, iom_error *e);

/* ---- centrality ------------------------------------------------------------------------ */

enum {
    GRAPH_DEGREE = 1u << 0,
    GRAPH_BETWEENNESS = 1u << 1,
    GRAPH_CLOSENESS = 1u << 2,
    GRAPH_EIGENVECTOR = 1u << 3,
    GRAPH_PAGERANK = 1u << 4,
    GRAPH_ALL_MEASURES = (1u << 5) - 1
};

#define GRAPH_PAGERANK_DAMPING 0.85

typedef struct graph_central_opts {
    unsigned measures;        /* GRAPH_* flags; 0: all */
    const uint32_t *sources;  /* betweenness and closeness estimated from these nodes (input
                                 indices, duplicates counted once; see docs/graph.md);
                                 NULL: exact, from every node (cost O(n m)) */
    size_t n_sources;
    int threads;              /* for betweenness, closeness and PageRank; <= 0: online CPUs
                                 when the network is big enough to gain from them */
    double damping;           /* PageRank; 0: GRAPH_PAGERANK_DAMPING; else in (0, 1) */
} graph_central_opts;

/* One row per node of the network, in network order (node[i] is its input index). Arrays of
 * measures not asked for are NULL. */
typedef struct graph_central {
    size_t n;
    uint32_t *node;
    uint32_t *degree;          /* distinct neighbours (undirected view) */
    uint32_t *in_degree;       /* distinct predecessors / successors (directed networks; */
    uint32_t *out_degree;      /*   equal to degree in undirected ones) */
    double *strength;          /* sum of the weights of its edges (= degree when unweighted) */
    double *degree_c;          /* degree / (n - 1) */
    double *betweenness;       /* normalised: / ((n-1)(n-2)) in both cases (see docs) */
    double *closeness;         /* Wasserman-Faust: (r-1)/(n-1) * (r-1)/sum of distances to it */
    double *eigenvector;       /* the largest is 1 */
    double *pagerank;          /* sums to 1 */
    bool estimated;            /* betweenness / closeness from a subset of sources */
} graph_central;

/* OUT: *out, arrays in arena. IOM_EINVAL for a bad option or a source not in the network, or
 * when igraph fails (eigenvector: ARPACK did not converge). */
iom_err graph_central_get(const graph_net *g, const graph_central_opts *o, iom_arena *arena,
                          graph_central *out, iom_error *e);

/* k distinct nodes of the network drawn with a seeded generator (all of them when k >= n),
 * as input indices in ascending order: a fixed sample for estimated betweenness. OUT: *out
 * (arena), *count. */
void graph_sample_sources(const graph_net *g, size_t k, uint64_t seed, iom_arena *arena,
                          uint32_t **out, size_t *count);

/* ---- communities ----------------------------------------------------------------------- */

typedef enum graph_community_method {
    GRAPH_LEIDEN = 0,   /* Traag, Waltman & van Eck 2019, modularity objective */
    GRAPH_LOUVAIN = 1   /* Blondel et al. 2008 (ours: igraph's is slow at scale, docs/graph.md) */
} graph_community_method;

typedef struct graph_community_opts {
    graph_community_method method;
    double resolution;  /* 0: 1 (classic modularity) */
    uint64_t seed;      /* igraph's generator; the same seed gives the same answer */
    int restarts;       /* runs with seeds seed, seed+1, ...; the best modularity is kept;
                           <= 0: 1 */
} graph_community_opts;

typedef struct graph_communities {
    size_t n;
    uint32_t *node;       /* input index of row i */
    uint32_t *community;  /* 0..count-1, numbered by size (largest first), ties by the
                             smallest input index in it */
    size_t count;
    uint32_t *size;       /* nodes per community */
    double modularity;    /* Newman's Q at the given resolution, on the undirected view */
} graph_communities;

iom_err graph_communities_get(const graph_net *g, const graph_community_opts *o,
                              iom_arena *arena, graph_communities *out, iom_error *e);

/* Modularity of a given partition (membership[v] per network row, any labels < n). */
iom_err graph_modularity(const graph_net *g, const uint32_t *membership, double resolution,
                         double *out, iom_error *e);

/* ---- brokers ----------------------------------------------------------------------------- */

/*
 * Brokers: nodes whose ties span communities and who lie on the paths between them.
 * participation P = 1 - sum over communities c of (k_c / k)^2 (Guimera & Amaral 2005; k_c:
 * the node's edge weight into community c, k: all of it), and score = P x normalised
 * betweenness. Ranked by score, then betweenness, then input index; nodes with score 0 are
 * left out.
 */
typedef struct graph_broker_opts {
    const graph_communities *communities; /* of this network; NULL: Leiden, seed 1 */
    const uint32_t *sources;              /* betweenness as graph_central_opts */
    size_t n_sources;
    int threads;
    size_t top;                           /* at most this many; 0: all */
} graph_broker_opts;

typedef struct graph_broker {
    uint32_t node;           /* input index */
    uint32_t community;      /* its own */
    uint32_t communities;    /* distinct communities among its neighbours and itself */
    double participation, betweenness, score;
} graph_broker;

typedef struct graph_brokers {
    size_t count;
    graph_broker *items;
} graph_brokers;

iom_err graph_brokers_get(const graph_net *g, const graph_broker_opts *o, iom_arena *arena,
                          graph_brokers *out, iom_error *e);

/* ---- key players ------------------------------------------------------------------------- */

/*
 * Key players (Borgatti 2006, KPP-Neg): the k nodes whose removal fragments the undirected
 * view most. Fragmentation F = 1 - sum_k s_k (s_k - 1) / (n (n - 1)) over the components s_k
 * left, n the nodes left: the share of pairs of remaining nodes that can no longer reach each
 * other. Greedy (each step removes the node that gives the highest F, every candidate
 * evaluated exactly in O(n + m) via articulation points), then Borgatti's swaps (replace one
 * chosen node by the best other while F improves).
 */
typedef enum graph_kp_objective {
    GRAPH_KP_FRAGMENTATION = 0, /* maximise F (= minimise connected pairs) */
    GRAPH_KP_LARGEST = 1        /* minimise the largest component (ties: F) */
} graph_kp_objective;

typedef struct graph_keyplayer_opts {
    size_t k;                   /* 1..n */
    graph_kp_objective objective;
    int swap_rounds;            /* rounds of swaps; 0: 4; < 0: none */
} graph_keyplayer_opts;

typedef struct graph_keyplayers {
    size_t k;
    uint32_t *node;             /* the chosen nodes (input indices), in order of choice */
    double fragmentation_before, fragmentation;
    uint64_t pairs_before, pairs;         /* connected unordered pairs */
    size_t largest_before, largest;       /* largest component */
    size_t components_before, components;
    int swaps;                  /* swaps made after the greedy choice */
} graph_keyplayers;

iom_err graph_keyplayers_get(const graph_net *g, const graph_keyplayer_opts *o,
                             iom_arena *arena, graph_keyplayers *out, iom_error *e);

/* ---- paths and ego networks -------------------------------------------------------------- */

#define GRAPH_MAX_PATHS_DEFAULT 100

typedef struct graph_path {
    size_t len;        /* steps */
    uint32_t *node;    /* len + 1 input indices, from first */
    uint32_t *link;    /* len input links, one per step (the lowest index of the links merged
                          into that edge) */
} graph_path;

typedef struct graph_paths {
    double distance;   /* hops, or the sum of 1/weight in a weighted network; INFINITY when
                          there is no path */
    double total;      /* how many shortest paths there are (may exceed count) */
    size_t count;
    graph_path *paths; /* in lexicographic order of the node sequence (network order) */
} graph_paths;

/* Every shortest path from -> to (following arcs in a directed network), at most max_paths
 * (0: GRAPH_MAX_PATHS_DEFAULT). No path: count 0, IOM_OK. */
iom_err graph_shortest_paths(const graph_net *g, uint32_t from, uint32_t to, size_t max_paths,
                             iom_arena *arena, graph_paths *out, iom_error *e);

typedef struct graph_ego {
    size_t count;
    uint32_t *node;      /* input indices: the centre first, then by distance and index */
    uint32_t *distance;  /* steps from the centre */
    size_t n_links;
    uint32_t *link;      /* every kept input link between two of these nodes, ascending */
} graph_ego;

/* The k-step ego network of centre (undirected view); k 0 is the centre alone. */
iom_err graph_ego_get(const graph_net *g, uint32_t centre, unsigned k, iom_arena *arena,
                      graph_ego *out, iom_error *e);

#endif
