/*
 * fuzz_baseline.c - the baseline reader (check/baseline.c): the input is
 * a baseline file, applied to the findings of fixtures/check_bad against
 * its plan and config (the graph is scanned at build time, seeds.cmake).
 */
#include "fuzz.h"
#include "check/baseline.h"
#include "graph/graph_load.h"
#include "plan/config.h"
#include "plan/plan_load.h"

static graph *g;
static config *cfg;
static plan_ref *ref;

static void need(int rc, char *err) {
    if (rc == 0) return;
    fprintf(stderr, "fuzz: %s\n", err);
    exit(1);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    char *err = NULL;
    char *gp = fuzz_path(FUZZ_DATA_DIR, "check_bad.graph.json");
    char *cp = fuzz_path(FUZZ_SOURCE_DIR, "fixtures/check_bad/cleave.json");
    char *pp = fuzz_path(FUZZ_SOURCE_DIR, "fixtures/check_bad/plan.json");
    need(graph_load(gp, &g, &err), err);
    need(config_load(cp, &cfg, &err), err);
    need(plan_load(pp, g, cfg, &ref, &err), err);
    free(gp);
    free(cp);
    free(pp);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *path = fuzz_file("baseline.json", data, size);
    check_result *c = check_run(ref, cfg);
    char *err = NULL;
    if (baseline_apply(path, c, &err) != 0) free(err);
    check_result_free(c);
    return 0;
}
