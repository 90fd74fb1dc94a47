/*
 * The SQLite schema as numbered migrations. Migration N brings user_version N-1 to N.
 * Never edit a released migration: append a new one.
 *
 * Rules of domain.md that must hold whatever code writes the file are here too, as CHECK
 * constraints and triggers: a threat always has an owner, the owner is never TOEX (or any
 * non-owning kind), the SIO belongs to the owner (or, for a ROCU owner, a force of its
 * region), markings above OFFICIAL-SENSITIVE cannot be stored, the audit trail is append-only.
 */
#include "store/sqlite/sqlite_store.h"

static const char m1[] =
    "CREATE TABLE region("
    "  id INTEGER PRIMARY KEY,"
    "  code TEXT NOT NULL UNIQUE CHECK(length(code) BETWEEN 2 AND 40),"
    "  name TEXT NOT NULL CHECK(length(name) BETWEEN 1 AND 200));"

    "CREATE TABLE agency("
    "  id INTEGER PRIMARY KEY,"
    "  code TEXT NOT NULL UNIQUE CHECK(length(code) BETWEEN 2 AND 40),"
    "  name TEXT NOT NULL CHECK(length(name) BETWEEN 1 AND 200),"
    "  kind TEXT NOT NULL CHECK(kind IN ('force','rocu','national','capability')),"
    "  region_id INTEGER REFERENCES region(id),"
    "  disabled INTEGER NOT NULL DEFAULT 0 CHECK(disabled IN (0,1)),"
    "  merged_into INTEGER REFERENCES agency(id),"
    "  created_at INTEGER NOT NULL,"
    "  CHECK((kind IN ('force','rocu')) = (region_id IS NOT NULL)),"
    "  CHECK(merged_into IS NULL OR merged_into <> id));"

    "CREATE TABLE user("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE CHECK(length(name) BETWEEN 2 AND 64),"
    "  agency_id INTEGER NOT NULL REFERENCES agency(id),"
    "  roles INTEGER NOT NULL CHECK(roles > 0 AND roles < 32768),"
    "  clearance TEXT NOT NULL CHECK(clearance IN ('OFFICIAL','OFFICIAL-SENSITIVE')),"
    "  pw_hash TEXT,"
    "  disabled INTEGER NOT NULL DEFAULT 0 CHECK(disabled IN (0,1)),"
    "  created_at INTEGER NOT NULL,"
    "  version INTEGER NOT NULL DEFAULT 1);"

    "CREATE TABLE threat("
    "  id INTEGER PRIMARY KEY,"
    "  ref TEXT UNIQUE,"
    "  title TEXT NOT NULL CHECK(length(title) BETWEEN 1 AND 200),"
    "  type TEXT NOT NULL CHECK(type IN ('labour','sexual','criminal','cse','domestic_servitude',"
    "                                    'organ_harvesting','oic','other')),"
    "  owner_id INTEGER NOT NULL REFERENCES agency(id),"
    "  sio_id INTEGER NOT NULL REFERENCES user(id),"
    "  force_tasking_ref TEXT NOT NULL CHECK(length(force_tasking_ref) BETWEEN 1 AND 100),"
    "  marking TEXT NOT NULL CHECK(marking IN ('OFFICIAL','OFFICIAL-SENSITIVE')),"
    "  status TEXT NOT NULL DEFAULT 'active' CHECK(status IN ('active','archived')),"
    "  version INTEGER NOT NULL DEFAULT 1,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  created_by INTEGER REFERENCES user(id));"
    "CREATE INDEX threat_owner ON threat(owner_id);"

    /* Owner and SIO rules, on every insert and on every update that touches them. */
    "CREATE TRIGGER threat_rules_insert BEFORE INSERT ON threat BEGIN"
    "  SELECT RAISE(ABORT, 'threat owner must be a force, ROCU or national agency, never TOEX')"
    "   WHERE coalesce((SELECT kind FROM agency WHERE id = NEW.owner_id), '')"
    "         NOT IN ('force','rocu','national');"
    "  SELECT RAISE(ABORT, 'threat SIO must hold the sio role and belong to the owning agency"
    " (or a force of its region for a ROCU owner)')"
    "   WHERE NOT EXISTS (SELECT 1 FROM user u JOIN agency ua ON ua.id = u.agency_id,"
    "                      agency o WHERE u.id = NEW.sio_id AND o.id = NEW.owner_id"
    "                      AND (u.roles & 2) <> 0"
    "                      AND (ua.id = o.id OR (o.kind = 'rocu' AND ua.kind = 'force'"
    "                           AND ua.region_id = o.region_id)));"
    "END;"
    "CREATE TRIGGER threat_rules_update BEFORE UPDATE OF owner_id, sio_id ON threat BEGIN"
    "  SELECT RAISE(ABORT, 'threat owner must be a force, ROCU or national agency, never TOEX')"
    "   WHERE coalesce((SELECT kind FROM agency WHERE id = NEW.owner_id), '')"
    "         NOT IN ('force','rocu','national');"
    "  SELECT RAISE(ABORT, 'threat SIO must hold the sio role and belong to the owning agency"
    " (or a force of its region for a ROCU owner)')"
    "   WHERE NOT EXISTS (SELECT 1 FROM user u JOIN agency ua ON ua.id = u.agency_id,"
    "                      agency o WHERE u.id = NEW.sio_id AND o.id = NEW.owner_id"
    "                      AND (u.roles & 2) <> 0"
    "                      AND (ua.id = o.id OR (o.kind = 'rocu' AND ua.kind = 'force'"
    "                           AND ua.region_id = o.region_id)));"
    "END;"
    /* An agency that owns threats can never become TOEX-like. */
    "CREATE TRIGGER agency_kind_fixed BEFORE UPDATE OF kind ON agency BEGIN"
    "  SELECT RAISE(ABORT, 'an agency''s kind cannot change');"
    "END;"

    "CREATE TABLE audit("
    "  seq INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  actor TEXT,"
    "  os_user TEXT,"
    "  via TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  object_ref TEXT,"
    "  before_json TEXT,"
    "  after_json TEXT,"
    "  hash TEXT NOT NULL CHECK(length(hash) = 64));"
    "CREATE INDEX audit_object ON audit(object_ref);"
    /* Append-only through SQL; tampering with the file directly is caught by the HMAC chain. */
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN"
    "  SELECT RAISE(ABORT, 'the audit trail is append-only');"
    "END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN"
    "  SELECT RAISE(ABORT, 'the audit trail is append-only');"
    "END;";

extern const char sqlite_migration_2[]; /* schema_lifecycle.c */
extern const char sqlite_migration_3[]; /* schema_auth.c */
extern const char sqlite_migration_4[]; /* schema_writepath.c */
extern const char sqlite_migration_5[]; /* schema_documents.c */
extern const char sqlite_migration_6[]; /* schema_security.c */
extern const char sqlite_migration_7[]; /* schema_reads.c */
extern const char sqlite_migration_8[]; /* schema_model.c */
extern const char sqlite_migration_9[]; /* schema_settings.c */
extern const char sqlite_migration_10[]; /* schema_picture.c */
extern const char sqlite_migration_11[]; /* schema_mopi.c */
extern const char sqlite_migration_12[]; /* schema_analysis.c */
extern const char sqlite_migration_13[]; /* schema_search.c */
extern const char sqlite_migration_14[]; /* schema_records.c */
extern const char sqlite_migration_15[]; /* schema_picture_imports.c */
extern const char sqlite_migration_16[]; /* schema_ids.c */
extern const char sqlite_migration_17[]; /* schema_incremental.c */
extern const char sqlite_migration_18[]; /* schema_cache.c */
extern const char sqlite_migration_19[]; /* schema_engine.c */
extern const char sqlite_migration_20[]; /* schema_alerts.c */
extern const char sqlite_migration_21[]; /* schema_option_marking.c */
extern const char sqlite_migration_22[]; /* schema_transfer_agreement.c */

const char *const sqlite_migrations[] = {m1, sqlite_migration_2, sqlite_migration_3,
                                            sqlite_migration_4, sqlite_migration_5,
                                            sqlite_migration_6, sqlite_migration_7,
                                            sqlite_migration_8, sqlite_migration_9,
                                            sqlite_migration_10, sqlite_migration_11,
                                            sqlite_migration_12, sqlite_migration_13,
                                            sqlite_migration_14, sqlite_migration_15,
                                            sqlite_migration_16, sqlite_migration_17,
                                            sqlite_migration_18, sqlite_migration_19,
                                            sqlite_migration_20, sqlite_migration_21,
                                            sqlite_migration_22};
const int sqlite_migration_count = (int)(sizeof sqlite_migrations / sizeof sqlite_migrations[0]);
