/*
 * test_store_acache.c: the rows a store handle keeps while the cache epoch stands
 * (src/store/sqlite/sqlite_acache.c, migration 18), on both back-ends.
 *
 * A handle serves an API token by its hash, a user, a user's security row, the roles that need
 * TOTP, the holidays and a setting's versions again without reading them, and must still see
 * every change another connection committed before its transaction began: a token revoked, a
 * user disabled, a second factor required, a holiday or a setting version added. Within one
 * read transaction it sees its snapshot only. A write transaction never uses the cache. And
 * the cache is really used: with the user table's epoch trigger switched off, a change to a user
 * is not seen until a change to another cached table moves the epoch.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/audit.h"
#include "app/auth.h"
#include "store/settings_store.h"
#include "store/store.h"
#include "store/tasking_store.h"

typedef struct world {
    char *dir, *db;
    iom_store *a;      /* the handle under test */
    iom_arena arena;
    char hash[IOM_TOKEN_HASH_HEX]; /* wy-spoc's API token */
} world;

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    w->dir = t_tmpdir();
    w->db = t_make_db(w->dir);
    iom_arena_init(&w->arena);
    iom_error e = {0};
    /* a token for wy-spoc, made by the admin through the use-case */
    iom_store *b = NULL;
    assert_int_equal(iom_store_open(w->db, 0, &b, &e), IOM_OK);
    iom_ctx c;
    app_ctx_init(&c, b, &w->arena);
    c.actor_name = "admin";
    assert_int_equal(audit_key_load(audit_key_path(&w->arena, w->db), c.audit_key, &e), IOM_OK);
    c.has_audit_key = true;
    app_token_created tc;
    if (app_token_create(&c, "wy-spoc", 1, &tc) != IOM_OK)
        fail_msg("token create: %s", c.err.msg);
    memcpy(w->hash, tc.t.token_hash, sizeof w->hash);
    iom_store_close(b);
    assert_int_equal(iom_store_open(w->db, 0, &w->a, &e), IOM_OK);
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    iom_store_close(w->a);
    iom_arena_free(&w->arena);
    t_tmpdir_free(w->dir);
    free(w->db);
    free(w);
    return 0;
}

static void begin(world *w, bool write)
{
    iom_error e = {0};
    assert_int_equal(w->a->ops->begin(w->a, write, &e), IOM_OK);
}

static void end(world *w)
{
    iom_error e = {0};
    assert_int_equal(w->a->ops->commit(w->a, &e), IOM_OK);
}

static bool disabled(world *w, const char *name)
{
    iom_user_t u;
    iom_error e = {0};
    assert_int_equal(w->a->ops->user_get(w->a, name, &w->arena, &u, &e), IOM_OK);
    assert_string_equal(u.name, name);
    return u.disabled;
}

/* One read transaction that reads the user twice (the second from the cache). */
static bool disabled_tx(world *w, const char *name)
{
    begin(w, false);
    bool d1 = disabled(w, name), d2 = disabled(w, name);
    end(w);
    assert_int_equal(d1, d2);
    return d1;
}

static void exec(world *w, const char *sql) { assert_int_equal(t_db_exec(w->db, sql), 0); }

static void user_disabled_elsewhere(void **state)
{
    world *w = *state;
    assert_false(disabled_tx(w, "wy-spoc"));
    assert_false(disabled_tx(w, "wy-spoc")); /* cached now */
    exec(w, "UPDATE \"user\" SET disabled = 1 WHERE name = 'wy-spoc'");
    assert_true(disabled_tx(w, "wy-spoc"));
    exec(w, "UPDATE \"user\" SET disabled = 0 WHERE name = 'wy-spoc'");
    assert_false(disabled_tx(w, "wy-spoc"));
}

static void snapshot_kept_within_a_transaction(void **state)
{
    world *w = *state;
    assert_false(disabled_tx(w, "wy-sio"));
    begin(w, false);
    assert_false(disabled(w, "wy-sio"));
    exec(w, "UPDATE \"user\" SET disabled = 1 WHERE name = 'wy-sio'");
    assert_false(disabled(w, "wy-sio")); /* its snapshot: before the change */
    end(w);
    assert_true(disabled_tx(w, "wy-sio"));
}

static int64_t revoked_at(world *w)
{
    iom_api_token_t t;
    iom_error e = {0};
    begin(w, false);
    assert_int_equal(w->a->ops->auth->token_get(w->a, w->hash, NULL, &w->arena, &t, &e), IOM_OK);
    iom_api_token_t again;
    assert_int_equal(w->a->ops->auth->token_get(w->a, w->hash, NULL, &w->arena, &again, &e), IOM_OK);
    end(w);
    assert_string_equal(t.user_name, "wy-spoc");
    assert_string_equal(again.user_name, "wy-spoc");
    assert_int_equal(t.revoked_at, again.revoked_at);
    return t.revoked_at;
}

/* revoked_at of the token in the table (a write transaction never uses the cache) */
static int64_t revoked_at_table(world *w)
{
    iom_api_token_t t;
    iom_error e = {0};
    iom_store *b = NULL;
    assert_int_equal(iom_store_open(w->db, 0, &b, &e), IOM_OK);
    assert_int_equal(b->ops->begin(b, true, &e), IOM_OK);
    assert_int_equal(b->ops->auth->token_get(b, w->hash, NULL, &w->arena, &t, &e), IOM_OK);
    b->ops->rollback(b);
    iom_store_close(b);
    return t.revoked_at;
}

static void token_revoked_elsewhere(void **state)
{
    world *w = *state;
    assert_int_equal(revoked_at(w), 0);
    assert_int_equal(revoked_at(w), 0);
    exec(w, "UPDATE api_token SET revoked_at = 1234 WHERE revoked_at = 0");
    assert_int_equal(revoked_at(w), 1234);
}

static void security_and_totp_roles(void **state)
{
    world *w = *state;
    iom_error e = {0};
    iom_user_t u;
    begin(w, false);
    assert_int_equal(w->a->ops->user_get(w->a, "wy-spoc", &w->arena, &u, &e), IOM_OK);
    iom_user_security_t sec;
    iom_roles roles = 1;
    assert_int_equal(w->a->ops->auth->security_get(w->a, u.id, &w->arena, &sec, &e), IOM_OK);
    assert_int_equal(w->a->ops->auth->totp_roles_get(w->a, &roles, &e), IOM_OK);
    end(w);
    assert_false(sec.must_change_password);
    assert_int_equal(roles, 0);
    char *sql = t_fmt("INSERT INTO user_security(user_id, must_change_password, totp_secret,"
                      " totp_confirmed, totp_last_step) VALUES (%lld, 1, NULL, 0, 0) ON CONFLICT(user_id)"
                      " DO UPDATE SET must_change_password = 1",
                      (long long)u.id);
    exec(w, sql);
    free(sql);
    exec(w, "INSERT INTO role_totp(role, set_at) VALUES ('spoc', 1)");
    begin(w, false);
    assert_int_equal(w->a->ops->auth->security_get(w->a, u.id, &w->arena, &sec, &e), IOM_OK);
    assert_int_equal(w->a->ops->auth->totp_roles_get(w->a, &roles, &e), IOM_OK);
    end(w);
    assert_true(sec.must_change_password);
    assert_int_equal(roles, IOM_ROLE_BIT(IOM_ROLE_SPOC));
}

static size_t holidays(world *w)
{
    iom_holiday_t *h;
    size_t n = 0, again = 0;
    iom_error e = {0};
    begin(w, false);
    assert_int_equal(w->a->ops->holiday_list(w->a, &w->arena, &h, &n, &e), IOM_OK);
    assert_int_equal(w->a->ops->holiday_list(w->a, &w->arena, &h, &again, &e), IOM_OK);
    end(w);
    assert_int_equal(n, again);
    return n;
}

static size_t versions(world *w, const char *name)
{
    iom_setting_t *v;
    size_t n = 0;
    iom_error e = {0};
    begin(w, false);
    assert_int_equal(w->a->ops->settings->history(w->a, name, 0, 0, &w->arena, &v, &n, &e), IOM_OK);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(v[i].name, name);
    end(w);
    return n;
}

static void holidays_and_settings(void **state)
{
    world *w = *state;
    size_t h = holidays(w), s = versions(w, "triage.target_days");
    assert_int_equal(holidays(w), h);
    assert_int_equal(versions(w, "triage.target_days"), s);
    exec(w, "INSERT INTO holiday(day, name) VALUES ('2031-07-07', 'A test holiday')");
    assert_int_equal(holidays(w), h + 1);
    exec(w, "INSERT INTO setting(name, version, value_json, reason, changed_by, changed_at)"
            " SELECT name, version + 1, value_json, 'a second version',"
            " (SELECT id FROM \"user\" WHERE name = 'admin'), 1 FROM setting"
            " WHERE name = 'triage.target_days' AND version = 1");
    assert_int_equal(versions(w, "triage.target_days"), s + 1);
}

static void write_transactions_read_the_tables(void **state)
{
    world *w = *state;
    assert_false(disabled_tx(w, "met-spoc")); /* cached */
    /* the epoch trigger of the user table off: a change to a user no longer moves the epoch */
    exec(w, t_pg() ? "DROP TRIGGER user_epoch" : "DROP TRIGGER user_epoch_u");
    exec(w, "UPDATE \"user\" SET disabled = 1 WHERE name = 'met-spoc'");
    begin(w, true); /* a write transaction reads the table */
    assert_true(disabled(w, "met-spoc"));
    w->a->ops->rollback(w->a);
    /* a read transaction is served from the cache: the epoch did not move (this is what the
       triggers are for) */
    assert_false(disabled_tx(w, "met-spoc"));
    /* any change to a cached table moves it: the next read transaction reads the user again */
    exec(w, "INSERT INTO holiday(day, name) VALUES ('2031-07-08', 'Another test holiday')");
    assert_true(disabled_tx(w, "met-spoc"));
}

/* An optimistic read (store.h begin_read_optimistic, PostgreSQL): served from the cache at
   the epoch last seen, checked in the first round trip, or at commit when nothing else ran. */
static int64_t optimistic_revoked_at(world *w, bool run_statement, bool *stale)
{
    iom_error e = {0};
    assert_int_equal(w->a->ops->begin_read_optimistic(w->a, &e), IOM_OK);
    iom_api_token_t t;
    assert_int_equal(w->a->ops->auth->token_get(w->a, w->hash, NULL, &w->arena, &t, &e), IOM_OK);
    if (run_statement) { /* a read the cache does not hold: BEGIN, the epoch and it at once */
        iom_region_t *r;
        size_t n = 0;
        assert_int_equal(w->a->ops->region_list(w->a, &w->arena, &r, &n, &e), IOM_OK);
        assert_true(n >= 9);
        /* the snapshot's epoch is known now: the cache serves this snapshot's rows */
        iom_api_token_t again;
        assert_int_equal(w->a->ops->auth->token_get(w->a, w->hash, NULL, &w->arena, &again, &e), IOM_OK);
        assert_int_equal(again.revoked_at, revoked_at_table(w));
    }
    end(w);
    *stale = w->a->ops->read_stale(w->a);
    assert_false(w->a->ops->read_stale(w->a)); /* said once */
    return t.revoked_at;
}

static void optimistic_reads(void **state)
{
    world *w = *state;
    if (!t_pg()) { /* SQLite reads the epoch in-process: nothing to guess */
        assert_null(w->a->ops->begin_read_optimistic);
        assert_null(w->a->ops->read_stale);
        return;
    }
    for (int with = 0; with < 2; with++) {
        bool stale = true;
        exec(w, "UPDATE api_token SET revoked_at = 0");
        assert_int_equal(revoked_at(w), 0); /* the cache holds the token at this epoch */
        assert_int_equal(optimistic_revoked_at(w, with, &stale), 0);
        assert_false(stale); /* nothing moved: the guess held */
        exec(w, "UPDATE api_token SET revoked_at = 1234");
        /* the guess serves the token as it was, and the check says so */
        assert_int_equal(optimistic_revoked_at(w, with, &stale), 0);
        assert_true(stale);
        /* the cache was rebased on the epoch seen: served again, it is the table's */
        assert_int_equal(optimistic_revoked_at(w, with, &stale), 1234);
        assert_false(stale);
        assert_int_equal(revoked_at(w), 1234);
    }
    /* the COMMIT of an optimistic read that ran a statement is owed until the handle's next
       statement or until end_idle finds it idle long enough */
    bool stale = false;
    optimistic_revoked_at(w, true, &stale);
    assert_false(w->a->ops->end_idle(w->a, 3600u * 1000000u)); /* not idle an hour */
    assert_int_equal(t_db_scalar(w->db, "SELECT count(*) FROM pg_stat_activity WHERE datname ="
                                        " current_database() AND state = 'idle in transaction'"),
                     1);
    assert_true(w->a->ops->end_idle(w->a, 0));
    assert_false(w->a->ops->end_idle(w->a, 0)); /* nothing left */
    assert_int_equal(t_db_scalar(w->db, "SELECT count(*) FROM pg_stat_activity WHERE datname ="
                                        " current_database() AND state = 'idle in transaction'"),
                     0);
    /* a rolled-back optimistic read, and a plain read after it, leave nothing behind */
    iom_error e = {0};
    assert_int_equal(w->a->ops->begin_read_optimistic(w->a, &e), IOM_OK);
    w->a->ops->rollback(w->a);
    assert_false(w->a->ops->read_stale(w->a));
    assert_false(disabled_tx(w, "wy-spoc"));
    assert_false(w->a->ops->read_stale(w->a));
}

/* The CLI, expecting success; its standard output (malloc'd, the first line). */
static char *run_ok(world *w, const char *const *argv)
{
    const char *av[32];
    size_t n = 0;
    av[n++] = "--db";
    av[n++] = w->db;
    for (size_t i = 0; argv[i] && n < 31; i++)
        av[n++] = argv[i];
    av[n] = NULL;
    t_result r = t_run(NULL, av);
    if (r.status != 0)
        fprintf(stderr, "command failed (%d): %s%s\n", r.status, r.out, r.err);
    assert_int_equal(r.status, 0);
    char *out = strdup(r.out);
    out[strcspn(out, "\n")] = '\0';
    t_result_free(&r);
    return out;
}
#define RUN(w, ...) run_ok(w, (const char *const[]){__VA_ARGS__, NULL})

/* A tasking read by the handle after its owner became an agency the handle's cache of names
   has not seen (review 104: the requesting agency's cached row was freed by the reload the
   owner's lookup made, and then read: a heap use-after-free that sent the answer of an FTT's
   decision without its requesting_agency, or with another's bytes). Both names are right. */
static void names_of_a_tasking_after_a_new_owner(void **state)
{
    world *w = *state;
    char *soc = RUN(w, "--as", "wy-spoc", "threat", "add", "--title", "Car wash", "--type", "labour",
                    "--owner", "west-yorkshire", "--sio", "wy-sio", "--force-tasking-ref", "WY-1");
    char *ref = RUN(w, "--as", "wy-spoc", "tasking", "new", "--from-json", t_bid_assessment_file(), "--threat", soc, "--summary", "Workers housed",
                    "--ftm-date", "2026-05-01", "--ftm-ref", "TM-1", "--requirement", "who controls them",
                    "--service", "intel_development");
    iom_error e = {0};
    iom_tasking_t t;
    begin(w, false); /* the handle's cache of agencies: those of now */
    assert_int_equal(w->a->ops->tasking->get(w->a, ref, &w->arena, &t, &e), IOM_OK);
    end(w);
    assert_string_equal(t.requesting_agency, "west-yorkshire");
    assert_string_equal(t.owner, "west-yorkshire");
    /* the bid ends, and West Yorkshire is merged into a force made since: the threat's owner
       is an agency the handle has not read */
    free(RUN(w, "--as", "wy-spoc", "tasking", "withdraw", ref, "--reason", "merged"));
    free(RUN(w, "--as", "admin", "agency", "add", "--code", "wy-new", "--name", "New West Yorkshire Police",
             "--kind", "force", "--region", "yorkshire-humber"));
    free(RUN(w, "--as", "admin", "agency", "merge", "west-yorkshire", "--into", "wy-new", "--reason",
             "the forces merged"));
    begin(w, false);
    assert_int_equal(w->a->ops->tasking->get(w->a, ref, &w->arena, &t, &e), IOM_OK);
    end(w);
    assert_non_null(t.requesting_agency);
    assert_string_equal(t.requesting_agency, "west-yorkshire");
    assert_string_equal(t.owner, "wy-new");
    assert_string_equal(t.requesting_region, "yorkshire-humber");
    assert_string_equal(t.owner_region, "yorkshire-humber");
    free(soc);
    free(ref);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(user_disabled_elsewhere, setup, teardown),
        cmocka_unit_test_setup_teardown(snapshot_kept_within_a_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(token_revoked_elsewhere, setup, teardown),
        cmocka_unit_test_setup_teardown(security_and_totp_roles, setup, teardown),
        cmocka_unit_test_setup_teardown(holidays_and_settings, setup, teardown),
        cmocka_unit_test_setup_teardown(write_transactions_read_the_tables, setup, teardown),
        cmocka_unit_test_setup_teardown(optimistic_reads, setup, teardown),
        cmocka_unit_test_setup_teardown(names_of_a_tasking_after_a_new_owner, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
