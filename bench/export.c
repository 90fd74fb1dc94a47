/*
 * bench_export: how long each export writer takes and how big its file is for a synthetic
 * picture (issue 16 point 5). Not a test: it prints figures.
 *
 *   bench_export [ENTITIES [LINKS]]      default: 20000 60000
 *
 * Every entity has 3 attributes and 2 sources, every link 1 attribute and 1 source; a quarter
 * of the items are graded C (with one of 50 condition texts), a tenth are OFFICIAL-SENSITIVE.
 * Each format is written three times into a fresh buffer; the best time is printed with the
 * size and the rate in items per second.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "export/export.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *fmt(const char *f, size_t i)
{
    char tmp[96];
    snprintf(tmp, sizeof tmp, f, i);
    char *s = strdup(tmp);
    if (!s)
        abort();
    return s;
}

int main(int argc, char **argv)
{
    size_t ne = argc > 1 ? strtoul(argv[1], NULL, 10) : 20000;
    size_t nl = argc > 2 ? strtoul(argv[2], NULL, 10) : 60000;
    if (ne < 2) {
        fprintf(stderr, "bench_export: need at least 2 entities\n");
        return 2;
    }
    static const char *conds[50];
    for (size_t i = 0; i < 50; i++)
        conds[i] = fmt("Condition %zu: not to be shared beyond the partnership without consent", i);
    export_entity *e = calloc(ne, sizeof *e);
    export_link *l = calloc(nl ? nl : 1, sizeof *l);
    export_attr *ea = calloc(ne * 3, sizeof *ea);
    export_source *es = calloc(ne * 2, sizeof *es);
    export_attr *la = calloc(nl ? nl : 1, sizeof *la);
    export_source *ls = calloc(nl ? nl : 1, sizeof *ls);
    if (!e || !l || !ea || !es || !la || !ls)
        abort();
    unsigned rng = 12345;
    for (size_t i = 0; i < ne; i++) {
        e[i].id = fmt("E%zu", i);
        e[i].type = (export_entity_type)(i % EXPORT_ENTITY_TYPE_COUNT);
        export_facts *f = &e[i].f;
        f->label = fmt("Person \"%zu\" <of interest> & associates", i);
        ea[3 * i] = (export_attr){"date_of_birth", "1990-01-01"};
        ea[3 * i + 1] = (export_attr){"postcode", "LS1 1AA"};
        ea[3 * i + 2] = (export_attr){"nickname", fmt("=nick %zu", i)};
        f->attrs = &ea[3 * i];
        f->nattrs = 3;
        f->first_seen = "2024-01-15";
        f->last_seen = "2025-06-30";
        f->confidence = (double)(i % 100) / 100.0;
        rng = rng * 1103515245u + 12345u;
        bool c = rng % 4 == 0;
        f->grade = (iom_grade){(char)('1' + i % 3), (char)('A' + i % 5), c ? 'C' : 'P',
                               c ? conds[(rng >> 8) % 50] : NULL};
        f->marking = i % 10 == 0 ? IOM_MARKING_OFFICIAL_SENSITIVE : IOM_MARKING_OFFICIAL;
        es[2 * i] = (export_source){EXPORT_SOURCE_DATASET_ROW, fmt("NAT-PNC row %zu", i)};
        es[2 * i + 1] = (export_source){EXPORT_SOURCE_INTEL_ITEM, fmt("INT-2026-%06zu", i)};
        f->sources = &es[2 * i];
        f->nsources = 2;
    }
    static const char *types[] = {"associate", "uses_phone", "lives_at", "pays", "controls"};
    for (size_t i = 0; i < nl; i++) {
        rng = rng * 1103515245u + 12345u;
        l[i].id = fmt("L%zu", i);
        l[i].end1 = e[rng % ne].id;
        rng = rng * 1103515245u + 12345u;
        l[i].end2 = e[rng % ne].id;
        l[i].type = types[i % 5];
        l[i].directed = i % 5 == 3;
        export_facts *f = &l[i].f;
        f->label = types[i % 5];
        la[i] = (export_attr){"amount", "1000"};
        f->attrs = &la[i];
        f->nattrs = 1;
        f->first_seen = "2024-03-05";
        f->confidence = 0.75;
        bool c = rng % 4 == 0;
        f->grade = (iom_grade){'2', 'B', c ? 'C' : 'P', c ? conds[(rng >> 8) % 50] : NULL};
        f->marking = IOM_MARKING_OFFICIAL;
        ls[i] = (export_source){EXPORT_SOURCE_INTEL_ITEM, fmt("INT-2026-%06zu", i)};
        f->sources = &ls[i];
        f->nsources = 1;
    }
    export_chart chart = {"OP-2026-0042", "Bench picture", 1795000000, IOM_MARKING_OFFICIAL,
                          e, ne, l, nl};

    printf("bench_export: %zu entities, %zu links\n", ne, nl);
    for (int fm = 0; fm < EXPORT_FORMAT_COUNT; fm++) {
        double best = 1e30;
        size_t bytes = 0;
        for (int rep = 0; rep < 3; rep++) {
            iom_buf b = IOM_BUF_INIT;
            iom_error err = {0};
            double t0 = now();
            if (export_write((export_format)fm, &chart, &b, &err) != IOM_OK) {
                fprintf(stderr, "bench_export: %s\n", err.msg);
                return 1;
            }
            double t = now() - t0;
            if (t < best)
                best = t;
            bytes = b.len;
            iom_buf_free(&b);
        }
        printf("  %-8s %8.3f s  %10.1f MB  %10.0f items/s\n", export_format_name((export_format)fm),
               best, (double)bytes / 1e6, (double)(ne + nl) / best);
    }
    return 0;
}
