/*
 * scan.c - runs the front end over a project's units (serially for now,
 * one frontend) and merges the facts.  The facts records are freed once
 * merged; the graph owns everything it keeps.
 */
#include "scan.h"

#include <stdio.h>
#include <stdlib.h>

#include "frontend.h"
#include "merge.h"

graph *scan_project(const project *p, const char *display_root, const scan_options *opt,
                    size_t *parsed) {
    size_t n = p->jobs.n, ok = 0, partial = 0, failed = 0;
    facts **tus = xmalloc((n ? n : 1) * sizeof *tus);
    frontend *fe = frontend_new();
    for (size_t i = 0; i < n; i++) {
        tus[i] = frontend_extract(fe, &p->jobs.v[i], p->root, NULL);
        unsigned st = tus[i]->status;
        ok += st == UNIT_OK;
        partial += st == UNIT_PARTIAL;
        failed += st == UNIT_FAILED;
        if (!opt->quiet && st != UNIT_OK) {
            for (size_t j = 0; j < tus[i]->errors.n; j++)
                fprintf(stderr, "cleave: %s\n", tus[i]->errors.v[j]);
            fprintf(stderr, "cleave: %s: unit %s\n", tus[i]->file,
                    st == UNIT_PARTIAL ? "parsed in part (errors above)" : "not parsed");
        }
    }
    frontend_free(fe);

    graph *g = merge_facts(tus, n, display_root);
    for (size_t i = 0; i < n; i++) facts_free(tus[i]);
    free(tus);

    if (p->db_path) {
        char *rel = path_relative(p->root, p->db_path);
        g->compile_db = strpool_intern(g->pool, rel ? rel : p->db_path);
        free(rel);
    }
    for (size_t i = 0; i < p->standins.n; i++) {
        const project_standin *s = &p->standins.v[i];
        gstandin gs = {strpool_intern(g->pool, s->header), strpool_intern(g->pool, s->from),
                       s->switches};
        VEC_PUSH(g->standins, gs);
    }

    if (!opt->quiet) {
        for (size_t i = 0; i < g->warnings.n; i++)
            fprintf(stderr, "cleave: warning: %s\n", g->warnings.v[i]);
        size_t defined = 0, indirect = 0;
        for (size_t i = 0; i < g->funcs.n; i++) defined += g->funcs.v[i].defined;
        for (size_t i = 0; i < g->calls.n; i++) indirect += g->calls.v[i].indirect;
        fprintf(stderr,
                "cleave: %zu units: %zu ok, %zu partial, %zu failed; %zu functions, %zu calls "
                "(%zu indirect), %zu globals\n",
                n, ok, partial, failed, defined, g->calls.n, indirect, g->globals.n);
    }
    *parsed = ok + partial;
    return g;
}
