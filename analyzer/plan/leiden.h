/*
 * leiden.h - community detection on a weighted undirected graph with the
 * Leiden algorithm (Traag, Waltman & van Eck, 2019), optimising modularity
 * with a resolution parameter.  Unlike Louvain, every community it returns
 * is connected (refinement merges only along edges, and a final pass splits
 * any community that is not).
 *
 * Deterministic: nodes are visited in index order and ties go to the lowest
 * community id; there is no randomness, so the same graph gives the same
 * partition.  Time per pass is linear in edges.
 */
#ifndef CLEAVE_LEIDEN_H
#define CLEAVE_LEIDEN_H

#include <stddef.h>

#include "plan/wgraph.h"

/*
 * Partitions g with resolution gamma (> 0; 1 is classic modularity; larger
 * gives more, smaller communities).  membership[i] receives node i's
 * community, numbered 0..k-1 in order of each community's lowest node.
 * Returns k.  `membership` must hold g->n entries.
 */
size_t leiden(const wgraph *g, double gamma, size_t *membership);

/* Modularity of a partition at resolution gamma. */
double leiden_quality(const wgraph *g, const size_t *membership, double gamma);

#endif
