/*
 * test_merge.c - merge.c on hand-built facts records (no libclang): identity
 * across TUs, one owner per shared body, indirect-call resolution, second
 * definitions of an extern name and which of them a caller gets, and
 * independence from input order.
 */
#include <stdlib.h>
#include <string.h>

#include "graph/graph_json.h"
#include "scan/merge.h"
#include "test.h"

static void fn(facts *f, const char *id, const char *name, const char *file, int linkage,
               int defined, const char *type) {
    fact_func x = {0};
    x.id = facts_str(f, id);
    x.name = facts_str(f, name);
    x.file = facts_str(f, file);
    x.type = facts_str(f, type);
    x.ret = facts_str(f, strncmp(type, "void", 4) == 0 ? "void" : "int");
    x.line = 1;
    x.end_line = defined ? 3 : 0;
    x.loc = defined ? 3 : 0;
    x.linkage = (unsigned)linkage;
    x.defined = (unsigned)defined;
    VEC_PUSH(f->funcs, x);
}

static void call(facts *f, const char *from, const char *to, int line, int loops) {
    fact_call c = {0};
    c.from = facts_str(f, from);
    c.to = facts_str(f, to);
    c.file = f->file;
    c.line = line;
    c.col = 1;
    c.loop_depth = loops;
    VEC_PUSH(f->calls, c);
}

static void icall(facts *f, const char *from, unsigned via, const char *key, int line) {
    fact_call c = {0};
    c.from = facts_str(f, from);
    c.key = facts_str(f, key);
    c.file = f->file;
    c.line = line;
    c.indirect = 1;
    c.via = via;
    VEC_PUSH(f->calls, c);
}

static void store(facts *f, const char *func, unsigned sink, const char *key, int arg) {
    fact_store s = {0};
    s.function = facts_str(f, func);
    s.sink = sink;
    s.key = facts_str(f, key);
    s.arg = arg;
    s.file = f->file;
    VEC_PUSH(f->stores, s);
}

/* The edge from -> to of one evidence, or NULL. */
static const gcall *evedge(const graph *g, const char *from, const char *to, unsigned ev) {
    size_t a = graph_find_func(g, from), b = graph_find_func(g, to);
    for (size_t i = 0; i < g->calls.n; i++) {
        const gcall *c = &g->calls.v[i];
        if (c->from == a && c->to == b && c->evidence == ev) return c;
    }
    return NULL;
}

/* The direct edge from -> to (ind 0), or a pointer one (field first). */
static const gcall *edge(const graph *g, const char *from, const char *to, unsigned ind) {
    if (!ind) return evedge(g, from, to, EV_DIRECT);
    const gcall *c = evedge(g, from, to, EV_FIELD);
    return c ? c : evedge(g, from, to, EV_TYPE);
}

/* Two TUs sharing an extern function, same-name statics, and a header
 * static inline whose body both TUs see. */
static void identity(void) {
    facts *a = facts_new("a.c"), *b = facts_new("b.c");
    fn(a, "main", "main", "a.c", LINK_EXTERN, 1, "int (void)");
    fn(a, "work", "work", "w.h", LINK_EXTERN, 0, "int (void)");
    fn(a, "a.c:helper", "helper", "a.c", LINK_STATIC, 1, "int (void)");
    fn(a, "u.h:inl", "inl", "u.h", LINK_STATIC, 1, "int (void)");
    fn(a, "printf", "printf", NULL, LINK_EXTERN, 0, "int (const char *, ...)");
    fn(a, "unused_decl", "unused_decl", "w.h", LINK_EXTERN, 0, "int (void)");
    call(a, "main", "work", 5, 0);
    call(a, "main", "a.c:helper", 6, 1);
    call(a, "main", "a.c:helper", 7, 2);
    call(a, "u.h:inl", "printf", 2, 0);
    call(a, "a.c:helper", "u.h:inl", 9, 0);

    fn(b, "work", "work", "b.c", LINK_EXTERN, 1, "int (void)");
    fn(b, "b.c:helper", "helper", "b.c", LINK_STATIC, 1, "int (void)");
    fn(b, "u.h:inl", "inl", "u.h", LINK_STATIC, 1, "int (void)");
    fn(b, "printf", "printf", NULL, LINK_EXTERN, 0, "int (const char *, ...)");
    call(b, "work", "b.c:helper", 3, 0);
    call(b, "u.h:inl", "printf", 2, 0);

    facts *tus[] = {b, a};
    graph *g = merge_facts(tus, 2, "proj");
    CHECK_STR(g->root, "proj");
    CHECK_INT(g->units.n, 2);
    CHECK_STR(g->units.v[0].file, "a.c");
    /* main, work, a.c:helper, b.c:helper, u.h:inl, printf; unused_decl dropped */
    CHECK_INT(g->funcs.n, 6);
    CHECK(graph_find_func(g, "unused_decl") == (size_t)-1);
    size_t w = graph_find_func(g, "work");
    CHECK(w != (size_t)-1 && g->funcs.v[w].defined);
    CHECK_STR(g->funcs.v[w].file, "b.c");
    size_t p = graph_find_func(g, "printf");
    CHECK(p != (size_t)-1 && !g->funcs.v[p].defined && g->funcs.v[p].file == NULL);
    const gcall *c = edge(g, "main", "a.c:helper", 0);
    CHECK(c && c->sites == 2 && c->loop_depth == 2);
    /* the shared inline body counts once, from its owner TU (a.c) */
    c = edge(g, "u.h:inl", "printf", 0);
    CHECK(c && c->sites == 1);
    CHECK(edge(g, "work", "b.c:helper", 0) != NULL);
    /* ids are sorted */
    for (size_t i = 1; i < g->funcs.n; i++)
        CHECK(strcmp(g->funcs.v[i - 1].id, g->funcs.v[i].id) < 0);
    graph_free(g);
    facts_free(a);
    facts_free(b);
}

/* Field, global, type, no-prototype and parameter-flow resolution. */
static void indirect(void) {
    facts *a = facts_new("a.c");
    fn(a, "on_a", "on_a", "a.c", LINK_EXTERN, 1, "int (int)");
    fn(a, "on_b", "on_b", "a.c", LINK_EXTERN, 1, "int (int)");
    fn(a, "other", "other", "a.c", LINK_EXTERN, 1, "int (int)");
    fn(a, "never_taken", "never_taken", "a.c", LINK_EXTERN, 1, "int (int)");
    fn(a, "vfun", "vfun", "a.c", LINK_EXTERN, 1, "void (void)");
    fn(a, "reg", "reg", "a.c", LINK_EXTERN, 1, "void (int (*)(int))");
    fn(a, "caller", "caller", "a.c", LINK_EXTERN, 1, "void (void)");
    store(a, "on_a", SINK_FIELD, "c:@S@cmd@FI@fn", 0);
    store(a, "on_b", SINK_GLOBAL, "hook", 0);
    store(a, "other", SINK_ARG, "reg", 0);   /* reg(other) */
    store(a, "vfun", SINK_NONE, NULL, 0);
    fact_param fp = {facts_str(a, "reg"), facts_str(a, "c:@S@cmd@FI@fn"), 0, 0, SINK_FIELD};
    VEC_PUSH(a->params, fp);                 /* reg(f) { x.fn = f; } */
    /* two hand-offs: outer(f) calls mid(f), mid(g) calls reg(g) */
    fn(a, "deep", "deep", "a.c", LINK_EXTERN, 1, "int (int)");
    store(a, "deep", SINK_ARG, "outer", 0);
    fact_param h1 = {facts_str(a, "outer"), facts_str(a, "mid"), 0, 1, SINK_ARG};
    fact_param h2 = {facts_str(a, "mid"), facts_str(a, "reg"), 1, 0, SINK_ARG};
    VEC_PUSH(a->params, h2);
    VEC_PUSH(a->params, h1);
    icall(a, "caller", VIA_FIELD, "c:@S@cmd@FI@fn", 10);
    icall(a, "caller", VIA_GLOBAL, "hook", 11);
    icall(a, "caller", VIA_TYPE, "int (int)", 12);
    icall(a, "caller", VIA_TYPE, "ret:void", 13);
    icall(a, "caller", VIA_UNKNOWN, NULL, 14);
    icall(a, "caller", VIA_FIELD, "c:@S@other@FI@fn", 15);

    facts *tus[] = {a};
    graph *g = merge_facts(tus, 1, ".");
    CHECK(edge(g, "caller", "on_a", 1) != NULL);
    CHECK(edge(g, "caller", "other", 1) != NULL);  /* through reg's parameter */
    CHECK(edge(g, "caller", "on_b", 1) != NULL);
    CHECK(edge(g, "caller", "vfun", 1) != NULL);   /* no prototype: any void */
    CHECK(edge(g, "caller", "never_taken", 1) == NULL);
    CHECK(edge(g, "caller", "deep", 1) != NULL);
    /* on_a: field + type; on_b: global + type; other, deep: field + type.
     * Each evidence is an edge of its own: a global pointer counts as a
     * named store (field evidence), like a struct field. */
    const gcall *c = evedge(g, "caller", "on_a", EV_FIELD);
    CHECK(c && c->sites == 1 && c->indirect);
    c = evedge(g, "caller", "on_a", EV_TYPE);
    CHECK(c && c->sites == 1 && c->indirect);
    c = evedge(g, "caller", "on_b", EV_FIELD);
    CHECK(c && c->sites == 1);
    c = evedge(g, "caller", "on_b", EV_TYPE);
    CHECK(c && c->sites == 1);
    CHECK(evedge(g, "caller", "vfun", EV_FIELD) == NULL);
    CHECK(evedge(g, "caller", "vfun", EV_TYPE) != NULL);
    CHECK_INT(g->stats.indirect_sites, 6);
    CHECK_INT(g->stats.indirect_resolved, 4);
    CHECK_INT(g->stats.indirect_targets, 3 + 1 + 4 + 1);
    CHECK_INT(g->stats.indirect_by_via[VIA_TYPE], 2);
    CHECK_INT(g->stats.indirect_by_via[VIA_UNKNOWN], 1);
    size_t v = graph_find_func(g, "vfun");
    CHECK(g->funcs.v[v].address_taken);
    CHECK(!g->funcs.v[graph_find_func(g, "never_taken")].address_taken);
    graph_free(g);
    facts_free(a);
}

/* Two programs in one tree: the second `main` becomes its own node,
 * with no warning (each program has its main); another extern name both
 * define is warned about once. */
static void second_definition(void) {
    facts *a = facts_new("lua.c"), *b = facts_new("luac.c");
    fn(a, "main", "main", "lua.c", LINK_EXTERN, 1, "int (void)");
    fn(a, "run", "run", "lua.c", LINK_EXTERN, 1, "int (void)");
    fn(a, "fatal", "fatal", "lua.c", LINK_EXTERN, 1, "void (void)");
    call(a, "main", "run", 3, 0);
    fn(b, "main", "main", "luac.c", LINK_EXTERN, 1, "int (void)");
    fn(b, "luac.c:usage", "usage", "luac.c", LINK_STATIC, 1, "int (void)");
    fn(b, "fatal", "fatal", "luac.c", LINK_EXTERN, 1, "void (void)");
    call(b, "main", "luac.c:usage", 4, 0);
    facts *tus[] = {b, a};
    graph *g = merge_facts(tus, 2, ".");
    CHECK(edge(g, "main", "run", 0) != NULL);
    CHECK(edge(g, "luac.c:main", "luac.c:usage", 0) != NULL);
    CHECK(edge(g, "main", "luac.c:usage", 0) == NULL);
    REQUIRE(g->warnings.n == 1);
    CHECK_STR(g->warnings.v[0], "function fatal is defined in lua.c and in luac.c; the second is "
                                "luac.c:fatal");
    graph_free(g);
    facts_free(a);
    facts_free(b);
}

/* A name defined in two directories: a caller takes the one in its own
 * directory, else the one in a directory above it (Bash's builtins/ link
 * the top level's xmalloc.c, not readline's), not a sibling branch's. */
static void nearest_definition(void) {
    facts *top = facts_new("xmalloc.c"), *rl = facts_new("lib/rl/xmalloc.c");
    facts *bi = facts_new("builtins/common.c"), *in = facts_new("lib/rl/input.c");
    fn(top, "xmalloc", "xmalloc", "xmalloc.c", LINK_EXTERN, 1, "void *(int)");
    fn(rl, "xmalloc", "xmalloc", "lib/rl/xmalloc.c", LINK_EXTERN, 1, "void *(int)");
    fn(bi, "builtin_alloc", "builtin_alloc", "builtins/common.c", LINK_EXTERN, 1, "int (void)");
    fn(bi, "xmalloc", "xmalloc", "externs.h", LINK_EXTERN, 0, "void *(int)");
    call(bi, "builtin_alloc", "xmalloc", 2, 0);
    fn(in, "rl_input", "rl_input", "lib/rl/input.c", LINK_EXTERN, 1, "int (void)");
    fn(in, "xmalloc", "xmalloc", "lib/rl/xmalloc.h", LINK_EXTERN, 0, "void *(int)");
    call(in, "rl_input", "xmalloc", 2, 0);
    facts *tus[] = {top, rl, bi, in};
    graph *g = merge_facts(tus, 4, ".");
    /* path order: lib/rl/xmalloc.c keeps the plain id */
    CHECK(edge(g, "builtin_alloc", "xmalloc.c:xmalloc", 0) != NULL);
    CHECK(edge(g, "builtin_alloc", "xmalloc", 0) == NULL);
    CHECK(edge(g, "rl_input", "xmalloc", 0) != NULL);
    graph_free(g);
    facts_free(top);
    facts_free(rl);
    facts_free(bi);
    facts_free(in);
}

/* A unit defining fns (a NULL-ended list, "main" among them) and calling
 * each of calls from its first function. */
static facts *unit(const char *file, const char *const *fns, const char *const *calls) {
    facts *f = facts_new(file);
    for (size_t i = 0; fns[i]; i++) fn(f, fns[i], fns[i], file, LINK_EXTERN, 1, "int (void)");
    for (size_t i = 0; calls[i]; i++) {
        fn(f, calls[i], calls[i], "decls.h", LINK_EXTERN, 0, "int (void)");
        call(f, fns[0], calls[i], (int)i + 2, 0);
    }
    return f;
}

static int has_warning(const graph *g, const char *w) {
    return strvec_contains(&g->warnings, w);
}

/* Two programs, each with its own palloc, and a file both use: a call
 * goes to the definition its program reaches, never into another program
 * (issue 13: pg_dump's palloc is not the server's). */
static void program_namespaces(void) {
    const char *const none[] = {NULL};
    const char *const be_main[] = {"main", NULL}, *const be_calls[] = {
        "mcxt_init", "lo_init", "str_dup", "palloc", "lo_read", NULL};
    const char *const mcxt[] = {"palloc", "mcxt_init", NULL};
    const char *const lo[] = {"lo_read", "lo_init", NULL};
    const char *const dump_calls[] = {"pg_malloc", "str_dup", "palloc", "lo_read", NULL};
    const char *const fe[] = {"pg_malloc", "palloc", NULL};
    const char *const str[] = {"str_dup", NULL}, *const str_calls[] = {"palloc", NULL};
    const char *const tool[] = {"main", "lo_read", NULL};
    facts *t[] = {unit("backend/main.c", be_main, be_calls), unit("backend/mcxt.c", mcxt, none),
                  unit("backend/lo.c", lo, none), unit("bin/dump/dump.c", be_main, dump_calls),
                  unit("common/fe_memutils.c", fe, none), unit("common/str.c", str, str_calls),
                  unit("tools/t/main.c", tool, none)};
    graph *g = merge_facts(t, 7, ".");
    /* path order keeps the plain ids in backend/ */
    CHECK(edge(g, "main", "palloc", 0) != NULL);
    CHECK(edge(g, "main", "lo_read", 0) != NULL);
    CHECK(edge(g, "bin/dump/dump.c:main", "common/fe_memutils.c:palloc", 0) != NULL);
    CHECK(edge(g, "bin/dump/dump.c:main", "palloc", 0) == NULL);
    /* lo_read: one in the server, one in another tool; none for dump */
    CHECK(edge(g, "bin/dump/dump.c:main", "lo_read", 0) == NULL);
    CHECK(edge(g, "bin/dump/dump.c:main", "tools/t/main.c:lo_read", 0) == NULL);
    /* the shared file is in both programs: the nearest definition (its folder's) */
    CHECK(edge(g, "str_dup", "common/fe_memutils.c:palloc", 0) != NULL);
    CHECK(has_warning(g, "calls to palloc, defined in 2 files: 2 to the nearest definition, 1 "
                         "kept in the caller's program instead, 0 left unresolved (only other "
                         "programs define it)"));
    CHECK(has_warning(g, "calls to lo_read, defined in 2 files: 1 to the nearest definition, 0 "
                         "kept in the caller's program instead, 1 left unresolved (only other "
                         "programs define it)"));
    graph_free(g);
    for (size_t i = 0; i < 7; i++) facts_free(t[i]);
}

/* A library two programs share, read in the server's build (its unit
 * tests CLIENT and does not define it), calls into the server; the client
 * (whose main defines CLIENT) links it but does not follow those calls, so
 * the server's allocator stays out of the client's program and the
 * client's palloc is its own.  Equally near definitions: the one the
 * caller's program reaches (libpq's lo_read, not the server's, which no
 * program reaches by a direct call).  The summary counts say so. */
static void program_builds(void) {
    const char *const none[] = {NULL}, *const be_main[] = {"main", NULL};
    const char *const be_calls[] = {"str_dup", "mcxt_init", NULL};
    const char *const mcxt[] = {"palloc", "mcxt_init", NULL};
    const char *const elog[] = {"elog_start", NULL}, *const elog_calls[] = {"mcxt_init", NULL};
    const char *const str[] = {"str_dup", NULL}, *const str_calls[] = {"elog_start", NULL};
    const char *const dump_calls[] = {"str_dup", "pg_malloc", "lo_open", "palloc", "lo_read", NULL};
    const char *const fe[] = {"pg_malloc", "palloc", NULL};
    const char *const lo[] = {"lo_read", NULL}, *const felo[] = {"lo_open", "lo_read", NULL};
    facts *t[] = {
        unit("backend/main.c", be_main, be_calls),    unit("backend/mcxt.c", mcxt, none),
        unit("backend/elog.c", elog, elog_calls),     unit("backend/lo.c", lo, none),
        unit("bin/dump/dump.c", be_main, dump_calls), unit("common/fe_memutils.c", fe, none),
        unit("common/str.c", str, str_calls),         unit("libpq/fe-lobj.c", felo, none)};
    strvec_push(&t[4]->defines, "CLIENT");
    strvec_push(&t[5]->defines, "CLIENT");
    strvec_push(&t[6]->tests, "CLIENT");
    graph *g = merge_facts(t, 8, ".");
    CHECK(edge(g, "bin/dump/dump.c:main", "common/fe_memutils.c:palloc", 0) != NULL);
    CHECK(edge(g, "bin/dump/dump.c:main", "palloc", 0) == NULL);
    CHECK(edge(g, "bin/dump/dump.c:main", "libpq/fe-lobj.c:lo_read", 0) != NULL);
    CHECK(edge(g, "bin/dump/dump.c:main", "lo_read", 0) == NULL);
    /* the shared file's own calls are as read: the server build's */
    CHECK(edge(g, "str_dup", "elog_start", 0) != NULL);
    const graph_stats *st = &g->stats;
    CHECK(st->programs_known);
    CHECK_INT(st->programs, 2);
    CHECK_INT(st->other_build_files, 1); /* common/str.c, for the client */
    CHECK_INT(st->shared_names, 3);      /* main, palloc, lo_read */
    /* palloc: mcxt.c, first in path order, is only the server's; lo_read:
     * of the two equally near, the one dump's program reaches */
    CHECK_INT(st->calls_nearest, 0);
    CHECK_INT(st->calls_in_program, 2);
    CHECK_INT(st->calls_unresolved, 0);
    graph_free(g);
    /* without the build macros the client reaches the server's
     * allocator through the shared file, and takes it */
    strvec_free(&t[4]->defines);
    strvec_free(&t[5]->defines);
    strvec_free(&t[6]->tests);
    g = merge_facts(t, 8, ".");
    CHECK(edge(g, "bin/dump/dump.c:main", "palloc", 0) != NULL);
    CHECK_INT(g->stats.other_build_files, 0);
    graph_free(g);
    for (size_t i = 0; i < 8; i++) facts_free(t[i]);
}

/* The client's build of the shared file read as a unit of its own,
 * "common/str.c[CLIENT]" (scan.c): each program follows the build its
 * main's macros select, the client's str_dup is the client build's and
 * calls the client's allocator, and the two builds' str_dup are no "name
 * in several files".  merge_wanted_builds names that build while it is
 * missing, and nothing once it is read. */
static void second_builds(void) {
    const char *const none[] = {NULL}, *const be_main[] = {"main", NULL};
    const char *const be_calls[] = {"str_dup", "mcxt_init", NULL};
    const char *const mcxt[] = {"palloc", "mcxt_init", NULL};
    const char *const elog[] = {"elog_start", NULL}, *const elog_calls[] = {"mcxt_init", NULL};
    const char *const str[] = {"str_dup", NULL}, *const str_calls[] = {"elog_start", NULL};
    const char *const fe_str_calls[] = {"palloc", NULL};
    const char *const dump_calls[] = {"str_dup", "pg_malloc", NULL};
    const char *const fe[] = {"pg_malloc", "palloc", NULL};
    facts *t[] = {unit("backend/main.c", be_main, be_calls), unit("backend/mcxt.c", mcxt, none),
                  unit("backend/elog.c", elog, elog_calls),
                  unit("bin/dump/dump.c", be_main, dump_calls),
                  unit("common/fe_memutils.c", fe, none), unit("common/str.c", str, str_calls),
                  unit("common/str.c[CLIENT]", str, fe_str_calls)};
    strvec_push(&t[3]->defines, "CLIENT");
    strvec_push(&t[4]->defines, "CLIENT");
    strvec_push(&t[5]->tests, "CLIENT");
    strvec_push(&t[6]->tests, "CLIENT");
    strvec_push(&t[6]->defines, "CLIENT");
    strvec wanted = {0}, unused = {0};
    merge_wanted_builds(t, 6, &wanted, &unused);
    REQUIRE(wanted.n == 1);
    CHECK_STR(wanted.v[0], "common/str.c\x1f" "CLIENT");
    CHECK_INT(unused.n, 0);
    strvec_free(&wanted);
    merge_wanted_builds(t, 7, &wanted, &unused);
    CHECK_INT(wanted.n, 0);
    CHECK_INT(unused.n, 0);
    /* read, but followed by no program: the client no longer reaches it */
    strvec_free(&t[3]->defines);
    merge_wanted_builds(t, 7, &wanted, &unused);
    CHECK_INT(wanted.n, 0);
    REQUIRE(unused.n == 1);
    CHECK_STR(unused.v[0], "common/str.c[CLIENT]");
    strvec_free(&unused);
    strvec_push(&t[3]->defines, "CLIENT");

    graph *g = merge_facts(t, 7, ".");
    CHECK(edge(g, "main", "str_dup", 0) != NULL);
    CHECK(edge(g, "bin/dump/dump.c:main", "common/str.c[CLIENT]:str_dup", 0) != NULL);
    CHECK(edge(g, "bin/dump/dump.c:main", "str_dup", 0) == NULL);
    CHECK(edge(g, "common/str.c[CLIENT]:str_dup", "common/fe_memutils.c:palloc", 0) != NULL);
    CHECK(edge(g, "str_dup", "elog_start", 0) != NULL);
    const graph_stats *st = &g->stats;
    CHECK_INT(st->programs, 2);
    CHECK_INT(st->other_build_files, 0); /* each program follows its own build */
    CHECK_INT(st->shared_names, 2);      /* main, palloc: not str_dup */
    CHECK(!has_warning(g, "function str_dup is defined in common/str.c and in "
                          "common/str.c[CLIENT]; the second is common/str.c[CLIENT]:str_dup"));
    REQUIRE(g->reads.n == 1);
    CHECK_STR(g->reads.v[0].unit, "common/str.c[CLIENT]");
    CHECK_INT(g->reads.v[0].programs, 1);
    CHECK_STR(g->reads.v[0].main, "bin/dump/dump.c");
    graph_free(g);
    for (size_t i = 0; i < 7; i++) facts_free(t[i]);
}

/* A call from a second build to a name the caller's program reaches no
 * definition of, and the nearest is another program's: it goes to the
 * definition read in the caller's build (the frontend library's palloc,
 * which another client reaches), not nowhere. */
static void second_build_links(void) {
    const char *const none[] = {NULL}, *const be_main[] = {"main", NULL};
    const char *const be_calls[] = {"str_dup", "palloc", NULL};
    const char *const mcxt[] = {"palloc", NULL}, *const fe[] = {"pg_malloc", "palloc", NULL};
    const char *const str[] = {"str_dup", NULL}, *const str_calls[] = {"palloc", NULL};
    const char *const dump_calls[] = {"str_dup", NULL}, *const other_calls[] = {"pg_malloc", NULL};
    facts *t[] = {unit("backend/main.c", be_main, be_calls), unit("backend/mcxt.c", mcxt, none),
                  unit("bin/dump/dump.c", be_main, dump_calls),
                  unit("bin/other/other.c", be_main, other_calls),
                  unit("common/fe_memutils.c", fe, none), unit("common/str.c", str, str_calls),
                  unit("common/str.c[CLIENT]", str, str_calls)};
    for (size_t i = 2; i < 7; i++)
        if (i != 5) strvec_push(&t[i]->defines, "CLIENT");
    strvec_push(&t[5]->tests, "CLIENT");
    strvec_push(&t[6]->tests, "CLIENT");
    graph *g = merge_facts(t, 7, ".");
    CHECK(edge(g, "common/str.c[CLIENT]:str_dup", "common/fe_memutils.c:palloc", 0) != NULL);
    CHECK_INT(g->stats.calls_unresolved, 0);
    graph_free(g);
    for (size_t i = 0; i < 7; i++) facts_free(t[i]);
}

/* A local holding only the addresses its own function assigns it
 * (`f = up ? inc : dec; f(x)`) names its callees: direct edges, though the
 * site counts as indirect (via field).  The extra record of a local that
 * may also hold unknown values keeps field evidence: its key also carries
 * what callers pass. */
static void local_keys(void) {
    facts *a = facts_new("a.c");
    fn(a, "inc", "inc", "a.c", LINK_EXTERN, 1, "int (int)");
    fn(a, "dec", "dec", "a.c", LINK_EXTERN, 1, "int (int)");
    fn(a, "pick", "pick", "a.c", LINK_EXTERN, 1, "int (int)");
    fn(a, "either", "either", "a.c", LINK_EXTERN, 1, "int (int)");
    char own[64], mixed[64];
    snprintf(own, sizeof own, "pick%cc:a.c@30@F@pick@f", FACTS_LOCAL_KEY_SEP);
    snprintf(mixed, sizeof mixed, "either%cc:a.c@90@F@either@k", FACTS_LOCAL_KEY_SEP);
    CHECK(facts_key_is_local(own) && !facts_key_is_local("c:@S@cmd@FI@fn") &&
          !facts_key_is_local(NULL));
    store(a, "inc", SINK_FIELD, own, 0);
    store(a, "dec", SINK_FIELD, own, 0);
    store(a, "dec", SINK_FIELD, mixed, 0);
    icall(a, "pick", VIA_FIELD, own, 5);
    icall(a, "either", VIA_TYPE, "int (int)", 9);
    icall(a, "either", VIA_FIELD, mixed, 9);
    a->calls.v[a->calls.n - 1].extra = 1;
    facts *tus[] = {a};
    graph *g = merge_facts(tus, 1, ".");
    const gcall *c = evedge(g, "pick", "inc", EV_DIRECT);
    CHECK(c && c->sites == 1 && !c->indirect);
    CHECK(evedge(g, "pick", "dec", EV_DIRECT) != NULL);
    CHECK(evedge(g, "pick", "inc", EV_FIELD) == NULL);
    CHECK(evedge(g, "either", "dec", EV_FIELD) != NULL);
    CHECK(evedge(g, "either", "dec", EV_DIRECT) == NULL);
    CHECK_INT(g->stats.indirect_sites, 2);
    CHECK_INT(g->stats.indirect_by_via[VIA_FIELD], 1);
    graph_free(g);
    facts_free(a);
}

/* The same records in any order give byte-identical JSON. */
static void order_independent(void) {
    facts *t[3];
    t[0] = facts_new("x.c");
    t[1] = facts_new("y.c");
    t[2] = facts_new("z.c");
    for (int i = 0; i < 3; i++) {
        char id[16], callee[16];
        snprintf(id, sizeof id, "f%d", i);
        snprintf(callee, sizeof callee, "f%d", (i + 1) % 3);
        fn(t[i], id, id, t[i]->file, LINK_EXTERN, 1, "int (int)");
        fn(t[i], callee, callee, "h.h", LINK_EXTERN, 0, "int (int)");
        call(t[i], id, callee, 2, i);
        store(t[i], id, SINK_GLOBAL, "g", 0);
        icall(t[i], id, VIA_GLOBAL, "g", 3);
    }
    facts *fwd[] = {t[0], t[1], t[2]}, *rev[] = {t[2], t[0], t[1]};
    graph *g1 = merge_facts(fwd, 3, "."), *g2 = merge_facts(rev, 3, ".");
    char *j1 = graph_json_render(g1), *j2 = graph_json_render(g2);
    CHECK_STR(j1, j2);
    CHECK(strstr(j1, "\"schema\": \"cleave.graph/2\"") != NULL);
    free(j1);
    free(j2);
    graph_free(g1);
    graph_free(g2);
    for (int i = 0; i < 3; i++) facts_free(t[i]);
}

static void empty(void) {
    graph *g = merge_facts(NULL, 0, ".");
    CHECK_INT(g->funcs.n, 0);
    char *j = graph_json_render(g);
    CHECK(strstr(j, "\"functions\": []") != NULL);
    free(j);
    graph_free(g);
    graph_free(NULL);
    facts_free(NULL);
}

static const test_case cases[] = {
    {"identity", identity},
    {"indirect", indirect},
    {"second_definition", second_definition},
    {"nearest_definition", nearest_definition},
    {"program_namespaces", program_namespaces},
    {"program_builds", program_builds},
    {"second_builds", second_builds},
    {"second_build_links", second_build_links},
    {"order_independent", order_independent},
    {"empty", empty},
    {"local_keys", local_keys},
};

int main(int argc, char **argv) {
    return test_main(argc, argv, cases, TEST_COUNT(cases));
}
