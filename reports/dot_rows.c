/*
 * dot_rows.c - wide ranks broken into rows, the idea of Graphviz's
 * `unflatten`: a view whose layout puts many nodes side by side in one
 * rank (Git's 34 components: 3,985 points wide, 818 high, its top rank
 * holding 7 libraries, 2 services and the legend) is drawn again with
 * those nodes spread over several rows.  Dot has no "row" attribute,
 * so the rows are made with the ranks' own rules: a node with edges from
 * above goes d rows down (the minlen of those edges grows by d), a node
 * with edges only below goes d rows up (the minlen of those grows), and
 * nodes with no edge at all (a library whose use is folded into its box)
 * are stacked in columns by invisible edges.  The d of the nodes of one
 * rank take turns left to right (0, 1, .. k-1, 0, ...), so each row keeps
 * nodes from the whole width, as unflatten's -l does.  The legend, a node
 * with no edge, may move beside the narrowest rank (rank=same).
 *
 * One round works from one layout; the rank of each end, as that layout
 * gave it, says which end of an edge is the upper one.  A later round,
 * from the layout the earlier ones made, adds to their minlen.  Nothing
 * here depends on memory addresses or hash order: the same layout gives
 * the same rows.  Memory: a dot_rows owns its rounds and their names.
 */
#include "reports/dot_cgraph.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/strmap.h"

/* How a node moves: rows down (its edges from above longer), rows up (its
 * edges below longer). */
typedef struct rnode {
    int rank, down, up;
} rnode;

typedef struct rows_round {
    strmap *index; /* node name -> its rnode */
    struct {
        rnode *v;
        size_t n, cap;
    } nodes;
    strvec chain; /* invisible edges, as (from, to) names */
    char *beside; /* the node the legend moves beside (rank=same), or NULL */
} rows_round;

struct dot_rows {
    struct {
        rows_round *v;
        size_t n, cap;
    } rounds;
};

static void round_free(rows_round *rd) {
    strmap_free(rd->index);
    free(rd->nodes.v);
    strvec_free(&rd->chain);
    free(rd->beside);
}

void dot_rows_free(dot_rows *r) {
    if (!r) return;
    for (size_t i = 0; i < r->rounds.n; i++) round_free(&r->rounds.v[i]);
    free(r->rounds.v);
    free(r);
}

/* Nodes of one rank, left to right (ties: by name, which is unique). */
static int cmp_left(const void *a, const void *b) {
    const dot_placed *x = *(const dot_placed *const *)a, *y = *(const dot_placed *const *)b;
    if (x->x != y->x) return x->x < y->x ? -1 : 1;
    return strcmp(x->name, y->name);
}

static int cmp_rank(const void *a, const void *b) {
    const dot_placed *x = *(const dot_placed *const *)a, *y = *(const dot_placed *const *)b;
    if (x->rank != y->rank) return x->rank < y->rank ? -1 : 1;
    return cmp_left(a, b);
}

/* How many rows the nodes of a rank `extent` points wide go into: enough
 * for `target` points, fewer when that many rows of `pitch` points would
 * make the picture taller than wide by more than the screen is (then
 * width and height overflow it alike); at least 2, at most `count`. */
static size_t rows_for(double extent, double target, double pitch, double width, double height,
                       size_t count) {
    double fit = ceil(extent / target);
    double even = floor(sqrt(extent * height / (width * pitch)) + 0.5);
    double k = fit < even ? fit : even;
    if (k < 2) k = 2;
    if (k > (double)count) k = (double)count;
    return (size_t)k;
}

/* The node a round knows by name, made when missing. */
static rnode *round_node(rows_round *rd, const dot_placed *p) {
    int added;
    size_t i = strmap_intern(rd->index, p->name, rd->nodes.n, &added);
    if (added) {
        rnode x = {p->rank, 0, 0};
        VEC_PUSH(rd->nodes, x);
    }
    return &rd->nodes.v[i];
}

/* The extent of the rank of real nodes v[i..j), left to right, in points. */
static double extent_of(const dot_placed *const *v, size_t i, size_t j) {
    return v[j - 1]->x + v[j - 1]->w / 2 - (v[i]->x - v[i]->w / 2);
}

/*
 * The legend (dot puts a node with no edge in the top rank) moves beside
 * the last node of the narrowest rank of real nodes, when its own rank is
 * too wide for the target with it.  Once only: a second rank=same group
 * holding it would tie two ranks together.
 */
static int move_legend(rows_round *rd, const dot_placed *legend, const dot_placed *const *v,
                       size_t m, double target) {
    double own = 0, least = -1;
    size_t at = 0;
    for (size_t i = 0, j; i < m; i = j) {
        for (j = i + 1; j < m && v[j]->rank == v[i]->rank; j++) {
        }
        double extent = extent_of(v, i, j);
        if (v[i]->rank == legend->rank) {
            own = extent;
        } else if (least < 0 || extent <= least) { /* ties: the lower rank */
            least = extent;
            at = j - 1;
        }
    }
    if (least < 0 || own + legend->w <= target || least >= own) return 0;
    rd->beside = xstrdup(v[at]->name);
    return 1;
}

/*
 * One round: every rank of real nodes whose extent passes the target is
 * spread over rows_for() rows, and the legend may move to a narrow rank
 * (move_legend, unless legend_moved).  The target leaves the picture what
 * it has beside its widest rank (title, edges bulging out), so that the
 * ranks wrapped to it give a picture `width` wide.  Returns how many nodes
 * move.
 */
static size_t plan_round(rows_round *rd, const dot_placed *nodes, size_t n, double w, double width,
                         double height, int legend_moved) {
    const dot_placed **v = xmallocarray(n + 1, sizeof *v), *legend = NULL;
    size_t m = 0, moved = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(nodes[i].name, DOT_LEGEND_NAME) != 0)
            v[m++] = &nodes[i];
        else
            legend = &nodes[i];
    }
    if (m > 1) qsort(v, m, sizeof *v, cmp_rank);
    /* the widest rank, and the distance between rows of nodes */
    double widest = 0, top = 0, bottom = 0;
    size_t rows = 0;
    for (size_t i = 0, j; i < m; i = j) {
        for (j = i + 1; j < m && v[j]->rank == v[i]->rank; j++) {
        }
        double extent = extent_of(v, i, j);
        if (extent > widest) widest = extent;
        if (rows == 0 || v[i]->y > top) top = v[i]->y;
        if (rows == 0 || v[i]->y < bottom) bottom = v[i]->y;
        rows++;
    }
    double pitch = rows > 1 ? (top - bottom) / (double)(rows - 1) : 0;
    double target = width - (w - widest);
    if (target < width / 2) target = width / 2;
    if (legend && !legend_moved) moved += (size_t)move_legend(rd, legend, v, m, target);
    const dot_placed **lone = xmallocarray(m + 1, sizeof *lone);
    for (size_t i = 0, j; i < m; i = j) {
        for (j = i + 1; j < m && v[j]->rank == v[i]->rank; j++) {
        }
        double extent = extent_of(v, i, j);
        if (extent <= target || j - i < 2) continue;
        double tallest = 0;
        for (size_t q = i; q < j; q++)
            if (v[q]->h > tallest) tallest = v[q]->h;
        size_t k =
            rows_for(extent, target, pitch > tallest ? pitch : 2 * tallest, width, height, j - i);
        size_t turn = 0, nlone = 0;
        for (size_t q = i; q < j; q++) {
            const dot_placed *x = v[q];
            if (!x->above && !x->below) {
                lone[nlone++] = x;
                continue;
            }
            int d = (int)(turn++ % k);
            if (!d) continue;
            rnode *r = round_node(rd, x);
            if (x->above)
                r->down = d;
            else
                r->up = d;
            moved++;
        }
        /* nodes with no edge: columns of k, each hanging from its first */
        for (size_t q = 1; q < nlone; q++) {
            if (q % k == 0) continue;
            round_node(rd, lone[q - 1]);
            round_node(rd, lone[q]);
            strvec_push(&rd->chain, lone[q - 1]->name);
            strvec_push(&rd->chain, lone[q]->name);
            moved++;
        }
    }
    /* the ends of the edges whose minlen grows must be known */
    for (size_t i = 0; moved && i < m; i++) round_node(rd, v[i]);
    if (rd->beside) round_node(rd, legend);
    free(lone);
    free(v);
    return moved;
}

int dot_rows_plan(dot_rows **r, const dot_placed *nodes, size_t n, double w, double width,
                  double height) {
    rows_round rd = {0};
    rd.index = strmap_new();
    int legend_moved = 0;
    for (size_t i = 0; *r && i < (*r)->rounds.n; i++)
        legend_moved |= (*r)->rounds.v[i].beside != NULL;
    if (!plan_round(&rd, nodes, n, w, width, height, legend_moved)) {
        round_free(&rd);
        return 0;
    }
    if (!*r) *r = xcalloc(1, sizeof **r);
    VEC_PUSH((*r)->rounds, rd);
    return 1;
}

void dot_rows_apply(Agraph_t *root, const dot_rows *r) {
    if (r && !agattr(root, AGEDGE, "minlen", NULL)) agattr(root, AGEDGE, "minlen", "1");
    for (size_t k = 0; r && k < r->rounds.n; k++) {
        const rows_round *rd = &r->rounds.v[k];
        for (Agnode_t *n = agfstnode(root); n; n = agnxtnode(root, n))
            for (Agedge_t *e = agfstout(root, n); e; e = agnxtout(root, e)) {
                size_t t, h;
                if (!strmap_get(rd->index, agnameof(agtail(e)), &t) ||
                    !strmap_get(rd->index, agnameof(aghead(e)), &h))
                    continue;
                const rnode *a = &rd->nodes.v[t], *b = &rd->nodes.v[h];
                if (a->rank == b->rank) continue;
                const rnode *upper = a->rank < b->rank ? a : b, *lower = a->rank < b->rank ? b : a;
                int extra = lower->down + upper->up;
                if (!extra) continue;
                const char *minlen = agget(e, "minlen");
                dot_setf(e, "minlen", "%d", (*minlen ? atoi(minlen) : 1) + extra);
            }
        if (rd->chain.n && !agattr(root, AGEDGE, "style", NULL)) agattr(root, AGEDGE, "style", "");
        for (size_t i = 0; i + 1 < rd->chain.n; i += 2) {
            Agnode_t *a = agnode(root, rd->chain.v[i], 0), *b = agnode(root, rd->chain.v[i + 1], 0);
            if (!a || !b) continue;
            dot_set(dot_edge(root, a, b), "style", "invis");
        }
        Agnode_t *x = rd->beside ? agnode(root, rd->beside, 0) : NULL;
        Agnode_t *legend = agnode(root, DOT_LEGEND_NAME, 0);
        if (x && legend) {
            Agraph_t *same = dot_subgraph(root, "rows:legend");
            agsubnode(same, x, 1);
            agsubnode(same, legend, 1);
            agsafeset(same, "rank", "same", "");
        }
    }
}

/* How much a picture of w x h points must shrink to fit width x height (<= 1: fits). */
static double overflow(double w, double h, double width, double height) {
    double x = w / width, y = h / height;
    return x > y ? x : y;
}

int dot_rows_fit(char *(*build)(void *ctx, const dot_rows *rows), void *ctx, double width,
                 double height, double max_area, char **text, double *w, double *h,
                 dot_rows **kept) {
    dot_placed *nodes = NULL;
    size_t n = 0;
    if (kept) *kept = NULL;
    *text = build(ctx, NULL);
    if (dot_layout_nodes(*text, w, h, &nodes, &n) != 0) return -1;
    dot_rows *rows = NULL;
    /* rows trade width for height: no help to a picture too tall, nor
     * (when max_area is given) to one too large in all */
    int hopeless = max_area > 0 && *w * *h > max_area;
    for (int k = 0; !hopeless && k<DOT_ROWS_ROUNDS && * w> width && *w / width > *h / height; k++) {
        if (!dot_rows_plan(&rows, nodes, n, *w, width, height)) break;
        dot_placed_free(nodes, n);
        nodes = NULL;
        double w2, h2;
        char *wrapped = build(ctx, rows);
        /* a round that does not help is taken back, and ends the rounds */
        if (dot_layout_nodes(wrapped, &w2, &h2, &nodes, &n) != 0 ||
            overflow(w2, h2, width, height) >= overflow(*w, *h, width, height)) {
            free(wrapped);
            round_free(&rows->rounds.v[--rows->rounds.n]);
            break;
        }
        free(*text);
        *text = wrapped;
        *w = w2;
        *h = h2;
    }
    dot_placed_free(nodes, n);
    if (kept && rows && rows->rounds.n)
        *kept = rows;
    else
        dot_rows_free(rows);
    return 0;
}
