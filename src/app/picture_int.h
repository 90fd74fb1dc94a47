/*
 * picture_int.h: shared by the files of the picture use-cases (src/app/picture*.c) only.
 */
#ifndef IOM_APP_PICTURE_INT_H
#define IOM_APP_PICTURE_INT_H

#include "app/picture.h"
#include "app/tasking.h"
#include "app/work.h"

/* The columns of a dataset by role (NULL: not mapped); strings borrowed from the input. */
typedef struct pic_mapping {
    const char *column[PIC_ROLE_COUNT];
} pic_mapping;

/* One record read from a file: its row number, key (the id role's value, else the row
   number) and its mapped fields as compact JSON {role: value}. Heap strings. */
typedef struct pic_row {
    int64_t rownum;
    size_t line;
    char *rkey;
    char *fields;
} pic_row;

typedef struct pic_rows {
    pic_row *v;
    size_t n, cap;
} pic_rows;

/* Parses a dataset file (header and records) by the mapping. IOM_EINVAL naming the line and
   why for malformed CSV or text that is not UTF-8, a mapped column missing from the header,
   no records, a record id given twice; IOM_ENOMEM. *out freed by pic_rows_free (also on
   failure: nothing to free then). */
iom_err pic_read_rows(iom_ctx *c, const char *data, size_t n, const pic_mapping *map, pic_rows *out);
void pic_rows_free(pic_rows *r);

/* The person a record of a replaced dataset supported (record id -> entity). */
typedef struct pic_hint {
    const char *rkey;
    int64_t entity;
} pic_hint;

typedef struct pic_resolve_opts {
    double link, review;
    int engine;                 /* the engine version that resolved the picture last in full
                                   (APP_PICTURE_ENGINE when it has none): older, no increment */
    const char *hint_dataset;   /* records of this dataset name take the entity of their hint */
    const pic_hint *hints;      /* sorted by rkey */
    size_t nhints;
    app_progress_fn progress;
    void *progress_ud;
    int64_t new_dataset;        /* > 0: incremental, see pic_resolve */
    const char *new_review;     /* with new_dataset: its review date (MoPI) */
    const int64_t *reopen;      /* record ids, sorted: their persons are resolved again, the */
    size_t nreopen;             /* rest stays settled (an analyst's decision; see pic_resolve) */
    int64_t merged_away;        /* with reopen: an entity merged into another before (its
                                   search documents and keys go with it) */
    struct pic_renewal *renew;  /* or NULL: what readers have seen, read by the caller before
                                   it deleted anything (pic_renewal_before); else read here */
    bool whole_cleared;         /* an import's: a resolution of the whole picture (not the
                                   increment asked for) is refused, 409, to an actor cleared
                                   below some of the tasking's material (review 138 M1) */
} pic_resolve_opts;

/* Inside a write transaction: resolves every record of the tasking with the engine and the
   analysts' decisions, rebuilding the record sources of entities and links (entities keep
   their reference when most of their records stay together), pruning what no source
   supports any more, and replacing the review queue. */
iom_err pic_resolve(iom_ctx *c, int64_t tasking_id, const pic_resolve_opts *o, app_resolution *res);
/* Sets r->withheld for the actor (app_resolution: counts of the whole tasking are shown only to
   a caller cleared for every marking). After the resolution is stored and audited in full. */
void pic_resolution_for_caller(const iom_ctx *c, app_resolution *r);
/* The confidence (least link probability) from which a person stays settled in an
   incremental import; the records of a less certain person are compared again with the new
   ones and with each other, under the model of the run (see pic_resolve). */
#define PIC_SETTLED_CONFIDENCE 0.99

/* With o->new_dataset > 0 (an import that adds a dataset, the tasking's thresholds unchanged),
   the resolution is incremental when every other record supports a person already: the
   records of a person with confidence >= PIC_SETTLED_CONFIDENCE stay settled in it
   (conflate_set_settled: never compared with each other again); the new dataset's records and
   those of less certain persons are compared with each other and with the settled ones (the
   blocking of a whole run), and the clusters they join, merge or split are written: their
   records' sources and links when new or moved (a person merged into another, or a record of
   an uncertain person that now belongs elsewhere: its sources moved, a person left without
   sources pruned), the confidence of the persons changed, the
   review dates of the entities and links touched (so no review_dates afterwards: res->
   incremental tells), the review queue kept but for pairs now in one person, plus the new
   near matches. Otherwise (and always without new_dataset) the whole tasking is resolved. */
/* With o->reopen (an analyst's decision: a merge, a split, a review pair decided), the
   resolution is incremental in the same way, the records of the persons those records
   support taking the new dataset's place: they are compared again (with the decisions as
   constraints), every other settled person stays as it is, and only what moves is written
   (review 48: each decision resolved the whole tasking again, 36 s and 1.7 GB at 275,000
   records). The review dates of what was touched are worked out from their sources. */
/* pic_resolve with the tasking's thresholds, then every entity's and link's review date made
   the latest of its sources' (MoPI). Inside a write transaction. */
iom_err pic_resolve_tasking(iom_ctx *c, int64_t tasking_id, app_progress_fn pf, void *pud,
                            app_resolution *res);
/* The same after an analyst's decision on these records (ids, any order; copied): their
   persons are resolved again, incrementally when the picture allows it (pic_resolve). */
iom_err pic_resolve_decided(iom_ctx *c, int64_t tasking_id, const int64_t *records, size_t n,
                            int64_t merged_away, app_resolution *res);

/* The views of picture.c, for the export (picture_export.c). pic_visible keeps the sources
   the actor is cleared for (in place) and works out the grade, marking and first and last
   dates from them (arena); false when none is left. pic_entity_view fills *v the same way
   for an entity (label as the entity show gives it); false when it is not visible. */
bool pic_visible(iom_ctx *c, iom_psource_t *s, size_t *n, iom_grade *g, iom_marking *m, const char **first,
                 const char **last);
bool pic_entity_view(iom_ctx *c, const iom_entity_t *e, iom_psource_t *s, size_t n, app_entity_view *v);
/* Inside a transaction: whether entity `ref` has sources and the actor's clearance lets them
   see none of them (false for an entity that is gone or has no sources: there is nothing of
   it to hide). Need-to-know is the caller's. *marking (may be NULL), when not hidden: the
   marking of what the actor sees of it (its visible sources' highest; untouched when the
   entity is gone or has no sources). */
bool pic_entity_hidden(iom_ctx *c, const char *ref, iom_marking *marking);

/* The store's source_list, with the handling conditions of intelligence-item sources opened
   (they are sealed with the item's key, app/seal.h; a disposed item's are NULL). Same
   arguments and results as store/picture_store.h source_list. */
iom_err picture_source_list(iom_ctx *c, bool link, int64_t tasking_id, int64_t owner, iom_arena *a,
                            iom_psource_t **out, size_t *n, iom_error *e);

/* Renewal (review 77 M1). An entity or link whose sources are all above marking m has a
   reference no reader cleared for m has seen; were it to gain a source of marking m and keep
   that reference, such a reader importing a guessed name, phone or account would learn from
   the reference (an old, low one instead of a new one, or a gap in their list filled) that
   the material above their clearance holds it. So before such an owner gains its first
   source at m, it is replaced by a new one (a new reference) that takes over all it holds:
   its sources, and an entity's links and key. One pic_renewal per use-case run (zeroed:
   `pic_renewal r = {0};`), freed by pic_renewal_free; it reads the tasking's markings once
   and checks each owner once per marking. */
/* One renewal: the old and the new id of an entity or (link) a link. */
typedef struct pic_renewed {
    bool link;
    int64_t from, to;
} pic_renewed;

typedef struct pic_renewal {
    bool read;
    unsigned mask;        /* the markings the tasking holds (1 << marking) */
    uint64_t *seen;       /* owners checked: (id << 5 | link << 4 | marking) + 1, 0 empty */
    size_t cap, n;
    size_t renewed;       /* how many were renewed */
    /* the sources' markings before the run's writes (pic_renewal_before), by id */
    iom_owner_markings *before[2];
    size_t nbefore[2];
    bool have_before;     /* before[] read: the store is not asked owner by owner */
    bool considered;      /* pic_renewal_before was called (whether or not it read) */
    pic_renewed *map;     /* what was renewed, in order (pic_renewal_audit) */
    size_t nmap, capmap;
} pic_renewal;

/* For a change that may give sources of marking m or above (m: the least it may give) and
   clears or moves sources before it writes them again (a resolution, a replacement, a
   merge): the markings of every entity's and link's sources as they are, read when the
   tasking holds a marking above m (else nothing is hidden from m's readers), into the arena.
   Call before anything is cleared; a resolution given r then reads nothing itself. */
iom_err pic_renewal_before(iom_ctx *c, pic_renewal *r, int64_t tasking_id, iom_marking m);
/* An owner made by this run: its reference is new to every reader, no renewal. */
iom_err pic_renewal_new(iom_ctx *c, pic_renewal *r, bool link, int64_t id);

/* Before owner *id (an entity, or a link when link) of tasking tasking_id gains a source of
   marking m: when the tasking holds anything above m and the owner has sources, none at m or
   below, it is renewed (entity_renew / link_renew) and *id becomes the new id; *old (may be
   NULL) the id it replaced, 0 when it was kept. Inside the caller's write transaction.
   IOM_ESTORE, IOM_ENOMEM. */
iom_err pic_renew_hidden(iom_ctx *c, pic_renewal *r, bool link, int64_t tasking_id, int64_t *id, iom_marking m,
                         int64_t now, int64_t *old);
void pic_renewal_free(pic_renewal *r);
/* After a use-case's writes, with the markings read before them (pic_renewal_before): renews
   every entity and then every link that now has a source of a lower marking than any it had
   before (a merge that joined a hidden link to a visible one, an item's marking lowered, an
   import replaced by one of a lower marking), so the paths that add sources without asking
   pic_renew_hidden first tell nothing either. Nothing to do when the tasking holds one
   marking. */
iom_err pic_renewal_sweep(iom_ctx *c, pic_renewal *r, int64_t tasking_id, int64_t now);
/* One audit entry `picture.renew` naming each old and new reference, when any was renewed
   (an auditor can follow a reference across its renewal; nothing is written otherwise). */
iom_err pic_renewal_audit(iom_ctx *c, const pic_renewal *r, const char *tasking_ref);

#endif
