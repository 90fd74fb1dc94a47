/*
 * The engine's results do not depend on the number of threads: synthetic people (enough
 * records that blocking, not the all-pairs path, makes the candidates) are conflated with
 * 1, 2 and 3 threads, and the clusters, every scored pair with its weights (--pairs file)
 * and the model's statistics must be identical. A run on other data in between must not
 * change them either (the calling thread's comparison memo outlives an engine).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conflate/conflate.h"
#include "synth/synth.h"

static char *path_in(const char *dir, const char *name)
{
    size_t l = strlen(dir) + strlen(name) + 2;
    char *p = malloc(l);
    assert_non_null(p);
    snprintf(p, l, "%s/%s", dir, name);
    return p;
}


typedef struct outcome {
    conflate_stats st;
    uint64_t *cluster;
    size_t n;
    char *pairs, *clusters;
    size_t npairs_bytes, nclusters_bytes;
    double f1;
} outcome;

static void run(const char *dir, int threads, outcome *out)
{
    conflate_options o;
    conflate_options_default(&o);
    o.threads = threads;
    conflate_engine *eng = NULL;
    iom_error e = {0};
    assert_int_equal(conflate_new(&eng, &o, &e), IOM_OK);
    for (int s = 0; s < CONFLATE_SYNTH_NSOURCES; s++) {
        char *p = path_in(dir, conflate_synth_source_file(s));
        assert_int_equal(conflate_add_csv(eng, p, NULL, &e), IOM_OK);
        free(p);
    }
    assert_int_equal(conflate_run(eng, &e), IOM_OK);
    conflate_get_stats(eng, &out->st);
    out->n = conflate_record_count(eng);
    out->cluster = malloc(out->n * sizeof *out->cluster);
    assert_non_null(out->cluster);
    for (size_t i = 0; i < out->n; i++)
        out->cluster[i] = conflate_record_cluster(eng, i);
    char *pp = path_in(dir, "pairs.csv"), *cp = path_in(dir, "clusters.csv");
    assert_int_equal(conflate_write_pairs(eng, pp, &e), IOM_OK);
    assert_int_equal(conflate_write_clusters(eng, cp, &e), IOM_OK);
    out->pairs = t_slurp(pp, &out->npairs_bytes);
    out->clusters = t_slurp(cp, &out->nclusters_bytes);
    /* accuracy against the generator's truth: the runs compared must be worth comparing */
    conflate_synth_truth *t = NULL;
    char *tp = path_in(dir, "truth.csv");
    assert_int_equal(conflate_synth_truth_load(&t, tp, &e), IOM_OK);
    uint64_t *tr = malloc(out->n * sizeof *tr);
    assert_non_null(tr);
    for (size_t i = 0; i < out->n; i++)
        tr[i] = conflate_synth_truth_person(t, conflate_record_id(eng, i));
    conflate_synth_score sc;
    assert_int_equal(conflate_synth_pairwise(tr, out->cluster, out->n, &sc, &e), IOM_OK);
    out->f1 = sc.f1;
    free(tr);
    conflate_synth_truth_free(t);
    unlink(pp);
    unlink(cp);
    free(pp);
    free(cp);
    free(tp);
    conflate_free(eng);
}

static void outcome_free(outcome *o)
{
    free(o->cluster);
    free(o->pairs);
    free(o->clusters);
}

static char *make_data(const char *tag, uint64_t people, uint64_t seed)
{
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char tmpl[512];
    snprintf(tmpl, sizeof tmpl, "%s/iom-conflate-%s-XXXXXX", tmp, tag);
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    conflate_synth_config cfg = conflate_synth_config_default();
    cfg.n_people = people;
    cfg.seed = seed;
    conflate_synth_stats ss;
    iom_error e = {0};
    assert_int_equal(conflate_synth_write(&cfg, dir, &ss, &e), IOM_OK);
    char *d = strdup(dir);
    assert_non_null(d);
    return d;
}

static void remove_data(char *dir)
{
    static const char *const names[] = {"source_a.csv", "source_b.csv", "source_c.csv",
                                        "truth.csv"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *p = path_in(dir, names[i]);
        unlink(p);
        free(p);
    }
    assert_int_equal(rmdir(dir), 0);
    free(dir);
}

static void test_same_results_for_any_thread_count(void **state)
{
    (void)state;
    /* about 42,000 records: blocking (not all pairs) makes the candidates, and reading
     * hands full batches of 32,768 rows to a helper thread */
    char *dir = make_data("threads", 20000, 11);
    char *other = make_data("other", 3000, 12);

    outcome one, two, three, between, again;
    run(dir, 1, &one);
    run(other, 1, &between); /* fills this thread's memo with another engine's values */
    run(dir, 1, &again);
    run(dir, 2, &two);
    run(dir, 3, &three);

    assert_true(one.n > 40000);
    assert_true(one.st.possible_pairs > 1000000); /* the blocking path, not all pairs */
    assert_true(one.st.candidate_pairs > one.n / 2);
    assert_true(one.f1 > 0.9);
    assert_true(between.f1 > 0.9);
    const outcome *others[] = {&again, &two, &three};
    for (size_t k = 0; k < 3; k++) {
        const outcome *o = others[k];
        assert_int_equal(o->n, one.n);
        assert_memory_equal(o->cluster, one.cluster, one.n * sizeof *one.cluster);
        assert_int_equal(o->st.candidate_pairs, one.st.candidate_pairs);
        assert_int_equal(o->st.clusters, one.st.clusters);
        assert_int_equal(o->st.linked_pairs, one.st.linked_pairs);
        assert_int_equal(o->st.patterns, one.st.patterns);
        assert_int_equal(o->st.em_iterations, one.st.em_iterations);
        assert_true(o->st.lambda == one.st.lambda);
        assert_int_equal(o->npairs_bytes, one.npairs_bytes);
        assert_memory_equal(o->pairs, one.pairs, one.npairs_bytes);
        assert_int_equal(o->nclusters_bytes, one.nclusters_bytes);
        assert_memory_equal(o->clusters, one.clusters, one.nclusters_bytes);
    }
    outcome_free(&one);
    outcome_free(&two);
    outcome_free(&three);
    outcome_free(&between);
    outcome_free(&again);
    remove_data(dir);
    remove_data(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_results_for_any_thread_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
