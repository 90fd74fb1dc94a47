/*
 * analysis_int.h: shared by the analysis use-cases (src/app/analysis*.c) only.
 */
#ifndef IOM_APP_ANALYSIS_INT_H
#define IOM_APP_ANALYSIS_INT_H

#include "app/analysis.h"
#include "app/picture.h"
#include "app/picture_int.h"
#include "app/tasking.h"

/* The picture of a tasking as the actor may see it: visible entities (by id) and the visible
   links between two of them. Arena memory. */
typedef struct an_picture {
    app_tasking_scope sc;
    app_entity_view *ev;
    size_t ne;
    app_link_view *lv;
    size_t nl;
    uint32_t *lfrom, *lto;      /* entity indices of each link's ends */
    iom_psource_t *esrc;        /* every visible entity source, by entity (ev[i].sources) */
    iom_marking marking;        /* the highest marking of what it holds (the tasking's, every
                                   visible entity and link, and the rows an analysis adds): an
                                   answer derived from it carries it, and so does a save */
} an_picture;

/* Inside a read transaction: need-to-know (IOM_ENOTFOUND "tasking: 'REF' not found"), then
   the visible picture. */
iom_err an_load(iom_ctx *c, const char *tasking, an_picture *p);
/* Inside a transaction: need-to-know only (p->sc). */
iom_err an_scope(iom_ctx *c, const char *tasking, app_tasking_scope *sc);
/* What the imports you may see say of a link's strength: the sum of their sources' `weight`
   attributes (transactions of a `pays` link, contacts of a `contacts` link), 1 when no such
   source. The weighted network analysis weighs a link by its confidence times this, but a
   pays / contacts link by the rows between its parties counted once (an_row_pair_counts). */
double an_link_strength(const app_link_view *v);
/* The transactions (fin) or call records of the tasking the actor may see, each row several
   imports hold counted once (as the analyses count them: analysis_money.c dedupe_rows), per
   pair of parties: key "FROM\x1fTO" (calls: the two numbers in byte order, undirected), n the
   rows. Inside a read transaction. OUT *out: arena array sorted by key, *n entries. */
typedef struct an_pair_count {
    const char *key;
    int64_t n;
} an_pair_count;
iom_err an_row_pair_counts(iom_ctx *c, int64_t tasking_id, bool fin, an_pair_count **out, size_t *n);
/* The rows themselves: the transactions (fin: *txn) or call records (*cdr) the actor may see,
   each row several imports hold counted once (its least-marked copies, dedupe_rows), in the
   store's order; *n rows. Inside a read transaction. OUT arena. */
iom_err an_visible_rows(iom_ctx *c, int64_t tasking_id, bool fin, iom_txn_t **txn, iom_cdr_t **cdr, size_t *n);
/* The entry of the pair (a, b) in v[0..n), or NULL (the key is built in arena). */
const an_pair_count *an_pair_find(const an_pair_count *v, size_t n, const char *a, const char *b, bool undirected,
                                  iom_arena *arena);
/* What a removal took from the actor's view of the tasking's picture: called before the
   removal (after false: the ids seen, in the arena) and after it (after true: the counts of
   entities and links seen before and not now). Inside the removal's transaction. */
typedef struct an_seen {
    int64_t *e, *l;
    size_t ne, nl;
    int64_t removed_entities, removed_links;
} an_seen;
iom_err an_removed_as_seen(iom_ctx *c, const char *tasking, bool after, an_seen *s);
/* Index of the visible entity with this ref / this id, or -1. */
long an_find_ref(const an_picture *p, const char *ref);
long an_find_id(const an_picture *p, int64_t id);
/* Index of the visible entity of type and key, or -1. */
long an_find_key(const an_picture *p, const char *type, const char *key);
/* Indices of the entities linked to entity i by a link of type lt whose other end is i
   (holders of an account, users of a phone): OUT arena array, *n. */
void an_linked(iom_ctx *c, const an_picture *p, size_t i, const char *lt, uint32_t **out, size_t *n);
/* {"ref","type","label"} of entity i. */
json_t *an_entity_json(const an_picture *p, size_t i);
/* Parses an optional period bound ("YYYY-MM-DD" or a UTC time); end: a date means its end
   (23:59:59). GRAPH_TIME_NONE when s is NULL. */
iom_err an_time(iom_ctx *c, const char *field, const char *s, bool end, int64_t *out);
/* After the read transaction: logs the read ("intel.consult" on the tasking) naming the
   analysis and the refs its answer reveals (refs: a JSON array of reference strings, each
   logged as {"ref"}, and of {"identifier": "+447700900123"} objects for a phone number or
   account shown, logged as they are; consumed). */
iom_err an_log(iom_ctx *c, const app_tasking_scope *sc, const char *analysis, json_t *refs,
               const char *justification);
/* Inside the read transaction, before the analysis runs: when the result is to be saved
   (save not NULL), may the actor record a product of the tasking now (IOM_EFORBIDDEN,
   IOM_ECONFLICT as app_product_add would say)? An analysis refused its save is neither run
   nor logged as a consultation (review 94 L1: it was logged, though nothing was shown); nor
   one whose product, marked `marking` (the loaded picture's), work_marking refuses (IOM_EINVAL:
   above the clearance of the tasking's SIO or SIA; review 96 L2). */
iom_err an_may_save(iom_ctx *c, const char *save, const char *tasking, iom_marking marking);
/* Saves result (borrowed) as a product of type `type` of the tasking, adds "product" to it. */
iom_err an_save(iom_ctx *c, const char *tasking, const char *type, const char *name,
                iom_marking marking, json_t *result);
/* "9500.00" of an amount in minor units of the currency (ISO 4217 minor digits). */
json_t *an_money(int64_t v, const char *cur);
/* The same text, written into b; returns b. */
const char *an_money_text(int64_t v, const char *cur, char b[64]);

/* What one row of an import says beyond its stored fields: the parties as given (comms: the
   numbers as written, the phone entities' labels) and the holders a finance file names
   (from_holder / to_holder columns; NULL or "" when none). Borrowed. */
typedef struct an_import_row {
    const char *a_label, *b_label;
    const char *a_holder, *b_holder;
} an_import_row;

/* Inside the import's write transaction, after its rows are stored: the picture the import
   makes (docs/analysis.md): an entity per account (finance) or phone (comms) -- the picture's
   entity of that type and normalised identifier, else a new one --, a `pays` link per (from,
   to) pair of accounts or a `contacts` link per pair of phones, and for finance a
   `holds_account` link from each holder a column names to the account when the picture
   knows the holder (holder_entity: an ENT ref, or the one visible person or organisation of
   that label). Each gets one source: the import, with the first and last date and what the
   import says of it (counts, amounts per currency, seconds). txn (finance) or cdr (comms),
   n rows. OUT the counts. */
iom_err an_import_picture(iom_ctx *c, struct pic_renewal *renew, const app_tasking_scope *sc, const iom_aimport_t *imp, const iom_txn_t *txn,
                          const iom_cdr_t *cdr, const an_import_row *rows, size_t n, app_aimport_picture *out);

/* Checks a justification (optional, as the picture's reads). */
iom_err an_justification(iom_ctx *c, const char *j);

#endif
