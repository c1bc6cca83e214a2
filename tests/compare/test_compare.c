/*
 * test_compare.c - partitions (the three file formats, their errors) and
 * the comparison metrics: hand-worked MoJoFM and a2a cases, MoJoFM against
 * the independent reference ../shared/tools/mojofm.py on random partitions
 * rich in ties, a2a against a brute-force matching, and the Bash reference
 * decomposition against itself.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/common.h"
#include "compare/compare.h"
#include "compare/partition.h"
#include "test.h"

#define SHARED CLEAVE_SOURCE_DIR "/../shared"

static char tmpdir[] = "/tmp/cleave-test-compare-XXXXXX";

static char *writefile(const char *name, const char *text) {
    char *path = xasprintf("%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    REQUIRE(f != NULL);
    fputs(text, f);
    fclose(f);
    return path;
}

/* Loads text as file `name`; NULL and *err on failure. */
static partition *load(const char *name, const char *text, char **err) {
    char *path = writefile(name, text);
    partition *p = NULL;
    *err = NULL;
    partition_load(path, &p, err);
    unlink(path);
    free(path);
    return p;
}

/* Builds a partition from "entity:cluster entity:cluster ..." */
static partition *parse(const char *spec) {
    partition *p = partition_new();
    char *copy = xstrdup(spec), *save = NULL;
    for (char *tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        char *colon = strchr(tok, ':');
        *colon = '\0';
        partition_add(p, tok, colon + 1);
    }
    free(copy);
    return p;
}

static int near(double a, double b) {
    return (isnan(a) && isnan(b)) || fabs(a - b) <= 1e-9;
}

/* Loads the same decomposition from the three formats. */
static void test_formats(void) {
    char *err;
    partition *plan = load("p.json",
                           "{\"schema\": \"cleave.plan/1\", \"services\": [\n"
                           "  {\"name\": \"core\", \"files\": [\"a.c\", \"b.c\"], \"loc\": 10},\n"
                           "  {\"name\": \"io\", \"files\": [\"c.c\"]},\n"
                           "  {\"name\": \"empty\", \"files\": []}]}\n",
                           &err);
    partition *rsf = load("p.rsf",
                          "depends a.c c.c\n"
                          "contain core a.c\n"
                          "contain io b.c\n"
                          "\n"
                          "contain io c.c\r\n"
                          "contain core b.c\n", /* the later line wins */
                          &err);
    partition *cl = load("p2.json",
                         "{\"structure\": [{\"@type\": \"group\", \"name\": \"core\", \"nested\": [\n"
                         "  {\"@type\": \"item\", \"name\": \"a.c\"}, {\"name\": \"b.c\"}]},\n"
                         "  {\"name\": \"io\", \"nested\": [{\"name\": \"c.c\"}]},\n"
                         "  {\"name\": \"none\"}]}\n",
                         &err);
    REQUIRE(plan && rsf && cl);
    CHECK_STR(plan->format, "plan");
    CHECK_STR(rsf->format, "rsf");
    CHECK_STR(cl->format, "clustering");
    CHECK_INT(plan->items.n, 3);
    CHECK_INT(rsf->items.n, 3);
    CHECK_INT(cl->items.n, 3);
    CHECK_INT(partition_cluster_count(plan), 2); /* "empty" holds nothing */
    CHECK_INT(partition_cluster_count(rsf), 2);
    CHECK_INT(partition_cluster_count(cl), 2);
    /* loaded partitions are sorted, and the index follows */
    CHECK_STR(rsf->items.v[0].entity, "a.c");
    CHECK_STR(rsf->items.v[1].entity, "b.c");
    CHECK_STR(rsf->items.v[1].cluster, "core");
    size_t at;
    CHECK(strmap_get(rsf->index, "c.c", &at) && at == 2);
    CHECK(compare_mojofm(plan, rsf) == 1.0 && compare_mojofm(rsf, cl) == 1.0);
    CHECK(compare_a2a(plan, cl) == 100.0);
    partition_free(plan);
    partition_free(rsf);
    partition_free(cl);
}

static void expect_error(const char *name, const char *text, const char *want) {
    char *err;
    partition *p = load(name, text, &err);
    CHECK(p == NULL);
    char *full = xasprintf("%s/%s", tmpdir, want);
    CHECK_STR(err, full);
    free(full);
    free(err);
    partition_free(p);
}

static void test_errors(void) {
    expect_error("e1.rsf", "contain a x.c\ncontain b\n",
                 "e1.rsf:2:10: a contain line needs exactly CLUSTER and FILE");
    expect_error("e2.rsf", "contain a x.c\n  contain b y.c z.c\n",
                 "e2.rsf:2:17: a contain line needs exactly CLUSTER and FILE");
    expect_error("e3.rsf", "just some text\n",
                 "e3.rsf:1:1: no \"contain CLUSTER FILE\" lines: not an RSF partition, "
                 "a cleave plan or a clustering JSON");
    expect_error("e4.json", "{\"schema\": \"cleave.plan/1\", \"services\": [\n"
                            "  {\"name\": \"a\", \"files\": [\"x.c\"]},\n"
                            "  {\"name\": \"b\", \"files\": [\"y.c\", \"x.c\"]}]}",
                 "e4.json:3:34: \"x.c\" is already in service \"a\"");
    expect_error("e5.json", "{\"schema\": \"cleave.plan/1\", \"services\": [\n"
                            "  {\"name\": \"a\", \"files\": [\"x.c\"]},\n"
                            "  {\"name\": \"a\", \"files\": []}]}",
                 "e5.json:3:12: a second service named \"a\"");
    expect_error("e6.json", "{\"schema\": \"cleave.plan/1\", \"services\": [\n"
                            "  {\"files\": [\"x.c\"]}]}",
                 "e6.json:2:3: a service needs a \"name\" string");
    expect_error("e7.json", "{\"schema\": \"cleave.graph/1\"}",
                 "e7.json:1:12: schema is \"cleave.graph/1\", not \"cleave.plan/1\": not a cleave plan");
    expect_error("e8.json", "{\"structure\": [{\"name\": \"g\", \"nested\": [\n"
                            "  {\"@type\": \"group\", \"name\": \"sub\"}]}]}",
                 "e8.json:2:13: only \"item\" entries are supported in \"nested\" (no nested groups)");
    expect_error("e9.json", "{\"structure\": [{\"name\": \"g\", \"nested\": [1,]}]}",
                 "e9.json:1:43: malformed JSON: expected a value");
    expect_error("e10.json", "{\"services\": []}",
                 "e10.json:1:1: neither a cleave plan (\"schema\": \"cleave.plan/1\") nor a "
                 "clustering JSON (\"structure\")");
    char *err = NULL;
    partition *p = NULL;
    CHECK(partition_load("/nonexistent/x.rsf", &p, &err) != 0 && p == NULL);
    CHECK(err && strstr(err, "/nonexistent/x.rsf: ") == err);
    free(err);
    CHECK(partition_load(tmpdir, &p, &err) != 0 && p == NULL);
    char *want = xasprintf("%s: Is a directory", tmpdir);
    CHECK_STR(err, want);
    free(want);
    free(err);
}

/* Cases worked out by hand from the definitions (docs/compare.md). */
static void test_known(void) {
    struct {
        const char *a, *b;
        double ab, ba, a2a;
    } cases[] = {
        /* identical up to cluster names */
        {"1:x 2:x 3:y", "1:p 2:p 3:q", 1.0, 1.0, 100.0},
        /* A = {1,2}{3,4}, B = {1,3}{2,4}: every tag is a tie; the matching
         * gives g = 2, moves = 2, mno = 2; g_max(B) = 2, so 1 - 2/2 = 0.
         * a2a: W = 2, mto = 0 + 2, aco sum = 2 + 8 + 2 + 8 = 20. */
        {"1:a 2:a 3:b 4:b", "1:x 3:x 2:y 4:y", 0.0, 0.0, 90.0},
        /* A one cluster, B singletons: A->B: moves 2, l = 1, g = 1, mno 2;
         * g_max(B) = 1 (sizes 1,1,1), max 2: 0.  B->A: moves 0, l = 3,
         * g = 1 (all tie to one), mno 2; g_max(A) = 1, max 2: 0.
         * a2a: W = 1, mto = 2 + 2 = 4, aco = 1 + 6 + 3 + 6 = 16: 75. */
        {"1:a 2:a 3:a", "1:x 2:y 3:z", 0.0, 0.0, 75.0},
        /* entities only one side has do not count: 9 is ignored */
        {"1:a 2:a 3:b 9:b", "1:x 2:x 3:y", 1.0, 1.0, 100.0},
        /* B keeps nothing to move: max mno is 0 -> 1 by definition */
        {"1:a", "1:x", 1.0, 1.0, 100.0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        partition *a = parse(cases[i].a), *b = parse(cases[i].b);
        compare_result r;
        compare_partitions(a, b, &r);
        if (!near(r.mojofm_ab, cases[i].ab) || !near(r.mojofm_ba, cases[i].ba) ||
            !near(r.a2a, cases[i].a2a))
            fprintf(stderr, "case %zu: %.12g %.12g %.12g\n", i, r.mojofm_ab, r.mojofm_ba, r.a2a);
        CHECK(near(r.mojofm_ab, cases[i].ab));
        CHECK(near(r.mojofm_ba, cases[i].ba));
        CHECK(near(r.a2a, cases[i].a2a));
        CHECK(near(compare_mojofm(a, b), cases[i].ab));
        CHECK(near(compare_a2a(b, a), cases[i].a2a));
        partition_free(a);
        partition_free(b);
    }
    partition *a = parse("1:a"), *b = parse("2:b");
    compare_result r;
    compare_partitions(a, b, &r);
    CHECK_INT(r.common, 0);
    CHECK(isnan(r.mojofm_ab) && isnan(r.mojofm_ba) && isnan(r.a2a));
    partition_free(a);
    partition_free(b);
}

/* ---- random partitions ------------------------------------------------------- */

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static unsigned rnd(unsigned n) {
    return (unsigned)(test_random(&rng) % n);
}

/* A random partition of some of the entities e0..e(n-1) into k clusters,
 * as RSF (with a few entities listed twice: the later line wins) or as
 * clustering JSON. */
static char *randfile(int idx, char side, unsigned n, unsigned k, int json) {
    strbuf t = {0};
    char *name = xasprintf("r%d%c.%s", idx, side, json ? "json" : "rsf");
    if (json) strbuf_add(&t, "{\"structure\": [");
    /* JSON groups hold their items together: assign first, then list */
    unsigned *cl = xmalloc(n * sizeof *cl);
    for (unsigned e = 0; e < n; e++) cl[e] = rnd(10) < 8 ? rnd(k) : k; /* k: left out */
    for (unsigned c = 0; json && c < k; c++) {
        strbuf_printf(&t, "%s{\"name\": \"g%u\", \"nested\": [", c ? ", " : "", c);
        int first = 1;
        for (unsigned e = 0; e < n; e++)
            if (cl[e] == c) {
                strbuf_printf(&t, "%s{\"name\": \"e%u\"}", first ? "" : ", ", e);
                first = 0;
            }
        strbuf_add(&t, "]}");
    }
    for (unsigned e = 0; !json && e < n; e++) {
        if (cl[e] == k) continue;
        if (rnd(20) == 0) strbuf_printf(&t, "contain g%u e%u\n", rnd(k), e);
        strbuf_printf(&t, "contain g%u e%u\n", cl[e], e);
    }
    if (json) strbuf_add(&t, "]}\n");
    if (!t.v) strbuf_add(&t, "contain g0 e0\n");
    char *path = writefile(name, t.v);
    free(name);
    free(cl);
    free(t.v);
    return path;
}

/*
 * MoJoFM of many random pairs, both ways, against mojofm.py.  Small
 * entity counts with few clusters give many ties in the tagging, where the
 * bipartite matching matters.
 */
static void test_reference_tool(void) {
    const char *tool = SHARED "/tools";
    if (access(SHARED "/tools/mojofm.py", R_OK) != 0) {
        printf("SKIP: %s/mojofm.py not found: MoJoFM not checked against the reference tool\n", tool);
        return;
    }
    if (system("python3 -c pass >/dev/null 2>&1") != 0) {
        printf("SKIP: python3 not found: MoJoFM not checked against mojofm.py\n");
        return;
    }
    enum { PAIRS = 240 };
    char *files[PAIRS][2];
    strbuf list = {0};
    for (int i = 0; i < PAIRS; i++) {
        unsigned n = i < 200 ? 2 + rnd(30) : 200 + rnd(800);
        unsigned ka = 1 + rnd(i < 100 ? 4 : i < 200 ? 12 : 60);
        unsigned kb = 1 + rnd(i < 100 ? 4 : i < 200 ? 12 : 60);
        files[i][0] = randfile(i, 'a', n, ka, i % 3 == 0);
        files[i][1] = randfile(i, 'b', n, kb, i % 5 == 0);
        strbuf_printf(&list, "%s %s\n%s %s\n", files[i][0], files[i][1], files[i][1], files[i][0]);
    }
    char *listpath = writefile("pairs.txt", list.v);
    char *script = writefile("ref.py", "import sys\n"
                                       "sys.path.insert(0, sys.argv[1])\n"
                                       "import mojofm\n"
                                       "for line in open(sys.argv[2]):\n"
                                       "    a, b = line.split()\n"
                                       "    print(repr(mojofm.mojofm(mojofm.load(a), mojofm.load(b))))\n");
    char *cmd = xasprintf("python3 -B '%s' '%s' '%s'", script, tool, listpath);
    FILE *py = popen(cmd, "r");
    REQUIRE(py != NULL);
    int compared = 0, differ = 0;
    for (int i = 0; i < PAIRS; i++) {
        partition *a = NULL, *b = NULL;
        char *err = NULL, line[128];
        CHECK(partition_load(files[i][0], &a, &err) == 0);
        CHECK(partition_load(files[i][1], &b, &err) == 0);
        for (int dir = 0; dir < 2 && a && b; dir++) {
            if (!fgets(line, sizeof line, py)) break;
            double want = strcmp(line, "nan\n") == 0 ? NAN : strtod(line, NULL);
            double got = dir == 0 ? compare_mojofm(a, b) : compare_mojofm(b, a);
            if (!near(got, want)) {
                fprintf(stderr, "%s vs %s: cleave %.17g, mojofm.py %.17g\n", files[i][dir],
                        files[i][1 - dir], got, want);
                differ++;
            }
            compared++;
        }
        partition_free(a);
        partition_free(b);
        free(err);
    }
    CHECK(pclose(py) == 0);
    CHECK_INT(compared, 2 * PAIRS);
    CHECK_INT(differ, 0);
    printf("mojofm.py agrees on %d of %d random comparisons\n", compared - differ, compared);
    for (int i = 0; i < PAIRS; i++) {
        unlink(files[i][0]);
        unlink(files[i][1]);
        free(files[i][0]);
        free(files[i][1]);
    }
    unlink(listpath);
    unlink(script);
    free(listpath);
    free(script);
    free(cmd);
    free(list.v);
}

/* ---- a2a against a brute-force matching ---------------------------------------- */

/* Largest total weight of a one-to-one pairing of rows with columns, by
 * trying every assignment of rows to distinct columns (or to none). */
static size_t brute(const size_t w[6][6], size_t ra, size_t rb, size_t row, unsigned usedmask) {
    if (row == ra || row >= 6) return 0; /* ra, rb <= 6; the bounds are for gcc's -Warray-bounds */
    size_t best = brute(w, ra, rb, row + 1, usedmask); /* row unmatched */
    for (size_t c = 0; c < rb && c < 6; c++) {
        if (usedmask & (1u << c)) continue;
        size_t v = w[row][c] + brute(w, ra, rb, row + 1, usedmask | (1u << c));
        if (v > best) best = v;
    }
    return best;
}

static void test_a2a_random(void) {
    int differ = 0;
    for (int round = 0; round < 400; round++) {
        unsigned n = 1 + rnd(40), ka = 1 + rnd(6), kb = 1 + rnd(6);
        partition *a = partition_new(), *b = partition_new();
        size_t w[6][6] = {{0}};
        int ida[6], idb[6]; /* dense numbers of the clusters used */
        int na = 0, nb = 0;
        memset(ida, -1, sizeof ida);
        memset(idb, -1, sizeof idb);
        for (unsigned e = 0; e < n; e++) {
            char ent[16], ca[8], cb[8];
            unsigned x = rnd(ka), y = rnd(kb);
            snprintf(ent, sizeof ent, "e%u", e);
            snprintf(ca, sizeof ca, "a%u", x);
            snprintf(cb, sizeof cb, "b%u", y);
            partition_add(a, ent, ca);
            partition_add(b, ent, cb);
            if (ida[x] < 0) ida[x] = na++;
            if (idb[y] < 0) idb[y] = nb++;
            w[ida[x]][idb[y]]++;
        }
        size_t best = brute(w, (size_t)na, (size_t)nb, 0, 0);
        size_t dc = na > nb ? (size_t)(na - nb) : (size_t)(nb - na);
        double want = (1 - ((double)dc + (double)(n - best)) /
                               ((double)na + 2.0 * n + (double)nb + 2.0 * n)) * 100;
        double got = compare_a2a(a, b);
        if (!near(got, want)) {
            fprintf(stderr, "a2a round %d: got %.17g, brute force %.17g\n", round, got, want);
            differ++;
        }
        CHECK(near(compare_a2a(b, a), got));
        partition_free(a);
        partition_free(b);
    }
    CHECK_INT(differ, 0);
}

/* A larger case must stay fast: 20000 files, 400 singleton-heavy clusters. */
static void test_large(void) {
    partition *a = partition_new(), *b = partition_new();
    for (unsigned e = 0; e < 20000; e++) {
        char ent[16], ca[16], cb[16];
        snprintf(ent, sizeof ent, "f%u", e);
        snprintf(ca, sizeof ca, "a%u", e % 400);
        if (e < 10000) snprintf(cb, sizeof cb, "b%u", e);
        else snprintf(cb, sizeof cb, "c%u", e % 7);
        partition_add(a, ent, ca);
        partition_add(b, ent, cb);
    }
    compare_result r;
    compare_partitions(a, b, &r);
    CHECK_INT(r.common, 20000);
    CHECK_INT(r.common_clusters_b, 10007);
    CHECK(r.mojofm_ab >= 0 && r.mojofm_ab <= 1 && r.mojofm_ba >= 0 && r.mojofm_ba <= 1);
    CHECK(r.a2a > 0 && r.a2a < 100);
    partition_free(a);
    partition_free(b);
}

/* The published Bash decomposition, as RSF and as JSON, against itself. */
static void test_bash_reference(void) {
    const char *rsf = SHARED "/benchmarks/bash-4.2-reference.rsf";
    const char *json = SHARED "/benchmarks/bash-4.2-reference.json";
    if (access(rsf, R_OK) != 0 || access(json, R_OK) != 0) {
        printf("SKIP: %s not found: Bash reference not compared\n", rsf);
        return;
    }
    partition *a = NULL, *b = NULL;
    char *err = NULL;
    REQUIRE(partition_load(rsf, &a, &err) == 0);
    REQUIRE(partition_load(json, &b, &err) == 0);
    compare_result r;
    compare_partitions(a, b, &r);
    CHECK_INT(r.clusters_a, 14);
    CHECK_INT(r.clusters_b, 14);
    CHECK_INT(r.common, r.entities_a);
    CHECK_INT(r.entities_a, r.entities_b);
    CHECK(r.mojofm_ab == 1.0 && r.mojofm_ba == 1.0);
    CHECK(r.a2a == 100.0);
    partition_free(a);
    partition_free(b);
    free(err);
}

static const test_case cases[] = {
    {"formats", test_formats},
    {"errors", test_errors},
    {"known", test_known},
    {"reference_tool", test_reference_tool},
    {"a2a_random", test_a2a_random},
    {"large", test_large},
    {"bash_reference", test_bash_reference},
};

int main(int argc, char **argv) {
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    int rc = test_main(argc, argv, cases, TEST_COUNT(cases));
    rmdir(tmpdir);
    return rc;
}
