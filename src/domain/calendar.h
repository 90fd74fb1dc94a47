/*
 * calendar.h: working days (issue 12 point 4). A working day is Monday to Friday and not a
 * bank holiday of England and Wales; the holidays are reference data in the store (seeded for
 * 2020-2030 by migration 8, extended by an admin), passed in here as day numbers. Pure
 * functions; days are civil day numbers (days since 1970-01-01, util/timefmt.h
 * iom_days_from_civil).
 */
#ifndef IOM_DOMAIN_CALENDAR_H
#define IOM_DOMAIN_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 0 Monday .. 6 Sunday. */
int calendar_weekday(int64_t day);

/* Is `day` a working day? holidays: sorted ascending (n may be 0). */
bool calendar_is_working_day(int64_t day, const int64_t *holidays, size_t n);

/* The n-th working day after `day` (n >= 1; n <= 0 gives `day` itself): a bid submitted on a
   Friday with a target of one working day is due on Monday, or Tuesday when that Monday is a
   bank holiday. */
int64_t calendar_add_working_days(int64_t day, int n, const int64_t *holidays, size_t nh);

#endif
