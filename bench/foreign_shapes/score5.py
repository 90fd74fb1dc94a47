#!/usr/bin/env python3
"""score5.py DIR CLUSTERS.csv [-v] -> pairwise P R F1 of the clusters and of the exact-key baseline; with -v, recall and false links per pair of inputs
(exact first name + surname + date of birth as written, case and accents folded)"""
import csv, sys, os, unicodedata, re
from collections import Counter
d, cl_path = sys.argv[1], sys.argv[2]
truth = {(r["input"], r["record_id"]): r["person_id"] for r in csv.DictReader(open(os.path.join(d, "truth.csv"), newline=""))}
c2 = lambda n: n * (n - 1) // 2
def prf(assign):
    ids = [k for k in truth if k in assign]
    tp = sum(c2(v) for v in Counter((truth[i], assign[i]) for i in ids).values())
    pred = sum(c2(v) for v in Counter(assign[i] for i in ids).values())
    true = sum(c2(v) for v in Counter(truth[i] for i in ids).values())
    P = tp / pred if pred else 1.0; R = tp / true if true else 1.0
    return P, R, (2 * P * R / (P + R) if P + R else 0.0), len(ids), true, pred, tp
cl = {}
for r in csv.DictReader(open(cl_path, newline="", encoding="utf-8-sig")):
    inp = r["input"]; inp = inp[:-4] if inp.endswith(".csv") else inp
    cl[(os.path.basename(inp), r["record_id"].strip())] = r["cluster_id"]
miss = [k for k in truth if k not in cl]
if miss: print("WARNING %d truth records not in clusters, e.g. %s" % (len(miss), miss[:3]))
P, R, F, n, t, p, tp = prf(cl)
print("iom      P %.4f R %.4f F1 %.4f  (records %d true_pairs %d pred_pairs %d tp %d)" % (P, R, F, n, t, p, tp))
def norm(s):
    s = "".join(c for c in unicodedata.normalize("NFD", s.casefold()) if unicodedata.category(c) != "Mn")
    return re.sub(r"[^a-z\u0370-\u03ff]", "", s)
par = {}
def find(x):
    while par.setdefault(x, x) != x: par[x] = par[par[x]]; x = par[x]
    return x
key = {}
for r in csv.DictReader(open(os.path.join(d, "baseline.csv"), newline="")):
    k = (r["input"], r["record_id"]); find(k)
    f, s, b = norm(r["first"]), norm(r["surname"]), r["dob"]
    if f and s and b:
        kk = (f, s, b)
        if kk in key: par[find(k)] = find(key[kk])
        else: key[kk] = k
base = {k: find(k) for k in truth}
P, R, F, n, t, p, tp = prf(base)
print("baseline P %.4f R %.4f F1 %.4f" % (P, R, F))
# per pair of inputs: true pairs, found, false links (pairs linked that are two people)
if len(sys.argv) > 3 and sys.argv[3] == "-v":
    from collections import defaultdict
    ids = [k for k in truth if k in cl]
    byp = defaultdict(list); byc = defaultdict(list)
    for k in ids: byp[truth[k]].append(k); byc[cl[k]].append(k)
    tot = Counter(); hit = Counter(); fal = Counter()
    for v in byp.values():
        for i in range(len(v)):
            for j in range(i + 1, len(v)):
                key = tuple(sorted((v[i][0], v[j][0]))); tot[key] += 1
                if cl[v[i]] == cl[v[j]]: hit[key] += 1
    for v in byc.values():
        for i in range(len(v)):
            for j in range(i + 1, len(v)):
                if truth[v[i]] != truth[v[j]]: fal[tuple(sorted((v[i][0], v[j][0])))] += 1
    for key in sorted(set(tot) | set(fal)):
        t = tot[key]; print("  %-24s true %6d found %6d (R %.3f) false %5d" % ("-".join(key), t, hit[key], hit[key] / t if t else 1, fal[key]))
