/*
 * libFuzzer harness: the conflate CSV reader and the whole input path (header mapping,
 * UTF-8 checks, ids, skip mode), then a full run on whatever records were accepted.
 * Must never crash, leak or hang; errors are fine.
 */
#include <stddef.h>
#include <stdint.h>

#include "conflate/conflate.h"
#include "conflate/csvin.h"

static iom_err row(void *ud, const conflate_csv_row *r, iom_error *e)
{
    (void)e;
    *(size_t *)ud += r->n;
    return IOM_OK;
}

static iom_err bad(void *ud, size_t line, const char *why, iom_error *e)
{
    (void)ud;
    (void)line;
    (void)why;
    (void)e;
    return IOM_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t fields = 0;
    conflate_csv_parse((const char *)data, size, row, bad, &fields, NULL);
    if (size > 4096)
        return 0; /* keep the engine run cheap */
    conflate_options o;
    conflate_options_default(&o);
    o.on_error = (size & 1) ? CONFLATE_ON_ERROR_SKIP : CONFLATE_ON_ERROR_STOP;
    o.threads = 1;
    conflate_engine *eng;
    if (conflate_new(&eng, &o, NULL) != IOM_OK)
        return 0;
    iom_error e;
    if (conflate_add_csv_buffer(eng, "f.csv", (const char *)data, size, NULL, &e) == IOM_OK &&
        conflate_run(eng, &e) == IOM_OK) {
        for (size_t i = 0; i < conflate_record_count(eng); i++)
            (void)conflate_record_cluster(eng, i);
    }
    conflate_free(eng);
    return 0;
}
