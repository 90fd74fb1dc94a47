/* APMIS (docs/apmis.md): disruption records and the value-measure report; and the audit
   trail for auditors: the log, verify, the checkpoint and the read-purpose log. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/apmis.h"
#include "app/audit.h"
#include "ops/internal.h"
#include "util/text.h"

iom_err op_apmis_record(iom_ctx *c, const op_in *in, op_out *out)
{
    apmis_input ai = {.threat = op_str(in, "threat"), .date = op_str(in, "date"),
                      .impact = op_str(in, "impact"), .type = op_str(in, "type"),
                      .lead = op_str(in, "lead"), .arrests = op_int(in, "arrests", 0),
                      .safeguarded = op_int(in, "safeguarded", 0),
                      .seized_pence = op_int(in, "seized_pence", 0), .strand = op_str(in, "strand"),
                      .narrative = op_str(in, "narrative")};
    const op_value *caps = op_get(in, "capabilities");
    if (caps->nv > APMIS_MAX_CAPABILITIES)
        return iom_fail(&c->err, IOM_EINVAL, "capabilities: at most %d", (int)APMIS_MAX_CAPABILITIES);
    for (size_t i = 0; i < caps->nv; i++)
        ai.capabilities[ai.ncapabilities++] = caps->v[i];
    iom_apmis_t *r = iom_arena_new(c->arena, iom_apmis_t, 1);
    iom_err err = app_apmis_record(c, &ai, r);
    if (!err) {
        out->json = json_of_apmis(r);
        out->obj = r;
        out->ref = r->ref;
    }
    return err;
}

iom_err op_apmis_show(iom_ctx *c, const op_in *in, op_out *out)
{
    iom_apmis_t *r = iom_arena_new(c->arena, iom_apmis_t, 1);
    iom_err err = app_apmis_get(c, op_str(in, "ref"), r);
    if (!err) {
        out->json = json_of_apmis(r);
        out->obj = r;
        out->ref = r->ref;
    }
    return err;
}

iom_err op_apmis_list(iom_ctx *c, const op_in *in, op_out *out)
{
    app_apmis_query q = {op_str(in, "threat"), op_str(in, "after"), (size_t)op_int(in, "limit", 0)};
    iom_apmis_t *v;
    size_t n;
    const char *next;
    iom_err err = app_apmis_list(c, &q, &v, &n, &next);
    if (!err)
        OP_LIST_OUT(out, v, n, next, json_of_apmis);
    return err;
}

/* JSON, or the same figures as CSV (API ?format=csv, CLI --csv). */
iom_err op_apmis_report(iom_ctx *c, const op_in *in, op_out *out)
{
    const char *format = op_str(in, "format");
    if (format && strcmp(format, "json") != 0 && strcmp(format, "csv") != 0)
        return iom_fail(&c->err, IOM_EINVAL, "format: must be json or csv");
    const char *by = op_str(in, "by");
    if (by && strcmp(by, "requester") != 0 && strcmp(by, "owner") != 0)
        return iom_fail(&c->err, IOM_EINVAL, "by: must be requester or owner");
    app_apmis_report_query q = {op_str(in, "region"), op_str(in, "force"), op_str(in, "from"),
                                op_str(in, "to"), by && strcmp(by, "owner") == 0};
    app_apmis_report_t *r = iom_arena_new(c->arena, app_apmis_report_t, 1);
    iom_err err = app_apmis_report(c, &q, r);
    if (err)
        return err;
    out->obj = r;
    if (op_bool(in, "csv") || (format && strcmp(format, "csv") == 0)) {
        iom_buf_puts(&out->text, app_apmis_report_csv(c->arena, r));
        out->content_type = "text/csv; charset=utf-8";
        op_mark(out, (int)r->r.marking); /* as the JSON says it (X-Iom-Marking) */
    } else {
        out->json = json_of_apmis_report(r);
    }
    return IOM_OK;
}

/* ---- the audit trail ------------------------------------------------------------------- */

iom_err op_audit_log(iom_ctx *c, const op_in *in, op_out *out)
{
    int64_t after = 0;
    const char *cursor = op_str(in, "after");
    if (cursor) {
        if (!iom_parse_cursor(cursor, INT64_MAX, &after))
            return iom_fail(&c->err, IOM_EINVAL, "after: '%.48s' is not an entry number", cursor);
    }
    iom_audit_t *v;
    size_t n;
    int64_t next;
    app_audit_log_query q = {.object = op_str(in, "object"), .actor = op_str(in, "actor"),
                             .action = op_str(in, "action"), .newest = op_bool(in, "newest"),
                             .after_seq = after, .limit = (size_t)op_int(in, "limit", 100)};
    iom_err err = app_audit_log_page(c, &q, &v, &n, &next);
    if (err)
        return err;
    const char *nc = next ? iom_arena_printf(c->arena, "%lld", (long long)next) : NULL;
    OP_LIST_OUT(out, v, n, nc, json_of_audit);
    return IOM_OK;
}

iom_err op_audit_verify(iom_ctx *c, const op_in *in, op_out *out)
{
    audit_checkpoint cp, *cpp = NULL;
    const char *line = op_str(in, "checkpoint");
    if (line) {
        if (audit_checkpoint_parse(line, &cp, &c->err))
            return IOM_EINVAL;
        cpp = &cp;
    }
    bool reads = op_bool(in, "reads");
    if (cpp && cp.reads != reads)
        return iom_fail(&c->err, IOM_EINVAL, "checkpoint: a checkpoint of the %s chain; verify "
                        "the %s chain with it%s", cp.reads ? "read" : "change",
                        cp.reads ? "read" : "change", cp.reads ? " (--reads)" : " (without --reads)");
    audit_verify_result *r = iom_arena_new(c->arena, audit_verify_result, 1);
    iom_err err = reads ? app_audit_verify_reads(c, cpp, r) : app_audit_verify(c, cpp, r);
    if (err && err != IOM_EINTEGRITY)
        return err;
    /* checkpoint_matched: null when no checkpoint was given (nothing compared: review 72) */
    out->json = json_pack("{s:b, s:I, s:s, s:o, s:o, s:o, s:b}", "intact", err == IOM_OK, "entries",
                          (json_int_t)r->entries, "head", r->head, "first_bad",
                          r->first_bad ? json_integer(r->first_bad) : json_null(), "detail",
                          err ? json_string(c->err.msg) : json_null(), "checkpoint_matched",
                          cpp ? json_boolean(!err) : json_null(), "reads", reads);
    out->obj = r;
    out->status = err;
    return IOM_OK;
}

iom_err op_audit_checkpoint(iom_ctx *c, const op_in *in, op_out *out)
{
    audit_checkpoint *cp = iom_arena_new(c->arena, audit_checkpoint, 1);
    iom_err err = op_bool(in, "reads") ? app_audit_checkpoint_reads(c, cp) : app_audit_checkpoint(c, cp);
    if (!err) {
        out->json = json_pack("{s:I, s:s, s:b}", "seq", (json_int_t)cp->seq, "hash", cp->hash,
                              "reads", cp->reads);
        out->obj = cp;
    }
    return err;
}

iom_err op_audit_reads(iom_ctx *c, const op_in *in, op_out *out)
{
    app_audit_reads_query q = {.user = op_str(in, "user"), .object = op_str(in, "object"),
                               .limit = (size_t)op_int(in, "limit", 0), .after = op_str(in, "after"),
                               .action = op_str(in, "action"), .newest = op_bool(in, "newest")};
    iom_audit_t *v;
    size_t n;
    const char *next;
    iom_err err = app_audit_reads(c, &q, &v, &n, &next);
    if (!err)
        OP_LIST_OUT(out, v, n, next, json_of_read_entry);
    /* an auditor cleared for every marking reads the entries whole, a search's words among them,
       which may be those of an item marked up to that clearance: the answer is marked so
       (review 111 L5); for anyone else those words are left out */
    if (!err && n && app_actor_has(c, IOM_ROLE_AUDITOR) &&
        iom_clearance_allows(c->actor.clearance, (iom_marking)(IOM_MARKING_COUNT - 1)) &&
        out->marking < (int)(IOM_MARKING_COUNT - 1))
        out->marking = (int)(IOM_MARKING_COUNT - 1);
    return err;
}
