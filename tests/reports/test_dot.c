/*
 * test_dot.c - the DOT writers and the renderer.  Golden service and
 * function views of fixtures/demo under a hand-made plan; every DOT text
 * read back with cgraph's own reader (agmemread) and laid out with libgvc;
 * the odd names of fixtures/odd_names coming back as node names and
 * showing exactly in the SVG; cycle highlighting; dot_write_plan's files,
 * its skip of big function views, and errors.
 *
 * This test links Graphviz itself to check cleave's output independently
 * (cleave's own Graphviz code stays in reports/dot*.c).
 * CLEAVE_UPDATE_GOLDEN=1 rewrites the golden files instead of comparing.
 */
#define _GNU_SOURCE
#include <graphviz/cgraph.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reports/dot.h"
#include "handplan.h"
#include "plan/fitness.h"
#include "scan/merge.h"
#include "test.h"
#include "reports/svcgroups.h"
#include "reports/view.h"

/* text against fixtures/<fixture>/<name>, or rewrites it on request. */
static void golden(const char *fixture, const char *name, const char *text) {
    char *path = xasprintf("%s/fixtures/%s/%s", CLEAVE_SOURCE_DIR, fixture, name);
    const char *update = getenv("CLEAVE_UPDATE_GOLDEN");
    if (update && strcmp(update, "1") == 0) {
        CHECK(file_write_atomic(path, text, strlen(text)) == 0);
        chmod(path, 0644);
        printf("updated %s\n", path);
    } else {
        char *want = file_read_all(path, NULL);
        if (!want) fprintf(stderr, "%s is missing: run with CLEAVE_UPDATE_GOLDEN=1\n", path);
        else if (strcmp(want, text) != 0) fprintf(stderr, "%s differs from the output\n", path);
        CHECK(want && strcmp(want, text) == 0);
        free(want);
    }
    free(path);
}

/* The name cleave gives a node: "<kind>:<key>", each `\` as U+29F5. */
static char *node_name(const char *kind, const char *key) {
    strbuf b = {0};
    strbuf_printf(&b, "%s:", kind);
    for (const char *s = key; *s; s++)
        strbuf_add(&b, *s == '\\' ? "\xe2\xa7\xb5" : (char[2]){*s, 0});
    return b.v;
}

/* Reads text back with cgraph; stops the case when it cannot. */
static Agraph_t *reread(const char *text) {
    Agraph_t *g = agmemread(text);
    REQUIRE(g != NULL);
    return g;
}

static int has_node(Agraph_t *g, const char *kind, const char *key) {
    char *name = node_name(kind, key);
    Agnode_t *n = agnode(g, name, 0);
    if (!n) fprintf(stderr, "no node \"%s\"\n", name);
    free(name);
    return n != NULL;
}

/* Lays text out and renders it; returns the SVG (the caller frees it). */
static char *svg_of(const char *text) {
    char *svg = NULL, *err = NULL;
    size_t len = 0;
    int rc = dot_render("test", text, "svg", &svg, &len, &err);
    if (rc != 0) fprintf(stderr, "%s\n", err);
    CHECK(rc == 0 && svg && len == strlen(svg) && strstr(svg, "</svg>"));
    free(err);
    return svg;
}

/* The SVG shows text exactly: as one <text> element, XML-escaped. */
static int shows(const char *svg, const char *text) {
    strbuf b = {0};
    strbuf_add(&b, ">");
    for (const char *s = text; *s; s++) {
        switch (*s) {
        case '"': strbuf_add(&b, "&quot;"); break;
        case '&': strbuf_add(&b, "&amp;"); break;
        case '<': strbuf_add(&b, "&lt;"); break;
        case '>': strbuf_add(&b, "&gt;"); break;
        default: strbuf_addn(&b, s, 1);
        }
    }
    strbuf_add(&b, "</text>");
    int found = svg && strstr(svg, b.v) != NULL;
    if (!found) fprintf(stderr, "the SVG does not show %s\n", b.v);
    free(b.v);
    return found;
}

static void demo(void) {
    graph *g = fixture_graph("demo");
    REQUIRE(g != NULL);
    plan *p = handplan(g);
    char *services = dot_services_text(p, NULL), *functions = dot_functions_text(p);
    char *again = dot_services_text(p, NULL);
    CHECK_STR(again, services); /* deterministic */
    free(again);
    golden("demo", "expected_services.dot", services);
    golden("demo", "expected_functions.dot", functions);

    Agraph_t *sg = reread(services);
    for (size_t s = 0; s < p->services.n; s++)
        CHECK(has_node(sg, "service", p->services.v[s].name));
    CHECK(has_node(sg, "legend", ""));
    Agnode_t *util = agnode(sg, "service:util", 0);
    CHECK(util && strcmp(agget(util, "shape"), "component") == 0);
    /* one edge per interface between services */
    int interfaces = 0;
    for (Agnode_t *n = agfstnode(sg); n; n = agnxtnode(sg, n))
        for (Agedge_t *e = agfstout(sg, n); e; e = agnxtout(sg, e))
            interfaces += strncmp(agnameof(aghead(e)), "service:", 8) == 0 &&
                          strstr(agget(e, "label"), "site");
    CHECK_INT(interfaces, p->interfaces.n);
    agclose(sg);
    /* with the traffic model, each interface says its calls per second */
    fitness_compute(p, NULL, 0);
    dot_options whole = {.no_fit = 1};
    char *rated = dot_services_text(p, &whole);
    sg = reread(rated);
    int rates = 0;
    for (Agnode_t *n = agfstnode(sg); n; n = agnxtnode(sg, n))
        for (Agedge_t *e = agfstout(sg, n); e; e = agnxtout(sg, e))
            rates += strncmp(agnameof(aghead(e)), "service:", 8) == 0 &&
                     strstr(agget(e, "label"), "/s") &&
                     strstr(agget(e, "tooltip"), " calls/s under the traffic model");
    CHECK_INT(rates, p->interfaces.n);
    agclose(sg);
    free(rated);
    Agraph_t *fg = reread(functions);
    CHECK(agsubg(fg, "cluster_billing", 0) != NULL);
    CHECK(agsubg(fg, "cluster_util", 0) == NULL); /* a library is one node */
    CHECK(has_node(fg, "library", "util"));
    CHECK(has_node(fg, "function", "src/orders/handlers.c:load"));
    Agnode_t *entry = agnode(fg, "function:billing_charge", 0);
    CHECK(entry && strcmp(agget(entry, "fillcolor"), "white") != 0);
    CHECK_INT(agnnodes(fg), dot_functions_count(p) + 2); /* + util, legend */
    agclose(fg);
    char *svg = svg_of(services);
    CHECK(shows(svg, "billing"));
    CHECK(shows(svg, "Legend"));
    free(svg);
    svg = svg_of(functions);
    CHECK(shows(svg, "orders_cmd_checkout"));
    free(svg);
    free(services);
    free(functions);
    plan_free(p);
    graph_free(g);
}

/* Names with a quote, spaces, backslashes and UTF-8 survive every view. */
static void odd_names(void) {
    graph *g = fixture_graph("odd_names");
    REQUIRE(g != NULL);
    plan *p = handplan(g);
    char *services = dot_services_text(p, NULL), *functions = dot_functions_text(p);
    Agraph_t *x = reread(services);
    for (size_t s = 0; s < p->services.n; s++)
        CHECK(has_node(x, "service", p->services.v[s].name));
    CHECK(has_node(x, "state", "odd_count"));
    agclose(x);
    x = reread(functions);
    for (size_t f = 0; f < g->funcs.n; f++)
        if (g->funcs.v[f].defined) CHECK(has_node(x, "function", g->funcs.v[f].id));
    agclose(x);
    char *svg = svg_of(functions);
    for (size_t s = 0; s < p->services.n; s++) CHECK(svg && strstr(svg, p->services.v[s].name));
    free(svg);
    free(services);
    free(functions);

    const char *files[] = {"sp ace.c", "quote\"d.c", "日本.c", "back\\slash.c", "x.c"};
    const char *dirs[] = {"my dir", "ünï", "trail\\", "."};
    for (unsigned level = VIEW_FUNCTION; level <= VIEW_DIR; level++) {
        view_options o = {level, NULL, 0};
        view *v = NULL;
        char *err = NULL;
        REQUIRE(view_build(g, NULL, &o, &v, &err) == 0);
        char *text = dot_view_text(v, NULL);
        x = reread(text);
        static const char *const kinds[] = {"function", "file", "dir"};
        for (size_t i = 0; i < v->nodes.n; i++)
            CHECK(has_node(x, kinds[level], v->nodes.v[i].id));
        agclose(x);
        svg = svg_of(text);
        if (level == VIEW_FUNCTION)
            CHECK(shows(svg, "my dir/quote\"d.c") && shows(svg, "ünï/日本.c"));
        for (size_t i = 0; level == VIEW_FILE && i < 5; i++) CHECK(shows(svg, files[i]));
        for (size_t i = 0; level == VIEW_DIR && i < 4; i++) CHECK(shows(svg, dirs[i]));
        free(svg);
        free(text);
        view_free(v);
    }
    plan_free(p);
    graph_free(g);
}

static Agedge_t *find_edge(Agraph_t *g, const char *from, const char *to) {
    Agnode_t *a = agnode(g, (char *)from, 0), *b = agnode(g, (char *)to, 0);
    return a && b ? agedge(g, a, b, NULL, 0) : NULL;
}

/* a <-> b is a cycle: the lighter direction (b -> a, one site) is the
 * interface to cut; c -> a is on no cycle. */
static void cycles(void) {
    facts *t[3] = {facts_new("a/a.c"), facts_new("b/b.c"), facts_new("c/c.c")};
    hand_func(t[0], "a1", 1, 3);
    hand_func(t[0], "a2", 1, 3);
    hand_func(t[1], "b1", 1, 3);
    hand_func(t[2], "c1", 1, 3);
    hand_calls(t[0], "a1", "b1", 2, 3);
    hand_calls(t[1], "b1", "a2", 2, 1);
    hand_calls(t[2], "c1", "a1", 2, 2);
    graph *g = merge_facts(t, 3, ".");
    plan *p = handplan(g);
    CHECK_INT(p->services.n, 3);
    char *text = dot_services_text(p, NULL);
    Agraph_t *x = reread(text);
    Agedge_t *ab = find_edge(x, "service:a", "service:b"),
             *ba = find_edge(x, "service:b", "service:a");
    Agedge_t *ca = find_edge(x, "service:c", "service:a");
    REQUIRE(ab && ba && ca);
    CHECK_STR(agget(ba, "color"), "#c0392b");
    CHECK(strcmp(agget(ab, "color"), "#c0392b") != 0);
    CHECK(strcmp(agget(ca, "color"), "#c0392b") != 0);
    CHECK_STR(agget(ab, "label"), "3 sites");
    CHECK_STR(agget(ab, "penwidth"), "2");
    CHECK_STR(agget(agnode(x, "service:a", 0), "color"), "#c0392b");
    CHECK(strcmp(agget(agnode(x, "service:c", 0), "color"), "#c0392b") != 0);
    CHECK(strstr(agget(x, "label"), "2 services on dependency cycles") != NULL);
    agclose(x);
    free(text);
    plan_free(p);
    graph_free(g);
    for (int i = 0; i < 3; i++) facts_free(t[i]);
}

static int exists(const char *dir, const char *name) {
    char *path = path_join(dir, name);
    struct stat st;
    int ok = stat(path, &st) == 0 && st.st_size > 0;
    free(path);
    return ok;
}

/* dot_write_plan: all four files, then a function view too big to lay out:
 * its DOT is written, its SVG skipped with a note. */
static void write_plan(void) {
    char dir[] = "/tmp/cleave-test-dot-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    graph *g = fixture_graph("demo");
    plan *p = g ? handplan(g) : NULL;
    strvec written = {0};
    char *note = NULL, *err = NULL;
    CHECK(p && dot_write_plan(p, dir, 1, NULL, &written, NULL, &note, &err) == 0);
    CHECK_INT(written.n, 4);
    CHECK(note == NULL);
    CHECK(exists(dir, "services.dot") && exists(dir, "services.svg"));
    CHECK(exists(dir, "functions.dot") && exists(dir, "functions.svg"));
    strvec_free(&written);
    plan_free(p);
    graph_free(g);

    facts *t = facts_new("big/big.c");
    char name[32];
    for (int i = 0; i <= DOT_RENDER_MAX_FUNCTIONS; i++) {
        snprintf(name, sizeof name, "f%04d", i);
        hand_func(t, name, 1, 3);
        if (i) {
            char prev[32];
            snprintf(prev, sizeof prev, "f%04d", i - 1);
            hand_calls(t, prev, name, 2, 1);
        }
    }
    g = merge_facts(&t, 1, ".");
    p = handplan(g);
    char *big = path_join(dir, "big");
    CHECK(mkdir(big, 0777) == 0);
    CHECK(dot_write_plan(p, big, 1, NULL, &written, NULL, &note, &err) == 0);
    CHECK_INT(written.n, 3);
    CHECK(exists(big, "functions.dot") && !exists(big, "functions.svg") &&
          exists(big, "services.svg"));
    CHECK(note && strstr(note, "cleave graph") && strstr(note, "--focus"));
    free(note);
    strvec_free(&written);
    plan_free(p);
    graph_free(g);
    facts_free(t);

    /* few functions with more calls than dot lays out in reasonable time:
     * written, not drawn, and the note counts the calls */
    t = facts_new("busy/busy.c");
    int nbusy = 0;
    while (nbusy * (nbusy - 1) <= DOT_RENDER_MAX_FUNCTION_CALLS) nbusy++;
    for (int i = 0; i < nbusy; i++) {
        snprintf(name, sizeof name, "b%03d", i);
        hand_func(t, name, 1, 3);
    }
    for (int i = 0; i < nbusy; i++)
        for (int j = 0; j < nbusy; j++) {
            char from[32];
            snprintf(from, sizeof from, "b%03d", i);
            snprintf(name, sizeof name, "b%03d", j);
            if (i != j) hand_calls(t, from, name, 2, 1);
        }
    g = merge_facts(&t, 1, ".");
    p = handplan(g);
    CHECK(dot_functions_count(p) <= DOT_RENDER_MAX_FUNCTIONS);
    CHECK_INT(dot_functions_calls(p), nbusy * (nbusy - 1));
    char *busy = path_join(dir, "busy");
    CHECK(mkdir(busy, 0777) == 0);
    CHECK(dot_write_plan(p, busy, 1, NULL, &written, NULL, &note, &err) == 0);
    CHECK(exists(busy, "functions.dot") && !exists(busy, "functions.svg") &&
          exists(busy, "services.svg"));
    CHECK(note && strstr(note, "calls between its") && strstr(note, "--focus"));
    free(note);
    strvec_free(&written);
    free(busy);
    plan_free(p);
    graph_free(g);
    facts_free(t);

    /* a function view too big to write: no functions.dot, a note even
     * without rendering */
    t = facts_new("huge/huge.c");
    for (int i = 0; i <= DOT_WRITE_MAX_FUNCTIONS; i++) {
        snprintf(name, sizeof name, "h%05d", i);
        hand_func(t, name, 1, 3);
    }
    g = merge_facts(&t, 1, ".");
    p = handplan(g);
    char *huge = path_join(dir, "huge");
    CHECK(mkdir(huge, 0777) == 0);
    CHECK(dot_write_plan(p, huge, 0, NULL, &written, NULL, &note, &err) == 0);
    CHECK_INT(written.n, 1);
    CHECK(exists(huge, "services.dot") && !exists(huge, "functions.dot"));
    CHECK(note && strstr(note, "functions.dot not written") && strstr(note, "--focus"));
    free(note);
    strvec_free(&written);
    free(huge);

    /* an unwritable directory: an error naming the file */
    char *missing = path_join(dir, "missing/deeper");
    CHECK(dot_write_plan(p, missing, 0, NULL, &written, NULL, &note, &err) == -1);
    CHECK(err && strstr(err, "missing/deeper/services.dot: cannot write") != NULL);
    CHECK_INT(written.n, 0);
    free(err);
    free(missing);
    plan_free(p);
    graph_free(g);
    facts_free(t);
    char *cmd = xasprintf("rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
    free(cmd);
    free(big);
}

static void render_errors(void) {
    char *out = NULL, *err = NULL;
    size_t len = 0;
    CHECK(dot_render("broken.dot", "digraph { a -> }", "svg", &out, &len, &err) == -1);
    CHECK(out == NULL && err &&
          strstr(err, "broken.dot: graphviz could not draw it as svg: syntax error") == err);
    free(err);
    err = NULL;
    CHECK(dot_render("x.dot", "digraph { a -> b }", "no-such-format", &out, &len, &err) == -1);
    CHECK(err && strstr(err, "x.dot: ") == err);
    free(err);
}

/* Every edge of x whose id starts with prefix, counted. */
static size_t edges_with_id(Agraph_t *x, char prefix) {
    size_t n = 0;
    for (Agnode_t *v = agfstnode(x); v; v = agnxtnode(x, v))
        for (Agedge_t *e = agfstout(x, v); e; e = agnxtout(x, e)) {
            char *id = agget(e, "id");
            n += id && id[0] == prefix;
        }
    return n;
}

/* --min-sites, --no-state, --hide-may-calls on the demo: what is left out
 * is not drawn, and the title says so. */
static void options(void) {
    graph *g = fixture_graph("demo");
    REQUIRE(g != NULL);
    plan *p = handplan(g);
    size_t small = 0, may = 0;
    for (size_t i = 0; i < p->interfaces.n; i++) {
        small += p->interfaces.v[i].sites < 5;
        may += p->interfaces.v[i].sites_by[EV_TYPE] == p->interfaces.v[i].sites;
    }
    dot_options o = {.min_sites = 5, .no_fit = 1};
    char *text = dot_services_text(p, &o);
    Agraph_t *x = reread(text);
    CHECK_INT(edges_with_id(x, 'i'), p->interfaces.n - small);
    for (Agnode_t *v = agfstnode(x); v; v = agnxtnode(x, v))
        for (Agedge_t *e = agfstout(x, v); e; e = agnxtout(x, e))
            if (agget(e, "id")[0] == 'i') CHECK(atoi(agget(e, "label")) >= 5);
    CHECK(small > 0 && strstr(agget(x, "label"), " under 5 call sites") != NULL);
    agclose(x);
    free(text);

    o = (dot_options){.no_state = 1, .no_fit = 1};
    text = dot_services_text(p, &o);
    x = reread(text);
    for (Agnode_t *v = agfstnode(x); v; v = agnxtnode(x, v))
        CHECK(strncmp(agnameof(v), "state:", 6) != 0);
    CHECK(strstr(agget(x, "label"), " state links hidden") != NULL);
    CHECK_INT(edges_with_id(x, 'i'), p->interfaces.n);
    agclose(x);
    free(text);

    o = (dot_options){.hide_may = 1, .no_fit = 1};
    text = dot_services_text(p, &o);
    x = reread(text);
    CHECK_INT(edges_with_id(x, 'i'), p->interfaces.n - may);
    if (may) CHECK(strstr(agget(x, "label"), "may-call interface") != NULL);
    agclose(x);
    free(text);
    plan_free(p);
    graph_free(g);
}

/* n records, one per folder: d<i>/f.c defining f<i>, i written with
 * width digits at least (zero-padded, so that names sort as numbers). */
static void one_function_each(facts **t, int n, int width) {
    char file[32], fn[16];
    for (int i = 0; i < n; i++) {
        snprintf(file, sizeof file, "d%0*d/f.c", width, i);
        t[i] = facts_new(file);
        snprintf(fn, sizeof fn, "f%0*d", width, i);
        hand_func(t[i], fn, 1, 5);
    }
}

/* Ten services, each pair writing a global of its own: 45 state groups of
 * two, 90 links to state, more than DOT_STATE_LINKS_MAX, so one edge per
 * pair of services instead, the 20 sharing most (all share one: the
 * first 20 pairs). */
static void state_pairs(void) {
    enum { N = 10 };
    facts *t[N];
    char fn[16], gv[16];
    one_function_each(t, N, 1);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            if (i == j) continue;
            int a = i < j ? i : j, b = i < j ? j : i;
            snprintf(fn, sizeof fn, "f%d", i);
            snprintf(gv, sizeof gv, "g%d_%d", a, b);
            if (i == a) hand_global(t[i], gv, 10 + b);
            hand_write(t[i], fn, gv, 2, 1 + j);
        }
    graph *g = merge_facts(t, N, ".");
    plan *p = handplan(g);
    CHECK_INT(p->services.n, N);
    CHECK_INT(p->shared.n, N * (N - 1) / 2);
    dot_options whole = {.no_fit = 1};
    char *text = dot_services_text(p, &whole);
    Agraph_t *x = reread(text);
    for (Agnode_t *v = agfstnode(x); v; v = agnxtnode(x, v))
        CHECK(strncmp(agnameof(v), "state:", 6) != 0);
    CHECK_INT(edges_with_id(x, 'p'), 2 * N);
    Agedge_t *e = find_edge(x, "service:d0", "service:d1");
    CHECK(e && strcmp(agget(e, "label"), "1 global") == 0 && strcmp(agget(e, "dir"), "both") == 0);
    CHECK(strstr(agget(x, "label"), "90 links to shared state drawn as 20 service pairs") != NULL);
    CHECK(strstr(agget(x, "label"), "25 more pairs not drawn") != NULL);
    agclose(x);
    free(text);
    plan_free(p);
    graph_free(g);
    for (int i = 0; i < N; i++) facts_free(t[i]);
}

/* Pairs of services sharing state, ranked: 200 services, 60 of them all
 * writing one global (1,770 pairs), the others writing globals of two or
 * three at random, so pairs share 1 to several globals.  The pairs drawn
 * are the 400 sharing most, ties in (a, b) order, as counted here over
 * every pair of every shared global's services. */
static void state_pairs_strongest(void) {
    enum { N = 200, ALL_FROM = 100, ALL_TO = 160, RANDOM = 300 };
    facts *t[N];
    char fn[16], gv[16];
    one_function_each(t, N, 3);
    hand_global(t[0], "all", 10);
    for (int i = ALL_FROM; i < ALL_TO; i++) {
        snprintf(fn, sizeof fn, "f%03d", i);
        hand_write(t[i], fn, "all", 2, 1);
    }
    uint64_t rng = 0x5eed;
    for (int r = 0; r < RANDOM; r++) {
        snprintf(gv, sizeof gv, "g%d", r);
        hand_global(t[0], gv, 20 + r);
        int users = 2 + (int)(test_random(&rng) % 2), last = -1;
        for (int u = 0; u < users; u++) {
            /* mostly among the first 40, so some pairs share many */
            int i = (int)(test_random(&rng) % (r % 3 ? 40 : N));
            if (i == last) continue;
            last = i;
            snprintf(fn, sizeof fn, "f%03d", i);
            hand_write(t[i], fn, gv, 3 + r, 1);
        }
    }
    graph *g = merge_facts(t, N, ".");
    plan *p = handplan(g);
    REQUIRE(p->services.n == N);
    /* globals both touch, per pair (a < b) */
    size_t *both = xcalloc(N * N, sizeof *both), pairs = 0;
    for (size_t k = 0; k < p->shared.n; k++) {
        const idxvec *u = &p->shared.v[k].services;
        for (size_t i = 0; i < u->n; i++)
            for (size_t j = i + 1; j < u->n; j++) pairs += both[u->v[i] * N + u->v[j]]++ == 0;
    }
    /* the 2N strongest: by count, then (a, b); floor is the weakest count
     * drawn, above the pairs sharing more */
    size_t keep = 2 * N, drawn = 0, floor = p->shared.n + 1, above = 0;
    size_t *hist = xcalloc(p->shared.n + 2, sizeof *hist);
    for (size_t x = 0; x < N * N; x++) hist[both[x]]++;
    while (floor > 1 && above + hist[floor - 1] < keep) above += hist[--floor];
    floor--;
    free(hist);
    /* as drawn before any step to fit a screen (which may leave pairs out) */
    dot_options whole = {.no_fit = 1};
    char *text = dot_services_text(p, &whole);
    Agraph_t *dot = reread(text);
    CHECK_INT(edges_with_id(dot, 'p'), keep);
    size_t ties = keep - above;
    for (size_t x = 0; x < N * N; x++) {
        if (!both[x]) continue;
        int want = both[x] > floor || (both[x] == floor && ties > 0 && ties--);
        char *a = node_name("service", p->services.v[x / N].name),
             *b = node_name("service", p->services.v[x % N].name);
        Agedge_t *e = find_edge(dot, a, b);
        CHECK_INT(e != NULL, want);
        if (e) {
            CHECK_INT((size_t)atoi(agget(e, "label")), both[x]);
            drawn++;
        }
        free(a);
        free(b);
    }
    CHECK_INT(drawn, keep);
    char *more = xasprintf("%zu more pairs not drawn", pairs - keep);
    CHECK(strstr(agget(dot, "label"), more) != NULL);
    free(more);
    agclose(dot);
    free(text);
    free(both);
    plan_free(p);
    graph_free(g);
    for (int i = 0; i < N; i++) facts_free(t[i]);
}

/* Groups by folder: below the shared folder, a group of more than a
 * quarter split deeper, a level every member shares skipped; the overview
 * and an expanded group read back. */
static void groups(void) {
    enum { N = 20 };
    facts *t[N];
    char file[48], fn[16], to[16];
    for (int i = 0; i < N; i++) {
        /* 16 in lib/big/m<i>/, 4 in app/ */
        if (i < 16) snprintf(file, sizeof file, "lib/big/m%d/f.c", i);
        else snprintf(file, sizeof file, "app/a%d.c", i);
        snprintf(fn, sizeof fn, "f%d", i);
        snprintf(to, sizeof to, "f%d", (i + 1) % N);
        t[i] = facts_new(file);
        hand_func(t[i], fn, 1, 5);
        hand_calls(t[i], fn, to, 2, 1 + i % 3);
    }
    graph *g = merge_facts(t, N, ".");
    plan *p = handplan(g);
    REQUIRE(p->services.n == 17); /* app/ is one directory */
    svcgroups gr;
    svcgroups_build(p, &gr);
    CHECK_INT(gr.n, 17);
    CHECK_STR(gr.names[0], "app");
    CHECK_STR(gr.names[1], "lib/big/m0");
    for (size_t s = 0; s < p->services.n; s++) CHECK(gr.of[s] < gr.n);
    char *text = dot_groups_text(p, &gr, PLAN_NONE, NULL);
    Agraph_t *x = reread(text);
    CHECK(has_node(x, "group", "app") && has_node(x, "group", "lib/big/m0"));
    CHECK_STR(agget(agnode(x, "group:app", 0), "id"), "G0");
    agclose(x);
    free(text);
    text = dot_groups_text(p, &gr, 0, NULL);
    x = reread(text);
    size_t app = plan_find_service(p, "app");
    REQUIRE(app != PLAN_NONE);
    CHECK(has_node(x, "service", "app"));
    char *id = xasprintf("s%zu", app);
    CHECK_STR(agget(agnode(x, "service:app", 0), "id"), id);
    free(id);
    CHECK(strstr(agget(x, "label"), "group app (1 component)") != NULL);
    agclose(x);
    free(text);
    svcgroups_free(&gr);
    svcgroups_free(NULL);
    plan_free(p);
    graph_free(g);
    for (int i = 0; i < N; i++) facts_free(t[i]);
}

/* dot_write_plan's grouped view: groups.svg is drawn for a plan of a few
 * dozen groups and only written as DOT past DOT_RENDER_MAX_GROUPS, with a
 * note saying so (1,000,000 generated functions: 998 groups, 14 minutes of
 * `dot`). */
static void groups_render(void) {
    char dir[] = "/tmp/cleave-test-dot-XXXXXX";
    REQUIRE(mkdtemp(dir) != NULL);
    const int sizes[] = {DOT_GROUPS_FROM + 1, DOT_RENDER_MAX_GROUPS + 1};
    for (int k = 0; k < 2; k++) {
        int n = sizes[k];
        facts **t = xcalloc((size_t)n, sizeof *t);
        one_function_each(t, n, 3);
        graph *g = merge_facts(t, (size_t)n, ".");
        plan *p = handplan(g);
        REQUIRE(p->services.n == (size_t)n);
        char *out = xasprintf("%s/%d", dir, n);
        REQUIRE(mkdir(out, 0777) == 0);
        strvec written = {0};
        char *note = NULL, *err = NULL;
        CHECK(dot_write_plan(p, out, 1, NULL, &written, NULL, &note, &err) == 0);
        CHECK(exists(out, "groups.dot") && exists(out, "services.svg"));
        if (k == 0) {
            CHECK(exists(out, "groups.svg"));
            CHECK(note == NULL);
        } else {
            CHECK(!exists(out, "groups.svg"));
            CHECK(note && strstr(note, "groups.svg not drawn") && strstr(note, "--focus"));
        }
        free(note);
        strvec_free(&written);
        free(out);
        plan_free(p);
        graph_free(g);
        for (int i = 0; i < n; i++) facts_free(t[i]);
        free(t);
    }
    char *cmd = xasprintf("rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
    free(cmd);
}

static size_t clusters(Agraph_t *g) {
    size_t n = 0;
    for (Agraph_t *s = agfstsubg(g); s; s = agnxtsubg(s))
        n += (strncmp(agnameof(s), "cluster_", 8) == 0) + clusters(s);
    return n;
}

/* 40 services: the function view's clusters nest in plain subgraphs of at
 * most 32, and all 40 are drawn as clusters. */
static void nested_clusters(void) {
    enum { N = 40 };
    facts *t[N];
    char file[32], fn[16], to[16];
    for (int i = 0; i < N; i++) {
        snprintf(file, sizeof file, "s%02d/f.c", i);
        snprintf(fn, sizeof fn, "f%d", i);
        snprintf(to, sizeof to, "f%d", (i + 1) % N);
        t[i] = facts_new(file);
        hand_func(t[i], fn, 1, 5);
        hand_calls(t[i], fn, to, 2, 1);
    }
    graph *g = merge_facts(t, N, ".");
    plan *p = handplan(g);
    REQUIRE(p->services.n == N);
    char *text = dot_functions_text(p);
    CHECK(strstr(text, "subgraph \"nest:0\"") && strstr(text, "subgraph \"nest:1\""));
    Agraph_t *x = reread(text);
    CHECK_INT(clusters(x), N);
    agclose(x);
    char *svg = svg_of(text);
    size_t drawn = 0;
    for (const char *c = svg; c && (c = strstr(c, "class=\"cluster\"")); c++) drawn++;
    CHECK_INT(drawn, N);
    free(svg);
    free(text);
    plan_free(p);
    graph_free(g);
    for (int i = 0; i < N; i++) facts_free(t[i]);
}

/* The width and height in points the SVG of DOT text gives. */
static void svg_size(const char *text, double *w, double *h) {
    char *svg = NULL, *err = NULL;
    size_t len = 0;
    *w = *h = 0;
    if (dot_render("test", text, "svg", &svg, &len, &err) != 0) {
        fprintf(stderr, "%s\n", err);
        free(err);
        return;
    }
    const char *at = strstr(svg, "<svg width=\"");
    if (at) sscanf(at, "<svg width=\"%lfpt\" height=\"%lfpt\"", w, h);
    free(svg);
}

/* A plan like nginx's: ten services with long names, each calling the
 * nine others (90 interfaces of 1 to 41 sites, the most into three
 * hubs, all on cycles), a library
 * every one calls, and 45 globals each written by a pair of services (90
 * links to state).  Drawn whole it is far larger than a screen; the
 * default view fits DOT_SCREEN_W x DOT_SCREEN_H, draws fewer interfaces,
 * folds library use into the library's box, and its title says all that
 * it left out. */
static void fit_screen(void) {
    enum { N = 10 };
    facts *t[N + 1];
    char file[64], fn[64], callee[64], gv[32];
    for (int i = 0; i < N; i++) {
        snprintf(file, sizeof file, "component_number_%d/f.c", i);
        t[i] = facts_new(file);
        snprintf(fn, sizeof fn, "handler_of_component_%d", i);
        hand_func(t[i], fn, 1, 40);
    }
    t[N] = facts_new("util/u.c");
    hand_func(t[N], "util_alloc", 1, 10);
    for (int i = 0; i < N; i++) {
        snprintf(fn, sizeof fn, "handler_of_component_%d", i);
        hand_calls(t[i], fn, "util_alloc", 100, 3);
        for (int j = 0; j < N; j++) {
            if (i == j) continue;
            snprintf(callee, sizeof callee, "handler_of_component_%d", j);
            /* three hubs most call, as nginx's core, http and event */
            hand_calls(t[i], fn, callee, 200 + 50 * j, 1 + (i * 7 + j * 3) % 11 + (j < 3 ? 30 : 0));
            if (i < j) {
                snprintf(gv, sizeof gv, "state_%d_%d", i, j);
                hand_global(t[i], gv, 10 + j);
                hand_write(t[i], fn, gv, 20 + j, 1);
                snprintf(fn, sizeof fn, "handler_of_component_%d", j);
                hand_write(t[j], fn, gv, 30 + i, 1);
                snprintf(fn, sizeof fn, "handler_of_component_%d", i);
            }
        }
    }
    graph *g = merge_facts(t, N + 1, ".");
    plan *p = handplan(g);
    REQUIRE(p->services.n == N + 1);
    CHECK_INT(p->interfaces.n, N * (N - 1));
    dot_options whole = {.no_fit = 1};
    char *big = dot_services_text(p, &whole), *text = dot_services_text(p, NULL);
    double bw, bh, w, h;
    svg_size(big, &bw, &bh);
    svg_size(text, &w, &h);
    CHECK(bw > 2 * DOT_SCREEN_W && bh > DOT_SCREEN_H);
    /* the SVG's size is rounded up to whole points */
    CHECK(w > 0 && w <= DOT_SCREEN_W + 1 && h > 0 && h <= DOT_SCREEN_H + 1);
    if (w > DOT_SCREEN_W + 1 || h > DOT_SCREEN_H + 1)
        fprintf(stderr, "drawn %.0f x %.0f points, whole %.0f x %.0f\n", w, h, bw, bh);
    Agraph_t *xb = reread(big), *x = reread(text);
    CHECK(edges_with_id(x, 'i') < edges_with_id(xb, 'i'));
    /* each component keeps its strongest interface: none is left alone */
    CHECK(edges_with_id(x, 'i') >= N / 2);
    CHECK(edges_with_id(xb, 'l') == N && edges_with_id(x, 'l') == 0);
    Agnode_t *util = agnode(x, "service:util", 0);
    CHECK(util && strstr(agget(util, "label"), "linked into 10 components · 30 call sites"));
    const char *title = agget(x, "label");
    CHECK(strstr(title, "\\nto fit a screen: 10 library-use edges counted in the library boxes"));
    /* every interface and state link is drawn or counted */
    size_t drawn = edges_with_id(x, 'i'), weak = 0, fitted = 0;
    const char *at = strstr(title, "the strongest interfaces drawn; ");
    if (at) weak = (size_t)atoi(at + strlen("the strongest interfaces drawn; "));
    at = strstr(title, "in the library boxes;\\n");
    if (at) fitted = (size_t)atoi(at + strlen("in the library boxes;\\n"));
    if (drawn + weak + fitted != p->interfaces.n) fprintf(stderr, "%s\n", title);
    CHECK_INT(drawn + weak + fitted, p->interfaces.n);
    CHECK(strstr(title, "90 links to shared state") != NULL);
    agclose(xb);
    agclose(x);
    free(big);
    free(text);
    plan_free(p);
    graph_free(g);
    for (int i = 0; i <= N; i++) facts_free(t[i]);
}

/* A plan like Git's: a hub most services call and that calls most of
 * them, and services calling nothing, drawn by dot side by side in one
 * rank (Git's 34 components: 3,985 x 818 points, the top rank holding 7
 * libraries, 2 services and the legend).  Fitted, the view fits the
 * screen: its wide ranks broken into rows (dot_rows.c: longer minlen,
 * invisible edges stacking the lone boxes) and, past every other step,
 * boxes with their names only. */
static void wide_ranks(void) {
    enum { N = 26, LONE = 6 };
    facts *t[N + 1];
    char file[64], fn[64];
    t[N] = facts_new("hub/h.c");
    hand_func(t[N], "hub_dispatch", 1, 400);
    for (int i = 0; i < N; i++) {
        snprintf(file, sizeof file, "component_number_%d/f.c", i);
        t[i] = facts_new(file);
        snprintf(fn, sizeof fn, "handler_of_component_%d", i);
        hand_func(t[i], fn, 1, 30 + i);
        if (i >= N - LONE) continue; /* calls nothing, called by nothing */
        hand_calls(t[i], fn, "hub_dispatch", 40, 2 + i % 5);
        if (i % 2) hand_calls(t[N], "hub_dispatch", fn, 100 + i, 1 + i % 3);
    }
    graph *g = merge_facts(t, N + 1, ".");
    plan *p = handplan(g);
    REQUIRE(p->services.n == N + 1);
    dot_options whole = {.no_fit = 1};
    char *big = dot_services_text(p, &whole), *text = dot_services_text(p, NULL);
    double bw, bh, w, h;
    svg_size(big, &bw, &bh);
    svg_size(text, &w, &h);
    CHECK(bw > 2 * DOT_SCREEN_W);
    CHECK(w > 0 && w <= DOT_SCREEN_W + 1 && h > 0 && h <= DOT_SCREEN_H + 1);
    if (w > DOT_SCREEN_W + 1 || h > DOT_SCREEN_H + 1)
        fprintf(stderr, "drawn %.0f x %.0f points, whole %.0f x %.0f\n", w, h, bw, bh);
    /* in rows: the lone boxes stacked, edges made longer */
    Agraph_t *x = reread(text);
    size_t invisible = 0, longer = 0;
    for (Agnode_t *n = agfstnode(x); n; n = agnxtnode(x, n))
        for (Agedge_t *e = agfstout(x, n); e; e = agnxtout(x, e)) {
            const char *style = agget(e, "style"), *minlen = agget(e, "minlen");
            invisible += style && strcmp(style, "invis") == 0;
            longer += minlen && atoi(minlen) > 1;
        }
    CHECK(invisible > 0 && longer > 0);
    /* every interface drawn or counted; the components all drawn */
    CHECK_INT(agnnodes(x), (int)p->services.n + 1);
    agclose(x);
    /* the same text again */
    char *again = dot_services_text(p, NULL);
    CHECK_STR(again, text);
    free(again);
    free(big);
    free(text);
    plan_free(p);
    graph_free(g);
    for (int i = 0; i <= N; i++) facts_free(t[i]);
}

/* PostgreSQL at --granularity function: backend/commands calls 227 of the
 * SQL functions one group holds, and its expanded view drew them in one
 * row 53,962 points wide.  Another group linked with more than GROUP_FAN
 * (8) components of the group gets one link to the group as a whole (id
 * "E<its group>-G<the group>", which the report's panel reads), the
 * components are boxed in a cluster, and the lone boxes go in rows. */
static void groups_fan(void) {
    /* 12 components in adt/ (a group of no more than 2 sqrt(components) is
     * not split), the caller in commands/, 24 more groups of one */
    enum { N = 12, OTHERS = 24, ALL = N + 1 + OTHERS };
    facts *t[ALL];
    char file[64], fn[64];
    t[N] = facts_new("commands/c.c");
    hand_func(t[N], "exec_command", 1, 50);
    for (int i = 0; i < N; i++) {
        snprintf(file, sizeof file, "adt/geo_%d/f.c", i);
        t[i] = facts_new(file);
        snprintf(fn, sizeof fn, "geo_function_number_%d", i);
        hand_func(t[i], fn, 1, 10);
        hand_calls(t[N], "exec_command", fn, 10 + i, 1 + i % 4);
    }
    for (int i = 0; i < OTHERS; i++) {
        snprintf(file, sizeof file, "other_%d/f.c", i);
        t[N + 1 + i] = facts_new(file);
        snprintf(fn, sizeof fn, "other_%d", i);
        hand_func(t[N + 1 + i], fn, 1, 10);
    }
    graph *g = merge_facts(t, ALL, ".");
    plan *p = handplan(g);
    REQUIRE(p->services.n == ALL);
    svcgroups gr;
    svcgroups_build(p, &gr);
    REQUIRE(gr.n == 2 + OTHERS);
    CHECK_STR(gr.names[0], "adt");
    char *text = dot_groups_text(p, &gr, 0, NULL);
    Agraph_t *x = reread(text);
    CHECK_INT(edges_with_id(x, 'E'), 1);
    int fan = 0;
    for (Agnode_t *n = agfstnode(x); n; n = agnxtnode(x, n))
        for (Agedge_t *e = agfstout(x, n); e; e = agnxtout(x, e))
            if (strcmp(agget(e, "id"), "EG1-G0") == 0) {
                fan = 1;
                CHECK_STR(agget(e, "lhead"), "cluster_members");
                CHECK(strstr(agget(e, "tooltip"), "in 12 interfaces") != NULL);
            }
    CHECK(fan);
    CHECK(agsubg(x, "cluster_members", 0) != NULL);
    agclose(x);
    double w, h;
    svg_size(text, &w, &h);
    /* 12 boxes side by side: over 2,000 points wide */
    CHECK(w > 0 && w <= DOT_SCREEN_W + 1);
    if (w > DOT_SCREEN_W + 1) fprintf(stderr, "drawn %.0f x %.0f points\n", w, h);
    free(text);
    /* no_fit: not laid out, so not wrapped (the fan is still merged) */
    dot_options o = {.no_fit = 1};
    text = dot_groups_text(p, &gr, 0, &o);
    CHECK(strstr(text, "invis") == NULL && strstr(text, "EG1-G0") != NULL);
    double rw, rh;
    svg_size(text, &rw, &rh);
    CHECK(rw > DOT_SCREEN_W);
    free(text);
    svcgroups_free(&gr);
    plan_free(p);
    graph_free(g);
    for (int i = 0; i < ALL; i++) facts_free(t[i]);
}

static const test_case cases[] = {
    {"demo", demo},
    {"odd_names", odd_names},
    {"cycles", cycles},
    {"write_plan", write_plan},
    {"render_errors", render_errors},
    {"options", options},
    {"state_pairs", state_pairs},
    {"state_pairs_strongest", state_pairs_strongest},
    {"fit_screen", fit_screen},
    {"wide_ranks", wide_ranks},
    {"groups_fan", groups_fan},
    {"groups", groups},
    {"groups_render", groups_render},
    {"nested_clusters", nested_clusters},
};

int main(int argc, char **argv) {
    return test_main(argc, argv, cases, TEST_COUNT(cases));
}
