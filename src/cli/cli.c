#include "cli/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/audit.h"
#include "cli/commands.h"
#include "cli/cmd_conflate.h"

#define NEED_STORE CLI_NEED_STORE
#define CREATE CLI_CREATE
#define ANY_SCHEMA CLI_ANY_SCHEMA
#define NEED_KEY CLI_NEED_KEY

/* `iom conflate` works on files, not the database: its engine parses its own options. */
static int cmd_conflate(cli_t *cli, int argc, char **argv)
{
    (void)cli;
    return conflate_cli_main(argc, argv);
}

/* The core command table: one row per command. */
static const cli_command core_commands[] = {
    {"init", NULL, cmd_init, NEED_STORE | CREATE | ANY_SCHEMA, "create the database and audit key, load reference data"},
    {"migrate", NULL, cmd_migrate, NEED_STORE | ANY_SCHEMA, "bring the database schema up to this binary's version"},
    {"demo", NULL, cmd_demo, NEED_STORE | CREATE | ANY_SCHEMA, "fill a new database with the demo scenario"},
    {"region", "list", cmd_region_list, NEED_STORE, "list the regions"},
    {"agency", "list", cmd_agency_list, NEED_STORE, "list agencies (forces, ROCUs, national, capability)"},
    {"agency", "show", cmd_agency_show, NEED_STORE, "show one agency"},
    {"agency", "add", cmd_agency_add, NEED_STORE | NEED_KEY, "add an agency (admin)"},
    {"agency", "rename", cmd_agency_rename, NEED_STORE | NEED_KEY, "rename an agency (admin)"},
    {"agency", "disable", cmd_agency_disable, NEED_STORE | NEED_KEY, "disable an agency (admin)"},
    {"agency", "merge", cmd_agency_merge, NEED_STORE | NEED_KEY, "merge one agency into another (admin)"},
    {"user", "add", cmd_user_add, NEED_STORE | NEED_KEY, "add a user (admin; the first one without --as)"},
    {"user", "list", cmd_user_list, NEED_STORE, "list users"},
    {"user", "show", cmd_user_show, NEED_STORE, "show one user"},
    {"user", "disable", cmd_user_disable, NEED_STORE | NEED_KEY, "disable a user (admin)"},
    {"user", "password", cmd_user_password, NEED_STORE | NEED_KEY, "change your password (the old one required)"},
    {"user", "reset-password", cmd_user_reset_password, NEED_STORE | NEED_KEY, "reset a password; changed at next sign-in (admin)"},
    {"user", "totp-enrol", cmd_user_totp_enrol, NEED_STORE | NEED_KEY, "start your TOTP second factor (prints the secret once)"},
    {"user", "totp-confirm", cmd_user_totp_confirm, NEED_STORE | NEED_KEY, "confirm your TOTP enrolment with a code"},
    {"user", "reset-totp", cmd_user_reset_totp, NEED_STORE | NEED_KEY, "remove a user's TOTP enrolment (admin)"},
    {"role", "list", cmd_role_list, NEED_STORE, "roles and whether each requires TOTP (admin)"},
    {"role", "require-totp", cmd_role_require_totp, NEED_STORE | NEED_KEY, "make a role require TOTP, or --off (admin)"},
    {"threat", "add", cmd_threat_add, NEED_STORE | NEED_KEY, "put a threat on the SOC master list (owner's spoc or sio)"},
    {"threat", "list", cmd_threat_list, NEED_STORE, "the SOC master list"},
    {"threat", "show", cmd_threat_show, NEED_STORE, "show one threat"},
    {"threat", "update", cmd_threat_update, NEED_STORE | NEED_KEY, "change a threat (owner's spoc or sio)"},
    {"threat", "archive", cmd_threat_archive, NEED_STORE | NEED_KEY, "archive a threat (owner's spoc or sio)"},
    {"audit", "log", cmd_audit_log, NEED_STORE, "show the audit trail (auditor)"},
    {"audit", "verify", cmd_audit_verify, NEED_STORE | NEED_KEY, "verify the audit chain (admin, auditor)"},
    {"audit", "checkpoint", cmd_audit_checkpoint, NEED_STORE, "print the chain head to keep elsewhere"},
    {"audit", "reads", cmd_audit_reads, NEED_STORE, "the read-purpose log: who read what, when, why (auditor, admin)"},
    {"conflate", NULL, cmd_conflate, 0, "entity resolution across CSV datasets (see docs/conflate.md)"},
    {NULL, NULL, NULL, 0, NULL},
};

static const cli_command *const tables[] = {core_commands, cli_tasking_commands,
                                            cli_work_commands, cli_apmis_commands,
                                            cli_serve_commands};
#define NTABLES (sizeof tables / sizeof tables[0])
#define FOR_EACH_COMMAND(c)                                                                    \
    for (size_t t_ = 0; t_ < NTABLES; t_++)                                                    \
        for (const cli_command *c = tables[t_]; c->group; c++)

static void usage(FILE *f)
{
    fprintf(f,
            "iom %s: the TOEX Intelligence Operating Model system\n\n"
            "usage: iom [--db PATH] [--as USER] [--purpose TEXT] [--json] COMMAND [SUBCOMMAND] [OPTIONS]\n\n"
            "global options:\n"
            "  --db PATH   the database (default $IOM_DB, else ./iom.db)\n"
            "  --as USER   the acting user (default $IOM_USER)\n"
            "  --purpose TEXT  why you read intelligence content: logged with every read\n"
            "              (default: the relation that grants you access)\n"
            "  --json      print the API's JSON objects instead of text\n\n"
            "commands:\n",
            IOM_VERSION);
    FOR_EACH_COMMAND(c) {
        char name[48];
        snprintf(name, sizeof name, "%s%s%s", c->group, c->name ? " " : "", c->name ? c->name : "");
        fprintf(f, "  %-20s %s\n", name, c->summary);
    }
    fprintf(f, "  %-20s %s\n", "help [COMMAND]", "this text, or a command's options");
    fprintf(f, "\n`iom COMMAND --help` describes a command's options.\n"
               "Exit status: 0 success; 3 invalid input; 4 not found; 5 forbidden; 6 conflict;\n"
               "7 store failure; 8 out of memory; 9 file I/O; 10 no identified user; 11 schema\n"
               "mismatch; 12 audit integrity failure; 13 usage; 14 too large.\n");
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
static void error_line(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void error_line(FILE *f, const char *fmt, ...)
{
    char msg[2 * IOM_ERRMSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
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
                error_line(cli->err, "unexpected argument '%s'", a);
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
            error_line(cli->err, "unknown option '--%s'", key);
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
                error_line(cli->err, "option '--%s' needs a value", key);
                return IOM_EUSAGE;
            }
        } else if (eq) {
            error_line(cli->err, "option '--%s' takes no value", key);
            return IOM_EUSAGE;
        }
        if (o->count > 0 && !o->repeat) {
            error_line(cli->err, "option '--%s' is given more than once", key);
            return IOM_EUSAGE;
        }
        if (o->count >= (int)(sizeof o->values / sizeof o->values[0])) {
            error_line(cli->err, "option '--%s' is given too many times", key);
            return IOM_EUSAGE;
        }
        o->values[o->count++] = val;
        o->value = val;
    }
    return 0;
}

int cli_fail(cli_t *cli, iom_err err)
{
    const char *msg = cli->ctx.err.msg[0] ? cli->ctx.err.msg : iom_err_text(err);
    if (cli->json) {
        json_t *j = json_pack("{s:s, s:s, s:i}", "error", iom_err_name(err), "detail", msg,
                              "status", iom_err_http_status(err));
        char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
        fprintf(cli->err, "%s\n", s ? s : "{}");
        free(s);
        json_decref(j);
    } else {
        error_line(cli->err, "%s", msg);
    }
    return iom_err_exit_code(err);
}

void cli_print_json(cli_t *cli, json_t *j)
{
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
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
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return iom_fail(&cli->ctx.err, IOM_EIO, "%s: cannot read '%s': %s", field, path, strerror(errno));
    char *buf = iom_arena_alloc(&cli->arena, max + 2);
    size_t n = fread(buf, 1, max + 1, f);
    bool bad = ferror(f);
    if (f != stdin)
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

static const char *os_user(void)
{
    struct passwd *pw = getpwuid(getuid());
    if (pw && pw->pw_name)
        return pw->pw_name;
    const char *u = getenv("USER");
    return u ? u : "unknown";
}

static int run(cli_t *cli, const cli_command *c, int argc, char **argv)
{
    if (c->flags & NEED_STORE) {
        /* --help must work without a database. */
        for (int i = 1; i < argc; i++)
            if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
                return c->fn(cli, argc, argv);
        int flags = (c->flags & CREATE ? IOM_STORE_CREATE : 0) |
                    (c->flags & ANY_SCHEMA ? IOM_STORE_ANY_SCHEMA : 0);
        iom_err err = iom_store_open(cli->db, flags, &cli->store, &cli->ctx.err);
        if (err)
            return cli_fail(cli, err);
        cli->ctx.store = cli->store;
        if (!(c->flags & CREATE)) {
            iom_error ke = {0};
            const char *path = audit_key_path(&cli->arena, cli->db);
            if (audit_key_load(path, cli->ctx.audit_key, &ke) == IOM_OK)
                cli->ctx.has_audit_key = true;
            else if (c->flags & NEED_KEY) {
                cli->ctx.err = ke;
                return cli_fail(cli, ke.code);
            }
        }
    }
    return c->fn(cli, argc, argv);
}

int cli_main(int argc, char **argv)
{
    cli_t cli = {.out = stdout, .err = stderr};
    iom_arena_init(&cli.arena);
    app_ctx_init(&cli.ctx, NULL, &cli.arena);
    cli.ctx.os_user = os_user();
    cli.ctx.via = "cli";
    cli.db = getenv("IOM_DB");
    cli.as = getenv("IOM_USER");
    if (!cli.db || !*cli.db)
        cli.db = "iom.db";

    /* Global options may stand anywhere before a lone "--" (`iom agency list --json`);
       they are taken out of argv so that commands see only their own. */
    int kept = 1;
    bool literal = false;
    const char *purpose = NULL;
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
                error_line(stderr, "option '%s' needs a value", a);
                return iom_err_exit_code(IOM_EUSAGE);
            }
            *(strcmp(a, "--db") == 0 ? &cli.db : strcmp(a, "--as") == 0 ? &cli.as : &purpose) = argv[++k];
        } else if (strncmp(a, "--purpose=", 10) == 0)
            purpose = a + 10;
        else if (strncmp(a, "--db=", 5) == 0)
            cli.db = a + 5;
        else if (strncmp(a, "--as=", 5) == 0)
            cli.as = a + 5;
        else if (strcmp(a, "--version") == 0 && kept == 1) {
            printf("iom %s\n", IOM_VERSION);
            return 0;
        } else if (strcmp(a, "--help") == 0 && kept == 1) {
            usage(stdout);
            return 0;
        } else
            argv[kept++] = argv[k];
    }
    argc = kept;
    argv[argc] = NULL;
    int i = 1;
    if (i < argc && strncmp(argv[i], "--", 2) == 0) {
        error_line(stderr, "unknown global option '%s' (see `iom help`)", argv[i]);
        return iom_err_exit_code(IOM_EUSAGE);
    }
    cli.ctx.actor_name = cli.as && *cli.as ? cli.as : NULL;
    if (purpose) {
        iom_error pe = {0};
        if (app_purpose_check(purpose, &pe)) {
            error_line(stderr, "%s", pe.msg);
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
            usage(i >= argc ? stderr : stdout);
            return i >= argc ? iom_err_exit_code(IOM_EUSAGE) : 0;
        }
    }
    const char *group = argv[i];
    const char *sub = i + 1 < argc ? argv[i + 1] : NULL;
    int rc = -1;
    bool group_known = false;
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
    if (rc < 0) {
        if (group_known) {
            char names[512] = "";
            size_t j = 0;
            FOR_EACH_COMMAND(c)
                if (strcmp(c->group, group) == 0 && c->name && j < sizeof names)
                    j += (size_t)snprintf(names + j, sizeof names - j, " %s", c->name);
            if (sub)
                error_line(stderr, "'%s' has no subcommand '%s'; it has:%s", group, sub, names);
            else
                error_line(stderr, "'%s' needs a subcommand:%s", group, names);
        } else {
            error_line(stderr, "unknown command '%s' (see `iom help`)", group);
        }
        rc = iom_err_exit_code(IOM_EUSAGE);
    }
    iom_store_close(cli.store);
    iom_arena_free(&cli.arena);
    fflush(stdout);
    return rc;
}
