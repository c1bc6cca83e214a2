/*
 * state.c - derives who changes state from the access modes of a graph
 * (the rule is in state.h).  Two passes over the accesses: the first marks
 * the families written by an assignment, the second flags each access.
 * Scratch arrays are freed before returning; the flags live in the graph.
 */
#include "graph/state.h"

#include <stdlib.h>

#include "util/common.h"

size_t state_family(const graph *g, size_t v) {
    const gglobal *gv = &g->globals.v[v];
    size_t r = gv->kind == GKIND_FIELD && gv->parent ? graph_find_global(g, gv->parent) : v;
    return r == (size_t)-1 ? v : r;
}

void state_derive(graph *g) {
    size_t ng = g->globals.n;
    /* family root of every global: a field's variable, else itself */
    size_t *root = xmalloc((ng ? ng : 1) * sizeof *root);
    unsigned char *written = xcalloc(ng ? ng : 1, 1);
    for (size_t v = 0; v < ng; v++) root[v] = state_family(g, v);
    for (size_t i = 0; i < g->accesses.n; i++) {
        const gaccess *a = &g->accesses.v[i];
        if (a->mode == MODE_WRITE) written[root[a->global]] = 1;
    }
    for (size_t v = 0; v < ng; v++) g->globals.v[v].written = written[root[v]];
    for (size_t i = 0; i < g->accesses.n; i++) {
        gaccess *a = &g->accesses.v[i];
        a->writes = a->mode == MODE_WRITE || (a->mode == MODE_ADDRESS && written[root[a->global]]);
    }
    free(written);
    free(root);
}
