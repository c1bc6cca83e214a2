/*
 * plan_load.c - a committed plan.json mapped onto the current graph (see
 * plan_load.h).  The document is parsed with jsonpos_parse so that syntax
 * errors and wrong shapes are reported with their line and column.
 *
 * Service order: services are added in the file's order; plan_finish then
 * sorts them by name (every service keeps its committed name, as a pin
 * does) and drops the ones left without functions.
 */
#define _POSIX_C_SOURCE 200809L
#include "plan/plan_load.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/traffic.h"
#include "util/jsonpos.h"


typedef struct loader {
    const char *path, *text;
    size_t len;
    char **err;
    strmap *listed; /* function ids the plan named so far */
} loader;

static int bad(loader *L, const char *pointer, const char *what) {
    *L->err = jsonpos_error(L->path, L->text, L->len, pointer, "%s", what);
    return -1;
}

/* The array at pointer: its items must be strings. */
static int strings(loader *L, const cJSON *a, const char *pointer) {
    if (!cJSON_IsArray(a)) return bad(L, pointer, "expected an array of strings");
    int i = 0;
    for (const cJSON *x = a->child; x; x = x->next, i++)
        if (!cJSON_IsString(x)) {
            char *ptr = xasprintf("%s/%d", pointer, i);
            bad(L, ptr, "expected a string");
            free(ptr);
            return -1;
        }
    return 0;
}

static const cJSON *member(loader *L, const cJSON *o, const char *key, const char *pointer) {
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!x) {
        char *msg = xasprintf("missing key '%s'", key);
        bad(L, pointer, msg);
        free(msg);
    }
    return x;
}

/* Notes the function id at pointer when the graph does not define it
 * (once per id: where it is read first, `functions` before `entry_points`). */
static void note_missing(loader *L, plan_ref *r, const char *id, const char *pointer) {
    int added;
    strmap_intern(L->listed, id, 1, &added);
    size_t f = graph_find_func(r->p->g, id);
    if (!added || (f != (size_t)-1 && r->p->g->funcs.v[f].defined)) return;
    plan_missing m = {xstrdup(id), 0, 0};
    size_t off = 0;
    jsonpos_find(L->text, L->len, pointer, &off);
    text_position(L->text, off, &m.line, &m.col);
    VEC_PUSH(r->missing, m);
}

/* services[i]: adds the service and assigns its functions; records its
 * files (by service name) and entry points, and the listed functions the
 * code does not define. */
static int read_service(loader *L, plan_ref *r, const cJSON *s, int i, strmap *filesvc,
                        strvec *svcnames) {
    char ptr[64];
    snprintf(ptr, sizeof ptr, "/services/%d", i);
    if (!cJSON_IsObject(s)) return bad(L, ptr, "expected a service object");
    /* one at a time: a second message would replace (and leak) the first */
    const cJSON *name = member(L, s, "name", ptr);
    if (!name) return -1;
    const cJSON *kind = member(L, s, "kind", ptr);
    if (!kind) return -1;
    char sub[96];
    snprintf(sub, sizeof sub, "%s/name", ptr);
    if (!cJSON_IsString(name) || !name->valuestring[0]) return bad(L, sub, "expected a service name");
    if (strvec_contains(svcnames, name->valuestring)) return bad(L, sub, "service named twice");
    unsigned k = 0;
    snprintf(sub, sizeof sub, "%s/kind", ptr);
    if (!cJSON_IsString(kind) || plan_kind_parse(kind->valuestring, &k) != 0)
        return bad(L, sub, "expected \"service\", \"function\", \"library\" or \"program\"");
    size_t si = plan_add_service(r->p, k);
    plan_service *ps = &r->p->services.v[si];
    ps->name = xstrdup(name->valuestring);
    ps->fixed_name = 1;
    strvec_push(svcnames, name->valuestring);

    static const char *const lists[] = {"functions", "files", "entry_points"};
    for (int l = 0; l < 3; l++) {
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(s, lists[l]);
        snprintf(sub, sizeof sub, "%s/%s", ptr, lists[l]);
        if (!a) {
            if (l == 0) return bad(L, ptr, "missing key 'functions'");
            continue;
        }
        if (strings(L, a, sub) != 0) return -1;
        int j = 0;
        for (const cJSON *x = a->child; x; x = x->next, j++) {
            char item[128];
            snprintf(item, sizeof item, "%s/%d", sub, j);
            if (l == 0) {
                size_t f = graph_find_func(r->p->g, x->valuestring);
                if (f != (size_t)-1) r->p->assign[f] = si;
                note_missing(L, r, x->valuestring, item);
            } else if (l == 1) {
                strmap_put(filesvc, x->valuestring, svcnames->n - 1);
            } else {
                strmap_put(r->entries, x->valuestring, 1);
                note_missing(L, r, x->valuestring, item);
            }
        }
    }
    return 0;
}

/* interfaces[] and shared_state[]: what the plan accepted. */
static int read_accepted(loader *L, plan_ref *r, const cJSON *root) {
    const cJSON *ifs = cJSON_GetObjectItemCaseSensitive(root, "interfaces");
    if (ifs && !cJSON_IsArray(ifs)) return bad(L, "/interfaces", "expected an array");
    int i = 0;
    for (const cJSON *x = ifs ? ifs->child : NULL; x; x = x->next, i++) {
        const cJSON *from = cJSON_GetObjectItemCaseSensitive(x, "from");
        const cJSON *to = cJSON_GetObjectItemCaseSensitive(x, "to");
        if (!cJSON_IsString(from) || !cJSON_IsString(to)) {
            char ptr[64];
            snprintf(ptr, sizeof ptr, "/interfaces/%d", i);
            return bad(L, ptr, "expected {\"from\": service, \"to\": service}");
        }
        size_t mask = (1u << EV_COUNT) - 1;
        const cJSON *by = cJSON_GetObjectItemCaseSensitive(x, "sites_by_evidence");
        if (by) {
            char ptr[96];
            snprintf(ptr, sizeof ptr, "/interfaces/%d/sites_by_evidence", i);
            if (!cJSON_IsObject(by)) return bad(L, ptr, "expected an object");
            mask = 0;
            for (unsigned e = 0; e < EV_COUNT; e++) {
                const cJSON *n = cJSON_GetObjectItemCaseSensitive(by, graph_evidence_name(e));
                if (n && (!cJSON_IsNumber(n) || n->valuedouble < 0 || n->valuedouble != (int)n->valuedouble))
                    return bad(L, ptr, "expected counts of sites by \"direct\", \"field\" and \"type\"");
                if (n && n->valuedouble > 0) mask |= 1u << e;
            }
        }
        char *key = xasprintf("%s\n%s", from->valuestring, to->valuestring);
        strmap_put(r->interfaces, key, mask);
        free(key);
    }
    const cJSON *sh = cJSON_GetObjectItemCaseSensitive(root, "shared_state");
    if (sh && !cJSON_IsArray(sh)) return bad(L, "/shared_state", "expected an array");
    i = 0;
    for (const cJSON *x = sh ? sh->child : NULL; x; x = x->next, i++) {
        const cJSON *gl = cJSON_GetObjectItemCaseSensitive(x, "global");
        const cJSON *w = cJSON_GetObjectItemCaseSensitive(x, "writers");
        if (!cJSON_IsString(gl) || !cJSON_IsArray(w)) {
            char ptr[64];
            snprintf(ptr, sizeof ptr, "/shared_state/%d", i);
            return bad(L, ptr, "expected {\"global\": id, \"writers\": [services]}");
        }
        if (cJSON_GetArraySize(w) >= 2) strmap_put(r->shared, gl->valuestring, 1);
    }
    return 0;
}

/* A positive number, or -1. */
static double positive(const cJSON *x) {
    int ok = cJSON_IsNumber(x) && x->valuedouble > 0 && isfinite(x->valuedouble);
    return ok ? x->valuedouble : -1;
}

/* traffic and cost_model.rate: the traffic model the plan was made with,
 * replayed (traffic.h) so that a saved plan's diagrams carry the rates
 * `cleave plan` drew.  A plan without them (made before the model, or by
 * hand) gets none. */
static int read_traffic(loader *L, plan_ref *r, const cJSON *root) {
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(root, "traffic");
    if (!t) return 0;
    const cJSON *cost = cJSON_GetObjectItemCaseSensitive(root, "cost_model");
    double loops = positive(cJSON_GetObjectItemCaseSensitive(t, "loop_iterations"));
    double rate = positive(cost ? cJSON_GetObjectItemCaseSensitive(cost, "rate") : NULL);
    const cJSON *es = cJSON_GetObjectItemCaseSensitive(t, "entries");
    if (!cJSON_IsObject(t) || loops < 0 || rate < 0 || !cJSON_IsArray(es))
        return bad(L, "/traffic",
                   "expected {\"loop_iterations\": N, \"entries\": [...]} and a cost_model rate");
    plan *p = r->p;
    p->traffic.loop_iterations = loops;
    int i = 0;
    for (const cJSON *e = es->child; e; e = e->next, i++) {
        const cJSON *fn = cJSON_GetObjectItemCaseSensitive(e, "function");
        const cJSON *from = cJSON_GetObjectItemCaseSensitive(e, "from");
        double per_hour = positive(cJSON_GetObjectItemCaseSensitive(e, "per_hour"));
        int k = -1;
        if (!cJSON_IsString(fn) || per_hour < 0 || !cJSON_IsString(from) ||
            (strcmp(from->valuestring, "default") != 0 &&
             sscanf(from->valuestring, "fitness.traffic.entries[%d]", &k) != 1)) {
            char ptr[64];
            snprintf(ptr, sizeof ptr, "/traffic/entries/%d", i);
            return bad(L, ptr, "expected {\"function\": id, \"per_hour\": N, \"from\": where}");
        }
        /* an entry point the code no longer defines has no rate to give */
        size_t f = graph_find_func(p->g, fn->valuestring);
        if (f == (size_t)-1 || !p->g->funcs.v[f].defined) continue;
        plan_entry x = {f, per_hour, k};
        VEC_PUSH(p->traffic.entries, x);
    }
    traffic_replay(p, rate);
    return 0;
}

/*
 * A file moved against the plan: the plan gives file F to service S, but
 * most of F's lines are now functions the plan gives (by id) to another
 * service T.  Notes the first such function of T in F and S.
 */
static void moved_files(plan_ref *r, const strmap *filesvc, size_t nsvc) {
    const graph *g = r->p->g;
    size_t n = g->funcs.n;
    /* functions are sorted by id, not file: group them by file first (files
     * in the order of their first function) */
    strmap *fileidx = strmap_new();
    size_t *fileof = xmallocarray(n, sizeof *fileof), nfiles = 0;
    for (size_t f = 0; f < n; f++) {
        const char *file = g->funcs.v[f].file;
        int added;
        fileof[f] = file ? strmap_intern(fileidx, file, nfiles, &added) : PLAN_NONE;
        if (file && added) nfiles++;
    }
    strmap_free(fileidx);
    size_t *off = xcalloc(nfiles + 1, sizeof *off), *byfile = xmallocarray(n, sizeof *byfile);
    for (size_t f = 0; f < n; f++)
        if (fileof[f] != PLAN_NONE) off[fileof[f] + 1]++;
    for (size_t i = 0; i < nfiles; i++) off[i + 1] += off[i];
    size_t *fill = xmallocarray(nfiles, sizeof *fill);
    memcpy(fill, off, (nfiles ? nfiles : 1) * sizeof *fill);
    for (size_t f = 0; f < n; f++)
        if (fileof[f] != PLAN_NONE) byfile[fill[fileof[f]]++] = f;
    free(fill);
    free(fileof);

    int *loc = xcalloc(nsvc + 1, sizeof *loc);
    size_t *touched = xmallocarray(n, sizeof *touched);
    for (size_t i = 0; i < nfiles; i++) {
        const char *file = g->funcs.v[byfile[off[i]]].file;
        size_t fs;
        if (!strmap_get(filesvc, file, &fs)) continue;
        /* lines by service, over the services this file's functions have */
        size_t nt = 0;
        for (size_t j = off[i]; j < off[i + 1]; j++) {
            const gfunc *fn = &g->funcs.v[byfile[j]];
            size_t s = r->p->assign[byfile[j]];
            if (!fn->defined || s == PLAN_NONE) continue;
            if (!loc[s]) touched[nt++] = s;
            loc[s] += fn->loc > 0 ? fn->loc : 1;
        }
        /* the service with most lines, the lowest on a tie; the planned
         * one unless another has more */
        size_t best = fs;
        for (size_t t = 0; t < nt; t++) {
            size_t s = touched[t];
            if (loc[s] > loc[best] || (loc[s] == loc[best] && best != fs && s < best)) best = s;
        }
        for (size_t t = 0; t < nt; t++) loc[touched[t]] = 0;
        if (best == fs) continue;
        size_t first = PLAN_NONE;
        for (size_t j = off[i]; j < off[i + 1]; j++) {
            size_t f = byfile[j];
            if (r->p->assign[f] != best) continue;
            if (first == PLAN_NONE || g->funcs.v[f].line < g->funcs.v[first].line) first = f;
        }
        size_t m = r->moved.n;
        VEC_PUSH(r->moved, first);
        r->file_service = xrealloc(r->file_service, (m + 1) * sizeof *r->file_service);
        r->file_service[m] = fs;
    }
    free(touched);
    free(loc);
    free(byfile);
    free(off);
}

/* Places the functions the plan does not know: by the config's placement
 * rules, else by the plan's owner of their file. */
static void place(plan_ref *r, const config *cfg, const strmap *filesvc, const strvec *svcnames) {
    const graph *g = r->p->g;
    for (size_t f = 0; f < g->funcs.n; f++) {
        const gfunc *fn = &g->funcs.v[f];
        if (!fn->defined || (cfg && config_ignored(cfg, fn->file))) {
            r->p->assign[f] = PLAN_NONE;
            continue;
        }
        if (r->p->assign[f] != PLAN_NONE) continue;
        size_t fs = PLAN_NONE;
        int has_file = strmap_get(filesvc, fn->file, &fs);
        const char *by_rule = cfg ? config_placement_of(cfg, fn->file) : NULL;
        size_t s = PLAN_NONE;
        if (by_rule) {
            for (size_t i = 0; i < svcnames->n; i++)
                if (strcmp(svcnames->v[i], by_rule) == 0) s = i;
        } else if (has_file) {
            s = fs;
        }
        if (s == PLAN_NONE) VEC_PUSH(r->unplaced, f);
        r->p->assign[f] = s;
    }
}

void plan_ref_free(plan_ref *r) {
    if (!r) return;
    plan_free(r->p);
    strmap_free(r->entries);
    strmap_free(r->interfaces);
    strmap_free(r->shared);
    free(r->unplaced.v);
    free(r->moved.v);
    free(r->file_service);
    free(r->file);
    for (size_t i = 0; i < r->missing.n; i++) free(r->missing.v[i].id);
    free(r->missing.v);
    free(r);
}

/* The plan's path for findings: relative to the graph's root when inside
 * it (as every file of the graph), else absolute. */
static char *plan_file(const char *path, const graph *g) {
    char *abs = path_absolute(path);
    char *root = path_absolute(g->root ? g->root : ".");
    char *rel = path_relative(root, abs);
    free(root);
    if (!rel) return abs;
    free(abs);
    return rel;
}

int plan_load(const char *path, const graph *g, const config *cfg, plan_ref **out, char **err) {
    int rc = -1;
    size_t len = 0;
    char *text = file_read_all(path, &len);
    *out = NULL;
    if (!text) {
        *err = xasprintf("%s: %s", path, file_strerror(errno));
        return -1;
    }
    loader L = {path, text, len, err, strmap_new()};
    plan_options opt = {0};
    plan_ref *r = xcalloc(1, sizeof *r);
    r->p = plan_new(g, &opt);
    r->file = plan_file(path, g);
    r->entries = strmap_new();
    r->interfaces = strmap_new();
    r->shared = strmap_new();
    strmap *filesvc = strmap_new();
    strvec svcnames = {0};
    cJSON *root = jsonpos_parse(path, text, len, err);
    if (!root) goto cleanup;
    if (!cJSON_IsObject(root)) {
        bad(&L, "", "expected a plan object (cleave.plan/1)");
        goto cleanup;
    }
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(root, "schema");
    if (!cJSON_IsString(schema) || strcmp(schema->valuestring, "cleave.plan/1") != 0) {
        bad(&L, schema ? "/schema" : "", "not a cleave plan: expected \"schema\": \"cleave.plan/1\"");
        goto cleanup;
    }
    const cJSON *svcs = member(&L, root, "services", "");
    if (!svcs) goto cleanup;
    if (!cJSON_IsArray(svcs)) {
        bad(&L, "/services", "expected an array of services");
        goto cleanup;
    }
    int i = 0;
    for (const cJSON *s = svcs->child; s; s = s->next, i++)
        if (read_service(&L, r, s, i, filesvc, &svcnames) != 0) goto cleanup;
    if (read_accepted(&L, r, root) != 0) goto cleanup;
    moved_files(r, filesvc, svcnames.n);
    place(r, cfg, filesvc, &svcnames);
    /* plan_finish renumbers services: file_service held file-order indexes */
    plan_finish(r->p);
    if (read_traffic(&L, r, root) != 0) goto cleanup;
    for (size_t m = 0; m < r->moved.n; m++)
        r->file_service[m] = plan_find_service(r->p, svcnames.v[r->file_service[m]]);
    rc = 0;
cleanup:
    cJSON_Delete(root);
    strmap_free(L.listed);
    strmap_free(filesvc);
    strvec_free(&svcnames);
    free(text);
    if (rc != 0) {
        plan_ref_free(r);
        r = NULL;
    }
    *out = r;
    return rc;
}
