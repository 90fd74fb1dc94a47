/*
 * Single-source shortest paths (BFS, or Dijkstra on lengths 1/weight) and Brandes'
 * accumulation, run from a list of sources on worker threads: betweenness (Brandes 2001),
 * closeness sums and eccentricities in one sweep. Our own code because igraph cannot run on
 * two threads at once (ig.c).
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "graph/graph_int.h"

int graph_threads(int requested)
{
    if (requested > 0)
        return requested > 64 ? 64 : requested;
    long c = sysconf(_SC_NPROCESSORS_ONLN);
    return c < 1 ? 1 : c > 64 ? 64 : (int)c;
}

iom_err graph_sssp_init(graph_sssp *s, const graph_net *g, bool weighted, size_t dag_entries,
                        iom_error *e)
{
    memset(s, 0, sizeof *s);
    size_t n = g->n ? g->n : 1;
    s->n = g->n;
    if (dag_entries && !weighted) {
        s->dag = malloc(dag_entries * sizeof *s->dag);
        s->dag_off = malloc((n + 1) * sizeof *s->dag_off);
        /* one-byte level codes need |level(x) - level(y)| <= 1 across every link: only in
           an undirected walk; a directed one keeps full hop counts */
        if (g->directed) {
            s->hops = malloc(n * sizeof *s->hops);
            if (s->hops)
                memset(s->hops, 0xff, n * sizeof *s->hops);
        } else {
            s->lvl = calloc(n, 1);
        }
        s->lvl_end = malloc((n + 1) * sizeof *s->lvl_end);
        s->sigma = calloc(n, sizeof *s->sigma);
        s->coef = calloc(n, sizeof *s->coef);
        s->order = malloc(n * sizeof *s->order);
        if (!s->dag || !s->dag_off || !(s->lvl || s->hops) || !s->lvl_end || !s->sigma ||
            !s->coef || !s->order) {
            graph_sssp_free(s);
            return iom_fail(e, IOM_ENOMEM, "graph: out of memory (shortest-path scratch)");
        }
        return IOM_OK;
    }
    s->sigma = calloc(n, sizeof *s->sigma);
    s->coef = calloc(n, sizeof *s->coef);
    s->order = malloc(n * sizeof *s->order);
    if (weighted) {
        s->dist = malloc(n * sizeof *s->dist);
        s->done = calloc(n, 1);
        s->heap_cap = 1024;
        s->heap_node = malloc(s->heap_cap * sizeof *s->heap_node);
        s->heap_key = malloc(s->heap_cap * sizeof *s->heap_key);
        if (s->dist)
            for (size_t i = 0; i < n; i++)
                s->dist[i] = INFINITY;
    } else {
        s->hops = malloc(n * sizeof *s->hops);
        if (s->hops)
            memset(s->hops, 0xff, n * sizeof *s->hops); /* -1 */
    }
    if (!s->sigma || !s->coef || !s->order ||
        (weighted ? !s->dist || !s->done || !s->heap_node || !s->heap_key : !s->hops)) {
        graph_sssp_free(s);
        return iom_fail(e, IOM_ENOMEM, "graph: out of memory (shortest-path scratch)");
    }
    return IOM_OK;
}

void graph_sssp_free(graph_sssp *s)
{
    free(s->hops);
    free(s->dist);
    free(s->done);
    free(s->sigma);
    free(s->coef);
    free(s->order);
    free(s->heap_node);
    free(s->heap_key);
    free(s->dag);
    free(s->dag_off);
    free(s->lvl);
    free(s->lvl_end);
    memset(s, 0, sizeof *s);
}

void graph_sssp_reset(graph_sssp *s, bool weighted)
{
    for (uint32_t i = 0; i < s->reached; i++) {
        uint32_t v = s->order[i];
        s->sigma[v] = 0;
        s->coef[v] = 0;
        if (s->lvl) {
            s->lvl[v] = 0;
        } else if (!weighted) {
            s->hops[v] = -1;
        } else {
            s->dist[v] = INFINITY;
            s->done[v] = 0;
        }
    }
    s->reached = 0;
}

/* The queue says which nodes come next: ask for their adjacency (offsets 8 ahead, the
 * list's first line and the path count 4 ahead) before it is needed. On the benchmark's
 * million nodes this takes a search from 0.16 to 0.10 s: it waits on memory, not on work.
 * A macro, not a function: GCC 12 deems a function holding only prefetches free of effects
 * and deletes the calls. */
#define PREFETCH_AHEAD(order, sigma, v, head, tail)                                          \
    do {                                                                                   \
        if ((head) + 8 < (tail))                                                           \
            __builtin_prefetch(&(v)->off[(order)[(head) + 8]]);                            \
        if ((head) + 4 < (tail)) {                                                         \
            uint32_t z_ = (order)[(head) + 4];                                             \
            __builtin_prefetch(&(v)->adj[(v)->off[z_]]);                                   \
            __builtin_prefetch(&(sigma)[z_]);                                              \
        }                                                                                  \
    } while (0)

/* Breadth-first search from src, in the three forms the sweeps need, one body specialised
 * by its constant flags (always inlined into the three callers below, so that the flags cost
 * nothing inside the loop):
 *   brandes false: hops and path counts only (paths, diameters);
 *   brandes true:  the successors on shortest paths recorded for accumulate(), levels ending
 *                  at lvl_end[], the adjacency prefetched ahead; codes: one-byte level codes
 *                  (level mod 3, plus 1) instead of hops, for undirected walks. */
static inline __attribute__((always_inline)) void bfs_with(graph_sssp *s, const graph_view *v,
                                                           uint32_t src, const bool brandes,
                                                           const bool codes)
{
    uint32_t *order = s->order, *dag = s->dag, head = 0, tail = 1, level = 0;
    int32_t *hops = s->hops;
    uint8_t *lvl = s->lvl;
    double *sigma = s->sigma;
    uint64_t nd = 0;
    order[0] = src;
    if (codes)
        lvl[src] = 1;
    else
        hops[src] = 0;
    sigma[src] = 1;
    if (brandes)
        s->lvl_end[0] = 1;
    while (head < tail) {
        if (brandes) {
            if (head == s->lvl_end[level])
                s->lvl_end[++level] = tail;
            PREFETCH_AHEAD(order, sigma, v, head, tail);
        }
        uint32_t x = order[head];
        if (brandes)
            s->dag_off[head] = nd;
        head++;
        int32_t next = brandes ? (int32_t)level + 1 : hops[x] + 1;
        uint8_t next_code = (uint8_t)((level + 1) % 3 + 1);
        double sx = sigma[x];
        for (uint64_t j = v->off[x], end = v->off[x + 1]; j < end; j++) {
            uint32_t y = v->adj[j];
            if (codes) {
                uint8_t ly = lvl[y];
                if (ly == 0) {
                    lvl[y] = ly = next_code;
                    order[tail++] = y;
                }
                if (ly != next_code)
                    continue;
            } else {
                if (hops[y] < 0) {
                    hops[y] = next;
                    order[tail++] = y;
                }
                if (hops[y] != next)
                    continue;
            }
            sigma[y] += sx;
            if (brandes)
                dag[nd++] = y;
        }
    }
    if (brandes) {
        s->dag_off[tail] = nd;
        s->levels = level + 1;
    }
    s->reached = tail;
}

/* Hops and path counts only. */
static void bfs(graph_sssp *s, const graph_view *v, uint32_t src)
{
    bfs_with(s, v, src, false, false);
}

/* Brandes in a directed walk: hops, successors recorded. */
static void bfs_brandes_hops(graph_sssp *s, const graph_view *v, uint32_t src)
{
    bfs_with(s, v, src, true, false);
}

/* Brandes in an undirected walk: level codes instead of hops, successors recorded. */
static void bfs_brandes(graph_sssp *s, const graph_view *v, uint32_t src)
{
    bfs_with(s, v, src, true, true);
}

/* Binary heap of (distance, node) with lazy deletion. Returns false when it cannot grow. */
static bool heap_push(graph_sssp *s, size_t *len, double key, uint32_t node)
{
    if (*len == s->heap_cap) {
        size_t cap = s->heap_cap * 2;
        uint32_t *hn = realloc(s->heap_node, cap * sizeof *hn);
        if (!hn)
            return false;
        s->heap_node = hn;
        double *hk = realloc(s->heap_key, cap * sizeof *hk);
        if (!hk)
            return false;
        s->heap_key = hk;
        s->heap_cap = cap;
    }
    size_t i = (*len)++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (s->heap_key[p] <= key)
            break;
        s->heap_key[i] = s->heap_key[p];
        s->heap_node[i] = s->heap_node[p];
        i = p;
    }
    s->heap_key[i] = key;
    s->heap_node[i] = node;
    return true;
}

static void heap_pop(graph_sssp *s, size_t *len, double *key, uint32_t *node)
{
    *key = s->heap_key[0];
    *node = s->heap_node[0];
    size_t n = --(*len);
    double k = s->heap_key[n];
    uint32_t x = s->heap_node[n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && s->heap_key[c + 1] < s->heap_key[c])
            c++;
        if (s->heap_key[c] >= k)
            break;
        s->heap_key[i] = s->heap_key[c];
        s->heap_node[i] = s->heap_node[c];
        i = c;
    }
    s->heap_key[i] = k;
    s->heap_node[i] = x;
}

/* Dijkstra; nodes settle in `order`. Equal distances within graph_same_dist count as ties
 * (sums of 1/weight differ in the last bits). A failed heap growth (out of memory only: the
 * heap starts at 1024 and doubles) stops the run early and is reported by the caller. */
static bool dijkstra(graph_sssp *s, const graph_view *v, uint32_t src)
{
    double *dist = s->dist, *sigma = s->sigma;
    uint8_t *done = s->done;
    size_t len = 0;
    uint32_t tail = 0;
    bool ok = true;
    dist[src] = 0;
    sigma[src] = 1;
    s->order[tail++] = src; /* so that reset clears it even if the push fails */
    done[src] = 1;
    double d = 0;
    uint32_t x = src;
    for (;;) {
        for (uint64_t j = v->off[x], end = v->off[x + 1]; j < end; j++) {
            uint32_t y = v->adj[j];
            if (done[y])
                continue;
            double nd = d + 1.0 / v->ew[v->eid[j]];
            if (isinf(dist[y]) || (nd < dist[y] && !graph_same_dist(nd, dist[y]))) {
                dist[y] = nd;
                sigma[y] = sigma[x];
                if (!heap_push(s, &len, nd, y)) {
                    ok = false;
                    goto out;
                }
            } else if (graph_same_dist(nd, dist[y])) {
                sigma[y] += sigma[x];
            }
        }
        do {
            if (!len)
                goto out;
            heap_pop(s, &len, &d, &x);
        } while (done[x] || d > dist[x]);
        done[x] = 1;
        s->order[tail++] = x;
    }
out:
    s->reached = tail;
    if (!ok) /* nodes labelled but never settled must be cleared too */
        for (uint32_t y = 0; y < s->n; y++)
            if (!isinf(dist[y]) && !done[y]) {
                dist[y] = INFINITY;
                sigma[y] = 0;
            }
    return ok;
}

bool graph_sssp_run(graph_sssp *s, const graph_view *v, bool weighted, uint32_t source)
{
    if (weighted)
        return dijkstra(s, v, source);
    if (s->lvl)
        bfs_brandes(s, v, source);
    else if (s->dag)
        bfs_brandes_hops(s, v, source);
    else
        bfs(s, v, source);
    return true;
}

/* Brandes' accumulation over successors, from the farthest node back: the dependency of x is
 * sigma[x] * sum over successors y of (1 + delta[y]) / sigma[y]; coef[y] keeps that
 * quotient. Adds the dependencies into bc. */
static void accumulate(graph_sssp *s, const graph_view *v, bool weighted, uint32_t src, double *bc)
{
    if (s->dag) { /* the successors were recorded by bfs(): no second pass over all links */
        for (uint32_t i = s->reached; i-- > 0;) {
            uint32_t x = s->order[i];
            double sum = 0;
            for (uint64_t d = s->dag_off[i], end = s->dag_off[i + 1]; d < end; d++)
                sum += s->coef[s->dag[d]];
            double delta = s->sigma[x] * sum;
            if (x != src && bc)
                bc[x] += delta;
            s->coef[x] = (1.0 + delta) / s->sigma[x];
        }
        return;
    }
    for (uint32_t i = s->reached; i-- > 0;) {
        uint32_t x = s->order[i];
        double sum = 0;
        if (weighted) {
            double dx = s->dist[x];
            for (uint64_t j = v->off[x], end = v->off[x + 1]; j < end; j++) {
                uint32_t y = v->adj[j];
                if (!isinf(s->dist[y]) && s->dist[y] > dx &&
                    graph_same_dist(dx + 1.0 / v->ew[v->eid[j]], s->dist[y]))
                    sum += s->coef[y];
            }
        } else {
            int32_t next = s->hops[x] + 1;
            for (uint64_t j = v->off[x], end = v->off[x + 1]; j < end; j++) {
                uint32_t y = v->adj[j];
                if (s->hops[y] == next)
                    sum += s->coef[y];
            }
        }
        double delta = s->sigma[x] * sum;
        if (x != src && bc)
            bc[x] += delta;
        s->coef[x] = (1.0 + delta) / s->sigma[x];
    }
}

typedef struct sweep_task {
    const graph_net *g;
    const graph_view *v;
    bool weighted;
    const uint32_t *src;
    size_t nsrc;
    int stride, first;
    graph_sweep_out out;   /* this thread's sums */
    iom_err rc;
    iom_error err;
} sweep_task;

static void *sweep_worker(void *arg)
{
    sweep_task *t = arg;
    graph_sssp s;
    t->rc = graph_sssp_init(&s, t->g, t->weighted, t->out.betweenness ? t->v->off[t->g->n] : 0,
                            &t->err);
    if (t->rc)
        return NULL;
    for (size_t i = (size_t)t->first; i < t->nsrc; i += (size_t)t->stride) {
        uint32_t src = t->src[i];
        if (!graph_sssp_run(&s, t->v, t->weighted, src)) {
            t->rc = iom_fail(&t->err, IOM_ENOMEM, "graph: out of memory (shortest-path heap)");
            break;
        }
        if (t->out.close_sum && s.dag) {
            for (uint32_t l = 1; l < s.levels; l++)
                for (uint32_t k = s.lvl_end[l - 1]; k < s.lvl_end[l]; k++) {
                    t->out.close_sum[s.order[k]] += l;
                    t->out.close_reach[s.order[k]]++;
                }
        } else if (t->out.close_sum) {
            for (uint32_t k = 1; k < s.reached; k++) {
                uint32_t x = s.order[k];
                t->out.close_sum[x] += t->weighted ? s.dist[x] : (double)s.hops[x];
                t->out.close_reach[x]++;
            }
        }
        if (s.reached) {
            uint32_t last = s.order[s.reached - 1];
            double d = s.dag        ? (double)(s.levels - 1)
                       : t->weighted ? s.dist[last]
                                     : (double)s.hops[last];
            if (d > t->out.max_dist)
                t->out.max_dist = d;
        }
        if (t->out.betweenness)
            accumulate(&s, t->v, t->weighted, src, t->out.betweenness);
        graph_sssp_reset(&s, t->weighted);
    }
    graph_sssp_free(&s);
    return NULL;
}

static iom_err task_arrays(sweep_task *t, uint32_t n, const graph_sweep_out *want)
{
    size_t k = n ? n : 1;
    if (want->betweenness && !(t->out.betweenness = calloc(k, sizeof(double))))
        return IOM_ENOMEM;
    if (want->close_sum && (!(t->out.close_sum = calloc(k, sizeof(double))) ||
                            !(t->out.close_reach = calloc(k, sizeof(uint32_t)))))
        return IOM_ENOMEM;
    return IOM_OK;
}

static void task_free(sweep_task *t)
{
    free(t->out.betweenness);
    free(t->out.close_sum);
    free(t->out.close_reach);
}

iom_err graph_sweep(const graph_net *g, const graph_view *v, bool weighted, const uint32_t *src,
                    size_t nsrc, int threads, graph_sweep_out *out, iom_error *e)
{
    int nt = graph_threads(threads);
    /* Threads pay only when there is work: a thread start and the per-thread arrays (n
       doubles each) cost about as much as a few sweeps of a small network. */
    double work = (double)nsrc * ((double)g->n + 2.0 * (double)v->ne);
    if (work < 2e6)
        nt = 1;
    if ((size_t)nt > nsrc)
        nt = nsrc ? (int)nsrc : 1;
    sweep_task *t = calloc((size_t)nt, sizeof *t);
    pthread_t *th = calloc((size_t)nt, sizeof *th);
    bool *started = calloc((size_t)nt, sizeof *started);
    iom_err rc = t && th && started ? IOM_OK : IOM_ENOMEM;
    for (int i = 0; rc == IOM_OK && i < nt; i++) {
        t[i] = (sweep_task){.g = g, .v = v, .weighted = weighted, .src = src, .nsrc = nsrc,
                            .stride = nt, .first = i};
        if (i == 0) /* the calling thread's task sums straight into out */
            t[i].out = (graph_sweep_out){out->betweenness, out->close_sum, out->close_reach, 0};
        else
            rc = task_arrays(&t[i], g->n, out);
    }
    for (int i = 1; rc == IOM_OK && i < nt; i++)
        started[i] = pthread_create(&th[i], NULL, sweep_worker, &t[i]) == 0;
    if (rc == IOM_OK)
        sweep_worker(&t[0]);
    for (int i = 1; t && started && i < nt; i++) {
        if (started[i])
            pthread_join(th[i], NULL);
        else if (rc == IOM_OK) /* could not start a thread: do its share here */
            sweep_worker(&t[i]);
    }
    for (int i = 0; rc == IOM_OK && i < nt; i++)
        if (t[i].rc) {
            rc = t[i].rc;
            if (e)
                *e = t[i].err;
        }
    /* Sum in thread order: the same thread count gives the same bits every time. */
    for (int i = 0; rc == IOM_OK && i < nt; i++) {
        if (t[i].out.max_dist > out->max_dist)
            out->max_dist = t[i].out.max_dist;
        if (i == 0)
            continue;
        for (uint32_t x = 0; x < g->n; x++) {
            if (out->betweenness)
                out->betweenness[x] += t[i].out.betweenness[x];
            if (out->close_sum) {
                out->close_sum[x] += t[i].out.close_sum[x];
                out->close_reach[x] += t[i].out.close_reach[x];
            }
        }
    }
    for (int i = 1; t && i < nt; i++)
        task_free(&t[i]);
    free(t);
    free(th);
    free(started);
    if (rc == IOM_ENOMEM && (!e || e->code != IOM_ENOMEM))
        return iom_fail(e, IOM_ENOMEM, "graph: out of memory (shortest-path sweep)");
    return rc;
}
