/*
 * cmd_scan.c - `cleave scan [PATH] [-p BUILD_DIR] [-o FILE] [-q]`: source
 * tree or compile database in, graph JSON out.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "common.h"
#include "graph_json.h"
#include "project.h"
#include "scan.h"

static const char USAGE[] =
    "usage: cleave scan [PATH] [-p BUILD_DIR] [-o FILE] [-q]\n\n"
    "Parses every C translation unit of the project at PATH (default: .) and\n"
    "writes its call / data-dependency graph as JSON (schema cleave.graph/1).\n\n"
    "  -p, --build-dir DIR  directory holding compile_commands.json (default: PATH)\n"
    "  -o, --output FILE    where to write the graph (default: - for stdout)\n"
    "  -q, --quiet          no per-unit errors or summary on stderr\n"
    "  -h, --help           this text\n\n"
    "Without a compile database cleave walks PATH for .c files, guesses include\n"
    "paths, stands in for headers an unconfigured tree lacks, and says so: the\n"
    "graph is then approximate.\n";

static int run(int argc, char **argv) {
    static const struct option longopts[] = {
        {"build-dir", required_argument, NULL, 'p'},
        {"output", required_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *build_dir = NULL, *output = "-";
    scan_options opt = {0};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":p:o:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'p': build_dir = optarg; break;
        case 'o': output = optarg; break;
        case 'q': opt.quiet = 1; break;
        case 'h': fputs(USAGE, stdout); return CLEAVE_EXIT_OK;
        default: return cli_bad_option("scan", c, argv[optind - 1]);
        }
    }
    if (argc - optind > 1) return cli_usage_error("scan", "more than one PATH");
    const char *path = optind < argc ? argv[optind] : ".";

    project *p = NULL;
    char *err = NULL;
    if (project_open(path, build_dir, &p, &err) != 0) {
        fprintf(stderr, "cleave: %s\n", err);
        free(err);
        return CLEAVE_EXIT_USAGE;
    }
    if (!opt.quiet && !p->db_path) {
        fprintf(stderr,
                "cleave: note: no compile_commands.json for %s: scanning %zu .c files with "
                "guessed include paths; the graph is approximate\n",
                path, p->jobs.n);
        for (size_t i = 0; i < p->standins.n; i++) {
            const project_standin *s = &p->standins.v[i];
            if (s->from)
                fprintf(stderr, "cleave: note: stood in for %s (made from %s, %d switches on)\n",
                        s->header, s->from, s->switches);
            else
                fprintf(stderr, "cleave: note: stood in for %s (empty)\n", s->header);
        }
    }
    if (p->jobs.n == 0) {
        fprintf(stderr, "cleave: %s: no C translation units to analyse\n", path);
        project_free(p);
        return CLEAVE_EXIT_NOTHING;
    }
    char *shown = path_normalize(path);
    size_t parsed = 0;
    graph *g = scan_project(p, shown, &opt, &parsed);
    free(shown);
    project_free(p);
    int rc = CLEAVE_EXIT_OK;
    if (parsed == 0) {
        fprintf(stderr, "cleave: %s: no unit could be parsed; nothing written\n", path);
        rc = CLEAVE_EXIT_NOTHING;
    } else {
        char *json = graph_json_render(g);
        if (cli_write_output(output, json) != 0) rc = CLEAVE_EXIT_INTERNAL;
        free(json);
    }
    graph_free(g);
    return rc;
}

const cmd_entry cmd_scan_entry = {"scan", "parse a C project into a call/data-dependency graph", run};
