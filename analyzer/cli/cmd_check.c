/*
 * cmd_check.c - `cleave check`: the CI gate.  Scans the code (or reads a
 * graph), maps it onto the committed plan, computes the findings
 * (check.h), applies the baseline and prints them in the chosen format.
 * Exit codes: 0 no error finding, 1 error findings (or stale baseline
 * entries with --strict-baseline), 2 usage, config, plan or baseline
 * errors, 3 analysis failed (nothing parsed, or coverage below
 * --min-coverage), 4 output error.  docs/check.md is the manual.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/baseline.h"
#include "check/check.h"
#include "reports/check_report.h"
#include "cli/cli.h"
#include "util/common.h"
#include "plan/config.h"
#include "plan/plan_load.h"

static const char USAGE[] =
    "usage: cleave check [PATH | --graph graph.json] [-p BUILD_DIR] --plan plan.json\n"
    "                    [--config cleave.json] [--baseline FILE | --update-baseline FILE]\n"
    "                    [--strict-baseline] [--min-coverage F]\n"
    "                    [--format text|json|sarif|junit|github|markdown|html] [-o FILE]\n"
    "                    [--cache-dir DIR | --no-cache] [-q]\n\n"
    "Checks the current code against a committed split plan and the rules of\n"
    "cleave.json: new cross-service calls and interfaces, shared state, cycles,\n"
    "forbidden dependencies, layers, moved and unplaced functions, plan entries\n"
    "the code no longer has (docs/check.md).\n\n"
    "  PATH                   project to scan (default: .)\n"
    "      --graph FILE       use a graph written by `cleave scan` instead\n"
    "  -p, --build-dir DIR    directory holding compile_commands.json\n"
    "      --plan FILE        the committed plan.json (required)\n"
    "      --config FILE      rules (default: PATH/cleave.json if present)\n"
    "      --baseline FILE    known violations: only new findings fail\n"
    "      --update-baseline FILE  write the current findings as the baseline; exit 0\n"
    "      --strict-baseline  fail on stale baseline entries (fixed violations)\n"
    "      --min-coverage F   fail (exit 3) when under this share of units parse (0..1)\n"
    "      --format F         text (default), json, sarif, junit, github, markdown, html\n"
    "  -o, --output FILE      write the report here (default: -, stdout)\n";
static const char USAGE_END[] =
    "  -q, --quiet            no scan messages\n"
    "  -h, --help             this text\n";

static const check_reporter *const REPORTERS[] = {
    &check_text_reporter,  &check_json_reporter,   &check_sarif_reporter,
    &check_junit_reporter, &check_github_reporter, &check_markdown_reporter,
    &check_html_reporter,
};

typedef struct opts {
    cli_source src;
    const char *plan_file, *config_file, *baseline, *update, *output;
    const check_reporter *fmt;
    int strict;
} opts;

static int parse(int argc, char **argv, opts *o) {
    enum { OPT_GRAPH = 256, OPT_PLAN, OPT_CONFIG, OPT_BASELINE, OPT_UPDATE, OPT_STRICT, OPT_COV, OPT_FORMAT };
    static const struct option longopts[] = {
        {"graph", required_argument, NULL, OPT_GRAPH},
        {"build-dir", required_argument, NULL, 'p'},
        {"plan", required_argument, NULL, OPT_PLAN},
        {"config", required_argument, NULL, OPT_CONFIG},
        {"baseline", required_argument, NULL, OPT_BASELINE},
        {"update-baseline", required_argument, NULL, OPT_UPDATE},
        {"strict-baseline", no_argument, NULL, OPT_STRICT},
        {"min-coverage", required_argument, NULL, OPT_COV},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"output", required_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        CLI_SCAN_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    int c, rc = CLEAVE_EXIT_OK;
    optind = 1;
    opterr = 0;
    /* each case sets rc; the first bad option ends the loop */
    while (rc == CLEAVE_EXIT_OK && (c = getopt_long(argc, argv, ":p:o:qh", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_GRAPH: o->src.graph_file = optarg; break;
        case OPT_PLAN: o->plan_file = optarg; break;
        case OPT_CONFIG: o->config_file = optarg; break;
        case OPT_BASELINE: o->baseline = optarg; break;
        case OPT_UPDATE: o->update = optarg; break;
        case OPT_STRICT: o->strict = 1; break;
        case 'p': o->src.build_dir = optarg; break;
        case 'o': o->output = optarg; break;
        case 'q': o->src.scan.quiet = 1; break;
        case 'h': cli_scan_help(USAGE, 25, USAGE_END); return CLI_HELP;
        case CLI_OPT_CACHE_DIR:
        case CLI_OPT_NO_CACHE:
        case CLI_OPT_ALLOW_DIR: rc = cli_scan_option("check", &o->src.cache, c, optarg); break;
        case OPT_COV:
            rc = cli_parse_double("check", "--min-coverage", optarg, 0, 1, &o->src.min_coverage);
            break;
        case OPT_FORMAT:
            o->fmt = NULL;
            for (size_t i = 0; i < sizeof REPORTERS / sizeof *REPORTERS; i++)
                if (strcmp(REPORTERS[i]->name, optarg) == 0) o->fmt = REPORTERS[i];
            if (!o->fmt)
                rc = cli_bad_value("check", "--format", optarg,
                                   "text, json, sarif, junit, github, markdown or html");
            break;
        default: rc = cli_bad_option("check", c, argv[optind - 1]);
        }
    }
    if (rc != CLEAVE_EXIT_OK) return rc;
    if (argc - optind > 1) return cli_usage_error("check", "more than one PATH");
    if (o->src.graph_file && optind < argc)
        return cli_usage_error("check", "give PATH or --graph, not both");
    if (optind < argc) o->src.path = argv[optind];
    if (!o->plan_file) return cli_usage_error("check", "--plan plan.json is required");
    if (o->baseline && o->update) return cli_usage_error("check", "give --baseline or --update-baseline, not both");
    return CLEAVE_EXIT_OK;
}

static int run(int argc, char **argv) {
    opts o = {.src.path = ".", .output = "-", .fmt = &check_text_reporter};
    int rc = parse(argc, argv, &o);
    if (rc != CLEAVE_EXIT_OK) {
        cli_cache_free(&o.src.cache);
        return rc == CLI_HELP ? CLEAVE_EXIT_OK : rc;
    }

    config *cfg = NULL;
    graph *g = NULL;
    plan_ref *ref = NULL;
    check_result *res = NULL;
    char *err = NULL, *text = NULL;
    /* the rules: --config FILE, else cleave.json at the root (with --graph: here), else
     * the defaults */
    rc = cli_config_load(o.config_file, o.src.graph_file ? "." : o.src.path, &cfg);
    if (rc != CLEAVE_EXIT_OK) goto cleanup;
    if (!cfg) cfg = config_default();
    rc = cli_graph_open(&o.src, &g);
    if (rc != CLEAVE_EXIT_OK) goto cleanup;
    if (plan_load(o.plan_file, g, cfg, &ref, &err) != 0 ||
        config_check_services(cfg, ref->p, &err) != 0) {
        cli_error(err);
        rc = CLEAVE_EXIT_USAGE;
        goto cleanup;
    }
    res = check_run(ref, cfg);
    if (o.update) {
        text = baseline_render(res);
        rc = cli_write_output(o.update, text) == 0 ? CLEAVE_EXIT_OK : CLEAVE_EXIT_INTERNAL;
        if (rc == CLEAVE_EXIT_OK && !o.src.scan.quiet)
            fprintf(stderr, "cleave: wrote %zu finding(s) to the baseline %s\n", res->findings.n, o.update);
        goto cleanup;
    }
    if (o.baseline && baseline_apply(o.baseline, res, &err) != 0) {
        cli_error(err);
        rc = CLEAVE_EXIT_USAGE;
        goto cleanup;
    }
    text = o.fmt->render(res);
    if (cli_write_output(o.output, text) != 0) {
        rc = CLEAVE_EXIT_INTERNAL;
        goto cleanup;
    }
    rc = check_count(res, CONFIG_SEV_ERROR) || (o.strict && res->stale.n) ? CLEAVE_EXIT_FINDINGS
                                                                          : CLEAVE_EXIT_OK;
cleanup:
    free(text);
    free(err);
    check_result_free(res);
    plan_ref_free(ref);
    graph_free(g);
    config_free(cfg);
    cli_cache_free(&o.src.cache);
    return rc;
}

const cmd_entry cmd_check_entry = {"check", "gate a change against a committed split plan (CI)", run};
