/*
 * export.h: writers of a tasking's intelligence picture for other tools (issue 16 point 5):
 * i2 Analyst's Notebook (ANX XML), GraphML (Gephi, Cytoscape, igraph, networkx), CSV and JSON.
 * docs/export.md describes every format, where the marking and the handling conditions go,
 * and how to open each file.
 *
 * A pure module: no store, no I/O, no global state. app/ fills an export_chart (entities and
 * links with their sources, dates, confidence, grade and marking) from the picture it may
 * show the user, and asks for one format; the writer appends the file's bytes to an iom_buf.
 *
 *   export_chart c = {.tasking_ref = "OP-1", .entities = ents, .nentities = n, ...};
 *   iom_buf b = IOM_BUF_INIT;
 *   if (export_write(EXPORT_ANX, &c, &b, &err) == IOM_OK) write b.data, b.len to the file
 *   iom_buf_free(&b);
 *
 * Marking and handling. Every export carries the highest marking of its content (the chart's
 * own `marking` and that of every entity and link) and, when any entity or link is graded
 * with handling C, every distinct condition text of those items (export_handling_of computes
 * the same values for the disclosure log). Where each format carries them: docs/export.md.
 *
 * Hostile text. Labels, attribute keys and values, source references, condition texts and the
 * title may hold anything: they are escaped for the format (XML attribute and text escaping,
 * CSV quoting, JSON escaping). Invalid UTF-8 is replaced by U+FFFD in every format, and so are
 * the characters XML 1.0 forbids (C0 controls other than TAB, LF and CR; U+FFFE, U+FFFF) in
 * ANX and GraphML; TAB, LF and CR are kept (as character references in XML attributes). CSV
 * cells whose text starts with '=', '+', '-', '@', TAB or CR get a leading apostrophe so a
 * spreadsheet shows them as text instead of running them as a formula.
 *
 * Ownership. Every pointer in an export_chart is borrowed from the caller for the duration of
 * the call; the writers keep nothing. Output is appended to the caller's buffer.
 *
 * Errors (util/err.h; the message names the entity or link and the field):
 *   IOM_EINVAL   an id that is empty, too long, not UTF-8 or holds a control character; two
 *                entities or two links with the same id; a link whose end names no entity of
 *                the chart; an unknown entity type, marking or source kind; a grade that fails
 *                grade_check (domain/grade.h); a date that is not YYYY-MM-DD or a last-seen date
 *                before the first-seen one; a confidence outside [0, 1] or not finite; an
 *                attribute key or link type that breaks the rules of ids, or a key repeated on
 *                one item; a number attribute whose value is not a decimal number; a time that
 *                is not HH:MM:SS or without a first-seen date; a source
 *                with an empty reference, a grade that fails grade_check or a seen date that
 *                is not YYYY-MM-DD;
 *                an unknown format name (export_format_parse)
 *   IOM_ETOOBIG  more than EXPORT_MAX_ITEMS entities or links, a text longer than
 *                EXPORT_MAX_TEXT bytes
 * The chart is checked in full before anything is written: on failure the buffer is unchanged.
 */
#ifndef IOM_EXPORT_EXPORT_H
#define IOM_EXPORT_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/grade.h"
#include "domain/ref.h"
#include "util/buf.h"
#include "util/err.h"

#define EXPORT_MAX_ITEMS 10000000u   /* entities, and separately links, per chart */
#define EXPORT_MAX_TEXT (1u << 20)   /* bytes in any one text field */
#define EXPORT_MAX_ID 256u           /* bytes in an entity or link id */

/* The entity types of the picture (issue 16 point 3). */
typedef enum export_entity_type {
    EXPORT_PERSON,
    EXPORT_ORGANISATION,
    EXPORT_ADDRESS,
    EXPORT_PHONE,
    EXPORT_VEHICLE,
    EXPORT_ACCOUNT,
    EXPORT_LOCATION,
    EXPORT_ONLINE_IDENTITY,
    EXPORT_EVENT,
    EXPORT_ENTITY_TYPE_COUNT
} export_entity_type;

/* "person", "organisation", ..., "online_identity", "event"; "?" out of range. Static. */
const char *export_entity_type_name(export_entity_type t);
/* The name i2 users see for the type ("Person", "Online identity"); "?" out of range. */
const char *export_entity_type_title(export_entity_type t);
/* Parses export_entity_type_name's words; IOM_EINVAL naming "entity type" otherwise. */
iom_err export_entity_type_parse(const char *s, export_entity_type *out, iom_error *e);

/* Where a fact came from. */
typedef enum export_source_kind {
    EXPORT_SOURCE_DATASET_ROW,   /* a record of an imported dataset */
    EXPORT_SOURCE_INTEL_ITEM,    /* an intelligence item of the tasking */
    EXPORT_SOURCE_IMPORT,        /* an import of transactions or call records (IMP-...) */
    EXPORT_SOURCE_KIND_COUNT
} export_source_kind;

/* "dataset_row" | "intelligence_item" | "analysis_import"; "?" out of range. Static. */
const char *export_source_kind_name(export_source_kind k);
/* "Dataset record" | "Intelligence item" (ANX SourceType); "?" out of range. Static. */
const char *export_source_kind_title(export_source_kind k);

typedef struct export_source {
    export_source_kind kind;
    const char *ref;   /* non-empty: "NAT-PNC-2026-01 row 17", "INT-2026-000123" */
    iom_grade grade;   /* this source's own 3x5x2 grade (review 87 M3: each ANX Card carries
                          its own indices); grade.source 0: not given (the card has none) */
    const char *seen;  /* "YYYY-MM-DD": when this source saw it (the card's date), or NULL */
} export_source;

typedef struct export_attr {
    const char *key;   /* unique on its item ("date_of_birth", "postcode"); the rules of
                          ids (1..EXPORT_MAX_ID bytes of UTF-8, no control character) */
    const char *value; /* NULL is "" */
    bool number;       /* value is a decimal number (JSON's grammar without an exponent: "3",
                          "9500.00", "-1.5"): an amount, a count. JSON and CSV write it as a
                          JSON number (its text as given, so "9500.00" keeps its digits); ANX
                          and GraphML type a key as a number (AttNumber, double) when every
                          value of it in the chart is one, else as text */
} export_attr;

/* What entities and links both carry. */
typedef struct export_facts {
    const char *label;            /* what people see; NULL is "" */
    const export_attr *attrs;
    size_t nattrs;
    const char *first_seen;       /* "YYYY-MM-DD" or NULL (unknown) */
    const char *last_seen;        /* "YYYY-MM-DD" or NULL; not before first_seen */
    const char *time;             /* "HH:MM:SS" (UTC) of first_seen, or NULL: an event of a
                                     known moment (a transaction, a call). ANX sets TimeSet
                                     and the time of the item's DateTime (ANB's timeline);
                                     needs first_seen */
    double confidence;            /* 0..1: how sure the picture is of it (the match
                                     probability of a resolved entity, 1 for a fact stated
                                     by a source) */
    iom_grade grade;              /* 3x5x2 (domain/grade.h): for several sources, per axis the
                                     worst source evaluation and assessment, C if any source
                                     is C with all the conditions in grade.conditions */
    iom_marking marking;          /* the most restrictive marking of its sources */
    const export_source *sources;
    size_t nsources;
} export_facts;

typedef struct export_entity {
    const char *id;               /* unique among the chart's entities; 1..EXPORT_MAX_ID bytes
                                     of UTF-8 without control characters */
    export_entity_type type;
    export_facts f;
} export_entity;

typedef struct export_link {
    const char *id;               /* unique among the chart's links; same rules as entity ids */
    const char *end1, *end2;      /* entity ids of the chart; from end1 to end2 when directed */
    const char *type;             /* "associate", "lives_at", "pays" ...; the rules of ids */
    bool directed;
    export_facts f;
} export_link;

typedef struct export_chart {
    const char *tasking_ref;      /* "OP-2026-0042"; NULL is "" */
    const char *title;            /* the tasking's title; NULL is "" */
    int64_t generated_at;         /* UTC seconds since 1970 */
    iom_marking marking;          /* the floor: the tasking's own marking */
    const export_entity *entities;
    size_t nentities;
    const export_link *links;
    size_t nlinks;
} export_chart;

/* What a chart must carry: the highest marking of its content and the conditions of its
   C items. */
typedef struct export_handling {
    iom_marking marking;          /* max of chart.marking and every entity's and link's */
    bool conditional;             /* some entity or link is graded C */
    const char **conditions;      /* the distinct condition texts of C items, in chart order
                                     (entities, then links); strings borrowed from the chart,
                                     the array malloc'd (export_handling_free) */
    size_t nconditions;
} export_handling;

/* Checks the chart (all the rules under Errors above). */
iom_err export_chart_check(const export_chart *c, iom_error *e);

/* Checks the chart and fills *out; free with export_handling_free. On failure *out is
   zeroed. */
iom_err export_handling_of(const export_chart *c, export_handling *out, iom_error *e);
void export_handling_free(export_handling *h);

typedef enum export_format {
    EXPORT_ANX,       /* i2 Analyst's Notebook exchange XML (.anx) */
    EXPORT_GRAPHML,   /* GraphML (.graphml) */
    EXPORT_CSV,       /* entities and links in one CSV file with a `kind` column (.csv) */
    EXPORT_JSON,      /* JSON (.json) */
    EXPORT_FORMAT_COUNT
} export_format;

/* "anx" | "graphml" | "csv" | "json"; "?" out of range. Static. */
const char *export_format_name(export_format f);
/* The media type to serve the file with ("application/xml", "text/csv", ...). Static. */
const char *export_format_media_type(export_format f);
/* Parses export_format_name's words; IOM_EINVAL naming "format" otherwise. */
iom_err export_format_parse(const char *s, export_format *out, iom_error *e);

/* Checks the chart, then appends the whole file in format f to *out. */
iom_err export_write(export_format f, const export_chart *c, iom_buf *out, iom_error *e);

/* The same, one format each. */
iom_err export_write_anx(const export_chart *c, iom_buf *out, iom_error *e);
iom_err export_write_graphml(const export_chart *c, iom_buf *out, iom_error *e);
iom_err export_write_csv(const export_chart *c, iom_buf *out, iom_error *e);
iom_err export_write_json(const export_chart *c, iom_buf *out, iom_error *e);

#endif
