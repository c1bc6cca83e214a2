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

/*
 * Seconds a unit's parse may take by default before its worker is killed
 * and the unit marked failed (--unit-timeout).  Legitimate units can be
 * slow: PostgreSQL's gram.c (2.7 MB of bison output) takes 2.3 s here, a
 * 4 MB binary embedded as a C array (26 MB of source) 22 s, of which
 * clang itself needs 14.  300 s leaves ten times that for a slower CI
 * machine, and still bounds what a unit that never ends costs a scan
 * (docs/security.md).
 */
#define SCAN_UNIT_TIMEOUT 300

typedef struct scan_options {
    int quiet;               /* no progress, unit errors or summary on stderr */
    int jobs;                /* units parsed (worker processes) and cache entries read at
                                once; 0 = the number of online CPUs */
    int unit_timeout;        /* seconds a unit may take; 0: SCAN_UNIT_TIMEOUT, -1: no limit */
    const char *cache_dir;   /* per-TU facts cache, or NULL for none */
    const char *cache_key;   /* signs and checks its entries (cache.h), or NULL */
    unsigned shard_k, shard_n; /* scan only slice k of n (shard.h); n == 0: all */
} scan_options;

/* The records of one scan, in the project's job order. */
typedef struct scan_units {
    facts **tus;
    size_t n;
    size_t parsed, cached;      /* how the records were obtained */
    size_t refused;             /* cache entries refused for want of the key's tag */
    size_t ok, partial, failed; /* by enum fact_unit_status */
} scan_units;

/*
 * Extracts the facts of the units of p that opt selects: from the cache
 * when valid (read by opt->jobs threads), else with the front end in
 * opt->jobs worker processes (workers.h), each unit failed alone when its
 * parse crashes or outlasts opt->unit_timeout.  Unless quiet,
 * shows a progress line while a terminal watches, then each failed or
 * partial unit's errors in job order.  Never fails; free *out with
 * scan_units_free.
 */
void scan_run(const project *p, const scan_options *opt, scan_units *out);
void scan_units_free(scan_units *u);

/* The compile database as the graph names it: relative to the root when
 * inside it; NULL without one.  The caller frees it. */
char *scan_compile_db_name(const project *p);

/* A second build of a file read for the programs that link it (scan.c). */
typedef struct scan_read {
    char *unit;    /* its unit, "file[build]" */
    char *file;    /* the file's own unit */
    size_t entry;  /* its database entry, 1-based; 0 without a database */
    strvec with;   /* its arguments the file's own unit lacks */
} scan_read;

struct scan_reads {
    scan_read *v;
    size_t n, cap;
};

/*
 * Reads into u the second builds the programs of its records need
 * (docs/scanning.md, "Second builds"): in rounds, each build p's database
 * (or, without one, p's own arguments) has for a file a program reaches
 * is parsed as scan_run parses (opt's cache, -j, timeout, quiet), until
 * no program needs a new one; a build no program follows in the end is
 * dropped again.  Each build read is appended to *reads.  The records u
 * holds on entry keep their positions and are neither freed nor changed;
 * those added come after them.  The whole scan runs these same rounds
 * (with the cache it has open), `cleave merge` through this call on the
 * shards' records.  Never fails; free *reads with scan_reads_free.
 */
void scan_second_builds(const project *p, const scan_options *opt, scan_units *u,
                        struct scan_reads *reads);
void scan_reads_free(struct scan_reads *r);

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
    const scan_read *reads; /* second builds read, in the order read */
    size_t nreads;
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

/* How the records were obtained, for the end of a summary line: "N
 * parsed, M cached", then the cache entries refused, if any.  The caller
 * frees it. */
char *scan_units_how(const scan_units *u);

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
