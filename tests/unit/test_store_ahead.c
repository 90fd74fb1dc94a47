/*
 * test_store_ahead.c: statements run ahead (tasking_store.h view_ahead, db_driver.ahead), on
 * both back-ends.
 *
 * On PostgreSQL view_ahead sends the statements of a tasking view's parts in one pipeline and
 * each later call takes its result; on SQLite it does nothing. Either way every call must
 * return exactly what it returns without the hint:
 *   - same_answers: for every demo tasking, the seven parts read with and without the hint
 *     (and with the calls in another order than the pipeline's) are the same;
 *   - only_its_transaction: a result run ahead and not taken is never given to a later
 *     transaction, which sees what was committed meanwhile (an event added, a member added);
 *   - only_its_values: a statement run ahead for one tasking and then run for another returns
 *     the other's rows, and the first's afterwards;
 *   - write_transaction: the hint in a write transaction runs nothing ahead, and a change made
 *     in it is seen by the calls after it.
 * On PostgreSQL each hint must have run all seven statements ahead (else the comparisons
 * would compare nothing); on SQLite none.
 */
#include "test_http_support.h" /* hw_open: a migrated store with its context (no server here) */

#include "app/demo.h"
#include "store/tasking_store.h"

typedef struct world {
    hworld *hw;
    int64_t ids[64];
    size_t n;
} world;

static void ok(world *w, iom_err err)
{
    if (err != IOM_OK)
        fail_msg("%s: %s", iom_err_name(err), w->hw->c.err.msg);
}

#define TSO(w) ((w)->hw->store->ops->tasking)

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    /* the clock after the demo's history */
    w->hw = hw_open("ahead.db", 1795600000, true, "ahead-test");
    app_demo_result r;
    ok(w, app_demo(&w->hw->c, "ahead test password", &r));
    /* every tasking of the demo, by the list of the store (no scope: all) */
    ok(w, w->hw->store->ops->begin(w->hw->store, false, &w->hw->c.err));
    iom_tasking_filter f = {.state = -1};
    f.scope.all = IOM_ACCESS_AUDIT;
    f.scope.clearance = IOM_MARKING_OFFICIAL_SENSITIVE;
    iom_tasking_t *ts;
    size_t n;
    ok(w, TSO(w)->list(w->hw->store, &f, &w->hw->arena, &ts, &n, &w->hw->c.err));
    ok(w, w->hw->store->ops->commit(w->hw->store, &w->hw->c.err));
    assert_true(n >= 10 && n <= 64);
    for (size_t i = 0; i < n; i++)
        w->ids[i] = ts[i].id;
    w->n = n;
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    hw_close_world(w->hw);
    free(w);
    return 0;
}

static const char *s_(const char *s) { return s ? s : "(null)"; }

/* The seven parts of a tasking's view as text, read in the current transaction; `order` 0
   reads them in view_ahead's order, 1 in reverse. */
static void read_parts(world *w, int64_t id, int order, iom_buf *b)
{
    iom_store *s = w->hw->store;
    iom_arena *a = &w->hw->arena;
    iom_error *e = &w->hw->c.err;
    for (int k = 0; k < 7; k++) {
        int part = order ? 6 - k : k;
        switch (part) {
        case 0: {
            iom_tasking_event_t *ev;
            size_t n;
            ok(w, TSO(w)->events(s, id, a, &ev, &n, e));
            iom_buf_printf(b, "events %zu:", n);
            for (size_t i = 0; i < n; i++)
                iom_buf_printf(b, " %lld %lld %s %s %s %d>%d %s;", (long long)ev[i].id,
                               (long long)ev[i].at, s_(ev[i].action), s_(ev[i].actor), s_(ev[i].role),
                               ev[i].from_state, (int)ev[i].to_state, s_(ev[i].reason));
            break;
        }
        case 1: {
            iom_transfer_t x;
            iom_err err = TSO(w)->transfer_latest(s, id, a, &x, e);
            if (err == IOM_ENOTFOUND)
                iom_buf_printf(b, "\ntransfer none");
            else {
                ok(w, err);
                iom_buf_printf(b, "\ntransfer %lld %s %s %s %s %s", (long long)x.id, s_(x.rationale),
                               s_(x.from_owner), s_(x.new_owner), s_(x.new_sio), s_(x.decision));
            }
            break;
        }
        case 2: {
            iom_member_t *m;
            size_t n;
            ok(w, TSO(w)->members(s, id, a, &m, &n, e));
            iom_buf_printf(b, "\nmembers %zu:", n);
            for (size_t i = 0; i < n; i++)
                iom_buf_printf(b, " %lld %s %lld;", (long long)m[i].user_id, s_(m[i].user),
                               (long long)m[i].added_at);
            break;
        }
        case 3: {
            int64_t v = -1;
            ok(w, TSO(w)->tor_agreed_version(s, id, &v, e));
            iom_buf_printf(b, "\nagreed %lld", (long long)v);
            break;
        }
        case 4: {
            iom_tor_t t;
            iom_err err = TSO(w)->tor_get(s, id, 0, a, &t, e);
            if (err == IOM_ENOTFOUND)
                iom_buf_printf(b, "\ntor none");
            else {
                ok(w, err);
                iom_buf_printf(b, "\ntor %lld v%lld %s %s %s %s %lld %lld", (long long)t.id,
                               (long long)t.version, s_(t.content_json), s_(t.proposer),
                               s_(t.sia_agreed), s_(t.sio_agreed), (long long)t.sia_agreed_at,
                               (long long)t.sio_agreed_at);
            }
            break;
        }
        case 5: {
            iom_milestone_done_t *d;
            size_t n;
            ok(w, TSO(w)->milestones_done(s, id, a, &d, &n, e));
            iom_buf_printf(b, "\nmilestones %zu:", n);
            for (size_t i = 0; i < n; i++)
                iom_buf_printf(b, " %s %lld %s;", s_(d[i].name), (long long)d[i].done_at,
                               s_(d[i].done_by));
            break;
        }
        default: {
            iom_assessment_t x;
            iom_err err = TSO(w)->assessment_latest(s, id, "reassessment", a, &x, e);
            if (err == IOM_ENOTFOUND)
                iom_buf_printf(b, "\nreassessment none");
            else {
                ok(w, err);
                iom_buf_printf(b, "\nreassessment %lld v%lld %s %d %s %lld %lld", (long long)x.id,
                               (long long)x.version, s_(x.content_json), x.score_tenths,
                               s_(x.band), (long long)x.sia_signed_by, (long long)x.sio_signed_by);
            }
            break;
        }
        }
    }
}

static bool on_pg(world *w) { return strcmp(w->hw->store->ops->name, "postgresql") == 0; }

/* The transaction's first statement (as the use-case reads the tasking before its parts),
   then the hint: on PostgreSQL all seven run ahead, on SQLite none. */
static void hint(world *w, int64_t id)
{
    bool member;
    ok(w, TSO(w)->is_member(w->hw->store, id, 1, &member, &w->hw->c.err));
    assert_non_null(TSO(w)->view_ahead);
    assert_int_equal(TSO(w)->view_ahead(w->hw->store, id, true), on_pg(w) ? 7 : 0);
}

/* Parts of tasking id read in their own read transaction, with or without the hint first. */
static char *parts(world *w, int64_t id, bool ahead, int order)
{
    iom_buf b = IOM_BUF_INIT;
    ok(w, w->hw->store->ops->begin(w->hw->store, false, &w->hw->c.err));
    if (ahead)
        hint(w, id);
    read_parts(w, id, order, &b);
    ok(w, w->hw->store->ops->commit(w->hw->store, &w->hw->c.err));
    char *out = strdup(iom_buf_cstr(&b));
    iom_buf_free(&b);
    return out;
}

static void same_answers(void **state)
{
    world *w = *state;
    size_t with_tor = 0, with_transfer = 0, with_members = 0;
    for (size_t i = 0; i < w->n; i++) {
        char *plain = parts(w, w->ids[i], false, 0);
        char *ahead = parts(w, w->ids[i], true, 0);
        char *reverse = parts(w, w->ids[i], true, 1);
        char *plain_rev = parts(w, w->ids[i], false, 1);
        assert_string_equal(ahead, plain);
        assert_string_equal(reverse, plain_rev);
        with_tor += strstr(plain, "\ntor none") == NULL;
        with_transfer += strstr(plain, "\ntransfer none") == NULL;
        with_members += strstr(plain, "\nmembers 0:") == NULL;
        free(plain);
        free(ahead);
        free(reverse);
        free(plain_rev);
    }
    /* the demo gives the comparison something to compare */
    assert_true(with_tor >= 3);
    assert_true(with_transfer >= 1);
    assert_true(with_members >= 3);
}

static int64_t count_of(const char *text, const char *label)
{
    const char *p = strstr(text, label);
    assert_non_null(p);
    return strtoll(p + strlen(label), NULL, 10);
}

static void only_its_transaction(void **state)
{
    world *w = *state;
    int64_t id = w->ids[1];
    char *before = parts(w, id, false, 0);
    /* run ahead, never taken */
    ok(w, w->hw->store->ops->begin(w->hw->store, false, &w->hw->c.err));
    hint(w, id);
    ok(w, w->hw->store->ops->commit(w->hw->store, &w->hw->c.err));
    /* a change committed after it: an event, and a member the team did not have */
    ok(w, w->hw->store->ops->begin(w->hw->store, true, &w->hw->c.err));
    iom_tasking_event_t ev = {.tasking_id = id, .at = 1795600100, .action = "note",
                              .role = "admin", .from_state = -1, .to_state = IOM_TS_DRAFT,
                              .reason = "ahead test"};
    iom_member_t *m;
    size_t nm;
    ok(w, TSO(w)->members(w->hw->store, id, &w->hw->arena, &m, &nm, &w->hw->c.err));
    int64_t newcomer = 0;
    for (int64_t u = 1; u < 64 && !newcomer; u++) {
        bool on = false;
        for (size_t i = 0; i < nm; i++)
            on = on || m[i].user_id == u;
        if (!on)
            newcomer = u;
    }
    ev.actor_id = newcomer;
    ok(w, TSO(w)->event_add(w->hw->store, &ev, &w->hw->c.err));
    ok(w, TSO(w)->member_add(w->hw->store, id, newcomer, 1795600100, newcomer, &w->hw->c.err));
    ok(w, w->hw->store->ops->commit(w->hw->store, &w->hw->c.err));
    /* the next read transaction, hint or not, sees both */
    char *after = parts(w, id, false, 1);
    char *after_ahead = parts(w, id, true, 0);
    char *after_plain = parts(w, id, false, 0);
    assert_int_equal(count_of(after, "events "), count_of(before, "events ") + 1);
    assert_int_equal(count_of(after, "\nmembers "), count_of(before, "\nmembers ") + 1);
    assert_non_null(strstr(after_ahead, "ahead test"));
    assert_string_equal(after_ahead, after_plain);
    free(before);
    free(after);
    free(after_ahead);
    free(after_plain);
}

static void only_its_values(void **state)
{
    world *w = *state;
    /* two taskings whose views differ */
    int64_t a = 0, b = 0;
    char *pa = NULL, *pb = NULL;
    for (size_t i = 0; i < w->n && !b; i++) {
        char *p = parts(w, w->ids[i], false, 0);
        if (!a) {
            a = w->ids[i];
            pa = p;
        } else if (strcmp(p, pa) != 0) {
            b = w->ids[i];
            pb = p;
        } else
            free(p);
    }
    assert_true(a && b);
    ok(w, w->hw->store->ops->begin(w->hw->store, false, &w->hw->c.err));
    hint(w, a);
    iom_buf x = IOM_BUF_INIT, y = IOM_BUF_INIT;
    read_parts(w, b, 0, &x); /* the other tasking first: its own rows */
    read_parts(w, a, 1, &y); /* then the one run ahead */
    ok(w, w->hw->store->ops->commit(w->hw->store, &w->hw->c.err));
    assert_string_equal(iom_buf_cstr(&x), pb);
    char *pa_rev = parts(w, a, false, 1);
    assert_string_equal(iom_buf_cstr(&y), pa_rev);
    iom_buf_free(&x);
    iom_buf_free(&y);
    free(pa);
    free(pb);
    free(pa_rev);
}

static void write_transaction(void **state)
{
    world *w = *state;
    int64_t id = w->ids[2];
    ok(w, w->hw->store->ops->begin(w->hw->store, true, &w->hw->c.err));
    assert_int_equal(TSO(w)->view_ahead(w->hw->store, id, true), 0); /* a write transaction */
    iom_buf b1 = IOM_BUF_INIT, b2 = IOM_BUF_INIT;
    read_parts(w, id, 0, &b1);
    iom_tasking_event_t ev = {.tasking_id = id, .at = 1795600200, .action = "note", .actor_id = 1,
                              .role = "admin", .from_state = -1, .to_state = IOM_TS_DRAFT,
                              .reason = "written in the write transaction"};
    assert_int_equal(TSO(w)->view_ahead(w->hw->store, id, true), 0);
    ok(w, TSO(w)->event_add(w->hw->store, &ev, &w->hw->c.err));
    read_parts(w, id, 0, &b2);
    ok(w, w->hw->store->ops->commit(w->hw->store, &w->hw->c.err));
    assert_int_equal(count_of(iom_buf_cstr(&b2), "events "), count_of(iom_buf_cstr(&b1), "events ") + 1);
    assert_non_null(strstr(iom_buf_cstr(&b2), "written in the write transaction"));
    iom_buf_free(&b1);
    iom_buf_free(&b2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(same_answers, setup, teardown),
        cmocka_unit_test_setup_teardown(only_its_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(only_its_values, setup, teardown),
        cmocka_unit_test_setup_teardown(write_transaction, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
