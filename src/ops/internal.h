/*
 * internal.h: shared by the files of src/ops only: the run functions the table names (one
 * file per area, ops_<area>.c) and the field lists they share.
 */
#ifndef IOM_OPS_INTERNAL_H
#define IOM_OPS_INTERNAL_H

#include "app/json.h"
#include "app/page.h"
#include "app/work.h"
#include "ops/ops.h"

/* The paging fields of every list: limit 1..1000 and the opaque cursor of the last page. */
#define OP_PAGE_FIELDS                                                                         \
    {"limit", OT_INT, OF_QUERY, "at most this many items (1-1000; default 100)", .meta = "N",   \
     .min = 1, .max = 1000},                                                                   \
    {"after", OT_STRING, OF_QUERY, "the `next` cursor of the previous page", .meta = "CURSOR"}

/* The version the caller read (If-Match / --if-version): a stale one is refused (409). */
#define OP_IF_VERSION                                                                          \
    {"if_version", OT_INT, OF_VERSION, "the version you read; refused (conflict) when stale",  \
     .meta = "N"}

/* {items: [...], next} of n JSON objects made by each(item i); sets out->n, out->next. */
#define OP_LIST_OUT(out, arr, count, nextc, json_of)                                           \
    do {                                                                                       \
        json_t *items_ = json_array();                                                         \
        for (size_t i_ = 0; i_ < (count); i_++)                                                \
            json_array_append_new(items_, json_of(&(arr)[i_]));                                \
        (out)->json = json_list(items_, (nextc));                                              \
        (out)->obj = (arr);                                                                    \
        (out)->n = (count);                                                                    \
        (out)->next = (nextc);                                                                 \
    } while (0)

/* Marks the answer with the marking of the tasking it belongs to (op_mark); when that cannot
   be read, with the highest marking iom holds (fail safe). The context's error is kept. */
void op_mark_tasking(iom_ctx *c, op_out *out, const char *tasking_ref);

/* ops_threat.c */
iom_err op_threat_add(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_threat_list(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_threat_show(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_threat_update(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_threat_archive(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_threat_unarchive(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_threat_history(iom_ctx *c, const op_in *in, op_out *out);

/* ops_admin.c: reference data, users and roles */
iom_err op_region_list(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_holiday_list(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_holiday_add(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_holiday_remove(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_agency_list(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_agency_show(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_agency_add(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_agency_rename(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_agency_disable(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_agency_merge(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_user_add(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_user_list(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_user_show(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_user_disable(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_user_enable(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_user_reset_password(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_user_reset_totp(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_role_list(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_role_require_totp(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_token_create(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_token_list(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_token_revoke(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_user_unlock(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_user_unlock_address(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_me_password(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_me_totp_enrol(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_me_totp_confirm(iom_ctx *c, const op_in *in, op_out *out);

/* ops_settings.c: settings as reference data (app/settings.h) */
iom_err op_settings_list(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_settings_show(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_settings_history(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_settings_set(iom_ctx *c, const op_in *in, op_out *out);

/* ops_tasking.c: the lifecycle (arg: the iom_tasking_action of a transition; 1 = add for
   team; 0 show, 1 history, 2 transfer for show) */
iom_err op_tasking_new(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_tasking_edit(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_tasking_act(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_tasking_team(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_tasking_reallocate(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_tor_propose(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_tor_show(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_tor_milestone_done(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_tor_list(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_tor_diff(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_tasking_reassess(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_tasking_show(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_tasking_list(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_tasking_actions(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_tasking_due(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_tasking_queue(iom_ctx *c, const op_in *in, op_out *out);

/* ops_work.c: contributions, intelligence, options, products */
iom_err op_contribution_add(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_contribution_list(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_intel_add(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_intel_correct(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_intel_pnd(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_intel_show(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_intel_history(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_intel_list(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_intel_due_review(iom_ctx *c, const op_in *in, op_out *out);
/* A MoPI review's input: the API's "decision", or the CLI's --retain / --dispose (exactly one),
   with next and reason (ops_work.c). */
iom_err op_review_input(iom_ctx *c, const op_in *in, app_intel_review_input *ri);
/* A MoPI review's answer: the review; a disposal adds erased and purged; marked as its tasking. */
void op_review_out(iom_ctx *c, op_out *out, iom_intel_review_t *r, bool purged);
void op_mark_reviews(iom_ctx *c, op_out *out, const iom_intel_review_t *v, size_t n, const char *tasking);
iom_err op_intel_review(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_intel_reviews(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_option_add(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_option_set(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_option_list(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_option_agency(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_product_deliver(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_product_list(iom_ctx *c, const op_in *in, op_out *out);

/* ops_apmis.c: APMIS and the audit trail */
iom_err op_apmis_record(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_apmis_show(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_apmis_list(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_apmis_report(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_audit_log(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_audit_verify(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_audit_checkpoint(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_audit_reads(iom_ctx *c, const op_in *in, op_out *out);

/* ops_picture.c: datasets, entities, links and the review queue (issue 16) */
iom_err op_dataset_import(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_dataset_list(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_dataset_show(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_dataset_resolve(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_dataset_remove(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_dataset_review(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_dataset_import_job(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_job_show(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_dataset_reviews(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_picture_due(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_entity_list(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_picture_export(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_link_list(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_picture_image(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_entity_show(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_entity_add(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_entity_update(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_entity_link(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_entity_unlink(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_entity_merge(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_entity_split(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_review_list(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_review_show(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_review_decide(iom_ctx *c, const op_in *in, op_out *out);

/* ops_analysis.c: the analysis of the picture (issue 17); arg: the analysis, or 0 finance /
   1 comms for the imports */
iom_err op_graph(iom_ctx *c, const op_in *in, op_out *out);
/* The analyses' gate (ops_analysis.c): a request through the server (c->via "http") takes a slot
   (*slot >= 0) or is IOM_EBUSY at once: all slots taken (op_analyses_threads), or one of the
   same user's running. Elsewhere *slot is -1 and nothing is counted. op_analysis_leave gives
   the slot back (-1: nothing). */
iom_err op_analysis_enter(iom_ctx *c, int *slot);
void op_analysis_leave(int slot);
iom_err op_finance(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_comms(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_timeline(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_analysis_import(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_analysis_imports(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_analysis_remove(iom_ctx *c, const op_in *in, op_out *out);
/* ops_search.c: search and deconfliction (issue 16 points 4 and 6) */
iom_err op_search(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_deconflict_list(iom_ctx *c, const op_in *in, op_out *out);
iom_err op_deconflict_ack(iom_ctx *c, const op_in *in, op_out *out);

#endif
