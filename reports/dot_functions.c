/*
 * dot_functions.c - the function-level view of a plan: a cluster per
 * service or serverless function holding its functions, entry points
 * filled in amber, calls between services in blue and within one in grey,
 * indirect ("may") calls dashed.  To stay readable on real programs,
 * external functions (libc, other libraries) are left out, and each
 * library component is one node without edges: the calls into it would
 * bind every service to it (the service view shows who uses it).
 *
 * Order: clusters in plan order, functions by graph index inside them,
 * unassigned functions, library nodes, then edges in graph order.
 */
#include "reports/dot.h"
#include "reports/dot_cgraph.h"

#include <stdlib.h>
#include <string.h>

/* Drawn as a node of its own: a defined function outside the library layer. */
static int drawn(const plan *p, size_t f) {
    size_t s = p->assign[f];
    return p->g->funcs.v[f].defined && (s == PLAN_NONE || p->services.v[s].kind != PLAN_LIBRARY);
}

size_t dot_functions_count(const plan *p) {
    size_t n = 0;
    for (size_t f = 0; f < p->g->funcs.n; f++) n += (size_t)drawn(p, f);
    return n;
}

size_t dot_functions_calls(const plan *p) {
    size_t n = 0;
    for (size_t i = 0; i < p->g->calls.n; i++)
        n += (size_t)(drawn(p, p->g->calls.v[i].from) && drawn(p, p->g->calls.v[i].to));
    return n;
}

static const char *const GRAPH_ATTRS[] = {
    "label", "", "labelloc", "t", "fontsize", "16", "rankdir", "LR", "nodesep", "0.15",
    "ranksep", "0.6", "style", "", "fillcolor", "", "color", "", NULL};
static const char *const NODE_ATTRS[] = {
    "shape", "box", "style", "rounded,filled", "fillcolor", "white", "color", "#555555",
    "penwidth", "1", "fontsize", "10", "height", "0.3", "label", "\\N", "tooltip", "", NULL};
static const char *const EDGE_ATTRS[] = {
    "color", DOT_INTERNAL_EDGE, "penwidth", "1", "style", "solid", "arrowsize", "0.6",
    "tooltip", "", NULL};

static Agnode_t *function_node(Agraph_t *g, const gfunc *fn) {
    return dot_node(g, "function", fn->id);
}

static Agnode_t *library_node(Agraph_t *g, const plan_service *sv) {
    return dot_node(g, "library", sv->name);
}

static void add_function(Agraph_t *g, const plan *p, size_t f, int entry) {
    const gfunc *fn = &p->g->funcs.v[f];
    Agnode_t *n = function_node(g, fn);
    dot_set_text(n, "label", fn->name);
    char *tip = xasprintf("%s (%s:%d, %d lines)%s", fn->id, fn->file ? fn->file : "?", fn->line,
                          fn->loc, entry ? ", entry point" : "");
    dot_set_text(n, "tooltip", tip);
    free(tip);
    if (entry) {
        dot_set(n, "fillcolor", DOT_ENTRY_FILL);
        dot_set(n, "penwidth", "2");
    }
}

/* A service cluster, in home (dot_cluster_home); when its functions come
 * from several files, a cluster per file inside it (in file order), so a
 * big service still shows its parts. */
static void add_cluster(Agraph_t *home, const plan *p, size_t s) {
    const graph *g = p->g;
    const plan_service *sv = &p->services.v[s];
    char *name = xasprintf("cluster_%s", sv->name);
    Agraph_t *c = dot_subgraph(home, name);
    free(name);
    strbuf b = {0};
    dot_text_add(&b, sv->name);
    strbuf_printf(&b, " (%s, %zu functions, %d lines)", dot_kind_name(sv->kind), sv->funcs.n,
                  sv->loc);
    dot_set(c, "label", b.v);
    free(b.v);
    dot_set(c, "style", "rounded,filled");
    dot_set(c, "fillcolor", sv->kind == PLAN_FUNCTION  ? DOT_FUNCTION_FILL
                            : sv->kind == PLAN_PROGRAM ? DOT_PROGRAM_FILL
                                                       : DOT_SERVICE_FILL);
    dot_set(c, "color", sv->kind == PLAN_FUNCTION  ? DOT_FUNCTION_LINE
                        : sv->kind == PLAN_PROGRAM ? DOT_PROGRAM_LINE
                                                   : DOT_SERVICE_LINE);
    dot_set(c, "fontsize", "16");
    strvec files = {0};
    for (size_t i = 0; i < sv->funcs.n; i++) {
        const gfunc *fn = &g->funcs.v[sv->funcs.v[i]];
        if (fn->defined && fn->file && !strvec_contains(&files, fn->file))
            strvec_push(&files, fn->file);
    }
    strvec_sort(&files);
    for (size_t i = 0; files.n > 1 && i < files.n; i++) {
        char *sub = xasprintf("cluster_%s/%s", sv->name, files.v[i]);
        Agraph_t *fc = dot_subgraph(c, sub);
        free(sub);
        dot_set_text(fc, "label", files.v[i]);
        dot_set(fc, "style", "rounded,filled");
        dot_set(fc, "fillcolor", DOT_FILE_FILL);
        dot_set(fc, "fontsize", "11");
    }
    size_t e = 0; /* entry points and funcs are both sorted */
    for (size_t i = 0; i < sv->funcs.n; i++) {
        size_t f = sv->funcs.v[i];
        const gfunc *fn = &g->funcs.v[f];
        while (e < sv->entry_points.n && sv->entry_points.v[e] < f) e++;
        if (!fn->defined) continue;
        Agraph_t *where = c;
        if (files.n > 1 && fn->file) {
            char *sub = xasprintf("cluster_%s/%s", sv->name, fn->file);
            where = dot_subgraph(c, sub);
            free(sub);
        }
        add_function(where, p, f, e < sv->entry_points.n && sv->entry_points.v[e] == f);
    }
    strvec_free(&files);
}

/* The calls between drawn functions, in the graph's (caller, callee,
 * kind) order: one edge each.  Returns how many. */
static size_t add_edges(Agraph_t *root, const plan *p) {
    const graph *g = p->g;
    size_t n = 0;
    for (size_t i = 0; i < g->calls.n; i++) {
        const gcall *c = &g->calls.v[i];
        if (!drawn(p, c->from) || !drawn(p, c->to)) continue;
        Agedge_t *x = dot_edge(root, function_node(root, &g->funcs.v[c->from]),
                               function_node(root, &g->funcs.v[c->to]));
        if (p->assign[c->from] != p->assign[c->to]) {
            dot_set(x, "color", DOT_CROSS);
            dot_set(x, "penwidth", "1.6");
        }
        if (c->indirect) dot_set(x, "style", "dashed");
        n++;
    }
    return n;
}

char *dot_functions_text(const plan *p) {
    const graph *g = p->g;
    dot_doc *d = dot_doc_new("functions");
    Agraph_t *root = dot_doc_graph(d);
    dot_declare(root, AGRAPH, GRAPH_ATTRS);
    dot_declare(root, AGNODE, NODE_ATTRS);
    dot_declare(root, AGEDGE, EDGE_ATTRS);

    size_t libs = 0, groups = 0, external = 0;
    for (size_t s = 0; s < p->services.n; s++) {
        if (p->services.v[s].kind == PLAN_LIBRARY) libs++;
        else groups++;
    }
    for (size_t f = 0; f < g->funcs.n; f++) external += !g->funcs.v[f].defined;
    strbuf t = {0};
    strbuf_add(&t, "Functions of ");
    dot_text_add(&t, g->root ? g->root : "the program");
    strbuf_printf(&t, " by component: %zu functions in %zu clusters", dot_functions_count(p),
                  groups);
    if (libs)
        strbuf_printf(&t, "; %zu librar%s drawn as one node each", libs, libs == 1 ? "y" : "ies");
    if (external) strbuf_printf(&t, "; %zu external functions not drawn", external);
    dot_set(root, "label", t.v);
    free(t.v);

    for (size_t s = 0, i = 0; s < p->services.n; s++)
        if (p->services.v[s].kind != PLAN_LIBRARY)
            add_cluster(dot_cluster_home(root, i++, groups), p, s);
    for (size_t f = 0; f < g->funcs.n; f++)
        if (g->funcs.v[f].defined && p->assign[f] == PLAN_NONE) add_function(root, p, f, 0);
    for (size_t s = 0; s < p->services.n; s++) {
        const plan_service *sv = &p->services.v[s];
        if (sv->kind != PLAN_LIBRARY) continue;
        Agnode_t *n = library_node(root, sv);
        dot_style_component(n, PLAN_LIBRARY);
        strbuf b = {0};
        dot_text_add(&b, sv->name);
        strbuf_printf(&b, "\\nlibrary · %zu functions · %d lines", sv->funcs.n, sv->loc);
        dot_set(n, "label", b.v);
        free(b.v);
        dot_set(n, "fontsize", "12");
    }
    /* 300 functions with 1,100 calls between 13 clusters: over 5 minutes
     * untuned, 8 s tuned */
    dot_tune(root, dot_functions_count(p) + add_edges(root, p));

    dot_key keys[8];
    size_t nk = 0;
    keys[nk++] = (dot_key){.fill = DOT_SERVICE_FILL, .line = DOT_SERVICE_LINE,
                           .meaning = "service: a cluster of its functions"};
    keys[nk++] = (dot_key){.fill = DOT_FILE_FILL, .meaning = "a file of a service made of several"};
    keys[nk++] = (dot_key){.fill = DOT_ENTRY_FILL,
                           .meaning = "entry point (called from another service, or a trigger)"};
    if (libs) keys[nk++] = DOT_KEY_LIBRARY;
    keys[nk++] = (dot_key){.ink = DOT_CROSS, .sample = "──▶", .meaning = "call between services"};
    keys[nk++] =
        (dot_key){.ink = DOT_INTERNAL, .sample = "──▶", .meaning = "call inside a service"};
    keys[nk++] = (dot_key){
        .ink = "#000000", .sample = "╌╌▶", .meaning = "dashed: indirect call (through a pointer)"};
    dot_legend(root, keys, nk);
    return dot_doc_finish(d);
}
