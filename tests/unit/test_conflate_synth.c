/*
 * Tests of the synthetic people generator and the project's one pairwise F1 scorer
 * (tests/support/synth/synth.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <csv.h>

#include "synth/synth.h"
#include "util/text.h"

/* ---- helpers ------------------------------------------------------------------------ */

typedef struct digest {
    uint64_t h;
    uint64_t n;
} digest;

static void digest_bytes(digest *d, const char *s)
{
    for (; *s; s++)
        d->h = (d->h ^ (unsigned char)*s) * 0x100000001b3ULL;
    d->h = (d->h ^ 0xff) * 0x100000001b3ULL; /* field separator */
}

static iom_err digest_record(void *ud, const conflate_synth_record *r, iom_error *err)
{
    (void)err;
    digest *d = ud;
    digest_bytes(d, r->record_id);
    for (int f = 0; f < CONFLATE_SYNTH_NFIELDS; f++)
        digest_bytes(d, r->field[f]);
    d->h ^= r->person_id * 0x9e3779b97f4a7c15ULL;
    d->n++;
    return IOM_OK;
}

static digest run_digest(uint64_t n, uint64_t seed)
{
    conflate_synth_config c = conflate_synth_config_default();
    c.n_people = n;
    c.seed = seed;
    digest d = {0xcbf29ce484222325ULL, 0};
    iom_error e = {0};
    assert_int_equal(conflate_synth_generate(&c, digest_record, &d, &e), IOM_OK);
    return d;
}

static char *make_tmpdir(void)
{
    char tmpl[] = "/tmp/iom-synth-XXXXXX";
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    return strdup(d);
}

static char *path_in(const char *dir, const char *name)
{
    size_t l = strlen(dir) + strlen(name) + 2;
    char *p = malloc(l);
    snprintf(p, l, "%s/%s", dir, name);
    return p;
}


static void rm_dir(const char *dir)
{
    static const char *const names[] = {"source_a.csv", "source_b.csv", "source_c.csv",
                                        "truth.csv", "clusters.csv"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *p = path_in(dir, names[i]);
        unlink(p);
        free(p);
    }
    rmdir(dir);
}

/* ---- determinism ---------------------------------------------------------------------- */

static void test_deterministic_for_seed(void **state)
{
    (void)state;
    digest a = run_digest(3000, 42), b = run_digest(3000, 42), c = run_digest(3000, 43);
    assert_true(a.n > 3000);
    assert_int_equal(a.n, b.n);
    assert_true(a.h == b.h);
    assert_true(a.h != c.h);
}

static void test_files_identical_for_seed(void **state)
{
    (void)state;
    conflate_synth_config c = conflate_synth_config_default();
    c.n_people = 1500;
    c.seed = 7;
    char *d1 = make_tmpdir(), *d2 = make_tmpdir();
    iom_error e = {0};
    assert_int_equal(conflate_synth_write(&c, d1, NULL, &e), IOM_OK);
    assert_int_equal(conflate_synth_write(&c, d2, NULL, &e), IOM_OK);
    static const char *const names[] = {"source_a.csv", "source_b.csv", "source_c.csv",
                                        "truth.csv"};
    for (int i = 0; i < 4; i++) {
        char *p1 = path_in(d1, names[i]), *p2 = path_in(d2, names[i]);
        size_t l1, l2;
        char *b1 = t_slurp(p1, &l1), *b2 = t_slurp(p2, &l2);
        assert_int_equal(l1, l2);
        assert_memory_equal(b1, b2, l1);
        free(b1);
        free(b2);
        free(p1);
        free(p2);
    }
    rm_dir(d1);
    rm_dir(d2);
    free(d1);
    free(d2);
}

/* ---- rates ---------------------------------------------------------------------------- */

typedef struct rate_ctx {
    conflate_synth_stats st;
    uint8_t *sources; /* per person: bit s = in source s */
    uint64_t families_bad; /* family pairs in one source that differ in shared fields */
} rate_ctx;

static iom_err rate_record(void *ud, const conflate_synth_record *r, iom_error *err)
{
    (void)err;
    rate_ctx *c = ud;
    conflate_synth_stats_add(&c->st, r);
    c->sources[r->person_id - 1] |= (uint8_t)(1u << r->source);
    return IOM_OK;
}

/* |measured - expected| within 5 standard errors (plus a hair for rounding). */
static void assert_rate(const char *what, uint64_t hits, uint64_t trials, double p)
{
    assert_true(trials > 500);
    double m = (double)hits / (double)trials;
    double tol = 5.0 * sqrt(p * (1.0 - p) / (double)trials) + 1e-9;
    if (fabs(m - p) > tol)
        fail_msg("%s: measured %.4f over %llu, configured %.4f (tolerance %.4f)", what, m,
                 (unsigned long long)trials, p, tol);
}

static void test_rates_match_config(void **state)
{
    (void)state;
    conflate_synth_config c = conflate_synth_config_default();
    c.n_people = 20000;
    c.seed = 2024;
    rate_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.sources = calloc(c.n_people, 1);
    iom_error e = {0};
    assert_int_equal(conflate_synth_generate(&c, rate_record, &ctx, &e), IOM_OK);
    const conflate_synth_stats *st = &ctx.st;
    for (int f = 0; f < CONFLATE_SYNTH_NFIELDS; f++) {
        const char *name = conflate_synth_field_name((conflate_synth_field)f);
        assert_rate(name, st->field_missing[f], st->field_eligible[f], c.missing_rate[f]);
        uint64_t present = st->field_eligible[f] - st->field_missing[f];
        if (c.typo_rate[f] > 0)
            assert_rate(name, st->field_typo[f], present, c.typo_rate[f]);
        else
            assert_int_equal(st->field_typo[f], 0);
    }
    assert_rate("nickname", st->nickname, st->nickname_eligible, c.nickname_rate);
    assert_rate("swap_names", st->swap_names, st->records, c.swap_names_rate);
    assert_rate("moved", st->moved, st->records, c.moved_rate);
    assert_rate("new_phone", st->new_phone, st->records, c.new_phone_rate);
    assert_rate("dob_swap", st->dob_swap, st->dob_swap_eligible, c.dob_swap_rate);
    /* Sources per person: 1, 2, 3 with sources_p; each source about a third of records. */
    uint64_t k[4] = {0};
    for (uint64_t p = 0; p < c.n_people; p++)
        k[__builtin_popcount(ctx.sources[p])]++;
    assert_int_equal(k[0], 0);
    for (int i = 1; i <= 3; i++)
        assert_rate("sources per person", k[i], c.n_people, c.sources_p[i - 1]);
    uint64_t appearances = st->records - st->duplicates;
    assert_rate("duplicate", st->duplicates, appearances, c.duplicate_rate);
    for (int s = 0; s < CONFLATE_SYNTH_NSOURCES; s++)
        assert_rate("source share", st->records_by_source[s], st->records, 1.0 / 3.0);
    free(ctx.sources);
}

static void test_rates_follow_config_changes(void **state)
{
    (void)state;
    conflate_synth_config c = conflate_synth_config_default();
    c.n_people = 5000;
    c.typo_rate[CONFLATE_SYNTH_SURNAME] = 0.30;
    c.missing_rate[CONFLATE_SYNTH_PHONE] = 0.0;
    c.swap_names_rate = 0.0;
    c.family_rate = 0.0;
    rate_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.sources = calloc(c.n_people, 1);
    iom_error e = {0};
    assert_int_equal(conflate_synth_generate(&c, rate_record, &ctx, &e), IOM_OK);
    const conflate_synth_stats *st = &ctx.st;
    assert_rate("surname typo 0.30", st->field_typo[CONFLATE_SYNTH_SURNAME],
                st->field_eligible[CONFLATE_SYNTH_SURNAME] -
                    st->field_missing[CONFLATE_SYNTH_SURNAME],
                0.30);
    assert_int_equal(st->field_missing[CONFLATE_SYNTH_PHONE], 0);
    assert_int_equal(st->swap_names, 0);
    free(ctx.sources);
}

/* Families: members share surname, home address and birth year, and are distinct people. */
typedef struct fam_ctx {
    uint64_t fam_records, fam_people_seen;
    uint64_t *fam_of; /* person -> family */
} fam_ctx;

static iom_err fam_record(void *ud, const conflate_synth_record *r, iom_error *err)
{
    (void)err;
    fam_ctx *c = ud;
    if (r->family_id) {
        c->fam_records++;
        c->fam_of[r->person_id - 1] = r->family_id;
    }
    return IOM_OK;
}

typedef struct same_ctx {
    uint64_t person[101];
    char surname[101][64], address[101][96], year[101][8];
    int checked;
} same_ctx;

/* Source A (ISO dates): every family member's record agrees with the first seen member's. */
static iom_err same_record(void *ud, const conflate_synth_record *r, iom_error *err)
{
    (void)err;
    same_ctx *c = ud;
    if (r->source != 0 || r->family_id == 0 || r->family_id > 100)
        return IOM_OK;
    uint64_t f = r->family_id;
    if (c->person[f] == 0) {
        c->person[f] = r->person_id;
        snprintf(c->surname[f], 64, "%s", r->field[CONFLATE_SYNTH_SURNAME]);
        snprintf(c->address[f], 96, "%s", r->field[CONFLATE_SYNTH_ADDRESS]);
        snprintf(c->year[f], 8, "%.4s", r->field[CONFLATE_SYNTH_DOB]);
    } else if (c->person[f] != r->person_id) {
        assert_string_equal(c->surname[f], r->field[CONFLATE_SYNTH_SURNAME]);
        assert_string_equal(c->address[f], r->field[CONFLATE_SYNTH_ADDRESS]);
        assert_memory_equal(c->year[f], r->field[CONFLATE_SYNTH_DOB], 4);
        c->checked++;
    }
    return IOM_OK;
}

static void test_families_are_hard_negatives(void **state)
{
    (void)state;
    conflate_synth_config c = conflate_synth_config_default();
    c.n_people = 8000;
    fam_ctx ctx = {0, 0, calloc(c.n_people, sizeof(uint64_t))};
    iom_error e = {0};
    assert_int_equal(conflate_synth_generate(&c, fam_record, &ctx, &e), IOM_OK);
    /* Expected share of people in families: family_rate * E[size] / 4 = 0.2 * 3 / 4. */
    uint64_t in = 0;
    for (uint64_t p = 0; p < c.n_people; p++)
        in += ctx.fam_of[p] != 0;
    double share = (double)in / (double)c.n_people;
    assert_true(share > 0.12 && share < 0.18);
    /* Families are made of consecutive ids within a block of 4 and have >= 2 members. */
    for (uint64_t p = 0; p < c.n_people; p++)
        if (ctx.fam_of[p])
            assert_int_equal(ctx.fam_of[p], p / 4 + 1);
    free(ctx.fam_of);

    /* With every corruption off, members' records show one surname, address and year. */
    conflate_synth_config q = conflate_synth_config_default();
    q.n_people = 400;
    memset(q.missing_rate, 0, sizeof q.missing_rate);
    memset(q.typo_rate, 0, sizeof q.typo_rate);
    q.nickname_rate = q.swap_names_rate = q.moved_rate = q.new_phone_rate = 0;
    q.dob_swap_rate = 0;
    q.family_rate = 1.0;
    same_ctx sc;
    memset(&sc, 0, sizeof sc);
    assert_int_equal(conflate_synth_generate(&q, same_record, &sc, &e), IOM_OK);
    assert_true(sc.checked > 50);
}

/* ---- file format -------------------------------------------------------------------- */

typedef struct csv_check {
    size_t fields, rows, bad_rows;
    char first_id;
} csv_check;

static void cc_field(void *s, size_t len, void *ud)
{
    (void)s;
    (void)len;
    ((csv_check *)ud)->fields++;
}

static void cc_row(int c, void *ud)
{
    (void)c;
    csv_check *k = ud;
    if (k->fields != 11)
        k->bad_rows++;
    k->rows++;
    k->fields = 0;
}

static void test_files_are_utf8_rfc4180(void **state)
{
    (void)state;
    conflate_synth_config c = conflate_synth_config_default();
    c.n_people = 4000;
    c.seed = 99;
    char *dir = make_tmpdir();
    conflate_synth_stats st;
    iom_error e = {0};
    assert_int_equal(conflate_synth_write(&c, dir, &st, &e), IOM_OK);
    assert_int_equal(st.people, 4000);
    size_t rows = 0;
    bool saw_non_ascii = false, saw_quote = false;
    for (int s = 0; s < CONFLATE_SYNTH_NSOURCES; s++) {
        char *p = path_in(dir, conflate_synth_source_file(s));
        size_t len;
        char *data = t_slurp(p, &len);
        assert_true(iom_utf8_valid(data, len));
        assert_int_equal(strncmp(data, "record_id,first_name,middle_name,surname,dob,sex,address,"
                                       "postcode,town,phone,email\n", 82), 0);
        for (size_t i = 0; i < len; i++) {
            saw_non_ascii |= (unsigned char)data[i] >= 0x80;
            saw_quote |= data[i] == '"';
        }
        struct csv_parser cp;
        assert_int_equal(csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI), 0);
        csv_check k = {0, 0, 0, 0};
        assert_int_equal(csv_parse(&cp, data, len, cc_field, cc_row, &k), len);
        assert_int_equal(csv_fini(&cp, cc_field, cc_row, &k), 0);
        csv_free(&cp);
        assert_int_equal(k.bad_rows, 0);
        assert_int_equal(k.rows - 1, st.records_by_source[s]);
        rows += k.rows - 1;
        free(data);
        free(p);
    }
    assert_int_equal(rows, st.records);
    assert_true(saw_non_ascii); /* Seán, Siân, Zoë */
    assert_true(saw_quote);     /* "Flat 3, 12 High Street" */
    char *tp = path_in(dir, "truth.csv");
    conflate_synth_truth *t = NULL;
    assert_int_equal(conflate_synth_truth_load(&t, tp, &e), IOM_OK);
    assert_int_equal(conflate_synth_truth_count(t), st.records);
    assert_true(conflate_synth_truth_person(t, "A000000001") >= 1);
    assert_int_equal(conflate_synth_truth_person(t, "Z000000001"), 0);
    conflate_synth_truth_free(t);
    free(tp);
    rm_dir(dir);
    free(dir);
}

static void test_config_check(void **state)
{
    (void)state;
    iom_error e = {0};
    conflate_synth_config c = conflate_synth_config_default();
    assert_int_equal(conflate_synth_config_check(&c, &e), IOM_OK);
    c.typo_rate[CONFLATE_SYNTH_EMAIL] = 1.5;
    assert_int_equal(conflate_synth_config_check(&c, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "typo_rate[email]"));
    c = conflate_synth_config_default();
    c.sources_p[0] = 0.5;
    assert_int_equal(conflate_synth_config_check(&c, &e), IOM_EINVAL);
    c = conflate_synth_config_default();
    c.n_people = 0;
    assert_int_equal(conflate_synth_generate(&c, digest_record, NULL, &e), IOM_EINVAL);
    c = conflate_synth_config_default();
    assert_int_equal(conflate_synth_write(&c, "/nonexistent/dir", NULL, &e), IOM_EIO);
    assert_non_null(strstr(e.msg, "/nonexistent/dir/source_a.csv"));
}

/* ---- pairwise F1 -------------------------------------------------------------------- */

static void test_pairwise_hand_made(void **state)
{
    (void)state;
    iom_error e = {0};
    conflate_synth_score s;
    const uint64_t person[5] = {1, 1, 1, 2, 2};
    /* Perfect. */
    const uint64_t perfect[5] = {10, 10, 10, 20, 20};
    assert_int_equal(conflate_synth_pairwise(person, perfect, 5, &s, &e), IOM_OK);
    assert_int_equal(s.true_pairs, 4);
    assert_int_equal(s.predicted_pairs, 4);
    assert_int_equal(s.correct_pairs, 4);
    assert_true(s.f1 == 1.0 && s.precision == 1.0 && s.recall == 1.0);
    /* All singletons: nothing predicted, recall 0, F1 0. */
    const uint64_t single[5] = {1, 2, 3, 4, 5};
    assert_int_equal(conflate_synth_pairwise(person, single, 5, &s, &e), IOM_OK);
    assert_int_equal(s.predicted_pairs, 0);
    assert_true(s.recall == 0.0 && s.precision == 1.0 && s.f1 == 0.0);
    /* {0,1} {2,3,4}: predicted 1 + 3, correct 1 + 1 (records 3,4), P = R = 0.5. */
    const uint64_t split[5] = {7, 7, 9, 9, 9};
    assert_int_equal(conflate_synth_pairwise(person, split, 5, &s, &e), IOM_OK);
    assert_int_equal(s.predicted_pairs, 4);
    assert_int_equal(s.correct_pairs, 2);
    assert_true(fabs(s.precision - 0.5) < 1e-12 && fabs(s.recall - 0.5) < 1e-12);
    assert_true(fabs(s.f1 - 0.5) < 1e-12);
    /* One big cluster: predicted 10, correct 4, P = 0.4, R = 1, F1 = 0.8 / 1.4. */
    const uint64_t one[5] = {3, 3, 3, 3, 3};
    assert_int_equal(conflate_synth_pairwise(person, one, 5, &s, &e), IOM_OK);
    assert_int_equal(s.predicted_pairs, 10);
    assert_true(fabs(s.f1 - 0.8 / 1.4) < 1e-12);
    /* Order does not matter; ids may be large. */
    const uint64_t p2[5] = {2, 1, 2, 1, 1};
    const uint64_t c2[5] = {UINT64_MAX, 5, UINT64_MAX, 5, 5};
    assert_int_equal(conflate_synth_pairwise(p2, c2, 5, &s, &e), IOM_OK);
    assert_true(s.f1 == 1.0);
    /* Empty input and NULL arrays. */
    assert_int_equal(conflate_synth_pairwise(NULL, NULL, 0, &s, &e), IOM_OK);
    assert_true(s.f1 == 1.0);
    assert_int_equal(conflate_synth_pairwise(NULL, one, 5, &s, &e), IOM_EINVAL);
}

/* Checks a score against TP / FP / FN counted by hand: P = TP / (TP + FP), R = TP / (TP + FN),
 * F1 = 2 TP / (2 TP + FP + FN). */
static void expect_counts(const uint64_t *person, const uint64_t *cluster, size_t n, uint64_t tp,
                          uint64_t fp, uint64_t fn, double p, double r, double f1)
{
    conflate_synth_score s;
    iom_error e = {0};
    assert_int_equal(conflate_synth_pairwise(person, cluster, n, &s, &e), IOM_OK);
    assert_int_equal(s.correct_pairs, tp);
    assert_int_equal(s.predicted_pairs, tp + fp);
    assert_int_equal(s.true_pairs, tp + fn);
    if (fabs(s.precision - p) > 1e-12 || fabs(s.recall - r) > 1e-12 || fabs(s.f1 - f1) > 1e-12)
        fail_msg("P %.15g R %.15g F1 %.15g, expected P %.15g R %.15g F1 %.15g", s.precision,
                 s.recall, s.f1, p, r, f1);
}

static void test_pairwise_hand_computed(void **state)
{
    (void)state;
    /* Records r0..r6. Truth: person 1 = r0 r1 r2 r3, person 2 = r4 r5, person 3 = r6
     * (true pairs: 6 + 1 = 7). Clusters: {r0 r1 r2}, {r3 r4 r5 r6} (predicted: 3 + 6 = 9).
     * TP: r0r1 r0r2 r1r2 r4r5 = 4; FP: r3r4 r3r5 r3r6 r4r6 r5r6 = 5; FN: r0r3 r1r3 r2r3 = 3.
     * P = 4/9, R = 4/7, F1 = 8/16 = 0.5. */
    const uint64_t p1[7] = {1, 1, 1, 1, 2, 2, 3}, c1[7] = {5, 5, 5, 6, 6, 6, 6};
    expect_counts(p1, c1, 7, 4, 5, 3, 4.0 / 9, 4.0 / 7, 0.5);
    /* The same records, clusters {r0 r1} {r2 r3} {r4} {r5} {r6}: TP r0r1 r2r3 = 2, FP 0,
     * FN 7 - 2 = 5. P = 1, R = 2/7, F1 = 4/9. */
    const uint64_t c2[7] = {1, 1, 2, 2, 3, 4, 5};
    expect_counts(p1, c2, 7, 2, 0, 5, 1.0, 2.0 / 7, 4.0 / 9);
    /* Two people of two records each, r0 r1 | r2 r3, clustered across: {r0 r2} {r1 r3}.
     * TP 0, FP 2, FN 2: P = R = F1 = 0. */
    const uint64_t p3[4] = {1, 1, 2, 2}, c3[4] = {8, 9, 8, 9};
    expect_counts(p3, c3, 4, 0, 2, 2, 0.0, 0.0, 0.0);
    /* Nobody shares a person, one cluster of three: TP 0, FP 3, FN 0. P = 0, R = 1 (no true
     * pairs), F1 = 0. */
    const uint64_t p4[3] = {1, 2, 3}, c4[3] = {4, 4, 4};
    expect_counts(p4, c4, 3, 0, 3, 0, 0.0, 1.0, 0.0);
    /* Ten records of one person in clusters of 6 and 4: TP 15 + 6 = 21, FP 0, FN 45 - 21 = 24.
     * P = 1, R = 21/45, F1 = 42/66. */
    const uint64_t p5[10] = {7, 7, 7, 7, 7, 7, 7, 7, 7, 7}, c5[10] = {1, 2, 1, 2, 1, 2, 1, 2, 1, 1};
    expect_counts(p5, c5, 10, 21, 0, 24, 1.0, 21.0 / 45, 42.0 / 66);
}

/* A brute-force O(n^2) check of the sort-based counting on a random clustering. */
static void test_pairwise_matches_brute_force(void **state)
{
    (void)state;
    enum { N = 600 };
    uint64_t person[N], cluster[N], x = 12345;
    for (int i = 0; i < N; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        person[i] = (x >> 33) % 150;
        cluster[i] = ((x >> 40) % 4 == 0) ? (x >> 20) % 300 : person[i] * 7 + 1000000;
    }
    uint64_t t = 0, p = 0, c = 0;
    for (int i = 0; i < N; i++)
        for (int j = i + 1; j < N; j++) {
            t += person[i] == person[j];
            p += cluster[i] == cluster[j];
            c += person[i] == person[j] && cluster[i] == cluster[j];
        }
    conflate_synth_score s;
    iom_error e = {0};
    assert_int_equal(conflate_synth_pairwise(person, cluster, N, &s, &e), IOM_OK);
    assert_int_equal(s.true_pairs, t);
    assert_int_equal(s.predicted_pairs, p);
    assert_int_equal(s.correct_pairs, c);
}

static void write_clusters(const char *path, const conflate_synth_truth *t, const char *dir,
                           int mode)
{
    /* mode 0: cluster = person (perfect); 1: singletons; 2: drop one record; 3: unknown id. */
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fprintf(fp, "input,record_id,cluster_id\n");
    for (int s = 0; s < CONFLATE_SYNTH_NSOURCES; s++) {
        for (unsigned r = 1;; r++) {
            char rid[16];
            snprintf(rid, sizeof rid, "%c%09u", 'A' + s, r);
            uint64_t person = conflate_synth_truth_person(t, rid);
            if (!person)
                break;
            if (mode == 2 && s == 1 && r == 5)
                continue;
            if (mode == 0)
                fprintf(fp, "\"%s/%s\",%s,\"p,%llu\"\n", dir, conflate_synth_source_file(s),
                        rid, (unsigned long long)person);
            else
                fprintf(fp, "%s,%s,%s\n", conflate_synth_source_file(s), rid, rid);
        }
    }
    if (mode == 3)
        fprintf(fp, "source_c.csv,C999999999,x\n");
    fclose(fp);
}

static void test_score_clusters_csv(void **state)
{
    (void)state;
    conflate_synth_config c = conflate_synth_config_default();
    c.n_people = 700;
    char *dir = make_tmpdir();
    iom_error e = {0};
    assert_int_equal(conflate_synth_write(&c, dir, NULL, &e), IOM_OK);
    char *tp = path_in(dir, "truth.csv"), *cp = path_in(dir, "clusters.csv");
    conflate_synth_truth *t = NULL;
    assert_int_equal(conflate_synth_truth_load(&t, tp, &e), IOM_OK);
    conflate_synth_score s;
    write_clusters(cp, t, dir, 0);
    assert_int_equal(conflate_synth_score_clusters_csv(t, cp, &s, &e), IOM_OK);
    assert_int_equal(s.records, conflate_synth_truth_count(t));
    assert_true(s.true_pairs > 300);
    assert_true(s.f1 == 1.0);
    write_clusters(cp, t, dir, 1);
    assert_int_equal(conflate_synth_score_clusters_csv(t, cp, &s, &e), IOM_OK);
    assert_true(s.recall == 0.0 && s.f1 == 0.0);
    write_clusters(cp, t, dir, 2);
    assert_int_equal(conflate_synth_score_clusters_csv(t, cp, &s, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "B000000005"));
    write_clusters(cp, t, dir, 3);
    assert_int_equal(conflate_synth_score_clusters_csv(t, cp, &s, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "C999999999"));
    conflate_synth_truth_free(t);
    /* A damaged truth file is refused with its line. */
    FILE *fp = fopen(tp, "a");
    fprintf(fp, "source_a.csv,A00000000x,1,0\n");
    fclose(fp);
    assert_int_equal(conflate_synth_truth_load(&t, tp, &e), IOM_EINVAL);
    assert_null(t);
    assert_non_null(strstr(e.msg, "malformed"));
    free(tp);
    free(cp);
    rm_dir(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deterministic_for_seed),
        cmocka_unit_test(test_files_identical_for_seed),
        cmocka_unit_test(test_rates_match_config),
        cmocka_unit_test(test_rates_follow_config_changes),
        cmocka_unit_test(test_families_are_hard_negatives),
        cmocka_unit_test(test_files_are_utf8_rfc4180),
        cmocka_unit_test(test_config_check),
        cmocka_unit_test(test_pairwise_hand_made),
        cmocka_unit_test(test_pairwise_hand_computed),
        cmocka_unit_test(test_pairwise_matches_brute_force),
        cmocka_unit_test(test_score_clusters_csv),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
