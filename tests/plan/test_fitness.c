/*
 * test_fitness.c - per-component fitness on fixtures where each property
 * is known: a pure handler (function), a cache in globals (service), a
 * socket opened once and reused (service) next to a file opened and closed
 * in one call (function), a per-item remote call two loops deep, a
 * four-hop chain, closed by a may-call; thresholds from the config change the verdict; the cost
 * model's arithmetic; struct fields of the demo's ledger; the traffic
 * model's rates.
 */
#include <stdlib.h>
#include <string.h>

#include "plan/cluster.h"
#include "plan/config.h"
#include "plan/constraints.h"
#include "plan/fitness.h"
#include "frontend/project.h"
#include "scan/scan.h"
#include "test.h"

/* A fixture's plan as `cleave plan` makes it: its cleave.json pins the
 * boundaries.  Stops the case when it cannot. */
static plan *fixture_plan(const char *name, graph **g, config **cfg) {
    char *path = xasprintf("%s/fixtures/%s", CLEAVE_SOURCE_DIR, name);
    char *cpath = path_join(path, CONFIG_FILE_NAME);
    project *pr = NULL;
    char *err = NULL;
    plan *p = NULL;
    *g = NULL;
    *cfg = NULL;
    if (project_open(path, NULL, &pr, &err) != 0 || config_load(cpath, cfg, &err) != 0) {
        fprintf(stderr, "%s\n", err);
        free(err);
        goto cleanup;
    }
    scan_options opt = {0};
    opt.quiet = 1;
    size_t parsed;
    *g = scan_project(pr, name, &opt, &parsed);
    plan_options popt = {0};
    p = cluster_plan(*g, &popt);
    constraints_apply(p, *cfg);
    fitness_compute(p, &(*cfg)->fitness, 0);
cleanup:
    project_free(pr);
    free(cpath);
    free(path);
    REQUIRE(p != NULL); /* the fixture loads */
    return p;
}

static const plan_fitness *fit(const plan *p, const char *service) {
    size_t s = plan_find_service(p, service);
    REQUIRE(s != PLAN_NONE);
    return &p->services.v[s].fitness;
}

static void done(plan *p, graph *g, config *cfg) {
    plan_free(p);
    graph_free(g);
    config_free(cfg);
}

static void pure_handler(void) {
    graph *g;
    config *cfg;
    plan *p = fixture_plan("fitness_pure", &g, &cfg);
    const plan_fitness *f = fit(p, "resize");
    CHECK_INT(f->recommendation, PLAN_FUNCTION);
    CHECK_INT(f->writes.n + f->statics.n + f->reads.n + f->resources.n + f->store.n, 0);
    CHECK_INT(f->cold_functions, 2); /* resize_handle and scale */
    CHECK_INT(f->cold_loc, p->services.v[plan_find_service(p, "resize")].loc);
    CHECK(f->bytes_estimate == f->cold_loc * FITNESS_BYTES_PER_LOC);
    CHECK_INT(f->trace_depth, 0);
    CHECK_INT(f->callers, 1);
    CHECK(f->confidence >= 0.85);
    f = fit(p, "front");
    CHECK_INT(f->trace_depth, 1);
    CHECK_INT(f->fan_out, 1);
    CHECK_INT(f->cross_sites, 1);
    CHECK_INT(f->in_loops, 0);
    /* a tighter size threshold makes the same handler a service */
    cfg->fitness.thresholds.function_max_loc = 3;
    fitness_compute(p, &cfg->fitness, 0);
    f = fit(p, "resize");
    CHECK_INT(f->recommendation, PLAN_SERVICE);
    CHECK(f->reasons.n > 0 && strstr(f->reasons.v[0], "function_max_loc 3") != NULL);
    done(p, g, cfg);
}

static void cache_in_globals(void) {
    graph *g;
    config *cfg;
    plan *p = fixture_plan("fitness_cache", &g, &cfg);
    const plan_fitness *f = fit(p, "prices");
    CHECK_INT(f->recommendation, PLAN_SERVICE);
    CHECK_INT(f->writes.n, 3);
    CHECK_INT(f->store.n, 3);
    CHECK_INT(f->shared_with.n, 0);
    CHECK(f->reasons.n > 0 && strncmp(f->reasons.v[0], "writes 3 global(s)", 18) == 0);
    /* allowing a function three state items lets it be one */
    cfg->fitness.thresholds.function_max_state = 3;
    fitness_compute(p, &cfg->fitness, 0);
    f = fit(p, "prices");
    CHECK_INT(f->recommendation, PLAN_FUNCTION);
    done(p, g, cfg);
}

static void socket_reused(void) {
    graph *g;
    config *cfg;
    plan *p = fixture_plan("fitness_socket", &g, &cfg);
    const plan_fitness *f = fit(p, "metrics");
    CHECK_INT(f->recommendation, PLAN_SERVICE);
    CHECK_INT(f->resources.n, 1);
    if (f->resources.n) {
        CHECK_STR(f->resources.v[0].kind, "socket");
        CHECK_STR(g->funcs.v[f->resources.v[0].call].name, "socket");
    }
    CHECK_INT(f->statics.n, 1); /* the descriptor */
    CHECK_INT(f->writes.n, 0);
    /* fopen and fclose in one call: nothing outlives it */
    f = fit(p, "config");
    CHECK_INT(f->recommendation, PLAN_FUNCTION);
    CHECK_INT(f->resources.n, 0);
    CHECK(f->cold_externals >= 3); /* fopen, fgetc, fclose */
    done(p, g, cfg);
}

static void loop_call(void) {
    graph *g;
    config *cfg;
    plan *p = fixture_plan("fitness_loop", &g, &cfg);
    const plan_fitness *f = fit(p, "orders");
    CHECK_INT(f->in_loops, 1);
    CHECK_INT(f->max_loop_depth, 2);
    CHECK_INT(f->loop_calls.n, 1);
    if (f->loop_calls.n) CHECK_INT(f->loop_calls.v[0].incoming, 0);
    int flagged = 0;
    for (size_t i = 0; i < f->reasons.n; i++)
        flagged |= strstr(f->reasons.v[i], "calls `price_of` in `pricing` inside a loop (depth 2)") != NULL;
    CHECK(flagged);
    f = fit(p, "pricing");
    CHECK_INT(f->in_loops, 1);
    if (f->loop_calls.n) CHECK_INT(f->loop_calls.v[0].incoming, 1);
    CHECK(f->confidence < 0.9); /* a function invoked once per item */
    /* a static const table passed by address is read, not state */
    f = fit(p, "front");
    CHECK_INT(f->in_loops, 0);
    CHECK_INT(f->addressed.n, 0);
    CHECK_INT(f->reads.n, 1);
    CHECK_INT(f->statics.n, 0);
    CHECK_INT(f->recommendation, PLAN_FUNCTION);
    done(p, g, cfg);
}

static void four_hops(void) {
    graph *g;
    config *cfg;
    plan *p = fixture_plan("fitness_chain", &g, &cfg);
    static const struct { const char *service; int depth; } want[] = {
        {"gateway", 4}, {"auth", 3}, {"users", 2}, {"store", 1}, {"disk", 0},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const plan_fitness *f = fit(p, want[i].service);
        CHECK_INT(f->trace_depth, want[i].depth);
        CHECK_INT(f->traces.n, 1);
        if (f->traces.n) {
            CHECK_INT(f->traces.v[0].fan_out, want[i].depth);
            CHECK_INT(f->traces.v[0].cycle, 0);
        }
    }
    const plan_fitness *f = fit(p, "gateway");
    int flagged = 0;
    for (size_t i = 0; i < f->reasons.n; i++) flagged |= strstr(f->reasons.v[i], "hard to trace") != NULL;
    CHECK(flagged);
    /* stateless and called from one service: a library when one caller is enough */
    cfg->fitness.thresholds.library_min_callers = 1;
    fitness_compute(p, &cfg->fitness, 0);
    f = fit(p, "disk");
    CHECK_INT(f->recommendation, PLAN_LIBRARY);
    done(p, g, cfg);
}

/* A type-only may-call from the end of the chain back to its start closes
 * a cycle of all five components: the depth with may-calls stays the
 * longest chain (it once condensed the cycle into one hop, 1 < 4). */
static void may_call_cycle(void) {
    graph *g;
    config *cfg;
    plan *p = fixture_plan("fitness_chain", &g, &cfg);
    size_t from = graph_find_func(g, "disk_read"), to = graph_find_func(g, "handle_request");
    REQUIRE(from != (size_t)-1 && to != (size_t)-1);
    /* calls stay sorted by caller: after the last call of a caller <= disk_read */
    size_t at = 0;
    while (at < g->calls.n && g->calls.v[at].from <= from) at++;
    gcall may = {from, to, EV_TYPE, 1, 1, 0, {0}};
    VEC_PUSH(g->calls, may);
    memmove(g->calls.v + at + 1, g->calls.v + at, (g->calls.n - 1 - at) * sizeof *g->calls.v);
    g->calls.v[at] = may;
    fitness_compute(p, &cfg->fitness, 0);
    const plan_fitness *f = fit(p, "gateway");
    CHECK_INT(f->trace_depth, 4);
    CHECK_INT(f->trace_depth_may, 4);
    REQUIRE(f->traces.n == 1);
    CHECK_INT(f->traces.v[0].cycle, 0);
    CHECK_INT(f->traces.v[0].cycle_may, 1);
    CHECK_INT(f->traces.v[0].fan_out_may, 4);
    for (size_t s = 0; s < p->services.n; s++)
        CHECK(p->services.v[s].fitness.trace_depth_may >= p->services.v[s].fitness.trace_depth);
    done(p, g, cfg);
}

static void cost(void) {
    graph *g;
    config *cfg;
    plan *p = fixture_plan("fitness_pure", &g, &cfg);
    config_cost *k = &cfg->fitness.cost;
    k->service_per_hour = 0.10;
    k->per_invocation = 0.000001;
    k->per_gb_second = 0.00001;
    k->memory_mb = 512;
    k->set = CONFIG_COST_SERVICE_PER_HOUR | CONFIG_COST_PER_INVOCATION | CONFIG_COST_PER_GB_SECOND |
             CONFIG_COST_MEMORY_MB;
    fitness_compute(p, &cfg->fitness, 2000);
    double per_call = 0.000001 + 0.00001 * 0.5 * FITNESS_DURATION_S; /* 1.5e-6 */
    const plan_fitness *f = fit(p, "resize");
    CHECK_DBL(f->service_month, 0.10 * 730, 1e-9);
    CHECK_DBL(f->function_month, 2000 * 730 * per_call, 1e-9);
    CHECK_DBL(f->break_even_rate, 0.10 / per_call, 1e-6);
    CHECK(p->cost.rate == 2000 && p->cost.rate_given);
    CHECK_INT(p->cost.defaults.n, 0); /* the rate came from --rate, the rest from the file */
    /* above the break-even rate the function still is one, with a reason */
    fitness_compute(p, &cfg->fitness, 100000);
    f = fit(p, "resize");
    CHECK_INT(f->recommendation, PLAN_FUNCTION);
    CHECK(f->reasons.n > 0 && strstr(f->reasons.v[f->reasons.n - 1], "service costs less") != NULL);
    /* without a config: cleave's defaults, all of them said to be defaults */
    fitness_compute(p, NULL, 0);
    CHECK(p->cost.rate == 3600 && !p->cost.rate_given);
    CHECK_INT(p->cost.defaults.n, 5);
    done(p, g, cfg);
}

/* The demo: `report` reads the ledger `billing` appends to through a
 * pointer; writing one field (refunded_cents) makes the whole struct
 * mutable state, so the fields report reads are written elsewhere. */
static void demo_ledger(void) {
    char *path = xasprintf("%s/fixtures/demo", CLEAVE_SOURCE_DIR);
    project *pr = NULL;
    char *err = NULL;
    if (project_open(path, NULL, &pr, &err) != 0) fprintf(stderr, "%s\n", err);
    REQUIRE(pr != NULL); /* the demo loads */
    scan_options opt = {0};
    opt.quiet = 1;
    size_t parsed;
    graph *g = scan_project(pr, "demo", &opt, &parsed);
    plan_options popt = {0};
    plan *p = cluster_plan(g, &popt);
    fitness_compute(p, NULL, 0);
    size_t f = graph_find_func(g, "report_cmd_sales"), count = graph_find_global(g, "billing_ledger.count");
    size_t ledger = graph_find_global(g, "billing_ledger");
    REQUIRE(f != (size_t)-1 && count != (size_t)-1 && ledger != (size_t)-1);
    const plan_fitness *rf = &p->services.v[p->assign[f]].fitness;
    int found = 0;
    for (size_t i = 0; i < rf->foreign.n; i++) found |= rf->foreign.v[i] == count;
    CHECK(found);
    /* billing only takes the ledger's address, yet it is its state */
    const plan_fitness *bf = &p->services.v[p->assign[graph_find_func(g, "billing_shutdown")]].fitness;
    found = 0;
    for (size_t i = 0; i < bf->store.n; i++) found |= bf->store.v[i] == ledger;
    CHECK(found);
    CHECK_INT(bf->recommendation, PLAN_SERVICE);
    plan_free(p);
    graph_free(g);
    project_free(pr);
    free(path);
}

/* The rate across the interface from -> to, or -1 when there is none. */
static double iface_rate(const plan *p, const char *from, const char *to) {
    size_t a = plan_find_service(p, from), b = plan_find_service(p, to);
    for (size_t i = 0; i < p->interfaces.n; i++)
        if (p->interfaces.v[i].from == a && p->interfaces.v[i].to == b)
            return p->interfaces.v[i].rate;
    return -1;
}

static int has_reason(const plan_fitness *f, const char *text) {
    for (size_t i = 0; i < f->reasons.n; i++)
        if (strstr(f->reasons.v[i], text)) return 1;
    return 0;
}

/* Entry rates from cleave.json carried through a loop, a split may-call, a
 * recursion and into a library a pin declares (fixtures/traffic_loop/EXPECT.md). */
static void traffic(void) {
    graph *g;
    config *cfg;
    plan *p = fixture_plan("traffic_loop", &g, &cfg);
    REQUIRE(p->traffic.entries.n == 2);
    CHECK_STR(g->funcs.v[p->traffic.entries.v[0].function].id, "api_order");
    CHECK_INT(p->traffic.entries.v[0].from, 0);
    CHECK_DBL(p->traffic.entries.v[0].per_hour, 7200, 1e-9);
    CHECK_STR(g->funcs.v[p->traffic.entries.v[1].function].id, "api_report");
    CHECK_INT(p->traffic.entries.v[1].from, 1); /* by its file's glob */
    CHECK_DBL(iface_rate(p, "api", "orders"), 2, 1e-9);
    CHECK_DBL(iface_rate(p, "api", "report"), 0.1, 1e-9);
    CHECK_DBL(iface_rate(p, "orders", "pricing"), 10, 1e-9);   /* 2 x 10 iterations / 2 sites */
    CHECK_DBL(iface_rate(p, "report", "pricing"), 0.05, 1e-9); /* the recursion taken once */
    CHECK_DBL(iface_rate(p, "pricing", "rules"), 5.025, 1e-9); /* a may-call of two targets */
    CHECK_DBL(iface_rate(p, "orders", "log"), -1, 0);          /* linked in */
    const plan_fitness *f = fit(p, "pricing");
    CHECK_DBL(f->rate_in, 10.05, 1e-9);
    CHECK_DBL(f->rate_entry, 0, 0);
    /* its own rate, half a remote call waited on per invocation */
    CHECK_DBL(f->duration_s, FITNESS_DURATION_S + 0.5 * FITNESS_CALL_WAIT_S, 1e-12);
    CHECK_DBL(f->function_month,
              10.05 * 3600 * 730 * (0.0000002 + 0.0000167 * 0.25 * f->duration_s), 1e-9);
    CHECK(f->function_month > 10 * fit(p, "report")->function_month);
    f = fit(p, "orders");
    CHECK_DBL(f->rate_out, 10, 1e-9);
    CHECK_DBL(f->duration_s, FITNESS_DURATION_S + 5 * FITNESS_CALL_WAIT_S, 1e-12);
    CHECK_DBL(fit(p, "api")->rate_entry, 2.1, 1e-9);
    CHECK(fit(p, "report")->function_month < fit(p, "rules")->function_month);
    /* the declared library: its kind, the pin named, its state said */
    size_t log = plan_find_service(p, "log");
    REQUIRE(log != PLAN_NONE);
    CHECK_INT(p->services.v[log].kind, PLAN_LIBRARY);
    f = fit(p, "log");
    CHECK_DBL(f->rate_in, 1, 1e-9);
    CHECK_INT(f->recommendation, PLAN_LIBRARY);
    CHECK(has_reason(f, "cleave.json declares it a library (plan.pin[5])"));
    CHECK(has_reason(f, "keeps state (writes globals such as `src/log/log.c:audit_lines`)"));
    CHECK(!has_reason(f, "keeps no state"));
    /* every entry has its rate from the file: --rate changes nothing */
    fitness_compute(p, &cfg->fitness, 100);
    CHECK_DBL(iface_rate(p, "orders", "pricing"), 10, 1e-9);
    /* fewer loop iterations, fewer calls per item */
    cfg->fitness.traffic.loop_iterations = 4;
    fitness_compute(p, &cfg->fitness, 0);
    CHECK_DBL(iface_rate(p, "orders", "pricing"), 4, 1e-9);
    CHECK_DBL(p->traffic.loop_iterations, 4, 0);
    done(p, g, cfg);
}

static const test_case cases[] = {
    {"pure_handler", pure_handler},   {"cache_in_globals", cache_in_globals},
    {"socket_reused", socket_reused}, {"loop_call", loop_call},
    {"four_hops", four_hops},         {"cost", cost},
    {"demo_ledger", demo_ledger},     {"traffic", traffic},
    {"may_call_cycle", may_call_cycle},
};

int main(int argc, char **argv) {
    return test_main(argc, argv, cases, TEST_COUNT(cases));
}
