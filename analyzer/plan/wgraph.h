/*
 * wgraph.h - a weighted undirected graph in compressed sparse rows, the
 * input of community detection (leiden.h) and of merging folder groups
 * (coarsen.h).  A graph never changes once built.
 */
#ifndef CLEAVE_WGRAPH_H
#define CLEAVE_WGRAPH_H

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
void wgraph_edge_add(wedges *e, size_t a, size_t b, double w);
void wgraph_edges_free(wedges *e);

/* Builds the graph of n nodes from the edges (ignoring non-positive
 * weights); never fails.  Free with wgraph_free. */
wgraph *wgraph_build(size_t n, const wedges *e);
void wgraph_free(wgraph *g); /* NULL is a no-op */

/* The graph whose nodes are the groups of `part` (each in 0..r-1): an edge
 * between two groups weighs the sum of the edges between their members,
 * and edges inside a group become its self loop.  Never fails. */
wgraph *wgraph_quotient(const wgraph *g, const size_t *part, size_t r);

#endif
