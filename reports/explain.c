/*
 * explain.c - `cleave explain` (explain.h): finds what NAME names and
 * writes what the plan knows about it, a few lines per section, lists cut
 * at EXPLAIN_LIST_MAX.  Everything comes in the plan's order (services by
 * name, functions by id, calls by caller and callee), so the text is the
 * same for the same plan.
 */
#define _GNU_SOURCE
#include "reports/explain.h"

#include <stdlib.h>
#include <string.h>

#include "graph/graph.h"
#include "reports/lookup.h"

static const char *entry_sentence(unsigned e) {
    switch (e) {
    case REPORT_ENTRY_API: return "API: another component calls it directly";
    case REPORT_ENTRY_CALLBACK: return "callback: other components reach it only through pointers";
    case REPORT_ENTRY_TRIGGER:
        return "trigger: nothing outside calls it (main, an exported function)";
    default: return "no: only its own component calls it";
    }
}

static void why(strbuf *b, const report_model *m, size_t f) {
    if (!m->has_placement) {
        strbuf_add(b, REPORT_NO_PLACEMENT);
    } else if (!m->reason[f] && !m->detail[f]) {
        strbuf_add(b, "not recorded for this function");
    } else {
        strbuf_add(b, m->reason[f] ? m->reason[f] : "?");
        if (m->detail[f] && *m->detail[f]) strbuf_printf(b, ": %s", m->detail[f]);
        if (m->placed_in[f] && m->p->assign[f] != PLAN_NONE &&
            strcmp(m->placed_in[f], m->p->services.v[m->p->assign[f]].name) != 0)
            strbuf_printf(b, " (placement names %s)", m->placed_in[f]);
    }
}

static void sites(strbuf *b, const gcall *c) {
    for (size_t a = 0; a < c->at.n && a < 3; a++)
        strbuf_printf(b, "%s%s:%d:%d", a ? ", " : "", c->at.v[a].file, c->at.v[a].line,
                      c->at.v[a].col);
    if (c->at.n > 3) strbuf_printf(b, " and %zu more", c->at.n - 3);
}

/* The calls crossing into (in) or out of f's component that start or end
 * at f, one line each. */
static void crossing(strbuf *b, const report_model *m, size_t f, int in) {
    const plan *p = m->p;
    const graph *g = p->g;
    size_t s = p->assign[f], shown = 0, total = 0;
    if (s == PLAN_NONE) return;
    for (size_t i = 0; i < p->interfaces.n; i++) {
        const plan_interface *x = &p->interfaces.v[i];
        if ((in ? x->to : x->from) != s) continue;
        for (size_t k = 0; k < m->calls[i].n; k++) {
            const gcall *c = &g->calls.v[m->calls[i].v[k]];
            if ((in ? c->to : c->from) != f) continue;
            if (total++ >= EXPLAIN_LIST_MAX) continue;
            if (!shown++)
                strbuf_add(b, in ? "  called from other components:\n"
                                 : "  calls into other components:\n");
            size_t peer = in ? c->from : c->to;
            strbuf_printf(b, "    %s %s (%s) at ", in ? "<-" : "->", g->funcs.v[peer].name,
                          p->services.v[in ? x->from : x->to].name);
            sites(b, c);
            strbuf_printf(b, " [%s]\n", graph_evidence_name(c->evidence));
        }
    }
    if (total > EXPLAIN_LIST_MAX)
        strbuf_printf(b, "    ... and %zu more\n", total - EXPLAIN_LIST_MAX);
}

static void explain_function(strbuf *b, const report_model *m, size_t f) {
    const plan *p = m->p;
    const gfunc *fn = &p->g->funcs.v[f];
    strbuf_printf(b, "function %s (%s:%d, %d lines)\n", fn->name, fn->file ? fn->file : "?",
                  fn->line, fn->loc);
    if (strcmp(fn->id, fn->name) != 0) strbuf_printf(b, "  id: %s\n", fn->id);
    size_t s = p->assign[f];
    if (s == PLAN_NONE) {
        strbuf_add(b, fn->defined ? "  component: none (the plan does not place it)\n"
                                  : "  external: defined outside the project\n");
        return;
    }
    strbuf_printf(b, "  component: %s (%s)\n", p->services.v[s].name, report_kind(m, s));
    strbuf_printf(b, "  entry point: %s\n", entry_sentence(m->entry[f]));
    strbuf_add(b, "  why here: ");
    why(b, m, f);
    strbuf_add(b, "\n");
    crossing(b, m, f, 1);
    crossing(b, m, f, 0);
}

/* Up to EXPLAIN_LIST_MAX names of the functions in v with entry kind e. */
static void entry_list(strbuf *b, const report_model *m, const idxvec *v, unsigned e,
                       const char *what) {
    size_t n = 0;
    for (size_t i = 0; i < v->n; i++) n += m->entry[v->v[i]] == e;
    if (!n) return;
    strbuf_printf(b, "    %s (%zu):", what, n);
    size_t shown = 0;
    for (size_t i = 0; i < v->n && shown < EXPLAIN_LIST_MAX; i++)
        if (m->entry[v->v[i]] == e)
            strbuf_printf(b, "%s %s", shown++ ? "," : "", m->p->g->funcs.v[v->v[i]].name);
    if (n > shown) strbuf_printf(b, " and %zu more", n - shown);
    strbuf_add(b, "\n");
}

static void global_list(strbuf *b, const report_model *m, const idxvec *v) {
    for (size_t i = 0; i < v->n && i < EXPLAIN_LIST_MAX; i++)
        strbuf_printf(b, "%s %s", i ? "," : "", m->p->g->globals.v[v->v[i]].id);
    if (v->n > EXPLAIN_LIST_MAX) strbuf_printf(b, " and %zu more", v->n - EXPLAIN_LIST_MAX);
}

static void interface_lines(strbuf *b, const report_model *m, size_t s, int in) {
    const plan *p = m->p;
    size_t n = 0;
    for (size_t i = 0; i < p->interfaces.n; i++) {
        const plan_interface *x = &p->interfaces.v[i];
        if ((in ? x->to : x->from) != s) continue;
        if (!n++) strbuf_printf(b, "  interfaces %s:\n", in ? "in" : "out");
        if (n > EXPLAIN_LIST_MAX) continue;
        strbuf_printf(b, "    %s %s: %d site%s (direct %d, field %d, type %d)\n", in ? "<-" : "->",
                      p->services.v[in ? x->from : x->to].name, x->sites, x->sites == 1 ? "" : "s",
                      x->sites_by[EV_DIRECT], x->sites_by[EV_FIELD], x->sites_by[EV_TYPE]);
    }
    if (n > EXPLAIN_LIST_MAX) strbuf_printf(b, "    ... and %zu more\n", n - EXPLAIN_LIST_MAX);
}

/* "  label: key value, key value" for the numbers and strings of obj (not
 * an object: nothing). */
static void keyvals(strbuf *b, const char *label, const cJSON *obj) {
    if (!cJSON_IsObject(obj)) return;
    strbuf_printf(b, "  %s:", label);
    const cJSON *c;
    size_t i = 0;
    cJSON_ArrayForEach(c, obj) {
        const char *sep = i++ ? "," : "";
        if (cJSON_IsNumber(c))
            strbuf_printf(b, "%s %s %g", sep, c->string, c->valuedouble);
        else if (cJSON_IsString(c))
            strbuf_printf(b, "%s %s %s", sep, c->string, c->valuestring);
    }
    strbuf_add(b, "\n");
}

static void fitness(strbuf *b, const report_model *m, size_t s) {
    const cJSON *fit = cJSON_GetObjectItemCaseSensitive(m->svc_doc[s], "fitness");
    if (!cJSON_IsObject(fit)) return;
    const cJSON *rec = cJSON_GetObjectItemCaseSensitive(fit, "recommendation");
    const cJSON *conf = cJSON_GetObjectItemCaseSensitive(fit, "confidence");
    strbuf_printf(b, "  becomes: %s", cJSON_IsString(rec) ? rec->valuestring : "?");
    if (cJSON_IsNumber(conf)) strbuf_printf(b, " (confidence %.2f)", conf->valuedouble);
    strbuf_add(b, "\n");
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(fit, "reasons"))
        if (cJSON_IsString(r)) strbuf_printf(b, "    - %s\n", r->valuestring);
    keyvals(b, "traffic per second", cJSON_GetObjectItemCaseSensitive(fit, "traffic"));
    keyvals(b, "cost per month", cJSON_GetObjectItemCaseSensitive(fit, "cost"));
}

static void explain_service(strbuf *b, const report_model *m, size_t s) {
    const plan *p = m->p;
    const plan_service *sv = &p->services.v[s];
    strbuf_printf(b, "%s %s: %zu function%s, %d lines, %zu file%s\n", report_kind(m, s), sv->name,
                  sv->funcs.n, sv->funcs.n == 1 ? "" : "s", sv->loc, sv->files.n,
                  sv->files.n == 1 ? "" : "s");
    strbuf_add(b, "  files:");
    for (size_t i = 0; i < sv->files.n && i < EXPLAIN_LIST_MAX; i++)
        strbuf_printf(b, "%s %s", i ? "," : "", sv->files.v[i]);
    if (sv->files.n > EXPLAIN_LIST_MAX)
        strbuf_printf(b, " and %zu more", sv->files.n - EXPLAIN_LIST_MAX);
    strbuf_printf(b, "\n  entry points: %zu\n", sv->entry_points.n);
    entry_list(b, m, &sv->entry_points, REPORT_ENTRY_API, "API other components call directly");
    entry_list(b, m, &sv->entry_points, REPORT_ENTRY_CALLBACK,
               "callbacks reached through pointers");
    entry_list(b, m, &sv->entry_points, REPORT_ENTRY_TRIGGER, "triggers nothing outside calls");
    interface_lines(b, m, s, 1);
    interface_lines(b, m, s, 0);
    if (sv->owned_state.n) {
        strbuf_printf(b, "  state owned (%zu):", sv->owned_state.n);
        global_list(b, m, &sv->owned_state);
        strbuf_add(b, "\n");
    }
    if (sv->shared_state.n) {
        strbuf_printf(b, "  state shared (%zu):", sv->shared_state.n);
        global_list(b, m, &sv->shared_state);
        strbuf_add(b, "\n");
    }
    fitness(b, m, s);
    if (m->has_placement) {
        /* the reasons its functions are here, by code, in order of first use */
        const char *codes[32];
        size_t counts[32] = {0}, nc = 0, other = 0;
        for (size_t i = 0; i < sv->funcs.n; i++) {
            const char *r = m->reason[sv->funcs.v[i]];
            if (!r) continue;
            size_t k = 0;
            while (k < nc && strcmp(codes[k], r) != 0) k++;
            if (k == nc && nc < 32) codes[nc++] = r;
            if (k < nc) counts[k]++;
            else other++;
        }
        strbuf_add(b, "  why its functions are here:");
        for (size_t k = 0; k < nc; k++)
            strbuf_printf(b, "%s %s %zu", k ? "," : "", codes[k], counts[k]);
        if (other) strbuf_printf(b, ", other %zu", other);
        if (!nc && !other) strbuf_add(b, " not recorded");
        strbuf_add(b, "\n");
    } else {
        strbuf_add(b, "  why here: " REPORT_NO_PLACEMENT "\n");
    }
}

static void explain_file(strbuf *b, const report_model *m, const char *file, const idxvec *fs) {
    const plan *p = m->p;
    strbuf_printf(b, "file %s: %zu function%s\n", file, fs->n, fs->n == 1 ? "" : "s");
    for (size_t s = 0; s < p->services.n; s++)
        for (size_t i = 0; i < p->services.v[s].files.n; i++)
            if (strcmp(p->services.v[s].files.v[i], file) == 0)
                strbuf_printf(b, "  the plan gives it to %s (%s)\n", p->services.v[s].name,
                              report_kind(m, s));
    for (size_t i = 0; i < fs->n && i < EXPLAIN_LIST_MAX; i++) {
        size_t f = fs->v[i], s = p->assign[f];
        strbuf_printf(b, "  %s:%d %s in %s: ", file, p->g->funcs.v[f].line, p->g->funcs.v[f].name,
                      s == PLAN_NONE ? "(none)" : p->services.v[s].name);
        why(b, m, f);
        strbuf_add(b, "\n");
    }
    if (fs->n > EXPLAIN_LIST_MAX)
        strbuf_printf(b, "  ... and %zu more\n", fs->n - EXPLAIN_LIST_MAX);
}

static void names(strbuf *b, const plan *p, const idxvec *v) {
    for (size_t i = 0; i < v->n; i++)
        strbuf_printf(b, "%s %s", i ? "," : "", p->services.v[v->v[i]].name);
}

static void explain_global(strbuf *b, const report_model *m, size_t v) {
    const plan *p = m->p;
    const gglobal *gv = &p->g->globals.v[v];
    static const char *const kinds[] = {"variable", "function-local static", "field"};
    strbuf_printf(b, "global %s (%s, %s:%d)\n", gv->id, gv->kind < 3 ? kinds[gv->kind] : "?",
                  gv->file ? gv->file : "?", gv->line);
    for (size_t s = 0; s < p->services.n; s++)
        if (plan_idx_contains(&p->services.v[s].owned_state, v))
            strbuf_printf(b, "  owned by %s: only it writes it (or, unwritten, uses it)\n",
                          p->services.v[s].name);
    for (size_t k = 0; k < p->shared.n; k++) {
        const plan_shared *sh = &p->shared.v[k];
        if (sh->global != v) continue;
        strbuf_add(b, "  shared by:");
        names(b, p, &sh->services);
        strbuf_add(b, "\n  written by:");
        names(b, p, &sh->writers);
        if (!sh->writers.n) strbuf_add(b, " nobody");
        strbuf_add(b, "\n");
    }
    if (!gv->written) strbuf_add(b, "  no function writes it: not state\n");
}

int explain_text(const report_model *m, const char *name, char **out, char **err) {
    const plan *p = m->p;
    lookup l;
    unsigned kinds = LOOKUP_BIT(LOOKUP_FUNCTION) | LOOKUP_BIT(LOOKUP_SERVICE) |
                     LOOKUP_BIT(LOOKUP_FILE) | LOOKUP_BIT(LOOKUP_GLOBAL) |
                     LOOKUP_BIT(LOOKUP_EXTERNAL);
    if (lookup_name(p->g, p, name, kinds, " in the plan", &l, err) != 0) return -1;
    strbuf b = {0};
    switch (l.kind) {
        case LOOKUP_SERVICE: explain_service(&b, m, l.service); break;
        case LOOKUP_FILE: explain_file(&b, m, l.name, &l.items); break;
        default:
            for (size_t i = 0; i < l.items.n; i++) {
                if (i) strbuf_add(&b, "\n");
                if (l.kind == LOOKUP_GLOBAL)
                    explain_global(&b, m, l.items.v[i]);
                else
                    explain_function(&b, m, l.items.v[i]);
            }
    }
    /* the other things of that name, and how to ask for them */
    for (int k = 0; k < LOOKUP_KINDS; k++)
        if (l.also & LOOKUP_BIT(k))
            strbuf_printf(&b, "also a %s named %s: cleave explain %s%s\n", lookup_kind_name(k),
                          l.name, lookup_kind_prefix(k), l.name);
    lookup_free(&l);
    *out = b.v;
    return 0;
}
