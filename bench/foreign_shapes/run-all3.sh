#!/bin/sh
# bench/foreign_shapes/run-all3.sh [IOM] [PEOPLE] [SEED]: every shape of gen3.py (the third
# review's held-out shapes, README3.md), generated into a temporary directory, conflated by
# `iom conflate` at its defaults with the --id/--field mapping a user would give for those files
# (gen3.py writes it to args.txt), scored pairwise against the truth (score.py). One line per
# shape. Not a test. Needs python3 (standard library only). SHAPES chooses a subset.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
iom=${1:-$here/../../build/iom}
people=${2:-3000}
seed=${3:-1}
shapes=${SHAPES:-marriage initials forenames agecol dupheavy freeaddr sexcodes doublebarrel unbalanced3 siblings fillers hostel}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/iom-foreign3-XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
printf '%-13s %5s %7s  %s\n' shape seed records "score.py (pairwise)"
for shape in $shapes; do
    d=$tmp/$shape
    python3 "$here/gen3.py" "$shape" "$d" "$people" "$seed" >/dev/null
    set -- "$d"/[abc].csv
    recs=$(($(wc -l <"$d/truth.csv") - 1))
    # shellcheck disable=SC2046 # args.txt is a list of options, split on blanks on purpose
    if "$iom" conflate $(cat "$d/args.txt") --out "$d/clusters.csv" "$@" >"$d/out.txt" 2>"$d/err.txt"; then
        printf '%-13s %5s %7s  %s\n' "$shape" "$seed" "$recs" "$(python3 "$here/score.py" "$d/truth.csv" "$d/clusters.csv")"
    else
        printf '%-13s %5s %7s  failed: %s\n' "$shape" "$seed" "$recs" "$(tail -1 "$d/err.txt")"
    fi
done
