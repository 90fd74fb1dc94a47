/* The work area's commands. */
#include "cli/commands.h"

const cli_command cli_work_commands[] = {
    {NULL, NULL, NULL, 0, NULL},
};
