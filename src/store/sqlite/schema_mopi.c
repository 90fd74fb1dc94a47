/*
 * Migration 11: MoPI review and disposal of intelligence items (issue 12 point 6;
 * docs/work.md "Review and disposal"; app/seal.h).
 *
 *  - intel_key: each item's own key, wrapped under a key derived from the audit key (the
 *    database alone cannot open it). Items written since this migration keep every text field,
 *    in every version, sealed with it (and so do their audit images); disposal deletes the row,
 *    and with secure_delete on (sqlite_store.c) SQLite overwrites the freed bytes. An item
 *    recorded before this migration has no key until its next change seals all its versions.
 *  - intel_review: the reviews, a record never changed or removed: retain (with the next review
 *    date) or dispose (at most one per item: a disposed item is final; intel_item refuses a new
 *    version of it).
 *
 * Idempotent (IF NOT EXISTS), like migrations 7, 9 and 10: a database brought back to an
 * older user_version with these tables still present migrates again.
 */
#include "store/sqlite/sqlite_store.h"

const char sqlite_migration_11[] =
    "CREATE TABLE IF NOT EXISTS intel_key("
    "  ref TEXT PRIMARY KEY,"
    "  wrapped BLOB NOT NULL CHECK(length(wrapped) = 72)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS intel_review("
    "  id INTEGER PRIMARY KEY,"
    "  ref TEXT NOT NULL,"
    "  decision TEXT NOT NULL CHECK(decision IN ('retain','dispose')),"
    "  reason TEXT NOT NULL CHECK(length(trim(reason)) > 0),"
    "  due_date TEXT NOT NULL,"
    "  next_date TEXT,"
    "  user_id INTEGER NOT NULL REFERENCES user(id),"
    "  at INTEGER NOT NULL,"
    "  CHECK((decision = 'retain') = (next_date IS NOT NULL)));"
    "CREATE INDEX IF NOT EXISTS intel_review_by_ref ON intel_review(ref, id);"
    "CREATE UNIQUE INDEX IF NOT EXISTS intel_review_one_disposal ON intel_review(ref)"
    "  WHERE decision = 'dispose';"
    "CREATE TRIGGER IF NOT EXISTS intel_review_kept BEFORE UPDATE ON intel_review"
    "  BEGIN SELECT RAISE(ABORT, 'a review is a record: it is never changed'); END;"
    "CREATE TRIGGER IF NOT EXISTS intel_review_not_removed BEFORE DELETE ON intel_review"
    "  BEGIN SELECT RAISE(ABORT, 'a review is a record: it is never removed'); END;"
    "CREATE TRIGGER IF NOT EXISTS intel_disposed_is_final BEFORE INSERT ON intel_item"
    "  WHEN EXISTS (SELECT 1 FROM intel_review r WHERE r.ref = NEW.ref AND r.decision = 'dispose')"
    "  BEGIN SELECT RAISE(ABORT, 'intelligence item disposed: it takes no new version'); END;";
