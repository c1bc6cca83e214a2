/*
 * scc.h - strongly connected components of a directed graph given as
 * adjacency lists: Tarjan's algorithm without recursion, linear in nodes
 * and edges.
 */
#ifndef CLEAVE_SCC_H
#define CLEAVE_SCC_H

#include <stddef.h>

/*
 * Components of n nodes; v's successors are to[off[v] .. off[v + 1]),
 * visited in that order.  Fills comp[v] (n entries, the caller's) with v's
 * component, numbered in the order components complete (sinks first);
 * returns how many there are.  Time and memory linear in n and the edges.
 * Never fails.
 */
size_t scc_lists(size_t n, const size_t *off, const size_t *to, size_t *comp);

#endif
