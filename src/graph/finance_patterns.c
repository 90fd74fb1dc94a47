/* Money patterns: cycles (money that went round), fan-in / fan-out, structuring. */
#include <stdlib.h>
#include <string.h>

#include "graph/finance_int.h"

#define CYCLE_STEP_BUDGET 50000000ULL /* edge visits before the cycle search gives up */

/* Growable array of findings in the arena (old copies stay there until it is freed). */
#define PUSH(a, items, cnt, cap, type, value)                                                   \
    do {                                                                                       \
        if ((cnt) == (cap)) {                                                                  \
            type *bigger_ = iom_arena_new((a), type, (cap) ? 2 * (cap) : 16);                  \
            if (cnt)                                                                           \
                memcpy(bigger_, (items), (cnt) * sizeof(type));                                \
            (items) = bigger_;                                                                 \
            (cap) = (cap) ? 2 * (cap) : 16;                                                    \
        }                                                                                      \
        (items)[(cnt)++] = (value);                                                            \
    } while (0)

/* ---- cycles ---- */

/* One currency's transfers, sorted by (from, to, time), grouped into edges. */
typedef struct cyc_edge {
    uint32_t from, to;
    size_t lo, hi;  /* its transfers: ev[lo .. hi) */
} cyc_edge;

typedef struct cyc_ctx {
    const fin_txn *t;
    const fin_settings *s;
    const fin_ev *ev;         /* this currency's transfers (a from, b to, sorted by time) */
    const cyc_edge *edges;
    size_t nedges;
    uint8_t *used;            /* per ev position, during one rotation's evaluation */
    size_t *marked;
    size_t nmarked;
    uint32_t path[CYCLE_MAX_LEN];
    size_t epath[CYCLE_MAX_LEN];
    uint64_t steps;
    bool stop;
    uint32_t *chain_idx;      /* evidence of the best rotation */
    iom_arena *a;
    fin_cycle *items;
    size_t count, cap;
    uint32_t currency;
} cyc_ctx;

/* First edge leaving account x (edges sorted by from), or nedges. */
static size_t first_edge(const cyc_ctx *c, uint32_t x)
{
    size_t lo = 0, hi = c->nedges;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c->edges[mid].from < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Earliest unused transfer of edge e at or after `after`, not later than `limit`; or SIZE_MAX. */
static size_t next_transfer(const cyc_ctx *c, const cyc_edge *e, int64_t after, int64_t limit)
{
    size_t lo = e->lo, hi = e->hi;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c->ev[mid].time < after)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < e->hi && c->ev[i].time <= limit; i++)
        if (!c->used[i])
            return i;
    return SIZE_MAX;
}

/* Greedy disjoint rounds of the cycle read from position r: each round takes the earliest
 * unused transfer on the first hop, then on every next hop the earliest unused transfer at or
 * after the previous one, all within cycle_window of the first. */
static void rounds(cyc_ctx *c, size_t k, size_t r, size_t *nrounds, int64_t *amount,
                   uint32_t *evidence, size_t *nev)
{
    *nrounds = 0;
    *amount = 0;
    if (nev)
        *nev = 0;
    const cyc_edge *first = &c->edges[c->epath[r]];
    size_t pos[CYCLE_MAX_LEN];
    for (size_t i = first->lo; i < first->hi; i++) {
        if (c->used[i])
            continue;
        int64_t t0 = c->ev[i].time, limit = t0 + c->s->cycle_window, at = t0;
        int64_t smallest = c->t[c->ev[i].idx].amount;
        pos[0] = i;
        size_t h;
        for (h = 1; h < k; h++) {
            const cyc_edge *e = &c->edges[c->epath[(r + h) % k]];
            size_t p = next_transfer(c, e, at, limit);
            if (p == SIZE_MAX)
                break;
            pos[h] = p;
            at = c->ev[p].time;
            if (c->t[c->ev[p].idx].amount < smallest)
                smallest = c->t[c->ev[p].idx].amount;
        }
        if (h < k)
            continue;
        for (h = 0; h < k; h++) {
            c->used[pos[h]] = 1;
            c->marked[c->nmarked++] = pos[h];
            if (nev)
                evidence[(*nev)++] = c->ev[pos[h]].idx;
        }
        (*nrounds)++;
        *amount = fin_i_sat_add(*amount, smallest);
    }
    for (size_t i = 0; i < c->nmarked; i++)
        c->used[c->marked[i]] = 0;
    c->nmarked = 0;
}

static void found(cyc_ctx *c, size_t k)
{
    size_t best_r = 0, best_rounds = 0;
    int64_t best_amount = 0;
    for (size_t r = 0; r < k; r++) {
        size_t nr;
        int64_t amount;
        rounds(c, k, r, &nr, &amount, NULL, NULL);
        if (amount > best_amount || (amount == best_amount && nr > best_rounds)) {
            best_amount = amount;
            best_rounds = nr;
            best_r = r;
        }
    }
    if (best_rounds == 0)
        return;
    if (c->count >= c->s->cycle_max) {
        c->stop = true;
        return;
    }
    fin_cycle cy;
    memset(&cy, 0, sizeof cy);
    size_t nev;
    rounds(c, k, best_r, &cy.rounds, &cy.amount, c->chain_idx, &nev);
    cy.len = k;
    cy.accounts = iom_arena_new(c->a, uint32_t, k);
    for (size_t h = 0; h < k; h++)
        cy.accounts[h] = c->path[(best_r + h) % k];
    fin_i_cur_text(c->currency, cy.currency);
    cy.n_txns = nev;
    cy.txns = fin_i_evidence(c->a, c->t, c->chain_idx, nev);
    cy.first = c->t[cy.txns[0]].time;
    cy.last = c->t[cy.txns[nev - 1]].time;
    PUSH(c->a, c->items, c->count, c->cap, fin_cycle, cy);
}

/* Simple cycles through path[0] whose other accounts are all larger than it (so each cycle
 * is found once, from its smallest account). */
static void search(cyc_ctx *c, size_t depth)
{
    uint32_t x = c->path[depth - 1], s0 = c->path[0];
    for (size_t e = first_edge(c, x); e < c->nedges && c->edges[e].from == x && !c->stop; e++) {
        if (++c->steps > CYCLE_STEP_BUDGET) {
            c->stop = true;
            return;
        }
        uint32_t y = c->edges[e].to;
        c->epath[depth - 1] = e;
        if (y == s0) {
            if (depth >= c->s->cycle_min_len)
                found(c, depth);
            continue;
        }
        if (y < s0 || depth >= c->s->cycle_max_len)
            continue;
        bool on = false;
        for (size_t i = 1; i < depth && !on; i++)
            on = c->path[i] == y;
        if (on)
            continue;
        c->path[depth] = y;
        search(c, depth + 1);
    }
}

static int cycle_cmp(const void *pa, const void *pb)
{
    const fin_cycle *x = pa, *y = pb;
    if (x->amount != y->amount)
        return x->amount > y->amount ? -1 : 1;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    int c = strcmp(x->currency, y->currency);
    if (c)
        return c;
    for (size_t i = 0; i < x->len; i++)
        if (x->accounts[i] != y->accounts[i])
            return x->accounts[i] < y->accounts[i] ? -1 : 1;
    return 0;
}

iom_err fin_cycles_get(const fin_txn *t, size_t n, size_t n_accounts, const fin_settings *s,
                       iom_arena *a, fin_cycles *out, iom_error *e)
{
    fin_settings def;
    iom_err rc = fin_i_begin(t, n, n_accounts, &s, &def, e);
    if (rc)
        return rc;
    /* (currency, from, to, time) */
    fin_ev *ev = malloc((n ? n : 1) * sizeof *ev);
    cyc_edge *edges = malloc((n ? n : 1) * sizeof *edges);
    uint8_t *used = calloc(n ? n : 1, 1);
    size_t *marked = malloc((n ? n : 1) * sizeof *marked);
    uint32_t *chain = malloc((n ? n : 1) * sizeof *chain);
    if (!ev || !edges || !used || !marked || !chain) {
        rc = NOMEM(e);
        goto done;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (fin_i_in_period(s, t[i].time))
            ev[k++] = (fin_ev){fin_i_cur_key(t[i].currency), t[i].from, t[i].to, (uint32_t)i,
                               t[i].time};
    qsort(ev, k, sizeof *ev, fin_i_ev_cmp);
    cyc_ctx c = {.t = t, .s = s, .used = used, .marked = marked, .chain_idx = chain, .a = a};
    for (size_t i = 0, j; i < k && !c.stop; i = j) {
        for (j = i; j < k && ev[j].a == ev[i].a; j++)
            ;
        /* this currency: edges over ev[i .. j); positions stay global (used, marked) */
        size_t ne = 0;
        for (size_t p = i; p < j; p++) {
            if (p == i || ev[p].b != ev[p - 1].b || ev[p].c != ev[p - 1].c)
                edges[ne++] = (cyc_edge){ev[p].b, ev[p].c, p, p};
            edges[ne - 1].hi = p + 1;
        }
        c.ev = ev;
        c.edges = edges;
        c.nedges = ne;
        c.currency = ev[i].a;
        for (size_t x = 0; x < ne && !c.stop; x++) {
            if (x && edges[x].from == edges[x - 1].from)
                continue;
            c.path[0] = edges[x].from;
            search(&c, 1);
        }
    }
    if (c.count) /* qsort's array may be NULL only when empty: not passed then */
        qsort(c.items, c.count, sizeof *c.items, cycle_cmp);
    out->count = c.count;
    out->items = c.items;
    out->truncated = c.stop;
done:
    free(ev);
    free(edges);
    free(used);
    free(marked);
    free(chain);
    return rc;
}

/* ---- windows over time (fans, structuring) ---- */

/* The account on the other side of ev's transfer: its sender for money in, else its receiver. */
static uint32_t counterparty(const fin_txn *t, const fin_ev *ev, bool in)
{
    return in ? t[ev->idx].from : t[ev->idx].to;
}

/* The window of ev[lo .. hi) (one group, in time order) spanning at most `window` seconds
 * that holds the most: distinct counterparties when `seen` is given (n_accounts counters,
 * zero, left zero; `in` says which side is the counterparty), else transfers. The earliest
 * such window, ev[*bl .. *br]; returns what it holds. */
static size_t best_window(const fin_txn *t, const fin_ev *ev, size_t lo, size_t hi,
                          int64_t window, uint32_t *seen, bool in, size_t *bl, size_t *br)
{
    size_t l = lo, held = 0, best = 0;
    *bl = *br = lo;
    for (size_t r = lo; r < hi; r++) {
        if (!seen || seen[counterparty(t, &ev[r], in)]++ == 0)
            held++;
        while (ev[r].time - ev[l].time > window) {
            if (!seen || --seen[counterparty(t, &ev[l], in)] == 0)
                held--;
            l++;
        }
        if (held > best) {
            best = held;
            *bl = l;
            *br = r;
        }
    }
    for (size_t p = l; seen && p < hi; p++) /* clear what the window still holds */
        seen[counterparty(t, &ev[p], in)] = 0;
    return best;
}

/* ---- fan-in and fan-out ---- */

static int fan_cmp(const void *pa, const void *pb)
{
    const fin_fan *x = pa, *y = pb;
    if (x->counterparties != y->counterparties)
        return x->counterparties > y->counterparties ? -1 : 1;
    if (x->account != y->account)
        return x->account < y->account ? -1 : 1;
    if (x->direction != y->direction)
        return x->direction < y->direction ? -1 : 1;
    return strcmp(x->currency, y->currency);
}

iom_err fin_fans_get(const fin_txn *t, size_t n, size_t n_accounts, const fin_settings *s,
                     iom_arena *a, fin_fans *out, iom_error *e)
{
    fin_settings def;
    iom_err rc = fin_i_begin(t, n, n_accounts, &s, &def, e);
    if (rc)
        return rc;
    /* events (account, direction, currency, time): each transfer is the receiver's in and
       the sender's out */
    fin_ev *ev = malloc((2 * n + 1) * sizeof *ev);
    uint32_t *inwin = calloc(n_accounts + 1, sizeof *inwin), *idx = malloc((n + 1) * sizeof *idx);
    if (!ev || !inwin || !idx) {
        rc = NOMEM(e);
        goto done;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!fin_i_in_period(s, t[i].time))
            continue;
        uint32_t c = fin_i_cur_key(t[i].currency);
        ev[k++] = (fin_ev){t[i].to, FIN_IN, c, (uint32_t)i, t[i].time};
        ev[k++] = (fin_ev){t[i].from, FIN_OUT, c, (uint32_t)i, t[i].time};
    }
    qsort(ev, k, sizeof *ev, fin_i_ev_cmp);
    fin_fan *items = NULL;
    size_t cnt = 0, cap = 0;
    for (size_t i = 0, j; i < k; i = j) {
        for (j = i; j < k && ev[j].a == ev[i].a && ev[j].b == ev[i].b && ev[j].c == ev[i].c; j++)
            ;
        bool in = ev[i].b == FIN_IN;
        size_t bl, br; /* the window holding the most distinct counterparties */
        size_t best = best_window(t, ev, i, j, s->fan_window, inwin, in, &bl, &br);
        if (best < s->fan_min)
            continue;
        fin_fan f;
        memset(&f, 0, sizeof f);
        f.account = ev[i].a;
        f.direction = in ? FIN_IN : FIN_OUT;
        fin_i_cur_text(ev[i].c, f.currency);
        f.counterparties = best;
        fin_i_span(a, t, ev, bl, br, idx, &f.total, &f.first, &f.last, &f.n_txns, &f.txns);
        PUSH(a, items, cnt, cap, fin_fan, f);
    }
    if (cnt) /* qsort's array may be NULL only when empty: not passed then */
        qsort(items, cnt, sizeof *items, fan_cmp);
    out->count = cnt;
    out->items = items;
done:
    free(ev);
    free(inwin);
    free(idx);
    return rc;
}

/* ---- structuring ---- */

static int struct_cmp(const void *pa, const void *pb)
{
    const fin_structuring *x = pa, *y = pb;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    if (x->account != y->account)
        return x->account < y->account ? -1 : 1;
    return x->direction < y->direction ? -1 : x->direction > y->direction;
}

iom_err fin_structuring_get(const fin_txn *t, size_t n, size_t n_accounts,
                            const fin_settings *s, iom_arena *a, fin_structurings *out,
                            iom_error *e)
{
    fin_settings def;
    iom_err rc = fin_i_begin(t, n, n_accounts, &s, &def, e);
    if (rc)
        return rc;
    /* the band: [threshold - threshold x band, threshold), rounded inwards to whole minor units */
    int64_t hi = s->struct_threshold;
    int64_t lo = hi - (int64_t)((double)hi * s->struct_band);
    fin_ev *ev = malloc((2 * n + 1) * sizeof *ev);
    uint32_t *idx = malloc((n + 1) * sizeof *idx);
    if (!ev || !idx) {
        free(ev);
        free(idx);
        return NOMEM(e);
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!fin_i_in_period(s, t[i].time) || strcmp(t[i].currency, s->struct_currency) != 0 ||
            t[i].amount < lo || t[i].amount >= hi)
            continue;
        ev[k++] = (fin_ev){t[i].from, FIN_OUT, 0, (uint32_t)i, t[i].time};
        ev[k++] = (fin_ev){t[i].to, FIN_IN, 0, (uint32_t)i, t[i].time};
    }
    qsort(ev, k, sizeof *ev, fin_i_ev_cmp);
    fin_structuring *items = NULL;
    size_t cnt = 0, cap = 0;
    for (size_t i = 0, j; i < k; i = j) {
        for (j = i; j < k && ev[j].a == ev[i].a && ev[j].b == ev[i].b; j++)
            ;
        size_t bl = i, br = j - 1;
        if (s->struct_window > 0) /* the window holding the most */
            best_window(t, ev, i, j, s->struct_window, NULL, false, &bl, &br);
        size_t count = br - bl + 1;
        if (count < s->struct_min_count)
            continue;
        fin_structuring f;
        memset(&f, 0, sizeof f);
        f.account = ev[i].a;
        f.direction = (fin_direction)ev[i].b;
        f.count = count;
        fin_i_span(a, t, ev, bl, br, idx, &f.total, &f.first, &f.last, &f.n_txns, &f.txns);
        PUSH(a, items, cnt, cap, fin_structuring, f);
    }
    if (cnt) /* qsort's array may be NULL only when empty: not passed then */
        qsort(items, cnt, sizeof *items, struct_cmp);
    out->count = cnt;
    out->items = items;
    free(ev);
    free(idx);
    return IOM_OK;
}
