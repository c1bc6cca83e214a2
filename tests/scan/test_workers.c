/*
 * test_workers.c - units parsed in worker processes (scan/workers.c): the
 * records that come back are, byte for byte, the front end's own in this
 * process, whatever the number of workers, each unit reported once; a unit
 * whose parse crashes libclang (50,000 nested unary minuses) fails with
 * the signal while the others parse; a unit that blocks (it includes a
 * FIFO) fails at the time limit; the cache entries the workers write are
 * the scan's.  Projects are written to a temporary directory.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "frontend/facts_io.h"
#include "frontend/frontend.h"
#include "scan/workers.h"
#include "test.h"

static char dir[] = "/tmp/cleave-test-workers-XXXXXX";

static void put(const char *name, const char *text) {
    char *p = path_join(dir, name);
    REQUIRE(file_write_atomic(p, text, strlen(text)) == 0);
    free(p);
}

/* A project of the given .c files (already written), NULL-terminated. */
static project *open_units(const char *const *names) {
    strbuf db = {0};
    strbuf_add(&db, "[");
    for (const char *const *n = names; *n; n++)
        strbuf_printf(&db, "%s{\"directory\": \"%s\", \"file\": \"%s\", \"arguments\": [\"cc\", "
                           "\"-c\", \"%s\"]}",
                      n == names ? "" : ",", dir, *n, *n);
    strbuf_add(&db, "]");
    put("compile_commands.json", db.v);
    free(db.v);
    project *p = NULL;
    char *err = NULL;
    if (project_open(dir, NULL, &p, &err) != 0) fprintf(stderr, "%s\n", err);
    free(err);
    REQUIRE(p != NULL);
    return p;
}

typedef struct got {
    facts **f;
    int *calls, *kept;
    uint64_t *digest;
} got;

static void done(void *ctx, size_t k, facts *f, int kept, uint64_t digest) {
    got *g = ctx;
    g->calls[k]++;
    facts_free(g->f[k]);
    g->f[k] = f;
    g->kept[k] = kept;
    g->digest[k] = digest;
}

static got parse(const project *p, cache *c, int procs, int timeout) {
    size_t n = p->jobs.n;
    got g = {xcalloc(n, sizeof *g.f), xcalloc(n, sizeof *g.calls), xcalloc(n, sizeof *g.kept),
             xcalloc(n, sizeof *g.digest)};
    size_t *jobs = xmallocarray(n, sizeof *jobs);
    for (size_t i = 0; i < n; i++) jobs[i] = n - 1 - i; /* any order */
    workers_parse(p, c, jobs, n, procs, timeout, done, &g);
    /* entry k is unit jobs[k]: put them back in job order */
    got j = {xcalloc(n, sizeof *g.f), xcalloc(n, sizeof *g.calls), xcalloc(n, sizeof *g.kept),
             xcalloc(n, sizeof *g.digest)};
    for (size_t k = 0; k < n; k++) {
        j.f[jobs[k]] = g.f[k];
        j.calls[jobs[k]] = g.calls[k];
        j.kept[jobs[k]] = g.kept[k];
        j.digest[jobs[k]] = g.digest[k];
    }
    free(g.f);
    free(g.calls);
    free(g.kept);
    free(g.digest);
    free(jobs);
    return j;
}

static void gotfree(got *g, size_t n) {
    for (size_t i = 0; i < n; i++) facts_free(g->f[i]);
    free(g->f);
    free(g->calls);
    free(g->kept);
    free(g->digest);
}

static facts_io_out bytes(const facts *f) {
    facts_io_out o = {0};
    facts_io_begin(&o, FACTS_IO_CACHE);
    facts_io_put_facts(&o, f);
    facts_io_finish(&o, NULL);
    return o;
}

static void test_same_records(void) {
    put("a.c", "int g;\nint b(int);\nint a(int x) { g = x; return b(x) + 1; }\n");
    put("b.c", "extern int g;\nint b(int x) { return x + g; }\nint main(void) { return b(1); }\n");
    put("c.c", "#include <stdio.h>\nvoid c(void) { puts(\"c\"); }\n");
    const char *names[] = {"a.c", "b.c", "c.c", NULL};
    project *p = open_units(names);
    frontend *fe = frontend_new();
    for (int procs = 1; procs <= 4; procs++) {
        got g = parse(p, NULL, procs, 0);
        for (size_t i = 0; i < p->jobs.n; i++) {
            CHECK_INT(g.calls[i], 1);
            REQUIRE(g.f[i] != NULL);
            facts *here = frontend_extract(fe, &p->jobs.v[i], p->root, NULL);
            facts_io_out x = bytes(here), y = bytes(g.f[i]);
            CHECK(x.n == y.n && memcmp(x.v, y.v, x.n) == 0);
            CHECK_INT(g.f[i]->status, UNIT_OK);
            free(x.v);
            free(y.v);
            facts_free(here);
        }
        gotfree(&g, p->jobs.n);
    }
    frontend_free(fe);
    project_free(p);
}

/* The index of the unit whose file ends with name. */
static size_t unit(const project *p, const char *name) {
    for (size_t i = 0; i < p->jobs.n; i++)
        if (str_endswith(p->jobs.v[i].file, name)) return i;
    REQUIRE(0);
    return 0;
}

static void test_crash(void) {
    strbuf b = {0};
    strbuf_add(&b, "int f(void) { return ");
    for (int i = 0; i < 50000; i++) strbuf_add(&b, "-");
    strbuf_add(&b, "1; }\n");
    put("crash.c", b.v);
    free(b.v);
    put("fine.c", "int fine(void) { return 0; }\n");
    const char *names[] = {"crash.c", "fine.c", NULL};
    project *p = open_units(names);
    for (int procs = 1; procs <= 2; procs++) {
        got g = parse(p, NULL, procs, 0);
        const facts *bad = g.f[unit(p, "crash.c")], *ok = g.f[unit(p, "fine.c")];
        CHECK_INT(bad->status, UNIT_FAILED);
        CHECK_INT(bad->errors.n, 1);
        CHECK_STR(bad->errors.v[0], "crash.c: the parse crashed (signal 11, SIGSEGV)");
        CHECK_INT(ok->status, UNIT_OK);
        CHECK_INT(ok->funcs.n, 1);
        gotfree(&g, p->jobs.n);
    }
    project_free(p);
}

static void test_timeout(void) {
    char *fifo = path_join(dir, "fifo.h");
    REQUIRE(mkfifo(fifo, 0600) == 0);
    free(fifo);
    put("blocks.c", "#include \"fifo.h\"\nint x;\n");
    put("quick.c", "int quick(void) { return 0; }\n");
    const char *names[] = {"blocks.c", "quick.c", NULL};
    project *p = open_units(names);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    got g = parse(p, NULL, 2, 1);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    CHECK_STR(g.f[unit(p, "blocks.c")]->errors.v[0],
              "blocks.c: timed out after 1 s (--unit-timeout)");
    CHECK_INT(g.f[unit(p, "blocks.c")]->status, UNIT_FAILED);
    CHECK_INT(g.f[unit(p, "quick.c")]->status, UNIT_OK);
    CHECK(t1.tv_sec - t0.tv_sec < 30);
    gotfree(&g, p->jobs.n);
    project_free(p);
}

/* The workers' cache entries are what cache_load then reads. */
static void test_cache_entries(void) {
    put("a.c", "int a(void) { return 1; }\n");
    put("b.c", "int a(void);\nint b(void) { return a(); }\n");
    const char *names[] = {"a.c", "b.c", NULL};
    project *p = open_units(names);
    char *cdir = path_join(dir, "cache");
    cache *c = cache_new(cdir, p, "key", 0);
    got g = parse(p, c, 2, 0);
    for (size_t i = 0; i < p->jobs.n; i++) {
        CHECK_INT(g.kept[i], 1);
        uint64_t digest = 0;
        facts *f = cache_load(c, &p->jobs.v[i], &digest);
        REQUIRE(f != NULL);
        CHECK(digest == g.digest[i]);
        facts_io_out x = bytes(f), y = bytes(g.f[i]);
        CHECK(x.n == y.n && memcmp(x.v, y.v, x.n) == 0);
        free(x.v);
        free(y.v);
        facts_free(f);
    }
    CHECK_INT(cache_refused(c), 0);
    gotfree(&g, p->jobs.n);
    cache_free(c);
    free(cdir);
    project_free(p);
}

static const test_case cases[] = {
    {"same_records", test_same_records},
    {"crash", test_crash},
    {"timeout", test_timeout},
    {"cache_entries", test_cache_entries},
};

int main(int argc, char **argv) {
    if (!mkdtemp(dir)) return 1;
    int rc = test_main(argc, argv, cases, TEST_COUNT(cases));
    char *cmd = xasprintf("rm -rf '%s'", dir);
    if (system(cmd) != 0) rc = 1;
    free(cmd);
    return rc;
}
