/*
 * report_model.h - what a reviewer asks of a plan, derived once from the
 * plan (over its graph) and the plan.json document, for the HTML report
 * (report_html.c) and `cleave explain` (explain.c), so both say the same:
 *   - how each entry point is reached: an API other services call
 *     directly, a callback reached only through stored pointers, or a
 *     trigger (main, or an extern function nothing calls);
 *   - why each function is where it is: plan.json's "placement"
 *     (docs/plan-json.md), kept as the plan spells it (reason codes this
 *     cleave does not know are shown as they are);
 *   - the call edges behind each interface (graph calls from one service
 *     into the other), which carry the call sites and their evidence;
 *   - the services' order for a dependency matrix: strongly connected
 *     components of the interfaces, callers before callees, so a layered
 *     plan reads as a triangle.
 *
 * Memory: the model owns its arrays and the parsed document; it points
 * into the plan, which must outlive it.
 */
#ifndef CLEAVE_REPORT_MODEL_H
#define CLEAVE_REPORT_MODEL_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "plan/plan.h"

enum report_entry {
    REPORT_ENTRY_NONE = 0, /* not an entry point */
    REPORT_ENTRY_API,      /* another component calls it directly */
    REPORT_ENTRY_CALLBACK, /* reached from others only through pointers (field or type evidence) */
    REPORT_ENTRY_TRIGGER   /* nothing outside calls it: main, an exported function, a handler */
};

/* The text shown for a function when the plan records no placement. */
#define REPORT_NO_PLACEMENT "no placement recorded in this plan: made by an older cleave"

typedef struct report_model {
    const plan *p;
    cJSON *doc;                 /* the plan.json document (owned) */
    unsigned char *entry;       /* per graph function: enum report_entry */
    const char **reason;        /* per graph function: placement code, or NULL */
    const char **detail;        /* ... its sentence, or NULL */
    const char **placed_in;     /* ... the component the placement names, or NULL */
    int has_placement;          /* doc has a "placement" array */
    const cJSON **svc_doc;      /* per service: its object in doc "services", or NULL */
    const cJSON **iface_doc;    /* per interface: its object in doc "interfaces", or NULL */
    idxvec *calls;              /* per interface: graph call indexes from one into the other */
    size_t *order;              /* the matrix order: non-library services */
    size_t norder;
    long *cycle;                /* per service: its dependency cycle (an id), or -1 */
} report_model;

/*
 * Builds the model of p from the text of its plan.json (len bytes,
 * NUL-terminated; `name` names it in errors).  Returns 0 with *out (free
 * with report_model_free), or -1 with *err "<name>:<line>:<col>: ..." (the
 * caller frees it) when the text is not JSON.
 */
int report_model_build(const plan *p, const char *name, const char *text, size_t len,
                       report_model **out, char **err);
void report_model_free(report_model *m); /* NULL is a no-op */

/* The kind of component s as the plan document spells it ("service",
 * "function", "library", or a kind a newer cleave wrote), else as p has it. */
const char *report_kind(const report_model *m, size_t s);
/* "API", "callback", "trigger" or "" for an enum report_entry. */
const char *report_entry_name(unsigned entry);
/* Index of interface (from, to) in p->interfaces, or PLAN_NONE. */
size_t report_interface(const plan *p, size_t from, size_t to);

#endif
