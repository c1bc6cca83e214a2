/*
 * handplan.h - inputs of the diagram tests: a fixture's golden graph
 * (fixtures/<name>/expected.json), and a plan made by hand standing in for
 * the clustering: one component per directory of a defined function's
 * file, a directory named "util" being a library component.  plan_finish
 * derives names, entry points, interfaces and shared state as for a real
 * plan.  The caller frees the graph with graph_free, the plan with
 * plan_free.
 */
#ifndef CLEAVE_TEST_HANDPLAN_H
#define CLEAVE_TEST_HANDPLAN_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph/graph_load.h"
#include "plan/plan.h"
#include "util/strmap.h"

/* The golden graph of fixtures/<fixture>, or NULL (the error printed). */
static graph *fixture_graph(const char *fixture) {
    char *path = xasprintf("%s/fixtures/%s/expected.json", CLEAVE_SOURCE_DIR, fixture);
    graph *g = NULL;
    char *err = NULL;
    if (graph_load(path, &g, &err) != 0) {
        fprintf(stderr, "%s\n", err);
        free(err);
    }
    free(path);
    return g;
}

static plan *handplan(const graph *g) {
    plan *p = plan_new(g, NULL);
    strmap *dirs = strmap_new();
    for (size_t f = 0; f < g->funcs.n; f++) {
        const gfunc *fn = &g->funcs.v[f];
        if (!fn->defined || !fn->file) continue;
        char *dir = path_dirname(fn->file);
        size_t s;
        if (!strmap_get(dirs, dir, &s)) {
            s = plan_add_service(p, strcmp(path_basename(dir), "util") == 0 ? PLAN_LIBRARY
                                                                            : PLAN_SERVICE);
            strmap_put(dirs, dir, s);
        }
        p->assign[f] = s;
        free(dir);
    }
    strmap_free(dirs);
    plan_finish(p);
    return p;
}

#endif
