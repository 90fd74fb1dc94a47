/*
 * romanise.c: Wade-Giles and Hanyu Pinyin spellings of one Chinese name (romanise.h).
 *
 * The table: 413 rows, the 407 syllables of Standard Mandarin that names use in pinyin (the
 * published pinyin table less the interjections m, n, ng, hm, ê and a few no name holds:
 * cei, rua, fiao, lo, yai) and the mainland passports' spellings of ü (lv, lyu,
 * nv, nyu, lve, nve), each with its Wade-Giles spellings as the engine holds them: apostrophes
 * and umlauts gone, so WG ch'ang, chang -> "chang" (pinyin chang, zhang), chü, ch'ü -> "chu"
 * (ju, qu; and by the rows of zhu, chu also those), hsü -> "hsu", lü -> "lu". Written by hand
 * from the standard correspondence (Giles 1892, as the published Wade-Giles and pinyin tables
 * lay it out by initial and final):
 *
 *   initials  b p -> p;  d t -> t;  g k -> k;  zh ch -> ch;  j q -> ch (before i, ü);
 *             x -> hs;  r -> j;  z c -> ts (tz in zi, ci);  s -> s (ss, sz in si)
 *   finals    zhi chi shi ri -> chih shih jih;  zi ci si -> tzu, ssu/szu;  -ong -> -ung;
 *             -iong -> -iung;  -ie -> -ieh;  -ian -> -ien;  -üe -> -üeh;  -ui -> -ui or -uei
 *             (kuei always; tui, hui, jui and the rest either way, as Taiwan writes them);
 *             uo -> o after b p m f d t n l z c s zh ch r (to, lo, tso, cho, jo), kept after
 *             g k h sh (kuo, huo, shuo);  e -> o after g k h (ko, ho) and alone (o, or ê);
 *             er -> erh;  you -> yu;  yu -> yü;  yi -> i (and yi, as passports write it);
 *             yan -> yen;  ye -> yeh;  yong -> yung
 *
 * A name is read by walking both sides at once: at each pair of positions every pinyin
 * syllable that starts the pinyin side is looked up, and each of its WG spellings tried on the
 * WG side; a failed pair of positions is remembered, so the walk is polynomial (at most
 * 63 x 63 pairs, each trying at most six syllable lengths).
 */
#include "conflate/romanise.h"

#include <stdint.h>
#include <string.h>

typedef struct {
    const char *py;
    const char *wg[3];
} row_t;

/* Sorted by pinyin in byte order (LC_ALL=C sort); test_conflate_romanise checks it. */
static const row_t table[] = {
    {"a", {"a"}}, {"ai", {"ai"}}, {"an", {"an"}}, {"ang", {"ang"}}, {"ao", {"ao"}},
    {"ba", {"pa"}}, {"bai", {"pai"}}, {"ban", {"pan"}}, {"bang", {"pang"}}, {"bao", {"pao"}},
    {"bei", {"pei"}}, {"ben", {"pen"}}, {"beng", {"peng"}}, {"bi", {"pi"}}, {"bian", {"pien"}},
    {"biao", {"piao"}}, {"bie", {"pieh"}}, {"bin", {"pin"}}, {"bing", {"ping"}}, {"bo", {"po"}},
    {"bu", {"pu"}},
    {"ca", {"tsa"}}, {"cai", {"tsai"}}, {"can", {"tsan"}}, {"cang", {"tsang"}}, {"cao", {"tsao"}},
    {"ce", {"tse"}}, {"cen", {"tsen"}}, {"ceng", {"tseng"}},
    {"cha", {"cha"}}, {"chai", {"chai"}}, {"chan", {"chan"}}, {"chang", {"chang"}},
    {"chao", {"chao"}}, {"che", {"che"}}, {"chen", {"chen"}}, {"cheng", {"cheng"}},
    {"chi", {"chih"}}, {"chong", {"chung"}}, {"chou", {"chou"}}, {"chu", {"chu"}},
    {"chua", {"chua"}}, {"chuai", {"chuai"}}, {"chuan", {"chuan"}}, {"chuang", {"chuang"}},
    {"chui", {"chui", "chuei"}}, {"chun", {"chun"}}, {"chuo", {"cho"}},
    {"ci", {"tzu"}}, {"cong", {"tsung"}}, {"cou", {"tsou"}}, {"cu", {"tsu"}}, {"cuan", {"tsuan"}},
    {"cui", {"tsui", "tsuei"}}, {"cun", {"tsun"}}, {"cuo", {"tso"}},
    {"da", {"ta"}}, {"dai", {"tai"}}, {"dan", {"tan"}}, {"dang", {"tang"}}, {"dao", {"tao"}},
    {"de", {"te"}}, {"dei", {"tei"}}, {"den", {"ten"}}, {"deng", {"teng"}}, {"di", {"ti"}},
    {"dia", {"tia"}}, {"dian", {"tien"}}, {"diao", {"tiao"}}, {"die", {"tieh"}},
    {"ding", {"ting"}}, {"diu", {"tiu"}}, {"dong", {"tung"}}, {"dou", {"tou"}}, {"du", {"tu"}},
    {"duan", {"tuan"}}, {"dui", {"tui", "tuei"}}, {"dun", {"tun"}}, {"duo", {"to"}},
    {"e", {"o", "e"}}, {"ei", {"ei"}}, {"en", {"en"}}, {"eng", {"eng"}}, {"er", {"erh"}},
    {"fa", {"fa"}}, {"fan", {"fan"}}, {"fang", {"fang"}}, {"fei", {"fei"}}, {"fen", {"fen"}},
    {"feng", {"feng"}}, {"fo", {"fo"}}, {"fou", {"fou"}}, {"fu", {"fu"}},
    {"ga", {"ka"}}, {"gai", {"kai"}}, {"gan", {"kan"}}, {"gang", {"kang"}}, {"gao", {"kao"}},
    {"ge", {"ko"}}, {"gei", {"kei"}}, {"gen", {"ken"}}, {"geng", {"keng"}},
    {"gong", {"kung"}}, {"gou", {"kou"}}, {"gu", {"ku"}}, {"gua", {"kua"}}, {"guai", {"kuai"}},
    {"guan", {"kuan"}}, {"guang", {"kuang"}}, {"gui", {"kuei"}}, {"gun", {"kun"}},
    {"guo", {"kuo"}},
    {"ha", {"ha"}}, {"hai", {"hai"}}, {"han", {"han"}}, {"hang", {"hang"}}, {"hao", {"hao"}},
    {"he", {"ho"}}, {"hei", {"hei"}}, {"hen", {"hen"}}, {"heng", {"heng"}},
    {"hong", {"hung"}}, {"hou", {"hou"}}, {"hu", {"hu"}}, {"hua", {"hua"}}, {"huai", {"huai"}},
    {"huan", {"huan"}}, {"huang", {"huang"}}, {"hui", {"hui", "huei"}}, {"hun", {"hun"}},
    {"huo", {"huo"}},
    {"ji", {"chi"}}, {"jia", {"chia"}}, {"jian", {"chien"}}, {"jiang", {"chiang"}},
    {"jiao", {"chiao"}}, {"jie", {"chieh"}}, {"jin", {"chin"}}, {"jing", {"ching"}},
    {"jiong", {"chiung"}}, {"jiu", {"chiu"}}, {"ju", {"chu"}}, {"juan", {"chuan"}},
    {"jue", {"chueh"}}, {"jun", {"chun"}},
    {"ka", {"ka"}}, {"kai", {"kai"}}, {"kan", {"kan"}}, {"kang", {"kang"}}, {"kao", {"kao"}},
    {"ke", {"ko"}}, {"kei", {"kei"}}, {"ken", {"ken"}}, {"keng", {"keng"}},
    {"kong", {"kung"}}, {"kou", {"kou"}}, {"ku", {"ku"}}, {"kua", {"kua"}}, {"kuai", {"kuai"}},
    {"kuan", {"kuan"}}, {"kuang", {"kuang"}}, {"kui", {"kuei"}}, {"kun", {"kun"}},
    {"kuo", {"kuo"}},
    {"la", {"la"}}, {"lai", {"lai"}}, {"lan", {"lan"}}, {"lang", {"lang"}}, {"lao", {"lao"}},
    {"le", {"le"}}, {"lei", {"lei"}}, {"leng", {"leng"}}, {"li", {"li"}}, {"lia", {"lia"}},
    {"lian", {"lien"}}, {"liang", {"liang"}}, {"liao", {"liao"}}, {"lie", {"lieh"}},
    {"lin", {"lin"}}, {"ling", {"ling"}}, {"liu", {"liu"}}, {"long", {"lung"}}, {"lou", {"lou"}},
    {"lu", {"lu"}}, {"luan", {"luan"}}, {"lue", {"lueh"}}, {"lun", {"lun"}}, {"luo", {"lo"}},
    {"lv", {"lu"}}, {"lve", {"lueh"}}, {"lyu", {"lu"}},
    {"ma", {"ma"}}, {"mai", {"mai"}}, {"man", {"man"}}, {"mang", {"mang"}}, {"mao", {"mao"}},
    {"me", {"me"}}, {"mei", {"mei"}}, {"men", {"men"}}, {"meng", {"meng"}}, {"mi", {"mi"}},
    {"mian", {"mien"}}, {"miao", {"miao"}}, {"mie", {"mieh"}}, {"min", {"min"}},
    {"ming", {"ming"}}, {"miu", {"miu"}}, {"mo", {"mo"}}, {"mou", {"mou"}}, {"mu", {"mu"}},
    {"na", {"na"}}, {"nai", {"nai"}}, {"nan", {"nan"}}, {"nang", {"nang"}}, {"nao", {"nao"}},
    {"ne", {"ne"}}, {"nei", {"nei"}}, {"nen", {"nen"}}, {"neng", {"neng"}}, {"ni", {"ni"}},
    {"nian", {"nien"}}, {"niang", {"niang"}}, {"niao", {"niao"}}, {"nie", {"nieh"}},
    {"nin", {"nin"}}, {"ning", {"ning"}}, {"niu", {"niu"}}, {"nong", {"nung"}}, {"nou", {"nou"}},
    {"nu", {"nu"}}, {"nuan", {"nuan"}}, {"nue", {"nueh"}}, {"nuo", {"no"}}, {"nv", {"nu"}},
    {"nve", {"nueh"}}, {"nyu", {"nu"}},
    {"o", {"o"}}, {"ou", {"ou"}},
    {"pa", {"pa"}}, {"pai", {"pai"}}, {"pan", {"pan"}}, {"pang", {"pang"}}, {"pao", {"pao"}},
    {"pei", {"pei"}}, {"pen", {"pen"}}, {"peng", {"peng"}}, {"pi", {"pi"}}, {"pian", {"pien"}},
    {"piao", {"piao"}}, {"pie", {"pieh"}}, {"pin", {"pin"}}, {"ping", {"ping"}}, {"po", {"po"}},
    {"pou", {"pou"}}, {"pu", {"pu"}},
    {"qi", {"chi"}}, {"qia", {"chia"}}, {"qian", {"chien"}}, {"qiang", {"chiang"}},
    {"qiao", {"chiao"}}, {"qie", {"chieh"}}, {"qin", {"chin"}}, {"qing", {"ching"}},
    {"qiong", {"chiung"}}, {"qiu", {"chiu"}}, {"qu", {"chu"}}, {"quan", {"chuan"}},
    {"que", {"chueh"}}, {"qun", {"chun"}},
    {"ran", {"jan"}}, {"rang", {"jang"}}, {"rao", {"jao"}}, {"re", {"je"}}, {"ren", {"jen"}},
    {"reng", {"jeng"}}, {"ri", {"jih"}}, {"rong", {"jung"}}, {"rou", {"jou"}}, {"ru", {"ju"}},
    {"ruan", {"juan"}}, {"rui", {"jui", "juei"}}, {"run", {"jun"}}, {"ruo", {"jo"}},
    {"sa", {"sa"}}, {"sai", {"sai"}}, {"san", {"san"}}, {"sang", {"sang"}}, {"sao", {"sao"}},
    {"se", {"se"}}, {"sen", {"sen"}}, {"seng", {"seng"}},
    {"sha", {"sha"}}, {"shai", {"shai"}}, {"shan", {"shan"}}, {"shang", {"shang"}},
    {"shao", {"shao"}}, {"she", {"she"}}, {"shei", {"shei"}}, {"shen", {"shen"}},
    {"sheng", {"sheng"}}, {"shi", {"shih"}}, {"shou", {"shou"}}, {"shu", {"shu"}},
    {"shua", {"shua"}}, {"shuai", {"shuai"}}, {"shuan", {"shuan"}}, {"shuang", {"shuang"}},
    {"shui", {"shui", "shuei"}}, {"shun", {"shun"}}, {"shuo", {"shuo"}},
    {"si", {"ssu", "szu"}}, {"song", {"sung"}}, {"sou", {"sou"}}, {"su", {"su"}},
    {"suan", {"suan"}}, {"sui", {"sui", "suei"}}, {"sun", {"sun"}}, {"suo", {"so"}},
    {"ta", {"ta"}}, {"tai", {"tai"}}, {"tan", {"tan"}}, {"tang", {"tang"}}, {"tao", {"tao"}},
    {"te", {"te"}}, {"tei", {"tei"}}, {"teng", {"teng"}}, {"ti", {"ti"}}, {"tian", {"tien"}},
    {"tiao", {"tiao"}}, {"tie", {"tieh"}}, {"ting", {"ting"}}, {"tong", {"tung"}},
    {"tou", {"tou"}}, {"tu", {"tu"}}, {"tuan", {"tuan"}}, {"tui", {"tui", "tuei"}},
    {"tun", {"tun"}}, {"tuo", {"to"}},
    {"wa", {"wa"}}, {"wai", {"wai"}}, {"wan", {"wan"}}, {"wang", {"wang"}}, {"wei", {"wei"}},
    {"wen", {"wen"}}, {"weng", {"weng"}}, {"wo", {"wo"}}, {"wu", {"wu"}},
    {"xi", {"hsi"}}, {"xia", {"hsia"}}, {"xian", {"hsien"}}, {"xiang", {"hsiang"}},
    {"xiao", {"hsiao"}}, {"xie", {"hsieh"}}, {"xin", {"hsin"}}, {"xing", {"hsing"}},
    {"xiong", {"hsiung"}}, {"xiu", {"hsiu"}}, {"xu", {"hsu"}}, {"xuan", {"hsuan"}},
    {"xue", {"hsueh"}}, {"xun", {"hsun"}},
    {"ya", {"ya"}}, {"yan", {"yen"}}, {"yang", {"yang"}}, {"yao", {"yao"}}, {"ye", {"yeh"}},
    {"yi", {"i", "yi"}}, {"yin", {"yin"}}, {"ying", {"ying"}}, {"yo", {"yo"}}, {"yong", {"yung"}},
    {"you", {"yu"}}, {"yu", {"yu"}}, {"yuan", {"yuan"}}, {"yue", {"yueh"}}, {"yun", {"yun"}},
    {"za", {"tsa"}}, {"zai", {"tsai"}}, {"zan", {"tsan"}}, {"zang", {"tsang"}}, {"zao", {"tsao"}},
    {"ze", {"tse"}}, {"zei", {"tsei"}}, {"zen", {"tsen"}}, {"zeng", {"tseng"}},
    {"zha", {"cha"}}, {"zhai", {"chai"}}, {"zhan", {"chan"}}, {"zhang", {"chang"}},
    {"zhao", {"chao"}}, {"zhe", {"che"}}, {"zhei", {"chei"}}, {"zhen", {"chen"}},
    {"zheng", {"cheng"}}, {"zhi", {"chih"}}, {"zhong", {"chung"}}, {"zhou", {"chou"}},
    {"zhu", {"chu"}}, {"zhua", {"chua"}}, {"zhuai", {"chuai"}}, {"zhuan", {"chuan"}},
    {"zhuang", {"chuang"}}, {"zhui", {"chui", "chuei"}}, {"zhun", {"chun"}}, {"zhuo", {"cho"}},
    {"zi", {"tzu"}}, {"zong", {"tsung"}}, {"zou", {"tsou"}}, {"zu", {"tsu"}}, {"zuan", {"tsuan"}},
    {"zui", {"tsui", "tsuei"}}, {"zun", {"tsun"}}, {"zuo", {"tso"}},
};
#define NTABLE (sizeof table / sizeof table[0])
#define MAXSYL 6 /* the longest pinyin syllable: zhuang, chuang, shuang */

size_t conflate_romanise_count(void) { return NTABLE; }

void conflate_romanise_entry(size_t i, const char **pinyin, const char *wg[3])
{
    *pinyin = i < NTABLE ? table[i].py : NULL;
    for (int k = 0; k < 3; k++)
        wg[k] = i < NTABLE ? table[i].wg[k] : NULL;
}

/* t (NUL-terminated) against s[0..n) (no NUL in it): <0, 0, >0 as t sorts before, is, or
 * sorts after s (a longer t that starts with s sorts after). */
static int cmp(const char *t, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (t[i] != s[i])
            return (unsigned char)t[i] < (unsigned char)s[i] ? -1 : 1;
    return t[n] != '\0';
}

/* Whether t (NUL-terminated) starts with s[0..n). */
static bool starts(const char *t, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (t[i] != s[i])
            return false;
    return true;
}

/* The row of the pinyin syllable s[0..n), or NULL. Rows before *from are not looked at, and
 * *from is moved past every row that sorts before s: the syllables that start a name are
 * looked up shortest first, and each sorts after the ones it starts with. *more is set when
 * a longer syllable starts with s (else no longer key need be looked up). */
static const row_t *find(const char *s, size_t n, size_t *from, bool *more)
{
    size_t lo = *from, hi = NTABLE;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp(table[mid].py, s, n);
        if (c == 0) {
            *from = mid + 1;
            *more = mid + 1 < NTABLE && starts(table[mid + 1].py, s, n);
            return &table[mid];
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *from = lo;
    *more = lo < NTABLE && starts(table[lo].py, s, n);
    return NULL;
}

/* Whether s[i..i+l) is a whole word: bounded by the ends of s or by spaces. */
static bool word_at(const char *s, size_t n, size_t i, size_t l)
{
    return (i == 0 || s[i - 1] == ' ') && (i + l == n || s[i + l] == ' ');
}

/* Whether a and b hold the same letters, spaces aside ("ming hua", "minghua"). */
static bool same_letters(const char *a, size_t na, const char *b, size_t nb)
{
    size_t i = 0, j = 0;
    for (;;) {
        while (i < na && a[i] == ' ')
            i++;
        while (j < nb && b[j] == ' ')
            j++;
        if (i == na || j == nb)
            return i == na && j == nb;
        if (a[i++] != b[j++])
            return false;
    }
}

/* Whether w[iw..nw), read as WG syllables, has a pinyin reading equal to p[ip..np) (spaces
 * on either side are syllable boundaries and are skipped). dead[i] bit j: the positions
 * (i, j) were tried and failed. */
static bool walk(const char *w, size_t nw, size_t iw, const char *p, size_t np, size_t ip,
                 uint64_t *dead)
{
    while (iw < nw && w[iw] == ' ')
        iw++;
    while (ip < np && p[ip] == ' ')
        ip++;
    if (iw == nw || ip == np)
        return iw == nw && ip == np;
    if (dead[iw] >> ip & 1)
        return false;
    size_t from = 0;
    bool more = true;
    for (size_t len = 1; more && len <= MAXSYL && ip + len <= np && p[ip + len - 1] != ' ';
         len++) {
        const row_t *r = find(p + ip, len, &from, &more);
        if (!r)
            continue;
        /* the one-vowel syllables e and o only as a word of their own (pinyin writes
           xiu'e: without the apostrophe "leo", "elie", "jeo" read as le-o, e-li-e, je-o) */
        bool lone = len == 1 && (p[ip] == 'e' || p[ip] == 'o');
        if (lone && !word_at(p, np, ip, 1))
            continue;
        for (int k = 0; k < 3 && r->wg[k]; k++) {
            size_t lf = strlen(r->wg[k]);
            if (lf <= nw - iw && memcmp(w + iw, r->wg[k], lf) == 0 &&
                (!lone || word_at(w, nw, iw, lf)) &&
                walk(w, nw, iw + lf, p, np, ip + len, dead))
                return true;
        }
    }
    dead[iw] |= (uint64_t)1 << ip;
    return false;
}

/* The pinyin letters a WG syllable's first letter can stand for, as a bit mask over 'a'..'z'. */
#define L(c) (UINT32_C(1) << ((c) - 'a'))
static uint32_t wg_first(char c)
{
    switch (c) {
    case 'a': return L('a');
    case 'c': return L('c') | L('j') | L('q') | L('z');
    case 'e': return L('e');
    case 'f': return L('f');
    case 'h': return L('h') | L('x');
    case 'i': return L('y');
    case 'j': return L('r');
    case 'k': return L('g') | L('k');
    case 'l': return L('l');
    case 'm': return L('m');
    case 'n': return L('n');
    case 'o': return L('e') | L('o');
    case 'p': return L('b') | L('p');
    case 's': return L('s');
    case 't': return L('c') | L('d') | L('t') | L('z');
    case 'w': return L('w');
    case 'y': return L('y');
    default: return 0; /* b d g q r u v x z: no WG syllable starts so */
    }
}

/* What a name's letters allow: bit 0 a possible name at all (1..CONFLATE_ROMANISE_MAX bytes of
 * 'a'..'z' and ' ', a letter among them), bit 1 a possible WG name (none of b d q v x, which
 * WG never writes; z only in tz, sz). */
static int shape(const char *s, size_t n, size_t *first)
{
    if (n == 0 || n > CONFLATE_ROMANISE_MAX)
        return 0;
    int wg = 2;
    size_t f = n;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ' ')
            continue;
        if (c < 'a' || c > 'z')
            return 0;
        if (f == n)
            f = i;
        if (c == 'b' || c == 'd' || c == 'q' || c == 'v' || c == 'x')
            wg = 0;
    }
    if (f == n)
        return 0;
    *first = f;
    return 1 | wg;
}

bool conflate_wg_pinyin_equiv(const char *a, size_t na, const char *b, size_t nb)
{
    if (na == 0 || nb == 0 || na > CONFLATE_ROMANISE_MAX || nb > CONFLATE_ROMANISE_MAX)
        return false;
    /* most pairs end here: first letters that no WG syllable and its reading start with */
    if (a[0] >= 'a' && a[0] <= 'z' && b[0] >= 'a' && b[0] <= 'z' &&
        !(wg_first(a[0]) & L(b[0])) && !(wg_first(b[0]) & L(a[0])))
        return false;
    size_t fa = 0, fb = 0;
    int sa = shape(a, na, &fa), sb = shape(b, nb, &fb);
    if (!sa || !sb || same_letters(a, na, b, nb))
        return false;
    uint64_t dead[CONFLATE_ROMANISE_MAX];
    if ((sa & 2) && (wg_first(a[fa]) & L(b[fb]))) {
        memset(dead, 0, na * sizeof dead[0]);
        if (walk(a, na, 0, b, nb, 0, dead))
            return true;
    }
    if ((sb & 2) && (wg_first(b[fb]) & L(a[fa]))) {
        memset(dead, 0, nb * sizeof dead[0]);
        if (walk(b, nb, 0, a, na, 0, dead))
            return true;
    }
    return false;
}
