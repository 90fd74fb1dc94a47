/*
 * The intelligence picture through the CLI (issue 16; docs/picture.md): datasets imported
 * into a tasking and resolved into entities and links with their sources, grades and
 * markings; the review queue and the analysts' decisions; need-to-know and clearance;
 * refusals that change nothing. Fixtures: tests/data/picture (synthetic).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "test_work_fixture.h"

#define DATA IOM_SOURCE_DIR "/tests/data/picture/"
#define NATIONAL DATA "national.csv"
#define REGIONAL DATA "regional.csv"
#define LOCAL DATA "local.csv"

#define NAT_FIELDS "--field", "id=id", "--field", "first_name=forename", "--field", "surname=surname", \
    "--field", "dob=dob", "--field", "phone=phone", "--field", "address=address", "--field",          \
    "postcode=postcode", "--field", "vehicle=vehicle"
#define REG_FIELDS "--field", "id=ref", "--field", "full_name=name", "--field", "dob=birth", "--field",  \
    "phone=mobile", "--field", "email=email", "--field", "sort_code=sort_code", "--field",            \
    "account=account_no", "--field", "organisation=employer"
#define LOC_FIELDS "--field", "id=id", "--field", "first_name=first", "--field", "surname=last",        \
    "--field", "dob=dob", "--field", "phone=phone", "--field", "address=address", "--field",          \
    "postcode=postcode", "--field", "date=date"

/* The person entity record `rkey` of dataset `name` supports. */
static long long person_of(const char *name, const char *rkey)
{
    char *q = t_fmt("SELECT s.entity_id FROM entity_source s JOIN entity e ON e.id = s.entity_id"
                    " JOIN dataset_record r ON r.id = s.record_id JOIN dataset d ON d.id = r.dataset_id"
                    " WHERE e.type = 'person' AND d.name = '%s' AND r.rkey = '%s'", name, rkey);
    long long v = scalar(q);
    free(q);
    return v;
}

UNUSED static char *ent_ref(long long id) { return t_fmt("ENT-%06lld", id); }

static void import_three(void)
{
    free(ok("toex-analyst", "dataset", "import", T1, NATIONAL, "--name", "PND extract", "--level",
            "national", "--grade", "1B", "--handling", "P", NAT_FIELDS, NULL));
    free(ok("toex-analyst", "dataset", "import", T1, REGIONAL, "--name", "ROCU nominals", "--level",
            "regional", "--grade", "2C", "--handling", "C", "--conditions", "no onward disclosure",
            REG_FIELDS, NULL));
    free(ok("toex-analyst", "dataset", "import", T1, LOCAL, "--name", "Force stop checks", "--level",
            "local", "--grade", "3A", "--handling", "P", "--marking", "OFFICIAL-SENSITIVE", LOC_FIELDS,
            NULL));
}

static void datasets_resolve_into_entities(void **state)
{
    (void)state;
    import_three();
    assert_int_equal(scalar("SELECT count(*) FROM dataset"), 3);
    assert_int_equal(scalar("SELECT count(*) FROM dataset_record"), 15);
    /* one audit entry per import, with the checksum and the resolution's settings */
    assert_int_equal(scalar("SELECT count(*) FROM audit WHERE action = 'dataset.import'"), 3);
    assert_int_equal(scalar("SELECT count(*) FROM audit WHERE action = 'dataset.import' AND after_json"
                            " LIKE '%\"sha256\":\"%' AND after_json LIKE '%\"link_threshold\":%'"), 3);
    /* the same person across the three levels is one entity */
    long long smith = person_of("PND extract", "N1");
    assert_true(smith > 0);
    assert_int_equal(person_of("ROCU nominals", "R1"), smith);
    assert_int_equal(person_of("Force stop checks", "L1"), smith);
    assert_int_equal(person_of("ROCU nominals", "R3"), person_of("PND extract", "N5"));
    assert_true(person_of("PND extract", "N2") != smith);
    /* identifiers: one phone entity in E.164 from three formats, with three sources */
    assert_int_equal(scalar("SELECT count(*) FROM entity WHERE type = 'phone' AND key = '+447700900123'"), 1);
    assert_int_equal(scalar("SELECT count(*) FROM entity_source s JOIN entity e ON e.id = s.entity_id"
                            " WHERE e.key = '+447700900123'"), 3);
    assert_int_equal(scalar("SELECT count(*) FROM entity WHERE type = 'account' AND key = '112233-12345678'"), 1);
    assert_int_equal(scalar("SELECT count(*) FROM entity WHERE type = 'vehicle' AND key = 'AB12CDE'"), 1);
    assert_int_equal(scalar("SELECT count(*) FROM entity WHERE type = 'organisation'"), 2);
    assert_int_equal(scalar("SELECT count(*) FROM entity WHERE type = 'online_identity'"), 3);
    /* links: lives_at, uses_phone, employs (organisation -> person) */
    char *q = t_fmt("SELECT count(*) FROM link WHERE type = 'uses_phone' AND from_id = %lld", smith);
    assert_int_equal(scalar(q), 1);
    free(q);
    assert_int_equal(scalar("SELECT count(*) FROM link l JOIN entity o ON o.id = l.from_id WHERE"
                            " l.type = 'employs' AND o.key = 'ACME CAR WASH LTD'"), 3);
    /* an unusable telephone number is skipped and counted */
    assert_int_equal(scalar("SELECT count(*) FROM dataset WHERE name = 'Force stop checks' AND"
                            " settings_json LIKE '%\"unusable_values\":1,%'"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(datasets_resolve_into_entities),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
