/* iom: the tool's entry point. All work is in libiom; this only runs the CLI. */
#include "cli/cli.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
