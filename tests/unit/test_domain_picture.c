/*
 * The rules of the intelligence picture (domain/picture.h, issue 16): vocabularies, the
 * normalised identifiers, and the per-axis grade and marking combination of several sources.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "domain/picture.h"

static void norm_ok(iom_err (*fn)(const char *, char *, iom_error *), const char *in, const char *want)
{
    char out[PIC_KEY_MAX];
    iom_error e = {0};
    iom_err rc = fn(in, out, &e);
    if (rc)
        fprintf(stderr, "'%s': %s\n", in, e.msg);
    assert_int_equal(rc, IOM_OK);
    assert_string_equal(out, want);
}

static void norm_bad(iom_err (*fn)(const char *, char *, iom_error *), const char *in, const char *field)
{
    char out[PIC_KEY_MAX];
    iom_error e = {0};
    assert_int_equal(fn(in, out, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, field));
}

static void phones_to_e164(void **state)
{
    (void)state;
    const char *london[] = {"020 7946 0958", "(020) 7946-0958", "+44 (0)20 7946 0958",
                            "0044 20 7946 0958", "+44 20 7946 0958", "442079460958",
                            "02079460958", "+44 020 7946 0958", "020.7946.0958"};
    for (size_t i = 0; i < sizeof london / sizeof *london; i++)
        norm_ok(picture_norm_phone, london[i], "+442079460958");
    norm_ok(picture_norm_phone, "07700 900123", "+447700900123");
    norm_ok(picture_norm_phone, "+447700900123", "+447700900123");
    norm_ok(picture_norm_phone, "0800 123456", "+44800123456");
    norm_ok(picture_norm_phone, "+48 601 234 567", "+48601234567");
    norm_ok(picture_norm_phone, "0048 601 234 567", "+48601234567");
    norm_bad(picture_norm_phone, "12345", "phone");
    norm_bad(picture_norm_phone, "0770090012", "phone"); /* 10 digits: one short of a mobile */
    norm_bad(picture_norm_phone, "07700 9001x3", "phone");
    norm_bad(picture_norm_phone, "", "phone");
    norm_bad(picture_norm_phone, "+44 20 7946 09581", "phone");
}

static void registration_marks(void **state)
{
    (void)state;
    norm_ok(picture_norm_vehicle, "ab12 cde", "AB12CDE");
    norm_ok(picture_norm_vehicle, "AB12-CDE", "AB12CDE");
    norm_ok(picture_norm_vehicle, "A1", "A1");
    norm_bad(picture_norm_vehicle, "AB12 CDE9X", "vehicle");
    norm_bad(picture_norm_vehicle, "AB_12", "vehicle");
    norm_bad(picture_norm_vehicle, "A", "vehicle");
}

static void accounts(void **state)
{
    (void)state;
    char out[PIC_KEY_MAX];
    iom_error e = {0};
    assert_int_equal(picture_norm_account("11-22-33", "12345678", out, &e), IOM_OK);
    assert_string_equal(out, "112233-12345678");
    assert_int_equal(picture_norm_account("112233", "1234567", out, &e), IOM_OK);
    assert_string_equal(out, "112233-01234567");
    assert_int_equal(picture_norm_account("11 22 33", "123456", out, &e), IOM_OK);
    assert_string_equal(out, "112233-00123456");
    assert_int_equal(picture_norm_account("11-22-3", "12345678", out, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "sort_code"));
    assert_int_equal(picture_norm_account("11-22-33", "12345", out, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "account"));
    assert_int_equal(picture_norm_account("11-22-33", "12345678901", out, &e), IOM_EINVAL);
}

static void emails_and_postcodes(void **state)
{
    (void)state;
    norm_ok(picture_norm_email, "  J.Smith@Example.CO.UK ", "j.smith@example.co.uk");
    norm_bad(picture_norm_email, "j.smith", "email");
    norm_bad(picture_norm_email, "@example.com", "email");
    norm_bad(picture_norm_email, "a@b@example.com", "email");
    norm_bad(picture_norm_email, "a b@example.com", "email");
    norm_bad(picture_norm_email, "a@example", "email");
    norm_ok(picture_norm_postcode, "ls11aa", "LS1 1AA");
    norm_ok(picture_norm_postcode, "SW1A 2AA", "SW1A 2AA");
    norm_ok(picture_norm_postcode, "m1 1ae", "M1 1AE");
    norm_bad(picture_norm_postcode, "LS1", "postcode");
    norm_bad(picture_norm_postcode, "1S1 1AA", "postcode");
    norm_bad(picture_norm_postcode, "LS1 AAA", "postcode");
    char out[PIC_KEY_MAX];
    iom_error e = {0};
    assert_int_equal(picture_norm_text("address", " 12, High St.\tLeeds ", out, &e), IOM_OK);
    assert_string_equal(out, "12 HIGH ST LEEDS");
    assert_int_equal(picture_norm_text("address", " -- ", out, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "address"));
    /* a long text is cut on a whole character, whatever its width (review 64: cut inside
       one, the key was invalid UTF-8 and PostgreSQL refused the whole import) */
    const char *wide[] = {"\xC5\xBC", "\xE2\x82\xAC", "\xF0\x9F\x98\x80"}; /* ż € 😀 */
    for (int pad = 0; pad < 4; pad++)
        for (size_t k = 0; k < 3; k++) {
            char in[1200];
            size_t n = 0;
            for (int i = 0; i < pad; i++)
                in[n++] = 'a';
            while (n + 4 < sizeof in - 1)
                for (const char *p = wide[k]; *p; p++)
                    in[n++] = *p;
            in[n] = 0;
            assert_int_equal(picture_norm_text("organisation", in, out, &e), IOM_OK);
            size_t len = strlen(out), w = strlen(wide[k]);
            assert_true(len >= PIC_KEY_MAX - 2 - 4 && len <= PIC_KEY_MAX - 2);
            assert_int_equal((len - (size_t)pad) % w, 0);
            assert_memory_equal(out + len - w, wide[k], w);
        }
}

static void vocabularies(void **state)
{
    (void)state;
    iom_error e = {0};
    picture_entity_type t;
    assert_int_equal(picture_entity_type_parse("online_identity", &t, &e), IOM_OK);
    assert_int_equal(t, PIC_ONLINE_IDENTITY);
    assert_int_equal(picture_entity_type_parse("spaceship", &t, &e), IOM_EINVAL);
    picture_link_type l;
    assert_int_equal(picture_link_type_parse("lives_at", &l, &e), IOM_OK);
    assert_true(picture_link_directed(l));
    assert_int_equal(picture_link_type_parse("associate", &l, &e), IOM_OK);
    assert_false(picture_link_directed(l));
    assert_false(picture_link_directed(PIC_FAMILY));
    assert_false(picture_link_directed(PIC_TRAVELS_WITH));
    assert_true(picture_link_directed(PIC_PAYS));
    assert_true(picture_link_directed(PIC_EXPLOITS));
    picture_role r;
    assert_int_equal(picture_role_parse("sort_code", &r, &e), IOM_OK);
    assert_int_equal(picture_role_parse("shoe_size", &r, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "unknown role 'shoe_size'"));
    picture_entity_type et;
    assert_true(picture_role_entity(PIC_R_PHONE, &et, &l));
    assert_int_equal(et, PIC_PHONE);
    assert_int_equal(l, PIC_USES_PHONE);
    assert_true(picture_role_entity(PIC_R_ORGANISATION, &et, &l));
    assert_int_equal(l, PIC_EMPLOYS);
    assert_false(picture_role_entity(PIC_R_SURNAME, &et, &l));
    assert_false(picture_role_entity(PIC_R_POSTCODE, &et, &l));
    picture_level lv;
    assert_int_equal(picture_level_parse("regional", &lv, &e), IOM_OK);
    assert_int_equal(lv, PIC_REGIONAL);
    assert_int_equal(picture_level_parse("parish", &lv, &e), IOM_EINVAL);
}

static void grades_combine_per_axis(void **state)
{
    (void)state;
    iom_error e = {0};
    char cond[64];
    iom_grade out;
    /* 1E and 3A: the worst of each axis, 3E, though no source is 3E. */
    iom_grade a[] = {{'1', 'E', 'P', NULL}, {'3', 'A', 'P', NULL}};
    assert_int_equal(picture_grade_combine(a, 2, cond, sizeof cond, &out, &e), IOM_OK);
    assert_int_equal(out.source, '3');
    assert_int_equal(out.assessment, 'E');
    assert_int_equal(out.handling, 'P');
    assert_null(out.conditions);
    /* one C source makes the whole C, with its conditions; duplicates once */
    iom_grade b[] = {{'2', 'B', 'P', NULL}, {'1', 'C', 'C', "no onward"}, {'1', 'A', 'C', "ask the OIC"},
                     {'2', 'A', 'C', "no onward"}};
    assert_int_equal(picture_grade_combine(b, 4, cond, sizeof cond, &out, &e), IOM_OK);
    assert_int_equal(out.source, '2');
    assert_int_equal(out.assessment, 'C');
    assert_int_equal(out.handling, 'C');
    assert_string_equal(out.conditions, "no onward; ask the OIC");
    /* a single source is its own grade */
    assert_int_equal(picture_grade_combine(b + 1, 1, cond, sizeof cond, &out, &e), IOM_OK);
    assert_int_equal(out.source, '1');
    assert_int_equal(out.assessment, 'C');
    assert_string_equal(out.conditions, "no onward");
    /* conditions that do not fit are cut at a whole one */
    char small[16];
    iom_grade c[] = {{'1', 'A', 'C', "first cond"}, {'1', 'A', 'C', "second condition"}};
    assert_int_equal(picture_grade_combine(c, 2, small, sizeof small, &out, &e), IOM_OK);
    assert_string_equal(out.conditions, "first cond; ...");
    /* no source, or an invalid one */
    assert_int_equal(picture_grade_combine(a, 0, cond, sizeof cond, &out, &e), IOM_EINVAL);
    iom_grade bad[] = {{'4', 'A', 'P', NULL}};
    assert_int_equal(picture_grade_combine(bad, 1, cond, sizeof cond, &out, &e), IOM_EINVAL);
}

/* Conditions are whole strings (review 87 L2): one holding "; " is kept once however many
   sources give it, and a condition "B" is not taken as present when another reads "A; B". */
static void conditions_are_whole_strings(void **state)
{
    (void)state;
    iom_error e = {0};
    char cond[256];
    iom_grade out;
    const char *yh = "Not to be disclosed outside YHROCU; source protection";
    iom_grade a[] = {{'2', 'C', 'C', yh}, {'2', 'C', 'C', yh}, {'1', 'B', 'C', yh}};
    assert_int_equal(picture_grade_combine(a, 3, cond, sizeof cond, &out, &e), IOM_OK);
    assert_string_equal(out.conditions, yh);
    iom_grade b[] = {{'2', 'C', 'C', "A; B"}, {'2', 'C', 'C', "B"}};
    assert_int_equal(picture_grade_combine(b, 2, cond, sizeof cond, &out, &e), IOM_OK);
    assert_string_equal(out.conditions, "A; B; B");
}

/* The entity types each link type joins (review 87 M2), and every link the roles make is
   one of them. */
static void link_ends(void **state)
{
    (void)state;
    iom_error e = {0};
    assert_int_equal(picture_link_allowed(PIC_PAYS, PIC_PERSON, PIC_ADDRESS, &e), IOM_EINVAL);
    assert_string_equal(e.msg, "type: pays does not link person to address (it links person, organisation, account to "
                                "person, organisation, account)");
    assert_int_equal(picture_link_allowed(PIC_LIVES_AT, PIC_ADDRESS, PIC_PHONE, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "lives_at"));
    assert_non_null(strstr(e.msg, "address"));
    assert_non_null(strstr(e.msg, "phone"));
    assert_int_equal(picture_link_allowed(PIC_LIVES_AT, PIC_PERSON, PIC_ADDRESS, &e), IOM_OK);
    assert_int_equal(picture_link_allowed(PIC_LIVES_AT, PIC_ADDRESS, PIC_PERSON, &e), IOM_EINVAL);
    assert_int_equal(picture_link_allowed(PIC_CONTACTS, PIC_PHONE, PIC_PHONE, &e), IOM_OK);
    assert_int_equal(picture_link_allowed(PIC_CONTACTS, PIC_PERSON, PIC_PHONE, &e), IOM_EINVAL);
    assert_int_equal(picture_link_allowed(PIC_FAMILY, PIC_PERSON, PIC_PERSON, &e), IOM_OK);
    assert_int_equal(picture_link_allowed(PIC_ASSOCIATE, PIC_PERSON, PIC_ORGANISATION, &e), IOM_OK);
    assert_int_equal(picture_link_allowed(PIC_ASSOCIATE, PIC_ORGANISATION, PIC_PERSON, &e), IOM_OK);
    assert_int_equal(picture_link_allowed(PIC_PAYS, PIC_ACCOUNT, PIC_ACCOUNT, &e), IOM_OK);
    assert_int_equal(picture_link_allowed(PIC_HOLDS_ACCOUNT, PIC_ORGANISATION, PIC_ACCOUNT, &e), IOM_OK);
    assert_int_equal(picture_link_allowed(PIC_HOLDS_ACCOUNT, PIC_PHONE, PIC_ACCOUNT, &e), IOM_EINVAL);
    assert_int_equal(picture_link_allowed(PIC_ATTENDED, PIC_PERSON, PIC_EVENT, &e), IOM_OK);
    assert_int_equal(picture_link_allowed(PIC_CONTROLS, PIC_PERSON, PIC_LOCATION, &e), IOM_OK);
    for (int r = 0; r < PIC_ROLE_COUNT; r++) {
        picture_entity_type t;
        picture_link_type l;
        if (!picture_role_entity((picture_role)r, &t, &l))
            continue;
        picture_entity_type from = t == PIC_ORGANISATION ? PIC_ORGANISATION : PIC_PERSON;
        picture_entity_type to = t == PIC_ORGANISATION ? PIC_PERSON : t;
        assert_int_equal(picture_link_allowed(l, from, to, &e), IOM_OK);
    }
}

static void markings_combine(void **state)
{
    (void)state;
    iom_marking m[] = {IOM_MARKING_OFFICIAL, IOM_MARKING_OFFICIAL_SENSITIVE, IOM_MARKING_OFFICIAL};
    assert_int_equal(picture_marking_combine(m, 3), IOM_MARKING_OFFICIAL_SENSITIVE);
    assert_int_equal(picture_marking_combine(m, 1), IOM_MARKING_OFFICIAL);
    assert_int_equal(picture_marking_combine(m, 0), IOM_MARKING_OFFICIAL);
}

static void who_may_write(void **state)
{
    (void)state;
    iom_error e = {0};
    assert_int_equal(picture_may_write(IOM_TS_IN_DEVELOPMENT, false, &e), IOM_OK);
    assert_int_equal(picture_may_write(IOM_TS_IN_DEVELOPMENT, true, &e), IOM_OK);
    assert_int_equal(picture_may_write(IOM_TS_TOR_AGREED, true, &e), IOM_OK);
    assert_int_equal(picture_may_write(IOM_TS_REASSESSMENT, true, &e), IOM_OK);
    assert_int_equal(picture_may_write(IOM_TS_TOR_AGREED, false, &e), IOM_EFORBIDDEN);
    assert_non_null(strstr(e.msg, "only the tasking's SIA"));
    assert_int_equal(picture_may_write(IOM_TS_REASSESSMENT, false, &e), IOM_EFORBIDDEN);
    assert_int_equal(picture_may_write(IOM_TS_CLOSED, true, &e), IOM_ECONFLICT);
    assert_int_equal(picture_may_write(IOM_TS_DRAFT, true, &e), IOM_ECONFLICT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(phones_to_e164),       cmocka_unit_test(registration_marks),
        cmocka_unit_test(accounts),             cmocka_unit_test(emails_and_postcodes),
        cmocka_unit_test(vocabularies),         cmocka_unit_test(grades_combine_per_axis), cmocka_unit_test(conditions_are_whole_strings), cmocka_unit_test(link_ends),
        cmocka_unit_test(markings_combine),     cmocka_unit_test(who_may_write),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
