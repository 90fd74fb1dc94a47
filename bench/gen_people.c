/*
 * bench_gen_people N SEED OUTDIR [SHAPE]: writes OUTDIR/source_{a,b,c}.csv and
 * OUTDIR/truth.csv (docs/conflate-synthetic.md) for N synthetic people of the named shape
 * (default: the defaults; see "Shapes" there), then prints the records written, the records
 * per second, and the corruption rates measured beside the configured ones.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "synth/synth.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double ratio(uint64_t a, uint64_t b) { return b ? (double)a / (double)b : 0.0; }

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (!*s || *end || s[0] == '-')
        return -1;
    *out = v;
    return 0;
}

int main(int argc, char **argv)
{
    conflate_synth_config cfg;
    uint64_t n = 0, seed = 0;
    iom_error err = {0};
    if ((argc != 4 && argc != 5) || parse_u64(argv[1], &n) || parse_u64(argv[2], &seed)) {
        fprintf(stderr, "usage: bench_gen_people N_PEOPLE SEED OUTDIR [SHAPE]\n");
        return 2;
    }
    if (conflate_synth_shape(argc == 5 ? argv[4] : "default", n, seed, &cfg, &err) != IOM_OK) {
        fprintf(stderr, "bench_gen_people: %s\n", err.msg);
        return 2;
    }
    conflate_synth_stats st;
    double t0 = now();
    iom_err rc = conflate_synth_write(&cfg, argv[3], &st, &err);
    double dt = now() - t0;
    if (rc != IOM_OK) {
        fprintf(stderr, "bench_gen_people: %s\n", err.msg);
        return iom_err_exit_code(rc);
    }
    printf("people %llu  records %llu (A %llu, B %llu, C %llu)  %.2f s  %.0f records/s\n",
           (unsigned long long)st.people, (unsigned long long)st.records,
           (unsigned long long)st.records_by_source[0], (unsigned long long)st.records_by_source[1],
           (unsigned long long)st.records_by_source[2], dt, (double)st.records / dt);
    printf("%-12s %8s %8s %8s %8s\n", "field", "missing", "(cfg)", "typo", "(cfg)");
    for (int f = 0; f < CONFLATE_SYNTH_NFIELDS; f++)
        printf("%-12s %8.4f %8.4f %8.4f %8.4f\n", conflate_synth_field_name((conflate_synth_field)f),
               ratio(st.field_missing[f], st.field_eligible[f]), cfg.missing_rate[f],
               ratio(st.field_typo[f], st.field_eligible[f] - st.field_missing[f]),
               cfg.typo_rate[f]);
    printf("nickname %.4f (%.2f)  swap_names %.4f (%.2f)  moved %.4f (%.2f)  new_phone %.4f "
           "(%.2f)  dob_swap %.4f (%.2f)\n",
           ratio(st.nickname, st.nickname_eligible), cfg.nickname_rate,
           ratio(st.swap_names, st.records), cfg.swap_names_rate, ratio(st.moved, st.records),
           cfg.moved_rate, ratio(st.new_phone, st.records), cfg.new_phone_rate,
           ratio(st.dob_swap, st.dob_swap_eligible), cfg.dob_swap_rate);
    printf("duplicates %.4f of records  family people %.4f of people\n",
           ratio(st.duplicates, st.records), ratio(st.family_people, st.people));
    if (st.movers || st.placeholders)
        printf("movers %.4f of records (%.4f)  placeholders %.4f of records (%.4f)\n",
               ratio(st.movers, st.records), cfg.mover_rate, ratio(st.placeholders, st.records),
               cfg.placeholder_rate);
    return 0;
}
