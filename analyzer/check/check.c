/*
 * check.c - the findings of `cleave check` (see check.h, docs/check.md).
 *
 * Direct calls, and calls through a pointer held in a named struct field
 * or global (field evidence), count as dependencies; a call known by its
 * pointer's type alone may reach any function of that type, so it is not
 * a dependency the code spells out.  A dependency is judged by its own
 * evidence: a direct or field call between services whose committed
 * interface had only type-only may-calls is a new interface.  Only direct
 * calls can bypass an entry point (cross-boundary-call), and a library's
 * calls back through stored pointers are its caller's own.  Calls
 * into a library are local (it is linked into every service using it), so
 * they never make a cross-boundary call, interface or cycle; the explicit
 * rules of cleave.json (forbidden, allowed, layers, independent) apply to
 * every component, libraries included.
 */
#define _POSIX_C_SOURCE 200809L
#include "check/check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph/scc.h"

typedef struct ctx {
    const plan_ref *r;
    const plan *p;
    const graph *g;
    const config *cfg;
    check_result *out;
} ctx;

static void add(ctx *c, unsigned rule, const char *file, int line, int col, char *key, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 7, 8)))
#endif
    ;
static void add(ctx *c, unsigned rule, const char *file, int line, int col, char *key, const char *fmt, ...) {
    check_finding f = {0};
    f.rule = rule;
    f.severity = c->cfg->severity[rule];
    f.file = xstrdup(file ? file : "");
    f.line = line;
    f.col = col;
    f.key = xasprintf("%s:%s", config_rule_name(rule), key);
    free(key);
    va_list ap, aq;
    va_start(ap, fmt);
    va_copy(aq, ap);
    int len = vsnprintf(NULL, 0, fmt, ap);
    f.message = xmalloc((size_t)len + 1);
    vsnprintf(f.message, (size_t)len + 1, fmt, aq);
    va_end(aq);
    va_end(ap);
    VEC_PUSH(c->out->findings, f);
}

static const char *svc(const ctx *c, size_t s) { return c->p->services.v[s].name; }

static const gsite *site_of(const gcall *k) {
    static const gsite none = {"", 0, 0};
    return k->at.n ? &k->at.v[0] : &none;
}

static int in_list(const strvec *v, const char *s) { return strvec_contains(v, s); }

/* Layer of a service (0 = top), or -1 when no layer names it. */
static int layer_of(const config *cfg, const char *name) {
    for (size_t i = 0; i < cfg->rules.layers.n; i++)
        if (in_list(&cfg->rules.layers.v[i], name)) return (int)i;
    return -1;
}

/* The explicit dependency rules, for one direct call between services. */
static void dep_rules(ctx *c, const gcall *k, size_t a, size_t b) {
    const config_rules *R = &c->cfg->rules;
    const gsite *s = site_of(k);
    const char *A = svc(c, a), *B = svc(c, b);
    const char *from = c->g->funcs.v[k->from].id, *to = c->g->funcs.v[k->to].id;
    for (size_t i = 0; i < R->forbidden.n; i++)
        if (strcmp(R->forbidden.v[i].from, A) == 0 && in_list(&R->forbidden.v[i].to, B))
            add(c, CONFIG_RULE_FORBIDDEN_DEPENDENCY, s->file, s->line, s->col,
                xasprintf("%s->%s", from, to),
                "%s (%s) calls %s (%s), but %s must not depend on %s: remove the call or route it "
                "through a service %s may use",
                from, A, to, B, A, B, A);
    for (size_t i = 0; i < R->allowed.n; i++)
        if (strcmp(R->allowed.v[i].from, A) == 0 && !in_list(&R->allowed.v[i].to, B))
            add(c, CONFIG_RULE_FORBIDDEN_DEPENDENCY, s->file, s->line, s->col,
                xasprintf("%s->%s", from, to),
                "%s (%s) calls %s (%s), but %s may only call its allowed services: remove the call "
                "or allow %s in cleave.json",
                from, A, to, B, A, B);
    int la = layer_of(c->cfg, A), lb = layer_of(c->cfg, B);
    if (la >= 0 && lb >= 0 && lb < la)
        add(c, CONFIG_RULE_LAYER_VIOLATION, s->file, s->line, s->col, xasprintf("%s->%s", from, to),
            "%s (%s, layer %d) calls up into %s (%s, layer %d): a layer may only call the layers "
            "below it",
            from, A, la + 1, to, B, lb + 1);
    for (size_t i = 0; i < R->independent.n; i++)
        if (in_list(&R->independent.v[i], A) && in_list(&R->independent.v[i], B))
            add(c, CONFIG_RULE_INDEPENDENCE_VIOLATION, s->file, s->line, s->col,
                xasprintf("%s->%s", from, to),
                "%s (%s) calls %s (%s), but %s and %s must stay independent: remove the call", from,
                A, to, B, A, B);
}

static int site_before(const gsite *x, const gsite *y) {
    int d = strcmp(x->file, y->file);
    return d < 0 || (d == 0 && (x->line < y->line || (x->line == y->line && x->col < y->col)));
}

/* A dependency between services: a committed interface or a new one,
 * with its first call site. */
enum { OLD_EDGE = 1, NEW_EDGE };

typedef struct sedge {
    size_t a, b;
    const gsite *site;
    int kind;
} sedge;

typedef struct sedges {
    sedge *v;
    size_t n, cap;
} sedges;

/* The evidence bits the plan committed the interface a -> b with (0: no
 * such interface). */
static size_t committed(const ctx *c, size_t a, size_t b) {
    char *pair = xasprintf("%s\n%s", svc(c, a), svc(c, b));
    size_t mask = 0;
    strmap_get(c->r->interfaces, pair, &mask);
    free(pair);
    return mask;
}

/* By pair, then first site first. */
static int cmpedge(const void *x, const void *y) {
    const sedge *e = x, *f = y;
    if (e->a != f->a) return e->a < f->a ? -1 : 1;
    if (e->b != f->b) return e->b < f->b ? -1 : 1;
    return site_before(e->site, f->site) ? -1 : site_before(f->site, e->site);
}

/* Service cycles over the edges e (one per pair, sorted): Tarjan over
 * adjacency lists, so time is linear in services and edges. */
static void cycles(ctx *c, const sedges *e) {
    size_t n = c->p->services.n;
    size_t *off = xcalloc(n + 1, sizeof *off), *to = xmallocarray(e->n, sizeof *to);
    for (size_t i = 0; i < e->n; i++) off[e->v[i].a + 1]++;
    for (size_t v = 0; v < n; v++) off[v + 1] += off[v];
    for (size_t i = 0; i < e->n; i++) to[i] = e->v[i].b; /* sorted by a: rows in place */
    size_t *comp = xcalloc(n + 1, sizeof *comp);
    size_t ncomp = scc_lists(n, off, to, comp);
    /* members and the earliest new edge inside each component */
    size_t *members = xcalloc(ncomp + 1, sizeof *members);
    const gsite **at = xcalloc(ncomp + 1, sizeof *at);
    for (size_t v = 0; v < n; v++) members[comp[v]]++;
    for (size_t i = 0; i < e->n; i++) {
        const sedge *x = &e->v[i];
        size_t k = comp[x->a];
        if (comp[x->b] == k && x->kind == NEW_EDGE && (!at[k] || site_before(x->site, at[k])))
            at[k] = x->site;
    }
    strbuf *names = xcalloc(ncomp + 1, sizeof *names);
    for (size_t v = 0; v < n; v++)
        if (members[comp[v]] >= 2 && at[comp[v]])
            strbuf_printf(&names[comp[v]], "%s%s", names[comp[v]].n ? ", " : "", svc(c, v));
    /* a cycle made only of committed interfaces is the plan's own */
    for (size_t k = 0; k < ncomp; k++) {
        if (members[k] < 2 || !at[k]) continue;
        add(c, CONFIG_RULE_SERVICE_CYCLE, at[k]->file, at[k]->line, at[k]->col,
            xstrdup(names[k].v),
            "services %s depend on each other in a cycle: break it by removing or inverting one "
            "of the calls",
            names[k].v);
        free(names[k].v);
    }
    free(names);
    free(at);
    free(members);
    free(comp);
    free(to);
    free(off);
}

static void calls(ctx *c) {
    const plan *p = c->p;
    sedges e = {0};
    for (size_t i = 0; i < c->g->calls.n; i++) {
        const gcall *k = &c->g->calls.v[i];
        if (k->evidence == EV_TYPE) continue;
        size_t a = p->assign[k->from], b = p->assign[k->to];
        if (a == PLAN_NONE || b == PLAN_NONE || a == b) continue;
        if (k->evidence == EV_DIRECT) dep_rules(c, k, a, b);
        if (p->services.v[b].kind == PLAN_LIBRARY) continue;
        /* a library calling back through a stored pointer (a hash table's
         * foreach, a log sink) runs in its caller's process */
        if (k->evidence != EV_DIRECT && p->services.v[a].kind == PLAN_LIBRARY) continue;
        const gsite *s = site_of(k);
        const char *to = c->g->funcs.v[k->to].id;
        size_t dummy;
        if (k->evidence == EV_DIRECT && !strmap_get(c->r->entries, to, &dummy))
            add(c, CONFIG_RULE_CROSS_BOUNDARY_CALL, s->file, s->line, s->col,
                xasprintf("%s->%s", c->g->funcs.v[k->from].id, to),
                "%s (%s) calls %s, which is not an entry point of %s: call one of %s's entry "
                "points instead, or move the function",
                c->g->funcs.v[k->from].id, svc(c, a), to, svc(c, b), svc(c, b));
        sedge x = {a, b, s, 0};
        VEC_PUSH(e, x);
    }
    /* one edge per pair, with its first site */
    if (e.n) qsort(e.v, e.n, sizeof *e.v, cmpedge);
    size_t m = 0;
    for (size_t i = 0; i < e.n; i++)
        if (!m || e.v[m - 1].a != e.v[i].a || e.v[m - 1].b != e.v[i].b) e.v[m++] = e.v[i];
    e.n = m;
    for (size_t i = 0; i < e.n; i++) {
        sedge *x = &e.v[i];
        size_t mask = committed(c, x->a, x->b);
        x->kind = mask & ((1u << EV_DIRECT) | (1u << EV_FIELD)) ? OLD_EDGE : NEW_EDGE;
        if (x->kind == NEW_EDGE && mask)
            add(c, CONFIG_RULE_NEW_INTERFACE, x->site->file, x->site->line, x->site->col,
                xasprintf("%s->%s", svc(c, x->a), svc(c, x->b)),
                "new interface: %s now calls %s, where the plan has only calls known by a "
                "pointer's type (may-calls): remove the dependency or adopt it in the plan",
                svc(c, x->a), svc(c, x->b));
        else if (x->kind == NEW_EDGE)
            add(c, CONFIG_RULE_NEW_INTERFACE, x->site->file, x->site->line, x->site->col,
                xasprintf("%s->%s", svc(c, x->a), svc(c, x->b)),
                "new interface: %s now calls %s, which the plan does not have: remove the "
                "dependency or adopt it in the plan",
                svc(c, x->a), svc(c, x->b));
    }
    cycles(c, &e);
    free(e.v);
}

static void shared_writes(ctx *c) {
    const plan *p = c->p;
    for (size_t i = 0; i < p->shared.n; i++) {
        const plan_shared *sh = &p->shared.v[i];
        const gglobal *gl = &c->g->globals.v[sh->global];
        size_t dummy;
        if (sh->writers.n < 2 || strmap_get(c->r->shared, gl->id, &dummy)) continue;
        const gsite *at = NULL;
        for (size_t a = 0; a < c->g->accesses.n; a++) {
            const gaccess *x = &c->g->accesses.v[a];
            if (x->global != sh->global || !x->writes || !x->at.n) continue;
            if (!at || site_before(&x->at.v[0], at)) at = &x->at.v[0];
        }
        strbuf names = {0};
        for (size_t w = 0; w < sh->writers.n; w++)
            strbuf_printf(&names, "%s%s", w ? ", " : "", svc(c, sh->writers.v[w]));
        add(c, CONFIG_RULE_SHARED_STATE_WRITE, at ? at->file : gl->file, at ? at->line : gl->line,
            at ? at->col : 1, xstrdup(gl->id),
            "%s is written by services %s: let one service own it and the others ask it", gl->id,
            names.v);
        free(names.v);
    }
}

static void placement(ctx *c) {
    const plan_ref *r = c->r;
    for (size_t m = 0; m < r->moved.n; m++) {
        const gfunc *f = &c->g->funcs.v[r->moved.v[m]];
        size_t fs = r->file_service[m];
        const char *now = svc(c, c->p->assign[r->moved.v[m]]);
        const char *planned = fs == PLAN_NONE ? "another service" : svc(c, fs);
        add(c, CONFIG_RULE_MOVED_FUNCTION, f->file, f->line, 1, xstrdup(f->file),
            "%s belongs to %s in the plan, but most of its code is now functions of %s (%s first): "
            "move them to %s's files or update the plan",
            f->file, planned, now, f->id, now);
    }
    for (size_t u = 0; u < r->unplaced.n; u++) {
        const gfunc *f = &c->g->funcs.v[r->unplaced.v[u]];
        add(c, CONFIG_RULE_UNPLACED_FUNCTION, f->file, f->line, 1, xstrdup(f->id),
            "%s is new and its file %s belongs to no service of the plan: add a placement rule to "
            "cleave.json or update the plan",
            f->id, f->file);
    }
}

/* Functions the plan lists that the code no longer defines: the plan is
 * stale there (renamed or deleted code), reported where the plan names
 * them. */
static void stale_plan(ctx *c) {
    for (size_t i = 0; i < c->r->missing.n; i++) {
        const plan_missing *m = &c->r->missing.v[i];
        add(c, CONFIG_RULE_STALE_PLAN_FUNCTION, c->r->file, m->line, m->col, xstrdup(m->id),
            "%s is in the plan, but the code analysed defines no such function (renamed, deleted, "
            "or in a unit that failed to parse): update the plan",
            m->id);
    }
}

static int cmp_finding(const void *x, const void *y) {
    const check_finding *a = x, *b = y;
    int d = strcmp(a->file, b->file);
    if (d) return d;
    if (a->line != b->line) return a->line < b->line ? -1 : 1;
    if (a->col != b->col) return a->col < b->col ? -1 : 1;
    if (a->rule != b->rule) return a->rule < b->rule ? -1 : 1;
    return strcmp(a->key, b->key);
}

check_result *check_run(const plan_ref *r, const config *cfg) {
    check_result *out = xcalloc(1, sizeof *out);
    ctx c = {r, r->p, r->p->g, cfg, out};
    calls(&c);
    shared_writes(&c);
    placement(&c);
    stale_plan(&c);
    if (out->findings.n)
        qsort(out->findings.v, out->findings.n, sizeof *out->findings.v, cmp_finding);
    for (size_t u = 0; u < c.g->units.n; u++) {
        out->units++;
        if (c.g->units.v[u].status != UNIT_FAILED) out->units_parsed++;
    }
    return out;
}

const char *check_rule_help(unsigned rule) {
    static const char *const help[CONFIG_RULE_COUNT] = {
        "A call from one service into another that bypasses the callee's entry points.",
        "A dependency between two services that the committed plan does not have.",
        "Global state written by more than one service that the plan did not already share.",
        "Services that depend on each other in a cycle.",
        "A call that cleave.json forbids (rules.forbidden or rules.allowed).",
        "A call from a lower layer up into a higher one (rules.layers).",
        "A call between services that cleave.json declares independent.",
        "A function now defined in a file of another service than the plan assigns it to.",
        "A new function that neither its file nor a placement rule assigns to a service.",
        "A function the plan lists that the current code does not define.",
    };
    return rule < CONFIG_RULE_COUNT ? help[rule] : "";
}

size_t check_count(const check_result *c, unsigned severity) {
    size_t n = 0;
    for (size_t i = 0; i < c->findings.n; i++)
        if (!c->findings.v[i].baselined && c->findings.v[i].severity == severity) n++;
    return n;
}

void check_result_free(check_result *c) {
    if (!c) return;
    for (size_t i = 0; i < c->findings.n; i++) {
        free(c->findings.v[i].file);
        free(c->findings.v[i].message);
        free(c->findings.v[i].key);
    }
    free(c->findings.v);
    strvec_free(&c->stale);
    free(c);
}
