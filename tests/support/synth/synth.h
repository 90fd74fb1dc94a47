/*
 * synth.h: seeded synthetic people for benchmarking and testing `iom conflate`, and the
 * project's one pairwise scorer of a clustering. Not part of the product: built as the static
 * library `iomsynth` (CMakeLists.txt), linked by the unit tests, bench_conflate and
 * bench_gen_people; libiom never links it.
 *
 * conflate_synth_generate makes n_people "true" people and writes each of them into one to
 * three sources (A national index, B regional system, C local force records) with corruption
 * at fixed, documented rates (docs/conflate-synthetic.md gives every rate and distribution).
 * Every record is a pure function of (seed, person, source, copy): the output is identical
 * for a seed on every platform (integer PRNG only, no libc rand, no floating point in the
 * random draws' integer paths, no locale), whatever the caller does with it.
 *
 * Files written by conflate_synth_write in OUTDIR:
 *   source_a.csv, source_b.csv, source_c.csv   UTF-8, RFC 4180, CRLF-free (LF line ends),
 *       header `record_id,first_name,middle_name,surname,dob,sex,address,postcode,town,phone,email`
 *   truth.csv   header `input,record_id,person_id,family_id`: the answer key, kept in its own
 *       file so that the engine never sees it unless asked. family_id is 0 for a person in no
 *       family, else an id shared by the members of one family (the hard negatives).
 * record_id is unique across the three sources: "A" / "B" / "C" then 9 digits, numbered from
 * 000000001 in file order, so a record id alone identifies the source and the row. Rows of a
 * source are in a seeded random order (a keyed permutation), so neither row order nor record
 * id reveals which records belong to one person.
 *
 * Accuracy: conflate_synth_pairwise computes pairwise precision / recall / F1 of a clustering
 * (a predicted pair is two records in one cluster; a true pair two records of one entity) by
 * sorting and counting group sizes, O(n) passes of a radix sort, never O(n^2). It is the only
 * F1 implementation of the project: the FEBRL tests, the synthetic-shape tests and the
 * benchmarks all score with it (tests/unit/test_conflate_synth.c checks it against
 * hand-computed cases and a brute-force count).
 *
 * Errors follow util/err.h: a code is returned and *err (may be NULL) holds the message.
 * The library never prints.
 */
#ifndef IOM_TESTS_SYNTH_SYNTH_H
#define IOM_TESTS_SYNTH_SYNTH_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define CONFLATE_SYNTH_NSOURCES 3

/* The data columns, in file order after record_id. Values never renumbered. */
typedef enum conflate_synth_field {
    CONFLATE_SYNTH_FIRST_NAME = 0,
    CONFLATE_SYNTH_MIDDLE_NAME = 1,
    CONFLATE_SYNTH_SURNAME = 2,
    CONFLATE_SYNTH_DOB = 3,
    CONFLATE_SYNTH_SEX = 4,
    CONFLATE_SYNTH_ADDRESS = 5,
    CONFLATE_SYNTH_POSTCODE = 6,
    CONFLATE_SYNTH_TOWN = 7,
    CONFLATE_SYNTH_PHONE = 8,
    CONFLATE_SYNTH_EMAIL = 9,
    CONFLATE_SYNTH_NFIELDS = 10
} conflate_synth_field;

/* Record-level corruptions (bits of conflate_synth_record.flags). */
enum {
    CONFLATE_SYNTH_C_NICKNAME = 1u << 0,   /* first name replaced by a nickname (Bob for Robert) */
    CONFLATE_SYNTH_C_SWAP_NAMES = 1u << 1, /* first_name and surname columns exchanged */
    CONFLATE_SYNTH_C_MOVED = 1u << 2,      /* address/postcode/town are the person's other address */
    CONFLATE_SYNTH_C_NEW_PHONE = 1u << 3,  /* phone is one of the person's other numbers */
    CONFLATE_SYNTH_C_DOB_SWAP = 1u << 4,   /* day and month of the date of birth exchanged */
    CONFLATE_SYNTH_C_DUPLICATE = 1u << 5,  /* second record of this person in this source */
    CONFLATE_SYNTH_C_MOVER = 1u << 6,      /* a fresh address, postcode, town and phone (shapes) */
    CONFLATE_SYNTH_C_PLACEHOLDER = 1u << 7,/* some fields hold placeholders (shapes) */
};

/* Kinds of family (family_kind_p). */
enum {
    CONFLATE_SYNTH_FAMILY_SIBLINGS = 0, /* share surname, home and birth year (the default) */
    CONFLATE_SYNTH_FAMILY_TWINS = 1,    /* ... and members 0 and 1 share the whole date of birth */
    CONFLATE_SYNTH_FAMILY_JUNIOR = 2,   /* member 1 is member 0's child of the same first name */
    CONFLATE_SYNTH_FAMILY_SPOUSES = 3,  /* members 0 and 1 are a couple: other sex, years apart */
    CONFLATE_SYNTH_FAMILY_KINDS = 4
};

/*
 * Generator settings. Get the documented defaults from conflate_synth_config_default and
 * change what you need. All rates are probabilities in [0, 1].
 */
typedef struct conflate_synth_config {
    uint64_t n_people; /* true people (>= 1) */
    uint64_t seed;
    /* P(field blanked) per record; for middle_name, among people who have one. */
    double missing_rate[CONFLATE_SYNTH_NFIELDS];
    /* P(one typo | field present) per record: one keyboard edit (substitute with an adjacent
     * key, delete, insert an adjacent key, transpose two different neighbours). */
    double typo_rate[CONFLATE_SYNTH_NFIELDS];
    double nickname_rate;  /* P(nickname | the first name has nicknames) per record */
    double swap_names_rate;/* P(first_name <-> surname) per record */
    double moved_rate;     /* P(record shows the person's other address) per record */
    double new_phone_rate; /* P(record shows one of the person's other phones) per record */
    double dob_swap_rate;  /* P(day <-> month | day <= 12 and day != month) per record */
    double family_rate;    /* P(a block of 4 consecutive person ids holds a family of 2..4) */
    double duplicate_rate; /* P(a second record | the person is in the source) per source */
    /* P(person in exactly 1, 2, 3 sources); must sum to 1. The sources are then chosen
     * uniformly among the subsets of that size. */
    double sources_p[CONFLATE_SYNTH_NSOURCES];
    /*
     * Shapes beyond the defaults (issue 15; docs/conflate-synthetic.md, "Shapes"). Every one
     * is 0 in conflate_synth_config_default, and 0 leaves the output byte for byte as
     * without it: each draws from its own random stream.
     */
    double mover_rate;      /* P(record shows a fresh address of its own: address, postcode,
                             * town (60% the same town) and phone all new; no two records share
                             * one). Two records of a person differ then with 1 - (1 - r)^2. */
    unsigned omit_fields[CONFLATE_SYNTH_NSOURCES]; /* per source: bit f = column f absent */
    unsigned nsources;      /* 0 or 3: sources A, B, C; 2: A and B only (sources_p[2] = 0) */
    double family_kind_p[CONFLATE_SYNTH_FAMILY_KINDS]; /* kind of a family; all 0 = siblings */
    double namesake_rate;   /* P(person named from the pool of the commonest full names) */
    double double_barrel_rate; /* P(person has a double-barrelled surname, e.g. Smith-Jones) */
    double accent_rate;     /* P(person has a name with Latin-1 accents, e.g. José Núñez) */
    double placeholder_rate;/* P(record has placeholders in 1-4 of dob, phone, postcode, name) */
    /* P(field blanked) per record of one source, on top of missing_rate: an input that
     * mostly lacks a field (one force's extract without dates of birth) */
    double source_missing_rate[CONFLATE_SYNTH_NSOURCES][CONFLATE_SYNTH_NFIELDS];
} conflate_synth_config;

/* One generated record, borrowed by the callback: every pointer is valid only during the
 * call. field[] values are never NULL ("" when missing). */
typedef struct conflate_synth_record {
    int source;             /* 0 = A, 1 = B, 2 = C */
    uint64_t row;           /* 0-based row within its source file (file order) */
    const char *input;      /* "source_a.csv", ... (static storage) */
    const char *record_id;  /* "A000000001", ... */
    uint64_t person_id;     /* 1..n_people: the truth */
    uint64_t family_id;     /* 0 = no family; else shared by one family's members */
    const char *field[CONFLATE_SYNTH_NFIELDS];
    unsigned flags;         /* CONFLATE_SYNTH_C_* */
    unsigned typo_mask;     /* bit f set: a typo was applied to field f */
    unsigned missing_mask;  /* bit f set: field f was blanked by the missing-value rate */
    unsigned eligible_mask; /* bit f set: field f had a value before blanking (rate base) */
    int nickname_eligible;  /* the true first name has nicknames */
    int dob_swap_eligible;  /* the true dob has day <= 12 and day != month */
} conflate_synth_record;

/* Called once per record, sources in order A, B, C and rows in file order. Return IOM_OK to
 * go on; any other code stops generation and is returned by conflate_synth_generate. */
typedef iom_err (*conflate_synth_record_fn)(void *ud, const conflate_synth_record *rec,
                                            iom_error *err);

/* Counts observed while generating (what the rates produced). */
typedef struct conflate_synth_stats {
    uint64_t people;
    uint64_t records;
    uint64_t records_by_source[CONFLATE_SYNTH_NSOURCES];
    uint64_t family_people;      /* people in a family of >= 2 */
    uint64_t field_eligible[CONFLATE_SYNTH_NFIELDS]; /* records with a value before blanking */
    uint64_t field_missing[CONFLATE_SYNTH_NFIELDS];
    uint64_t field_typo[CONFLATE_SYNTH_NFIELDS];
    uint64_t nickname_eligible, nickname;
    uint64_t dob_swap_eligible, dob_swap;
    uint64_t swap_names, moved, new_phone, duplicates;
    uint64_t movers, placeholders;
} conflate_synth_stats;

/* The documented defaults (docs/conflate-synthetic.md), n_people = 1000, seed = 1. */
conflate_synth_config conflate_synth_config_default(void);

/*
 * The named test shapes of issue 15 (docs/conflate-synthetic.md, "Shapes"): the defaults
 * with the shape's parameters set, for n_people and seed. Names: default, movers, fieldsets,
 * missing10, missing25, missing40, sparsedob, families, namesakes, names, placeholders, small (the
 * small shape makes its own n_people from the argument: 20-200 records from two sources).
 * IOM_EINVAL for an unknown name (the message lists the names).
 */
iom_err conflate_synth_shape(const char *name, uint64_t n_people, uint64_t seed,
                             conflate_synth_config *out, iom_error *err);

/* The shape names, in the order above; static storage; *n receives their count. */
const char *const *conflate_synth_shape_names(size_t *n);

/* IOM_EINVAL naming the setting when a rate is outside [0, 1], n_people is 0 or above
 * 10^9 / 3, or sources_p does not sum to 1. */
iom_err conflate_synth_config_check(const conflate_synth_config *cfg, iom_error *err);

/* Column name of a field ("first_name", ...); static storage; NULL if out of range. */
const char *conflate_synth_field_name(conflate_synth_field f);

/* File name of a source ("source_a.csv", ...); static storage; NULL if out of range. */
const char *conflate_synth_source_file(int source);

/*
 * Streams every record to fn (see conflate_synth_record_fn). Deterministic for cfg.
 * Errors: IOM_EINVAL (bad config), or whatever fn returned.
 */
iom_err conflate_synth_generate(const conflate_synth_config *cfg, conflate_synth_record_fn fn,
                                void *ud, iom_error *err);

/* Adds one record to *st (zero it first); st->people is set by the caller or by
 * conflate_synth_write. Usable as the body of a callback. */
void conflate_synth_stats_add(conflate_synth_stats *st, const conflate_synth_record *rec);

/*
 * Writes source_a.csv, source_b.csv, source_c.csv and truth.csv into outdir (which must
 * exist; files are replaced). out_stats (may be NULL) receives the counts.
 * Errors: IOM_EINVAL (bad config), IOM_EIO (naming the file and errno text).
 */
iom_err conflate_synth_write(const conflate_synth_config *cfg, const char *outdir,
                             conflate_synth_stats *out_stats, iom_error *err);

/* ---- pairwise accuracy ---------------------------------------------------------------- */

typedef struct conflate_synth_score {
    uint64_t records;
    uint64_t true_pairs;      /* pairs of records of one person */
    uint64_t predicted_pairs; /* pairs of records in one cluster */
    uint64_t correct_pairs;   /* pairs that are both */
    double precision;         /* correct / predicted; 1.0 when predicted_pairs == 0 */
    double recall;            /* correct / true; 1.0 when true_pairs == 0 */
    double f1;                /* 2PR / (P + R); 0.0 when P + R == 0 */
} conflate_synth_score;

/*
 * Pairwise score of a clustering: record i belongs to person[i] and to cluster[i]
 * (any integer ids; i in any order, the same for both arrays). O(n log n) time, O(n) memory
 * (malloc, freed before return). Errors: IOM_EINVAL when n > 0 and an array is NULL;
 * IOM_ENOMEM.
 */
iom_err conflate_synth_pairwise(const uint64_t *person, const uint64_t *cluster, size_t n,
                                conflate_synth_score *out, iom_error *err);

/* The answer key read back from truth.csv: person and family of every record. */
typedef struct conflate_synth_truth conflate_synth_truth;

/* Reads truth.csv (as written by conflate_synth_write). *out is owned by the caller: free it
 * with conflate_synth_truth_free. Errors: IOM_EIO (cannot open/read), IOM_EINVAL (bad header,
 * malformed row or record id, duplicate record id: message names the line). */
iom_err conflate_synth_truth_load(conflate_synth_truth **out, const char *truth_csv,
                                  iom_error *err);

void conflate_synth_truth_free(conflate_synth_truth *t);

/* Number of records in the truth. */
size_t conflate_synth_truth_count(const conflate_synth_truth *t);

/* Person of a record id ("B000000042"); 0 when the id is not in the truth. */
uint64_t conflate_synth_truth_person(const conflate_synth_truth *t, const char *record_id);

/*
 * Scores an engine's CLUSTERS.csv (header `input,record_id,cluster_id`, any column order,
 * cluster ids any strings) against the truth. Records are matched by record_id alone (ids are
 * unique across sources; the input column may hold any path). Errors: IOM_EIO; IOM_EINVAL
 * when a row is malformed, a record id is unknown or repeated, or a truth record is absent
 * (the message names the first such record and the count).
 */
iom_err conflate_synth_score_clusters_csv(const conflate_synth_truth *t, const char *clusters_csv,
                                          conflate_synth_score *out, iom_error *err);

#endif
