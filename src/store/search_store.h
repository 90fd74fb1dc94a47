/*
 * search_store.h: the store's search and deconfliction area (store->ops->search; issue 16
 * points 4 and 6; docs/picture.md). Same contract as store.h: results in the caller's arena,
 * IOM_ESTORE / IOM_EINVAL on failure with e filled, writes only inside a write transaction.
 *
 * Search documents (migration 12): a document is (kind, ref, marking) with its text in an
 * FTS5 index. The store writes the documents of taskings itself on every tasking insert and
 * update; the application writes those of entities and intelligence items (it alone holds the
 * items' plaintext and the normalisers). Nothing here applies need-to-know: `query` filters
 * by the sets of tasking ids and the markings the caller passes, BEFORE its limit, so that
 * the caller never receives (nor counts) a document the reader may not see.
 */
#ifndef IOM_STORE_SEARCH_STORE_H
#define IOM_STORE_SEARCH_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

/* One document of an object: its marking, the label shown for it, its text (shown around a
   match) and its terms (normalised and alternative forms, searched but never shown). */
typedef struct iom_search_body {
    iom_marking marking;
    const char *label;       /* may be NULL */
    const char *text;
    const char *terms;       /* may be NULL */
} iom_search_body;

/* A tasking the index holds documents of. */
typedef struct iom_search_tasking {
    int64_t id;
    char *ref;
} iom_search_tasking;

/* The digest of an object's documents (entities), for re-indexing only what changed. */
typedef struct iom_search_sig {
    char *ref;
    char *sig;
} iom_search_sig;

typedef struct iom_search_query {
    const char *match;           /* an FTS5 query made by domain/search.h (never user text) */
    const char *kind;            /* tasking | intelligence | entity, or NULL for any */
    const char *type;            /* entities of this type only, or NULL */
    int64_t tasking_id;          /* only this tasking, or 0 */
    const char *tasking_ids;     /* JSON array of the tasking ids whose TASKING documents may
                                    be returned */
    const char *intel_ids;       /* JSON array of the tasking ids whose item and entity
                                    documents may be returned */
    const char *markings;        /* JSON array of the marking names the reader is cleared for */
    size_t limit;                /* at most this many documents (best first) */
} iom_search_query;

typedef struct iom_search_hit {
    char *kind, *ref, *type;     /* type: entities only, else NULL */
    int64_t tasking_id;
    char *tasking_ref;
    iom_marking marking;
    char *label;                 /* entities: the label at the document's marking */
    char *body;                  /* the document's text (the app makes the snippet from it,
                                    the same on every back-end: app/search.c) */
    double rank;                 /* bm25: lower is better */
} iom_search_hit;

/* A cross-tasking match key of an entity (deconfliction). */
typedef struct iom_dkey {
    int64_t entity_id;
    const char *type;            /* person | phone | vehicle | account | online_identity */
    const char *key;
    const char *features;        /* persons: JSON of the comparison features; else NULL */
} iom_dkey;

/* A row of a deconfliction key that a tasking shares with another tasking (candidates). */
typedef struct iom_dcand {
    int64_t tasking_id, entity_id;
    char *type, *key, *features;  /* features: the person's (JSON), else NULL */
} iom_dcand;

typedef struct iom_dalert {
    int64_t id;
    char *ref;                   /* DCF-000001 */
    int64_t tasking_id, entity_id;
    char *tasking_ref, *entity_ref;
    iom_marking tasking_marking;
    char *entity_type;
    double probability;
    int64_t created_at;
    char *contact_sia;           /* the other tasking's SIA (user name), or NULL */
    char *contact_agency;        /* the other tasking's owning agency: code */
    char *contact_agency_name;
    int64_t sia_id, sio_id;      /* the recipients on this side */
    char *acked_by;
    int64_t acked_at;
    int64_t other_entity_id;     /* the other tasking's entity */
    int64_t other_tasking_id;
    iom_marking other_tasking_marking;
} iom_dalert;

struct iom_store_search_ops {
    int version;

    /* Replaces every document of (kind, ref) by the n given (n 0: deletes them), each with
       the same tasking, type and sig. purge: after deleting, merges the FTS index so that the
       deleted text is no longer held in it (an item erased on disposal). */
    iom_err (*doc_set)(iom_store *s, const char *kind, const char *ref, int64_t tasking_id,
                       const char *type, const char *sig, const iom_search_body *docs, size_t n,
                       bool purge, iom_error *e);
    /* The distinct (ref, sig) of the documents of a kind of a tasking, by ref. */
    iom_err (*doc_sigs)(iom_store *s, const char *kind, int64_t tasking_id, iom_arena *a,
                        iom_search_sig **out, size_t *n, iom_error *e);
    /* The taskings with documents (need-to-know is the caller's). */
    iom_err (*taskings)(iom_store *s, iom_arena *a, iom_search_tasking **out, size_t *n,
                        iom_error *e);
    /* The documents matching q, best (lowest bm25) first. IOM_EINVAL when the FTS engine
       refuses q->match. */
    iom_err (*query)(iom_store *s, const iom_search_query *q, iom_arena *a, iom_search_hit **out,
                     size_t *n, iom_error *e);

    /* Deconfliction. keys_set replaces the tasking's keys. */
    iom_err (*keys_set)(iom_store *s, int64_t tasking_id, const iom_dkey *k, size_t n, iom_error *e);
    /* keys_set_of: replaces the keys of these entities only (ids, nids) by k (n, of them). */
    iom_err (*keys_set_of)(iom_store *s, int64_t tasking_id, const int64_t *ids, size_t nids,
                           const iom_dkey *k, size_t n, iom_error *e);
    /* candidates: every row (of every tasking) of each key that the tasking holds and at
       least one other tasking holds too, by type, key, tasking_id, entity_id. Costs the rows
       of the tasking's distinct keys and of the shared ones, never their products (review 47:
       a date of birth that 700 persons of one tasking share). *out in a. */
    iom_err (*candidates)(iom_store *s, int64_t tasking_id, iom_arena *a, iom_dcand **out,
                          size_t *n, iom_error *e);
    /* Inserts the alert of one side (tasking_id/entity_id receive it) unless that pair of
       entities already has one: *added true when inserted. */
    iom_err (*alert_add)(iom_store *s, int64_t tasking_id, int64_t entity_id, int64_t other_tasking_id,
                         int64_t other_entity_id, const char *type, double probability, int64_t at,
                         bool *added, iom_error *e);
    /* The alerts whose recipient is user_id (the SIA of their tasking or the SIO of its
       threat), by id. */
    iom_err (*alert_list)(iom_store *s, int64_t user_id, iom_arena *a, iom_dalert **out, size_t *n,
                          iom_error *e);
    iom_err (*alert_get)(iom_store *s, const char *ref, iom_arena *a, iom_dalert *out, iom_error *e);
    iom_err (*alert_ack)(iom_store *s, int64_t id, int64_t user_id, int64_t at, iom_error *e);
    /* Deletes the alerts of either side naming an entity of the tasking that is no longer
       there (removed with its dataset, merged away, left without sources); *refs (in a):
       each "DCF-... TOEX-...", the alert's reference and the tasking on its other side, *n
       how many. */
    iom_err (*alert_prune)(iom_store *s, int64_t tasking_id, iom_arena *a, char ***refs, size_t *n,
                           iom_error *e);
};

#endif
