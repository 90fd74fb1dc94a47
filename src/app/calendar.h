/*
 * calendar.h: bank holidays and working days (issue 12 point 4) as use-cases.
 *
 * The Gateway triages a submitted bid within a target counted in working days by urgency
 * (domain.md §1: routine 10, priority 5, urgent 1, the setting `triage.target_days`,
 * docs/settings.md); working days skip
 * weekends and the bank holidays of England and Wales, reference data seeded for 2020-2030
 * and extended by an admin.
 */
#ifndef IOM_APP_CALENDAR_H
#define IOM_APP_CALENDAR_H

#include "app/app.h"
#include "store/tasking_store.h"

/* `iom holiday list [--year Y]`: every bank holiday (of year Y), by day. Any signed-in user.
   OUT arena array. IOM_EINVAL for a year outside 1900-2999. */
iom_err app_holiday_list(iom_ctx *c, int year, iom_holiday_t **out, size_t *n);

/* `iom holiday add DAY --name NAME` (admin, audited "holiday.add"): IOM_EINVAL for a bad date
   or name, IOM_ECONFLICT when the day is listed already. OUT: the holiday (arena). */
iom_err app_holiday_add(iom_ctx *c, const char *day, const char *name, iom_holiday_t *out);

/* `iom holiday remove DAY [--reason TEXT]` (admin, audited "holiday.remove" with the holiday
   removed and the reason): a day added by mistake moved every Gateway triage deadline past it.
   IOM_EINVAL for a bad date or reason, IOM_ENOTFOUND when the day is not listed. OUT: the
   holiday removed (arena). */
iom_err app_holiday_remove(iom_ctx *c, const char *day, const char *reason, iom_holiday_t *out);

/* Inside an open transaction: sets t[i].triage_due (a civil day number; 0 when none) for the
   taskings in state `submitted`: the day their Gateway triage is due, the urgency's target in
   working days after the UK date of submission. */
iom_err app_tasking_fill_triage_due(iom_ctx *c, iom_tasking_t *t, size_t n);

#endif
