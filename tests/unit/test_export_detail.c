/*
 * What an i2 analyst needs in the picture's exports (review 87 M3; docs/export.md "What the
 * exports carry of transactions, calls and people"), for what the reader may see only:
 *   - the `pays` and `contacts` links carry what the transactions and call records the reader
 *     may see say of them (transactions and amount per currency; calls, SMS, seconds), as
 *     typed attributes in every format (ANX AttNumber classes, GraphML doubles, JSON numbers);
 *   - every ANX Card (one per source) carries that source's own 3x5x2 grade indices and date;
 *   - a person carries its identifiers (date of birth, sex, PNC id, NI number) from the records
 *     among its sources the reader is cleared for;
 *   - with --detail transactions/calls, each transaction and call record is a dated link of
 *     its own (ANX DateTime with the time: ANB's financial and telephony charts, timeline).
 * A reader cleared OFFICIAL gets nothing of the OFFICIAL-SENSITIVE statement, call records or
 * covert dataset in any format (the hidden values are searched for in the files), and the
 * export is marked OFFICIAL.
 * Fixtures: hand-made files written by the test (a county-lines picture like review 87's).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testutil.h"
#include <igraph/igraph.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <sys/stat.h>

#include "test_work_fixture.h"

#define BRADY_ACC "112233-11111111"
#define MASON_ACC "112233-22222222"
#define COVERT_COND "Not to be disclosed outside YHROCU; source protection"

/* What only the OFFICIAL-SENSITIVE material holds: none of it may reach an OFFICIAL reader. */
static const char *const hidden[] = {
    "OFFICIAL-SENSITIVE", "YHROCU", "Oakes", "900099", "9900", "19400", "GB29NWBK60161331926819",
    "7000.00", "Secret", "ZZ999999Z", "1985-07-07", NULL,
};

static char *path_of(const char *name) { return t_fmt("%s/%s", F->dir, name); }

static void write_file(const char *name, const char *text)
{
    char *p = path_of(name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    free(p);
}

static void setup_picture(void **state)
{
    (void)state;
    write_file("people.csv", "id,first,last,dob,sex,pnc,phone,sort_code,account,date\n"
                             "P1,Darren,Brady,1990-04-01,M,12/345678A,07700 900001,11-22-33,11111111,2026-08-01\n"
                             "P2,Kyle,Mason,1992-05-02,M,13/111111B,07700 900002,11-22-33,22222222,2026-08-01\n");
    write_file("covert.csv", "id,first,last,dob,ni,phone,address,date\n"
                             "C1,Darren,Brady,1990-04-01,ZZ999999Z,07700 900099,77 Secret Lane,2026-08-03\n"
                             "C2,Liam,Oakes,1985-07-07,,07700 900099,77 Secret Lane,2026-08-03\n");
    write_file("fin1.csv", "date,from,to,amount,currency,reference\n"
                           "2026-08-12T10:30:00Z,11-22-33 11111111,11-22-33 22222222,9500.00,GBP,rent\n"
                           "2026-08-13T09:00:00Z,11-22-33 22222222,11-22-33 11111111,1500.00,GBP,\n");
    write_file("fin2.csv", "date,from,to,amount,currency,reference\n"
                           "2026-08-20T12:00:00Z,11-22-33 11111111,11-22-33 22222222,9900.00,GBP,covert\n"
                           "2026-08-21T12:00:00Z,11-22-33 11111111,GB29NWBK60161331926819,7000.00,GBP,\n");
    write_file("cdr1.csv", "caller,callee,start,duration,type\n"
                           "07700 900001,07700 900002,2026-08-12T08:00:00Z,200,call\n"
                           "07700 900002,07700 900001,2026-08-12T09:00:00Z,,sms\n");
    write_file("cdr2.csv", "caller,callee,start,duration,type\n"
                           "07700 900001,07700 900002,2026-08-14T08:00:00Z,77,call\n"
                           "07700 900099,07700 900001,2026-08-14T09:00:00Z,31,call\n");
    char *p = path_of("people.csv");
    free(ok("toex-analyst", "dataset", "import", T1, p, "--name", "Force RMS nominals", "--level", "local", "--grade",
            "2B", "--handling", "P", "--field", "id=id", "--field", "first_name=first", "--field", "surname=last",
            "--field", "dob=dob", "--field", "sex=sex", "--field", "pnc_id=pnc", "--field", "phone=phone", "--field",
            "sort_code=sort_code", "--field", "account=account", "--field", "date=date", NULL));
    free(p);
    p = path_of("covert.csv");
    free(ok("toex-analyst", "dataset", "import", T1, p, "--name", "CHIS product", "--level", "regional", "--grade",
            "2C", "--handling", "C", "--conditions", COVERT_COND, "--marking", "OFFICIAL-SENSITIVE", "--field",
            "id=id", "--field", "first_name=first", "--field", "surname=last", "--field", "dob=dob", "--field",
            "ni_number=ni", "--field", "phone=phone", "--field", "address=address", "--field", "date=date", NULL));
    free(p);
    const char *imports[][3] = {{"finance", "fin1.csv", "OFFICIAL"},
                                {"finance", "fin2.csv", "OFFICIAL-SENSITIVE"},
                                {"comms", "cdr1.csv", "OFFICIAL"},
                                {"comms", "cdr2.csv", "OFFICIAL-SENSITIVE"}};
    for (int i = 0; i < 4; i++) {
        p = path_of(imports[i][1]);
        free(ok("toex-analyst", imports[i][0], "import", "--tasking", T1, p, "--marking", imports[i][2], NULL));
        free(p);
    }
}

/* Exports as user in format (extra arguments before the NULL); returns the file's text. */
static char *export_as(const char *user, const char *format, const char *name, ...)
{
    char *out = path_of(name);
    unlink(out);
    const char *argv[40];
    int n = 0;
    argv[n++] = "--db";
    argv[n++] = F->db;
    argv[n++] = "--as";
    argv[n++] = user;
    argv[n++] = "export";
    argv[n++] = format;
    argv[n++] = T1;
    argv[n++] = "--out";
    argv[n++] = out;
    argv[n++] = "--recipient";
    argv[n++] = "CPS";
    va_list ap;
    va_start(ap, name);
    const char *a;
    while ((a = va_arg(ap, const char *)) && n < 39)
        argv[n++] = a;
    va_end(ap);
    argv[n] = NULL;
    t_result r = t_run(NULL, argv);
    if (r.status != 0)
        fprintf(stderr, "export failed (%d): %s%s\n", r.status, r.out, r.err);
    assert_int_equal(r.status, 0);
    t_result_free(&r);
    size_t len;
    char *text = t_slurp(out, &len);
    free(out);
    return text;
}

static char *ent_ref(const char *type, const char *key)
{
    char *q = t_fmt("SELECT id FROM entity WHERE type = '%s' AND key = '%s'", type, key);
    long long id = scalar(q);
    free(q);
    assert_true(id > 0);
    return t_fmt("ENT-%06lld", id);
}

/* The JSON export's link of type from a to b (contacts: either way). */
static json_t *json_link(json_t *doc, const char *type, const char *a, const char *b)
{
    bool either = strcmp(type, "contacts") == 0;
    size_t i;
    json_t *l, *found = NULL;
    json_array_foreach(json_object_get(doc, "links"), i, l) {
        const char *e1 = json_string_value(json_object_get(l, "end1")),
                   *e2 = json_string_value(json_object_get(l, "end2"));
        if (strcmp(json_string_value(json_object_get(l, "type")), type) == 0 &&
            ((strcmp(e1, a) == 0 && strcmp(e2, b) == 0) || (either && strcmp(e1, b) == 0 && strcmp(e2, a) == 0))) {
            assert_null(found);
            found = l;
        }
    }
    if (!found)
        fail_msg("no %s link between %s and %s in the export", type, a, b);
    return found;
}

static double attr_num(json_t *link, const char *key)
{
    json_t *v = json_object_get(json_object_get(link, "attributes"), key);
    if (!json_is_number(v))
        fail_msg("attribute %s: not a JSON number", key);
    return json_number_value(v);
}

static void assert_nothing_hidden(const char *what, const char *text)
{
    for (int i = 0; hidden[i]; i++)
        if (strstr(text, hidden[i]))
            fail_msg("%s: the OFFICIAL reader's export holds '%s'", what, hidden[i]);
}

/* 1. The pays and contacts links carry what the rows the reader may see say of them. */
static void link_attributes_from_visible_rows(void **state)
{
    (void)state;
    char *brady = ent_ref("account", BRADY_ACC), *mason = ent_ref("account", MASON_ACC);
    char *ph1 = ent_ref("phone", "+447700900001"), *ph2 = ent_ref("phone", "+447700900002");
    const char *users[2] = {"toex-official", "toex-analyst"};
    for (int u = 0; u < 2; u++) {
        bool all = u == 1;
        char *text = export_as(users[u], "json", "links.json", NULL);
        json_t *doc = json_loads(text, 0, NULL);
        assert_non_null(doc);
        json_t *pays = json_link(doc, "pays", brady, mason);
        assert_string_equal(json_string_value(json_object_get(pays, "end1")), brady); /* direction kept */
        assert_true(attr_num(pays, "transactions") == (all ? 2 : 1));
        assert_true(attr_num(pays, "amount_GBP") == (all ? 19400.0 : 9500.0));
        assert_non_null(strstr(text, all ? "\"amount_GBP\":19400.00" : "\"amount_GBP\":9500.00"));
        json_t *back = json_link(doc, "pays", mason, brady);
        assert_string_equal(json_string_value(json_object_get(back, "end1")), mason);
        assert_true(attr_num(back, "transactions") == 1);
        assert_true(attr_num(back, "amount_GBP") == 1500.0);
        json_t *con = json_link(doc, "contacts", ph1, ph2);
        assert_true(attr_num(con, "calls") == (all ? 2 : 1));
        assert_true(attr_num(con, "sms") == 1);
        assert_true(attr_num(con, "seconds") == (all ? 277 : 200));
        /* a link no row concerns carries none */
        size_t i;
        json_t *l;
        json_array_foreach(json_object_get(doc, "links"), i, l)
            if (strcmp(json_string_value(json_object_get(l, "type")), "uses_phone") == 0)
                assert_int_equal(json_object_size(json_object_get(l, "attributes")), 0);
        json_decref(doc);
        if (!all)
            assert_nothing_hidden("json", text);
        free(text);

        /* ANX: numbers as AttNumber attribute classes, the link's own values */
        text = export_as(users[u], "anx", "links.anx", NULL);
        xmlDocPtr x = xmlReadMemory(text, (int)strlen(text), "links.anx", NULL, XML_PARSE_NONET);
        assert_non_null(x);
        xmlXPathContextPtr xp = xmlXPathNewContext(x);
        const char *checks[] = {"count(//AttributeClass[@Name='amount_GBP' and @Type='AttNumber'])",
                                "count(//AttributeClass[@Name='transactions' and @Type='AttNumber'])",
                                "count(//AttributeClass[@Name='seconds' and @Type='AttNumber'])", NULL};
        for (int k = 0; checks[k]; k++) {
            xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST checks[k], xp);
            assert_true(o->floatval == 1);
            xmlXPathFreeObject(o);
        }
        char *expr = t_fmt("count(//ChartItem[Link/@End1Id='%s' and Link/@End2Id='%s']/AttributeCollection/"
                           "Attribute[@AttributeClass='amount_GBP' and @Value='%s'])",
                           brady, mason, all ? "19400.00" : "9500.00");
        xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, xp);
        assert_true(o->floatval == 1);
        xmlXPathFreeObject(o);
        free(expr);
        xmlXPathFreeContext(xp);
        xmlFreeDoc(x);
        if (!all)
            assert_nothing_hidden("anx", text);
        free(text);

        /* GraphML: a double key igraph reads as a number */
        text = export_as(users[u], "graphml", "links.graphml", NULL);
        if (!all)
            assert_nothing_hidden("graphml", text);
        FILE *f = fmemopen(text, strlen(text), "r");
        igraph_set_attribute_table(&igraph_cattribute_table);
        igraph_t g;
        assert_int_equal(igraph_read_graph_graphml(&g, f, 0), IGRAPH_SUCCESS);
        fclose(f);
        bool seen = false;
        for (igraph_integer_t e = 0; e < igraph_ecount(&g); e++) {
            igraph_integer_t from, to;
            igraph_edge(&g, e, &from, &to);
            if (strcmp(EAS(&g, "type", e), "pays") == 0 && strcmp(VAS(&g, "id", from), brady) == 0 &&
                strcmp(VAS(&g, "id", to), mason) == 0) {
                assert_true(EAN(&g, "amount_GBP", e) == (all ? 19400.0 : 9500.0));
                assert_true(EAN(&g, "transactions", e) == (all ? 2 : 1));
                seen = true;
            }
        }
        assert_true(seen);
        igraph_destroy(&g);
        free(text);

        text = export_as(users[u], "csv", "links.csv", NULL);
        assert_non_null(strstr(text, all ? "\"\"amount_GBP\"\":19400.00" : "\"\"amount_GBP\"\":9500.00"));
        if (!all)
            assert_nothing_hidden("csv", text);
        free(text);
    }
    free(brady), free(mason), free(ph1), free(ph2);
}

/* 4. Each ANX Card carries its own source's grade indices and date; the OFFICIAL reader's
   cards are those of OFFICIAL sources only. */
static void cards_carry_their_own_grade(void **state)
{
    (void)state;
    const char *users[2] = {"toex-official", "toex-analyst"};
    for (int u = 0; u < 2; u++) {
        bool all = u == 1;
        char *text = export_as(users[u], "anx", "cards.anx", NULL);
        xmlDocPtr x = xmlReadMemory(text, (int)strlen(text), "cards.anx", NULL, XML_PARSE_NONET);
        assert_non_null(x);
        xmlXPathContextPtr xp = xmlXPathNewContext(x);
        /* the people dataset's records (2B P, dated 2026-08-01) on Darren Brady */
        xmlXPathObjectPtr o = xmlXPathEvalExpression(
            BAD_CAST "count(//ChartItem[@Label='Darren Brady']//Card[@SourceType='Dataset record' and "
                     "@GradeOneIndex='1' and @GradeTwoIndex='1' and @GradeThreeIndex='0' and "
                     "@DateTime='2026-08-01T00:00:00.000' and @Text='Grade 2B P'])",
            xp);
        assert_true(o->floatval == 1);
        xmlXPathFreeObject(o);
        /* the covert record (2C C) only for the cleared reader, with its conditions */
        o = xmlXPathEvalExpression(BAD_CAST "count(//Card[@GradeTwoIndex='2' and @GradeThreeIndex='1'])", xp);
        if (all)
            assert_true(o->floatval >= 1);
        else
            assert_true(o->floatval == 0);
        xmlXPathFreeObject(o);
        /* an import's card: its grade (1A P by default) and the first date it saw the link */
        o = xmlXPathEvalExpression(
            BAD_CAST "count(//ChartItem[Link]//Card[@GradeOneIndex='0' and @GradeTwoIndex='0' and "
                     "@DateTime='2026-08-12T00:00:00.000'])",
            xp);
        assert_true(o->floatval >= 1);
        xmlXPathFreeObject(o);
        /* every card's indices point into the chart's grade collections */
        o = xmlXPathEvalExpression(BAD_CAST "//Card", xp);
        assert_true(o->nodesetval && o->nodesetval->nodeNr > 0);
        for (int i = 0; i < o->nodesetval->nodeNr; i++) {
            xmlChar *g1 = xmlGetProp(o->nodesetval->nodeTab[i], BAD_CAST "GradeOneIndex");
            xmlChar *g2 = xmlGetProp(o->nodesetval->nodeTab[i], BAD_CAST "GradeTwoIndex");
            xmlChar *g3 = xmlGetProp(o->nodesetval->nodeTab[i], BAD_CAST "GradeThreeIndex");
            assert_non_null(g1), assert_non_null(g2), assert_non_null(g3);
            assert_true(atoi((char *)g1) >= 0 && atoi((char *)g1) < 3);
            assert_true(atoi((char *)g2) >= 0 && atoi((char *)g2) < 5);
            assert_true(atoi((char *)g3) >= 0 && atoi((char *)g3) < 2);
            xmlFree(g1), xmlFree(g2), xmlFree(g3);
        }
        xmlXPathFreeObject(o);
        xmlXPathFreeContext(xp);
        xmlFreeDoc(x);
        if (!all)
            assert_nothing_hidden("anx", text);
        else
            assert_non_null(strstr(text, COVERT_COND));
        free(text);
        /* the same grades and dates on the sources of the JSON export */
        text = export_as(users[u], "json", "cards.json", NULL);
        assert_non_null(strstr(text, "\"grade\":\"2B P\",\"seen\":\"2026-08-01\""));
        if (!all)
            assert_nothing_hidden("json", text);
        free(text);
    }
}

/* The JSON export's entity labelled label with attribute key = want (NULL: any or none);
   how many there are. */
static int persons_with(json_t *doc, const char *label, const char *key, const char *want)
{
    size_t i;
    json_t *e;
    int n = 0;
    json_array_foreach(json_object_get(doc, "entities"), i, e) {
        if (strcmp(json_string_value(json_object_get(e, "label")), label) != 0)
            continue;
        const char *v = json_string_value(json_object_get(json_object_get(e, "attributes"), key));
        if (want ? v && strcmp(v, want) == 0 : v == NULL)
            n++;
    }
    return n;
}

/* 3. A person's identifiers (date of birth, sex, PNC id, NI number) from the records among its
   sources the reader is cleared for, in every format. */
static void person_identifiers_as_cleared(void **state)
{
    (void)state;
    char *text = export_as("toex-official", "json", "ids.json", NULL);
    json_t *doc = json_loads(text, 0, NULL);
    assert_non_null(doc);
    assert_int_equal(persons_with(doc, "Darren Brady", "date_of_birth", "1990-04-01"), 1);
    assert_int_equal(persons_with(doc, "Darren Brady", "sex", "M"), 1);
    assert_int_equal(persons_with(doc, "Darren Brady", "pnc_id", "12/345678A"), 1);
    assert_int_equal(persons_with(doc, "Darren Brady", "ni_number", NULL), 1);
    assert_int_equal(persons_with(doc, "Kyle Mason", "pnc_id", "13/111111B"), 1);
    json_decref(doc);
    assert_nothing_hidden("json", text);
    free(text);
    const char *fmts[][2] = {{"anx", "ids.anx"}, {"graphml", "ids.graphml"}, {"csv", "ids.csv"}};
    for (int i = 0; i < 3; i++) {
        text = export_as("toex-official", fmts[i][0], fmts[i][1], NULL);
        assert_non_null(strstr(text, "12/345678A"));
        assert_non_null(strstr(text, "1990-04-01"));
        assert_nothing_hidden(fmts[i][0], text);
        free(text);
    }
    text = export_as("toex-official", "anx", "ids.anx", NULL);
    assert_non_null(strstr(text, "AttributeClass=\"date_of_birth\""));
    assert_non_null(strstr(text, "AttributeClass=\"pnc_id\""));
    free(text);
    /* the cleared reader also gets what the covert record says: its NI number, on Darren
       Brady; Liam Oakes with his date of birth */
    text = export_as("toex-analyst", "json", "ids-all.json", NULL);
    doc = json_loads(text, 0, NULL);
    assert_non_null(doc);
    assert_int_equal(persons_with(doc, "Darren Brady", "ni_number", "ZZ999999Z"), 1);
    assert_int_equal(persons_with(doc, "Liam Oakes", "date_of_birth", "1985-07-07"), 1);
    json_decref(doc);
    free(text);
}

static int count_links(json_t *doc, const char *type)
{
    size_t i;
    json_t *l;
    int n = 0;
    json_array_foreach(json_object_get(doc, "links"), i, l)
        n += strcmp(json_string_value(json_object_get(l, "type")), type) == 0;
    return n;
}

static double xpath_num(const char *text, const char *expr)
{
    xmlDocPtr x = xmlReadMemory(text, (int)strlen(text), "d.anx", NULL, XML_PARSE_NONET);
    assert_non_null(x);
    xmlXPathContextPtr xp = xmlXPathNewContext(x);
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, xp);
    assert_non_null(o);
    double v = o->floatval;
    xmlXPathFreeObject(o);
    xmlXPathFreeContext(xp);
    xmlFreeDoc(x);
    return v;
}

/* 2. --detail transactions --detail calls: each transaction and call record the reader may
   see is a link of its own between the accounts or phones, dated to the second (ANX DateTime
   with TimeSet, for ANB's timeline), labelled "£9,500.00" or "call 3m 20s"; without the
   option there is none. The OFFICIAL reader gets none of the OFFICIAL-SENSITIVE rows. */
static void detail_links_dated(void **state)
{
    (void)state;
    char *brady = ent_ref("account", BRADY_ACC), *mason = ent_ref("account", MASON_ACC);
    char *ph1 = ent_ref("phone", "+447700900001"), *ph2 = ent_ref("phone", "+447700900002");
    char *text = export_as("toex-official", "json", "nodetail.json", NULL);
    json_t *doc = json_loads(text, 0, NULL);
    assert_int_equal(count_links(doc, "transaction") + count_links(doc, "call") + count_links(doc, "sms"), 0);
    json_decref(doc);
    free(text);
    const char *users[2] = {"toex-official", "toex-analyst"};
    for (int u = 0; u < 2; u++) {
        bool all = u == 1;
        text = export_as(users[u], "json", "detail.json", "--detail", "transactions", "--detail", "calls", NULL);
        doc = json_loads(text, 0, NULL);
        assert_non_null(doc);
        assert_int_equal(count_links(doc, "transaction"), all ? 4 : 2);
        assert_int_equal(count_links(doc, "call"), all ? 3 : 1);
        assert_int_equal(count_links(doc, "sms"), 1);
        assert_string_equal(json_string_value(json_object_get(doc, "marking")), all ? "OFFICIAL-SENSITIVE" : "OFFICIAL");
        size_t i;
        json_t *l;
        bool rent = false;
        json_array_foreach(json_object_get(doc, "links"), i, l) {
            if (strcmp(json_string_value(json_object_get(l, "type")), "transaction") != 0)
                continue;
            assert_int_equal(strncmp(json_string_value(json_object_get(l, "id")), "TXN-", 4), 0);
            json_t *at = json_object_get(l, "attributes");
            if (strcmp(json_string_value(json_object_get(at, "datetime")), "2026-08-12T10:30:00Z") == 0) {
                rent = true;
                assert_string_equal(json_string_value(json_object_get(l, "end1")), brady);
                assert_string_equal(json_string_value(json_object_get(l, "end2")), mason);
                assert_string_equal(json_string_value(json_object_get(l, "label")), "\xC2\xA3" "9,500.00");
                assert_true(json_number_value(json_object_get(at, "amount")) == 9500.0);
                assert_string_equal(json_string_value(json_object_get(at, "reference")), "rent");
                assert_string_equal(json_string_value(json_object_get(l, "first_seen")), "2026-08-12");
                assert_string_equal(json_string_value(json_object_get(json_object_get(l, "grade"), "display")),
                                    "1A P");
                assert_string_equal(json_string_value(json_object_get(l, "marking")), "OFFICIAL");
                json_t *src = json_array_get(json_object_get(l, "sources"), 0);
                assert_string_equal(json_string_value(json_object_get(src, "type")), "analysis_import");
            }
        }
        assert_true(rent);
        json_decref(doc);
        if (!all)
            assert_nothing_hidden("json", text);
        free(text);

        text = export_as(users[u], "anx", "detail.anx", "--detail", "transactions", "--detail", "calls", NULL);
        char *expr = t_fmt("count(//ChartItem[@Label='\xC2\xA3" "9,500.00' and @DateSet='true' and @TimeSet='true' and "
                           "@DateTime='2026-08-12T10:30:00.000'][Link/@End1Id='%s' and Link/@End2Id='%s']"
                           "[Link/LinkStyle/@Type='transaction' and Link/LinkStyle/@ArrowStyle='ArrowOnHead'])",
                           brady, mason);
        assert_true(xpath_num(text, expr) == 1);
        free(expr);
        expr = t_fmt("count(//ChartItem[@Label='call 3m 20s' and @TimeSet='true' and "
                     "@DateTime='2026-08-12T08:00:00.000'][Link/@End1Id='%s' and Link/@End2Id='%s'])",
                     ph1, ph2);
        assert_true(xpath_num(text, expr) == 1);
        free(expr);
        assert_true(xpath_num(text, "count(//ChartItem[@Label='call 1m 17s'])") == (all ? 1 : 0));
        assert_true(xpath_num(text, "count(//ChartItem[@Label='\xC2\xA3" "9,900.00'])") == (all ? 1 : 0));
        assert_true(xpath_num(text, "count(//LinkType[@Name='transaction'])") == 1);
        if (!all)
            assert_nothing_hidden("anx", text);
        free(text);
        const char *fmts[][2] = {{"graphml", "detail.graphml"}, {"csv", "detail.csv"}};
        for (int k = 0; k < 2; k++) {
            text = export_as(users[u], fmts[k][0], fmts[k][1], "--detail", "transactions", "--detail", "calls", NULL);
            assert_non_null(strstr(text, "2026-08-12T10:30:00Z"));
            assert_non_null(strstr(text, "call 3m 20s"));
            if (!all)
                assert_nothing_hidden(fmts[k][0], text);
            free(text);
        }
    }
    /* GraphML with the detail still reads in igraph */
    text = export_as("toex-analyst", "graphml", "detail2.graphml", "--detail", "transactions", NULL);
    FILE *f = fmemopen(text, strlen(text), "r");
    igraph_set_attribute_table(&igraph_cattribute_table);
    igraph_t g;
    assert_int_equal(igraph_read_graph_graphml(&g, f, 0), IGRAPH_SUCCESS);
    fclose(f);
    int n = 0;
    for (igraph_integer_t e = 0; e < igraph_ecount(&g); e++)
        n += strcmp(EAS(&g, "type", e), "transaction") == 0;
    assert_int_equal(n, 4);
    igraph_destroy(&g);
    free(text);
    /* an unknown detail is refused naming the ones there are; the disclosure names the detail */
    char *out = path_of("bad.anx");
    refused(EX_INVAL, "transactions, calls", "toex-analyst", "export", "anx", T1, "--out", out, "--recipient", "x",
            "--detail", "bank", NULL);
    free(out);
    assert_true(scalar("SELECT count(*) FROM read_log WHERE action = 'picture.export' AND"
                       " after_json LIKE '%\"detail\":[\"transactions\",\"calls\"]%'") > 0);
    free(brady), free(mason), free(ph1), free(ph2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(setup_picture),
        cmocka_unit_test(link_attributes_from_visible_rows),
        cmocka_unit_test(cards_carry_their_own_grade),
        cmocka_unit_test(person_identifiers_as_cleared),
        cmocka_unit_test(detail_links_dated),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
