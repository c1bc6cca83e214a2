/*
 * cmd_explain.c - `cleave explain NAME`: what a plan knows about one
 * function, service, file or global - where it is, why (the plan's
 * placement), how it is reached, the calls crossing its boundary with
 * their sites and evidence (reports/explain.h).  The terminal's view of the
 * HTML report's panels.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "graph/graph.h"
#include "plan/plan_load.h"
#include "reports/explain.h"
#include "util/common.h"

static const char USAGE[] =
    "usage: cleave explain NAME [--plan plan.json] [--graph graph.json]\n\n"
    "Prints the evidence a plan holds about NAME: a function (id or name), a\n"
    "service, a file or a global, looked up in that order; \"function:\",\n"
    "\"service:\", \"file:\" or \"global:\" before NAME looks for that kind only.\n"
    "For a function: its component, how it is reached (API, callback, trigger),\n"
    "why it is there, and the calls crossing its component's boundary with\n"
    "their sites and evidence; for a service: its files, entry points,\n"
    "interfaces, state and verdict.\n\n"
    "      --plan FILE       the plan (default: cleave-out/plan.json)\n"
    "      --graph FILE      its graph (default: graph.json beside the plan)\n"
    "  -h, --help            this text\n\n"
    "Exit status 2 when nothing has that name.\n";

typedef struct opts {
    const char *name, *plan_file, *graph_file;
} opts;

static int parse(int argc, char **argv, opts *o) {
    enum { OPT_PLAN = 256, OPT_GRAPH };
    static const struct option longopts[] = {
        {"plan", required_argument, NULL, OPT_PLAN},
        {"graph", required_argument, NULL, OPT_GRAPH},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c, rc = CLEAVE_EXIT_OK;
    optind = 1;
    opterr = 0;
    while (rc == CLEAVE_EXIT_OK && (c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_PLAN: o->plan_file = optarg; break;
        case OPT_GRAPH: o->graph_file = optarg; break;
        case 'h': fputs(USAGE, stdout); return CLI_HELP;
        default: rc = cli_bad_option("explain", c, argv[optind - 1]);
        }
    }
    if (rc != CLEAVE_EXIT_OK) return rc;
    if (argc - optind != 1) return cli_usage_error("explain", "give one NAME");
    o->name = argv[optind];
    return CLEAVE_EXIT_OK;
}

static int run(int argc, char **argv) {
    opts o = {.plan_file = "cleave-out/plan.json"};
    int rc = parse(argc, argv, &o);
    if (rc != CLEAVE_EXIT_OK) return rc == CLI_HELP ? CLEAVE_EXIT_OK : rc;
    graph *g = NULL;
    plan_ref *ref = NULL;
    report_model *m = NULL;
    char *text = NULL, *err = NULL;
    rc = cli_report_open(o.plan_file, o.graph_file, &g, &ref, &m);
    if (rc != CLEAVE_EXIT_OK) goto cleanup;
    if (explain_text(m, o.name, &text, &err) != 0) {
        char *msg = xasprintf("explain: %s", err); /* err quotes NAME */
        cli_error(msg);
        free(msg);
        rc = CLEAVE_EXIT_USAGE;
        goto cleanup;
    }
    if (cli_write_output("-", text) != 0) rc = CLEAVE_EXIT_INTERNAL;
cleanup:
    free(err);
    free(text);
    report_model_free(m);
    plan_ref_free(ref);
    graph_free(g);
    return rc;
}

const cmd_entry cmd_explain_entry = {
    "explain", "why a function, service, file or global is where it is", run};
