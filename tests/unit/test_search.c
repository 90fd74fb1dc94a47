/*
 * Search and deconfliction through the CLI (issue 16 points 4 and 6; docs/picture.md):
 * search over taskings, intelligence items and entities with the normalised forms of names,
 * nicknames, telephone numbers, registration marks and postcodes; need-to-know and clearance
 * before anything is counted or shown; every shown result a logged read; bad input refused
 * with nothing changed. Deconfliction: a person and a phone of a West Yorkshire tasking that
 * a Metropolitan Police tasking also holds raise alerts for both SIAs and SIOs that name only
 * the entity type, the probability and the other side's SIA and agency; a user of the other
 * region learns nothing else, counts included. Fixtures: tests/data/picture and
 * tests/data/search (synthetic).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "test_work_fixture.h"

#include "app/search.h"

#include <jansson.h>

#define PIC IOM_SOURCE_DIR "/tests/data/picture/"
#define MET IOM_SOURCE_DIR "/tests/data/search/met.csv"
#define T5 "TOEX-2026-000005"

#define NAT_FIELDS "--field", "id=id", "--field", "first_name=forename", "--field", "surname=surname", \
    "--field", "dob=dob", "--field", "phone=phone", "--field", "address=address", "--field",          \
    "postcode=postcode", "--field", "vehicle=vehicle"
#define MET_FIELDS "--field", "id=id", "--field", "first_name=forename", "--field", "surname=surname", \
    "--field", "dob=dob", "--field", "phone=phone", "--field", "address=address", "--field",          \
    "postcode=postcode"
#define LOC_FIELDS "--field", "id=id", "--field", "first_name=first", "--field", "surname=last",        \
    "--field", "dob=dob", "--field", "phone=phone", "--field", "address=address", "--field",          \
    "postcode=postcode", "--field", "date=date"

/* What met-spoc and met-sio see before West Yorkshire's data exists: compared after. */
static const char *const probes[] = {"John Smith", "07700 900123", "LS1 1AA", "Ahmed Khan", "ab12 cde",
                                     "Smith"};
#define NPROBES (sizeof probes / sizeof probes[0])
static char *before_spoc[NPROBES], *before_sio[NPROBES], *before_dl_spoc, *before_dl_sio;

static int setup(void **state)
{
    group_setup(state);
    free(ok("admin", "user", "add", "toex-sia2", "--agency", "toex", "--role", "sia", "--clearance",
            "OFFICIAL-SENSITIVE", NULL));
    /* a Metropolitan Police tasking in development, its own SIA and team */
    sql("INSERT INTO threat(ref, title, type, owner_id, sio_id, force_tasking_ref, marking, created_at,"
        " updated_at) VALUES ('SOC-900005', 'Threat 5', 'labour', " ID("agency", "code = 'met'") ", "
        ID("user", "name = 'met-sio'") ", 'MET-5', 'OFFICIAL', 1, 1)");
    sql("INSERT INTO tasking(ref, threat_id, state, requesting_agency_id, spoc_id, sio_id, sia_id, urgency,"
        " marking, bid_json, reached_toex, state_since, created_at, updated_at) VALUES ('" T5 "', "
        ID("threat", "ref = 'SOC-900005'") ", 'in_development', " ID("agency", "code = 'met'") ", "
        ID("user", "name = 'met-spoc'") ", " ID("user", "name = 'met-sio'") ", " ID("user", "name = 'toex-sia2'")
        ", 'routine', 'OFFICIAL', '{\"summary\":\"Nail bars in Croydon\"}', 1, 1, 1, 1)");
    sql("INSERT INTO tasking_member(tasking_id, user_id, added_at) SELECT t.id, u.id, 1 FROM tasking t, user u"
        " WHERE t.ref = '" T5 "' AND u.name = 'toex-analyst2'");
    return 0;
}

static char *search(const char *user, const char *text)
{
    return ok(user, "--json", "search", text, "--limit", "1000", NULL);
}

static long long reads(void) { return scalar("SELECT count(*) FROM read_log"); }

/* Records an intelligence item in T1; its reference (heap). */
static char *add_item(const char *text)
{
    char *out = ok("toex-analyst", "--json", "intel", "add", T1, "--text", text, "--source", "CHIS", "--grade", "2B",
                   "--handling", "P", NULL);
    char *p = strstr(out, "\"ref\": \"INT-");
    assert_non_null(p);
    char *ref = t_fmt("%.10s", p + 8);
    free(out);
    return ref;
}

/* The other region's tasking first, and what its users see then. */
static void other_region_first(void **state)
{
    (void)state;
    free(ok("toex-analyst2", "dataset", "import", T5, MET, "--name", "Met nominals", "--level", "local", "--grade",
            "2B", "--handling", "P", MET_FIELDS, NULL));
    for (size_t i = 0; i < NPROBES; i++) {
        before_spoc[i] = search("met-spoc", probes[i]);
        before_sio[i] = search("met-sio", probes[i]);
    }
    before_dl_spoc = ok("met-spoc", "--json", "deconflict", "list", NULL);
    before_dl_sio = ok("met-sio", "--json", "deconflict", "list", NULL);
    assert_non_null(strstr(before_spoc[0], "ENT-"));
    assert_null(strstr(before_dl_sio, "DCF-"));
    assert_int_equal(scalar("SELECT count(*) FROM deconflict_alert"), 0);
}

static void west_yorkshire_imports_raise_alerts(void **state)
{
    (void)state;
    free(ok("toex-analyst", "dataset", "import", T1, PIC "national.csv", "--name", "PND extract", "--level",
            "national", "--grade", "1B", "--handling", "P", NAT_FIELDS, NULL));
    free(ok("toex-analyst", "dataset", "import", T1, PIC "local.csv", "--name", "Force stop checks", "--level",
            "local", "--grade", "3A", "--handling", "P", "--marking", "OFFICIAL-SENSITIVE", LOC_FIELDS, NULL));
    /* John Smith (same name and date of birth) and his mobile: one alert per side for each;
       the shared address (12 High Street, LS1 1AA) is not deconflicted */
    assert_int_equal(scalar("SELECT count(*) FROM deconflict_alert"), 4);
    assert_int_equal(scalar("SELECT count(*) FROM deconflict_alert WHERE entity_type = 'person'"), 2);
    assert_int_equal(scalar("SELECT count(*) FROM deconflict_alert WHERE entity_type = 'phone' AND"
                            " probability = 1"), 2);
    assert_int_equal(scalar("SELECT count(*) FROM deconflict_alert WHERE entity_type = 'address'"), 0);
    assert_int_equal(scalar("SELECT count(*) FROM deconflict_alert a JOIN entity e ON e.id = a.entity_id"
                            " WHERE e.tasking_id <> a.tasking_id"), 0);
    assert_int_equal(scalar("SELECT count(*) FROM deconflict_alert WHERE probability < 0.95"), 0);
    /* raising is audited; a second import of the same people raises nothing new */
    assert_int_equal(scalar("SELECT count(*) FROM audit WHERE action = 'deconflict.raise'"), 1);
    free(ok("toex-analyst", "dataset", "import", T1, PIC "national.csv", "--name", "PND extract", "--level",
            "national", "--grade", "1B", "--handling", "P", "--replace", NAT_FIELDS, NULL));
    assert_int_equal(scalar("SELECT count(*) FROM deconflict_alert"), 4);
    assert_int_equal(scalar("SELECT count(*) FROM audit WHERE action = 'deconflict.raise'"), 1);
}

static void alerts_name_only_the_point_of_contact(void **state)
{
    (void)state;
    /* T1's SIA and its threat's SIO: the other side's SIA and agency, never its tasking */
    const char *wy[] = {"toex-sia", "wy-sio"};
    for (int i = 0; i < 2; i++) {
        char *out = ok(wy[i], "--json", "deconflict", "list", NULL);
        assert_non_null(strstr(out, "\"tasking\": \"" T1 "\""));
        assert_non_null(strstr(out, "\"sia\": \"toex-sia2\""));
        assert_non_null(strstr(out, "\"agency\": \"met\""));
        assert_non_null(strstr(out, "\"entity_type\": \"person\""));
        assert_non_null(strstr(out, "\"entity_type\": \"phone\""));
        assert_null(strstr(out, T5));
        assert_null(strstr(out, "Kowalczyk"));
        assert_null(strstr(out, "Met nominals"));
        assert_null(strstr(out, "SOC-900005"));
        free(out);
    }
    /* the other side: T5's SIA and the Met SIO, with West Yorkshire's SIA as the contact */
    const char *met[] = {"toex-sia2", "met-sio"};
    for (int i = 0; i < 2; i++) {
        char *out = ok(met[i], "--json", "deconflict", "list", NULL);
        assert_non_null(strstr(out, "\"tasking\": \"" T5 "\""));
        assert_non_null(strstr(out, "\"sia\": \"toex-sia\""));
        assert_non_null(strstr(out, "\"agency\": \"west-yorkshire\""));
        assert_null(strstr(out, T1));
        assert_null(strstr(out, "PND extract"));
        assert_null(strstr(out, "Ahmed"));
        assert_null(strstr(out, "SOC-900001"));
        /* the only entities it names are its own tasking's */
        char *q = t_fmt("SELECT count(*) FROM deconflict_alert a JOIN tasking t ON t.id = a.tasking_id"
                        " WHERE t.ref = '%s'", T5);
        assert_int_equal(scalar(q), 2);
        free(q);
        for (const char *p = strstr(out, "ENT-"); p; p = strstr(p + 1, "ENT-")) {
            q = t_fmt("SELECT count(*) FROM entity e JOIN tasking t ON t.id = e.tasking_id WHERE"
                      " printf('ENT-%%06d', e.id) = '%.10s' AND t.ref = '" T5 "'", p);
            assert_int_equal(scalar(q), 1);
            free(q);
        }
        free(out);
    }
    /* nobody else receives them */
    const char *others[] = {"toex-analyst", "toex-analyst2", "met-spoc", "wy-spoc", "auditor"};
    for (int i = 0; i < 5; i++) {
        char *out = ok(others[i], "--json", "deconflict", "list", NULL);
        assert_null(strstr(out, "DCF-"));
        free(out);
    }
}

/* Issue 16: "a user of another region learns nothing else, counts included". */
static void another_region_learns_nothing_else(void **state)
{
    (void)state;
    for (size_t i = 0; i < NPROBES; i++) {
        char *spoc = search("met-spoc", probes[i]), *sio = search("met-sio", probes[i]);
        assert_string_equal(spoc, before_spoc[i]);
        assert_string_equal(sio, before_sio[i]);
        assert_null(strstr(spoc, T1));
        free(spoc);
        free(sio);
    }
    char *dl = ok("met-spoc", "--json", "deconflict", "list", NULL);
    assert_string_equal(dl, before_dl_spoc);
    free(dl);
    /* T1 itself reads as a tasking that does not exist */
    refused(EX_NOTFOUND, "tasking: '" T1 "' not found", "met-spoc", "search", "Smith", "--tasking", T1, NULL);
    refused(EX_NOTFOUND, "tasking: 'TOEX-2026-000099' not found", "met-spoc", "search", "Smith", "--tasking",
            "TOEX-2026-000099", NULL);
    refused(EX_NOTFOUND, "not found", "met-sio", "deconflict", "ack", "DCF-000001", NULL);
    refused(EX_NOTFOUND, "not found", "met-sio", "deconflict", "ack", "DCF-000999", NULL);
}

static void search_finds_names_numbers_marks_and_postcodes(void **state)
{
    (void)state;
    long long smith = scalar("SELECT e.id FROM entity e JOIN tasking t ON t.id = e.tasking_id WHERE t.ref = '" T1
                             "' AND e.type = 'person' AND e.label LIKE 'John%Smith'");
    assert_true(smith > 0);
    char *ref = t_fmt("ENT-%06lld", smith);
    /* names, in any order and case, and a nickname for the formal name */
    const char *names[] = {"john smith", "SMITH John", "Jon Smith", "Johnny Smith"};
    for (int i = 0; i < 4; i++) {
        char *out = ok("toex-analyst", "--json", "search", names[i], "--tasking", T1, "--type", "person", NULL);
        if (!strstr(out, ref))
            fprintf(stderr, "search '%s': %s\n", names[i], out);
        assert_non_null(strstr(out, ref));
        free(out);
    }
    free(ref);
    /* a telephone number in any format */
    long long phone = scalar("SELECT e.id FROM entity e JOIN tasking t ON t.id = e.tasking_id WHERE t.ref = '" T1
                             "' AND e.key = '+447700900123'");
    ref = t_fmt("ENT-%06lld", phone);
    const char *phones[] = {"07700 900123", "07700900123", "+44 7700 900123", "+44 (0)7700 900-123",
                            "0044 7700 900123", "447700900123"};
    for (int i = 0; i < 6; i++) {
        char *out = ok("toex-analyst", "--json", "search", phones[i], "--tasking", T1, NULL);
        if (!strstr(out, ref))
            fprintf(stderr, "search '%s': %s\n", phones[i], out);
        assert_non_null(strstr(out, ref));
        free(out);
    }
    free(ref);
    /* a registration mark with or without spaces, any case */
    long long van = scalar("SELECT id FROM entity WHERE key = 'AB12CDE'");
    ref = t_fmt("ENT-%06lld", van);
    const char *marks[] = {"AB12 CDE", "ab12cde", "ab12 cde"};
    for (int i = 0; i < 3; i++) {
        char *out = ok("toex-analyst", "--json", "search", marks[i], NULL);
        assert_non_null(strstr(out, ref));
        assert_non_null(strstr(out, "\"type\": \"vehicle\""));
        free(out);
    }
    free(ref);
    /* a postcode with or without its space */
    const char *pcs[] = {"LS1 1AA", "ls11aa"};
    for (int i = 0; i < 2; i++) {
        char *out = ok("toex-analyst", "--json", "search", pcs[i], "--type", "address", "--tasking", T1, NULL);
        assert_non_null(strstr(out, "12 High Street Leeds"));
        free(out);
    }
    /* --type narrows; a tasking by its reference and its threat's title */
    char *out = ok("toex-analyst", "--json", "search", "Smith", "--type", "phone", NULL);
    assert_null(strstr(out, "ENT-"));
    free(out);
    out = ok("toex-analyst", "--json", "search", T1, "--type", "tasking", NULL);
    assert_non_null(strstr(out, "\"kind\": \"tasking\""));
    assert_non_null(strstr(out, "\"ref\": \"" T1 "\""));
    free(out);
    out = ok("met-spoc", "--json", "search", "nail bars croydon", NULL);
    assert_non_null(strstr(out, "\"ref\": \"" T5 "\""));
    assert_non_null(strstr(out, "[Nail]"));
    free(out);
}

static void intelligence_items_are_indexed_with_their_text(void **state)
{
    (void)state;
    char *item = add_item("Meeting at the Red Lion, Kirkstall, with Karol");
    char *out = ok("toex-analyst", "--json", "search", "red lion", "--type", "intelligence", NULL);
    assert_non_null(strstr(out, item));
    assert_non_null(strstr(out, "[Red] [Lion]"));
    free(out);
    /* a correction re-indexes: the old words no longer find it */
    free(ok("toex-analyst", "intel", "correct", item, "--reason", "wrong pub", "--text",
            "Meeting at the Golden Fleece with Karol", NULL));
    out = ok("toex-analyst", "--json", "search", "red lion", "--type", "intelligence", NULL);
    assert_null(strstr(out, item));
    free(out);
    out = ok("toex-analyst", "--json", "search", "golden fleece", NULL);
    assert_non_null(strstr(out, item));
    free(out);
    /* another region: nothing */
    out = ok("met-spoc", "--json", "search", "golden fleece", NULL);
    assert_null(strstr(out, "INT-"));
    free(out);
    free(item);
}

/* Each of terms (n), searched by user among results of type, finds want. */
static void expect_found(const char *user, const char *type, const char *const *terms, size_t n,
                         const char *want)
{
    for (size_t i = 0; i < n; i++) {
        char *out = ok(user, "--json", "search", terms[i], "--type", type, NULL);
        if (!strstr(out, want))
            fail_msg("search '%s' did not find %s: %s", terms[i], want, out);
        free(out);
    }
}

/* Review 45: a word typed as the document has it is found, whatever the normalisation of the
   query makes of it: an apostrophe (the documents' tokenizers split at it, the normaliser drops
   it) and letters the normaliser folds further than the tokenizers (ß, Greek, Cyrillic Ё,
   ligatures, full-width letters, final sigma) */
static void words_are_found_as_typed(void **state)
{
    (void)state;
    char *item = add_item("Seen with Sean O'Brien and D'Arcy at Straße 5; Ёлкин, Καλημέρα, Σωκράτης, "
                          "ﬁnal, Ｔｏｋｙｏ, ǅemal; mail o'neil@example.org, /home/o'hara/x");
    /* (the last two: PostgreSQL's phrase split at the documents' punctuation too, review 46) */
    const char *const found[] = {"O'Brien", "Sean O'Brien", "o'brien", "D'Arcy", "Straße", "Ёлкин",
                                 "Καλημέρα", "Σωκράτης", "ﬁnal", "Ｔｏｋｙｏ", "ǅemal", "Brien",
                                 "o'neil@example.org", "/home/o'hara/x"};
    expect_found("toex-analyst", "intelligence", found, sizeof found / sizeof found[0], item);
    /* and typed in plain letters, the compatibility forms are found too (review 100 L5) */
    const char *const plain[] = {"tokyo", "Tokyo", "final", "dzemal"};
    expect_found("toex-analyst", "intelligence", plain, sizeof plain / sizeof plain[0], item);
    /* and a word it does not have still finds nothing */
    char *out = ok("toex-analyst", "--json", "search", "O'Brian", "--type", "intelligence", NULL);
    assert_null(strstr(out, item));
    free(out);
    free(item);
}

/* Review 45: a tasking's requirements are indexed as their text, one after the other, not as
   their JSON source (whose escapes showed in snippets, a tab became the token "tTab", and
   whose spacing differed between the back-ends) */
static void requirements_are_indexed_as_text(void **state)
{
    (void)state;
    char *threat = ok("wy-spoc", "threat", "add", "--title", "Nail bars in Harrogate", "--type", "labour",
                      "--owner", "west-yorkshire", "--sio", "wy-sio", "--force-tasking-ref", "WY-REQ-1", NULL);
    threat[strcspn(threat, "\n")] = 0;
    char *bid = ok("wy-spoc", "tasking", "new", "--from-json", t_bid_assessment_file(), "--threat", threat, "--summary", "Who runs the bars",
                   "--ftm-date", "2026-05-01", "--ftm-ref", "WY-FTM-REQ", "--requirement",
                   "Who owns the \"Blue Door\" salon?", "--requirement", "Cash kept in a back\\room\tsafe",
                   "--service", "intel_development", NULL);
    bid[strcspn(bid, "\n")] = 0;
    char *out = ok("wy-spoc", "--json", "search", "Blue Door", "--type", "tasking", NULL);
    if (!strstr(out, bid) || !strstr(out, "the \\\"[Blue] [Door]\\\" salon?")) /* JSON: the \"[Blue]... */
        fail_msg("the requirements as text in the snippet: %s", out);
    free(out);
    out = ok("wy-spoc", "--json", "search", "cash kept", "--type", "tasking", NULL);
    if (!strstr(out, "back\\\\room") || strstr(out, "back\\\\\\\\room")) /* one backslash, not two */
        fail_msg("the requirement's backslash as written: %s", out);
    free(out);
    out = ok("wy-spoc", "--json", "search", "safe", "--type", "tasking", NULL); /* after the tab */
    assert_non_null(strstr(out, bid));
    free(out);
    free(bid);
    free(threat);
}

/* Review 102 L9a: a tasking's own document is folded as an item's and an entity's: a threat
   title pasted in full-width letters, a summary with a ligature, are found typed plainly */
static void tasking_documents_are_folded(void **state)
{
    (void)state;
    char *threat = ok("wy-spoc", "threat", "add", "--title", "\xef\xbc\xb4\xef\xbd\x8f\xef\xbd\x8b"
                      "\xef\xbd\x99\xef\xbd\x8f nail bar", "--type", "labour", "--owner",
                      "west-yorkshire", "--sio", "wy-sio", "--force-tasking-ref", "WY-FOLD-1", NULL);
    threat[strcspn(threat, "\n")] = 0;
    char *bid = ok("wy-spoc", "tasking", "new", "--from-json", t_bid_assessment_file(), "--threat", threat, "--summary",
                   "The \xef\xac\x81nancier of the bars", "--ftm-date", "2026-05-01", "--ftm-ref",
                   "WY-FTM-FOLD", "--requirement", "Who pays", "--service", "intel_development", NULL);
    bid[strcspn(bid, "\n")] = 0;
    const char *const found[] = {"tokyo", "Tokyo nail", "\xef\xbc\xb4\xef\xbd\x8f\xef\xbd\x8b"
                                 "\xef\xbd\x99\xef\xbd\x8f", "financier"};
    expect_found("wy-spoc", "tasking", found, sizeof found / sizeof found[0], bid);
    /* the document's text is shown as written */
    char *out = ok("wy-spoc", "--json", "search", "tokyo", "--type", "tasking", NULL);
    assert_non_null(strstr(out, "\xef\xbd\x99\xef\xbd\x8f"));
    free(out);
    /* the threat's new title is its taskings' too: found by it, the old one no more (review
       103: the documents kept the title they were made with) */
    free(ok("wy-spoc", "threat", "update", threat, "--title", "Kyoto car wash", NULL));
    const char *const renamed[] = {"kyoto", "car wash"};
    expect_found("wy-spoc", "tasking", renamed, 2, bid);
    out = ok("wy-spoc", "--json", "search", "tokyo", "--type", "tasking", NULL);
    assert_null(strstr(out, bid));
    free(out);
    free(bid);
    free(threat);
}

static void clearance_hides_sources_above_it(void **state)
{
    (void)state;
    /* "12 High St Leeds" is only how the OFFICIAL-SENSITIVE local dataset writes it */
    char *out = ok("toex-analyst", "--json", "search", "12 High St", NULL);
    assert_non_null(strstr(out, "\"label\": \"12 High St Leeds, LS1 1AA\""));
    free(out);
    out = ok("toex-official", "--json", "search", "12 High St", NULL);
    assert_null(strstr(out, "ENT-"));
    free(out);
    /* Piotr Nowak of the national extract is Peter Nowak of the OFFICIAL-SENSITIVE local
       checks: one entity, found by the name only a reader cleared for that source sees */
    long long piotr = scalar("SELECT s.entity_id FROM entity_source s JOIN dataset_record r ON r.id = s.record_id"
                             " JOIN entity e ON e.id = s.entity_id WHERE e.type = 'person' AND r.rkey = 'N3'");
    long long peter = scalar("SELECT s.entity_id FROM entity_source s JOIN dataset_record r ON r.id = s.record_id"
                             " JOIN entity e ON e.id = s.entity_id WHERE e.type = 'person' AND r.rkey = 'L4'");
    assert_true(piotr > 0);
    assert_int_equal(peter, piotr);
    char *nowak = t_fmt("\"ref\": \"ENT-%06lld\"", piotr);
    out = ok("toex-analyst", "--json", "search", "Peter Nowak", "--type", "person", NULL);
    assert_non_null(strstr(out, nowak));
    free(out);
    out = ok("toex-official", "--json", "search", "Peter Nowak", "--type", "person", NULL);
    assert_null(strstr(out, nowak));
    free(out);
    out = ok("toex-official", "--json", "search", "Piotr Nowak", "--type", "person", NULL);
    assert_non_null(strstr(out, nowak));
    assert_non_null(strstr(out, "\"label\": \"Piotr Nowak\""));
    free(out);
    free(nowak);
    /* a person both see: the OFFICIAL reader is matched on OFFICIAL sources only */
    out = ok("toex-official", "--json", "search", "Jane Doe", "--type", "person", NULL);
    assert_non_null(strstr(out, "ENT-"));
    assert_null(strstr(out, "OFFICIAL-SENSITIVE"));
    free(out);
}

static void shown_results_are_logged_reads(void **state)
{
    (void)state;
    long long before = reads();
    char *out = ok("toex-analyst", "--json", "search", "John Smith", "--justification", "briefing", NULL);
    free(out);
    assert_int_equal(scalar("SELECT count(*) FROM read_log WHERE action = 'intel.consult' AND object_ref ="
                            " 'search' AND actor = 'toex-analyst' AND after_json LIKE '%briefing%' AND after_json"
                            " LIKE '%ENT-%'"), 1);
    assert_int_equal(reads(), before + 1);
    /* a search that shows nothing reads nothing */
    out = ok("toex-analyst", "--json", "search", "zzyzx", NULL);
    assert_non_null(strstr(out, "\"items\": []"));
    free(out);
    assert_int_equal(reads(), before + 1);
    /* a tasking shown is a tasking read */
    long long t0 = scalar("SELECT count(*) FROM read_log WHERE action = 'tasking.read' AND object_ref = 'search'"
                          " AND after_json LIKE '%" T1 "%'");
    free(ok("toex-analyst", "--json", "search", T1, "--type", "tasking", NULL));
    assert_int_equal(scalar("SELECT count(*) FROM read_log WHERE action = 'tasking.read' AND object_ref ="
                            " 'search' AND after_json LIKE '%" T1 "%'"), t0 + 1);
}

/* The position of ref in a search's answer (strstr offset), -1 when absent. */
static long position(const char *out, const char *ref)
{
    const char *p = strstr(out, ref);
    return p ? (long)(p - out) : -1;
}

/* The order of what a reader sees depends on those documents and the query only: thirty
   items another tasking holds, which the reader may not see, full of one of the words, do not
   move it (review 72: bm25 weighed words by the whole index, and they swapped two visible
   items, telling how common a name is elsewhere). */
static void hidden_documents_do_not_move_the_order(void **state)
{
    (void)state;
    /* two ranks apart: b is longer (the order is the ranks', not the items' numbers) */
    char *a = add_item("plinkor zentab zentab zentab");
    char *b = add_item("plinkor plinkor plinkor zentab and some further words of a longer note");
    char *before = search("toex-analyst", "plinkor zentab");
    long pa = position(before, a), pb = position(before, b);
    assert_true(pa >= 0 && pb >= 0);
    for (int i = 0; i < 30; i++) {
        char *text = t_fmt("zentab hidden note %d", i);
        free(ok("toex-analyst2", "intel", "add", T5, "--text", text, "--source", "CHIS", "--grade", "2B",
                "--handling", "P", NULL));
        free(text);
    }
    char *hidden = search("toex-analyst2", "zentab");
    assert_non_null(strstr(hidden, "hidden note"));
    free(hidden);
    char *after = search("toex-analyst", "plinkor zentab");
    assert_null(strstr(after, "hidden note"));
    assert_true(pa < pb); /* the shorter first */
    assert_int_equal(position(after, a) < position(after, b), pa < pb);
    free(before);
    free(after);
    free(a);
    free(b);
}

static void bad_searches_are_refused_and_change_nothing(void **state)
{
    (void)state;
    long long r0 = reads(), a0 = scalar("SELECT count(*) FROM audit");
    char big[260];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = 0;
    refused(EX_INVAL, "at most 200 bytes", "toex-analyst", "search", big, NULL);
    refused(EX_INVAL, "'\"' is not allowed", "toex-analyst", "search", "\"john\" OR smith", NULL);
    refused(EX_INVAL, "'*' is not allowed", "toex-analyst", "search", "smi*", NULL);
    refused(EX_INVAL, "':' is not allowed", "toex-analyst", "search", "label:smith", NULL);
    refused(EX_INVAL, "'^' is not allowed", "toex-analyst", "search", "^smith", NULL);
    refused(EX_INVAL, "nothing to search for", "toex-analyst", "search", "., - /", NULL);
    refused(EX_INVAL, "required", "toex-analyst", "search", "", NULL);
    refused(EX_INVAL, "at most 12 words", "toex-analyst", "search", "a b c d e f g h i j k l m", NULL);
    refused(EX_INVAL, "type", "toex-analyst", "search", "smith", "--type", "shoe", NULL);
    refused(EX_USAGE, "", "toex-analyst", "search", NULL);
    /* query words of the FTS language are words like any other */
    char *out = ok("toex-analyst", "--json", "search", "john OR NEAR smith", NULL);
    assert_non_null(strstr(out, "\"items\": []"));
    free(out);
    assert_int_equal(reads(), r0);
    assert_int_equal(scalar("SELECT count(*) FROM audit"), a0);
}

static void acknowledging_an_alert(void **state)
{
    (void)state;
    long long id = scalar("SELECT a.id FROM deconflict_alert a JOIN tasking t ON t.id = a.tasking_id WHERE t.ref = '"
                          T1 "' AND a.entity_type = 'phone'");
    char *ref = t_fmt("DCF-%06lld", id);
    long long a0 = scalar("SELECT count(*) FROM audit");
    /* not a recipient: as if it did not exist; nothing changes */
    refused(EX_NOTFOUND, "not found", "toex-sia2", "deconflict", "ack", ref, NULL);
    refused(EX_NOTFOUND, "not found", "toex-analyst", "deconflict", "ack", ref, NULL);
    assert_int_equal(scalar("SELECT count(*) FROM deconflict_alert WHERE acked_at IS NOT NULL"), 0);
    assert_int_equal(scalar("SELECT count(*) FROM audit"), a0);
    char *out = ok("wy-sio", "--json", "deconflict", "ack", ref, NULL);
    assert_non_null(strstr(out, "\"acknowledged_by\": \"wy-sio\""));
    free(out);
    assert_int_equal(scalar("SELECT count(*) FROM audit WHERE action = 'deconflict.ack'"), 1);
    refused(EX_CONFLICT, "already acknowledged", "toex-sia", "deconflict", "ack", ref, NULL);
    assert_int_equal(scalar("SELECT count(*) FROM audit WHERE action = 'deconflict.ack'"), 1);
    out = ok("toex-sia", "--json", "deconflict", "list", "--open", NULL);
    assert_null(strstr(out, ref));
    assert_non_null(strstr(out, "DCF-"));
    free(out);
    free(ref);
}

/* An identifier in more than five taskings says nothing: no alert. At five, an alert. */
static void widely_shared_identifiers_are_not_deconflicted(void **state)
{
    (void)state;
    /* the same number held by entities of four and then five other taskings */
    for (int t = 2; t <= 5; t++) {
        char *q = t_fmt("INSERT INTO entity(tasking_id, type, key, label, confidence, review_date, created_at,"
                        " updated_at) SELECT id, 'phone', '+441132000000', '0113 200 0000', 1, '2030-01-01', 1, 1"
                        " FROM tasking WHERE ref = 'TOEX-2026-%06d';"
                        "INSERT INTO entity(tasking_id, type, key, label, confidence, review_date, created_at,"
                        " updated_at) SELECT id, 'phone', '+441132000001', '0113 200 0001', 1, '2030-01-01', 1, 1"
                        " FROM tasking WHERE ref = 'TOEX-2026-%06d';", t, t);
        sql(q);
        free(q);
    }
    sql("INSERT INTO threat(ref, title, type, owner_id, sio_id, force_tasking_ref, marking, created_at, updated_at)"
        " VALUES ('SOC-900006', 'Threat 6', 'labour', " ID("agency", "code = 'met'") ", " ID("user", "name = 'met-sio'")
        ", 'MET-6', 'OFFICIAL', 1, 1);"
        "INSERT INTO tasking(ref, threat_id, state, requesting_agency_id, spoc_id, sio_id, sia_id, urgency, marking,"
        " bid_json, reached_toex, state_since, created_at, updated_at) VALUES ('TOEX-2026-000006', "
        ID("threat", "ref = 'SOC-900006'") ", 'closed', " ID("agency", "code = 'met'") ", "
        ID("user", "name = 'met-spoc'") ", " ID("user", "name = 'met-sio'") ", " ID("user", "name = 'toex-sia2'")
        ", 'routine', 'OFFICIAL', '{}', 1, 1, 1, 1);"
        "INSERT INTO entity(tasking_id, type, key, label, confidence, review_date, created_at, updated_at)"
        " SELECT id, 'phone', '+441132000001', '0113 200 0001', 1, '2030-01-01', 1, 1 FROM tasking"
        " WHERE ref = 'TOEX-2026-000006';");
    sql("INSERT INTO deconflict_key(tasking_id, entity_id, type, key) SELECT tasking_id, id, type, key FROM entity"
        " WHERE key IN ('+441132000000', '+441132000001')");
    long long before = scalar("SELECT count(*) FROM deconflict_alert");
    char *item = add_item("Two landlines");
    /* 0113 200 0000: T1 and four others, five taskings: alerts with each */
    free(ok("toex-analyst", "entity", "add", T1, "--type", "phone", "--label", "0113 200 0000", "--item",
            item, NULL));
    assert_int_equal(scalar("SELECT count(*) FROM deconflict_alert"), before + 8);
    /* 0113 200 0001: T1 and five others, six taskings: none */
    free(ok("toex-analyst", "entity", "add", T1, "--type", "phone", "--label", "(0113) 200-0001",
            "--item", item, NULL));
    assert_int_equal(scalar("SELECT count(*) FROM deconflict_alert"), before + 8);
    free(item);
}

/* The persons' comparison (pure). */
static void person_probability(void **state)
{
    (void)state;
    const char *a = "{\"names\":[\"john smith\"],\"dob\":[19800102],\"pnc\":[],\"ni\":[]}";
    assert_true(search_person_probability(a, a) >= 0.95);
    /* a nickname with the same date of birth */
    assert_true(search_person_probability(a, "{\"names\":[\"johnny smith\"],\"dob\":[19800102]}") >= 0.95);
    /* the name alone, or the date of birth alone, is not enough */
    assert_true(search_person_probability(a, "{\"names\":[\"john smith\"],\"dob\":[]}") < 0.95);
    assert_true(search_person_probability(a, "{\"names\":[\"ahmed khan\"],\"dob\":[19800102]}") < 0.95);
    /* a different date of birth outweighs the name */
    assert_true(search_person_probability(a, "{\"names\":[\"john smith\"],\"dob\":[19810102]}") < 0.05);
    /* a PNC id with the name */
    assert_true(search_person_probability("{\"names\":[\"john smith\"],\"pnc\":[\"0123456A\"]}",
                                          "{\"names\":[\"jon smith\"],\"pnc\":[\"0123456A\"]}") >= 0.95);
}

static void match_text_quotes_every_word(void **state)
{
    (void)state;
    char out[APP_SEARCH_MATCH_MAX];
    iom_error e = {0};
    assert_int_equal(search_build_match("Bob  O'Brien", out, sizeof out, &e), IOM_OK);
    /* the normalised words, or the words as typed (the back-end's tokenizer splits them as it
       split the documents: O'Brien is o, brien there) */
    assert_string_equal(out, "((\"bob\" OR \"robert\") AND \"obrien\") OR (\"Bob\" AND \"O'Brien\")");
    assert_int_equal(search_build_match("Straße", out, sizeof out, &e), IOM_OK);
    assert_string_equal(out, "(\"strasse\") OR (\"Straße\")");
    assert_int_equal(search_build_match("leeds", out, sizeof out, &e), IOM_OK);
    assert_string_equal(out, "(\"leeds\")"); /* typed as normalised: once */
    assert_int_equal(search_build_match("NOT near", out, sizeof out, &e), IOM_OK);
    assert_string_equal(out, "(\"not\" AND \"near\")");
    assert_int_equal(search_build_match("07700 900123", out, sizeof out, &e), IOM_OK);
    assert_non_null(strstr(out, "OR \"447700900123\" OR \"07700900123\""));
    assert_int_equal(search_build_match("x\"y", out, sizeof out, &e), IOM_EINVAL);
    assert_int_equal(search_build_match("a\tb", out, sizeof out, &e), IOM_EINVAL);
}

/* The snippet is made by the app from the document's text, the same on SQLite and PostgreSQL:
   PostgreSQL's ts_headline dropped a leading house number ("Victoria Street [Leeds]" for "6
   Victoria Street Leeds"), trailing punctuation, and marked no cut (an API review). */
static void snippets_keep_the_text(void **state)
{
    (void)state;
    iom_arena a;
    iom_arena_init(&a);
    assert_string_equal(search_snippet(&a, "6 Victoria Street Leeds, LS6 6AF", "leeds"),
                        "6 Victoria Street [Leeds], LS6 6AF");
    assert_string_equal(search_snippet(&a, "Victims say their passports are kept by a woman known as 'Auntie'.",
                                       "PASSPORTS"),
                        "Victims say their [passports] are kept by a woman known as 'Auntie'.");
    /* a cut at the end, and at the start when the match is further on: twelve words */
    assert_string_equal(search_snippet(&a, "one two three four five six seven eight nine ten eleven "
                                           "twelve thirteen fourteen", "two"),
                        "one [two] three four five six seven eight nine ten eleven twelve...");
    assert_string_equal(search_snippet(&a, "one two three four five six seven eight nine ten eleven "
                                           "twelve thirteen fourteen fifteen farm", "farm"),
                        "...five six seven eight nine ten eleven twelve thirteen fourteen fifteen [farm]");
    /* accents folded, several words, a nickname's formal name, a reference's parts */
    assert_string_equal(search_snippet(&a, "Seen with Robert Ó Briain at the café", "bob cafe"),
                        "Seen with [Robert] Ó Briain at the [café]");
    assert_string_equal(search_snippet(&a, "TOEX-2026-000013 SOC-000013 Recruitment agency", "2026"),
                        "TOEX-[2026]-000013 SOC-000013 Recruitment agency");
    /* the window with the most distinct search words wins over the first match */
    assert_string_equal(search_snippet(&a, "farm a b c d e f g h i j k l m n o p farm Huddersfield x",
                                       "farm huddersfield"),
                        "...h i j k l m n o p [farm] [Huddersfield] x");
    /* one match far into a long text: in the middle of its window, text on both sides */
    assert_string_equal(search_snippet(&a, "one two three four five six seven eight nine ten eleven "
                                           "twelve thirteen fourteen fifteen sixteen seventeen eighteen "
                                           "nineteen twenty Victoria a b c d e f g h i j k l m n",
                                       "victoria"),
                        "...fifteen sixteen seventeen eighteen nineteen twenty [Victoria] a b c d e...");
    /* words as the index reads them: an apostrophe inside a word joins it, a no-break space or
       a dash parts two (a review found all three unmarked, the window then at the start) */
    assert_string_equal(search_snippet(&a, "the driver was Michael O'Brien of Leeds", "O'Brien"),
                        "the driver was Michael [O'Brien] of Leeds");
    assert_string_equal(search_snippet(&a, "6\xC2\xA0Victoria Street", "victoria"),
                        "6\xC2\xA0[Victoria] Street");
    assert_string_equal(search_snippet(&a, "Smith\xE2\x80\x94Jones", "jones"),
                        "Smith\xE2\x80\x94[Jones]");
    assert_string_equal(search_snippet(&a, "bad \xFF text", "bad"), "");
    /* a word of kilobytes (a pasted blob) shows its start only: a snippet stays short */
    char *blob = malloc(10001);
    memset(blob, 'x', 10000);
    blob[10000] = '\0';
    memcpy(blob, "farm ", 5);
    const char *sn = search_snippet(&a, blob, "farm");
    assert_true(strlen(sn) < 200);
    assert_true(strncmp(sn, "[farm] xxxx", 11) == 0);
    free(blob);
    assert_string_equal(search_snippet(&a, NULL, "x"), "");
    assert_string_equal(search_snippet(&a, "...", "x"), "...");
    iom_arena_free(&a);
}

static void audit_chains_still_verify(void **state)
{
    (void)state;
    free(ok("auditor", "audit", "verify", NULL));
    free(ok("auditor", "audit", "verify", "--reads", NULL));
}

static int teardown(void **state)
{
    for (size_t i = 0; i < NPROBES; i++) {
        free(before_spoc[i]);
        free(before_sio[i]);
    }
    free(before_dl_spoc);
    free(before_dl_sio);
    return group_teardown(state);
}

/* Whether user's deconfliction list holds alert ref, marked `marking` (NULL: holds it not). */
static void alert_seen(const char *user, const char *ref, const char *marking)
{
    char *out = ok(user, "--json", "deconflict", "list", NULL);
    json_error_t je;
    json_t *all = json_loads(out, 0, &je), *it, *mine = NULL;
    assert_non_null(all);
    size_t i;
    json_array_foreach(json_object_get(all, "items"), i, it)
        if (!strcmp(json_string_value(json_object_get(it, "ref")), ref))
            mine = it;
    if (!marking)
        assert_null(mine);
    else
        assert_string_equal(json_string_value(json_object_get(mine, "marking")), marking);
    json_decref(all);
    free(out);
}

/* An alert is marked as the sources its match rests on, on both sides, and as the other
   tasking (it names its agency and SIA): review 51 told an OFFICIAL-cleared SIO, under
   OFFICIAL, that the Met held their man and his phone when only OFFICIAL-SENSITIVE records
   of the Met's did; or when only their own entity's hidden records made the match. */
static void alerts_rest_on_what_both_sides_may_read(void **state)
{
    (void)state;
    char *phone = t_fmt("DCF-%06lld", scalar("SELECT a.id FROM deconflict_alert a JOIN tasking t ON t.id ="
                                             " a.tasking_id WHERE t.ref = '" T1 "' AND a.entity_type = 'phone'"));
    char *person = t_fmt("DCF-%06lld", scalar("SELECT a.id FROM deconflict_alert a JOIN tasking t ON t.id ="
                                              " a.tasking_id WHERE t.ref = '" T1 "' AND a.entity_type = 'person'"));
    sql("UPDATE \"user\" SET clearance = 'OFFICIAL' WHERE name = 'wy-sio'");
    /* what the OFFICIAL records of both sides make: OFFICIAL (John Smith's local record, Jon
       Smith, is hidden from this SIO; his national one and the Met's make the match) */
    alert_seen("wy-sio", phone, "OFFICIAL");
    alert_seen("wy-sio", person, "OFFICIAL");
    alert_seen("toex-sia", person, "OFFICIAL-SENSITIVE"); /* sees the local record */
    /* an OFFICIAL alert gives the probability the OFFICIAL records make, not the one its
       hidden records raised it with (review 53: 1.0 told of a PNC id hidden records share) */
    char *pq = t_fmt("UPDATE deconflict_alert SET probability = 1.0 WHERE id = %lld", atoll(person + 4));
    sql(pq);
    free(pq);
    char *lo = ok("wy-sio", "--json", "deconflict", "list", NULL), *hi = ok("toex-sia", "--json", "deconflict", "list", NULL);
    json_t *lj0 = json_loads(lo, 0, NULL), *hj0 = json_loads(hi, 0, NULL), *it0;
    size_t i0;
    double plo = -1, phi = -1;
    json_array_foreach(json_object_get(lj0, "items"), i0, it0) if (!strcmp(json_string_value(json_object_get(it0, "ref")), person))
        plo = json_number_value(json_object_get(it0, "probability"));
    json_array_foreach(json_object_get(hj0, "items"), i0, it0) if (!strcmp(json_string_value(json_object_get(it0, "ref")), person))
        phi = json_number_value(json_object_get(it0, "probability"));
    assert_true(plo > 0.95 && plo < 1.0);
    assert_true(phi == 1.0);
    json_decref(lj0);
    json_decref(hj0);
    free(lo);
    free(hi);
    /* the Met's records above OFFICIAL: neither alert is this SIO's, the SIA's are marked so */
    sql("UPDATE dataset SET marking = 'OFFICIAL-SENSITIVE' WHERE tasking_id = (SELECT id FROM tasking WHERE ref = '"
        T5 "')");
    alert_seen("wy-sio", phone, NULL);
    alert_seen("wy-sio", person, NULL);
    alert_seen("toex-sia", phone, "OFFICIAL-SENSITIVE");
    refused(EX_NOTFOUND, "not found", "wy-sio", "deconflict", "ack", phone, NULL);
    sql("UPDATE dataset SET marking = 'OFFICIAL' WHERE tasking_id = (SELECT id FROM tasking WHERE ref = '" T5 "')");
    alert_seen("wy-sio", phone, "OFFICIAL");
    /* the Met's tasking above OFFICIAL: the same */
    sql("UPDATE tasking SET marking = 'OFFICIAL-SENSITIVE' WHERE ref = '" T5 "'");
    alert_seen("wy-sio", phone, NULL);
    alert_seen("toex-sia", phone, "OFFICIAL-SENSITIVE");
    sql("UPDATE tasking SET marking = 'OFFICIAL' WHERE ref = '" T5 "'");
    /* the match made by this side's hidden record only: without the national record's date
       of birth, the OFFICIAL name alone does not reach 0.95 */
    static const char nodob[] = "UPDATE dataset_record SET fields_json = replace(fields_json, '\"dob\":\"1980-01-02\"',"
                                " '\"dob\":\"\"') WHERE rkey = 'N1' AND dataset_id IN (SELECT d.id FROM dataset d JOIN"
                                " tasking t ON t.id = d.tasking_id WHERE t.ref = '" T1 "')";
    sql(nodob);
    assert_int_equal(scalar("SELECT count(*) FROM dataset_record WHERE rkey = 'N1' AND fields_json LIKE"
                            " '%\"dob\":\"\"%'"),
                     1);
    alert_seen("wy-sio", person, NULL);
    alert_seen("wy-sio", phone, "OFFICIAL");
    sql("UPDATE dataset_record SET fields_json = replace(fields_json, '\"dob\":\"\"', '\"dob\":\"1980-01-02\"')"
        " WHERE rkey = 'N1'");
    alert_seen("wy-sio", person, "OFFICIAL");
    sql("UPDATE \"user\" SET clearance = 'OFFICIAL-SENSITIVE' WHERE name = 'wy-sio'");
    /* the audit entry of the raise is shown to an auditor cleared for OFFICIAL when both
       taskings and the sources of its matches are OFFICIAL: it names them by reference, each
       match marked (review 50: internal numbers made every such entry withheld) */
    sql("UPDATE \"user\" SET clearance = 'OFFICIAL' WHERE name = 'auditor'");
    char *log = ok("auditor", "--json", "audit", "log", "--limit", "1000", NULL);
    json_t *lj = json_loads(log, 0, NULL);
    assert_non_null(lj);
    size_t i, raised = 0;
    json_t *en;
    json_array_foreach(json_object_get(lj, "items"), i, en)
    {
        if (strcmp(json_string_value(json_object_get(en, "action")), "deconflict.raise") != 0 || raised)
            continue; /* the first: the national dataset's import */
        json_t *after = json_object_get(en, "after");
        assert_null(json_object_get(after, "withheld"));
        assert_string_equal(json_string_value(json_object_get(after, "tasking")), T1);
        json_t *m0 = json_array_get(json_object_get(after, "matches"), 0);
        assert_string_equal(json_string_value(json_object_get(m0, "other_tasking")), T5);
        assert_string_equal(json_string_value(json_object_get(m0, "marking")), "OFFICIAL");
        assert_true(strncmp(json_string_value(json_object_get(m0, "entity")), "ENT-", 4) == 0);
        raised++;
    }
    assert_int_equal(raised, 1);
    json_decref(lj);
    free(log);
    sql("UPDATE \"user\" SET clearance = 'OFFICIAL-SENSITIVE' WHERE name = 'auditor'");
    free(phone);
    free(person);
}

/* An alert about an entity only sources above the recipient's clearance support is not theirs
   (it told an OFFICIAL-cleared SIO that a hidden entity exists and matches another agency's
   tasking). Last: it lowers a clearance and raises the datasets' markings. */
static void alerts_follow_the_entitys_marking(void **state)
{
    (void)state;
    char *sio = t_fmt("%lld", scalar("SELECT th.sio_id FROM tasking t JOIN threat th ON th.id = t.threat_id"
                                     " WHERE t.ref = '" T1 "'"));
    char *q = t_fmt("SELECT name FROM user WHERE id = %s", sio);
    char *name = t_db_text(F->db, q);
    free(q);
    char *dcf = t_fmt("DCF-%06lld", scalar("SELECT a.id FROM deconflict_alert a JOIN tasking t ON"
                                           " t.id = a.tasking_id WHERE t.ref = '" T1 "' AND"
                                           " a.entity_type = 'phone'"));
    char *out = ok(name, "--json", "deconflict", "list", NULL);
    assert_non_null(strstr(out, dcf));
    free(out);
    sql("UPDATE dataset SET marking = 'OFFICIAL-SENSITIVE' WHERE tasking_id = (SELECT id FROM tasking"
        " WHERE ref = '" T1 "')");
    /* still cleared: the alert is marked as the entity is, above its OFFICIAL tasking (it was
       marked as the tasking: review 39) */
    assert_int_equal(scalar("SELECT count(*) FROM tasking WHERE ref = '" T1 "' AND marking = 'OFFICIAL'"), 1);
    out = ok(name, "--json", "deconflict", "list", NULL);
    json_error_t je;
    json_t *all = json_loads(out, 0, &je);
    assert_non_null(all);
    size_t i;
    json_t *it, *mine = NULL;
    json_array_foreach(json_object_get(all, "items"), i, it)
        if (!strcmp(json_string_value(json_object_get(it, "ref")), dcf))
            mine = it;
    assert_non_null(mine);
    assert_string_equal(json_string_value(json_object_get(mine, "marking")), "OFFICIAL-SENSITIVE");
    json_decref(all);
    free(out);
    q = t_fmt("UPDATE user SET clearance = 'OFFICIAL' WHERE id = %s", sio);
    sql(q);
    free(q);
    out = ok(name, "--json", "deconflict", "list", NULL);
    assert_null(strstr(out, dcf));
    free(out);
    refused(EX_NOTFOUND, "not found", name, "deconflict", "ack", dcf, NULL);
    free(dcf);
    free(name);
    free(sio);
}

/* A crowd: hundreds of persons of each of two taskings born on one day (review 47: the pairs
   of a date of birth were compared all with all, and looked up once per person). Only those
   with the same name, or a nickname and the same surname, match; a PNC id more than five
   persons of one tasking hold is a placeholder, not an identifier. */
static void a_crowd_of_one_date_of_birth(void **state)
{
    (void)state;
    static const char *const syl[] = {"ka", "lo", "mi", "ne", "ro", "su", "ta", "vi", "ze", "bo",
                                      "da", "fe", "gu", "hi", "jo", "pe", "qu", "wy", "xa", "yo"};
    char *f5 = t_fmt("%s/crowd5.csv", F->dir), *f1 = t_fmt("%s/crowd1.csv", F->dir);
    FILE *o5 = fopen(f5, "w"), *o1 = fopen(f1, "w");
    assert_non_null(o5);
    assert_non_null(o1);
    fputs("id,forename,surname,dob,pnc\n", o5);
    fputs("id,forename,surname,dob,pnc\n", o1);
    for (int i = 0; i < 400; i++) {
        const char *a = syl[i % 20], *b = syl[(i / 20) % 20], *c = syl[(i * 7 + 3) % 20];
        fprintf(o5, "C5-%d,%s%s%s,%s%swick,1975-03-04,\n", i, a, c, b, b, a);
        fprintf(o1, "C1-%d,%s%s%s,%s%sborough,1975-03-04,\n", i, c, a, b, a, b);
    }
    fputs("C5-A,Robert,Quinnell,1975-03-04,\nC5-B,Mary,Ostrowska,1975-03-04,\nC5-C,John,Smythe,1975-03-04,\n", o5);
    fputs("C1-A,Bob,Quinnell,1975-03-04,\nC1-B,Mary,Ostrowska,1975-03-04,\nC1-C,Jon,Smythe,1975-03-04,\n"
          "C1-D,Paul,Tester,,ZZ999999Z\nC1-E,Peter,Tester,,ZZ888888Z\n",
          o1);
    assert_int_equal(fclose(o5), 0);
    assert_int_equal(fclose(o1), 0);
#define CROWD_FIELDS "--field", "id=id", "--field", "first_name=forename", "--field", "surname=surname", "--field", \
                     "dob=dob", "--field", "pnc_id=pnc"
    free(ok("toex-analyst2", "dataset", "import", T5, f5, "--name", "Crowd", "--level", "local", "--grade", "2B",
            "--handling", "P", CROWD_FIELDS, NULL));
    /* two PNC ids of T5's persons, one held by six of them (a placeholder), one by five */
    for (int i = 0; i < 11; i++) {
        char *q = t_fmt("INSERT INTO deconflict_key(tasking_id, entity_id, type, key, features) SELECT t.id, e.id,"
                        " 'person', 'pnc:%s', '{\"names\":[\"%s tester\"],\"dob\":[],\"pnc\":[\"%s\"],\"ni\":[]}'"
                        " FROM tasking t JOIN entity e ON e.tasking_id = t.id AND e.type = 'person'"
                        " WHERE t.ref = '" T5 "' ORDER BY e.id LIMIT 1 OFFSET %d",
                        i < 6 ? "ZZ999999Z" : "ZZ888888Z", i < 6 ? "paul" : "peter", i < 6 ? "ZZ999999Z" : "ZZ888888Z",
                        i);
        sql(q);
        free(q);
    }
    /* and a person of T2 with the PNC id six of T5's hold: T5's placeholder, not T2's, so
       T1's Paul Tester matches T2's (review 50: six of one tasking silenced everyone's) */
    sql("INSERT INTO entity(tasking_id, type, label, confidence, review_date, created_at, updated_at) SELECT id,"
        " 'person', 'Paul Tester', 1, '2030-01-01', 1, 1 FROM tasking WHERE ref = 'TOEX-2026-000002';"
        "INSERT INTO deconflict_key(tasking_id, entity_id, type, key, features) SELECT tasking_id, id, 'person',"
        " 'pnc:ZZ999999Z', '{\"names\":[\"paul tester\"],\"dob\":[],\"pnc\":[\"ZZ999999Z\"],\"ni\":[]}' FROM"
        " entity WHERE label = 'Paul Tester' AND tasking_id = (SELECT id FROM tasking WHERE ref ="
        " 'TOEX-2026-000002')");
    long long before = scalar("SELECT count(*) FROM deconflict_alert WHERE entity_type = 'person'");
    free(ok("toex-analyst", "dataset", "import", T1, f1, "--name", "Crowd", "--level", "local", "--grade", "2B",
            "--handling", "P", CROWD_FIELDS, NULL));
#undef CROWD_FIELDS
    /* Quinnell (nickname) and Ostrowska (same name): an alert each side; Smythe (similar) and
       the 800 others of that day: none; Paul Tester's PNC id: none with T5, which holds it six
       times, one with T2's Paul Tester; Peter Tester's: five persons, an alert each side */
    assert_int_equal(scalar("SELECT count(*) FROM deconflict_alert WHERE entity_type = 'person'"), before + 16);
    const char *const pairs[][2] = {{"Bob Quinnell", "Robert Quinnell"}, {"Mary Ostrowska", "Mary Ostrowska"}};
    for (size_t i = 0; i < 2; i++) {
        char *q = t_fmt("SELECT count(*) FROM deconflict_alert a JOIN entity e ON e.id = a.entity_id JOIN entity o"
                        " ON o.id = a.other_entity_id WHERE (e.label = '%s' AND o.label = '%s') OR (e.label = '%s'"
                        " AND o.label = '%s')",
                        pairs[i][0], pairs[i][1], pairs[i][1], pairs[i][0]);
        assert_int_equal(scalar(q), 2);
        free(q);
    }
    assert_int_equal(scalar("SELECT count(*) FROM deconflict_alert a JOIN entity e ON e.id = a.entity_id WHERE"
                            " e.label IN ('Jon Smythe', 'John Smythe')"),
                     0);
    assert_int_equal(scalar("SELECT count(*) FROM deconflict_alert a JOIN entity e ON e.id = a.entity_id JOIN"
                            " tasking t ON t.id = a.other_tasking_id WHERE e.label = 'Paul Tester'"
                            " AND t.ref IN ('" T1 "', 'TOEX-2026-000002')"),
                     2);
    assert_int_equal(scalar("SELECT count(*) FROM deconflict_alert a JOIN entity e ON e.id = a.entity_id JOIN"
                            " tasking t ON t.id = a.other_tasking_id WHERE e.label = 'Paul Tester'"
                            " AND t.ref = '" T5 "'"),
                     0);
    assert_int_equal(scalar("SELECT count(*) FROM deconflict_alert a JOIN entity e ON e.id = a.entity_id WHERE"
                            " e.label = 'Peter Tester'"),
                     5);
    /* T5's crowd removed: its persons are gone, and so are the alerts naming them, on both
       sides, in one audited withdrawal (review 56: both agencies kept alerts naming deleted
       entities) */
    char *ds = t_fmt("DS-%06lld", scalar("SELECT d.id FROM dataset d JOIN tasking t ON t.id = d.tasking_id WHERE"
                                         " t.ref = '" T5 "' AND d.name = 'Crowd'"));
    long long w0 = scalar("SELECT count(*) FROM audit WHERE action = 'deconflict.withdraw'");
    free(ok("toex-analyst2", "dataset", "remove", ds, "--reason", "imported to the wrong tasking", NULL));
    free(ds);
    assert_int_equal(scalar("SELECT count(*) FROM deconflict_alert a WHERE NOT EXISTS (SELECT 1 FROM entity e WHERE"
                            " e.id = a.entity_id) OR NOT EXISTS (SELECT 1 FROM entity e WHERE e.id = a.other_entity_id)"),
                     0);
    assert_int_equal(scalar("SELECT count(*) FROM deconflict_alert a JOIN entity e ON e.id = a.entity_id WHERE"
                            " e.label IN ('Bob Quinnell', 'Robert Quinnell', 'Peter Tester')"),
                     0);
    assert_int_equal(scalar("SELECT count(*) FROM audit WHERE action = 'deconflict.withdraw'"), w0 + 1);
    /* each withdrawn alert with the tasking on its other side: the entry is marked as both are
       (review 62) */
    assert_int_equal(scalar("SELECT count(*) FROM audit WHERE action = 'deconflict.withdraw' AND after_json LIKE"
                            " '%\"other_tasking\":\"TOEX-%'"),
                     1);
    free(f5);
    free(f1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(snippets_keep_the_text),
        cmocka_unit_test(other_region_first),
        cmocka_unit_test(west_yorkshire_imports_raise_alerts),
        cmocka_unit_test(alerts_name_only_the_point_of_contact),
        cmocka_unit_test(another_region_learns_nothing_else),
        cmocka_unit_test(search_finds_names_numbers_marks_and_postcodes),
        cmocka_unit_test(intelligence_items_are_indexed_with_their_text),
        cmocka_unit_test(words_are_found_as_typed),
        cmocka_unit_test(clearance_hides_sources_above_it),
        cmocka_unit_test(hidden_documents_do_not_move_the_order),
        cmocka_unit_test(shown_results_are_logged_reads),
        cmocka_unit_test(bad_searches_are_refused_and_change_nothing),
        cmocka_unit_test(acknowledging_an_alert),
        cmocka_unit_test(widely_shared_identifiers_are_not_deconflicted),
        cmocka_unit_test(person_probability),
        cmocka_unit_test(match_text_quotes_every_word),
        cmocka_unit_test(audit_chains_still_verify),
        cmocka_unit_test(alerts_rest_on_what_both_sides_may_read),
        cmocka_unit_test(alerts_follow_the_entitys_marking),
        cmocka_unit_test(requirements_are_indexed_as_text),
        cmocka_unit_test(tasking_documents_are_folded),
        cmocka_unit_test(a_crowd_of_one_date_of_birth),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
