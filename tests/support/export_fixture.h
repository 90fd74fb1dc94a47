/*
 * export_fixture.h: one hostile chart for the export tests (tests/unit/test_export_*.c).
 *
 * Seven entities (every kind of trouble: quotes, <, &, C0 controls, invalid UTF-8, an overlong
 * form, U+FFFF, CR LF, emoji, cells starting = + - @, an attribute key equal to a built-in
 * field) and five links (directed and not, two parallel, one self-loop), graded across all
 * three axes, four C items with three distinct condition texts, OFFICIAL and
 * OFFICIAL-SENSITIVE.
 *
 * The texts a format cannot carry as they are, the expectation table gives explicitly (no
 * second implementation of the escaping): tx_xml is what an XML parser must read back from ANX
 * and GraphML (C0 controls other than TAB, LF, CR, U+FFFE/U+FFFF and invalid UTF-8 as U+FFFD),
 * tx_utf8 what JSON and CSV carry (invalid UTF-8 as U+FFFD, controls kept).
 */
#ifndef IOM_TEST_EXPORT_FIXTURE_H
#define IOM_TEST_EXPORT_FIXTURE_H

#include <stddef.h>

#include "export/export.h"

/* The chart (static storage). */
const export_chart *tx_chart(void);

/* A chart without any C item, all OFFICIAL (chart marking OFFICIAL). */
const export_chart *tx_chart_plain(void);

/* What XML readers must read for raw (raw itself when it needs no replacement). */
const char *tx_xml(const char *raw);
/* What JSON and CSV must carry for raw. */
const char *tx_utf8(const char *raw);

/* The highest marking and the distinct conditions of tx_chart, in chart order. */
extern const char *const tx_conditions[];
extern const size_t tx_nconditions;
extern const char tx_title[];

#endif
