/*
 * eval.h: pairwise accuracy of a clustering against the truth (used by the FEBRL tests and
 * the benchmark). A predicted pair is two records in one cluster; a true pair two records of
 * one entity. O(n log n); malloc'ed scratch freed before return.
 */
#ifndef IOM_CONFLATE_EVAL_H
#define IOM_CONFLATE_EVAL_H

#include <stddef.h>
#include <stdint.h>

typedef struct conflate_eval {
    uint64_t true_pairs, predicted_pairs, correct_pairs;
    double precision, recall, f1; /* precision/recall 1.0 when their denominator is 0 */
} conflate_eval;

/* truth[i] and cluster[i]: entity and cluster of record i (any ids). */
conflate_eval conflate_eval_pairwise(const uint64_t *truth, const uint64_t *cluster, size_t n);

#endif
