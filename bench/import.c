/*
 * bench_import: dataset import into a tasking's picture against `iom conflate` on the same files
 * (issue 16 acceptance: 1,000,000 records in three files imported and resolved into one
 * tasking in at most 3x the time of `iom conflate` measured in the same run). Not a test.
 *
 *   bench_import [RECORDS]      default: 1000000
 *
 * Writes the three sources of the seeded synthetic people (tests/support/synth/synth.h, the
 * generator's defaults: about 2.1 records per person) into a scratch directory ($TMPDIR or
 * /tmp), then, each as the built `iom` binary in a child process (wall time and peak RSS of
 * that process):
 *   1. `iom conflate` on the three files (the baseline);
 *   2. on a fresh `iom demo` database, the three files imported one after the other into the
 *      demo tasking in development (national, regional, local), as `dataset import` does
 *      (incrementally: each file's records against the persons already there; the mode of
 *      each run is printed).
 *   3. the write floor: the rows those imports wrote copied into an empty database of the
 *      same schema by one INSERT ... SELECT per table (write_floor): the least any import
 *      that writes this picture into this store can take.
 * Prints each step (wall and CPU seconds: other work on a shared machine stretches wall
 * time), the import total and its ratios to the baseline, and the floor's ratio.
 *
 *   IOM_BENCH_KEEP=1 bench_import N   keeps the directory (files, database) and names it
 *   bench_import --floor DIR          the baseline and the floor again on a kept directory
 */
#define _GNU_SOURCE
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "synth/synth.h"

#define PASSWORD "bench import password 2026"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct run {
    double wall, cpu; /* cpu: user + system seconds of the child */
    long maxrss_kb;
    int status;
} run;

/* A child process, started at *t0 (the parent's buffered lines written first, so the child
   does not write them again). */
static pid_t start(double *t0)
{
    fflush(stdout);
    *t0 = now();
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(1);
    }
    return pid;
}

/* Waits for the child started at t0: its wall and CPU time, peak memory and status. */
static run reap(pid_t pid, double t0)
{
    run r = {0};
    int st = 0;
    struct rusage ru;
    if (wait4(pid, &st, 0, &ru) < 0) {
        perror("wait4");
        exit(1);
    }
    r.wall = now() - t0;
    r.cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
            (double)ru.ru_stime.tv_usec / 1e6;
    r.maxrss_kb = ru.ru_maxrss;
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return r;
}

/* Runs IOM_BINARY with argv (argv[0] ignored); stdout to out_path (or /dev/null). */
static run spawn(const char *const *argv, const char *out_path)
{
    double t0;
    pid_t pid = start(&t0);
    if (pid == 0) {
        if (!freopen(out_path ? out_path : "/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
            _exit(126);
        execv(IOM_BINARY, (char *const *)argv);
        _exit(127);
    }
    return reap(pid, t0);
}

static void must(const run *r, const char *what)
{
    if (r->status != 0) {
        fprintf(stderr, "bench_import: %s failed (exit %d)\n", what, r->status);
        exit(1);
    }
}

/* The write floor: the rows the imports wrote (dataset records, entities, links, their sources,
   review pairs, search documents and their full-text index, deconfliction keys) copied into
   an empty database of the same schema (`iom init`) by one INSERT ... SELECT per table, in one
   transaction, with iom's own settings (WAL, synchronous=FULL, the same page cache). No
   resolution, no per-row statements, no reading back: what any import that writes this
   picture into this store cannot go below. Foreign keys are not checked (the demo's taskings
   and users are not copied), so the floor is, if anything, low. In a child process (its own
   CPU time and peak memory). */
static run write_floor(const char *dir, const char *src, long long *rows)
{
    char floor_db[700];
    snprintf(floor_db, sizeof floor_db, "%s/floor.db", dir);
    const char *init[] = {IOM_BINARY, "--db", floor_db, "init", NULL};
    run r = spawn(init, NULL);
    must(&r, "iom init (floor)");
    static const char *const tables[][2] = {
        {"dataset", "*"}, {"dataset_record", "*"}, {"entity", "*"}, {"entity_source", "*"},
        {"link", "*"}, {"link_source", "*"}, {"review_pair", "*"}, {"search_doc", "*"},
        {"search_fts", "rowid, body, terms"}, {"deconflict_key", "*"}};
    sqlite3 *db = NULL;
    if (sqlite3_open(src, &db) != SQLITE_OK)
        exit(1);
    *rows = 0;
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) {
        char sql[200];
        sqlite3_stmt *st = NULL;
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", tables[i][0]);
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
            *rows += sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    double t0;
    pid_t pid = start(&t0);
    if (pid == 0) {
        sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, -1); /* as iom (sqlite_store.c) */
        if (sqlite3_open(floor_db, &db) != SQLITE_OK)
            _exit(2);
        char *sql = NULL, *err = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&sql, &len);
        char *attach = sqlite3_mprintf("ATTACH %Q AS src;", src); /* any path, quoted */
        fprintf(f, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = OFF;"
                   " PRAGMA cache_size = -65536; %s BEGIN IMMEDIATE;", attach);
        sqlite3_free(attach);
        for (size_t i = 0; i < sizeof tables / sizeof *tables; i++)
            if (strcmp(tables[i][1], "*") == 0)
                fprintf(f, "INSERT INTO main.%s SELECT * FROM src.%s;", tables[i][0], tables[i][0]);
            else
                fprintf(f, "INSERT INTO main.%s(%s) SELECT %s FROM src.%s;", tables[i][0], tables[i][1],
                        tables[i][1], tables[i][0]);
        fprintf(f, "COMMIT;");
        fclose(f);
        int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
        if (rc != SQLITE_OK)
            fprintf(stderr, "bench_import: write floor: %s\n", err ? err : "?");
        sqlite3_close(db);
        _exit(rc == SQLITE_OK ? 0 : 3);
    }
    return reap(pid, t0);
}

/* The first tasking in in_development of the demo database on which toex-analyst works. */
static char *demo_tasking(const char *db, const char *dir)
{
    char *out = NULL;
    if (asprintf(&out, "%s/taskings.json", dir) < 0)
        exit(1);
    const char *argv[] = {IOM_BINARY, "--db", db, "--as", "toex-analyst", "--json", "tasking", "list",
                          "--state", "in_development", NULL};
    run r = spawn(argv, out);
    must(&r, "tasking list");
    json_error_t je;
    json_t *j = json_load_file(out, 0, &je);
    json_t *first = json_array_get(json_object_get(j, "items"), 0);
    const char *ref = json_string_value(json_object_get(first, "ref"));
    if (!ref) {
        fprintf(stderr, "bench_import: the demo has no tasking in development for toex-analyst\n");
        exit(1);
    }
    char *s = strdup(ref);
    json_decref(j);
    free(out);
    return s;
}

/* `iom conflate` on the three files of dir (the baseline), printed. */
static run baseline(const char *dir)
{
    char a[600], b[600], c[600], out[600];
    snprintf(a, sizeof a, "%s/%s", dir, conflate_synth_source_file(0));
    snprintf(b, sizeof b, "%s/%s", dir, conflate_synth_source_file(1));
    snprintf(c, sizeof c, "%s/%s", dir, conflate_synth_source_file(2));
    snprintf(out, sizeof out, "%s/clusters.csv", dir);
    const char *conflate[] = {IOM_BINARY, "conflate", "--id", "record_id", "--out", out, a, b, c, NULL};
    run base = spawn(conflate, NULL);
    must(&base, "iom conflate");
    printf("  iom conflate (baseline)   %8.2f s  %8.2f s cpu  %6ld MB\n", base.wall, base.cpu,
           base.maxrss_kb / 1024);
    return base;
}

static void floor_print(const char *dir, const char *db, const run *base)
{
    long long rows = 0;
    run fl = write_floor(dir, db, &rows);
    must(&fl, "write floor");
    printf("  write floor (%lld rows)   %8.2f s  %8.2f s cpu  %6ld MB  (the picture's rows copied by "
           "INSERT ... SELECT)\n", rows, fl.wall, fl.cpu, fl.maxrss_kb / 1024);
    printf("  ratio floor / conflate    %8.2f wall  %.2f cpu  (no import writing these rows "
           "can be faster)\n", fl.wall / base->wall, fl.cpu / base->cpu);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--floor") == 0) {
        /* a directory kept by IOM_BENCH_KEEP=1: the baseline and the floor again, no import */
        char db[600];
        snprintf(db, sizeof db, "%s/bench.db", argv[2]);
        if (access(db, R_OK) != 0) {
            fprintf(stderr, "bench_import: --floor %s: no bench.db there (a directory kept by "
                            "IOM_BENCH_KEEP=1)\n", argv[2]);
            return 2;
        }
        static const char *const old[] = {"floor.db", "floor.db-wal", "floor.db-shm", "floor.db.key",
                                          "floor.db.reads", "floor.db.reads-wal", "floor.db.reads-shm"};
        for (size_t i = 0; i < sizeof old / sizeof *old; i++) { /* the last floor's database */
            char f[700];
            snprintf(f, sizeof f, "%s/%s", argv[2], old[i]);
            if (unlink(f) != 0 && errno != ENOENT) {
                perror(f);
                return 1;
            }
        }
        printf("bench_import --floor %s\n", argv[2]);
        run base = baseline(argv[2]);
        floor_print(argv[2], db, &base);
        return 0;
    }
    unsigned long long target = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000ull;
    if (target < 100) {
        fprintf(stderr, "usage: bench_import [RECORDS >= 100]\n"
                        "       bench_import --floor DIR   (DIR kept by IOM_BENCH_KEEP=1)\n");
        return 2;
    }
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char dir[512];
    snprintf(dir, sizeof dir, "%s/iom-bench-import-XXXXXX", tmp);
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    conflate_synth_config cfg = conflate_synth_config_default();
    cfg.n_people = target * 100 / 210 + 1;
    cfg.seed = 1;
    conflate_synth_stats st;
    iom_error e = {0};
    double t0 = now();
    if (conflate_synth_write(&cfg, dir, &st, &e) != IOM_OK) {
        fprintf(stderr, "bench_import: %s\n", e.msg);
        return 1;
    }
    printf("bench_import: %llu records of %llu people in three files (%s), written in %.1f s\n",
           (unsigned long long)st.records, (unsigned long long)st.people, dir, now() - t0);

    char a[600], b[600], c[600], db[600];
    snprintf(a, sizeof a, "%s/%s", dir, conflate_synth_source_file(0));
    snprintf(b, sizeof b, "%s/%s", dir, conflate_synth_source_file(1));
    snprintf(c, sizeof c, "%s/%s", dir, conflate_synth_source_file(2));
    snprintf(db, sizeof db, "%s/bench.db", dir);
    run base = baseline(dir);

    const char *demo[] = {IOM_BINARY, "--db", db, "demo", "--password", PASSWORD, NULL};
    run d = spawn(demo, NULL);
    must(&d, "iom demo");
    char *ref = demo_tasking(db, dir);

    static const char *const level[] = {"national", "regional", "local"};
    const char *files[] = {a, b, c};
    double total = 0, cpu = 0;
    long peak = 0;
    for (int i = 0; i < 3; i++) {
        char name[64];
        snprintf(name, sizeof name, "Bench %s extract", level[i]);
        const char *imp[] = {IOM_BINARY, "--db", db, "--as", "toex-analyst", "--json", "dataset", "import",
                             ref, "--level", level[i], "--name", name, "--grade", "2B",
                             "--handling", "P", "--field", "id=record_id", "--field", "first_name=first_name",
                             "--field", "middle_name=middle_name", "--field", "surname=surname",
                             "--field", "dob=dob", "--field", "sex=sex", "--field", "address=address",
                             "--field", "postcode=postcode", "--field", "town=town",
                             "--field", "phone=phone", "--field", "email=email", files[i], NULL};
        char res[640];
        snprintf(res, sizeof res, "%s/import%d.json", dir, i);
        run r = spawn(imp, res);
        must(&r, "dataset import");
        total += r.wall;
        cpu += r.cpu;
        json_t *j = json_load_file(res, 0, NULL);
        const char *mode = json_string_value(json_object_get(json_object_get(j, "resolution"), "mode"));
        if (r.maxrss_kb > peak)
            peak = r.maxrss_kb;
        printf("  dataset import %-9s  %8.2f s  %8.2f s cpu  %6ld MB  (%s)\n", level[i], r.wall, r.cpu,
               r.maxrss_kb / 1024, mode ? mode : "?");
        json_decref(j);
    }
    printf("  import total              %8.2f s  %8.2f s cpu  %6ld MB peak\n", total, cpu, peak / 1024);
    printf("  ratio import / conflate   %8.2f wall  %.2f cpu  (goal <= 3.00)\n", total / base.wall,
           cpu / base.cpu);
    floor_print(dir, db, &base);
    free(ref);
    if (getenv("IOM_BENCH_KEEP")) { /* the files and database, to profile one import again */
        printf("  kept: %s (remove it when done)\n", dir);
        return 0;
    }
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench_import: could not remove %s\n", dir);
    return 0;
}
