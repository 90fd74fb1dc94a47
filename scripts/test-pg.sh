#!/usr/bin/env bash
# The test suite on PostgreSQL (issue 19 point 3): a throw-away cluster owned by this run
# (scripts/pg-test-cluster.sh: a temporary directory, a Unix socket only, run as the `postgres`
# user when we are root), every test program with its stores mapped onto databases of that
# cluster (tests/pg/pgmap.c), and the cluster removed afterwards, also when a test fails or the
# run is interrupted.
#   scripts/test-pg.sh BUILD [ctest arguments...]
# Tests listed in tests/pg/sqlite-only.txt are left out of this run (each with its reason there),
# and those of tests/pg/store-free.txt, which never open a store (checked in the SQLite runs).
set -euo pipefail
build=${1:?usage: scripts/test-pg.sh BUILD [ctest arguments...]}
shift
here=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/iom-pg.XXXXXX")
rmdir "$dir" # the cluster script makes it (mode 0700, owned by the cluster's user)
cleanup() { bash "$here/scripts/pg-test-cluster.sh" stop "$dir" >/dev/null 2>&1 || true; }
trap cleanup EXIT INT TERM
eval "$(bash "$here/scripts/pg-test-cluster.sh" start "$dir")"
export IOM_TEST_PG_SOCKDIR=$IOM_PG_SOCKDIR IOM_TEST_PG_PORT=$IOM_PG_PORT IOM_TEST_PG_LOG=$dir/server.log
export IOM_TEST_BINARY=$here/$build/iom-pgmap
[ -x "$IOM_TEST_BINARY" ] || IOM_TEST_BINARY=$build/iom-pgmap
exclude=$(cat "$here/tests/pg/sqlite-only.txt" "$here/tests/pg/store-free.txt" | grep -v '^#' |
  awk 'NF {print $1}' | paste -sd'|' || true)
args=(--test-dir "$build" --output-on-failure)
[ -n "$exclude" ] && args+=(-E "^($exclude)\$")
rc=0
ctest "${args[@]}" "$@" || rc=$?
if [ "$rc" != 0 ] && [ -r "$dir/server.log" ]; then
  # a test that failed or timed out while a statement waited on a lock (who held it) or ran
  # for seconds (a plan gone wrong?)
  waits=$(grep -E -A3 'still waiting for|deadlock detected|acquired .* after|duration: [0-9]{4,}' \
    "$dir/server.log" | cut -c1-600 | tail -n 80 || true)
  [ -n "$waits" ] && printf 'scripts/test-pg.sh: lock waits and slow statements in the cluster log (%s):\n%s\n' \
    "$dir/server.log" "$waits" >&2
fi
exit "$rc"
