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
#include "reports/report_html.h"
#include "graph/graph_json.h"
#include "plan/plan_json.h"

static const char USAGE[] =
    "usage: cleave plan [PATH | --graph graph.json] [-p BUILD_DIR]\n"
    "                   [--granularity service|function] [--services N | --resolution R]\n"
    "                   [--config cleave.json] [--rate N] [-o OUTDIR]\n"
    "                   [--hide-may-calls] [--no-state] [--min-sites N] [--no-fit]\n"
    "                   [--no-report]\n"
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
    "      --rate N          invocations per hour of each entry point cleave.json\n"
    "                        gives no rate (default: the config's, else 3600)\n"
    "      --no-render       write the DOT diagrams but not their SVG renderings\n"
    "                        (nor lay them out: the service view is not fitted)\n"
    "      --hide-may-calls  diagrams leave out calls known only by their pointer's type\n"
    "      --no-state        the service view leaves out shared state\n"
    "      --no-fit          the service view is drawn at its size, not fitted to a screen\n"
    "      --min-sites N     diagrams leave out call edges of fewer than N call sites\n"
    "      --no-report       do not write OUTDIR/report.html\n"
    "  -o, --output DIR      output directory (default: cleave-out)\n";
static const char USAGE_END[] =
    "  -q, --quiet           errors only: no summary on stdout, no warning or note\n"
    "  -h, --help            this text\n";

/* Characters (UTF-8 code points) of s: what a terminal gives it. */
static size_t columns(const char *s) {
    size_t n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* s left-aligned in width columns (never cut: a longer name widens the column). */
static void print_name(const char *s, size_t width) {
    fputs(s, stdout);
    for (size_t n = columns(s); n < width; n++) putchar(' ');
}

static void summary(const plan *p, double seconds) {
    /* the name column fits the longest name, 24 at least */
    size_t w = 24;
    for (size_t i = 0; i < p->services.n; i++)
        if (columns(p->services.v[i].name) > w) w = columns(p->services.v[i].name);
    print_name("name", w);
    printf(" %-8s %9s %7s %6s %9s %9s %6s\n", "kind", "functions", "loc", "entry", "sites in",
           "sites out", "shared");
    for (size_t i = 0; i < p->services.n; i++) {
        const plan_service *s = &p->services.v[i];
        print_name(s->name, w);
        printf(" %-8s %9zu %7d %6zu %9d %9d %6zu\n", plan_kind_name(s->kind), s->funcs.n, s->loc,
               s->entry_points.n, s->calls_in, s->calls_out, s->shared_state.n);
    }
    /* fitness: what each component should become (docs/fitness.md) */
    printf("\n");
    print_name("name", w);
    printf(" %-8s %4s %5s %8s %6s %5s %5s %4s %9s %11s %11s\n", "becomes", "conf", "state",
           "cold loc", "cross", "loops", "depth", "fan", "calls/s", "service/mo", "function/mo");
    for (size_t i = 0; i < p->services.n; i++) {
        const plan_service *s = &p->services.v[i];
        const plan_fitness *f = &s->fitness;
        print_name(s->name, w);
        printf(" %-8s %4.2f %5zu %8d %6d %5d %5d %4d %9.3g", plan_kind_name(f->recommendation),
               f->confidence, f->store.n + f->resources.n, f->cold_loc, f->cross_sites, f->in_loops,
               f->trace_depth, f->fan_out, f->rate_entry + f->rate_in);
        if (s->kind == PLAN_LIBRARY || s->kind == PLAN_PROGRAM) printf(" %11s %11s\n", "-", "-");
        else printf(" %11.2f %11.2f\n", f->service_month, f->function_month);
    }
    size_t given = 0;
    for (size_t i = 0; i < p->traffic.entries.n; i++) given += p->traffic.entries.v[i].from >= 0;
    printf("calls/s: invocations per second under the traffic model (entry points: %zu at %g/hour",
           p->traffic.entries.n - given, p->cost.rate);
    if (given) printf(", %zu at cleave.json's rates", given);
    printf("; loops run %g times); costs per month at that rate", p->traffic.loop_iterations);
    if (p->cost.defaults.n) printf(" (cleave's neutral default prices: set your own in cleave.json)");
    printf("\n");
    const plan_metrics *m = &p->metrics;
    /* what the plan stands on, before what it proposes */
    char *seen = graph_seen_text(p->g);
    printf("\ninput: %s\n", seen);
    free(seen);
    printf("%zu components; cross-service call sites %d (ICP %.3f), %d without type-only "
           "may-calls (ICP %.3f); services on cycles %d (%d); shared state %d; "
           "modularity %.3f, MQ %.3f, SM %.3f, IFN %.2f, NED %.3f; plan %.2f s\n",
           p->services.n, m->cross_sites, m->icp, m->cross_sites_known, m->icp_known,
           m->cycle_services, m->cycle_services_known, m->shared_state, m->modularity, m->mq,
           m->sm, m->ifn, m->ned, seconds);
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
    int rc; /* cli_write_output_in's */
} graphjob;

/* Copies j->source to j->path; returns 0, or -1 (nothing written) when the
 * source is not a regular file that can be mapped. */
static int copy_graph(graphjob *j) {
    int fd = open(j->source, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
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
    j->rc = cli_write_output_in(j->path, map, len);
    munmap(map, len);
    return 0;
}

static void *write_graph(void *arg) {
    graphjob *j = arg;
    if (j->source && copy_graph(j) == 0) return NULL;
    char *text = graph_json_render(j->g);
    j->rc = cli_write_output_in(j->path, text, strlen(text));
    free(text);
    return NULL;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct opts {
    cli_source src;
    const char *outdir, *config_file;
    int outdir_given; /* -o: the user named the folder, links and all */
    int gran_given, render, report;
    dot_options dot;
    double rate; /* --rate, or 0: the config's */
    plan_options plan;
} opts;

static int parse(int argc, char **argv, opts *o) {
    enum {
        OPT_GRAPH = 256, OPT_GRAN, OPT_SERVICES, OPT_RESOLUTION, OPT_CONFIG, OPT_NORENDER, OPT_RATE,
        OPT_HIDE_MAY, OPT_NO_STATE, OPT_MIN_SITES, OPT_NO_REPORT, OPT_NO_FIT
    };
    static const struct option longopts[] = {
        {"graph", required_argument, NULL, OPT_GRAPH},
        {"build-dir", required_argument, NULL, 'p'},
        {"granularity", required_argument, NULL, OPT_GRAN},
        {"services", required_argument, NULL, OPT_SERVICES},
        {"resolution", required_argument, NULL, OPT_RESOLUTION},
        {"config", required_argument, NULL, OPT_CONFIG},
        {"rate", required_argument, NULL, OPT_RATE},
        {"no-render", no_argument, NULL, OPT_NORENDER},
        {"hide-may-calls", no_argument, NULL, OPT_HIDE_MAY},
        {"no-state", no_argument, NULL, OPT_NO_STATE},
        {"no-fit", no_argument, NULL, OPT_NO_FIT},
        {"min-sites", required_argument, NULL, OPT_MIN_SITES},
        {"no-report", no_argument, NULL, OPT_NO_REPORT},
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
        case OPT_CONFIG: o->config_file = optarg; break;
        case OPT_NORENDER: o->render = 0; break;
        case OPT_HIDE_MAY: o->dot.hide_may = 1; break;
        case OPT_NO_STATE: o->dot.no_state = 1; break;
        case OPT_NO_FIT: o->dot.no_fit = 1; break;
        case OPT_NO_REPORT: o->report = 0; break;
        case OPT_MIN_SITES:
            rc = cli_parse_int("plan", "--min-sites", optarg, 0, 1000000000, &o->dot.min_sites);
            break;
        case 'p': o->src.build_dir = optarg; break;
        case 'o':
            o->outdir = optarg;
            o->outdir_given = 1;
            break;
        case 'q': o->src.scan.quiet = 1; break;
        case 'h': cli_scan_help(USAGE, 24, USAGE_END); return CLI_HELP;
        case CLI_OPT_CACHE_DIR:
        case CLI_OPT_NO_CACHE:
        case CLI_OPT_ALLOW_DIR:
        case CLI_OPT_UNIT_TIMEOUT: rc = cli_scan_option("plan", &o->src.cache, c, optarg); break;
        case OPT_GRAN:
            o->gran_given = 1;
            if (strcmp(optarg, "service") == 0) o->plan.granularity = GRAN_SERVICE;
            else if (strcmp(optarg, "function") == 0) o->plan.granularity = GRAN_FUNCTION;
            else rc = cli_bad_value("plan", "--granularity", optarg, "service or function");
            break;
        case OPT_SERVICES:
            rc = cli_parse_int("plan", "--services", optarg, 1, 100000, &o->plan.services);
            break;
        case OPT_RESOLUTION:
            rc = cli_parse_positive("plan", "--resolution", optarg, &o->plan.resolution);
            break;
        case OPT_RATE: rc = cli_parse_positive("plan", "--rate", optarg, &o->rate); break;
        default: rc = cli_bad_option("plan", c, argv[optind - 1]);
        }
    }
    if (rc != CLEAVE_EXIT_OK) return rc;
    if (argc - optind > 1) return cli_usage_error("plan", "more than one PATH");
    if (o->src.graph_file && optind < argc)
        return cli_usage_error("plan", "give PATH or --graph, not both");
    if (optind < argc) o->src.path = argv[optind];
    if (o->plan.services > 0 && o->plan.resolution > 0)
        return cli_usage_error("plan", "give --services or --resolution, not both");
    return CLEAVE_EXIT_OK;
}

/* The plan of g: clustered, cfg's constraints applied, fitness judged. */
static plan *make_plan(const graph *g, const opts *o, const config *cfg) {
    plan_options popt = o->plan;
    if (cfg && !o->gran_given) popt.granularity = cfg->plan.granularity;
    if (cfg && popt.services == 0 && popt.resolution <= 0) {
        popt.services = cfg->plan.services;
        popt.resolution = cfg->plan.resolution;
    }
    plan *p = cluster_plan(g, &popt);
    if (cfg) {
        constraints_apply(p, cfg);
        strvec_push_owned(&p->notes, xasprintf("config: %s", cfg->path));
    }
    fitness_compute(p, cfg ? &cfg->fitness : NULL, o->rate);
    return p;
}

/* The diagrams beside plan.json; returns an exit code (messages printed).
 * *svg receives the services SVG when it was rendered. */
static int write_diagrams(const plan *p, const opts *o, strvec *written, char **svg) {
    char *note = NULL, *err = NULL;
    int rc = CLEAVE_EXIT_OK;
    if (dot_write_plan(p, o->outdir, o->render, &o->dot, written, svg, &note, &err) != 0) {
        cli_error(err);
        rc = CLEAVE_EXIT_INTERNAL;
    }
    if (note && !o->src.scan.quiet) fprintf(stderr, "cleave: note: %s\n", note);
    free(note);
    free(err);
    return rc;
}

/* OUTDIR/report.html from the plan and its JSON text, the map being the
 * services SVG just rendered (svg, or NULL); returns an exit code. */
static int write_report(const plan *p, const opts *o, const char *plan_path, const char *ptext,
                        const char *svg, strvec *written) {
    size_t functions = 0;
    for (size_t f = 0; f < p->g->funcs.n; f++) functions += p->g->funcs.v[f].defined;
    if (functions > REPORT_PLAN_MAX_FUNCTIONS) {
        if (!o->src.scan.quiet)
            fprintf(stderr,
                    "cleave: note: %s/report.html not written: %zu functions is more than `cleave "
                    "plan` writes a report for (%d); `cleave report %s` writes it\n",
                    o->outdir, functions, REPORT_PLAN_MAX_FUNCTIONS, plan_path);
        return CLEAVE_EXIT_OK;
    }
    report_model *m = NULL;
    char *html = NULL, *err = NULL, *path = path_join(o->outdir, "report.html");
    int rc = CLEAVE_EXIT_OK;
    if (report_model_build(p, plan_path, ptext, strlen(ptext), &m, &err) != 0 ||
        report_html(m, &o->dot, o->render, svg, &html, &err) != 0) {
        cli_error(err);
        rc = CLEAVE_EXIT_INTERNAL;
    } else if (cli_write_output_in(path, html, strlen(html)) != 0) {
        rc = CLEAVE_EXIT_INTERNAL;
    } else {
        strvec_push(written, path);
    }
    free(html);
    free(err);
    free(path);
    report_model_free(m);
    return rc;
}

static int run(int argc, char **argv) {
    opts o = {.src.path = ".", .outdir = "cleave-out", .render = 1, .report = 1};
    int rc = parse(argc, argv, &o);
    if (rc != CLEAVE_EXIT_OK) {
        cli_cache_free(&o.src.cache);
        return rc == CLI_HELP ? CLEAVE_EXIT_OK : rc;
    }

    char *plan_path = path_join(o.outdir, "plan.json");
    char *graph_path = path_join(o.outdir, "graph.json");
    config *cfg = NULL;
    graph *g = NULL;
    plan *p = NULL;
    char *ptext = NULL, *err = NULL, *svg = NULL;
    strvec written = {0};
    /* the default folder lies in the directory the command runs in, often
     * a checkout someone else wrote: a link planted there is not followed */
    struct stat st;
    if (!o.outdir_given && lstat(o.outdir, &st) == 0 && S_ISLNK(st.st_mode)) {
        fprintf(stderr, "cleave: %s: %s (name the output folder with -o)\n", o.outdir,
                file_strerror(CLEAVE_ELINK));
        rc = CLEAVE_EXIT_INTERNAL;
        goto cleanup;
    }
    /* constraints and defaults: --config FILE, or cleave.json at the root of the scanned tree */
    rc = cli_config_load(o.config_file, o.src.graph_file ? NULL : o.src.path, &cfg);
    if (rc != CLEAVE_EXIT_OK) goto cleanup;
    rc = cli_graph_open(&o.src, &g);
    if (rc != CLEAVE_EXIT_OK) goto cleanup;
    /* a pin or group naming no function of the code is a typo, not a no-op */
    if (cfg && config_check_functions(cfg, g, &err) != 0) {
        cli_error(err);
        rc = CLEAVE_EXIT_USAGE;
        goto cleanup;
    }

    graphjob gj = {g, o.src.graph_file, graph_path, 0};
    pthread_t gthread;
    int threaded = pthread_create(&gthread, NULL, write_graph, &gj) == 0;
    if (!threaded) write_graph(&gj);
    double t0 = now();
    p = make_plan(g, &o, cfg);
    double seconds = now() - t0;
    ptext = plan_json_render(p, "graph.json");
    if (threaded) pthread_join(gthread, NULL);

    /* the graph first, then the plan that names it, then the diagrams */
    if (gj.rc != 0 || cli_write_output_in(plan_path, ptext, strlen(ptext)) != 0)
        rc = CLEAVE_EXIT_INTERNAL;
    else rc = write_diagrams(p, &o, &written, &svg);
    if (rc == CLEAVE_EXIT_OK && o.report) rc = write_report(p, &o, plan_path, ptext, svg, &written);
    if (rc == CLEAVE_EXIT_OK && !o.src.scan.quiet) {
        /* a size option that could not be met is said where it was typed,
         * and so is state the plan cannot see (the plan is no guide then) */
        for (size_t i = 0; i < p->notes.n; i++)
            if (strncmp(p->notes.v[i], "--", 2) == 0 || strncmp(p->notes.v[i], "state:", 6) == 0)
                fprintf(stderr, "cleave: note: %s\n", p->notes.v[i]);
        summary(p, seconds);
        printf("wrote %s, %s", plan_path, graph_path);
        for (size_t i = 0; i < written.n; i++) printf(", %s", written.v[i]);
        printf("\n");
    }
cleanup:
    strvec_free(&written);
    free(err);
    free(svg);
    free(ptext);
    plan_free(p);
    graph_free(g);
    config_free(cfg);
    free(graph_path);
    free(plan_path);
    cli_cache_free(&o.src.cache);
    return rc;
}

const cmd_entry cmd_plan_entry = {"plan", "propose service / function boundaries as a split plan", run};
