/*
 * plan_json.c - writes a plan as JSON, schema "cleave.plan/1", in the
 * plan's own order (services by name, interfaces by (from, to), shared
 * state by global id), so equal plans give equal bytes.  The text is
 * written directly (json_out.h) in the bytes cJSON_Print would give for
 * the same tree: a plan of a million functions holds millions of values,
 * and a cJSON tree of them took longer than the plan itself.
 * Memory: the returned text is the caller's.
 */
#include "plan/plan_json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plan/fitness.h"
#include "util/json_out.h"

static const char *KIND[] = {"service", "function", "library"};
static const char *GRAN[] = {"service", "function"};

/* Rounds to 4 decimals so the text is stable across printf variants. */
static double r4(double x) {
    return round(x * 10000.0) / 10000.0;
}

/* The name of item i of a list: a function id, a global id, a service name. */
typedef const char *(*namer)(const plan *p, size_t i);

static const char *funcid(const plan *p, size_t i) {
    return p->g->funcs.v[i].id;
}

static const char *globalid(const plan *p, size_t i) {
    return p->g->globals.v[i].id;
}

static const char *servicename(const plan *p, size_t i) {
    return p->services.v[i].name;
}

/* Member `key`: the names of the items of v, as an array. */
static void names(jout *w, const char *key, const plan *p, const idxvec *v, namer name) {
    jout_key(w, key);
    jout_array(w);
    for (size_t i = 0; i < v->n; i++) jout_string(w, name(p, v->v[i]));
    jout_end_array(w);
}

static void input(jout *w, const plan *p, const char *graph_file) {
    const graph *g = p->g;
    size_t ok = 0, partial = 0, defined = 0, direct = 0;
    for (size_t i = 0; i < g->units.n; i++) {
        ok += g->units.v[i].status == UNIT_OK;
        partial += g->units.v[i].status == UNIT_PARTIAL;
    }
    for (size_t i = 0; i < g->funcs.n; i++) defined += g->funcs.v[i].defined;
    for (size_t i = 0; i < g->calls.n; i++) direct += !g->calls.v[i].indirect;
    jout_key(w, "input");
    jout_object(w);
    jout_kstring(w, "root", g->root);
    jout_key(w, "graph");
    if (graph_file) jout_string(w, graph_file);
    else jout_null(w);
    jout_knumber(w, "units", (double)g->units.n);
    jout_knumber(w, "units_parsed", (double)(ok + partial));
    jout_knumber(w, "units_partial", (double)partial);
    jout_knumber(w, "coverage", g->units.n ? r4((double)(ok + partial) / (double)g->units.n) : 0);
    jout_knumber(w, "functions", (double)defined);
    jout_knumber(w, "calls", (double)g->calls.n);
    jout_knumber(w, "direct_calls", (double)direct);
    jout_knumber(w, "globals", (double)g->globals.n);
    jout_end_object(w);
}

/* Two decimals for money, so tiny prices stay visible but stable. */
static double money(double x) {
    return round(x * 100.0) / 100.0;
}

/* The "fitness" object of one component (docs/fitness.md). */
static void fitness(jout *w, const plan *p, const plan_service *s) {
    const plan_fitness *f = &s->fitness;
    const graph *g = p->g;
    jout_key(w, "fitness");
    jout_object(w);
    jout_kstring(w, "recommendation", KIND[f->recommendation]);
    jout_knumber(w, "confidence", round(f->confidence * 100.0) / 100.0);
    jout_key(w, "reasons");
    jout_array(w);
    for (size_t i = 0; i < f->reasons.n; i++) jout_string(w, f->reasons.v[i]);
    jout_end_array(w);

    jout_key(w, "state");
    jout_object(w);
    names(w, "reads", p, &f->reads, globalid);
    names(w, "writes", p, &f->writes, globalid);
    names(w, "statics", p, &f->statics, globalid);
    names(w, "addressed", p, &f->addressed, globalid);
    jout_key(w, "resources");
    jout_array(w);
    for (size_t i = 0; i < f->resources.n; i++) {
        const plan_resource *r = &f->resources.v[i];
        jout_object(w);
        jout_kstring(w, "kind", r->kind);
        jout_kstring(w, "call", g->funcs.v[r->call].name);
        jout_kstring(w, "function", g->funcs.v[r->function].id);
        jout_end_object(w);
    }
    jout_end_array(w);
    names(w, "external_store", p, &f->store, globalid);
    names(w, "written_elsewhere", p, &f->foreign, globalid);
    names(w, "shared_with", p, &f->shared_with, servicename);
    jout_end_object(w);

    jout_key(w, "cold_start");
    jout_object(w);
    jout_knumber(w, "loc", f->cold_loc);
    jout_knumber(w, "bytes_estimate", f->bytes_estimate);
    jout_knumber(w, "functions", f->cold_functions);
    jout_knumber(w, "externals", f->cold_externals);
    jout_knumber(w, "static_data", f->cold_globals);
    jout_end_object(w);

    jout_key(w, "chattiness");
    jout_object(w);
    jout_knumber(w, "cross_sites", f->cross_sites);
    jout_knumber(w, "in_loops", f->in_loops);
    jout_knumber(w, "max_loop_depth", f->max_loop_depth);
    jout_key(w, "loop_calls");
    jout_array(w);
    for (size_t i = 0; i < f->loop_calls.n; i++) {
        const gcall *k = &g->calls.v[f->loop_calls.v[i].call];
        jout_object(w);
        jout_kstring(w, "from", g->funcs.v[k->from].id);
        jout_kstring(w, "to", g->funcs.v[k->to].id);
        jout_kstring(w, "direction", f->loop_calls.v[i].incoming ? "in" : "out");
        size_t peer = p->assign[f->loop_calls.v[i].incoming ? k->from : k->to];
        jout_kstring(w, "peer", p->services.v[peer].name);
        jout_knumber(w, "loop_depth", k->loop_depth);
        if (k->at.n) {
            char *at = xasprintf("%s:%d:%d", k->at.v[0].file, k->at.v[0].line, k->at.v[0].col);
            jout_kstring(w, "at", at);
            free(at);
        }
        jout_end_object(w);
    }
    jout_end_array(w);
    jout_end_object(w);

    jout_knumber(w, "trace_depth", f->trace_depth);
    jout_knumber(w, "fan_out", f->fan_out);
    jout_knumber(w, "callers", f->callers);
    jout_key(w, "traces");
    jout_array(w);
    for (size_t i = 0; i < f->traces.n; i++) {
        const plan_trace *t = &f->traces.v[i];
        jout_object(w);
        jout_kstring(w, "entry", g->funcs.v[t->entry].id);
        jout_knumber(w, "depth", t->depth);
        jout_knumber(w, "fan_out", t->fan_out);
        jout_key(w, "cycle");
        jout_bool(w, t->cycle);
        jout_end_object(w);
    }
    jout_end_array(w);

    jout_key(w, "cost");
    if (s->kind == PLAN_LIBRARY) {
        jout_null(w);
    } else {
        jout_object(w);
        jout_knumber(w, "service_month", money(f->service_month));
        jout_knumber(w, "function_month", money(f->function_month));
        jout_knumber(w, "break_even_rate", round(f->break_even_rate));
        jout_kstring(w, "cheaper", f->function_month < f->service_month ? "function" : "service");
        jout_end_object(w);
    }
    jout_end_object(w);
}

/* The cost model behind every "cost" object. */
static void costmodel(jout *w, const plan *p) {
    const plan_costmodel *m = &p->cost;
    jout_key(w, "cost_model");
    jout_object(w);
    jout_knumber(w, "rate", m->rate);
    jout_kstring(w, "rate_from", m->rate_given ? "--rate" : "config");
    jout_knumber(w, "hours_per_month", FITNESS_HOURS_PER_MONTH);
    jout_knumber(w, "service_per_hour", m->service_per_hour);
    jout_knumber(w, "per_invocation", m->per_invocation);
    jout_knumber(w, "per_gb_second", m->per_gb_second);
    jout_knumber(w, "memory_mb", m->memory_mb);
    jout_knumber(w, "duration_s", m->duration_s);
    jout_key(w, "defaults");
    jout_array(w);
    for (size_t i = 0; i < m->defaults.n; i++) jout_string(w, m->defaults.v[i]);
    jout_end_array(w);
    jout_end_object(w);
}

char *plan_json_render(const plan *p, const char *graph_file) {
    strbuf b = {0};
    jout wr = jout_new(&b), *w = &wr;
    jout_object(w);
    jout_kstring(w, "schema", "cleave.plan/1");
    jout_key(w, "options");
    jout_object(w);
    jout_kstring(w, "granularity", GRAN[p->opts.granularity]);
    jout_key(w, "services");
    if (p->opts.services > 0) jout_number(w, p->opts.services);
    else jout_null(w);
    jout_knumber(w, "resolution", r4(p->resolution));
    jout_end_object(w);
    input(w, p, graph_file);

    const plan_metrics *m = &p->metrics;
    size_t nsvc = 0, nlib = 0, nfn = 0;
    for (size_t i = 0; i < p->services.n; i++) {
        unsigned k = p->services.v[i].kind;
        nsvc += k == PLAN_SERVICE;
        nfn += k == PLAN_FUNCTION;
        nlib += k == PLAN_LIBRARY;
    }
    jout_key(w, "metrics");
    jout_object(w);
    jout_knumber(w, "services", (double)nsvc);
    jout_knumber(w, "functions", (double)nfn);
    jout_knumber(w, "libraries", (double)nlib);
    jout_knumber(w, "modularity", r4(m->modularity));
    jout_knumber(w, "mq", r4(m->mq));
    jout_knumber(w, "sm", r4(m->sm));
    jout_knumber(w, "icp", r4(m->icp));
    jout_knumber(w, "ifn", r4(m->ifn));
    jout_knumber(w, "ned", r4(m->ned));
    jout_knumber(w, "cross_service_sites", m->cross_sites);
    jout_knumber(w, "shared_state", m->shared_state);
    jout_end_object(w);

    jout_key(w, "services");
    jout_array(w);
    for (size_t i = 0; i < p->services.n; i++) {
        const plan_service *s = &p->services.v[i];
        jout_object(w);
        jout_kstring(w, "name", s->name);
        jout_kstring(w, "kind", KIND[s->kind]);
        jout_knumber(w, "loc", s->loc);
        jout_key(w, "metrics");
        jout_object(w);
        jout_knumber(w, "functions", (double)s->funcs.n);
        jout_knumber(w, "entry_points", (double)s->entry_points.n);
        jout_knumber(w, "internal_sites", s->calls_internal);
        jout_knumber(w, "sites_out", s->calls_out);
        jout_knumber(w, "sites_in", s->calls_in);
        jout_end_object(w);
        jout_key(w, "files");
        jout_array(w);
        for (size_t j = 0; j < s->files.n; j++) jout_string(w, s->files.v[j]);
        jout_end_array(w);
        names(w, "entry_points", p, &s->entry_points, funcid);
        jout_key(w, "state");
        jout_object(w);
        names(w, "owned", p, &s->owned_state, globalid);
        names(w, "shared", p, &s->shared_state, globalid);
        jout_end_object(w);
        names(w, "functions", p, &s->funcs, funcid);
        if (p->fitness_done) fitness(w, p, s);
        jout_end_object(w);
    }
    jout_end_array(w);

    jout_key(w, "interfaces");
    jout_array(w);
    for (size_t i = 0; i < p->interfaces.n; i++) {
        const plan_interface *x = &p->interfaces.v[i];
        jout_object(w);
        jout_kstring(w, "from", p->services.v[x->from].name);
        jout_kstring(w, "to", p->services.v[x->to].name);
        jout_knumber(w, "calls", x->calls);
        jout_knumber(w, "sites", x->sites);
        jout_knumber(w, "max_loop_depth", x->max_loop_depth);
        names(w, "functions", p, &x->functions, funcid);
        jout_end_object(w);
    }
    jout_end_array(w);

    jout_key(w, "shared_state");
    jout_array(w);
    for (size_t i = 0; i < p->shared.n; i++) {
        const plan_shared *x = &p->shared.v[i];
        jout_object(w);
        jout_kstring(w, "global", p->g->globals.v[x->global].id);
        names(w, "services", p, &x->services, servicename);
        names(w, "writers", p, &x->writers, servicename);
        jout_end_object(w);
    }
    jout_end_array(w);

    if (p->fitness_done) costmodel(w, p);

    jout_key(w, "notes");
    jout_array(w);
    for (size_t i = 0; i < p->notes.n; i++) jout_string(w, p->notes.v[i]);
    jout_end_array(w);
    jout_end_object(w);
    strbuf_addn(&b, "\n", 1);
    return b.v;
}
