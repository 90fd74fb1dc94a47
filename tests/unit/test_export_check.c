/*
 * test_export_check.c: what the export writers refuse (each refusal names the item and the
 * field, and leaves the output buffer as it was, in every format), the handling summary the
 * disclosure log records, and the module's vocabulary.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "export_fixture.h"
#include "testutil.h"

#define MAXE 8
#define MAXL 8

/* A mutable copy of the fixture chart. */
typedef struct copy {
    export_chart c;
    export_entity e[MAXE];
    export_link l[MAXL];
} copy;

static void copy_init(copy *k)
{
    const export_chart *c = tx_chart();
    assert_true(c->nentities <= MAXE && c->nlinks <= MAXL);
    k->c = *c;
    memcpy(k->e, c->entities, sizeof *k->e * c->nentities);
    memcpy(k->l, c->links, sizeof *k->l * c->nlinks);
    k->c.entities = k->e;
    k->c.links = k->l;
}

/* Every writer refuses the chart with code rc and a message holding each of the words; the
   buffer keeps what it had. */
static void refused(const copy *k, iom_err rc, const char *w1, const char *w2)
{
    for (int f = 0; f < EXPORT_FORMAT_COUNT; f++) {
        iom_buf b = IOM_BUF_INIT;
        iom_buf_puts(&b, "before");
        iom_error err = {0};
        assert_int_equal(export_write((export_format)f, &k->c, &b, &err), rc);
        if (w1 && !strstr(err.msg, w1))
            fail_msg("%s: message '%s' does not name '%s'", export_format_name((export_format)f),
                     err.msg, w1);
        if (w2 && !strstr(err.msg, w2))
            fail_msg("%s: message '%s' does not name '%s'", export_format_name((export_format)f),
                     err.msg, w2);
        assert_int_equal(b.len, 6);
        assert_string_equal(b.data, "before");
        iom_buf_free(&b);
    }
}

/* A number attribute must hold a decimal number (JSON's grammar without an exponent: JSON
   and CSV write its text as a JSON number); a source's own grade and date are checked as an
   item's (review 87 M3). */
static void test_bad_numbers_and_source_grades(void **state)
{
    (void)state;
    const char *bad[] = {"", "1e3", "01", "1.", ".5", "+1", "1,000", "NaN", "12a", NULL};
    for (int i = 0; bad[i]; i++) {
        copy k;
        copy_init(&k);
        export_attr a[1] = {{"transactions", bad[i], true}};
        k.l[3].f.attrs = a;
        k.l[3].f.nattrs = 1;
        refused(&k, IOM_EINVAL, "link 'L4'", "not a decimal number");
    }
    const char *good[] = {"0", "3", "-1.5", "1500.50", "92233720368547758.07", NULL};
    for (int i = 0; good[i]; i++) {
        copy k;
        copy_init(&k);
        export_attr a[1] = {{"transactions", good[i], true}};
        k.l[3].f.attrs = a;
        k.l[3].f.nattrs = 1;
        iom_error err = {0};
        assert_int_equal(export_chart_check(&k.c, &err), IOM_OK);
    }
    const char *bad_times[] = {"24:00:00", "1:00:00", "10:60:00", "10:00:61", "10-00-00", "", NULL};
    for (int i = 0; bad_times[i]; i++) {
        copy k;
        copy_init(&k);
        k.l[2].f.time = bad_times[i];
        refused(&k, IOM_EINVAL, "link 'L3'", "time");
    }
    copy k;
    copy_init(&k);
    k.l[0].f.first_seen = NULL;
    k.l[0].f.time = "10:00:00";
    refused(&k, IOM_EINVAL, "link 'L1'", "without a first-seen date");
    copy_init(&k);
    export_source s[1] = {{EXPORT_SOURCE_DATASET_ROW, "R1", {.source = '1', .assessment = 'Z', .handling = 'P'}, NULL}};
    k.e[0].f.sources = s;
    k.e[0].f.nsources = 1;
    refused(&k, IOM_EINVAL, "entity 'E1'", "assessment");
    s[0].grade = (iom_grade){.source = '1', .assessment = 'A', .handling = 'C'}; /* C without conditions */
    refused(&k, IOM_EINVAL, "entity 'E1'", "conditions");
    s[0].grade = (iom_grade){.source = '1', .assessment = 'A', .handling = 'P'};
    s[0].seen = "2024-02-30";
    refused(&k, IOM_EINVAL, "entity 'E1'", "source 1");
}

static void test_fixture_is_accepted(void **state)
{
    (void)state;
    iom_error err = {0};
    assert_int_equal(export_chart_check(tx_chart(), &err), IOM_OK);
    assert_int_equal(export_chart_check(tx_chart_plain(), &err), IOM_OK);
}

static void test_link_to_unknown_entity(void **state)
{
    (void)state;
    copy k;
    copy_init(&k);
    k.l[2].end2 = "E99";
    refused(&k, IOM_EINVAL, "link 'L3'", "end2 'E99' is not an entity");
}

static void test_duplicate_ids(void **state)
{
    (void)state;
    copy k;
    copy_init(&k);
    k.e[3].id = "E1";
    refused(&k, IOM_EINVAL, "entity 'E1'", "two entities");
    copy_init(&k);
    k.l[4].id = "L1";
    refused(&k, IOM_EINVAL, "link 'L1'", "two links");
}

static void test_bad_ids(void **state)
{
    (void)state;
    copy k;
    const char *bad[] = {"", "E\x01", "E\n1", "E\xff", NULL};
    for (int i = 0; i < 5; i++) {
        copy_init(&k);
        k.e[1].id = bad[i];
        refused(&k, IOM_EINVAL, "entity 2", "id");
    }
    char longid[EXPORT_MAX_ID + 2];
    memset(longid, 'x', sizeof longid - 1);
    longid[sizeof longid - 1] = '\0';
    copy_init(&k);
    k.e[0].id = longid;
    refused(&k, IOM_EINVAL, "entity 1", "longer than");
    copy_init(&k);
    k.l[0].end1 = NULL;
    refused(&k, IOM_EINVAL, "link 'L1'", "end1 is empty");
    copy_init(&k);
    k.l[0].type = "";
    refused(&k, IOM_EINVAL, "link 'L1'", "type is empty");
}

static void test_bad_fields(void **state)
{
    (void)state;
    copy k;
    copy_init(&k);
    k.e[0].type = EXPORT_ENTITY_TYPE_COUNT;
    refused(&k, IOM_EINVAL, "entity 'E1'", "type");

    copy_init(&k);
    k.e[0].f.grade.source = '4';
    refused(&k, IOM_EINVAL, "entity 'E1'", "grade");
    copy_init(&k);
    k.e[0].f.grade.handling = 'C'; /* C without conditions */
    refused(&k, IOM_EINVAL, "entity 'E1'", "condition");
    copy_init(&k);
    k.l[1].f.grade.handling = 'P'; /* P with conditions */
    refused(&k, IOM_EINVAL, "link 'L2'", "condition");

    copy_init(&k);
    k.e[0].f.first_seen = "2024-02-30";
    refused(&k, IOM_EINVAL, "entity 'E1'", "first seen");
    copy_init(&k);
    k.l[0].f.last_seen = "2024-01-01"; /* before its first seen 2024-02-01 */
    refused(&k, IOM_EINVAL, "link 'L1'", "before first seen");

    double bad[] = {-0.01, 1.0001, NAN, INFINITY};
    for (int i = 0; i < 4; i++) {
        copy_init(&k);
        k.e[2].f.confidence = bad[i];
        refused(&k, IOM_EINVAL, "entity 'E3'", "confidence");
    }

    copy_init(&k);
    k.e[0].f.marking = IOM_MARKING_COUNT;
    refused(&k, IOM_EINVAL, "entity 'E1'", "marking");
    copy_init(&k);
    k.c.marking = (iom_marking)7;
    refused(&k, IOM_EINVAL, "chart", "marking");
}

static void test_bad_attributes_and_sources(void **state)
{
    (void)state;
    copy k;
    export_attr twice[] = {{"colour", "red"}, {"colour", "blue"}};
    copy_init(&k);
    k.e[6].f.attrs = twice;
    k.e[6].f.nattrs = 2;
    refused(&k, IOM_EINVAL, "entity 'E7'", "given twice");
    export_attr empty[] = {{"", "x"}};
    copy_init(&k);
    k.e[6].f.attrs = empty;
    k.e[6].f.nattrs = 1;
    refused(&k, IOM_EINVAL, "entity 'E7'", "empty key");
    /* keys that a repair would make equal ("\xff" and "\xfe" both U+FFFD) are refused */
    const char *badkeys[] = {"\xff", "col\x01", "a\xEF\xBF\xBF" "b"};
    for (int i = 0; i < 3; i++) {
        export_attr bad[] = {{badkeys[i], "x"}};
        copy_init(&k);
        k.e[6].f.attrs = bad;
        k.e[6].f.nattrs = 1;
        refused(&k, IOM_EINVAL, "entity 'E7'", "attribute 1's key");
    }
    copy_init(&k);
    k.l[0].type = "assoc\xff";
    refused(&k, IOM_EINVAL, "link 'L1'", "type is not valid UTF-8");
    export_source nosrc[] = {{EXPORT_SOURCE_INTEL_ITEM, ""}};
    copy_init(&k);
    k.l[4].f.sources = nosrc;
    k.l[4].f.nsources = 1;
    refused(&k, IOM_EINVAL, "link 'L5'", "empty reference");
    export_source badkind[] = {{EXPORT_SOURCE_KIND_COUNT, "X"}};
    copy_init(&k);
    k.l[4].f.sources = badkind;
    k.l[4].f.nsources = 1;
    refused(&k, IOM_EINVAL, "link 'L5'", "unknown kind");
}

static void test_oversized(void **state)
{
    (void)state;
    copy k;
    size_t n = EXPORT_MAX_TEXT + 1;
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, 'a', n);
    big[n] = '\0';
    copy_init(&k);
    k.e[0].f.label = big;
    refused(&k, IOM_ETOOBIG, "entity 'E1'", "label");
    copy_init(&k);
    k.c.title = big;
    refused(&k, IOM_ETOOBIG, "chart", "title");
    free(big);
    copy_init(&k);
    k.c.nentities = (size_t)EXPORT_MAX_ITEMS + 1;
    refused(&k, IOM_ETOOBIG, "entities", NULL);
}

static void test_handling_summary(void **state)
{
    (void)state;
    export_handling h;
    iom_error err = {0};
    assert_int_equal(export_handling_of(tx_chart(), &h, &err), IOM_OK);
    assert_int_equal(h.marking, IOM_MARKING_OFFICIAL_SENSITIVE);
    assert_true(h.conditional);
    assert_int_equal(h.nconditions, tx_nconditions);
    for (size_t i = 0; i < h.nconditions; i++)
        assert_string_equal(h.conditions[i], tx_conditions[i]);
    export_handling_free(&h);

    assert_int_equal(export_handling_of(tx_chart_plain(), &h, &err), IOM_OK);
    assert_int_equal(h.marking, IOM_MARKING_OFFICIAL);
    assert_false(h.conditional);
    assert_int_equal(h.nconditions, 0);
    export_handling_free(&h);

    /* the chart's own marking is a floor */
    export_chart c = *tx_chart_plain();
    c.marking = IOM_MARKING_OFFICIAL_SENSITIVE;
    assert_int_equal(export_handling_of(&c, &h, &err), IOM_OK);
    assert_int_equal(h.marking, IOM_MARKING_OFFICIAL_SENSITIVE);
    export_handling_free(&h);

    /* an empty chart is a valid (empty) export */
    export_chart empty = {.tasking_ref = "OP-1", .marking = IOM_MARKING_OFFICIAL};
    for (int f = 0; f < EXPORT_FORMAT_COUNT; f++) {
        iom_buf b = IOM_BUF_INIT;
        assert_int_equal(export_write((export_format)f, &empty, &b, &err), IOM_OK);
        assert_non_null(strstr(b.data, "OFFICIAL"));
        iom_buf_free(&b);
    }
}

static void test_vocabulary(void **state)
{
    (void)state;
    export_format f;
    iom_error err = {0};
    const char *names[] = {"anx", "graphml", "csv", "json"};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(export_format_parse(names[i], &f, &err), IOM_OK);
        assert_int_equal(f, i);
        assert_string_equal(export_format_name(f), names[i]);
        assert_true(strlen(export_format_media_type(f)) > 5);
    }
    assert_int_equal(export_format_parse("xlsx", &f, &err), IOM_EINVAL);
    assert_non_null(strstr(err.msg, "format"));
    assert_int_equal(export_write(EXPORT_FORMAT_COUNT, tx_chart(), &(iom_buf)IOM_BUF_INIT, &err),
                     IOM_EINVAL);
    for (int t = 0; t < EXPORT_ENTITY_TYPE_COUNT; t++) {
        export_entity_type back;
        assert_int_equal(export_entity_type_parse(export_entity_type_name((export_entity_type)t),
                                                  &back, &err), IOM_OK);
        assert_int_equal(back, t);
    }
    export_entity_type back;
    assert_int_equal(export_entity_type_parse("ship", &back, &err), IOM_EINVAL);
    assert_string_equal(export_entity_type_name(EXPORT_ONLINE_IDENTITY), "online_identity");
    assert_string_equal(export_entity_type_title(EXPORT_ONLINE_IDENTITY), "Online identity");
    assert_string_equal(export_source_kind_name(EXPORT_SOURCE_INTEL_ITEM), "intelligence_item");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture_is_accepted),
        cmocka_unit_test(test_link_to_unknown_entity),
        cmocka_unit_test(test_duplicate_ids),
        cmocka_unit_test(test_bad_ids),
        cmocka_unit_test(test_bad_fields),
        cmocka_unit_test(test_bad_numbers_and_source_grades),
        cmocka_unit_test(test_bad_attributes_and_sources),
        cmocka_unit_test(test_oversized),
        cmocka_unit_test(test_handling_summary),
        cmocka_unit_test(test_vocabulary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
