/*
 * Issue 19 point 5 (SQLite): `iom backup`, `iom restore`, `iom copy` through the built binary.
 *
 *   backup_is_a_consistent_copy  FILE and FILE.reads (mode 0600), without the audit key; taken
 *                                while another connection holds an uncommitted write (not in
 *                                it); `store.backup` audited with the file's SHA-256; an
 *                                existing FILE is refused without --force.
 *   restore_round_trip           onto a new path with the key beside it: the data and both
 *                                files back, the chain verifies, `store.restore` audited.
 *   restore_refusals             an existing database without --force, a file that is not an
 *                                iom database, a newer schema, no key: refused, nothing changed
 *                                or created.
 *   restore_migrates_older       a backup of an older schema is migrated on restore.
 *   copy_verified                every table's rows the same, the key copied (0600), the copy's
 *                                chain verifies, `store.copy` audited in it.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "testutil.h"

static char *DIR_, *DB;

static char *path(const char *name) { return t_fmt("%s/%s", DIR_, name); }

static t_result iom(const char *a1, const char *a2, const char *a3, const char *a4, const char *a5,
                    const char *a6, const char *a7)
{
    const char *argv[] = {a1, a2, a3, a4, a5, a6, a7, NULL};
    return t_run(NULL, argv);
}

static void ok(t_result r)
{
    if (r.status != 0)
        fprintf(stderr, "failed (%d): %s%s\n", r.status, r.out, r.err);
    assert_int_equal(r.status, 0);
    t_result_free(&r);
}

static void refused(t_result r, int status, const char *needle)
{
    if (r.status != status || !strstr(r.err, needle))
        fprintf(stderr, "wanted %d naming '%s'; got %d: %s%s\n", status, needle, r.status, r.out, r.err);
    assert_int_equal(r.status, status);
    assert_non_null(strstr(r.err, needle));
    t_result_free(&r);
}

static bool exists(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0;
}

static int mode_of(const char *p)
{
    struct stat sb;
    assert_int_equal(stat(p, &sb), 0);
    return (int)(sb.st_mode & 0777);
}

/* Is needle in the file? Read in a child: this process may hold connections on it. */
static bool file_has(const char *p, const char *needle)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        FILE *f = fopen(p, "rb");
        if (!f)
            _exit(1);
        static char buf[1 << 24];
        size_t got = fread(buf, 1, sizeof buf, f);
        _exit(got && memmem(buf, got, needle, strlen(needle)) ? 0 : 1);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static int setup(void **state)
{
    (void)state;
    DIR_ = t_tmpdir();
    DB = path("iom.db");
    ok(t_runv(NULL, "--db", DB, "demo", "--password", "backup test password 2026", NULL));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    t_tmpdir_free(DIR_);
    free(DB);
    return 0;
}

static void backup_is_a_consistent_copy(void **state)
{
    (void)state;
    char *out = path("b1.db"), *reads = path("b1.db.reads"), *keyf = path("iom.db.key");
    long long threats = t_db_scalar(DB, "SELECT count(*) FROM threat");
    /* an uncommitted write of another connection is not in the backup */
    sqlite3 *w;
    assert_int_equal(sqlite3_open(DB, &w), SQLITE_OK);
    sqlite3_busy_timeout(w, 5000);
    assert_int_equal(sqlite3_exec(w, "BEGIN IMMEDIATE; INSERT INTO holiday(day, name) VALUES ('2031-12-31',"
                                     " 'UNCOMMITTED-MARKER')", NULL, NULL, NULL),
                     SQLITE_OK);
    /* the backup runs while the write is open; its own audit entry waits for the writer */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        t_result c = iom("--db", DB, "--json", "backup", "--out", out, NULL);
        if (c.status)
            fprintf(stderr, "%s%s\n", c.out, c.err);
        _exit(c.status == 0 && strstr(c.out, "\"sha256\"") ? 0 : 1);
    }
    usleep(300 * 1000);
    assert_int_equal(sqlite3_exec(w, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(w);
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    assert_true(exists(out));
    assert_true(exists(reads));
    assert_int_equal(mode_of(out), 0600);
    assert_int_equal(mode_of(reads), 0600);
    assert_int_equal(t_db_scalar(out, "SELECT count(*) FROM threat"), threats);
    assert_int_equal(t_db_scalar(out, "SELECT count(*) FROM holiday WHERE name = 'UNCOMMITTED-MARKER'"), 0);
    /* the audit key is not in it */
    char key[80] = "";
    FILE *kf = fopen(keyf, "r");
    assert_non_null(kf);
    assert_non_null(fgets(key, sizeof key, kf));
    fclose(kf);
    key[strcspn(key, "\n")] = '\0';
    assert_int_equal(strlen(key), 64);
    assert_false(file_has(out, key));
    assert_false(file_has(reads, key));
    /* recorded in the source, with the file's checksum */
    assert_int_equal(t_db_scalar(DB, "SELECT count(*) FROM audit WHERE action = 'store.backup' AND after_json"
                                     " LIKE '%\"sha256\":\"%'"),
                     1);
    /* an existing backup is not overwritten without --force */
    refused(iom("--db", DB, "backup", "--out", out, NULL, NULL), 6, "--force");
    ok(iom("--db", DB, "backup", "--out", out, "--force", NULL));
    refused(iom("--db", DB, "backup", "--out", DB, NULL, NULL), 3, "the database itself");
    /* never over the database's own files or its key, even with --force, by any spelling */
    char *reads_of_db = t_fmt("%s.reads", DB), *dotted = t_fmt("%s/./iom.db.key", DIR_);
    refused(iom("--db", DB, "backup", "--out", reads_of_db, "--force", NULL), 3, "the database itself");
    refused(iom("--db", DB, "backup", "--out", keyf, "--force", NULL), 3, "the audit key");
    refused(iom("--db", DB, "backup", "--out", dotted, "--force", NULL), 3, "the audit key");
    char key2[80] = "";
    kf = fopen(keyf, "r");
    assert_non_null(kf);
    assert_non_null(fgets(key2, sizeof key2, kf));
    fclose(kf);
    key2[strcspn(key2, "\n")] = '\0';
    assert_string_equal(key, key2); /* the key is intact */
    free(reads_of_db);
    free(dotted);
    free(out);
    free(reads);
    free(keyf);
}

static void restore_round_trip(void **state)
{
    (void)state;
    char *from = path("b1.db"), *to = path("r1.db"), *key = path("r1.db.key"), *src_key = path("iom.db.key");
    /* the key is restored apart, beside the target */
    char *cp = t_fmt("cp '%s' '%s'", src_key, key);
    assert_int_equal(system(cp), 0);
    free(cp);
    ok(iom("--db", to, "restore", "--from", from, NULL, NULL));
    char *reads = t_fmt("%s.reads", to);
    assert_true(exists(reads));
    free(reads);
    assert_int_equal(t_db_scalar(to, "SELECT count(*) FROM threat"), t_db_scalar(DB, "SELECT count(*) FROM threat"));
    assert_int_equal(t_db_scalar(to, "SELECT count(*) FROM audit WHERE action = 'store.restore'"), 1);
    ok(t_runv(NULL, "--db", to, "--as", "auditor", "audit", "verify", NULL));
    ok(t_runv(NULL, "--db", to, "--as", "auditor", "audit", "verify", "--reads", NULL));
    free(from);
    free(to);
    free(key);
    free(src_key);
}

static void restore_refusals(void **state)
{
    (void)state;
    char *from = path("b1.db"), *to = path("r1.db");
    char *before = t_db_fingerprint(to);
    refused(iom("--db", to, "restore", "--from", from, NULL, NULL), 6, "--force");
    char *junk = path("junk.db");
    FILE *f = fopen(junk, "w");
    fputs("not a database\n", f);
    fclose(f);
    refused(iom("--db", to, "restore", "--from", junk, "--force", NULL), 3, "not an iom database");
    char *newer = path("newer.db"), *newer_reads = path("newer.db.reads");
    char *cp = t_fmt("cp '%s' '%s' && cp '%s.reads' '%s'", from, newer, from, newer_reads);
    assert_int_equal(system(cp), 0);
    free(cp);
    assert_int_equal(t_db_exec(newer, "PRAGMA user_version = 99"), 0);
    refused(iom("--db", to, "restore", "--from", newer, "--force", NULL), 11, "newer than this binary");
    char *after = t_db_fingerprint(to);
    assert_string_equal(before, after);
    /* no key beside the target: nothing is created */
    char *nokey = path("nokey.db");
    refused(iom("--db", nokey, "restore", "--from", from, NULL, NULL), 9, "audit key");
    assert_false(exists(nokey));
    free(before);
    free(after);
    free(junk);
    free(newer);
    free(newer_reads);
    free(nokey);
    free(from);
    free(to);
}

static void restore_migrates_older(void **state)
{
    (void)state;
    char *from = path("b1.db"), *old = path("old.db"), *old_reads = path("old.db.reads"), *to = path("r2.db");
    char *cp = t_fmt("cp '%s' '%s' && cp '%s.reads' '%s' && cp '%s/iom.db.key' '%s.key'", from, old, from, old_reads,
                     DIR_, to);
    assert_int_equal(system(cp), 0);
    free(cp);
    long long latest = t_db_scalar(from, "PRAGMA user_version");
    char *q = t_fmt("PRAGMA user_version = %lld", latest - 1);
    assert_int_equal(t_db_exec(old, q), 0);
    free(q);
    t_result r = iom("--db", to, "--json", "restore", "--from", old, NULL);
    assert_int_equal(r.status, 0);
    char *want = t_fmt("\"migrated_to\": %lld", latest);
    assert_non_null(strstr(r.out, want));
    free(want);
    t_result_free(&r);
    assert_int_equal(t_db_scalar(to, "PRAGMA user_version"), latest);
    free(from);
    free(old);
    free(old_reads);
    free(to);
}

static void copy_verified(void **state)
{
    (void)state;
    char *to = path("copy.db"), *key = path("copy.db.key");
    t_result r = iom("copy", "--from", DB, "--to", to, "--json", NULL);
    if (r.status)
        fprintf(stderr, "%s%s\n", r.out, r.err);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\"tables\""));
    t_result_free(&r);
    assert_int_equal(mode_of(key), 0600);
    assert_int_equal(t_db_scalar(to, "SELECT count(*) FROM entity"), t_db_scalar(DB, "SELECT count(*) FROM entity"));
    assert_int_equal(t_db_scalar(to, "SELECT count(*) FROM audit WHERE action = 'store.copy'"), 1);
    ok(t_runv(NULL, "--db", to, "--as", "auditor", "audit", "verify", NULL));
    refused(iom("copy", "--from", DB, "--to", to, NULL, NULL), 6, "--force");
    char *missing = path("missing.db");
    refused(iom("copy", "--from", missing, "--to", to, "--force", NULL), 11, "does not exist");
    free(missing);
    /* onto itself: the message names the copy (review 83 L7: it said "backup") */
    refused(iom("copy", "--from", to, "--to", to, "--force", NULL), 3, "copy: '");
    free(to);
    free(key);
}

/* Review 47: a backup, a copy and a restore write new files of their own (0600, O_EXCL) and
   rename them into place; a link or a special file at the target is refused; a failed run
   removes only what it made; demo never deletes a file that was there before it. */
static void targets_are_written_safely(void **state)
{
    (void)state;
    /* an existing 0666 file replaced (--force): the copy is 0600, not the old file's mode */
    char *loose = path("loose.db");
    FILE *f = fopen(loose, "w");
    fclose(f);
    assert_int_equal(chmod(loose, 0666), 0);
    ok(t_runv(NULL, "--db", DB, "--as", "admin", "backup", "--out", loose, "--force", NULL));
    assert_int_equal(mode_of(loose), 0600);
    /* a symbolic link at the target (dangling, or to a file): refused, nothing written there */
    char *victim = path("victim.db"), *link = path("link.db");
    assert_int_equal(symlink(victim, link), 0);
    refused(t_runv(NULL, "--db", DB, "--as", "admin", "backup", "--out", link, "--force", NULL), 3, "symbolic link");
    assert_false(exists(victim));
    /* a directory at the .reads: refused before anything, the previous backup as it was */
    char *prev = path("prev.db"), *prev_reads = path("prev.db.reads");
    ok(t_runv(NULL, "--db", DB, "--as", "admin", "backup", "--out", prev, NULL));
    char *fp = t_db_fingerprint(prev);
    char *other = path("other.db"), *other_reads = path("other.db.reads");
    ok(t_runv(NULL, "--db", DB, "--as", "admin", "backup", "--out", other, NULL));
    assert_int_equal(unlink(other_reads), 0);
    assert_int_equal(mkdir(other_reads, 0700), 0);
    refused(t_runv(NULL, "--db", DB, "--as", "admin", "backup", "--out", other, "--force", NULL), 3, "directory");
    assert_true(exists(other));
    char *fp2 = t_db_fingerprint(prev);
    assert_string_equal(fp, fp2);
    /* restore: a leftover <db>.restoring decides nothing (its mode, or a link's target) */
    char *to = path("rs.db"), *key = path("rs.db.key"), *src_key = path("iom.db.key");
    char *cp = t_fmt("cp '%s' '%s'", src_key, key);
    assert_int_equal(system(cp), 0);
    free(cp);
    char *restoring = path("rs.db.restoring");
    f = fopen(restoring, "w");
    fclose(f);
    assert_int_equal(chmod(restoring, 0666), 0);
    ok(t_runv(NULL, "--db", to, "restore", "--from", prev, NULL));
    assert_int_equal(mode_of(to), 0600);
    char *to2 = path("rs2.db"), *key2 = path("rs2.db.key"), *restoring2 = path("rs2.db.restoring");
    char *elsewhere = path("elsewhere.db");
    cp = t_fmt("cp '%s' '%s'", src_key, key2);
    assert_int_equal(system(cp), 0);
    free(cp);
    assert_int_equal(symlink(elsewhere, restoring2), 0);
    refused(t_runv(NULL, "--db", to2, "restore", "--from", prev, NULL), 3, "symbolic link");
    assert_false(exists(elsewhere));
    struct stat sb;
    assert_true(lstat(to2, &sb) != 0 || !S_ISLNK(sb.st_mode));
    /* demo on another program's database: refused, and the file is still there */
    char *foreign = path("foreign.sqlite");
    assert_int_equal(t_db_exec(foreign, "CREATE TABLE agency(x); INSERT INTO agency VALUES ('important')"), 0);
    t_result r = t_runv(NULL, "--db", foreign, "demo", "--password", "backup test password 2026", NULL);
    assert_true(r.status != 0);
    t_result_free(&r);
    assert_true(exists(foreign));
    assert_int_equal(t_db_scalar(foreign, "SELECT count(*) FROM agency"), 1);
    free(loose), free(victim), free(link), free(prev), free(prev_reads), free(fp), free(fp2);
    free(other), free(other_reads), free(to), free(key), free(src_key), free(restoring);
    free(to2), free(key2), free(restoring2), free(elsewhere), free(foreign);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(backup_is_a_consistent_copy),
        cmocka_unit_test(restore_round_trip),
        cmocka_unit_test(restore_refusals),
        cmocka_unit_test(restore_migrates_older),
        cmocka_unit_test(copy_verified),
        cmocka_unit_test(targets_are_written_safely),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
