/*
 * dot_cgraph.c - the cgraph helpers of dot_cgraph.h that every DOT writer
 * (dot_services.c, dot_functions.c, dot_view.c) builds its document with.
 *
 * Ids.  cgraph's default id discipline makes a named object's id the
 * address of its interned name, and agwrite emits subgraphs in id order:
 * clusters would come out in heap order.  dot_doc's discipline numbers
 * names in creation order instead (even ids; anonymous objects such as
 * edges get odd ones from the same counter), so output follows the order
 * in which the writer created things.
 *
 * Text.  cgraph 2.42 quotes a `"` as `\"` and leaves `\` alone; the DOT
 * reader takes `\"` as a quote, so a name ending in `\` (or with `\` before
 * a line break) cannot be read back.  Names used as ids get every `\`
 * replaced by U+29F5 (a reverse solidus look-alike); label text, which
 * graphviz reads with its own escapes (\n, \N, \\ ...), gets `\` written as
 * `\\` - as `\&#92;` at the end, an entity graphviz turns back into `\`
 * before reading escapes - `&` as `&amp;` (graphviz expands entities in
 * labels) and a line break as `\n`.  docs/diagrams.md says the same.
 */
#define _GNU_SOURCE
#include "reports/dot_cgraph.h"

#include <graphviz/cgraph.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/plan.h"
#include "util/strmap.h"

/* ---- documents with creation-order ids ---------------------------------- */

struct dot_doc {
    Agdisc_t disc;
    Agiddisc_t ids;
    Agiodisc_t io;
    strmap *index; /* name -> id */
    /* by id / 2: the name interned in the graph (agwrite asks the interned
     * string whether it is HTML), NULL for anonymous ids; the strings
     * belong to the graph and go with agclose */
    struct { char **v; size_t n, cap; } names;
    Agraph_t *g;
};

static void *ids_open(Agraph_t *g, Agdisc_t *disc) {
    /* agopen may hand over a copy of the Agdisc_t, but its id member still
     * points into our dot_doc */
    dot_doc *d = (dot_doc *)((char *)disc->id - offsetof(dot_doc, ids));
    d->g = g;
    return d;
}

static IDTYPE next_id(dot_doc *d, char *name) {
    char *interned = name ? agstrdup(d->g, name) : NULL;
    VEC_PUSH(d->names, interned);
    return (IDTYPE)(d->names.n - 1) * 2 + (name ? 0 : 1);
}

static long ids_map(void *state, int objtype, char *str, IDTYPE *id, int createflag) {
    dot_doc *d = state;
    size_t known;
    (void)objtype;
    if (!str) {
        *id = next_id(d, NULL);
        return 1;
    }
    if (strmap_get(d->index, str, &known)) {
        *id = (IDTYPE)known;
        return 1;
    }
    if (!createflag) return 0;
    *id = next_id(d, str);
    strmap_put(d->index, str, (size_t)*id);
    return 1;
}

static long ids_alloc(void *state, int objtype, IDTYPE id) {
    dot_doc *d = state;
    (void)objtype;
    return id / 2 < d->names.n;
}

static void ids_free(void *state, int objtype, IDTYPE id) {
    (void)state, (void)objtype, (void)id; /* names live until the document goes */
}

static char *ids_print(void *state, int objtype, IDTYPE id) {
    dot_doc *d = state;
    (void)objtype;
    return id % 2 == 0 && id / 2 < d->names.n ? d->names.v[id / 2] : NULL;
}

static void ids_close(void *state) {
    (void)state;
}

static void ids_register(void *state, int objtype, void *obj) {
    (void)state, (void)objtype, (void)obj;
}

static int io_put(void *chan, const char *s) {
    strbuf_add(chan, s);
    return 0;
}

static int io_flush(void *chan) {
    (void)chan;
    return 0;
}

dot_doc *dot_doc_new(const char *name) {
    dot_doc *d = xcalloc(1, sizeof *d);
    d->ids =
        (Agiddisc_t){ids_open, ids_map, ids_alloc, ids_free, ids_print, ids_close, ids_register};
    d->io = (Agiodisc_t){AgIoDisc.afread, io_put, io_flush};
    d->disc = (Agdisc_t){&AgMemDisc, &d->ids, &d->io};
    d->index = strmap_new();
    char *id = dot_id(name);
    d->g = agopen(id, Agdirected, &d->disc);
    free(id);
    if (!d->g) {
        fputs("cleave: out of memory\n", stderr);
        exit(CLEAVE_EXIT_INTERNAL);
    }
    /* cgraph breaks strings longer than 128 columns with "\\\n", which
     * makes diffs noisy */
    agattr(d->g, AGRAPH, "linelength", "0");
    /* dot's default ranking fails on some clustered graphs ("trouble in
     * init_rank"); the newer one does not */
    agattr(d->g, AGRAPH, "newrank", "true");
    agattr(d->g, AGRAPH, "fontname", DOT_FONT);
    agattr(d->g, AGNODE, "fontname", DOT_FONT);
    agattr(d->g, AGEDGE, "fontname", DOT_FONT);
    return d;
}

Agraph_t *dot_doc_graph(dot_doc *d) {
    return d->g;
}

char *dot_doc_finish(dot_doc *d) {
    strbuf b = {0};
    agwrite(d->g, &b);
    agclose(d->g);
    strmap_free(d->index);
    free(d->names.v);
    free(d);
    if (!b.v) strbuf_add(&b, "");
    return b.v;
}

/* ---- objects and attributes --------------------------------------------- */

char *dot_id(const char *text) {
    strbuf b = {0};
    strbuf_add(&b, "");
    for (const char *s = text; *s; s++) {
        if (*s == '\\') strbuf_add(&b, "\xe2\xa7\xb5"); /* U+29F5 */
        else strbuf_addn(&b, s, 1);
    }
    return b.v;
}

void dot_declare(Agraph_t *root, int kind, const char *const *pairs) {
    for (; pairs[0]; pairs += 2) agattr(root, kind, (char *)pairs[0], (char *)pairs[1]);
}

Agnode_t *dot_node(Agraph_t *g, const char *kind, const char *key) {
    char *name = xasprintf("%s:%s", kind, key);
    char *id = dot_id(name);
    free(name);
    Agnode_t *n = agnode(g, id, 1);
    free(id);
    return n;
}

Agraph_t *dot_subgraph(Agraph_t *g, const char *name) {
    char *id = dot_id(name);
    Agraph_t *s = agsubg(g, id, 1);
    free(id);
    return s;
}

Agraph_t *dot_cluster_home(Agraph_t *root, size_t i, size_t n) {
    size_t span = 1; /* clusters under one subgraph of the top level */
    while (n > span * DOT_NEST_FANOUT) span *= DOT_NEST_FANOUT;
    Agraph_t *home = root;
    strbuf name = {0};
    strbuf_add(&name, "nest");
    for (; span > 1; span /= DOT_NEST_FANOUT) {
        strbuf_printf(&name, ":%zu", i / span);
        home = dot_subgraph(home, name.v);
        i %= span;
    }
    free(name.v);
    return home;
}

Agedge_t *dot_edge(Agraph_t *g, Agnode_t *from, Agnode_t *to) {
    return agedge(g, from, to, NULL, 1);
}

void dot_set(void *obj, const char *attr, const char *value) {
    agsafeset(obj, (char *)attr, (char *)value, "");
}

void dot_setf(void *obj, const char *attr, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *v;
    if (vasprintf(&v, fmt, ap) < 0) {
        fputs("cleave: out of memory\n", stderr);
        exit(CLEAVE_EXIT_INTERNAL);
    }
    va_end(ap);
    dot_set(obj, attr, v);
    free(v);
}

void dot_text_add(strbuf *b, const char *text) {
    strbuf_add(b, "");
    for (const char *s = text; *s; s++) {
        switch (*s) {
        case '\\': strbuf_add(b, s[1] ? "\\\\" : "\\&#92;"); break;
        case '&': strbuf_add(b, "&amp;"); break;
        case '\n': strbuf_add(b, "\\n"); break;
        default:
            /* other control characters would only garble the picture */
            if ((unsigned char)*s < 0x20) strbuf_add(b, " ");
            else strbuf_addn(b, s, 1);
        }
    }
}

void dot_set_text(void *obj, const char *attr, const char *text) {
    strbuf b = {0};
    dot_text_add(&b, text);
    dot_set(obj, attr, b.v);
    free(b.v);
}

void dot_set_html(Agnode_t *n, const char *html) {
    Agraph_t *g = agroot(n);
    /* agset interns the value again; the interned HTML string keeps its
     * HTML mark as long as this reference holds it */
    char *h = agstrdup_html(g, (char *)html);
    agsafeset(n, "label", h, "");
    agstrfree(g, h);
}

Agnode_t *dot_component(Agraph_t *root, const plan *p, size_t s, strbuf *label) {
    const plan_service *sv = &p->services.v[s];
    Agnode_t *n = dot_node(root, "service", sv->name);
    dot_style_component(n, sv->kind);
    dot_setf(n, "id", "s%zu", s);
    dot_text_add(label, sv->name);
    strbuf_printf(label, "\\n%s · %zu function%s · %d lines", dot_kind_name(sv->kind),
                  sv->funcs.n, sv->funcs.n == 1 ? "" : "s", sv->loc);
    return n;
}

const char *const DOT_COMPONENT_NODE_ATTRS[] = {
    "shape", "box", "style", "rounded,filled", "fillcolor", DOT_SERVICE_FILL,
    "color", DOT_SERVICE_LINE, "penwidth", "1.5", "fontsize", "14", "label", "\\N",
    "tooltip", "", "id", "", NULL};

const dot_key DOT_KEY_SERVICE = {
    .fill = DOT_SERVICE_FILL,
    .meaning = "service: name; kind, functions, lines of code; entry points"};
const dot_key DOT_KEY_FUNCTION = {.fill = DOT_FUNCTION_FILL, .meaning = "serverless function"};
const dot_key DOT_KEY_LIBRARY = {
    .fill = DOT_LIBRARY_FILL, .meaning = "library component (linked into its users)"};
const dot_key DOT_KEY_PROGRAM = {
    .fill = DOT_PROGRAM_FILL, .meaning = "program (a file with main(): a tool, a test driver)"};

const char *dot_kind_name(unsigned kind) {
    return kind < PLAN_KIND_COUNT ? plan_kind_name(kind) : "component";
}

void dot_style_component(Agnode_t *n, unsigned kind) {
    int lib = kind == PLAN_LIBRARY, fn = kind == PLAN_FUNCTION, prog = kind == PLAN_PROGRAM;
    dot_set(n, "shape", lib ? "component" : prog ? "cds" : "box");
    dot_set(n, "style", lib || prog ? "filled" : "rounded,filled");
    dot_set(n, "fillcolor", lib    ? DOT_LIBRARY_FILL
                            : fn   ? DOT_FUNCTION_FILL
                            : prog ? DOT_PROGRAM_FILL
                                   : DOT_SERVICE_FILL);
    dot_set(n, "color", lib    ? DOT_LIBRARY_LINE
                        : fn   ? DOT_FUNCTION_LINE
                        : prog ? DOT_PROGRAM_LINE
                               : DOT_SERVICE_LINE);
}

void dot_tune(Agraph_t *root, size_t nodes) {
    if (nodes <= DOT_BIG_GRAPH) return;
    dot_set(root, "mclimit", "0.2");
    dot_set(root, "nslimit", "1");
}

void dot_rate_add(strbuf *b, double r) {
    if (r >= 100) strbuf_printf(b, "%.0f", r);
    else if (r >= 0.0001) strbuf_printf(b, "%.3g", r);
    else if (r > 0) strbuf_add(b, "<0.0001");
    else strbuf_add(b, "0");
}

int dot_penwidth(int sites) {
    int w = 1;
    for (int s = sites; s > 1 && w < 7; s /= 2) w++;
    return w;
}

/* One key as two cells: the swatch and its meaning. */
static void key_cells(strbuf *b, const dot_key *k) {
    strbuf_add(b, "<TD");
    if (k->fill) strbuf_printf(b, " BGCOLOR=\"%s\" BORDER=\"1\"", k->fill);
    if (k->fill && k->line) strbuf_printf(b, " COLOR=\"%s\"", k->line);
    strbuf_add(b, " WIDTH=\"48\">");
    if (k->sample && k->ink)
        strbuf_printf(b, "<FONT COLOR=\"%s\">%s</FONT>", k->ink, k->sample);
    else if (k->sample) strbuf_add(b, k->sample);
    strbuf_printf(b, "</TD><TD ALIGN=\"LEFT\">%s</TD>", k->meaning);
}

void dot_legend(Agraph_t *root, const dot_key *rows, size_t n) {
    dot_legend_columns(root, rows, n, 1);
}

void dot_legend_columns(Agraph_t *root, const dot_key *rows, size_t n, size_t columns) {
    strbuf b = {0};
    size_t per = (n + columns - 1) / columns; /* rows of the table */
    strbuf_printf(&b, "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"2\" CELLPADDING=\"3\">"
                      "<TR><TD COLSPAN=\"%zu\" ALIGN=\"LEFT\"><B>Legend</B></TD></TR>",
                  2 * columns);
    for (size_t r = 0; r < per; r++) {
        strbuf_add(&b, "<TR>");
        /* keys run down the first column, then the next */
        for (size_t c = 0; c < columns && r + c * per < n; c++) key_cells(&b, &rows[r + c * per]);
        strbuf_add(&b, "</TR>");
    }
    strbuf_add(&b, "</TABLE>");
    Agnode_t *legend = dot_node(root, "legend", "");
    dot_set(legend, "shape", "plaintext");
    dot_set(legend, "style", "solid"); /* no fill from the view's node defaults */
    dot_set(legend, "fontsize", "12");
    dot_set_html(legend, b.v);
    free(b.v);
}
