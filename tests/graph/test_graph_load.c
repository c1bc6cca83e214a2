/*
 * test_graph_load.c - graph JSON read back: every fixture's expected.json
 * renders back to the same bytes; so does a hand-made graph exercising
 * what the fixtures lack (escapes, a site without a file, a file name with
 * a colon, stand-ins), also reordered, reformatted and with members from
 * a future version; and each kind of damage is reported at its place,
 * also in a graph big enough to be read by two threads.
 */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "util/common.h"
#include "graph/graph_json.h"
#include "graph/graph_load.h"
#include "util/strpool.h"
#include "test.h"

/* Loads text; returns the re-rendered JSON (or NULL and *err). */
static char *roundtrip(const char *text, char **err) {
    graph *g = NULL;
    *err = NULL;
    if (graph_load_text("t.json", text, strlen(text), &g, err) != 0) return NULL;
    char *out = graph_json_render(g);
    graph_free(g);
    return out;
}

static void test_fixtures(void) {
    const char *dir = CLEAVE_SOURCE_DIR "/fixtures";
    DIR *d = opendir(dir);
    REQUIRE(d != NULL);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.') continue;
        char *path = xasprintf("%s/%s/expected.json", dir, e->d_name);
        size_t len;
        char *text = file_read_all(path, &len);
        if (text) {
            graph *g = NULL;
            char *err = NULL;
            CHECK(graph_load(path, &g, &err) == 0);
            if (err) fprintf(stderr, "%s\n", err);
            if (g) {
                char *again = graph_json_render(g);
                if (strcmp(again, text) != 0) fprintf(stderr, "%s: renders differently\n", path);
                CHECK_STR(again, text);
                free(again);
                n++;
            }
            graph_free(g);
            free(err);
            free(text);
        }
        free(path);
    }
    closedir(d);
    CHECK(n >= 10);
    printf("%d fixture graphs render back to the same bytes\n", n);
}

/* As the writer renders it (the round trip checks that too). */
static const char BASE[] =
    "{\n"
    "  \"schema\": \"cleave.graph/2\",\n"
    "  \"root\": \"r\",\n"
    "  \"compile_db\": null,\n"
    "  \"approximate\": true,\n"
    "  \"summary\": {\"units\":2,\"ok\":1,\"partial\":1,\"failed\":0,\"functions\":2,"
    "\"external_functions\":1,\"globals\":2,\"direct_calls\":2,\"indirect_calls\":1,"
    "\"indirect_sites\":3,\"indirect_resolved\":2,\"indirect_unresolved\":1,"
    "\"indirect_targets_avg\":1.5,\"indirect_sites_by_via\":{\"field\":1,\"global\":1,"
    "\"type\":0,\"unknown\":1},\"coverage\":0.5,\"unseen_files\":1,\"several_builds\":1},\n"
    "  \"stand_ins\": [\n"
    "    {\"header\":\"config.h\",\"from\":\"config.h.in\",\"switches\":3,\"units\":2},\n"
    "    {\"header\":\"x.h\",\"from\":null,\"switches\":0,\"units\":0}\n"
    "  ],\n"
    "  \"unseen\": [\n"
    "    {\"file\":\"g.y\",\"reason\":\"grammar\"}\n"
    "  ],\n"
    "  \"builds\": [\n"
    "    {\"file\":\"a.c\",\"builds\":2,\"entry\":3,\"with\":[],\"without\":[\"-DFE\"],"
    "\"agree\":4,\"of\":5}\n"
    "  ],\n"
    "  \"warnings\": [\n"
    "    \"w1 \xc3\xa9\"\n"
    "  ],\n"
    "  \"units\": [\n"
    "    {\"file\":\"a.c\",\"status\":\"ok\",\"errors\":[],\"headers\":[\"a.h\",\"inc/b.h\"]},\n"
    "    {\"file\":\"b.c\",\"status\":\"partial\",\"errors\":[\"b.c:1:2: \\\"q\\\" \\u001b\\t/\"],\"headers\":[]}\n"
    "  ],\n"
    "  \"functions\": [\n"
    "    {\"id\":\"a.c:helper\",\"name\":\"helper\",\"file\":\"a.c\",\"line\":3,\"end_line\":5,"
    "\"linkage\":\"static\",\"defined\":true,\"loc\":2,\"address_taken\":true},\n"
    "    {\"id\":\"main\",\"name\":\"main\",\"file\":\"a.c\",\"line\":7,\"end_line\":12,"
    "\"linkage\":\"extern\",\"defined\":true,\"loc\":5,\"address_taken\":false},\n"
    "    {\"id\":\"puts\",\"name\":\"puts\",\"file\":null,\"line\":0,\"end_line\":0,"
    "\"linkage\":\"extern\",\"defined\":false,\"loc\":0,\"address_taken\":false}\n"
    "  ],\n"
    "  \"globals\": [\n"
    "    {\"id\":\"a.c:main:n\",\"name\":\"n\",\"file\":\"a.c\",\"line\":8,\"linkage\":\"static\","
    "\"kind\":\"static_local\",\"defined\":true,\"parent\":\"main\"},\n"
    "    {\"id\":\"g\",\"name\":\"g\",\"file\":\"b.c\",\"line\":1,\"linkage\":\"extern\","
    "\"kind\":\"variable\",\"defined\":true}\n"
    "  ],\n"
    "  \"calls\": [\n"
    "    {\"from\":\"main\",\"to\":\"a.c:helper\",\"kind\":\"direct\",\"sites\":1,\"loop_depth\":0,"
    "\"at\":[\"a.c:9:3\"]},\n"
    "    {\"from\":\"main\",\"to\":\"a.c:helper\",\"kind\":\"field\",\"sites\":2,\"loop_depth\":1,"
    "\"at\":[\"?:0:0\",\"a.c:10:5\"]},\n"
    "    {\"from\":\"main\",\"to\":\"puts\",\"kind\":\"direct\",\"sites\":2,\"loop_depth\":2,"
    "\"at\":[\"a.c:11:5\",\"a.c:11:5\"]}\n"
    "  ],\n"
    "  \"accesses\": [\n"
    "    {\"function\":\"a.c:helper\",\"global\":\"g\",\"mode\":\"write\",\"count\":1,"
    "\"at\":[\"a.c:4:3\"]},\n"
    "    {\"function\":\"main\",\"global\":\"a.c:main:n\",\"mode\":\"read\",\"count\":2,"
    "\"at\":[\"a.c:9:7\",\"inc/x:y.h:2:1\"]}\n"
    "  ]\n"
    "}\n";

/* text with the first occurrence of `from` replaced by `to`. */
static char *replace(const char *text, const char *from, const char *to) {
    const char *p = strstr(text, from);
    REQUIRE(p != NULL);
    return xasprintf("%.*s%s%s", (int)(p - text), text, to, p + strlen(from));
}

static char *mutate(const char *from, const char *to) {
    return replace(BASE, from, to);
}

static void test_base(void) {
    char *err;
    char *out = roundtrip(BASE, &err);
    if (err) fprintf(stderr, "%s\n", err);
    CHECK_STR(out, BASE);
    free(out);
    free(err);

    graph *g = NULL;
    REQUIRE(graph_load_text("t.json", BASE, strlen(BASE), &g, &err) == 0);
    CHECK(g->compile_db == NULL);
    CHECK_INT(g->stats.indirect_targets, 3);
    CHECK(g->calls.v[1].at.v[0].file == NULL);
    CHECK_STR(g->accesses.v[1].at.v[1].file, "inc/x:y.h");
    CHECK_INT(g->accesses.v[1].at.v[1].line, 2);
    CHECK_STR(g->units.v[1].errors.v[0], "b.c:1:2: \"q\" \x1b\t/");
    CHECK_INT(graph_find_func(g, "puts"), 2);
    CHECK(g->calls.v[2].to == 2 && g->calls.v[2].from == 1);
    graph_free(g);
}

/* The same graph written differently loads to the same graph. */
static void test_variants(void) {
    char *err;
    /* unknown members (a later version may add some) are skipped */
    char *t = mutate("\"loc\":2,", "\"loc\":2,\"future\":{\"x\":[1,{\"y\":null}]},");
    char *u = xasprintf("{\"later\": [true],%s", t + 1);
    char *out = roundtrip(u, &err);
    CHECK_STR(out, BASE);
    free(t);
    free(u);
    free(out);
    free(err);

    /* edges before the nodes, members in another order */
    const char *calls = strstr(BASE, "  \"calls\"");
    const char *end = strstr(BASE, "  \"accesses\"");
    const char *funcs = strstr(BASE, "  \"functions\"");
    t = xasprintf("%.*s%.*s%.*s", (int)(funcs - BASE), BASE, (int)(end - calls), calls,
                  (int)(calls - funcs), funcs);
    u = xasprintf("%s%s", t, end);
    char *v = NULL;
    {
        const char *p = strstr(u, "{\"id\":\"main\",\"name\":\"main\",");
        v = xasprintf("%.*s{\"name\":\"main\",\"id\":\"main\",%s", (int)(p - u), u,
                      p + strlen("{\"id\":\"main\",\"name\":\"main\","));
    }
    out = roundtrip(v, &err);
    if (err) fprintf(stderr, "%s\n", err);
    CHECK_STR(out, BASE);
    free(t);
    free(u);
    free(v);
    free(out);
    free(err);

    /* other white space: cJSON's own formatting */
    cJSON *doc = cJSON_Parse(BASE);
    char *pretty = cJSON_Print(doc);
    out = roundtrip(pretty, &err);
    CHECK_STR(out, BASE);
    cJSON_Delete(doc);
    free(pretty);
    free(out);
    free(err);
}

/* A graph written before the coverage keys loads; written again, it
 * says what is known (no stand-in's unit count). */
static void test_older(void) {
    char *t = mutate(",\"coverage\":0.5,\"unseen_files\":1,\"several_builds\":1}", "}");
    char *u = replace(t, ",\"units\":2}", "}");
    char *v = replace(u, "  \"unseen\": [\n    {\"file\":\"g.y\",\"reason\":\"grammar\"}\n  ],\n", "");
    const char *b = strstr(v, "  \"builds\": [");
    const char *w = strstr(v, "  \"warnings\"");
    REQUIRE(b && w);
    char *x = xasprintf("%.*s%s", (int)(b - v), v, w);
    graph *g = NULL;
    char *err = NULL;
    CHECK(graph_load_text("t.json", x, strlen(x), &g, &err) == 0);
    if (err) fprintf(stderr, "%s\n", err);
    REQUIRE(g != NULL);
    CHECK_INT(g->standins.v[0].units, -1);
    CHECK_INT(g->standins.v[1].units, 0);
    CHECK_INT(g->unseen.n, 0);
    CHECK_INT(g->builds.n, 0);
    char *out = graph_json_render(g);
    CHECK(strstr(out, "{\"header\":\"config.h\",\"from\":\"config.h.in\",\"switches\":3},") != NULL);
    CHECK(strstr(out, "\"unseen_files\":0,\"several_builds\":0}") != NULL);
    free(out);
    graph_free(g);
    free(t);
    free(u);
    free(v);
    free(x);
}

/* The program counts (scan/merge.c) come all or none, and "programs"
 * is the number of files defining an extern main; they render back. */
static void test_program_counts(void) {
    static const char at[] = "\"several_builds\":1}";
    char *t = mutate(at, "\"several_builds\":1,\"programs\":1,\"files_of_other_builds\":0,"
                         "\"names_in_several_files\":2,\"calls_to_nearest\":3,"
                         "\"calls_kept_in_program\":4,\"calls_left_unresolved\":5}");
    char *err = NULL;
    char *out = roundtrip(t, &err);
    CHECK(out != NULL && strcmp(out, t) == 0);
    free(out);
    free(err);
    graph *g = NULL;
    REQUIRE(graph_load_text("t.json", t, strlen(t), &g, &err) == 0);
    CHECK(g->stats.programs_known && g->stats.programs == 1 && g->stats.shared_names == 2 &&
          g->stats.calls_nearest == 3 && g->stats.calls_in_program == 4 &&
          g->stats.calls_unresolved == 5);
    graph_free(g);
    char *u = mutate(at, "\"several_builds\":1,\"programs\":1}");
    CHECK(graph_load_text("t.json", u, strlen(u), &g, &err) == -1 && g == NULL);
    CHECK(err && strstr(err, "the program counts (\"programs\" to \"calls_left_unresolved\") "
                             "come all or none"));
    free(err);
    err = NULL;
    char *v = replace(t, "\"programs\":1", "\"programs\":2");
    CHECK(graph_load_text("t.json", v, strlen(v), &g, &err) == -1 && g == NULL);
    CHECK(err && strstr(err, "\"programs\" is not the number of files defining an extern main"));
    free(err);
    free(t);
    free(u);
    free(v);
}

/* A second build (graph.h, gread) renders back the same and is checked:
 * its unit is its file, then "[build]". */
static void test_second_builds(void) {
    static const char at[] = "  \"warnings\": [";
    char *t = mutate(at, "  \"second_builds\": [\n"
                         "    {\"unit\":\"a.c[FE]\",\"file\":\"a.c\",\"entry\":0,"
                         "\"with\":[\"-DFE\"],\"programs\":2,\"main\":\"m.c\"},\n"
                         "    {\"unit\":\"b.c[!FE]\",\"file\":\"b.c\",\"entry\":9,"
                         "\"with\":[],\"programs\":0,\"main\":null}\n"
                         "  ],\n  \"warnings\": [");
    char *err = NULL;
    char *out = roundtrip(t, &err);
    CHECK(out != NULL && strcmp(out, t) == 0);
    free(out);
    graph *g = NULL;
    REQUIRE(graph_load_text("t.json", t, strlen(t), &g, &err) == 0);
    REQUIRE(g->reads.n == 2);
    CHECK_STR(g->reads.v[0].unit, "a.c[FE]");
    CHECK(g->reads.v[0].programs == 2 && g->reads.v[1].entry == 9 && !g->reads.v[1].main);
    char *seen = graph_seen_text(g);
    CHECK(strstr(seen, "; 2 second builds read for the programs linking them") != NULL);
    free(seen);
    graph_free(g);
    char *u = replace(t, "\"unit\":\"a.c[FE]\"", "\"unit\":\"c.c[FE]\"");
    CHECK(graph_load_text("t.json", u, strlen(u), &g, &err) == -1 && g == NULL);
    CHECK(err && strstr(err, "a second-build record needs \"unit\" to be \"file\" then "
                             "\"[build]\""));
    free(err);
    err = NULL;
    char *w = replace(t, "\"unit\":\"b.c[!FE]\"", "\"unit\":\"a.c[!FE]\"");
    char *v = replace(w, "\"file\":\"b.c\"", "\"file\":\"a.c\"");
    free(w);
    CHECK(graph_load_text("t.json", v, strlen(v), &g, &err) == -1 && g == NULL);
    CHECK(err && strstr(err, "second build") != NULL);
    free(err);
    free(t);
    free(u);
    free(v);
}

/* BASE damaged by replacing `from` with `to` must fail with `want`. */
static void damaged(const char *from, const char *to, const char *want) {
    char *t = mutate(from, to), *err;
    char *out = roundtrip(t, &err);
    CHECK(out == NULL);
    CHECK_STR(err, want);
    free(out);
    free(err);
    free(t);
}

/* What a bad build record hears (graph_load.c). */
#define BUILD_RULE                                                                                 \
    "t.json:15:28: a build record needs \"builds\" >= 2, \"entry\" >= 1 and \"agree\" <= "         \
    "\"of\", or \"entry\" 0, \"builds\" 1 and one option \"with\" (a macro the file requires)"

static void test_errors(void) {
    char *err = NULL;
    graph *g = NULL;
    damaged("\"schema\": \"cleave.graph/2\"", "\"schema\": \"cleave.plan/1\"",
            "t.json:2:13: schema is \"cleave.plan/1\", not \"cleave.graph/2\": not a cleave graph");
    damaged("\"headers\":[\"a.h\",\"inc/b.h\"]", "\"headers\":[\"inc/b.h\",\"a.h\"]",
            "t.json:21:66: \"headers\" are not sorted and unique: \"a.h\"");
    /* a graph of the schema before calls said their evidence */
    damaged("\"schema\": \"cleave.graph/2\"", "\"schema\": \"cleave.graph/1\"",
            "t.json:2:13: schema is \"cleave.graph/1\", not \"cleave.graph/2\": a graph of an older "
            "cleave, whose calls do not say their evidence; scan again");
    /* the schema is checked first even when it comes last */
    damaged("\"schema\": \"cleave.graph/2\",\n  \"root\": \"r\",",
            "\"root\": 7,", "t.json:2:11: \"root\" must be a string");
    /* another kind of file hears that first, wherever its schema is */
    char *t = mutate("\"schema\": \"cleave.graph/2\",\n  \"root\": \"r\",", "\"root\": 7,");
    char *u = replace(t, "\"accesses\": [", "\"schema\": \"cleave.plan/1\", \"accesses\": [");
    char *out = roundtrip(u, &err);
    CHECK(out == NULL);
    CHECK_STR(err, "t.json:37:13: schema is \"cleave.plan/1\", not \"cleave.graph/2\": not a cleave graph");
    free(t);
    free(u);
    free(out);
    free(err);
    damaged("\"accesses\": [", "\"schema\": 1, \"accesses\": [",
            "t.json:38:13: the graph has \"schema\" twice");
    damaged("\"linkage\":\"static\",\"defined\":true,\"loc\":2",
            "\"linkage\":\"statik\",\"defined\":true,\"loc\":2",
            "t.json:25:85: unknown linkage \"statik\" (expected extern or static)");
    damaged("\"status\":\"partial\"", "\"status\":\"fine\"",
            "t.json:22:28: unknown status \"fine\" (expected ok, partial or failed)");
    damaged("\"mode\":\"write\"", "\"mode\":\"rw\"",
            "t.json:39:50: unknown mode \"rw\" (expected read, write or address)");
    damaged("\"to\":\"puts\"", "\"to\":\"putz\"", "t.json:36:25: \"to\" names no function: \"putz\"");
    damaged("\"global\":\"g\"", "\"global\":\"h\"", "t.json:39:39: \"global\" names no global: \"h\"");
    damaged("{\"id\":\"main\",\"name\":\"main\"", "{\"id\":\"a.c:helper\",\"name\":\"main\"",
            "t.json:26:11: duplicate function id \"a.c:helper\"");
    damaged("{\"id\":\"puts\",\"name\":\"puts\"", "{\"id\":\"aa\",\"name\":\"puts\"",
            "t.json:27:11: functions are not sorted by id: \"aa\" after \"main\"");
    damaged("{\"file\":\"b.c\",\"status\"", "{\"file\":\"a.c\",\"status\"",
            "t.json:22:13: duplicate unit file \"a.c\"");
    damaged("\"end_line\":12,\"linkage\":\"extern\",\"defined\":true,\"loc\":5,",
            "\"end_line\":12,\"linkage\":\"extern\",\"defined\":true,",
            "t.json:26:5: a function record lacks \"loc\"");
    damaged("\"line\":7,", "\"line\":\"7\",", "t.json:26:52: \"line\" must be a non-negative integer below 2^31");
    damaged("\"line\":7,", "\"line\":-7,", "t.json:26:52: \"line\" must be a non-negative integer below 2^31");
    damaged("\"line\":7,", "\"line\":2147483648,", "t.json:26:52: \"line\" must be a non-negative integer below 2^31");
    damaged("\"line\":7,", "\"line\":7,\"line\":7,", "t.json:26:61: a function record has \"line\" twice");
    damaged("\"defined\":false", "\"defined\":0", "t.json:27:95: \"defined\" must be true or false");
    damaged("\"file\":\"b.c\",\"line\":1", "\"file\":1,\"line\":1",
            "t.json:31:33: \"file\" must be a string or null");
    damaged("\"units\":2", "\"units\":3", "t.json:6:23: summary says 3 units, the records hold 2");
    damaged("\"direct_calls\":2", "\"direct_calls\":1",
            "t.json:6:119: summary says 1 direct_calls, the records hold 2");
    damaged("\"indirect_targets_avg\":1.5", "\"indirect_targets_avg\":1.37",
            "t.json:6:228: \"indirect_targets_avg\" is not a mean of whole target counts over the resolved sites");
    damaged("\"indirect_unresolved\":1", "\"indirect_unresolved\":0",
            "t.json:6:203: \"indirect_unresolved\" is not \"indirect_sites\" - \"indirect_resolved\"");
    damaged("\"type\":0", "\"type\":1",
            "t.json:6:256: \"indirect_sites_by_via\" does not add up to \"indirect_sites\"");
    damaged("\"approximate\": true", "\"approximate\": false",
            "t.json:5:18: \"approximate\" must be true exactly when \"compile_db\" is null");
    damaged("\"sites\":1,", "\"sites\":2,", "t.json:34:62: \"sites\" is 2 but \"at\" lists 1");
    damaged("\"count\":2,", "\"count\":3,", "t.json:40:68: \"count\" is 3 but \"at\" lists 2");
    damaged("[\"a.c:11:5\",\"a.c:11:5\"]", "[\"a.c:11:6\",\"a.c:11:5\"]",
            "t.json:36:90: \"at\" is not sorted (by file, line, column)");
    damaged("\"a.c:9:3\"", "\"a.c-9\"", "t.json:34:85: site \"a.c-9\" is not \"file:line:col\"");
    damaged("\"a.c:9:3\"", "\"a.c:9:x\"", "t.json:34:85: site \"a.c:9:x\" is not \"file:line:col\"");
    damaged("\"kind\":\"field\"", "\"kind\":\"direct\"",
            "t.json:35:13: duplicate call main -> a.c:helper (direct)");
    damaged("\"to\":\"puts\",\"kind\":\"direct\"", "\"to\":\"a.c:helper\",\"kind\":\"direct\"",
            "t.json:36:13: calls are not sorted by (from, to, kind): main -> a.c:helper (direct)");
    damaged("{\"from\":\"main\",\"to\":\"a.c:helper\",\"kind\":\"direct\"",
            "{\"from\":\"puts\",\"to\":\"a.c:helper\",\"kind\":\"direct\"",
            "t.json:35:13: calls are not sorted by (from, to, kind): main -> a.c:helper (field)");
    damaged("\"kind\":\"field\"", "\"kind\":\"maybe\"",
            "t.json:35:45: unknown kind \"maybe\" (expected direct, field or type)");
    damaged(",\n  \"accesses\": [\n", ",\n  \"more\": [\n", "t.json:1:1: the graph lacks \"accesses\"");
    damaged("\"loop_depth\":0,", "\"loop_depth\":0", "t.json:34:78: malformed JSON: expected ',' or '}'");
    damaged("\"units\":0}", "\"units\":0},", "t.json:10:3: malformed JSON: expected a value");
    damaged("\"w1 ", "\"w1 \\x", "t.json:18:9: malformed JSON: bad escape in string");
    damaged("\n}\n", "\n}\n}", "t.json:43:1: malformed JSON: text after the end of the document");
    damaged("\"calls\": [", "\"calls\": {", "t.json:33:12: \"calls\" must be an array");
    damaged("\"globals\": [", "\"globals\": 3,\"x\": [", "t.json:29:14: \"globals\" must be an array");

    /* what the graph says of its input */
    damaged("\"coverage\":0.5", "\"coverage\":1", "t.json:6:311: \"coverage\" is not the share of units that are \"ok\"");
    damaged("\"unseen_files\":1", "\"unseen_files\":2", "t.json:6:330: \"unseen_files\" is not the length of \"unseen\"");
    damaged("\"several_builds\":1", "\"several_builds\":0", "t.json:6:349: \"several_builds\" is not the length of \"builds\"");
    damaged("\"reason\":\"grammar\"", "\"reason\":\"lost\"", "t.json:12:28: unknown reason \"lost\" (expected grammar or no_entry)");
    damaged("\"builds\":2", "\"builds\":1", BUILD_RULE);
    damaged("\"agree\":4", "\"agree\":6", BUILD_RULE);
    damaged("\"without\":[\"-DFE\"]", "\"without\":[1]", "t.json:15:61: \"without\" must be a string");
    damaged("{\"file\":\"g.y\",\"reason\":\"grammar\"}",
            "{\"file\":\"g.y\",\"reason\":\"grammar\"},{\"file\":\"f.y\",\"reason\":\"grammar\"}",
            "t.json:12:47: unseen files are not sorted by file: \"f.y\" after \"g.y\"");

    CHECK(graph_load_text("t.json", "[]", 2, &g, &err) == -1 && g == NULL);
    CHECK_STR(err, "t.json:1:1: the graph must be an object");
    free(err);
    CHECK(graph_load_text("t.json", "", 0, &g, &err) == -1);
    CHECK_STR(err, "t.json:1:1: malformed JSON: unexpected end of input");
    free(err);
    CHECK(graph_load("/nonexistent/g.json", &g, &err) == -1 && g == NULL);
    CHECK_STR(err, "/nonexistent/g.json: No such file or directory");
    free(err);
    CHECK(graph_load(CLEAVE_SOURCE_DIR "/fixtures", &g, &err) == -1 && g == NULL);
    CHECK_STR(err, CLEAVE_SOURCE_DIR "/fixtures: Is a directory");
    free(err);
}

/* ---- a graph big enough for two threads ---------------------------------- */

enum { BIG_FUNCS = 50000, BIG_CALLS_EACH = 4 };

/* BIG_FUNCS functions "f0000000"... in one file, each calling the next
 * BIG_CALLS_EACH: some 20 MB of JSON, whose "calls" array the loader
 * reads with a worker on its second half. */
static char *bigtext(void) {
    graph *g = graph_new("r");
    gunit u = {0};
    u.file = strpool_intern(g->pool, "a.c");
    VEC_PUSH(g->units, u);
    char id[16];
    for (int i = 0; i < BIG_FUNCS; i++) {
        snprintf(id, sizeof id, "f%07d", i);
        gfunc f = {0};
        f.id = f.name = strpool_intern(g->pool, id);
        f.file = u.file;
        f.line = f.end_line = i + 1;
        f.loc = 1;
        f.defined = 1;
        VEC_PUSH(g->funcs, f);
    }
    for (int i = 0; i < BIG_FUNCS; i++)
        for (int d = 1; d <= BIG_CALLS_EACH && i + d < BIG_FUNCS; d++) {
            gcall c = {0};
            c.from = (size_t)i;
            c.to = (size_t)(i + d);
            c.sites = 1;
            gsite st = {u.file, i + 1, d};
            VEC_PUSH(c.at, st);
            VEC_PUSH(g->calls, c);
        }
    char *text = graph_json_render(g);
    graph_free(g);
    return text;
}

/* The line (1-based) of the record of call k, and the offset of its start. */
static size_t callline(const char *text, size_t k, int *line) {
    const char *p = strstr(text, "\"calls\": [");
    *line = 1;
    for (const char *q = text; q < p; q++) *line += *q == '\n';
    for (size_t i = 0; i <= k; i++) {
        p = strchr(p, '\n') + 1;
        ++*line;
    }
    return (size_t)(p - text);
}

/* Text t must fail to load with `want`; frees both. */
static void fails(char *t, char *want) {
    char *err = NULL, *out = roundtrip(t, &err);
    CHECK(out == NULL);
    CHECK_STR(err, want);
    free(out);
    free(err);
    free(want);
    free(t);
}

static void test_big(void) {
    char *text = bigtext(), *err = NULL;
    char *out = roundtrip(text, &err);
    CHECK(out != NULL && err == NULL);
    if (out) CHECK(strcmp(out, text) == 0);
    free(out);
    /* the call the worker starts on: the first record line past 45% of
     * what follows the array's '[' (graph_load.c, splitpoint) */
    size_t len = strlen(text), at = (size_t)(strstr(text, "\"calls\": [") - text) + 9;
    const char *seam = strstr(text + at + (len - at) / 2 * 9 / 10, "\n    {\"from\":");
    CHECK(seam != NULL);
    size_t first = 0;
    for (const char *q = text + at; q < seam; q++) first += *q == '\n';
    /* an order violation before, at and after the seam, and damage in the
     * worker's half, each reported where a single reader would */
    size_t ks[] = {first - 1, first - 1 + 1, first - 1 + 2, first + 1000};
    for (size_t i = 0; i < sizeof ks / sizeof *ks; i++) {
        int line;
        size_t off = callline(text, ks[i], &line);
        char *t = xstrdup(text);
        memcpy(t + off + 13, "f0000000", 8); /* "    {\"from\":\"" is 13 bytes */
        char to[16];
        memcpy(to, t + off + 29, 8);
        to[8] = '\0';
        fails(t, xasprintf("t.json:%d:13: calls are not sorted by (from, to, kind): f0000000 -> %s (direct)",
                           line, to));
    }
    int line;
    size_t off = callline(text, first + 2000, &line);
    char *t = xstrdup(text);
    char *sites = strstr(t + off, "\"sites\":1");
    sites[8] = '2';
    fails(t, xasprintf("t.json:%d:%d: \"sites\" is 2 but \"at\" lists 1", line, (int)(sites - (t + off)) + 9));
    free(text);
    printf("a %zu-byte graph read by two threads renders back to the same bytes\n", len);
}

static const test_case cases[] = {
    {"fixtures", test_fixtures},
    {"base", test_base},
    {"variants", test_variants},
    {"older", test_older},
    {"program_counts", test_program_counts},
    {"second_builds", test_second_builds},
    {"errors", test_errors},
    {"big", test_big},
};

int main(int argc, char **argv) {
    return test_main(argc, argv, cases, TEST_COUNT(cases));
}
