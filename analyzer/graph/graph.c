/*
 * graph.c - life cycle and look-ups of the program graph (graph.h).  The
 * graph owns its arrays and its string pool; records point into the pool.
 */
#include "graph/graph.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

graph *graph_new(const char *root) {
    graph *g = xcalloc(1, sizeof *g);
    g->pool = strpool_new();
    g->root = strpool_intern(g->pool, root);
    return g;
}

void graph_free(graph *g) {
    if (!g) return;
    for (size_t i = 0; i < g->units.n; i++) {
        strvec_free(&g->units.v[i].errors);
        strvec_free(&g->units.v[i].headers);
    }
    for (size_t i = 0; i < g->calls.n; i++) free(g->calls.v[i].at.v);
    for (size_t i = 0; i < g->accesses.n; i++) free(g->accesses.v[i].at.v);
    free(g->units.v);
    free(g->funcs.v);
    free(g->globals.v);
    free(g->calls.v);
    free(g->accesses.v);
    strvec_free(&g->warnings);
    free(g->standins.v);
    free(g->unseen.v);
    for (size_t i = 0; i < g->builds.n; i++) {
        strvec_free(&g->builds.v[i].with);
        strvec_free(&g->builds.v[i].without);
    }
    free(g->builds.v);
    for (size_t i = 0; i < g->reads.n; i++) strvec_free(&g->reads.v[i].with);
    free(g->reads.v);
    strpool_free(g->pool);
    free(g);
}

/* Binary search over an array of records sorted by their `id` member,
 * which sits at byte offset idoff in each record of `size` bytes. */
static size_t findid(const void *base, size_t n, size_t size, size_t idoff, const char *id) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *mid_id;
        memcpy(&mid_id, (const char *)base + mid * size + idoff, sizeof mid_id);
        int c = strcmp(mid_id, id);
        if (c == 0) return mid;
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return (size_t)-1;
}

size_t graph_find_func(const graph *g, const char *id) {
    return findid(g->funcs.v, g->funcs.n, sizeof(gfunc), offsetof(gfunc, id), id);
}

size_t graph_find_global(const graph *g, const char *id) {
    return findid(g->globals.v, g->globals.n, sizeof(gglobal), offsetof(gglobal, id), id);
}

const char *graph_evidence_name(unsigned evidence) {
    static const char *const NAMES[EV_COUNT] = {"direct", "field", "type"};
    return evidence < EV_COUNT ? NAMES[evidence] : "?";
}

const char *const GRAPH_PROGRAM_KEYS[GRAPH_PROGRAM_COUNTS] = {
    "programs",         "files_of_other_builds", "names_in_several_files",
    "calls_to_nearest", "calls_kept_in_program", "calls_left_unresolved"};

void graph_program_counts(const graph_stats *st, size_t out[GRAPH_PROGRAM_COUNTS]) {
    const size_t v[GRAPH_PROGRAM_COUNTS] = {st->programs,         st->other_build_files,
                                            st->shared_names,     st->calls_nearest,
                                            st->calls_in_program, st->calls_unresolved};
    memcpy(out, v, sizeof v);
}

double graph_coverage(const graph *g) {
    size_t ok = 0;
    for (size_t i = 0; i < g->units.n; i++) ok += g->units.v[i].status == UNIT_OK;
    return g->units.n ? round((double)ok / (double)g->units.n * 10000.0) / 10000.0 : 0;
}

char *graph_seen_text(const graph *g) {
    size_t n[3] = {0}, defined = 0;
    for (size_t i = 0; i < g->units.n; i++)
        if (g->units.v[i].status < 3) n[g->units.v[i].status]++;
    for (size_t i = 0; i < g->funcs.n; i++) defined += g->funcs.v[i].defined;
    strbuf b = {0};
    strbuf_printf(&b, "coverage %.2f (%zu of %zu units parsed cleanly, %zu in part, %zu failed); "
                  "%zu functions", graph_coverage(g), n[UNIT_OK], g->units.n, n[UNIT_PARTIAL],
                  n[UNIT_FAILED], defined);
    if (!g->compile_db) {
        strbuf_add(&b, "; approximate (no compile database");
        if (g->standins.n)
            strbuf_printf(&b, ", %zu header%s stood in", g->standins.n,
                          g->standins.n == 1 ? "" : "s");
        strbuf_add(&b, ")");
    }
    if (g->unseen.n) strbuf_printf(&b, "; %zu file%s unseen", g->unseen.n, g->unseen.n == 1 ? "" : "s");
    size_t req = 0; /* without a database: read with the macro they require */
    for (size_t i = 0; i < g->builds.n; i++) req += g->builds.v[i].entry == 0;
    if (g->builds.n > req)
        strbuf_printf(&b, "; %zu file%s with several builds", g->builds.n - req,
                      g->builds.n - req == 1 ? "" : "s");
    if (req)
        strbuf_printf(&b, "; %zu file%s read with a macro %s", req, req == 1 ? "" : "s",
                      req == 1 ? "it requires" : "they require");
    if (g->reads.n)
        strbuf_printf(&b, "; %zu second build%s read for the programs linking %s", g->reads.n,
                      g->reads.n == 1 ? "" : "s", g->reads.n == 1 ? "it" : "them");
    const graph_stats *st = &g->stats;
    if (st->programs_known && st->shared_names)
        strbuf_printf(&b,
                      "; %zu name%s defined in several files (calls: %zu to the nearest "
                      "definition, %zu kept in the caller's program, %zu left unresolved)",
                      st->shared_names, st->shared_names == 1 ? "" : "s", st->calls_nearest,
                      st->calls_in_program, st->calls_unresolved);
    if (st->programs_known && st->other_build_files)
        strbuf_printf(&b, "; %zu file%s read in another program's build", st->other_build_files,
                      st->other_build_files == 1 ? "" : "s");
    return b.v;
}
