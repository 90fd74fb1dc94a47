/*
 * analysis.h: use-cases of the analysis of a tasking's picture (issue 17; docs/analysis.md):
 * network analysis of its entities and links (src/graph/graph.h), money transactions and
 * call data records imported into it and analysed (graph/finance.h, graph/comms.h), and the
 * timeline of everything dated.
 *
 * Contract (as app.h and picture.h): on failure the iom_err is returned, ctx->err names the
 * field, the value and the rule, and nothing was written. Results are JSON objects (docs/api.md
 * GraphResult, FinanceResult, CommsResult, Timeline, AnalysisImport): *out is a new reference
 * owned by the caller (json_decref), set only on IOM_OK.
 *
 * Who may:
 *  - reading (every analysis, the timeline, the import list) needs the need-to-know of the
 *    tasking's intelligence, as the picture (a tasking the actor may not read is IOM_ENOTFOUND,
 *    "tasking: 'REF' not found"); only what the reader may see is analysed: entities and links
 *    with a source the reader is cleared for (app/picture.h), imports whose marking the reader
 *    is cleared for. Each analysis that answers is logged in the read chain as "intel.consult"
 *    with the justification and purpose, naming the analysis and the entities, transactions
 *    and records its answer reveals (app/readlog.h), after its read transaction.
 *  - importing transactions or call records is for those who may change the picture
 *    (picture_may_write: the TOEX staff assigned to the tasking while in_development, its SIA
 *    also in tor_agreed and reassessment), in ONE transaction with one audit entry
 *    ("finance.import" / "comms.import"), refused whole (nothing stored) on the first bad row,
 *    naming the row and the field.
 *  - saving an analysis as a product (`--save TYPE`) is app_product_add's rule (work.h): the
 *    result's JSON document becomes a new product of the tasking; the read is logged first.
 */
#ifndef IOM_APP_ANALYSIS_H
#define IOM_APP_ANALYSIS_H

#include <jansson.h>

#include "app/app.h"
#include "app/page.h"
#include "store/analysis_store.h"

#define APP_ANALYSIS_MAX_BYTES (64u << 20) /* largest file imported */
#define APP_ANALYSIS_MAX_ROWS 2000000      /* rows per file */
#define APP_ANALYSIS_MAX_TYPES 16          /* --entity-type / --link-type values */
#define APP_ANALYSIS_MAX_FIELDS 8          /* --field ROLE=COLUMN mappings */
#define APP_GRAPH_TOP_DEFAULT 20

/* ---- network analysis ------------------------------------------------------------------ */

typedef struct app_graph_query {
    const char *tasking;        /* TOEX-... (required) */
    const char *analysis;       /* stats | central | communities | path | ego | brokers |
                                   keyplayers (required) */
    const char *entity_types[APP_ANALYSIS_MAX_TYPES]; /* keep entities of these types */
    size_t n_entity_types;
    const char *link_types[APP_ANALYSIS_MAX_TYPES];   /* keep links of these types */
    size_t n_link_types;
    const char *from, *to;      /* period: "YYYY-MM-DD" or a UTC time; either may be NULL */
    const char *min_grade;      /* "2B": keep links whose source evaluation is 2 or better AND
                                   whose assessment is B or better */
    bool min_grade_any;         /* judge min_grade on each of a link's visible sources: kept when
                                   one is graded so (default: on the link's grade, the worst of
                                   its sources on each axis, so a weaker corroborating source
                                   drops it) */
    bool drop_isolated;         /* leave out the entities the filter leaves without a link */
    const char *method;         /* communities, brokers: leiden (default) | louvain */
    const char *sort;           /* central: degree | betweenness | closeness | eigenvector |
                                   pagerank (default) */
    const char *entity, *other; /* path: from entity to other; ego: entity */
    int64_t k;                  /* ego: steps (default 1, 1-6); keyplayers: how many (default
                                   3, 1-50) */
    int64_t top;                /* central, brokers: at most this many (default 20; 1-10000) */
    bool weighted;              /* weights: links' confidence times an_link_strength (the
                                   imports' transactions / contacts; default: unweighted) */
    bool directed;              /* directed links keep their direction (default: ignored) */
    const char *save;           /* a product type (network_analysis, ...): save the result */
    const char *justification;
} app_graph_query;

iom_err app_graph(iom_ctx *c, const app_graph_query *q, json_t **out);

/* ---- imports -------------------------------------------------------------------------- */

typedef struct app_aimport_input {
    const char *tasking;        /* required */
    const char *kind;           /* finance | comms */
    const char *fields[APP_ANALYSIS_MAX_FIELDS]; /* "ROLE=COLUMN"; roles not mapped are read
                                   from the column named as the role (any case) */
    size_t nfields;
    const char *marking;        /* default: the tasking's; never below it */
    const char *grade;          /* 3x5x2 of the file, "1A" (default 1A) */
    const char *handling;       /* P (default) | C */
    const char *conditions;     /* the conditions of a C file */
    const char *replace;        /* IMP-...: an import of the same tasking and kind this file
                                   replaces, removed in the same transaction (or NULL) */
    const char *path;           /* the CSV file, or: */
    const char *data;           /* its text (API), size bytes, borrowed */
    size_t size;
} app_aimport_input;

/* What an import added to the picture (docs/analysis.md "The picture an import makes"):
   the accounts / phones it names (entities; created_entities of them new), the links it
   supports (pays / contacts / holds_account; created_links of them new), the holders a
   finance file names that were linked and those the picture does not know. */
typedef struct app_aimport_picture {
    int64_t entities, created_entities, links, created_links, holders, unmatched_holders;
    const char *replaced;       /* the import replaced (--replace), or NULL; then: */
    int64_t removed_entities, removed_links; /* what only it supported and this file does not */
    int64_t duplicates;         /* rows left out: the same transaction or call as a row of an
                                   earlier import of the tasking the importer may see (bank
                                   statements and call data overlap: counted twice, a payment
                                   was three structuring payments: review 60) */
    const char *duplicate_of;   /* the first such import (IMP-...), or NULL */
} app_aimport_picture;
json_t *json_of_aimport_picture(const app_aimport_picture *p);

/* `finance import --tasking REF FILE` / `comms import --tasking REF FILE`.
 * finance roles: date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ), from, to (accounts: a UK sort
 *   code and number "11-22-33 12345678" / "112233-12345678", or another identifier such as
 *   an IBAN: its letters and digits), amount (decimal in major units, at most the currency's
 *   minor digits), currency (ISO 4217), reference (optional), from_holder, to_holder
 *   (optional, read only when mapped with --field: who holds the account, an ENT ref or a
 *   name, linked where the picture knows them).
 * The import is the source of the entities and links it makes (an_import_picture), in the
 * same transaction; OUT *pic (may be NULL) what it added. With `replace`, the import named
 * (IOM_ENOTFOUND unless an import of this tasking and kind the actor is cleared for) is
 * removed first, as app_analysis_remove, in the same transaction: what both support keeps
 * its reference, what only the old one supported goes (the same file may be imported again
 * that way).
 * comms roles: caller, callee (telephone numbers), start (UTC time), duration (seconds or
 *   H:MM:SS; empty for an SMS), type (call | sms), cell (optional).
 * Refused with nothing stored: a malformed CSV (its line), a missing column, a row with a bad
 * field ("row 3: amount: 'abc' is not a number"), a date out of range (before 1970 or after
 * tomorrow), an unknown currency, an empty file, a file already imported (IOM_ECONFLICT), a
 * bad grade. */
iom_err app_analysis_import(iom_ctx *c, const app_aimport_input *in, int64_t if_version,
                            iom_aimport_t *out, app_aimport_picture *pic);
/* `finance remove IMP-... --reason` / `comms remove`: the import (of kind), its rows and the
   sources it gave, then the entities and links no other source supports (a dataset, an
   item, another import). Who may: as the import. One transaction, audit "finance.remove" /
   "comms.remove" with the reason. IOM_ENOTFOUND for an import of another kind, of a tasking
   the actor may not read or above the actor's clearance. OUT removed entities and links. */
iom_err app_analysis_remove(iom_ctx *c, const char *kind, const char *ref, const char *reason,
                            int64_t if_version, int64_t *removed_entities, int64_t *removed_links);
/* `finance imports REF` / `comms imports REF`: the imports the actor is cleared for. */
iom_err app_analysis_imports(iom_ctx *c, const char *tasking, const char *kind, const app_page *p,
                             iom_aimport_t **out, size_t *n, const char **next);
json_t *json_of_aimport(const iom_aimport_t *i);

/* ---- money and communications ---------------------------------------------------------- */

typedef struct app_money_query {
    const char *tasking;        /* required */
    const char *analysis;       /* finance: flows | mules | cycles | fans | structuring;
                                   comms: contacts | top | common | activity (required) */
    const char *from, *to;      /* period */
    const char *phone, *other;  /* comms top and activity: phone (activity: optional);
                                   common: phone and other. A telephone number or an ENT- */
    int64_t top;                /* at most this many (default 20) */
    const char *save;           /* a product type: save the result */
    const char *justification;
} app_money_query;

/* `finance flows|mules|cycles|fans|structuring --tasking REF`: over the transactions the
   reader may see, with the thresholds of the analysis.finance setting (domain/settings.h).
   Accounts are named by their key and, where the picture knows them, by their account entity
   and its holders (holds_account links); flows are between holders where known. Every
   finding lists its evidence transactions (TXN-...). */
iom_err app_finance(iom_ctx *c, const app_money_query *q, json_t **out);
/* `comms contacts|top|common|activity --tasking REF`: phones named by number and, where the
   picture knows them, by their phone entity and its users (uses_phone links). */
iom_err app_comms(iom_ctx *c, const app_money_query *q, json_t **out);

/* ---- timeline --------------------------------------------------------------------------- */

typedef struct app_timeline_query {
    const char *tasking;        /* required */
    const char *entity;         /* ENT-...: only what concerns it (its sources, its links,
                                   transactions of its accounts, calls of its phones) */
    const char *from, *to;
    int64_t limit;              /* at most this many events (default 1000, 1-100000) */
    const char *justification;
} app_timeline_query;

/* `timeline --tasking REF`: every dated source of an entity or a link, every transaction and
   every call or SMS, by time (then kind, then reference). */
iom_err app_timeline(iom_ctx *c, const app_timeline_query *q, json_t **out);

#endif
