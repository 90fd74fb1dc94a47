/*
 * model.c: comparison levels per role, the Fellegi-Sunter model and its EM estimation over
 * the histogram of comparison vectors, and pair scoring.
 *
 * Model: for a candidate pair with comparison vector g (one level per feature),
 *   weight = log2(lambda / (1 - lambda)) + sum_f log2(m_f[g_f] / u_f[g_f]) + tf terms
 * where lambda, m and u are estimated by EM on the candidate pairs (u starts from random
 * pairs). EM runs over the distinct comparison vectors with their counts, never over pairs,
 * so its cost does not grow with the data. The term-frequency term for an exact agreement
 * on value v is log2(sum_w p_w^2 / p_v): agreeing on a rare value is stronger evidence than
 * agreeing on a common one, and the terms average to zero over random exact agreements.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conflate/compare.h"
#include "conflate/engine_int.h"
#include "conflate/norm.h"

int conflate_kind_levels(kind k)
{
    switch (k) {
    case K_FIRST:
    case K_SUR:
        return 5;
    case K_DATE:
        return 5;
    case K_SEX:
        return 2;
    case K_PHONE:
    case K_ID:
        return 3;
    case K_MIDDLE:
    case K_FULL:
    case K_ADDRESS:
    case K_POSTCODE:
    case K_TOWN:
    case K_EMAIL:
    case K_STRING:
    default:
        return 4;
    }
}

const char *conflate_level_label(kind k, int level)
{
    if (level == (int)LEVEL_NULL)
        return "missing";
    if (level == conflate_kind_levels(k) - 1)
        return "exact";
    if (level == 0)
        return "different";
    switch (k) {
    case K_FIRST:
    case K_SUR:
        return level == 3 ? "swapped first/surname" : level == 2 ? "close (JW>=0.92 or nickname)"
                                                                  : "similar (JW>=0.80 or sound)";
    case K_MIDDLE:
        return level == 2 ? "close (JW>=0.92 or nickname)" : "initial";
    case K_FULL:
        return level == 2 ? "close (JW>=0.94)" : "similar (tokens or JW>=0.85)";
    case K_DATE:
        return level == CONFLATE_DATE_TRANSPOSED ? "day/month swapped"
               : level == CONFLATE_DATE_CLOSE    ? "one digit or <=31 days"
                                                 : "two digits or <=1 year";
    case K_POSTCODE:
        return level == 2 ? "same sector / one edit" : "same district";
    case K_TOWN:
    case K_STRING:
        return level == 2 ? "close (JW>=0.92 or one edit)" : "similar (JW>=0.80)";
    case K_ADDRESS:
        return level == 2 ? "close (JW>=0.94 or two edits)" : "similar (tokens or JW>=0.85)";
    case K_EMAIL:
        return level == 2 ? "one edit" : "same user name";
    case K_PHONE:
    case K_ID:
        return "one edit";
    case K_SEX:
    default:
        return "?";
    }
}

/* Value-pair part of a name comparison: 2 close, 1 similar, 0 different. */
static unsigned cmp_name_pure(const char *a, size_t na, const char *b, size_t nb,
                              const cval *ca, const cval *cb)
{
    if (ca->aux == cb->aux)
        return 2;
    double jw = conflate_jaro_winkler(a, na, b, nb);
    if (jw >= 0.92)
        return 2;
    return (jw >= 0.80 || (ca->phon && ca->phon == cb->phon)) ? 1 : 0;
}

/* Swapped first name and surname: a's value appears in b's other name field, or the reverse
 * (ids of the same text across the two features, from ft->xother). */
static inline int names_swapped(const conflate_engine *eng, const feature *ft, uint32_t ra,
                                uint32_t rb, uint32_t va, uint32_t vb)
{
    int o = (int)(ft->k == K_FIRST ? eng->first_other : eng->sur_other);
    if (o < 0 || !ft->xother)
        return 0;
    uint32_t xa = ft->xother[va], xb = ft->xother[vb];
    return (xa && rec_val(eng, rb, o) == xa) || (xb && rec_val(eng, ra, o) == xb);
}

/*
 * Per-thread memo of value-pair comparisons (direct mapped): names and towns repeat across
 * pairs, and a string comparison costs far more than a lookup. Thread-local storage
 * outlives an engine (the calling thread runs work too), so every entry carries the memo
 * generation of the engine that wrote it: another engine's entries never match.
 */
#define MEMO_BITS 14
typedef struct memo_ent {
    uint64_t key;
    uint32_t level; /* level + 1; 0 = empty */
    uint32_t gen;   /* eng->memo_gen of the writer */
} memo_ent;
static _Thread_local memo_ent memo[1u << MEMO_BITS];

static inline uint64_t memo_key(int f, uint32_t va, uint32_t vb)
{
    if (va > vb) {
        uint32_t t = va;
        va = vb;
        vb = t;
    }
    return ((uint64_t)(unsigned)f << 58) ^ ((uint64_t)va << 29) ^ (uint64_t)vb ^
           ((uint64_t)va >> 35);
}

static unsigned cmp_postcode(const char *a, size_t na, const char *b, size_t nb)
{
    if (conflate_postcode_is_uk(a, na) && conflate_postcode_is_uk(b, nb)) {
        size_t oa = na - 4, ob = nb - 4; /* outward lengths */
        if (oa == ob && !memcmp(a, b, oa)) {
            if (a[oa + 1] == b[ob + 1])
                return 2; /* same sector */
            return 1;     /* same district */
        }
        return conflate_osa_distance(a, na, b, nb, 1) <= 1 ? 2 : 0;
    }
    if (conflate_osa_distance(a, na, b, nb, 1) <= 1)
        return 2;
    if (na == nb && na >= 3 && !memcmp(a, b, na - 1))
        return 1;
    return 0;
}

static unsigned compare_values(const feature *ft, const char *a, size_t na, const char *b,
                               size_t nb, const cval *ca, const cval *cb);

/* The level of two distinct non-null values va, vb of feature f (records ra, rb), given their
   aux/phon and texts: what conflate_compare_feature and conflate_compare_rows share. */
static unsigned compare_distinct(const conflate_engine *eng, int f, uint32_t ra, uint32_t rb,
                                 uint32_t va, uint32_t vb, uint32_t auxa, uint32_t phona,
                                 const char *ta, size_t na, uint32_t auxb, uint32_t phonb,
                                 const char *tb, size_t nb)
{
    const feature *ft = &eng->f[f];
    /* values in id order, so a comparison that is not symmetric (Jaro-Winkler's greedy
     * matching) gives one answer per value pair, memo or not, whatever the pair order */
    if (va > vb) {
        uint32_t t = va;
        va = vb;
        vb = t;
        t = ra;
        ra = rb;
        rb = t;
        t = auxa;
        auxa = auxb;
        auxb = t;
        t = phona;
        phona = phonb;
        phonb = t;
        const char *ts = ta;
        ta = tb;
        tb = ts;
        size_t tn = na;
        na = nb;
        nb = tn;
    }
    if (ft->k == K_DATE)
        return (unsigned)conflate_date_level((int32_t)auxa, (int32_t)auxb);
    unsigned pure;
    /* the memo pays only where values repeat across pairs (names, towns) */
    int use_memo = ft->k == K_FIRST || ft->k == K_SUR || ft->k == K_MIDDLE || ft->k == K_TOWN;
    memo_ent *me = NULL;
    uint64_t key = 0;
    if (use_memo) {
        key = memo_key(f, va, vb);
        me = &memo[(key * 0x9E3779B97F4A7C15ull) >> (64 - MEMO_BITS)];
    }
    if (me && me->level && me->key == key && me->gen == eng->memo_gen) {
        pure = me->level - 1;
    } else {
        cval ca = {0, auxa, phona, 0}, cb = {0, auxb, phonb, 0};
        pure = compare_values(ft, ta, na, tb, nb, &ca, &cb);
        if (me) {
            me->key = key;
            me->level = pure + 1;
            me->gen = eng->memo_gen;
        }
    }
    if ((ft->k == K_FIRST || ft->k == K_SUR) && pure < 2 && names_swapped(eng, ft, ra, rb, va, vb))
        return 3;
    return pure;
}

unsigned conflate_compare_feature(const conflate_engine *eng, int f, uint32_t ra, uint32_t rb)
{
    uint32_t va = rec_val(eng, ra, f), vb = rec_val(eng, rb, f);
    if (!va || !vb)
        return LEVEL_NULL;
    const feature *ft = &eng->f[f];
    if (va == vb)
        return (unsigned)ft->nlevels - 1;
    /* cheap kinds first: no strings, no memo */
    if (ft->k == K_SEX)
        return 0;
    if (!ft->ent) { /* entries not built (only before normalising ends) */
        cval ca = ft->vals[va], cb = ft->vals[vb];
        return compare_values(ft, conflate_strtab_str(&ft->norm, va), ft->norm.len[va],
                              conflate_strtab_str(&ft->norm, vb), ft->norm.len[vb], &ca, &cb);
    }
    const ventry *ea = feature_entry(ft, va), *eb = feature_entry(ft, vb);
    size_t na = ea->len < 65535 ? ea->len : ft->norm.len[va];
    size_t nb = eb->len < 65535 ? eb->len : ft->norm.len[vb];
    return compare_distinct(eng, f, ra, rb, va, vb, ea->aux, ea->phon, entry_text(ft, ea, va), na,
                            eb->aux, eb->phon, entry_text(ft, eb, vb), nb);
}

/* ---- comparison rows ------------------------------------------------------------------- */

/* One value in a comparison row: its aux and phon, then its text when `inl` (NUL included). */
typedef struct rentry {
    uint32_t aux, phon;
    uint16_t len; /* 65535: longer, see the norm table */
    uint8_t inl;
    char s[];
} rentry;
#define RENTRY_HEAD 11u

/* Whether comparisons of kind k read the text (dates read aux, sex nothing). */
static int kind_reads_text(kind k) { return k != K_DATE && k != K_SEX; }

static inline size_t rentry_size(const rentry *r)
{
    return (RENTRY_HEAD + (r->inl ? (size_t)r->len + 1 : 0) + 3) & ~(size_t)3;
}

/* Bytes the row entry of value v (entry e, NULL for null) of feature f needs with its text
   inline. */
static size_t rentry_need(const feature *ft, const ventry *e)
{
    if (!e || !kind_reads_text(ft->k) || e->len >= 65535)
        return RENTRY_HEAD + 1;
    return (RENTRY_HEAD + (size_t)e->len + 1 + 3) & ~(size_t)3;
}

size_t conflate_row_stride(const conflate_engine *eng)
{
    /* the 99th percentile of row sizes over up to 65,536 records spread over the input;
     * a longer row keeps some texts in the norm tables (correct, only slower); capped */
    enum { SAMPLE = 65536 };
    size_t n = eng->n, k = n < SAMPLE ? n : SAMPLE, hist[1025] = {0};
    if (k == 0)
        return 16;
    for (size_t i = 0; i < k; i++) {
        uint32_t r = (uint32_t)(i * (n / k));
        size_t need = 0;
        for (int f = 0; f < eng->nf; f++) {
            const feature *ft = &eng->f[f];
            uint32_t v = rec_val(eng, r, f);
            need += rentry_need(ft, v && ft->ent ? feature_entry(ft, v) : NULL);
        }
        hist[need < 1024 ? need : 1024]++;
    }
    size_t want = (k * 99 + 99) / 100, seen = 0, p99 = 1024;
    for (size_t b = 0; b <= 1024; b++)
        if ((seen += hist[b]) >= want) {
            p99 = b;
            break;
        }
    /* at most ROW_MAX bytes (a row per record: 3.2 GB at ten million records), at least
       the heads of every feature */
    enum { ROW_MAX = 320 };
    if (p99 > ROW_MAX)
        p99 = ROW_MAX;
    size_t least = (size_t)eng->nf * ((RENTRY_HEAD + 1 + 3) & ~(size_t)3);
    if (p99 < least)
        p99 = least;
    return (p99 + 15) & ~(size_t)15;
}

void conflate_row_fill(const conflate_engine *eng, uint32_t r, unsigned char *row, size_t stride)
{
    size_t used = 0, nf = (size_t)eng->nf;
    size_t head = (RENTRY_HEAD + 3) & ~(size_t)3;
    for (size_t f = 0; f < nf; f++) {
        const feature *ft = &eng->f[f];
        uint32_t v = rec_val(eng, r, (int)f);
        rentry *re = (rentry *)(void *)(row + used);
        size_t left_for_rest = (nf - f - 1) * head; /* every later entry fits its head */
        if (!v || !ft->ent) {
            memset(re, 0, head);
            used += head;
            continue;
        }
        const ventry *e = feature_entry(ft, v);
        re->aux = e->aux;
        re->phon = e->phon;
        re->len = e->len;
        size_t need = rentry_need(ft, e);
        re->inl = need > head && used + need + left_for_rest <= stride;
        if (re->inl) /* the text from the entry, or from the norm table when it is longer */
            memcpy(re->s, entry_text(ft, e, v), (size_t)e->len + 1);
        used += rentry_size(re);
    }
}

uint64_t conflate_compare_rows(const conflate_engine *eng, uint32_t a, uint32_t b,
                               const unsigned char *rowa, const unsigned char *rowb)
{
    uint64_t pat = 0;
    const uint32_t *xa = &eng->vals[(size_t)a * (size_t)eng->nf];
    const uint32_t *xb = &eng->vals[(size_t)b * (size_t)eng->nf];
    for (int f = 0; f < eng->nf; f++) {
        const rentry *ea = (const rentry *)(const void *)rowa, *eb = (const rentry *)(const void *)rowb;
        rowa += rentry_size(ea);
        rowb += rentry_size(eb);
        uint32_t va = xa[f], vb = xb[f];
        const feature *ft = &eng->f[f];
        unsigned level;
        if (!va || !vb)
            level = LEVEL_NULL;
        else if (va == vb)
            level = (unsigned)ft->nlevels - 1;
        else if (ft->k == K_SEX)
            level = 0;
        else if (!ft->ent)
            level = conflate_compare_feature(eng, f, a, b);
        else {
            size_t na = ea->len < 65535 ? ea->len : ft->norm.len[va];
            size_t nb = eb->len < 65535 ? eb->len : ft->norm.len[vb];
            const char *ta = ea->inl ? ea->s : conflate_strtab_str(&ft->norm, va);
            const char *tb = eb->inl ? eb->s : conflate_strtab_str(&ft->norm, vb);
            level = compare_distinct(eng, f, a, b, va, vb, ea->aux, ea->phon, ta, na, eb->aux,
                                     eb->phon, tb, nb);
        }
        pat |= (uint64_t)level << (4 * f);
    }
    return pat;
}

/* The comparison of two distinct non-null values, without the swapped-names check. */
static unsigned compare_values(const feature *ft, const char *a, size_t na, const char *b,
                               size_t nb, const cval *ca, const cval *cb)
{
    switch (ft->k) {
    case K_FIRST:
    case K_SUR:
    case K_MIDDLE: {
        if (ft->k == K_MIDDLE && (na == 1 || nb == 1))
            return a[0] == b[0] ? 1 : 0;
        return cmp_name_pure(a, na, b, nb, ca, cb);
    }
    case K_FULL: {
        double jw = conflate_jaro_winkler(a, na, b, nb);
        if (jw >= 0.94)
            return 2;
        return (jw >= 0.85 || conflate_token_jaccard(a, na, b, nb) >= 0.5) ? 1 : 0;
    }
    case K_DATE:
        return (unsigned)conflate_date_level((int32_t)ca->aux, (int32_t)cb->aux);
    case K_SEX:
        return 0;
    case K_POSTCODE:
        return cmp_postcode(a, na, b, nb);
    case K_PHONE:
    case K_ID:
        return conflate_osa_distance(a, na, b, nb, 1) <= 1 ? 1 : 0;
    case K_EMAIL: {
        if (conflate_osa_distance(a, na, b, nb, 1) <= 1)
            return 2;
        const char *ata = memchr(a, '@', na), *atb = memchr(b, '@', nb);
        if (ata && atb && ata - a == atb - b && !memcmp(a, b, (size_t)(ata - a)))
            return 1;
        return 0;
    }
    case K_ADDRESS: {
        double jw = conflate_jaro_winkler(a, na, b, nb);
        if (jw >= 0.94 || conflate_osa_distance(a, na, b, nb, 2) <= 2)
            return 2;
        return (jw >= 0.85 || conflate_token_jaccard(a, na, b, nb) >= 0.5) ? 1 : 0;
    }
    case K_TOWN:
    case K_STRING:
    default: {
        double jw = conflate_jaro_winkler(a, na, b, nb);
        if (jw >= 0.92 || conflate_osa_distance(a, na, b, nb, 1) <= 1)
            return 2;
        return jw >= 0.80 ? 1 : 0;
    }
    }
}

uint64_t conflate_compare_records(const conflate_engine *eng, uint32_t a, uint32_t b)
{
    uint64_t pat = 0;
    for (int f = 0; f < eng->nf; f++)
        pat |= (uint64_t)conflate_compare_feature(eng, f, a, b) << (4 * f);
    return pat;
}

/* ---- estimation ---------------------------------------------------------------------------- */

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A random pair allowed by the mode, or 0 when none was found. */
static int random_pair(const conflate_engine *eng, uint64_t *seed, uint32_t *a, uint32_t *b)
{
    for (int tries = 0; tries < 32; tries++) {
        uint32_t i = (uint32_t)(splitmix(seed) % eng->n);
        uint32_t j;
        if (eng->o.mode == CONFLATE_DEDUPE_ONLY) {
            const source *s = &eng->sources[eng->src[i]];
            if (s->ids.n < 2)
                continue;
            j = s->global[1 + splitmix(seed) % s->ids.n];
        } else {
            j = (uint32_t)(splitmix(seed) % eng->n);
        }
        if (i == j)
            continue;
        if (eng->o.mode == CONFLATE_LINK_ONLY && eng->src[i] == eng->src[j])
            continue;
        *a = i;
        *b = j;
        return 1;
    }
    return 0;
}

typedef struct u_ctx {
    const conflate_engine *eng;
    double (*cnt)[CONFLATE_MAX_FEATURES][MAX_LEVELS]; /* per thread */
} u_ctx;

static void u_range(void *ctx, int tid, size_t b, size_t e)
{
    u_ctx *c = ctx;
    uint64_t seed = 0x5EED0000ull + b;
    for (size_t k = b; k < e; k++) {
        uint32_t i, j;
        if (!random_pair(c->eng, &seed, &i, &j))
            continue;
        for (int f = 0; f < c->eng->nf; f++) {
            unsigned l = conflate_compare_feature(c->eng, f, i, j);
            if (l != LEVEL_NULL)
                c->cnt[tid][f][l] += 1;
        }
    }
}

/* u from random pairs: what agreement looks like between records of different entities. */
static void init_u(conflate_engine *eng)
{
    /* enough random pairs for rare levels, never many more than exist */
    size_t samples = 200000;
    if (eng->possible < samples)
        samples = eng->possible < 1000 ? 1000 : (size_t)eng->possible;
    u_ctx c = {eng, conflate_xcalloc(64, sizeof *c.cnt)};
    conflate_par(eng->threads, samples, 8192, u_range, &c);
    for (int f = 0; f < eng->nf; f++) {
        feature *ft = &eng->f[f];
        double tot = 0, cnt[MAX_LEVELS] = {0};
        for (int t = 0; t < 64; t++)
            for (int l = 0; l < ft->nlevels; l++)
                cnt[l] += c.cnt[t][f][l];
        for (int l = 0; l < ft->nlevels; l++)
            tot += cnt[l];
        for (int l = 0; l < ft->nlevels; l++)
            ft->u[l] = (cnt[l] + 0.5) / (tot + 0.5 * ft->nlevels);
        /* exact agreement between strangers: the value frequencies say it best */
        if (ft->sum_p2 > 0)
            ft->u[ft->nlevels - 1] = ft->sum_p2;
        double s = 0;
        for (int l = 0; l < ft->nlevels; l++)
            s += ft->u[l];
        for (int l = 0; l < ft->nlevels; l++)
            ft->u[l] /= s;
    }
    free(c.cnt);
}

static void init_m(conflate_engine *eng)
{
    for (int f = 0; f < eng->nf; f++) {
        feature *ft = &eng->f[f];
        int L = ft->nlevels;
        ft->m[L - 1] = 0.8;
        double s = 0;
        for (int l = 0; l < L - 1; l++)
            s += l + 1;
        for (int l = 0; l < L - 1; l++)
            ft->m[l] = 0.2 * (l + 1) / s;
    }
}

/* Histogram of comparison vectors: built by block.c into eng via these globals-free arrays. */
typedef struct hist {
    uint64_t *pat;
    double *cnt;
    size_t n;
} hist;

static hist build_hist(const conflate_engine *eng)
{
    /* open addressing on the pattern; distinct patterns are few (hundreds to thousands) */
    size_t cap = 1 << 10, used = 0;
    uint64_t *key = conflate_xmalloc(cap * sizeof *key);
    double *cnt = conflate_xcalloc(cap, sizeof *cnt);
    unsigned char *full = conflate_xcalloc(cap, 1);
    for (size_t i = 0; i < eng->npairs; i++) {
        uint64_t k = eng->pairs[i].pat;
        size_t h = (size_t)((k * 0x9E3779B97F4A7C15ull) >> 20) & (cap - 1);
        while (full[h] && key[h] != k)
            h = (h + 1) & (cap - 1);
        if (!full[h]) {
            full[h] = 1;
            key[h] = k;
            used++;
        }
        cnt[h] += 1;
        if (used * 2 > cap) {
            size_t nc = cap * 2;
            uint64_t *nk = conflate_xmalloc(nc * sizeof *nk);
            double *nn = conflate_xcalloc(nc, sizeof *nn);
            unsigned char *nf = conflate_xcalloc(nc, 1);
            for (size_t j = 0; j < cap; j++) {
                if (!full[j])
                    continue;
                size_t g = (size_t)((key[j] * 0x9E3779B97F4A7C15ull) >> 20) & (nc - 1);
                while (nf[g])
                    g = (g + 1) & (nc - 1);
                nf[g] = 1;
                nk[g] = key[j];
                nn[g] = cnt[j];
            }
            free(key);
            free(cnt);
            free(full);
            key = nk;
            cnt = nn;
            full = nf;
            cap = nc;
        }
    }
    hist h = {conflate_xmalloc((used + 1) * sizeof(uint64_t)), conflate_xmalloc((used + 1) * sizeof(double)), 0};
    for (size_t j = 0; j < cap; j++)
        if (full[j]) {
            h.pat[h.n] = key[j];
            h.cnt[h.n] = cnt[j];
            h.n++;
        }
    free(key);
    free(cnt);
    free(full);
    return h;
}

/*
 * EM over the pattern histogram. Exposed for the unit test of convergence on a known
 * mixture: patterns pat[0..n) with counts cnt, features with nlev levels each.
 */
int conflate_em(int nf, const int *nlev, const uint64_t *pat, const double *cnt, size_t n,
                double m[][MAX_LEVELS], double u[][MAX_LEVELS], double *lambda, int fix_u,
                const double (*ufloor)[MAX_LEVELS], int max_iter)
{
    int it;
    for (it = 1; it <= max_iter; it++) {
        double M[CONFLATE_MAX_FEATURES][MAX_LEVELS] = {{0}}, U[CONFLATE_MAX_FEATURES][MAX_LEVELS] = {{0}};
        double sm = 0, su = 0;
        double lm0 = log(*lambda), lu0 = log(1 - *lambda);
        double lm_tab[CONFLATE_MAX_FEATURES][MAX_LEVELS], lu_tab[CONFLATE_MAX_FEATURES][MAX_LEVELS];
        for (int f = 0; f < nf; f++)
            for (int l = 0; l < nlev[f]; l++) {
                lm_tab[f][l] = log(m[f][l]);
                lu_tab[f][l] = log(u[f][l]);
            }
        for (size_t p = 0; p < n; p++) {
            double lm = lm0, lu = lu0;
            for (int f = 0; f < nf; f++) {
                unsigned l = pat_level(pat[p], f);
                if (l == LEVEL_NULL)
                    continue;
                lm += lm_tab[f][l];
                lu += lu_tab[f][l];
            }
            double d = lu - lm;
            double post = d > 700 ? 0 : 1.0 / (1.0 + exp(d));
            double cm = cnt[p] * post, cu = cnt[p] * (1 - post);
            sm += cm;
            su += cu;
            for (int f = 0; f < nf; f++) {
                unsigned l = pat_level(pat[p], f);
                if (l == LEVEL_NULL)
                    continue;
                M[f][l] += cm;
                U[f][l] += cu;
            }
        }
        double delta = 0;
        double nl = (sm + su) > 0 ? sm / (sm + su) : *lambda;
        if (nl < 1e-9)
            nl = 1e-9;
        if (nl > 1 - 1e-9)
            nl = 1 - 1e-9;
        delta = fabs(nl - *lambda);
        *lambda = nl;
        for (int f = 0; f < nf; f++) {
            double tm = 0, tu = 0;
            for (int l = 0; l < nlev[f]; l++) {
                tm += M[f][l];
                tu += U[f][l];
            }
            double uold[MAX_LEVELS];
            memcpy(uold, u[f], sizeof uold);
            /* a small pseudo-count keeps every level possible in both classes */
            for (int l = 0; l < nlev[f]; l++) {
                double v = (M[f][l] + 0.01) / (tm + 0.01 * nlev[f]);
                delta = fmax(delta, fabs(v - m[f][l]));
                m[f][l] = v;
                if (!fix_u) {
                    double w = (U[f][l] + 0.01) / (tu + 0.01 * nlev[f]);
                    /* blocking only enriches agreement among non-matches: never below the
                     * random-pair rate of a partial level */
                    if (ufloor && l > 0 && w < ufloor[f][l])
                        w = ufloor[f][l];
                    u[f][l] = w;
                }
            }
            if (!fix_u && ufloor) {
                double t = 0;
                for (int l = 0; l < nlev[f]; l++)
                    t += u[f][l];
                for (int l = 0; l < nlev[f]; l++)
                    u[f][l] /= t;
            }
            for (int l = 0; l < nlev[f]; l++)
                delta = fmax(delta, fabs(u[f][l] - uold[l]));
        }
        if (delta < 1e-7)
            break;
    }
    return it > max_iter ? max_iter : it;
}

static int kind_index(const conflate_fit *fit, kind k)
{
    for (int f = 0; f < fit->nf; f++)
        if (fit->k[f] == k)
            return f;
    return -1;
}

/*
 * Where EM starts decides which split it finds: started from vague values it can settle on
 * "same household" (shared surname, address, phone) instead of "same person". When names
 * and a date of birth are compared, start instead from the split given by an obvious rule:
 * same date of birth and first name and surname at least close (or swapped). EM then
 * refines m, u and lambda from there; the rule itself decides nothing.
 */
static void seed_start(const conflate_fit *fit, const hist *h, const int *nlev,
                       double m[][MAX_LEVELS], double u[][MAX_LEVELS], double *lambda)
{
    int F = kind_index(fit, K_FIRST), S = kind_index(fit, K_SUR), D = kind_index(fit, K_DATE);
    if (F < 0 || S < 0 || D < 0)
        return;
    double M[CONFLATE_MAX_FEATURES][MAX_LEVELS] = {{0}}, U[CONFLATE_MAX_FEATURES][MAX_LEVELS] = {{0}};
    double sm = 0, su = 0;
    for (size_t p = 0; p < h->n; p++) {
        unsigned lf = pat_level(h->pat[p], F), ls = pat_level(h->pat[p], S);
        unsigned ld = pat_level(h->pat[p], D);
        int seed = ld == (unsigned)(nlev[D] - 1) && lf != LEVEL_NULL && ls != LEVEL_NULL &&
                   lf >= 2 && ls >= 2;
        *(seed ? &sm : &su) += h->cnt[p];
        for (int f = 0; f < fit->nf; f++) {
            unsigned l = pat_level(h->pat[p], f);
            if (l != LEVEL_NULL)
                (seed ? M : U)[f][l] += h->cnt[p]; /* arrays decay: no lvalue issue */
        }
    }
    if (sm < 10 || su < 10)
        return;
    for (int f = 0; f < fit->nf; f++) {
        double tm = 0, tu = 0;
        for (int l = 0; l < nlev[f]; l++) {
            tm += M[f][l];
            tu += U[f][l];
        }
        for (int l = 0; l < nlev[f]; l++) {
            m[f][l] = (M[f][l] + 1) / (tm + nlev[f]);
            u[f][l] = (U[f][l] + 1) / (tu + nlev[f]);
        }
    }
    *lambda = sm / (sm + su);
}

/*
 * Three-class EM over the pattern histogram. Candidate pairs are a mixture of
 *   M  matches (m, free),
 *   H  related non-matches: people who share much but are not the same person, e.g. members
 *      of one household (surname, address, birth year), or look-alikes that blocking brings
 *      together (h, free),
 *   U  random non-matches (u, held at the random-pair values).
 * Fields are independent within each class, which is far closer to the truth than within a
 * single non-match class: in a household, address, postcode, town and surname agree together.
 * pi[0..2] are the class shares. Returns the iterations run.
 */
static int em3(int nf, const int *nlev, const uint64_t *pat, const double *cnt, size_t n,
               double m[][MAX_LEVELS], double h[][MAX_LEVELS], double u[][MAX_LEVELS],
               double pi[3], int fix_m, int max_iter)
{
    int it;
    for (it = 1; it <= max_iter; it++) {
        double M[CONFLATE_MAX_FEATURES][MAX_LEVELS] = {{0}}, H[CONFLATE_MAX_FEATURES][MAX_LEVELS] = {{0}};
        double lm[CONFLATE_MAX_FEATURES][MAX_LEVELS], lh[CONFLATE_MAX_FEATURES][MAX_LEVELS],
            lu[CONFLATE_MAX_FEATURES][MAX_LEVELS];
        for (int f = 0; f < nf; f++)
            for (int l = 0; l < nlev[f]; l++) {
                lm[f][l] = log(m[f][l]);
                lh[f][l] = log(h[f][l]);
                lu[f][l] = log(u[f][l]);
            }
        double s[3] = {0, 0, 0};
        double l0[3] = {log(pi[0]), log(pi[1]), log(pi[2])};
        for (size_t p = 0; p < n; p++) {
            double a = l0[0], b = l0[1], c = l0[2];
            for (int f = 0; f < nf; f++) {
                unsigned l = pat_level(pat[p], f);
                if (l == LEVEL_NULL)
                    continue;
                a += lm[f][l];
                b += lh[f][l];
                c += lu[f][l];
            }
            double mx = fmax(a, fmax(b, c));
            double ea = exp(a - mx), eb = exp(b - mx), ec = exp(c - mx), t = ea + eb + ec;
            double pm = cnt[p] * ea / t, ph = cnt[p] * eb / t, pu = cnt[p] * ec / t;
            s[0] += pm;
            s[1] += ph;
            s[2] += pu;
            for (int f = 0; f < nf; f++) {
                unsigned l = pat_level(pat[p], f);
                if (l == LEVEL_NULL)
                    continue;
                M[f][l] += pm;
                H[f][l] += ph;
            }
        }
        double tot = s[0] + s[1] + s[2], delta = 0;
        for (int k = 0; k < 3; k++) {
            double v = (s[k] + 1e-3) / (tot + 3e-3);
            delta = fmax(delta, fabs(v - pi[k]));
            pi[k] = v;
        }
        for (int f = 0; f < nf; f++) {
            double tm = 0, th = 0;
            for (int l = 0; l < nlev[f]; l++) {
                tm += M[f][l];
                th += H[f][l];
            }
            for (int l = 0; l < nlev[f]; l++) {
                double v;
                if (!fix_m) {
                    v = (M[f][l] + 0.01) / (tm + 0.01 * nlev[f]);
                    delta = fmax(delta, fabs(v - m[f][l]));
                    m[f][l] = v;
                }
                v = (H[f][l] + 0.01) / (th + 0.01 * nlev[f]);
                delta = fmax(delta, fabs(v - h[f][l]));
                h[f][l] = v;
            }
        }
        if (delta < 1e-6)
            break;
    }
    return it > max_iter ? max_iter : it;
}

/* arg: {dob feature, its exact level} */
static int keep_dob_exact(uint64_t pat, const int *arg)
{
    return pat_level(pat, arg[0]) == (unsigned)arg[1];
}

/* arg: {first feature, surname feature}: both names at least close (or swapped) */
static int keep_names_close(uint64_t pat, const int *arg)
{
    unsigned a = pat_level(pat, arg[0]), b = pat_level(pat, arg[1]);
    return a != LEVEL_NULL && b != LEVEL_NULL && a >= 2 && b >= 2;
}

/* Two-class EM with u held at the random-pair values over the patterns that pass keep(). */
static int em_subset(const hist *h, int nf, const int *nlev, const kind *kinds,
                     int (*keep)(uint64_t, const int *), const int *arg, int blocked,
                     double m[][MAX_LEVELS], double u[][MAX_LEVELS])
{
    uint64_t *pat = conflate_xmalloc((h->n + 1) * sizeof *pat);
    double *cnt = conflate_xmalloc((h->n + 1) * sizeof *cnt);
    size_t k = 0;
    double tot = 0;
    for (size_t i = 0; i < h->n; i++)
        if (keep(h->pat[i], arg)) {
            /* the fields that selected the pairs say nothing in them: blanked */
            pat[k] = h->pat[i] | (0xFull << (4 * arg[0]));
            if (keep == keep_names_close) {
                pat[k] |= 0xFull << (4 * arg[1]);
                /* e-mail addresses and full names are made of the names: not independent */
                for (int f = 0; f < nf; f++)
                    if (kinds[f] == K_EMAIL || kinds[f] == K_FULL)
                        pat[k] |= 0xFull << (4 * f);
            }
            cnt[k++] = h->cnt[i];
            tot += h->cnt[i];
        }
    int ok = tot >= 100;
    if (ok) {
        /* When blocking chose the pairs, u of the non-matches is free here, never below the
         * random-pair rate of a partial level: their strangers agree more than random pairs
         * do (namesakes paired by name and birth year agree on the year, and their number
         * grows faster than the data). Held at the random-pair values, EM took them for
         * matches and m of the date drifted with the size of the data (issue 6: nothing
         * linked at 10 M records). When every pair was compared, the strangers are random
         * pairs: u stays at the random-pair values, which also keeps a small subset from
         * settling on a rare pattern. Only m is kept. */
        double lambda = 0.5, us[CONFLATE_MAX_FEATURES][MAX_LEVELS];
        memcpy(us, u, sizeof us);
        if (blocked)
            conflate_em(nf, nlev, pat, cnt, k, m, us, &lambda, 0,
                        (const double (*)[MAX_LEVELS])u, 500);
        else
            conflate_em(nf, nlev, pat, cnt, k, m, u, &lambda, 1, NULL, 500);
    }
    free(pat);
    free(cnt);
    return ok;
}

/*
 * m, estimated as Splink does: for each field, from candidate pairs selected by agreement on
 * other fields, so that the pairs EM sees are matches and strangers, not relatives. Pairs
 * with the same date of birth give m of every field but the date (relatives rarely share a
 * full date of birth); pairs whose first name and surname agree give m of the date. u stays
 * at the random-pair values. Returns 1 when m was estimated so (then it is held fixed).
 */
static int train_m(const conflate_fit *fit, const hist *h, const int *nlev,
                   double m[][MAX_LEVELS], double u[][MAX_LEVELS])
{
    int F = kind_index(fit, K_FIRST), S = kind_index(fit, K_SUR), D = kind_index(fit, K_DATE);
    if (F < 0 || S < 0 || D < 0)
        return 0;
    double ma[CONFLATE_MAX_FEATURES][MAX_LEVELS], mb[CONFLATE_MAX_FEATURES][MAX_LEVELS];
    memcpy(ma, m, sizeof ma);
    memcpy(mb, m, sizeof mb);
    int a1[2] = {D, nlev[D] - 1}, a2[2] = {F, S};
    kind kinds[CONFLATE_MAX_FEATURES];
    for (int f = 0; f < fit->nf; f++)
        kinds[f] = fit->k[f];
    if (!em_subset(h, fit->nf, nlev, kinds, keep_dob_exact, a1, fit->blocked, ma, u) ||
        !em_subset(h, fit->nf, nlev, kinds, keep_names_close, a2, fit->blocked, mb, u))
        return 0;
    for (int f = 0; f < fit->nf; f++)
        memcpy(m[f], f == D ? mb[f] : ma[f], sizeof m[f]);
    return 1;
}

/* options.debug: the estimate as debug messages; options.debug_hist_path also gets the
 * pattern histogram (hex pattern, count per line) so EM can be replayed offline. */
static void debug_model(const conflate_engine *eng, const hist *h, double seed_lambda, int fix_m,
                        const double pi[3])
{
    conflate_msg(eng, CONFLATE_MSG_DEBUG,
                 "estimate: %zu pairs, %zu patterns, seed lambda %.6g, m trained %d, "
                 "EM iterations %d, pi M %.6g H %.6g U %.6g, prior %.3f prior_h %.3f",
                 eng->npairs, h->n, seed_lambda, fix_m, eng->em_iter, pi[0], pi[1], pi[2],
                 eng->prior, eng->prior_h);
    for (int f = 0; f < eng->nf; f++) {
        const feature *ft = &eng->f[f];
        char line[1024];
        size_t o = (size_t)snprintf(line, sizeof line, "  f%d kind %d:", f, (int)ft->k);
        for (int l = 0; l < ft->nlevels && o < sizeof line; l++)
            o += (size_t)snprintf(line + o, sizeof line - o,
                                  " [%d m %.4g h %.4g u %.4g w %.2f wh %.2f]", l, ft->m[l],
                                  ft->h[l], ft->u[l], ft->w[l], ft->wh[l]);
        conflate_msg(eng, CONFLATE_MSG_DEBUG, "%s", line);
    }
    const char *path = eng->o.debug_hist_path;
    FILE *fp = path ? fopen(path, "w") : NULL;
    if (path && !fp)
        conflate_msg(eng, CONFLATE_MSG_WARNING, "cannot write the histogram to %s", path);
    if (fp) {
        fprintf(fp, "# nf %d\n", eng->nf);
        for (int f = 0; f < eng->nf; f++) {
            fprintf(fp, "# f %d kind %d nlev %d u", f, (int)eng->f[f].k, eng->f[f].nlevels);
            for (int l = 0; l < eng->f[f].nlevels; l++)
                fprintf(fp, " %.17g", eng->f[f].u[l]);
            fprintf(fp, "\n");
        }
        for (size_t i = 0; i < h->n; i++)
            fprintf(fp, "%016llx %.0f\n", (unsigned long long)h->pat[i], h->cnt[i]);
        fclose(fp);
    }
}

void conflate_fit_hist(conflate_fit *fit, const uint64_t *pat, const double *cnt, size_t n)
{
    hist h = {(uint64_t *)pat, (double *)cnt, n}; /* read only below */
    double lambda = 0.1;
    /* start: M from the obvious-match split when there is one; H from the other candidates */
    for (int f = 0; f < fit->nf; f++)
        memcpy(fit->h[f], fit->u[f], sizeof fit->h[f]);
    seed_start(fit, &h, fit->nlev, fit->m, fit->h, &lambda);
    fit->seed_lambda = lambda;
    fit->m_trained = train_m(fit, &h, fit->nlev, fit->m, fit->u);
    fit->pi[0] = lambda;
    fit->pi[1] = fit->pi[2] = (1 - lambda) * 0.5;
    fit->iter = n > 0 ? em3(fit->nf, fit->nlev, pat, cnt, n, fit->m, fit->h, fit->u, fit->pi,
                            fit->m_trained, 1000)
                      : 0;
}

void conflate_estimate(conflate_engine *eng)
{
    progress(eng, "estimate", 0, 3);
    init_u(eng);
    init_m(eng);
    progress(eng, "estimate", 1, 3);
    hist h = build_hist(eng);
    eng->npatterns = h.n;
    conflate_fit *fit = conflate_xcalloc(1, sizeof *fit);
    fit->nf = eng->nf;
    fit->blocked = eng->npairs < eng->possible;
    for (int f = 0; f < eng->nf; f++) {
        fit->k[f] = eng->f[f].k;
        fit->nlev[f] = eng->f[f].nlevels;
        memcpy(fit->m[f], eng->f[f].m, sizeof fit->m[f]);
        memcpy(fit->u[f], eng->f[f].u, sizeof fit->u[f]);
    }
    progress(eng, "estimate", 2, 3);
    conflate_fit_hist(fit, h.pat, h.cnt, h.n);
    eng->em_iter += fit->iter;
    eng->three = 1;
    for (int f = 0; f < eng->nf; f++) {
        feature *ft = &eng->f[f];
        memcpy(ft->m, fit->m[f], sizeof ft->m);
        memcpy(ft->u, fit->u[f], sizeof ft->u);
        memcpy(ft->h, fit->h[f], sizeof ft->h);
        for (int l = 0; l < ft->nlevels; l++) {
            ft->w[l] = log2(ft->m[l] / ft->u[l]);
            ft->wh[l] = log2(ft->h[l] / ft->u[l]);
        }
    }
    eng->lambda = fit->pi[0];
    eng->prior = log2(fit->pi[0] / fit->pi[2]);
    eng->prior_h = log2(fit->pi[1] / fit->pi[2]);
    if (eng->o.debug)
        debug_model(eng, &h, fit->seed_lambda, fit->m_trained, fit->pi);
    free(fit);
    free(h.pat);
    free(h.cnt);
    progress(eng, "estimate", 3, 3);
}

/* log2(1 + 2^x) without overflow */
double conflate_log2_1p_exp2(double x)
{
    if (x > 40)
        return x;
    if (x < -40)
        return 0;
    return log2(1 + exp2(x));
}

double conflate_tf_adjust(const conflate_engine *eng, int f, uint32_t r)
{
    const feature *ft = &eng->f[f];
    uint32_t v = rec_val(eng, r, f);
    if (ft->tfw && v)
        return ft->tfw[v];
    if (!ft->tf || !v || !ft->nonnull || ft->sum_p2 <= 0)
        return 0;
    double p = (double)ft->vals[v].count / (double)ft->nonnull;
    return log2(ft->sum_p2 / p);
}

double conflate_pair_weight(const conflate_engine *eng, uint32_t a, uint32_t b, uint64_t pat)
{
    double w = eng->prior, wh = eng->prior_h;
    for (int f = 0; f < eng->nf; f++) {
        unsigned l = pat_level(pat, f);
        if (l == LEVEL_NULL)
            continue;
        w += eng->f[f].w[l];
        wh += eng->f[f].wh[l];
        if ((int)l == eng->f[f].nlevels - 1) {
            double t = conflate_tf_adjust(eng, f, a);
            w += t;
            wh += t;
        }
    }
    (void)b;
    return eng->three ? w - conflate_log2_1p_exp2(wh) : w;
}

static void score_range(void *ctx, int tid, size_t b, size_t e)
{
    conflate_engine *eng = ctx;
    (void)tid;
    for (size_t i = b; i < e; i++) {
        const pair *p = &eng->pairs[i];
        eng->weight[i] = (float)conflate_pair_weight(eng, p->a, p->b, p->pat);
    }
}

void conflate_score(conflate_engine *eng)
{
    progress(eng, "score", 0, eng->npairs);
    eng->weight = conflate_xmalloc((eng->npairs + 1) * sizeof *eng->weight);
    conflate_par(eng->threads, eng->npairs, 1 << 16, score_range, eng);
    progress(eng, "score", eng->npairs, eng->npairs);
}
