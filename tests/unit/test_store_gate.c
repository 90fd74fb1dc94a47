/*
 * test_store_gate.c: the write gate of one process on one database (sqlite_store.c), on both
 * back-ends.
 *
 * Changes of one process are admitted in the order they ask. A change that waited its turn
 * longer than the busy timeout (5 s) is refused busy (review 77 L3: a change behind a 20 s
 * import waited the 20 s, and its worker thread with it), and the turn it gave up is passed
 * on: the changes after it are not stalled by it.
 */
#include "test_http_support.h" /* hw_open: a migrated store (no server here) */

#include <time.h>

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static iom_store *open_again(hworld *w)
{
    iom_store *s = NULL;
    iom_error e = {0};
    if (iom_store_open(w->db, 0, &s, &e) != IOM_OK)
        fail_msg("open %s: %s", w->db, e.msg);
    return s;
}

static void gives_up_and_passes_on(void **state)
{
    (void)state;
    hworld *w = hw_open("gate.db", 1764000000, true, "gate-test");
    iom_store *a = open_again(w), *b = open_again(w), *c = open_again(w);
    iom_error e = {0};
    assert_int_equal(a->ops->begin(a, true, &e), IOM_OK);
    /* b waits its turn behind a's change, then gives up, refused busy */
    double t0 = mono();
    assert_int_equal(b->ops->begin(b, true, &e), IOM_EBUSY);
    double waited = mono() - t0;
    fprintf(stderr, "gave up after %.2f s: %s\n", waited, e.msg);
    assert_true(waited >= 4.5 && waited < 30);
    assert_non_null(strstr(e.msg, "the database is busy"));
    /* reads go on meanwhile */
    assert_int_equal(c->ops->begin(c, false, &e), IOM_OK);
    c->ops->rollback(c);
    a->ops->rollback(a);
    /* the turn b gave up is passed on: c's change begins at once, then b's */
    t0 = mono();
    assert_int_equal(c->ops->begin(c, true, &e), IOM_OK);
    assert_true(mono() - t0 < 2);
    c->ops->rollback(c);
    assert_int_equal(b->ops->begin(b, true, &e), IOM_OK);
    assert_int_equal(b->ops->commit(b, &e), IOM_OK);
    assert_int_equal(a->ops->begin(a, true, &e), IOM_OK);
    a->ops->rollback(a);
    iom_store_close(a);
    iom_store_close(b);
    iom_store_close(c);
    hw_close_world(w); /* no server was started */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gives_up_and_passes_on),
    };
    return cmocka_run_group_tests_name("store: the write gate", tests, NULL, NULL);
}
