/*
 * input_int.h: checks of input records shared by comms.c and finance.c (src/graph only).
 * Every function here is pure: no allocation, no I/O. Errors name the record and the field.
 */
#ifndef IOM_GRAPH_INPUT_INT_H
#define IOM_GRAPH_INPUT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* Copies `in` (NULL: "") without its surrounding blanks into buf, NUL-terminated. False when
 * it does not fit in cap bytes (buf then undefined). */
bool graph_i_trimmed(const char *in, char *buf, size_t cap);

/* IOM_OK when valid_from <= t < valid_to; else IOM_EINVAL "<where> <i>: <field>: <t> is out of
 * range (<valid_from> to before <valid_to>)", times in UTC. */
iom_err graph_i_check_time(int64_t t, int64_t valid_from, int64_t valid_to, const char *where,
                           size_t i, const char *field, iom_error *e);

/* An input array's size: IOM_ETOOBIG "<area>: <n> <items> (at most 2^32 - 2)" when the
 * indices would not fit 32 bits; IOM_EINVAL "<area>: <n> <items> but no array" when n > 0
 * and the array is NULL. */
iom_err graph_i_check_count(size_t n, const void *array, const char *area, const char *items,
                            iom_error *e);

#endif
