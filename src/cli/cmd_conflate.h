/*
 * cmd_conflate.h: the `iom conflate` command, the adapter between the command line and the
 * engine (conflate/conflate.h). The engine never prints: this file renders its progress,
 * warnings and notes (the engine's message callback) on stderr.
 *
 * argv[0] is "conflate"; the options are those of issue 6 (see conflate_cli_usage and
 * docs/conflate.md). Errors are printed as one line "iom conflate: ..." on stderr (see json below); results go
 * to the --out/--pairs files, explanations to stdout, progress (only when stderr is a
 * terminal), the mapping used, skipped lines and the summary line to stderr.
 * Returns a process exit status: 0, or iom_err_exit_code of the failure (IOM_EUSAGE for a
 * bad command line, IOM_EINVAL for bad input, IOM_EIO for files). json: errors are written as
 * the JSON object of `iom --json` ({"error", "detail", "status"}) instead of a line of text.
 */
#ifndef IOM_CLI_CMD_CONFLATE_H
#define IOM_CLI_CMD_CONFLATE_H

#include <stdbool.h>
#include <stdio.h>

int conflate_cli_main(int argc, char **argv, bool json);

/* Writes the usage text. */
void conflate_cli_usage(FILE *out);

#endif
