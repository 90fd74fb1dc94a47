/* `iom product add` and `iom product get`: a document's bytes from or to a file (the API's
   upload and download); `iom export FORMAT REF`: the picture to a file. The other work commands are rows of the operation table
   (src/ops/table.c). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/json.h"
#include "app/picture.h"
#include "app/readlog.h"
#include "app/work.h"
#include "cli/commands.h"

#define OPTV(opts, name) (cli_get((opts), (name))->value)

static int cmd_product_add(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom --as USER product add REF --type TYPE --file PATH [--replaces PRD-...]\n"
        "             [--marking M] [--if-version N]\n"
        "Attaches a product document (at most 50 MiB) to tasking REF with its SHA-256. Without\n"
        "--replaces it is a new product (version 1); with --replaces PRD it is the next version of\n"
        "that product (same tasking, same type), marked as the last version or above it, never\n"
        "below (a copy sanitised for wider use is a new product). Types: strategic_assessment\n"
        "tactical_assessment subject_profile problem_profile crime_pattern_analysis\n"
        "demographic_social_trend_analysis network_analysis market_profile\n"
        "criminal_business_profile risk_analysis target_profile_analysis\n"
        "operational_intelligence_assessment results_analysis financial_analysis\n"
        "intelligence_report.\n";
    cli_opt opts[] = {{"type", true, false}, {"file", true, false}, {"replaces", true, false},
                      {"marking", true, false}, {"if-version", true, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (npos != 1)
        return cli_usage_error(cli, usage);
    int64_t ver;
    if (cli_version(cli, "if-version", OPTV(opts, "if-version"), &ver))
        return cli_fail(cli, IOM_EINVAL);
    app_product_input in = {OPTV(opts, "type"), OPTV(opts, "file"), OPTV(opts, "replaces"),
                            OPTV(opts, "marking")};
    iom_product_t p;
    iom_err err = app_product_add(&cli->ctx, pos[0], &in, ver, &p);
    if (err) {
        app_read_log_refused(&cli->ctx, "product.add", pos[0], err); /* 403/404: an attempt (81 L7) */
        return cli_fail(cli, err);
    }
    if (cli->json)
        return cli_print_json(cli, json_of_product(&p)), 0;
    fprintf(cli->out, "%s version %lld  sha256 %s\n", p.ref, (long long)p.version, p.sha256);
    return 0;
}

/* The descriptor that stands for the command's output stream ("--out -"). */
#define OUT_STREAM (-2)

/* Opens the destination before anything is read, so a refused destination logs no
   disclosure: a new file (mode 0600; an existing file is never overwritten) or, for "-",
   standard output. */
static iom_err open_out(cli_t *cli, const char *path, int *fd)
{
    if (strcmp(path, "-") == 0) {
        *fd = OUT_STREAM;
        return IOM_OK;
    }
    *fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (*fd < 0)
        return iom_fail(&cli->ctx.err, IOM_EIO, "out: cannot create '%s': %s%s", path, strerror(errno),
                        errno == EEXIST ? " (iom does not overwrite a file)" : "");
    return IOM_OK;
}

/* Writes data (NULL: nothing, the read was refused) and closes; a file not completely
   written is removed. */
static iom_err finish_out(cli_t *cli, const char *path, int fd, const unsigned char *data, size_t n)
{
    bool to_stdout = fd == OUT_STREAM;
    size_t done = 0;
    iom_err err = IOM_OK;
    if (to_stdout) {
        if (data && (fwrite(data, 1, n, cli->out) != n || fflush(cli->out) != 0))
            err = iom_fail(&cli->ctx.err, IOM_EIO, "out: cannot write '%s': %s", path, strerror(errno));
        return err;
    }
    while (data && done < n) {
        ssize_t w = write(fd, data + done, n - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            err = iom_fail(&cli->ctx.err, IOM_EIO, "out: cannot write '%s': %s", path, strerror(errno));
            break;
        }
        done += (size_t)w;
    }
    if (!to_stdout) {
        if (data && !err && fsync(fd) != 0)
            err = iom_fail(&cli->ctx.err, IOM_EIO, "out: cannot write '%s': %s", path, strerror(errno));
        close(fd);
        if (err || !data)
            unlink(path);
    }
    return err;
}

static int cmd_product_get(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom --as USER product get PROD [--version N] --out FILE|- [--justification TEXT]\n"
        "Writes the latest version (or version N) of the document to FILE (created with mode\n"
        "0600; never overwritten) or standard output, after verifying its SHA-256. The download\n"
        "is logged in the audit trail (DPA 2018 s.62).\n";
    cli_opt opts[] = {{"version", true, false}, {"out", true, false},
                      {"justification", true, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (npos != 1)
        return cli_usage_error(cli, usage);
    const char *out = OPTV(opts, "out");
    if (!out || !*out) {
        iom_fail(&cli->ctx.err, IOM_EINVAL, "out: required (--out FILE, or --out - for standard output)");
        return cli_fail(cli, IOM_EINVAL);
    }
    int64_t pver;
    if (cli_version(cli, "version", OPTV(opts, "version"), &pver))
        return cli_fail(cli, IOM_EINVAL);
    int fd;
    iom_err err = open_out(cli, out, &fd);
    if (err)
        return cli_fail(cli, err);
    iom_product_t p;
    if ((err = app_product_get(&cli->ctx, pos[0], pver, OPTV(opts, "justification"), &p))) {
        finish_out(cli, out, fd, NULL, 0);
        app_read_log_refused(&cli->ctx, "product.get", pos[0], err); /* 403/404: an attempt (81 L7) */
        return cli_fail(cli, err);
    }
    if ((err = finish_out(cli, out, fd, p.content, (size_t)p.size)))
        return cli_fail(cli, err);
    if (strcmp(out, "-") == 0)
        return 0;
    if (cli->json) {
        json_t *j = json_of_product(&p);
        json_object_set_new(j, "out", json_string(out));
        cli_print_json(cli, j);
    } else {
        fprintf(cli->out, "%s version %lld -> %s (%lld bytes, sha256 %s verified)\n", p.ref,
                (long long)p.version, out, (long long)p.size, p.sha256);
    }
    return 0;
}

/* `iom export FORMAT REF --out FILE|- --recipient TEXT [--purpose TEXT]` (app_picture_export):
   the file is created first (a refused destination logs no disclosure) and written only
   after the disclosure is logged. */
static int export_as(cli_t *cli, int argc, char **argv, const char *format)
{
    static const char usage[] =
        "usage: iom --as USER export anx|graphml|csv|json REF --out FILE|- --recipient TEXT\n"
        "             [--purpose TEXT] [--detail transactions] [--detail calls]\n"
        "Writes the intelligence picture of tasking REF that you may see (docs/export.md) as an\n"
        "i2 Analyst's Notebook chart (anx), GraphML, CSV or JSON to FILE (created with mode 0600;\n"
        "never overwritten) or standard output. Needs the need-to-know of the tasking's\n"
        "intelligence. The disclosure (recipient, purpose, marking, handling, counts, SHA-256) is\n"
        "logged in the read chain (picture.export, DPA 2018 s.62) before the file is written.\n"
        "--detail transactions / calls also writes each transaction / call record you may see as a\n"
        "link of its own between its accounts / phones, dated to the second (ANB's timeline).\n";
    cli_opt opts[] = {{"out", true, false}, {"recipient", true, false}, {"purpose", true, false},
                      {"detail", true, true}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 1, npos, usage);
    if (npos != 1)
        return cli_usage_error(cli, usage);
    const char *out = OPTV(opts, "out");
    if (!out || !*out) {
        iom_fail(&cli->ctx.err, IOM_EINVAL, "out: required (--out FILE, or --out - for standard output)");
        return cli_fail(cli, IOM_EINVAL);
    }
    app_export_input in = {.tasking = pos[0], .format = format, .recipient = OPTV(opts, "recipient"),
                           .purpose = OPTV(opts, "purpose")};
    if (!in.recipient || !*in.recipient) { /* before the file is created */
        iom_fail(&cli->ctx.err, IOM_EINVAL, "recipient: required (--recipient TEXT: who receives the export)");
        return cli_fail(cli, IOM_EINVAL);
    }
    for (int i = 0; i < opts[3].count; i++) {
        iom_err derr = app_export_detail(&cli->ctx, opts[3].values[i], &in);
        if (derr)
            return cli_fail(cli, derr);
    }
    int fd;
    iom_err err = open_out(cli, out, &fd);
    if (err)
        return cli_fail(cli, err);
    app_export_result r;
    if ((err = app_picture_export(&cli->ctx, &in, &r))) {
        finish_out(cli, out, fd, NULL, 0);
        app_read_log_refused(&cli->ctx, "picture.export", pos[0], err); /* 403/404: an attempt (81 L7) */
        return cli_fail(cli, err);
    }
    if ((err = finish_out(cli, out, fd, r.data, r.size)))
        return cli_fail(cli, err);
    if (strcmp(out, "-") == 0)
        return 0;
    if (cli->json) {
        json_t *j = json_of_export(&r);
        json_object_set_new(j, "out", json_string(out));
        cli_print_json(cli, j);
        return 0;
    }
    fprintf(cli->out, "%s picture (%s) -> %s: %zu entities, %zu links, %zu bytes, sha256 %s\n", r.tasking_ref,
            format, out, r.entities, r.links, r.size, r.sha256);
    fprintf(cli->out, "marking %s, handling %s", iom_marking_name(r.marking), r.conditional ? "C" : "P");
    for (size_t i = 0; i < r.nconditions; i++)
        fprintf(cli->out, "%s%s", i ? "; " : ": ", r.conditions[i]);
    fprintf(cli->out, "\n");
    return 0;
}

static int cmd_export_anx(cli_t *cli, int argc, char **argv) { return export_as(cli, argc, argv, "anx"); }
static int cmd_export_graphml(cli_t *cli, int argc, char **argv) { return export_as(cli, argc, argv, "graphml"); }
static int cmd_export_csv(cli_t *cli, int argc, char **argv) { return export_as(cli, argc, argv, "csv"); }
static int cmd_export_json(cli_t *cli, int argc, char **argv) { return export_as(cli, argc, argv, "json"); }

#define KEY (CLI_NEED_STORE | CLI_NEED_KEY)

const cli_command cli_work_commands[] = {
    {"product", "add", cmd_product_add, KEY, "attach a product document (new, or --replaces)"},
    {"product", "get", cmd_product_get, KEY, "write a product document to a file (SHA-256 checked)"},
    {"export", "anx", cmd_export_anx, KEY, "the picture you may see as an i2 Analyst's Notebook chart"},
    {"export", "graphml", cmd_export_graphml, KEY, "the picture you may see as GraphML"},
    {"export", "csv", cmd_export_csv, KEY, "the picture you may see as CSV"},
    {"export", "json", cmd_export_json, KEY, "the picture you may see as JSON"},
    {NULL, NULL, NULL, 0, NULL},
};
