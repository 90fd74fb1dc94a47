/*
 * sqlite_store.h: the SQLite back-end of store.h (embedded default).
 * WAL journal, foreign keys on, synchronous=FULL, busy timeout 5 s, numbered migrations in
 * PRAGMA user_version. Files are created with mode 0600. The read chain's entries are in a
 * second file, "<path>.reads", attached to every handle as schema `reads` (sqlite_store.c
 * attach_reads says why); the read chain's start stays in the main file with the change chain.
 */
#ifndef IOM_STORE_SQLITE_H
#define IOM_STORE_SQLITE_H

#include "store/store.h"

/* Opens (or with IOM_STORE_CREATE creates) the database at path. OUT *out: free with
   iom_store_close. Errors: IOM_ESCHEMA (not initialised / older / newer schema, message names
   the command to run), IOM_ESTORE (cannot open), IOM_EIO. */
iom_err store_sqlite_open(const char *path, int flags, iom_store **out, iom_error *e);
/* store.h iom_store_restore for an SQLite path (sqlite_backup.c). */
iom_err store_sqlite_restore(const char *from, const char *to, bool force, int *schema, iom_error *e);

/* Internal to the back-end: the migrations (schema.c). */
extern const char *const sqlite_migrations[];
extern const int sqlite_migration_count;
/* The tables of the read log's file (schema_reads.c), for a database whose file is missing. */
extern const char sqlite_reads_schema[];

#endif
