/*
 * report_model.c - the facts the HTML report and `cleave explain` share
 * (report_model.h), each computed in one pass over the plan's graph.
 */
#include "reports/report_model.h"

#include <stdlib.h>
#include <string.h>

#include "graph/scc.h"
#include "util/jsonpos.h"

const char *report_entry_name(unsigned entry) {
    static const char *const names[] = {"", "API", "callback", "trigger"};
    return entry < 4 ? names[entry] : "";
}

const char *report_kind(const report_model *m, size_t s) {
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(m->svc_doc[s], "kind");
    if (cJSON_IsString(k)) return k->valuestring;
    return plan_kind_name(m->p->services.v[s].kind);
}

size_t report_interface(const plan *p, size_t from, size_t to) {
    size_t lo = 0, hi = p->interfaces.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const plan_interface *x = &p->interfaces.v[mid];
        if (x->from < from || (x->from == from && x->to < to)) lo = mid + 1;
        else hi = mid;
    }
    if (lo < p->interfaces.n && p->interfaces.v[lo].from == from && p->interfaces.v[lo].to == to)
        return lo;
    return PLAN_NONE;
}

/* Services are sorted by name (plan.h): a binary search. */
static size_t find_service(const plan *p, const char *name) {
    size_t lo = 0, hi = p->services.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(p->services.v[mid].name, name);
        if (c == 0) return mid;
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return plan_find_service(p, name); /* a plan sorted otherwise */
}

static const char *string_of(const cJSON *obj, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* How each entry point is reached, from the calls into it from other
 * components and their evidence. */
static void classify_entries(report_model *m) {
    const plan *p = m->p;
    const graph *g = p->g;
    unsigned char *in = xcalloc(g->funcs.n + 1, 1); /* bit 1: direct, 2: through a pointer */
    for (size_t i = 0; i < g->calls.n; i++) {
        const gcall *c = &g->calls.v[i];
        size_t a = p->assign[c->from], b = p->assign[c->to];
        if (a == PLAN_NONE || b == PLAN_NONE || a == b) continue;
        in[c->to] |= c->evidence == EV_DIRECT ? 1 : 2;
    }
    for (size_t s = 0; s < p->services.n; s++) {
        const idxvec *ep = &p->services.v[s].entry_points;
        for (size_t k = 0; k < ep->n; k++) {
            size_t f = ep->v[k];
            m->entry[f] = in[f] & 1   ? REPORT_ENTRY_API
                          : in[f] & 2 ? REPORT_ENTRY_CALLBACK
                                      : REPORT_ENTRY_TRIGGER;
        }
    }
    free(in);
}

static void interface_calls(report_model *m) {
    const plan *p = m->p;
    const graph *g = p->g;
    m->calls = xcalloc(p->interfaces.n + 1, sizeof *m->calls);
    for (size_t i = 0; i < g->calls.n; i++) {
        const gcall *c = &g->calls.v[i];
        size_t a = p->assign[c->from], b = p->assign[c->to];
        if (a == PLAN_NONE || b == PLAN_NONE || a == b) continue;
        size_t x = report_interface(p, a, b);
        if (x != PLAN_NONE) VEC_PUSH(m->calls[x], i);
    }
}

typedef struct ranked {
    size_t layer, comp;
    long net; /* call sites out minus in: inside a cycle, callers first */
    size_t s;
} ranked;

static int cmp_ranked(const void *a, const void *b) {
    const ranked *x = a, *y = b;
    if (x->layer != y->layer) return x->layer < y->layer ? -1 : 1;
    if (x->comp != y->comp) return x->comp > y->comp ? -1 : 1; /* topological: callers first */
    if (x->net != y->net) return x->net > y->net ? -1 : 1;
    return (x->s > y->s) - (x->s < y->s);
}

/*
 * The matrix order: the interfaces' strongly connected components
 * (scc.h numbers them sinks first, so a higher number comes earlier in a
 * topological order), each component's layer the longest chain of
 * components calling into it; services by layer, component, then (inside
 * a cycle) call sites out minus in, most first, then name.  An interface
 * then points down the order unless it is inside a cycle.
 */
static void matrix_order(report_model *m) {
    const plan *p = m->p;
    size_t ns = p->services.n, ni = p->interfaces.n;
    size_t *off = xcalloc(ns + 2, sizeof *off), *to = xmallocarray(ni + 1, sizeof *to);
    size_t *comp = xmallocarray(ns + 1, sizeof *comp);
    for (size_t i = 0; i < ni; i++) off[p->interfaces.v[i].from + 1]++;
    for (size_t s = 0; s < ns; s++) off[s + 1] += off[s];
    for (size_t i = 0; i < ni; i++) to[i] = p->interfaces.v[i].to; /* sorted by (from, to) */
    size_t nc = scc_lists(ns, off, to, comp);
    size_t *size = xcalloc(nc + 1, sizeof *size), *layer = xcalloc(nc + 1, sizeof *layer);
    for (size_t s = 0; s < ns; s++) size[comp[s]]++;
    /* components from sources to sinks: the highest number first */
    size_t *members = xmallocarray(ns + 1, sizeof *members);
    size_t *start = xcalloc(nc + 2, sizeof *start);
    for (size_t s = 0; s < ns; s++) start[comp[s] + 1]++;
    for (size_t c = 0; c < nc; c++) start[c + 1] += start[c];
    size_t *fill = xmallocarray(nc + 1, sizeof *fill);
    memcpy(fill, start, nc * sizeof *fill);
    for (size_t s = 0; s < ns; s++) members[fill[comp[s]]++] = s;
    for (size_t c = nc; c-- > 0;)
        for (size_t k = start[c]; k < start[c + 1]; k++)
            for (size_t e = off[members[k]]; e < off[members[k] + 1]; e++) {
                size_t d = comp[to[e]];
                if (d != c && layer[d] < layer[c] + 1) layer[d] = layer[c] + 1;
            }
    ranked *r = xmallocarray(ns + 1, sizeof *r);
    m->order = xmallocarray(ns + 1, sizeof *m->order);
    m->cycle = xmallocarray(ns + 1, sizeof *m->cycle);
    size_t n = 0;
    for (size_t s = 0; s < ns; s++) {
        m->cycle[s] = size[comp[s]] > 1 ? (long)comp[s] : -1;
        const plan_service *sv = &p->services.v[s];
        if (sv->kind != PLAN_LIBRARY)
            r[n++] = (ranked){layer[comp[s]], comp[s], (long)sv->calls_out - sv->calls_in, s};
    }
    if (n > 1) qsort(r, n, sizeof *r, cmp_ranked);
    for (size_t i = 0; i < n; i++) m->order[i] = r[i].s;
    m->norder = n;
    free(r);
    free(fill);
    free(start);
    free(members);
    free(layer);
    free(size);
    free(comp);
    free(to);
    free(off);
}

/* The document's services, interfaces and placement, matched to the plan. */
static void match_doc(report_model *m) {
    const plan *p = m->p;
    const graph *g = p->g;
    m->svc_doc = xcalloc(p->services.n + 1, sizeof *m->svc_doc);
    m->iface_doc = xcalloc(p->interfaces.n + 1, sizeof *m->iface_doc);
    m->reason = xcalloc(g->funcs.n + 1, sizeof *m->reason);
    m->detail = xcalloc(g->funcs.n + 1, sizeof *m->detail);
    m->placed_in = xcalloc(g->funcs.n + 1, sizeof *m->placed_in);
    const cJSON *item;
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(m->doc, "services")) {
        const char *name = string_of(item, "name");
        size_t s = name ? find_service(p, name) : PLAN_NONE;
        if (s != PLAN_NONE) m->svc_doc[s] = item;
    }
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(m->doc, "interfaces")) {
        const char *from = string_of(item, "from"), *to = string_of(item, "to");
        size_t a = from ? find_service(p, from) : PLAN_NONE;
        size_t b = to ? find_service(p, to) : PLAN_NONE;
        size_t x = a != PLAN_NONE && b != PLAN_NONE ? report_interface(p, a, b) : PLAN_NONE;
        if (x != PLAN_NONE) m->iface_doc[x] = item;
    }
    const cJSON *placement = cJSON_GetObjectItemCaseSensitive(m->doc, "placement");
    m->has_placement = cJSON_IsArray(placement);
    cJSON_ArrayForEach(item, placement) {
        const char *id = string_of(item, "function");
        size_t f = id ? graph_find_func(g, id) : (size_t)-1;
        if (f == (size_t)-1) continue;
        m->reason[f] = string_of(item, "reason");
        m->detail[f] = string_of(item, "detail");
        m->placed_in[f] = string_of(item, "component");
    }
}

int report_model_build(const plan *p, const char *name, const char *text, size_t len,
                       report_model **out, char **err) {
    *out = NULL;
    cJSON *doc = jsonpos_parse(name, text, len, err);
    if (!doc) return -1;
    report_model *m = xcalloc(1, sizeof *m);
    m->p = p;
    m->doc = doc;
    m->entry = xcalloc(p->g->funcs.n + 1, 1);
    classify_entries(m);
    interface_calls(m);
    matrix_order(m);
    match_doc(m);
    *out = m;
    return 0;
}

void report_model_free(report_model *m) {
    if (!m) return;
    for (size_t i = 0; i < m->p->interfaces.n; i++) free(m->calls[i].v);
    free(m->calls);
    free(m->order);
    free(m->cycle);
    free(m->svc_doc);
    free(m->iface_doc);
    free(m->reason);
    free(m->detail);
    free(m->placed_in);
    free(m->entry);
    cJSON_Delete(m->doc);
    free(m);
}
