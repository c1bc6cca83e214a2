/*
 * view.h - a drawable slice of the call graph: all of it, or the part
 * within N calls of a function, file or service, collapsed to functions,
 * files, directories or services.  Plain data (no Graphviz types); the DOT
 * writer (reports/dot_view.c) draws it.
 *
 * Nodes are sorted by id and edges by (from, to, indirect), so a view built
 * twice from the same input is the same.  External functions (declared in
 * the project, defined elsewhere: libc and other libraries) are left out;
 * `hidden_external` counts those the shown functions call.
 * Memory: a view owns all its strings; view_free releases everything.
 */
#ifndef CLEAVE_VIEW_H
#define CLEAVE_VIEW_H

#include <stddef.h>

#include "graph/graph.h"
#include "plan/plan.h"

enum view_level { VIEW_FUNCTION = 0, VIEW_FILE = 1, VIEW_DIR = 2, VIEW_SERVICE = 3 };

typedef struct view_options {
    unsigned level;    /* enum view_level */
    const char *focus; /* NULL: the whole graph */
    int depth;         /* with focus: calls away from it, either direction (>= 0) */
} view_options;

typedef struct view_node {
    char *id;       /* function id, file, directory or service name */
    char *label;    /* the short name to show */
    char *detail;   /* a line of detail: "file:line", "12 functions, 340 lines" */
    char *group;    /* the cluster it is drawn in (service, file or dir), or NULL */
    int funcs, loc; /* functions it stands for and their lines of code */
    int distance;   /* calls from the focus (0: in it); -1 without a focus */
    unsigned entry; /* function level with a plan: an entry point of its service */
    unsigned kind;  /* with a plan: enum plan_kind of its service (or group) */
} view_node;

typedef struct view_edge {
    size_t from, to;   /* node indexes */
    unsigned indirect; /* through a function pointer ("may" call) */
    unsigned cross;    /* its ends are in different groups (services with a plan);
                          never for a call to or from a library component */
    int calls, sites;  /* graph edges merged into it and their call sites */
    int may_sites;     /* ... of those sites, the ones of type-only may-calls */
    double rate;       /* with view->rates: calls per second across it (traffic.h) */
} view_edge;

typedef struct view {
    unsigned level;
    const char *group_kind;   /* what groups are: "service", "file", "directory"; NULL: none */
    char *title;              /* what the view shows, one line */
    char *focus_note;         /* with a focus: what it matched, and what else has that
                                 name ("--focus read: the service read; also ...") */
    size_t hidden_external;   /* external functions called but not shown */
    unsigned rates;           /* service level, the plan has its traffic model: edges
                                 between services carry rates, as its service view */
    struct { view_node *v; size_t n, cap; } nodes;
    struct { view_edge *v; size_t n, cap; } edges;
} view;

/* The name views give the project: the last component of g's root as an
 * absolute path ("demo" for fixtures/demo, the folder's name for "."), or
 * "the program" without a root.  The caller frees it. */
char *view_project_name(const graph *g);

/* Parses "function", "file", "dir" or "service"; 0, or -1 when unknown. */
int view_level_parse(const char *s, unsigned *level);

/*
 * Builds the view of g (and plan p, which may be NULL) that o asks for.
 * The focus is looked up as reports/lookup.h says: a function the project
 * defines (id, then every function of that name), a service (with a
 * plan), a file, a directory, an external function; "function:",
 * "service:", "file:" or "dir:" asks for one kind.  Returns 0 with *out
 * set (the caller frees it with view_free), or -1 with *err (the caller
 * frees it) when the focus matches nothing or the service level is asked
 * without a plan.
 */
int view_build(const graph *g, const plan *p, const view_options *o, view **out, char **err);
void view_free(view *v); /* NULL is a no-op */

#endif
