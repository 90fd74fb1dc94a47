/*
 * 3x5x2 grading, the legacy 5x5x5 mapping and PND status (docs/domain.md §4), against
 * tests/fixtures/domain_grades.csv (hand-written) and domain_legacy_grades.csv (all 125 legacy
 * codes, written by domain_legacy_grades.py from the domain text).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/grade.h"

/* Splits a CSV line without quoting, keeping empty fields. Returns the field count. */
static int split(char *line, char **f, int max)
{
    line[strcspn(line, "\n")] = '\0';
    int n = 0;
    char *p = line;
    while (n < max) {
        f[n++] = strsep(&p, ",");
        if (!p)
            break;
    }
    return n;
}

static const char *opt(const char *s) { return *s ? s : NULL; }

static void test_grades_fixture(void **state)
{
    (void)state;
    FILE *fp = fopen(IOM_SOURCE_DIR "/tests/fixtures/domain_grades.csv", "r");
    assert_non_null(fp);
    char line[256];
    assert_non_null(fgets(line, sizeof line, fp));
    int rows = 0, failures = 0;
    while (fgets(line, sizeof line, fp)) {
        rows++;
        char copy[256], *f[5];
        snprintf(copy, sizeof copy, "%s", line);
        assert_int_equal(split(copy, f, 5), 5);
        iom_grade g = {'9', 'Z', 'Q', "sentinel"};
        iom_error e = {0};
        iom_err rc = grade_parse(&g, opt(f[0]), opt(f[1]), opt(f[2]), &e);
        bool ok;
        if (strcmp(f[3], "invalid") == 0) {
            ok = rc == IOM_EINVAL && e.msg[0] && g.source == '9' && g.handling == 'Q' &&
                 strcmp(g.conditions, "sentinel") == 0;
        } else {
            char shown[GRADE_DISPLAY_MAX];
            ok = rc == IOM_OK && strcmp(grade_format(&g, shown), f[3]) == 0 &&
                 grade_check(&g, NULL) == IOM_OK &&
                 (g.handling == 'C' ? g.conditions == opt(f[2]) : g.conditions == NULL);
        }
        if (!ok) {
            failures++;
            print_error("row %d (%s): %s -> %s (%s)\n", rows + 1, f[4], line, iom_err_name(rc),
                        e.msg);
        }
    }
    fclose(fp);
    print_message("domain_grades.csv: %d rows checked\n", rows);
    assert_true(rows >= 30);
    assert_int_equal(failures, 0);
}

/* Every two-character code: valid exactly when source is 1-3 and assessment A-E (any case). */
static void test_every_two_char_code(void **state)
{
    (void)state;
    int valid = 0;
    for (int s = 1; s < 256; s++)
        for (int a = 1; a < 256; a++) {
            char code[3] = {(char)s, (char)a, 0};
            iom_grade g;
            iom_err rc = grade_parse(&g, code, "P", NULL, NULL);
            bool want = s >= '1' && s <= '3' &&
                        ((a >= 'A' && a <= 'E') || (a >= 'a' && a <= 'e'));
            assert_int_equal(rc == IOM_OK, want);
            valid += rc == IOM_OK;
        }
    assert_int_equal(valid, 3 * 5 * 2);
}

static void test_messages(void **state)
{
    (void)state;
    iom_grade g;
    iom_error e = {0};
    assert_int_equal(grade_parse(&g, "4F", "P", NULL, &e), IOM_EINVAL);
    assert_string_equal(e.msg, "grade: '4F': source evaluation '4' is not 1 (reliable), 2 "
                               "(untested) or 3 (not reliable)");
    assert_int_equal(grade_parse(&g, "1F", "P", NULL, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "intelligence assessment 'F'"));
    assert_int_equal(grade_parse(&g, "1B", "C", NULL, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "conditions: missing for handling 'C'; rule: a C item must "
                                  "carry its conditions"));
    assert_int_equal(grade_parse(&g, "1B", NULL, NULL, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "handling: missing for grade '1B'"));
    /* a long value is cut in the message */
    char big[300];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(grade_parse(&g, big, "P", NULL, &e), IOM_EINVAL);
    assert_true(strlen(e.msg) < 200);
}

static void test_check_and_format(void **state)
{
    (void)state;
    char shown[GRADE_DISPLAY_MAX];
    iom_grade bad = {'4', 'B', 'P', NULL};
    assert_int_equal(grade_check(&bad, NULL), IOM_EINVAL);
    assert_string_equal(grade_format(&bad, shown), "?");
    iom_grade c = {'2', 'C', 'C', NULL};
    assert_int_equal(grade_check(&c, NULL), IOM_EINVAL);
    /* a disposed item's conditions are erased: its grade still shows its letters (an API
       review saw "?") */
    assert_string_equal(grade_format(&c, shown), "2C C");
    iom_grade bad_h = {'2', 'C', 'X', NULL};
    assert_string_equal(grade_format(&bad_h, shown), "?");
    c.conditions = "only within the originating agency";
    assert_int_equal(grade_check(&c, NULL), IOM_OK);
    assert_string_equal(grade_format(&c, shown), "2C C");
    iom_grade p = {'1', 'A', 'P', "x"};
    assert_int_equal(grade_check(&p, NULL), IOM_EINVAL);
    iom_grade zero = {0};
    assert_int_equal(grade_check(&zero, NULL), IOM_EINVAL);
    assert_int_equal(grade_check(NULL, NULL), IOM_EINVAL);
    assert_string_equal(grade_source_text('2'), "untested");
    assert_string_equal(grade_assessment_text('E'), "suspected to be false");
    assert_string_equal(grade_handling_text('C'), "lawful sharing permitted subject to conditions");
    assert_string_equal(grade_source_text('4'), "?");
    assert_string_equal(grade_assessment_text('F'), "?");
    assert_string_equal(grade_handling_text('X'), "?");
}

static void test_legacy_fixture(void **state)
{
    (void)state;
    FILE *fp = fopen(IOM_SOURCE_DIR "/tests/fixtures/domain_legacy_grades.csv", "r");
    assert_non_null(fp);
    char line[128];
    assert_non_null(fgets(line, sizeof line, fp));
    int rows = 0;
    while (fgets(line, sizeof line, fp)) {
        rows++;
        char *f[3];
        assert_int_equal(split(line, f, 3), 3);
        iom_grade g;
        char orig[GRADE_LEGACY_MAX], shown[GRADE_DISPLAY_MAX];
        iom_error e = {0};
        assert_int_equal(grade_from_legacy(&g, orig, f[0], NULL, &e), IOM_OK);
        assert_string_equal(grade_format(&g, shown), f[1]);
        assert_string_equal(orig, f[0]); /* the original grade preserved */
        if (*f[2]) {
            /* the original handling code is the condition text */
            assert_non_null(g.conditions);
            size_t n = strlen(g.conditions);
            assert_true(n > 0 && g.conditions[n - 1] == f[2][0]);
            assert_non_null(strstr(g.conditions, "5x5x5 handling code"));
        } else {
            assert_null(g.conditions);
        }
    }
    fclose(fp);
    assert_int_equal(rows, 125);
}

static void test_legacy_forms_and_errors(void **state)
{
    (void)state;
    iom_grade g;
    char orig[GRADE_LEGACY_MAX], shown[GRADE_DISPLAY_MAX];
    static const char *const same[] = {"B24", "B2 4", "b/2/4", "B-2-4", "B 2 4", "b24"};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        assert_int_equal(grade_from_legacy(&g, orig, same[i], NULL, NULL), IOM_OK);
        assert_string_equal(orig, "B24");
        assert_string_equal(grade_format(&g, shown), "1A C");
    }
    static const char *const bad[] = {"",    "F11",  "A61",  "A16",   "A1",   "A114",
                                      "A//14", "A1  4", "1A1", "A1_4", " A14", "A14 "};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        iom_error e = {0};
        memcpy(orig, "zz", 3);
        assert_int_equal(grade_from_legacy(&g, orig, bad[i], NULL, &e), IOM_EINVAL);
        assert_non_null(strstr(e.msg, "legacy grade"));
        assert_string_equal(orig, "zz");
    }
    assert_int_equal(grade_from_legacy(&g, orig, NULL, NULL, NULL), IOM_EINVAL);
}

static void test_legacy_map_override(void **state)
{
    (void)state;
    const grade_legacy_map *def = grade_legacy_default();
    assert_int_equal(grade_legacy_map_check(def, NULL), IOM_OK);
    grade_legacy_map m = *def;
    m.handling[2] = 'C'; /* a force that treats handling 3 as conditional ... */
    iom_error e = {0};
    assert_int_equal(grade_legacy_map_check(&m, &e), IOM_EINVAL); /* ... must say under what */
    assert_non_null(strstr(e.msg, "handling 3 maps to C without condition text"));
    iom_grade g;
    char orig[GRADE_LEGACY_MAX], shown[GRADE_DISPLAY_MAX];
    assert_int_equal(grade_from_legacy(&g, orig, "A13", &m, NULL), IOM_EINVAL);
    m.conditions[2] = "non-EEA law enforcement only";
    assert_int_equal(grade_from_legacy(&g, orig, "A13", &m, NULL), IOM_OK);
    assert_string_equal(grade_format(&g, shown), "1A C");
    assert_string_equal(g.conditions, "non-EEA law enforcement only");
    m.source[3] = '4';
    assert_int_equal(grade_legacy_map_check(&m, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "source D maps to '4'"));
    m = *def;
    m.assessment[0] = 'F';
    assert_int_equal(grade_legacy_map_check(&m, NULL), IOM_EINVAL);
    m = *def;
    m.handling[0] = 'X';
    assert_int_equal(grade_legacy_map_check(&m, NULL), IOM_EINVAL);
    assert_int_equal(grade_legacy_map_check(NULL, NULL), IOM_EINVAL);
}

static void test_pnd(void **state)
{
    (void)state;
    static const char *const words[] = {"pending", "recorded", "not_required"};
    for (int i = 0; i < IOM_PND_COUNT; i++) {
        iom_pnd_status s;
        assert_string_equal(grade_pnd_name((iom_pnd_status)i), words[i]);
        assert_int_equal(grade_pnd_parse(words[i], &s, NULL), IOM_OK);
        assert_int_equal(s, i);
    }
    iom_pnd_status s = IOM_PND_PENDING;
    iom_error e = {0};
    assert_int_equal(grade_pnd_parse("done", &s, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "pnd: 'done'"));
    assert_string_equal(grade_pnd_name(IOM_PND_COUNT), "?");

    assert_int_equal(grade_pnd_check(IOM_PND_PENDING, NULL, NULL, NULL, NULL), IOM_OK);
    assert_int_equal(grade_pnd_check(IOM_PND_PENDING, "", "", "", NULL), IOM_OK);
    assert_int_equal(grade_pnd_check(IOM_PND_PENDING, "PND/1", NULL, NULL, NULL), IOM_EINVAL);
    assert_int_equal(grade_pnd_check(IOM_PND_RECORDED, "PND/1", "2026-11-25", NULL, NULL), IOM_OK);
    assert_int_equal(grade_pnd_check(IOM_PND_RECORDED, NULL, "2026-11-25", NULL, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "pnd_ref: missing"));
    assert_int_equal(grade_pnd_check(IOM_PND_RECORDED, " ", "2026-11-25", NULL, NULL), IOM_EINVAL);
    assert_int_equal(grade_pnd_check(IOM_PND_RECORDED, "PND/1", NULL, NULL, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "pnd_date: missing"));
    assert_int_equal(grade_pnd_check(IOM_PND_RECORDED, "PND/1", "2026-02-30", NULL, NULL),
                     IOM_EINVAL);
    assert_int_equal(grade_pnd_check(IOM_PND_RECORDED, "PND/1", "2026-11-25", "why", NULL),
                     IOM_EINVAL);
    assert_int_equal(grade_pnd_check(IOM_PND_NOT_REQUIRED, NULL, NULL, "duplicate of PND/7", NULL),
                     IOM_OK);
    assert_int_equal(grade_pnd_check(IOM_PND_NOT_REQUIRED, NULL, NULL, NULL, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "pnd_reason: missing"));
    assert_int_equal(grade_pnd_check(IOM_PND_NOT_REQUIRED, "PND/1", NULL, "r", NULL), IOM_EINVAL);
    assert_int_equal(grade_pnd_check(IOM_PND_COUNT, NULL, NULL, NULL, NULL), IOM_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grades_fixture),
        cmocka_unit_test(test_every_two_char_code),
        cmocka_unit_test(test_messages),
        cmocka_unit_test(test_check_and_format),
        cmocka_unit_test(test_legacy_fixture),
        cmocka_unit_test(test_legacy_forms_and_errors),
        cmocka_unit_test(test_legacy_map_override),
        cmocka_unit_test(test_pnd),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
