/*
 * cluster.c: analyst constraints and clustering.
 *
 * Links are the candidate pairs whose match probability reaches the threshold. Clusters are
 * built as a maximum spanning forest (Kruskal: strongest links first) in which a link is
 * refused when it would join two groups that must stay apart:
 *   - a cannot_link constraint between them;
 *   - a guard pair: two records scored with strong evidence against a match (weight below
 *     GUARD_WEIGHT, e.g. different dates of birth and names) that a chain of links would
 *     otherwise put in one cluster; refusing the weakest link of the chain splits it there.
 *     The evidence must come from names, dates and identifiers: a pair is a guard pair only
 *     when its weight without the fields that change over a life (address, postcode, town,
 *     phone, e-mail) is below GUARD_WEIGHT too, so a move never forbids a link;
 *   - in link_only mode, two records of the same input (each input is taken to hold one
 *     record per entity, which is what link_only means);
 *   - the record pairs across the two groups sum to evidence against; pairs blocking did not
 *     score are compared when the groups meet (may_join), so a record with few fields cannot
 *     bridge two people.
 * must_link constraints are applied first and always win. When no plain component contains
 * a conflict, the plain union-find result is used as is (the common, fast case).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "conflate/csvin.h"
#include "conflate/engine_int.h"
#include "conflate/radix.h"
#include "util/text.h"

#define GUARD_WEIGHT (-8.0)

/* ---- union-find ------------------------------------------------------------------------- */

static uint32_t uf_find(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

/* ---- constraints ------------------------------------------------------------------------- */

typedef struct cons_ctx {
    conflate_engine *eng;
    const char *path;
    int header;
    int col[5];
} cons_ctx;

static const char *const cons_cols[5] = {"kind", "input_a", "record_a", "input_b", "record_b"};

static uint32_t cons_key(conflate_engine *eng, const char *input, size_t ni, const char *rec,
                         size_t nr)
{
    char buf[1024];
    if (ni + nr + 2 > sizeof buf)
        return 0;
    memcpy(buf, input, ni);
    buf[ni] = 0x1F;
    memcpy(buf + ni + 1, rec, nr);
    return conflate_strtab_intern(&eng->ckeys, buf, ni + 1 + nr, NULL);
}

static iom_err cons_row(void *ud, const conflate_csv_row *row, iom_error *e)
{
    cons_ctx *c = ud;
    if (!c->header) {
        c->header = 1;
        for (int k = 0; k < 5; k++) {
            c->col[k] = -1;
            for (size_t i = 0; i < row->n; i++)
                if (!strcmp(row->f[i], cons_cols[k]))
                    c->col[k] = (int)i;
            if (c->col[k] < 0)
                return iom_fail(e, IOM_EINVAL,
                                "%s: header must be kind,input_a,record_a,input_b,record_b "
                                "(no column '%s')",
                                c->path, cons_cols[k]);
        }
        return IOM_OK;
    }
    for (size_t i = 0; i < row->n; i++)
        if (memchr(row->f[i], 0, row->len[i]) || !iom_utf8_valid(row->f[i], row->len[i]))
            return iom_fail(e, IOM_EINVAL, "%s:%zu: not valid UTF-8 text", c->path, row->line);
    for (int k = 0; k < 5; k++)
        if ((size_t)c->col[k] >= row->n || row->len[c->col[k]] == 0)
            return iom_fail(e, IOM_EINVAL, "%s:%zu: column '%s' is missing or empty", c->path,
                            row->line, cons_cols[k]);
    const char *kw = row->f[c->col[0]];
    int must;
    if (!strcmp(kw, "must_link"))
        must = 1;
    else if (!strcmp(kw, "cannot_link"))
        must = 0;
    else
        return iom_fail(e, IOM_EINVAL, "%s:%zu: kind '%.40s' must be must_link or cannot_link",
                        c->path, row->line, kw);
    conflate_engine *eng = c->eng;
    uint32_t ka = cons_key(eng, row->f[c->col[1]], row->len[c->col[1]], row->f[c->col[2]],
                           row->len[c->col[2]]);
    uint32_t kb = cons_key(eng, row->f[c->col[3]], row->len[c->col[3]], row->f[c->col[4]],
                           row->len[c->col[4]]);
    if (!ka || !kb)
        return iom_fail(e, IOM_EINVAL, "%s:%zu: input or record name too long", c->path, row->line);
    if (ka == kb)
        return iom_fail(e, IOM_EINVAL, "%s:%zu: a record cannot be constrained with itself",
                        c->path, row->line);
    eng->cons = conflate_xrealloc(eng->cons, (eng->ncons + 1) * sizeof *eng->cons);
    eng->cons[eng->ncons++] = (constraint){must, ka, kb, row->line, -1, -1};
    return IOM_OK;
}

static void key_show(const conflate_engine *eng, uint32_t k, char *out, size_t cap)
{
    const char *s = conflate_strtab_str(&eng->ckeys, k);
    const char *sep = strchr(s, 0x1F);
    snprintf(out, cap, "%.*s:%s", (int)(sep - s), s, sep + 1);
}

/* BFS over must-links from a to b; writes the chain into msg. */
static void chain(const conflate_engine *eng, uint32_t a, uint32_t b, char *msg, size_t cap)
{
    uint32_t n = eng->ckeys.n + 1;
    long *via = malloc(n * sizeof *via); /* constraint index used to reach node */
    uint32_t *queue = malloc(n * sizeof *queue);
    if (!via || !queue) {
        free(via);
        free(queue);
        snprintf(msg, cap, "(chain not shown)");
        return;
    }
    for (uint32_t i = 0; i < n; i++)
        via[i] = -2;
    size_t qh = 0, qt = 0;
    queue[qt++] = a;
    via[a] = -1;
    while (qh < qt && via[b] == -2) {
        uint32_t x = queue[qh++];
        for (size_t i = 0; i < eng->ncons; i++) {
            const constraint *c = &eng->cons[i];
            if (!c->must)
                continue;
            uint32_t y = c->ka == x ? c->kb : c->kb == x ? c->ka : 0;
            if (y && via[y] == -2) {
                via[y] = (long)i;
                queue[qt++] = y;
            }
        }
    }
    size_t o = 0;
    char name[300];
    msg[0] = 0;
    for (uint32_t x = b; via[x] >= 0 && o + 80 < cap;) {
        const constraint *c = &eng->cons[via[x]];
        key_show(eng, x, name, sizeof name);
        o += (size_t)snprintf(msg + o, cap - o, "%s%s (line %zu)", o ? " <- " : "", name, c->line);
        x = c->ka == x ? c->kb : c->ka;
    }
    key_show(eng, a, name, sizeof name);
    if (o + 4 < cap)
        snprintf(msg + o, cap - o, " <- %s", name);
    free(via);
    free(queue);
}

static iom_err check_contradictions(conflate_engine *eng, const char *path, iom_error *e)
{
    uint32_t n = eng->ckeys.n + 1;
    uint32_t *parent = conflate_xmalloc(n * sizeof *parent);
    for (uint32_t i = 0; i < n; i++)
        parent[i] = i;
    for (size_t i = 0; i < eng->ncons; i++)
        if (eng->cons[i].must) {
            uint32_t a = uf_find(parent, eng->cons[i].ka), b = uf_find(parent, eng->cons[i].kb);
            parent[a] = b;
        }
    iom_err rc = IOM_OK;
    for (size_t i = 0; i < eng->ncons && rc == IOM_OK; i++) {
        const constraint *c = &eng->cons[i];
        if (c->must || uf_find(parent, c->ka) != uf_find(parent, c->kb))
            continue;
        char a[300], b[300], ch[400];
        key_show(eng, c->ka, a, sizeof a);
        key_show(eng, c->kb, b, sizeof b);
        chain(eng, c->ka, c->kb, ch, sizeof ch);
        rc = iom_fail(e, IOM_EINVAL,
                      "%s: constraints contradict: cannot_link %s / %s (line %zu) but must_link "
                      "joins them: %s",
                      path, a, b, c->line, ch);
    }
    free(parent);
    return rc;
}

iom_err conflate_add_constraints(conflate_engine *eng, const char *path, iom_error *e)
{
    cons_ctx c = {eng, path, 0, {0}};
    iom_err rc = conflate_csv_read_file(path, cons_row, NULL, &c, e);
    if (rc == IOM_OK && !c.header)
        rc = iom_fail(e, IOM_EINVAL, "%s is empty: header kind,input_a,record_a,input_b,record_b "
                      "is needed", path);
    if (rc != IOM_OK)
        return rc;
    return check_contradictions(eng, path, e);
}

iom_err conflate_add_constraint(conflate_engine *eng, int must_link, const char *input_a,
                                const char *record_a, const char *input_b, const char *record_b,
                                iom_error *e)
{
    if (eng->ran)
        return iom_fail(e, IOM_EUSAGE, "constraints after conflate_run");
    uint32_t ka = cons_key(eng, input_a, strlen(input_a), record_a, strlen(record_a));
    uint32_t kb = cons_key(eng, input_b, strlen(input_b), record_b, strlen(record_b));
    if (!ka || !kb)
        return iom_fail(e, IOM_EINVAL, "constraint: input or record name too long");
    if (ka == kb)
        return iom_fail(e, IOM_EINVAL, "constraint: a record cannot be constrained with itself");
    eng->cons = conflate_xrealloc(eng->cons, (eng->ncons + 1) * sizeof *eng->cons);
    eng->cons[eng->ncons] = (constraint){must_link != 0, ka, kb, eng->ncons + 1, -1, -1};
    eng->ncons++;
    return IOM_OK;
}

iom_err conflate_check_constraints(conflate_engine *eng, const char *what, iom_error *e)
{
    return check_contradictions(eng, what, e);
}

iom_err conflate_constraints_resolve(conflate_engine *eng, iom_error *e)
{
    for (size_t i = 0; i < eng->ncons; i++) {
        constraint *c = &eng->cons[i];
        for (int side = 0; side < 2; side++) {
            uint32_t k = side ? c->kb : c->ka;
            const char *s = conflate_strtab_str(&eng->ckeys, k);
            const char *sep = strchr(s, 0x1F);
            char input[512];
            snprintf(input, sizeof input, "%.*s", (int)(sep - s), s);
            long r = conflate_find_record(eng, input, sep + 1);
            if (r < 0)
                return iom_fail(e, IOM_EINVAL,
                                "constraint on line %zu: no record '%s' in input '%s'", c->line,
                                sep + 1, input);
            if (side)
                c->rb = r;
            else
                c->ra = r;
        }
    }
    return IOM_OK;
}

/* ---- clustering -------------------------------------------------------------------------- */

typedef struct edge {
    float w;
    uint32_t a, b;
    size_t idx;
} edge;

/* strongest first; ties by record indexes, so the result never depends on thread timing */
static int edge_cmp(const void *x, const void *y)
{
    const edge *p = x, *q = y;
    if (p->w != q->w)
        return p->w > q->w ? -1 : 1;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return (p->b > q->b) - (p->b < q->b);
}

/* A float's bits as an unsigned key in the float's order, reversed (strongest first); -0 is
   +0, as edge_cmp has them equal. */
static uint32_t weight_key_desc(float w)
{
    w += 0.0f;
    uint32_t u;
    memcpy(&u, &w, sizeof u);
    u = u & 0x80000000u ? ~u : u | 0x80000000u;
    return ~u;
}

/* The edges in edge_cmp's order: they come in pair order, i.e. by (a, b), so a stable sort
   by weight alone gives it. An LSD radix sort, three passes of 11 bits (qsort was most of
   clustering's time at a million records). */
#define EDGE_KEY(x) ((uint64_t)weight_key_desc((x).w))
RADIX_SORT(radix_sort_edges, edge, EDGE_KEY)

static void sort_edges(edge *es, size_t ne, int threads)
{
    int in_pair_order = 1;
    for (size_t i = 1; i < ne && in_pair_order; i++)
        in_pair_order = es[i - 1].a < es[i].a || (es[i - 1].a == es[i].a && es[i - 1].b < es[i].b);
    if (ne < 64 || !in_pair_order) {
        qsort(es, ne, sizeof *es, edge_cmp);
        return;
    }
    radix_digits dg = radix_digits_of(0, 32);
    radix_sort_edges(es, ne, &dg, threads);
}

/*
 * The evidence between records that one plain component (of links) holds: per record, the
 * scored pairs to other records of its component (CSR: adj[start[r] .. start[r + 1])), with
 * their weights; a cannot_link or a guard pair is marked, and always forbids.
 */
typedef struct nb {
    uint32_t other;
    float w;
    uint32_t forbid; /* 0, FORBID_GUARD or FORBID_CANNOT */
} nb;
#define FORBID_GUARD 1u
#define FORBID_CANNOT 2u

typedef struct groups {
    uint32_t *parent, *next, *tail, *size; /* union-find; member lists per root */
    uint64_t *mask;                        /* link_only: inputs present in the group */
    const size_t *start;
    const nb *adj;
    unsigned char *named2;                 /* per root: a personal identifier joined it under */
                                           /* two names (may_join_tied) */
    uint32_t **arr;                        /* per root: its members (NULL: the root alone), */
    uint32_t *cap;                         /* kept for drawing random members (may_join) */
    uint32_t *stamp;                       /* link_only with more than 64 inputs: per input, */
    uint32_t stamped;                      /* the join it was last seen in (may_join) */
} groups;

static uint32_t g_find(groups *g, uint32_t x) { return uf_find(g->parent, x); }

/* Cross pairs compared on the fly when two groups meet: up to this many (a larger join is
 * judged on a random sample of this many, scaled). */
#define CROSS_MAX 256u

/* Whether records x and y may be in one cluster under the mode (a pair the mode never pairs
 * up says nothing). */
static int mode_pairs(const conflate_engine *eng, uint32_t x, uint32_t y)
{
    int same = eng->src[x] == eng->src[y];
    return !((eng->o.mode == CONFLATE_LINK_ONLY && same) ||
             (eng->o.mode == CONFLATE_DEDUPE_ONLY && !same));
}

/* Whether groups ra and rb may be joined: no forbidding pair between them, and the pairs
 * between them add up to evidence for one person (their weights sum to >= 0). Every record
 * pair across the two groups counts, not only those blocking scored: the pairs it did not
 * score are compared here (a random sample of CROSS_MAX of them between large groups), so a record
 * with few fields cannot bridge two
 * people whose own records, never paired by blocking, speak against each other. */
/* Whether the scored pair (x, y) is in x's list (every scored pair of a plain component is). */
static int scored_pair(const groups *g, uint32_t x, uint32_t y)
{
    for (size_t k = g->start[x]; k < g->start[x + 1]; k++)
        if (g->adj[k].other == y)
            return 1;
    return 0;
}

/* A pair blocking did not score, compared now: its weight in *w; false when it forbids the
   join (a guard pair: strong evidence against from names, dates and identifiers alone). */
static int cross_pair(const conflate_engine *eng, uint32_t x, uint32_t y, double *w)
{
    uint32_t a = x < y ? x : y, b = x < y ? y : x;
    uint64_t pat = conflate_compare_records(eng, a, b);
    *w = conflate_pair_weight(eng, a, b, pat);
    return !(*w < GUARD_WEIGHT && conflate_pair_weight_identity(eng, a, b, pat) < GUARD_WEIGHT);
}

static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A join where a personal identifier says one person goes by two names (TIED_LINK): a link
 * whose records share the identifier (the same PNC id, NI number...: conflate_pair_id_tied) and
 * whose names differ (an alias the PNC records, a change of name by deed poll). What the names
 * say against a pair across the groups is then what the identifier explains, not evidence of
 * two people: each pair counts as the more of its weight with and without its names, and
 * forbids the join only when both are strong evidence against by the guard's own test (dates
 * of birth, sex, other identifiers disagreeing). A cannot_link still forbids. Review 126's
 * deed-poll shape: a renamed person's records under the new name and under the old stayed two
 * clusters, though one PNC id tied them.
 *
 * A later join with a group such a link made (TIED_LATER, g->named2): only a record known
 * under one of the group's names has its names so set aside against the group (a record whose
 * names agree with a member's: the person's record under the old name, against the records
 * under the new); the other pairs count as in may_join. Setting every pair's names aside there
 * joined two prisoners of one prison and nearly one date of birth, one of them with an alias
 * of the other's name (review 119's prison shape). Between groups of more than CROSS_MAX
 * pairs, may_join judges instead. */
enum { TIED_NONE, TIED_LINK, TIED_LATER };

/* Per member x of group `of` (mem, n): whether its names agree with a member of group `with`
   (memw, nw), in known[]. */
static void known_under(const conflate_engine *eng, const uint32_t *mem, uint64_t n, const uint32_t *memw,
                        uint64_t nw, unsigned char *known)
{
    for (uint64_t i = 0; i < n; i++) {
        known[i] = 0;
        for (uint64_t j = 0; j < nw && !known[i]; j++) {
            uint32_t a = mem[i] < memw[j] ? mem[i] : memw[j], b = mem[i] < memw[j] ? memw[j] : mem[i];
            known[i] = (unsigned char)conflate_pair_names_agree(eng, conflate_compare_records(eng, a, b));
        }
    }
}

static int may_join_tied(const conflate_engine *eng, groups *g, uint32_t ra, uint32_t rb, int mode)
{
    uint32_t from = g->size[ra] <= g->size[rb] ? ra : rb, to = from == ra ? rb : ra;
    uint64_t nf = g->size[from], nt = g->size[to], total = nf * nt;
    for (uint32_t x = from; x != UINT32_MAX; x = g->next[x])
        for (size_t k = g->start[x]; k < g->start[x + 1]; k++) {
            const nb *p = &g->adj[k];
            if (!p->forbid || g_find(g, p->other) != to)
                continue;
            if (p->forbid == FORBID_CANNOT)
                return 0;
            /* a scored guard pair, judged as the drawn pairs are: between groups of more than
               CROSS_MAX pairs the draw may miss it (review 131) */
            if (total > CROSS_MAX && mode == TIED_LINK) {
                uint32_t a = x < p->other ? x : p->other, b = x < p->other ? p->other : x;
                uint64_t pat = conflate_compare_records(eng, a, b);
                double w = conflate_pair_weight(eng, a, b, pat), wn = conflate_pair_weight_unnamed(eng, a, b, pat, 0);
                double wi = conflate_pair_weight_identity(eng, a, b, pat);
                double wni = conflate_pair_weight_unnamed(eng, a, b, pat, 1);
                if ((w > wn ? w : wn) < GUARD_WEIGHT && (wi > wni ? wi : wni) < GUARD_WEIGHT)
                    return 0;
            }
        }
    uint32_t one_f = from, one_t = to;
    const uint32_t *mf = g->arr[from] ? g->arr[from] : &one_f, *mt = g->arr[to] ? g->arr[to] : &one_t;
    /* TIED_LATER: kf[i], kt[j]: member i of `from` is known under a name of `to` (which a
       personal identifier joined under two names), member j of `to` under one of `from` */
    unsigned char kf[CROSS_MAX], kt[CROSS_MAX];
    if (mode == TIED_LATER) {
        memset(kf, 0, sizeof kf);
        memset(kt, 0, sizeof kt);
        if (g->named2[to])
            known_under(eng, mf, nf, mt, nt, kf);
        if (g->named2[from])
            known_under(eng, mt, nt, mf, nf, kt);
    }
    uint64_t draws = total <= CROSS_MAX ? total : CROSS_MAX, seed = (uint64_t)from << 32 | to;
    double sum = 0;
    for (uint64_t k = 0; k < draws; k++) {
        uint64_t i, j;
        if (total <= CROSS_MAX) {
            i = k / nt;
            j = k % nt;
        } else {
            uint64_t h = mix64(seed + 0x9E3779B97F4A7C15ull * (k + 1));
            i = (h >> 32) % nf;
            j = (uint32_t)h % nt;
        }
        uint32_t x = mf[i], y = mt[j];
        if (!mode_pairs(eng, x, y))
            continue;
        uint32_t a = x < y ? x : y, b = x < y ? y : x;
        uint64_t pat = conflate_compare_records(eng, a, b);
        int waive = mode == TIED_LINK || kf[i] || kt[j];
        double w = conflate_pair_weight(eng, a, b, pat);
        double wn = waive ? conflate_pair_weight_unnamed(eng, a, b, pat, 0) : w;
        if (wn > w)
            w = wn;
        if (w < GUARD_WEIGHT) {
            double wi = conflate_pair_weight_identity(eng, a, b, pat);
            double wni = waive ? conflate_pair_weight_unnamed(eng, a, b, pat, 1) : wi;
            if ((wi > wni ? wi : wni) < GUARD_WEIGHT)
                return 0;
        }
        sum += total <= CROSS_MAX ? w : w * ((double)total / CROSS_MAX);
    }
    return sum >= 0;
}

static int may_join(const conflate_engine *eng, groups *g, uint32_t ra, uint32_t rb, int tied)
{
    if (g->mask && (g->mask[ra] & g->mask[rb]))
        return 0;
    if (g->stamp) { /* more inputs than the mask's 64 bits: the groups' inputs marked */
        if (++g->stamped == 0) {
            memset(g->stamp, 0, ((size_t)eng->nsources + 1) * sizeof *g->stamp);
            g->stamped = 1;
        }
        for (uint32_t y = rb; y != UINT32_MAX; y = g->next[y])
            g->stamp[eng->src[y]] = g->stamped;
        for (uint32_t x = ra; x != UINT32_MAX; x = g->next[x])
            if (g->stamp[eng->src[x]] == g->stamped)
                return 0;
    }
    if (tied == TIED_LINK ||
        (tied == TIED_LATER && (uint64_t)g->size[ra] * g->size[rb] <= CROSS_MAX))
        return may_join_tied(eng, g, ra, rb, tied);
    uint32_t from = g->size[ra] <= g->size[rb] ? ra : rb, to = from == ra ? rb : ra;
    double sum = 0;
    for (uint32_t x = from; x != UINT32_MAX; x = g->next[x])
        for (size_t k = g->start[x]; k < g->start[x + 1]; k++) {
            const nb *p = &g->adj[k];
            if (g_find(g, p->other) != to)
                continue;
            if (p->forbid)
                return 0;
            sum += p->w;
        }
    uint64_t nf = g->size[from], nt = g->size[to], total = nf * nt;
    double w;
    if (total <= CROSS_MAX) {
        /* every pair blocking did not score, compared now */
        for (uint32_t x = from; x != UINT32_MAX; x = g->next[x])
            for (uint32_t y = to; y != UINT32_MAX; y = g->next[y]) {
                if (scored_pair(g, x, y) || !mode_pairs(eng, x, y))
                    continue;
                if (!cross_pair(eng, x, y, &w))
                    return 0;
                sum += w;
            }
        return sum >= 0;
    }
    /* Between larger groups, CROSS_MAX pairs drawn at random (a fixed seed: the same run gives
       the same clusters), each standing for total / CROSS_MAX pairs; scored pairs drawn count
       nothing more (they are in the sum already). Judged on the pairs blocking scored alone,
       two prolific people (40 records each, born 24 years apart) were joined by one vague
       record whose 6 scored pairs were all for the join. */
    uint32_t one_f = from, one_t = to; /* a group of one has no array */
    const uint32_t *mf = g->arr[from] ? g->arr[from] : &one_f, *mt = g->arr[to] ? g->arr[to] : &one_t;
    double scale = (double)total / CROSS_MAX;
    uint64_t seed = (uint64_t)from << 32 | to;
    for (uint32_t k = 0; k < CROSS_MAX; k++) {
        uint64_t h = mix64(seed + 0x9E3779B97F4A7C15ull * (k + 1));
        uint32_t x = mf[(h >> 32) % nf], y = mt[(uint32_t)h % nt];
        if (scored_pair(g, x, y) || !mode_pairs(eng, x, y))
            continue;
        if (!cross_pair(eng, x, y, &w))
            return 0;
        sum += w * scale;
    }
    return sum >= 0;
}

/* The members' array of root r, with room for want members (r alone when it had none). */
static uint32_t *g_arr(groups *g, uint32_t r, uint32_t want)
{
    if (!g->arr[r]) {
        g->cap[r] = want > 4 ? want : 4;
        g->arr[r] = conflate_xmalloc(g->cap[r] * sizeof(uint32_t));
        g->arr[r][0] = r;
    } else if (g->cap[r] < want) {
        while (g->cap[r] < want)
            g->cap[r] *= 2;
        g->arr[r] = conflate_xrealloc(g->arr[r], g->cap[r] * sizeof(uint32_t));
    }
    return g->arr[r];
}

static void g_union(groups *g, uint32_t ra, uint32_t rb)
{
    /* rb becomes the root; ra's members are appended */
    g->parent[ra] = rb;
    g->named2[rb] |= g->named2[ra];
    g->next[g->tail[rb]] = ra;
    g->tail[rb] = g->tail[ra];
    /* the members' arrays: the smaller is copied into the larger (each record is copied
       O(log n) times in all; review 48: may_join walked the whole larger group at every join,
       and 60,000 records of one person took seconds, 200,000 a minute) */
    uint32_t na = g->size[ra], nbm = g->size[rb], tot = na + nbm;
    if (na > nbm) { /* ra's array is the larger: it becomes rb's */
        uint32_t *big = g_arr(g, ra, tot), one = rb;
        const uint32_t *small = g->arr[rb] ? g->arr[rb] : &one;
        memcpy(big + na, small, nbm * sizeof *big);
        free(g->arr[rb]);
        g->arr[rb] = big;
        g->cap[rb] = g->cap[ra];
    } else {
        uint32_t *big = g_arr(g, rb, tot), one = ra;
        const uint32_t *small = g->arr[ra] ? g->arr[ra] : &one;
        memcpy(big + nbm, small, na * sizeof *big);
        free(g->arr[ra]);
    }
    g->arr[ra] = NULL;
    g->size[rb] = tot;
    if (g->mask)
        g->mask[rb] |= g->mask[ra];
}

/*
 * Clusters: links (pairs at or above the threshold) are taken strongest first, and a link
 * joins its two groups unless the evidence between the groups forbids it: a cannot_link, a
 * guard pair (strong evidence against from names, dates and identifiers alone), two records
 * of one input in link_only mode, or scored pairs across the two groups whose weights sum to
 * evidence against (a chain that joins twins through a record without a first name has the
 * twins' own pair against it). must_link constraints are applied first and always win. When
 * no plain component of the links holds a pair with evidence against, the plain components
 * are the clusters (the common, fast case).
 */
/* The passes below read pairs in an order of their own (by weight) and the records' entries
 * of the union-find anywhere: requested AHEAD ahead (the pair), then AHEAD / 2 ahead (its
 * records' parents), so that the waits for memory overlap (at ten million records the
 * parents are 40 MB and the pairs 1.8 GB). */
#define AHEAD 32
static inline void edges_ahead(const conflate_engine *eng, const size_t *edges, size_t k, size_t ne,
                               const uint32_t *parent)
{
    if (k + AHEAD < ne)
        __builtin_prefetch(&eng->pairs[edges[k + AHEAD]]);
    if (k + AHEAD / 2 < ne) {
        const pair *q = &eng->pairs[edges[k + AHEAD / 2]];
        __builtin_prefetch(&parent[q->a]);
        __builtin_prefetch(&parent[q->b]);
    }
}

/* Pair i when both its records are in one judged component (their parents are their roots),
 * else NULL; the parent of pair i + AHEAD's second record is requested ahead. */
static inline const pair *judged_pair(const conflate_engine *eng, const uint32_t *parent,
                                      const unsigned char *judge, size_t i)
{
    if (i + AHEAD < eng->npairs)
        __builtin_prefetch(&parent[eng->pairs[i + AHEAD].b]);
    const pair *p = &eng->pairs[i];
    return judge[p->a] && parent[p->a] == parent[p->b] ? p : NULL;
}

iom_err conflate_cluster(conflate_engine *eng, iom_error *e)
{
    (void)e;
    size_t n = eng->n;
    double wt = log2(eng->o.threshold / (1 - eng->o.threshold));
    double t0 = conflate_now(), t1;
    progress(eng, "cluster", 0, 3);
    size_t ne = 0;
    for (size_t i = 0; i < eng->npairs; i++)
        ne += eng->weight[i] >= wt;
    edge *es = conflate_xmalloc((ne + 1) * sizeof *es);
    ne = 0;
    for (size_t i = 0; i < eng->npairs; i++)
        if (eng->weight[i] >= wt)
            es[ne++] = (edge){eng->weight[i], eng->pairs[i].a, eng->pairs[i].b, i};
    eng->linked = ne;
    sort_edges(es, ne, eng->threads);
    size_t *edges = conflate_xmalloc((ne + 1) * sizeof *edges);
    for (size_t k = 0; k < ne; k++)
        edges[k] = es[k].idx;
    free(es);
    t1 = conflate_now();
    conflate_msg(eng, CONFLATE_MSG_DEBUG, "cluster: %zu links sorted %.2f s", ne, t1 - t0);
    t0 = t1;
    /* plain components */
    uint32_t *parent = conflate_xmalloc((n + 1) * sizeof *parent);
    for (size_t i = 0; i < n; i++)
        parent[i] = (uint32_t)i;
    for (size_t i = 0; i < eng->ncons; i++)
        if (eng->cons[i].must)
            parent[uf_find(parent, (uint32_t)eng->cons[i].ra)] = uf_find(parent, (uint32_t)eng->cons[i].rb);
    /* settled groups (conflate_set_settled): one cluster each to begin with, like must_links */
    uint32_t *ghead = NULL;
    if (eng->settled) {
        ghead = conflate_xcalloc((size_t)eng->max_group + 1, sizeof *ghead);
        for (size_t i = 0; i < n; i++) {
            uint32_t g = eng->settled[i];
            if (!g)
                continue;
            if (!ghead[g])
                ghead[g] = (uint32_t)i + 1;
            else
                parent[uf_find(parent, (uint32_t)i)] = uf_find(parent, ghead[g] - 1);
        }
    }
    for (size_t k = 0; k < ne; k++) {
        edges_ahead(eng, edges, k, ne, parent);
        const pair *p = &eng->pairs[edges[k]];
        uint32_t a = uf_find(parent, p->a), b = uf_find(parent, p->b);
        if (a != b)
            parent[a] = b;
    }
    progress(eng, "cluster", 1, 3);
    /* every record straight to its component's root: the passes over the pairs below then
       read one entry per record instead of walking (and writing) the tree */
    for (size_t i = 0; i < n; i++)
        parent[i] = uf_find(parent, (uint32_t)i);
    /* Which plain components are judged link by link (may_join): those that hold a scored pair
     * with evidence against (weight < 0), a cannot_link, two records of one input in link_only
     * mode, or a pair blocking did not score (three or more records whose pairs are not all
     * scored). In any other component every pair between any two of its groups is scored and
     * for the join, so may_join would accept every link that joins two groups: its links are
     * taken as the plain union-find takes them, without judging (at 1,000,000 records most of
     * clustering's time was may_join's look-ups in components that needed none). */
    uint32_t *sz = conflate_xcalloc(n + 1, sizeof *sz), *inpairs = conflate_xcalloc(n + 1, sizeof *inpairs);
    unsigned char *judge = conflate_xcalloc(n + 1, 1);
    size_t nconf = 0, nin = 0;
    for (size_t i = 0; i < n; i++)
        sz[parent[i]]++;
    for (size_t i = 0; i < eng->npairs; i++) {
        if (i + AHEAD < eng->npairs)
            __builtin_prefetch(&parent[eng->pairs[i + AHEAD].b]);
        const pair *p = &eng->pairs[i];
        uint32_t r = parent[p->a];
        if (r != parent[p->b])
            continue;
        nin++;
        inpairs[r] += inpairs[r] < UINT32_MAX;
        if (eng->weight[i] < 0)
            judge[r] = 1;
    }
    for (size_t i = 0; i < eng->ncons; i++)
        if (!eng->cons[i].must && parent[eng->cons[i].ra] == parent[eng->cons[i].rb])
            judge[parent[eng->cons[i].ra]] = 1;
    for (size_t i = 0; i < n; i++)
        if (parent[i] == i && sz[i] >= 3 && (uint64_t)inpairs[i] < (uint64_t)sz[i] * (sz[i] - 1) / 2)
            judge[i] = 1;
    free(inpairs);
    /* link_only: each input holds one record per entity, so two records of one input are
       never joined: the groups' inputs are a 64-bit mask each, or, with more inputs, marked at
       each join (review 105 HIGH: with 70 inputs the rule was dropped, and two records of one
       input were clustered, without a word) */
    int one_per_input = eng->o.mode == CONFLATE_LINK_ONLY && eng->nsources <= 64;
    int many_inputs = eng->o.mode == CONFLATE_LINK_ONLY && eng->nsources > 64;
    if (many_inputs) /* every component of two or more records is judged */
        for (size_t i = 0; i < n; i++)
            if (parent[i] != i)
                judge[parent[i]] = 1;
    if (one_per_input) {
        /* does a plain component hold two records of one input? */
        uint64_t *m = conflate_xcalloc(n + 1, sizeof *m);
        for (size_t i = 0; i < n; i++) {
            uint32_t r = parent[i];
            uint64_t bit = 1ull << eng->src[i];
            if (m[r] & bit)
                judge[r] = 1;
            m[r] |= bit;
        }
        free(m);
    }
    /* per record: whether its component is judged */
    for (size_t i = 0; i < n; i++)
        if (parent[i] == i && judge[i])
            nconf++;
    for (size_t i = 0; i < n; i++) /* parent[i] is a root: its flag is read, never written */
        judge[i] = judge[parent[i]];
    free(sz);
    eng->accepted = conflate_xmalloc((ne + 1) * sizeof *eng->accepted);
    eng->refused = conflate_xmalloc((ne + 1) * sizeof *eng->refused);
    t1 = conflate_now();
    conflate_msg(eng, CONFLATE_MSG_DEBUG, "cluster: plain components, %zu pairs inside them, %zu components judged: %.2f s",
                 nin, nconf, t1 - t0);
    t0 = t1;
    size_t *start = NULL;
    if (nconf) {
        /* the evidence inside the judged components: scored pairs and cannot_links */
        start = conflate_xcalloc(n + 2, sizeof *start);
        for (size_t i = 0; i < eng->npairs; i++) {
            const pair *p = judged_pair(eng, parent, judge, i);
            if (!p)
                continue;
            start[p->a + 1]++;
            start[p->b + 1]++;
        }
        for (size_t i = 0; i < eng->ncons; i++)
            if (!eng->cons[i].must && judge[eng->cons[i].ra] &&
                parent[eng->cons[i].ra] == parent[eng->cons[i].rb]) {
                start[eng->cons[i].ra + 1]++;
                start[eng->cons[i].rb + 1]++;
            }
        for (size_t i = 0; i < n; i++)
            start[i + 1] += start[i];
        nb *adj = conflate_xmalloc((start[n] + 1) * sizeof *adj);
        size_t *fill = conflate_xmalloc((n + 1) * sizeof *fill);
        memcpy(fill, start, n * sizeof *fill);
        for (size_t i = 0; i < eng->npairs; i++) {
            const pair *p = judged_pair(eng, parent, judge, i);
            if (!p)
                continue;
            float w = eng->weight[i];
            uint32_t forbid = w < GUARD_WEIGHT &&
                              conflate_pair_weight_identity(eng, p->a, p->b, p->pat) < GUARD_WEIGHT;
            adj[fill[p->a]++] = (nb){p->b, w, forbid};
            adj[fill[p->b]++] = (nb){p->a, w, forbid};
        }
        for (size_t i = 0; i < eng->ncons; i++)
            if (!eng->cons[i].must && judge[eng->cons[i].ra] &&
                parent[eng->cons[i].ra] == parent[eng->cons[i].rb]) {
                uint32_t a = (uint32_t)eng->cons[i].ra, b = (uint32_t)eng->cons[i].rb;
                adj[fill[a]++] = (nb){b, 0, FORBID_CANNOT};
                adj[fill[b]++] = (nb){a, 0, FORBID_CANNOT};
            }
        free(fill);
        t1 = conflate_now();
        conflate_msg(eng, CONFLATE_MSG_DEBUG, "cluster: evidence of the components: %.2f s", t1 - t0);
        t0 = t1;
        /* Kruskal, each join asking may_join */
        groups g = {parent, conflate_xmalloc((n + 1) * sizeof(uint32_t)),
                    conflate_xmalloc((n + 1) * sizeof(uint32_t)),
                    conflate_xmalloc((n + 1) * sizeof(uint32_t)), NULL, start, adj, conflate_xcalloc(n + 1, 1),
                    conflate_xcalloc(n + 1, sizeof(uint32_t *)), conflate_xcalloc(n + 1, sizeof(uint32_t))};
        for (size_t i = 0; i < n; i++) {
            parent[i] = (uint32_t)i;
            g.next[i] = UINT32_MAX;
            g.tail[i] = (uint32_t)i;
            g.size[i] = 1;
        }
        if (one_per_input) {
            g.mask = conflate_xmalloc((n + 1) * sizeof *g.mask);
            for (size_t i = 0; i < n; i++)
                g.mask[i] = 1ull << eng->src[i];
        }
        if (many_inputs)
            g.stamp = conflate_xcalloc((size_t)eng->nsources + 1, sizeof *g.stamp);
        for (size_t i = 0; i < eng->ncons; i++)
            if (eng->cons[i].must) {
                uint32_t a = g_find(&g, (uint32_t)eng->cons[i].ra);
                uint32_t b = g_find(&g, (uint32_t)eng->cons[i].rb);
                if (a != b)
                    g_union(&g, a, b);
            }
        for (size_t i = 0; ghead && i < n; i++) {
            uint32_t gr = eng->settled[i];
            if (!gr || ghead[gr] - 1 == i)
                continue;
            uint32_t a = g_find(&g, (uint32_t)i), b = g_find(&g, ghead[gr] - 1);
            if (a != b)
                g_union(&g, a, b);
        }
        for (size_t k = 0; k < ne; k++) {
            edges_ahead(eng, edges, k, ne, g.parent);
            const pair *p = &eng->pairs[edges[k]];
            uint32_t a = g_find(&g, p->a), b = g_find(&g, p->b);
            if (a == b)
                continue;
            if (!judge[p->a]) { /* a component no pair speaks against: joined as found */
                g.parent[a] = b;
                eng->accepted[eng->naccepted++] = edges[k];
                continue;
            }
            int renamed = conflate_pair_id_tied(eng, p->a, p->b, p->pat) &&
                          conflate_pair_names_differ(eng, p->pat);
            int later = g.named2[a] || g.named2[b];
            if (!may_join(eng, &g, a, b, renamed ? TIED_LINK : later ? TIED_LATER : TIED_NONE)) {
                eng->refused[eng->nrefused++] = edges[k];
                continue;
            }
            g_union(&g, a, b);
            g.named2[b] |= renamed;
            eng->accepted[eng->naccepted++] = edges[k];
        }
        eng->guard_splits = eng->nrefused;
        free(g.next);
        free(g.named2);
        free(g.tail);
        free(g.size);
        free(g.mask);
        free(g.stamp);
        for (size_t i = 0; i < n; i++)
            free(g.arr[i]);
        free(g.arr);
        free(g.cap);
        free(adj);
    } else {
        /* accepted links: a spanning forest of the plain components */
        uint32_t *p2 = conflate_xmalloc((n + 1) * sizeof *p2);
        for (size_t i = 0; i < n; i++)
            p2[i] = (uint32_t)i;
        for (size_t i = 0; ghead && i < n; i++)
            if (eng->settled[i] && ghead[eng->settled[i]] - 1 != i)
                p2[uf_find(p2, (uint32_t)i)] = uf_find(p2, ghead[eng->settled[i]] - 1);
        for (size_t k = 0; k < ne; k++) {
            const pair *p = &eng->pairs[edges[k]];
            uint32_t a = uf_find(p2, p->a), b = uf_find(p2, p->b);
            if (a != b) {
                p2[a] = b;
                eng->accepted[eng->naccepted++] = edges[k];
            }
        }
        free(p2);
    }
    free(start);
    free(judge);
    free(ghead);
    t1 = conflate_now();
    conflate_msg(eng, CONFLATE_MSG_DEBUG, "cluster: links judged, %zu accepted, %zu refused: %.2f s", eng->naccepted,
                 eng->nrefused, t1 - t0);
    t0 = t1;
    progress(eng, "cluster", 2, 3);
    eng->cluster = conflate_xcalloc(n + 1, sizeof *eng->cluster);
    uint64_t *ids = conflate_xcalloc(n + 1, sizeof *ids);
    eng->nclusters = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t r = uf_find(parent, (uint32_t)i);
        if (!ids[r])
            ids[r] = ++eng->nclusters;
        eng->cluster[i] = ids[r];
    }
    free(ids);
    free(parent);
    free(edges);
    conflate_msg(eng, CONFLATE_MSG_DEBUG, "cluster: numbered: %.2f s", conflate_now() - t0);
    progress(eng, "cluster", 3, 3);
    return IOM_OK;
}
