/*
 * test_export_graphml.c: the GraphML of the hostile fixture chart read back by two independent
 * readers, igraph (igraph_read_graph_graphml, libxml2 underneath) and networkx (read_graphml,
 * Python's expat, run by tests/export/networkx_read.py under Debian's /usr/bin/python3 with
 * python3-networkx), and compared with every entity, link, field and attribute of the chart.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <igraph/igraph.h>
#include <jansson.h>

#include "export_fixture.h"
#include "testutil.h"

#define PYTHON "/usr/bin/python3"
#define NX_SCRIPT IOM_SOURCE_DIR "/tests/export/networkx_read.py"

static const char *const node_fields[] = {
    "type", "label", "first_seen", "last_seen", "confidence", "grade", "source_evaluation",
    "intelligence_assessment", "handling", "conditions", "marking", "sources", "id", NULL,
};
static const char *const edge_fields[] = {
    "link_id", "type", "label", "directed", "first_seen", "last_seen", "confidence", "grade",
    "source_evaluation", "intelligence_assessment", "handling", "conditions", "marking",
    "sources", "id", NULL,
};

/* A reader's view of one node or edge: string attribute by name (NULL or "" when absent) and
   the numeric confidence. */
typedef struct view {
    const char *(*str)(void *ctx, const char *name);
    double (*num)(void *ctx, const char *name);
    void *ctx;
    bool amp_as_ref; /* igraph 0.10 (Debian 12) reads an '&' in an XML attribute value, so in
                        a key's attr.name, as the text "&#38;" (libxml2's SAX2 without entity
                        substitution); data values, which are element text, are exact */
} view;

static void expect_str(const view *v, const char *name, const char *want)
{
    const char *got = v->str(v->ctx, name);
    if (!want) {
        if (got && *got)
            fail_msg("%s: '%s', expected none", name, got);
        return;
    }
    if (!got && !*want)
        return; /* networkx drops an empty <data> (its text is None): "" reads as absent */
    if (!got)
        fail_msg("%s: missing, expected '%s'", name, want);
    if (strcmp(got, want) != 0)
        fail_msg("%s: got '%s', expected '%s'", name, got, want);
}

static void check_facts(const view *v, const export_facts *f, const char *const *reserved)
{
    char g[GRADE_DISPLAY_MAX], one[2] = {0, 0};
    expect_str(v, "label", tx_xml(f->label ? f->label : ""));
    expect_str(v, "first_seen", f->first_seen);
    expect_str(v, "last_seen", f->last_seen);
    assert_true(v->num(v->ctx, "confidence") == f->confidence);
    expect_str(v, "grade", grade_format(&f->grade, g));
    one[0] = f->grade.source;
    expect_str(v, "source_evaluation", one);
    one[0] = f->grade.assessment;
    expect_str(v, "intelligence_assessment", one);
    one[0] = f->grade.handling;
    expect_str(v, "handling", one);
    expect_str(v, "conditions", f->grade.handling == 'C' ? tx_xml(f->grade.conditions) : NULL);
    expect_str(v, "marking", iom_marking_name(f->marking));
    /* sources: a JSON array in one value, refs exactly as given */
    json_error_t jerr;
    json_t *src = json_loads(v->str(v->ctx, "sources"), 0, &jerr);
    assert_non_null(src);
    assert_int_equal(json_array_size(src), f->nsources);
    for (size_t i = 0; i < f->nsources; i++) {
        json_t *s = json_array_get(src, i);
        assert_string_equal(json_string_value(json_object_get(s, "type")),
                            export_source_kind_name(f->sources[i].kind));
        assert_string_equal(json_string_value(json_object_get(s, "ref")),
                            tx_utf8(f->sources[i].ref));
        /* each source's own grade and date (review 87 M3) */
        char sg[GRADE_DISPLAY_MAX];
        const export_source *fs = &f->sources[i];
        if (fs->grade.source)
            assert_string_equal(json_string_value(json_object_get(s, "grade")), grade_format(&fs->grade, sg));
        else
            assert_null(json_object_get(s, "grade"));
        if (fs->seen)
            assert_string_equal(json_string_value(json_object_get(s, "seen")), fs->seen);
        else
            assert_null(json_object_get(s, "seen"));
    }
    json_decref(src);
    for (size_t i = 0; i < f->nattrs; i++) {
        bool clash = false;
        for (int r = 0; reserved[r]; r++)
            clash |= strcmp(reserved[r], f->attrs[i].key) == 0;
        iom_buf name = IOM_BUF_INIT;
        iom_buf_puts(&name, clash ? "attribute: " : "");
        for (const char *k = tx_xml(f->attrs[i].key); *k; k++)
            if (*k == '&' && v->amp_as_ref)
                iom_buf_puts(&name, "&#38;");
            else
                iom_buf_putc(&name, *k);
        if (f->attrs[i].number) /* a key of numbers only: typed double, read as a number */
            assert_true(v->num(v->ctx, iom_buf_cstr(&name)) == strtod(f->attrs[i].value, NULL));
        else
            expect_str(v, iom_buf_cstr(&name), tx_xml(f->attrs[i].value));
        iom_buf_free(&name);
    }
}

/* ---- networkx ------------------------------------------------------------------------- */

static const char *nx_str(void *ctx, const char *name)
{
    return json_string_value(json_object_get((json_t *)ctx, name));
}

static double nx_num(void *ctx, const char *name)
{
    return json_number_value(json_object_get((json_t *)ctx, name));
}

static char *write_file(const char *dir, const char *name, const iom_buf *b)
{
    char *path = t_fmt("%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b->data, 1, b->len, f), b->len);
    assert_int_equal(fclose(f), 0);
    return path;
}

/* Runs the networkx reader on the file; returns its parsed output. */
static json_t *networkx_read(const char *path)
{
    char *cmd = t_fmt("%s %s '%s'", PYTHON, NX_SCRIPT, path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    iom_buf out = IOM_BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
        iom_buf_append(&out, chunk, n);
    int status = pclose(p);
    if (status != 0)
        fail_msg("%s exited with %d (is python3-networkx installed? scripts/install-deps.sh)",
                 cmd, status);
    free(cmd);
    json_error_t jerr;
    json_t *j = json_loads(iom_buf_cstr(&out), 0, &jerr);
    if (!j)
        fail_msg("networkx output is not JSON: %s", jerr.text);
    iom_buf_free(&out);
    return j;
}

static void test_networkx_reads_every_item(void **state)
{
    (void)state;
    const export_chart *c = tx_chart();
    iom_buf b = IOM_BUF_INIT;
    iom_error err = {0};
    assert_int_equal(export_write_graphml(c, &b, &err), IOM_OK);
    char *dir = t_tmpdir();
    char *path = write_file(dir, "chart.graphml", &b);
    json_t *g = networkx_read(path);

    assert_true(json_is_true(json_object_get(g, "directed")));
    assert_true(json_is_true(json_object_get(g, "multigraph"))); /* L1 and L4 are parallel */
    json_t *ga = json_object_get(g, "graph");
    assert_string_equal(nx_str(ga, "marking"), "OFFICIAL-SENSITIVE");
    assert_string_equal(nx_str(ga, "handling"), "C");
    assert_string_equal(nx_str(ga, "tasking"), "OP-2026-0042");
    assert_string_equal(nx_str(ga, "title"), tx_xml(tx_title));
    assert_string_equal(nx_str(ga, "generated_at"), "2026-11-18T11:06:40Z");
    json_error_t jerr;
    json_t *conds = json_loads(nx_str(ga, "handling_conditions"), 0, &jerr);
    assert_non_null(conds);
    assert_int_equal(json_array_size(conds), tx_nconditions);
    for (size_t i = 0; i < tx_nconditions; i++)
        assert_string_equal(json_string_value(json_array_get(conds, i)), tx_conditions[i]);
    json_decref(conds);

    json_t *nodes = json_object_get(g, "nodes");
    assert_int_equal(json_array_size(nodes), c->nentities);
    for (size_t i = 0; i < c->nentities; i++) {
        const export_entity *en = &c->entities[i];
        json_t *node = NULL;
        for (size_t k = 0; k < json_array_size(nodes); k++)
            if (strcmp(json_string_value(json_array_get(json_array_get(nodes, k), 0)), en->id) == 0)
                node = json_array_get(json_array_get(nodes, k), 1);
        assert_non_null(node);
        view v = {nx_str, nx_num, node, false};
        expect_str(&v, "type", export_entity_type_name(en->type));
        check_facts(&v, &en->f, node_fields);
    }
    json_t *edges = json_object_get(g, "edges");
    assert_int_equal(json_array_size(edges), c->nlinks);
    for (size_t i = 0; i < c->nlinks; i++) {
        const export_link *l = &c->links[i];
        json_t *edge = NULL;
        for (size_t k = 0; k < json_array_size(edges); k++) {
            json_t *e = json_array_get(edges, k);
            if (strcmp(nx_str(json_array_get(e, 2), "link_id"), l->id) == 0) {
                assert_null(edge);
                edge = e;
            }
        }
        assert_non_null(edge);
        assert_string_equal(json_string_value(json_array_get(edge, 0)), l->end1);
        assert_string_equal(json_string_value(json_array_get(edge, 1)), l->end2);
        json_t *data = json_array_get(edge, 2);
        view v = {nx_str, nx_num, data, false};
        expect_str(&v, "type", l->type);
        assert_true(json_is_boolean(json_object_get(data, "directed")));
        assert_int_equal(json_is_true(json_object_get(data, "directed")), l->directed);
        check_facts(&v, &l->f, edge_fields);
    }
    json_decref(g);
    free(path);
    t_tmpdir_free(dir);
    iom_buf_free(&b);
}

/* ---- igraph --------------------------------------------------------------------------- */

typedef struct ig_ctx {
    const igraph_t *g;
    igraph_integer_t i;
    igraph_attribute_elemtype_t kind; /* vertex or edge */
} ig_ctx;

static const char *ig_str(void *ctx, const char *name)
{
    ig_ctx *x = ctx;
    if (!igraph_cattribute_has_attr(x->g, x->kind, name))
        return NULL;
    return x->kind == IGRAPH_ATTRIBUTE_VERTEX ? VAS(x->g, name, x->i) : EAS(x->g, name, x->i);
}

static double ig_num(void *ctx, const char *name)
{
    ig_ctx *x = ctx;
    return x->kind == IGRAPH_ATTRIBUTE_VERTEX ? VAN(x->g, name, x->i) : EAN(x->g, name, x->i);
}

static void test_igraph_reads_every_item(void **state)
{
    (void)state;
    const export_chart *c = tx_chart();
    iom_buf b = IOM_BUF_INIT;
    iom_error err = {0};
    assert_int_equal(export_write_graphml(c, &b, &err), IOM_OK);
    igraph_set_attribute_table(&igraph_cattribute_table);
    FILE *f = fmemopen(b.data, b.len, "r");
    assert_non_null(f);
    igraph_t g;
    assert_int_equal(igraph_read_graph_graphml(&g, f, 0), IGRAPH_SUCCESS);
    fclose(f);

    assert_true(igraph_is_directed(&g));
    assert_int_equal(igraph_vcount(&g), (igraph_integer_t)c->nentities);
    assert_int_equal(igraph_ecount(&g), (igraph_integer_t)c->nlinks);
    assert_string_equal(GAS(&g, "marking"), "OFFICIAL-SENSITIVE");
    assert_string_equal(GAS(&g, "handling"), "C");
    assert_string_equal(GAS(&g, "title"), tx_xml(tx_title));
    assert_non_null(strstr(GAS(&g, "handling_conditions"), "Link-only condition"));

    for (size_t i = 0; i < c->nentities; i++) {
        const export_entity *en = &c->entities[i];
        assert_string_equal(VAS(&g, "id", (igraph_integer_t)i), en->id);
        ig_ctx x = {&g, (igraph_integer_t)i, IGRAPH_ATTRIBUTE_VERTEX};
        view v = {ig_str, ig_num, &x, true};
        expect_str(&v, "type", export_entity_type_name(en->type));
        check_facts(&v, &en->f, node_fields);
    }
    for (size_t i = 0; i < c->nlinks; i++) {
        const export_link *l = &c->links[i];
        igraph_integer_t from, to;
        assert_int_equal(igraph_edge(&g, (igraph_integer_t)i, &from, &to), IGRAPH_SUCCESS);
        assert_string_equal(VAS(&g, "id", from), l->end1);
        assert_string_equal(VAS(&g, "id", to), l->end2);
        assert_string_equal(EAS(&g, "link_id", (igraph_integer_t)i), l->id);
        assert_int_equal(EAB(&g, "directed", (igraph_integer_t)i), l->directed);
        ig_ctx x = {&g, (igraph_integer_t)i, IGRAPH_ATTRIBUTE_EDGE};
        view v = {ig_str, ig_num, &x, true};
        expect_str(&v, "type", l->type);
        check_facts(&v, &l->f, edge_fields);
    }
    igraph_destroy(&g);
    iom_buf_free(&b);
}

/* A chart of undirected links only is an undirected graph to both readers. */
static void test_undirected_chart(void **state)
{
    (void)state;
    iom_buf b = IOM_BUF_INIT;
    iom_error err = {0};
    assert_int_equal(export_write_graphml(tx_chart_plain(), &b, &err), IOM_OK);
    assert_non_null(strstr(b.data, "edgedefault=\"undirected\""));
    char *dir = t_tmpdir();
    char *path = write_file(dir, "plain.graphml", &b);
    json_t *g = networkx_read(path);
    assert_false(json_is_true(json_object_get(g, "directed")));
    json_t *ga = json_object_get(g, "graph");
    assert_string_equal(nx_str(ga, "marking"), "OFFICIAL");
    assert_string_equal(nx_str(ga, "handling"), "P");
    assert_null(json_object_get(ga, "handling_conditions"));
    json_decref(g);
    free(path);
    t_tmpdir_free(dir);

    igraph_set_attribute_table(&igraph_cattribute_table);
    FILE *f = fmemopen(b.data, b.len, "r");
    igraph_t ig;
    assert_int_equal(igraph_read_graph_graphml(&ig, f, 0), IGRAPH_SUCCESS);
    fclose(f);
    assert_false(igraph_is_directed(&ig));
    assert_int_equal(igraph_vcount(&ig), 3);
    assert_int_equal(igraph_ecount(&ig), 1);
    igraph_destroy(&ig);
    iom_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_networkx_reads_every_item),
        cmocka_unit_test(test_igraph_reads_every_item),
        cmocka_unit_test(test_undirected_chart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
