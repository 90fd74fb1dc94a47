/*
 * Money analysis (graph/finance.h) on one hand-built statement with known pass-through
 * (mule) accounts, cycles, fans and structuring, and decoys beside each that must not be
 * flagged; then the settings that change the answers, flows, and bad input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "graph/finance.h"

#define T0 1772409600LL /* 2026-03-02T00:00:00Z, a Monday */
#define DAY 86400LL
#define HOUR 3600LL
#define NACC 200

static fin_txn tx[200];
static size_t ntx;
static iom_arena arena;
static iom_error err;

static uint32_t add(double day, uint32_t from, uint32_t to, int64_t pence, const char *cur)
{
    fin_txn *x = &tx[ntx];
    x->time = T0 + (int64_t)(day * DAY);
    x->from = from;
    x->to = to;
    x->amount = pence;
    memcpy(x->currency, cur, 4);
    return (uint32_t)ntx++;
}

#define GBP(p) ((int64_t)(p) * 100)

/* named transactions */
static uint32_t m1_in, m1_out1, m1_out2, m2_in1, m2_in2, m2_out, c1[3], c2[2], f1[6], f2[5],
    s1[3], s2[3];

static void build(void)
{
    ntx = 0;
    /* mule M1 (10): 5,000 in, out 4,800 after 25 h and 150 after 47 h: 1% left */
    m1_in = add(1 + 9.0 / 24, 1, 10, GBP(5000), "GBP");
    m1_out1 = add(2 + 10.0 / 24, 10, 11, GBP(4800), "GBP");
    m1_out2 = add(3 + 8.0 / 24, 10, 12, GBP(150), "GBP");
    /* mule M2 (13): two payments in, one out the next day */
    m2_in1 = add(5, 2, 13, GBP(2000), "GBP");
    m2_in2 = add(5.2, 3, 13, GBP(3000), "GBP");
    m2_out = add(6, 13, 14, GBP(4900), "GBP");
    /* decoy D1 (20): salary in, 500 out at once, the rest after 9 days: passed 17% */
    add(1, 4, 20, GBP(3000), "GBP");
    add(2, 20, 5, GBP(500), "GBP");
    add(10, 20, 6, GBP(2400), "GBP");
    /* decoy D2 (21): keeps it */
    add(1, 4, 21, GBP(10000), "GBP");
    /* decoy D3 (22): passes it on at once, but only 500 (under mule_min_in 1,000) */
    add(1, 7, 22, GBP(500), "GBP");
    add(1 + 1.0 / 24, 22, 8, GBP(500), "GBP");
    /* decoy D4 (23): passes 87.5% on in the window but leaves 12.5% (> 10%) */
    add(2, 7, 23, GBP(4000), "GBP");
    add(3, 23, 8, GBP(3500), "GBP");
    /* decoy D6 (25): pounds in, euros out: no currency passes through */
    add(1, 9, 25, GBP(5000), "GBP");
    add(1.5, 25, 9, GBP(4900), "EUR");

    /* cycle C1: 30 -> 31 -> 32 -> 30, four days a hop (nobody is a mule: > 72 h) */
    c1[0] = add(1, 30, 31, GBP(7000), "GBP");
    c1[1] = add(5, 31, 32, GBP(6800), "GBP");
    c1[2] = add(9, 32, 30, GBP(6500), "GBP");
    /* decoy: the same shape with no time order in any rotation */
    add(10, 40, 41, GBP(7000), "GBP");
    add(8, 41, 42, GBP(7000), "GBP");
    add(12, 42, 40, GBP(7000), "GBP");
    /* decoy: in order but 39 days from first to last (window 30) */
    add(1, 50, 51, GBP(3000), "GBP");
    add(20, 51, 52, GBP(3000), "GBP");
    add(40, 52, 50, GBP(3000), "GBP");
    /* cycle C2: a loan paid back, 60 -> 61 -> 60 */
    c2[0] = add(2, 60, 61, GBP(1000), "GBP");
    c2[1] = add(15, 61, 60, GBP(1000), "GBP");
    /* decoy: round in mixed currencies */
    add(1, 70, 71, GBP(2000), "GBP");
    add(5, 71, 72, GBP(2000), "EUR");
    add(9, 72, 70, GBP(2000), "GBP");

    /* fan-in F1: 80 from six senders within three days */
    for (uint32_t i = 0; i < 6; i++)
        f1[i] = add(1 + 0.5 * i, 81 + i, 80, GBP(400 + i), "GBP");
    /* fan-out F2: 90 to five receivers within two days */
    for (uint32_t i = 0; i < 5; i++)
        f2[i] = add(3 + 0.4 * i, 90, 91 + i, GBP(300), "GBP");
    /* decoys: four senders; five senders 5 days apart; one sender ten times */
    for (uint32_t i = 0; i < 4; i++)
        add(1 + 0.1 * i, 101 + i, 100, GBP(200), "GBP");
    for (uint32_t i = 0; i < 5; i++)
        add(1 + 5 * i, 111 + i, 110, GBP(200), "GBP");
    for (uint32_t i = 0; i < 10; i++)
        add(1 + 0.1 * i, 121, 120, GBP(200), "GBP");

    /* structuring S1: 130 sends 9,500, 9,800 and 9,000.00 (the band's floor) */
    s1[0] = add(1, 130, 131, GBP(9500), "GBP");
    s1[1] = add(3, 130, 132, GBP(9800), "GBP");
    s1[2] = add(6, 130, 133, GBP(9000), "GBP");
    /* structuring S2: 140 receives 9,900 three times from three people */
    for (uint32_t i = 0; i < 3; i++)
        s2[i] = add(2 + i, 141 + i, 140, GBP(9900), "GBP");
    /* decoys: exactly 10,000; 8,999.99 (under the band); euros; only twice */
    for (int i = 0; i < 3; i++) {
        add(1 + i, 150, 151, GBP(10000), "GBP");
        add(1 + i, 160, 161, GBP(9000) - 1, "GBP");
        add(1 + i, 170, 171, GBP(9500), "EUR");
    }
    add(1, 180, 181, GBP(9500), "GBP");
    add(2, 180, 182, GBP(9500), "GBP");
}

static int setup(void **st)
{
    (void)st;
    iom_arena_init(&arena);
    iom_error_clear(&err);
    build();
    return 0;
}

static int teardown(void **st)
{
    (void)st;
    iom_arena_free(&arena);
    return 0;
}

static void assert_txns(const uint32_t *got, size_t n, const uint32_t *want, size_t m)
{
    assert_int_equal(n, m);
    assert_memory_equal(got, want, m * sizeof *want);
}

static const fin_mule *mule_of(const fin_mules *m, uint32_t acct)
{
    for (size_t i = 0; i < m->count; i++)
        if (m->items[i].account == acct)
            return &m->items[i];
    return NULL;
}

static void test_mules(void **st)
{
    (void)st;
    fin_mules m;
    assert_int_equal(fin_mules_get(tx, ntx, NACC, NULL, &arena, &m, &err), IOM_OK);
    assert_int_equal(m.count, 2); /* M1 and M2, nothing else */
    const fin_mule *a = mule_of(&m, 10), *b = mule_of(&m, 13);
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(a->currency, "GBP");
    assert_int_equal(a->in, GBP(5000));
    assert_int_equal(a->out, GBP(4950));
    assert_int_equal(a->passed, GBP(4950));
    assert_int_equal(a->left, GBP(50));
    assert_int_equal(a->senders, 1);
    assert_int_equal(a->receivers, 2);
    assert_float_equal(a->passed_ratio, 0.99, 1e-12);
    /* amount-weighted dwell: 4,800 for 25 h and 150 for 47 h */
    assert_float_equal(a->mean_dwell, (4800.0 * 25 + 150.0 * 47) / 4950 * HOUR, 1e-6);
    assert_txns(a->txns, a->n_txns, (uint32_t[]){m1_in, m1_out1, m1_out2}, 3);
    assert_int_equal(b->in, GBP(5000));
    assert_int_equal(b->passed, GBP(4900));
    assert_txns(b->txns, b->n_txns, (uint32_t[]){m2_in1, m2_in2, m2_out}, 3);
    /* largest passed first: M1 (4,950) then M2 (4,900) */
    assert_int_equal(m.items[0].account, 10);
    /* decoys D1 (20), D2 (21), D3 (22), D4 (23), D6 (25) and every other account: absent */
    for (uint32_t acct = 0; acct < NACC; acct++)
        if (acct != 10 && acct != 13)
            assert_null(mule_of(&m, acct));

    /* a 12-hour window: M1's money stayed 25 h and more, M2's 19 h and more: neither */
    fin_settings s;
    fin_settings_default(&s);
    s.mule_window = 12 * HOUR;
    assert_int_equal(fin_mules_get(tx, ntx, NACC, &s, &arena, &m, &err), IOM_OK);
    assert_null(mule_of(&m, 10));
    assert_null(mule_of(&m, 13));
    /* a lower bar for what is left lets D4 (12.5% left) in */
    fin_settings_default(&s);
    s.mule_left_ratio = 0.15;
    assert_int_equal(fin_mules_get(tx, ntx, NACC, &s, &arena, &m, &err), IOM_OK);
    assert_non_null(mule_of(&m, 23));
    /* and a lower minimum D3 */
    fin_settings_default(&s);
    s.mule_min_in = GBP(100);
    assert_int_equal(fin_mules_get(tx, ntx, NACC, &s, &arena, &m, &err), IOM_OK);
    assert_non_null(mule_of(&m, 22));
    /* a period that ends before M2's money came in */
    fin_settings_default(&s);
    s.to = T0 + 4 * DAY;
    assert_int_equal(fin_mules_get(tx, ntx, NACC, &s, &arena, &m, &err), IOM_OK);
    assert_non_null(mule_of(&m, 10));
    assert_null(mule_of(&m, 13));
}

static void test_cycles(void **st)
{
    (void)st;
    fin_cycles c;
    assert_int_equal(fin_cycles_get(tx, ntx, NACC, NULL, &arena, &c, &err), IOM_OK);
    assert_false(c.truncated);
    assert_int_equal(c.count, 2); /* C1 and C2; the three decoys are not cycles of money */
    const fin_cycle *a = &c.items[0], *b = &c.items[1];
    assert_int_equal(a->len, 3);
    assert_memory_equal(a->accounts, ((uint32_t[]){30, 31, 32}), 3 * sizeof(uint32_t));
    assert_string_equal(a->currency, "GBP");
    assert_int_equal(a->rounds, 1);
    assert_int_equal(a->amount, GBP(6500)); /* the smallest hop */
    assert_int_equal(a->first, T0 + DAY);
    assert_int_equal(a->last, T0 + 9 * DAY);
    assert_txns(a->txns, a->n_txns, c1, 3);
    assert_int_equal(b->len, 2);
    assert_memory_equal(b->accounts, ((uint32_t[]){60, 61}), 2 * sizeof(uint32_t));
    assert_int_equal(b->amount, GBP(1000));
    assert_txns(b->txns, b->n_txns, c2, 2);

    fin_settings s;
    fin_settings_default(&s);
    s.cycle_min_len = 3; /* loans paid back are no longer cycles */
    assert_int_equal(fin_cycles_get(tx, ntx, NACC, &s, &arena, &c, &err), IOM_OK);
    assert_int_equal(c.count, 1);
    assert_int_equal(c.items[0].len, 3);
    s.cycle_window = 50 * DAY; /* the slow decoy (39 days) now went round */
    assert_int_equal(fin_cycles_get(tx, ntx, NACC, &s, &arena, &c, &err), IOM_OK);
    assert_int_equal(c.count, 2);
    assert_int_equal(c.items[1].accounts[0], 50);
    fin_settings_default(&s);
    s.cycle_max = 1; /* the cap is reported */
    assert_int_equal(fin_cycles_get(tx, ntx, NACC, &s, &arena, &c, &err), IOM_OK);
    assert_int_equal(c.count, 1);
    assert_true(c.truncated);
}

static void test_cycle_rounds(void **st)
{
    (void)st;
    /* two rounds of 1 -> 2 -> 3 -> 1 and a third that never closes; the origin is where
       money started: account 2 here */
    ntx = 0;
    uint32_t r[6];
    r[0] = add(1, 2, 3, GBP(100), "GBP");
    r[1] = add(2, 3, 1, GBP(90), "GBP");
    r[2] = add(3, 1, 2, GBP(80), "GBP");
    r[3] = add(4, 2, 3, GBP(200), "GBP");
    r[4] = add(5, 3, 1, GBP(200), "GBP");
    r[5] = add(6, 1, 2, GBP(150), "GBP");
    add(7, 2, 3, GBP(500), "GBP"); /* out again, never back */
    fin_cycles c;
    assert_int_equal(fin_cycles_get(tx, ntx, 10, NULL, &arena, &c, &err), IOM_OK);
    assert_int_equal(c.count, 1);
    assert_int_equal(c.items[0].rounds, 2);
    assert_int_equal(c.items[0].amount, GBP(80 + 150));
    assert_memory_equal(c.items[0].accounts, ((uint32_t[]){2, 3, 1}), 3 * sizeof(uint32_t));
    assert_txns(c.items[0].txns, c.items[0].n_txns, r, 6);
}

static void test_fans(void **st)
{
    (void)st;
    fin_fans f;
    assert_int_equal(fin_fans_get(tx, ntx, NACC, NULL, &arena, &f, &err), IOM_OK);
    assert_int_equal(f.count, 2);
    assert_int_equal(f.items[0].account, 80);
    assert_int_equal(f.items[0].direction, FIN_IN);
    assert_int_equal(f.items[0].counterparties, 6);
    assert_int_equal(f.items[0].total, GBP(400 + 401 + 402 + 403 + 404 + 405));
    assert_txns(f.items[0].txns, f.items[0].n_txns, f1, 6);
    assert_int_equal(f.items[1].account, 90);
    assert_int_equal(f.items[1].direction, FIN_OUT);
    assert_int_equal(f.items[1].counterparties, 5);
    assert_txns(f.items[1].txns, f.items[1].n_txns, f2, 5);
    /* decoys 100 (four senders), 110 (five, 5 days apart), 120 (one sender ten times): a
       window of 21 days catches 110; a minimum of 4 catches 100; 120 never */
    fin_settings s;
    fin_settings_default(&s);
    s.fan_window = 21 * DAY;
    assert_int_equal(fin_fans_get(tx, ntx, NACC, &s, &arena, &f, &err), IOM_OK);
    bool saw110 = false;
    for (size_t i = 0; i < f.count; i++) {
        saw110 |= f.items[i].account == 110;
        assert_int_not_equal(f.items[i].account, 100);
        assert_int_not_equal(f.items[i].account, 120);
    }
    assert_true(saw110);
    fin_settings_default(&s);
    s.fan_min = 4;
    assert_int_equal(fin_fans_get(tx, ntx, NACC, &s, &arena, &f, &err), IOM_OK);
    bool saw100 = false;
    for (size_t i = 0; i < f.count; i++) {
        saw100 |= f.items[i].account == 100;
        assert_int_not_equal(f.items[i].account, 120);
        assert_int_not_equal(f.items[i].account, 110);
    }
    assert_true(saw100);
}

static void test_structuring(void **st)
{
    (void)st;
    fin_structurings s;
    assert_int_equal(fin_structuring_get(tx, ntx, NACC, NULL, &arena, &s, &err), IOM_OK);
    assert_int_equal(s.count, 2);
    assert_int_equal(s.items[0].account, 130);
    assert_int_equal(s.items[0].direction, FIN_OUT);
    assert_int_equal(s.items[0].count, 3);
    assert_int_equal(s.items[0].total, GBP(9500 + 9800 + 9000));
    assert_txns(s.items[0].txns, s.items[0].n_txns, s1, 3);
    assert_int_equal(s.items[1].account, 140);
    assert_int_equal(s.items[1].direction, FIN_IN);
    assert_txns(s.items[1].txns, s.items[1].n_txns, s2, 3);
    /* 150 (exactly 10,000), 160 (8,999.99), 170 (euros), 180 (twice): absent, as above */

    fin_settings set;
    fin_settings_default(&set);
    set.struct_window = 2 * DAY; /* 130's three are spread over five days */
    assert_int_equal(fin_structuring_get(tx, ntx, NACC, &set, &arena, &s, &err), IOM_OK);
    assert_int_equal(s.count, 1);
    assert_int_equal(s.items[0].account, 140);
    fin_settings_default(&set);
    set.struct_min_count = 2;
    assert_int_equal(fin_structuring_get(tx, ntx, NACC, &set, &arena, &s, &err), IOM_OK);
    assert_int_equal(s.count, 3);
    assert_int_equal(s.items[2].account, 180);
    fin_settings_default(&set);
    memcpy(set.struct_currency, "EUR", 4);
    set.struct_threshold = GBP(10000);
    assert_int_equal(fin_structuring_get(tx, ntx, NACC, &set, &arena, &s, &err), IOM_OK);
    /* in euros: 170 sent 9,500 three times, 171 received them; D6's 4,900 is not near */
    assert_int_equal(s.count, 2);
    assert_int_equal(s.items[0].account, 170);
    assert_int_equal(s.items[1].account, 171);
}

static void test_flows(void **st)
{
    (void)st;
    fin_flows f;
    fin_settings s;
    fin_settings_default(&s);
    s.to = T0 + 4 * DAY; /* M1's story only, and others in the first days */
    /* entities: 11 and 12 are one person (entity 1), 10 is entity 2, others entity 0 */
    uint32_t ent[NACC] = {0};
    ent[11] = ent[12] = 1;
    ent[10] = 2;
    assert_int_equal(fin_flows_get(tx, ntx, NACC, ent, 3, &s, &arena, &f, &err), IOM_OK);
    const fin_flow *x = NULL;
    for (size_t i = 0; i < f.count; i++)
        if (f.items[i].from == 2 && f.items[i].to == 1)
            x = &f.items[i];
    assert_non_null(x);
    assert_int_equal(x->total, GBP(4950));
    assert_txns(x->txns, x->n_txns, (uint32_t[]){m1_out1, m1_out2}, 2);
    /* by currency, then largest first */
    for (size_t i = 1; i < f.count; i++) {
        int c = strcmp(f.items[i - 1].currency, f.items[i].currency);
        assert_true(c < 0 || (c == 0 && f.items[i - 1].total >= f.items[i].total));
    }
    /* no map, whole time: account to account; euros first, the largest first (170's three
       9,500) */
    assert_int_equal(fin_flows_get(tx, ntx, NACC, NULL, 0, NULL, &arena, &f, &err), IOM_OK);
    assert_string_equal(f.items[0].currency, "EUR");
    assert_int_equal(f.items[0].from, 170);
    assert_int_equal(f.items[0].to, 171);
    assert_int_equal(f.items[0].total, GBP(3 * 9500));
    assert_int_equal(f.items[0].n_txns, 3);
    ent[5] = 7;
    assert_int_equal(fin_flows_get(tx, ntx, NACC, ent, 3, &s, &arena, &f, &err), IOM_EINVAL);
    assert_string_equal(err.msg, "finance flows: entity_of[5]: 7 is out of range (3 entities)");
}

/* Review 83 M1: 10,000 transfers of the largest amount summed past INT64_MAX and a flow's
   total came out negative (signed overflow). Every sum is held at INT64_MAX instead. */
static void test_sums_saturate(void **st)
{
    (void)st;
    enum { N = 10000 };
    fin_txn *big = calloc(2 * N, sizeof *big);
    for (size_t i = 0; i < 2 * N; i++) {
        bool in = i < N; /* 0 -> 1, then 1 -> 2 a minute later: account 1 passes it on */
        big[i].time = T0 + (int64_t)(i % N) * 2 + (in ? 0 : 60);
        big[i].from = in ? 0 : 1;
        big[i].to = in ? 1 : 2;
        big[i].amount = FIN_AMOUNT_MAX;
        memcpy(big[i].currency, "GBP", 4);
    }
    fin_flows f;
    assert_int_equal(fin_flows_get(big, 2 * N, 3, NULL, 0, NULL, &arena, &f, &err), IOM_OK);
    assert_int_equal(f.count, 2);
    for (size_t i = 0; i < f.count; i++) {
        assert_true(f.items[i].total == INT64_MAX);
        assert_int_equal(f.items[i].n_txns, N);
    }
    fin_mules m;
    assert_int_equal(fin_mules_get(big, 2 * N, 3, NULL, &arena, &m, &err), IOM_OK);
    assert_int_equal(m.count, 1);
    assert_int_equal(m.items[0].account, 1);
    assert_true(m.items[0].in == INT64_MAX && m.items[0].out == INT64_MAX);
    assert_true(m.items[0].passed == INT64_MAX && m.items[0].left == 0);
    free(big);
}

static void parse_ok(const char *time, const char *amount, const char *cur, int64_t want_amount,
                     const char *want_cur, int64_t want_time)
{
    fin_row_text r = {.time = time, .from = 1, .to = 2, .amount = amount, .currency = cur};
    fin_txn x;
    iom_err rc = fin_parse_row(&r, 7, NULL, &x, &err);
    if (rc)
        fail_msg("%s %s %s: %s", time, amount, cur, err.msg);
    assert_int_equal(x.amount, want_amount);
    assert_string_equal(x.currency, want_cur);
    assert_int_equal(x.time, want_time);
}

static void parse_bad(const char *time, const char *amount, const char *cur, const char *msg)
{
    fin_row_text r = {.time = time, .from = 1, .to = 2, .amount = amount, .currency = cur};
    fin_txn x;
    assert_int_equal(fin_parse_row(&r, 12, NULL, &x, &err), IOM_EINVAL);
    if (!strstr(err.msg, msg))
        fail_msg("'%s' does not contain '%s'", err.msg, msg);
}

static void test_parse(void **st)
{
    (void)st;
    parse_ok("2026-03-02T00:00:00Z", "9500", "GBP", 950000, "GBP", T0);
    parse_ok("2026-03-02", "9500.5", "gbp", 950050, "GBP", T0);
    parse_ok(" 2026-03-02T01:00:00Z ", " 12.34 ", "EUR", 1234, "EUR", T0 + HOUR);
    parse_ok("2026-03-02", "1200", "JPY", 1200, "JPY", T0);
    parse_ok("2026-03-02", "1.234", "BHD", 1234, "BHD", T0);
    parse_ok("2022-06-01", "10", "HRK", 1000, "HRK", 1654041600); /* withdrawn, historic */
    parse_bad("2026-03-02", "abc", "GBP", "row 12: amount: 'abc' is not a number");
    parse_bad("2026-03-02", "12,50", "GBP", "row 12: amount: '12,50' is not a number");
    parse_bad("2026-03-02", "1e3", "GBP", "is not a number");
    parse_bad("2026-03-02", "", "GBP", "row 12: amount: '' is not a number");
    parse_bad("2026-03-02", "12.", "GBP", "is not a number");
    parse_bad("2026-03-02", ".5", "GBP", "is not a number");
    parse_bad("2026-03-02", "NaN", "GBP", "is not a number");
    parse_bad("2026-03-02", "-5", "GBP", "row 12: amount: '-5' is not a positive amount");
    parse_bad("2026-03-02", "0.00", "GBP", "is not a positive amount");
    parse_bad("2026-03-02", "12.345", "GBP", "has more than 2 decimal places for GBP");
    parse_bad("2026-03-02", "12.5", "JPY", "has more than 0 decimal places for JPY");
    parse_bad("2026-03-02", "99999999999999999999", "GBP", "is too large");
    parse_bad("2026-03-02", "10000000000000.01", "GBP", "is too large"); /* 10^15 pence + 1 */
    parse_bad("2026-03-02", "10", "XYZ", "row 12: currency: 'XYZ' is not an ISO 4217 code");
    parse_bad("2026-03-02", "10", "XAU", "is not an ISO 4217 code"); /* gold is not money */
    parse_bad("2026-03-02", "10", "GB", "row 12: currency: 'GB' is not an ISO 4217 code");
    parse_bad("2026-03-02", "10", NULL, "currency");
    parse_bad("2026-13-01", "10", "GBP", "row 12: time");
    parse_bad("yesterday", "10", "GBP", "row 12: time: 'yesterday' is not a UTC time");
    parse_bad("1969-12-31", "10", "GBP", "row 12: time: 1969-12-31T00:00:00Z is out of range");
    parse_bad("2100-01-01", "10", "GBP", "row 12: time: 2100-01-01T00:00:00Z is out of range");
    fin_row_text same = {.time = "2026-03-02", .from = 3, .to = 3, .amount = "1", .currency = "GBP"};
    fin_txn x;
    assert_int_equal(fin_parse_row(&same, 4, NULL, &x, &err), IOM_EINVAL);
    assert_string_equal(err.msg, "row 4: to: the same account as from (3)");
    /* app/ narrows the accepted range to "not in the future" */
    fin_settings s;
    fin_settings_default(&s);
    s.valid_to = T0;
    fin_row_text fut = {.time = "2026-03-02T00:00:01Z", .from = 1, .to = 2, .amount = "1",
                        .currency = "GBP"};
    assert_int_equal(fin_parse_row(&fut, 5, &s, &x, &err), IOM_EINVAL);
    assert_non_null(strstr(err.msg, "row 5: time: 2026-03-02T00:00:01Z is out of range"));
    /* the table is sorted and complete enough */
    for (size_t i = 1; i < fin_currency_count(); i++)
        assert_true(strcmp(fin_currency_at(i - 1)->code, fin_currency_at(i)->code) < 0);
    assert_int_equal(fin_currency_find("GBP")->numeric, 826);
    assert_int_equal(fin_currency_find("KWD")->minor, 3);
    assert_null(fin_currency_find("gbp"));
}

static void test_check(void **st)
{
    (void)st;
    fin_mules m;
    fin_txn bad = tx[3];
    tx[3].amount = 0;
    assert_int_equal(fin_mules_get(tx, ntx, NACC, NULL, &arena, &m, &err), IOM_EINVAL);
    assert_string_equal(err.msg, "transaction 3: amount: 0 is not a positive amount");
    tx[3] = bad;
    memcpy(tx[4].currency, "ABC", 4);
    fin_cycles c;
    assert_int_equal(fin_cycles_get(tx, ntx, NACC, NULL, &arena, &c, &err), IOM_EINVAL);
    assert_string_equal(err.msg, "transaction 4: currency: 'ABC' is not an ISO 4217 code");
    memcpy(tx[4].currency, "GBP", 4);
    tx[5].to = NACC;
    fin_fans f;
    assert_int_equal(fin_fans_get(tx, ntx, NACC, NULL, &arena, &f, &err), IOM_EINVAL);
    assert_string_equal(err.msg, "transaction 5: to: account 200 is out of range (200 accounts)");
    tx[5].to = 14;
    tx[6].time = -1;
    fin_structurings s;
    assert_int_equal(fin_structuring_get(tx, ntx, NACC, NULL, &arena, &s, &err), IOM_EINVAL);
    assert_string_equal(err.msg, "transaction 6: time: 1969-12-31T23:59:59Z is out of range "
                                 "(1970-01-01T00:00:00Z to before 2100-01-01T00:00:00Z)");
    tx[6].time = T0;
    assert_int_equal(fin_check(NULL, 2, NACC, NULL, &err), IOM_EINVAL);
    assert_string_equal(err.msg, "finance: 2 transactions but no array");
    tx[7].from = tx[7].to;
    assert_int_equal(fin_check(tx, ntx, NACC, NULL, &err), IOM_EINVAL);
    assert_non_null(strstr(err.msg, "transaction 7: to: the same account"));
    build();
    assert_int_equal(fin_check(tx, ntx, NACC, NULL, &err), IOM_OK);
    /* settings out of range */
    fin_settings set;
    fin_settings_default(&set);
    set.fan_min = 1;
    assert_int_equal(fin_fans_get(tx, ntx, NACC, &set, &arena, &f, &err), IOM_EINVAL);
    assert_non_null(strstr(err.msg, "fan_min"));
    fin_settings_default(&set);
    set.struct_band = 1.5;
    assert_int_equal(fin_structuring_get(tx, ntx, NACC, &set, &arena, &s, &err), IOM_EINVAL);
    fin_settings_default(&set);
    set.cycle_max_len = 20;
    assert_int_equal(fin_cycles_get(tx, ntx, NACC, &set, &arena, &c, &err), IOM_EINVAL);
    fin_settings_default(&set);
    memcpy(set.struct_currency, "QQQ", 4);
    assert_int_equal(fin_structuring_get(tx, ntx, NACC, &set, &arena, &s, &err), IOM_EINVAL);
    /* nothing at all: no findings */
    assert_int_equal(fin_mules_get(NULL, 0, 0, NULL, &arena, &m, &err), IOM_OK);
    assert_int_equal(m.count, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_mules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cycles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cycle_rounds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fans, setup, teardown),
        cmocka_unit_test_setup_teardown(test_structuring, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sums_saturate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
