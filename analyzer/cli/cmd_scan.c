/*
 * cmd_scan.c - `cleave scan [PATH] [-p BUILD_DIR] [-o FILE] [-j N]
 * [--cache-dir DIR | --no-cache] [--shard K/N] [-q]`: source tree or
 * compile database in, graph JSON (or, with --shard, a shard file) out.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
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
    "writes its call / data-dependency graph as JSON (schema cleave.graph/1).\n\n"
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

/* A whole number in [1, max] with nothing after it. */
static int whole(const char *s, long max, long *out) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 1 || v > max) return -1;
    *out = v;
    return 0;
}

/* "K/N" with 1 <= K <= N. */
static int shardspec(const char *s, unsigned *k, unsigned *n) {
    const char *slash = strchr(s, '/');
    if (!slash) return -1;
    char *ks = xstrndup(s, (size_t)(slash - s));
    long kv, nv;
    int rc = whole(ks, 1000000, &kv) == 0 && whole(slash + 1, 1000000, &nv) == 0 && kv <= nv
                 ? 0
                 : -1;
    free(ks);
    if (rc == 0) {
        *k = (unsigned)kv;
        *n = (unsigned)nv;
    }
    return rc;
}

static void notes(const project *p, const char *path) {
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
        fprintf(stderr, "cleave: %s: cannot write: %s\n", output, strerror(errno));
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

static int run(int argc, char **argv) {
    enum { OPT_SHARD = 256 };
    static const struct option longopts[] = {
        {"build-dir", required_argument, NULL, 'p'},
        {"output", required_argument, NULL, 'o'},
        {"jobs", required_argument, NULL, 'j'},
        CLI_CACHE_LONGOPTS,
        {"shard", required_argument, NULL, OPT_SHARD},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *build_dir = NULL, *output = "-";
    cli_cache cache = {0};
    scan_options opt = {0};
    long v;
    int c, rc;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":p:o:j:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'p': build_dir = optarg; break;
        case 'o': output = optarg; break;
        case 'j':
            if (whole(optarg, 4096, &v) != 0)
                return cli_usage_error("scan", "-j takes a whole number from 1 to 4096");
            opt.jobs = (int)v;
            break;
        case CLI_OPT_CACHE_DIR:
        case CLI_OPT_NO_CACHE:
            if ((rc = cli_cache_option("scan", &cache, c, optarg)) != CLEAVE_EXIT_OK) return rc;
            break;
        case OPT_SHARD:
            if (shardspec(optarg, &opt.shard_k, &opt.shard_n) != 0)
                return cli_usage_error("scan", "--shard takes K/N with 1 <= K <= N");
            break;
        case 'q': opt.quiet = 1; break;
        case 'h': cli_scan_help(USAGE, 23, USAGE_END); return CLEAVE_EXIT_OK;
        default: return cli_bad_option("scan", c, argv[optind - 1]);
        }
    }
    if (argc - optind > 1) return cli_usage_error("scan", "more than one PATH");
    if (opt.shard_n && strcmp(output, "-") == 0)
        return cli_usage_error("scan", "--shard needs -o FILE (a shard file is binary)");
    const char *path = optind < argc ? argv[optind] : ".";

    project *p = NULL;
    if ((rc = cli_project_open(path, build_dir, &p)) != CLEAVE_EXIT_OK) return rc;
    if (!opt.quiet && !p->db_path) notes(p, path);
    char *dir = cli_cache_dir(&cache, p);
    opt.cache_dir = dir;
    char *shown = path_normalize(path);
    rc = opt.shard_n ? writeshard(p, shown, &opt, output)
                         : writegraph(p, path, shown, &opt, output);
    free(shown);
    free(dir);
    project_free(p);
    return rc;
}

const cmd_entry cmd_scan_entry = {"scan", "parse a C project into a call/data-dependency graph", run};
