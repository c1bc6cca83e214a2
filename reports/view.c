/*
 * view.c - builds a view (view.h): picks the functions to show (all
 * defined ones, or those within `depth` calls of the focus, walking calls
 * in both directions but never through an external function), maps each to
 * a node key at the level asked (function id, file, directory, service),
 * then merges nodes and call edges per key.
 *
 * Determinism: nodes are sorted by id and edges by (from, to, indirect)
 * before anything is returned; nothing is emitted in hash-map order.
 */
#include "reports/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/traffic.h"
#include "reports/lookup.h"
#include "util/common.h"
#include "util/strmap.h"

static const char *const LEVEL_NAMES[] = {"function", "file", "dir", "service"};

char *view_project_name(const graph *g) {
    if (!g->root || !*g->root) return xstrdup("the program");
    char *abs = path_absolute(g->root);
    const char *base = path_basename(abs);
    char *name = xstrdup(*base ? base : abs);
    free(abs);
    return name;
}

int view_level_parse(const char *s, unsigned *level) {
    for (unsigned i = 0; i < sizeof LEVEL_NAMES / sizeof LEVEL_NAMES[0]; i++)
        if (strcmp(s, LEVEL_NAMES[i]) == 0) {
            *level = i;
            return 0;
        }
    return -1;
}

void view_free(view *v) {
    if (!v) return;
    for (size_t i = 0; i < v->nodes.n; i++) {
        view_node *n = &v->nodes.v[i];
        free(n->id);
        free(n->label);
        free(n->detail);
        free(n->group);
    }
    free(v->nodes.v);
    free(v->edges.v);
    free(v->title);
    free(v->focus_note);
    free(v);
}

/* ---- which functions ---------------------------------------------------- */

/* Undirected adjacency over the call edges, in compressed rows. */
typedef struct adjacency {
    size_t *start; /* funcs.n + 1 offsets into to */
    size_t *to;
} adjacency;

static void adjacency_build(const graph *g, adjacency *a) {
    size_t n = g->funcs.n;
    a->start = xcalloc(n + 1, sizeof *a->start);
    a->to = xmallocarray(2 * g->calls.n + 1, sizeof *a->to);
    for (size_t i = 0; i < g->calls.n; i++) {
        a->start[g->calls.v[i].from + 1]++;
        a->start[g->calls.v[i].to + 1]++;
    }
    for (size_t i = 0; i < n; i++) a->start[i + 1] += a->start[i];
    size_t *fill = xmallocarray(n + 1, sizeof *fill);
    memcpy(fill, a->start, (n + 1) * sizeof *fill);
    for (size_t i = 0; i < g->calls.n; i++) {
        const gcall *c = &g->calls.v[i];
        a->to[fill[c->from]++] = c->to;
        a->to[fill[c->to]++] = c->from;
    }
    free(fill);
}

/*
 * Marks the functions the focus names (lookup.h) with distance 0 in dist
 * (others keep -1).  Returns 0 with l filled (the caller frees it with
 * lookup_free), or -1 with *err.
 */
static int focus_start(const graph *g, const plan *p, const char *focus, int *dist, lookup *l,
                       char **err) {
    unsigned kinds = LOOKUP_BIT(LOOKUP_FUNCTION) | LOOKUP_BIT(LOOKUP_SERVICE) |
                     LOOKUP_BIT(LOOKUP_FILE) | LOOKUP_BIT(LOOKUP_DIR) | LOOKUP_BIT(LOOKUP_EXTERNAL);
    char *where = xasprintf(" in %s", g->root ? g->root : "the graph");
    int rc = lookup_name(g, p, focus, kinds, where, l, err);
    free(where);
    if (rc != 0) return -1;
    if (l->items.n == 0) {
        *err = xasprintf("%s %s has no functions to draw", lookup_kind_name(l->kind), l->name);
        lookup_free(l);
        return -1;
    }
    for (size_t i = 0; i < l->items.n; i++) dist[l->items.v[i]] = 0;
    return 0;
}

/* Breadth-first from the distance-0 functions, up to depth, through
 * defined functions only: an external such as malloc would join everything
 * that allocates. */
static void walk(const graph *g, int depth, int *dist) {
    adjacency a;
    adjacency_build(g, &a);
    size_t *queue = xmallocarray(g->funcs.n + 1, sizeof *queue);
    size_t head = 0, tail = 0;
    for (size_t i = 0; i < g->funcs.n; i++)
        if (dist[i] == 0) queue[tail++] = i;
    while (head < tail) {
        size_t f = queue[head++];
        if (dist[f] >= depth) continue;
        for (size_t k = a.start[f]; k < a.start[f + 1]; k++) {
            size_t t = a.to[k];
            if (dist[t] >= 0 || !g->funcs.v[t].defined) continue;
            dist[t] = dist[f] + 1;
            queue[tail++] = t;
        }
    }
    free(queue);
    free(a.start);
    free(a.to);
}

/* ---- node keys ---------------------------------------------------------- */

/* Everything a function contributes to its node, by level. */
typedef struct fkey {
    char *id, *label, *group;
    unsigned kind;
} fkey;

static int contains(const idxvec *v, size_t x) {
    size_t lo = 0, hi = v->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v->v[mid] == x) return 1;
        if (v->v[mid] < x) lo = mid + 1;
        else hi = mid;
    }
    return 0;
}

static char *dir_of(const char *file) {
    return path_dirname(file);
}

/* The service owning a file by the plan's file lists, or PLAN_NONE. */
static size_t file_service(const plan *p, const strmap *owner, const char *file) {
    size_t s;
    return p && strmap_get(owner, file, &s) ? s : PLAN_NONE;
}

/* Fills k for function f; returns -1 when f has no node at this level. */
static int key_of(const graph *g, const plan *p, const strmap *owner, unsigned level, size_t f,
                  fkey *k) {
    const gfunc *fn = &g->funcs.v[f];
    size_t s = p ? p->assign[f] : PLAN_NONE;
    const char *file = fn->file ? fn->file : "(no file)";
    memset(k, 0, sizeof *k);
    switch (level) {
    case VIEW_FUNCTION:
        k->id = xstrdup(fn->id);
        k->label = xstrdup(fn->name);
        if (s != PLAN_NONE) {
            k->group = xstrdup(p->services.v[s].name);
            k->kind = p->services.v[s].kind;
        } else if (!p && fn->defined) {
            k->group = xstrdup(file);
        }
        return 0;
    case VIEW_FILE: {
        k->id = xstrdup(file);
        size_t svc = file_service(p, owner, file);
        char *dir = dir_of(file);
        if (svc != PLAN_NONE) {
            k->group = xstrdup(p->services.v[svc].name);
            k->kind = p->services.v[svc].kind;
        } else if (!p && strcmp(dir, ".") != 0) {
            k->group = xstrdup(dir);
        }
        /* inside a directory cluster the base name is enough */
        k->label = xstrdup(k->group && svc == PLAN_NONE ? path_basename(file) : file);
        free(dir);
        return 0;
    }
    case VIEW_DIR:
        k->id = dir_of(file);
        k->label = xstrdup(k->id);
        return 0;
    default:
        if (s == PLAN_NONE) return -1;
        k->id = xstrdup(p->services.v[s].name);
        k->label = xstrdup(k->id);
        k->kind = p->services.v[s].kind;
        return 0;
    }
}

static int cmp_node(const void *a, const void *b) {
    return strcmp(((const view_node *)a)->id, ((const view_node *)b)->id);
}

static int cmp_edge(const void *a, const void *b) {
    const view_edge *x = a, *y = b;
    if (x->from != y->from) return x->from < y->from ? -1 : 1;
    if (x->to != y->to) return x->to < y->to ? -1 : 1;
    return (int)x->indirect - (int)y->indirect;
}

static int same_group(const char *a, const char *b) {
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Merges the shown functions into nodes; node_of[f] receives f's node
 * index (SIZE_MAX when f is not shown). */
static void make_nodes(view *v, const graph *g, const plan *p, unsigned level, const int *dist,
                       const unsigned char *shown, size_t *node_of) {
    strmap *owner = strmap_new();
    for (size_t s = 0; p && s < p->services.n; s++)
        for (size_t i = 0; i < p->services.v[s].files.n; i++)
            strmap_put(owner, p->services.v[s].files.v[i], s);
    strmap *index = strmap_new();
    size_t *raw = xmallocarray(g->funcs.n + 1, sizeof *raw);
    for (size_t f = 0; f < g->funcs.n; f++) {
        raw[f] = (size_t)-1;
        fkey k;
        if (!shown[f]) continue;
        if (key_of(g, p, owner, level, f, &k) != 0) continue;
        int added;
        size_t i = strmap_intern(index, k.id, v->nodes.n, &added);
        if (added) {
            view_node n = {0};
            n.id = k.id;
            n.label = k.label;
            n.group = k.group;
            n.kind = k.kind;
            n.distance = dist[f];
            VEC_PUSH(v->nodes, n);
        } else {
            free(k.id);
            free(k.label);
            free(k.group);
        }
        view_node *n = &v->nodes.v[i];
        const gfunc *fn = &g->funcs.v[f];
        n->funcs++;
        n->loc += fn->loc;
        if (dist[f] >= 0 && (n->distance < 0 || dist[f] < n->distance)) n->distance = dist[f];
        if (level == VIEW_FUNCTION) {
            if (p && p->assign[f] != PLAN_NONE)
                n->entry = contains(&p->services.v[p->assign[f]].entry_points, f);
            n->detail = fn->defined ? xasprintf("%s:%d, %d lines", fn->file ? fn->file : "?",
                                                fn->line, fn->loc)
                                    : xstrdup("external");
        }
        raw[f] = i;
    }
    if (level != VIEW_FUNCTION) {
        for (size_t i = 0; i < v->nodes.n; i++) {
            view_node *n = &v->nodes.v[i];
            n->detail = xasprintf(
                "%s%s%d function%s, %d lines", level == VIEW_SERVICE ? plan_kind_name(n->kind) : "",
                level == VIEW_SERVICE ? ", " : "", n->funcs, n->funcs == 1 ? "" : "s", n->loc);
        }
    }
    /* sort by id and translate the indexes (index still maps each id to
     * its place before sorting) */
    size_t *order = xmallocarray(v->nodes.n + 1, sizeof *order);
    if (v->nodes.n > 1) qsort(v->nodes.v, v->nodes.n, sizeof *v->nodes.v, cmp_node);
    for (size_t i = 0; i < v->nodes.n; i++) {
        size_t old;
        strmap_get(index, v->nodes.v[i].id, &old);
        order[old] = i;
    }
    for (size_t f = 0; f < g->funcs.n; f++)
        node_of[f] = raw[f] == (size_t)-1 ? (size_t)-1 : order[raw[f]];
    free(order);
    free(raw);
    strmap_free(index);
    strmap_free(owner);
}

/* The view's edges: the calls between shown functions, merged per pair of
 * nodes; flow (may be NULL) gives each call's calls per second, summed
 * over the remote calls (plan_remote_call) of an edge between services. */
static void make_edges(view *v, const graph *g, const plan *p, unsigned level,
                       const size_t *node_of, const double *flow) {
    for (size_t i = 0; i < g->calls.n; i++) {
        const gcall *c = &g->calls.v[i];
        size_t a = node_of[c->from], b = node_of[c->to];
        if (a == (size_t)-1 || b == (size_t)-1) continue;
        if (a == b && level != VIEW_FUNCTION) continue; /* inside one file, dir, service */
        view_edge e = {0};
        e.from = a;
        e.to = b;
        e.indirect = c->indirect ? 1 : 0;
        e.calls = 1;
        e.sites = c->sites;
        e.may_sites = c->evidence == EV_TYPE ? c->sites : 0;
        /* calls into a library are linked in, not remote: never "cross" */
        int lib = v->nodes.v[a].kind == PLAN_LIBRARY || v->nodes.v[b].kind == PLAN_LIBRARY;
        if (level == VIEW_SERVICE) e.cross = !lib;
        else if (level != VIEW_DIR)
            e.cross = !lib && !same_group(v->nodes.v[a].group, v->nodes.v[b].group);
        if (level == VIEW_SERVICE && flow && !lib &&
            plan_remote_call(p, p->assign[c->from], p->assign[c->to], c))
            e.rate = flow[i];
        VEC_PUSH(v->edges, e);
    }
    if (v->edges.n > 1) qsort(v->edges.v, v->edges.n, sizeof *v->edges.v, cmp_edge);
    size_t o = 0;
    for (size_t i = 0; i < v->edges.n; i++) {
        view_edge *e = &v->edges.v[i];
        if (o > 0 && cmp_edge(&v->edges.v[o - 1], e) == 0) {
            v->edges.v[o - 1].calls += e->calls;
            v->edges.v[o - 1].sites += e->sites;
            v->edges.v[o - 1].may_sites += e->may_sites;
            v->edges.v[o - 1].rate += e->rate;
        } else {
            v->edges.v[o++] = *e;
        }
    }
    v->edges.n = o;
}

int view_build(const graph *g, const plan *p, const view_options *o, view **out, char **err) {
    *out = NULL;
    if (o->level == VIEW_SERVICE && !p) {
        *err = xstrdup("the service level needs a plan (--plan)");
        return -1;
    }
    int *dist = xmallocarray(g->funcs.n + 1, sizeof *dist);
    unsigned char *shown = xcalloc(g->funcs.n + 1, 1);
    for (size_t f = 0; f < g->funcs.n; f++) dist[f] = -1;
    lookup l = {0};
    l.kind = -1;
    if (o->focus) {
        if (focus_start(g, p, o->focus, dist, &l, err) != 0) {
            free(shown);
            free(dist);
            return -1;
        }
        walk(g, o->depth, dist);
        /* an external function is shown only when it is the focus */
        for (size_t f = 0; f < g->funcs.n; f++) shown[f] = dist[f] >= 0;
    } else {
        for (size_t f = 0; f < g->funcs.n; f++) shown[f] = (unsigned char)g->funcs.v[f].defined;
    }
    view *v = xcalloc(1, sizeof *v);
    v->level = o->level;
    if (o->level == VIEW_FUNCTION) v->group_kind = p ? "service" : "file";
    else if (o->level == VIEW_FILE) v->group_kind = p ? "service" : "directory";
    size_t *node_of = xmallocarray(g->funcs.n + 1, sizeof *node_of);
    make_nodes(v, g, p, o->level, dist, shown, node_of);
    /* at the service level, a plan's rates as its service view gives them */
    double *flow = o->level == VIEW_SERVICE ? traffic_call_rates(p) : NULL;
    v->rates = flow != NULL;
    make_edges(v, g, p, o->level, node_of, flow);
    free(flow);
    /* external functions the shown ones call, not drawn */
    unsigned char *seen = xcalloc(g->funcs.n + 1, 1);
    for (size_t i = 0; i < g->calls.n; i++) {
        const gcall *c = &g->calls.v[i];
        if (node_of[c->from] != (size_t)-1 && node_of[c->to] == (size_t)-1 &&
            !g->funcs.v[c->to].defined && !seen[c->to]) {
            seen[c->to] = 1;
            v->hidden_external++;
        }
    }
    free(seen);
    strbuf t = {0};
    char *name = view_project_name(g);
    strbuf_printf(&t, "%s: call graph", name);
    free(name);
    if (o->level != VIEW_FUNCTION)
        strbuf_printf(&t, " by %s", o->level == VIEW_DIR ? "directory" : LEVEL_NAMES[o->level]);
    const char *what = lookup_kind_name(l.kind);
    if (o->focus && o->depth == 0)
        strbuf_printf(&t, ", only %s %s", what, l.name);
    else if (o->focus)
        strbuf_printf(&t, ", within %d call%s of %s %s", o->depth, o->depth == 1 ? "" : "s", what,
                      l.name);
    strbuf_printf(&t, " (%zu nodes, %zu edges", v->nodes.n, v->edges.n);
    if (v->hidden_external)
        strbuf_printf(&t, "; %zu external function%s not shown", v->hidden_external,
                      v->hidden_external == 1 ? "" : "s");
    strbuf_add(&t, ")");
    v->title = t.v;
    if (o->focus) {
        /* what the focus matched, and the other things of that name */
        strbuf n = {0};
        strbuf_printf(&n, "--focus %s: the %s %s", o->focus, what, l.name);
        for (int k = 0; k < LOOKUP_KINDS; k++)
            if (l.also & LOOKUP_BIT(k))
                strbuf_printf(&n, "; also a%s %s (--focus %s%s)", k == LOOKUP_EXTERNAL ? "n" : "",
                              lookup_kind_name(k), lookup_kind_prefix(k), l.name);
        v->focus_note = n.v;
    }
    lookup_free(&l);
    free(node_of);
    free(shown);
    free(dist);
    *out = v;
    return 0;
}
