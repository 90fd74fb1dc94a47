/*
 * csvin.h: streaming RFC 4180 CSV reading (libcsv) with physical line numbers.
 *
 * The reader feeds libcsv one physical line at a time so every row and every malformed line
 * can be reported with its line number. Leading and trailing spaces/tabs of unquoted fields
 * are trimmed (so FEBRL's ", " separators read as ","), CRLF and LF both end a row, blank
 * lines are ignored, a UTF-8 byte-order mark at the start is dropped, a missing final
 * newline is fine. A field longer than CONFLATE_CSV_FIELD_MAX bytes or a row with more
 * than CONFLATE_CSV_MAX_FIELDS fields makes the line malformed, unless the options allow long
 * fields: then a field of up to CONFLATE_CSV_LONG_MAX bytes is passed empty and flagged in
 * the row's `over`, for the caller to decide (the conflation engine ignores such a value in a
 * column it does not use); a longer one makes the line malformed.
 *
 * The delimiter is a comma unless options name another or ask for detection (the first line
 * decides). An input in Latin-1 or Windows-1252 is converted to UTF-8 as it is read.
 *
 * Malformed input (a stray quote in strict mode, an unterminated quoted field at end of
 * file, an oversize field) is passed to `bad` with the line number and a reason; if `bad`
 * returns IOM_OK the reader resynchronises at the next line and goes on, otherwise reading
 * stops and its code is returned. Encoding (UTF-8) is the caller's check.
 */
#ifndef IOM_CONFLATE_CSVIN_H
#define IOM_CONFLATE_CSVIN_H

#include <stddef.h>

#include "conflate/conflate.h"
#include "util/err.h"

#define CONFLATE_CSV_FIELD_MAX (1u << 20)
#define CONFLATE_CSV_MAX_FIELDS 4096
#define CONFLATE_CSV_LONG_MAX (64u << 20)

/* One row, borrowed for the duration of the callback. f[i] is NUL-terminated and may hold
 * embedded NULs (len[i] is authoritative). line is the physical line the row ends on. */
typedef struct conflate_csv_row {
    const char *const *f;
    const size_t *len;
    size_t n;
    size_t line;
    const unsigned char *over; /* NULL, or per field 1 when its value was longer than
                                  CONFLATE_CSV_FIELD_MAX (given empty; only with long_fields) */
    int printable;             /* 1: every field is known to hold printable ASCII (U+0020 to
                                  U+007E) and tabs only; 0: not known */
} conflate_csv_row;

typedef iom_err (*conflate_csv_row_fn)(void *ud, const conflate_csv_row *row, iom_error *e);
typedef iom_err (*conflate_csv_bad_fn)(void *ud, size_t line, const char *why, iom_error *e);

typedef struct conflate_csv_opts {
    char delimiter;             /* ',' ';' '\t' '|', or 0: detected from the first line */
    conflate_encoding encoding; /* conflate.h: Latin-1 and Windows-1252 are converted */
    char detected;              /* out: the delimiter used */
    int long_fields;            /* 1: a field over CONFLATE_CSV_FIELD_MAX (up to
                                   CONFLATE_CSV_LONG_MAX) is passed empty, flagged in `over` */
    int libcsv_only;            /* 1: every line split by libcsv, as the reader did before it
                                   split lines without quotes itself (the same rows; for
                                   bench_conflate's floor and the tests that compare the two) */
    int detected_how;           /* out: 0 given (or a comma by default), 1 detected from the
                                   header, 2 named by an Excel `sep=` first line */
} conflate_csv_opts;

/* The delimiter of a file's first lines (line[0..n), the first CONFLATE_CSV_DETECT_LINES that
 * hold any of ',' ';' '\t' '|' outside quotes): the one that splits the most of those lines into
 * one same number of fields (a report's title lines, blank lines or a stray semicolon in a value
 * do not agree with the rows); on a tie the one the first such line holds more of, then the one
 * that gives more fields, then the earlier in that list; a comma when none occurs. */
#define CONFLATE_CSV_DETECT_LINES 24
char conflate_csv_detect_delimiter(const char *line, size_t n);

/* Parses data[0..n). Returns IOM_OK, or the first non-OK code of a callback. */
iom_err conflate_csv_parse(const char *data, size_t n, conflate_csv_row_fn row,
                           conflate_csv_bad_fn bad, void *ud, iom_error *e);

/* Streams a file (64 KiB reads). IOM_EIO naming the path when it cannot be opened or read;
 * otherwise as conflate_csv_parse. */
iom_err conflate_csv_read_file(const char *path, conflate_csv_row_fn row, conflate_csv_bad_fn bad,
                               void *ud, iom_error *e);

/* The same with options (o may be NULL: detect the delimiter, UTF-8); o->detected is set. */
iom_err conflate_csv_parse_opts(const char *data, size_t n, conflate_csv_opts *o,
                                conflate_csv_row_fn row, conflate_csv_bad_fn bad, void *ud,
                                iom_error *e);
iom_err conflate_csv_read_file_opts(const char *path, conflate_csv_opts *o,
                                    conflate_csv_row_fn row, conflate_csv_bad_fn bad, void *ud,
                                    iom_error *e);

#endif
