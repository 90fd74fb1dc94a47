/* The intelligence picture (app/picture.h): reading a dataset file and resolving a tasking's
   records into entities and links with the conflation engine (conflate/conflate.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/json.h"
#include "app/picture_int.h"
#include "app/search.h"
#include "app/settings.h"
#include "conflate/conflate.h"
#include "conflate/csvin.h"
#include "util/jsonr.h"
#include "util/text.h"

#define PS(c) ((c)->store->ops->picture)

/* ---- reading a dataset file -------------------------------------------------------------- */

typedef struct read_ctx {
    iom_ctx *c;
    const pic_mapping *map;
    int col[PIC_ROLE_COUNT];   /* column index of each mapped role, -1 when not mapped */
    bool header;
    pic_rows *rows;
    size_t line;
    size_t ncols;              /* the header's */
} read_ctx;

/* The length of the line break at s (n bytes left): CR LF, CR, LF, LINE or PARAGRAPH
   SEPARATOR (U+2028, U+2029); 0 when none starts there (NEL, U+0085, is refused above as a
   control character). */
static size_t line_break_at(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] == '\r')
        return n > 1 && u[1] == '\n' ? 2 : 1;
    if (u[0] == '\n')
        return 1;
    if (n > 2 && u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0xA8 || u[2] == 0xA9))
        return 3;
    return 0;
}

/* A mapped cell as one line (malloc'd, *len its length; NULL when out of memory): a quoted
   cell may hold line breaks (an address in lines), but a value of the picture is shown on one
   line, as a label, a search document, a line of the CLI's text (where a break would forge
   lines of its own: review 108 L1). Each run of breaks, with the spaces and tabs around it,
   becomes ", " in an address (its lines) and " " elsewhere; none is left at either end. */
static char *one_line(const char *s, size_t n, bool address, size_t *len)
{
    char *o = malloc(2 * n + 1), *w = o;
    if (!o)
        return NULL;
    bool pending = false; /* a break seen since the last text */
    for (size_t i = 0; i < n;) {
        size_t b = line_break_at(s + i, n - i);
        if (b) {
            while (w > o && (w[-1] == ' ' || w[-1] == '\t'))
                w--;
            pending = w > o;
            i += b;
            while (i < n && (s[i] == ' ' || s[i] == '\t'))
                i++;
            continue;
        }
        if (pending) {
            if (address && w[-1] != ',') {
                *w++ = ',';
            }
            *w++ = ' ';
            pending = false;
        }
        *w++ = s[i++];
    }
    *w = '\0';
    *len = (size_t)(w - o);
    return o;
}

static iom_err on_row(void *ud, const conflate_csv_row *row, iom_error *e)
{
    read_ctx *r = ud;
    for (size_t i = 0; i < row->n; i++) {
        const char *nul = memchr(row->f[i], 0, row->len[i]);
        if (nul)
            return iom_fail(e, IOM_EINVAL, "file: line %zu, column %zu: a NUL byte (0x00) at byte "
                            "%zu of the cell", row->line, i + 1, (size_t)(nul - row->f[i]));
        if (!iom_utf8_valid(row->f[i], row->len[i]))
            return iom_fail(e, IOM_EINVAL, "file: line %zu is not valid UTF-8 text", row->line);
        /* a control character (but tab and a quoted cell's line break) or a bidirectional
           override: shown in the picture, it would hide or reorder what the record says */
        size_t at = 0;
        unsigned hidden = iom_text_hidden_control(row->f[i], row->len[i], &at);
        for (size_t k = 0; k < row->len[i] && !hidden; k++) {
            unsigned char ch = (unsigned char)row->f[i][k];
            if ((ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') || ch == 0x7F) {
                hidden = ch;
                at = k;
            }
        }
        if (hidden)
            return iom_fail(e, IOM_EINVAL, "file: line %zu, column %zu: the %s U+%04X at byte %zu of the "
                            "cell is not allowed in a dataset", row->line, i + 1,
                            hidden >= 0x2000 ? "bidirectional control" : "control character", hidden, at);
    }
    if (!r->header && row->over)
        return iom_fail(e, IOM_EINVAL, "file: the header (line %zu) holds a cell longer than 1 MiB",
                        row->line);
    if (!r->header) {
        r->header = true;
        for (int k = 0; k < PIC_ROLE_COUNT; k++) {
            r->col[k] = -1;
            if (!r->map->column[k])
                continue;
            for (size_t i = 0; i < row->n; i++) /* typed either way (NFC): review 102 */
                if (iom_text_same(row->f[i], r->map->column[k]))
                    r->col[k] = (int)i;
            if (r->col[k] < 0)
                return iom_fail(e, IOM_EINVAL, "field: %s=%s: the file has no column '%s' (its "
                                "header is on line %zu)", picture_role_name((picture_role)k),
                                r->map->column[k], r->map->column[k], row->line);
            for (size_t i = 0; i < row->n; i++) /* the last of a name given twice was taken */
                if ((int)i != r->col[k] && iom_text_same(row->f[i], r->map->column[k]))
                    return iom_fail(e, IOM_EINVAL, "field: %s=%s: the header names column '%s' "
                                    "twice (columns %zu and %d): rename one",
                                    picture_role_name((picture_role)k), r->map->column[k],
                                    r->map->column[k], i + 1, r->col[k] + 1);
        }
        r->ncols = row->n;
        return IOM_OK;
    }
    if (row->n != r->ncols) /* a field lost or added: every later column would be misread */
        return iom_fail(e, IOM_EINVAL, "file: line %zu has %zu fields, the header %zu", row->line,
                        row->n, r->ncols);
    /* the mapped cells become labels, search documents and exports: no longer than a label
       may be, and none of the invisible characters a typed field refuses (a name that shows as
       "Mary Jones" but holds a zero-width space is found by no search) */
    for (int k = 0; k < PIC_ROLE_COUNT; k++) {
        if (r->col[k] < 0 || (size_t)r->col[k] >= row->n)
            continue;
        size_t i = (size_t)r->col[k], at = 0;
        /* a cell over 1 MiB (read empty, flagged) in a column no role maps is ignored: police
           exports carry long narratives (review 88 L3); in a mapped one it is refused */
        if (row->over && row->over[i])
            return iom_fail(e, IOM_EINVAL, "file: line %zu, column %zu (%s): a value longer than "
                            "1 MiB, over the limit of %d bytes for a value of the picture",
                            row->line, i + 1, picture_role_name((picture_role)k), PIC_CELL_MAX);
        if (row->len[i] > PIC_CELL_MAX)
            return iom_fail(e, IOM_EINVAL, "file: line %zu, column %zu (%s): %zu bytes, over the "
                            "limit of %d bytes for a value of the picture", row->line, i + 1,
                            picture_role_name((picture_role)k), row->len[i], PIC_CELL_MAX);
        unsigned inv = iom_text_invisible(row->f[i], row->len[i], &at);
        if (inv)
            return iom_fail(e, IOM_EINVAL, "file: line %zu, column %zu (%s): the invisible character "
                            "U+%04X at byte %zu of the cell is not allowed in a dataset (it shows "
                            "nothing where it stands)", row->line, i + 1,
                            picture_role_name((picture_role)k), inv, at);
    }
    pic_rows *rs = r->rows;
    if (rs->n == rs->cap) {
        rs->cap = rs->cap ? rs->cap * 2 : 256;
        pic_row *nv = realloc(rs->v, rs->cap * sizeof *nv);
        if (!nv)
            return iom_fail(e, IOM_ENOMEM, "out of memory reading the file");
        rs->v = nv;
    }
    pic_row *out = &rs->v[rs->n];
    memset(out, 0, sizeof *out);
    out->line = row->line;
    out->rownum = (int64_t)rs->n + 1;
    json_t *o = json_object();
    for (int k = 0; k < PIC_ROLE_COUNT; k++) {
        if (r->col[k] < 0 || (size_t)r->col[k] >= row->n || row->len[r->col[k]] == 0)
            continue;
        const char *cell = row->f[r->col[k]];
        size_t clen = row->len[r->col[k]], flen = 0;
        bool breaks = false;
        for (size_t x = 0; x < clen && !breaks; x++)
            breaks = line_break_at(cell + x, clen - x) != 0;
        if (!breaks) {
            json_object_set_new(o, picture_role_name((picture_role)k), json_stringn(cell, clen));
            continue;
        }
        char *flat = one_line(cell, clen, k == PIC_R_ADDRESS, &flen);
        if (!flat) {
            json_decref(o);
            return iom_fail(e, IOM_ENOMEM, "out of memory reading the file");
        }
        if (flen)
            json_object_set_new(o, picture_role_name((picture_role)k), json_stringn(flat, flen));
        free(flat);
    }
    const char *id = json_string_value(json_object_get(o, "id"));
    out->rkey = id ? strdup(id) : NULL;
    if (!out->rkey) {
        char buf[24];
        snprintf(buf, sizeof buf, "%lld", (long long)out->rownum);
        out->rkey = strdup(buf);
    }
    out->fields = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    rs->n++;
    if (!out->rkey || !out->fields)
        return iom_fail(e, IOM_ENOMEM, "out of memory reading the file");
    return IOM_OK;
}

static iom_err on_bad(void *ud, size_t line, const char *why, iom_error *e)
{
    (void)ud;
    return iom_fail(e, IOM_EINVAL, "file: line %zu is malformed CSV: %s", line, why);
}

static int key_cmp(const void *x, const void *y)
{
    return strcmp((*(const pic_row *const *)x)->rkey, (*(const pic_row *const *)y)->rkey);
}

iom_err pic_read_rows(iom_ctx *c, const char *data, size_t n, const pic_mapping *map, pic_rows *out)
{
    memset(out, 0, sizeof *out);
    read_ctx r = {.c = c, .map = map, .rows = out};
    conflate_csv_opts o = {.long_fields = 1}; /* a long cell of an unmapped column is ignored */
    iom_err err = conflate_csv_parse_opts(data, n, &o, on_row, on_bad, &r, &c->err);
    if (!err && !r.header)
        err = iom_fail(&c->err, IOM_EINVAL, "file: empty (a header line and records are needed)");
    if (!err && out->n == 0)
        err = iom_fail(&c->err, IOM_EINVAL, "file: a header but no records");
    if (!err && map->column[PIC_R_ID]) {
        pic_row **p = malloc(out->n * sizeof *p);
        if (!p)
            err = iom_fail(&c->err, IOM_ENOMEM, "out of memory");
        for (size_t i = 0; !err && i < out->n; i++)
            p[i] = &out->v[i];
        if (!err)
            qsort(p, out->n, sizeof *p, key_cmp);
        for (size_t i = 1; !err && i < out->n; i++)
            if (strcmp(p[i - 1]->rkey, p[i]->rkey) == 0)
                err = iom_fail(&c->err, IOM_EINVAL, "file: record id '%.64s' (column %s) is on line "
                               "%zu and again on line %zu", p[i]->rkey, map->column[PIC_R_ID],
                               p[i - 1]->line < p[i]->line ? p[i - 1]->line : p[i]->line,
                               p[i - 1]->line < p[i]->line ? p[i]->line : p[i - 1]->line);
        free(p);
    }
    if (err)
        pic_rows_free(out);
    return err;
}

void pic_rows_free(pic_rows *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].rkey);
        free(r->v[i].fields);
    }
    free(r->v);
    memset(r, 0, sizeof *r);
}

/* ---- resolution --------------------------------------------------------------------------- */

/* The engine roles fed from a record's roles (the identifiers normalised). */
static const struct {
    picture_role role;
    const char *engine;
} engine_roles[] = {
    {PIC_R_FIRST_NAME, "first_name"}, {PIC_R_MIDDLE_NAME, "middle_name"}, {PIC_R_SURNAME, "surname"},
    {PIC_R_FULL_NAME, "full_name"},   {PIC_R_DOB, "dob"},                 {PIC_R_SEX, "sex"},
    {PIC_R_ADDRESS, "address"},       {PIC_R_POSTCODE, "postcode"},       {PIC_R_TOWN, "town"},
    {PIC_R_PHONE, "phone"},           {PIC_R_EMAIL, "email"},             {PIC_R_VEHICLE, "vehicle"},
    {PIC_R_ACCOUNT, "account"},       {PIC_R_NI_NUMBER, "ni_number"},     {PIC_R_PNC_ID, "pnc_id"},
    {PIC_R_ONLINE_ID, "generic:online_id"},
    /* read, not compared: an age at the record's date gives an estimated date of birth to a
       record without one (docs/conflate.md, "Ages") */
    {PIC_R_AGE, "age"},               {PIC_R_DATE, "record_date"},
};
#define N_ENGINE (sizeof engine_roles / sizeof *engine_roles)

typedef struct rec {
    const iom_precord_t *r;
    const char *v[PIC_ROLE_COUNT]; /* values by role (in the command's arena) */
    uint64_t cluster;
    int64_t old_entity;            /* person entity it supported before, 0 */
    int64_t entity;                /* person entity it supports now */
} rec;

static const char *val(const rec *r, picture_role k) { return r->v[k]; }

/* Datasets name people differently (one column, or forename and surname): each record gets
   both forms, so that the engine compares like with like across datasets. A whole name is
   split at its first and last word; parts are joined into a whole name. */
static void derive_names(iom_arena *a, rec *r)
{
    const char *full = r->v[PIC_R_FULL_NAME], *f = r->v[PIC_R_FIRST_NAME], *s = r->v[PIC_R_SURNAME];
    if (full && !f && !s) {
        const char *p = full;
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        const char *last = strrchr(p, ' ');
        if (p[n] && last && last[1]) {
            r->v[PIC_R_FIRST_NAME] = iom_arena_strndup(a, p, n);
            r->v[PIC_R_SURNAME] = iom_arena_strdup(a, last + 1);
        }
    } else if (!full && (f || s)) {
        const char *m = r->v[PIC_R_MIDDLE_NAME];
        r->v[PIC_R_FULL_NAME] = iom_arena_printf(a, "%s%s%s%s%s", f ? f : "", f && (m || s) ? " " : "",
                                                 m ? m : "", m && s ? " " : "", s ? s : "");
    }
}

/* A person's name as its record gives it. */
static char *person_label(iom_arena *a, const rec *r)
{
    if (val(r, PIC_R_FULL_NAME))
        return iom_arena_strdup(a, val(r, PIC_R_FULL_NAME));
    const char *f = val(r, PIC_R_FIRST_NAME), *m = val(r, PIC_R_MIDDLE_NAME), *s = val(r, PIC_R_SURNAME);
    if (!f && !m && !s)
        return iom_arena_printf(a, "(unnamed, %s)", r->r->ref);
    return iom_arena_printf(a, "%s%s%s%s%s", f ? f : "", f && (m || s) ? " " : "", m ? m : "",
                            m && s ? " " : "", s ? s : "");
}

/* The normalised value of an identifier role, or NULL (and *unusable += 1) when the value
   cannot be normalised. The account role needs the sort code. */
static const char *ident_key(iom_arena *a, const rec *r, picture_role k, int64_t *unusable, char **label)
{
    char key[PIC_KEY_MAX];
    iom_error e = {0};
    const char *v = val(r, k);
    iom_err err = IOM_OK;
    *label = (char *)v;
    /* a placeholder for an unknown ("UNKNOWN", "NK", "NFA", 07000 000000) is no identifier: as
       one entity it joined every person who gave it, and raised alerts with every tasking that
       held it (review 56: a vehicle "UNKNOWN" linked to 132 people) */
    bool digits = v && k == PIC_R_ACCOUNT && strspn(v, "0123456789 -") == strlen(v), same = digits;
    for (const char *q = v; same && q && *q; q++) /* 00000000: a filler (review 57) */
        same = *q == ' ' || *q == '-' || *q == v[strspn(v, " -")];
    /* an online identity or organisation has no role in the engine: its fillers are a name's
       ("unknown", "N/K", "N/A", "none": review 57) */
    const char *as = k == PIC_R_ONLINE_ID || k == PIC_R_ORGANISATION ? "first_name" : picture_role_name(k);
    if (v && (same || (!digits && conflate_value_is_placeholder(as, v, strlen(v))))) {
        /* (an account's digits are one with its sort code: taken as given, unless one digit
           throughout) */
        (*unusable)++;
        return NULL;
    }
    if (k == PIC_R_PHONE) {
        err = picture_norm_phone(v, key, &e);
    } else if (k == PIC_R_EMAIL) {
        err = picture_norm_email(v, key, &e);
    } else if (k == PIC_R_VEHICLE) {
        err = picture_norm_vehicle(v, key, &e);
    } else if (k == PIC_R_ACCOUNT) {
        err = picture_norm_account(val(r, PIC_R_SORT_CODE), v, key, &e);
        if (!err)
            *label = iom_arena_strdup(a, key);
    } else if (k == PIC_R_ADDRESS) {
        char pc[PIC_KEY_MAX] = "";
        err = picture_norm_text("address", v, key, &e);
        if (!err && val(r, PIC_R_POSTCODE) && picture_norm_postcode(val(r, PIC_R_POSTCODE), pc, &e) == IOM_OK &&
            strlen(key) + strlen(pc) + 2 <= sizeof key) {
            size_t n = strlen(key);
            key[n] = ' ';
            memcpy(key + n + 1, pc, strlen(pc) + 1);
            *label = iom_arena_printf(a, "%s, %s", v, pc);
        }
    } else if (k == PIC_R_ONLINE_ID || k == PIC_R_ORGANISATION) {
        err = picture_norm_text(picture_role_name(k), v, key, &e);
    } else {
        return NULL;
    }
    if (err) {
        (*unusable)++;
        return NULL;
    }
    return iom_arena_strdup(a, key);
}

/* The value fed to the engine for role k of r (normalised for identifiers), or "". */
static const char *engine_value(iom_arena *a, const rec *r, picture_role k)
{
    const char *v = val(r, k);
    if (!v)
        return "";
    char key[PIC_KEY_MAX];
    if (k == PIC_R_PHONE && picture_norm_phone(v, key, NULL) == IOM_OK)
        return iom_arena_strdup(a, key);
    if (k == PIC_R_ACCOUNT) {
        if (picture_norm_account(val(r, PIC_R_SORT_CODE), v, key, NULL) == IOM_OK)
            return iom_arena_strdup(a, key);
        return "";
    }
    return v;
}

static void csv_field(iom_buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        iom_buf_puts(b, s);
        return;
    }
    iom_buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            iom_buf_putc(b, '"');
        iom_buf_putc(b, *s);
    }
    iom_buf_putc(b, '"');
}

static double prob(double w) { return 1.0 / (1.0 + exp2(-w)); }

static int64_t find_rec(const rec *v, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (v[mid].r->id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo].r->id == id ? (int64_t)lo : -1;
}

/* Index of the record named input/key, -1 when none (linear per decision: decisions are few). */
static long find_named(const rec *v, size_t n, const char *input, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].r->dataset_name, input) == 0 && strcmp(v[i].r->rkey, key) == 0)
            return (long)i;
    return -1;
}

typedef struct vote {
    uint64_t cluster;
    int64_t entity;
    int64_t count;
    int marking; /* the least marking of the records that vote */
} vote;

static int vote_by_cluster(const void *x, const void *y)
{
    const vote *a = x, *b = y;
    if (a->cluster != b->cluster)
        return a->cluster < b->cluster ? -1 : 1;
    return a->entity < b->entity ? -1 : a->entity > b->entity;
}

static int vote_by_count(const void *x, const void *y)
{
    const vote *a = x, *b = y;
    if (a->marking != b->marking) /* readers of the least marking keep the reference they know */
        return a->marking < b->marking ? -1 : 1;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    if (a->entity != b->entity)
        return a->entity < b->entity ? -1 : 1;
    return a->cluster < b->cluster ? -1 : a->cluster > b->cluster;
}

static int i64_cmp(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

/* Whether entity x is claimed already, and claims it if not: ents (n, sorted, distinct) are
   the entities voted for, taken one flag each. */
static bool claim(const int64_t *ents, bool *taken, size_t n, int64_t x)
{
    const int64_t *p = bsearch(&x, ents, n, sizeof *ents, i64_cmp);
    if (!p || taken[p - ents])
        return false;
    taken[p - ents] = true;
    return true;
}

static void progress(const pic_resolve_opts *o, const char *phase, uint64_t done, uint64_t total)
{
    if (o->progress)
        o->progress(o->progress_ud, phase, done, total);
}

typedef struct engine_progress {
    const pic_resolve_opts *o;
} engine_progress;

static void on_engine_progress(void *ud, const char *phase, uint64_t done, uint64_t total)
{
    progress(((engine_progress *)ud)->o, phase, done, total);
}

/* Adds a source to the link type from -> to (made when missing). */
static iom_err link_source(iom_ctx *c, pic_renewal *renew, iom_marking m, int64_t tasking_id, picture_link_type t,
                           int64_t from, int64_t to, int64_t record_id, const char *label, const char *seen,
                           const char *review, int64_t now, int64_t *link_id)
{
    int64_t id = 0;
    const char *type = picture_link_type_name(t);
    iom_err err = PS(c)->link_find(c->store, tasking_id, type, from, to, &id, &c->err);
    if (!err && !id) {
        iom_plink_t l = {.tasking_id = tasking_id, .type = (char *)type, .from_id = from, .to_id = to,
                         .directed = picture_link_directed(t), .confidence = 1.0,
                         .review_date = (char *)review, .created_at = now, .updated_at = now};
        err = PS(c)->link_insert(c->store, &l, c->arena, &c->err);
        id = l.id;
        if (!err)
            err = pic_renewal_new(c, renew, true, id);
    } else if (!err) { /* one no reader of marking m has seen: a new reference first */
        err = pic_renew_hidden(c, renew, true, tasking_id, &id, m, now, NULL);
    }
    if (!err)
        err = PS(c)->source_add(c->store, true, id, record_id, NULL, label, seen, &c->err);
    *link_id = id;
    return err;
}

/* ---- renewal of what a reader below its sources' marking has never seen (picture_int.h) -- */

static size_t renewal_slot(uint64_t k, size_t cap)
{
    return (size_t)(k * 0x9E3779B97F4A7C15ull >> 20) & (cap - 1);
}

/* Whether owner key k was checked (seen) already. */
static bool renewal_has(const pic_renewal *r, uint64_t k)
{
    if (!r->cap)
        return false;
    for (size_t j = renewal_slot(k, r->cap);; j = (j + 1) & (r->cap - 1)) {
        if (r->seen[j] == k)
            return true;
        if (!r->seen[j])
            return false;
    }
}

/* Notes owner key k as checked; false when out of memory. */
static bool renewal_add(pic_renewal *r, uint64_t k)
{
    if ((r->n + 1) * 2 > r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        uint64_t *nv = calloc(cap, sizeof *nv);
        if (!nv)
            return false;
        for (size_t i = 0; i < r->cap; i++)
            if (r->seen[i]) {
                size_t j = renewal_slot(r->seen[i], cap);
                while (nv[j])
                    j = (j + 1) & (cap - 1);
                nv[j] = r->seen[i];
            }
        free(r->seen);
        r->seen = nv;
        r->cap = cap;
    }
    size_t j = renewal_slot(k, r->cap);
    while (r->seen[j] && r->seen[j] != k)
        j = (j + 1) & (r->cap - 1);
    if (!r->seen[j]) {
        r->seen[j] = k;
        r->n++;
    }
    return true;
}

static uint64_t renewal_key(bool link, int64_t id, iom_marking m)
{
    return ((uint64_t)id << 5 | (uint64_t)link << 4 | (uint64_t)m) + 1;
}

static iom_err renewal_read(iom_ctx *c, pic_renewal *r, int64_t tasking_id)
{
    if (r->read)
        return IOM_OK;
    iom_err err = PS(c)->tasking_markings(c->store, tasking_id, &r->mask, &c->err);
    r->read = !err;
    return err;
}

iom_err pic_renewal_before(iom_ctx *c, pic_renewal *r, int64_t tasking_id, iom_marking m)
{
    iom_err err = renewal_read(c, r, tasking_id);
    r->considered = true;
    if (err || r->have_before || !(r->mask >> (m + 1))) /* read already, or nothing above m to hide */
        return err;
    for (int k = 0; k < 2 && !err; k++)
        err = PS(c)->owner_markings_all(c->store, k == 1, tasking_id, c->arena, &r->before[k], &r->nbefore[k],
                                        &c->err);
    r->have_before = !err;
    return err;
}

iom_err pic_renewal_new(iom_ctx *c, pic_renewal *r, bool link, int64_t id)
{
    for (int m = 0; m < IOM_MARKING_COUNT; m++)
        if (!renewal_add(r, renewal_key(link, id, (iom_marking)m)))
            return iom_fail(&c->err, IOM_ENOMEM, "out of memory");
    return IOM_OK;
}

static unsigned renewal_before_mask(const pic_renewal *r, bool link, int64_t id)
{
    const iom_owner_markings *v = r->before[link];
    for (size_t lo = 0, hi = r->nbefore[link]; lo < hi;) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].id == id)
            return v[mid].mask;
        if (v[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* Replaces owner `was` by a new one (entity_renew / link_renew): *out its id; noted in r. */
static iom_err renew_owner(iom_ctx *c, pic_renewal *r, bool link, int64_t was, int64_t now, int64_t *out)
{
    iom_err err;
    if (r->nmap == r->capmap) {
        size_t cap = r->capmap ? r->capmap * 2 : 16;
        pic_renewed *nv = realloc(r->map, cap * sizeof *nv);
        if (!nv)
            return iom_fail(&c->err, IOM_ENOMEM, "out of memory");
        r->map = nv;
        r->capmap = cap;
    }
    if (!link) {
        iom_entity_t en;
        if ((err = PS(c)->entity_get(c->store, iom_arena_printf(c->arena, "ENT-%06lld", (long long)was), c->arena,
                                     &en, &c->err)))
            return err;
        iom_entity_t ne = {.tasking_id = en.tasking_id, .type = en.type, .label = en.label,
                           .confidence = en.confidence, .review_date = en.review_date, .created_at = now,
                           .updated_at = now};
        if ((err = PS(c)->entity_insert(c->store, &ne, c->arena, &c->err)) ||
            (err = PS(c)->entity_renew(c->store, was, ne.id, en.key, &c->err)))
            return err;
        *out = ne.id;
    } else {
        iom_plink_t l;
        if ((err = PS(c)->link_get(c->store, iom_arena_printf(c->arena, "LNK-%06lld", (long long)was), c->arena, &l,
                                   &c->err)))
            return err;
        iom_plink_t nl = {.tasking_id = l.tasking_id, .type = iom_arena_printf(c->arena, "%s (renewed)", l.type),
                          .from_id = l.from_id, .to_id = l.to_id, .directed = l.directed,
                          .confidence = l.confidence, .review_date = l.review_date, .created_at = now,
                          .updated_at = now};
        if ((err = PS(c)->link_insert(c->store, &nl, c->arena, &c->err)) ||
            (err = PS(c)->link_renew(c->store, was, nl.id, l.type, &c->err)))
            return err;
        *out = nl.id;
    }
    r->map[r->nmap++] = (pic_renewed){link, was, *out};
    r->renewed++;
    return IOM_OK;
}

iom_err pic_renew_hidden(iom_ctx *c, pic_renewal *r, bool link, int64_t tasking_id, int64_t *id, iom_marking m,
                         int64_t now, int64_t *old)
{
    if (old)
        *old = 0;
    iom_err err;
    if ((err = renewal_read(c, r, tasking_id)))
        return err;
    if (!(r->mask >> (m + 1)) || *id <= 0) /* nothing above m: nothing to hide from its readers */
        return IOM_OK;
    uint64_t k = renewal_key(link, *id, m);
    for (int mm = 0; mm <= (int)m; mm++) /* seen at m or below already: its readers know it */
        if (renewal_has(r, renewal_key(link, *id, (iom_marking)mm)))
            return IOM_OK;
    /* its sources' markings: as they were before the run cleared any (what readers have
       seen), else as the store holds them now */
    unsigned om = 0;
    if (r->have_before)
        om = renewal_before_mask(r, link, *id);
    else if ((err = PS(c)->owner_markings(c->store, link, *id, &om, &c->err)))
        return err;
    if (om == 0 || (om & ((2u << m) - 1))) { /* no sources yet, or seen at m already */
        if (!renewal_add(r, k))
            return iom_fail(&c->err, IOM_ENOMEM, "out of memory");
        return IOM_OK;
    }
    int64_t was = *id;
    if ((err = renew_owner(c, r, link, was, now, id)))
        return err;
    if (old)
        *old = was;
    if (!renewal_add(r, renewal_key(link, *id, m)))
        return iom_fail(&c->err, IOM_ENOMEM, "out of memory");
    return IOM_OK;
}

iom_err pic_renewal_sweep(iom_ctx *c, pic_renewal *r, int64_t tasking_id, int64_t now)
{
    if (!r->have_before)
        return IOM_OK; /* one marking: nothing was hidden */
    iom_err err = IOM_OK;
    /* entities first: their renewal moves links, which keep their ids for the pass after */
    for (int k = 0; k < 2 && !err; k++) {
        bool link = k == 1;
        iom_owner_markings *cur = NULL;
        size_t n = 0;
        if ((err = PS(c)->owner_markings_all(c->store, link, tasking_id, c->arena, &cur, &n, &c->err)))
            break;
        for (size_t i = 0; i < n && !err; i++) {
            unsigned b = renewal_before_mask(r, link, cur[i].id), m = cur[i].mask;
            if (b && m && (m & -m) < (b & -b)) { /* seen at a lower marking than before */
                int64_t nid;
                err = renew_owner(c, r, link, cur[i].id, now, &nid);
            }
        }
    }
    return err;
}

iom_err pic_renewal_audit(iom_ctx *c, const pic_renewal *r, const char *tasking_ref)
{
    if (!r->nmap)
        return IOM_OK;
    json_t *v = json_array();
    for (size_t i = 0; i < r->nmap; i++) {
        const char *p = r->map[i].link ? "LNK" : "ENT";
        json_array_append_new(v, json_pack("{s:s, s:s}", "from",
                                           iom_arena_printf(c->arena, "%s-%06lld", p, (long long)r->map[i].from),
                                           "to", iom_arena_printf(c->arena, "%s-%06lld", p, (long long)r->map[i].to)));
    }
    /* marked as the material the old references rested on (the tasking's highest marking):
       an auditor below it reading old and new side by side would learn what the hidden
       material held (review 82 H1) */
    iom_marking top = IOM_MARKING_OFFICIAL_SENSITIVE;
    for (int m = IOM_MARKING_COUNT - 1; r->read && m >= 0; m--)
        if (r->mask & (1u << m)) {
            top = (iom_marking)m;
            break;
        }
    return audit_record(c, "picture.renew", tasking_ref, NULL,
                        work_json_text(c, json_pack("{s:s, s:s, s:o}", "tasking", tasking_ref, "marking",
                                                    iom_marking_name(top), "renewed", v)));
}

void pic_renewal_free(pic_renewal *r)
{
    free(r->seen);
    free(r->map);
    memset(r, 0, sizeof *r);
}

/* A growing list of ids (entities or links touched by an incremental resolution). */
typedef struct idlist {
    int64_t *v;
    size_t n, cap;
} idlist;

static bool ids_push(idlist *l, int64_t id)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 1024;
        int64_t *nv = realloc(l->v, cap * sizeof *nv);
        if (!nv)
            return false;
        l->v = nv;
        l->cap = cap;
    }
    l->v[l->n++] = id;
    return true;
}

static int id_cmp(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

static void ids_unique(idlist *l)
{
    if (!l->n)
        return;
    qsort(l->v, l->n, sizeof *l->v, id_cmp);
    size_t u = 1;
    for (size_t i = 1; i < l->n; i++)
        if (l->v[i] != l->v[u - 1])
            l->v[u++] = l->v[i];
    l->n = u;
}

/* The persons resolved again after a decision: sorted ids. */
typedef struct reopened {
    int64_t *v;
    size_t n;
} reopened;

static bool in_sorted(const int64_t *v, size_t n, int64_t x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo] == x;
}

/* Whether record r is compared afresh in an incremental resolution: the new dataset's, or a
   record of a person an analyst's decision reopened. */
static bool fresh(const pic_resolve_opts *o, const reopened *ro, const iom_precord_t *r)
{
    return (o->new_dataset > 0 && r->dataset_id == o->new_dataset) ||
           (ro->n && r->person_id > 0 && in_sorted(ro->v, ro->n, r->person_id));
}

/* Whether record r stays in its person in an incremental resolution: after an import, when
   its person is certain enough; after a decision, whenever the decision is not about it (a
   decision on one pair must not move persons it is not about: with the import's rule, a
   decision on a pair already apart split one uncertain person and merged two others, which a
   whole run left as they were). */
static bool settled(const pic_resolve_opts *o, const reopened *ro, const iom_precord_t *r)
{
    if (fresh(o, ro, r) || r->person_id <= 0)
        return false;
    return o->nreopen ? true : r->person_confidence >= PIC_SETTLED_CONFIDENCE;
}

typedef struct ent_rec {
    int64_t entity;
    size_t rec;
} ent_rec;

static int ent_rec_cmp(const void *x, const void *y)
{
    const ent_rec *a = x, *b = y;
    if (a->entity != b->entity)
        return a->entity < b->entity ? -1 : 1;
    return (a->rec > b->rec) - (a->rec < b->rec);
}

/* Whether an analyst decided on the pair of records a, b (either way round). */
static bool decided_pair(const iom_decision_t *dv, size_t nd, const rec *a, const rec *b)
{
    const char *ia = a->r->dataset_name, *ka = a->r->rkey, *ib = b->r->dataset_name, *kb = b->r->rkey;
    for (size_t d = 0; d < nd; d++)
        if ((!strcmp(dv[d].input_a, ia) && !strcmp(dv[d].key_a, ka) && !strcmp(dv[d].input_b, ib) &&
             !strcmp(dv[d].key_b, kb)) ||
            (!strcmp(dv[d].input_a, ib) && !strcmp(dv[d].key_a, kb) && !strcmp(dv[d].input_b, ia) &&
             !strcmp(dv[d].key_b, ka)))
            return true;
    return false;
}

iom_err pic_resolve(iom_ctx *c, int64_t tasking_id, const pic_resolve_opts *o, app_resolution *res)
{
    memset(res, 0, sizeof *res);
    res->link_threshold = o->link;
    res->review_threshold = o->review;
    iom_precord_t *rv;
    size_t n;
    iom_decision_t *dv;
    size_t nd;
    iom_psource_t *sv;
    size_t ns;
    iom_err err;
    if ((err = PS(c)->record_list(c->store, tasking_id, c->arena, &rv, &n, &c->err)) ||
        (err = PS(c)->decision_list(c->store, tasking_id, c->arena, &dv, &nd, &c->err)))
        return err;
    /* the persons a decision reopens: those of its records */
    reopened ro = {NULL, 0};
    if (o->nreopen) {
        ro.v = iom_arena_new(c->arena, int64_t, o->nreopen);
        for (size_t i = 0; i < n; i++)
            if (rv[i].person_id > 0 && in_sorted(o->reopen, o->nreopen, rv[i].id))
                ro.v[ro.n++] = rv[i].person_id;
        qsort(ro.v, ro.n, sizeof *ro.v, i64_cmp);
        size_t u = 0;
        for (size_t i = 0; i < ro.n; i++)
            if (!u || ro.v[i] != ro.v[u - 1])
                ro.v[u++] = ro.v[i];
        ro.n = u;
    }
    /* incremental when every record of the other datasets supports a person already, made by
       this version of the engine (an older one's persons and entities are made again) */
    bool inc = (o->new_dataset > 0 || ro.n > 0) && !o->nhints && o->engine >= APP_PICTURE_ENGINE;
    for (size_t i = 0; i < n && inc; i++)
        inc = (o->new_dataset > 0 && rv[i].dataset_id == o->new_dataset) || rv[i].person_id > 0;
    /* an import resolved in full after all (a picture an older engine made, records that
       support no person): it regroups every record, hidden ones too (picture.md "Who may") */
    if (!inc && o->whole_cleared) {
        unsigned held = 0;
        if ((err = c->store->ops->picture->tasking_markings(c->store, tasking_id, &held, &c->err)))
            return err;
        for (int m = 0; m < (int)IOM_MARKING_COUNT; m++)
            if ((held & (1u << m)) && !iom_clearance_allows(c->actor.clearance, (iom_marking)m))
                return iom_fail(&c->err, IOM_ECONFLICT, "import: this import resolves the whole picture again (it was "
                                "made by an older engine, or some records support no person), which needs a "
                                "user cleared for all that the tasking holds (its SIA)");
    }
    /* the thresholds and the engine the picture is now resolved with */
    if ((err = PS(c)->settings_set(c->store, tasking_id, o->link, o->review,
                                   inc ? o->engine : APP_PICTURE_ENGINE, &c->err)))
        return err;
    if (inc) {
        sv = NULL;
        ns = 0;
    } else if ((err = picture_source_list(c, false, tasking_id, 0, c->arena, &sv, &ns, &c->err))) {
        return err;
    }
    res->incremental = inc;
    res->records = (int64_t)n;
    int64_t now = app_now(c);
    char review[11], today[11];
    if ((err = app_settings_review_date(c, now, review)))
        return err;
    /* incremental: what is made now has the new dataset's records only as sources, so its
       review date is the dataset's (review_dates would give the same) */
    if (inc && o->new_review && strlen(o->new_review) == 10)
        memcpy(review, o->new_review, 11);
    rec *v = calloc(n ? n : 1, sizeof *v);
    conflate_engine *eng = NULL;
    vote *votes = NULL;
    int64_t *cluster_entity = NULL, *claims = NULL;
    double *conf = NULL;
    bool *touched = NULL, *dirty = NULL;
    idlist touched_e = {0}, touched_l = {0}, moved = {0}, gone = {0};
    ent_rec *er = NULL;
    pic_renewal own = {0}, *renew = o->renew ? o->renew : &own;
    if (!v)
        return iom_fail(&c->err, IOM_ENOMEM, "out of memory");
    /* the records' values by role, and which person entity each supported before */
    bool used[PIC_ROLE_COUNT] = {0};
    const char *role_keys[PIC_ROLE_COUNT];
    for (int k = 0; k < PIC_ROLE_COUNT; k++)
        role_keys[k] = picture_role_name((picture_role)k);
    for (size_t i = 0; i < n && !err; i++) {
        v[i].r = &rv[i];
        /* read without a tree (util/jsonr.h): every record of the tasking, on each import */
        iom_error je = {0};
        if (iom_jsonr_strings(c->arena, rv[i].fields_json, role_keys, PIC_ROLE_COUNT, v[i].v, &je)) {
            err = iom_fail(&c->err, IOM_ESTORE, "record %s: its fields are not a JSON object (%s)",
                           rv[i].ref, je.msg);
            break;
        }
        derive_names(c->arena, &v[i]);
        for (int k = 0; k < PIC_ROLE_COUNT; k++)
            used[k] |= v[i].v[k] != NULL;
    }
    if (used[PIC_R_AGE]) /* the ages' estimates are compared as dates of birth */
        used[PIC_R_DOB] = true;
    else
        used[PIC_R_DATE] = false; /* a record's date is read only to count an age from */
    for (size_t i = 0; i < n && o->nhints; i++) {
        if (strcmp(v[i].r->dataset_name, o->hint_dataset) != 0)
            continue;
        size_t lo = 0, hi = o->nhints;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (strcmp(o->hints[mid].rkey, v[i].r->rkey) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < o->nhints && strcmp(o->hints[lo].rkey, v[i].r->rkey) == 0)
            v[i].old_entity = o->hints[lo].entity;
    }
    for (size_t i = 1; i < n && !err; i++)
        if (v[i - 1].r->id >= v[i].r->id)
            err = iom_fail(&c->err, IOM_ESTORE, "records are not in id order");
    for (size_t i = 0; i < ns && !err; i++)
        if (sv[i].record_id && strcmp(sv[i].owner_type, "person") == 0) {
            int64_t k = find_rec(v, n, sv[i].record_id);
            if (k >= 0)
                v[k].old_entity = sv[i].owner_id;
        }
    for (size_t i = 0; inc && i < n; i++)
        if (!(o->new_dataset > 0 && rv[i].dataset_id == o->new_dataset))
            v[i].old_entity = rv[i].person_id;
    if (err)
        goto done;

    size_t nclusters = 0;
    if (n > 0) {
        /* the engine: one input per dataset, the roles used by any as columns */
        conflate_field_map fm[N_ENGINE];
        size_t nf = 0, compared = 0;
        for (size_t k = 0; k < N_ENGINE; k++)
            if (used[engine_roles[k].role]) {
                fm[nf++] = (conflate_field_map){engine_roles[k].engine,
                                                picture_role_name(engine_roles[k].role)};
                compared += engine_roles[k].role != PIC_R_AGE && engine_roles[k].role != PIC_R_DATE;
            }
        conflate_options opts;
        conflate_options_default(&opts);
        opts.threshold = o->link;
        opts.threads = 1;
        opts.fields = fm;
        opts.nfields = nf;
        opts.id_column = "rkey";
        opts.delimiter = ',';
        engine_progress ep = {o};
        opts.progress = on_engine_progress;
        opts.progress_ud = &ep;
        if (compared == 0) {
            err = iom_fail(&c->err, IOM_EINVAL, "field: no dataset of the tasking maps a role the "
                           "resolution compares (a name at least)");
            goto done;
        }
        if ((err = conflate_new(&eng, &opts, &c->err)))
            goto done;
        for (size_t i = 0; i < n && !err;) {
            size_t j = i;
            iom_buf b = {0};
            iom_buf_puts(&b, "rkey");
            for (size_t k = 0; k < nf; k++) {
                iom_buf_putc(&b, ',');
                iom_buf_puts(&b, fm[k].column);
            }
            iom_buf_putc(&b, '\n');
            for (; j < n && v[j].r->dataset_id == v[i].r->dataset_id; j++) {
                csv_field(&b, v[j].r->rkey);
                for (size_t k = 0; k < N_ENGINE; k++)
                    if (used[engine_roles[k].role]) {
                        iom_buf_putc(&b, ',');
                        csv_field(&b, engine_value(c->arena, &v[j], engine_roles[k].role));
                    }
                iom_buf_putc(&b, '\n');
            }
            conflate_input_opts io = {.name = v[i].r->dataset_name, .id_column = "rkey", .delimiter = ','};
            err = conflate_add_csv_buffer(eng, v[i].r->dataset_name, b.data ? b.data : "", b.len, &io, &c->err);
            iom_buf_free(&b);
            i = j;
        }
        /* the analysts' decisions, on records still there */
        for (size_t i = 0; i < nd && !err; i++) {
            if (find_named(v, n, dv[i].input_a, dv[i].key_a) < 0 ||
                find_named(v, n, dv[i].input_b, dv[i].key_b) < 0)
                continue;
            err = conflate_add_constraint(eng, strcmp(dv[i].kind, "same") == 0, dv[i].input_a,
                                          dv[i].key_a, dv[i].input_b, dv[i].key_b, &c->err);
            res->decisions++;
        }
        if (!err)
            err = conflate_check_constraints(eng, "decisions", &c->err);
        if (!err && inc) {
            /* the persons as they are: one settled group each (numbered densely) */
            er = malloc((n ? n : 1) * sizeof *er);
            if (!er) {
                err = iom_fail(&c->err, IOM_ENOMEM, "out of memory");
                goto done;
            }
            size_t ne = 0;
            for (size_t i = 0; i < n; i++)
                if (settled(o, &ro, v[i].r))
                    er[ne++] = (ent_rec){v[i].old_entity, i};
            qsort(er, ne, sizeof *er, ent_rec_cmp);
            uint32_t g = 0;
            for (size_t i = 0; i < ne && !err; i++) {
                if (i == 0 || er[i].entity != er[i - 1].entity)
                    g++;
                err = conflate_set_settled(eng, er[i].rec, g, &c->err);
            }
        }
        if (!err)
            err = conflate_run(eng, &c->err);
        if (err == IOM_EINVAL && c->actor.id) {
            /* a contradiction names the records that make it: not to an actor who may not see
               every record of the picture (a dataset above their clearance) */
            bool hidden = false;
            for (size_t i = 0; i < n && !hidden; i++)
                hidden = !iom_clearance_allows(c->actor.clearance, v[i].r->marking);
            if (hidden && strstr(c->err.msg, "contradict"))
                iom_fail(&c->err, IOM_EINVAL, "decision: it contradicts the analysts' earlier decisions "
                         "on this picture (records kept apart would be joined through others); "
                         "an analyst cleared for all of its datasets can see which");
        }
        if (err)
            goto done;
        conflate_stats st;
        conflate_get_stats(eng, &st);
        nclusters = (size_t)st.clusters;
        if (conflate_record_count(eng) != n) {
            err = iom_fail(&c->err, IOM_ESTORE, "resolution read %zu records of %zu",
                           conflate_record_count(eng), n);
            goto done;
        }
        for (size_t i = 0; i < n; i++) {
            if (strcmp(conflate_record_id(eng, i), v[i].r->rkey) != 0 ||
                strcmp(conflate_record_input(eng, i), v[i].r->dataset_name) != 0) {
                err = iom_fail(&c->err, IOM_ESTORE, "resolution: records out of order");
                goto done;
            }
            v[i].cluster = conflate_record_cluster(eng, i);
        }
    }
    progress(o, "entities", 0, n);

    /* each cluster keeps the entity most of its records supported before (ties: the oldest);
       first the votes of records of the least marking: a person split or merged keeps its
       reference with the records its least-cleared readers see (review 80 M2: split, the
       reference went with a hidden record and the reader's record took a new one; merged
       with a hidden person, the hidden one's reference was kept and renewed), so neither
       tells them their record sits with material they may not see */
    cluster_entity = calloc(nclusters + 1, sizeof *cluster_entity);
    conf = malloc((nclusters + 1) * sizeof *conf);
    votes = malloc((n ? n : 1) * sizeof *votes);
    claims = malloc((n ? n : 1) * sizeof *claims);
    touched = calloc(nclusters + 1, sizeof *touched);
    if (!cluster_entity || !conf || !votes || !claims || !touched) {
        err = iom_fail(&c->err, IOM_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t k = 0; k <= nclusters; k++)
        conf[k] = 1.0;
    size_t nv = 0;
    for (size_t i = 0; i < n; i++)
        if (v[i].old_entity)
            votes[nv++] = (vote){v[i].cluster, v[i].old_entity, 1, (int)v[i].r->marking};
    qsort(votes, nv, sizeof *votes, vote_by_cluster);
    size_t nu = 0;
    for (size_t i = 0; i < nv; i++) {
        if (nu && votes[nu - 1].cluster == votes[i].cluster && votes[nu - 1].entity == votes[i].entity) {
            votes[nu - 1].count++;
            if (votes[i].marking < votes[nu - 1].marking)
                votes[nu - 1].marking = votes[i].marking;
        }
        else
            votes[nu++] = votes[i];
    }
    qsort(votes, nu, sizeof *votes, vote_by_count);
    /* the entities voted for, each claimed once (by the cluster with the most votes for it) */
    size_t nents = 0;
    for (size_t i = 0; i < nu; i++)
        claims[nents++] = votes[i].entity;
    qsort(claims, nents, sizeof *claims, i64_cmp);
    size_t ud = 0;
    for (size_t i = 0; i < nents; i++)
        if (ud == 0 || claims[i] != claims[ud - 1])
            claims[ud++] = claims[i];
    nents = ud;
    bool *taken = calloc(nents + 1, sizeof *taken);
    if (!taken) {
        err = iom_fail(&c->err, IOM_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < nu; i++)
        if (!cluster_entity[votes[i].cluster] && claim(claims, taken, nents, votes[i].entity))
            cluster_entity[votes[i].cluster] = votes[i].entity;
    free(taken);
    /* confidence: the least probable link that joined the cluster */
    size_t np = eng ? conflate_pair_count(eng) : 0;
    for (size_t i = 0; i < np; i++) {
        uint32_t a, b;
        double p = prob(conflate_pair_get(eng, i, &a, &b, NULL));
        if (p >= o->link && v[a].cluster == v[b].cluster && p < conf[v[a].cluster])
            conf[v[a].cluster] = p;
    }

    /* what readers below a source's marking have seen, before any source is cleared */
    if (!renew->considered && (err = pic_renewal_before(c, renew, tasking_id, IOM_MARKING_OFFICIAL)))
        goto done;
    /* which records are written: all of them (rebuilt), or when incremental the new ones and
       those of persons merged into another (their sources move) */
    bool *write = calloc(n ? n : 1, sizeof *write);
    if (!write) {
        err = iom_fail(&c->err, IOM_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        write[i] = !inc || (o->new_dataset > 0 && v[i].r->dataset_id == o->new_dataset) ||
                   v[i].old_entity != cluster_entity[v[i].cluster];
    if (inc) {
        dirty = calloc(nclusters + 1, sizeof *dirty);
        if (!dirty) {
            free(write);
            err = iom_fail(&c->err, IOM_ENOMEM, "out of memory");
            goto done;
        }
        for (size_t i = 0; i < n; i++) {
            dirty[v[i].cluster] |= write[i];
            if (write[i] && !(o->new_dataset > 0 && v[i].r->dataset_id == o->new_dataset) &&
                (!ids_push(&moved, v[i].r->id) || !ids_push(&gone, v[i].old_entity)))
                err = iom_fail(&c->err, IOM_ENOMEM, "out of memory");
        }
        /* a person changed keeps the least confidence of what it was made of */
        size_t ne = 0;
        for (size_t i = 0; i < n; i++)
            ne += settled(o, &ro, v[i].r);
        for (size_t i = 0; i < ne && !err; i++) {
            uint64_t cl = v[er[i].rec].cluster;
            if (!dirty[cl] || (i > 0 && er[i].entity == er[i - 1].entity))
                continue;
            iom_entity_t en;
            if ((err = PS(c)->entity_get(c->store, iom_arena_printf(c->arena, "ENT-%06lld", (long long)er[i].entity),
                                         c->arena, &en, &c->err)))
                break;
            if (en.confidence < conf[cl])
                conf[cl] = en.confidence;
        }
        ids_unique(&gone);
        if (!err)
            err = PS(c)->clear_sources_of(c->store, moved.v, moved.n, &c->err);
    } else {
        err = PS(c)->clear_record_sources(c->store, tasking_id, &c->err);
    }
    for (size_t i = 0; i < n && !err; i++) {
        rec *r = &v[i];
        if (!write[i])
            continue;
        int64_t *ce = &cluster_entity[r->cluster];
        char *label = person_label(c->arena, r);
        const char *seen = val(r, PIC_R_DATE);
        if (!seen || iom_date_check("date", seen, NULL) != IOM_OK) {
            work_today(r->r->imported_at, today);
            seen = iom_arena_strdup(c->arena, today);
        }
        if (!*ce) {
            iom_entity_t en = {.tasking_id = tasking_id, .type = "person", .label = label,
                               .confidence = conf[r->cluster], .review_date = review,
                               .created_at = now, .updated_at = now};
            if ((err = PS(c)->entity_insert(c->store, &en, c->arena, &c->err)) ||
                (err = pic_renewal_new(c, renew, false, en.id)))
                break;
            *ce = en.id;
            res->created_entities++;
            touched[r->cluster] = true;
        } else if (!touched[r->cluster]) {
            iom_entity_t en;
            if ((err = PS(c)->entity_get(c->store, iom_arena_printf(c->arena, "ENT-%06lld", (long long)*ce),
                                         c->arena, &en, &c->err)))
                break;
            if (en.confidence != conf[r->cluster]) {
                en.confidence = conf[r->cluster];
                if (!inc) /* made right by review_dates afterwards; incremental: kept, raised below */
                    en.review_date = review;
                en.updated_at = now;
                if ((err = PS(c)->entity_update(c->store, &en, &c->err)))
                    break;
            }
        }
        touched[r->cluster] = true;
        /* a person no reader of this record's marking has seen takes a new reference first */
        int64_t was = 0;
        if ((err = pic_renew_hidden(c, renew, false, tasking_id, ce, r->r->marking, now, &was)) ||
            (was && inc && !ids_push(&touched_e, was))) {
            if (!err)
                err = iom_fail(&c->err, IOM_ENOMEM, "out of memory");
            break;
        }
        r->entity = *ce;
        if (inc && !ids_push(&touched_e, r->entity)) {
            err = iom_fail(&c->err, IOM_ENOMEM, "out of memory");
            break;
        }
        if ((err = PS(c)->source_add(c->store, false, r->entity, r->r->id, NULL, label, seen, &c->err)))
            break;
        /* the identifiers: entities of their own and a link from the person */
        for (int k = 0; k < PIC_ROLE_COUNT && !err; k++) {
            picture_entity_type et;
            picture_link_type lt;
            if (!val(r, (picture_role)k) || !picture_role_entity((picture_role)k, &et, &lt))
                continue;
            char *ilabel;
            const char *key = ident_key(c->arena, r, (picture_role)k, &res->unusable, &ilabel);
            if (!key)
                continue;
            int64_t id = 0;
            const char *type = picture_entity_type_name(et);
            if ((err = PS(c)->entity_find_key(c->store, tasking_id, type, key, &id, &c->err)))
                break;
            if (!id) {
                iom_entity_t en = {.tasking_id = tasking_id, .type = (char *)type, .key = (char *)key,
                                   .label = ilabel, .confidence = 1.0, .review_date = review,
                                   .created_at = now, .updated_at = now};
                if ((err = PS(c)->entity_insert(c->store, &en, c->arena, &c->err)) ||
                    (err = pic_renewal_new(c, renew, false, en.id)))
                    break;
                id = en.id;
                res->created_entities++;
            } else {
                int64_t was_id = 0;
                if ((err = pic_renew_hidden(c, renew, false, tasking_id, &id, r->r->marking, now, &was_id)))
                    break;
                if (was_id && inc && !ids_push(&touched_e, was_id)) {
                    err = iom_fail(&c->err, IOM_ENOMEM, "out of memory");
                    break;
                }
            }
            if ((err = PS(c)->source_add(c->store, false, id, r->r->id, NULL, ilabel, seen, &c->err)))
                break;
            bool org = k == PIC_R_ORGANISATION;
            int64_t lid = 0;
            err = link_source(c, renew, r->r->marking, tasking_id, lt, org ? id : r->entity, org ? r->entity : id,
                              r->r->id,
                              iom_arena_printf(c->arena, "%s %s %s", org ? ilabel : label,
                                               picture_link_type_name(lt), org ? label : ilabel),
                              seen, review, now, &lid);
            if (!err && inc && (!ids_push(&touched_e, id) || !ids_push(&touched_l, lid)))
                err = iom_fail(&c->err, IOM_ENOMEM, "out of memory");
        }
        if (i % 4096 == 0)
            progress(o, "entities", i, n);
    }
    /* after a decision, a reopened person that kept all its records (the one left by a split,
       the one kept by a merge) writes none of them, yet its confidence is that of the links
       that now join it, as a whole run gives (review 50 M2) */
    /* and so does a person that kept its reference and lost records to another (an import's
       new model split it: review 80 L1, the half left showed the pair's confidence, 0.95
       for one record) */
    bool *lost = inc ? calloc(nclusters + 1, sizeof *lost) : NULL;
    if (inc && !lost)
        err = iom_fail(&c->err, IOM_ENOMEM, "out of memory");
    if (lost) {
        ent_rec *kept = malloc((nclusters + 1) * sizeof *kept); /* (entity, cluster) by entity */
        size_t nk = 0;
        if (!kept)
            err = iom_fail(&c->err, IOM_ENOMEM, "out of memory");
        for (size_t k = 1; kept && k <= nclusters; k++)
            if (cluster_entity[k])
                kept[nk++] = (ent_rec){cluster_entity[k], k};
        if (kept)
            qsort(kept, nk, sizeof *kept, ent_rec_cmp);
        for (size_t i = 0; kept && i < n; i++) {
            int64_t was = v[i].old_entity;
            if (!was || was == cluster_entity[v[i].cluster])
                continue;
            for (size_t lo = 0, hi = nk; lo < hi;) {
                size_t mid = lo + (hi - lo) / 2;
                if (kept[mid].entity == was) {
                    lost[kept[mid].rec] = true;
                    break;
                }
                if (kept[mid].entity < was)
                    lo = mid + 1;
                else
                    hi = mid;
            }
        }
        free(kept);
    }
    for (size_t i = 0; inc && i < n && !err; i++) {
        uint64_t cl = v[i].cluster;
        if (write[i] || touched[cl] || !cluster_entity[cl] || !(lost[cl] || (ro.n && fresh(o, &ro, v[i].r))))
            continue;
        touched[cl] = true;
        iom_entity_t en;
        if ((err = PS(c)->entity_get(c->store, iom_arena_printf(c->arena, "ENT-%06lld", (long long)cluster_entity[cl]),
                                     c->arena, &en, &c->err)))
            break;
        if (en.confidence != conf[cl]) {
            en.confidence = conf[cl];
            en.updated_at = now;
            err = PS(c)->entity_update(c->store, &en, &c->err);
        }
    }
    free(write);
    free(lost);
    if (err)
        goto done;
    /* after a decision, the persons it reopened and their links are touched even when none of
       their records moved: a merge moved B's sources into A before the resolution, so A's
       search document, deconfliction keys and review date (and those of the links it took
       over) must follow (review 50: B's names and date of birth left search and
       deconfliction) */
    for (size_t i = 0; inc && i < ro.n && !err; i++) {
        iom_plink_t *lv;
        size_t nl;
        if (!ids_push(&touched_e, ro.v[i]))
            err = iom_fail(&c->err, IOM_ENOMEM, "out of memory");
        else if (!(err = PS(c)->link_list(c->store, tasking_id, ro.v[i], c->arena, &lv, &nl, &c->err)))
            for (size_t k = 0; k < nl && !err; k++)
                if (!ids_push(&touched_l, lv[k].id))
                    err = iom_fail(&c->err, IOM_ENOMEM, "out of memory");
    }
    if (err)
        goto done;
    if (inc) {
        /* the persons merged into another: gone unless something else supports them; the
           review dates (MoPI) of what changed */
        ids_unique(&touched_e);
        ids_unique(&touched_l);
        if ((err = PS(c)->prune_of(c->store, gone.v, gone.n, &res->removed_entities, &res->removed_links,
                                   &c->err)) ||
            (err = PS(c)->review_dates_of(c->store, false, gone.v, gone.n, &c->err)))
            goto done;
        if (o->new_dataset > 0) { /* they gained sources of the new dataset's date */
            if ((err = PS(c)->review_date_raise(c->store, false, touched_e.v, touched_e.n, o->new_review, &c->err)) ||
                (err = PS(c)->review_date_raise(c->store, true, touched_l.v, touched_l.n, o->new_review, &c->err)))
                goto done;
        } else if ((err = PS(c)->review_dates_of(c->store, false, touched_e.v, touched_e.n, &c->err)) ||
                   (err = PS(c)->review_dates_of(c->store, true, touched_l.v, touched_l.n, &c->err))) {
            goto done; /* a decision: from their sources, as a whole run's review_dates */
        }
    } else if ((err = PS(c)->prune(c->store, tasking_id, &res->removed_entities, &res->removed_links, &c->err))) {
        goto done;
    }

    /* the review queue: near matches left apart, without a decision (when incremental, the
       queue as it was but for pairs now in one person, and the new records' near matches) */
    iom_review_t *qv = NULL;
    size_t nq = 0;
    if (inc && (err = PS(c)->review_list(c->store, tasking_id, c->arena, &qv, &nq, &c->err)))
        goto done;
    if ((err = PS(c)->review_clear(c->store, tasking_id, &c->err)))
        goto done;
    for (size_t i = 0; i < nq && !err && res->review_pairs < APP_PICTURE_REVIEW_MAX; i++) {
        int64_t a = find_rec(v, n, qv[i].record_a), b = find_rec(v, n, qv[i].record_b);
        if (a < 0 || b < 0 || v[a].cluster == v[b].cluster || decided_pair(dv, nd, &v[a], &v[b]))
            continue;
        err = PS(c)->review_add(c->store, &qv[i], &c->err);
        res->review_pairs++;
    }
    size_t nfeat = eng ? conflate_feature_count(eng) : 0;
    unsigned levels[CONFLATE_MAX_FEATURES];
    for (size_t i = 0; i < np && !err && res->review_pairs < APP_PICTURE_REVIEW_MAX; i++) {
        uint32_t a, b;
        double w = conflate_pair_get(eng, i, &a, &b, levels);
        double p = prob(w);
        if (p < o->review || p >= o->link || v[a].cluster == v[b].cluster)
            continue;
        if (decided_pair(dv, nd, &v[a], &v[b]))
            continue;
        /* the waterfall: the weight of each field's comparison level */
        json_t *fields = json_array();
        for (size_t f = 0; f < nfeat; f++) {
            const char *role = conflate_feature_role(eng, f);
            if (levels[f] == CONFLATE_LEVEL_MISSING) {
                json_array_append_new(fields, json_pack("{s:s, s:n, s:s, s:f}", "field", role, "level",
                                                        "comparison", "missing", "weight", 0.0));
                continue;
            }
            double fw = 0;
            conflate_feature_model(eng, f, (int)levels[f], NULL, NULL, &fw, NULL);
            int top = conflate_feature_levels(eng, f) - 1;
            json_array_append_new(fields, json_pack("{s:s, s:i, s:s, s:f}", "field", role, "level",
                                                    (int)levels[f], "comparison",
                                                    levels[f] == 0 ? "different"
                                                    : (int)levels[f] == top ? "exact" : "similar",
                                                    "weight", round(fw * 1000) / 1000));
        }
        json_t *ex = json_pack("{s:f, s:f, s:o}", "match_weight", round(w * 1000) / 1000,
                               "probability", p, "fields", fields);
        iom_review_t rp = {.tasking_id = tasking_id, .record_a = v[a].r->id, .record_b = v[b].r->id,
                           .probability = p, .explanation_json = work_json_text(c, ex), .created_at = now};
        err = PS(c)->review_add(c->store, &rp, &c->err);
        res->review_pairs++;
    }
    if (!err)
        err = PS(c)->review_sweep(c->store, tasking_id, &c->err);
    if (!err)
        err = PS(c)->counts(c->store, tasking_id, &res->entities, &res->links, &c->err);
    if (!err && inc) {
        /* search index and deconfliction keys of the entities changed or gone only */
        for (size_t i = 0; i < gone.n && !err; i++)
            if (!ids_push(&touched_e, gone.v[i]))
                err = iom_fail(&c->err, IOM_ENOMEM, "out of memory");
        if (!err && o->merged_away > 0 && !ids_push(&touched_e, o->merged_away))
            err = iom_fail(&c->err, IOM_ENOMEM, "out of memory");
        ids_unique(&touched_e);
        int64_t ents = 0, links = 0;
        if (!err)
            err = PS(c)->counts(c->store, tasking_id, &ents, &links, &c->err);
        /* read one by one when fewer than half of the entities changed, else all at once */
        if (!err && (int64_t)touched_e.n * 2 < ents)
            err = search_picture_changed_of(c, tasking_id, touched_e.v, touched_e.n, rv, n, NULL);
        else if (!err)
            err = search_picture_changed_with(c, tasking_id, rv, n, NULL);
    } else if (!err) {
        err = search_picture_changed_with(c, tasking_id, rv, n, NULL); /* search index, deconfliction */
    }
    progress(o, "entities", n, n);
done:
    free(v);
    free(votes);
    free(claims);
    free(cluster_entity);
    free(conf);
    free(touched);
    free(dirty);
    free(er);
    free(touched_e.v);
    free(touched_l.v);
    free(moved.v);
    free(gone.v);
    pic_renewal_free(&own);
    conflate_free(eng);
    return err;
}
