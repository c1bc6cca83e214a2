/*
 * dot.h - boundary diagrams: a plan's service view and function view, and
 * a call-graph view (view.h), as Graphviz DOT written through cgraph, and
 * their renderings through libgvc (`dot` layout).  docs/diagrams.md is the
 * key to colours and shapes.
 *
 * Output is deterministic: the same plan or view gives byte-identical DOT.
 * Files are written whole or not at all (temporary file + rename).
 * No Graphviz type appears here; reports/dot_cgraph.h holds the helpers.
 */
#ifndef CLEAVE_DOT_H
#define CLEAVE_DOT_H

#include <stddef.h>

#include "util/common.h"
#include "plan/plan.h"
#include "reports/view.h"

/* A function view with more functions than this is not laid out: `dot`
 * would take many minutes.  `cleave graph --focus` shows a part of it. */
#define DOT_RENDER_MAX_FUNCTIONS 2000
/* Nor one with more calls than this between the functions it draws: Lua's
 * 1,093 functions with 3,397 calls lay out in 19 s, nginx's 1,974 with
 * 5,595 took `dot` 165 s of CPU and then failed ("trouble in init_rank"),
 * failing the whole `cleave plan`. */
#define DOT_RENDER_MAX_FUNCTION_CALLS 4000
/* Nor is a service view with more nodes (components and shared state) than
 * this: serverless granularity on a large program makes hundreds of each;
 * or with more edges (interfaces and links to shared state) than
 * DOT_RENDER_MAX_SERVICE_EDGES: 27 services with 419 interfaces and 185
 * state links took `dot` 52 s (4 s with dot_tune's limits), 41 services
 * with 851 and 268 over 10 minutes (19 s). */
#define DOT_RENDER_MAX_SERVICES 500
#define DOT_RENDER_MAX_SERVICE_EDGES 600
/* A function view of more functions than this is not even written as DOT:
 * no program lays such a picture out, and the file is large (100,000
 * functions: 47 MB, 5 s to build and write; before dot_cluster_home nested
 * the clusters, cgraph's writer took minutes over the same file).
 * `cleave graph --plan --collapse file` or `--focus` draws the parts. */
#define DOT_WRITE_MAX_FUNCTIONS 20000

/*
 * What a diagram leaves out to stay readable (`cleave plan`, `graph` and
 * `report` options; docs/diagrams.md).  All zero: everything is drawn.
 * What was left out is counted in the diagram's title.
 */
typedef struct dot_options {
    int hide_may;  /* --hide-may-calls: calls known only by their pointer's type */
    int no_state;  /* --no-state: shared state and the links to it */
    int min_sites; /* --min-sites N: call edges of fewer than N call sites */
    int no_fit;    /* --no-fit: the service view takes no step to fit a screen */
} dot_options;

/* The screen a service view is fitted to, in points: 1,900 x 1,050 pixels
 * (a 1920 x 1080 screen less a browser's frame) at 96 pixels an inch.  A
 * view larger than this, laid out, is drawn again with tighter spacing,
 * library use and shared state folded into counts, and then without its
 * weakest interfaces (thresholds from the plan's own call sites), until
 * it fits; the title says what each step left out.  nginx's 12 components
 * drew 3,087 x 1,425 points; fitted, 1,425 x 762 (docs/diagrams.md). */
#define DOT_SCREEN_W 1425
#define DOT_SCREEN_H 788

/* A service view with more links between services and shared state than
 * this draws, instead of the state itself, one link per pair of services
 * sharing some (labelled with how many globals): nginx's 171 links to 33
 * cylinders become 40 pairs. */
#define DOT_STATE_LINKS_MAX 48

/* A service view draws at most this many interfaces per component (and
 * DOT_SERVICE_EDGES_MIN at least), the strongest; likewise at most
 * DOT_STATE_PAIRS_PER_NODE pairs of services sharing state.  The title
 * counts what is left out.  nginx's 11 services with 103 interfaces, all on
 * cycles, drew as a hairball 6,740 points wide. */
#define DOT_SERVICE_EDGES_PER_NODE 3
#define DOT_SERVICE_EDGES_MIN 32
#define DOT_STATE_PAIRS_PER_NODE 2

/* A plan of more components than this also gets the grouped view
 * (svcgroups.h): services by folder, expanded one group at a time. */
#define DOT_GROUPS_FROM 40
/* A grouped view draws the strongest links, at most this many per node
 * (and DOT_GROUP_EDGES_MIN at least); the others are counted in its title. */
#define DOT_GROUP_EDGES_PER_NODE 3
#define DOT_GROUP_EDGES_MIN 24
/* The overview of more groups than this is written as DOT but not laid
 * out: it would draw up to DOT_GROUP_EDGES_PER_NODE links per group, past
 * the DOT_RENDER_MAX_SERVICE_EDGES `dot` lays out in reasonable time (the
 * 1,000,000-function generated plan's 998 groups and 2,997 links took
 * `dot` 14 minutes). */
#define DOT_RENDER_MAX_GROUPS (DOT_RENDER_MAX_SERVICE_EDGES / DOT_GROUP_EDGES_PER_NODE)

/*
 * The service view: one node per service or library component, shared
 * state as its own nodes with edges to the services that read or write it
 * (or one link per pair of services sharing state, past
 * DOT_STATE_LINKS_MAX), one edge per interface labelled with its call
 * sites, services on a dependency cycle in red.  Node and edge ids (the
 * SVG's element ids) name what they stand for: "s<service index>",
 * "i<interface index>", "g<state group>", "p<a>-<b>" (a pair), "l<a>-<b>"
 * (library use).  o may be NULL (no option).  A view larger than the
 * screen is drawn again, folded step by step until it fits (DOT_SCREEN_W;
 * laid out with `dot` to measure it), unless o->no_fit or it is too large
 * to lay out.  Never fails; the caller frees the text.
 */
char *dot_services_text(const plan *p, const dot_options *o);
/* The same; *nodes and *edges receive how many it draws (for
 * DOT_RENDER_MAX_SERVICES and DOT_RENDER_MAX_SERVICE_EDGES). */
char *dot_services_view(const plan *p, const dot_options *o, size_t *nodes, size_t *edges);

struct svcgroups;
/*
 * The grouped view of a large plan (groups from svcgroups.h): with expand
 * = PLAN_NONE, one node per group ("G<group>") and the strongest links
 * between groups; else the services of group `expand` ("s<index>") with
 * the interfaces between them ("i<index>") and the other groups it talks
 * to as single nodes.  Never fails; the caller frees the text.
 */
char *dot_groups_text(const plan *p, const struct svcgroups *gr, size_t expand,
                      const dot_options *o);

/*
 * The function view: a cluster per service holding its functions (entry
 * points marked), library components as one node each, cross-service calls
 * coloured, indirect calls dashed; external functions are left out.
 * Never fails; the caller frees the text.
 */
char *dot_functions_text(const plan *p);
/* How many functions the function view draws (for DOT_RENDER_MAX_FUNCTIONS). */
size_t dot_functions_count(const plan *p);
/* How many calls it draws between them (for DOT_RENDER_MAX_FUNCTION_CALLS). */
size_t dot_functions_calls(const plan *p);

/* A view (view.h) as DOT; o (may be NULL) leaves may-calls or small edges
 * out.  Never fails; the caller frees the text. */
char *dot_view_text(const view *v, const dot_options *o);

/*
 * Lays DOT text out with `dot` and renders it as `format` ("svg", "png",
 * any format the installed Graphviz has).  Returns 0 with *out (the caller
 * frees it) holding *len bytes, or -1 with *err (the caller frees it):
 * "<name>: <graphviz message>", name naming the text in messages.
 */
int dot_render(const char *name, const char *text, const char *format, char **out, size_t *len,
               char **err);

/* Writes text to path, a file of the plan's output folder, atomically
 * (file_write_output, FILE_OUT_CONTAINED: a link or FIFO planted there is
 * refused).  0, or -1 with *err "<path>: <reason>". */
int dot_save(const char *path, const char *text, size_t len, char **err);

/*
 * Everything `cleave plan` draws: OUTDIR/services.dot, OUTDIR/functions.dot
 * and, when `render` is set, services.svg and functions.svg; for a plan of
 * more than DOT_GROUPS_FROM components, groups.dot (and groups.svg, for at
 * most DOT_RENDER_MAX_GROUPS groups), the overview of the grouped view.  A
 * function view of more than DOT_RENDER_MAX_FUNCTIONS functions or
 * DOT_RENDER_MAX_FUNCTION_CALLS calls, or a service view of more than
 * DOT_RENDER_MAX_SERVICES nodes or DOT_RENDER_MAX_SERVICE_EDGES edges, is
 * not rendered, a function view of more than DOT_WRITE_MAX_FUNCTIONS is not
 * written at all, and *note (the caller frees it; NULL otherwise) says so
 * and points to `cleave graph --plan OUTDIR/plan.json --focus` (which reads
 * the graph.json `cleave plan` writes beside the plan).  o (may be NULL)
 * says what the diagrams leave out; without `render` the service view is
 * not fitted to a screen (that lays it out).  Each path written is appended to
 * *written; *services_svg (when not NULL) receives the services SVG, or
 * NULL when it was not rendered (the caller frees it).
 * Returns 0, or -1 with *err (the caller frees it); files written before a
 * failure stay (each is complete).
 */
int dot_write_plan(const plan *p, const char *outdir, int render, const dot_options *o,
                   strvec *written, char **services_svg, char **note, char **err);

#endif
