/*
 * graph.h - the program-wide call / data-dependency graph that merge.c
 * builds from per-TU facts and every later stage (clustering, plans,
 * reports) reads.
 *
 * Invariants: functions are sorted by id, globals by id, calls by
 * (from, to, evidence), accesses by (function, global, mode); indexes into these
 * arrays are therefore stable for one graph, and output in array order is
 * deterministic.  All strings point into the graph's pool.
 *
 * What counts as state is derived from the access modes once, by
 * state_derive (graph/state.h), for every graph merge.c or graph_load.c
 * makes; a graph built by hand calls it before any stage reads it.
 */
#ifndef CLEAVE_GRAPH_H
#define CLEAVE_GRAPH_H

#include <stddef.h>
#include "frontend/facts.h"
#include "util/strpool.h"

typedef struct gsite {
    const char *file;
    int line, col;
} gsite;

typedef struct gfunc {
    const char *id, *name, *file;
    int line, end_line, loc;
    unsigned linkage;       /* enum fact_linkage */
    unsigned defined;       /* has a body in the project */
    unsigned address_taken;
} gfunc;

typedef struct gglobal {
    const char *id, *name, *file, *parent;
    int line;
    unsigned linkage, kind; /* enum fact_linkage, enum fact_gkind */
    unsigned defined;
    unsigned written;       /* derived: some function writes its family (state.h) */
} gglobal;

/* How a call edge is known (docs/graph-json.md, "calls"): the callee is
 * named at the site; or the site calls through a pointer stored in a named
 * struct field or global (directly, or handed there by a registration
 * function), which holds this function; or the site calls through a
 * pointer whose only clue is its type, which any address-taken function of
 * that type matches.  Weaker evidence has a higher number. */
enum call_evidence { EV_DIRECT = 0, EV_FIELD = 1, EV_TYPE = 2, EV_COUNT = 3 };

typedef struct gcall {
    size_t from, to;  /* indexes into funcs */
    unsigned evidence; /* enum call_evidence */
    unsigned indirect; /* evidence != EV_DIRECT: a may-call through a pointer */
    int sites;        /* call sites (for indirect: sites that may reach `to`) */
    int loop_depth;   /* deepest loop nesting of any site */
    struct { gsite *v; size_t n, cap; } at; /* sorted */
} gcall;

typedef struct gaccess {
    size_t function, global;
    unsigned mode;    /* enum fact_mode, as the code spells the access */
    unsigned writes;  /* derived: the access changes state (state.h) */
    int count;
    struct { gsite *v; size_t n, cap; } at; /* sorted */
} gaccess;

typedef struct gunit {
    const char *file;
    unsigned status;  /* enum fact_unit_status */
    strvec errors;
    strvec headers;   /* project headers its file #includes itself, sorted */
} gunit;

typedef struct graph_stats {
    size_t indirect_sites;      /* call sites through a pointer */
    size_t indirect_resolved;   /* ... with a non-empty target set */
    size_t indirect_targets;    /* sum of target-set sizes over resolved sites */
    size_t indirect_by_via[4];  /* sites by enum fact_via */
    /* Programs and names several of them define (scan/merge.c); known is
     * 0 for a graph written before these counts. */
    int programs_known;
    size_t programs;          /* files defining an extern main */
    size_t other_build_files; /* files a program links but whose unit was read
                                   in another program's build: calls not followed */
    size_t shared_names;      /* extern names several files define */
    size_t calls_nearest;     /* direct calls to them: to the nearest definition */
    size_t calls_in_program;  /* ... to one in the caller's program instead */
    size_t calls_unresolved;  /* ... left out: only other programs define it */
} graph_stats;

/* The program counts of graph_stats in the order the graph's summary and
 * the plan's input write them, under these keys. */
#define GRAPH_PROGRAM_COUNTS 6
extern const char *const GRAPH_PROGRAM_KEYS[GRAPH_PROGRAM_COUNTS];
void graph_program_counts(const graph_stats *st, size_t out[GRAPH_PROGRAM_COUNTS]);

/* A header made up for an unconfigured tree (see project.h). */
typedef struct gstandin {
    const char *header, *from;
    int switches;
    int units;      /* units that included it; -1: not known (an older graph) */
} gstandin;

/* Code of the tree no unit compiles (project.h, project_unseen). */
typedef struct gunseen {
    const char *file;
    unsigned kind; /* enum project_unseen_kind: UNSEEN_GRAMMAR, UNSEEN_NO_ENTRY */
} gunseen;

/* A file the database compiles in several ways, and the build used
 * (project.h, project_build). */
typedef struct gbuild {
    const char *file;
    int builds, entry;
    strvec with, without; /* owned by the graph */
    long long agree, of;
} gbuild;

/* A second build of a file, read for the programs that link it (scan.c):
 * its unit "file[build]" is a file of the graph of its own. */
typedef struct gread {
    const char *unit, *file; /* its unit; the file's own unit */
    int entry;               /* its database entry, 0 without a database */
    strvec with;             /* its arguments the file's own unit lacks (owned) */
    int programs;            /* programs that follow its calls (merge.c) */
    const char *main;        /* the first of their mains' files, or NULL */
} gread;

typedef struct graph {
    strpool *pool;
    const char *root;
    struct { gunit *v; size_t n, cap; } units;       /* sorted by file */
    struct { gfunc *v; size_t n, cap; } funcs;
    struct { gglobal *v; size_t n, cap; } globals;
    struct { gcall *v; size_t n, cap; } calls;
    struct { gaccess *v; size_t n, cap; } accesses;
    graph_stats stats;
    strvec warnings;  /* e.g. an extern function defined in several files */
    /* How the input was read (set by the scan, kept in the JSON): */
    const char *compile_db; /* relative to root when inside it; NULL without one */
    size_t flags_dropped;   /* database arguments not passed to libclang */
    struct { gstandin *v; size_t n, cap; } standins;
    struct { gunseen *v; size_t n, cap; } unseen; /* sorted by file */
    struct { gbuild *v; size_t n, cap; } builds;  /* sorted by file */
    struct { gread *v; size_t n, cap; } reads;    /* sorted by unit */
} graph;

/* The "schema" of graph JSON this cleave writes and reads.  /2: calls
 * carry their evidence as "kind" ("direct", "field", "type"). */
#define GRAPH_SCHEMA "cleave.graph/2"

/* An empty graph for root; never fails. */
graph *graph_new(const char *root);
void graph_free(graph *g); /* NULL is a no-op */
/* "direct", "field" or "type": the name of an enum call_evidence. */
const char *graph_evidence_name(unsigned evidence);
/* The share of units parsed without error (ok / units, 0 without
 * units), rounded to 4 decimals: what `cleave plan` and `cleave check
 * --min-coverage` call coverage.  A unit parsed in part counts as not
 * covered: what follows its first error may be missing. */
double graph_coverage(const graph *g);
/* What the graph saw, in one clause for the scan's and the plan's summary
 * lines: "coverage 0.56 (40 of 72 units parsed cleanly, 32 in part, 0
 * failed); 501 functions", then, when they apply, "approximate (no
 * compile database, 6 headers stood in)", "2 files unseen", "70 files
 * with several builds", "11 names defined in several files (calls: ...)"
 * and "3 files read in another program's build".  Never fails; the
 * caller frees it. */
char *graph_seen_text(const graph *g);
/* Index of the function / global with this id, or (size_t)-1. Binary search. */
size_t graph_find_func(const graph *g, const char *id);
size_t graph_find_global(const graph *g, const char *id);

#endif
