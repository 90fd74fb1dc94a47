/*
 * notes.c: what a free-text note says of its subject (notes.h).
 */
#include "conflate/notes.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "conflate/norm.h"

static int is_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c; }

/* Whether s[i..) starts with word w (ASCII, any case), bounded on both sides by a character
 * that is not a letter or digit (w's own last character may be '.'). */
static int word_at(const char *s, size_t n, size_t i, const char *w)
{
    size_t l = strlen(w);
    if (i + l > n || (i > 0 && is_alnum(s[i - 1])))
        return 0;
    for (size_t k = 0; k < l; k++)
        if (lower(s[i + k]) != w[k])
            return 0;
    return i + l == n || !is_alnum(s[i + l]) || w[l - 1] == '.';
}

/* Word w at s[i..) right after a number ("41yo", "41 yrs"): bounded on its right only. */
static int suffix_at(const char *s, size_t n, size_t i, const char *w)
{
    size_t l = strlen(w);
    if (i + l > n || strncasecmp(s + i, w, l))
        return 0;
    return i + l == n || !is_alnum(s[i + l]) || w[l - 1] == '.';
}

/* One value of a kind: the first is kept, a different later one marks the kind as several. */
typedef struct slot {
    int found;
    char key[128]; /* the normalised value the values are compared by */
} slot;

static void put(slot *sl, unsigned bit, const char *key, char *dst, size_t cap, const char *val,
                size_t vn, unsigned *several)
{
    if (sl->found) {
        if (strcmp(sl->key, key))
            *several |= bit;
        return;
    }
    sl->found = 1;
    snprintf(sl->key, sizeof sl->key, "%s", key);
    if (vn >= cap)
        vn = cap - 1;
    memcpy(dst, val, vn);
    dst[vn] = '\0';
}

/* ---- dates of birth and ages --------------------------------------------------------------- */

static const char *const birth_words[] = {"date of birth", "birth date", "birthdate", "d.o.b.",
                                          "d.o.b", "dob", "born on", "born", "b.o.d"};

/* After a birth word at s[i..): the longest run of at most five words (stopping at , ; ( )
 * and line ends) that is a date; its length in *len, its start returned, or n when none. */
static size_t date_after(const char *s, size_t n, size_t i, size_t *len, int *ymd)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == ':' || s[i] == '=' || s[i] == '-'))
        i++;
    if (word_at(s, n, i, "on") || word_at(s, n, i, "is")) {
        i += 2;
        while (i < n && (s[i] == ' ' || s[i] == ':'))
            i++;
    }
    size_t ends[5], nw = 0, p = i;
    while (p < n && nw < 5) {
        while (p < n && (s[p] == ' ' || s[p] == '\t'))
            p++;
        if (p >= n || s[p] == ',' || s[p] == ';' || s[p] == '(' || s[p] == ')' || s[p] == '\n' ||
            s[p] == '\r' || s[p] == '\0')
            break;
        while (p < n && s[p] != ' ' && s[p] != '\t' && s[p] != ',' && s[p] != ';' &&
               s[p] != '(' && s[p] != ')' && s[p] != '\n' && s[p] != '\r' && s[p] != '\0')
            p++;
        ends[nw++] = p;
    }
    for (size_t k = nw; k > 0; k--) {
        size_t e = ends[k - 1];
        while (e > i && s[e - 1] == '.') /* the sentence's full stop */
            e--;
        if (e <= i || e - i > 40)
            continue;
        int32_t d = conflate_date_parse(s + i, e - i);
        if (d) {
            *len = e - i;
            *ymd = d;
            return i;
        }
    }
    return n;
}

static const char *const about_words[] = {"approximately", "approx.", "approx", "about",
                                          "around", "circa", "roughly", "est.", "est", "c.",
                                          "ca."};
static const char *const year_words[] = {"years", "year", "yrs", "yr", "y"};

/* The number of one to three digits at s[i..), bounded, or -1; its end in *e. */
static int number_at(const char *s, size_t n, size_t i, size_t *e)
{
    if (i >= n || !is_digit(s[i]) || (i > 0 && (is_alnum(s[i - 1]) || s[i - 1] == '/' ||
                                                 s[i - 1] == '.' || s[i - 1] == ':')))
        return -1;
    int v = 0;
    size_t k = i;
    while (k < n && is_digit(s[k]) && k - i < 4)
        v = v * 10 + (s[k++] - '0');
    if (k - i > 3 || (k < n && (is_alnum(s[k]) && lower(s[k]) != 'y')))
        return -1;
    if (k < n && (s[k] == '/' || s[k] == '.' || s[k] == ':') && k + 1 < n && is_digit(s[k + 1]))
        return -1; /* a date or a time */
    *e = k;
    return v;
}

static size_t skip_sp(const char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '-'))
        i++;
    return i;
}

/* An age at s[i..) (i at a word start): "aged N", "age N", "age: N", or a number followed by
 * "years old"/"yo"/"y/o", or an about-word, the number and a year word. The age, or -1. */
static int age_at(const char *s, size_t n, size_t i)
{
    size_t e;
    int v;
    if (word_at(s, n, i, "aged") || word_at(s, n, i, "age")) {
        size_t k = i + (word_at(s, n, i, "aged") ? 4 : 3);
        while (k < n && (s[k] == ' ' || s[k] == ':' || s[k] == '=' || s[k] == '-'))
            k++;
        for (size_t a = 0; a < sizeof about_words / sizeof about_words[0]; a++)
            if (word_at(s, n, k, about_words[a])) {
                k = skip_sp(s, n, k + strlen(about_words[a]));
                break;
            }
        return number_at(s, n, k, &e);
    }
    int about = 0;
    size_t k = i;
    for (size_t a = 0; a < sizeof about_words / sizeof about_words[0]; a++)
        if (word_at(s, n, i, about_words[a])) {
            about = 1;
            k = skip_sp(s, n, i + strlen(about_words[a]));
            break;
        }
    if ((v = number_at(s, n, k, &e)) < 0)
        return -1;
    k = e;
    while (k < n && (s[k] == ' ' || s[k] == '-'))
        k++;
    if (suffix_at(s, n, k, "yo") || suffix_at(s, n, k, "y/o") || suffix_at(s, n, k, "y.o.") ||
        suffix_at(s, n, k, "y.o"))
        return v;
    for (size_t y = 0; y < sizeof year_words / sizeof year_words[0]; y++)
        if (suffix_at(s, n, k, year_words[y])) {
            size_t t = k + strlen(year_words[y]);
            while (t < n && (s[t] == ' ' || s[t] == '-'))
                t++;
            if (word_at(s, n, t, "old") || about)
                return v;
            return -1;
        }
    return -1;
}

/* ---- postcodes, phones, e-mail addresses --------------------------------------------------- */

/* A UK postcode whose first character is s[i] (a word start): "LS2 9XX" or "LS29XX". Its
 * length in the text, the normalised form in pc; 0 when none. */
static size_t postcode_at(const char *s, size_t n, size_t i, char *pc, size_t cap)
{
    if (i > 0 && (is_alnum(s[i - 1]) || s[i - 1] == '.' || s[i - 1] == '@' || s[i - 1] == '_' ||
                  s[i - 1] == '/' || s[i - 1] == '-'))
        return 0; /* part of an e-mail address, a file name or a reference */
    size_t a = i;
    while (a < n && is_alnum(s[a]) && a - i <= 7)
        a++;
    size_t w1 = a - i;
    if (w1 >= 2 && w1 <= 4 && a < n && s[a] == ' ') {
        size_t b = a;
        while (b < n && s[b] == ' ')
            b++;
        size_t c = b;
        while (c < n && is_alnum(s[c]))
            c++;
        if (c - b == 3 && !(c < n && (s[c] == '@' || s[c] == '_'))) {
            char two[16];
            memcpy(two, s + i, w1);
            two[w1] = ' ';
            memcpy(two + w1 + 1, s + b, 3);
            size_t k = conflate_norm_postcode(two, w1 + 4, pc, cap);
            if (k && conflate_postcode_is_uk(pc, k))
                return c - i;
        }
    }
    if (w1 >= 5 && w1 <= 7 && (a == n || !(is_alnum(s[a]) || s[a] == '@' || s[a] == '_'))) {
        size_t k = conflate_norm_postcode(s + i, w1, pc, cap);
        if (k && conflate_postcode_is_uk(pc, k))
            return w1;
    }
    return 0;
}

/* A phone number starting at s[i] ('+', '0' or '(' then '0'): groups of digits separated by
 * single spaces, '-', '.', or brackets. The longest run of whole groups that is a UK number
 * (10 or 11 digits from a 0) or an international one (8 to 15 digits after + or 00); its length
 * in the text, its E.164 form in out; 0 when none. */
static size_t phone_at(const char *s, size_t n, size_t i, char *out, size_t cap)
{
    if (i > 0 && (is_alnum(s[i - 1]) || s[i - 1] == '/' || s[i - 1] == '.' || s[i - 1] == ':' ||
                  s[i - 1] == '-' || s[i - 1] == '+'))
        return 0;
    int plus = s[i] == '+';
    if (!plus && s[i] != '0' && !(s[i] == '(' && i + 1 < n && s[i + 1] == '0'))
        return 0;
    size_t p = i + (size_t)plus, best = 0, digits = 0;
    int intl = plus;
    while (p < n) {
        size_t g = p; /* one group: optional '(' , digits, optional ')' */
        if (s[g] == '(')
            g++;
        size_t d = g;
        while (d < n && is_digit(s[d]))
            d++;
        if (d == g)
            break;
        if (digits == 0 && !plus && d - g >= 2 && s[g] == '0' && s[g + 1] == '0')
            intl = 1;
        digits += d - g;
        int closed = 0;
        if (d < n && s[d] == ')') {
            d++;
            closed = 1;
        }
        if (d < n && is_alnum(s[d]) && !(closed && is_digit(s[d])))
            break; /* "07700abc": not a number ("(0)113" is) */
        if (d < n && (s[d] == '/' || s[d] == ':'))
            break; /* a date or a time */
        size_t need_lo = intl ? (plus ? 8 : 10) : 10, need_hi = intl ? (plus ? 15 : 17) : 11;
        if (digits >= need_lo && digits <= need_hi)
            best = d;
        if (digits > need_hi)
            break;
        p = d;
        if (closed && p < n && is_digit(s[p]))
            continue;
        if (p < n && (s[p] == ' ' || s[p] == '-' || s[p] == '.') && p + 1 < n &&
            (is_digit(s[p + 1]) || s[p + 1] == '('))
            p++;
        else
            break;
    }
    if (!best)
        return 0;
    size_t k = conflate_norm_phone(s + i, best - i, out, cap);
    return k ? best - i : 0;
}

static int email_local(char c)
{
    return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '\'';
}

/* The e-mail address around the '@' at s[at]: its start in *b and end in *e; 0 when none. */
static int email_at(const char *s, size_t n, size_t at, size_t *b, size_t *e)
{
    size_t a = at;
    while (a > 0 && email_local(s[a - 1]))
        a--;
    while (a < at && (s[a] == '.' || s[a] == '\''))
        a++;
    size_t z = at + 1;
    while (z < n && (is_alnum(s[z]) || s[z] == '.' || s[z] == '-'))
        z++;
    while (z > at + 1 && (s[z - 1] == '.' || s[z - 1] == '-'))
        z--;
    if (a == at || z == at + 1)
        return 0;
    size_t dot = 0, tld = 0;
    for (size_t k = at + 1; k < z; k++)
        if (s[k] == '.') {
            dot = k;
            tld = 0;
        } else {
            tld++;
        }
    if (!dot || dot == at + 1 || tld < 2)
        return 0;
    *b = a;
    *e = z;
    return 1;
}

unsigned conflate_notes_scan(const char *s, size_t n, int year, conflate_notes *out)
{
    memset(out, 0, sizeof *out);
    slot dob = {0}, age = {0}, pcs = {0}, ph = {0}, em = {0};
    char agetext[48] = "";
    unsigned several = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && is_alnum(s[i - 1]) && s[i] != '@')
            continue; /* patterns start at a word's first character */
        char key[128];
        if (s[i] == '@') {
            size_t b, e;
            if (email_at(s, n, i, &b, &e)) {
                size_t k = conflate_norm_email(s + b, e - b, key, sizeof key);
                if (k)
                    put(&em, CONFLATE_NOTE_EMAIL, key, out->email, sizeof out->email, s + b, e - b,
                        &several);
            }
            continue;
        }
        for (size_t w = 0; w < sizeof birth_words / sizeof birth_words[0]; w++)
            if (word_at(s, n, i, birth_words[w])) {
                size_t len;
                int ymd;
                size_t at = date_after(s, n, i + strlen(birth_words[w]), &len, &ymd);
                if (at < n) {
                    snprintf(key, sizeof key, "%d", ymd);
                    put(&dob, CONFLATE_NOTE_DOB, key, out->dob, sizeof out->dob, s + at, len,
                        &several);
                }
                break;
            }
        int a = age_at(s, n, i);
        if (a > 0 && a <= 120 && year - a >= 1000) {
            snprintf(key, sizeof key, "%d", a);
            char t[48];
            int tn = snprintf(t, sizeof t, "approx %d", year - a);
            put(&age, CONFLATE_NOTE_AGE, key, agetext, sizeof agetext, t, (size_t)tn, &several);
        }
        size_t l = postcode_at(s, n, i, key, sizeof key);
        if (l) {
            put(&pcs, CONFLATE_NOTE_POSTCODE, key, out->postcode, sizeof out->postcode, key,
                strlen(key), &several);
            i += l - 1;
            continue;
        }
        l = phone_at(s, n, i, key, sizeof key);
        if (l) {
            put(&ph, CONFLATE_NOTE_PHONE, key, out->phone, sizeof out->phone, s + i, l, &several);
            i += l - 1;
        }
    }
    unsigned found = 0;
    if (dob.found && !(several & CONFLATE_NOTE_DOB))
        found |= CONFLATE_NOTE_DOB;
    else if (!dob.found && age.found && !(several & CONFLATE_NOTE_AGE)) {
        found |= CONFLATE_NOTE_AGE;
        snprintf(out->dob, sizeof out->dob, "%s", agetext);
    }
    if (!(found & CONFLATE_NOTE_DOB) && !(several & CONFLATE_NOTE_DOB) && !(found & CONFLATE_NOTE_AGE))
        out->dob[0] = '\0';
    if (dob.found)
        several &= ~(unsigned)CONFLATE_NOTE_AGE; /* a written date wins over an age */
    if (pcs.found && !(several & CONFLATE_NOTE_POSTCODE))
        found |= CONFLATE_NOTE_POSTCODE;
    else
        out->postcode[0] = '\0';
    if (ph.found && !(several & CONFLATE_NOTE_PHONE))
        found |= CONFLATE_NOTE_PHONE;
    else
        out->phone[0] = '\0';
    if (em.found && !(several & CONFLATE_NOTE_EMAIL))
        found |= CONFLATE_NOTE_EMAIL;
    else
        out->email[0] = '\0';
    if (several & CONFLATE_NOTE_DOB)
        out->dob[0] = '\0';
    out->several = several;
    return found;
}

/* ---- an age column --------------------------------------------------------------------------- */

/* Whether t (lower case, trimmed) is a word systems write for an age not known. */
static int age_not_known(const char *t)
{
    static const char *const nk[] = {"unknown", "unk", "nk", "n/k", "n.k.", "u/k", "not known",
                                     "n/a", "na", "none", "null", "-", "--", "?", "??", "x"};
    for (size_t i = 0; i < sizeof nk / sizeof nk[0]; i++)
        if (!strcmp(t, nk[i]))
            return 1;
    return 0;
}

/* Skips t[*i..) past one of the words ws (each bounded by a space, a dot in the word, or the end
   or a digit); 1 if one was there. */
static int skip_word(const char *t, size_t n, size_t *i, const char *const *ws, size_t nw)
{
    for (size_t k = 0; k < nw; k++) {
        size_t l = strlen(ws[k]);
        if (*i + l <= n && !memcmp(t + *i, ws[k], l) &&
            (*i + l == n || t[*i + l] == ' ' || is_digit(t[*i + l]) || ws[k][l - 1] == '.' ||
             ws[k][l - 1] == '~')) {
            *i += l;
            while (*i < n && t[*i] == ' ')
                (*i)++;
            return 1;
        }
    }
    return 0;
}

/* A number of one to three digits at t[*i..), a decimal part ("32.0", "32.5") dropped; -1 if
   none. */
static int age_number(const char *t, size_t n, size_t *i)
{
    size_t k = *i;
    int v = 0;
    while (k < n && is_digit(t[k]) && k - *i < 4)
        v = v * 10 + (t[k++] - '0');
    if (k == *i || k - *i > 3)
        return -1;
    if (k + 1 < n && t[k] == '.' && is_digit(t[k + 1])) {
        k++;
        while (k < n && is_digit(t[k]))
            k++;
    }
    *i = k;
    return v;
}

int conflate_age_read(const char *s, size_t n, int *lo, int *hi)
{
    char t[72];
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (m + 1 >= sizeof t)
            return CONFLATE_AGE_BAD;
        if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
            ((unsigned char)s[i + 2] == 0x93 || (unsigned char)s[i + 2] == 0x94)) {
            t[m++] = '-'; /* an en or em dash */
            i += 2;
        } else if (c == '\t' || c == '_') {
            t[m++] = ' ';
        } else if (c >= 0x80) {
            return CONFLATE_AGE_BAD;
        } else {
            t[m++] = lower((char)c);
        }
    }
    t[m] = '\0';
    size_t a = 0, b = m;
    while (a < b && t[a] == ' ')
        a++;
    while (b > a && t[b - 1] == ' ')
        b--;
    memmove(t, t + a, b - a);
    n = b - a;
    t[n] = '\0';
    if (n == 0 || age_not_known(t))
        return CONFLATE_AGE_NONE;
    static const char *const before[] = {"approximately", "approx.", "approx", "apparent",
                                         "estimated", "about", "around", "circa", "roughly",
                                         "aged", "age:", "age", "est.", "est", "abt.", "abt",
                                         "ca.", "ca", "c.", "c", "~"};
    size_t i = 0;
    skip_word(t, n, &i, before, sizeof before / sizeof before[0]);
    skip_word(t, n, &i, before, sizeof before / sizeof before[0]); /* "aged approx 40" */
    int x = age_number(t, n, &i), y = -1, months = 0, decade = 0, plus = 0;
    if (x < 0)
        return CONFLATE_AGE_BAD;
    /* a clinician's fraction (review 116's health records): 3/12 three months, 2/52 two weeks,
       4/7 four days */
    if (i + 1 < n && t[i] == '/') {
        size_t k = i + 1;
        int d = age_number(t, n, &k);
        if ((d == 12 || d == 52 || d == 7) && k == n) {
            int per_year = d == 12 ? 12 : d == 52 ? 52 : 365;
            if (x >= 3 * per_year)
                return CONFLATE_AGE_BAD;
            *lo = *hi = x / per_year;
            return CONFLATE_AGE_OK;
        }
        return CONFLATE_AGE_BAD;
    }
    /* units written onto the number: 11m, 6w, 10d (an infant's age) */
    if (i < n && (t[i] == 'm' || t[i] == 'w' || t[i] == 'd') && (i + 1 == n || t[i + 1] == ' ')) {
        int per_year = t[i] == 'm' ? 12 : t[i] == 'w' ? 52 : 365;
        size_t k = i + 1;
        while (k < n && t[k] == ' ')
            k++;
        if (k == n) {
            if (x >= 3 * per_year)
                return CONFLATE_AGE_BAD;
            *lo = *hi = x / per_year;
            return CONFLATE_AGE_OK;
        }
    }
    if (i < n && t[i] == 's' && (i + 1 == n || t[i + 1] == ' ') && x % 10 == 0 && x >= 10) {
        decade = 1; /* "40s" */
        i++;
    } else if (i < n && t[i] == '+') {
        plus = 1;
        i++;
    }
    size_t j = i;
    while (j < n && t[j] == ' ')
        j++;
    if (!decade && !plus && j < n && (t[j] == '-' || (j + 2 < n && !memcmp(t + j, "to ", 3)))) {
        j += t[j] == '-' ? 1 : 3;
        while (j < n && t[j] == ' ')
            j++;
        y = age_number(t, n, &j);
        if (y < 0)
            return CONFLATE_AGE_BAD;
        i = j;
    }
    while (i < n && t[i] == ' ')
        i++;
    static const char *const month_words[] = {"months", "month", "mths", "mth", "mos"};
    static const char *const yr_words[] = {"years old", "year old", "yrs old", "yr old",
                                             "years", "year", "yrs.", "yrs", "yr.", "yr", "y/o",
                                             "y.o.", "y.o", "yo", "y"};
    static const char *const after[] = {"(estimated)", "(approx.)", "(approx)", "(est.)", "(est)",
                                        "estimated", "approx.", "approx", "est.", "est", "ish",
                                        "old", "?"};
    static const char *const week_words[] = {"weeks", "week", "wks", "wk"};
    static const char *const day_words[] = {"days", "day"};
    if (skip_word(t, n, &i, month_words, sizeof month_words / sizeof month_words[0]))
        months = 12;
    else if (skip_word(t, n, &i, week_words, sizeof week_words / sizeof week_words[0]))
        months = 52;
    else if (skip_word(t, n, &i, day_words, sizeof day_words / sizeof day_words[0]))
        months = 365;
    else if (skip_word(t, n, &i, yr_words, sizeof yr_words / sizeof yr_words[0]) && y < 0 &&
             !decade && !plus && i < n && is_digit(t[i])) {
        /* years and months, as a child's age is written ("2 years 6 months", "1 yr 3 mths",
           "2y 6m"): the years (review 118: not read as an age) */
        size_t k = i;
        int mm = age_number(t, n, &k);
        while (k < n && t[k] == ' ')
            k++;
        if (mm >= 0 && mm < 12 &&
            (skip_word(t, n, &k, month_words, sizeof month_words / sizeof month_words[0]) ||
             (k < n && t[k] == 'm' && (k + 1 == n || t[k + 1] == ' ') && ++k)))
            i = k;
    }
    skip_word(t, n, &i, after, sizeof after / sizeof after[0]);
    while (i < n && (t[i] == ' ' || t[i] == '?'))
        i++;
    if (i != n)
        return CONFLATE_AGE_BAD;
    if (months) { /* months, weeks or days: the units in a year */
        if (y >= 0 || decade || plus || x >= 3 * months)
            return CONFLATE_AGE_BAD;
        *lo = *hi = x / months;
        return CONFLATE_AGE_OK;
    }
    if (y < 0 && x == 0 && !plus)
        return CONFLATE_AGE_NONE;
    int l = x, h = y >= 0 ? y : decade ? x + 9 : plus ? x + 5 : x;
    if (l > h) {
        int s2 = l;
        l = h;
        h = s2;
    }
    if (h > 120)
        return CONFLATE_AGE_BAD;
    *lo = l;
    *hi = h;
    return h - l > 6 ? CONFLATE_AGE_VAGUE : CONFLATE_AGE_OK;
}

int conflate_age_birth(int lo, int hi, int32_t at, int *month)
{
    int y = at / 10000, mo = at / 100 % 100, d = at % 100;
    double frac = 0.5; /* the year's share gone by at the date; its middle when not known */
    int window = mo > 20;
    if (window) /* an estimate of a year around a month ("2023-04?"): its month, a year told */
        mo -= 20;
    if (mo && d) {
        int32_t jan1 = conflate_date_days(y * 10000 + 101);
        frac = ((double)(conflate_date_days(at) - jan1) + 0.5) / 365.25;
    } else if (mo) {
        frac = ((double)mo - 0.5) / 12.0;
    }
    /* an age A at the date: born between A + 1 years and A years before it, evenly; ages lo..hi
       evenly: the middle of the births is (lo + hi + 1) / 2 years before the date */
    double born = (double)y + frac - (double)(lo + hi + 1) / 2.0;
    double by = floor(born);
    int m = (int)((born - by) * 12.0) + 1;
    *month = lo == hi && mo && !window ? (m > 12 ? 12 : m) : 0;
    return (int)by;
}
