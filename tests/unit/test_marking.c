/*
 * test_marking: every read operation of the operation table that shows something of an
 * OFFICIAL-SENSITIVE tasking shows that marking (issue 13 point 2, docs/domain.md §5): the
 * CLI's text starts with it, the CLI's JSON holds it, and the API answers it in X-Iom-Marking
 * (test_openapi_responses checks the header against the JSON of every GET route).
 *
 * The rows are taken from op_table itself, so a new read row is walked without a test edit;
 * a row this test cannot give arguments to fails it ("no arguments for ..."), so none is
 * skipped silently.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <time.h>
#include <jansson.h>

#include "ops/ops.h"
#include "testutil.h"

#define TASKING "TOEX-2026-000001" /* the demo's OFFICIAL-SENSITIVE tasking (SOC-000001) */

typedef struct world {
    char *dir, *db;
    char item[32], product[32], option[32];
    char dataset[32], entity[32], pair[32]; /* the picture (issue 16) */
} world;

static char *run_ok(world *w, const char *const *args, bool json)
{
    const char *argv[24];
    size_t k = 0;
    argv[k++] = "--db";
    argv[k++] = w->db;
    argv[k++] = "--as";
    argv[k++] = "auditor";
    if (json)
        argv[k++] = "--json";
    for (size_t i = 0; args[i] && k < 23; i++)
        argv[k++] = args[i];
    argv[k] = NULL;
    t_result r = t_run(NULL, argv);
    if (r.status != 0) {
        fprintf(stderr, "iom");
        for (size_t i = 0; argv[i]; i++)
            fprintf(stderr, " %s", argv[i]);
        fprintf(stderr, ": exit %d: %s\n", r.status, r.err);
    }
    assert_int_equal(r.status, 0);
    char *out = r.out;
    r.out = NULL;
    t_result_free(&r);
    return out;
}

/* The first item's "ref" of a list command's JSON. */
static void first_ref(world *w, const char *group, char out[32])
{
    const char *args[] = {group, "list", TASKING, NULL};
    char *s = run_ok(w, args, true);
    json_t *j = json_loads(s, 0, NULL);
    const char *ref = json_string_value(json_object_get(json_array_get(json_object_get(j, "items"), 0), "ref"));
    assert_non_null(ref);
    snprintf(out, 32, "%s", ref);
    json_decref(j);
    free(s);
}

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    w->dir = t_tmpdir();
    w->db = t_fmt("%s/m.db", w->dir);
    t_result r = t_runv(NULL, "--db", w->db, "demo", "--password", "marking test 2026", NULL);
    assert_int_equal(r.status, 0);
    t_result_free(&r);
    first_ref(w, "intel", w->item);
    first_ref(w, "product", w->product);
    first_ref(w, "option", w->option);
    first_ref(w, "dataset", w->dataset);
    { /* a MoPI review of the dataset, so that its review history is not empty */
        time_t now = time(NULL) + 200 * 86400;
        struct tm tm;
        gmtime_r(&now, &tm);
        char next[16];
        strftime(next, sizeof next, "%Y-%m-%d", &tm);
        t_result rv = t_runv(NULL, "--db", w->db, "--as", "toex-manager", "dataset", "review", w->dataset,
                             "--retain", "--next", next, "--reason", "still needed", NULL);
        assert_int_equal(rv.status, 0);
        t_result_free(&rv);
    }
    first_ref(w, "entity", w->entity);
    {
        const char *args[] = {"entity", "review list", TASKING, NULL};
        char *s = run_ok(w, args, true);
        json_t *j = json_loads(s, 0, NULL);
        const char *ref = json_string_value(json_object_get(json_array_get(json_object_get(j, "items"), 0), "ref"));
        assert_non_null(ref);
        snprintf(w->pair, sizeof w->pair, "%s", ref);
        json_decref(j);
        free(s);
    }
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    t_tmpdir_free(w->dir);
    free(w->db);
    free(w);
    return 0;
}

/* The arguments of a read row about one object: its positionals. False when the row takes
   none (lists across taskings, reference data); a positional this test has no value for
   fails the test. */
static bool args_of(const world *w, const op_def *op, const char **args)
{
    size_t k = 0;
    args[k++] = op->group;
    if (op->cmd[0]) /* a command of one word (`search TEXT`) has no second */
        args[k++] = op->cmd;
    bool about = false;
    for (const op_field *f = op->fields; f && f->name; f++) {
        const char *v = NULL;
        if (!(f->flags & (OF_PATH | OF_ARG)) || (f->flags & OF_CLI_OPT))
            continue;
        if (strcmp(f->name, "ref") == 0 && strncmp(op->path, "/api/v1/taskings/", 17) == 0)
            v = TASKING;
        else if (strcmp(f->name, "ref") == 0 && strncmp(op->path, "/api/v1/threats/", 16) == 0)
            v = "SOC-000001";
        else if (strcmp(f->name, "item") == 0)
            v = w->item;
        else if (strcmp(f->name, "product") == 0)
            v = w->product;
        else if (strcmp(f->name, "option") == 0)
            v = w->option;
        else if (strcmp(f->name, "dataset") == 0)
            v = w->dataset;
        else if (strcmp(f->name, "entity") == 0)
            v = w->entity;
        else if (strcmp(f->name, "pair") == 0)
            v = w->pair;
        else if (strcmp(f->name, "from") == 0 || strcmp(f->name, "to") == 0)
            v = "1";
        else if (strcmp(f->name, "q") == 0) /* search: the tasking by its reference */
            v = TASKING;
        if (!v && strncmp(op->path, "/api/v1/agencies/", 17) != 0 &&
            strncmp(op->path, "/api/v1/users/", 14) != 0 && strncmp(op->path, "/api/v1/apmis/", 14) != 0 &&
            strncmp(op->path, "/api/v1/settings/", 17) != 0)
            fail_msg("no arguments for %s (%s): give the test a value", op->name, f->name);
        if (!v) /* reference data, users, APMIS records, settings: not of one tasking */
            return false;
        args[k++] = v;
        about = true;
    }
    args[k] = NULL;
    return about;
}

static void every_read_shows_the_marking(void **state)
{
    world *w = *state;
    int walked = 0;
    for (const op_def *op = op_table; op->name; op++) {
        if (!op->group || !op->method || strcmp(op->method, "GET") != 0)
            continue;
        const char *args[16];
        if (!args_of(w, op, args))
            continue;
        {
            char *text = run_ok(w, args, false);
            char *json = run_ok(w, args, true);
            if (strncmp(text, "OFFICIAL-SENSITIVE\n", 19) != 0)
                fprintf(stderr, "%s: the text does not start with the marking:\n%s\n", op->name, text);
            assert_int_equal(strncmp(text, "OFFICIAL-SENSITIVE\n", 19), 0);
            if (!strstr(json, "\"marking\": \"OFFICIAL-SENSITIVE\"") &&
                !strstr(json, "\"threat_marking\": \"OFFICIAL-SENSITIVE\""))
                fprintf(stderr, "%s: the JSON holds no marking:\n%s\n", op->name, json);
            assert_true(strstr(json, "\"marking\": \"OFFICIAL-SENSITIVE\"") ||
                        strstr(json, "\"threat_marking\": \"OFFICIAL-SENSITIVE\""));
            free(text);
            free(json);
            walked++;
        }
    }
    fprintf(stderr, "test_marking: %d read operations walked on %s\n", walked, TASKING);
    assert_true(walked >= 12);
}

/* An auditor cleared for OFFICIAL only: auditor-low. */
static void add_low_auditor(world *w)
{
    t_result r = t_runv(NULL, "--db", w->db, "--as", "admin", "user", "add", "auditor-low", "--agency", "nca",
                        "--role", "auditor", "--clearance", "OFFICIAL", NULL);
    assert_int_equal(r.status, 0);
    t_result_free(&r);
}

/* Review 49: the audit log showed an auditor cleared for OFFICIAL only the images of an
   OFFICIAL-SENSITIVE tasking's options, work log, datasets, MoPI reviews and deconfliction
   matches (images without a marking of their own). Every image they are shown now belongs
   only to OFFICIAL objects; the rest reads {"ref", "withheld"}; the answer is OFFICIAL. */
static void an_official_auditor_sees_no_sensitive_image(void **state)
{
    world *w = *state;
    add_low_auditor(w);
    const char *users[] = {"auditor", "auditor-low"};
    size_t raises[2] = {0, 0}; /* deconfliction images shown */
    size_t resolutions[2] = {0, 0}; /* images shown with a resolution's counts */
    for (int u = 0; u < 2; u++) {
        char after[32] = "";
        size_t sensitive = 0, withheld = 0, entries = 0;
        for (;;) {
            t_result q = *after ? t_runv(NULL, "--db", w->db, "--as", users[u], "--json", "audit", "log", "--limit",
                                         "1000", "--after", after, NULL)
                                : t_runv(NULL, "--db", w->db, "--as", users[u], "--json", "audit", "log", "--limit",
                                         "1000", NULL);
            assert_int_equal(q.status, 0);
            json_t *j = json_loads(q.out, 0, NULL);
            assert_non_null(j);
            size_t i;
            json_t *e;
            json_array_foreach(json_object_get(j, "items"), i, e)
            {
                entries++;
                for (int k = 0; k < 2; k++) {
                    json_t *img = json_object_get(e, k ? "after" : "before");
                    if (!json_is_object(img))
                        continue;
                    if (json_object_get(img, "withheld")) {
                        withheld++;
                        assert_null(json_object_get(img, "marking"));
                        continue;
                    }
                    const char *mk = json_string_value(json_object_get(img, "marking"));
                    const char *action = json_string_value(json_object_get(e, "action"));
                    /* a resolution's counts are of the whole tasking, every marking: withheld
                       from the OFFICIAL auditor as the API withholds them (review 94 M3) */
                    json_t *res = json_object_get(img, "resolution");
                    if (json_is_object(res) && json_object_get(res, "entities")) {
                        resolutions[u]++;
                        if (u == 0) {
                            assert_true(json_is_integer(json_object_get(res, "entities")));
                            assert_null(json_object_get(res, "withheld"));
                        } else {
                            assert_true(json_is_null(json_object_get(res, "records")));
                            assert_true(json_is_null(json_object_get(res, "entities")));
                            assert_true(json_is_null(json_object_get(res, "created_entities")));
                            assert_true(json_is_null(json_object_get(res, "review_pairs")));
                            assert_true(json_is_true(json_object_get(res, "withheld")));
                        }
                    }
                    bool os = mk && strcmp(mk, "OFFICIAL") != 0;
                    /* a deconfliction's matches: the other taskings, by reference (review 50:
                       they were internal numbers, withheld from every OFFICIAL auditor) */
                    size_t x;
                    json_t *mt;
                    json_array_foreach(json_object_get(img, "matches"), x, mt)
                    {
                        const char *ot = json_string_value(json_object_get(mt, "other_tasking"));
                        assert_true(ot && !strncmp(ot, "TOEX-", 5));
                        char *sql = t_fmt("SELECT marking FROM tasking WHERE ref = '%s'", ot);
                        char *m = t_db_text(w->db, sql);
                        os = os || !m || strcmp(m, "OFFICIAL") != 0;
                        free(m);
                        free(sql);
                    }
                    if (!strcmp(action, "deconflict.raise"))
                        raises[u]++;
                    /* what it belongs to, as marked in the database */
                    static const char *const owners[][2] = {{"tasking", "tasking"}, {"dataset", "dataset"},
                                                           {"item", "intel_item"}, {"threat", "threat"}};
                    for (size_t o = 0; o < 4; o++) {
                        const char *ref = json_string_value(json_object_get(img, owners[o][0]));
                        if (!ref)
                            continue;
                        char *sql = o == 1 ? t_fmt("SELECT marking FROM dataset WHERE id = %lld", atoll(ref + 3))
                                    : t_fmt("SELECT marking FROM %s WHERE ref = '%s'%s", owners[o][1], ref,
                                            o == 2 ? " AND is_current = 1" : "");
                        char *m = t_db_text(w->db, sql);
                        os = os || !m || strcmp(m, "OFFICIAL") != 0;
                        free(m);
                        free(sql);
                    }
                    sensitive += os;
                }
            }
            const char *next = json_string_value(json_object_get(j, "next"));
            snprintf(after, sizeof after, "%s", next ? next : "");
            json_decref(j);
            t_result_free(&q);
            if (!*after)
                break;
        }
        assert_true(entries > 100);
        if (u == 0) { /* cleared: all of it */
            assert_int_equal(withheld, 0);
            assert_true(sensitive > 100);
        } else {
            assert_int_equal(sensitive, 0);
            assert_true(withheld > 100);
        }
    }
    /* the cleared auditor sees every deconfliction; the other, those of OFFICIAL taskings */
    fprintf(stderr, "deconflict.raise images shown: %zu, %zu\n", raises[0], raises[1]);
    assert_true(raises[0] > 0);
    fprintf(stderr, "images with a resolution shown: %zu, %zu\n", resolutions[0], resolutions[1]);
    assert_true(resolutions[0] > resolutions[1] && resolutions[1] > 0);
}

/* Runs iom as user with args (NULL-terminated); asserts success; stdout (heap). */
static char *as_ok(world *w, const char *user, const char *const *args)
{
    const char *argv[32] = {"--db", w->db, "--as", user};
    size_t k = 4;
    for (size_t i = 0; args[i] && k < 31; i++)
        argv[k++] = args[i];
    argv[k] = NULL;
    t_result r = t_run(NULL, argv);
    if (r.status != 0)
        fprintf(stderr, "%s %s: exit %d: %s\n", user, args[0], r.status, r.err);
    assert_int_equal(r.status, 0);
    char *out = r.out;
    r.out = NULL;
    t_result_free(&r);
    return out;
}

/* The ref of the person labelled `label` in the entity list JSON `list`, and the record of its
   `nth` source (record may be NULL); false when none. */
static bool person_ref(const char *list, const char *label, char ref[32], size_t nth, char record[32])
{
    json_t *j = json_loads(list, 0, NULL);
    size_t i;
    json_t *e;
    bool found = false;
    json_array_foreach(json_object_get(j, "items"), i, e)
    {
        if (found || strcmp(json_string_value(json_object_get(e, "label")), label) != 0)
            continue;
        snprintf(ref, 32, "%s", json_string_value(json_object_get(e, "ref")));
        json_t *src = json_array_get(json_object_get(e, "sources"), nth);
        if (record)
            snprintf(record, 32, "%s", src ? json_string_value(json_object_get(src, "record")) : "");
        found = true;
    }
    json_decref(j);
    return found;
}

/* Review 50: analysts' decisions on an OFFICIAL-SENSITIVE tasking (a merge, a split) are
   withheld from an OFFICIAL auditor (their images name the tasking one level down, or nothing),
   and a merge keeps the merged person findable and deconflicted (its names and date of birth
   left search and the keys when no record moved). */
static void decisions_are_withheld_and_kept_findable(void **state)
{
    world *w = *state;
    add_low_auditor(w);
    char *csv = t_fmt("%s/x.csv", w->dir);
    FILE *f = fopen(csv, "w");
    assert_non_null(f);
    fputs("id,first,last,dob\n1,Xeno,Gamma,1963-07-07\n2,Zed,Alpha,1970-01-01\n", f);
    /* and enough other people that a decision touches fewer than half the picture (the index
       is then updated entity by entity, where the merged person was lost) */
    static const char *const fn[] = {"Oliver", "Amelia", "Harry", "Isla", "George", "Freya", "Noah", "Ivy"};
    static const char *const sn[] = {"Taylor", "Brown", "Wilson", "Evans", "Hughes", "Green"};
    for (int i = 0; i < 48; i++)
        fprintf(f, "p%d,%s,%s,19%02d-%02d-%02d\n", i, fn[i % 8], sn[i / 8], 40 + i, 1 + i % 12, 1 + i % 28);
    assert_int_equal(fclose(f), 0);
    const char *imp[] = {"dataset", "import", "TOEX-2026-000003", csv, "--name", "X", "--level", "local",
                         "--grade", "2B", "--handling", "P", "--field", "id=id", "--field", "first_name=first",
                         "--field", "surname=last", "--field", "dob=dob", NULL};
    free(as_ok(w, "toex-sia", imp));
    const char *ls[] = {"--json", "entity", "list", "TOEX-2026-000003", "--limit", "1000", NULL};
    char *list = as_ok(w, "toex-sia", ls);
    char xeno[32], zed[32], rec[32];
    assert_true(person_ref(list, "Xeno Gamma", xeno, 0, rec));
    assert_true(person_ref(list, "Zed Alpha", zed, 0, NULL));
    free(list);
    const char *merge[] = {"entity", "merge", zed, xeno, "--reason", "Xeno is an alias per CHIS 4471", NULL};
    free(as_ok(w, "toex-sia", merge));
    /* the merged person is found under the kept entity, and deconflicted by its date of birth */
    const char *find[] = {"--json", "search", "Gamma", "--tasking", "TOEX-2026-000003", NULL};
    char *found = as_ok(w, "toex-sia", find);
    assert_non_null(strstr(found, zed));
    free(found);
    char *q = t_fmt("SELECT count(*) FROM deconflict_key WHERE key = 'dob:19630707' AND entity_id = %lld",
                    atoll(zed + 4));
    assert_int_equal(t_db_scalar(w->db, q), 1);
    free(q);
    /* and split again: Xeno's record leaves Zed */
    const char *split[] = {"entity", "split", zed, "--record", rec, "--reason", "Xeno is not him per custody",
                           NULL};
    free(as_ok(w, "toex-sia", split));
    /* the decisions' images: whole to the auditor cleared for them, withheld below */
    const char *log[] = {"--json", "audit", "log", "--limit", "1000", NULL}; /* the demo's ~300 and these */
    char *full = as_ok(w, "auditor", log), *low = as_ok(w, "auditor-low", log);
    assert_non_null(strstr(full, "CHIS 4471"));
    assert_non_null(strstr(full, "not him per custody"));
    assert_null(strstr(low, "CHIS 4471"));
    assert_null(strstr(low, "not him per custody"));
    free(full);
    free(low);
    free(csv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(every_read_shows_the_marking, setup, teardown),
        cmocka_unit_test_setup_teardown(an_official_auditor_sees_no_sensitive_image, setup, teardown),
        cmocka_unit_test_setup_teardown(decisions_are_withheld_and_kept_findable, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
