/*
 * The audit trail is tamper-evident (issue 3, point 7): editing, deleting or reordering any
 * row directly in the database file makes `iom audit verify` fail naming the entry; deleting
 * the last entries is caught with a checkpoint. Each tamper is done with SQLite directly, as an
 * attacker with file access would. The chain rebuilt without the key, each input of the MAC,
 * splices and checkpoint hashes: test_audit_mac.c.
 */
#include "testutil.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fx {
    char *dir;
    char *db;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    f->dir = t_tmpdir();
    f->db = t_make_db(f->dir);
    for (int i = 0; i < 3; i++) {
        char *title = t_fmt("Threat number %d", i);
        char *ftm = t_fmt("WY-%d", i + 1); /* one threat per escalation (review 84 L9) */
        t_result r = t_runv(NULL, "--db", f->db, "--as", "wy-spoc", "threat", "add", "--title",
                            title, "--type", "labour", "--owner", "west-yorkshire", "--sio",
                            "wy-sio", "--force-tasking-ref", ftm, NULL);
        free(ftm);
        assert_int_equal(r.status, 0);
        t_result_free(&r);
        free(title);
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    t_tmpdir_free(f->dir);
    free(f->db);
    free(f);
    return 0;
}

static t_result verify(fx *f, const char *checkpoint_file)
{
    if (checkpoint_file)
        return t_runv(NULL, "--db", f->db, "--as", "auditor", "audit", "verify", "--checkpoint",
                      checkpoint_file, NULL);
    return t_runv(NULL, "--db", f->db, "--as", "auditor", "audit", "verify", NULL);
}

static void expect_broken_at(fx *f, const char *checkpoint_file, const char *needle)
{
    t_result r = verify(f, checkpoint_file);
    if (r.status != 12 || !strstr(r.err, needle))
        fprintf(stderr, "verify: status %d, stderr: %s (wanted '%s')\n", r.status, r.err, needle);
    assert_int_equal(r.status, 12); /* IOM_EINTEGRITY */
    assert_non_null(strstr(r.err, needle));
    t_result_free(&r);
}

static void unlock(fx *f)
{
    assert_int_equal(t_db_exec(f->db, "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;"),
                     SQLITE_OK);
}

static void intact_chain_verifies(void **state)
{
    fx *f = *state;
    t_result r = verify(f, NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "audit chain intact"));
    t_result_free(&r);
    /* Admins may verify too; other roles may not. */
    r = t_runv(NULL, "--db", f->db, "--as", "admin", "audit", "verify", NULL);
    assert_int_equal(r.status, 0);
    t_result_free(&r);
    r = t_runv(NULL, "--db", f->db, "--as", "wy-spoc", "audit", "verify", NULL);
    assert_int_equal(r.status, 5);
    t_result_free(&r);
}

static void sql_cannot_change_audit(void **state)
{
    fx *f = *state;
    assert_int_not_equal(t_db_exec(f->db, "UPDATE audit SET actor = 'x' WHERE seq = 2"), SQLITE_OK);
    assert_int_not_equal(t_db_exec(f->db, "DELETE FROM audit WHERE seq = 2"), SQLITE_OK);
}

static void edited_row_is_named(void **state)
{
    fx *f = *state;
    unlock(f);
    assert_int_equal(t_db_exec(f->db, "UPDATE audit SET after_json = replace(after_json, "
                                      "'Threat number 1', 'Nothing here') WHERE seq = 13"),
                     SQLITE_OK);
    assert_int_equal(t_db_scalar(f->db, "SELECT count(*) FROM audit WHERE after_json LIKE '%Nothing here%'"), 1);
    expect_broken_at(f, NULL, "entry 13");
}

static void edited_actor_is_named(void **state)
{
    fx *f = *state;
    unlock(f);
    assert_int_equal(t_db_exec(f->db, "UPDATE audit SET actor = 'someone-else' WHERE seq = 4"), SQLITE_OK);
    expect_broken_at(f, NULL, "entry 4");
}

static void deleted_row_is_named(void **state)
{
    fx *f = *state;
    unlock(f);
    assert_int_equal(t_db_exec(f->db, "DELETE FROM audit WHERE seq = 7"), SQLITE_OK);
    expect_broken_at(f, NULL, "entry 7");
}

static void reordered_rows_are_named(void **state)
{
    fx *f = *state;
    unlock(f);
    /* Swap entries 5 and 6 (each keeps its own hash): the order in the file changes. */
    assert_int_equal(t_db_exec(f->db, "UPDATE audit SET seq = -5 WHERE seq = 5;"
                                      "UPDATE audit SET seq = 5 WHERE seq = 6;"
                                      "UPDATE audit SET seq = 6 WHERE seq = -5;"),
                     SQLITE_OK);
    expect_broken_at(f, NULL, "entry 5");
}

static void truncated_tail_needs_checkpoint(void **state)
{
    fx *f = *state;
    t_result cp = t_runv(NULL, "--db", f->db, "--as", "auditor", "audit", "checkpoint", NULL);
    assert_int_equal(cp.status, 0);
    assert_non_null(strstr(cp.out, "iom-audit-checkpoint seq="));
    char *file = t_fmt("%s/checkpoint.txt", f->dir);
    FILE *fp = fopen(file, "w");
    fputs(cp.out, fp);
    fclose(fp);
    long long last = t_db_scalar(f->db, "SELECT max(seq) FROM audit");
    t_result_free(&cp);

    /* The intact chain matches its checkpoint. */
    t_result r = verify(f, file);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "checkpoint matched"));
    t_result_free(&r);

    unlock(f);
    char *sql = t_fmt("DELETE FROM audit WHERE seq >= %lld", last - 1);
    assert_int_equal(t_db_exec(f->db, sql), SQLITE_OK);
    free(sql);
    /* Without the checkpoint a cut tail still forms a valid chain ... */
    r = verify(f, NULL);
    assert_int_equal(r.status, 0);
    t_result_free(&r);
    /* ... with it, the cut is named. */
    char *needle = t_fmt("entry %lld", last - 1);
    expect_broken_at(f, file, needle);
    free(needle);
    free(file);
}

static void missing_key_refuses_changes(void **state)
{
    fx *f = *state;
    char *key = t_fmt("%s.key", f->db);
    char *moved = t_fmt("%s.moved", key);
    assert_int_equal(rename(key, moved), 0);
    char *before = t_db_fingerprint(f->db);
    t_result r = t_runv(NULL, "--db", f->db, "--as", "wy-spoc", "threat", "add", "--title", "T",
                        "--type", "labour", "--owner", "west-yorkshire", "--sio", "wy-sio",
                        "--force-tasking-ref", "R", NULL);
    assert_int_equal(r.status, 9); /* IOM_EIO: key file missing */
    assert_non_null(strstr(r.err, "audit key"));
    t_result_free(&r);
    char *after = t_db_fingerprint(f->db);
    assert_string_equal(before, after);
    assert_int_equal(rename(moved, key), 0);
    free(before); free(after); free(key); free(moved);
}

/* Another well-formed key (a key file copied from another database, a mistyped
   IOM_AUDIT_KEY) is refused before anything is written: before, the change was signed with it
   and every later `audit verify` reported the chain broken at that entry, beyond repair. The
   server refuses to start with it (test_http_auth). */
static void wrong_key_refuses_changes(void **state)
{
    fx *f = *state;
    char *key = t_fmt("%s.key", f->db), *moved = t_fmt("%s.moved", key);
    assert_int_equal(rename(key, moved), 0);
    FILE *k = fopen(key, "w");
    assert_non_null(k);
    fputs("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n", k);
    fclose(k);
    char *before = t_db_fingerprint(f->db);
    t_result r = t_runv(NULL, "--db", f->db, "--as", "wy-spoc", "threat", "add", "--title", "T",
                        "--type", "labour", "--owner", "west-yorkshire", "--sio", "wy-sio",
                        "--force-tasking-ref", "R", NULL);
    if (r.status != 12 || !strstr(r.err, "does not verify under this key"))
        fprintf(stderr, "status %d: %s\n", r.status, r.err);
    assert_int_equal(r.status, 12); /* IOM_EINTEGRITY */
    assert_non_null(strstr(r.err, "audit key: the audit chain's last entry"));
    assert_non_null(strstr(r.err, "does not verify under this key"));
    t_result_free(&r);
    char *after = t_db_fingerprint(f->db);
    assert_string_equal(before, after);
    assert_int_equal(rename(moved, key), 0);
    r = verify(f, NULL); /* with the right key: intact, and changes go on */
    assert_int_equal(r.status, 0);
    t_result_free(&r);
    r = t_runv(NULL, "--db", f->db, "--as", "wy-spoc", "threat", "add", "--title", "T2", "--type",
               "labour", "--owner", "west-yorkshire", "--sio", "wy-sio", "--force-tasking-ref", "R",
               NULL);
    assert_int_equal(r.status, 0);
    t_result_free(&r);
    free(before); free(after); free(key); free(moved);
}

static void log_shows_before_and_after(void **state)
{
    fx *f = *state;
    t_result r = t_runv(NULL, "--db", f->db, "--as", "wy-sio", "threat", "update", "SOC-000002",
                        "--title", "Renamed threat", NULL);
    assert_int_equal(r.status, 0);
    t_result_free(&r);
    r = t_runv(NULL, "--db", f->db, "--as", "auditor", "--json", "audit", "log", "--object",
               "SOC-000002", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\"action\": \"threat.add\""));
    assert_non_null(strstr(r.out, "\"action\": \"threat.update\""));
    assert_non_null(strstr(r.out, "\"title\": \"Threat number 1\""));
    assert_non_null(strstr(r.out, "\"title\": \"Renamed threat\""));
    assert_non_null(strstr(r.out, "\"os_user\""));
    assert_non_null(strstr(r.out, "\"via\": \"cli\""));
    t_result_free(&r);
    /* Only auditors read the log. */
    r = t_runv(NULL, "--db", f->db, "--as", "admin", "audit", "log", NULL);
    assert_int_equal(r.status, 5);
    t_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(intact_chain_verifies, setup, teardown),
        cmocka_unit_test_setup_teardown(sql_cannot_change_audit, setup, teardown),
        cmocka_unit_test_setup_teardown(edited_row_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(edited_actor_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(deleted_row_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(reordered_rows_are_named, setup, teardown),
        cmocka_unit_test_setup_teardown(truncated_tail_needs_checkpoint, setup, teardown),
        cmocka_unit_test_setup_teardown(missing_key_refuses_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(wrong_key_refuses_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(log_shows_before_and_after, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
