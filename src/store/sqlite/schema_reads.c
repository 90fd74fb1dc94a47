/*
 * Migration 7: the read chain (issue 14; store/reads_store.h). Reads of intelligence content
 * are logged in a keyed hash chain of their own, written in group commits by the read-log
 * writer (app/readlog.h), apart from the change chain in `audit`:
 *
 *  - read_chain: one row, written once: the cut-over entry of the change chain (its seq and
 *    hash) that read entry 1 is chained to. It is recorded in the same transaction as the
 *    cut-over entry itself, which needs the audit key, so this SQL cannot write it: the
 *    first batch of the read-log writer does (or app_audit_reads_start, at once).
 *  - read_log: the entries (the columns of an audit entry but before_json), append-only.
 *
 * Read entries already in `audit` stay there: moving them is what `audit verify` must detect.
 */
#include "store/sqlite/sqlite_store.h"

const char sqlite_migration_7[] =
    "CREATE TABLE IF NOT EXISTS read_chain("
    "  id INTEGER PRIMARY KEY CHECK(id = 1),"
    "  change_seq INTEGER NOT NULL CHECK(change_seq > 0),"
    "  change_hash TEXT NOT NULL CHECK(length(change_hash) = 64),"
    "  started_at INTEGER NOT NULL);"
    "CREATE TRIGGER IF NOT EXISTS read_chain_no_update BEFORE UPDATE ON read_chain BEGIN"
    "  SELECT RAISE(ABORT, 'the read chain''s start is written once');"
    "END;"
    "CREATE TRIGGER IF NOT EXISTS read_chain_no_delete BEFORE DELETE ON read_chain BEGIN"
    "  SELECT RAISE(ABORT, 'the read chain''s start is written once');"
    "END;"

    "CREATE TABLE IF NOT EXISTS read_log("
    "  seq INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  actor TEXT,"
    "  os_user TEXT,"
    "  via TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  object_ref TEXT,"
    "  after_json TEXT,"
    "  hash TEXT NOT NULL CHECK(length(hash) = 64));"
    /* `audit reads --object REF`: one range of this index. Listing by user scans forward
       from the cursor, as for the read entries of the change chain. */
    "CREATE INDEX IF NOT EXISTS read_log_object ON read_log(object_ref, seq);"
    "CREATE TRIGGER IF NOT EXISTS read_log_no_update BEFORE UPDATE ON read_log BEGIN"
    "  SELECT RAISE(ABORT, 'the read log is append-only');"
    "END;"
    "CREATE TRIGGER IF NOT EXISTS read_log_no_delete BEFORE DELETE ON read_log BEGIN"
    "  SELECT RAISE(ABORT, 'the read log is append-only');"
    "END;";
