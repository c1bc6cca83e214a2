/*
 * test_check.c - check_run, rule by rule (docs/check.md), on small graphs
 * and plans made in the test: each rule fires alone on the smallest code
 * that breaks it, with its rule id, severity, file:line:col, baseline key
 * and message; the plan's own commitments (entry points, interfaces,
 * shared state, cycles of committed interfaces), calls into libraries and
 * may-calls known by a pointer's type fire nothing; a call through a
 * stored pointer, or a direct call behind a may-interface, is a new
 * interface; findings come sorted, severities
 * follow cleave.json, and units are counted.
 *
 * The project of most cases (services in the plan):
 *   a/a.c    alpha   a_main (lines 1-10, entry point), a_help (20-24)
 *   b/b.c    beta    b_entry (1-5, entry point), b_inner (10-14)
 *   lib/l.c  lib     l_util (1-3), a library
 * with the direct calls a_main -> b_entry (a/a.c:3) and a_main -> l_util
 * (a/a.c:4), and the interface alpha -> beta committed.  Plans and
 * cleave.json are written to a temporary directory the test chdir()s into.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check/check.h"
#include "reports/check_report.h"
#include "handplan.h"
#include "scan/merge.h"
#include "test.h"

enum { A, B, LIB, C, NEW, NFILES };

/* One record per file of the project; a case adds what it needs. */
typedef struct code {
    facts *t[NFILES];
} code;

static code base(void) {
    code k = {{facts_new("a/a.c"), facts_new("b/b.c"), facts_new("lib/l.c"), facts_new("c/c.c"),
               facts_new("new/n.c")}};
    hand_func(k.t[A], "a_main", 1, 10);
    hand_func(k.t[A], "a_help", 20, 5);
    hand_func(k.t[B], "b_entry", 1, 5);
    hand_func(k.t[B], "b_inner", 10, 5);
    hand_func(k.t[LIB], "l_util", 1, 3);
    hand_calls(k.t[A], "a_main", "b_entry", 3, 1);
    hand_calls(k.t[A], "a_main", "l_util", 4, 1);
    return k;
}

static const char PLAN[] =
    "{'schema': 'cleave.plan/1',\n"
    " 'services': [\n"
    "  {'name': 'alpha', 'kind': 'service', 'files': ['a/a.c'],\n"
    "   'entry_points': ['a_main'], 'functions': ['a_main', 'a_help']},\n"
    "  {'name': 'beta', 'kind': 'service', 'files': ['b/b.c'],\n"
    "   'entry_points': ['b_entry'], 'functions': ['b_entry', 'b_inner']},\n"
    "  {'name': 'gamma', 'kind': 'service', 'files': ['c/c.c'],\n"
    "   'entry_points': [], 'functions': []},\n"
    "  {'name': 'lib', 'kind': 'library', 'files': ['lib/l.c'],\n"
    "   'entry_points': [], 'functions': ['l_util']}],\n"
    " 'interfaces': [{'from': 'alpha', 'to': 'beta'}],\n"
    " 'shared_state': []}\n";

static void put(const char *path, const char *single_quoted) {
    char *t = hand_json(single_quoted);
    REQUIRE(file_write_atomic(path, t, strlen(t)) == 0);
    free(t);
}

/*
 * The findings of `cleave check` over the code (its records freed), the
 * plan and cleave.json (both single-quoted; NULL config: the defaults).
 * Stops the case when the plan or the config does not load.
 */
static check_result *check(code *k, const char *plan_text, const char *config_text) {
    graph *g = merge_facts(k->t, NFILES, ".");
    for (int i = 0; i < NFILES; i++) facts_free(k->t[i]);
    config *cfg = config_default();
    char *err = NULL;
    if (config_text) {
        config_free(cfg);
        cfg = NULL;
        put("cleave.json", config_text);
        if (config_load("cleave.json", &cfg, &err) != 0) fprintf(stderr, "%s\n", err);
        REQUIRE(cfg != NULL);
    }
    put("plan.json", plan_text);
    plan_ref *r = NULL;
    if (plan_load("plan.json", g, cfg, &r, &err) != 0) fprintf(stderr, "%s\n", err);
    REQUIRE(r != NULL);
    check_result *c = check_run(r, cfg);
    plan_ref_free(r);
    config_free(cfg);
    graph_free(g);
    return c;
}

/* Finding i is exactly this. */
static void finding(const check_result *c, size_t i, unsigned rule, unsigned severity,
                    const char *file, int line, int col, const char *key, const char *message) {
    REQUIRE(i < c->findings.n);
    const check_finding *f = &c->findings.v[i];
    CHECK_STR(config_rule_name(f->rule), config_rule_name(rule));
    CHECK_STR(config_severity_name(f->severity), config_severity_name(severity));
    CHECK_STR(f->file, file);
    CHECK_INT(f->line, line);
    CHECK_INT(f->col, col);
    CHECK_STR(f->key, key);
    CHECK_STR(f->message, message);
    CHECK_INT(f->baselined, 0);
}

/* The plan's own code: a committed interface to an entry point, calls
 * into a library that lists no entry points and has no interface, and an
 * empty service: nothing fires. */
static void clean(void) {
    code k = base();
    k.t[C]->status = UNIT_FAILED; /* a unit that did not parse */
    check_result *c = check(&k, PLAN, NULL);
    CHECK_INT(c->findings.n, 0);
    CHECK_INT(c->units, NFILES);
    CHECK_INT(c->units_parsed, NFILES - 1);
    CHECK_INT(check_count(c, CONFIG_SEV_ERROR), 0);
    CHECK_INT(c->stale.n, 0);
    CHECK_INT(c->baseline, 0);
    check_result_free(c);
    check_result_free(NULL);
}

/* a_help calls beta's b_inner, not an entry point; the interface
 * alpha -> beta is committed, so that is all. */
static void cross_boundary_call(void) {
    code k = base();
    hand_calls(k.t[A], "a_help", "b_inner", 22, 1);
    check_result *c = check(&k, PLAN, NULL);
    CHECK_INT(c->findings.n, 1);
    finding(c, 0, CONFIG_RULE_CROSS_BOUNDARY_CALL, CONFIG_SEV_WARNING, "a/a.c", 22, 1,
            "cross-boundary-call:a_help->b_inner",
            "a_help (alpha) calls b_inner, which is not an entry point of beta: call one of "
            "beta's entry points instead, or move the function");
    CHECK_INT(check_count(c, CONFIG_SEV_WARNING), 1);
    check_result_free(c);
}

/* gamma's new c_main calls beta's entry point twice: one finding, at the
 * first site. */
static void new_interface(void) {
    code k = base();
    hand_func(k.t[C], "c_main", 1, 9);
    hand_calls(k.t[C], "c_main", "b_entry", 8, 1);
    hand_calls(k.t[C], "c_main", "b_entry", 5, 1);
    check_result *c = check(&k, PLAN, NULL);
    CHECK_INT(c->findings.n, 1);
    finding(c, 0, CONFIG_RULE_NEW_INTERFACE, CONFIG_SEV_ERROR, "c/c.c", 5, 1,
            "new-interface:gamma->beta",
            "new interface: gamma now calls beta, which the plan does not have: remove the "
            "dependency or adopt it in the plan");
    check_result_free(c);
}

/* alpha and beta both write `total`: reported at the first write (by
 * file, line, column) unless the plan already shared it between two
 * writers. */
static void shared_state_write(void) {
    code k = base();
    hand_global(k.t[A], "total", 1);
    hand_write(k.t[B], "b_inner", "total", 11, 7);
    hand_write(k.t[A], "a_main", "total", 5, 3);
    hand_write(k.t[A], "a_help", "total", 21, 3);
    check_result *c = check(&k, PLAN, NULL);
    CHECK_INT(c->findings.n, 1);
    finding(c, 0, CONFIG_RULE_SHARED_STATE_WRITE, CONFIG_SEV_ERROR, "a/a.c", 5, 3,
            "shared-state-write:total",
            "total is written by services alpha, beta: let one service own it and the others "
            "ask it");
    check_result_free(c);

    static const char SHARED[] =
        "{'schema': 'cleave.plan/1', 'services': [\n"
        "  {'name': 'alpha', 'kind': 'service', 'files': ['a/a.c'], 'entry_points': ['a_main'],\n"
        "   'functions': []},\n"
        "  {'name': 'beta', 'kind': 'service', 'files': ['b/b.c'], 'entry_points': ['b_entry'],\n"
        "   'functions': []},\n"
        "  {'name': 'lib', 'kind': 'library', 'files': ['lib/l.c'], 'functions': []}],\n"
        " 'interfaces': [{'from': 'alpha', 'to': 'beta'}],\n"
        " 'shared_state': [{'global': 'total', 'writers': ['alpha', 'beta']}]}\n";
    k = base();
    hand_global(k.t[A], "total", 1);
    hand_write(k.t[A], "a_main", "total", 5, 3);
    hand_write(k.t[B], "b_inner", "total", 11, 7);
    c = check(&k, SHARED, NULL);
    CHECK_INT(c->findings.n, 0);
    check_result_free(c);
}

/* beta now calls back into alpha: with the committed alpha -> beta, a
 * cycle, reported with the new interface at the new edge's site (rule
 * order breaks the tie).  A cycle of committed interfaces is the plan's
 * own. */
static void service_cycle(void) {
    code k = base();
    hand_calls(k.t[B], "b_inner", "a_main", 12, 1);
    check_result *c = check(&k, PLAN, NULL);
    CHECK_INT(c->findings.n, 2);
    finding(c, 0, CONFIG_RULE_NEW_INTERFACE, CONFIG_SEV_ERROR, "b/b.c", 12, 1,
            "new-interface:beta->alpha",
            "new interface: beta now calls alpha, which the plan does not have: remove the "
            "dependency or adopt it in the plan");
    finding(c, 1, CONFIG_RULE_SERVICE_CYCLE, CONFIG_SEV_ERROR, "b/b.c", 12, 1,
            "service-cycle:alpha, beta",
            "services alpha, beta depend on each other in a cycle: break it by removing or "
            "inverting one of the calls");
    check_result_free(c);

    char *both = xstrdup(PLAN);
    char *at = strstr(both, "'interfaces': [");
    REQUIRE(at != NULL);
    char *plan = xasprintf("%.*s'interfaces': [{'from': 'beta', 'to': 'alpha'}, %s",
                           (int)(at - both), both, at + strlen("'interfaces': ["));
    k = base();
    hand_calls(k.t[B], "b_inner", "a_main", 12, 1);
    c = check(&k, plan, NULL);
    CHECK_INT(c->findings.n, 0);
    check_result_free(c);
    free(plan);
    free(both);
}

/* rules.forbidden and rules.allowed, on a committed call and on a call
 * into a library (the explicit rules apply to libraries too). */
static void forbidden_dependency(void) {
    code k = base();
    check_result *c = check(&k, PLAN, "{'rules': {'forbidden': [{'from': 'alpha', 'to': ['lib', 'beta']}]}}");
    CHECK_INT(c->findings.n, 2);
    finding(c, 0, CONFIG_RULE_FORBIDDEN_DEPENDENCY, CONFIG_SEV_ERROR, "a/a.c", 3, 1,
            "forbidden-dependency:a_main->b_entry",
            "a_main (alpha) calls b_entry (beta), but alpha must not depend on beta: remove the "
            "call or route it through a service alpha may use");
    finding(c, 1, CONFIG_RULE_FORBIDDEN_DEPENDENCY, CONFIG_SEV_ERROR, "a/a.c", 4, 1,
            "forbidden-dependency:a_main->l_util",
            "a_main (alpha) calls l_util (lib), but alpha must not depend on lib: remove the "
            "call or route it through a service alpha may use");
    check_result_free(c);

    k = base();
    c = check(&k, PLAN, "{'rules': {'allowed': [{'from': 'alpha', 'to': ['lib']}]}}");
    CHECK_INT(c->findings.n, 1);
    finding(c, 0, CONFIG_RULE_FORBIDDEN_DEPENDENCY, CONFIG_SEV_ERROR, "a/a.c", 3, 1,
            "forbidden-dependency:a_main->b_entry",
            "a_main (alpha) calls b_entry (beta), but alpha may only call its allowed services: "
            "remove the call or allow beta in cleave.json");
    check_result_free(c);
}

/* beta above alpha: alpha's committed call into beta goes up; lib is in
 * no layer and free. */
static void layer_violation(void) {
    code k = base();
    check_result *c = check(&k, PLAN, "{'rules': {'layers': [['beta'], ['alpha']]}}");
    CHECK_INT(c->findings.n, 1);
    finding(c, 0, CONFIG_RULE_LAYER_VIOLATION, CONFIG_SEV_ERROR, "a/a.c", 3, 1,
            "layer-violation:a_main->b_entry",
            "a_main (alpha, layer 2) calls up into b_entry (beta, layer 1): a layer may only "
            "call the layers below it");
    check_result_free(c);
    /* downwards is fine */
    k = base();
    c = check(&k, PLAN, "{'rules': {'layers': [['alpha'], ['beta', 'lib']]}}");
    CHECK_INT(c->findings.n, 0);
    check_result_free(c);
}

static void independence_violation(void) {
    code k = base();
    check_result *c = check(&k, PLAN, "{'rules': {'independent': [['beta', 'alpha']]}}");
    CHECK_INT(c->findings.n, 1);
    finding(c, 0, CONFIG_RULE_INDEPENDENCE_VIOLATION, CONFIG_SEV_ERROR, "a/a.c", 3, 1,
            "independence-violation:a_main->b_entry",
            "a_main (alpha) calls b_entry (beta), but alpha and beta must stay independent: "
            "remove the call");
    check_result_free(c);
}

/* a/a.c is alpha's file, but the plan now gives its bigger function
 * (a_main, 10 lines against a_help's 5) to beta. */
static void moved_function(void) {
    static const char MOVED[] =
        "{'schema': 'cleave.plan/1', 'services': [\n"
        "  {'name': 'alpha', 'kind': 'service', 'files': ['a/a.c'], 'entry_points': ['a_help'],\n"
        "   'functions': ['a_help']},\n"
        "  {'name': 'beta', 'kind': 'service', 'files': ['b/b.c'], 'entry_points': ['b_entry'],\n"
        "   'functions': ['a_main', 'b_entry', 'b_inner']},\n"
        "  {'name': 'lib', 'kind': 'library', 'files': ['lib/l.c'], 'functions': ['l_util']}]}\n";
    code k = base();
    check_result *c = check(&k, MOVED, "{'severity': {'moved-function': 'error'}}");
    CHECK_INT(c->findings.n, 1);
    finding(c, 0, CONFIG_RULE_MOVED_FUNCTION, CONFIG_SEV_ERROR, "a/a.c", 1, 1,
            "moved-function:a/a.c",
            "a/a.c belongs to alpha in the plan, but most of its code is now functions of beta "
            "(a_main first): move them to beta's files or update the plan");
    check_result_free(c);
}

/* n_new's file is in no service of the plan; a placement rule places it. */
static void unplaced_function(void) {
    code k = base();
    hand_func(k.t[NEW], "n_new", 3, 2);
    check_result *c = check(&k, PLAN, "{'severity': {'unplaced-function': 'info'}}");
    CHECK_INT(c->findings.n, 1);
    finding(c, 0, CONFIG_RULE_UNPLACED_FUNCTION, CONFIG_SEV_INFO, "new/n.c", 3, 1,
            "unplaced-function:n_new",
            "n_new is new and its file new/n.c belongs to no service of the plan: add a "
            "placement rule to cleave.json or update the plan");
    CHECK_INT(check_count(c, CONFIG_SEV_INFO), 1);
    CHECK_INT(check_count(c, CONFIG_SEV_WARNING), 0);
    check_result_free(c);

    k = base();
    hand_func(k.t[NEW], "n_new", 3, 2);
    c = check(&k, PLAN, "{'rules': {'placement': [{'service': 'gamma', 'files': ['new/**']}]}}");
    CHECK_INT(c->findings.n, 0);
    check_result_free(c);
}

/* The plan lists ids the code no longer defines: reported where the plan
 * names them, functions before entry points. */
static void stale_plan_function(void) {
    static const char STALE[] =
        "{'schema': 'cleave.plan/1', 'services': [\n"
        "  {'name': 'alpha', 'kind': 'service', 'files': ['a/a.c'],\n"
        "   'entry_points': ['a_main', 'a_old'],\n"
        "   'functions': ['a_main', 'a_help', 'a_gone']},\n"
        "  {'name': 'beta', 'kind': 'service', 'files': ['b/b.c'], 'entry_points': ['b_entry'],\n"
        "   'functions': ['b_entry', 'b_inner']},\n"
        "  {'name': 'lib', 'kind': 'library', 'files': ['lib/l.c'], 'functions': ['l_util']}],\n"
        " 'interfaces': [{'from': 'alpha', 'to': 'beta'}]}\n";
    code k = base();
    check_result *c = check(&k, STALE, NULL);
    CHECK_INT(c->findings.n, 2);
    finding(c, 0, CONFIG_RULE_STALE_PLAN_FUNCTION, CONFIG_SEV_WARNING, "plan.json", 3, 31,
            "stale-plan-function:a_old",
            "a_old is in the plan, but the code analysed defines no such function (renamed, "
            "deleted, or in a unit that failed to parse): update the plan");
    finding(c, 1, CONFIG_RULE_STALE_PLAN_FUNCTION, CONFIG_SEV_WARNING, "plan.json", 4, 38,
            "stale-plan-function:a_gone",
            "a_gone is in the plan, but the code analysed defines no such function (renamed, "
            "deleted, or in a unit that failed to parse): update the plan");
    check_result_free(c);
}

/* A call from `from` in file t at line:5 through a pointer that may reach
 * beta's b_inner: known by its type alone (VIA_TYPE; b_inner's address is
 * taken), or read from the field "struct ops::run" that b_inner is stored
 * in (VIA_FIELD). */
static void pointer_call(code *k, int t, const char *from, int line, unsigned via) {
    facts *a = k->t[t];
    const char *key = via == VIA_FIELD ? "struct ops::run" : "void (void)";
    fact_store s = {0};
    s.function = facts_str(k->t[B], "b_inner");
    s.file = k->t[B]->file;
    s.line = 12;
    s.sink = via == VIA_FIELD ? SINK_FIELD : SINK_NONE;
    s.key = via == VIA_FIELD ? facts_str(k->t[B], key) : NULL;
    VEC_PUSH(k->t[B]->stores, s);
    fact_call x = {0};
    x.from = facts_str(a, from);
    x.key = facts_str(a, key);
    x.file = a->file;
    x.line = line;
    x.col = 5;
    x.indirect = 1;
    x.via = via;
    VEC_PUSH(a->calls, x);
}

/* A call known by its pointer's type alone is no dependency: one that may
 * reach beta's b_inner fires nothing, not even around the entry point. */
static void type_calls(void) {
    code k = base();
    pointer_call(&k, A, "a_help", 22, VIA_TYPE);
    /* the merge resolved the pointer to b_inner, as a type edge */
    graph *g = merge_facts(k.t, NFILES, ".");
    size_t from = graph_find_func(g, "a_help"), to = graph_find_func(g, "b_inner");
    int reached = 0;
    for (size_t i = 0; i < g->calls.n; i++)
        reached |= g->calls.v[i].evidence == EV_TYPE && g->calls.v[i].from == from &&
                   g->calls.v[i].to == to;
    graph_free(g);
    for (int i = 0; i < NFILES; i++) {
        facts_free(k.t[i]);
        k.t[i] = NULL;
    }
    REQUIRE(reached);
    k = base();
    pointer_call(&k, A, "a_help", 22, VIA_TYPE);
    check_result *c = check(&k, PLAN, NULL);
    CHECK_INT(c->findings.n, 0);
    check_result_free(c);
}

/* A call through a pointer stored in a named field is a dependency like a
 * direct one (a dispatch table): gamma -> beta through it is new, but it
 * never bypasses an entry point. */
static void field_calls(void) {
    code k = base();
    hand_func(k.t[C], "c_main", 1, 9);
    pointer_call(&k, C, "c_main", 4, VIA_FIELD);
    check_result *c = check(&k, PLAN, NULL);
    CHECK_INT(c->findings.n, 1);
    finding(c, 0, CONFIG_RULE_NEW_INTERFACE, CONFIG_SEV_ERROR, "c/c.c", 4, 5,
            "new-interface:gamma->beta",
            "new interface: gamma now calls beta, which the plan does not have: remove the "
            "dependency or adopt it in the plan");
    check_result_free(c);
}

/* The plan committed alpha -> beta with type-only may-calls; a new direct
 * call alpha -> beta is a new dependency all the same (issue: a direct
 * call hid behind a may-interface), and a plan that does not say its
 * interfaces' evidence keeps them as fully known. */
static void may_interface(void) {
    const char *committed = "'interfaces': [{'from': 'alpha', 'to': 'beta'}]";
    const char *at = strstr(PLAN, committed);
    REQUIRE(at != NULL);
    char *mayplan = xasprintf("%.*s'interfaces': [{'from': 'alpha', 'to': 'beta', 'sites': 1,\n"
                              "   'sites_by_evidence': {'direct': 0, 'field': 0, 'type': 1}}]%s",
                              (int)(at - PLAN), PLAN, at + strlen(committed));
    code k = base();
    check_result *c = check(&k, mayplan, NULL);
    free(mayplan);
    CHECK_INT(c->findings.n, 1);
    finding(c, 0, CONFIG_RULE_NEW_INTERFACE, CONFIG_SEV_ERROR, "a/a.c", 3, 1,
            "new-interface:alpha->beta",
            "new interface: alpha now calls beta, where the plan has only calls known by a "
            "pointer's type (may-calls): remove the dependency or adopt it in the plan");
    check_result_free(c);
    /* the same interface without its evidence: an older plan, fully known */
    k = base();
    c = check(&k, PLAN, NULL);
    CHECK_INT(c->findings.n, 0);
    check_result_free(c);
}

/* Several rules at once: sorted by file, line, column, rule, key. */
static void order(void) {
    code k = base();
    hand_func(k.t[NEW], "n_new", 3, 2);
    hand_calls(k.t[A], "a_help", "b_inner", 22, 1);
    hand_calls(k.t[B], "b_inner", "a_main", 12, 1);
    check_result *c = check(&k, PLAN, "{'rules': {'independent': [['alpha', 'beta']]}}");
    static const struct {
        const char *file;
        int line;
        unsigned rule;
    } want[] = {
        {"a/a.c", 3, CONFIG_RULE_INDEPENDENCE_VIOLATION},
        {"a/a.c", 22, CONFIG_RULE_CROSS_BOUNDARY_CALL},
        {"a/a.c", 22, CONFIG_RULE_INDEPENDENCE_VIOLATION},
        {"b/b.c", 12, CONFIG_RULE_NEW_INTERFACE},
        {"b/b.c", 12, CONFIG_RULE_SERVICE_CYCLE},
        {"b/b.c", 12, CONFIG_RULE_INDEPENDENCE_VIOLATION},
        {"new/n.c", 3, CONFIG_RULE_UNPLACED_FUNCTION},
    };
    REQUIRE(c->findings.n == sizeof want / sizeof *want);
    for (size_t i = 0; i < c->findings.n; i++) {
        CHECK_STR(c->findings.v[i].file, want[i].file);
        CHECK_INT(c->findings.v[i].line, want[i].line);
        CHECK_STR(config_rule_name(c->findings.v[i].rule), config_rule_name(want[i].rule));
    }
    CHECK_INT(check_count(c, CONFIG_SEV_ERROR), 5);
    CHECK_INT(check_count(c, CONFIG_SEV_WARNING), 2);
    c->findings.v[0].baselined = 1; /* what baseline_apply marks */
    CHECK_INT(check_count(c, CONFIG_SEV_ERROR), 4);
    check_result_free(c);
}

/* Every rule has a one-sentence description; none past the last rule. */
static void rule_help(void) {
    for (unsigned r = 0; r < CONFIG_RULE_COUNT; r++) {
        const char *h = check_rule_help(r);
        CHECK(strlen(h) > 20 && h[strlen(h) - 1] == '.');
    }
    CHECK_STR(check_rule_help(CONFIG_RULE_COUNT), "");
}

/* A finding in a second build of a file (its unit "file[build]",
 * scan.c) is located at the file on disk where a tool opens the path:
 * GitHub's annotations and SARIF; the text keeps the unit. */
static void second_build_paths(void) {
    check_result *c = xcalloc(1, sizeof *c);
    check_finding f = {CONFIG_RULE_CROSS_BOUNDARY_CALL, CONFIG_SEV_ERROR,
                       xstrdup("common/str.c[CLIENT]"), 12, 3,
                       xstrdup("common/str.c[CLIENT]:str_dup calls xalloc"), xstrdup("k"), 0};
    VEC_PUSH(c->findings, f);
    char *gh = check_github_reporter.render(c), *sarif = check_sarif_reporter.render(c),
         *text = check_text_reporter.render(c);
    CHECK(strstr(gh, "file=common/str.c,line=12,col=3") != NULL);
    CHECK(strstr(sarif, "\"uri\":\t\"common/str.c\"") != NULL);
    CHECK(strstr(sarif, "%5B") == NULL);
    CHECK(strstr(text, "common/str.c[CLIENT]") != NULL);
    free(gh);
    free(sarif);
    free(text);
    check_result_free(c);
}

static const test_case cases[] = {
    {"clean", clean},
    {"cross_boundary_call", cross_boundary_call},
    {"new_interface", new_interface},
    {"shared_state_write", shared_state_write},
    {"service_cycle", service_cycle},
    {"forbidden_dependency", forbidden_dependency},
    {"layer_violation", layer_violation},
    {"independence_violation", independence_violation},
    {"moved_function", moved_function},
    {"unplaced_function", unplaced_function},
    {"stale_plan_function", stale_plan_function},
    {"type_calls", type_calls},
    {"field_calls", field_calls},
    {"may_interface", may_interface},
    {"order", order},
    {"rule_help", rule_help},
    {"second_build_paths", second_build_paths},
};

int main(int argc, char **argv) {
    char dir[] = "/tmp/cleave-test-check-XXXXXX";
    if (!mkdtemp(dir) || chdir(dir) != 0) {
        perror("test_check: temporary directory");
        return 1;
    }
    int rc = test_main(argc, argv, cases, TEST_COUNT(cases));
    unlink("plan.json");
    unlink("cleave.json");
    if (chdir("/") != 0 || rmdir(dir) != 0) {
        fprintf(stderr, "test_check: cannot remove %s\n", dir);
        rc = 1;
    }
    return rc;
}
