/*
 * compare.c - MoJoFM and a2a between two partitions (compare.h,
 * docs/compare.md).
 *
 * Both metrics only need the contingency table of the common entities:
 * for each pair (cluster of A, cluster of B), how many entities the two
 * share.  It has at most one cell per common entity, so it is built in
 * O(n log n) and everything after works on cells, never on entity pairs.
 * Clusters are numbered densely in the table, counting only those holding
 * a common entity.
 *
 * MoJoFM's tie-breaking is a maximum bipartite matching (Hopcroft-Karp,
 * O(E sqrt(V)) over the tie edges); a2a's is a maximum-weight matching of
 * clusters (the Hungarian algorithm, run on each connected component of
 * the table separately: clusters that share no entity never need to be
 * matched, and a component is usually far smaller than the whole).
 */
#include "compare/compare.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/common.h"
#include "util/strmap.h"

#define NONE SIZE_MAX

typedef struct cell {
    size_t a, b; /* cluster of A, cluster of B */
    size_t n;    /* common entities they share */
} cell;

typedef struct table {
    size_t na, nb; /* clusters of A and of B holding common entities */
    size_t n;      /* common entities */
    struct { cell *v; size_t n, cap; } cells; /* sorted by (a, b), n > 0 */
} table;

static int cmpcell(const void *x, const void *y) {
    const cell *p = x, *q = y;
    if (p->a != q->a) return p->a < q->a ? -1 : 1;
    return (p->b > q->b) - (p->b < q->b);
}

/* Sorts the cells and merges equal (a, b) pairs, adding their counts. */
static void table_settle(table *t) {
    if (t->cells.n > 1) qsort(t->cells.v, t->cells.n, sizeof *t->cells.v, cmpcell);
    size_t k = 0;
    for (size_t i = 0; i < t->cells.n; i++) {
        if (k > 0 && t->cells.v[k - 1].a == t->cells.v[i].a && t->cells.v[k - 1].b == t->cells.v[i].b)
            t->cells.v[k - 1].n += t->cells.v[i].n;
        else
            t->cells.v[k++] = t->cells.v[i];
    }
    t->cells.n = k;
}

static void table_build(const partition *a, const partition *b, table *t) {
    strmap *ca = strmap_new(), *cb = strmap_new();
    memset(t, 0, sizeof *t);
    for (size_t i = 0; i < a->items.n; i++) {
        size_t j;
        if (!strmap_get(b->index, a->items.v[i].entity, &j)) continue;
        cell c = {strmap_intern(ca, a->items.v[i].cluster, strmap_count(ca), NULL),
                  strmap_intern(cb, b->items.v[j].cluster, strmap_count(cb), NULL), 1};
        VEC_PUSH(t->cells, c);
        t->n++;
    }
    t->na = strmap_count(ca);
    t->nb = strmap_count(cb);
    strmap_free(ca);
    strmap_free(cb);
    table_settle(t);
}

/* The table of (B, A). */
static void table_transpose(const table *t, table *out) {
    memset(out, 0, sizeof *out);
    out->na = t->nb;
    out->nb = t->na;
    out->n = t->n;
    for (size_t i = 0; i < t->cells.n; i++) {
        cell c = {t->cells.v[i].b, t->cells.v[i].a, t->cells.v[i].n};
        VEC_PUSH(out->cells, c);
    }
    table_settle(out);
}

/* ---- MoJoFM ---------------------------------------------------------------- */

/*
 * Size of a maximum matching of the bipartite graph whose left vertex u
 * (< nl) has the right neighbours adj[start[u] .. start[u + 1]) (< nr).
 * Hopcroft-Karp: each phase layers the graph from the free left vertices
 * (BFS) and then augments along vertex-disjoint shortest paths (an
 * iterative DFS, so a long path cannot overflow the stack).
 */
static size_t max_matching(const size_t *start, const size_t *adj, size_t nl, size_t nr) {
    size_t *ml = xmallocarray(nl + 1, sizeof *ml), *mr = xmallocarray(nr + 1, sizeof *mr);
    size_t *dist = xmallocarray(nl + 1, sizeof *dist), *queue = xmallocarray(nl + 1, sizeof *queue);
    size_t *it = xmallocarray(nl + 1, sizeof *it), *stack = xmallocarray(nl + 1, sizeof *stack);
    size_t matched = 0;
    for (size_t u = 0; u < nl; u++) ml[u] = NONE;
    for (size_t v = 0; v < nr; v++) mr[v] = NONE;
    for (;;) {
        size_t qh = 0, qt = 0;
        int found = 0;
        for (size_t u = 0; u < nl; u++) {
            dist[u] = ml[u] == NONE ? 0 : NONE;
            if (ml[u] == NONE) queue[qt++] = u;
        }
        while (qh < qt) {
            size_t u = queue[qh++];
            for (size_t e = start[u]; e < start[u + 1]; e++) {
                size_t w = mr[adj[e]];
                if (w == NONE) found = 1;
                else if (dist[w] == NONE) {
                    dist[w] = dist[u] + 1;
                    queue[qt++] = w;
                }
            }
        }
        if (!found) break;
        for (size_t u = 0; u < nl; u++) it[u] = start[u];
        for (size_t root = 0; root < nl; root++) {
            if (ml[root] != NONE || dist[root] != 0) continue;
            size_t sp = 0;
            stack[sp++] = root;
            while (sp > 0) {
                size_t x = stack[sp - 1];
                if (it[x] == start[x + 1]) { /* dead end: drop x from this phase */
                    dist[x] = NONE;
                    if (--sp > 0) it[stack[sp - 1]]++;
                    continue;
                }
                size_t w = mr[adj[it[x]]];
                if (w == NONE) { /* free right vertex: flip the path */
                    for (size_t k = 0; k < sp; k++) {
                        size_t y = stack[k], v = adj[it[y]];
                        ml[y] = v;
                        mr[v] = y;
                    }
                    matched++;
                    sp = 0;
                } else if (dist[w] == dist[x] + 1) {
                    stack[sp++] = w;
                } else {
                    it[x]++;
                }
            }
        }
    }
    free(ml);
    free(mr);
    free(dist);
    free(queue);
    free(it);
    free(stack);
    return matched;
}

/*
 * mno(A, B) = moves + (l - g): each A cluster is tagged with a B cluster
 * it shares the most entities with (moves: its other entities), l is the
 * number of A clusters, g the number of distinct tags, maximised over the
 * ties by a maximum bipartite matching.  The maximum of mno over all A
 * is n - g_max(B), g_max from B's cluster sizes in ascending order.
 */
static double mojofm(const table *t) {
    if (t->n == 0) return NAN;
    size_t moves = 0, ne = 0, gmax = 0;
    size_t *start = xmallocarray(t->na + 1, sizeof *start);
    size_t *adj = xmallocarray(t->cells.n + 1, sizeof *adj);
    size_t *bsize = xcalloc(t->nb + 1, sizeof *bsize);
    for (size_t i = 0; i < t->cells.n;) {
        size_t a = t->cells.v[i].a, j, sum = 0, max = 0;
        for (j = i; j < t->cells.n && t->cells.v[j].a == a; j++) {
            sum += t->cells.v[j].n;
            if (t->cells.v[j].n > max) max = t->cells.v[j].n;
            bsize[t->cells.v[j].b] += t->cells.v[j].n;
        }
        moves += sum - max;
        start[a] = ne; /* every cluster 0..na-1 has cells, in order */
        for (; i < j; i++)
            if (t->cells.v[i].n == max) adj[ne++] = t->cells.v[i].b;
    }
    start[t->na] = ne;
    size_t g = max_matching(start, adj, t->na, t->nb);
    qsort(bsize, t->nb, sizeof *bsize, size_cmp);
    for (size_t j = 0; j < t->nb; j++)
        if (gmax < bsize[j]) gmax++;
    free(start);
    free(adj);
    free(bsize);
    size_t mno = moves + t->na - g, maxd = t->n - gmax;
    return maxd ? 1.0 - (double)mno / (double)maxd : 1.0;
}

/* ---- a2a -------------------------------------------------------------------- */

/*
 * Minimum-cost assignment of the rows of the n x m (n <= m) matrix cost
 * (row-major, entries >= 0) to distinct columns: the Hungarian algorithm
 * with potentials, O(n^2 m).  Returns the total cost.
 */
static long long hungarian(size_t n, size_t m, const long long *cost) {
    const long long inf = LLONG_MAX / 4;
    long long *u = xcalloc(n + 1, sizeof *u), *v = xcalloc(m + 1, sizeof *v);
    long long *minv = xmallocarray(m + 1, sizeof *minv);
    size_t *p = xcalloc(m + 1, sizeof *p), *way = xcalloc(m + 1, sizeof *way);
    unsigned char *used = xmalloc(m + 1);
    /* p[j]: the row (1-based) assigned to column j; column 0 is the
     * virtual start of each augmenting path */
    for (size_t i = 1; i <= n; i++) {
        size_t j0 = 0;
        p[0] = i;
        for (size_t j = 0; j <= m; j++) {
            minv[j] = inf;
            used[j] = 0;
        }
        do {
            size_t i0 = p[j0], j1 = 0;
            long long delta = inf;
            used[j0] = 1;
            for (size_t j = 1; j <= m; j++) {
                if (used[j]) continue;
                long long cur = cost[(i0 - 1) * m + (j - 1)] - u[i0] - v[j];
                if (cur < minv[j]) {
                    minv[j] = cur;
                    way[j] = j0;
                }
                if (minv[j] < delta) {
                    delta = minv[j];
                    j1 = j;
                }
            }
            for (size_t j = 0; j <= m; j++) {
                if (used[j]) {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
        } while (p[j0] != 0);
        do {
            size_t j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
        } while (j0 != 0);
    }
    long long total = 0;
    for (size_t j = 1; j <= m; j++)
        if (p[j]) total += cost[(p[j] - 1) * m + (j - 1)];
    free(u);
    free(v);
    free(minv);
    free(p);
    free(way);
    free(used);
    return total;
}

static size_t findroot(size_t *parent, size_t x) {
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

/* A cell with the component it belongs to, for grouping. */
typedef struct ccell {
    size_t comp;
    cell c;
} ccell;

static int cmpccell(const void *x, const void *y) {
    size_t p = ((const ccell *)x)->comp, q = ((const ccell *)y)->comp;
    return (p > q) - (p < q);
}

/* Largest total of shared entities over one-to-one pairings of A's and
 * B's clusters: the Hungarian algorithm per connected component. */
static size_t max_weight(const table *t) {
    size_t nv = t->na + t->nb, nc = t->cells.n, total = 0;
    size_t *parent = xmallocarray(nv + 1, sizeof *parent);
    size_t *local = xmallocarray(nv + 1, sizeof *local); /* row or column within its component */
    ccell *cc = xmallocarray(nc + 1, sizeof *cc);
    for (size_t x = 0; x < nv; x++) {
        parent[x] = x;
        local[x] = NONE;
    }
    for (size_t i = 0; i < nc; i++)
        parent[findroot(parent, t->cells.v[i].a)] = findroot(parent, t->na + t->cells.v[i].b);
    for (size_t i = 0; i < nc; i++) {
        cc[i].comp = findroot(parent, t->cells.v[i].a);
        cc[i].c = t->cells.v[i];
    }
    if (nc > 1) qsort(cc, nc, sizeof *cc, cmpccell);
    for (size_t i = 0; i < nc;) {
        size_t j = i, rows = 0, cols = 0, maxw = 0;
        for (; j < nc && cc[j].comp == cc[i].comp; j++) {
            const cell *c = &cc[j].c;
            if (local[c->a] == NONE) local[c->a] = rows++;
            if (local[t->na + c->b] == NONE) local[t->na + c->b] = cols++;
            if (c->n > maxw) maxw = c->n;
        }
        /* the smaller side are the rows; weights become costs maxw - w >= 0 */
        int flip = rows > cols;
        size_t n = flip ? cols : rows, m = flip ? rows : cols;
        long long *cost = xmallocarray(n, m * sizeof *cost); /* n, m: files of a pair of clusters */
        for (size_t k = 0; k < n * m; k++) cost[k] = (long long)maxw;
        for (size_t k = i; k < j; k++) {
            size_t r = local[cc[k].c.a], c = local[t->na + cc[k].c.b];
            if (flip) {
                size_t s = r;
                r = c;
                c = s;
            }
            cost[r * m + c] = (long long)(maxw - cc[k].c.n);
        }
        total += n * maxw - (size_t)hungarian(n, m, cost);
        free(cost);
        i = j;
    }
    free(parent);
    free(local);
    free(cc);
    return total;
}

/*
 * On the common entities nothing is added or removed, so mto is the
 * cluster count difference plus the entities outside the matched pairs,
 * and aco(A) + aco(B) = |A| + |B| clusters + 2n + 2n.  Written as ARCADE
 * writes it, so the floating-point result is the same.
 */
static double a2a(const table *t) {
    if (t->n == 0) return NAN;
    size_t w = max_weight(t);
    size_t dc = t->na > t->nb ? t->na - t->nb : t->nb - t->na;
    double numer = (double)dc + (double)(t->n - w);
    double denom = (double)t->na + 2.0 * (double)t->n + (double)t->nb + 2.0 * (double)t->n;
    return (1 - numer / denom) * 100;
}

/* ---- entry points ---------------------------------------------------------- */

static void table_free(table *t) {
    free(t->cells.v);
}

void compare_partitions(const partition *a, const partition *b, compare_result *out) {
    table t, tt;
    table_build(a, b, &t);
    table_transpose(&t, &tt);
    memset(out, 0, sizeof *out);
    out->entities_a = a->items.n;
    out->entities_b = b->items.n;
    out->common = t.n;
    out->clusters_a = partition_cluster_count(a);
    out->clusters_b = partition_cluster_count(b);
    out->common_clusters_a = t.na;
    out->common_clusters_b = t.nb;
    out->mojofm_ab = mojofm(&t);
    out->mojofm_ba = mojofm(&tt);
    out->a2a = a2a(&t);
    table_free(&t);
    table_free(&tt);
}

double compare_mojofm(const partition *a, const partition *b) {
    table t;
    table_build(a, b, &t);
    double r = mojofm(&t);
    table_free(&t);
    return r;
}

double compare_a2a(const partition *a, const partition *b) {
    table t;
    table_build(a, b, &t);
    double r = a2a(&t);
    table_free(&t);
    return r;
}
