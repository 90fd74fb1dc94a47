/*
 * Migration 3: authentication for `iom serve` (issue 5): sessions, API tokens and login
 * failure counters. Only hashes of secrets are stored (store/auth_store.h).
 * IF NOT EXISTS: a database rebuilt to an older version by dropping later tables (as
 * test_cli_basics does) still migrates.
 */
#include "store/sqlite/sqlite_store.h"

const char sqlite_migration_3[] =
    "CREATE TABLE IF NOT EXISTS auth_session("
    "  id INTEGER PRIMARY KEY,"
    "  token_hash TEXT NOT NULL UNIQUE CHECK(length(token_hash) = 64),"
    "  csrf_hash TEXT NOT NULL CHECK(length(csrf_hash) = 64),"
    "  user_id INTEGER NOT NULL REFERENCES user(id),"
    "  created_at INTEGER NOT NULL,"
    "  last_seen INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL CHECK(expires_at > created_at));"
    "CREATE INDEX IF NOT EXISTS auth_session_user ON auth_session(user_id);"

    "CREATE TABLE IF NOT EXISTS api_token("
    "  id INTEGER PRIMARY KEY,"
    "  ref TEXT UNIQUE,"
    "  token_hash TEXT NOT NULL UNIQUE CHECK(length(token_hash) = 64),"
    "  user_id INTEGER NOT NULL REFERENCES user(id),"
    "  created_by INTEGER REFERENCES user(id),"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL DEFAULT 0,"
    "  revoked_at INTEGER NOT NULL DEFAULT 0);"
    /* A token's owner, hash and dates never change; only revocation is recorded. */
    "CREATE TRIGGER IF NOT EXISTS api_token_fixed BEFORE UPDATE OF token_hash, user_id, created_at, expires_at"
    "  ON api_token BEGIN"
    "  SELECT RAISE(ABORT, 'an API token cannot be changed, only revoked');"
    "END;"

    "CREATE TABLE IF NOT EXISTS login_failure("
    "  key TEXT PRIMARY KEY CHECK(length(key) BETWEEN 1 AND 200),"
    "  failures INTEGER NOT NULL CHECK(failures >= 0),"
    "  first_at INTEGER NOT NULL,"
    "  locked_until INTEGER NOT NULL DEFAULT 0);";
