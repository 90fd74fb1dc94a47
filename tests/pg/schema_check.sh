#!/usr/bin/env bash
# Checks the PostgreSQL schema (src/store/pg/pg_schema.c) on a throw-away cluster
# (scripts/pg-test-cluster.sh): the baseline and the grants apply; the tables and columns are
# SQLite's (compared with a database made by `iom init`); the data rules refuse with SQLite's
# messages (SQLSTATE 23514); the app role cannot change the records or switch the rules off.
# Prints PASS/FAIL per check and the timings; exits 1 on any failure.
#
#   tests/pg/schema_check.sh [IOM_BINARY]     (default build/iom; needs gcc, psql, sqlite3)
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
iom=${1:-$root/build/iom}
cluster=$root/scripts/pg-test-cluster.sh
fails=0
checks=0

pass() { checks=$((checks + 1)); echo "PASS $1"; }
fail() { checks=$((checks + 1)); fails=$((fails + 1)); echo "FAIL $1${2:+: $2}"; }
die() { echo "schema_check: $*" >&2; exit 2; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

for tool in gcc psql sqlite3; do command -v "$tool" >/dev/null || die "$tool is missing (scripts/install-deps.sh)"; done
[ -x "$iom" ] || die "$iom is missing (make build), or give the iom binary as the first argument"

work=$(mktemp -d /tmp/iom-pgcheck.XXXXXX)
pgdir=$(mktemp -d /tmp/iom-pg.XXXXXX)
cleanup() { "$cluster" stop "$pgdir"; rm -rf -- "$work"; }
trap cleanup EXIT

# The SQL texts, from the C file the store runs (one source of truth).
gcc -std=c17 -Wall -Wextra -Werror -I"$root/src" -o "$work/print_schema" \
  "$root/tests/pg/print_schema.c" "$root/src/store/pg/pg_schema.c" || die "cannot build print_schema"
"$work/print_schema" baseline >"$work/baseline.sql"
"$work/print_schema" grants >"$work/grants.sql"

t0=$(now_ms)
env_out=$("$cluster" start "$pgdir") || die "the cluster did not start"
eval "$env_out"
t_start=$(( $(now_ms) - t0 ))

# psql as ROLE (owner|app|super) on database DB; errors show their SQLSTATE.
q() { # ROLE DB SQL
  local uri
  case "$1" in
    owner) uri="postgresql://iom_owner@/$2?host=${IOM_PG_SOCKDIR//\//%2F}&port=$IOM_PG_PORT" ;;
    app)   uri="postgresql://iom_app@/$2?host=${IOM_PG_SOCKDIR//\//%2F}&port=$IOM_PG_PORT" ;;
    super) uri="postgresql://postgres@/$2?host=${IOM_PG_SOCKDIR//\//%2F}&port=$IOM_PG_PORT" ;;
  esac
  psql "$uri" -X -q -A -t -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -c "$3" 2>&1
}
# ok NAME ROLE SQL [EXPECTED_OUTPUT]: the statement succeeds (and prints EXPECTED_OUTPUT).
ok() {
  local out
  if out=$(q "$2" iom "$3"); then
    if [ $# -ge 4 ] && [ "$out" != "$4" ]; then fail "$1" "got '$out', expected '$4'"; else pass "$1"; fi
  else
    fail "$1" "$(echo "$out" | head -2 | tr '\n' ' ')"
  fi
}
# refused NAME ROLE SQL TEXT: the statement fails and its error contains TEXT.
refused() {
  local out
  if out=$(q "$2" iom "$3"); then
    fail "$1" "succeeded; expected an error with '$4'"
  elif grep -qF -- "$4" <<<"$out"; then
    pass "$1"
  else
    fail "$1" "error was '$(echo "$out" | head -1)'; expected '$4'"
  fi
}
RULE="ERROR:  23514: " # check_violation: the store's "refused by a data rule"

t0=$(now_ms)
if psql "$IOM_PG_OWNER_URI" -X -q -v ON_ERROR_STOP=1 -1 -f "$work/baseline.sql" >"$work/apply.log" 2>&1 &&
   psql "$IOM_PG_OWNER_URI" -X -q -v ON_ERROR_STOP=1 -1 -f "$work/grants.sql" >>"$work/apply.log" 2>&1; then
  pass "baseline and grants apply as iom_owner in one transaction each"
else
  fail "baseline and grants apply" "$(head -5 "$work/apply.log" | tr '\n' ' ')"
  exit 1
fi
t_apply=$(( $(now_ms) - t0 ))
ok "grants run again (idempotent)" owner "$(cat "$work/grants.sql")"
ok "baseline version is 15" owner "SELECT $("$work/print_schema" version)" 15

# --- Same tables and columns as SQLite's latest schema ------------------------------------------
# Compared with a database that `iom init` brings to the latest version on both back-ends (the
# baseline above is 15; migrations 16 and later have a form for each back-end).
mkdir -p "$work/sq"
"$cluster" createdb "$pgdir" iom_latest >/dev/null || fail "createdb iom_latest"
latest_uri="postgresql://iom_owner@/iom_latest?host=${IOM_PG_SOCKDIR//\//%2F}&port=$IOM_PG_PORT"
IOM_AUDIT_KEY="$work/latest.key" "$iom" --db "$latest_uri" init >"$work/latest.log" 2>&1 ||
  fail "iom init of a PostgreSQL database" "$(head -3 "$work/latest.log" | tr '\n' ' ')"
if "$iom" --db "$work/sq/s.db" init >/dev/null 2>&1; then
  { for f in s.db s.db.reads; do
      sqlite3 "$work/sq/$f" "SELECT m.name, p.name, upper(p.type), (p.\"notnull\" OR p.pk > 0)
        FROM sqlite_master m, pragma_table_info(m.name) p
        WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE 'search_fts%'
        ORDER BY m.name, p.cid"
    done; } | awk -F'|' '{t=$3; sub(/INTEGER/,"bigint",t); sub(/REAL/,"double precision",t);
                         sub(/BLOB/,"bytea",t); sub(/TEXT/,"text",t); print $1"|"$2"|"t"|"$4}' >"$work/sq.cols"
  q owner iom_latest "SELECT table_name, column_name, data_type, CASE WHEN is_nullable = 'NO' THEN 1 ELSE 0 END
    FROM information_schema.columns WHERE table_schema IN ('public','reads') AND table_name <> 'search_fts'
    AND table_name <> 'iom_schema' ORDER BY table_name COLLATE \"C\", ordinal_position" >"$work/pg.cols"
  LC_ALL=C sort -t'|' -s -k1,1 "$work/sq.cols" >"$work/sq.sorted"
  if diff "$work/sq.sorted" "$work/pg.cols" >"$work/cols.diff"; then
    pass "tables, columns (in order), types and NOT NULL are SQLite's ($(wc -l <"$work/pg.cols") columns)"
  else
    fail "tables and columns as SQLite's" "$(head -6 "$work/cols.diff" | tr '\n' ' ')"
  fi
  sqlite3 "$work/sq/s.db" "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'" >"$work/sq.idx"
  sqlite3 "$work/sq/s.db.reads" "SELECT name FROM sqlite_master WHERE type = 'index'" >>"$work/sq.idx"
  q owner iom_latest "SELECT indexname FROM pg_indexes WHERE schemaname IN ('public','reads')" >"$work/pg.idx"
  missing=$(LC_ALL=C comm -23 <(LC_ALL=C sort "$work/sq.idx") <(LC_ALL=C sort "$work/pg.idx") | tr '\n' ' ')
  [ -z "$missing" ] && pass "every SQLite index exists by name" || fail "SQLite indexes missing" "$missing"
  for t in holiday setting; do
    n_sq=$(sqlite3 "$work/sq/s.db" "SELECT count(*) FROM $t")
    ok "seeded $t rows as SQLite's ($n_sq)" app "SELECT count(*) FROM $t" "$n_sq"
  done
  sqlite3 "$work/sq/s.db" "SELECT name || '|' || version || '|' || value_json || '|' || reason FROM setting ORDER BY id" >"$work/sq.set"
  q app iom_latest "SELECT name || '|' || version || '|' || value_json || '|' || reason FROM setting ORDER BY id" >"$work/pg.set"
  cmp -s "$work/sq.set" "$work/pg.set" && pass "seeded settings are byte for byte SQLite's" || fail "seeded settings differ"
  sqlite3 "$work/sq/s.db" "SELECT day || '|' || name FROM holiday ORDER BY day" >"$work/sq.hol"
  q app iom_latest "SELECT day || '|' || name FROM holiday ORDER BY day" >"$work/pg.hol"
  cmp -s "$work/sq.hol" "$work/pg.hol" && pass "seeded holidays are SQLite's" || fail "seeded holidays differ"
else
  fail "iom init (for the SQLite schema to compare with)"
fi
ok "dataset_hwm seeded (1, 0)" app "SELECT one || ',' || last FROM dataset_hwm" "1,0"
ok "reads.read_file: id 1, 32 lower-case hex file_id, created now" app \
  "SELECT id = 1 AND file_id ~ '^[0-9a-f]{32}\$' AND abs(created_at - extract(epoch FROM now())) < 600
     FROM reads.read_file" t
ok "every text column has collation C (byte order, as SQLite's BINARY)" app \
  "SELECT count(*) FROM information_schema.columns WHERE table_schema IN ('public','reads')
     AND data_type = 'text' AND collation_name IS DISTINCT FROM 'C'" 0

# --- Privileges of iom_app ---------------------------------------------------------------------
ok "iom_app owns nothing" owner \
  "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = 'iom_app'" 0
ok "iom_app may SELECT every table (none forgotten by the grants)" owner \
  "SELECT coalesce(string_agg(schemaname || '.' || tablename, ' '), 'none') FROM pg_tables
    WHERE schemaname IN ('public','reads') AND NOT has_table_privilege('iom_app', quote_ident(schemaname) || '.' || quote_ident(tablename), 'SELECT')" none
ok "iom_app has TRUNCATE, REFERENCES or TRIGGER on no table" owner \
  "SELECT count(*) FROM pg_tables WHERE schemaname IN ('public','reads')
     AND (has_table_privilege('iom_app', quote_ident(schemaname) || '.' || quote_ident(tablename), 'TRUNCATE')
       OR has_table_privilege('iom_app', quote_ident(schemaname) || '.' || quote_ident(tablename), 'REFERENCES')
       OR has_table_privilege('iom_app', quote_ident(schemaname) || '.' || quote_ident(tablename), 'TRIGGER'))" 0
ok "iom_app has no UPDATE or DELETE on the append-only tables" owner \
  "SELECT count(*) FROM unnest(ARRAY['audit','tasking_event','product_document','read_chain','milestone_done',
     'setting','intel_review','dataset_review','reads.read_log','reads.read_file']) t
   WHERE has_table_privilege('iom_app', t, 'UPDATE') OR has_table_privilege('iom_app', t, 'DELETE')" 0
ok "iom_app has no CREATE on schemas public and reads" owner \
  "SELECT has_schema_privilege('iom_app', 'public', 'CREATE') OR has_schema_privilege('iom_app', 'reads', 'CREATE')" f
refused "iom_app cannot create a table" app "CREATE TABLE public.x(a int)" "permission denied for schema public"

# --- Reference rows, made as the app (the quoted table "user" among them) ----------------------
ok "seed region, agencies (force, capability, national) as iom_app" app "
  INSERT INTO region(id, code, name) VALUES (1, 'r1', 'Region one'), (2, 'r2', 'Region two');
  INSERT INTO agency(id, code, name, kind, region_id, created_at) VALUES
    (1, 'f1', 'Force one', 'force', 1, 0), (2, 'toex', 'TOEX', 'capability', NULL, 0),
    (3, 'nca', 'National', 'national', NULL, 0), (4, 'f2', 'Force two', 'force', 2, 0);"
ok "a quoted \"user\" insert works as iom_app" app "
  INSERT INTO \"user\"(id, name, agency_id, roles, clearance, created_at) VALUES
    (1, 'sio1', 1, 2, 'OFFICIAL-SENSITIVE', 0), (2, 'toex1', 2, 1, 'OFFICIAL', 0),
    (3, 'nat1', 3, 2, 'OFFICIAL', 0), (4, 'sio2', 4, 2, 'OFFICIAL', 0);
  SELECT count(*) FROM \"user\"" 4
refused "role ftt only in a national agency" app \
  "INSERT INTO \"user\"(name, agency_id, roles, clearance, created_at) VALUES ('ftt1', 1, 2048, 'OFFICIAL', 0)" \
  "${RULE}role ftt is held only by users of a national agency"
refused "an agency's kind cannot change" app "UPDATE agency SET kind = 'force' WHERE id = 3" \
  "${RULE}an agency's kind cannot change"

# --- Threat ownership ------------------------------------------------------------------------
refused "a threat owned by a capability agency (TOEX) is refused" app \
  "INSERT INTO threat(title, type, owner_id, sio_id, force_tasking_ref, marking, created_at, updated_at)
   VALUES ('t', 'labour', 2, 2, 'F/1', 'OFFICIAL', 0, 0)" \
  "${RULE}threat owner must be a force, ROCU or national agency, never TOEX"
refused "a threat's SIO belongs to the owner" app \
  "INSERT INTO threat(title, type, owner_id, sio_id, force_tasking_ref, marking, created_at, updated_at)
   VALUES ('t', 'labour', 1, 3, 'F/1', 'OFFICIAL', 0, 0)" \
  "${RULE}threat SIO must hold the sio role and belong to the owning agency"
ok "a threat owned by a force with its SIO" app \
  "INSERT INTO threat(id, ref, title, type, owner_id, sio_id, force_tasking_ref, marking, created_at, updated_at)
   VALUES (1, 'TH-1', 't', 'labour', 1, 1, 'F/1', 'OFFICIAL', 0, 0), (2, 'TH-2', 'u', 'cse', 1, 1, 'F/2', 'OFFICIAL', 0, 0)"
refused "moving a threat to TOEX is refused" app "UPDATE threat SET owner_id = 2 WHERE id = 1" \
  "${RULE}threat owner must be a force"

# --- Tasking rules -----------------------------------------------------------------------------
TK="INSERT INTO tasking(threat_id, state, requesting_agency_id, spoc_id, sio_id, urgency, marking, bid_json, state_since, created_at, updated_at"
ok "a bid takes its agency's region (SQLite's tasking_region_default)" app \
  "$TK, ref) VALUES (1, 'submitted', 1, 1, 1, 'routine', 'OFFICIAL', '{}', 0, 0, 0, 'TK-1') RETURNING region_id" 1
refused "one open tasking per threat" app \
  "$TK) VALUES (1, 'draft', 1, 1, 1, 'routine', 'OFFICIAL', '{}', 0, 0, 0)" \
  "${RULE}the threat already has an open tasking"
ok "an ended tasking beside the open one is allowed" app \
  "$TK) VALUES (1, 'withdrawn', 1, 1, 1, 'routine', 'OFFICIAL', '{}', 0, 0, 0)"
refused "a bid names its threat's SIO" app \
  "$TK) VALUES (2, 'draft', 1, 1, 4, 'routine', 'OFFICIAL', '{}', 0, 0, 0)" \
  "${RULE}a bid names the SIO of its threat"
refused "a national bid names a region" app \
  "$TK) VALUES (2, 'draft', 3, 3, 1, 'routine', 'OFFICIAL', '{}', 0, 0, 0)" \
  "${RULE}a bid of a national agency names the region whose Gateway triages it"
refused "a force's bid is triaged in its own region" app \
  "$TK, region_id) VALUES (2, 'draft', 1, 1, 1, 'routine', 'OFFICIAL', '{}', 0, 0, 0, 2)" \
  "${RULE}a bid of a force or ROCU is triaged in its own region"
refused "several rules broken: SQLite's first message (region before one-open before SIO)" app \
  "$TK, region_id) VALUES (1, 'draft', 1, 1, 4, 'routine', 'OFFICIAL', '{}', 0, 0, 0, 2)" \
  "${RULE}a bid of a force or ROCU is triaged in its own region"
refused "the region of a bid cannot change" app "UPDATE tasking SET region_id = 2 WHERE ref = 'TK-1'" \
  "${RULE}the region of a bid cannot change"
refused "a tasking team is TOEX staff only" app \
  "INSERT INTO tasking_member(tasking_id, user_id, added_at) SELECT id, 1, 0 FROM tasking WHERE ref = 'TK-1'" \
  "${RULE}only TOEX staff are assigned to a tasking team"
ok "a TOEX user joins the team" app \
  "INSERT INTO tasking_member(tasking_id, user_id, added_at) SELECT id, 2, 0 FROM tasking WHERE ref = 'TK-1'"
ok "closing a tasking" app "UPDATE tasking SET state = 'closed' WHERE ref = 'TK-1'"
refused "an ended tasking accepts no change" app "UPDATE tasking SET urgency = 'urgent' WHERE ref = 'TK-1'" \
  "${RULE}tasking has ended; it accepts no change"

# One open tasking under concurrency: the partial unique index refuses what the trigger cannot
# see (the other transaction's row is not committed yet).
( q app iom "BEGIN; $TK, ref) VALUES (2, 'draft', 1, 1, 1, 'routine', 'OFFICIAL', '{}', 0, 0, 0, 'TK-A');
             SELECT pg_sleep(1.5); COMMIT;" >"$work/conc_a.out" ) &
conc_a=$!
sleep 0.5
refused "one open tasking when two transactions insert at once (unique index tasking_one_open)" app \
  "$TK, ref) VALUES (2, 'draft', 1, 1, 1, 'routine', 'OFFICIAL', '{}', 0, 0, 0, 'TK-B')" \
  "tasking_one_open"
wait "$conc_a" && pass "the first of the two concurrent bids is kept" || fail "the first concurrent bid" "$(cat "$work/conc_a.out")"

# --- The audit trail and the read log: append-only, even to the owner ---------------------------
H64=$(printf 'a%.0s' {1..64})
ok "an audit entry is appended as iom_app" app \
  "INSERT INTO audit(at, via, action, hash) VALUES (1, 'cli', 'test', '$H64') RETURNING seq" 1
refused "audit UPDATE is refused to iom_app (no privilege)" app "UPDATE audit SET action = 'x'" "permission denied for table audit"
refused "audit DELETE is refused to iom_app (no privilege)" app "DELETE FROM audit" "permission denied for table audit"
refused "audit TRUNCATE is refused to iom_app (no privilege)" app "TRUNCATE audit" "permission denied for table audit"
refused "audit TRUNCATE is refused to the owner too (statement trigger)" owner "TRUNCATE audit" \
  "${RULE}the audit trail is append-only"
refused "audit UPDATE is refused to the owner too (trigger)" owner "UPDATE audit SET action = 'x'" \
  "${RULE}the audit trail is append-only"
refused "audit DELETE is refused to the owner too (trigger)" owner "DELETE FROM audit" \
  "${RULE}the audit trail is append-only"
refused "iom_app cannot DROP TRIGGER audit_no_update" app "DROP TRIGGER audit_no_update ON audit" \
  "must be owner of relation audit"
refused "iom_app cannot ALTER TABLE audit DISABLE TRIGGER ALL" app "ALTER TABLE audit DISABLE TRIGGER ALL" \
  "must be owner of table audit"
refused "iom_app cannot switch triggers off (session_replication_role)" app \
  "SET session_replication_role = replica" "permission denied to set parameter"
refused "iom_app cannot replace a trigger function" app \
  "CREATE OR REPLACE FUNCTION public.iom_refuse() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN RETURN NEW; END \$\$" \
  "permission denied for schema public"
refused "iom_app cannot take a trigger function over" app "ALTER FUNCTION public.iom_refuse() OWNER TO iom_app" \
  "must be owner of function iom_refuse"
ok "audit still holds its one entry" app "SELECT count(*) FROM audit" 1
ok "a read-log entry is appended as iom_app" app \
  "INSERT INTO reads.read_log(at, via, action, hash) VALUES (1, 'http', 'intel.read', '$H64') RETURNING seq" 1
refused "reads.read_log UPDATE is refused to iom_app" app "UPDATE reads.read_log SET action = 'x'" "permission denied for table read_log"
refused "reads.read_log DELETE is refused to iom_app" app "DELETE FROM reads.read_log" "permission denied for table read_log"
refused "reads.read_log UPDATE is refused to the owner" owner "UPDATE reads.read_log SET action = 'x'" "${RULE}the read log is append-only"
refused "reads.read_log DELETE is refused to the owner" owner "DELETE FROM reads.read_log" "${RULE}the read log is append-only"
refused "reads.read_log TRUNCATE is refused to the owner" owner "TRUNCATE reads.read_log" "${RULE}the read log is append-only"
refused "reads.read_file is written once" owner "UPDATE reads.read_file SET created_at = 0" \
  "${RULE}the read log file's identity is written once"

# --- Settings and reviews ------------------------------------------------------------------------
ok "a setting's next version is added" app \
  "INSERT INTO setting(name, version, value_json, reason, changed_by, changed_at)
   VALUES ('intel.review_years', 2, '7', 'longer', 1, 1)"
refused "a setting's version skipping a number is refused" app \
  "INSERT INTO setting(name, version, value_json, reason, changed_by, changed_at)
   VALUES ('intel.review_years', 4, '8', 'skip', 1, 1)" \
  "${RULE}a setting's new version is the next number of its name"
refused "a setting's version is never changed (iom_app: no privilege)" app "UPDATE setting SET value_json = '9'" \
  "permission denied for table setting"
refused "a setting's version is never changed (owner: trigger)" owner "UPDATE setting SET value_json = '9'" \
  "${RULE}a setting's versions are kept as they were: set a new version"
refused "a setting's version is never removed (owner)" owner "DELETE FROM setting" \
  "${RULE}a setting's versions are kept as they were: set a new version"
ok "an intelligence review is recorded" app \
  "INSERT INTO intel_review(ref, decision, reason, due_date, next_date, user_id, at)
   VALUES ('INT-1', 'retain', 'still needed', '2026-01-01', '2027-01-01', 1, 1)"
refused "an intelligence review is never changed (iom_app: no privilege)" app "UPDATE intel_review SET reason = 'x'" \
  "permission denied for table intel_review"
refused "an intelligence review is never changed (owner: trigger)" owner "UPDATE intel_review SET reason = 'x'" \
  "${RULE}a review is a record: it is never changed"
refused "an intelligence review is never removed (owner: trigger)" owner "DELETE FROM intel_review" \
  "${RULE}a review is a record: it is never removed"
refused "a review's decision and next date agree (CHECK)" app \
  "INSERT INTO intel_review(ref, decision, reason, due_date, user_id, at)
   VALUES ('INT-2', 'retain', 'r', '2026-01-01', 1, 1)" "ERROR:  23514: new row for relation \"intel_review\" violates check constraint"

# --- Datasets: the high-water mark kept by a trigger, as the app ---------------------------------
ok "a dataset insert moves dataset_hwm (trigger, as iom_app)" app \
  "INSERT INTO dataset(id, tasking_id, name, level, grade_source, grade_assessment, handling, marking, sha256,
     roles_json, settings_json, records, imported_by, imported_at, review_date)
   SELECT (SELECT last + 1 FROM dataset_hwm WHERE one = 1), id, 'ds', 'local', '1', 'A', 'P', 'OFFICIAL', '$H64',
     '{}', '{}', 0, 1, 0, '2030-01-01' FROM tasking WHERE ref = 'TK-A';
   SELECT last FROM dataset_hwm" 1

# --- Full-text search --------------------------------------------------------------------------
ok "a search document is indexed as iom_app" app "
  INSERT INTO search_doc(id, kind, ref, tasking_id, marking) SELECT 1, 'entity', 'E-1', id, 'OFFICIAL' FROM tasking WHERE ref = 'TK-A';
  INSERT INTO search_doc(id, kind, ref, tasking_id, marking) SELECT 2, 'entity', 'E-2', id, 'OFFICIAL' FROM tasking WHERE ref = 'TK-A';
  INSERT INTO search_fts(id, body, terms) VALUES
    (1, 'Zoë Smith-Jones was seen at the docks', 'zoe smith jones 447700900123 07700900123'),
    (2, 'A meeting near SW1A 1AA with ÉLODIE', 'sw1a 1aa sw1a1aa')"
S="SELECT string_agg(id::text, ',' ORDER BY id) FROM search_fts WHERE tsv @@ to_tsquery('public.iom_simple',"
ok "search: 'zoe' finds Zoë (diacritics folded)" app "$S '''zoe''')" 1
ok "search: 'Zoë' finds Zoë" app "$S '''Zoë''')" 1
ok "search: prefix 'zo:*' finds Zoë" app "$S '''zo'':*')" 1
ok "search: prefix 'ZOË:*' finds Zoë" app "$S '''ZOË'':*')" 1
ok "search: 'elodie' finds ÉLODIE" app "$S '''elodie''')" 2
ok "search: a hyphenated name as a phrase" app "$S '''smith-jones''')" 1
ok "search: a postcode as a phrase (FTS5 \"sw1a 1aa\")" app "$S '''sw1a 1aa''')" 2
ok "search: words in the wrong order are not the phrase" app "$S '''1aa sw1a''')" ""
ok "search: AND / OR as app/search.c builds them" app \
  "$S '(''zoe'' & (''docks'' | ''harbour'')) | ''sw1a1aa''')" 1,2
ok "search: a number of the terms column" app "$S '''07700900123''')" 1
ok "search: no match" app "$S '''nobody''')" ""
ok "search: ranked with ts_rank_cd, snippet with ts_headline" app \
  "SELECT ts_headline('public.iom_simple', body, q, 'StartSel=[, StopSel=], MaxWords=12, MinWords=10')
     FROM search_fts, to_tsquery('public.iom_simple', '''docks''') q WHERE tsv @@ q ORDER BY ts_rank_cd(tsv, q) DESC, id" \
  "Zoë Smith-Jones was seen at the [docks]"
ok "search: removing the document removes its index row (cascade)" app \
  "DELETE FROM search_doc WHERE id = 2; SELECT count(*) FROM search_fts" 1

# --- Fresh databases for tests: CREATE DATABASE from a template that has the schema -------------
"$cluster" createdb "$pgdir" iom_template >/dev/null || fail "createdb iom_template"
psql "postgresql://iom_owner@/iom_template?host=${IOM_PG_SOCKDIR//\//%2F}&port=$IOM_PG_PORT" \
  -X -q -v ON_ERROR_STOP=1 -1 -f "$work/baseline.sql" >/dev/null 2>&1 &&
psql "postgresql://iom_owner@/iom_template?host=${IOM_PG_SOCKDIR//\//%2F}&port=$IOM_PG_PORT" \
  -X -q -v ON_ERROR_STOP=1 -1 -f "$work/grants.sql" >/dev/null 2>&1 || fail "schema into iom_template"
"$cluster" template "$pgdir" iom_template || fail "mark iom_template as a template"
n=10
t0=$(now_ms)
for i in $(seq 1 $n); do
  q owner postgres "CREATE DATABASE t_wal_$i OWNER iom_owner TEMPLATE iom_template" >/dev/null || fail "CREATE DATABASE t_wal_$i"
done
t_wal=$(( ($(now_ms) - t0) / n ))
t0=$(now_ms)
for i in $(seq 1 $n); do
  q owner postgres "CREATE DATABASE t_copy_$i OWNER iom_owner TEMPLATE iom_template STRATEGY file_copy" >/dev/null ||
    fail "CREATE DATABASE t_copy_$i"
done
t_copy=$(( ($(now_ms) - t0) / n ))
t0=$(now_ms)
for i in $(seq 1 $n); do
  q owner postgres "CREATE DATABASE t_base_$i OWNER iom_owner TEMPLATE template0" >/dev/null &&
  psql "postgresql://iom_owner@/t_base_$i?host=${IOM_PG_SOCKDIR//\//%2F}&port=$IOM_PG_PORT" \
    -X -q -v ON_ERROR_STOP=1 -1 -f "$work/baseline.sql" >/dev/null 2>&1 || fail "t_base_$i"
done
t_base=$(( ($(now_ms) - t0) / n ))
out=$(psql "postgresql://iom_app@/t_wal_$n?host=${IOM_PG_SOCKDIR//\//%2F}&port=$IOM_PG_PORT" -X -A -t -c \
  "SELECT (SELECT count(*) FROM pg_tables WHERE schemaname IN ('public','reads')) || ',' || (SELECT count(*) FROM holiday)" 2>&1)
n_tables=$(q owner iom "SELECT count(*) FROM pg_tables WHERE schemaname IN ('public','reads')")
[ "$out" = "$n_tables,91" ] && pass "a database cloned from the template has the schema and the grants ($out)" ||
  fail "cloned database" "$out (expected $n_tables,91)"
out=$(psql "postgresql://iom_owner@/t_copy_1?host=${IOM_PG_SOCKDIR//\//%2F}&port=$IOM_PG_PORT" -X -A -t -v VERBOSITY=verbose \
  -c "INSERT INTO audit(at, via, action, hash) VALUES (1, 'cli', 't', '$H64'); UPDATE audit SET action = 'x'" 2>&1)
grep -qF "${RULE}the audit trail is append-only" <<<"$out" && pass "a cloned database keeps the append-only audit" ||
  fail "cloned database audit rule" "$out"

echo
echo "timings: cluster start ${t_start} ms; baseline + grants ${t_apply} ms;"
echo "  per fresh database (mean of $n): CREATE DATABASE ... TEMPLATE iom_template ${t_wal} ms (WAL_LOG),"
echo "  ${t_copy} ms (STRATEGY file_copy); CREATE DATABASE from template0 + baseline ${t_base} ms"
echo
if [ "$fails" -eq 0 ]; then
  echo "schema_check: all $checks checks passed"
else
  echo "schema_check: $fails of $checks checks FAILED"
  exit 1
fi
