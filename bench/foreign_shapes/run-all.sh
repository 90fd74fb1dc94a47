#!/bin/sh
# bench/foreign_shapes/run-all.sh [IOM] [PEOPLE] [SEED]: every shape of gen.py, generated into a
# temporary directory, conflated by `iom conflate` at its defaults, scored pairwise against the
# truth (score.py). Prints one line per shape. Not a test: the figures are the engine's on data
# it was not tuned on (README.md). Needs python3 (standard library only).
# GEN and SHAPES choose another generator of this folder and its shapes (run-all2.sh).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
iom=${1:-$here/../../build/iom}
people=${2:-3000}
seed=${3:-1}
gen=${GEN:-gen.py}
shapes=${SHAPES:-headers fullname dates_iso_2y dates_us dates_excel dates_misc origins contacts bigsmall nodob70 dedupe5 link2 frequent}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/iom-foreign-XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
for shape in $shapes; do
    d=$tmp/$shape
    python3 "$here/$gen" "$shape" "$d" "$people" "$seed" >/dev/null
    set -- "$d"/[abc].csv
    if "$iom" conflate --out "$d/clusters.csv" "$@" >"$d/out.txt" 2>"$d/err.txt"; then
        printf '%-14s %s\n' "$shape" "$(python3 "$here/score.py" "$d/truth.csv" "$d/clusters.csv")"
    else
        printf '%-14s failed: %s\n' "$shape" "$(tail -1 "$d/err.txt")"
    fi
done
