/*
 * Migration 4: fewer B-tree pages written per lifecycle transition (issue 4, bench/lifecycle).
 *
 * Every WAL commit writes each page it changed (4 KiB + a 24-byte frame header), and a
 * transition changed seven: the tasking row, its state index, the partial unique index
 * "one open tasking per threat", the history event and its index, the audit entry and its
 * object index. Two of them go:
 *
 * - tasking_one_open was a partial UNIQUE index whose WHERE clause reads `state`, so SQLite
 *   deleted and re-inserted its entry on every state change. The same rule is now a pair of
 *   triggers that only read (an open tasking may not be inserted, or moved to another threat,
 *   while the threat has another open one; ended taskings never reopen, see
 *   tasking_ended_is_final), over a plain index on threat_id that a state change never
 *   touches.
 * - tasking_event becomes a WITHOUT ROWID table keyed by (tasking_id, id): the history of a
 *   tasking is one range of one B-tree, so the separate index (tasking_id, id) is not
 *   needed. `id` is the event's number within its tasking from now on (the old global ids
 *   are kept, so the order of every history is unchanged).
 *
 * Writes with rules that must hold whatever code writes the file stay in the schema.
 */
#include "store/sqlite/sqlite_store.h"

const char sqlite_migration_4[] =
    "DROP INDEX tasking_one_open;"
    "CREATE INDEX tasking_by_threat ON tasking(threat_id);"
    /* A threat has at most one open tasking at once (domain.md §1). */
    "CREATE TRIGGER tasking_one_open_insert BEFORE INSERT ON tasking"
    "  WHEN NOT (NEW.state = 'closed' OR NEW.state = 'rejected' OR NEW.state = 'declined' OR NEW.state = 'withdrawn')"
    "   AND EXISTS (SELECT 1 FROM tasking o WHERE o.threat_id = NEW.threat_id"
    "     AND NOT (o.state = 'closed' OR o.state = 'rejected' OR o.state = 'declined' OR o.state = 'withdrawn')) BEGIN"
    "  SELECT RAISE(ABORT, 'the threat already has an open tasking');"
    "END;"
    "CREATE TRIGGER tasking_one_open_move BEFORE UPDATE OF threat_id ON tasking"
    "  WHEN NEW.threat_id IS NOT OLD.threat_id"
    "   AND NOT (NEW.state = 'closed' OR NEW.state = 'rejected' OR NEW.state = 'declined' OR NEW.state = 'withdrawn')"
    "   AND EXISTS (SELECT 1 FROM tasking o WHERE o.threat_id = NEW.threat_id AND o.id <> NEW.id"
    "     AND NOT (o.state = 'closed' OR o.state = 'rejected' OR o.state = 'declined' OR o.state = 'withdrawn')) BEGIN"
    "  SELECT RAISE(ABORT, 'the threat already has an open tasking');"
    "END;"

    "CREATE TABLE tasking_event_v4("
    "  tasking_id INTEGER NOT NULL REFERENCES tasking(id),"
    "  id INTEGER NOT NULL,"
    "  at INTEGER NOT NULL,"
    "  action TEXT NOT NULL,"
    "  actor_id INTEGER REFERENCES user(id),"
    "  role TEXT,"
    "  from_state TEXT CHECK(from_state IS NULL OR (from_state = 'draft' OR from_state = 'submitted' OR from_state = 'returned' OR from_state = 'forwarded' OR from_state = 'accepted' OR from_state = 'tor_agreed' OR from_state = 'in_development' OR from_state = 'reassessment' OR from_state = 'transfer_requested' OR from_state = 'escalated_ftt' OR from_state = 'closed' OR from_state = 'rejected' OR from_state = 'declined' OR from_state = 'withdrawn')),"
    "  to_state TEXT NOT NULL CHECK((to_state = 'draft' OR to_state = 'submitted' OR to_state = 'returned' OR to_state = 'forwarded' OR to_state = 'accepted' OR to_state = 'tor_agreed' OR to_state = 'in_development' OR to_state = 'reassessment' OR to_state = 'transfer_requested' OR to_state = 'escalated_ftt' OR to_state = 'closed' OR to_state = 'rejected' OR to_state = 'declined' OR to_state = 'withdrawn')),"
    "  reason TEXT,"
    "  PRIMARY KEY(tasking_id, id)) WITHOUT ROWID;"
    "INSERT INTO tasking_event_v4(tasking_id, id, at, action, actor_id, role, from_state, to_state, reason)"
    "  SELECT tasking_id, id, at, action, actor_id, role, from_state, to_state, reason FROM tasking_event;"
    "DROP TABLE tasking_event;"
    "ALTER TABLE tasking_event_v4 RENAME TO tasking_event;"
    /* The history is a record: events are never changed or removed. */
    "CREATE TRIGGER tasking_event_no_update BEFORE UPDATE ON tasking_event BEGIN"
    "  SELECT RAISE(ABORT, 'tasking history is append-only');"
    "END;"
    "CREATE TRIGGER tasking_event_no_delete BEFORE DELETE ON tasking_event BEGIN"
    "  SELECT RAISE(ABORT, 'tasking history is append-only');"
    "END;";
