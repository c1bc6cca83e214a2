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

/*
 * The builds of files that programs need and the records do not hold:
 * a program (an extern main and the files it reaches, merge.c) reaches
 * a file whose unit tests a build macro that the main's unit defines
 * otherwise.  Appends "unit\x1f" "build" to out, sorted and unique: the
 * unit's file and the differing macros as project_job.build names them
 * ("FRONTEND", "!FRONTEND", comma-separated).  Appends to `unused` the
 * units of second builds (project_job_unit) whose calls no program
 * follows, sorted.  Never fails; the records are only read.
 */
void merge_wanted_builds(facts *const *tus, size_t n, strvec *out, strvec *unused);

#endif
