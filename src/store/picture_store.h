/*
 * picture_store.h: the store's picture area (store->ops->picture; issue 16, docs/picture.md):
 * datasets and their records, entities and links with their sources, the review queue of
 * near matches, the analysts' decisions and the tasking's resolution settings. Same contract
 * as store.h: results in the caller's arena, IOM_ENOTFOUND / IOM_ECONFLICT / IOM_EINVAL /
 * IOM_ESTORE with the detail in *e; every call inside a transaction opened by begin().
 * References are derived from row ids: DS-000001, REC-000001, ENT-000001, LNK-000001,
 * REV-000001.
 */
#ifndef IOM_STORE_PICTURE_STORE_H
#define IOM_STORE_PICTURE_STORE_H

#include "domain/grade.h"
#include "store/store.h"
#include "store/work_store.h"

typedef struct iom_dataset_t {
    int64_t id;
    char *ref;               /* DS-000001 (set by insert and reads) */
    int64_t tasking_id;
    char *name;
    char *level;             /* national | regional | local */
    iom_grade grade;         /* conditions: arena string (reads) or borrowed (insert) */
    iom_marking marking;
    char *filename;          /* base name as imported, or NULL */
    char sha256[65];
    char *roles_json;        /* {"role": "column", ...} */
    char *settings_json;     /* the resolution run's settings and counts */
    int64_t records;
    int64_t imported_by;
    int64_t imported_at;
    char *review_date;       /* MoPI, YYYY-MM-DD */
    /* joined, read-only: */
    char *tasking_ref;
    char *importer;
} iom_dataset_t;

/* One record with what resolution needs of its dataset. */
typedef struct iom_precord_t {
    int64_t id;
    char *ref;               /* REC-000001 */
    int64_t dataset_id;
    int64_t rownum;
    char *rkey;
    char *fields_json;       /* {"role": "value", ...} */
    /* joined, read-only: */
    char *dataset_ref;
    char *dataset_name;
    iom_marking marking;
    int64_t imported_at;
    int64_t person_id;       /* record_list only: the person entity it supports, 0 when none, */
    double person_confidence;/* and that person's confidence */
} iom_precord_t;

typedef struct iom_entity_t {
    int64_t id;
    char *ref;               /* ENT-000001 */
    int64_t tasking_id;
    char *type;              /* a word of domain/picture.h */
    char *key;               /* normalised identifier, or NULL */
    char *label;
    double confidence;
    char *review_date;
    int64_t created_at, updated_at;
    char *tasking_ref;       /* joined */
} iom_entity_t;

typedef struct iom_plink_t {
    int64_t id;
    char *ref;               /* LNK-000001 */
    int64_t tasking_id;
    char *type;
    int64_t from_id, to_id;
    bool directed;
    double confidence;
    char *review_date;
    int64_t created_at, updated_at;
    /* joined, read-only: */
    char *from_ref, *to_ref;
    char *tasking_ref;
} iom_plink_t;

/* A source of an entity or a link: a dataset record, an intelligence item or an import of
   transactions or call records (analysis_store.h), with the grade and marking it carries (the
   dataset's, the item's current version, or the import's). */
typedef struct iom_psource_t {
    int64_t id;
    int64_t owner_id;        /* the entity's or the link's id */
    char *owner_type;        /* entities: the entity's type */
    int64_t record_id;       /* 0 for an item */
    char *record_ref;        /* REC-... or NULL */
    char *dataset_ref;       /* DS-... or NULL */
    char *dataset_name;
    int64_t rownum;
    char *rkey;
    char *intel_ref;         /* INT-... or NULL */
    int64_t import_id;       /* 0 unless an import */
    char *import_ref;        /* IMP-... or NULL */
    char *import_kind;       /* finance | comms, or NULL */
    char *label;
    char *seen;              /* YYYY-MM-DD or NULL (an import's: the first date it saw) */
    char *seen_last;         /* an import's: the last date it saw, else NULL */
    char *attrs_json;        /* an import's: what it says of the owner (JSON object), else NULL */
    iom_grade grade;
    iom_marking marking;
    char *review_date;       /* a record's dataset's or an item's current MoPI review date
                                (YYYY-MM-DD); NULL for an import, which has none */
} iom_psource_t;

/* An entity's or a link's id and the markings of its sources (1 << marking). */
typedef struct iom_owner_markings {
    int64_t id;
    unsigned mask;
} iom_owner_markings;

typedef struct iom_review_t {
    int64_t id;
    char *ref;               /* REV-000001 */
    int64_t tasking_id;
    int64_t record_a, record_b;
    double probability;
    char *explanation_json;
    int64_t created_at;
    /* joined: the two records' refs, dataset names, rkeys, markings */
    char *ref_a, *ref_b, *input_a, *input_b, *key_a, *key_b;
    iom_marking marking_a, marking_b;
    char *tasking_ref;
    char *fields_a, *fields_b; /* the two records' values by role ({"role": "value"}) */
    iom_grade grade_a, grade_b; /* their datasets' grades (handling and conditions with them) */
} iom_review_t;

typedef struct iom_decision_t {
    int64_t id;
    int64_t tasking_id;
    char *kind;              /* same | different */
    char *input_a, *key_a, *input_b, *key_b;
    char *made_by;           /* merge | split | review */
    char *reason;
    int64_t decided_by, decided_at;
} iom_decision_t;

/* One row of the picture's MoPI due-review list (issue 16 point 7): a dataset whose review
   date has come, or an entity all of whose sources are due (its review date is the latest of
   its sources', review_dates below). Nothing of the content: the reviewer opens it. */
typedef struct iom_pdue_t {
    bool entity;             /* false: a dataset */
    char *ref;               /* DS-000001 or ENT-000001 */
    char *tasking_ref;
    char *owner;             /* code of the agency that owns the tasking's threat */
    char *review_date;       /* YYYY-MM-DD */
    iom_marking marking;     /* dataset: its own; entity: the highest of its sources the
                                filter's clearance lets through */
    char *name;              /* dataset: its name; entity: NULL */
    char *type;              /* dataset: its level; entity: its type */
    int64_t count;           /* dataset: its records; entity: its sources */
} iom_pdue_t;

struct iom_store_picture_ops {
    int version;

    /* Datasets. insert sets id and ref. find_sha: id of the tasking's dataset with this
       checksum, 0 when none. by_name likewise for a name. delete removes its records and
       everything that cascades from them (sources, review pairs). */
    iom_err (*dataset_insert)(iom_store *s, iom_dataset_t *in_out, iom_arena *a, iom_error *e);
    iom_err (*dataset_get)(iom_store *s, const char *ref, iom_arena *a, iom_dataset_t *out,
                           iom_error *e);
    iom_err (*dataset_find)(iom_store *s, int64_t tasking_id, const char *sha256,
                            const char *name, int64_t *id_by_sha, int64_t *id_by_name, iom_error *e);
    iom_err (*dataset_list)(iom_store *s, int64_t tasking_id, iom_arena *a, iom_dataset_t **out,
                            size_t *n, iom_error *e);
    iom_err (*dataset_delete)(iom_store *s, int64_t id, iom_error *e);
    iom_err (*dataset_set_records)(iom_store *s, int64_t id, int64_t records,
                                   const char *settings_json, iom_error *e);

    /* Records. insert sets *id. list: every record of the tasking, by dataset then row. */
    iom_err (*record_insert)(iom_store *s, int64_t dataset_id, int64_t rownum, const char *rkey,
                             const char *fields_json, int64_t *id, iom_error *e);
    iom_err (*record_list)(iom_store *s, int64_t tasking_id, iom_arena *a, iom_precord_t **out,
                           size_t *n, iom_error *e);
    iom_err (*record_get)(iom_store *s, const char *ref, iom_arena *a, iom_precord_t *out,
                          iom_error *e);

    /* Entities. insert sets id and ref (key may be NULL). find_key: the id of the tasking's
       entity of type and key, 0 when none. update: label, confidence, review_date,
       updated_at. */
    iom_err (*entity_insert)(iom_store *s, iom_entity_t *in_out, iom_arena *a, iom_error *e);
    iom_err (*entity_get)(iom_store *s, const char *ref, iom_arena *a, iom_entity_t *out,
                          iom_error *e);
    iom_err (*entity_find_key)(iom_store *s, int64_t tasking_id, const char *type,
                               const char *key, int64_t *id, iom_error *e);
    iom_err (*entity_list)(iom_store *s, int64_t tasking_id, iom_arena *a, iom_entity_t **out,
                           size_t *n, iom_error *e);
    iom_err (*entity_update)(iom_store *s, const iom_entity_t *en, iom_error *e);

    /* Links. insert sets id and ref; find: the id of the link (tasking, type, from, to), 0
       when none. list: the tasking's links, or with entity_id > 0 those ending at it. */
    iom_err (*link_insert)(iom_store *s, iom_plink_t *in_out, iom_arena *a, iom_error *e);
    iom_err (*link_find)(iom_store *s, int64_t tasking_id, const char *type, int64_t from_id,
                         int64_t to_id, int64_t *id, iom_error *e);
    iom_err (*link_get)(iom_store *s, const char *ref, iom_arena *a, iom_plink_t *out,
                        iom_error *e);
    iom_err (*link_list)(iom_store *s, int64_t tasking_id, int64_t entity_id, iom_arena *a,
                         iom_plink_t **out, size_t *n, iom_error *e);
    iom_err (*link_delete)(iom_store *s, int64_t id, iom_error *e);

    /* Sources. link: false for an entity's, true for a link's. Exactly one of record_id
       (> 0) and intel_ref. list: of one owner (owner_id > 0) or of every owner of the tasking
       (0), by owner then source. */
    iom_err (*source_add)(iom_store *s, bool link, int64_t owner_id, int64_t record_id,
                          const char *intel_ref, const char *label, const char *seen, iom_error *e);
    iom_err (*source_list)(iom_store *s, bool link, int64_t tasking_id, int64_t owner_id,
                           iom_arena *a, iom_psource_t **out, size_t *n, iom_error *e);
    /* A source that is an import (import_id > 0): first and last date seen (YYYY-MM-DD, may
       be NULL) and attrs_json (a JSON object, may be NULL). One per owner and import. */
    iom_err (*source_add_import)(iom_store *s, bool link, int64_t owner_id, int64_t import_id,
                                 const char *label, const char *seen, const char *seen_last,
                                 const char *attrs_json, iom_error *e);
    /* Moves every source and link of entity `from` to entity `into` (a merge): a link that
       would then duplicate one of `into` gives it its sources; links between the two go. */
    iom_err (*entity_move)(iom_store *s, int64_t from, int64_t into, iom_error *e);
    /* Renewal: entity `from` is replaced by `into` (inserted just before, of the same type,
       with no key, sources or links): every source and link of `from` moves to it, `from` is
       deleted and `into` takes `key` (may be NULL). link_renew: link `from` is replaced by
       `into` (inserted just before with the same ends and a type of its own, since
       (tasking, type, from, to) is unique): its sources move, `from` is deleted and `into`
       takes `type`. Nothing else refers to the old ids but what deletion clears (search and
       deconfliction rows, rebuilt by the caller). */
    iom_err (*entity_renew)(iom_store *s, int64_t from, int64_t into, const char *key, iom_error *e);
    iom_err (*link_renew)(iom_store *s, int64_t from, int64_t into, const char *type, iom_error *e);
    /* The markings of an entity's (link false) or a link's sources as a bit mask
       (1 << marking); tasking_markings: of the tasking's datasets, imports and current
       intelligence items. */
    iom_err (*owner_markings)(iom_store *s, bool link, int64_t owner, unsigned *mask, iom_error *e);
    iom_err (*tasking_markings)(iom_store *s, int64_t tasking_id, unsigned *mask, iom_error *e);
    /* The same mask for every entity (link false) or link of the tasking that has sources,
       by id (arena). */
    iom_err (*owner_markings_all)(iom_store *s, bool link, int64_t tasking_id, iom_arena *a,
                                  iom_owner_markings **out, size_t *n, iom_error *e);
    /* Deletes every source that is a dataset record of the tasking's entities and links
       (resolution rebuilds them). */
    iom_err (*clear_record_sources)(iom_store *s, int64_t tasking_id, iom_error *e);
    /* Deletes the tasking's links without sources, then entities without sources (and the
       links that end at them). OUT: how many of each went. */
    iom_err (*prune)(iom_store *s, int64_t tasking_id, int64_t *entities, int64_t *links,
                     iom_error *e);
    /* Deletes every source that is the intelligence item intel_ref, of entities and links (its
       MoPI disposal: the item supports nothing after it); prune then removes what only it
       supported. */
    iom_err (*item_sources_clear)(iom_store *s, const char *intel_ref, iom_error *e);

    /* The review queue, replaced by each resolution: review_clear marks the tasking's pairs
       stale, review_add inserts one (or keeps the existing pair of the same records, updated
       and no longer stale: its ref stays), review_sweep deletes the pairs still stale. */
    iom_err (*review_clear)(iom_store *s, int64_t tasking_id, iom_error *e);
    iom_err (*review_add)(iom_store *s, const iom_review_t *r, iom_error *e);
    iom_err (*review_sweep)(iom_store *s, int64_t tasking_id, iom_error *e);
    iom_err (*review_list)(iom_store *s, int64_t tasking_id, iom_arena *a, iom_review_t **out,
                           size_t *n, iom_error *e);
    iom_err (*review_get)(iom_store *s, const char *ref, iom_arena *a, iom_review_t *out,
                          iom_error *e);

    /* Decisions. insert replaces any earlier decision on the same two records. */
    iom_err (*decision_insert)(iom_store *s, const iom_decision_t *d, iom_error *e);
    iom_err (*decision_list)(iom_store *s, int64_t tasking_id, iom_arena *a,
                             iom_decision_t **out, size_t *n, iom_error *e);

    /* MoPI (migration 14). set_review_date: the dataset's. review_insert: a review of the
       dataset (r->ref its DS ref; sets r->id; IOM_ECONFLICT when it was disposed already).
       reviews: the reviews of the dataset of this reference, oldest first, also once it is
       gone; *tasking_id its tasking (0 when it has neither a review nor a row). review_dates:
       every entity's and link's review date of the tasking becomes the latest of its sources'
       (datasets' and current intelligence items'). due: the filter's datasets (want_datasets)
       and entities (want_entities) due by f->due_by, by owner, date, reference. */
    iom_err (*dataset_set_review_date)(iom_store *s, int64_t id, const char *date, iom_error *e);
    iom_err (*dataset_review_insert)(iom_store *s, int64_t dataset_id, int64_t tasking_id,
                                     iom_intel_review_t *r, iom_error *e);
    iom_err (*dataset_reviews)(iom_store *s, const char *ref, iom_arena *a, iom_intel_review_t **out,
                               size_t *n, int64_t *tasking_id, iom_error *e);
    iom_err (*review_dates)(iom_store *s, int64_t tasking_id, iom_error *e);
    iom_err (*due)(iom_store *s, const iom_intel_due_filter *f, bool want_datasets,
                   bool want_entities, iom_arena *a, iom_pdue_t **out, size_t *n, iom_error *e);

    /* Settings: OUT the tasking's thresholds (found false when none are set) and the version
       of the conflation engine that last resolved its picture in full (1 when not recorded:
       resolved before migration 19). settings_set writes all three. */
    iom_err (*settings_get)(iom_store *s, int64_t tasking_id, double *link, double *review,
                            int *engine, bool *found, iom_error *e);
    iom_err (*settings_set)(iom_store *s, int64_t tasking_id, double link, double review,
                            int engine, iom_error *e);
    /* The incremental import (app/picture_resolve.c), rows of some owners or records only.
       clear_sources_of: deletes the dataset-record sources of these records (of entities and
       links). prune_of: of these entities, the links without sources that end at them, then
       those of them without sources (with their links); OUT how many of each went.
       review_dates_of: review_dates for these entities (link false) or links (true) only.
       counts: the tasking's entities and links. */
    iom_err (*clear_sources_of)(iom_store *s, const int64_t *record_ids, size_t n, iom_error *e);
    iom_err (*prune_of)(iom_store *s, const int64_t *entity_ids, size_t n, int64_t *entities,
                        int64_t *links, iom_error *e);
    iom_err (*review_dates_of)(iom_store *s, bool link, const int64_t *ids, size_t n, iom_error *e);
    /* review_date_raise: the review date of these entities (link false) or links (true)
       becomes `date` where it is earlier or unset (they gained a source of that date). */
    iom_err (*review_date_raise)(iom_store *s, bool link, const int64_t *ids, size_t n, const char *date,
                                 iom_error *e);
    iom_err (*counts)(iom_store *s, int64_t tasking_id, int64_t *entities, int64_t *links,
                      iom_error *e);
    /* Deletes the sources of link `link_id` that are the intelligence item intel_ref (an
       unlink of the sources its actor may see; review 87 H1): the link and its other sources
       stay. */
    iom_err (*link_item_source_remove)(iom_store *s, int64_t link_id, const char *intel_ref, iom_error *e);
};

#endif
