#!/bin/bash
# ab-conflate.sh ROUNDS BIN_A BIN_B [DIR]: two `iom` builds' `iom conflate` taking turns on the
# same kept inputs (IOM_BENCH_KEEP=1 TMPDIR=/dev/shm build/bench_conflate 1000000 keeps them in
# /dev/shm/iom-bench-conflate-1000000), the order swapped every round (the machine's drift then
# weighs on both alike); prints each run ("A|B wall user system") and the medians.
set -u
n=${1:?rounds}; a=${2:?binary A}; b=${3:?binary B}; dir=${4:-/dev/shm/iom-bench-conflate-1000000}
cd "$dir" || exit 1
out=$(mktemp)
for i in $(seq "$n"); do
  order="A B"; [ $((i % 2)) = 0 ] && order="B A"
  for tag in $order; do
    bin=$a; [ "$tag" = B ] && bin=$b
    /usr/bin/time -f "$tag %e %U %S" "$bin" conflate --out "/dev/shm/ab-$tag.csv" source_a.csv source_b.csv source_c.csv 2>&1 >/dev/null | tail -1 | tee -a "$out"
  done
done
python3 - "$out" <<'PY'
import statistics as st, sys
d = {}
for l in open(sys.argv[1]):
    t, w, u, s = l.split()
    d.setdefault(t, []).append((float(w), float(u) + float(s)))
for k in sorted(d):
    print("%s: wall median %.2f s, CPU median %.2f s (%d runs)" % (k, st.median(x[0] for x in d[k]), st.median(x[1] for x in d[k]), len(d[k])))
PY
cmp -s /dev/shm/ab-A.csv /dev/shm/ab-B.csv && echo "clusters: identical" || echo "clusters: DIFFER"
rm -f "$out"
