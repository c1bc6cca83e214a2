/*
 * scc.c - Tarjan's strongly connected components over an adjacency matrix
 * (see scc.h).  Scratch arrays are allocated per call and freed before
 * returning; index 0 means "not visited yet".
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
