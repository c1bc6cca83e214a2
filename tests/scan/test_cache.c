/*
 * test_cache.c - the per-TU facts cache through scan_run, on a small
 * project written to a temporary directory: a warm scan parses nothing it
 * may trust; a unit is parsed again exactly when its source, a header it
 * includes or its flags change (contents, not times); units with errors
 * are never cached; corrupt, truncated or empty entries and leftover
 * temporaries are misses; a file dated after the scan started is not
 * trusted; two scans sharing one cache at once both stay right; an
 * unwritable cache only warns; the graph is the same bytes whatever came
 * from the cache; and a kept whole graph is used only while every unit's
 * entry is unchanged.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "scan/cache.h"
#include "frontend/facts_io.h"
#include "graph/graph_json.h"
#include "scan/scan.h"
#include "test.h"

static char dir[] = "/tmp/cleave-test-cache-XXXXXX";
static char cdir[] = "/tmp/cleave-test-cachedir-XXXXXX";

static void put(const char *name, const char *text) {
    char *p = path_join(dir, name);
    CHECK(file_write_atomic(p, text, strlen(text)) == 0);
    free(p);
}

static void compdb(const char *libflag) {
    char *db = xasprintf("[{\"directory\": \"%s\", \"file\": \"main.c\",\n"
                         "  \"arguments\": [\"cc\", \"-c\", \"main.c\"]},\n"
                         " {\"directory\": \"%s\", \"file\": \"lib.c\",\n"
                         "  \"arguments\": [\"cc\", \"%s\", \"-c\", \"lib.c\"]},\n"
                         " {\"directory\": \"%s\", \"file\": \"bad.c\",\n"
                         "  \"arguments\": [\"cc\", \"-c\", \"bad.c\"]}]\n",
                         dir, dir, libflag, dir);
    put("compile_commands.json", db);
    free(db);
}

typedef struct run {
    size_t parsed, cached;
    char *json;
} run;

/* One scan of the project with the cache in `cache` (NULL: none). */
static run scan(const char *cache, int jobs) {
    run r = {0};
    project *p = NULL;
    char *err = NULL;
    if (project_open(dir, NULL, &p, &err) != 0) {
        fprintf(stderr, "%s\n", err);
        free(err);
        CHECK(0);
        return r;
    }
    scan_options opt = {0};
    opt.quiet = 1;
    opt.jobs = jobs;
    opt.cache_dir = cache;
    scan_units u;
    scan_run(p, &opt, &u);
    r.parsed = u.parsed;
    r.cached = u.cached;
    scan_source src = {0};
    graph *g = scan_graph(u.tus, u.n, "proj", &src);
    r.json = graph_json_render(g);
    graph_free(g);
    scan_units_free(&u);
    project_free(p);
    return r;
}

/* Scans and checks the counts and that the graph is `want` (if given). */
static void expect(const char *want, size_t parsed, size_t cached, int line) {
    run r = scan(cdir, 2);
    if (r.parsed != parsed || r.cached != cached)
        fprintf(stderr, "test_cache.c:%d: parsed %zu cached %zu, expected %zu %zu\n", line,
                r.parsed, r.cached, parsed, cached);
    CHECK(r.parsed == parsed && r.cached == cached);
    if (want) CHECK_STR(r.json, want);
    free(r.json);
}
#define EXPECT(want, parsed, cached) expect(want, parsed, cached, __LINE__)

/* Applies fn to every entry of the cache directory. */
static void entries(void (*fn)(const char *path)) {
    DIR *d = opendir(cdir);
    REQUIRE(d != NULL);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!str_endswith(e->d_name, ".facts") || e->d_name[0] == '.') continue;
        char *p = path_join(cdir, e->d_name);
        fn(p);
        free(p);
    }
    closedir(d);
}

static void flipmiddle(const char *path) {
    size_t n;
    char *data = file_read_all(path, &n);
    data[n / 2] ^= 0x10;
    CHECK(file_write_atomic(path, data, n) == 0);
    free(data);
}

static void halve(const char *path) {
    CHECK(truncate(path, 40) == 0);
}

/* The entry as format version 4 laid it out: the same header without the
 * tag (32 bytes), then the payload. */
static void older(const char *path) {
    size_t n;
    char *data = file_read_all(path, &n);
    CHECK(data != NULL);
    if (!data || n < FACTS_IO_HEADER_SIZE) {
        free(data);
        return;
    }
    data[8] = 4;
    memmove(data + 32, data + FACTS_IO_HEADER_SIZE, n - FACTS_IO_HEADER_SIZE);
    CHECK(file_write_atomic(path, data, n - (FACTS_IO_HEADER_SIZE - 32)) == 0);
    free(data);
}

static void empty(const char *path) {
    CHECK(truncate(path, 0) == 0);
}

static void settime(const char *name, time_t t) {
    char *p = path_join(dir, name);
    struct timespec ts[2] = {{t, 0}, {t, 0}};
    CHECK(utimensat(AT_FDCWD, p, ts, 0) == 0);
    free(p);
}

/* One scan in a child process, as a second cleave sharing the cache would
 * be (threads of one process forking workers can deadlock in the child on
 * a lock another thread held); its graph is written to out.  Returns the
 * child's pid. */
static pid_t concurrent(const char *out) {
    pid_t pid = fork();
    if (pid == 0) {
        run r = scan(cdir, 2);
        int ok = r.json && file_write_atomic(out, r.json, strlen(r.json)) == 0;
        _exit(ok ? 0 : 1);
    }
    return pid;
}

static void drop(const char *path) {
    CHECK(unlink(path) == 0);
}

/* The project every case starts from (each case may run alone). */
static void project_files(void) {
    put("util.h", "static inline int twice(int x) { return 2 * x; }\n");
    put("main.c", "#include \"util.h\"\nint lib(int);\nint main(void) { return twice(lib(1)); }\n");
    put("lib.c", "#include <stddef.h>\nint lib(int x) { return x + (int)sizeof(size_t); }\n");
    put("bad.c", "#include \"missing.h\"\nint bad(void) { return 0; }\n");
    compdb("-DLIB=1");
}

static void test_cache(void) {
    project_files();
    entries(drop); /* an empty cache, whatever ran before */

    run cold = scan(NULL, 1);
    CHECK_INT(cold.parsed, 3);
    CHECK_INT(cold.cached, 0);
    const char *want = cold.json;

    EXPECT(want, 3, 0); /* fills the cache; bad.c has an error: never stored */
    EXPECT(want, 1, 2);
    run serial = scan(cdir, 1);
    CHECK_STR(serial.json, want);
    CHECK_INT(serial.parsed, 1);
    free(serial.json);

    /* same contents, new time: still valid */
    put("util.h", "static inline int twice(int x) { return 2 * x; }\n");
    EXPECT(want, 1, 2);
    /* a header changes: only its includer is parsed again */
    put("util.h", "static inline int twice(int x) { return x + x; }\n");
    EXPECT(NULL, 2, 1);
    EXPECT(NULL, 1, 2);
    /* a source changes */
    put("lib.c", "#include <stddef.h>\nint lib(int x) { return x; }\n");
    EXPECT(NULL, 2, 1);
    /* its flags change */
    compdb("-DLIB=2");
    EXPECT(NULL, 2, 1);
    run now = scan(NULL, 1);
    EXPECT(now.json, 1, 2);

    /* damaged entries are misses, and are replaced */
    entries(flipmiddle);
    EXPECT(now.json, 3, 0);
    EXPECT(now.json, 1, 2);
    entries(halve);
    EXPECT(now.json, 3, 0);
    entries(older); /* a cache of an older cleave */
    EXPECT(now.json, 3, 0);
    EXPECT(now.json, 1, 2);
    entries(empty);
    char *tmp = path_join(cdir, ".0123456789abcdef.facts.Ab12Cd");
    CHECK(file_write_atomic(tmp, "CLVFACTS", 8) == 0); /* a killed run's temporary */
    free(tmp);
    EXPECT(now.json, 3, 0);
    EXPECT(now.json, 1, 2);

    /* a header dated after the scan started is not trusted */
    put("util.h", "static inline int twice(int x) { return x * 2; }\n");
    settime("util.h", time(NULL) + 3600);
    EXPECT(NULL, 2, 1);
    EXPECT(NULL, 2, 1);
    settime("util.h", time(NULL) - 3600);
    EXPECT(NULL, 2, 1);
    free(now.json);
    now = scan(NULL, 1);
    EXPECT(now.json, 1, 2);

    /* two scans at once on a cold cache */
    entries(empty);
    char *o1 = path_join(dir, "scan1.json"), *o2 = path_join(dir, "scan2.json");
    pid_t c1 = concurrent(o1), c2 = concurrent(o2);
    int st1 = -1, st2 = -1;
    REQUIRE(c1 > 0 && c2 > 0);
    CHECK(waitpid(c1, &st1, 0) == c1 && WIFEXITED(st1) && WEXITSTATUS(st1) == 0);
    CHECK(waitpid(c2, &st2, 0) == c2 && WIFEXITED(st2) && WEXITSTATUS(st2) == 0);
    char *j1 = file_read_all(o1, NULL), *j2 = file_read_all(o2, NULL);
    CHECK(j1 && strcmp(j1, now.json) == 0);
    CHECK(j2 && strcmp(j2, now.json) == 0);
    free(j1);
    free(j2);
    drop(o1);
    drop(o2);
    free(o1);
    free(o2);
    EXPECT(now.json, 1, 2);

    /* a cache that cannot be written: a warning, then the same graph */
    char *bad = path_join(dir, "main.c/cache");
    run r = scan(bad, 2);
    CHECK_STR(r.json, now.json);
    CHECK_INT(r.parsed, 3);
    free(r.json);
    free(bad);

    free(now.json);
    free(cold.json);
}

/* cleave scan's JSON with the cache in cdir (or none), root shown as `shown`. */
static char *scanjson(const char *shown, int cached) {
    project *p = NULL;
    char *err = NULL;
    if (project_open(dir, NULL, &p, &err) != 0) {
        free(err);
        CHECK(0);
        return xstrdup("");
    }
    scan_options opt = {0};
    opt.quiet = 1;
    opt.cache_dir = cached ? cdir : NULL;
    size_t parsed;
    char *json = scan_project_json(p, shown, &opt, &parsed);
    CHECK_INT(parsed, p->jobs.n);
    project_free(p);
    return json;
}

static void flipgraph(const char *path) {
    if (str_startswith(path_basename(path), "graph-")) flipmiddle(path);
}

/* Whole graphs: kept when every unit is cached, used only while every
 * entry is the same, never trusted when damaged. */
static void test_graph(void) {
    project_files();
    char *db = xasprintf("[{\"directory\": \"%s\", \"file\": \"main.c\",\n"
                         "  \"arguments\": [\"cc\", \"-c\", \"main.c\"]},\n"
                         " {\"directory\": \"%s\", \"file\": \"lib.c\",\n"
                         "  \"arguments\": [\"cc\", \"-c\", \"lib.c\"]}]\n",
                         dir, dir);
    put("compile_commands.json", db);
    free(db);
    char *want = scanjson("shown", 0);
    for (int i = 0; i < 3; i++) { /* cold, warm (from the kept graph), warm */
        char *got = scanjson("shown", 1);
        CHECK_STR(got, want);
        free(got);
    }
    /* a header changes: the kept graph must not be used */
    put("util.h", "static inline int twice(int x) { return 3 * x; }\n");
    free(want);
    want = scanjson("shown", 0);
    for (int i = 0; i < 2; i++) {
        char *got = scanjson("shown", 1);
        CHECK_STR(got, want);
        free(got);
    }
    /* the same project shown under another root */
    char *other = scanjson("elsewhere", 0), *got = scanjson("elsewhere", 1);
    CHECK_STR(got, other);
    CHECK(strcmp(other, want) != 0);
    free(got);
    free(other);
    /* a damaged graph entry is a miss */
    entries(flipgraph);
    got = scanjson("shown", 1);
    CHECK_STR(got, want);
    free(got);
    free(want);

    /* the graph entries themselves */
    project *p = NULL;
    char *err = NULL;
    REQUIRE(project_open(dir, NULL, &p, &err) == 0);
    cache *c = cache_new(cdir, p, NULL, 0);
    char *sum = NULL;
    CHECK(cache_graph_store(c, "name", "key 1", "{}\n", "cleave: 1 units") == 0);
    char *json = cache_graph_load(c, "name", "key 1", &sum);
    CHECK_STR(json, "{}\n");
    CHECK_STR(sum, "cleave: 1 units");
    free(json);
    free(sum);
    CHECK(cache_graph_load(c, "name", "key 2", &sum) == NULL);
    CHECK(cache_graph_load(c, "other", "key 1", &sum) == NULL);
    cache_free(c);
    project_free(p);
}

static void test_default_dir(void) {
    project_files();
    project *p = NULL;
    char *err = NULL;
    REQUIRE(project_open(dir, NULL, &p, &err) == 0);
    char *d = cache_default_dir(p);
    char *want = path_join(dir, ".cleave-cache");
    CHECK_STR(d, want);
    free(want);
    free(d);
    project_free(p);

    /* without a database: under XDG_CACHE_HOME, never in the tree */
    char *tree = path_join(dir, "tree");
    CHECK(mkdir(tree, 0777) == 0);
    char *src = path_join(tree, "x.c");
    CHECK(file_write_atomic(src, "int x;\n", 7) == 0);
    REQUIRE(project_open(tree, NULL, &p, &err) == 0);
    const char *home = getenv("HOME");
    char *saved = home ? xstrdup(home) : NULL;
    setenv("XDG_CACHE_HOME", "/var/cache/u", 1);
    d = cache_default_dir(p);
    CHECK(d && str_startswith(d, "/var/cache/u/cleave/tree-"));
    free(d);
    unsetenv("XDG_CACHE_HOME");
    setenv("HOME", "/home/u", 1);
    d = cache_default_dir(p);
    CHECK(d && str_startswith(d, "/home/u/.cache/cleave/tree-"));
    free(d);
    unsetenv("HOME");
    CHECK(cache_default_dir(p) == NULL);
    if (saved) setenv("HOME", saved, 1);
    free(saved);
    project_free(p);
    free(src);
    free(tree);
}

static const test_case cases[] = {
    {"cache", test_cache},
    {"graph", test_graph},
    {"default_dir", test_default_dir},
};

int main(int argc, char **argv) {
    if (!mkdtemp(dir) || !mkdtemp(cdir)) {
        perror("mkdtemp");
        return 1;
    }
    int rc = test_main(argc, argv, cases, TEST_COUNT(cases));
    char *cmd = xasprintf("rm -rf '%s' '%s'", dir, cdir);
    if (system(cmd) != 0) {
        fprintf(stderr, "test_cache: cannot remove %s and %s\n", dir, cdir);
        rc = 1;
    }
    free(cmd);
    return rc;
}
