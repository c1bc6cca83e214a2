/*
 * dot_services.c - the service-level view of a plan: what a reviewer
 * should see at a glance.  One node per component (service, serverless
 * function, library), one edge per interface labelled with its call sites,
 * services on a dependency cycle in red, library use as thin dotted edges,
 * and shared global state as cylinders joined to the services that read
 * or write it.  Globals used by exactly the same services share one
 * cylinder, so a program with hundreds of shared globals still gives a
 * picture of its services rather than of its variables.
 *
 * Order: components in plan order (by name), state groups by their first
 * global, then edges: interfaces (plan order), library use, state access.
 */
#include "dot.h"
#include "dot_cgraph.h"

#include <stdlib.h>
#include <string.h>

#include "scc.h"

enum { USE_READ = 1, USE_WRITE = 2 };
enum { STATE_ROW = 8 }; /* state cylinders that fit one row */

/* ---- cycles ------------------------------------------------------------- */

/*
 * cyclic[s] = 1 for every service on a cycle of interfaces: its strongly
 * connected component (Tarjan, scc.h) has two or more services; there are
 * no self interfaces.  comp[s] receives the component.  Returns how many
 * services are on cycles.
 */
static size_t find_cycles(const plan *p, size_t *comp, unsigned char *cyclic) {
    size_t ns = p->services.n;
    unsigned char *adj = xcalloc(ns * ns + 1, 1);
    for (size_t i = 0; i < p->interfaces.n; i++)
        adj[p->interfaces.v[i].from * ns + p->interfaces.v[i].to] = 1;
    size_t ncomp = scc_matrix(ns, adj, comp);
    size_t *size = xcalloc(ncomp + 1, sizeof *size);
    for (size_t s = 0; s < ns; s++) size[comp[s]]++;
    size_t on_cycles = 0;
    for (size_t s = 0; s < ns; s++) {
        cyclic[s] = size[comp[s]] > 1;
        on_cycles += cyclic[s];
    }
    free(size);
    free(adj);
    return on_cycles;
}

/*
 * Which interfaces close the cycles: orders the services of each cycle
 * with the greedy heuristic of Eades, Lin and Smyth (sinks last, sources
 * first, else the service sending the most call sites minus receiving)
 * over the interfaces inside the cycle, weighted by call sites; an
 * interface pointing backwards in that order is a feedback edge.  Cutting
 * the feedback edges leaves no cycle, and they carry few call sites, so
 * they are the calls a reviewer would move first.  back[i] = 1 for such
 * interface i; returns how many there are.
 */
static size_t feedback_edges(const plan *p, const size_t *comp, const unsigned char *cyclic,
                             unsigned char *back) {
    size_t ns = p->services.n, ni = p->interfaces.n;
    long *out = xcalloc(ns + 1, sizeof *out), *in = xcalloc(ns + 1, sizeof *in);
    size_t *pos = xcalloc(ns + 1, sizeof *pos);
    unsigned char *gone = xcalloc(ns + 1, 1);
    size_t head = 0, tail = ns, left = 0; /* positions go out from both ends */
    for (size_t s = 0; s < ns; s++) {
        gone[s] = !cyclic[s];
        left += cyclic[s];
    }
    while (left > 0) {
        memset(out, 0, ns * sizeof *out);
        memset(in, 0, ns * sizeof *in);
        for (size_t i = 0; i < ni; i++) {
            const plan_interface *x = &p->interfaces.v[i];
            if (gone[x->from] || gone[x->to] || comp[x->from] != comp[x->to]) continue;
            out[x->from] += x->sites;
            in[x->to] += x->sites;
        }
        size_t pick = PLAN_NONE;
        int sink = 0;
        for (size_t s = 0; s < ns && pick == PLAN_NONE; s++)
            if (!gone[s] && out[s] == 0) pick = s, sink = 1;
        for (size_t s = 0; s < ns && pick == PLAN_NONE; s++)
            if (!gone[s] && in[s] == 0) pick = s;
        if (pick == PLAN_NONE)
            for (size_t s = 0; s < ns; s++)
                if (!gone[s] && (pick == PLAN_NONE || out[s] - in[s] > out[pick] - in[pick]))
                    pick = s;
        gone[pick] = 1;
        pos[pick] = sink ? --tail : head++;
        left--;
    }
    size_t nback = 0;
    for (size_t i = 0; i < ni; i++) {
        const plan_interface *x = &p->interfaces.v[i];
        back[i] = cyclic[x->from] && comp[x->from] == comp[x->to] && pos[x->from] > pos[x->to];
        nback += back[i];
    }
    free(out);
    free(in);
    free(pos);
    free(gone);
    return nback;
}

/* ---- shared state, grouped by how it is used ----------------------------- */

typedef struct state_group {
    size_t first;        /* index into p->shared of its first global */
    idxvec members;      /* indexes into p->shared */
    unsigned char *use;  /* per service: USE_READ | USE_WRITE */
} state_group;

/* use[k * ns + s] for shared global k, from the graph's accesses. */
static unsigned char *state_use(const plan *p) {
    const graph *g = p->g;
    size_t ns = p->services.n, nsh = p->shared.n;
    size_t *slot = xmalloc((g->globals.n + 1) * sizeof *slot);
    for (size_t v = 0; v < g->globals.n; v++) slot[v] = (size_t)-1;
    for (size_t k = 0; k < nsh; k++) slot[p->shared.v[k].global] = k;
    unsigned char *use = xcalloc(nsh * ns + 1, 1);
    for (size_t i = 0; i < g->accesses.n; i++) {
        const gaccess *a = &g->accesses.v[i];
        size_t s = p->assign[a->function], k = slot[a->global];
        if (s == PLAN_NONE || k == (size_t)-1) continue;
        use[k * ns + s] |= a->mode == MODE_READ ? USE_READ : USE_WRITE;
    }
    free(slot);
    return use;
}

/* Groups the shared globals by the set of components touching them; a
 * group's use[s] is what s does to any of its globals. */
static size_t group_state(const plan *p, const unsigned char *use, state_group **out) {
    size_t ns = p->services.n;
    struct { state_group *v; size_t n, cap; } groups = {0};
    for (size_t k = 0; k < p->shared.n; k++) {
        const unsigned char *u = use + k * ns;
        size_t gi = 0;
        for (; gi < groups.n; gi++) {
            size_t s = 0;
            while (s < ns && !groups.v[gi].use[s] == !u[s]) s++;
            if (s == ns) break;
        }
        if (gi == groups.n) {
            state_group sg = {0};
            sg.first = k;
            sg.use = xcalloc(ns + 1, 1);
            VEC_PUSH(groups, sg);
        }
        for (size_t s = 0; s < ns; s++) groups.v[gi].use[s] |= u[s];
        VEC_PUSH(groups.v[gi].members, k);
    }
    *out = groups.v;
    return groups.n;
}

/* A group's label (how many, the first names) and tooltip (each global,
 * where it is defined, which components write it). */
static void state_label(const plan *p, const state_group *sg, strbuf *label, strbuf *tip) {
    const graph *g = p->g;
    enum { SHOWN = 4, LISTED = 40 };
    if (sg->members.n > 1) strbuf_printf(label, "%zu globals\\n", sg->members.n);
    for (size_t i = 0; i < sg->members.n; i++) {
        const plan_shared *sh = &p->shared.v[sg->members.v[i]];
        const gglobal *gv = &g->globals.v[sh->global];
        if (i < SHOWN) {
            if (i) strbuf_add(label, "\\n");
            if (i == SHOWN - 1 && sg->members.n > SHOWN)
                strbuf_printf(label, "and %zu more", sg->members.n - (SHOWN - 1));
            else
                dot_text_add(label, gv->name);
        }
        if (i < LISTED) {
            if (i) strbuf_add(tip, "\\n");
            dot_text_add(tip, gv->name);
            strbuf_add(tip, " (");
            dot_text_add(tip, gv->file ? gv->file : "?");
            strbuf_printf(tip, ":%d)", gv->line);
            for (size_t w = 0; w < sh->writers.n; w++) {
                strbuf_add(tip, w ? ", " : ", written by ");
                dot_text_add(tip, p->services.v[sh->writers.v[w]].name);
            }
        } else if (i == LISTED) {
            strbuf_printf(tip, "\\nand %zu more", sg->members.n - LISTED);
        }
    }
}

/* ---- the picture ---------------------------------------------------------- */

static const char *const GRAPH_ATTRS[] = {
    "label", "", "labelloc", "t", "fontsize", "16", "rankdir", "TB", "nodesep", "0.5",
    "ranksep", "0.9", NULL};
static const char *const NODE_ATTRS[] = {
    "shape", "box", "style", "rounded,filled", "fillcolor", DOT_SERVICE_FILL,
    "color", DOT_SERVICE_LINE, "penwidth", "1.5", "fontsize", "14", "label", "\\N",
    "tooltip", "", NULL};
static const char *const EDGE_ATTRS[] = {
    "color", DOT_SERVICE_LINE, "fontcolor", DOT_SERVICE_LINE, "fontsize", "11", "penwidth", "1",
    "style", "solid", "dir", "forward", "arrowhead", "normal", "arrowtail", "normal",
    "label", "", "tooltip", "", "minlen", "1", NULL};

static void add_component(Agraph_t *root, const plan *p, size_t s, int cyclic) {
    const plan_service *sv = &p->services.v[s];
    Agnode_t *n = dot_node(root, "service", sv->name);
    dot_style_component(n, sv->kind);
    strbuf b = {0};
    dot_text_add(&b, sv->name);
    strbuf_printf(&b, "\\n%s · %zu function%s · %d lines", dot_kind_name(sv->kind), sv->funcs.n,
                  sv->funcs.n == 1 ? "" : "s", sv->loc);
    if (sv->kind != PLAN_LIBRARY) {
        strbuf_printf(&b, "\\n%zu entry point%s", sv->entry_points.n,
                      sv->entry_points.n == 1 ? "" : "s");
        if (sv->owned_state.n)
            strbuf_printf(&b, " · owns %zu global%s", sv->owned_state.n,
                          sv->owned_state.n == 1 ? "" : "s");
    }
    dot_set(n, "label", b.v);
    b.n = 0;
    strbuf_add(&b, "files: ");
    for (size_t i = 0; i < sv->files.n && i < 30; i++) {
        if (i) strbuf_add(&b, ", ");
        dot_text_add(&b, sv->files.v[i]);
    }
    if (sv->files.n > 30) strbuf_printf(&b, " and %zu more", sv->files.n - 30);
    dot_set(n, "tooltip", b.v);
    free(b.v);
    if (cyclic) {
        dot_set(n, "color", DOT_CYCLE);
        dot_set(n, "penwidth", "3");
    }
}

static void add_interface(Agraph_t *root, const plan *p, const plan_interface *x, int back) {
    const graph *g = p->g;
    Agedge_t *e = dot_edge(root, dot_node(root, "service", p->services.v[x->from].name),
                           dot_node(root, "service", p->services.v[x->to].name));
    dot_setf(e, "label", "%d site%s", x->sites, x->sites == 1 ? "" : "s");
    dot_setf(e, "penwidth", "%d", dot_penwidth(x->sites));
    strbuf b = {0};
    dot_text_add(&b, p->services.v[x->from].name);
    strbuf_add(&b, " -> ");
    dot_text_add(&b, p->services.v[x->to].name);
    strbuf_printf(&b, ": %d call site%s, %d caller-callee pair%s; API:", x->sites,
                  x->sites == 1 ? "" : "s", x->calls, x->calls == 1 ? "" : "s");
    for (size_t i = 0; i < x->functions.n && i < 30; i++) {
        strbuf_add(&b, i ? ", " : " ");
        dot_text_add(&b, g->funcs.v[x->functions.v[i]].name);
    }
    if (x->functions.n > 30) strbuf_printf(&b, " and %zu more", x->functions.n - 30);
    dot_set(e, "tooltip", b.v);
    free(b.v);
    if (back) {
        /* not constraint=false: Graphviz 2.42 frees such edges twice */
        dot_set(e, "color", DOT_CYCLE);
        dot_set(e, "fontcolor", DOT_CYCLE);
    }
}

/* Dotted edges for calls into (or out of) library components: linked in,
 * not remote, so they are not interfaces. */
static void add_library_use(Agraph_t *root, const plan *p) {
    const graph *g = p->g;
    size_t ns = p->services.n;
    int *sites = xcalloc(ns * ns + 1, sizeof *sites);
    for (size_t i = 0; i < g->calls.n; i++) {
        size_t a = p->assign[g->calls.v[i].from], b = p->assign[g->calls.v[i].to];
        if (a == PLAN_NONE || b == PLAN_NONE || a == b) continue;
        if (p->services.v[a].kind == PLAN_LIBRARY || p->services.v[b].kind == PLAN_LIBRARY)
            sites[a * ns + b] += g->calls.v[i].sites;
    }
    for (size_t a = 0; a < ns; a++)
        for (size_t b = 0; b < ns; b++) {
            if (!sites[a * ns + b]) continue;
            Agedge_t *e = dot_edge(root, dot_node(root, "service", p->services.v[a].name),
                                   dot_node(root, "service", p->services.v[b].name));
            dot_set(e, "color", DOT_MUTED);
            dot_set(e, "style", "dotted");
            dot_set(e, "arrowhead", "vee");
            dot_setf(e, "tooltip", "%d call site%s", sites[a * ns + b],
                     sites[a * ns + b] == 1 ? "" : "s");
        }
    free(sites);
}

static void add_state(Agraph_t *root, const plan *p) {
    size_t ns = p->services.n;
    unsigned char *use = state_use(p);
    state_group *groups = NULL;
    size_t ng = group_state(p, use, &groups);
    for (size_t i = 0; i < ng; i++) {
        const state_group *sg = &groups[i];
        const char *key = p->g->globals.v[p->shared.v[sg->first].global].id;
        Agnode_t *n = dot_node(root, "state", key);
        dot_set(n, "shape", "cylinder");
        dot_set(n, "style", "filled");
        dot_set(n, "fillcolor", DOT_STATE_FILL);
        dot_set(n, "color", DOT_STATE_LINE);
        dot_set(n, "penwidth", "1");
        dot_set(n, "fontsize", "11");
        strbuf label = {0}, tip = {0};
        state_label(p, sg, &label, &tip);
        dot_set(n, "label", label.v);
        dot_set(n, "tooltip", tip.v);
        free(label.v);
        free(tip.v);
    }
    /* edges after all state nodes, so each group's node line stays whole */
    for (size_t i = 0; i < ng; i++) {
        const state_group *sg = &groups[i];
        Agnode_t *n = dot_node(root, "state", p->g->globals.v[p->shared.v[sg->first].global].id);
        for (size_t s = 0; s < ns; s++) {
            if (!sg->use[s]) continue;
            /* always service -> state, so state settles below its users;
             * the arrow shows which way data flows */
            Agedge_t *e = dot_edge(root, dot_node(root, "service", p->services.v[s].name), n);
            /* many cylinders in one row make a picture too wide to read:
             * spread them over three rows, as Graphviz's unflatten does */
            if (ng > STATE_ROW) dot_setf(e, "minlen", "%zu", 1 + i % 3);
            dot_set(e, "color", DOT_STATE_LINE);
            dot_set(e, "arrowhead", "vee");
            dot_set(e, "arrowtail", "vee");
            if (sg->use[s] == USE_READ) {
                dot_set(e, "dir", "back");
                dot_set(e, "style", "dashed");
            } else if (sg->use[s] == (USE_READ | USE_WRITE)) {
                dot_set(e, "dir", "both");
            }
        }
    }
    for (size_t i = 0; i < ng; i++) {
        free(groups[i].members.v);
        free(groups[i].use);
    }
    free(groups);
    free(use);
}

char *dot_services_text(const plan *p) {
    size_t ns = p->services.n;
    size_t *comp = xmalloc((ns + 1) * sizeof *comp);
    unsigned char *cyclic = xcalloc(ns + 1, 1);
    size_t on_cycles = find_cycles(p, comp, cyclic);
    unsigned char *back = xcalloc(p->interfaces.n + 1, 1);
    size_t nback = feedback_edges(p, comp, cyclic, back);

    dot_doc *d = dot_doc_new("services");
    Agraph_t *root = dot_doc_graph(d);
    dot_declare(root, AGRAPH, GRAPH_ATTRS);
    dot_declare(root, AGNODE, NODE_ATTRS);
    dot_declare(root, AGEDGE, EDGE_ATTRS);

    size_t kinds[3] = {0};
    for (size_t s = 0; s < ns; s++) kinds[p->services.v[s].kind]++;
    strbuf t = {0};
    strbuf_add(&t, "Services of ");
    dot_text_add(&t, p->g->root ? p->g->root : "the program");
    strbuf_printf(&t, ": %zu service%s", kinds[PLAN_SERVICE], kinds[PLAN_SERVICE] == 1 ? "" : "s");
    if (kinds[PLAN_FUNCTION]) strbuf_printf(&t, ", %zu functions", kinds[PLAN_FUNCTION]);
    if (kinds[PLAN_LIBRARY])
        strbuf_printf(&t, ", %zu librar%s", kinds[PLAN_LIBRARY],
                      kinds[PLAN_LIBRARY] == 1 ? "y" : "ies");
    strbuf_printf(&t, "\\n%d cross-service call sites · %zu shared global%s",
                  p->metrics.cross_sites, p->shared.n, p->shared.n == 1 ? "" : "s");
    if (on_cycles)
        strbuf_printf(&t, "\\n%zu services on dependency cycles (red outline); cutting the %zu red "
                          "interface%s would break every cycle",
                      on_cycles, nback, nback == 1 ? "" : "s");
    dot_set(root, "label", t.v);
    free(t.v);

    for (size_t s = 0; s < ns; s++) add_component(root, p, s, cyclic[s]);
    add_state(root, p);
    for (size_t i = 0; i < p->interfaces.n; i++)
        add_interface(root, p, &p->interfaces.v[i], back[i]);
    add_library_use(root, p);

    dot_key keys[9]; /* one per kind (3), state, interface, two for cycles, library use, writes */
    size_t nk = 0;
    if (kinds[PLAN_SERVICE]) keys[nk++] = DOT_KEY_SERVICE;
    if (kinds[PLAN_FUNCTION]) keys[nk++] = DOT_KEY_FUNCTION;
    if (kinds[PLAN_LIBRARY]) keys[nk++] = DOT_KEY_LIBRARY;
    if (p->shared.n)
        keys[nk++] = (dot_key){
            .fill = DOT_STATE_FILL, .line = DOT_STATE_LINE, .meaning = "shared global state"};
    keys[nk++] = (dot_key){.ink = DOT_SERVICE_LINE, .sample = "──▶",
                           .meaning = "interface: call sites, width grows with them"};
    if (on_cycles) {
        keys[nk++] = (dot_key){.fill = DOT_SERVICE_FILL, .line = DOT_CYCLE,
                               .meaning = "service on a dependency cycle"};
        keys[nk++] = (dot_key){.ink = DOT_CYCLE, .sample = "──▶",
                               .meaning = "interface closing a cycle (few sites: move these)"};
    }
    if (kinds[PLAN_LIBRARY])
        keys[nk++] = (dot_key){
            .ink = DOT_MUTED, .sample = "┈┈▶", .meaning = "calls into a library (linked in)"};
    if (p->shared.n)
        keys[nk++] = (dot_key){
            .ink = DOT_STATE_LINE, .sample = "──▶", .meaning = "writes state (dashed: reads only)"};
    dot_legend(root, keys, nk);

    free(comp);
    free(cyclic);
    free(back);
    return dot_doc_finish(d);
}
