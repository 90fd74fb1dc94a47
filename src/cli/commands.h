/*
 * commands.h: the command handlers of the CLI (one file per command group in src/cli/).
 * Each takes the parsed global state and the arguments after the command words
 * (argv[0] is the last command word), and returns an exit status.
 */
#ifndef IOM_CLI_COMMANDS_H
#define IOM_CLI_COMMANDS_H

#include <stddef.h>

#include "cli/cli.h"
#include "ops/ops.h"

enum {
    CLI_NEED_STORE = 1 << 0,  /* open the database */
    CLI_CREATE = 1 << 1,      /* create it if missing */
    CLI_ANY_SCHEMA = 1 << 2,  /* accept an old/new schema (init, migrate) */
    CLI_NEED_KEY = 1 << 3,    /* the audit key must load (every change, verify) */
};

/* One row of a command table (after git's commands[]). */
typedef struct cli_command {
    const char *group;    /* "threat" */
    const char *name;     /* "add", or NULL for a one-word command */
    int (*fn)(cli_t *, int, char **);
    int flags;            /* CLI_* */
    const char *summary;
} cli_command;

/* Command tables of the areas, each defined in its own cmd_*.c file and terminated by a row
   with group == NULL. cli.c lists and dispatches them in this order. */
extern const cli_command cli_work_commands[];    /* cmd_work.c */
extern const cli_command cli_serve_commands[];   /* cmd_serve.c */
extern const cli_command cli_store_commands[];   /* cmd_store.c: backup, restore, copy */

/* ---- commands made from the operation table (cli_ops.c, render.c) ---- */
/* Parses argv (argv[0] is the command word) by the row's fields, runs the row, renders the
   result; returns the exit status. */
int cli_op_run(cli_t *cli, const op_def *op, int argc, char **argv);
/* The row's --help text. */
void cli_op_usage(FILE *f, const op_def *op);
/* Text output of a row's result for people: the renderer for the row's name or its result
   type. False when there is none (the caller then prints the JSON). */
bool cli_render(cli_t *cli, const op_def *op, const op_out *out);

/* Text for people of a result that has no renderer of its own: a list as a table (a column
   per scalar key, deeper values under each row), an object as "key: value" lines. */
void cli_print_text(cli_t *cli, json_t *j);

int cmd_init(cli_t *cli, int argc, char **argv);
int cmd_migrate(cli_t *cli, int argc, char **argv);
int cmd_demo(cli_t *cli, int argc, char **argv);

#endif
