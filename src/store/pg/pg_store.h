/*
 * pg_store.h: the PostgreSQL back-end of store.h (libpq), for several `iom serve` processes on
 * one database.
 *
 * The location is a libpq URI, postgresql://[user@][host][:port]/dbname[?param=value...]; what
 * it leaves out comes from libpq's PG* environment variables (PGHOST, PGUSER, PGPASSWORD...).
 * Transactions (docs/operations.md, "PostgreSQL: transactions"):
 *  - a write transaction is READ COMMITTED and first takes the database's one transaction-level
 *    advisory lock, so writers run one at a time across every server, as on SQLite: the audit
 *    chain's head is read and extended under it and cannot fork, and a version check (409) and
 *    the update after it cannot interleave with another writer;
 *  - a read transaction is REPEATABLE READ: one snapshot for all its statements.
 * The schema's version is in the one-row table iom_schema; migrations run as the role that owns
 * the tables (iom init / iom migrate), the servers connect as a role that does not.
 */
#ifndef IOM_STORE_PG_STORE_H
#define IOM_STORE_PG_STORE_H

#include "store/store.h"

/* True when `location` names a PostgreSQL database (postgres:// or postgresql://). */
bool store_is_pg(const char *location);

/* True when the file starts as pg_dump's custom format does (a PostgreSQL backup). */
bool store_pg_is_dump(const char *path);

/* Restores the backup `from` (a pair of pg_dump files, pg_backup.c) into the database at the
   URI `to`, connected as the role in `to` (the owner role): store.h iom_store_restore. */
iom_err store_pg_restore(const char *from, const char *to, bool force, int *schema, iom_error *e);

/* Opens a connection to the database at `location` (see above). IOM_STORE_CREATE is not needed:
   the database itself is made by its administrator; `iom init` applies the schema. OUT *out:
   free with iom_store_close. Errors: IOM_ESCHEMA (not initialised / older / newer schema, the
   message names the command to run), IOM_ESTORE (cannot connect; the message never holds the
   password). */
iom_err store_pg_open(const char *location, int flags, iom_store **out, iom_error *e);

#endif
