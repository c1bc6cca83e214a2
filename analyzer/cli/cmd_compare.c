/*
 * cmd_compare.c - `cleave compare A B [--format text|json] [-o FILE]`: how
 * alike two file-level decompositions are (MoJoFM both ways, a2a), on the
 * files both contain.  Formats and figures: docs/compare.md.
 */
#define _GNU_SOURCE
#include <cjson/cJSON.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/common.h"
#include "compare/compare.h"
#include "compare/partition.h"
#include "util/json_out.h"

static const char USAGE[] =
    "usage: cleave compare A B [--format text|json] [-o FILE]\n\n"
    "Compares two decompositions of a program's files: MoJoFM of each against the\n"
    "other as the reference, and a2a, on the files both contain.  A and B are each\n"
    "a cleave plan (plan.json), an RSF file (\"contain CLUSTER FILE\" lines) or a\n"
    "clustering JSON (\"structure\" of groups); the format is told by content.\n\n"
    "  -f, --format FMT   text (default) or json\n"
    "  -o, --output FILE  where to write the result (default: - for stdout)\n"
    "  -h, --help         this text\n\n"
    "Exit status 3 when A and B have no file in common.\n";

static cJSON *number_or_null(double v) {
    return isnan(v) ? cJSON_CreateNull() : cJSON_CreateNumber(v);
}

static cJSON *side(const char *path, const partition *p, size_t files, size_t clusters,
                   size_t common_clusters) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "path", path);
    cJSON_AddStringToObject(o, "format", p->format);
    cJSON_AddNumberToObject(o, "files", (double)files);
    cJSON_AddNumberToObject(o, "clusters", (double)clusters);
    cJSON_AddNumberToObject(o, "common_clusters", (double)common_clusters);
    return o;
}

static char *render_json(const char *pa, const partition *a, const char *pb, const partition *b,
                         const compare_result *r) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "schema", "cleave.compare/1");
    cJSON_AddItemToObject(o, "a", side(pa, a, r->entities_a, r->clusters_a, r->common_clusters_a));
    cJSON_AddItemToObject(o, "b", side(pb, b, r->entities_b, r->clusters_b, r->common_clusters_b));
    cJSON_AddNumberToObject(o, "common_files", (double)r->common);
    cJSON *m = cJSON_AddObjectToObject(o, "mojofm");
    cJSON_AddItemToObject(m, "a_vs_b", number_or_null(r->mojofm_ab));
    cJSON_AddItemToObject(m, "b_vs_a", number_or_null(r->mojofm_ba));
    cJSON_AddItemToObject(o, "a2a", number_or_null(r->a2a));
    /* one top-level member per line, like the other JSON cleave writes */
    strbuf out = {0};
    strbuf_add(&out, "{\n");
    for (const cJSON *m = o->child; m; m = m->next) {
        char *text = json_out_print(m, 0);
        strbuf_printf(&out, "  \"%s\": %s%s\n", m->string, text, m->next ? "," : "");
        free(text);
    }
    strbuf_add(&out, "}\n");
    cJSON_Delete(o);
    return out.v;
}

/* A metric with `decimals` decimals (and a suffix), or "-" for NaN. */
static char *figure(double v, int decimals, const char *suffix) {
    return isnan(v) ? xstrdup("-") : xasprintf("%.*f%s", decimals, v, suffix);
}

static char *render_text(const char *pa, const partition *a, const char *pb, const partition *b,
                         const compare_result *r) {
    strbuf s = {0};
    char *fa = figure(r->mojofm_ab, 4, ""), *fb = figure(r->mojofm_ba, 4, "");
    char *f2 = figure(r->a2a, 2, "%");
    strbuf_printf(&s, "A: %s (%s)\nB: %s (%s)\n\n", pa, a->format, pb, b->format);
    strbuf_printf(&s, "%-24s %10s %10s\n", "", "A", "B");
    strbuf_printf(&s, "%-24s %10zu %10zu\n", "files", r->entities_a, r->entities_b);
    strbuf_printf(&s, "%-24s %10zu %10zu\n", "clusters", r->clusters_a, r->clusters_b);
    strbuf_printf(&s, "%-24s %10zu\n", "common files", r->common);
    strbuf_printf(&s, "%-24s %10zu %10zu\n", "clusters on common files", r->common_clusters_a,
                  r->common_clusters_b);
    strbuf_printf(&s, "%-24s %10s %10s\n", "MoJoFM against the other", fa, fb);
    strbuf_printf(&s, "%-24s %10s\n", "a2a", f2);
    free(fa);
    free(fb);
    free(f2);
    return s.v;
}

typedef struct opts {
    const char *a, *b, *output;
    int json;
} opts;

static int parse(int argc, char **argv, opts *o) {
    static const struct option longopts[] = {
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c, rc = CLEAVE_EXIT_OK;
    optind = 1;
    opterr = 0;
    /* each case sets rc; the first bad option ends the loop */
    while (rc == CLEAVE_EXIT_OK && (c = getopt_long(argc, argv, ":f:o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (strcmp(optarg, "text") != 0 && strcmp(optarg, "json") != 0)
                rc = cli_bad_value("compare", "--format", optarg, "text or json");
            o->json = strcmp(optarg, "json") == 0;
            break;
        case 'o': o->output = optarg; break;
        case 'h': fputs(USAGE, stdout); return CLI_HELP;
        default: rc = cli_bad_option("compare", c, argv[optind - 1]);
        }
    }
    if (rc != CLEAVE_EXIT_OK) return rc;
    if (argc - optind != 2) return cli_usage_error("compare", "needs two partitions, A and B");
    o->a = argv[optind];
    o->b = argv[optind + 1];
    return CLEAVE_EXIT_OK;
}

static int run(int argc, char **argv) {
    opts o = {.output = "-"};
    int rc = parse(argc, argv, &o);
    if (rc != CLEAVE_EXIT_OK) return rc == CLI_HELP ? CLEAVE_EXIT_OK : rc;

    partition *a = NULL, *b = NULL;
    char *err = NULL, *text = NULL;
    if (partition_load(o.a, &a, &err) != 0 || partition_load(o.b, &b, &err) != 0) {
        cli_error(err);
        rc = CLEAVE_EXIT_USAGE;
        goto cleanup;
    }
    compare_result r;
    compare_partitions(a, b, &r);
    text = o.json ? render_json(o.a, a, o.b, b, &r) : render_text(o.a, a, o.b, b, &r);
    if (cli_write_output(o.output, text) != 0) {
        rc = CLEAVE_EXIT_INTERNAL;
    } else if (r.common == 0) {
        fprintf(stderr, "cleave: compare: %s and %s have no file in common\n", o.a, o.b);
        rc = CLEAVE_EXIT_NOTHING;
    }
cleanup:
    free(text);
    free(err);
    partition_free(b);
    partition_free(a);
    return rc;
}

const cmd_entry cmd_compare_entry = {"compare", "compare two decompositions (MoJoFM, a2a)", run};
