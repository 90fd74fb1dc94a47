/*
 * Migration 12: the analysis of a tasking's picture (issue 17; docs/analysis.md;
 * store/analysis_store.h).
 *
 *  - analysis_import: one imported file of money transactions (kind finance) or call data
 *    records (kind comms): checksum (unique per tasking and kind: a file is imported once),
 *    the column mapping used, its marking (the tasking's or higher), importer and time.
 *  - fin_txn: one transfer: time (UTC seconds), from and to account (normalised keys),
 *    amount in minor units of its ISO 4217 currency, the statement's reference.
 *  - comms_record: one call or SMS: caller and callee (E.164), start, duration in seconds
 *    (0 for an SMS), the caller's cell site when known.
 *  - the setting analysis.finance (domain/settings.h), version 1 seeded with its defaults.
 *
 * Rows are never updated: an import is the file as it was. Idempotent (IF NOT EXISTS, a
 * seed that skips what is there), like migrations 7, 9 and 10.
 */
#include "store/sqlite/sqlite_store.h"

const char sqlite_migration_12[] =
    "CREATE TABLE IF NOT EXISTS analysis_import("
    "  id INTEGER PRIMARY KEY,"
    "  tasking_id INTEGER NOT NULL REFERENCES tasking(id),"
    "  kind TEXT NOT NULL CHECK(kind IN ('finance','comms')),"
    "  filename TEXT,"
    "  sha256 TEXT NOT NULL CHECK(length(sha256) = 64),"
    "  rows INTEGER NOT NULL CHECK(rows >= 1),"
    "  marking TEXT NOT NULL CHECK(marking IN ('OFFICIAL','OFFICIAL-SENSITIVE')),"
    "  fields_json TEXT NOT NULL,"
    "  imported_by INTEGER NOT NULL REFERENCES user(id),"
    "  imported_at INTEGER NOT NULL,"
    "  UNIQUE(tasking_id, kind, sha256));"
    "CREATE TABLE IF NOT EXISTS fin_txn("
    "  id INTEGER PRIMARY KEY,"
    "  import_id INTEGER NOT NULL REFERENCES analysis_import(id),"
    "  rownum INTEGER NOT NULL CHECK(rownum >= 1),"
    "  at INTEGER NOT NULL,"
    "  from_account TEXT NOT NULL CHECK(length(from_account) BETWEEN 1 AND 64),"
    "  to_account TEXT NOT NULL CHECK(length(to_account) BETWEEN 1 AND 64),"
    "  amount INTEGER NOT NULL CHECK(amount > 0),"
    "  currency TEXT NOT NULL CHECK(length(currency) = 3),"
    "  reference TEXT,"
    "  CHECK(from_account <> to_account),"
    "  UNIQUE(import_id, rownum));"
    "CREATE TABLE IF NOT EXISTS comms_record("
    "  id INTEGER PRIMARY KEY,"
    "  import_id INTEGER NOT NULL REFERENCES analysis_import(id),"
    "  rownum INTEGER NOT NULL CHECK(rownum >= 1),"
    "  caller TEXT NOT NULL CHECK(length(caller) BETWEEN 2 AND 32),"
    "  callee TEXT NOT NULL CHECK(length(callee) BETWEEN 2 AND 32),"
    "  start INTEGER NOT NULL,"
    "  duration INTEGER NOT NULL CHECK(duration BETWEEN 0 AND 86400),"
    "  kind TEXT NOT NULL CHECK(kind IN ('call','sms')),"
    "  cell TEXT,"
    "  CHECK(caller <> callee),"
    "  UNIQUE(import_id, rownum));"
    "CREATE TRIGGER IF NOT EXISTS fin_txn_no_update BEFORE UPDATE ON fin_txn BEGIN"
    "  SELECT RAISE(ABORT, 'an imported transaction is kept as it was');"
    "END;"
    "CREATE TRIGGER IF NOT EXISTS comms_record_no_update BEFORE UPDATE ON comms_record BEGIN"
    "  SELECT RAISE(ABORT, 'an imported call record is kept as it was');"
    "END;"
    "INSERT INTO setting(name, version, value_json, reason, changed_by, changed_at)"
    " SELECT 'analysis.finance', 1, '{\"cycle_max_len\":6,\"cycle_window_days\":30,"
    "\"fan_min\":5,\"fan_window_days\":7,\"mule_left_percent\":10,\"mule_min_in\":100000,"
    "\"mule_passed_percent\":80,\"mule_window_hours\":72,\"struct_band_percent\":10,"
    "\"struct_currency\":\"GBP\",\"struct_min_count\":3,\"struct_threshold\":1000000}',"
    "  'seeded by migration 12: the defaults of issue 17', NULL, 0"
    " WHERE NOT EXISTS (SELECT 1 FROM setting WHERE name = 'analysis.finance');";
