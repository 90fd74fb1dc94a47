/*
 * test_cli_support.h: the CLI side of the tests that drive one database through the built
 * binary and the API (test_http_support.h): W is the test's world (set by its setup);
 * cli_ok runs `iom --db DB [--as USER] ARGS...` and asserts success; cli_refused asserts a
 * refusal's exit status, its message, and that nothing stored changed (t_db_fingerprint).
 */
#ifndef IOM_TEST_CLI_SUPPORT_H
#define IOM_TEST_CLI_SUPPORT_H

#include <stdarg.h>

#include "test_http_support.h"

enum { EX_INVAL = 3, EX_NOTFOUND = 4, EX_FORBIDDEN = 5, EX_CONFLICT = 6 };

static hworld *W;

static t_result cliv(const char *user, va_list ap)
{
    const char *argv[64];
    int n = 0;
    argv[n++] = "--db";
    argv[n++] = W->db;
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

/* Runs `iom --db DB --as USER ... --json`-less command; asserts success; stdout malloc'd. */
__attribute__((unused)) static char *cli_ok(const char *user, ...)
{
    va_list ap;
    va_start(ap, user);
    t_result r = cliv(user, ap);
    va_end(ap);
    if (r.status != 0)
        fprintf(stderr, "cli failed (%d): %s%s\n", r.status, r.out, r.err);
    assert_int_equal(r.status, 0);
    free(r.err);
    return r.out;
}

/* Asserts a refusal: status, stderr naming `needle`, nothing stored changed. */
__attribute__((unused)) static void cli_refused(int status, const char *needle, const char *user, ...)
{
    char *before = t_db_fingerprint(W->db);
    va_list ap;
    va_start(ap, user);
    t_result r = cliv(user, ap);
    va_end(ap);
    char *after = t_db_fingerprint(W->db);
    if (r.status != status || !strstr(r.err, needle))
        fprintf(stderr, "wanted %d naming '%s'; got %d: %s%s\n", status, needle, r.status, r.out,
                r.err);
    assert_int_equal(r.status, status);
    assert_non_null(strstr(r.err, needle));
    assert_string_equal(before, after);
    free(before);
    free(after);
    t_result_free(&r);
}

/* The CLI's JSON answer (takes out). */
__attribute__((unused)) static json_t *cli_json(char *out)
{
    json_error_t je;
    json_t *j = json_loads(out, 0, &je);
    if (!j)
        fprintf(stderr, "not JSON: %s\n", out);
    assert_non_null(j);
    free(out);
    return j;
}

/* ---- a tasking through the use-cases ---- */

__attribute__((unused)) static void as(const char *user) { W->c.actor_name = user; }

__attribute__((unused)) static void act(const char *user, const char *ref, iom_tasking_action a, const app_act_input *in,
                iom_tasking_state want)
{
    as(user);
    iom_tasking_t t;
    hw_ok(W, app_tasking_act(&W->c, ref, a, in, 0, &t));
    assert_int_equal(t.state, want);
}

static const char tor_doc[] =
    "{\"services\":[\"intel_development\"],\"start_date\":\"2026-06-10\",\"end_date\":"
    "\"2026-09-30\",\"milestones\":[{\"name\":\"Network mapped\",\"due\":\"2026-07-15\"}],"
    "\"products\":[],\"objectives\":[\"Identify the controllers\"]}";

/* A West Yorkshire bid taken to in_development; returns its reference (malloc'd). */
__attribute__((unused)) static char *developing(const char *title)
{
    static int made; /* each threat its own tasking meeting reference (review 84 L9) */
    char ftm[24];
    snprintf(ftm, sizeof ftm, "WY-FTM-7.%d", ++made);
    json_t *th = cli_json(cli_ok("wy-spoc", "--json", "threat", "add", "--title", title, "--type",
                                 "labour", "--owner", "west-yorkshire", "--sio", "wy-sio",
                                 "--force-tasking-ref", ftm, NULL));
    json_t *t = cli_json(cli_ok("wy-spoc", "--json", "tasking", "new", "--from-json", t_bid_assessment_file(), "--threat",
                                json_string_value(json_object_get(th, "ref")),
                                "--summary", "Cash laundered through car washes", "--ftm-date",
                                "2026-05-28", "--ftm-ref", "FTM-7", "--requirement",
                                "Who controls it?", "--service", "intel_development", NULL));
    char *ref = strdup(json_string_value(json_object_get(t, "ref")));
    json_decref(t);
    json_decref(th);
    /* at the use-cases' clock, as the ToR after it: a ToR starts no earlier than the bid's
       submission (review 113 L4) */
    act("wy-spoc", ref, IOM_TA_SUBMIT, NULL, IOM_TS_SUBMITTED);
    free(cli_ok("yh-gateway", "tasking", "forward", ref, NULL));
    app_act_input acc = {.sia = "toex-sia"};
    act("toex-manager", ref, IOM_TA_ACCEPT, &acc, IOM_TS_ACCEPTED);
    as("toex-sia");
    iom_tor_t tor;
    hw_ok(W, app_tor_propose(&W->c, ref, tor_doc, 0, &tor));
    app_act_input agree = {.tor_version = tor.version};
    act("toex-sia", ref, IOM_TA_AGREE_TOR, &agree, IOM_TS_ACCEPTED);
    act("wy-sio", ref, IOM_TA_AGREE_TOR, &agree, IOM_TS_TOR_AGREED);
    act("toex-sia", ref, IOM_TA_START, NULL, IOM_TS_IN_DEVELOPMENT);
    return ref;
}

#endif
