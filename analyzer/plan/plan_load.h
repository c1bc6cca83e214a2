/*
 * plan_load.h - reads a committed plan.json (docs/plan-json.md) back and
 * maps it onto the current graph, for `cleave check`.
 *
 * Functions are matched by id; the ids the plan lists (functions and
 * entry points) that the graph does not define are kept, with their place
 * in the plan file, for the stale-plan-function finding, and otherwise
 * ignored.  A function the plan does not know is placed by the config's placement
 * rules, else by the service whose `files` list its file, else it stays
 * unplaced.  A file the plan gives to one service whose lines are now
 * mostly functions of another has moved.  What the plan committed to (entry points, interfaces, shared
 * writes) is kept by name so the current code can be compared with it.
 *
 * Memory: a plan_ref owns everything but the graph, which must outlive it.
 */
#ifndef CLEAVE_PLAN_LOAD_H
#define CLEAVE_PLAN_LOAD_H

#include "plan/config.h"
#include "graph/graph.h"
#include "plan/plan.h"
#include "util/strmap.h"

/* A function id the plan lists but the current code does not define. */
typedef struct plan_missing {
    char *id;
    int line, col; /* in the plan file: in `functions`, else in `entry_points` */
} plan_missing;

typedef struct plan_ref {
    plan *p;              /* committed services (names kept) over the current graph; finished */
    strmap *entries;      /* committed entry point function ids */
    strmap *interfaces;   /* committed "from\nto" service-name pairs -> the evidence
                             they were committed with: bit e for each enum
                             call_evidence with sites (all bits for a plan
                             that does not say, as plans before cleave.plan/2) */
    strmap *shared;       /* committed globals with two or more writers */
    idxvec unplaced;      /* defined functions no service could take */
    idxvec moved;         /* per file now mostly another service's code: its first such function */
    size_t *file_service; /* per moved entry: the service the plan gives the file */
    char *file;           /* the plan file: relative to the graph's root when inside it, else absolute */
    struct { plan_missing *v; size_t n, cap; } missing; /* in the plan file's order */
} plan_ref;

/*
 * Reads the plan at path over g; cfg (may be NULL) gives the placement
 * rules.  Returns 0 with *out set (free with plan_ref_free), or -1 with
 * *err = "<path>:<line>:<col>: <message>" (the caller frees it).
 */
int plan_load(const char *path, const graph *g, const config *cfg, plan_ref **out, char **err);
void plan_ref_free(plan_ref *r); /* NULL is a no-op */

#endif
