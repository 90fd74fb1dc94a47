/*
 * engine_int.h: the engine's internal structures, shared by engine.c (reading and
 * normalising), block.c (candidate pairs), model.c (levels, EM, scoring), cluster.c and
 * output.c. Not a public API.
 */
#ifndef IOM_CONFLATE_ENGINE_INT_H
#define IOM_CONFLATE_ENGINE_INT_H

#include <pthread.h>
#include <stdint.h>

#include "conflate/compare.h"
#include "conflate/conflate.h"
#include "conflate/strtab.h"

typedef enum kind {
    K_FIRST, K_MIDDLE, K_SUR, K_FULL, K_DATE, K_SEX, K_ADDRESS, K_POSTCODE, K_TOWN, K_PHONE,
    K_EMAIL, K_ID, K_STRING
} kind;

#define LEVEL_NULL 15u
#define MAX_LEVELS 7

/* Per distinct normalised value of a feature. */
typedef struct cval {
    uint32_t count; /* records holding it */
    uint32_t aux;   /* name: hash of canonical (nickname) form; date: packed yyyymmdd */
    uint32_t phon;  /* soundex (names: of the canonical first token) */
    uint32_t init;  /* names: first byte of the canonical form; dates: days since 1970 */
    uint32_t pre;   /* blocking: names, the first three bytes; addresses, the house key */
} cval;

/* A name's aux: the hash of its canonical form with bit 0 set and bit 1 telling a nickname
 * of several formal names ("mo"), so the comparison reads the flag from the entry it has
 * loaded. Two names have one canonical form when their aux agree but for bit 1. */
#define NAME_AUX_MULTI 2u
#define NAME_KUNYA 2u /* feature.fold's bit of a kunya ("Abu Omar") */
#define NAME_INITIALS 8u /* feature.fold's bit of a first name that is initials only ("j",
                          * "j r": model.c initial_thin) */
#define NAME_OTHER_SCRIPT 4u /* feature.fold's bit of a name left in a script not romanised
                              * (conflate_norm_text: Han, Thai, Devanagari, Ge'ez...) */
static inline int name_aux_same(uint32_t a, uint32_t b) { return (a | NAME_AUX_MULTI) == (b | NAME_AUX_MULTI); }

typedef struct feature {
    char *role, *column; /* column: as mapped for the first input */
    uint32_t absent;     /* inputs without `column` (a mapping given for every input) */
    char *absent_in;     /* the first of them, owned */
    kind k;
    int nlevels;
    conflate_strtab raw;   /* raw text -> index into raw2norm */
    size_t split;          /* full names split into first name and surname (engine.c) */
    uint32_t *raw2norm;    /* per raw id: normalised id (0 = null) */
    unsigned char *raw2gen; /* names: per raw id, the generational suffix dropped (0 none), or NULL */
    /* dates: the text that could not be read but has the shape of a date with a keying slip
       (conflate_date_slip), slip[0..nslip); per raw id 1 + its index, 0 none (until mapped) */
    conflate_date_slip_t *slip;
    uint32_t nslip;
    uint32_t *raw2slip;
    size_t capraw;
    conflate_strtab norm;  /* normalised text -> id */
    cval *vals;            /* per normalised id (1..n) */
    size_t capvals;
    uint64_t nonnull;
    double sum_p2;         /* P(two distinct records agree): u of an exact match, for TF */
    double sum_p2_shared;  /* phones: the same for landlines (level CONFLATE_PHONE_SHARED) */
    /* model */
    double m[MAX_LEVELS], u[MAX_LEVELS], w[MAX_LEVELS];
    double u0[MAX_LEVELS]; /* u from random pairs, before any estimation */
    /* middle names: the rates among namesakes, pairs of different people of one first name
       (init_namesakes; has_un 0: too few such pairs, the random-pair rates stand) */
    double un[MAX_LEVELS];
    int has_un;
    int tf; /* term-frequency adjustment on the exact level */
    /* per normalised id, one cache-line-sized entry (ent_stride bytes at ent + id * stride):
     * what a comparison reads, so a value costs one memory access instead of four */
    unsigned char *ent;
    uint32_t ent_stride;
    double *tfw;     /* per normalised id: term-frequency adjustment (set after normalising) */
    unsigned char *personal_ok; /* personal identifiers (model.c mark_personal): per normalised
                                   id, 1 when an exact agreement on it decides a pair (its shape
                                   is the identifier's, and at most PERSONAL_MAX records hold it
                                   or they are one person's); NULL: not a personal identifier */
    uint32_t *xother; /* first name / surname: per normalised id, the id of the same text in
                       * the other name feature (0 = absent), for the swapped-names check */
    unsigned char *fold; /* names: per normalised id, bit 0 when the text has a Somali spelling
                          * to fold (conflate_name_fold_somali), so comparing tries it only then;
                          * NAME_KUNYA when a first name is a kunya (engine.c is_kunya) */
    uint64_t *bag;    /* names: per normalised id, the text's bag signature (conflate_bag_sig),
                       * so that most unlike names are told apart without Jaro-Winkler */
    /* what reading found in the column: values with text but no usable form (a date that is
     * not a date), placeholders taken as missing, a value over an implausible share */
    uint64_t unusable, ph_count, ph_top_count;
    uint32_t unusable_first; /* raw id of the first unusable value */
    /* distinct values read as UTF-8 text once misread as Windows-1252 (mojibake), repaired
       for comparing, and the first one's raw id */
    uint64_t mojibake;
    uint32_t mojibake_first;
    char unusable_example[48];
    char mojibake_example[48];
    /* dates: distinct values written with a two-digit year (01/02/25), the first's raw id and
       text (reported: a century is guessed for them) */
    uint64_t twoyear;
    uint32_t twoyear_first;
    char twoyear_example[48];
    uint32_t ph_top, over_top; /* normalised ids: the commonest placeholder, the value over */
    uint64_t estimated;        /* dates of 1 January read as a year only (estimate_jan1) */
    int from_notes;            /* added for what an input's notes can fill (engine.c
                                  notes_features): no other input read before had the role */
} feature;

typedef struct source {
    char *name;
    conflate_strtab ids;   /* record id -> local id */
    uint32_t *global;      /* local id -> record index */
    size_t capglobal;
    /* whole names of this source were split into first name and surname by a guess of their
       order (no comma, no initials): model.c order_pass compares their words in any order */
    int guessed_order;
} source;

typedef struct skipped {
    char *input, *why;
    size_t line;
} skipped;

typedef struct pair {
    uint32_t a, b;
    uint64_t pat; /* 4 bits per feature: level or LEVEL_NULL */
} pair;

typedef struct constraint {
    int must; /* 1 must_link, 0 cannot_link */
    uint32_t ka, kb; /* keys in eng->ckeys ("input\x1Frecord") */
    size_t line;
    long ra, rb; /* record indexes after resolution */
} constraint;

enum { CONFLATE_FIT_OK = 0, CONFLATE_FIT_FEW_PAIRS = 1, CONFLATE_FIT_NOT_IDENTIFIABLE = 2 };

#define CONFLATE_JOINT_MAX 343 /* MAX_LEVELS^3: the identity triple's joint table */
/* the home fields' combinations: a level or missing for each of at most three */
#define CONFLATE_HOME_CELLS ((MAX_LEVELS + 1) * (MAX_LEVELS + 1) * (MAX_LEVELS + 1))

/*
 * The fitted model (model.c, "the bounded, identifiable estimate"): class shares pi (M
 * matches, H1 household non-matches, H2 look-alike non-matches, U other non-matches), m per
 * field, h[c] per field outside the identity triple and hj[c] over the triple for the two
 * related classes (the triple: first name or full name, surname, date of birth, the ones
 * compared, t[0..nt) with tl levels each; cell index ((l0 * tl1) + l1) * tl2 + l2), uc the U
 * class per field (the triple's agreeing levels 0), and u, the random-pair rates (the weights
 * shown are log2(m/u)). households: 0 when no address or postcode is compared (H1 unused).
 */
enum { CONFLATE_M = 0, CONFLATE_H1 = 1, CONFLATE_H2 = 2, CONFLATE_U = 3, CONFLATE_NCLASS = 4 };
typedef struct conflate_model {
    int nf;
    kind k[CONFLATE_MAX_FEATURES];
    int nlev[CONFLATE_MAX_FEATURES];
    double m[CONFLATE_MAX_FEATURES][MAX_LEVELS], uc[CONFLATE_MAX_FEATURES][MAX_LEVELS],
        u[CONFLATE_MAX_FEATURES][MAX_LEVELS];
    double h[2][CONFLATE_MAX_FEATURES][MAX_LEVELS];
    int nt, t[3], tl[3];
    double hj[2][CONFLATE_JOINT_MAX];
    double hsame[2]; /* the cap on a related class's cells where the whole triple agrees
                        strongly (H_SAME_PERSON, or lower where chance allows fewer) */
    double hsame_e;  /* the pairs of strangers expected to agree so (0: not computed) */
    double hsame_room; /* with the defaults in place, when the candidates hold fewer such pairs
                          than chance gives: what e was cut to (those pairs less the obvious
                          matches among them, at least chance without the dependence), else -1 */
    double hyear[2]; /* the same cap on the cells where the names agree strongly and the date
                        is known to its year only, of the other's year (0: none) */
    double pi[CONFLATE_NCLASS];
    int households;
    int swf, sws; /* first name and surname features (-1: not both): a swap is one event */
    /* The home fields (address, postcode, town; bit f of home, set when at least two are
     * compared) change together when a person moves, so within M and H1 they are not
     * independent: a match shows another home with share mv (a household pair, hv), its
     * home fields then at rates mo (a stranger's, or a move within the town); otherwise at
     * m (one home, recorded twice). One move is one event, not three. mv = hv = 0 when
     * home = 0. */
    unsigned home;
    double mv, mo[CONFLATE_MAX_FEATURES][MAX_LEVELS];
    double hv;
    /* The most of M's pairs in which triple field t[i] disagrees (anchored_caps): the
     * documented bound, or less where pairs that fields outside the triple show to be one
     * person say so; anchor_n[i] and anchor_d[i] are those pairs and how many disagreed
     * (0, 0: no cap from them). */
    double mdis[3], anchor_n[3], anchor_d[3];
    /* and at most what M's pairs at two homes show (movers_cap): the bound (0: none), the
     * pairs' expected count and how many disagreed */
    double mdis_mv[3], mover_n[3], mover_d[3];
    /* 1: M's rates are learned from the pairs with the whole triple compared (m_complete) */
    int m_complete;
    /* bit f: feature f identifies one person only (a PNC id, an NI number): the "other"
       class shows its agreement no more often than random pairs do (constrain_u) */
    unsigned personal;
    /* bit f: un[f] holds the look-alikes' prior rates of feature f, measured among namesakes
       (a middle name: init_namesakes), instead of the random-pair rates */
    unsigned has_un;
    double un[CONFLATE_MAX_FEATURES][MAX_LEVELS];
    /* a date feature's share of records whose date is known to its year only (an age, an
       estimate): the default m of its levels follows it (year_only_defaults) */
    double yshare[CONFLATE_MAX_FEATURES];
    /* and the share of candidate pairs, both dates given, of which a side is so known (0: not
       measured): the most of M the levels "the year" and "a year next to it" may hold
       (model.c constrain_m_triple) */
    double ypairs[CONFLATE_MAX_FEATURES];
} conflate_model;

/* log2 tables of a model, for scoring (conflate_model_logs). */
typedef struct conflate_mlog {
    double lm[CONFLATE_MAX_FEATURES][MAX_LEVELS], luc[CONFLATE_MAX_FEATURES][MAX_LEVELS],
        lh[2][CONFLATE_MAX_FEATURES][MAX_LEVELS];
    double lhm[2][8][CONFLATE_JOINT_MAX]; /* hj's marginals per presence mask of the triple */
    double lpi[CONFLATE_NCLASS];
    /* log2 of the random-pair rates u, and of the share of non-matches (1 - pi M): the floor of
       the non-match classes' likelihood of a pattern (conflate_model_weight); lnm is -INFINITY
       (no floor) when the model is the defaults of too few pairs */
    double lu[CONFLATE_MAX_FEATURES][MAX_LEVELS], lnm;
    unsigned in_triple; /* bit f: feature f is in the triple */
    /* the home fields' term of M and H1 (the two-home mixture) and the share of it from two
     * homes, per combination of their levels: one base-(MAX_LEVELS + 1) digit per home field
     * (at most 3, one per role) in feature order, the level or MAX_LEVELS for missing */
    int nhome, homef[3];
    double lhome[2][CONFLATE_HOME_CELLS], mvhome[2][CONFLATE_HOME_CELLS];
} conflate_mlog;
void conflate_model_logs(const conflate_model *md, conflate_mlog *lg);
/* The match weight log2 P(M)/P(not M) of levels lv (one per feature, LEVEL_NULL missing),
 * skipping the features of bit mask skip; tf (log2, the term frequencies of the exact
 * agreements) scales the classes whose agreements are coincidences (look-alikes, others).
 * P(not M) is never below the share of non-matches times the pattern's random-pair rate (the
 * product of the u's, scaled by tf as a coincidence): the non-match classes together never
 * make a pattern rarer than strangers at random do (review 119). */
double conflate_model_weight(const conflate_model *md, const conflate_mlog *lg,
                             const unsigned *lv, double tf, unsigned skip);

/*
 * The model fitted to a histogram of comparison vectors (no engine needed: the unit tests
 * and offline replays call it directly). In: md.nf, md.k, md.nlev, md.u (random-pair rates),
 * threads (the E-step's), blocked (1: blocking chose the candidate pairs; informative). Out:
 * md, iter, m_trained (0: m is the defaults), seed_pairs (pairs of the obvious-match rule, -1
 * when it does not apply), seed_lambda, fallback (CONFLATE_FIT_*), bad_feature / bad_weight
 * (with CONFLATE_FIT_NOT_IDENTIFIABLE: the field and the exact weight EM had given it), and
 * the priors used (m0, h0, hj0).
 */
/* How many times more pairs of strangers share a name and a date of birth than the product of
   their random-pair rates says (names go with birth years): model.c, same_person_caps. */
#define CONFLATE_SAME_DEPENDENCE 10.0

typedef struct conflate_fit {
    conflate_model md;
    double m0[CONFLATE_MAX_FEATURES][MAX_LEVELS], h0[2][CONFLATE_MAX_FEATURES][MAX_LEVELS];
    double hj0[2][CONFLATE_JOINT_MAX];
    double mo0[CONFLATE_MAX_FEATURES][MAX_LEVELS]; /* the prior of mo */
    double seed_lambda, seed_pairs, bad_weight;
    double possible; /* the pairs the comparison space holds (blocked or not) */
    double n_full, n_same, n_same_seed; /* candidate pairs with every triple field given; of
                                           them, those agreeing strongly on all; of those, the
                                           obvious matches (fit_start; 0 when not dated) */
    int blocked, iter, m_trained, fallback, bad_feature, threads;
} conflate_fit;
void conflate_fit_hist(conflate_fit *fit, const uint64_t *pat, const double *cnt, size_t n);

struct conflate_engine {
    conflate_options o;
    conflate_field_map *fmaps; /* copied options */
    int auto_fields;
    int nf;
    feature f[CONFLATE_MAX_FEATURES];
    char *id_column_used;
    char *noid_input;  /* the first input read without an id column (line numbers) */
    int noid_cand;     /* id_candidate of that input: -1 none, -2 several */
    char noid_refs[200]; /* the names of those several */
    /* free-text notes (notes.h): the column given for every input with --field notes=COLUMN
       (NULL: found by name in each input), the inputs it was found in, and the year ages are
       counted back from */
    char *notes_column;
    size_t notes_inputs;
    int notes_year;
    /* ages given at a record's date (engine.c AGE_ROLE): the columns given for every input with
       --field age=COLUMN / record_date=COLUMN (NULL: found by name), the inputs they were
       found in */
    char *age_column, *recdate_column;
    size_t age_inputs, recdate_inputs;
    /* a name a person is known by (engine.c KNOWN_ROLE: "Known As", "Preferred Name"), read
       but not compared as a field of its own: the first name's comparison counts it
       (model.c known_pass). The column given with --field known_as=COLUMN, the inputs it was
       found in; the names (normalised, first word), per record its name's id (0 none; NULL
       when no input has such a column; known_n records so far), per name the id of the same
       text among the first names (0 none) and its canonical form's key (derive's aux) */
    char *known_column;
    size_t known_inputs;
    conflate_strtab known;
    uint32_t *known_of;
    size_t known_n, known_cap;
    uint32_t *known_fid, *known_aux;
    /* the given names of a whole name split into first name and surname (engine.c split),
       other than the first name: each word normalised as a surname is, space-separated
       (chain), per record its id (chain_of[r], 0 none; NULL when no whole name had such
       words; chain_n records so far). A name chain (given name, father's, grandfather's, a
       family name) cut at one place in one source and at another in the next: model.c
       chain_pass compares them with the other record's surname. */
    conflate_strtab chain;
    uint32_t *chain_of;
    size_t chain_n, chain_cap;
    /* a cell's further values (engine.c several_values: "07420 923234 / 07250 811233"): the
       first is the record's value; the others, per record oth_of[r] the 1-based index of its
       first entry in oth (0: none; NULL when no cell holds several values), its entries one
       after another to the one marked last. An entry's v is a raw id until normalisation maps
       it to the feature's normalised id (0: unusable or a placeholder). model.c others_pass:
       a pair agrees exactly when any value of one is any value of the other. */
    struct conflate_other {
        uint32_t v;
        uint16_t f;
        uint16_t last;
    } *oth;
    size_t oth_len, oth_cap;
    uint32_t *oth_of;
    size_t oth_n;
    int roles_listed;  /* a note has listed the roles (engine.c unused_note) */
    char *in_delim;    /* per input read: the delimiter used */
    unsigned char *in_delim_how; /* per input read: conflate_csv_opts.detected_how */
    /* per input read: the column of each feature (NULL: absent) and of the record id (NULL:
       line numbers), owned */
    char *(*in_cols)[CONFLATE_MAX_FEATURES + 1];
    char **in_path;              /* per input read: its path as given (owned), or NULL */
    unsigned char *in_multi;     /* per input read: it has more than one column */
    size_t ninputs;
    /* records */
    size_t n, cap;
    uint32_t *vals;    /* n * nf normalised ids */
    uint16_t *src;
    /* per record: the generational suffix of its names (Jnr, Snr, II, ...: CONFLATE_GEN_, 0
       none), or NULL when no record has one (weight_of in model.c) */
    unsigned char *gen;
    /* per record: 1 + the index (in eng->f[dslip_f].slip) of its date of birth that could not
       be read but has a slip's shape, 0 none; NULL when no record has one. Compared against
       the other record's date (conflate_date_slip_level) where the date would be missing;
       renumbered with vals while blocking (block.c) */
    uint32_t *dslip;
    int dslip_f;
    uint32_t *local;   /* local id within its source */
    uint32_t *line;
    /* reading: the compared fields of rows read but not yet interned wait in a batch;
     * a full batch is interned by a helper thread while the next one fills (reading.c) */
    struct rbatch *batch[2];
    int bcur;          /* the batch being filled */
    int bbusy;         /* the other batch is being interned by bthread */
    pthread_t bthread;
    source *sources;
    size_t nsources;
    skipped *skips;
    size_t nskips;
    /* constraints */
    conflate_strtab ckeys;
    constraint *cons;
    size_t ncons;
    /* results */
    int ran;
    pair *pairs;
    size_t npairs;
    float *weight;     /* per pair: match weight (log2 odds, prior included) */
    double prior;      /* log2(pi_M / (1 - pi_M)): the prior odds of a match among candidates */
    /* namesake density of a year of birth (model.c, year_density): an open-addressed table of
       (name feature, name value, year or 0) -> records holding that name with a date of that
       year (year 0: of any year); yd_u: two records with dates share a year, P */
    uint64_t *yd_key;
    uint32_t *yd_cnt;
    size_t yd_cap;
    double yd_u;
    double lambda;
    int em_iter;
    int fit_status;    /* CONFLATE_FIT_*: estimated, or the defaults and why */
    int fit_bad_feature;
    double fit_bad_weight;
    double seed_pairs;
    conflate_model md; /* the fitted model and its log2 tables, for scoring */
    conflate_mlog mlog;
    uint64_t npatterns;
    uint64_t possible;
    uint64_t *cluster; /* per record, 1-based */
    uint64_t nclusters;
    uint64_t linked, guard_splits;
    size_t *accepted;  /* pair indexes that joined clusters */
    size_t naccepted;
    size_t *refused;   /* pair indexes above threshold refused by the guard / constraints */
    size_t nrefused;
    double t_read, t_norm, t_block, t_score, t_est, t_clu;
    double c_read, c_norm, c_block, c_score, c_est, c_clu; /* process CPU seconds */
    int threads;
    uint32_t memo_gen; /* distinct per engine: tags its entries in the comparison memo */
    int first_other, sur_other; /* the surname feature (for K_FIRST), the first name (K_SUR); -1 */
    int middle_f;               /* the middle name feature (K_MIDDLE), -1: model.c middle_pass */
    int first_prefixed;         /* some first name begins with a Muhammad-family prefix and
                                   another word (conflate_first_prefixed; model.c middle_pass) */
    int addr_f, postcode_f, town_f; /* K_ADDRESS, K_POSTCODE, K_TOWN, -1: model.c locality_pass */
    int any_guessed_order;      /* some source's whole names were split by a guess (order_pass) */
    /* incremental resolution (conflate_set_settled): per record its settled group (0: not
     * settled), NULL when none is; nsettled_for: eng->n when it was made; max_group */
    uint32_t *settled;
    size_t settled_n;
    uint32_t max_group;
    /* block.c, while pairs are made: per record in the current numbering, 1 when settled
     * (NULL when no record is): a pair of two settled records is never a candidate */
    unsigned char *stl;
};

/* Entry of a normalised value for comparisons: aux and phon as in cval, the text inline when
 * it fits (len < ent_stride - 10), else in the feature's norm table. */
typedef struct ventry {
    uint32_t aux, phon;
    uint16_t len;
    char s[];
} ventry;
#define VENTRY_HEAD 10u

static inline const ventry *feature_entry(const feature *f, uint32_t v)
{
    return (const ventry *)(const void *)(f->ent + (size_t)v * f->ent_stride);
}

static inline const char *entry_text(const feature *f, const ventry *e, uint32_t v)
{
    return e->len < f->ent_stride - VENTRY_HEAD ? e->s : conflate_strtab_str(&f->norm, v);
}

/* Time in seconds (monotonic). */
double conflate_now(void);
/* CPU time of the process (all threads), seconds. */
double conflate_cpu_now(void);

/* Runs fn(ctx, tid, begin, end) over items 0..n-1 on `threads` threads, in ranges of `chunk`
 * items handed out dynamically; the ranges are the same for any thread count. */
typedef void (*par_fn)(void *ctx, int tid, size_t begin, size_t end);
void conflate_par(int threads, size_t n, size_t chunk, par_fn fn, void *ctx);

/* model.c */
int conflate_kind_levels(kind k);
const char *conflate_level_label(kind k, int level);
/* Comparison level of feature f between records a and b (LEVEL_NULL when either is null). */
unsigned conflate_compare_feature(const conflate_engine *eng, int f, uint32_t a, uint32_t b);
uint64_t conflate_compare_records(const conflate_engine *eng, uint32_t a, uint32_t b);
/*
 * Comparison rows: what comparing reads of a record's values (aux, phon and the text of each
 * feature's value, packed in feature order) copied into one fixed-size row per record, so a
 * pair costs two row reads instead of one value-table read per feature (block.c builds them
 * in the order records are compared). conflate_row_stride: the row size for this input (the
 * 99th percentile of what rows need, at most 320 bytes unless the fields' heads need more;
 * a longer row keeps some texts in the norm tables).
 * conflate_row_fill: writes record r's row (stride bytes at row). conflate_compare_rows:
 * the same pattern as conflate_compare_records(eng, a, b), from the two rows.
 */
size_t conflate_row_stride(const conflate_engine *eng);
void conflate_row_fill(const conflate_engine *eng, uint32_t r, unsigned char *row, size_t stride);
uint64_t conflate_compare_rows(const conflate_engine *eng, uint32_t a, uint32_t b,
                               const unsigned char *rowa, const unsigned char *rowb);
void conflate_estimate(conflate_engine *eng);
/* Match weight of a pair (prior + levels + term frequencies, against both non-match classes). */
double conflate_pair_weight(const conflate_engine *eng, uint32_t a, uint32_t b, uint64_t pat);
/* The same without the fields that change over a life: what the guard asks (cluster.c). */
double conflate_pair_weight_identity(const conflate_engine *eng, uint32_t a, uint32_t b, uint64_t pat);
/* Whether records a and b (scored at pat) share a personal identifier that decides the pair:
   one person's value, the records not a generation apart (the floor of conflate_pair_weight). */
int conflate_pair_id_tied(const conflate_engine *eng, uint32_t a, uint32_t b, uint64_t pat);
/* Whether a name of the pair (first name, surname, full name) is compared and does not agree. */
int conflate_pair_names_differ(const conflate_engine *eng, uint64_t pat);
/* Whether a normalised first name (a, na bytes) is a Muhammad-family prefix and more words
   (`muhammad abdul`, `md ruhul`). */
int conflate_first_prefixed(const char *a, size_t na);
/* Whether the pair's names agree: a first name and a surname (or a whole name) compared, and
   every name compared at an agreeing level. */
int conflate_pair_names_agree(const conflate_engine *eng, uint64_t pat);
/* The pair's weight without its names (first name, middle name, surname, full name) and, when
   identity is set, without the fields that change over a life: what the cluster guard asks of
   two groups a shared identifier joins (an alias, a change of name by deed poll). */
double conflate_pair_weight_unnamed(const conflate_engine *eng, uint32_t a, uint32_t b, uint64_t pat,
                                    int identity);
/* 1 when the pair's names are swapped and its weight is capped at the weight of the same names
   in order (model.c, weight_of). */
int conflate_pair_swap_capped(const conflate_engine *eng, uint32_t a, uint32_t b, uint64_t pat);
/* The namesake-density term of a pair whose date agrees at "the year" (a year only known) and
   one name exactly (model.c): what the year says given that name; 0 when it does not apply.
   *f_out: the name's feature (-1 if none). */
double conflate_year_density(const conflate_engine *eng, uint32_t a, uint64_t pat, int *f_out);
void conflate_year_density_free(conflate_engine *eng);
double conflate_log2_1p_exp2(double x);
double conflate_tf_adjust(const conflate_engine *eng, int f, uint32_t a);
/* ... of a pair's exact agreement: the value records a and b share, where it is a further
   value of a cell (model.c tf_value), else a's own. */
double conflate_tf_adjust_pair(const conflate_engine *eng, int f, uint32_t a, uint32_t b);
/* The term-frequency adjustment (log2) of an exact agreement on a value held by c of the n
   records of a column whose two random records agree with probability u: log2(u / p), p the
   value's frequency among the records other than the pair's two, shrunk towards u by one
   pseudo-record (docs/conflate.md, "Term frequencies"). */
double conflate_tf_weight(double u, double c, double n);
void conflate_score(conflate_engine *eng);

/* Fields that change over a life (address, postcode, town, phone, e-mail): a difference is
 * weak evidence, never strong (docs/conflate.md, "Estimation"). */
int conflate_kind_changes(kind k);
/* Names, date of birth and identifiers: an exact agreement is never evidence against. */
int conflate_kind_identity(kind k);
/* The documented default m of every level of kind k (levels 0 = different .. exact). */
void conflate_default_m(kind k, double *m0);

/* block.c */
void conflate_block(conflate_engine *eng);
int conflate_block_debug_shared(const conflate_engine *eng, uint32_t a, uint32_t b, uint64_t *mask,
                                int which, char *desc, size_t cap);

/* cluster.c */
iom_err conflate_cluster(conflate_engine *eng, iom_error *e);
iom_err conflate_constraints_resolve(conflate_engine *eng, iom_error *e);

static inline uint32_t rec_val(const conflate_engine *eng, uint32_t r, int f)
{
    return eng->vals[(size_t)r * (size_t)eng->nf + (size_t)f];
}

/* The first feature of kind k, or -1 (model.c's first_of_kind: the first that holds a value). */
static inline int feature_of_kind(const conflate_engine *eng, kind k)
{
    for (int f = 0; f < eng->nf; f++)
        if (eng->f[f].k == k)
            return f;
    return -1;
}

static inline unsigned pat_level(uint64_t pat, int f) { return (unsigned)(pat >> (4 * f)) & 15u; }

/* Formats one message and hands it to the caller's callback (debug lines only with
 * options.debug). See conflate_message_fn. */
void conflate_msg(const conflate_engine *eng, conflate_msg_kind mk, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static inline void progress(const conflate_engine *eng, const char *phase, uint64_t done,
                            uint64_t total)
{
    if (eng->o.progress)
        eng->o.progress(eng->o.progress_ud, phase, done, total);
}

#endif
