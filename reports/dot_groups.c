/*
 * dot_groups.c - the grouped view of a large plan (svcgroups.h): what the
 * service view becomes when it holds too many services to read.  The
 * overview draws one node per group of services (by folder) and the
 * interfaces between groups merged per pair; an expanded view draws the
 * services of one group, the interfaces between them, and the other
 * groups it calls or is called from, one node each.  Only the strongest
 * links are drawn (DOT_GROUP_EDGES_PER_NODE per node, DOT_GROUP_EDGES_MIN
 * at least); the title counts the others.  Shared state is not drawn here
 * (the service view and the HTML report's panels show it).
 *
 * Node ids: "s<service>" and "G<group>"; edge ids: "i<interface>" for one
 * interface inside the expanded group, else "E<from>-<to>" with the node
 * ids of its ends.  Order: nodes by group, then service; edges by ends.
 */
#include "reports/dot.h"
#include "reports/dot_cgraph.h"
#include "reports/svcgroups.h"

#include <stdlib.h>
#include <string.h>

static const char *const GRAPH_ATTRS[] = {
    "label", "", "labelloc", "t", "fontsize", "16", "rankdir", "TB", "nodesep", "0.4",
    "ranksep", "0.8", NULL};
static const char *const EDGE_ATTRS[] = {
    "color", DOT_SERVICE_LINE, "fontcolor", DOT_SERVICE_LINE, "fontsize", "11", "penwidth", "1",
    "label", "", "tooltip", "", "id", "", "minlen", "1", NULL};

/* Boxes a screen holds side by side: a view of no more is never wrapped. */
enum { ROW_BOXES = 6 };
/* Links of one other group with more of the expanded group's components
 * than this are drawn as one (merge_fans). */
enum { GROUP_FAN = 8 };

/* A link between two node keys: k < ns is service k, else group k - ns. */
typedef struct link {
    size_t from, to;
    long sites;
    size_t interfaces;
    size_t first; /* its first interface */
} link;

static int cmp_ends(const void *a, const void *b) {
    const link *x = a, *y = b;
    if (x->from != y->from) return x->from < y->from ? -1 : 1;
    return (x->to > y->to) - (x->to < y->to);
}

static int cmp_strength(const void *a, const void *b) {
    const link *x = a, *y = b;
    if (x->sites != y->sites) return x->sites > y->sites ? -1 : 1;
    return cmp_ends(a, b);
}

static char *key_id(size_t key, size_t ns) {
    return key < ns ? xasprintf("s%zu", key) : xasprintf("G%zu", key - ns);
}

static Agnode_t *key_node(Agraph_t *root, const plan *p, const svcgroups *gr, size_t key) {
    size_t ns = p->services.n;
    return key < ns ? dot_node(root, "service", p->services.v[key].name)
                    : dot_node(root, "group", gr->names[key - ns]);
}

static void add_group(Agraph_t *root, const plan *p, const svcgroups *gr, size_t k, int context) {
    size_t ns = p->services.n, funcs = 0, libs = 0;
    long loc = 0;
    strbuf tip = {0};
    size_t listed = 0;
    for (size_t s = 0; s < ns; s++) {
        if (gr->of[s] != k) continue;
        const plan_service *sv = &p->services.v[s];
        funcs += sv->funcs.n;
        loc += sv->loc;
        libs += sv->kind == PLAN_LIBRARY;
        if (listed < 30) {
            if (listed) strbuf_add(&tip, ", ");
            dot_text_add(&tip, sv->name);
        } else if (listed == 30) {
            strbuf_printf(&tip, " and %zu more", gr->members[k] - 30);
        }
        listed++;
    }
    Agnode_t *n = dot_node(root, "group", gr->names[k]);
    dot_setf(n, "id", "G%zu", k);
    strbuf b = {0};
    dot_text_add(&b, gr->names[k]);
    strbuf_printf(&b, "\\n%zu component%s · %zu functions · %ld lines", gr->members[k],
                  gr->members[k] == 1 ? "" : "s", funcs, loc);
    if (libs) strbuf_printf(&b, "\\n%zu librar%s", libs, libs == 1 ? "y" : "ies");
    dot_set(n, "label", b.v);
    dot_set(n, "tooltip", tip.v ? tip.v : "");
    dot_style_component(n, libs == gr->members[k] ? PLAN_LIBRARY : PLAN_SERVICE);
    if (context) {
        dot_set(n, "style", libs == gr->members[k] ? "filled,dashed" : "rounded,filled,dashed");
        dot_set(n, "fontsize", "12");
    }
    free(b.v);
    free(tip.v);
}

static void add_service(Agraph_t *root, const plan *p, size_t s) {
    strbuf b = {0};
    Agnode_t *n = dot_component(root, p, s, &b);
    dot_set(n, "label", b.v);
    free(b.v);
}

/*
 * In the view of group `expand`, another group linked (one way) with more
 * than GROUP_FAN of its components gets one link to the group as a whole
 * (key ns + expand) instead: hundreds of links from one node make a row
 * of hundreds of boxes no wrapping can break (PostgreSQL's
 * backend/commands calls 227 of its own SQL functions).  links[0..*n) are
 * sorted by ends; they stay so.  Returns how many links were merged.
 */
static size_t merge_fans(link *links, size_t *n, size_t ns, size_t expand) {
    size_t merged = 0, whole = ns + expand;
    for (int out = 0; out < 2; out++) {
        /* the other end of each link between a member and another group */
        for (size_t i = 0; i < *n; i++) {
            size_t other = out ? links[i].from : links[i].to;
            size_t mine = out ? links[i].to : links[i].from;
            if (other < ns || mine >= ns) continue;
            size_t count = 0;
            for (size_t k = 0; k < *n; k++)
                count += (out ? links[k].from : links[k].to) == other &&
                         (out ? links[k].to : links[k].from) < ns;
            if (count <= GROUP_FAN) continue;
            link fan = {out ? other : whole, out ? whole : other, 0, 0, PLAN_NONE};
            size_t m = 0;
            for (size_t k = 0; k < *n; k++) {
                link l = links[k];
                if ((out ? l.from : l.to) == other && (out ? l.to : l.from) < ns) {
                    fan.sites += l.sites;
                    fan.interfaces += l.interfaces;
                    if (fan.first == PLAN_NONE || l.first < fan.first) fan.first = l.first;
                    merged++;
                } else {
                    links[m++] = l;
                }
            }
            links[m++] = fan;
            *n = m;
            qsort(links, *n, sizeof *links, cmp_ends);
            i = (size_t)-1; /* again from the start: the links moved */
        }
    }
    return merged;
}

/* What a grouped view draws, decided before drawing (dot_rows_fit may
 * draw it more than once). */
typedef struct drawing {
    const plan *p;
    const svcgroups *gr;
    size_t expand;
    dot_options o;
    const link *links; /* the links drawn, by ends */
    size_t n;
    const unsigned char *shown; /* per node key */
    size_t may, small, weak;
    long weak_sites;
    size_t fans; /* links merged by merge_fans: the members go in a cluster */
} drawing;

/* The view, its wide ranks in rows (NULL: none). */
static char *draw(void *ctx, const dot_rows *rows) {
    const drawing *d = ctx;
    const plan *p = d->p;
    const svcgroups *gr = d->gr;
    size_t ns = p->services.n, expand = d->expand;
    dot_doc *doc = dot_doc_new("groups");
    Agraph_t *root = dot_doc_graph(doc);
    dot_declare(root, AGRAPH, GRAPH_ATTRS);
    dot_declare(root, AGNODE, DOT_COMPONENT_NODE_ATTRS);
    dot_declare(root, AGEDGE, EDGE_ATTRS);
    strbuf t = {0};
    char *name = view_project_name(p->g);
    dot_text_add(&t, name);
    free(name);
    if (expand == PLAN_NONE) {
        strbuf_printf(&t, ": %zu components in %zu groups by folder", ns, gr->n);
    } else {
        strbuf_add(&t, ": group ");
        dot_text_add(&t, gr->names[expand]);
        strbuf_printf(&t, " (%zu component%s) and the groups it calls or is called from",
                      gr->members[expand], gr->members[expand] == 1 ? "" : "s");
    }
    if (d->weak)
        strbuf_printf(&t, "\\nthe %zu strongest links drawn; %zu weaker (%ld call sites) not drawn",
                      d->n, d->weak, d->weak_sites);
    if (d->may)
        strbuf_printf(&t, "\\n%zu may-call interface%s hidden", d->may, d->may == 1 ? "" : "s");
    if (d->small)
        strbuf_printf(&t, "\\n%zu link%s under %d call sites hidden", d->small,
                      d->small == 1 ? "" : "s", d->o.min_sites);
    dot_set(root, "label", t.v);
    free(t.v);

    for (size_t k = 0; k < gr->n; k++)
        if (d->shown[ns + k]) add_group(root, p, gr, k, expand != PLAN_NONE);
    /* with merged fans, the group's components in a cluster the merged
     * links end at (compound: drawn to its border, from its first box) */
    Agraph_t *members = root;
    Agnode_t *first = NULL;
    if (d->fans) {
        agattr(root, AGRAPH, "compound", "true");
        agattr(root, AGEDGE, "lhead", "");
        agattr(root, AGEDGE, "ltail", "");
        members = dot_subgraph(root, "cluster_members");
        dot_set_text(members, "label", gr->names[expand]);
    }
    for (size_t s = 0; s < ns; s++) {
        if (!d->shown[s]) continue;
        add_service(members, p, s);
        if (!first && gr->of[s] == expand) first = dot_node(root, "service", p->services.v[s].name);
    }
    size_t whole = expand == PLAN_NONE ? PLAN_NONE : ns + expand; /* no link ends there */
    for (size_t i = 0; i < d->n; i++) {
        const link *l = &d->links[i];
        Agnode_t *from = l->from == whole ? first : key_node(root, p, gr, l->from);
        Agnode_t *to = l->to == whole ? first : key_node(root, p, gr, l->to);
        Agedge_t *e = dot_edge(root, from, to);
        if (l->from == whole) dot_set(e, "ltail", "cluster_members");
        if (l->to == whole) dot_set(e, "lhead", "cluster_members");
        if (l->from < ns && l->to < ns) {
            dot_setf(e, "id", "i%zu", l->first);
        } else {
            char *a = key_id(l->from, ns), *b = key_id(l->to, ns);
            dot_setf(e, "id", "E%s-%s", a, b);
            free(a);
            free(b);
        }
        /* the other groups around one expanded group would stand in one
         * row, a picture many times wider than high: three rows */
        size_t other = l->from >= ns && l->from != whole ? l->from
                       : l->to >= ns && l->to != whole   ? l->to
                                                         : 0;
        if (expand != PLAN_NONE && other) dot_setf(e, "minlen", "%zu", 1 + (other - ns) % 3);
        dot_setf(e, "label", "%ld site%s", l->sites, l->sites == 1 ? "" : "s");
        dot_setf(e, "penwidth", "%d", dot_penwidth(l->sites > 1000000 ? 1000000 : (int)l->sites));
        dot_setf(e, "tooltip", "%ld call site%s in %zu interface%s", l->sites,
                 l->sites == 1 ? "" : "s", l->interfaces, l->interfaces == 1 ? "" : "s");
    }
    dot_key keys[4];
    size_t nk = 0;
    keys[nk++] = (dot_key){.fill = DOT_SERVICE_FILL,
                           .meaning = expand == PLAN_NONE
                                          ? "a group: the components of one folder"
                                          : "a component of the group (dashed: another group)"};
    keys[nk++] = DOT_KEY_LIBRARY;
    keys[nk++] = (dot_key){.ink = DOT_SERVICE_LINE, .sample = "──▶",
                           .meaning = "calls: call sites, width grows with them"};
    dot_legend(root, keys, nk);
    dot_tune(root, (size_t)agnnodes(root) + (size_t)agnedges(root));
    dot_rows_apply(root, rows);
    return dot_doc_finish(doc);
}

char *dot_groups_text(const plan *p, const svcgroups *gr, size_t expand, const dot_options *o) {
    size_t ns = p->services.n;
    dot_options opt = {0};
    if (o) opt = *o;
    /* the links: interfaces mapped to their ends' keys, merged per pair */
    struct { link *v; size_t n, cap; } all = {0};
    size_t may = 0;
    for (size_t i = 0; i < p->interfaces.n; i++) {
        const plan_interface *x = &p->interfaces.v[i];
        long sites = x->sites - (opt.hide_may ? x->sites_by[EV_TYPE] : 0);
        if (sites <= 0) {
            may++;
            continue;
        }
        size_t gf = gr->of[x->from], gt = gr->of[x->to];
        link l = {0, 0, sites, 1, i};
        if (expand == PLAN_NONE) {
            if (gf == gt) continue;
            l.from = ns + gf, l.to = ns + gt;
        } else {
            if (gf != expand && gt != expand) continue;
            l.from = gf == expand ? x->from : ns + gf;
            l.to = gt == expand ? x->to : ns + gt;
        }
        VEC_PUSH(all, l);
    }
    if (all.n > 1) qsort(all.v, all.n, sizeof *all.v, cmp_ends);
    size_t m = 0;
    for (size_t i = 0; i < all.n; i++) {
        if (m && cmp_ends(&all.v[m - 1], &all.v[i]) == 0) {
            all.v[m - 1].sites += all.v[i].sites;
            all.v[m - 1].interfaces++;
        } else {
            all.v[m++] = all.v[i];
        }
    }
    all.n = m;
    /* the nodes drawn */
    unsigned char *shown = xcalloc(ns + gr->n + 1, 1);
    size_t nodes = 0;
    for (size_t k = 0; k < gr->n; k++)
        if (expand == PLAN_NONE) shown[ns + k] = 1;
    for (size_t s = 0; s < ns; s++)
        if (expand != PLAN_NONE && gr->of[s] == expand) shown[s] = 1;
    /* the strongest links, then their ends when they are outside groups */
    size_t small = 0, weak = 0;
    long weak_sites = 0;
    m = 0;
    for (size_t i = 0; i < all.n; i++) {
        if (all.v[i].sites < opt.min_sites) small++;
        else all.v[m++] = all.v[i];
    }
    all.n = m;
    if (all.n > 1) qsort(all.v, all.n, sizeof *all.v, cmp_strength);
    for (size_t i = 0; i < ns + gr->n; i++) nodes += shown[i];
    size_t keep = DOT_GROUP_EDGES_PER_NODE * (nodes + 1);
    if (keep < DOT_GROUP_EDGES_MIN) keep = DOT_GROUP_EDGES_MIN;
    if (all.n > keep) {
        for (size_t i = keep; i < all.n; i++) weak_sites += all.v[i].sites;
        weak = all.n - keep;
        all.n = keep;
    }
    if (all.n > 1) qsort(all.v, all.n, sizeof *all.v, cmp_ends);
    for (size_t i = 0; i < all.n; i++) shown[all.v[i].from] = shown[all.v[i].to] = 1;
    size_t fans = expand == PLAN_NONE ? 0 : merge_fans(all.v, &all.n, ns, expand);

    drawing d = {p, gr, expand, opt, all.v, all.n, shown, may, small, weak, weak_sites, fans};
    size_t drawn = 0;
    for (size_t i = 0; i < ns + gr->n; i++) drawn += shown[i];
    char *text = NULL;
    double w, h;
    /* a row of more boxes than a screen holds is broken into rows, which
     * lays it out: not for a view too large for `dot`, nor with no_fit */
    if (opt.no_fit || drawn <= ROW_BOXES || drawn > DOT_RENDER_MAX_SERVICES ||
        all.n > DOT_RENDER_MAX_SERVICE_EDGES)
        text = draw(&d, NULL);
    else
        dot_rows_fit(draw, &d, DOT_SCREEN_W, DOT_SCREEN_H, 0, &text, &w, &h, NULL);
    free(shown);
    free(all.v);
    return text;
}
