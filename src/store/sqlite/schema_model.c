/*
 * Migration 8: the operating model without gaps (issue 12).
 *
 * - tasking.region_id: the region whose Gateway triages the bid and whose Gateway and TTCG
 *   have need-to-know as "the region of the requesting agency" (domain.md §3). For a force or
 *   ROCU it is the agency's own region; an NCA bid names the region where the threat
 *   operates. Existing taskings take their requesting agency's region (the trigger that keeps
 *   ended taskings final is lifted for the back-fill only and put back unchanged).
 */
#include "store/sqlite/sqlite_store.h"

const char sqlite_migration_8[] =
    "ALTER TABLE tasking ADD COLUMN region_id INTEGER REFERENCES region(id);"
    "DROP TRIGGER tasking_ended_is_final;"
    "UPDATE tasking SET region_id = (SELECT region_id FROM agency WHERE id = requesting_agency_id);"
    /* As in migration 2; a row is final once its region is set, which the insert triggers
       below do before anything else can touch it. */
    "CREATE TRIGGER tasking_ended_is_final BEFORE UPDATE ON tasking"
    "  WHEN (OLD.state = 'closed' OR OLD.state = 'rejected' OR OLD.state = 'declined' OR OLD.state = 'withdrawn')"
    "   AND OLD.region_id IS NOT NULL BEGIN"
    "  SELECT RAISE(ABORT, 'tasking has ended; it accepts no change');"
    "END;"
    "CREATE INDEX tasking_by_region ON tasking(region_id, ref);"
    /* A bid is triaged in a region: its agency's own (filled in when not given), or for a
       national requester the one it names. */
    "CREATE TRIGGER tasking_region_rule BEFORE INSERT ON tasking BEGIN"
    "  SELECT RAISE(ABORT, 'a bid of a force or ROCU is triaged in its own region')"
    "   WHERE NEW.region_id IS NOT NULL AND NEW.region_id IS NOT coalesce((SELECT region_id"
    "         FROM agency WHERE id = NEW.requesting_agency_id), NEW.region_id);"
    "  SELECT RAISE(ABORT, 'a bid of a national agency names the region whose Gateway triages it')"
    "   WHERE NEW.region_id IS NULL AND (SELECT region_id FROM agency"
    "         WHERE id = NEW.requesting_agency_id) IS NULL;"
    "END;"
    "CREATE TRIGGER tasking_region_default AFTER INSERT ON tasking WHEN NEW.region_id IS NULL BEGIN"
    "  UPDATE tasking SET region_id = (SELECT region_id FROM agency WHERE id = NEW.requesting_agency_id)"
    "   WHERE id = NEW.id;"
    "END;"
    "CREATE TRIGGER tasking_region_fixed BEFORE UPDATE OF region_id ON tasking"
    "  WHEN OLD.region_id IS NOT NULL BEGIN"
    "  SELECT RAISE(ABORT, 'the region of a bid cannot change');"
    "END;";
