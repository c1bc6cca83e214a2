/*
 * plan_json.c - writes a plan as JSON, schema "cleave.plan/1".  Built as a
 * cJSON tree in the plan's own order (services by name, interfaces by
 * (from, to), shared state by global id), so equal plans give equal bytes.
 */
#include "plan_json.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fitness.h"

static const char *KIND[] = {"service", "function", "library"};
static const char *GRAN[] = {"service", "function"};

/* Rounds to 4 decimals so the text is stable across printf variants. */
static double r4(double x) {
    return round(x * 10000.0) / 10000.0;
}

static cJSON *funcids(const plan *p, const idxvec *v) {
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < v->n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(p->g->funcs.v[v->v[i]].id));
    return a;
}

static cJSON *globalids(const plan *p, const idxvec *v) {
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < v->n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(p->g->globals.v[v->v[i]].id));
    return a;
}

static cJSON *servicenames(const plan *p, const idxvec *v) {
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < v->n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(p->services.v[v->v[i]].name));
    return a;
}

static cJSON *input(const plan *p, const char *graph_file) {
    const graph *g = p->g;
    size_t ok = 0, partial = 0, defined = 0, direct = 0;
    for (size_t i = 0; i < g->units.n; i++) {
        ok += g->units.v[i].status == UNIT_OK;
        partial += g->units.v[i].status == UNIT_PARTIAL;
    }
    for (size_t i = 0; i < g->funcs.n; i++) defined += g->funcs.v[i].defined;
    for (size_t i = 0; i < g->calls.n; i++) direct += !g->calls.v[i].indirect;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "root", g->root);
    if (graph_file) cJSON_AddStringToObject(o, "graph", graph_file);
    else cJSON_AddNullToObject(o, "graph");
    cJSON_AddNumberToObject(o, "units", (double)g->units.n);
    cJSON_AddNumberToObject(o, "units_parsed", (double)(ok + partial));
    cJSON_AddNumberToObject(o, "units_partial", (double)partial);
    cJSON_AddNumberToObject(o, "coverage", g->units.n ? r4((double)(ok + partial) / (double)g->units.n) : 0);
    cJSON_AddNumberToObject(o, "functions", (double)defined);
    cJSON_AddNumberToObject(o, "calls", (double)g->calls.n);
    cJSON_AddNumberToObject(o, "direct_calls", (double)direct);
    cJSON_AddNumberToObject(o, "globals", (double)g->globals.n);
    return o;
}

/* Two decimals for money, so tiny prices stay visible but stable. */
static double money(double x) {
    return round(x * 100.0) / 100.0;
}

static cJSON *calljson(const plan *p, const gcall *k) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "from", p->g->funcs.v[k->from].id);
    cJSON_AddStringToObject(o, "to", p->g->funcs.v[k->to].id);
    return o;
}

/* The "fitness" object of one component (docs/fitness.md). */
static cJSON *fitness(const plan *p, const plan_service *s) {
    const plan_fitness *f = &s->fitness;
    const graph *g = p->g;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "recommendation", KIND[f->recommendation]);
    cJSON_AddNumberToObject(o, "confidence", round(f->confidence * 100.0) / 100.0);
    cJSON *rs = cJSON_AddArrayToObject(o, "reasons");
    for (size_t i = 0; i < f->reasons.n; i++) cJSON_AddItemToArray(rs, cJSON_CreateString(f->reasons.v[i]));

    cJSON *st = cJSON_AddObjectToObject(o, "state");
    cJSON_AddItemToObject(st, "reads", globalids(p, &f->reads));
    cJSON_AddItemToObject(st, "writes", globalids(p, &f->writes));
    cJSON_AddItemToObject(st, "statics", globalids(p, &f->statics));
    cJSON_AddItemToObject(st, "addressed", globalids(p, &f->addressed));
    cJSON *res = cJSON_AddArrayToObject(st, "resources");
    for (size_t i = 0; i < f->resources.n; i++) {
        const plan_resource *r = &f->resources.v[i];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "kind", r->kind);
        cJSON_AddStringToObject(x, "call", g->funcs.v[r->call].name);
        cJSON_AddStringToObject(x, "function", g->funcs.v[r->function].id);
        cJSON_AddItemToArray(res, x);
    }
    cJSON_AddItemToObject(st, "external_store", globalids(p, &f->store));
    cJSON_AddItemToObject(st, "written_elsewhere", globalids(p, &f->foreign));
    cJSON_AddItemToObject(st, "shared_with", servicenames(p, &f->shared_with));

    cJSON *cs = cJSON_AddObjectToObject(o, "cold_start");
    cJSON_AddNumberToObject(cs, "loc", f->cold_loc);
    cJSON_AddNumberToObject(cs, "bytes_estimate", f->bytes_estimate);
    cJSON_AddNumberToObject(cs, "functions", f->cold_functions);
    cJSON_AddNumberToObject(cs, "externals", f->cold_externals);
    cJSON_AddNumberToObject(cs, "static_data", f->cold_globals);

    cJSON *ch = cJSON_AddObjectToObject(o, "chattiness");
    cJSON_AddNumberToObject(ch, "cross_sites", f->cross_sites);
    cJSON_AddNumberToObject(ch, "in_loops", f->in_loops);
    cJSON_AddNumberToObject(ch, "max_loop_depth", f->max_loop_depth);
    cJSON *lc = cJSON_AddArrayToObject(ch, "loop_calls");
    for (size_t i = 0; i < f->loop_calls.n; i++) {
        const gcall *k = &g->calls.v[f->loop_calls.v[i].call];
        cJSON *x = calljson(p, k);
        cJSON_AddStringToObject(x, "direction", f->loop_calls.v[i].incoming ? "in" : "out");
        size_t peer = p->assign[f->loop_calls.v[i].incoming ? k->from : k->to];
        cJSON_AddStringToObject(x, "peer", p->services.v[peer].name);
        cJSON_AddNumberToObject(x, "loop_depth", k->loop_depth);
        if (k->at.n) {
            char *at = xasprintf("%s:%d:%d", k->at.v[0].file, k->at.v[0].line, k->at.v[0].col);
            cJSON_AddStringToObject(x, "at", at);
            free(at);
        }
        cJSON_AddItemToArray(lc, x);
    }

    cJSON_AddNumberToObject(o, "trace_depth", f->trace_depth);
    cJSON_AddNumberToObject(o, "fan_out", f->fan_out);
    cJSON_AddNumberToObject(o, "callers", f->callers);
    cJSON *tr = cJSON_AddArrayToObject(o, "traces");
    for (size_t i = 0; i < f->traces.n; i++) {
        const plan_trace *t = &f->traces.v[i];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "entry", g->funcs.v[t->entry].id);
        cJSON_AddNumberToObject(x, "depth", t->depth);
        cJSON_AddNumberToObject(x, "fan_out", t->fan_out);
        cJSON_AddBoolToObject(x, "cycle", t->cycle);
        cJSON_AddItemToArray(tr, x);
    }

    if (s->kind == PLAN_LIBRARY) {
        cJSON_AddNullToObject(o, "cost");
    } else {
        cJSON *c = cJSON_AddObjectToObject(o, "cost");
        cJSON_AddNumberToObject(c, "service_month", money(f->service_month));
        cJSON_AddNumberToObject(c, "function_month", money(f->function_month));
        cJSON_AddNumberToObject(c, "break_even_rate", round(f->break_even_rate));
        cJSON_AddStringToObject(c, "cheaper", f->function_month < f->service_month ? "function" : "service");
    }
    return o;
}

/* The cost model behind every "cost" object. */
static cJSON *costmodel(const plan *p) {
    const plan_costmodel *m = &p->cost;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "rate", m->rate);
    cJSON_AddStringToObject(o, "rate_from", m->rate_given ? "--rate" : "config");
    cJSON_AddNumberToObject(o, "hours_per_month", FITNESS_HOURS_PER_MONTH);
    cJSON_AddNumberToObject(o, "service_per_hour", m->service_per_hour);
    cJSON_AddNumberToObject(o, "per_invocation", m->per_invocation);
    cJSON_AddNumberToObject(o, "per_gb_second", m->per_gb_second);
    cJSON_AddNumberToObject(o, "memory_mb", m->memory_mb);
    cJSON_AddNumberToObject(o, "duration_s", m->duration_s);
    cJSON *d = cJSON_AddArrayToObject(o, "defaults");
    for (size_t i = 0; i < m->defaults.n; i++) cJSON_AddItemToArray(d, cJSON_CreateString(m->defaults.v[i]));
    return o;
}

char *plan_json_render(const plan *p, const char *graph_file) {
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "schema", "cleave.plan/1");
    cJSON *opt = cJSON_AddObjectToObject(root, "options");
    cJSON_AddStringToObject(opt, "granularity", GRAN[p->opts.granularity]);
    if (p->opts.services > 0) cJSON_AddNumberToObject(opt, "services", p->opts.services);
    else cJSON_AddNullToObject(opt, "services");
    cJSON_AddNumberToObject(opt, "resolution", r4(p->resolution));
    cJSON_AddItemToObject(root, "input", input(p, graph_file));

    const plan_metrics *m = &p->metrics;
    cJSON *met = cJSON_AddObjectToObject(root, "metrics");
    size_t nsvc = 0, nlib = 0, nfn = 0;
    for (size_t i = 0; i < p->services.n; i++) {
        unsigned k = p->services.v[i].kind;
        nsvc += k == PLAN_SERVICE;
        nfn += k == PLAN_FUNCTION;
        nlib += k == PLAN_LIBRARY;
    }
    cJSON_AddNumberToObject(met, "services", (double)nsvc);
    cJSON_AddNumberToObject(met, "functions", (double)nfn);
    cJSON_AddNumberToObject(met, "libraries", (double)nlib);
    cJSON_AddNumberToObject(met, "modularity", r4(m->modularity));
    cJSON_AddNumberToObject(met, "mq", r4(m->mq));
    cJSON_AddNumberToObject(met, "sm", r4(m->sm));
    cJSON_AddNumberToObject(met, "icp", r4(m->icp));
    cJSON_AddNumberToObject(met, "ifn", r4(m->ifn));
    cJSON_AddNumberToObject(met, "ned", r4(m->ned));
    cJSON_AddNumberToObject(met, "cross_service_sites", m->cross_sites);
    cJSON_AddNumberToObject(met, "shared_state", m->shared_state);

    cJSON *svcs = cJSON_AddArrayToObject(root, "services");
    for (size_t i = 0; i < p->services.n; i++) {
        const plan_service *s = &p->services.v[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", s->name);
        cJSON_AddStringToObject(o, "kind", KIND[s->kind]);
        cJSON_AddNumberToObject(o, "loc", s->loc);
        cJSON *sm = cJSON_AddObjectToObject(o, "metrics");
        cJSON_AddNumberToObject(sm, "functions", (double)s->funcs.n);
        cJSON_AddNumberToObject(sm, "entry_points", (double)s->entry_points.n);
        cJSON_AddNumberToObject(sm, "internal_sites", s->calls_internal);
        cJSON_AddNumberToObject(sm, "sites_out", s->calls_out);
        cJSON_AddNumberToObject(sm, "sites_in", s->calls_in);
        cJSON *files = cJSON_AddArrayToObject(o, "files");
        for (size_t j = 0; j < s->files.n; j++)
            cJSON_AddItemToArray(files, cJSON_CreateString(s->files.v[j]));
        cJSON_AddItemToObject(o, "entry_points", funcids(p, &s->entry_points));
        cJSON *st = cJSON_AddObjectToObject(o, "state");
        cJSON_AddItemToObject(st, "owned", globalids(p, &s->owned_state));
        cJSON_AddItemToObject(st, "shared", globalids(p, &s->shared_state));
        cJSON_AddItemToObject(o, "functions", funcids(p, &s->funcs));
        if (p->fitness_done) cJSON_AddItemToObject(o, "fitness", fitness(p, s));
        cJSON_AddItemToArray(svcs, o);
    }

    cJSON *ifs = cJSON_AddArrayToObject(root, "interfaces");
    for (size_t i = 0; i < p->interfaces.n; i++) {
        const plan_interface *x = &p->interfaces.v[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "from", p->services.v[x->from].name);
        cJSON_AddStringToObject(o, "to", p->services.v[x->to].name);
        cJSON_AddNumberToObject(o, "calls", x->calls);
        cJSON_AddNumberToObject(o, "sites", x->sites);
        cJSON_AddNumberToObject(o, "max_loop_depth", x->max_loop_depth);
        cJSON_AddItemToObject(o, "functions", funcids(p, &x->functions));
        cJSON_AddItemToArray(ifs, o);
    }

    cJSON *sh = cJSON_AddArrayToObject(root, "shared_state");
    for (size_t i = 0; i < p->shared.n; i++) {
        const plan_shared *x = &p->shared.v[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "global", p->g->globals.v[x->global].id);
        cJSON_AddItemToObject(o, "services", servicenames(p, &x->services));
        cJSON_AddItemToObject(o, "writers", servicenames(p, &x->writers));
        cJSON_AddItemToArray(sh, o);
    }

    if (p->fitness_done) cJSON_AddItemToObject(root, "cost_model", costmodel(p));

    cJSON *notes = cJSON_AddArrayToObject(root, "notes");
    for (size_t i = 0; i < p->notes.n; i++) cJSON_AddItemToArray(notes, cJSON_CreateString(p->notes.v[i]));

    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    size_t n = strlen(text);
    char *out = xmalloc(n + 2);
    memcpy(out, text, n);
    out[n] = '\n';
    out[n + 1] = '\0';
    free(text);
    return out;
}
