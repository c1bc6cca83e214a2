/*
 * plan.h - a split plan: the program graph's functions assigned to proposed
 * services (coarse), functions (serverless) and library components, with
 * the interfaces, shared state and metrics that follow from the cut.
 *
 * A plan refers to one graph: function and global indexes are indexes into
 * that graph's sorted arrays, and the graph must outlive the plan.  The
 * plan owns everything else (names, arrays).  Services are sorted by name;
 * every index list is sorted ascending, so output in array order is
 * deterministic.
 */
#ifndef CLEAVE_PLAN_H
#define CLEAVE_PLAN_H

#include <stddef.h>
#include "common.h"
#include "graph.h"

enum plan_kind { PLAN_SERVICE = 0, PLAN_FUNCTION = 1, PLAN_LIBRARY = 2 };
enum plan_granularity { GRAN_SERVICE = 0, GRAN_FUNCTION = 1 };

#define PLAN_NONE ((size_t)-1) /* "no service": external functions */

typedef struct idxvec {
    size_t *v;
    size_t n, cap;
} idxvec;

typedef struct plan_service {
    char *name;          /* unique, from the dominant folder/file/prefix */
    unsigned kind;       /* enum plan_kind */
    unsigned fixed_name; /* named by the user (a pin): plan_finish keeps it */
    idxvec funcs;        /* graph function indexes */
    strvec files;        /* files whose code (by lines) mostly lives here */
    idxvec entry_points; /* functions through which others reach it */
    idxvec owned_state;  /* globals written only from here */
    idxvec shared_state; /* globals it touches that others touch too */
    int loc;             /* lines of code of its functions */
    /* Per-service figures (see docs/plan-json.md). */
    int calls_internal;  /* call sites between its own functions */
    int calls_out;       /* call sites from it into other services */
    int calls_in;        /* call sites from other services into it */
} plan_service;

/* Cross-service calls from one service to another: a future remote API. */
typedef struct plan_interface {
    size_t from, to;     /* service indexes */
    int calls;           /* distinct caller->callee edges */
    int sites;           /* call sites */
    int max_loop_depth;  /* deepest loop around any site */
    idxvec functions;    /* callee function indexes (the API surface) */
} plan_interface;

/* State touched by more than one service. */
typedef struct plan_shared {
    size_t global;       /* graph global index */
    idxvec services;     /* services that read, write or take its address */
    idxvec writers;      /* services that write it */
} plan_shared;

typedef struct plan_metrics {
    double modularity;   /* Newman modularity of the weighted graph, resolution 1 */
    double mq;           /* Bunch MQ */
    double sm;           /* structural modularity */
    double icp;          /* inter-call percentage */
    double ifn;          /* interface number: mean entry points per service */
    double ned;          /* non-extreme distribution */
    int cross_sites;     /* call sites between services */
    int shared_state;    /* globals shared by two or more services */
} plan_metrics;

typedef struct plan_options {
    unsigned granularity;  /* enum plan_granularity */
    int services;          /* --services N, 0 when not given */
    double resolution;     /* --resolution R, <= 0 when not given */
    unsigned seed;         /* fixed; only for reproducibility experiments */
} plan_options;

typedef struct plan {
    const graph *g;        /* not owned */
    plan_options opts;
    double resolution;     /* the resolution actually used */
    size_t *assign;        /* per graph function: service index or PLAN_NONE */
    struct { plan_service *v; size_t n, cap; } services;
    struct { plan_interface *v; size_t n, cap; } interfaces; /* by (from, to) */
    struct { plan_shared *v; size_t n, cap; } shared;        /* by global */
    plan_metrics metrics;
    strvec notes;          /* constraints applied, decisions worth saying */
} plan;

/* An empty plan over g (every function unassigned); never fails. */
plan *plan_new(const graph *g, const plan_options *opt);
void plan_free(plan *p); /* NULL is a no-op */
/* Appends an empty service of the given kind; returns its index. */
size_t plan_add_service(plan *p, unsigned kind);
/*
 * Derives everything from p->assign: drops empty services, names and sorts
 * the services (renumbering assign), and computes files, entry points,
 * interfaces, shared state and metrics.  Call again after changing assign.
 */
void plan_finish(plan *p);
/* Index of the service with this name, or PLAN_NONE. */
size_t plan_find_service(const plan *p, const char *name);

#endif
