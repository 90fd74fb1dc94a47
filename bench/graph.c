/*
 * bench_graph: the network engine (graph/graph.h) on a generated picture, and the same steps
 * by python3-networkx on a subset of it, in one run (issue 17).
 *
 *   bench_graph [NODES LINKS SUBSET] [--no-networkx]     default: 1000000 5000000 100000
 *
 * The network: a seeded degree-corrected community model (an LFR-like benchmark graph):
 * community sizes drawn from a power law (exponent 2, 20..5000 nodes), node activity from a
 * power law (exponent 2.5, capped), 80% of links inside a community and 20% across, both
 * ends drawn in proportion to activity; node numbers shuffled. Repeated links between the
 * same pair are kept as separate links (several reports of one association), as a picture
 * has them; graph_build merges them.
 *
 * Steps on the whole network, each timed (wall and process CPU) with its peak resident
 * memory (VmHWM reset before each step through /proc/self/clear_refs): load (graph_build:
 * filter, merge, adjacency, igraph), PageRank (0.85), Louvain, Leiden, betweenness estimated
 * from a fixed set of 256 sources (graph_sample_sources, seed 256) on 2 threads.
 * Goals: the whole analysis in <= 90 s and <= 4 GB on 2 cores.
 *
 * Then the subset: the first SUBSET nodes in community order (whole communities but the last),
 * chosen by the filter on node type, and the same three steps (PageRank, Louvain, betweenness
 * from 256 sources of the subset) by iom and by networkx 2.8 (Debian python3-networkx with
 * python3-scipy, /usr/bin/python3), printing the ratios; the results are compared
 * (PageRank, betweenness) so both did the same work. networkx's PageRank is asked for the
 * accuracy igraph's PRPACK solves to (L1 change < 1e-10; its own default stops at
 * n * 1e-6, timed and printed too). Goal: >= 20x networkx.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "graph/graph.h"

#define SEED 20261127ULL
#define NSOURCES 256
#define PY "/usr/bin/python3"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec / 1e6;
}

/* VmHWM / VmRSS in MB from /proc/self/status. */
static double status_mb(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    double mb = -1;
    size_t k = strlen(key);
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, key, k))
            mb = atof(line + k + 1) / 1024.0;
    if (f)
        fclose(f);
    return mb;
}

static int reset_peak(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (!f)
        return 0;
    int ok = fputs("5", f) >= 0;
    return fclose(f) == 0 && ok;
}

typedef struct step {
    const char *name;
    double t0, c0, wall, cpu, peak;
} step;

static void begin(step *s, const char *name)
{
    s->name = name;
    reset_peak();
    s->c0 = cpu();
    s->t0 = now();
}

static void end(step *s)
{
    s->wall = now() - s->t0;
    s->cpu = cpu() - s->c0;
    s->peak = status_mb("VmHWM:");
    printf("  %-26s %8.2f s wall  %8.2f s CPU  peak RSS %7.0f MB\n", s->name, s->wall, s->cpu,
           s->peak);
    fflush(stdout);
}

static void die(const char *what, const iom_error *e)
{
    fprintf(stderr, "bench_graph: %s: %s\n", what, e ? e->msg : "failed");
    exit(1);
}

/* ---- the generator ---- */

static uint64_t rng = SEED;
static uint64_t next(void)
{
    uint64_t z = (rng += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
static double uni(void) { return ((next() >> 11) + 0.5) * (1.0 / 9007199254740992.0); }

/* first index in [lo, hi) with cum[i] > x */
static size_t pick(const double *cum, size_t lo, size_t hi, double x)
{
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cum[mid] <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

typedef struct picture {
    size_t n, m;
    graph_node *nodes;
    graph_link *links;
    uint32_t *perm;       /* generator index -> node number */
    size_t communities;
} picture;

static void generate(picture *p, size_t n, size_t m, size_t subset)
{
    p->n = n;
    p->m = m;
    double *w = malloc(n * sizeof *w), *cum = malloc(n * sizeof *cum);
    size_t *cstart = malloc((n + 1) * sizeof *cstart);
    double *ccum = malloc((n + 1) * sizeof *ccum);
    p->perm = malloc(n * sizeof *p->perm);
    p->nodes = calloc(n, sizeof *p->nodes);
    p->links = calloc(m, sizeof *p->links);
    if (!w || !cum || !cstart || !ccum || !p->perm || !p->nodes || !p->links)
        die("generate", NULL);
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        double a = pow(uni(), -1.0 / 1.5); /* P(w > x) = x^-1.5: degree exponent 2.5 */
        w[i] = a > 2000 ? 2000 : a;
        total += w[i];
        cum[i] = total;
    }
    size_t nc = 0;
    for (size_t at = 0; at < n; nc++) {
        double s = floor(20.0 / uni()); /* P(size > x) = 20 / x: exponent 2 */
        size_t size = s > 5000 ? 5000 : (size_t)s;
        if (size > n - at)
            size = n - at;
        cstart[nc] = at;
        at += size;
        ccum[nc] = cum[at - 1];
    }
    cstart[nc] = n;
    p->communities = nc;
    for (size_t i = 0; i < n; i++)
        p->perm[i] = (uint32_t)i;
    for (size_t i = n - 1; i > 0; i--) {
        size_t j = next() % (i + 1);
        uint32_t t = p->perm[i];
        p->perm[i] = p->perm[j];
        p->perm[j] = t;
    }
    for (size_t i = 0; i < n; i++)
        p->nodes[p->perm[i]] = (graph_node){.type = i < subset ? 1 : 2,
                                            .start = GRAPH_TIME_NONE, .end = GRAPH_TIME_NONE};
    for (size_t k = 0; k < m; k++) {
        size_t a, b;
        do {
            if (uni() < 0.8) { /* inside a community chosen by its activity */
                size_t c = pick(ccum, 0, nc, uni() * total);
                double lo = cstart[c] ? cum[cstart[c] - 1] : 0, hi = cum[cstart[c + 1] - 1];
                a = pick(cum, cstart[c], cstart[c + 1], lo + uni() * (hi - lo));
                b = pick(cum, cstart[c], cstart[c + 1], lo + uni() * (hi - lo));
            } else {
                a = pick(cum, 0, n, uni() * total);
                b = pick(cum, 0, n, uni() * total);
            }
            if (a >= n)
                a = n - 1;
            if (b >= n)
                b = n - 1;
        } while (a == b);
        p->links[k] = (graph_link){.from = p->perm[a], .to = p->perm[b],
                                   .type = 1 + (uint32_t)(next() % 3), .grade = 3,
                                   .start = GRAPH_TIME_NONE, .end = GRAPH_TIME_NONE};
    }
    free(w);
    free(cum);
    free(cstart);
    free(ccum);
}

/* ---- iom steps ---- */

typedef struct iom_run {
    step load, pr, louvain, leiden, bc;
    double louvain_q, leiden_q;
    size_t louvain_n, leiden_n;
    graph_central prc, bcc;
    uint32_t *src;
    size_t nsrc;
} iom_run;

static graph_net *run_iom(const picture *p, const graph_filter *f, bool leiden, iom_arena *a,
                          iom_run *r)
{
    iom_error e;
    iom_error_clear(&e);
    graph_net *g;
    begin(&r->load, "load (graph_build)");
    if (graph_build(&g, p->nodes, p->n, p->links, p->m, f, NULL, &e))
        die("graph_build", &e);
    end(&r->load);
    printf("    %zu nodes, %zu links kept, %zu edges after merging\n", graph_node_count(g),
           graph_link_count(g), graph_edge_count(g));
    begin(&r->pr, "PageRank (0.85)");
    graph_central_opts po = {.measures = GRAPH_PAGERANK};
    if (graph_central_get(g, &po, a, &r->prc, &e))
        die("PageRank", &e);
    end(&r->pr);
    graph_communities c;
    begin(&r->louvain, "Louvain");
    graph_community_opts lo = {.method = GRAPH_LOUVAIN, .seed = 1};
    if (graph_communities_get(g, &lo, a, &c, &e))
        die("Louvain", &e);
    end(&r->louvain);
    r->louvain_q = c.modularity;
    r->louvain_n = c.count;
    printf("    %zu communities, modularity %.4f\n", c.count, c.modularity);
    if (leiden) {
        begin(&r->leiden, "Leiden");
        graph_community_opts le = {.method = GRAPH_LEIDEN, .seed = 1};
        if (graph_communities_get(g, &le, a, &c, &e))
            die("Leiden", &e);
        end(&r->leiden);
        r->leiden_q = c.modularity;
        r->leiden_n = c.count;
        printf("    %zu communities, modularity %.4f\n", c.count, c.modularity);
    }
    graph_sample_sources(g, NSOURCES, NSOURCES, a, &r->src, &r->nsrc);
    begin(&r->bc, "betweenness, 256 sources");
    graph_central_opts bo = {.measures = GRAPH_BETWEENNESS, .sources = r->src,
                             .n_sources = r->nsrc, .threads = 2};
    if (graph_central_get(g, &bo, a, &r->bcc, &e))
        die("betweenness", &e);
    end(&r->bc);
    return g;
}

/* ---- networkx ---- */

static const char *nx_script =
    "import resource, sys, time\n"
    "import networkx as nx\n"
    "import scipy.sparse  # imported before the clocks start (networkx imports it lazily)\n"
    "nx.pagerank(nx.path_graph(3))\n"
    "edges, sources, out = sys.argv[1:4]\n"
    "t = time.perf_counter()\n"
    "with open(edges) as f:\n"
    "    n, m = map(int, f.readline().split())\n"
    "    G = nx.Graph()\n"
    "    G.add_nodes_from(range(n))\n"
    "    G.add_edges_from(tuple(map(int, line.split())) for line in f)\n"
    "print('load', time.perf_counter() - t, G.number_of_edges(), flush=True)\n"
    "src = [int(x) for x in open(sources).read().split()]\n"
    "t = time.perf_counter()\n"
    "nx.pagerank(G, alpha=0.85)\n"
    "print('pagerank_default_tol', time.perf_counter() - t, flush=True)\n"
    "t = time.perf_counter()\n"
    "pr = nx.pagerank(G, alpha=0.85, tol=1e-10 / n, max_iter=1000)\n"
    "print('pagerank', time.perf_counter() - t, flush=True)\n"
    "t = time.perf_counter()\n"
    "c = nx.community.louvain_communities(G, seed=1)\n"
    "q = nx.community.modularity(G, c)\n"
    "print('louvain', time.perf_counter() - t, len(c), q, flush=True)\n"
    "t = time.perf_counter()\n"
    "bc = nx.betweenness_centrality_subset(G, src, list(G), normalized=False)\n"
    "print('betweenness', time.perf_counter() - t, flush=True)\n"
    "print('peak_mb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, flush=True)\n"
    "with open(out, 'w') as f:\n"
    "    for v in range(n):\n"
    "        f.write('%r %r\\n' % (pr[v], bc[v]))\n";

typedef struct nx_run {
    double load, pr, pr_default, louvain, bc, q, peak;
    size_t communities;
    int ok;
} nx_run;

static nx_run run_networkx(const picture *p, graph_net *gs, const iom_run *r, const char *dir)
{
    nx_run x = {0};
    size_t ns = graph_node_count(gs);
    uint32_t *row = malloc(p->n * sizeof *row);
    for (size_t i = 0; i < p->n; i++)
        row[i] = UINT32_MAX;
    for (size_t v = 0; v < ns; v++)
        row[graph_node_id(gs, v)] = (uint32_t)v;
    char ep[512], sp[512], op[512], pp[512], cmd[2200];
    snprintf(ep, sizeof ep, "%s/edges.txt", dir);
    snprintf(sp, sizeof sp, "%s/sources.txt", dir);
    snprintf(op, sizeof op, "%s/nx.txt", dir);
    snprintf(pp, sizeof pp, "%s/nx_bench.py", dir);
    FILE *f = fopen(ep, "w");
    size_t kept = 0;
    for (size_t k = 0; k < p->m; k++)
        kept += row[p->links[k].from] != UINT32_MAX && row[p->links[k].to] != UINT32_MAX;
    fprintf(f, "%zu %zu\n", ns, kept);
    for (size_t k = 0; k < p->m; k++)
        if (row[p->links[k].from] != UINT32_MAX && row[p->links[k].to] != UINT32_MAX)
            fprintf(f, "%u %u\n", row[p->links[k].from], row[p->links[k].to]);
    fclose(f);
    f = fopen(sp, "w");
    for (size_t i = 0; i < r->nsrc; i++)
        fprintf(f, "%u\n", row[r->src[i]]);
    fclose(f);
    f = fopen(pp, "w");
    fputs(nx_script, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, PY " '%s' '%s' '%s' '%s'", pp, ep, sp, op);
    FILE *py = popen(cmd, "r");
    char line[256];
    while (py && fgets(line, sizeof line, py)) {
        char key[32];
        double v1 = 0, v3 = 0;
        size_t v2 = 0;
        if (sscanf(line, "%31s %lf %zu %lf", key, &v1, &v2, &v3) < 2)
            continue;
        if (!strcmp(key, "load"))
            x.load = v1;
        else if (!strcmp(key, "pagerank"))
            x.pr = v1;
        else if (!strcmp(key, "pagerank_default_tol"))
            x.pr_default = v1;
        else if (!strcmp(key, "louvain")) {
            x.louvain = v1;
            x.communities = v2;
            x.q = v3;
        } else if (!strcmp(key, "betweenness"))
            x.bc = v1;
        else if (!strcmp(key, "peak_mb"))
            x.peak = v1;
        printf("    networkx %s", line);
        fflush(stdout);
    }
    x.ok = py && pclose(py) == 0 && x.bc > 0;
    /* the same work: PageRank and the betweenness sums agree */
    f = x.ok ? fopen(op, "r") : NULL;
    double pr_diff = 0, bc_rel = 0;
    double n = (double)ns, k = (double)r->nsrc;
    for (size_t v = 0; f && v < ns; v++) {
        double pr, bc;
        if (fscanf(f, "%lf %lf", &pr, &bc) != 2)
            break;
        pr_diff = fmax(pr_diff, fabs(pr - r->prc.pagerank[v]));
        /* ours: normalised estimate = (n / k) sum / ((n-1)(n-2)); networkx's subset,
           unnormalised, undirected: sum / 2 */
        double ours = r->bcc.betweenness[v] * (n - 1) * (n - 2) * k / n, theirs = 2 * bc;
        bc_rel = fmax(bc_rel, fabs(ours - theirs) / fmax(1.0, theirs));
    }
    if (f) {
        fclose(f);
        printf("    agreement: PageRank max |diff| %.2e, betweenness max relative diff %.2e\n",
               pr_diff, bc_rel);
    }
    unlink(ep);
    unlink(sp);
    unlink(op);
    unlink(pp);
    free(row);
    return x;
}

int main(int argc, char **argv)
{
    size_t n = 1000000, m = 5000000, subset = 100000;
    bool nx = true;
    size_t *pos[] = {&n, &m, &subset}, npos = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--no-networkx"))
            nx = false;
        else if (npos < 3)
            *pos[npos++] = strtoull(argv[i], NULL, 10);
    }
    if (subset > n)
        subset = n;
    char la[128] = "?";
    FILE *lf = fopen("/proc/loadavg", "r");
    if (lf && fgets(la, sizeof la, lf))
        la[strcspn(la, "\n")] = '\0';
    if (lf)
        fclose(lf);
    printf("bench_graph: %zu nodes, %zu links, subset %zu; %ld CPUs online; load average %s%s\n",
           n, m, subset, sysconf(_SC_NPROCESSORS_ONLN), la,
           reset_peak() ? "" : " (no /proc/self/clear_refs: peaks are since start)");
    picture p;
    double t0 = now();
    generate(&p, n, m, subset);
    printf("  generated in %.1f s (%zu communities), resident %.0f MB\n", now() - t0,
           p.communities, status_mb("VmRSS:"));
    fflush(stdout);

    iom_arena a;
    iom_arena_init(&a);
    printf("== the whole network\n");
    iom_run full;
    memset(&full, 0, sizeof full);
    double start = now();
    graph_net *g = run_iom(&p, NULL, true, &a, &full);
    double total = full.load.wall + full.pr.wall + full.louvain.wall + full.leiden.wall +
                   full.bc.wall;
    double peak = fmax(fmax(fmax(full.load.peak, full.pr.peak), fmax(full.louvain.peak, full.leiden.peak)),
                       full.bc.peak);
    printf("  analysis: %.1f s wall (%.1f s with the sampling of sources), peak RSS %.0f MB "
           "(input arrays %.0f MB of it) | goals <= 90 s: %s, <= 4096 MB: %s\n",
           total, now() - start, peak,
           (double)(p.m * sizeof *p.links + p.n * sizeof *p.nodes) / 1048576.0,
           total <= 90 ? "met" : "NOT met", peak <= 4096 ? "met" : "NOT met");
    graph_free(g);
    iom_arena_free(&a);
    fflush(stdout);

    printf("== the subset (node type 1: the first %zu nodes in community order)\n", subset);
    iom_arena_init(&a);
    iom_run sub;
    memset(&sub, 0, sizeof sub);
    graph_filter f = {.node_types = (uint32_t[]){1}, .n_node_types = 1};
    graph_net *gs = run_iom(&p, &f, false, &a, &sub);
    if (nx) {
        const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
        nx_run x = run_networkx(&p, gs, &sub, tmp);
        if (!x.ok) {
            fprintf(stderr, "bench_graph: networkx failed (scripts/install-deps.sh bench "
                            "installs python3-networkx and python3-scipy)\n");
            return 1;
        }
        double ours = sub.pr.wall + sub.louvain.wall + sub.bc.wall, theirs = x.pr + x.louvain + x.bc;
        printf("  networkx PageRank at its default tolerance (L1 change < n * 1e-6): %.3f s, "
               "%.1fx iom's\n", x.pr_default, x.pr_default / sub.pr.wall);
        printf("  ratio networkx / iom: PageRank %.1fx (%.3f / %.3f s), Louvain %.1fx "
               "(%.2f / %.2f s; modularity %.4f / %.4f), betweenness %.1fx (%.2f / %.2f s)\n",
               x.pr / sub.pr.wall, x.pr, sub.pr.wall, x.louvain / sub.louvain.wall, x.louvain,
               sub.louvain.wall, x.q, sub.louvain_q, x.bc / sub.bc.wall, x.bc, sub.bc.wall);
        printf("  ratio of the three steps together: %.1fx (%.1f / %.2f s) | goal >= 20x: %s\n",
               theirs / ours, theirs, ours, theirs / ours >= 20 ? "met" : "NOT met");
    }
    graph_free(gs);
    iom_arena_free(&a);
    free(p.nodes);
    free(p.links);
    free(p.perm);
    return 0;
}
