/*
 * The analysis of the picture through the API (issue 17 point 5; docs/api.md "Analysis"):
 * `iom serve` in-process over the demo database (app_demo, as `iom demo` makes it). The
 * demo's first tasking has a mule network, a cycle and structuring in its transactions and a
 * set of call records (issue 17 point 6): each is found over HTTP with its evidence; the
 * network analyses answer on its picture; the timeline is in order; a user of another region
 * gets 404 for every route; a refused import (an amount that is not a number, an unknown
 * currency) changes nothing; every read is in the read log.
 */
#include "test_http_support.h"

#include "app/demo.h"
#include "ops/internal.h"
#include "ops/ops.h"

#define DEMO_NOW 1795608000 /* 2026-11-25T12:00:00Z */
#define T1 "TOEX-2026-000001"

static hworld *W;

static int setup(void **state)
{
    (void)state;
    (void)hw_new; /* of test_http_support.h, not used here */
    W = hw_open("demo.db", DEMO_NOW, true, "analysis-http-test");
    app_demo_result r;
    hw_ok(W, app_demo(&W->c, PASSWORD, &r));
    hw_serve(W, 5);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hw_free(W);
    return 0;
}

/* A call as user; asserts the status; returns the body's JSON (owned). */
static json_t *call(const char *user, const char *method, const char *path, const char *body, int status)
{
    hw_login(W, user);
    hresp r = hw_as(W, method, path, NULL, body);
    hw_expect(&r, status);
    json_t *j = json_incref(r.json);
    hresp_free(&r);
    return j;
}

static long long count(const char *sql)
{
    char *db = t_fmt("%s", W->db);
    long long v = t_db_scalar(db, sql);
    free(db);
    return v;
}

static void demo_money_is_found(void **state)
{
    (void)state;
    json_t *j = call("toex-analyst", "POST", "/api/v1/taskings/" T1 "/finance/mules", "{}", 200);
    assert_int_equal(json_integer_value(json_object_get(j, "count")), 2);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(j, "items"), i, it) {
        assert_int_equal(json_array_size(json_object_get(it, "transactions")), 7); /* six in, one out */
        assert_int_equal(json_array_size(json_object_get(json_object_get(it, "account"), "holders")), 1);
        assert_string_equal(json_string_value(json_object_get(it, "passed")), "8650.00");
    }
    json_decref(j);
    j = call("toex-analyst", "POST", "/api/v1/taskings/" T1 "/finance/cycles", "{}", 200);
    assert_int_equal(json_integer_value(json_object_get(j, "count")), 1);
    json_t *cy = json_array_get(json_object_get(j, "items"), 0);
    assert_int_equal(json_array_size(json_object_get(cy, "accounts")), 3);
    assert_string_equal(json_string_value(json_object_get(cy, "amount")), "19000.00");
    json_decref(j);
    j = call("toex-analyst", "POST", "/api/v1/taskings/" T1 "/finance/structuring", "{\"top\": 10}", 200);
    json_array_foreach(json_object_get(j, "items"), i, it)
        assert_int_equal(json_integer_value(json_object_get(it, "count")), 4);
    assert_int_equal(json_integer_value(json_object_get(j, "count")), 2); /* sender and receiver */
    json_decref(j);
    j = call("toex-analyst", "POST", "/api/v1/taskings/" T1 "/finance/fans", "{}", 200);
    assert_int_equal(json_integer_value(json_object_get(j, "count")), 2); /* six victims into each mule */
    json_decref(j);
    /* bad input in the body: a field the route does not take */
    json_decref(call("toex-analyst", "POST", "/api/v1/taskings/" T1 "/finance/flows", "{\"colour\": 1}", 400));
}

static void demo_calls_and_network(void **state)
{
    (void)state;
    json_t *j = call("toex-analyst", "POST", "/api/v1/taskings/" T1 "/comms/contacts", "{}", 200);
    assert_true(json_integer_value(json_object_get(j, "count")) >= 3);
    json_decref(j);
    /* the two mules' phones share the controller and 'Auntie' */
    j = call("toex-analyst", "POST", "/api/v1/taskings/" T1 "/comms/common",
             "{\"phone\": \"07700 900108\", \"other\": \"07700 900404\"}", 200);
    assert_int_equal(json_integer_value(json_object_get(j, "count")), 2);
    assert_int_equal(json_integer_value(json_object_get(j, "direct")), 0);
    json_decref(j);
    json_decref(call("toex-analyst", "POST", "/api/v1/taskings/" T1 "/comms/common", "{\"phone\": \"07700 900108\"}",
                     400));
    j = call("toex-analyst", "POST", "/api/v1/taskings/" T1 "/comms/activity", "{}", 200);
    json_t *h = json_object_get(json_object_get(j, "activity"), "by_hour");
    assert_int_equal(json_array_size(h), 24);
    json_decref(j);
    j = call("toex-analyst", "POST", "/api/v1/taskings/" T1 "/graph/stats", "{\"entity_types\": [\"person\"]}", 200);
    assert_true(json_integer_value(json_object_get(j, "nodes")) > 100);
    json_decref(j);
    j = call("toex-analyst", "POST", "/api/v1/taskings/" T1 "/graph/communities", "{\"method\": \"leiden\"}", 200);
    assert_true(json_real_value(json_object_get(j, "modularity")) > 0.5);
    json_decref(j);
    json_decref(call("toex-analyst", "POST", "/api/v1/taskings/" T1 "/graph/communities", "{\"method\": \"magic\"}",
                     400));
    /* min_grade_any judges min_grade on each source: without a min_grade it asked for a filter
       and got the whole network, unsaid (review 89 L5) */
    j = call("toex-analyst", "POST", "/api/v1/taskings/" T1 "/graph/stats", "{\"min_grade_any\": true}", 400);
    assert_string_equal(json_string_value(json_object_get(j, "detail")), "min_grade_any: needs min_grade");
    json_decref(j);
    json_decref(call("toex-analyst", "POST", "/api/v1/taskings/" T1 "/graph/stats", "{\"min_grade_any\": false}",
                     200));
    j = call("toex-analyst", "GET", "/api/v1/taskings/" T1 "/timeline?limit=50", NULL, 200);
    json_t *items = json_object_get(j, "items");
    assert_int_equal(json_array_size(items), 50);
    assert_true(json_is_true(json_object_get(j, "truncated")));
    const char *prev = "";
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) {
        const char *at = json_string_value(json_object_get(it, "at"));
        assert_true(strcmp(prev, at) <= 0);
        prev = at;
    }
    json_decref(j);
    /* saved as a product of a tasking in development */
    j = call("toex-analyst", "POST", "/api/v1/taskings/TOEX-2026-000002/graph/stats",
             "{\"save\": \"network_analysis\"}", 200);
    const char *prd = json_string_value(json_object_get(json_object_get(j, "product"), "ref"));
    assert_non_null(prd);
    char *q = t_fmt("SELECT count(*) FROM product WHERE ref = '%s' AND type = 'network_analysis'", prd);
    assert_int_equal(count(q), 1);
    free(q);
    json_decref(j);
    j = call("toex-analyst", "GET", "/api/v1/taskings/" T1 "/finance/imports", NULL, 200);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
    json_decref(j);
}

static void another_region_and_refusals(void **state)
{
    (void)state;
    static const char *const posts[] = {"graph/stats", "graph/central", "finance/flows", "finance/mules",
                                        "comms/contacts", "comms/activity"};
    for (size_t i = 0; i < sizeof posts / sizeof *posts; i++) {
        char *p = t_fmt("/api/v1/taskings/" T1 "/%s", posts[i]);
        hw_login(W, "met-spoc");
        hresp r = hw_as(W, "POST", p, NULL, "{}");
        hw_expect_problem(&r, 404, "not found");
        free(p);
    }
    hw_login(W, "met-spoc");
    hresp r = hw_as(W, "GET", "/api/v1/taskings/" T1 "/timeline", NULL, NULL);
    hw_expect_problem(&r, 404, "not found");
    /* a refused import changes nothing: an amount that is not a number, an unknown currency,
       a tasking whose state allows no change */
    long long before = count("SELECT count(*) FROM fin_txn");
    hw_login(W, "toex-analyst");
    r = hw_as(W, "POST", "/api/v1/taskings/TOEX-2026-000002/finance/imports", NULL,
              "{\"csv\": \"date,from,to,amount,currency\\n2026-08-01,11-22-33 12345678,40-50-60 87654321,ten,GBP\\n\"}");
    hw_expect_problem(&r, 400, "row 1: amount");
    r = hw_as(W, "POST", "/api/v1/taskings/TOEX-2026-000002/finance/imports", NULL,
              "{\"csv\": \"date,from,to,amount,currency\\n2026-08-01,11-22-33 12345678,40-50-60 87654321,10,ZZZ\\n\"}");
    hw_expect_problem(&r, 400, "row 1: currency");
    r = hw_as(W, "POST", "/api/v1/taskings/" T1 "/finance/imports", NULL,
              "{\"csv\": \"date,from,to,amount,currency\\n2026-08-01,11-22-33 12345678,40-50-60 87654321,10,GBP\\n\"}");
    hw_expect(&r, 409); /* the demo's first tasking is closed */
    hresp_free(&r);
    assert_int_equal(count("SELECT count(*) FROM fin_txn"), before);
    /* every analysis above was logged as a read of the tasking's intelligence */
    assert_true(count("SELECT count(*) FROM read_log WHERE action = 'intel.consult' AND object_ref = '" T1 "'"
                      " AND after_json LIKE '%finance.mules%'") >= 1);
    assert_true(count("SELECT count(*) FROM read_log WHERE action = 'intel.consult' AND after_json LIKE"
                      " '%\"timeline\"%'") >= 1);
}

/* review 111 M2: the gate refuses at once (no request waits inside a server thread): one
   analysis per user, two at most, one fewer than the server's threads; the CLI is not gated. */
static void gate_refuses_at_once(void **state)
{
    (void)state;
    iom_ctx a = {.via = "http", .actor_name = "analyst-a"}, a2 = a, b = {.via = "http", .actor_name = "analyst-b"},
            c3 = {.via = "http", .actor_name = "analyst-c"}, cli = {.via = "cli", .actor_name = "analyst-a"};
    int sa, sa2, sb, sc, scli;
    op_analyses_threads(2); /* a two-thread server: one at a time */
    assert_int_equal(op_analysis_enter(&a, &sa), IOM_OK);
    assert_true(sa >= 0);
    assert_int_equal(op_analysis_enter(&a2, &sa2), IOM_EBUSY);
    assert_int_equal(sa2, -1);
    assert_non_null(strstr(a2.err.msg, "one of yours"));
    assert_int_equal(op_analysis_enter(&b, &sb), IOM_EBUSY);
    assert_non_null(strstr(b.err.msg, "1 analysis is running"));
    assert_int_equal(op_analysis_enter(&cli, &scli), IOM_OK); /* a process of its own */
    assert_int_equal(scli, -1);
    op_analysis_leave(scli);
    op_analyses_threads(4); /* two at once, each user one */
    assert_int_equal(op_analysis_enter(&b, &sb), IOM_OK);
    assert_int_equal(op_analysis_enter(&c3, &sc), IOM_EBUSY);
    assert_non_null(strstr(c3.err.msg, "2 analyses are running"));
    op_analysis_leave(sa);
    assert_int_equal(op_analysis_enter(&c3, &sc), IOM_OK);
    assert_int_equal(op_analysis_enter(&a2, &sa2), IOM_EBUSY); /* full again */
    op_analysis_leave(sb);
    op_analysis_leave(sc);
    assert_int_equal(op_analysis_enter(&a2, &sa2), IOM_OK);
    op_analysis_leave(sa2);
    op_analyses_threads(4);
}

/* review 111 L2: a list's cursor is a reference as a path takes it (any case, any zero
   padding), compared in reference order, not as text */
static void cursor_as_a_path_takes_it(void **state)
{
    (void)state;
    json_t *first = call("toex-analyst", "GET", "/api/v1/taskings/" T1 "/entities?limit=2", NULL, 200);
    const char *next = json_string_value(json_object_get(first, "next"));
    assert_non_null(next);
    assert_non_null(strstr(next, "ENT-"));
    char *canon = t_fmt("/api/v1/taskings/" T1 "/entities?limit=2&after=%s", next);
    json_t *want = call("toex-analyst", "GET", canon, NULL, 200);
    assert_int_equal(json_array_size(json_object_get(want, "items")), 2);
    const char *digits = next + 4;
    while (*digits == '0')
        digits++;
    char *lower = t_fmt("/api/v1/taskings/" T1 "/entities?limit=2&after=ent-%s", digits),
         *padded = t_fmt("/api/v1/taskings/" T1 "/entities?limit=2&after=ENT-000000%s", digits);
    const char *alts[] = {lower, padded};
    for (size_t i = 0; i < 2; i++) {
        json_t *got = call("toex-analyst", "GET", alts[i], NULL, 200);
        assert_true(json_equal(json_object_get(got, "items"), json_object_get(want, "items")));
        json_decref(got);
    }
    free(lower);
    free(padded);
    free(canon);
    json_decref(want);
    json_decref(first);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gate_refuses_at_once),
        cmocka_unit_test(cursor_as_a_path_takes_it),
        cmocka_unit_test(demo_money_is_found),
        cmocka_unit_test(demo_calls_and_network),
        cmocka_unit_test(another_region_and_refusals),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
