/*
 * compare.h: string and date similarity measures used by the comparison levels.
 *
 * Pure, thread-safe, no allocation. Strings are byte strings (the normalisers have already
 * folded case and stripped accents, so names are almost always ASCII; a non-ASCII character
 * counts as its bytes, which only makes such names look slightly less similar).
 */
#ifndef IOM_CONFLATE_COMPARE_H
#define IOM_CONFLATE_COMPARE_H

#include <stddef.h>
#include <stdint.h>

/* Jaro-Winkler similarity in [0, 1] (prefix scale 0.1, prefix up to 4). Strings longer than
 * 255 bytes are compared on their first 255. Both empty -> 1. */
double conflate_jaro_winkler(const char *a, size_t na, const char *b, size_t nb);

/* Optimal-string-alignment distance (Levenshtein plus adjacent transposition), or max + 1
 * when the distance exceeds max (the search stops early). Strings longer than 255 bytes
 * return max + 1 unless equal. */
int conflate_osa_distance(const char *a, size_t na, const char *b, size_t nb, int max);

/* Whether a and b are at most one typo apart (OSA distance <= 1: equal, one byte changed,
 * dropped or added, or two neighbours swapped), at any length. */
int conflate_within_one_edit(const char *a, size_t na, const char *b, size_t nb);

/* Jaccard similarity of the sets of space-separated tokens of a and b, in [0, 1]. */
double conflate_token_jaccard(const char *a, size_t na, const char *b, size_t nb);

/* A text's bag signature: how many of its bytes fall in each of 16 classes of bytes (letters
 * by frequency, digits, space and the rest), 4 bits a class; 0 when a class holds 15 or more
 * (no signature). */
uint64_t conflate_bag_sig(const char *s, size_t n);

/* An upper bound of the bytes two texts have in common as multisets, from their signatures
 * (both non-zero): Jaro's matching characters are at most this many, and an edit distance is
 * at least the longer length minus it. */
int conflate_bag_common(uint64_t x, uint64_t y);

/* Whether conflate_jaro_winkler(a, b) is surely below thr, from the texts' bag signatures
 * sa and sb (conflate_bag_sig of a and b; 0 = none: then 0): Jaro's matches are at most the
 * bytes in common, so Jaro is at most (c / na + c / nb + 1) / 3 and Winkler's boost is that of
 * the texts' common prefix. A margin of 1e-9 keeps rounding on the safe side. Never 1 for a
 * pair whose Jaro-Winkler reaches thr. */
int conflate_jw_below(uint64_t sa, uint64_t sb, const char *a, size_t na, const char *b, size_t nb,
                      double thr);

/* Whether a and b (normalised surnames: lower case, accents folded, words split by spaces) are
 * one family name in the forms it takes by sex or marriage, the words before the last the same:
 * Czech and Slovak -ová (Novák / Nováková, Dzurko / Dzurková, Hájek / Hájková), Russian and
 * Bulgarian -ov / -ova, -ev / -eva, -in / -ina (Ivanov / Ivanova), adjectival -ski / -ska,
 * -ský / -ská, -skiy / -skaya (Kowalski / Kowalska), Lithuanian -as / -is / -ys / -us against
 * a wife's -ienė and a daughter's -aitė / -ytė / -utė / -iūtė (and those two against each
 * other), Latvian -iņš / -iņa, -ols / -ola, -ons / -one, -is / -e (Bērziņš / Bērziņa, Balodis /
 * Balode) and Greek -os / -ou, -is / -i (Papadopoulos / Papadopoulou). Stems are at least three
 * letters (some rules more), so that English names (Ross / Rosa, Davis / Dave) are left alone.
 * 0 for equal texts. */
int conflate_surname_gendered(const char *a, size_t na, const char *b, size_t nb);

/* Where the family name proper starts in a normalised surname s (n bytes): after its leading
 * particles, the words an article or a preposition (al, el, de, da, di, du, do, dos, das, van,
 * von, der, den, ter, ten, le, la, and the Arabic article assimilated to a sun letter: "ash
 * shami", "ar rashid", "as sayed", "ad din"), and after an Arabic article written joined to a
 * name of five letters or more that begins with a consonant other than l ("alhamwi",
 * "elmasry", "alvarez" too; not "allen", "alton", "alexander", nor "alahmad"). 0 when there is
 * none, or when the particles are all there is. So "al hamwi",
 * "el hamwi", "alhamwi" and "hamwi" are one name, and "al hamwi" and "al khatib" are not
 * (review 119: the first word of a surname was its key, and "de silva" was "close" to "de
 * souza"). */
size_t conflate_surname_core(const char *s, size_t n);

/* Whether a normalised first name (n bytes, not NUL-terminated) is initials only: letters each
 * a word of its own ("j", "j r", "j l p"), or two or three letters run together without a
 * vowel ("jr", "jlp": an `Initials` column written without spaces; review 135). */
int conflate_name_initials(const char *s, size_t n);

/* A name (normalised: lower case ASCII words split by spaces) in Somali orthography folded
 * to its common English spelling, into out (cap bytes, NUL-terminated): x is h, dh is d, a
 * doubled a, i or u is one (not ee or oo, which English writes: Lee, Moore), and a word's
 * first c before a vowel (the letter of the ayn) is dropped: Maxamed "mahamed", Faarax
 * "farah", Cali "ali", Xuseen "huseen", Daahir "dahir", Cabdi "abdi". Returns its length, or 0
 * when the name holds none of these (nothing to fold) or out is too small. */
size_t conflate_name_fold_somali(const char *s, size_t n, char *out, size_t cap);

/* The Irish patronymic surname s (normalised, n bytes) as one word in its masculine form, into
 * out (cap bytes, NUL-terminated): Ó, Ní and Uí are "o", Mac, Mc, Nic and Mhic "mac", the
 * family name after them joined, and after the feminine forms (Ní, Uí, Nic, Mhic), which lenite
 * it, without the lenition's h (Ní Mhurchú, Uí Mhurchú, Ó Murchú, O Murchu: "omurchu"; Nic
 * Dhonnchadha, Mac Donnchadha: "macdonnchadha"; Mc Bride, McBride, Mac Bride: "macbride"). So
 * a woman's form of her family name is her father's and her husband's (review 119's gaelic
 * shape). Returns the length, or 0 when s is no such name (then out is untouched). */
size_t conflate_surname_gaelic(const char *s, size_t n, char *out, size_t cap);

/* Comparison levels of two packed dates (conflate_date_parse); higher is closer. */
enum {
    CONFLATE_DATE_OTHER = 0,
    /* a date known to its year only (an age, an estimate) against a whole date of the year
       before or after: an estimate is one year off as often as not, but two different people
       of one name are often a year apart too, so it is a level of its own, its rates learned
       (review 73: weighed as two whole dates "within a year", -5.2, and 97% of such true
       pairs were missed) */
    CONFLATE_DATE_YEAR_NEAR = 1,
    /* a date known to its year only (an age, an estimate), of the other's year: it agrees as
       far as it goes, which no level above says (within a year is a difference for two whole
       dates). Until 2026-12-05 compared as missing: a source of years then linked no better
       than one without dates (docs/conflate.md, "Compare") */
    CONFLATE_DATE_YEAR_ONLY = 2,
    CONFLATE_DATE_YEAR = 3,       /* within a year, or two digits differ */
    CONFLATE_DATE_CLOSE = 4,      /* one digit differs, or within 31 days */
    CONFLATE_DATE_TRANSPOSED = 5, /* day and month exchanged */
    CONFLATE_DATE_EXACT = 6,
};
int conflate_date_level(int32_t a, int32_t b);

/* Levels lv[0..n) of one comparison, looser to closer: the rates m made such that m / u is
 * non-decreasing along them, by pooling adjacent violators (a pooled pair keeps its mass,
 * shared out in proportion to u). Levels whose u is not positive are left as they are. So a
 * closer agreement never weighs less than a looser one (model.c constrain_m: the dates). */
void conflate_pool_violators(const double *u, double *m, const int *lv, int n);

/*
 * A date of birth that could not be read is most often a keying slip of one that can
 * ("19845-03-16": a digit too many; "1985-13-01", "32/03/1985": a digit changed or two
 * exchanged; "1203195": a digit dropped). conflate_date_slip reads the shape such text has:
 * its digits, and how they are laid out (year first as 1985-03-16, day first as 16/03/1985,
 * or one run as 16031985 or 19850316). Only text of 6 to 10 digits in one run or in three
 * runs, with no letter (a month by name or a word is read as it is, or missing), has one:
 * returns 1 and fills *out, else 0.
 */
typedef struct conflate_date_slip_t {
    char digits[11];        /* the text's digits in order, NUL-terminated */
    unsigned char layout;   /* CONFLATE_SLIP_YMD, _DMY or _RUN */
    unsigned char w[3];     /* the three runs' widths (YMD, DMY) */
} conflate_date_slip_t;
enum { CONFLATE_SLIP_YMD = 1, CONFLATE_SLIP_DMY = 2, CONFLATE_SLIP_RUN = 3 };
int conflate_date_slip(const char *in, size_t n, conflate_date_slip_t *out);

/*
 * The level of such text against whole date d, by the keying slips between them: d written
 * in the text's own layout (a year of two digits as two, a day or month of one digit as one)
 * and the digits compared (an optimal string alignment: a digit dropped, added or changed, or
 * two adjacent exchanged, is one slip). None or one slip: CLOSE (as two dates one digit apart);
 * two: YEAR (as two digits); more: OTHER. -1 when d is partial (a year or a month only: no
 * level, as before).
 */
int conflate_date_slip_level(const conflate_date_slip_t *s, int32_t d);

#endif
