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
static void names(json_out *w, const char *key, const plan *p, const idxvec *v, namer name) {
    json_out_key(w, key);
    json_out_array(w);
    for (size_t i = 0; i < v->n; i++) json_out_string(w, name(p, v->v[i]));
    json_out_end_array(w);
}

/* What the plan stands on (docs/plan-json.md, "input"): coverage is the
 * share of units parsed without error, as `cleave check --min-coverage`
 * counts it; the rest says what the scan could not see as a build would. */
static void input(json_out *w, const plan *p, const char *graph_file) {
    const graph *g = p->g;
    size_t ok = 0, partial = 0, failed = 0, defined = 0, direct = 0;
    for (size_t i = 0; i < g->units.n; i++) {
        ok += g->units.v[i].status == UNIT_OK;
        partial += g->units.v[i].status == UNIT_PARTIAL;
        failed += g->units.v[i].status == UNIT_FAILED;
    }
    for (size_t i = 0; i < g->funcs.n; i++) defined += g->funcs.v[i].defined;
    for (size_t i = 0; i < g->calls.n; i++) direct += !g->calls.v[i].indirect;
    json_out_key(w, "input");
    json_out_object(w);
    json_out_kstring(w, "root", g->root);
    json_out_key(w, "graph");
    if (graph_file) json_out_string(w, graph_file);
    else json_out_null(w);
    json_out_knumber(w, "units", (double)g->units.n);
    json_out_knumber(w, "units_parsed", (double)(ok + partial));
    json_out_knumber(w, "units_partial", (double)partial);
    json_out_knumber(w, "units_failed", (double)failed);
    json_out_knumber(w, "coverage", graph_coverage(g));
    json_out_key(w, "approximate");
    json_out_bool(w, g->compile_db == NULL);
    json_out_key(w, "stand_ins");
    json_out_array(w);
    for (size_t i = 0; i < g->standins.n; i++) json_out_string(w, g->standins.v[i].header);
    json_out_end_array(w);
    json_out_knumber(w, "unseen_files", (double)g->unseen.n);
    json_out_knumber(w, "several_builds", (double)g->builds.n);
    if (g->stats.programs_known) { /* a graph written before the counts has none */
        size_t v[GRAPH_PROGRAM_COUNTS];
        graph_program_counts(&g->stats, v);
        for (int i = 0; i < GRAPH_PROGRAM_COUNTS; i++)
            json_out_knumber(w, GRAPH_PROGRAM_KEYS[i], (double)v[i]);
    }
    json_out_knumber(w, "functions", (double)defined);
    json_out_knumber(w, "calls", (double)g->calls.n);
    json_out_knumber(w, "direct_calls", (double)direct);
    json_out_knumber(w, "globals", (double)g->globals.n);
    json_out_end_object(w);
}

/* Four significant digits for rates, which span many orders of
 * magnitude; scaled by exact powers of ten so the text is stable. */
static double sig4(double x) {
    if (!(x != 0) || !isfinite(x)) return 0;
    int e = 3 - (int)floor(log10(fabs(x)));
    if (e > 22 || e < -22) return x; /* beyond the exact powers of ten */
    double p = 1;
    for (int i = 0; i < abs(e); i++) p *= 10;
    return e >= 0 ? round(x * p) / p : round(x / p) * p;
}

/* "placement": why each placed function is where it is, by function id
 * (the graph's order); a plan that recorded nothing (read back, made by
 * hand) has no such key. */
static void placement(json_out *w, const plan *p) {
    const graph *g = p->g;
    json_out_key(w, "placement");
    json_out_array(w);
    for (size_t f = 0; f < g->funcs.n; f++) {
        size_t s = p->assign[f];
        if (s == PLAN_NONE) continue;
        const plan_why *y = &p->why[f];
        json_out_object(w);
        json_out_kstring(w, "function", g->funcs.v[f].id);
        json_out_kstring(w, "component", p->services.v[s].name);
        json_out_kstring(w, "reason", plan_reason_name(y->reason));
        json_out_kstring(w, "detail", y->reason ? p->why_text.v[y->text] : "");
        json_out_end_object(w);
    }
    json_out_end_array(w);
}

/* Two decimals for money, so tiny prices stay visible but stable. */
static double money(double x) {
    return round(x * 100.0) / 100.0;
}

/* The "fitness" object of one component (docs/fitness.md). */
static void fitness(json_out *w, const plan *p, const plan_service *s) {
    const plan_fitness *f = &s->fitness;
    const graph *g = p->g;
    json_out_key(w, "fitness");
    json_out_object(w);
    json_out_kstring(w, "recommendation", plan_kind_name(f->recommendation));
    json_out_knumber(w, "confidence", round(f->confidence * 100.0) / 100.0);
    json_out_key(w, "reasons");
    json_out_array(w);
    for (size_t i = 0; i < f->reasons.n; i++) json_out_string(w, f->reasons.v[i]);
    json_out_end_array(w);

    json_out_key(w, "state");
    json_out_object(w);
    names(w, "reads", p, &f->reads, globalid);
    names(w, "writes", p, &f->writes, globalid);
    names(w, "statics", p, &f->statics, globalid);
    names(w, "addressed", p, &f->addressed, globalid);
    json_out_key(w, "resources");
    json_out_array(w);
    for (size_t i = 0; i < f->resources.n; i++) {
        const plan_resource *r = &f->resources.v[i];
        json_out_object(w);
        json_out_kstring(w, "kind", r->kind);
        json_out_kstring(w, "call", g->funcs.v[r->call].name);
        json_out_kstring(w, "function", g->funcs.v[r->function].id);
        json_out_end_object(w);
    }
    json_out_end_array(w);
    names(w, "external_store", p, &f->store, globalid);
    names(w, "written_elsewhere", p, &f->foreign, globalid);
    names(w, "shared_with", p, &f->shared_with, servicename);
    json_out_end_object(w);

    json_out_key(w, "cold_start");
    json_out_object(w);
    json_out_knumber(w, "loc", f->cold_loc);
    json_out_knumber(w, "bytes_estimate", f->bytes_estimate);
    json_out_knumber(w, "functions", f->cold_functions);
    json_out_knumber(w, "externals", f->cold_externals);
    json_out_knumber(w, "static_data", f->cold_globals);
    json_out_end_object(w);

    json_out_key(w, "chattiness");
    json_out_object(w);
    json_out_knumber(w, "cross_sites", f->cross_sites);
    json_out_knumber(w, "in_loops", f->in_loops);
    json_out_knumber(w, "max_loop_depth", f->max_loop_depth);
    json_out_key(w, "loop_calls");
    json_out_array(w);
    for (size_t i = 0; i < f->loop_calls.n; i++) {
        const gcall *k = &g->calls.v[f->loop_calls.v[i].call];
        json_out_object(w);
        json_out_kstring(w, "from", g->funcs.v[k->from].id);
        json_out_kstring(w, "to", g->funcs.v[k->to].id);
        json_out_kstring(w, "direction", f->loop_calls.v[i].incoming ? "in" : "out");
        size_t peer = p->assign[f->loop_calls.v[i].incoming ? k->from : k->to];
        json_out_kstring(w, "peer", p->services.v[peer].name);
        json_out_knumber(w, "loop_depth", k->loop_depth);
        if (k->at.n) {
            char *at = xasprintf("%s:%d:%d", k->at.v[0].file, k->at.v[0].line, k->at.v[0].col);
            json_out_kstring(w, "at", at);
            free(at);
        }
        json_out_end_object(w);
    }
    json_out_end_array(w);
    json_out_end_object(w);

    json_out_knumber(w, "trace_depth", f->trace_depth);
    json_out_knumber(w, "trace_depth_with_may_calls", f->trace_depth_may);
    json_out_knumber(w, "fan_out", f->fan_out);
    json_out_knumber(w, "callers", f->callers);
    json_out_key(w, "traces");
    json_out_array(w);
    for (size_t i = 0; i < f->traces.n; i++) {
        const plan_trace *t = &f->traces.v[i];
        json_out_object(w);
        json_out_kstring(w, "entry", g->funcs.v[t->entry].id);
        json_out_knumber(w, "depth", t->depth);
        json_out_knumber(w, "fan_out", t->fan_out);
        json_out_key(w, "cycle");
        json_out_bool(w, t->cycle);
        json_out_key(w, "with_may_calls");
        json_out_object(w);
        json_out_knumber(w, "depth", t->depth_may);
        json_out_knumber(w, "fan_out", t->fan_out_may);
        json_out_key(w, "cycle");
        json_out_bool(w, t->cycle_may);
        json_out_end_object(w);
        json_out_end_object(w);
    }
    json_out_end_array(w);

    json_out_key(w, "traffic");
    json_out_object(w);
    json_out_knumber(w, "invocations_per_second", sig4(f->rate_entry + f->rate_in));
    json_out_knumber(w, "entry_per_second", sig4(f->rate_entry));
    json_out_knumber(w, "calls_in_per_second", sig4(f->rate_in));
    json_out_knumber(w, "calls_out_per_second", sig4(f->rate_out));
    json_out_end_object(w);

    json_out_key(w, "cost");
    if (s->kind == PLAN_LIBRARY || s->kind == PLAN_PROGRAM) {
        json_out_null(w);
    } else {
        json_out_object(w);
        json_out_knumber(w, "invocations_per_hour", sig4((f->rate_entry + f->rate_in) * 3600.0));
        json_out_knumber(w, "duration_s", sig4(f->duration_s));
        json_out_knumber(w, "service_month", money(f->service_month));
        json_out_knumber(w, "function_month", money(f->function_month));
        json_out_knumber(w, "break_even_rate", round(f->break_even_rate));
        json_out_kstring(w, "cheaper", f->function_month < f->service_month ? "function" : "service");
        json_out_end_object(w);
    }
    json_out_end_object(w);
}

/* The traffic model behind every rate: the loop assumption and the entry
 * points with their rates. */
static void traffic(json_out *w, const plan *p) {
    const plan_traffic *t = &p->traffic;
    json_out_key(w, "traffic");
    json_out_object(w);
    json_out_knumber(w, "loop_iterations", t->loop_iterations);
    json_out_key(w, "entries");
    json_out_array(w);
    for (size_t i = 0; i < t->entries.n; i++) {
        const plan_entry *e = &t->entries.v[i];
        json_out_object(w);
        json_out_kstring(w, "function", p->g->funcs.v[e->function].id);
        json_out_knumber(w, "per_hour", sig4(e->per_hour));
        if (e->from < 0) {
            json_out_kstring(w, "from", "default");
        } else {
            char *from = xasprintf("fitness.traffic.entries[%d]", e->from);
            json_out_kstring(w, "from", from);
            free(from);
        }
        json_out_end_object(w);
    }
    json_out_end_array(w);
    json_out_end_object(w);
}

/* The cost model behind every "cost" object. */
static void costmodel(json_out *w, const plan *p) {
    const plan_costmodel *m = &p->cost;
    json_out_key(w, "cost_model");
    json_out_object(w);
    json_out_knumber(w, "rate", m->rate);
    json_out_kstring(w, "rate_from", m->rate_given ? "--rate" : "config");
    json_out_knumber(w, "hours_per_month", FITNESS_HOURS_PER_MONTH);
    json_out_knumber(w, "service_per_hour", m->service_per_hour);
    json_out_knumber(w, "per_invocation", m->per_invocation);
    json_out_knumber(w, "per_gb_second", m->per_gb_second);
    json_out_knumber(w, "memory_mb", m->memory_mb);
    json_out_knumber(w, "duration_s", m->duration_s);
    json_out_knumber(w, "call_wait_s", FITNESS_CALL_WAIT_S);
    json_out_key(w, "defaults");
    json_out_array(w);
    for (size_t i = 0; i < m->defaults.n; i++) json_out_string(w, m->defaults.v[i]);
    json_out_end_array(w);
    json_out_end_object(w);
}

char *plan_json_render(const plan *p, const char *graph_file) {
    strbuf b = {0};
    json_out wr = json_out_new(&b), *w = &wr;
    json_out_object(w);
    json_out_kstring(w, "schema", "cleave.plan/1");
    json_out_key(w, "options");
    json_out_object(w);
    json_out_kstring(w, "granularity", GRAN[p->opts.granularity]);
    json_out_key(w, "services");
    if (p->opts.services > 0) json_out_number(w, p->opts.services);
    else json_out_null(w);
    json_out_knumber(w, "resolution", r4(p->resolution));
    json_out_end_object(w);
    input(w, p, graph_file);

    const plan_metrics *m = &p->metrics;
    size_t nsvc = 0, nlib = 0, nfn = 0, nprog = 0;
    for (size_t i = 0; i < p->services.n; i++) {
        unsigned k = p->services.v[i].kind;
        nsvc += k == PLAN_SERVICE;
        nfn += k == PLAN_FUNCTION;
        nlib += k == PLAN_LIBRARY;
        nprog += k == PLAN_PROGRAM;
    }
    json_out_key(w, "metrics");
    json_out_object(w);
    json_out_knumber(w, "services", (double)nsvc);
    json_out_knumber(w, "functions", (double)nfn);
    json_out_knumber(w, "libraries", (double)nlib);
    json_out_knumber(w, "programs", (double)nprog);
    json_out_knumber(w, "modularity", r4(m->modularity));
    json_out_knumber(w, "mq", r4(m->mq));
    json_out_knumber(w, "sm", r4(m->sm));
    json_out_knumber(w, "icp", r4(m->icp));
    json_out_knumber(w, "ifn", r4(m->ifn));
    json_out_knumber(w, "ned", r4(m->ned));
    json_out_knumber(w, "cross_service_sites", m->cross_sites);
    json_out_knumber(w, "shared_state", m->shared_state);
    json_out_knumber(w, "cycle_services", m->cycle_services);
    json_out_key(w, "known_calls");
    json_out_object(w);
    json_out_knumber(w, "icp", r4(m->icp_known));
    json_out_knumber(w, "cross_service_sites", m->cross_sites_known);
    json_out_knumber(w, "cycle_services", m->cycle_services_known);
    json_out_end_object(w);
    json_out_end_object(w);

    json_out_key(w, "services");
    json_out_array(w);
    for (size_t i = 0; i < p->services.n; i++) {
        const plan_service *s = &p->services.v[i];
        json_out_object(w);
        json_out_kstring(w, "name", s->name);
        json_out_kstring(w, "kind", plan_kind_name(s->kind));
        json_out_knumber(w, "loc", s->loc);
        json_out_key(w, "metrics");
        json_out_object(w);
        json_out_knumber(w, "functions", (double)s->funcs.n);
        json_out_knumber(w, "entry_points", (double)s->entry_points.n);
        json_out_knumber(w, "internal_sites", s->calls_internal);
        json_out_knumber(w, "sites_out", s->calls_out);
        json_out_knumber(w, "sites_in", s->calls_in);
        json_out_end_object(w);
        json_out_key(w, "files");
        json_out_array(w);
        for (size_t j = 0; j < s->files.n; j++) json_out_string(w, s->files.v[j]);
        json_out_end_array(w);
        names(w, "entry_points", p, &s->entry_points, funcid);
        json_out_key(w, "state");
        json_out_object(w);
        names(w, "owned", p, &s->owned_state, globalid);
        names(w, "shared", p, &s->shared_state, globalid);
        json_out_end_object(w);
        names(w, "functions", p, &s->funcs, funcid);
        if (p->fitness_done) fitness(w, p, s);
        json_out_end_object(w);
    }
    json_out_end_array(w);

    json_out_key(w, "interfaces");
    json_out_array(w);
    for (size_t i = 0; i < p->interfaces.n; i++) {
        const plan_interface *x = &p->interfaces.v[i];
        json_out_object(w);
        json_out_kstring(w, "from", p->services.v[x->from].name);
        json_out_kstring(w, "to", p->services.v[x->to].name);
        json_out_knumber(w, "calls", x->calls);
        json_out_knumber(w, "sites", x->sites);
        json_out_key(w, "sites_by_evidence");
        json_out_object(w);
        for (unsigned e = 0; e < EV_COUNT; e++)
            json_out_knumber(w, graph_evidence_name(e), x->sites_by[e]);
        json_out_end_object(w);
        json_out_knumber(w, "max_loop_depth", x->max_loop_depth);
        if (p->fitness_done) json_out_knumber(w, "calls_per_second", sig4(x->rate));
        names(w, "functions", p, &x->functions, funcid);
        json_out_end_object(w);
    }
    json_out_end_array(w);

    json_out_key(w, "shared_state");
    json_out_array(w);
    for (size_t i = 0; i < p->shared.n; i++) {
        const plan_shared *x = &p->shared.v[i];
        json_out_object(w);
        json_out_kstring(w, "global", p->g->globals.v[x->global].id);
        names(w, "services", p, &x->services, servicename);
        names(w, "writers", p, &x->writers, servicename);
        json_out_end_object(w);
    }
    json_out_end_array(w);

    if (p->fitness_done) {
        costmodel(w, p);
        traffic(w, p);
    }

    /* units this build compiled to nothing: no component proposes them */
    json_out_key(w, "excluded");
    json_out_array(w);
    for (size_t i = 0; i < p->excluded.n; i++) json_out_string(w, p->excluded.v[i]);
    json_out_end_array(w);

    json_out_key(w, "notes");
    json_out_array(w);
    for (size_t i = 0; i < p->notes.n; i++) json_out_string(w, p->notes.v[i]);
    json_out_end_array(w);
    if (p->why) placement(w, p);
    json_out_end_object(w);
    strbuf_addn(&b, "\n", 1);
    return b.v;
}
