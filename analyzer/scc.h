/*
 * scc.h - strongly connected components of a directed graph given as an
 * adjacency matrix (scc_matrix: small graphs; the recursion is at most n
 * deep) or as adjacency lists (scc_lists: linear, no recursion; the same
 * numbering when each list is sorted and free of duplicates).
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

/*
 * The same over adjacency lists: v's successors are to[off[v] ..
 * off[v + 1]), visited in that order (ascending and without duplicates,
 * they give scc_matrix's numbering).  Time and memory linear in n and the
 * edges.  Never fails.
 */
size_t scc_lists(size_t n, const size_t *off, const size_t *to, size_t *comp);

#endif
