/* norm.c: see norm.h. */
#include "conflate/norm.h"
#include "util/text.h"
#include "conflate/strtab.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <utf8proc.h>

/* Appends a byte if room remains (one byte is always kept for the NUL). */
#define PUT(c)                                                                             \
    do {                                                                                   \
        if (o + 1 < cap)                                                                   \
            out[o++] = (char)(c);                                                          \
    } while (0)

static int is_ascii(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] & 0x80)
            return 0;
    return 1;
}

static size_t norm_ascii(const unsigned char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    int sep = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = s[i];
        if (c == '\'' || c == '`')
            continue; /* O'Brien -> obrien: the apostrophe is not a word break */
        if (c >= 'A' && c <= 'Z')
            c += 32;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (sep && o > 0)
                PUT(' ');
            sep = 0;
            PUT(c);
        } else {
            sep = 1;
        }
    }
    out[o] = 0;
    return o;
}

static int is_apostrophe(utf8proc_int32_t cp)
{
    return cp == '\'' || cp == '`' || cp == 0x2018 || cp == 0x2019 || cp == 0x02BC ||
           cp == 0x00B4;
}

/* Latin letters that have no canonical decomposition, so that stripping marks leaves them as
   they are: written without their stroke, ring or ligature in English-language records (a
   custody record's "Lukasz Lukasiewicz" is a passport's "Łukasz Łukasiewicz"). Lower case
   only: the text is case folded first. Returns the ASCII spelling, or NULL. */
static const char *latin_fold(utf8proc_int32_t cp)
{
    switch (cp) {
    case 0x00E6: return "ae"; /* æ */
    case 0x00F0: return "d";  /* ð */
    case 0x00F8: return "o";  /* ø */
    case 0x00FE: return "th"; /* þ */
    case 0x0111: return "d";  /* đ */
    case 0x0127: return "h";  /* ħ */
    case 0x0131: return "i";  /* ı */
    case 0x0138: return "k";  /* ĸ */
    case 0x0140: return "l";  /* ŀ */
    case 0x0142: return "l";  /* ł */
    case 0x014B: return "n";  /* ŋ */
    case 0x0153: return "oe"; /* œ */
    case 0x0167: return "t";  /* ŧ */
    case 0x0180: return "b";  /* ƀ */
    case 0x01B6: return "z";  /* ƶ */
    case 0x0256: return "d";  /* ɖ */
    case 0x0259: return "e";  /* ə (Azerbaijani) */
    case 0x025B: return "e";  /* ɛ (West African languages) */
    case 0x0254: return "o";  /* ɔ */
    case 0x0268: return "i";  /* ɨ */
    case 0x0272: return "n";  /* ɲ */
    case 0x1D79: return "g";  /* ᵹ */
    default: break;
    }
    /* Cyrillic, as the UK's passports and police systems write Russian, Ukrainian and Bulgarian
       names in Latin letters (after case folding; й, ё and ї arrive without their marks): one
       person is Бойко in one source and Boyko in another (review 85 H1: the two scripts
       compared as different names, and 80% of a Slavic shape's missed pairs were such) */
    static const char *const cyr[] = {
        "a", "b", "v", "g", "d", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p",   /* а..п */
        "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", /* р..я */
    };
    if (cp >= 0x0430 && cp <= 0x044F)
        return cyr[cp - 0x0430];
    switch (cp) {
    case 0x0450: return "e";  /* ѐ */
    case 0x0451: return "e";  /* ё */
    case 0x0452: return "dj"; /* ђ */
    case 0x0453: return "g";  /* ѓ */
    case 0x0454: return "ie"; /* є */
    case 0x0455: return "dz"; /* ѕ */
    case 0x0456: return "i";  /* і */
    case 0x0457: return "i";  /* ї */
    case 0x0458: return "j";  /* ј */
    case 0x0459: return "lj"; /* љ */
    case 0x045A: return "nj"; /* њ */
    case 0x045B: return "c";  /* ћ */
    case 0x045C: return "k";  /* ќ */
    case 0x045E: return "u";  /* ў */
    case 0x045F: return "dz"; /* џ */
    case 0x0491: return "g";  /* ґ */
    default: return NULL;
    }
}

/* Letters of the Arabic script that write a vowel (alef and its forms, alef maksura, the Kurdish
   vowels ە ێ ۆ, and waw and yeh, which are also consonants). */
static int arabic_vowel(utf8proc_int32_t cp)
{
    return cp == 0x0622 || cp == 0x0623 || cp == 0x0625 || cp == 0x0627 || cp == 0x0649 ||
           cp == 0x06D5 || cp == 0x06CE || cp == 0x06C6 || cp == 0x0648 || cp == 0x064A ||
           cp == 0x06CC || cp == 0x06C7;
}

/* A letter of the Arabic script (Arabic, Persian, Kurdish Sorani, Urdu, Pashto names) in Latin
   letters, as English-language records write such names: consonants by the common
   transliteration (خ kh, ش sh, ذ dh, غ gh, چ ch, ژ zh, ع and the hamza forms of alef as the
   vowel they carry, ئ and ء as nothing), the long vowels and the Kurdish vowel letters (ا a, ە
   a, ێ e, ۆ o), waw and yeh as w and y at a word's start, before a vowel letter or after a
   vowel, else u and i (کاروان karwan, عزيز aziz, ياسين yasin, علي ali); the short vowels are
   marks, not letters, and are not written (محمد mhmd), which a spelling with them meets only as
   "similar", if at all. prev: the last byte written in this word (0 at its start). Review 132: a
   Kurdish liaison reply's names in Arabic script met their own Latin records in none of 1,063
   pairs, compared "different" at full weight. NULL: no letter of the script. */
static const char *arabic_fold(utf8proc_int32_t cp, char prev, utf8proc_int32_t next)
{
    if (cp == 0x0648 || cp == 0x064A || cp == 0x06CC) {
        int consonant = !prev || (prev == 'a' || prev == 'e' || prev == 'i' || prev == 'o' || prev == 'u') ||
                        (next && arabic_vowel(next) && next != cp);
        return cp == 0x0648 ? (consonant ? "w" : "u") : (consonant ? "y" : "i");
    }
    switch (cp) {
    case 0x0621: return "";   /* ء */
    case 0x0622: return "a";  /* آ */
    case 0x0623: return "a";  /* أ */
    case 0x0624: return "u";  /* ؤ */
    case 0x0625: return "i";  /* إ */
    case 0x0626: return "";   /* ئ (the Kurdish vowel carrier) */
    case 0x0627: return "a";  /* ا */
    case 0x0628: return "b";  /* ب */
    case 0x0629: return "a";  /* ة */
    case 0x062A: return "t";  /* ت */
    case 0x062B: return "th"; /* ث */
    case 0x062C: return "j";  /* ج */
    case 0x062D: return "h";  /* ح */
    case 0x062E: return "kh"; /* خ */
    case 0x062F: return "d";  /* د */
    case 0x0630: return "dh"; /* ذ */
    case 0x0631: return "r";  /* ر */
    case 0x0632: return "z";  /* ز */
    case 0x0633: return "s";  /* س */
    case 0x0634: return "sh"; /* ش */
    case 0x0635: return "s";  /* ص */
    case 0x0636: return "d";  /* ض */
    case 0x0637: return "t";  /* ط */
    case 0x0638: return "z";  /* ظ */
    case 0x0639: return "a";  /* ع */
    case 0x063A: return "gh"; /* غ */
    case 0x0640: return "";   /* ـ (tatweel) */
    case 0x0641: return "f";  /* ف */
    case 0x0642: return "q";  /* ق */
    case 0x0643: return "k";  /* ك */
    case 0x0644: return "l";  /* ل */
    case 0x0645: return "m";  /* م */
    case 0x0646: return "n";  /* ن */
    case 0x0647: return "h";  /* ه */
    case 0x0649: return "a";  /* ى */
    case 0x0679: return "t";  /* ٹ */
    case 0x067E: return "p";  /* پ */
    case 0x0686: return "ch"; /* چ */
    case 0x0688: return "d";  /* ڈ */
    case 0x0691: return "r";  /* ڑ */
    case 0x0695: return "r";  /* ڕ */
    case 0x0698: return "zh"; /* ژ */
    case 0x06A4: return "v";  /* ڤ */
    case 0x06A9: return "k";  /* ک */
    case 0x06AF: return "g";  /* گ */
    case 0x06B5: return "l";  /* ڵ */
    case 0x06BA: return "n";  /* ں */
    case 0x06BE: return "h";  /* ھ */
    case 0x06C1: return "h";  /* ہ */
    case 0x06C6: return "o";  /* ۆ */
    case 0x06C7: return "u";  /* ۇ */
    case 0x06CB: return "v";  /* ۋ */
    case 0x06CE: return "e";  /* ێ */
    case 0x06D2: return "e";  /* ے */
    case 0x06D5: return "a";  /* ە */
    default: return NULL;
    }
}

/* A Greek letter (case folded, its accents stripped) in Latin letters as Greek passports write
   them (ELOT 743, the transliteration of ICAO's Greek passports): β v, γ g (n before γ κ ξ χ:
   Αγγελος angelos), η and ι i, θ th, ξ x, υ y (u after ο, v after α and ε: ου ou, αυ av, ευ
   ev), φ f, χ ch, ψ ps, ω o; `ΔΗΜΗΤΡΑ ΟΙΚΟΝΟΜΟΥ` is `dimitra oikonomou` (review 134: a Greek
   police reply in Greek script met its Latin records only by the date of birth, F1 0.69).
   prev: the last byte written in this word (0 at its start). NULL: no Greek letter. */
static const char *greek_fold(utf8proc_int32_t cp, char prev, utf8proc_int32_t next)
{
    static const char *const g[] = {"a", "v", "g", "d", "e", "z", "i", "th", "i", "k", "l", "m", "n", "x", "o",
                                    "p", "r", "s", "s", "t", "y", "f", "ch", "ps", "o"}; /* α..ω, ς */
    if (cp < 0x03B1 || cp > 0x03C9)
        return NULL;
    if (cp == 0x03B3 && (next == 0x03B3 || next == 0x03BA || next == 0x03BE || next == 0x03C7))
        return "n";
    if (cp == 0x03C5)
        return prev == 'o' ? "u" : prev == 'a' || prev == 'e' ? "v" : "y";
    return g[cp - 0x03B1];
}

static size_t norm_unicode(const unsigned char *s, size_t n, char *out, size_t cap)
{
    /* й and Й are written y (Бойко: Boyko, Николай: Nikolay): taken before the marks are
       stripped, which would leave и (i) */
    /* and ئ (the Kurdish vowel carrier, ئازاد Azad) is written as nothing: taken before the
       decomposition, which would leave a yeh (y) */
    unsigned char *cy = NULL;
    for (size_t i = 0; i + 1 < n; i++)
        if ((s[i] == 0xD0 && (s[i + 1] == 0xB9 || s[i + 1] == 0x99)) || (s[i] == 0xD8 && (s[i + 1] == 0xA6 || s[i + 1] == 0xA5)) ||
            (i + 2 < n && s[i] == 0xEF && s[i + 1] == 0xBA && s[i + 2] >= 0x87 && s[i + 2] <= 0x8C)) {
            cy = malloc(n);
            if (!cy)
                break;
            size_t o = 0;
            for (size_t j = 0; j < n; j++)
                if (j + 1 < n && s[j] == 0xD0 && (s[j + 1] == 0xB9 || s[j + 1] == 0x99)) {
                    cy[o++] = 'y';
                    j++;
                } else if (j + 1 < n && s[j] == 0xD8 && s[j + 1] == 0xA6) {
                    j++;
                } else if (j + 1 < n && s[j] == 0xD8 && s[j + 1] == 0xA5) {
                    /* إ (alef, hamza below): its vowel is i, which the decomposition's
                       stripped mark would leave as a bare alef (a) */
                    cy[o++] = 'i';
                    j++;
                } else if (j + 2 < n && s[j] == 0xEF && s[j + 1] == 0xBA && s[j + 2] >= 0x87 && s[j + 2] <= 0x8C) {
                    /* the presentation forms of إ (U+FE87-FE88) and ئ (U+FE89-FE8C), which
                       NFKC would turn into them only after this pass */
                    if (s[j + 2] <= 0x88)
                        cy[o++] = 'i';
                    j += 2;
                } else {
                    cy[o++] = s[j];
                }
            s = cy;
            n = o;
            break;
        }
    utf8proc_uint8_t *m = NULL;
    utf8proc_ssize_t len =
        utf8proc_map(s, (utf8proc_ssize_t)n, &m,
                     UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
                         UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
    free(cy);
    if (len < 0) {
        free(m);
        out[0] = 0;
        return CONFLATE_NORM_BADUTF8;
    }
    size_t o = 0;
    int sep = 0;
    utf8proc_ssize_t i = 0;
    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(m + i, len - i, &cp);
        if (k <= 0)
            break;
        if (!is_apostrophe(cp)) {
            utf8proc_category_t cat = utf8proc_category(cp);
            int keep = cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL ||
                       cat == UTF8PROC_CATEGORY_LT || cat == UTF8PROC_CATEGORY_LM ||
                       cat == UTF8PROC_CATEGORY_LO || cat == UTF8PROC_CATEGORY_ND ||
                       cat == UTF8PROC_CATEGORY_NL || cat == UTF8PROC_CATEGORY_NO;
            const char *fold = NULL;
            if (keep && ((cp >= 0x0620 && cp <= 0x06FF) || (cp >= 0x03B1 && cp <= 0x03C9))) {
                utf8proc_int32_t next = 0;
                if (i + k < len && utf8proc_iterate(m + i + k, len - i - k, &next) <= 0)
                    next = 0;
                char prev = sep || o == 0 || out[o - 1] == ' ' ? 0 : out[o - 1];
                fold = cp <= 0x03C9 ? greek_fold(cp, prev, next) : arabic_fold(cp, prev, next);
            } else if (keep)
                fold = latin_fold(cp);
            if (fold && !*fold) { /* a letter written as nothing (ئ, ء, the tatweel) */
                i += k;
                continue;
            }
            if (keep) {
                if (sep && o > 0 && o + 1 < cap)
                    out[o++] = ' ';
                sep = 0;
                if (fold) {
                    size_t fl = strlen(fold);
                    if (o + fl >= cap)
                        break;
                    memcpy(out + o, fold, fl);
                    o += fl;
                } else if (o + (size_t)k < cap) {
                    memcpy(out + o, m + i, (size_t)k);
                    o += (size_t)k;
                } else {
                    break; /* cut at a character boundary */
                }
            } else {
                sep = 1;
            }
        }
        i += k;
    }
    free(m);
    out[o] = 0;
    return o;
}

size_t conflate_norm_text(const char *in, size_t n, char *out, size_t cap)
{
    const unsigned char *s = (const unsigned char *)in;
    if (cap == 0)
        return 0;
    if (is_ascii(s, n))
        return norm_ascii(s, n, out, cap);
    return norm_unicode(s, n, out, cap);
}

int conflate_caps_word(const char *in, size_t n)
{
    const unsigned char *s = (const unsigned char *)in;
    int letters = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] < 0x80) { /* ASCII as before: no table look-up */
            if (s[i] >= 'a' && s[i] <= 'z')
                return 0;
            letters += s[i] >= 'A' && s[i] <= 'Z';
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0)
            return 0;
        utf8proc_category_t cat = utf8proc_category(cp);
        if (cat == UTF8PROC_CATEGORY_LL)
            return 0;
        letters += cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
        i += (size_t)k;
    }
    return letters >= 2;
}

static const char *const honorifics[] = {
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "rev", "revd", "reverend",
    "sir", "dame", "lady", "lord", "master", "fr", "father", "sr", "jr", "esq", "capt", "col",
    "sgt", "insp", "pc", "dc", "hon", "madam", "mstr",
};

int conflate_is_honorific(const char *a, size_t n)
{
    for (size_t i = 0; i < sizeof honorifics / sizeof honorifics[0]; i++)
        if (strlen(honorifics[i]) == n && memcmp(honorifics[i], a, n) == 0)
            return 1;
    return 0;
}

/* Drops honorific tokens in place when at least one other token remains. */
static size_t drop_honorifics(char *out, size_t len)
{
    size_t keep = 0, total = 0;
    for (size_t i = 0; i < len;) {
        size_t j = i;
        while (j < len && out[j] != ' ')
            j++;
        total++;
        if (!conflate_is_honorific(out + i, j - i))
            keep++;
        i = j + 1;
    }
    if (keep == 0 || keep == total)
        return len;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        size_t j = i;
        while (j < len && out[j] != ' ')
            j++;
        if (!conflate_is_honorific(out + i, j - i)) {
            if (o > 0)
                out[o++] = ' ';
            memmove(out + o, out + i, j - i);
            o += j - i;
        }
        i = j + 1;
    }
    out[o] = 0;
    return o;
}

/* The Windows-1252 byte of code point cp, or -1 (none: a character outside it). */
static int cp1252_byte(uint32_t cp)
{
    static const uint16_t hi[32] = {0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
                                    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};
    if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF))
        return (int)cp;
    for (int i = 0; i < 32; i++)
        if (hi[i] && hi[i] == cp)
            return 0x80 + i;
    return -1;
}

size_t conflate_norm_unmojibake(const char *in, size_t n, char *out, size_t cap)
{
    /* mojibake starts with a Latin-1 letter (U+00C2..U+00F4: bytes C3 82..C3 B4): most values,
       plain ASCII or other scripts, are passed over in one scan */
    const char *c3 = memchr(in, 0xC3, n);
    if (!c3 || !iom_utf8_valid(in, n))
        return 0;
    size_t k = 0;
    int high = 0;
    for (size_t i = 0; i < n;) {
        int b = cp1252_byte(iom_utf8_next(in, n, &i));
        if (b < 0 || k + 1 >= cap)
            return 0;
        high |= b >= 0x80;
        out[k++] = (char)b;
    }
    if (!high)
        return 0;
    /* the bytes must be UTF-8: holding a byte over 0x7F, they then hold a character of more
       than one byte */
    if (!iom_utf8_valid(out, k))
        return 0;
    out[k] = 0;
    return k;
}

/* Whether s[0..n) at a word's start is word w (ASCII letters, any case; dots as written) and
   ends there. */
static int word_at(const char *s, size_t n, size_t i, const char *w)
{
    size_t k = strlen(w);
    if (i + k > n)
        return 0;
    for (size_t j = 0; j < k; j++) {
        char c = s[i + j];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != w[j])
            return 0;
    }
    return i + k == n || s[i + k] == ' ' || s[i + k] == ',' || s[i + k] == ':' || s[i + k] == '-';
}

/* The length of a quote character at s[i] (UTF-8 curly quotes included), its kind in *q (1
   double, 2 single), 0 when none. */
static size_t quote_at(const char *s, size_t n, size_t i, int *q)
{
    unsigned char c = (unsigned char)s[i];
    if (c == '"') {
        *q = 1;
        return 1;
    }
    if (c == '\'' || c == '`') {
        *q = 2;
        return 1;
    }
    if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80) {
        unsigned char d = (unsigned char)s[i + 2];
        if (d == 0x9C || d == 0x9D) { /* “ ” */
            *q = 1;
            return 3;
        }
        if (d == 0x98 || d == 0x99) { /* ‘ ’ */
            *q = 2;
            return 3;
        }
    }
    return 0;
}

static int name_sep(char c) { return c == ' ' || c == ',' || c == ';' || c == '/'; }

static int has_letter(const char *s, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++)
        if ((unsigned char)s[i] >= 0x80 || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z'))
            return 1;
    return 0;
}

size_t conflate_name_quotes_cut(const char *s, size_t n, char *out, size_t cap, char *quoted,
                                size_t qcap, size_t *qlen)
{
    if (qlen)
        *qlen = 0;
    if (n >= cap || (!memchr(s, '"', n) && !memchr(s, '\'', n) && !memchr(s, '`', n) && !memchr(s, 0xE2, n)))
        return (size_t)-1;
    size_t o = 0, i = 0;
    int cut = 0;
    while (i < n) {
        int q, q2;
        size_t ql = quote_at(s, n, i, &q);
        /* an opening quote starts a word (O'Neill's is inside one) */
        if (ql && (i == 0 || name_sep(s[i - 1]))) {
            /* its closing quote ends a word: "Risky", 'Mad Max' */
            for (size_t j = i + ql; j < n; j++) {
                size_t cl = quote_at(s, n, j, &q2);
                if (!cl || q2 != q || !(j + cl == n || name_sep(s[j + cl])))
                    continue;
                if (has_letter(s, i + ql, j)) {
                    size_t a = i + ql, len = j - a; /* the quoted words, one space between spans */
                    if (quoted && qlen && *qlen + len + 2 < qcap) {
                        if (*qlen)
                            quoted[(*qlen)++] = ' ';
                        memcpy(quoted + *qlen, s + a, len);
                        *qlen += len;
                        quoted[*qlen] = 0;
                    }
                    i = j + cl;
                    cut = 1;
                    ql = 0;
                }
                break;
            }
            if (!ql)
                continue;
        }
        out[o++] = s[i++];
    }
    if (!cut || !has_letter(out, 0, o))
        return (size_t)-1;
    /* the blanks the cut left: one space between words, none at the ends */
    size_t w = 0;
    for (size_t r = 0; r < o; r++) {
        if (out[r] == ' ' && (w == 0 || out[w - 1] == ' '))
            continue;
        out[w++] = out[r];
    }
    while (w > 0 && (out[w - 1] == ' ' || out[w - 1] == ','))
        w--;
    out[w] = 0;
    return w;
}

/* Whether token t (n bytes) is w, ASCII case folded. */
static int tok_is(const char *t, size_t n, const char *w)
{
    size_t l = strlen(w);
    if (n != l)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = t[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c != w[i])
            return 0;
    }
    return 1;
}

int conflate_name_subject_split(const char *s, size_t n, char *name, size_t ncap, char *dob,
                                size_t dcap, int *age, char *sex)
{
    enum { MAXT = 32 };
    struct {
        size_t at, n;   /* the token, brackets and a trailing comma aside */
        size_t raw, rn; /* as written */
        int drop;
    } t[MAXT];
    size_t nt = 0;
    *age = -1;
    *sex = 0;
    if (ncap)
        name[0] = '\0';
    if (dcap)
        dob[0] = '\0';
    for (size_t i = 0; i < n && nt < MAXT;) {
        while (i < n && s[i] == ' ')
            i++;
        size_t j = i;
        while (j < n && s[j] != ' ')
            j++;
        if (j == i)
            break;
        size_t a = i, b = j;
        while (a < b && (s[a] == '(' || s[a] == '['))
            a++;
        while (b > a && (s[b - 1] == ')' || s[b - 1] == ']' || s[b - 1] == ',' || s[b - 1] == ';'))
            b--;
        t[nt].at = a;
        t[nt].n = b - a;
        t[nt].raw = i;
        t[nt].rn = j - i;
        t[nt].drop = 0;
        nt++;
        i = j;
    }
    int took = 0, after = 0; /* after: a date or an age was taken (a letter M/F then is a sex) */
    for (size_t k = 0; k < nt; k++) {
        const char *w = s + t[k].at;
        size_t wn = t[k].n;
        int digit = 0;
        for (size_t q = 0; q < wn; q++)
            digit |= w[q] >= '0' && w[q] <= '9';
        int intro = k > 0 && t[k - 1].drop == 2; /* after DOB, born, b. */
        if (tok_is(w, wn, "dob") || tok_is(w, wn, "d.o.b") || tok_is(w, wn, "d.o.b.") ||
            tok_is(w, wn, "dob:") || tok_is(w, wn, "born") || tok_is(w, wn, "b.")) {
            /* (not "b" without its full stop: an initial, "SMITH B 01/02/1990", "Tommy B") */
            /* (a token of brackets alone is empty: its at may be n) */
            if (k + 1 < nt && t[k + 1].n && s[t[k + 1].at] >= '0' && s[t[k + 1].at] <= '9') {
                t[k].drop = 2;
                continue;
            }
        }
        if ((tok_is(w, wn, "aged") || tok_is(w, wn, "age")) && k + 1 < nt) {
            const char *x = s + t[k + 1].at;
            size_t xn = t[k + 1].n, v = 0, q = 0;
            while (q < xn && x[q] >= '0' && x[q] <= '9' && q < 3)
                v = v * 10 + (size_t)(x[q++] - '0');
            if (q && q == xn && v < 120) {
                t[k].drop = t[k + 1].drop = 1;
                *age = (int)v;
                after = took = 1;
                k++;
                continue;
            }
        }
        if (digit) {
            /* b.1990: the year after "b." joined to it */
            const char *d = w;
            size_t dn = wn;
            int year_ok = intro;
            if (dn > 2 && (d[0] == 'b' || d[0] == 'B') && d[1] == '.') {
                d += 2;
                dn -= 2;
                year_ok = 1;
            }
            int32_t ymd = conflate_date_parse(d, dn);
            int whole = ymd && ymd % 100 != 0;
            if (ymd && (whole || (year_ok && ymd % 10000 == 0)) && dcap > dn && !dob[0]) {
                memcpy(dob, d, dn);
                dob[dn] = '\0';
                t[k].drop = 1;
                after = took = 1;
                continue;
            }
            /* an age alone in brackets after the name: "John Smith (34)" */
            size_t v = 0, q = 0;
            while (q < wn && w[q] >= '0' && w[q] <= '9')
                v = v * 10 + (size_t)(w[q++] - '0');
            if (q == wn && wn <= 3 && v < 120 && t[k].raw < t[k].at && k > 0 && *age < 0) {
                *age = (int)v;
                t[k].drop = 1;
                after = took = 1;
                continue;
            }
        }
        if (tok_is(w, wn, "male") || tok_is(w, wn, "female") ||
            (after && (tok_is(w, wn, "m") || tok_is(w, wn, "f")))) {
            if (!*sex)
                *sex = (w[0] == 'f' || w[0] == 'F') ? 'f' : 'm';
            t[k].drop = 1;
            took = 1;
        }
    }
    if (!took) {
        *age = -1;
        *sex = 0;
        if (dcap)
            dob[0] = '\0';
        return 0;
    }
    size_t o = 0;
    for (size_t k = 0; k < nt; k++) {
        if (t[k].drop)
            continue;
        /* the token as written, but without a bracket that opened a dropped part */
        size_t a = t[k].raw, l = t[k].rn;
        if (o && o + 1 < ncap)
            name[o++] = ' ';
        if (o + l >= ncap)
            break;
        memcpy(name + o, s + a, l);
        o += l;
    }
    while (o > 0 && (name[o - 1] == ',' || name[o - 1] == ' ' || name[o - 1] == '-'))
        o--;
    if (ncap)
        name[o < ncap ? o : ncap - 1] = '\0';
    return 1;
}

size_t conflate_name_note_cut(const char *s, size_t n)
{
    /* ... and a relation, as South Asian documents and the forms copied from them write a
       parent's or a husband's name after the person's own ("MUHAMMAD ASIF S/O MUHAMMAD ASLAM",
       "SANA W/O KASHIF"; review 124: the slash was read as the PNC's SURNAME/FORENAMES, and
       'o' became the first name of 30% of a visa file's records) */
    static const char *const starts[] = {"aka", "a.k.a.", "a.k.a", "a/k/a", "alias", "aliases", "also known as",
                                         "known as", "nee", "n\xc3\xa9\x65", "formerly", "previously",
                                         "s/o", "s/o.", "d/o", "d/o.", "w/o", "w/o.", "c/o", "c/o.",
                                         "son of", "daughter of", "wife of", "husband of", "widow of"};
    size_t cut = n;
    for (size_t i = 0; i < n && cut == n; i++) {
        char c = s[i];
        if (c == '(' || c == '[' || c == '{') {
            cut = i;
            break;
        }
        if (i > 0 && s[i - 1] != ' ' && s[i - 1] != ',')
            continue;
        for (size_t k = 0; k < sizeof starts / sizeof *starts; k++)
            if (word_at(s, n, i, starts[k])) {
                /* and another name after it ("John Nee", "Ada Aka" are names) */
                int more = 0;
                for (size_t j = i + strlen(starts[k]); j < n && !more; j++)
                    more = (unsigned char)s[j] >= 0x80 || (s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z');
                if (more) {
                    cut = i;
                    break;
                }
            }
    }
    size_t end = cut;
    while (end > 0 && (s[end - 1] == ' ' || s[end - 1] == ',' || s[end - 1] == '-' || s[end - 1] == ';'))
        end--;
    /* something of the name left before the note (a letter): else the whole text is kept */
    for (size_t i = 0; i < end; i++)
        if ((unsigned char)s[i] >= 0x80 || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z'))
            return end;
    return n;
}

int conflate_generation_word(const char *a, size_t n)
{
    static const struct {
        const char *w;
        int g;
    } words[] = {
        {"snr", CONFLATE_GEN_SENIOR}, {"sr", CONFLATE_GEN_SENIOR},  {"senior", CONFLATE_GEN_SENIOR},
        {"jnr", CONFLATE_GEN_JUNIOR}, {"jr", CONFLATE_GEN_JUNIOR},  {"junior", CONFLATE_GEN_JUNIOR},
        {"ii", CONFLATE_GEN_II},      {"iii", CONFLATE_GEN_III},    {"iv", CONFLATE_GEN_IV},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i].w) == n && memcmp(words[i].w, a, n) == 0)
            return words[i].g;
    return 0;
}

int conflate_generations_conflict(int a, int b)
{
    if (!a || !b || a == b)
        return 0;
    /* a son named after his father is written "Jr" or "II" */
    return !((a == CONFLATE_GEN_JUNIOR && b == CONFLATE_GEN_II) ||
             (a == CONFLATE_GEN_II && b == CONFLATE_GEN_JUNIOR));
}

size_t conflate_norm_name_gen(const char *in, size_t n, char *out, size_t cap, int *gen)
{
    if (gen)
        *gen = 0;
    char nq[512];
    size_t qn = conflate_name_quotes_cut(in, n, nq, sizeof nq, NULL, 0, NULL); /* Martin 'Tiny': Martin */
    if (qn != (size_t)-1) {
        in = nq;
        n = qn;
    }
    n = conflate_name_note_cut(in, n);
    size_t len = conflate_norm_text(in, n, out, cap);
    if (len == CONFLATE_NORM_BADUTF8 || len == 0)
        return len;
    /* a generational suffix ends the name after another word ("Marshall Jnr", "King Jr",
       "Henry III"): the name without it, the suffix kept as a marker */
    size_t last = len;
    while (last > 0 && out[last - 1] != ' ')
        last--;
    if (last > 0) {
        int g = conflate_generation_word(out + last, len - last);
        if (g) {
            len = last - 1;
            while (len > 0 && out[len - 1] == ' ')
                len--;
            out[len] = 0;
            if (gen)
                *gen = g;
        }
    }
    return drop_honorifics(out, len);
}

size_t conflate_norm_name(const char *in, size_t n, char *out, size_t cap)
{
    return conflate_norm_name_gen(in, n, out, cap, NULL);
}

typedef struct {
    const char *p;
    size_t n;
} tok;

static int tok_cmp(const void *a, const void *b)
{
    const tok *x = a, *y = b;
    size_t m = x->n < y->n ? x->n : y->n;
    int c = memcmp(x->p, y->p, m);
    if (c)
        return c;
    return (x->n > y->n) - (x->n < y->n);
}

size_t conflate_norm_full_name_gen(const char *in, size_t n, char *out, size_t cap, int *gen)
{
    size_t len = conflate_norm_name_gen(in, n, out, cap, gen);
    if (len == CONFLATE_NORM_BADUTF8 || len == 0)
        return len;
    enum { MAXTOK = 16 };
    tok t[MAXTOK];
    size_t nt = 0;
    char *copy = malloc(len + 1);
    if (!copy)
        return len; /* unsorted is still a usable value */
    memcpy(copy, out, len + 1);
    for (size_t i = 0; i < len && nt < MAXTOK;) {
        size_t j = i;
        while (j < len && copy[j] != ' ')
            j++;
        t[nt].p = copy + i;
        t[nt].n = j - i;
        nt++;
        i = j + 1;
    }
    qsort(t, nt, sizeof t[0], tok_cmp);
    size_t o = 0;
    for (size_t i = 0; i < nt; i++) {
        if (o > 0)
            out[o++] = ' ';
        memcpy(out + o, t[i].p, t[i].n);
        o += t[i].n;
    }
    out[o] = 0;
    free(copy);
    return o;
}

size_t conflate_norm_full_name(const char *in, size_t n, char *out, size_t cap)
{
    return conflate_norm_full_name_gen(in, n, out, cap, NULL);
}

/* ---- addresses ------------------------------------------------------------------------- */

/* Street types written short (Royal Mail's common abbreviations), expanded when they end the
 * address: "St" at the end is Street, "St Mary's" at the start Saint. Sorted by the short
 * form for bsearch-free linear lookup (the list is small). */
static const struct {
    const char *abbr, *full;
} street_types[] = {
    {"ave", "avenue"},  {"av", "avenue"},    {"bvd", "boulevard"}, {"cl", "close"},
    {"cres", "crescent"}, {"cresc", "crescent"}, {"ct", "court"},   {"dr", "drive"},
    {"gdns", "gardens"}, {"gr", "grove"},    {"gro", "grove"},     {"hts", "heights"},
    {"ln", "lane"},     {"mws", "mews"},     {"pde", "parade"},    {"pk", "park"},
    {"pl", "place"},    {"rd", "road"},      {"sq", "square"},     {"st", "street"},
    {"ter", "terrace"}, {"terr", "terrace"}, {"wlk", "walk"},      {"wy", "way"},
};

size_t conflate_norm_address(const char *in, size_t n, char *out, size_t cap)
{
    size_t len = conflate_norm_text(in, n, out, cap);
    if (len == CONFLATE_NORM_BADUTF8 || len == 0)
        return len;
    size_t t = len;
    while (t > 0 && out[t - 1] != ' ')
        t--;
    if (t == 0) /* one token: nothing to expand */
        return len;
    for (size_t i = 0; i < sizeof street_types / sizeof street_types[0]; i++) {
        size_t an = strlen(street_types[i].abbr), fn = strlen(street_types[i].full);
        if (len - t == an && !memcmp(out + t, street_types[i].abbr, an) && t + fn < cap) {
            memcpy(out + t, street_types[i].full, fn + 1);
            return t + fn;
        }
    }
    return len;
}

uint32_t conflate_house_key(const char *t, size_t n)
{
    size_t num = n, word = n;
    for (size_t i = 0; i < n; i++)
        if ((i == 0 || t[i - 1] == ' ') && t[i] >= '0' && t[i] <= '9')
            num = i; /* the last token starting with a digit */
    if (num < n)
        for (size_t i = num; i < n; i++)
            if (t[i] == ' ' && i + 1 < n && !(t[i + 1] >= '0' && t[i + 1] <= '9')) {
                word = i + 1;
                break;
            }
    if (num == n || word == n) /* no house number (a street name alone): the whole address */
        return (uint32_t)conflate_hash(t, n) | 1u;
    size_t end = word;
    while (end < n && t[end] != ' ')
        end++;
    return (uint32_t)conflate_hash(t + num, end - num) | 1u;
}

/* ---- dates ------------------------------------------------------------------------------ */

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int valid_ymd(int y, int m, int d)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < CONFLATE_DATE_MIN_YEAR || y > CONFLATE_DATE_MAX_YEAR || m < 1 || m > 12 || d < 1)
        return 0;
    int md = mdays[m - 1] + (m == 2 && leap(y));
    return d <= md;
}

static int32_t pack(int y, int m, int d) { return valid_ymd(y, m, d) ? y * 10000 + m * 100 + d : 0; }

/* A partial date: a year (m = d = 0) or a month of a year (d = 0). */
static int32_t pack_partial(int y, int m)
{
    if (y < CONFLATE_DATE_MIN_YEAR || y > CONFLATE_DATE_MAX_YEAR || m < 0 || m > 12)
        return 0;
    return y * 10000 + m * 100;
}

static int month_word(const char *w, size_t n)
{
    static const char *const names[] = {"january", "february", "march",     "april",
                                        "may",     "june",     "july",      "august",
                                        "september", "october", "november", "december"};
    if (n < 3)
        return 0;
    char low[16];
    if (n >= sizeof low)
        return 0;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)((w[i] >= 'A' && w[i] <= 'Z') ? w[i] + 32 : w[i]);
    for (int m = 0; m < 12; m++) {
        size_t ln = strlen(names[m]);
        if (n <= ln && memcmp(low, names[m], n) == 0)
            return m + 1;
        if (n == 4 && m == 8 && memcmp(low, "sept", 4) == 0)
            return 9;
    }
    /* the months of the languages other forces' replies come in, written as conflate_date_parse
       folds them (accents off: `20. Dezember 1986`, `15 octobre 1991`, `3 lutego 1990`; review
       134: 567 such dates of a German and a French reply were "not dates"), each also by a
       beginning of three letters or more; no beginning is two months' */
    static const struct {
        const char *w;
        int m;
    } other[] = {
        /* German, Dutch */
        {"januar", 1}, {"januari", 1}, {"februar", 2}, {"februari", 2}, {"marz", 3},
        {"maart", 3}, {"mai", 5}, {"mei", 5}, {"juni", 6}, {"juli", 7}, {"augustus", 8},
        {"oktober", 10}, {"dezember", 12},
        /* French */
        {"janvier", 1}, {"fevrier", 2}, {"mars", 3}, {"avril", 4}, {"juin", 6}, {"juillet", 7},
        {"aout", 8}, {"septembre", 9}, {"octobre", 10}, {"novembre", 11}, {"decembre", 12},
        /* Spanish, Portuguese, Italian */
        {"enero", 1}, {"janeiro", 1}, {"gennaio", 1}, {"febrero", 2}, {"fevereiro", 2},
        {"febbraio", 2}, {"marzo", 3}, {"marco", 3}, {"abril", 4}, {"aprile", 4}, {"mayo", 5},
        {"maio", 5}, {"maggio", 5}, {"junio", 6}, {"junho", 6}, {"giugno", 6}, {"julio", 7},
        {"julho", 7}, {"luglio", 7}, {"agosto", 8}, {"septiembre", 9}, {"setiembre", 9},
        {"setembro", 9}, {"settembre", 9}, {"octubre", 10}, {"outubro", 10}, {"ottobre", 10},
        {"noviembre", 11}, {"novembro", 11}, {"diciembre", 12}, {"dezembro", 12}, {"dicembre", 12},
        /* Polish (the genitive of a date), Romanian */
        {"stycznia", 1}, {"styczen", 1}, {"lutego", 2}, {"luty", 2}, {"marca", 3}, {"kwietnia", 4},
        {"maja", 5}, {"czerwca", 6}, {"lipca", 7}, {"sierpnia", 8}, {"wrzesnia", 9},
        {"pazdziernika", 10}, {"listopada", 11}, {"grudnia", 12}, {"ianuarie", 1},
        {"februarie", 2}, {"martie", 3}, {"aprilie", 4}, {"iunie", 6}, {"iulie", 7},
        {"septembrie", 9}, {"octombrie", 10}, {"noiembrie", 11}, {"decembrie", 12}};
    for (size_t i = 0; i < sizeof other / sizeof *other; i++) {
        size_t ln = strlen(other[i].w);
        if (n <= ln && memcmp(low, other[i].w, n) == 0)
            return other[i].m;
    }
    return 0;
}

/* This year (UTC), read once: a two-digit year is the latest year ending so that is not in
   the future (a date of birth is never ahead of today). */
static int this_year(void)
{
    static int y;
    if (!y) {
        time_t t = time(NULL);
        struct tm tm;
        y = gmtime_r(&t, &tm) ? tm.tm_year + 1900 : 2026;
    }
    return y;
}

static int year2(int v, size_t digits)
{
    if (digits == 4)
        return v;
    if (digits == 2 || digits == 1)
        return 2000 + v <= this_year() ? 2000 + v : 1900 + v;
    return -1;
}

/* The length of in[0..n) without a time of day after the date ("12/03/1985 00:00",
   "12/03/1985 00:00:00.000", as spreadsheets and databases export dates). */
static size_t without_time(const char *in, size_t n)
{
    size_t sp = n;
    while (sp > 0 && in[sp - 1] != ' ' && in[sp - 1] != 'T')
        sp--;
    if (sp == 0 || sp == n)
        return n;
    const char *t = in + sp;
    size_t k = n - sp, i = 0, colons = 0;
    for (; i < k; i++) {
        if (t[i] == ':')
            colons++;
        else if (!(t[i] >= '0' && t[i] <= '9') && !(t[i] == '.' && colons == 2))
            return n;
    }
    return colons >= 1 && colons <= 2 && t[0] >= '0' && t[0] <= '9' ? sp - 1 : n;
}

/* A year written as an estimate, as referral and custody systems write an age guessed from a
   look (review 91: 60% of an "Est. Year of Birth" column was read as not dates): `c.1974`,
   `c 1974`, `ca. 1974`, `circa 1974`, `approx 1974`, `abt 1974`, `about 1974`, `est 1974`,
   `~1974`, `1974?`, `1974 (est)`, `1974 (approx.)`, `1974 est`. The year, or 0. An estimate to
   the month (`approx 1968-04`, as an age at a record's date gives): -(year * 100 + month). */
static int estimated_year(const char *in, size_t n)
{
    static const char *const before[] = {"circa", "approx", "about", "abt", "est", "ca", "c", "~"};
    static const char *const after[] = {"(estimated)", "(approx.)", "(approx)", "(est.)", "(est)", "(c.)",
                                        "(c)", "estimated", "approx.", "approx",
                                        "est", "?"};
    size_t a = 0, b = n, y;
    while (a < b && (in[a] == ' ' || in[a] == '\t'))
        a++;
    while (b > a && (in[b - 1] == ' ' || in[b - 1] == '\t'))
        b--;
    int marked = 0;
    for (size_t k = 0; k < sizeof before / sizeof before[0] && !marked; k++) {
        size_t w = strlen(before[k]);
        if (b - a > w && !strncasecmp(in + a, before[k], w) &&
            (in[a + w] == '.' || in[a + w] == ' ' || (in[a + w] >= '0' && in[a + w] <= '9'))) {
            a += w;
            while (a < b && (in[a] == '.' || in[a] == ' '))
                a++;
            marked = 1;
        }
    }
    for (size_t k = 0; k < sizeof after / sizeof after[0] && !marked; k++) {
        size_t w = strlen(after[k]);
        if (b - a > w && !strncasecmp(in + b - w, after[k], w)) {
            b -= w;
            while (b > a && (in[b - 1] == ' ' || in[b - 1] == '.'))
                b--;
            marked = 1;
        }
    }
    if (marked && b - a == 7 && in[a + 4] == '-' && in[a + 5] >= '0' && in[a + 5] <= '1' &&
        in[a + 6] >= '0' && in[a + 6] <= '9') {
        /* to the month: a window of a year around it (the month plus 20, conflate_date_window) */
        int mo = (in[a + 5] - '0') * 10 + (in[a + 6] - '0');
        int v = 0;
        for (size_t k = a; k < a + 4; k++) {
            if (in[k] < '0' || in[k] > '9')
                return 0;
            v = v * 10 + (in[k] - '0');
        }
        if (mo < 1 || mo > 12 || v < CONFLATE_DATE_MIN_YEAR || v > CONFLATE_DATE_MAX_YEAR)
            return 0;
        return -(v * 100 + mo);
    }
    if (!marked || b - a != 4)
        return 0;
    for (y = 0; a < b; a++) {
        if (in[a] < '0' || in[a] > '9')
            return 0;
        y = y * 10 + (size_t)(in[a] - '0');
    }
    return y >= CONFLATE_DATE_MIN_YEAR && y <= CONFLATE_DATE_MAX_YEAR ? (int)y : 0;
}

/* The day after date r (packed, whole). */
static int32_t next_day(int32_t r)
{
    int y = r / 10000, m = r / 100 % 100, d = r % 100;
    if (pack(y, m, d + 1))
        return pack(y, m, d + 1);
    return m < 12 ? pack(y, m + 1, 1) : pack(y + 1, 1, 1);
}

/* An ISO timestamp in UTC ("1985-06-11T23:00:00Z", "...T23:00:00.000+00:00"): its hour, or -1.
   A date of birth kept as local midnight and exported in UTC reads 23:00 (22:00) the day
   before in a zone ahead of UTC (British Summer Time, Central Europe), 04:00-08:00 the same day
   in one behind it: the date is that of the nearest midnight, noon itself the day written (some
   systems store a date as noon UTC; review 98: a summer birthday read a day early). A time
   without a zone is local, its date as written. */
static int utc_hour(const char *in, size_t n)
{
    if (n < 14 || in[4] != '-' || (in[10] != 'T' && in[10] != 't' && in[10] != ' ') || in[11] < '0' ||
        in[11] > '2' || in[12] < '0' || in[12] > '9')
        return -1;
    size_t e = n;
    while (e > 11 && in[e - 1] == ' ')
        e--;
    if (in[e - 1] == 'Z' || in[e - 1] == 'z')
        e--;
    else if (e >= 17 && (!strncmp(in + e - 6, "+00:00", 6) || !strncmp(in + e - 6, "-00:00", 6)))
        e -= 6;
    else if (e >= 16 && !strncmp(in + e - 5, "+0000", 5))
        e -= 5;
    else
        return -1;
    for (size_t k = 13; k < e; k++) /* the rest of the time: :mm[:ss[.fff]] */
        if (!((in[k] >= '0' && in[k] <= '9') || in[k] == ':' || in[k] == '.'))
            return -1;
    int h = (in[11] - '0') * 10 + (in[12] - '0');
    return h < 24 ? h : -1;
}

/* Whether the word w (n letters) is "year" written after a date (Bulgarian and Russian г.,
   год., года, romanised; Polish r., rok, roku) and nothing but full stops and spaces follow it
   (rest, rn bytes). */
static int year_word(const char *w, size_t n, const char *rest, size_t rn)
{
    static const char *const words[] = {"g", "god", "goda", "r", "rok", "roku"};
    for (size_t i = 0; i < rn; i++)
        if (rest[i] != '.' && rest[i] != ' ')
            return 0;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strlen(words[i]) == n && !strncasecmp(words[i], w, n))
            return 1;
    return 0;
}

int32_t conflate_date_parse(const char *in, size_t n)
{
    /* a month written with accents or other letters (`décembre`, `März`, `października`): read
       without them, its separators as spaces */
    if (n <= 64 && !is_ascii((const unsigned char *)in, n)) {
        char buf[160];
        size_t l = conflate_norm_text(in, n, buf, sizeof buf);
        if (l == CONFLATE_NORM_BADUTF8 || !is_ascii((const unsigned char *)buf, l))
            return 0;
        return conflate_date_parse(buf, l);
    }
    int est = n <= 64 ? estimated_year(in, n) : 0;
    if (est < 0) /* to the month: a window */
        return (-est) / 100 * 10000 + ((-est) % 100 + 20) * 100;
    if (est) /* compared as a year known alone */
        return est * 10000;
    /* Tokens: runs of digits (value, width) and runs of letters (a month or a suffix). */
    enum { MAXT = 6 };
    int val[MAXT];
    size_t width[MAXT];
    int isnum[MAXT];
    size_t nt = 0;
    size_t i = 0;
    int de = 0;
    if (n > 64)
        return 0;
    int uh = utc_hour(in, n);
    if (uh >= 0) { /* a UTC timestamp: the date of the nearest midnight */
        int32_t r = conflate_date_parse(in, 10);
        return r && r % 100 && uh > 12 ? next_day(r) : r; /* noon UTC: that day (systems store dates so) */
    }
    /* A spreadsheet's date serial written as a number with decimals ("31118.0", a date-time
       "31118.75"): the day's serial (review 98: read as not dates) */
    if (n >= 7 && n <= 16 && in[5] == '.') {
        size_t k = 0;
        while (k < n && ((k != 5 && in[k] >= '0' && in[k] <= '9') || (k == 5 && in[k] == '.')))
            k++;
        if (k == n)
            return conflate_date_parse(in, 5);
    }
    n = without_time(in, n);
    /* An ISO timestamp: keep the date part. */
    for (size_t k = 0; k < n; k++)
        if ((in[k] == 'T' || in[k] == ' ') && k == 10 && in[4] == '-') {
            n = 10;
            break;
        }
    while (i < n) {
        char c = in[i];
        if (c >= '0' && c <= '9') {
            size_t j = i;
            int v = 0;
            while (j < n && in[j] >= '0' && in[j] <= '9' && j - i < 9) {
                v = v * 10 + (in[j] - '0');
                j++;
            }
            if (j < n && in[j] >= '0' && in[j] <= '9')
                return 0;
            if (nt == MAXT)
                return 0;
            val[nt] = v;
            width[nt] = j - i;
            isnum[nt] = 1;
            nt++;
            i = j;
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            size_t j = i;
            while (j < n && ((in[j] >= 'a' && in[j] <= 'z') || (in[j] >= 'A' && in[j] <= 'Z')))
                j++;
            size_t w = j - i;
            int m = month_word(in + i, w);
            int suffix = w == 2 && nt > 0 && isnum[nt - 1] &&
                         (!strncmp(in + i, "st", 2) || !strncmp(in + i, "nd", 2) ||
                          !strncmp(in + i, "rd", 2) || !strncmp(in + i, "th", 2));
            if (m) {
                if (nt == MAXT)
                    return 0;
                val[nt] = m;
                width[nt] = 0;
                isnum[nt] = 0;
                nt++;
            } else if (w == 2 && !strncmp(in + i, "de", 2)) {
                de = 1; /* Spanish and Portuguese: "12 de marzo de 1985", with a month's name */
            } else if (year_word(in + i, w, in + j, n - j) && nt > 0 && isnum[nt - 1] && width[nt - 1] == 4) {
                /* the word "year" after it, as Bulgarian and Russian ("21.03.1997 г.", read
                   as "g.") and Polish ("21.03.1997 r.") documents write a date (review 136:
                   a Bulgarian reply's dates of birth were all "not dates") */
            } else if (!suffix && !(w == 2 && !strncmp(in + i, "of", 2))) {
                return 0;
            }
            i = j;
        } else if (c == '/' || c == '-' || c == '.' || c == ' ' || c == ',' || c == '\t') {
            i++;
        } else {
            return 0;
        }
    }
    if (de) { /* "de" only beside a month's name (a typo's "12 De 1985" is no date) */
        int named = 0;
        for (size_t t = 0; t < nt; t++)
            named |= !isnum[t];
        if (!named)
            return 0;
    }
    if (nt == 1 && isnum[0] && width[0] == 8) {
        int v = val[0];
        int a = v / 10000, b = v % 10000; /* YYYY MMDD */
        int32_t r = pack(a, b / 100, b % 100);
        if (r)
            return r;
        return pack(v % 10000, (v / 10000) % 100, v / 1000000); /* DDMMYYYY */
    }
    if (nt == 1 && isnum[0] && width[0] == 5 && val[0] >= 10000) {
        /* a spreadsheet's date serial (days from 1899-12-30), as a date column exported
           without its format shows: 10000..99999 is 1927-05-18..2173-10-14 */
        int64_t z = (int64_t)val[0] - 25569 + 719468; /* days from 0000-03-01 */
        int64_t era = z / 146097, doe = z - era * 146097;
        int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
        int d = (int)(doy - (153 * mp + 2) / 5 + 1), m = (int)(mp < 10 ? mp + 3 : mp - 9);
        int y = (int)(yoe + era * 400 + (m <= 2));
        return pack(y, m, d);
    }
    if (nt == 1 && isnum[0] && width[0] == 6) {
        int v = val[0]; /* DDMMYY */
        return pack(year2(v % 100, 2), (v / 100) % 100, v / 10000);
    }
    /* partial dates, compared at the precision they have: 1985, 03/1985, 1985-03, Mar 1985 */
    if (nt == 1 && isnum[0] && width[0] == 4)
        return pack_partial(val[0], 0);
    if (nt == 2) {
        int mi = isnum[0] && width[0] == 4 ? 1 : 0, yi = 1 - mi; /* which is the year */
        if (!isnum[yi] || width[yi] != 4 || (isnum[mi] && (width[mi] > 2 || val[mi] < 1)))
            return 0;
        return pack_partial(val[yi], val[mi]);
    }
    if (nt != 3)
        return 0;
    int months = !isnum[0] + !isnum[1] + !isnum[2];
    if (months > 1)
        return 0;
    if (months == 0) {
        if (width[0] == 4) /* Y M D */
            return width[1] <= 2 && width[2] <= 2 ? pack(val[0], val[1], val[2]) : 0;
        if (width[0] <= 2 && width[1] <= 2) { /* D M Y, UK order */
            int y = year2(val[2], width[2]);
            return y < 0 ? 0 : pack(y, val[1], val[0]);
        }
        return 0;
    }
    if (!isnum[1]) { /* 12 Mar 1985 */
        if (width[0] > 2)
            return width[0] == 4 && width[2] <= 2 ? pack(val[0], val[1], val[2]) : 0;
        int y = year2(val[2], width[2]);
        return y < 0 ? 0 : pack(y, val[1], val[0]);
    }
    if (!isnum[0]) { /* March 12 1985 */
        int y = year2(val[2], width[2]);
        return y < 0 || width[1] > 2 ? 0 : pack(y, val[0], val[1]);
    }
    /* 1985 12 Mar is not a form anyone writes */
    return 0;
}

int32_t conflate_date_days(int32_t ymd)
{
    int y = ymd / 10000, m = (ymd / 100) % 100, d = ymd % 100;
    if (m > 20) /* a window: its month */
        m -= 20;
    if (m == 0) /* a partial date: its first day */
        m = 1;
    if (d == 0)
        d = 1;
    /* days from civil (Howard Hinnant's algorithm, public domain description) */
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* ---- postcodes, phones, e-mail, ids ------------------------------------------------------ */

static int isA(char c) { return c >= 'A' && c <= 'Z'; }
static int isD(char c) { return c >= '0' && c <= '9'; }

static size_t alnum_upper(const char *in, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = in[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 32);
        if (isA(c) || isD(c))
            PUT(c);
    }
    out[o] = 0;
    return o;
}

static int uk_outward(const char *s, size_t n)
{
    /* A9 A99 AA9 AA99 A9A AA9A */
    if (n < 2 || n > 4 || !isA(s[0]))
        return 0;
    if (n == 2)
        return isD(s[1]);
    if (n == 3)
        return (isD(s[1]) && (isD(s[2]) || isA(s[2]))) || (isA(s[1]) && isD(s[2]));
    return isA(s[1]) && isD(s[2]) && (isD(s[3]) || isA(s[3]));
}

size_t conflate_norm_postcode(const char *in, size_t n, char *out, size_t cap)
{
    char tmp[32];
    if (cap == 0)
        return 0;
    size_t len = alnum_upper(in, n, tmp, sizeof tmp);
    if (len >= 5 && len <= 7 && isD(tmp[len - 3]) && isA(tmp[len - 2]) && isA(tmp[len - 1]) &&
        uk_outward(tmp, len - 3) && cap > len + 1) {
        memcpy(out, tmp, len - 3);
        out[len - 3] = ' ';
        memcpy(out + len - 2, tmp + len - 3, 3);
        out[len + 1] = 0;
        return len + 1;
    }
    return alnum_upper(in, n, out, cap);
}

int conflate_postcode_is_uk(const char *pc, size_t n)
{
    return n >= 6 && n <= 8 && pc[n - 4] == ' ' && uk_outward(pc, n - 4);
}

size_t conflate_norm_phone(const char *in, size_t n, char *out, size_t cap)
{
    char d[40];
    size_t nd = 0;
    int plus = 0, seen = 0;
    for (size_t i = 0; i < n; i++) {
        char c = in[i];
        if (c == '+' && !seen)
            plus = 1;
        /* an extension ends the number: "07700 900123 ext 2", "x2", "#2" */
        if (seen && (c == '#' || c == 'x' || c == 'X' || c == 'e' || c == 'E'))
            break;
        if (isD(c)) {
            seen = 1;
            if (nd + 1 < sizeof d)
                d[nd++] = c;
        }
    }
    d[nd] = 0;
    const char *p = d;
    size_t o = 0;
    if (cap == 0)
        return 0;
    if (!plus && nd >= 2 && d[0] == '0' && d[1] == '0') {
        plus = 1;
        p += 2;
    }
    if (plus) {
        PUT('+');
        if (p[0] == '4' && p[1] == '4' && p[2] == '0') { /* +44 (0)7700 */
            PUT('4');
            PUT('4');
            p += 3;
        }
    } else if (p[0] == '0' && nd == 10 && p[1] >= '4' && !(p[1] == '8' && p[2] == '0') &&
               !(p[1] == '5' && p[2] == '0')) {
        /* ten digits from 0 that no UK number has (a UK number of ten is 01..., 080... or
           0500...; a mobile, 07, and 08 and 09 numbers have eleven): another country's number
           written nationally (an Irish mobile 086 525 9220, a Romanian 0722 123 456: review
           132, made +44 they never met their international forms), kept so; model.c compares
           it with a number of any country code by its digits after the 0, and with a UK number
           as one edit when it is one as UK's (a mobile keyed with a digit dropped). 02 and 03
           of ten digits stay UK's (a London number keyed with a digit dropped: read as another
           country's, gen2's twins shape fell 0.981 -> 0.963, its landlines no longer a home's) */
    } else if (p[0] == '0' && nd >= 10 && nd <= 11) {
        PUT('+');
        PUT('4');
        PUT('4');
        p += 1;
    } else if (nd == 12 && p[0] == '4' && p[1] == '4' && p[2] != '0') {
        PUT('+'); /* 447700900123: the international form without its + */
    } else if (nd == 10 && (p[0] == '1' || p[0] == '2' || p[0] == '3' || p[0] == '7')) {
        PUT('+'); /* 7700900123: a UK number whose leading 0 a spreadsheet dropped */
        PUT('4');
        PUT('4');
    }
    for (; *p; p++)
        PUT(*p);
    out[o] = 0;
    size_t digits = o - (size_t)(out[0] == '+');
    if (digits < 6) {
        out[0] = 0;
        return 0;
    }
    return o;
}

size_t conflate_norm_email(const char *in, size_t n, char *out, size_t cap)
{
    size_t a = 0, b = n;
    while (a < b && (in[a] == ' ' || in[a] == '\t'))
        a++;
    while (b > a && (in[b - 1] == ' ' || in[b - 1] == '\t'))
        b--;
    size_t o = 0, ats = 0, at = 0;
    if (cap == 0)
        return 0;
    for (size_t i = a; i < b; i++) {
        char c = in[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c == '@') {
            ats++;
            at = o;
        }
        PUT(c);
    }
    out[o] = 0;
    if (ats != 1 || at == 0 || at + 1 >= o) {
        out[0] = 0;
        return 0;
    }
    /* One mailbox written several ways (review 132: a fintech's KYC against intelligence
       nominals): a sub-address's tag (`claire+shop@`, plus addressing: Gmail, Outlook, iCloud
       and most providers deliver it to `claire@`) is dropped, and Gmail's other domain
       googlemail.com is gmail.com. The dots of a Gmail user name (which Gmail ignores) are
       kept: a dot more or less is one typo, compared "close" as such (dropped, john.smith and
       johnsmith of two namesakes in synthetic data were one value, and the shape of 40% missing
       values fell 0.9009 -> 0.8991, under its floor). */
    const char *dom = out + at + 1;
    size_t dl = o - at - 1;
    int gmail = dl == 14 && !memcmp(dom, "googlemail.com", 14);
    size_t k = 0;
    for (size_t j = 0; j < at; j++) {
        if (out[j] == '+' && j > 0)
            break;
        out[k++] = out[j];
    }
    if (k == 0) /* nothing left of the user name: as written */
        return o;
    if (gmail) {
        memcpy(out + k, "@gmail.com", 10);
        k += 10;
    } else {
        memmove(out + k, out + at, dl + 1);
        k += dl + 1;
    }
    out[k] = 0;
    return k;
}

/* A PNC id written with its year and serial apart, `2007/0759467P` or `07/759467P` (review
   91: the long and the short form of one id never compared as the same): the year's last two
   digits, the serial without its leading zeros and the check letter, "07759467P", which is also
   what the short form gives without its slash. 0 when in is not of that form. */
static size_t pnc_form(const char *in, size_t n, char *out, size_t cap)
{
    size_t i = 0, y0, y1, s0, s1;
    while (i < n && in[i] == ' ')
        i++;
    for (y0 = i; i < n && isD(in[i]); i++)
        ;
    y1 = i;
    while (i < n && in[i] == ' ')
        i++;
    if ((y1 - y0 != 2 && y1 - y0 != 4) || i >= n || in[i] != '/')
        return 0;
    /* a year of four digits is one of the PNC's (19xx, 20xx): `1234/56A` is no PNC id, and read
       as one it met `5534/56A` (review 93 L2) */
    if (y1 - y0 == 4 && !((in[y0] == '1' && in[y0 + 1] == '9') || (in[y0] == '2' && in[y0 + 1] == '0')))
        return 0;
    for (i++; i < n && in[i] == ' '; i++)
        ;
    for (s0 = i; i < n && isD(in[i]); i++)
        ;
    s1 = i;
    while (i < n && in[i] == ' ')
        i++;
    if (s1 == s0 || s1 - s0 > 7 || i >= n || !isA((char)(in[i] & ~32)))
        return 0;
    char letter = (char)(in[i] & ~32);
    for (i++; i < n && in[i] == ' '; i++)
        ;
    while (s0 + 1 < s1 && in[s0] == '0')
        s0++;
    if (i != n || 2 + (s1 - s0) + 1 >= cap)
        return 0;
    size_t o = 0;
    out[o++] = in[y1 - 2];
    out[o++] = in[y1 - 1];
    memcpy(out + o, in + s0, s1 - s0);
    o += s1 - s0;
    out[o++] = letter;
    out[o] = 0;
    return o;
}

size_t conflate_norm_cro(const char *in, size_t n, char *out, size_t cap)
{
    if (cap == 0)
        return 0;
    char t[64];
    size_t k = alnum_upper(in, n < sizeof t ? n : 0, t, sizeof t); /* the slash dropped */
    const char *slash = n < sizeof t ? memchr(in, '/', n) : NULL;
    size_t i = 0;
    if (k >= 3 && t[0] == 'C' && t[1] == 'R' && t[2] == 'O')
        i = 3; /* "CRO 012345/85X" */
    size_t d0 = i;
    while (i < k && isD(t[i]))
        i++;
    size_t d1 = i; /* the digits: serial and year */
    if (k == 0 || d1 != k - 1 || !isA(t[k - 1]) || d1 - d0 < 3 || d1 - d0 > 9)
        return alnum_upper(in, n, out, cap);
    /* with a slash, the year is the two digits after it: it must sit before the last three */
    if (slash) {
        size_t after = 0;
        for (const char *c = slash + 1; c < in + n; c++)
            after += *c >= '0' && *c <= '9';
        if (after != 2)
            return alnum_upper(in, n, out, cap);
    }
    size_t s0 = d0, s1 = d1 - 2;
    while (s0 + 1 < s1 && t[s0] == '0')
        s0++;
    if ((s1 - s0) + 4 >= cap)
        return alnum_upper(in, n, out, cap);
    size_t o = 0;
    memcpy(out, t + s0, s1 - s0);
    o = s1 - s0;
    out[o++] = '/';
    out[o++] = t[d1 - 2];
    out[o++] = t[d1 - 1];
    out[o++] = t[k - 1];
    out[o] = 0;
    return o;
}

size_t conflate_norm_account(const char *in, size_t n, char *out, size_t cap)
{
    /* digits, spaces, hyphens and full stops only: the digits */
    char d[32];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = in[i];
        if (c >= '0' && c <= '9') {
            if (k == sizeof d)
                return conflate_norm_id(in, n, out, cap);
            d[k++] = c;
        } else if (c != ' ' && c != '-' && c != '.' && c != '/') {
            return conflate_norm_id(in, n, out, cap);
        }
    }
    const char *acc = d;
    size_t an = k;
    if (k == 14 || k == 13) { /* a sort code of six digits, then the account */
        acc = d + 6;
        an = k - 6;
    }
    if ((an != 8 && an != 7) || cap < 9)
        return conflate_norm_id(in, n, out, cap);
    size_t o = 0;
    if (an == 7)
        out[o++] = '0';
    memcpy(out + o, acc, an);
    o += an;
    out[o] = '\0';
    return o;
}

size_t conflate_norm_id(const char *in, size_t n, char *out, size_t cap)
{
    if (cap == 0)
        return 0;
    size_t pnc = pnc_form(in, n, out, cap);
    return pnc ? pnc : alnum_upper(in, n, out, cap);
}

size_t conflate_norm_sex(const char *in, size_t n, char *out, size_t cap)
{
    size_t len = conflate_norm_text(in, n, out, cap);
    if (len == CONFLATE_NORM_BADUTF8 || len == 0)
        return len;
    /* the English words, ISO/IEC 5218's and the NHS's codes (1 male, 2 female), and the words of
       the languages other forces' replies come in (review 134: a German reply's `männlich`
       against `M` was "different", vetoing the pair) */
    static const char *const male[] = {"m", "male", "man", "boy", "1", "mannlich", "masculin",
                                       "masculine", "masculino", "maschile", "maschio", "mezczyzna",
                                       "barbat", "mies", "mann", "vyr", "muz",
                                       "erkek", "h", "hombre", "homme", "mannelijk", "muzh",
                                       "muzhskoy", "muzhskoi", "nam"};
    static const char *const female[] = {"f", "female", "woman", "girl", "2", "weiblich", "feminin",
                                         "feminine", "femenino", "feminino", "femminile", "femmina",
                                         "kobieta", "k", "femeie", "nainen", "kvinne", "moter", "zena",
                                         "kadin", "mujer", "femme", "vrouwelijk", "w", "zh", "v", "vrouw",
                                         "zhen", "zhena", "zhenskiy", "zhenskii", "nu"};
    for (size_t i = 0; i < sizeof male / sizeof *male; i++)
        if (!strcmp(out, male[i]) && cap > 1) {
            out[0] = 'm';
            out[1] = 0;
            return 1;
        }
    for (size_t i = 0; i < sizeof female / sizeof *female; i++)
        if (!strcmp(out, female[i]) && cap > 1) {
            out[0] = 'f';
            out[1] = 0;
            return 1;
        }
    /* a code for no sex known (U, 9, 0, X, Unknown, Not stated): kept, and read as a placeholder
       (engine.c is_placeholder: missing, counted); anything else (a code of another system, a
       Greek reply's Θ): no sex a record of the other sex differs from, counted as unusable, not
       compared "different" (it vetoed the pair) */
    static const char *const unknown[] = {"u", "unknown", "unk", "not known", "nk", "n k", "not stated",
                                          "x", "9", "0", "unspecified", "indeterminate", "other",
                                          "not specified", "not recorded", "prefer not to say", "n a"};
    for (size_t i = 0; i < sizeof unknown / sizeof *unknown; i++)
        if (!strcmp(out, unknown[i]))
            return len;
    out[0] = 0;
    return 0;
}

uint32_t conflate_soundex(const char *s, size_t n)
{
    /* a b c d e f g h i j k l m n o p q r s t u v w x y z */
    static const char code[26] = {0, 1, 2, 3, 0, 1, 2, 0, 0, 2, 2, 4, 5,
                                  5, 0, 1, 2, 6, 2, 3, 0, 1, 0, 2, 0, 2};
    uint32_t out = 0;
    int have = 0, digits = 0;
    int last = -1;
    for (size_t i = 0; i < n && digits < 3; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c < 'a' || c > 'z')
            continue;
        int k = code[c - 'a'];
        if (!have) {
            out = (uint32_t)(c - 32) << 24;
            have = 1;
            last = k;
            continue;
        }
        if (c == 'h' || c == 'w')
            continue; /* h and w do not separate equal codes */
        if (k != 0 && k != last) {
            out |= (uint32_t)('0' + k) << (16 - 8 * digits);
            digits++;
        }
        last = k;
    }
    if (!have)
        return 0;
    for (; digits < 3; digits++)
        out |= (uint32_t)'0' << (16 - 8 * digits);
    return out;
}

int conflate_dl_birth(const char *in, size_t n, int year_now, int32_t *ymd, char *sex)
{
    char c[16];
    size_t k = 0;
    for (size_t i = 0; i < n && k < sizeof c; i++) {
        char ch = in[i];
        if (ch == ' ' || ch == '-')
            continue;
        if (ch >= 'a' && ch <= 'z')
            ch = (char)(ch - 32);
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')))
            return 0;
        c[k++] = ch;
    }
    if (k < 16)
        return 0;
    for (int i = 0; i < 5; i++) /* the surname: letters, padded with 9 at its end */
        if (!((c[i] >= 'A' && c[i] <= 'Z') || (c[i] == '9' && i > 0)))
            return 0;
    for (int i = 5; i < 11; i++)
        if (c[i] < '0' || c[i] > '9')
            return 0;
    for (int i = 11; i < 13; i++)
        if (!((c[i] >= 'A' && c[i] <= 'Z') || c[i] == '9'))
            return 0;
    if (c[13] < '0' || c[13] > '9')
        return 0;
    int mo = (c[6] - '0') * 10 + (c[7] - '0'), d = (c[8] - '0') * 10 + (c[9] - '0');
    int yy = (c[5] - '0') * 10 + (c[10] - '0');
    char sx = 'm';
    if (mo > 50) {
        mo -= 50;
        sx = 'f';
    }
    if (mo < 1 || mo > 12 || d < 1 || d > 31)
        return 0;
    int y = 2000 + yy;
    if (y > year_now - 16)
        y -= 100;
    if (y < year_now - 119)
        return 0;
    int32_t v = pack(y, mo, d);
    if (!v)
        return 0; /* 31 February */
    *ymd = v;
    *sex = sx;
    return 1;
}
