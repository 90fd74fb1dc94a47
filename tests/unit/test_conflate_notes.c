/* What `iom conflate` reads from a free-text notes column (src/conflate/notes.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "conflate/notes.h"

static conflate_notes nt;

static unsigned scan(const char *s) { return conflate_notes_scan(s, strlen(s), 2026, &nt); }

/* An intelligence log's usual description: each kind found, as written. */
static void test_log_entry(void **st)
{
    (void)st;
    unsigned got = scan("Male, DOB 12/03/1985, lives 23 Stanley St, Leeds LS2 9XX, mob 07700 900123, "
                        "seen with known associates");
    assert_int_equal(got, CONFLATE_NOTE_DOB | CONFLATE_NOTE_POSTCODE | CONFLATE_NOTE_PHONE);
    assert_string_equal(nt.dob, "12/03/1985");
    assert_string_equal(nt.postcode, "LS2 9XX");
    assert_string_equal(nt.phone, "07700 900123");
    assert_string_equal(nt.email, "");
    assert_int_equal(nt.several, 0);
}

/* Other ways of writing the same things. */
static void test_forms(void **st)
{
    (void)st;
    assert_int_equal(scan("Subject born on 4th July 1990 in Bradford. Tel: +44 (0)113 496 0000. "
                          "Email j.bloggs@example.co.uk."),
                     CONFLATE_NOTE_DOB | CONFLATE_NOTE_PHONE | CONFLATE_NOTE_EMAIL);
    assert_string_equal(nt.dob, "4th July 1990");
    assert_string_equal(nt.phone, "+44 (0)113 496 0000");
    assert_string_equal(nt.email, "j.bloggs@example.co.uk");
    assert_int_equal(scan("D.O.B: 1985-03-12; address 5 High St, m11ae"),
                     CONFLATE_NOTE_DOB | CONFLATE_NOTE_POSTCODE);
    assert_string_equal(nt.dob, "1985-03-12");
    assert_string_equal(nt.postcode, "M1 1AE");
    assert_int_equal(scan("date of birth - 03.11.79. No fixed abode"), CONFLATE_NOTE_DOB);
    assert_string_equal(nt.dob, "03.11.79");
    assert_int_equal(scan("(0113) 496 0000 is the landline"), CONFLATE_NOTE_PHONE);
    assert_string_equal(nt.phone, "(0113) 496 0000");
    assert_int_equal(scan("called from 07700900123"), CONFLATE_NOTE_PHONE);
    /* a number run on into another is cut at its last whole group */
    assert_int_equal(scan("mob 07700 900123 12 calls"), CONFLATE_NOTE_PHONE);
    assert_string_equal(nt.phone, "07700 900123");
}

/* Ages give an estimated year of birth, counted back from the year given. */
static void test_ages(void **st)
{
    (void)st;
    const char *const ages[] = {"aged 41", "Age: 41", "41 years old", "a 41-year-old male",
                                "41 y/o", "41yo", "approx 41 yrs", "about 41 years",
                                "aged approx 41", "c. 41 yrs"};
    for (size_t i = 0; i < sizeof ages / sizeof ages[0]; i++) {
        assert_int_equal(scan(ages[i]), CONFLATE_NOTE_AGE);
        assert_string_equal(nt.dob, "approx 1985");
    }
    /* a written date of birth wins over an age */
    assert_int_equal(scan("DOB 01/02/1980 (46 yrs old)"), CONFLATE_NOTE_DOB);
    assert_string_equal(nt.dob, "01/02/1980");
}

/* What is not a date of birth, an age, a phone or a postcode is not taken. */
static void test_not_taken(void **st)
{
    (void)st;
    /* an incident's date and time, a count of years, a duration */
    assert_int_equal(scan("Seen on 12/03/2024 at 14:30 with 2 associates; known 3 years; 0930 hrs"), 0);
    assert_int_equal(scan("sentenced to 4 yrs in 2019"), 0);
    /* a date that is not one, an implausible age */
    assert_int_equal(scan("DOB 31/02/1985"), 0);
    assert_int_equal(scan("aged 250"), 0);
    /* a vehicle registration mark is not a postcode; a reference is not a phone */
    assert_int_equal(scan("drives AB12 CDE, ref 0123456789012345"), 0);
    /* the local part of an e-mail address is not a postcode */
    assert_int_equal(scan("uses ls29xx@example.com"), CONFLATE_NOTE_EMAIL);
    assert_string_equal(nt.postcode, "");
    assert_int_equal(scan("no @ here, a@b, x@y.z"), 0);
    assert_int_equal(scan(""), 0);
}

/* Two different values of one kind: which is the subject's cannot be told, so neither is taken;
   one value written twice is one. */
static void test_several(void **st)
{
    (void)st;
    assert_int_equal(scan("lives LS2 9XX, visits BD1 1AA; mob 07700 900123"), CONFLATE_NOTE_PHONE);
    assert_int_equal(nt.several, CONFLATE_NOTE_POSTCODE);
    assert_string_equal(nt.postcode, "");
    assert_int_equal(scan("DOB 12/03/1985 or DOB 13/03/1985"), 0);
    assert_int_equal(nt.several, CONFLATE_NOTE_DOB);
    assert_string_equal(nt.dob, "");
    assert_int_equal(scan("LS2 9XX ... ls29xx again, DOB 12/03/1985 = dob 12 Mar 1985"),
                     CONFLATE_NOTE_POSTCODE | CONFLATE_NOTE_DOB);
    assert_string_equal(nt.postcode, "LS2 9XX");
    assert_string_equal(nt.dob, "12/03/1985");
    assert_int_equal(scan("mob 07700 900123, his brother's 07700 900456"), 0);
    assert_int_equal(nt.several, CONFLATE_NOTE_PHONE);
}

/* Hostile text: long, binary, unterminated patterns at the very end. */
static void test_hostile(void **st)
{
    (void)st;
    static char big[1 << 16];
    for (size_t i = 0; i + 1 < sizeof big; i++)
        big[i] = "0 7DOB@.-(/:"[i % 12];
    big[sizeof big - 1] = '\0';
    (void)scan(big);
    const char *ends[] = {"DOB", "DOB ", "born on", "aged", "0", "+", "(0", "a@", "@b.c", "LS2",
                          "LS2 9X", "07700 9001"};
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++)
        assert_int_equal(scan(ends[i]), 0);
    char nul[] = "DOB 12/03/1985\0 LS2 9XX";
    assert_int_equal(conflate_notes_scan(nul, sizeof nul - 1, 2026, &nt), CONFLATE_NOTE_DOB | CONFLATE_NOTE_POSTCODE);
}

/* An age column's forms (notes.h conflate_age_read): ages, estimates, ranges, months; words
   for not known; what is not an age. */
static void test_age_column(void **st)
{
    (void)st;
    static const struct {
        const char *s;
        int rc, lo, hi;
    } cases[] = {
        {"32", CONFLATE_AGE_OK, 32, 32},          {" 32 ", CONFLATE_AGE_OK, 32, 32},
        {"32.0", CONFLATE_AGE_OK, 32, 32},        {"32 yrs", CONFLATE_AGE_OK, 32, 32},
        {"32 years old", CONFLATE_AGE_OK, 32, 32}, {"32yo", CONFLATE_AGE_OK, 32, 32},
        {"32 Y/O", CONFLATE_AGE_OK, 32, 32},      {"aged 32", CONFLATE_AGE_OK, 32, 32},
        {"Age: 32", CONFLATE_AGE_OK, 32, 32},     {"approx 40", CONFLATE_AGE_OK, 40, 40},
        {"c. 40", CONFLATE_AGE_OK, 40, 40},       {"c40", CONFLATE_AGE_OK, 40, 40},
        {"~40", CONFLATE_AGE_OK, 40, 40},         {"40?", CONFLATE_AGE_OK, 40, 40},
        {"40 (est)", CONFLATE_AGE_OK, 40, 40},    {"40ish", CONFLATE_AGE_OK, 40, 40},
        {"aged approx 40", CONFLATE_AGE_OK, 40, 40}, {"25-30", CONFLATE_AGE_OK, 25, 30},
        {"25 - 30 yrs", CONFLATE_AGE_OK, 25, 30}, {"25 to 30", CONFLATE_AGE_OK, 25, 30},
        {"25\xe2\x80\x93" "30", CONFLATE_AGE_OK, 25, 30}, {"30-25", CONFLATE_AGE_OK, 25, 30},
        {"40+", CONFLATE_AGE_OK, 40, 45},         {"6 months", CONFLATE_AGE_OK, 0, 0},
        {"18 mths", CONFLATE_AGE_OK, 1, 1},       {"120", CONFLATE_AGE_OK, 120, 120},
        {"11m", CONFLATE_AGE_OK, 0, 0},           {"30m", CONFLATE_AGE_OK, 2, 2},
        {"6 wks", CONFLATE_AGE_OK, 0, 0},         {"6w", CONFLATE_AGE_OK, 0, 0},
        {"10 days", CONFLATE_AGE_OK, 0, 0},       {"10d", CONFLATE_AGE_OK, 0, 0},
        {"3/12", CONFLATE_AGE_OK, 0, 0},          {"15/12", CONFLATE_AGE_OK, 1, 1},
        {"2/52", CONFLATE_AGE_OK, 0, 0},          {"4/7", CONFLATE_AGE_OK, 0, 0},
        {"3/13", CONFLATE_AGE_BAD, 0, 0},         {"40/12", CONFLATE_AGE_BAD, 0, 0},
        {"200 weeks", CONFLATE_AGE_BAD, 0, 0},    {"5 x", CONFLATE_AGE_BAD, 0, 0},
        {"40s", CONFLATE_AGE_VAGUE, 40, 49},      {"20-35", CONFLATE_AGE_VAGUE, 20, 35},
        {"", CONFLATE_AGE_NONE, 0, 0},            {"  ", CONFLATE_AGE_NONE, 0, 0},
        {"Unknown", CONFLATE_AGE_NONE, 0, 0},     {"N/K", CONFLATE_AGE_NONE, 0, 0},
        {"NK", CONFLATE_AGE_NONE, 0, 0},          {"-", CONFLATE_AGE_NONE, 0, 0},
        {"0", CONFLATE_AGE_NONE, 0, 0},           {"tall", CONFLATE_AGE_BAD, 0, 0},
        {"1985", CONFLATE_AGE_BAD, 0, 0},         {"121", CONFLATE_AGE_BAD, 0, 0},
        {"32 m", CONFLATE_AGE_BAD, 0, 0},         {"25-", CONFLATE_AGE_BAD, 0, 0},
        {"48 months 2", CONFLATE_AGE_BAD, 0, 0},  {"40 months", CONFLATE_AGE_BAD, 0, 0},
        {"Ä32", CONFLATE_AGE_BAD, 0, 0},
        /* years and months (review 118) */
        {"2 years 6 months", CONFLATE_AGE_OK, 2, 2}, {"1 yr 3 mths", CONFLATE_AGE_OK, 1, 1},
        {"2y 6m", CONFLATE_AGE_OK, 2, 2},         {"14 yrs 11 months old", CONFLATE_AGE_OK, 14, 14},
        {"2 years 14 months", CONFLATE_AGE_BAD, 0, 0}, {"2 years 6", CONFLATE_AGE_BAD, 0, 0},
        {"25-30 yrs 6 months", CONFLATE_AGE_BAD, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int lo = -1, hi = -1;
        int rc = conflate_age_read(cases[i].s, strlen(cases[i].s), &lo, &hi);
        if (rc != cases[i].rc)
            fail_msg("'%s': %d, expected %d", cases[i].s, rc, cases[i].rc);
        if (rc == CONFLATE_AGE_OK || rc == CONFLATE_AGE_VAGUE) {
            assert_int_equal(lo, cases[i].lo);
            assert_int_equal(hi, cases[i].hi);
        }
    }
    char big[200];
    memset(big, '9', sizeof big);
    int lo, hi;
    assert_int_equal(conflate_age_read(big, sizeof big, &lo, &hi), CONFLATE_AGE_BAD);

    /* the birth: aged 32 on 5 July 2023, born 6 July 1990 - 5 July 1991: the middle of that
       (5 January 1991); aged 32 on 5 March 2023, early September 1990 */
    static const struct {
        int lo, hi;
        int32_t at;
        int year, month;
    } births[] = {
        {32, 32, 20230705, 1991, 1}, {32, 32, 20230305, 1990, 9}, {32, 32, 20231231, 1991, 6},
        {32, 32, 20230101, 1990, 7}, {32, 32, 20231100, 1991, 5},
        {32, 32, 20230000, 1991, 0},  /* a year alone: its middle, the year alone */
        {25, 30, 20240701, 1996, 0},  /* a range: births 1993.5 - 1999.5, a year */
        {0, 0, 20241001, 2024, 4},
        {32, 32, 20232400, 1990, 0},  /* a window around April 2023: its month, a year told
                                         (its month plus 20 was read as a month: 1992-06) */
    };
    for (size_t i = 0; i < sizeof births / sizeof births[0]; i++) {
        int m = -1, y = conflate_age_birth(births[i].lo, births[i].hi, births[i].at, &m);
        if (y != births[i].year || m != births[i].month)
            fail_msg("%d-%d at %d: %d-%02d, expected %d-%02d", births[i].lo, births[i].hi,
                     (int)births[i].at, y, m, births[i].year, births[i].month);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_log_entry), cmocka_unit_test(test_forms),
        cmocka_unit_test(test_ages),      cmocka_unit_test(test_not_taken),
        cmocka_unit_test(test_several),   cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_age_column),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
