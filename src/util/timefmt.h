/*
 * timefmt.h: time stamps as iom shows them. Stored and sent as UTC ("2026-11-25T19:30:00Z");
 * people see UK local time (Europe/London, GMT/BST) with the zone named.
 */
#ifndef IOM_UTIL_TIMEFMT_H
#define IOM_UTIL_TIMEFMT_H

#include <stdbool.h>
#include <stdint.h>

#include "util/err.h"

/* Writes "YYYY-MM-DDTHH:MM:SSZ" (21 bytes with NUL) into out. */
void iom_time_utc(int64_t t, char out[32]);

/* Writes UK local time "YYYY-MM-DD HH:MM GMT|BST" into out (computed from the EU/UK DST rule:
   BST from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October),
   without touching the process's TZ. */
void iom_time_uk(int64_t t, char out[32]);

/* The UTC instant at which the UK day `day` (days since 1970-01-01) begins: its 00:00 in
   Europe/London, by the same rule as iom_time_uk (pure arithmetic). */
int64_t iom_uk_day_start(int64_t day);

/* The zone people see times in: NULL or "Europe/London" (the default) is iom_time_uk; any
   other IANA zone name ("UTC", "Europe/Dublin") is read from the system's time zone data,
   and the process's TZ is set to it (call once, before threads start: the CLI's --tz and
   IOM_TZ). IOM_EINVAL naming "tz" for a zone the system does not know. */
iom_err iom_time_set_zone(const char *zone, iom_error *e);

/* A time as people see it, in the zone set above: "YYYY-MM-DD HH:MM ZONE". */
void iom_time_display(int64_t t, char out[32]);

/* Parses "YYYY-MM-DDTHH:MM:SSZ" or "YYYY-MM-DD" (midnight UTC). */
iom_err iom_time_parse(const char *field, const char *s, int64_t *out, iom_error *e);

/* Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm). */
int64_t iom_days_from_civil(int64_t y, unsigned m, unsigned d);

/* The day number (iom_days_from_civil) of a "YYYY-MM-DD" date, read without sscanf (the
   list reads a hundred holidays per request); false when s does not start with four digits,
   '-', two digits, '-', two digits (a month 1-12, a day 1-31), *out then 0. Nothing after the
   tenth character is read. */
bool iom_day_number(const char *s, int64_t *out);

#endif
