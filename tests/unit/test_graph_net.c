/*
 * The network engine on small hand-built graphs: shortest paths (hops, weighted, directed,
 * ties, truncation), ego networks, the filter, key players (greedy and Borgatti's swaps),
 * brokers, statistics, bad input; and our own betweenness / closeness (sweep.c) against
 * igraph's on random graphs, undirected and directed, unweighted and weighted, exact and
 * from a subset of sources, on one and two threads.
 */
#include <igraph.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "graph/graph.h"

static iom_error err;
static iom_arena arena;

static int setup(void **st)
{
    (void)st;
    iom_arena_init(&arena);
    iom_error_clear(&err);
    return 0;
}

static int teardown(void **st)
{
    (void)st;
    iom_arena_free(&arena);
    return 0;
}

#define L(a, b) {.from = (a), .to = (b)}

static graph_net *build(size_t n, const graph_link *l, size_t m, const graph_options *o)
{
    graph_net *g = NULL;
    assert_int_equal(graph_build(&g, NULL, n, l, m, NULL, o, &err), IOM_OK);
    return g;
}

static void assert_path(const graph_path *p, const uint32_t *nodes, size_t len)
{
    assert_int_equal(p->len, len);
    assert_memory_equal(p->node, nodes, (len + 1) * sizeof *nodes);
}

static void test_paths(void **st)
{
    (void)st;
    /* diamond 0-1-3, 0-2-3, then 3-4; node 5 alone; link 6 repeats 1-3 (merged) */
    graph_link l[] = {L(0, 1), L(0, 2), L(1, 3), L(2, 3), L(3, 4), L(2, 0), L(3, 1)};
    graph_net *g = build(6, l, 7, NULL);
    graph_paths p;
    assert_int_equal(graph_shortest_paths(g, 0, 4, 0, &arena, &p, &err), IOM_OK);
    assert_float_equal(p.distance, 3, 0);
    assert_float_equal(p.total, 2, 0);
    assert_int_equal(p.count, 2);
    assert_path(&p.paths[0], (uint32_t[]){0, 1, 3, 4}, 3);
    assert_path(&p.paths[1], (uint32_t[]){0, 2, 3, 4}, 3);
    /* each step names the lowest input link of its edge */
    assert_memory_equal(p.paths[0].link, ((uint32_t[]){0, 2, 4}), 3 * sizeof(uint32_t));
    assert_memory_equal(p.paths[1].link, ((uint32_t[]){1, 3, 4}), 3 * sizeof(uint32_t));
    /* truncated: total still counts them all */
    assert_int_equal(graph_shortest_paths(g, 4, 0, 1, &arena, &p, &err), IOM_OK);
    assert_int_equal(p.count, 1);
    assert_float_equal(p.total, 2, 0);
    assert_path(&p.paths[0], (uint32_t[]){4, 3, 1, 0}, 3);
    /* no path; the same node */
    assert_int_equal(graph_shortest_paths(g, 0, 5, 0, &arena, &p, &err), IOM_OK);
    assert_int_equal(p.count, 0);
    assert_true(isinf(p.distance));
    assert_int_equal(graph_shortest_paths(g, 2, 2, 0, &arena, &p, &err), IOM_OK);
    assert_int_equal(p.count, 1);
    assert_int_equal(p.paths[0].len, 0);
    assert_float_equal(p.distance, 0, 0);
    /* bad nodes */
    assert_int_equal(graph_shortest_paths(g, 0, 6, 0, &arena, &p, &err), IOM_EINVAL);
    assert_non_null(strstr(err.msg, "to: 6 is not a node"));
    graph_free(g);

    /* a ladder of 10 rungs: 2^10 shortest paths corner to corner; capped at the default */
    graph_link lad[40];
    size_t m = 0;
    for (uint32_t i = 0; i < 10; i++) {
        lad[m++] = (graph_link)L(2 * i, 2 * i + 2);
        lad[m++] = (graph_link)L(2 * i + 1, 2 * i + 3);
        lad[m++] = (graph_link)L(2 * i, 2 * i + 3);
        lad[m++] = (graph_link)L(2 * i + 1, 2 * i + 2);
    }
    g = build(22, lad, m, NULL);
    assert_int_equal(graph_shortest_paths(g, 0, 20, 0, &arena, &p, &err), IOM_OK);
    assert_float_equal(p.total, 512, 0); /* a choice of side at each of 9 rungs */
    assert_int_equal(p.count, GRAPH_MAX_PATHS_DEFAULT);
    assert_float_equal(p.distance, 10, 0);
    for (size_t i = 1; i < p.count; i++) { /* strictly lexicographic: all distinct */
        size_t k = 0;
        while (k < 11 && p.paths[i - 1].node[k] == p.paths[i].node[k])
            k++;
        assert_true(k < 11 && p.paths[i - 1].node[k] < p.paths[i].node[k]);
    }
    graph_free(g);
}

static void test_paths_weighted_directed(void **st)
{
    (void)st;
    /* weights are strengths, path length 1/weight: 0-1-2 costs 2, the direct 0-2 costs 4 */
    graph_link l[] = {{.from = 0, .to = 1, .weight = 1}, {.from = 1, .to = 2, .weight = 1},
                      {.from = 0, .to = 2, .weight = 0.25}};
    graph_options wo = {.weighted = true};
    graph_net *g = build(3, l, 3, &wo);
    graph_paths p;
    assert_int_equal(graph_shortest_paths(g, 0, 2, 0, &arena, &p, &err), IOM_OK);
    assert_int_equal(p.count, 1);
    assert_float_equal(p.distance, 2, 1e-12);
    assert_path(&p.paths[0], (uint32_t[]){0, 1, 2}, 2);
    graph_free(g);
    /* unweighted, the direct link wins */
    g = build(3, l, 3, NULL);
    assert_int_equal(graph_shortest_paths(g, 0, 2, 0, &arena, &p, &err), IOM_OK);
    assert_path(&p.paths[0], (uint32_t[]){0, 2}, 1);
    graph_free(g);
    /* a tie in lengths that are sums of fractions: 1/3 * 3 against 1 */
    graph_link t[] = {{.from = 0, .to = 1, .weight = 3}, {.from = 1, .to = 2, .weight = 3},
                      {.from = 2, .to = 3, .weight = 3}, {.from = 0, .to = 3, .weight = 1}};
    g = build(4, t, 4, &wo);
    assert_int_equal(graph_shortest_paths(g, 0, 3, 0, &arena, &p, &err), IOM_OK);
    assert_int_equal(p.count, 2);
    assert_float_equal(p.total, 2, 0);
    graph_free(g);
    /* directed: arcs one way; an undirected link both ways */
    graph_link d[] = {{.from = 0, .to = 1, .directed = true}, {.from = 1, .to = 2, .directed = true},
                      {.from = 2, .to = 3}};
    graph_options dop = {.directed = true};
    g = build(4, d, 3, &dop);
    assert_int_equal(graph_shortest_paths(g, 0, 3, 0, &arena, &p, &err), IOM_OK);
    assert_path(&p.paths[0], (uint32_t[]){0, 1, 2, 3}, 3);
    assert_int_equal(graph_shortest_paths(g, 3, 0, 0, &arena, &p, &err), IOM_OK);
    assert_int_equal(p.count, 0);
    assert_int_equal(graph_shortest_paths(g, 3, 2, 0, &arena, &p, &err), IOM_OK);
    assert_int_equal(p.count, 1);
    graph_central c;
    graph_central_opts co = {.measures = GRAPH_DEGREE | GRAPH_PAGERANK};
    assert_int_equal(graph_central_get(g, &co, &arena, &c, &err), IOM_OK);
    assert_int_equal(c.out_degree[0], 1);
    assert_int_equal(c.in_degree[0], 0);
    assert_int_equal(c.in_degree[2], 2); /* from 1 and from 3 */
    assert_int_equal(c.out_degree[2], 1);
    assert_int_equal(c.degree[2], 2);
    double sum = 0;
    for (int i = 0; i < 4; i++)
        sum += c.pagerank[i];
    assert_float_equal(sum, 1, 1e-9);
    assert_true(c.pagerank[3] > c.pagerank[0]);
    graph_free(g);
}

static void test_ego(void **st)
{
    (void)st;
    /* 0 centre; 1, 2 its neighbours; 3 behind 1; 4 behind 3; link 5 repeats 0-1 */
    graph_link l[] = {L(0, 1), L(0, 2), L(1, 3), L(3, 4), L(1, 2), L(1, 0)};
    graph_net *g = build(6, l, 6, NULL);
    graph_ego eg;
    assert_int_equal(graph_ego_get(g, 0, 1, &arena, &eg, &err), IOM_OK);
    assert_int_equal(eg.count, 3);
    assert_memory_equal(eg.node, ((uint32_t[]){0, 1, 2}), 3 * sizeof(uint32_t));
    assert_memory_equal(eg.distance, ((uint32_t[]){0, 1, 1}), 3 * sizeof(uint32_t));
    assert_int_equal(eg.n_links, 4); /* 0-1 twice, 0-2, 1-2 */
    assert_memory_equal(eg.link, ((uint32_t[]){0, 1, 4, 5}), 4 * sizeof(uint32_t));
    assert_int_equal(graph_ego_get(g, 0, 2, &arena, &eg, &err), IOM_OK);
    assert_int_equal(eg.count, 4);
    assert_int_equal(eg.node[3], 3);
    assert_int_equal(eg.distance[3], 2);
    assert_int_equal(eg.n_links, 5);
    assert_int_equal(graph_ego_get(g, 0, 0, &arena, &eg, &err), IOM_OK);
    assert_int_equal(eg.count, 1);
    assert_int_equal(eg.n_links, 0);
    assert_int_equal(graph_ego_get(g, 5, 1, &arena, &eg, &err), IOM_OK); /* isolated */
    assert_int_equal(eg.count, 1);
    graph_free(g);
}

static void test_filter(void **st)
{
    (void)st;
    enum { PERSON = 1, PHONE = 2, VEHICLE = 3, ASSOC = 10, CALLS = 11 };
    const int64_t day = 86400, t0 = 1767225600; /* 2026-01-01 */
    graph_node nodes[] = {
        {PERSON, GRAPH_TIME_NONE, GRAPH_TIME_NONE},
        {PERSON, GRAPH_TIME_NONE, GRAPH_TIME_NONE},
        {PHONE, t0, t0 + 10 * day},
        {VEHICLE, GRAPH_TIME_NONE, GRAPH_TIME_NONE},
        {PERSON, t0 + 100 * day, GRAPH_TIME_NONE}, /* known only from April */
    };
    graph_link l[] = {
        {.from = 0, .to = 1, .type = ASSOC, .grade = 3, .start = t0, .end = t0 + day},
        {.from = 0, .to = 2, .type = CALLS, .grade = 1, .start = GRAPH_TIME_NONE, .end = GRAPH_TIME_NONE},
        {.from = 1, .to = 3, .type = ASSOC, .grade = 2, .start = t0 + 50 * day, .end = t0 + 60 * day},
        {.from = 1, .to = 4, .type = ASSOC, .grade = 0, .start = GRAPH_TIME_NONE, .end = GRAPH_TIME_NONE},
        {.from = 2, .to = 2, .type = CALLS, .grade = 5, .start = GRAPH_TIME_NONE, .end = GRAPH_TIME_NONE},
    };
    graph_net *g;
    /* everything: the self-loop is dropped */
    assert_int_equal(graph_build(&g, nodes, 5, l, 5, NULL, NULL, &err), IOM_OK);
    assert_int_equal(graph_node_count(g), 5);
    assert_int_equal(graph_link_count(g), 4);
    graph_free(g);
    /* people only */
    graph_filter f = {.node_types = (uint32_t[]){PERSON}, .n_node_types = 1};
    assert_int_equal(graph_build(&g, nodes, 5, l, 5, &f, NULL, &err), IOM_OK);
    assert_int_equal(graph_node_count(g), 3);
    assert_int_equal(graph_node_id(g, 2), 4);
    assert_false(graph_has_node(g, 2));
    assert_int_equal(graph_link_count(g), 2); /* 0-1 and 1-4 */
    graph_free(g);
    /* ASSOC links, grade >= 2, drop isolated: 0-1 and 1-3 */
    graph_filter f2 = {.link_types = (uint32_t[]){ASSOC}, .n_link_types = 1, .min_grade = 2,
                       .drop_isolated = true};
    assert_int_equal(graph_build(&g, nodes, 5, l, 5, &f2, NULL, &err), IOM_OK);
    assert_int_equal(graph_node_count(g), 3);
    assert_true(graph_has_node(g, 3));
    assert_false(graph_has_node(g, 2));
    assert_false(graph_has_node(g, 4));
    graph_free(g);
    /* the first 20 days: the phone (known days 0-10) and link 0 (day 0-1) overlap; link 2
       (days 50-60) and node 4 (from day 100) do not; undated items are kept */
    graph_filter f3 = {.from = t0, .to = t0 + 20 * day};
    assert_int_equal(graph_build(&g, nodes, 5, l, 5, &f3, NULL, &err), IOM_OK);
    assert_int_equal(graph_node_count(g), 4);
    assert_false(graph_has_node(g, 4));
    assert_int_equal(graph_link_count(g), 2); /* links 0 and 1 (1-4 went with node 4) */
    graph_free(g);
    f3.drop_undated = true;
    assert_int_equal(graph_build(&g, nodes, 5, l, 5, &f3, NULL, &err), IOM_OK);
    assert_int_equal(graph_node_count(g), 1); /* only the phone is dated and in the period */
    assert_int_equal(graph_link_count(g), 0);
    graph_free(g);
    /* an open-ended period: from day 55 on */
    graph_filter f4 = {.from = t0 + 55 * day, .to = GRAPH_TIME_NONE};
    assert_int_equal(graph_build(&g, nodes, 5, l, 5, &f4, NULL, &err), IOM_OK);
    assert_false(graph_has_node(g, 2));
    assert_true(graph_has_node(g, 4));
    assert_int_equal(graph_link_count(g), 2); /* 1-3 (to day 60) and 1-4 (undated) */
    graph_free(g);
}

static void test_bad_input(void **st)
{
    (void)st;
    graph_net *g = NULL;
    graph_link l[] = {L(0, 1), L(1, 7)};
    assert_int_equal(graph_build(&g, NULL, 3, l, 2, NULL, NULL, &err), IOM_EINVAL);
    assert_string_equal(err.msg, "graph: link 1: to: 7 is not a node (n = 3)");
    assert_null(g);
    graph_link w[] = {{.from = 0, .to = 1, .weight = -1}};
    assert_int_equal(graph_build(&g, NULL, 3, w, 1, NULL, NULL, &err), IOM_EINVAL);
    assert_non_null(strstr(err.msg, "link 0: weight"));
    w[0].weight = NAN;
    assert_int_equal(graph_build(&g, NULL, 3, w, 1, NULL, NULL, &err), IOM_EINVAL);
    graph_link p[] = {{.from = 0, .to = 1, .start = 100, .end = 50}};
    assert_int_equal(graph_build(&g, NULL, 3, p, 1, NULL, NULL, &err), IOM_EINVAL);
    assert_non_null(strstr(err.msg, "link 0: period ends before it starts"));
    graph_node nd[] = {{0, 10, 5}};
    assert_int_equal(graph_build(&g, nd, 1, NULL, 0, NULL, NULL, &err), IOM_EINVAL);
    graph_filter f = {.n_node_types = 2};
    assert_int_equal(graph_build(&g, NULL, 3, l, 1, &f, NULL, &err), IOM_EINVAL);
    graph_filter f2 = {.from = 100, .to = 50};
    assert_int_equal(graph_build(&g, NULL, 3, l, 1, &f2, NULL, &err), IOM_EINVAL);
    assert_int_equal(graph_build(&g, NULL, (size_t)GRAPH_MAX_NODES + 1, NULL, 0, NULL, NULL, &err),
                     IOM_ETOOBIG);
    assert_null(g);

    g = build(3, l, 1, NULL);
    graph_central c;
    graph_central_opts o = {.damping = 1.5};
    assert_int_equal(graph_central_get(g, &o, &arena, &c, &err), IOM_EINVAL);
    assert_non_null(strstr(err.msg, "damping"));
    graph_central_opts o2 = {.sources = (uint32_t[]){9}, .n_sources = 1};
    assert_int_equal(graph_central_get(g, &o2, &arena, &c, &err), IOM_EINVAL);
    assert_non_null(strstr(err.msg, "source: 9 is not a node"));
    graph_keyplayers kp;
    graph_keyplayer_opts ko = {.k = 0};
    assert_int_equal(graph_keyplayers_get(g, &ko, &arena, &kp, &err), IOM_EINVAL);
    ko.k = 3;
    assert_int_equal(graph_keyplayers_get(g, &ko, &arena, &kp, &err), IOM_EINVAL);
    graph_ego eg;
    assert_int_equal(graph_ego_get(g, 3, 1, &arena, &eg, &err), IOM_EINVAL);
    graph_community_opts co = {.method = (graph_community_method)7};
    graph_communities cm;
    assert_int_equal(graph_communities_get(g, &co, &arena, &cm, &err), IOM_EINVAL);
    co = (graph_community_opts){.resolution = -1};
    assert_int_equal(graph_communities_get(g, &co, &arena, &cm, &err), IOM_EINVAL);
    graph_free(g);

    /* a filtered-out node named as an argument */
    graph_node types[] = {{1, GRAPH_TIME_NONE, GRAPH_TIME_NONE}, {2, GRAPH_TIME_NONE, GRAPH_TIME_NONE},
                          {1, GRAPH_TIME_NONE, GRAPH_TIME_NONE}};
    graph_filter only1 = {.node_types = (uint32_t[]){1}, .n_node_types = 1};
    assert_int_equal(graph_build(&g, types, 3, l, 1, &only1, NULL, &err), IOM_OK);
    graph_paths pa;
    assert_int_equal(graph_shortest_paths(g, 1, 0, 0, &arena, &pa, &err), IOM_EINVAL);
    assert_string_equal(err.msg, "graph: from: node 1 is not in the filtered network");
    graph_free(g);
}

/* star of stars: centre 0, hubs 1..3, three leaves per hub (4..12) */
static graph_net *star_of_stars(void)
{
    graph_link l[12];
    size_t m = 0;
    for (uint32_t h = 1; h <= 3; h++) {
        l[m++] = (graph_link)L(0, h);
        for (uint32_t k = 0; k < 3; k++)
            l[m++] = (graph_link)L(h, 4 + 3 * (h - 1) + k);
    }
    return build(13, l, m, NULL);
}

static void test_keyplayers(void **st)
{
    (void)st;
    graph_net *g = star_of_stars();
    graph_keyplayers kp;
    /* k = 1: the centre leaves three components of 4: 18 connected pairs */
    graph_keyplayer_opts o = {.k = 1};
    assert_int_equal(graph_keyplayers_get(g, &o, &arena, &kp, &err), IOM_OK);
    assert_int_equal(kp.node[0], 0);
    assert_int_equal(kp.pairs_before, 78);
    assert_float_equal(kp.fragmentation_before, 0, 0);
    assert_int_equal(kp.pairs, 18);
    assert_int_equal(kp.components, 3);
    assert_int_equal(kp.largest, 4);
    assert_float_equal(kp.fragmentation, 1 - 18.0 / 66, 1e-12);
    /* k = 2, greedy only: the centre then a hub: 12 pairs */
    o = (graph_keyplayer_opts){.k = 2, .swap_rounds = -1};
    assert_int_equal(graph_keyplayers_get(g, &o, &arena, &kp, &err), IOM_OK);
    assert_int_equal(kp.node[0], 0);
    assert_int_equal(kp.node[1], 1);
    assert_int_equal(kp.pairs, 12);
    assert_int_equal(kp.swaps, 0);
    /* with Borgatti's swaps: two hubs (the centre stays with the third hub): 10 pairs,
       F = 1 - 10 / 55 */
    o.swap_rounds = 0;
    assert_int_equal(graph_keyplayers_get(g, &o, &arena, &kp, &err), IOM_OK);
    assert_int_equal(kp.pairs, 10);
    assert_true(kp.swaps >= 1);
    assert_true(kp.node[0] >= 1 && kp.node[0] <= 3 && kp.node[1] >= 1 && kp.node[1] <= 3);
    assert_float_equal(kp.fragmentation, 1 - 10.0 / 55, 1e-12);
    assert_int_equal(kp.largest, 5);
    /* minimising the largest component instead: the centre and a hub leave at most 4 */
    o.objective = GRAPH_KP_LARGEST;
    assert_int_equal(graph_keyplayers_get(g, &o, &arena, &kp, &err), IOM_OK);
    assert_int_equal(kp.largest, 4);
    assert_int_equal(kp.node[0], 0);
    assert_int_equal(kp.node[1], 1);
    graph_free(g);
}

/* Connected pairs after removing `rm` (brute force, for the random check below). */
static uint64_t pairs_without(size_t n, const graph_link *l, size_t m, const uint8_t *rm)
{
    uint32_t comp[64];
    for (size_t i = 0; i < n; i++)
        comp[i] = (uint32_t)i;
    for (int changed = 1; changed;) {
        changed = 0;
        for (size_t j = 0; j < m; j++) {
            uint32_t a = l[j].from, b = l[j].to;
            if (rm[a] || rm[b] || comp[a] == comp[b])
                continue;
            uint32_t lo = comp[a] < comp[b] ? comp[a] : comp[b];
            comp[a] = comp[b] = lo;
            changed = 1;
        }
    }
    uint64_t pairs = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t k = i + 1; k < n; k++)
            pairs += !rm[i] && !rm[k] && comp[i] == comp[k];
    return pairs;
}

static void test_keyplayers_random(void **st)
{
    (void)st;
    /* k = 1 is exact: the best single removal by brute force */
    srand(17);
    for (int round = 0; round < 30; round++) {
        size_t n = 12 + (size_t)(rand() % 20), m = 0;
        graph_link l[200];
        for (uint32_t a = 0; a < n; a++)
            for (uint32_t b = a + 1; b < n; b++)
                if (rand() % 100 < 12 && m < 200)
                    l[m++] = (graph_link)L(a, b);
        graph_net *g = build(n, l, m, NULL);
        graph_keyplayers kp;
        graph_keyplayer_opts o = {.k = 1};
        assert_int_equal(graph_keyplayers_get(g, &o, &arena, &kp, &err), IOM_OK);
        uint8_t rm[64] = {0};
        uint64_t best = UINT64_MAX;
        for (size_t v = 0; v < n; v++) {
            rm[v] = 1;
            uint64_t p = pairs_without(n, l, m, rm);
            if (p < best)
                best = p;
            rm[v] = 0;
        }
        assert_int_equal(kp.pairs, best);
        rm[kp.node[0]] = 1;
        assert_int_equal(pairs_without(n, l, m, rm), kp.pairs);
        /* k = 3: the reported pairs are those of the reported set */
        o.k = 3;
        assert_int_equal(graph_keyplayers_get(g, &o, &arena, &kp, &err), IOM_OK);
        memset(rm, 0, sizeof rm);
        for (int i = 0; i < 3; i++)
            rm[kp.node[i]] = 1;
        assert_int_equal(pairs_without(n, l, m, rm), kp.pairs);
        graph_free(g);
    }
}

static void test_brokers(void **st)
{
    (void)st;
    /* two 5-cliques (0-4, 5-9); node 10 tied to 0, 1 (first clique) and 5, 6 (second) */
    graph_link l[40];
    size_t m = 0;
    for (uint32_t c = 0; c < 2; c++)
        for (uint32_t a = 0; a < 5; a++)
            for (uint32_t b = a + 1; b < 5; b++)
                l[m++] = (graph_link)L(5 * c + a, 5 * c + b);
    l[m++] = (graph_link)L(10, 0);
    l[m++] = (graph_link)L(10, 1);
    l[m++] = (graph_link)L(10, 5);
    l[m++] = (graph_link)L(10, 6);
    graph_net *g = build(11, l, m, NULL);
    /* given communities: 10 with the first clique */
    uint32_t node[11], comm[11], size[2] = {6, 5};
    for (uint32_t v = 0; v < 11; v++) {
        node[v] = v;
        comm[v] = v >= 5 && v <= 9;
    }
    graph_communities cs = {.n = 11, .node = node, .community = comm, .count = 2, .size = size};
    graph_broker_opts o = {.communities = &cs};
    graph_brokers b;
    assert_int_equal(graph_brokers_get(g, &o, &arena, &b, &err), IOM_OK);
    /* 10: half its ties each way, P = 0.5; it lies on every path between the cliques
       except those through... none: it is the only bridge */
    assert_true(b.count >= 1);
    assert_int_equal(b.items[0].node, 10);
    assert_float_equal(b.items[0].participation, 0.5, 1e-12);
    assert_int_equal(b.items[0].communities, 2);
    assert_int_equal(b.items[0].community, 0);
    /* 0, 1, 5, 6 touch 10 (other community for 5, 6): P > 0; 2, 3, 4, 7, 8, 9 have every tie
       inside their clique: P = 0, never brokers */
    for (size_t i = 0; i < b.count; i++) {
        uint32_t v = b.items[i].node;
        assert_true(v == 10 || v == 0 || v == 1 || v == 5 || v == 6);
        assert_true(b.items[i].score > 0);
        if (i)
            assert_true(b.items[i].score <= b.items[i - 1].score);
    }
    o.top = 1;
    assert_int_equal(graph_brokers_get(g, &o, &arena, &b, &err), IOM_OK);
    assert_int_equal(b.count, 1);
    /* with Leiden's own communities, 10 still leads */
    graph_broker_opts o2 = {0};
    assert_int_equal(graph_brokers_get(g, &o2, &arena, &b, &err), IOM_OK);
    assert_int_equal(b.items[0].node, 10);
    /* communities of another network are refused */
    cs.n = 10;
    assert_int_equal(graph_brokers_get(g, &o, &arena, &b, &err), IOM_EINVAL);
    graph_free(g);
}

static void test_ring_of_cliques(void **st)
{
    (void)st;
    /* ten 10-cliques in a ring: both methods find the ten, Q = 10 (45/460 - (92/920)^2) */
    graph_link l[470];
    size_t m = 0;
    for (uint32_t c = 0; c < 10; c++) {
        for (uint32_t a = 0; a < 10; a++)
            for (uint32_t b = a + 1; b < 10; b++)
                l[m++] = (graph_link)L(10 * c + a, 10 * c + b);
        l[m++] = (graph_link)L(10 * c, (10 * c + 15) % 100);
    }
    for (graph_order order = GRAPH_ORDER_INPUT; order <= GRAPH_ORDER_LOCALITY; order++) {
        graph_options o = {.order = order};
        graph_net *g = build(100, l, m, &o);
        for (int method = 0; method < 2; method++) {
            graph_community_opts co = {.method = (graph_community_method)method, .seed = 3};
            graph_communities c;
            assert_int_equal(graph_communities_get(g, &co, &arena, &c, &err), IOM_OK);
            assert_int_equal(c.count, 10);
            assert_float_equal(c.modularity, 10 * (45.0 / 460 - 0.01), 1e-12);
            for (uint32_t v = 0; v < 100; v++) {
                assert_int_equal(c.community[v], c.community[v - v % 10]);
                assert_int_equal(c.size[c.community[v]], 10);
            }
            /* numbered by their smallest member when sizes tie */
            assert_int_equal(c.community[0], 0);
            assert_int_equal(c.community[10], 1);
            double q;
            assert_int_equal(graph_modularity(g, c.community, 1, &q, &err), IOM_OK);
            assert_float_equal(q, c.modularity, 1e-12);
        }
        graph_free(g);
    }
}

static void test_stats_components(void **st)
{
    (void)st;
    /* a triangle, a path of 4 (diameter 3), a pair, two isolated nodes */
    graph_link l[] = {L(0, 1), L(1, 2), L(2, 0), L(3, 4), L(4, 5), L(5, 6), L(7, 8)};
    graph_net *g = build(11, l, 7, NULL);
    graph_stats s;
    assert_int_equal(graph_stats_get(g, 0, 1, &s, &err), IOM_OK);
    assert_int_equal(s.components, 5);
    assert_int_equal(s.largest, 4);
    assert_int_equal(s.isolated, 2);
    assert_int_equal(s.diameter, 3);
    assert_float_equal(s.density, 7.0 / 55, 1e-12);
    graph_free(g);
    /* empty network */
    g = build(0, NULL, 0, NULL);
    assert_int_equal(graph_stats_get(g, 0, 1, &s, &err), IOM_OK);
    assert_int_equal(s.nodes, 0);
    assert_int_equal(s.components, 0);
    graph_central c;
    assert_int_equal(graph_central_get(g, NULL, &arena, &c, &err), IOM_OK);
    assert_int_equal(c.n, 0);
    graph_communities cm;
    assert_int_equal(graph_communities_get(g, NULL, &arena, &cm, &err), IOM_OK);
    assert_int_equal(cm.count, 0);
    graph_free(g);
}

/* Review 45: eigenvector centrality of a disconnected network (two like triangles and a path:
   no unique eigenvector) is the same at every call, whatever used igraph's random numbers in
   between (before: ARPACK's random start vector gave another answer each time). */
static void test_eigenvector_repeatable(void **st)
{
    (void)st;
    graph_link l[] = {L(0, 1), L(1, 2), L(2, 0), L(3, 4), L(4, 5), L(5, 3), L(6, 7), L(7, 8)};
    graph_net *g = build(9, l, 8, NULL);
    graph_central_opts o = {.measures = GRAPH_EIGENVECTOR};
    graph_central a, b;
    assert_int_equal(graph_central_get(g, &o, &arena, &a, &err), IOM_OK);
    for (int k = 0; k < 5; k++) {
        for (int i = 0; i < 1000; i++) /* another use of the random numbers */
            (void)igraph_rng_get_integer(igraph_rng_default(), 0, 1000);
        assert_int_equal(graph_central_get(g, &o, &arena, &b, &err), IOM_OK);
        for (uint32_t v = 0; v < 9; v++)
            assert_true(a.eigenvector[v] == b.eigenvector[v]);
    }
    graph_free(g);
}

/* ---- our sweep against igraph on random graphs ---- */

static void random_links(size_t n, size_t m, bool directed, bool weighted, unsigned seed,
                         graph_link *l)
{
    srand(seed);
    uint8_t *used = calloc(n * n, 1);
    for (size_t k = 0; k < m;) {
        uint32_t a = (uint32_t)(rand() % (int)n), b = (uint32_t)(rand() % (int)n);
        if (a == b || used[a * n + b] || (!directed && used[b * n + a]))
            continue;
        used[a * n + b] = 1;
        l[k++] = (graph_link){.from = a, .to = b, .directed = directed,
                              .weight = weighted ? 0.5 + (rand() % 1000) / 100.0 : 0};
    }
    free(used);
}

static void check_against_igraph(size_t n, size_t m, bool directed, bool weighted, unsigned seed,
                                 graph_order order)
{
    graph_link *l = calloc(m, sizeof *l);
    random_links(n, m, directed, weighted, seed, l);
    graph_options o = {.directed = directed, .weighted = weighted, .order = order};
    graph_net *g = build(n, l, m, &o);
    igraph_vector_int_t ev;
    igraph_vector_t len, bc, cl, sub;
    igraph_t ig;
    igraph_vector_int_init(&ev, (igraph_integer_t)(2 * m));
    igraph_vector_init(&len, (igraph_integer_t)m);
    for (size_t j = 0; j < m; j++) {
        VECTOR(ev)[2 * j] = l[j].from;
        VECTOR(ev)[2 * j + 1] = l[j].to;
        VECTOR(len)[j] = weighted ? 1.0 / l[j].weight : 1.0;
    }
    igraph_create(&ig, &ev, (igraph_integer_t)n, directed);
    igraph_vector_init(&bc, 0);
    igraph_vector_init(&cl, 0);
    igraph_vector_init(&sub, 0);
    assert_int_equal(igraph_betweenness(&ig, &bc, igraph_vss_all(), directed,
                                        weighted ? &len : NULL), IGRAPH_SUCCESS);
    igraph_vector_int_t reach;
    igraph_vector_int_init(&reach, 0);
    assert_int_equal(igraph_closeness(&ig, &cl, &reach, NULL, igraph_vss_all(), IGRAPH_IN,
                                      weighted ? &len : NULL, 1), IGRAPH_SUCCESS);
    double norm = directed ? 1.0 / ((n - 1.0) * (n - 2.0)) : 2.0 / ((n - 1.0) * (n - 2.0));
    /* PageRank against igraph's PRPACK (weights as strengths; random directed graphs have
       nodes without out-links) */
    igraph_vector_t pr, str;
    igraph_vector_init(&pr, 0);
    igraph_vector_init(&str, (igraph_integer_t)m);
    for (size_t j = 0; j < m; j++)
        VECTOR(str)[j] = weighted ? l[j].weight : 1.0;
    assert_int_equal(igraph_pagerank(&ig, IGRAPH_PAGERANK_ALGO_PRPACK, &pr, NULL, igraph_vss_all(),
                                     directed, 0.85, weighted ? &str : NULL, NULL), IGRAPH_SUCCESS);
    graph_central cp;
    graph_central_opts po = {.measures = GRAPH_PAGERANK, .threads = 2};
    assert_int_equal(graph_central_get(g, &po, &arena, &cp, &err), IOM_OK);
    for (size_t v = 0; v < n; v++)
        assert_float_equal(cp.pagerank[v], VECTOR(pr)[v], 1e-9);
    igraph_vector_destroy(&pr);
    igraph_vector_destroy(&str);
    for (int threads = 1; threads <= 2; threads++) {
        graph_central c;
        graph_central_opts co = {.measures = GRAPH_BETWEENNESS | GRAPH_CLOSENESS, .threads = threads};
        assert_int_equal(graph_central_get(g, &co, &arena, &c, &err), IOM_OK);
        for (size_t v = 0; v < n; v++) {
            double want = VECTOR(bc)[v] * norm;
            assert_float_equal(c.betweenness[v], want, 1e-9 * (1 + want));
            /* igraph: 1 / mean distance over the r - 1 reached; Wasserman-Faust scales it
               by (r - 1) / (n - 1) */
            double r1 = (double)VECTOR(reach)[v]; /* igraph's count leaves the node out */
            double wf = isnan(VECTOR(cl)[v]) ? 0 : VECTOR(cl)[v] * r1 / (n - 1.0);
            assert_float_equal(c.closeness[v], wf, 1e-9);
        }
    }
    /* from 16 sources: igraph's subset betweenness scaled by n / 16 */
    uint32_t *src;
    size_t ns;
    graph_sample_sources(g, 16, seed, &arena, &src, &ns);
    assert_int_equal(ns, 16);
    igraph_vector_int_t sv;
    igraph_vector_int_init(&sv, 16);
    for (int i = 0; i < 16; i++)
        VECTOR(sv)[i] = src[i];
    assert_int_equal(igraph_betweenness_subset(&ig, &sub, igraph_vss_all(), directed,
                                               igraph_vss_vector(&sv), igraph_vss_all(),
                                               weighted ? &len : NULL), IGRAPH_SUCCESS);
    graph_central c;
    graph_central_opts co = {.measures = GRAPH_BETWEENNESS, .sources = src, .n_sources = ns,
                             .threads = 2};
    assert_int_equal(graph_central_get(g, &co, &arena, &c, &err), IOM_OK);
    assert_true(c.estimated);
    double scale = (double)n / 16.0 * (directed ? 1.0 : 2.0) / ((n - 1.0) * (n - 2.0));
    for (size_t v = 0; v < n; v++) {
        double want = VECTOR(sub)[v] * scale;
        assert_float_equal(c.betweenness[v], want, 1e-9 * (1 + want));
    }
    igraph_vector_int_destroy(&sv);
    igraph_vector_int_destroy(&reach);
    igraph_vector_destroy(&bc);
    igraph_vector_destroy(&cl);
    igraph_vector_destroy(&sub);
    igraph_vector_destroy(&len);
    igraph_vector_int_destroy(&ev);
    igraph_destroy(&ig);
    graph_free(g);
    free(l);
}

static void test_sweep_vs_igraph(void **st)
{
    (void)st;
    for (graph_order order = GRAPH_ORDER_INPUT; order <= GRAPH_ORDER_LOCALITY; order++) {
        check_against_igraph(60, 150, false, false, 1, order);
        check_against_igraph(60, 200, true, false, 2, order);
        check_against_igraph(60, 150, false, true, 3, order);
        check_against_igraph(60, 220, true, true, 4, order);
        /* big enough that two threads really start (work >= 2e6) */
        check_against_igraph(1500, 6000, false, false, 5, order);
        check_against_igraph(1200, 6000, true, true, 6, order);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_paths, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paths_weighted_directed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ego, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyplayers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyplayers_random, setup, teardown),
        cmocka_unit_test_setup_teardown(test_brokers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ring_of_cliques, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stats_components, setup, teardown),
        cmocka_unit_test_setup_teardown(test_eigenvector_repeatable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sweep_vs_igraph, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
