/*
 * json.c: the picture as one JSON object (UTF-8, compact within each item, one entity or link
 * a line):
 *
 *   {"format":"iom-picture","version":1,
 *    "marking":"OFFICIAL-SENSITIVE","handling":"C","handling_conditions":["...", ...],
 *    "tasking":"OP-1","title":"...","generated_at":"2026-12-02T11:04:25Z",
 *    "entities":[{"id","type","label","first_seen","last_seen","confidence",
 *                 "grade":{"display","source_evaluation","intelligence_assessment","handling",
 *                          "conditions"},
 *                 "marking","sources":[{"type","ref"}],"attributes":{"key":"value"}}],
 *    "links":[{"id","type","end1","end2","directed","label", ...the same fields}]}
 *
 * Unknown dates and the conditions of a P grade are null. Invalid UTF-8 in any text is written
 * as U+FFFD.
 */
#include "export/export.h"
#include "export/export_int.h"
#include "util/jsonw.h"

static void key(iom_buf *b, const char *k, bool first)
{
    if (!first)
        iom_buf_putc(b, ',');
    jsonw_key(b, k);
}

static void str_or_null(iom_buf *b, const char *s)
{
    if (s)
        ex_json_str(b, s);
    else
        iom_buf_puts(b, "null");
}

static void facts(iom_buf *b, const export_facts *f)
{
    char g[GRADE_DISPLAY_MAX], one[2] = {0, 0};
    key(b, "label", false);
    ex_json_str(b, f->label ? f->label : "");
    key(b, "first_seen", false);
    str_or_null(b, f->first_seen);
    key(b, "last_seen", false);
    str_or_null(b, f->last_seen);
    key(b, "confidence", false);
    ex_double(b, f->confidence);
    key(b, "grade", false);
    iom_buf_putc(b, '{');
    key(b, "display", true);
    jsonw_str(b, grade_format(&f->grade, g));
    key(b, "source_evaluation", false);
    one[0] = f->grade.source;
    jsonw_str(b, one);
    key(b, "intelligence_assessment", false);
    one[0] = f->grade.assessment;
    jsonw_str(b, one);
    key(b, "handling", false);
    one[0] = f->grade.handling;
    jsonw_str(b, one);
    key(b, "conditions", false);
    str_or_null(b, f->grade.handling == 'C' ? f->grade.conditions : NULL);
    iom_buf_putc(b, '}');
    key(b, "marking", false);
    jsonw_str(b, iom_marking_name(f->marking));
    key(b, "sources", false);
    ex_json_sources(b, f);
    key(b, "attributes", false);
    ex_json_attrs(b, f);
}

iom_err export_write_json(const export_chart *c, iom_buf *out, iom_error *e)
{
    export_handling h;
    iom_err rc = export_handling_of(c, &h, e);
    if (rc != IOM_OK)
        return rc;
    iom_buf *b = out;
    char when[32];
    ex_generated(c, when);

    iom_buf_putc(b, '{');
    key(b, "format", true);
    jsonw_str(b, "iom-picture");
    key(b, "version", false);
    jsonw_int(b, 1);
    key(b, "marking", false);
    jsonw_str(b, iom_marking_name(h.marking));
    key(b, "handling", false);
    jsonw_str(b, h.conditional ? "C" : "P");
    key(b, "handling_conditions", false);
    iom_buf_putc(b, '[');
    for (size_t i = 0; i < h.nconditions; i++) {
        if (i)
            iom_buf_putc(b, ',');
        ex_json_str(b, h.conditions[i]);
    }
    iom_buf_putc(b, ']');
    key(b, "tasking", false);
    ex_json_str(b, c->tasking_ref ? c->tasking_ref : "");
    key(b, "title", false);
    ex_json_str(b, c->title ? c->title : "");
    key(b, "generated_at", false);
    jsonw_str(b, when);

    key(b, "entities", false);
    iom_buf_putc(b, '[');
    for (size_t i = 0; i < c->nentities; i++) {
        const export_entity *en = &c->entities[i];
        iom_buf_puts(b, i ? ",\n{" : "\n{");
        key(b, "id", true);
        ex_json_str(b, en->id);
        key(b, "type", false);
        jsonw_str(b, export_entity_type_name(en->type));
        facts(b, &en->f);
        iom_buf_putc(b, '}');
    }
    iom_buf_puts(b, "],\n");
    jsonw_key(b, "links");
    iom_buf_putc(b, '[');
    for (size_t i = 0; i < c->nlinks; i++) {
        const export_link *l = &c->links[i];
        iom_buf_puts(b, i ? ",\n{" : "\n{");
        key(b, "id", true);
        ex_json_str(b, l->id);
        key(b, "type", false);
        ex_json_str(b, l->type);
        key(b, "end1", false);
        ex_json_str(b, l->end1);
        key(b, "end2", false);
        ex_json_str(b, l->end2);
        key(b, "directed", false);
        jsonw_bool(b, l->directed);
        facts(b, &l->f);
        iom_buf_putc(b, '}');
    }
    iom_buf_puts(b, "]}\n");
    export_handling_free(&h);
    return IOM_OK;
}
