/*
 * cmd_merge.c - `cleave merge FACTS... [-o FILE] [-j N] [--cache-dir DIR |
 * --no-cache] [--unit-timeout S] [-q]`: joins the shard files of `cleave
 * scan --shard K/N` into the graph JSON a whole scan of the project gives,
 * byte for byte.  The inputs must be the N slices of one project, each
 * exactly once, in any order.  A slice sees only part of the programs, so
 * the second builds a whole scan reads (a file again, in the build of a
 * program linking it) are read here, from the project the shards name,
 * as the whole scan reads them (scan_second_builds); where that project
 * cannot be read (shards merged on another machine), merge warns that
 * its graph lacks them.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "util/common.h"
#include "frontend/project.h"
#include "graph/graph_json.h"
#include "scan/scan.h"
#include "scan/shard.h"

#define STR_(x) #x
#define STR(x) STR_(x)

static const char USAGE[] =
    "usage: cleave merge FACTS... [-o FILE] [-j N] [--cache-dir DIR | --no-cache]\n"
    "                    [--unit-timeout SECONDS] [-q]\n\n"
    "Joins the shard files written by 'cleave scan --shard K/N -o FACTS' into\n"
    "the graph JSON one 'cleave scan' of the whole project writes.  Give all N\n"
    "files of one project, in any order.  The files a whole scan reads again\n"
    "in the build of a program linking them (second builds) are read here,\n"
    "from the tree and compile database the shards name; where those cannot\n"
    "be read (another machine), merge warns that the graph lacks them.\n\n"
    "  -o, --output FILE    where to write the graph (default: - for stdout)\n"
    "  -j, --jobs N         units parsed at once (default: the number of CPUs)\n"
    "      --cache-dir DIR  per-unit facts cache for the second builds (default:\n"
    "                       the project's, as 'cleave scan' uses)\n"
    "      --no-cache       neither read nor write a cache\n"
    "      --unit-timeout SECONDS\n"
    "                       fail a unit whose parse takes longer\n"
    "                       (default: " STR(SCAN_UNIT_TIMEOUT) "; 0: no limit)\n"
    "  -q, --quiet          no warnings, per-unit errors or summary on stderr\n"
    "  -h, --help           this text\n";

typedef struct opts {
    char **files; /* FACTS..., count of them */
    size_t count;
    const char *output;
    scan_options scan;
    cli_cache cache;
} opts;

/* The project to read second builds with into *p (NULL: none needed, or
 * it cannot be read here: warned); returns the exit code. */
static int secondproject(shard *const *s, size_t count, const opts *o, project **p) {
    *p = NULL;
    size_t second = shard_second_builds(s, count);
    if (!second) return CLEAVE_EXIT_OK;
    char *err = NULL;
    int rc = shard_project(s[0], p, &err);
    if (rc < 0) {
        cli_error(err);
        free(err);
        return CLEAVE_EXIT_USAGE;
    }
    /* a path and a reason from the shard files: escaped */
    char *why = err ? str_printable(err) : NULL;
    if (rc > 0 && !o->scan.quiet)
        fprintf(stderr,
                "cleave: warning: %s: cannot read the project the shards were scanned from "
                "here, so the second builds its programs need (%zu "
                "file%s to read again in the build of a program linking %s) are not read: this "
                "graph is not a whole scan's (merge in the tree or a folder above it, on the "
                "machine with its compile database, or scan without --shard)\n",
                why, second, second == 1 ? "" : "s", second == 1 ? "it" : "them");
    free(why);
    free(err);
    return CLEAVE_EXIT_OK;
}

/* Merges the checked shards and writes the graph; returns the exit code. */
static int writemerged(shard *const *s, size_t count, opts *o) {
    const shard *first = s[0];
    project *p = NULL;
    int rc = secondproject(s, count, o, &p);
    if (rc != CLEAVE_EXIT_OK) return rc;
    char *dir = p ? cli_scan_setup(&o->cache, p, &o->scan) : NULL;
    size_t parsed;
    graph *g = shard_graph(s, count, p, &o->scan, &parsed);
    free(dir);
    project_free(p);
    if (!o->scan.quiet) scan_summary(g, NULL);
    if (parsed == 0) {
        /* the root comes from the shard files: escaped */
        char *msg = xasprintf("%s: no unit could be parsed; nothing written", first->root);
        cli_error(msg);
        free(msg);
        rc = CLEAVE_EXIT_NOTHING;
    } else {
        char *json = graph_json_render(g);
        if (cli_write_output(o->output, json) != 0) rc = CLEAVE_EXIT_INTERNAL;
        free(json);
    }
    graph_free(g);
    return rc;
}

static int parse(int argc, char **argv, opts *o) {
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"jobs", required_argument, NULL, 'j'},
        {"cache-dir", required_argument, NULL, CLI_OPT_CACHE_DIR},
        {"no-cache", no_argument, NULL, CLI_OPT_NO_CACHE},
        {"unit-timeout", required_argument, NULL, CLI_OPT_UNIT_TIMEOUT},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c, rc = CLEAVE_EXIT_OK;
    optind = 1;
    opterr = 0;
    /* each case sets rc; the first bad option ends the loop */
    while (rc == CLEAVE_EXIT_OK && (c = getopt_long(argc, argv, ":o:j:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': o->output = optarg; break;
        case 'j': rc = cli_parse_int("merge", "-j", optarg, 1, 4096, &o->scan.jobs); break;
        case CLI_OPT_CACHE_DIR:
        case CLI_OPT_NO_CACHE:
        case CLI_OPT_UNIT_TIMEOUT: rc = cli_scan_option("merge", &o->cache, c, optarg); break;
        case 'q': o->scan.quiet = 1; break;
        case 'h': fputs(USAGE, stdout); return CLI_HELP;
        default: rc = cli_bad_option("merge", c, argv[optind - 1]);
        }
    }
    if (rc != CLEAVE_EXIT_OK) return rc;
    o->files = argv + optind;
    o->count = (size_t)(argc - optind);
    if (o->count == 0) return cli_usage_error("merge", "no shard files given");
    return CLEAVE_EXIT_OK;
}

static int run(int argc, char **argv) {
    opts o = {.output = "-"};
    int rc = parse(argc, argv, &o);
    if (rc != CLEAVE_EXIT_OK) {
        cli_cache_free(&o.cache);
        return rc == CLI_HELP ? CLEAVE_EXIT_OK : rc;
    }

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
    rc = writemerged(s, o.count, &o);
cleanup:
    free(err);
    for (size_t i = 0; i < o.count; i++) shard_free(s[i]);
    free(s);
    cli_cache_free(&o.cache);
    return rc;
}

const cmd_entry cmd_merge_entry = {"merge", "join the shard files of 'scan --shard' into one graph",
                                   run};
