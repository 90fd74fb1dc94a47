/*
 * work.h: use-cases of the work on a tasking (domain.md §1 step 6): the work log
 * (contributions), graded intelligence items with their PND status, versioned corrections and
 * MoPI review dates (§4, §10), tactical options (§8) and NIM products as versioned documents
 * with a SHA-256 checksum (§6).
 *
 * Contract shared by every function here (as app.h): results live in ctx->arena; on failure
 * the iom_err is returned, ctx->err names the field, the value and the rule, and nothing was
 * written. Changes run in one write transaction: app_tasking_enter (need-to-know, the
 * lifecycle rule for the action, the tasking version), the rows, app_tasking_touch (the
 * tasking's version goes up by one), and one audit entry with the object's JSON before and
 * after. `if_version` is always the TASKING's version as read (0 = the version read in the
 * same call); a stale one is IOM_ECONFLICT.
 *
 * Reads apply need-to-know through app_tasking_read for the part concerned (contributions:
 * tasking, intelligence: intelligence, options and products: products) and clearance for
 * the record's own marking; anything the actor may not see reads as IOM_ENOTFOUND, exactly
 * like a missing reference. Reads of intelligence content (intel show, list, history,
 * due-review) and product downloads are logged in the read chain ("intel.consult",
 * "product.disclose"; app/readlog.h) as domain.md §10 requires (DPA 2018 s.62), with the
 * justification when one is given, after their read transaction and before they return; they
 * therefore need the audit key like a change.
 */
#ifndef IOM_APP_WORK_H
#define IOM_APP_WORK_H

#include <jansson.h>

#include "app/app.h"
#include "app/page.h"
#include "app/tasking.h"
#include "domain/mopi.h"
#include "store/work_store.h"

/* Largest product document accepted (IOM_ETOOBIG above). */
#define APP_PRODUCT_MAX_BYTES (50u * 1024u * 1024u)

/* Text limits (bytes, UTF-8). Longer text is IOM_EINVAL naming the field and the limit. */
#define APP_WORK_TEXT_MAX 20000   /* intelligence text, contribution and option text */
#define APP_WORK_SHORT_MAX 200    /* source, PND reference, file name */
#define APP_WORK_REASON_MAX 4000  /* conditions, PND reason, correction reason, justification */

/* ---- lists ----------------------------------------------------------------------------- */

/* Filters and the page of a list of work (page.h, in the list's own order): the cursor is an
   item's key (contributions, items, options: the reference; an item's history: the version;
   products: "PRD-000001.2"). A filter that does not apply to the list is ignored. */
typedef struct app_work_query {
    const char *pnd;     /* intelligence: only items with this PND status */
    const char *status;  /* options: only this status */
    const char *strand;  /* options: only this 4P strand */
    const char *type;    /* products: only this product type */
    app_page page;
} app_work_query;

/* ---- contributions (work log) --------------------------------------------------------- */

typedef struct app_contribution_input {
    const char *date;    /* YYYY-MM-DD, not in the future (required) */
    const char *hours;   /* decimal hours, 0 < h <= 24, stored as whole minutes (required) */
    const char *text;    /* what was done (required) */
} app_contribution_input;

/* `contribution add REF`: an assigned analyst, ido, dia, researcher or the SIA, while the
   tasking is in tor_agreed, in_development or reassessment. */
iom_err app_contribution_add(iom_ctx *c, const char *tasking_ref, const app_contribution_input *in,
                             int64_t if_version, iom_contribution_t *out);
/* `contribution list REF`: everyone who may read the tasking's content. One page; OUT *next:
   the cursor of the next page or NULL. OUT *tasking_version: the tasking's version (its
   ETag), read in the same transaction. */
iom_err app_contribution_list(iom_ctx *c, const char *tasking_ref, const app_work_query *q,
                              iom_contribution_t **out, size_t *n, const char **next,
                              int64_t *tasking_version);

/* ---- intelligence ---------------------------------------------------------------------- */

/* Fields of an item as entered; NULL = not given. For a correction every field is optional
   and a field not given keeps its current value. */
typedef struct app_intel_input {
    const char *text;
    const char *source;          /* description of the source */
    const char *grade;           /* "1B" or "1B P" (3x5x2) */
    const char *handling;        /* "P" | "C" */
    const char *conditions;      /* required for C */
    const char *legacy;          /* a 5x5x5 code ("B24"): mapped, the original kept; excludes
                                    grade/handling/conditions */
    const char *marking;         /* default: the tasking's; never below it */
    const char *pnd;             /* pending (default) | recorded | not_required; inferred as
                                    recorded from pnd_ref/pnd_date, not_required from
                                    pnd_reason when not given */
    const char *pnd_ref;
    const char *pnd_date;        /* YYYY-MM-DD, not in the future */
    const char *pnd_reason;
    const char *reason;          /* correction only: why (required) */
} app_intel_input;

/* `intel add REF`: a graded item; review date = today + the intel.review_years
   setting (app/settings.h), stored with the item. */
iom_err app_intel_add(iom_ctx *c, const char *tasking_ref, const app_intel_input *in,
                      int64_t if_version, iom_intel_t *out);

/* `intel correct ITEM --reason T ...`: a new version with the reason; the old one is kept.
   The PND status carries over unless given. The review date restarts. */
iom_err app_intel_correct(iom_ctx *c, const char *item_ref, const app_intel_input *in,
                          int64_t if_version, iom_intel_t *out);

/* `intel pnd ITEM`: records the PND status of the current version in place (status, ref,
   date, reason; the review date restarts). `pnd` is "recorded" (pnd_ref and pnd_date) or
   "not_required" (reason). Moves: pending -> recorded | not_required; not_required ->
   recorded; recorded -> recorded with a different reference or date (a typing error put
   right). Anything else is IOM_ECONFLICT. */
iom_err app_intel_pnd(iom_ctx *c, const char *item_ref, const char *pnd, const char *pnd_ref,
                      const char *pnd_date, const char *reason, int64_t if_version,
                      iom_intel_t *out);

/* `intel show ITEM [--version N]` (0 = current). */
iom_err app_intel_show(iom_ctx *c, const char *item_ref, int64_t version, const char *justification,
                       iom_intel_t *out);
/* `intel history ITEM`: every version, oldest first; one page (the items of the page are
   the ones logged as read). */
iom_err app_intel_history(iom_ctx *c, const char *item_ref, const char *justification,
                          const app_work_query *q, iom_intel_t **out, size_t *n, const char **next);
/* `intel list REF`: current versions the actor is cleared for; one page, as history. OUT
   *tasking_version as app_contribution_list. */
iom_err app_intel_list(iom_ctx *c, const char *tasking_ref, const char *justification,
                       const app_work_query *q, iom_intel_t **out, size_t *n, const char **next,
                       int64_t *tasking_version);
/* `intel due-review [--days N]`: current items whose review date is on or before today + days,
   of taskings the actor's agency requested or owns or the actor works on (all for an
   auditor), need-to-know and clearance applied item by item. At most 1000 items. */
iom_err app_intel_due_review(iom_ctx *c, int days, const char *justification,
                             const app_work_query *q, iom_intel_t **out, size_t *n,
                             const char **next);

/* ---- MoPI review and disposal (issue 12 point 6; domain/mopi.h; docs/work.md) ----------- */

typedef struct app_intel_review_input {
    const char *decision;  /* "retain" | "dispose" (required) */
    const char *next;      /* retain: the next review date, YYYY-MM-DD (required then) */
    const char *reason;    /* why (required) */
} app_intel_review_input;

/* `intel review ITEM --retain --next DATE --reason T` | `--dispose --reason T`, in any state
   of the tasking (closed included). Who: a toex_manager, the SIA who led the tasking, an SIO
   of the agency that owns the threat (mopi_review_check; IOM_EFORBIDDEN otherwise, and
   IOM_ENOTFOUND for anyone without sight of the item). Retain sets the item's review date
   ("intel.review" audited). Dispose erases the content of every version and destroys the
   item's key, so that no copy, in the rows or the audit images, can be read again; the review
   history and the audit chain remain ("intel.dispose" audited: the erasure, DPA 2018 s.62).
   Does not change the tasking's version (a closed tasking takes no change). After a disposal
   the store's files are purged (store purge); OUT *purged false when readers kept the log
   from being truncated then (a later checkpoint does it). purged may be NULL. */
iom_err app_intel_review(iom_ctx *c, const char *item_ref, const app_intel_review_input *in,
                         iom_intel_review_t *out, bool *purged);
/* `iom migrate` (after the schema reached 11): seals every item recorded before migration 11
   (all its versions, under a new key of its own), in one write transaction, with one system
   audit entry "intel.seal" naming how many and which (never their content). Their audit
   entries written before keep the images they were written with. Needs the audit key
   (IOM_EINTEGRITY). OUT *sealed: items sealed (0: nothing to do, nothing written). */
iom_err app_intel_seal_legacy(iom_ctx *c, size_t *sealed);
/* `intel reviews ITEM`: the item's reviews, oldest first; for everyone who may read the
   item's tasking's intelligence (the auditor included), disposed items too. A content read
   (the reasons are free text): logged as `intel.consult` of the item with the justification
   (or NULL) when there is any review. OUT *tasking_ref: the item's tasking (arena). */
iom_err app_intel_reviews(iom_ctx *c, const char *item_ref, const char *justification,
                          iom_intel_review_t **out, size_t *n, const char **tasking_ref);

/* ---- tactical options ------------------------------------------------------------------ */

typedef struct app_option_input {
    const char *strand;  /* pursue | prevent | protect | prepare (required) */
    const char *text;    /* description (required) */
    const char *agency;  /* code of the agency that would act (required, enabled) */
    const char *marking; /* default: the tasking's; never below it (review 102 M2) */
} app_option_input;

/* `option add REF`: status `proposed`. */
iom_err app_option_add(iom_ctx *c, const char *tasking_ref, const app_option_input *in,
                       int64_t if_version, iom_option_t *out);
/* `option set OPT --status S [--version N]`: products_option_status_check decides the move.
   option_version (0: not given) is the option's version as the caller read it: IOM_ECONFLICT
   when it has changed since; required (IOM_EINVAL) once the tasking has ended, when the
   tasking's version (if_version) no longer moves and two decisions could otherwise overwrite
   each other unseen (review 88 M2). */
iom_err app_option_set(iom_ctx *c, const char *option_ref, const char *status, int64_t if_version,
                       int64_t option_version, iom_option_t *out);
/* `option list REF`: one page, filtered by status and strand; *tasking_version as above. */
iom_err app_option_list(iom_ctx *c, const char *tasking_ref, const app_work_query *q,
                        iom_option_t **out, size_t *n, const char **next, int64_t *tasking_version);

/* `option agency`: the options naming the actor's agency, across taskings, whatever its sight
   of them (access_option_agency: a spoc or sio of that agency with clearance for the tasking's
   marking; others IOM_EFORBIDDEN), one page filtered by status and strand, each with may_set.
   The page shown is logged (purpose "option_agency"), all or none: `option.read` of each
   option ({"ref", "version", "tasking"}) and `tasking.read` of each option's tasking naming its
   options shown (review 102 L4). */
iom_err app_option_list_agency(iom_ctx *c, const app_work_query *q, iom_option_t **out, size_t *n,
                               const char **next);

/* ---- products -------------------------------------------------------------------------- */

typedef struct app_product_input {
    const char *type;      /* a NIM product type of domain.md §6 (required) */
    const char *path;      /* file to read (required; readable, at most APP_PRODUCT_MAX_BYTES) */
    const char *replaces;  /* PRD-... of the same tasking: add its next version; else a new
                              product, version 1. type, when given, must be the product's. */
    const char *marking;   /* default: the tasking's; never below it */
    /* The document as bytes instead of a file (the HTTP upload): when data is not NULL, path
       is not read; filename (required then) names it. data is borrowed. */
    const unsigned char *data;
    size_t size;           /* 1..APP_PRODUCT_MAX_BYTES */
    const char *filename;
} app_product_input;

/* `product add REF --type T --file F [--replaces PRD]`, or an upload (data, size, filename). */
iom_err app_product_add(iom_ctx *c, const char *tasking_ref, const app_product_input *in,
                        int64_t if_version, iom_product_t *out);
/* Whether the actor may add a product to the tasking now (role, team, state; no version
   check): what app_product_add decides before it reads the document, so that an upload can be
   refused before its body is received (http/server.c). IOM_OK, or its refusal in c->err. */
iom_err app_product_may_add(iom_ctx *c, const char *tasking_ref);
/* `product deliver PROD [--version N]` (0 = latest): marks that version delivered. */
iom_err app_product_deliver(iom_ctx *c, const char *product_ref, int64_t version,
                            int64_t if_version, iom_product_t *out);
/* `product get PROD [--version N]`: the version with its content, SHA-256 verified
   (IOM_EINTEGRITY when the stored document does not match its checksum). */
iom_err app_product_get(iom_ctx *c, const char *product_ref, int64_t version,
                        const char *justification, iom_product_t *out);
/* `product list REF`: every version of every product (no content); one page, filtered by
   type; *tasking_version as above. */
iom_err app_product_list(iom_ctx *c, const char *tasking_ref, const app_work_query *q,
                         iom_product_t **out, size_t *n, const char **next,
                         int64_t *tasking_version);

/* Narrows v (n items of `size` bytes, keys[i] the key of item i) to the page of q, moving the
   page to the front: OUT *n the page's length, *next the cursor. */
iom_err work_page(iom_ctx *c, const app_work_query *q, void *v, size_t size, const char **keys,
                  size_t *n, const char **next);

/* ---- JSON (docs/work.md describes each object) ------------------------------------------ */

json_t *json_of_contribution(const iom_contribution_t *c);
/* {"source","assessment","handling","conditions","display"} */
json_t *json_of_grade(const iom_grade *g);
json_t *json_of_intel(const iom_intel_t *it);
/* {"id","item","decision","reason","due_date","next_date","by","at"} */
json_t *json_of_intel_review(const iom_intel_review_t *r);
json_t *json_of_option(const iom_option_t *o);
/* The same with "may_set" (the list's reader may set its status now: app_option_list). */
json_t *json_of_option_listed(const iom_option_t *o);
json_t *json_of_product(const iom_product_t *p);

/* ---- helpers shared by the work use-cases (src/app/work*.c, intel.c, product.c) --------- */

/* The MoPI review date for a change made at time `now`: the same calendar day (in the UK) `years` later
   (29 February gives 28 February); `years` is the intel.review_years setting
   (app_settings_review_date). out: "YYYY-MM-DD". */
void work_review_date(int64_t now, int years, char out[11]);
/* The date of `now` in the UK (Europe/London), "YYYY-MM-DD". */
void work_today(int64_t now, char out[11]);
/* IOM_EINVAL when `field` (a valid date) is after today. */
iom_err work_not_future(iom_ctx *c, const char *field, const char *date);
/* Checks the marking the caller asks for (NULL: the tasking's) against tasking t's marking
   (IOM_EINVAL below it), the actor's clearance (IOM_EFORBIDDEN above it) and the clearance of
   the threat's SIO (IOM_EINVAL above it: the SIO who holds the risk agrees the terms and signs
   the reassessment that rest on what the tasking holds; review 92 M1). */
iom_err work_marking(iom_ctx *c, const char *field, const char *given, const iom_tasking_t *t,
                     iom_marking *out);
/* Logs a read of content (domain.md §10) in the read chain after the read's transaction has
   ended (app/readlog.h app_read_log): {"read": what, "justification", "purpose"}; the purpose
   is the stated ctx->purpose or else `relation` (access_read_purpose of the decision that
   granted the read; for a read across taskings, the relations joined by ","). Consumes what.
   IOM_EBUSY / IOM_EUNAVAILABLE when it cannot be logged: the caller shows nothing. */
iom_err work_log_read(iom_ctx *c, const char *action, const char *object_ref, json_t *what,
                      const char *justification, const char *relation);
/* Logs a read of a part of a tasking's record outside `tasking show` (its ToR versions,
   contributions, tactical options, datasets): action `tasking.read` on the tasking's reference,
   `what` as work_log_read's (a ReadRef: {"ref", "view", "version"}, or an array of {"ref"} of the
   items shown; an empty array logs nothing: nothing was shown), the purpose the stated one or
   the relation in `access`. Nothing is logged for a reader with neither (apmis: it reads no
   content). Call it after the read's transaction has ended (app_end). Consumes what. */
iom_err work_log_tasking_part(iom_ctx *c, const char *tasking_ref, const struct access_decision *access,
                              json_t *what);
/* Inside a write transaction: enters the tasking of a work item for `action` (see
   app_tasking_enter); a tasking the actor may not see makes the item read as not found
   ("<what>: '<item_ref>' not found"). */
iom_err work_enter(iom_ctx *c, const char *what, const char *item_ref, const char *tasking_ref,
                   iom_tasking_action action, int64_t if_version, app_tasking_scope *sc);
/* Inside a transaction: may the actor read `part` of the item's tasking and the item's own
   marking? Otherwise IOM_ENOTFOUND for the item, as for a missing one. */
iom_err work_read(iom_ctx *c, const char *what, const char *item_ref, const char *tasking_ref,
                  iom_access_part part, iom_marking marking, app_tasking_scope *sc);
/* Inside a write transaction, for a MoPI review (app_intel_review, app_dataset_review) of a
   record of tasking_ref with this marking: the tasking as work_read gives it (need-to-know of
   its intelligence). Someone cleared for the marking who sees only the tasking's outcome (the
   APMIS recorder) gets the scope too, so that the rule of who reviews refuses them (403), as
   for any other change of the tasking's work, rather than "not found". */
iom_err work_review_scope(iom_ctx *c, const char *what, const char *ref, const char *tasking_ref,
                          iom_marking marking, app_tasking_scope *sc);
/* The facts of a review (domain/mopi.h) that do not depend on the record: the actor's roles
   and relations to the tasking, whether it ended, the reason and next date given, today and
   the latest next date (today + intel.review_years), whose text lives in today and latest. */
iom_err work_review_facts(iom_ctx *c, const app_tasking_scope *sc, const app_intel_review_input *in,
                          char today[11], char latest[11], mopi_facts *f);
/* Compact JSON text of j in the arena; consumes j. */
char *work_json_text(iom_ctx *c, json_t *j);

#endif
