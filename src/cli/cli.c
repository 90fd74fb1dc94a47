#include "cli/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "app/audit.h"
#include "cli/commands.h"
#include "util/text.h"
#include "util/timefmt.h"
#include "cli/cmd_conflate.h"
#include "util/fsio.h"

#define NEED_STORE CLI_NEED_STORE
#define CREATE CLI_CREATE
#define ANY_SCHEMA CLI_ANY_SCHEMA
#define NEED_KEY CLI_NEED_KEY

/* `iom conflate` works on files, not the database: its engine parses its own options. */
static int cmd_conflate(cli_t *cli, int argc, char **argv)
{
    (void)cli;
    return conflate_cli_main(argc, argv, cli->json);
}

/* The core command table: one row per command. */
static const cli_command core_commands[] = {
    {"init", NULL, cmd_init, NEED_STORE | CREATE | ANY_SCHEMA, "create the database and audit key, load reference data"},
    {"migrate", NULL, cmd_migrate, NEED_STORE | ANY_SCHEMA, "bring the database schema up to this binary's version"},
    {"demo", NULL, cmd_demo, NEED_STORE | CREATE | ANY_SCHEMA, "fill a new database with the demo scenario"},
    {"conflate", NULL, cmd_conflate, 0, "entity resolution across CSV datasets (see docs/conflate.md)"},
    {NULL, NULL, NULL, 0, NULL},
};

static const cli_command *const tables[] = {core_commands, cli_work_commands, cli_serve_commands,
                                            cli_store_commands};
#define NTABLES (sizeof tables / sizeof tables[0])
#define FOR_EACH_COMMAND(c)                                                                    \
    for (size_t t_ = 0; t_ < NTABLES; t_++)                                                    \
        for (const cli_command *c = tables[t_]; c->group; c++)

/* "threat add" of a legacy row or an operation, in buf. */
/* "  NAME   summary": the name padded to 20 columns, and at least two spaces after it (the
   name ends at two spaces for whoever reads the list). */
static void help_line(FILE *f, const char *name, const char *summary)
{
    fprintf(f, "  %-20s%s%s\n", name, strlen(name) >= 20 ? "  " : " ", summary);
}

static const char *words(const char *group, const char *name, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s%s%s", group, name && *name ? " " : "", name ? name : "");
    return buf;
}

/* The commands of the CLI in `iom help` order: the operation table's rows (those with CLI
   words), then the rows of the command tables that are not operations (init, demo, serve...). */
#define FOR_EACH_OP(op)                                                                        \
    for (const op_def *op = op_table; op->name; op++)                                          \
        if (op->group)

static void usage(FILE *f)
{
    fprintf(f,
            "iom %s: the TOEX Intelligence Operating Model system\n\n"
            "usage: iom [--db PATH] [--as USER] [--purpose TEXT] [--json] [--tz ZONE] COMMAND [SUBCOMMAND] [OPTIONS]\n\n"
            "global options:\n"
            "  --db PATH   the database (default $IOM_DB, else ./iom.db)\n"
            "  --as USER   the acting user (default $IOM_USER)\n"
            "  --purpose TEXT  why you read intelligence content: logged with every read\n"
            "              (default: the relation that grants you access)\n"
            "  --json      print the API's JSON objects instead of text\n"
            "  --tz ZONE   show times in this time zone (default $IOM_TZ, else Europe/London);\n"
            "              stored and sent times stay UTC\n\n"
            "commands:\n",
            IOM_VERSION);
    char name[48];
    FOR_EACH_COMMAND(c) /* the database itself first: init, migrate, demo */
        if (!c->name && (c->flags & NEED_STORE))
            fprintf(f, "  %-20s %s\n", words(c->group, c->name, name, sizeof name), c->summary);
    FOR_EACH_OP(op)
        help_line(f, words(op->group, op->cmd, name, sizeof name), op->summary);
    FOR_EACH_COMMAND(c)
        if (c->name || !(c->flags & NEED_STORE))
            fprintf(f, "  %-20s %s\n", words(c->group, c->name, name, sizeof name), c->summary);
    fprintf(f, "  %-20s %s\n", "help [COMMAND]", "this text, or a command's options");
    fprintf(f, "\n`iom COMMAND --help` describes a command's options; `iom GROUP --help` (or\n"
               "`iom help GROUP`) lists a group's commands.\n"
               "Exit status: 0 success; 3 invalid input; 4 not found; 5 forbidden; 6 conflict;\n"
               "7 store failure; 8 out of memory; 9 file I/O; 10 no identified user; 11 schema\n"
               "mismatch; 12 audit integrity failure; 13 usage; 14 too large; 15 busy (try again);\n"
               "16 a content read could not be logged (nothing shown).\n");
}

cli_opt *cli_get(cli_opt *opts, const char *name)
{
    for (cli_opt *o = opts; o && o->name; o++)
        if (strcmp(o->name, name) == 0)
            return o;
    return NULL;
}

/* Prints "iom: <message>" on one line: control characters and invalid bytes from hostile
   values are shown as \xNN, so an error never spans lines or reaches the terminal raw. */
/* An error of the command line itself, on f: "iom: MESSAGE" (control bytes written \xHH), or
   with --json the same object as any other error ({"error", "detail", "status"}; review 47:
   usage and time zone errors were plain text under --json). */
static void error_line(FILE *f, bool json, iom_err kind, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void error_line(FILE *f, bool json, iom_err kind, const char *fmt, ...)
{
    char msg[2 * IOM_ERRMSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    iom_utf8_repair(msg);
    if (json) {
        json_t *j = json_pack("{s:s, s:s%, s:i}", "error", iom_err_name(kind), "detail", msg, strlen(msg), "status",
                              iom_err_http_status(kind));
        char *t = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        if (t) {
            fprintf(f, "%s\n", t);
            free(t);
            json_decref(j);
            return;
        }
        json_decref(j); /* not UTF-8: as text below */
    }
    fputs("iom: ", f);
    for (const unsigned char *p = (const unsigned char *)msg; *p; p++) {
        if (*p < 0x20 || *p == 0x7F)
            fprintf(f, "\\x%02X", *p);
        else
            fputc(*p, f);
    }
    fputc('\n', f);
}

int cli_parse(cli_t *cli, int argc, char **argv, cli_opt *opts, const char **pos, int maxpos,
              int *npos, const char *usage_text)
{
    *npos = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fprintf(cli->out, "%s", usage_text);
            return -1;
        }
        if (strncmp(a, "--", 2) != 0 || strcmp(a, "--") == 0) {
            if (*npos >= maxpos) {
                error_line(cli->err, cli->json, IOM_EUSAGE, "unexpected argument '%s'", a);
                if (!cli->json)
                    fputs(usage_text, cli->err);
                return IOM_EUSAGE;
            }
            pos[(*npos)++] = a;
            continue;
        }
        const char *name = a + 2;
        const char *eq = strchr(name, '=');
        char key[64];
        size_t klen = eq ? (size_t)(eq - name) : strlen(name);
        if (klen >= sizeof key)
            klen = sizeof key - 1;
        memcpy(key, name, klen);
        key[klen] = '\0';
        cli_opt *o = cli_get(opts, key);
        if (!o) {
            error_line(cli->err, cli->json, IOM_EUSAGE, "unknown option '--%s'", key);
            if (!cli->json)
                fputs(usage_text, cli->err);
            return IOM_EUSAGE;
        }
        const char *val = "1";
        if (o->has_arg) {
            if (eq)
                val = eq + 1;
            else if (i + 1 < argc)
                val = argv[++i];
            else {
                error_line(cli->err, cli->json, IOM_EUSAGE, "option '--%s' needs a value", key);
                return IOM_EUSAGE;
            }
        } else if (eq) {
            error_line(cli->err, cli->json, IOM_EUSAGE, "option '--%s' takes no value", key);
            return IOM_EUSAGE;
        }
        if (o->count > 0 && !o->repeat) {
            error_line(cli->err, cli->json, IOM_EUSAGE, "option '--%s' is given more than once", key);
            return IOM_EUSAGE;
        }
        if (o->count >= (int)(sizeof o->values / sizeof o->values[0])) {
            error_line(cli->err, cli->json, IOM_EUSAGE, "option '--%s' is given too many times", key);
            return IOM_EUSAGE;
        }
        o->values[o->count++] = val;
        o->value = val;
    }
    return 0;
}

int cli_fail(cli_t *cli, iom_err err)
{
    char msg[sizeof cli->ctx.err.msg];
    snprintf(msg, sizeof msg, "%s", cli->ctx.err.msg[0] ? cli->ctx.err.msg : iom_err_text(err));
    iom_utf8_repair(msg); /* a value cut inside a character, hostile bytes: '?' (JSON takes UTF-8 only) */
    /* every problem of the input's fields when there were several (iom_ctx problems) */
    bool all = app_problems_apply(&cli->ctx);
    size_t n = !all ? 0 : cli->ctx.nproblems < IOM_MAX_PROBLEMS ? cli->ctx.nproblems : IOM_MAX_PROBLEMS;
    if (cli->json) {
        json_t *j = json_pack("{s:s, s:s, s:i}", "error", iom_err_name(err), "detail", msg,
                              "status", iom_err_http_status(err));
        json_t *list = n ? json_array() : NULL;
        for (size_t i = 0; list && i < n; i++) {
            char d[sizeof cli->ctx.err.msg];
            snprintf(d, sizeof d, "%s", cli->ctx.problems[i]);
            iom_utf8_repair(d);
            json_array_append_new(list, json_pack("{s:s, s:s}", "field", cli->ctx.problem_fields[i],
                                                  "detail", d));
        }
        if (list)
            json_object_set_new(j, "errors", list);
        char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
        fprintf(cli->err, "%s\n", s ? s : "{}");
        free(s);
        json_decref(j);
    } else {
        error_line(cli->err, false, err, "%s", msg);
        for (size_t i = 1; i < n; i++) {
            char d[sizeof cli->ctx.err.msg];
            snprintf(d, sizeof d, "%s", cli->ctx.problems[i]);
            iom_utf8_repair(d);
            error_line(cli->err, false, err, "%s", d);
        }
        if (all && cli->ctx.nproblems > n)
            error_line(cli->err, false, err, "and %zu more problems", cli->ctx.nproblems - n);
    }
    return iom_err_exit_code(err);
}

void cli_print_json(cli_t *cli, json_t *j)
{
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15)); /* 51.2, not 51.200000000000003 */
    fprintf(cli->out, "%s\n", s ? s : "null");
    free(s);
    json_decref(j);
}

iom_err cli_uint(cli_t *cli, const char *field, const char *s, long long max, long long *out)
{
    char *end;
    errno = 0;
    long long v = s ? strtoll(s, &end, 10) : -1;
    if (!s || !*s || errno || *end || v < 0 || v > max)
        return iom_fail(&cli->ctx.err, IOM_EINVAL, "%s: '%s' is not a whole number from 0 to %lld",
                        field, s ? s : "", max);
    *out = v;
    return IOM_OK;
}

int cli_usage_error(cli_t *cli, const char *usage)
{
    if (cli->json) { /* the usage's first line names what is wanted */
        const char *u = strncmp(usage, "usage: ", 7) == 0 ? usage + 7 : usage;
        error_line(cli->err, true, IOM_EUSAGE, "an argument is missing or wrong; usage: %.*s", (int)strcspn(u, "\n"), u);
        return iom_err_exit_code(IOM_EUSAGE);
    }
    fputs(usage, cli->err);
    return iom_err_exit_code(IOM_EUSAGE);
}

int cli_version(cli_t *cli, const char *field, const char *v, int64_t *out)
{
    long long x = 0;
    *out = 0;
    if (!v)
        return 0;
    if (cli_uint(cli, field, v, 1LL << 53, &x))
        return -1;
    if (x == 0) {
        iom_fail(&cli->ctx.err, IOM_EINVAL, "%s: '%s' is not a version (versions start at 1)", field, v);
        return -1;
    }
    *out = x;
    return 0;
}

iom_err cli_read_file(cli_t *cli, const char *field, const char *path, size_t max, char **out)
{
    FILE *f = cli->in;
    if (strcmp(path, "-") != 0) { /* a regular file, never waited on (a FIFO: review 47) */
        int fd = iom_open_regular(path);
        if (fd < 0 || !(f = fdopen(fd, "rb"))) {
            int keep = errno;
            if (fd >= 0)
                close(fd);
            return iom_fail(&cli->ctx.err, IOM_EIO, "%s: cannot read '%s': %s", field, path,
                            keep == EINVAL ? "not a regular file" : strerror(keep));
        }
    }
    char *buf = iom_arena_alloc(&cli->arena, max + 2);
    size_t n = fread(buf, 1, max + 1, f);
    bool bad = ferror(f);
    if (f != cli->in)
        fclose(f);
    if (bad)
        return iom_fail(&cli->ctx.err, IOM_EIO, "%s: error reading '%s'", field, path);
    if (n > max)
        return iom_fail(&cli->ctx.err, IOM_ETOOBIG, "%s: '%s' is larger than %zu bytes", field, path, max);
    if (memchr(buf, '\0', n))
        return iom_fail(&cli->ctx.err, IOM_EINVAL, "%s: '%s' contains a NUL byte", field, path);
    buf[n] = '\0';
    *out = buf;
    return IOM_OK;
}

/* Reads one line (the password) from the command's input, without the newline. */
static iom_err read_line(cli_t *cli, char *buf, size_t cap)
{
    if (!fgets(buf, (int)cap, cli->in))
        return iom_fail(&cli->ctx.err, IOM_EINVAL, "password: nothing on standard input");
    size_t n = strcspn(buf, "\r\n");
    if (buf[n] == '\0' && n == cap - 1)
        return iom_fail(&cli->ctx.err, IOM_ETOOBIG, "password: longer than %zu bytes", cap - 2);
    buf[n] = '\0';
    return IOM_OK;
}

iom_err cli_read_secret(cli_t *cli, const char *prompt, char *buf, size_t cap)
{
    int in_fd = fileno(cli->in);
    bool tty = in_fd >= 0 && isatty(in_fd);
    struct termios old, quiet;
    if (tty && tcgetattr(in_fd, &old) == 0) {
        fprintf(cli->err, "%s", prompt);
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(in_fd, TCSAFLUSH, &quiet);
    } else {
        tty = false;
    }
    iom_err err = read_line(cli, buf, cap);
    if (tty) {
        tcsetattr(in_fd, TCSAFLUSH, &old);
        fputc('\n', cli->err);
    }
    return err;
}

static const char *os_user(void)
{
    struct passwd *pw = getpwuid(getuid());
    if (pw && pw->pw_name)
        return pw->pw_name;
    const char *u = getenv("USER");
    return u ? u : "unknown";
}

static bool asks_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return true;
    return false;
}

/* Opens the store (and the audit key) as the command's flags ask. */
static int setup(cli_t *cli, int flags)
{
    if (flags & NEED_STORE) {
        int open_flags = (flags & CREATE ? IOM_STORE_CREATE : 0) |
                         (flags & ANY_SCHEMA ? IOM_STORE_ANY_SCHEMA : 0);
        struct stat sb;
        cli->db_existed = strstr(cli->db, "://") || lstat(cli->db, &sb) == 0;
        iom_err err = iom_store_open(cli->db, open_flags, &cli->store, &cli->ctx.err);
        if (err)
            return cli_fail(cli, err);
        cli->ctx.store = cli->store;
        if (!(flags & CREATE)) {
            iom_error ke = {0};
            const char *path = audit_key_path(&cli->arena, cli->db);
            if (audit_key_load(path, cli->ctx.audit_key, &ke) == IOM_OK)
                cli->ctx.has_audit_key = true;
            else if (flags & NEED_KEY) {
                cli->ctx.err = ke;
                return cli_fail(cli, ke.code);
            }
        }
    }
    return 0;
}

static int run(cli_t *cli, const cli_command *c, int argc, char **argv)
{
    int rc = asks_help(argc, argv) ? 0 : setup(cli, c->flags); /* --help needs no database */
    return rc ? rc : c->fn(cli, argc, argv);
}

static int run_op(cli_t *cli, const op_def *op, int argc, char **argv)
{
    int flags = NEED_STORE | (op->flags & (OP_WRITE | OP_CONTENT_READ) ? NEED_KEY : 0);
    int rc = asks_help(argc, argv) ? 0 : setup(cli, flags);
    return rc ? rc : cli_op_run(cli, op, argc, argv);
}

/* `iom GROUP --help`, `iom help GROUP`: the group's commands with their summaries. */
static void group_usage(FILE *f, const char *group)
{
    char name[48];
    fprintf(f, "usage: iom [--db PATH] [--as USER] [--json] %s SUBCOMMAND [OPTIONS]\n\n"
               "subcommands:\n", group);
    FOR_EACH_OP(op)
        if (strcmp(op->group, group) == 0)
            help_line(f, words(op->group, op->cmd, name, sizeof name), op->summary);
    FOR_EACH_COMMAND(c)
        if (strcmp(c->group, group) == 0 && c->name)
            fprintf(f, "  %-20s %s\n", words(c->group, c->name, name, sizeof name), c->summary);
    fprintf(f, "\n`iom %s SUBCOMMAND --help` describes one.\n", group);
}

static const char *env_get(const char *name)
{
    return getenv(name);
}

int cli_main(int argc, char **argv)
{
    return cli_run(NULL, argc, argv);
}

int cli_run(const cli_env *env, int argc, char **argv)
{
    static const cli_env process = {0};
    if (!env)
        env = &process;
    const char *(*get)(const char *) = env->getenv ? env->getenv : env_get;
    FILE *stdout_ = env->out ? env->out : stdout, *stderr_ = env->err ? env->err : stderr;
    cli_t cli = {.in = env->in ? env->in : stdin, .out = stdout_, .err = stderr_};
    iom_arena_init(&cli.arena);
    app_ctx_init(&cli.ctx, NULL, &cli.arena);
    cli.ctx.clock = env->clock;
    cli.ctx.clock_data = env->clock_data;
    cli.ctx.pwhash_opslimit = env->pwhash_opslimit;
    cli.ctx.pwhash_memlimit = env->pwhash_memlimit;
    cli.ctx.os_user = env->os_user ? env->os_user : os_user();
    cli.ctx.via = "cli";
    cli.db = get("IOM_DB");
    cli.as = get("IOM_USER");
    bool db_from_argv = false; /* cli.db is a string of argv (--db VALUE or --db=VALUE) */
    if (!cli.db || !*cli.db)
        cli.db = "iom.db";

    /* Global options may stand anywhere before a lone "--" (`iom agency list --json`);
       they are taken out of argv so that commands see only their own. */
    int kept = 1;
    bool literal = false;
    const char *purpose = NULL;
    const char *tz = get("IOM_TZ");
    for (int k = 1; k < argc && strcmp(argv[k], "--") != 0; k++)
        cli.json = cli.json || strcmp(argv[k], "--json") == 0; /* errors before it is reached too */
    for (int k = 1; k < argc; k++) {
        const char *a = argv[k];
        if (!literal && strcmp(a, "--") == 0)
            literal = true;
        if (literal || strncmp(a, "--", 2) != 0) {
            argv[kept++] = argv[k];
            continue;
        }
        if (strcmp(a, "--json") == 0)
            cli.json = true;
        else if (strcmp(a, "--db") == 0 || strcmp(a, "--as") == 0 || strcmp(a, "--purpose") == 0) {
            if (k + 1 >= argc) {
                error_line(stderr_, cli.json, IOM_EUSAGE, "option '%s' needs a value", a);
                return iom_err_exit_code(IOM_EUSAGE);
            }
            db_from_argv = db_from_argv || strcmp(a, "--db") == 0;
            *(strcmp(a, "--db") == 0 ? &cli.db : strcmp(a, "--as") == 0 ? &cli.as : &purpose) = argv[++k];
        } else if (strncmp(a, "--purpose=", 10) == 0)
            purpose = a + 10;
        else if (strcmp(a, "--tz") == 0) {
            if (k + 1 >= argc) {
                error_line(stderr_, cli.json, IOM_EUSAGE, "option '%s' needs a value", a);
                return iom_err_exit_code(IOM_EUSAGE);
            }
            tz = argv[++k];
        } else if (strncmp(a, "--tz=", 5) == 0)
            tz = a + 5;
        else if (strncmp(a, "--db=", 5) == 0) {
            cli.db = a + 5;
            db_from_argv = true;
        }
        else if (strncmp(a, "--as=", 5) == 0)
            cli.as = a + 5;
        else if (strcmp(a, "--version") == 0 && kept == 1) {
            fprintf(stdout_, "iom %s\n", IOM_VERSION);
            return 0;
        } else if (strcmp(a, "--help") == 0 && kept == 1) {
            usage(stdout_);
            return 0;
        } else
            argv[kept++] = argv[k];
    }
    argc = kept;
    argv[argc] = NULL;
    /* a database URI's password: kept in the process, shown nowhere (messages, `ps`) */
    iom_store_redact(cli.db, cli.db_shown_buf, sizeof cli.db_shown_buf);
    cli.db_shown = cli.db_shown_buf;
    if (strcmp(cli.db_shown_buf, cli.db) != 0) {
        size_t len = strlen(cli.db);
        if (len >= sizeof cli.db_buf) {
            error_line(stderr_, cli.json, IOM_EUSAGE, "--db: the location is %zu bytes; at most %zu", len, sizeof cli.db_buf - 1);
            return iom_err_exit_code(IOM_EUSAGE);
        }
        memcpy(cli.db_buf, cli.db, len + 1);
        if (env == &process && db_from_argv) /* a process's own argv only: what `ps` shows */
            iom_store_scrub((char *)cli.db);
        cli.db = cli.db_buf;
    }
    int i = 1;
    if (i < argc && strncmp(argv[i], "--", 2) == 0) {
        error_line(stderr_, cli.json, IOM_EUSAGE, "unknown global option '%s' (see `iom help`)", argv[i]);
        return iom_err_exit_code(IOM_EUSAGE);
    }
    cli.ctx.actor_name = cli.as && *cli.as ? cli.as : NULL;
    iom_error tze = {0};
    if (iom_time_set_zone(tz, &tze)) {
        error_line(stderr_, cli.json, IOM_EINVAL, "%s", tze.msg);
        return iom_err_exit_code(IOM_EINVAL);
    }
    if (purpose) {
        iom_error pe = {0};
        if (app_purpose_check(purpose, &pe)) {
            error_line(stderr_, cli.json, IOM_EINVAL, "%s", pe.msg);
            return iom_err_exit_code(IOM_EINVAL);
        }
        cli.ctx.purpose = purpose;
    }
    char *hv[4] = {NULL, NULL, NULL, NULL};
    if (i >= argc || strcmp(argv[i], "help") == 0) {
        if (i + 1 < argc) {
            /* `iom help threat add` == `iom threat add --help` */
            hv[0] = argv[i + 1];
            hv[1] = i + 2 < argc ? argv[i + 2] : "--help";
            hv[2] = i + 2 < argc ? "--help" : NULL;
            int hc = i + 2 < argc ? 3 : 2;
            i = 0;
            argv = hv;
            argc = hc;
        } else {
            usage(i >= argc ? stderr_ : stdout_);
            return i >= argc ? iom_err_exit_code(IOM_EUSAGE) : 0;
        }
    }
    const char *group = argv[i];
    const char *sub = i + 1 < argc ? argv[i + 1] : NULL;
    int rc = -1;
    bool group_known = false;
    FOR_EACH_OP(op) {
        if (rc >= 0)
            break;
        if (strcmp(op->group, group) != 0)
            continue;
        group_known = true;
        /* a command of two words (`entity review list`) takes the next argument too */
        const char *sp = strchr(op->cmd, ' ');
        if (!*op->cmd) /* a command of one word (`iom timeline --tasking REF`) */
            rc = run_op(&cli, op, argc - i, argv + i);
        else if (sub && strcmp(op->cmd, sub) == 0) /* also both words in one argument */
            rc = run_op(&cli, op, argc - i - 1, argv + i + 1);
        else if (sub && sp && i + 2 < argc && strncmp(op->cmd, sub, (size_t)(sp - op->cmd)) == 0 &&
                 sub[sp - op->cmd] == 0 && strcmp(sp + 1, argv[i + 2]) == 0)
            rc = run_op(&cli, op, argc - i - 2, argv + i + 2);
    }
    FOR_EACH_COMMAND(c) {
        if (rc >= 0)
            break;
        if (strcmp(c->group, group) != 0)
            continue;
        group_known = true;
        if (!c->name)
            rc = run(&cli, c, argc - i, argv + i);
        else if (sub && strcmp(c->name, sub) == 0)
            rc = run(&cli, c, argc - i - 1, argv + i + 1);
    }
    if (rc < 0 && group_known && sub) {
        /* the first word of two-word commands (`iom entity review [--help]`): list them */
        size_t sl = strlen(sub);
        bool any = false;
        FOR_EACH_OP(op)
            any |= strcmp(op->group, group) == 0 && strncmp(op->cmd, sub, sl) == 0 && op->cmd[sl] == ' ';
        if (any) {
            bool help = i + 2 < argc && (strcmp(argv[i + 2], "--help") == 0 || strcmp(argv[i + 2], "-h") == 0);
            FILE *f = help ? stdout_ : stderr_;
            char name[48];
            fprintf(f, "usage: iom [--db PATH] [--as USER] [--json] %s %s SUBCOMMAND [OPTIONS]\n\n"
                       "subcommands:\n", group, sub);
            FOR_EACH_OP(op)
                if (strcmp(op->group, group) == 0 && strncmp(op->cmd, sub, sl) == 0 && op->cmd[sl] == ' ')
                    help_line(f, words(op->group, op->cmd, name, sizeof name), op->summary);
            rc = help ? 0 : iom_err_exit_code(IOM_EUSAGE);
        }
    }
    if (rc < 0) {
        if (group_known && sub && (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0)) {
            group_usage(stdout_, group);
        } else if (group_known) {
            char names[512] = "";
            size_t j = 0;
            FOR_EACH_OP(op)
                if (strcmp(op->group, group) == 0 && j < sizeof names)
                    j += (size_t)snprintf(names + j, sizeof names - j, " %s", op->cmd);
            FOR_EACH_COMMAND(c)
                if (strcmp(c->group, group) == 0 && c->name && j < sizeof names)
                    j += (size_t)snprintf(names + j, sizeof names - j, " %s", c->name);
            if (sub)
                error_line(stderr_, cli.json, IOM_EUSAGE, "'%s' has no subcommand '%s'; it has:%s", group, sub, names);
            else
                error_line(stderr_, cli.json, IOM_EUSAGE, "'%s' needs a subcommand:%s", group, names);
        } else {
            error_line(stderr_, cli.json, IOM_EUSAGE, "unknown command '%s' (see `iom help`)", group);
        }
        rc = group_known && sub && (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0)
                 ? 0
                 : iom_err_exit_code(IOM_EUSAGE);
    }
    iom_store_close(cli.store);
    iom_arena_free(&cli.arena);
    /* an answer that could not be written is no success (review 47: `audit log` cut short by a
       full disk exited 0) */
    if ((fflush(stdout_) != 0 || ferror(stdout_)) && rc == 0) {
        error_line(stderr_, cli.json, IOM_EIO, "cannot write the output: %s", strerror(errno ? errno : EIO));
        rc = iom_err_exit_code(IOM_EIO);
    }
    fflush(stderr_);
    return rc;
}
