/*
 * cli_report.c - the plan, its graph and their report model, as `cleave
 * report` and `cleave explain` read them (cli.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "graph/graph_load.h"
#include "plan/plan_load.h"
#include "reports/report_model.h"
#include "util/common.h"

int cli_report_open(const char *plan_file, const char *graph_file, graph **g, plan_ref **ref,
                    report_model **m) {
    *g = NULL;
    *ref = NULL;
    *m = NULL;
    char *beside = NULL, *err = NULL, *text = NULL;
    size_t len = 0;
    int rc = CLEAVE_EXIT_USAGE;
    if (!graph_file) {
        char *dir = path_dirname(plan_file);
        graph_file = beside = path_join(dir, "graph.json");
        free(dir);
    }
    /* the plan first: a wrong plan path is named as such, not as a missing graph */
    text = file_read_all(plan_file, &len);
    if (!text) {
        err = xasprintf("%s: cannot read the plan: %s", plan_file, strerror(errno));
        goto cleanup;
    }
    if (graph_load(graph_file, g, &err) != 0) goto cleanup;
    if (plan_load(plan_file, *g, NULL, ref, &err) != 0) goto cleanup;
    if (report_model_build((*ref)->p, plan_file, text, len, m, &err) != 0) goto cleanup;
    rc = CLEAVE_EXIT_OK;
cleanup:
    if (rc != CLEAVE_EXIT_OK) {
        fprintf(stderr, "cleave: %s\n", err);
        plan_ref_free(*ref);
        graph_free(*g);
        *ref = NULL;
        *g = NULL;
    }
    free(text);
    free(err);
    free(beside);
    return rc;
}
