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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_log_entry), cmocka_unit_test(test_forms),
        cmocka_unit_test(test_ages),      cmocka_unit_test(test_not_taken),
        cmocka_unit_test(test_several),   cmocka_unit_test(test_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
