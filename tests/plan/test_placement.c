/*
 * test_placement.c - "why here": the reason and sentence the plan records
 * for each function (plan.h, plan_why_*), one case per reason code on a
 * small graph made by hand where that reason must come out: a folder, a
 * layer of a folder, a module of a flat folder (with the name its files
 * share), a library root, infrastructure, a program, an entry point and
 * what only it reaches, shared code, a pin beating the clustering, a
 * keep_together rule, a fragment folded into its file's component, and a
 * --services merge (test_cluster.c's plan_plugins has a plug-in and a
 * program's own file); then that every placed function has a reason, that
 * plan.json lists them sorted by id with the same bytes every time, and
 * that a plan nobody recorded a reason for has no "placement".
 */
#include <stdlib.h>
#include <string.h>

#include "handplan.h"
#include "plan/cluster.h"
#include "plan/config.h"
#include "plan/constraints.h"
#include "plan/plan_json.h"
#include "scan/merge.h"
#include "test.h"

/* Facts records, one per file, and the graph merged from them. */
typedef struct hand {
    facts *t[16];
    int n;
    graph *g;
} hand;

static facts *file(hand *h, const char *path) {
    REQUIRE(h->n < 16);
    h->t[h->n] = facts_new(path);
    return h->t[h->n++];
}

/* A function fn of loc lines at line of f's file, writing the global
 * `state` defined after it in the same file. */
static void stateful(facts *f, const char *fn, int line, int loc, const char *state) {
    hand_func(f, fn, line, loc);
    hand_global(f, state, line + loc + 1);
    hand_write(f, fn, state, line + 1, 1);
}

static void merge(hand *h) {
    h->g = merge_facts(h->t, (size_t)h->n, ".");
    REQUIRE(h->g != NULL);
}

static void hand_free(hand *h) {
    graph_free(h->g);
    for (int i = 0; i < h->n; i++) facts_free(h->t[i]);
}

/* The plan build() makes of a graph built in h, at this granularity and
 * --services N (0: not given); the caller frees both with done(). */
static plan *planned(hand *h, void (*build)(hand *), unsigned granularity, int services) {
    build(h);
    plan_options opt = {0};
    opt.granularity = granularity;
    opt.services = services;
    return cluster_plan(h->g, &opt);
}

static void done(hand *h, plan *p) {
    plan_free(p);
    hand_free(h);
}

/* What the plan says of function id: its reason code, and *detail its
 * sentence ("" for none). */
static const char *why(const plan *p, const char *id, const char **detail) {
    size_t f = graph_find_func(p->g, id);
    REQUIRE(f != (size_t)-1);
    REQUIRE(p->why != NULL);
    *detail = p->why[f].reason ? p->why_text.v[p->why[f].text] : "";
    return plan_reason_name(p->why[f].reason);
}

#define CHECK_WHY(p, id, reason, part)                                                             \
    do {                                                                                           \
        const char *d_;                                                                            \
        CHECK_STR(why(p, id, &d_), reason);                                                        \
        if (!strstr(d_, part)) {                                                                   \
            fprintf(stderr, "%s: detail \"%s\" lacks \"%s\"\n", id, d_, part);                     \
            CHECK(0);                                                                              \
        }                                                                                          \
    } while (0)

static const char *component(const plan *p, const char *id) {
    size_t s = p->assign[graph_find_func(p->g, id)];
    return s == PLAN_NONE ? "-" : p->services.v[s].name;
}

/* What a case wants of one function: its reason, a part of its sentence,
 * and where it is: a component's name, "=f" (with function f) or "!f"
 * (not with f); NULL for no check. */
typedef struct want {
    const char *id, *reason, *part, *in;
} want;

/* Plans what build() makes (granularity, --services N) and checks each of
 * wants[0 .. n). */
static void expect(void (*build)(hand *), unsigned granularity, int services, const want *wants,
                   size_t n) {
    hand h = {0};
    plan *p = planned(&h, build, granularity, services);
    for (size_t i = 0; i < n; i++) {
        const want *w = &wants[i];
        CHECK_WHY(p, w->id, w->reason, w->part);
        if (!w->in) continue;
        const char *at = component(p, w->id);
        if (w->in[0] == '=' || w->in[0] == '!') {
            int same = strcmp(at, component(p, w->in + 1)) == 0;
            if (same != (w->in[0] == '=')) fprintf(stderr, "%s is in %s (%s)\n", w->id, at, w->in);
            CHECK(same == (w->in[0] == '='));
        } else {
            CHECK_STR(at, w->in);
        }
    }
    done(&h, p);
}

#define EXPECT(build, granularity, services, ...)                                                  \
    do {                                                                                           \
        static const want w_[] = {__VA_ARGS__};                                                    \
        expect(build, granularity, services, w_, sizeof w_ / sizeof *w_);                          \
    } while (0)

/*
 * Three service folders (a, b, c) of two files each, a library folder
 * (lib: str_len, stateless, called from files of every other folder), a
 * logger (log: log_write keeps a counter and every service file calls
 * it) and a program (a/main.c).  No folder holds most of the code.
 */
static void services_project(hand *h) {
    const char *dirs[] = {"a", "b", "c"};
    for (int d = 0; d < 3; d++) {
        char path[32], fn[32], fn2[32], g[32];
        snprintf(path, sizeof path, "%s/%s_core.c", dirs[d], dirs[d]);
        facts *core = file(h, path);
        snprintf(fn, sizeof fn, "%s_run", dirs[d]);
        snprintf(fn2, sizeof fn2, "%s_step", dirs[d]);
        snprintf(g, sizeof g, "%s_state", dirs[d]);
        hand_func(core, fn, 1, 30);
        hand_calls(core, fn, fn2, 2, 3);
        hand_calls(core, fn, "str_len", 5, 1);
        hand_calls(core, fn, "log_write", 6, 1);
        hand_global(core, g, 40);
        hand_write(core, fn, g, 3, 1);
        snprintf(path, sizeof path, "%s/%s_io.c", dirs[d], dirs[d]);
        facts *io = file(h, path);
        hand_func(io, fn2, 1, 30);
        hand_calls(io, fn2, "str_len", 2, 1);
        hand_calls(io, fn2, "log_write", 3, 1);
        hand_write(io, fn2, g, 4, 1);
        /* c calls into a: a/ is not the program's own sources, which
         * nothing outside calls (test_cluster's plan_programs) */
        if (d == 2) hand_calls(io, fn2, "a_run", 5, 1);
    }
    facts *lib = file(h, "lib/str.c");
    hand_func(lib, "str_len", 1, 10);
    hand_func(lib, "str_eq", 20, 10);
    hand_calls(lib, "str_eq", "str_len", 21, 1);
    facts *log = file(h, "log/log.c");
    hand_func(log, "log_write", 1, 10);
    hand_global(log, "log_count", 20);
    hand_write(log, "log_write", "log_count", 2, 1);
    facts *m = file(h, "a/main.c");
    hand_func(m, "main", 1, 10);
    hand_calls(m, "main", "a_run", 2, 1);
    hand_calls(m, "main", "b_run", 3, 1);
    hand_calls(m, "main", "c_run", 4, 1);
    merge(h);
}

static void folder(void) {
    EXPECT(services_project, GRAN_SERVICE, 0, {"a_run", "folder", "a is one component", "a"},
           {"b_step", "folder", "b is one component", "=b_run"});
}

static void library(void) {
    /* "lib" names nothing (docs/clustering.md): the file does */
    EXPECT(
        services_project, GRAN_SERVICE, 0,
        {"str_len", "library", "stateless, called from 6 other files and reaching little", "str"},
        {"str_len", "library", "; folder lib", NULL},
        /* str_eq is not called from elsewhere: library code beside str_len */
        {"str_eq", "library", "its file lib/str.c holds library code", "=str_len"});
}

static void infrastructure(void) {
    EXPECT(services_project, GRAN_SERVICE, 0,
           {"log_write", "infrastructure", "keeps state, but 6 of the 9 files call it", "log"});
}

static void program(void) {
    EXPECT(services_project, GRAN_SERVICE, 0,
           {"main", "program", "a/main.c defines main(): a program", "!a_run"});
}

/* --services 2 merges two of the three service folders; the part with
 * less code says it was merged, naming both folders. */
static void merged(void) {
    hand h = {0};
    plan *p = planned(&h, services_project, GRAN_SERVICE, 2);
    size_t merged = 0, kept = 0;
    const char *svc[] = {"a_run", "b_run", "c_run"};
    for (int i = 0; i < 3; i++) {
        const char *d;
        const char *r = why(p, svc[i], &d);
        if (strcmp(r, "merged") == 0) {
            merged++;
            CHECK(strstr(d, "--services 2 merged its group (folder ") == d);
            CHECK(strstr(d, ") into that of folder ") != NULL);
            CHECK(strstr(d, "call sites to and from the merged component") != NULL);
        } else {
            kept++;
            CHECK_STR(r, "folder");
        }
    }
    /* three service folders, a library and infrastructure make N = 2
     * components besides the program: at least one folder was merged */
    CHECK(merged >= 1);
    CHECK(kept >= 1);
    done(&h, p);
}

/* A pin moves b_step into service a: the pin is the reason, and says
 * where the clustering had put it; a keep_together group moves c_run to
 * b_run's service and says so. */
static void pin_and_rule(void) {
    hand h = {0};
    plan *p = planned(&h, services_project, GRAN_SERVICE, 0);
    CHECK_WHY(p, "b_step", "folder", "b is one component");
    config *cfg = config_default();
    config_pin pin = {0};
    pin.service = xstrdup("a");
    strvec_push(&pin.functions, "b_step");
    VEC_PUSH(cfg->plan.pins, pin);
    config_pin glob = {0};
    glob.service = xstrdup("a");
    strvec_push(&glob.files, "a/**");
    VEC_PUSH(cfg->plan.pins, glob);
    strvec grp = {0};
    strvec_push(&grp, "b_run");
    strvec_push(&grp, "c_run");
    VEC_PUSH(cfg->plan.keep_together, grp);
    constraints_apply(p, cfg);
    CHECK_STR(component(p, "b_step"), "a");
    CHECK_WHY(p, "b_step", "pin", "cleave.json pins b_step to a (the clustering put it in b)");
    CHECK_WHY(p, "a_run", "pin", "cleave.json pins a/** to a (where the clustering put it too)");
    CHECK_STR(component(p, "c_run"), component(p, "b_run"));
    CHECK_WHY(p, "c_run", "rule",
              "cleave.json keeps b_run, c_run together (keep_together group 1): moved from c");
    /* the member that did not move keeps the clustering's reason */
    CHECK_WHY(p, "b_run", "folder", "b is one component");
    config_free(cfg);
    done(&h, p);
}

/*
 * One folder holding the layer l1.c -> l2.c -> l3.c (whose calls stay
 * among them, which other files of the folder call) beside a second
 * folder as large, so neither is a flat tree.
 */
static void layer_project(hand *h) {
    const char *rest[] = {"s/r1.c", "s/r2.c", "s/r3.c", "s/r4.c"};
    const char *fns[] = {"r1", "r2", "r3", "r4"};
    const char *state[] = {"g1", "g2", "g3", "g4"};
    for (int i = 0; i < 4; i++) {
        facts *f = file(h, rest[i]);
        stateful(f, fns[i], 1, 10, state[i]);
        /* two of them use the layer (more would make l1 infrastructure),
         * all call the next: none is a facade */
        if (i < 2) hand_calls(f, fns[i], "l1", 3, 1);
        hand_calls(f, fns[i], fns[(i + 1) % 4], 4, 1);
    }
    facts *l1 = file(h, "s/l1.c"), *l2 = file(h, "s/l2.c"), *l3 = file(h, "s/l3.c");
    hand_func(l1, "l1", 1, 10);
    hand_calls(l1, "l1", "l2", 2, 1);
    hand_global(l1, "lstate", 20);
    hand_write(l1, "l1", "lstate", 3, 1);
    hand_func(l2, "l2", 1, 10);
    hand_calls(l2, "l2", "l3", 2, 1);
    hand_write(l2, "l2", "lstate", 3, 1);
    hand_func(l3, "l3", 1, 10);
    hand_write(l3, "l3", "lstate", 2, 1);
    stateful(file(h, "t/other.c"), "other", 1, 80, "ostate");
    merge(h);
}

static void layer(void) {
    EXPECT(layer_project, GRAN_SERVICE, 0,
           {"l2", "layer", "a self-contained layer of folder s (l1.c, l2.c, l3.c)", "=l1"},
           {"l3", "layer", "their calls in the folder stay among them", "!r1"},
           {"r1", "folder", "s is one component", NULL});
}

/*
 * One flat folder: vdbe_a.c, vdbe_b.c, vdbe_c.c call each other, and so
 * do btree_a.c, btree_b.c, btree_c.c; one call crosses each way (neither
 * family is a self-contained layer).  Each family is a module, tied by
 * its file names and its calls.
 */
static void module_project(hand *h) {
    const char *fam[] = {"vdbe", "btree"};
    /* functions named apart: no prefix ties a file to another family */
    const char *fns[2][3] = {{"exec_step", "mem_copy", "aux_list"},
                             {"page_get", "cell_parse", "cursor_move"}};
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < 3; i++) {
            char path[32];
            snprintf(path, sizeof path, "src/%s_%c.c", fam[k], 'a' + i);
            facts *f = file(h, path);
            hand_func(f, fns[k][i], 1, 20);
            hand_calls(f, fns[k][i], fns[k][(i + 1) % 3], 2, 3);
        }
    hand_calls(h->t[0], "exec_step", "page_get", 9, 1);
    hand_calls(h->t[4], "cell_parse", "mem_copy", 9, 1);
    merge(h);
}

static void module(void) {
    EXPECT(module_project, GRAN_SERVICE, 0,
           {"mem_copy", "module",
            "a module of folder src: shares the name vdbe with 2 of its files", "=exec_step"},
           {"aux_list", "module",
            "all 6 of its call sites in the folder are with the module's files", "=exec_step"},
           {"exec_step", "module",
            "6 of its 7 call sites in the folder are with the module's files", "!page_get"});
}

/*
 * Serverless granularity: entry points e1 and e2 (extern, called from
 * nowhere); only e1 reaches x; both reach s, which keeps state; s2, in
 * e1's large file, is reached from both too, and its shared component,
 * too small to own a file, is folded into e1's.
 */
static void serverless_project(hand *h) {
    facts *e1 = file(h, "y/e1.c");
    hand_func(e1, "e1", 1, 100);
    hand_calls(e1, "e1", "x", 2, 1);
    hand_calls(e1, "e1", "s", 3, 1);
    hand_calls(e1, "e1", "s2", 4, 1);
    stateful(e1, "s2", 110, 3, "s2_state");
    facts *e2 = file(h, "z/e2.c");
    hand_func(e2, "e2", 1, 20);
    hand_calls(e2, "e2", "s", 2, 1);
    hand_calls(e2, "e2", "s2", 3, 1);
    stateful(file(h, "y/x.c"), "x", 1, 10, "x_state");
    stateful(file(h, "w/s.c"), "s", 1, 10, "s_state");
    merge(h);
}

static void trigger(void) {
    EXPECT(serverless_project, GRAN_FUNCTION, 0,
           {"e1", "trigger", "extern and called from nowhere in the project: an entry point", NULL},
           {"x", "trigger", "only reached from entry point e1", "=e1"});
}

static void shared(void) {
    EXPECT(serverless_project, GRAN_FUNCTION, 0,
           {"s", "shared", "reached from entry points e1, e2", "!e1"}, {"s", "shared", "", "!e2"});
}

static void fragment(void) {
    EXPECT(serverless_project, GRAN_FUNCTION, 0,
           {"s2", "fragment", "cut off from y/e1.c with too little code to own a file", "=e1"});
}

/* Every placed function has a reason; plan.json lists them by id, the
 * same bytes twice; a plan made by hand records none and writes none. */
static void written(void) {
    hand h = {0};
    services_project(&h);
    plan_options opt = {0};
    plan *p = cluster_plan(h.g, &opt), *q = cluster_plan(h.g, &opt);
    size_t placed = 0;
    for (size_t f = 0; f < h.g->funcs.n; f++)
        if (p->assign[f] != PLAN_NONE) {
            placed++;
            CHECK(p->why[f].reason != PLAN_WHY_NONE);
        }
    char *a = plan_json_render(p, NULL), *b = plan_json_render(q, NULL);
    CHECK_STR(a, b);
    const char *at = strstr(a, "\"placement\":");
    REQUIRE(at != NULL);
    size_t rows = 0;
    const char *prev = "";
    for (const char *r = strstr(at, "\"function\":\t\""); r;
         r = strstr(r + 1, "\"function\":\t\"")) {
        const char *id = r + strlen("\"function\":\t\"");
        size_t len = strcspn(id, "\"");
        char *cur = xstrndup(id, len);
        CHECK(strcmp(prev, cur) < 0);
        if (rows) free((char *)prev);
        prev = cur;
        rows++;
    }
    if (rows) free((char *)prev);
    CHECK_INT(rows, placed);
    free(a);
    free(b);
    plan_free(q);
    plan_free(p);
    p = handplan(h.g);
    a = plan_json_render(p, NULL);
    CHECK(strstr(a, "\"placement\"") == NULL);
    free(a);
    done(&h, p);
}

static const test_case cases[] = {
    {"folder", folder},
    {"layer", layer},
    {"module", module},
    {"library", library},
    {"infrastructure", infrastructure},
    {"program", program},
    {"trigger", trigger},
    {"shared", shared},
    {"pin_and_rule", pin_and_rule},
    {"fragment", fragment},
    {"merged", merged},
    {"written", written},
};

int main(int argc, char **argv) {
    return test_main(argc, argv, cases, TEST_COUNT(cases));
}
