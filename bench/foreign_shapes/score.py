#!/usr/bin/env python3
"""score.py TRUTH.csv CLUSTERS.csv -> pairwise P R F1 (records matched by record_id)"""
import csv, sys
from collections import Counter
truth = {r["record_id"]: r["person_id"] for r in csv.DictReader(open(sys.argv[1], newline=""))}
cl = {}
for r in csv.DictReader(open(sys.argv[2], newline="")):
    cl[r["record_id"]] = r["cluster_id"]
missing = set(truth) - set(cl)
if missing: print("WARNING: %d truth records absent from clusters, e.g. %s" % (len(missing), sorted(missing)[:3]))
c2 = lambda n: n * (n - 1) // 2
ids = [i for i in truth if i in cl]
tp = sum(c2(v) for v in Counter((truth[i], cl[i]) for i in ids).values())
pred = sum(c2(v) for v in Counter(cl[i] for i in ids).values())
true = sum(c2(v) for v in Counter(truth[i] for i in ids).values())
P = tp / pred if pred else 1.0; R = tp / true if true else 1.0
F = 2 * P * R / (P + R) if P + R else 0.0
print("records %d true_pairs %d pred_pairs %d tp %d  P %.4f R %.4f F1 %.4f" % (len(ids), true, pred, tp, P, R, F))
