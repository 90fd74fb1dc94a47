/*
 * csv.c: entities and links in one RFC 4180 CSV file (CRLF line ends, UTF-8 without BOM).
 *
 *   line 1   "# MARKING" (and "; handling C, conditions in the chart row" when any item is
 *            C): one cell, shown first by every spreadsheet
 *   line 2   the header: kind,id,type,label,end1,end2,directed,first_seen,last_seen,
 *            confidence,grade,source_evaluation,intelligence_assessment,handling,conditions,
 *            marking,sources,attributes
 *   line 3   kind "chart": id the tasking, label the title, first_seen the generation time,
 *            handling P or C, conditions a JSON array of every distinct condition text of the
 *            C items, marking the highest marking of the export
 *   then     kind "entity" rows, then kind "link" rows (end1, end2 and directed set)
 *
 * sources is a JSON array [{"type":"dataset_row","ref":"..."}], attributes a JSON object
 * {"key":"value"}. A cell is quoted when it holds a comma, a quote, CR or LF, or starts or ends
 * with a space; a cell starting with = + - @ TAB or CR gets a leading apostrophe (formula
 * injection: spreadsheets run such cells), so readers strip one leading apostrophe from a cell
 * whose next character is one of those.
 */
#include <string.h>

#include "export/export.h"
#include "export/export_int.h"

static const char header[] =
    "kind,id,type,label,end1,end2,directed,first_seen,last_seen,confidence,grade,"
    "source_evaluation,intelligence_assessment,handling,conditions,marking,sources,attributes";

/* One cell (NULL is empty), then ',' unless last. */
static void cell(iom_buf *b, const char *s, bool last, iom_buf *tmp)
{
    iom_buf_reset(tmp);
    if (s && (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r'))
        iom_buf_putc(tmp, '\'');
    ex_clean(tmp, s);
    const char *v = iom_buf_cstr(tmp);
    size_t n = tmp->len;
    bool quote = n && (v[0] == ' ' || v[n - 1] == ' ');
    for (size_t i = 0; i < n && !quote; i++)
        if (v[i] == ',' || v[i] == '"' || v[i] == '\r' || v[i] == '\n')
            quote = true;
    if (quote) {
        iom_buf_putc(b, '"');
        for (size_t i = 0; i < n; i++) {
            if (v[i] == '"')
                iom_buf_putc(b, '"');
            iom_buf_putc(b, v[i]);
        }
        iom_buf_putc(b, '"');
    } else {
        iom_buf_append(b, v, n);
    }
    iom_buf_puts(b, last ? "\r\n" : ",");
}

static void facts(iom_buf *b, const export_facts *f, iom_buf *tmp, iom_buf *t)
{
    char g[GRADE_DISPLAY_MAX], one[2] = {0, 0};
    cell(b, f->first_seen, false, tmp);
    cell(b, f->last_seen, false, tmp);
    iom_buf_reset(t);
    ex_double(t, f->confidence);
    cell(b, iom_buf_cstr(t), false, tmp);
    cell(b, grade_format(&f->grade, g), false, tmp);
    one[0] = f->grade.source;
    cell(b, one, false, tmp);
    one[0] = f->grade.assessment;
    cell(b, one, false, tmp);
    one[0] = f->grade.handling;
    cell(b, one, false, tmp);
    cell(b, f->grade.handling == 'C' ? f->grade.conditions : NULL, false, tmp);
    cell(b, iom_marking_name(f->marking), false, tmp);
    iom_buf_reset(t);
    ex_json_sources(t, f);
    cell(b, iom_buf_cstr(t), false, tmp);
    iom_buf_reset(t);
    ex_json_attrs(t, f);
    cell(b, iom_buf_cstr(t), true, tmp);
}

iom_err export_write_csv(const export_chart *c, iom_buf *out, iom_error *e)
{
    export_handling h;
    iom_err rc = export_handling_of(c, &h, e);
    if (rc != IOM_OK)
        return rc;
    iom_buf *b = out;
    iom_buf tmp = IOM_BUF_INIT, t = IOM_BUF_INIT;
    char when[32];
    ex_generated(c, when);

    iom_buf_printf(b, "# %s%s\r\n", iom_marking_name(h.marking),
                   h.conditional ? "; handling C: conditions in the chart row" : "");
    iom_buf_printf(b, "%s\r\n", header);

    cell(b, "chart", false, &tmp);
    cell(b, c->tasking_ref, false, &tmp);
    cell(b, NULL, false, &tmp);            /* type */
    cell(b, c->title, false, &tmp);
    cell(b, NULL, false, &tmp);            /* end1 */
    cell(b, NULL, false, &tmp);            /* end2 */
    cell(b, NULL, false, &tmp);            /* directed */
    cell(b, when, false, &tmp);            /* first_seen: when the export was made */
    for (int i = 0; i < 5; i++)            /* last_seen .. intelligence_assessment */
        cell(b, NULL, false, &tmp);
    cell(b, h.conditional ? "C" : "P", false, &tmp);
    /* the conditions as a JSON array of texts: a condition may hold line breaks itself */
    iom_buf_reset(&t);
    iom_buf_putc(&t, '[');
    for (size_t i = 0; i < h.nconditions; i++) {
        if (i)
            iom_buf_putc(&t, ',');
        ex_json_str(&t, h.conditions[i]);
    }
    iom_buf_putc(&t, ']');
    cell(b, iom_buf_cstr(&t), false, &tmp);
    cell(b, iom_marking_name(h.marking), false, &tmp);
    cell(b, NULL, false, &tmp);            /* sources */
    cell(b, NULL, true, &tmp);             /* attributes */

    for (size_t i = 0; i < c->nentities; i++) {
        const export_entity *en = &c->entities[i];
        cell(b, "entity", false, &tmp);
        cell(b, en->id, false, &tmp);
        cell(b, export_entity_type_name(en->type), false, &tmp);
        cell(b, en->f.label, false, &tmp);
        cell(b, NULL, false, &tmp);
        cell(b, NULL, false, &tmp);
        cell(b, NULL, false, &tmp);
        facts(b, &en->f, &tmp, &t);
    }
    for (size_t i = 0; i < c->nlinks; i++) {
        const export_link *l = &c->links[i];
        cell(b, "link", false, &tmp);
        cell(b, l->id, false, &tmp);
        cell(b, l->type, false, &tmp);
        cell(b, l->f.label, false, &tmp);
        cell(b, l->end1, false, &tmp);
        cell(b, l->end2, false, &tmp);
        cell(b, l->directed ? "true" : "false", false, &tmp);
        facts(b, &l->f, &tmp, &t);
    }
    iom_buf_free(&tmp);
    iom_buf_free(&t);
    export_handling_free(&h);
    return IOM_OK;
}
