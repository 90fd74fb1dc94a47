/*
 * work_store.h: the store's work area (store->ops->work): contributions, intelligence items
 * with their PND status and versions, tactical options and products. Same contract as
 * store.h: results in the caller's arena, IOM_ENOTFOUND / IOM_ECONFLICT / IOM_EINVAL /
 * IOM_ESTORE with the detail in *e; every call inside a transaction opened by begin().
 */
#ifndef IOM_STORE_WORK_STORE_H
#define IOM_STORE_WORK_STORE_H

#include "domain/grade.h"
#include "domain/products.h"
#include "store/store.h"
#include "store/tasking_store.h"

/* One work-log entry (domain.md §1 step 6). */
typedef struct iom_contribution_t {
    int64_t id;
    char *ref;                /* "CON-000001", derived from the row: set by insert and reads */
    int64_t tasking_id;
    int64_t user_id;
    char *work_date;          /* YYYY-MM-DD */
    int minutes;              /* 1..1440 */
    char *text;
    int64_t created_at;
    /* joined, read-only: */
    char *tasking_ref;
    char *user;
} iom_contribution_t;

/* One version of an intelligence item (domain.md §4, §10). */
typedef struct iom_intel_t {
    int64_t id;               /* of this version's row */
    char *ref;                /* "INT-000001", shared by every version; set by insert */
    int64_t version;          /* 1, 2, ...; set by insert */
    bool is_current;
    int64_t tasking_id;
    char *text;
    char *source;
    iom_grade grade;          /* conditions: arena string (reads) or borrowed (insert) */
    char *legacy_grade;       /* original 5x5x5 code ("B24") or NULL */
    iom_marking marking;
    iom_pnd_status pnd;
    char *pnd_ref;
    char *pnd_date;
    char *pnd_reason;
    char *review_date;        /* MoPI review date YYYY-MM-DD */
    char *correction_reason;  /* NULL for version 1 */
    int64_t created_by;
    int64_t created_at;
    /* joined, read-only: */
    char *tasking_ref;
    char *creator;
    /* the grade.legacy_map setting's version the grade was mapped with (domain/settings.h);
       0 for a grade entered in 3x5x2. Stored by insert beside the item. */
    int64_t grade_map_version;
    /* joined, read-only (migration 11, app/seal.h): */
    unsigned char *key_wrapped; /* the item's key, wrapped (SEAL_WRAPPED_BYTES), or NULL: an
                                   item recorded before migration 11 and not changed since
                                   (its fields are plain), or a disposed one */
    size_t key_len;
    int64_t disposed_at;      /* 0, or when the item was disposed (its fields are erased) */
    char *owner;              /* code of the agency that owns the tasking's threat */
    /* not stored: in a tasking's list, whether the reader may set the item's PND status now
       (0 not worked out, 1 no, 2 yes: `may_set_pnd`; also once the tasking has ended) */
    int may_pnd;
} iom_intel_t;

/* One MoPI review of an intelligence item (issue 12 point 6). */
typedef struct iom_intel_review_t {
    int64_t id;
    char *ref;                /* the item */
    bool dispose;             /* false: retain */
    char *reason;
    char *due_date;           /* the review date the item had (YYYY-MM-DD) */
    char *next_date;          /* retain: the new review date; NULL for dispose */
    int64_t user_id;
    int64_t at;
    /* joined, read-only: */
    char *user;
    char *tasking_ref;        /* set by app_intel_review only */
    /* set by the use-cases (app_intel_review(s), app_dataset_review(s)), not the store: the
       item's or dataset's marking, which the review (its reason is about it) carries; -1 when
       no longer known (a disposed dataset: its tasking's marking then) */
    int marking;
} iom_intel_review_t;

/* Which items intel_due_review returns. */
typedef struct iom_intel_due_filter {
    bool all;                 /* every tasking (auditor) */
    bool reached_toex;        /* every tasking that has reached TOEX (toex_manager) */
    int64_t agency_id;        /* taskings this agency requested or owns; 0 = none */
    int64_t user_id;          /* taskings this user is on the team of, the SIA of or the SIO of
                                 the threat of; 0 = none */
    const char *due_by;       /* review_date <= due_by (YYYY-MM-DD) */
    iom_marking max_marking;  /* items at or below this marking */
    size_t limit;             /* 0 = no limit */
} iom_intel_due_filter;

/* A tactical option (domain.md §8). */
typedef struct iom_option_t {
    int64_t id;
    char *ref;                /* "OPT-000001", set by insert */
    int64_t tasking_id;
    iom_strand strand;
    char *text;
    int64_t agency_id;        /* the agency that would act */
    iom_option_status status;
    int64_t version;          /* starts at 1; +1 on every status change */
    int64_t created_by;
    int64_t created_at;
    int64_t updated_at;
    /* joined, read-only: */
    char *tasking_ref;
    char *agency;             /* code */
    char *creator;
    iom_marking marking;      /* the option's own: at least its tasking's (an option added
                                 before migration 21 has its tasking's); insert stores it */
    iom_tasking_state tasking_state; /* the tasking's state and marking (the agency's view:
                                        app_option_list_agency) */
    iom_marking tasking_marking;
    /* not stored: app_option_list sets it for its reader */
    bool may_set;             /* the reader may set its status now (review 84 M6: the option's
                                 agency and the threat's SIO, after closure too) */
} iom_option_t;

/* One version of a product document (domain.md §6). */
typedef struct iom_product_t {
    int64_t id;               /* of this version's row */
    char *ref;                /* "PRD-000001", shared by every version; set by insert */
    int64_t version;          /* set by insert */
    int64_t tasking_id;
    iom_product_type type;
    char *filename;           /* base name of the file as added */
    const unsigned char *content; /* only when read with content (and on insert); else NULL */
    int64_t size;             /* bytes */
    char sha256[65];          /* lower-case hex of the content */
    iom_marking marking;
    int64_t created_by;
    int64_t created_at;
    int64_t delivered_at;     /* 0 when not delivered */
    int64_t delivered_by;
    /* joined, read-only: */
    char *tasking_ref;
    char *creator;
    char *deliverer;
} iom_product_t;

struct iom_store_work_ops {
    int version;
    /* OUT: intelligence items of the tasking whose current version is `pending` on PND. */
    iom_err (*intel_pending_count)(iom_store *s, int64_t tasking_id, int64_t *out, iom_error *e);
    /* OUT: the products of `type` on the tasking with a delivered version (distinct products,
       not versions: a product delivered twice is one delivery of the ToR's). */
    iom_err (*products_delivered)(iom_store *s, int64_t tasking_id, const char *type,
                                  int64_t *out, iom_error *e);
    /* New slots are appended below this line. */

    /* Inserts set the new row's ref as a copy in arena `a`.

       Contributions. insert sets id and ref; list returns the tasking's entries by date. */
    iom_err (*contribution_insert)(iom_store *s, iom_contribution_t *in_out, iom_arena *a,
                                   iom_error *e);
    iom_err (*contribution_list)(iom_store *s, int64_t tasking_id, iom_arena *a,
                                 iom_contribution_t **out, size_t *n, iom_error *e);

    /* Intelligence. intel_insert with in_out->ref NULL adds a new item (ref assigned, version
       1); with a ref, adds the next version of that item and makes it the current one (the
       previous versions are kept). Sets id, ref, version, is_current. */
    iom_err (*intel_insert)(iom_store *s, iom_intel_t *in_out, iom_arena *a, iom_error *e);
    /* version 0 = the current version. IOM_ENOTFOUND for an unknown ref or version. */
    iom_err (*intel_get)(iom_store *s, const char *ref, int64_t version, iom_arena *a,
                         iom_intel_t *out, iom_error *e);
    /* Current versions of the tasking's items, by ref. */
    iom_err (*intel_list)(iom_store *s, int64_t tasking_id, iom_arena *a, iom_intel_t **out,
                          size_t *n, iom_error *e);
    /* Every version of one item, oldest first. */
    iom_err (*intel_history)(iom_store *s, const char *ref, iom_arena *a, iom_intel_t **out,
                             size_t *n, iom_error *e);
    /* Sets pnd, pnd_ref, pnd_date, pnd_reason and review_date of the version row it->id. */
    iom_err (*intel_set_pnd)(iom_store *s, const iom_intel_t *it, iom_error *e);
    /* Current versions due for MoPI review (review_date <= f->due_by), soonest first. */
    iom_err (*intel_due_review)(iom_store *s, const iom_intel_due_filter *f, iom_arena *a,
                                iom_intel_t **out, size_t *n, iom_error *e);

    /* Tactical options. insert sets id, ref, version. */
    iom_err (*option_insert)(iom_store *s, iom_option_t *in_out, iom_arena *a, iom_error *e);
    iom_err (*option_get)(iom_store *s, const char *ref, iom_arena *a, iom_option_t *out,
                          iom_error *e);
    iom_err (*option_list)(iom_store *s, int64_t tasking_id, iom_arena *a, iom_option_t **out,
                           size_t *n, iom_error *e);
    /* The options naming agency_id (any tasking), oldest first. Need-to-know is the
       caller's (access_option_agency). */
    iom_err (*option_list_agency)(iom_store *s, int64_t agency_id, iom_arena *a,
                                  iom_option_t **out, size_t *n, iom_error *e);
    /* Sets status and updated_at where version == expected; o->version += 1. IOM_ECONFLICT
       when stale. */
    iom_err (*option_update)(iom_store *s, iom_option_t *o, int64_t expected_version,
                             iom_error *e);

    /* Products. product_insert with in_out->ref NULL adds a new product (ref assigned,
       version 1); with a ref, adds its next version. content and size are written; sha256 must
       be set by the caller. Sets id, ref, version. */
    iom_err (*product_insert)(iom_store *s, iom_product_t *in_out, iom_arena *a, iom_error *e);
    /* version 0 = the latest. with_content: also read the document into the arena. */
    iom_err (*product_get)(iom_store *s, const char *ref, int64_t version, bool with_content,
                           iom_arena *a, iom_product_t *out, iom_error *e);
    /* Every version of every product of the tasking (without content), by ref and version. */
    iom_err (*product_list)(iom_store *s, int64_t tasking_id, iom_arena *a, iom_product_t **out,
                            size_t *n, iom_error *e);
    /* Marks version row `id` delivered; IOM_ECONFLICT when it already is. */
    iom_err (*product_deliver)(iom_store *s, int64_t id, int64_t at, int64_t by, iom_error *e);

    /* MoPI review and disposal (migration 11; app/seal.h). The item reads above join the
       wrapped key (key_wrapped), the disposal time and the threat's owner.
       intel_key_put stores an item's wrapped key (IOM_ECONFLICT when it has one). */
    iom_err (*intel_key_put)(iom_store *s, const char *ref, const unsigned char *wrapped,
                             size_t len, iom_error *e);
    /* Rewrites the text fields (text, source, grade.conditions, pnd_reason,
       correction_reason) of version row it->id: sealing an item recorded before migration 11. */
    iom_err (*intel_reseal)(iom_store *s, const iom_intel_t *it, iom_error *e);
    /* Sets the review date of the current version row `id`. */
    iom_err (*intel_set_review_date)(iom_store *s, int64_t id, const char *date, iom_error *e);
    /* Appends a review; sets in_out->id. IOM_ECONFLICT for a second disposal. */
    iom_err (*intel_review_insert)(iom_store *s, iom_intel_review_t *in_out, iom_error *e);
    /* The reviews of an item, oldest first (none: *n = 0). */
    iom_err (*intel_reviews)(iom_store *s, const char *ref, iom_arena *a,
                             iom_intel_review_t **out, size_t *n, iom_error *e);
    /* Erases an item: every version's text fields are overwritten (placeholders where the
       schema needs a value) and its key is deleted, the freed bytes overwritten. */
    iom_err (*intel_erase)(iom_store *s, const char *ref, iom_error *e);
    /* References of the items with no key that were not disposed of: recorded before
       migration 11 and not changed since (their fields are plain), by reference. */
    iom_err (*intel_unsealed)(iom_store *s, iom_arena *a, char ***refs, size_t *n, iom_error *e);
    /* Outside any transaction, after an erasure committed: makes the erased bytes
       unrecoverable from the store's files too (SQLite: a checkpoint that truncates the
       write-ahead log, which still holds the pages as they were). IOM_EBUSY when readers kept
       the log from being truncated (it is truncated by a later checkpoint). */
    iom_err (*purge)(iom_store *s, iom_error *e);
    /* The minutes of work user_id recorded for work_date (YYYY-MM-DD) on every tasking. */
    iom_err (*contribution_minutes)(iom_store *s, int64_t user_id, const char *work_date,
                                    int64_t *out, iom_error *e);
};

#endif
