/*
 * Migration 19: which version of the conflation engine resolved each tasking's picture.
 *
 * An import adds its records to a picture without comparing the others again (incremental,
 * app/picture_resolve.c), so a picture resolved before a change to the engine keeps what that
 * engine made: entities of placeholder values ("UNKNOWN", "NK"), pairs it linked or left. A
 * tasking whose row here is missing or older than the binary's engine (app/picture.h
 * APP_PICTURE_ENGINE) is resolved in full at its next resolution, and `iom dataset resolve`
 * resolves it in full at once. Every tasking with a picture before this migration was resolved
 * by engine 1 (no row).
 * (IF NOT EXISTS: tests that take a database back to an older version re-run it.)
 */
#include "store/sqlite/sqlite_store.h"

const char sqlite_migration_19[] =
    "CREATE TABLE IF NOT EXISTS picture_engine("
    "  tasking_id INTEGER PRIMARY KEY REFERENCES tasking(id),"
    "  version INTEGER NOT NULL CHECK(version >= 1));";
