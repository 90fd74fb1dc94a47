/*
 * settings_store.h: the settings' sub-table of the store (issue 13 point 1; domain/settings.h).
 *
 * Every setting is kept as a series of versions 1, 2, 3, ... of its value (a JSON text
 * checked by domain/settings.h before it is stored), each with who changed it, when and why.
 * Version 1 of each is seeded by the migration that creates the table (changed_by NULL). The
 * current value is the highest version. Nothing updates or deletes a version (SQLite:
 * triggers), so the history is complete and a record that names the version it was made with
 * can always be explained.
 *
 * The same contract as store.h (transactions, arena ownership, error codes).
 */
#ifndef IOM_STORE_SETTINGS_STORE_H
#define IOM_STORE_SETTINGS_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

typedef struct iom_setting_t {
    char *name;            /* "assessment.scoring", ... */
    int64_t version;       /* 1, 2, 3, ... per name */
    char *value_json;      /* the value (canonical JSON text) */
    char *reason;          /* why it was set (version 1: "seeded by migration 8: ...") */
    int64_t changed_by;    /* user id, 0 for the seed */
    int64_t changed_at;    /* 0 for the seed (the migration has no clock of iom's) */
    /* joined, read-only: */
    char *changed_by_name; /* user name, NULL for the seed */
} iom_setting_t;

struct iom_store_settings_ops {
    int version;           /* 1 */

    /* OUT: the highest version of every stored setting, ordered by name. */
    iom_err (*current)(iom_store *s, iom_arena *a, iom_setting_t **out, size_t *n, iom_error *e);

    /* OUT: the versions of `name` below `before_version` (0: all), newest first, at most
       `limit` (0: no limit). An unknown name gives an empty list. */
    iom_err (*history)(iom_store *s, const char *name, int64_t before_version, size_t limit,
                       iom_arena *a, iom_setting_t **out, size_t *n, iom_error *e);

    /* Inside a write transaction: stores x (name, version, value_json, reason, changed_by,
       changed_at). x->version must be the current version + 1: IOM_ECONFLICT when that
       version exists already (another writer was first). */
    iom_err (*insert)(iom_store *s, const iom_setting_t *x, iom_error *e);
    /* New slots are appended below this line. */
};

#endif
