/*
 * Issue 12 point 6: MoPI review and disposal of intelligence items, through the CLI (the built
 * binary) and the API (the server in-process on 127.0.0.1) over one database.
 *
 *   sealed_at_rest     an item's text fields and audit images are stored sealed with the
 *                      item's own key (wrapped under the audit key's KEK), their plaintext
 *                      in no stored value of any table; reads open them. (The search index
 *                      holds the item's words until its disposal.)
 *   review_and_dispose who may review (toex_manager, the tasking's SIA, an SIO of the owner;
 *                      not the auditor, not the requester's SPOC, nobody without sight of the
 *                      item: 404); retain with a next date within one review period; then,
 *                      after the tasking closed, disposal: the text (in the search index
 *                      until then), the conditions, the correction reason and the item's
 *                      wrapped key are no longer in any stored value of any table (both
 *                      back-ends) nor, on SQLite, in the database file nor its write-ahead log
 *                      (bytes searched; PostgreSQL keeps a deleted row's bytes in its files
 *                      until VACUUM, docs/operations.md "Erasure"), `audit verify`
 *                      passes, the review history remains, the audit shows the images erased,
 *                      and the item takes no further review or change.
 *   dispose_refusals   a pending item of a live tasking cannot be disposed of (PND gate); bad
 *                      input; every refusal changes nothing.
 *   legacy_item_sealed an item stored in clear (before migration 11) is sealed, every version,
 *                      by its next change.
 *   reviews_marked_as_their_subject  a review of an OFFICIAL-SENSITIVE item or dataset of an
 *                      OFFICIAL tasking is marked OFFICIAL-SENSITIVE (the answer, the list and
 *                      X-Iom-Marking): its reason is about the item (review 94 L2).
 */
#define _GNU_SOURCE
#include "test_cli_support.h"

#include <sys/wait.h>
#include <time.h>

#include <sodium.h>

#define SECRET "Subject ZEPHYRINUS-QUARTZ launders cash through the Halifax car wash"
#define CONDITIONS "Not to be shared with KESTREL-OBSIDIAN partners"
#define CORRECTION "Source CHIS VERMILION-ANCHOR re-graded after debrief"
#define AT_REST "Subject PERIWINKLE-HAWTHORN moves workers between the car washes"
#define AT_REST_COND "Not to be shared with KESTREL-MARIGOLD partners"

static int setup(void **state)
{
    (void)state;
    W = hw_new(10);
    hw_user(W, "toex-analyst", "toex", "analyst");
    hw_user(W, "wy-sio2", "west-yorkshire", "sio"); /* an SIO of the owning force, not the threat's */
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hw_free(W);
    return 0;
}


/* ---- the bytes of the database's files ---- */

/* Reads the file in a child process: closing a descriptor of the database file in this
   process would drop the POSIX locks its open connections hold on it (fcntl semantics), and
   another process would then take itself for the last user and reset the write-ahead log. */
static bool file_has(const char *path, const void *needle, size_t n)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        FILE *f = fopen(path, "rb");
        if (!f)
            _exit(1); /* no write-ahead log: nothing in it */
        fseek(f, 0, SEEK_END);
        long size = ftell(f);
        fseek(f, 0, SEEK_SET);
        char *buf = malloc(size > 0 ? (size_t)size : 1);
        size_t got = fread(buf, 1, size > 0 ? (size_t)size : 0, f);
        _exit(got >= n && memmem(buf, got, needle, n) != NULL ? 0 : 1);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* Is the needle still stored: in a value of a live row of any table (both back-ends) or, on
   SQLite, anywhere in the database file or its write-ahead log? */
static bool db_has(const void *needle, size_t n)
{
    if (t_db_holds(W->db, needle, n))
        return true;
    if (t_pg()) {
        /* PostgreSQL keeps a deleted or updated row's bytes in its heap pages until VACUUM
           reclaims them and in its write-ahead log until a checkpoint recycles the segment
           (docs/operations.md, "Erasure": an installation runs VACUUM (FULL) as the owner after
           an erasure); the files' bytes are searched on SQLite only. */
        static bool told;
        if (!told)
            printf("# test_mopi: on PostgreSQL erased values are looked for in the tables' rows;"
                   " the bytes in the server's files stay until VACUUM (docs/operations.md)\n");
        told = true;
        return false;
    }
    char *wal = t_fmt("%s-wal", W->db);
    bool found = file_has(W->db, needle, n) || file_has(wal, needle, n);
    free(wal);
    return found;
}

static bool db_has_text(const char *s) { return db_has(s, strlen(s)); }

/* The item's wrapped key as stored (72 bytes); false when it has none. */
static bool wrapped_key(const char *item, unsigned char out[72])
{
    char *q = t_fmt("SELECT hex(wrapped) FROM intel_key WHERE ref = '%s' AND length(wrapped) = 72", item);
    char *hex = t_db_text(W->db, q);
    free(q);
    size_t n = 0;
    bool found = hex && sodium_hex2bin(out, 72, hex, strlen(hex), NULL, &n, NULL) == 0 && n == 72;
    free(hex);
    return found;
}

static const char national[] =
    "{\"harm\":{\"physical\":3,\"psychological\":4,\"financial\":3,\"community\":2,"
    "\"victim_vulnerability\":4},\"scale\":3,\"likelihood\":4,\"confidence\":\"high\","
    "\"capacity\":3,\"capability\":3,\"needs_national_capability\":false,"
    "\"needs_rocu_capability\":false}";

/* From in_development to closed (remain with the owner), through the use-cases. */
static void close_tasking(const char *ref)
{
    act("toex-sia", ref, IOM_TA_COMPLETE, NULL, IOM_TS_REASSESSMENT);
    iom_assessment_t a;
    as("toex-sia");
    hw_ok(W, app_tasking_reassess(&W->c, ref, national, 0, &a));
    as("wy-sio");
    hw_ok(W, app_tasking_reassess(&W->c, ref, national, 0, &a));
    act("wy-sio", ref, IOM_TA_REMAIN, NULL, IOM_TS_CLOSED);
}

/* An item added through the CLI by the SIA: its reference (malloc'd). */
static char *add_item(const char *ref, const char *text, const char *handling, const char *cond)
{
    json_t *j = cli_json(cli_ok("toex-sia", "--json", "intel", "add", ref, "--text", text,
                                "--source", "CHIS 4471", "--grade", "2B", "--handling", handling,
                                cond ? "--conditions" : NULL, cond, NULL));
    char *item = strdup(json_string_value(json_object_get(j, "ref")));
    json_decref(j);
    return item;
}

/* Today + days as YYYY-MM-DD (the CLI's clock is the real one). */
static char *date_in(int days)
{
    time_t t = time(NULL) + (time_t)days * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    return t_fmt("%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static void sealed_at_rest(void **state)
{
    (void)state;
    char *ref = developing("Sealed at rest");
    char *item = add_item(ref, AT_REST, "C", AT_REST_COND);
    unsigned char key[72];
    assert_true(wrapped_key(item, key));
    /* The item's rows and its audit images hold the text and the conditions sealed only (the
       search index holds its words until the item is disposed of: test_search). */
    char *q = t_fmt("SELECT count(*) FROM intel_item WHERE ref = '%s' AND text LIKE 'iom:s1:%%'"
                    " AND conditions LIKE 'iom:s1:%%' AND source LIKE 'iom:s1:%%'", item);
    assert_int_equal(t_db_scalar(W->db, q), 1);
    free(q);
    q = t_fmt("SELECT count(*) FROM audit WHERE object_ref = '%s' AND (after_json LIKE '%%PERIWINKLE%%'"
              " OR after_json LIKE '%%KESTREL%%')", item);
    assert_int_equal(t_db_scalar(W->db, q), 0);
    free(q);
    q = t_fmt("SELECT count(*) FROM audit WHERE object_ref = '%s' AND after_json LIKE '%%\"sealed\"%%'", item);
    assert_int_equal(t_db_scalar(W->db, q), 1);
    free(q);
    /* Nor is the conditions' or the source's plaintext in any stored value of any table (the
       text's words are, in the search index). */
    assert_false(t_db_holds(W->db, AT_REST_COND, strlen(AT_REST_COND)));
    assert_false(t_db_holds(W->db, "CHIS 4471", strlen("CHIS 4471")));
    assert_true(t_db_holds(W->db, AT_REST, strlen(AT_REST)));
    /* Reads open them: the CLI and the API. */
    json_t *j = cli_json(cli_ok("toex-sia", "--json", "intel", "show", item, NULL));
    assert_string_equal(json_string_value(json_object_get(j, "text")), AT_REST);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "grade"), "conditions")),
                        AT_REST_COND);
    assert_string_equal(json_string_value(json_object_get(j, "owner")), "west-yorkshire");
    assert_false(json_is_true(json_object_get(j, "disposed")));
    json_decref(j);
    hw_login(W, "wy-sio");
    char *path = t_fmt("/api/v1/intelligence/%s", item);
    hresp r = hw_as(W, "GET", path, NULL, NULL);
    hw_expect(&r, 200);
    assert_string_equal(jstr(&r, "text"), AT_REST);
    hresp_free(&r);
    /* The auditor reads the item's images in the audit opened. */
    char *out = cli_ok("auditor", "--json", "audit", "log", "--object", item, NULL);
    assert_non_null(strstr(out, "PERIWINKLE"));
    free(out);
    free(path);
    free(item);
    free(ref);
}

static void review_and_dispose(void **state)
{
    (void)state;
    char *ref = developing("Review and dispose");
    char *item = add_item(ref, SECRET, "C", CONDITIONS);
    free(cli_ok("toex-sia", "intel", "correct", item, "--reason", CORRECTION, "--grade", "1B", NULL));
    free(cli_ok("toex-sia", "intel", "pnd", item, "--recorded", "--pnd-ref", "PND-77",
                "--pnd-date", "2026-06-02", NULL));
    unsigned char key[72];
    assert_true(wrapped_key(item, key));

    /* A toex_manager, who reviews every item of TOEX's taskings, finds it on the due list
       without being on the team (review 108 L2: the list held only the agency's and the
       team's); another agency's SPOC does not. */
    char *due0 = cli_ok("toex-manager", "--json", "intel", "due-review", "--days", "36600", NULL);
    assert_non_null(strstr(due0, item));
    free(due0);
    due0 = cli_ok("met-spoc", "--json", "intel", "due-review", "--days", "36600", NULL);
    assert_null(strstr(due0, item));
    free(due0);

    /* Retain: who may, and the next date. */
    char *next = date_in(365), *past = date_in(-1), *far = date_in(366 * 7);
    cli_refused(EX_FORBIDDEN, "only a toex_manager, the SIA", "auditor", "intel", "review", item,
                "--retain", "--next", next, "--reason", "Still needed", NULL);
    cli_refused(EX_FORBIDDEN, "only a toex_manager, the SIA", "wy-spoc", "intel", "review", item,
                "--retain", "--next", next, "--reason", "Still needed", NULL);
    cli_refused(EX_NOTFOUND, "not found", "met-spoc", "intel", "review", item, "--retain",
                "--next", next, "--reason", "Still needed", NULL);
    cli_refused(EX_NOTFOUND, "not found", "toex-analyst", "intel", "review", item, "--retain",
                "--next", next, "--reason", "Still needed", NULL);
    cli_refused(EX_INVAL, "next: retaining", "toex-sia", "intel", "review", item, "--retain",
                "--reason", "Still needed", NULL);
    cli_refused(EX_INVAL, "is not after today", "toex-sia", "intel", "review", item, "--retain",
                "--next", past, "--reason", "Still needed", NULL);
    cli_refused(EX_INVAL, "one review period", "toex-sia", "intel", "review", item, "--retain",
                "--next", far, "--reason", "Still needed", NULL);
    cli_refused(EX_INVAL, "reason", "toex-sia", "intel", "review", item, "--retain", "--next",
                next, "--reason", "  ", NULL);
    cli_refused(EX_INVAL, "next: '2026-02-30'", "toex-sia", "intel", "review", item, "--retain",
                "--next", "2026-02-30", "--reason", "Still needed", NULL);
    cli_refused(EX_INVAL, "exactly one of --retain and --dispose", "toex-sia", "intel", "review",
                item, "--reason", "Still needed", NULL);
    json_t *rv = cli_json(cli_ok("toex-sia", "--json", "intel", "review", item, "--retain",
                                 "--next", next, "--reason", "Still needed for the network", NULL));
    assert_string_equal(json_string_value(json_object_get(rv, "decision")), "retain");
    assert_string_equal(json_string_value(json_object_get(rv, "next_date")), next);
    assert_string_equal(json_string_value(json_object_get(rv, "by")), "toex-sia");
    json_decref(rv);
    json_t *j = cli_json(cli_ok("wy-sio", "--json", "intel", "show", item, NULL));
    assert_string_equal(json_string_value(json_object_get(j, "review_date")), next);
    json_decref(j);

    /* Years later the tasking is closed; the owner's SIO disposes of the item (API). */
    close_tasking(ref);
    char *rpath = t_fmt("/api/v1/intelligence/%s/reviews", item);
    hw_login(W, "auditor");
    char *before = t_db_fingerprint(W->db);
    hresp r = hw_as(W, "POST", rpath, NULL, "{\"decision\":\"dispose\",\"reason\":\"No longer needed\"}");
    hw_expect_problem(&r, 403, "only a toex_manager");
    char *after = t_db_fingerprint(W->db);
    assert_string_equal(before, after);
    free(before);
    free(after);
    hw_login(W, "met-spoc");
    r = hw_as(W, "POST", rpath, NULL, "{\"decision\":\"dispose\",\"reason\":\"No longer needed\"}");
    hw_expect_problem(&r, 404, NULL);
    /* Until the disposal the item's key is stored, and its text in the search index. */
    assert_true(db_has(key, sizeof key));
    assert_true(db_has_text(SECRET));
    char *versions_q = t_fmt("SELECT count(*) FROM intel_item WHERE ref = '%s'", item);
    long long versions = t_db_scalar(W->db, versions_q);
    assert_true(versions >= 2);
    hw_login(W, "wy-sio");
    r = hw_as(W, "POST", rpath, NULL,
              "{\"decision\":\"dispose\",\"next\":\"2030-01-01\",\"reason\":\"No longer needed\"}");
    hw_expect_problem(&r, 400, "takes no next review date");
    r = hw_as(W, "POST", rpath, NULL,
              "{\"decision\":\"dispose\",\"reason\":\"No longer needed for a policing purpose\"}");
    hw_expect(&r, 201);
    assert_string_equal(jstr(&r, "decision"), "dispose");
    assert_true(json_is_true(json_object_get(r.json, "erased")));
    assert_true(json_is_true(json_object_get(r.json, "purged")));
    hresp_free(&r);

    /* The content is unrecoverable: not in the files, and the item's key is gone. */
    assert_false(db_has_text(SECRET));
    assert_false(db_has_text(CONDITIONS));
    assert_false(db_has_text(CORRECTION));
    assert_false(wrapped_key(item, (unsigned char[72]){0}));
    assert_false(db_has(key, sizeof key));
    assert_false(db_has(key + 24, 16)); /* not even a fragment of it */
    /* Its rows keep no content: every version's fields empty or the placeholder. */
    char *q = t_fmt("SELECT count(*) FROM intel_item WHERE ref = '%s' AND (text <> '' OR source <> ''"
                    " OR coalesce(conditions, '[erased]') <> '[erased]' OR coalesce(pnd_reason,"
                    " '[erased]') <> '[erased]' OR coalesce(correction_reason, '[erased]') <> '[erased]')",
                    item);
    assert_int_equal(t_db_scalar(W->db, q), 0);
    free(q);
    assert_int_equal(t_db_scalar(W->db, versions_q), versions); /* erased, not deleted */
    free(versions_q);

    /* The chain verifies; the review history and the erasure remain. */
    free(cli_ok("auditor", "audit", "verify", NULL));
    char *rq = t_fmt("SELECT count(*) FROM read_log WHERE action = 'intel.consult' AND object_ref = '%s'",
                     item);
    long long consults = t_db_scalar(W->db, rq);
    json_t *rs = cli_json(cli_ok("auditor", "--json", "intel", "reviews", item, NULL));
    /* the reasons are free text about the item's subjects: a logged read (review 72) */
    assert_int_equal(t_db_scalar(W->db, rq), consults + 1);
    free(rq);
    json_t *items = json_object_get(rs, "items");
    assert_int_equal(json_array_size(items), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "decision")), "retain");
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 1), "decision")), "dispose");
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 1), "by")), "wy-sio");
    json_decref(rs);
    char *log = cli_ok("auditor", "--json", "audit", "log", "--object", item, NULL);
    assert_non_null(strstr(log, "intel.dispose"));
    assert_non_null(strstr(log, "\"erased\""));
    assert_null(strstr(log, "ZEPHYRINUS"));
    assert_null(strstr(log, "VERMILION"));
    free(log);

    /* The item shows as disposed, with no content; it takes no further review or change. */
    j = cli_json(cli_ok("wy-sio", "--json", "intel", "show", item, "--version", "1", NULL));
    assert_true(json_is_true(json_object_get(j, "disposed")));
    assert_true(json_is_null(json_object_get(j, "text")));
    assert_true(json_is_null(json_object_get(j, "source")));
    json_decref(j);
    cli_refused(EX_CONFLICT, "disposed of", "toex-manager", "intel", "review", item, "--dispose",
                "--reason", "Again", NULL);
    cli_refused(EX_CONFLICT, "disposed of", "toex-manager", "intel", "review", item, "--retain",
                "--next", next, "--reason", "Keep", NULL);
    /* Nor is it due for review any more. */
    char *due = cli_ok("wy-sio", "--json", "intel", "due-review", "--days", "36600", NULL);
    assert_null(strstr(due, item));
    free(due);

    free(rpath);
    free(next);
    free(past);
    free(far);
    free(item);
    free(ref);
}

/* The marking of a review answer or list: the objects' and the header's. */
static void expect_marked(hresp *r, int status, const char *marking)
{
    hw_expect(r, status);
    char *h = hw_header(r, "X-Iom-Marking");
    assert_non_null(h);
    assert_string_equal(h, marking);
    free(h);
    json_t *items = json_object_get(r->json, "items");
    json_t *one = items ? json_array_get(items, 0) : r->json;
    assert_non_null(one);
    assert_string_equal(json_string_value(json_object_get(one, "marking")), marking);
    hresp_free(r);
}

static void reviews_marked_as_their_subject(void **state)
{
    (void)state;
    char *ref = developing("Sensitive review");
    json_t *j = cli_json(cli_ok("toex-sia", "--json", "intel", "add", ref, "--text", "Sensitive detail",
                                "--source", "CHIS 4471", "--grade", "2B", "--handling", "P", "--marking",
                                "OFFICIAL-SENSITIVE", NULL));
    char *item = strdup(json_string_value(json_object_get(j, "ref")));
    json_decref(j);
    char *data = t_fmt("%s/sensitive.csv", W->dir);
    FILE *f = fopen(data, "w");
    assert_non_null(f);
    fputs("id,forename,surname\n1,Piotr,Nowak\n", f);
    fclose(f);
    j = cli_json(cli_ok("toex-sia", "--json", "dataset", "import", ref, data, "--name", "Sensitive set",
                        "--level", "local", "--grade", "2B", "--handling", "P", "--marking",
                        "OFFICIAL-SENSITIVE", "--field", "id=id", "--field", "first_name=forename",
                        "--field", "surname=surname", NULL));
    const char *ds = json_string_value(json_object_get(j, "ref"));
    assert_non_null(ds);
    char *dpath = t_fmt("/api/v1/datasets/%s/reviews", ds);
    json_decref(j);
    char *next = date_in(365);
    char *body = t_fmt("{\"decision\":\"retain\",\"next\":\"%s\",\"reason\":\"Still needed\"}", next);
    char *ipath = t_fmt("/api/v1/intelligence/%s/reviews", item);
    hw_login(W, "toex-sia");
    hresp r = hw_as(W, "POST", ipath, NULL, body);
    expect_marked(&r, 201, "OFFICIAL-SENSITIVE");
    r = hw_as(W, "GET", ipath, NULL, NULL);
    expect_marked(&r, 200, "OFFICIAL-SENSITIVE");
    r = hw_as(W, "POST", dpath, NULL, body);
    expect_marked(&r, 201, "OFFICIAL-SENSITIVE");
    r = hw_as(W, "GET", dpath, NULL, NULL);
    expect_marked(&r, 200, "OFFICIAL-SENSITIVE");
    free(ipath);
    free(dpath);
    free(body);
    free(next);
    free(data);
    free(item);
    free(ref);
}

static void dispose_refusals(void **state)
{
    (void)state;
    char *ref = developing("Pending on PND");
    char *item = add_item(ref, "A pending item about KINGFISHER-LANTERN", "P", NULL);
    /* Live tasking, item pending on PND: the gate refuses its disposal. */
    cli_refused(EX_CONFLICT, "pending on PND", "toex-manager", "intel", "review", item,
                "--dispose", "--reason", "Wrongly recorded", NULL);
    /* while it is live, another SIO of the owning force, not the threat's, may not dispose of
       what it holds (review 84 M5); a review to retain stays open to them */
    cli_refused(EX_FORBIDDEN, "while its tasking is live, only the threat's SIO, the tasking's SIA or a "
                "toex_manager", "wy-sio2", "intel", "review", item, "--dispose", "--reason", "Not needed", NULL);
    /* Bad input through the API: an unknown decision, no reason; nothing changes. */
    char *rpath = t_fmt("/api/v1/intelligence/%s/reviews", item);
    hw_login(W, "toex-manager");
    char *before = t_db_fingerprint(W->db);
    hresp r = hw_as(W, "POST", rpath, NULL, "{\"decision\":\"destroy\",\"reason\":\"x\"}");
    hw_expect_problem(&r, 400, "decision: 'destroy'");
    r = hw_as(W, "POST", rpath, NULL, "{\"decision\":\"dispose\"}");
    hw_expect_problem(&r, 400, "reason");
    r = hw_as(W, "POST", rpath, NULL, "{\"decision\":\"retain\",\"next\":\"tomorrow\",\"reason\":\"x\"}");
    hw_expect_problem(&r, 400, "next");
    char *after = t_db_fingerprint(W->db);
    assert_string_equal(before, after);
    free(before);
    free(after);
    /* Until it is disposed of, search finds its words. */
    char *hit = cli_ok("toex-sia", "--json", "search", "KINGFISHER-LANTERN", NULL);
    assert_non_null(strstr(hit, item));
    free(hit);
    /* Once the item is recorded on PND, a toex_manager may dispose of it on a live tasking. */
    free(cli_ok("toex-sia", "intel", "pnd", item, "--not-required", "--reason",
                "Duplicate of a PND record", NULL));
    assert_true(db_has_text("KINGFISHER-LANTERN"));
    r = hw_as(W, "POST", rpath, NULL, "{\"decision\":\"dispose\",\"reason\":\"Recorded in error\"}");
    hw_expect(&r, 201);
    hresp_free(&r);
    assert_false(db_has_text("KINGFISHER-LANTERN"));
    /* A disposed item supports nothing and takes no correction. */
    cli_refused(EX_CONFLICT, "disposed of", "toex-sia", "intel", "correct", item, "--reason",
                "Put right", "--grade", "1A", NULL);
    cli_refused(EX_CONFLICT, "disposed of", "toex-sia", "entity", "add", ref, "--type", "event",
                "--label", "Pay day", "--item", item, NULL);
    /* Nor can a search find its words any more. */
    char *found = cli_ok("toex-sia", "--json", "search", "KINGFISHER-LANTERN", NULL);
    assert_null(strstr(found, item));
    free(found);
    free(rpath);
    free(item);
    free(ref);
}

static void legacy_item_sealed(void **state)
{
    (void)state;
    char *ref = developing("Legacy item");
    char *item = add_item(ref, "placeholder", "P", NULL);
    /* As an item stored before migration 11: fields in clear and no key. */
    char *sql = t_fmt("DELETE FROM intel_key WHERE ref = '%s';"
                      "UPDATE intel_item SET text = 'Legacy text about OSPREY-MERIDIAN',"
                      " source = 'Old source' WHERE ref = '%s';", item, item);
    assert_int_equal(t_db_exec(W->db, sql), 0);
    free(sql);
    json_t *j = cli_json(cli_ok("toex-sia", "--json", "intel", "show", item, NULL));
    assert_string_equal(json_string_value(json_object_get(j, "text")), "Legacy text about OSPREY-MERIDIAN");
    json_decref(j);
    /* `iom migrate` seals such items (one audit entry naming them), and the next change too. */
    char *out = cli_ok(NULL, "migrate", NULL);
    assert_non_null(strstr(out, "sealed 1 intelligence item"));
    free(out);
    out = cli_ok(NULL, "migrate", NULL);
    assert_null(strstr(out, "sealed"));
    free(out);
    sql = t_fmt("SELECT count(*) FROM intel_item WHERE ref = '%s' AND text LIKE 'iom:s1:%%'", item);
    assert_int_equal(t_db_scalar(W->db, sql), 1);
    free(sql);
    assert_int_equal(t_db_scalar(W->db, "SELECT count(*) FROM audit WHERE action = 'intel.seal'"), 1);
    /* Its next change seals every version under its key. */
    free(cli_ok("toex-sia", "intel", "correct", item, "--reason", "Grade revised", "--grade", "1A", NULL));
    unsigned char key[72];
    assert_true(wrapped_key(item, key));
    sql = t_fmt("SELECT count(*) FROM intel_item WHERE ref = '%s' AND text NOT LIKE 'iom:s1:%%'", item);
    assert_int_equal(t_db_scalar(W->db, sql), 0);
    free(sql);
    j = cli_json(cli_ok("toex-sia", "--json", "intel", "history", item, NULL));
    json_t *items = json_object_get(j, "items");
    assert_int_equal(json_array_size(items), 2);
    for (size_t i = 0; i < 2; i++)
        assert_string_equal(json_string_value(json_object_get(json_array_get(items, i), "text")),
                            "Legacy text about OSPREY-MERIDIAN");
    json_decref(j);
    free(item);
    free(ref);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sealed_at_rest),
        cmocka_unit_test(review_and_dispose),
        cmocka_unit_test(dispose_refusals),
        cmocka_unit_test(legacy_item_sealed),
        cmocka_unit_test(reviews_marked_as_their_subject),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
