/*
 * cluster.h - proposes a split plan from the program graph: the library
 * layer, then coarse services by community detection (Leiden) on the
 * weighted call + data + folder graph, or one deployable function per
 * entry point (serverless granularity).  docs/clustering.md explains the
 * weights and why.
 */
#ifndef CLEAVE_CLUSTER_H
#define CLEAVE_CLUSTER_H

#include "graph/graph.h"
#include "plan/plan.h"

/*
 * Returns a finished plan (plan_finish done) for g; never fails.  The
 * caller frees it with plan_free; g must outlive it.
 */
plan *cluster_plan(const graph *g, const plan_options *opt);

/* Marks library-layer functions: lib[i] = 1 for graph function i.  `lib`
 * holds g->funcs.n entries.  Exposed for tests. */
void cluster_library(const graph *g, unsigned char *lib);

#endif
