/*
 * grade.h: 3x5x2 intelligence grading (domain.md §4), the legacy 5x5x5 mapping, and the PND
 * status every intelligence item carries.
 *
 * Pure functions, no I/O, no allocation. Strings in an iom_grade are borrowed: conditions
 * points at the caller's text (grade_parse) or at the mapping table's text
 * (grade_from_legacy), and lives as long as that.
 *
 * Errors: IOM_EINVAL with a message naming the field ("grade", "handling", "conditions",
 * "legacy grade", "pnd"...), the value and the rule.
 */
#ifndef IOM_DOMAIN_GRADE_H
#define IOM_DOMAIN_GRADE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

typedef struct iom_grade {
    char source;            /* '1' reliable, '2' untested, '3' not reliable */
    char assessment;        /* 'A' known directly ... 'E' suspected to be false */
    char handling;          /* 'P' lawful sharing permitted, 'C' subject to conditions */
    const char *conditions; /* non-blank for 'C' (the item is shared only under them); NULL
                               for 'P'. Borrowed. */
} iom_grade;

/* "1B C" plus NUL. */
#define GRADE_DISPLAY_MAX 5

/*
 * Parses a grade as entered: `grade` is "1B" (source, assessment) or the display form "1B P";
 * `handling` is "P" or "C" (may be NULL when `grade` carries it; if both are given they must
 * agree); `conditions` is required non-blank for C and refused for P. Letters are accepted in
 * either case and stored upper-case. On IOM_OK *out is filled (conditions borrowed); on
 * failure *out is untouched. So "4F" (no source 4, no assessment F), "1B" without handling,
 * and "1B C" without conditions are IOM_EINVAL.
 */
iom_err grade_parse(iom_grade *out, const char *grade, const char *handling,
                    const char *conditions, iom_error *e);

/* Checks a grade struct built elsewhere (e.g. read back from the store): same rules. */
iom_err grade_check(const iom_grade *g, iom_error *e);

/* Writes the display form shown with every item ("1B P", "3E C") into out (NUL-terminated).
 * Returns out. Writes "?" when the letters or the handling break grade_check; a C grade
 * without its conditions (erased by a disposal) still shows its letters. */
char *grade_format(const iom_grade *g, char out[GRADE_DISPLAY_MAX]);

/* Source evaluation and assessment words for people ("reliable", "known directly to the
 * source", ...); static storage, "?" for an invalid letter. */
const char *grade_source_text(char source);
const char *grade_assessment_text(char assessment);
const char *grade_handling_text(char handling);

/*
 * Legacy 5x5x5 mapping, kept as data: the app maps with the grade.legacy_map setting
 * (domain/settings.h settings_grade_map), whose seed is the default below.
 * Index 0..4 is source A..E, intelligence 1..5 and handling 1..5 respectively.
 */
typedef struct grade_legacy_map {
    char source[5];            /* -> '1' | '2' | '3' */
    char assessment[5];        /* -> 'A' .. 'E' */
    char handling[5];          /* -> 'P' | 'C' */
    const char *conditions[5]; /* condition text used when handling maps to 'C' (non-blank);
                                  ignored for 'P' */
} grade_legacy_map;

/* The default mapping of domain.md §4 (static storage): source A,B->1, C,E->2, D->3;
 * intelligence 1,2->A, 3->B, 4->C, 5->E; handling 1,2,3->P, 4,5->C with the original
 * handling code as the condition text ("5x5x5 handling code 4"). */
const grade_legacy_map *grade_legacy_default(void);

/* Validates an override: every target a valid 3x5x2 letter, conditions for every C. */
iom_err grade_legacy_map_check(const grade_legacy_map *m, iom_error *e);

/* Room for the normalised original code ("B24") plus NUL. */
#define GRADE_LEGACY_MAX 4

/*
 * Maps a legacy 5x5x5 code to 3x5x2. `legacy` is source letter A-E, intelligence 1-5,
 * handling 1-5, optionally separated by one space, '/' or '-' ("B24", "B2 4", "B/2/4"; letters
 * in either case). `map` NULL means grade_legacy_default(). OUT: *out (conditions borrowed from
 * map) and `original`, the normalised code to preserve beside the new grade. On failure
 * nothing is written.
 */
iom_err grade_from_legacy(iom_grade *out, char original[GRADE_LEGACY_MAX], const char *legacy,
                          const grade_legacy_map *map, iom_error *e);

/* §4 PND status of an intelligence item. */
typedef enum iom_pnd_status {
    IOM_PND_PENDING,
    IOM_PND_RECORDED,
    IOM_PND_NOT_REQUIRED,
    IOM_PND_COUNT
} iom_pnd_status;

const char *grade_pnd_name(iom_pnd_status s);
iom_err grade_pnd_parse(const char *s, iom_pnd_status *out, iom_error *e);

/*
 * The fields each PND status needs: `recorded` a PND reference and a date (YYYY-MM-DD),
 * `not_required` a reason; `pending` none. Fields a status does not use must be NULL or empty,
 * so a stale reference cannot linger beside `pending`.
 */
iom_err grade_pnd_check(iom_pnd_status s, const char *pnd_ref, const char *pnd_date,
                        const char *reason, iom_error *e);
/* The same, naming the reason's field as the caller's input names it ("pnd_reason" above;
   the PND route's "reason"). */
iom_err grade_pnd_check_as(iom_pnd_status s, const char *pnd_ref, const char *pnd_date,
                           const char *reason, const char *reason_field, iom_error *e);

#endif
