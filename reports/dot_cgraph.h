/*
 * dot_cgraph.h - the cgraph helpers the DOT writers share.  Only the
 * reports/dot*.c files include this header: Graphviz types never reach the
 * rest of cleave, which sees reports/dot.h.
 *
 * Everything drawn goes through cgraph (agopen, agsubg, agnode, agedge,
 * attributes set through the API, agwrite); nothing prints DOT by hand.
 * Two things cgraph 2.42 does not do for us are done here:
 *   - order: agwrite emits subgraphs by object id, and the default id
 *     discipline uses string addresses; dot_doc gives ids in creation order,
 *     so the same input gives byte-identical DOT.
 *   - text: cgraph quotes `"` but not `\`, and graphviz reads `\` in labels
 *     as an escape; dot_text_add / dot_id make any name safe (see dot_cgraph.c).
 *
 * Memory: a dot_doc owns its graph until dot_doc_finish, which closes it.
 */
#ifndef CLEAVE_DOT_CGRAPH_H
#define CLEAVE_DOT_CGRAPH_H

#include <graphviz/cgraph.h>

#include "util/common.h"

/* The palette, shared so that every view and its legend agree
 * (docs/diagrams.md shows it). */
#define DOT_FONT "Helvetica,Arial,sans-serif"
#define DOT_SERVICE_FILL "#dbe9f6"
#define DOT_SERVICE_LINE "#3b6ea5"
#define DOT_FUNCTION_FILL "#e2f0d9"
#define DOT_FUNCTION_LINE "#4e8a3a"
#define DOT_LIBRARY_FILL "#ececec"
#define DOT_LIBRARY_LINE "#7a7a7a"
#define DOT_PROGRAM_FILL "#ede4f7"
#define DOT_PROGRAM_LINE "#6a4c93"
#define DOT_STATE_FILL "#fff2cc"
#define DOT_STATE_LINE "#b7950b"
#define DOT_ENTRY_FILL "#ffd966"
#define DOT_FOCUS_FILL "#f8cbad"
#define DOT_FOCUS_LINE "#c55a11"
#define DOT_CYCLE "#c0392b"
#define DOT_CROSS "#1f5fa8"
#define DOT_INTERNAL "#8c8c8c"
#define DOT_MUTED "#b0b0b0"
#define DOT_FILE_FILL "#f3f8fd"       /* a file inside a service cluster */
#define DOT_INTERNAL_EDGE "#8c8c8c99" /* DOT_INTERNAL, translucent: many cross */

typedef struct dot_doc dot_doc;

/* A new directed graph `name` with the defaults every view shares (font,
 * no line wrapping); never fails.  The views declare their attributes with
 * dot_declare before creating objects, so attribute order is fixed. */
dot_doc *dot_doc_new(const char *name);
Agraph_t *dot_doc_graph(dot_doc *d);
/* The DOT text of the graph (the caller frees it); closes the graph and
 * frees d. */
char *dot_doc_finish(dot_doc *d);

/* Declares attributes of one kind (AGRAPH, AGNODE, AGEDGE) with their
 * defaults: `pairs` is name, default, name, default, ..., NULL. */
void dot_declare(Agraph_t *root, int kind, const char *const *pairs);

/*
 * A name made safe as a DOT id: every `\` becomes U+29F5 (see dot_cgraph.c).  The
 * caller frees it.
 */
char *dot_id(const char *text);
/*
 * The node "<kind>:<key>" (kind: "service", "function", "file", ...; the
 * prefix keeps a service and a global of the same name apart), created when
 * missing; a node made in a subgraph is also in its parents.
 */
Agnode_t *dot_node(Agraph_t *g, const char *kind, const char *key);
/* The subgraph named `name` (through dot_id), created when missing. */
Agraph_t *dot_subgraph(Agraph_t *g, const char *name);
/*
 * Where the i-th of n clusters of root goes: root itself for a few, else a
 * plain (non-cluster) subgraph "nest:<k>:..." in a tree of at most
 * DOT_NEST_FANOUT children per level.  Graphviz's writer (agwrite) looks
 * for every node and edge of a graph in each of its subgraphs in turn, so
 * thousands of clusters side by side make writing quadratic (19,000
 * functions in 2,300 clusters: 40 s); the tree keeps each look-up to a
 * few dozen.  dot lays a plain subgraph's clusters out as if they sat in
 * its parent, so the picture is the same.
 */
#define DOT_NEST_FANOUT 32
Agraph_t *dot_cluster_home(Agraph_t *root, size_t i, size_t n);
/* A new edge (never merged with an existing one) in g. */
Agedge_t *dot_edge(Agraph_t *g, Agnode_t *from, Agnode_t *to);

/* Sets an attribute to a value that is already DOT text (label escapes
 * such as \n allowed); the attribute must be declared. */
void dot_set(void *obj, const char *attr, const char *value);
void dot_setf(void *obj, const char *attr, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Sets a label-like attribute (label, tooltip, xlabel) to plain text,
 * shown exactly as given. */
void dot_set_text(void *obj, const char *attr, const char *text);
/* Appends plain text to a label being built, escaped so graphviz shows it
 * exactly (separate lines with "\\n" added by the caller). */
void dot_text_add(strbuf *b, const char *text);
/* Sets a node's label to an HTML-like label (graphviz "<...>" syntax);
 * html is trusted markup written by cleave. */
void dot_set_html(Agnode_t *n, const char *html);

/* "service", "function" or "library" for an enum plan_kind. */
const char *dot_kind_name(unsigned kind);
/* Shape, fill and outline of a plan component's node (enum plan_kind):
 * rounded boxes for services (blue) and functions (green), a grey
 * "component" shape for libraries. */
void dot_style_component(Agnode_t *n, unsigned kind);

/*
 * For a graph of more than DOT_BIG_GRAPH nodes (the plan's views count
 * their edges too), trades layout polish for time: fewer crossing-
 * minimisation passes (mclimit) and network-simplex iterations (nslimit).
 * Measured on Bash's 1,741-function view: 77 s instead of 10 minutes,
 * clusters still apart; on a service view of 73 nodes and 620 edges, 4 s
 * instead of 52 s.
 */
#define DOT_BIG_GRAPH 400
/* Lays DOT text out with `dot` (dot.c) and gives the size of the picture
 * in points (*w x *h, as in the SVG's header).  0, or -1 when Graphviz
 * cannot lay it out. */
int dot_layout_size(const char *text, double *w, double *h);
/* A node as `dot` placed it: its rank (0 at the top; with edge labels,
 * dot puts them in ranks of their own between the nodes'), the centre and
 * size in points, and how many edges go to nodes ranked above and below. */
typedef struct dot_placed {
    char *name;
    int rank;
    double x, y, w, h;
    int above, below;
} dot_placed;
/* The same, and (when nodes is not NULL) *nodes receives the n nodes as
 * placed, in the graph's order (free with dot_placed_free).  0, or -1
 * (nothing to free). */
int dot_layout_nodes(const char *text, double *w, double *h, dot_placed **nodes, size_t *n);
void dot_placed_free(dot_placed *nodes, size_t n); /* NULL is a no-op */

/*
 * Wide ranks broken into rows (dot_rows.c, after Graphviz's `unflatten`):
 * the nodes of a rank wider than the screen spread over several rows by
 * longer edges (minlen) and, for nodes with no edge, invisible ones.
 */
typedef struct dot_rows dot_rows;
/* At most this many rounds of wrapping, each from the layout the last made. */
#define DOT_ROWS_ROUNDS 3
/* A service view of more components than this is not wrapped: no screen
 * shows them readably, and each round lays the view out again (200
 * services with 400 links: minutes over the fitting steps). */
#define DOT_ROWS_MAX_NODES 100
/* Adds a round to *r (made when NULL) from a layout w points wide of
 * nodes[0..n): each rank too wide for width goes into as many rows as
 * make it fit, or fewer when the picture would then be taller, for its
 * width, than width x height.  Returns 1, or 0 when no rank needs it (*r
 * unchanged).  The caller frees *r with dot_rows_free. */
int dot_rows_plan(dot_rows **r, const dot_placed *nodes, size_t n, double w, double width,
                  double height);
/* Applies every round of r (NULL: none) to the edges of root, a view drawn
 * again as it was when laid out: the nodes it does not name are left as
 * they are.  Call after the last node and edge is made. */
void dot_rows_apply(Agraph_t *root, const dot_rows *r);
void dot_rows_free(dot_rows *r); /* NULL is a no-op */
/*
 * Draws a view with build(ctx, rows): as it is (rows NULL) and, while its
 * layout is wider than width and more so than it is too tall for height,
 * again with its wide ranks in rows, a round at a time, as long as each
 * round needs less shrinking to fit width x height than the last.  A
 * layout of more than max_area square points (when max_area > 0) is not
 * wrapped: rows keep the area about the same, so they would not make it
 * fit.  *text receives the drawing kept (the caller frees it), *w x *h
 * its size in points, and *kept (when not NULL) the rows it was drawn
 * with, NULL for none (the caller frees them).  0, or -1 when Graphviz
 * cannot lay out the first drawing (*text is still set).
 */
int dot_rows_fit(char *(*build)(void *ctx, const dot_rows *rows), void *ctx, double width,
                 double height, double max_area, char **text, double *w, double *h,
                 dot_rows **kept);
void dot_tune(Agraph_t *root, size_t nodes);

struct plan;
/* The node "service:<name>" of component s of p, styled by its kind, with
 * the id "s<s>"; *label receives "name\nkind · N functions · L lines",
 * which the caller may extend before setting it. */
Agnode_t *dot_component(Agraph_t *root, const struct plan *p, size_t s, strbuf *label);

/* The node defaults of the views of components (dot_services.c,
 * dot_groups.c): a service's rounded blue box, an id and a tooltip. */
extern const char *const DOT_COMPONENT_NODE_ATTRS[];

/* Edge pen width for a count of call sites: 1 for one site, one more for
 * each doubling (2-3 sites: 2, 4-7: 3, ...), at most 7. */
int dot_penwidth(int sites);
/* Appends a rate in calls per second to three figures, without an
 * exponent: "20340", "12.5", "0.0343"; "<0.0001" below that. */
void dot_rate_add(strbuf *b, double r);

/* Legend rows: a swatch (an HTML cell: fill colour or coloured text) and
 * what it means. */
typedef struct dot_key {
    const char *fill;   /* cell background, or NULL */
    const char *line;   /* border of a filled cell, or NULL for black */
    const char *ink;    /* colour of `sample`, or NULL */
    const char *sample; /* text in the swatch cell, e.g. an arrow */
    const char *meaning;
} dot_key;
/* Rows every view with plan components shares. */
extern const dot_key DOT_KEY_SERVICE, DOT_KEY_FUNCTION, DOT_KEY_LIBRARY, DOT_KEY_PROGRAM;
/* Adds a node DOT_LEGEND_NAME drawing the rows as a table. */
#define DOT_LEGEND_NAME "legend:"
void dot_legend(Agraph_t *root, const dot_key *rows, size_t n);
/* The same in `columns` columns (>= 1), the keys in reading order down
 * each: a wide, short legend for a view fitted to a screen. */
void dot_legend_columns(Agraph_t *root, const dot_key *rows, size_t n, size_t columns);

#endif
