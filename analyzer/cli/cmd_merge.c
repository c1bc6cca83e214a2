/*
 * cmd_merge.c - `cleave merge FACTS... [-o FILE] [-q]`: joins the shard
 * files of `cleave scan --shard K/N` into the graph JSON a whole scan of
 * the project gives, byte for byte.  The inputs must be the N slices of
 * one project, each exactly once, in any order.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static int streq(const char *a, const char *b) {
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* Whether two shards describe the same project the same way. */
static int sameproject(const shard *a, const shard *b) {
    if (a->project != b->project || a->n != b->n || a->total != b->total ||
        !streq(a->root, b->root) || !streq(a->compile_db, b->compile_db) ||
        a->flags_dropped != b->flags_dropped || a->standins.n != b->standins.n)
        return 0;
    for (size_t i = 0; i < a->standins.n; i++) {
        const project_standin *x = &a->standins.v[i], *y = &b->standins.v[i];
        if (!streq(x->header, y->header) || !streq(x->from, y->from) || x->switches != y->switches)
            return 0;
    }
    if (a->unseen.n != b->unseen.n || a->builds.n != b->builds.n) return 0;
    for (size_t i = 0; i < a->unseen.n; i++)
        if (!streq(a->unseen.v[i].file, b->unseen.v[i].file) ||
            a->unseen.v[i].kind != b->unseen.v[i].kind)
            return 0;
    for (size_t i = 0; i < a->builds.n; i++) {
        const project_build *x = &a->builds.v[i], *y = &b->builds.v[i];
        if (!streq(x->file, y->file) || x->entry != y->entry || x->builds != y->builds)
            return 0;
    }
    return 1;
}

/* Checks that the shards are the n slices of one project, each once;
 * returns 0, or -1 after printing why not. */
static int complete(shard *const *s, char *const *names, size_t count) {
    const shard *first = s[0];
    size_t *given = xcalloc(first->n + 1, sizeof *given); /* slice -> input index + 1 */
    uint64_t units = 0;
    int rc = 0;
    for (size_t i = 0; i < count && rc == 0; i++) {
        if (!sameproject(first, s[i])) {
            fprintf(stderr, "cleave: %s: not a slice of the project %s comes from\n", names[i],
                    names[0]);
            rc = -1;
        } else if (given[s[i]->k]) {
            fprintf(stderr, "cleave: %s: slice %u/%u is already given by %s\n", names[i],
                    s[i]->k, s[i]->n, names[given[s[i]->k] - 1]);
            rc = -1;
        } else {
            given[s[i]->k] = i + 1;
            units += s[i]->tus.n;
        }
    }
    for (unsigned k = 1; k <= first->n && rc == 0; k++) {
        if (!given[k]) {
            fprintf(stderr, "cleave: merge: slice %u/%u is missing\n", k, first->n);
            rc = -1;
        }
    }
    if (rc == 0 && units != first->total) {
        fprintf(stderr, "cleave: merge: the slices hold %llu units, the project %llu\n",
                (unsigned long long)units, (unsigned long long)first->total);
        rc = -1;
    }
    free(given);
    return rc;
}

/* Merges the checked shards and writes the graph; returns the exit code. */
static int writemerged(shard *const *s, size_t count, int quiet, const char *output) {
    struct { facts **v; size_t n, cap; } all = {0};
    size_t parsed = 0;
    for (size_t i = 0; i < count; i++) {
        for (size_t j = 0; j < s[i]->tus.n; j++) {
            facts *f = s[i]->tus.v[j];
            VEC_PUSH(all, f);
            parsed += f->status != UNIT_FAILED;
        }
    }
    const shard *first = s[0];
    /* each slice counted the stand-ins its own units included */
    size_t *units = xcalloc(first->standins.n + 1, sizeof *units);
    for (size_t i = 0; i < count; i++)
        for (size_t k = 0; k < first->standins.n; k++) units[k] += s[i]->standin_units.v[k];
    scan_source src = {first->compile_db, (size_t)first->flags_dropped,
                       first->standins.v, first->standins.n,
                       units,             first->unseen.v,
                       first->unseen.n,   first->builds.v,
                       first->builds.n};
    graph *g = scan_graph(all.v, all.n, first->root, &src);
    free(units);
    free(all.v);
    if (!quiet) scan_summary(g, NULL);
    int rc = CLEAVE_EXIT_OK;
    if (parsed == 0) {
        fprintf(stderr, "cleave: %s: no unit could be parsed; nothing written\n", first->root);
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
        if (shard_read(o.files[i], &s[i], &err) != 0) {
            cli_error(err);
            rc = CLEAVE_EXIT_USAGE;
            goto cleanup;
        }
    }
    if (complete(s, o.files, o.count) != 0) {
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
