/*
 * finance.h: money analysis on arrays of transactions (issue 17), the engine behind
 * `iom finance flows|mules|cycles|fans|structuring`. docs/graph.md defines each finding and
 * its defaults.
 *
 * A pure library: no printing, no store, no clock. app/ turns a statement's rows into
 * fin_txn (fin_parse_row validates the text fields; it resolves accounts to numbers itself)
 * and calls the analyses. Amounts are integers in the currency's minor unit (pence for GBP);
 * nothing is ever converted between currencies: every analysis works per currency.
 *
 * Transactions outside the settings' period are ignored by the analyses (but validated).
 * Every finding lists its evidence: indices into the caller's transaction array, ordered by
 * time then index.
 *
 * Ownership: results are allocated in the caller's iom_arena and live until it is freed.
 * Input arrays are only read. Thread-safe: no shared state.
 *
 * Errors (util/err.h):
 *   IOM_EINVAL  a transaction or row that is not valid, naming it and the field: an amount
 *               that is not a number, not positive, too large or with more decimals than its
 *               currency has; a time that is malformed or out of range; a currency that is
 *               not in ISO 4217; an account out of range; the same account on both sides;
 *               a setting out of range
 *   IOM_ETOOBIG more than 2^32 - 2 transactions
 *   IOM_ENOMEM  out of memory for the working arrays (arena allocations abort, util/arena.h)
 */
#ifndef IOM_GRAPH_FINANCE_H
#define IOM_GRAPH_FINANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/err.h"

#define FIN_TIME_NONE INT64_MIN            /* an open end of a period */
#define FIN_TIME_MIN 0                     /* 1970-01-01T00:00:00Z */
#define FIN_TIME_MAX 4102444800            /* 2100-01-01T00:00:00Z (exclusive) */
#define FIN_AMOUNT_MAX 1000000000000000LL  /* 10^15 minor units */

/* A transfer of money from one account to another. */
typedef struct fin_txn {
    int64_t time;           /* UTC seconds */
    uint32_t from, to;      /* accounts: the caller's numbers, 0..n_accounts-1 */
    int64_t amount;         /* > 0, in minor units of the currency */
    char currency[4];       /* ISO 4217 alphabetic code, upper case, NUL-terminated */
    const char *reference;  /* borrowed, may be NULL; carried, not analysed */
} fin_txn;

/* ---- ISO 4217 (data in iso4217.c) ---- */

typedef struct fin_currency {
    char code[4];
    uint16_t numeric;
    uint8_t minor;          /* decimal places of the minor unit */
    bool withdrawn;         /* kept for historic statements (e.g. HRK before 2023) */
} fin_currency;

/* The entry for a code (exact, upper case), or NULL. Static storage. */
const fin_currency *fin_currency_find(const char *code);
size_t fin_currency_count(void);
const fin_currency *fin_currency_at(size_t i);

/* ---- settings ---- */

typedef struct fin_settings {
    int64_t from, to;           /* analysed period, inclusive; FIN_TIME_NONE: open */
    int64_t valid_from, valid_to; /* accepted times [valid_from, valid_to): FIN_TIME_MIN,
                                     FIN_TIME_MAX (app/ may narrow valid_to to tomorrow) */
    /* pass-through (mule) accounts */
    int64_t mule_window;        /* 72 h: money out within this after it came in */
    double mule_passed_ratio;   /* 0.8: at least this share of what came in passed on */
    double mule_left_ratio;     /* 0.1: at most this share of what came in is left */
    int64_t mule_min_in;        /* 100000 (1,000.00): smaller totals are not flagged */
    /* cycles */
    unsigned cycle_min_len, cycle_max_len; /* 2, 6 accounts */
    int64_t cycle_window;       /* 30 days from the first to the last transfer of a round */
    size_t cycle_max;           /* 1000 cycles reported at most (then `truncated`) */
    /* fans */
    unsigned fan_min;           /* 5 distinct counterparties */
    int64_t fan_window;         /* 7 days */
    /* structuring */
    char struct_currency[4];    /* "GBP" */
    int64_t struct_threshold;   /* 1000000 (10,000.00) */
    double struct_band;         /* 0.10: amounts in [threshold x (1 - band), threshold) */
    unsigned struct_min_count;  /* 3 */
    int64_t struct_window;      /* 0: the whole period; else any window of this length */
} fin_settings;

void fin_settings_default(fin_settings *s);

/* ---- input ---- */

/* One row of a statement as text. Accounts are resolved by the caller. */
typedef struct fin_row_text {
    const char *time;       /* "YYYY-MM-DDTHH:MM:SSZ" or "YYYY-MM-DD" (midnight UTC) */
    uint32_t from, to;
    const char *amount;     /* decimal in major units: "9500", "9500.5", "9500.50" */
    const char *currency;   /* ISO 4217 code, any case */
    const char *reference;  /* borrowed into the result */
} fin_row_text;

/* Parses and validates one row; `row` is the caller's row number, named in messages
 * ("row 12: amount: 'abc' is not a number"). s may be NULL (defaults). */
iom_err fin_parse_row(const fin_row_text *r, size_t row, const fin_settings *s, fin_txn *out,
                      iom_error *e);

/* Validates an array (every analysis does this first): "transaction 3: currency: ...". */
iom_err fin_check(const fin_txn *t, size_t n, size_t n_accounts, const fin_settings *s,
                  iom_error *e);

/* ---- flows ---- */

typedef struct fin_flow {
    uint32_t from, to;      /* entities (accounts when no map is given); equal for money
                               moved between two accounts of one entity */
    char currency[4];
    int64_t total;
    int64_t first, last;    /* times */
    size_t n_txns;
    uint32_t *txns;
} fin_flow;

typedef struct fin_flows {
    size_t count;
    fin_flow *items;        /* by currency, then total (largest first), then from, to */
} fin_flows;

/* Money between entities over the period, per currency. entity_of maps each account to an
 * entity (< n_entities), or is NULL (accounts themselves). */
iom_err fin_flows_get(const fin_txn *t, size_t n, size_t n_accounts, const uint32_t *entity_of,
                      size_t n_entities, const fin_settings *s, iom_arena *a, fin_flows *out,
                      iom_error *e);

/* ---- pass-through (mule) accounts ---- */

typedef struct fin_mule {
    uint32_t account;
    char currency[4];
    int64_t in, out;        /* all money in and out over the period */
    int64_t passed;         /* out within mule_window after it came in (first in, first out) */
    int64_t left;           /* max(0, in - out) */
    double passed_ratio;    /* passed / in */
    double mean_dwell;      /* seconds money stayed before passing on (amount-weighted) */
    size_t senders, receivers; /* distinct counterparties */
    size_t n_txns;
    uint32_t *txns;         /* the transfers in and out that were matched */
} fin_mule;

typedef struct fin_mules {
    size_t count;
    fin_mule *items;        /* by passed (largest first), then account, currency */
} fin_mules;

iom_err fin_mules_get(const fin_txn *t, size_t n, size_t n_accounts, const fin_settings *s,
                      iom_arena *a, fin_mules *out, iom_error *e);

/* ---- cycles ---- */

typedef struct fin_cycle {
    size_t len;
    uint32_t *accounts;     /* len accounts from the origin: origin -> accounts[1] -> ... ->
                               origin */
    char currency[4];
    size_t rounds;          /* disjoint rounds: one transfer per hop, in time order, the
                               whole round within cycle_window */
    int64_t amount;         /* money that went round: per round its smallest transfer, summed */
    int64_t first, last;
    size_t n_txns;
    uint32_t *txns;
} fin_cycle;

typedef struct fin_cycles {
    size_t count;
    fin_cycle *items;       /* by amount (largest first), then length, then accounts */
    bool truncated;         /* cycle_max reached, or the search budget spent */
} fin_cycles;

iom_err fin_cycles_get(const fin_txn *t, size_t n, size_t n_accounts, const fin_settings *s,
                       iom_arena *a, fin_cycles *out, iom_error *e);

/* ---- fan-in and fan-out ---- */

typedef enum fin_direction { FIN_IN = 0, FIN_OUT = 1 } fin_direction;

typedef struct fin_fan {
    uint32_t account;
    fin_direction direction; /* FIN_IN: many senders to it; FIN_OUT: it to many receivers */
    char currency[4];
    size_t counterparties;   /* distinct, within the window */
    int64_t total;
    int64_t first, last;     /* the window's first and last transfer */
    size_t n_txns;
    uint32_t *txns;
} fin_fan;

typedef struct fin_fans {
    size_t count;
    fin_fan *items;          /* by counterparties (most first), then account, direction */
} fin_fans;

iom_err fin_fans_get(const fin_txn *t, size_t n, size_t n_accounts, const fin_settings *s,
                     iom_arena *a, fin_fans *out, iom_error *e);

/* ---- structuring ---- */

typedef struct fin_structuring {
    uint32_t account;
    fin_direction direction; /* FIN_OUT: it sent them; FIN_IN: it received them */
    size_t count;
    int64_t total;
    int64_t first, last;
    size_t n_txns;
    uint32_t *txns;
} fin_structuring;

typedef struct fin_structurings {
    size_t count;
    fin_structuring *items;  /* by count (most first), then account, direction */
} fin_structurings;

iom_err fin_structuring_get(const fin_txn *t, size_t n, size_t n_accounts,
                            const fin_settings *s, iom_arena *a, fin_structurings *out,
                            iom_error *e);

#endif
