/*
 * coarsen.c - merges groups down to a wanted number, most strongly
 * coupled pair first (coarsen.h).
 *
 * Groups live in slots, numbered by their first group number.  A merge
 * keeps the slot whose neighbour list is longer and moves the other's
 * links into it, so a link moves O(log k) times in all.  Links between
 * slots are in one open-addressing table keyed by the slot pair; a moved
 * link is left behind with weight 0, which reads as no link.
 *
 * Candidate pairs wait in a max-heap, ordered by coupling, then by slot
 * numbers.  An entry can be stale: a pair's coupling falls when the
 * smaller group grows (checked when the entry comes up, and pushed again
 * with the lower value) and rises only when its link grows (a new entry is
 * pushed then; the old one is dropped when it comes up).  So the top
 * entry, once checked, is the best pair.
 *
 * Memory: everything is local and freed before returning.
 */
#include "plan/coarsen.h"

#include <stdint.h>
#include <stdlib.h>

#include "util/common.h"

#define NONE ((size_t)-1)

typedef struct cand {
    double s;
    size_t x, y; /* slots, x < y */
} cand;

typedef struct heap {
    cand *v;
    size_t n, cap;
} heap;

typedef struct links {
    uint64_t *key; /* (x << 32 | y) + 1, 0 = empty */
    double *w;
    size_t cap, used;
} links;

typedef struct slotlist {
    size_t *v;
    size_t n, cap;
} slotlist;

typedef struct state {
    links l;
    heap h;
    slotlist *nb;  /* by slot: slots it has had a link with (may repeat) */
    double *vol;   /* by slot */
    size_t *order; /* by slot: its place among the groups (the earliest merged into it) */
    size_t *at;    /* by place: the slot there, NONE once merged away */
    size_t *next, *prev; /* places still held, as a list in order */
    size_t first;
    size_t *parent; /* by slot: the slot it was merged into, or itself */
} state;

/* ---- the pair table ---------------------------------------------------- */

static uint64_t pairkey(size_t x, size_t y) {
    return ((uint64_t)(x < y ? x : y) << 32 | (uint64_t)(x < y ? y : x)) + 1;
}

static size_t slotof(const links *l, uint64_t key) {
    uint64_t h = key * 0x9E3779B97F4A7C15ull;
    size_t i = (size_t)(h >> 20) & (l->cap - 1);
    while (l->key[i] && l->key[i] != key) i = (i + 1) & (l->cap - 1);
    return i;
}

static void growlinks(links *l) {
    links old = *l;
    l->cap = old.cap ? old.cap * 2 : 64;
    l->key = xcalloc(l->cap, sizeof *l->key);
    l->w = xmallocarray(l->cap, sizeof *l->w);
    l->used = 0;
    for (size_t i = 0; i < old.cap; i++)
        if (old.key[i] && old.w[i] > 0) {
            size_t j = slotof(l, old.key[i]);
            l->key[j] = old.key[i];
            l->w[j] = old.w[i];
            l->used++;
        }
    free(old.key);
    free(old.w);
}

/* The link weight of x and y, created at 0 when absent. */
static double *link(links *l, size_t x, size_t y) {
    if ((l->used + 1) * 2 > l->cap) growlinks(l);
    uint64_t key = pairkey(x, y);
    size_t i = slotof(l, key);
    if (!l->key[i]) {
        l->key[i] = key;
        l->w[i] = 0;
        l->used++;
    }
    return &l->w[i];
}

/* ---- the heap of candidate pairs --------------------------------------- */

static int before(const cand *a, const cand *b) {
    if (a->s != b->s) return a->s > b->s;
    if (a->x != b->x) return a->x < b->x;
    return a->y < b->y;
}

static void siftdown(heap *h, size_t i) {
    for (;;) {
        size_t l = 2 * i + 1, best = i;
        if (l < h->n && before(&h->v[l], &h->v[best])) best = l;
        if (l + 1 < h->n && before(&h->v[l + 1], &h->v[best])) best = l + 1;
        if (best == i) return;
        cand t = h->v[i];
        h->v[i] = h->v[best];
        h->v[best] = t;
        i = best;
    }
}

static void push(heap *h, cand c) {
    VEC_PUSH(*h, c);
    for (size_t i = h->n - 1; i > 0;) {
        size_t p = (i - 1) / 2;
        if (!before(&h->v[i], &h->v[p])) break;
        cand t = h->v[i];
        h->v[i] = h->v[p];
        h->v[p] = t;
        i = p;
    }
}

static cand pop(heap *h) {
    cand top = h->v[0];
    h->v[0] = h->v[--h->n];
    siftdown(h, 0);
    return top;
}

/* ---- merging ----------------------------------------------------------- */

static double coupling(const state *st, double w, size_t x, size_t y) {
    double m = st->vol[x] < st->vol[y] ? st->vol[x] : st->vol[y];
    return w / (m > 0 ? m : 1);
}

static cand candof(const state *st, double w, size_t x, size_t y) {
    cand c = {coupling(st, w, x, y), x < y ? x : y, x < y ? y : x};
    return c;
}

/* Drops place o from the list of places held. */
static void unplace(state *st, size_t o) {
    if (st->prev[o] != NONE) st->next[st->prev[o]] = st->next[o];
    else st->first = st->next[o];
    if (st->next[o] != NONE) st->prev[st->next[o]] = st->prev[o];
    st->at[o] = NONE;
}

static void merge(state *st, size_t x, size_t y) {
    size_t keep = st->nb[x].n >= st->nb[y].n ? x : y, gone = keep == x ? y : x;
    size_t ok = st->order[keep], og = st->order[gone];
    if (og < ok) {
        unplace(st, ok);
        st->order[keep] = og;
        st->at[og] = keep;
    } else {
        unplace(st, og);
    }
    st->parent[gone] = keep;
    st->vol[keep] += st->vol[gone];
    *link(&st->l, keep, gone) = 0;
    slotlist moved = st->nb[gone];
    st->nb[gone] = (slotlist){0};
    for (size_t i = 0; i < moved.n; i++) {
        size_t c = moved.v[i];
        if (c == keep || st->parent[c] != c) continue;
        double *from = link(&st->l, gone, c);
        double w = *from;
        if (w <= 0) continue; /* listed twice, already moved */
        *from = 0;
        double *to = link(&st->l, keep, c);
        if (*to <= 0) {
            VEC_PUSH(st->nb[keep], c);
            VEC_PUSH(st->nb[c], keep);
        }
        *to += w;
        push(&st->h, candof(st, *to, keep, c));
    }
    free(moved.v);
}

/* The best linked pair still standing, or 0 when there is none. */
static int best(state *st, size_t *x, size_t *y) {
    while (st->h.n) {
        cand c = pop(&st->h);
        if (st->parent[c.x] != c.x || st->parent[c.y] != c.y) continue;
        double *w = link(&st->l, c.x, c.y);
        if (*w <= 0) continue;
        double s = coupling(st, *w, c.x, c.y);
        if (s > c.s) continue; /* a newer entry holds the grown link */
        if (s < c.s) {
            c.s = s;
            push(&st->h, c);
            continue;
        }
        *x = c.x, *y = c.y;
        return 1;
    }
    return 0;
}

static size_t root(size_t *parent, size_t s) {
    size_t r = s;
    while (parent[r] != r) r = parent[r];
    while (parent[s] != r) {
        size_t up = parent[s];
        parent[s] = r;
        s = up;
    }
    return r;
}

size_t coarsen_groups(const wgraph *w, size_t n, size_t *group, size_t k, size_t want,
                      const unsigned char *fixed) {
    size_t nfixed = 0;
    for (size_t s = 0; fixed && s < k; s++) nfixed += fixed[s] != 0;
    if (want < nfixed + 1) want = nfixed + 1;
    if (k <= want) return k;
    state st = {0};
    st.nb = xcalloc(k, sizeof *st.nb);
    st.vol = xcalloc(k, sizeof *st.vol);
    st.order = xmallocarray(k, sizeof *st.order);
    st.at = xmallocarray(k, sizeof *st.at);
    st.next = xmallocarray(k, sizeof *st.next);
    st.prev = xmallocarray(k, sizeof *st.prev);
    st.parent = xmallocarray(k, sizeof *st.parent);
    for (size_t s = 0; s < k; s++) {
        st.order[s] = st.at[s] = st.parent[s] = s;
        st.next[s] = s + 1 < k ? s + 1 : NONE;
        st.prev[s] = s ? s - 1 : NONE;
    }
    st.first = 0;
    for (size_t v = 0; v < n; v++)
        for (size_t p = w->off[v]; p < w->off[v + 1]; p++) {
            size_t u = w->adj[p], a = group[v];
            st.vol[a] += w->w[p];
            /* each pair summed from the rows of its earlier group */
            if (u >= n || group[u] <= a) continue;
            if (fixed && (fixed[a] || fixed[group[u]])) continue; /* never merged */
            double *l = link(&st.l, a, group[u]);
            if (*l <= 0) {
                VEC_PUSH(st.nb[a], group[u]);
                VEC_PUSH(st.nb[group[u]], a);
            }
            *l += w->w[p];
        }
    for (size_t i = 0; i < st.l.cap; i++)
        if (st.l.key[i]) {
            size_t x = (size_t)((st.l.key[i] - 1) >> 32), y = (size_t)((st.l.key[i] - 1) & 0xffffffffu);
            push(&st.h, candof(&st, st.l.w[i], x, y));
        }
    for (size_t left = k; left > want; left--) {
        size_t x, y;
        if (!best(&st, &x, &y)) {
            /* nothing linked is left: the two first groups not fixed */
            size_t o = st.first;
            while (fixed && fixed[st.at[o]]) o = st.next[o];
            size_t q = st.next[o];
            while (fixed && fixed[st.at[q]]) q = st.next[q];
            x = st.at[o];
            y = st.at[q];
        }
        merge(&st, x, y);
    }
    /* places still held, in order, are the new numbers */
    size_t *num = xmallocarray(k, sizeof *num), next = 0;
    for (size_t o = st.first; o != NONE; o = st.next[o]) num[st.at[o]] = next++;
    for (size_t v = 0; v < n; v++) group[v] = num[root(st.parent, group[v])];
    free(num);
    for (size_t s = 0; s < k; s++) free(st.nb[s].v);
    free(st.nb);
    free(st.vol);
    free(st.order);
    free(st.at);
    free(st.next);
    free(st.prev);
    free(st.parent);
    free(st.l.key);
    free(st.l.w);
    free(st.h.v);
    return want;
}
