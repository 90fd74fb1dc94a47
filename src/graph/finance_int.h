/* finance_int.h: helpers shared by finance.c and finance_patterns.c only. */
#ifndef IOM_GRAPH_FINANCE_INT_H
#define IOM_GRAPH_FINANCE_INT_H

#include "graph/finance.h"

#define CYCLE_MAX_LEN 12 /* longest cycle_max_len accepted */
#define NOMEM(e) iom_fail((e), IOM_ENOMEM, "finance: out of memory")

/* A currency code as one comparable number, and back. */
/* a + b, held at INT64_MAX (review 83 M1: 10,000 amounts of 10^15 pence summed past it and a
   flow's total came out negative; amounts are never negative, FIN_AMOUNT_MAX at most, so a
   sum that reaches INT64_MAX is shown as that, the most there is). */
static inline int64_t fin_i_sat_add(int64_t a, int64_t b)
{
    int64_t r;
    return __builtin_add_overflow(a, b, &r) ? (b > 0 ? INT64_MAX : INT64_MIN) : r;
}

static inline uint32_t fin_i_cur_key(const char c[4])
{
    return (uint32_t)(unsigned char)c[0] << 16 | (uint32_t)(unsigned char)c[1] << 8 |
           (unsigned char)c[2];
}

static inline void fin_i_cur_text(uint32_t k, char out[4])
{
    out[0] = (char)(k >> 16);
    out[1] = (char)(k >> 8);
    out[2] = (char)k;
    out[3] = '\0';
}

static inline bool fin_i_in_period(const fin_settings *s, int64_t t)
{
    return (s->from == FIN_TIME_NONE || t >= s->from) && (s->to == FIN_TIME_NONE || t <= s->to);
}

/* A sortable event, ordered by (a, b, c, time, idx) by fin_i_ev_cmp. */
typedef struct fin_ev {
    uint32_t a, b, c;
    uint32_t idx;
    int64_t time;
} fin_ev;

int fin_i_ev_cmp(const void *pa, const void *pb);

/* Evidence: the indices sorted by (time, index), copied into the arena. */
uint32_t *fin_i_evidence(iom_arena *a, const fin_txn *t, const uint32_t *idx, size_t n);

/* A finding's evidence, the transfers ev[lo .. hi] (inclusive, in time order): OUT *total
 * their amounts summed, *first and *last ev[lo].time and ev[hi].time, *n hi - lo + 1, *txns
 * their indices by (time, index) in the arena (fin_i_evidence). idx: scratch of at least
 * hi - lo + 1 entries. */
void fin_i_span(iom_arena *a, const fin_txn *t, const fin_ev *ev, size_t lo, size_t hi,
                uint32_t *idx, int64_t *total, int64_t *first, int64_t *last, size_t *n,
                uint32_t **txns);

/* Settings (defaults when *s is NULL, kept in *def) and validation of every transaction. */
iom_err fin_i_begin(const fin_txn *t, size_t n, size_t n_accounts, const fin_settings **s,
                    fin_settings *def, iom_error *e);

#endif
