/*
 * `iom apmis record|show|list` through the CLI (black box): a good record is stored with its
 * capabilities and audited in the same transaction; every bad input and every actor not
 * allowed gets a clear error naming the field or rule, and the database fingerprint is
 * unchanged. Reads follow docs/domain.md §3 (docs/apmis.md "Who may").
 */
#include "testutil.h"

#include "app/apmis.h"
#include "app/audit.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct fx {
    char *dir;
    char *db;
} fx;

static void ok(t_result r)
{
    if (r.status != 0)
        fprintf(stderr, "command failed (%d): %s %s\n", r.status, r.out, r.err);
    assert_int_equal(r.status, 0);
    t_result_free(&r);
}

static void build(fx *f)
{
    ok(t_runv(NULL, "--db", f->db, "--as", "admin", "user", "add", "rec", "--agency", "nca",
              "--role", "apmis", "--clearance", "OFFICIAL-SENSITIVE", NULL));
    ok(t_runv(NULL, "--db", f->db, "--as", "admin", "user", "add", "rec-official", "--agency",
              "nca", "--role", "apmis", "--clearance", "OFFICIAL", NULL));
    /* SOC-000001 OFFICIAL (west-yorkshire), SOC-000002 OFFICIAL-SENSITIVE (west-yorkshire),
       SOC-000003 OFFICIAL (met). */
    ok(t_runv(NULL, "--db", f->db, "--as", "wy-spoc", "threat", "add", "--title", "County lines",
              "--type", "criminal", "--owner", "west-yorkshire", "--sio", "wy-sio",
              "--force-tasking-ref", "WY-1", NULL));
    ok(t_runv(NULL, "--db", f->db, "--as", "wy-spoc", "threat", "add", "--title", "Sensitive",
              "--type", "sexual", "--owner", "west-yorkshire", "--sio", "wy-sio",
              "--force-tasking-ref", "WY-2", "--marking", "OFFICIAL-SENSITIVE", NULL));
    ok(t_runv(NULL, "--db", f->db, "--as", "met-spoc", "threat", "add", "--title", "Car washes",
              "--type", "labour", "--owner", "met", "--sio", "met-sio", "--force-tasking-ref",
              "MET-1", NULL));
    /* TOEX took a tasking of SOC-000001 and SOC-000002 on (an SIA allocated): it may be named
       as a capability on their records, not on SOC-000003's */
    static const char *const taken[][3] = {{"TOEX-2026-000001", "SOC-000001", "OFFICIAL"},
                                           {"TOEX-2026-000002", "SOC-000002", "OFFICIAL-SENSITIVE"}};
    for (int i = 0; i < 2; i++) {
        char *q = t_fmt("INSERT INTO tasking(ref, threat_id, state, requesting_agency_id, spoc_id, sio_id, sia_id,"
                        " urgency, marking, bid_json, reached_toex, state_since, created_at, updated_at) VALUES"
                        " ('%s', (SELECT id FROM threat WHERE ref = '%s'), 'closed', (SELECT id FROM agency WHERE"
                        " code = 'west-yorkshire'), (SELECT id FROM \"user\" WHERE name = 'wy-spoc'), (SELECT id"
                        " FROM \"user\" WHERE name = 'wy-sio'), (SELECT id FROM \"user\" WHERE name = 'toex-sia'),"
                        " 'routine', '%s', '{}', 1, 1, 1, 1)",
                        taken[i][0], taken[i][1], taken[i][2]);
        assert_int_equal(t_db_exec(f->db, q), 0);
        free(q);
        q = t_fmt("INSERT INTO tasking_event(tasking_id, id, at, action, from_state, to_state) SELECT id, 1,"
                  " 1767225600, 'accept', 'forwarded', 'accepted' FROM tasking WHERE ref = '%s'", /* 2026-01-01 */
                  taken[i][0]);
        assert_int_equal(t_db_exec(f->db, q), 0);
        free(q);
    }
}

/* The fixture is built once (slow under ASan: a process per step) and copied per test. */
static fx template_fx;

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb");
    if (!in)
        return; /* -wal / -shm need not exist */
    FILE *out = fopen(to, "wb");
    assert_non_null(out);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    assert_int_equal(fclose(out), 0);
}

static int group_setup(void **state)
{
    (void)state;
    template_fx.dir = t_tmpdir();
    template_fx.db = t_make_db(template_fx.dir);
    build(&template_fx);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    t_tmpdir_free(template_fx.dir);
    free(template_fx.db);
    return 0;
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    f->dir = t_tmpdir();
    f->db = t_fmt("%s/iom.db", f->dir);
    const char *suffix[] = {"", ".key", "-wal", "-shm"};
    for (int i = 0; i < 4; i++) {
        char *a = t_fmt("%s%s", template_fx.db, suffix[i]), *b = t_fmt("%s%s", f->db, suffix[i]);
        copy_file(a, b);
        free(a);
        free(b);
    }
    char *key = t_fmt("%s.key", f->db);
    assert_int_equal(chmod(key, 0600), 0);
    free(key);
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

/* A good record's arguments; `over` replaces the value of one option (NULL value: drop it). */
typedef struct arg {
    const char *opt, *val;
} arg;

static t_result run_record(fx *f, const char *as, const arg *over, size_t nover)
{
    arg base[] = {{"--threat", "SOC-000001"}, {"--date", "2026-01-05"}, {"--impact", "major"},
                  {"--type", "arrest"},       {"--lead", "west-yorkshire"},
                  {"--capability", "toex"},   {"--arrests", "3"},
                  {"--safeguarded", "2"},     {"--seized-pence", "150000"},
                  {"--strand", "pursue"},     {"--narrative", "Three arrested at the address."}};
    const char *argv[64];
    int k = 0;
    argv[k++] = "--db";
    argv[k++] = f->db;
    if (as) {
        argv[k++] = "--as";
        argv[k++] = as;
    }
    argv[k++] = "apmis";
    argv[k++] = "record";
    for (size_t i = 0; i < sizeof base / sizeof base[0]; i++) {
        const char *val = base[i].val;
        bool drop = false;
        for (size_t j = 0; j < nover; j++)
            if (strcmp(over[j].opt, base[i].opt) == 0) {
                val = over[j].val;
                drop = val == NULL;
            }
        if (drop)
            continue;
        argv[k++] = base[i].opt;
        argv[k++] = val;
    }
    /* Extra options not in the base (a second --capability). */
    for (size_t j = 0; j < nover; j++) {
        bool in_base = false;
        for (size_t i = 0; i < sizeof base / sizeof base[0]; i++)
            in_base = in_base || strcmp(over[j].opt, base[i].opt) == 0;
        if (!in_base && strncmp(over[j].opt, "+", 1) == 0) {
            argv[k++] = over[j].opt + 1;
            argv[k++] = over[j].val;
        }
    }
    argv[k] = NULL;
    return t_run(NULL, argv);
}

static void good_record_is_stored_and_audited(void **state)
{
    fx *f = *state;
    arg extra[] = {{"+--capability", "nca"}};
    t_result r = run_record(f, "rec", extra, 1);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "APM-000001\n");
    t_result_free(&r);
    assert_int_equal(t_db_scalar(f->db, "SELECT count(*) FROM apmis_capability"), 2);
    assert_int_equal(t_db_scalar(f->db, "SELECT seized_pence FROM apmis_record WHERE ref = 'APM-000001'"),
                     150000);
    r = t_runv(NULL, "--db", f->db, "--as", "rec", "--json", "apmis", "show", "APM-000001", NULL);
    assert_int_equal(r.status, 0);
    const char *want[] = {"\"ref\": \"APM-000001\"", "\"threat\": \"SOC-000001\"",
                          "\"lead\": \"west-yorkshire\"", "\"impact\": \"major\"",
                          "\"type\": \"arrest\"", "\"strand\": \"pursue\"", "\"arrests\": 3",
                          "\"safeguarded\": 2", "\"seized_pence\": 150000",
                          "\"toex_contributed\": true", "\"marking\": \"OFFICIAL\"",
                          "\"created_by\": \"rec\"", "\"nca\",", "\"toex\""};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        if (!strstr(r.out, want[i]))
            fprintf(stderr, "missing %s in %s\n", want[i], r.out);
        assert_non_null(strstr(r.out, want[i]));
    }
    t_result_free(&r);
    /* Audited in the same transaction, with the record as the after content. */
    r = t_runv(NULL, "--db", f->db, "--as", "auditor", "--json", "audit", "log", "--object",
               "APM-000001", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\"action\": \"apmis.record\""));
    assert_non_null(strstr(r.out, "\"seized_pence\": 150000"));
    t_result_free(&r);
    ok(t_runv(NULL, "--db", f->db, "--as", "auditor", "audit", "verify", NULL));

    /* The lead agency's SIO may record too; TOEX need not contribute; counts default to 0. */
    arg sio[] = {{"--capability", NULL}, {"--arrests", NULL}, {"--safeguarded", NULL},
                 {"--seized-pence", NULL}, {"--impact", "none"}, {"--type", "order_obtained"},
                 {"--strand", "protect"}};
    r = run_record(f, "wy-sio", sio, sizeof sio / sizeof sio[0]);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "APM-000002\n");
    t_result_free(&r);
    r = t_runv(NULL, "--db", f->db, "--as", "wy-sio", "--json", "apmis", "show", "APM-000002", NULL);
    assert_non_null(strstr(r.out, "\"toex_contributed\": false"));
    assert_non_null(strstr(r.out, "\"arrests\": 0"));
    assert_non_null(strstr(r.out, "\"capabilities\": []"));
    t_result_free(&r);

    /* An archived threat still takes disruptions (they may follow the end of the work). */
    ok(t_runv(NULL, "--db", f->db, "--as", "met-sio", "threat", "archive", "SOC-000003", "--reason", "operation closed", NULL));
    arg met[] = {{"--threat", "SOC-000003"}, {"--lead", "met"}, {"--impact", "negative"}, {"--capability", NULL}};
    r = run_record(f, "rec", met, 4);
    assert_int_equal(r.status, 0);
    t_result_free(&r);
    /* TOEX is named only where it took a tasking of the threat on (review 55: the value report
       counted a bid the Gateway rejected, or none at all, as TOEX's) */
    long long n0 = t_db_scalar(f->db, "SELECT count(*) FROM apmis_record");
    r = run_record(f, "rec", met, 3);
    assert_int_equal(r.status, 6);
    assert_non_null(strstr(r.err, "toex took on no tasking of threat SOC-000003"));
    t_result_free(&r);
    assert_int_equal(t_db_scalar(f->db, "SELECT count(*) FROM apmis_record"), n0);
    /* nor to a disruption before TOEX took the first tasking on (review 57: a 2001 disruption
       counted); SOC-000001's was accepted on 2026-01-01 */
    arg early[] = {{"--date", "2025-12-31"}, {"--narrative", "Before TOEX."}};
    r = run_record(f, "rec", early, 2);
    assert_int_equal(r.status, 6);
    assert_non_null(strstr(r.err, "first took on a tasking of threat SOC-000001 on 2026-01-01"));
    t_result_free(&r);
    assert_int_equal(t_db_scalar(f->db, "SELECT count(*) FROM apmis_record"), n0);
    /* TOEX's part is credited by who knows its taskings of the threat: another force's SPOC
       is told nothing of them, not even the day TOEX took the first on (review 81 M1: the
       Met's SPOC learned a West Yorkshire threat's tasking day from the refusal) */
    arg other[] = {{"--lead", "met"}, {"--date", "2025-12-31"}};
    r = run_record(f, "met-spoc", other, 2);
    assert_int_equal(r.status, 5);
    assert_non_null(strstr(r.err, "recorded by the threat's owner (west-yorkshire), the agency that requested its tasking, TOEX or the APMIS team"));
    assert_null(strstr(r.err, "2026-01-01"));
    t_result_free(&r);
    arg other_later[] = {{"--lead", "met"}, {"--date", "2026-01-06"}};
    r = run_record(f, "met-spoc", other_later, 2);
    assert_int_equal(r.status, 5);
    t_result_free(&r);
    arg other_plain[] = {{"--lead", "met"}, {"--date", "2026-01-06"}, {"--capability", NULL}};
    r = run_record(f, "met-spoc", other_plain, 3); /* its own disruption, without TOEX: recorded */
    assert_int_equal(r.status, 0);
    t_result_free(&r);
    assert_int_equal(t_db_scalar(f->db, "SELECT count(*) FROM apmis_record"), n0 + 1);
    n0++;
    /* Multi-line UTF-8 narrative with a tab. */
    arg utf[] = {{"--narrative", "Zwei Verhaftungen \xe2\x80\x94 \xc2\xa3""5k seized.\n\tSee log."}};
    r = run_record(f, "rec", utf, 1);
    assert_int_equal(r.status, 0);
    t_result_free(&r);
}

static void reads_follow_need_to_know(void **state)
{
    fx *f = *state;
    /* APM-000001: SOC-000001 (west-yorkshire), lead west-yorkshire, toex.
       APM-000002: SOC-000003 (met), lead met, no capability.
       APM-000003: SOC-000002 (OFFICIAL-SENSITIVE), lead west-yorkshire, toex. */
    t_result r = run_record(f, "rec", NULL, 0);
    t_result_free(&r);
    arg met[] = {{"--threat", "SOC-000003"}, {"--lead", "met"}, {"--capability", NULL}};
    r = run_record(f, "rec", met, 3);
    t_result_free(&r);
    arg os[] = {{"--threat", "SOC-000002"}};
    r = run_record(f, "rec", os, 1);
    assert_string_equal(r.out, "APM-000003\n");
    t_result_free(&r);
    struct {
        const char *as, *ref;
        int status;
    } show[] = {
        {"rec", "APM-000001", 0},         {"rec", "APM-000002", 0},
        {"rec", "APM-000003", 0},         {"auditor", "APM-000002", 0},
        {"rec-official", "APM-000003", 4}, /* not cleared */
        {"wy-spoc", "APM-000001", 0},     /* lead / owner */
        {"wy-spoc", "APM-000002", 4},     /* another force's */
        {"wy-official", "APM-000003", 4}, /* own force but not cleared */
        {"met-sio", "APM-000002", 0},     {"met-sio", "APM-000001", 4},
        {"yh-gateway", "APM-000001", 0},  /* region */
        {"yh-gateway", "APM-000002", 4},  {"toex-sia", "APM-000001", 0}, /* TOEX contributed */
        {"toex-sia", "APM-000002", 4},    {"admin", "APM-000001", 4},    /* admin alone */
        {"rec", "APM-999999", 4},
    };
    struct {
        const char *as;
        const char *want;
    } list[] = {
        {"rec", "APM-000001 APM-000002 APM-000003"},
        {"rec-official", "APM-000001 APM-000002"},
        {"wy-spoc", "APM-000001 APM-000003"},
        {"met-spoc", "APM-000002"},
        {"yh-gateway", "APM-000001 APM-000003"},
        {"toex-sia", "APM-000001 APM-000003"},
        {"admin", ""},
    };
    /* The matrix runs in process through the use-cases the CLI calls (one process per case
       is slow under ASan); the CLI's rendering of both outcomes is checked after it. */
    iom_store *st;
    iom_error e = {0};
    assert_int_equal(iom_store_open(f->db, 0, &st, &e), IOM_OK);
    iom_arena a;
    iom_arena_init(&a);
    iom_ctx c;
    /* a record's read is logged (its narrative may name people): the audit key is loaded */
    unsigned char key[sizeof c.audit_key];
    assert_int_equal(audit_key_load(audit_key_path(&a, f->db), key, &e), IOM_OK);
#define CTX_INIT()                                                                                 \
    do {                                                                                           \
        app_ctx_init(&c, st, &a);                                                                  \
        memcpy(c.audit_key, key, sizeof key);                                                      \
        c.has_audit_key = true;                                                                    \
    } while (0)
    for (size_t i = 0; i < sizeof show / sizeof show[0]; i++) {
        CTX_INIT();
        c.actor_name = show[i].as;
        iom_apmis_t rec;
        iom_err err = app_apmis_get(&c, show[i].ref, &rec);
        if ((int)err != (show[i].status ? IOM_ENOTFOUND : IOM_OK))
            fprintf(stderr, "show %zu (%s %s): %d %s\n", i, show[i].as, show[i].ref, err, c.err.msg);
        assert_int_equal(err, show[i].status ? IOM_ENOTFOUND : IOM_OK);
        if (err) { /* a forbidden record reads exactly like a missing one */
            char want[64];
            snprintf(want, sizeof want, "apmis record: '%s' not found", show[i].ref);
            assert_string_equal(c.err.msg, want);
        }
    }
    for (size_t i = 0; i < sizeof list / sizeof list[0]; i++) {
        CTX_INIT();
        c.actor_name = list[i].as;
        app_apmis_query q = {0};
        iom_apmis_t *v;
        size_t n;
        const char *next;
        assert_int_equal(app_apmis_list(&c, &q, &v, &n, &next), IOM_OK);
        char got[200] = "";
        for (size_t k = 0; k < n; k++)
            snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", k ? " " : "", v[k].ref);
        if (strcmp(got, list[i].want) != 0)
            fprintf(stderr, "list as %s: got '%s' want '%s'\n", list[i].as, got, list[i].want);
        assert_string_equal(got, list[i].want);
        assert_null(next);
    }
    iom_arena_free(&a);
    iom_store_close(st);
    r = t_runv(NULL, "--db", f->db, "--as", "met-sio", "apmis", "show", "APM-000001", NULL);
    assert_int_equal(r.status, 4);
    assert_non_null(strstr(r.err, "apmis record: 'APM-000001' not found"));
    t_result_free(&r);
    r = t_runv(NULL, "--db", f->db, "--as", "met-sio", "apmis", "show", "APM-000002", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "APM-000002  [OFFICIAL]  arrest disruption on 2026-01-05"));
    assert_non_null(strstr(r.out, "capabilities: (none)"));
    t_result_free(&r);
    r = t_runv(NULL, "--db", f->db, "--as", "wy-spoc", "apmis", "list", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "APM-000001  OFFICIAL "));
    assert_non_null(strstr(r.out, "APM-000003  OFFICIAL-SENSITIVE "));
    assert_null(strstr(r.out, "APM-000002"));
    t_result_free(&r);
    /* --threat filter, paging. */
    r = t_runv(NULL, "--db", f->db, "--as", "rec", "--json", "apmis", "list", "--threat",
               "SOC-000003", NULL);
    assert_non_null(strstr(r.out, "APM-000002"));
    assert_null(strstr(r.out, "APM-000001"));
    t_result_free(&r);
    r = t_runv(NULL, "--db", f->db, "--as", "rec", "--json", "apmis", "list", "--limit", "2", NULL);
    assert_non_null(strstr(r.out, "\"next\": \"APM-000002\""));
    t_result_free(&r);
    r = t_runv(NULL, "--db", f->db, "--as", "rec", "--json", "apmis", "list", "--after",
               "APM-000002", NULL);
    assert_non_null(strstr(r.out, "APM-000003"));
    assert_null(strstr(r.out, "APM-000001"));
    assert_non_null(strstr(r.out, "\"next\": null"));
    t_result_free(&r);
    r = t_runv(NULL, "--db", f->db, "--as", "rec", "apmis", "list", "--threat", "SOC-424242", NULL);
    assert_int_equal(r.status, 4);
    t_result_free(&r);
}

/* A tasking the recorder may not see tells nothing: an OFFICIAL recorder naming TOEX on an
   OFFICIAL threat whose only accepted tasking is OFFICIAL-SENSITIVE gets the answer of a
   threat TOEX never took on (review 69: its acceptance and date showed), an
   OFFICIAL-SENSITIVE recorder the record. */
static void hidden_tasking_tells_nothing(void **state)
{
    fx *f = *state;
    assert_int_equal(t_db_exec(f->db,
                               "INSERT INTO tasking(ref, threat_id, state, requesting_agency_id, spoc_id, sio_id,"
                               " sia_id, urgency, marking, bid_json, reached_toex, state_since, created_at, updated_at)"
                               " SELECT 'TOEX-2026-000009', th.id, 'closed', th.owner_id, (SELECT id FROM \"user\" WHERE"
                               " name = 'met-spoc'), th.sio_id, (SELECT id FROM \"user\" WHERE name = 'toex-sia'),"
                               " 'routine', 'OFFICIAL-SENSITIVE', '{}', 1, 1, 1, 1 FROM threat th WHERE th.ref ="
                               " 'SOC-000003';"
                               " INSERT INTO tasking_event(tasking_id, id, at, action, from_state, to_state) SELECT"
                               " id, 1, 1767225600, 'accept', 'forwarded', 'accepted' FROM tasking WHERE ref ="
                               " 'TOEX-2026-000009'"),
                     0);
    arg met[] = {{"--threat", "SOC-000003"}, {"--lead", "met"}};
    t_result r = run_record(f, "rec-official", met, 2);
    assert_int_equal(r.status, 6);
    assert_non_null(strstr(r.err, "took on no tasking of threat SOC-000003"));
    assert_null(strstr(r.err, "2026-01-01"));
    t_result_free(&r);
    r = run_record(f, "rec", met, 2);
    assert_int_equal(r.status, 0);
    t_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(good_record_is_stored_and_audited, setup, teardown),
        cmocka_unit_test_setup_teardown(reads_follow_need_to_know, setup, teardown),
        cmocka_unit_test_setup_teardown(hidden_tasking_tells_nothing, setup, teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
