/*
 * scan.h - the scan pipeline: project -> per-TU facts -> merged graph.
 * Each arrow is one call with plain data between, so workers, a cache or
 * shards can slot in without changing what comes out.
 */
#ifndef CLEAVE_SCAN_H
#define CLEAVE_SCAN_H

#include "graph.h"
#include "project.h"

typedef struct scan_options {
    int quiet; /* no per-unit error lines on stderr */
} scan_options;

/*
 * Parses every unit of p and merges the facts into a graph whose root is
 * shown as `display_root` (the path as the user gave it).  Reports unit
 * errors and a one-line summary on stderr unless quiet.  Always returns a
 * graph (the caller frees it); *parsed receives the number of units that
 * were parsed at least in part.
 */
graph *scan_project(const project *p, const char *display_root, const scan_options *opt,
                    size_t *parsed);

#endif
