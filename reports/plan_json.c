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
