/*
 * Migration 13: search and deconfliction of the intelligence picture (issue 16 points 4 and 6;
 * docs/picture.md; store/search_store.h).
 *
 *  - search_doc: one searchable document: a tasking (its reference, bid summary, what is
 *    known, requirements, and its threat's title), an intelligence item (its current text,
 *    given by the application layer), or an entity AT ONE MARKING: an entity has one document
 *    per marking of its sources, holding only what those sources say, so that a reader is
 *    matched only on the sources they are cleared for. marking is the document's; type the
 *    entity's type; label what the entity is called at that marking; sig a digest of the
 *    entity's documents (re-indexing skips entities whose digest is unchanged).
 *  - search_fts: the FTS5 index of the documents (rowid = search_doc.id): body, the text shown
 *    around a match, and terms, the normalised and alternative forms searched too; ranked with
 *    iom_rank (sqlite_store.c: from the document and the query alone). Tokenizer unicode61 without diacritics. Documents are written by the application
 *    (entities, items) and by the store's tasking writes (sqlite_search.c); FTS5 cannot be
 *    used from triggers with trusted_schema OFF.
 *  - deconflict_key: the cross-tasking match keys of a tasking's entities (persons, phones,
 *    vehicles, accounts, online identities): the normalised identifier, or for a person the
 *    date of birth, PNC id or NI number, with the person's comparison features as JSON.
 *  - deconflict_alert: one alert per side of a match: tasking_id is the tasking whose SIA and
 *    SIO receive it; other_* is the matched side, never shown (only its SIA and owning agency
 *    are, as the point of contact). No foreign key on the entity ids: an alert outlives a
 *    re-resolution that renumbers or removes the entity.
 *
 * Existing taskings are indexed here; entities and items are indexed by their next write.
 * Idempotent (IF NOT EXISTS, OR IGNORE) like migration 10.
 */
#include "store/sqlite/sqlite_store.h"

#define SEARCH_TASKING_BODY                                                                    \
    "coalesce(t.ref, '') || ' ' || coalesce(th.ref, '') || ' ' || coalesce(th.title, '') || ' ' ||" \
    " CASE WHEN json_valid(t.bid_json) THEN coalesce(json_extract(t.bid_json, '$.summary'), '')" \
    " || ' ' || coalesce(json_extract(t.bid_json, '$.known'), '') || ' ' ||"                   \
    " coalesce(json_extract(t.bid_json, '$.requirements'), '') ELSE '' END"

const char sqlite_migration_13[] =
    "CREATE TABLE IF NOT EXISTS search_doc("
    "  id INTEGER PRIMARY KEY,"
    "  kind TEXT NOT NULL CHECK(kind IN ('tasking','intelligence','entity')),"
    "  ref TEXT NOT NULL CHECK(length(ref) BETWEEN 1 AND 40),"
    "  tasking_id INTEGER NOT NULL REFERENCES tasking(id),"
    "  type TEXT,"
    "  marking TEXT NOT NULL CHECK(marking IN ('OFFICIAL','OFFICIAL-SENSITIVE')),"
    "  label TEXT,"
    "  sig TEXT,"
    "  UNIQUE(kind, ref, marking));"
    "CREATE INDEX IF NOT EXISTS search_doc_tasking ON search_doc(tasking_id, kind);"
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(body, terms, tokenize = 'unicode61 remove_diacritics 2');"
    "INSERT OR IGNORE INTO search_doc(kind, ref, tasking_id, marking)"
    "  SELECT 'tasking', ref, id, marking FROM tasking WHERE ref IS NOT NULL;"
    "INSERT INTO search_fts(rowid, body, terms) SELECT d.id, " SEARCH_TASKING_BODY ", ''"
    "  FROM search_doc d JOIN tasking t ON t.id = d.tasking_id JOIN threat th ON th.id = t.threat_id"
    "  WHERE d.kind = 'tasking' AND d.id NOT IN (SELECT rowid FROM search_fts);"
    "CREATE TABLE IF NOT EXISTS deconflict_key("
    "  id INTEGER PRIMARY KEY,"
    "  tasking_id INTEGER NOT NULL REFERENCES tasking(id),"
    "  entity_id INTEGER NOT NULL REFERENCES entity(id) ON DELETE CASCADE,"
    "  type TEXT NOT NULL CHECK(type IN ('person','phone','vehicle','account','online_identity')),"
    "  key TEXT NOT NULL CHECK(length(key) BETWEEN 1 AND 300),"
    "  features TEXT);"
    "CREATE INDEX IF NOT EXISTS deconflict_key_match ON deconflict_key(type, key);"
    "CREATE INDEX IF NOT EXISTS deconflict_key_tasking ON deconflict_key(tasking_id);"
    "CREATE TABLE IF NOT EXISTS deconflict_alert("
    "  id INTEGER PRIMARY KEY,"
    "  tasking_id INTEGER NOT NULL REFERENCES tasking(id),"
    "  entity_id INTEGER NOT NULL,"
    "  other_tasking_id INTEGER NOT NULL REFERENCES tasking(id),"
    "  other_entity_id INTEGER NOT NULL,"
    "  entity_type TEXT NOT NULL CHECK(entity_type IN ('person','phone','vehicle','account','online_identity')),"
    "  probability REAL NOT NULL CHECK(probability >= 0.95 AND probability <= 1),"
    "  created_at INTEGER NOT NULL,"
    "  acked_by INTEGER REFERENCES user(id),"
    "  acked_at INTEGER,"
    "  CHECK(tasking_id <> other_tasking_id),"
    "  CHECK((acked_by IS NULL) = (acked_at IS NULL)),"
    "  UNIQUE(entity_id, other_entity_id));"
    "CREATE INDEX IF NOT EXISTS deconflict_alert_of ON deconflict_alert(tasking_id);";
