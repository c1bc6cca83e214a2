/*
 * scc.h - strongly connected components of a small directed graph given
 * as an adjacency matrix (services, not functions: n stays small, and the
 * recursion is at most n deep).
 */
#ifndef CLEAVE_SCC_H
#define CLEAVE_SCC_H

#include <stddef.h>

/*
 * Tarjan's algorithm on n nodes; adj[a * n + b] != 0 is an edge a -> b.
 * Fills comp[v] (n entries, the caller's) with v's component, numbered in
 * the order components complete (sinks first); returns how many there
 * are.  Never fails.
 */
size_t scc_matrix(size_t n, const unsigned char *adj, size_t *comp);

#endif
