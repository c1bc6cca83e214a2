/*
 * cmd_init.c - `cleave init`: the starting point of `cleave check`.
 * Scans the code, proposes a plan (as `cleave plan` does) and writes
 * DIR/plan.json and a starter DIR/cleave.json: every rule severity spelt
 * out at its default, empty forbidden / allowed lists to fill in, and one placement rule
 * per folder that only one service's files use, so new files there land
 * in that service.  Existing files are kept unless --force.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "cli/cli.h"
#include "plan/cluster.h"
#include "util/common.h"
#include "plan/config.h"
#include "graph/graph.h"
#include "plan/plan_json.h"
#include "util/json_out.h"
#include "util/strmap.h"

static const char USAGE[] =
    "usage: cleave init [PATH] [-p BUILD_DIR] [-o DIR] [--force] [--cache-dir DIR | --no-cache]\n"
    "                   [-q]\n\n"
    "Writes DIR/plan.json (a split plan of the current code, to commit) and a\n"
    "starter DIR/cleave.json for `cleave check` (docs/check.md, docs/config.md).\n\n"
    "  PATH                  project to scan (default: .)\n"
    "  -p, --build-dir DIR   directory holding compile_commands.json\n"
    "  -o, --output DIR      where to write both files (default: .)\n"
    "      --force           overwrite existing files\n";
static const char USAGE_END[] =
    "  -q, --quiet           no scan messages\n"
    "  -h, --help            this text\n";

#define MIXED ((size_t)-2) /* a folder holding files of several services */

/* rules.placement: a glob on the files of each folder only one service's files use. */
static cJSON *placement(const plan *p) {
    strmap *owner = strmap_new();
    strvec dirs = {0};
    for (size_t s = 0; s < p->services.n; s++)
        for (size_t f = 0; f < p->services.v[s].files.n; f++) {
            char *d = path_dirname(p->services.v[s].files.v[f]);
            int added;
            size_t o = strmap_intern(owner, d, s, &added);
            if (added) strvec_push(&dirs, d);
            else if (o != s) strmap_put(owner, d, MIXED);
            free(d);
        }
    strvec_sort(&dirs);
    cJSON *a = cJSON_CreateArray();
    for (size_t s = 0; s < p->services.n; s++) {
        cJSON *globs = cJSON_CreateArray();
        for (size_t i = 0; i < dirs.n; i++) {
            size_t o;
            strmap_get(owner, dirs.v[i], &o);
            if (o != s || strcmp(dirs.v[i], ".") == 0) continue;
            char *g = xasprintf("%s/*", dirs.v[i]);
            cJSON_AddItemToArray(globs, cJSON_CreateString(g));
            free(g);
        }
        if (!cJSON_GetArraySize(globs)) {
            cJSON_Delete(globs);
            continue;
        }
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "service", p->services.v[s].name);
        cJSON_AddItemToObject(o, "files", globs);
        cJSON_AddItemToArray(a, o);
    }
    strvec_free(&dirs);
    strmap_free(owner);
    return a;
}

static char *starter(const plan *p) {
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "$schema", "https://cleave.invalid/cleave.schema.json");
    cJSON *rules = cJSON_AddObjectToObject(root, "rules");
    cJSON_AddArrayToObject(rules, "forbidden");
    cJSON_AddArrayToObject(rules, "allowed");
    cJSON_AddItemToObject(rules, "placement", placement(p));
    cJSON *sev = cJSON_AddObjectToObject(root, "severity");
    config *def = config_default();
    for (unsigned r = 0; r < CONFIG_RULE_COUNT; r++)
        cJSON_AddStringToObject(sev, config_rule_name(r), config_severity_name(def->severity[r]));
    config_free(def);
    cJSON_AddArrayToObject(root, "ignore");
    char *text = json_out_print(root, 1);
    cJSON_Delete(root);
    char *out = xasprintf("%s\n", text);
    free(text);
    return out;
}

/* Anything there, a dangling link included; nothing is opened (a FIFO
 * would block). */
static int exists(const char *path) {
    struct stat st;
    return lstat(path, &st) == 0;
}

typedef struct opts {
    cli_source src;
    const char *outdir;
    int force;
} opts;

static int parse(int argc, char **argv, opts *o) {
    static const struct option longopts[] = {
        {"build-dir", required_argument, NULL, 'p'}, {"output", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, 'f'},           {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},            CLI_SCAN_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    int c, rc = CLEAVE_EXIT_OK;
    optind = 1;
    opterr = 0;
    /* each case sets rc; the first bad option ends the loop */
    while (rc == CLEAVE_EXIT_OK && (c = getopt_long(argc, argv, ":p:o:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'p': o->src.build_dir = optarg; break;
        case 'o': o->outdir = optarg; break;
        case 'f': o->force = 1; break;
        case 'q': o->src.scan.quiet = 1; break;
        case 'h': cli_scan_help(USAGE, 24, USAGE_END); return CLI_HELP;
        case CLI_OPT_CACHE_DIR:
        case CLI_OPT_NO_CACHE:
        case CLI_OPT_ALLOW_DIR:
        case CLI_OPT_UNIT_TIMEOUT: rc = cli_scan_option("init", &o->src.cache, c, optarg); break;
        default: rc = cli_bad_option("init", c, argv[optind - 1]);
        }
    }
    if (rc != CLEAVE_EXIT_OK) return rc;
    if (argc - optind > 1) return cli_usage_error("init", "more than one PATH");
    if (optind < argc) o->src.path = argv[optind];
    return CLEAVE_EXIT_OK;
}

static int run(int argc, char **argv) {
    opts o = {.src.path = ".", .outdir = "."};
    int rc = parse(argc, argv, &o);
    if (rc != CLEAVE_EXIT_OK) {
        cli_cache_free(&o.src.cache);
        return rc == CLI_HELP ? CLEAVE_EXIT_OK : rc;
    }

    char *plan_path = path_join(o.outdir, "plan.json");
    char *cfg_path = path_join(o.outdir, CONFIG_FILE_NAME);
    graph *g = NULL;
    plan *p = NULL;
    char *ptext = NULL, *ctext = NULL;
    if (!o.force && (exists(plan_path) || exists(cfg_path))) {
        fprintf(stderr, "cleave: %s: already exists; use --force to overwrite\n",
                exists(plan_path) ? plan_path : cfg_path);
        rc = CLEAVE_EXIT_USAGE;
        goto cleanup;
    }
    rc = cli_graph_open(&o.src, &g);
    if (rc != CLEAVE_EXIT_OK) goto cleanup;
    plan_options popt = {0};
    p = cluster_plan(g, &popt);
    ptext = plan_json_render(p, NULL);
    ctext = starter(p);
    if (cli_write_output_in(plan_path, ptext, strlen(ptext)) != 0 ||
        cli_write_output_in(cfg_path, ctext, strlen(ctext)) != 0) {
        rc = CLEAVE_EXIT_INTERNAL;
        goto cleanup;
    }
    if (!o.src.scan.quiet)
        printf("wrote %s (%zu components) and %s; commit both, then run\n"
               "  cleave check %s --plan %s\n",
               plan_path, p->services.n, cfg_path, o.src.path, plan_path);
cleanup:
    free(ctext);
    free(ptext);
    plan_free(p);
    graph_free(g);
    free(cfg_path);
    free(plan_path);
    cli_cache_free(&o.src.cache);
    return rc;
}

const cmd_entry cmd_init_entry = {"init", "write a starter cleave.json and a plan to commit", run};
