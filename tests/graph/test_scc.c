/*
 * test_scc.c - scc_lists, Tarjan's strongly connected components without
 * recursion: the empty graph, self loops, a DAG, nested cycles, the exact
 * numbering (components in the order they complete, sinks first), chains
 * and rings a million nodes long (deeper than any call stack would allow a
 * recursive version), and random graphs against mutual reachability.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "graph/scc.h"
#include "util/common.h"
#include "test.h"

/* A graph as scc_lists takes it: v's successors are to[off[v] .. off[v + 1]). */
typedef struct adj {
    size_t n, *off, *to, *comp;
} adj;

/* Adjacency lists of n nodes from m edges {from, to}, each node's
 * successors in the order the edges list them; comp sized for n. */
static adj lists(size_t n, const size_t (*e)[2], size_t m) {
    adj a = {n, xcalloc(n + 1, sizeof(size_t)), xmallocarray(m, sizeof(size_t)),
             xmallocarray(n, sizeof(size_t))};
    for (size_t i = 0; i < m; i++) a.off[e[i][0] + 1]++;
    for (size_t v = 0; v < n; v++) a.off[v + 1] += a.off[v];
    size_t *fill = xmallocarray(n, sizeof *fill);
    if (n) memcpy(fill, a.off, n * sizeof *fill);
    for (size_t i = 0; i < m; i++) a.to[fill[e[i][0]]++] = e[i][1];
    free(fill);
    return a;
}

static void adj_free(adj *a) {
    free(a->off);
    free(a->to);
    free(a->comp);
}

static size_t scc(adj *a) {
    return scc_lists(a->n, a->off, a->to, a->comp);
}

/* Every edge goes to a component numbered no higher than its source's:
 * the numbering is a reverse topological order of the condensation. */
static int sinks_first(const adj *a) {
    for (size_t v = 0; v < a->n; v++)
        for (size_t i = a->off[v]; i < a->off[v + 1]; i++)
            if (a->comp[a->to[i]] > a->comp[v]) return 0;
    return 1;
}

static void empty(void) {
    adj a = lists(0, NULL, 0);
    CHECK_INT(scc(&a), 0);
    adj_free(&a);
    /* nodes without edges: one component each, in node order */
    a = lists(3, NULL, 0);
    CHECK_INT(scc(&a), 3);
    CHECK_INT(a.comp[0], 0);
    CHECK_INT(a.comp[1], 1);
    CHECK_INT(a.comp[2], 2);
    adj_free(&a);
}

/* A self loop makes no bigger component, alone or inside a cycle. */
static void self_loops(void) {
    static const size_t e[][2] = {{0, 0}, {1, 1}, {1, 2}, {2, 2}};
    adj a = lists(3, e, 4);
    CHECK_INT(scc(&a), 3);
    CHECK_INT(a.comp[0], 0);
    CHECK_INT(a.comp[2], 1); /* below 1, so it completes before 1 */
    CHECK_INT(a.comp[1], 2);
    adj_free(&a);

    static const size_t c[][2] = {{0, 1}, {1, 1}, {1, 0}, {0, 0}};
    a = lists(2, c, 4);
    CHECK_INT(scc(&a), 1);
    CHECK_INT(a.comp[0], 0);
    CHECK_INT(a.comp[1], 0);
    adj_free(&a);
}

/* A diamond over a chain, with a shortcut edge: every node its own
 * component, sinks first. */
static void dag(void) {
    static const size_t e[][2] = {{0, 1}, {0, 2}, {1, 3}, {2, 3}, {3, 4}, {0, 4}, {5, 0}};
    adj a = lists(6, e, 7);
    CHECK_INT(scc(&a), 6);
    CHECK(sinks_first(&a));
    /* depth first from 0: 4 completes first, then 3, 1, 2, 0; 5 last */
    static const size_t want[] = {4, 2, 3, 1, 0, 5};
    for (size_t v = 0; v < 6; v++) CHECK_INT(a.comp[v], want[v]);
    adj_free(&a);
}

/* An inner cycle 1 <-> 3 inside the outer 0 -> 1 -> 2 -> 0, a cycle 6 <-> 7
 * hanging below it, a source above it and a sink below it. */
static void nested_cycles(void) {
    static const size_t e[][2] = {{0, 1}, {1, 2}, {2, 0}, {1, 3}, {3, 1}, {4, 0},
                                  {2, 5}, {3, 6}, {6, 7}, {7, 6}, {7, 5}};
    adj a = lists(8, e, 11);
    CHECK_INT(scc(&a), 4);
    CHECK(a.comp[0] == a.comp[1] && a.comp[1] == a.comp[2] && a.comp[2] == a.comp[3]);
    CHECK(a.comp[6] == a.comp[7]);
    CHECK(a.comp[0] != a.comp[6] && a.comp[4] != a.comp[0] && a.comp[5] != a.comp[6]);
    CHECK(sinks_first(&a));
    /* exactly: {5} completes first (reached from 2), then {6, 7}, the big
     * cycle, and the source 4 */
    static const size_t want[] = {2, 2, 2, 2, 3, 0, 1, 1};
    for (size_t v = 0; v < 8; v++) CHECK_INT(a.comp[v], want[v]);
    adj_free(&a);
}

/* The numbering depends on the node and edge order only: the same lists
 * give the same components, and reordering a node's successors can change
 * which component completes first. */
static void deterministic(void) {
    static const size_t e[][2] = {{0, 1}, {1, 2}, {2, 0}, {2, 3}, {3, 4}, {4, 3}};
    adj a = lists(5, e, 6);
    CHECK_INT(scc(&a), 2);
    static const size_t want[] = {1, 1, 1, 0, 0};
    for (size_t v = 0; v < 5; v++) CHECK_INT(a.comp[v], want[v]);
    size_t first[5];
    memcpy(first, a.comp, sizeof first);
    memset(a.comp, 0xff, 5 * sizeof *a.comp);
    CHECK_INT(scc(&a), 2);
    CHECK_MEM(a.comp, first, sizeof first);
    adj_free(&a);

    /* two sinks below 0: the one 0 lists first completes first */
    static const size_t x[][2] = {{0, 2}, {0, 1}}, y[][2] = {{0, 1}, {0, 2}};
    a = lists(3, x, 2);
    scc(&a);
    CHECK(a.comp[2] == 0 && a.comp[1] == 1 && a.comp[0] == 2);
    adj_free(&a);
    a = lists(3, y, 2);
    scc(&a);
    CHECK(a.comp[1] == 0 && a.comp[2] == 1 && a.comp[0] == 2);
    adj_free(&a);
}

enum { LONG = 1000000 };

/* A million-node chain (depth a million) and a million-node ring (one
 * component): a recursive Tarjan would need a frame per node. */
static void long_paths(void) {
    size_t (*e)[2] = xmallocarray(LONG, sizeof *e);
    for (size_t i = 0; i + 1 < LONG; i++) {
        e[i][0] = i;
        e[i][1] = i + 1;
    }
    adj a = lists(LONG, e, LONG - 1);
    CHECK_INT(scc(&a), LONG);
    int ok = 1;
    for (size_t v = 0; v < LONG; v++) ok &= a.comp[v] == LONG - 1 - v; /* the tail first */
    CHECK(ok);
    adj_free(&a);

    e[LONG - 1][0] = LONG - 1;
    e[LONG - 1][1] = 0;
    a = lists(LONG, e, LONG);
    CHECK_INT(scc(&a), 1);
    ok = 1;
    for (size_t v = 0; v < LONG; v++) ok &= a.comp[v] == 0;
    CHECK(ok);
    adj_free(&a);
    free(e);
}

static uint64_t rng = 0x2545F4914F6CDD1Dull;

static size_t rnd(size_t n) {
    return (size_t)(test_random(&rng) % n);
}

/* Random graphs against the definition: two nodes share a component
 * exactly when each reaches the other (transitive closure by repeated
 * relaxation), the count matches, and the order is sinks first. */
static void random_graphs(void) {
    enum { N = 24 };
    int bad = 0;
    for (int round = 0; round < 300; round++) {
        size_t n = 1 + rnd(N), m = rnd(3 * n);
        size_t (*e)[2] = xmallocarray(m, sizeof *e);
        unsigned char reach[N][N] = {{0}};
        for (size_t v = 0; v < n; v++) reach[v][v] = 1;
        for (size_t i = 0; i < m; i++) {
            e[i][0] = rnd(n);
            e[i][1] = rnd(n);
            reach[e[i][0]][e[i][1]] = 1;
        }
        for (size_t k = 0; k < n; k++) /* Floyd-Warshall on booleans */
            for (size_t u = 0; u < n; u++)
                for (size_t v = 0; v < n; v++) reach[u][v] |= reach[u][k] & reach[k][v];
        adj a = lists(n, e, m);
        size_t k = scc(&a), classes = 0;
        for (size_t u = 0; u < n; u++) {
            int lowest = 1; /* u is the lowest node of its class */
            for (size_t v = 0; v < n; v++) {
                int mutual = reach[u][v] && reach[v][u];
                bad += (a.comp[u] == a.comp[v]) != mutual;
                if (v < u && mutual) lowest = 0;
            }
            classes += lowest;
            bad += a.comp[u] >= k;
        }
        bad += k != classes || !sinks_first(&a);
        adj_free(&a);
        free(e);
    }
    CHECK_INT(bad, 0);
}

static const test_case cases[] = {
    {"empty", empty},
    {"self_loops", self_loops},
    {"dag", dag},
    {"nested_cycles", nested_cycles},
    {"deterministic", deterministic},
    {"long_paths", long_paths},
    {"random_graphs", random_graphs},
};

int main(int argc, char **argv) {
    return test_main(argc, argv, cases, TEST_COUNT(cases));
}
