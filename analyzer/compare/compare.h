/*
 * compare.h - how alike two decompositions are (docs/compare.md): MoJoFM
 * (Wen & Tzerpos 2004) and a2a (Behnamghader et al. 2017), computed on
 * the entities both partitions contain.
 */
#ifndef CLEAVE_COMPARE_H
#define CLEAVE_COMPARE_H

#include <stddef.h>

#include "compare/partition.h"

typedef struct compare_result {
    size_t entities_a, entities_b; /* entities in each partition */
    size_t common;                 /* ... in both: everything below is on these */
    size_t clusters_a, clusters_b; /* clusters holding at least one entity */
    size_t common_clusters_a, common_clusters_b; /* ... holding a common entity */
    double mojofm_ab; /* MoJoFM(A, B): A scored against B as the reference, in [0, 1] */
    double mojofm_ba; /* MoJoFM(B, A) */
    double a2a;       /* a2a(A, B) = a2a(B, A), in percent */
} compare_result;

/* All figures at once; the metrics are NaN when there is no common
 * entity.  Never fails. */
void compare_partitions(const partition *a, const partition *b, compare_result *out);

/*
 * MoJoFM(A, B) = 1 - mno(A, B) / max over all A' of mno(A', B), exactly as
 * ../shared/tools/mojofm.py defines it (ties in the tagging broken by a
 * maximum bipartite matching).  1 when B has nothing to move (the maximum
 * is 0), NaN without common entities.  Never fails.
 */
double compare_mojofm(const partition *a, const partition *b);

/*
 * a2a(A, B) = (1 - mto(A, B) / (aco(A) + aco(B))) * 100, with aco(X) =
 * clusters + 2 * entities and mto = cluster additions/removals plus the
 * entity moves left by a maximum-weight matching of clusters (ARCADE's
 * SystemEvo).  NaN without common entities.  Never fails.
 */
double compare_a2a(const partition *a, const partition *b);

#endif
