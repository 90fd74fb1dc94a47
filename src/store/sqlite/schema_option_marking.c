/*
 * Migration 21: a tactical option's own marking (review 102 M2). An option's text may draw on
 * intelligence marked above its tasking, and the agency named on it reads it without sight of
 * the tasking (docs/work.md, "The agency's view of its options"): like an item or a product,
 * an option is marked at least as its tasking, higher when its writer says so, and read only
 * by who is cleared for it. One row per option added since; an option without one (added
 * before) is marked as its tasking. Never changed, as a product's marking. The same step exists
 * for PostgreSQL (store/pg/pg_migrations.c).
 * (IF NOT EXISTS: tests that take a database back to an older version re-run it.)
 */
#include "store/sqlite/sqlite_store.h"

const char sqlite_migration_21[] =
    "CREATE TABLE IF NOT EXISTS option_marking("
    "  option_id INTEGER PRIMARY KEY REFERENCES tactical_option(id),"
    "  marking TEXT NOT NULL CHECK(marking IN ('OFFICIAL','OFFICIAL-SENSITIVE')));";
