/*
 * commands.h: the command handlers of the CLI (one file per command group in src/cli/).
 * Each takes the parsed global state and the arguments after the command words
 * (argv[0] is the last command word), and returns an exit status.
 */
#ifndef IOM_CLI_COMMANDS_H
#define IOM_CLI_COMMANDS_H

#include "cli/cli.h"

int cmd_init(cli_t *cli, int argc, char **argv);
int cmd_migrate(cli_t *cli, int argc, char **argv);
int cmd_agency_list(cli_t *cli, int argc, char **argv);
int cmd_agency_show(cli_t *cli, int argc, char **argv);
int cmd_agency_add(cli_t *cli, int argc, char **argv);
int cmd_agency_rename(cli_t *cli, int argc, char **argv);
int cmd_agency_disable(cli_t *cli, int argc, char **argv);
int cmd_agency_merge(cli_t *cli, int argc, char **argv);
int cmd_region_list(cli_t *cli, int argc, char **argv);
int cmd_user_add(cli_t *cli, int argc, char **argv);
int cmd_user_list(cli_t *cli, int argc, char **argv);
int cmd_user_show(cli_t *cli, int argc, char **argv);
int cmd_user_disable(cli_t *cli, int argc, char **argv);
int cmd_threat_add(cli_t *cli, int argc, char **argv);
int cmd_threat_list(cli_t *cli, int argc, char **argv);
int cmd_threat_show(cli_t *cli, int argc, char **argv);
int cmd_threat_update(cli_t *cli, int argc, char **argv);
int cmd_threat_archive(cli_t *cli, int argc, char **argv);
int cmd_audit_log(cli_t *cli, int argc, char **argv);
int cmd_audit_verify(cli_t *cli, int argc, char **argv);
int cmd_audit_checkpoint(cli_t *cli, int argc, char **argv);
int cmd_demo(cli_t *cli, int argc, char **argv);

#endif
