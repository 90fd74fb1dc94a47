/* Money analysis: validation, flows, pass-through accounts, cycles, fans, structuring. */
#include "graph/finance.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph/finance_int.h"
#include "graph/input_int.h"
#include "util/timefmt.h"

#define HOUR 3600
#define DAY 86400

void fin_settings_default(fin_settings *s)
{
    memset(s, 0, sizeof *s);
    s->from = s->to = FIN_TIME_NONE;
    s->valid_from = FIN_TIME_MIN;
    s->valid_to = FIN_TIME_MAX;
    s->mule_window = 72 * HOUR;
    s->mule_passed_ratio = 0.8;
    s->mule_left_ratio = 0.1;
    s->mule_min_in = 100000;
    s->cycle_min_len = 2;
    s->cycle_max_len = 6;
    s->cycle_window = 30 * DAY;
    s->cycle_max = 1000;
    s->fan_min = 5;
    s->fan_window = 7 * DAY;
    memcpy(s->struct_currency, "GBP", 4);
    s->struct_threshold = 1000000;
    s->struct_band = 0.10;
    s->struct_min_count = 3;
    s->struct_window = 0;
}

static const fin_settings *use(const fin_settings *s, fin_settings *def)
{
    if (s)
        return s;
    fin_settings_default(def);
    return def;
}

static iom_err check_settings(const fin_settings *s, iom_error *e)
{
#define BAD(field, ...) iom_fail(e, IOM_EINVAL, "finance settings: " field ": " __VA_ARGS__)
    if (s->from != FIN_TIME_NONE && s->to != FIN_TIME_NONE && s->to < s->from)
        return BAD("to", "the period ends before it starts");
    if (s->valid_to <= s->valid_from)
        return BAD("valid_to", "must be after valid_from");
    if (s->mule_window <= 0)
        return BAD("mule_window", "%lld is not > 0", (long long)s->mule_window);
    if (!(s->mule_passed_ratio >= 0 && s->mule_passed_ratio <= 1))
        return BAD("mule_passed_ratio", "%g is not in [0, 1]", s->mule_passed_ratio);
    if (!(s->mule_left_ratio >= 0 && s->mule_left_ratio <= 1))
        return BAD("mule_left_ratio", "%g is not in [0, 1]", s->mule_left_ratio);
    if (s->mule_min_in < 0)
        return BAD("mule_min_in", "%lld is negative", (long long)s->mule_min_in);
    if (s->cycle_min_len < 2 || s->cycle_max_len > CYCLE_MAX_LEN || s->cycle_min_len > s->cycle_max_len)
        return BAD("cycle_min_len", "%u..%u is not within 2..%d", s->cycle_min_len, s->cycle_max_len,
                   CYCLE_MAX_LEN);
    if (s->cycle_window <= 0)
        return BAD("cycle_window", "%lld is not > 0", (long long)s->cycle_window);
    if (s->fan_min < 2)
        return BAD("fan_min", "%u is not >= 2", s->fan_min);
    if (s->fan_window <= 0)
        return BAD("fan_window", "%lld is not > 0", (long long)s->fan_window);
    if (!fin_currency_find(s->struct_currency))
        return BAD("struct_currency", "'%.3s' is not an ISO 4217 code", s->struct_currency);
    if (s->struct_threshold <= 0)
        return BAD("struct_threshold", "%lld is not > 0", (long long)s->struct_threshold);
    if (!(s->struct_band > 0 && s->struct_band < 1))
        return BAD("struct_band", "%g is not in (0, 1)", s->struct_band);
    if (s->struct_min_count < 1)
        return BAD("struct_min_count", "must be >= 1");
    if (s->struct_window < 0)
        return BAD("struct_window", "%lld is negative", (long long)s->struct_window);
    return IOM_OK;
#undef BAD
}

/* ---- input ---- */

static iom_err check_time(const fin_settings *s, const char *where, size_t i, int64_t t,
                          iom_error *e)
{
    return graph_i_check_time(t, s->valid_from, s->valid_to, where, i, "time", e);
}

static iom_err check_one(const fin_txn *x, size_t i, size_t n_accounts, const fin_settings *s,
                         iom_error *e)
{
    const char *w = "transaction";
    if (x->amount <= 0)
        return iom_fail(e, IOM_EINVAL, "%s %zu: amount: %lld is not a positive amount", w, i,
                        (long long)x->amount);
    if (x->amount > FIN_AMOUNT_MAX)
        return iom_fail(e, IOM_EINVAL, "%s %zu: amount: %lld is more than %lld", w, i,
                        (long long)x->amount, FIN_AMOUNT_MAX);
    if (memchr(x->currency, '\0', sizeof x->currency) == NULL || !fin_currency_find(x->currency))
        return iom_fail(e, IOM_EINVAL, "%s %zu: currency: '%.3s' is not an ISO 4217 code", w, i,
                        x->currency);
    if (x->from >= n_accounts)
        return iom_fail(e, IOM_EINVAL, "%s %zu: from: account %u is out of range (%zu accounts)", w,
                        i, x->from, n_accounts);
    if (x->to >= n_accounts)
        return iom_fail(e, IOM_EINVAL, "%s %zu: to: account %u is out of range (%zu accounts)", w,
                        i, x->to, n_accounts);
    if (x->from == x->to)
        return iom_fail(e, IOM_EINVAL, "%s %zu: to: the same account as from (%u)", w, i, x->to);
    return check_time(s, w, i, x->time, e);
}

iom_err fin_check(const fin_txn *t, size_t n, size_t n_accounts, const fin_settings *s,
                  iom_error *e)
{
    fin_settings def;
    s = use(s, &def);
    iom_err rc = check_settings(s, e);
    if (rc)
        return rc;
    if ((rc = graph_i_check_count(n, t, "finance", "transactions", e)))
        return rc;
    for (size_t i = 0; i < n; i++)
        if ((rc = check_one(&t[i], i, n_accounts, s, e)))
            return rc;
    return IOM_OK;
}

/* "1234", "1234.5", "1234.56" in major units -> minor units of a currency with `minor`
 * decimals. */
static iom_err parse_amount(const char *text, const fin_currency *cur, size_t row, int64_t *out,
                            iom_error *e)
{
    char buf[64];
    if (!graph_i_trimmed(text, buf, sizeof buf))
        return iom_fail(e, IOM_EINVAL, "row %zu: amount: '%.40s...' is not a number", row, text);
    const char *p = buf;
    int64_t v = 0;
    int digits = 0, decimals = -1;
    for (; *p; p++) {
        if (*p == '.' && decimals < 0 && digits > 0) {
            decimals = 0;
            continue;
        }
        if (*p < '0' || *p > '9')
            break;
        if (v > (INT64_MAX - 9) / 10)
            return iom_fail(e, IOM_EINVAL, "row %zu: amount: '%s' is too large", row, buf);
        v = v * 10 + (*p - '0');
        digits++;
        if (decimals >= 0)
            decimals++;
    }
    if (*p || digits == 0 || decimals == 0) {
        if (buf[0] == '-' && buf[1] >= '0' && buf[1] <= '9')
            return iom_fail(e, IOM_EINVAL, "row %zu: amount: '%s' is not a positive amount "
                            "(the direction is from -> to)", row, buf);
        return iom_fail(e, IOM_EINVAL, "row %zu: amount: '%s' is not a number", row, buf);
    }
    if (decimals < 0)
        decimals = 0;
    if (decimals > cur->minor)
        return iom_fail(e, IOM_EINVAL, "row %zu: amount: '%s' has more than %u decimal places "
                        "for %s", row, buf, cur->minor, cur->code);
    for (int d = decimals; d < cur->minor; d++) {
        if (v > INT64_MAX / 10)
            return iom_fail(e, IOM_EINVAL, "row %zu: amount: '%s' is too large", row, buf);
        v *= 10;
    }
    if (v <= 0)
        return iom_fail(e, IOM_EINVAL, "row %zu: amount: '%s' is not a positive amount", row, buf);
    if (v > FIN_AMOUNT_MAX)
        return iom_fail(e, IOM_EINVAL, "row %zu: amount: '%s' is too large", row, buf);
    *out = v;
    return IOM_OK;
}

iom_err fin_parse_row(const fin_row_text *r, size_t row, const fin_settings *s, fin_txn *out,
                      iom_error *e)
{
    fin_settings def;
    s = use(s, &def);
    char code[8];
    if (!graph_i_trimmed(r->currency, code, sizeof code) || strlen(code) != 3)
        return iom_fail(e, IOM_EINVAL, "row %zu: currency: '%.16s' is not an ISO 4217 code", row,
                        r->currency ? r->currency : "");
    for (int i = 0; i < 3; i++)
        code[i] = (char)toupper((unsigned char)code[i]);
    const fin_currency *cur = fin_currency_find(code);
    if (!cur)
        return iom_fail(e, IOM_EINVAL, "row %zu: currency: '%s' is not an ISO 4217 code", row, code);
    fin_txn x;
    memset(&x, 0, sizeof x);
    memcpy(x.currency, cur->code, 4);
    iom_err rc = parse_amount(r->amount, cur, row, &x.amount, e);
    if (rc)
        return rc;
    char tb[40], field[32];
    snprintf(field, sizeof field, "row %zu: time", row);
    if (!graph_i_trimmed(r->time, tb, sizeof tb))
        return iom_fail(e, IOM_EINVAL, "%s: '%.32s...' is not a UTC time", field, r->time);
    if ((rc = iom_time_parse(field, tb, &x.time, e)))
        return rc;
    if ((rc = check_time(s, "row", row, x.time, e)))
        return rc;
    if (r->from == r->to)
        return iom_fail(e, IOM_EINVAL, "row %zu: to: the same account as from (%u)", row, r->to);
    x.from = r->from;
    x.to = r->to;
    x.reference = r->reference;
    *out = x;
    return IOM_OK;
}

/* ---- shared helpers (finance_int.h) ---- */

/* Evidence: indices sorted by (time, index), copied into the arena. qsort has no context
 * argument in C17, so the comparator reads the transactions from a thread-local pointer. */
static _Thread_local const fin_txn *tl_txns;

static int idx_cmp_tl(const void *pa, const void *pb)
{
    uint32_t x = *(const uint32_t *)pa, y = *(const uint32_t *)pb;
    int64_t tx = tl_txns[x].time, ty = tl_txns[y].time;
    if (tx != ty)
        return tx < ty ? -1 : 1;
    return x < y ? -1 : x > y;
}

uint32_t *fin_i_evidence(iom_arena *a, const fin_txn *t, const uint32_t *idx, size_t n)
{
    uint32_t *out = iom_arena_new(a, uint32_t, n ? n : 1);
    memcpy(out, idx, n * sizeof *out);
    tl_txns = t;
    qsort(out, n, sizeof *out, idx_cmp_tl);
    return out;
}

void fin_i_span(iom_arena *a, const fin_txn *t, const fin_ev *ev, size_t lo, size_t hi,
                uint32_t *idx, int64_t *total, int64_t *first, int64_t *last, size_t *n,
                uint32_t **txns)
{
    *total = 0;
    for (size_t p = lo; p <= hi; p++) {
        idx[p - lo] = ev[p].idx;
        *total = fin_i_sat_add(*total, t[ev[p].idx].amount);
    }
    *first = ev[lo].time;
    *last = ev[hi].time;
    *n = hi - lo + 1;
    *txns = fin_i_evidence(a, t, idx, *n);
}

int fin_i_ev_cmp(const void *pa, const void *pb)
{
    const fin_ev *x = pa, *y = pb;
    if (x->a != y->a)
        return x->a < y->a ? -1 : 1;
    if (x->b != y->b)
        return x->b < y->b ? -1 : 1;
    if (x->c != y->c)
        return x->c < y->c ? -1 : 1;
    if (x->time != y->time)
        return x->time < y->time ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

iom_err fin_i_begin(const fin_txn *t, size_t n, size_t n_accounts, const fin_settings **s,
                    fin_settings *def, iom_error *e)
{
    *s = use(*s, def);
    return fin_check(t, n, n_accounts, *s, e);
}

/* ---- flows ---- */

static int flow_cmp(const void *pa, const void *pb)
{
    const fin_flow *x = pa, *y = pb;
    int c = strcmp(x->currency, y->currency);
    if (c)
        return c;
    if (x->total != y->total)
        return x->total > y->total ? -1 : 1;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    return x->to < y->to ? -1 : x->to > y->to;
}

iom_err fin_flows_get(const fin_txn *t, size_t n, size_t n_accounts, const uint32_t *entity_of,
                      size_t n_entities, const fin_settings *s, iom_arena *a, fin_flows *out,
                      iom_error *e)
{
    fin_settings def;
    iom_err rc = fin_i_begin(t, n, n_accounts, &s, &def, e);
    if (rc)
        return rc;
    for (size_t i = 0; entity_of && i < n_accounts; i++)
        if (entity_of[i] >= n_entities)
            return iom_fail(e, IOM_EINVAL, "finance flows: entity_of[%zu]: %u is out of range "
                            "(%zu entities)", i, entity_of[i], n_entities);
    fin_ev *ev = malloc((n ? n : 1) * sizeof *ev);
    uint32_t *idx = malloc((n ? n : 1) * sizeof *idx);
    if (!ev || !idx) {
        free(ev);
        free(idx);
        return NOMEM(e);
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!fin_i_in_period(s, t[i].time))
            continue;
        uint32_t f = entity_of ? entity_of[t[i].from] : t[i].from;
        uint32_t to = entity_of ? entity_of[t[i].to] : t[i].to;
        ev[k++] = (fin_ev){f, to, fin_i_cur_key(t[i].currency), (uint32_t)i, t[i].time};
    }
    qsort(ev, k, sizeof *ev, fin_i_ev_cmp);
    size_t groups = 0;
    for (size_t i = 0; i < k; i++)
        groups += i == 0 || ev[i].a != ev[i - 1].a || ev[i].b != ev[i - 1].b || ev[i].c != ev[i - 1].c;
    fin_flow *items = iom_arena_new(a, fin_flow, groups ? groups : 1);
    size_t g = 0;
    for (size_t i = 0, j; i < k; i = j) {
        fin_flow *f = &items[g++];
        f->from = ev[i].a;
        f->to = ev[i].b;
        fin_i_cur_text(ev[i].c, f->currency);
        for (j = i; j < k && ev[j].a == ev[i].a && ev[j].b == ev[i].b && ev[j].c == ev[i].c; j++)
            ;
        fin_i_span(a, t, ev, i, j - 1, idx, &f->total, &f->first, &f->last, &f->n_txns, &f->txns);
    }
    if (g) /* qsort's array may be NULL only when empty: not passed then */
        qsort(items, g, sizeof *items, flow_cmp);
    out->count = g;
    out->items = items;
    free(ev);
    free(idx);
    return IOM_OK;
}

/* ---- pass-through (mule) accounts ---- */

typedef struct credit {
    uint32_t idx;
    int64_t time, left;
    bool matched;
} credit;

static int mule_cmp(const void *pa, const void *pb)
{
    const fin_mule *x = pa, *y = pb;
    if (x->passed != y->passed)
        return x->passed > y->passed ? -1 : 1;
    if (x->account != y->account)
        return x->account < y->account ? -1 : 1;
    return strcmp(x->currency, y->currency);
}

/* One account in one currency: events sorted by time, credits before debits at one time. */
static bool mule_group(const fin_txn *t, const fin_ev *ev, size_t cnt, const fin_settings *s,
                       credit *cr, uint32_t *ev_idx, uint32_t *seen_in, uint32_t *seen_out,
                       uint32_t stamp, iom_arena *a, fin_mule *m)
{
    size_t head = 0, tail = 0, nev = 0;
    double dwell = 0;
    memset(m, 0, sizeof *m);
    for (size_t i = 0; i < cnt; i++) {
        const fin_txn *x = &t[ev[i].idx];
        int64_t now = x->time;
        if ((ev[i].time & 1) == 0) { /* in (time * 2 + kind, see fin_mules_get) */
            m->in = fin_i_sat_add(m->in, x->amount);
            cr[tail++] = (credit){ev[i].idx, now, x->amount, false};
            if (seen_in[x->from] != stamp) {
                seen_in[x->from] = stamp;
                m->senders++;
            }
            continue;
        }
        m->out = fin_i_sat_add(m->out, x->amount);
        if (seen_out[x->to] != stamp) {
            seen_out[x->to] = stamp;
            m->receivers++;
        }
        int64_t need = x->amount;
        bool used = false;
        while (head < tail && (cr[head].left == 0 || cr[head].time < now - s->mule_window))
            head++; /* spent, or stayed longer than the window: no longer passes through */
        for (size_t j = head; need > 0 && j < tail; j++) {
            int64_t take = cr[j].left < need ? cr[j].left : need;
            if (take == 0)
                continue;
            cr[j].left -= take;
            need -= take;
            m->passed = fin_i_sat_add(m->passed, take);
            dwell += (double)take * (double)(now - cr[j].time);
            if (!cr[j].matched) {
                cr[j].matched = true;
                ev_idx[nev++] = cr[j].idx;
            }
            used = true;
        }
        if (used)
            ev_idx[nev++] = ev[i].idx;
    }
    if (m->in <= 0 || m->in < s->mule_min_in)
        return false;
    m->left = m->in > m->out ? m->in - m->out : 0;
    m->passed_ratio = (double)m->passed / (double)m->in;
    if (m->passed_ratio < s->mule_passed_ratio ||
        (double)m->left > s->mule_left_ratio * (double)m->in)
        return false;
    m->mean_dwell = m->passed ? dwell / (double)m->passed : 0;
    m->n_txns = nev;
    m->txns = fin_i_evidence(a, t, ev_idx, nev);
    return true;
}

iom_err fin_mules_get(const fin_txn *t, size_t n, size_t n_accounts, const fin_settings *s,
                      iom_arena *a, fin_mules *out, iom_error *e)
{
    fin_settings def;
    iom_err rc = fin_i_begin(t, n, n_accounts, &s, &def, e);
    if (rc)
        return rc;
    /* two events per transfer: (receiver, currency, in) and (sender, currency, out) */
    fin_ev *ev = malloc((2 * n + 1) * sizeof *ev);
    credit *cr = malloc((2 * n + 1) * sizeof *cr);
    uint32_t *ev_idx = malloc((2 * n + 1) * sizeof *ev_idx);
    uint32_t *seen_in = calloc(n_accounts + 1, sizeof *seen_in);
    uint32_t *seen_out = calloc(n_accounts + 1, sizeof *seen_out);
    if (!ev || !cr || !ev_idx || !seen_in || !seen_out) {
        rc = NOMEM(e);
        goto done;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!fin_i_in_period(s, t[i].time))
            continue;
        /* sorted by (account, currency, time, kind): the kind (0 in, 1 out) rides in the low
           bit of a doubled time, so money in at one second is there before money out */
        uint32_t c = fin_i_cur_key(t[i].currency);
        ev[k++] = (fin_ev){t[i].to, c, 0, (uint32_t)i, t[i].time * 2};
        ev[k++] = (fin_ev){t[i].from, c, 0, (uint32_t)i, t[i].time * 2 + 1};
    }
    qsort(ev, k, sizeof *ev, fin_i_ev_cmp);
    size_t cap = 16, cnt = 0;
    fin_mule *items = iom_arena_new(a, fin_mule, cap);
    uint32_t stamp = 0;
    for (size_t i = 0, j; i < k; i = j) {
        for (j = i; j < k && ev[j].a == ev[i].a && ev[j].b == ev[i].b; j++)
            ;
        fin_mule m;
        if (mule_group(t, ev + i, j - i, s, cr, ev_idx, seen_in, seen_out, ++stamp, a, &m)) {
            m.account = ev[i].a;
            fin_i_cur_text(ev[i].b, m.currency);
            if (cnt == cap) {
                fin_mule *bigger = iom_arena_new(a, fin_mule, cap * 2);
                memcpy(bigger, items, cnt * sizeof *items);
                items = bigger;
                cap *= 2;
            }
            items[cnt++] = m;
        }
    }
    if (cnt) /* qsort's array may be NULL only when empty: not passed then */
        qsort(items, cnt, sizeof *items, mule_cmp);
    out->count = cnt;
    out->items = items;
done:
    free(ev);
    free(cr);
    free(ev_idx);
    free(seen_in);
    free(seen_out);
    return rc;
}
