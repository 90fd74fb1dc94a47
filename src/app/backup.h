/*
 * backup.h: backup, restore and copy of a whole database (issue 19 point 5; docs/operations.md).
 * CLI only (`iom backup|restore|copy`): they act on the database's files, which belong to
 * whoever runs the servers, not to a user of the API.
 *
 * A backup never holds the audit key: the key stays beside the database (`<db>.key`) and is
 * backed up apart. Each use-case writes one audit entry in the database it leaves behind:
 * `store.backup` in the source (file, SHA-256, bytes, schema), `store.restore` in the restored
 * database (the backup's file and SHA-256), `store.copy` in the copy.
 */
#ifndef IOM_APP_BACKUP_H
#define IOM_APP_BACKUP_H

#include "app/app.h"

typedef struct app_backup_result {
    char sha256[65];          /* of the backup's main file */
    int64_t bytes;            /* its size */
    int schema;               /* the schema version it holds */
    int64_t audit_entries;    /* the change chain's length in it (verified: restore, copy) */
    int64_t tables;           /* tables compared (copy) */
    int64_t rows;             /* rows in them (copy) */
} app_backup_result;

/* `iom backup --out FILE [--force]`: a consistent copy of c's database at FILE (and
   FILE.reads) while servers go on; then "store.backup" audited in c's database. Needs the
   audit key. IOM_ECONFLICT for an existing FILE without force. */
iom_err app_backup(iom_ctx *c, const char *file, bool force, app_backup_result *out);

/* The SHA-256 of a file as 64 hex digits (IOM_EIO naming it when unreadable). */
iom_err app_file_sha256(const char *path, char out[65], int64_t *bytes, iom_error *e);

/* After a restore or copy into c's database (schema migrated): the change chain verifies under
   c's key, then, in one write transaction, the cache epoch jumps (store.h cache_epoch_jump: no
   handle's cache of the database as it was can serve the new rows) and "<action>" is audited
   with `what` (a JSON object, taken). */
iom_err app_backup_settle(iom_ctx *c, const char *action, json_t *what, app_backup_result *out);

/* `iom copy`: every table of `to` holds as many rows as in `from` (the read chain's included);
   IOM_EINTEGRITY naming the first that differs. OUT tables and rows compared. */
iom_err app_copy_compare(iom_ctx *from, iom_ctx *to, app_backup_result *out);

#endif
