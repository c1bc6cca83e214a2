/*
 * handplan.h - hand-made inputs of the tests above the graph: a fixture's
 * golden graph (fixtures/<name>/expected.json); small graphs written as
 * facts (hand_func, hand_calls, hand_global, hand_write into one record
 * per file, then merge_facts); JSON texts written with single quotes
 * (hand_json); and a plan made by hand standing in for the clustering:
 * one component per directory of a defined function's file, a directory
 * named "util" being a library component.  plan_finish derives names,
 * entry points, interfaces and shared state as for a real plan.  The
 * caller frees the records with facts_free, the graph with graph_free, the
 * plan with plan_free.  All inline: each test uses some of them.
 */
#ifndef CLEAVE_TEST_HANDPLAN_H
#define CLEAVE_TEST_HANDPLAN_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontend/facts.h"
#include "graph/graph_load.h"
#include "plan/plan.h"
#include "util/strmap.h"

/* The golden graph of fixtures/<fixture>, or NULL (the error printed). */
static inline graph *fixture_graph(const char *fixture) {
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

/* A defined extern function `name` in f's file, from line to line + loc - 1. */
static inline void hand_func(facts *f, const char *name, int line, int loc) {
    fact_func x = {0};
    x.id = x.name = facts_str(f, name);
    x.file = f->file;
    x.type = facts_str(f, "void (void)");
    x.ret = facts_str(f, "void");
    x.line = line;
    x.end_line = line + loc - 1;
    x.loc = loc;
    x.defined = 1;
    VEC_PUSH(f->funcs, x);
}

/* `sites` direct calls from -> to in f's file, at column 1 of line, line + 1... */
static inline void hand_calls(facts *f, const char *from, const char *to, int line, int sites) {
    for (int i = 0; i < sites; i++) {
        fact_call c = {0};
        c.from = facts_str(f, from);
        c.to = facts_str(f, to);
        c.file = f->file;
        c.line = line + i;
        c.col = 1;
        VEC_PUSH(f->calls, c);
    }
}

/* An extern variable `name` defined in f's file at line. */
static inline void hand_global(facts *f, const char *name, int line) {
    fact_global x = {0};
    x.id = x.name = facts_str(f, name);
    x.file = f->file;
    x.line = line;
    x.defined = 1;
    VEC_PUSH(f->globals, x);
}

/* func writes global at line:col of f's file (the global's record may be
 * another file's: merge_facts joins them by id). */
static inline void hand_write(facts *f, const char *func, const char *global, int line, int col) {
    fact_access a = {0};
    a.function = facts_str(f, func);
    a.global = facts_str(f, global);
    a.file = f->file;
    a.line = line;
    a.col = col;
    a.mode = MODE_WRITE;
    VEC_PUSH(f->accesses, a);
}

/* JSON written with single quotes, which C strings hold without escapes:
 * s with every ' made a " (positions stay); the caller frees it. */
static inline char *hand_json(const char *s) {
    char *t = xstrdup(s);
    for (char *c = t; *c; c++)
        if (*c == '\'') *c = '"';
    return t;
}

static inline plan *handplan(const graph *g) {
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
