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

/* A call to or from a library component: linked in, drawn muted. */
static int library_edge(const view *v, const view_edge *e) {
    return v->nodes.v[e->from].kind == PLAN_LIBRARY || v->nodes.v[e->to].kind == PLAN_LIBRARY;
}

/* Index of group in the sorted, distinct names[0..n). */
static size_t group_index(const char *const *names, size_t n, const char *group) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(names[mid], group) < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* The clusters, in name order (nested by dot_cluster_home when there are
 * many); nodes without a group go to the root. */
static void add_nodes(Agraph_t *root, const view *v) {
    const char **groups = xmallocarray(v->nodes.n + 1, sizeof *groups);
    size_t ng = 0;
    for (size_t i = 0; i < v->nodes.n; i++)
        if (v->nodes.v[i].group) groups[ng++] = v->nodes.v[i].group;
    if (ng > 1) qsort(groups, ng, sizeof *groups, cmp_str);
    size_t distinct = 0;
    for (size_t i = 0; i < ng; i++)
        if (i == 0 || strcmp(groups[i], groups[distinct - 1]) != 0) groups[distinct++] = groups[i];
    /* the plan kind of the service each group stands for: its first node's */
    unsigned *kinds = xcalloc(distinct + 1, sizeof *kinds);
    unsigned char *seen = xcalloc(distinct + 1, 1);
    for (size_t i = 0; i < v->nodes.n; i++) {
        if (!v->nodes.v[i].group) continue;
        size_t k = group_index(groups, distinct, v->nodes.v[i].group);
        if (!seen[k]) kinds[k] = v->nodes.v[i].kind, seen[k] = 1;
    }
    Agraph_t **clusters = xmallocarray(distinct + 1, sizeof *clusters);
    int services = v->group_kind && strcmp(v->group_kind, "service") == 0;
    for (size_t i = 0; i < distinct; i++) {
        char *name = xasprintf("cluster_%s", groups[i]);
        Agraph_t *c = clusters[i] = dot_subgraph(dot_cluster_home(root, i, distinct), name);
        free(name);
        dot_set_text(c, "label", groups[i]);
        dot_set(c, "style", "rounded,filled");
        unsigned kind = services ? kinds[i] : PLAN_SERVICE;
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
    for (size_t i = 0; i < v->nodes.n; i++) {
        const view_node *vn = &v->nodes.v[i];
        Agraph_t *where = vn->group ? clusters[group_index(groups, distinct, vn->group)] : root;
        style_node(dot_node(where, KIND_PREFIX[v->level], vn->id), v, vn);
    }
    free(clusters);
    free(seen);
    free(kinds);
    free(groups);
}

/* The call sites edge e shows under o, or 0 when it is left out. */
static int shown_sites(const view_edge *e, const dot_options *o) {
    int sites = e->sites - (o->hide_may ? e->may_sites : 0);
    return sites > 0 && sites >= o->min_sites ? sites : 0;
}

static void add_edges(Agraph_t *root, const view *v, const dot_options *o) {
    const char *prefix = KIND_PREFIX[v->level];
    for (size_t i = 0; i < v->edges.n; i++) {
        const view_edge *e = &v->edges.v[i];
        int sites = shown_sites(e, o);
        if (!sites) continue;
        Agedge_t *x = dot_edge(root, dot_node(root, prefix, v->nodes.v[e->from].id),
                               dot_node(root, prefix, v->nodes.v[e->to].id));
        if (e->cross) {
            dot_set(x, "color", DOT_CROSS);
            dot_set(x, "fontcolor", DOT_CROSS);
        } else if (library_edge(v, e)) {
            dot_set(x, "color", DOT_MUTED);
        }
        if (e->indirect) dot_set(x, "style", "dashed");
        /* between services, the traffic model's rate, as the service view has it */
        int rated = v->rates && e->cross;
        strbuf b = {0};
        if (v->level != VIEW_FUNCTION) {
            strbuf_printf(&b, "%d", sites);
            if (rated) {
                strbuf_add(&b, "\\n");
                dot_rate_add(&b, e->rate);
                strbuf_add(&b, "/s");
            }
            dot_set(x, "label", b.v);
            dot_setf(x, "penwidth", "%d", dot_penwidth(sites));
        } else if (e->cross) {
            dot_set(x, "penwidth", "1.6");
        }
        b.n = 0;
        strbuf_printf(&b, "%d call site%s (%d call%s)", sites, sites == 1 ? "" : "s", e->calls,
                      e->calls == 1 ? "" : "s");
        if (rated) {
            strbuf_add(&b, "; about ");
            dot_rate_add(&b, e->rate);
            strbuf_add(&b, " calls/s under the traffic model");
        }
        dot_set(x, "tooltip", b.v);
        free(b.v);
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
        keys[nk++] = (dot_key){.sample = "12",
                               .meaning = v->rates && cross
                                              ? "label: call sites, width grows with them; calls "
                                                "per second (traffic model)"
                                              : "label: call sites; width grows with them"};
    if (indirect)
        keys[nk++] = (dot_key){.ink = "#000000",
                               .sample = "╌╌▶",
                               .meaning = "dashed: indirect call (through a pointer)"};
    dot_legend(root, keys, nk);
    free(group);
    free(across);
    free(inside);
}

char *dot_view_text(const view *v, const dot_options *o) {
    dot_options opt = {0};
    if (o) opt = *o;
    size_t may = 0, small = 0;
    for (size_t i = 0; i < v->edges.n; i++) {
        const view_edge *e = &v->edges.v[i];
        if (e->sites - (opt.hide_may ? e->may_sites : 0) <= 0) may++;
        else if (!shown_sites(e, &opt)) small++;
    }
    dot_doc *d = dot_doc_new("callgraph");
    Agraph_t *root = dot_doc_graph(d);
    dot_declare(root, AGRAPH, GRAPH_ATTRS);
    dot_declare(root, AGNODE, NODE_ATTRS);
    dot_declare(root, AGEDGE, EDGE_ATTRS);
    if (v->level != VIEW_FUNCTION) dot_set(root, "rankdir", "TB");
    strbuf t = {0};
    dot_text_add(&t, v->title);
    if (may || small) {
        strbuf_add(&t, "\\n");
        if (may) strbuf_printf(&t, "%zu may-call edge%s", may, may == 1 ? "" : "s");
        if (small)
            strbuf_printf(&t, "%s%zu edge%s under %d call sites", may ? " and " : "", small,
                          small == 1 ? "" : "s", opt.min_sites);
        strbuf_add(&t, " hidden");
    }
    dot_set(root, "label", t.v);
    free(t.v);
    dot_tune(root, v->nodes.n);
    add_nodes(root, v);
    add_edges(root, v, &opt);
    add_legend(root, v);
    return dot_doc_finish(d);
}
