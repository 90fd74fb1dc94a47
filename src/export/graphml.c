/*
 * graphml.c: GraphML (graphml.graphdrawing.org), read by Gephi, Cytoscape, yEd, igraph
 * (igraph_read_graph_graphml) and networkx (read_graphml).
 *
 * Every value is a <data> of a typed <key> (attr.type string, double or boolean): graph-level
 * keys carry the marking, the handling and its conditions (a JSON array of texts), the tasking
 * and the time; node
 * keys every entity field; edge keys every link field. User attribute keys get keys of their
 * own (attr.name the key; "attribute: KEY" when KEY is one of ours).
 *
 * Direction. GraphML readers refuse an edge whose `directed` attribute contradicts the graph's
 * edgedefault (networkx raises), so edges carry none: the graph is edgedefault="directed" when
 * any link is directed (source end1, target end2) and "undirected" otherwise, and every edge
 * has a boolean `directed` data value saying whether its own direction means anything.
 */
#include <stdio.h>
#include <string.h>

#include "export/export.h"
#include "export/export_int.h"

/* Our node and edge fields (attr.name); also the names user keys may not take. */
static const char *const node_fields[] = {
    "type", "label", "first_seen", "last_seen", "confidence", "grade", "source_evaluation",
    "intelligence_assessment", "handling", "conditions", "marking", "sources", "id", NULL,
};
static const char *const edge_fields[] = {
    "link_id", "type", "label", "directed", "first_seen", "last_seen", "confidence", "grade",
    "source_evaluation", "intelligence_assessment", "handling", "conditions", "marking",
    "sources", "id", NULL,
};

static void key(iom_buf *b, const char *id, const char *for_, const char *name, const char *type)
{
    iom_buf_printf(b, "  <key id=\"%s\" for=\"%s\" attr.name=\"", id, for_);
    ex_xml(b, name, true);
    iom_buf_printf(b, "\" attr.type=\"%s\"/>\n", type);
}

static void data(iom_buf *b, const char *indent, const char *keyid, const char *value)
{
    iom_buf_printf(b, "%s<data key=\"%s\">", indent, keyid);
    ex_xml(b, value, false);
    iom_buf_puts(b, "</data>\n");
}

/* The fields both nodes and edges have; keys prefixed p ("n" or "e"). */
static void facts(iom_buf *b, char p, const export_facts *f, ex_keys *keys, iom_buf *t)
{
    const char *in = "      ";
    char k[32], g[GRADE_DISPLAY_MAX], one[2] = {0, 0};
    snprintf(k, sizeof k, "%c_label", p);
    data(b, in, k, f->label ? f->label : "");
    if (f->first_seen) {
        snprintf(k, sizeof k, "%c_first_seen", p);
        data(b, in, k, f->first_seen);
    }
    if (f->last_seen) {
        snprintf(k, sizeof k, "%c_last_seen", p);
        data(b, in, k, f->last_seen);
    }
    iom_buf_reset(t);
    ex_double(t, f->confidence);
    snprintf(k, sizeof k, "%c_confidence", p);
    data(b, in, k, iom_buf_cstr(t));
    snprintf(k, sizeof k, "%c_grade", p);
    data(b, in, k, grade_format(&f->grade, g));
    snprintf(k, sizeof k, "%c_source_evaluation", p);
    one[0] = f->grade.source;
    data(b, in, k, one);
    snprintf(k, sizeof k, "%c_intelligence_assessment", p);
    one[0] = f->grade.assessment;
    data(b, in, k, one);
    snprintf(k, sizeof k, "%c_handling", p);
    one[0] = f->grade.handling;
    data(b, in, k, one);
    if (f->grade.handling == 'C') {
        snprintf(k, sizeof k, "%c_conditions", p);
        data(b, in, k, f->grade.conditions);
    }
    snprintf(k, sizeof k, "%c_marking", p);
    data(b, in, k, iom_marking_name(f->marking));
    iom_buf_reset(t);
    ex_json_sources(t, f);
    snprintf(k, sizeof k, "%c_sources", p);
    data(b, in, k, iom_buf_cstr(t));
    for (size_t i = 0; i < f->nattrs; i++) {
        uint32_t id = ex_keys_id(keys, f->attrs[i].key);
        snprintf(k, sizeof k, "%ca%u", p, id);
        data(b, in, k, f->attrs[i].value ? f->attrs[i].value : "");
    }
}

static void fact_keys(iom_buf *b, char p, const char *for_, ex_keys *keys)
{
    static const char *const names[] = {
        "label", "first_seen", "last_seen", "confidence", "grade", "source_evaluation",
        "intelligence_assessment", "handling", "conditions", "marking", "sources",
    };
    char id[32];
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        snprintf(id, sizeof id, "%c_%s", p, names[i]);
        key(b, id, for_, names[i], strcmp(names[i], "confidence") == 0 ? "double" : "string");
    }
    for (uint32_t i = 1; i <= keys->n; i++) {
        snprintf(id, sizeof id, "%ca%u", p, i);
        key(b, id, for_, keys->names[i - 1], keys->number[i - 1] ? "double" : "string");
    }
}

iom_err export_write_graphml(const export_chart *c, iom_buf *out, iom_error *e)
{
    export_handling h;
    iom_err rc = export_handling_of(c, &h, e);
    if (rc != IOM_OK)
        return rc;
    iom_buf *b = out;
    iom_buf t = IOM_BUF_INIT;
    ex_keys nkeys, ekeys;
    ex_keys_build(&nkeys, c, true, false, node_fields);
    ex_keys_build(&ekeys, c, false, true, edge_fields);
    bool any_directed = false;
    for (size_t i = 0; i < c->nlinks; i++)
        any_directed |= c->links[i].directed;
    char when[32];
    ex_generated(c, when);

    iom_buf_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- %s -->\n",
                   iom_marking_name(h.marking));
    iom_buf_puts(b, "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\""
                    " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
                    " xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns"
                    " http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n");
    key(b, "g_marking", "graph", "marking", "string");
    key(b, "g_handling", "graph", "handling", "string");
    key(b, "g_handling_conditions", "graph", "handling_conditions", "string");
    key(b, "g_tasking", "graph", "tasking", "string");
    key(b, "g_title", "graph", "title", "string");
    key(b, "g_generated_at", "graph", "generated_at", "string");
    key(b, "n_type", "node", "type", "string");
    fact_keys(b, 'n', "node", &nkeys);
    key(b, "e_link_id", "edge", "link_id", "string");
    key(b, "e_type", "edge", "type", "string");
    key(b, "e_directed", "edge", "directed", "boolean");
    fact_keys(b, 'e', "edge", &ekeys);

    iom_buf_printf(b, "  <graph id=\"G\" edgedefault=\"%s\">\n",
                   any_directed ? "directed" : "undirected");
    const char *in = "    ";
    data(b, in, "g_marking", iom_marking_name(h.marking));
    data(b, in, "g_handling", h.conditional ? "C" : "P");
    if (h.conditional) {
        /* a JSON array of the condition texts: a condition may hold line breaks itself */
        iom_buf_reset(&t);
        iom_buf_putc(&t, '[');
        for (size_t i = 0; i < h.nconditions; i++) {
            if (i)
                iom_buf_putc(&t, ',');
            ex_json_str(&t, h.conditions[i]);
        }
        iom_buf_putc(&t, ']');
        data(b, in, "g_handling_conditions", iom_buf_cstr(&t));
    }
    data(b, in, "g_tasking", c->tasking_ref ? c->tasking_ref : "");
    data(b, in, "g_title", c->title ? c->title : "");
    data(b, in, "g_generated_at", when);

    for (size_t i = 0; i < c->nentities; i++) {
        const export_entity *en = &c->entities[i];
        iom_buf_puts(b, "    <node id=\"");
        ex_xml(b, en->id, true);
        iom_buf_puts(b, "\">\n");
        data(b, "      ", "n_type", export_entity_type_name(en->type));
        facts(b, 'n', &en->f, &nkeys, &t);
        iom_buf_puts(b, "    </node>\n");
    }
    for (size_t i = 0; i < c->nlinks; i++) {
        const export_link *l = &c->links[i];
        iom_buf_puts(b, "    <edge id=\"");
        ex_xml(b, l->id, true);
        iom_buf_puts(b, "\" source=\"");
        ex_xml(b, l->end1, true);
        iom_buf_puts(b, "\" target=\"");
        ex_xml(b, l->end2, true);
        iom_buf_puts(b, "\">\n");
        data(b, "      ", "e_link_id", l->id);
        data(b, "      ", "e_type", l->type);
        data(b, "      ", "e_directed", l->directed ? "true" : "false");
        facts(b, 'e', &l->f, &ekeys, &t);
        iom_buf_puts(b, "    </edge>\n");
    }
    iom_buf_puts(b, "  </graph>\n</graphml>\n");

    iom_buf_free(&t);
    ex_keys_free(&nkeys);
    ex_keys_free(&ekeys);
    export_handling_free(&h);
    return IOM_OK;
}
