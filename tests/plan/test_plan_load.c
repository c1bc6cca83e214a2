/*
 * test_plan_load.c - plan_load, a committed plan.json mapped onto the
 * current graph: the plan `cleave plan` writes for fixtures/demo reads back
 * to the same services; on a small hand-made graph, the functions the plan
 * lists, the ones placed by their file, by a placement rule or left
 * unplaced, ignored files, ids the code no longer defines (with their
 * place in the plan), moved files, accepted interfaces and shared state,
 * and the plan's path; then every error with its exact one-line message
 * and position.
 *
 * Plans are written to a fresh temporary directory the test chdir()s into,
 * so messages start with "plan.json".  Plan texts in this file use single
 * quotes for JSON's double quotes (hand_json swaps them; positions stay).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "handplan.h"
#include "plan/cluster.h"
#include "plan/fitness.h"
#include "plan/plan_json.h"
#include "plan/plan_load.h"
#include "scan/merge.h"
#include "test.h"

static void put(const char *path, const char *s) {
    REQUIRE(file_write_atomic(path, s, strlen(s)) == 0);
}

/*
 * The hand-made project, rooted at "." (the temporary directory):
 *   svc/a.c  a_main (lines 1-10), a_help (20-24), a_tail (30-31)
 *   svc/b.c  b_entry (1-4)
 *   new/n.c  n_new (1-2): in no file of the plan
 *   gen/g.c  g_gen (1-2): matched by the config's ignore glob
 * a_main calls b_entry; a_main and b_entry write `counter`.
 */
typedef struct small {
    facts *t[4];
    graph *g;
} small;

static small small_project(const char *root) {
    small p = {{facts_new("svc/a.c"), facts_new("svc/b.c"), facts_new("new/n.c"),
                  facts_new("gen/g.c")}, NULL};
    hand_func(p.t[0], "a_main", 1, 10);
    hand_func(p.t[0], "a_help", 20, 5);
    hand_func(p.t[0], "a_tail", 30, 2);
    hand_calls(p.t[0], "a_main", "b_entry", 3, 1);
    hand_global(p.t[0], "counter", 1);
    hand_write(p.t[0], "a_main", "counter", 4, 5);
    hand_func(p.t[1], "b_entry", 1, 4);
    hand_write(p.t[1], "b_entry", "counter", 2, 5);
    hand_func(p.t[2], "n_new", 1, 2);
    hand_func(p.t[3], "g_gen", 1, 2);
    p.g = merge_facts(p.t, 4, root);
    return p;
}

static void small_free(small *p) {
    graph_free(p->g);
    for (int i = 0; i < 4; i++) facts_free(p->t[i]);
}

static size_t func(const graph *g, const char *id) {
    size_t f = graph_find_func(g, id);
    REQUIRE(f != (size_t)-1);
    return f;
}

/* The name of the service f is assigned to, or "-" for none. */
static const char *owner(const plan_ref *r, const char *id) {
    size_t s = r->p->assign[func(r->p->g, id)];
    return s == PLAN_NONE ? "-" : r->p->services.v[s].name;
}

static int has(const strmap *m, const char *key) {
    size_t v;
    return strmap_get(m, key, &v);
}

/* Loads the plan text (single quotes) from plan.json over g; stops the
 * case when it does not load. */
static plan_ref *load(const char *plan_text, const graph *g, const config *cfg) {
    char *t = hand_json(plan_text);
    put("plan.json", t);
    free(t);
    plan_ref *r = NULL;
    char *err = NULL;
    int rc = plan_load("plan.json", g, cfg, &r, &err);
    if (rc != 0) fprintf(stderr, "%s\n", err);
    REQUIRE(rc == 0 && r != NULL);
    return r;
}

static const char PLAN[] =
    "{'schema': 'cleave.plan/1',\n"
    " 'services': [\n"
    "  {'name': 'beta', 'kind': 'library', 'files': ['svc/b.c'], 'functions': ['b_entry']},\n"
    "  {'name': 'alpha', 'kind': 'service', 'files': ['svc/a.c'],\n"
    "   'entry_points': ['a_main', 'gone_entry', 'gone'],\n"
    "   'functions': ['a_main', 'gone', 'a_main']},\n"
    "  {'name': 'empty', 'kind': 'function', 'functions': []}],\n"
    " 'interfaces': [{'from': 'alpha', 'to': 'beta', 'calls': 1}],\n"
    " 'shared_state': [{'global': 'counter', 'writers': ['alpha', 'beta']},\n"
    "                  {'global': 'solo', 'writers': ['alpha']}]}\n";

/* What a plan commits to, and where each current function goes. */
static void mapping(void) {
    small pr = small_project(".");
    plan_ref *r = load(PLAN, pr.g, NULL);
    /* services sorted by name, the one left without functions dropped */
    CHECK_INT(r->p->services.n, 2);
    CHECK_STR(r->p->services.v[0].name, "alpha");
    CHECK_INT(r->p->services.v[0].kind, PLAN_SERVICE);
    CHECK_STR(r->p->services.v[1].name, "beta");
    CHECK_INT(r->p->services.v[1].kind, PLAN_LIBRARY);
    CHECK(r->p->services.v[0].fixed_name);
    /* listed, placed by its file (a_help, a_tail), unplaced, ignored */
    CHECK_STR(owner(r, "a_main"), "alpha");
    CHECK_STR(owner(r, "a_help"), "alpha");
    CHECK_STR(owner(r, "a_tail"), "alpha");
    CHECK_STR(owner(r, "b_entry"), "beta");
    CHECK_STR(owner(r, "n_new"), "-");
    CHECK_STR(owner(r, "g_gen"), "-");
    CHECK_INT(r->unplaced.n, 2);
    CHECK_INT(r->unplaced.v[0], func(pr.g, "g_gen"));
    CHECK_INT(r->unplaced.v[1], func(pr.g, "n_new"));
    CHECK_INT(r->moved.n, 0);
    /* the commitments, by name */
    CHECK(has(r->entries, "a_main") && has(r->entries, "gone_entry"));
    CHECK(!has(r->entries, "b_entry"));
    CHECK(has(r->interfaces, "alpha\nbeta"));
    CHECK(!has(r->interfaces, "beta\nalpha"));
    CHECK(has(r->shared, "counter"));
    CHECK(!has(r->shared, "solo")); /* one writer: nothing was shared */
    /* ids the code does not define: once each, where first read
     * (`functions` before `entry_points`) */
    REQUIRE(r->missing.n == 2);
    CHECK_STR(r->missing.v[0].id, "gone");
    CHECK_INT(r->missing.v[0].line, 6);
    CHECK_INT(r->missing.v[0].col, 28);
    CHECK_STR(r->missing.v[1].id, "gone_entry");
    CHECK_INT(r->missing.v[1].line, 5);
    CHECK_INT(r->missing.v[1].col, 31);
    CHECK_STR(r->file, "plan.json");
    plan_ref_free(r);
    plan_ref_free(NULL);
    small_free(&pr);
}

/* cleave.json's placement rules come before the plan's files; ignored
 * files take no part; a rule naming a service the plan lacks places
 * nothing. */
static void placement_rules(void) {
    small pr = small_project(".");
    put("cleave.json", "{\"ignore\": [\"gen/**\"], \"rules\": {\"placement\": [\n"
                       "  {\"service\": \"beta\", \"files\": [\"new/*.c\"]},\n"
                       "  {\"service\": \"nowhere\", \"files\": [\"svc/a.c\"]}]}}\n");
    config *cfg = NULL;
    char *err = NULL;
    REQUIRE(config_load("cleave.json", &cfg, &err) == 0);
    plan_ref *r = load(PLAN, pr.g, cfg);
    CHECK_STR(owner(r, "n_new"), "beta");
    CHECK_STR(owner(r, "g_gen"), "-");
    CHECK_STR(owner(r, "a_main"), "alpha");  /* listed: rules do not move it */
    CHECK_STR(owner(r, "a_help"), "-");      /* the rule names no plan service */
    CHECK_STR(owner(r, "a_tail"), "-");
    CHECK_INT(r->unplaced.n, 2);
    CHECK_INT(r->unplaced.v[0], func(pr.g, "a_help"));
    CHECK_INT(r->unplaced.v[1], func(pr.g, "a_tail"));
    plan_ref_free(r);
    config_free(cfg);
    small_free(&pr);
}

/* svc/a.c belongs to alpha, but the plan now gives its biggest function
 * (a_main, 10 of the file's 17 lines) to beta: the file moved, reported
 * at beta's first function in it, with alpha as the plan's owner. */
static void moved_file(void) {
    small pr = small_project(".");
    plan_ref *r = load("{'schema': 'cleave.plan/1', 'services': [\n"
                       " {'name': 'alpha', 'kind': 'service', 'files': ['svc/a.c'],\n"
                       "  'functions': ['a_help', 'a_tail']},\n"
                       " {'name': 'beta', 'kind': 'service', 'files': ['svc/b.c'],\n"
                       "  'functions': ['b_entry', 'a_main']}]}\n",
                       pr.g, NULL);
    REQUIRE(r->moved.n == 1);
    CHECK_INT(r->moved.v[0], func(pr.g, "a_main"));
    CHECK_STR(r->p->services.v[r->file_service[0]].name, "alpha");
    plan_ref_free(r);

    /* 7 lines against 10: the planned owner keeps the majority, no move */
    r = load("{'schema': 'cleave.plan/1', 'services': [\n"
             " {'name': 'alpha', 'kind': 'service', 'files': ['svc/a.c'],\n"
             "  'functions': ['a_main']},\n"
             " {'name': 'beta', 'kind': 'service', 'files': ['svc/b.c'],\n"
             "  'functions': ['b_entry', 'a_help', 'a_tail']}]}\n",
             pr.g, NULL);
    CHECK_INT(r->moved.n, 0);
    plan_ref_free(r);
    small_free(&pr);
}

/* The plan's path in findings: relative to the graph's root when inside
 * it, else absolute. */
static void plan_path(void) {
    small pr = small_project("proj");
    REQUIRE(mkdir("proj", 0777) == 0 || access("proj", F_OK) == 0);
    char *t = hand_json("{'schema': 'cleave.plan/1', 'services': []}");
    put("proj/plan.json", t);
    put("plan.json", t);
    free(t);
    plan_ref *r = NULL;
    char *err = NULL;
    REQUIRE(plan_load("proj/plan.json", pr.g, NULL, &r, &err) == 0);
    CHECK_STR(r->file, "plan.json");
    plan_ref_free(r);
    REQUIRE(plan_load("plan.json", pr.g, NULL, &r, &err) == 0);
    char *cwd = getcwd(NULL, 0), *want = path_join(cwd, "plan.json");
    CHECK_STR(r->file, want);
    free(want);
    free(cwd);
    plan_ref_free(r);
    small_free(&pr);
}

/* The plan cleave plan writes for the demo reads back to the same plan:
 * same services, every function in the service of the same name, its
 * entry points, interfaces and shared state committed, nothing missing,
 * unplaced or moved, and the same JSON once rendered again. */
static void demo_roundtrip(void) {
    graph *g = fixture_graph("demo");
    REQUIRE(g != NULL);
    plan_options opt = {0};
    plan *p = cluster_plan(g, &opt);
    char *json = plan_json_render(p, NULL);
    put("plan.json", json);
    plan_ref *r = NULL;
    char *err = NULL;
    REQUIRE(plan_load("plan.json", g, NULL, &r, &err) == 0);
    REQUIRE(r->p->services.n == p->services.n);
    int same = 1;
    for (size_t f = 0; f < g->funcs.n; f++) {
        size_t a = p->assign[f], b = r->p->assign[f];
        same &= (a == PLAN_NONE) == (b == PLAN_NONE);
        if (a != PLAN_NONE && b != PLAN_NONE)
            same &= strcmp(p->services.v[a].name, r->p->services.v[b].name) == 0;
    }
    CHECK(same);
    size_t entries = 0;
    for (size_t s = 0; s < p->services.n; s++) {
        const plan_service *ps = &p->services.v[s];
        CHECK_INT(ps->kind, r->p->services.v[s].kind);
        for (size_t e = 0; e < ps->entry_points.n; e++, entries++)
            CHECK(has(r->entries, g->funcs.v[ps->entry_points.v[e]].id));
    }
    CHECK(entries > 0);
    CHECK(p->interfaces.n > 0);
    for (size_t i = 0; i < p->interfaces.n; i++) {
        char *pair = xasprintf("%s\n%s", p->services.v[p->interfaces.v[i].from].name,
                               p->services.v[p->interfaces.v[i].to].name);
        CHECK(has(r->interfaces, pair));
        free(pair);
    }
    for (size_t i = 0; i < p->shared.n; i++)
        CHECK(has(r->shared, g->globals.v[p->shared.v[i].global].id) ==
              (p->shared.v[i].writers.n >= 2));
    CHECK_INT(r->missing.n, 0);
    CHECK_INT(r->unplaced.n, 0);
    CHECK_INT(r->moved.n, 0);
    r->p->resolution = p->resolution; /* the options are not read back */
    char *again = plan_json_render(r->p, NULL);
    /* nor is "placement", the last key: the reports read it from the
     * document (reports/report_model.c) */
    const char *placement = strstr(json, ",\n\t\"placement\":");
    REQUIRE(placement != NULL);
    char *want = xasprintf("%.*s\n}\n", (int)(placement - json), json);
    CHECK_STR(again, want);
    free(want);
    free(again);
    plan_ref_free(r);
    free(json);
    plan_free(p);
    graph_free(g);
}

/* A plan with its traffic model, read back, replays it: the same entry
 * points and every interface at the same calls per second, to the last
 * bit (the default rate, 3,600 an hour, is exact at four figures); one at
 * 100 an hour (--rate) too.  A plan without "traffic" gets no rates. */
static void traffic_replayed(void) {
    graph *g = fixture_graph("demo");
    REQUIRE(g != NULL);
    const double rates[] = {0, 100};
    for (int k = 0; k < 2; k++) {
        plan_options opt = {0};
        plan *p = cluster_plan(g, &opt);
        fitness_compute(p, NULL, rates[k]);
        REQUIRE(p->traffic_done && p->interfaces.n > 0);
        char *json = plan_json_render(p, NULL);
        put("plan.json", json);
        plan_ref *r = NULL;
        char *err = NULL;
        REQUIRE(plan_load("plan.json", g, NULL, &r, &err) == 0);
        CHECK(r->p->traffic_done);
        CHECK_INT(r->p->traffic.entries.n, p->traffic.entries.n);
        REQUIRE(r->p->interfaces.n == p->interfaces.n);
        size_t same = 0, moving = 0;
        for (size_t i = 0; i < p->interfaces.n; i++) {
            same += r->p->interfaces.v[i].rate == p->interfaces.v[i].rate;
            moving += p->interfaces.v[i].rate > 0;
        }
        CHECK_INT(same, p->interfaces.n);
        CHECK(moving > 0);
        plan_ref_free(r);
        free(json);
        plan_free(p);
    }
    plan_options opt = {0};
    plan *p = cluster_plan(g, &opt);
    char *json = plan_json_render(p, NULL); /* no fitness: no traffic */
    put("plan.json", json);
    plan_ref *r = NULL;
    char *err = NULL;
    REQUIRE(plan_load("plan.json", g, NULL, &r, &err) == 0);
    CHECK(!r->p->traffic_done);
    plan_ref_free(r);
    free(json);
    plan_free(p);
    graph_free(g);
}

/* The plan text (single quotes) must fail with exactly this message. */
static void fails(const graph *g, const char *plan_text, const char *want) {
    char *t = hand_json(plan_text);
    put("plan.json", t);
    free(t);
    plan_ref *r = (plan_ref *)&r; /* must be reset to NULL */
    char *err = NULL;
    CHECK_INT(plan_load("plan.json", g, NULL, &r, &err), -1);
    CHECK(r == NULL);
    CHECK_STR(err, want);
    free(err);
}

/* Not JSON, or cut short. */
static void syntax_errors(void) {
    small pr = small_project(".");
    fails(pr.g, "", "plan.json:1:1: malformed JSON: unexpected end of input");
    fails(pr.g, "{'schema': 'cleave.plan/1',\n 'services': [{'name': 'a',",
          "plan.json:2:28: malformed JSON: expected a string key");
    fails(pr.g, "{'schema': 'cleave.plan/1', 'services': [}",
          "plan.json:1:42: malformed JSON: expected a value");
    fails(pr.g, "{'schema': 'cleave.plan/1', 'services': []} []",
          "plan.json:1:45: malformed JSON: text after the end of the document");
    /* numbers JSON does not allow */
    fails(pr.g, "{'schema': 'cleave.plan/1', 'services': [], 'loc': -}",
          "plan.json:1:52: malformed JSON: bad number");
    /* ... and those cJSON alone would take (01 as 1, 1e999 as infinity) */
    static const char *const bad[][2] = {
        {"01", "1:53: malformed JSON: expected ',' or '}'"},
        {"00", "1:53: malformed JSON: expected ',' or '}'"},
        {"1.", "1:52: malformed JSON: bad number"},
        {"-.5", "1:52: malformed JSON: bad number"},
        {"1.e5", "1:52: malformed JSON: bad number"},
        {"1e999", "1:52: number out of range"},
        {"-1e999", "1:52: number out of range"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *text = xasprintf("{'schema': 'cleave.plan/1', 'services': [], 'loc': %s}", bad[i][0]);
        char *want = xasprintf("plan.json:%s", bad[i][1]);
        fails(pr.g, text, want);
        free(want);
        free(text);
    }
    fails(pr.g, "{'schema': 'cleave.plan/1', 'services': [], 'loc': 1e+}",
          "plan.json:1:52: malformed JSON: bad number");
    fails(pr.g, "{'schema': 'cleave.plan/1', 'services': [], 'loc': .5}",
          "plan.json:1:52: malformed JSON: expected a value");

    /* every truncation of a good plan fails with a positioned message */
    char *t = hand_json(PLAN);
    size_t len = strlen(t);
    int failed = 0, positioned = 0;
    for (size_t n = 0; n + 1 < len; n++) { /* the last byte is the newline */
        char *cut = xstrndup(t, n);
        put("plan.json", cut);
        plan_ref *r = NULL;
        char *err = NULL;
        failed += plan_load("plan.json", pr.g, NULL, &r, &err) == -1 && r == NULL;
        positioned += err && str_startswith(err, "plan.json:") && strstr(err, ": malformed JSON: ");
        free(err);
        plan_ref_free(r);
        free(cut);
    }
    CHECK_INT(failed, len - 1);
    CHECK_INT(positioned, len - 1);
    free(t);
    small_free(&pr);
}

/* Valid JSON of the wrong shape: each message names what was expected,
 * at the offending value (at the object for a missing key). */
static void shape_errors(void) {
    small pr = small_project(".");
    const graph *g = pr.g;
    fails(g, "['cleave.plan/1']", "plan.json:1:1: expected a plan object (cleave.plan/1)");
    fails(g, "{'services': []}",
          "plan.json:1:1: not a cleave plan: expected \"schema\": \"cleave.plan/1\"");
    fails(g, "{'services': [],\n 'schema': 'cleave.graph/1'}",
          "plan.json:2:12: not a cleave plan: expected \"schema\": \"cleave.plan/1\"");
    fails(g, "{'schema': 1}", "plan.json:1:12: not a cleave plan: expected \"schema\": \"cleave.plan/1\"");
    fails(g, "{'schema': 'cleave.plan/1'}", "plan.json:1:1: missing key 'services'");
    fails(g, "{'schema': 'cleave.plan/1', 'services': {}}",
          "plan.json:1:41: expected an array of services");
    fails(g, "{'schema': 'cleave.plan/1', 'services': [\n  'alpha']}",
          "plan.json:2:3: expected a service object");
    fails(g, "{'schema': 'cleave.plan/1', 'services': [\n  {'kind': 'service', 'functions': []}]}",
          "plan.json:2:3: missing key 'name'");
    fails(g, "{'schema': 'cleave.plan/1', 'services': [\n  {'name': 'a', 'functions': []}]}",
          "plan.json:2:3: missing key 'kind'");
    fails(g, "{'schema': 'cleave.plan/1', 'services': [{'name': 7, 'kind': 'service'}]}",
          "plan.json:1:51: expected a service name");
    fails(g, "{'schema': 'cleave.plan/1', 'services': [{'name': '', 'kind': 'service'}]}",
          "plan.json:1:51: expected a service name");
    fails(g, "{'schema': 'cleave.plan/1', 'services': [\n"
             "  {'name': 'a', 'kind': 'service', 'functions': []},\n"
             "  {'name': 'a', 'kind': 'library', 'functions': []}]}",
          "plan.json:3:12: service named twice");
    fails(g, "{'schema': 'cleave.plan/1', 'services': [{'name': 'a', 'kind': 'lambda'}]}",
          "plan.json:1:64: expected \"service\", \"function\", \"library\" or \"program\"");
    fails(g, "{'schema': 'cleave.plan/1', 'services': [{'name': 'a', 'kind': 2}]}",
          "plan.json:1:64: expected \"service\", \"function\", \"library\" or \"program\"");
    fails(g, "{'schema': 'cleave.plan/1', 'services': [{'name': 'a', 'kind': 'service'}]}",
          "plan.json:1:42: missing key 'functions'");
    fails(g, "{'schema': 'cleave.plan/1', 'services': [\n"
             "  {'name': 'a', 'kind': 'service', 'functions': 'a_main'}]}",
          "plan.json:2:49: expected an array of strings");
    /* a number where a function id belongs */
    fails(g, "{'schema': 'cleave.plan/1', 'services': [\n"
             "  {'name': 'a', 'kind': 'service', 'functions': ['a_main', 12]}]}",
          "plan.json:2:60: expected a string");
    fails(g, "{'schema': 'cleave.plan/1', 'services': [\n"
             "  {'name': 'a', 'kind': 'service', 'functions': [], 'files': [null]}]}",
          "plan.json:2:63: expected a string");
    fails(g, "{'schema': 'cleave.plan/1', 'services': [\n"
             "  {'name': 'a', 'kind': 'service', 'functions': [], 'entry_points': {}}]}",
          "plan.json:2:69: expected an array of strings");
    fails(g, "{'schema': 'cleave.plan/1', 'services': [], 'interfaces': {}}",
          "plan.json:1:59: expected an array");
    fails(g, "{'schema': 'cleave.plan/1', 'services': [], 'interfaces': [\n"
             "  {'from': 'a', 'to': 'b'}, {'from': 'a'}]}",
          "plan.json:2:29: expected {\"from\": service, \"to\": service}");
    fails(g, "{'schema': 'cleave.plan/1', 'services': [], 'shared_state': 3}",
          "plan.json:1:61: expected an array");
    fails(g, "{'schema': 'cleave.plan/1', 'services': [], 'shared_state': [\n"
             "  {'global': 'counter', 'writers': 'a'}]}",
          "plan.json:2:3: expected {\"global\": id, \"writers\": [services]}");
    fails(g, "{'schema': 'cleave.plan/1', 'services': [], 'traffic': {'loop_iterations': 10}}",
          "plan.json:1:56: expected {\"loop_iterations\": N, \"entries\": [...]} and a cost_model "
          "rate");
    fails(g, "{'schema': 'cleave.plan/1', 'services': [], 'cost_model': {'rate': 3600},\n"
             " 'traffic': {'loop_iterations': 10, 'entries': [\n"
             "  {'function': 'a_main', 'per_hour': 3600, 'from': 'somewhere'}]}}",
          "plan.json:3:3: expected {\"function\": id, \"per_hour\": N, \"from\": where}");
    small_free(&pr);
}

/* plan_load of path fails with want, and sets *out to NULL whatever it
 * held. */
static void unreadable(const graph *g, const char *path, const char *want) {
    plan_ref *r = (plan_ref *)&r;
    char *err = NULL;
    CHECK_INT(plan_load(path, g, NULL, &r, &err), -1);
    CHECK(r == NULL);
    CHECK_STR(err, want);
    free(err);
}

/* A path that is no readable file: the path and the reason. */
static void file_errors(void) {
    small pr = small_project(".");
    unreadable(pr.g, "missing.json", "missing.json: No such file or directory");
    REQUIRE(mkdir("adir", 0777) == 0 || access("adir", F_OK) == 0);
    unreadable(pr.g, "adir", "adir: Is a directory");
    /* a FIFO is refused at once: reading it would wait for a writer */
    REQUIRE(mkfifo("afifo", 0600) == 0 || access("afifo", F_OK) == 0);
    unreadable(pr.g, "afifo", "afifo: not a regular file");
    small_free(&pr);
}

static const test_case cases[] = {
    {"mapping", mapping},
    {"placement_rules", placement_rules},
    {"moved_file", moved_file},
    {"plan_path", plan_path},
    {"demo_roundtrip", demo_roundtrip},
    {"traffic_replayed", traffic_replayed},
    {"syntax_errors", syntax_errors},
    {"shape_errors", shape_errors},
    {"file_errors", file_errors},
};

int main(int argc, char **argv) {
    char dir[] = "/tmp/cleave-test-plan-load-XXXXXX";
    if (!mkdtemp(dir) || chdir(dir) != 0) {
        perror("test_plan_load: temporary directory");
        return 1;
    }
    int rc = test_main(argc, argv, cases, TEST_COUNT(cases));
    char *cmd = xasprintf("rm -rf '%s'", dir);
    if (chdir("/") != 0 || system(cmd) != 0) {
        fprintf(stderr, "test_plan_load: cannot remove %s\n", dir);
        rc = 1;
    }
    free(cmd);
    return rc;
}
