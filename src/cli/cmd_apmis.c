/* The apmis area's commands. */
#include "cli/commands.h"

const cli_command cli_apmis_commands[] = {
    {NULL, NULL, NULL, 0, NULL},
};
