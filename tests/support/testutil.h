/*
 * testutil.h: helpers for iom's cmocka tests.
 *
 * - t_tmpdir: a fresh temporary directory per test (removed by t_tmpdir_free).
 * - t_run: runs the built `iom` binary (IOM_BINARY) with arguments, optional stdin text,
 *   capturing stdout, stderr and the exit status.
 * - t_db_fingerprint: a BLAKE2b hash over every row of every table of a database file, read
 *   with SQLite directly, to assert that a refused command changed nothing.
 */
#ifndef IOM_TESTUTIL_H
#define IOM_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <cmocka.h>

typedef struct t_result {
    int status;    /* exit status, or 128+signal */
    char *out;     /* stdout, NUL-terminated, malloc'd */
    char *err;     /* stderr, NUL-terminated, malloc'd */
} t_result;

/* Creates a temporary directory; returns a malloc'd path. */
char *t_tmpdir(void);
/* The `iom` binary the tests run: $IOM_TEST_BINARY (the PostgreSQL run's iom-pgmap) or
   IOM_BINARY. */
const char *t_binary(void);
/* True in a run on PostgreSQL (scripts/test-pg.sh; tests/pg/pgmap.c). */
bool t_pg(void);
/* Removes the directory tree and frees the path. */
void t_tmpdir_free(char *dir);

/* Runs IOM_BINARY with argv (NULL-terminated, without argv[0]); stdin_text may be NULL.
   Environment: IOM_DB, IOM_USER and IOM_AUDIT_KEY are cleared so tests are explicit. */
t_result t_run(const char *stdin_text, const char *const *argv);
/* Same, arguments as a NULL-terminated varargs list. */
t_result t_runv(const char *stdin_text, ...);
void t_result_free(t_result *r);

/* printf into a malloc'd string. */
char *t_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The whole of a file (malloc'd, NUL-terminated; *n its length); fails the test when it
   cannot be read. */
char *t_slurp(const char *path, size_t *n);

/* Hex BLAKE2b-256 of the content of every table (sorted by table name, rows by rowid or
   all columns) of the database at path; malloc'd. */
char *t_db_fingerprint(const char *db_path);

/* Executes SQL on the database file directly (for tampering tests); returns SQLite rc. The
   read log's file "<db>.reads" is attached as `reads` (t_db_scalar too): `read_log` is found
   by its plain name; create objects in it as `reads.NAME`. */
int t_db_exec(const char *db_path, const char *sql);

/* The first column of the first row of a query as a malloc'd string, NULL when none (the read
   log attached as on t_db_exec; on PostgreSQL through the same translation). */
char *t_db_text(const char *db_path, const char *sql);

/* Every value of the first column of a query, in order (malloc'd array of malloc'd strings or
   NULLs, *n of them; free each and the array). */
char **t_db_column(const char *db_path, const char *sql, size_t *n);

/* t_db_exec that gives the failure's message (malloc'd, NULL on success) instead of printing
   it; returns 0 or the back-end's code. */
int t_db_try(const char *db_path, const char *sql, char **msg);

/* Is the byte string in a stored value of a live row of any table of the database (SQLite:
   the file's tables; PostgreSQL: schema public)? The read log (SQLite: "<db>.reads";
   PostgreSQL: schema reads) is left out: it records what users asked for (a search's words),
   not what is stored. Text, blob and bytea values are searched by their bytes (PostgreSQL: as
   its binary result format gives them). Dead rows are not seen: SQLite's file bytes and
   PostgreSQL's heap pages before a VACUUM are the caller's to search, where they can be. */
bool t_db_holds(const char *db_path, const void *needle, size_t n);

/* Holds the database's writer locks from another connection, as a long change and a long
   read-log batch would (SQLite: BEGIN IMMEDIATE with the read log's file <db>.reads attached,
   which locks both files; PostgreSQL: the advisory lock every write transaction takes first,
   store/pg/pg_store.h), until released. */
typedef struct t_db_lock t_db_lock;
t_db_lock *t_db_hold_writes(const char *db_path);
void t_db_release_writes(t_db_lock *l);

/* Counts rows returned by a query (first column as integer if single row/col is wanted:
   returns that integer). */
long long t_db_scalar(const char *db_path, const char *sql);

/* SQL undoing migration 8 (src/store/sqlite/schema_model.c), so that a test can take a
   database back to schema 7 (then: PRAGMA user_version = 7) and run a migration again. */
/* A threat assessment input (docs/api.md "assessment input"): a bid is submitted with one
   (docs/domain.md §7, review 113 M2). T_BID_ASSESSMENT is a --from-json document holding only
   it (the command's options give the rest of the bid); T_BID_ASSESS the initialisers of
   app_bid_input's assessment (app/tasking.h). */
#define T_ASSESSMENT                                                                           \
    "{\"harm\":{\"physical\":3,\"psychological\":3,\"financial\":2,\"community\":2,"          \
    "\"victim_vulnerability\":3},\"scale\":2,\"likelihood\":4,\"confidence\":\"medium\","       \
    "\"capacity\":2,\"capability\":2,\"needs_national_capability\":false,"                     \
    "\"needs_rocu_capability\":false}"
#define T_BID_ASSESSMENT "{\"assessment\":" T_ASSESSMENT "}"
#define T_BID_ASSESS                                                                           \
    .has_assessment = true,                                                                    \
    .assessment = {.harm = {3, 3, 2, 2, 3}, .scale = 2, .likelihood = 4,                       \
                   .confidence = IOM_CONFIDENCE_MEDIUM, .capacity = 2, .capability = 2}

/* The UK day (Europe/London) of the real clock, moved by `days`, as "YYYY-MM-DD" (malloc'd):
   the dates of a ToR proposed through the built binary, which reads the real clock and wants
   its start on or after the day the bid was submitted (review 113 L4). */
char *t_uk_day(int days);

/* A file holding T_BID_ASSESSMENT, for `tasking new|edit ... --from-json FILE` (made once
   per test program in $TMPDIR, removed at its exit; static storage). */
const char *t_bid_assessment_file(void);

#define T_UNDO_MIGRATION_8                                                                     \
    "DROP TRIGGER tasking_region_rule; DROP TRIGGER tasking_region_default; "                  \
    "DROP TRIGGER tasking_region_fixed; DROP INDEX tasking_by_region; "                        \
    "DROP TRIGGER tasking_ended_is_final; ALTER TABLE tasking DROP COLUMN region_id; "          \
    "CREATE TRIGGER tasking_ended_is_final BEFORE UPDATE ON tasking WHEN (OLD.state = "        \
    "'closed' OR OLD.state = 'rejected' OR OLD.state = 'declined' OR OLD.state = 'withdrawn') " \
    "BEGIN SELECT RAISE(ABORT, 'tasking has ended; it accepts no change'); END; "             \
    "DROP TABLE migration_note; DROP TRIGGER region_gateway_in_region; "                      \
    "DROP TABLE milestone_done; DROP TABLE holiday; "                                          \
    "DROP TRIGGER user_role_rules; DROP TRIGGER user_role_rules_update; "                     \
    "ALTER TABLE region DROP COLUMN gateway_agency_id; "

/* Creates an initialised database at dir/iom.db with the demo-free baseline: reference
   data, an admin "admin" (toex), an auditor "auditor" (nca), and for west-yorkshire a spoc
   "wy-spoc" and sio "wy-sio", for met "met-spoc"/"met-sio", for yhrocu "yh-sio"; returns the
   malloc'd db path. Asserts each step. */
char *t_make_db(const char *dir);

#endif
