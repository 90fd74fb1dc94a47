/*
 * baseline.h: the project's plain Fellegi-Sunter baseline for `iom conflate` (issue 15), the
 * textbook model the engine must beat on every test shape. Not part of the product (library
 * iomsynth, as synth.h).
 *
 * Over the engine's own candidate pairs and comparison levels (so both see the same
 * evidence), after conflate_run:
 *   - u of every level from random pairs of records (the engine's u_random), held fixed;
 *   - m and lambda by two-class EM over the comparison vectors, from fixed starting values
 *     (m of the exact level 0.9, the rest shared out in proportion to the level), 500
 *     iterations at most, a missing value adding nothing. As u describes random pairs,
 *     lambda is the match rate among all possible pairs: the pairs blocking left out are
 *     non-matches (the textbook treatment of blocking; with lambda taken among the
 *     candidates instead, EM sends it to 1 whenever blocking pairs up look-alikes);
 *   - no term frequencies, no third class, no guard, no bounds on m;
 *   - a link when the match probability is at least 0.5; clusters are the connected
 *     components of the links.
 * About 150 lines, as the reference baseline was.
 */
#ifndef IOM_TESTS_SYNTH_BASELINE_H
#define IOM_TESTS_SYNTH_BASELINE_H

#include <stdint.h>

#include "conflate/conflate.h"
#include "util/err.h"

/* cluster[i] (room for conflate_record_count(eng)) receives the baseline's cluster of record
 * i (any ids). IOM_EINVAL when eng has not run; IOM_ENOMEM. */
iom_err conflate_baseline_cluster(const conflate_engine *eng, uint64_t *cluster, iom_error *err);

#endif
