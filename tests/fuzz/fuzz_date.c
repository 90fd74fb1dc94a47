/* libFuzzer harness: the date parser and the other normalisers on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>

#include "conflate/compare.h"
#include "conflate/norm.h"
#include "conflate/notes.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    int32_t d = conflate_date_parse(s, size);
    if (d) {
        /* a parsed date is a real calendar date of the years read (norm.h), or a partial one:
           a year (month and day 0) or a month of a year (day 0) */
        int y = d / 10000, m = (d / 100) % 100, dd = d % 100;
        if (y < CONFLATE_DATE_MIN_YEAR || y > CONFLATE_DATE_MAX_YEAR || m > 12 || dd > 31 ||
            (dd && !m))
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
