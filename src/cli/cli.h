/*
 * cli.h: the `iom` command-line adapter. Thin: parses arguments, calls one use-case,
 * renders the result as text for people or, with --json, as the API's JSON objects.
 *
 *   iom [--db PATH] [--as USER] [--json] COMMAND [SUBCOMMAND] [OPTIONS]
 *
 * The CLI is a local operator's tool working on the database directly: --as is trusted and
 * the audit records the operating-system user and `via: cli` beside it.
 */
#ifndef IOM_CLI_CLI_H
#define IOM_CLI_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "app/app.h"

/* What the CLI takes from its process: standard streams, the clock, the operating-system
   user and the environment. cli_main uses the real ones; a test harness linking libiom runs
   the same CLI in-process with its own (a fixed clock for golden outputs) through cli_run.
   There is deliberately no option or environment variable of the shipped binary that sets
   the clock: a settable clock would let a user forge audit times. */
typedef struct cli_env {
    FILE *in, *out, *err;                    /* NULL = stdin, stdout, stderr */
    iom_clock_fn clock;                      /* NULL = the system clock */
    void *clock_data;
    const char *os_user;                     /* NULL = the process's user */
    const char *(*getenv)(const char *name); /* NULL = getenv(3): IOM_DB, IOM_USER */
    /* Argon2id cost for passwords set by this run (0 = libsodium's INTERACTIVE limits). */
    unsigned long long pwhash_opslimit;
    size_t pwhash_memlimit;
} cli_env;

/* Runs the CLI; returns the process exit status (0, or iom_err_exit_code of the failure). */
int cli_main(int argc, char **argv);

/* Runs the CLI with env (NULL = as cli_main). argv[argc] must be NULL; argv is reordered. */
int cli_run(const cli_env *env, int argc, char **argv);

/* ---- shared by the command files (src/cli/cmd_*.c) ---- */

typedef struct cli_t {
    const char *db;       /* --db, $IOM_DB, or ./iom.db */
    const char *db_shown; /* db fit for messages: a URI's password as *** */
    char db_shown_buf[1024];
    char db_buf[4096];    /* the process's own copy of a --db URI holding a password */
    const char *as;       /* --as or $IOM_USER */
    bool json;            /* --json */
    bool db_existed;      /* a command that may create the store (CREATE): whether something was
                             at its path before this run opened it (a URI: true) */
    iom_store *store;
    iom_arena arena;
    iom_ctx ctx;
    FILE *in;
    FILE *out;
    FILE *err;
} cli_t;

/* Option specification for cli_parse. */
typedef struct cli_opt {
    const char *name;     /* without dashes: "owner" for --owner */
    bool has_arg;
    bool repeat;          /* may be given several times (values collected) */
    /* filled by cli_parse: */
    const char *value;    /* last (or only) value; "1" for a flag that is present */
    const char *values[32];
    int count;
} cli_opt;

/* Parses options of a subcommand: `--name value`, `--name=value`, flags, `--help`.
   Positional arguments are returned in pos (at most maxpos). On error prints a message and
   returns IOM_EUSAGE; with --help prints usage and returns -1. */
int cli_parse(cli_t *cli, int argc, char **argv, cli_opt *opts, const char **pos, int maxpos,
              int *npos, const char *usage);

/* Parses and returns from the calling handler on --help (0) or a usage error. */
#define CLI_PARSE(cli, argc, argv, opts, pos, maxpos, npos, usage)                             \
    do {                                                                                       \
        int prc_ = cli_parse((cli), (argc), (argv), (opts), (pos), (maxpos), &(npos), (usage)); \
        if (prc_ == -1)                                                                        \
            return 0;                                                                          \
        if (prc_)                                                                              \
            return iom_err_exit_code(IOM_EUSAGE);                                              \
    } while (0)

/* Looks an option up by name in a spec array terminated by {NULL}. */
cli_opt *cli_get(cli_opt *opts, const char *name);

/* Reports a use-case failure (text: "iom: <detail>", JSON: problem object) and returns the
   exit status. */
int cli_fail(cli_t *cli, iom_err err);

/* Prints a JSON value followed by a newline to stdout; consumes the reference. */
void cli_print_json(cli_t *cli, json_t *j);

/* Prints the usage text on stderr; returns the usage exit status. */
int cli_usage_error(cli_t *cli, const char *usage);

/* A version option (--if-version, --version): absent gives 0; otherwise a whole number from
   1. Returns 0, or -1 with the detail in cli->ctx.err. */
int cli_version(cli_t *cli, const char *field, const char *v, int64_t *out);

/* Reads a whole file ("-" = standard input) of at most max bytes into the command's arena,
   NUL-terminated; refuses a NUL byte inside. IOM_EIO, IOM_ETOOBIG or IOM_EINVAL naming the
   option `field` and the path. */
iom_err cli_read_file(cli_t *cli, const char *field, const char *path, size_t max, char **out);

/* Reads a secret (a password) as one line of the command's standard input into buf (at
   most cap - 2 bytes), prompting without echo when the input is a terminal. IOM_EINVAL when
   there is no line, IOM_ETOOBIG when it is longer. The caller wipes buf. */
iom_err cli_read_secret(cli_t *cli, const char *prompt, char *buf, size_t cap);

/* Parses a non-negative integer option ("--limit"). */
iom_err cli_uint(cli_t *cli, const char *field, const char *s, long long max, long long *out);

#endif
