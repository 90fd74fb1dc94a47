/*
 * Where roles belong (issue 12 point 3; docs/domain.md §3) against
 * tests/fixtures/domain_roles.csv, written from the docs by domain_roles.py (never from src/):
 * every role at every kind of agency, the region's Gateway agency or not, through
 * roles_agency_check, the rule user creation and role changes apply. A refusal names the role.
 */
#include <stdio.h>
#include <string.h>

#include "testutil.h"

#include "domain/roles.h"

#define FIXTURE IOM_SOURCE_DIR "/tests/fixtures/domain_roles.csv"

static void every_row(void **state)
{
    (void)state;
    FILE *fp = fopen(FIXTURE, "r");
    assert_non_null(fp);
    char line[512];
    assert_non_null(fgets(line, sizeof line, fp));
    assert_non_null(strstr(line, "role,agency,kind,region_gateway,expect"));
    int rows = 0, wrong = 0;
    while (fgets(line, sizeof line, fp)) {
        char role[32], agency[32], kind[32], expect[16];
        int gw = 0;
        assert_int_equal(sscanf(line, "%31[^,],%31[^,],%31[^,],%d,%15[^,]", role, agency, kind, &gw, expect), 5);
        iom_role r;
        iom_agency_kind k;
        assert_int_equal(iom_role_parse(role, &r, NULL), IOM_OK);
        assert_int_equal(iom_agency_kind_parse(kind, &k, NULL), IOM_OK);
        iom_error e = {0};
        iom_err got = roles_agency_check(IOM_ROLE_BIT(r), k, agency, gw != 0, &e);
        bool want_ok = strcmp(expect, "ok") == 0;
        if ((got == IOM_OK) != want_ok || (!want_ok && (got != IOM_EINVAL || !strstr(e.msg, role)))) {
            fprintf(stderr, "wrong: %s", line);
            fprintf(stderr, "  got %d: %s\n", got, e.msg);
            wrong++;
        }
        rows++;
    }
    fclose(fp);
    print_message("domain_roles.csv: %d rows checked, %d wrong\n", rows, wrong);
    assert_int_equal(rows, 15 * 6);
    assert_int_equal(wrong, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(every_row)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
