/* The tasking area's commands. */
#include "cli/commands.h"

const cli_command cli_tasking_commands[] = {
    {NULL, NULL, NULL, 0, NULL},
};
