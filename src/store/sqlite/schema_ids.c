/*
 * Migration 16: a reference is never given twice (issue 19).
 *
 * SQLite gives a new row max(id) + 1, so after the rows with the highest ids are deleted (a
 * re-resolution replaces a tasking's entities and links; a dataset or import removed takes its
 * records), their ids, and so their references, were given again: ENT-000520 in an audit
 * entry, an export or an analyst's note could later name another entity. PostgreSQL's
 * sequences never go back, so the two back-ends also numbered differently.
 *
 *  - id_hwm: for each table whose ids are public references and whose rows are deleted, the
 *    highest id it ever had (entity ENT, link LNK, review_pair REV, dataset_record REC,
 *    fin_txn TXN, comms_record CDR), kept by an AFTER INSERT trigger on each; the store inserts
 *    with id = last + 1 (as dataset_hwm does for datasets since migration 14).
 * The same step exists for PostgreSQL (store/pg/pg_migrations.c).
 */
#include "store/sqlite/sqlite_store.h"

#define HWM_TABLE(t)                                                                           \
    "INSERT OR IGNORE INTO id_hwm(name, last) SELECT '" t "', coalesce(max(id), 0) FROM " t ";" \
    "CREATE TRIGGER IF NOT EXISTS " t "_id_hwm AFTER INSERT ON " t                               \
    "  BEGIN UPDATE id_hwm SET last = NEW.id WHERE name = '" t "' AND last < NEW.id; END;"

const char sqlite_migration_16[] =
    "CREATE TABLE IF NOT EXISTS id_hwm("
    "  name TEXT PRIMARY KEY CHECK(length(name) BETWEEN 1 AND 64),"
    "  last INTEGER NOT NULL CHECK(last >= 0)) WITHOUT ROWID;"
    HWM_TABLE("entity") HWM_TABLE("link") HWM_TABLE("review_pair") HWM_TABLE("dataset_record")
    HWM_TABLE("fin_txn") HWM_TABLE("comms_record");
