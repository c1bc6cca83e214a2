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

/* Compressed sparse rows; every undirected edge is stored in both rows
 * (a self loop once, with its full weight). */
typedef struct wgraph {
    size_t n;          /* nodes */
    size_t *off;       /* n + 1 row offsets into adj/w */
    size_t *adj;       /* neighbour of each entry */
    double *w;         /* weight of each entry */
    double total;      /* sum of all weights over all rows (= 2m) */
} wgraph;

/* Edge list accumulated before building a wgraph. */
typedef struct wedges {
    struct wedge { size_t a, b; double w; } *v;
    size_t n, cap;
} wedges;

/* Adds an undirected edge; duplicates are summed when the graph is built. */
void wedges_add(wedges *e, size_t a, size_t b, double w);
void wedges_free(wedges *e);

/* Builds the graph of n nodes from the edges (ignoring non-positive
 * weights); never fails.  Free with wgraph_free. */
wgraph *wgraph_build(size_t n, const wedges *e);
void wgraph_free(wgraph *g); /* NULL is a no-op */

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
