/* Unit tests of src/util: text validation, UTF-8, slugs, dates, UK time, errors, arenas. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/jsonr.h"
#include "util/text.h"
#include "util/timefmt.h"

static void utf8_validation(void **state)
{
    (void)state;
    assert_true(iom_utf8_valid("plain", 5));
    { const char *s = "Bj\xC3\xB6rk \xE2\x82\xAC \xF0\x9F\x98\x80"; assert_true(iom_utf8_valid(s, strlen(s))); }
    assert_false(iom_utf8_valid("\xC3\x28", 2));         /* bad continuation */
    assert_false(iom_utf8_valid("\xC0\xAF", 2));         /* overlong '/' */
    assert_false(iom_utf8_valid("\xED\xA0\x80", 3));     /* surrogate */
    assert_false(iom_utf8_valid("\xF4\x90\x80\x80", 4)); /* above U+10FFFF */
    assert_false(iom_utf8_valid("\xE2\x82", 2));         /* truncated */
    assert_false(iom_utf8_valid("\xFF", 1));
    /* the eight-byte path: faults in and after long ASCII runs, NUL only with _nonul */
    assert_true(iom_utf8_valid("a long ascii run of text", 24));
    assert_false(iom_utf8_valid("a long ascii run\xC3\x28of text", 26));
    assert_false(iom_utf8_valid("0123456789abcdef\xE2\x82", 18));
    assert_true(iom_utf8_valid("abcdefgh\0ijklmnop", 18));
    assert_false(iom_utf8_valid_nonul("abcdefgh\0ijklmnop", 18));
    assert_false(iom_utf8_valid_nonul("abc\0", 4));
    assert_false(iom_utf8_valid_nonul("abcdefghijklmno\0", 16));
    { const char *s = "Bj\xC3\xB6rk and a long tail of ascii"; assert_true(iom_utf8_valid_nonul(s, strlen(s))); }
    /* repair: every stray byte becomes '?', whole characters stay */
    {
        char s[] = "caf\xC3\xA9 \xC5 \xE2\x82\xAC\xE2\x82 x\xFF\xC0\xAF";
        assert_int_equal(iom_utf8_repair(s), 6);
        assert_string_equal(s, "caf\xC3\xA9 ? \xE2\x82\xAC?? x???");
        assert_true(iom_utf8_valid(s, strlen(s)));
        char ok[] = "Bj\xC3\xB6rk";
        assert_int_equal(iom_utf8_repair(ok), 0);
        assert_string_equal(ok, "Bj\xC3\xB6rk");
    }
    /* every position of a NUL and of a bad byte in a 40-byte field */
    for (size_t at = 0; at < 40; at++) {
        char f[40];
        memset(f, 'x', sizeof f);
        f[at] = 0;
        assert_true(iom_utf8_valid(f, sizeof f));
        assert_false(iom_utf8_valid_nonul(f, sizeof f));
        f[at] = (char)0x80;
        assert_false(iom_utf8_valid(f, sizeof f));
        assert_false(iom_utf8_valid_nonul(f, sizeof f));
    }
}

static void text_rules(void **state)
{
    (void)state;
    iom_error e = {0};
    assert_int_equal(iom_text_check("title", "ok title", 200, IOM_TEXT_REQUIRED | IOM_TEXT_SINGLE_LINE, &e), IOM_OK);
    assert_int_equal(iom_text_check("title", "", 200, IOM_TEXT_REQUIRED, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "title"));
    assert_int_equal(iom_text_check("title", NULL, 200, 0, &e), IOM_OK);
    assert_int_equal(iom_text_check("title", "a\tb", 200, IOM_TEXT_SINGLE_LINE, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "0x09"));
    assert_int_equal(iom_text_check("text", "a\nb\tc", 200, IOM_TEXT_MULTI_LINE, &e), IOM_OK);
    assert_int_equal(iom_text_check("text", "a\x1b[31m", 200, IOM_TEXT_MULTI_LINE, &e), IOM_EINVAL);
    /* bidirectional embeddings, overrides and isolates, and C1 controls: refused in any field;
       right-to-left letters and the LRM/RLM marks are text */
    assert_int_equal(iom_text_check("text", "pay \xE2\x80\xAE" "0001\xE2\x80\xAC", 200, IOM_TEXT_MULTI_LINE, &e),
                     IOM_EINVAL);
    assert_non_null(strstr(e.msg, "U+202E at byte 4"));
    assert_int_equal(iom_text_check("name", "x\xE2\x81\xA6y", 200, IOM_TEXT_SINGLE_LINE, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "U+2066"));
    assert_int_equal(iom_text_check("name", "x\xE2\x81\xA9", 200, 0, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "U+2069"));
    assert_int_equal(iom_text_check("text", "a\xC2\x85" "b", 200, IOM_TEXT_MULTI_LINE, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "U+0085"));
    assert_int_equal(iom_text_check("name", "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D \xE2\x80\x8F(2)", 200,
                                    IOM_TEXT_SINGLE_LINE, &e), IOM_OK);
    assert_int_equal(iom_text_check("name", "caf\xC3\xA9 \xE2\x80\x94 \xE2\x82\xAC", 200, IOM_TEXT_SINGLE_LINE, &e),
                     IOM_OK); /* U+00E9, U+2014, U+20AC: next to the ranges, allowed */
    /* invisible characters: a zero-width space, a word joiner, a byte-order mark anywhere; a
       line separator in a single line; only spaces (Unicode's too); a no-break space at an end */
    assert_int_equal(iom_text_check("name", "a\xE2\x80\x8B" "b", 200, IOM_TEXT_SINGLE_LINE, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "U+200B at byte 1"));
    assert_int_equal(iom_text_check("name", "a\xE2\x81\xA0" "b", 200, IOM_TEXT_MULTI_LINE, &e), IOM_EINVAL);
    assert_int_equal(iom_text_check("name", "\xEF\xBB\xBF", 200, IOM_TEXT_SINGLE_LINE, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "U+FEFF"));
    assert_int_equal(iom_text_check("title", "line1\xE2\x80\xA8line2", 200, IOM_TEXT_SINGLE_LINE, &e),
                     IOM_EINVAL);
    assert_non_null(strstr(e.msg, "U+2028"));
    assert_int_equal(iom_text_check("text", "line1\xE2\x80\xA8line2", 200, IOM_TEXT_MULTI_LINE, &e), IOM_OK);
    assert_int_equal(iom_text_check("title", "\xC2\xA0\xC2\xA0", 200, IOM_TEXT_SINGLE_LINE, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "title: must not be blank"));
    assert_int_equal(iom_text_check("reason", " \t\n \xE3\x80\x80", 200, IOM_TEXT_REQUIRED | IOM_TEXT_MULTI_LINE, &e),
                     IOM_EINVAL);
    assert_non_null(strstr(e.msg, "reason: must not be blank"));
    assert_int_equal(iom_text_check("title", "abc\xC2\xA0", 200, IOM_TEXT_SINGLE_LINE, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "leading or trailing spaces"));
    assert_int_equal(iom_text_check("title", "a\xC2\xA0" "b", 200, IOM_TEXT_SINGLE_LINE, &e), IOM_OK);
    /* zero-width joiners and non-joiners are letters' business (Persian, Indic scripts, emoji) */
    assert_int_equal(iom_text_check("name", "\xD9\x85\xE2\x80\x8C\xD9\x87", 200, IOM_TEXT_SINGLE_LINE, &e), IOM_OK);
    assert_int_equal(iom_text_check("name", "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x94\xA7", 200,
                                    IOM_TEXT_SINGLE_LINE, &e), IOM_OK); /* an emoji sequence */
    /* ... but between Latin letters a joiner only hides: "Op<ZWJ>Larch" looks like "OpLarch"
       on the SOC master list (an API review found these accepted) */
    static const struct {
        const char *text, *cp;
    } hidden[] = {
        {"Op\xE2\x80\x8DLarch", "U+200D at byte 2"},   /* zero-width joiner */
        {"Op\xE2\x80\x8CLarch", "U+200C at byte 2"},   /* zero-width non-joiner */
        {"Op\xC2\xADLarch", "U+00AD at byte 2"},        /* soft hyphen */
        {"Op\xCD\x8FLarch", "U+034F at byte 2"},        /* combining grapheme joiner */
        {"Op\xE1\xA0\x8ELarch", "U+180E at byte 2"},   /* Mongolian vowel separator */
        {"Op\xF3\xA0\x81\x81Larch", "U+E0041 at byte 2"}, /* a tag character */
        {"Op\xEF\xBF\xBFLarch", "U+FFFF at byte 2"},   /* a noncharacter */
        {"Op\xEF\xB7\x90Larch", "U+FDD0 at byte 2"},   /* a noncharacter */
        {"Op\xE2\x81\xA3Larch", "U+2063 at byte 2"},   /* invisible separator */
        {"Op\xE3\x85\xA4Larch", "U+3164 at byte 2"},   /* Hangul filler */
    };
    for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++) {
        assert_int_equal(iom_text_check("title", hidden[i].text, 200, IOM_TEXT_SINGLE_LINE, &e), IOM_EINVAL);
        if (!strstr(e.msg, hidden[i].cp))
            fprintf(stderr, "%s: %s\n", hidden[i].cp, e.msg);
        assert_non_null(strstr(e.msg, hidden[i].cp));
        assert_non_null(strstr(e.msg, "invisible character"));
    }
    /* review 111 L6: no format character (Cf), private-use or unassigned code point in a typed
       field, visible or not */
    static const struct {
        const char *text, *want;
    } nottext[] = {
        {"T\xEF\xBF\xB9x", "U+FFF9 at byte 1"},           /* interlinear annotation anchor */
        {"T\xEF\xBF\xBBx", "U+FFFB at byte 1"},           /* interlinear annotation terminator */
        {"1\xD8\x80" "2", "U+0600 at byte 1, not allowed (a format"},   /* Arabic number sign (Cf) */
        {"x\xDC\x8Fy", "U+070F at byte 1, not allowed (a format"},      /* Syriac abbreviation mark (Cf) */
        {"x\xEE\x80\x80y", "U+E000 at byte 1, not allowed (a private-use"},
        {"x\xEF\xA3\xBFy", "U+F8FF at byte 1, not allowed (a private-use"},
        {"x\xCD\xB8y", "U+0378 at byte 1, not allowed (a code point Unicode has not assigned"},
    };
    for (size_t i = 0; i < sizeof nottext / sizeof nottext[0]; i++) {
        assert_int_equal(iom_text_check("title", nottext[i].text, 200, IOM_TEXT_MULTI_LINE, &e), IOM_EINVAL);
        if (!strstr(e.msg, nottext[i].want))
            fprintf(stderr, "%s: %s\n", nottext[i].want, e.msg);
        assert_non_null(strstr(e.msg, nottext[i].want));
    }
    /* ... while the Persian non-joiner, a direction mark in Arabic and Mongolian selectors stay */
    assert_int_equal(iom_text_check("name", "\xD9\x85\xE2\x80\x8C\xD9\x87 \xD8\xB9\xE2\x80\x8F(2)", 200,
                                    IOM_TEXT_SINGLE_LINE, &e), IOM_OK);
    /* variation selectors stay: an emoji's presentation, an ideograph's variant, a keycap */
    assert_int_equal(iom_text_check("text", "\xE2\x9D\xA4\xEF\xB8\x8F", 200, IOM_TEXT_MULTI_LINE, &e), IOM_OK);
    assert_int_equal(iom_text_check("text", "press 1\xEF\xB8\x8F\xE2\x83\xA3 now", 200, IOM_TEXT_MULTI_LINE, &e),
                     IOM_OK);
    /* ... but those a script needs hide as well between Latin letters (a second review):
       direction marks, variation selectors, joiners behind a variation selector */
    static const struct {
        const char *text, *cp;
    } hidden2[] = {
        {"Op\xE2\x80\x8ELarch", "U+200E"},              /* left-to-right mark */
        {"Op\xE2\x80\x8FLarch", "U+200F"},              /* right-to-left mark */
        {"Op\xD8\x9CLarch", "U+061C"},                   /* Arabic letter mark */
        {"Op\xEF\xB8\x8FLarch", "U+FE0F"},              /* variation selector 16 */
        {"Op\xEF\xB8\x80Larch", "U+FE00"},              /* variation selector 1 */
        {"Op\xF3\xA0\x84\x80Larch", "U+E0100"},        /* variation selector 17 */
        {"Op\xE1\xA0\x8BLarch", "U+180B"},              /* Mongolian free variation selector */
        {"Op\xEF\xB8\x8F\xE2\x80\x8D\xEF\xB8\x8FLarch", "U+FE0F"},
        {"abc\xEF\xB8\x8F", "U+FE0F"},                  /* after the last letter */
    };
    for (size_t i = 0; i < sizeof hidden2 / sizeof hidden2[0]; i++) {
        assert_int_equal(iom_text_check("title", hidden2[i].text, 200, IOM_TEXT_SINGLE_LINE, &e), IOM_EINVAL);
        if (!strstr(e.msg, hidden2[i].cp))
            fprintf(stderr, "%s: %s\n", hidden2[i].cp, e.msg);
        assert_non_null(strstr(e.msg, hidden2[i].cp));
    }
    assert_int_equal(iom_text_check("title", "abc", 2, 0, &e), IOM_EINVAL); /* a field's rule: 400, not 413 */
    assert_non_null(strstr(e.msg, "limit of 2 bytes"));
    assert_int_equal(iom_text_check("title", "\xC3\x28", 200, 0, &e), IOM_EINVAL);
    assert_non_null(strstr(e.msg, "UTF-8"));
    assert_non_null(strstr(e.msg, "\\xC3"));
    assert_int_equal(iom_text_check("title", " padded", 200, IOM_TEXT_SINGLE_LINE, &e), IOM_EINVAL);
}

static void slugs(void **state)
{
    (void)state;
    iom_error e = {0};
    assert_int_equal(iom_slug_check("code", "west-yorkshire", 40, &e), IOM_OK);
    assert_int_equal(iom_slug_check("code", "yhrocu", 40, &e), IOM_OK);
    const char *bad[] = {"", "a", "West", "a--b", "-ab", "ab-", "a b", "a_b", "\xC3\xA9t\xC3\xA9"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(iom_slug_check("code", bad[i], 40, &e), IOM_EINVAL);
}

static void dates(void **state)
{
    (void)state;
    iom_error e = {0};
    assert_int_equal(iom_date_check("d", "2024-02-29", &e), IOM_OK);
    assert_int_equal(iom_date_check("d", "2023-02-29", &e), IOM_EINVAL);
    assert_int_equal(iom_date_check("d", "2026-13-01", &e), IOM_EINVAL);
    assert_int_equal(iom_date_check("d", "2026-1-01", &e), IOM_EINVAL);
    assert_int_equal(iom_date_check("d", "2026-01-0x", &e), IOM_EINVAL);
    /* a real date out of range is told so, not called unreal (an API review: 9999-12-31) */
    assert_int_equal(iom_date_check("d", "9999-12-31", &e), IOM_EINVAL);
    assert_string_equal(e.msg, "d: '9999-12-31' is outside the years 1900 to 2999");
    assert_int_equal(iom_date_check("d", "1899-02-30", &e), IOM_EINVAL);
    assert_string_equal(e.msg, "d: '1899-02-30' is not a real calendar date");
    assert_int_equal(iom_date_check("d", "1800-01-01", &e), IOM_EINVAL);
    int64_t t;
    assert_int_equal(iom_time_parse("at", "2026-11-25T19:30:00Z", &t, &e), IOM_OK);
    char buf[32];
    iom_time_utc(t, buf);
    assert_string_equal(buf, "2026-11-25T19:30:00Z");
    assert_int_equal(iom_time_parse("at", "2026-11-25T24:00:00Z", &t, &e), IOM_EINVAL);
    assert_int_equal(iom_time_parse("at", "2026-11-25", &t, &e), IOM_OK);
    assert_int_equal(t % 86400, 0);
}

/* iom_day_number reads what sscanf("%4d-%2d-%2d") + iom_days_from_civil read, and refuses
   anything not shaped YYYY-MM-DD. */
static void day_numbers(void **state)
{
    (void)state;
    int64_t d;
    assert_true(iom_day_number("1970-01-01", &d));
    assert_int_equal(d, 0);
    assert_true(iom_day_number("2026-12-25", &d));
    assert_int_equal(d, iom_days_from_civil(2026, 12, 25));
    assert_true(iom_day_number("2024-02-29T00:00:00Z", &d)); /* only the first ten read */
    assert_int_equal(d, iom_days_from_civil(2024, 2, 29));
    assert_true(iom_day_number("1000-01-01", &d));
    assert_int_equal(d, iom_days_from_civil(1000, 1, 1));
    const char *bad[] = {"", "2026-1-05", "2026/01/05", "2026-13-01", "2026-00-10", "2026-01-32",
                         "2026-01-00", "20x6-01-01", "2026-01-0", NULL};
    for (int i = 0; bad[i]; i++) {
        d = 7;
        assert_false(iom_day_number(bad[i], &d));
        assert_int_equal(d, 0);
    }
    assert_false(iom_day_number(NULL, &d));
}

static void uk_local_time(void **state)
{
    (void)state;
    iom_error e = {0};
    int64_t t;
    char buf[32];
    /* Winter: GMT. */
    iom_time_parse("t", "2026-11-25T19:30:00Z", &t, &e);
    iom_time_uk(t, buf);
    assert_string_equal(buf, "2026-11-25 19:30 GMT");
    /* Summer: BST = UTC+1. */
    iom_time_parse("t", "2026-07-01T12:00:00Z", &t, &e);
    iom_time_uk(t, buf);
    assert_string_equal(buf, "2026-07-01 13:00 BST");
    /* 2026: BST starts 29 March 01:00 UTC, ends 25 October 01:00 UTC. */
    iom_time_parse("t", "2026-03-29T00:59:59Z", &t, &e);
    iom_time_uk(t, buf);
    assert_string_equal(buf, "2026-03-29 00:59 GMT");
    iom_time_parse("t", "2026-03-29T01:00:00Z", &t, &e);
    iom_time_uk(t, buf);
    assert_string_equal(buf, "2026-03-29 02:00 BST");
    iom_time_parse("t", "2026-10-25T00:59:00Z", &t, &e);
    iom_time_uk(t, buf);
    assert_string_equal(buf, "2026-10-25 01:59 BST");
    iom_time_parse("t", "2026-10-25T01:00:00Z", &t, &e);
    iom_time_uk(t, buf);
    assert_string_equal(buf, "2026-10-25 01:00 GMT");
    /* a UK day starts at its 00:00 in Europe/London: GMT, BST, and the days the clocks change */
    int64_t day;
    assert_true(iom_day_number("2026-11-25", &day));
    assert_int_equal(iom_uk_day_start(day), day * 86400);
    assert_true(iom_day_number("2026-07-02", &day));
    assert_int_equal(iom_uk_day_start(day), day * 86400 - 3600);
    assert_true(iom_day_number("2026-03-29", &day));
    assert_int_equal(iom_uk_day_start(day), day * 86400);
    assert_int_equal(iom_uk_day_start(day + 1), (day + 1) * 86400 - 3600);
    assert_true(iom_day_number("2026-10-25", &day));
    assert_int_equal(iom_uk_day_start(day), day * 86400 - 3600);
    assert_int_equal(iom_uk_day_start(day + 1), (day + 1) * 86400);
    assert_true(iom_day_number("2027-01-01", &day));
    assert_int_equal(iom_uk_day_start(day), day * 86400);
}

static void errors_map(void **state)
{
    (void)state;
    /* a message quoting a value cut inside a character is still UTF-8 (review 65: a job's
       error could not be written as JSON, and its page answered 503 at every read) */
    {
        iom_error e = {0};
        iom_fail(&e, IOM_EINVAL, "name: '%.2s' is wrong", "a\xC3\xA9" "b");
        assert_string_equal(e.msg, "name: 'a?' is wrong");
    }
    for (int c = IOM_OK; c <= IOM_EUNAVAILABLE; c++) {
        assert_string_not_equal(iom_err_name((iom_err)c), "unknown");
        for (int d = c + 1; d <= IOM_EUNAVAILABLE; d++)
            assert_int_not_equal(iom_err_exit_code((iom_err)c), iom_err_exit_code((iom_err)d));
    }
    assert_int_equal(iom_err_http_status(IOM_ENOTFOUND), 404);
    assert_int_equal(iom_err_http_status(IOM_ECONFLICT), 409);
    assert_int_equal(iom_err_http_status(IOM_EAUTH), 401);
    assert_int_equal(iom_err_http_status(IOM_ETOOBIG), 413);
    assert_int_equal(iom_err_http_status(IOM_EBUSY), 503);
    assert_int_equal(iom_err_http_status(IOM_EUNAVAILABLE), 503);
    assert_int_equal(iom_err_exit_code(IOM_EUNAVAILABLE), 16);
}

/* jsonr: the wanted string members of one object, everything else checked and skipped; the same
 * answers as jansson's tree for the texts jansson accepts, and a refusal naming the byte for the
 * ones it refuses. */
static void jsonr_reads_like_jansson(void **state)
{
    (void)state;
    iom_arena a;
    iom_arena_init(&a);
    static const char *const keys[] = {"first_name", "surname", "dob", "town"};
    const char *v[4];
    iom_error e = {0};
    assert_int_equal(iom_jsonr_strings(&a, " {\"dob\":\"1980-01-02\",\"first_name\":\"Zo\\u00eb \\\"Z\\\"\","
                                           "\"x\":[1,-2.5e3,{\"y\":[true,false,null]}],\"surname\":null,"
                                           "\"town\":\"Caf\xc3\xa9 \\ud83d\\ude00\\/\\t\"} ",
                                       keys, 4, v, &e),
                     IOM_OK);
    assert_string_equal(v[0], "Zo\xc3\xab \"Z\"");
    assert_null(v[1]);
    assert_string_equal(v[2], "1980-01-02");
    assert_string_equal(v[3], "Caf\xc3\xa9 \xf0\x9f\x98\x80/\t");
    /* the last of a member given twice wins, as in jansson; a number is not a string */
    assert_int_equal(iom_jsonr_strings(&a, "{\"town\":\"A\",\"town\":\"B\",\"dob\":19800102}", keys, 4, v, &e), IOM_OK);
    assert_string_equal(v[3], "B");
    assert_null(v[2]);
    assert_int_equal(iom_jsonr_strings(&a, "{}", keys, 4, v, &e), IOM_OK);
    assert_null(v[0]);
    /* refused, each naming what and where; jansson refuses each of them too */
    static const char *const badtext[] = {
        "", "[]", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{\"a\":1} x", "{\"a\":\"\\x\"}",
        "{\"a\":\"\\u00\"}", "{\"a\":\"\\u0000\"}", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00x\"}",
        "{\"a\":\"\x01\"}", "{\"a\":\"\xc3\x28\"}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":tru}",
        "{\"a\":\"open}", "{\"first_name\":\"\xff\"}", "{\"a\":[1 2]}", "{'a':1}",
    };
    for (size_t i = 0; i < sizeof badtext / sizeof *badtext; i++) {
        iom_error_clear(&e);
        if (iom_jsonr_strings(&a, badtext[i], keys, 4, v, &e) != IOM_EINVAL)
            fail_msg("accepted: %s", badtext[i]);
        assert_non_null(strstr(e.msg, "at byte"));
        json_t *j = json_loads(badtext[i], 0, NULL);
        if (json_is_object(j))
            fail_msg("jansson reads an object from %s", badtext[i]);
        json_decref(j);
    }
    /* nesting: to the limit, and one level past it */
    char deep[2 * IOM_JSONR_DEPTH + 16];
    for (int over = 0; over < 2; over++) {
        int d = IOM_JSONR_DEPTH - 1 + over;
        size_t n = 0;
        n += (size_t)snprintf(deep + n, sizeof deep - n, "{\"a\":");
        for (int k = 0; k < d; k++)
            deep[n++] = '[';
        for (int k = 0; k < d; k++)
            deep[n++] = ']';
        deep[n++] = '}';
        deep[n] = '\0';
        assert_int_equal(iom_jsonr_strings(&a, deep, keys, 4, v, &e), over ? IOM_EINVAL : IOM_OK);
    }
    iom_arena_free(&a);
}

static void arena_and_buf(void **state)
{
    (void)state;
    iom_arena a;
    iom_arena_init(&a);
    char *big = iom_arena_alloc(&a, 1 << 20);
    memset(big, 'x', 1 << 20);
    for (int i = 0; i < 10000; i++) {
        char *s = iom_arena_printf(&a, "item %d", i);
        assert_true(((uintptr_t)s % _Alignof(max_align_t)) == 0);
    }
    assert_string_equal(iom_arena_strndup(&a, "abcdef", 3), "abc");
    iom_arena_free(&a);
    /* a block larger than the current chunk is a chunk of its own, behind it: the small
       allocations after it go on in the current chunk, and everything is zeroed or filled */
    iom_arena_init(&a);
    char *s1 = iom_arena_alloc(&a, 64);
    char *blk = iom_arena_alloc(&a, 100000);
    for (int i = 0; i < 100000; i++)
        assert_int_equal(blk[i], 0);
    char *s2 = iom_arena_alloc(&a, 64);
    assert_ptr_equal(s2, s1 + 64);
    unsigned char *raw = iom_arena_alloc_uninit(&a, 300000);
    memset(raw, 0xAB, 300000);
    char *s3 = iom_arena_alloc(&a, 64);
    assert_ptr_equal(s3, s2 + 64);
    for (int i = 0; i < 64; i++)
        assert_int_equal(s3[i], 0);
    iom_arena_free(&a);
    iom_buf b = IOM_BUF_INIT;
    assert_string_equal(iom_buf_cstr(&b), "");
    for (int i = 0; i < 1000; i++)
        iom_buf_printf(&b, "%d,", i);
    assert_int_equal(strncmp(iom_buf_cstr(&b), "0,1,2,", 6), 0);
    iom_buf_free(&b);
}

static void plain_decimals(void **state)
{
    (void)state;
    const char *good[] = {"0", "1", "0.5", ".25", "8.", "0.800", "12345"};
    const char *bad[] = {"", ".", "0x1", " 0.5", "0.5 ", "-0", "+1", "1e0", "inf", "nan", "1.2.3",
                         "1,5", "123456789012345678901234567890123"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        assert_true(iom_plain_decimal(good[i]));
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_false(iom_plain_decimal(bad[i]));
    assert_false(iom_plain_decimal(NULL));
}

/* review 100 L5: NFC, and NULL for what needs no change */
static void nfc(void **state)
{
    (void)state;
    assert_null(iom_text_nfc(NULL));
    assert_null(iom_text_nfc(""));
    assert_null(iom_text_nfc("plain ASCII"));
    assert_null(iom_text_nfc("Caf\xc3\xa9")); /* already composed */
    assert_null(iom_text_nfc("bad \xff byte"));  /* not UTF-8: left for the text check */
    char *c = iom_text_nfc("Cafe\xcc\x81");
    assert_non_null(c);
    assert_string_equal(c, "Caf\xc3\xa9");
    free(c);
    /* canonical order of two marks, and a compatibility character NFC keeps (full-width R) */
    c = iom_text_nfc("a\xcc\x81\xcc\xa3");
    assert_non_null(c);
    assert_string_equal(c, "\xe1\xba\xa1\xcc\x81"); /* U+1EA1 (a, dot below) + acute */
    free(c);
    assert_null(iom_text_nfc("\xef\xbc\xb2" "ev"));
    assert_true(iom_text_same("Pre\xcc\x81nom", "Pr\xc3\xa9nom"));
    assert_true(iom_text_same("abc", "abc"));
    assert_false(iom_text_same("Prenom", "Pr\xc3\xa9nom"));
    assert_false(iom_text_same(NULL, "a"));
    assert_true(iom_text_same(NULL, NULL));
}

/* review 102 L7: the limit's message names the composed length; review 102 L9c: name keys */
static void nfc_lengths_and_name_keys(void **state)
{
    (void)state;
    iom_error e = {0};
    size_t composed[] = {12, 360};
    iom_fail(&e, IOM_EINVAL, "title: 360 bytes is longer than the limit of 200 bytes");
    iom_text_length_composed(&e, composed, 2);
    assert_string_equal(e.msg, "title: 360 bytes once composed (NFC) is longer than the limit of 200 bytes");
    iom_fail(&e, IOM_EINVAL, "title: 361 bytes is longer than the limit of 200 bytes");
    iom_text_length_composed(&e, composed, 2); /* another value's length: as it was */
    assert_string_equal(e.msg, "title: 361 bytes is longer than the limit of 200 bytes");
    iom_text_length_composed(&e, NULL, 0);
    assert_string_equal(e.msg, "title: 361 bytes is longer than the limit of 200 bytes");
    iom_fail(&e, IOM_EINVAL, "title: 'x' is not valid UTF-8");
    iom_text_length_composed(&e, composed, 2);
    assert_string_equal(e.msg, "title: 'x' is not valid UTF-8");
    char *a = iom_text_name_key("  Kent \t Police "), *b = iom_text_name_key("KENT POLICE");
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(a, "kent police");
    assert_string_equal(a, b);
    free(a);
    free(b);
    a = iom_text_name_key("SU\xcc\x82RETE\xcc\x81"), b = iom_text_name_key("s\xc3\xbbret\xc3\xa9");
    assert_string_equal(a, b);
    free(a);
    free(b);
    /* punctuation is a space: a full stop at the end, "St." and "St", a dash */
    a = iom_text_name_key("Kent Police."), b = iom_text_name_key("St.Helens - Borough");
    assert_string_equal(a, "kent police");
    assert_string_equal(b, "st helens borough");
    free(a);
    free(b);
    /* look-alikes (review 133 L2): a Cyrillic e, full-width letters, an accent, a Greek capital
       omicron; a name of another script is its own */
    a = iom_text_name_key("K\xd0\xb5nt Police");
    assert_string_equal(a, "kent police");
    free(a);
    a = iom_text_name_key("\xef\xbc\xab\xef\xbd\x85\xef\xbd\x8e\xef\xbd\x94 Police");
    assert_string_equal(a, "kent police");
    free(a);
    a = iom_text_name_key("K\xc3\xabnt P\xce\x9flice");
    assert_string_equal(a, "kent police");
    free(a);
    /* a skeleton, not a transliteration: Москва is compared as "mockba" (with "MOCKBA") */
    a = iom_text_name_key("\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0");
    assert_string_equal(a, "mockba");
    free(a);
    a = iom_text_name_key("\xd0\x96\xd0\xb8\xd0\xbb\xd0\xb0"); /* Жила: only its а is written as a Latin letter */
    assert_string_equal(a, "\xd0\xb6\xd0\xb8\xd0\xbb" "a");
    free(a);
    /* a name as stored: runs of white space, Unicode spaces too, as one space */
    a = iom_text_one_spaced("  Spaced \xC2\xA0\xC2\xA0" "Out\xE2\x80\xAF\tAgency. ");
    assert_string_equal(a, "Spaced Out Agency.");
    free(a);
    assert_null(iom_text_one_spaced(NULL));
    assert_null(iom_text_one_spaced("bad \xff"));
    assert_null(iom_text_name_key(NULL));
    assert_null(iom_text_name_key("bad \xff"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utf8_validation), cmocka_unit_test(text_rules), cmocka_unit_test(slugs),
        cmocka_unit_test(dates), cmocka_unit_test(day_numbers), cmocka_unit_test(uk_local_time), cmocka_unit_test(errors_map),
        cmocka_unit_test(arena_and_buf), cmocka_unit_test(plain_decimals), cmocka_unit_test(nfc),
        cmocka_unit_test(nfc_lengths_and_name_keys),
        cmocka_unit_test(jsonr_reads_like_jansson),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
