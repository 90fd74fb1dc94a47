/*
 * The work area through the CLI (issue 4), part 2: tactical options and products (versions,
 * SHA-256, size limit, delivery, downloads). Fixture and helpers: test_work_fixture.h.
 */
#include "test_work_fixture.h"

#include <jansson.h>

/* ---- options ---------------------------------------------------------------------------- */

static void options(void **state)
{
    (void)state;
    char *out = ok("toex-analyst", "--json", "option", "add", T1, "--strand", "pursue", "--text",
                   "Warrant at the farm", "--agency", "west-yorkshire", NULL);
    assert_non_null(strstr(out, "\"status\": \"proposed\""));
    assert_non_null(strstr(out, "\"strand\": \"pursue\""));
    free(out);
    long long id = scalar("SELECT max(id) FROM tactical_option");
    char *opt = t_fmt("OPT-%06lld", id);
    refused(EX_INVAL, "strand", "toex-analyst", "option", "add", T1, "--strand", "pester", "--text", "x",
            "--agency", "west-yorkshire", NULL);
    refused(EX_INVAL, "agency", "toex-analyst", "option", "add", T1, "--strand", "protect", "--text", "x",
            "--agency", "nowhere", NULL);
    /* TOEX carries out no 4P option (review 81 L5) */
    refused(EX_INVAL, "is a capability", "toex-analyst", "option", "add", T1, "--strand", "protect", "--text", "x",
            "--agency", "toex", NULL);
    refused(EX_INVAL, "text", "toex-analyst", "option", "add", T1, "--strand", "protect", "--agency",
            "west-yorkshire", NULL);
    /* a bad strand, no agency and no text: all three told at once (iom_ctx problems) */
    static const char *const three[] = {"strand: 'pester' is not one of", "agency: required", "text: a value is required"};
    for (size_t i = 0; i < 3; i++)
        refused(EX_INVAL, three[i], "toex-analyst", "option", "add", T1, "--strand", "pester", "--agency", "",
                NULL);
    refused(EX_CONFLICT, "closed", "toex-sia", "option", "add", T3, "--strand", "protect", "--text", "x",
            "--agency", "west-yorkshire", NULL);
    refused(EX_INVAL, "status", "toex-analyst", "option", "set", opt, "--status", "done", NULL);
    refused(EX_CONFLICT, "proposed", "toex-analyst", "option", "set", opt, "--status", "actioned", NULL);
    refused(EX_NOTFOUND, "not found", "met-spoc", "option", "set", opt, "--status", "accepted", NULL);
    /* a user who reads the tasking but is neither on its team, of the option's agency nor the
       threat's SIO */
    refused(EX_FORBIDDEN, "record_option", "yh-gateway", "option", "set", opt, "--status", "accepted", NULL);
    free(ok("toex-analyst", "option", "set", opt, "--status", "accepted", NULL));
    out = ok("toex-sia", "--json", "option", "set", opt, "--status", "actioned", NULL);
    assert_non_null(strstr(out, "\"status\": \"actioned\""));
    assert_non_null(strstr(out, "\"version\": 3"));
    free(out);
    refused(EX_CONFLICT, "actioned", "toex-analyst", "option", "set", opt, "--status", "declined", NULL);
    out = ok("wy-spoc", "option", "list", T1, NULL);
    assert_non_null(strstr(out, opt));
    assert_non_null(strstr(out, "actioned"));
    free(out);
    refused(EX_NOTFOUND, "not found", "met-spoc", "option", "list", T1, NULL);
    assert_int_equal(scalar("SELECT count(*) FROM audit WHERE action IN ('option.add', 'option.set')"), 3);
    free(opt);
}

/* Review 84 M6: the agency named on an option (its spoc or sio) and the threat's SIO accept,
   decline and mark it actioned, also after the tasking has ended; the team and the SIA only
   while its work is open; audited; the APMIS report counts an option actioned after closure. */
/* Whether `user` may set option `id`, as the options list tells them (may_set): 1, 0, or -1
   when the option is not in the list. */
static int may_set_of(const char *user, const char *id)
{
    char *out = ok(user, "--json", "option", "list", T1, "--limit", "1000", NULL);
    json_error_t je;
    json_t *j = json_loads(out, 0, &je);
    assert_non_null(j);
    int r = -1;
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(j, "items"), i, o)
        if (strcmp(json_string_value(json_object_get(o, "ref")), id) == 0)
            r = json_is_true(json_object_get(o, "may_set"));
    json_decref(j);
    free(out);
    return r;
}

static void options_after_closure(void **state)
{
    (void)state;
    char *ids[3];
    const char *agencies[] = {"west-yorkshire", "greater-manchester", "yhrocu"};
    for (int i = 0; i < 3; i++) {
        free(ok("toex-analyst", "option", "add", T1, "--strand", "pursue", "--text", "Warrant",
                "--agency", agencies[i], NULL));
        ids[i] = t_fmt("OPT-%06lld", scalar("SELECT max(id) FROM tactical_option"));
    }
    /* while the work is open: the option's agency (wy-spoc) accepts its own option */
    free(ok("wy-spoc", "option", "set", ids[0], "--status", "accepted", NULL));
    /* the spoc of another agency than the option's, though they read the tasking */
    refused(EX_FORBIDDEN, "option's agency", "wy-spoc", "option", "set", ids[1], "--status",
            "accepted", NULL);
    /* the option's agency's sio who has no sight of the tasking sets it through the option's
       narrow view, naming the option's version (review 100 M4: options_agency_view) */
    refused(EX_INVAL, "version: required from the option's agency", "yh-sio", "option", "set",
            ids[2], "--status", "accepted", NULL);
    refused(EX_NOTFOUND, "not found", "met-spoc", "option", "set", ids[2], "--status", "accepted",
            "--version", "1", NULL);
    long long before = scalar("SELECT count(*) FROM audit WHERE action = 'option.set'");
    sql("UPDATE tasking SET state = 'closed' WHERE ref = '" T1 "'");
    /* after closure: the team and the SIA no longer, with the rule */
    refused(EX_CONFLICT, "has ended", "toex-sia", "option", "set", ids[0], "--status", "actioned", NULL);
    refused(EX_CONFLICT, "after the tasking has ended", "toex-analyst", "option", "set", ids[1],
            "--status", "accepted", NULL);
    refused(EX_FORBIDDEN, "record_option", "yh-gateway", "option", "set", ids[0], "--status",
            "actioned", NULL);
    refused(EX_FORBIDDEN, "read-only", "auditor", "option", "set", ids[0], "--status", "actioned", NULL);
    /* the options list says who may set each (the web's buttons follow it) */
    assert_int_equal(may_set_of("wy-spoc", ids[0]), 1);  /* its agency's spoc */
    assert_int_equal(may_set_of("wy-spoc", ids[1]), 0);  /* another agency's option */
    assert_int_equal(may_set_of("wy-sio", ids[1]), 1);   /* the threat's SIO */
    assert_int_equal(may_set_of("toex-sia", ids[0]), 0); /* the work is over */
    assert_int_equal(may_set_of("auditor", ids[0]), 0);
    /* the option's agency marks its accepted option actioned; the threat's SIO accepts and
       declines one of another agency */
    /* once the tasking has ended, its version no longer moves: a change names the option's
       version as read (review 88 M2) */
    refused(EX_INVAL, "version: required once the tasking has ended", "wy-spoc", "option", "set",
            ids[0], "--status", "actioned", NULL);
    char *out = ok("wy-spoc", "--json", "option", "set", ids[0], "--status", "actioned", "--version",
                   "2", NULL);
    assert_non_null(strstr(out, "\"status\": \"actioned\""));
    free(out);
    free(ok("wy-sio", "option", "set", ids[1], "--status", "accepted", "--version", "1", NULL));
    /* another decision made on the same read (version 1) is refused, not laid over it */
    refused(EX_CONFLICT, "version 1 was read; it is at version 2 now (status accepted)", "wy-sio",
            "option", "set", ids[1], "--status", "declined", "--version", "1", NULL);
    free(ok("wy-sio", "option", "set", ids[1], "--status", "declined", "--version", "2", NULL));
    refused(EX_CONFLICT, "final", "wy-sio", "option", "set", ids[1], "--status", "actioned",
            "--version", "3", NULL);
    assert_int_equal(scalar("SELECT count(*) FROM audit WHERE action = 'option.set'"), before + 3);
    assert_int_equal(scalar("SELECT count(*) FROM tactical_option WHERE status = 'actioned'"
                            " AND tasking_id = (SELECT id FROM tasking WHERE ref = '" T1 "')"), 2);
    /* APMIS's "tactical options actioned" counts it: two on T1 (the first test's and this one) */
    out = ok("auditor", "--json", "apmis", "report", "--force", "west-yorkshire", NULL);
    assert_non_null(strstr(out, "\"actioned\": 2"));
    free(out);
    for (int i = 0; i < 3; i++)
        free(ids[i]);
}

/* Review 100 M4 (domain.md §8: an option names the agency that would act): the spoc and sio
   of that agency list the options naming it across taskings, also of taskings they do not
   otherwise see, and set their status by the option's version; nothing else of the tasking
   is shown; clearance for the tasking's marking still holds; the page shown is logged. */
static bool has(const char *out, const char *s) { return strstr(out, s) != NULL; }

/* `option agency --limit 1000` as user: it lists `yes` (unless NULL) and not `no` (unless NULL). */
static void agency_lists(const char *user, const char *yes, const char *no)
{
    char *out = ok(user, "--json", "option", "agency", "--limit", "1000", NULL);
    if ((yes && !has(out, yes)) || (no && has(out, no)))
        fail_msg("%s's options: wanted %s, not %s: %s", user, yes ? yes : "-", no ? no : "-", out);
    free(out);
}

static void options_agency_view(void **state)
{
    (void)state;
    free(ok("admin", "user", "add", "met-spoc-official", "--agency", "met", "--role", "spoc",
            "--clearance", "OFFICIAL", NULL));
    free(ok("toex-analyst", "option", "add", T1, "--strand", "pursue", "--text",
            "Search the supply address in Merseyside", "--agency", "met", NULL));
    char *o1 = t_fmt("OPT-%06lld", scalar("SELECT max(id) FROM tactical_option"));
    free(ok("toex-analyst", "option", "add", T4, "--strand", "prevent", "--text",
            "Sensitive prevent option", "--agency", "met", NULL));
    char *o4 = t_fmt("OPT-%06lld", scalar("SELECT max(id) FROM tactical_option"));
    /* met sees neither tasking */
    refused(EX_NOTFOUND, "not found", "met-spoc", "option", "list", T1, NULL);
    refused(EX_NOTFOUND, "not found", "met-spoc", "tasking", "show", T4, NULL);
    long long reads = scalar("SELECT count(*) FROM read_log WHERE action = 'tasking.read'"
                             " AND actor = 'met-spoc' AND after_json LIKE '%option_agency%'");
    char *out = ok("met-spoc", "--json", "option", "agency", "--limit", "1000", NULL);
    assert_true(has(out, o1) && has(out, o4) && has(out, T1) && has(out, T4));
    assert_true(has(out, "Search the supply address in Merseyside"));
    assert_true(has(out, "\"may_set\": true"));
    assert_true(has(out, "\"marking\": \"OFFICIAL-SENSITIVE\"")); /* T4's, on its option */
    /* the option, nothing else of the tasking: no state, bid, threat or owner */
    assert_false(has(out, "\"state\"") || has(out, "\"bid\"") || has(out, "SOC-9") ||
                 has(out, "\"owner\""));
    free(out);
    /* one read entry per tasking shown, purpose option_agency */
    assert_int_equal(scalar("SELECT count(*) FROM read_log WHERE action = 'tasking.read'"
                            " AND actor = 'met-spoc' AND after_json LIKE '%option_agency%'"),
                     reads + 2);
    /* and one per option, found by the option's own reference (review 102 L4); the tasking's
       reads still show that its options were seen */
    out = ok("auditor", "--json", "audit", "reads", "--object", o1, "--limit", "1000", NULL);
    assert_true(has(out, "\"action\": \"option.read\"") && has(out, "\"user\": \"met-spoc\""));
    assert_true(has(out, "\"purpose\": \"option_agency\"") && has(out, "\"tasking\": \"" T1 "\""));
    assert_true(has(out, "\"version\": 1"));
    free(out);
    out = ok("auditor", "--json", "audit", "reads", "--object", o4, "--limit", "1000", NULL);
    assert_true(has(out, "\"action\": \"option.read\"") && has(out, "\"tasking\": \"" T4 "\""));
    free(out);
    out = ok("auditor", "--json", "audit", "reads", "--object", T1, "--user", "met-spoc", "--limit",
             "1000", NULL);
    assert_true(has(out, "\"action\": \"tasking.read\"") && has(out, o1) && has(out, "option_agency"));
    free(out);
    out = ok("met-spoc", "--json", "option", "agency", "--strand", "prevent", NULL);
    assert_true(has(out, o4) && !has(out, o1));
    free(out);
    /* text: the tasking column says which tasking each option belongs to */
    out = ok("met-spoc", "option", "agency", "--limit", "1000", NULL);
    assert_true(has(out, "TASKING") && has(out, T1));
    free(out);
    /* clearance for the tasking's marking: T4 is OFFICIAL-SENSITIVE */
    agency_lists("met-spoc-official", o1, o4);
    refused(EX_NOTFOUND, "not found", "met-spoc-official", "option", "set", o4, "--status",
            "accepted", "--version", "1", NULL);
    /* an option's own marking (review 102 M2): on the OFFICIAL tasking T1, an option marked
       OFFICIAL-SENSITIVE (it draws on such intelligence) is read only by who is cleared for it,
       in the agency's view and in the tasking's own list */
    refused(EX_INVAL, "below the tasking's marking", "toex-analyst", "option", "add", T4, "--strand",
            "pursue", "--text", "x", "--agency", "met", "--marking", "OFFICIAL", NULL);
    refused(EX_FORBIDDEN, "not cleared", "toex-official", "option", "add", T1, "--strand", "pursue",
            "--text", "x", "--agency", "met", "--marking", "OFFICIAL-SENSITIVE", NULL);
    out = ok("toex-analyst", "--json", "option", "add", T1, "--strand", "protect", "--text",
             "Visit the address the informant named", "--agency", "met", "--marking",
             "OFFICIAL-SENSITIVE", NULL);
    assert_true(has(out, "\"marking\": \"OFFICIAL-SENSITIVE\""));
    free(out);
    char *os = t_fmt("OPT-%06lld", scalar("SELECT max(id) FROM tactical_option"));
    agency_lists("met-spoc", os, NULL);
    agency_lists("met-spoc-official", o1, os);
    refused(EX_NOTFOUND, "not found", "met-spoc-official", "option", "set", os, "--status",
            "accepted", "--version", "1", NULL);
    out = ok("toex-official", "--json", "option", "list", T1, "--limit", "1000", NULL);
    assert_true(has(out, o1) && !has(out, os));
    free(out);
    refused(EX_NOTFOUND, "not found", "toex-official", "option", "set", os, "--status", "accepted",
            NULL);
    free(os);
    /* only a spoc or sio has such a list; another agency's spoc sees none of met's options */
    refused(EX_FORBIDDEN, "spoc, sio", "toex-analyst", "option", "agency", NULL);
    refused(EX_FORBIDDEN, "spoc, sio", "yh-gateway", "option", "agency", NULL);
    agency_lists("wy-spoc", NULL, o1);
    agency_lists("wy-spoc", NULL, o4);
    /* the status: by the option's version, audited; a stale read refused */
    refused(EX_INVAL, "version: required from the option's agency", "met-spoc", "option", "set",
            o1, "--status", "accepted", NULL);
    long long audits = scalar("SELECT count(*) FROM audit WHERE action = 'option.set'");
    out = ok("met-spoc", "--json", "option", "set", o1, "--status", "accepted", "--version", "1", NULL);
    assert_true(has(out, "\"status\": \"accepted\"") && has(out, "\"version\": 2"));
    free(out);
    assert_int_equal(scalar("SELECT count(*) FROM audit WHERE action = 'option.set'"), audits + 1);
    refused(EX_CONFLICT, "version 1 was read", "met-spoc", "option", "set", o1, "--status",
            "declined", "--version", "1", NULL);
    /* the tasking's team sees the agency's decision */
    out = ok("toex-analyst", "option", "list", T1, "--status", "accepted", NULL);
    assert_true(has(out, o1));
    free(out);
    out = ok("met-spoc", "--json", "option", "agency", "--status", "proposed", "--limit", "1000", NULL);
    assert_true(has(out, o4) && !has(out, o1));
    free(out);
    /* a page's cursor whose option was decided since (it left the filtered list) still pages
       on from where it stood (review 102); text of no cursor's shape is refused */
    out = ok("met-spoc", "--json", "option", "agency", "--status", "proposed", "--after", o1, NULL);
    assert_true(has(out, o4) && !has(out, o1));
    free(out);
    refused(EX_INVAL, "is not in this list", "met-spoc", "option", "agency", "--after", "bogus", NULL);
    free(o1);
    free(o4);
}

/* Review 102 M1: an agency merged into another hands over the options that wait for its
   decision (its people went there); decided ones keep the agency that decided them. */
static void options_follow_a_merged_agency(void **state)
{
    (void)state;
    free(ok("toex-analyst", "option", "add", T4, "--strand", "protect", "--text",
            "Safeguarding visits in the City", "--agency", "city-of-london", NULL));
    char *open = t_fmt("OPT-%06lld", scalar("SELECT max(id) FROM tactical_option"));
    free(ok("toex-analyst", "option", "add", T4, "--strand", "pursue", "--text", "City warrant",
            "--agency", "city-of-london", NULL));
    char *done = t_fmt("OPT-%06lld", scalar("SELECT max(id) FROM tactical_option"));
    free(ok("toex-analyst", "option", "set", done, "--status", "declined", NULL));
    free(ok("admin", "agency", "merge", "city-of-london", "--into", "met", "--reason",
            "Forces amalgamated", NULL));
    char *out = ok("met-spoc", "--json", "option", "agency", "--limit", "1000", NULL);
    assert_true(has(out, open) && !has(out, done));
    assert_true(has(out, "\"version\": 2")); /* moved: a decision read before is stale */
    free(out);
    char *q = t_fmt("SELECT count(*) FROM tactical_option o JOIN agency a ON a.id = o.agency_id"
                    " WHERE o.ref = '%s' AND a.code = 'city-of-london'", done);
    assert_int_equal(scalar(q), 1);
    free(q);
    assert_int_equal(scalar("SELECT count(*) FROM audit WHERE action = 'agency.merge'"
                            " AND after_json LIKE '%\"options_moved\":1%'"), 1);
    free(open);
    free(done);
}

/* ---- products --------------------------------------------------------------------------- */

static char *write_file(const char *name, const char *content, size_t n)
{
    char *path = t_fmt("%s/%s", F->dir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(content, 1, n, fp), n);
    fclose(fp);
    return path;
}

static char *read_all(const char *path, size_t *n)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    char *buf = malloc(1 << 20);
    *n = fread(buf, 1, 1 << 20, fp);
    fclose(fp);
    return buf;
}

static void products(void **state)
{
    (void)state;
    static const char doc[] = "Subject profile: J. Smith\n\x01\x02 binary bytes \xff\n";
    char *path = write_file("profile.bin", doc, sizeof doc - 1);
    unsigned char h[crypto_hash_sha256_BYTES];
    char hex[65];
    crypto_hash_sha256(h, (const unsigned char *)doc, sizeof doc - 1);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    char *out = ok("toex-analyst", "--json", "product", "add", T1, "--type", "subject_profile", "--file",
                   path, NULL);
    assert_non_null(strstr(out, hex));
    assert_non_null(strstr(out, "\"version\": 1"));
    assert_non_null(strstr(out, "\"filename\": \"profile.bin\""));
    assert_non_null(strstr(out, "\"delivered\": false"));
    free(out);
    char *prd = t_fmt("PRD-%06lld", scalar("SELECT max(id) FROM product"));

    refused(EX_INVAL, "type", "toex-analyst", "product", "add", T1, "--type", "novel", "--file", path, NULL);
    /* no type and no file: both told at once (iom_ctx problems) */
    refused(EX_INVAL, "iom: type: required", "toex-analyst", "product", "add", T1, NULL);
    refused(EX_INVAL, "\niom: file: required", "toex-analyst", "product", "add", T1, NULL);
    refused(EX_INVAL, "type", "toex-analyst", "product", "add", T1, "--file", path, NULL);
    refused(EX_IO, "cannot open", "toex-analyst", "product", "add", T1, "--type", "risk_analysis",
            "--file", "/nonexistent/file", NULL);
    char *empty = write_file("empty.bin", "", 0);
    refused(EX_INVAL, "empty", "toex-analyst", "product", "add", T1, "--type", "risk_analysis", "--file",
            empty, NULL);
    char *huge = t_fmt("%s/huge.bin", F->dir);
    int fd = open(huge, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, 50LL * 1024 * 1024 + 1), 0);
    close(fd);
    refused(EX_TOOBIG, "50 MiB", "toex-analyst", "product", "add", T1, "--type", "risk_analysis",
            "--file", huge, NULL);
    refused(EX_INVAL, "replaces", "toex-analyst", "product", "add", T1, "--file", path, "--replaces",
            "PRD-999999", NULL);
    refused(EX_INVAL, "type", "toex-analyst", "product", "add", T1, "--type", "risk_analysis", "--file",
            path, "--replaces", prd, NULL);
    refused(EX_INVAL, "replaces", "toex-analyst", "product", "add", T4, "--file", path, "--replaces", prd, NULL);
    refused(EX_CONFLICT, "draft", "toex-sia", "product", "add", T2, "--type", "risk_analysis", "--file",
            path, NULL);
    refused(EX_NOTFOUND, "not found", "toex-analyst2", "product", "add", T1, "--type",
            "risk_analysis", "--file", path, NULL);

    /* A new version. */
    char *path2 = write_file("profile-v2.txt", "Version two\n", 12);
    out = ok("toex-analyst", "--json", "product", "add", T1, "--file", path2, "--replaces", prd, NULL);
    assert_non_null(strstr(out, "\"version\": 2"));
    assert_non_null(strstr(out, "\"type\": \"subject_profile\""));
    free(out);

    /* Download: version 1, checksum verified, never overwriting. */
    char *dst = t_fmt("%s/out.bin", F->dir);
    /* the customer's side reads delivered versions only (review 81 M4: the SIO downloaded an
       undelivered draft); the TOEX side reads every version */
    /* and every miss reads as a missing product: no count of drafts (review 84 M1) */
    char *nf1 = t_fmt("product: '%s' not found", prd);
    refused(EX_NOTFOUND, nf1, "wy-sio", "product", "get", prd, "--version", "1", "--out", dst, NULL);
    refused(EX_NOTFOUND, nf1, "wy-sio", "product", "get", prd, "--out", dst, NULL);
    free(nf1);
    out = ok("wy-sio", "product", "list", T1, NULL);
    assert_null(strstr(out, prd));
    free(out);
    free(ok("toex-analyst", "product", "get", prd, "--version", "1", "--out", dst, NULL));
    size_t n;
    char *got = read_all(dst, &n);
    assert_int_equal(n, sizeof doc - 1);
    assert_memory_equal(got, doc, n);
    free(got);
    refused(EX_IO, "does not overwrite", "toex-analyst", "product", "get", prd, "--out", dst, NULL);
    refused(EX_NOTFOUND, "not found", "met-spoc", "product", "get", prd, "--out", "-", NULL);
    /* the refused download is an attempt the auditor sees, on the command line as over HTTP
       (review 81 L7, review 92 M2) */
    char *tried = t_fmt("SELECT count(*) FROM read_log WHERE action = 'access.refused' AND actor = 'met-spoc' AND "
                        "object_ref = '%s' AND after_json LIKE '%%product.get%%'", prd);
    assert_int_equal(scalar(tried), 1);
    free(tried);
    /* whether a hidden product has a version N reads as its absence does (an API review) */
    refused(EX_NOTFOUND, "not found", "met-spoc", "product", "get", prd, "--version", "7", "--out", "-", NULL);
    refused(EX_NOTFOUND, "not found", "met-spoc", "product", "deliver", prd, "--version", "7", NULL);
    refused(EX_NOTFOUND, "not found", "met-spoc", "product", "deliver", prd, "--version", "1", NULL);
    refused(EX_NOTFOUND, "not found", "wy-sio", "product", "get", "PRD-999999", "--version", "3", "--out", "-",
            NULL);
    assert_int_equal(scalar("SELECT count(*) FROM read_log WHERE action = 'product.disclose'"), 1);
    assert_int_equal(scalar("SELECT count(*) FROM read_log WHERE action = 'product.disclose'"
                            " AND after_json LIKE '%\"purpose\":\"assigned\"%'"), 1);

    /* Delivery: the handover to the customer, by the tasking's SIA (review 81 L6) */
    refused(EX_FORBIDDEN, "the tasking's SIA (toex-sia) delivers a product", "toex-analyst", "product",
            "deliver", prd, NULL);
    /* the right before the version: an analyst of the team, who never delivers, is not told
       "reload and retry" for a stale --if-version (review 89 L2); the SIA, who may, is */
    refused(EX_FORBIDDEN, "the tasking's SIA (toex-sia) delivers a product", "toex-analyst", "product",
            "deliver", prd, "--if-version", "1", NULL);
    refused(EX_CONFLICT, "reload and retry", "toex-sia", "product", "deliver", prd, "--if-version", "1",
            NULL);
    refused(EX_NOTFOUND, "not found", "toex-sia", "product", "deliver", prd, "--version", "7", NULL);
    out = ok("toex-sia", "--json", "product", "deliver", prd, NULL);
    assert_non_null(strstr(out, "\"delivered\": true"));
    assert_non_null(strstr(out, "\"delivered_by\": \"toex-sia\""));
    free(out);
    refused(EX_CONFLICT, "already delivered", "toex-sia", "product", "deliver", prd, NULL);
    /* an apmis recorder sees the tasking's outcome, not its products: delivering one is "not
       found", and the refusal does not name the product's tasking */
    free(ok("admin", "user", "add", "apmis-rec", "--agency", "nca", "--role", "apmis", "--clearance",
            "OFFICIAL-SENSITIVE", NULL));
    char *nf = t_fmt("product: '%s' not found", prd);
    refused(EX_NOTFOUND, nf, "apmis-rec", "product", "deliver", prd, NULL);
    free(nf);
    out = ok("toex-analyst", "product", "list", T1, NULL);
    assert_non_null(strstr(out, "not delivered"));
    assert_non_null(strstr(out, "subject_profile"));
    free(out);
    /* the customer: the delivered version 2 alone, and by default */
    out = ok("wy-sio", "--json", "product", "list", T1, NULL);
    assert_null(strstr(out, "\"delivered\": false"));
    assert_non_null(strstr(out, "\"version\": 2"));
    assert_null(strstr(out, "\"version\": 1"));
    free(out);
    char *dst2 = t_fmt("%s/out2.bin", F->dir);
    free(ok("wy-sio", "product", "get", prd, "--out", dst2, NULL));
    got = read_all(dst2, &n);
    assert_int_equal(n, 12);
    assert_memory_equal(got, "Version two\n", 12);
    free(got);
    free(dst2);
    refused(EX_NOTFOUND, "not found", "wy-sio", "product", "get", prd, "--version", "1", "--out", "-", NULL);
    /* a draft marked above a customer's clearance does not hide the version delivered to them
       (review 84 M2) */
    char *path3 = write_file("profile-v3.txt", "Version three\n", 14);
    free(ok("toex-analyst", "product", "add", T1, "--file", path3, "--replaces", prd, "--marking",
            "OFFICIAL-SENSITIVE", NULL));
    free(path3);
    out = ok("wy-official", "product", "get", prd, "--out", "-", NULL);
    assert_string_equal(out, "Version two\n");
    free(out);
    assert_int_equal(scalar("SELECT count(*) FROM product WHERE delivered_at IS NOT NULL"), 1);
    /* ... nor does that version delivered: the OFFICIAL customer gets by default the latest
       delivered version it may read, the one its list shows (review 135: "not found") */
    free(ok("toex-sia", "product", "deliver", prd, NULL));
    out = ok("wy-official", "product", "get", prd, "--out", "-", NULL);
    assert_string_equal(out, "Version two\n");
    free(out);
    out = ok("wy-official", "--json", "product", "list", T1, NULL);
    assert_non_null(strstr(out, "\"version\": 2"));
    assert_null(strstr(out, "\"version\": 3"));
    free(out);
    out = ok("wy-sio", "product", "get", prd, "--out", "-", NULL); /* cleared for it: version 3 */
    assert_string_equal(out, "Version three\n");
    free(out);

    /* Documents never change through SQL (migration 5 triggers); one altered in the database
       file anyway (the trigger dropped, as an attacker with the file could) is refused on
       read. */
    char *q = t_fmt("UPDATE product_document SET content = CAST(upper(CAST(content AS TEXT)) AS BLOB)"
                    " WHERE product_id = (SELECT id FROM product WHERE ref = '%s' AND version = 2)", prd);
    assert_int_not_equal(t_db_exec(F->db, q), 0);
    assert_int_not_equal(t_db_exec(F->db, "DELETE FROM product_document"), 0);
    sql("DROP TRIGGER product_document_no_update");
    sql(q);
    free(q);
    refused(EX_INTEGRITY, "SHA-256", "toex-analyst", "product", "get", prd, "--version", "2", "--out", "-", NULL);

    unlink(huge);
    free(huge);
    free(empty);
    free(dst);
    free(path2);
    free(prd);
    free(path);
}

/* Review 97 M2: a new version is never marked below the latest one (an OFFICIAL reader was
   shown "version 3" of a product whose versions 1 and 2 were hidden from them); and a version
   that does not exist reads as one the reader may not see ("has no version 4" told them apart). */
static void product_versions_never_lowered(void **state)
{
    (void)state;
    char *p1 = write_file("m2-v1.txt", "sensitive one\n", 14), *p2 = write_file("m2-v2.txt", "sensitive two\n", 14),
         *p3 = write_file("m2-v3.txt", "sanitised\n", 10);
    free(ok("toex-analyst", "product", "add", T1, "--type", "subject_profile", "--file", p1, "--marking",
            "OFFICIAL-SENSITIVE", NULL));
    char *prd = t_fmt("PRD-%06lld", scalar("SELECT max(id) FROM product"));
    free(ok("toex-analyst", "product", "add", T1, "--file", p2, "--replaces", prd, NULL));
    char *why = t_fmt("marking: OFFICIAL is below the marking of the latest version of %s (OFFICIAL-SENSITIVE)",
                      prd);
    refused(EX_INVAL, why, "toex-analyst", "product", "add", T1, "--file", p3, "--replaces", prd, "--marking",
            "OFFICIAL", NULL);
    free(why);
    refused(EX_INVAL, "as a new product", "toex-analyst", "product", "add", T1, "--file", p3, "--replaces", prd,
            "--marking", "OFFICIAL", NULL);
    /* the OFFICIAL member of the team sees nothing of it */
    char *out = ok("toex-official", "product", "list", T1, NULL);
    assert_null(strstr(out, prd));
    free(out);
    /* the sanitised copy is a new product, version 1 */
    out = ok("toex-analyst", "--json", "product", "add", T1, "--type", "subject_profile", "--file", p3, "--marking",
             "OFFICIAL", NULL);
    assert_non_null(strstr(out, "\"version\": 1"));
    free(out);
    char *copy = t_fmt("PRD-%06lld", scalar("SELECT max(id) FROM product"));
    out = ok("toex-official", "--json", "product", "list", T1, NULL);
    assert_non_null(strstr(out, copy));
    free(out);
    /* a missing version and a hidden one read alike, to the team and to the SIA delivering */
    char *nf = t_fmt("iom: product: '%s' not found\n", prd);
    char *hidden = refusal_of(EX_NOTFOUND, "toex-official", "product", "get", prd, "--version", "1", "--out", "-",
                              NULL);
    char *missing = refusal_of(EX_NOTFOUND, "toex-analyst", "product", "get", prd, "--version", "4", "--out", "-",
                               NULL);
    char *deliver = refusal_of(EX_NOTFOUND, "toex-sia", "product", "deliver", prd, "--version", "4", NULL);
    assert_string_equal(hidden, nf);
    assert_string_equal(missing, nf);
    assert_string_equal(deliver, nf);
    free(deliver);
    free(missing);
    free(hidden);
    free(nf);
    /* review 133 M1: an OFFICIAL version 1 replaced by an OFFICIAL-SENSITIVE version 2 is no
       longer listed to the OFFICIAL member (get, replace and deliver answer "not found" for
       every version: the list showed version 1, which could not be opened) */
    out = ok("toex-analyst", "--json", "product", "add", T1, "--type", "subject_profile", "--file", p3, "--marking",
             "OFFICIAL", NULL);
    free(out);
    char *raised = t_fmt("PRD-%06lld", scalar("SELECT max(id) FROM product"));
    out = ok("toex-official", "product", "list", T1, NULL);
    assert_non_null(strstr(out, raised));
    free(out);
    free(ok("toex-analyst", "product", "add", T1, "--file", p2, "--replaces", raised, "--marking",
            "OFFICIAL-SENSITIVE", NULL));
    out = ok("toex-official", "product", "list", T1, NULL);
    assert_null(strstr(out, raised));
    assert_non_null(strstr(out, copy)); /* the other OFFICIAL product still is */
    free(out);
    out = ok("toex-analyst", "product", "list", T1, NULL); /* both versions, to the cleared */
    assert_non_null(strstr(out, raised));
    free(out);
    nf = t_fmt("iom: product: '%s' not found\n", raised);
    hidden = refusal_of(EX_NOTFOUND, "toex-official", "product", "get", raised, "--version", "1", "--out", "-", NULL);
    assert_string_equal(hidden, nf);
    free(hidden);
    free(nf);
    free(raised);
    free(copy);
    free(prd);
    free(p1);
    free(p2);
    free(p3);
}

static void audit_chain_still_verifies(void **state)
{
    (void)state;
    free(ok("auditor", "audit", "verify", NULL));
    char *out = ok("auditor", "audit", "log", NULL);
    assert_non_null(strstr(out, "product.deliver"));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(options),
        cmocka_unit_test(options_agency_view),
        cmocka_unit_test(products),
        cmocka_unit_test(product_versions_never_lowered),
        cmocka_unit_test(options_after_closure), /* closes T1 for good: after products */
        cmocka_unit_test(options_follow_a_merged_agency),
        cmocka_unit_test(audit_chain_still_verifies),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
