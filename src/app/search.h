/*
 * search.h: search over taskings, intelligence items and the picture's entities, and the
 * deconfliction of entities across taskings (issue 16 points 4 and 6; docs/picture.md).
 *
 * Contract (as app.h): results live in ctx->arena; on failure the iom_err is returned,
 * ctx->err names the field, the value and the rule, and nothing was written.
 *
 * SEARCH. `iom search TEXT [--tasking REF] [--type T]`. The text is never given to the FTS5
 * engine as query syntax: it is normalised (case, accents, punctuation) into words, each
 * searched as a quoted token; a word that is a nickname also matches its formal name ("bob"
 * finds Robert); the whole text read as a telephone number (any usual format), a registration
 * mark or a postcode also matches that identifier's normalised form. Results are ranked from
 * each document and the query alone (SQLite iom_rank, PostgreSQL ts_rank_cd), best first. Need-to-know and clearance are applied IN the index query, before its
 * limit: a document of a tasking the reader may not read (part TASKING for a tasking's own
 * document, INTELLIGENCE for items and entities), or marked above the reader's clearance, is
 * never returned, counted or ranked against. Entities are indexed once per marking of their
 * sources with what those sources alone say, so a reader is matched only on sources they are
 * cleared for. No total and no score is given: a page of results, best first, and the cursor
 * of the next.
 * Every page that shows results is a logged read (app/readlog.h): the taskings shown as
 * "tasking.read", the items and entities as "intel.consult", with the justification and the
 * purpose (the relations that granted the reads).
 *
 * INDEXING. Taskings are indexed by the store on every tasking write. Entities are indexed
 * by search_picture_changed, which the picture's writes call inside their transaction.
 * Intelligence items are indexed ONLY through search_index_item with the item's plaintext
 * (called by intel add and correct); search_unindex_item removes an item's text from the
 * index and merges the index so the text is no longer held in it (disposal).
 *
 * DECONFLICTION. search_picture_changed also keeps the tasking's match keys and raises the
 * alerts: when an entity of the tasking (a person, phone, vehicle, account or online
 * identity) resolves with probability >= APP_DECONFLICT_MIN to an entity of another tasking,
 * and the entity is not present in more than APP_DECONFLICT_MAX_TASKINGS taskings, each
 * side gets one alert for its tasking's SIA and its threat owner's SIO. Identifiers match on
 * their normalised form (probability 1); persons are compared with the conflation engine's
 * normalisers and comparisons (name with nicknames, date of birth, PNC id, NI number; weights
 * in docs/picture.md). An alert names the entity type, the probability and the other side's
 * SIA and owning agency as the point of contact: never the other tasking's reference, its
 * content or the other entity. Raising is audited ("deconflict.raise", one entry per check
 * that raised any).
 */
#ifndef IOM_APP_SEARCH_H
#define IOM_APP_SEARCH_H

#include <jansson.h>

#include "app/app.h"
#include "app/page.h"
#include "store/picture_store.h"
#include "store/search_store.h"
#include "util/buf.h"

#define APP_SEARCH_MAX_BYTES 200   /* of the search text */
#define APP_SEARCH_MAX_WORDS 12
#define APP_SEARCH_SCAN_MAX 1000   /* documents read per search (after need-to-know) */
#define APP_SEARCH_MATCH_MAX 4096  /* bytes of the FTS5 query made from the text */
#define APP_DECONFLICT_MIN 0.95
#define APP_DECONFLICT_MAX_TASKINGS 5

/* Makes the FTS5 query of a search text (pure; for the use-case and tests). IOM_EINVAL: no
   text, more than APP_SEARCH_MAX_BYTES, not one line of UTF-8, a character of query syntax
   (" * ^ : { } [ ] \ ; < > = | $ % ! ? ` ~), nothing to search for, more than
   APP_SEARCH_MAX_WORDS words. out: cap bytes (APP_SEARCH_MATCH_MAX). */
iom_err search_build_match(const char *text, char *out, size_t cap, iom_error *e);

/* The text indexed for a value besides the value itself: normalised and alternative forms
   (telephone numbers in E.164 and national form, registration marks and postcodes without
   spaces, nicknames' formal names when person is true). Appended to b. */
void search_terms(const char *text, bool person, iom_buf *b);

/* The snippet shown with a search result (pure; the same on every back-end): at most 12 words
   of body around the search text's words (the most distinct ones, the first such window), each
   of them [marked] (case and accents folded, nicknames' formal names too), "..." where body is
   cut, the text between the words as written. In the arena; "" for no body. */
char *search_snippet(iom_arena *a, const char *body, const char *text);

typedef struct app_search_query {
    const char *text;           /* required */
    const char *tasking;        /* only this tasking (TOEX-...), or NULL */
    const char *type;           /* tasking | intelligence | entity | an entity type, or NULL */
    const char *justification;  /* logged with the read */
    app_page page;              /* after: the `next` of the previous page */
} app_search_query;

typedef struct app_search_hit {
    const char *kind;           /* tasking | intelligence | entity */
    const char *ref;
    const char *type;           /* entities: their type; else NULL */
    const char *tasking;        /* the tasking's reference */
    const char *label;          /* entities: what they are called; else NULL */
    const char *snippet;        /* the text around the match, matched words in [brackets] */
    iom_marking marking;
} app_search_hit;

/* `search TEXT`: one page of results, best first. IOM_ENOTFOUND: --tasking names a tasking
   the actor may not read (as for one that does not exist). */
iom_err app_search(iom_ctx *c, const app_search_query *q, app_search_hit **out, size_t *n,
                   const char **next);
json_t *json_of_search_hit(const app_search_hit *h);

/* Inside the write transaction of intel add / correct: (re-)indexes item `ref` (its current
   version's tasking and marking) with its plaintext. */
iom_err search_index_item(iom_ctx *c, const char *ref, const char *text);
/* Inside a write transaction: removes item `ref` from the index, purging its text. */
iom_err search_unindex_item(iom_ctx *c, const char *ref);

/* Inside the write transaction of a change of a tasking's picture: re-indexes the entities
   that changed (and drops those that went), rebuilds the tasking's deconfliction keys and
   raises the alerts of new matches. OUT raised (may be NULL): alerts added (both sides). */
iom_err search_picture_changed(iom_ctx *c, int64_t tasking_id, int64_t *raised);
/* The same when the caller holds the tasking's records already (rv, nr: every record of the
   tasking, by id; borrowed): they are not read again for the persons' keys (a resolution,
   app/picture_resolve.c). */
iom_err search_picture_changed_with(iom_ctx *c, int64_t tasking_id, const iom_precord_t *rv, size_t nr,
                                   int64_t *raised);
/* The same for some entities only (the incremental import, app/picture_resolve.c): ids (n,
   sorted, distinct) are the entities whose sources changed or that may be gone; their
   documents are written again (deleted when the entity is gone) and their deconfliction keys
   replaced, then the alerts of the tasking's keys raised as above. rv (nr, by id) are the
   tasking's records. */
iom_err search_picture_changed_of(iom_ctx *c, int64_t tasking_id, const int64_t *ids, size_t n,
                                  const iom_precord_t *rv, size_t nr, int64_t *raised);

/* Shared by search.c and deconflict.c only: inside the same transaction, rebuilds the
   deconfliction keys of the tasking from its entities ev (ne) and their sources sv (ns, by
   owner) and raises the alerts of new matches (OUT raised, may be NULL). */
iom_err search_deconflict_keys(iom_ctx *c, int64_t tasking_id, const iom_entity_t *ev, size_t ne,
                               const iom_psource_t *sv, size_t ns, int64_t *raised);
/* The same when ev are some entities only (only, nonly: their ids, sorted; the keys of the
   others stay) and the records are given (rv, nr, by id). */
iom_err search_deconflict_keys_of(iom_ctx *c, int64_t tasking_id, const iom_entity_t *ev, size_t ne,
                                  const iom_psource_t *sv, size_t ns, const int64_t *only, size_t nonly,
                                  const iom_precord_t *rv, size_t nr, int64_t *raised);

/* The probability that two persons are the same, from their comparison features (the JSON
   deconflict_key.features: names, dates of birth, PNC ids, NI numbers); pure. */
double search_person_probability(const char *features_a, const char *features_b);

/* ---- deconfliction alerts ---------------------------------------------------------------- */

typedef struct app_deconfliction {
    const char *ref;            /* DCF-000001 */
    const char *tasking;        /* the recipient's own tasking */
    const char *entity;         /* its own entity (ENT-...) */
    const char *entity_type;
    double probability;
    const char *contact_sia;    /* the other tasking's SIA, or NULL when none is allocated */
    const char *contact_agency, *contact_agency_name; /* its owning agency */
    iom_marking marking;        /* the recipient tasking's */
    int64_t raised_at;
    const char *acknowledged_by;
    int64_t acknowledged_at;
} app_deconfliction;

/* `deconflict list [--open]`: the alerts the actor receives (the SIA of their tasking or
   the SIO of its threat; the tasking's marking within the actor's clearance), by reference. */
iom_err app_deconflict_list(iom_ctx *c, bool open_only, const app_page *p, app_deconfliction **out,
                            size_t *n, const char **next);
/* `deconflict ack DCF`: a recipient acknowledges it (audited "deconflict.ack"). IOM_ENOTFOUND
   for anyone else; IOM_ECONFLICT when already acknowledged. */
iom_err app_deconflict_ack(iom_ctx *c, const char *ref, app_deconfliction *out);
json_t *json_of_deconfliction(const app_deconfliction *d);

#endif
