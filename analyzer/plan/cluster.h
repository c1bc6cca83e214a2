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

/* What cluster_library says of a function. */
enum { LIB_NONE = 0, LIB_CODE = 1, LIB_INFRA = 2 };

/* Marks the library layer: lib[i] = LIB_CODE for graph function i when it
 * is library code (stateless, reached from a library root), LIB_INFRA when
 * it is infrastructure (a stateful utility nearly every file calls, and
 * the stateful code it calls), LIB_NONE otherwise.  `lib` holds
 * g->funcs.n entries.  Never fails. */
void cluster_library(const graph *g, unsigned char *lib);

#endif
