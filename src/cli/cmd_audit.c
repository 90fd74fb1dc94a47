/* `iom audit log|verify|checkpoint`. */
#include <string.h>

#include "app/audit.h"
#include "app/json.h"
#include "cli/commands.h"
#include "util/timefmt.h"

int cmd_audit_log(cli_t *cli, int argc, char **argv)
{
    static const char usage[] = "usage: iom --as AUDITOR audit log [--object REF]\n";
    cli_opt opts[] = {{"object", true, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 0, npos, usage);
    iom_audit_t *v;
    size_t n;
    iom_err err = app_audit_log(&cli->ctx, opts[0].value, &v, &n);
    if (err)
        return cli_fail(cli, err);
    if (cli->json) {
        json_t *items = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(items, json_of_audit(&v[i]));
        cli_print_json(cli, json_list(items, NULL));
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        char when[32];
        iom_time_uk(v[i].at, when);
        fprintf(cli->out, "%6lld  %s  %-16s %-20s by %s (%s via %s)\n", (long long)v[i].seq, when,
                v[i].action, v[i].object_ref ? v[i].object_ref : "-",
                v[i].actor ? v[i].actor : "(system)", v[i].os_user ? v[i].os_user : "?", v[i].via);
        if (v[i].before_json)
            fprintf(cli->out, "        before: %s\n", v[i].before_json);
        if (v[i].after_json)
            fprintf(cli->out, "        after:  %s\n", v[i].after_json);
    }
    return 0;
}

int cmd_audit_verify(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom --as ADMIN|AUDITOR audit verify [--checkpoint FILE]\n"
        "Exits 0 when the keyed hash chain is intact; otherwise names the first broken entry.\n"
        "With --checkpoint (a file holding a line printed by `iom audit checkpoint`), also\n"
        "detects entries removed from the end.\n";
    cli_opt opts[] = {{"checkpoint", true, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 0, npos, usage);
    audit_checkpoint cp, *cpp = NULL;
    if (opts[0].value) {
        FILE *f = fopen(opts[0].value, "r");
        char line[256] = "";
        if (!f)
            return cli_fail(cli, iom_fail(&cli->ctx.err, IOM_EIO, "checkpoint: cannot read '%s'",
                                          opts[0].value));
        if (!fgets(line, sizeof line, f))
            line[0] = '\0';
        fclose(f);
        if (audit_checkpoint_parse(line, &cp, &cli->ctx.err))
            return cli_fail(cli, IOM_EINVAL);
        cpp = &cp;
    }
    audit_verify_result r;
    iom_err err = app_audit_verify(&cli->ctx, cpp, &r);
    if (err && err != IOM_EINTEGRITY)
        return cli_fail(cli, err);
    if (cli->json) {
        cli_print_json(cli, json_pack("{s:b, s:I, s:s, s:o, s:o}", "intact", err == IOM_OK,
                                      "entries", (json_int_t)r.entries, "head", r.head,
                                      "first_bad", r.first_bad ? json_integer(r.first_bad) : json_null(),
                                      "detail", err ? json_string(cli->ctx.err.msg) : json_null()));
        return iom_err_exit_code(err);
    }
    if (err)
        return cli_fail(cli, err);
    fprintf(cli->out, "audit chain intact: %lld entries, head %s%s\n", (long long)r.entries, r.head,
            cpp ? " (checkpoint matched)" : "");
    return 0;
}

int cmd_audit_checkpoint(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom --as ADMIN|AUDITOR audit checkpoint\n"
        "Prints the chain head; keep the line outside the database host, and pass it later to\n"
        "`iom audit verify --checkpoint FILE`.\n";
    cli_opt opts[] = {{0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 0, npos, usage);
    audit_checkpoint cp;
    iom_err err = app_audit_checkpoint(&cli->ctx, &cp);
    if (err)
        return cli_fail(cli, err);
    if (cli->json)
        cli_print_json(cli, json_pack("{s:I, s:s}", "seq", (json_int_t)cp.seq, "hash", cp.hash));
    else
        fprintf(cli->out, "iom-audit-checkpoint seq=%lld hash=%s\n", (long long)cp.seq, cp.hash);
    return 0;
}

int cmd_audit_reads(cli_t *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: iom --as AUDITOR|ADMIN audit reads [--user NAME] [--object REF] [--limit N] [--after CURSOR]\n"
        "The read-purpose log: every read of intelligence content (a tasking's full record,\n"
        "intelligence items, product downloads) with who, when, what and why (the purpose given\n"
        "with --purpose / X-Iom-Purpose, else the relation that granted access). Oldest first,\n"
        "N (default 50, at most 1000) at a time; --after takes the cursor printed at the end.\n";
    cli_opt opts[] = {{"user", true, false}, {"object", true, false}, {"limit", true, false},
                      {"after", true, false}, {0}};
    const char *pos[1];
    int npos;
    CLI_PARSE(cli, argc, argv, opts, pos, 0, npos, usage);
    app_audit_reads_query q = {.user = opts[0].value, .object = opts[1].value, .after = opts[3].value};
    long long limit = 0;
    if (opts[2].value && cli_uint(cli, "limit", opts[2].value, 1000, &limit))
        return cli_fail(cli, IOM_EINVAL);
    if (opts[2].value && limit == 0)
        return cli_fail(cli, iom_fail(&cli->ctx.err, IOM_EINVAL, "limit: must be from 1 to 1000"));
    q.limit = (size_t)limit;
    iom_audit_t *v;
    size_t n;
    const char *next;
    iom_err err = app_audit_reads(&cli->ctx, &q, &v, &n, &next);
    if (err)
        return cli_fail(cli, err);
    if (cli->json) {
        json_t *items = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(items, json_of_read_entry(&v[i]));
        cli_print_json(cli, json_list(items, next));
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *j = json_of_read_entry(&v[i]);
        char when[32];
        iom_time_uk(v[i].at, when);
        const char *purpose = json_string_value(json_object_get(j, "purpose"));
        fprintf(cli->out, "%6lld  %s  %-16s %-20s by %s via %s  purpose: %s\n", (long long)v[i].seq,
                when, v[i].action, v[i].object_ref ? v[i].object_ref : "-",
                v[i].actor ? v[i].actor : "(system)", v[i].via, purpose ? purpose : "-");
        json_decref(j);
    }
    if (next)
        fprintf(cli->out, "more: --after %s\n", next);
    return 0;
}
