/*
 * wgraph.c - weighted undirected graphs in compressed sparse rows (see
 * wgraph.h): built from an edge list, or as the quotient of a graph by a
 * partition.  Duplicate edges are summed while building, so callers may
 * add an edge as often as they see it.  Each function owns what it
 * allocates until it returns the graph; wgraph_free releases a graph.
 */
#include "plan/wgraph.h"

#include <stdlib.h>
#include <string.h>

#include "util/common.h"

#define NONE ((size_t)-1)

void wgraph_edge_add(wedges *e, size_t a, size_t b, double w) {
    struct wedge x = {a, b, w};
    VEC_PUSH(*e, x);
}

void wgraph_edges_free(wedges *e) {
    free(e->v);
    e->v = NULL;
    e->n = e->cap = 0;
}

void wgraph_free(wgraph *g) {
    if (!g) return;
    free(g->off);
    free(g->adj);
    free(g->w);
    free(g);
}

/* Builds CSR from (a, b, w) triples already doubled for both directions:
 * counting sort by row, then duplicates in a row are summed. */
static wgraph *buildcsr(size_t n, const size_t *src, const size_t *dst, const double *w,
                        size_t m) {
    wgraph *g = xcalloc(1, sizeof *g);
    g->n = n;
    g->off = xcalloc(n + 1, sizeof *g->off);
    for (size_t i = 0; i < m; i++) g->off[src[i] + 1]++;
    for (size_t i = 0; i < n; i++) g->off[i + 1] += g->off[i];
    size_t *pos = xmallocarray(n + 1, sizeof *pos);
    memcpy(pos, g->off, (n + 1) * sizeof *pos);
    size_t *adj = xmallocarray(m, sizeof *adj);
    double *ww = xmallocarray(m, sizeof *ww);
    for (size_t i = 0; i < m; i++) {
        size_t p = pos[src[i]]++;
        adj[p] = dst[i];
        ww[p] = w[i];
    }
    /* merge duplicate neighbours within each row with a stamp array */
    size_t *last = xmallocarray(n, sizeof *last);
    for (size_t i = 0; i < n; i++) last[i] = NONE;
    size_t o = 0;
    size_t *noff = xcalloc(n + 1, sizeof *noff);
    for (size_t r = 0; r < n; r++) {
        size_t start = o;
        for (size_t p = g->off[r]; p < g->off[r + 1]; p++) {
            size_t j = adj[p];
            if (last[j] != NONE && last[j] >= start) {
                ww[last[j]] += ww[p];
            } else {
                adj[o] = j;
                ww[o] = ww[p];
                last[j] = o++;
            }
        }
        noff[r + 1] = o;
    }
    free(g->off);
    g->off = noff;
    g->adj = xreallocarray(adj, o, sizeof *adj);
    g->w = xreallocarray(ww, o, sizeof *ww);
    g->total = 0;
    for (size_t i = 0; i < o; i++) g->total += g->w[i];
    free(pos);
    free(last);
    return g;
}

wgraph *wgraph_build(size_t n, const wedges *e) {
    size_t m = 0;
    for (size_t i = 0; i < e->n; i++)
        if (e->v[i].w > 0) m += e->v[i].a == e->v[i].b ? 1 : 2;
    size_t *src = xmallocarray(m, sizeof *src);
    size_t *dst = xmallocarray(m, sizeof *dst);
    double *w = xmallocarray(m, sizeof *w);
    size_t k = 0;
    for (size_t i = 0; i < e->n; i++) {
        const struct wedge *x = &e->v[i];
        if (x->w <= 0) continue;
        src[k] = x->a, dst[k] = x->b, w[k++] = x->w;
        if (x->a != x->b) src[k] = x->b, dst[k] = x->a, w[k++] = x->w;
    }
    wgraph *g = buildcsr(n, src, dst, w, m);
    free(src);
    free(dst);
    free(w);
    return g;
}

wgraph *wgraph_quotient(const wgraph *g, const size_t *part, size_t r) {
    size_t m = g->off[g->n];
    size_t *src = xmallocarray(m, sizeof *src);
    size_t *dst = xmallocarray(m, sizeof *dst);
    for (size_t i = 0; i < g->n; i++)
        for (size_t p = g->off[i]; p < g->off[i + 1]; p++) {
            src[p] = part[i];
            dst[p] = part[g->adj[p]];
        }
    wgraph *a = buildcsr(r, src, dst, g->w, m);
    free(src);
    free(dst);
    return a;
}
