/*
 * Migration 9 (issue 13 point 1): settings as reference data (domain/settings.h,
 * store/settings_store.h). Each setting is a series of versions; version 1 of each is seeded
 * here with the values iom had as constants until now (their canonical JSON, as
 * domain/settings.h settings_format writes it; test_settings checks they agree). Versions are
 * never updated or deleted, and each new one is the next number of its name.
 *
 * Records keep the settings they were made with: an assessment the scoring version it was
 * computed with (every assessment stored before this migration was computed with the values
 * seeded as version 1), an intelligence item graded from a 5x5x5 code the version of the
 * mapping used (none for an item graded in 3x5x2 directly). An item's review date is stored
 * with it already. The versions used live in tables of their own beside `assessment` and
 * `intel_item` (one row per record, written with it), so that this migration, like 7, is
 * idempotent: every statement may run again on a database that has it (IF NOT EXISTS, a seed
 * and back-fill that skip what is there).
 */
#include "store/sqlite/sqlite_store.h"

const char sqlite_migration_9[] =
    "CREATE TABLE IF NOT EXISTS setting("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL CHECK(length(name) BETWEEN 1 AND 64),"
    "  version INTEGER NOT NULL CHECK(version >= 1),"
    "  value_json TEXT NOT NULL CHECK(length(value_json) BETWEEN 1 AND 16384),"
    "  reason TEXT NOT NULL CHECK(length(reason) BETWEEN 1 AND 1000),"
    "  changed_by INTEGER REFERENCES user(id),"
    "  changed_at INTEGER NOT NULL,"
    "  UNIQUE(name, version),"
    "  CHECK(version = 1 OR changed_by IS NOT NULL));"
    "CREATE TRIGGER IF NOT EXISTS setting_next_version BEFORE INSERT ON setting BEGIN"
    "  SELECT RAISE(ABORT, 'a setting''s new version is the next number of its name')"
    "   WHERE NEW.version <> (SELECT coalesce(max(version), 0) + 1 FROM setting"
    "                         WHERE name = NEW.name);"
    "END;"
    "CREATE TRIGGER IF NOT EXISTS setting_no_update BEFORE UPDATE ON setting BEGIN"
    "  SELECT RAISE(ABORT, 'a setting''s versions are kept as they were: set a new version');"
    "END;"
    "CREATE TRIGGER IF NOT EXISTS setting_no_delete BEFORE DELETE ON setting BEGIN"
    "  SELECT RAISE(ABORT, 'a setting''s versions are kept as they were: set a new version');"
    "END;"

    "INSERT INTO setting(name, version, value_json, reason, changed_by, changed_at)"
    " SELECT * FROM (VALUES"
    " ('assessment.scoring', 1, '{\"bands\":{\"high\":{\"from\":60,\"to\":100},"
    "\"low\":{\"from\":0,\"to\":30},\"medium\":{\"from\":30,\"to\":60}},"
    "\"confidence_weight_percent\":{\"high\":100,\"low\":60,\"medium\":80},"
    "\"national_scale_min\":3,\"org_position_min\":5,\"regional_scale_min\":2}',"
    "  'seeded by migration 9: the values iom used before settings were data', NULL, 0),"
    " ('grade.legacy_map', 1, '{\"conditions\":{\"4\":\"5x5x5 handling code 4\","
    "\"5\":\"5x5x5 handling code 5\"},\"handling\":{\"1\":\"P\",\"2\":\"P\",\"3\":\"P\","
    "\"4\":\"C\",\"5\":\"C\"},\"intelligence\":{\"1\":\"A\",\"2\":\"A\",\"3\":\"B\",\"4\":\"C\","
    "\"5\":\"E\"},\"source\":{\"A\":\"1\",\"B\":\"1\",\"C\":\"2\",\"D\":\"3\",\"E\":\"2\"}}',"
    "  'seeded by migration 9: the values iom used before settings were data', NULL, 0),"
    " ('intel.review_years', 1, '6',"
    "  'seeded by migration 9: the values iom used before settings were data', NULL, 0),"
    " ('triage.target_days', 1, '{\"priority\":5,\"routine\":10,\"urgent\":1}',"
    "  'seeded by migration 9: the values iom used before settings were data', NULL, 0),"
    " ('auth.session', 1, '{\"absolute_hours\":12,\"idle_minutes\":30}',"
    "  'seeded by migration 9: the values iom used before settings were data', NULL, 0),"
    " ('auth.lockout', 1, '{\"addr_max_failures\":20,\"failure_window_minutes\":15,"
    "\"lockout_minutes\":15,\"user_max_failures\":5}',"
    "  'seeded by migration 9: the values iom used before settings were data', NULL, 0))"
    " WHERE NOT EXISTS (SELECT 1 FROM setting);"

    "CREATE TABLE IF NOT EXISTS assessment_scoring("
    "  assessment_id INTEGER PRIMARY KEY REFERENCES assessment(id),"
    "  scoring_version INTEGER NOT NULL CHECK(scoring_version >= 1));"
    "INSERT OR IGNORE INTO assessment_scoring(assessment_id, scoring_version)"
    "  SELECT id, 1 FROM assessment;"
    "CREATE TABLE IF NOT EXISTS intel_grade_map("
    "  intel_id INTEGER PRIMARY KEY REFERENCES intel_item(id),"
    "  grade_map_version INTEGER NOT NULL CHECK(grade_map_version >= 1));"
    "INSERT OR IGNORE INTO intel_grade_map(intel_id, grade_map_version)"
    "  SELECT id, 1 FROM intel_item WHERE legacy_grade IS NOT NULL;";
