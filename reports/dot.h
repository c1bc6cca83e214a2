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
/* Nor is a service view with more nodes (components and shared state) than
 * this: serverless granularity on a large program makes hundreds of each;
 * or with more edges (interfaces and links to shared state) than
 * DOT_RENDER_MAX_SERVICE_EDGES: 27 services with 419 interfaces and 185
 * state links took `dot` 52 s (4 s with dot_tune's limits), 41 services
 * with 851 and 268 over 10 minutes (19 s). */
#define DOT_RENDER_MAX_SERVICES 500
#define DOT_RENDER_MAX_SERVICE_EDGES 600
/* A function view of more functions than this is not even written as DOT:
 * cgraph's writer (agwrite) looks for every node and edge in each cluster
 * in turn, so its time grows with functions x services (4.5 s for 30,000
 * functions in 170 services, a minute for 100,000 in 900), and no program
 * lays such a picture out.  `cleave graph --plan --collapse file` or
 * `--focus` draws the parts. */
#define DOT_WRITE_MAX_FUNCTIONS 20000

/*
 * The service view: one node per service or library component, shared
 * state as its own nodes with edges to the services that read or write it,
 * one edge per interface labelled with its call sites, services on a
 * dependency cycle in red.  Never fails; the caller frees the text.
 */
char *dot_services_text(const plan *p);

/*
 * The function view: a cluster per service holding its functions (entry
 * points marked), library components as one node each, cross-service calls
 * coloured, indirect calls dashed; external functions are left out.
 * Never fails; the caller frees the text.
 */
char *dot_functions_text(const plan *p);
/* How many functions the function view draws (for DOT_RENDER_MAX_FUNCTIONS). */
size_t dot_functions_count(const plan *p);

/* A view (view.h) as DOT.  Never fails; the caller frees the text. */
char *dot_view_text(const view *v);

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
 * and, when `render` is set, services.svg and functions.svg.  A function
 * view of more than DOT_RENDER_MAX_FUNCTIONS functions, or a service view
 * of more than DOT_RENDER_MAX_SERVICES nodes or DOT_RENDER_MAX_SERVICE_EDGES
 * edges, is not rendered, a function
 * view of more than DOT_WRITE_MAX_FUNCTIONS is not written at all, and
 * *note (the caller frees it; NULL otherwise) says so and points to
 * `cleave graph --plan OUTDIR/plan.json --focus` (which reads the
 * graph.json `cleave plan` writes beside the plan).
 * Each path written is appended to *written.
 * Returns 0, or -1 with *err (the caller frees it); files written before a
 * failure stay (each is complete).
 */
int dot_write_plan(const plan *p, const char *outdir, int render, strvec *written, char **note,
                   char **err);

#endif
