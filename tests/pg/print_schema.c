/*
 * Prints one of the SQL texts of src/store/pg/pg_schema.c to standard output, so that shell
 * tests (tests/pg/schema_check.sh) apply the very strings the store runs.
 *   print_schema baseline | grants | version
 */
#include <stdio.h>
#include <string.h>

#include "store/pg/pg_schema.h"

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "baseline") == 0)
        return fputs(pg_schema_baseline, stdout) == EOF;
    if (argc == 2 && strcmp(argv[1], "grants") == 0)
        return fputs(pg_schema_grants, stdout) == EOF;
    if (argc == 2 && strcmp(argv[1], "version") == 0)
        return printf("%d\n", pg_schema_baseline_version) < 0;
    fprintf(stderr, "usage: print_schema baseline|grants|version\n");
    return 2;
}
