/*
 * scc.c - Tarjan's strongly connected components over an adjacency matrix
 * or adjacency lists (see scc.h).  Scratch arrays are allocated per call
 * and freed before returning; index 0 means "not visited yet".
 */
#include "scc.h"

#include <stdlib.h>

#include "common.h"

typedef struct scc {
    size_t n, counter, top, ncomp;
    const unsigned char *adj;
    size_t *index, *low, *stack, *comp;
    unsigned char *on;
} scc;

static void strong(scc *S, size_t v) {
    S->index[v] = S->low[v] = ++S->counter;
    S->stack[S->top++] = v;
    S->on[v] = 1;
    for (size_t w = 0; w < S->n; w++) {
        if (!S->adj[v * S->n + w]) continue;
        if (!S->index[w]) {
            strong(S, w);
            if (S->low[w] < S->low[v]) S->low[v] = S->low[w];
        } else if (S->on[w] && S->index[w] < S->low[v]) {
            S->low[v] = S->index[w];
        }
    }
    if (S->low[v] != S->index[v]) return;
    size_t w;
    do {
        w = S->stack[--S->top];
        S->on[w] = 0;
        S->comp[w] = S->ncomp;
    } while (w != v);
    S->ncomp++;
}

size_t scc_matrix(size_t n, const unsigned char *adj, size_t *comp) {
    scc S = {n, 0, 0, 0, adj, xcalloc(n + 1, sizeof(size_t)), xcalloc(n + 1, sizeof(size_t)),
             xcalloc(n + 1, sizeof(size_t)), comp, xcalloc(n + 1, 1)};
    for (size_t v = 0; v < n; v++)
        if (!S.index[v]) strong(&S, v);
    free(S.index);
    free(S.low);
    free(S.stack);
    free(S.on);
    return S.ncomp;
}

size_t scc_lists(size_t n, const size_t *off, const size_t *to, size_t *comp) {
    size_t *index = xcalloc(n + 1, sizeof *index), *low = xcalloc(n + 1, sizeof *low);
    size_t *stack = xmalloc((n + 1) * sizeof *stack);
    size_t *frame = xmalloc((n + 1) * sizeof *frame), *next = xmalloc((n + 1) * sizeof *next);
    unsigned char *on = xcalloc(n + 1, 1);
    size_t counter = 0, top = 0, ncomp = 0;
    for (size_t root = 0; root < n; root++) {
        if (index[root]) continue;
        /* the recursion of scc_matrix, with explicit frames: frame[d] is
         * the node at depth d, next[d] its next successor to look at */
        size_t depth = 0;
        frame[0] = root;
        next[0] = off[root];
        index[root] = low[root] = ++counter;
        stack[top++] = root;
        on[root] = 1;
        while (depth != (size_t)-1) {
            size_t v = frame[depth];
            if (next[depth] < off[v + 1]) {
                size_t w = to[next[depth]++];
                if (!index[w]) {
                    index[w] = low[w] = ++counter;
                    stack[top++] = w;
                    on[w] = 1;
                    depth++;
                    frame[depth] = w;
                    next[depth] = off[w];
                } else if (on[w] && index[w] < low[v]) {
                    low[v] = index[w];
                }
                continue;
            }
            if (low[v] == index[v]) {
                size_t w;
                do {
                    w = stack[--top];
                    on[w] = 0;
                    comp[w] = ncomp;
                } while (w != v);
                ncomp++;
            }
            depth--;
            if (depth != (size_t)-1 && low[v] < low[frame[depth]]) low[frame[depth]] = low[v];
        }
    }
    free(index);
    free(low);
    free(stack);
    free(frame);
    free(next);
    free(on);
    return ncomp;
}
