/*
 * Migration 22: the threat's SIO's agreement to a transfer of the risk (review 113 M1). A
 * transfer is requested "with the sio's agreement" (docs/domain.md §1); that agreement was read
 * off the recommendation of the reassessment both signed, so a "remain" could never be handed
 * on and a signature of the facts counted as consent. It is now an act of the SIO of its own
 * (`agree_transfer`), recorded against the reassessment it agrees on: one row per
 * reassessment, deleted when a new signature of that reassessment clears it (a new version has
 * none). The transfer object reads it from the tasking's latest reassessment. The same step
 * exists for PostgreSQL (store/pg/pg_migrations.c).
 * (IF NOT EXISTS: tests that take a database back to an older version re-run it.)
 */
#include "store/sqlite/sqlite_store.h"

const char sqlite_migration_22[] =
    "CREATE TABLE IF NOT EXISTS transfer_agreement("
    "  assessment_id INTEGER PRIMARY KEY REFERENCES assessment(id),"
    "  agreed_by INTEGER NOT NULL REFERENCES user(id),"
    "  agreed_at INTEGER NOT NULL);";
