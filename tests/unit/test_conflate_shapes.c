/*
 * Issue 15: `iom conflate` on data shapes beyond FEBRL, at the default threshold and default
 * settings (one for all shapes: nothing here is set per shape). Every shape of the generator
 * (docs/conflate-synthetic.md, "Shapes") runs with three seeds (one under the sanitizers);
 * each run must reach its shape's floor and beat the project's plain Fellegi-Sunter baseline
 * (tests/support/synth/baseline.h) on the same candidate pairs. In every run, an exact
 * agreement on a name, date of birth or identifier has a weight of at least 0 (the model).
 * A small file of 20 records links Robert and Bobby Smith with p >= 0.9, and in the PAIRS
 * file of a small generated file no exact name, date or identifier weighs below 0.
 *
 * Floors: the issue's (0.97; 0.95 for the source with names and date of birth only;
 * 0.90 for 40% missing values), except where the engine does not reach it yet: then the
 * floor held is what it reaches, and `issue` below keeps the target (docs/conflate.md,
 * "Accuracy on the test shapes", lists both).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "conflate/conflate.h"
#include "synth/baseline.h"
#include "synth/synth.h"

enum { PEOPLE = 2000, SMALL_PEOPLE = 100 };

/* Seeds per shape: three in the release run, which holds the floors; one under the sanitizers
   (make test's second run), which run the same code on every shape for memory and undefined
   behaviour, not for accuracy, at ~3x the release run's time (77 s for three seeds). */
#if defined(__SANITIZE_ADDRESS__)
#define SEEDS 1
#else
#define SEEDS 3
#endif

typedef struct shape_floor {
    const char *shape;
    double issue; /* the issue's floor */
    double held;  /* the floor this test holds (the issue's, or below it while not reached) */
} shape_floor;

static const shape_floor floors[] = {
    {"default", 0.97, 0.97},   {"movers", 0.97, 0.97},    {"fieldsets", 0.95, 0.95},
    {"missing10", 0.97, 0.97}, {"missing25", 0.97, 0.97}, {"missing40", 0.90, 0.90},
    {"sparsedob", 0.97, 0.97}, {"families", 0.97, 0.97},  {"namesakes", 0.97, 0.97}, {"names", 0.97, 0.97},
    {"placeholders", 0.97, 0.97}, {"small", 0.97, 0.97},
};

static char *make_dir(void)
{
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char tmpl[512];
    snprintf(tmpl, sizeof tmpl, "%s/iom-conflate-shape-XXXXXX", tmp);
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    return strdup(d);
}

static void rm_dir(const char *dir)
{
    static const char *const names[] = {"source_a.csv", "source_b.csv", "source_c.csv",
                                        "truth.csv", "pairs.csv", "small.csv"};
    char p[600];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        unlink(p);
    }
    rmdir(dir);
}

/* An exact name, date of birth or identifier is never evidence against a match. */
static void assert_identity_weights(const conflate_engine *eng, const char *what)
{
    static const char *const identity[] = {"first_name", "middle_name", "surname", "full_name",
                                           "dob", "vehicle", "account", "ni_number", "pnc_id"};
    for (size_t f = 0; f < conflate_feature_count(eng); f++)
        for (size_t k = 0; k < sizeof identity / sizeof identity[0]; k++)
            if (!strcmp(conflate_feature_role(eng, f), identity[k])) {
                double w;
                conflate_feature_model(eng, f, conflate_feature_levels(eng, f) - 1, NULL, NULL,
                                       &w, NULL);
                if (w < 0)
                    fail_msg("%s: exact %s weighs %.2f", what, identity[k], w);
            }
}

typedef struct shape_run {
    double f1, base_f1, p, r;
    size_t records;
} shape_run;

static shape_run run_shape(const char *shape, uint64_t people, uint64_t seed, const char *dir)
{
    conflate_synth_config cfg;
    iom_error e;
    iom_error_clear(&e);
    assert_int_equal(conflate_synth_shape(shape, people, seed, &cfg, &e), IOM_OK);
    assert_int_equal(conflate_synth_write(&cfg, dir, NULL, &e), IOM_OK);
    conflate_options o;
    conflate_options_default(&o); /* the defaults, for every shape */
    conflate_engine *eng;
    assert_int_equal(conflate_new(&eng, &o, &e), IOM_OK);
    char p[600];
    for (int s = 0; s < (cfg.nsources == 2 ? 2 : 3); s++) {
        snprintf(p, sizeof p, "%s/%s", dir, conflate_synth_source_file(s));
        if (conflate_add_csv(eng, p, NULL, &e) != IOM_OK)
            fail_msg("%s: %s", shape, e.msg);
    }
    assert_int_equal(conflate_run(eng, &e), IOM_OK);
    char what[64];
    snprintf(what, sizeof what, "%s seed %llu", shape, (unsigned long long)seed);
    assert_identity_weights(eng, what);
    conflate_synth_truth *t = NULL;
    snprintf(p, sizeof p, "%s/truth.csv", dir);
    assert_int_equal(conflate_synth_truth_load(&t, p, &e), IOM_OK);
    size_t n = conflate_record_count(eng);
    uint64_t *tr = malloc(n * sizeof *tr), *cl = malloc(n * sizeof *cl);
    assert_non_null(tr);
    assert_non_null(cl);
    for (size_t i = 0; i < n; i++) {
        tr[i] = conflate_synth_truth_person(t, conflate_record_id(eng, i));
        cl[i] = conflate_record_cluster(eng, i);
    }
    conflate_synth_score sc, bs;
    assert_int_equal(conflate_synth_pairwise(tr, cl, n, &sc, &e), IOM_OK);
    assert_int_equal(conflate_baseline_cluster(eng, cl, &e), IOM_OK);
    assert_int_equal(conflate_synth_pairwise(tr, cl, n, &bs, &e), IOM_OK);
    free(tr);
    free(cl);
    conflate_synth_truth_free(t);
    conflate_free(eng);
    return (shape_run){sc.f1, bs.f1, sc.precision, sc.recall, n};
}

static void test_every_shape(void **st)
{
    (void)st;
    char *dir = make_dir();
    int failed = 0;
    printf("  %-13s %4s %7s %7s %7s %7s %9s %6s %6s\n", "shape", "seed", "records", "P", "R",
           "F1", "baseline", "floor", "issue");
    for (size_t k = 0; k < sizeof floors / sizeof floors[0]; k++)
        for (uint64_t seed = 1; seed <= SEEDS; seed++) {
            const shape_floor *sf = &floors[k];
            uint64_t people = strcmp(sf->shape, "small") ? PEOPLE : SMALL_PEOPLE;
            shape_run r = run_shape(sf->shape, people, seed, dir);
            int ok = r.f1 >= sf->held && r.f1 > r.base_f1;
            printf("  %-13s %4llu %7zu %7.4f %7.4f %7.4f %9.4f %6.2f %6.2f%s\n", sf->shape,
                   (unsigned long long)seed, r.records, r.p, r.r, r.f1, r.base_f1, sf->held,
                   sf->issue, ok ? "" : "  BELOW");
            failed += !ok;
        }
    fflush(stdout);
    rm_dir(dir);
    free(dir);
    assert_int_equal(failed, 0);
}

/* The small shape holds what the issue asks of it: 20-200 records from two sources, at least
 * ten nickname pairs, and hard negatives (families). */
typedef struct small_count {
    uint64_t person[256], family[256];
    unsigned nick[256];
    size_t n;
} small_count;

static iom_err count_small(void *ud, const conflate_synth_record *rec, iom_error *err)
{
    (void)err;
    small_count *c = ud;
    if (c->n < 256) {
        c->person[c->n] = rec->person_id;
        c->family[c->n] = rec->family_id;
        c->nick[c->n] = (rec->flags & CONFLATE_SYNTH_C_NICKNAME) != 0;
        c->n++;
    }
    return IOM_OK;
}

static void test_small_shape_content(void **st)
{
    (void)st;
    for (uint64_t seed = 1; seed <= 3; seed++) {
        conflate_synth_config cfg;
        iom_error e;
        iom_error_clear(&e);
        assert_int_equal(conflate_synth_shape("small", SMALL_PEOPLE, seed, &cfg, &e), IOM_OK);
        small_count c;
        memset(&c, 0, sizeof c);
        assert_int_equal(conflate_synth_generate(&cfg, count_small, &c, &e), IOM_OK);
        assert_true(c.n >= 20 && c.n <= 200);
        size_t nick = 0, fam = 0;
        for (size_t i = 0; i < c.n; i++)
            for (size_t j = i + 1; j < c.n; j++) {
                nick += c.person[i] == c.person[j] && c.nick[i] != c.nick[j];
                fam += c.person[i] != c.person[j] && c.family[i] && c.family[i] == c.family[j];
            }
        assert_true(nick >= 10);
        assert_true(fam >= 10);
    }
}

/* Issue 15, "Small files": in a file of 20 records, Robert Smith and Bobby Smith with the same
 * date of birth and postcode are one person (p >= 0.9), and no exact name weighs against. */
static void test_robert_bobby(void **st)
{
    (void)st;
    const char *t =
        "id,first_name,surname,dob,postcode\n"
        "1,Robert,Smith,14/02/1971,LS1 4AP\n"
        "2,Bobby,Smith,14/02/1971,LS1 4AP\n"
        "3,Margaret,Smith,02/09/1973,LS1 4AP\n"  /* his wife */
        "4,Robert,Smith,22/05/1996,LS1 4AP\n"    /* his son, of his name */
        "5,Jennifer,Smith,22/05/1996,LS1 4AP\n"  /* the son's twin */
        "6,Robert,Smith,03/11/1964,M1 1AE\n"     /* a namesake */
        "7,Alan,Jones,07/07/1980,B33 8TH\n"
        "8,Alan,Jones,07/07/1980,B33 8TH\n"
        "9,Priya,Patel,19/12/1988,LE4 6TN\n"
        "10,Sean,O'Brien,01/03/1959,BT1 1AA\n"
        "11,Zoe,Clarke,30/06/2001,SW9 6ET\n"
        "12,Tom,Walker,12/08/1977,NE1 4XF\n"
        "13,Thomas,Walker,12/08/1977,NE1 4XF\n"
        "14,Kate,Hughes,25/12/1990,CF10 1EP\n"
        "15,Imran,Khan,04/04/1985,BD1 1HY\n"
        "16,Ann,Lee,09/09/1949,G1 1XQ\n"
        "17,Peter,Wright,17/10/1968,EH1 1YZ\n"
        "18,Lucy,Green,05/05/1995,PL4 7PA\n"
        "19,Gary,Hall,28/02/1983,HU1 2AA\n"
        "20,Emma,King,11/11/2000,YO1 7HH\n";
    conflate_options o;
    conflate_options_default(&o);
    conflate_engine *eng;
    iom_error e;
    iom_error_clear(&e);
    assert_int_equal(conflate_new(&eng, &o, &e), IOM_OK);
    assert_int_equal(conflate_add_csv_buffer(eng, "small.csv", t, strlen(t), NULL, &e), IOM_OK);
    assert_int_equal(conflate_run(eng, &e), IOM_OK);
    assert_identity_weights(eng, "20 records");
    double w = -1e9;
    for (size_t i = 0; i < conflate_pair_count(eng); i++) {
        uint32_t a, b;
        double x = conflate_pair_get(eng, i, &a, &b, NULL);
        if (a == 0 && b == 1)
            w = x;
    }
    double p = 1.0 / (1.0 + exp2(-w));
    printf("  Robert / Bobby Smith in 20 records: weight %+.2f, p %.4f\n", w, p);
    assert_true(p >= 0.9);
    assert_int_equal(conflate_record_cluster(eng, 0), conflate_record_cluster(eng, 1));
    /* the son, his twin, the wife and the namesake stay apart from him */
    for (size_t r = 2; r < 6; r++)
        assert_int_not_equal(conflate_record_cluster(eng, r), conflate_record_cluster(eng, 0));
    assert_int_equal(conflate_record_cluster(eng, 6), conflate_record_cluster(eng, 7));
    conflate_free(eng);
}

/* Review 95 H1: a small local list against a large deduplicated index (one record a person).
 * The chance of strangers agreeing on names and date of birth, counted over every pair the
 * index holds, outweighed the few candidate pairs that do agree so, and a local record with the
 * same names and date of birth as an index record (another postcode, as people move) was not
 * linked (F1 0.04 on the review's data). Here 40 of 150 local people are in an index of 20,000:
 * at least 36 of them are linked to their index record, and at most 2 of the other 110 are
 * joined to an index record. */
static void append(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char line[256];
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    assert_true(n > 0 && (size_t)n < sizeof line);
    if (*len + (size_t)n + 1 > *cap) {
        *cap = (*cap + (size_t)n + 1) * 2;
        *buf = realloc(*buf, *cap);
        assert_non_null(*buf);
    }
    memcpy(*buf + *len, line, (size_t)n + 1);
    *len += (size_t)n;
}

static void test_index_and_list(void **st)
{
    (void)st;
    static const char *const firsts[] = {
        "James", "Oliver", "Jack", "Harry", "George", "Noah", "Leo", "Arthur", "Oscar", "Charlie",
        "Amelia", "Olivia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Freya", "Grace", "Sophia",
        "Daniel", "Ryan", "Liam", "Adam", "Kieran", "Sean", "Ethan", "Lewis", "Callum", "Owen",
        "Chloe", "Megan", "Holly", "Jade", "Leah", "Erin", "Ellie", "Zara", "Aisha", "Maryam"};
    static const char *const surs[] = {
        "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
        "Wright", "Robinson", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall",
        "Wood", "Jackson", "Clarke", "Khan", "Hughes", "Edwards", "Turner", "Hill", "Moore",
        "Cooper", "Ward", "Morris", "King", "Watson", "Harris", "Baker", "Lee", "Young", "Allen",
        "Mitchell", "Bell", "Murphy", "Kelly", "Price", "Bailey", "Cook", "Carter", "Shaw",
        "Parker", "Ellis", "Lloyd", "Kaur"};
    enum { NI = 20000, NL = 150, IN_INDEX = 40 };
    size_t nf = sizeof firsts / sizeof *firsts, ns = sizeof surs / sizeof *surs;
    uint64_t x = 0x9e3779b97f4a7c15ull;
#define NEXT() (x ^= x << 13, x ^= x >> 7, x ^= x << 17, x)
    unsigned *fi = calloc(NI, sizeof *fi), *si = calloc(NI, sizeof *si), *day = calloc(NI, sizeof *day);
    assert_true(fi && si && day);
    char *a = NULL, *b = NULL;
    size_t al = 0, ac = 0, bl = 0, bc = 0;
    append(&a, &al, &ac, "id,forename,surname,dob,postcode\n");
    for (size_t i = 0; i < NI; i++) {
        /* one record a person (a few of the 2e8 pairs may share names and birthday by chance,
           as in any index) */
        fi[i] = (unsigned)(NEXT() % nf);
        si[i] = (unsigned)(NEXT() % ns);
        day[i] = (unsigned)(NEXT() % (55 * 365));
        unsigned d = day[i];
        append(&a, &al, &ac, "N%05zu,%s,%s,%02u/%02u/%u,LS%u\n", i, firsts[fi[i]], surs[si[i]], d % 28 + 1,
               d / 28 % 12 + 1, 1950 + d / 365, (unsigned)(NEXT() % 30 + 1));
    }
    append(&b, &bl, &bc, "id,forename,surname,dob,postcode,phone\n");
    for (size_t i = 0; i < NL; i++) {
        size_t k = i * (NI / IN_INDEX) + 7; /* the list's people in the index: 40 of them */
        unsigned f = i < IN_INDEX ? fi[k] : (unsigned)(NEXT() % nf), s2 = i < IN_INDEX ? si[k] : (unsigned)(NEXT() % ns);
        unsigned d = i < IN_INDEX ? day[k] : (unsigned)(NEXT() % (55 * 365)) + 55 * 365; /* others born later */
        append(&b, &bl, &bc, "L%03zu,%s,%s,%02u/%02u/%u,M%u 4ER,07700 9%05u\n", i, firsts[f], surs[s2], d % 28 + 1,
               d / 28 % 12 + 1, 1950 + d / 365, (unsigned)(NEXT() % 40 + 1), (unsigned)i);
    }
#undef NEXT
    conflate_options o;
    conflate_options_default(&o);
    conflate_engine *eng;
    iom_error e;
    iom_error_clear(&e);
    assert_int_equal(conflate_new(&eng, &o, &e), IOM_OK);
    assert_int_equal(conflate_add_csv_buffer(eng, "index.csv", a, al, NULL, &e), IOM_OK);
    assert_int_equal(conflate_add_csv_buffer(eng, "list.csv", b, bl, NULL, &e), IOM_OK);
    assert_int_equal(conflate_run(eng, &e), IOM_OK);
    /* the records are numbered in input order: index 0..NI-1, then the list */
    size_t linked = 0, joined = 0;
    for (size_t i = 0; i < NL; i++) {
        uint32_t c = conflate_record_cluster(eng, NI + i);
        size_t with = 0;
        for (size_t r = 0; r < NI; r++)
            with += conflate_record_cluster(eng, r) == c;
        if (i < IN_INDEX)
            linked += with == 1;
        else
            joined += with;
    }
    printf("  index of %d, list of %d (%d in the index): %zu linked, %zu list records joined to the "
           "index wrongly\n", NI, NL, IN_INDEX, linked, joined);
    assert_true(linked >= 36);
    assert_true(joined <= 2);
    conflate_free(eng);
    free(a);
    free(b);
    free(fi);
    free(si);
    free(day);
}

/* From the PAIRS file of a small generated file: an exact agreement on a name, date of birth
 * or identifier never has a negative weight (w_ROLE with the term frequency). */
static void test_pairs_identity_weights(void **st)
{
    (void)st;
    char *dir = make_dir();
    conflate_synth_config cfg;
    iom_error e;
    iom_error_clear(&e);
    assert_int_equal(conflate_synth_shape("small", SMALL_PEOPLE, 1, &cfg, &e), IOM_OK);
    assert_int_equal(conflate_synth_write(&cfg, dir, NULL, &e), IOM_OK);
    conflate_options o;
    conflate_options_default(&o);
    conflate_engine *eng;
    assert_int_equal(conflate_new(&eng, &o, &e), IOM_OK);
    char p[600], pp[600];
    for (int s = 0; s < 2; s++) {
        snprintf(p, sizeof p, "%s/%s", dir, conflate_synth_source_file(s));
        assert_int_equal(conflate_add_csv(eng, p, NULL, &e), IOM_OK);
    }
    assert_int_equal(conflate_run(eng, &e), IOM_OK);
    snprintf(pp, sizeof pp, "%s/pairs.csv", dir);
    assert_int_equal(conflate_write_pairs(eng, pp, &e), IOM_OK);
    size_t nf = conflate_feature_count(eng);
    int identity[32] = {0}, exact[32] = {0};
    for (size_t f = 0; f < nf; f++) {
        const char *r = conflate_feature_role(eng, f);
        identity[f] = !strcmp(r, "first_name") || !strcmp(r, "middle_name") ||
                      !strcmp(r, "surname") || !strcmp(r, "dob");
        exact[f] = conflate_feature_levels(eng, f) - 1;
    }
    conflate_free(eng);
    /* rows: input_a,record_a,input_b,record_b,probability,weight, then per feature its
     * level (empty when missing) and weight */
    FILE *fp = fopen(pp, "r");
    assert_non_null(fp);
    char line[4096];
    size_t rows = 0, checked = 0;
    assert_non_null(fgets(line, sizeof line, fp));
    while (fgets(line, sizeof line, fp)) {
        char *fld[64];
        size_t nfl = 0;
        char *s = line;
        rows++;
        for (;;) {
            fld[nfl++] = s;
            char *c = strpbrk(s, ",\n");
            if (!c || *c == '\n' || nfl == 64) {
                if (c)
                    *c = 0;
                break;
            }
            *c = 0;
            s = c + 1;
        }
        assert_int_equal(nfl, 6 + 2 * nf);
        for (size_t f = 0; f < nf; f++) {
            const char *l = fld[6 + 2 * f], *w = fld[7 + 2 * f];
            if (identity[f] && *l && atoi(l) == exact[f]) {
                checked++;
                if (atof(w) < 0)
                    fail_msg("an exact value of feature %zu weighs %s", f, w);
            }
        }
    }
    fclose(fp);
    assert_true(rows > 1000);
    assert_true(checked > 100);
    rm_dir(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_shape_content),
        cmocka_unit_test(test_robert_bobby),
        cmocka_unit_test(test_index_and_list),
        cmocka_unit_test(test_pairs_identity_weights),
        cmocka_unit_test(test_every_shape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
