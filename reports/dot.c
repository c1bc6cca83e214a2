/*
 * dot.c - rendering DOT text through libgvc (`dot` layout), saving it, and
 * dot_write_plan, which writes every diagram of a plan.  The writers of
 * each view build their documents with the helpers in dot_cgraph.c.
 */
#define _GNU_SOURCE
#include "reports/dot.h"
#include "reports/dot_cgraph.h"
#include "reports/svcgroups.h"

#include <errno.h>
#include <graphviz/gvc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strmap.h"

/* ---- rendering ---------------------------------------------------------- */

/* Graphviz reports through a process-wide hook, in pieces: "Error" or
 * "Warning", ": ", then the message.  The first error message of a render
 * is kept here while dot_render runs; warnings (e.g. spline routing
 * fallbacks on big graphs) are dropped. */
static strbuf render_errors;
static int render_level; /* 1 after "Error", 0 after "Warning" */

static int collect(char *msg) {
    if (strcmp(msg, "Error") == 0 || strcmp(msg, "Warning") == 0) {
        render_level = msg[0] == 'E';
    } else if (strcmp(msg, ": ") != 0 && render_level && !render_errors.n) {
        strbuf_addn(&render_errors, msg, strcspn(msg, "\n"));
    }
    return 0;
}

/*
 * One Graphviz context for the whole process, never freed: the pango text
 * layout plugin of Graphviz 2.42 remembers the last font name it saw, and
 * that name belongs to the context, so a second context would read freed
 * memory.  The context stays reachable to the end, so it is no leak.
 */
static GVC_t *context(void) {
    static GVC_t *gvc;
    if (!gvc) gvc = gvContext();
    return gvc;
}

/* The nodes of g as laid out (dot_layout_nodes), in the graph's order. */
static void placed_nodes(Agraph_t *g, dot_placed **out, size_t *n) {
    size_t count = (size_t)agnnodes(g), k = 0;
    dot_placed *v = xcalloc(count + 1, sizeof *v);
    strmap *index = strmap_new();
    for (Agnode_t *x = agfstnode(g); x; x = agnxtnode(g, x), k++) {
        dot_placed *d = &v[k];
        strmap_put(index, agnameof(x), k);
        d->name = xstrdup(agnameof(x));
        d->rank = ND_rank(x);
        d->x = ND_coord(x).x;
        d->y = ND_coord(x).y;
        d->w = ND_lw(x) + ND_rw(x);
        d->h = ND_ht(x);
    }
    /* an edge counts at both ends: from above for its lower end */
    for (Agnode_t *x = agfstnode(g); x; x = agnxtnode(g, x))
        for (Agedge_t *e = agfstout(g, x); e; e = agnxtout(g, e)) {
            int rt = ND_rank(agtail(e)), rh = ND_rank(aghead(e));
            if (rt == rh) continue;
            size_t t = 0, h = 0;
            strmap_get(index, agnameof(agtail(e)), &t);
            strmap_get(index, agnameof(aghead(e)), &h);
            v[rt < rh ? t : h].below++;
            v[rt < rh ? h : t].above++;
        }
    strmap_free(index);
    *out = v;
    *n = count;
}

/* Lays text out with `dot`; with format, renders it too (*out, *len), else
 * *w and *h receive the size of the picture in points, as the SVG's
 * header gives it (the bounding box and a 4-point pad on each side), and
 * *nodes (when not NULL) the nodes as placed.
 * 0, or -1 with the first Graphviz error in render_errors. */
static int layout(const char *text, const char *format, char **out, size_t *len, double *w,
                  double *h, dot_placed **nodes, size_t *count) {
    int rc = -1;
    agusererrf previous = agseterrf(collect);
    agreseterrors();
    render_level = 0;
    GVC_t *gvc = context();
    Agraph_t *g = agmemread(text);
    char *data = NULL;
    unsigned int n = 0;
    int laid_out = 0;
    if (!g) goto cleanup;
    /* after a failed layout gvFreeLayout frees twice (Graphviz 2.42) */
    if (gvLayout(gvc, g, "dot") != 0) goto cleanup;
    laid_out = 1;
    if (agerrors()) goto cleanup;
    if (!format) {
        *w = GD_bb(g).UR.x - GD_bb(g).LL.x + 8;
        *h = GD_bb(g).UR.y - GD_bb(g).LL.y + 8;
        if (nodes) placed_nodes(g, nodes, count);
        rc = 0;
        goto cleanup;
    }
    if (gvRenderData(gvc, g, format, &data, &n) != 0 || agerrors()) goto cleanup;
    *out = xmalloc(n + 1);
    memcpy(*out, data, n);
    (*out)[n] = '\0';
    *len = n;
    rc = 0;
cleanup:
    if (data) gvFreeRenderData(data);
    if (laid_out) gvFreeLayout(gvc, g);
    if (g) agclose(g);
    agseterrf(previous);
    return rc;
}

int dot_render(const char *name, const char *text, const char *format, char **out, size_t *len,
               char **err) {
    *out = NULL;
    *len = 0;
    int rc = layout(text, format, out, len, NULL, NULL, NULL, NULL);
    if (rc != 0)
        *err = xasprintf("%s: graphviz could not draw it as %s: %s", name, format,
                         render_errors.n ? render_errors.v : "unknown error");
    free(render_errors.v);
    render_errors = (strbuf){0};
    return rc;
}

int dot_layout_size(const char *text, double *w, double *h) {
    return dot_layout_nodes(text, w, h, NULL, NULL);
}

int dot_layout_nodes(const char *text, double *w, double *h, dot_placed **nodes, size_t *n) {
    if (nodes) *nodes = NULL, *n = 0;
    int rc = layout(text, NULL, NULL, NULL, w, h, nodes, n);
    free(render_errors.v);
    render_errors = (strbuf){0};
    return rc;
}

void dot_placed_free(dot_placed *nodes, size_t n) {
    for (size_t i = 0; nodes && i < n; i++) free(nodes[i].name);
    free(nodes);
}

int dot_save(const char *path, const char *text, size_t len, char **err) {
    if (file_write_output(path, text, len, FILE_OUT_CONTAINED) == 0) return 0;
    *err = xasprintf("%s: cannot write: %s", path, file_strerror(errno));
    return -1;
}

/* Writes OUTDIR/<base>.dot and, when render, OUTDIR/<base>.svg; *svg_out
 * (when not NULL) receives the SVG text, or NULL when none was made. */
static int write_pair_svg(const char *outdir, const char *base, const char *text, int render,
                          strvec *written, char **svg_out, char **err) {
    char *dot_path = xasprintf("%s/%s.dot", outdir, base);
    char *svg_path = xasprintf("%s/%s.svg", outdir, base);
    char *svg = NULL;
    size_t len = 0;
    int rc = dot_save(dot_path, text, strlen(text), err);
    if (rc == 0) strvec_push(written, dot_path);
    if (rc == 0 && render) {
        rc = dot_render(dot_path, text, "svg", &svg, &len, err);
        if (rc == 0) rc = dot_save(svg_path, svg, len, err);
        if (rc == 0) strvec_push(written, svg_path);
    }
    if (svg_out && rc == 0) *svg_out = svg;
    else free(svg);
    free(svg_path);
    free(dot_path);
    return rc;
}

static int write_pair(const char *outdir, const char *base, const char *text, int render,
                      strvec *written, char **err) {
    return write_pair_svg(outdir, base, text, render, written, NULL, err);
}

/* The overview of the grouped view: OUTDIR/groups.dot (and .svg when it
 * has at most DOT_RENDER_MAX_GROUPS groups); *groups receives how many. */
static int write_groups(const plan *p, const char *outdir, int render, const dot_options *o,
                        strvec *written, size_t *groups, char **err) {
    svcgroups gr;
    svcgroups_build(p, &gr);
    *groups = gr.n;
    char *text = dot_groups_text(p, &gr, PLAN_NONE, o);
    int rc = write_pair(outdir, "groups", text, render && gr.n <= DOT_RENDER_MAX_GROUPS, written,
                        err);
    free(text);
    svcgroups_free(&gr);
    return rc;
}

int dot_write_plan(const plan *p, const char *outdir, int render, const dot_options *o,
                   strvec *written, char **services_svg, char **note, char **err) {
    *note = NULL;
    if (services_svg) *services_svg = NULL;
    /* fitting the service view to a screen lays it out, which --no-render
     * promises not to do: unrendered, it is written at its size */
    dot_options fit = {0};
    if (o) fit = *o;
    if (!render) fit.no_fit = 1;
    /* what the view draws, past its caps on edges and pairs, not what the plan holds */
    size_t nodes, edges;
    char *services = dot_services_view(p, &fit, &nodes, &edges);
    int bigsvc = nodes > DOT_RENDER_MAX_SERVICES || edges > DOT_RENDER_MAX_SERVICE_EDGES;
    int rc = write_pair_svg(outdir, "services", services, render && !bigsvc, written,
                            services_svg, err);
    free(services);
    size_t groups = 0;
    if (rc == 0 && p->services.n > DOT_GROUPS_FROM)
        rc = write_groups(p, outdir, render, &fit, written, &groups, err);
    if (rc != 0) return rc;
    int biggroups = groups > DOT_RENDER_MAX_GROUPS;
    size_t count = dot_functions_count(p);
    int big = count > DOT_RENDER_MAX_FUNCTIONS, huge = count > DOT_WRITE_MAX_FUNCTIONS;
    size_t calls = render && !big ? dot_functions_calls(p) : 0; /* counted to be laid out */
    int busy = calls > DOT_RENDER_MAX_FUNCTION_CALLS;
    if (!huge) {
        char *functions = dot_functions_text(p);
        rc = write_pair(outdir, "functions", functions, render && !big && !busy, written, err);
        free(functions);
    }
    if (rc != 0 || (!huge && (!render || (!big && !busy && !bigsvc && !biggroups)))) return rc;
    strbuf b = {0};
    if (render && bigsvc)
        strbuf_printf(&b, "%s/services.svg not drawn: %zu nodes with %zu edges is more than "
                          "`dot` lays out in reasonable time (%d nodes, %d edges)%s",
                      outdir, nodes, edges, DOT_RENDER_MAX_SERVICES, DOT_RENDER_MAX_SERVICE_EDGES,
                      p->services.n > DOT_GROUPS_FROM && !biggroups
                          ? "; groups.svg groups the services by folder"
                          : "");
    if (render && biggroups)
        strbuf_printf(&b, "%s%s/groups.svg not drawn: %zu groups of services is more than `dot` "
                          "lays out in reasonable time (%d)",
                      b.n ? "; " : "", outdir, groups, DOT_RENDER_MAX_GROUPS);
    if (huge)
        strbuf_printf(&b, "%s%s/functions.dot not written: %zu functions is more than a function "
                          "view is written for (%d)",
                      b.n ? "; " : "", outdir, count, DOT_WRITE_MAX_FUNCTIONS);
    else if (render && big)
        strbuf_printf(&b, "%s%s/functions.svg not drawn: %zu functions is more than `dot` lays out in "
                          "reasonable time (%d)",
                      b.n ? "; " : "", outdir, count, DOT_RENDER_MAX_FUNCTIONS);
    else if (busy)
        strbuf_printf(&b, "%s%s/functions.svg not drawn: %zu calls between its %zu functions is more "
                          "than `dot` lays out in reasonable time (%d)",
                      b.n ? "; " : "", outdir, calls, count, DOT_RENDER_MAX_FUNCTION_CALLS);
    strbuf_printf(&b, "; draw a part with `cleave graph --plan %s/plan.json --focus SERVICE`", outdir);
    *note = b.v;
    return rc;
}
