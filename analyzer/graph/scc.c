/*
 * scc.c - Tarjan's strongly connected components over adjacency lists
 * (see scc.h).  Scratch arrays are allocated per call and freed before
 * returning; index 0 means "not visited yet".
 */
#include "graph/scc.h"

#include <stdlib.h>

#include "util/common.h"

size_t scc_lists(size_t n, const size_t *off, const size_t *to, size_t *comp) {
    size_t *index = xcalloc(n + 1, sizeof *index), *low = xcalloc(n + 1, sizeof *low);
    size_t *stack = xmallocarray(n + 1, sizeof *stack);
    size_t *frame = xmallocarray(n + 1, sizeof *frame), *next = xmallocarray(n + 1, sizeof *next);
    unsigned char *on = xcalloc(n + 1, 1);
    size_t counter = 0, top = 0, ncomp = 0;
    for (size_t root = 0; root < n; root++) {
        if (index[root]) continue;
        /* Tarjan's recursion with explicit frames: frame[d] is the node
         * at depth d, next[d] its next successor to look at */
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
