/*
 * test_cluster.c - Leiden on graphs with known communities, and the plan
 * cleave proposes for fixtures with an intended decomposition: three
 * subsystems sharing a utility library and one global (plan_three), a flat
 * folder with a core layer (plan_layers), and the demo monolith;
 * determinism; serverless granularity.
 */
#include <stdlib.h>
#include <string.h>

#include "plan/cluster.h"
#include "plan/constraints.h"
#include "plan/leiden.h"
#include "plan/plan_json.h"
#include "frontend/project.h"
#include "scan/scan.h"
#include "test.h"

/* Ring of k cliques of size s, each joined to the next by one edge. */
static void leiden_cliques(void) {
    enum { K = 8, S = 6 };
    wedges e = {0};
    for (int c = 0; c < K; c++) {
        for (int i = 0; i < S; i++)
            for (int j = i + 1; j < S; j++) wgraph_edge_add(&e, (size_t)(c * S + i), (size_t)(c * S + j), 1);
        wgraph_edge_add(&e, (size_t)(c * S), (size_t)(((c + 1) % K) * S + 1), 1);
    }
    wgraph *g = wgraph_build(K * S, &e);
    size_t m[K * S], m2[K * S];
    size_t k = leiden(g, 1.0, m);
    CHECK_INT(k, K);
    for (int c = 0; c < K; c++)
        for (int i = 1; i < S; i++) CHECK_INT(m[c * S + i], m[c * S]);
    CHECK(leiden_quality(g, m, 1.0) > 0.7);
    /* deterministic */
    leiden(g, 1.0, m2);
    CHECK(memcmp(m, m2, sizeof m) == 0);
    /* a tiny resolution merges everything connected */
    CHECK_INT(leiden(g, 0.001, m2), 1);
    wgraph_free(g);
    wgraph_edges_free(&e);
}

/* Two components never share a community, whatever the resolution. */
static void leiden_connected(void) {
    wedges e = {0};
    wgraph_edge_add(&e, 0, 1, 5);
    wgraph_edge_add(&e, 2, 3, 5);
    wgraph_edge_add(&e, 4, 4, 1); /* a self loop alone */
    wgraph *g = wgraph_build(5, &e);
    size_t m[5];
    CHECK_INT(leiden(g, 0.0001, m), 3);
    CHECK(m[0] == m[1] && m[2] == m[3] && m[0] != m[2] && m[4] != m[0] && m[4] != m[2]);
    wgraph_free(g);
    wgraph_edges_free(&e);
}

static graph *scanfixture(const char *name) {
    char *path = xasprintf("%s/fixtures/%s", CLEAVE_SOURCE_DIR, name);
    project *p = NULL;
    char *err = NULL;
    graph *g = NULL;
    if (project_open(path, NULL, &p, &err) == 0) {
        scan_options opt = {0};
        opt.quiet = 1;
        size_t parsed;
        g = scan_project(p, name, &opt, &parsed);
        project_free(p);
    } else {
        fprintf(stderr, "%s\n", err);
        free(err);
    }
    free(path);
    return g;
}

/* The service holding `file`, or NULL. */
static const plan_service *owner(const plan *p, const char *file) {
    for (size_t i = 0; i < p->services.n; i++)
        if (strvec_contains(&p->services.v[i].files, file)) return &p->services.v[i];
    return NULL;
}

static void plan_three(void) {
    graph *g = scanfixture("plan_three");
    REQUIRE(g != NULL);
    plan_options opt = {0};
    plan *p = cluster_plan(g, &opt);
    const char *subs[] = {"alpha", "beta", "gamma"};
    for (int i = 0; i < 3; i++) {
        char *core = xasprintf("src/%s/%s_core.c", subs[i], subs[i]);
        char *io = xasprintf("src/%s/%s_io.c", subs[i], subs[i]);
        const plan_service *a = owner(p, core), *b = owner(p, io);
        REQUIRE(a != NULL);
        CHECK(a == b);
        CHECK_STR(a->name, subs[i]);
        CHECK_INT(a->kind, PLAN_SERVICE);
        /* its static state is owned, not shared */
        CHECK(a->owned_state.n >= 2);
        free(core);
        free(io);
    }
    const plan_service *u = owner(p, "src/util/util.c");
    REQUIRE(u != NULL);
    CHECK(u->kind == PLAN_LIBRARY);
    CHECK_STR(u->name, "util");
    /* the one global written by all three is shared, with three writers */
    CHECK_INT(p->shared.n, 1);
    if (p->shared.n == 1) {
        CHECK_STR(g->globals.v[p->shared.v[0].global].id, "shared_counter");
        CHECK_INT(p->shared.v[0].writers.n, 3);
    }
    /* calls into the library are not remote interfaces */
    for (size_t i = 0; i < p->interfaces.n; i++)
        CHECK(p->services.v[p->interfaces.v[i].to].kind != PLAN_LIBRARY);
    /* every analysed file in exactly one service */
    size_t files = 0;
    for (size_t i = 0; i < p->services.n; i++) files += p->services.v[i].files.n;
    CHECK_INT(files, g->units.n);
    /* same input, same bytes */
    plan *q = cluster_plan(g, &opt);
    char *a = plan_json_render(p, NULL), *b = plan_json_render(q, NULL);
    CHECK_STR(a, b);
    CHECK(strstr(a, "\"schema\":\t\"cleave.plan/1\"") != NULL);
    free(a);
    free(b);
    plan_free(q);
    /* --services 2 merges down to two services plus the library */
    opt.services = 2;
    q = cluster_plan(g, &opt);
    size_t nsvc = 0;
    for (size_t i = 0; i < q->services.n; i++) nsvc += q->services.v[i].kind == PLAN_SERVICE;
    CHECK_INT(nsvc, 2);
    plan_free(q);
    plan_free(p);
    graph_free(g);
}

/* One flat folder shaped like Lua's src/: the core's files call each
 * other and are one module, with api.c, its facade, and xmem.c, a utility
 * only the core calls; main.c is a program of its own; the libraries stay
 * out of the core. */
static void plan_layers(void) {
    graph *g = scanfixture("plan_layers");
    REQUIRE(g != NULL);
    plan_options opt = {0};
    plan *p = cluster_plan(g, &opt);
    const plan_service *core = owner(p, "src/vm.c");
    REQUIRE(core != NULL);
    CHECK(core == owner(p, "src/gc.c") && core == owner(p, "src/str.c"));
    CHECK(core == owner(p, "src/api.c") && core == owner(p, "src/xmem.c"));
    const plan_service *prog = owner(p, "src/main.c");
    CHECK(prog != NULL && prog->kind == PLAN_PROGRAM && prog->files.n == 1);
    const char *out[] = {"src/baselib.c", "src/strlib.c", "src/iolib.c"};
    for (size_t i = 0; i < sizeof out / sizeof *out; i++) {
        const plan_service *s = owner(p, out[i]);
        CHECK(s != NULL && s != core && s->kind != PLAN_PROGRAM);
    }
    plan_free(p);
    graph_free(g);
}

/* fixtures/plan_plugins: src/server/plugins/ holds handlers the server
 * calls only through a table of pointers and that call the server by name:
 * plug-ins, one component with their host (not at --services 4, which
 * gets its size as asked); nothing outside src/tools calls into it, so
 * gentab.c, which only the gen tool calls, and glue.c, which the tool alone
 * calls and which calls the store, are the tool's own sources
 * (plan_programs has glue in a folder others call into). */
static void plan_plugins(void) {
    graph *g = scanfixture("plan_plugins");
    REQUIRE(g != NULL);
    plan_options opt = {0};
    plan *p = cluster_plan(g, &opt);
    const plan_service *host = owner(p, "src/server/server.c");
    REQUIRE(host != NULL);
    CHECK(host == owner(p, "src/server/plugins/echo.c"));
    CHECK(host == owner(p, "src/server/plugins/count.c"));
    const plan_service *tool = owner(p, "src/tools/gen.c");
    REQUIRE(tool != NULL);
    CHECK_INT(tool->kind, PLAN_PROGRAM);
    CHECK(tool == owner(p, "src/tools/gentab.c"));
    CHECK(tool == owner(p, "src/tools/glue.c"));
    /* and the plan says why (test_placement.c has the other reasons) */
    size_t echo = graph_find_func(g, "src/server/plugins/echo.c:echo_handle");
    size_t row = graph_find_func(g, "gentab_row");
    REQUIRE(echo != (size_t)-1 && row != (size_t)-1);
    CHECK_STR(plan_reason_name(p->why[echo].reason), "plugin");
    CHECK_STR(p->why_text.v[p->why[echo].text],
              "a plug-in of folder src/server, in a subfolder of it: 3 of the 3 call sites from "
              "other modules reach it through registered pointers, and it calls that module by "
              "name");
    CHECK_STR(plan_reason_name(p->why[row].reason), "program");
    CHECK_STR(p->why_text.v[p->why[row].text],
              "nothing outside folder src/tools calls into it, and its program reaches it: the "
              "program's own sources");
    plan_free(p);
    opt.services = 4;
    p = cluster_plan(g, &opt);
    CHECK(owner(p, "src/server/server.c") != owner(p, "src/server/plugins/echo.c"));
    CHECK_INT(p->notes.n, 0);
    plan_free(p);
    /* N counts the components besides programs, and a resolution step that
     * falls short is not the last word: 5 is met (main: 4 and a note) */
    opt.services = 5;
    p = cluster_plan(g, &opt);
    size_t made = 0;
    for (size_t i = 0; i < p->services.n; i++) made += p->services.v[i].kind != PLAN_PROGRAM;
    CHECK_INT(made, 5);
    CHECK_INT(p->notes.n, 0);
    plan_free(p);
    /* more than the files can give: made what it can, and says so */
    opt.services = 40;
    p = cluster_plan(g, &opt);
    CHECK_INT(p->notes.n, 1);
    CHECK(p->notes.n == 1 && strncmp(p->notes.v[0], "--services 40: made ", 20) == 0);
    plan_free(p);
    graph_free(g);
}

/* fixtures/plan_platform: log.c, which 18 of the 20 files call, keeps a
 * count and calls the network stack, reaching too much to be a small
 * infrastructure utility: a platform, linked in (a library) with its
 * state, its call into net an interface, and the plan says so. */
static void plan_platform(void) {
    graph *g = scanfixture("plan_platform");
    REQUIRE(g != NULL);
    plan_options opt = {0};
    plan *p = cluster_plan(g, &opt);
    const plan_service *log = owner(p, "src/log/log.c"), *net = owner(p, "src/net/net.c");
    REQUIRE(log != NULL && net != NULL && log != net);
    CHECK_INT(log->kind, PLAN_LIBRARY);
    CHECK_INT(net->kind, PLAN_SERVICE);
    size_t up = 0;
    for (size_t i = 0; i < p->interfaces.n; i++)
        up += &p->services.v[p->interfaces.v[i].from] == log && &p->services.v[p->interfaces.v[i].to] == net;
    CHECK_INT(up, 1);
    REQUIRE(p->notes.n == 1);
    const char *want = "platform: code in 18 of the 19 files outside it calls log by name;";
    CHECK(strncmp(p->notes.v[0], want, strlen(want)) == 0);
    plan_free(p);
    graph_free(g);
}

/* fixtures/plan_platform_lib: buf.c, string buffers 18 of the 20 files
 * call, keeps no state and is library code, but its out-of-memory path
 * calls the program's exit function in main.c.  A library cannot call a
 * program or a service, so it would be made a service; what half the
 * program calls by name is a platform instead: a library, the call out an
 * interface, and the plan says so. */
static void plan_platform_lib(void) {
    graph *g = scanfixture("plan_platform_lib");
    REQUIRE(g != NULL);
    plan_options opt = {0};
    plan *p = cluster_plan(g, &opt);
    const plan_service *buf = owner(p, "src/buf/buf.c"), *main = owner(p, "src/main/main.c");
    REQUIRE(buf != NULL && main != NULL && buf != main);
    CHECK_INT(buf->kind, PLAN_LIBRARY);
    CHECK_INT(main->kind, PLAN_PROGRAM);
    size_t out = 0;
    for (size_t i = 0; i < p->interfaces.n; i++)
        out += &p->services.v[p->interfaces.v[i].from] == buf && &p->services.v[p->interfaces.v[i].to] == main;
    CHECK_INT(out, 1);
    REQUIRE(p->notes.n == 1);
    const char *want = "platform: code in 18 of the 19 files outside it calls buf by name; it is linked "
                       "into every component, its calls out kept as interfaces";
    CHECK_STR(p->notes.v[0], want);
    plan_free(p);
    graph_free(g);
}

/* fixtures/plan_platform_quarter: fm.c, a dispatcher that keeps a count
 * and calls the catalog, is called by name from 25 of the 58 other files
 * (under half) and makes 2 calls out against 25 in: a layer below what it
 * serves, a platform (PostgreSQL's fmgr).  peer.c, called from as many,
 * calls four services for every six calls in: it stays a service.  sip.c,
 * which only the platform calls, keeps no state: linked in with it, a
 * library rather than a service of its own. */
static void plan_platform_quarter(void) {
    graph *g = scanfixture("plan_platform_quarter");
    REQUIRE(g != NULL);
    plan_options opt = {0};
    plan *p = cluster_plan(g, &opt);
    const plan_service *fm = owner(p, "src/fm/fm.c"), *peer = owner(p, "src/peer/peer.c"),
                       *sip = owner(p, "src/hash/sip.c"), *cat = owner(p, "src/cat/cat.c");
    REQUIRE(fm != NULL && peer != NULL && sip != NULL && cat != NULL);
    CHECK_INT(fm->kind, PLAN_LIBRARY);
    CHECK_INT(peer->kind, PLAN_SERVICE);
    CHECK_INT(sip->kind, PLAN_LIBRARY);
    CHECK_INT(cat->kind, PLAN_SERVICE);
    size_t up = 0;
    for (size_t i = 0; i < p->interfaces.n; i++)
        up += &p->services.v[p->interfaces.v[i].from] == fm && &p->services.v[p->interfaces.v[i].to] == cat;
    CHECK_INT(up, 1);
    REQUIRE(p->notes.n == 1);
    CHECK_STR(p->notes.v[0], "platform: code in 25 of the 58 files outside it calls fm by name; it is "
                             "linked into every component, with its state, its calls out kept as "
                             "interfaces");
    size_t f = graph_find_func(g, "sip");
    REQUIRE(f != (size_t)-1);
    CHECK(strstr(p->why_text.v[p->why[f].text], "of a platform (src/fm/fm.c) calls it") != NULL);
    plan_free(p);
    graph_free(g);
}

/* fixtures/plan_librest: src/common is mostly its shared utilities (a
 * library); of the rest, ctlfile.c keeps no state but reads through the
 * store, a service: linked in with the library, its call an interface
 * (PostgreSQL's controldata_utils.c).  tok.c keeps state and calls only
 * ctlfile.c: then it calls only library code and joins too.  ctl.c keeps
 * state and calls the store: it stays a service. */
static void plan_librest(void) {
    graph *g = scanfixture("plan_librest");
    REQUIRE(g != NULL);
    plan_options opt = {0};
    plan *p = cluster_plan(g, &opt);
    const plan_service *lib = owner(p, "src/common/str.c"), *file = owner(p, "src/common/ctlfile.c"),
                       *tok = owner(p, "src/common/tok.c"), *ctl = owner(p, "src/common/ctl.c"),
                       *store = owner(p, "src/store/store.c");
    REQUIRE(lib != NULL && file != NULL && tok != NULL && ctl != NULL && store != NULL);
    CHECK_INT(lib->kind, PLAN_LIBRARY);
    CHECK(file == lib);
    CHECK(tok == lib);
    CHECK(ctl != lib);
    CHECK_INT(ctl->kind, PLAN_SERVICE);
    size_t out = 0;
    for (size_t i = 0; i < p->interfaces.n; i++)
        out += &p->services.v[p->interfaces.v[i].from] == lib && &p->services.v[p->interfaces.v[i].to] == store;
    CHECK_INT(out, 1);
    size_t f = graph_find_func(g, "ctl_peek");
    REQUIRE(f != (size_t)-1);
    CHECK_STR(plan_reason_name(p->why[f].reason), "library");
    plan_free(p);
    graph_free(g);
}

/* fixtures/plan_context: the program's state lives in one structure each
 * function is handed, and no function writes a global (OpenVPN's struct
 * context): all of its code reads as stateless library code, and the plan
 * says it cannot see that state rather than passing for a plan.  A
 * program that keeps its state in globals (plan_platform) says nothing of
 * the kind. */
static void plan_context(void) {
    graph *g = scanfixture("plan_context");
    REQUIRE(g != NULL);
    plan_options opt = {0};
    plan *p = cluster_plan(g, &opt);
    REQUIRE(p->notes.n == 1);
    CHECK_STR(p->notes.v[0], "state: only 0 of the 5 functions write a global, and library components "
                             "hold 100% of the code outside programs; state kept in structures passed "
                             "by pointer is not seen, so this code reads as stateless and the plan "
                             "cannot tell services apart");
    plan_free(p);
    graph_free(g);
}

/* fixtures/plan_peer: core.c is called from 19 of the 19 other files, as
 * plan_platform_lib's buffers are, but it calls back into 18 of them as
 * often (a command loop running every module): a peer of the services,
 * not a layer below them to link into each.  It stays a service, and no
 * note calls it a platform. */
static void plan_peer(void) {
    graph *g = scanfixture("plan_peer");
    REQUIRE(g != NULL);
    plan_options opt = {0};
    plan *p = cluster_plan(g, &opt);
    const plan_service *core = owner(p, "src/core/core.c");
    REQUIRE(core != NULL);
    CHECK_INT(core->kind, PLAN_SERVICE);
    CHECK(owner(p, "src/alpha/alpha1.c") != core);
    CHECK_INT(p->notes.n, 0);
    plan_free(p);
    graph_free(g);
}

/* fixtures/plan_hub: one flat folder, a server's providers (object.c,
 * reply.c, keyspace.c, command.c: each calls the others in loops) and
 * three modules of three files that call each other and call the
 * providers more than anything.  No module's files share a name, prefix
 * or header of their own, so each could join the community its calls
 * tie it to; counted as written, every module's calls go mostly to the
 * providers and the folder became one service (Redis's src/).  Counted as
 * Leiden counts them -- a file that most of the folder calls weighs less
 * per caller -- each module stays one of its own. */
static void plan_hub(void) {
    graph *g = scanfixture("plan_hub");
    REQUIRE(g != NULL);
    plan_options opt = {0};
    plan *p = cluster_plan(g, &opt);
    const plan_service *hub = owner(p, "src/object.c"), *persist = owner(p, "src/snapshot.c"),
                       *script = owner(p, "src/interp.c"), *repl = owner(p, "src/follower.c");
    REQUIRE(hub != NULL && persist != NULL && script != NULL && repl != NULL);
    CHECK(hub != persist && hub != script && hub != repl);
    CHECK(persist != script && persist != repl && script != repl);
    CHECK(owner(p, "src/reply.c") == hub && owner(p, "src/keyspace.c") == hub &&
          owner(p, "src/command.c") == hub);
    CHECK(owner(p, "src/loader.c") == persist && owner(p, "src/journal.c") == persist);
    CHECK(owner(p, "src/sandbox.c") == script && owner(p, "src/bindings.c") == script);
    CHECK(owner(p, "src/backlog.c") == repl && owner(p, "src/handshake.c") == repl);
    plan_free(p);
    graph_free(g);
}

/* fixtures/plan_programs: src/ holds a store, a server and a client that
 * use it (3 programs of 7 files: the products built from the folder, a
 * component each) and a table generator that uses nothing of the project
 * (a helper: with the largest program, which keeps its name though the
 * generator is bulkier); tools/ is mostly programs (a tool box: one
 * component with the formatting only they use); gen/'s two generators have
 * no such program beside them; tests/ is a driver with its tests; daemon/
 * a daemon's own folder; inc/ a header each main() uses.  The
 * store's files (server-store.c, server-net.c) share the server's name. */
static void plan_programs(void) {
    graph *g = scanfixture("plan_programs");
    REQUIRE(g != NULL);
    plan_options opt = {0};
    plan *p = cluster_plan(g, &opt);
    const plan_service *server = owner(p, "src/server.c"), *client = owner(p, "src/client.c"),
                       *tools = owner(p, "tools/dump.c");
    REQUIRE(server != NULL && client != NULL && tools != NULL);
    CHECK_INT(server->kind, PLAN_PROGRAM);
    CHECK_INT(client->kind, PLAN_PROGRAM);
    CHECK(server != client);
    CHECK_STR(server->name, "server");
    CHECK_STR(client->name, "client");
    CHECK(owner(p, "src/mktable.c") == client);
    CHECK(owner(p, "src/args.c") != client);
    const plan_service *store = owner(p, "src/server-store.c");
    REQUIRE(store != NULL);
    CHECK(store != server && store != client);
    /* the store's files share the prefix "server": the program named
     * after its main file keeps the name, the store takes its largest
     * file's */
    CHECK_STR(store->name, "server-net");
    CHECK_INT(tools->kind, PLAN_PROGRAM);
    CHECK(owner(p, "tools/count.c") == tools && owner(p, "tools/fmt.c") == tools);
    size_t gen = graph_find_func(g, "src/mktable.c:main");
    REQUIRE(gen != (size_t)-1);
    CHECK_STR(plan_reason_name(p->why[gen].reason), "program");
    CHECK(strstr(p->why_text.v[p->why[gen].text], "a program that calls nothing else of the "
                                                  "project, a helper of the programs") != NULL);
    /* gen/'s two generators, with no program that uses the project beside
     * them: one component of their own, apart from the tables' code */
    const plan_service *mk = owner(p, "gen/mkhash.c");
    REQUIRE(mk != NULL);
    CHECK_INT(mk->kind, PLAN_PROGRAM);
    CHECK(owner(p, "gen/mkerr.c") == mk);
    CHECK(owner(p, "gen/seeds.c") != mk);
    size_t hash = graph_find_func(g, "gen/mkhash.c:main");
    REQUIRE(hash != (size_t)-1);
    CHECK(strstr(p->why_text.v[p->why[hash].text], "one component with the 1 other such program "
                                                   "of folder gen") != NULL);
    /* tests/: a driver and the tests only it calls, which call the code
     * they test; nothing outside calls into the folder: the driver's own
     * code, not a service of tests (src/args.c, glue only the client
     * calls in a folder others call into, stays) */
    const plan_service *run = owner(p, "tests/test_store.c");
    REQUIRE(run != NULL);
    CHECK_INT(run->kind, PLAN_PROGRAM);
    CHECK(owner(p, "tests/test_store_hash.c") == run && owner(p, "tests/test_store_log.c") == run &&
          owner(p, "tests/test_net.c") == run);
    /* daemon/: a daemon's folder nothing outside calls into: its sources
     * are the program, serve.c too, which it reaches only through the
     * skeleton it hands it to; inc/check.h, a header whose inline check
     * each main() calls, is no program's entry */
    const plan_service *daemon = owner(p, "daemon/daemon.c");
    REQUIRE(daemon != NULL);
    CHECK_INT(daemon->kind, PLAN_PROGRAM);
    CHECK(owner(p, "daemon/serve.c") == daemon && owner(p, "daemon/parse.c") == daemon);
    CHECK(owner(p, "skel/skel.c") != daemon);
    const plan_service *check = owner(p, "inc/check.h");
    REQUIRE(check != NULL);
    CHECK(check->kind != PLAN_PROGRAM);
    plan_free(p);
    graph_free(g);
}

/* fixtures/plan_libfolder: src/common is mostly library code (string and
 * hash helpers three folders call); its info.c is stateless but only the
 * report calls it, too few callers for a library root.  A folder of
 * library code is a library folder: its other stateless code belongs to
 * the layer too (PostgreSQL's src/common/config_info.c); ctl.c, which
 * keeps state and calls a service, does not. */
static void plan_libfolder(void) {
    graph *g = scanfixture("plan_libfolder");
    REQUIRE(g != NULL);
    unsigned char *lib = xcalloc(g->funcs.n + 1, 1);
    cluster_library(g, lib);
    size_t info = graph_find_func(g, "build_info"), len = graph_find_func(g, "str_len"),
           ctl = graph_find_func(g, "ctl_read");
    REQUIRE(info != (size_t)-1 && len != (size_t)-1 && ctl != (size_t)-1);
    CHECK(lib[len] != 0);
    CHECK(lib[info] != 0);
    CHECK(lib[ctl] == 0);
    free(lib);
    graph_free(g);
}

/* fixtures/plan_entry: one main() in common-main.c calls cmd_main(),
 * which fetch.c and serve.c each define (Git links common-main.c into
 * each of its programs).  Both files are programs, one component with the
 * main, named for what it is rather than its largest file; os_init(), also
 * defined twice and called by main(), is called by the store too: a
 * helper two ports define, not an entry; os_setup(), which only main()
 * calls, is defined by the same two files, ports of one interface. */
static void plan_mains(void) {
    graph *g = scanfixture("plan_entry");
    REQUIRE(g != NULL);
    plan_options opt = {0};
    plan *p = cluster_plan(g, &opt);
    const plan_service *prog = owner(p, "src/common-main.c");
    REQUIRE(prog != NULL);
    CHECK_INT(prog->kind, PLAN_PROGRAM);
    CHECK_STR(prog->name, "programs");
    CHECK(owner(p, "src/fetch.c") == prog);
    CHECK(owner(p, "src/serve.c") == prog);
    CHECK(owner(p, "src/store.c") != prog);
    const plan_service *os = owner(p, "src/os-unix.c");
    REQUIRE(os != NULL);
    CHECK(os->kind != PLAN_PROGRAM);
    size_t entry = graph_find_func(g, "src/serve.c:cmd_main");
    if (entry == (size_t)-1) entry = graph_find_func(g, "cmd_main");
    REQUIRE(entry != (size_t)-1);
    CHECK_STR(plan_reason_name(p->why[entry].reason), "program");
    CHECK(strstr(p->why_text.v[p->why[entry].text],
                 "defines cmd_main(), which main() in src/common-main.c calls: a program, one "
                 "component with the 2 other programs of folder src") != NULL);
    plan_free(p);
    graph_free(g);
}

/* fixtures/plan_headers: a folder whose only code is a header's inline
 * fast path, which calls the store's service.  Compiled into each file
 * including it, it cannot sit behind a boundary: a library whatever it
 * calls, its call into the store an interface, and its callers call the
 * store through it, not it. */
static void plan_headers(void) {
    graph *g = scanfixture("plan_headers");
    REQUIRE(g != NULL);
    plan_options opt = {0};
    plan *p = cluster_plan(g, &opt);
    const plan_service *h = owner(p, "src/include/store/store.h"), *store = owner(p, "src/store/store.c");
    REQUIRE(h != NULL && store != NULL && h != store);
    CHECK_INT(h->kind, PLAN_LIBRARY);
    CHECK_INT(store->kind, PLAN_SERVICE);
    CHECK_STR(h->name, "include-store");
    size_t out = 0, in = 0;
    for (size_t i = 0; i < p->interfaces.n; i++) {
        out += &p->services.v[p->interfaces.v[i].from] == h && &p->services.v[p->interfaces.v[i].to] == store;
        in += &p->services.v[p->interfaces.v[i].to] == h;
    }
    CHECK_INT(out, 1);
    CHECK_INT(in, 0);
    plan_free(p);
    graph_free(g);
}

static void demo(void) {
    graph *g = scanfixture("demo");
    REQUIRE(g != NULL);
    plan_options opt = {0};
    plan *p = cluster_plan(g, &opt);
    /* the subsystems of fixtures/demo/README.md */
    const plan_service *bill = owner(p, "src/billing/invoice.c");
    CHECK(bill && bill == owner(p, "src/billing/payment.c"));
    const plan_service *ord = owner(p, "src/orders/order.c");
    CHECK(ord && ord == owner(p, "src/orders/handlers.c") && ord != bill);
    const plan_service *net = owner(p, "src/net/dispatch.c");
    CHECK(net && net == owner(p, "src/net/session.c"));
    const plan_service *util = owner(p, "src/util/hashtab.c");
    CHECK(util && util->kind == PLAN_LIBRARY && util == owner(p, "src/util/strbuf.c"));
    /* the dispatcher's handlers make the services' entry points */
    int found = 0;
    for (size_t i = 0; ord && i < ord->entry_points.n; i++)
        if (strcmp(g->funcs.v[ord->entry_points.v[i]].id, "orders_cmd_checkout") == 0) found = 1;
    CHECK(found);
    plan_free(p);

    /* serverless: one deployable function per entry point */
    opt.granularity = GRAN_FUNCTION;
    p = cluster_plan(g, &opt);
    size_t fns = 0, libs = 0;
    for (size_t i = 0; i < p->services.n; i++) {
        fns += p->services.v[i].kind == PLAN_FUNCTION;
        libs += p->services.v[i].kind == PLAN_LIBRARY;
    }
    CHECK(fns >= 10);
    CHECK(libs >= 1);
    size_t m = graph_find_func(g, "orders_cmd_checkout");
    CHECK(m != (size_t)-1 && p->assign[m] != PLAN_NONE &&
          p->services.v[p->assign[m]].kind == PLAN_FUNCTION);
    plan_free(p);
    graph_free(g);
}

/* Pins, keep-together and keep-apart are obeyed and reported. */
static void constraints(void) {
    graph *g = scanfixture("plan_three");
    REQUIRE(g != NULL);
    plan_options opt = {0};
    plan *p = cluster_plan(g, &opt);
    config *c = config_default();
    config_pin pin = {0};
    pin.service = xstrdup("frontdoor");
    strvec_push(&pin.functions, "main");
    strvec_push(&pin.files, "src/gamma/*_io.c");
    VEC_PUSH(c->plan.pins, pin);
    /* beta keeps state (beta_state), so the clustering makes it a service;
     * the pin declares it a library */
    config_pin lib = {0};
    lib.service = xstrdup("betalib");
    strvec_push(&lib.files, "src/beta/*.c");
    lib.kind = PLAN_LIBRARY;
    lib.kind_given = 1;
    VEC_PUSH(c->plan.pins, lib);
    strvec together = {0}, apart = {0};
    strvec_push(&together, "alpha_run");
    strvec_push(&together, "gamma_run");
    VEC_PUSH(c->plan.keep_together, together);
    strvec_push(&apart, "alpha_step");
    strvec_push(&apart, "src/alpha/alpha_core.c:alpha_mix");
    VEC_PUSH(c->plan.keep_apart, apart);
    constraints_apply(p, c);
    size_t s = plan_find_service(p, "frontdoor");
    CHECK(s != PLAN_NONE);
    size_t m = graph_find_func(g, "main"), gl = graph_find_func(g, "gamma_load");
    CHECK(p->assign[m] == s && p->assign[gl] == s);
    size_t ar = graph_find_func(g, "alpha_run"), rd = graph_find_func(g, "gamma_run");
    CHECK(p->assign[ar] == p->assign[rd]);
    size_t b = plan_find_service(p, "betalib"), br = graph_find_func(g, "beta_run");
    REQUIRE(b != PLAN_NONE);
    CHECK(p->assign[br] == b);
    CHECK_INT(p->services.v[b].kind, PLAN_LIBRARY);
    CHECK_STR(p->services.v[b].kind_from, "plan.pin[1]");
    for (size_t i = 0; i < p->interfaces.n; i++) CHECK(p->interfaces.v[i].to != b); /* linked in */
    size_t as = graph_find_func(g, "alpha_step"), am = graph_find_func(g, "src/alpha/alpha_core.c:alpha_mix");
    CHECK(p->assign[as] != p->assign[am]);
    CHECK(p->notes.n >= 3);
    int said = 0;
    for (size_t i = 0; i < p->notes.n; i++) said |= strstr(p->notes.v[i], "pinned to frontdoor") != NULL;
    CHECK(said);
    said = 0;
    for (size_t i = 0; i < p->notes.n; i++)
        said |= strstr(p->notes.v[i], "pinned to betalib (") &&
                strstr(p->notes.v[i], "a library by plan.pin[1].kind");
    CHECK(said);
    config_free(c);
    plan_free(p);
    graph_free(g);
}

static const test_case cases[] = {
    {"leiden_cliques", leiden_cliques},
    {"leiden_connected", leiden_connected},
    {"plan_three", plan_three},
    {"plan_layers", plan_layers},
    {"plan_plugins", plan_plugins},
    {"plan_platform", plan_platform},
    {"plan_platform_lib", plan_platform_lib},
    {"plan_platform_quarter", plan_platform_quarter},
    {"plan_librest", plan_librest},
    {"plan_context", plan_context},
    {"plan_headers", plan_headers},
    {"plan_entry", plan_mains},
    {"plan_libfolder", plan_libfolder},
    {"plan_peer", plan_peer},
    {"plan_hub", plan_hub},
    {"plan_programs", plan_programs},
    {"demo", demo},
    {"constraints", constraints},
};

int main(int argc, char **argv) {
    return test_main(argc, argv, cases, TEST_COUNT(cases));
}
