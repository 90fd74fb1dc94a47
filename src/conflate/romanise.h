/*
 * romanise.h: Chinese names written in Wade-Giles and in Hanyu Pinyin read as one.
 *
 * Taiwanese passports write Chinese names in Wade-Giles without its apostrophes (CHANG
 * CHIH-WEI, HSIEH, TSENG, KUO), mainland records and interpreters in pinyin (ZHANG ZHIWEI,
 * XIE, ZENG, GUO): the same name, different letters. conflate_wg_pinyin_equiv tells such a
 * pair. Pure (no I/O, no allocation, no globals written: thread-safe); the syllable table is
 * in romanise.c.
 *
 * Inputs are names as the engine holds them after conflate_norm_text / conflate_norm_name:
 * lower-case ASCII letters, accents stripped (WG and pinyin u-umlaut is plain "u"),
 * apostrophes removed (WG ch'ang is "chang", so every aspirated initial reads both ways), and
 * words separated by one space (a hyphenated given name, "Chih-wei", arrives as "chih wei";
 * one written joined, "Chihwei", as "chihwei"). A space is a syllable boundary and nothing
 * else: "chih wei", "chihwei" and "zhi wei", "zhiwei" all meet, in any combination. A joined
 * word is split into syllables by backtracking; the one-vowel syllables e and o (pinyin e,
 * WG o, ê: 娥, 鄂) count only as a word of their own ("hsiu o" / "xiu e", not "xiue"), as
 * English names split so ("leo" le-o, "elie" e-li-e). Inputs need not be NUL-terminated.
 */
#ifndef IOM_CONFLATE_ROMANISE_H
#define IOM_CONFLATE_ROMANISE_H

#include <stdbool.h>
#include <stddef.h>

/* The longest input looked at: a name of more bytes is no romanised Chinese name (the
 * longest full names, "ouyang chih hsiung", are under 20 bytes) and gives false. */
#define CONFLATE_ROMANISE_MAX 63

/*
 * Whether a[0..na) and b[0..nb) are one Chinese name, one side written in Wade-Giles and the
 * other in pinyin: true when they differ in more than their spaces and one of them, read wholly as a
 * sequence of Wade-Giles syllables, has a pinyin reading equal to the other, read wholly as
 * pinyin syllables ("chang"/"zhang", "hsieh"/"xie", "chih wei"/"zhiwei", "chiaching"/
 * "jiajing", both argument orders). Any reading counts: without apostrophes each WG initial
 * reads aspirated or not (ch: zh/ch, or j/q before i and u-umlaut; k: g/k; t: d/t; p: b/p;
 * ts/tz: z/c), so "chang" is zhang or chang and "kuo" guo or kuo.
 *
 * False for: names equal but for spaces ("ming hua" / "minghua": no romanisation tells
 * them apart; the caller's own comparison does), equal names (also names such as "lin", "ken", "wang", written alike in
 * both systems), an empty name or one of spaces only, a name longer than
 * CONFLATE_ROMANISE_MAX bytes, any byte other than 'a'..'z' and ' ' (upper case, digits, a
 * hyphen, an apostrophe, a NUL byte inside the length, non-ASCII: normalise first), and a
 * name that is not wholly syllables of the system it is read in ("chris", "smith").
 *
 * What it cannot tell: two different names whose letters happen to be a WG/pinyin pair are
 * called equivalent. The pairs most at risk are one-syllable names that differ only in an
 * unaspirated/aspirated initial, which are genuinely ambiguous without the apostrophe
 * ("tan"/"dan", "kang"/"gang", "ting"/"ding", "po"/"bo"), and English names that parse as
 * syllables ("tina"/"dina"). Callers should take it as a partial agreement, not as equality.
 *
 * Cost: the first byte and the letters used reject most non-Chinese names at once; otherwise
 * the parse is memoised over (position in a, position in b), at most 64 x 64 states.
 */
bool conflate_wg_pinyin_equiv(const char *a, size_t na, const char *b, size_t nb);

/* The syllable table (for tests and docs): its number of rows, and row i: a pinyin syllable
 * and its Wade-Giles spellings without apostrophes or umlauts (up to 3, NULL after the last).
 * Rows are sorted by pinyin in byte order; out of range gives NULLs. */
size_t conflate_romanise_count(void);
void conflate_romanise_entry(size_t i, const char **pinyin, const char *wg[3]);

#endif
