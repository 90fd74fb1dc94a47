#!/bin/bash
# bench/foreign_shapes/run-all5.sh [IOM] [SEED]: every shape of gen5.py (review 134's held-out
# shapes, README4.md), generated into a temporary directory, conflated by `iom conflate` at its
# defaults with only the per-input --id (and, for sheetmess, --encoding) a user gives, scored
# pairwise against the truth (score5.py). One line per shape. Not a test. Needs python3
# (standard library only). SHAPES chooses a subset.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
iom=$(realpath "${1:-$here/../../build/iom}")
seed=${2:-1}
shapes=${SHAPES:-greek georgian uzbek maghreb eurolia sheetmess carers remit}
declare -A given=([remit]="--id|msb.csv=Transaction Ref" [eurolia]="--id|de.csv=Lfd. Nr.|--id|fr.csv=N° d'ordre"
                  [sheetmess]="--id|safeguarding.csv=Ref|--encoding|partner.csv=cp1252")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/iom-foreign5-XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
for shape in $shapes; do
    d=$tmp/$shape
    python3 "$here/gen5.py" "$shape" "$seed" "$d" >/dev/null
    IFS='|' read -r -a args <<<"${given[$shape]:-}"
    inputs=($(grep -o '^[a-z_]*\.csv' "$d/meta.txt"))
    if (cd "$d" && "$iom" conflate "${args[@]}" --out clusters.csv "${inputs[@]}" >out.txt 2>err.txt); then
        printf '%-10s %4s  %s\n' "$shape" "$seed" "$(python3 "$here/score5.py" "$d" "$d/clusters.csv" | grep '^iom')"
    else
        printf '%-10s %4s  failed: %s\n' "$shape" "$seed" "$(tail -1 "$d/err.txt")"
    fi
done
