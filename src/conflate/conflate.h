/*
 * conflate.h: probabilistic entity resolution (Fellegi-Sunter with EM), the engine behind
 * `iom conflate`. docs/conflate.md describes the model.
 *
 * Life cycle:
 *   conflate_engine *eng;
 *   conflate_new(&eng, &opts, &err);            features (roles) and settings
 *   conflate_add_constraints(eng, path, &err);  optional; checked for contradictions at once
 *   conflate_add_csv(eng, path, NULL, &err);    once per input (streamed)
 *   conflate_run(eng, &err);                    normalise, block, compare, EM, score, cluster
 *   conflate_write_clusters(eng, out, &err);    and the accessors below
 *   conflate_free(eng);
 *
 * Ownership: the engine owns everything it returns (strings stay valid until
 * conflate_free). Option strings are copied by conflate_new. Not thread-safe: one engine per
 * thread; conflate_run itself uses opts.threads worker threads.
 *
 * Errors (util/err.h; the message names the file, line, column or value):
 *   IOM_EINVAL  bad option, unknown column, malformed CSV line (with --on-error stop),
 *               invalid UTF-8, empty file, duplicate record id, contradictory constraints,
 *               unknown record in a constraint
 *   IOM_EIO     a file cannot be opened, read or written
 *   IOM_EUSAGE  misuse of the API (conflate_run twice, inputs after run)
 */
#ifndef IOM_CONFLATE_CONFLATE_H
#define IOM_CONFLATE_CONFLATE_H

#include <stdint.h>
#include <stdio.h>

#include "util/err.h"

/* The default match threshold: one value for every data set (docs/conflate.md). */
#define CONFLATE_DEFAULT_THRESHOLD 0.5
#define CONFLATE_MAX_FEATURES 16

typedef enum conflate_mode {
    CONFLATE_LINK_AND_DEDUPE = 0,
    CONFLATE_LINK_ONLY = 1,  /* only pairs across inputs; each input holds one record per entity */
    CONFLATE_DEDUPE_ONLY = 2 /* only pairs within one input */
} conflate_mode;

typedef enum conflate_on_error {
    CONFLATE_ON_ERROR_STOP = 0, /* a malformed line fails the run */
    CONFLATE_ON_ERROR_SKIP = 1  /* it is skipped, counted and listed */
} conflate_on_error;

/* A role mapped to a column. Roles: first_name middle_name surname full_name dob sex address
 * postcode town phone email vehicle account ni_number pnc_id; a field of another kind is
 * "generic:NAME" (compared as text, NAME naming it in the outputs). Any other role is an
 * error (conflate_new), so a typo never silently becomes a generic field. */
typedef struct conflate_field_map {
    const char *role;
    const char *column; /* in an input's own fields (conflate_input_opts), "" means the input
                           has no column of the role, whatever the automatic mapping finds */
} conflate_field_map;

typedef void (*conflate_progress_fn)(void *ud, const char *phase, uint64_t done, uint64_t total);

/* The text encoding of an input, converted to UTF-8 as it is read. */
typedef enum conflate_encoding {
    CONFLATE_ENC_DEFAULT = 0, /* per input: the engine's option; as an option: UTF-8 */
    CONFLATE_ENC_UTF8 = 1,
    CONFLATE_ENC_LATIN1 = 2,  /* ISO-8859-1 */
    CONFLATE_ENC_CP1252 = 3   /* Windows-1252 */
} conflate_encoding;

/*
 * The engine never prints. What it has to tell (a warning about the data or the model, a note
 * such as the defaults it fell back to, debug lines when asked for) goes to this callback,
 * one line of text without a newline, borrowed for the call. The caller renders it (the
 * CLI on stderr). Called from the thread that called the API function only.
 */
typedef enum conflate_msg_kind {
    CONFLATE_MSG_WARNING = 0, /* the user should look: the data or the model is doubtful */
    CONFLATE_MSG_NOTE = 1,    /* what the engine decided on its own (e.g. defaults used) */
    CONFLATE_MSG_DEBUG = 2    /* only with options.debug: blocking steps, the estimate */
} conflate_msg_kind;
typedef void (*conflate_message_fn)(void *ud, conflate_msg_kind kind, const char *text);

typedef struct conflate_options {
    conflate_mode mode;
    double threshold;         /* match probability needed to link; 0 -> default */
    int threads;              /* worker threads; <= 0 -> online CPUs */
    conflate_on_error on_error;
    const char *id_column;    /* NULL -> a column named id/record_id/rec_id/unique_id, else line number */
    const char *source_column;/* NULL -> the input's path as given */
    const conflate_field_map *fields; /* NULL/0 -> roles found in the first input's header */
    size_t nfields;
    uint32_t max_block;       /* blocks above this size are skipped; 0 -> 100 */
    char delimiter;           /* ',' ';' '\t' '|'; 0 -> detected per input from its header */
    conflate_encoding encoding; /* of every input unless its own says otherwise */
    conflate_progress_fn progress; /* may be NULL; called from the calling thread only */
    void *progress_ud;
    conflate_message_fn message;   /* may be NULL: messages are then dropped */
    void *message_ud;
    int debug;                     /* 1: CONFLATE_MSG_DEBUG lines (timings, the estimate) */
    const char *debug_hist_path;   /* with debug: write the histogram of comparison vectors
                                    * here (docs/conflate.md, "Performance"); NULL: none */
} conflate_options;

typedef struct conflate_engine conflate_engine;

/* Defaults: link_and_dedupe, default threshold, all CPUs, stop on error, automatic fields. */
void conflate_options_default(conflate_options *o);

/* True when `role` is one of the known roles (others are generic strings). */
int conflate_role_known(const char *role);

/* True when `role` is a personal identifier: one person's and nobody else's (pnc_id,
 * ni_number, nhs_number, passport, driving_licence; docs/conflate.md, "Personal
 * identifiers"). NULL: false. */
int conflate_role_personal(const char *role);

/* True when value (n bytes) of role is a placeholder police extracts put for an unknown
 * ("UNKNOWN", "NK", "NFA", 07000 000000, none@...): the engine takes such values as missing
 * (docs/conflate.md, "Placeholders"); the picture makes no identifier of them. Roles the
 * engine does not know are never placeholders. */
int conflate_value_is_placeholder(const char *role, const char *value, size_t n);

/* *out owned by the caller: free with conflate_free. IOM_EINVAL for a bad option (threshold
 * outside (0,1), more than CONFLATE_MAX_FEATURES fields, a role given twice). */
iom_err conflate_new(conflate_engine **out, const conflate_options *opts, iom_error *e);
void conflate_free(conflate_engine *eng);

/*
 * Reads constraints (header kind,input_a,record_a,input_b,record_b; kind must_link or
 * cannot_link). Contradictions (a cannot-link pair joined by must-links) fail at once with
 * IOM_EINVAL naming the pair and the chain. Records are resolved at conflate_run (unknown
 * record -> IOM_EINVAL there).
 */
iom_err conflate_add_constraints(conflate_engine *eng, const char *path, iom_error *e);

/* One constraint from memory (the analysts' decisions of `iom entity`): must_link non-zero
 * for must_link, else cannot_link; records named by input name and record id, resolved at
 * conflate_run. Its "line" in messages is its position (1, 2, ...). Contradictions are found
 * by conflate_check_constraints (what names the set in the message). IOM_EINVAL for a name
 * too long or a record constrained with itself; IOM_EUSAGE after conflate_run. */
iom_err conflate_add_constraint(conflate_engine *eng, int must_link, const char *input_a,
                                const char *record_a, const char *input_b, const char *record_b,
                                iom_error *e);
iom_err conflate_check_constraints(conflate_engine *eng, const char *what, iom_error *e);

/* Per-input overrides (from --settings): columns for some roles, id column, display name. */
typedef struct conflate_input_opts {
    const conflate_field_map *fields; /* with the engine's fields given: roles among them;
                                       * without (roles found by column names): the roles
                                       * mapped here are compared too */
    size_t nfields;
    const char *id_column;
    const char *name; /* name written in the `input` column; NULL -> path */
    char delimiter;   /* 0 -> the engine's option */
    conflate_encoding encoding; /* CONFLATE_ENC_DEFAULT -> the engine's option */
} conflate_input_opts;

/* Reads one input CSV (header row; streamed). io may be NULL. The record id column is --id
 * (the input's, else the engine's); without one, a column named id/record_id/rec_id/
 * unique_id, else line numbers. IOM_EINVAL when the id column named is not in the input,
 * when one input has such an id column and another has none (ids and line numbers would
 * mix), and for text that is not UTF-8 (the message names the encodings to try). */
iom_err conflate_add_csv(conflate_engine *eng, const char *path, const conflate_input_opts *io,
                         iom_error *e);

/* Same from memory (tests, fuzzing); `name` is the input name. */
iom_err conflate_add_csv_buffer(conflate_engine *eng, const char *name, const char *data,
                                size_t n, const conflate_input_opts *io, iom_error *e);

/* Incremental resolution (the picture's imports, app/picture_resolve.c): record i (reading
 * order) already belongs to the settled cluster `group` (> 0), e.g. the entity an earlier
 * resolution put it in. Two settled records are never a candidate pair (what they are to
 * each other stands): only pairs with at least one record not settled are compared, made by
 * the same blocking as a whole run (so they are the pairs a whole run would make, less those
 * between settled records). The settled records of one group start in one cluster, as if
 * joined by must_link constraints; links then add records to groups and join groups as in a
 * whole run (the guard and cannot_link constraints apply). Call after every input is read
 * and before conflate_run. IOM_EINVAL for a record out of range or group 0; IOM_EUSAGE after
 * conflate_run. Inputs can no longer be added once a record is settled. */
iom_err conflate_set_settled(conflate_engine *eng, size_t i, uint32_t group, iom_error *e);

/* Runs everything after reading. IOM_EINVAL when there are no records or a constraint names
 * an unknown record. */
iom_err conflate_run(conflate_engine *eng, iom_error *e);

typedef struct conflate_stats {
    uint64_t records, inputs, skipped_lines;
    uint64_t candidate_pairs, possible_pairs; /* reduction ratio = 1 - candidate/possible */
    uint64_t linked_pairs;                    /* pairs at or above the threshold */
    uint64_t clusters, guard_splits;          /* guard_splits: links refused by the guard */
    uint64_t patterns;                        /* distinct comparison vectors */
    int em_iterations;
    double lambda;                            /* P(match) among candidate pairs (EM) */
    double seconds_read, seconds_normalise, seconds_block, seconds_score, seconds_estimate,
        seconds_cluster;
    /* CPU seconds of the whole process (all threads) in the same phases */
    double cpu_read, cpu_normalise, cpu_block, cpu_score, cpu_estimate, cpu_cluster;
} conflate_stats;

void conflate_get_stats(const conflate_engine *eng, conflate_stats *out);

/* Records in reading order (skipped lines excluded). Strings owned by the engine. */
size_t conflate_record_count(const conflate_engine *eng);
const char *conflate_record_input(const conflate_engine *eng, size_t i);
const char *conflate_record_id(const conflate_engine *eng, size_t i);
/* Cluster of record i after conflate_run: 1..clusters. */
uint64_t conflate_record_cluster(const conflate_engine *eng, size_t i);

/* What reading found in feature f's column: values with text but no usable form (a date
 * that is not a date), placeholders taken as missing (e.g. 01/01/1900, NFA, UNKNOWN). Either
 * pointer may be NULL. */
void conflate_feature_counts(const conflate_engine *eng, size_t f, uint64_t *unusable,
                             uint64_t *placeholders);

/* The roles, for messages ("first_name, middle_name, ..."); static storage. */
const char *conflate_roles_list(void);

/* The delimiter used for input i (in order of conflate_add_csv), 0 when out of range. */
char conflate_input_delimiter(const conflate_engine *eng, size_t i);

/* How input i's delimiter was chosen: 0 given (settings, --delimiter) or the comma of an input
   too short to tell, 1 detected from its header, 2 named by an Excel `sep=` first line. */
int conflate_input_delimiter_how(const conflate_engine *eng, size_t i);

/* The column input i (in the order added) read feature f from, NULL when that input lacks it;
 * the column of its record ids, NULL for line numbers. Borrowed, valid until conflate_free. */
const char *conflate_input_column(const conflate_engine *eng, size_t i, size_t f);
const char *conflate_input_id_column(const conflate_engine *eng, size_t i);

/* Features: role and the column used for the first input (for "mapping used" output). */
size_t conflate_feature_count(const conflate_engine *eng);
const char *conflate_feature_role(const conflate_engine *eng, size_t f);
const char *conflate_feature_column(const conflate_engine *eng, size_t f);
const char *conflate_id_column(const conflate_engine *eng); /* NULL: line numbers */

/* Skipped lines (with --on-error skip): input, line, reason. */
size_t conflate_skipped_count(const conflate_engine *eng);
void conflate_skipped_get(const conflate_engine *eng, size_t i, const char **input, size_t *line,
                          const char **why);

/* CLUSTERS.csv: header input,record_id,cluster_id; one row per record. IOM_EIO on failure. */
iom_err conflate_write_clusters(const conflate_engine *eng, const char *path, iom_error *e);

/* PAIRS.csv: every candidate pair with match probability, match weight and one weight column
 * per feature (w_<role>) plus its comparison level (l_<role>). IOM_EIO on failure. */
iom_err conflate_write_pairs(const conflate_engine *eng, const char *path, iom_error *e);

/* ---- the scored candidate pairs and the model, after conflate_run ------------------------ */

#define CONFLATE_LEVEL_MISSING 15u

/* Candidate pairs, sorted by (a, b) (record indexes, a < b). */
size_t conflate_pair_count(const conflate_engine *eng);

/* Pair i: *a, *b get its records; levels (room for conflate_feature_count entries, may be
 * NULL) its comparison level per feature (CONFLATE_LEVEL_MISSING when either value is
 * missing). Returns its match weight (log2 odds, as in PAIRS.csv). */
double conflate_pair_get(const conflate_engine *eng, size_t i, uint32_t *a, uint32_t *b,
                         unsigned *levels);

/* Comparison levels of feature f (level 0 = different, the last = exact). */
int conflate_feature_levels(const conflate_engine *eng, size_t f);

/* The model of level l of feature f: m, u and weight log2(m/u) as scored, and u_random, the
 * rate of the level among random pairs of records (before any estimation). Any pointer may
 * be NULL. */
void conflate_feature_model(const conflate_engine *eng, size_t f, int l, double *m, double *u,
                            double *w, double *u_random);

/* Looks up a record by input name and id; returns its index or -1. */
long conflate_find_record(const conflate_engine *eng, const char *input, const char *id);

/* Writes the waterfall of weights for records a and b (any two records, scored on demand). */
void conflate_explain_pair(const conflate_engine *eng, size_t a, size_t b, FILE *out);

/* Writes the cluster of record r: members, the links that joined it (each with its
 * waterfall) and any links the guard refused. */
void conflate_explain_cluster(const conflate_engine *eng, size_t r, FILE *out);

/* Writes the model: prior, and m, u and weight of every level of every feature. */
void conflate_explain_model(const conflate_engine *eng, FILE *out);

/* Monotonic clock in seconds (for benchmarks and the CLI summary). */
double conflate_bench_now(void);

#endif
