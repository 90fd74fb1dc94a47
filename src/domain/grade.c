#include "domain/grade.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "util/text.h"

static char upper(char c) { return (char)toupper((unsigned char)c); }

static bool blank(const char *s)
{
    if (!s)
        return true;
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return false;
    return true;
}

static bool source_ok(char c) { return c >= '1' && c <= '3'; }
static bool assessment_ok(char c) { return c >= 'A' && c <= 'E'; }
static bool handling_ok(char c) { return c == 'P' || c == 'C'; }

const char *grade_source_text(char source)
{
    switch (source) {
    case '1': return "reliable";
    case '2': return "untested";
    case '3': return "not reliable";
    default: return "?";
    }
}

const char *grade_assessment_text(char assessment)
{
    switch (assessment) {
    case 'A': return "known directly to the source";
    case 'B': return "known indirectly to the source but corroborated";
    case 'C': return "known indirectly to the source";
    case 'D': return "not known";
    case 'E': return "suspected to be false";
    default: return "?";
    }
}

const char *grade_handling_text(char handling)
{
    switch (handling) {
    case 'P': return "lawful sharing permitted";
    case 'C': return "lawful sharing permitted subject to conditions";
    default: return "?";
    }
}

/* The conditions rule shared by parse and check. */
static iom_err check_conditions(char handling, const char *conditions, iom_error *e)
{
    if (handling == 'C' && blank(conditions))
        return iom_fail(e, IOM_EINVAL, "conditions: missing for handling 'C'; rule: a C item "
                                       "must carry its conditions and is shared only under them");
    if (handling == 'P' && conditions && *conditions)
        return iom_fail(e, IOM_EINVAL, "conditions: given for handling 'P'; rule: conditions "
                                       "belong only to handling C (use C to share under them)");
    return IOM_OK;
}

static iom_err check_letters(const char *shown, char s, char a, iom_error *e)
{
    if (!source_ok(s))
        return iom_fail(e, IOM_EINVAL, "grade: '%s': source evaluation '%c' is not 1 (reliable), "
                                       "2 (untested) or 3 (not reliable)", shown, s ? s : ' ');
    if (!assessment_ok(a))
        return iom_fail(e, IOM_EINVAL, "grade: '%s': intelligence assessment '%c' is not one of "
                                       "A, B, C, D, E", shown, a ? a : ' ');
    return IOM_OK;
}

iom_err grade_parse(iom_grade *out, const char *grade, const char *handling,
                    const char *conditions, iom_error *e)
{
    if (!grade || !*grade)
        return iom_fail(e, IOM_EINVAL, "grade: missing; rule: every intelligence item is graded "
                                       "on entry (3x5x2, e.g. 1B)");
    size_t n = strlen(grade);
    char shown[24];
    snprintf(shown, sizeof shown, "%.16s%s", grade, n > 16 ? "..." : "");
    if (n != 2 && !(n == 4 && grade[2] == ' '))
        return iom_fail(e, IOM_EINVAL, "grade: '%s' is not of the form 1B or 1B P; rule: "
                                       "3x5x2 source 1-3, assessment A-E, handling P or C", shown);
    char s = grade[0], a = upper(grade[1]);
    iom_err rc = check_letters(shown, s, a, e);
    if (rc != IOM_OK)
        return rc;
    char h = 0;
    if (n == 4)
        h = upper(grade[3]);
    if (handling && *handling) {
        char h2 = upper(handling[0]);
        if (handling[1] != '\0' || !handling_ok(h2))
            return iom_fail(e, IOM_EINVAL, "handling: '%.16s' is not P (lawful sharing "
                                           "permitted) or C (subject to conditions)", handling);
        if (h && h != h2)
            return iom_fail(e, IOM_EINVAL, "handling: '%c' disagrees with the grade '%s'", h2,
                            shown);
        h = h2;
    }
    if (!h)
        return iom_fail(e, IOM_EINVAL, "handling: missing for grade '%s'; rule: every grade "
                                       "carries handling P or C", shown);
    if (!handling_ok(h))
        return iom_fail(e, IOM_EINVAL, "handling: '%c' in grade '%s' is not P or C", h, shown);
    if ((rc = check_conditions(h, conditions, e)) != IOM_OK)
        return rc;
    *out = (iom_grade){s, a, h, h == 'C' ? conditions : NULL};
    return IOM_OK;
}

iom_err grade_check(const iom_grade *g, iom_error *e)
{
    if (!g)
        return iom_fail(e, IOM_EINVAL, "grade: missing");
    char shown[3] = {g->source, g->assessment, 0};
    if (!g->source || !g->assessment)
        shown[0] = '?', shown[1] = 0;
    iom_err rc = check_letters(shown, g->source, g->assessment, e);
    if (rc != IOM_OK)
        return rc;
    if (!handling_ok(g->handling))
        return iom_fail(e, IOM_EINVAL, "handling: '%c' is not P or C",
                        g->handling ? g->handling : ' ');
    return check_conditions(g->handling, g->conditions, e);
}

char *grade_format(const iom_grade *g, char out[GRADE_DISPLAY_MAX])
{
    /* the display is the letters: a C grade whose conditions were erased (a disposed item)
       still shows as C */
    iom_grade letters = {g->source, g->assessment, g->handling, g->handling == 'C' ? "-" : NULL};
    if (grade_check(&letters, NULL) != IOM_OK) {
        snprintf(out, GRADE_DISPLAY_MAX, "?");
        return out;
    }
    out[0] = g->source, out[1] = g->assessment, out[2] = ' ', out[3] = g->handling;
    out[4] = '\0';
    return out;
}

static const grade_legacy_map default_map = {
    .source = {'1', '1', '2', '3', '2'},     /* A, B -> 1; C, E -> 2; D -> 3 */
    .assessment = {'A', 'A', 'B', 'C', 'E'}, /* 1, 2 -> A; 3 -> B; 4 -> C; 5 -> E */
    .handling = {'P', 'P', 'P', 'C', 'C'},   /* 1, 2, 3 -> P; 4, 5 -> C */
    .conditions = {NULL, NULL, NULL, "5x5x5 handling code 4", "5x5x5 handling code 5"},
};

const grade_legacy_map *grade_legacy_default(void) { return &default_map; }

iom_err grade_legacy_map_check(const grade_legacy_map *m, iom_error *e)
{
    if (!m)
        return iom_fail(e, IOM_EINVAL, "legacy map: missing");
    for (int i = 0; i < 5; i++) {
        if (!source_ok(m->source[i]))
            return iom_fail(e, IOM_EINVAL, "legacy map: source %c maps to '%c', not 1, 2 or 3",
                            'A' + i, m->source[i] ? m->source[i] : ' ');
        if (!assessment_ok(m->assessment[i]))
            return iom_fail(e, IOM_EINVAL, "legacy map: intelligence %d maps to '%c', not A-E",
                            i + 1, m->assessment[i] ? m->assessment[i] : ' ');
        if (!handling_ok(m->handling[i]))
            return iom_fail(e, IOM_EINVAL, "legacy map: handling %d maps to '%c', not P or C",
                            i + 1, m->handling[i] ? m->handling[i] : ' ');
        if (m->handling[i] == 'C' && blank(m->conditions[i]))
            return iom_fail(e, IOM_EINVAL, "legacy map: handling %d maps to C without condition "
                                           "text; rule: a C item must carry its conditions", i + 1);
    }
    return IOM_OK;
}

iom_err grade_from_legacy(iom_grade *out, char original[GRADE_LEGACY_MAX], const char *legacy,
                          const grade_legacy_map *map, iom_error *e)
{
    if (!map)
        map = &default_map;
    iom_err rc = grade_legacy_map_check(map, e);
    if (rc != IOM_OK)
        return rc;
    if (!legacy || !*legacy)
        return iom_fail(e, IOM_EINVAL, "legacy grade: missing");
    char shown[24];
    snprintf(shown, sizeof shown, "%.16s%s", legacy, strlen(legacy) > 16 ? "..." : "");
    /* letter, digit, [sep] digit with at most one separator between each part */
    char c[3];
    int k = 0;
    const char *p = legacy;
    for (int part = 0; part < 3; part++) {
        if (part > 0 && (*p == ' ' || *p == '/' || *p == '-'))
            p++;
        if (!*p)
            break;
        c[k++] = upper(*p++);
    }
    if (k != 3 || *p)
        return iom_fail(e, IOM_EINVAL, "legacy grade: '%s' is not a 5x5x5 code such as B24 "
                                       "(source A-E, intelligence 1-5, handling 1-5)", shown);
    if (c[0] < 'A' || c[0] > 'E')
        return iom_fail(e, IOM_EINVAL, "legacy grade: '%s': source '%c' is not A-E", shown, c[0]);
    if (c[1] < '1' || c[1] > '5')
        return iom_fail(e, IOM_EINVAL, "legacy grade: '%s': intelligence '%c' is not 1-5", shown,
                        c[1]);
    if (c[2] < '1' || c[2] > '5')
        return iom_fail(e, IOM_EINVAL, "legacy grade: '%s': handling '%c' is not 1-5", shown,
                        c[2]);
    int hs = c[2] - '1';
    char h = map->handling[hs];
    *out = (iom_grade){map->source[c[0] - 'A'], map->assessment[c[1] - '1'], h,
                       h == 'C' ? map->conditions[hs] : NULL};
    original[0] = c[0], original[1] = c[1], original[2] = c[2], original[3] = '\0';
    return IOM_OK;
}

static const char *const pnd_words[IOM_PND_COUNT] = {"pending", "recorded", "not_required"};

const char *grade_pnd_name(iom_pnd_status s)
{
    return (unsigned)s < IOM_PND_COUNT ? pnd_words[s] : "?";
}

iom_err grade_pnd_parse(const char *s, iom_pnd_status *out, iom_error *e)
{
    for (int i = 0; s && i < IOM_PND_COUNT; i++)
        if (strcmp(s, pnd_words[i]) == 0) {
            *out = (iom_pnd_status)i;
            return IOM_OK;
        }
    return iom_fail(e, IOM_EINVAL, "pnd: '%.48s' is not one of: pending, recorded, not_required",
                    s ? s : "");
}

static bool given(const char *s) { return s && *s; }

iom_err grade_pnd_check(iom_pnd_status s, const char *pnd_ref, const char *pnd_date,
                        const char *reason, iom_error *e)
{
    return grade_pnd_check_as(s, pnd_ref, pnd_date, reason, "pnd_reason", e);
}

iom_err grade_pnd_check_as(iom_pnd_status s, const char *pnd_ref, const char *pnd_date,
                           const char *reason, const char *reason_field, iom_error *e)
{
    switch (s) {
    case IOM_PND_PENDING:
        if (given(pnd_ref) || given(pnd_date) || given(reason))
            return iom_fail(e, IOM_EINVAL, "pnd: status 'pending' takes no PND reference, date "
                                           "or reason; rule: those belong to recorded or "
                                           "not_required");
        return IOM_OK;
    case IOM_PND_RECORDED:
        if (blank(pnd_ref))
            return iom_fail(e, IOM_EINVAL, "pnd_ref: missing for status 'recorded'; rule: a "
                                           "recorded item carries its PND reference and date");
        if (!given(pnd_date))
            return iom_fail(e, IOM_EINVAL, "pnd_date: missing for status 'recorded'; rule: a "
                                           "recorded item carries its PND reference and date");
        if (given(reason))
            return iom_fail(e, IOM_EINVAL, "%s: given for status 'recorded'; rule: a "
                                           "reason belongs to not_required", reason_field);
        return iom_date_check("pnd_date", pnd_date, e);
    case IOM_PND_NOT_REQUIRED:
        if (blank(reason))
            return iom_fail(e, IOM_EINVAL, "%s: missing for status 'not_required'; "
                                           "rule: not_required carries the reason", reason_field);
        if (given(pnd_ref) || given(pnd_date))
            return iom_fail(e, IOM_EINVAL, "pnd: status 'not_required' takes no PND reference "
                                           "or date; rule: those belong to recorded");
        return IOM_OK;
    case IOM_PND_COUNT:
        break;
    }
    return iom_fail(e, IOM_EINVAL, "pnd: status %d is not pending, recorded or not_required",
                    (int)s);
}
