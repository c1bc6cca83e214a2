/*
 * cmd_scan.c - `cleave scan [PATH] [-p BUILD_DIR] [-o FILE] [-j N]
 * [--cache-dir DIR | --no-cache] [--shard K/N] [-q]`: source tree or
 * compile database in, graph JSON (or, with --shard, a shard file) out.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/common.h"
#include "frontend/project.h"
#include "scan/scan.h"
#include "scan/shard.h"

static const char USAGE[] =
    "usage: cleave scan [PATH] [-p BUILD_DIR] [-o FILE] [-j N] [--cache-dir DIR | --no-cache]\n"
    "                   [--shard K/N] [-q]\n\n"
    "Parses every C translation unit of the project at PATH (default: .) and\n"
    "writes its call / data-dependency graph as JSON (schema " GRAPH_SCHEMA ").\n\n"
    "  -p, --build-dir DIR  directory holding compile_commands.json (default: PATH)\n"
    "  -o, --output FILE    where to write the graph (default: - for stdout)\n"
    "  -j, --jobs N         units parsed at once (default: the number of CPUs)\n";
static const char USAGE_END[] =
    "      --shard K/N      extract only slice K of N of the units and write their\n"
    "                       facts to FILE (-o required); 'cleave merge' joins the\n"
    "                       N files into the graph a whole scan gives\n"
    "  -q, --quiet          no progress, per-unit errors or summary on stderr\n"
    "  -h, --help           this text\n\n"
    "A unit is parsed again only when its source, its flags or a file it\n"
    "included changed.  Without a compile database cleave walks PATH for .c\n"
    "files, guesses include paths, stands in for headers an unconfigured tree\n"
    "lacks, and says so: the graph is then approximate.\n";

/* "K/N" with 1 <= K <= N. */
static int shardspec(const char *s, unsigned *k, unsigned *n) {
    const char *slash = strchr(s, '/');
    if (!slash) return -1;
    char *ks = xstrndup(s, (size_t)(slash - s));
    int kv, nv;
    int ok = cli_int_value(ks, 1, 1000000, &kv) == 0 &&
             cli_int_value(slash + 1, 1, 1000000, &nv) == 0 && kv <= nv;
    free(ks);
    if (!ok) return -1;
    *k = (unsigned)kv;
    *n = (unsigned)nv;
    return 0;
}

/* The stand-ins and the rest of what the scan could not see are noted
 * with its summary (scan.h), with the units that needed them. */
static void notes(const project *p, const char *path) {
    fprintf(stderr,
            "cleave: note: no compile_commands.json for %s: scanning %zu .c files with "
            "guessed include paths; the graph is approximate\n",
            path, p->jobs.n);
}

/* --shard: the slice's records into a shard file. */
static int writeshard(const project *p, const char *shown, const scan_options *opt,
                      const char *output) {
    scan_units u;
    scan_run(p, opt, &u);
    if (!opt->quiet)
        fprintf(stderr,
                "cleave: shard %u/%u: %zu of %zu units: %zu ok, %zu partial, %zu failed; "
                "%zu parsed, %zu cached\n",
                opt->shard_k, opt->shard_n, u.n, p->jobs.n, u.ok, u.partial, u.failed, u.parsed,
                u.cached);
    int rc = CLEAVE_EXIT_OK;
    if (shard_write(output, p, shown, opt->shard_k, opt->shard_n, &u) != 0) {
        fprintf(stderr, "cleave: %s: cannot write: %s\n", output, file_strerror(errno));
        rc = CLEAVE_EXIT_INTERNAL;
    }
    scan_units_free(&u);
    return rc;
}

static int writegraph(const project *p, const char *path, const char *shown,
                      const scan_options *opt, const char *output) {
    size_t parsed = 0;
    char *json = scan_project_json(p, shown, opt, &parsed);
    int rc = CLEAVE_EXIT_OK;
    if (parsed == 0) {
        fprintf(stderr, "cleave: %s: no unit could be parsed; nothing written\n", path);
        rc = CLEAVE_EXIT_NOTHING;
    } else if (cli_write_output(output, json) != 0) {
        rc = CLEAVE_EXIT_INTERNAL;
    }
    free(json);
    return rc;
}

typedef struct opts {
    const char *path, *build_dir, *output;
    scan_options scan;
    cli_cache cache;
} opts;

static int parse(int argc, char **argv, opts *o) {
    enum { OPT_SHARD = 256 };
    static const struct option longopts[] = {
        {"build-dir", required_argument, NULL, 'p'},
        {"output", required_argument, NULL, 'o'},
        {"jobs", required_argument, NULL, 'j'},
        CLI_SCAN_LONGOPTS,
        {"shard", required_argument, NULL, OPT_SHARD},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c, rc = CLEAVE_EXIT_OK;
    optind = 1;
    opterr = 0;
    /* each case sets rc; the first bad option ends the loop */
    while (rc == CLEAVE_EXIT_OK &&
           (c = getopt_long(argc, argv, ":p:o:j:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'p': o->build_dir = optarg; break;
        case 'o': o->output = optarg; break;
        case 'j': rc = cli_parse_int("scan", "-j", optarg, 1, 4096, &o->scan.jobs); break;
        case CLI_OPT_CACHE_DIR:
        case CLI_OPT_NO_CACHE:
        case CLI_OPT_ALLOW_DIR: rc = cli_scan_option("scan", &o->cache, c, optarg); break;
        case OPT_SHARD:
            if (shardspec(optarg, &o->scan.shard_k, &o->scan.shard_n) != 0)
                rc = cli_bad_value("scan", "--shard", optarg, "K/N with 1 <= K <= N");
            break;
        case 'q': o->scan.quiet = 1; break;
        case 'h': cli_scan_help(USAGE, 23, USAGE_END); return CLI_HELP;
        default: rc = cli_bad_option("scan", c, argv[optind - 1]);
        }
    }
    if (rc != CLEAVE_EXIT_OK) return rc;
    if (argc - optind > 1) return cli_usage_error("scan", "more than one PATH");
    if (optind < argc) o->path = argv[optind];
    if (o->scan.shard_n && strcmp(o->output, "-") == 0)
        return cli_usage_error("scan", "--shard needs -o FILE (a shard file is binary)");
    return CLEAVE_EXIT_OK;
}

static int run(int argc, char **argv) {
    opts o = {.path = ".", .output = "-"};
    int rc = parse(argc, argv, &o);
    if (rc != CLEAVE_EXIT_OK) {
        cli_cache_free(&o.cache);
        return rc == CLI_HELP ? CLEAVE_EXIT_OK : rc;
    }

    project *p = NULL;
    char *dir = NULL, *shown = NULL;
    rc = cli_project_open(o.path, o.build_dir, &o.cache, o.scan.quiet, &p);
    if (rc != CLEAVE_EXIT_OK) goto cleanup;
    if (!o.scan.quiet && !p->db_path) notes(p, o.path);
    dir = cli_cache_dir(&o.cache, p);
    o.scan.cache_dir = dir;
    shown = path_normalize(o.path);
    rc = o.scan.shard_n ? writeshard(p, shown, &o.scan, o.output)
                        : writegraph(p, o.path, shown, &o.scan, o.output);
cleanup:
    free(shown);
    free(dir);
    project_free(p);
    cli_cache_free(&o.cache);
    return rc;
}

const cmd_entry cmd_scan_entry = {"scan", "parse a C project into a call/data-dependency graph", run};
