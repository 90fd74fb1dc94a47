#!/bin/bash
# bench/foreign_shapes/run-all4.sh [IOM] [SEED]: every shape of gen4.py (review 132's held-out
# shapes, README4.md), generated into a temporary directory, conflated by `iom conflate` at its
# defaults with only the per-input --id a user gives where an input's id column cannot be told,
# scored pairwise against the truth (score4.py). One line per shape. Not a test. Needs python3
# (standard library only). SHAPES chooses a subset.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
iom=$(realpath "${1:-$here/../../build/iom}")
seed=${2:-1}
shapes=${SHAPES:-bankcp fintech arabic eircode headings visits carevisa romania}
declare -A ids=([bankcp]="txn.csv=Transaction Ref" [arabic]="liaison.csv=Reference"
                [eircode]="garda.csv=PULSE ID" [romania]="ro_police.csv=Nr. dosar"
                [visits]="visits.csv=Visit ID|pinphone.csv=PIN Contact ID")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/iom-foreign4-XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
for shape in $shapes; do
    d=$tmp/$shape
    python3 "$here/gen4.py" "$shape" "$seed" "$d" >/dev/null
    args=()
    IFS='|' read -r -a given <<<"${ids[$shape]:-}"
    for g in "${given[@]}"; do [ -n "$g" ] && args+=(--id "$g"); done
    inputs=()
    for f in "$d"/*.csv; do
        case $(basename "$f") in truth.csv|basekey.csv) ;; *) inputs+=("$(basename "$f")") ;; esac
    done
    if (cd "$d" && "$iom" conflate "${args[@]}" --out clusters.csv "${inputs[@]}" >out.txt 2>err.txt); then
        printf '%-10s %4s  %s\n' "$shape" "$seed" "$(python3 "$here/score4.py" "$d/truth.csv" "$d/clusters.csv" | head -1)"
    else
        printf '%-10s %4s  failed: %s\n' "$shape" "$seed" "$(tail -1 "$d/err.txt")"
    fi
done
