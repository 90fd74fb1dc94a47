/*
 * test_app_hold.c: the held read transaction of app.h (app_hold_read / app_release), which
 * the HTTP server opens for every GET so the sign-in check and the use-case read one snapshot.
 *
 * Another connection commits a row while the read is held: every read-only step joined to the
 * hold must still see the old snapshot; a step that begins a write must first end the hold and
 * then see (and keep) the new data; a failed read step must not end the hold.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "store/store.h"

typedef struct world {
    char *dir, *db;
    iom_store *store;
    iom_arena arena;
    iom_ctx c;
} world;

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    w->dir = t_tmpdir();
    w->db = t_fmt("%s/hold.db", w->dir);
    iom_error e = {0};
    assert_int_equal(iom_store_open(w->db, IOM_STORE_CREATE | IOM_STORE_ANY_SCHEMA, &w->store, &e), IOM_OK);
    int from, to;
    assert_int_equal(w->store->ops->migrate(w->store, &from, &to, &e), IOM_OK);
    iom_arena_init(&w->arena);
    app_ctx_init(&w->c, w->store, &w->arena);
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    iom_store_close(w->store);
    iom_arena_free(&w->arena);
    t_tmpdir_free(w->dir);
    free(w->db);
    free(w);
    return 0;
}

/* Regions seen by one read-only step (begin, list, end) through the context. */
static size_t regions_seen(world *w)
{
    iom_region_t *r;
    size_t n = 0;
    assert_int_equal(app_begin(&w->c, false), IOM_OK);
    iom_err err = w->store->ops->region_list(w->store, &w->arena, &r, &n, &w->c.err);
    assert_int_equal(app_end(&w->c, err), IOM_OK);
    return n;
}

static void add_region(world *w, const char *code)
{
    char *sql = t_fmt("INSERT INTO region(code, name) VALUES ('%s', 'Region %s')", code, code);
    assert_int_equal(t_db_exec(w->db, sql), 0);
    free(sql);
}

static void test_joined_reads_share_one_snapshot(void **state)
{
    world *w = *state;
    size_t n0 = regions_seen(w);
    assert_int_equal(app_hold_read(&w->c), IOM_OK);
    assert_true(w->c.held);
    assert_int_equal(regions_seen(w), n0); /* first read fixes the snapshot */
    add_region(w, "zz-one");               /* committed by another connection */
    assert_int_equal(regions_seen(w), n0); /* joined: still the held snapshot */
    assert_int_equal(regions_seen(w), n0);
    assert_true(w->c.held);
    app_release(&w->c);
    assert_false(w->c.held);
    assert_int_equal(regions_seen(w), n0 + 1); /* a fresh transaction sees the commit */
    app_release(&w->c);                        /* safe when nothing is held */
}

static void test_write_ends_the_hold_first(void **state)
{
    world *w = *state;
    assert_int_equal(app_hold_read(&w->c), IOM_OK);
    size_t n0 = regions_seen(w);
    add_region(w, "zz-two");
    assert_int_equal(app_begin(&w->c, true), IOM_OK); /* ends the held read, then writes */
    assert_false(w->c.held);
    iom_region_t *r;
    size_t n = 0;
    assert_int_equal(w->store->ops->region_list(w->store, &w->arena, &r, &n, &w->c.err), IOM_OK);
    assert_int_equal(n, n0 + 1); /* the write sees the latest data, not the held snapshot */
    assert_int_equal(app_end(&w->c, IOM_OK), IOM_OK);
    assert_int_equal(regions_seen(w), n0 + 1);
}

static void test_failed_read_keeps_the_hold(void **state)
{
    world *w = *state;
    assert_int_equal(app_hold_read(&w->c), IOM_OK);
    size_t n0 = regions_seen(w);
    assert_int_equal(app_begin(&w->c, false), IOM_OK);
    assert_int_equal(app_end(&w->c, IOM_ENOTFOUND), IOM_ENOTFOUND); /* error passed through */
    assert_true(w->c.held);
    add_region(w, "zz-three");
    assert_int_equal(regions_seen(w), n0); /* same snapshot: the failure did not end it */
    assert_int_equal(app_hold_read(&w->c), IOM_OK); /* holding again starts a new snapshot */
    assert_int_equal(regions_seen(w), n0 + 1);
    app_release(&w->c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_joined_reads_share_one_snapshot, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_ends_the_hold_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_read_keeps_the_hold, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
