/*
 * Migration 10: the intelligence picture of a tasking (issue 16; docs/picture.md;
 * store/picture_store.h).
 *
 *  - dataset: one imported file: its provenance (level, grade, handling, marking, checksum,
 *    importer, time), the roles of its columns and the resolution settings used, its counts,
 *    its MoPI review date. A file's checksum is unique within a tasking (re-import is refused
 *    unless replaced); so is a dataset's name (decisions name records by it).
 *  - dataset_record: one row of a dataset, its fields as JSON {role: value}; rkey is the
 *    record's own id (the `id` role) or its row number.
 *  - entity / link with their sources (entity_source / link_source): a dataset record or an
 *    intelligence item (by reference: its current version gives grade and marking). Grades
 *    and markings are worked out from the sources the reader may see, never stored.
 *    entity.key is the normalised identifier of an identifier entity (phone, vehicle, account,
 *    address, online identity, organisation): unique per tasking and type. An FTS5 index over
 *    entity.label/key and the sources' labels (search, issue 16 point 4) and a cross-tasking
 *    match on (type, key) (deconfliction, point 6) can be added over these columns.
 *  - review_pair: near matches (between the lower and the link threshold) with the per-field
 *    explanation; picture_decision: the analysts' decisions (same / different), naming the
 *    records by dataset name and rkey so that they survive a re-import, applied as must-link
 *    and cannot-link constraints on every resolution.
 *  - picture_settings: the tasking's resolution thresholds (the last import's).
 *
 * Idempotent (IF NOT EXISTS), like migration 7: a database brought back to an older
 * user_version with these tables still present migrates again.
 */
#include "store/sqlite/sqlite_store.h"

#define GRADE_COLS                                                                             \
    "  grade_source TEXT NOT NULL CHECK(grade_source IN ('1','2','3')),"                       \
    "  grade_assessment TEXT NOT NULL CHECK(grade_assessment IN ('A','B','C','D','E')),"      \
    "  handling TEXT NOT NULL CHECK(handling IN ('P','C')),"                                   \
    "  conditions TEXT,"

const char sqlite_migration_10[] =
    "CREATE TABLE IF NOT EXISTS dataset("
    "  id INTEGER PRIMARY KEY,"
    "  tasking_id INTEGER NOT NULL REFERENCES tasking(id),"
    "  name TEXT NOT NULL CHECK(length(name) BETWEEN 1 AND 200),"
    "  level TEXT NOT NULL CHECK(level IN ('national','regional','local')),"
    GRADE_COLS
    "  marking TEXT NOT NULL CHECK(marking IN ('OFFICIAL','OFFICIAL-SENSITIVE')),"
    "  filename TEXT,"
    "  sha256 TEXT NOT NULL CHECK(length(sha256) = 64),"
    "  roles_json TEXT NOT NULL,"
    "  settings_json TEXT NOT NULL,"
    "  records INTEGER NOT NULL CHECK(records >= 0),"
    "  imported_by INTEGER NOT NULL REFERENCES user(id),"
    "  imported_at INTEGER NOT NULL,"
    "  review_date TEXT NOT NULL,"
    "  CHECK(handling = 'P' OR length(trim(coalesce(conditions, ''))) > 0),"
    "  UNIQUE(tasking_id, name),"
    "  UNIQUE(tasking_id, sha256));"
    "CREATE TABLE IF NOT EXISTS dataset_record("
    "  id INTEGER PRIMARY KEY,"
    "  dataset_id INTEGER NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,"
    "  rownum INTEGER NOT NULL,"
    "  rkey TEXT NOT NULL,"
    "  fields_json TEXT NOT NULL,"
    "  UNIQUE(dataset_id, rkey));"
    "CREATE TABLE IF NOT EXISTS entity("
    "  id INTEGER PRIMARY KEY,"
    "  tasking_id INTEGER NOT NULL REFERENCES tasking(id),"
    "  type TEXT NOT NULL CHECK(type IN ('person','organisation','address','phone','vehicle',"
    "    'account','location','online_identity','event')),"
    "  key TEXT,"
    "  label TEXT NOT NULL,"
    "  confidence REAL NOT NULL CHECK(confidence >= 0 AND confidence <= 1),"
    "  review_date TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL);"
    "CREATE UNIQUE INDEX IF NOT EXISTS entity_by_key ON entity(tasking_id, type, key) WHERE key IS NOT NULL;"
    "CREATE INDEX IF NOT EXISTS entity_by_tasking ON entity(tasking_id, type);"
    "CREATE TABLE IF NOT EXISTS entity_source("
    "  id INTEGER PRIMARY KEY,"
    "  entity_id INTEGER NOT NULL REFERENCES entity(id) ON DELETE CASCADE,"
    "  record_id INTEGER REFERENCES dataset_record(id) ON DELETE CASCADE,"
    "  intel_ref TEXT,"
    "  label TEXT NOT NULL,"
    "  seen TEXT,"
    "  CHECK((record_id IS NULL) <> (intel_ref IS NULL)));"
    "CREATE INDEX IF NOT EXISTS entity_source_of ON entity_source(entity_id);"
    "CREATE INDEX IF NOT EXISTS entity_source_record ON entity_source(record_id);"
    "CREATE TABLE IF NOT EXISTS link("
    "  id INTEGER PRIMARY KEY,"
    "  tasking_id INTEGER NOT NULL REFERENCES tasking(id),"
    "  type TEXT NOT NULL,"
    "  from_id INTEGER NOT NULL REFERENCES entity(id) ON DELETE CASCADE,"
    "  to_id INTEGER NOT NULL REFERENCES entity(id) ON DELETE CASCADE,"
    "  directed INTEGER NOT NULL CHECK(directed IN (0, 1)),"
    "  confidence REAL NOT NULL CHECK(confidence >= 0 AND confidence <= 1),"
    "  review_date TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  CHECK(from_id <> to_id),"
    "  UNIQUE(tasking_id, type, from_id, to_id));"
    "CREATE INDEX IF NOT EXISTS link_from ON link(from_id);"
    "CREATE INDEX IF NOT EXISTS link_to ON link(to_id);"
    "CREATE TABLE IF NOT EXISTS link_source("
    "  id INTEGER PRIMARY KEY,"
    "  link_id INTEGER NOT NULL REFERENCES link(id) ON DELETE CASCADE,"
    "  record_id INTEGER REFERENCES dataset_record(id) ON DELETE CASCADE,"
    "  intel_ref TEXT,"
    "  label TEXT NOT NULL,"
    "  seen TEXT,"
    "  CHECK((record_id IS NULL) <> (intel_ref IS NULL)));"
    "CREATE INDEX IF NOT EXISTS link_source_of ON link_source(link_id);"
    "CREATE INDEX IF NOT EXISTS link_source_record ON link_source(record_id);"
    "CREATE TABLE IF NOT EXISTS review_pair("
    "  id INTEGER PRIMARY KEY,"
    "  tasking_id INTEGER NOT NULL REFERENCES tasking(id),"
    "  record_a INTEGER NOT NULL REFERENCES dataset_record(id) ON DELETE CASCADE,"
    "  record_b INTEGER NOT NULL REFERENCES dataset_record(id) ON DELETE CASCADE,"
    "  probability REAL NOT NULL CHECK(probability >= 0 AND probability <= 1),"
    "  explanation_json TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  UNIQUE(tasking_id, record_a, record_b));"
    "CREATE TABLE IF NOT EXISTS picture_decision("
    "  id INTEGER PRIMARY KEY,"
    "  tasking_id INTEGER NOT NULL REFERENCES tasking(id),"
    "  kind TEXT NOT NULL CHECK(kind IN ('same','different')),"
    "  input_a TEXT NOT NULL, key_a TEXT NOT NULL,"
    "  input_b TEXT NOT NULL, key_b TEXT NOT NULL,"
    "  made_by TEXT NOT NULL CHECK(made_by IN ('merge','split','review')),"
    "  reason TEXT NOT NULL CHECK(length(trim(reason)) > 0),"
    "  decided_by INTEGER NOT NULL REFERENCES user(id),"
    "  decided_at INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS picture_decision_of ON picture_decision(tasking_id);"
    "CREATE TABLE IF NOT EXISTS picture_settings("
    "  tasking_id INTEGER PRIMARY KEY REFERENCES tasking(id),"
    "  link_threshold REAL NOT NULL CHECK(link_threshold > 0 AND link_threshold < 1),"
    "  review_threshold REAL NOT NULL CHECK(review_threshold > 0 AND review_threshold < 1),"
    "  CHECK(review_threshold < link_threshold));";
