/* The schema steps of the PostgreSQL back-end after its baseline, and the functions the SQL
   layer calls (pg_internal.h). Each step has the number of the SQLite migration it mirrors
   (src/store/sqlite/schema.c), so both back-ends of one binary are at the same version. */
#include "store/pg/pg_internal.h"

#include <stddef.h>

/* iom_ref(prefix, id): "<prefix>-<id with at least six digits>", as the SQLite back-end's
   function of the same name (sqlite_store.c). */
const char pg_schema_functions[] =
    "CREATE OR REPLACE FUNCTION iom_ref(prefix text, id bigint) RETURNS text"
    " LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS"
    " $$ SELECT prefix || '-' || CASE WHEN id < 0 THEN '-' || lpad((-id)::text, 5, '0')"
    " WHEN id < 1000000 THEN lpad(id::text, 6, '0') ELSE id::text END $$;";

#define HWM_TABLE(t)                                                                           \
    "INSERT INTO id_hwm(name, last) SELECT '" t "', coalesce(max(id), 0) FROM " t             \
    " ON CONFLICT DO NOTHING;"                                                                 \
    "CREATE TRIGGER " t "_id_hwm AFTER INSERT ON " t " FOR EACH ROW EXECUTE FUNCTION id_hwm_up();"

/* 16 (sqlite/schema_ids.c): a reference is never given twice; the store inserts with
   id = id_hwm.last + 1, here as on SQLite, so both back-ends number rows alike. */
static const char pg_migration_16[] =
    "CREATE TABLE id_hwm("
    "  name TEXT COLLATE \"C\" PRIMARY KEY CHECK(length(name) BETWEEN 1 AND 64),"
    "  last BIGINT NOT NULL CHECK(last >= 0));"
    /* also the identity sequence past the id, so that an insert that leaves the id to the
       sequence (by hand, a tool) never takes one the store gave; as the owner (SECURITY
       DEFINER): the app role may not setval; a trigger function cannot be called but as one) */
    "CREATE FUNCTION id_hwm_up() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER"
    " SET search_path = public, pg_temp AS $$ DECLARE q text; BEGIN"
    "  UPDATE public.id_hwm SET last = NEW.id WHERE name = TG_TABLE_NAME AND last < NEW.id;"
    "  q := pg_get_serial_sequence('public.' || quote_ident(TG_TABLE_NAME), 'id');"
    "  IF q IS NOT NULL AND NEW.id > coalesce(pg_sequence_last_value(q::regclass), 0) THEN"
    "    PERFORM setval(q, NEW.id); END IF;"
    "  RETURN NULL; END $$;"
    HWM_TABLE("entity") HWM_TABLE("link") HWM_TABLE("review_pair") HWM_TABLE("dataset_record")
    HWM_TABLE("fin_txn") HWM_TABLE("comms_record");

/* 17 (sqlite/schema_incremental.c): deleting a merged person cascades to its deconfliction
   keys through an index, not a scan. */
static const char pg_migration_17[] =
    "CREATE INDEX IF NOT EXISTS deconflict_key_entity ON deconflict_key(entity_id);";

/* 18 (sqlite/schema_cache.c): the cache epoch, moved on by every change to the tables whose
   rows a store handle caches (sqlite_acache.c). One statement-level trigger per table; the
   function runs as the owner (the app role may read the epoch, never set it). */
#define EPOCH_TRIGGER(t)                                                                       \
    "CREATE TRIGGER " t "_epoch AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON \"" t "\""      \
    " FOR EACH STATEMENT EXECUTE FUNCTION cache_epoch_up();"
static const char pg_migration_18[] =
    "CREATE TABLE cache_epoch("
    "  one BIGINT PRIMARY KEY CHECK(one = 1),"
    "  n BIGINT NOT NULL CHECK(n >= 0));"
    "INSERT INTO cache_epoch(one, n) VALUES (1, 0);"
    "CREATE FUNCTION cache_epoch_up() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER"
    " SET search_path = public, pg_temp AS $$ BEGIN"
    "  UPDATE public.cache_epoch SET n = n + 1; RETURN NULL; END $$;"
    EPOCH_TRIGGER("region") EPOCH_TRIGGER("agency") EPOCH_TRIGGER("user")
    EPOCH_TRIGGER("api_token") EPOCH_TRIGGER("user_security") EPOCH_TRIGGER("role_totp")
    EPOCH_TRIGGER("holiday") EPOCH_TRIGGER("setting");

/* 19 (sqlite/schema_engine.c): the version of the conflation engine that resolved each
   tasking's picture (none: version 1). */
static const char pg_migration_19[] =
    "CREATE TABLE picture_engine("
    "  tasking_id BIGINT PRIMARY KEY REFERENCES tasking(id),"
    "  version BIGINT NOT NULL CHECK(version >= 1));";

/* 20 (sqlite/schema_alerts.c): a deconfliction alert's reference is never given twice. */
static const char pg_migration_20[] = HWM_TABLE("deconflict_alert")
    "CREATE INDEX deconflict_alert_other ON deconflict_alert(other_entity_id);";

/* 21 (sqlite/schema_option_marking.c): a tactical option's own marking. */
static const char pg_migration_21[] =
    "CREATE TABLE option_marking("
    "  option_id BIGINT PRIMARY KEY REFERENCES tactical_option(id),"
    "  marking TEXT NOT NULL CHECK(marking IN ('OFFICIAL','OFFICIAL-SENSITIVE')));";

/* 22 (sqlite/schema_transfer_agreement.c): the threat's SIO's agreement to a transfer, per
   reassessment (cleared by a new signature of it: the app role deletes it then). */
static const char pg_migration_22[] =
    "CREATE TABLE transfer_agreement("
    "  assessment_id BIGINT PRIMARY KEY REFERENCES assessment(id),"
    "  agreed_by BIGINT NOT NULL REFERENCES \"user\"(id),"
    "  agreed_at BIGINT NOT NULL);";

const char *const pg_migrations[] = {pg_migration_16, pg_migration_17, pg_migration_18, pg_migration_19,
                                     pg_migration_20, pg_migration_21, pg_migration_22};
/* What iom_app may do with the tables of each step (pg_schema_grants revokes everything first,
   then grants the baseline's; these follow it, for every step the database has). */
const char *const pg_migration_grants[] = {"GRANT SELECT, UPDATE ON id_hwm TO iom_app;", "",
                                           "GRANT SELECT ON cache_epoch TO iom_app;",
                                           "GRANT SELECT, INSERT, UPDATE ON picture_engine TO iom_app;", "",
                                           "GRANT SELECT, INSERT ON option_marking TO iom_app;",
                                           "GRANT SELECT, INSERT, DELETE ON transfer_agreement TO iom_app;"};
const int pg_migration_count = (int)(sizeof pg_migrations / sizeof pg_migrations[0]);
