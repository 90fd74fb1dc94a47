/* libFuzzer harness: the date parser and the other normalisers on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>

#include "conflate/compare.h"
#include "conflate/norm.h"
#include "conflate/notes.h"

#include <stdio.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    int32_t d = conflate_date_parse(s, size);
    if (d) {
        /* a parsed date is a real calendar date of the years read (norm.h), or a partial one:
           a year (month and day 0), a month of a year (day 0), or a window (an estimate to the
           month: the month plus 20, day 0) */
        int y = d / 10000, m = (d / 100) % 100, dd = d % 100;
        int window = m > 20 && m <= 32 && dd == 0;
        if (y < CONFLATE_DATE_MIN_YEAR || y > CONFLATE_DATE_MAX_YEAR || (m > 12 && !window) ||
            dd > 31 || (dd && !m) || window != conflate_date_window(d))
            __builtin_trap();
        (void)conflate_date_days(d);
        (void)conflate_date_level(d, 19850312);
    }
    /* free-text notes: what is taken is what the field's own reader reads */
    conflate_notes nt;
    unsigned got = conflate_notes_scan(s, size, 2026, &nt);
    if ((got & CONFLATE_NOTE_DOB) && !conflate_date_parse(nt.dob, strlen(nt.dob)))
        __builtin_trap();
    if ((got & CONFLATE_NOTE_AGE) && strncmp(nt.dob, "approx ", 7))
        __builtin_trap();
    if ((got & CONFLATE_NOTE_POSTCODE) && !conflate_postcode_is_uk(nt.postcode, strlen(nt.postcode)))
        __builtin_trap();
    if ((got & CONFLATE_NOTE_EMAIL) && !strchr(nt.email, '@'))
        __builtin_trap();
    if (got & nt.several)
        __builtin_trap();
    /* an age column: what it reads is in range, and the birth it gives is a date the parser
       reads back (as the engine writes it: "approx YYYY" or "approx YYYY-MM") */
    int lo = -1, hi = -1, k = conflate_age_read(s, size, &lo, &hi);
    if (k < CONFLATE_AGE_BAD || k > CONFLATE_AGE_VAGUE)
        __builtin_trap();
    if (k == CONFLATE_AGE_OK || k == CONFLATE_AGE_VAGUE) {
        if (lo < 0 || hi > 120 || lo > hi || (k == CONFLATE_AGE_OK) != (hi - lo <= 6))
            __builtin_trap();
        int32_t at = d && d % 10000 ? d : 20230705; /* a window too (review 118) */
        int mo = -1, by = conflate_age_birth(lo, hi, at, &mo);
        if (mo < 0 || mo > 12 || by > at / 10000 || by < at / 10000 - 122)
            __builtin_trap();
        char est[32];
        int en = mo ? snprintf(est, sizeof est, "approx %d-%02d", by, mo)
                    : snprintf(est, sizeof est, "approx %d", by);
        if (by >= CONFLATE_DATE_MIN_YEAR && !conflate_date_parse(est, (size_t)en))
            __builtin_trap();
    }
    /* a driving licence number: what it gives is a real date of the years read, and a sex */
    int32_t dl = 0;
    char dsx = 0;
    if (conflate_dl_birth(s, size, 2026, &dl, &dsx)) {
        int dy = dl / 10000, dm = dl / 100 % 100, dd2 = dl % 100;
        if (dy < 1907 || dy > 2010 || dm < 1 || dm > 12 || dd2 < 1 || dd2 > 31 ||
            (dsx != 'm' && dsx != 'f') || conflate_date_days(dl) == conflate_date_days(dl - dd2))
            __builtin_trap();
    }
    char out[64];
    conflate_norm_text(s, size, out, sizeof out);
    conflate_norm_name(s, size, out, sizeof out);
    conflate_norm_full_name(s, size, out, sizeof out);
    conflate_norm_postcode(s, size, out, sizeof out);
    conflate_norm_phone(s, size, out, sizeof out);
    conflate_norm_email(s, size, out, sizeof out);
    conflate_norm_id(s, size, out, sizeof out); /* a PNC id's forms (review 91) */
    char tiny[4];
    conflate_norm_id(s, size, tiny, sizeof tiny); /* and an output too small for them */
    (void)conflate_soundex(s, size);
    size_t half = size / 2;
    (void)conflate_jaro_winkler(s, half, s + half, size - half);
    (void)conflate_osa_distance(s, half, s + half, size - half, 2);
    (void)conflate_token_jaccard(s, half, s + half, size - half);
    return 0;
}
