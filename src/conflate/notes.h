/*
 * notes.h: what a free-text note says of its subject, read by pattern.
 *
 * Intelligence logs, stop records and referrals often hold a person's date of birth, address,
 * phone and e-mail only inside a free-text column ("Male, DOB 12/03/1985, lives 23 Stanley St,
 * Leeds LS2 9XX, mob 07700 900123, seen with known associates"). conflate_notes_scan finds:
 *
 * - a date of birth written after a birth word ("DOB", "D.O.B.", "date of birth", "birth
 *   date", "born", "born on"), in any form conflate_date_parse reads ("12/03/1985", "12 Mar
 *   1985", "1985-03-12"); failing that, an age ("aged 41", "age: 41", "41 years old", "41 yo",
 *   "41 y/o", "approx 41 yrs", "about 41 years"), given as an estimated year of birth
 *   ("approx YYYY", YYYY = year - age) that the date normaliser reads as a year within three;
 * - a UK postcode ("LS2 9XX", "ls29xx"), anywhere;
 * - a phone number: a UK number of 10 or 11 digits from its leading 0 ("07700 900123",
 *   "(0113) 496 0000"), or an international one from its + or 00 ("+44 7700 900123");
 * - an e-mail address.
 *
 * A kind found with two different values (two postcodes, two phones: the subject's and an
 * associate's?) is not taken: which one is the subject's cannot be told. Nothing is guessed
 * from words that are not one of these patterns (a sex word may be an associate's; a date
 * without a birth word may be an incident's).
 *
 * Pure: no I/O, no allocation. All strings out are NUL-terminated copies.
 */
#ifndef IOM_CONFLATE_NOTES_H
#define IOM_CONFLATE_NOTES_H

#include <stddef.h>
#include <stdint.h>

enum {
    CONFLATE_NOTE_DOB = 1,      /* a date of birth after a birth word */
    CONFLATE_NOTE_AGE = 2,      /* an age: dob holds "approx YYYY" */
    CONFLATE_NOTE_POSTCODE = 4,
    CONFLATE_NOTE_PHONE = 8,
    CONFLATE_NOTE_EMAIL = 16
};

typedef struct conflate_notes {
    char dob[48];      /* the date as written, or "approx YYYY" from an age */
    char postcode[16]; /* normalised ("LS2 9XX") */
    char phone[48];    /* as written */
    char email[128];   /* as written */
    unsigned several;  /* CONFLATE_NOTE_* bits found with different values: not taken */
} conflate_notes;

/* Scans s[0..n) (UTF-8; only ASCII patterns are read). year: the year an age is counted back
 * from (the current year). Returns the CONFLATE_NOTE_* bits found once (or always with the
 * same value), their values in *out; *out is fully written either way. */
unsigned conflate_notes_scan(const char *s, size_t n, int year, conflate_notes *out);

/*
 * An age column (a stop or street-encounter log's "Age", a referral's "Approx age"): the age a
 * person was given at the date of the record, which the caller turns into an estimated year of
 * birth with conflate_age_birth_year. Read: "32", "32.0", "32 yrs", "32 years old", "32yo",
 * "aged 32", "approx 40", "c. 40", "~40", "40?", "40 (est)", "40ish", a range "25-30",
 * "25 - 30", "25 to 30" (an en dash too), a decade "40s" (40-49), "40+" (40-45), and an
 * infant's "6 months", "18 mths", "11m", "6 wks", "6w", "10 days", "10d" or a clinician's
 * "3/12" (months), "2/52" (weeks), "4/7" (days), under three years; years and months ("2 years 6 months", "2y 6m") as the years.
 */
enum {
    CONFLATE_AGE_BAD = -1,  /* not an age ("tall", "1985", over 120) */
    CONFLATE_AGE_NONE = 0,  /* empty, a not-known word ("unknown", "NK", "N/K", "-", "?"), or a
                               bare 0 (systems fill an unknown age with 0; an infant's age is
                               written in months) */
    CONFLATE_AGE_OK = 1,    /* *lo..*hi: the ages it allows, at most 6 years apart */
    CONFLATE_AGE_VAGUE = 2  /* *lo..*hi more than 6 years apart ("40s", "20-35"): too vague to
                               compare as a year within three */
};

/* Reads the age s[0..n) (ASCII words, any case; UTF-8 en dash). Returns CONFLATE_AGE_*; *lo and
 * *hi (0-120, lo <= hi) are set for OK and VAGUE. Pure. */
int conflate_age_read(const char *s, size_t n, int *lo, int *hi);

/* The estimated birth of a person aged lo..hi (conflate_age_read) at the date `at` (packed as
 * conflate_date_parse gives it; a year alone, a year and month, or a window allowed: a window
 * counts from its month, and gives a year alone): the middle of the
 * birth dates those ages allow. Returns its year; *month is its month (1-12) when the age is
 * one number and `at` is known to its month at least (the births then span one year: aged 32
 * on 5 July 2023, born 6 July 1990 - 5 July 1991, the middle in January 1991), else 0 (a year
 * is all that is told). */
int conflate_age_birth(int lo, int hi, int32_t at, int *month);

#endif
