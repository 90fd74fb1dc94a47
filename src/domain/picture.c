#include "domain/picture.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "util/words.h"

static const char *const entity_names[PIC_ENTITY_TYPE_COUNT] = {
    "person", "organisation", "address", "phone", "vehicle",
    "account", "location", "online_identity", "event"};

static const char *const link_names[PIC_LINK_TYPE_COUNT] = {
    "associate",     "family",   "employs",  "lives_at",     "uses_phone",
    "uses",          "uses_vehicle", "holds_account", "pays", "controls",
    "travels_with",  "victim_of", "exploits", "located_at",  "attended", "contacts"};

static const char *const level_names[PIC_LEVEL_COUNT] = {"national", "regional", "local"};

static const char *const role_names[PIC_ROLE_COUNT] = {
    "id",       "first_name", "middle_name", "surname",   "full_name", "dob",
    "sex",      "ni_number",  "pnc_id",      "address",   "postcode",  "town",
    "phone",    "email",      "online_id",   "vehicle",   "sort_code", "account",
    "organisation", "date",      "age"};

const char *picture_entity_type_name(picture_entity_type t)
{
    return iom_word_name(entity_names, PIC_ENTITY_TYPE_COUNT, (int)t);
}

iom_err picture_entity_type_parse(const char *s, picture_entity_type *out, iom_error *e)
{
    int i = 0;
    iom_err rc = iom_word_parse("type", s, entity_names, PIC_ENTITY_TYPE_COUNT, &i, e);
    if (!rc)
        *out = (picture_entity_type)i;
    return rc;
}

const char *picture_link_type_name(picture_link_type t)
{
    return iom_word_name(link_names, PIC_LINK_TYPE_COUNT, (int)t);
}

iom_err picture_link_type_parse(const char *s, picture_link_type *out, iom_error *e)
{
    int i = 0;
    iom_err rc = iom_word_parse("type", s, link_names, PIC_LINK_TYPE_COUNT, &i, e);
    if (!rc)
        *out = (picture_link_type)i;
    return rc;
}

bool picture_link_directed(picture_link_type t)
{
    return t != PIC_ASSOCIATE && t != PIC_FAMILY && t != PIC_TRAVELS_WITH && t != PIC_CONTACTS && t < PIC_LINK_TYPE_COUNT;
}

#define TB(t) (1u << (t))
#define T_PARTY (TB(PIC_PERSON) | TB(PIC_ORGANISATION))
#define T_ANY ((1u << PIC_ENTITY_TYPE_COUNT) - 1u)
#define T_PLACE (TB(PIC_ADDRESS) | TB(PIC_LOCATION))

/* The entity types each link type joins, by from and to (as data; undirected types either
   way round). The links made by a dataset's roles (person lives_at address, uses_phone phone,
   uses online_identity, uses_vehicle vehicle, holds_account account; organisation employs
   person), a transactions import (account pays account; person or organisation holds_account)
   and a call-records import (phone contacts phone) are in it. */
static const struct {
    unsigned from, to;
} link_ends[PIC_LINK_TYPE_COUNT] = {
    [PIC_ASSOCIATE] = {T_PARTY, T_PARTY},
    [PIC_FAMILY] = {TB(PIC_PERSON), TB(PIC_PERSON)},
    [PIC_EMPLOYS] = {TB(PIC_ORGANISATION), TB(PIC_PERSON)},
    [PIC_LIVES_AT] = {TB(PIC_PERSON), T_PLACE},
    [PIC_USES_PHONE] = {T_PARTY, TB(PIC_PHONE)},
    [PIC_USES] = {T_PARTY, TB(PIC_ONLINE_IDENTITY)},
    [PIC_USES_VEHICLE] = {T_PARTY, TB(PIC_VEHICLE)},
    [PIC_HOLDS_ACCOUNT] = {T_PARTY, TB(PIC_ACCOUNT)},
    [PIC_PAYS] = {T_PARTY | TB(PIC_ACCOUNT), T_PARTY | TB(PIC_ACCOUNT)},
    [PIC_CONTROLS] = {T_PARTY, T_ANY},
    [PIC_TRAVELS_WITH] = {TB(PIC_PERSON), TB(PIC_PERSON)},
    [PIC_VICTIM_OF] = {TB(PIC_PERSON), T_PARTY | TB(PIC_EVENT)},
    [PIC_EXPLOITS] = {T_PARTY, TB(PIC_PERSON)},
    [PIC_LOCATED_AT] = {T_ANY, T_PLACE},
    [PIC_ATTENDED] = {T_PARTY, TB(PIC_EVENT)},
    [PIC_CONTACTS] = {TB(PIC_PHONE), TB(PIC_PHONE)},
};

static void type_list(unsigned mask, char *out, size_t cap)
{
    size_t used = 0;
    out[0] = 0;
    if (mask == T_ANY) {
        snprintf(out, cap, "any type");
        return;
    }
    for (int i = 0; i < PIC_ENTITY_TYPE_COUNT && used < cap; i++)
        if (mask & TB(i)) {
            int w = snprintf(out + used, cap - used, "%s%s", used ? ", " : "", entity_names[i]);
            used += w > 0 ? (size_t)w : 0;
        }
}

iom_err picture_link_allowed(picture_link_type t, picture_entity_type from, picture_entity_type to, iom_error *e)
{
    if ((unsigned)t >= PIC_LINK_TYPE_COUNT || (unsigned)from >= PIC_ENTITY_TYPE_COUNT ||
        (unsigned)to >= PIC_ENTITY_TYPE_COUNT)
        return iom_fail(e, IOM_EINVAL, "type: unknown link or entity type");
    unsigned f = link_ends[t].from, k = link_ends[t].to;
    if (((f & TB(from)) && (k & TB(to))) || (!picture_link_directed(t) && (f & TB(to)) && (k & TB(from))))
        return IOM_OK;
    char fs[160], ks[160];
    type_list(f, fs, sizeof fs);
    type_list(k, ks, sizeof ks);
    return iom_fail(e, IOM_EINVAL, "type: %s does not link %s to %s (it links %s %s %s)", link_names[t],
                    entity_names[from], entity_names[to], fs, picture_link_directed(t) ? "to" : "with", ks);
}

const char *picture_level_name(picture_level l) { return iom_word_name(level_names, PIC_LEVEL_COUNT, (int)l); }

iom_err picture_level_parse(const char *s, picture_level *out, iom_error *e)
{
    int i = 0;
    iom_err rc = iom_word_parse("level", s, level_names, PIC_LEVEL_COUNT, &i, e);
    if (!rc)
        *out = (picture_level)i;
    return rc;
}

const char *picture_role_name(picture_role r) { return iom_word_name(role_names, PIC_ROLE_COUNT, (int)r); }

iom_err picture_role_parse(const char *s, picture_role *out, iom_error *e)
{
    for (int i = 0; s && i < PIC_ROLE_COUNT; i++)
        if (strcmp(s, role_names[i]) == 0) {
            *out = (picture_role)i;
            return IOM_OK;
        }
    return iom_fail(e, IOM_EINVAL,
                    "field: unknown role '%.64s' (roles: id first_name middle_name surname full_name dob "
                    "sex ni_number pnc_id address postcode town phone email online_id vehicle "
                    "sort_code account organisation date age)",
                    s ? s : "");
}

bool picture_role_entity(picture_role r, picture_entity_type *type, picture_link_type *link)
{
    static const struct { picture_role r; picture_entity_type t; picture_link_type l; } made[] = {
        {PIC_R_ADDRESS, PIC_ADDRESS, PIC_LIVES_AT},         {PIC_R_PHONE, PIC_PHONE, PIC_USES_PHONE},
        {PIC_R_EMAIL, PIC_ONLINE_IDENTITY, PIC_USES},       {PIC_R_ONLINE_ID, PIC_ONLINE_IDENTITY, PIC_USES},
        {PIC_R_VEHICLE, PIC_VEHICLE, PIC_USES_VEHICLE},     {PIC_R_ACCOUNT, PIC_ACCOUNT, PIC_HOLDS_ACCOUNT},
        {PIC_R_ORGANISATION, PIC_ORGANISATION, PIC_EMPLOYS}};
    size_t i = 0;
    while (i < sizeof made / sizeof *made && made[i].r != r)
        i++;
    if (i == sizeof made / sizeof *made)
        return false;
    picture_entity_type t = made[i].t;
    picture_link_type l = made[i].l;
    if (type)
        *type = t;
    if (link)
        *link = l;
    return true;
}

iom_err picture_may_write(iom_tasking_state st, bool sia, iom_error *e)
{
    if (st == IOM_TS_IN_DEVELOPMENT)
        return IOM_OK;
    if (st == IOM_TS_TOR_AGREED || st == IOM_TS_REASSESSMENT) {
        if (sia)
            return IOM_OK;
        return iom_fail(e, IOM_EFORBIDDEN,
                        "picture: in %s only the tasking's SIA changes the picture (the assigned "
                        "team does while it is in_development)", lifecycle_state_name(st));
    }
    return iom_fail(e, IOM_ECONFLICT,
                    "picture: a tasking in %s cannot change its picture (in_development; the SIA "
                    "also in tor_agreed and reassessment)", lifecycle_state_name(st));
}

/* ---- normalised identifiers ------------------------------------------------------------ */

/* The digits of s, with a leading '+' noted; other separators ( ) - . space / skipped;
   "(0)" after a country code dropped. false on any other character or too many digits. */
static bool phone_digits(const char *s, char *d, size_t cap, bool *plus)
{
    size_t n = 0;
    *plus = false;
    while (*s == ' ')
        s++;
    if (*s == '+') {
        *plus = true;
        s++;
    }
    for (; *s; s++) {
        if (s[0] == '(' && s[1] == '0' && s[2] == ')' && (*plus || n == 2 || n == 4)) {
            s += 2;
            continue;
        }
        if (isdigit((unsigned char)*s)) {
            if (n + 1 >= cap)
                return false;
            d[n++] = *s;
        } else if (!strchr(" ()-./", *s)) {
            return false;
        }
    }
    d[n] = 0;
    return true;
}

iom_err picture_norm_phone(const char *in, char out[PIC_KEY_MAX], iom_error *e)
{
    char d[40];
    bool plus;
    if (!in || !phone_digits(in, d, sizeof d, &plus) || !d[0])
        goto bad;
    const char *p = d;
    if (!plus && strncmp(p, "00", 2) == 0) {
        plus = true;
        p += 2;
    }
    size_t n = strlen(p);
    if (!plus && p[0] == '0' && (n == 10 || n == 11)) {
        if (p[1] == '7' && n != 11) /* mobiles: 07 and nine more digits */
            goto bad;
        snprintf(out, PIC_KEY_MAX, "+44%s", p + 1);
        return IOM_OK;
    }
    if (!plus && strncmp(p, "44", 2) == 0 && (n == 11 || n == 12) && p[2] != '0')
        plus = true;
    if (!plus)
        goto bad;
    if (strncmp(p, "44", 2) == 0) {
        if (p[2] == '0') /* +44 0... written without the (0) brackets */
            memmove((char *)p + 2, p + 3, strlen(p + 3) + 1);
        n = strlen(p);
        if ((n != 11 && n != 12) || (p[2] == '7' && n != 12))
            goto bad;
    } else if (n < 8 || n > 15 || p[0] == '0') {
        goto bad;
    }
    snprintf(out, PIC_KEY_MAX, "+%s", p);
    return IOM_OK;
bad:
    return iom_fail(e, IOM_EINVAL,
                    "phone: '%.64s' is not a telephone number (a UK number such as 020 7946 0958 or "
                    "07700 900123, or +country code and number)",
                    in ? in : "");
}

iom_err picture_norm_vehicle(const char *in, char out[PIC_KEY_MAX], iom_error *e)
{
    size_t n = 0;
    for (const char *s = in ? in : ""; *s; s++) {
        if (isalnum((unsigned char)*s) && n < 9)
            out[n++] = (char)toupper((unsigned char)*s);
        else if (!strchr(" -", *s) || n >= 9)
            goto bad;
    }
    out[n] = 0;
    if (n >= 2 && n <= 8)
        return IOM_OK;
bad:
    out[0] = 0;
    return iom_fail(e, IOM_EINVAL,
                    "vehicle: '%.64s' is not a registration mark (2-8 letters and digits, such as "
                    "AB12 CDE)", in ? in : "");
}

/* Digits of s, skipping spaces and '-'; false on anything else or more than max digits. */
static bool digits_only(const char *s, char *d, size_t max)
{
    size_t n = 0;
    for (; s && *s; s++) {
        if (isdigit((unsigned char)*s)) {
            if (n >= max)
                return false;
            d[n++] = *s;
        } else if (!strchr(" -", *s)) {
            return false;
        }
    }
    d[n] = 0;
    return true;
}

iom_err picture_norm_account(const char *sort_code, const char *number, char out[PIC_KEY_MAX],
                             iom_error *e)
{
    char sc[8], acc[12];
    if (!digits_only(sort_code, sc, 6) || strlen(sc) != 6)
        return iom_fail(e, IOM_EINVAL, "sort_code: '%.64s' is not a sort code (6 digits, such as 11-22-33)",
                        sort_code ? sort_code : "");
    if (!digits_only(number, acc, 10) || strlen(acc) < 6)
        return iom_fail(e, IOM_EINVAL, "account: '%.64s' is not an account number (6-10 digits)",
                        number ? number : "");
    size_t n = strlen(acc);
    snprintf(out, PIC_KEY_MAX, "%s-%.*s%s", sc, n < 8 ? (int)(8 - n) : 0, "00", acc);
    return IOM_OK;
}

iom_err picture_norm_email(const char *in, char out[PIC_KEY_MAX], iom_error *e)
{
    const char *s = in ? in : "";
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    if (n == 0 || n >= PIC_KEY_MAX)
        goto bad;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch <= ' ' || ch == 0x7f)
            goto bad;
        out[i] = (char)tolower(ch);
    }
    out[n] = 0;
    const char *at = strchr(out, '@');
    if (!at || at == out || strchr(at + 1, '@') || !strchr(at + 1, '.') || at[1] == '.' ||
        out[n - 1] == '.')
        goto bad;
    return IOM_OK;
bad:
    out[0] = 0;
    return iom_fail(e, IOM_EINVAL, "email: '%.64s' is not an e-mail address", in ? in : "");
}

iom_err picture_norm_postcode(const char *in, char out[PIC_KEY_MAX], iom_error *e)
{
    char c[10];
    size_t n = 0;
    for (const char *s = in ? in : ""; *s; s++) {
        if (isalnum((unsigned char)*s) && n < 8)
            c[n++] = (char)toupper((unsigned char)*s);
        else if (*s != ' ' || n >= 8)
            goto bad;
    }
    c[n] = 0;
    if (n < 5 || n > 7 || !isalpha((unsigned char)c[0]) || !isdigit((unsigned char)c[n - 3]) ||
        !isalpha((unsigned char)c[n - 2]) || !isalpha((unsigned char)c[n - 1]))
        goto bad;
    snprintf(out, PIC_KEY_MAX, "%.*s %s", (int)(n - 3), c, c + n - 3);
    return IOM_OK;
bad:
    out[0] = 0;
    return iom_fail(e, IOM_EINVAL, "postcode: '%.64s' is not a UK postcode (such as LS1 1AA)",
                    in ? in : "");
}

iom_err picture_norm_text(const char *field, const char *in, char out[PIC_KEY_MAX], iom_error *e)
{
    size_t n = 0;
    bool gap = false;
    for (const unsigned char *s = (const unsigned char *)(in ? in : ""); *s && n < PIC_KEY_MAX - 2; s++) {
        if (isalnum(*s) || *s >= 0x80) {
            if (gap && n)
                out[n++] = ' ';
            gap = false;
            out[n++] = (char)toupper(*s);
        } else {
            gap = true;
        }
    }
    /* a key cut at its limit ends on a whole character (review 64: a long Polish company name
       cut inside a character was stored as invalid UTF-8 on SQLite, refused by PostgreSQL) */
    size_t lead = n;
    while (lead > 0 && n - lead < 4 && ((unsigned char)out[lead - 1] & 0xC0) == 0x80)
        lead--;
    if (lead > 0 && ((unsigned char)out[lead - 1] & 0x80)) {
        unsigned char b = (unsigned char)out[lead - 1];
        size_t want = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        if (n - (lead - 1) < want)
            n = lead - 1;
    }
    while (n > 0 && out[n - 1] == ' ')
        n--;
    out[n] = 0;
    if (n == 0)
        return iom_fail(e, IOM_EINVAL, "%s: '%.64s' has no letters or digits", field, in ? in : "");
    return IOM_OK;
}

/* ---- combining sources ----------------------------------------------------------------- */

iom_err picture_grade_combine(const iom_grade *src, size_t n, char *cond, size_t cap,
                              iom_grade *out, iom_error *e)
{
    if (n == 0)
        return iom_fail(e, IOM_EINVAL, "grade: nothing to combine (no sources)");
    iom_grade g = {'1', 'A', 'P', NULL};
    size_t used = 0;
    bool cut = false;
    if (cap)
        cond[0] = 0;
    for (size_t i = 0; i < n; i++) {
        iom_err rc = grade_check(&src[i], e);
        if (rc)
            return rc;
        if (src[i].source > g.source)
            g.source = src[i].source;
        if (src[i].assessment > g.assessment)
            g.assessment = src[i].assessment;
        if (src[i].handling != 'C')
            continue;
        g.handling = 'C';
        const char *c = src[i].conditions;
        /* distinct conditions only, each a whole string: compared with the earlier sources'
           conditions, never with pieces of the joined list (review 87 L2: a condition holding
           "; " never matched itself and was repeated once per source, and a condition "B" was
           taken as present when another read "A; B") */
        bool seen = false;
        size_t cl = strlen(c);
        for (size_t k = 0; k < i && !seen; k++)
            seen = src[k].handling == 'C' && src[k].conditions && strcmp(src[k].conditions, c) == 0;
        if (seen || cut)
            continue;
        size_t need = (used ? 2 : 0) + cl;
        if (used + need + 6 > cap) { /* room for "; ..." and the NUL */
            if (used + 6 <= cap) {
                memcpy(cond + used, "; ...", 6);
                used += 5;
            }
            cut = true;
            continue;
        }
        if (used) {
            memcpy(cond + used, "; ", 2);
            used += 2;
        }
        memcpy(cond + used, c, cl + 1);
        used += cl;
    }
    g.conditions = g.handling == 'C' ? cond : NULL;
    *out = g;
    return IOM_OK;
}

iom_marking picture_marking_combine(const iom_marking *m, size_t n)
{
    iom_marking r = IOM_MARKING_OFFICIAL;
    for (size_t i = 0; i < n; i++)
        if (m[i] > r)
            r = m[i];
    return r;
}

bool picture_cleared_for_all(iom_marking clearance, unsigned mask)
{
    return (mask >> ((unsigned)clearance + 1u)) == 0;
}

bool picture_sees_some(iom_marking clearance, unsigned mask)
{
    return (mask & ((2u << (unsigned)clearance) - 1u)) != 0;
}
