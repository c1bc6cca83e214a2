/*
 * test_plan.c - what plan_finish derives from an assignment: the names of
 * the components (docs/clustering.md, "Names"), each case a hand-made
 * graph of files whose functions the case assigns to components.
 */
#include <stdlib.h>
#include <string.h>

#include "plan/plan.h"
#include "scan/merge.h"
#include "test.h"
#include "handplan.h"

#define MAXFILES 8

/* Files, each holding one function of `loc` lines named after the file
 * (main() when loc is negative: a program's file of -loc lines). */
typedef struct code {
    facts *t[MAXFILES];
    size_t n;
} code;

static void file(code *k, const char *path, int loc) {
    facts *f = facts_new(path);
    char *name = xstrdup(loc < 0 ? "main" : path);
    for (char *c = name; *c; c++)
        if (*c == '/' || *c == '.' || *c == '-') *c = '_';
    hand_func(f, name, 1, loc < 0 ? -loc : loc);
    free(name);
    k->t[k->n++] = f;
}

/* The component's name holding the function of file path. */
static const char *name_of(const plan *p, const char *path) {
    for (size_t f = 0; f < p->g->funcs.n; f++)
        if (p->g->funcs.v[f].file && strcmp(p->g->funcs.v[f].file, path) == 0)
            return p->assign[f] == PLAN_NONE ? "(none)" : p->services.v[p->assign[f]].name;
    return "(no such file)";
}

/*
 * The plan of n files, one function each (files[i] with locs[i] lines) in
 * component group[i] of kind kinds[group] ('L' a library, 'P' a program,
 * else a service), finished: plan_finish names the components.  The
 * caller frees the plan and *g.
 */
static plan *make(const char *const *files, const int *locs, const int *group, size_t n,
                  const char *kinds, graph **g) {
    code k = {{0}, 0};
    for (size_t i = 0; i < n; i++) file(&k, files[i], locs[i]);
    *g = merge_facts(k.t, k.n, ".");
    for (size_t i = 0; i < k.n; i++) facts_free(k.t[i]);
    plan *p = plan_new(*g, NULL);
    for (size_t s = 0; kinds[s]; s++)
        plan_add_service(p, kinds[s] == 'L'   ? PLAN_LIBRARY
                            : kinds[s] == 'P' ? PLAN_PROGRAM
                                              : PLAN_SERVICE);
    for (size_t f = 0; f < (*g)->funcs.n; f++) {
        const gfunc *fn = &(*g)->funcs.v[f];
        for (size_t i = 0; i < n; i++)
            if (fn->defined && strcmp(fn->file, files[i]) == 0) p->assign[f] = (size_t)group[i];
    }
    plan_finish(p);
    return p;
}

/* One file of a case: its path, lines, component, and the name that
 * component must get. */
typedef struct want {
    const char *file;
    int loc, group;
    const char *name;
} want;

/* The plan of the n files of w with components of kinds, each file's
 * component named as w says. */
static void expect(const want *w, size_t n, const char *kinds) {
    const char *files[MAXFILES];
    int locs[MAXFILES], group[MAXFILES];
    REQUIRE(n <= MAXFILES);
    for (size_t i = 0; i < n; i++) {
        files[i] = w[i].file;
        locs[i] = w[i].loc;
        group[i] = w[i].group;
    }
    graph *g;
    plan *p = make(files, locs, group, n, kinds, &g);
    for (size_t i = 0; i < n; i++) CHECK_STR(name_of(p, w[i].file), w[i].name);
    plan_free(p);
    graph_free(g);
}

#define EXPECT(w, kinds) expect(w, sizeof w / sizeof w[0], kinds)

/* A folder holding half a component's code names it; generic folders
 * (lib, modules, main ...) take their parent; "src" and the root say
 * nothing: the files do. */
static void folders(void) {
    static const want w[] = {
        {"src/billing/invoice.c", 30, 0, "billing"},
        {"src/billing/tax.c", 10, 0, "billing"},
        {"src/backend/lib/dshash.c", 20, 1, "backend-lib"},
        {"src/backend/lib/bloom.c", 20, 1, "backend-lib"},
        {"src/http/modules/gzip.c", 10, 2, "http-modules"},
        {"src/main.c", 5, 3, "main"},
        {"modules/dav/main/mod_dav.c", 20, 4, "dav-main"},
    };
    EXPECT(w, "SLSPS");
}

/* Two folders of one name, or of names a plural apart: the larger keeps
 * it, the other takes the folder above its own. */
static void other_folders(void) {
    static const want w[] = {
        {"src/include/utils/a.h", 50, 0, "utils"},
        {"src/include/utils/b.h", 50, 0, "utils"},
        {"src/optimizer/util/c.c", 40, 1, "optimizer-util"},
        {"src/port/x.c", 30, 2, "port"},
        {"src/include/port/y.h", 10, 3, "include-port"},
    };
    EXPECT(w, "SSSS");
}

/* Two components of one folder: a library beside the service is its
 * "-lib"; two services are told apart by the file-name prefix after the
 * folder's own (nginx's "ngx_http_"), the one holding the folder's
 * namesake file keeping the folder's name (upstream is larger, but http
 * holds ngx_http.c); a program is named after its file; never after one
 * function. */
static void one_folder(void) {
    static const want w[] = {
        {"src/core/ngx_cycle.c", 100, 0, "core"},
        {"src/core/ngx_string.c", 40, 1, "core-lib"},
        {"src/core/ngx_array.c", 30, 1, "core-lib"},
        {"src/http/ngx_http.c", 10, 2, "http"},
        {"src/http/ngx_http_request.c", 20, 2, "http"},
        {"src/http/ngx_http_upstream.c", 30, 3, "http-upstream"},
        {"src/http/ngx_http_upstream_rr.c", 25, 3, "http-upstream"},
        {"src/core/nginx.c", 5, 4, "nginx"},
    };
    EXPECT(w, "SLSSP");
}

/* No folder holds half: the two holding most. */
static void spread(void) {
    static const want w[] = {
        {"src/core/a.c", 30, 0, "http+core"},
        {"src/http/b.c", 40, 0, "http+core"},
        {"src/stream/c.c", 20, 0, "http+core"},
        {"src/mail/d.c", 10, 0, "http+core"},
    };
    EXPECT(w, "S");
}

/* A generic folder with nothing above it (a top-level lib/ of portability
 * helpers) names its component by a file-name prefix holding half of its
 * code; when none does, by the folder, not by its heaviest file. */
static void top_generic(void) {
    static const want w[] = {
        {"lib/fcntl.c", 30, 0, "lib"},
        {"lib/xmalloc.c", 20, 0, "lib"},
        {"lib/dirname.c", 20, 0, "lib"},
        {"include/stat-time.h", 40, 1, "stat-time"},
        {"include/shmbchar.h", 20, 1, "stat-time"},
        {"src/main.c", 5, 2, "main"},
    };
    EXPECT(w, "SLP");
}

/* A top-level lib/ split into several components (curl's library):
 * the folder's name names none of them, each is named by its files --
 * not "lib", "lib-2", "lib-3". */
static void split_generic(void) {
    static const want w[] = {
        {"lib/http.c", 40, 0, "http"},
        {"lib/cookie.c", 30, 0, "http"},
        {"lib/mime.c", 30, 0, "http"},
        {"lib/ftp.c", 30, 1, "ftp"},
        {"lib/escape.c", 20, 1, "ftp"},
        {"lib/file.c", 20, 1, "ftp"},
        {"src/tool_main.c", 5, 2, "tool_main"},
    };
    EXPECT(w, "SSP");
}

/* Two components of one folder whose files share one prefix (tmux's
 * cmd-*.c commands, split by what they act on): the larger keeps the
 * prefix, the other takes its heaviest file -- not "cmd-2". */
static void same_prefix(void) {
    static const want w[] = {
        {"cmd-new-session.c", 40, 0, "cmd"},
        {"cmd-kill-session.c", 30, 0, "cmd"},
        {"cmd-attach-session.c", 30, 0, "cmd"},
        {"cmd-list-keys.c", 30, 1, "cmd-list-keys"},
        {"cmd-bind-key.c", 20, 1, "cmd-list-keys"},
        {"cmd-save-buffer.c", 20, 1, "cmd-list-keys"},
        {"tmux.c", 5, 2, "tmux"},
    };
    EXPECT(w, "SSP");
}

/* Test drivers in a folder of tests (lighttpd's src/t): the larger
 * program keeps the folder's name, the other is named after its main
 * file's whole name, not the part the folder's files do not share --
 * "test_mod", not "mod" as the server's modules would be. */
static void test_programs(void) {
    static const want w[] = {
        {"t/test_mod.c", -10, 0, "test_mod"},
        {"t/test_mod_alias.c", 30, 0, "test_mod"},
        {"t/test_mod_access.c", 30, 0, "test_mod"},
        {"t/test_common.c", -10, 1, "t"},
        {"t/test_array.c", 80, 1, "t"},
        {"src/mod_alias.c", 40, 2, "mod_alias"},
    };
    EXPECT(w, "PPS");
}

static const test_case cases[] = {
    {"folders", folders},
    {"other_folders", other_folders},
    {"one_folder", one_folder},
    {"spread", spread},
    {"top_generic", top_generic},
    {"split_generic", split_generic},
    {"same_prefix", same_prefix},
    {"test_programs", test_programs},
};

int main(int argc, char **argv) {
    return test_main(argc, argv, cases, TEST_COUNT(cases));
}
