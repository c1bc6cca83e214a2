/*
 * cmd_merge.c - `cleave merge FACTS... [-o FILE] [-q]`: joins the shard
 * files of `cleave scan --shard K/N` into the graph JSON a whole scan of
 * the project gives, byte for byte -- but for the second builds a whole
 * scan reads (a file again, in another program's build), which no slice
 * holds: merge warns when there are some.  The inputs must be the N
 * slices of one project, each exactly once, in any order.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "util/common.h"
#include "graph/graph_json.h"
#include "scan/scan.h"
#include "scan/shard.h"

static const char USAGE[] =
    "usage: cleave merge FACTS... [-o FILE] [-q]\n\n"
    "Joins the shard files written by 'cleave scan --shard K/N -o FACTS' into\n"
    "the graph JSON one 'cleave scan' of the whole project writes.  Give all N\n"
    "files of one project, in any order.\n\n"
    "  -o, --output FILE    where to write the graph (default: - for stdout)\n"
    "  -q, --quiet          no warnings or summary on stderr\n"
    "  -h, --help           this text\n";

/* Merges the checked shards and writes the graph; returns the exit code. */
static int writemerged(shard *const *s, size_t count, int quiet, const char *output) {
    const shard *first = s[0];
    size_t parsed;
    graph *g = shard_graph(s, count, &parsed);
    size_t second = shard_second_builds(s, count);
    /* each slice saw part of the programs: the files a whole scan reads
     * again in another program's build are here in one build only */
    if (!quiet && second)
        fprintf(stderr,
                "cleave: warning: a whole scan would read %zu file%s again in the build of a "
                "program linking %s; shards read one build per file, so this graph is not a "
                "whole scan's (scan without --shard to read them)\n",
                second, second == 1 ? "" : "s", second == 1 ? "it" : "them");
    if (!quiet) scan_summary(g, NULL);
    int rc = CLEAVE_EXIT_OK;
    if (parsed == 0) {
        /* the root comes from the shard files: escaped */
        char *msg = xasprintf("%s: no unit could be parsed; nothing written", first->root);
        cli_error(msg);
        free(msg);
        rc = CLEAVE_EXIT_NOTHING;
    } else {
        char *json = graph_json_render(g);
        if (cli_write_output(output, json) != 0) rc = CLEAVE_EXIT_INTERNAL;
        free(json);
    }
    graph_free(g);
    return rc;
}

typedef struct opts {
    char **files; /* FACTS..., count of them */
    size_t count;
    const char *output;
    int quiet;
} opts;

static int parse(int argc, char **argv, opts *o) {
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': o->output = optarg; break;
        case 'q': o->quiet = 1; break;
        case 'h': fputs(USAGE, stdout); return CLI_HELP;
        default: return cli_bad_option("merge", c, argv[optind - 1]);
        }
    }
    o->files = argv + optind;
    o->count = (size_t)(argc - optind);
    if (o->count == 0) return cli_usage_error("merge", "no shard files given");
    return CLEAVE_EXIT_OK;
}

static int run(int argc, char **argv) {
    opts o = {.output = "-"};
    int rc = parse(argc, argv, &o);
    if (rc != CLEAVE_EXIT_OK) return rc == CLI_HELP ? CLEAVE_EXIT_OK : rc;

    shard **s = xcalloc(o.count, sizeof *s);
    char *err = NULL;
    for (size_t i = 0; i < o.count; i++) {
        if (shard_read(o.files[i], cli_cache_key(), &s[i], &err) != 0) {
            cli_error(err);
            rc = CLEAVE_EXIT_USAGE;
            goto cleanup;
        }
    }
    if (shard_check(s, (const char *const *)o.files, o.count, &err) != 0) {
        cli_error(err);
        rc = CLEAVE_EXIT_USAGE;
        goto cleanup;
    }
    rc = writemerged(s, o.count, o.quiet, o.output);
cleanup:
    free(err);
    for (size_t i = 0; i < o.count; i++) shard_free(s[i]);
    free(s);
    return rc;
}

const cmd_entry cmd_merge_entry = {"merge", "join the shard files of 'scan --shard' into one graph",
                                   run};
