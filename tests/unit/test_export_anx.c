/*
 * test_export_anx.c: the ANX of the hostile fixture chart, parsed by libxml2 (a strict XML 1.0
 * parser: a forbidden character or a byte that is not UTF-8 fails the parse), checked against
 * i2's chart structure and against every entity, link, date, grade, source and attribute of
 * the chart.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "export_fixture.h"
#include "testutil.h"
#include "util/text.h"

typedef struct doc {
    iom_buf text;
    xmlDocPtr doc;
    xmlXPathContextPtr xp;
} doc;

static void doc_open(doc *d, const export_chart *c)
{
    memset(d, 0, sizeof *d);
    iom_error err = {0};
    assert_int_equal(export_write_anx(c, &d->text, &err), IOM_OK);
    d->doc = xmlReadMemory(d->text.data, (int)d->text.len, "chart.anx", NULL,
                           XML_PARSE_NONET);
    assert_non_null(d->doc);
    d->xp = xmlXPathNewContext(d->doc);
    assert_non_null(d->xp);
}

static void doc_close(doc *d)
{
    xmlXPathFreeContext(d->xp);
    xmlFreeDoc(d->doc);
    iom_buf_free(&d->text);
}

/* Nodes of an XPath expression relative to node (NULL: the document); caller frees. */
static xmlXPathObjectPtr nodes(doc *d, xmlNodePtr at, const char *expr)
{
    d->xp->node = at ? at : xmlDocGetRootElement(d->doc);
    xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)expr, d->xp);
    assert_non_null(o);
    return o;
}

static int count(doc *d, xmlNodePtr at, const char *expr)
{
    xmlXPathObjectPtr o = nodes(d, at, expr);
    int n = o->nodesetval ? o->nodesetval->nodeNr : 0;
    xmlXPathFreeObject(o);
    return n;
}

static xmlNodePtr one(doc *d, xmlNodePtr at, const char *expr)
{
    xmlXPathObjectPtr o = nodes(d, at, expr);
    if (!o->nodesetval || o->nodesetval->nodeNr != 1)
        fail_msg("expected one node for %s, got %d", expr,
                 o->nodesetval ? o->nodesetval->nodeNr : 0);
    xmlNodePtr n = o->nodesetval->nodeTab[0];
    xmlXPathFreeObject(o);
    return n;
}

/* The attribute's value (malloc'd copy) or NULL. */
static char *prop(xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = strdup((const char *)v);
    xmlFree(v);
    return s;
}

static void assert_prop(xmlNodePtr n, const char *name, const char *want)
{
    char *v = prop(n, name);
    if (!v)
        fail_msg("%s: attribute %s missing (want '%s')", (const char *)n->name, name, want);
    if (strcmp(v, want) != 0)
        fail_msg("%s/@%s: got '%s', want '%s'", (const char *)n->name, name, v, want);
    free(v);
}

static void assert_no_prop(xmlNodePtr n, const char *name)
{
    char *v = prop(n, name);
    if (v)
        fail_msg("%s/@%s: present ('%s'), should not be", (const char *)n->name, name, v);
}

/* The Name of the element whose Id is id (an IDREF must resolve to exactly one). */
static char *name_of_id(doc *d, const char *tag, const char *id)
{
    char expr[160];
    snprintf(expr, sizeof expr, "//%s[@Id='%s']", tag, id);
    return prop(one(d, NULL, expr), "Name");
}

static const char *const reserved[] = {"iom id", "First seen", "Last seen", "Confidence", "Grade",
                                       "Marking", "Handling conditions", "Sources", NULL};

static void check_grade(doc *d, xmlNodePtr item, const iom_grade *g)
{
    char v[8], expr[96];
    snprintf(v, sizeof v, "%d", g->source - '1');
    assert_prop(item, "GradeOneIndex", v);
    snprintf(v, sizeof v, "%d", g->assessment - 'A');
    assert_prop(item, "GradeTwoIndex", v);
    assert_prop(item, "GradeThreeIndex", g->handling == 'C' ? "1" : "0");
    /* each index names the String of that position in the chart's collection */
    const char *coll[3] = {"GradeOne", "GradeTwo", "GradeThree"};
    char letter[3] = {g->source, g->assessment, g->handling};
    int idx[3] = {g->source - '1', g->assessment - 'A', g->handling == 'C'};
    for (int i = 0; i < 3; i++) {
        snprintf(expr, sizeof expr, "/Chart/%s/StringCollection/String[%d]", coll[i], idx[i] + 1);
        char *text = prop(one(d, NULL, expr), "Text");
        assert_non_null(text);
        assert_int_equal(text[0], letter[i]);
        free(text);
    }
}

static void check_facts(doc *d, xmlNodePtr item, xmlNodePtr holder, const char *id,
                        const export_facts *f)
{
    char want[512];
    assert_prop(item, "Label", tx_xml(f->label ? f->label : ""));
    check_grade(d, item, &f->grade);
    if (f->first_seen) {
        assert_prop(item, "DateSet", "true");
        /* a moment (a transaction, a call) sets the time too: ANB's timeline */
        assert_prop(item, "TimeSet", f->time ? "true" : "false");
        snprintf(want, sizeof want, "%sT%s.000", f->first_seen, f->time ? f->time : "00:00:00");
        assert_prop(item, "DateTime", want);
    } else {
        assert_prop(item, "DateSet", "false");
        assert_no_prop(item, "DateTime");
    }

    /* SourceReference / SourceType on the item, and one Card per source */
    if (f->nsources) {
        iom_buf refs = IOM_BUF_INIT;
        bool kinds[2] = {false, false};
        for (size_t i = 0; i < f->nsources; i++) {
            if (i)
                iom_buf_puts(&refs, "; ");
            iom_buf_puts(&refs, tx_xml(f->sources[i].ref));
            kinds[f->sources[i].kind] = true;
        }
        assert_prop(item, "SourceReference", iom_buf_cstr(&refs));
        iom_buf_free(&refs);
        assert_prop(item, "SourceType", kinds[0] && kinds[1] ? "Dataset record; Intelligence item"
                                        : kinds[0]           ? "Dataset record"
                                                             : "Intelligence item");
    } else {
        assert_no_prop(item, "SourceReference");
    }
    xmlXPathObjectPtr cards = nodes(d, holder, "CardCollection/Card");
    int ncards = cards->nodesetval ? cards->nodesetval->nodeNr : 0;
    assert_int_equal(ncards, (int)f->nsources);
    for (int i = 0; i < ncards; i++) {
        xmlNodePtr card = cards->nodesetval->nodeTab[i];
        const export_source *src = &f->sources[i];
        assert_prop(card, "SourceReference", tx_xml(src->ref));
        assert_prop(card, "SourceType", export_source_kind_title(src->kind));
        /* the source's own grade (indices into the chart's collections, and in words) and
           date: review 87 M3, only the item's combined grade reached ANB */
        if (src->grade.source) {
            check_grade(d, card, &src->grade);
            char g[GRADE_DISPLAY_MAX];
            snprintf(want, sizeof want, "Grade %s%s%s", grade_format(&src->grade, g),
                     src->grade.handling == 'C' ? "; handling conditions: " : "",
                     src->grade.handling == 'C' ? src->grade.conditions : "");
            assert_prop(card, "Text", want);
        } else {
            assert_no_prop(card, "GradeOneIndex");
            assert_no_prop(card, "Text");
        }
        if (src->seen) {
            assert_prop(card, "DateSet", "true");
            snprintf(want, sizeof want, "%sT00:00:00.000", src->seen);
            assert_prop(card, "DateTime", want);
        } else {
            assert_no_prop(card, "DateTime");
        }
        /* SourceType names one of the chart's SourceHints */
        snprintf(want, sizeof want, "/Chart/SourceHints/StringCollection/String[@Text='%s']",
                 export_source_kind_title(f->sources[i].kind));
        assert_int_equal(count(d, NULL, want), 1);
    }
    xmlXPathFreeObject(cards);

    /* attributes: ours, then the item's own; each names its class by name and reference */
    xmlXPathObjectPtr at = nodes(d, item, "AttributeCollection/Attribute");
    int nat = at->nodesetval ? at->nodesetval->nodeNr : 0;
    int expect = 1 + (f->first_seen != NULL) + (f->last_seen != NULL) + 3 +
                 (f->grade.handling == 'C') + (f->nsources > 0) + (int)f->nattrs;
    assert_int_equal(nat, expect);
    int seen = 0;
    for (int i = 0; i < nat; i++) {
        xmlNodePtr a = at->nodesetval->nodeTab[i];
        char *cls = prop(a, "AttributeClass"), *ref = prop(a, "AttributeClassReference");
        char *value = prop(a, "Value");
        assert_non_null(cls);
        assert_non_null(ref);
        assert_non_null(value);
        char *named = name_of_id(d, "AttributeClass", ref);
        assert_string_equal(named, cls);
        free(named);
        if (strcmp(cls, "iom id") == 0) {
            assert_string_equal(value, id);
        } else if (strcmp(cls, "First seen") == 0) {
            snprintf(want, sizeof want, "%sT00:00:00.000", f->first_seen);
            assert_string_equal(value, want);
        } else if (strcmp(cls, "Last seen") == 0) {
            snprintf(want, sizeof want, "%sT00:00:00.000", f->last_seen);
            assert_string_equal(value, want);
        } else if (strcmp(cls, "Confidence") == 0) {
            assert_true(strtod(value, NULL) == f->confidence);
        } else if (strcmp(cls, "Grade") == 0) {
            char g[GRADE_DISPLAY_MAX];
            assert_string_equal(value, grade_format(&f->grade, g));
        } else if (strcmp(cls, "Marking") == 0) {
            assert_string_equal(value, iom_marking_name(f->marking));
        } else if (strcmp(cls, "Handling conditions") == 0) {
            assert_int_equal(f->grade.handling, 'C');
            assert_string_equal(value, tx_xml(f->grade.conditions));
        } else if (strcmp(cls, "Sources") == 0) {
            iom_buf s = IOM_BUF_INIT;
            for (size_t k = 0; k < f->nsources; k++)
                iom_buf_printf(&s, "%s%s: %s", k ? "\n" : "",
                               export_source_kind_title(f->sources[k].kind),
                               tx_xml(f->sources[k].ref));
            assert_string_equal(value, iom_buf_cstr(&s));
            iom_buf_free(&s);
        } else {
            /* the item's own attribute number `seen`, in order */
            assert_true(seen < (int)f->nattrs);
            const export_attr *ua = &f->attrs[seen++];
            bool clash = false;
            for (int r = 0; reserved[r]; r++)
                clash |= strcmp(reserved[r], ua->key) == 0;
            snprintf(want, sizeof want, "%s%s", clash ? "attribute: " : "", tx_xml(ua->key));
            assert_string_equal(cls, want);
            assert_string_equal(value, tx_xml(ua->value));
            /* a key whose every value in the chart is a number is an AttNumber class */
            bool all_numbers = true;
            const export_chart *c = tx_chart();
            for (size_t e = 0; e < c->nentities + c->nlinks; e++) {
                const export_facts *o = e < c->nentities ? &c->entities[e].f : &c->links[e - c->nentities].f;
                for (size_t k = 0; k < o->nattrs; k++)
                    if (strcmp(o->attrs[k].key, ua->key) == 0 && !o->attrs[k].number)
                        all_numbers = false;
            }
            snprintf(want, sizeof want, "//AttributeClass[@Id='%s']", ref);
            assert_prop(one(d, NULL, want), "Type", all_numbers ? "AttNumber" : "AttText");
        }
        free(cls), free(ref), free(value);
    }
    assert_int_equal(seen, (int)f->nattrs);
    xmlXPathFreeObject(at);
}

static void test_structure(void **state)
{
    (void)state;
    doc d;
    doc_open(&d, tx_chart());
    xmlNodePtr root = xmlDocGetRootElement(d.doc);
    assert_string_equal((const char *)root->name, "Chart");
    assert_prop(root, "IdReferenceLinking", "true");
    const char *once[] = {"LinkTypeCollection", "EntityTypeCollection", "AttributeClassCollection",
                          "ChartItemCollection", "StrengthCollection", "GradeOne", "GradeTwo",
                          "GradeThree", "SourceHints", "Summary", "PrintSettings"};
    for (size_t i = 0; i < sizeof once / sizeof *once; i++) {
        char expr[64];
        snprintf(expr, sizeof expr, "/Chart/%s", once[i]);
        assert_int_equal(count(&d, NULL, expr), 1);
    }
    assert_int_equal(count(&d, NULL, "/Chart/GradeOne/StringCollection/String"), 3);
    assert_int_equal(count(&d, NULL, "/Chart/GradeTwo/StringCollection/String"), 5);
    assert_int_equal(count(&d, NULL, "/Chart/GradeThree/StringCollection/String"), 2);
    assert_int_equal(count(&d, NULL, "/Chart/EntityTypeCollection/EntityType"),
                     EXPORT_ENTITY_TYPE_COUNT);
    /* one LinkType per distinct link type of the chart: associate, uses_phone, lives_at,
       pays, controls */
    assert_int_equal(count(&d, NULL, "/Chart/LinkTypeCollection/LinkType"), 5);
    const export_chart *c = tx_chart();
    assert_int_equal(count(&d, NULL, "/Chart/ChartItemCollection/ChartItem"),
                     (int)(c->nentities + c->nlinks));
    assert_int_equal(count(&d, NULL, "/Chart/ChartItemCollection/ChartItem/End/Entity"),
                     (int)c->nentities);
    assert_int_equal(count(&d, NULL, "/Chart/ChartItemCollection/ChartItem/Link"), (int)c->nlinks);

    /* every Id is unique; every type/class reference resolves to one of them */
    xmlXPathObjectPtr ids = nodes(&d, NULL, "//@Id");
    int nids = ids->nodesetval->nodeNr;
    assert_true(nids > 20);
    for (int i = 0; i < nids; i++) {
        xmlChar *a = xmlNodeGetContent(ids->nodesetval->nodeTab[i]);
        for (int j = i + 1; j < nids; j++) {
            xmlChar *b = xmlNodeGetContent(ids->nodesetval->nodeTab[j]);
            assert_true(xmlStrcmp(a, b) != 0);
            xmlFree(b);
        }
        xmlFree(a);
    }
    xmlXPathFreeObject(ids);
    xmlXPathObjectPtr refs =
        nodes(&d, NULL, "//@EntityTypeReference | //@LinkTypeReference | //@AttributeClassReference");
    assert_true(refs->nodesetval->nodeNr > 50);
    for (int i = 0; i < refs->nodesetval->nodeNr; i++) {
        xmlChar *v = xmlNodeGetContent(refs->nodesetval->nodeTab[i]);
        char expr[96];
        snprintf(expr, sizeof expr, "//*[@Id='%s']", (const char *)v);
        assert_int_equal(count(&d, NULL, expr), 1);
        xmlFree(v);
    }
    xmlXPathFreeObject(refs);
    doc_close(&d);
}

static void test_entities(void **state)
{
    (void)state;
    doc d;
    doc_open(&d, tx_chart());
    const export_chart *c = tx_chart();
    xmlXPathObjectPtr items = nodes(&d, NULL, "/Chart/ChartItemCollection/ChartItem");
    for (size_t i = 0; i < c->nentities; i++) {
        const export_entity *en = &c->entities[i];
        xmlNodePtr item = items->nodesetval->nodeTab[i];
        xmlNodePtr ent = one(&d, item, "End/Entity");
        assert_prop(ent, "EntityId", en->id);
        assert_prop(ent, "Identity", en->id);
        xmlNodePtr style = one(&d, ent, "Icon/IconStyle");
        assert_prop(style, "Type", export_entity_type_title(en->type));
        char *ref = prop(style, "EntityTypeReference");
        char *name = name_of_id(&d, "EntityType", ref);
        assert_string_equal(name, export_entity_type_title(en->type));
        free(ref), free(name);
        check_facts(&d, item, ent, en->id, &en->f);
    }
    xmlXPathFreeObject(items);
    doc_close(&d);
}

static void test_links(void **state)
{
    (void)state;
    doc d;
    doc_open(&d, tx_chart());
    const export_chart *c = tx_chart();
    xmlXPathObjectPtr items = nodes(&d, NULL, "/Chart/ChartItemCollection/ChartItem");
    for (size_t i = 0; i < c->nlinks; i++) {
        const export_link *l = &c->links[i];
        xmlNodePtr item = items->nodesetval->nodeTab[c->nentities + i];
        xmlNodePtr link = one(&d, item, "Link");
        assert_prop(link, "End1Id", l->end1);
        assert_prop(link, "End2Id", l->end2);
        /* both ends are EntityIds of the chart */
        char expr[600];
        snprintf(expr, sizeof expr, "//ChartItem/End/Entity[@EntityId='%s']", l->end1);
        assert_int_equal(count(&d, NULL, expr), 1);
        snprintf(expr, sizeof expr, "//ChartItem/End/Entity[@EntityId='%s']", l->end2);
        assert_int_equal(count(&d, NULL, expr), 1);
        xmlNodePtr style = one(&d, link, "LinkStyle");
        assert_prop(style, "Type", l->type);
        assert_prop(style, "ArrowStyle", l->directed ? "ArrowOnHead" : "ArrowNone");
        char *ref = prop(style, "LinkTypeReference");
        char *name = name_of_id(&d, "LinkType", ref);
        assert_string_equal(name, l->type);
        free(ref), free(name);
        char *strength = prop(style, "Strength");
        assert_string_equal(strength, l->f.confidence >= 0.8   ? "Confirmed"
                                      : l->f.confidence >= 0.5 ? "Unconfirmed"
                                                               : "Tentative");
        snprintf(expr, sizeof expr, "/Chart/StrengthCollection/Strength[@Name='%s']", strength);
        assert_int_equal(count(&d, NULL, expr), 1);
        free(strength);
        check_facts(&d, item, link, l->id, &l->f);
    }
    xmlXPathFreeObject(items);
    doc_close(&d);
}

static char *custom(doc *d, const char *name)
{
    char expr[128];
    snprintf(expr, sizeof expr, "/Chart/Summary/CustomPropertyCollection/CustomProperty[@Name='%s']",
             name);
    if (count(d, NULL, expr) == 0)
        return NULL;
    return prop(one(d, NULL, expr), "Value");
}

static void test_summary_marking_and_conditions(void **state)
{
    (void)state;
    doc d;
    doc_open(&d, tx_chart());
    char *v = custom(&d, "Classification");
    assert_string_equal(v, "OFFICIAL-SENSITIVE");
    free(v);
    v = custom(&d, "Handling");
    assert_string_equal(v, "C");
    free(v);
    for (size_t i = 0; i < tx_nconditions; i++) {
        char name[48];
        snprintf(name, sizeof name, "Handling condition %zu", i + 1);
        v = custom(&d, name);
        assert_non_null(v);
        assert_string_equal(v, tx_conditions[i]);
        free(v);
    }
    assert_null(custom(&d, "Handling condition 4"));
    v = custom(&d, "Tasking");
    assert_string_equal(v, "OP-2026-0042");
    free(v);
    v = custom(&d, "Generated");
    assert_string_equal(v, "2026-11-18T11:06:40Z");
    free(v);
    assert_prop(one(&d, NULL, "/Chart/Summary/FieldCollection/Field[@Type='SummaryFieldTitle']"),
                "Field", tx_xml(tx_title));
    xmlNodePtr comments =
        one(&d, NULL, "/Chart/Summary/FieldCollection/Field[@Type='SummaryFieldComments']");
    char *text = prop(comments, "Field");
    assert_non_null(strstr(text, "OFFICIAL-SENSITIVE"));
    for (size_t i = 0; i < tx_nconditions; i++)
        assert_non_null(strstr(text, tx_conditions[i]));
    free(text);
    /* printed pages carry the classification */
    assert_int_equal(count(&d, NULL, "/Chart/PrintSettings/HeaderCollection/Header"
                                     "[@Property='Classification' and @Visible='true']"), 1);
    assert_int_equal(count(&d, NULL, "/Chart/PrintSettings/FooterCollection/Footer"
                                     "[@Property='Classification' and @Visible='true']"), 1);
    /* the marking is also the first thing in the file */
    assert_non_null(strstr(d.text.data, "<!-- OFFICIAL-SENSITIVE -->"));
    assert_true(strstr(d.text.data, "<!-- OFFICIAL-SENSITIVE -->") < strstr(d.text.data, "<Chart"));
    doc_close(&d);
}

static void test_plain_chart(void **state)
{
    (void)state;
    doc d;
    doc_open(&d, tx_chart_plain());
    char *v = custom(&d, "Classification");
    assert_string_equal(v, "OFFICIAL");
    free(v);
    v = custom(&d, "Handling");
    assert_string_equal(v, "P");
    free(v);
    assert_null(custom(&d, "Handling condition 1"));
    assert_int_equal(count(&d, NULL, "//Attribute[@AttributeClass='Handling conditions']"), 0);
    assert_int_equal(count(&d, NULL, "//ChartItem[@GradeThreeIndex='1']"), 0);
    /* the event's date and the undated organisation */
    assert_int_equal(count(&d, NULL, "//ChartItem[@DateTime='2025-05-05T00:00:00.000']"), 1);
    doc_close(&d);
}

/* Text an XML parser reads back exactly: the raw bytes of every hostile string survive or are
   replaced as the fixture says; nothing breaks out of its attribute. */
static void test_hostile_text_stays_in_its_attribute(void **state)
{
    (void)state;
    doc d;
    doc_open(&d, tx_chart());
    /* the injected-looking markup is text, not elements */
    assert_int_equal(count(&d, NULL, "//b"), 0);
    assert_int_equal(count(&d, NULL, "//Smith"), 0);
    assert_int_equal(count(&d, NULL, "//Op"), 0);
    /* no raw control character and no invalid UTF-8 in the file itself */
    for (size_t i = 0; i < d.text.len; i++) {
        unsigned char ch = (unsigned char)d.text.data[i];
        assert_true(ch >= 0x20 || ch == '\n');
    }
    assert_true(iom_utf8_valid(d.text.data, d.text.len));
    doc_close(&d);
}

int main(void)
{
    xmlInitParser();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_structure),
        cmocka_unit_test(test_entities),
        cmocka_unit_test(test_links),
        cmocka_unit_test(test_summary_marking_and_conditions),
        cmocka_unit_test(test_plain_chart),
        cmocka_unit_test(test_hostile_text_stays_in_its_attribute),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    xmlCleanupParser();
    return rc;
}
