/*
 * Migration 17: the incremental import of a dataset (issue 16, app/picture_resolve.c).
 *
 * An incremental import deletes the persons it merges into another one by one. Deleting an
 * entity cascades to deconflict_key (entity_id ON DELETE CASCADE), which had no index on
 * entity_id: each delete read the whole table. With the index, a delete costs its own rows.
 * (Plain SQL: one index.)
 */
#include "store/sqlite/sqlite_store.h"

const char sqlite_migration_17[] =
    "CREATE INDEX IF NOT EXISTS deconflict_key_entity ON deconflict_key(entity_id);";
