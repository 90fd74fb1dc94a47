/*
 * Migration 6: account security for `iom serve` (issue 5 points 2, 4, 7): the per-user
 * security state (must change password, TOTP second factor) in a table of its own beside
 * `user`, the roles an admin marked as needing TOTP, and an index for the read-purpose log
 * (a partial index of the audit entries that are reads).
 *
 * The TOTP secret is stored encrypted (store/auth_store.h, app/auth.h): a dump of this file
 * alone does not reveal it.
 */
#include "store/sqlite/sqlite_internal.h"
#include "store/sqlite/sqlite_store.h"

const char sqlite_migration_6[] =
    "CREATE TABLE IF NOT EXISTS user_security("
    "  user_id INTEGER PRIMARY KEY REFERENCES user(id),"
    "  must_change_password INTEGER NOT NULL DEFAULT 0 CHECK(must_change_password IN (0,1)),"
    "  totp_secret TEXT CHECK(totp_secret IS NULL OR length(totp_secret) BETWEEN 16 AND 400),"
    "  totp_confirmed INTEGER NOT NULL DEFAULT 0 CHECK(totp_confirmed IN (0,1)),"
    "  totp_last_step INTEGER NOT NULL DEFAULT 0,"
    "  CHECK(totp_confirmed = 0 OR totp_secret IS NOT NULL));"

    "CREATE TABLE IF NOT EXISTS role_totp("
    "  role TEXT PRIMARY KEY CHECK(length(role) BETWEEN 1 AND 40),"
    "  set_at INTEGER NOT NULL);"

    /* Reads only: a partial index is not written by the other entries (every transition
       writes one; bench/lifecycle counts the pages of a commit). Its WHERE is
       SQS_AUDIT_READ_WHERE (sqlite_internal.h), which the query repeats so SQLite uses it. */
    "CREATE INDEX IF NOT EXISTS audit_reads ON audit(seq) WHERE " SQS_AUDIT_READ_WHERE ";";
