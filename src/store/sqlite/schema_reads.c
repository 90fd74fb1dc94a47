/*
 * Migration 7: the read chain (issue 14; store/reads_store.h). Reads of intelligence content
 * are logged in a keyed hash chain of their own, written in group commits by the read-log
 * writer (app/readlog.h), apart from the change chain in `audit`:
 *
 *  - read_chain: one row, written once: the cut-over entry of the change chain (its seq and
 *    hash) that read entry 1 is chained to, and the identity of the read log's file then. It is recorded in the same transaction as the
 *    cut-over entry itself, which needs the audit key, so this SQL cannot write it: the
 *    first batch of the read-log writer does (or app_audit_reads_start, at once).
 *  - reads.read_log: the entries (the columns of an audit entry but before_json), append-only,
 *    in the file "<database>.reads" attached as `reads` (sqlite_store.c): its commits leave
 *    the main file, and the page caches of the connections reading it, alone. A migration
 *    spans both files; its statements are idempotent (IF NOT EXISTS), so one interrupted
 *    between the two files' commits is completed by running it again.
 *
 * Read entries already in `audit` stay there: moving them is what `audit verify` must detect.
 */
#include "store/sqlite/sqlite_store.h"

/* The tables of the file "<database>.reads": run by migration 7, and again when a database
   at schema 7 or later is opened with that file missing (sqlite_store.c): the read log then
   starts empty in a NEW file, whose read_file id differs from the one recorded in read_chain
   when the chain started, so the reads verify reports the entries lost (a copy or a restore of
   the main file alone, a deleted read log) instead of taking the new file for the chain. */
#define READS_SCHEMA                                                                           \
    "CREATE TABLE IF NOT EXISTS reads.read_file("                                              \
    "  id INTEGER PRIMARY KEY CHECK(id = 1),"                                                  \
    "  file_id TEXT NOT NULL CHECK(length(file_id) = 32),"                                     \
    "  created_at INTEGER NOT NULL);"                                                          \
    "INSERT OR IGNORE INTO reads.read_file(id, file_id, created_at)"                           \
    "  VALUES (1, lower(hex(randomblob(16))), CAST(strftime('%s', 'now') AS INTEGER));"        \
    "CREATE TRIGGER IF NOT EXISTS reads.read_file_no_update BEFORE UPDATE ON read_file BEGIN"  \
    "  SELECT RAISE(ABORT, 'the read log file''s identity is written once');"                  \
    "END;"                                                                                     \
    "CREATE TABLE IF NOT EXISTS reads.read_log("                                               \
    "  seq INTEGER PRIMARY KEY,"                                                               \
    "  at INTEGER NOT NULL,"                                                                   \
    "  actor TEXT,"                                                                            \
    "  os_user TEXT,"                                                                          \
    "  via TEXT NOT NULL,"                                                                     \
    "  action TEXT NOT NULL,"                                                                  \
    "  object_ref TEXT,"                                                                       \
    "  after_json TEXT,"                                                                       \
    "  hash TEXT NOT NULL CHECK(length(hash) = 64));"                                          \
    /* `audit reads --object REF`: one range of this index. Listing by user scans forward   \
       from the cursor, as for the read entries of the change chain. */                       \
    "CREATE INDEX IF NOT EXISTS reads.read_log_object ON read_log(object_ref, seq);"           \
    "CREATE TRIGGER IF NOT EXISTS reads.read_log_no_update BEFORE UPDATE ON read_log BEGIN"    \
    "  SELECT RAISE(ABORT, 'the read log is append-only');"                                    \
    "END;"                                                                                     \
    "CREATE TRIGGER IF NOT EXISTS reads.read_log_no_delete BEFORE DELETE ON read_log BEGIN"    \
    "  SELECT RAISE(ABORT, 'the read log is append-only');"                                    \
    "END;"

const char sqlite_reads_schema[] = READS_SCHEMA;

const char sqlite_migration_7[] =
    READS_SCHEMA
    /* file_id: reads.read_file's id when the chain started (rd_start copies it). */
    "CREATE TABLE IF NOT EXISTS read_chain("
    "  id INTEGER PRIMARY KEY CHECK(id = 1),"
    "  change_seq INTEGER NOT NULL CHECK(change_seq > 0),"
    "  change_hash TEXT NOT NULL CHECK(length(change_hash) = 64),"
    "  started_at INTEGER NOT NULL,"
    "  file_id TEXT NOT NULL CHECK(length(file_id) = 32));"
    "CREATE TRIGGER IF NOT EXISTS read_chain_no_update BEFORE UPDATE ON read_chain BEGIN"
    "  SELECT RAISE(ABORT, 'the read chain''s start is written once');"
    "END;"
    "CREATE TRIGGER IF NOT EXISTS read_chain_no_delete BEFORE DELETE ON read_chain BEGIN"
    "  SELECT RAISE(ABORT, 'the read chain''s start is written once');"
    "END;";
