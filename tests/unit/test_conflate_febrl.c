/*
 * Accuracy of `iom conflate` on the FEBRL benchmarks (tests/data/febrl), unsupervised, at the
 * default threshold. Issue 6 acceptance: FEBRL4 (4a against 4b) F1 >= 0.9995, FEBRL3 (dedupe)
 * F1 >= 0.995. FEBRL1/2 and Splink's fake_1000 are reported (and held to a floor so a
 * regression shows). Truth: the N of rec-N-... (tests/data/README.md).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "conflate/conflate.h"
#include "synth/synth.h"

#define ER IOM_TEST_DATA_DIR "/"

static const conflate_field_map febrl_fields[] = {
    {"first_name", "given_name"}, {"surname", "surname"},       {"dob", "date_of_birth"},
    {"town", "suburb"},           {"postcode", "postcode"},     {"address", "address_1"},
    {"generic:street_number", "street_number"}, {"generic:address_2", "address_2"},
    {"generic:state", "state"}, {"generic:soc_sec_id", "soc_sec_id"},
};

static conflate_synth_score run(conflate_mode mode, const char *const *files, size_t nfiles, int febrl)
{
    conflate_options o;
    conflate_options_default(&o);
    o.mode = mode;
    if (febrl) {
        o.fields = febrl_fields;
        o.nfields = sizeof febrl_fields / sizeof febrl_fields[0];
    }
    conflate_engine *eng;
    iom_error e;
    iom_error_clear(&e);
    assert_int_equal(conflate_new(&eng, &o, &e), IOM_OK);
    for (size_t i = 0; i < nfiles; i++) {
        iom_err rc = conflate_add_csv(eng, files[i], NULL, &e);
        if (rc)
            fail_msg("%s", e.msg);
    }
    assert_int_equal(conflate_run(eng, &e), IOM_OK);
    size_t n = conflate_record_count(eng);
    uint64_t *truth = malloc(n * sizeof *truth), *cl = malloc(n * sizeof *cl);
    for (size_t i = 0; i < n; i++) {
        cl[i] = conflate_record_cluster(eng, i);
        truth[i] = febrl ? strtoull(conflate_record_id(eng, i) + 4, NULL, 10) : i;
    }
    if (!febrl) { /* fake_1000: the truth is its cluster column, in file order */
        FILE *f = fopen(files[0], "r");
        char line[512];
        size_t k = 0;
        assert_non_null(f);
        assert_non_null(fgets(line, sizeof line, f));
        while (k < n && fgets(line, sizeof line, f))
            truth[k++] = strtoull(strrchr(line, ',') + 1, NULL, 10);
        fclose(f);
    }
    conflate_synth_score r;
    assert_int_equal(conflate_synth_pairwise(truth, cl, n, &r, &e), IOM_OK);
    conflate_stats s;
    conflate_get_stats(eng, &s);
    printf("  %-28s records %5llu candidates %8llu  P %.5f R %.5f F1 %.5f\n", files[nfiles - 1] + strlen(ER),
           (unsigned long long)s.records, (unsigned long long)s.candidate_pairs, r.precision,
           r.recall, r.f1);
    free(truth);
    free(cl);
    conflate_free(eng);
    return r;
}

static void test_febrl4_link(void **st)
{
    (void)st;
    const char *f[] = {ER "febrl/dataset4a.csv", ER "febrl/dataset4b.csv"};
    conflate_synth_score r = run(CONFLATE_LINK_ONLY, f, 2, 1);
    assert_true(r.f1 >= 0.9995);
}

static void test_febrl3_dedupe(void **st)
{
    (void)st;
    const char *f[] = {ER "febrl/dataset3.csv"};
    conflate_synth_score r = run(CONFLATE_DEDUPE_ONLY, f, 1, 1);
    assert_true(r.f1 >= 0.995);
}

static void test_febrl1_2_and_fake_1000(void **st)
{
    (void)st;
    const char *f1[] = {ER "febrl/dataset1.csv"}, *f2[] = {ER "febrl/dataset2.csv"};
    const char *fk[] = {ER "splink/fake_1000.csv"};
    assert_true(run(CONFLATE_DEDUPE_ONLY, f1, 1, 1).f1 >= 0.99);
    assert_true(run(CONFLATE_DEDUPE_ONLY, f2, 1, 1).f1 >= 0.99);
    assert_true(run(CONFLATE_DEDUPE_ONLY, fk, 1, 0).f1 >= 0.85);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_febrl4_link),
        cmocka_unit_test(test_febrl3_dedupe),
        cmocka_unit_test(test_febrl1_2_and_fake_1000),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
