/*
 * bench_lifecycle [--pg] [N] [DIR]: the tasking lifecycle throughput against the SQLite floor, and the
 * latency of a region's `tasking list` page (issue 4, docs/performance.md "Lifecycle (issue 4)").
 *
 * In DIR (default: a new directory under $TMPDIR or /tmp, removed at the end) it creates a
 * database as `iom init` does, users for every force (spoc, sio), a gateway per region, TOEX
 * manager and SIA and a national auditor, and N threats spread round-robin over the 43 forces
 * (timed apart). Then it drives N taskings (default 100000) along the main route through the
 * use-case layer, one committed write transaction per call:
 *
 *   new (spoc) - submit (spoc) - forward (gateway) - accept --sia (toex_manager)
 *   - tor propose (sia; no products) - agree_tor (sia) - agree_tor (sio) - start (sia)
 *   - complete (sia) - reassess (sia) - reassess (sio, same content) - remain (sio) = closed
 *
 * A "transition" is one of these 12 write use-case calls (each is one BEGIN IMMEDIATE ...
 * COMMIT with one history event and one audit entry); 8 of them put the tasking in a new
 * state (new creates it in draft; tor propose, the SIA's agree_tor and both reassess keep it).
 *
 * The floor: on a fresh database file with the same settings (WAL, synchronous=FULL,
 * foreign_keys=ON), as many single-row transactions (BEGIN IMMEDIATE; INSERT; COMMIT) as
 * transitions. It runs interleaved with the lifecycle: after every block of N/1000 taskings,
 * as many floor transactions as the block made transitions, so both see the same disk and
 * the same load (the machine may be shared). One line per tenth of the run. Then 1000 `tasking list` pages (limit 20, one region, random cursors) are timed as
 * that region's gateway and as the auditor.
 *
 * With --pg (issue 19) the whole run is made again on PostgreSQL (a throw-away cluster of
 * scripts/pg-test-cluster.sh beside DIR, fsync on, stopped at exit; the use-cases as iom_owner,
 * IOM_AUDIT_KEY in DIR; the floor stays SQLite's), and the two are printed side by side.
 *
 * Progress goes to stderr only when it is a terminal.
 */
#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/agency.h"
#include "app/app.h"
#include "app/audit.h"
#include "app/tasking.h"
#include "app/threat.h"
#include "app/user.h"
#include "util/heap.h"

#include "pg_cluster.h"

#define SLICES 10
#define LIST_PAGES 1000
#define LIST_LIMIT 20
#define LIST_REGION "yorkshire-humber"
#define MAX_FORCES 64
#define MAX_REGIONS 16
#define NAME_MAX_LEN 64

enum step {
    S_NEW, S_SUBMIT, S_FORWARD, S_ACCEPT, S_TOR_PROPOSE, S_AGREE_SIA, S_AGREE_SIO, S_START,
    S_COMPLETE, S_REASSESS_SIA, S_REASSESS_SIO, S_REMAIN, S_COUNT
};
static const char *const step_names[S_COUNT] = {
    "new", "submit", "forward", "accept", "tor propose", "agree_tor (sia)", "agree_tor (sio)",
    "start", "complete", "reassess (sia)", "reassess (sio)", "remain"};

static const char tor_json[] =
    "{\"services\":[\"intel_development\",\"financial_intelligence\"],"
    "\"start_date\":\"2026-10-01\",\"end_date\":\"2027-03-31\","
    "\"milestones\":[{\"name\":\"Network mapped\",\"due\":\"2027-01-15\"}],"
    "\"products\":[],"
    "\"objectives\":[\"Identify and evidence the controllers\",\"Safeguard the victims\"]}";

static const char assessment_remain[] =
    "{\"harm\":{\"physical\":1,\"psychological\":2,\"financial\":1,\"community\":1,"
    "\"victim_vulnerability\":2},\"scale\":1,\"likelihood\":3,\"confidence\":\"medium\","
    "\"capacity\":1,\"capability\":1,\"needs_national_capability\":false,"
    "\"needs_rocu_capability\":false}";

static const char *const threat_types[] = {"labour", "sexual", "criminal", "cse",
                                           "domestic_servitude", "oic"};

typedef struct force {
    char code[NAME_MAX_LEN];
    char spoc[NAME_MAX_LEN];
    char sio[NAME_MAX_LEN];
    int region;               /* index into regions[] */
} force;

typedef struct region {
    char code[NAME_MAX_LEN];
    char gateway[NAME_MAX_LEN];
    int nforces;
} region;

static force forces[MAX_FORCES];
static int nforces;
static region regions[MAX_REGIONS];
static int nregions;

static bool progress;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile of a sorted array. */
static double pct(const double *v, size_t n, double p)
{
    if (!n)
        return 0;
    size_t k = (size_t)ceil(p / 100.0 * (double)n);
    return v[k ? k - 1 : 0];
}

/* CPU seconds (user, system) of this process so far. */
static void cpu_s(double *user, double *sys)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    *user = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
    *sys = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static void die(const char *what, const iom_ctx *c, iom_err err)
{
    fprintf(stderr, "bench_lifecycle: %s: %s (%s)\n", what, c ? c->err.msg : "", iom_err_name(err));
    exit(1);
}

/* ---- the floor ---------------------------------------------------------------------------- */

typedef struct floor_db {
    sqlite3 *db;
    sqlite3_stmt *begin, *insert, *commit;
    long long done;
    double secs, user, sys;
} floor_db;

static void floor_check(floor_db *f, int rc, const char *what)
{
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "bench_lifecycle: floor %s: %s\n", what, sqlite3_errmsg(f->db));
        exit(1);
    }
}

static void floor_open(floor_db *f, const char *path)
{
    memset(f, 0, sizeof *f);
    floor_check(f, sqlite3_open_v2(path, &f->db,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                   NULL),
                "open");
    floor_check(f, sqlite3_exec(f->db,
                                "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
                                "PRAGMA foreign_keys = ON; PRAGMA trusted_schema = OFF;"
                                "CREATE TABLE floor(id INTEGER PRIMARY KEY, at INTEGER NOT NULL,"
                                " payload TEXT NOT NULL);",
                                NULL, NULL, NULL),
                "settings");
    floor_check(f, sqlite3_prepare_v2(f->db, "BEGIN IMMEDIATE", -1, &f->begin, NULL), "prepare");
    floor_check(f, sqlite3_prepare_v2(f->db, "INSERT INTO floor(at, payload) VALUES (?1, ?2)", -1,
                                      &f->insert, NULL),
                "prepare");
    floor_check(f, sqlite3_prepare_v2(f->db, "COMMIT", -1, &f->commit, NULL), "prepare");
}

static void floor_run(floor_db *f, long long n)
{
    static const char payload[] = "tasking TSK-000000 moved from state submitted to forwarded by "
                                  "a gateway of the requesting region";
    double t0 = now_s(), u0, s0, u1, s1;
    cpu_s(&u0, &s0);
    for (long long i = 0; i < n; i++) {
        floor_check(f, sqlite3_step(f->begin), "begin");
        sqlite3_reset(f->begin);
        sqlite3_bind_int64(f->insert, 1, (sqlite3_int64)(f->done + i));
        sqlite3_bind_text(f->insert, 2, payload, -1, SQLITE_STATIC);
        floor_check(f, sqlite3_step(f->insert), "insert");
        sqlite3_reset(f->insert);
        floor_check(f, sqlite3_step(f->commit), "commit");
        sqlite3_reset(f->commit);
    }
    f->secs += now_s() - t0;
    cpu_s(&u1, &s1);
    f->user += u1 - u0;
    f->sys += s1 - s0;
    f->done += n;
}

static void floor_close(floor_db *f)
{
    sqlite3_finalize(f->begin);
    sqlite3_finalize(f->insert);
    sqlite3_finalize(f->commit);
    sqlite3_close(f->db);
}

/* ---- setup -------------------------------------------------------------------------------- */

static void add_user(iom_ctx *c, const char *actor, const char *name, const char *agency,
                     const char *role)
{
    app_user_input in = {.name = name, .agency = agency, .clearance = "OFFICIAL-SENSITIVE"};
    in.roles[in.nroles++] = role;
    iom_user_t u;
    c->actor_name = actor;
    iom_err err = app_user_add(c, &in, &u);
    if (err)
        die(name, c, err);
}

static int region_index(const char *code)
{
    for (int i = 0; i < nregions; i++)
        if (strcmp(regions[i].code, code) == 0)
            return i;
    if (nregions == MAX_REGIONS) {
        fprintf(stderr, "bench_lifecycle: too many regions\n");
        exit(1);
    }
    snprintf(regions[nregions].code, NAME_MAX_LEN, "%s", code);
    return nregions++;
}

/* Users: an admin, a national auditor, the TOEX manager and SIA, a spoc and an sio at every
   force, a gateway per region (at its ROCU; in London, where there is none, at the Met). */
static void setup_users(iom_ctx *c)
{
    nforces = nregions = 0; /* a second run (--pg) starts again */
    memset(regions, 0, sizeof regions);
    add_user(c, NULL, "admin", "toex", "admin");
    add_user(c, "admin", "auditor", "nca", "auditor");
    add_user(c, "admin", "toex-manager", "toex", "toex_manager");
    add_user(c, "admin", "toex-sia", "toex", "sia");
    iom_agency_t *ag;
    size_t na;
    c->actor_name = "admin";
    app_agency_query aq = {.page = {.limit = APP_PAGE_MAX}};
    const char *anext;
    iom_err err = app_agency_list(c, &aq, &ag, &na, &anext);
    if (err)
        die("agency list", c, err);
    for (size_t i = 0; i < na; i++) {
        if (ag[i].kind != IOM_AGENCY_FORCE || !ag[i].region)
            continue;
        if (nforces == MAX_FORCES) {
            fprintf(stderr, "bench_lifecycle: too many forces\n");
            exit(1);
        }
        force *f = &forces[nforces++];
        snprintf(f->code, NAME_MAX_LEN, "%s", ag[i].code);
        snprintf(f->spoc, NAME_MAX_LEN, "%s-spoc", ag[i].code);
        snprintf(f->sio, NAME_MAX_LEN, "%s-sio", ag[i].code);
        f->region = region_index(ag[i].region);
        regions[f->region].nforces++;
        add_user(c, "admin", f->spoc, f->code, "spoc");
        add_user(c, "admin", f->sio, f->code, "sio");
    }
    for (size_t i = 0; i < na; i++)
        if (ag[i].region_gateway && ag[i].region) { /* the region's ROCU; in London the Met */
            region *r = &regions[region_index(ag[i].region)];
            if (!r->gateway[0]) {
                snprintf(r->gateway, NAME_MAX_LEN, "%s-gateway", ag[i].code);
                add_user(c, "admin", r->gateway, ag[i].code, "gateway");
            }
        }
    for (int r = 0; r < nregions; r++)
        if (!regions[r].gateway[0])
            for (int f = 0; f < nforces; f++)
                if (forces[f].region == r) { /* the first force of a region without a ROCU */
                    snprintf(regions[r].gateway, NAME_MAX_LEN, "%s-gateway", forces[f].code);
                    add_user(c, "admin", regions[r].gateway, forces[f].code, "gateway");
                    break;
                }
    iom_arena_free(c->arena);
}

/* ---- the lifecycle ------------------------------------------------------------------------ */

typedef struct run_stats {
    double step_secs[S_COUNT];
    double *lat;        /* every transition's latency, seconds */
    size_t nlat;
} run_stats;

#define TIMED(st, s, call)                                                                      \
    do {                                                                                       \
        double t0_ = now_s();                                                                  \
        iom_err e_ = (call);                                                                   \
        double dt_ = now_s() - t0_;                                                            \
        if (e_)                                                                                \
            die(step_names[s], c, e_);                                                         \
        (st)->step_secs[s] += dt_;                                                             \
        (st)->lat[(st)->nlat++] = dt_;                                                         \
    } while (0)

static void drive(iom_ctx *c, run_stats *st, const char *threat_ref, const force *f,
                  char ref_out[32])
{
    const char *gateway = regions[f->region].gateway;
    app_bid_input bid = {.threat = threat_ref, .ftm_date = "2026-09-14", .ftm_ref = "FTM-BENCH-1",
                         .summary = "Map the controllers and money behind a network of hand car "
                                    "washes; victims from abroad.",
                         .known = "Intelligence from force systems and partner referrals.",
                         .requirements = {"Who organises and profits from the exploitation?",
                                          "Where are the victims housed and moved?"},
                         .nrequirements = 2,
                         .services = {"intel_development", "financial_intelligence"},
                         .nservices = 2,
                         .urgency = "routine",
                         .timeline = "Within three months"};
    iom_tasking_t t;
    c->actor_name = f->spoc;
    TIMED(st, S_NEW, app_tasking_new(c, &bid, &t));
    char ref[32];
    snprintf(ref, sizeof ref, "%s", t.ref);
    memcpy(ref_out, ref, sizeof ref);
    TIMED(st, S_SUBMIT, app_tasking_act(c, ref, IOM_TA_SUBMIT, NULL, 0, &t));
    c->actor_name = gateway;
    TIMED(st, S_FORWARD, app_tasking_act(c, ref, IOM_TA_FORWARD, NULL, 0, &t));
    app_act_input acc = {.sia = "toex-sia"};
    c->actor_name = "toex-manager";
    TIMED(st, S_ACCEPT, app_tasking_act(c, ref, IOM_TA_ACCEPT, &acc, 0, &t));
    iom_tor_t tor;
    c->actor_name = "toex-sia";
    TIMED(st, S_TOR_PROPOSE, app_tor_propose(c, ref, tor_json, 0, &tor));
    app_act_input agree = {.tor_version = tor.version};
    TIMED(st, S_AGREE_SIA, app_tasking_act(c, ref, IOM_TA_AGREE_TOR, &agree, 0, &t));
    c->actor_name = f->sio;
    TIMED(st, S_AGREE_SIO, app_tasking_act(c, ref, IOM_TA_AGREE_TOR, &agree, 0, &t));
    c->actor_name = "toex-sia";
    TIMED(st, S_START, app_tasking_act(c, ref, IOM_TA_START, NULL, 0, &t));
    TIMED(st, S_COMPLETE, app_tasking_act(c, ref, IOM_TA_COMPLETE, NULL, 0, &t));
    iom_assessment_t a;
    TIMED(st, S_REASSESS_SIA, app_tasking_reassess(c, ref, assessment_remain, 0, &a));
    c->actor_name = f->sio;
    TIMED(st, S_REASSESS_SIO, app_tasking_reassess(c, ref, assessment_remain, 0, &a));
    TIMED(st, S_REMAIN, app_tasking_act(c, ref, IOM_TA_REMAIN, NULL, 0, &t));
    if (t.state != IOM_TS_CLOSED) {
        fprintf(stderr, "bench_lifecycle: %s ended in state %s, not closed\n", ref,
                lifecycle_state_name(t.state));
        exit(1);
    }
}

/* ---- the list ----------------------------------------------------------------------------- */

typedef struct list_stats {
    double p50, p99, max, mean;
    double rows;          /* mean rows per page */
} list_stats;

static list_stats time_list(iom_ctx *c, const char *actor, char (*refs)[32], size_t n,
                            unsigned *seed)
{
    double *lat = malloc(sizeof *lat * LIST_PAGES);
    size_t rows = 0;
    double sum = 0;
    c->actor_name = actor;
    for (int i = 0; i < LIST_PAGES; i++) {
        /* The first page, then pages after random cursors over all the taskings' refs. */
        const char *after = i == 0 ? NULL : refs[(size_t)rand_r(seed) % n];
        app_tasking_query q = {.region = LIST_REGION, .limit = LIST_LIMIT, .after = after};
        iom_tasking_t *v;
        size_t k;
        const char *next;
        double t0 = now_s();
        iom_err err = app_tasking_list(c, &q, &v, &k, &next);
        lat[i] = now_s() - t0;
        if (err)
            die("tasking list", c, err);
        rows += k;
        sum += lat[i];
        iom_arena_free(c->arena);
    }
    qsort(lat, LIST_PAGES, sizeof *lat, cmp_double);
    list_stats s = {pct(lat, LIST_PAGES, 50) * 1e3, pct(lat, LIST_PAGES, 99) * 1e3,
                    lat[LIST_PAGES - 1] * 1e3, sum / LIST_PAGES * 1e3,
                    (double)rows / LIST_PAGES};
    free(lat);
    return s;
}

/* ---- main --------------------------------------------------------------------------------- */

static void rm_db(const char *path)
{
    static const char *const sfx[] = {"", "-wal", "-shm", "-journal", ".key"};
    char p[4096];
    for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
        snprintf(p, sizeof p, "%s%s", path, sfx[i]);
        unlink(p);
    }
}

/* `bench_lifecycle --list DB GATEWAY`: only the list figures, on an existing database (for
   example the one `bench_http --dir` seeds with 100,000 taskings), as GATEWAY (a gateway of
   LIST_REGION) and as `auditor`. The cursors are drawn from every tasking's reference. */
static int list_only(const char *db, const char *gateway)
{
    iom_store *s = NULL;
    iom_error e = {0};
    if (iom_store_open(db, 0, &s, &e)) {
        fprintf(stderr, "bench_lifecycle: %s\n", e.msg);
        return 1;
    }
    iom_arena arena;
    iom_arena_init(&arena);
    iom_ctx ctx;
    iom_ctx *c = &ctx;
    app_ctx_init(c, s, &arena);
    c->os_user = "bench";
    c->via = "system";
    size_t n = 0, cap = 1024;
    char (*refs)[32] = malloc(sizeof *refs * cap);
    char after[32] = "";
    c->actor_name = "auditor";
    for (;;) {
        app_tasking_query q = {.limit = 1000, .after = *after ? after : NULL};
        iom_tasking_t *v;
        size_t k;
        const char *next;
        iom_err err = app_tasking_list(c, &q, &v, &k, &next);
        if (err)
            die("tasking list (all)", c, err);
        for (size_t i = 0; i < k; i++) {
            if (n == cap)
                refs = realloc(refs, sizeof *refs * (cap *= 2));
            snprintf(refs[n++], sizeof *refs, "%s", v[i].ref);
        }
        bool more = next != NULL && k > 0;
        if (more)
            snprintf(after, sizeof after, "%s", next);
        iom_arena_free(&arena);
        if (!more)
            break;
    }
    if (n == 0) {
        fprintf(stderr, "bench_lifecycle: %s has no taskings\n", db);
        return 1;
    }
    unsigned seed = 4242;
    list_stats lg = time_list(c, gateway, refs, n, &seed);
    list_stats la = time_list(c, "auditor", refs, n, &seed);
    printf("tasking list --region %s --limit %d over %s (%zu taskings), %d pages, random cursors:\n",
           LIST_REGION, LIST_LIMIT, db, n, LIST_PAGES);
    printf("  as %-22s p50 %.2f ms  p99 %.2f ms  max %.2f ms  mean %.2f ms  %.1f rows/page\n",
           gateway, lg.p50, lg.p99, lg.max, lg.mean, lg.rows);
    printf("  as %-22s p50 %.2f ms  p99 %.2f ms  max %.2f ms  mean %.2f ms  %.1f rows/page\n",
           "auditor", la.p50, la.p99, la.max, la.mean, la.rows);
    double worst = lg.p99 > la.p99 ? lg.p99 : la.p99;
    printf("list p99 goal < 20 ms: %s\n", worst < 20 ? "met" : "NOT met");
    free(refs);
    iom_arena_free(&arena);
    iom_store_close(s);
    return 0;
}

typedef struct summary {
    double tps, floor_tps, p99, list_gateway_p99, list_auditor_p99;
} summary;

/* One whole run on the database db (a path, or a PostgreSQL URI: backend names it), the SQLite
   floor at fdb. */
static int run_one(const char *db, const char *fdb, const char *dir, long long n,
                   const char *backend, summary *sum)
{
    /* The database, as `iom init` makes it. */
    iom_store *s = NULL;
    iom_error e = {0};
    iom_err err = iom_store_open(db, IOM_STORE_CREATE | IOM_STORE_ANY_SCHEMA, &s, &e);
    if (err) {
        fprintf(stderr, "bench_lifecycle: %s\n", e.msg);
        return 1;
    }
    iom_arena arena;
    iom_arena_init(&arena);
    iom_ctx ctx;
    iom_ctx *c = &ctx;
    app_ctx_init(c, s, &arena);
    c->os_user = "bench";
    c->via = "system";
    if ((err = audit_key_create(audit_key_path(&arena, db), c->audit_key, &c->err)))
        die("audit key", c, err);
    c->has_audit_key = true;
    int from, to;
    if ((err = s->ops->migrate(s, &from, &to, &c->err)))
        die("migrate", c, err);
    if ((err = app_init_reference(c)))
        die("reference data", c, err);
    setup_users(c);
    int list_region = region_index(LIST_REGION);

    char loads[64] = "?";
    FILE *lf = fopen("/proc/loadavg", "r");
    if (lf) {
        if (!fgets(loads, sizeof loads, lf))
            snprintf(loads, sizeof loads, "?");
        loads[strcspn(loads, "\n")] = '\0';
        fclose(lf);
    }
    printf("bench_lifecycle: %lld taskings on %s, dir %s, SQLite %s, %ld cores, load %s\n", n,
           backend, dir, sqlite3_libversion(), sysconf(_SC_NPROCESSORS_ONLN), loads);
    printf("setup: %d forces in %d regions; users: %d spoc + %d sio + %d gateways + admin, "
           "auditor, toex-manager, toex-sia\n",
           nforces, nregions, nforces, nforces, nregions);
    fflush(stdout);

    /* Threats: one per tasking, round-robin over the forces, by the force's spoc. */
    char (*threat_refs)[32] = malloc(sizeof *threat_refs * (size_t)n);
    char (*refs)[32] = malloc(sizeof *refs * (size_t)n);
    double t0 = now_s();
    for (long long i = 0; i < n; i++) {
        const force *f = &forces[i % nforces];
        char title[64];
        snprintf(title, sizeof title, "Bench threat %lld", i + 1);
        char ftm[32]; /* an escalation is recorded once per owner (review 84 L9) */
        snprintf(ftm, sizeof ftm, "FTM-BENCH-%lld", i + 1);
        app_threat_input in = {title, threat_types[i % 6], f->code, f->sio, ftm, "OFFICIAL"};
        iom_threat_t th;
        c->actor_name = f->spoc;
        if ((err = app_threat_add(c, &in, &th)))
            die("threat add", c, err);
        snprintf(threat_refs[i], 32, "%s", th.ref);
        iom_arena_free(&arena);
        if (progress && i % 1000 == 999)
            fprintf(stderr, "\rthreats %lld/%lld", i + 1, n);
    }
    double threat_secs = now_s() - t0;
    if (progress)
        fprintf(stderr, "\n");
    printf("threats: %lld added in %.1f s (%.0f threat adds/s; not part of the figures below)\n",
           n, threat_secs, (double)n / threat_secs);
    fflush(stdout);

    /* The lifecycle, with the floor in SLICES slices between its slices. */
    floor_db fl;
    floor_open(&fl, fdb);
    run_stats st = {0};
    long long ntrans = n * S_COUNT;
    st.lat = malloc(sizeof *st.lat * (size_t)ntrans);
    double run_secs = 0, run_user = 0, run_sys = 0;
    long long done = 0;
    long long block = n / 1000 > 0 ? n / 1000 : 1;
    for (int sl = 0; sl < SLICES; sl++) {
        long long upto = n * (sl + 1) / SLICES, first = done;
        double slice_secs = 0, slice_floor = 0;
        while (done < upto) {
            /* A block of taskings, then as many floor transactions as it made transitions. */
            long long end = done + block < upto ? done + block : upto, bfirst = done;
            double t0b = now_s(), u0, s0, u1, s1;
            cpu_s(&u0, &s0);
            for (; done < end; done++) {
                drive(c, &st, threat_refs[done], &forces[done % nforces], refs[done]);
                iom_arena_free(&arena);
            }
            double dt = now_s() - t0b;
            cpu_s(&u1, &s1);
            run_secs += dt;
            slice_secs += dt;
            run_user += u1 - u0;
            run_sys += s1 - s0;
            double f0 = fl.secs;
            floor_run(&fl, (done - bfirst) * S_COUNT);
            slice_floor += fl.secs - f0;
            if (progress)
                fprintf(stderr, "\rlifecycle %lld/%lld", done, n);
        }
        struct stat sb;
        double mb = stat(db, &sb) == 0 ? (double)sb.st_size / 1e6 : 0;
        if (progress)
            fprintf(stderr, "\r");
        if (done > first)
            printf("  slice %2d/%d: taskings %lld-%lld: %.0f transitions/s, floor %.0f/s, "
                   "ratio %.3f, database %.0f MB\n",
                   sl + 1, SLICES, first + 1, done, (double)(done - first) * S_COUNT / slice_secs,
                   (double)(done - first) * S_COUNT / slice_floor, slice_floor / slice_secs, mb);
        fflush(stdout);
    }
    if (progress)
        fprintf(stderr, "\n");
    floor_close(&fl);

    double tps = (double)ntrans / run_secs;
    double floor_tps = (double)fl.done / fl.secs;
    qsort(st.lat, st.nlat, sizeof *st.lat, cmp_double);
    printf("lifecycle: %lld taskings x %d transitions = %lld transitions in %.1f s: "
           "%.0f transitions/s (%.0f taskings/s)\n",
           n, S_COUNT, ntrans, run_secs, tps, (double)n / run_secs);
    printf("  per transition: p50 %.2f ms  p99 %.2f ms  max %.1f ms\n",
           pct(st.lat, st.nlat, 50) * 1e3, pct(st.lat, st.nlat, 99) * 1e3,
           st.lat[st.nlat - 1] * 1e3);
    printf("  CPU per transition: user %.3f ms, system %.3f ms (the rest of %.3f ms is waiting, "
           "mostly for fsync)\n",
           run_user / (double)ntrans * 1e3, run_sys / (double)ntrans * 1e3,
           run_secs / (double)ntrans * 1e3);
    printf("  mean per step (ms):");
    for (int i = 0; i < S_COUNT; i++)
        printf("%s %s %.2f", i ? "," : "", step_names[i], st.step_secs[i] / (double)n * 1e3);
    printf("\n");
    printf("floor: %lld single-row transactions (BEGIN IMMEDIATE; INSERT; COMMIT), WAL, "
           "synchronous=FULL: %.1f s, %.0f transactions/s\n",
           fl.done, fl.secs, floor_tps);
    printf("  CPU per transaction: user %.3f ms, system %.3f ms\n", fl.user / (double)fl.done * 1e3,
           fl.sys / (double)fl.done * 1e3);
    printf("ratio to the floor: %.3f (goal >= 0.5: %s)\n", tps / floor_tps,
           tps / floor_tps >= 0.5 ? "met" : "NOT met");
    fflush(stdout);

    /* The list: one region's page of 20, as its gateway and as the national auditor. */
    unsigned seed = 4242;
    list_stats lg = time_list(c, regions[list_region].gateway, refs, (size_t)n, &seed);
    list_stats la = time_list(c, "auditor", refs, (size_t)n, &seed);
    printf("tasking list --region %s --limit %d (%d forces of %d, ~%lld of %lld taskings), "
           "%d pages, random cursors:\n",
           LIST_REGION, LIST_LIMIT, regions[list_region].nforces, nforces,
           n * regions[list_region].nforces / nforces, n, LIST_PAGES);
    printf("  as %-22s p50 %.2f ms  p99 %.2f ms  max %.2f ms  mean %.2f ms  %.1f rows/page\n",
           regions[list_region].gateway, lg.p50, lg.p99, lg.max, lg.mean, lg.rows);
    printf("  as %-22s p50 %.2f ms  p99 %.2f ms  max %.2f ms  mean %.2f ms  %.1f rows/page\n",
           "auditor", la.p50, la.p99, la.max, la.mean, la.rows);
    double worst = lg.p99 > la.p99 ? lg.p99 : la.p99;
    printf("list p99 goal < 20 ms: %s\n", worst < 20 ? "met" : "NOT met");
    sum->tps = tps;
    sum->floor_tps = floor_tps;
    sum->p99 = pct(st.lat, st.nlat, 99) * 1e3;
    sum->list_gateway_p99 = lg.p99;
    sum->list_auditor_p99 = la.p99;

    iom_arena_free(&arena);
    iom_store_close(s);
    free(st.lat);
    free(threat_refs);
    free(refs);
    return 0;
}

int main(int argc, char **argv)
{
    long long n = 100000;
    iom_heap_tune(); /* as the iom binary does (src/main.c) */
    bool pg = argc > 1 && strcmp(argv[1], "--pg") == 0;
    if (pg) { /* bench_lifecycle --pg [N] [DIR]: SQLite, then PostgreSQL */
        argv++;
        argc--;
    }
    if (argc == 4 && strcmp(argv[1], "--list") == 0)
        return list_only(argv[2], argv[3]);
    if (argc > 3 || (argc > 1 && (n = atoll(argv[1])) <= 0)) {
        fprintf(stderr, "usage: bench_lifecycle [--pg] [N_TASKINGS (default 100000)] [DIR]\n"
                        "       bench_lifecycle --list DB GATEWAY\n");
        return 2;
    }
    progress = isatty(2);
    char dir[4096];
    bool own_dir = argc < 3;
    if (own_dir) {
        const char *tmp = getenv("TMPDIR");
        snprintf(dir, sizeof dir, "%s/iom-bench-lifecycle-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(dir)) {
            fprintf(stderr, "bench_lifecycle: mkdtemp %s: %s\n", dir, strerror(errno));
            return 1;
        }
    } else {
        snprintf(dir, sizeof dir, "%s", argv[2]);
        if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
            fprintf(stderr, "bench_lifecycle: mkdir %s: %s\n", dir, strerror(errno));
            return 1;
        }
    }
    char db[4200], fdb[4200];
    snprintf(db, sizeof db, "%s/lifecycle.db", dir);
    snprintf(fdb, sizeof fdb, "%s/floor.db", dir);
    rm_db(db);
    rm_db(fdb);

    summary sq = {0}, ps = {0};
    int rc = run_one(db, fdb, dir, n, "SQLite", &sq);
    if (rc)
        return rc;
    if (pg) {
        /* The same on PostgreSQL: a throw-away cluster beside DIR (fsync on), everything as the
           owner role (it applies the schema; the use-cases and their SQL are the same as for
           the servers' role); the floor stays SQLite's, on the same disk. */
        pg_cluster pc;
        char base[4096]; /* beside DIR (DIR itself is 0700: not for the `postgres` user) */
        snprintf(base, sizeof base, "%s", dir);
        char *slash = strrchr(base, '/');
        if (slash && slash != base)
            *slash = '\0';
        else
            snprintf(base, sizeof base, "/tmp");
        pg_start(base, &pc);
        char key[4300];
        snprintf(key, sizeof key, "%s/pg.key", dir);
        unlink(key);
        setenv("IOM_AUDIT_KEY", key, 1);
        rm_db(fdb);
        printf("\nPostgreSQL: a throw-away cluster in %s (scripts/pg-test-cluster.sh)\n", pg_dir);
        fflush(stdout);
        rc = run_one(pc.owner, fdb, dir, n, "PostgreSQL", &ps);
        pg_stop();
        unlink(key);
        if (rc)
            return rc;
        printf("\nSQLite against PostgreSQL (%lld taskings each):\n", n);
        printf("  transitions/s: SQLite %.0f, PostgreSQL %.0f (ratio %.3f); p99 per transition "
               "%.2f ms against %.2f ms\n",
               sq.tps, ps.tps, ps.tps / sq.tps, sq.p99, ps.p99);
        printf("  list page p99 as the gateway: %.2f ms against %.2f ms; as the auditor: %.2f ms "
               "against %.2f ms\n",
               sq.list_gateway_p99, ps.list_gateway_p99, sq.list_auditor_p99, ps.list_auditor_p99);
    }
    if (own_dir) {
        rm_db(db);
        rm_db(fdb);
        rmdir(dir);
    }
    return 0;
}
