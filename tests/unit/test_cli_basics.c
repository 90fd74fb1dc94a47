/*
 * The foundation as a newcomer meets it: init, reference data (checked against a fixture
 * written from docs/domain.md §2), file permissions, schema version refusal, help for every
 * command, the first-user bootstrap, the JSON shapes and exit codes.
 */
#include "testutil.h"

#include <sys/wait.h>

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

static void reference_data_matches_domain(void **state)
{
    (void)state;
    char *dir = t_tmpdir();
    char *db = t_make_db(dir);
    t_result r = t_runv(NULL, "--db", db, "agency", "list", "--json", NULL);
    assert_int_equal(r.status, 0);
    json_error_t je;
    json_t *doc = json_loads(r.out, 0, &je);
    assert_non_null(doc);
    json_t *items = json_object_get(doc, "items");
    assert_true(json_is_array(items));

    FILE *f = fopen(IOM_SOURCE_DIR "/tests/fixtures/agencies.csv", "r");
    assert_non_null(f);
    char line[256];
    size_t expected = 0, forces = 0, rocus = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        line[strcspn(line, "\r\n")] = '\0';
        char *code = strtok(line, ","), *kind = strtok(NULL, ","), *region = strtok(NULL, ",");
        expected++;
        forces += strcmp(kind, "force") == 0;
        rocus += strcmp(kind, "rocu") == 0;
        json_t *found = NULL;
        size_t i;
        json_t *a;
        json_array_foreach(items, i, a)
            if (strcmp(json_string_value(json_object_get(a, "code")), code) == 0)
                found = a;
        if (!found)
            fprintf(stderr, "missing agency %s\n", code);
        assert_non_null(found);
        assert_string_equal(json_string_value(json_object_get(found, "kind")), kind);
        json_t *jr = json_object_get(found, "region");
        if (region)
            assert_string_equal(json_string_value(jr), region);
        else
            assert_true(json_is_null(jr));
        assert_non_null(json_string_value(json_object_get(found, "name")));
    }
    fclose(f);
    assert_int_equal(forces, 43);
    assert_int_equal(rocus, 9);
    assert_int_equal(json_array_size(items), expected); /* nothing more than the fixture */
    json_decref(doc);
    t_result_free(&r);

    r = t_runv(NULL, "--db", db, "region", "list", "--json", NULL);
    assert_int_equal(r.status, 0);
    doc = json_loads(r.out, 0, &je);
    assert_int_equal(json_array_size(json_object_get(doc, "items")), 10);
    json_decref(doc);
    t_result_free(&r);
    free(db);
    t_tmpdir_free(dir);
}

static void files_are_private(void **state)
{
    (void)state;
    char *dir = t_tmpdir();
    char *db = t_make_db(dir);
    char *key = t_fmt("%s.key", db);
    struct stat sb;
    assert_int_equal(stat(db, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(stat(key, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    free(key);
    free(db);
    t_tmpdir_free(dir);
}

/* Review 47: a file named to read that is a FIFO is refused at once (every reader hung,
   waiting for a writer, before its check for a regular file), and an answer that cannot be
   written is a failure, not exit 0. */
static void hostile_local_files(void **state)
{
    (void)state;
    char *dir = t_tmpdir();
    char *db = t_make_db(dir);
    char *fifo = t_fmt("%s/fifo", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    t_result r = t_runv(NULL, "--db", db, "--as", "wy-spoc", "threat", "add", "--from-json", fifo, NULL);
    assert_int_not_equal(r.status, 0);
    assert_non_null(strstr(r.err, "not a regular file"));
    t_result_free(&r);
    /* another program's SQLite file as --db: refused, and left as it was (no WAL, no .reads) */
    if (!t_pg()) {
        char *foreign = t_fmt("%s/other.sqlite", dir), *foreign_reads = t_fmt("%s/other.sqlite.reads", dir);
        assert_int_equal(t_db_exec(foreign, "CREATE TABLE t(x); INSERT INTO t VALUES (1)"), 0);
        r = t_runv(NULL, "--db", foreign, "init", NULL);
        assert_int_equal(r.status, 11);
        assert_non_null(strstr(r.err, "not an iom database"));
        t_result_free(&r);
        struct stat fsb;
        assert_int_not_equal(stat(foreign_reads, &fsb), 0);
        char *jm = t_db_text(foreign, "PRAGMA journal_mode");
        assert_string_equal(jm, "delete");
        free(jm);
        free(foreign);
        free(foreign_reads);
        /* an init refused (a key already there) leaves no database behind */
        char *fresh = t_fmt("%s/fresh.db", dir), *fresh_key = t_fmt("%s/fresh.db.key", dir);
        FILE *kf = fopen(fresh_key, "w");
        fputs("not this database's key\n", kf);
        fclose(kf);
        r = t_runv(NULL, "--db", fresh, "init", NULL);
        assert_int_not_equal(r.status, 0);
        t_result_free(&r);
        assert_int_not_equal(stat(fresh, &fsb), 0);
        char *fresh_reads = t_fmt("%s.reads", fresh);
        assert_int_not_equal(stat(fresh_reads, &fsb), 0);
        assert_int_equal(stat(fresh_key, &fsb), 0); /* the key that was there stays */
        free(fresh_reads);
        free(fresh);
        free(fresh_key);
    }
    /* conflate's output that cannot be written is refused before the run (review 48) */
    r = t_runv(NULL, "conflate", "--out", "/dev/null", IOM_SOURCE_DIR "/tests/data/picture/national.csv", NULL);
    assert_int_equal(r.status, 9);
    assert_non_null(strstr(r.err, "not a regular file"));
    assert_null(strstr(r.err, "records,")); /* no summary: nothing ran */
    t_result_free(&r);
    /* before any input is read: a missing input is not what it says */
    r = t_runv(NULL, "conflate", "--out", "/dev/null", "/nonexistent/in.csv", NULL);
    assert_non_null(strstr(r.err, "cannot create /dev/null: not a regular file"));
    t_result_free(&r);
    /* a run that fails once begun leaves no earlier run's outputs to be read as its own
       (review 52); one refused before it begins leaves them */
    {
        char *out = t_fmt("%s/clusters.csv", dir), *pairs = t_fmt("%s/pairs.csv", dir);
        char *bad = t_fmt("%s/latin1.csv", dir);
        FILE *bf = fopen(bad, "w");
        fputs("id,first,last\n1,\xe9mile,Zola\n", bf);
        fclose(bf);
        r = t_runv(NULL, "conflate", "--out", out, "--pairs", pairs, IOM_SOURCE_DIR "/tests/data/picture/national.csv",
                   NULL);
        assert_int_equal(r.status, 0);
        t_result_free(&r);
        struct stat ob;
        assert_int_equal(stat(out, &ob), 0);
        r = t_runv(NULL, "conflate", "--out", out, "--pairs", pairs, "--threads", "0", bad, NULL);
        assert_int_not_equal(r.status, 0);
        t_result_free(&r);
        assert_int_equal(stat(out, &ob), 0); /* a usage error: nothing began */
        r = t_runv(NULL, "conflate", "--out", out, "--pairs", pairs, "--explain-record", "national.csv:NOPE",
                   IOM_SOURCE_DIR "/tests/data/picture/national.csv", NULL);
        assert_int_not_equal(r.status, 0);
        t_result_free(&r);
        assert_int_equal(stat(out, &ob), 0); /* found once the records are read, still a usage error */
        /* a constraints file named as an output is refused before anything (review 53: a failed
           run removed it) */
        char *cons = t_fmt("%s/cons.csv", dir);
        FILE *cf = fopen(cons, "w");
        fputs("input_a,id_a,input_b,id_b,relation\n", cf);
        fclose(cf);
        r = t_runv(NULL, "conflate", "--out", cons, "--constraints", cons, bad, NULL);
        assert_int_equal(r.status, 13); /* usage */
        assert_non_null(strstr(r.err, "is the --constraints file"));
        t_result_free(&r);
        assert_int_equal(stat(cons, &ob), 0);
        free(cons);
        r = t_runv(NULL, "conflate", "--out", out, "--pairs", pairs, bad, NULL);
        assert_int_equal(r.status, 3);
        assert_non_null(strstr(r.err, "not valid UTF-8"));
        assert_non_null(strstr(r.err, "removed"));
        t_result_free(&r);
        assert_int_not_equal(stat(out, &ob), 0);
        assert_int_not_equal(stat(pairs, &ob), 0);
        /* the Latin-1 input read so, alone among UTF-8 ones (--encoding INPUT=E, review 134);
           an INPUT that is none of the inputs is a usage error */
        char *enc = t_fmt("%s=latin1", bad);
        r = t_runv(NULL, "conflate", "--out", out, "--encoding", enc, bad,
                   IOM_SOURCE_DIR "/tests/data/picture/national.csv", NULL);
        assert_int_equal(r.status, 0);
        t_result_free(&r);
        free(enc);
        r = t_runv(NULL, "conflate", "--out", out, "--encoding", "nothere.csv=cp1252", bad, NULL);
        assert_int_equal(r.status, 13);
        assert_non_null(strstr(r.err, "'nothere.csv' is not one of the inputs"));
        t_result_free(&r);
        /* --field INPUT=ROLE=COLUMN maps one input's column, the others' found as without
           --field (review 136: --field ROLE=COLUMN replaced every input's mapping) */
        char *one = t_fmt("%s=generic:kind=vehicle", IOM_SOURCE_DIR "/tests/data/picture/national.csv");
        r = t_runv(NULL, "conflate", "--out", out, "--field", one, IOM_SOURCE_DIR "/tests/data/picture/national.csv",
                   NULL);
        assert_int_equal(r.status, 0);
        assert_non_null(strstr(r.err, "kind=vehicle"));
        assert_non_null(strstr(r.err, "surname=surname"));
        t_result_free(&r);
        free(one);
        one = t_fmt("%s=shoe_size=vehicle", IOM_SOURCE_DIR "/tests/data/picture/national.csv");
        r = t_runv(NULL, "conflate", "--out", out, "--field", one, IOM_SOURCE_DIR "/tests/data/picture/national.csv",
                   NULL);
        assert_int_equal(r.status, 13);
        assert_non_null(strstr(r.err, "unknown role 'shoe_size'"));
        t_result_free(&r);
        free(one);
        free(out);
        free(pairs);
        free(bad);
    }
    /* the output to a full device */
    char *cmd = t_fmt("'%s' --db '%s' --as auditor audit log > /dev/full 2>/dev/null", IOM_BINARY, db);
    int st = system(cmd);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) != 0);
    free(cmd);
    free(fifo);
    free(db);
    t_tmpdir_free(dir);
}

/* A write that waits past the busy timeout for another program's lock is refused as busy
   (exit 15, "try again"), not as a conflict (review 47: exit 6, and a store call that mapped
   conflicts to "already exists" could name a busy database so). Waits the 5 s timeout. */
static void a_locked_database_is_busy(void **state)
{
    (void)state;
    if (t_pg())
        return; /* the file lock is SQLite's; PostgreSQL's lock_timeout maps alike (pg_driver.c pgd_fail) */
    char *dir = t_tmpdir();
    char *db = t_make_db(dir);
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    t_result r = t_runv(NULL, "--db", db, "--as", "admin", "--json", "agency", "add", "--code", "busy-test", "--name",
                        "Busy Test", "--kind", "force", "--region", "north-east", NULL);
    if (r.status != 15)
        fprintf(stderr, "wanted 15 busy, got %d: %s%s\n", r.status, r.out, r.err);
    assert_int_equal(r.status, 15);
    assert_non_null(strstr(r.err, "busy"));
    assert_null(strstr(r.err, "already exists"));
    t_result_free(&r);
    assert_int_equal(sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    /* the lock gone, the same command works */
    r = t_runv(NULL, "--db", db, "--as", "admin", "agency", "add", "--code", "busy-test", "--name", "Busy Test", "--kind",
               "force", "--region", "north-east", NULL);
    if (r.status != 0)
        fprintf(stderr, "%s%s\n", r.out, r.err);
    assert_int_equal(r.status, 0);
    t_result_free(&r);
    free(db);
    t_tmpdir_free(dir);
}

/* With --json every error is the JSON object, the command line's own too (review 47). */
static void json_errors_are_json(void **state)
{
    (void)state;
    char *dir = t_tmpdir();
    char *db = t_make_db(dir);
    const char *const cases[][8] = {
        {"--json", "frobnicate", NULL},
        {"frobnicate", "--json", NULL},
        {"--json", "agency", NULL},
        {"--json", "agency", "list", "--bogus", NULL},
        {"--json", "--tz", "Nowhere/Zone", "agency", "list", NULL},
        {"--json", "agency", "add", "--name", "X", "--kind", "force", NULL},
        {"--json", "conflate", "/nonexistent/in.csv", NULL},
        {"agency", "list", "--json", "--db", NULL},
        {"--json", "agency", "show", NULL},
        {"--json", "agency", "show", "a", "b", NULL},
    };
    const char *const kinds[] = {"usage", "usage", "usage", "usage", "invalid", "invalid", "usage", "usage", "usage",
                                 "usage"};
    const int codes[] = {13, 13, 13, 13, 3, 3, 13, 13, 13, 13};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *argv[16] = {"--db", db, "--as", "admin"};
        size_t n = 4;
        for (size_t k = 0; cases[i][k]; k++)
            argv[n++] = cases[i][k];
        argv[n] = NULL;
        t_result r = t_run(NULL, argv);
        json_error_t je;
        json_t *j = json_loads(r.err, 0, &je);
        if (!j || r.status != codes[i])
            fprintf(stderr, "case %zu: status %d, stderr not one JSON object: %s\n", i, r.status, r.err);
        assert_non_null(j);
        assert_int_equal(r.status, codes[i]);
        assert_string_equal(json_string_value(json_object_get(j, "error")), kinds[i]);
        assert_true(json_string_length(json_object_get(j, "detail")) > 0);
        assert_int_equal(json_integer_value(json_object_get(j, "status")), 400);
        json_decref(j);
        t_result_free(&r);
    }
    /* a document of several bad fields: every problem told at once (review 90), one line each,
       and as "errors" under --json; nothing is added */
    char *doc = t_fmt("%s/threat.json", dir);
    FILE *df = fopen(doc, "w");
    assert_non_null(df);
    fputs("{\"colour\": \"red\", \"title\": 5, \"marking\": [1]}\n", df);
    fclose(df);
    t_result r = t_runv(NULL, "--db", db, "--as", "wy-spoc", "threat", "add", "--from-json", doc, NULL);
    assert_int_equal(r.status, 3);
    const char *colour = strstr(r.err, "colour: unknown field"), *title = strstr(r.err, "title: must be a string"),
               *marking = strstr(r.err, "marking: must be a string");
    assert_true(colour && title && marking && colour < title && title < marking);
    t_result_free(&r);
    r = t_runv(NULL, "--db", db, "--as", "wy-spoc", "--json", "threat", "add", "--from-json", doc, NULL);
    json_t *j = json_loads(r.err, 0, NULL);
    assert_non_null(j);
    json_t *errs = json_object_get(j, "errors");
    assert_int_equal(json_array_size(errs), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(errs, 1), "field")), "title");
    assert_string_equal(json_string_value(json_object_get(json_array_get(errs, 2), "detail")),
                        "marking: must be a string");
    json_decref(j);
    t_result_free(&r);
    r = t_runv(NULL, "--db", db, "--as", "wy-spoc", "threat", "list", "--json", NULL);
    assert_null(strstr(r.out, "\"title\": 5"));
    t_result_free(&r);
    free(doc);
    free(db);
    t_tmpdir_free(dir);
}

static void schema_mismatch_is_refused(void **state)
{
    (void)state;
    char *dir = t_tmpdir();
    char *db = t_make_db(dir);
    char *fp = t_fmt("%s/none.db", dir);
    t_result r = t_runv(NULL, "--db", fp, "--as", "admin", "threat", "list", NULL);
    assert_int_equal(r.status, 11);
    assert_non_null(strstr(r.err, "iom init"));
    t_result_free(&r);
    free(fp);

    /* init twice is refused and changes nothing. */
    char *before = t_db_fingerprint(db);
    r = t_runv(NULL, "--db", db, "init", NULL);
    assert_int_equal(r.status, 6);
    assert_non_null(strstr(r.err, "already initialised"));
    t_result_free(&r);
    char *after = t_db_fingerprint(db);
    assert_string_equal(before, after);
    free(after);

    /* A newer schema than the binary knows. */
    assert_int_equal(t_db_exec(db, "PRAGMA user_version = 99"), 0);
    r = t_runv(NULL, "--db", db, "--as", "admin", "threat", "list", NULL);
    assert_int_equal(r.status, 11);
    assert_non_null(strstr(r.err, "newer"));
    t_result_free(&r);
    r = t_runv(NULL, "--db", db, "migrate", NULL);
    assert_int_equal(r.status, 11);
    t_result_free(&r);

    /* Not initialised (version 0) names `iom init`. */
    assert_int_equal(t_db_exec(db, "PRAGMA user_version = 0"), 0);
    r = t_runv(NULL, "--db", db, "--as", "admin", "threat", "list", NULL);
    assert_int_equal(r.status, 11);
    assert_non_null(strstr(r.err, "iom init"));
    t_result_free(&r);

    if (t_pg()) {
        /* PostgreSQL starts at the baseline schema 15: an older version is named, and
           `iom migrate` refuses it, naming `iom copy` from the SQLite database it came from */
        assert_int_equal(t_db_exec(db, "PRAGMA user_version = 1"), 0);
        r = t_runv(NULL, "--db", db, "--as", "admin", "threat", "list", NULL);
        assert_int_equal(r.status, 11);
        assert_non_null(strstr(r.err, "iom migrate"));
        t_result_free(&r);
        r = t_runv(NULL, "--db", db, "migrate", NULL);
        assert_int_equal(r.status, 11);
        assert_non_null(strstr(r.err, "iom copy"));
        t_result_free(&r);
        free(before);
        free(db);
        t_tmpdir_free(dir);
        return;
    }
    /* A real older schema (version 1, before the lifecycle tables) names `iom migrate`,
       which brings it up to date; then it works. */
    assert_int_equal(t_db_exec(db, "DROP TABLE apmis_capability; DROP TABLE apmis_record;"
                                   "DROP TABLE transfer; DROP TABLE assessment; DROP TABLE product_document;"
                                   "DROP TABLE product;"
                                   "DROP TABLE tactical_option; DROP TABLE intel_item;"
                                   "DROP TABLE contribution; DROP TABLE tor_agreement; DROP TABLE tor;"
                                   "DROP TABLE tasking_member; DROP TABLE tasking_event;"
                                   "DROP TABLE milestone_done; DROP TABLE holiday; DROP TABLE tasking; DROP TABLE migration_note;"
                                   "DROP TRIGGER region_gateway_in_region; DROP TRIGGER user_role_rules;"
                                   "DROP TRIGGER user_role_rules_update;"
                                   "ALTER TABLE region DROP COLUMN gateway_agency_id;"
                                   "PRAGMA user_version = 1;"), 0);
    r = t_runv(NULL, "--db", db, "--as", "admin", "threat", "list", NULL);
    assert_int_equal(r.status, 11);
    assert_non_null(strstr(r.err, "iom migrate"));
    t_result_free(&r);
    r = t_runv(NULL, "--db", db, "migrate", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "from version 1 to"));
    t_result_free(&r);
    r = t_runv(NULL, "--db", db, "migrate", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "up to date"));
    t_result_free(&r);
    r = t_runv(NULL, "--db", db, "--as", "admin", "threat", "list", NULL);
    assert_int_equal(r.status, 0);
    t_result_free(&r);
    free(before);
    free(db);
    t_tmpdir_free(dir);
}

static void every_command_has_help(void **state)
{
    (void)state;
    t_result r = t_runv(NULL, "help", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "usage: iom"));
    /* Each "  group sub   summary" line of the command list. */
    char *save = NULL, *text = strdup(r.out);
    int seen = 0;
    bool in_list = false;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (strcmp(line, "commands:") == 0) {
            in_list = true;
            continue;
        }
        if (!in_list || strncmp(line, "  ", 2) != 0 || strncmp(line, "  help", 6) == 0)
            continue;
        /* "  %-20s %s": the command words are in the first 22 columns. */
        char name[24] = "", group[24] = "", sub[24] = "";
        snprintf(name, sizeof name, "%.22s", line);
        int words = sscanf(name, " %23s %23s", group, sub);
        bool two = words == 2;
        t_result h = two ? t_runv(NULL, group, sub, "--help", NULL) : t_runv(NULL, group, "--help", NULL);
        if (h.status != 0 || !strstr(h.out, "usage:"))
            fprintf(stderr, "no help for '%s %s': %d %s %s\n", group, two ? sub : "", h.status, h.out, h.err);
        assert_int_equal(h.status, 0);
        assert_non_null(strstr(h.out, "usage:"));
        t_result_free(&h);
        seen++;
    }
    assert_true(seen >= 20);
    free(text);
    t_result_free(&r);
    r = t_runv(NULL, "no-such-command", NULL);
    assert_int_equal(r.status, 13);
    assert_non_null(strstr(r.err, "unknown command"));
    t_result_free(&r);
    r = t_runv(NULL, "threat", "fly", NULL);
    assert_int_equal(r.status, 13);
    t_result_free(&r);
}

static void first_user_bootstrap(void **state)
{
    (void)state;
    char *dir = t_tmpdir();
    char *db = t_fmt("%s/b.db", dir);
    t_result r = t_runv(NULL, "--db", db, "init", NULL);
    assert_int_equal(r.status, 0);
    t_result_free(&r);
    r = t_runv("a long enough password\n", "--db", db, "user", "add", "root-admin", "--agency",
               "toex", "--role", "admin", "--clearance", "OFFICIAL", "--password-stdin", "--json", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\"has_password\": true"));
    assert_null(strstr(r.out, "argon2"));
    t_result_free(&r);
    /* The password is stored as an Argon2id hash, never in clear. */
    assert_int_equal(t_db_scalar(db, "SELECT count(*) FROM user WHERE pw_hash LIKE '$argon2id$%'"), 1);
    assert_int_equal(t_db_scalar(db, "SELECT count(*) FROM user WHERE pw_hash LIKE '%long enough%'"), 0);
    /* Now an admin exists: no more users without --as. */
    char *before = t_db_fingerprint(db);
    r = t_runv(NULL, "--db", db, "user", "add", "second", "--agency", "toex", "--role", "admin",
               "--clearance", "OFFICIAL", NULL);
    assert_int_equal(r.status, 10);
    t_result_free(&r);
    char *after = t_db_fingerprint(db);
    assert_string_equal(before, after);
    free(before);
    free(after);
    free(db);
    t_tmpdir_free(dir);
}

static void threat_json_and_paging(void **state)
{
    (void)state;
    char *dir = t_tmpdir();
    char *db = t_make_db(dir);
    for (int i = 0; i < 5; i++) {
        char ftm[16];
        snprintf(ftm, sizeof ftm, "YH-%d", i + 1); /* one threat per escalation (review 84 L9) */
        t_result r = t_runv(NULL, "--db", db, "--as", "yh-sio", "threat", "add", "--title", "Regional threat",
                            "--type", "criminal", "--owner", "yhrocu", "--sio", "yh-sio",
                            "--force-tasking-ref", ftm, NULL);
        assert_int_equal(r.status, 0);
        t_result_free(&r);
    }
    t_result r = t_runv(NULL, "--db", db, "--as", "met-spoc", "--json", "threat", "list", "--limit", "2", NULL);
    assert_int_equal(r.status, 0);
    json_t *doc = json_loads(r.out, 0, NULL);
    assert_int_equal(json_array_size(json_object_get(doc, "items")), 2);
    json_t *t0 = json_array_get(json_object_get(doc, "items"), 0);
    assert_string_equal(json_string_value(json_object_get(t0, "ref")), "SOC-000001");
    assert_string_equal(json_string_value(json_object_get(t0, "owner")), "yhrocu");
    assert_string_equal(json_string_value(json_object_get(t0, "region")), "yorkshire-humber");
    assert_string_equal(json_string_value(json_object_get(t0, "owner_kind")), "rocu");
    assert_string_equal(json_string_value(json_object_get(doc, "next")), "SOC-000002");
    json_decref(doc);
    t_result_free(&r);
    r = t_runv(NULL, "--db", db, "--as", "met-spoc", "--json", "threat", "list", "--after", "SOC-000004", NULL);
    doc = json_loads(r.out, 0, NULL);
    assert_int_equal(json_array_size(json_object_get(doc, "items")), 1);
    assert_true(json_is_null(json_object_get(doc, "next")));
    json_decref(doc);
    t_result_free(&r);
    /* JSON errors carry the error class. */
    r = t_runv(NULL, "--db", db, "--as", "met-spoc", "--json", "threat", "show", "SOC-999999", NULL);
    assert_int_equal(r.status, 4);
    assert_non_null(strstr(r.err, "\"error\":\"not_found\""));
    t_result_free(&r);
    free(db);
    t_tmpdir_free(dir);
}

/* Review 84 L8: the user directory shows another's account only as name, agency and roles;
   clearance, status, whether a password is set, when it was made and its version only to an
   admin, an auditor and the user themselves; the CLI's text as the API's JSON. */
static void user_directory_need_to_know(void **state)
{
    (void)state;
    char *dir = t_tmpdir();
    char *db = t_make_db(dir);
    static const char *const hidden[] = {"clearance", "disabled", "has_password", "created_at", "version"};
    struct { const char *as, *name; bool full; } cases[] = {
        {"met-spoc", "wy-spoc", false}, /* another agency */
        {"wy-sio", "wy-spoc", false},   /* the same agency: still not the account */
        {"toex-sia", "admin", false},
        {"wy-spoc", "wy-spoc", true},   /* oneself */
        {"admin", "wy-spoc", true},
        {"auditor", "wy-spoc", true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        t_result r = t_runv(NULL, "--db", db, "--as", cases[i].as, "--json", "user", "show", cases[i].name, NULL);
        assert_int_equal(r.status, 0);
        json_t *u = json_loads(r.out, 0, NULL);
        assert_non_null(u);
        assert_string_equal(json_string_value(json_object_get(u, "name")), cases[i].name);
        assert_non_null(json_object_get(u, "agency"));
        assert_true(json_is_array(json_object_get(u, "roles")));
        for (size_t k = 0; k < sizeof hidden / sizeof hidden[0]; k++)
            assert_int_equal(json_object_get(u, hidden[k]) != NULL, cases[i].full);
        json_decref(u);
        t_result_free(&r);
        r = t_runv(NULL, "--db", db, "--as", cases[i].as, "user", "show", cases[i].name, NULL);
        assert_int_equal(r.status, 0);
        assert_int_equal(strstr(r.out, "clearance") != NULL, cases[i].full);
        assert_int_equal(strstr(r.out, "password") != NULL, cases[i].full);
        t_result_free(&r);
    }
    /* the list: only the reader's own row carries the account's fields */
    t_result r = t_runv(NULL, "--db", db, "--as", "met-spoc", "--json", "user", "list", NULL);
    assert_int_equal(r.status, 0);
    json_t *doc = json_loads(r.out, 0, NULL);
    json_t *items = json_object_get(doc, "items");
    assert_true(json_array_size(items) > 5);
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *u = json_array_get(items, i);
        bool self = strcmp(json_string_value(json_object_get(u, "name")), "met-spoc") == 0;
        assert_non_null(json_object_get(u, "roles"));
        assert_int_equal(json_object_get(u, "clearance") != NULL, self);
        assert_int_equal(json_object_get(u, "has_password") != NULL, self);
    }
    json_decref(doc);
    t_result_free(&r);
    r = t_runv(NULL, "--db", db, "--as", "met-spoc", "user", "list", NULL);
    assert_non_null(strstr(r.out, "auditor"));
    /* the text list shows no one's clearance or status but the reader's own */
    int official = 0;
    for (const char *p = r.out; (p = strstr(p, "OFFICIAL")); p++)
        official++;
    assert_int_equal(official, 1);
    t_result_free(&r);
    free(db);
    t_tmpdir_free(dir);
}

/* Review 97 L3: the last enabled user who can move a waiting tasking on (its region's Gateway,
   its owner's region's TTCG, the FTT, TOEX's managers) is not disabled; a second one cleared for it lets the
   first go. The demo holds a bid submitted in Yorkshire (OFFICIAL), a transfer asked in the
   North West and one escalated to the FTT (both OFFICIAL-SENSITIVE). */
/* Runs iom with the arguments (NULL-terminated); asserts the exit status and, when needle is
   not NULL, that stderr names it. */
static void run_expect(int status, const char *needle, ...)
{
    const char *argv[40];
    size_t n = 0;
    va_list ap;
    va_start(ap, needle);
    for (const char *a; (a = va_arg(ap, const char *)) && n + 1 < sizeof argv / sizeof argv[0];)
        argv[n++] = a;
    va_end(ap);
    argv[n] = NULL;
    t_result r = t_run(NULL, argv);
    if (r.status != status)
        fprintf(stderr, "wanted %d, got %d: %s%s\n", status, r.status, r.out, r.err);
    assert_int_equal(r.status, status);
    if (needle)
        assert_non_null(strstr(r.err, needle));
    t_result_free(&r);
}

static void last_who_can_act_is_kept(void **state)
{
    (void)state;
    char *dir = t_tmpdir();
    char *db = t_fmt("%s/demo.db", dir);
    t_result r = t_runv(NULL, "--db", db, "demo", "--password", "demo password 2026", NULL);
    assert_int_equal(r.status, 0);
    t_result_free(&r);
    static const char *const who[][3] = {
        {"yhrocu-gateway", "TOEX-2026-000010", "its region's Gateway triage"},
        {"titan-ttcg", "TOEX-2026-000004", "TTCG deciding its transfer"},
        {"nca-ftt", "TOEX-2026-000006", "the FTT deciding its transfer"}};
    for (size_t i = 0; i < 3; i++) {
        r = t_runv(NULL, "--db", db, "--as", "admin", "user", "disable", who[i][0], "--reason", "leaver", NULL);
        assert_int_equal(r.status, 6);
        assert_non_null(strstr(r.err, who[i][1]));
        assert_non_null(strstr(r.err, who[i][2]));
        t_result_free(&r);
    }
    /* an admin cleared for OFFICIAL only is not told the OFFICIAL-SENSITIVE tasking's reference
       (review 99 H1) */
    r = t_runv(NULL, "--db", db, "--as", "admin", "user", "add", "admin-o", "--agency", "nca", "--role", "admin",
               "--clearance", "OFFICIAL", NULL);
    assert_int_equal(r.status, 0);
    t_result_free(&r);
    r = t_runv(NULL, "--db", db, "--as", "admin-o", "user", "disable", "titan-ttcg", "--reason", "leaver", NULL);
    assert_int_equal(r.status, 6);
    assert_null(strstr(r.err, "TOEX-2026-000004"));
    assert_non_null(strstr(r.err, "a tasking above your clearance"));
    t_result_free(&r);
    /* an OFFICIAL Gateway user triages the OFFICIAL bid: the first may go; an OFFICIAL TTCG user
       cannot decide the OFFICIAL-SENSITIVE transfer: the first may not */
    const char *adds[][4] = {{"yh-gw2", "yhrocu", "gateway", "yhrocu-gateway"},
                             {"nw-ttcg2", "titan", "ttcg", "titan-ttcg"}};
    for (size_t i = 0; i < 2; i++) {
        r = t_runv(NULL, "--db", db, "--as", "admin", "user", "add", adds[i][0], "--agency", adds[i][1], "--role",
                   adds[i][2], "--clearance", "OFFICIAL", NULL);
        assert_int_equal(r.status, 0);
        t_result_free(&r);
        r = t_runv(NULL, "--db", db, "--as", "admin", "user", "disable", adds[i][3], "--reason", "leaver", NULL);
        assert_int_equal(r.status, i == 0 ? 0 : 6);
        t_result_free(&r);
    }
    /* an agency is not disabled under the same rule: its users are not counted for each other
       (cumbria's TTCG user is the last one cleared once titan's is disabled) */
    const char *const steps[][12] = {
        {"user", "add", "cum-ttcg", "--agency", "cumbria", "--role", "ttcg", "--clearance", "OFFICIAL-SENSITIVE"},
        {"user", "disable", "titan-ttcg", "--reason", "moved to Cumbria"}};
    for (size_t i = 0; i < 2; i++) {
        const char *argv[20] = {"--db", db, "--as", "admin"};
        size_t k = 4;
        for (size_t j = 0; j < 12 && steps[i][j]; j++)
            argv[k++] = steps[i][j];
        r = t_run(NULL, argv);
        assert_int_equal(r.status, 0);
        t_result_free(&r);
    }
    r = t_runv(NULL, "--db", db, "--as", "admin", "agency", "disable", "cumbria", NULL);
    assert_int_equal(r.status, 6);
    assert_non_null(strstr(r.err, "the last enabled ttcg users cleared to act on tasking TOEX-2026-000004"));
    t_result_free(&r);
    /* review 100 M2: nor the last toex_manager under a forwarded bid (only a manager accepts or
       declines it), nor while TOEX works on a tasking (only a manager reallocates its SIA) */
#define DISABLE_MANAGER "--db", db, "--as", "admin", "user", "disable", "toex-manager", "--reason", "leaver"
    run_expect(6, "the last enabled toex_manager cleared to act on tasking TOEX-2026-000012, which waits "
                  "on TOEX's managers accepting or declining it", DISABLE_MANAGER, NULL);
    run_expect(0, NULL, "--db", db, "--as", "toex-manager", "tasking", "decline", "TOEX-2026-000012", "--reason",
               "not for TOEX", NULL);
    run_expect(6, "TOEX works on: only a toex_manager gives it another SIA", DISABLE_MANAGER, NULL);
    run_expect(0, NULL, "--db", db, "--as", "admin", "user", "add", "toex-manager2", "--agency", "toex", "--role",
               "toex_manager", "--clearance", "OFFICIAL-SENSITIVE", NULL);
    run_expect(0, NULL, DISABLE_MANAGER, NULL);
#undef DISABLE_MANAGER
    free(db);
    t_tmpdir_free(dir);
}

/* Group help, references in any case, the display time zone, next steps as commands, money
   for people (issue 13 point 4; issue 11 point 1). */
static void cli_fits_a_persons_hands(void **state)
{
    (void)state;
    char *dir = t_tmpdir();
    char *db = t_fmt("%s/demo.db", dir);
    t_result r = t_runv(NULL, "tasking", "--help", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "tasking submit"));
    t_result_free(&r);
    r = t_runv(NULL, "help", "tor", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "tor propose"));
    t_result_free(&r);
    r = t_runv(NULL, "--db", db, "demo", "--password", "demo password 2026", NULL);
    assert_int_equal(r.status, 0);
    t_result_free(&r);
    /* lower case finds the tasking; the next steps are commands to type, with the version */
    r = t_runv(NULL, "--db", db, "--as", "yhrocu-gateway", "tasking", "show", "toex-2026-000010", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "TOEX-2026-000010  [OFFICIAL"));
    assert_non_null(strstr(r.out, "version "));
    assert_non_null(strstr(r.out, "iom tasking forward TOEX-2026-000010 --if-version "));
    t_result_free(&r);
    /* times in the zone asked for, each with its zone; a zone the system lacks is refused */
    r = t_runv(NULL, "--db", db, "--tz", "UTC", "--as", "auditor", "threat", "history", "soc-000001", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, " UTC "));
    assert_null(strstr(r.out, " BST "));
    t_result_free(&r);
    r = t_runv(NULL, "--db", db, "--as", "auditor", "threat", "history", "SOC-000001", NULL);
    assert_true(strstr(r.out, " BST ") || strstr(r.out, " GMT "));
    t_result_free(&r);
    /* a transfer's history entry says why, as the FTT decided it (review 81 M6), to those who
       may see the tasking whose decision it was; to others neither the tasking nor the why */
    r = t_runv(NULL, "--db", db, "--as", "west-yorkshire-spoc", "threat", "history", "SOC-000001", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "transfer"));
    assert_non_null(strstr(r.out, "on TOEX-2026-000001: National ownership agreed"));
    t_result_free(&r);
    r = t_runv(NULL, "--db", db, "--as", "met-spoc", "threat", "history", "SOC-000001", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "transfer"));
    assert_null(strstr(r.out, "TOEX-2026-000001"));
    assert_null(strstr(r.out, "National ownership agreed"));
    t_result_free(&r);
    /* the APMIS recorder sees the tasking's outcome, not the decision's reason (review 84 M3:
       the tasking's view withheld it, the threat's history showed it) */
    r = t_runv(NULL, "--db", db, "--as", "nca-apmis", "threat", "history", "SOC-000001", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "transfer"));
    assert_null(strstr(r.out, "National ownership agreed"));
    t_result_free(&r);
    r = t_runv(NULL, "--db", db, "--tz", "Mars/Olympus", "region", "list", NULL);
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.err, "tz: 'Mars/Olympus'"));
    t_result_free(&r);
    /* money grouped by thousands */
    r = t_runv(NULL, "--db", db, "--as", "auditor", "apmis", "report", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, ",500.00"));
    t_result_free(&r);
    /* a user of the right agency without the needed role: the message names the role */
    r = t_runv(NULL, "--db", db, "--as", "titan-ttcg", "transfer", "decide", "TOEX-2026-000004",
               "--accept", "--owner", "titan", "--sio", "titan-gateway", "--reason", "r", NULL);
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.err, "the new SIO does not hold the sio role"));
    t_result_free(&r);
    /* the PND gate holds to the end: an item added in reassessment and left pending blocks the
       SIO's remain, naming it, and changes nothing; recorded on PND, remain closes (issue 12) */
    r = t_runv(NULL, "--db", db, "--as", "toex-sia", "intel", "add", "TOEX-2026-000003", "--text",
               "Late information", "--source", "A witness", "--grade", "1B", "--handling", "P", NULL);
    assert_int_equal(r.status, 0);
    char item[32];
    snprintf(item, sizeof item, "%.10s", r.out);
    t_result_free(&r);
    char *before = t_db_fingerprint(db);
    r = t_runv(NULL, "--db", db, "--as", "south-yorkshire-sio", "tasking", "remain", "TOEX-2026-000003", NULL);
    assert_int_equal(r.status, 6);
    assert_non_null(strstr(r.err, "pending on PND"));
    assert_non_null(strstr(r.err, item));
    t_result_free(&r);
    char *after = t_db_fingerprint(db);
    assert_string_equal(before, after);
    free(before);
    free(after);
    r = t_runv(NULL, "--db", db, "--as", "toex-sia", "intel", "pnd", item, "--recorded", "--pnd-ref",
               "PND/2026/0042", "--pnd-date", "2026-09-14", NULL);
    assert_int_equal(r.status, 0);
    t_result_free(&r);
    r = t_runv(NULL, "--db", db, "--as", "south-yorkshire-sio", "tasking", "remain", "TOEX-2026-000003", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "closed"));
    t_result_free(&r);
    /* withdraw is allowed with items pending, and its event and audit entry name them */
    r = t_runv(NULL, "--db", db, "--as", "toex-analyst", "intel", "add", "TOEX-2026-000002", "--text",
               "Pending at withdrawal", "--source", "s", "--grade", "2C", "--handling", "P", NULL);
    assert_int_equal(r.status, 0);
    snprintf(item, sizeof item, "%.10s", r.out);
    t_result_free(&r);
    /* and one marked above the OFFICIAL tasking: counted in the history everyone who reads
       the tasking reads, not named (review 60) */
    r = t_runv(NULL, "--db", db, "--as", "toex-analyst", "intel", "add", "TOEX-2026-000002", "--text",
               "Sensitive, pending", "--source", "s", "--grade", "2C", "--handling", "P", "--marking",
               "OFFICIAL-SENSITIVE", NULL);
    assert_int_equal(r.status, 0);
    char hidden[32];
    snprintf(hidden, sizeof hidden, "%.10s", r.out);
    t_result_free(&r);
    r = t_runv(NULL, "--db", db, "--as", "west-yorkshire-spoc", "tasking", "withdraw",
               "TOEX-2026-000002", "--reason", "Pursued locally", NULL);
    assert_int_equal(r.status, 0);
    t_result_free(&r);
    r = t_runv(NULL, "--db", db, "--as", "west-yorkshire-spoc", "tasking", "history", "TOEX-2026-000002", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, item));
    assert_null(strstr(r.out, hidden));
    assert_non_null(strstr(r.out, "1 item marked above OFFICIAL"));
    t_result_free(&r);
    r = t_runv(NULL, "--db", db, "--as", "auditor", "--json", "audit", "log", "--object",
               "TOEX-2026-000002", "--limit", "1000", NULL);
    assert_int_equal(r.status, 0);
    char *want = t_fmt("still pending on PND: ");
    char *hit = strstr(r.out, want);
    assert_non_null(hit);
    assert_non_null(strstr(hit, item));
    free(want);
    t_result_free(&r);
    /* a refused demo leaves no file behind */
    char *db2 = t_fmt("%s/short.db", dir);
    r = t_runv(NULL, "--db", db2, "demo", "--password", "short", NULL);
    assert_int_equal(r.status, 3);
    assert_int_equal(access(db2, F_OK), -1);
    char *key2 = t_fmt("%s.key", db2);
    assert_int_equal(access(key2, F_OK), -1);
    t_result_free(&r);
    free(key2);
    free(db2);
    free(db);
    t_tmpdir_free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reference_data_matches_domain),
        cmocka_unit_test(files_are_private),
        cmocka_unit_test(schema_mismatch_is_refused),
        cmocka_unit_test(hostile_local_files),
        cmocka_unit_test(a_locked_database_is_busy),
        cmocka_unit_test(json_errors_are_json),
        cmocka_unit_test(every_command_has_help),
        cmocka_unit_test(first_user_bootstrap),
        cmocka_unit_test(threat_json_and_paging),
        cmocka_unit_test(user_directory_need_to_know),
        cmocka_unit_test(cli_fits_a_persons_hands),
        cmocka_unit_test(last_who_can_act_is_kept),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
