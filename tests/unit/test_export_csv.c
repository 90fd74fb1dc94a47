/*
 * test_export_csv.c: the CSV of the hostile fixture chart read back by libcsv (strict RFC 4180
 * mode) and compared cell by cell: the marking line, the header, the chart row with the
 * handling conditions, one row per entity and per link, the JSON cells (sources, attributes)
 * through jansson, and the apostrophe before every cell a spreadsheet would run as a formula.
 */
#include <stdlib.h>
#include <string.h>

#include <csv.h>
#include <jansson.h>

#include "export_fixture.h"
#include "testutil.h"
#include "util/text.h"

#define MAXF 32
#define MAXR 64

typedef struct table {
    char *cell[MAXR][MAXF];
    size_t nf[MAXR];
    size_t nrows;
} table;

static void on_field(void *s, size_t n, void *ud)
{
    table *t = ud;
    assert_true(t->nrows < MAXR);
    size_t *nf = &t->nf[t->nrows];
    assert_true(*nf < MAXF);
    char *c = malloc(n + 1);
    assert_non_null(c);
    memcpy(c, s, n);
    c[n] = '\0';
    t->cell[t->nrows][(*nf)++] = c;
}

static void on_row(int ch, void *ud)
{
    (void)ch;
    ((table *)ud)->nrows++;
}

static void parse(const iom_buf *b, table *t)
{
    memset(t, 0, sizeof *t);
    struct csv_parser p;
    assert_int_equal(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL), 0);
    assert_int_equal(csv_parse(&p, b->data, b->len, on_field, on_row, t), b->len);
    assert_int_equal(csv_fini(&p, on_field, on_row, t), 0);
    assert_int_equal(csv_error(&p), CSV_SUCCESS);
    csv_free(&p);
}

static void table_free(table *t)
{
    for (size_t r = 0; r < MAXR; r++)
        for (size_t f = 0; f < t->nf[r]; f++)
            free(t->cell[r][f]);
}

/* What a cell must read for raw text: the UTF-8 repair, and the apostrophe defence. */
static void assert_cell(const char *got, const char *raw)
{
    iom_buf want = IOM_BUF_INIT;
    if (raw && strchr("=+-@\t\r", raw[0]) && raw[0])
        iom_buf_putc(&want, '\'');
    iom_buf_puts(&want, raw ? tx_utf8(raw) : "");
    assert_string_equal(got, iom_buf_cstr(&want));
    iom_buf_free(&want);
}

static const char *const columns[] = {
    "kind", "id", "type", "label", "end1", "end2", "directed", "first_seen", "last_seen",
    "confidence", "grade", "source_evaluation", "intelligence_assessment", "handling",
    "conditions", "marking", "sources", "attributes",
};
#define NCOL (sizeof columns / sizeof *columns)

static void check_facts(char **row, const export_facts *f)
{
    char g[GRADE_DISPLAY_MAX], one[2] = {0, 0};
    assert_cell(row[3], f->label);
    assert_cell(row[7], f->first_seen);
    assert_cell(row[8], f->last_seen);
    assert_true(strtod(row[9], NULL) == f->confidence);
    assert_string_equal(row[10], grade_format(&f->grade, g));
    one[0] = f->grade.source;
    assert_string_equal(row[11], one);
    one[0] = f->grade.assessment;
    assert_string_equal(row[12], one);
    one[0] = f->grade.handling;
    assert_string_equal(row[13], one);
    assert_cell(row[14], f->grade.handling == 'C' ? f->grade.conditions : NULL);
    assert_string_equal(row[15], iom_marking_name(f->marking));
    json_error_t jerr;
    json_t *src = json_loads(row[16], 0, &jerr);
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
        if (fs->grade.source && fs->grade.handling == 'C')
            assert_string_equal(json_string_value(json_object_get(s, "conditions")), tx_utf8(fs->grade.conditions));
        else
            assert_null(json_object_get(s, "conditions"));
        if (fs->seen)
            assert_string_equal(json_string_value(json_object_get(s, "seen")), fs->seen);
        else
            assert_null(json_object_get(s, "seen"));
    }
    json_decref(src);
    json_t *at = json_loads(row[17], 0, &jerr);
    assert_non_null(at);
    assert_int_equal(json_object_size(at), f->nattrs);
    for (size_t i = 0; i < f->nattrs; i++) {
        json_t *v = json_object_get(at, tx_utf8(f->attrs[i].key));
        if (f->attrs[i].number) { /* a JSON number, its digits as given */
            assert_true(json_is_number(v));
            assert_true(json_number_value(v) == strtod(f->attrs[i].value, NULL));
            char *cell = t_fmt("\"%s\":%s", f->attrs[i].key, f->attrs[i].value);
            assert_non_null(strstr(row[17], cell));
            free(cell);
        } else {
            assert_string_equal(json_string_value(v), tx_utf8(f->attrs[i].value));
        }
    }
    json_decref(at);
}

static void test_round_trip(void **state)
{
    (void)state;
    const export_chart *c = tx_chart();
    iom_buf b = IOM_BUF_INIT;
    iom_error err = {0};
    assert_int_equal(export_write_csv(c, &b, &err), IOM_OK);
    assert_true(iom_utf8_valid(b.data, b.len));
    table t;
    parse(&b, &t);
    assert_int_equal(t.nrows, 3 + c->nentities + c->nlinks);

    /* line 1: the marking, alone, first */
    assert_int_equal(t.nf[0], 1);
    assert_string_equal(t.cell[0][0], "# OFFICIAL-SENSITIVE; handling C: conditions in the chart row");
    assert_int_equal(strncmp(b.data, "# OFFICIAL-SENSITIVE", 20), 0);
    /* line 2: the header */
    assert_int_equal(t.nf[1], NCOL);
    for (size_t i = 0; i < NCOL; i++)
        assert_string_equal(t.cell[1][i], columns[i]);
    for (size_t r = 2; r < t.nrows; r++)
        assert_int_equal(t.nf[r], NCOL);

    /* line 3: the chart */
    char **row = t.cell[2];
    assert_string_equal(row[0], "chart");
    assert_string_equal(row[1], "OP-2026-0042");
    assert_cell(row[3], tx_title);
    assert_string_equal(row[7], "2026-11-18T11:06:40Z");
    assert_string_equal(row[13], "C");
    assert_string_equal(row[15], "OFFICIAL-SENSITIVE");
    json_error_t jerr;
    json_t *conds = json_loads(row[14], 0, &jerr);
    assert_non_null(conds);
    assert_int_equal(json_array_size(conds), tx_nconditions);
    for (size_t i = 0; i < tx_nconditions; i++)
        assert_string_equal(json_string_value(json_array_get(conds, i)), tx_conditions[i]);
    json_decref(conds);

    for (size_t i = 0; i < c->nentities; i++) {
        const export_entity *en = &c->entities[i];
        row = t.cell[3 + i];
        assert_string_equal(row[0], "entity");
        assert_cell(row[1], en->id);
        assert_string_equal(row[2], export_entity_type_name(en->type));
        assert_string_equal(row[4], "");
        assert_string_equal(row[5], "");
        assert_string_equal(row[6], "");
        check_facts(row, &en->f);
    }
    for (size_t i = 0; i < c->nlinks; i++) {
        const export_link *l = &c->links[i];
        row = t.cell[3 + c->nentities + i];
        assert_string_equal(row[0], "link");
        assert_cell(row[1], l->id);
        assert_cell(row[2], l->type);
        assert_cell(row[4], l->end1);
        assert_cell(row[5], l->end2);
        assert_string_equal(row[6], l->directed ? "true" : "false");
        check_facts(row, &l->f);
    }
    table_free(&t);
    iom_buf_free(&b);
}

/* Cells a spreadsheet would evaluate start with an apostrophe; nothing else does. */
static void test_formula_injection(void **state)
{
    (void)state;
    iom_buf b = IOM_BUF_INIT;
    iom_error err = {0};
    assert_int_equal(export_write_csv(tx_chart(), &b, &err), IOM_OK);
    table t;
    parse(&b, &t);
    int guarded = 0;
    for (size_t r = 2; r < t.nrows; r++)
        for (size_t f = 0; f < t.nf[r]; f++) {
            const char *v = t.cell[r][f];
            assert_true(!v[0] || !strchr("=+-@\t\r", v[0]));
            if (v[0] == '\'' && v[1] && strchr("=+-@\t\r", v[1]))
                guarded++;
        }
    /* E3 "+44 ...", E4 "-1 Main St", E5 "@AB12 CDE" */
    assert_int_equal(guarded, 3);
    table_free(&t);
    iom_buf_free(&b);
}

static void test_plain_chart(void **state)
{
    (void)state;
    iom_buf b = IOM_BUF_INIT;
    iom_error err = {0};
    assert_int_equal(export_write_csv(tx_chart_plain(), &b, &err), IOM_OK);
    table t;
    parse(&b, &t);
    assert_string_equal(t.cell[0][0], "# OFFICIAL");
    assert_string_equal(t.cell[2][13], "P");
    assert_string_equal(t.cell[2][14], "[]");
    assert_string_equal(t.cell[2][15], "OFFICIAL");
    assert_int_equal(t.nrows, 3 + 3 + 1);
    table_free(&t);
    iom_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_formula_injection),
        cmocka_unit_test(test_plain_chart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
