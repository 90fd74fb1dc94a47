/*
 * Migration 5: product documents in a table of their own (issue 5, found by the HTTP product
 * routes: listing three 50 MiB products took 333 ms).
 *
 * The document was a column in the middle of the product row, so reading any column after it
 * (size, checksum, marking, dates: every list and every metadata read) made SQLite walk the
 * document's chain of overflow pages, a page for every 4 KiB of document. Now `product` holds
 * the metadata and `product_document` the bytes, read only by a download. The rules stay in
 * the schema: a document's length is its product's size, and documents (like product
 * versions) are never changed or removed.
 */
#include "store/sqlite/sqlite_store.h"

const char sqlite_migration_5[] =
    "CREATE TABLE product_v5("
    "  id INTEGER PRIMARY KEY,"
    "  ref TEXT NOT NULL,"
    "  version INTEGER NOT NULL CHECK(version >= 1),"
    "  tasking_id INTEGER NOT NULL REFERENCES tasking(id),"
    "  type TEXT NOT NULL,"
    "  filename TEXT NOT NULL,"
    "  size INTEGER NOT NULL CHECK(size >= 0),"
    "  sha256 TEXT NOT NULL CHECK(length(sha256) = 64),"
    "  marking TEXT NOT NULL CHECK((marking = 'OFFICIAL' OR marking = 'OFFICIAL-SENSITIVE')),"
    "  created_by INTEGER REFERENCES user(id),"
    "  created_at INTEGER NOT NULL,"
    "  delivered_at INTEGER,"
    "  delivered_by INTEGER REFERENCES user(id),"
    "  UNIQUE(ref, version));"
    "INSERT INTO product_v5(id, ref, version, tasking_id, type, filename, size, sha256, marking,"
    "  created_by, created_at, delivered_at, delivered_by)"
    "  SELECT id, ref, version, tasking_id, type, filename, size, sha256, marking,"
    "  created_by, created_at, delivered_at, delivered_by FROM product;"
    "CREATE TABLE product_document("
    "  product_id INTEGER PRIMARY KEY REFERENCES product_v5(id),"
    "  content BLOB NOT NULL);"
    "INSERT INTO product_document(product_id, content) SELECT id, content FROM product;"
    "DROP TABLE product;"
    /* Renaming also renames product_document's foreign key to `product`. */
    "ALTER TABLE product_v5 RENAME TO product;"
    "CREATE INDEX product_by_tasking ON product(tasking_id, type);"
    "CREATE TRIGGER product_document_size BEFORE INSERT ON product_document"
    "  WHEN length(NEW.content) IS NOT (SELECT size FROM product WHERE id = NEW.product_id) BEGIN"
    "  SELECT RAISE(ABORT, 'a product document is as long as its product''s size');"
    "END;"
    "CREATE TRIGGER product_document_no_update BEFORE UPDATE ON product_document BEGIN"
    "  SELECT RAISE(ABORT, 'a product document never changes: add a new version');"
    "END;"
    "CREATE TRIGGER product_document_no_delete BEFORE DELETE ON product_document BEGIN"
    "  SELECT RAISE(ABORT, 'a product document is never removed');"
    "END;";
