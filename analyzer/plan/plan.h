/*
 * plan.h - a split plan: the program graph's functions assigned to proposed
 * services (coarse), functions (serverless) and library components, with
 * the interfaces, shared state and metrics that follow from the cut.
 *
 * A plan refers to one graph: function and global indexes are indexes into
 * that graph's sorted arrays, and the graph must outlive the plan.  The
 * plan owns everything else (names, arrays, the "why here" sentences).
 * Services are sorted by name; every index list is sorted ascending, so
 * output in array order is deterministic.
 */
#ifndef CLEAVE_PLAN_H
#define CLEAVE_PLAN_H

#include <stddef.h>
#include "util/common.h"
#include "graph/graph.h"

/* What a component becomes: a service (always on), a serverless function,
 * a library linked into its callers, or a program of its own (a file with
 * main(): a tool, a test driver, an example) that uses the others. */
enum plan_kind { PLAN_SERVICE = 0, PLAN_FUNCTION = 1, PLAN_LIBRARY = 2, PLAN_PROGRAM = 3,
                 PLAN_KIND_COUNT = 4 };
enum plan_granularity { GRAN_SERVICE = 0, GRAN_FUNCTION = 1 };

#define PLAN_NONE ((size_t)-1) /* "no service": external functions */

typedef struct idxvec {
    size_t *v;
    size_t n, cap;
} idxvec;

/* A resource acquired by a call to an external function (fitness.c). */
typedef struct plan_resource {
    size_t function;     /* graph index of the function making the call */
    size_t call;         /* graph index of the external called (fopen...) */
    const char *kind;    /* "file", "socket", "thread", ... (static string) */
} plan_resource;

/* A cross-boundary call pair with a site inside a loop (fitness.c). */
typedef struct plan_loopcall {
    size_t call;         /* graph call index */
    unsigned incoming;   /* 1: another boundary calls into this one */
} plan_loopcall;

/* One entry point's request under the plan (fitness.c). */
typedef struct plan_trace {
    size_t entry;        /* graph function index */
    int depth;           /* boundaries crossed on the deepest call path of direct and
                            field calls (graph.h, enum call_evidence) */
    int fan_out;         /* other boundaries the request reaches that way */
    unsigned cycle;      /* the path runs through mutually recursive boundaries */
    int depth_may;       /* the same with type-only may-calls followed too */
    int fan_out_may;
    unsigned cycle_may;
} plan_trace;

/*
 * Fitness of one component as a serverless function, a service or a
 * library (docs/fitness.md).  Index lists are sorted ascending; reasons
 * are owned strings.  All zero until fitness_compute runs.
 */
typedef struct plan_fitness {
    unsigned computed;
    unsigned recommendation; /* enum plan_kind */
    double confidence;       /* 0..1 */
    strvec reasons;
    idxvec reads;            /* globals it reads and never writes */
    idxvec writes;           /* globals (not function statics) it writes */
    idxvec statics;          /* function-local statics it writes */
    idxvec addressed;        /* globals it only takes the address of */
    idxvec store;            /* state that would move to an external store */
    idxvec foreign;          /* ... of it, what other components write */
    idxvec shared_with;      /* services touching the state it writes */
    struct { plan_resource *v; size_t n, cap; } resources; /* kept past a call */
    int cold_loc, cold_functions, cold_globals, cold_externals;
    double bytes_estimate;
    int cross_sites, in_loops, max_loop_depth;
    struct { plan_loopcall *v; size_t n, cap; } loop_calls;
    int trace_depth;         /* max over the entry points (direct and field calls) */
    int trace_depth_may;     /* ... with type-only may-calls too */
    int cycle_span;          /* components of the widest cycle of direct and field calls
                                its requests may run round, 0: none */
    int fan_out;             /* other services it calls directly */
    int callers;             /* other services calling it directly */
    struct { plan_trace *v; size_t n, cap; } traces; /* by entry point */
    /* Traffic (traffic.h), in calls per second: */
    double rate_entry;       /* invocations from outside the program, at its entry points */
    double rate_in;          /* remote calls into it */
    double rate_out;         /* remote calls it makes */
    double duration_s;       /* of one invocation, as the cost model bills it */
    double service_month, function_month, break_even_rate; /* cost model */
} plan_fitness;

/* A program entry point the traffic model gives a rate (traffic.h). */
typedef struct plan_entry {
    size_t function;         /* graph function index */
    double per_hour;         /* invocations per hour */
    int from;                /* index in fitness.traffic.entries, -1: the default rate */
} plan_entry;

/* The traffic model fitness_compute used. */
typedef struct plan_traffic {
    double loop_iterations;  /* times a loop body runs per loop level */
    struct { plan_entry *v; size_t n, cap; } entries; /* by function index */
} plan_traffic;

/* The cost model fitness_compute used (copied from the config). */
typedef struct plan_costmodel {
    double rate;             /* invocations per hour of an entry point with no rate of its own */
    double service_per_hour, per_invocation, per_gb_second, memory_mb;
    double duration_s;       /* assumed duration of one invocation */
    unsigned rate_given;     /* --rate was given */
    strvec defaults;         /* parameters left at cleave's neutral defaults */
} plan_costmodel;

typedef struct plan_service {
    char *name;          /* unique, from the dominant folder/file/prefix */
    unsigned kind;       /* enum plan_kind */
    unsigned fixed_name; /* named by the user (a pin): plan_finish keeps it */
    char *kind_from;     /* the constraint that gave its kind ("plan.pin[2]"), owned;
                            NULL when the clustering did */
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
    plan_fitness fitness; /* filled by fitness_compute (fitness.h) */
} plan_service;

/* Cross-service calls from one service to another: a future remote API. */
typedef struct plan_interface {
    size_t from, to;     /* service indexes */
    int calls;           /* distinct caller->callee edges */
    int sites;           /* call sites */
    int sites_by[EV_COUNT]; /* ... by their evidence (enum call_evidence); a
                             * "may-interface" has only EV_TYPE sites */
    int max_loop_depth;  /* deepest loop around any site */
    double rate;         /* calls per second across it (traffic.h); 0 until fitness_compute */
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
    /* The same over the calls whose targets the code names (direct and
     * field evidence), leaving out type-only may-calls: */
    double icp_known;
    int cross_sites_known;
    int cycle_services;       /* services on a dependency cycle, all calls */
    int cycle_services_known; /* ... of direct and field calls */
} plan_metrics;

/* Why a function is in its component (docs/clustering.md, "Why here"):
 * the last step that placed it says so, a later step that moves it
 * overwrites what an earlier one said.  Codes are plan.json's "reason"
 * strings (plan_reason_name). */
enum plan_reason {
    PLAN_WHY_NONE = 0,       /* not recorded: a plan read back or made by hand */
    PLAN_WHY_FOLDER,         /* its folder is a component of its own */
    PLAN_WHY_LAYER,          /* a self-contained lower layer of its folder */
    PLAN_WHY_MODULE,         /* a module of a large folder, found by the evidence */
    PLAN_WHY_LIBRARY,        /* library code, or a folder's shared utilities */
    PLAN_WHY_INFRASTRUCTURE, /* a stateful utility nearly every file reaches */
    PLAN_WHY_PROGRAM,        /* in a file that defines main() */
    PLAN_WHY_TRIGGER,        /* (function granularity) an entry point, or only reached from one */
    PLAN_WHY_SHARED,         /* (function granularity) reached from several entry points or none */
    PLAN_WHY_PIN,            /* pinned by cleave.json */
    PLAN_WHY_RULE,           /* moved by keep_together or keep_apart */
    PLAN_WHY_FRAGMENT,       /* folded into the component owning its file */
    PLAN_WHY_MERGED,         /* --services N merged its group into this component */
    PLAN_WHY_PLUGIN,         /* a plug-in module joined the module it extends */
    PLAN_WHY_COUNT
};

typedef struct plan_why {
    unsigned reason; /* enum plan_reason */
    size_t text;     /* index into plan.why_text: one sentence naming the evidence */
} plan_why;

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
    strvec excluded;       /* units compiled with every function and variable left out
                              by the preprocessor: code this build does not have */
    plan_why *why;         /* per graph function, NULL until a step records one */
    strvec why_text;       /* the sentences of why[], each stored once for every
                              function it explains */
    unsigned fitness_done; /* fitness_compute ran: services carry fitness */
    unsigned traffic_done; /* traffic_compute or traffic_replay ran: interfaces carry rates */
    plan_costmodel cost;   /* ... with this cost model */
    plan_traffic traffic;  /* ... and this traffic model */
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
/* Sorts an index list ascending and drops repeats. */
void plan_idx_sortuniq(idxvec *v);
/* 1 when x is in v, which plan_idx_sortuniq has sorted. */
int plan_idx_contains(const idxvec *v, size_t x);
/* Frees what f holds and zeroes it (fitness.c fills it). */
void plan_fitness_clear(plan_fitness *f);
/* "service", "function", "library" or "program". */
const char *plan_kind_name(unsigned kind);
/* The kind of that name; 0, or -1 when it names none. */
int plan_kind_parse(const char *name, unsigned *kind);
/* Whether call c from component a to another component b is remote (a
 * call between two processes): neither is a library, or a library calls
 * out directly -- a platform (cluster.c) or one a pin declared -- which
 * makes each component linking it call there.  A library's call back
 * through a stored pointer runs in its caller, as cleave check judges it. */
int plan_remote_call(const plan *p, size_t a, size_t b, const gcall *c);
/* Stores a sentence for plan_why_set, taking ownership of text; returns
 * its index.  Never fails. */
size_t plan_why_text(plan *p, char *text);
/* Records why function f is where it is (reason: enum plan_reason; text:
 * from plan_why_text), replacing what was recorded.  Never fails. */
void plan_why_set(plan *p, size_t f, unsigned reason, size_t text);
/* "folder", "layer", ... (plan.json's "reason"); "?" for no code. */
const char *plan_reason_name(unsigned reason);
/* Index of the service with this name, or PLAN_NONE. */
size_t plan_find_service(const plan *p, const char *name);

#endif
