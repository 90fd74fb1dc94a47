/*
 * Migration 14: MoPI review of imported datasets (issue 16 point 7; docs/picture.md
 * "Review and disposal of datasets").
 *
 *  - dataset_review: the reviews of datasets, a record never changed or removed, like
 *    intel_review: retain (with the next review date) or dispose (the dataset, its records and
 *    what only they support are deleted, with secure_delete on). The dataset's reference and
 *    tasking are kept in the row, so the history outlives the dataset.
 *  - dataset_hwm: the highest dataset id ever given. A removed or disposed dataset's reference
 *    (DS-000003) is never given again, so its reviews and audit entries never describe another
 *    dataset. Kept by a trigger on dataset; the store inserts with id = hwm + 1.
 *
 * Idempotent (IF NOT EXISTS, INSERT OR IGNORE), like migrations 7 and 9-13.
 */
#include "store/sqlite/sqlite_store.h"

const char sqlite_migration_14[] =
    "CREATE TABLE IF NOT EXISTS dataset_review("
    "  id INTEGER PRIMARY KEY,"
    "  dataset_id INTEGER NOT NULL,"
    "  tasking_id INTEGER NOT NULL REFERENCES tasking(id),"
    "  decision TEXT NOT NULL CHECK(decision IN ('retain','dispose')),"
    "  reason TEXT NOT NULL CHECK(length(trim(reason)) > 0),"
    "  due_date TEXT NOT NULL,"
    "  next_date TEXT,"
    "  user_id INTEGER NOT NULL REFERENCES user(id),"
    "  at INTEGER NOT NULL,"
    "  CHECK((decision = 'retain') = (next_date IS NOT NULL)));"
    "CREATE INDEX IF NOT EXISTS dataset_review_of ON dataset_review(dataset_id, id);"
    "CREATE UNIQUE INDEX IF NOT EXISTS dataset_review_one_disposal ON dataset_review(dataset_id)"
    "  WHERE decision = 'dispose';"
    "CREATE TRIGGER IF NOT EXISTS dataset_review_kept BEFORE UPDATE ON dataset_review"
    "  BEGIN SELECT RAISE(ABORT, 'a review is a record: it is never changed'); END;"
    "CREATE TRIGGER IF NOT EXISTS dataset_review_not_removed BEFORE DELETE ON dataset_review"
    "  BEGIN SELECT RAISE(ABORT, 'a review is a record: it is never removed'); END;"
    "CREATE TABLE IF NOT EXISTS dataset_hwm("
    "  one INTEGER PRIMARY KEY CHECK(one = 1),"
    "  last INTEGER NOT NULL);"
    "INSERT OR IGNORE INTO dataset_hwm(one, last) SELECT 1, coalesce(max(id), 0) FROM dataset;"
    "CREATE TRIGGER IF NOT EXISTS dataset_hwm_up AFTER INSERT ON dataset"
    "  BEGIN UPDATE dataset_hwm SET last = max(last, NEW.id) WHERE one = 1; END;"
    "CREATE INDEX IF NOT EXISTS dataset_due ON dataset(review_date);"
    "CREATE INDEX IF NOT EXISTS entity_due ON entity(review_date);";
