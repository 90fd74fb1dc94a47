/* iom: the tool's entry point. All work is in libiom; this only runs the CLI. */
#include <malloc.h>

#include "cli/cli.h"

int main(int argc, char **argv)
{
    /* Keep freed heap for reuse instead of returning it to the OS after every statement:
       SQLite's per-statement allocations otherwise cost a brk/page-fault round trip each
       (measured by bench/lifecycle, docs/performance.md). */
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_TOP_PAD, 16 << 20);
    return cli_main(argc, argv);
}
