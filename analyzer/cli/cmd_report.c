/*
 * cmd_report.c - `cleave report PLAN`: the HTML report of a saved plan
 * (report_html.h; docs/report.md), from plan.json and the graph.json
 * beside it, as `cleave plan` writes both.  The same page `cleave plan`
 * writes as OUTDIR/report.html.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "graph/graph.h"
#include "plan/plan_load.h"
#include "reports/report_html.h"
#include "util/common.h"

static const char USAGE[] =
    "usage: cleave report PLAN [--graph graph.json] [-o FILE]\n"
    "                     [--hide-may-calls] [--no-state] [--min-sites N] [--no-fit]\n\n"
    "Writes the HTML report of a plan written by `cleave plan`: one self-contained\n"
    "page (no network, opens from file://) with the overview, the service map,\n"
    "a panel per service, the dependency matrix, search, and why each function\n"
    "is where it is (docs/report.md).\n\n"
    "  PLAN                  the plan.json\n"
    "      --graph FILE      the graph it was made from (default: graph.json beside PLAN)\n"
    "  -o, --output FILE     where to write (default: report.html beside PLAN; - for stdout)\n"
    "      --hide-may-calls  the map leaves out calls known only by their pointer's type\n"
    "      --no-state        the map leaves out shared state\n"
    "      --no-fit          the map is drawn at its size, not fitted to a screen\n"
    "      --min-sites N     the map leaves out call edges of fewer than N call sites\n"
    "  -h, --help            this text\n";

typedef struct opts {
    const char *plan_file, *graph_file, *output;
    dot_options dot;
} opts;

static int parse(int argc, char **argv, opts *o) {
    enum { OPT_GRAPH = 256, OPT_HIDE_MAY, OPT_NO_STATE, OPT_MIN_SITES, OPT_NO_FIT };
    static const struct option longopts[] = {
        {"graph", required_argument, NULL, OPT_GRAPH},
        {"output", required_argument, NULL, 'o'},
        {"hide-may-calls", no_argument, NULL, OPT_HIDE_MAY},
        {"no-state", no_argument, NULL, OPT_NO_STATE},
        {"no-fit", no_argument, NULL, OPT_NO_FIT},
        {"min-sites", required_argument, NULL, OPT_MIN_SITES},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c, rc = CLEAVE_EXIT_OK;
    optind = 1;
    opterr = 0;
    while (rc == CLEAVE_EXIT_OK && (c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_GRAPH: o->graph_file = optarg; break;
        case 'o': o->output = optarg; break;
        case OPT_HIDE_MAY: o->dot.hide_may = 1; break;
        case OPT_NO_STATE: o->dot.no_state = 1; break;
        case OPT_NO_FIT: o->dot.no_fit = 1; break;
        case OPT_MIN_SITES:
            rc = cli_parse_int("report", "--min-sites", optarg, 0, 1000000000, &o->dot.min_sites);
            break;
        case 'h': fputs(USAGE, stdout); return CLI_HELP;
        default: rc = cli_bad_option("report", c, argv[optind - 1]);
        }
    }
    if (rc != CLEAVE_EXIT_OK) return rc;
    if (argc - optind != 1) return cli_usage_error("report", "give one PLAN (a plan.json)");
    o->plan_file = argv[optind];
    return CLEAVE_EXIT_OK;
}

static int run(int argc, char **argv) {
    opts o = {0};
    int rc = parse(argc, argv, &o);
    if (rc != CLEAVE_EXIT_OK) return rc == CLI_HELP ? CLEAVE_EXIT_OK : rc;
    graph *g = NULL;
    plan_ref *ref = NULL;
    report_model *m = NULL;
    char *html = NULL, *err = NULL, *beside = NULL;
    rc = cli_report_open(o.plan_file, o.graph_file, &g, &ref, &m);
    if (rc != CLEAVE_EXIT_OK) goto cleanup;
    if (report_html(m, &o.dot, 1, NULL, &html, &err) != 0) {
        fprintf(stderr, "cleave: %s\n", err);
        rc = CLEAVE_EXIT_INTERNAL;
        goto cleanup;
    }
    if (!o.output) {
        char *dir = path_dirname(o.plan_file);
        o.output = beside = path_join(dir, "report.html");
        free(dir);
    }
    if (cli_write_output(o.output, html) != 0) rc = CLEAVE_EXIT_INTERNAL;
cleanup:
    free(beside);
    free(err);
    free(html);
    report_model_free(m);
    plan_ref_free(ref);
    graph_free(g);
    return rc;
}

const cmd_entry cmd_report_entry = {"report", "write the HTML report of a saved plan", run};
