/*
 * Migration 18: the cache epoch (issue 19: the sign-in and the list's reference data without
 * a round trip each).
 *
 * A store handle keeps what a request reads again and again -- an API token by its hash, a user
 * with its agency and region, the user's security row, the roles that need TOTP, the holidays,
 * a setting's versions -- and serves it again only while cache_epoch.n is what it was when the
 * rows were read (sqlite_acache.c). Every change to the tables those rows come from moves n on
 * (the triggers below, in the changing transaction), and a read transaction reads n in its own
 * snapshot, so a cached row is exactly what the transaction would have read: a token revoked,
 * a user disabled or a role given a second factor by any process or server is seen by the
 * next transaction that starts after the change committed, as without the cache.
 * (IF NOT EXISTS throughout: tests that take a database back to an older version re-run it.)
 */
#include "store/sqlite/sqlite_store.h"

#define EPOCH_TRIGGERS(t)                                                                      \
    "CREATE TRIGGER IF NOT EXISTS " t "_epoch_i AFTER INSERT ON \"" t "\" BEGIN"                            \
    " UPDATE cache_epoch SET n = n + 1; END;"                                                  \
    "CREATE TRIGGER IF NOT EXISTS " t "_epoch_u AFTER UPDATE ON \"" t "\" BEGIN"                            \
    " UPDATE cache_epoch SET n = n + 1; END;"                                                  \
    "CREATE TRIGGER IF NOT EXISTS " t "_epoch_d AFTER DELETE ON \"" t "\" BEGIN"                            \
    " UPDATE cache_epoch SET n = n + 1; END;"

const char sqlite_migration_18[] =
    "CREATE TABLE IF NOT EXISTS cache_epoch("
    "  one INTEGER PRIMARY KEY CHECK(one = 1),"
    "  n INTEGER NOT NULL CHECK(n >= 0));"
    "INSERT INTO cache_epoch(one, n) VALUES (1, 0) ON CONFLICT DO NOTHING;"
    "CREATE TRIGGER IF NOT EXISTS cache_epoch_no_delete BEFORE DELETE ON cache_epoch BEGIN"
    " SELECT RAISE(ABORT, 'cache_epoch: its one row is never deleted'); END;"
    EPOCH_TRIGGERS("region") EPOCH_TRIGGERS("agency") EPOCH_TRIGGERS("user")
    EPOCH_TRIGGERS("api_token") EPOCH_TRIGGERS("user_security") EPOCH_TRIGGERS("role_totp")
    EPOCH_TRIGGERS("holiday") EPOCH_TRIGGERS("setting");
