/* csvin.c: see csvin.h. */
#include "conflate/csvin.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "conflate/strtab.h"
#include "util/text.h"

typedef struct reader {
    struct csv_parser p;
    conflate_csv_row_fn row;
    conflate_csv_bad_fn bad;
    void *ud;
    iom_error *e;
    iom_err rc;        /* first failure of a callback: stops reading */
    size_t line;       /* physical line being fed (1-based) */
    int started;       /* BOM check done */
    int bad_row;       /* current row already reported as malformed */
    const char *bad_why;
    /* current row */
    char *buf;
    size_t nbuf, capbuf;
    size_t *offs, *lens;
    unsigned char *over; /* per field: longer than the limit (long_fields) */
    int over_any;
    int long_fields;
    int libcsv_only; /* no plain_line */
    int printable;   /* the row being made came from a line of printable ASCII and tabs */
    size_t nf, capf;
    const char **ptrs;
    size_t capptrs;
    /* options */
    unsigned char delim;
    int detect;
    int how; /* conflate_csv_opts.detected_how */
    conflate_encoding enc;
    char *conv; /* the chunk converted to UTF-8 */
    int utf16;  /* the input began with a UTF-16 byte-order mark */
    size_t capconv;
} reader;

/* libcsv grows its field buffer with this; refusing beyond the limit turns a runaway
 * quoted field into CSV_ENOMEM instead of unbounded memory. */
static void *limited_realloc(void *p, size_t n)
{
    if (n > (size_t)CONFLATE_CSV_FIELD_MAX + 1024)
        return NULL;
    return realloc(p, n);
}

/* The same for a reader that allows long fields (each one passed empty and flagged). */
static void *long_realloc(void *p, size_t n)
{
    if (n > (size_t)CONFLATE_CSV_LONG_MAX + 1024)
        return NULL;
    return realloc(p, n);
}

#define TEXT_OF(x) #x
#define TEXT_OF_VALUE(x) TEXT_OF(x)
#define MAX_FIELDS_TEXT TEXT_OF_VALUE(CONFLATE_CSV_MAX_FIELDS)

static void field_cb(void *s, size_t len, void *data)
{
    reader *r = data;
    if (r->rc != IOM_OK || r->bad_row)
        return;
    if (r->nf >= CONFLATE_CSV_MAX_FIELDS) {
        r->bad_row = 1;
        r->bad_why = "too many fields (at most " MAX_FIELDS_TEXT ")";
        return;
    }
    if (r->nf == r->capf) {
        r->capf = r->capf ? r->capf * 2 : 32;
        r->offs = conflate_xrealloc(r->offs, r->capf * sizeof *r->offs);
        r->lens = conflate_xrealloc(r->lens, r->capf * sizeof *r->lens);
        r->over = conflate_xrealloc(r->over, r->capf * sizeof *r->over);
    }
    r->over[r->nf] = 0;
    if (len > CONFLATE_CSV_FIELD_MAX) { /* exactly the limit (libcsv's buffer has slack) */
        if (!r->long_fields) {
            r->bad_row = 1;
            r->bad_why = "field longer than 1 MiB";
            return;
        }
        r->over[r->nf] = 1;
        r->over_any = 1;
        len = 0;
    }
    if (r->nbuf + len + 1 > r->capbuf) {
        size_t c = r->capbuf ? r->capbuf : 1024;
        while (c < r->nbuf + len + 1)
            c *= 2;
        r->buf = conflate_xrealloc(r->buf, c);
        r->capbuf = c;
    }
    if (len)
        memcpy(r->buf + r->nbuf, s, len);
    r->buf[r->nbuf + len] = 0;
    r->offs[r->nf] = r->nbuf;
    r->lens[r->nf] = len;
    r->nbuf += len + 1;
    r->nf++;
}

static void report_bad(reader *r, const char *why)
{
    if (r->rc != IOM_OK)
        return;
    iom_err rc = r->bad ? r->bad(r->ud, r->line, why, r->e)
                        : iom_fail(r->e, IOM_EINVAL, "line %zu: %s", r->line, why);
    if (rc != IOM_OK)
        r->rc = rc;
}

static void row_cb(int c, void *data)
{
    reader *r = data;
    (void)c;
    if (r->rc == IOM_OK) {
        if (r->bad_row) {
            report_bad(r, r->bad_why);
        } else {
            if (r->nf > r->capptrs) {
                r->capptrs = r->capf;
                r->ptrs = conflate_xrealloc(r->ptrs, r->capptrs * sizeof *r->ptrs);
            }
            for (size_t i = 0; i < r->nf; i++)
                r->ptrs[i] = r->buf + r->offs[i];
            conflate_csv_row row = {r->ptrs, r->lens, r->nf, r->line,
                                    r->over_any ? r->over : NULL, r->printable};
            iom_err rc = r->row(r->ud, &row, r->e);
            if (rc != IOM_OK)
                r->rc = rc;
        }
    }
    r->nf = 0;
    r->nbuf = 0;
    r->bad_row = 0;
    r->over_any = 0;
    r->printable = 0;
}

static void reset_parser(reader *r)
{
    r->printable = 0;
    csv_free(&r->p);
    csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI);
    csv_set_realloc_func(&r->p, r->long_fields ? long_realloc : limited_realloc);
    csv_set_delim(&r->p, r->delim);
    r->nf = 0;
    r->nbuf = 0;
    r->bad_row = 0;
    r->over_any = 0;
}

static const char *csv_why(const reader *r, int err)
{
    switch (err) {
    case CSV_ENOMEM:
        return r->long_fields ? "field longer than 64 MiB" : "field longer than 1 MiB";
    case CSV_EPARSE:
        return "malformed quoting (a quote inside an unquoted field, or text after a closing quote)";
    default:
        return "malformed CSV";
    }
}


char conflate_csv_detect_delimiter(const char *line, size_t n)
{
    static const char cand[4] = {',', ';', '\t', '|'};
    /* each candidate's count outside quotes on each of the first lines (a quote's state is
       carried over a line break, as a quoted field may hold one) */
    size_t count[CONFLATE_CSV_DETECT_LINES][4];
    memset(count, 0, sizeof count);
    int lines = 0, quoted = 0;
    for (size_t i = 0; i < n && lines < CONFLATE_CSV_DETECT_LINES;) {
        int any = 0;
        for (; i < n && (line[i] != '\n' || quoted); i++) {
            if (line[i] == '"')
                quoted = !quoted;
            else if (!quoted)
                for (int k = 0; k < 4; k++)
                    if (line[i] == cand[k]) {
                        count[lines][k]++;
                        any = 1;
                    }
        }
        i++;
        lines += any; /* a title or blank line without any is not counted */
    }
    /* the delimiter that splits the most lines into one same number of fields: a data file's
       lines agree, a title above them ("Stop Search Report, Q1 2024" over tab-separated rows:
       review 118 L1) or a value's stray semicolon does not; on a tie, the one the first of
       those lines (the header, or the title) holds more of, then the more fields, then the
       comma's side of the list */
    int best = 0;
    size_t best_lines = 0, best_first = 0, best_count = 0;
    for (int k = 0; k < 4; k++) {
        for (int a = 0; a < lines; a++) {
            if (!count[a][k])
                continue;
            size_t same = 0;
            for (int b = 0; b < lines; b++)
                same += count[b][k] == count[a][k];
            size_t first = count[0][k];
            if (same > best_lines || (same == best_lines && first > best_first) ||
                (same == best_lines && first == best_first && count[a][k] > best_count)) {
                best = k;
                best_lines = same;
                best_first = first;
                best_count = count[a][k];
            }
        }
    }
    return cand[best];
}

/* Windows-1252 0x80-0x9F; the five undefined bytes keep their Latin-1 (C1) code points. */
static const unsigned short CP1252[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

/* The chunk in UTF-8 (r->conv), from a single-byte encoding. */
static const char *convert(reader *r, const char *s, size_t *n)
{
    if (r->capconv < *n * 3 + 1) {
        r->capconv = *n * 3 + 1;
        r->conv = conflate_xrealloc(r->conv, r->capconv);
    }
    size_t o = 0;
    for (size_t i = 0; i < *n; i++) {
        unsigned c = (unsigned char)s[i];
        if (r->enc == CONFLATE_ENC_CP1252 && c >= 0x80 && c <= 0x9F)
            c = CP1252[c - 0x80];
        if (c < 0x80) {
            r->conv[o++] = (char)c;
        } else if (c < 0x800) {
            r->conv[o++] = (char)(0xC0 | c >> 6);
            r->conv[o++] = (char)(0x80 | (c & 0x3F));
        } else {
            r->conv[o++] = (char)(0xE0 | c >> 12);
            r->conv[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
            r->conv[o++] = (char)(0x80 | (c & 0x3F));
        }
    }
    *n = o;
    return r->conv;
}

/* A space libcsv drops around an unquoted field (its default: space and tab, unless the tab
   is the delimiter). */
static inline int csv_space(unsigned char c, unsigned char delim)
{
    return (c == ' ' || c == '\t') && c != delim;
}

/*
 * Most lines of an extract hold no quote: such a line, whole (ending in a line feed), begun at
 * a row's start, is split here into the fields and row that libcsv gives for it, without its
 * state machine over every byte (at 1M records libcsv was half of the reading thread's time).
 * As libcsv does: fields end at the delimiter, the spaces and tabs around a field are dropped,
 * a carriage return before the line feed ends the row, and a line of spaces alone is no row.
 * A line with a quote, a carriage return elsewhere, or over CONFLATE_CSV_FIELD_MAX bytes (so
 * that the limits are told as libcsv tells them) is left to libcsv: returns 0 then.
 * tests/unit/test_conflate_csv.c compares the two on random lines.
 */
static int plain_line(reader *r, const char *s, size_t seg)
{
    /* pstate 0: libcsv's ROW_NOT_BEGUN (no row and no quoted field pending) */
    if (r->libcsv_only || r->p.pstate != 0 || seg > CONFLATE_CSV_FIELD_MAX || memchr(s, '"', seg))
        return 0;
    size_t end = seg - 1; /* the line feed */
    if (end && s[end - 1] == '\r')
        end--;
    if (memchr(s, '\r', end))
        return 0;
    const unsigned char *u = (const unsigned char *)s;
    unsigned char d = r->delim;
    size_t i = 0;
    while (i < end && csv_space(u[i], d))
        i++;
    if (i == end)
        return 1; /* blank: libcsv gives no row */
    /* printable ASCII and tabs: the row's fields need no check of their text (most lines of
       an extract are so). Set only for the row made here: row_cb clears it (review 107 H1:
       set before a blank line's return, it stayed on for the next row libcsv made, and that
       row's NUL bytes, control characters and invalid UTF-8 went unchecked) */
    r->printable = iom_text_plain_ascii(s, end);
    for (;;) {
        while (i < end && csv_space(u[i], d))
            i++;
        size_t b = i;
        while (i < end && u[i] != d)
            i++;
        size_t e = i;
        while (e > b && csv_space(u[e - 1], d))
            e--;
        field_cb((void *)(s + b), e - b, r);
        if (i == end)
            break;
        i++; /* the delimiter */
    }
    row_cb('\n', r);
    return 1;
}

#define UTF16_WHY                                                                            \
    "the file is UTF-16 (its byte-order mark says so): save it as UTF-8 (Excel: \"CSV UTF-8\"), " \
    "or convert it with iconv -f UTF-16 -t UTF-8"

static void feed_chunk(reader *r, const char *s, size_t n, int *skip)
{
    if (!r->started && n >= 2 &&
        (((unsigned char)s[0] == 0xFF && (unsigned char)s[1] == 0xFE) ||
         ((unsigned char)s[0] == 0xFE && (unsigned char)s[1] == 0xFF))) {
        r->started = 1;
        r->utf16 = 1;
        r->rc = iom_fail(r->e, IOM_EINVAL, "%s", UTF16_WHY);
        return;
    }
    if (r->enc == CONFLATE_ENC_LATIN1 || r->enc == CONFLATE_ENC_CP1252)
        s = convert(r, s, &n);
    if (!r->started) {
        r->started = 1;
        if (n >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
            (unsigned char)s[2] == 0xBF) {
            s += 3;
            n -= 3;
        }
        /* Excel's "sep=;" first line names the delimiter (review 105 L: it was taken as the
           header): it is used unless one was given, and the line is skipped */
        size_t nl = n >= 6 && !memcmp(s, "sep=", 4) && s[5] == '\n' ? 6
                    : n >= 7 && !memcmp(s, "sep=", 4) && s[5] == '\r' && s[6] == '\n' ? 7 : 0;
        if (nl && s[4] && strchr(",;\t|", s[4])) {
            if (r->detect) {
                r->delim = (unsigned char)s[4];
                csv_set_delim(&r->p, r->delim);
                r->detect = 0;
                r->how = 2;
            }
            s += nl;
            n -= nl;
            r->line++;
        }
        if (r->detect) {
            r->delim = (unsigned char)conflate_csv_detect_delimiter(s, n);
            csv_set_delim(&r->p, r->delim);
            r->how = 1;
        }
    }
    while (n > 0 && r->rc == IOM_OK) {
        const char *nl = memchr(s, '\n', n);
        size_t seg = nl ? (size_t)(nl - s) + 1 : n;
        if (!*skip && nl && plain_line(r, s, seg)) {
            /* split here, as libcsv would have */
        } else if (!*skip) {
            size_t got = csv_parse(&r->p, s, seg, field_cb, row_cb, r);
            if (got != seg && r->rc == IOM_OK) {
                report_bad(r, csv_why(r, csv_error(&r->p)));
                reset_parser(r);
                *skip = 1; /* resynchronise at the next physical line */
            }
        }
        if (nl) {
            r->line++;
            *skip = 0;
        }
        s += seg;
        n -= seg;
    }
}

static void reader_init(reader *r, conflate_csv_row_fn row, conflate_csv_bad_fn bad, void *ud,
                        iom_error *e, const conflate_csv_opts *o)
{
    memset(r, 0, sizeof *r);
    r->delim = o && o->delimiter ? (unsigned char)o->delimiter : ',';
    r->detect = o && !o->delimiter;
    r->enc = o && o->encoding != CONFLATE_ENC_DEFAULT ? o->encoding : CONFLATE_ENC_UTF8;
    r->row = row;
    r->bad = bad;
    r->ud = ud;
    r->e = e;
    r->line = 1;
    r->long_fields = o && o->long_fields;
    r->libcsv_only = o && o->libcsv_only;
    csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI);
    csv_set_realloc_func(&r->p, r->long_fields ? long_realloc : limited_realloc);
    csv_set_delim(&r->p, r->delim);
}

static iom_err reader_finish(reader *r, conflate_csv_opts *o)
{
    if (r->rc == IOM_OK) {
        if (csv_fini(&r->p, field_cb, row_cb, r) != 0 && r->rc == IOM_OK)
            report_bad(r, "unterminated quoted field at end of file");
    }
    csv_free(&r->p);
    if (o) {
        o->detected = (char)r->delim;
        o->detected_how = r->how;
    }
    free(r->conv);
    free(r->buf);
    free(r->offs);
    free(r->lens);
    free(r->over);
    free(r->ptrs);
    return r->rc;
}

iom_err conflate_csv_parse_opts(const char *data, size_t n, conflate_csv_opts *o,
                                conflate_csv_row_fn row, conflate_csv_bad_fn bad, void *ud,
                                iom_error *e)
{
    reader r;
    int skip = 0;
    reader_init(&r, row, bad, ud, e, o);
    feed_chunk(&r, data, n, &skip);
    return reader_finish(&r, o);
}

iom_err conflate_csv_parse(const char *data, size_t n, conflate_csv_row_fn row,
                           conflate_csv_bad_fn bad, void *ud, iom_error *e)
{
    conflate_csv_opts o = {',', CONFLATE_ENC_UTF8, 0};
    return conflate_csv_parse_opts(data, n, &o, row, bad, ud, e);
}

iom_err conflate_csv_read_file_opts(const char *path, conflate_csv_opts *o,
                                    conflate_csv_row_fn row, conflate_csv_bad_fn bad, void *ud,
                                    iom_error *e)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return iom_fail(e, IOM_EIO, "cannot open %s: %s", path, strerror(errno));
    reader r;
    int skip = 0;
    reader_init(&r, row, bad, ud, e, o);
    enum { CHUNK = 1 << 16 };
    char *buf = conflate_xmalloc(CHUNK);
    size_t got;
    while (r.rc == IOM_OK && (got = fread(buf, 1, CHUNK, f)) > 0)
        feed_chunk(&r, buf, got, &skip);
    int ioerr = ferror(f);
    int saved = errno;
    fclose(f);
    free(buf);
    int utf16 = r.utf16;
    iom_err rc = reader_finish(&r, o);
    if (utf16)
        return iom_fail(e, IOM_EINVAL, "%s: %s", path, UTF16_WHY);
    if (rc == IOM_OK && ioerr)
        return iom_fail(e, IOM_EIO, "cannot read %s: %s", path, strerror(saved));
    return rc;
}

iom_err conflate_csv_read_file(const char *path, conflate_csv_row_fn row, conflate_csv_bad_fn bad,
                               void *ud, iom_error *e)
{
    conflate_csv_opts o = {',', CONFLATE_ENC_UTF8, 0};
    return conflate_csv_read_file_opts(path, &o, row, bad, ud, e);
}
