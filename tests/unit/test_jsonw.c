/*
 * The JSON text writer (util/jsonw.h) against jansson: json_write_tasking must print exactly
 * what json_dumps(json_of_tasking(t, false), JSON_COMPACT) prints, for ordinary values,
 * every escape, non-ASCII text, absent optional members and strings that are not UTF-8; and
 * iom_time_utc (formatted by hand) must print what strftime prints.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/json.h"
#include "app/tasking.h"
#include "util/jsonw.h"
#include "util/timefmt.h"

#include <time.h>

static void same_as_jansson(const iom_tasking_t *t)
{
    json_t *j = json_of_tasking(t, false);
    char *want = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
    json_decref(j);
    iom_buf b = IOM_BUF_INIT;
    json_write_tasking(&b, t);
    if (strcmp(want, iom_buf_cstr(&b)) != 0)
        fprintf(stderr, "jansson: %s\nwriter:  %s\n", want, iom_buf_cstr(&b));
    assert_string_equal(iom_buf_cstr(&b), want);
    /* and it parses back */
    json_error_t err;
    json_t *back = json_loads(iom_buf_cstr(&b), 0, &err);
    assert_non_null(back);
    json_decref(back);
    free(want);
    iom_buf_free(&b);
}

static iom_tasking_t sample(void)
{
    return (iom_tasking_t){.ref = "TOEX-2026-000123", .state = IOM_TS_SUBMITTED,
                           .threat_ref = "SOC-000042", .threat_title = "Car wash network",
                           .threat_type = IOM_THREAT_LABOUR, .requesting_agency = "west-yorkshire",
                           .requesting_region = "yorkshire-humber", .owner = "west-yorkshire",
                           .owner_region = "yorkshire-humber", .threat_sio = "wy-sio",
                           .sio = "wy-sio", .spoc = "wy-spoc", .customer = NULL, .sia = NULL,
                           .urgency = IOM_URGENCY_PRIORITY, .marking = IOM_MARKING_OFFICIAL_SENSITIVE,
                           .reached_toex = true, .escalated_ftt = false, .version = 12345678901LL,
                           .state_since = 1780304400, .created_at = 0, .updated_at = 4102444800LL};
}

static void test_tasking_text(void **state)
{
    (void)state;
    iom_tasking_t t = sample();
    same_as_jansson(&t);
    /* every escape jansson makes, and text it copies as it is */
    t.threat_title = "quote \" backslash \\ slash / nl \n cr \r tab \t bs \b ff \f "
                     "ctl \x01\x1f del \x7f pound \xc2\xa3 euro \xe2\x82\xac emoji \xf0\x9f\x98\x80 "
                     "<script>";
    t.customer = "O'Brien";
    t.sia = "";
    same_as_jansson(&t);
    /* strings that are not UTF-8: jansson leaves the member out, so must the writer */
    static char *const bad[] = {"\xff", "a\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                                      "\xe2\x82", "\x80"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        t.threat_title = bad[i];
        t.spoc = bad[i];
        assert_false(jsonw_utf8_ok(bad[i]));
        same_as_jansson(&t);
    }
    /* every optional member absent */
    t = sample();
    t.threat_title = t.requesting_region = t.owner_region = t.threat_sio = t.sio = t.spoc =
        t.customer = t.sia = NULL;
    t.version = -1;
    same_as_jansson(&t);
}

static void test_utf8_check(void **state)
{
    (void)state;
    assert_true(jsonw_utf8_ok(""));
    assert_true(jsonw_utf8_ok("plain"));
    assert_true(jsonw_utf8_ok("\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf"));
    assert_false(jsonw_utf8_ok("\xc1\xbf"));             /* overlong */
    assert_false(jsonw_utf8_ok("\xe0\x9f\xbf"));         /* overlong */
    assert_false(jsonw_utf8_ok("\xf0\x8f\xbf\xbf"));     /* overlong */
    assert_false(jsonw_utf8_ok("\xed\xbf\xbf"));         /* surrogate */
    assert_false(jsonw_utf8_ok("\xf5\x80\x80\x80"));     /* past U+10FFFF */
    assert_false(jsonw_utf8_ok("ok\xc2"));               /* truncated */
}

/* iom_time_utc formats by hand (the list's hot path, without gmtime_r's lock): it must print
   what strftime does, for dates before 1970 and leap days too. */
static void test_time_text(void **state)
{
    (void)state;
    int64_t ts[] = {0, 1, 59, 951782400, 1780304400, 4102444800LL, 253402300799LL,
                    -62167219200LL, -1, 253402300800LL};
    for (size_t i = 0; i < sizeof ts / sizeof ts[0] + 2000; i++) {
        int64_t t = i < sizeof ts / sizeof ts[0]
                        ? ts[i]
                        : (int64_t)(i * 7919u) * 104729 % 4102444800LL - (i % 3 == 0 ? 2500000000LL : 0);
        char got[32], want[32];
        iom_time_utc(t, got);
        time_t tt = (time_t)t;
        struct tm tm;
        gmtime_r(&tt, &tm);
        strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%SZ", &tm);
        assert_string_equal(got, want);
    }
}

/* jsonw_json against json_dumps(COMPACT | PRESERVE_ORDER | ENCODE_ANY) on hand-made values
   (escapes, UTF-8, NUL inside a string, reals, big integers, empty and nested containers, keys
   in insertion order) and on generated trees: byte for byte the same text. */
static void expect_same(json_t *j)
{
    char *want = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
    iom_buf got = IOM_BUF_INIT;
    jsonw_json(&got, j);
    iom_buf_putc(&got, '\0');
    assert_non_null(want);
    assert_string_equal(got.data, want);
    free(want);
    iom_buf_free(&got);
    json_decref(j);
}

static json_t *random_value(unsigned *seed, int depth)
{
    static const char *const words[] = {"", "a", "\"q\"", "back\\slash", "tab\there", "nl\n",
                                        "\x01\x1f\x7f", "caf\xc3\xa9", "\xe2\x80\xa8 sep",
                                        "\xf0\x9f\x98\x80", "/slash/", "TOEX-2026-000001"};
    unsigned r = (*seed = *seed * 1103515245u + 12345u) >> 8;
    int kind = depth > 3 ? (int)(r % 6) : (int)(r % 8);
    switch (kind) {
    case 0: return json_string(words[r / 8 % (sizeof words / sizeof words[0])]);
    case 1: return json_integer((json_int_t)r * ((r & 1) ? -7919 : 104729));
    case 2: return json_real((double)(int)r / 97.0);
    case 3: return json_true();
    case 4: return json_false();
    case 5: return json_null();
    case 6: {
        json_t *o = json_object();
        for (unsigned i = 0; i < r / 8 % 5; i++) {
            char key[32];
            snprintf(key, sizeof key, "%s%u", words[(r + i) % (sizeof words / sizeof words[0])], i);
            json_object_set_new(o, key, random_value(seed, depth + 1));
        }
        return o;
    }
    default: {
        json_t *a = json_array();
        for (unsigned i = 0; i < r / 8 % 5; i++)
            json_array_append_new(a, random_value(seed, depth + 1));
        return a;
    }
    }
}

static void test_whole_values(void **state)
{
    (void)state;
    expect_same(json_object());
    expect_same(json_array());
    expect_same(json_stringn("nul\0inside", 11));
    expect_same(json_real(0.1));
    expect_same(json_real(-2.5e-300));
    expect_same(json_real(7.0));
    expect_same(json_integer(INT64_MIN));
    expect_same(json_integer(INT64_MAX));
    expect_same(json_pack("{s:s, s:i, s:[s, f, b, n], s:{}, s:[], s:s}", "z", "last?", "a", 1, "m",
                          "x\u00e9\n", 1.25, 1, "e", "l", "zz", "members in insertion order"));
    unsigned seed = 20261203;
    for (int i = 0; i < 500; i++)
        expect_same(random_value(&seed, 0));
}

/* The byte-at-a-time definitions the word-at-a-time code must agree with. */
static bool ref_utf8_ok(const unsigned char *p)
{
    while (*p) {
        unsigned c = *p, cp;
        int n;
        if (c < 0x80) {
            p++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            n = 1, cp = c & 0x1F;
        else if (c >= 0xE0 && c <= 0xEF)
            n = 2, cp = c & 0x0F;
        else if (c >= 0xF0 && c <= 0xF4)
            n = 3, cp = c & 0x07;
        else
            return false;
        for (int i = 1; i <= n; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        p += n + 1;
    }
    return true;
}

static void ref_str(iom_buf *b, const unsigned char *p)
{
    iom_buf_putc(b, '"');
    for (; *p; p++) {
        if (*p == '"' || *p == '\\')
            iom_buf_printf(b, "\\%c", *p);
        else if (*p == '\b')
            iom_buf_puts(b, "\\b");
        else if (*p == '\f')
            iom_buf_puts(b, "\\f");
        else if (*p == '\n')
            iom_buf_puts(b, "\\n");
        else if (*p == '\r')
            iom_buf_puts(b, "\\r");
        else if (*p == '\t')
            iom_buf_puts(b, "\\t");
        else if (*p < 0x20)
            iom_buf_printf(b, "\\u%04X", *p);
        else
            iom_buf_putc(b, (char)*p);
    }
    iom_buf_putc(b, '"');
}

/* Strings of every length up to 40 made of pieces that straddle the 8-byte words at every
   offset: plain ASCII, each escape, the bytes around the tests' thresholds (0x1F, 0x20, 0x21,
   0x22, 0x5B-0x5D, 0x7F, 0x80), valid 2-4 byte sequences and broken ones; each string's
   escape and UTF-8 verdict must be the byte loops'. Bytes come from a heap copy of exactly
   the string (so AddressSanitizer sees a read past its NUL). */
static void test_word_at_a_time(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "a", "Z", "0", " ", "!", "\"", "#", "[", "\\", "]", "~", "\x7f", "\x01", "\x1f", "\n", "\t",
        "\r", "\b", "\f", "\xc2\xa3", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\x80", "\xc0\xaf",
        "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82", "\xff", "abcdefgh", "ABCDEFGHIJKLMNOP"};
    const size_t np = sizeof pieces / sizeof *pieces;
    unsigned seed = 20261203;
    for (int round = 0; round < 20000; round++) {
        char text[64] = "";
        size_t len = 0, want = (size_t)(rand_r(&seed) % 41);
        while (len < want) {
            const char *piece = pieces[rand_r(&seed) % np];
            size_t k = strlen(piece);
            if (len + k >= sizeof text)
                break;
            memcpy(text + len, piece, k);
            len += k;
            text[len] = '\0';
        }
        char *exact = malloc(len + 1);
        assert_non_null(exact);
        memcpy(exact, text, len + 1);
        assert_int_equal(jsonw_utf8_ok(exact), ref_utf8_ok((const unsigned char *)exact));
        iom_buf got = {0}, want_b = {0};
        jsonw_str(&got, exact);
        ref_str(&want_b, (const unsigned char *)exact);
        assert_string_equal(got.data, want_b.data);
        iom_buf_free(&got);
        iom_buf_free(&want_b);
        free(exact);
    }
}

/* jsonw_int writes what "%lld" writes: the edges and 100,000 random values of every size. */
static void test_int_text(void **state)
{
    (void)state;
    int64_t edges[] = {0, 1, -1, 9, 10, -10, 99, 100, 12345678901, -12345678901, INT64_MAX, INT64_MIN,
                       INT64_MAX - 1, INT64_MIN + 1};
    unsigned seed = 20261203;
    for (size_t i = 0; i < 100000 + sizeof edges / sizeof *edges; i++) {
        int64_t v;
        if (i < sizeof edges / sizeof *edges)
            v = edges[i];
        else {
            uint64_t u = ((uint64_t)rand_r(&seed) << 33) ^ ((uint64_t)rand_r(&seed) << 11) ^ (uint64_t)rand_r(&seed);
            v = (int64_t)(u >> (rand_r(&seed) % 64)); /* every magnitude */
            if (rand_r(&seed) % 2 && v != INT64_MIN)
                v = -v;
        }
        char want[32];
        snprintf(want, sizeof want, "%lld", (long long)v);
        iom_buf b = {0};
        jsonw_int(&b, v);
        assert_string_equal(b.data, want);
        iom_buf_free(&b);
    }
}


/* ---- jsonw_canon: stored JSON text copied as jansson would load and print it ------------- */

/* An object of more than 64 members anywhere in j. */
static bool wide_object(const json_t *j)
{
    if (json_is_object(j)) {
        if (json_object_size(j) > 64)
            return true;
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)j, k, v)
            if (wide_object(v))
                return true;
    } else if (json_is_array(j)) {
        for (size_t i = 0; i < json_array_size(j); i++)
            if (wide_object(json_array_get(j, i)))
                return true;
    }
    return false;
}

/* canon(text) against jsonw_json(json_loadb(text)): the same text when canon takes it; when
   it does not, jansson refuses the text too, or takes it only by keeping one of two equal
   keys (or an object of more than 64 members, left to jansson). Returns whether canon took it. */
static bool canon_vs_jansson(const char *text, size_t n)
{
    iom_buf got = IOM_BUF_INIT;
    iom_buf_puts(&got, "kept");
    bool ok = jsonw_canon(&got, text, n);
    json_t *j = json_loadb(text, n, 0, NULL);
    if (ok) {
        if (!j)
            fprintf(stderr, "canon took what jansson refuses: %.*s\n", (int)n, text);
        assert_non_null(j);
        iom_buf want = IOM_BUF_INIT;
        iom_buf_puts(&want, "kept");
        jsonw_json(&want, j);
        if (strcmp(iom_buf_cstr(&got), iom_buf_cstr(&want)) != 0)
            fprintf(stderr, "text:   %.*s\ncanon:  %s\njansson: %s\n", (int)n, text,
                    iom_buf_cstr(&got), iom_buf_cstr(&want));
        assert_string_equal(iom_buf_cstr(&got), iom_buf_cstr(&want));
        iom_buf_free(&want);
    } else {
        assert_string_equal(iom_buf_cstr(&got), "kept"); /* nothing left behind */
        if (j) {
            json_t *strict = json_loadb(text, n, JSON_REJECT_DUPLICATES, NULL);
            if (strict && !wide_object(strict))
                fprintf(stderr, "canon refused what jansson takes: %.*s\n", (int)n, text);
            assert_true(!strict || wide_object(strict));
            json_decref(strict);
        }
    }
    json_decref(j);
    iom_buf_free(&got);
    return ok;
}

static void test_canon_cases(void **state)
{
    (void)state;
    static const char *const good[] = {
        "{}", "[]", " [ 1 , { } , [ ] ] \n", "[-0]", "[0]", "[0e5]", "[1E+2]", "[-1.5e-3]",
        "[1e-400]", "[0.1,7.0,2.5e300]", "[9223372036854775807,-9223372036854775808]",
        "[\"\\/\\\"\\\\\\b\\f\\n\\r\\t\"]", "[\"\\u00e9\\u00E9\\u2028\"]",
        "[\"\\ud83d\\ude00 \\uD83D\\uDE00\"]", "[\"caf\xc3\xa9 \xf0\x9f\x98\x80\"]",
        "{\"a\":{\"b\":[true,false,null]},\"c\":\"\"}", "{\"k\\u0041\":1,\"kA2\":2}",
        "{\"ftm_date\":\"2026-11-02\",\"summary\":\"x\",\"assessment\":{\"score\":12.3}}",
        "\t{\"a\" : 1 }\r\n",
    };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        assert_true(canon_vs_jansson(good[i], strlen(good[i])));
    static const char *const bad[] = {
        "", " ", "1", "\"s\"", "null", "[1,]", "{\"a\":1,}", "[01]", "[1.]", "[.5]", "[1e]",
        "[1e+]", "[-]", "[+1]", "[\"\\u0000\"]", "[\"\\uD800\"]", "[\"\\uDC00\"]",
        "[\"\\uD800\\u0041\"]", "[\"\\uD800x\"]", "[\"\\u12\"]", "[\"\\u12G4\"]", "[\"\x01\"]",
        "[\"\xc3\"]", "[\"\xc3\\n\"]", "[\"\xed\xa0\x80\"]", "[\"\xc0\xaf\"]", "[\"\\x\"]",
        "[\"\\\"]", "[tru]", "[truex]", "[true false]", "[nul]", "{\"a\" 1}", "{1:2}",
        "{\"a\":}", "{\"a\"}", "[1] x", "[1][2]", "[99999999999999999999]",
        "[-9223372036854775809]", "[1e999]", "[-1e999]", "[\"unterminated]", "[", "{",
        "[1", "{\"a\":1", "]", "[NaN]", "[Infinity]", "['a']", "[1,,2]", "[,1]",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_false(canon_vs_jansson(bad[i], strlen(bad[i])));
        assert_null(json_loadb(bad[i], strlen(bad[i]), 0, NULL));
    }
    /* a NUL byte inside the text, and a text that stops in the middle of an escape */
    assert_false(canon_vs_jansson("[\"a\0b\"]", 7));
    assert_false(canon_vs_jansson("[1]\0", 4));
    assert_false(canon_vs_jansson("[\"a\\", 4));
    assert_false(canon_vs_jansson("[\"\\u00", 6));
    /* keys given twice, and objects past 64 members: left to jansson */
    assert_false(canon_vs_jansson("{\"a\":1,\"a\":2}", 13));
    assert_false(canon_vs_jansson("{\"a\":1,\"\\u0061\":2}", 18));
    assert_true(canon_vs_jansson("[{\"a\":1},{\"a\":2}]", 17));
    assert_true(canon_vs_jansson("{\"a\":{\"a\":1},\"b\":{\"a\":2}}", 25));
    iom_buf big = IOM_BUF_INIT;
    for (int n = 64; n <= 65; n++) {
        iom_buf_reset(&big);
        iom_buf_putc(&big, '{');
        for (int i = 0; i < n; i++)
            iom_buf_printf(&big, "%s\"k%d\":%d", i ? "," : "", i, i);
        iom_buf_putc(&big, '}');
        assert_int_equal(canon_vs_jansson(big.data, big.len), n == 64);
    }
    /* nesting: 2048 levels are taken, 2049 refused, as jansson does */
    for (int d = 2048; d <= 2049; d++) {
        iom_buf_reset(&big);
        for (int i = 0; i < d; i++)
            iom_buf_putc(&big, '[');
        for (int i = 0; i < d; i++)
            iom_buf_putc(&big, ']');
        assert_int_equal(canon_vs_jansson(big.data, big.len), d == 2048);
    }
    iom_buf_free(&big);
}

/* Generated trees dumped in every form jansson writes (indented, ASCII-only with \u escapes
   and surrogate pairs, escaped slashes), then the same texts with bytes changed at random:
   canon agrees with jansson on every one. */
static void test_canon_generated(void **state)
{
    (void)state;
    static const size_t flags[] = {JSON_COMPACT, JSON_INDENT(2), JSON_COMPACT | JSON_ENSURE_ASCII,
                                   JSON_INDENT(1) | JSON_ESCAPE_SLASH | JSON_ENSURE_ASCII,
                                   JSON_COMPACT | JSON_REAL_PRECISION(5)};
    static const char noise[] = "{}[],:\"\\ u0123456789.eE+-tfnlrsDdA\x01\xc3\xa9\xf0";
    unsigned seed = 20261204, taken = 0, refused = 0;
    for (int i = 0; i < 3000; i++) {
        json_t *a = json_array();
        json_array_append_new(a, random_value(&seed, 0));
        if (i % 2)
            json_array_append_new(a, random_value(&seed, 1));
        json_t *top = i % 3 ? a : json_pack("{s:o, s:i}", "v", a, "n", i);
        char *text = json_dumps(top, flags[i % (sizeof flags / sizeof *flags)] | JSON_PRESERVE_ORDER);
        json_decref(top);
        assert_non_null(text);
        size_t n = strlen(text);
        assert_true(canon_vs_jansson(text, n));
        for (int m = 0; m < 6 && n; m++) {
            char *t = strdup(text);
            for (int k = 0; k <= m % 3; k++) {
                seed = seed * 1103515245u + 12345u;
                size_t at = (seed >> 8) % n;
                seed = seed * 1103515245u + 12345u;
                t[at] = noise[(seed >> 8) % (sizeof noise - 1)];
            }
            if (canon_vs_jansson(t, n))
                taken++;
            else
                refused++;
            free(t);
        }
        free(text);
    }
    /* the mutations exercise both sides */
    assert_true(taken > 1000 && refused > 1000);
}

/* ---- the tasking view as text against json_of_tasking_view ------------------------------ */

static void view_same(const app_tasking_view *v)
{
    json_t *j = json_of_tasking_view(v);
    char *want = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
    json_decref(j);
    iom_buf b = IOM_BUF_INIT;
    json_write_tasking_view(&b, v);
    if (strcmp(want, iom_buf_cstr(&b)) != 0)
        fprintf(stderr, "jansson: %s\nwriter:  %s\n", want, iom_buf_cstr(&b));
    assert_string_equal(iom_buf_cstr(&b), want);
    free(want);
    iom_buf_free(&b);
}

static void test_view_text(void **state)
{
    (void)state;
    static iom_member_t members[] = {{.user = "toex-sia"}, {.user = "toex-analyst"},
                                     {.user = "bad \xc3"}, {.user = "ana\xc3\xafs"}};
    static iom_tasking_event_t events[] = {
        {.at = 1780304400, .action = "create", .actor = "wy-spoc", .role = "spoc",
         .from_state = -1, .to_state = IOM_TS_DRAFT, .reason = NULL},
        {.at = 1780304460, .action = "submit", .actor = NULL, .role = NULL, .from_state = IOM_TS_DRAFT,
         .to_state = IOM_TS_SUBMITTED, .reason = "urgent: \"line\"\nnext"},
        {.at = 1780304520, .action = "bad\xff", .actor = "x", .from_state = IOM_TS_SUBMITTED,
         .to_state = IOM_TS_FORWARDED},
        {.at = 1780304580, .action = "forward", .actor = "gw", .role = "gateway\xc3",
         .from_state = IOM_TS_SUBMITTED, .to_state = IOM_TS_FORWARDED},
        {.at = 1780304640, .action = "accept", .actor = "mgr", .role = "toex_manager",
         .from_state = IOM_TS_FORWARDED, .to_state = IOM_TS_ACCEPTED, .reason = "ok \xe2\x82\xac"},
    };
    static iom_milestone_done_t done[] = {{.name = "scoping", .done_at = 1780400000, .done_by = "toex-sia"},
                                          {.name = "bad\xc3", .done_at = 1780400001, .done_by = "x"},
                                          {.name = "network", .done_at = 1780400002, .done_by = NULL},
                                          {.name = "finance", .done_at = 1780400003, .done_by = "toex-sia"}};
    app_tasking_view v = {0};
    v.t = sample();
    v.t.state = IOM_TS_IN_DEVELOPMENT;
    v.t.bid_json = "{\"ftm_date\":\"2026-11-02\",\"summary\":\"caf\xc3\xa9 \\\"q\\\"\",\"requirements\":"
                   "[\"who\",\"where\"],\"assessment\":{\"harm\":{\"physical\":3},\"score\":12.3,"
                   "\"needs_rocu_capability\":false},\"known\":null}";
    v.access = (access_decision){IOM_ACCESS_ASSIGNED, true, false};
    v.members = members;
    v.nmembers = 4;
    v.events = events;
    v.nevents = 5;
    v.allowed_actions = 0x15;
    view_same(&v); /* content, no ToR, no reassessment, no transfer */

    v.has_tor = true;
    v.tor = (iom_tor_t){.version = 3, .content_json = "{\"services\":[\"analysis\"],\"milestones\":"
                                                      "[{\"name\":\"scoping\",\"due\":\"2026-12-01\"}]}",
                        .proposer = "toex-sia", .proposed_at = 1780300000, .sia_agreed = "toex-sia",
                        .sia_agreed_at = 1780300100, .done = done, .ndone = 4};
    v.tor_agreed_version = 2;
    v.has_reassessment = true;
    v.reassessment = (iom_assessment_t){.kind = "reassessment", .version = 2,
                                        .content_json = "{\"harm\":{\"a\":1},\"scale\":3}",
                                        .score_tenths = 123, .band = "high",
                                        .recommendation = "accept", .rationale = "r\n2",
                                        .sia_signed_by = 7, .proposed_at = 1780300200,
                                        .scoring_version = 0};
    v.has_transfer = true;
    v.transfer = (iom_transfer_t){.from_owner = "west-yorkshire", .rationale = NULL,
                                  .requested_at = 1780500000, .escalated_at = 0,
                                  .decided_as = "ttcg", .decision = "accept",
                                  .decision_reason = "regional", .new_owner = "yh-rocu"};
    view_same(&v);
    { /* a withheld rationale (the APMIS recorder's view) is null, as the other reasons (an API
         review saw "") */
        iom_buf b = IOM_BUF_INIT;
        json_write_tasking_view(&b, &v);
        assert_non_null(strstr(iom_buf_cstr(&b), "\"from_owner\":\"west-yorkshire\",\"rationale\":null,"));
        iom_buf_free(&b);
    }
    v.tor.sio_agreed = "wy-sio";
    v.tor.sio_agreed_at = 1780300300;
    v.transfer.escalated_at = 1780500100;
    v.transfer.escalation_rationale = "ftt \xe2\x80\xa8";
    v.reassessment.score_tenths = -7;
    v.reassessment.scoring_version = 4;
    view_same(&v);

    /* stored documents that are not plain: a key twice, invalid JSON, a deep real */
    v.t.bid_json = "{\"a\":1,\"a\":2}";
    v.tor.content_json = "{not json";
    v.reassessment.content_json = "[1e-400, 0.30000000000000004, \"\\u00e9\"]";
    view_same(&v);
    v.t.bid_json = "not json";
    v.tor.content_json = NULL;
    v.reassessment.content_json = NULL;
    view_same(&v);

    /* strings jansson drops take their packed object with them */
    v.tor.proposer = "p\xc3";
    v.reassessment.band = "h\xff";
    v.transfer.new_sio = "s\xc3";
    view_same(&v);
    v.tor.proposer = "toex-sia";
    v.tor.sia_agreed = "\xc3";
    v.reassessment.band = "high";
    v.reassessment.kind = NULL;
    v.transfer.new_sio = NULL;
    v.transfer.from_owner = "o\xc3";
    view_same(&v);

    /* no content: no bid, team, ToR or reassessment, and no reasons */
    v.access = (access_decision){IOM_ACCESS_AUDIT, false, true};
    view_same(&v);
    v.t.threat_title = "bad \xc3";
    v.nevents = 0;
    v.has_transfer = false;
    v.allowed_actions = 0;
    view_same(&v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tasking_text),
        cmocka_unit_test(test_whole_values),
        cmocka_unit_test(test_utf8_check),
        cmocka_unit_test(test_word_at_a_time),
        cmocka_unit_test(test_int_text),
        cmocka_unit_test(test_time_text),
        cmocka_unit_test(test_canon_cases),
        cmocka_unit_test(test_canon_generated),
        cmocka_unit_test(test_view_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
