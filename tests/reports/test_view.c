/*
 * test_view.c - view.c on the golden graphs of fixtures/demo and
 * fixtures/odd_names: the whole graph, focus by function id, name, file,
 * directory and service with depths, collapsing to files, directories and
 * services (edge sites add up, no self edges), order, and the errors a
 * user can cause.
 */
#include <stdlib.h>
#include <string.h>

#include "handplan.h"
#include "test.h"
#include "plan/fitness.h"
#include "reports/dot.h"
#include "reports/view.h"

static view *build(const graph *g, const plan *p, unsigned level, const char *focus, int depth) {
    view_options o = {level, focus, depth};
    view *v = NULL;
    char *err = NULL;
    if (view_build(g, p, &o, &v, &err) != 0) {
        fprintf(stderr, "view_build: %s\n", err);
        free(err);
    }
    return v;
}

static const view_node *node(const view *v, const char *id) {
    for (size_t i = 0; i < v->nodes.n; i++)
        if (strcmp(v->nodes.v[i].id, id) == 0) return &v->nodes.v[i];
    return NULL;
}

static int sorted(const view *v) {
    for (size_t i = 1; i < v->nodes.n; i++)
        if (strcmp(v->nodes.v[i - 1].id, v->nodes.v[i].id) >= 0) return 0;
    for (size_t i = 1; i < v->edges.n; i++) {
        const view_edge *a = &v->edges.v[i - 1], *b = &v->edges.v[i];
        if (a->from > b->from ||
            (a->from == b->from &&
             (a->to > b->to || (a->to == b->to && a->indirect >= b->indirect))))
            return 0;
    }
    return 1;
}

static int total_sites(const view *v) {
    int n = 0;
    for (size_t i = 0; i < v->edges.n; i++) n += v->edges.v[i].sites;
    return n;
}

/* The golden graph of fixtures/demo; stops the case when it cannot be read. */
static graph *demo_graph(void) {
    graph *g = fixture_graph("demo");
    REQUIRE(g != NULL);
    return g;
}

/* The whole demo at function level: every defined function, every call
 * between two of them, files as groups, externals counted. */
static void whole(void) {
    graph *g = demo_graph();
    view *v = build(g, NULL, VIEW_FUNCTION, NULL, 0);
    REQUIRE(v != NULL);
    size_t defined = 0, calls = 0;
    unsigned char *ext = calloc(g->funcs.n, 1);
    size_t externals = 0;
    for (size_t f = 0; f < g->funcs.n; f++) defined += g->funcs.v[f].defined;
    for (size_t i = 0; i < g->calls.n; i++) {
        const gcall *c = &g->calls.v[i];
        if (g->funcs.v[c->from].defined && g->funcs.v[c->to].defined) calls++;
        if (g->funcs.v[c->from].defined && !g->funcs.v[c->to].defined && !ext[c->to])
            ext[c->to] = 1, externals++;
    }
    free(ext);
    CHECK_INT(v->nodes.n, defined);
    CHECK_INT(v->edges.n, calls);
    CHECK_INT(v->hidden_external, externals);
    CHECK(sorted(v));
    CHECK_STR(v->group_kind, "file");
    const view_node *n = node(v, "src/orders/handlers.c:load");
    CHECK(n && strcmp(n->label, "load") == 0 && strcmp(n->group, "src/orders/handlers.c") == 0);
    CHECK(n && n->distance == -1 && n->funcs == 1);
    CHECK(node(v, "malloc") == NULL);
    CHECK(strstr(v->title, "demo: call graph (137 nodes") == v->title);
    view_free(v);
    graph_free(g);
}

static void focus(void) {
    graph *g = demo_graph();
    /* dispatch reaches it through the command table: an indirect caller */
    view *v = build(g, NULL, VIEW_FUNCTION, "orders_cmd_checkout", 1);
    REQUIRE(v != NULL);
    CHECK_INT(v->nodes.n, 7);
    const char *ids[] = {"dispatch",
                         "order_checkout",
                         "orders_cmd_checkout",
                         "resp_error",
                         "resp_line",
                         "src/orders/handlers.c:load",
                         "src/orders/handlers.c:status_for"};
    for (size_t i = 0; i < 7 && i < v->nodes.n; i++) CHECK_STR(v->nodes.v[i].id, ids[i]);
    CHECK(node(v, "orders_cmd_checkout")->distance == 0);
    CHECK(node(v, "dispatch")->distance == 1);
    CHECK(strstr(v->title, "within 1 call of function orders_cmd_checkout") != NULL);
    int indirect = 0;
    for (size_t i = 0; i < v->edges.n; i++) indirect += v->edges.v[i].indirect;
    CHECK(indirect >= 1);
    CHECK(sorted(v));
    view_free(v);
    v = build(g, NULL, VIEW_FUNCTION, "orders_cmd_checkout", 0);
    CHECK(v && v->nodes.n == 1 && v->edges.n == 0);
    view_free(v);
    /* depth 2 holds depth 1 */
    v = build(g, NULL, VIEW_FUNCTION, "orders_cmd_checkout", 2);
    CHECK(v && v->nodes.n > 7 && node(v, "resp_line") && node(v, "resp_line")->distance == 1);
    view_free(v);

    /* a directory: every function in it at distance 0 */
    v = build(g, NULL, VIEW_FILE, "src/billing", 0);
    REQUIRE(v != NULL);
    CHECK_INT(v->nodes.n, 2);
    CHECK_STR(v->nodes.v[0].id, "src/billing/invoice.c");
    CHECK(v->nodes.v[0].distance == 0 && v->nodes.v[0].funcs == 12);
    CHECK(strstr(v->title, ", only directory src/billing (") != NULL);
    view_free(v);
    v = build(g, NULL, VIEW_FUNCTION, "src/billing/payment.c", 0);
    CHECK(v && v->nodes.n == 11);
    CHECK(v && strcmp(v->focus_note,
                      "--focus src/billing/payment.c: the file src/billing/payment.c") == 0);
    view_free(v);
    /* a prefix asks for one kind; an external function is found last */
    v = build(g, NULL, VIEW_FILE, "dir:src/billing", 0);
    CHECK(v && v->nodes.n == 2 && strstr(v->title, ", only directory src/billing (") != NULL);
    view_free(v);
    v = build(g, NULL, VIEW_FUNCTION, "calloc", 0);
    CHECK(v && v->nodes.n == 1 && strstr(v->title, ", only external function calloc (") != NULL);
    view_free(v);
    view_options o = {VIEW_FUNCTION, "file:src/billing", 0};
    char *err = NULL;
    CHECK(view_build(g, NULL, &o, &v, &err) == -1);
    CHECK_STR(err, "no file named 'src/billing' in fixtures/demo");
    free(err);
    graph_free(g);
}

/* Collapsing keeps every call site between shown functions: the ones
 * inside one node are dropped, the others add up on the merged edges. */
static void collapse(void) {
    graph *g = demo_graph();
    view *fv = build(g, NULL, VIEW_FUNCTION, NULL, 0);
    view *file = build(g, NULL, VIEW_FILE, NULL, 0);
    view *dir = build(g, NULL, VIEW_DIR, NULL, 0);
    REQUIRE(fv && file && dir);
    int inside_file = 0, inside_dir = 0;
    for (size_t i = 0; i < g->calls.n; i++) {
        const gcall *c = &g->calls.v[i];
        const gfunc *a = &g->funcs.v[c->from], *b = &g->funcs.v[c->to];
        if (!a->defined || !b->defined) continue;
        if (strcmp(a->file, b->file) == 0) inside_file += c->sites;
        char *da = path_dirname(a->file), *db = path_dirname(b->file);
        if (strcmp(da, db) == 0) inside_dir += c->sites;
        free(da);
        free(db);
    }
    CHECK_INT(total_sites(file), total_sites(fv) - inside_file);
    CHECK_INT(total_sites(dir), total_sites(fv) - inside_dir);
    for (size_t i = 0; i < file->edges.n; i++)
        CHECK(file->edges.v[i].from != file->edges.v[i].to);
    CHECK(sorted(file) && sorted(dir));
    const view_node *n = node(file, "src/orders/handlers.c");
    CHECK(n && strcmp(n->label, "handlers.c") == 0 && strcmp(n->group, "src/orders") == 0);
    CHECK(n && strcmp(n->detail, "8 functions, 104 lines") == 0);
    n = node(dir, "src/util");
    CHECK(n && n->group == NULL && n->funcs == 32);
    CHECK_STR(file->group_kind, "directory");
    CHECK(dir->group_kind == NULL);
    view_free(fv);
    view_free(file);
    view_free(dir);
    graph_free(g);
}

static void with_plan(void) {
    graph *g = demo_graph();
    plan *p = handplan(g);
    view *v = build(g, p, VIEW_SERVICE, NULL, 0);
    REQUIRE(v != NULL);
    CHECK_INT(v->nodes.n, p->services.n);
    const view_node *util = node(v, "util");
    REQUIRE(util != NULL);
    CHECK_INT(util->kind, PLAN_LIBRARY);
    /* library edges are not interfaces */
    size_t ui = (size_t)(util - v->nodes.v);
    int cross_lib = 0, cross = 0;
    for (size_t i = 0; i < v->edges.n; i++) {
        const view_edge *e = &v->edges.v[i];
        if (e->from == ui || e->to == ui) cross_lib += (int)e->cross;
        else cross += (int)e->cross;
    }
    CHECK(cross_lib == 0 && cross > 0);
    CHECK(strstr(v->title, "by service") != NULL);
    view_free(v);
    /* a service as the focus, function level: grouped by service, entry
     * points marked */
    v = build(g, p, VIEW_FUNCTION, "billing", 0);
    REQUIRE(v != NULL);
    CHECK_INT(v->nodes.n, 23);
    CHECK_STR(v->group_kind, "service");
    const view_node *n = node(v, "billing_charge");
    CHECK(n && n->entry && strcmp(n->group, "billing") == 0);
    n = node(v, "src/billing/payment.c:balance_of");
    CHECK(n && !n->entry);
    CHECK(strstr(v->title, ", only service billing (") != NULL);
    view_free(v);
    /* one call further: its callers and the util library it calls, which
     * is linked in, so those calls never cross */
    v = build(g, p, VIEW_FUNCTION, "billing", 1);
    REQUIRE(v != NULL);
    CHECK(v->nodes.n > 23);
    int lib_cross = 0, libs = 0, all_cross = 0;
    for (size_t i = 0; i < v->edges.n; i++) {
        const view_edge *e = &v->edges.v[i];
        int lib =
            v->nodes.v[e->from].kind == PLAN_LIBRARY || v->nodes.v[e->to].kind == PLAN_LIBRARY;
        libs += lib;
        lib_cross += lib && e->cross;
        all_cross += (int)e->cross;
    }
    CHECK(libs > 0 && lib_cross == 0 && all_cross > 0);
    view_free(v);
    plan_free(p);
    graph_free(g);
}

/* With the plan's traffic model, edges between services carry its rates:
 * over the whole plan each interface's rate is the sum of its edges' (the
 * view splits direct from indirect calls), a focus view carries them too
 * (the service view of a saved plan always did; focus views drew none),
 * and library edges, linked in, none. */
static void rates(void) {
    graph *g = demo_graph();
    plan *p = handplan(g);
    fitness_compute(p, NULL, 0);
    REQUIRE(p->traffic_done);
    view *v = build(g, p, VIEW_SERVICE, NULL, 0);
    REQUIRE(v != NULL);
    CHECK(v->rates);
    size_t matched = 0, moving = 0;
    for (size_t i = 0; i < p->interfaces.n; i++) {
        const plan_interface *x = &p->interfaces.v[i];
        double sum = 0;
        for (size_t k = 0; k < v->edges.n; k++) {
            const view_edge *e = &v->edges.v[k];
            if (strcmp(v->nodes.v[e->from].id, p->services.v[x->from].name) == 0 &&
                strcmp(v->nodes.v[e->to].id, p->services.v[x->to].name) == 0)
                sum += e->rate;
        }
        matched += sum <= x->rate * (1 + 1e-9) && sum >= x->rate * (1 - 1e-9);
        moving += x->rate > 0;
    }
    CHECK_INT(matched, p->interfaces.n);
    CHECK(moving > 0);
    for (size_t k = 0; k < v->edges.n; k++)
        if (!v->edges.v[k].cross) CHECK(v->edges.v[k].rate == 0);
    view_free(v);
    v = build(g, p, VIEW_SERVICE, "billing", 1);
    REQUIRE(v != NULL);
    CHECK(v->rates);
    char *text = dot_view_text(v, NULL);
    CHECK(strstr(text, "/s\"") != NULL);
    CHECK(strstr(text, "calls per second (traffic model)") != NULL);
    free(text);
    view_free(v);
    /* a plan without its traffic model: no rates */
    plan_free(p);
    p = handplan(g);
    v = build(g, p, VIEW_SERVICE, "billing", 1);
    REQUIRE(v != NULL);
    CHECK(!v->rates);
    text = dot_view_text(v, NULL);
    CHECK(strstr(text, "/s\"") == NULL);
    free(text);
    view_free(v);
    plan_free(p);
    graph_free(g);
}

static void odd(void) {
    graph *g = fixture_graph("odd_names");
    REQUIRE(g != NULL);
    /* a name: every static helper */
    view *v = build(g, NULL, VIEW_FUNCTION, "helper", 0);
    REQUIRE(v != NULL);
    REQUIRE(v->nodes.n == 3);
    CHECK_STR(v->nodes.v[0].id, "back\\slash.c:helper");
    CHECK_STR(v->nodes.v[1].id, "my dir/quote\"d.c:helper");
    CHECK_STR(v->nodes.v[2].id, "my dir/sp ace.c:helper");
    view_free(v);
    v = build(g, NULL, VIEW_DIR, "trail\\", 1);
    CHECK(v && node(v, "trail\\") && node(v, "trail\\")->distance == 0 && node(v, "."));
    view_free(v);
    graph_free(g);
}

static void errors(void) {
    graph *g = demo_graph();
    view_options o = {VIEW_FUNCTION, "no_such_thing", 1};
    view *v = NULL;
    char *err = NULL;
    CHECK(view_build(g, NULL, &o, &v, &err) == -1 && v == NULL);
    CHECK(err && strstr(err, "'no_such_thing'") != NULL);
    free(err);
    err = NULL;
    o = (view_options){VIEW_SERVICE, NULL, 0};
    CHECK(view_build(g, NULL, &o, &v, &err) == -1 && v == NULL);
    CHECK(err && strstr(err, "needs a plan") != NULL);
    free(err);
    unsigned level = 9;
    CHECK(view_level_parse("dir", &level) == 0 && level == VIEW_DIR);
    CHECK(view_level_parse("directory", &level) == -1);
    view_free(NULL);
    graph_free(g);
}

static const test_case cases[] = {
    {"whole", whole},
    {"focus", focus},
    {"collapse", collapse},
    {"with_plan", with_plan},
    {"rates", rates},
    {"errors", errors},
    {"odd", odd},
};

int main(int argc, char **argv) {
    return test_main(argc, argv, cases, TEST_COUNT(cases));
}
