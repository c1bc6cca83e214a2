/*
 * dot_services.c - the service-level view of a plan: what a reviewer
 * should see at a glance.  One node per component (service, serverless
 * function, library), one edge per interface labelled with its call sites
 * (and its calls per second when the plan has its traffic model),
 * services on a dependency cycle in red, library use as thin dotted edges,
 * and shared global state as cylinders joined to the services that read
 * or write it.  Globals used by exactly the same services share one
 * cylinder, so a program with hundreds of shared globals still gives a
 * picture of its services rather than of its variables.
 *
 * Order: components in plan order (by name), state groups by their first
 * global, then edges: interfaces (plan order), library use, state access.
 */
#include "reports/dot.h"
#include "reports/dot_cgraph.h"

#include <stdlib.h>
#include <string.h>

#include "graph/scc.h"
#include "util/strmap.h"

enum { USE_READ = 1, USE_WRITE = 2 };
enum { STATE_ROW = 8 }; /* state cylinders that fit one row */

/* ---- cycles ------------------------------------------------------------- */

/*
 * cyclic[s] = 1 for every service on a cycle of the interfaces drawn
 * (drawn[i]): its strongly connected component (Tarjan, scc.h) has two or
 * more services; there are no self interfaces.  comp[s] receives the
 * component.  Returns how many services are on cycles.  The interfaces
 * are sorted by (from, to), so they are the services' adjacency lists as
 * they stand.
 */
static size_t find_cycles(const plan *p, const unsigned char *drawn, size_t *comp,
                          unsigned char *cyclic) {
    size_t ns = p->services.n, ni = p->interfaces.n, m = 0;
    size_t *off = xcalloc(ns + 2, sizeof *off), *to = xmallocarray(ni + 1, sizeof *to);
    for (size_t i = 0; i < ni; i++) {
        if (!drawn[i]) continue;
        off[p->interfaces.v[i].from + 1]++;
        to[m++] = p->interfaces.v[i].to;
    }
    for (size_t s = 0; s < ns; s++) off[s + 1] += off[s];
    size_t ncomp = scc_lists(ns, off, to, comp);
    free(off);
    free(to);
    size_t *size = xcalloc(ncomp + 1, sizeof *size);
    for (size_t s = 0; s < ns; s++) size[comp[s]]++;
    size_t on_cycles = 0;
    for (size_t s = 0; s < ns; s++) {
        cyclic[s] = size[comp[s]] > 1;
        on_cycles += cyclic[s];
    }
    free(size);
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
/* A binary heap of services: the lowest index first, or (maxgain) the
 * highest key (ties: the lowest index).  Entries whose service is gone,
 * or whose key is stale, are dropped when they reach the top. */
typedef struct sheap {
    struct sentry { long key; size_t s; } *v;
    size_t n, cap;
    int maxgain;
} sheap;

static int sbefore(const sheap *h, const struct sentry *a, const struct sentry *b) {
    if (h->maxgain && a->key != b->key) return a->key > b->key;
    return a->s < b->s;
}

static void sheap_push(sheap *h, size_t s, long key) {
    struct sentry x = {key, s};
    VEC_PUSH(*h, x);
    for (size_t i = h->n - 1; i > 0;) {
        size_t up = (i - 1) / 2;
        if (!sbefore(h, &h->v[i], &h->v[up])) break;
        struct sentry t = h->v[i];
        h->v[i] = h->v[up];
        h->v[up] = t;
        i = up;
    }
}

static void sheap_pop(sheap *h) {
    h->v[0] = h->v[--h->n];
    for (size_t i = 0;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < h->n && sbefore(h, &h->v[l], &h->v[m])) m = l;
        if (r < h->n && sbefore(h, &h->v[r], &h->v[m])) m = r;
        if (m == i) break;
        struct sentry t = h->v[i];
        h->v[i] = h->v[m];
        h->v[m] = t;
        i = m;
    }
}

static long gain(const long *out, const long *in, size_t s) {
    return out[s] - in[s];
}

/* The top service of h still in the game (and, for the gain heap, with
 * its current key), or PLAN_NONE. */
static size_t sheap_top(sheap *h, const unsigned char *gone, const long *out, const long *in) {
    while (h->n && (gone[h->v[0].s] || (h->maxgain && h->v[0].key != gain(out, in, h->v[0].s))))
        sheap_pop(h);
    return h->n ? h->v[0].s : PLAN_NONE;
}

/* One round of Eades, Lin and Smyth picks, among the services left, the
 * lowest-numbered sink, else the lowest-numbered source, else the one with
 * the highest sites out minus in (ties: the lowest number); its
 * interfaces then leave the others' sums.  Heaps keep each round
 * logarithmic instead of a pass over every interface and service. */
static size_t feedback_edges(const plan *p, const unsigned char *drawn, const size_t *comp,
                             const unsigned char *cyclic, unsigned char *back) {
    size_t ns = p->services.n, ni = p->interfaces.n;
    long *out = xcalloc(ns + 1, sizeof *out), *in = xcalloc(ns + 1, sizeof *in);
    size_t *pos = xcalloc(ns + 1, sizeof *pos);
    unsigned char *gone = xcalloc(ns + 1, 1);
    size_t head = 0, tail = ns, left = 0; /* positions go out from both ends */
    for (size_t s = 0; s < ns; s++) {
        gone[s] = !cyclic[s];
        left += cyclic[s];
    }
    /* the interfaces inside a cycle, by source and by target */
    size_t *ooff = xcalloc(ns + 2, sizeof *ooff), *ioff = xcalloc(ns + 2, sizeof *ioff);
    size_t *oidx = xmallocarray(ni + 1, sizeof *oidx), *iidx = xmallocarray(ni + 1, sizeof *iidx);
    for (size_t i = 0; i < ni; i++) {
        const plan_interface *x = &p->interfaces.v[i];
        if (!drawn[i] || gone[x->from] || gone[x->to] || comp[x->from] != comp[x->to]) continue;
        out[x->from] += x->sites;
        in[x->to] += x->sites;
        ooff[x->from + 1]++;
        ioff[x->to + 1]++;
    }
    for (size_t s = 0; s < ns; s++) {
        ooff[s + 1] += ooff[s];
        ioff[s + 1] += ioff[s];
    }
    size_t *op = xmallocarray(ns + 1, sizeof *op), *ip = xmallocarray(ns + 1, sizeof *ip);
    memcpy(op, ooff, (ns + 1) * sizeof *op);
    memcpy(ip, ioff, (ns + 1) * sizeof *ip);
    for (size_t i = 0; i < ni; i++) {
        const plan_interface *x = &p->interfaces.v[i];
        if (!drawn[i] || gone[x->from] || gone[x->to] || comp[x->from] != comp[x->to]) continue;
        oidx[op[x->from]++] = i;
        iidx[ip[x->to]++] = i;
    }
    sheap sinks = {0}, sources = {0}, gains = {0};
    gains.maxgain = 1;
    for (size_t s = 0; s < ns; s++) {
        if (gone[s]) continue;
        if (out[s] == 0) sheap_push(&sinks, s, 0);
        if (in[s] == 0) sheap_push(&sources, s, 0);
        sheap_push(&gains, s, gain(out, in, s));
    }
    while (left > 0) {
        int sink = 0;
        size_t pick = sheap_top(&sinks, gone, out, in);
        if (pick != PLAN_NONE) sink = 1;
        else pick = sheap_top(&sources, gone, out, in);
        if (pick == PLAN_NONE) pick = sheap_top(&gains, gone, out, in);
        gone[pick] = 1;
        pos[pick] = sink ? --tail : head++;
        left--;
        /* its interfaces no longer count for the services still left */
        for (size_t k = ooff[pick]; k < ooff[pick + 1]; k++) {
            const plan_interface *x = &p->interfaces.v[oidx[k]];
            if (gone[x->to]) continue;
            in[x->to] -= x->sites;
            if (in[x->to] == 0) sheap_push(&sources, x->to, 0);
            sheap_push(&gains, x->to, gain(out, in, x->to));
        }
        for (size_t k = ioff[pick]; k < ioff[pick + 1]; k++) {
            const plan_interface *x = &p->interfaces.v[iidx[k]];
            if (gone[x->from]) continue;
            out[x->from] -= x->sites;
            if (out[x->from] == 0) sheap_push(&sinks, x->from, 0);
            sheap_push(&gains, x->from, gain(out, in, x->from));
        }
    }
    size_t nback = 0;
    for (size_t i = 0; i < ni; i++) {
        const plan_interface *x = &p->interfaces.v[i];
        back[i] = drawn[i] && cyclic[x->from] && comp[x->from] == comp[x->to] &&
                  pos[x->from] > pos[x->to];
        nback += back[i];
    }
    free(sinks.v);
    free(sources.v);
    free(gains.v);
    free(op);
    free(ip);
    free(ooff);
    free(ioff);
    free(oidx);
    free(iidx);
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
    const idxvec *users; /* the components touching its globals (ascending) */
    unsigned char *use;  /* per user: USE_READ | USE_WRITE */
} state_group;

/* use[k][j] for shared global k and its j-th component
 * (p->shared.v[k].services), from the graph's accesses: kept per global
 * over the components that touch it, not as a globals x services table. */
static unsigned char **state_use(const plan *p) {
    const graph *g = p->g;
    size_t nsh = p->shared.n;
    size_t *slot = xmallocarray(g->globals.n + 1, sizeof *slot);
    for (size_t v = 0; v < g->globals.n; v++) slot[v] = (size_t)-1;
    for (size_t k = 0; k < nsh; k++) slot[p->shared.v[k].global] = k;
    unsigned char **use = xcalloc(nsh + 1, sizeof *use);
    for (size_t k = 0; k < nsh; k++) use[k] = xcalloc(p->shared.v[k].services.n + 1, 1);
    for (size_t i = 0; i < g->accesses.n; i++) {
        const gaccess *a = &g->accesses.v[i];
        size_t s = p->assign[a->function], k = slot[a->global];
        if (s == PLAN_NONE || k == (size_t)-1) continue;
        const idxvec *users = &p->shared.v[k].services;
        size_t lo = 0, hi = users->n; /* s is one of them */
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (users->v[mid] < s) lo = mid + 1;
            else hi = mid;
        }
        use[k][lo] |= a->writes ? USE_WRITE : USE_READ;
    }
    free(slot);
    return use;
}

/* Groups the shared globals by the set of components touching them (found
 * through a map keyed by that set); a group's use[j] is what its j-th
 * user does to any of its globals. */
static size_t group_state(const plan *p, unsigned char **use, state_group **out) {
    struct { state_group *v; size_t n, cap; } groups = {0};
    strmap *byusers = strmap_new();
    strbuf key = {0};
    for (size_t k = 0; k < p->shared.n; k++) {
        const idxvec *users = &p->shared.v[k].services;
        key.n = 0;
        strbuf_add(&key, "");
        for (size_t j = 0; j < users->n; j++) strbuf_printf(&key, "%zu,", users->v[j]);
        int added;
        size_t gi = strmap_intern(byusers, key.v, groups.n, &added);
        if (added) {
            state_group sg = {0};
            sg.first = k;
            sg.users = users;
            sg.use = xcalloc(users->n + 1, 1);
            VEC_PUSH(groups, sg);
        }
        for (size_t j = 0; j < users->n; j++) groups.v[gi].use[j] |= use[k][j];
        VEC_PUSH(groups.v[gi].members, k);
    }
    free(key.v);
    strmap_free(byusers);
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
static const char *const EDGE_ATTRS[] = {
    "color", DOT_SERVICE_LINE, "fontcolor", DOT_SERVICE_LINE, "fontsize", "11", "penwidth", "1",
    "style", "solid", "dir", "forward", "arrowhead", "normal", "arrowtail", "normal",
    "label", "", "tooltip", "", "minlen", "1", "id", "", NULL};

/*
 * One way of drawing the view, from the plan as it is (STEPS[0]) to the
 * most folded.  dot_services_view lays each out in turn, in the four
 * shapes below (top to bottom, left to right; legend in one column or
 * two), and takes the first that fits the screen (DOT_SCREEN_W x
 * DOT_SCREEN_H), else the one that needs the least shrinking (left to
 * right only when it fits: lone nodes line up in one tall rank).  The
 * thresholds are percentiles of the plan's own figures: of the call sites
 * of the interfaces the options leave, of the globals the pairs drawn
 * share; the strongest interface of each component is always drawn.
 * Measured on nginx 1.22.1 (12 components, 91 interfaces, 173 links to
 * state): step 0 is 3,087 x 1,425 points, STEPS[4] with the legend in
 * two columns 1,456 x 779, scaled to 1,425 x 762.
 */
typedef struct fitstep {
    int compact;  /* ranks and nodes closer together */
    int fold_lib; /* library use as counts in the library boxes, not as edges */
    int pairs;    /* shared state as one link per pair of services, not cylinders */
    int iface_q;  /* interfaces under this percentile of call sites not drawn (0: all) */
    int pair_q;   /* pairs under this percentile of globals not drawn (0: all; past 100: none) */
    int brief;    /* boxes with name and functions only, interfaces with call sites only
                     (1) or no label (2) */
} fitstep;

static const fitstep STEPS[] = {
    {0, 0, 0, 0, 0, 0},   {1, 1, 0, 0, 0, 0},   {1, 1, 1, 0, 0, 0},    {1, 1, 1, 50, 50, 0},
    {1, 1, 1, 75, 75, 0}, {1, 1, 1, 75, 90, 0}, {1, 1, 1, 90, 90, 0},  {1, 1, 1, 90, 101, 0},
    {1, 1, 1, 75, 90, 1}, {1, 1, 1, 90, 101, 1}, {1, 1, 1, 90, 101, 2},
};
enum { NSTEPS = sizeof STEPS / sizeof STEPS[0] };

/* What one drawing leaves out, and the counts its title reports. */
typedef struct drawing {
    const plan *p;
    dot_options o;
    const fitstep *step;
    unsigned char *eligible; /* per interface: not left out by the options */
    unsigned char *drawn;    /* ... and among the strongest */
    int *sites;              /* per interface: the call sites drawn */
    size_t may, small;       /* interfaces left out: only may-calls; under min_sites */
    size_t weak;             /* eligible interfaces past the strongest */
    long weak_sites;
    size_t small_lib;        /* library-use edges under min_sites */
    size_t state_links;      /* links to shared state left out (no_state) */
    size_t pairs, paired;    /* pairs drawn instead of paired state links */
    size_t weak_pairs;       /* pairs past the strongest */
    /* left out to fit the screen (step): */
    int fit_min;             /* interfaces under this many call sites */
    size_t fit_small;
    long fit_sites;
    size_t fit_pairs;        /* pairs under fit_globals globals */
    size_t fit_globals;
    size_t folded;           /* library-use edges counted in the library boxes */
} drawing;

typedef struct strength {
    int sites;
    size_t i;
} strength;

static int cmp_strength(const void *a, const void *b) {
    const strength *x = a, *y = b;
    if (x->sites != y->sites) return x->sites > y->sites ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

static int cmp_int(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* The value at percentile q of v[0..n) (sorted here, ascending). */
static int percentile(int *v, size_t n, int q) {
    if (n == 0) return 0;
    qsort(v, n, sizeof *v, cmp_int);
    return v[(n - 1) * (size_t)q / 100];
}

static void drawing_init(drawing *d, const plan *p, const dot_options *o, const fitstep *step) {
    memset(d, 0, sizeof *d);
    d->p = p;
    d->step = step;
    if (o) d->o = *o;
    size_t ni = p->interfaces.n, n = 0;
    d->eligible = xcalloc(ni + 1, 1);
    d->drawn = xcalloc(ni + 1, 1);
    d->sites = xcalloc(ni + 1, sizeof *d->sites);
    strength *order = xmallocarray(ni + 1, sizeof *order);
    for (size_t i = 0; i < ni; i++) {
        const plan_interface *x = &p->interfaces.v[i];
        d->sites[i] = x->sites - (d->o.hide_may ? x->sites_by[EV_TYPE] : 0);
        if (d->sites[i] <= 0) d->may++;
        else if (d->sites[i] < d->o.min_sites) d->small++;
        else d->eligible[i] = 1, order[n++] = (strength){d->sites[i], i};
    }
    if (step->iface_q) {
        int *v = xmallocarray(n + 1, sizeof *v);
        for (size_t k = 0; k < n; k++) v[k] = order[k].sites;
        d->fit_min = percentile(v, n, step->iface_q);
        free(v);
        /* the strongest interface of each component stays, so that no
         * component is left alone (dot would line those up in one rank) */
        size_t ns = p->services.n, *top = xmallocarray(ns + 1, sizeof *top);
        for (size_t s = 0; s < ns; s++) top[s] = PLAN_NONE;
        for (size_t k = 0; k < n; k++) {
            const plan_interface *x = &p->interfaces.v[order[k].i];
            size_t ends[2] = {x->from, x->to};
            for (int e = 0; e < 2; e++)
                if (top[ends[e]] == PLAN_NONE || d->sites[top[ends[e]]] < order[k].sites)
                    top[ends[e]] = order[k].i;
        }
        size_t kept = 0;
        for (size_t k = 0; k < n; k++) {
            const plan_interface *x = &p->interfaces.v[order[k].i];
            if (order[k].sites >= d->fit_min || top[x->from] == order[k].i ||
                top[x->to] == order[k].i) {
                order[kept++] = order[k];
            } else {
                d->fit_small++;
                d->fit_sites += order[k].sites;
            }
        }
        free(top);
        n = kept;
    }
    size_t keep = DOT_SERVICE_EDGES_PER_NODE * p->services.n;
    if (keep < DOT_SERVICE_EDGES_MIN) keep = DOT_SERVICE_EDGES_MIN;
    if (n > keep) qsort(order, n, sizeof *order, cmp_strength);
    for (size_t k = 0; k < n; k++) {
        if (k < keep) {
            d->drawn[order[k].i] = 1;
        } else {
            d->weak++;
            d->weak_sites += order[k].sites;
        }
    }
    free(order);
}

static void drawing_free(drawing *d) {
    free(d->eligible);
    free(d->drawn);
    free(d->sites);
}

/* A component's box: its name, kind, size, entry points and state; brief,
 * its name and functions, the rest moved to the tooltip before its files. */
static void add_component(Agraph_t *root, const plan *p, size_t s, int cyclic, int brief) {
    const plan_service *sv = &p->services.v[s];
    strbuf b = {0};
    Agnode_t *n = dot_component(root, p, s, &b);
    if (sv->kind != PLAN_LIBRARY) {
        strbuf_printf(&b, "\\n%zu entry point%s", sv->entry_points.n,
                      sv->entry_points.n == 1 ? "" : "s");
        if (sv->owned_state.n)
            strbuf_printf(&b, " · owns %zu global%s", sv->owned_state.n,
                          sv->owned_state.n == 1 ? "" : "s");
    }
    strbuf tip = {0};
    if (brief) {
        strbuf_add(&tip, b.v);
        strbuf_add(&tip, "\\n");
        b.n = 0;
        dot_text_add(&b, sv->name);
        strbuf_printf(&b, "\\n%zu function%s", sv->funcs.n, sv->funcs.n == 1 ? "" : "s");
        dot_set(n, "fontsize", "12");
    }
    dot_set(n, "label", b.v);
    strbuf_add(&tip, "files: ");
    for (size_t i = 0; i < sv->files.n && i < 30; i++) {
        if (i) strbuf_add(&tip, ", ");
        dot_text_add(&tip, sv->files.v[i]);
    }
    if (sv->files.n > 30) strbuf_printf(&tip, " and %zu more", sv->files.n - 30);
    dot_set(n, "tooltip", tip.v);
    free(tip.v);
    free(b.v);
    if (cyclic) {
        dot_set(n, "color", DOT_CYCLE);
        dot_set(n, "penwidth", "3");
    }
}

static void add_interface(Agraph_t *root, const drawing *d, size_t i, int back) {
    const plan *p = d->p;
    const graph *g = p->g;
    const plan_interface *x = &p->interfaces.v[i];
    int sites = d->sites[i];
    Agedge_t *e = dot_edge(root, dot_node(root, "service", p->services.v[x->from].name),
                           dot_node(root, "service", p->services.v[x->to].name));
    dot_setf(e, "id", "i%zu", i);
    strbuf b = {0};
    strbuf_printf(&b, "%d site%s", sites, sites == 1 ? "" : "s");
    /* the traffic model's rate, when the plan has one (cleave plan's own) */
    if (p->traffic_done && !d->step->brief) {
        strbuf_add(&b, "\\n");
        dot_rate_add(&b, x->rate);
        strbuf_add(&b, "/s");
    }
    if (d->step->brief < 2) dot_set(e, "label", b.v);
    b.n = 0;
    dot_setf(e, "penwidth", "%d", dot_penwidth(sites));
    dot_text_add(&b, p->services.v[x->from].name);
    strbuf_add(&b, " -> ");
    dot_text_add(&b, p->services.v[x->to].name);
    strbuf_printf(&b, ": %d call site%s, %d caller-callee pair%s; API:", x->sites,
                  x->sites == 1 ? "" : "s", x->calls, x->calls == 1 ? "" : "s");
    for (size_t k = 0; k < x->functions.n && k < 30; k++) {
        strbuf_add(&b, k ? ", " : " ");
        dot_text_add(&b, g->funcs.v[x->functions.v[k]].name);
    }
    if (x->functions.n > 30) strbuf_printf(&b, " and %zu more", x->functions.n - 30);
    if (p->traffic_done) {
        strbuf_add(&b, "; about ");
        dot_rate_add(&b, x->rate);
        strbuf_add(&b, " calls/s under the traffic model");
    }
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
typedef struct libuse {
    size_t a, b;
    int sites;
} libuse;

static int cmplibuse(const void *x, const void *y) {
    const libuse *u = x, *v = y;
    if (u->a != v->a) return u->a < v->a ? -1 : 1;
    return (u->b > v->b) - (u->b < v->b);
}

/* Library use folded into the library boxes: each library's label counts
 * the components it is linked into (or calls back) and their call sites,
 * from use[] sorted by (caller, callee); the pairs it stands for are
 * counted in d->folded for the title. */
static void fold_library_use(Agraph_t *root, drawing *d, const libuse *use, size_t n) {
    const plan *p = d->p;
    /* (library, other component, sites), one per call pair */
    libuse *by = xmallocarray(n + 1, sizeof *by);
    for (size_t i = 0; i < n; i++) {
        int lib_a = p->services.v[use[i].a].kind == PLAN_LIBRARY;
        by[i] = lib_a ? (libuse){use[i].a, use[i].b, use[i].sites}
                      : (libuse){use[i].b, use[i].a, use[i].sites};
        /* the edges it stands for: one per (caller, callee) pair */
        d->folded += i == 0 || use[i].a != use[i - 1].a || use[i].b != use[i - 1].b;
    }
    if (n > 1) qsort(by, n, sizeof *by, cmplibuse);
    strbuf b = {0};
    for (size_t i = 0, j; i < n; i = j) {
        size_t others = 0;
        long sites = 0;
        for (j = i; j < n && by[j].a == by[i].a; j++) {
            others += j == i || by[j].b != by[j - 1].b;
            sites += by[j].sites;
        }
        Agnode_t *node = dot_node(root, "service", p->services.v[by[i].a].name);
        if (d->step->brief) continue; /* the box has its name only */
        b.n = 0;
        strbuf_printf(&b, "%s\\nlinked into %zu component%s · %ld call site%s",
                      agget(node, "label"), others, others == 1 ? "" : "s", sites,
                      sites == 1 ? "" : "s");
        dot_set(node, "label", b.v);
    }
    free(b.v);
    free(by);
}

/* Dotted edges for calls into (or out of) library components: linked in,
 * not remote, so they are not interfaces.  One per pair of components, in
 * (caller, callee) order, from the calls sorted by pair (a services x
 * services table would be quadratic); may-calls left out with hide_may. */
static void add_library_use(Agraph_t *root, drawing *d) {
    const plan *p = d->p;
    const graph *g = p->g;
    struct { libuse *v; size_t n, cap; } use = {0};
    for (size_t i = 0; i < g->calls.n; i++) {
        size_t a = p->assign[g->calls.v[i].from], b = p->assign[g->calls.v[i].to];
        if (a == PLAN_NONE || b == PLAN_NONE || a == b) continue;
        if (p->services.v[a].kind != PLAN_LIBRARY && p->services.v[b].kind != PLAN_LIBRARY) continue;
        if (d->o.hide_may && g->calls.v[i].evidence == EV_TYPE) continue;
        libuse x = {a, b, g->calls.v[i].sites};
        VEC_PUSH(use, x);
    }
    if (use.n > 1) qsort(use.v, use.n, sizeof *use.v, cmplibuse);
    if (d->step->fold_lib) {
        fold_library_use(root, d, use.v, use.n);
        free(use.v);
        return;
    }
    for (size_t i = 0, j; i < use.n; i = j) {
        int sites = 0;
        for (j = i; j < use.n && use.v[j].a == use.v[i].a && use.v[j].b == use.v[i].b; j++)
            sites += use.v[j].sites;
        if (!sites) continue;
        if (sites < d->o.min_sites) {
            d->small_lib++;
            continue;
        }
        Agedge_t *e = dot_edge(root, dot_node(root, "service", p->services.v[use.v[i].a].name),
                               dot_node(root, "service", p->services.v[use.v[i].b].name));
        dot_setf(e, "id", "l%zu-%zu", use.v[i].a, use.v[i].b);
        dot_set(e, "color", DOT_MUTED);
        dot_set(e, "style", "dotted");
        dot_set(e, "arrowhead", "vee");
        dot_setf(e, "tooltip", "%d call site%s", sites, sites == 1 ? "" : "s");
    }
    free(use.v);
}

/* A state edge's arrows for what its service does: writes point into the
 * state (or to the other service of a pair), reads only come back
 * dashed, both ways both. */
static void state_arrows(Agedge_t *e, unsigned use_from, unsigned use_to) {
    int wf = (use_from & USE_WRITE) != 0, wt = (use_to & USE_WRITE) != 0;
    dot_set(e, "color", DOT_STATE_LINE);
    dot_set(e, "arrowhead", "vee");
    dot_set(e, "arrowtail", "vee");
    if (wf && wt) dot_set(e, "dir", "both");
    else if (wt) dot_set(e, "dir", "back");
    else if (!wf) dot_set(e, "dir", "none");
    if (!wf && !wt) dot_set(e, "style", "dashed");
}

/* A pair of services sharing state: the globals both touch, and what
 * each does to them. */
typedef struct statepair {
    size_t a, b;        /* a < b */
    size_t globals;     /* shared globals both touch */
    unsigned use_a, use_b;
    size_t first;       /* the first group with both (for the tooltip) */
} statepair;

static int cmp_pair(const void *x, const void *y) {
    const statepair *u = x, *v = y;
    if (u->a != v->a) return u->a < v->a ? -1 : 1;
    return (u->b > v->b) - (u->b < v->b);
}

/* Stronger first: the pair sharing more globals, then the first in (a, b)
 * order. */
static int cmp_stronger(const void *x, const void *y) {
    const statepair *u = x, *v = y;
    if (u->globals != v->globals) return u->globals > v->globals ? -1 : 1;
    return cmp_pair(u, v);
}

/* The strongest keep pairs of those offered: a pair weaker than the
 * weakest kept at the last cut is not kept; past 2 * keep pairs the
 * strongest keep are cut out again (amortised, no list of every pair). */
typedef struct strongest {
    statepair *v;
    size_t n, cap, keep;
    int cut; /* v[keep - 1] is the weakest kept at the last cut */
} strongest;

static void strongest_cut(strongest *k) {
    if (k->n > 1) qsort(k->v, k->n, sizeof *k->v, cmp_stronger);
    if (k->n > k->keep) k->n = k->keep;
    k->cut = k->keep > 0 && k->n == k->keep;
}

static void strongest_offer(strongest *k, const statepair *x) {
    if (k->cut && cmp_stronger(x, &k->v[k->keep - 1]) > 0) return;
    VEC_PUSH(*k, *x);
    if (k->n == 2 * k->keep) strongest_cut(k);
}

/* One edge per pair of services that share state, in (a, b) order,
 * labelled with the number of globals both touch; the arrows show who
 * writes (a write points at the other service).  Only the strongest
 * DOT_STATE_PAIRS_PER_NODE per service are drawn.  A global that many
 * services touch makes the pairs quadratic in its users, so they are
 * counted one service a at a time (acc[b] for its partners b > a, over
 * the groups a uses) and only the strongest are kept, never all pairs. */
static void add_state_pairs(Agraph_t *root, drawing *d, const state_group *groups, size_t ng) {
    const plan *p = d->p;
    size_t ns = p->services.n, keep = DOT_STATE_PAIRS_PER_NODE * ns;
    /* the groups each service uses, in group order: (group, its place among the users) */
    struct usage { size_t g, j; } *at;
    size_t *off = xcalloc(ns + 2, sizeof *off);
    for (size_t i = 0; i < ng; i++)
        for (size_t j = 0; j < groups[i].users->n; j++)
            if (groups[i].use[j]) off[groups[i].users->v[j] + 1]++;
    for (size_t s = 0; s < ns; s++) off[s + 1] += off[s];
    at = xmallocarray(off[ns] + 1, sizeof *at);
    size_t *fill = xmallocarray(ns + 1, sizeof *fill);
    memcpy(fill, off, (ns + 1) * sizeof *fill);
    for (size_t i = 0; i < ng; i++)
        for (size_t j = 0; j < groups[i].users->n; j++)
            if (groups[i].use[j]) at[fill[groups[i].users->v[j]]++] = (struct usage){i, j};
    statepair *acc = xcalloc(ns + 1, sizeof *acc); /* globals == 0: not a partner yet */
    size_t *partners = fill, npairs = 0; /* fill is done with: a's partners, as found */
    strongest kept = {.keep = keep};
    for (size_t a = 0; a < ns; a++) {
        size_t np = 0;
        for (size_t u = off[a]; u < off[a + 1]; u++) {
            const state_group *sg = &groups[at[u].g];
            for (size_t k = at[u].j + 1; k < sg->users->n; k++) {
                if (!sg->use[k]) continue;
                statepair *x = &acc[sg->users->v[k]];
                if (!x->globals) {
                    x->first = at[u].g;
                    partners[np++] = sg->users->v[k];
                }
                x->globals += sg->members.n;
                x->use_a |= sg->use[at[u].j];
                x->use_b |= sg->use[k];
            }
        }
        for (size_t k = 0; k < np; k++) {
            statepair x = acc[partners[k]];
            x.a = a;
            x.b = partners[k];
            strongest_offer(&kept, &x);
            memset(&acc[partners[k]], 0, sizeof *acc);
        }
        npairs += np;
    }
    strongest_cut(&kept);
    d->weak_pairs = npairs - kept.n;
    if (d->step->pair_q > 100) {
        d->fit_pairs = kept.n;
        kept.n = 0;
    } else if (d->step->pair_q) {
        /* kept is sorted stronger first: the percentile counts from the end */
        size_t n = kept.n;
        d->fit_globals = n ? kept.v[(n - 1) - (n - 1) * (size_t)d->step->pair_q / 100].globals : 0;
        while (kept.n > 0 && kept.v[kept.n - 1].globals < d->fit_globals) {
            kept.n--;
            d->fit_pairs++;
        }
    }
    if (kept.n > 1) qsort(kept.v, kept.n, sizeof *kept.v, cmp_pair);
    for (size_t i = 0; i < kept.n; i++) {
        statepair x = kept.v[i];
        const char *na = p->services.v[x.a].name, *nb = p->services.v[x.b].name;
        Agedge_t *e = dot_edge(root, dot_node(root, "service", na), dot_node(root, "service", nb));
        dot_setf(e, "id", "p%zu-%zu", x.a, x.b);
        dot_setf(e, "label", "%zu global%s", x.globals, x.globals == 1 ? "" : "s");
        dot_set(e, "fontcolor", DOT_STATE_LINE);
        state_arrows(e, x.use_a, x.use_b);
        strbuf b = {0};
        dot_text_add(&b, na);
        strbuf_add(&b, " and ");
        dot_text_add(&b, nb);
        strbuf_printf(&b, " share %zu global%s, e.g. ", x.globals, x.globals == 1 ? "" : "s");
        dot_text_add(&b, p->g->globals.v[p->shared.v[groups[x.first].first].global].name);
        dot_set(e, "tooltip", b.v);
        free(b.v);
        d->pairs++;
    }
    free(kept.v);
    free(acc);
    free(fill);
    free(at);
    free(off);
}

static void add_state(Agraph_t *root, drawing *d) {
    const plan *p = d->p;
    unsigned char **use = state_use(p);
    state_group *groups = NULL;
    size_t ng = group_state(p, use, &groups);
    size_t links = 0;
    for (size_t i = 0; i < ng; i++)
        for (size_t j = 0; j < groups[i].users->n; j++) links += groups[i].use[j] != 0;
    if (d->o.no_state) {
        d->state_links = links;
    } else if (links > DOT_STATE_LINKS_MAX || (links && d->step->pairs)) {
        d->paired = links;
        add_state_pairs(root, d, groups, ng);
    } else {
        for (size_t i = 0; i < ng; i++) {
            const state_group *sg = &groups[i];
            const char *key = p->g->globals.v[p->shared.v[sg->first].global].id;
            Agnode_t *n = dot_node(root, "state", key);
            dot_setf(n, "id", "g%zu", i);
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
            Agnode_t *n =
                dot_node(root, "state", p->g->globals.v[p->shared.v[sg->first].global].id);
            for (size_t j = 0; j < sg->users->n; j++) {
                if (!sg->use[j]) continue;
                /* always service -> state, so state settles below its users;
                 * the arrow shows which way data flows */
                Agedge_t *e = dot_edge(
                    root, dot_node(root, "service", p->services.v[sg->users->v[j]].name), n);
                /* many cylinders in one row make a picture too wide to read:
                 * spread them over three rows, as Graphviz's unflatten does */
                if (ng > STATE_ROW) dot_setf(e, "minlen", "%zu", 1 + i % 3);
                dot_set(e, "color", DOT_STATE_LINE);
                dot_set(e, "arrowhead", "vee");
                dot_set(e, "arrowtail", "vee");
                if (sg->use[j] == USE_READ) {
                    dot_set(e, "dir", "back");
                    dot_set(e, "style", "dashed");
                } else if (sg->use[j] == (USE_READ | USE_WRITE)) {
                    dot_set(e, "dir", "both");
                }
            }
        }
    }
    for (size_t i = 0; i < ng; i++) {
        free(groups[i].members.v);
        free(groups[i].use);
    }
    free(groups);
    for (size_t k = 0; k < p->shared.n; k++) free(use[k]);
    free(use);
}

/* "14 may-call interfaces and 171 state links hidden", what was merged
 * and what was too weak to draw, for the title; nothing when everything
 * is drawn. */
static void hidden_line(strbuf *t, const drawing *d) {
    strbuf b = {0};
    if (d->may)
        strbuf_printf(&b, "%zu may-call interface%s", d->may, d->may == 1 ? "" : "s");
    if (d->small || d->small_lib)
        strbuf_printf(&b, "%s%zu edge%s under %d call sites", b.n ? ", " : "",
                      d->small + d->small_lib, d->small + d->small_lib == 1 ? "" : "s",
                      d->o.min_sites);
    if (d->state_links)
        strbuf_printf(&b, "%s%zu state link%s", b.n ? " and " : "", d->state_links,
                      d->state_links == 1 ? "" : "s");
    if (b.n) strbuf_printf(t, "\\n%s hidden", b.v);
    if (d->weak)
        strbuf_printf(t, "\\nthe strongest interfaces drawn; %zu weaker (%ld call sites) not drawn",
                      d->weak, d->weak_sites);
    if (d->paired && d->pairs)
        strbuf_printf(t, "\\n%zu links to shared state drawn as %zu service pairs (labels: globals "
                         "both touch)",
                      d->paired, d->pairs);
    if (d->weak_pairs && d->pairs)
        strbuf_printf(t, "; %zu more pairs not drawn", d->weak_pairs);
    /* what the steps taken to fit a screen left out */
    b.n = 0;
    if (d->fit_small)
        strbuf_printf(&b, "%zu interface%s under %d call sites (%ld sites)", d->fit_small,
                      d->fit_small == 1 ? "" : "s", d->fit_min, d->fit_sites);
    if (d->paired && !d->pairs)
        strbuf_printf(&b, "%s%zu links to shared state (%zu service pairs)", b.n ? " and " : "",
                      d->paired, d->fit_pairs + d->weak_pairs);
    else if (d->fit_pairs)
        strbuf_printf(&b, "%s%zu state pair%s sharing under %zu globals", b.n ? " and " : "",
                      d->fit_pairs, d->fit_pairs == 1 ? "" : "s", d->fit_globals);
    if (b.n || d->folded) {
        strbuf_add(t, "\\nto fit a screen: ");
        /* a line each: one long line would set the picture's width */
        if (d->folded)
            strbuf_printf(t, "%zu library-use edge%s %s%s", d->folded, d->folded == 1 ? "" : "s",
                          d->step->brief ? "not drawn" : "counted in the library boxes",
                          b.n ? ";\\n" : "");
        if (b.n) strbuf_printf(t, "%s not drawn", b.v);
    }
    if (d->step->brief)
        strbuf_printf(t, "\\nboxes show names and functions, interfaces %s: the rest in tooltips",
                      d->step->brief > 1 ? "their call sites by width" : "their call sites");
    free(b.v);
}

/* How a step is laid out: top to bottom or left to right, the legend in
 * one column or two (wide and short, for the top rank beside the sources). */
enum { SHAPE_LR = 1, SHAPE_WIDE_LEGEND = 2, SHAPES = 4 };
/* ... and, for the one taken when it is at most FIT_SLACK too large,
 * scaled to the screen */
enum { SHAPE_SCALED = 4 };
/* A picture this much larger than the screen is scaled down to it (the
 * `size` attribute), labels to no less than 95% of their size; nginx's
 * fitted view is 2% too wide. */
#define FIT_SLACK 1.05

/* The view drawn as step and shape say, its wide ranks in rows (NULL:
 * none); *nodes and *edges receive how many it draws. */
static char *draw(const plan *p, const dot_options *o, const fitstep *step, int shape,
                  const dot_rows *rows, size_t *nodes, size_t *edges) {
    size_t ns = p->services.n;
    drawing d;
    drawing_init(&d, p, o, step);
    size_t *comp = xmallocarray(ns + 1, sizeof *comp);
    unsigned char *cyclic = xcalloc(ns + 1, 1);
    size_t on_cycles = find_cycles(p, d.eligible, comp, cyclic);
    unsigned char *back = xcalloc(p->interfaces.n + 1, 1);
    size_t nback = feedback_edges(p, d.eligible, comp, cyclic, back);

    dot_doc *doc = dot_doc_new("services");
    Agraph_t *root = dot_doc_graph(doc);
    dot_declare(root, AGRAPH, GRAPH_ATTRS);
    dot_declare(root, AGNODE, DOT_COMPONENT_NODE_ATTRS);
    dot_declare(root, AGEDGE, EDGE_ATTRS);
    if (step->compact) {
        dot_set(root, "nodesep", "0.2");
        dot_set(root, "ranksep", "0.25");
        dot_set(root, "fontsize", "14"); /* the title, as large as the boxes' names */
    }
    if (shape & SHAPE_LR) dot_set(root, "rankdir", "LR");
    if (shape & SHAPE_SCALED)
        dot_setf(root, "size", "%.2f,%.2f", DOT_SCREEN_W / 72.0, DOT_SCREEN_H / 72.0);

    for (size_t s = 0; s < ns; s++) add_component(root, p, s, cyclic[s], step->brief);
    add_state(root, &d);
    for (size_t i = 0; i < p->interfaces.n; i++)
        if (d.drawn[i]) add_interface(root, &d, i, back[i]);
    add_library_use(root, &d);

    size_t kinds[PLAN_KIND_COUNT] = {0};
    for (size_t s = 0; s < ns; s++) kinds[p->services.v[s].kind]++;
    strbuf t = {0};
    char *name = view_project_name(p->g);
    strbuf_add(&t, "Services of ");
    dot_text_add(&t, name);
    free(name);
    strbuf_printf(&t, ": %zu service%s", kinds[PLAN_SERVICE], kinds[PLAN_SERVICE] == 1 ? "" : "s");
    if (kinds[PLAN_FUNCTION]) strbuf_printf(&t, ", %zu functions", kinds[PLAN_FUNCTION]);
    if (kinds[PLAN_LIBRARY])
        strbuf_printf(&t, ", %zu librar%s", kinds[PLAN_LIBRARY],
                      kinds[PLAN_LIBRARY] == 1 ? "y" : "ies");
    if (kinds[PLAN_PROGRAM])
        strbuf_printf(&t, ", %zu program%s", kinds[PLAN_PROGRAM], kinds[PLAN_PROGRAM] == 1 ? "" : "s");
    strbuf_printf(&t, "\\n%d cross-service call sites · %zu shared global%s",
                  p->metrics.cross_sites, p->shared.n, p->shared.n == 1 ? "" : "s");
    if (on_cycles)
        strbuf_printf(&t, "\\n%zu services on dependency cycles (red outline); cutting the %zu red "
                          "interface%s would break every cycle",
                      on_cycles, nback, nback == 1 ? "" : "s");
    hidden_line(&t, &d);
    dot_set(root, "label", t.v);
    free(t.v);

    int state_drawn = p->shared.n && !d.o.no_state;
    dot_key keys[10]; /* one per kind (4), state, interface, two for cycles, library use, writes */
    size_t nk = 0;
    if (kinds[PLAN_SERVICE])
        keys[nk++] = step->brief
                         ? (dot_key){.fill = DOT_SERVICE_FILL,
                                     .meaning = "service: name, functions (tooltip: the rest)"}
                         : DOT_KEY_SERVICE;
    if (kinds[PLAN_FUNCTION]) keys[nk++] = DOT_KEY_FUNCTION;
    if (kinds[PLAN_LIBRARY]) keys[nk++] = DOT_KEY_LIBRARY;
    if (kinds[PLAN_PROGRAM]) keys[nk++] = DOT_KEY_PROGRAM;
    if (state_drawn && !d.paired)
        keys[nk++] = (dot_key){
            .fill = DOT_STATE_FILL, .line = DOT_STATE_LINE, .meaning = "shared global state"};
    keys[nk++] = (dot_key){.ink = DOT_SERVICE_LINE, .sample = "──▶",
                           .meaning = step->brief > 1 ? "interface: width grows with call sites"
                                      : p->traffic_done && !step->brief
                                          ? "interface: call sites, width grows with "
                                                        "them; calls per second (traffic model)"
                                                      : "interface: call sites, width grows with them"};
    if (on_cycles) {
        keys[nk++] = (dot_key){.fill = DOT_SERVICE_FILL, .line = DOT_CYCLE,
                               .meaning = "service on a dependency cycle"};
        keys[nk++] = (dot_key){.ink = DOT_CYCLE, .sample = "──▶",
                               .meaning = "interface closing a cycle (few sites: move these)"};
    }
    if (kinds[PLAN_LIBRARY] && !d.folded)
        keys[nk++] = (dot_key){
            .ink = DOT_MUTED, .sample = "┈┈▶", .meaning = "calls into a library (linked in)"};
    if (state_drawn && d.paired && d.pairs)
        keys[nk++] = (dot_key){.ink = DOT_STATE_LINE, .sample = "──▶",
                               .meaning = "services sharing globals (label: how many); "
                                          "arrow from the writer (dashed: neither writes)"};
    else if (state_drawn && !d.paired)
        keys[nk++] = (dot_key){
            .ink = DOT_STATE_LINE, .sample = "──▶", .meaning = "writes state (dashed: reads only)"};
    dot_legend_columns(root, keys, nk, shape & SHAPE_WIDE_LEGEND ? 2 : 1);
    /* edges, not nodes, make a service view slow to lay out */
    *nodes = (size_t)agnnodes(root);
    *edges = (size_t)agnedges(root);
    dot_tune(root, *nodes + *edges);
    dot_rows_apply(root, rows);

    free(comp);
    free(cyclic);
    free(back);
    drawing_free(&d);
    return dot_doc_finish(doc);
}

/* How much a picture of w x h points must shrink to fit the screen (<= 1: fits). */
static double overflow(double w, double h) {
    double x = w / DOT_SCREEN_W, y = h / DOT_SCREEN_H;
    return x > y ? x : y;
}

/* A drawing larger than this many screens is not broken into rows: the
 * rows would not make it fit (Git's: 23 s of CPU over every step, 4 s
 * this way, the same view kept). */
#define ROWS_AREA 1.5

/* One drawing tried to fit the screen (dot_rows_fit builds it). */
typedef struct attempt {
    const plan *p;
    const dot_options *o;
    const fitstep *step;
    int shape;
    size_t nodes, edges;
} attempt;

static char *build(void *ctx, const dot_rows *rows) {
    attempt *a = ctx;
    return draw(a->p, a->o, a->step, a->shape, rows, &a->nodes, &a->edges);
}

/* Draws and lays out a step in a shape: top to bottom, its wide ranks in
 * rows when that makes it fit better (*rows receives them, NULL: none),
 * for a plan of at most DOT_ROWS_MAX_NODES components.  0, or -1 when
 * Graphviz cannot lay it out (*text is still set). */
static int attempt_draw(attempt *a, char **text, double *w, double *h, dot_rows **rows) {
    *rows = NULL;
    if (!(a->shape & SHAPE_LR) && a->p->services.n <= DOT_ROWS_MAX_NODES)
        return dot_rows_fit(build, a, DOT_SCREEN_W, DOT_SCREEN_H,
                            ROWS_AREA * DOT_SCREEN_W * DOT_SCREEN_H, text, w, h, rows);
    *text = build(a, NULL);
    return dot_layout_size(*text, w, h);
}

char *dot_services_view(const plan *p, const dot_options *o, size_t *nodes, size_t *edges) {
    attempt a = {p, o, &STEPS[0], 0, 0, 0};
    char *best = build(&a, NULL);
    *nodes = a.nodes;
    *edges = a.edges;
    /* a view too large to lay out in reasonable time is written as it is */
    if ((o && o->no_fit) || *nodes > DOT_RENDER_MAX_SERVICES ||
        *edges > DOT_RENDER_MAX_SERVICE_EDGES)
        return best;
    free(best);
    double w, h;
    dot_rows *rows = NULL;
    if (attempt_draw(&a, &best, &w, &h, &rows) != 0) return best;
    double least = overflow(w, h);
    size_t step = 0;
    int how = 0;
    for (size_t k = 1; k < NSTEPS && least > FIT_SLACK; k++)
        for (int shape = 0; shape < SHAPES && least > FIT_SLACK; shape++) {
            attempt t = {p, o, &STEPS[k], shape, 0, 0};
            char *text;
            dot_rows *r;
            /* the smallest so far, when none fits; left to right only when
             * it fits (its ranks of lone nodes make a tall column) */
            int ok = attempt_draw(&t, &text, &w, &h, &r) == 0;
            double over = ok ? overflow(w, h) : least;
            if (over < least && (!(shape & SHAPE_LR) || over <= FIT_SLACK)) {
                free(best);
                dot_rows_free(rows);
                best = text;
                rows = r;
                least = over;
                step = k;
                how = shape;
                *nodes = t.nodes;
                *edges = t.edges;
            } else {
                free(text);
                dot_rows_free(r);
            }
        }
    if (least > 1 && least <= FIT_SLACK) {
        free(best);
        best = draw(p, o, &STEPS[step], how | SHAPE_SCALED, rows, nodes, edges);
    }
    dot_rows_free(rows);
    return best;
}

char *dot_services_text(const plan *p, const dot_options *o) {
    size_t nodes, edges;
    return dot_services_view(p, o, &nodes, &edges);
}
