/*
 * Migration 20: a deconfliction alert's reference is never given twice (review 79).
 *
 * Alerts are deleted (withdrawn when the match they rest on is gone) and SQLite gives a new
 * row max(id) + 1, so DCF-000004, acknowledged in the audit trail, could later name another
 * alert. As for migration 16's tables (schema_ids.c): id_hwm keeps the highest id the table
 * ever had, by an AFTER INSERT trigger, and the store inserts with id = last + 1. The same
 * step exists for PostgreSQL (store/pg/pg_migrations.c).
 * (IF NOT EXISTS / OR IGNORE: tests that take a database back to an older version re-run it.)
 */
#include "store/sqlite/sqlite_store.h"

const char sqlite_migration_20[] =
    "INSERT OR IGNORE INTO id_hwm(name, last) SELECT 'deconflict_alert', coalesce(max(id), 0)"
    "  FROM deconflict_alert;"
    "CREATE TRIGGER IF NOT EXISTS deconflict_alert_id_hwm AFTER INSERT ON deconflict_alert"
    "  BEGIN UPDATE id_hwm SET last = NEW.id WHERE name = 'deconflict_alert' AND last < NEW.id; END;"
    /* a renewed entity's alerts are found by either end (review 82: the other end was a scan) */
    "CREATE INDEX IF NOT EXISTS deconflict_alert_other ON deconflict_alert(other_entity_id);";
