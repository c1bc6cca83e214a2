/*
 * traffic.c - the traffic model (traffic.h): entry rates, calls per
 * invocation of each call edge, rates carried down the call graph, and
 * what crosses each boundary of the plan.  docs/fitness.md ("Traffic")
 * states the model and its assumptions.
 *
 * Rates flow over the condensation of the call graph (graph/scc.h), from
 * the callers' components to the callees'; inside a cycle they flow in
 * breadth-first order from where they enter, and a call back to a function
 * already passed is not followed.  Every loop runs in index order and every
 * sum in a fixed order, so equal plans give equal rates.  Temporary arrays
 * are freed before returning; what is stored in the plan is owned by it.
 */
#include "plan/traffic.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph/scc.h"

#define NONE ((size_t)-1)

/* One call site of a function and the call edge it belongs to: a site
 * calling through a pointer belongs to one edge per function it may reach. */
typedef struct sitex {
    const gsite *at;
    size_t call;
} sitex;

static int cmpsitex(const void *a, const void *b) {
    const gsite *x = ((const sitex *)a)->at, *y = ((const sitex *)b)->at;
    int c = strcmp(x->file ? x->file : "", y->file ? y->file : "");
    if (c) return c;
    if (x->line != y->line) return x->line < y->line ? -1 : 1;
    return (x->col > y->col) - (x->col < y->col);
}

/*
 * Calls per invocation of the caller along each call edge: its share of
 * the caller's distinct call sites (a site reaching k functions gives each
 * 1/k), each taken loops^depth times inside depth loops.  The graph keeps
 * the deepest loop of an edge: one of its n sites is taken at that depth,
 * the others at none.  A call of the caller itself gets 0 (a cycle).  The
 * caller frees the array.
 */
static double *call_weights(const graph *g, double loops) {
    size_t n = g->calls.n;
    double *w = xcalloc(n ? n : 1, sizeof *w);
    struct {
        sitex *v;
        size_t n, cap;
    } sites = {0};
    for (size_t i = 0, j; i < n; i = j) {
        size_t f = g->calls.v[i].from;
        double distinct = 0;
        sites.n = 0;
        for (j = i; j < n && g->calls.v[j].from == f; j++) {
            const gcall *c = &g->calls.v[j];
            /* a call made by hand without places: sites of its own */
            if (!c->at.n) {
                w[j] = c->sites;
                distinct += c->sites;
            }
            for (size_t k = 0; k < c->at.n; k++) {
                sitex x = {&c->at.v[k], j};
                VEC_PUSH(sites, x);
            }
        }
        if (sites.n > 1) qsort(sites.v, sites.n, sizeof *sites.v, cmpsitex);
        for (size_t a = 0, b; a < sites.n; a = b) {
            for (b = a + 1; b < sites.n && cmpsitex(&sites.v[a], &sites.v[b]) == 0; b++) {
            }
            distinct += 1;
            for (size_t k = a; k < b; k++) w[sites.v[k].call] += 1.0 / (double)(b - a);
        }
        for (size_t k = i; k < j; k++) {
            const gcall *c = &g->calls.v[k];
            double m = c->at.n ? (double)c->at.n : (double)c->sites;
            if (c->to == f || m <= 0 || distinct <= 0) {
                w[k] = 0;
                continue;
            }
            w[k] *= (m - 1 + pow(loops, c->loop_depth > 0 ? c->loop_depth : 0)) / m / distinct;
        }
    }
    free(sites.v);
    return w;
}

/* A saved plan's entry points (traffic_replay): per function, its rate an
 * hour (NAN: none recorded) and where the rate came from. */
typedef struct recorded {
    double *per_hour;
    int *from;
} recorded;

/* The entry points and their rates into p->traffic.entries (those rec
 * gives, when not NULL, first). */
static void entries(plan *p, const config_traffic *t, const recorded *rec,
                    double default_per_hour) {
    const graph *g = p->g;
    size_t nf = g->funcs.n;
    /* called at all (a root is not), called by name (a glob names only
     * functions nothing calls by name: the file's entry points and the
     * handlers it registers through pointers) */
    unsigned char *called = xcalloc(nf ? nf : 1, 1), *named = xcalloc(nf ? nf : 1, 1);
    for (size_t i = 0; i < g->calls.n; i++) {
        const gcall *c = &g->calls.v[i];
        if (c->from == c->to) continue;
        called[c->to] = 1;
        if (c->evidence == EV_DIRECT) named[c->to] = 1;
    }
    for (size_t f = 0; f < nf; f++) {
        const gfunc *fn = &g->funcs.v[f];
        if (!fn->defined) continue;
        plan_entry x;
        if (rec && !isnan(rec->per_hour[f])) {
            x = (plan_entry){f, rec->per_hour[f], rec->from[f]};
        } else {
            int e = t ? config_entry_of(t, fn->id, fn->file, !named[f]) : -1;
            if (e < 0 && called[f]) continue;
            x = (plan_entry){f, e < 0 ? default_per_hour : t->entries.v[e].per_hour, e};
        }
        VEC_PUSH(p->traffic.entries, x);
    }
    free(named);
    free(called);
}

/* Carries rate[] down the call graph (see the file comment). */
static void propagate(const graph *g, const double *w, double *rate) {
    size_t nf = g->funcs.n;
    size_t *off = xcalloc(nf + 1, sizeof *off), *to = xmallocarray(g->calls.n, sizeof *to);
    for (size_t i = 0; i < g->calls.n; i++) {
        off[g->calls.v[i].from + 1]++;
        to[i] = g->calls.v[i].to; /* calls are sorted by caller */
    }
    for (size_t f = 0; f < nf; f++) off[f + 1] += off[f];
    size_t *comp = xmallocarray(nf ? nf : 1, sizeof *comp);
    size_t nc = scc_lists(nf, off, to, comp);
    /* the members of each component, in index order */
    size_t *moff = xcalloc(nc + 1, sizeof *moff),
           *members = xmallocarray(nf ? nf : 1, sizeof *members);
    for (size_t f = 0; f < nf; f++) moff[comp[f] + 1]++;
    for (size_t c = 0; c < nc; c++) moff[c + 1] += moff[c];
    size_t *fill = xmallocarray(nc + 1, sizeof *fill);
    memcpy(fill, moff, (nc + 1) * sizeof *fill);
    for (size_t f = 0; f < nf; f++) members[fill[comp[f]]++] = f;
    free(fill);
    size_t *pos = xmallocarray(nf ? nf : 1, sizeof *pos),
           *order = xmallocarray(nf ? nf : 1, sizeof *order);
    for (size_t f = 0; f < nf; f++) pos[f] = NONE;
    /* components complete sinks first: callers come later */
    for (size_t c = nc; c-- > 0;) {
        const size_t *m = members + moff[c];
        size_t size = moff[c + 1] - moff[c], no = 0;
        /* breadth-first from where the rate enters, in index order */
        for (size_t s = 0; s < size; s++) {
            if (!(rate[m[s]] > 0) || pos[m[s]] != NONE) continue;
            pos[m[s]] = no;
            order[no++] = m[s];
            for (size_t q = no - 1; q < no; q++)
                for (size_t i = off[order[q]]; i < off[order[q] + 1]; i++) {
                    size_t v = to[i];
                    if (comp[v] != c || pos[v] != NONE) continue;
                    pos[v] = no;
                    order[no++] = v;
                }
        }
        for (size_t q = 0; q < no; q++) {
            size_t v = order[q];
            for (size_t i = off[v]; i < off[v + 1]; i++) {
                size_t u = to[i];
                if (comp[u] == c && pos[u] <= q) continue; /* back into the cycle */
                rate[u] += rate[v] * w[i];
            }
        }
    }
    free(order);
    free(pos);
    free(members);
    free(moff);
    free(comp);
    free(to);
    free(off);
}

/* Calls per second along each call edge of p->g, from the entry points
 * and loop iterations in p->traffic.  The caller frees the array. */
static double *flows(const plan *p) {
    const graph *g = p->g;
    size_t nf = g->funcs.n;
    double *rate = xcalloc(nf ? nf : 1, sizeof *rate);
    for (size_t i = 0; i < p->traffic.entries.n; i++)
        rate[p->traffic.entries.v[i].function] = p->traffic.entries.v[i].per_hour / 3600.0;
    double *w = call_weights(g, p->traffic.loop_iterations);
    propagate(g, w, rate);
    for (size_t i = 0; i < g->calls.n; i++) w[i] *= rate[g->calls.v[i].from];
    free(rate);
    return w;
}

double *traffic_call_rates(const plan *p) {
    return p->traffic_done ? flows(p) : NULL;
}

static int cmpiface(const void *key, const void *elem) {
    const size_t *k = key;
    const plan_interface *x = elem;
    if (k[0] != x->from) return k[0] < x->from ? -1 : 1;
    return (k[1] > x->to) - (k[1] < x->to);
}

/* traffic_compute and traffic_replay: the model over the entry points t
 * or rec gives, loops iterations a loop level. */
static void compute(plan *p, const config_traffic *t, const recorded *rec, double loops,
                    double default_per_hour) {
    const graph *g = p->g;
    free(p->traffic.entries.v);
    memset(&p->traffic, 0, sizeof p->traffic);
    p->traffic.loop_iterations = loops;
    for (size_t i = 0; i < p->interfaces.n; i++) p->interfaces.v[i].rate = 0;
    entries(p, t, rec, default_per_hour);
    double *flow = flows(p);
    for (size_t i = 0; i < p->traffic.entries.n; i++) {
        const plan_entry *e = &p->traffic.entries.v[i];
        size_t s = p->assign[e->function];
        if (s != PLAN_NONE) p->services.v[s].fitness.rate_entry += e->per_hour / 3600.0;
    }
    for (size_t i = 0; i < g->calls.n; i++) {
        const gcall *c = &g->calls.v[i];
        size_t a = p->assign[c->from], b = p->assign[c->to];
        if (a == PLAN_NONE || b == PLAN_NONE || a == b || !(flow[i] > 0)) continue;
        if (!plan_remote_call(p, a, b, c)) {
            /* linked in: a library's rate is the calls its callers make */
            if (p->services.v[b].kind == PLAN_LIBRARY) p->services.v[b].fitness.rate_in += flow[i];
            continue;
        }
        size_t key[2] = {a, b};
        plan_interface *x =
            bsearch(key, p->interfaces.v, p->interfaces.n, sizeof *p->interfaces.v, cmpiface);
        if (x) x->rate += flow[i];
        p->services.v[a].fitness.rate_out += flow[i];
        p->services.v[b].fitness.rate_in += flow[i];
    }
    free(flow);
    p->traffic_done = 1;
}

void traffic_compute(plan *p, const config_traffic *t, double default_per_hour) {
    compute(p, t, NULL, t ? t->loop_iterations : 10, default_per_hour);
}

void traffic_replay(plan *p, double default_per_hour) {
    size_t nf = p->g->funcs.n;
    recorded rec = {xmallocarray(nf + 1, sizeof *rec.per_hour), xcalloc(nf + 1, sizeof *rec.from)};
    for (size_t f = 0; f < nf; f++) rec.per_hour[f] = NAN;
    for (size_t i = 0; i < p->traffic.entries.n; i++) {
        const plan_entry *e = &p->traffic.entries.v[i];
        rec.per_hour[e->function] = e->per_hour;
        rec.from[e->function] = e->from;
    }
    compute(p, NULL, &rec, p->traffic.loop_iterations, default_per_hour);
    free(rec.per_hour);
    free(rec.from);
}
