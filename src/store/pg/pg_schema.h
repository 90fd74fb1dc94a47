/*
 * The iom schema for PostgreSQL (issue 19): SQL text only, no libpq. The PostgreSQL store
 * (src/store/pg/) runs it; tests/pg/schema_check.sh checks it against a throw-away cluster.
 *
 * PostgreSQL starts at schema version 15: pg_schema_baseline creates in one script what the
 * SQLite migrations 1-15 (src/store/sqlite/schema*.c) made, with the same table and column
 * names, so that the store's SQL can be shared between the back-ends. A later migration
 * (16, ...) has a SQLite and a PostgreSQL form under one number. The version itself is kept by
 * the store (not here).
 *
 * Roles (docs/operations.md "PostgreSQL: roles and schema"):
 *  - the owner role (iom_owner in the test cluster; any role that owns the database) runs
 *    pg_schema_baseline and later migrations, then pg_schema_grants, each in its transaction;
 *    it owns every table, function and trigger;
 *  - iom_app, the role `iom serve` connects as, gets only what pg_schema_grants gives it.
 *    The name is fixed: an installation creates a LOGIN role iom_app.
 *
 * Every rule SQLite enforces with a trigger raises the same message here with SQLSTATE 23514
 * (check_violation), as a CHECK constraint does: the store reports both as "refused by a data
 * rule". Unlike SQLite's RAISE(ABORT), an error aborts the whole PostgreSQL transaction.
 *
 * The strings are static, NUL-terminated, several statements each (for PQexec, which runs
 * them in one implicit transaction when the caller has not opened one).
 */
#ifndef IOM_STORE_PG_SCHEMA_H
#define IOM_STORE_PG_SCHEMA_H

/* The schema version pg_schema_baseline creates: 15. */
extern const int pg_schema_baseline_version;

/* Creates every table, index, trigger, the schema `reads`, the text search configuration
   iom_simple (and the extension unaccent when it is missing) and the reference rows the SQLite
   migrations seed (bank holidays, settings version 1, dataset_hwm, reads.read_file). Run by
   the owner role, in one transaction, on an empty database. */
extern const char pg_schema_baseline[];

/* The privileges of iom_app on the current schema: REVOKE ALL, then exactly what the app
   needs (no UPDATE, DELETE or TRUNCATE on append-only tables, no TRUNCATE anywhere, no
   CREATE). Idempotent; run by the owner role after every migration. */
extern const char pg_schema_grants[];

#endif
