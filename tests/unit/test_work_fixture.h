/*
 * test_work_fixture.h: the shared fixture of the work-area tests (test_work*.c, issue 4),
 * included once by each test program. Every refused command is checked for its exit status,
 * a message naming the field or rule, and an unchanged database (t_db_fingerprint).
 *
 * Taskings are put into their states with SQL directly (the lifecycle has its own tests):
 *   TOEX-2026-000001 in_development, OFFICIAL, SIA toex-sia, team toex-analyst, toex-official
 *   TOEX-2026-000002 draft
 *   TOEX-2026-000003 closed
 *   TOEX-2026-000004 tor_agreed, OFFICIAL-SENSITIVE, team toex-analyst
 */
#ifndef TEST_WORK_FIXTURE_H
#define TEST_WORK_FIXTURE_H

#include "testutil.h"

#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define UNUSED __attribute__((unused))

#define T1 "TOEX-2026-000001"
#define T2 "TOEX-2026-000002"
#define T3 "TOEX-2026-000003"
#define T4 "TOEX-2026-000004"

enum { EX_OK = 0, EX_INVAL = 3, EX_NOTFOUND = 4, EX_FORBIDDEN = 5, EX_CONFLICT = 6, EX_IO = 9,
       EX_INTEGRITY = 12, EX_USAGE = 13, EX_TOOBIG = 14 };

typedef struct fx {
    char *dir;
    char *db;
} fx;

static fx *F;

UNUSED static void sql(const char *s)
{
    int rc = t_db_exec(F->db, s);
    if (rc != 0)
        fprintf(stderr, "sql failed (%d): %s\n", rc, s);
    assert_int_equal(rc, 0);
}

/* Runs `iom --db DB --as USER args...` (NULL-terminated). */
UNUSED static t_result iomv(const char *user, va_list ap)
{
    const char *argv[64];
    int n = 0;
    argv[n++] = "--db";
    argv[n++] = F->db;
    if (user) {
        argv[n++] = "--as";
        argv[n++] = user;
    }
    const char *a;
    while ((a = va_arg(ap, const char *)) && n < 63)
        argv[n++] = a;
    argv[n] = NULL;
    return t_run(NULL, argv);
}

/* The stderr of a refused command (malloc'd), its status checked. */
UNUSED static char *refusal_of(int status, const char *user, ...)
{
    va_list ap;
    va_start(ap, user);
    t_result r = iomv(user, ap);
    va_end(ap);
    assert_int_equal(r.status, status);
    char *err = r.err;
    r.err = NULL;
    t_result_free(&r);
    return err;
}

/* Runs and asserts success; returns stdout (malloc'd). */
UNUSED static char *ok(const char *user, ...)
{
    va_list ap;
    va_start(ap, user);
    t_result r = iomv(user, ap);
    va_end(ap);
    if (r.status != 0)
        fprintf(stderr, "unexpected failure (%d): %s%s\n", r.status, r.out, r.err);
    assert_int_equal(r.status, 0);
    char *out = r.out;
    r.out = NULL;
    t_result_free(&r);
    return out;
}

/* Runs, asserts the exit status, that stderr names `needle`, and that nothing changed. */
UNUSED static void refused(int status, const char *needle, const char *user, ...)
{
    char *before = t_db_fingerprint(F->db);
    va_list ap;
    va_start(ap, user);
    t_result r = iomv(user, ap);
    va_end(ap);
    if (r.status != status || !strstr(r.err, needle))
        fprintf(stderr, "wanted %d with '%s', got %d: %s%s\n", status, needle, r.status, r.out, r.err);
    assert_int_equal(r.status, status);
    assert_non_null(strstr(r.err, needle));
    char *after = t_db_fingerprint(F->db);
    assert_string_equal(before, after);
    free(before);
    free(after);
    t_result_free(&r);
}

UNUSED static long long scalar(const char *q) { return t_db_scalar(F->db, q); }

UNUSED static void today_plus_years(int years, char out[11])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    int y = tm.tm_year + 1900 + years, m = tm.tm_mon + 1, d = tm.tm_mday;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        d = 28;
    char buf[32];
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    memcpy(out, buf, 10);
    out[10] = '\0';
}

UNUSED static int group_setup(void **state)
{
    (void)state;
    F = calloc(1, sizeof *F);
    F->dir = t_tmpdir();
    F->db = t_make_db(F->dir);
    const char *users[][3] = {{"toex-analyst", "analyst", "OFFICIAL-SENSITIVE"},
                              {"toex-analyst2", "analyst", "OFFICIAL-SENSITIVE"},
                              {"toex-official", "analyst", "OFFICIAL"}};
    for (size_t i = 0; i < 3; i++)
        free(ok("admin", "user", "add", users[i][0], "--agency", "toex", "--role", users[i][1],
                "--clearance", users[i][2], NULL));
#define ID(tab, name) "(SELECT id FROM " tab " WHERE " name ")"
    for (int i = 1; i <= 4; i++) {
        char *q = t_fmt("INSERT INTO threat(ref, title, type, owner_id, sio_id, force_tasking_ref, marking,"
                        " created_at, updated_at) VALUES ('SOC-9%05d', 'Threat %d', 'labour', "
                        ID("agency", "code = 'west-yorkshire'") ", " ID("user", "name = 'wy-sio'")
                        ", 'WY-%d', 'OFFICIAL', 1, 1)", i, i, i);
        sql(q);
        free(q);
    }
    const char *states[] = {"in_development", "draft", "closed", "tor_agreed"};
    const char *markings[] = {"OFFICIAL", "OFFICIAL", "OFFICIAL", "OFFICIAL-SENSITIVE"};
    for (int i = 1; i <= 4; i++) {
        char *q = t_fmt(
            "INSERT INTO tasking(ref, threat_id, state, requesting_agency_id, spoc_id, sio_id, sia_id,"
            " urgency, marking, bid_json, reached_toex, state_since, created_at, updated_at) VALUES"
            " ('TOEX-2026-%06d', " ID("threat", "ref = 'SOC-9%05d'") ", '%s', "
            ID("agency", "code = 'west-yorkshire'") ", " ID("user", "name = 'wy-spoc'") ", "
            ID("user", "name = 'wy-sio'") ", " ID("user", "name = 'toex-sia'")
            ", 'routine', '%s', '{}', %d, 1, 1, 1)",
            i, i, states[i - 1], markings[i - 1], i == 2 ? 0 : 1);
        sql(q);
        free(q);
    }
    sql("INSERT INTO tasking_member(tasking_id, user_id, added_at) SELECT t.id, u.id, 1 FROM tasking t,"
        " user u WHERE (t.ref = '" T1 "' AND u.name IN ('toex-analyst', 'toex-official'))"
        " OR (t.ref = '" T4 "' AND u.name = 'toex-analyst')");
    *state = F;
    return 0;
}

UNUSED static int group_teardown(void **state)
{
    (void)state;
    t_tmpdir_free(F->dir);
    free(F->db);
    free(F);
    return 0;
}


#endif
