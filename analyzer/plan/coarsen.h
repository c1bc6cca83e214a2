/*
 * coarsen.h - merges groups of nodes down to a wanted number, the most
 * strongly coupled pair first (`cleave plan --services N` when the
 * folders give more groups than N).
 *
 * Coupling of groups a and b: the weight of the edges between them over
 * the smaller of the two groups' volumes (sum of their nodes' edge
 * weights), so a small group joins the group it leans on rather than
 * every group drifting into the biggest.  Pairs with no edge between them
 * have coupling 0; when only those remain, the two first groups merge.
 *
 * Time O((E + k) log E) for E edges and k groups: a lazy max-heap of
 * pairs, each group's links in a hash table of pairs, and a merge moves
 * the links of the group with fewer neighbours into the other.
 */
#ifndef CLEAVE_COARSEN_H
#define CLEAVE_COARSEN_H

#include <stddef.h>

#include "plan/leiden.h"

/*
 * Merges the k groups of the first n nodes of w (group[v] in 0..k-1 for
 * each v < n; nodes n.. belong to no group: their edges count in the
 * volumes only) until `want` remain (at least 1), and renumbers them
 * 0..want-1 keeping their order: a merged group takes the place of the
 * earlier of the two.  Ties in coupling go to the pair with the lowest
 * group numbers; a merged group keeps the number of the one of its two
 * that had more links (which spares moving them).  Groups with fixed[g]
 * set (fixed may be NULL) are never merged (programs): at least those and
 * one more remain.  Fewer than 2^32 groups.  Returns the number of groups
 * left (min(k, max(want, fixed + 1))).  Never fails.
 */
size_t coarsen_groups(const wgraph *w, size_t n, size_t *group, size_t k, size_t want,
                      const unsigned char *fixed);

#endif
