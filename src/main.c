/* iom: the tool's entry point. All work is in libiom; this only runs the CLI. */
#include "cli/cli.h"
#include "util/heap.h"

int main(int argc, char **argv)
{
    iom_heap_tune();
    return cli_main(argc, argv);
}
