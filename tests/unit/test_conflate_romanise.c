/* Wade-Giles and pinyin spellings of one Chinese name (conflate/romanise.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "conflate/norm.h"
#include "conflate/romanise.h"

static bool eq(const char *a, const char *b)
{
    return conflate_wg_pinyin_equiv(a, strlen(a), b, strlen(b));
}

/* Both argument orders give one answer. */
static void check(const char *a, const char *b, bool want)
{
    bool ab = eq(a, b), ba = eq(b, a);
    if (ab != want || ba != want)
        fail_msg("\"%s\" / \"%s\": %d / %d, expected %d", a, b, ab, ba, want);
}

static void test_pairs(void **st)
{
    (void)st;
    static const char *const pairs[][2] = {
        /* surnames: Taiwanese passport (WG) / mainland (pinyin) */
        {"chang", "zhang"}, {"hsieh", "xie"},   {"tseng", "zeng"}, {"chiu", "qiu"},
        {"kuo", "guo"},     {"tsai", "cai"},    {"kao", "gao"},    {"sung", "song"},
        {"hsu", "xu"},      {"chou", "zhou"},   {"cheng", "zheng"}, {"chen", "zhen"},
        {"chiang", "jiang"}, {"tu", "du"},      {"teng", "deng"},  {"kung", "gong"},
        {"chung", "zhong"}, {"jen", "ren"},     {"juan", "ruan"},  {"hsiung", "xiong"},
        {"ko", "ge"},       {"ho", "he"},       {"lo", "luo"},     {"to", "duo"},
        {"kuei", "gui"},    {"erh", "er"},      {"yeh", "ye"},     {"yen", "yan"},
        {"lu", "lv"},       {"lu", "lyu"},      {"yu", "you"},     {"chu", "ju"},
        {"chu", "zhu"},     {"chu", "qu"},      {"pai", "bai"},    {"peng", "beng"},
        /* given names: joined, spaced, mixed */
        {"chihwei", "zhiwei"}, {"chih wei", "zhi wei"}, {"chih wei", "zhiwei"},
        {"chihwei", "zhi wei"}, {"hsinming", "xinming"}, {"chiaching", "jiajing"},
        {"chienjung", "jianrong"}, {"tzuchien", "zijian"}, {"yihsuan", "yixuan"},
        {"i hsuan", "yi xuan"}, {"szuyu", "siyu"}, {"ssu yu", "si yu"}, {"tzu", "ci"},
        {"shihhsien", "shixian"}, {"jihhua", "rihua"}, {"yuehhsia", "yuexia"},
        {"hsuehmei", "xuemei"}, {"chueh", "jue"}, {"chun", "jun"}, {"mingte", "mingde"},
        {"chiung", "qiong"}, {"huei", "hui"}, {"chih", "chi"}, /* WG ch'ih is pinyin chi */
        {"hsiu o", "xiu e"}, {"o", "e"}, {"yueh o", "yue e"},
        /* whole names */
        {"chang chih wei", "zhang zhiwei"}, {"chang chihwei", "zhang zhi wei"},
        {"ouyang chihhsiung", "ouyang zhixiong"}, {"tsai ying wen", "cai yingwen"},
        {"li chiaching", "li jiajing"}, {"kuo yujen", "guo yuren"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        check(pairs[i][0], pairs[i][1], true);
}

static void test_not_pairs(void **st)
{
    (void)st;
    static const char *const pairs[][2] = {
        {"chang", "chen"},   {"smith", "smyth"},  {"john", "jon"},     {"chang", "chang"},
        {"zhang", "zhang"},  {"ken", "ken"},      {"lin", "lin"},      {"chris", "kris"},
        {"kate", "cate"},    {"chang", "zhan"},   {"hsieh", "xia"},    {"chihwei", "zhiwe"},
        {"chihwei", "zhiweii"}, {"chi", "zhi"},    /* WG chi is pinyin ji or qi, never zhi */
        {"chang", "jang"},   /* j is WG for pinyin r: chang is never jang */
        {"tseng", "seng"},   {"tzu", "zu"},        {"tsu", "zi"},      {"yu", "yo"},
        {"hsu", "shu"},      {"sung", "sun"},      {"kao", "guo"},     {"chiu", "chou"},
        {"mary", "mari"},    {"peter", "beter"},   {"a", ""},          {"", ""},
        {" ", " "},          {"  ", " "},          {"chang", " "},
        /* names that differ in their spaces alone are no romanisation pair */
        {"shuhui", "shuhui "}, {"ming hua", "minghua"}, {"mao", "ma o"}, {"katelin", "kate lin"},
        /* e and o are syllables only as words of their own; WG writes ko, ho (never ke, he) */
        {"leo", "lee"},      {"elie", "olie"},     {"jeo", "ree"},     {"hsiuo", "xiue"},
        {"luke", "luge"},    {"ke", "ge"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        check(pairs[i][0], pairs[i][1], false);
}

static void test_hostile(void **st)
{
    (void)st;
    /* upper case, digits, hyphens, apostrophes and non-ASCII are not normalised names */
    check("CHANG", "zhang", false);
    check("Chang", "zhang", false);
    check("chang", "ZHANG", false);
    check("chih-wei", "zhiwei", false);
    check("ch'ang", "chang", false);
    check("chang1", "zhang", false);
    check("hs\xc3\xbc", "xu", false);
    /* a NUL byte inside the length */
    assert_false(conflate_wg_pinyin_equiv("chang\0x", 7, "zhang\0x", 7));
    assert_false(conflate_wg_pinyin_equiv("chang\0", 6, "zhang", 5));
    assert_true(conflate_wg_pinyin_equiv("chang\0", 5, "zhang\0", 5)); /* NUL after n: unread */
    /* empty and NULL-free zero lengths */
    assert_false(conflate_wg_pinyin_equiv("", 0, "zhang", 5));
    assert_false(conflate_wg_pinyin_equiv("chang", 5, "", 0));
    /* long inputs: 200 bytes of syllables, over the limit */
    char wg[201], py[201];
    for (int i = 0; i < 40; i++) {
        memcpy(wg + 5 * i, "chang", 5);
        memcpy(py + 5 * i, "zhang", 5);
    }
    wg[200] = py[200] = '\0';
    assert_false(conflate_wg_pinyin_equiv(wg, 200, py, 200));
    /* at the limit (63 bytes) a name is read; over it, not */
    char wg63[64], py63[64];
    memset(wg63, ' ', 63);
    memset(py63, ' ', 63);
    for (int i = 0; i < 10; i++) {
        memcpy(wg63 + 6 * i, "chang", 5);
        memcpy(py63 + 6 * i, "zhang", 5);
    }
    memcpy(wg63 + 60, "kuo", 3);
    memcpy(py63 + 60, "guo", 3);
    assert_true(conflate_wg_pinyin_equiv(wg63, 63, py63, 63));
    assert_false(conflate_wg_pinyin_equiv(wg63, 63, py, 64));
    /* a long joined run of ambiguous syllables backtracks without blowing up: "chuchu..." has
       4 readings a syllable (zhu, chu, ju, qu); the pinyin side ends in one that fails */
    char cw[61], cp[61];
    for (int i = 0; i < 20; i++) {
        memcpy(cw + 3 * i, "chu", 3);
        memcpy(cp + 2 * i, "ju", 2);
    }
    memcpy(cp + 40, "xx", 2);
    assert_false(conflate_wg_pinyin_equiv(cw, 60, cp, 42));
    assert_true(conflate_wg_pinyin_equiv(cw, 60, cp, 40));
}

/* Every row of the table: each WG spelling reads as its pinyin syllable; rows sorted and
   lower-case; each pinyin syllable is at most 6 letters. */
static void test_table(void **st)
{
    (void)st;
    size_t n = conflate_romanise_count();
    assert_true(n > 380);
    const char *prev = NULL;
    for (size_t i = 0; i < n; i++) {
        const char *py, *wg[3];
        conflate_romanise_entry(i, &py, wg);
        assert_non_null(py);
        assert_non_null(wg[0]);
        assert_true(strlen(py) >= 1 && strlen(py) <= 6);
        if (prev && strcmp(prev, py) >= 0)
            fail_msg("row %zu: \"%s\" after \"%s\"", i, py, prev);
        prev = py;
        for (int k = 0; k < 3 && wg[k]; k++) {
            bool want = strcmp(wg[k], py) != 0;
            if (eq(wg[k], py) != want)
                fail_msg("row %s: WG %s reads %d", py, wg[k], !want);
            for (const char *c = wg[k]; *c; c++)
                assert_true(*c >= 'a' && *c <= 'z');
        }
    }
    const char *py, *wg[3];
    conflate_romanise_entry(n, &py, wg);
    assert_null(py);
    assert_null(wg[0]);
}

/* Names as conflate_norm_name leaves them meet: "Chih-wei" is "chih wei". */
static void test_normalised(void **st)
{
    (void)st;
    char x[64], y[64];
    size_t nx = conflate_norm_name("CHANG Chih-Wei", 14, x, sizeof x);
    size_t ny = conflate_norm_name("Zhang Zhiwei", 12, y, sizeof y);
    assert_string_equal(x, "chang chih wei");
    assert_true(conflate_wg_pinyin_equiv(x, nx, y, ny));
    nx = conflate_norm_name("Hs\xc3\xbc", 4, x, sizeof x); /* Hsü: the umlaut stripped */
    assert_string_equal(x, "hsu");
    assert_true(conflate_wg_pinyin_equiv(x, nx, "xu", 2));
    nx = conflate_norm_name("Ch'iu", 5, x, sizeof x); /* the apostrophe removed */
    assert_string_equal(x, "chiu");
    assert_true(conflate_wg_pinyin_equiv(x, nx, "qiu", 3));
}

/* The engine's own test data (FEBRL: Australian English names, with typos): over every pair of
   distinct normalised first names and of distinct surnames, the pairs called equivalent. Of
   19 million pairs, two surname pairs are romanisations (tu/du, kao/gao) and two first-name
   pairs, typo variants of one English name, read as syllables (kate: WG ka-te, pinyin ka-de). */
#define NAMES_MAX 8192
static size_t read_names(char (*names)[2][32], size_t *count)
{
    static const char *const files[] = {"dataset1.csv", "dataset2.csv", "dataset3.csv",
                                        "dataset4a.csv", "dataset4b.csv"};
    count[0] = count[1] = 0;
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        char path[512], line[1024];
        snprintf(path, sizeof path, "%s/febrl/%s", IOM_TEST_DATA_DIR, files[f]);
        FILE *in = fopen(path, "r");
        assert_non_null(in);
        assert_non_null(fgets(line, sizeof line, in)); /* header */
        while (fgets(line, sizeof line, in)) {
            /* rec_id, given_name, surname, ... */
            char *c1 = strchr(line, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL,
                 *c3 = c2 ? strchr(c2 + 1, ',') : NULL;
            if (!c3)
                continue;
            const char *field[2] = {c1 + 1, c2 + 1};
            size_t flen[2] = {(size_t)(c2 - c1 - 1), (size_t)(c3 - c2 - 1)};
            for (int k = 0; k < 2; k++) {
                char buf[32];
                size_t m = conflate_norm_name(field[k], flen[k], buf, sizeof buf);
                if (m == 0 || m == CONFLATE_NORM_BADUTF8)
                    continue;
                size_t i = 0;
                while (i < count[k] && strcmp(names[i][k], buf) != 0)
                    i++;
                if (i == count[k] && count[k] < NAMES_MAX)
                    memcpy(names[count[k]++][k], buf, m + 1);
            }
        }
        fclose(in);
    }
    return count[0] + count[1];
}

static void test_febrl(void **st)
{
    (void)st;
    static char names[NAMES_MAX][2][32];
    size_t count[2];
    read_names(names, count);
    assert_true(count[0] > 2000 && count[1] > 4000);
    char found[2][256] = {"", ""};
    size_t hits[2] = {0, 0};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < count[k]; i++)
            for (size_t j = i + 1; j < count[k]; j++)
                if (conflate_wg_pinyin_equiv(names[i][k], strlen(names[i][k]), names[j][k],
                                             strlen(names[j][k]))) {
                    hits[k]++;
                    size_t l = strlen(found[k]);
                    /* the pair in byte order, so the list does not depend on the file order */
                    const char *x = names[i][k], *y = names[j][k];
                    if (strcmp(x, y) > 0) {
                        const char *t = x;
                        x = y;
                        y = t;
                    }
                    snprintf(found[k] + l, sizeof found[k] - l, "%s/%s ", x, y);
                }
    if (hits[0] != 2 || hits[1] != 2)
        fail_msg("first names: %zu (%s), surnames: %zu (%s)", hits[0], found[0], hits[1],
                 found[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pairs),   cmocka_unit_test(test_not_pairs),
        cmocka_unit_test(test_hostile), cmocka_unit_test(test_table),
        cmocka_unit_test(test_normalised), cmocka_unit_test(test_febrl),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
