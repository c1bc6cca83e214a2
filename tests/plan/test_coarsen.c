/*
 * test_coarsen.c - coarsen_groups against the plain definition it must
 * follow: recount every pair's coupling from the graph and merge the best
 * pair, once per merge (cubic, as cleave did before).  Random graphs with
 * weights that are multiples of 2^-10 up to 2^10, so that every sum is
 * exact in both and a difference can only be a wrong choice; plus the
 * edge cases (no links at all, one wanted group, state nodes, ties).
 */
#include <stdlib.h>
#include <string.h>

#include "plan/coarsen.h"
#include "util/common.h"
#include "test.h"

/* The definition: merge the pair of highest coupling (ties: earliest),
 * renumbering after each merge. */
static size_t reference(const wgraph *w, size_t n, size_t *group, size_t k, size_t want) {
    while (k > want && k > 1) {
        double *link = xcalloc(k * k, sizeof *link), *vol = xcalloc(k, sizeof *vol);
        for (size_t v = 0; v < n; v++)
            for (size_t p = w->off[v]; p < w->off[v + 1]; p++) {
                size_t u = w->adj[p];
                vol[group[v]] += w->w[p];
                if (u < n && group[u] != group[v]) link[group[v] * k + group[u]] += w->w[p];
            }
        size_t ba = 0, bb = 1;
        double best = -1;
        for (size_t a = 0; a < k; a++)
            for (size_t b = a + 1; b < k; b++) {
                double m = vol[a] < vol[b] ? vol[a] : vol[b];
                double s = link[a * k + b] / (m > 0 ? m : 1);
                if (s > best) best = s, ba = a, bb = b;
            }
        for (size_t v = 0; v < n; v++) {
            if (group[v] == bb) group[v] = ba;
            else if (group[v] > bb) group[v]--;
        }
        k--;
        free(link);
        free(vol);
    }
    return k;
}

static uint64_t rng = 88172645463325252ull;

static size_t rnd(size_t below) {
    return (size_t)(test_random(&rng) % below);
}

/* n grouped nodes in k groups, g state nodes, about m random edges. */
static wgraph *randomgraph(size_t n, size_t k, size_t g, size_t m, size_t *group) {
    for (size_t v = 0; v < n; v++) group[v] = v < k ? v : rnd(k);
    /* shuffle so that group numbers are not in node order */
    for (size_t v = n; v > 1; v--) {
        size_t j = rnd(v), t = group[v - 1];
        group[v - 1] = group[j];
        group[j] = t;
    }
    wedges e = {0};
    /* weight inside each node keeps couplings below 1: a group linked to
     * one other group only would otherwise tie with every such group, and
     * ties are broken by group numbers, which differ once groups merge */
    for (size_t v = 0; v < n; v++) wgraph_edge_add(&e, v, v, (double)(1 + rnd(1u << 20)) / 1024.0);
    for (size_t i = 0; i < m; i++) {
        size_t a = rnd(n + g), b = rnd(n + g);
        wgraph_edge_add(&e, a, b, (double)(1 + rnd(1u << 20)) / 1024.0);
    }
    wgraph *w = wgraph_build(n + g, &e);
    wgraph_edges_free(&e);
    return w;
}

static void against_reference(void) {
    int same = 1;
    for (int t = 0; t < 300 && same; t++) {
        size_t n = 2 + rnd(60), k = 1 + rnd(n), g = rnd(8), m = rnd(4 * n);
        size_t *group = xmalloc(n * sizeof *group), *a = xmalloc(n * sizeof *a),
               *b = xmalloc(n * sizeof *b);
        wgraph *w = randomgraph(n, k, g, m, group);
        for (size_t want = 1; want <= k && same; want++) {
            memcpy(a, group, n * sizeof *a);
            memcpy(b, group, n * sizeof *b);
            size_t ka = coarsen_groups(w, n, a, k, want, NULL), kb = reference(w, n, b, k, want);
            same = ka == kb && memcmp(a, b, n * sizeof *a) == 0;
            if (!same)
                fprintf(stderr, "graph %d (n %zu, k %zu, m %zu), want %zu: differs\n", t, n, k,
                        m, want);
        }
        wgraph_free(w);
        free(group);
        free(a);
        free(b);
    }
    CHECK(same);
}

/* Without links the first groups merge, in order; numbers stay dense. */
static void unlinked(void) {
    wedges e = {0};
    wgraph *w = wgraph_build(5, &e);
    size_t group[5] = {4, 3, 2, 1, 0};
    CHECK_INT(coarsen_groups(w, 5, group, 5, 3, NULL), 3);
    size_t want[5] = {2, 1, 0, 0, 0};
    CHECK(memcmp(group, want, sizeof want) == 0);
    /* asking for 0 groups gives 1; asking for more than there are changes nothing */
    CHECK_INT(coarsen_groups(w, 5, group, 3, 0, NULL), 1);
    CHECK(group[0] == 0 && group[4] == 0);
    size_t same[5] = {0, 1, 1, 2, 2};
    CHECK_INT(coarsen_groups(w, 5, same, 3, 7, NULL), 3);
    CHECK(same[0] == 0 && same[1] == 1 && same[4] == 2);
    wgraph_free(w);
    wgraph_edges_free(&e);
}

/* A small group joins the group it leans on, not the biggest one; a
 * shared state node links nothing. */
static void leaning(void) {
    wedges e = {0};
    /* group 0: nodes 0-3, a dense core; group 1: node 4, tied to group 2 */
    for (size_t a = 0; a < 4; a++)
        for (size_t b = a + 1; b < 4; b++) wgraph_edge_add(&e, a, b, 8);
    wgraph_edge_add(&e, 4, 5, 3);  /* group 1 - group 2 */
    wgraph_edge_add(&e, 4, 0, 1);  /* group 1 - group 0, weaker */
    wgraph_edge_add(&e, 5, 6, 1);  /* group 2 - group 0 */
    wgraph_edge_add(&e, 4, 7, 50); /* node 7: state, in no group */
    wgraph_edge_add(&e, 0, 7, 50);
    wgraph *w = wgraph_build(8, &e);
    size_t group[7] = {0, 0, 0, 0, 1, 2, 0};
    CHECK_INT(coarsen_groups(w, 7, group, 3, 2, NULL), 2);
    CHECK(group[4] == group[5] && group[4] != group[0]);
    wgraph_free(w);
    wgraph_edges_free(&e);
}

/* Equal couplings: the pair with the lowest group numbers merges. */
static void ties(void) {
    wedges e = {0};
    /* groups 2-3 and 0-1 each joined by one edge: both couplings 1 */
    wgraph_edge_add(&e, 0, 1, 1);
    wgraph_edge_add(&e, 2, 3, 1);
    wgraph *w = wgraph_build(4, &e);
    size_t group[4] = {2, 3, 0, 1};
    CHECK_INT(coarsen_groups(w, 4, group, 4, 3, NULL), 3);
    size_t want[4] = {1, 2, 0, 0};
    CHECK(memcmp(group, want, sizeof want) == 0);
    wgraph_free(w);
    wgraph_edges_free(&e);
}

/* A fixed group (a program) never merges, however tied: in `leaning`,
 * with group 2 fixed, group 1 joins group 0 instead; and with every group
 * but one fixed, nothing can merge. */
static void fixed(void) {
    wedges e = {0};
    for (size_t a = 0; a < 4; a++)
        for (size_t b = a + 1; b < 4; b++) wgraph_edge_add(&e, a, b, 8);
    wgraph_edge_add(&e, 4, 5, 3);
    wgraph_edge_add(&e, 4, 0, 1);
    wgraph_edge_add(&e, 5, 6, 1);
    wgraph *w = wgraph_build(7, &e);
    size_t group[7] = {0, 0, 0, 0, 1, 2, 0};
    unsigned char fix[3] = {0, 0, 1};
    CHECK_INT(coarsen_groups(w, 7, group, 3, 2, fix), 2);
    CHECK(group[4] == group[0] && group[5] != group[0]);
    size_t again[7] = {0, 0, 0, 0, 1, 2, 0};
    unsigned char all[3] = {0, 1, 1};
    CHECK_INT(coarsen_groups(w, 7, again, 3, 1, all), 3);
    wgraph_free(w);
    wgraph_edges_free(&e);
}

static const test_case cases[] = {
    {"fixed", fixed},
    {"against_reference", against_reference},
    {"ties", ties},
    {"unlinked", unlinked},
    {"leaning", leaning},
};

int main(int argc, char **argv) {
    return test_main(argc, argv, cases, TEST_COUNT(cases));
}
