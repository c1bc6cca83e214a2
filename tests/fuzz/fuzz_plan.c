/*
 * fuzz_plan.c - the plan reader (plan/plan_load.c): the input is a
 * plan.json, read over the graph of fixtures/demo.
 */
#include "fuzz.h"
#include "graph/graph_load.h"
#include "plan/plan_load.h"

static graph *demo;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    char *path = fuzz_path(FUZZ_SOURCE_DIR, "fixtures/demo/expected.json");
    char *err = NULL;
    if (graph_load(path, &demo, &err) != 0) {
        fprintf(stderr, "fuzz: %s\n", err);
        exit(1);
    }
    free(path);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *path = fuzz_file("plan.json", data, size);
    plan_ref *r = NULL;
    char *err = NULL;
    if (plan_load(path, demo, NULL, &r, &err) == 0)
        plan_ref_free(r);
    else
        free(err);
    return 0;
}
