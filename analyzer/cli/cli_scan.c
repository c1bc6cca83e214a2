/*
 * cli_scan.c - what the commands that scan a project share: their options
 * (--cache-dir DIR | --no-cache, --allow-dir, --unit-timeout) with their
 * help text, the cache and key a scan uses, and cli_graph_open, the graph file read or the scan behind `cleave plan`,
 * `check`, `graph` and `init` (cli.h).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>

#include "scan/cache.h"
#include "cli/cli.h"
#include "util/common.h"
#include "frontend/project.h"
#include "graph/graph_load.h"
#include "scan/scan.h"

int cli_scan_option(const char *cmd, cli_cache *cc, int c, const char *arg) {
    if (c == CLI_OPT_ALLOW_DIR) {
        strvec_push(&cc->allow, arg);
        return CLEAVE_EXIT_OK;
    }
    if (c == CLI_OPT_UNIT_TIMEOUT) {
        int s;
        int rc = cli_parse_int(cmd, "--unit-timeout", arg, 0, 1000000, &s);
        if (rc == CLEAVE_EXIT_OK) cc->unit_timeout = s == 0 ? -1 : s;
        return rc;
    }
    if (c == CLI_OPT_CACHE_DIR) cc->dir = arg;
    else cc->off = 1;
    if (cc->dir && cc->off) return cli_usage_error(cmd, "--cache-dir and --no-cache conflict");
    return CLEAVE_EXIT_OK;
}

void cli_cache_free(cli_cache *cc) {
    strvec_free(&cc->allow);
}

const char *cli_cache_key(void) {
    const char *k = getenv("CLEAVE_CACHE_KEY");
    return k && *k ? k : NULL;
}

char *cli_scan_setup(const cli_cache *cc, const project *p, scan_options *opt) {
    char *dir = NULL;
    if (cc->dir) {
        dir = xstrdup(cc->dir);
    } else if (!cc->off && (dir = cache_default_dir(p))) {
        const char *why;
        if (cache_dir_check(dir, &why) != 0) {
            fprintf(stderr, "cleave: warning: %s: %s; scanning without a cache\n", dir, why);
            free(dir);
            dir = NULL;
        }
    }
    opt->cache_dir = dir;
    opt->cache_key = cli_cache_key();
    opt->unit_timeout = cc->unit_timeout;
    return dir;
}

#define STR_(x) #x
#define STR(x) STR_(x)

void cli_scan_help(const char *head, int col, const char *tail) {
    static const char *const lines[][2] = {
        {"      --cache-dir DIR", "per-unit facts cache (default: .cleave-cache beside"},
        {"", "compile_commands.json; without one,"},
        {"", "$XDG_CACHE_HOME/cleave/..., never the analysed tree)"},
        {"      --no-cache", "neither read nor write a cache"},
        {"      --allow-dir DIR", "a folder outside the project units may read"},
        {"", "(repeatable; docs/security.md)"},
        {"      --unit-timeout SECONDS", ""},
        {"", "fail a unit whose parse takes longer"},
        {"", "(default: " STR(SCAN_UNIT_TIMEOUT) "; 0: no limit)"},
    };
    fputs(head, stdout);
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
        printf("%-*s%s\n", col, lines[i][0], lines[i][1]);
    fputs(tail, stdout);
}

/* Names shown in the warning about dropped flags; the rest are counted. */
#define DROPPED_SHOWN 20

/* What opening the project refused or dropped, as warnings. */
static void warnings(const project *p) {
    for (size_t i = 0; i < p->warnings.n; i++) {
        char *w = str_printable(p->warnings.v[i]);
        fprintf(stderr, "cleave: warning: %s\n", w);
        free(w);
    }
    if (!p->flags_dropped) return;
    strbuf b = {0};
    strbuf_printf(&b, "%zu compile flag%s not passed to libclang (%s change how the code parses):",
                  p->flags_dropped, p->flags_dropped == 1 ? "" : "s",
                  p->flags_dropped == 1 ? "it does not" : "they do not");
    size_t n = p->dropped_names.n;
    for (size_t i = 0; i < n && i < DROPPED_SHOWN; i++) {
        strbuf_add(&b, " ");
        strbuf_add_printable(&b, p->dropped_names.v[i]);
    }
    if (n > DROPPED_SHOWN) strbuf_printf(&b, " and %zu more", n - DROPPED_SHOWN);
    fprintf(stderr, "cleave: warning: %s\n", b.v);
    free(b.v);
}

int cli_project_open(const char *path, const char *build_dir, const cli_cache *cc, int quiet,
                     project **out) {
    project *p = NULL;
    char *err = NULL;
    project_options opt = {build_dir, cc ? &cc->allow : NULL};
    if (project_open(path, &opt, &p, &err) != 0) {
        cli_error(err);
        free(err);
        return CLEAVE_EXIT_USAGE;
    }
    if (!quiet) warnings(p);
    if (p->jobs.n == 0) {
        fprintf(stderr, "cleave: %s: no C translation units to analyse\n", path);
        project_free(p);
        return CLEAVE_EXIT_NOTHING;
    }
    *out = p;
    return CLEAVE_EXIT_OK;
}

/* Scans path for cli_graph_open; returns an exit code (messages printed). */
static int scan_path(const char *path, const char *build_dir, const scan_options *sopt,
                     const cli_cache *cc, double min_coverage, graph **out) {
    project *p = NULL;
    int rc = cli_project_open(path, build_dir, cc, sopt->quiet, &p);
    if (rc != CLEAVE_EXIT_OK) return rc;
    size_t jobs = p->jobs.n;
    scan_options opt = *sopt;
    char *dir = cli_scan_setup(cc, p, &opt);
    char *shown = path_normalize(path);
    size_t parsed = 0;
    graph *g = scan_project(p, shown, &opt, &parsed);
    free(shown);
    free(dir);
    project_free(p);
    /* a unit parsed only in part does not count towards coverage */
    size_t ok = 0;
    for (size_t u = 0; u < g->units.n; u++) ok += g->units.v[u].status == UNIT_OK;
    double coverage = (double)ok / (double)jobs;
    if (parsed == 0 || coverage < min_coverage) {
        fprintf(stderr, "cleave: %s: analysis failed: %zu of %zu units parsed cleanly (coverage %.2f%s)\n",
                path, ok, jobs, coverage, parsed ? ", below --min-coverage" : "");
        graph_free(g);
        return CLEAVE_EXIT_NOTHING;
    }
    *out = g;
    return CLEAVE_EXIT_OK;
}

int cli_graph_open(const cli_source *src, graph **out) {
    if (!src->graph_file)
        return scan_path(src->path, src->build_dir, &src->scan, &src->cache, src->min_coverage,
                         out);
    char *err = NULL;
    if (graph_load(src->graph_file, out, &err) == 0) return CLEAVE_EXIT_OK;
    cli_error(err);
    free(err);
    return CLEAVE_EXIT_USAGE;
}
