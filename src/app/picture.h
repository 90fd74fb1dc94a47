/*
 * picture.h: use-cases of a tasking's intelligence picture (issue 16; docs/picture.md):
 * datasets imported into a tasking and resolved with the conflation engine into entities and
 * links, each with its sources; the review queue of near matches and the analysts' decisions;
 * entities and links recorded by hand from intelligence items.
 *
 * Contract (as app.h and work.h): results live in ctx->arena; on failure the iom_err is
 * returned, ctx->err names the field, the value and the rule, and nothing was written.
 *
 * Who may: reading needs the need-to-know of the tasking's intelligence (domain/access.h);
 * a source whose marking is above the reader's clearance is hidden, and so is every entity
 * and link that only such sources support (it reads as not found). Writing (import, remove,
 * add, update, link, unlink, merge, split, decide) is for the TOEX staff assigned to the
 * tasking while it is in_development, and its SIA also in tor_agreed and reassessment
 * (picture_may_write); each write runs in ONE transaction with one audit entry; a write that
 * changes the records re-resolves the tasking's picture in the same transaction.
 *
 * Reads of content (entity list/show, review list/show) are logged in the read chain as
 * "intel.consult" with the justification and purpose (app/readlog.h), after their read
 * transaction; they need the audit key like a change.
 */
#ifndef IOM_APP_PICTURE_H
#define IOM_APP_PICTURE_H

#include <jansson.h>

#include "app/app.h"
#include "app/page.h"
#include "app/work.h"
#include "domain/picture.h"
#include "store/picture_store.h"

/* Largest dataset file accepted (IOM_ETOOBIG above, naming the file). */
#define APP_DATASET_MAX_BYTES (64u << 20)
/* The HTTP body of an import (POST .../datasets, .../dataset-jobs): the CSV as a JSON string,
   its quotes and line ends escaped (the web UI's import sends the file so), and the rest. */
#define APP_DATASET_BODY_MAX ((size_t)APP_DATASET_MAX_BYTES / 2 * 3)
/* At most this many `--field ROLE=COLUMN` mappings. */
#define APP_DATASET_MAX_FIELDS PIC_ROLE_COUNT
/* Resolution thresholds by default: pairs at or above LINK join one entity; pairs from
   REVIEW up to LINK go to the review queue. */
#define APP_PICTURE_LINK_DEFAULT 0.9
#define APP_PICTURE_REVIEW_DEFAULT 0.3
/* The version of the conflation engine a picture is resolved with. Raise it with a change to
   the engine that would resolve a tasking's records otherwise (placeholder values, weights,
   rules): a picture last resolved in full by an older version is resolved in full again at its
   next resolution (an import is then not incremental) or by app_dataset_resolve.
   1: before 2026-12-05; 2: placeholder identifiers ("UNKNOWN", "NK", "TBC", filler e-mail
   addresses) make no entity; 3: first and middle names compared crosswise (a person known by
   a middle name), a note after a name ("(aka X)") left out, a name of one word read as the
   first name or surname the other inputs hold it as, a PNC id or NI number agreed
   exactly decides a pair (an alias), and a key cut at its limit ends on a whole character;
   4: the given name a person is called by found from the other records (Vietnamese "NGUYEN
   VAN KHANH" is Khanh), look-alikes' middle names at the rates measured among namesakes,
   a year known alone against a whole date of a neighbouring year a level of its own, and the
   words of a whole name split by a guess compared in any order. */
#define APP_PICTURE_ENGINE 4
/* Review pairs kept per tasking at most (the most probable). */
#define APP_PICTURE_REVIEW_MAX 10000

typedef void (*app_progress_fn)(void *ud, const char *phase, uint64_t done, uint64_t total);

typedef struct app_dataset_input {
    const char *tasking;        /* TOEX-... (required) */
    const char *name;           /* unique in the tasking (required; 1-200 bytes, one line) */
    const char *level;          /* national | regional | local (required) */
    const char *grade;          /* 3x5x2 "2B" (required) */
    const char *handling;       /* P | C (required unless in grade) */
    const char *conditions;     /* required for C */
    const char *marking;        /* default: the tasking's; never below it */
    const char *fields[APP_DATASET_MAX_FIELDS]; /* "ROLE=COLUMN" (at least a name role) */
    size_t nfields;
    const char *path;           /* the CSV file to read, or: */
    const char *data;           /* the CSV text itself (API), size bytes, borrowed */
    const char *filename;       /* with data: the file's name, kept as provenance (a name, no
                                   '/'; 1-255 bytes); with path: its last part is */
    size_t size;
    bool replace;               /* replace the dataset with the same checksum or name */
    double link_threshold;      /* 0: the tasking's (the default the first time) */
    double review_threshold;    /* 0: likewise */
    app_progress_fn progress;   /* may be NULL */
    void *progress_ud;
} app_dataset_input;

/* What a resolution (or a removal) did. */
typedef struct app_resolution {
    int64_t records;            /* records of the tasking resolved */
    int64_t entities, links;    /* in the picture afterwards */
    int64_t created_entities;   /* new entities made by this run */
    int64_t removed_entities, removed_links; /* left without sources and deleted */
    int64_t review_pairs;       /* in the queue afterwards */
    int64_t unusable;           /* identifier values that could not be normalised (skipped) */
    int64_t decisions;          /* analysts' decisions applied */
    double link_threshold, review_threshold;
    bool incremental;           /* the import's records resolved against the picture as it was
                                   (app/picture_int.h pic_resolve), not the whole tasking again */
    bool withheld;              /* the counts are not the caller's to see: they are the whole
                                   tasking's, and the caller is not cleared for every marking
                                   (json_of_resolution writes them null) */
} app_resolution;

typedef struct app_import_result {
    iom_dataset_t dataset;
    const char *replaced;       /* DS-... replaced, or NULL */
    app_resolution res;
} app_import_result;

/* `dataset import`: reads, checks and stores the file's records with their provenance, then
   resolves the tasking. Refused (nothing stored): a malformed CSV (the line and why), a
   column named by a mapping that the header lacks, an unknown role, a role given twice, no
   name role, a file over APP_DATASET_MAX_BYTES (IOM_ETOOBIG), an empty file, duplicate
   record ids, a file whose checksum or a name that a dataset of the tasking already has
   (IOM_ECONFLICT unless replace). */
iom_err app_dataset_import(iom_ctx *c, const app_dataset_input *in, int64_t if_version,
                           app_import_result *out);
/* Would the actor be let import into the tasking now (its need-to-know, the picture's write
   rule)? The check of app_dataset_import, without the file, before a background import
   starts (app/job.h). Writes nothing. */
iom_err app_dataset_may_import(iom_ctx *c, const char *tasking);
/* May the actor read the tasking's picture (need-to-know of its intelligence)? */
iom_err app_dataset_may_read(iom_ctx *c, const char *tasking);
/* `dataset list REF`: the tasking's datasets the actor is cleared for. */
iom_err app_dataset_list(iom_ctx *c, const char *tasking, const app_page *p,
                         iom_dataset_t **out, size_t *n, const char **next);
/* `dataset show DS`. */
iom_err app_dataset_show(iom_ctx *c, const char *ref, iom_dataset_t *out);
/* Whether dataset `ref` exists and the actor may read it (clearance and need-to-know), without
   logging a read: false also on a failure of the store. */
bool app_dataset_visible(iom_ctx *c, const char *ref);
/* `dataset remove DS --reason`: deletes its records and every entity and link that only they
   supported, re-resolves the rest. */
iom_err app_dataset_remove(iom_ctx *c, const char *ref, const char *reason, int64_t if_version,
                           app_import_result *out);
/* `dataset resolve TASKING --reason`: resolves the tasking's picture again in full, from all
   its records and the analysts' decisions, with the tasking's thresholds and this binary's
   engine (APP_PICTURE_ENGINE): after an upgrade of the engine, what an older one made (an
   entity of a placeholder value, a pair it linked) is made again. Who may: as `dataset
   import` (the assigned team while in_development; the SIA also in tor_agreed and
   reassessment). OUT engine_before: the version that had resolved it (1: before migration 19).
   Audited as picture.resolve. */
iom_err app_dataset_resolve(iom_ctx *c, const char *tasking_ref, const char *reason, int64_t if_version,
                            app_resolution *out, int *engine_before);

/* ---- MoPI review of datasets (issue 16 point 7; app/picture_mopi.c) --------------------- */

/* `dataset review DS --retain --next DATE --reason T` | `--dispose --reason T`: the rules of
   an intelligence item's review (domain/mopi.h: who, reason, next date; in any state of the
   tasking, closed included). Retain sets the dataset's review date, and its entities' and
   links' become the latest of their sources' ("dataset.review" audited). Dispose deletes the
   dataset, its records and every entity and link only they supported, re-resolves the rest
   ("dataset.dispose" audited with counts, never content), then purges the store's files
   (*purged false when readers kept the log from being truncated; may be NULL). OUT *out the
   review (strings in the arena), *res the re-resolution (dispose). IOM_ENOTFOUND for anyone
   without sight of the dataset, IOM_EFORBIDDEN naming the rule, IOM_EINVAL for a bad
   decision, reason or date, IOM_ECONFLICT for a dataset disposed already. */
iom_err app_dataset_review(iom_ctx *c, const char *ref, const app_intel_review_input *in,
                           iom_intel_review_t *out, app_resolution *res, bool *purged);
/* `dataset reviews DS`: its reviews, oldest first, also after its disposal. OUT *tasking_ref
   its tasking (arena). Need-to-know of the tasking's intelligence (IOM_ENOTFOUND). */
iom_err app_dataset_reviews(iom_ctx *c, const char *ref, iom_intel_review_t **out, size_t *n,
                            const char **tasking_ref);
/* `dataset due-review [--days N] [--kind dataset|entity]`: datasets and entities whose review
   date is past or within N days, of taskings the actor's agency requested or owns or that
   the actor works on (an auditor: all), each checked against need-to-know and clearance; by
   owning agency, date, kind, reference. Entities are listed without content (type and
   sources count): they are reviewed with their sources. Not a content read. */
iom_err app_picture_due(iom_ctx *c, int days, const char *kind, const app_page *p, iom_pdue_t **out,
                        size_t *n, const char **next);
/* {kind, ref, tasking, owner, review_date, marking, type, name+records | sources} */
json_t *json_of_pdue(const iom_pdue_t *d);

/* An entity or a link as the reader may see it: only the sources it is cleared for, and the
   grade, marking, handling and dates worked out from them. */
typedef struct app_link_view {
    iom_plink_t l;
    iom_grade grade;            /* conditions in the arena */
    iom_marking marking;
    const char *first_seen, *last_seen;
    iom_psource_t *sources;
    size_t nsources;
} app_link_view;

typedef struct app_entity_view {
    iom_entity_t e;
    const char *label;          /* what its first visible source calls it */
    iom_grade grade;
    iom_marking marking;
    const char *first_seen, *last_seen;
    iom_psource_t *sources;
    size_t nsources;
    app_link_view *links;       /* show only: the visible links ending at it */
    size_t nlinks;
} app_entity_view;

typedef struct app_entity_query {
    const char *tasking;        /* required */
    const char *type;           /* only this type, or NULL */
    const char *justification;
    app_page page;
} app_entity_query;

iom_err app_entity_list(iom_ctx *c, const app_entity_query *q, app_entity_view **out,
                        size_t *n, const char **next);
iom_err app_entity_show(iom_ctx *c, const char *ref, const char *justification,
                        app_entity_view *out);

/* `link list REF [--type T]`: the tasking's links the actor may see (both ends visible and
   at least one source the actor is cleared for), with their visible sources, grade and
   marking, in reference order and paged; the read is logged like the entity list's. */
typedef struct app_link_query {
    const char *tasking;        /* required */
    const char *type;           /* only this link type, or NULL */
    const char *justification;
    app_page page;
} app_link_query;

iom_err app_link_list(iom_ctx *c, const app_link_query *q, app_link_view **out, size_t *n,
                      const char **next);

typedef struct app_entity_input {
    const char *tasking;        /* add: required */
    const char *type;           /* add: required */
    const char *label;          /* add: required; update: a new label */
    const char *item;           /* add: the intelligence item (INT-...) that supports it */
    const char *confidence;     /* decimal 0..1; add default 1 */
    int64_t if_version;         /* the tasking's version read (0: not checked; stale: 409) */
} app_entity_input;

/* `entity add --tasking REF --type T --label TEXT --item INT`: an entity an intelligence item
   of the same tasking supports (the actor must be cleared for the item). */
iom_err app_entity_add(iom_ctx *c, const app_entity_input *in, app_entity_view *out);
/* `entity update ENT [--label] [--confidence]`. */
iom_err app_entity_update(iom_ctx *c, const char *ref, const app_entity_input *in,
                          app_entity_view *out);
/* `entity link A B --type T --item INT [--confidence]`: a link the item supports (another
   item on an existing link adds a source; the item that supports it already is refused,
   IOM_ECONFLICT naming the link). Symmetric types are stored one way only. */
iom_err app_entity_link(iom_ctx *c, const char *a, const char *b, const char *type,
                        const char *item, const char *confidence, int64_t if_version,
                        app_link_view *out);
/* `entity unlink LNK --reason`: deletes a link that only intelligence items support (one a
   dataset supports comes back with it: remove the dataset or split the entity instead). */
iom_err app_entity_unlink(iom_ctx *c, const char *ref, const char *reason, int64_t if_version);
/* `entity merge A B --reason`: B becomes A (its sources and links move); persons' records
   are kept together on every later resolution (decisions "same"). */
iom_err app_entity_merge(iom_ctx *c, const char *a, const char *b, const char *reason,
                         int64_t if_version, app_entity_view *out);
/* `entity split ENT --record REC --reason`: the record leaves the entity (decisions
   "different" with each of its other records); re-resolves. OUT: the entity now. */
iom_err app_entity_split(iom_ctx *c, const char *ref, const char *record, const char *reason,
                         int64_t if_version, app_entity_view *out);

/* The changes above take the tasking's version read (if_version, 0: not checked), as every
   change to a tasking's work does: stale is IOM_ECONFLICT. */

/* The review queue. A pair is visible when both its records are. */
iom_err app_review_list(iom_ctx *c, const char *tasking, const char *justification,
                        const app_page *p, iom_review_t **out, size_t *n, const char **next);
iom_err app_review_show(iom_ctx *c, const char *ref, const char *justification, iom_review_t *out);
/* `entity review decide REV same|different --reason`: stored, applied at once and on every
   later resolution. OUT: the resolution. */
iom_err app_review_decide(iom_ctx *c, const char *ref, const char *decision, const char *reason,
                          int64_t if_version, app_resolution *out);

/* ---- export (issue 16 point 5; docs/export.md) ---------------------------------------------- */

#define APP_EXPORT_TEXT_MAX 2000   /* bytes of the recipient and of the purpose */

typedef struct app_export_input {
    const char *tasking;        /* TOEX-... (required) */
    const char *format;         /* anx | graphml | csv | json (required) */
    const char *recipient;      /* who receives it (required; one line) */
    const char *purpose;        /* why (optional; may hold several lines) */
    bool transactions;          /* also each transaction the reader may see as a dated link
                                   between its accounts (review 87 M3: ANB's financial chart
                                   and timeline) */
    bool calls;                 /* and each call or SMS record, between its phones */
    int64_t max_items;          /* > 0: refuse (IOM_ETOOBIG) a picture of more entities and
                                   links together, before anything is read (the server's
                                   memory: the file is made whole in memory) */
} app_export_input;

typedef struct app_export_result {
    int format;                 /* an export_format (export/export.h), or APP_EXPORT_FORMAT_PNG */
    const char *tasking_ref;
    const unsigned char *data;  /* the file's bytes (arena) */
    size_t size;
    char sha256[65];            /* of the bytes, hex */
    const char *filename;       /* "TOEX-...-picture.anx" (arena) */
    const char *media_type;     /* export_format_media_type (static) */
    iom_marking marking;        /* the highest marking of the content */
    bool conditional;           /* some entity or link is graded C */
    const char **conditions;    /* their distinct condition texts (arena) */
    size_t nconditions;
    size_t entities, links;     /* in the export */
} app_export_result;

/* `export FORMAT REF --recipient TEXT [--purpose TEXT]`: the tasking's picture as the actor
   may see it (sources above the actor's clearance and what only they support left out) in
   one format, read in ONE read transaction with the need-to-know of the tasking's
   intelligence (a tasking the actor may not read is IOM_ENOTFOUND). The disclosure is logged
   in the read chain as "picture.export" (DPA 2018 s.62) with the format, recipient, purpose,
   marking, handling and conditions, entity and link counts and the SHA-256 of the bytes
   BEFORE the bytes are returned: the caller writes or sends them only on IOM_OK. Refused
   with IOM_EINVAL: no or an unknown format, no recipient, a recipient or purpose that is not
   UTF-8 text or longer than APP_EXPORT_TEXT_MAX (the recipient on one line). */
iom_err app_picture_export(iom_ctx *c, const app_export_input *in, app_export_result *out);
/* One value of the export's `detail` (`--detail`): "transactions" sets in->transactions,
   "calls" in->calls; anything else is IOM_EINVAL naming the two. */
iom_err app_export_detail(iom_ctx *c, const char *what, app_export_input *in);

/* An image of the picture that the client made (the web UI draws the network and the marking
   into a PNG) and discloses: `in->png` is the PNG's base64 text (a "data:image/png;base64,"
   prefix allowed), at most APP_EXPORT_PNG_MAX bytes decoded, with the PNG signature and an
   IHDR of 1..APP_EXPORT_PNG_SIDE_MAX pixels a side; `in->marking` is the marking drawn into
   it, which may not be below the highest marking of the picture the actor may see (the
   tasking's, its entities' and links'): IOM_EINVAL naming "marking" otherwise. `view` says
   what the image shows ("network", "ego ENT-... k 2", ...; one line, optional). Read in one
   read transaction with the need-to-know of the tasking's intelligence (IOM_ENOTFOUND for a
   tasking the actor may not read); the disclosure is logged as "picture.export" with format
   "png", recipient, purpose, view, marking, handling and conditions, the picture's entity and
   link counts, the image's size and SHA-256. OUT as app_picture_export (format
   APP_EXPORT_FORMAT_PNG, data the decoded bytes, filename "TOEX-...-network.png"). Refused
   with IOM_EINVAL/IOM_ETOOBIG before anything is read or logged: no or bad png, marking or
   recipient, a recipient, purpose or view that is not text of its size. */
#define APP_EXPORT_FORMAT_PNG (-1)
#define APP_EXPORT_PNG_MAX (8u << 20)
#define APP_EXPORT_PNG_SIDE_MAX 16384
/* The HTTP body limit of POST .../export/png: the base64 of an APP_EXPORT_PNG_MAX image and
   64 KiB for the other fields (11,250,348 bytes), above the server's 1 MiB default. */
#define APP_EXPORT_PNG_BODY_MAX ((size_t)(APP_EXPORT_PNG_MAX + 2) / 3 * 4 + (64u << 10))
#define APP_EXPORT_VIEW_MAX 200

typedef struct app_image_input {
    const char *tasking;        /* TOEX-... (required) */
    const char *png;            /* base64 of the PNG bytes (required) */
    const char *marking;        /* drawn into the image (required) */
    const char *recipient;      /* required; one line */
    const char *purpose;        /* optional */
    const char *view;           /* optional; one line */
} app_image_input;

iom_err app_picture_image(iom_ctx *c, const app_image_input *in, app_export_result *out);
json_t *json_of_export(const app_export_result *r);

/* ---- JSON (docs/api.md: Dataset, Entity, Link, ReviewPair, Resolution) ------------------ */
json_t *json_of_dataset(const iom_dataset_t *d);
json_t *json_of_import(const app_import_result *r);
/* The counts are null, with "withheld": true, when r->withheld. */
json_t *json_of_resolution(const app_resolution *r);
json_t *json_of_entity_view(const app_entity_view *v);
json_t *json_of_link_view(const app_link_view *v);
json_t *json_of_review(const iom_review_t *r);

#endif
