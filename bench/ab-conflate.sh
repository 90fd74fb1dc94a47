#!/bin/bash
# ab-conflate.sh [--phases] ROUNDS BIN_A BIN_B [DIR]: two `iom` builds' `iom conflate` taking
# turns on the same kept inputs (IOM_BENCH_KEEP=1 TMPDIR=/dev/shm build/bench_conflate 1000000
# keeps them in /dev/shm/iom-bench-conflate-1000000), the order swapped every round (the
# machine's drift then weighs on both alike); prints each run ("A|B wall user system") and the
# medians. --phases: runs with IOM_CONFLATE_DEBUG=1 and prints the median of each phase's wall
# time (read, renumber, keys and blocks, pairs made, sort, compare) and of the run's total, so
# that a change to one phase is seen where the whole run's noise hides it.
set -u
phases=0
[ "${1:-}" = --phases ] && { phases=1; shift; }
n=${1:?rounds}; a=${2:?binary A}; b=${3:?binary B}; dir=${4:-/dev/shm/iom-bench-conflate-1000000}
cd "$dir" || exit 1
out=$(mktemp)
for i in $(seq "$n"); do
  order="A B"; [ $((i % 2)) = 0 ] && order="B A"
  for tag in $order; do
    bin=$a; [ "$tag" = B ] && bin=$b
    if [ $phases = 0 ]; then
      /usr/bin/time -f "$tag %e %U %S" "$bin" conflate --out "/dev/shm/ab-$tag.csv" source_a.csv \
        source_b.csv source_c.csv 2>&1 >/dev/null | tail -1 | tee -a "$out"
      continue
    fi
    IOM_CONFLATE_DEBUG=1 "$bin" conflate --out "/dev/shm/ab-$tag.csv" source_a.csv source_b.csv \
      source_c.csv 2>&1 >/dev/null | python3 -c '
import re, sys
pats = [("read", r"read: ([\d.]+) s"), ("renumber", r"renumbered.*?: ([\d.]+) s"),
        ("keys", r"keys and blocks.*?: ([\d.]+) s"), ("made", r"pairs of .* made: ([\d.]+) s"),
        ("sort", r"sort\+unique ([\d.]+) s"), ("compare", r"compare ([\d.]+) s \(cpu"),
        ("total", r"^iom conflate: .*, ([\d.]+) s$")]
d = {}
for line in sys.stdin:
    for k, p in pats:
        m = re.search(p, line.strip())
        if m and k not in d:
            d[k] = m.group(1)
print(sys.argv[1], " ".join("%s=%s" % kv for kv in d.items()))' "$tag" >> "$out"
  done
done
python3 - "$out" "$phases" <<'PY'
import statistics as st, sys
d = {}
for line in open(sys.argv[1]):
    p = line.split()
    if sys.argv[2] == "0":
        t, w, u, s = p
        d.setdefault(t, {}).setdefault("wall", []).append(float(w))
        d[t].setdefault("CPU", []).append(float(u) + float(s))
    else:
        for kv in p[1:]:
            k, v = kv.split("=")
            d.setdefault(p[0], {}).setdefault(k, []).append(float(v))
for t in sorted(d):
    runs = len(next(iter(d[t].values())))
    print(t + ": " + ", ".join("%s %.2f" % (k, st.median(v)) for k, v in d[t].items()),
          "(medians of %d runs, s)" % runs)
PY
cmp -s /dev/shm/ab-A.csv /dev/shm/ab-B.csv && echo "clusters: identical" || echo "clusters: DIFFER"
rm -f "$out"
