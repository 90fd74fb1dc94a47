/*
 * Issue 3 acceptance, point 6 (threats and the SOC master list) through the built `iom`
 * binary: every rule is broken on purpose and the test asserts the exit status, a one-line
 * stderr naming the field or rule, nothing on stdout, and an unchanged database content
 * (t_db_fingerprint). Positive cases show the rules do not over-refuse (ROCU owner with an
 * SIO from a force of its region) and that the master list shows owner and region and hides
 * OFFICIAL-SENSITIVE threats from OFFICIAL-only users.
 *
 * Every case asserts the correct behaviour unconditionally.
 */
#include "testutil.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fx {
    char *dir;
    char *db;
} fx;

/* ---- helpers (as in test_cli_rules.c) ------------------------------------------------- */

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static void refuse_(const char *db, const char *in, int status, const char *needle,
                    const char *const *args, const char *where)
{
    const char *argv[64];
    size_t n = 0;
    argv[n++] = "--db";
    argv[n++] = db;
    for (size_t i = 0; args[i] && n < 63; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    char *before = t_db_fingerprint(db);
    t_result r = t_run(in, argv);
    char *after = t_db_fingerprint(db);
    const char *nl = strchr(r.err, '\n');
    size_t first = nl ? (size_t)(nl - r.err) : strlen(r.err);
    char *line = strndup(r.err, first);
    bool one_line = status == 13 ? (nl != NULL) : (count_lines(r.err) == 1 && nl && nl[1] == '\0');
    bool named = strstr(line, needle) != NULL;
    if (r.status != status || !named || !one_line || r.out[0] || strcmp(before, after) != 0)
        fprintf(stderr, "%s: wanted status %d naming '%s'; got status %d\n  stderr: %s\n  stdout: %s\n"
                        "  db %s\n",
                where, status, needle, r.status, r.err, r.out,
                strcmp(before, after) ? "CHANGED" : "unchanged");
    assert_int_equal(r.status, status);
    assert_true(named);
    assert_true(one_line);
    assert_string_equal(r.out, "");
    assert_string_equal(before, after);
    free(line);
    free(before);
    free(after);
    t_result_free(&r);
}

#define STR_(x) #x
#define STR(x) STR_(x)
#define AT __FILE__ ":" STR(__LINE__)
#define REFUSE(f, status, needle, ...) \
    refuse_((f)->db, NULL, status, needle, (const char *const[]){__VA_ARGS__, NULL}, AT)

/* Runs a command that must fail; returns its stderr (malloc'd) for comparison. */
static char *fail_err_(const char *db, int status, const char *const *args, const char *where)
{
    const char *argv[64];
    size_t n = 0;
    argv[n++] = "--db";
    argv[n++] = db;
    for (size_t i = 0; args[i] && n < 63; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    t_result r = t_run(NULL, argv);
    if (r.status != status)
        fprintf(stderr, "%s: wanted status %d, got %d: %s\n", where, status, r.status, r.err);
    assert_int_equal(r.status, status);
    assert_string_equal(r.out, "");
    free(r.out);
    return r.err;
}
#define FAIL_ERR(f, status, ...) \
    fail_err_((f)->db, status, (const char *const[]){__VA_ARGS__, NULL}, AT)

static char *ok_(const char *db, const char *const *args, const char *where)
{
    const char *argv[64];
    size_t n = 0;
    argv[n++] = "--db";
    argv[n++] = db;
    for (size_t i = 0; args[i] && n < 63; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    t_result r = t_run(NULL, argv);
    if (r.status != 0)
        fprintf(stderr, "%s: command failed (%d): %s%s\n", where, r.status, r.out, r.err);
    assert_int_equal(r.status, 0);
    free(r.err);
    return r.out;
}
#define OK(f, ...) free(ok_((f)->db, (const char *const[]){__VA_ARGS__, NULL}, AT))
#define OK_OUT(f, ...) ok_((f)->db, (const char *const[]){__VA_ARGS__, NULL}, AT)

static json_t *ok_json_(const char *db, const char *const *args, const char *where)
{
    char *out = ok_(db, args, where);
    json_error_t je;
    json_t *j = json_loads(out, 0, &je);
    if (!j)
        fprintf(stderr, "%s: not JSON (%s): %s\n", where, je.text, out);
    assert_non_null(j);
    free(out);
    return j;
}
#define OK_JSON(f, ...) ok_json_((f)->db, (const char *const[]){"--json", __VA_ARGS__, NULL}, AT)

static const char *jstr(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Finds the list item with the given ref, or NULL. */
static json_t *find_ref(json_t *list, const char *ref)
{
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(list, "items"), i, it)
        if (jstr(it, "ref") && strcmp(jstr(it, "ref"), ref) == 0)
            return it;
    return NULL;
}

/* ---- fixture ---------------------------------------------------------------------------
 * The users of t_make_db plus a disabled west-yorkshire SIO "wy-sio-gone" and a
 * south-yorkshire SIO "sy-sio"; threats:
 *   SOC-000001 OFFICIAL           west-yorkshire, sio wy-sio (active)
 *   SOC-000002 OFFICIAL-SENSITIVE west-yorkshire, sio wy-sio (active)
 *   SOC-000003 OFFICIAL           west-yorkshire, sio wy-sio (archived)
 *   SOC-000004 OFFICIAL           met, sio met-sio (active)
 * Refusal tests share it (each asserts it leaves the content unchanged).                    */

#define WY_ADD(...)                                                                            \
    "--as", "wy-spoc", "threat", "add", "--type", "labour", "--owner", "west-yorkshire",       \
        "--sio", "wy-sio", "--force-tasking-ref", "WY-TM-1", __VA_ARGS__
/* the same with its own tasking meeting reference: one escalation is one threat (review 84 L9) */
#define WY_ADD_REF(ref, ...)                                                                   \
    "--as", "wy-spoc", "threat", "add", "--type", "labour", "--owner", "west-yorkshire",       \
        "--sio", "wy-sio", "--force-tasking-ref", ref, __VA_ARGS__

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    f->dir = t_tmpdir();
    f->db = t_make_db(f->dir);
    OK(f, "--as", "admin", "user", "add", "wy-sio-gone", "--agency", "west-yorkshire", "--role",
       "sio", "--clearance", "OFFICIAL-SENSITIVE");
    OK(f, "--as", "admin", "user", "disable", "wy-sio-gone");
    OK(f, "--as", "admin", "user", "add", "sy-sio", "--agency", "south-yorkshire", "--role", "sio",
       "--clearance", "OFFICIAL-SENSITIVE");
    OK(f, WY_ADD("--title", "Car wash labour exploitation"));
    OK(f, WY_ADD_REF("WY-TM-2", "--title", "Nail bar trafficking", "--marking", "OFFICIAL-SENSITIVE"));
    OK(f, WY_ADD_REF("WY-TM-3", "--title", "Old case"));
    OK(f, "--as", "wy-sio", "threat", "archive", "SOC-000003", "--reason", "closed by the force");
    OK(f, "--as", "met-spoc", "threat", "add", "--title", "County line into London", "--type",
       "criminal", "--owner", "met", "--sio", "met-sio", "--force-tasking-ref", "MET-9");
    *state = f;
    return 0;
}

static int setup_fresh(void **state)
{
    fx *f = calloc(1, sizeof *f);
    f->dir = t_tmpdir();
    f->db = t_make_db(f->dir);
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

/* ---- owner ------------------------------------------------------------------------------ */

static void add_owner_rules(void **state)
{
    fx *f = *state;
#define ADD_AS(actor, owner, sio)                                                               \
    "--as", actor, "threat", "add", "--title", "T", "--type", "labour", "--owner", owner,      \
        "--sio", sio, "--force-tasking-ref", "R"
    REFUSE(f, 3, "TOEX never owns risk", ADD_AS("wy-spoc", "toex", "wy-sio"));
    /* a caller who may not add threats at all learns that first, not what a threat needs
       (api.md "Errors"; review 49) */
    REFUSE(f, 5, "neither spoc nor sio", ADD_AS("toex-sia", "toex", "toex-sia"));
    REFUSE(f, 5, "neither spoc nor sio", ADD_AS("admin", "toex", "wy-sio"));
    REFUSE(f, 3, "owner: 'atlantis' is not a known agency", ADD_AS("wy-spoc", "atlantis", "wy-sio"));
    REFUSE(f, 3, "owner: 'West-Yorkshire'", ADD_AS("wy-spoc", "West-Yorkshire", "wy-sio"));
    REFUSE(f, 3, "owner: every threat has an owner",
           "--as", "wy-spoc", "threat", "add", "--title", "T", "--type", "labour", "--sio",
           "wy-sio", "--force-tasking-ref", "R");
    REFUSE(f, 3, "owner: every threat has an owner", ADD_AS("wy-spoc", "", "wy-sio"));
#undef ADD_AS
}

/* ---- SIO -------------------------------------------------------------------------------- */

#define ADD_SIO(actor, owner, sio)                                                              \
    "--as", actor, "threat", "add", "--title", "T", "--type", "labour", "--owner", owner,      \
        "--sio", sio, "--force-tasking-ref", "R"

static void add_sio_rules(void **state)
{
    fx *f = *state;
    REFUSE(f, 3, "sio: an SIO is assigned before",
           "--as", "wy-spoc", "threat", "add", "--title", "T", "--type", "labour", "--owner",
           "west-yorkshire", "--force-tasking-ref", "R");
    REFUSE(f, 3, "sio: an SIO is assigned before", ADD_SIO("wy-spoc", "west-yorkshire", ""));
    REFUSE(f, 3, "sio: 'nobody' is not a known user", ADD_SIO("wy-spoc", "west-yorkshire", "nobody"));
    REFUSE(f, 3, "sio: user 'met-sio' is at 'met'; the SIO must belong to the owning agency",
           ADD_SIO("wy-spoc", "west-yorkshire", "met-sio"));
    /* A force of the same region is not enough for a force owner. */
    REFUSE(f, 3, "sio: user 'sy-sio' is at 'south-yorkshire'",
           ADD_SIO("wy-spoc", "west-yorkshire", "sy-sio"));
    /* A ROCU's SIO may not hold the risk of a force's threat either. */
    REFUSE(f, 3, "sio: user 'yh-sio' is at 'yhrocu'", ADD_SIO("wy-spoc", "west-yorkshire", "yh-sio"));
    REFUSE(f, 3, "sio: user 'wy-spoc' does not hold the sio role",
           ADD_SIO("wy-spoc", "west-yorkshire", "wy-spoc"));
    REFUSE(f, 3, "sio: user 'wy-official' does not hold the sio role",
           ADD_SIO("wy-spoc", "west-yorkshire", "wy-official"));
    REFUSE(f, 3, "sio: user 'wy-sio-gone' is disabled",
           ADD_SIO("wy-spoc", "west-yorkshire", "wy-sio-gone"));
    /* ROCU owner: a force of another region is refused, naming the regional rule. */
    REFUSE(f, 3, "or a force of its region", ADD_SIO("yh-sio", "yhrocu", "met-sio"));
    REFUSE(f, 3, "sio: user 'yh-gateway' does not hold the sio role",
           ADD_SIO("yh-sio", "yhrocu", "yh-gateway"));
}

/* ---- actor ------------------------------------------------------------------------------ */

static void add_actor_rules(void **state)
{
    fx *f = *state;
    REFUSE(f, 5, "threat add: user 'yh-gateway' is neither spoc nor sio",
           ADD_SIO("yh-gateway", "yhrocu", "yh-sio"));
    REFUSE(f, 5, "threat add: user 'auditor' is neither spoc nor sio",
           ADD_SIO("auditor", "nca", "yh-sio"));
    REFUSE(f, 5, "is neither spoc nor sio", ADD_SIO("toex-sia", "west-yorkshire", "wy-sio"));
    REFUSE(f, 5, "is neither spoc nor sio", ADD_SIO("admin", "west-yorkshire", "wy-sio"));
    REFUSE(f, 5, "threat add: user 'met-spoc' is at 'met'; only the owning agency 'west-yorkshire'",
           ADD_SIO("met-spoc", "west-yorkshire", "wy-sio"));
    /* A force SPOC cannot list a threat for its ROCU, nor the ROCU's SIO for a force. */
    REFUSE(f, 5, "only the owning agency 'yhrocu'", ADD_SIO("wy-spoc", "yhrocu", "wy-sio"));
    REFUSE(f, 5, "only the owning agency 'west-yorkshire'",
           ADD_SIO("yh-sio", "west-yorkshire", "wy-sio"));
    REFUSE(f, 10, "acting user 'nobody' does not exist", ADD_SIO("nobody", "west-yorkshire", "wy-sio"));
    REFUSE(f, 10, "acting user 'wy-sio-gone' is disabled",
           ADD_SIO("wy-sio-gone", "west-yorkshire", "wy-sio"));
    REFUSE(f, 10, "--as", "threat", "add", "--title", "T", "--type", "labour", "--owner",
           "west-yorkshire", "--sio", "wy-sio", "--force-tasking-ref", "R");
}

/* ---- fields: marking, type, title, force tasking ref ------------------------------------ */

static void add_marking_rules(void **state)
{
    fx *f = *state;
    REFUSE(f, 3, "marking: 'SECRET' is above OFFICIAL-SENSITIVE", WY_ADD("--title", "T", "--marking", "SECRET"));
    REFUSE(f, 3, "marking: 'TOP SECRET' is above OFFICIAL-SENSITIVE",
           WY_ADD("--title", "T", "--marking", "TOP SECRET"));
    REFUSE(f, 3, "marking: 'TOP-SECRET' is above", WY_ADD("--title", "T", "--marking", "TOP-SECRET"));
    REFUSE(f, 3, "marking: 'RESTRICTED'", WY_ADD("--title", "T", "--marking", "RESTRICTED"));
    REFUSE(f, 3, "marking:", WY_ADD("--title", "T", "--marking", "official"));
    REFUSE(f, 3, "marking:", WY_ADD("--title", "T", "--marking", ""));
    /* wy-official holds OFFICIAL only. */
    REFUSE(f, 5, "marking: user 'wy-official' is not cleared for OFFICIAL-SENSITIVE",
           "--as", "wy-official", "threat", "add", "--title", "T", "--type", "labour", "--owner",
           "west-yorkshire", "--sio", "wy-sio", "--force-tasking-ref", "R", "--marking",
           "OFFICIAL-SENSITIVE");
}

static void add_field_rules(void **state)
{
    fx *f = *state;
#define TYPED(type)                                                                             \
    "--as", "wy-spoc", "threat", "add", "--title", "T", "--type", type, "--owner",             \
        "west-yorkshire", "--sio", "wy-sio", "--force-tasking-ref", "R"
    REFUSE(f, 3, "type: 'trafficking'", TYPED("trafficking"));
    REFUSE(f, 3, "type: 'LABOUR'", TYPED("LABOUR"));
    REFUSE(f, 3, "type:", TYPED(""));
#undef TYPED
    REFUSE(f, 3, "type: required",
           "--as", "wy-spoc", "threat", "add", "--title", "T", "--owner", "west-yorkshire",
           "--sio", "wy-sio", "--force-tasking-ref", "R");
    REFUSE(f, 3, "title: a value is required", WY_ADD("--title", ""));
    REFUSE(f, 3, "title: a value is required",
           "--as", "wy-spoc", "threat", "add", "--type", "labour", "--owner", "west-yorkshire",
           "--sio", "wy-sio", "--force-tasking-ref", "R");
    char big[202];
    memset(big, 't', 201);
    big[201] = '\0';
    REFUSE(f, 3, "title: 201 bytes is longer than the limit of 200", WY_ADD("--title", big));
    /* 200 bytes of multi-byte UTF-8 plus one more byte is still over the byte limit. */
    char big8[204];
    for (int i = 0; i < 100; i++)
        memcpy(big8 + 2 * i, "\xC3\xA9", 2);
    big8[200] = 'x';
    big8[201] = '\0';
    REFUSE(f, 3, "title: 201 bytes", WY_ADD("--title", big8));
    REFUSE(f, 3, "title: 'bad \\xC3( utf8' is not valid UTF-8", WY_ADD("--title", "bad \xC3\x28 utf8"));
    REFUSE(f, 3, "not valid UTF-8", WY_ADD("--title", "\xED\xA0\x80 surrogate"));
    REFUSE(f, 3, "not valid UTF-8", WY_ADD("--title", "overlong \xC0\xAF"));
    REFUSE(f, 3, "not valid UTF-8", WY_ADD("--title", "\xFF"));
    REFUSE(f, 3, "title:", WY_ADD("--title", "line one\nline two"));
    REFUSE(f, 3, "contains control character 0x1B", WY_ADD("--title", "escape \x1b[31m red"));
    REFUSE(f, 3, "contains control character 0x7F", WY_ADD("--title", "del \x7f"));
    REFUSE(f, 3, "contains control character 0x09", WY_ADD("--title", "tab\there"));
    REFUSE(f, 3, "title:", WY_ADD("--title", " leading space"));
    /* The force tasking reference follows the same rules. */
    REFUSE(f, 3, "force_tasking_ref: a value is required",
           "--as", "wy-spoc", "threat", "add", "--title", "T", "--type", "labour", "--owner",
           "west-yorkshire", "--sio", "wy-sio");
    char ref101[102];
    memset(ref101, 'r', 101);
    ref101[101] = '\0';
    REFUSE(f, 3, "force_tasking_ref: 101 bytes",
           "--as", "wy-spoc", "threat", "add", "--title", "T", "--type", "labour", "--owner",
           "west-yorkshire", "--sio", "wy-sio", "--force-tasking-ref", ref101);
    REFUSE(f, 3, "force_tasking_ref:",
           "--as", "wy-spoc", "threat", "add", "--title", "T", "--type", "labour", "--owner",
           "west-yorkshire", "--sio", "wy-sio", "--force-tasking-ref", "WY\x01");
}

/* ---- update and archive ----------------------------------------------------------------- */

static void update_rules(void **state)
{
    fx *f = *state;
#define UPD(actor, ref, ...) "--as", actor, "threat", "update", ref, __VA_ARGS__
    REFUSE(f, 6, "version 7 is no version of it (it is at version 1)",
           UPD("wy-spoc", "SOC-000001", "--title", "New", "--if-version", "7"));
    REFUSE(f, 3, "if-version", UPD("wy-spoc", "SOC-000001", "--title", "New", "--if-version", "0"));
    REFUSE(f, 3, "if-version", UPD("wy-spoc", "SOC-000001", "--title", "New", "--if-version", "x"));
    REFUSE(f, 6, "threat SOC-000003 is archived", UPD("wy-spoc", "SOC-000003", "--title", "New"));
    REFUSE(f, 6, "threat SOC-000003 is archived", UPD("wy-sio", "SOC-000003", "--sio", "wy-sio"));
    REFUSE(f, 5, "threat update: user 'met-spoc' is at 'met'",
           UPD("met-spoc", "SOC-000001", "--title", "New"));
    REFUSE(f, 5, "threat update: user 'yh-sio' is at 'yhrocu'",
           UPD("yh-sio", "SOC-000001", "--title", "New"));
    REFUSE(f, 5, "threat update: user 'yh-gateway' is neither spoc nor sio",
           UPD("yh-gateway", "SOC-000001", "--title", "New"));
    REFUSE(f, 5, "is neither spoc nor sio", UPD("auditor", "SOC-000001", "--title", "New"));
    /* Ownership moves only by a transfer decision: update has no --owner. */
    REFUSE(f, 13, "unknown option '--owner'", UPD("wy-spoc", "SOC-000001", "--owner", "met"));
    REFUSE(f, 13, "unknown option '--owner'", UPD("wy-spoc", "SOC-000001", "--owner", "toex"));
    REFUSE(f, 13, "unknown option '--owner'", UPD("wy-spoc", "SOC-000001", "--owner=met"));
    REFUSE(f, 13, "unknown option '--status'", UPD("wy-spoc", "SOC-000003", "--status", "active"));
    REFUSE(f, 3, "threat update: nothing to change", "--as", "wy-spoc", "threat", "update", "SOC-000001");
    /* the values it already has: no new version, no audit entry (before, both were made, and
       every other holder's If-Match went stale) */
    REFUSE(f, 3, "threat update: nothing to change (every field given already has that value)",
           UPD("wy-spoc", "SOC-000001", "--title", "Car wash labour exploitation"));
    REFUSE(f, 3, "threat update: nothing to change",
           UPD("wy-spoc", "SOC-000001", "--marking", "OFFICIAL", "--sio", "wy-sio"));
    REFUSE(f, 3, "title: must not be empty", UPD("wy-spoc", "SOC-000001", "--title", ""));
    REFUSE(f, 3, "force_tasking_ref: must not be empty",
           UPD("wy-spoc", "SOC-000001", "--force-tasking-ref", ""));
    REFUSE(f, 3, "not valid UTF-8", UPD("wy-spoc", "SOC-000001", "--title", "\xC3\x28"));
    REFUSE(f, 3, "control character", UPD("wy-spoc", "SOC-000001", "--title", "a\x07"));
    char big[202];
    memset(big, 't', 201);
    big[201] = '\0';
    REFUSE(f, 3, "title: 201 bytes", UPD("wy-spoc", "SOC-000001", "--title", big));
    REFUSE(f, 3, "type: 'trafficking'", UPD("wy-spoc", "SOC-000001", "--type", "trafficking"));
    REFUSE(f, 3, "marking: 'SECRET' is above", UPD("wy-spoc", "SOC-000001", "--marking", "SECRET"));
    REFUSE(f, 3, "marking: 'TOP SECRET' is above",
           UPD("wy-spoc", "SOC-000001", "--marking", "TOP SECRET"));
    REFUSE(f, 5, "marking: user 'wy-official' is not cleared for OFFICIAL-SENSITIVE",
           UPD("wy-official", "SOC-000001", "--marking", "OFFICIAL-SENSITIVE"));
    /* The SIO rules hold on update. */
    REFUSE(f, 3, "sio: user 'met-sio' is at 'met'", UPD("wy-spoc", "SOC-000001", "--sio", "met-sio"));
    REFUSE(f, 3, "sio: user 'wy-spoc' does not hold the sio role",
           UPD("wy-spoc", "SOC-000001", "--sio", "wy-spoc"));
    REFUSE(f, 3, "sio: user 'wy-sio-gone' is disabled",
           UPD("wy-spoc", "SOC-000001", "--sio", "wy-sio-gone"));
    REFUSE(f, 3, "sio: 'nobody' is not a known user", UPD("wy-spoc", "SOC-000001", "--sio", "nobody"));
    /* Missing and invisible threats. */
    REFUSE(f, 4, "'SOC-999999' is not on the SOC master list",
           UPD("wy-spoc", "SOC-999999", "--title", "New"));
    REFUSE(f, 4, "'SOC-000002' is not on the SOC master list",
           UPD("wy-official", "SOC-000002", "--title", "New"));
    REFUSE(f, 13, "usage", "--as", "wy-spoc", "threat", "update", "--title", "New");
#undef UPD
}

static void archive_rules(void **state)
{
    fx *f = *state;
    REFUSE(f, 6, "threat SOC-000003 is archived", "--as", "wy-spoc", "threat", "archive", "SOC-000003");
    REFUSE(f, 5, "threat archive: user 'met-sio' is at 'met'",
           "--as", "met-sio", "threat", "archive", "SOC-000001");
    REFUSE(f, 5, "threat archive: user 'yh-gateway' is neither spoc nor sio",
           "--as", "yh-gateway", "threat", "archive", "SOC-000001");
    REFUSE(f, 6, "version 3 is no version of it", "--as", "wy-spoc", "threat", "archive", "SOC-000001",
           "--if-version", "3");
    REFUSE(f, 4, "'SOC-000002' is not on the SOC master list",
           "--as", "wy-official", "threat", "archive", "SOC-000002");
    REFUSE(f, 4, "not on the SOC master list", "--as", "wy-spoc", "threat", "archive", "SOC-999999");
    REFUSE(f, 10, "--as", "threat", "archive", "SOC-000001");
    /* review 81 M6: an archive takes the threat off the active list: a decision with a why */
    REFUSE(f, 3, "reason: required: an archive takes the threat off the active master list",
           "--as", "wy-spoc", "threat", "archive", "SOC-000001");
    REFUSE(f, 3, "reason: required", "--as", "wy-spoc", "threat", "archive", "SOC-000001",
           "--reason", "");
    /* unarchive: the owner's spoc or sio, of an archived threat, with a reason */
    REFUSE(f, 6, "threat SOC-000001 is not archived", "--as", "wy-spoc", "threat", "unarchive",
           "SOC-000001", "--reason", "x");
    REFUSE(f, 5, "threat unarchive: user 'met-sio' is at 'met'", "--as", "met-sio", "threat",
           "unarchive", "SOC-000003", "--reason", "x");
    REFUSE(f, 5, "threat unarchive: user 'yh-gateway' is neither spoc nor sio", "--as",
           "yh-gateway", "threat", "unarchive", "SOC-000003", "--reason", "x");
    REFUSE(f, 3, "reason: required: putting a threat back on the active master list", "--as",
           "wy-spoc", "threat", "unarchive", "SOC-000003");
    REFUSE(f, 3, "sio: user 'wy-sio-gone' is disabled", "--as", "wy-spoc", "threat", "unarchive",
           "SOC-000003", "--reason", "x", "--sio", "wy-sio-gone");
    REFUSE(f, 6, "you read version 1", "--as", "wy-spoc", "threat", "unarchive", "SOC-000003",
           "--reason", "x", "--if-version", "1");
}

/* Review 84 L9: a threat of the same owner with the same tasking meeting reference (active or
   archived, whatever the case) is refused naming it to who may
   read it; one marked above the actor's clearance is not named. */
static void duplicate_escalation(void **state)
{
    fx *f = *state;
    REFUSE(f, 6, "'WY-TM-1' is already the tasking meeting reference of SOC-000001 (active)",
           WY_ADD("--title", "Car wash labour exploitation again"));
    REFUSE(f, 6, "of SOC-000001 (active)", WY_ADD_REF("wy-tm-1", "--title", "Car wash again"));
    REFUSE(f, 6, "of SOC-000003 (archived): put it back with `threat unarchive`",
           WY_ADD_REF("WY-TM-3", "--title", "Old case again"));
    /* SOC-000002 is OFFICIAL-SENSITIVE: an OFFICIAL-cleared spoc is told the reference is
       taken, not which threat has it */
    char *e = FAIL_ERR(f, 6, "--as", "wy-official", "threat", "add", "--type", "labour", "--owner",
                       "west-yorkshire", "--sio", "wy-sio", "--force-tasking-ref", "WY-TM-2",
                       "--title", "Nail bar again");
    assert_non_null(strstr(e, "'WY-TM-2' is already the tasking meeting reference of a threat of 'west-yorkshire'"));
    assert_null(strstr(e, "SOC-"));
    free(e);
    REFUSE(f, 6, "of SOC-000004 (active)", "--as", "met-spoc", "threat", "add", "--title", "x", "--type",
           "criminal", "--owner", "met", "--sio", "met-sio", "--force-tasking-ref", "MET-9");
    /* an update that gives a threat another threat's reference is refused the same way (its own,
       in another case, is no clash with itself) */
    REFUSE(f, 6, "'wy-tm-1' is already the tasking meeting reference of SOC-000001 (active)",
           "--as", "wy-spoc", "threat", "update", "SOC-000002", "--force-tasking-ref", "wy-tm-1");
    REFUSE(f, 6, "of SOC-000003 (archived)", "--as", "wy-spoc", "threat", "update", "SOC-000001",
           "--force-tasking-ref", "wy-Tm-3");
    /* a look-alike of it (a full-width W, a Cyrillic M, a Unicode hyphen) is no other reference:
       refused as not ASCII (review 92 L2) */
    const char *alike[] = {"\xef\xbc\xb7Y-TM-1", "WY-T\xd0\x9c-1", "WY\xe2\x80\x90TM-1"};
    for (int k = 0; k < 3; k++)
        REFUSE(f, 3, "force_tasking_ref: the force's reference is written in ASCII", "--as", "wy-spoc", "threat",
               "add", "--title", "Look-alike", "--type", "labour", "--owner", "west-yorkshire", "--sio", "wy-sio",
               "--force-tasking-ref", alike[k]);
    e = FAIL_ERR(f, 6, "--as", "wy-official", "threat", "update", "SOC-000001", "--force-tasking-ref",
                 "WY-TM-2");
    assert_non_null(strstr(e, "'WY-TM-2' is already the tasking meeting reference of a threat of 'west-yorkshire'"));
    assert_null(strstr(e, "SOC-000002"));
    free(e);
}

/* Review 84 L9, what is not a duplicate: the same reference of another owner, another
   reference of the same owner, and a threat's own reference written in another case. */
static void duplicate_escalation_allowed(void **state)
{
    fx *f = *state;
    OK(f, WY_ADD("--title", "Car wash labour exploitation"));
    OK(f, "--as", "met-spoc", "threat", "add", "--title", "Car wash, London end", "--type", "labour",
       "--owner", "met", "--sio", "met-sio", "--force-tasking-ref", "WY-TM-1");
    OK(f, WY_ADD_REF("WY-TM-1B", "--title", "Nail bar trafficking"));
    OK(f, "--as", "wy-spoc", "threat", "update", "SOC-000001", "--force-tasking-ref", "wy-tm-1");
    json_t *t = OK_JSON(f, "--as", "wy-spoc", "threat", "show", "SOC-000001");
    assert_string_equal(jstr(t, "force_tasking_ref"), "wy-tm-1");
    json_decref(t);
}

/* ---- reading: need-to-know by marking, and the master list's content -------------------- */

/* An OFFICIAL-SENSITIVE threat reads as absent to an OFFICIAL-only user: the same status and
   the same message (but for the reference) as a reference that does not exist. */
static void show_hidden_like_missing(void **state)
{
    fx *f = *state;
    char *hidden = FAIL_ERR(f, 4, "--as", "wy-official", "threat", "show", "SOC-000002");
    char *missing = FAIL_ERR(f, 4, "--as", "wy-official", "threat", "show", "SOC-000099");
    char *p = strstr(hidden, "SOC-000002");
    assert_non_null(p);
    memcpy(p, "SOC-000099", 10);
    assert_string_equal(hidden, missing);
    assert_int_equal(count_lines(missing), 1);
    free(hidden);
    free(missing);
    /* JSON errors too. */
    hidden = FAIL_ERR(f, 4, "--json", "--as", "wy-official", "threat", "show", "SOC-000002");
    missing = FAIL_ERR(f, 4, "--json", "--as", "wy-official", "threat", "show", "SOC-000099");
    p = strstr(hidden, "SOC-000002");
    assert_non_null(p);
    memcpy(p, "SOC-000099", 10);
    assert_string_equal(hidden, missing);
    free(hidden);
    free(missing);
    /* Cleared users of any agency see it on the master list (§3). */
    json_t *t = OK_JSON(f, "--as", "met-spoc", "threat", "show", "SOC-000002");
    assert_string_equal(jstr(t, "marking"), "OFFICIAL-SENSITIVE");
    json_decref(t);
    REFUSE(f, 13, "usage", "--as", "wy-spoc", "threat", "show");
    REFUSE(f, 10, "--as", "threat", "show", "SOC-000001");
}

static void master_list_owner_region_and_marking(void **state)
{
    fx *f = *state;
    char *before = t_db_fingerprint(f->db);
    json_t *l = OK_JSON(f, "--as", "met-spoc", "threat", "list", "--status", "all");
    json_t *t1 = find_ref(l, "SOC-000001"), *t2 = find_ref(l, "SOC-000002"),
           *t3 = find_ref(l, "SOC-000003"), *t4 = find_ref(l, "SOC-000004");
    assert_non_null(t1);
    assert_non_null(t2);
    assert_non_null(t3);
    assert_non_null(t4);
    assert_string_equal(jstr(t1, "owner"), "west-yorkshire");
    assert_string_equal(jstr(t1, "region"), "yorkshire-humber");
    assert_string_equal(jstr(t1, "sio"), "wy-sio");
    assert_string_equal(jstr(t1, "marking"), "OFFICIAL");
    assert_string_equal(jstr(t1, "type"), "labour");
    assert_string_equal(jstr(t2, "marking"), "OFFICIAL-SENSITIVE");
    assert_string_equal(jstr(t3, "status"), "archived");
    assert_string_equal(jstr(t4, "owner"), "met");
    assert_string_equal(jstr(t4, "region"), "london");
    json_decref(l);
    /* The default list holds active threats only. */
    l = OK_JSON(f, "--as", "met-spoc", "threat", "list");
    assert_null(find_ref(l, "SOC-000003"));
    assert_non_null(find_ref(l, "SOC-000002"));
    json_decref(l);
    /* OFFICIAL-only: the OS threat is not listed at all, whatever the filter. */
    l = OK_JSON(f, "--as", "wy-official", "threat", "list", "--status", "all");
    assert_non_null(find_ref(l, "SOC-000001"));
    assert_null(find_ref(l, "SOC-000002"));
    json_decref(l);
    l = OK_JSON(f, "--as", "wy-official", "threat", "list", "--owner", "west-yorkshire");
    assert_null(find_ref(l, "SOC-000002"));
    json_decref(l);
    char *text = OK_OUT(f, "--as", "wy-official", "threat", "list", "--status", "all");
    assert_null(strstr(text, "SOC-000002"));
    assert_null(strstr(text, "Nail bar"));
    assert_non_null(strstr(text, "west-yorkshire"));
    assert_non_null(strstr(text, "yorkshire-humber"));
    free(text);
    /* Filters by owner and region. */
    l = OK_JSON(f, "--as", "wy-spoc", "threat", "list", "--region", "london");
    assert_non_null(find_ref(l, "SOC-000004"));
    assert_null(find_ref(l, "SOC-000001"));
    json_decref(l);
    char *after = t_db_fingerprint(f->db);
    assert_string_equal(before, after);
    free(before);
    free(after);
    REFUSE(f, 3, "status: 'open'", "--as", "wy-spoc", "threat", "list", "--status", "open");
    REFUSE(f, 3, "limit", "--as", "wy-spoc", "threat", "list", "--limit", "1001");
    REFUSE(f, 3, "limit", "--as", "wy-spoc", "threat", "list", "--limit", "-1");
}

/* ---- positive cases that change state (fresh database each) ------------------------------ */

/* ROCU owner: the SIO may be of the ROCU or a force of its region; the master list names the
   ROCU as owner and its region. Other regions stay refused, also on update. */
static void rocu_owner_sio_from_region_force(void **state)
{
    fx *f = *state;
    json_t *t = OK_JSON(f, "--as", "yh-sio", "threat", "add", "--title", "Regional labour network",
                        "--type", "labour", "--owner", "yhrocu", "--sio", "wy-sio",
                        "--force-tasking-ref", "YH-1");
    const char *ref = jstr(t, "ref");
    assert_non_null(ref);
    assert_string_equal(jstr(t, "owner"), "yhrocu");
    assert_string_equal(jstr(t, "owner_kind"), "rocu");
    assert_string_equal(jstr(t, "region"), "yorkshire-humber");
    assert_string_equal(jstr(t, "sio"), "wy-sio");
    char *r = strdup(ref);
    json_decref(t);
    /* The title limit is inclusive: 200 bytes are accepted. */
    char t200[201];
    memset(t200, 't', 200);
    t200[200] = '\0';
    OK(f, "--as", "yh-sio", "threat", "update", r, "--title", t200);
    OK(f, "--as", "yh-sio", "threat", "update", r, "--title", "Regional labour network");
    /* The ROCU's own SIO too. */
    OK(f, "--as", "yh-sio", "threat", "add", "--title", "Regional CSE", "--type", "cse", "--owner",
       "yhrocu", "--sio", "yh-sio", "--force-tasking-ref", "YH-2");
    json_t *l = OK_JSON(f, "--as", "met-spoc", "threat", "list", "--owner", "yhrocu");
    json_t *it = find_ref(l, r);
    assert_non_null(it);
    assert_string_equal(jstr(it, "owner"), "yhrocu");
    assert_string_equal(jstr(it, "region"), "yorkshire-humber");
    assert_int_equal(json_array_size(json_object_get(l, "items")), 2);
    json_decref(l);
    REFUSE(f, 3, "or a force of its region", "--as", "yh-sio", "threat", "update", r, "--sio", "met-sio");
    /* The force SIO holding a ROCU threat does not make the force its owner: the force's spoc
       may not edit it. The SIO himself holds its risk and may (review 100 M3: he was refused,
       while an SIO of the ROCU who holds nothing could). */
    REFUSE(f, 5, "only the owning agency 'yhrocu'", "--as", "wy-spoc", "threat", "update", r,
           "--title", "Mine now");
    OK(f, "--as", "wy-sio", "threat", "update", r, "--title", "Regional labour network (SIO)");
    /* Update with the right version succeeds, then the old version is stale. */
    OK(f, "--as", "yh-sio", "threat", "update", r, "--title", "Regional labour network (2)",
       "--if-version", "4");
    REFUSE(f, 6, "you read version 4 but it is now version 5", "--as", "yh-sio", "threat", "update",
           r, "--title", "Lost update", "--if-version", "4");
    OK(f, "--as", "yh-sio", "threat", "archive", r, "--if-version", "5", "--reason", "operation ended");
    REFUSE(f, 6, "is archived", "--as", "yh-sio", "threat", "update", r, "--title", "After");
    OK(f, "--as", "auditor", "audit", "verify");
    free(r);
}

/* A ROCU threat whose SIO is of a force of its region, bid for by another force of the region
   (review 38): the SIO is of neither the owning nor the requesting agency, and still holds the
   risk: it sees the tasking (relation "sio"), lists it and agrees the ToR, which then takes
   effect. Before, the tasking read as not found to its SIO and stayed `accepted` for good. An
   SIO of another force still reads it as not found. */
static void rocu_threat_force_sio_agrees_tor(void **state)
{
    fx *f = *state;
    OK(f, "--as", "admin", "user", "add", "sy-spoc", "--agency", "south-yorkshire", "--role",
       "spoc", "--clearance", "OFFICIAL-SENSITIVE");
    OK(f, "--as", "admin", "user", "add", "toex-mgr", "--agency", "toex", "--role",
       "toex_manager", "--clearance", "OFFICIAL-SENSITIVE");
    json_t *t = OK_JSON(f, "--as", "yh-sio", "threat", "add", "--title", "Regional labour network",
                        "--type", "labour", "--owner", "yhrocu", "--sio", "wy-sio",
                        "--force-tasking-ref", "YH-1");
    char *soc = strdup(jstr(t, "ref"));
    json_decref(t);
    char *bid = OK_OUT(f, "--as", "sy-spoc", "tasking", "new", "--from-json", t_bid_assessment_file(), "--threat", soc, "--summary",
                       "Workers housed above the car wash", "--ftm-date", "2026-05-01",
                       "--ftm-ref", "TM-1", "--requirement", "who controls the workers",
                       "--service", "intel_development");
    bid[strcspn(bid, "\n")] = '\0';
    OK(f, "--as", "sy-spoc", "tasking", "submit", bid);
    OK(f, "--as", "yh-gateway", "tasking", "forward", bid);
    OK(f, "--as", "toex-mgr", "tasking", "accept", bid, "--sia", "toex-sia");
    char *tor = t_fmt("%s/tor.json", f->dir);
    FILE *fp = fopen(tor, "w");
    assert_non_null(fp);
    /* from today: a ToR starts no earlier than the day its bid was submitted (review 113 L4) */
    char *start = t_uk_day(0), *due = t_uk_day(70), *end = t_uk_day(84);
    fprintf(fp, "{\"services\":[\"intel_development\"],\"start_date\":\"%s\","
                "\"end_date\":\"%s\",\"milestones\":[],\"products\":[{\"type\":"
                "\"intelligence_report\",\"due\":\"%s\"}],\"objectives\":[\"Map the "
                "network\"]}", start, end, due);
    free(start);
    free(due);
    free(end);
    fclose(fp);
    OK(f, "--as", "toex-sia", "tor", "propose", bid, "--from-json", tor);
    OK(f, "--as", "toex-sia", "tor", "agree", bid, "--version", "1");
    json_t *s = OK_JSON(f, "--as", "wy-sio", "tasking", "show", bid);
    assert_string_equal(jstr(s, "state"), "accepted");
    assert_string_equal(jstr(s, "access"), "sio");
    assert_string_equal(jstr(s, "sio"), "wy-sio");
    json_decref(s);
    json_t *l = OK_JSON(f, "--as", "wy-sio", "tasking", "list");
    assert_non_null(find_ref(l, bid));
    json_decref(l);
    REFUSE(f, 4, "not found", "--as", "met-sio", "tasking", "show", bid);
    REFUSE(f, 4, "not found", "--as", "met-sio", "tor", "agree", bid, "--version", "1");
    OK(f, "--as", "wy-sio", "tor", "agree", bid, "--version", "1");
    s = OK_JSON(f, "--as", "sy-spoc", "tasking", "show", bid);
    assert_string_equal(jstr(s, "state"), "tor_agreed");
    json_decref(s);
    OK(f, "--as", "auditor", "audit", "verify");
    free(tor);
    free(bid);
    free(soc);
}

/* A national owner: the NCA lists its own threat, with no region. */
static void national_owner(void **state)
{
    fx *f = *state;
    OK(f, "--as", "admin", "user", "add", "nca-sio", "--agency", "nca", "--role", "sio",
       "--role", "spoc", "--clearance", "OFFICIAL-SENSITIVE");
    json_t *t = OK_JSON(f, "--as", "nca-sio", "threat", "add", "--title", "National OIC network",
                        "--type", "oic", "--owner", "nca", "--sio", "nca-sio",
                        "--force-tasking-ref", "NCA-1", "--marking", "OFFICIAL-SENSITIVE");
    assert_string_equal(jstr(t, "owner"), "nca");
    assert_true(json_is_null(json_object_get(t, "region")));
    assert_string_equal(jstr(t, "marking"), "OFFICIAL-SENSITIVE");
    json_decref(t);
    REFUSE(f, 3, "sio: user 'wy-sio' is at 'west-yorkshire'", "--as", "nca-sio", "threat", "add",
           "--title", "T", "--type", "oic", "--owner", "nca", "--sio", "wy-sio",
           "--force-tasking-ref", "R");
}

/* A user of a disabled agency cannot sign in, so cannot hold a threat's risk: refused as SIO
   when the threat is added, when its SIO changes, and as the new SIO of a transfer (an API
   review made such a user the SIO of a ROCU's threat, the state that disabling the agency is
   refused to prevent). */
static const char *hist_field(json_t *h, size_t i, const char *key)
{
    return jstr(json_array_get(json_object_get(h, "history"), i), key);
}

/* Review 81 M6: a change of the SIO who holds the risk, an archive and an unarchive each record
   why, and the threat's history shows them with it; an archived threat comes back with an SIO
   who can still hold its risk. */
static void reasons_archive_and_unarchive(void **state)
{
    fx *f = *state;
    OK(f, "--as", "admin", "user", "add", "wy-sio2", "--agency", "west-yorkshire", "--role", "sio",
       "--clearance", "OFFICIAL-SENSITIVE");
    OK(f, WY_ADD("--title", "Car wash labour exploitation"));
    const char *r = "SOC-000001";
    char *before = t_db_fingerprint(f->db);
    REFUSE(f, 3, "reason: required: a change of SIO (who holds the threat's risk) records why",
           "--as", "wy-spoc", "threat", "update", r, "--sio", "wy-sio2");
    char *after = t_db_fingerprint(f->db);
    assert_string_equal(before, after);
    free(before);
    free(after);
    /* a title alone needs none */
    OK(f, "--as", "wy-spoc", "threat", "update", r, "--title", "Car wash labour network");
    OK(f, "--as", "wy-spoc", "threat", "update", r, "--sio", "wy-sio2", "--reason",
       "wy-sio retired from the case");
    OK(f, "--as", "wy-spoc", "threat", "archive", r, "--reason", "network disrupted, no threat left");
    json_t *l = OK_JSON(f, "--as", "met-spoc", "threat", "list");
    assert_null(find_ref(l, r));
    json_decref(l);
    /* while archived its SIO leaves: it cannot come back with an SIO who holds no risk */
    OK(f, "--as", "admin", "user", "disable", "wy-sio2");
    REFUSE(f, 3, "sio: the threat's SIO can no longer hold its risk (user 'wy-sio2' is disabled); "
                 "name the SIO who holds it now",
           "--as", "wy-spoc", "threat", "unarchive", r, "--reason", "the network is back");
    OK(f, "--as", "wy-spoc", "threat", "unarchive", r, "--reason", "the network is back", "--sio",
       "wy-sio");
    json_t *t = OK_JSON(f, "--as", "met-spoc", "threat", "show", r);
    assert_string_equal(jstr(t, "status"), "active");
    assert_string_equal(jstr(t, "sio"), "wy-sio");
    json_decref(t);
    l = OK_JSON(f, "--as", "met-spoc", "threat", "list");
    assert_non_null(find_ref(l, r));
    json_decref(l);
    json_t *h = OK_JSON(f, "--as", "wy-official", "threat", "history", r);
    assert_int_equal(json_array_size(json_object_get(h, "history")), 4);
    assert_string_equal(hist_field(h, 0, "decision"), "listed");
    assert_null(hist_field(h, 0, "reason"));
    assert_string_equal(hist_field(h, 1, "decision"), "sio_changed");
    assert_string_equal(hist_field(h, 1, "from_sio"), "wy-sio");
    assert_string_equal(hist_field(h, 1, "sio"), "wy-sio2");
    assert_string_equal(hist_field(h, 1, "reason"), "wy-sio retired from the case");
    assert_string_equal(hist_field(h, 2, "decision"), "archived");
    assert_string_equal(hist_field(h, 2, "by"), "wy-spoc");
    assert_string_equal(hist_field(h, 2, "reason"), "network disrupted, no threat left");
    assert_string_equal(hist_field(h, 3, "decision"), "unarchived");
    assert_string_equal(hist_field(h, 3, "from_sio"), "wy-sio2");
    assert_string_equal(hist_field(h, 3, "sio"), "wy-sio");
    assert_string_equal(hist_field(h, 3, "reason"), "the network is back");
    json_decref(h);
    char *text = OK_OUT(f, "--as", "wy-sio", "threat", "history", r);
    assert_non_null(strstr(text, "archived"));
    assert_non_null(strstr(text, ": network disrupted, no threat left"));
    free(text);
    /* the master list's fields are national, the owner's reasons are not (review 84 M3): another
       force sees the decisions without them; an auditor sees them */
    h = OK_JSON(f, "--as", "met-spoc", "threat", "history", r);
    assert_int_equal(json_array_size(json_object_get(h, "history")), 4);
    assert_string_equal(hist_field(h, 2, "decision"), "archived");
    assert_null(hist_field(h, 2, "reason"));
    assert_null(hist_field(h, 1, "reason"));
    json_decref(h);
    text = OK_OUT(f, "--as", "admin", "threat", "history", r);
    assert_null(strstr(text, "network disrupted"));
    free(text);
    h = OK_JSON(f, "--as", "auditor", "threat", "history", r);
    assert_string_equal(hist_field(h, 2, "reason"), "network disrupted, no threat left");
    json_decref(h);
    OK(f, "--as", "auditor", "audit", "verify");
}

/* Review 84 L4: a lower marking shows the threat to readers it was hidden from: it records why,
   and the history shows every change of marking. */
static void marking_lowered_records_why(void **state)
{
    fx *f = *state;
    OK(f, WY_ADD("--title", "Car wash labour exploitation"));
    const char *r = "SOC-000001";
    OK(f, "--as", "wy-spoc", "threat", "update", r, "--marking", "OFFICIAL-SENSITIVE");
    REFUSE(f, 3, "reason: required: a lower marking shows the threat to readers not cleared before",
           "--as", "wy-spoc", "threat", "update", r, "--marking", "OFFICIAL");
    OK(f, "--as", "wy-spoc", "threat", "update", r, "--marking", "OFFICIAL", "--reason",
       "the source is no longer at risk");
    json_t *h = OK_JSON(f, "--as", "wy-spoc", "threat", "history", r);
    assert_int_equal(json_array_size(json_object_get(h, "history")), 3);
    assert_string_equal(hist_field(h, 1, "decision"), "marking_changed");
    assert_null(hist_field(h, 1, "reason"));
    assert_string_equal(hist_field(h, 2, "decision"), "marking_changed");
    assert_string_equal(hist_field(h, 2, "reason"), "the source is no longer at risk");
    assert_string_equal(hist_field(h, 2, "from_marking"), "OFFICIAL-SENSITIVE");
    assert_string_equal(hist_field(h, 2, "to_marking"), "OFFICIAL");
    json_decref(h);
    /* review 86 M1: one update that names another SIO and lowers the marking shows both */
    OK(f, "--as", "admin", "user", "add", "wy-sio3", "--agency", "west-yorkshire", "--role", "sio",
       "--clearance", "OFFICIAL-SENSITIVE");
    OK(f, "--as", "wy-spoc", "threat", "update", r, "--marking", "OFFICIAL-SENSITIVE");
    OK(f, "--as", "wy-spoc", "threat", "update", r, "--sio", "wy-sio3", "--marking", "OFFICIAL",
       "--reason", "new SIO; the source is safe");
    h = OK_JSON(f, "--as", "wy-spoc", "threat", "history", r);
    assert_int_equal(json_array_size(json_object_get(h, "history")), 6);
    assert_string_equal(hist_field(h, 4, "decision"), "sio_changed");
    assert_string_equal(hist_field(h, 4, "sio"), "wy-sio3");
    assert_null(hist_field(h, 4, "from_marking"));
    assert_string_equal(hist_field(h, 5, "decision"), "marking_changed");
    assert_string_equal(hist_field(h, 5, "from_marking"), "OFFICIAL-SENSITIVE");
    assert_string_equal(hist_field(h, 5, "to_marking"), "OFFICIAL");
    assert_string_equal(hist_field(h, 5, "reason"), "new SIO; the source is safe");
    json_decref(h);
    char *text = OK_OUT(f, "--as", "wy-spoc", "threat", "history", r);
    assert_non_null(strstr(text, "(OFFICIAL-SENSITIVE -> OFFICIAL): new SIO"));
    free(text);
}

static void sio_of_disabled_agency(void **state)
{
    fx *f = *state;
    OK(f, "--as", "admin", "user", "add", "sy-sio", "--agency", "south-yorkshire", "--role", "sio",
       "--clearance", "OFFICIAL-SENSITIVE");
    json_t *t = OK_JSON(f, "--as", "yh-sio", "threat", "add", "--title", "Regional labour network",
                        "--type", "labour", "--owner", "yhrocu", "--sio", "yh-sio",
                        "--force-tasking-ref", "YH-1");
    char *r = strdup(jstr(t, "ref"));
    json_decref(t);
    OK(f, "--as", "admin", "agency", "disable", "south-yorkshire");
    REFUSE(f, 3, "sio: user 'sy-sio' belongs to agency 'south-yorkshire', which is disabled",
           ADD_SIO("yh-sio", "yhrocu", "sy-sio"));
    REFUSE(f, 3, "sio: user 'sy-sio' belongs to agency 'south-yorkshire', which is disabled", "--as",
           "yh-sio", "threat", "update", r, "--sio", "sy-sio");
    t = OK_JSON(f, "--as", "met-spoc", "threat", "show", r);
    assert_string_equal(jstr(t, "sio"), "yh-sio");
    json_decref(t);
    free(r);
}

int main(void)
{
    const struct CMUnitTest refusals[] = {
        cmocka_unit_test(add_owner_rules),
        cmocka_unit_test(add_sio_rules),
        cmocka_unit_test(add_actor_rules),
        cmocka_unit_test(add_marking_rules),
        cmocka_unit_test(add_field_rules),
        cmocka_unit_test(update_rules),
        cmocka_unit_test(archive_rules),
        cmocka_unit_test(duplicate_escalation),
        cmocka_unit_test_setup_teardown(duplicate_escalation_allowed, setup_fresh, teardown),
        cmocka_unit_test(show_hidden_like_missing),
        cmocka_unit_test(master_list_owner_region_and_marking),
    };
    const struct CMUnitTest changing[] = {
        cmocka_unit_test_setup_teardown(rocu_owner_sio_from_region_force, setup_fresh, teardown),
        cmocka_unit_test_setup_teardown(rocu_threat_force_sio_agrees_tor, setup_fresh, teardown),
        cmocka_unit_test_setup_teardown(national_owner, setup_fresh, teardown),
        cmocka_unit_test_setup_teardown(sio_of_disabled_agency, setup_fresh, teardown),
        cmocka_unit_test_setup_teardown(reasons_archive_and_unarchive, setup_fresh, teardown),
        cmocka_unit_test_setup_teardown(marking_lowered_records_why, setup_fresh, teardown),
    };
    int failed = cmocka_run_group_tests_name("rules: threats (refusals)", refusals, setup, teardown);
    failed += cmocka_run_group_tests_name("rules: threats (state-changing)", changing, NULL, NULL);
    return failed;
}
