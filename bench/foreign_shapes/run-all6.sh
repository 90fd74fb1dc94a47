#!/bin/bash
# bench/foreign_shapes/run-all6.sh [IOM] [SEED]: every shape of gen6.py (review 136's held-out shapes),
# generated into a temporary directory (or into $KEEP/SHAPE-SEED when KEEP is set, kept with
# clusters.csv, out.txt and err.txt), conflated by `iom conflate --threads 2` at its defaults with
# only the per-input --id a user gives, scored pairwise against the truth (score5.py). One line
# per shape. Not a test. Needs python3 (standard library only). SHAPES chooses a subset.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
iom=$(realpath "${1:-$here/../../build/iom}")
seed=${2:-1}
shapes=${SHAPES:-sikh hokkien bulgaria dutch congo tenancy subscriber vietnrm}
declare -A given=(
  [sikh]="--id|custody.csv=Custody Ref|--id|ukvi.csv=CID Person ID|--id|council.csv=Account No"
  [hokkien]="--id|uni.csv=Student ID|--id|brp.csv=BRP Number|--id|police.csv=URN"
  [bulgaria]="--id|mvr.csv=Рег. №|--id|agency.csv=Worker ID|--id|custody.csv=Custody No"
  [dutch]="--id|politie.csv=Registratienummer|--id|custody.csv=Custody Ref|--id|ferry.csv=Booking Ref"
  [congo]="--id|homeoffice.csv=Person ID|--id|police.csv=Custody No|--id|belgique.csv=N° dossier"
  [tenancy]="--id|housing.csv=Tenancy Ref|--id|ctax.csv=Account Ref|--id|nominals.csv=Nominal Ref"
  [subscriber]="--id|custody.csv=Custody Ref|--id|intel.csv=Log Ref"
  [vietnrm]="--id|nrm.csv=NRM Ref|--id|homeoffice.csv=CID Ref|--id|custody.csv=Custody No|--id|embassy.csv=Số hồ sơ")
if [ -n "${KEEP:-}" ]; then tmp=$KEEP; else
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/iom-foreign6-XXXXXX"); trap 'rm -rf "$tmp"' EXIT INT TERM; fi
for shape in $shapes; do
    d=$tmp/$shape-$seed
    [ -f "$d/meta.txt" ] || python3 "$here/gen6.py" "$shape" "$seed" "$d" >/dev/null
    IFS='|' read -r -a args <<<"${given[$shape]}"
    inputs=($(grep -o '^[a-z_]*\.csv' "$d/meta.txt"))
    t0=$(date +%s.%N)
    if (cd "$d" && "$iom" conflate --threads 2 "${args[@]}" --out clusters.csv "${inputs[@]}" >out.txt 2>err.txt); then
        t1=$(date +%s.%N)
        printf '%-10s %4s  %s  %.1fs\n' "$shape" "$seed" "$(python3 "$here/score5.py" "$d" "$d/clusters.csv" | grep '^iom')" "$(echo "$t1 - $t0" | bc)"
    else
        printf '%-10s %4s  failed: %s\n' "$shape" "$seed" "$(tail -1 "$d/err.txt")"
    fi
done
