/*
 * Zachary's karate club, unweighted, against tests/fixtures/graph_karate.csv, which
 * tests/fixtures/graph_karate.py writes with python3-networkx (Debian 12, 2.8.8; the command
 * is in its header): degree, normalised betweenness, closeness, eigenvector centrality
 * (largest = 1) and PageRank (0.85) to 1e-6; Louvain and Leiden modularity at least that of
 * networkx's best Louvain run over ten seeds.
 */
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

#define FIXTURE IOM_SOURCE_DIR "/tests/fixtures/graph_karate.csv"
#define N 34
#define TOL 1e-6

static graph_link links[100];
static size_t nlinks;
static double ref[N][6]; /* degree, degree centrality, betweenness, closeness, eigenvector, PR */
static double ref_modularity;

static void load_fixture(void)
{
    FILE *f = fopen(FIXTURE, "r");
    assert_non_null(f);
    char line[512];
    int nodes = 0;
    while (fgets(line, sizeof line, f)) {
        int u, v, i;
        double d[6];
        if (sscanf(line, "edge,%d,%d", &u, &v) == 2) {
            assert_true(nlinks < 100);
            links[nlinks++] = (graph_link){.from = (uint32_t)u, .to = (uint32_t)v};
        } else if (sscanf(line, "node,%d,%lf,%lf,%lf,%lf,%lf,%lf", &i, &d[0], &d[1], &d[2], &d[3],
                          &d[4], &d[5]) == 7) {
            assert_true(i >= 0 && i < N);
            memcpy(ref[i], d, sizeof d);
            nodes++;
        } else if (strncmp(line, "modularity,", 11) == 0) {
            ref_modularity = atof(strrchr(line, ',') + 1);
        }
    }
    fclose(f);
    assert_int_equal(nlinks, 78);
    assert_int_equal(nodes, N);
    assert_true(ref_modularity > 0.4);
}

static graph_net *karate_in(graph_order order)
{
    graph_net *g = NULL;
    iom_error e;
    iom_error_clear(&e);
    graph_options o = {.order = order};
    assert_int_equal(graph_build(&g, NULL, N, links, nlinks, NULL, &o, &e), IOM_OK);
    return g;
}

static graph_net *karate(void)
{
    return karate_in(GRAPH_ORDER_AUTO);
}

static void test_centralities(void **st)
{
    (void)st;
    iom_arena a;
    iom_arena_init(&a);
    iom_error e;
    iom_error_clear(&e);
    graph_central c;
    /* the same answers whatever the memory layout (order.c) */
    for (int threads = 1; threads <= 4; threads++) {
        graph_net *g = karate_in(threads <= 2 ? GRAPH_ORDER_INPUT : GRAPH_ORDER_LOCALITY);
        graph_central_opts o = {.threads = 1 + (threads + 1) % 2};
        assert_int_equal(graph_central_get(g, &o, &a, &c, &e), IOM_OK);
        assert_int_equal(c.n, N);
        assert_false(c.estimated);
        for (int i = 0; i < N; i++) {
            assert_int_equal(c.node[i], i);
            assert_int_equal(c.degree[i], (int)ref[i][0]);
            assert_float_equal(c.strength[i], ref[i][0], 0);
            assert_float_equal(c.degree_c[i], ref[i][1], TOL);
            assert_float_equal(c.betweenness[i], ref[i][2], TOL);
            assert_float_equal(c.closeness[i], ref[i][3], TOL);
            assert_float_equal(c.eigenvector[i], ref[i][4], TOL);
            assert_float_equal(c.pagerank[i], ref[i][5], TOL);
        }
        graph_free(g);
    }
    graph_net *g = karate();
    /* only some measures: the others stay NULL */
    graph_central_opts o = {.measures = GRAPH_PAGERANK};
    assert_int_equal(graph_central_get(g, &o, &a, &c, &e), IOM_OK);
    assert_null(c.betweenness);
    assert_null(c.degree);
    assert_non_null(c.pagerank);
    /* every node a source: the "estimate" is exact */
    uint32_t *src;
    size_t ns;
    graph_sample_sources(g, 1000, 7, &a, &src, &ns);
    assert_int_equal(ns, N);
    graph_central_opts all = {.measures = GRAPH_BETWEENNESS, .sources = src, .n_sources = ns};
    assert_int_equal(graph_central_get(g, &all, &a, &c, &e), IOM_OK);
    assert_false(c.estimated);
    for (int i = 0; i < N; i++)
        assert_float_equal(c.betweenness[i], ref[i][2], TOL);
    iom_arena_free(&a);
    graph_free(g);
}

static void test_communities(void **st)
{
    (void)st;
    iom_arena a;
    iom_arena_init(&a);
    iom_error e;
    iom_error_clear(&e);
    for (int m = 0; m < 4; m++) {
        graph_net *g = karate_in(m < 2 ? GRAPH_ORDER_INPUT : GRAPH_ORDER_LOCALITY);
        graph_community_opts o = {.method = m % 2 ? GRAPH_LOUVAIN : GRAPH_LEIDEN, .seed = 1,
                                  .restarts = 10};
        graph_communities c;
        assert_int_equal(graph_communities_get(g, &o, &a, &c, &e), IOM_OK);
        printf("# %s: %zu communities, modularity %.6f (networkx best of 10: %.6f)\n",
               m % 2 ? "Louvain" : "Leiden", c.count, c.modularity, ref_modularity);
        assert_true(c.modularity >= ref_modularity - 1e-9);
        /* the reported modularity is the partition's, sizes add up, largest first */
        double q;
        assert_int_equal(graph_modularity(g, c.community, 1.0, &q, &e), IOM_OK);
        assert_float_equal(q, c.modularity, 1e-12);
        uint32_t total = 0;
        for (size_t k = 0; k < c.count; k++) {
            total += c.size[k];
            if (k)
                assert_true(c.size[k] <= c.size[k - 1]);
        }
        assert_int_equal(total, N);
        /* the same seed gives the same partition */
        graph_communities c2;
        assert_int_equal(graph_communities_get(g, &o, &a, &c2, &e), IOM_OK);
        assert_memory_equal(c.community, c2.community, N * sizeof *c.community);
        graph_free(g);
    }
    iom_arena_free(&a);
}

static void test_stats(void **st)
{
    (void)st;
    graph_net *g = karate();
    iom_error e;
    iom_error_clear(&e);
    graph_stats s;
    assert_int_equal(graph_stats_get(g, 0, 2, &s, &e), IOM_OK);
    assert_int_equal(s.nodes, N);
    assert_int_equal(s.edges, 78);
    assert_int_equal(s.links, 78);
    assert_int_equal(s.components, 1);
    assert_int_equal(s.largest, N);
    assert_int_equal(s.isolated, 0);
    assert_int_equal(s.diameter, 5); /* networkx: diameter(karate_club_graph()) == 5 */
    assert_float_equal(s.density, 78.0 / (34 * 33 / 2), 1e-12);
    /* over the limit: not computed */
    assert_int_equal(graph_stats_get(g, 10, 1, &s, &e), IOM_OK);
    assert_int_equal(s.diameter, -1);
    graph_free(g);
}

int main(void)
{
    load_fixture();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_centralities),
        cmocka_unit_test(test_communities),
        cmocka_unit_test(test_stats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
