/*
 * cmd_graph.c - `cleave graph`: the call graph, or the part of it within N
 * calls of a function, file, directory or service, collapsed to functions,
 * files, directories or services, as DOT or SVG.  The graph comes from a
 * graph JSON (--graph) or a scan of PATH; services from a plan (--plan,
 * read by plan_load.c).  view.c picks and merges, reports/dot_view.c draws.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/common.h"
#include "reports/dot.h"
#include "plan/plan_load.h"
#include "reports/view.h"

static const char USAGE[] =
    "usage: cleave graph [PATH | --graph graph.json] [-p BUILD_DIR] [--plan plan.json]\n"
    "                    [--focus NAME] [--depth N]\n"
    "                    [--collapse function|file|dir|service] [--format dot|svg]\n"
    "                    [--hide-may-calls] [--min-sites N] [--no-state] [--no-fit]\n"
    "                    [-o FILE] [--cache-dir DIR | --no-cache] [-q]\n\n"
    "Draws the call graph of the project at PATH (default: .), or of a graph\n"
    "written by `cleave scan` or `cleave plan`, as Graphviz DOT or as SVG laid\n"
    "out with dot.  External functions (libc, other libraries) are left out.\n\n"
    "      --graph FILE      read this graph JSON instead of scanning PATH\n"
    "  -p, --build-dir DIR   directory holding compile_commands.json (default: PATH)\n"
    "      --plan FILE       group by the services of this plan; without PATH or\n"
    "                        --graph, the graph.json beside it is read\n"
    "      --focus NAME      only what lies within --depth calls (callers or callees)\n"
    "                        of NAME: a function id or name, a service (with --plan),\n"
    "                        a file or a directory, looked up in that order (then an\n"
    "                        external function); function:, service:, file: or dir:\n"
    "                        before NAME asks for that kind\n"
    "      --depth N         with --focus: how many calls away (default 1)\n"
    "      --collapse LEVEL  one node per function (default), file, dir or service\n"
    "                        (service needs --plan; without --focus, the plan's\n"
    "                        service view, as `cleave plan` writes it)\n"
    "      --hide-may-calls  leave out calls known only by their pointer's type\n"
    "      --min-sites N     leave out edges of fewer than N call sites\n"
    "      --no-state        --collapse service: leave out shared state\n"
    "      --no-fit          --collapse service: draw it at its size, not fitted to a\n"
    "                        screen\n"
    "      --format FORMAT   dot (default; svg when FILE ends in .svg) or svg\n"
    "  -o, --output FILE     where to write (default: - for stdout)\n";
static const char USAGE_END[] =
    "  -q, --quiet           no scan messages\n"
    "  -h, --help            this text\n\n"
    "docs/diagrams.md explains colours and shapes.\n";

/* Writes DOT text as format into output and frees it; returns an exit
 * code (messages printed). */
static int draw(char *text, const char *format, const char *output) {
    int rc = CLEAVE_EXIT_OK;
    if (strcmp(format, "svg") == 0) {
        char *svg = NULL, *err = NULL;
        size_t len = 0;
        if (dot_render(output, text, "svg", &svg, &len, &err) != 0) {
            cli_error(err);
            free(err);
            rc = CLEAVE_EXIT_INTERNAL;
        } else if (cli_write_output(output, svg) != 0) {
            rc = CLEAVE_EXIT_INTERNAL;
        }
        free(svg);
    } else if (cli_write_output(output, text) != 0) {
        rc = CLEAVE_EXIT_INTERNAL;
    }
    free(text);
    return rc;
}

typedef struct opts {
    cli_source src;
    const char *plan_file, *output, *format;
    view_options view;
    dot_options dot;
    int depth_given;
    int beside_plan; /* --plan without PATH or --graph: read the graph.json beside it */
} opts;

static int parse(int argc, char **argv, opts *o) {
    enum { OPT_GRAPH = 256, OPT_PLAN, OPT_FOCUS, OPT_DEPTH, OPT_COLLAPSE, OPT_FORMAT, OPT_HIDE_MAY,
           OPT_MIN_SITES, OPT_NO_STATE, OPT_NO_FIT };
    static const struct option longopts[] = {
        {"graph", required_argument, NULL, OPT_GRAPH},
        {"plan", required_argument, NULL, OPT_PLAN},
        {"build-dir", required_argument, NULL, 'p'},
        {"focus", required_argument, NULL, OPT_FOCUS},
        {"depth", required_argument, NULL, OPT_DEPTH},
        {"collapse", required_argument, NULL, OPT_COLLAPSE},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"hide-may-calls", no_argument, NULL, OPT_HIDE_MAY},
        {"min-sites", required_argument, NULL, OPT_MIN_SITES},
        {"no-state", no_argument, NULL, OPT_NO_STATE},
        {"no-fit", no_argument, NULL, OPT_NO_FIT},
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
        case 'p': o->src.build_dir = optarg; break;
        case OPT_FOCUS: o->view.focus = optarg; break;
        case OPT_DEPTH:
            o->depth_given = 1;
            rc = cli_parse_int("graph", "--depth", optarg, 0, 1000, &o->view.depth);
            break;
        case OPT_COLLAPSE:
            if (view_level_parse(optarg, &o->view.level) != 0)
                rc = cli_bad_value("graph", "--collapse", optarg, "function, file, dir or service");
            break;
        case OPT_FORMAT:
            if (strcmp(optarg, "dot") != 0 && strcmp(optarg, "svg") != 0)
                rc = cli_bad_value("graph", "--format", optarg, "dot or svg");
            o->format = optarg;
            break;
        case OPT_HIDE_MAY: o->dot.hide_may = 1; break;
        case OPT_NO_STATE: o->dot.no_state = 1; break;
        case OPT_NO_FIT: o->dot.no_fit = 1; break;
        case OPT_MIN_SITES:
            rc = cli_parse_int("graph", "--min-sites", optarg, 0, 1000000000, &o->dot.min_sites);
            break;
        case 'o': o->output = optarg; break;
        case 'q': o->src.scan.quiet = 1; break;
        case 'h': cli_scan_help(USAGE, 24, USAGE_END); return CLI_HELP;
        case CLI_OPT_CACHE_DIR:
        case CLI_OPT_NO_CACHE:
        case CLI_OPT_ALLOW_DIR:
        case CLI_OPT_UNIT_TIMEOUT: rc = cli_scan_option("graph", &o->src.cache, c, optarg); break;
        default: rc = cli_bad_option("graph", c, argv[optind - 1]);
        }
    }
    if (rc != CLEAVE_EXIT_OK) return rc;
    if (argc - optind > 1) return cli_usage_error("graph", "more than one PATH");
    if (o->src.graph_file && optind < argc)
        return cli_usage_error("graph", "give PATH or --graph, not both");
    if (optind < argc) o->src.path = argv[optind];
    else o->beside_plan = o->plan_file && !o->src.graph_file;
    if (o->depth_given && !o->view.focus) return cli_usage_error("graph", "--depth needs --focus");
    if (o->view.level == VIEW_SERVICE && !o->plan_file)
        return cli_usage_error("graph", "--collapse service needs --plan");
    if (!o->format) o->format = str_endswith(o->output, ".svg") ? "svg" : "dot";
    return CLEAVE_EXIT_OK;
}

static int run(int argc, char **argv) {
    opts o = {.src.path = ".", .output = "-", .view = {VIEW_FUNCTION, NULL, 1}};
    int rc = parse(argc, argv, &o);
    if (rc != CLEAVE_EXIT_OK) {
        cli_cache_free(&o.src.cache);
        return rc == CLI_HELP ? CLEAVE_EXIT_OK : rc;
    }

    char *beside = NULL, *err = NULL;
    graph *g = NULL;
    plan_ref *ref = NULL;
    view *v = NULL;
    /* a plan's own graph sits beside it (cleave plan writes both) */
    if (o.beside_plan) {
        char *dir = path_dirname(o.plan_file);
        o.src.graph_file = beside = path_join(dir, "graph.json");
        free(dir);
    }
    rc = cli_graph_open(&o.src, &g);
    if (rc != CLEAVE_EXIT_OK) goto cleanup;
    if (o.plan_file && plan_load(o.plan_file, g, NULL, &ref, &err) != 0) {
        cli_error(err);
        rc = CLEAVE_EXIT_USAGE;
        goto cleanup;
    }
    if (view_build(g, ref ? ref->p : NULL, &o.view, &v, &err) != 0) {
        fprintf(stderr, "cleave: graph: %s\n", err);
        rc = CLEAVE_EXIT_USAGE;
    } else if (strcmp(o.format, "svg") == 0 && v->nodes.n > DOT_RENDER_MAX_FUNCTIONS) {
        fprintf(stderr,
                "cleave: graph: %zu nodes is more than dot lays out in reasonable time (%d); "
                "narrow it with --focus NAME --depth N or --collapse file, or write --format dot\n",
                v->nodes.n, DOT_RENDER_MAX_FUNCTIONS);
        rc = CLEAVE_EXIT_USAGE;
    } else {
        /* which kind of thing the focus named */
        if (v->focus_note && !o.src.scan.quiet)
            fprintf(stderr, "cleave: graph: %s\n", v->focus_note);
        /* the whole plan by service: the plan's own service view, byte for
         * byte the services.dot `cleave plan` wrote (rates replayed) */
        int whole = o.view.level == VIEW_SERVICE && !o.view.focus;
        rc = draw(whole ? dot_services_text(ref->p, &o.dot) : dot_view_text(v, &o.dot), o.format,
                  o.output);
    }
cleanup:
    free(err);
    view_free(v);
    plan_ref_free(ref);
    graph_free(g);
    free(beside);
    cli_cache_free(&o.src.cache);
    return rc;
}

const cmd_entry cmd_graph_entry = {"graph", "draw the call graph, or part of it, as DOT or SVG",
                                   run};
