#!/bin/sh
# bench/foreign_shapes/run-all2.sh [IOM] [PEOPLE] [SEED]: every shape of gen2.py (the second
# review's held-out shapes, README.md), generated into a temporary directory, conflated by `iom
# conflate` at its defaults, scored pairwise against the truth (score.py). One line per shape.
# Not a test. Needs python3 (standard library only).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
iom=${1:-$here/../../build/iom}
people=${2:-3000}
seed=${3:-1}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/iom-foreign2-XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
for shape in celtic surfirst alias partialdob homesplit twins fatherson ocr phones tiny; do
    d=$tmp/$shape
    python3 "$here/gen2.py" "$shape" "$d" "$people" "$seed" >/dev/null
    set -- "$d"/[abc].csv
    if "$iom" conflate --out "$d/clusters.csv" "$@" >"$d/out.txt" 2>"$d/err.txt"; then
        printf '%-14s %s\n' "$shape" "$(python3 "$here/score.py" "$d/truth.csv" "$d/clusters.csv")"
    else
        printf '%-14s failed: %s\n' "$shape" "$(tail -1 "$d/err.txt")"
    fi
done
