/*
 * report_html.c - the HTML report of a plan (report_html.h): the data the
 * page's script reads (compact JSON: tables of arrays indexed by number,
 * names once each), the service map, and the page around them.
 *
 * The data, by member (docs/report.md has the reader's view):
 *   files      file names, sorted; other tables refer to them by index
 *   fn         defined functions in graph order: [name, file, line, loc,
 *              component or -1, entry kind (report_model.h), id or 0 when
 *              the id is the name]
 *   gl         globals in graph order: [name, file or -1, line, kind, id or 0]
 *   sv         components: name, kind, loc, files, functions, entry points
 *              by kind, state owned and shared, group, and "doc": the plan's
 *              own object for it (lists it spells as ids dropped, long
 *              lists cut to LIST_MAX with a note)
 *   if         interfaces: ends, sites by evidence, API, and every call
 *              edge behind them [caller, callee, evidence, sites, loop
 *              depth, [file, line, col, ...]]
 *   sh         shared state [global, [components], [writers]]
 *   why        per function [reason, detail, component] or 0, null when the
 *              plan records no placement: reason and detail index whytext,
 *              component is the name the placement gives, 0 when it is
 *              the function's own
 *   whytext    the reasons and details, each once (a folder's sentence
 *              repeats for every function of it)
 *   order/cyc  the matrix order, each component's cycle id (-1: none)
 *   plan       plan.json less the members above: schema, options, input,
 *              metrics, cost model, notes, and whatever a newer cleave adds
 *   graph      how the graph was read: units, stand-ins, warnings
 *   map        the SVG views (see report_html)
 * Memory: every function here returns text the caller frees.
 */
#define _GNU_SOURCE
#include "reports/report_html.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/svcgroups.h"
#include "util/json_out.h"
#include "util/strmap.h"

/* Lists of the plan's own objects longer than this are cut in the page: a
 * component's traces and loop calls run to thousands (a 100,000-function
 * plan's report was 27 MB with 100 of each, 16 MB with 20). */
enum { LIST_MAX = 20 };

/* ---- JSON pieces ---------------------------------------------------------- */

static void jstr(strbuf *b, const char *s) {
    json_out_escaped(b, s ? s : "");
}

static void jnum(strbuf *b, long n) {
    strbuf_printf(b, "%ld", n);
}

static void jsep(strbuf *b, size_t i) {
    if (i) strbuf_add(b, ",");
}

static void jidx(strbuf *b, const idxvec *v, const size_t *map) {
    strbuf_add(b, "[");
    for (size_t i = 0; i < v->n; i++) {
        jsep(b, i);
        jnum(b, map ? (long)map[v->v[i]] : (long)v->v[i]);
    }
    strbuf_add(b, "]");
}

static cJSON *needed(cJSON *x) {
    if (!x) {
        fputs("cleave: out of memory\n", stderr);
        exit(CLEAVE_EXIT_INTERNAL);
    }
    return x;
}

/* Whether name is one of drop (NULL-terminated, 64 names at most) not met
 * before; *seen marks those met. */
static int first_named(const char *name, const char *const *drop, unsigned long *seen) {
    for (size_t k = 0; drop[k] && k < 64; k++)
        if (!(*seen >> k & 1) && strcmp(drop[k], name) == 0) {
            *seen |= 1UL << k;
            return 1;
        }
    return 0;
}

/* A copy of v with every array longer than LIST_MAX cut to its first
 * LIST_MAX items and a note of how many were left, less the members of
 * an object v named in drop (NULL-terminated; the first of each name).
 * Only what is kept is copied: the lists dropped, and a component's
 * thousands of traces, are most of a plan's JSON. */
static cJSON *trimmed(const cJSON *v, const char *const *drop) {
    int array = cJSON_IsArray(v), object = cJSON_IsObject(v);
    if (!array && !object) return needed(cJSON_Duplicate(v, 0));
    cJSON *copy = needed(array ? cJSON_CreateArray() : cJSON_CreateObject());
    unsigned long dropped = 0;
    int n = 0;
    for (const cJSON *c = v->child; c; c = c->next) {
        if (object && drop && first_named(c->string, drop, &dropped)) continue;
        if (array && n++ >= LIST_MAX) continue;
        cJSON *d = trimmed(c, NULL);
        if (!(array ? cJSON_AddItemToArray(copy, d) : cJSON_AddItemToObject(copy, c->string, d)))
            needed(NULL);
    }
    if (array && n > LIST_MAX) {
        char *note = xasprintf("... and %d more", n - LIST_MAX);
        cJSON_AddItemToArray(copy, needed(cJSON_CreateString(note)));
        free(note);
    }
    return copy;
}

/* v less the members named in drop (NULL-terminated), trimmed, as JSON. */
static void jdoc(strbuf *b, const cJSON *v, const char *const *drop) {
    if (!v) {
        strbuf_add(b, "null");
        return;
    }
    cJSON *copy = trimmed(v, drop);
    char *text = cJSON_PrintUnformatted(copy);
    strbuf_add(b, text ? text : "null");
    free(text);
    cJSON_Delete(copy);
}

/* ---- the tables ------------------------------------------------------------ */

typedef struct tables {
    strmap *file_index;
    strvec files;    /* sorted */
    size_t *fx;      /* graph function -> fn row, or (size_t)-1 */
} tables;

static long file_of(const tables *t, const char *file) {
    size_t i;
    return file && strmap_get(t->file_index, file, &i) ? (long)i : -1;
}

static void tables_build(tables *t, const graph *g) {
    memset(t, 0, sizeof *t);
    strmap *seen = strmap_new();
    int added;
    for (size_t f = 0; f < g->funcs.n; f++)
        if (g->funcs.v[f].defined && g->funcs.v[f].file) {
            strmap_intern(seen, g->funcs.v[f].file, 0, &added);
            if (added) strvec_push(&t->files, g->funcs.v[f].file);
        }
    for (size_t v = 0; v < g->globals.n; v++)
        if (g->globals.v[v].file) {
            strmap_intern(seen, g->globals.v[v].file, 0, &added);
            if (added) strvec_push(&t->files, g->globals.v[v].file);
        }
    for (size_t c = 0; c < g->calls.n; c++)
        for (size_t k = 0; k < g->calls.v[c].at.n; k++) {
            strmap_intern(seen, g->calls.v[c].at.v[k].file, 0, &added);
            if (added) strvec_push(&t->files, g->calls.v[c].at.v[k].file);
        }
    strmap_free(seen);
    strvec_sort(&t->files);
    t->file_index = strmap_new();
    for (size_t i = 0; i < t->files.n; i++) strmap_put(t->file_index, t->files.v[i], i);
    t->fx = xmallocarray(g->funcs.n + 1, sizeof *t->fx);
    for (size_t f = 0, n = 0; f < g->funcs.n; f++)
        t->fx[f] = g->funcs.v[f].defined ? n++ : (size_t)-1;
}

static void tables_free(tables *t) {
    strmap_free(t->file_index);
    strvec_free(&t->files);
    free(t->fx);
}

static void functions(strbuf *b, const report_model *m, const tables *t) {
    const plan *p = m->p;
    const graph *g = p->g;
    strbuf_add(b, ",\"fn\":[");
    size_t n = 0;
    for (size_t f = 0; f < g->funcs.n; f++) {
        const gfunc *fn = &g->funcs.v[f];
        if (!fn->defined) continue;
        jsep(b, n++);
        strbuf_add(b, "[");
        jstr(b, fn->name);
        strbuf_printf(b, ",%ld,%d,%d,%ld,%d,", file_of(t, fn->file), fn->line, fn->loc,
                      p->assign[f] == PLAN_NONE ? -1L : (long)p->assign[f], m->entry[f]);
        if (strcmp(fn->id, fn->name) != 0) jstr(b, fn->id);
        else strbuf_add(b, "0");
        strbuf_add(b, "]");
    }
    strbuf_add(b, "]");
}

static void globals(strbuf *b, const graph *g, const tables *t) {
    static const char *const kinds[] = {"variable", "static_local", "field"};
    strbuf_add(b, ",\"gl\":[");
    for (size_t v = 0; v < g->globals.n; v++) {
        const gglobal *gv = &g->globals.v[v];
        jsep(b, v);
        strbuf_add(b, "[");
        jstr(b, gv->name);
        strbuf_printf(b, ",%ld,%d,", file_of(t, gv->file), gv->line);
        jstr(b, gv->kind < 3 ? kinds[gv->kind] : "");
        strbuf_add(b, ",");
        if (strcmp(gv->id, gv->name) != 0) jstr(b, gv->id);
        else strbuf_add(b, "0");
        strbuf_add(b, "]");
    }
    strbuf_add(b, "]");
}

static void services(strbuf *b, const report_model *m, const tables *t, const svcgroups *gr) {
    static const char *const drop[] = {"functions", "files", "entry_points", "state", NULL};
    const plan *p = m->p;
    strbuf_add(b, ",\"sv\":[");
    for (size_t s = 0; s < p->services.n; s++) {
        const plan_service *sv = &p->services.v[s];
        jsep(b, s);
        strbuf_add(b, "{\"name\":");
        jstr(b, sv->name);
        strbuf_add(b, ",\"kind\":");
        jstr(b, report_kind(m, s)); /* a kind this cleave does not know shows too */
        strbuf_printf(b, ",\"loc\":%d,\"files\":[", sv->loc);
        for (size_t i = 0; i < sv->files.n; i++) {
            jsep(b, i);
            jnum(b, file_of(t, sv->files.v[i]));
        }
        strbuf_add(b, "],\"fns\":");
        jidx(b, &sv->funcs, t->fx);
        strbuf_add(b, ",\"entries\":");
        jidx(b, &sv->entry_points, t->fx);
        strbuf_add(b, ",\"owned\":");
        jidx(b, &sv->owned_state, NULL);
        strbuf_add(b, ",\"shared\":");
        jidx(b, &sv->shared_state, NULL);
        strbuf_printf(b, ",\"sites_in\":%d,\"sites_out\":%d,\"internal\":%d", sv->calls_in,
                      sv->calls_out, sv->calls_internal);
        if (gr) strbuf_printf(b, ",\"group\":%zu", gr->of[s]);
        strbuf_add(b, ",\"doc\":");
        jdoc(b, m->svc_doc[s], drop);
        strbuf_add(b, "}");
    }
    strbuf_add(b, "]");
}

static void interfaces(strbuf *b, const report_model *m, const tables *t) {
    static const char *const drop[] = {"functions", NULL};
    const plan *p = m->p;
    const graph *g = p->g;
    strbuf_add(b, ",\"if\":[");
    for (size_t i = 0; i < p->interfaces.n; i++) {
        const plan_interface *x = &p->interfaces.v[i];
        jsep(b, i);
        strbuf_printf(b, "{\"from\":%zu,\"to\":%zu,\"sites\":%d,\"by\":[%d,%d,%d],\"loop\":%d,"
                         "\"api\":",
                      x->from, x->to, x->sites, x->sites_by[EV_DIRECT], x->sites_by[EV_FIELD],
                      x->sites_by[EV_TYPE], x->max_loop_depth);
        jidx(b, &x->functions, t->fx);
        strbuf_add(b, ",\"calls\":[");
        for (size_t k = 0; k < m->calls[i].n; k++) {
            const gcall *c = &g->calls.v[m->calls[i].v[k]];
            jsep(b, k);
            strbuf_printf(b, "[%zu,%zu,%u,%d,%d,[", t->fx[c->from], t->fx[c->to], c->evidence,
                          c->sites, c->loop_depth);
            for (size_t a = 0; a < c->at.n; a++) {
                jsep(b, a);
                strbuf_printf(b, "%ld,%d,%d", file_of(t, c->at.v[a].file), c->at.v[a].line,
                              c->at.v[a].col);
            }
            strbuf_add(b, "]]");
        }
        strbuf_add(b, "],\"doc\":");
        jdoc(b, m->iface_doc[i], drop);
        strbuf_add(b, "}");
    }
    strbuf_add(b, "]");
}

static void shared(strbuf *b, const plan *p) {
    strbuf_add(b, ",\"sh\":[");
    for (size_t k = 0; k < p->shared.n; k++) {
        const plan_shared *sh = &p->shared.v[k];
        jsep(b, k);
        strbuf_printf(b, "[%zu,", sh->global);
        jidx(b, &sh->services, NULL);
        strbuf_add(b, ",");
        jidx(b, &sh->writers, NULL);
        strbuf_add(b, "]");
    }
    strbuf_add(b, "]");
}

static void placement(strbuf *b, const report_model *m) {
    const graph *g = m->p->g;
    strbuf_add(b, ",\"why\":");
    if (!m->has_placement) {
        strbuf_add(b, "null");
        return;
    }
    strbuf_add(b, "[");
    strmap *idx = strmap_new();
    strvec texts = {0};
    size_t n = 0;
    for (size_t f = 0; f < g->funcs.n; f++) {
        if (!g->funcs.v[f].defined) continue;
        jsep(b, n++);
        if (!m->reason[f] && !m->detail[f]) {
            strbuf_add(b, "0");
            continue;
        }
        const char *said[2] = {m->reason[f] ? m->reason[f] : "", m->detail[f] ? m->detail[f] : ""};
        strbuf_add(b, "[");
        for (int k = 0; k < 2; k++) {
            int added;
            jnum(b, (long)strmap_intern(idx, said[k], texts.n, &added));
            if (added) strvec_push(&texts, said[k]);
            strbuf_add(b, ",");
        }
        size_t s = m->p->assign[f];
        if (m->placed_in[f] &&
            (s == PLAN_NONE || strcmp(m->placed_in[f], m->p->services.v[s].name) != 0))
            jstr(b, m->placed_in[f]);
        else
            strbuf_add(b, "0");
        strbuf_add(b, "]");
    }
    strbuf_add(b, "],\"whytext\":[");
    for (size_t i = 0; i < texts.n; i++) {
        jsep(b, i);
        jstr(b, texts.v[i]);
    }
    strbuf_add(b, "]");
    strvec_free(&texts);
    strmap_free(idx);
}

static void matrix(strbuf *b, const report_model *m) {
    strbuf_add(b, ",\"order\":[");
    for (size_t i = 0; i < m->norder; i++) {
        jsep(b, i);
        jnum(b, (long)m->order[i]);
    }
    strbuf_add(b, "],\"cyc\":[");
    for (size_t s = 0; s < m->p->services.n; s++) {
        jsep(b, s);
        jnum(b, m->cycle[s]);
    }
    strbuf_add(b, "]");
}

static void graph_info(strbuf *b, const graph *g) {
    size_t status[3] = {0}, defined = 0;
    for (size_t u = 0; u < g->units.n; u++)
        if (g->units.v[u].status < 3) status[g->units.v[u].status]++;
    for (size_t f = 0; f < g->funcs.n; f++) defined += g->funcs.v[f].defined;
    strbuf_add(b, ",\"graph\":{\"root\":");
    jstr(b, g->root);
    strbuf_add(b, ",\"compile_db\":");
    if (g->compile_db) jstr(b, g->compile_db);
    else strbuf_add(b, "null");
    strbuf_printf(b, ",\"units\":%zu,\"ok\":%zu,\"partial\":%zu,\"failed\":%zu,\"functions\":%zu,"
                     "\"external\":%zu,\"globals\":%zu,\"calls\":%zu,\"indirect_sites\":%zu,"
                     "\"indirect_resolved\":%zu",
                  g->units.n, status[UNIT_OK], status[UNIT_PARTIAL], status[UNIT_FAILED], defined,
                  g->funcs.n - defined, g->globals.n, g->calls.n, g->stats.indirect_sites,
                  g->stats.indirect_resolved);
    strbuf_add(b, ",\"stand_ins\":[");
    for (size_t i = 0; i < g->standins.n; i++) {
        jsep(b, i);
        strbuf_add(b, "[");
        jstr(b, g->standins.v[i].header);
        strbuf_add(b, ",");
        if (g->standins.v[i].from) jstr(b, g->standins.v[i].from);
        else strbuf_add(b, "null");
        strbuf_printf(b, ",%d]", g->standins.v[i].switches);
    }
    strbuf_add(b, "],\"problems\":[");
    size_t n = 0;
    for (size_t u = 0; u < g->units.n && n < LIST_MAX; u++) {
        if (g->units.v[u].status == UNIT_OK) continue;
        jsep(b, n++);
        strbuf_add(b, "[");
        jstr(b, g->units.v[u].file);
        strbuf_printf(b, ",%u,", g->units.v[u].status);
        jstr(b, g->units.v[u].errors.n ? g->units.v[u].errors.v[0] : "");
        strbuf_add(b, "]");
    }
    strbuf_add(b, "],\"warnings\":[");
    for (size_t i = 0; i < g->warnings.n && i < LIST_MAX; i++) {
        jsep(b, i);
        jstr(b, g->warnings.v[i]);
    }
    strbuf_add(b, "]}");
}

char *report_html_data(const report_model *m, const char *maps) {
    static const char *const drop[] = {"services", "interfaces", "shared_state", "placement", NULL};
    const plan *p = m->p;
    tables t;
    tables_build(&t, p->g);
    svcgroups gr;
    int grouped = p->services.n > DOT_GROUPS_FROM;
    if (grouped) svcgroups_build(p, &gr);
    strbuf b = {0};
    char *name = view_project_name(p->g);
    strbuf_add(&b, "{\"schema\":\"cleave.report/1\",\"project\":");
    jstr(&b, name);
    free(name);
    strbuf_add(&b, ",\"files\":[");
    for (size_t i = 0; i < t.files.n; i++) {
        jsep(&b, i);
        jstr(&b, t.files.v[i]);
    }
    strbuf_add(&b, "]");
    functions(&b, m, &t);
    globals(&b, p->g, &t);
    services(&b, m, &t, grouped ? &gr : NULL);
    if (grouped) {
        strbuf_add(&b, ",\"groups\":[");
        for (size_t k = 0; k < gr.n; k++) {
            jsep(&b, k);
            jstr(&b, gr.names[k]);
        }
        strbuf_add(&b, "]");
        svcgroups_free(&gr);
    }
    interfaces(&b, m, &t);
    shared(&b, p);
    placement(&b, m);
    matrix(&b, m);
    strbuf_add(&b, ",\"plan\":");
    jdoc(&b, m->doc, drop);
    graph_info(&b, p->g);
    strbuf_add(&b, ",\"map\":");
    strbuf_add(&b, maps ? maps : "null");
    strbuf_add(&b, "}");
    tables_free(&t);
    /* no '<' at all: neither "</script>" nor "<!--" can appear */
    strbuf out = {0};
    strbuf_add(&out, "");
    for (size_t i = 0, j; i < b.n; i = j) {
        for (j = i; j < b.n && b.v[j] != '<'; j++) continue;
        strbuf_addn(&out, b.v + i, j - i);
        if (j < b.n) {
            strbuf_add(&out, "\\u003c");
            j++;
        }
    }
    free(b.v);
    return out.v;
}

/* ---- the map ---------------------------------------------------------------- */

/* The font every text of cleave's diagrams names (DOT_FONT); the page's
 * stylesheet gives it once instead. */
static const char SVG_FONT[] = " font-family=\"Helvetica,Arial,sans-serif\"";

/* The <svg> element of a Graphviz SVG document as a JSON string: the XML
 * prolog and doctype before it, the comments naming each node and edge in
 * it (Graphviz escapes their text, so the first "-->" ends one) and the
 * font repeated on every text dropped - a fifth of a large map. */
static void add_svg_text(strbuf *b, const char *svg) {
    const char *s = strstr(svg, "<svg");
    strbuf t = {0};
    strbuf_add(&t, "");
    for (s = s ? s : svg; *s;) {
        const char *comment = strstr(s, "<!--"), *font = strstr(s, SVG_FONT);
        const char *next = comment && (!font || comment < font) ? comment : font;
        if (!next) {
            strbuf_add(&t, s);
            break;
        }
        strbuf_addn(&t, s, (size_t)(next - s));
        if (next == font) {
            s = next + strlen(SVG_FONT);
        } else {
            const char *end = strstr(next, "-->");
            s = end ? end + 3 : next + strlen(next);
            if (*s == '\n') s++;
        }
    }
    jstr(b, t.v);
    free(t.v);
}

/* Renders text as SVG and appends it to b as a JSON string. */
static int add_svg(strbuf *b, const char *name, const char *text, char **err) {
    char *svg = NULL;
    size_t len = 0;
    if (dot_render(name, text, "svg", &svg, &len, err) != 0) return -1;
    add_svg_text(b, svg);
    free(svg);
    return 0;
}

/* {"kind": "services", "svg": ...} or {"kind": "groups", "svg": the
 * overview, "groups": [the expanded view of each group]}. */
static int maps(const report_model *m, const dot_options *o, const char *services_svg,
                strbuf *b, char **err) {
    const plan *p = m->p;
    if (p->services.n <= DOT_GROUPS_FROM) {
        size_t nodes = 0, edges = 0;
        char *text = services_svg ? NULL : dot_services_view(p, o, &nodes, &edges);
        /* a view too large to lay out gets the grouped one instead */
        if (services_svg ||
            (nodes <= DOT_RENDER_MAX_SERVICES && edges <= DOT_RENDER_MAX_SERVICE_EDGES)) {
            strbuf_add(b, "{\"kind\":\"services\",\"svg\":");
            int rc = 0;
            if (services_svg) add_svg_text(b, services_svg);
            else rc = add_svg(b, "services.dot", text, err);
            free(text);
            if (rc != 0) return -1;
            strbuf_add(b, "}");
            return 0;
        }
        free(text);
    }
    svcgroups gr;
    svcgroups_build(p, &gr);
    int rc = 0;
    strbuf_add(b, "{\"kind\":\"groups\",\"svg\":");
    char *text = dot_groups_text(p, &gr, PLAN_NONE, o);
    rc = add_svg(b, "groups.dot", text, err);
    free(text);
    strbuf_add(b, ",\"groups\":[");
    for (size_t k = 0; rc == 0 && k < gr.n; k++) {
        jsep(b, k);
        text = dot_groups_text(p, &gr, k, o);
        char *name = xasprintf("group %s", gr.names[k]);
        rc = add_svg(b, name, text, err);
        free(name);
        free(text);
    }
    strbuf_add(b, "]}");
    svcgroups_free(&gr);
    return rc;
}

/* ---- the page ------------------------------------------------------------------ */

void report_html_escape(strbuf *b, const char *s) {
    strbuf_add(b, "");
    for (; *s; s++) {
        switch (*s) {
        case '&': strbuf_add(b, "&amp;"); break;
        case '<': strbuf_add(b, "&lt;"); break;
        case '>': strbuf_add(b, "&gt;"); break;
        case '"': strbuf_add(b, "&quot;"); break;
        default: strbuf_addn(b, s, 1);
        }
    }
}

char *report_html_page(const char *title, const char *body, int with_script) {
    strbuf b = {0};
    /* default-src 'none': the page may load nothing, from anywhere */
    strbuf_add(&b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                   "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
                   "<title>");
    report_html_escape(&b, title);
    strbuf_add(&b, "</title>\n<style>\n");
    strbuf_add(&b, report_css);
    strbuf_add(&b, "</style>\n</head>\n<body>\n");
    strbuf_add(&b, body);
    if (with_script) {
        strbuf_add(&b, "<script>\n");
        strbuf_add(&b, report_js);
        strbuf_add(&b, "</script>\n");
    }
    strbuf_add(&b, "</body>\n</html>\n");
    return b.v;
}

int report_html(const report_model *m, const dot_options *o, int render, const char *services_svg,
                char **out, char **err) {
    *out = NULL;
    strbuf map = {0};
    if (render && maps(m, o, services_svg, &map, err) != 0) {
        free(map.v);
        return -1;
    }
    char *data = report_html_data(m, map.v);
    free(map.v);
    char *name = view_project_name(m->p->g);
    char *title = xasprintf("cleave: %s", name);
    strbuf body = {0};
    strbuf_add(&body, "<div id=\"app\"><noscript><p>This report is drawn by its script: open it "
                      "in a browser with JavaScript on.</p></noscript></div>\n"
                      "<script id=\"cleave-data\" type=\"application/json\">");
    strbuf_add(&body, data);
    strbuf_add(&body, "</script>\n");
    *out = report_html_page(title, body.v, 1);
    free(body.v);
    free(title);
    free(name);
    free(data);
    return 0;
}
