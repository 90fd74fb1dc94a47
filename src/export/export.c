/*
 * export.c: the chart's vocabulary, its check, its handling summary, the format switch and the
 * text helpers every writer uses (export.h, export_int.h).
 */
#include "export/export.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/export_int.h"
#include "util/jsonw.h"
#include "util/text.h"
#include "util/timefmt.h"
#include "util/words.h"

static const char *const entity_type_names[EXPORT_ENTITY_TYPE_COUNT] = {
    "person", "organisation", "address", "phone", "vehicle",
    "account", "location", "online_identity", "event",
};
static const char *const entity_type_titles[EXPORT_ENTITY_TYPE_COUNT] = {
    "Person", "Organisation", "Address", "Phone", "Vehicle",
    "Account", "Location", "Online identity", "Event",
};
static const char *const source_kind_names[EXPORT_SOURCE_KIND_COUNT] = {
    "dataset_row", "intelligence_item", "analysis_import",
};
static const char *const source_kind_titles[EXPORT_SOURCE_KIND_COUNT] = {
    "Dataset record", "Intelligence item", "Import of transactions or call records",
};
static const char *const format_names[EXPORT_FORMAT_COUNT] = {"anx", "graphml", "csv", "json"};
static const char *const format_media[EXPORT_FORMAT_COUNT] = {
    "application/xml", "application/graphml+xml", "text/csv; charset=utf-8", "application/json",
};

const char *export_entity_type_name(export_entity_type t)
{
    return iom_word_name(entity_type_names, EXPORT_ENTITY_TYPE_COUNT, (int)t);
}

const char *export_entity_type_title(export_entity_type t)
{
    return iom_word_name(entity_type_titles, EXPORT_ENTITY_TYPE_COUNT, (int)t);
}

iom_err export_entity_type_parse(const char *s, export_entity_type *out, iom_error *e)
{
    int i = 0;
    iom_err rc = iom_word_parse("entity type", s, entity_type_names, EXPORT_ENTITY_TYPE_COUNT,
                                &i, e);
    if (rc == IOM_OK)
        *out = (export_entity_type)i;
    return rc;
}

const char *export_source_kind_name(export_source_kind k)
{
    return iom_word_name(source_kind_names, EXPORT_SOURCE_KIND_COUNT, (int)k);
}

const char *export_source_kind_title(export_source_kind k)
{
    return iom_word_name(source_kind_titles, EXPORT_SOURCE_KIND_COUNT, (int)k);
}

const char *export_format_name(export_format f)
{
    return iom_word_name(format_names, EXPORT_FORMAT_COUNT, (int)f);
}

const char *export_format_media_type(export_format f)
{
    return iom_word_name(format_media, EXPORT_FORMAT_COUNT, (int)f);
}

iom_err export_format_parse(const char *s, export_format *out, iom_error *e)
{
    int i = 0;
    iom_err rc = iom_word_parse("format", s, format_names, EXPORT_FORMAT_COUNT, &i, e);
    if (rc == IOM_OK)
        *out = (export_format)i;
    return rc;
}

/* ---- text helpers ---------------------------------------------------------------------- */

size_t ex_utf8_next(const unsigned char *s, uint32_t *cp)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t n;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2, v = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3, v = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4, v = c & 0x07, min = 0x10000;
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    for (size_t i = 1; i < n; i++) {
        unsigned d = s[i]; /* a NUL ends the string: it is not a continuation byte */
        if ((d & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        v = (v << 6) | (d & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        *cp = 0xFFFD;
        return 1;
    }
    *cp = v;
    return n;
}

void ex_put_cp(iom_buf *b, uint32_t cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp, n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6)), u[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12)), u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18)), u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), u[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
    }
    iom_buf_append(b, u, n);
}

void ex_clean(iom_buf *b, const char *s)
{
    if (!s)
        return;
    size_t len = strlen(s);
    if (iom_utf8_valid(s, len)) {
        iom_buf_append(b, s, len);
        return;
    }
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t cp;
        size_t n = ex_utf8_next(p, &cp);
        if (cp == 0xFFFD && n == 1 && *p >= 0x80)
            ex_put_cp(b, 0xFFFD);
        else
            iom_buf_append(b, p, n);
        p += n;
    }
}

void ex_xml(iom_buf *b, const char *s, bool attr)
{
    if (!s)
        return;
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *run = p; /* start of bytes to copy unchanged */
    while (*p) {
        unsigned c = *p;
        const char *rep = NULL;
        size_t n = 1;
        uint32_t cp = c;
        if (c >= 0x80) {
            n = ex_utf8_next(p, &cp);
            if (cp == 0xFFFD || cp == 0xFFFE || cp == 0xFFFF)
                rep = "\xEF\xBF\xBD";
        } else {
            switch (c) {
            case '&': rep = "&amp;"; break;
            case '<': rep = "&lt;"; break;
            case '>': rep = "&gt;"; break;
            case '"': rep = attr ? "&quot;" : NULL; break;
            case '\'': rep = attr ? "&apos;" : NULL; break;
            case '\t': rep = attr ? "&#9;" : NULL; break;
            case '\n': rep = attr ? "&#10;" : NULL; break;
            case '\r': rep = "&#13;"; break;
            default:
                if (c < 0x20)
                    rep = "\xEF\xBF\xBD";
                break;
            }
        }
        if (rep) {
            iom_buf_append(b, run, (size_t)(p - run));
            iom_buf_puts(b, rep);
            p += n;
            run = p;
        } else {
            p += n;
        }
    }
    iom_buf_append(b, run, (size_t)(p - run));
}

void ex_json_str(iom_buf *b, const char *s)
{
    if (!s)
        s = "";
    if (jsonw_utf8_ok(s)) {
        jsonw_str(b, s);
        return;
    }
    iom_buf tmp = IOM_BUF_INIT;
    ex_clean(&tmp, s);
    jsonw_str(b, iom_buf_cstr(&tmp));
    iom_buf_free(&tmp);
}

void ex_double(iom_buf *b, double v)
{
    char s[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(s, sizeof s, "%.*g", prec, v);
        if (strtod(s, NULL) == v)
            break;
    }
    iom_buf_puts(b, s);
}

void ex_json_sources(iom_buf *b, const export_facts *f)
{
    iom_buf_putc(b, '[');
    for (size_t i = 0; i < f->nsources; i++) {
        const export_source *s = &f->sources[i];
        if (i)
            iom_buf_putc(b, ',');
        iom_buf_putc(b, '{');
        jsonw_key(b, "type");
        jsonw_str(b, export_source_kind_name(s->kind));
        iom_buf_putc(b, ',');
        jsonw_key(b, "ref");
        ex_json_str(b, s->ref);
        if (s->grade.source) {
            char g[GRADE_DISPLAY_MAX];
            iom_buf_putc(b, ',');
            jsonw_key(b, "grade");
            jsonw_str(b, grade_format(&s->grade, g));
            if (s->grade.handling == 'C') {
                iom_buf_putc(b, ',');
                jsonw_key(b, "conditions");
                ex_json_str(b, s->grade.conditions);
            }
        }
        if (s->seen) {
            iom_buf_putc(b, ',');
            jsonw_key(b, "seen");
            jsonw_str(b, s->seen);
        }
        iom_buf_putc(b, '}');
    }
    iom_buf_putc(b, ']');
}

void ex_json_attrs(iom_buf *b, const export_facts *f)
{
    iom_buf_putc(b, '{');
    for (size_t i = 0; i < f->nattrs; i++) {
        if (i)
            iom_buf_putc(b, ',');
        ex_json_str(b, f->attrs[i].key);
        iom_buf_putc(b, ':');
        if (f->attrs[i].number)
            iom_buf_puts(b, f->attrs[i].value); /* checked: a JSON number */
        else
            ex_json_str(b, f->attrs[i].value);
    }
    iom_buf_putc(b, '}');
}

bool ex_number_text(const char *s)
{
    if (!s)
        return false;
    if (*s == '-')
        s++;
    if (*s == '0')
        s++;
    else if (*s >= '1' && *s <= '9')
        while (*s >= '0' && *s <= '9')
            s++;
    else
        return false;
    if (*s == '.') {
        s++;
        if (!(*s >= '0' && *s <= '9'))
            return false;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    return *s == '\0';
}

void ex_generated(const export_chart *c, char out[32])
{
    iom_time_utc(c->generated_at, out);
}

int ex_grade_one(const iom_grade *g) { return g->source - '1'; }
int ex_grade_two(const iom_grade *g) { return g->assessment - 'A'; }
int ex_grade_three(const iom_grade *g) { return g->handling == 'C' ? 1 : 0; }

/* ---- attribute keys -------------------------------------------------------------------- */

static void keys_add(ex_keys *k, const export_facts *f)
{
    for (size_t i = 0; i < f->nattrs; i++) {
        const char *key = f->attrs[i].key;
        int added = 0;
        uint32_t id = conflate_strtab_intern(&k->tab, key, strlen(key), &added);
        if (added) {
            k->names = realloc(k->names, sizeof *k->names * id);
            k->number = realloc(k->number, sizeof *k->number * id);
            if (!k->names || !k->number)
                abort();
            k->names[id - 1] = NULL;
            k->number[id - 1] = true;
            k->n = id;
        }
        if (!f->attrs[i].number)
            k->number[id - 1] = false;
    }
}

void ex_keys_build(ex_keys *k, const export_chart *c, bool entities, bool links,
                   const char *const *reserved)
{
    memset(k, 0, sizeof *k);
    conflate_strtab_init(&k->tab);
    if (entities)
        for (size_t i = 0; i < c->nentities; i++)
            keys_add(k, &c->entities[i].f);
    if (links)
        for (size_t i = 0; i < c->nlinks; i++)
            keys_add(k, &c->links[i].f);
    /* Names in use: the reserved ones and every key that clashes with none of them. A key
       that clashes is shown as "attribute: KEY", prefixed again while that is in use too. */
    conflate_strtab used;
    conflate_strtab_init(&used);
    int added = 0;
    for (const char *const *r = reserved; r && *r; r++)
        (void)conflate_strtab_intern(&used, *r, strlen(*r), &added);
    uint32_t nreserved = used.n;
    for (uint32_t id = 1; id <= k->n; id++) {
        const char *key = k->tab.chars + k->tab.off[id];
        uint32_t u = conflate_strtab_intern(&used, key, strlen(key), &added);
        if (u > nreserved) {
            k->names[id - 1] = strdup(key);
            if (!k->names[id - 1])
                abort();
        }
    }
    for (uint32_t id = 1; id <= k->n; id++) {
        if (k->names[id - 1])
            continue;
        const char *key = k->tab.chars + k->tab.off[id];
        iom_buf name = IOM_BUF_INIT;
        iom_buf_puts(&name, key);
        do {
            iom_buf tmp = IOM_BUF_INIT;
            iom_buf_puts(&tmp, "attribute: ");
            iom_buf_append(&tmp, name.data, name.len);
            iom_buf_free(&name);
            name = tmp;
            (void)conflate_strtab_intern(&used, name.data, name.len, &added);
        } while (!added);
        k->names[id - 1] = name.data; /* the buffer's malloc'd text */
    }
    conflate_strtab_free(&used);
}

uint32_t ex_keys_id(ex_keys *k, const char *key)
{
    int added = 0;
    return conflate_strtab_intern(&k->tab, key, strlen(key), &added);
}

void ex_keys_free(ex_keys *k)
{
    for (uint32_t i = 0; i < k->n; i++)
        free(k->names[i]);
    free(k->names);
    free(k->number);
    conflate_strtab_free(&k->tab);
    memset(k, 0, sizeof *k);
}

/* ---- the check ------------------------------------------------------------------------- */

static iom_err text_len(const char *what, const char *field, const char *s, iom_error *e)
{
    if (s && strlen(s) > EXPORT_MAX_TEXT)
        return iom_fail(e, IOM_ETOOBIG, "%s: %s is longer than %u bytes", what, field,
                        EXPORT_MAX_TEXT);
    return IOM_OK;
}

static iom_err id_check(const char *what, const char *field, const char *s, iom_error *e)
{
    if (!s || !*s)
        return iom_fail(e, IOM_EINVAL, "%s: %s is empty", what, field);
    size_t n = strlen(s);
    if (n > EXPORT_MAX_ID)
        return iom_fail(e, IOM_EINVAL, "%s: %s is longer than %u bytes", what, field,
                        EXPORT_MAX_ID);
    if (!iom_utf8_valid(s, n))
        return iom_fail(e, IOM_EINVAL, "%s: %s is not valid UTF-8", what, field);
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t cp;
        p += ex_utf8_next(p, &cp);
        if (cp < 0x20 || cp == 0x7F || cp == 0xFFFE || cp == 0xFFFF)
            return iom_fail(e, IOM_EINVAL, "%s: %s holds a control character", what, field);
    }
    return IOM_OK;
}

/* Puts "WHAT: " before the message a callee left in *e. */
static iom_err prefixed(iom_error *e, iom_err rc, const char *what)
{
    char msg[IOM_ERRMSG_MAX];
    snprintf(msg, sizeof msg, "%s", e ? e->msg : "");
    return iom_fail(e, rc, "%s: %s", what, msg);
}

static iom_err facts_check(const char *what, const export_facts *f, iom_error *e)
{
    iom_err rc;
    if ((rc = text_len(what, "label", f->label, e)) != IOM_OK)
        return rc;
    if (f->first_seen && (rc = iom_date_check("first seen", f->first_seen, e)) != IOM_OK)
        return prefixed(e, rc, what);
    if (f->last_seen && (rc = iom_date_check("last seen", f->last_seen, e)) != IOM_OK)
        return prefixed(e, rc, what);
    if (f->first_seen && f->last_seen && strcmp(f->last_seen, f->first_seen) < 0)
        return iom_fail(e, IOM_EINVAL, "%s: last seen %s is before first seen %s", what,
                        f->last_seen, f->first_seen);
    if (f->time) {
        const char *t = f->time;
        bool ok = strlen(t) == 8 && t[2] == ':' && t[5] == ':';
        for (int i = 0; ok && i < 8; i++)
            ok = i == 2 || i == 5 || (t[i] >= '0' && t[i] <= '9');
        if (!ok || (t[0] - '0') * 10 + (t[1] - '0') > 23 || t[3] > '5' || t[6] > '5')
            return iom_fail(e, IOM_EINVAL, "%s: time is not HH:MM:SS", what);
        if (!f->first_seen)
            return iom_fail(e, IOM_EINVAL, "%s: a time without a first-seen date", what);
    }
    if (!isfinite(f->confidence) || f->confidence < 0 || f->confidence > 1)
        return iom_fail(e, IOM_EINVAL, "%s: confidence %g is not between 0 and 1", what,
                        f->confidence);
    if ((rc = grade_check(&f->grade, e)) != IOM_OK)
        return prefixed(e, rc, what);
    if ((rc = text_len(what, "handling conditions", f->grade.conditions, e)) != IOM_OK)
        return rc;
    if ((int)f->marking < 0 || f->marking >= IOM_MARKING_COUNT)
        return iom_fail(e, IOM_EINVAL, "%s: marking %d is not a marking iom knows", what,
                        (int)f->marking);
    if (f->nattrs && !f->attrs)
        return iom_fail(e, IOM_EINVAL, "%s: %zu attributes but no array", what, f->nattrs);
    for (size_t i = 0; i < f->nattrs; i++) {
        const char *k = f->attrs[i].key;
        if (!k || !*k)
            return iom_fail(e, IOM_EINVAL, "%s: attribute %zu has an empty key", what, i + 1);
        /* keys name columns, GraphML keys and ANX attribute classes: two keys that a repair
           would make equal must not reach a writer, so keys follow the rules of ids */
        char field[48];
        snprintf(field, sizeof field, "attribute %zu's key", i + 1);
        if ((rc = id_check(what, field, k, e)) != IOM_OK ||
            (rc = text_len(what, "an attribute value", f->attrs[i].value, e)) != IOM_OK)
            return rc;
        if (f->attrs[i].number && !ex_number_text(f->attrs[i].value))
            return iom_fail(e, IOM_EINVAL, "%s: attribute %zu is a number but its value is not a "
                            "decimal number", what, i + 1);
        for (size_t j = 0; j < i; j++)
            if (strcmp(f->attrs[j].key, k) == 0)
                return iom_fail(e, IOM_EINVAL, "%s: attribute key given twice (attribute %zu)",
                                what, i + 1);
    }
    if (f->nsources && !f->sources)
        return iom_fail(e, IOM_EINVAL, "%s: %zu sources but no array", what, f->nsources);
    for (size_t i = 0; i < f->nsources; i++) {
        const export_source *s = &f->sources[i];
        if ((int)s->kind < 0 || s->kind >= EXPORT_SOURCE_KIND_COUNT)
            return iom_fail(e, IOM_EINVAL, "%s: source %zu has an unknown kind %d", what, i + 1,
                            (int)s->kind);
        if (!s->ref || !*s->ref)
            return iom_fail(e, IOM_EINVAL, "%s: source %zu has an empty reference", what, i + 1);
        if ((rc = text_len(what, "a source reference", s->ref, e)) != IOM_OK)
            return rc;
        char field[48];
        snprintf(field, sizeof field, "source %zu", i + 1);
        if (s->grade.source && (rc = grade_check(&s->grade, e)) != IOM_OK)
            return prefixed(e, rc, what);
        if (s->grade.source && (rc = text_len(what, "a source's handling conditions", s->grade.conditions,
                                              e)) != IOM_OK)
            return rc;
        if (s->seen && (rc = iom_date_check(field, s->seen, e)) != IOM_OK)
            return prefixed(e, rc, what);
    }
    return IOM_OK;
}

/* "entity 'E1'" (the id is checked first, so it is printable); shortened to fit. */
static void item_name(char out[300], const char *kind, const char *id)
{
    snprintf(out, 300, "%s '%.256s'", kind, id);
}

iom_err export_chart_check(const export_chart *c, iom_error *e)
{
    iom_err rc;
    if (!c)
        return iom_fail(e, IOM_EINVAL, "chart: none given");
    if (c->nentities > EXPORT_MAX_ITEMS || c->nlinks > EXPORT_MAX_ITEMS)
        return iom_fail(e, IOM_ETOOBIG, "chart: %zu entities and %zu links (at most %u of each)",
                        c->nentities, c->nlinks, EXPORT_MAX_ITEMS);
    if ((c->nentities && !c->entities) || (c->nlinks && !c->links))
        return iom_fail(e, IOM_EINVAL, "chart: a count without its array");
    if ((int)c->marking < 0 || c->marking >= IOM_MARKING_COUNT)
        return iom_fail(e, IOM_EINVAL, "chart: marking %d is not a marking iom knows",
                        (int)c->marking);
    if ((rc = text_len("chart", "title", c->title, e)) != IOM_OK ||
        (rc = text_len("chart", "tasking reference", c->tasking_ref, e)) != IOM_OK)
        return rc;

    conflate_strtab ids;
    conflate_strtab_init(&ids);
    char name[300];
    rc = IOM_OK;
    for (size_t i = 0; i < c->nentities && rc == IOM_OK; i++) {
        const export_entity *en = &c->entities[i];
        snprintf(name, sizeof name, "entity %zu", i + 1);
        if ((rc = id_check(name, "id", en->id, e)) != IOM_OK)
            break;
        item_name(name, "entity", en->id);
        if ((int)en->type < 0 || en->type >= EXPORT_ENTITY_TYPE_COUNT) {
            rc = iom_fail(e, IOM_EINVAL, "%s: type %d is not an entity type", name, (int)en->type);
            break;
        }
        int added = 0;
        conflate_strtab_intern(&ids, en->id, strlen(en->id), &added);
        if (!added) {
            rc = iom_fail(e, IOM_EINVAL, "%s: two entities have this id", name);
            break;
        }
        rc = facts_check(name, &en->f, e);
    }
    uint32_t nent = ids.n;
    conflate_strtab lids;
    conflate_strtab_init(&lids);
    for (size_t i = 0; i < c->nlinks && rc == IOM_OK; i++) {
        const export_link *l = &c->links[i];
        snprintf(name, sizeof name, "link %zu", i + 1);
        if ((rc = id_check(name, "id", l->id, e)) != IOM_OK)
            break;
        item_name(name, "link", l->id);
        if ((rc = id_check(name, "end1", l->end1, e)) != IOM_OK ||
            (rc = id_check(name, "end2", l->end2, e)) != IOM_OK)
            break;
        if ((rc = id_check(name, "type", l->type, e)) != IOM_OK)
            break;
        int added = 0;
        conflate_strtab_intern(&lids, l->id, strlen(l->id), &added);
        if (!added) {
            rc = iom_fail(e, IOM_EINVAL, "%s: two links have this id", name);
            break;
        }
        const char *ends[2] = {l->end1, l->end2};
        for (int k = 0; k < 2 && rc == IOM_OK; k++) {
            uint32_t id = conflate_strtab_intern(&ids, ends[k], strlen(ends[k]), &added);
            if (id > nent)
                rc = iom_fail(e, IOM_EINVAL, "%s: end%d '%.256s' is not an entity of the chart",
                              name, k + 1, ends[k]);
        }
        if (rc == IOM_OK)
            rc = facts_check(name, &l->f, e);
    }
    conflate_strtab_free(&lids);
    conflate_strtab_free(&ids);
    return rc;
}

/* ---- handling -------------------------------------------------------------------------- */

static void handling_add(export_handling *h, conflate_strtab *seen, size_t *cap,
                         const export_facts *f)
{
    if (f->marking > h->marking)
        h->marking = f->marking;
    if (f->grade.handling != 'C')
        return;
    h->conditional = true;
    const char *cond = f->grade.conditions;
    int added = 0;
    conflate_strtab_intern(seen, cond, strlen(cond), &added);
    if (!added)
        return;
    if (h->nconditions == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        h->conditions = realloc(h->conditions, sizeof *h->conditions * *cap);
        if (!h->conditions)
            abort();
    }
    h->conditions[h->nconditions++] = cond;
}

iom_err export_handling_of(const export_chart *c, export_handling *out, iom_error *e)
{
    memset(out, 0, sizeof *out);
    iom_err rc = export_chart_check(c, e);
    if (rc != IOM_OK)
        return rc;
    conflate_strtab seen;
    conflate_strtab_init(&seen);
    size_t cap = 0;
    out->marking = c->marking;
    for (size_t i = 0; i < c->nentities; i++)
        handling_add(out, &seen, &cap, &c->entities[i].f);
    for (size_t i = 0; i < c->nlinks; i++)
        handling_add(out, &seen, &cap, &c->links[i].f);
    conflate_strtab_free(&seen);
    return IOM_OK;
}

void export_handling_free(export_handling *h)
{
    free(h->conditions);
    memset(h, 0, sizeof *h);
}

iom_err export_write(export_format f, const export_chart *c, iom_buf *out, iom_error *e)
{
    switch (f) {
    case EXPORT_ANX: return export_write_anx(c, out, e);
    case EXPORT_GRAPHML: return export_write_graphml(c, out, e);
    case EXPORT_CSV: return export_write_csv(c, out, e);
    case EXPORT_JSON: return export_write_json(c, out, e);
    case EXPORT_FORMAT_COUNT: break;
    }
    return iom_fail(e, IOM_EINVAL, "format: %d is not an export format", (int)f);
}
