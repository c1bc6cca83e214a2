/*
 * scan.h - the scan pipeline: project -> per-TU facts -> merged graph.
 * Each arrow is one call with plain data between, so worker threads, the
 * cache (cache.h) and shard files (shard.h) all hand merge the same
 * records, and the graph does not depend on which of them ran or in what
 * order: output is byte-identical for any -j, warm or cold, sharded or not.
 */
#ifndef CLEAVE_SCAN_H
#define CLEAVE_SCAN_H

#include "graph/graph.h"
#include "frontend/project.h"

typedef struct scan_options {
    int quiet;               /* no progress, unit errors or summary on stderr */
    int jobs;                /* worker threads; 0 = the number of online CPUs */
    const char *cache_dir;   /* per-TU facts cache, or NULL for none */
    unsigned shard_k, shard_n; /* scan only slice k of n (shard.h); n == 0: all */
} scan_options;

/* The records of one scan, in the project's job order. */
typedef struct scan_units {
    facts **tus;
    size_t n;
    size_t parsed, cached;      /* how the records were obtained */
    size_t ok, partial, failed; /* by enum fact_unit_status */
} scan_units;

/*
 * Extracts the facts of the units of p that opt selects: from the cache
 * when valid, else with the front end, in opt->jobs threads (one frontend
 * each: libclang indexes are not shared across threads).  Unless quiet,
 * shows a progress line while a terminal watches, then each failed or
 * partial unit's errors in job order.  Never fails; free *out with
 * scan_units_free.
 */
void scan_run(const project *p, const scan_options *opt, scan_units *out);
void scan_units_free(scan_units *u);

/* The compile database as the graph names it: relative to the root when
 * inside it; NULL without one.  The caller frees it. */
char *scan_compile_db_name(const project *p);

/* How the input was read, as the graph records it (graph.h): from the
 * project, or from shard files. */
typedef struct scan_source {
    const char *compile_db;  /* as scan_compile_db_name gives it, or NULL */
    size_t flags_dropped;    /* the database's arguments not passed to libclang */
    const project_standin *standins;
    size_t nstandins;
    const size_t *standin_units; /* per stand-in: units that included it */
    const project_unseen *unseen; /* candidates: scan_graph drops the .c files a unit includes */
    size_t nunseen;
    const project_build *builds;
    size_t nbuilds;
} scan_source;

/*
 * Merges records into a graph rooted at `root` (as the user gave it) and
 * records how the input was read (src).  Never fails; the records are
 * only read; the caller frees the graph.
 */
graph *scan_graph(facts *const *tus, size_t n, const char *root, const scan_source *src);

/* Per stand-in of p, how many of the records included it (an array of
 * p->standins.n counts, NULL when there are none; the caller frees it). */
size_t *scan_standin_units(const project *p, facts *const *tus, size_t n);

/* The graph's warnings (one line each) and its one-line summary, without
 * a final newline; the caller frees it. */
char *scan_summary_text(const graph *g);

/* Prints the graph's warnings and the one-line summary on stderr; with
 * `u`, the line ends with how many units were parsed and how many came
 * from the cache. */
void scan_summary(const graph *g, const scan_units *u);

/*
 * The whole scan of the project: scan_run (without shard), scan_graph,
 * then scan_summary unless quiet.  Always returns a graph (the caller
 * frees it); *parsed receives the number of units that were parsed at
 * least in part.
 */
graph *scan_project(const project *p, const char *display_root, const scan_options *opt,
                    size_t *parsed);

/*
 * What `cleave scan` writes: the whole project's graph JSON, as
 * scan_project prints and counts.  With a cache, when every unit's entry
 * is still valid and the graph merged from exactly those entries was kept,
 * that JSON is returned without reading a facts record, merging or
 * rendering; otherwise the scan runs and keeps its graph for next time.
 * Never fails; the caller frees the result.
 */
char *scan_project_json(const project *p, const char *display_root, const scan_options *opt,
                        size_t *parsed);

#endif
