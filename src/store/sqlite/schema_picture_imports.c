/*
 * Migration 15: imports of transactions and call data records support the picture (issue 17
 * point 2 and 3; docs/analysis.md; store/picture_store.h, store/analysis_store.h).
 *
 *  - analysis_import gains the 3x5x2 grade of the file (source, assessment, handling and the
 *    conditions of a C grade), as a dataset has; imports made before keep 1A P, the default
 *    of `finance import` / `comms import`.
 *  - entity_source and link_source gain a third kind of source, an import (import_id; exactly
 *    one of record_id, intel_ref, import_id), with the last date the import saw it
 *    (seen_last; seen is the first) and what it says of it (attrs_json: for a `pays` link the
 *    number of transactions and the amount per currency, for a `contacts` link the calls,
 *    SMS and seconds). Removing an import removes its sources (ON DELETE CASCADE); the
 *    picture then prunes what no source supports any more. SQLite cannot change a CHECK
 *    constraint in place: both tables are rebuilt with their rows and indexes.
 *
 * Numbered 15: migration 14 is the lead's (merged before this one).
 */
#include "store/sqlite/sqlite_store.h"

#define SRC_TABLE(tab, owner, otab)                                                            \
    "CREATE TABLE " tab "_new("                                                                \
    "  id INTEGER PRIMARY KEY,"                                                                \
    "  " owner " INTEGER NOT NULL REFERENCES " otab "(id) ON DELETE CASCADE,"                  \
    "  record_id INTEGER REFERENCES dataset_record(id) ON DELETE CASCADE,"                     \
    "  intel_ref TEXT,"                                                                        \
    "  import_id INTEGER REFERENCES analysis_import(id) ON DELETE CASCADE,"                    \
    "  label TEXT NOT NULL,"                                                                   \
    "  seen TEXT,"                                                                             \
    "  seen_last TEXT,"                                                                        \
    "  attrs_json TEXT,"                                                                       \
    "  CHECK((record_id IS NOT NULL) + (intel_ref IS NOT NULL) + (import_id IS NOT NULL) = 1));" \
    "INSERT INTO " tab "_new(id, " owner ", record_id, intel_ref, label, seen)"                \
    " SELECT id, " owner ", record_id, intel_ref, label, seen FROM " tab ";"                   \
    "DROP TABLE " tab ";"                                                                      \
    "ALTER TABLE " tab "_new RENAME TO " tab ";"                                               \
    "CREATE INDEX " tab "_of ON " tab "(" owner ");"                                           \
    "CREATE INDEX " tab "_record ON " tab "(record_id);"                                       \
    "CREATE INDEX " tab "_import ON " tab "(import_id);"

const char sqlite_migration_15[] =
    "ALTER TABLE analysis_import ADD COLUMN grade_source TEXT NOT NULL DEFAULT '1'"
    "  CHECK(grade_source IN ('1','2','3'));"
    "ALTER TABLE analysis_import ADD COLUMN grade_assessment TEXT NOT NULL DEFAULT 'A'"
    "  CHECK(grade_assessment IN ('A','B','C','D','E'));"
    "ALTER TABLE analysis_import ADD COLUMN handling TEXT NOT NULL DEFAULT 'P'"
    "  CHECK(handling IN ('P','C'));"
    "ALTER TABLE analysis_import ADD COLUMN conditions TEXT;"
    SRC_TABLE("entity_source", "entity_id", "entity")
    SRC_TABLE("link_source", "link_id", "link")
    "CREATE INDEX IF NOT EXISTS fin_txn_of ON fin_txn(import_id);"
    "CREATE INDEX IF NOT EXISTS comms_record_of ON comms_record(import_id);";
