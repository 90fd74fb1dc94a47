#!/usr/bin/env python3
"""score.py TRUTH.csv CLUSTERS.csv [BASEKEY.csv]: pairwise P R F1 of the clusters (and of the
exact first name + surname + date of birth rule). Inputs matched by basename."""
import csv, os, sys
from collections import defaultdict

def load(path, col):
    d = {}
    for r in csv.DictReader(open(path, encoding="utf-8")):
        d[(os.path.basename(r["input"]), r["record_id"])] = r[col]
    return d

def pairs_of(groups):
    return sum(len(v) * (len(v) - 1) // 2 for v in groups.values())

def score(truth, clus):
    tg, cg, both = defaultdict(list), defaultdict(list), defaultdict(int)
    for k, p in truth.items():
        c = clus.get(k)
        if c is None:
            c = ("missing",) + k
        tg[p].append(k); cg[c].append(k); both[(p, c)] += 1
    tp = sum(v * (v - 1) // 2 for v in both.values())
    tt, pp = pairs_of(tg), pairs_of(cg)
    P = tp / pp if pp else 1.0
    R = tp / tt if tt else 1.0
    F = 2 * P * R / (P + R) if P + R else 0.0
    return P, R, F, tt, pp, tp

if __name__ != "__main__": raise SystemExit
truth = load(sys.argv[1], "person_id")
if len(sys.argv) > 2 and sys.argv[2] != "-":
    clus = load(sys.argv[2], "cluster_id")
    miss = [k for k in truth if k not in clus]
    P, R, F, tt, pp, tp = score(truth, clus)
    print(f"iom  P {P:.4f} R {R:.4f} F1 {F:.4f}  true {tt} linked {pp} tp {tp} missing {len(miss)}")
if len(sys.argv) > 3:
    keys = load(sys.argv[3], "key")
    clus = {k: (v if v else "solo:" + "/".join(k)) for k, v in keys.items()}
    P, R, F, tt, pp, tp = score(truth, clus)
    print(f"base P {P:.4f} R {R:.4f} F1 {F:.4f}")
