/*
 * dot_view.c - draws a view (reports/view.h) for `cleave graph`: one
 * cluster per group (service, file or directory) in name order, nodes in
 * id order, edges in the view's order.  The focus is filled orange, entry
 * points amber; calls crossing groups are blue, calls inside a group grey,
 * indirect calls dashed; collapsed edges are labelled with their call
 * sites and grow with them.
 */
#include "reports/dot.h"
#include "reports/dot_cgraph.h"

#include <stdlib.h>
#include <string.h>

static const char *const GRAPH_ATTRS[] = {
    "label", "", "labelloc", "t", "fontsize", "14", "rankdir", "LR", "nodesep", "0.2",
    "ranksep", "0.7", "style", "", "fillcolor", "", "color", "", NULL};
static const char *const NODE_ATTRS[] = {
    "shape", "box", "style", "rounded,filled", "fillcolor", "white", "color", "#555555",
    "penwidth", "1", "fontsize", "10", "label", "\\N", "tooltip", "", NULL};
static const char *const EDGE_ATTRS[] = {
    "color", DOT_INTERNAL, "fontcolor", "#555555", "fontsize", "9", "penwidth", "1",
    "style", "solid", "arrowsize", "0.7", "label", "", "tooltip", "", NULL};

static const char *const KIND_PREFIX[] = {"function", "file", "dir", "service"};

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void style_node(Agnode_t *n, const view *v, const view_node *vn) {
    strbuf b = {0};
    dot_text_add(&b, vn->label);
    if (v->level != VIEW_FUNCTION) {
        strbuf_add(&b, "\\n");
        dot_text_add(&b, vn->detail);
    }
    dot_set(n, "label", b.v);
    b.n = 0;
    dot_text_add(&b, vn->id);
    strbuf_add(&b, ": ");
    dot_text_add(&b, vn->detail);
    if (vn->distance > 0)
        strbuf_printf(&b, "; %d call%s from the focus", vn->distance, vn->distance == 1 ? "" : "s");
    dot_set(n, "tooltip", b.v);
    free(b.v);
    if (v->level == VIEW_SERVICE) dot_style_component(n, vn->kind);
    if (vn->entry) {
        dot_set(n, "fillcolor", DOT_ENTRY_FILL);
        dot_set(n, "penwidth", "2");
    }
    if (vn->distance == 0) {
        /* an entry point in the focus keeps its fill: a whole service can
         * be the focus */
        if (!vn->entry && v->level != VIEW_SERVICE) dot_set(n, "fillcolor", DOT_FOCUS_FILL);
        dot_set(n, "color", DOT_FOCUS_LINE);
        dot_set(n, "penwidth", "3");
    }
}

/* The plan kind of the service a group stands for. */
static unsigned group_kind(const view *v, const char *group) {
    for (size_t i = 0; i < v->nodes.n; i++)
        if (v->nodes.v[i].group && strcmp(v->nodes.v[i].group, group) == 0)
            return v->nodes.v[i].kind;
    return PLAN_SERVICE;
}

/* A call to or from a library component: linked in, drawn muted. */
static int library_edge(const view *v, const view_edge *e) {
    return v->nodes.v[e->from].kind == PLAN_LIBRARY || v->nodes.v[e->to].kind == PLAN_LIBRARY;
}

/* The clusters, in name order; nodes without a group go to the root. */
static void add_nodes(Agraph_t *root, const view *v) {
    const char **groups = xmallocarray(v->nodes.n + 1, sizeof *groups);
    size_t ng = 0;
    for (size_t i = 0; i < v->nodes.n; i++)
        if (v->nodes.v[i].group) groups[ng++] = v->nodes.v[i].group;
    if (ng > 1) qsort(groups, ng, sizeof *groups, cmp_str);
    int services = v->group_kind && strcmp(v->group_kind, "service") == 0;
    for (size_t i = 0; i < ng; i++) {
        if (i > 0 && strcmp(groups[i], groups[i - 1]) == 0) continue;
        char *name = xasprintf("cluster_%s", groups[i]);
        Agraph_t *c = dot_subgraph(root, name);
        free(name);
        dot_set_text(c, "label", groups[i]);
        dot_set(c, "style", "rounded,filled");
        unsigned kind = services ? group_kind(v, groups[i]) : PLAN_SERVICE;
        dot_set(c, "fillcolor", !services               ? "#f4f4f4"
                                : kind == PLAN_LIBRARY  ? DOT_LIBRARY_FILL
                                : kind == PLAN_FUNCTION ? DOT_FUNCTION_FILL
                                : kind == PLAN_PROGRAM  ? DOT_PROGRAM_FILL
                                                        : DOT_SERVICE_FILL);
        dot_set(c, "color", !services               ? "#bbbbbb"
                            : kind == PLAN_LIBRARY  ? DOT_LIBRARY_LINE
                            : kind == PLAN_FUNCTION ? DOT_FUNCTION_LINE
                            : kind == PLAN_PROGRAM  ? DOT_PROGRAM_LINE
                                                    : DOT_SERVICE_LINE);
    }
    free(groups);
    for (size_t i = 0; i < v->nodes.n; i++) {
        const view_node *vn = &v->nodes.v[i];
        Agraph_t *where = root;
        if (vn->group) {
            char *name = xasprintf("cluster_%s", vn->group);
            where = dot_subgraph(root, name);
            free(name);
        }
        style_node(dot_node(where, KIND_PREFIX[v->level], vn->id), v, vn);
    }
}

static void add_edges(Agraph_t *root, const view *v) {
    const char *prefix = KIND_PREFIX[v->level];
    for (size_t i = 0; i < v->edges.n; i++) {
        const view_edge *e = &v->edges.v[i];
        Agedge_t *x = dot_edge(root, dot_node(root, prefix, v->nodes.v[e->from].id),
                               dot_node(root, prefix, v->nodes.v[e->to].id));
        if (e->cross) {
            dot_set(x, "color", DOT_CROSS);
            dot_set(x, "fontcolor", DOT_CROSS);
        } else if (library_edge(v, e)) {
            dot_set(x, "color", DOT_MUTED);
        }
        if (e->indirect) dot_set(x, "style", "dashed");
        if (v->level != VIEW_FUNCTION) {
            dot_setf(x, "label", "%d", e->sites);
            dot_setf(x, "penwidth", "%d", dot_penwidth(e->sites));
        } else if (e->cross) {
            dot_set(x, "penwidth", "1.6");
        }
        dot_setf(x, "tooltip", "%d call site%s (%d call%s)", e->sites, e->sites == 1 ? "" : "s",
                 e->calls, e->calls == 1 ? "" : "s");
    }
}

/* "call between files", "... directories" */
static char *plural(const char *prefix, const char *kind) {
    size_t n = strlen(kind);
    if (n > 0 && kind[n - 1] == 'y') return xasprintf("%s%.*sies", prefix, (int)(n - 1), kind);
    return xasprintf("%s%ss", prefix, kind);
}

static void add_legend(Agraph_t *root, const view *v) {
    int focus = 0, entry = 0, indirect = 0, cross = 0, library = 0;
    int kinds[PLAN_KIND_COUNT] = {0};
    int services = v->group_kind && strcmp(v->group_kind, "service") == 0;
    for (size_t i = 0; i < v->nodes.n; i++) {
        focus |= v->nodes.v[i].distance == 0;
        entry |= (int)v->nodes.v[i].entry;
        if (v->level == VIEW_SERVICE || (services && v->nodes.v[i].group))
            kinds[v->nodes.v[i].kind] = 1;
    }
    for (size_t i = 0; i < v->edges.n; i++) {
        indirect |= (int)v->edges.v[i].indirect;
        cross |= (int)v->edges.v[i].cross;
        library |= library_edge(v, &v->edges.v[i]);
    }
    char *group = v->group_kind ? xasprintf("cluster: one %s", v->group_kind) : NULL;
    char *across = v->group_kind ? plural("call between ", v->group_kind) : NULL;
    char *inside = v->group_kind ? xasprintf("call inside one %s", v->group_kind) : NULL;
    dot_key keys[12];
    size_t nk = 0;
    if (group && !services) keys[nk++] = (dot_key){.fill = "#f4f4f4", .meaning = group};
    if (group && services && kinds[PLAN_SERVICE])
        keys[nk++] = (dot_key){.fill = DOT_SERVICE_FILL, .meaning = group};
    if (v->level == VIEW_SERVICE && kinds[PLAN_SERVICE]) keys[nk++] = DOT_KEY_SERVICE;
    if (kinds[PLAN_FUNCTION]) keys[nk++] = DOT_KEY_FUNCTION;
    if (kinds[PLAN_LIBRARY]) keys[nk++] = DOT_KEY_LIBRARY;
    if (kinds[PLAN_PROGRAM]) keys[nk++] = DOT_KEY_PROGRAM;
    if (focus)
        keys[nk++] = (dot_key){.fill = DOT_FOCUS_FILL, .line = DOT_FOCUS_LINE,
                               .meaning = "the focus (orange outline)"};
    if (entry)
        keys[nk++] = (dot_key){.fill = DOT_ENTRY_FILL, .meaning = "entry point of its service"};
    if (v->level == VIEW_SERVICE) {
        if (cross)
            keys[nk++] = (dot_key){
                .ink = DOT_CROSS, .sample = "──▶", .meaning = "interface: calls between services"};
    } else if (across) {
        if (cross) keys[nk++] = (dot_key){.ink = DOT_CROSS, .sample = "──▶", .meaning = across};
        keys[nk++] = (dot_key){.ink = DOT_INTERNAL, .sample = "──▶", .meaning = inside};
    } else {
        keys[nk++] = (dot_key){.ink = DOT_INTERNAL, .sample = "──▶", .meaning = "call"};
    }
    if (library)
        keys[nk++] =
            (dot_key){.ink = DOT_MUTED, .sample = "──▶", .meaning = "call to or from a library"};
    if (v->level != VIEW_FUNCTION)
        keys[nk++] =
            (dot_key){.sample = "12", .meaning = "label: call sites; width grows with them"};
    if (indirect)
        keys[nk++] = (dot_key){.ink = "#000000",
                               .sample = "╌╌▶",
                               .meaning = "dashed: indirect call (through a pointer)"};
    dot_legend(root, keys, nk);
    free(group);
    free(across);
    free(inside);
}

char *dot_view_text(const view *v) {
    dot_doc *d = dot_doc_new("callgraph");
    Agraph_t *root = dot_doc_graph(d);
    dot_declare(root, AGRAPH, GRAPH_ATTRS);
    dot_declare(root, AGNODE, NODE_ATTRS);
    dot_declare(root, AGEDGE, EDGE_ATTRS);
    if (v->level != VIEW_FUNCTION) dot_set(root, "rankdir", "TB");
    dot_set_text(root, "label", v->title);
    dot_tune(root, v->nodes.n);
    add_nodes(root, v);
    add_edges(root, v);
    add_legend(root, v);
    return dot_doc_finish(d);
}
