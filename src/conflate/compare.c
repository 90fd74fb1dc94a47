/* compare.c: see compare.h. */
#include "conflate/compare.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conflate/norm.h"

/* Bit sets of at most 256 positions: 64 bytes to clear instead of 512 per call. */
#define BIT_GET(s, i) (((s)[(i) >> 6] >> ((i) & 63)) & 1u)
#define BIT_SET(s, i) ((s)[(i) >> 6] |= (uint64_t)1 << ((i) & 63))

static double jw_finish(const char *a, size_t na, const char *b, size_t nb, size_t m, size_t t)
{
    double md = (double)m;
    double jaro = (md / (double)na + md / (double)nb + (md - (double)t / 2.0) / md) / 3.0;
    size_t l = 0;
    while (l < 4 && l < na && l < nb && a[l] == b[l])
        l++;
    return jaro + (double)l * 0.1 * (1.0 - jaro);
}

/*
 * Jaro-Winkler of strings of at most 64 bytes, bit-parallel: pos[c] holds the positions of
 * byte c in b, so the first unmatched b[j] == a[i] inside the window is the lowest set bit
 * of pos[a[i]] & ~matched & window -- the same greedy matching as the plain loop, in
 * O(na + nb) instead of O(na * window). pos is all zero between calls.
 */
static _Thread_local uint64_t jw_pos[256];

static double jw_short(const char *a, size_t na, const char *b, size_t nb, size_t win)
{
    const unsigned char *ua = (const unsigned char *)a, *ub = (const unsigned char *)b;
    for (size_t j = 0; j < nb; j++)
        jw_pos[ub[j]] |= (uint64_t)1 << j;
    uint64_t ma = 0, mb = 0;
    size_t m = 0;
    for (size_t i = 0; i < na; i++) {
        size_t lo = i > win ? i - win : 0;
        size_t hi = i + win + 1 < nb ? i + win + 1 : nb;
        if (lo >= hi)
            continue;
        uint64_t wmask = (hi >= 64 ? ~(uint64_t)0 : (((uint64_t)1 << hi) - 1)) &
                         ~(((uint64_t)1 << lo) - 1);
        uint64_t cand = jw_pos[ua[i]] & ~mb & wmask;
        if (cand) {
            mb |= cand & (~cand + 1);
            ma |= (uint64_t)1 << i;
            m++;
        }
    }
    for (size_t j = 0; j < nb; j++)
        jw_pos[ub[j]] = 0;
    if (m == 0)
        return 0.0;
    size_t t = 0;
    uint64_t x = ma, y = mb;
    while (x) {
        int i = __builtin_ctzll(x), k = __builtin_ctzll(y);
        if (a[i] != b[k])
            t++;
        x &= x - 1;
        y &= y - 1;
    }
    return jw_finish(a, na, b, nb, m, t);
}

double conflate_jaro_winkler(const char *a, size_t na, const char *b, size_t nb)
{
    if (na > 255)
        na = 255;
    if (nb > 255)
        nb = 255;
    if (na == 0 && nb == 0)
        return 1.0;
    if (na == 0 || nb == 0)
        return 0.0;
    if (na == nb && memcmp(a, b, na) == 0)
        return 1.0;
    size_t win = (na > nb ? na : nb) / 2;
    win = win > 0 ? win - 1 : 0;
    if (na <= 64 && nb <= 64)
        return jw_short(a, na, b, nb, win);
    uint64_t ma[4] = {0, 0, 0, 0}, mb[4] = {0, 0, 0, 0};
    size_t m = 0;
    for (size_t i = 0; i < na; i++) {
        size_t lo = i > win ? i - win : 0;
        size_t hi = i + win + 1 < nb ? i + win + 1 : nb;
        char ch = a[i];
        for (size_t j = lo; j < hi; j++) {
            if (b[j] == ch && !BIT_GET(mb, j)) {
                BIT_SET(ma, i);
                BIT_SET(mb, j);
                m++;
                break;
            }
        }
    }
    if (m == 0)
        return 0.0;
    size_t t = 0, k = 0;
    for (size_t i = 0; i < na; i++) {
        if (!BIT_GET(ma, i))
            continue;
        while (!BIT_GET(mb, k))
            k++;
        if (a[i] != b[k])
            t++;
        k++;
    }
    return jw_finish(a, na, b, nb, m, t);
}

/*
 * Optimal string alignment distance, capped: only the diagonal band |i - j| <= max is
 * computed (a path that leaves it costs more than max), and the scan stops as soon as a
 * whole row exceeds max. Cells outside the band count as max + 1.
 */
/* OSA distance capped at 1, without the table: one substitution, one transposition of
 * neighbours, or one byte more in one of the strings. The common case in comparisons (phones,
 * e-mails, identifiers, postcodes, towns: a typo or nothing). Returns 0, 1 or 2. */
static int osa_within_one(const char *a, size_t na, const char *b, size_t nb)
{
    if (na < nb) {
        const char *t = a;
        a = b;
        b = t;
        size_t tn = na;
        na = nb;
        nb = tn;
    }
    if (na - nb > 1)
        return 2;
    size_t i = 0;
    while (i < nb && a[i] == b[i])
        i++;
    if (na == nb) {
        if (i == na)
            return 0;
        if (!memcmp(a + i + 1, b + i + 1, na - i - 1))
            return 1; /* a substitution */
        if (i + 1 < na && a[i] == b[i + 1] && a[i + 1] == b[i] &&
            !memcmp(a + i + 2, b + i + 2, na - i - 2))
            return 1; /* neighbours transposed */
        return 2;
    }
    /* a is one longer: a[i] is the extra byte */
    return !memcmp(a + i + 1, b + i, nb - i) ? 1 : 2;
}

int conflate_within_one_edit(const char *a, size_t na, const char *b, size_t nb)
{
    return osa_within_one(a, na, b, nb) <= 1;
}

int conflate_osa_distance(const char *a, size_t na, const char *b, size_t nb, int max)
{
    if (max == 1 && na <= 255 && nb <= 255)
        return osa_within_one(a, na, b, nb);
    if (na == nb && memcmp(a, b, na) == 0)
        return 0;
    if (na > 255 || nb > 255)
        return max + 1;
    int diff = (int)na - (int)nb;
    if (diff > max || -diff > max)
        return max + 1;
    if (max < 0)
        return max + 1;
    const int inf = max + 1;
    int rows[3][257];
    int *pp = rows[0], *p = rows[1], *c = rows[2];
    for (size_t j = 0; j <= nb; j++) {
        p[j] = j <= (size_t)max ? (int)j : inf;
        pp[j] = inf;
        c[j] = inf;
    }
    for (size_t i = 1; i <= na; i++) {
        size_t lo = i > (size_t)max ? i - (size_t)max : 1;
        size_t hi = i + (size_t)max < nb ? i + (size_t)max : nb;
        c[0] = i <= (size_t)max ? (int)i : inf;
        if (lo > 1)
            c[lo - 1] = inf;
        int best = c[0];
        for (size_t j = lo; j <= hi; j++) {
            int cost = a[i - 1] != b[j - 1];
            int v = p[j - 1] + cost;
            if (p[j] + 1 < v)
                v = p[j] + 1;
            if (c[j - 1] + 1 < v)
                v = c[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            if (v > inf)
                v = inf;
            c[j] = v;
            if (v < best)
                best = v;
        }
        if (hi + 1 <= nb)
            c[hi + 1] = inf;
        if (best > max)
            return max + 1;
        int *tmp = pp;
        pp = p;
        p = c;
        c = tmp;
    }
    return p[nb] > max ? max + 1 : p[nb];
}

/* The space-separated tokens of s (at most max): start, length and a key of their first
   eight bytes, so that most unequal tokens differ without memcmp. */
static size_t tokens_of(const char *s, size_t n, const char **t, size_t *len, uint64_t *key,
                        size_t max)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < max;) {
        size_t j = i;
        while (j < n && s[j] != ' ')
            j++;
        if (j > i) {
            uint64_t w = 0;
            memcpy(&w, s + i, j - i < 8 ? j - i : 8);
            t[k] = s + i;
            len[k] = j - i;
            key[k++] = w;
        }
        i = j + 1;
    }
    return k;
}

double conflate_token_jaccard(const char *a, size_t na, const char *b, size_t nb)
{
    enum { MAXT = 32 };
    const char *ta[MAXT], *tb[MAXT];
    size_t la[MAXT], lb[MAXT];
    uint64_t ka_[MAXT], kb_[MAXT];
    size_t ka = tokens_of(a, na, ta, la, ka_, MAXT), kb = tokens_of(b, nb, tb, lb, kb_, MAXT);
    if (ka == 0 && kb == 0)
        return 1.0;
    size_t inter = 0;
    uint32_t used = 0;
    for (size_t i = 0; i < ka; i++)
        for (size_t j = 0; j < kb; j++)
            if (!(used >> j & 1) && ka_[i] == kb_[j] && la[i] == lb[j] &&
                (la[i] <= 8 || memcmp(ta[i] + 8, tb[j] + 8, la[i] - 8) == 0)) {
                used |= 1u << j;
                inter++;
                break;
            }
    return (double)inter / (double)(ka + kb - inter);
}

/* The byte classes of the bag signature: the letters commonest in addresses and names on
   their own, the others, the digits and the rest grouped. Grouping only loosens the bound. */
static unsigned char bag_class(unsigned char c)
{
    static const char *const groups[16] = {
        "", "e", "a", "r", "t", "o", "n", "s", "li", "dh", "cum", "gywfpb", "vkjxqz",
        "012", "3456", "789"};
    for (int g = 1; g < 16; g++)
        if (c && strchr(groups[g], c))
            return (unsigned char)g;
    return 0; /* space, punctuation, other bytes */
}

static unsigned char bag_classes[256];
static int bag_ready;

uint64_t conflate_bag_sig(const char *s, size_t n)
{
    if (!__atomic_load_n(&bag_ready, __ATOMIC_ACQUIRE)) {
        /* the table is the same whoever fills it first: a race writes equal bytes */
        for (int c = 0; c < 256; c++)
            __atomic_store_n(&bag_classes[c], bag_class((unsigned char)c), __ATOMIC_RELAXED);
        __atomic_store_n(&bag_ready, 1, __ATOMIC_RELEASE);
    }
    unsigned cnt[16] = {0};
    for (size_t i = 0; i < n; i++)
        cnt[__atomic_load_n(&bag_classes[(unsigned char)s[i]], __ATOMIC_RELAXED)]++;
    uint64_t sig = 0;
    for (int g = 0; g < 16; g++) {
        if (cnt[g] >= 15)
            return 0;
        sig |= (uint64_t)cnt[g] << (4 * g);
    }
    return sig;
}

/* The sum over 8-bit lanes (values below 16) of the smaller of x's and y's lane. */
static int lane_min_sum(uint64_t x, uint64_t y)
{
    const uint64_t H = 0x8080808080808080ull;
    uint64_t ge = (((x | H) - y) & H) >> 7; /* 1 in lanes where x >= y */
    uint64_t mask = ge * 0xFF;
    uint64_t m = (y & mask) | (x & ~mask);
    return (int)((m * 0x0101010101010101ull) >> 56);
}

int conflate_bag_common(uint64_t x, uint64_t y)
{
    const uint64_t lo = 0x0F0F0F0F0F0F0F0Full;
    return lane_min_sum(x & lo, y & lo) + lane_min_sum(x >> 4 & lo, y >> 4 & lo);
}

/* Two decimal digits (0-99) as two nibbles. */
static const unsigned char bcd100[100] = {
#define BCD_ROW(t) 0x##t##0, 0x##t##1, 0x##t##2, 0x##t##3, 0x##t##4, 0x##t##5, 0x##t##6, 0x##t##7, \
                   0x##t##8, 0x##t##9
    BCD_ROW(0), BCD_ROW(1), BCD_ROW(2), BCD_ROW(3), BCD_ROW(4),
    BCD_ROW(5), BCD_ROW(6), BCD_ROW(7), BCD_ROW(8), BCD_ROW(9)
#undef BCD_ROW
};

/* A date's eight digits (year 0-9999, month, day) as nibbles, the day's last digit lowest. */
static inline uint32_t date_bcd(int y, int m, int d)
{
    return (uint32_t)bcd100[y / 100 % 100] << 24 | (uint32_t)bcd100[y % 100] << 16 |
           (uint32_t)bcd100[m % 100] << 8 | bcd100[d % 100];
}

int conflate_jw_below(uint64_t sa, uint64_t sb, const char *a, size_t na, const char *b, size_t nb,
                      double thr)
{
    if (!sa || !sb || na == 0 || nb == 0 || na > 255 || nb > 255)
        return 0;
    size_t c = (size_t)conflate_bag_common(sa, sb), lo = na < nb ? na : nb;
    if (c > lo)
        c = lo;
    size_t l = 0;
    while (l < 4 && l < lo && a[l] == b[l])
        l++;
    double jaro = ((double)c / (double)na + (double)c / (double)nb + 1.0) / 3.0;
    return jaro + (double)l * 0.1 * (1.0 - jaro) < thr - 1e-9;
}

/* A date as months from year 0, its middle; *half: how far either side of it the date may be
   (a window or a year: six months, a month: half of one, a whole date: none). */
static double date_months(int32_t d, double *half)
{
    int y = d / 10000, m = d / 100 % 100, dd = d % 100;
    if (m > 20) {
        *half = 6;
        return y * 12.0 + (m - 21) + 0.5;
    }
    if (m == 0) {
        *half = 6;
        return y * 12.0 + 6;
    }
    if (dd == 0) {
        *half = 0.5;
        return y * 12.0 + (m - 1) + 0.5;
    }
    *half = 0;
    return y * 12.0 + (m - 1) + (dd - 0.5) / 31.0;
}

int conflate_date_level(int32_t a, int32_t b)
{
    if (conflate_date_window(a) || conflate_date_window(b)) {
        /* a window (an age at a record's date: born within the year before it) agrees as far as
           it goes when the other date falls in it (a month's slack for the date of the record);
           else as a year known alone: within three years, or different */
        double ha, hb, d = date_months(a, &ha) - date_months(b, &hb);
        if (d < 0)
            d = -d;
        if (d <= ha + hb + 1)
            return CONFLATE_DATE_YEAR_ONLY;
        return d <= ha + hb + 1 + 36 ? CONFLATE_DATE_YEAR_NEAR : CONFLATE_DATE_OTHER;
    }
    if (a % 100 == 0 || b % 100 == 0) {
        /* a partial date agrees at its precision: the same month is "close"; the same year
         * (only a year known) a level of its own ("within a year" weighed it as a
         * difference, ~-5 bits, where it is an agreement of what is known); else as far
         * apart as their first days */
        int ya = a / 10000, yb = b / 10000, ma = (a / 100) % 100, mb = (b / 100) % 100;
        if (ya == yb && ma && mb)
            return ma == mb ? CONFLATE_DATE_CLOSE : CONFLATE_DATE_YEAR;
        if (ya == yb)
            return CONFLATE_DATE_YEAR_ONLY;
        /* a year known alone against a date of a year near it: a level of its own
           (CONFLATE_DATE_YEAR_NEAR), not the whole dates' "within a year". A year known alone
           is most often an estimate (an age given, a referral's "c.1995"), and estimates are
           off by two or three years as often as by one (review 91: such a year two years off
           was "different", -9.9 bits, and mapping it cost more links than it made) */
        if ((ma == 0 || mb == 0) && ya - yb <= 3 && yb - ya <= 3)
            return CONFLATE_DATE_YEAR_NEAR;
        return ya - yb <= 1 && yb - ya <= 1 ? CONFLATE_DATE_YEAR : CONFLATE_DATE_OTHER;
    }
    if (a == b)
        return CONFLATE_DATE_EXACT;
    int ya = a / 10000, ma = (a / 100) % 100, da = a % 100;
    int yb = b / 10000, mb = (b / 100) % 100, db = b % 100;
    if (ya == yb && ma == db && da == mb)
        return CONFLATE_DATE_TRANSPOSED;
    /* the eight digits as nibbles (digit k, from the day's last, at bits 4k): the digits that
       differ are the nonzero nibbles of the exclusive or */
    uint32_t xa = date_bcd(ya, ma, da), xb = date_bcd(yb, mb, db), x = xa ^ xb;
    x |= x >> 1;
    x |= x >> 2;
    x &= 0x11111111u;
    int digits = __builtin_popcount(x);
    if (digits == 1)
        return CONFLATE_DATE_CLOSE;
    /* two adjacent digits exchanged (1975 keyed 1795) is one slip, like one digit */
    int first = __builtin_ctz(x) / 4;
    if (digits == 2 && first < 7 && (xa >> (4 * first) & 15) == (xb >> (4 * first + 4) & 15) &&
        (xa >> (4 * first + 4) & 15) == (xb >> (4 * first) & 15))
        return CONFLATE_DATE_CLOSE;
    /* whole dates three years or more apart are more than 366 days apart: no day count */
    if (ya - yb >= 3 || yb - ya >= 3)
        return digits == 2 ? CONFLATE_DATE_YEAR : CONFLATE_DATE_OTHER;
    int32_t dd = conflate_date_days(a) - conflate_date_days(b);
    if (dd < 0)
        dd = -dd;
    if (dd <= 31)
        return CONFLATE_DATE_CLOSE;
    if (digits == 2 || dd <= 366)
        return CONFLATE_DATE_YEAR;
    return CONFLATE_DATE_OTHER;
}

int conflate_date_slip(const char *in, size_t n, conflate_date_slip_t *out)
{
    memset(out, 0, sizeof *out);
    if (!in || n == 0 || n > 32)
        return 0;
    size_t nd = 0, runs = 0, w[4] = {0};
    int in_run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c >= '0' && c <= '9') {
            if (nd >= 10)
                return 0;
            out->digits[nd++] = (char)c;
            if (!in_run) {
                if (runs == 3)
                    return 0;
                runs++;
                in_run = 1;
            }
            w[runs - 1]++;
        } else if (c == '-' || c == '/' || c == '.' || c == ' ' || c == '\\') {
            in_run = 0;
        } else {
            return 0; /* a letter, a colon (a time), anything else: not a slip we can read */
        }
    }
    out->digits[nd] = 0;
    if (nd < 6)
        return 0;
    if (runs == 1) {
        if (nd < 7 || nd > 9)
            return 0;
        out->layout = CONFLATE_SLIP_RUN;
        return 1;
    }
    if (runs != 3 || w[0] > 5 || w[1] > 3 || w[2] > 5)
        return 0;
    out->layout = w[0] >= 3 ? CONFLATE_SLIP_YMD : CONFLATE_SLIP_DMY;
    for (int k = 0; k < 3; k++)
        out->w[k] = (unsigned char)w[k];
    return 1;
}

/* A number (0-9999) in `width` digits, or in as few as it needs when width is 1 (a day
   written 5). */
static size_t put_num(char *o, int v, int width)
{
    char t[8];
    size_t n = 0;
    do { /* the digits, last first */
        t[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0 && n < sizeof t);
    while ((int)n < width && n < sizeof t)
        t[n++] = '0';
    for (size_t i = 0; i < n; i++)
        o[i] = t[n - 1 - i];
    return n;
}

int conflate_date_slip_level(const conflate_date_slip_t *s, int32_t d)
{
    if (!d || conflate_date_partial(d))
        return -1;
    int y = d / 10000, m = (d / 100) % 100, dd = d % 100;
    char r[2][16];
    size_t rn[2] = {0, 0};
    int nr = 1;
    switch (s->layout) {
    case CONFLATE_SLIP_YMD:
        rn[0] += put_num(r[0] + rn[0], y, 4);
        rn[0] += put_num(r[0] + rn[0], m, s->w[1] == 1 && m < 10 ? 1 : 2);
        rn[0] += put_num(r[0] + rn[0], dd, s->w[2] == 1 && dd < 10 ? 1 : 2);
        break;
    case CONFLATE_SLIP_DMY:
        rn[0] += put_num(r[0] + rn[0], dd, s->w[0] == 1 && dd < 10 ? 1 : 2);
        rn[0] += put_num(r[0] + rn[0], m, s->w[1] == 1 && m < 10 ? 1 : 2);
        rn[0] += s->w[2] <= 2 ? put_num(r[0] + rn[0], y % 100, 2) : put_num(r[0] + rn[0], y, 4);
        break;
    default: /* one run: day first (16031985) or year first (19850316) */
        rn[0] += put_num(r[0] + rn[0], dd, 2);
        rn[0] += put_num(r[0] + rn[0], m, 2);
        rn[0] += put_num(r[0] + rn[0], y, 4);
        rn[1] += put_num(r[1] + rn[1], y, 4);
        rn[1] += put_num(r[1] + rn[1], m, 2);
        rn[1] += put_num(r[1] + rn[1], dd, 2);
        nr = 2;
        break;
    }
    size_t nd = strlen(s->digits);
    int best = 3;
    for (int k = 0; k < nr; k++) {
        int x = conflate_osa_distance(s->digits, nd, r[k], rn[k], 2);
        if (x < best)
            best = x;
    }
    return best <= 1 ? CONFLATE_DATE_CLOSE : best == 2 ? CONFLATE_DATE_YEAR : CONFLATE_DATE_OTHER;
}

/* ---- gendered forms of one family name ---------------------------------------------------- */

static inline int ends_with(const char *s, size_t n, const char *suf, size_t *stem)
{
    size_t k = strlen(suf); /* a literal: folded by the compiler where inlined */
    if (n < k || memcmp(s + n - k, suf, k))
        return 0;
    *stem = n - k;
    return 1;
}

static int is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y'; }

/* Whether m (the masculine form) and f (the feminine) are one family name inflected by sex. */
static int gendered_mf(const char *m, size_t nm, const char *f, size_t nf)
{
    size_t s, t;
    /* Czech and Slovak: Novák / Nováková, Dzurko / Dzurková, Gina / Ginová, Hájek / Hájková,
       Němec / Němcová */
    if (ends_with(f, nf, "ova", &s) && s >= 3) {
        if (nm == s && !memcmp(m, f, s) && !is_vowel(m[s - 1]))
            return 1;
        if (nm == s + 1 && !memcmp(m, f, s) && (m[s] == 'a' || m[s] == 'o' || m[s] == 'e'))
            return 1;
        if (nm == s + 1 && s >= 3 && nm >= 3 && m[nm - 2] == 'e' && (m[nm - 1] == 'k' || m[nm - 1] == 'c') &&
            !memcmp(m, f, nm - 2) && f[nm - 2] == m[nm - 1])
            return 1; /* Hájek / Hájková: the e of the last syllable drops */
    }
    /* Russian and Bulgarian: Ivanov / Ivanova, Lebedev / Lebedeva, Pushkin / Pushkina */
    if (nf == nm + 1 && f[nm] == 'a' && !memcmp(m, f, nm) &&
        ((nm >= 5 && (ends_with(m, nm, "ov", &t) || ends_with(m, nm, "ev", &t))) ||
         (nm >= 6 && (ends_with(m, nm, "in", &t) || ends_with(m, nm, "yn", &t)))))
        return 1;
    /* adjectival (Polish, Czech, Russian): Kowalski / Kowalska, Novotný's -ský / -ská,
       Dostoyevskiy / Dostoyevskaya, Latvian Jankovskis / Jankovska */
    static const char *const madj[] = {"skiy", "skii", "skis", "ski", "sky", "ckiy", "ckii", "cki", "cky"};
    static const char *const fadj[] = {"skaya", "skaja", "ska", "ckaya", "ckaja", "cka"};
    for (size_t i = 0; i < sizeof madj / sizeof *madj; i++)
        if (ends_with(m, nm, madj[i], &s) && s >= 3)
            for (size_t j = 0; j < sizeof fadj / sizeof *fadj; j++)
                if (ends_with(f, nf, fadj[j], &t) && t == s && madj[i][0] == fadj[j][0] && !memcmp(m, f, s))
                    return 1;
    /* Lithuanian: Kazlauskas / Kazlauskienė (a wife) / Kazlauskaitė (a daughter), Adomaitis /
       Adomaitienė / Adomaitytė, Butkus / Butkutė */
    static const char *const mlt[] = {"as", "is", "ys", "us"};
    static const char *const flt[] = {"iene", "aite", "yte", "iute", "ute"};
    for (size_t i = 0; i < 4; i++)
        if (ends_with(m, nm, mlt[i], &s) && s >= 3)
            for (size_t j = 0; j < 5; j++)
                if (ends_with(f, nf, flt[j], &t) && t == s && !memcmp(m, f, s))
                    return 1;
    /* Latvian: Bērziņš / Bērziņa, Ozols / Ozola, Jansons / Jansone, Balodis / Balode */
    static const char *const mlv[] = {"ins", "ols", "ags", "ens", "ejs", "ons"};
    for (size_t i = 0; i < sizeof mlv / sizeof *mlv; i++)
        if (nm >= 5 && ends_with(m, nm, mlv[i], &s) && nf == nm && !memcmp(m, f, nm - 1) &&
            f[nf - 1] == (i == 5 ? 'e' : 'a'))
            return 1;
    if (ends_with(m, nm, "is", &s) && s >= 4 && nf == s + 1 && f[s] == 'e' && !memcmp(m, f, s))
        return 1;
    /* Greek: Papadopoulos / Papadopoulou, Georgiadis / Georgiadi, Lambrakis / Lambraki */
    if (ends_with(m, nm, "os", &s) && s >= 4 && nf == nm && f[s] == 'o' && f[s + 1] == 'u' && !memcmp(m, f, s))
        return 1;
    if (ends_with(m, nm, "is", &s) && s >= 5 && nf == s + 1 && f[s] == 'i' && !memcmp(m, f, s))
        return 1;
    return 0;
}

/* Two feminine forms of one Lithuanian family name: a wife's and a daughter's. */
static int gendered_ff(const char *a, size_t na, const char *b, size_t nb)
{
    static const char *const flt[] = {"iene", "aite", "yte", "iute", "ute"};
    size_t s, t;
    for (size_t i = 0; i < 5; i++)
        if (ends_with(a, na, flt[i], &s) && s >= 3)
            for (size_t j = 0; j < 5; j++)
                if (j != i && ends_with(b, nb, flt[j], &t) && t == s && !memcmp(a, b, s))
                    return 1;
    return 0;
}

int conflate_surname_gendered(const char *a, size_t na, const char *b, size_t nb)
{
    /* words before the last must be the same (a compound surname), the last ones are compared */
    size_t la = na, lb = nb;
    while (la > 0 && a[la - 1] != ' ')
        la--;
    while (lb > 0 && b[lb - 1] != ' ')
        lb--;
    if (la != lb || memcmp(a, b, la))
        return 0;
    a += la;
    b += lb;
    na -= la;
    nb -= lb;
    /* every rule keeps a stem of three letters or more and changes the length by at most
       three: most pairs of names are told apart here, at the cost of a few comparisons (the
       check runs for every distinct pair of surnames compared) */
    if (na < 3 || nb < 3 || a[0] != b[0] || a[1] != b[1] || a[2] != b[2] || na > nb + 3 || nb > na + 3 ||
        (na == nb && !memcmp(a, b, na)))
        return 0;
    return gendered_mf(a, na, b, nb) || gendered_mf(b, nb, a, na) || gendered_ff(a, na, b, nb);
}

/* Whether word w (n bytes) is a surname's leading particle, next the word that follows it. */
static int particle_word(const char *w, size_t n, const char *next, size_t nn)
{
    static const char *const words[] = {"al", "el", "de", "da", "di", "du", "do", "dos", "das",
                                        "van", "von", "der", "den", "ter", "ten", "le", "la"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i]) == n && !memcmp(words[i], w, n))
            return 1;
    /* the article before a sun letter, written as it sounds: a[sh|s|r|d|t|z|n|dh|th] followed
       by a word that begins with those letters */
    return n >= 2 && n <= 3 && (w[0] == 'a' || w[0] == 'e') && w[1] != 'l' && nn > n &&
           !memcmp(w + 1, next, n - 1);
}

size_t conflate_surname_core(const char *s, size_t n)
{
    size_t i = 0;
    for (;;) {
        size_t j = i;
        while (j < n && s[j] != ' ')
            j++;
        if (j >= n)
            break; /* the last word is the name */
        size_t k = j + 1, m = k;
        while (m < n && s[m] != ' ')
            m++;
        if (m == k || !particle_word(s + i, j - i, s + k, m - k))
            break;
        i = k;
    }
    /* an article joined to the name */
    size_t w = i;
    while (w < n && s[w] != ' ')
        w++;
    if (w - i >= 7 && (s[i] == 'a' || s[i] == 'e') && s[i + 1] == 'l' && !strchr("laeiouy", s[i + 2]))
        i += 2; /* five letters or more after it: Elwood, Alford, Elmore keep their article */
    return i;
}

size_t conflate_surname_gaelic(const char *s, size_t n, char *out, size_t cap)
{
    static const struct {
        const char *w, *as;
        int lenites;
    } pre[] = {{"o", "o", 0},     {"ni", "o", 1},       {"ui", "o", 1},  {"mac", "mac", 0},
               {"mc", "mac", 0},  {"nic", "mac", 1},    {"mhic", "mac", 1}};
    size_t j = 0;
    while (j < n && s[j] != ' ')
        j++;
    const char *as = NULL, *rest;
    int len = 0;
    size_t nr;
    if (j < n) { /* a word of its own */
        for (size_t i = 0; i < sizeof pre / sizeof pre[0] && !as; i++)
            if (strlen(pre[i].w) == j && !memcmp(pre[i].w, s, j))
                as = pre[i].as, len = pre[i].lenites;
        rest = s + j + 1;
        nr = n - j - 1;
    } else if (n >= 5 && s[0] == 'm' && s[1] == 'c') { /* McBride */
        as = "mac";
        rest = s + 2;
        nr = n - 2;
    } else
        return 0;
    if (!as || nr < 2 || strlen(as) + nr + 1 > cap)
        return 0;
    size_t o = 0;
    for (const char *p = as; *p; p++)
        out[o++] = *p;
    for (size_t i = 0; i < nr; i++) {
        if (rest[i] == ' ')
            continue;
        /* the lenition's h after a name's first consonant: Mhurchu, Shuilleabhain, Dhonnchadha */
        if (len && i == 1 && rest[1] == 'h' && strchr("bcdfgmpst", rest[0]))
            continue;
        out[o++] = rest[i];
    }
    out[o] = '\0';
    return o;
}

void conflate_pool_violators(const double *u, double *m, const int *lv, int n)
{
    /* blocks of levels [start[b], start[b + 1]) with their sums of m and u; a block whose
       ratio is above the next one's is merged with it, until none is (pool adjacent
       violators); a level of no positive u is a block of its own that never merges */
    enum { MAXB = 16 };
    int start[MAXB + 1], nb = 0;
    double sm[MAXB], su[MAXB];
    if (n > MAXB)
        n = MAXB;
    for (int i = 0; i < n; i++) {
        int l = lv[i];
        start[nb] = i;
        sm[nb] = m[l];
        su[nb] = u[l];
        nb++;
        while (nb > 1 && su[nb - 1] > 0 && su[nb - 2] > 0 &&
               sm[nb - 2] / su[nb - 2] > sm[nb - 1] / su[nb - 1]) {
            sm[nb - 2] += sm[nb - 1];
            su[nb - 2] += su[nb - 1];
            nb--;
        }
    }
    start[nb] = n;
    for (int b = 0; b < nb; b++) {
        if (start[b + 1] - start[b] < 2 || su[b] <= 0)
            continue;
        double r = sm[b] / su[b];
        for (int i = start[b]; i < start[b + 1]; i++)
            m[lv[i]] = r * u[lv[i]];
    }
}

static int vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

int conflate_name_initials(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    if (n >= 2 && n <= 3) { /* run together: no vowel, no space */
        int ok = 1;
        for (size_t i = 0; i < n && ok; i++)
            ok = s[i] >= 'a' && s[i] <= 'z' && !strchr("aeiouy", s[i]);
        if (ok)
            return 1;
    }
    if (n % 2 == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (i % 2 ? s[i] != ' ' : !(s[i] >= 'a' && s[i] <= 'z'))
            return 0;
    return 1;
}

size_t conflate_name_fold_somali(const char *s, size_t n, char *out, size_t cap)
{
    if (n + 1 > cap || n < 2) /* an initial is no spelling (X is not H) */
        return 0;
    size_t o = 0;
    int folded = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int start = i == 0 || s[i - 1] == ' ';
        if (c == 'c' && start && i + 1 < n && vowel(s[i + 1])) {
            folded = 1;
            continue;
        }
        if (c == 'x') {
            out[o++] = 'h';
            folded = 1;
            continue;
        }
        if (c == 'h' && i > 0 && s[i - 1] == 'd') {
            folded = 1;
            continue;
        }
        if ((c == 'a' || c == 'i' || c == 'u') && o > 0 && out[o - 1] == c && i > 0 && s[i - 1] == c) {
            folded = 1;
            continue;
        }
        out[o++] = c;
    }
    out[o] = '\0';
    return folded ? o : 0;
}
