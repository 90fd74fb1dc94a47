#include "util/text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

/* UTF-8 check of s[0..n); with nonul, a NUL byte also fails. Eight bytes at a time while
   they are ASCII (and not NUL): most fields are. */
static bool utf8_check(const char *str, size_t n, bool nonul)
{
    const unsigned char *s = (const unsigned char *)str;
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    size_t i = 0;
    while (i < n) {
        if (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (!(w & high) && !(nonul && ((w - ones) & ~w & high))) {
                i += 8;
                continue;
            }
        }
        unsigned c = s[i];
        if (c < 0x80) {
            if (nonul && c == 0)
                return false;
            i++;
            continue;
        }
        size_t len;
        unsigned cp;
        if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07; }
        else return false;
        if (i + len > n)
            return false;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}

bool iom_utf8_valid(const char *s, size_t n) { return utf8_check(s, n, false); }

size_t iom_utf8_repair(char *s)
{
    size_t n = strlen(s), bad = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        size_t len = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        if (len && i + len <= n && utf8_check(s + i, len, false)) {
            i += len;
            continue;
        }
        s[i++] = '?';
        bad++;
    }
    return bad;
}

bool iom_utf8_valid_nonul(const char *s, size_t n) { return utf8_check(s, n, true); }

void iom_text_shown(const char *s, char *out, size_t cap)
{
    size_t j = 0;
    for (size_t i = 0; s[i] && j + 5 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7F || c >= 0x80)
            j += (size_t)snprintf(out + j, cap - j, "\\x%02X", c);
        else
            out[j++] = (char)c;
        if (i >= 40) {
            j += (size_t)snprintf(out + j, cap - j, "...");
            break;
        }
    }
    out[j < cap ? j : cap - 1] = '\0';
}

unsigned iom_text_hidden_control(const char *s, size_t n, size_t *at)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i + 1 < n; i++) {
        unsigned cp = 0;
        if (u[i] == 0xC2 && u[i + 1] >= 0x80 && u[i + 1] <= 0x9F)
            cp = u[i + 1]; /* C1: U+0080..U+009F */
        else if (i + 2 < n && u[i] == 0xE2 && u[i + 1] == 0x80 && u[i + 2] >= 0xAA && u[i + 2] <= 0xAE)
            cp = 0x2000u + (u[i + 2] - 0x80u); /* U+202A..U+202E */
        else if (i + 2 < n && u[i] == 0xE2 && u[i + 1] == 0x81 && u[i + 2] >= 0xA6 && u[i + 2] <= 0xA9)
            cp = 0x2040u + (u[i + 2] - 0x80u); /* U+2066..U+2069 */
        if (cp) {
            if (at)
                *at = i;
            return cp;
        }
    }
    return 0;
}

uint32_t iom_utf8_next(const char *str, size_t n, size_t *i)
{
    const unsigned char *s = (const unsigned char *)str;
    uint32_t c = s[*i];
    size_t k = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (*i + k > n)
        k = n - *i;
    uint32_t cp = k == 1 ? c : k == 2 ? c & 0x1F : k == 3 ? c & 0x0F : c & 0x07;
    for (size_t j = 1; j < k; j++)
        cp = cp << 6 | (s[*i + j] & 0x3F);
    *i += k;
    return cp;
}

static bool ignorable(unsigned cp);

/* Whitespace, and the characters that show nothing (zero width, marks, joiners). */
static bool shows_nothing(unsigned cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200F) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
           cp == 0x205F || cp == 0x2060 || cp == 0x3000 || cp == 0xFEFF || cp == 0x061C ||
           ignorable(cp);
}

/* A default-ignorable code point (Unicode's Default_Ignorable_Code_Point: it shows nothing) that
 * no text of a typed field needs, or a noncharacter. Allowed, because scripts need them: the
 * joiners U+200C and U+200D (Persian, the Indic scripts, emoji sequences; refused between two
 * Latin characters, below), the direction marks U+200E, U+200F and U+061C, the variation
 * selectors (U+180B-U+180D and U+180F of Mongolian, U+FE00-U+FE0F, U+E0100-U+E01EF: emoji and
 * ideographic variants). */
static bool ignorable(unsigned cp)
{
    return cp == 0x00AD || cp == 0x034F || cp == 0x115F || cp == 0x1160 || cp == 0x17B4 ||
           cp == 0x17B5 || cp == 0x180E || cp == 0x200B || (cp >= 0x2060 && cp <= 0x2065) ||
           (cp >= 0x206A && cp <= 0x206F) || cp == 0x3164 || cp == 0xFEFF || cp == 0xFFA0 ||
           (cp >= 0xFFF0 && cp <= 0xFFFB) || (cp >= 0x1BCA0 && cp <= 0x1BCA3) ||
           (cp >= 0x1D173 && cp <= 0x1D17A) || (cp >= 0xE0000 && cp <= 0xE0FFF && !(cp >= 0xE0100 && cp <= 0xE01EF)) ||
           (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
}

/* A Latin letter or a digit (ASCII, Latin-1, Latin Extended): an invisible character next to
   one does nothing but hide. */
static bool latin_alnum(unsigned cp)
{
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z');
    return (cp >= 0xC0 && cp < 0x250 && cp != 0xD7 && cp != 0xF7) || (cp >= 0x1E00 && cp <= 0x1EFF);
}

/* The invisible characters a script needs (so not refused outright), and a combining mark:
   skipped when looking for the characters an invisible one stands between. */
static bool allowed_invisible(unsigned cp)
{
    return (cp >= 0x200C && cp <= 0x200F) || cp == 0x061C || (cp >= 0x180B && cp <= 0x180D) ||
           cp == 0x180F || (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF);
}

static bool combining(unsigned cp)
{
    return (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
           (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
           (cp >= 0xFE20 && cp <= 0xFE2F);
}

/* The nearest character before (dir < 0) or after position i of s that is neither an allowed
   invisible one nor a combining mark; 0 at an end. i is the start of the invisible character
   (dir < 0) or the byte after it (dir > 0). */
static unsigned visible_near(const char *s, size_t n, size_t i, int dir)
{
    const unsigned char *u = (const unsigned char *)s;
    while (dir < 0 ? i > 0 : i < n) {
        size_t at = i;
        if (dir < 0) {
            at = i - 1;
            while (at > 0 && (u[at] & 0xC0) == 0x80)
                at--;
        }
        size_t k = at;
        unsigned cp = iom_utf8_next(s, n, &k);
        if (!allowed_invisible(cp) && !combining(cp))
            return cp;
        i = dir < 0 ? at : k;
    }
    return 0;
}

/* A character a typed field never needs and that hides what it holds: a default-ignorable
 * code point or noncharacter (ignorable); one of those a script needs where it only hides:
 * a zero-width joiner or non-joiner next to a Latin letter or digit ("Op\u200DLarch" looks
 * like "OpLarch" on the SOC master list), a direction mark between two of them, a variation
 * selector after one (but a keycap: a digit, # or * with U+FE0F and U+20E3); a line or
 * paragraph separator in a single line. */
static unsigned invisible(const char *s, size_t n, int flags, size_t *at)
{
    for (size_t i = 0; i < n;) {
        size_t here = i;
        unsigned cp = iom_utf8_next(s, n, &i);
        bool bad = ignorable(cp) || ((flags & IOM_TEXT_SINGLE_LINE) && (cp == 0x2028 || cp == 0x2029));
        if (!bad && allowed_invisible(cp)) {
            unsigned prev = visible_near(s, n, here, -1), next = visible_near(s, n, i, 1);
            if (cp == 0x200C || cp == 0x200D)
                bad = prev == 0 || next == 0 || latin_alnum(prev) || latin_alnum(next);
            else if (cp == 0x200E || cp == 0x200F || cp == 0x061C)
                bad = latin_alnum(prev) && latin_alnum(next);
            else {
                size_t k = i;
                unsigned after = i < n ? iom_utf8_next(s, n, &k) : 0;
                bool keycap = cp == 0xFE0F && after == 0x20E3 &&
                              ((prev >= '0' && prev <= '9') || prev == '#' || prev == '*');
                bad = !keycap && (prev == 0 || latin_alnum(prev));
            }
        }
        if (bad) {
            *at = here;
            return cp;
        }
    }
    return 0;
}

unsigned iom_text_invisible(const char *s, size_t n, size_t *at)
{
    size_t where = 0;
    unsigned cp = invisible(s, n, IOM_TEXT_MULTI_LINE, &where);
    if (cp && at)
        *at = where;
    return cp;
}

/* Whether the first (last) character of s[0..n) shows nothing. */
static bool edge_blank(const char *s, size_t n, bool last)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    if (last) {
        i = n - 1;
        while (i > 0 && (u[i] & 0xC0) == 0x80)
            i--;
    }
    return shows_nothing(iom_utf8_next(s, n, &i));
}

#define TOO_LONG " bytes is longer than the limit of "

void iom_text_length_composed(iom_error *e, const size_t *composed, size_t n)
{
    if (!e || n == 0)
        return;
    char *at = strstr(e->msg, TOO_LONG);
    if (!at)
        return;
    /* the number before it */
    char *num = at;
    while (num > e->msg && num[-1] >= '0' && num[-1] <= '9')
        num--;
    if (num == at || num == e->msg || num[-1] != ' ')
        return;
    size_t len = (size_t)strtoull(num, NULL, 10);
    bool changed = false;
    for (size_t i = 0; i < n && !changed; i++)
        changed = composed[i] == len;
    if (!changed)
        return;
    char msg[sizeof e->msg];
    snprintf(msg, sizeof msg, "%.*s bytes once composed (NFC) is longer than the limit of %s",
             (int)(at - e->msg), e->msg, at + strlen(TOO_LONG));
    snprintf(e->msg, sizeof e->msg, "%s", msg);
}

iom_err iom_text_check(const char *field, const char *s, size_t max_bytes, int flags, iom_error *e)
{
    if (!s || !*s) {
        if (flags & IOM_TEXT_REQUIRED)
            return iom_fail(e, IOM_EINVAL, "%s: a value is required and must not be empty", field);
        return IOM_OK;
    }
    size_t n = strlen(s);
    if (n > max_bytes)
        return iom_fail(e, IOM_EINVAL, "%s: %zu" TOO_LONG "%zu bytes", field, n, max_bytes);
    if (!iom_utf8_valid(s, n)) {
        char b[200];
        iom_text_shown(s, b, sizeof b);
        return iom_fail(e, IOM_EINVAL, "%s: '%s' is not valid UTF-8", field, b);
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        bool ctl = c < 0x20 || c == 0x7F;
        if (!ctl)
            continue;
        bool allowed = (flags & IOM_TEXT_MULTI_LINE) && (c == '\n' || c == '\r' || c == '\t');
        if (!allowed) {
            char b[200];
            iom_text_shown(s, b, sizeof b);
            return iom_fail(e, IOM_EINVAL,
                            "%s: '%s' contains control character 0x%02X at byte %zu, not allowed here",
                            field, b, c, i);
        }
    }
    size_t at = 0;
    unsigned hidden = iom_text_hidden_control(s, n, &at);
    if (hidden)
        return iom_fail(e, IOM_EINVAL,
                        "%s: contains the %s U+%04X at byte %zu, not allowed (it %s)", field,
                        hidden < 0x100 ? "control character" : "bidirectional control", hidden, at,
                        hidden < 0x100 ? "is not text"
                                       : "makes text display in another order than it is stored");
    unsigned inv = invisible(s, n, flags, &at);
    if (inv)
        return iom_fail(e, IOM_EINVAL,
                        "%s: contains the invisible character U+%04X at byte %zu, not allowed (%s)",
                        field, inv, at,
                        inv == 0x2028 || inv == 0x2029 ? "a line break in a single-line field"
                                                       : "it shows nothing where it stands");
    /* what a typed field is given is text: no format character left (category Cf, but those a
       script needs, above), no private-use or unassigned code point (review 111 L6: U+FFF9
       interlinear annotations, U+0600 or U+E000 passed; a dataset's cells, read from systems
       of every age, are checked for the invisible ones only) */
    for (size_t i = 0; i < n;) {
        size_t from = i;
        unsigned cp = iom_utf8_next(s, n, &i);
        if (cp < 0x80 || allowed_invisible(cp))
            continue;
        utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)cp);
        if (cat == UTF8PROC_CATEGORY_CF || cat == UTF8PROC_CATEGORY_CO || cat == UTF8PROC_CATEGORY_CN)
            return iom_fail(e, IOM_EINVAL, "%s: contains U+%04X at byte %zu, not allowed (%s)", field, cp,
                            from,
                            cat == UTF8PROC_CATEGORY_CF   ? "a format character, not text"
                            : cat == UTF8PROC_CATEGORY_CO ? "a private-use code point, which shows as "
                                                            "nothing agreed"
                                                          : "a code point Unicode has not assigned");
    }
    bool blank = true;
    for (size_t i = 0; i < n && blank;)
        blank = shows_nothing(iom_utf8_next(s, n, &i));
    if (blank)
        return iom_fail(e, IOM_EINVAL, "%s: must not be blank (it holds only spaces or invisible "
                        "characters)", field);
    /* Leading/trailing whitespace in a single-line field is almost always a paste error. */
    if ((flags & IOM_TEXT_SINGLE_LINE) && (edge_blank(s, n, false) || edge_blank(s, n, true)))
        return iom_fail(e, IOM_EINVAL, "%s: '%s' has leading or trailing spaces", field, s);
    return IOM_OK;
}

iom_err iom_slug_check(const char *field, const char *s, size_t max_bytes, iom_error *e)
{
    if (!s || !*s)
        return iom_fail(e, IOM_EINVAL, "%s: a code is required", field);
    size_t n = strlen(s);
    bool ok = n >= 2 && n <= max_bytes && s[0] != '-' && s[n - 1] != '-';
    for (size_t i = 0; ok && i < n; i++) {
        char c = s[i];
        ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && s[i + 1] != '-');
    }
    if (!ok) {
        char b[200];
        iom_text_shown(s, b, sizeof b);
        return iom_fail(e, IOM_EINVAL,
                        "%s: '%s' is not a valid code (2-%zu characters: a-z, 0-9 and single '-')",
                        field, b, max_bytes);
    }
    return IOM_OK;
}

iom_err iom_date_check(const char *field, const char *s, iom_error *e)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d;
    char tail;
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
        sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        return iom_fail(e, IOM_EINVAL, "%s: '%s' is not a date in the form YYYY-MM-DD", field,
                        s ? s : "");
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return iom_fail(e, IOM_EINVAL, "%s: '%s' is not a date in the form YYYY-MM-DD", field, s);
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int dim = m >= 1 && m <= 12 ? mdays[m - 1] + (m == 2 && leap) : 0;
    if (m < 1 || m > 12 || d < 1 || d > dim)
        return iom_fail(e, IOM_EINVAL, "%s: '%s' is not a real calendar date", field, s);
    if (y < 1900 || y > 2999)
        return iom_fail(e, IOM_EINVAL, "%s: '%s' is outside the years 1900 to 2999", field, s);
    return IOM_OK;
}

bool iom_plain_decimal(const char *s)
{
    if (!s || !*s || strlen(s) > 32)
        return false;
    int dots = 0, digits = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '.')
            dots++;
        else if (*p >= '0' && *p <= '9')
            digits++;
        else
            return false;
    }
    return dots <= 1 && digits > 0;
}

bool iom_parse_cursor(const char *s, int64_t max, int64_t *out)
{
    if (!s || !*s || (s[0] == '0' && s[1]) || strlen(s) > 19)
        return false;
    int64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9' || v > (max - (*p - '0')) / 10)
            return false;
        v = v * 10 + (*p - '0');
    }
    *out = v;
    return true;
}

char *iom_text_nfc(const char *s)
{
    if (!s)
        return NULL;
    size_t n = 0;
    bool ascii = true;
    for (; s[n]; n++)
        ascii = ascii && (unsigned char)s[n] < 0x80;
    if (ascii || !iom_utf8_valid(s, n))
        return NULL;
    char *c = (char *)utf8proc_NFC((const utf8proc_uint8_t *)s);
    if (c && strcmp(c, s) == 0) {
        free(c);
        return NULL;
    }
    return c;
}

/* The Latin letter a case-folded Cyrillic or Greek letter is written like (its capital or
   small form: Cyrillic А В Е К М Н О Р С Т Х У, Greek Α Β Ε Ζ Η Ι Κ Μ Ν Ο Ρ Τ Υ Χ, and the
   small а е о р с х у і ј ѕ ԁ һ ӏ, ο α ι ν ρ; the Latin dotless ı), a subset of Unicode's
   confusables (UTS #39) for the scripts a UK name is spoofed in; 0 for any other. */
static char latin_lookalike(utf8proc_int32_t cp)
{
    static const struct {
        utf8proc_int32_t cp;
        char c;
    } map[] = {{0x0131, 'i'}, {0x03B1, 'a'}, {0x03B2, 'b'}, {0x03B5, 'e'}, {0x03B6, 'z'}, {0x03B7, 'h'},
               {0x03B9, 'i'}, {0x03BA, 'k'}, {0x03BC, 'm'}, {0x03BD, 'v'}, {0x03BF, 'o'}, {0x03C1, 'p'},
               {0x03C4, 't'}, {0x03C5, 'y'}, {0x03C7, 'x'}, {0x0430, 'a'}, {0x0432, 'b'}, {0x0435, 'e'},
               {0x043A, 'k'}, {0x043C, 'm'}, {0x043D, 'h'}, {0x043E, 'o'}, {0x0440, 'p'}, {0x0441, 'c'},
               {0x0442, 't'}, {0x0443, 'y'}, {0x0445, 'x'}, {0x0455, 's'}, {0x0456, 'i'}, {0x0458, 'j'},
               {0x04BB, 'h'}, {0x04CF, 'l'}, {0x0501, 'd'}, {0x051B, 'q'}, {0x051D, 'w'}};
    size_t lo = 0, hi = sizeof map / sizeof *map;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (map[mid].cp == cp)
            return map[mid].c;
        if (map[mid].cp < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* s[0..len) with every run of white space (ASCII space and tab, Unicode Zs) as one space and
   none at either end; with punct, runs of punctuation (P*) are spaces too, and a letter written
   like a Latin one is that letter (latin_lookalike). malloc'd; NULL when out of memory. */
static char *runs_as_one(const utf8proc_uint8_t *s, utf8proc_ssize_t len, bool punct)
{
    char *out = malloc((size_t)len + 1);
    size_t o = 0;
    bool space = false;
    for (utf8proc_ssize_t i = 0; out && i < len;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(s + i, len - i, &cp);
        if (k <= 0)
            break;
        utf8proc_category_t cat = utf8proc_category(cp);
        if (cp == ' ' || cp == '\t' || cat == UTF8PROC_CATEGORY_ZS ||
            (punct && cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_PO)) {
            space = o > 0;
        } else {
            if (space)
                out[o++] = ' ';
            space = false;
            char l = punct ? latin_lookalike(cp) : 0; /* (one byte for two: out stays in len) */
            if (l)
                out[o++] = l;
            else {
                memcpy(out + o, s + i, (size_t)k);
                o += (size_t)k;
            }
        }
        i += k;
    }
    if (out)
        out[o] = '\0';
    return out;
}

char *iom_text_name_key(const char *s)
{
    if (!s || !iom_utf8_valid(s, strlen(s)))
        return NULL;
    utf8proc_uint8_t *m = NULL;
    utf8proc_ssize_t len = utf8proc_map((const utf8proc_uint8_t *)s, 0, &m,
                                        UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                            UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK);
    if (len < 0) {
        free(m);
        return NULL;
    }
    /* compatibility forms as their letters (full-width "Ｋｅｎｔ" is "kent"), accents off ("Kënt"
       is "kent"), and letters of other scripts written like Latin ones as those (a Cyrillic е in
       "Kеnt Police": review 133 L2, two "Kent Police" on every picker); white space and punctuation runs as one space, none at either end: "Kent Police." and
       "St. Helens" are "Kent Police" and "St Helens" (review 102 L9c's caveat: two names one
       full stop apart were two choices on every picker) */
    char *out = runs_as_one(m, len, true);
    free(m);
    return out;
}

bool iom_text_plain_ascii(const char *s, size_t n)
{
    /* GCC/Clang vector types (SSE2 on x86-64): -O2 does not vectorise the byte loop itself */
    typedef unsigned char v16 __attribute__((vector_size(16)));
    typedef signed char m16 __attribute__((vector_size(16)));
    m16 bad = {0};
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        v16 v;
        memcpy(&v, s + i, sizeof v);
        v16 low = v - (unsigned char)0x20; /* wraps below 0x20: printable is 0..0x5E */
        bad |= (low > (unsigned char)0x5E) & (v != (unsigned char)'\t');
    }
    uint64_t w[2];
    memcpy(w, &bad, sizeof w);
    if (w[0] | w[1])
        return false;
    for (; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 || c > 0x7E) && c != '\t')
            return false;
    }
    return true;
}

char *iom_text_one_spaced(const char *s)
{
    if (!s || !iom_utf8_valid(s, strlen(s)))
        return NULL;
    return runs_as_one((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)strlen(s), false);
}

bool iom_text_same(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    if (strcmp(a, b) == 0)
        return true;
    char *na = iom_text_nfc(a), *nb = iom_text_nfc(b);
    bool same = na || nb ? strcmp(na ? na : a, nb ? nb : b) == 0 : false;
    free(na);
    free(nb);
    return same;
}
