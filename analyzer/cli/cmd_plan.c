/*
 * cmd_plan.c - `cleave plan`: graph (scanned now, or read with --graph)
 * in, split plan out: OUTDIR/plan.json, OUTDIR/graph.json, and a summary
 * table on stdout.  OUTDIR/graph.json is written by a second thread while
 * the plan is made (a copy of --graph FILE, else rendered); from then on
 * the graph is only read.
 * Memory: run() owns the graph, the plan and every text it renders, and
 * frees them before returning; the thread frees its own text.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "plan/cluster.h"
#include "util/common.h"
#include "plan/config.h"
#include "plan/constraints.h"
#include "plan/fitness.h"
#include "reports/dot.h"
#include "graph/graph_json.h"
#include "graph/graph_load.h"
#include "plan/plan_json.h"
#include "frontend/project.h"
#include "scan/scan.h"

static const char USAGE[] =
    "usage: cleave plan [PATH | --graph graph.json] [-p BUILD_DIR]\n"
    "                   [--granularity service|function] [--services N | --resolution R]\n"
    "                   [--config cleave.json] [--rate N] [-o OUTDIR]\n"
    "                   [--cache-dir DIR | --no-cache] [-q]\n\n"
    "Proposes where the program can be split: coarse services that own a\n"
    "capability and its state (default), or one serverless function per entry\n"
    "point (--granularity function), with a shared library layer either way.\n"
    "Writes OUTDIR/plan.json (schema cleave.plan/1) and the graph it used\n"
    "(OUTDIR/graph.json), and prints a summary.  Each component gets a fitness\n"
    "verdict (function, service or library) with its reasons and a cost\n"
    "comparison (docs/fitness.md).\n\n"
    "  PATH                  project to scan (default: .), as for `cleave scan`\n"
    "      --graph FILE      use a graph written by `cleave scan` instead\n"
    "  -p, --build-dir DIR   directory holding compile_commands.json\n"
    "      --granularity G   service (default) or function\n"
    "      --services N      aim for about N services (searches the resolution)\n"
    "      --resolution R    community resolution (> 0; larger: more, smaller services)\n"
    "      --config FILE     constraints and defaults (default: PATH/cleave.json if present)\n"
    "      --rate N          invocations per hour per component for the cost\n"
    "                        comparison (default: the config's, else 3600)\n"
    "      --no-render       write the DOT diagrams but not their SVG renderings\n"
    "  -o, --output DIR      output directory (default: cleave-out)\n";
static const char USAGE_END[] =
    "  -q, --quiet           no summary on stdout, no scan messages\n"
    "  -h, --help            this text\n";

/* Reads a positive number; returns 0, or -1 when s is not one. */
static int positive(const char *s, double *out) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v > 0)) return -1;
    *out = v;
    return 0;
}

static void summary(const plan *p, double seconds) {
    static const char *kinds[] = {"service", "function", "library"};
    printf("%-24s %-8s %9s %7s %6s %9s %9s %6s\n", "name", "kind", "functions", "loc", "entry",
           "sites in", "sites out", "shared");
    for (size_t i = 0; i < p->services.n; i++) {
        const plan_service *s = &p->services.v[i];
        printf("%-24s %-8s %9zu %7d %6zu %9d %9d %6zu\n", s->name, kinds[s->kind], s->funcs.n,
               s->loc, s->entry_points.n, s->calls_in, s->calls_out, s->shared_state.n);
    }
    /* fitness: what each component should become (docs/fitness.md) */
    printf("\n%-24s %-8s %4s %5s %8s %6s %5s %5s %4s %11s %11s\n", "name", "becomes", "conf", "state",
           "cold loc", "cross", "loops", "depth", "fan", "service/mo", "function/mo");
    for (size_t i = 0; i < p->services.n; i++) {
        const plan_service *s = &p->services.v[i];
        const plan_fitness *f = &s->fitness;
        printf("%-24s %-8s %4.2f %5zu %8d %6d %5d %5d %4d", s->name, kinds[f->recommendation], f->confidence,
               f->store.n + f->resources.n, f->cold_loc, f->cross_sites, f->in_loops, f->trace_depth,
               f->fan_out);
        if (s->kind == PLAN_LIBRARY) printf(" %11s %11s\n", "-", "-");
        else printf(" %11.2f %11.2f\n", f->service_month, f->function_month);
    }
    printf("costs per month at %g invocations/hour per component", p->cost.rate);
    if (p->cost.defaults.n) printf(" (cleave's neutral default prices: set your own in cleave.json)");
    printf("\n");
    const plan_metrics *m = &p->metrics;
    printf("\n%zu components; cross-service call sites %d (ICP %.3f); shared state %d; "
           "modularity %.3f, MQ %.3f, SM %.3f, IFN %.2f, NED %.3f; plan %.2f s\n",
           p->services.n, m->cross_sites, m->icp, m->shared_state, m->modularity, m->mq, m->sm,
           m->ifn, m->ned, seconds);
}

/* OUTDIR/graph.json, written by a thread of its own while the plan is
 * made: it needs only the graph, which nothing changes once loaded, and on
 * a big graph it takes as long as the plan.  With --graph FILE (a regular
 * file) it is FILE's bytes: the graph the plan used, as given -- a graph
 * cleave wrote renders back to the very same bytes anyway -- without
 * rendering a gigabyte again. */
typedef struct graphjob {
    const graph *g;
    const char *source; /* --graph FILE, or NULL */
    const char *path;
    int rc; /* cli_write_output's */
} graphjob;

/* Copies j->source to j->path; returns 0, or -1 (nothing written) when the
 * source is not a regular file that can be mapped. */
static int copy_graph(graphjob *j) {
    int fd = open(j->source, O_RDONLY);
    struct stat st;
    if (fd < 0) return -1;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) {
        close(fd);
        return -1;
    }
    size_t len = (size_t)st.st_size;
    void *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) return -1;
    madvise(map, len, MADV_SEQUENTIAL);
    j->rc = cli_write_output_n(j->path, map, len);
    munmap(map, len);
    return 0;
}

static void *write_graph(void *arg) {
    graphjob *j = arg;
    if (j->source && copy_graph(j) == 0) return NULL;
    char *text = graph_json_render(j->g);
    j->rc = cli_write_output(j->path, text);
    free(text);
    return NULL;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int run(int argc, char **argv) {
    enum { OPT_GRAPH = 256, OPT_GRAN, OPT_SERVICES, OPT_RESOLUTION, OPT_CONFIG, OPT_NORENDER, OPT_RATE };
    static const struct option longopts[] = {
        {"graph", required_argument, NULL, OPT_GRAPH},
        {"build-dir", required_argument, NULL, 'p'},
        {"granularity", required_argument, NULL, OPT_GRAN},
        {"services", required_argument, NULL, OPT_SERVICES},
        {"resolution", required_argument, NULL, OPT_RESOLUTION},
        {"config", required_argument, NULL, OPT_CONFIG},
        {"rate", required_argument, NULL, OPT_RATE},
        {"no-render", no_argument, NULL, OPT_NORENDER},
        {"output", required_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        CLI_CACHE_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    const char *graph_file = NULL, *build_dir = NULL, *outdir = "cleave-out", *config_file = NULL;
    int gran_given = 0, render = 1;
    double rate = 0;
    plan_options opt = {0};
    scan_options sopt = {0};
    cli_cache cache = {0};
    int c, rc;
    double v;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":p:o:qh", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_GRAPH: graph_file = optarg; break;
        case OPT_CONFIG: config_file = optarg; break;
        case OPT_NORENDER: render = 0; break;
        case 'p': build_dir = optarg; break;
        case 'o': outdir = optarg; break;
        case 'q': sopt.quiet = 1; break;
        case 'h': cli_scan_help(USAGE, 24, USAGE_END); return CLEAVE_EXIT_OK;
        case CLI_OPT_CACHE_DIR:
        case CLI_OPT_NO_CACHE:
            if ((rc = cli_cache_option("plan", &cache, c, optarg)) != CLEAVE_EXIT_OK) return rc;
            break;
        case OPT_GRAN:
            if (strcmp(optarg, "service") == 0) opt.granularity = GRAN_SERVICE;
            else if (strcmp(optarg, "function") == 0) opt.granularity = GRAN_FUNCTION;
            else return cli_usage_error("plan", "--granularity takes service or function");
            gran_given = 1;
            break;
        case OPT_SERVICES:
            if (positive(optarg, &v) != 0 || v != (int)v || v > 100000)
                return cli_usage_error("plan", "--services takes a whole number from 1");
            opt.services = (int)v;
            break;
        case OPT_RESOLUTION:
            if (positive(optarg, &v) != 0) return cli_usage_error("plan", "--resolution takes a number > 0");
            opt.resolution = v;
            break;
        case OPT_RATE:
            if (positive(optarg, &rate) != 0) return cli_usage_error("plan", "--rate takes a number > 0");
            break;
        default: return cli_bad_option("plan", c, argv[optind - 1]);
        }
    }
    if (argc - optind > 1) return cli_usage_error("plan", "more than one PATH");
    if (graph_file && optind < argc) return cli_usage_error("plan", "give PATH or --graph, not both");
    if (opt.services > 0 && opt.resolution > 0)
        return cli_usage_error("plan", "give --services or --resolution, not both");

    /* the config: named, or cleave.json at the root of the scanned tree */
    config *cfg = NULL;
    char *found = NULL;
    if (!config_file && !graph_file) {
        found = path_join(optind < argc ? argv[optind] : ".", CONFIG_FILE_NAME);
        FILE *f = fopen(found, "r");
        if (f) {
            fclose(f);
            config_file = found;
        }
    }
    if (config_file) {
        char *err = NULL;
        if (config_load(config_file, &cfg, &err) != 0) {
            fprintf(stderr, "cleave: %s\n", err);
            free(err);
            free(found);
            return CLEAVE_EXIT_USAGE;
        }
        if (!gran_given) opt.granularity = cfg->plan.granularity;
        if (opt.services == 0 && opt.resolution <= 0) {
            opt.services = cfg->plan.services;
            opt.resolution = cfg->plan.resolution;
        }
    }

    graph *g = NULL;
    if (graph_file) {
        char *err = NULL;
        if (graph_load(graph_file, &g, &err) != 0) {
            fprintf(stderr, "cleave: %s\n", err);
            free(err);
            config_free(cfg);
            free(found);
            return CLEAVE_EXIT_USAGE;
        }
    } else {
        const char *path = optind < argc ? argv[optind] : ".";
        rc = cli_scan_path(path, build_dir, &sopt, &cache, 0, &g);
        if (rc != CLEAVE_EXIT_OK) {
            config_free(cfg);
            free(found);
            return rc;
        }
    }

    char *plan_path = path_join(outdir, "plan.json");
    char *graph_path = path_join(outdir, "graph.json");
    graphjob gj = {g, graph_file, graph_path, 0};
    pthread_t gthread;
    int threaded = pthread_create(&gthread, NULL, write_graph, &gj) == 0;
    if (!threaded) write_graph(&gj);

    double t0 = now();
    plan *p = cluster_plan(g, &opt);
    if (cfg) {
        constraints_apply(p, cfg);
        strvec_push_owned(&p->notes, xasprintf("config: %s", config_file));
    }
    fitness_compute(p, cfg ? &cfg->fitness : NULL, rate);
    double seconds = now() - t0;

    rc = CLEAVE_EXIT_OK;
    char *ptext = plan_json_render(p, "graph.json");
    if (threaded) pthread_join(gthread, NULL);
    strvec written = {0};
    char *note = NULL, *err = NULL;
    /* the graph first, then the plan that names it, then the diagrams */
    if (gj.rc != 0 || cli_write_output(plan_path, ptext) != 0) {
        rc = CLEAVE_EXIT_INTERNAL;
    } else if (dot_write_plan(p, outdir, render, &written, &note, &err) != 0) {
        fprintf(stderr, "cleave: %s\n", err);
        rc = CLEAVE_EXIT_INTERNAL;
    }
    if (note) fprintf(stderr, "cleave: note: %s\n", note);
    free(note);
    free(err);
    if (rc == CLEAVE_EXIT_OK && !sopt.quiet) {
        summary(p, seconds);
        printf("wrote %s, %s", plan_path, graph_path);
        for (size_t i = 0; i < written.n; i++) printf(", %s", written.v[i]);
        printf("\n");
    }
    strvec_free(&written);
    free(ptext);
    free(graph_path);
    free(plan_path);
    plan_free(p);
    graph_free(g);
    config_free(cfg);
    free(found);
    return rc;
}

const cmd_entry cmd_plan_entry = {"plan", "propose service / function boundaries as a split plan", run};
