/*
 * test_export_json.c: the JSON of the hostile fixture chart parsed by jansson (which refuses
 * invalid UTF-8) and compared field by field with the chart.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "export_fixture.h"
#include "testutil.h"

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

static void assert_opt(json_t *o, const char *k, const char *want)
{
    json_t *v = json_object_get(o, k);
    assert_non_null(v); /* present, null when unknown */
    if (!want)
        assert_true(json_is_null(v));
    else
        assert_string_equal(json_string_value(v), tx_utf8(want));
}

static void check_facts(json_t *o, const export_facts *f)
{
    char g[GRADE_DISPLAY_MAX], one[2] = {0, 0};
    assert_string_equal(str(o, "label"), tx_utf8(f->label ? f->label : ""));
    assert_opt(o, "first_seen", f->first_seen);
    assert_opt(o, "last_seen", f->last_seen);
    assert_true(json_number_value(json_object_get(o, "confidence")) == f->confidence);
    json_t *gr = json_object_get(o, "grade");
    assert_string_equal(str(gr, "display"), grade_format(&f->grade, g));
    one[0] = f->grade.source;
    assert_string_equal(str(gr, "source_evaluation"), one);
    one[0] = f->grade.assessment;
    assert_string_equal(str(gr, "intelligence_assessment"), one);
    one[0] = f->grade.handling;
    assert_string_equal(str(gr, "handling"), one);
    assert_opt(gr, "conditions", f->grade.handling == 'C' ? f->grade.conditions : NULL);
    assert_string_equal(str(o, "marking"), iom_marking_name(f->marking));
    json_t *src = json_object_get(o, "sources");
    assert_int_equal(json_array_size(src), f->nsources);
    for (size_t i = 0; i < f->nsources; i++) {
        assert_string_equal(str(json_array_get(src, i), "type"),
                            export_source_kind_name(f->sources[i].kind));
        assert_string_equal(str(json_array_get(src, i), "ref"), tx_utf8(f->sources[i].ref));
        /* each source's own grade and date (review 87 M3) */
        char sg[GRADE_DISPLAY_MAX];
        const export_source *fs = &f->sources[i];
        if (fs->grade.source)
            assert_string_equal(json_string_value(json_object_get(json_array_get(src, i), "grade")), grade_format(&fs->grade, sg));
        else
            assert_null(json_object_get(json_array_get(src, i), "grade"));
        if (fs->grade.source && fs->grade.handling == 'C')
            assert_string_equal(json_string_value(json_object_get(json_array_get(src, i), "conditions")), tx_utf8(fs->grade.conditions));
        else
            assert_null(json_object_get(json_array_get(src, i), "conditions"));
        if (fs->seen)
            assert_string_equal(json_string_value(json_object_get(json_array_get(src, i), "seen")), fs->seen);
        else
            assert_null(json_object_get(json_array_get(src, i), "seen"));
    }
    json_t *at = json_object_get(o, "attributes");
    assert_int_equal(json_object_size(at), f->nattrs);
    for (size_t i = 0; i < f->nattrs; i++) {
        json_t *v = json_object_get(at, tx_utf8(f->attrs[i].key));
        if (f->attrs[i].number) {
            assert_true(json_is_number(v));
            assert_true(json_number_value(v) == strtod(f->attrs[i].value, NULL));
        } else {
            assert_string_equal(str(at, tx_utf8(f->attrs[i].key)), tx_utf8(f->attrs[i].value));
        }
    }
}

static json_t *load(const export_chart *c)
{
    iom_buf b = IOM_BUF_INIT;
    iom_error err = {0};
    assert_int_equal(export_write_json(c, &b, &err), IOM_OK);
    json_error_t jerr;
    json_t *j = json_loadb(b.data, b.len, JSON_REJECT_DUPLICATES, &jerr);
    if (!j)
        fail_msg("not JSON: %s (line %d)", jerr.text, jerr.line);
    iom_buf_free(&b);
    return j;
}

static void test_round_trip(void **state)
{
    (void)state;
    const export_chart *c = tx_chart();
    json_t *j = load(c);
    assert_string_equal(str(j, "format"), "iom-picture");
    assert_int_equal(json_integer_value(json_object_get(j, "version")), 1);
    assert_string_equal(str(j, "marking"), "OFFICIAL-SENSITIVE");
    assert_string_equal(str(j, "handling"), "C");
    json_t *conds = json_object_get(j, "handling_conditions");
    assert_int_equal(json_array_size(conds), tx_nconditions);
    for (size_t i = 0; i < tx_nconditions; i++)
        assert_string_equal(json_string_value(json_array_get(conds, i)), tx_conditions[i]);
    assert_string_equal(str(j, "tasking"), "OP-2026-0042");
    assert_string_equal(str(j, "title"), tx_utf8(tx_title));
    assert_string_equal(str(j, "generated_at"), "2026-11-18T11:06:40Z");

    json_t *ents = json_object_get(j, "entities");
    assert_int_equal(json_array_size(ents), c->nentities);
    for (size_t i = 0; i < c->nentities; i++) {
        json_t *o = json_array_get(ents, i);
        assert_string_equal(str(o, "id"), c->entities[i].id);
        assert_string_equal(str(o, "type"), export_entity_type_name(c->entities[i].type));
        check_facts(o, &c->entities[i].f);
    }
    json_t *links = json_object_get(j, "links");
    assert_int_equal(json_array_size(links), c->nlinks);
    for (size_t i = 0; i < c->nlinks; i++) {
        const export_link *l = &c->links[i];
        json_t *o = json_array_get(links, i);
        assert_string_equal(str(o, "id"), l->id);
        assert_string_equal(str(o, "type"), l->type);
        assert_string_equal(str(o, "end1"), l->end1);
        assert_string_equal(str(o, "end2"), l->end2);
        assert_true(json_is_boolean(json_object_get(o, "directed")));
        assert_int_equal(json_is_true(json_object_get(o, "directed")), l->directed);
        check_facts(o, &l->f);
    }
    json_decref(j);
}

/* A number attribute is written as a JSON number with its digits as given ("1500.50", not
   1500.5: an amount keeps its minor units), and a value that is not one is refused. */
static void test_numbers_keep_their_digits(void **state)
{
    (void)state;
    iom_buf b = IOM_BUF_INIT;
    iom_error err = {0};
    assert_int_equal(export_write_json(tx_chart(), &b, &err), IOM_OK);
    assert_non_null(strstr(iom_buf_cstr(&b), "\"amount_GBP\":1500.50}"));
    assert_non_null(strstr(iom_buf_cstr(&b), "\"transactions\":3,"));
    iom_buf_free(&b);
}

static void test_plain_chart(void **state)
{
    (void)state;
    json_t *j = load(tx_chart_plain());
    assert_string_equal(str(j, "marking"), "OFFICIAL");
    assert_string_equal(str(j, "handling"), "P");
    assert_int_equal(json_array_size(json_object_get(j, "handling_conditions")), 0);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_numbers_keep_their_digits),
        cmocka_unit_test(test_plain_chart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
