/*
 * cluster.c: analyst constraints and clustering.
 *
 * Links are the candidate pairs whose match probability reaches the threshold. Clusters are
 * built as a maximum spanning forest (Kruskal: strongest links first) in which a link is
 * refused when it would join two groups that must stay apart:
 *   - a cannot_link constraint between them;
 *   - a guard pair: two records scored with strong evidence against a match (weight below
 *     GUARD_WEIGHT, e.g. different dates of birth and names) that a chain of links would
 *     otherwise put in one cluster; refusing the weakest link of the chain splits it there;
 *   - in link_only mode, two records of the same input (each input is taken to hold one
 *     record per entity, which is what link_only means).
 * must_link constraints are applied first and always win. When no plain component contains
 * a conflict, the plain union-find result is used as is (the common, fast case).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "conflate/csvin.h"
#include "conflate/engine_int.h"
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

typedef struct guard {
    uint32_t *parent;
    uint64_t *mask;    /* link_only: inputs present in the group (<= 64 inputs) */
    uint32_t *head;    /* per root: first conflict entry + 1 (0 = none) */
    uint32_t *tail;
    uint32_t *count;
    uint32_t *next;    /* per entry */
    uint32_t *other;   /* per entry: record on the other side */
    size_t nent, capent;
} guard;

static void guard_add(guard *g, uint32_t x, uint32_t y)
{
    if (g->nent + 1 >= g->capent) {
        g->capent = g->capent ? g->capent * 2 : 1024;
        g->next = conflate_xrealloc(g->next, g->capent * sizeof *g->next);
        g->other = conflate_xrealloc(g->other, g->capent * sizeof *g->other);
    }
    uint32_t id = (uint32_t)++g->nent; /* 1-based */
    g->other[id] = y;
    g->next[id] = 0;
    if (g->tail[x])
        g->next[g->tail[x]] = id;
    else
        g->head[x] = id;
    g->tail[x] = id;
    g->count[x]++;
}

static int guard_conflict(guard *g, uint32_t ra, uint32_t rb)
{
    if (g->mask && (g->mask[ra] & g->mask[rb]))
        return 1;
    uint32_t from = g->count[ra] <= g->count[rb] ? ra : rb, to = from == ra ? rb : ra;
    for (uint32_t id = g->head[from]; id; id = g->next[id])
        if (uf_find(g->parent, g->other[id]) == to)
            return 1;
    return 0;
}

static void guard_union(guard *g, uint32_t ra, uint32_t rb)
{
    /* rb becomes the root; ra's conflict list is appended */
    g->parent[ra] = rb;
    if (g->mask)
        g->mask[rb] |= g->mask[ra];
    if (g->head[ra]) {
        if (g->tail[rb])
            g->next[g->tail[rb]] = g->head[ra];
        else
            g->head[rb] = g->head[ra];
        g->tail[rb] = g->tail[ra];
        g->count[rb] += g->count[ra];
    }
}

iom_err conflate_cluster(conflate_engine *eng, iom_error *e)
{
    (void)e;
    size_t n = eng->n;
    double wt = log2(eng->o.threshold / (1 - eng->o.threshold));
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
    qsort(es, ne, sizeof *es, edge_cmp);
    size_t *edges = conflate_xmalloc((ne + 1) * sizeof *edges);
    for (size_t k = 0; k < ne; k++)
        edges[k] = es[k].idx;
    free(es);
    /* plain components */
    uint32_t *parent = conflate_xmalloc((n + 1) * sizeof *parent);
    for (size_t i = 0; i < n; i++)
        parent[i] = (uint32_t)i;
    for (size_t i = 0; i < eng->ncons; i++)
        if (eng->cons[i].must)
            parent[uf_find(parent, (uint32_t)eng->cons[i].ra)] = uf_find(parent, (uint32_t)eng->cons[i].rb);
    for (size_t k = 0; k < ne; k++) {
        const pair *p = &eng->pairs[edges[k]];
        uint32_t a = uf_find(parent, p->a), b = uf_find(parent, p->b);
        if (a != b)
            parent[a] = b;
    }
    progress(eng, "cluster", 1, 3);
    /* conflicts inside plain components */
    guard g;
    memset(&g, 0, sizeof g);
    g.head = conflate_xcalloc(n + 1, sizeof *g.head);
    g.tail = conflate_xcalloc(n + 1, sizeof *g.tail);
    g.count = conflate_xcalloc(n + 1, sizeof *g.count);
    size_t nconf = 0;
    for (size_t i = 0; i < eng->npairs; i++) {
        const pair *p = &eng->pairs[i];
        if (eng->weight[i] < GUARD_WEIGHT && uf_find(parent, p->a) == uf_find(parent, p->b)) {
            guard_add(&g, p->a, p->b);
            guard_add(&g, p->b, p->a);
            nconf++;
        }
    }
    for (size_t i = 0; i < eng->ncons; i++)
        if (!eng->cons[i].must) {
            uint32_t a = (uint32_t)eng->cons[i].ra, b = (uint32_t)eng->cons[i].rb;
            guard_add(&g, a, b);
            guard_add(&g, b, a);
            nconf++;
        }
    int one_per_input = eng->o.mode == CONFLATE_LINK_ONLY && eng->nsources <= 64;
    if (one_per_input) {
        /* does any plain component hold two records of one input? */
        uint64_t *m = conflate_xcalloc(n + 1, sizeof *m);
        for (size_t i = 0; i < n && !nconf; i++) {
            uint32_t r = uf_find(parent, (uint32_t)i);
            uint64_t bit = 1ull << eng->src[i];
            if (m[r] & bit)
                nconf++;
            m[r] |= bit;
        }
        free(m);
    }
    eng->accepted = conflate_xmalloc((ne + 1) * sizeof *eng->accepted);
    eng->refused = conflate_xmalloc((ne + 1) * sizeof *eng->refused);
    if (nconf) {
        /* Kruskal with the guard */
        g.parent = parent;
        for (size_t i = 0; i < n; i++)
            parent[i] = (uint32_t)i;
        if (one_per_input) {
            g.mask = conflate_xmalloc((n + 1) * sizeof *g.mask);
            for (size_t i = 0; i < n; i++)
                g.mask[i] = 1ull << eng->src[i];
        }
        for (size_t i = 0; i < eng->ncons; i++)
            if (eng->cons[i].must) {
                uint32_t a = uf_find(parent, (uint32_t)eng->cons[i].ra);
                uint32_t b = uf_find(parent, (uint32_t)eng->cons[i].rb);
                if (a != b)
                    guard_union(&g, a, b);
            }
        for (size_t k = 0; k < ne; k++) {
            const pair *p = &eng->pairs[edges[k]];
            uint32_t a = uf_find(parent, p->a), b = uf_find(parent, p->b);
            if (a == b)
                continue;
            if (guard_conflict(&g, a, b)) {
                eng->refused[eng->nrefused++] = edges[k];
                continue;
            }
            guard_union(&g, a, b);
            eng->accepted[eng->naccepted++] = edges[k];
        }
        eng->guard_splits = eng->nrefused;
    } else {
        /* accepted links: a spanning forest of the plain components */
        uint32_t *p2 = conflate_xmalloc((n + 1) * sizeof *p2);
        for (size_t i = 0; i < n; i++)
            p2[i] = (uint32_t)i;
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
    free(g.head);
    free(g.tail);
    free(g.count);
    free(g.next);
    free(g.other);
    free(g.mask);
    progress(eng, "cluster", 3, 3);
    return IOM_OK;
}
