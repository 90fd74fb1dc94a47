#!/bin/bash
# ab-phases.sh ROUNDS BIN_A BIN_B [DIR]: as ab-conflate.sh (two `iom` builds taking turns on the
# kept 1M files, the order swapped every round), with IOM_CONFLATE_DEBUG=1, printing the median
# of each phase's wall time (read, renumber, keys and blocks, pairs made, sort, compare) and of
# the run's total, so that a change to one phase is seen where the whole run's noise hides it.
set -u
n=${1:?rounds}; a=${2:?binary A}; b=${3:?binary B}; dir=${4:-/dev/shm/iom-bench-conflate-1000000}
cd "$dir" || exit 1
out=$(mktemp)
for i in $(seq "$n"); do
  order="A B"; [ $((i % 2)) = 0 ] && order="B A"
  for t in $order; do
    bin=$a; [ "$t" = B ] && bin=$b
    IOM_CONFLATE_DEBUG=1 "$bin" conflate --out "/dev/shm/ab-$t.csv" source_a.csv source_b.csv \
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
print(sys.argv[1], " ".join("%s=%s" % kv for kv in d.items()))' "$t" >> "$out"
  done
done
python3 - "$out" <<'PY'
import statistics as st, sys
d = {}
for line in open(sys.argv[1]):
    p = line.split()
    for kv in p[1:]:
        k, v = kv.split("=")
        d.setdefault(p[0], {}).setdefault(k, []).append(float(v))
for t in sorted(d):
    print(t + ": " + ", ".join("%s %.2f" % (k, st.median(v)) for k, v in d[t].items()),
          "(medians of %d runs, s)" % len(d[t]["total"]))
PY
cmp -s /dev/shm/ab-A.csv /dev/shm/ab-B.csv && echo "clusters: identical" || echo "clusters: DIFFER"
rm -f "$out"
