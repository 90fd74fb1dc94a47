#!/usr/bin/env bash
# Runs every built benchmark (bench_*) in the given build directory, one after another.
# Each prints its own figures and the ratio to its in-run baseline.
set -euo pipefail
build=${1:-build}
for b in "$build"/bench_*; do
  [ -x "$b" ] || continue
  echo "== $(basename "$b")"
  "$b"
done
