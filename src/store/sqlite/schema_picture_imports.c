/*
 * Migration 15: imports of transactions and call data records support the picture (issue 17
 * points 2 and 3; docs/analysis.md "The picture an import makes"; store/picture_store.h,
 * store/analysis_store.h).
 *
 *  - analysis_import_grade: the 3x5x2 grade of an import (source, assessment, handling and
 *    the conditions of a C grade), as a dataset has; an import without a row (made before
 *    this migration) is read as 1A P, the default of `finance import` / `comms import`.
 *  - entity_import_source / link_import_source: an import as a source of an entity or a link
 *    (beside entity_source / link_source, whose sources are dataset records and intelligence
 *    items), with the first and last date it saw it (seen, seen_last) and what it says of it
 *    (attrs_json: for a `pays` link the number of transactions and the amount per currency,
 *    for a `contacts` link the calls, SMS and seconds). Removing an import removes its
 *    sources (ON DELETE CASCADE); the picture then prunes what no source supports any more.
 *  - analysis_import_removed: what is left of a removed import, so that its reference is never
 *    given to another (IMP- references are row ids: a new import takes the next id after
 *    every import ever made).
 *
 * New tables only, idempotent (IF NOT EXISTS) like migrations 7, 9, 10 and 12: a database
 * brought back to an older user_version with these tables present migrates again. Numbered
 * 15: migration 14 is the lead's (merged before this one).
 */
#include "store/sqlite/sqlite_store.h"

#define IMPORT_SOURCE(tab, owner, otab)                                                        \
    "CREATE TABLE IF NOT EXISTS " tab "("                                                      \
    "  id INTEGER PRIMARY KEY,"                                                                \
    "  " owner " INTEGER NOT NULL REFERENCES " otab "(id) ON DELETE CASCADE,"                  \
    "  import_id INTEGER NOT NULL REFERENCES analysis_import(id) ON DELETE CASCADE,"           \
    "  label TEXT NOT NULL,"                                                                   \
    "  seen TEXT,"                                                                             \
    "  seen_last TEXT,"                                                                        \
    "  attrs_json TEXT NOT NULL);"                                                             \
    "CREATE INDEX IF NOT EXISTS " tab "_of ON " tab "(" owner ");"                             \
    "CREATE INDEX IF NOT EXISTS " tab "_import ON " tab "(import_id);"

const char sqlite_migration_15[] =
    "CREATE TABLE IF NOT EXISTS analysis_import_grade("
    "  import_id INTEGER PRIMARY KEY REFERENCES analysis_import(id) ON DELETE CASCADE,"
    "  grade_source TEXT NOT NULL CHECK(grade_source IN ('1','2','3')),"
    "  grade_assessment TEXT NOT NULL CHECK(grade_assessment IN ('A','B','C','D','E')),"
    "  handling TEXT NOT NULL CHECK(handling IN ('P','C')),"
    "  conditions TEXT,"
    "  CHECK(handling = 'P' OR length(trim(coalesce(conditions, ''))) > 0));"
    "CREATE TABLE IF NOT EXISTS analysis_import_removed("
    "  id INTEGER PRIMARY KEY,"
    "  tasking_id INTEGER NOT NULL REFERENCES tasking(id),"
    "  kind TEXT NOT NULL CHECK(kind IN ('finance','comms')),"
    "  sha256 TEXT NOT NULL,"
    "  removed_at INTEGER NOT NULL);"
    IMPORT_SOURCE("entity_import_source", "entity_id", "entity")
    IMPORT_SOURCE("link_import_source", "link_id", "link")
    "CREATE INDEX IF NOT EXISTS fin_txn_of ON fin_txn(import_id);"
    "CREATE INDEX IF NOT EXISTS comms_record_of ON comms_record(import_id);";
