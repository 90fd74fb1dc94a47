/*
 * Communications data (graph/comms.h) on hand-built call records: contact links, top
 * contacts, common contacts (with phones in touch with only one of the two as decoys),
 * activity by UK local hour and weekday across the clock change, bad input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "graph/comms.h"

#define T0 1772409600LL /* 2026-03-02T00:00:00Z, a Monday (GMT) */
#define DAY 86400LL
#define NPH 10

enum { A = 1, B = 2, C = 3, D = 4, E = 5, F = 6, G = 7 };

static comms_record rec[100];
static size_t nrec;
static iom_arena arena;
static iom_error err;

static uint32_t call(int64_t t, uint32_t from, uint32_t to, uint32_t secs)
{
    rec[nrec] = (comms_record){.caller = from, .callee = to, .start = t, .duration = secs,
                               .kind = COMMS_CALL};
    return (uint32_t)nrec++;
}

static uint32_t sms(int64_t t, uint32_t from, uint32_t to)
{
    rec[nrec] = (comms_record){.caller = from, .callee = to, .start = t, .kind = COMMS_SMS};
    return (uint32_t)nrec++;
}

static uint32_t ac[5], bc[3], ad, db[2];

static int setup(void **st)
{
    (void)st;
    iom_arena_init(&arena);
    iom_error_clear(&err);
    nrec = 0;
    /* A calls C five times (60 s each); B texts C three times: C is common to A and B */
    for (int i = 0; i < 5; i++)
        ac[i] = call(T0 + i * DAY + 10 * 3600, A, C, 60);
    for (int i = 0; i < 3; i++)
        bc[i] = sms(T0 + i * DAY + 11 * 3600, B, C);
    /* A calls D once; D calls B twice: D is common too */
    ad = call(T0 + 12 * 3600, A, D, 300);
    db[0] = call(T0 + DAY + 12 * 3600, D, B, 30);
    db[1] = call(T0 + 2 * DAY + 12 * 3600, D, B, 45);
    /* decoys: E texts only A (three times), F only B, G only C */
    for (int i = 0; i < 3; i++)
        sms(T0 + i * DAY + 20 * 3600, E, A);
    call(T0 + 3 * DAY, F, B, 10);
    call(T0 + 3 * DAY, G, C, 10);
    /* A and B directly, twice */
    call(T0 + 4 * DAY, A, B, 120);
    call(T0 + 4 * DAY + 60, B, A, 20);
    return 0;
}

static int teardown(void **st)
{
    (void)st;
    iom_arena_free(&arena);
    return 0;
}

static void test_contacts(void **st)
{
    (void)st;
    comms_contacts c;
    assert_int_equal(comms_contacts_get(rec, nrec, NPH, NULL, &arena, &c, &err), IOM_OK);
    assert_int_equal(c.count, 8); /* A-C B-C A-D B-D A-E B-F C-G A-B */
    assert_int_equal(c.items[0].a, A); /* the most records first */
    assert_int_equal(c.items[0].b, C);
    assert_int_equal(c.items[0].count, 5);
    assert_int_equal(c.items[0].calls_ab, 5);
    assert_int_equal(c.items[0].duration, 300);
    const comms_contact *ab = NULL, *bd = NULL;
    for (size_t i = 0; i < c.count; i++) {
        if (c.items[i].a == A && c.items[i].b == B)
            ab = &c.items[i];
        if (c.items[i].a == B && c.items[i].b == D)
            bd = &c.items[i];
    }
    assert_non_null(ab);
    assert_int_equal(ab->calls_ab, 1);
    assert_int_equal(ab->calls_ba, 1);
    assert_int_equal(ab->duration, 140);
    assert_non_null(bd);
    assert_int_equal(bd->calls_ab, 0); /* B -> D none; D -> B two */
    assert_int_equal(bd->calls_ba, 2);
    assert_int_equal(bd->first, T0 + DAY + 12 * 3600);
    assert_int_equal(bd->last, T0 + 2 * DAY + 12 * 3600);
    /* as graph links: weight = count; the karate-style engine takes them directly */
    graph_link *l;
    comms_contacts_links(&c, 9, &arena, &l);
    assert_float_equal(l[0].weight, 5, 0);
    assert_int_equal(l[0].type, 9);
    graph_net *g;
    graph_options wo = {.weighted = true};
    assert_int_equal(graph_build(&g, NULL, NPH, l, c.count, NULL, &wo, &err), IOM_OK);
    assert_int_equal(graph_edge_count(g), 8);
    graph_free(g);
    /* a period: only the first day */
    comms_settings s;
    comms_settings_default(&s);
    s.to = T0 + DAY - 1;
    assert_int_equal(comms_contacts_get(rec, nrec, NPH, &s, &arena, &c, &err), IOM_OK);
    assert_int_equal(c.count, 4); /* A-C, B-C, A-D, A-E */
}

static void test_top(void **st)
{
    (void)st;
    comms_peers p;
    assert_int_equal(comms_top_contacts(rec, nrec, NPH, A, 0, NULL, &arena, &p, &err), IOM_OK);
    assert_int_equal(p.count, 4);
    assert_int_equal(p.items[0].phone, C);
    assert_int_equal(p.items[0].calls_out, 5);
    assert_int_equal(p.items[1].phone, E); /* 3 texts in */
    assert_int_equal(p.items[1].sms_in, 3);
    assert_int_equal(p.items[2].phone, B);
    assert_int_equal(p.items[2].calls_out, 1);
    assert_int_equal(p.items[2].calls_in, 1);
    assert_int_equal(p.items[3].phone, D);
    assert_int_equal(p.items[3].duration, 300);
    assert_int_equal(comms_top_contacts(rec, nrec, NPH, A, 2, NULL, &arena, &p, &err), IOM_OK);
    assert_int_equal(p.count, 2);
    assert_int_equal(comms_top_contacts(rec, nrec, NPH, 9, 0, NULL, &arena, &p, &err), IOM_OK);
    assert_int_equal(p.count, 0); /* a phone with no records */
    assert_int_equal(comms_top_contacts(rec, nrec, NPH, NPH, 0, NULL, &arena, &p, &err), IOM_EINVAL);
}

static void test_common(void **st)
{
    (void)st;
    comms_common c;
    assert_int_equal(comms_common_contacts(rec, nrec, NPH, A, B, NULL, &arena, &c, &err), IOM_OK);
    assert_int_equal(c.direct, 2);
    assert_int_equal(c.count, 2); /* C and D; not E (only A), F (only B), G (neither) */
    assert_int_equal(c.items[0].phone, C); /* min(5, 3) = 3 before D's min(1, 2) = 1 */
    assert_int_equal(c.items[0].with_a, 5);
    assert_int_equal(c.items[0].with_b, 3);
    assert_int_equal(c.items[0].duration_a, 300);
    assert_int_equal(c.items[0].duration_b, 0);
    uint32_t want_c[8];
    memcpy(want_c, ac, sizeof ac);
    memcpy(want_c + 5, bc, sizeof bc);
    assert_int_equal(c.items[0].n_records, 8);
    assert_memory_equal(c.items[0].records, want_c, sizeof want_c);
    assert_int_equal(c.items[1].phone, D);
    assert_int_equal(c.items[1].n_records, 3);
    assert_memory_equal(c.items[1].records, ((uint32_t[]){ad, db[0], db[1]}), 3 * sizeof(uint32_t));
    for (size_t i = 0; i < c.count; i++)
        assert_true(c.items[i].phone != E && c.items[i].phone != F && c.items[i].phone != G &&
                    c.items[i].phone != A && c.items[i].phone != B);
    /* symmetric in the two phones */
    assert_int_equal(comms_common_contacts(rec, nrec, NPH, B, A, NULL, &arena, &c, &err), IOM_OK);
    assert_int_equal(c.count, 2);
    assert_int_equal(c.items[0].with_a, 3);
    /* C and G: no common contact (G's only contact is C itself) */
    assert_int_equal(comms_common_contacts(rec, nrec, NPH, C, G, NULL, &arena, &c, &err), IOM_OK);
    assert_int_equal(c.count, 0);
    assert_int_equal(c.direct, 1);
    assert_int_equal(comms_common_contacts(rec, nrec, NPH, A, A, NULL, &arena, &c, &err), IOM_EINVAL);
}

static void test_activity(void **st)
{
    (void)st;
    comms_activity act;
    assert_int_equal(comms_activity_get(rec, nrec, NPH, A, NULL, &act, &err), IOM_OK);
    /* A: five calls at 10:00 Mon-Fri, one at 12:00 Mon, three texts at 20:00 Mon-Wed, two
       with B at 00:00 / 00:01 Friday (all GMT in early March) */
    assert_int_equal(act.by_hour[10], 5);
    assert_int_equal(act.by_hour[12], 1);
    assert_int_equal(act.by_hour[20], 3);
    assert_int_equal(act.by_hour[0], 2);
    assert_int_equal(act.by_day[0], 3); /* Monday: 10:00, 12:00, 20:00 */
    assert_int_equal(act.by_day[4], 3); /* Friday: 10:00 and the two with B */
    assert_int_equal(act.grid[4][0], 2);
    assert_int_equal(act.calls, 8);
    assert_int_equal(act.sms, 3);
    assert_int_equal(act.call_seconds_by_hour[10], 300);
    assert_false(act.utc);
    assert_int_equal(comms_activity_get(rec, nrec, NPH, COMMS_ALL_PHONES, NULL, &act, &err), IOM_OK);
    assert_int_equal(act.calls + act.sms, nrec);

    /* the clock change: Sunday 2026-03-29 01:00 UTC; summer and winter evenings */
    comms_record r[] = {
        {.caller = 0, .callee = 1, .start = 1774745999, .kind = COMMS_SMS}, /* 00:59:59Z GMT */
        {.caller = 0, .callee = 1, .start = 1774746000, .kind = COMMS_SMS}, /* 01:00Z = 02:00 BST */
        {.caller = 0, .callee = 1, .start = 1782937800, .kind = COMMS_SMS}, /* 2026-07-01T20:30Z */
        {.caller = 0, .callee = 1, .start = 1768509000, .kind = COMMS_SMS}, /* 2026-01-15T20:30Z */
        {.caller = 0, .callee = 1, .start = 1792890000, .kind = COMMS_SMS}, /* 2026-10-25T01:00Z GMT */
    };
    assert_int_equal(comms_activity_get(r, 5, 2, 0, NULL, &act, &err), IOM_OK);
    assert_int_equal(act.by_hour[0], 1);
    assert_int_equal(act.by_hour[2], 1);
    assert_int_equal(act.by_hour[21], 1); /* BST */
    assert_int_equal(act.by_hour[20], 1); /* GMT */
    assert_int_equal(act.by_hour[1], 1);  /* back to GMT at 01:00 UTC */
    assert_int_equal(act.by_day[6], 3);   /* the two Sundays: 29 March (both) and 25 October */
    assert_int_equal(act.by_day[2], 1);   /* 1 July 2026, a Wednesday */
    assert_int_equal(act.by_day[3], 1);   /* 15 January 2026, a Thursday */
    comms_settings s;
    comms_settings_default(&s);
    s.utc = true;
    assert_int_equal(comms_activity_get(r, 5, 2, 0, &s, &act, &err), IOM_OK);
    assert_int_equal(act.by_hour[20], 2);
    assert_int_equal(act.by_hour[1], 2);
    assert_true(act.utc);
}

static void parse_bad(const char *start, const char *dur, const char *kind, const char *msg)
{
    comms_row_text r = {.caller = 1, .callee = 2, .start = start, .duration = dur, .kind = kind};
    comms_record x;
    assert_int_equal(comms_parse_row(&r, 3, NULL, &x, &err), IOM_EINVAL);
    if (!strstr(err.msg, msg))
        fail_msg("'%s' does not contain '%s'", err.msg, msg);
}

static void test_parse(void **st)
{
    (void)st;
    comms_row_text r = {.caller = 1, .callee = 2, .start = "2026-03-02T10:00:00Z",
                        .duration = "1:15", .kind = "Voice", .cell = 77};
    comms_record x;
    assert_int_equal(comms_parse_row(&r, 1, NULL, &x, &err), IOM_OK);
    assert_int_equal(x.duration, 75);
    assert_int_equal(x.kind, COMMS_CALL);
    assert_int_equal(x.start, T0 + 10 * 3600);
    assert_int_equal(x.cell, 77);
    r.duration = "1:00:05";
    assert_int_equal(comms_parse_row(&r, 1, NULL, &x, &err), IOM_OK);
    assert_int_equal(x.duration, 3605);
    r.duration = "";
    r.kind = "SMS";
    assert_int_equal(comms_parse_row(&r, 1, NULL, &x, &err), IOM_OK);
    assert_int_equal(x.duration, 0);
    parse_bad("2026-03-02T10:00:00Z", "abc", "call", "row 3: duration: 'abc' is not seconds");
    parse_bad("2026-03-02T10:00:00Z", "-5", "call", "row 3: duration: '-5'");
    parse_bad("2026-03-02T10:00:00Z", "1:75", "call", "row 3: duration: '1:75'");
    parse_bad("2026-03-02T10:00:00Z", "", "call", "row 3: duration: ''");
    parse_bad("2026-03-02T10:00:00Z", "86401", "call", "at most a day");
    parse_bad("2026-03-02T10:00:00Z", "10", "fax", "row 3: kind: 'fax' is not call or sms");
    parse_bad("2026-02-30T10:00:00Z", "10", "call", "row 3: start");
    parse_bad("1969-12-31T23:00:00Z", "10", "call", "row 3: start: 1969-12-31T23:00:00Z is out of range");
    comms_row_text same = {.caller = 4, .callee = 4, .start = "2026-03-02", .duration = "1",
                           .kind = "call"};
    assert_int_equal(comms_parse_row(&same, 8, NULL, &x, &err), IOM_EINVAL);
    assert_string_equal(err.msg, "row 8: callee: the same phone as the caller (4)");
    /* arrays */
    rec[2].callee = NPH;
    comms_contacts c;
    assert_int_equal(comms_contacts_get(rec, nrec, NPH, NULL, &arena, &c, &err), IOM_EINVAL);
    assert_string_equal(err.msg, "record 2: callee: phone 10 is out of range (10 phones)");
    rec[2].callee = C;
    rec[4].duration = 100000;
    assert_int_equal(comms_check(rec, nrec, NPH, NULL, &err), IOM_EINVAL);
    assert_string_equal(err.msg, "record 4: duration: 100000 s is longer than a day");
    rec[4].duration = 60;
    rec[5].kind = (comms_kind)3;
    assert_int_equal(comms_check(rec, nrec, NPH, NULL, &err), IOM_EINVAL);
    rec[5].kind = COMMS_SMS;
    assert_int_equal(comms_check(rec, nrec, NPH, NULL, &err), IOM_OK);
    int64_t start = rec[1].start;
    rec[1].start = 4102444800LL; /* 2100-01-01: the first instant out of range */
    assert_int_equal(comms_check(rec, nrec, NPH, NULL, &err), IOM_EINVAL);
    assert_string_equal(err.msg, "record 1: start: 2100-01-01T00:00:00Z is out of range "
                                 "(1970-01-01T00:00:00Z to before 2100-01-01T00:00:00Z)");
    rec[1].start = start;
    assert_int_equal(comms_check(NULL, 3, NPH, NULL, &err), IOM_EINVAL);
    assert_string_equal(err.msg, "comms: 3 records but no array");
    assert_int_equal(comms_check(NULL, 0, NPH, NULL, &err), IOM_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_contacts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_top, setup, teardown),
        cmocka_unit_test_setup_teardown(test_common, setup, teardown),
        cmocka_unit_test_setup_teardown(test_activity, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
