/*
 * domain/apmis: the pure rules, without a store. Percentiles against values worked by hand
 * (linear interpolation between closest ranks, Hyndman-Fan type 7, halves rounded up),
 * validation of each field, the period, who may record / read / report, and the report's
 * aggregation over crafted rows.
 */
#include "testutil.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "domain/apmis.h"

#define DAY 86400
#define T0 1767225600LL /* 2026-01-01T00:00:00Z */

static void percentiles_by_hand(void **state)
{
    (void)state;
    int64_t v[] = {15, 20, 35, 40, 50};
    /* n=5: median h=2 -> 35; p90 h=3.6 -> 40 + 0.6*10 = 46; p25 h=1 -> 20; p0 = min;
       p100 = max; p10 h=0.4 -> 15 + 0.4*5 = 17. */
    assert_int_equal(apmis_percentile(v, 5, 50), 35);
    assert_int_equal(apmis_percentile(v, 5, 90), 46);
    assert_int_equal(apmis_percentile(v, 5, 25), 20);
    assert_int_equal(apmis_percentile(v, 5, 0), 15);
    assert_int_equal(apmis_percentile(v, 5, 100), 50);
    assert_int_equal(apmis_percentile(v, 5, 10), 17);
    /* n=4 {1,2,3,4}: median h=1.5 -> 2.5 -> 3 (half up); p90 h=2.7 -> 3.7 -> 4. */
    int64_t w[] = {1, 2, 3, 4};
    assert_int_equal(apmis_percentile(w, 4, 50), 3);
    assert_int_equal(apmis_percentile(w, 4, 90), 4);
    /* Rounding: {0,3} median 1.5 -> 2; {0,5} p90 4.5 -> 5; {0,10} p90 9; {0,1} p50 0.5 -> 1;
       {0,4} p90 3.6 -> 4; {0,100} p90 90. */
    int64_t a[] = {0, 3}, b[] = {0, 5}, c[] = {0, 10}, d[] = {0, 1}, e[] = {0, 4}, f[] = {0, 100};
    assert_int_equal(apmis_percentile(a, 2, 50), 2);
    assert_int_equal(apmis_percentile(b, 2, 90), 5);
    assert_int_equal(apmis_percentile(c, 2, 90), 9);
    assert_int_equal(apmis_percentile(d, 2, 50), 1);
    assert_int_equal(apmis_percentile(e, 2, 90), 4);
    assert_int_equal(apmis_percentile(f, 2, 90), 90);
    /* One value, none, large values without overflow. */
    int64_t one[] = {7};
    assert_int_equal(apmis_percentile(one, 1, 90), 7);
    assert_int_equal(apmis_percentile(NULL, 0, 50), 0);
    int64_t big[] = {0, 1000000000000LL};
    assert_int_equal(apmis_percentile(big, 2, 90), 900000000000LL);
    /* Ten values 10..100: p90 h=8.1 -> 90 + 0.1*10 = 91; median h=4.5 -> 55. */
    int64_t ten[] = {100, 90, 80, 70, 60, 50, 40, 30, 20, 10};
    apmis_sort(ten, 10);
    assert_int_equal(ten[0], 10);
    assert_int_equal(ten[9], 100);
    assert_int_equal(apmis_percentile(ten, 10, 90), 91);
    assert_int_equal(apmis_percentile(ten, 10, 50), 55);
}

static apmis_input good(void)
{
    apmis_input in = {.threat = "SOC-000001", .date = "2026-01-05", .impact = "moderate",
                      .type = "victims_safeguarded", .lead = "west-yorkshire", .arrests = 0,
                      .safeguarded = 4, .seized_pence = 0, .strand = "protect",
                      .narrative = "Four victims safeguarded."};
    in.capabilities[0] = "toex";
    in.ncapabilities = 1;
    return in;
}

static void validation(void **state)
{
    (void)state;
    int64_t now = T0 + 10 * DAY + 5; /* 2026-01-11 00:00:05Z */
    apmis_fields f;
    iom_error e = {0};
    apmis_input in = good();
    assert_int_equal(apmis_validate(&in, now / DAY, &f, &e), IOM_OK);
    assert_int_equal(f.impact, IOM_IMPACT_MODERATE);
    assert_int_equal(f.type, IOM_DISRUPTION_VICTIMS_SAFEGUARDED);
    assert_int_equal(f.strand, IOM_STRAND_PROTECT);
    assert_int_equal(f.day, T0 / DAY + 4);
    in.date = "2026-01-11"; /* today */
    assert_int_equal(apmis_validate(&in, now / DAY, &f, &e), IOM_OK);
    in.date = "2026-01-12";
    assert_int_equal(apmis_validate(&in, now / DAY, &f, &e), IOM_EINVAL);
    assert_string_equal(e.msg, "date: 2026-01-12 is in the future (today is 2026-01-11 in the UK); record a "
                               "disruption once it has happened");
    /* Each required field missing (NULL) or empty. */
    const char *names[] = {"threat", "date", "impact", "type", "lead", "strand", "narrative"};
    for (int i = 0; i < 7; i++) {
        in = good();
        const char **p[] = {&in.threat, &in.date, &in.impact, &in.type, &in.lead, &in.strand,
                            &in.narrative};
        *p[i] = i % 2 ? "" : NULL;
        assert_int_equal(apmis_validate(&in, now / DAY, &f, &e), IOM_EINVAL);
        char want[40];
        snprintf(want, sizeof want, "%s: required", names[i]);
        assert_non_null(strstr(e.msg, want));
    }
    in = good();
    in.impact = "Major";
    assert_int_equal(apmis_validate(&in, now / DAY, &f, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "impact: 'Major' is not one of"));
    in = good();
    in.arrests = -1;
    assert_int_equal(apmis_validate(&in, now / DAY, &f, &e), IOM_EINVAL);
    assert_string_equal(e.msg, "arrests: -1 is negative; counts are 0 or more");
    in = good();
    in.safeguarded = APMIS_COUNT_MAX + 1;
    assert_int_equal(apmis_validate(&in, now / DAY, &f, &e), IOM_EINVAL);
    in = good();
    in.seized_pence = APMIS_PENCE_MAX;
    assert_int_equal(apmis_validate(&in, now / DAY, &f, &e), IOM_OK);
    in.seized_pence = INT64_MIN;
    assert_int_equal(apmis_validate(&in, now / DAY, &f, &e), IOM_EINVAL);
    in = good();
    in.capabilities[1] = "nca";
    in.capabilities[2] = "toex";
    in.ncapabilities = 3;
    assert_int_equal(apmis_validate(&in, now / DAY, &f, &e), IOM_EINVAL);
    assert_string_equal(e.msg, "capability: 'toex' is named twice");
    in.ncapabilities = APMIS_MAX_CAPABILITIES + 1;
    assert_int_equal(apmis_validate(&in, now / DAY, &f, &e), IOM_EINVAL);
    in = good();
    in.capabilities[0] = "";
    assert_int_equal(apmis_validate(&in, now / DAY, &f, &e), IOM_EINVAL);
    in = good();
    in.narrative = "\xc3\x28";
    assert_int_equal(apmis_validate(&in, now / DAY, &f, &e), IOM_EINVAL);
    in.narrative = "  \r\n ";
    assert_int_equal(apmis_validate(&in, now / DAY, &f, &e), IOM_EINVAL);
    assert_string_equal(e.msg,
                        "narrative: must not be blank (it holds only spaces or invisible characters)");
    in = good();
    in.date = "2026-1-5";
    assert_int_equal(apmis_validate(&in, now / DAY, &f, &e), IOM_EINVAL);
    in = good();
    in.date = "1900-01-01"; /* an API review: accepted, 126 years before the threat existed */
    assert_int_equal(apmis_validate(&in, now / DAY, &f, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "date: 1900-01-01 is before 2000-01-01"));
}

static void days_and_period(void **state)
{
    (void)state;
    char s[16];
    apmis_day_format(T0 / DAY, s);
    assert_string_equal(s, "2026-01-01");
    apmis_day_format(0, s);
    assert_string_equal(s, "1970-01-01");
    apmis_day_format(T0 / DAY + 59, s);
    assert_string_equal(s, "2026-03-01");
    assert_int_equal(apmis_day_of(-1), -1);
    assert_int_equal(apmis_day_of(T0 + DAY - 1), T0 / DAY);
    iom_error e = {0};
    apmis_period p;
    int64_t now = T0 + 45 * DAY + 3600; /* 2026-02-15 01:00Z */
    assert_int_equal(apmis_period_make("2026-01-01", "2026-01-31", now, now / DAY, &p, &e), IOM_OK);
    assert_true(p.has_from);
    assert_int_equal(p.start, T0);
    assert_int_equal(p.end, T0 + 31 * DAY);
    assert_int_equal(p.limit, T0 + 31 * DAY);
    assert_int_equal(apmis_period_make(NULL, NULL, now, now / DAY, &p, &e), IOM_OK);
    assert_false(p.has_from);
    assert_int_equal(p.start, INT64_MIN);
    assert_int_equal(p.end, now);
    assert_int_equal(p.limit, now + 1); /* the report's own second is in the period */
    assert_int_equal(p.to_day, T0 / DAY + 45);
    assert_int_equal(apmis_period_make(NULL, "2027-01-01", now, now / DAY, &p, &e), IOM_OK);
    assert_int_equal(p.end, now); /* never past now */
    assert_int_equal(p.limit, now + 1);
    assert_int_equal(apmis_period_make("2026-02-01", "2026-01-31", now, now / DAY, &p, &e), IOM_EINVAL);
    assert_int_equal(apmis_period_make("2026-02-29", NULL, now, now / DAY, &p, &e), IOM_EINVAL);
    /* review 81 L4: a period that starts after today counted products as not delivered
       before they were due */
    assert_int_equal(apmis_period_make("2026-02-16", "2026-02-28", now, now / DAY, &p, &e), IOM_EINVAL);
    assert_string_equal(e.msg, "from: 2026-02-16 is after today (2026-02-15 in the UK); a report counts "
                               "what has happened");
    assert_int_equal(apmis_period_make("2026-02-15", "2026-02-28", now, now / DAY, &p, &e), IOM_OK);
    assert_int_equal(p.end, now);
}

#define RB(r) IOM_ROLE_BIT(IOM_ROLE_##r)

static void who_may(void **state)
{
    (void)state;
    iom_error e = {0};
    /* ids: agencies wy=10 (force, region 1), yhrocu=11 (rocu, region 1), met=20 (force,
       region 2), nca=30 (national), toex=40 (capability). */
    apmis_actor rec = {RB(APMIS), IOM_AGENCY_NATIONAL, 30, 0, IOM_MARKING_OFFICIAL_SENSITIVE};
    apmis_actor wy_sio = {RB(SIO), IOM_AGENCY_FORCE, 10, 1, IOM_MARKING_OFFICIAL_SENSITIVE};
    apmis_actor wy_cust = {RB(CUSTOMER), IOM_AGENCY_FORCE, 10, 1, IOM_MARKING_OFFICIAL};
    apmis_actor wy_gw = {RB(GATEWAY), IOM_AGENCY_FORCE, 10, 1, IOM_MARKING_OFFICIAL};
    apmis_actor yh_sio = {RB(SIO), IOM_AGENCY_ROCU, 11, 1, IOM_MARKING_OFFICIAL};
    apmis_actor met_spoc = {RB(SPOC), IOM_AGENCY_FORCE, 20, 2, IOM_MARKING_OFFICIAL};
    apmis_actor admin = {RB(ADMIN), IOM_AGENCY_CAPABILITY, 40, 0, IOM_MARKING_OFFICIAL_SENSITIVE};
    apmis_actor sia = {RB(SIA), IOM_AGENCY_CAPABILITY, 40, 0, IOM_MARKING_OFFICIAL_SENSITIVE};
    apmis_actor mgr = {RB(TOEX_MANAGER), IOM_AGENCY_CAPABILITY, 40, 0, IOM_MARKING_OFFICIAL};

    assert_int_equal(apmis_may_record(&rec, 20, &e), IOM_OK);
    assert_int_equal(apmis_may_record(&wy_sio, 10, &e), IOM_OK);
    assert_int_equal(apmis_may_record(&wy_sio, 11, &e), IOM_EFORBIDDEN);
    assert_int_equal(apmis_may_record(&wy_cust, 10, &e), IOM_EFORBIDDEN);
    assert_int_equal(apmis_may_record(&admin, 40, &e), IOM_EFORBIDDEN);
    assert_int_equal(apmis_may_record(&mgr, 10, &e), IOM_EFORBIDDEN);

    int64_t caps[] = {40};
    apmis_record_facts r = {10, 1, 10, 1, caps, 1, IOM_MARKING_OFFICIAL};
    assert_true(apmis_may_read(&rec, &r));
    assert_true(apmis_may_read(&mgr, &r));
    assert_true(apmis_may_read(&wy_cust, &r));
    assert_true(apmis_may_read(&wy_gw, &r));
    assert_true(apmis_may_read(&yh_sio, &r));  /* ROCU of the region */
    assert_true(apmis_may_read(&sia, &r));     /* TOEX contributed */
    assert_false(apmis_may_read(&met_spoc, &r));
    assert_false(apmis_may_read(&admin, &r));
    r.ncapabilities = 0;
    assert_false(apmis_may_read(&sia, &r));
    r.marking = IOM_MARKING_OFFICIAL_SENSITIVE;
    assert_false(apmis_may_read(&mgr, &r));
    assert_false(apmis_may_read(&wy_cust, &r));
    assert_true(apmis_may_read(&wy_sio, &r));
    /* A met-led disruption on a wy threat: met reads it as lead. */
    apmis_record_facts m = {20, 2, 10, 1, NULL, 0, IOM_MARKING_OFFICIAL};
    assert_true(apmis_may_read(&met_spoc, &m));
    assert_true(apmis_may_read(&wy_cust, &m));

    apmis_scope any = {0}, out;
    apmis_scope met = {0, 20, 2}, wy = {0, 10, 1}, reg1 = {1, 0, 0}, reg2 = {2, 0, 0};
    apmis_scope bad = {2, 10, 1};
    assert_int_equal(apmis_report_scope(&rec, &met, &out, &e), IOM_OK);
    assert_int_equal(out.agency_id, 20);
    assert_int_equal(apmis_report_scope(&rec, &any, &out, &e), IOM_OK);
    assert_int_equal(out.agency_id, 0);
    assert_int_equal(out.region_id, 0);
    assert_int_equal(apmis_report_scope(&rec, &bad, &out, &e), IOM_EINVAL);
    /* A force user: narrowed to the own agency; another agency or region refused. */
    assert_int_equal(apmis_report_scope(&wy_cust, &any, &out, &e), IOM_OK);
    assert_int_equal(out.agency_id, 10);
    assert_int_equal(apmis_report_scope(&wy_cust, &wy, &out, &e), IOM_OK);
    assert_int_equal(apmis_report_scope(&wy_cust, &reg1, &out, &e), IOM_OK);
    assert_int_equal(out.agency_id, 10);
    assert_int_equal(apmis_report_scope(&wy_cust, &met, &out, &e), IOM_EFORBIDDEN);
    assert_int_equal(apmis_report_scope(&wy_cust, &reg2, &out, &e), IOM_EFORBIDDEN);
    /* Gateway and ROCU users: their region, or an agency in it. */
    assert_int_equal(apmis_report_scope(&wy_gw, &any, &out, &e), IOM_OK);
    assert_int_equal(out.region_id, 1);
    assert_int_equal(out.agency_id, 0);
    assert_int_equal(apmis_report_scope(&yh_sio, &wy, &out, &e), IOM_OK);
    assert_int_equal(out.region_id, 1);
    assert_int_equal(out.agency_id, 10);
    assert_int_equal(apmis_report_scope(&yh_sio, &met, &out, &e), IOM_EFORBIDDEN);
    assert_int_equal(apmis_report_scope(&wy_gw, &reg2, &out, &e), IOM_EFORBIDDEN);
    /* Roles without a report. */
    assert_int_equal(apmis_report_scope(&admin, &any, &out, &e), IOM_EFORBIDDEN);
    assert_int_equal(apmis_report_scope(&sia, &any, &out, &e), IOM_EFORBIDDEN);
}

/* A product is on time when delivered before the end of its due day in the UK: in summer
   that day ends at 23:00Z (review 89's follow-up: 00:30 BST the next day counted on time). */
static void on_time_by_the_uk_day(void **state)
{
    (void)state;
    iom_arena a;
    iom_arena_init(&a);
    iom_error e = {0};
    const int64_t jul3 = 20637; /* 2026-07-03 */
    apmis_period p;
    assert_int_equal(apmis_period_make("2026-07-01", "2026-07-10", (jul3 + 30) * DAY, jul3 + 30, &p, &e), IOM_OK);
    apmis_tasking_row tk[] = {{1, (jul3 - 5) * DAY, IOM_TS_IN_DEVELOPMENT, IOM_MARKING_OFFICIAL}};
    apmis_due_row dues[] = {
        {1, IOM_PRODUCT_SUBJECT_PROFILE, jul3}, /* delivered 23:30 BST on the day: on time */
        {1, IOM_PRODUCT_RISK_ANALYSIS, jul3},   /* delivered 00:30 BST the day after: late */
    };
    apmis_delivery_row del[] = {
        {1, IOM_PRODUCT_SUBJECT_PROFILE, jul3 * DAY + 22 * 3600 + 1800},
        {1, IOM_PRODUCT_RISK_ANALYSIS, jul3 * DAY + 23 * 3600 + 1800},
    };
    /* the UK day of a time: 23:30Z on 3 July is 4 July in the UK, 23:30Z on 3 January is not
       (review 93 L3) */
    assert_int_equal(apmis_day_of(jul3 * DAY + 23 * 3600 + 1800), jul3 + 1);
    assert_int_equal(apmis_day_of(jul3 * DAY + 22 * 3600 + 1800), jul3);
    assert_int_equal(apmis_day_of(T0 + 2 * DAY + 23 * 3600 + 1800), T0 / DAY + 2);
    assert_int_equal(apmis_day_of(-1), -1);
    apmis_report_input in = {tk, 1, NULL, 0, dues, 2, del, 2, NULL, 0, NULL, 0, NULL, 0};
    apmis_report r;
    apmis_report_compute(&in, &p, &a, &r);
    assert_int_equal(r.products.due, 2);
    assert_int_equal(r.products.on_time, 1);
    assert_int_equal(r.products.late, 1);
    iom_arena_free(&a);
}

/* Review 113 M3: a delivered product counts in the period it was delivered in (on time when
   delivered by the end of its due day in the UK, early ones included); an undelivered one
   counts as not delivered once its due day in the period has passed, never before. */
static void products_where_they_happen(void **state)
{
    (void)state;
    iom_arena a;
    iom_arena_init(&a);
    iom_error e = {0};
    apmis_period p;
    const int64_t d0 = T0 / DAY;
    apmis_tasking_row tk[] = {{1, T0 - 30 * DAY, IOM_TS_CLOSED, IOM_MARKING_OFFICIAL},
                              {2, T0 - 30 * DAY, IOM_TS_IN_DEVELOPMENT, IOM_MARKING_OFFICIAL}};
    /* 1. The period 2026-01-01 to 2026-01-10 ([D0, D10)), the report made later. */
    assert_int_equal(apmis_period_make("2026-01-01", "2026-01-10", T0 + 100 * DAY, d0 + 100, &p, &e), IOM_OK);
    apmis_due_row dues[] = {
        {1, IOM_PRODUCT_SUBJECT_PROFILE, d0 + 20},   /* due after the period, delivered D5: on time */
        {1, IOM_PRODUCT_RISK_ANALYSIS, d0 - 5},      /* due before it, delivered D3: late */
        {1, IOM_PRODUCT_MARKET_PROFILE, d0 - 3},     /* due before it, never delivered: its day
                                                        passed before the period: not counted */
        {1, IOM_PRODUCT_NETWORK_ANALYSIS, d0 + 2},   /* delivered D-1, before the period: not counted */
        {1, IOM_PRODUCT_PROBLEM_PROFILE, d0 + 8},    /* due D8, never delivered: not delivered */
        {1, IOM_PRODUCT_TACTICAL_ASSESSMENT, d0 + 12}, /* due D12, delivered D15: not counted */
    };
    apmis_delivery_row del[] = {
        {1, IOM_PRODUCT_SUBJECT_PROFILE, T0 + 5 * DAY},
        {1, IOM_PRODUCT_RISK_ANALYSIS, T0 + 3 * DAY},
        {1, IOM_PRODUCT_NETWORK_ANALYSIS, T0 - DAY},
        {1, IOM_PRODUCT_TACTICAL_ASSESSMENT, T0 + 15 * DAY},
    };
    apmis_report_input in = {tk, 2, NULL, 0, dues, 6, del, 4, NULL, 0, NULL, 0, NULL, 0};
    apmis_report r;
    apmis_report_compute(&in, &p, &a, &r);
    assert_int_equal(r.products.due, 3);
    assert_int_equal(r.products.on_time, 1);
    assert_int_equal(r.products.late, 1);
    assert_int_equal(r.products.not_delivered, 1);
    /* the same rows over the whole of January: D15's delivery is in it, late for D12 (3 days
       after), and the problem profile still not delivered: 4, on time 1, late 2, not 1 */
    assert_int_equal(apmis_period_make("2026-01-01", "2026-01-31", T0 + 100 * DAY, d0 + 100, &p, &e), IOM_OK);
    apmis_report_compute(&in, &p, &a, &r);
    assert_int_equal(r.products.due, 4);
    assert_int_equal(r.products.on_time, 1);
    assert_int_equal(r.products.late, 2);
    assert_int_equal(r.products.not_delivered, 1);

    /* 2. A --to after today: now is 2026-01-10 12:00 GMT (D9 noon), the period runs to now. */
    int64_t now = T0 + 9 * DAY + 12 * 3600;
    assert_int_equal(apmis_period_make("2026-01-01", "2026-01-31", now, d0 + 9, &p, &e), IOM_OK);
    apmis_due_row dues2[] = {
        {2, IOM_PRODUCT_STRATEGIC_ASSESSMENT, d0 + 9},      /* due today, not delivered: not yet */
        {2, IOM_PRODUCT_RESULTS_ANALYSIS, d0 + 8},          /* due yesterday, not delivered */
        {2, IOM_PRODUCT_CRIME_PATTERN_ANALYSIS, d0 + 20},   /* due later: not counted (review 113) */
        {2, IOM_PRODUCT_INTELLIGENCE_REPORT, d0 + 20},      /* due later, delivered today: on time */
    };
    apmis_delivery_row del2[] = {{2, IOM_PRODUCT_INTELLIGENCE_REPORT, T0 + 9 * DAY + 8 * 3600}};
    apmis_report_input in2 = {tk, 2, NULL, 0, dues2, 4, del2, 1, NULL, 0, NULL, 0, NULL, 0};
    apmis_report_compute(&in2, &p, &a, &r);
    assert_int_equal(r.products.due, 2);
    assert_int_equal(r.products.on_time, 1);
    assert_int_equal(r.products.late, 0);
    assert_int_equal(r.products.not_delivered, 1);
    /* the next day, the one due today has passed too */
    now += DAY;
    assert_int_equal(apmis_period_make("2026-01-01", "2026-01-31", now, d0 + 10, &p, &e), IOM_OK);
    apmis_report_compute(&in2, &p, &a, &r);
    assert_int_equal(r.products.due, 3);
    assert_int_equal(r.products.not_delivered, 2);
    iom_arena_free(&a);
}

/* Aggregation over crafted rows; period [D0, D10), now later. */
static void aggregation(void **state)
{
    (void)state;
    iom_arena a;
    iom_arena_init(&a);
    iom_error e = {0};
    apmis_period p;
    assert_int_equal(apmis_period_make("2026-01-01", "2026-01-10", T0 + 100 * DAY, (T0 + 100 * DAY) / DAY, &p, &e), IOM_OK);
    assert_int_equal(p.end, T0 + 10 * DAY);
    apmis_tasking_row tk[] = {
        {1, T0 - 5 * DAY, IOM_TS_CLOSED, IOM_MARKING_OFFICIAL},   /* ended before start */
        {2, T0 + 2 * DAY, IOM_TS_SUBMITTED, IOM_MARKING_OFFICIAL}, /* no events */
        {3, T0 - DAY, IOM_TS_FORWARDED, IOM_MARKING_OFFICIAL},
        {4, T0 + 12 * DAY, IOM_TS_DRAFT, IOM_MARKING_OFFICIAL_SENSITIVE}, /* after the end */
    };
    apmis_event_row ev[] = {
        {1, T0 - 5 * DAY, IOM_TS_DRAFT}, {1, T0 - 4 * DAY, IOM_TS_WITHDRAWN},
        /* 3: draft from D-1 to D1 (2 days, began before the start: counted whole), submitted
           D1..D4 with a stay at D2 (one visit of 3 days), forwarded from D4 to the end D10. */
        {3, T0 - DAY, IOM_TS_DRAFT}, {3, T0 + DAY, IOM_TS_SUBMITTED},
        {3, T0 + 2 * DAY, IOM_TS_SUBMITTED}, {3, T0 + 4 * DAY, IOM_TS_FORWARDED},
    };
    apmis_due_row dues[] = {
        {3, IOM_PRODUCT_SUBJECT_PROFILE, T0 / DAY + 3},  /* delivered D3 23:59:59: on time */
        {3, IOM_PRODUCT_RISK_ANALYSIS, T0 / DAY + 5},    /* delivered D6: late */
        {3, IOM_PRODUCT_MARKET_PROFILE, T0 / DAY + 9},   /* delivered D10 (the end): not yet */
        {3, IOM_PRODUCT_NETWORK_ANALYSIS, T0 / DAY + 20}, /* after the period: not counted */
        {2, IOM_PRODUCT_RISK_ANALYSIS, T0 / DAY - 1},    /* before the period */
    };
    apmis_delivery_row del[] = {
        {3, IOM_PRODUCT_RISK_ANALYSIS, T0 + 6 * DAY},
        {3, IOM_PRODUCT_SUBJECT_PROFILE, T0 + 4 * DAY - 1},
        {3, IOM_PRODUCT_MARKET_PROFILE, T0 + 10 * DAY},
        {3, IOM_PRODUCT_NETWORK_ANALYSIS, 0},
    };
    apmis_option_row opt[] = {
        {T0 + DAY, IOM_OPTION_ACTIONED, IOM_STRAND_PREPARE},
        {T0 + 10 * DAY, IOM_OPTION_ACTIONED, IOM_STRAND_PREPARE}, /* at the end: excluded */
        {T0, IOM_OPTION_PROPOSED, IOM_STRAND_PURSUE},             /* at the start: included */
    };
    apmis_intel_row intel[] = {
        {T0 + DAY, 1, IOM_MARKING_OFFICIAL}, {T0 + DAY, 0, IOM_MARKING_OFFICIAL},
        {T0 - 1, 1, IOM_MARKING_OFFICIAL_SENSITIVE}, /* before: not counted, not marking */
    };
    apmis_disruption_row dis[] = {
        {T0 / DAY, IOM_IMPACT_NONE, true, 1, 2, 3, IOM_MARKING_OFFICIAL},
        {T0 / DAY + 9, IOM_IMPACT_NEGATIVE, false, 10, 20, 30, IOM_MARKING_OFFICIAL},
        {T0 / DAY + 10, IOM_IMPACT_MAJOR, true, 100, 200, 300, IOM_MARKING_OFFICIAL},
        {T0 / DAY + 1, IOM_IMPACT_MAJOR, true, INT64_MAX, 0, 0, IOM_MARKING_OFFICIAL},
    };
    apmis_report_input in = {tk, 4, ev, 6, dues, 5, del, 4, opt, 3, intel, 3, dis, 4};
    apmis_report r;
    apmis_report_compute(&in, &p, &a, &r);
    /* Tasking 4's row is passed in (a store gives rows created before the end only; the
       marking of what was passed counts): the report is OFFICIAL-SENSITIVE. */
    assert_int_equal(r.marking, IOM_MARKING_OFFICIAL_SENSITIVE);
    assert_int_equal(r.taskings, 2);
    assert_int_equal(r.by_state[IOM_TS_SUBMITTED], 1);
    assert_int_equal(r.by_state[IOM_TS_FORWARDED], 1);
    assert_int_equal(r.by_state[IOM_TS_CLOSED], 0);
    assert_int_equal(r.by_state[IOM_TS_WITHDRAWN], 0);
    /* draft: tasking 3 only (2 days); tasking 1's draft ended before the start. */
    assert_int_equal(r.time[IOM_TS_DRAFT].visits, 1);
    assert_int_equal(r.time[IOM_TS_DRAFT].total_seconds, 2 * DAY);
    /* submitted: tasking 2 (no events: since created D2, to the end: 8 days) and tasking 3
       (3 days): median 5.5 days, p90 3 + 0.9*5 = 7.5 days. */
    assert_int_equal(r.time[IOM_TS_SUBMITTED].visits, 2);
    assert_int_equal(r.time[IOM_TS_SUBMITTED].total_seconds, 11 * DAY);
    assert_int_equal(r.time[IOM_TS_SUBMITTED].median_seconds, 5 * DAY + DAY / 2);
    assert_int_equal(r.time[IOM_TS_SUBMITTED].p90_seconds, 7 * DAY + DAY / 2);
    assert_int_equal(r.time[IOM_TS_FORWARDED].visits, 1);
    assert_int_equal(r.time[IOM_TS_FORWARDED].median_seconds, 6 * DAY);
    assert_int_equal(r.time[IOM_TS_WITHDRAWN].visits, 0);
    assert_int_equal(r.products.due, 3);
    assert_int_equal(r.products.on_time, 1);
    assert_int_equal(r.products.late, 1);
    assert_int_equal(r.products.not_delivered, 1);
    assert_int_equal(r.options.recorded, 2);
    assert_int_equal(r.options.by_status[IOM_OPTION_ACTIONED], 1);
    assert_int_equal(r.options.by_status[IOM_OPTION_PROPOSED], 1);
    assert_int_equal(r.options.actioned_by_strand[IOM_STRAND_PREPARE], 1);
    assert_int_equal(r.pnd.items, 2);
    assert_int_equal(r.pnd.recorded, 1);
    assert_int_equal(r.pnd.pending, 1);
    /* Disruptions dated D0..D9 inclusive (the one on D10 is after --to). Arrests saturate
       rather than overflow. */
    assert_int_equal(r.disruptions_all.count, 3);
    assert_int_equal(r.disruptions_all.by_impact[IOM_IMPACT_NONE], 1);
    assert_int_equal(r.disruptions_all.by_impact[IOM_IMPACT_NEGATIVE], 1);
    assert_int_equal(r.disruptions_all.by_impact[IOM_IMPACT_MAJOR], 1);
    assert_int_equal(r.disruptions_all.arrests, INT64_MAX);
    assert_int_equal(r.disruptions_all.safeguarded, 22);
    assert_int_equal(r.disruptions_all.seized_pence, 33);
    assert_int_equal(r.disruptions_toex.count, 2);
    assert_int_equal(r.disruptions_toex.safeguarded, 2);
    iom_arena_free(&a);
}

/* What is counted marks the report (review 125 L2): an option or a delivered product marked
   above its tasking, counted in the period, makes an OFFICIAL tasking's report
   OFFICIAL-SENSITIVE; outside the period it does not. */
static void counted_rows_mark_the_report(void **state)
{
    (void)state;
    iom_arena a;
    iom_arena_init(&a);
    iom_error e = {0};
    apmis_period p;
    assert_int_equal(apmis_period_make("2026-01-01", "2026-01-10", T0 + 100 * DAY, (T0 + 100 * DAY) / DAY, &p, &e), IOM_OK);
    apmis_tasking_row tk[] = {{1, T0 + DAY, IOM_TS_SUBMITTED, IOM_MARKING_OFFICIAL}};
    apmis_option_row opt[] = {{T0 + 2 * DAY, IOM_OPTION_PROPOSED, IOM_STRAND_PURSUE, IOM_MARKING_OFFICIAL_SENSITIVE}};
    apmis_due_row dues[] = {{1, IOM_PRODUCT_RISK_ANALYSIS, T0 / DAY + 5}};
    apmis_delivery_row del[] = {{1, IOM_PRODUCT_RISK_ANALYSIS, T0 + 3 * DAY, IOM_MARKING_OFFICIAL_SENSITIVE}};
    apmis_report r;
    apmis_report_input in = {tk, 1, NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0};
    apmis_report_compute(&in, &p, &a, &r);
    assert_int_equal(r.marking, IOM_MARKING_OFFICIAL);
    in.options = opt, in.noptions = 1;
    apmis_report_compute(&in, &p, &a, &r);
    assert_int_equal(r.options.recorded, 1);
    assert_int_equal(r.marking, IOM_MARKING_OFFICIAL_SENSITIVE);
    opt[0].created_at = T0 + 20 * DAY; /* after the period: not counted, no marking */
    apmis_report_compute(&in, &p, &a, &r);
    assert_int_equal(r.marking, IOM_MARKING_OFFICIAL);
    in.dues = dues, in.ndues = 1, in.deliveries = del, in.ndeliveries = 1;
    apmis_report_compute(&in, &p, &a, &r);
    assert_int_equal(r.products.on_time, 1);
    assert_int_equal(r.marking, IOM_MARKING_OFFICIAL_SENSITIVE);
    iom_arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(percentiles_by_hand), cmocka_unit_test(validation),
        cmocka_unit_test(days_and_period),     cmocka_unit_test(who_may),
        cmocka_unit_test(aggregation), cmocka_unit_test(counted_rows_mark_the_report),
        cmocka_unit_test(products_where_they_happen),
        cmocka_unit_test(on_time_by_the_uk_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
