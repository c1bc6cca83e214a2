/*
 * merge.h - joins per-TU facts into one graph: unifies ids across TUs,
 * keeps one node per function / global, resolves indirect calls against
 * the whole program's address-taken functions, and sorts everything.
 *
 * The result depends only on the set of records, not their order, so a
 * parallel scan, a cached scan and a sharded scan produce the same graph.
 */
#ifndef CLEAVE_MERGE_H
#define CLEAVE_MERGE_H

#include "frontend/facts.h"
#include "graph/graph.h"

/* Never fails; the caller frees the graph.  The facts are only read. */
graph *merge_facts(facts *const *tus, size_t n, const char *root);

#endif
