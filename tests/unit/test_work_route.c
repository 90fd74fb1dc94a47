/*
 * The work area on a tasking driven along the real route with the lifecycle commands (issue 4):
 * draft -> in_development, then intelligence, products and the `complete` rule that needs
 * every item off `pending` on PND and every ToR product delivered (docs/domain.md §1, §4).
 */
#include <time.h>
#include "test_work_fixture.h"

/* The ToR, dated from today: it starts no earlier than the day its bid was submitted (review
   113 L4). */
static char *tor_doc(void)
{
    char *start = t_uk_day(0), *due = t_uk_day(90), *end = t_uk_day(120);
    char *doc = t_fmt("{\"services\":[\"intel_development\"],\"start_date\":\"%s\",\"end_date\":\"%s\","
                      "\"products\":[{\"type\":\"network_analysis\",\"due\":\"%s\"}],"
                      "\"objectives\":[\"identify the controllers\"]}", start, end, due);
    free(start);
    free(due);
    free(end);
    return doc;
}

static char *first_line_of(char *s)
{
    s[strcspn(s, "\n")] = '\0';
    return s;
}

static void ok_in(const char *stdin_text, const char *user, ...)
{
    const char *argv[32];
    int n = 0;
    argv[n++] = "--db";
    argv[n++] = F->db;
    argv[n++] = "--as";
    argv[n++] = user;
    va_list ap;
    va_start(ap, user);
    const char *a;
    while ((a = va_arg(ap, const char *)) && n < 31)
        argv[n++] = a;
    va_end(ap);
    argv[n] = NULL;
    t_result r = t_run(stdin_text, argv);
    if (r.status != 0)
        fprintf(stderr, "unexpected failure (%d): %s%s\n", r.status, r.out, r.err);
    assert_int_equal(r.status, 0);
    t_result_free(&r);
}

static int route_setup(void **state)
{
    (void)state;
    F = calloc(1, sizeof *F);
    F->dir = t_tmpdir();
    F->db = t_make_db(F->dir);
    free(ok("admin", "user", "add", "toex-manager", "--agency", "toex", "--role", "toex_manager",
            "--clearance", "OFFICIAL-SENSITIVE", NULL));
    free(ok("admin", "user", "add", "toex-analyst", "--agency", "toex", "--role", "analyst",
            "--clearance", "OFFICIAL-SENSITIVE", NULL));
    return 0;
}

static void route_to_reassessment(void **state)
{
    (void)state;
    char *soc = first_line_of(ok("wy-spoc", "threat", "add", "--title", "Car wash workers", "--type",
                                 "labour", "--owner", "west-yorkshire", "--sio", "wy-sio",
                                 "--force-tasking-ref", "TM-1", NULL));
    char *ref = first_line_of(ok("wy-spoc", "tasking", "new", "--from-json", t_bid_assessment_file(), "--threat", soc, "--summary",
                                 "Workers housed above the car wash", "--ftm-date", "2024-05-01",
                                 "--ftm-ref", "TM-1", "--requirement", "who controls the workers",
                                 "--service", "intel_development", NULL));
    /* Nothing can be recorded on a draft. */
    refused(EX_CONFLICT, "draft", "wy-spoc", "intel", "add", ref, "--text", "t", "--source", "s",
            "--grade", "1B", "--handling", "P", NULL);
    free(ok("wy-spoc", "tasking", "submit", ref, NULL));
    free(ok("yh-gateway", "tasking", "forward", ref, NULL));
    free(ok("toex-manager", "tasking", "accept", ref, "--sia", "toex-sia", NULL));
    char *tor = tor_doc();
    ok_in(tor, "toex-sia", "tor", "propose", ref, "--from-json", "-", NULL);
    free(tor);
    free(ok("toex-sia", "tor", "agree", ref, "--version", "1", NULL));
    free(ok("wy-sio", "tor", "agree", ref, "--version", "1", NULL));
    free(ok("toex-manager", "tasking", "assign", ref, "--user", "toex-analyst", NULL));
    /* tor_agreed: work may be recorded. */
    /* dated today: work is never dated before the tasking's bid was drafted */
    char today[16];
    time_t now = time(NULL);
    strftime(today, sizeof today, "%Y-%m-%d", gmtime(&now));
    free(ok("toex-analyst", "contribution", "add", ref, "--date", today, "--hours", "2",
            "--text", "Read the bid", NULL));
    free(ok("toex-sia", "tasking", "start", ref, NULL));
    char *item = first_line_of(ok("toex-analyst", "intel", "add", ref, "--text", "Van at 2am",
                                  "--source", "ANPR", "--grade", "1A", "--handling", "P", NULL));
    item[10] = '\0'; /* "INT-000001  1A P" -> the reference */
    /* complete: refused while the item is pending on PND, and while the product is undelivered. */
    refused(EX_CONFLICT, "", "toex-sia", "tasking", "complete", ref, NULL);
    free(ok("toex-analyst", "intel", "pnd", item, "--recorded", "--pnd-ref", "PND/1", "--pnd-date",
            "2024-06-10", NULL));
    refused(EX_CONFLICT, "", "toex-sia", "tasking", "complete", ref, NULL);
    char *path = t_fmt("%s/network.txt", F->dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("network chart\n", fp);
    fclose(fp);
    char *prd = first_line_of(ok("toex-analyst", "product", "add", ref, "--type", "network_analysis",
                                 "--file", path, NULL));
    prd[10] = '\0';
    refused(EX_CONFLICT, "", "toex-sia", "tasking", "complete", ref, NULL);
    free(ok("toex-sia", "product", "deliver", prd, NULL));
    free(ok("toex-sia", "tasking", "complete", ref, NULL));
    char *q = t_fmt("SELECT count(*) FROM tasking WHERE ref = '%s' AND state = 'reassessment'", ref);
    assert_int_equal(scalar(q), 1);
    free(q);
    /* The customer's force reads the products; the work is in the audit trail. */
    char *out = ok("wy-sio", "product", "list", ref, NULL);
    assert_non_null(strstr(out, prd));
    free(out);
    assert_int_equal(scalar("SELECT count(*) FROM audit WHERE action IN ('contribution.add', 'intel.add',"
                            " 'intel.pnd', 'product.add', 'product.deliver')"), 5);
    free(ok("auditor", "audit", "verify", NULL));
    free(path);
    free(prd);
    free(item);
    free(ref);
    free(soc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(route_to_reassessment),
    };
    return cmocka_run_group_tests(tests, route_setup, group_teardown);
}
