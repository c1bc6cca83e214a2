/*
 * fitness.c - per-component fitness (fitness.h): state, cold-start size,
 * chattiness, trace depth, a recommendation with its reasons, and the cost
 * of an always-on service against pay-per-invocation.  docs/fitness.md
 * defines every figure and threshold.
 *
 * Everything is derived from the plan's assignment and the graph, in index
 * order, so equal plans give equal fitness.  Temporary arrays are freed
 * before returning; what is stored in the plan is owned by it.
 */
#include "plan/fitness.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "graph/state.h"
#include "plan/traffic.h"

/* External calls that acquire something outliving the call, and the call
 * that gives it back (NULL: nothing does; it lasts until exit). */
static const struct { const char *name, *kind, *release; } RESOURCES[] = {
    {"fopen", "file", "fclose"},         {"fdopen", "file", "fclose"},
    {"freopen", "file", "fclose"},       {"tmpfile", "file", "fclose"},
    {"open", "file", "close"},           {"openat", "file", "close"},
    {"creat", "file", "close"},          {"opendir", "directory", "closedir"},
    {"socket", "socket", "close"},       {"accept", "socket", "close"},
    {"accept4", "socket", "close"},      {"socketpair", "socket", "close"},
    {"pipe", "pipe", "close"},           {"popen", "process", "pclose"},
    {"fork", "process", "waitpid"},      {"mmap", "memory map", "munmap"},
    {"dlopen", "shared object", "dlclose"}, {"pthread_create", "thread", "pthread_join"},
    {"thrd_create", "thread", "thrd_join"}, {"signal", "signal handler", NULL},
    {"sigaction", "signal handler", NULL}, {"atexit", "exit handler", NULL},
    {"at_quick_exit", "exit handler", NULL}, {"on_exit", "exit handler", NULL},
    {"alarm", "timer", NULL},            {"setitimer", "timer", NULL},
    {"timer_create", "timer", "timer_delete"},
};
#define NRESOURCES (sizeof RESOURCES / sizeof RESOURCES[0])

#define TRACE_HARD 3 /* a request crossing this many boundaries is hard to trace */

#define NONE ((size_t)-1)

typedef struct ctx {
    plan *p;
    const graph *g;
    const config_thresholds *t;
    size_t nf, ns;
    size_t *off;          /* calls of function f: g->calls.v[off[f] .. off[f+1]) */
    size_t *aoff;         /* accesses of function f: g->accesses.v[aoff[f] .. aoff[f+1]) */
    size_t *var;          /* global -> the variable it is (a field's parent), or NONE */
} ctx;

static int islib(const ctx *c, size_t s) {
    return s != PLAN_NONE && c->p->services.v[s].kind == PLAN_LIBRARY;
}

/* A remote call: between two different components, neither a library. */
static int remote(const ctx *c, size_t a, size_t b) {
    return a != PLAN_NONE && b != PLAN_NONE && a != b && !islib(c, a) && !islib(c, b);
}

static void reason(plan_fitness *f, char *text) {
    strvec_push_owned(&f->reasons, text);
}

/* Components a reason names before "and N more". */
#define NAMES_SHOWN 3

/* "`a`, `b` and `c`" for the first NAMES_SHOWN services of v, "and N more". */
static char *names(const plan *p, const idxvec *v) {
    strbuf b = {0};
    size_t shown = v->n < NAMES_SHOWN ? v->n : NAMES_SHOWN;
    for (size_t i = 0; i < shown; i++) {
        if (i > 0) strbuf_add(&b, i + 1 == v->n ? " and " : ", ");
        strbuf_printf(&b, "`%s`", p->services.v[v->v[i]].name);
    }
    if (v->n > shown) strbuf_printf(&b, " and %zu more", v->n - shown);
    return b.v ? b.v : xstrdup("");
}

/* ---- state ------------------------------------------------------------- */

static int calls_named(const ctx *c, size_t f, const char *name) {
    for (size_t i = c->off[f]; i < c->off[f + 1]; i++) {
        const gfunc *t = &c->g->funcs.v[c->g->calls.v[i].to];
        if (!t->defined && strcmp(t->name, name) == 0) return 1;
    }
    return 0;
}

/* Resources: a call of an acquiring external whose caller does not give
 * it back in the same function. */
static void derive_resources(ctx *c) {
    const graph *g = c->g;
    /* which resource each external function acquires (NRESOURCES: none),
     * looked up once per function rather than once per call */
    unsigned char *res = xmalloc(c->nf ? c->nf : 1);
    for (size_t f = 0; f < c->nf; f++) {
        const gfunc *t = &g->funcs.v[f];
        res[f] = NRESOURCES;
        for (size_t r = 0; r < NRESOURCES && !t->defined; r++)
            if (strcmp(t->name, RESOURCES[r].name) == 0) {
                res[f] = (unsigned char)r;
                break;
            }
    }
    for (size_t i = 0; i < g->calls.n; i++) {
        const gcall *k = &g->calls.v[i];
        size_t s = c->p->assign[k->from], r = res[k->to];
        if (s == PLAN_NONE || r == NRESOURCES || k->indirect) continue;
        if (RESOURCES[r].release && calls_named(c, k->from, RESOURCES[r].release)) continue;
        plan_resource x = {k->from, k->to, RESOURCES[r].kind};
        VEC_PUSH(c->p->services.v[s].fitness.resources, x);
    }
    free(res);
}

static void derive_state(ctx *c) {
    const graph *g = c->g;
    plan *p = c->p;
    size_t ng = g->globals.n;
    idxvec *touch = xcalloc(ng, sizeof *touch);
    idxvec *write = xcalloc(ng, sizeof *write);
    for (size_t i = 0; i < g->accesses.n; i++) {
        const gaccess *a = &g->accesses.v[i];
        size_t s = p->assign[a->function];
        if (s == PLAN_NONE) continue;
        plan_fitness *f = &p->services.v[s].fitness;
        VEC_PUSH(touch[a->global], s);
        if (!a->writes) {
            /* a read, or the address of state nothing writes (state.h) */
            if (a->mode == MODE_ADDRESS) VEC_PUSH(f->addressed, a->global);
            else VEC_PUSH(f->reads, a->global);
            continue;
        }
        VEC_PUSH(write[a->global], s);
        if (g->globals.v[a->global].kind == GKIND_STATIC_LOCAL) VEC_PUSH(f->statics, a->global);
        else VEC_PUSH(f->writes, a->global);
    }
    for (size_t v = 0; v < ng; v++) {
        plan_idx_sortuniq(&touch[v]);
        plan_idx_sortuniq(&write[v]);
    }
    /* writers per struct variable and all its fields: writing one field
     * makes the whole variable mutable state (fields are one level deep) */
    size_t *root = xmallocarray(ng, sizeof *root);
    idxvec *family = xcalloc(ng, sizeof *family);
    idxvec *ftouch = xcalloc(ng, sizeof *ftouch);
    for (size_t v = 0; v < ng; v++) {
        root[v] = state_family(g, v);
        for (size_t j = 0; j < write[v].n; j++) VEC_PUSH(family[root[v]], write[v].v[j]);
        for (size_t j = 0; j < touch[v].n; j++) VEC_PUSH(ftouch[root[v]], touch[v].v[j]);
    }
    for (size_t v = 0; v < ng; v++) {
        plan_idx_sortuniq(&family[v]);
        plan_idx_sortuniq(&ftouch[v]);
    }
    for (size_t s = 0; s < p->services.n; s++) {
        plan_fitness *f = &p->services.v[s].fitness;
        plan_idx_sortuniq(&f->writes);
        plan_idx_sortuniq(&f->statics);
        plan_idx_sortuniq(&f->reads);
        plan_idx_sortuniq(&f->addressed);
        /* reads and addresses: only what it never writes */
        size_t o = 0;
        for (size_t i = 0; i < f->reads.n; i++)
            if (!plan_idx_contains(&f->writes, f->reads.v[i]) && !plan_idx_contains(&f->statics, f->reads.v[i]))
                f->reads.v[o++] = f->reads.v[i];
        f->reads.n = o;
        o = 0;
        for (size_t i = 0; i < f->addressed.n; i++)
            if (!plan_idx_contains(&f->writes, f->addressed.v[i]) && !plan_idx_contains(&f->statics, f->addressed.v[i]))
                f->addressed.v[o++] = f->addressed.v[i];
        f->addressed.n = o;
        /* the external store: what it writes, and what it reads or
         * addresses that is written (by anyone: its own writes of a
         * sibling field make the variable its state) */
        for (size_t i = 0; i < f->writes.n; i++) VEC_PUSH(f->store, f->writes.v[i]);
        for (size_t i = 0; i < f->statics.n; i++) VEC_PUSH(f->store, f->statics.v[i]);
        for (int pass = 0; pass < 2; pass++) {
            const idxvec *from = pass ? &f->addressed : &f->reads;
            for (size_t i = 0; i < from->n; i++) {
                const idxvec *w = &family[root[from->v[i]]];
                if (w->n == 0) continue;
                VEC_PUSH(f->store, from->v[i]);
                if (w->n > 1 || w->v[0] != s) VEC_PUSH(f->foreign, from->v[i]);
            }
        }
        plan_idx_sortuniq(&f->store);
        plan_idx_sortuniq(&f->foreign);
        for (size_t i = 0; i < f->writes.n; i++) {
            const idxvec *t = &ftouch[root[f->writes.v[i]]];
            for (size_t j = 0; j < t->n; j++)
                if (t->v[j] != s) VEC_PUSH(f->shared_with, t->v[j]);
        }
        plan_idx_sortuniq(&f->shared_with);
    }
    for (size_t v = 0; v < ng; v++) {
        free(touch[v].v);
        free(write[v].v);
        free(family[v].v);
        free(ftouch[v].v);
    }
    free(ftouch);
    free(family);
    free(root);
    free(touch);
    free(write);
}

/* ---- cold start -------------------------------------------------------- */

/* What a deployment of service s carries: its functions and everything
 * they reach in themselves or the library layer (other components are
 * remote).  mark/gmark hold stamps, s + 1 meaning "seen for s"; stack
 * holds every function pushed (the ones carried), so only their own
 * accesses are read, not the whole graph's once per service. */
static void derive_cold(ctx *c, size_t s, size_t *mark, size_t *gmark, size_t *stack) {
    const graph *g = c->g;
    plan_fitness *f = &c->p->services.v[s].fitness;
    const idxvec *own = &c->p->services.v[s].funcs;
    size_t top = 0, stamp = s + 1;
    for (size_t i = 0; i < own->n; i++) {
        mark[own->v[i]] = stamp;
        stack[top++] = own->v[i];
    }
    for (size_t next = 0; next < top; next++) {
        size_t v = stack[next];
        const gfunc *fn = &g->funcs.v[v];
        if (!fn->defined) {
            f->cold_externals++;
            continue;
        }
        f->cold_functions++;
        f->cold_loc += fn->loc;
        for (size_t i = c->off[v]; i < c->off[v + 1]; i++) {
            size_t t = g->calls.v[i].to, ts = c->p->assign[t];
            if (mark[t] == stamp) continue;
            if (ts != PLAN_NONE && ts != s && !islib(c, ts)) continue; /* remote */
            mark[t] = stamp;
            stack[top++] = t;
        }
    }
    /* the data it carries: variables and statics its code touches */
    for (size_t k = 0; k < top; k++)
        for (size_t i = c->aoff[stack[k]]; i < c->aoff[stack[k] + 1]; i++) {
            size_t gl = c->var[g->accesses.v[i].global];
            if (gl == NONE || gmark[gl] == stamp) continue;
            gmark[gl] = stamp;
            f->cold_globals++;
        }
    f->bytes_estimate = f->cold_loc * FITNESS_BYTES_PER_LOC;
}

/* ---- chattiness -------------------------------------------------------- */

/* A remote (a, b) pair of components, for counting each pair once. */
typedef struct spair {
    size_t a, b;
} spair;

static int cmpspair(const void *x, const void *y) {
    const spair *u = x, *v = y;
    if (u->a != v->a) return u->a < v->a ? -1 : 1;
    return (u->b > v->b) - (u->b < v->b);
}

static void derive_chat(ctx *c) {
    const graph *g = c->g;
    plan *p = c->p;
    /* the pairs that call each other, sorted and counted once (an ns x ns
     * table would be quadratic in services) */
    struct { spair *v; size_t n, cap; } pairs = {0};
    for (size_t i = 0; i < g->calls.n; i++) {
        const gcall *k = &g->calls.v[i];
        size_t a = p->assign[k->from], b = p->assign[k->to];
        /* a may-call known by its pointer's type alone is no evidence of
         * traffic between these two: it may reach any function of the type */
        if (!remote(c, a, b) || k->evidence == EV_TYPE) continue;
        spair x = {a, b};
        if (!pairs.n || pairs.v[pairs.n - 1].a != a || pairs.v[pairs.n - 1].b != b) VEC_PUSH(pairs, x);
        p->services.v[a].fitness.cross_sites += k->sites;
        p->services.v[b].fitness.cross_sites += k->sites;
        if (k->loop_depth <= 0) continue;
        plan_fitness *fa = &p->services.v[a].fitness, *fb = &p->services.v[b].fitness;
        plan_loopcall out = {i, 0}, in = {i, 1};
        VEC_PUSH(fa->loop_calls, out);
        VEC_PUSH(fb->loop_calls, in);
        fa->in_loops++;
        fb->in_loops++;
        if (k->loop_depth > fa->max_loop_depth) fa->max_loop_depth = k->loop_depth;
        if (k->loop_depth > fb->max_loop_depth) fb->max_loop_depth = k->loop_depth;
    }
    if (pairs.n > 1) qsort(pairs.v, pairs.n, sizeof *pairs.v, cmpspair);
    for (size_t i = 0; i < pairs.n; i++) {
        if (i && pairs.v[i].a == pairs.v[i - 1].a && pairs.v[i].b == pairs.v[i - 1].b) continue;
        p->services.v[pairs.v[i].a].fitness.fan_out++;
        p->services.v[pairs.v[i].b].fitness.callers++;
    }
    free(pairs.v);
}

/* ---- trace depth ------------------------------------------------------- */

/*
 * Longest chain of remote hops from each function, over the call graph of
 * non-library functions (library code runs in its caller; a callback it
 * makes is taken to be its caller's own).  A strongly connected part
 * (mutual recursion) that spans k > 1 components counts one hop -- a
 * request crosses into it at least once, and may go round without bound --
 * and its span is k, which everything reaching it reports too (the widest
 * such cycle); the rest is a longest path on the condensation.  The
 * depth with may-calls extends that condensation rather than condensing
 * all calls afresh (trace_depth_may), so it is never the smaller.
 */
typedef struct trace_state {
    size_t *scc;        /* function -> SCC index, NONE when not a node */
    size_t n;           /* SCCs */
    int *dist;          /* SCC -> hops */
    unsigned char *hop; /* SCC -> 1 when it spans k > 1 components (one hop) */
    int *span;          /* SCC -> components of the widest cycle it is on or reaches, 0: none */
    uint64_t *reach;    /* SCC -> components reachable, words per SCC */
    size_t words;
} trace_state;

static int popcount(const uint64_t *w, size_t n) {
    int k = 0;
    for (size_t i = 0; i < n; i++) k += __builtin_popcountll(w[i]);
    return k;
}

/* Calls a trace follows: all, or (known) those whose targets the code
 * names, leaving out type-only may-calls. */
static int traced(const gcall *k, int known) {
    return !known || k->evidence != EV_TYPE;
}

/* Tarjan's algorithm without recursion over the functions marked in
 * node; SCCs complete sinks first, so each SCC's successors are final when
 * it is. */
static void trace_build(ctx *c, const unsigned char *node, trace_state *ts, int known) {
    const graph *g = c->g;
    size_t nf = c->nf;
    size_t *index = xmallocarray(nf, sizeof *index);
    size_t *low = xmallocarray(nf, sizeof *low);
    size_t *stack = xmallocarray(nf, sizeof *stack);
    size_t *cstack = xmallocarray(nf, sizeof *cstack); /* call frames */
    size_t *cpos = xmallocarray(nf, sizeof *cpos);
    unsigned char *on = xcalloc(nf ? nf : 1, 1);
    size_t *merged = xcalloc(nf, sizeof *merged); /* SCC -> the SCC + 1 that last took its reach */
    struct { size_t *v; size_t n, cap; } members = {0};
    ts->words = (c->ns + 63) / 64;
    ts->scc = xmallocarray(nf, sizeof *ts->scc);
    struct { int *v; size_t n, cap; } dist = {0};
    struct { int *v; size_t n, cap; } span = {0};
    struct { unsigned char *v; size_t n, cap; } hop = {0};
    struct { uint64_t *v; size_t n, cap; } reach = {0};
    for (size_t i = 0; i < nf; i++) {
        index[i] = NONE;
        ts->scc[i] = NONE;
    }
    size_t counter = 0, top = 0, nscc = 0;
    for (size_t root = 0; root < nf; root++) {
        if (!node[root] || index[root] != NONE) continue;
        size_t ct = 0;
        cstack[ct] = root;
        cpos[ct++] = c->off[root];
        index[root] = low[root] = counter++;
        stack[top++] = root;
        on[root] = 1;
        while (ct) {
            size_t v = cstack[ct - 1];
            if (cpos[ct - 1] < c->off[v + 1]) {
                const gcall *k = &g->calls.v[cpos[ct - 1]++];
                size_t w = k->to;
                if (!node[w] || !traced(k, known)) continue;
                if (index[w] == NONE) {
                    index[w] = low[w] = counter++;
                    stack[top++] = w;
                    on[w] = 1;
                    cstack[ct] = w;
                    cpos[ct++] = c->off[w];
                } else if (on[w] && index[w] < low[v]) {
                    low[v] = index[w];
                }
                continue;
            }
            ct--;
            if (ct && low[v] < low[cstack[ct - 1]]) low[cstack[ct - 1]] = low[v];
            if (low[v] != index[v]) continue;
            /* v roots an SCC: pop it and score it */
            members.n = 0;
            size_t w;
            do {
                w = stack[--top];
                on[w] = 0;
                ts->scc[w] = nscc;
                VEC_PUSH(members, w);
            } while (w != v);
            VEC_RESERVE(reach, reach.n + ts->words);
            memset(reach.v + reach.n, 0, ts->words * sizeof *reach.v);
            reach.n += ts->words;
            uint64_t *r = reach.v + nscc * ts->words;
            int best = 0;
            int below = 0; /* the widest cyclic SCC downstream */
            for (size_t m = 0; m < members.n; m++) {
                size_t f = members.v[m], s = c->p->assign[f];
                r[s / 64] |= (uint64_t)1 << (s % 64);
                for (size_t i = c->off[f]; i < c->off[f + 1]; i++) {
                    size_t t = g->calls.v[i].to;
                    if (!node[t] || !traced(&g->calls.v[i], known) || ts->scc[t] == nscc) continue;
                    size_t ti = ts->scc[t];
                    int d = dist.v[ti] + (c->p->assign[t] != s);
                    if (d > best) best = d;
                    if (span.v[ti] > below) below = span.v[ti];
                    if (merged[ti] == nscc + 1) continue; /* its reach is in r already */
                    merged[ti] = nscc + 1;
                    const uint64_t *tr = reach.v + ti * ts->words;
                    for (size_t k = 0; k < ts->words; k++) r[k] |= tr[k];
                }
            }
            /* components inside the SCC itself (most SCCs are one function) */
            int k = 1;
            if (members.n > 1) {
                uint64_t *inside = xcalloc(ts->words, sizeof *inside);
                for (size_t m = 0; m < members.n; m++) {
                    size_t s = c->p->assign[members.v[m]];
                    inside[s / 64] |= (uint64_t)1 << (s % 64);
                }
                k = popcount(inside, ts->words);
                free(inside);
            }
            VEC_PUSH(dist, best + (k > 1));
            VEC_PUSH(span, k > 1 && k > below ? k : below);
            VEC_PUSH(hop, (unsigned char)(k > 1));
            nscc++;
        }
    }
    ts->n = nscc;
    ts->dist = dist.v;
    ts->span = span.v;
    ts->hop = hop.v;
    ts->reach = reach.v;
    free(members.v);
    free(merged);
    free(on);
    free(cpos);
    free(cstack);
    free(stack);
    free(low);
    free(index);
}

static void trace_free(trace_state *ts) {
    free(ts->scc);
    free(ts->hop);
    free(ts->dist);
    free(ts->span);
    free(ts->reach);
}

/* A traced function, the SCC of all calls and the known SCC it is in. */
typedef struct tracedf {
    size_t all, known, f;
} tracedf;

static int cmptracedf(const void *x, const void *y) {
    const tracedf *u = x, *v = y;
    if (u->all != v->all) return u->all < v->all ? -1 : 1;
    if (u->known != v->known) return u->known < v->known ? -1 : 1;
    return (u->f > v->f) - (u->f < v->f);
}

/*
 * The depth with may-calls, per SCC of the known trace ts: the longest
 * chain of remote hops on ts's condensation (its cycles count one hop, as
 * in the known depth) with type-only may-calls added, all but those that
 * close a cycle -- a may-call inside one SCC of all calls (may).  Taking
 * the condensation of all calls instead merges a known chain a may-call
 * closes into one hop, below the depth without may-calls; this graph holds
 * every known call, so its depth never is.  It is acyclic: in the order
 * (may's SCC, ts's SCC), both sinks first, every call it keeps goes to an
 * earlier SCC.  The caller frees the array.
 */
static int *trace_depth_may(const ctx *c, const unsigned char *node, const trace_state *ts,
                            const trace_state *may) {
    const graph *g = c->g;
    const size_t *assign = c->p->assign;
    size_t n = 0;
    for (size_t f = 0; f < c->nf; f++) n += node[f];
    tracedf *order = xmallocarray(n ? n : 1, sizeof *order);
    n = 0;
    for (size_t f = 0; f < c->nf; f++)
        if (node[f]) order[n++] = (tracedf){may->scc[f], ts->scc[f], f};
    if (n > 1) qsort(order, n, sizeof *order, cmptracedf);
    int *d = xcalloc(ts->n ? ts->n : 1, sizeof *d);
    for (size_t i = 0, j; i < n; i = j) {
        size_t k = order[i].known;
        int best = 0;
        for (j = i; j < n && order[j].known == k; j++) {
            size_t f = order[j].f;
            for (size_t e = c->off[f]; e < c->off[f + 1]; e++) {
                const gcall *call = &g->calls.v[e];
                size_t t = call->to;
                if (!node[t] || ts->scc[t] == k) continue;
                if (!traced(call, 1) && may->scc[t] == may->scc[f]) continue; /* closes a cycle */
                int x = d[ts->scc[t]] + (assign[t] != assign[f]);
                if (x > best) best = x;
            }
        }
        d[k] = best + ts->hop[k];
    }
    free(order);
    return d;
}

/* Both traces, known calls and all calls; when no type-only may-call joins
 * two traced functions they are the same, built once. */
static void derive_traces(ctx *c) {
    const graph *g = c->g;
    unsigned char *node = xcalloc(c->nf + 1, 1); /* traced: in a component, not a library */
    for (size_t f = 0; f < c->nf; f++) {
        size_t s = c->p->assign[f];
        node[f] = s != PLAN_NONE && !islib(c, s);
    }
    int may_calls = 0;
    for (size_t i = 0; i < g->calls.n && !may_calls; i++) {
        const gcall *k = &g->calls.v[i];
        may_calls = !traced(k, 1) && node[k->from] && node[k->to];
    }
    trace_state ts = {0}, may = {0};
    trace_build(c, node, &ts, 1);
    if (may_calls) trace_build(c, node, &may, 0);
    else may = ts;
    int *depth_may = may_calls ? trace_depth_may(c, node, &ts, &may) : ts.dist;
    for (size_t s = 0; s < c->ns; s++) {
        plan_service *sv = &c->p->services.v[s];
        if (sv->kind == PLAN_LIBRARY) continue;
        for (size_t i = 0; i < sv->entry_points.n; i++) {
            size_t f = sv->entry_points.v[i], k = ts.scc[f], m = may.scc[f];
            int fan = popcount(ts.reach + k * ts.words, ts.words) - 1;
            plan_trace t = {f,
                            ts.dist[k],
                            fan,
                            ts.span[k] > 0,
                            depth_may[k],
                            may_calls ? popcount(may.reach + m * may.words, may.words) - 1 : fan,
                            may.span[m] > 0};
            VEC_PUSH(sv->fitness.traces, t);
            if (ts.span[k] > sv->fitness.cycle_span) sv->fitness.cycle_span = ts.span[k];
            if (t.depth > sv->fitness.trace_depth) sv->fitness.trace_depth = t.depth;
            if (t.depth_may > sv->fitness.trace_depth_may) sv->fitness.trace_depth_may = t.depth_may;
        }
    }
    if (may_calls) {
        free(depth_may);
        trace_free(&may);
    }
    trace_free(&ts);
    free(node);
}

/* ---- recommendation ---------------------------------------------------- */

/* How sure each rule of the recommendation is (docs/fitness.md, "The
 * recommendation", gives the same figures): a rule backed by what the code
 * does (it writes globals) is surer than one backed by a size threshold. */
#define CONF_MIN 0.5               /* every confidence is clamped to this ... */
#define CONF_MAX 0.95              /* ... and this */
#define CONF_PROGRAM 0.9           /* rule 0: a program (main) is one */
#define CONF_LIBRARY 0.9           /* rule 1: the plan's library layer */
#define CONF_LIBRARY_STATEFUL 0.6  /* ... keeping state: each caller holds its own */
#define CONF_STATE_WRITES 0.9      /* rule 2: writes globals */
#define CONF_STATE_KEEPS 0.8       /* ... only statics or resources */
#define CONF_CALLED_LIBRARY 0.8    /* rule 3: stateless, called by many */
#define CONF_COLD 0.6              /* rule 4: cold start over the limit, ... */
#define CONF_COLD_FURTHER 0.3      /* ... plus this much at twice the limit */
#define CONF_FANOUT 0.6            /* rule 5: calls too many components */
#define CONF_FUNCTION 0.9          /* rule 6: a function, less each doubt: */
#define DOUBT_FOREIGN 0.2          /* reads state other components write */
#define DOUBT_ADDRESS 0.1          /* takes the address of globals nobody writes */
#define DOUBT_COLD 0.1             /* cold start over half the limit */
#define DOUBT_LOOP 0.1             /* called, or calls, inside a loop */

static double clamp(double x) {
    return x < CONF_MIN ? CONF_MIN : x > CONF_MAX ? CONF_MAX : x;
}

/* The loop call of f most worth naming: the deepest, first in order. */
static const plan_loopcall *deepest(const ctx *c, const plan_fitness *f, unsigned incoming) {
    const plan_loopcall *best = NULL;
    for (size_t i = 0; i < f->loop_calls.n; i++) {
        const plan_loopcall *l = &f->loop_calls.v[i];
        if (l->incoming != incoming) continue;
        if (!best || c->g->calls.v[l->call].loop_depth > c->g->calls.v[best->call].loop_depth) best = l;
    }
    return best;
}

/*
 * When the recommendation differs from the kind the plan lists component s
 * with, the first reason says why they may differ: the listing is the
 * clustering's (every module is a service at service granularity, every
 * entry point's code a function at function granularity) or the user's
 * pin; the verdict reads the code.
 */
static void kind_reason(ctx *c, size_t s) {
    const plan_service *sv = &c->p->services.v[s];
    plan_fitness *f = &c->p->services.v[s].fitness;
    const char *rec = plan_kind_name(f->recommendation), *kind = plan_kind_name(sv->kind);
    char *why;
    if (sv->kind_from)
        why = xasprintf("cleave.json declares it a %s (%s); its code reads as a %s: the declared "
                        "kind stands",
                        kind, sv->kind_from, rec);
    else if (sv->fixed_name)
        why =
            xasprintf("listed as a %s, as a pin without \"kind\" makes it; its code reads as a %s",
                      kind, rec);
    else if (sv->kind == PLAN_SERVICE && c->p->opts.granularity == GRAN_FUNCTION)
        why =
            xasprintf("listed as a service, as code several entry points share is at --granularity "
                      "function; its code reads as a %s",
                      rec);
    else if (sv->kind == PLAN_SERVICE)
        why =
            xasprintf("listed as a service, as every module is at --granularity service; its code "
                      "reads as a %s",
                      rec);
    else
        why = xasprintf("listed as a function, as the code one entry point reaches is at "
                        "--granularity function; its code reads as a %s",
                        rec);
    /* first: it frames the others */
    strvec *r = &f->reasons;
    strvec_push_owned(r, why);
    memmove(r->v + 1, r->v, (r->n - 1) * sizeof *r->v);
    r->v[0] = why;
}

/* The components s calls by name or through a field, into *calls (its
 * interfaces, sorted by (from, to), start at the first from s).  Only a
 * platform or a library folder's client among libraries calls any. */
static void callsout(const plan *p, size_t s, idxvec *calls) {
    size_t lo = 0, hi = p->interfaces.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->interfaces.v[mid].from < s) lo = mid + 1;
        else hi = mid;
    }
    for (size_t i = lo; i < p->interfaces.n && p->interfaces.v[i].from == s; i++) {
        const plan_interface *x = &p->interfaces.v[i];
        if (x->sites > x->sites_by[EV_TYPE]) VEC_PUSH(*calls, x->to);
    }
}

static void recommend(ctx *c, size_t s) {
    plan *p = c->p;
    const graph *g = c->g;
    const config_thresholds *t = c->t;
    plan_service *sv = &p->services.v[s];
    plan_fitness *f = &sv->fitness;
    int owned = (int)(f->writes.n + f->statics.n + f->resources.n);
    int foreign = (int)f->foreign.n; /* others' state it reads */
    size_t first_addr = PLAN_NONE;
    int addr_only = 0; /* addressed, and nobody writes it directly */
    for (size_t i = 0; i < f->addressed.n; i++)
        if (!plan_idx_contains(&f->store, f->addressed.v[i])) {
            if (first_addr == PLAN_NONE) first_addr = f->addressed.v[i];
            addr_only++;
        }

    if (sv->kind == PLAN_PROGRAM) {
        f->recommendation = PLAN_PROGRAM;
        f->confidence = CONF_PROGRAM;
        reason(f, xasprintf("defines main(): a program of its own that %s",
                            f->fan_out ? "uses the components it calls" : "calls no other component"));
        if (f->fan_out) reason(f, xasprintf("calls %d other component(s) directly", f->fan_out));
        return;
    }
    if (sv->kind == PLAN_LIBRARY) {
        f->recommendation = PLAN_LIBRARY;
        f->confidence = owned == 0 ? CONF_LIBRARY : CONF_LIBRARY_STATEFUL;
        /* code all in headers is compiled into each file including them
         * (cluster.c makes such a component a library whatever it calls) */
        int headers = sv->files.n > 0;
        for (size_t i = 0; i < sv->files.n; i++)
            if (!path_is_header(sv->files.v[i])) headers = 0;
        char *who = sv->kind_from
                        ? xasprintf("cleave.json declares it a library (%s)", sv->kind_from)
                    : headers ? xstrdup("its code is all in headers, compiled into each file that "
                                        "includes them")
                              : xstrdup("the plan puts it in the library layer");
        reason(f, xasprintf("%s: it %sis linked into each component that calls it", who,
                            owned ? "" : "keeps no state and "));
        free(who);
        /* the example is a global of its own when it has one (fmgr's
         * function cache, not the error stack its PG_TRY writes) */
        size_t example = f->writes.n ? f->writes.v[0] : 0;
        for (size_t i = 0; i < f->writes.n; i++)
            if (plan_idx_contains(&sv->owned_state, f->writes.v[i])) {
                example = f->writes.v[i];
                break;
            }
        if (f->writes.n + f->statics.n)
            reason(f,
                   xasprintf("keeps state (writes %s `%s`%s): each process linking it holds its "
                             "own copy, which the others do not see",
                             f->writes.n ? "globals such as" : "function-local statics such as",
                             f->writes.n ? g->globals.v[example].id
                                         : g->globals.v[f->statics.v[0]].name,
                             sv->kind_from || headers ? "" : ": infrastructure nearly every component calls"));
        if (f->resources.n)
            reason(f, xasprintf("keeps %zu resource(s) open past a call (%s from `%s`): each "
                                "caller's process holds its own",
                                f->resources.n, f->resources.v[0].kind,
                                g->funcs.v[f->resources.v[0].function].name));
        idxvec out = {0};
        callsout(p, s, &out);
        if (out.n) {
            char *who = names(p, &out);
            reason(f, xasprintf("calls %zu other component(s) by name or through a field (%s): from each "
                                "process linking it, those calls cross a boundary",
                                out.n, who));
            free(who);
        }
        free(out.v);
        return;
    }
    idxvec calls = {0};
    callsout(p, s, &calls);
    if (owned > t->function_max_state) {
        f->recommendation = PLAN_SERVICE;
        f->confidence = f->writes.n ? CONF_STATE_WRITES : CONF_STATE_KEEPS;
        if (f->writes.n && f->shared_with.n) {
            char *who = names(p, &f->shared_with);
            reason(f, xasprintf("writes %zu global(s) shared with %s: keep as a service", f->writes.n, who));
            free(who);
        } else if (f->writes.n) {
            reason(f, xasprintf("writes %zu global(s) that live across calls (e.g. `%s`): a function "
                                "would need them in an external store",
                                f->writes.n, g->globals.v[f->writes.v[0]].id));
        }
        if (f->statics.n)
            reason(f, xasprintf("keeps %zu function-local static(s) across calls (e.g. `%s`)",
                                f->statics.n, g->globals.v[f->statics.v[0]].name));
        if (f->resources.n)
            reason(f, xasprintf("keeps %zu resource(s) open past a call (%s from `%s`): a "
                                "long-running process reuses them, a function reopens them",
                                f->resources.n, f->resources.v[0].kind,
                                g->funcs.v[f->resources.v[0].function].name));
        if (t->function_max_state > 0)
            reason(f, xasprintf("%d state item(s) is over function_max_state %d", owned,
                                t->function_max_state));
    } else if (f->callers >= t->library_min_callers && owned == 0 && calls.n == 0) {
        f->recommendation = PLAN_LIBRARY;
        f->confidence = CONF_CALLED_LIBRARY;
        reason(f,
               xasprintf("keeps no state of its own and %d services call it (library_min_callers "
                         "%d): link it in rather than call it remotely",
                         f->callers, t->library_min_callers));
    } else if (f->cold_loc > t->function_max_loc) {
        f->recommendation = PLAN_SERVICE;
        double over = (double)f->cold_loc / (double)t->function_max_loc - 1;
        f->confidence = clamp(CONF_COLD + CONF_COLD_FURTHER * (over > 1 ? 1 : over));
        reason(f, xasprintf("%s, but a deployment carries %d lines (%d of its own): over "
                            "function_max_loc %d, cold starts would be slow",
                            owned ? "state within function_max_state" : "no state of its own",
                            f->cold_loc, sv->loc, t->function_max_loc));
    } else if (f->fan_out > t->function_max_fanout) {
        f->recommendation = PLAN_SERVICE;
        f->confidence = CONF_FANOUT;
        reason(f, xasprintf("%s, but calls %d other services (function_max_fanout %d): every "
                            "invocation pays that many network hops",
                            owned ? "state within function_max_state" : "no state of its own",
                            f->fan_out, t->function_max_fanout));
    } else {
        f->recommendation = PLAN_FUNCTION;
        double conf = CONF_FUNCTION;
        if (owned)
            reason(f, xasprintf("%d state item(s), within function_max_state %d: they move to an "
                                "external store",
                                owned, t->function_max_state));
        else
            reason(f,
                   xstrdup(
                       "keeps no state of its own: writes no global, keeps no static or resource"));
        reason(f, xasprintf("a deployment carries %d lines (function_max_loc %d) and calls %d other "
                            "service(s) (function_max_fanout %d)",
                            f->cold_loc, t->function_max_loc, f->fan_out, t->function_max_fanout));
        if (foreign > 0) conf -= DOUBT_FOREIGN;
        if (addr_only > 0) {
            conf -= DOUBT_ADDRESS;
            reason(f, xasprintf("takes the address of %d global(s) nobody writes directly (e.g. `%s`): "
                                "state only if written through the pointer",
                                addr_only, g->globals.v[first_addr].id));
        }
        if (f->cold_loc * 2 > t->function_max_loc) conf -= DOUBT_COLD;
        if (f->in_loops) conf -= DOUBT_LOOP;
        f->confidence = clamp(conf);
    }
    if (f->callers >= t->library_min_callers && owned == 0 && calls.n > 0) {
        char *who = names(p, &calls);
        reason(f, xasprintf("keeps no state of its own and %d services call it, but it calls %s: a "
                            "library linked into its callers would make each of them call %s, so "
                            "it is not one",
                            f->callers, who, calls.n == 1 ? "that one" : "those"));
        free(who);
    }
    free(calls.v);
    if (f->recommendation != sv->kind) kind_reason(c, s);
    if (foreign > 0)
        reason(f, xasprintf("reads %d global(s) other components write (e.g. `%s`): they would move "
                            "to an external store",
                            foreign, g->globals.v[f->foreign.v[0]].id));
    const plan_loopcall *out = deepest(c, f, 0), *in = deepest(c, f, 1);
    if (out) {
        const gcall *k = &g->calls.v[out->call];
        reason(f, xasprintf("calls `%s` in `%s` inside a loop (depth %d): one remote call per item; "
                            "batch it or keep the two together",
                            g->funcs.v[k->to].name, p->services.v[p->assign[k->to]].name, k->loop_depth));
    }
    if (in) {
        const gcall *k = &g->calls.v[in->call];
        reason(f, xasprintf("`%s` in `%s` calls it inside a loop (depth %d): one invocation per item",
                            g->funcs.v[k->from].name, p->services.v[p->assign[k->from]].name,
                            k->loop_depth));
    }
    if (f->cycle_span > 1)
        reason(f,
               xasprintf("its requests may run round a cycle of direct and field calls through %d "
                         "components: one component calls back into another without a bound a "
                         "trace can show",
                         f->cycle_span));
    if (f->trace_depth >= TRACE_HARD && f->trace_depth_may > f->trace_depth)
        reason(f, xasprintf("a request may cross %d boundaries in a row by direct and field calls "
                            "(%d with may-calls through pointers of its type): hard to trace",
                            f->trace_depth, f->trace_depth_may));
    else if (f->trace_depth >= TRACE_HARD)
        reason(f, xasprintf("a request may cross %d boundaries in a row: hard to trace", f->trace_depth));
}

/* ---- cost -------------------------------------------------------------- */

static void cost_model(plan *p, const config_cost *k, double rate) {
    plan_costmodel *m = &p->cost;
    strvec_free(&m->defaults);
    m->rate_given = rate > 0;
    m->rate = rate > 0 ? rate : k->invocations_per_hour;
    m->service_per_hour = k->service_per_hour;
    m->per_invocation = k->per_invocation;
    m->per_gb_second = k->per_gb_second;
    m->memory_mb = k->memory_mb;
    m->duration_s = FITNESS_DURATION_S;
    static const struct { unsigned bit; const char *name; } P[] = {
        {CONFIG_COST_SERVICE_PER_HOUR, "service_per_hour"}, {CONFIG_COST_PER_INVOCATION, "per_invocation"},
        {CONFIG_COST_PER_GB_SECOND, "per_gb_second"},       {CONFIG_COST_MEMORY_MB, "memory_mb"},
        {CONFIG_COST_INVOCATIONS_PER_HOUR, "invocations_per_hour"},
    };
    for (size_t i = 0; i < sizeof P / sizeof P[0]; i++) {
        if (k->set & P[i].bit) continue;
        if (P[i].bit == CONFIG_COST_INVOCATIONS_PER_HOUR && m->rate_given) continue;
        strvec_push(&m->defaults, P[i].name);
    }
    for (size_t s = 0; s < p->services.n; s++) {
        plan_fitness *f = &p->services.v[s].fitness;
        if (p->services.v[s].kind == PLAN_LIBRARY || p->services.v[s].kind == PLAN_PROGRAM) continue;
        /* its own rate, and the remote calls each invocation waits on */
        double per_hour = (f->rate_entry + f->rate_in) * 3600.0;
        double waits = per_hour > 0 ? f->rate_out * 3600.0 / per_hour : 0;
        f->duration_s = m->duration_s + waits * FITNESS_CALL_WAIT_S;
        double per_call =
            m->per_invocation + m->per_gb_second * (m->memory_mb / 1024.0) * f->duration_s;
        f->service_month = m->service_per_hour * FITNESS_HOURS_PER_MONTH;
        f->function_month = per_hour * FITNESS_HOURS_PER_MONTH * per_call;
        f->break_even_rate = per_call > 0 ? m->service_per_hour / per_call : 0;
        if (f->recommendation == PLAN_FUNCTION && f->function_month > f->service_month)
            reason(f, xasprintf("at its %.0f invocations/hour an always-on service costs less "
                                "(break-even %.0f/hour)",
                                per_hour, f->break_even_rate));
    }
}

void fitness_compute(plan *p, const config_fitness *cf, double rate) {
    config *dflt = cf ? NULL : config_default();
    if (!cf) cf = &dflt->fitness;
    ctx c = {0};
    c.p = p;
    c.g = p->g;
    c.t = &cf->thresholds;
    c.nf = p->g->funcs.n;
    c.ns = p->services.n;
    c.off = xcalloc(c.nf + 1, sizeof *c.off);
    for (size_t i = 0; i < p->g->calls.n; i++) c.off[p->g->calls.v[i].from + 1]++;
    for (size_t f = 0; f < c.nf; f++) c.off[f + 1] += c.off[f];
    c.aoff = xcalloc(c.nf + 1, sizeof *c.aoff);
    for (size_t i = 0; i < p->g->accesses.n; i++) c.aoff[p->g->accesses.v[i].function + 1]++;
    for (size_t f = 0; f < c.nf; f++) c.aoff[f + 1] += c.aoff[f];
    /* the data a deployment carries is counted by variable: a field counts
     * as its parent (NONE when the parent is unknown) */
    size_t ng = p->g->globals.n;
    c.var = xmallocarray(ng, sizeof *c.var);
    for (size_t v = 0; v < ng; v++) {
        const gglobal *gv = &p->g->globals.v[v];
        c.var[v] = gv->kind != GKIND_FIELD ? v : gv->parent ? graph_find_global(p->g, gv->parent) : NONE;
    }
    for (size_t s = 0; s < c.ns; s++) {
        plan_fitness *f = &p->services.v[s].fitness;
        plan_fitness_clear(f);
        f->computed = 1;
    }
    traffic_compute(p, &cf->traffic, rate > 0 ? rate : cf->cost.invocations_per_hour);
    derive_state(&c);
    derive_resources(&c);
    size_t *mark = xcalloc(c.nf, sizeof *mark);
    size_t *gmark = xcalloc(p->g->globals.n, sizeof *gmark);
    size_t *stack = xmallocarray(c.nf, sizeof *stack);
    for (size_t s = 0; s < c.ns; s++) derive_cold(&c, s, mark, gmark, stack);
    free(stack);
    free(gmark);
    free(mark);
    derive_chat(&c);
    derive_traces(&c);
    for (size_t s = 0; s < c.ns; s++) recommend(&c, s);
    cost_model(p, &cf->cost, rate);
    p->fitness_done = 1;
    free(c.var);
    free(c.aoff);
    free(c.off);
    config_free(dflt);
}
