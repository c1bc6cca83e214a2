/*
 * leiden.c - the Leiden algorithm for modularity with resolution (see
 * leiden.h).  One round is: fast local moving of nodes between communities,
 * refinement of each community into well-connected sub-communities (merges
 * only along edges, so they are connected), and aggregation of the refined
 * communities into the nodes of the next level, starting from the
 * unrefined partition.  Rounds repeat until refinement merges nothing.
 *
 * Gains use 2m = g->total:  gain(v -> C) = w(v, C) - gamma * k_v * K_C / 2m.
 * A move happens only on a strictly positive improvement, and ties keep the
 * lower community id, so runs are deterministic.  All arrays are owned by
 * the functions that allocate them; nothing survives a call but the result.
 */
#include "plan/leiden.h"

#include <stdlib.h>
#include <string.h>

#include "util/common.h"

#define NONE ((size_t)-1)

static double *degrees(const wgraph *g) {
    double *k = xcalloc(g->n, sizeof *k);
    for (size_t i = 0; i < g->n; i++)
        for (size_t p = g->off[i]; p < g->off[i + 1]; p++) k[i] += g->w[p];
    return k;
}

/* Scratch for summing weights from one node to neighbouring communities. */
typedef struct neigh {
    double *w;     /* per community, 0 when untouched */
    size_t *list;  /* touched communities */
    size_t n;
} neigh;

static void neigh_collect(neigh *nb, const wgraph *g, size_t v, const size_t *comm) {
    nb->n = 0;
    for (size_t p = g->off[v]; p < g->off[v + 1]; p++) {
        size_t u = g->adj[p];
        if (u == v) continue;
        size_t c = comm[u];
        if (nb->w[c] == 0) nb->list[nb->n++] = c;
        nb->w[c] += g->w[p];
    }
}

static void neigh_clear(neigh *nb) {
    for (size_t i = 0; i < nb->n; i++) nb->w[nb->list[i]] = 0;
    nb->n = 0;
}

/* Fast local moving; comm is updated in place.  Returns whether any node
 * moved. */
static int localmove(const wgraph *g, const double *k, size_t *comm, double gamma) {
    size_t n = g->n;
    double *K = xcalloc(n, sizeof *K);
    size_t *size = xcalloc(n, sizeof *size);
    for (size_t i = 0; i < n; i++) {
        K[comm[i]] += k[i];
        size[comm[i]]++;
    }
    size_t *empty = xmallocarray(n, sizeof *empty);
    size_t nempty = 0;
    for (size_t c = n; c-- > 0;)
        if (size[c] == 0) empty[nempty++] = c;
    size_t *queue = xmallocarray(n, sizeof *queue);
    char *inq = xmalloc(n ? n : 1);
    for (size_t i = 0; i < n; i++) queue[i] = i, inq[i] = 1;
    size_t head = 0, count = n;
    neigh nb = {xcalloc(n, sizeof(double)), xmallocarray(n, sizeof(size_t)), 0};
    int moved = 0;
    double twom = g->total > 0 ? g->total : 1;

    while (count > 0) {
        size_t v = queue[head];
        head = (head + 1) % n;
        count--;
        inq[v] = 0;
        size_t old = comm[v];
        K[old] -= k[v];
        size[old]--;
        neigh_collect(&nb, g, v, comm);
        size_t best = old;
        double bestgain = nb.w[old] - gamma * k[v] * K[old] / twom;
        for (size_t i = 0; i < nb.n; i++) {
            size_t c = nb.list[i];
            double gain = nb.w[c] - gamma * k[v] * K[c] / twom;
            if (gain > bestgain + 1e-12 || (gain > bestgain - 1e-12 && c < best && best != old)) {
                best = c;
                bestgain = gain;
            }
        }
        /* alone (gain 0) is better than anywhere with a negative gain */
        if (bestgain < -1e-12 && nempty > 0) best = empty[--nempty];
        neigh_clear(&nb);
        comm[v] = best;
        K[best] += k[v];
        size[best]++;
        if (size[old] == 0 && old != best) empty[nempty++] = old;
        if (best != old) {
            moved = 1;
            for (size_t p = g->off[v]; p < g->off[v + 1]; p++) {
                size_t u = g->adj[p];
                if (!inq[u] && comm[u] != best) {
                    queue[(head + count) % n] = u;
                    count++;
                    inq[u] = 1;
                }
            }
        }
    }
    free(nb.w);
    free(nb.list);
    free(queue);
    free(inq);
    free(empty);
    free(size);
    free(K);
    return moved;
}

/*
 * Refinement: inside each community of `comm`, nodes start alone and a
 * singleton that is well connected to its community joins the
 * well-connected sub-community (reached through an edge) with the best
 * non-negative gain.  Returns the refined partition in `ref`, numbered
 * 0..r-1, and r.
 */
static size_t refine(const wgraph *g, const double *k, const size_t *comm, double gamma,
                     size_t *ref) {
    size_t n = g->n;
    double twom = g->total > 0 ? g->total : 1;
    double *Kc = xcalloc(n, sizeof *Kc);   /* degree of each community */
    for (size_t i = 0; i < n; i++) Kc[comm[i]] += k[i];
    double *Kr = xmallocarray(n, sizeof *Kr);   /* degree of each sub-community */
    double *ext = xmallocarray(n, sizeof *ext); /* weight from it to the rest of its community */
    size_t *rsize = xmallocarray(n, sizeof *rsize);
    for (size_t v = 0; v < n; v++) {
        ref[v] = v;
        Kr[v] = k[v];
        rsize[v] = 1;
        double e = 0;
        for (size_t p = g->off[v]; p < g->off[v + 1]; p++)
            if (g->adj[p] != v && comm[g->adj[p]] == comm[v]) e += g->w[p];
        ext[v] = e;
    }
    neigh nb = {xcalloc(n, sizeof(double)), xmallocarray(n, sizeof(size_t)), 0};
    for (size_t v = 0; v < n; v++) {
        if (rsize[ref[v]] != 1) continue; /* only singletons move */
        size_t c = comm[v];
        if (ext[v] < gamma * k[v] * (Kc[c] - k[v]) / twom) continue;
        /* weights to sub-communities of the same community */
        nb.n = 0;
        for (size_t p = g->off[v]; p < g->off[v + 1]; p++) {
            size_t u = g->adj[p];
            if (u == v || comm[u] != c) continue;
            size_t r = ref[u];
            if (nb.w[r] == 0) nb.list[nb.n++] = r;
            nb.w[r] += g->w[p];
        }
        size_t best = NONE;
        double bestgain = 0;
        for (size_t i = 0; i < nb.n; i++) {
            size_t r = nb.list[i];
            if (r == ref[v]) continue;
            if (ext[r] < gamma * Kr[r] * (Kc[c] - Kr[r]) / twom) continue;
            double gain = nb.w[r] - gamma * k[v] * Kr[r] / twom;
            if (gain > bestgain + 1e-12 || (best != NONE && gain > bestgain - 1e-12 && r < best)) {
                best = r;
                bestgain = gain;
            }
        }
        if (best != NONE) {
            size_t mine = ref[v];
            ext[best] = ext[best] + ext[v] - 2 * nb.w[best];
            Kr[best] += k[v];
            rsize[best]++;
            rsize[mine] = 0;
            ref[v] = best;
        }
        neigh_clear(&nb);
    }
    /* renumber densely in node order */
    size_t *id = xmallocarray(n, sizeof *id);
    for (size_t i = 0; i < n; i++) id[i] = NONE;
    size_t r = 0;
    for (size_t v = 0; v < n; v++) {
        if (id[ref[v]] == NONE) id[ref[v]] = r++;
        ref[v] = id[ref[v]];
    }
    free(id);
    free(nb.w);
    free(nb.list);
    free(rsize);
    free(ext);
    free(Kr);
    free(Kc);
    return r;
}

/* Renumbers communities (ids below `range`) 0..k-1 in order of their
 * lowest node. */
static size_t renumber(size_t *memb, size_t n, size_t range) {
    size_t *id = xmallocarray(range, sizeof *id);
    for (size_t i = 0; i < range; i++) id[i] = NONE;
    size_t k = 0;
    for (size_t v = 0; v < n; v++) {
        if (id[memb[v]] == NONE) id[memb[v]] = k++;
        memb[v] = id[memb[v]];
    }
    free(id);
    return k;
}

/* Splits every community into its connected components (a guarantee that
 * does not rest on the algorithm's proof alone). */
static size_t splitcomponents(const wgraph *g, size_t *memb) {
    size_t n = g->n;
    size_t *out = xmallocarray(n, sizeof *out);
    size_t *stack = xmallocarray(n, sizeof *stack);
    for (size_t i = 0; i < n; i++) out[i] = NONE;
    size_t k = 0;
    for (size_t s = 0; s < n; s++) {
        if (out[s] != NONE) continue;
        size_t top = 0;
        stack[top++] = s;
        out[s] = k;
        while (top) {
            size_t v = stack[--top];
            for (size_t p = g->off[v]; p < g->off[v + 1]; p++) {
                size_t u = g->adj[p];
                if (out[u] == NONE && memb[u] == memb[s]) {
                    out[u] = k;
                    stack[top++] = u;
                }
            }
        }
        k++;
    }
    memcpy(memb, out, n * sizeof *memb);
    free(out);
    free(stack);
    return k;
}

size_t leiden(const wgraph *g0, double gamma, size_t *membership) {
    size_t n0 = g0->n;
    if (n0 == 0) return 0;
    /* node of the current level holding each original node */
    size_t *level = xmallocarray(n0, sizeof *level);
    for (size_t i = 0; i < n0; i++) level[i] = i;
    const wgraph *g = g0;
    wgraph *owned = NULL;
    size_t *comm = xmallocarray(n0, sizeof *comm);
    for (size_t i = 0; i < n0; i++) comm[i] = i;

    for (;;) {
        double *k = degrees(g);
        localmove(g, k, comm, gamma);
        size_t *ref = xmallocarray(g->n, sizeof *ref);
        size_t r = refine(g, k, comm, gamma, ref);
        free(k);
        if (r == g->n) { /* nothing merged: done */
            for (size_t i = 0; i < n0; i++) membership[i] = comm[level[i]];
            free(ref);
            break;
        }
        /* next level: refined groups, starting in their community */
        size_t *next = xmallocarray(r, sizeof *next);
        for (size_t v = 0; v < g->n; v++) next[ref[v]] = comm[v];
        renumber(next, r, g->n);
        for (size_t i = 0; i < n0; i++) level[i] = ref[level[i]];
        wgraph *a = wgraph_quotient(g, ref, r);
        wgraph_free(owned);
        owned = a;
        g = a;
        free(comm);
        comm = next;
        free(ref);
    }
    wgraph_free(owned);
    free(comm);
    free(level);
    renumber(membership, n0, n0);
    size_t k = splitcomponents(g0, membership);
    return k;
}

double leiden_quality(const wgraph *g, const size_t *memb, double gamma) {
    if (g->total <= 0) return 0;
    size_t n = g->n;
    double *K = xcalloc(n, sizeof *K);
    double in = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t p = g->off[i]; p < g->off[i + 1]; p++) {
            K[memb[i]] += g->w[p];
            if (memb[g->adj[p]] == memb[i]) in += g->w[p];
        }
    double q = in / g->total, sq = 0;
    for (size_t c = 0; c < n; c++) sq += K[c] * K[c];
    free(K);
    return q - gamma * sq / (g->total * g->total);
}
