/*
 * bench_conflate: speed and accuracy of `iom conflate` on synthetic people (tests/support/synth/synth.h).
 *
 *   bench_conflate [RECORDS...]      default: 1000000 10000000
 *   bench_conflate --shapes [PEOPLE [SEED...]]   F1 of every test shape beside the baseline
 *       (IOM_SHAPES=a,b: only those shapes), with where the loss is: candidate pairs, blocking
 *       recall (blockR), the F1 of clustering exactly the true candidate pairs (oracle), and
 *       the F1 of the candidate pairs at p >= 0.5 taken as pairs (linkF1)
 *   IOM_CONFLATE_DEBUG=1 adds the engine's steps and, for the large runs, the same loss
 *   figures; IOM_CONFLATE_MISSED=1 with it lists the commonest shapes of the true pairs that
 *   blocking missed (what their fields show); IOM_CONFLATE_SCORED=1 with it prints, for the large
 *   runs too, the calibration by weight band and the commonest shapes of the true candidate
 *   pairs scored below p 0.5 and of the false ones at or above it; IOM_CONFLATE_EXAMPLES=SHAPE
 *   with those adds the record ids of five pairs of that shape on each side, and
 *   IOM_BENCH_KEEP=1 keeps the generated files (the directory is printed) to explain them with
 *   `iom conflate --explain-pair`
 *
 * The people are the generator's defaults with the movers shape mixed in (mover_rate 0.10:
 * 10% of records show a fresh address and phone of their own, on top of the defaults' moves).
 * For each size: writes the three sources with the seeded generator into a scratch directory
 * ($TMPDIR or /tmp), times the bare CSV read + parse of the same files by libcsv (the floor:
 * the median of three reads before the run and three after it; see floor_times), then runs
 * the whole engine (read, normalise, block, compare, EM, score, cluster, write CLUSTERS.csv)
 * in a child process so its peak RSS is its own, and prints wall time, ratio to the floor,
 * peak memory and pairwise precision / recall / F1 against the generator's truth.
 * Targets (issue 6): 1e6 records <= 10 s and <= 2 GB; 1e7 <= 120 s and <= 12 GB.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conflate/conflate.h"
#include "conflate/csvin.h"
#include "conflate/engine_int.h"
#include "conflate/strtab.h"
#include "synth/baseline.h"
#include "synth/synth.h"
#include "util/heap.h"

static iom_err count_row(void *ud, const conflate_csv_row *row, iom_error *e)
{
    (void)row;
    (void)e;
    ++*(size_t *)ud;
    return IOM_OK;
}

typedef struct result {
    double wall, p, r, f1;
    unsigned long long records, candidates, clusters;
    int ok;
} result;

/* The engine's messages (it never prints itself). */
static void message(void *ud, conflate_msg_kind mk, const char *text)
{
    (void)ud;
    fprintf(stderr, "%s%s\n", mk == CONFLATE_MSG_WARNING ? "warning: " : "", text);
}

typedef struct shape_result {
    double f1, p, r, base_f1;
    double block_r; /* true pairs among the candidates / all true pairs */
    double oracle_f1; /* F1 of clusters made of exactly the true candidate pairs */
    double link_f1;   /* F1 of the candidate pairs at p >= 0.5, as pairs (no clustering) */
    unsigned long long records, candidates;
    int ok;
} shape_result;

static uint32_t uf_find(uint32_t *up, uint32_t x)
{
    while (up[x] != x)
        x = up[x] = up[up[x]];
    return x;
}

/* Where the loss is: blocking recall, the best clustering the candidates allow (the true
 * candidate pairs, joined), and the candidate pairs at p >= 0.5 taken as pairs. */
static void shape_diagnose(const conflate_engine *eng, const uint64_t *tr, size_t n,
                           uint64_t true_pairs, shape_result *res)
{
    size_t np = conflate_pair_count(eng);
    uint32_t *up = conflate_xmalloc((n + 1) * sizeof *up);
    for (size_t i = 0; i < n; i++)
        up[i] = (uint32_t)i;
    uint64_t tc = 0, links = 0, tlinks = 0;
    for (size_t i = 0; i < np; i++) {
        uint32_t a, b;
        double w = conflate_pair_get(eng, i, &a, &b, NULL);
        int t = tr[a] == tr[b];
        tc += t;
        if (w >= 0) { /* p >= 0.5 */
            links++;
            tlinks += t;
        }
        if (t) {
            uint32_t x = uf_find(up, a), y = uf_find(up, b);
            if (x != y)
                up[x] = y;
        }
    }
    uint64_t *cl = conflate_xmalloc((n + 1) * sizeof *cl);
    for (size_t i = 0; i < n; i++)
        cl[i] = uf_find(up, (uint32_t)i);
    conflate_synth_score os;
    if (conflate_synth_pairwise(tr, cl, n, &os, NULL) == IOM_OK)
        res->oracle_f1 = os.f1;
    free(cl);
    free(up);
    res->candidates = np;
    res->block_r = true_pairs ? (double)tc / (double)true_pairs : 1.0;
    double lp = links ? (double)tlinks / (double)links : 1.0,
           lr = true_pairs ? (double)tlinks / (double)true_pairs : 1.0;
    res->link_f1 = lp + lr > 0 ? 2 * lp * lr / (lp + lr) : 0;
    if (getenv("IOM_CONFLATE_MISSED"))
        fprintf(stderr, "  links at p >= 0.5: %llu, precision %.4f, recall %.4f\n",
                (unsigned long long)links, lp, lr);
}

static int u64_cmp(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

typedef struct by_person {
    uint64_t person;
    uint32_t rec;
} by_person;

static int by_person_cmp(const void *x, const void *y)
{
    const by_person *a = x, *b = y;
    if (a->person != b->person)
        return a->person < b->person ? -1 : 1;
    return (a->rec > b->rec) - (a->rec < b->rec);
}

/* Prints the k commonest shapes (their counts are zeroed): with wsum, each shape's mean
 * weight; else its share of total. */
static void print_top(char (*shape)[CONFLATE_MAX_FEATURES + 1], uint64_t *count,
                      const double *wsum, size_t nshape, int k, uint64_t total)
{
    for (int j = 0; j < k; j++) {
        size_t best = nshape;
        for (size_t q = 0; q < nshape; q++)
            if (count[q] && (best == nshape || count[q] > count[best]))
                best = q;
        if (best == nshape)
            break;
        if (wsum)
            fprintf(stderr, "    %s %llu (mean w %.2f)\n", shape[best],
                    (unsigned long long)count[best], wsum[best] / (double)count[best]);
        else
            fprintf(stderr, "    %s %llu (%.1f%%)\n", shape[best], (unsigned long long)count[best],
                    100.0 * (double)count[best] / (double)total);
        count[best] = 0;
    }
}

/* Pair i's levels as one character a field (a digit, '.' missing) in sh and its weight in *w,
   when it is on the wrong side of p = 0.5 for `side` (0: a true pair below, 1: a false one at or
   above); 0 otherwise. */
static int wrong_side_shape(const conflate_engine *eng, const uint64_t *tr, size_t i, int side,
                            char sh[CONFLATE_MAX_FEATURES + 1], double *w, uint32_t *a, uint32_t *b)
{
    size_t nf = conflate_feature_count(eng);
    unsigned lv[CONFLATE_MAX_FEATURES];
    *w = conflate_pair_get(eng, i, a, b, lv);
    int t = tr[*a] == tr[*b];
    if (side == 0 ? !(t && *w < 0) : !(!t && *w >= 0))
        return 0;
    for (size_t f = 0; f < nf; f++)
        sh[f] = lv[f] == CONFLATE_LEVEL_MISSING ? '.' : (char)('0' + (lv[f] % 10));
    sh[nf] = 0;
    return 1;
}

/* The candidate pairs scored on the wrong side of p = 0.5 (true pairs below, false pairs above),
 * by the levels of their fields (one character a field: a digit, '.' missing), the commonest 10
 * of each with their mean weight. */
static void scored_diagnose(const conflate_engine *eng, const uint64_t *tr)
{
    size_t np = conflate_pair_count(eng);
    enum { CAP = 1 << 14 };
    { /* calibration: pairs by weight band, the share that is true */
        uint64_t bt[12] = {0}, ba[12] = {0};
        for (size_t i = 0; i < np; i++) {
            uint32_t a, b;
            double w = conflate_pair_get(eng, i, &a, &b, NULL);
            int k = w < -10 ? 0 : w >= 10 ? 11 : 1 + (int)((w + 10) / 2);
            ba[k]++;
            bt[k] += tr[a] == tr[b];
        }
        fprintf(stderr, "  calibration (weight band: pairs, true share):");
        for (int k = 0; k < 12; k++)
            fprintf(stderr, " [%d..%d: %llu %.2f]", k == 0 ? -99 : -10 + 2 * (k - 1),
                    k == 11 ? 99 : -10 + 2 * k, (unsigned long long)ba[k],
                    ba[k] ? (double)bt[k] / (double)ba[k] : 0.0);
        fprintf(stderr, "\n");
    }
    for (int side = 0; side < 2; side++) {
        char (*shape)[CONFLATE_MAX_FEATURES + 1] = conflate_xcalloc(CAP, sizeof *shape);
        uint64_t *count = conflate_xcalloc(CAP, sizeof *count), all = 0;
        double *wsum = conflate_xcalloc(CAP, sizeof *wsum);
        size_t nshape = 0;
        for (size_t i = 0; i < np; i++) {
            uint32_t a, b;
            double w;
            char sh[CONFLATE_MAX_FEATURES + 1];
            if (!wrong_side_shape(eng, tr, i, side, sh, &w, &a, &b))
                continue;
            all++;
            size_t q = 0;
            while (q < nshape && strcmp(shape[q], sh))
                q++;
            if (q == nshape && nshape < CAP)
                memcpy(shape[nshape++], sh, sizeof sh);
            if (q < CAP) {
                count[q]++;
                wsum[q] += w;
            }
        }
        fprintf(stderr, "  %s: %llu\n", side == 0 ? "true candidate pairs below p 0.5"
                                                   : "false candidate pairs at p >= 0.5",
                (unsigned long long)all);
        print_top(shape, count, wsum, nshape, 25, all);
        /* IOM_CONFLATE_EXAMPLES=SHAPE: the record ids of the first 5 pairs of that shape on
           this side, to explain with `iom conflate --explain-pair` on the kept files */
        const char *want = getenv("IOM_CONFLATE_EXAMPLES");
        for (size_t i = 0, shown = 0; want && i < np && shown < 5; i++) {
            uint32_t a, b;
            double w;
            char sh[CONFLATE_MAX_FEATURES + 1];
            if (!wrong_side_shape(eng, tr, i, side, sh, &w, &a, &b) || strcmp(sh, want))
                continue;
            fprintf(stderr, "    e.g. %s,%s (w %.2f)\n", conflate_record_id(eng, a),
                    conflate_record_id(eng, b), w);
            shown++;
        }
        free(shape);
        free(count);
        free(wsum);
    }
}

/* The true pairs blocking missed, by what their fields show (one character a field: '=' exact,
 * '~' close or similar, 'x' different, '.' missing), the commonest 12 shapes. */
static void missed_diagnose(const conflate_engine *eng, const uint64_t *tr, size_t n)
{
    size_t np = conflate_pair_count(eng), nf = conflate_feature_count(eng);
    uint64_t *keys = conflate_xmalloc((np + 1) * sizeof *keys);
    for (size_t i = 0; i < np; i++) {
        uint32_t a, b;
        conflate_pair_get(eng, i, &a, &b, NULL);
        keys[i] = (uint64_t)(a < b ? a : b) << 32 | (a < b ? b : a);
    }
    qsort(keys, np, sizeof *keys, u64_cmp);
    by_person *bp = conflate_xmalloc((n + 1) * sizeof *bp);
    for (size_t i = 0; i < n; i++)
        bp[i] = (by_person){tr[i], (uint32_t)i};
    qsort(bp, n, sizeof *bp, by_person_cmp);
    uint32_t *ix = conflate_xmalloc((n + 1) * sizeof *ix);
    for (size_t i = 0; i < n; i++)
        ix[i] = bp[i].rec;
    free(bp);
    enum { CAP = 1 << 16 };
    char (*shape)[CONFLATE_MAX_FEATURES + 1] = conflate_xcalloc(CAP, sizeof *shape);
    uint64_t *count = conflate_xcalloc(CAP, sizeof *count), missed = 0;
    size_t nshape = 0;
    uint64_t by_rule[65] = {0};
    int nrules = 0;
    for (size_t g = 0; g < n;) {
        size_t h = g;
        while (h < n && tr[ix[h]] == tr[ix[g]])
            h++;
        for (size_t i = g; i < h; i++)
            for (size_t j = i + 1; j < h; j++) {
                uint32_t a = ix[i] < ix[j] ? ix[i] : ix[j], b = ix[i] < ix[j] ? ix[j] : ix[i];
                uint64_t k = (uint64_t)a << 32 | b;
                if (bsearch(&k, keys, np, sizeof *keys, u64_cmp))
                    continue;
                missed++;
                uint64_t rm;
                nrules = conflate_block_debug_shared(eng, a, b, &rm, -1, NULL, 0);
                for (int q = 0; q < 64; q++)
                    by_rule[q] += rm >> q & 1;
                by_rule[64] += rm == 0;
                char sh[CONFLATE_MAX_FEATURES + 1];
                for (size_t f = 0; f < nf; f++) {
                    unsigned l = conflate_compare_feature(eng, (int)f, a, b);
                    int top = conflate_feature_levels(eng, f) - 1;
                    sh[f] = l == 15u ? '.' : (int)l == top ? '=' : l == 0 ? 'x' : '~';
                }
                sh[nf] = 0;
                size_t q = 0;
                while (q < nshape && strcmp(shape[q], sh))
                    q++;
                if (q == nshape && nshape < CAP)
                    memcpy(shape[nshape++], sh, sizeof sh);
                if (q < CAP)
                    count[q]++;
            }
        g = h;
    }
    fprintf(stderr, "  missed true pairs: %llu; fields", (unsigned long long)missed);
    for (size_t f = 0; f < nf; f++)
        fprintf(stderr, " %s", conflate_feature_role(eng, f));
    fprintf(stderr, "\n");
    /* the rules under which they share a key (and were lost to a block's cap or a check) */
    fprintf(stderr, "    sharing no rule's key: %llu\n", (unsigned long long)by_rule[64]);
    for (int k = 0; k < nrules && k < 64; k++) {
        char desc[160];
        uint64_t rm;
        conflate_block_debug_shared(eng, 0, 0, &rm, k, desc, sizeof desc);
        if (by_rule[k])
            fprintf(stderr, "    rule %d %s: %llu share its key\n", k, desc, (unsigned long long)by_rule[k]);
    }
    /* each field's share of the missed pairs by what it shows */
    uint64_t marg[CONFLATE_MAX_FEATURES][4] = {{0}};
    for (size_t q = 0; q < nshape; q++)
        for (size_t f = 0; f < nf; f++) {
            const char *c = strchr("=~x.", shape[q][f]);
            marg[f][c ? c - "=~x." : 3] += count[q];
        }
    fprintf(stderr, "    by field (= ~ x .):");
    for (size_t f = 0; f < nf; f++)
        fprintf(stderr, " %s %.0f/%.0f/%.0f/%.0f%%", conflate_feature_role(eng, f),
                100.0 * (double)marg[f][0] / (double)(missed ? missed : 1),
                100.0 * (double)marg[f][1] / (double)(missed ? missed : 1),
                100.0 * (double)marg[f][2] / (double)(missed ? missed : 1),
                100.0 * (double)marg[f][3] / (double)(missed ? missed : 1));
    fprintf(stderr, "\n");
    print_top(shape, count, NULL, nshape, 40, missed);
    free(shape);
    free(count);
    free(ix);
    free(keys);
}

static void child(const char *dir, int fd)
{
    result res;
    memset(&res, 0, sizeof res);
    double t0 = conflate_bench_now();
    conflate_options o;
    conflate_options_default(&o);
    o.message = message;
    o.debug = getenv("IOM_CONFLATE_DEBUG") != NULL;
    o.debug_hist_path = o.debug ? getenv("IOM_CONFLATE_HIST") : NULL;
    conflate_engine *eng;
    iom_error e;
    iom_error_clear(&e);
    char p[512];
    iom_err rc = conflate_new(&eng, &o, &e);
    for (int s = 0; rc == IOM_OK && s < CONFLATE_SYNTH_NSOURCES; s++) {
        snprintf(p, sizeof p, "%s/%s", dir, conflate_synth_source_file(s));
        rc = conflate_add_csv(eng, p, NULL, &e);
    }
    if (rc == IOM_OK)
        rc = conflate_run(eng, &e);
    snprintf(p, sizeof p, "%s/clusters.csv", dir);
    if (rc == IOM_OK)
        rc = conflate_write_clusters(eng, p, &e);
    res.wall = conflate_bench_now() - t0;
    if (rc != IOM_OK) {
        fprintf(stderr, "bench_conflate: %s\n", e.msg);
        _exit(1);
    }
    conflate_stats st;
    conflate_get_stats(eng, &st);
    res.records = st.records;
    res.candidates = st.candidate_pairs;
    res.clusters = st.clusters;
    fprintf(stderr, "  phases: read %.2f s, normalise %.2f s, block+compare %.2f s, estimate %.2f s, "
                    "score %.2f s, cluster %.2f s\n",
            st.seconds_read, st.seconds_normalise, st.seconds_block, st.seconds_estimate,
            st.seconds_score, st.seconds_cluster);
    fprintf(stderr, "  phase CPU (all threads): read %.2f s, normalise %.2f s, block+compare %.2f s, "
                    "estimate %.2f s, score %.2f s, cluster %.2f s\n",
            st.cpu_read, st.cpu_normalise, st.cpu_block, st.cpu_estimate, st.cpu_score,
            st.cpu_cluster);
    /* accuracy (not timed) */
    conflate_synth_truth *t;
    snprintf(p, sizeof p, "%s/truth.csv", dir);
    if (conflate_synth_truth_load(&t, p, &e) == IOM_OK) {
        size_t n = conflate_record_count(eng);
        uint64_t *tr = conflate_xmalloc(n * sizeof *tr), *cl = conflate_xmalloc(n * sizeof *cl);
        for (size_t i = 0; i < n; i++) {
            tr[i] = conflate_synth_truth_person(t, conflate_record_id(eng, i));
            cl[i] = conflate_record_cluster(eng, i);
        }
        conflate_synth_score ev;
        if (conflate_synth_pairwise(tr, cl, n, &ev, &e) == IOM_OK) {
            res.p = ev.precision;
            res.r = ev.recall;
            res.f1 = ev.f1;
            if (o.debug) { /* where the loss is, as --shapes prints it */
                shape_result sr;
                memset(&sr, 0, sizeof sr);
                shape_diagnose(eng, tr, n, ev.true_pairs, &sr);
                fprintf(stderr, "  true pairs %llu, among the candidates %.4f (blocking recall); "
                                "oracle F1 %.4f; candidate pairs at p >= 0.5 as pairs F1 %.4f\n",
                        (unsigned long long)ev.true_pairs, sr.block_r, sr.oracle_f1, sr.link_f1);
                if (getenv("IOM_CONFLATE_MISSED"))
                    missed_diagnose(eng, tr, n);
                if (getenv("IOM_CONFLATE_SCORED")) /* calibration and the scoring's errors */
                    scored_diagnose(eng, tr);
            }
        }
        free(tr);
        free(cl);
        conflate_synth_truth_free(t);
    }
    res.ok = 1;
    conflate_free(eng);
    if (write(fd, &res, sizeof res) != (ssize_t)sizeof res)
        _exit(1);
    _exit(0);
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/*
 * Three timings of reading and parsing the generated files (nothing else), in t[0..2]. The
 * floor is libcsv's split of every line (`libcsv_only`), as the reader made it when issue 15
 * set its goals as ratios to it: the reader now splits the lines without quotes itself, faster,
 * and a floor that followed it would count that gain against the run (plain: the reader as the
 * engine uses it, printed beside the floor).
 */
static int floor_times(const char *dir, double *t, size_t *rows, int plain)
{
    iom_error e;
    iom_error_clear(&e);
    conflate_csv_opts o = {',', CONFLATE_ENC_UTF8, 0, 0, !plain};
    for (int k = 0; k < 3; k++) {
        double t0 = conflate_bench_now();
        *rows = 0;
        for (int s = 0; s < CONFLATE_SYNTH_NSOURCES; s++) {
            char p[512];
            snprintf(p, sizeof p, "%s/%s", dir, conflate_synth_source_file(s));
            if (conflate_csv_read_file_opts(p, &o, count_row, NULL, rows, &e) != IOM_OK) {
                fprintf(stderr, "bench_conflate: %s\n", e.msg);
                return 1;
            }
        }
        t[k] = conflate_bench_now() - t0;
    }
    return 0;
}

static int bench(unsigned long long target)
{
    char dir[256];
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(dir, sizeof dir, "%s/iom-bench-conflate-%llu", tmp, target);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
    if (system(cmd) != 0)
        return 1;
    conflate_synth_config cfg = conflate_synth_config_default();
    cfg.n_people = target * 100 / 210 + 1; /* about 2.1 records per person with the defaults */
    cfg.seed = 42;
    /* the movers shape mixed in (issue 15): on top of the defaults' moves, 10% of records show
     * a fresh address and phone of their own */
    cfg.mover_rate = 0.10;
    conflate_synth_stats ss;
    iom_error e;
    iom_error_clear(&e);
    double t0 = conflate_bench_now();
    if (conflate_synth_write(&cfg, dir, &ss, &e) != IOM_OK) {
        fprintf(stderr, "bench_conflate: %s\n", e.msg);
        return 1;
    }
    printf("== %llu people, %llu records (generated in %.1f s, %s)\n",
           (unsigned long long)ss.people, (unsigned long long)ss.records,
           conflate_bench_now() - t0, dir);
    /* floor: read and parse the same CSV files, nothing else; three times before the run and
       three times after it, the median of the six (this machine's speed drifts by tens of
       percent from minute to minute: a floor taken only before the run once varied 0.49-0.84 s
       at 1M within minutes) */
    double fl[6];
    size_t rows = 0;
    if (floor_times(dir, fl, &rows, 0) != 0)
        return 1;
    printf("csv read+parse floor (libcsv) before the run: %.2f %.2f %.2f s (%zu rows)\n", fl[0],
           fl[1], fl[2], rows);
    fflush(stdout);
    int fds[2];
    if (pipe(fds) != 0)
        return 1;
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        child(dir, fds[1]);
    }
    close(fds[1]);
    result res;
    memset(&res, 0, sizeof res);
    ssize_t got = read(fds[0], &res, sizeof res);
    close(fds[0]);
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0 || got != (ssize_t)sizeof res || !res.ok) {
        fprintf(stderr, "bench_conflate: the run failed\n");
        return 1;
    }
    if (floor_times(dir, fl + 3, &rows, 0) != 0)
        return 1;
    double own[3];
    if (floor_times(dir, own, &rows, 1) != 0)
        return 1;
    double sorted[6];
    memcpy(sorted, fl, sizeof sorted);
    qsort(sorted, 6, sizeof *sorted, cmp_double);
    double floor_s = (sorted[2] + sorted[3]) / 2;
    qsort(own, 3, sizeof *own, cmp_double);
    printf("csv read+parse floor (libcsv) after the run: %.2f %.2f %.2f s; the floor: %.2f s, the "
           "median of the six; the reader's own split of plain lines: %.2f s (median of three)\n",
           fl[3], fl[4], fl[5], floor_s, own[1]);
    printf("conflate: %.2f s wall (%.1fx the floor), peak RSS %.0f MB, %llu records, %llu "
           "candidate pairs, %llu clusters | P %.4f R %.4f F1 %.4f\n",
           res.wall, floor_s > 0 ? res.wall / floor_s : 0, (double)ru.ru_maxrss / 1024.0,
           res.records, res.candidates, res.clusters, res.p, res.r, res.f1);
    fflush(stdout);
    if (getenv("IOM_BENCH_KEEP")) { /* the generated files, to study with iom conflate */
        printf("kept %s\n", dir);
        return 0;
    }
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        return 1;
    return 0;
}

/* ---- shapes (issue 15): F1 per shape and seed, the engine beside the plain baseline ---- */

static shape_result run_shape(const char *shape, uint64_t people, uint64_t seed)
{
    shape_result res;
    memset(&res, 0, sizeof res);
    char dir[256];
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(dir, sizeof dir, "%s/iom-bench-shape-%s-%llu", tmp, shape, (unsigned long long)seed);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
    if (system(cmd) != 0)
        return res;
    conflate_synth_config cfg;
    iom_error e;
    iom_error_clear(&e);
    if (conflate_synth_shape(shape, people, seed, &cfg, &e) != IOM_OK ||
        conflate_synth_write(&cfg, dir, NULL, &e) != IOM_OK) {
        fprintf(stderr, "bench_conflate: %s\n", e.msg);
        return res;
    }
    conflate_options o;
    conflate_options_default(&o);
    o.debug = getenv("IOM_CONFLATE_DEBUG") != NULL;
    o.message = o.debug ? message : NULL; /* the table only, unless debugging */
    conflate_engine *eng = NULL;
    iom_err rc = conflate_new(&eng, &o, &e);
    char p[512];
    for (int s = 0; rc == IOM_OK && s < (cfg.nsources == 2 ? 2 : 3); s++) {
        snprintf(p, sizeof p, "%s/%s", dir, conflate_synth_source_file(s));
        rc = conflate_add_csv(eng, p, NULL, &e);
    }
    if (rc == IOM_OK)
        rc = conflate_run(eng, &e);
    conflate_synth_truth *t = NULL;
    snprintf(p, sizeof p, "%s/truth.csv", dir);
    if (rc == IOM_OK)
        rc = conflate_synth_truth_load(&t, p, &e);
    if (rc != IOM_OK) {
        fprintf(stderr, "bench_conflate: %s: %s\n", shape, e.msg);
        conflate_free(eng);
        return res;
    }
    size_t n = conflate_record_count(eng);
    uint64_t *tr = conflate_xmalloc(n * sizeof *tr), *cl = conflate_xmalloc(n * sizeof *cl);
    for (size_t i = 0; i < n; i++) {
        tr[i] = conflate_synth_truth_person(t, conflate_record_id(eng, i));
        cl[i] = conflate_record_cluster(eng, i);
    }
    conflate_synth_score sc, bs;
    if (conflate_synth_pairwise(tr, cl, n, &sc, &e) == IOM_OK &&
        conflate_baseline_cluster(eng, cl, &e) == IOM_OK &&
        conflate_synth_pairwise(tr, cl, n, &bs, &e) == IOM_OK) {
        res.f1 = sc.f1;
        res.p = sc.precision;
        res.r = sc.recall;
        res.base_f1 = bs.f1;
        res.records = n;
        res.ok = 1;
        shape_diagnose(eng, tr, n, sc.true_pairs, &res);
        if (o.debug && getenv("IOM_CONFLATE_MISSED"))
        {
            scored_diagnose(eng, tr);
            missed_diagnose(eng, tr, n);
        }
    }
    free(tr);
    free(cl);
    conflate_synth_truth_free(t);
    conflate_free(eng);
    if (getenv("IOM_BENCH_KEEP")) { /* the shape's files, to study with iom conflate */
        fprintf(stderr, "kept %s\n", dir);
        return res;
    }
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        res.ok = 0;
    return res;
}

/* Whether name is one of the comma-separated list. */
static int shape_listed(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; *p;) {
        const char *c = strchr(p, ',');
        size_t len = c ? (size_t)(c - p) : strlen(p);
        if (len == n && !strncmp(p, name, n))
            return 1;
        if (!c)
            break;
        p = c + 1;
    }
    return 0;
}

/* bench_conflate --shapes [PEOPLE [SEED...]]: every shape of docs/conflate-synthetic.md with
 * each seed (default 3000 people, seeds 1 2 3), at the default settings. */
static int shapes(int argc, char **argv)
{
    uint64_t people = argc > 2 ? strtoull(argv[2], NULL, 10) : 3000;
    uint64_t seeds[16] = {1, 2, 3};
    int ns = 3;
    if (argc > 3) {
        ns = 0;
        for (int i = 3; i < argc && ns < 16; i++)
            seeds[ns++] = strtoull(argv[i], NULL, 10);
    }
    size_t nshapes;
    const char *const *names = conflate_synth_shape_names(&nshapes);
    printf("%-13s %5s %8s %8s %8s %8s %8s %9s %7s %7s %7s\n", "shape", "seed", "records", "P", "R",
           "F1", "baseline", "cands", "blockR", "oracle", "linkF1");
    int rc = 0;
    for (size_t k = 0; k < nshapes; k++)
        for (int i = 0; i < ns; i++) {
            const char *only = getenv("IOM_SHAPES"); /* e.g. "missing25,missing40" */
            if (only && !shape_listed(only, names[k]))
                continue;
            shape_result r = run_shape(names[k], people, seeds[i]);
            if (!r.ok) {
                rc = 1;
                continue;
            }
            printf("%-13s %5llu %8llu %8.4f %8.4f %8.4f %8.4f %9llu %7.4f %7.4f %7.4f%s\n",
                   names[k], (unsigned long long)seeds[i], r.records, r.p, r.r, r.f1,
                   r.base_f1, r.candidates, r.block_r, r.oracle_f1, r.link_f1,
                   r.f1 > r.base_f1 ? "" : "  (not above the baseline)");
            fflush(stdout);
        }
    return rc;
}

int main(int argc, char **argv)
{
    int rc = 0;
    if (!getenv("IOM_BENCH_NO_HEAP_TUNE"))
        iom_heap_tune(); /* as the iom binary does (src/main.c) */
    if (argc >= 2 && !strcmp(argv[1], "--shapes"))
        return shapes(argc, argv);
    if (argc < 2) {
        rc |= bench(1000000);
        rc |= bench(10000000);
    }
    for (int i = 1; i < argc; i++)
        rc |= bench(strtoull(argv[i], NULL, 10));
    return rc;
}
