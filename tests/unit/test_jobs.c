/*
 * Issue 16 point 1: over the API a dataset import is a background job with progress
 * (POST /api/v1/taskings/{ref}/dataset-jobs answers 202 and the job; GET /api/v1/jobs/{job}).
 * The server runs in-process on 127.0.0.1.
 *
 *   job_imports             the job runs to `done` with the import's answer and its phase and
 *                           counts; the dataset and its entities are there; one audit entry.
 *   job_is_the_starters     another user, even one who may read the tasking, gets 404; so
 *                           does an unknown id.
 *   refused_before_start    no need-to-know (404) and no write rule (403) are refused at once
 *                           with no job; missing csv is 400.
 *   failed_job_changes_nothing  a malformed CSV ends the job `failed` with the problem, and
 *                           nothing is stored.
 *   registry_keeps_recent   64 newer jobs push the first one out of the registry (404); its
 *                           dataset stays.
 */
#define _GNU_SOURCE
#include "test_cli_support.h"

#include <time.h>

#include "app/job.h"

static char *REF;

static int setup(void **state)
{
    (void)state;
    W = hw_new(10);
    hw_user(W, "toex-analyst", "toex", "analyst");
    REF = developing("Car wash laundering");
    as("toex-sia");
    iom_tasking_t t;
    hw_ok(W, app_tasking_assign(&W->c, REF, "toex-analyst", true, 0, &t));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(REF);
    hw_free(W);
    return 0;
}

static const char body[] =
    "{\"name\":\"Force nominals\",\"level\":\"local\",\"grade\":\"2B\",\"handling\":\"P\","
    "\"fields\":[\"id=id\",\"full_name=name\",\"dob=dob\",\"phone=phone\"],"
    "\"csv\":\"id,name,dob,phone\\n1,Anna Lee,1980-01-01,07700 900111\\n"
    "2,Anna Lee,1980-01-01,07700900111\\n3,Bob Ray,1970-02-02,07700 900222\\n\"}";

/* Polls the job until it has ended (at most 20 s); returns its last answer (caller frees). */
static hresp wait_job(const char *id)
{
    char *path = t_fmt("/api/v1/jobs/%s", id);
    hresp r = {0};
    /* up to 60 s: a loaded machine (the PostgreSQL run beside two other tests) once took over
       the 20 s this waited, and the last answer, freed, was then read (a crash, not a failure) */
    for (int i = 0; i < 1200; i++) {
        r = hw_as(W, "GET", path, NULL, NULL);
        hw_expect(&r, 200);
        const char *state = jstr(&r, "state");
        assert_non_null(state);
        if (strcmp(state, "running") != 0 || i == 1199)
            break;
        hresp_free(&r);
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    free(path);
    return r; /* the last answer, still running if it never ended */
}

static char *path_of(const char *fmt, const char *a)
{
    return t_fmt(fmt, a);
}

static char *JOB;

static void job_imports(void **state)
{
    (void)state;
    hw_login(W, "toex-analyst");
    char *p = path_of("/api/v1/taskings/%s/dataset-jobs", REF);
    hresp r = hw_as(W, "POST", p, NULL, body);
    free(p);
    hw_expect(&r, 202);
    assert_int_equal(strlen(jstr(&r, "id")), 32);
    assert_string_equal(jstr(&r, "kind"), "dataset.import");
    assert_string_equal(jstr(&r, "tasking"), REF);
    assert_non_null(jstr(&r, "marking"));
    JOB = strdup(jstr(&r, "id"));
    hresp_free(&r);
    r = wait_job(JOB);
    if (strcmp(jstr(&r, "state"), "done") != 0)
        fprintf(stderr, "job: %s\n", r.body);
    assert_string_equal(jstr(&r, "state"), "done");
    json_t *res = json_object_get(r.json, "result");
    assert_string_equal(json_string_value(json_object_get(res, "name")), "Force nominals");
    assert_int_equal(json_integer_value(json_object_get(res, "records")), 3);
    assert_true(json_is_null(json_object_get(r.json, "error")));
    assert_true(json_integer_value(json_object_get(r.json, "total")) > 0);
    assert_int_equal(json_integer_value(json_object_get(r.json, "done")),
                     json_integer_value(json_object_get(r.json, "total")));
    assert_non_null(jstr(&r, "finished_at"));
    /* the job shows the dataset: marked at least as it is, and read as `dataset show` reads
       it, logged (review 137 L7) */
    assert_string_equal(jstr(&r, "marking"), json_string_value(json_object_get(res, "marking")));
    hresp_free(&r);
    assert_true(t_db_scalar(W->db, "SELECT count(*) FROM read_log WHERE actor = 'toex-analyst' AND action ="
                                   " 'tasking.read' AND after_json LIKE '%\"ref\":\"DS-%'") >= 1);
    assert_int_equal(t_db_scalar(W->db, "SELECT count(*) FROM dataset WHERE name = 'Force nominals'"), 1);
    assert_true(t_db_scalar(W->db, "SELECT count(*) FROM entity WHERE type = 'person'") >= 2);
    assert_int_equal(t_db_scalar(W->db, "SELECT count(*) FROM audit WHERE action = 'dataset.import'"), 1);
    /* the same file again is refused by the job, as in the foreground */
    p = path_of("/api/v1/taskings/%s/dataset-jobs", REF);
    r = hw_as(W, "POST", p, NULL, body);
    free(p);
    hw_expect(&r, 202);
    char *again = strdup(jstr(&r, "id"));
    hresp_free(&r);
    r = wait_job(again);
    assert_string_equal(jstr(&r, "state"), "failed");
    json_t *err = json_object_get(r.json, "error");
    assert_string_equal(json_string_value(json_object_get(err, "code")), "conflict");
    hresp_free(&r);
    free(again);
    assert_int_equal(t_db_scalar(W->db, "SELECT count(*) FROM dataset"), 1);
}

static void job_is_the_starters(void **state)
{
    (void)state;
    hw_login(W, "toex-sia"); /* reads the tasking, did not start the job */
    char *p = path_of("/api/v1/jobs/%s", JOB);
    hresp r = hw_as(W, "GET", p, NULL, NULL);
    hw_expect(&r, 404);
    hresp_free(&r);
    hw_login(W, "met-spoc");
    r = hw_as(W, "GET", p, NULL, NULL);
    hw_expect(&r, 404);
    hresp_free(&r);
    free(p);
    hw_login(W, "toex-analyst");
    r = hw_as(W, "GET", "/api/v1/jobs/00000000000000000000000000000000", NULL, NULL);
    hw_expect(&r, 404);
    hresp_free(&r);
}

static void refused_before_start(void **state)
{
    (void)state;
    char *p = path_of("/api/v1/taskings/%s/dataset-jobs", REF);
    hw_login(W, "met-spoc");
    hresp r = hw_as(W, "POST", p, NULL, body);
    hw_expect(&r, 404);
    hresp_free(&r);
    hw_login(W, "wy-spoc"); /* sees the tasking, may not change its picture */
    r = hw_as(W, "POST", p, NULL, body);
    hw_expect(&r, 403);
    hresp_free(&r);
    hw_login(W, "toex-analyst");
    r = hw_as(W, "POST", p, NULL, "{\"name\":\"x\",\"level\":\"local\",\"grade\":\"2B\",\"fields\":[\"full_name=n\"]}");
    hw_expect(&r, 400);
    assert_non_null(strstr(r.body, "csv"));
    hresp_free(&r);
    free(p);
}

static void failed_job_changes_nothing(void **state)
{
    (void)state;
    hw_login(W, "toex-analyst");
    char *before = t_db_fingerprint(W->db);
    char *p = path_of("/api/v1/taskings/%s/dataset-jobs", REF);
    hresp r = hw_as(W, "POST", p, NULL,
                    "{\"name\":\"Broken\",\"level\":\"local\",\"grade\":\"2B\",\"handling\":\"P\","
                    "\"fields\":[\"full_name=name\"],\"csv\":\"name,dob\\n\\\"Anna Lee,1980\\n\"}");
    free(p);
    hw_expect(&r, 202);
    char *id = strdup(jstr(&r, "id"));
    hresp_free(&r);
    r = wait_job(id);
    assert_string_equal(jstr(&r, "state"), "failed");
    json_t *err = json_object_get(r.json, "error");
    assert_string_equal(json_string_value(json_object_get(err, "code")), "invalid");
    assert_non_null(strstr(json_string_value(json_object_get(err, "detail")), "line"));
    assert_true(json_is_null(json_object_get(r.json, "result")));
    hresp_free(&r);
    free(id);
    char *after = t_db_fingerprint(W->db);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

/* An import's result names its dataset (name, conditions, roles, checksum): once the dataset is
   removed (or disposed of), the job shows no result (review 42 read a disposed dataset's name
   and conditions there). */
static void a_gone_datasets_job_shows_no_result(void **state)
{
    (void)state;
    hw_login(W, "toex-analyst");
    char *p = path_of("/api/v1/taskings/%s/dataset-jobs", REF);
    hresp r = hw_as(W, "POST", p, NULL,
                    "{\"name\":\"Gone soon\",\"level\":\"local\",\"grade\":\"2B\",\"handling\":\"C\","
                    "\"conditions\":\"Police only R42\",\"fields\":[\"full_name=name\"],"
                    "\"csv\":\"name\\nAnna Gone\\n\"}");
    free(p);
    hw_expect(&r, 202);
    char *id = strdup(jstr(&r, "id"));
    hresp_free(&r);
    r = wait_job(id);
    assert_string_equal(jstr(&r, "state"), "done");
    char *ds = strdup(json_string_value(json_object_get(json_object_get(r.json, "result"), "ref")));
    hresp_free(&r);
    p = t_fmt("/api/v1/datasets/%s/remove", ds);
    r = hw_as(W, "POST", p, NULL, "{\"reason\":\"imported by mistake\"}");
    free(p);
    hw_expect(&r, 200);
    hresp_free(&r);
    p = path_of("/api/v1/jobs/%s", id);
    r = hw_as(W, "GET", p, NULL, NULL);
    free(p);
    hw_expect(&r, 200);
    assert_true(json_is_null(json_object_get(r.json, "result")));
    assert_non_null(jstr(&r, "result_gone"));
    assert_null(strstr(r.body, "Gone soon"));
    assert_null(strstr(r.body, "Police only R42"));
    hresp_free(&r);
    free(ds);
    free(id);
}

/* The registry keeps the states of the 64 most recent jobs: the first job, ended, has made
   room for newer ones and reads as not found; its dataset stays. */
static void registry_keeps_recent(void **state)
{
    (void)state;
    /* another user's job, before one user's flood: the flood pushes out its own jobs first
       (review 83 L5: it pushed out everyone's) */
    hw_login(W, "toex-sia");
    char *p = path_of("/api/v1/taskings/%s/dataset-jobs", REF);
    hresp sr = hw_as(W, "POST", p, NULL,
                     "{\"name\":\"Sia keeps\",\"level\":\"local\",\"grade\":\"2B\",\"handling\":\"P\","
                     "\"fields\":[\"full_name=name\"],\"csv\":\"name\\nKept Person\\n\"}");
    hw_expect(&sr, 202);
    char *sia_job = strdup(jstr(&sr, "id"));
    hresp_free(&sr);
    assert_int_equal(app_jobs_drain(60), 0);
    hw_login(W, "toex-analyst");
    for (int i = 0; i < APP_JOBS_MAX; i++) {
        char *b = t_fmt("{\"name\":\"Bulk %d\",\"level\":\"local\",\"grade\":\"2B\",\"handling\":\"P\","
                        "\"fields\":[\"full_name=name\"],\"csv\":\"name\\nPerson %d\\n\"}", i, i);
        hresp r = hw_as(W, "POST", p, NULL, b);
        free(b);
        hw_expect(&r, 202);
        hresp_free(&r);
        assert_int_equal(app_jobs_drain(60), 0);
    }
    free(p);
    p = path_of("/api/v1/jobs/%s", JOB);
    hresp r = hw_as(W, "GET", p, NULL, NULL);
    hw_expect(&r, 404);
    hresp_free(&r);
    free(p);
    assert_int_equal(t_db_scalar(W->db, "SELECT count(*) FROM dataset WHERE name = 'Force nominals'"), 1);
    assert_int_equal(t_db_scalar(W->db, "SELECT count(*) FROM dataset WHERE name LIKE 'Bulk %'"), APP_JOBS_MAX);
    hw_login(W, "toex-sia");
    p = path_of("/api/v1/jobs/%s", sia_job);
    r = hw_as(W, "GET", p, NULL, NULL);
    hw_expect(&r, 200);
    assert_string_equal(jstr(&r, "state"), "done");
    hresp_free(&r);
    free(p);
    free(sia_job);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(job_imports),
        cmocka_unit_test(job_is_the_starters),
        cmocka_unit_test(refused_before_start),
        cmocka_unit_test(failed_job_changes_nothing),
        cmocka_unit_test(a_gone_datasets_job_shows_no_result),
        cmocka_unit_test(registry_keeps_recent),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
