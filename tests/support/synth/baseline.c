/* baseline.c: the plain Fellegi-Sunter baseline (see baseline.h). */
#include "synth/baseline.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAXF 16
#define MAXL 8

typedef struct bpat {
    uint64_t key; /* 4 bits per feature */
    double n;
} bpat;

static int cmp_key(const void *x, const void *y)
{
    uint64_t a = ((const bpat *)x)->key, b = ((const bpat *)y)->key;
    return (a > b) - (a < b);
}

static uint64_t pack(const unsigned *lv, int nf)
{
    uint64_t k = 0;
    for (int f = 0; f < nf; f++)
        k |= (uint64_t)(lv[f] & 15u) << (4 * f);
    return k;
}

static unsigned level_of(uint64_t k, int f) { return (unsigned)(k >> (4 * f)) & 15u; }

/* log P(pattern | class) with the given per-level probabilities */
static double loglik(uint64_t k, int nf, double p[][MAXL])
{
    double s = 0;
    for (int f = 0; f < nf; f++) {
        unsigned l = level_of(k, f);
        if (l != CONFLATE_LEVEL_MISSING)
            s += log(p[f][l]);
    }
    return s;
}

static uint32_t find(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x)
        x = parent[x] = parent[parent[x]];
    return x;
}

iom_err conflate_baseline_cluster(const conflate_engine *eng, uint64_t *cluster, iom_error *err)
{
    size_t n = conflate_record_count(eng), np = conflate_pair_count(eng);
    int nf = (int)conflate_feature_count(eng);
    if (n == 0 || nf > MAXF)
        return iom_fail(err, IOM_EINVAL, "baseline: the engine has not run");
    int nlev[MAXF];
    double m[MAXF][MAXL], u[MAXF][MAXL];
    for (int f = 0; f < nf; f++) {
        nlev[f] = conflate_feature_levels(eng, (size_t)f);
        double part = 0;
        for (int l = 0; l < nlev[f] - 1; l++)
            part += l + 1;
        for (int l = 0; l < nlev[f]; l++) {
            conflate_feature_model(eng, (size_t)f, l, NULL, NULL, NULL, &u[f][l]);
            m[f][l] = l == nlev[f] - 1 ? 0.9 : 0.1 * (l + 1) / part;
        }
    }
    /* the histogram of comparison vectors */
    bpat *pt = malloc((np + 1) * sizeof *pt);
    uint32_t *pa = malloc((np + 1) * sizeof *pa), *pb = malloc((np + 1) * sizeof *pb);
    uint64_t *pk = malloc((np + 1) * sizeof *pk);
    uint32_t *parent = malloc((n + 1) * sizeof *parent);
    if (!pt || !pa || !pb || !pk || !parent) {
        free(pt), free(pa), free(pb), free(pk), free(parent);
        return iom_fail(err, IOM_ENOMEM, "baseline: out of memory");
    }
    unsigned lv[MAXF];
    for (size_t i = 0; i < np; i++) {
        conflate_pair_get(eng, i, &pa[i], &pb[i], lv);
        pk[i] = pack(lv, nf);
        pt[i] = (bpat){pk[i], 1};
    }
    qsort(pt, np, sizeof *pt, cmp_key);
    size_t k = 0;
    for (size_t i = 0; i < np; i++)
        if (k && pt[k - 1].key == pt[i].key)
            pt[k - 1].n += 1;
        else
            pt[k++] = pt[i];
    /* two-class EM, u fixed. u describes random pairs, so lambda is the match rate among
     * all possible pairs: the pairs blocking left out count as non-matches (the textbook
     * treatment of blocking), and only the candidates are scored. */
    conflate_stats st;
    conflate_get_stats(eng, &st);
    double all = st.possible_pairs > np ? (double)st.possible_pairs : (double)np;
    double lambda = 0.1 * (double)np / all;
    for (int it = 0; it < 500; it++) {
        double M[MAXF][MAXL] = {{0}}, sm = 0, tot = 0, delta = 0;
        for (size_t i = 0; i < k; i++) {
            double a = log(lambda) + loglik(pt[i].key, nf, m);
            double b = log(1 - lambda) + loglik(pt[i].key, nf, u);
            double post = 1.0 / (1.0 + exp(b - a));
            double c = pt[i].n * post;
            sm += c;
            tot += pt[i].n;
            for (int f = 0; f < nf; f++) {
                unsigned l = level_of(pt[i].key, f);
                if (l != CONFLATE_LEVEL_MISSING)
                    M[f][l] += c;
            }
        }
        (void)tot;
        double nl = sm / all;
        nl = nl < 1e-9 ? 1e-9 : nl > 1 - 1e-9 ? 1 - 1e-9 : nl;
        delta = fabs(nl - lambda);
        lambda = nl;
        for (int f = 0; f < nf; f++) {
            double t = 0;
            for (int l = 0; l < nlev[f]; l++)
                t += M[f][l];
            for (int l = 0; l < nlev[f]; l++) {
                double v = (M[f][l] + 1e-6) / (t + 1e-6 * nlev[f]);
                delta = fmax(delta, fabs(v - m[f][l]));
                m[f][l] = v;
            }
        }
        if (delta < 1e-7)
            break;
    }
    /* links at p >= 0.5, connected components */
    for (size_t i = 0; i < n; i++)
        parent[i] = (uint32_t)i;
    for (size_t i = 0; i < np; i++) {
        double a = log(lambda) + loglik(pk[i], nf, m), b = log(1 - lambda) + loglik(pk[i], nf, u);
        if (a >= b) {
            uint32_t x = find(parent, pa[i]), y = find(parent, pb[i]);
            if (x != y)
                parent[x] = y;
        }
    }
    for (size_t i = 0; i < n; i++)
        cluster[i] = find(parent, (uint32_t)i);
    free(pt), free(pa), free(pb), free(pk), free(parent);
    return IOM_OK;
}
