/*
 * cluster.c - from program graph to proposed boundaries (cluster.h).
 *
 * 1. Library code: functions that keep no global state (no access of
 *    theirs writes, as graph/state.h decides), call only library code, are
 *    called from several files and reach only a small part of the
 *    program.
 * 2. Modules (default granularity): the unit is the file.  Each folder is
 *    a module -- the folder structure is the codebase's own statement of
 *    its modules -- less the self-contained lower layers the calls show
 *    inside it (readline's folder holds the history library, Lua's flat
 *    folder its core); a folder holding most of the program is further
 *    split where Leiden finds a cohesive, loosely coupled part.  A module
 *    mostly made of library code is a library, linked into every service
 *    that needs it instead of a service everything calls over the
 *    network; the others are services.
 * 3. Serverless granularity: one deployable function per entry point
 *    holding what only it reaches (dominators over the call graph); code
 *    several entry points reach is library (when stateless, grouped per
 *    folder) or a shared service (Leiden over the weighted call and state
 *    graph: calls attract, more inside loops; writers of the same state
 *    attract through the state's node).
 *
 * Each step that places a function says why in the plan (p->why, "why
 * here", docs/clustering.md): the folder steps per file, then for its
 * functions; a later step that moves a function says so in its turn.
 *
 * Deterministic: every step iterates in index order.  Temporary arrays are
 * freed before returning; the returned plan owns its data.
 */
#include "plan/cluster.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plan/coarsen.h"
#include "plan/evidence.h"
#include "plan/leiden.h"
#include "util/strmap.h"

/* Weights of the clustering graph (docs/clustering.md). */
#define W_CALL 1.0          /* per call site, up to CALL_SITES_MAX */
#define CALL_SITES_MAX 3
#define W_LOOP 0.5          /* extra per loop level, up to LOOP_LEVELS_MAX */
#define LOOP_LEVELS_MAX 2   /* deeper nesting says no more about chattiness */
#define W_INDIRECT 0.3      /* a may-call through a pointer */
#define W_WRITE 2.0         /* function - state it writes */
#define W_READ 0.5          /* function - state it reads */
#define STATE_HUB 8.0       /* state touched by more functions is damped */
#define W_FILE_STATIC 2.0   /* static function - its file */
#define W_FILE_EXTERN 1.0   /* extern function - its file */
#define W_DIR 0.5           /* file - its folder, per unit of file weight */
#define LIB_CALLER_FILES 3  /* a library root is called from this many other files */
#define LIB_CALLER_DIRS 1   /* ... in this many other folders (unless the tree is flat) */
#define LIB_REACH_SHARE 0.02 /* ... and reaches at most this share of functions */
#define LIB_REACH_MIN 12
/* Infrastructure: a stateful function called from this share of the
 * program's files (and LIB_CALLER_FILES at least) that reaches at most
 * what a library root may: a logger, an error reporter, an allocator
 * keeping statistics.  Nearly everything calls it, so its state would make
 * nearly everything stateful; it is a library that keeps state instead. */
#define INFRA_CALLER_SHARE 0.10
#define DEFAULT_GAMMA 1.0   /* resolution inside a folder */
#define CUT_TAU 0.25        /* a part splits off a folder below this conductance */
#define MODULE_COHESION 0.5 /* ... and when most of its ties are internal */
#define LAYER_FILES 3       /* a self-contained layer of a folder: files ... */
#define LAYER_SHARE 0.10    /* ... and share of the folder's code, at least */
#define LAYER_MAX_SHARE 0.5 /* ... and share of its files, at most: a layer is below the rest */
/* Files that reach each other only through leaves (files calling no other
 * file of the folder) are one layer when they share LAYER_LEAVES of them:
 * one common callee is a utility both use, several are one library's
 * implementation.  A leaf that more than LAYER_LEAF_USERS groups call is a
 * utility of the whole folder and joins none. */
#define LAYER_LEAVES 2
/* A plug-in module (plugins()): at most this share of the sites calling it
 * from other modules name it; the rest go through registered pointers. */
#define PLUGIN_DIRECT_SHARE 0.10
#define LAYER_LEAF_USERS 16
#define FLAT_SHARE 0.60     /* a folder with this share of the code is split by dependencies */
/* Programs: a folder at least this share of whose files define main() is
 * a tool box (support/, tool/, examples/), one program component; fewer
 * programs among a folder's other code are the products built from it
 * (ssh, sshd and scp; lua and luac), a component each. */
#define PROGRAM_FOLDER_SHARE 0.5
#define LIB_MODULE_SHARE 0.5 /* a module mostly library code is a library */
/* A platform: a module that code in at least this share of the program's
 * other files calls by name (error reporting, memory contexts, a utilities
 * layer) is linked into everything, state and all, whatever it calls. */
#define PLATFORM_FILE_SHARE 0.5
#define PLATFORM_MIN_FILES 16 /* ... and 16 files at least: half of a small program is a few files */
/* ... and that sits below what it serves: the other components call into
 * it at least this many times as often (direct call sites) as it calls
 * into them.  Error reporting, memory contexts, string buffers make tens
 * of times more calls in than out; a core module that half the files
 * call but that calls back as much (an editor's buffer and command code)
 * is a peer, not a layer to link everywhere. */
#define PLATFORM_IN_OUT 3
/* ... or that code in a quarter of the other files calls, an order of
 * magnitude below what it serves: ten call sites in for each one out (a
 * function manager, a node library, a regex engine).  Breadth alone does
 * not tell a layer from a busy module (SQLite's build.c, Git's config.c,
 * Redis's networking.c: a quarter of their files call them, 4 to 7 calls
 * in per call out). */
#define PLATFORM_LAYER_SHARE 0.25
#define PLATFORM_LAYER_IN_OUT 10
/* A utility file (the support library pattern): called from UTIL_CALLERS
 * files or more, UTIL_RATIO times as many as it calls.  In a large folder
 * split by its evidence, it joins the module holding UTIL_OWN of its
 * callers (its own helper), or else the folder's utility group; in other
 * folders, utilities most of whose callers (UTIL_OUTSIDE) are in other
 * folders form the folder's part of the library layer when they are
 * LAYER_FILES files and UTIL_LAYER_SHARE of its code: a few small helpers
 * stay with their folder's service, a folder largely made of utilities the
 * others share (nginx's core) is largely a library. */
#define UTIL_CALLERS 5
#define UTIL_RATIO 3.0
#define UTIL_OWN 0.67
#define UTIL_OUTSIDE 0.5
#define UTIL_LAYER_SHARE 0.2
/* Calls into a file that more than CALL_HUB files of its folder call are
 * damped by CALL_HUB / callers: a provider everyone uses says nothing about
 * which of its callers' modules it belongs to. */
#define CALL_HUB 4.0
/* A community of a large folder with no lexical mark of its own joins the
 * one its calls tie it to most when half of its calls (as written, in and
 * out) go there: it is a part of that one, not a module beside it. */
#define MERGE_TAU 0.5
/* --services N searches the resolution between the default and this, by
 * bisection in the log, for at most RESOLUTION_STEPS steps: 64 splits any
 * folder of the trees tried into single files, and 20 halvings of that
 * range are finer than any change in the partition. */
#define RESOLUTION_MAX 64.0
#define RESOLUTION_STEPS 20

#define NONE ((size_t)-1)
#define PICKED ((size_t)-2) /* sharedutilities' mark, never a group */

/* Direct-call adjacency between defined functions, both directions. */
typedef struct adj {
    size_t *off, *to;   /* callees */
    size_t *ioff, *from; /* callers */
} adj;

static void adj_build(const graph *g, adj *a) {
    size_t n = g->funcs.n;
    a->off = xcalloc(n + 1, sizeof *a->off);
    a->ioff = xcalloc(n + 1, sizeof *a->ioff);
    for (size_t i = 0; i < g->calls.n; i++) {
        const gcall *c = &g->calls.v[i];
        if (c->indirect || !g->funcs.v[c->to].defined || c->from == c->to) continue;
        a->off[c->from + 1]++;
        a->ioff[c->to + 1]++;
    }
    for (size_t i = 0; i < n; i++) {
        a->off[i + 1] += a->off[i];
        a->ioff[i + 1] += a->ioff[i];
    }
    a->to = xmallocarray(a->off[n], sizeof *a->to);
    a->from = xmallocarray(a->ioff[n], sizeof *a->from);
    size_t *po = xmallocarray(n + 1, sizeof *po), *pi = xmallocarray(n + 1, sizeof *pi);
    memcpy(po, a->off, (n + 1) * sizeof *po);
    memcpy(pi, a->ioff, (n + 1) * sizeof *pi);
    for (size_t i = 0; i < g->calls.n; i++) {
        const gcall *c = &g->calls.v[i];
        if (c->indirect || !g->funcs.v[c->to].defined || c->from == c->to) continue;
        a->to[po[c->from]++] = c->to;
        a->from[pi[c->to]++] = c->from;
    }
    free(po);
    free(pi);
}

static void adj_free(adj *a) {
    free(a->off);
    free(a->to);
    free(a->ioff);
    free(a->from);
}

/* A growable array of indexes. */
typedef struct sizevec {
    size_t *v;
    size_t n, cap;
} sizevec;

/* Files and folders as numbers, each named once: ffile[f] (n = graph
 * functions) the file of each function (NONE: none), fdir->v[x] the folder
 * of file x; *nfile and *ndir their counts.  The caller frees fdir->v. */
static void fileindex(const graph *g, size_t *ffile, sizevec *fdir, size_t *nfile, size_t *ndir) {
    strmap *fileidx = strmap_new(), *diridx = strmap_new();
    *nfile = *ndir = 0;
    for (size_t f = 0; f < g->funcs.n; f++) {
        const gfunc *fn = &g->funcs.v[f];
        ffile[f] = NONE;
        if (!fn->file) continue;
        int added;
        ffile[f] = strmap_intern(fileidx, fn->file, *nfile, &added);
        if (!added) continue;
        (*nfile)++;
        char *d = path_dirname(fn->file);
        size_t di = strmap_intern(diridx, d, *ndir, &added);
        *ndir += (size_t)added;
        VEC_PUSH(*fdir, di);
        free(d);
    }
    strmap_free(fileidx);
    strmap_free(diridx);
}

/* Per graph function, whether it writes a global (the one sense of state
 * the whole program uses); the caller frees the result. */
static unsigned char *writers(const graph *g) {
    unsigned char *w = xcalloc(g->funcs.n ? g->funcs.n : 1, 1);
    for (size_t i = 0; i < g->accesses.n; i++)
        if (g->accesses.v[i].writes) w[g->accesses.v[i].function] = 1;
    return w;
}

/* Number of defined functions reachable from f by direct calls, counting
 * up to cap (stops early), not through a platform's functions (plat, or
 * NULL: what they reach is theirs).  mark/stack are scratch of n entries;
 * mark must be all zero on entry and is left zero. */
static size_t reach(const adj *a, size_t f, size_t cap, const unsigned char *plat,
                    unsigned char *mark, size_t *stack) {
    size_t top = 0, seen = 0;
    size_t *visited = stack; /* visited nodes are kept below `top` for unmarking */
    size_t lo = 0;
    visited[top++] = f;
    mark[f] = 1;
    while (lo < top && seen <= cap) {
        size_t v = visited[lo++];
        seen++;
        for (size_t p = a->off[v]; p < a->off[v + 1]; p++) {
            size_t u = a->to[p];
            if (!mark[u] && !(plat && plat[u])) {
                mark[u] = 1;
                visited[top++] = u;
            }
        }
    }
    for (size_t i = 0; i < top; i++) mark[visited[i]] = 0;
    return seen > cap ? cap + 1 : seen;
}

/* How the library layer reached a function, for "why here": the root
 * whose closure marked it first (from), and what made that root one. */
enum { ROOT_CALLED = 1, ROOT_HEADER = 2, ROOT_MATE = 3, ROOT_INFRA = 4, ROOT_FOLDER = 5, ROOT_PLATFORM = 6 };

typedef struct libwhy {
    size_t *from;       /* per function: its root, NONE outside the layer */
    unsigned char *how; /* per root: ROOT_* */
    size_t *files;      /* per root: other files calling it (ROOT_PLATFORM: the
                         * platform's function calling it) */
    size_t nfiles;      /* files of the program */
} libwhy;

static void libwhy_free(libwhy *w) {
    free(w->from);
    free(w->how);
    free(w->files);
}

/* Marks f and everything it calls as library, stopping at
 * infrastructure (which keeps its own mark) and platforms (plat, or NULL:
 * they stay in their own component); from[] records f as the root of what
 * it marks. */
static void libclosure(const adj *a, size_t f, const unsigned char *plat, unsigned char *lib,
                       size_t *stack, size_t *from) {
    size_t top = 0;
    stack[top++] = f;
    while (top) {
        size_t v = stack[--top];
        if (lib[v] || (plat && plat[v])) continue;
        lib[v] = LIB_CODE;
        from[v] = f;
        for (size_t p = a->off[v]; p < a->off[v + 1]; p++)
            if (!lib[a->to[p]]) stack[top++] = a->to[p];
    }
}

/*
 * Library candidates: defined functions that write no state and call only
 * candidates, as a greatest fixpoint.  Infrastructure (infra[f] set) never
 * disqualifies its callers, whatever it does itself: a logger or an
 * allocator with statistics is reached from everywhere, and its state is
 * its own.  Nor does a platform's function (plat[f], or plat NULL), which
 * is no candidate itself: it stays in its platform.  cand must hold n
 * entries; `work` is scratch of n.
 */
static void candidates(const graph *g, const adj *a, const unsigned char *infra,
                       const unsigned char *plat, unsigned char *cand, size_t *work) {
    size_t n = g->funcs.n, nw = 0;
    for (size_t i = 0; i < n; i++) cand[i] = g->funcs.v[i].defined && !(plat && plat[i]);
    for (size_t i = 0; i < g->accesses.n; i++)
        if (g->accesses.v[i].writes) cand[g->accesses.v[i].function] = 0;
    for (size_t i = 0; i < n; i++)
        if (!cand[i] && g->funcs.v[i].defined && !(infra && infra[i]) && !(plat && plat[i]))
            work[nw++] = i;
    while (nw) {
        size_t v = work[--nw];
        for (size_t p = a->ioff[v]; p < a->ioff[v + 1]; p++) {
            size_t u = a->from[p];
            if (!cand[u]) continue;
            cand[u] = 0;
            if (!(infra && infra[u]) && !(plat && plat[u])) work[nw++] = u;
        }
    }
}

/*
 * The root a library function is said to be reached from: the first root
 * of its own folder whose closure in the folder reaches it, else the first
 * whose closure marked it (from[] as libclosure left it); a root is its
 * own.  ffile/fdir give each function's folder; stack is scratch of n.
 */
static void nearroots(const graph *g, const adj *a, const unsigned char *lib, const size_t *ffile,
                      const size_t *fdir, libwhy *w, size_t *stack) {
    size_t n = g->funcs.n;
    size_t *near = xmallocarray(n, sizeof *near);
    for (size_t f = 0; f < n; f++) near[f] = w->how[f] && w->how[f] != ROOT_INFRA ? f : NONE;
    for (size_t r = 0; r < n; r++) {
        if (near[r] != r || ffile[r] == NONE) continue;
        size_t dir = fdir[ffile[r]], top = 0;
        stack[top++] = r;
        while (top) {
            size_t v = stack[--top];
            for (size_t p = a->off[v]; p < a->off[v + 1]; p++) {
                size_t u = a->to[p];
                if (near[u] != NONE || lib[u] != LIB_CODE || ffile[u] == NONE ||
                    fdir[ffile[u]] != dir)
                    continue;
                near[u] = r;
                stack[top++] = u;
            }
        }
    }
    for (size_t f = 0; f < n; f++)
        if (near[f] != NONE) w->from[f] = near[f];
    free(near);
}

/* cluster_library, with w (zeroed by the caller) told how each function
 * came into the layer; the caller frees w with libwhy_free.  plat (or
 * NULL) marks the functions of platforms (platforms()), linked in
 * everywhere: calling one costs a caller nothing, and what they reach is
 * theirs. */
static void librarylayer(const graph *g, const unsigned char *plat, unsigned char *lib, libwhy *w) {
    size_t n = g->funcs.n;
    memset(lib, 0, n);
    w->from = xmallocarray(n ? n : 1, sizeof *w->from);
    w->how = xcalloc(n ? n : 1, 1);
    w->files = xcalloc(n ? n : 1, sizeof *w->files);
    for (size_t f = 0; f < n; f++) w->from[f] = NONE;
    if (n == 0) return;
    adj a;
    adj_build(g, &a);
    unsigned char *cand = xcalloc(n, 1);
    size_t *work = xmallocarray(n, sizeof *work);
    candidates(g, &a, NULL, plat, cand, work);
    /* roots: called from several other files, reaching little */
    size_t defined = 0;
    for (size_t i = 0; i < n; i++) defined += g->funcs.v[i].defined;
    size_t cap = (size_t)(LIB_REACH_SHARE * (double)defined);
    if (cap < LIB_REACH_MIN) cap = LIB_REACH_MIN;
    unsigned char *mark = xcalloc(n, 1);
    size_t *stack = xmallocarray(n, sizeof *stack);
    /* files and folders as numbers, each named once: counting a function's
     * caller files and folders then takes stamps, not strings */
    size_t *ffile = xmallocarray(n, sizeof *ffile), nfile, ndir;
    sizevec fdir = {0};
    fileindex(g, ffile, &fdir, &nfile, &ndir);
    /* code per folder: where one folder holds most of the program (a flat
     * tree), callers from other folders cannot be asked for */
    double *dl = xcalloc(ndir, sizeof *dl);
    double total = 0;
    for (size_t f = 0; f < n; f++) {
        if (ffile[f] == NONE || !g->funcs.v[f].defined) continue;
        dl[fdir.v[ffile[f]]] += g->funcs.v[f].loc;
        total += g->funcs.v[f].loc;
    }
    size_t *filestamp = xcalloc(nfile, sizeof *filestamp);
    size_t *dirstamp = xcalloc(ndir, sizeof *dirstamp);
    /* infrastructure: a stateful function called from a large share of
     * the files (INFRA_CALLER_SHARE), reaching little, such as a logger or
     * an allocator with statistics; then the candidates again, without
     * letting it disqualify its callers, and infrastructure is what still
     * keeps state, with the stateful code it calls */
    unsigned char *infra = xcalloc(n, 1);
    int anyinfra = 0;
    for (size_t f = 0; f < n; f++) {
        if (cand[f] || !g->funcs.v[f].defined || ffile[f] == NONE || (plat && plat[f])) continue;
        size_t files = 0;
        for (size_t p = a.ioff[f]; p < a.ioff[f + 1]; p++) {
            size_t cf = ffile[a.from[p]];
            if (cf == NONE || cf == ffile[f] || filestamp[cf] == f + 1) continue;
            filestamp[cf] = f + 1;
            files++;
        }
        if (files < LIB_CALLER_FILES || (double)files < INFRA_CALLER_SHARE * (double)nfile) continue;
        if (reach(&a, f, cap, plat, mark, stack) > cap) continue;
        infra[f] = 1;
        w->files[f] = files;
        anyinfra = 1;
    }
    w->nfiles = nfile;
    memset(filestamp, 0, nfile * sizeof *filestamp);
    if (anyinfra) {
        candidates(g, &a, infra, plat, cand, work);
        size_t top = 0;
        for (size_t f = 0; f < n; f++) {
            infra[f] = infra[f] && !cand[f];
            if (!infra[f]) continue;
            stack[top++] = f;
            w->from[f] = f;
            w->how[f] = ROOT_INFRA;
        }
        while (top) {
            size_t v = stack[--top];
            for (size_t p = a.off[v]; p < a.off[v + 1]; p++) {
                size_t u = a.to[p];
                if (infra[u] || cand[u] || (plat && plat[u])) continue;
                infra[u] = 1;
                w->from[u] = w->from[v];
                stack[top++] = u;
            }
        }
        for (size_t f = 0; f < n; f++)
            if (infra[f]) lib[f] = LIB_INFRA;
    }
    free(infra);
    for (size_t f = 0; f < n; f++) {
        if (!cand[f] || !g->funcs.v[f].file) continue;
        const char *own = g->funcs.v[f].file;
        size_t ownfile = ffile[f], owndir = fdir.v[ownfile];
        int flat = dl[owndir] >= FLAT_SHARE * total;
        size_t nfiles = 0, ndirs = 0;
        for (size_t p = a.ioff[f]; p < a.ioff[f + 1]; p++) {
            size_t cf = ffile[a.from[p]];
            if (cf == NONE || cf == ownfile || filestamp[cf] == f + 1) continue;
            filestamp[cf] = f + 1;
            nfiles++;
            size_t cd = fdir.v[cf];
            if (cd != owndir && dirstamp[cd] != f + 1) {
                dirstamp[cd] = f + 1;
                ndirs++;
            }
        }
        /* shared means needed elsewhere: several files, and (unless the
         * tree is flat) other folders, not just the function's own */
        /* a function defined in a header is compiled into every file that
         * includes it: shared by construction */
        int header = path_is_header(own);
        if (!header && (nfiles < LIB_CALLER_FILES || (!flat && ndirs < LIB_CALLER_DIRS))) continue;
        if (reach(&a, f, cap, plat, mark, stack) > cap) continue;
        w->how[f] = header ? ROOT_HEADER : ROOT_CALLED;
        w->files[f] = nfiles;
        libclosure(&a, f, plat, lib, stack, w->from);
    }
    /* what a platform calls that keeps no state is linked in with it,
     * wherever the platform is: its helpers (Redis's siphash.c, which
     * only the platform's dict.c calls) are library code too */
    for (size_t f = 0; plat && f < n; f++) {
        if (!plat[f]) continue;
        for (size_t q = a.off[f]; q < a.off[f + 1]; q++) {
            size_t u = a.to[q];
            if (!cand[u] || lib[u] || plat[u] || ffile[u] == NONE) continue;
            if (reach(&a, u, cap, plat, mark, stack) > cap) continue;
            w->how[u] = ROOT_PLATFORM;
            w->files[u] = f; /* the platform function calling it */
            libclosure(&a, u, plat, lib, stack, w->from);
        }
    }
    free(filestamp);
    free(dirstamp);
    /* a file that holds library code is a utility module: its other
     * stateless functions belong to the library too */
    strmap *libfiles = strmap_new();
    for (size_t f = 0; f < n; f++)
        if (lib[f] == LIB_CODE && g->funcs.v[f].file) strmap_put(libfiles, g->funcs.v[f].file, 1);
    for (size_t f = 0; f < n; f++)
        if (cand[f] && !lib[f] && g->funcs.v[f].file &&
            strmap_get(libfiles, g->funcs.v[f].file, NULL)) {
            w->how[f] = ROOT_MATE;
            libclosure(&a, f, plat, lib, stack, w->from);
        }
    strmap_free(libfiles);
    /* a folder mostly of library code is a library folder: its other
     * stateless code, called from too few files to be a root itself
     * (src/common's config_info.c, which one file calls), is put there
     * to be shared, and belongs with it */
    double *dlib = xcalloc(ndir ? ndir : 1, sizeof *dlib); /* dl: each folder's code */
    for (size_t f = 0; f < n; f++)
        if (ffile[f] != NONE && g->funcs.v[f].defined && lib[f] == LIB_CODE)
            dlib[fdir.v[ffile[f]]] += g->funcs.v[f].loc;
    for (size_t f = 0; f < n; f++) {
        if (!cand[f] || lib[f] || ffile[f] == NONE) continue;
        size_t d = fdir.v[ffile[f]];
        if (dl[d] <= 0 || dlib[d] < LIB_MODULE_SHARE * dl[d]) continue;
        w->how[f] = ROOT_FOLDER;
        libclosure(&a, f, plat, lib, stack, w->from);
    }
    free(dlib);
    free(dl);
    nearroots(g, &a, lib, ffile, fdir.v, w, stack);
    free(fdir.v);
    free(ffile);
    free(stack);
    free(mark);
    free(work);
    free(cand);
    adj_free(&a);
}

void cluster_library(const graph *g, unsigned char *lib) {
    libwhy w = {0};
    librarylayer(g, NULL, lib, &w);
    libwhy_free(&w);
}

/* The sentence saying how library function f came into the layer
 * (docs/clustering.md, "Why here"); the caller frees it. */
static char *libsentence(const graph *g, const libwhy *w, size_t f) {
    size_t r = w->from[f];
    const char *file = g->funcs.v[r].file, *name = g->funcs.v[r].name;
    if (r == f) {
        switch (w->how[r]) {
            case ROOT_CALLED:
                return xasprintf("stateless, called from %zu other files and reaching little: a "
                                 "library root",
                                 w->files[r]);
            case ROOT_HEADER:
                return xasprintf("stateless and defined in header %s: compiled into every file "
                                 "including it",
                                 file);
            case ROOT_MATE: return xasprintf("stateless, and its file %s holds library code", file);
            case ROOT_PLATFORM:
                return xasprintf("stateless, and %s of a platform (%s) calls it: linked in with it",
                                 g->funcs.v[w->files[r]].name, g->funcs.v[w->files[r]].file);
            case ROOT_FOLDER: {
                char *d = path_dirname(file);
                char *t = xasprintf("stateless, and its folder %s is mostly library code", d);
                free(d);
                return t;
            }
            default:
                return xasprintf("keeps state, but %zu of the %zu files call it, as they would a "
                                 "logger or an allocator: infrastructure",
                                 w->files[r], w->nfiles);
        }
    }
    switch (w->how[r]) {
        case ROOT_CALLED:
            return xasprintf("stateless; reached from %s (called from %zu other files)", name,
                             w->files[r]);
        case ROOT_HEADER:
            return xasprintf("stateless; reached from %s, defined in header %s", name, file);
        case ROOT_MATE:
            return xasprintf("stateless; reached from %s, stateless in %s, a file of library code",
                             name, file);
        case ROOT_PLATFORM:
            return xasprintf("stateless; reached from %s, which %s of a platform calls", name,
                             g->funcs.v[w->files[r]].name);
        case ROOT_FOLDER:
            return xasprintf("stateless; reached from %s, stateless in %s, in a folder of library "
                             "code",
                             name, file);
        default:
            return xasprintf("stateful code that infrastructure %s calls (%zu of the %zu files "
                             "call it)",
                             name, w->files[r], w->nfiles);
    }
}

/* ---- the weighted graph -------------------------------------------------- */

/* Node numbering: functions in `fn`, then globals, files, folders. */
typedef struct wbuild {
    const graph *g;
    size_t *node;     /* graph function -> node, NONE when not clustered */
    size_t nfunc;     /* function nodes */
    strmap *keys;     /* "g:<id>", "f:<file>", "d:<dir>" -> node */
    size_t nnodes;
    wedges e;
} wbuild;

static size_t keynode(wbuild *b, const char *kind, const char *name) {
    char *k = xasprintf("%s:%s", kind, name);
    int added;
    size_t n = strmap_intern(b->keys, k, b->nnodes, &added);
    if (added) b->nnodes++;
    free(k);
    return n;
}

static double callweight(const gcall *c) {
    int sites = c->sites < CALL_SITES_MAX ? c->sites : CALL_SITES_MAX;
    int depth = c->loop_depth < LOOP_LEVELS_MAX ? c->loop_depth : LOOP_LEVELS_MAX;
    double w = W_CALL * sites * (1 + W_LOOP * depth);
    return c->indirect ? W_INDIRECT * w / W_CALL / (double)sites : w;
}

/* Builds the clustering graph over the functions with member[f] != 0. */
static wgraph *buildgraph(const graph *g, const unsigned char *member, wbuild *b) {
    size_t n = g->funcs.n;
    memset(b, 0, sizeof *b);
    b->g = g;
    b->node = xmallocarray(n, sizeof *b->node);
    for (size_t i = 0; i < n; i++) b->node[i] = member[i] ? b->nfunc++ : NONE;
    b->nnodes = b->nfunc;
    b->keys = strmap_new();
    for (size_t i = 0; i < g->calls.n; i++) {
        const gcall *c = &g->calls.v[i];
        size_t x = b->node[c->from], y = b->node[c->to];
        if (x == NONE || y == NONE || x == y) continue;
        wgraph_edge_add(&b->e, x, y, callweight(c));
    }
    /* state, damped for state many functions touch */
    size_t *touch = xcalloc(g->globals.n, sizeof *touch);
    for (size_t i = 0; i < g->accesses.n; i++) {
        const gaccess *a = &g->accesses.v[i];
        if (b->node[a->function] != NONE) touch[a->global]++;
    }
    for (size_t i = 0; i < g->accesses.n; i++) {
        const gaccess *a = &g->accesses.v[i];
        size_t x = b->node[a->function];
        if (x == NONE) continue;
        size_t s = keynode(b, "g", g->globals.v[a->global].id);
        double hub = touch[a->global] > STATE_HUB ? STATE_HUB / (double)touch[a->global] : 1.0;
        wgraph_edge_add(&b->e, x, s, (a->writes ? W_WRITE : W_READ) * hub);
    }
    free(touch);
    /* file and folder prior */
    strmap *fileweight = strmap_new();
    struct { double *v; size_t n, cap; } fw = {0};
    strvec filenames = {0};
    for (size_t f = 0; f < n; f++) {
        size_t x = b->node[f];
        const gfunc *fn = &g->funcs.v[f];
        if (x == NONE || !fn->file) continue;
        double w = fn->linkage == LINK_STATIC ? W_FILE_STATIC : W_FILE_EXTERN;
        wgraph_edge_add(&b->e, x, keynode(b, "f", fn->file), w);
        int added;
        size_t i = strmap_intern(fileweight, fn->file, filenames.n, &added);
        if (added) {
            strvec_push(&filenames, fn->file);
            VEC_PUSH(fw, 0.0);
        }
        fw.v[i] += w;
    }
    for (size_t i = 0; i < filenames.n; i++) {
        char *dir = path_dirname(filenames.v[i]);
        wgraph_edge_add(&b->e, keynode(b, "f", filenames.v[i]), keynode(b, "d", dir), W_DIR * fw.v[i]);
        free(dir);
    }
    strvec_free(&filenames);
    free(fw.v);
    strmap_free(fileweight);
    return wgraph_build(b->nnodes, &b->e);
}

static void wbuild_free(wbuild *b) {
    free(b->node);
    strmap_free(b->keys);
    wgraph_edges_free(&b->e);
}

/* Communities of the member functions at resolution gamma: comm[f] for
 * graph function f (NONE for non-members); returns the number of distinct
 * communities that hold functions. */
static size_t communities(const graph *g, const unsigned char *member, double gamma,
                          size_t *comm) {
    wbuild b;
    wgraph *w = buildgraph(g, member, &b);
    size_t *memb = xmallocarray(w->n, sizeof *memb);
    size_t k = leiden(w, gamma, memb);
    size_t *id = xmallocarray(k, sizeof *id);
    for (size_t i = 0; i < k; i++) id[i] = NONE;
    size_t used = 0;
    for (size_t f = 0; f < g->funcs.n; f++) {
        size_t x = b.node[f];
        if (x == NONE) {
            comm[f] = NONE;
            continue;
        }
        if (id[memb[x]] == NONE) id[memb[x]] = used++;
        comm[f] = id[memb[x]];
    }
    free(id);
    free(memb);
    wgraph_free(w);
    wbuild_free(&b);
    return used;
}

static void addlibraries(plan *p, const unsigned char *lib, const libwhy *lw);

/* ---- serverless granularity -------------------------------------------- */

/* Immediate dominators over the call graph from a virtual root that calls
 * every entry point (Cooper, Harvey & Kennedy's iterative algorithm on a
 * reverse post-order).  idom[f] = NONE for unreachable functions, n for
 * those only the root dominates. */
static void dominators(const graph *g, const adj *a, const unsigned char *entry,
                       const unsigned char *skip, size_t *idom) {
    size_t n = g->funcs.n, root = n;
    size_t *order = xmallocarray(n + 1, sizeof *order); /* reverse post-order */
    size_t *rpo = xmallocarray(n + 1, sizeof *rpo);     /* position in order */
    for (size_t i = 0; i <= n; i++) rpo[i] = NONE;
    /* iterative DFS for the post-order */
    size_t *stack = xmallocarray(n + 1, sizeof *stack), *it = xmallocarray(n + 1, sizeof *it);
    unsigned char *seen = xcalloc(n + 1, 1);
    size_t npost = 0, top = 0;
    size_t *post = xmallocarray(n + 1, sizeof *post);
    stack[top] = root;
    it[top++] = 0;
    seen[root] = 1;
    while (top) {
        size_t v = stack[top - 1];
        size_t next = NONE;
        if (v == root) {
            while (it[top - 1] < n && next == NONE) {
                size_t u = it[top - 1]++;
                if (entry[u] && !seen[u]) next = u;
            }
        } else {
            while (a->off[v] + it[top - 1] < a->off[v + 1] && next == NONE) {
                size_t u = a->to[a->off[v] + it[top - 1]++];
                if (!skip[u] && !seen[u]) next = u;
            }
        }
        if (next == NONE) {
            post[npost++] = v;
            top--;
        } else {
            seen[next] = 1;
            stack[top] = next;
            it[top++] = 0;
        }
    }
    for (size_t i = 0; i < npost; i++) {
        order[i] = post[npost - 1 - i];
        rpo[order[i]] = i;
    }
    for (size_t i = 0; i <= n; i++) idom[i] = NONE;
    idom[root] = root;
    for (int changed = 1; changed;) {
        changed = 0;
        for (size_t i = 1; i < npost; i++) {
            size_t v = order[i], nd = NONE;
            /* predecessors: the root (if an entry) and callers */
            if (entry[v]) nd = root;
            for (size_t p = a->ioff[v]; p < a->ioff[v + 1]; p++) {
                size_t u = a->from[p];
                if (skip[u] || idom[u] == NONE) continue;
                if (nd == NONE) {
                    nd = u;
                    continue;
                }
                size_t x = u, y = nd;
                while (x != y) {
                    while (rpo[x] > rpo[y]) x = idom[x];
                    while (rpo[y] > rpo[x]) y = idom[y];
                }
                nd = x;
            }
            if (nd != NONE && idom[v] != nd) {
                idom[v] = nd;
                changed = 1;
            }
        }
    }
    free(post);
    free(seen);
    free(it);
    free(stack);
    free(rpo);
    free(order);
}

/* Says why shared function f (reached from several entry points or
 * none) is not with one entry point: the entry points its callers belong
 * to (own[], NONE for shared code).  stamp is scratch of n + 1, never
 * holding f + 1 on entry. */
static char *sharedsentence(const plan *p, const adj *a, const size_t *idom, const size_t *own,
                            size_t f, size_t *stamp) {
    const graph *g = p->g;
    size_t k = 0, first[2] = {NONE, NONE};
    int via = 0;
    for (size_t q = a->ioff[f]; q < a->ioff[f + 1]; q++) {
        size_t u = a->from[q], e = own[u];
        if (e == NONE) {
            via = 1;
            continue;
        }
        if (stamp[e] == f + 1) continue;
        stamp[e] = f + 1;
        if (k < 2) first[k] = e;
        k++;
    }
    if (idom[f] == NONE) return xstrdup("no entry point reaches it by direct calls");
    strbuf b = {0};
    if (k == 0)
        strbuf_add(&b, "reached from several entry points, only through shared code");
    else if (k == 1)
        strbuf_printf(&b, "reached from entry point %s", g->funcs.v[first[0]].name);
    else
        strbuf_printf(&b, "reached from entry points %s, %s", g->funcs.v[first[0]].name,
                      g->funcs.v[first[1]].name);
    if (k > 2) strbuf_printf(&b, " and %zu more", k - 2);
    if (k && via) strbuf_add(&b, ", and through shared code");
    return b.v;
}

static void functionplan(plan *p, const unsigned char *lib, const libwhy *lw) {
    const graph *g = p->g;
    size_t n = g->funcs.n;
    adj a;
    adj_build(g, &a);
    /* entry points: main, handlers reached through pointers, exported
     * functions nothing calls */
    size_t *callers = xcalloc(n, sizeof *callers);
    for (size_t i = 0; i < g->calls.n; i++) callers[g->calls.v[i].to]++;
    unsigned char *entry = xcalloc(n ? n : 1, 1);
    for (size_t f = 0; f < n; f++) {
        const gfunc *fn = &g->funcs.v[f];
        if (!fn->defined || lib[f]) continue;
        entry[f] = strcmp(fn->name, "main") == 0 || fn->address_taken ||
                   (fn->linkage == LINK_EXTERN && callers[f] == 0);
    }
    size_t *idom = xmallocarray(n + 1, sizeof *idom);
    dominators(g, &a, entry, lib, idom);
    /* each entry point is a function; what it dominates travels with it */
    size_t *svc = xmallocarray(n, sizeof *svc);
    for (size_t f = 0; f < n; f++) svc[f] = entry[f] ? plan_add_service(p, PLAN_FUNCTION) : NONE;
    unsigned char *shared = xcalloc(n ? n : 1, 1);
    /* why: an entry point is one for what nothing else is, the rest by the
     * entry point they are only reached from (once per entry point) */
    size_t kinds[3] = {
        plan_why_text(p, xstrdup("main: an entry point of its own")),
        plan_why_text(p, xstrdup("its address is taken (a handler, a callback): an entry "
                                 "point of its own")),
        plan_why_text(p, xstrdup("extern and called from nowhere in the project: an entry "
                                 "point of its own"))};
    size_t *own = xmallocarray(n + 1, sizeof *own), *said = xcalloc(n + 1, sizeof *said);
    for (size_t f = 0; f < n; f++) {
        own[f] = NONE;
        if (!g->funcs.v[f].defined || lib[f]) continue;
        size_t d = f;
        /* climb to the nearest dominating entry point */
        while (d != NONE && d != n && !entry[d]) d = idom[d];
        if (d != NONE && d != n && entry[d]) {
            p->assign[f] = svc[d];
            own[f] = d;
            const gfunc *fn = &g->funcs.v[f];
            if (d == f) {
                plan_why_set(p, f, PLAN_WHY_TRIGGER,
                             kinds[strcmp(fn->name, "main") == 0 ? 0
                                   : fn->address_taken           ? 1
                                                                 : 2]);
                continue;
            }
            if (!said[d])
                said[d] = 1 + plan_why_text(p, xasprintf("only reached from entry point %s",
                                                         g->funcs.v[d].name));
            plan_why_set(p, f, PLAN_WHY_TRIGGER, said[d] - 1);
        } else {
            shared[f] = 1; /* reached from several entries, or from none */
        }
    }
    for (size_t f = 0; f <= n; f++) said[f] = 0; /* sharedsentence's stamps */
    for (size_t f = 0; f < n; f++)
        if (shared[f])
            plan_why_set(p, f, PLAN_WHY_SHARED,
                         plan_why_text(p, sharedsentence(p, &a, idom, own, f, said)));
    free(said);
    free(own);
    /* shared code: stateless -> library, the rest -> shared services */
    addlibraries(p, lib, lw);
    size_t *comm = xmallocarray(n, sizeof *comm);
    size_t k = communities(g, shared, 1.0, comm);
    size_t base = p->services.n;
    for (size_t i = 0; i < k; i++) plan_add_service(p, PLAN_SERVICE);
    for (size_t f = 0; f < n; f++)
        if (shared[f]) p->assign[f] = base + comm[f];
    free(comm);
    free(shared);
    free(svc);
    free(idom);
    free(entry);
    free(callers);
    adj_free(&a);
}

/* ---- service granularity: folders split by loosely coupled parts -------- */

/* Why each file is in its group, as the last foldergroups run decided:
 * a reason (enum plan_reason) and a sentence of texts.  folderplan hands
 * them to the plan's functions. */
typedef struct filewhy {
    unsigned char *reason; /* per file */
    size_t *text;          /* per file: index into texts */
    strvec texts;
} filewhy;

/* Records why file i is in its group: reason, and a sentence of whytext's. */
static void whyfile(filewhy *w, size_t i, unsigned reason, size_t text) {
    w->reason[i] = (unsigned char)reason;
    w->text[i] = text;
}

/* Stores a sentence (taking it); returns its index. */
static size_t whytext(filewhy *w, char *text) {
    strvec_push_owned(&w->texts, text);
    return w->texts.n - 1;
}

/* The folder of a file as a sentence says it: "folder src/net", "the top
 * folder"; the caller frees it. */
static char *foldername(const char *file) {
    char *d = path_dirname(file);
    char *r = strcmp(d, ".") != 0 ? xasprintf("folder %s", d) : xstrdup("the top folder");
    free(d);
    return r;
}

/* A call from file a to function or file b: graph call `call`, weighed w. */
struct fcall {
    size_t a, b;
    double w;
    size_t call;
};

/* Files of the member functions and the weighted graph between them: file
 * nodes 0..nfiles-1, then one node per global state item. */
typedef struct fgraph {
    strvec files;   /* sorted */
    size_t *ffile;  /* graph function -> file node, NONE for non-members */
    double *loc;    /* lines of code of each file's member functions */
    double *libloc; /* ... of them library code (folderplan sets it; else NULL) */
    const unsigned char *lib; /* per graph function, cluster_library's mark (or NULL) */
    const unsigned char *plat; /* per graph function, in a platform (or NULL: none known) */
    double total;   /* ... of all files */
    unsigned char *writes; /* file writes (or hands out the address of) global state */
    size_t nnodes;
    const graph *g;
    wgraph *w;      /* the weighted graph, built when first needed (fgraph_weights) */
    size_t *coff, *cto; /* file a calls file b directly, one per call edge: the
                           callees of a are cto[coff[a] .. coff[a + 1]), in call order */
    double *cw;         /* ... with the weight of each */
    size_t *ccall;      /* ... and its graph call */
    size_t *ncallers, *ncallees; /* distinct other files calling it, and it calls (direct) */
    size_t *roff, *rfrom;        /* the files calling file b: rfrom[roff[b] .. roff[b + 1]),
                                    distinct, in order */
    unsigned char *hasmain;      /* the file defines main(), or its program's entry: a program */
    const char **entry;          /* ... the entry's name when it is not main() (entryfiles) */
    size_t *entrymain;           /* ... then the file of the main() calling it */
    evidence *ev;                /* lexical features, made when first needed (fgraph_evidence) */
    filewhy *why;                /* folderplan's record of why each file is where it is
                                    (NULL when nobody asks) */
} fgraph;

/*
 * Marks the files of programs: those defining main(), and those defining
 * a program's own entry that a shared main() calls.  Git links one
 * common-main.c, whose main() calls cmd_main(), into each of its programs
 * (git.c, daemon.c, shell.c ... each define cmd_main): a function that main()
 * calls directly, that two or more files define and that only main()
 * calls, is such an entry, and each file defining it is a program.  One
 * definition is a plain callee; a name anything else also calls is a
 * helper that several builds define, and files that define most of
 * their other external names in common are ports of one interface: not
 * entries.
 */
static void entryfiles(fgraph *fg) {
    const graph *g = fg->g;
    size_t n = g->funcs.n;
    unsigned char *ismain = xcalloc(n ? n : 1, 1);
    size_t nmain = 0;
    for (size_t f = 0; f < n; f++)
        if (strcmp(g->funcs.v[f].name, "main") == 0) {
            ismain[f] = 1;
            nmain++;
            if (fg->ffile[f] != NONE) fg->hasmain[fg->ffile[f]] = 1;
        }
    strmap *cand = NULL;
    size_t *cf = NULL, *first = NULL, *mfile = NULL;
    unsigned char *bad = NULL;
    size_t nc = 0;
    if (nmain == 0) goto cleanup;
    /* the names main() calls directly (usually a few dozen) */
    cand = strmap_new();
    for (size_t i = 0; i < g->calls.n; i++) {
        const gcall *c = &g->calls.v[i];
        if (!ismain[c->from] || c->indirect || ismain[c->to]) continue;
        int added;
        strmap_intern(cand, g->funcs.v[c->to].name, nc, &added);
        nc += added;
    }
    if (nc == 0) goto cleanup;
    cf = xmallocarray(n, sizeof *cf);
    first = xmallocarray(nc, sizeof *first);
    mfile = xmallocarray(nc, sizeof *mfile);
    bad = xcalloc(nc, 1); /* 1: called by other than main, 2: also defined in a second file,
                             4: its files are ports, defining most other names in common */
    for (size_t k = 0; k < nc; k++) first[k] = mfile[k] = NONE;
    for (size_t f = 0; f < n; f++) {
        size_t k;
        cf[f] = NONE;
        /* a function a header defines is compiled into every file that
         * includes it: no program's entry (Postfix's mail_server.h checks
         * the arguments of each daemon's main() with inline functions) */
        if (fg->ffile[f] == NONE || path_is_header(g->funcs.v[f].file) ||
            !strmap_get(cand, g->funcs.v[f].name, &k))
            continue;
        cf[f] = k;
        if (first[k] == NONE) first[k] = fg->ffile[f];
        else if (first[k] != fg->ffile[f]) bad[k] |= 2;
    }
    for (size_t i = 0; i < g->calls.n; i++) {
        const gcall *c = &g->calls.v[i];
        size_t k = cf[c->to];
        if (k == NONE) continue;
        if (!ismain[c->from]) bad[k] |= 1;
        else if (fg->ffile[c->from] != NONE && mfile[k] == NONE) mfile[k] = fg->ffile[c->from];
    }
    /* files most of whose other external names are defined by another of
     * them too implement one interface twice (two ports of os_init(),
     * os_read() ...), and a build links one of them: not programs (Git's
     * git.c and scalar.c share one hook, load_builtin_commands, of their
     * dozens) */
    unsigned char *defines = NULL;
    for (size_t k = 0; k < nc; k++) {
        if (bad[k] != 2) continue;
        if (!defines) defines = xmallocarray(fg->files.n ? fg->files.n : 1, 1);
        memset(defines, 0, fg->files.n);
        for (size_t f = 0; f < n; f++)
            if (cf[f] == k) defines[fg->ffile[f]] = 1;
        /* name -> its first file, then NONE once a second defines it */
        strmap *names = strmap_new();
        size_t total = 0, shared = 0;
        for (size_t f = 0; f < n; f++) {
            size_t v = fg->ffile[f], at;
            if (v == NONE || !defines[v] || cf[f] == k || g->funcs.v[f].linkage != LINK_EXTERN)
                continue;
            if (!strmap_get(names, g->funcs.v[f].name, &at)) {
                strmap_put(names, g->funcs.v[f].name, v);
                total++;
            } else if (at != v && at != NONE) {
                strmap_put(names, g->funcs.v[f].name, NONE);
                shared++;
            }
        }
        strmap_free(names);
        if (shared && 2 * shared >= total) bad[k] |= 4;
    }
    free(defines);
    for (size_t f = 0; f < n; f++) {
        size_t k = cf[f], v = fg->ffile[f];
        if (k == NONE || bad[k] != 2 || mfile[k] == NONE || fg->hasmain[v]) continue;
        fg->hasmain[v] = 1;
        fg->entry[v] = g->funcs.v[f].name;
        fg->entrymain[v] = mfile[k];
    }
cleanup:
    free(bad);
    free(mfile);
    free(first);
    free(cf);
    strmap_free(cand);
    free(ismain);
}

static void fgraph_build(const graph *g, const unsigned char *member, fgraph *fg) {
    size_t n = g->funcs.n;
    memset(fg, 0, sizeof *fg);
    fg->g = g;
    strmap *idx = strmap_new();
    for (size_t f = 0; f < n; f++) {
        int added;
        if (!member[f] || !g->funcs.v[f].file) continue;
        strmap_intern(idx, g->funcs.v[f].file, 0, &added);
        if (added) strvec_push(&fg->files, g->funcs.v[f].file);
    }
    strvec_sort(&fg->files);
    for (size_t i = 0; i < fg->files.n; i++) strmap_put(idx, fg->files.v[i], i);
    fg->ffile = xmallocarray(n, sizeof *fg->ffile);
    for (size_t f = 0; f < n; f++) {
        size_t i = NONE;
        if (member[f] && g->funcs.v[f].file) strmap_get(idx, g->funcs.v[f].file, &i);
        fg->ffile[f] = i;
    }
    strmap_free(idx);
    size_t nf = fg->files.n;
    fg->nnodes = nf + g->globals.n;
    fg->loc = xcalloc(nf, sizeof *fg->loc);
    for (size_t f = 0; f < n; f++)
        if (fg->ffile[f] != NONE) {
            double l = g->funcs.v[f].loc > 0 ? g->funcs.v[f].loc : 1;
            fg->loc[fg->ffile[f]] += l;
            fg->total += l;
        }
    /* the direct calls between member files, counted by calling file, then
     * placed (no list of them all first: a million-function program has
     * millions) */
    fg->coff = xcalloc(nf + 1, sizeof *fg->coff);
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < g->calls.n; i++) {
            const gcall *c = &g->calls.v[i];
            size_t a = fg->ffile[c->from], b = fg->ffile[c->to];
            if (a == NONE || b == NONE || a == b || c->indirect) continue;
            if (pass == 0) {
                fg->coff[a + 1]++;
                continue;
            }
            size_t k = fg->coff[a + 1]++;
            fg->cto[k] = b;
            fg->cw[k] = callweight(c);
            fg->ccall[k] = i;
        }
        if (pass == 0) {
            for (size_t i = 0; i < nf; i++) fg->coff[i + 1] += fg->coff[i];
            fg->cto = xmallocarray(fg->coff[nf], sizeof *fg->cto);
            fg->cw = xmallocarray(fg->coff[nf], sizeof *fg->cw);
            fg->ccall = xmallocarray(fg->coff[nf], sizeof *fg->ccall);
            /* filled from coff[a] on: coff[a + 1] runs as the fill point */
            for (size_t a = nf; a-- > 0;) fg->coff[a + 1] = fg->coff[a];
        }
    }
    fg->writes = xcalloc(nf ? nf : 1, 1);
    for (size_t i = 0; i < g->accesses.n; i++) {
        size_t x = fg->ffile[g->accesses.v[i].function];
        if (x != NONE && g->accesses.v[i].writes) fg->writes[x] = 1;
    }
    /* distinct caller and callee files, by stamps; the callers of each */
    fg->ncallers = xcalloc(nf, sizeof *fg->ncallers);
    fg->ncallees = xcalloc(nf, sizeof *fg->ncallees);
    fg->roff = xcalloc(nf + 1, sizeof *fg->roff);
    size_t *stamp = xcalloc(nf, sizeof *stamp);
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < nf; i++) stamp[i] = 0;
        for (size_t a = 0; a < nf; a++)
            for (size_t p = fg->coff[a]; p < fg->coff[a + 1]; p++) {
                size_t b = fg->cto[p];
                if (stamp[b] == a + 1) continue;
                stamp[b] = a + 1;
                if (pass == 0) {
                    fg->ncallees[a]++;
                    fg->ncallers[b]++;
                } else {
                    fg->rfrom[fg->roff[b + 1]++] = a;
                }
            }
        if (pass == 0) {
            size_t sum = 0;
            for (size_t b = 0; b < nf; b++) {
                fg->roff[b] = sum;
                sum += fg->ncallers[b];
            }
            fg->roff[nf] = sum;
            fg->rfrom = xmallocarray(sum, sizeof *fg->rfrom);
            /* filled from roff[b] on: roff[b + 1] runs as the fill point */
            for (size_t b = nf; b-- > 0;) fg->roff[b + 1] = fg->roff[b];
        }
    }
    free(stamp);
    fg->hasmain = xcalloc(nf, 1);
    fg->entry = xcalloc(nf ? nf : 1, sizeof *fg->entry);
    fg->entrymain = xcalloc(nf ? nf : 1, sizeof *fg->entrymain);
    entryfiles(fg);
}

static const evidence *fgraph_evidence(fgraph *fg) {
    if (!fg->ev)
        fg->ev = evidence_new(fg->g, (const char *const *)fg->files.v, fg->files.n, fg->ffile);
    return fg->ev;
}

/* The weighted graph between the files and the state they touch: built
 * only for the folders Leiden splits (a flat tree, --services), as it
 * holds every call and access twice. */
static const wgraph *fgraph_weights(fgraph *fg) {
    if (fg->w) return fg->w;
    const graph *g = fg->g;
    size_t nf = fg->files.n;
    wedges e = {0};
    for (size_t i = 0; i < g->calls.n; i++) {
        const gcall *c = &g->calls.v[i];
        size_t a = fg->ffile[c->from], b = fg->ffile[c->to];
        if (a == NONE || b == NONE || a == b) continue;
        wgraph_edge_add(&e, a, b, callweight(c));
    }
    size_t *touch = xcalloc(g->globals.n, sizeof *touch);
    for (size_t i = 0; i < g->accesses.n; i++)
        if (fg->ffile[g->accesses.v[i].function] != NONE) touch[g->accesses.v[i].global]++;
    for (size_t i = 0; i < g->accesses.n; i++) {
        const gaccess *a = &g->accesses.v[i];
        size_t x = fg->ffile[a->function];
        if (x == NONE) continue;
        double hub = touch[a->global] > STATE_HUB ? STATE_HUB / (double)touch[a->global] : 1.0;
        wgraph_edge_add(&e, x, nf + a->global, (a->writes ? W_WRITE : W_READ) * hub);
    }
    free(touch);
    fg->w = wgraph_build(fg->nnodes, &e);
    wgraph_edges_free(&e);
    return fg->w;
}

static void fgraph_free(fgraph *fg) {
    evidence_free(fg->ev);
    free(fg->ncallers);
    free(fg->ncallees);
    free(fg->roff);
    free(fg->rfrom);
    free(fg->hasmain);
    free(fg->entry);
    free(fg->entrymain);
    strvec_free(&fg->files);
    free(fg->ffile);
    free(fg->loc);
    free(fg->libloc);
    free(fg->writes);
    free(fg->cw);
    free(fg->ccall);
    free(fg->coff);
    free(fg->cto);
    wgraph_free(fg->w);
}

/* The files of each folder: folders in order of their first file, a
 * folder's files in path order (they need not be contiguous: "a/x.c",
 * "a/b/y.c", "a/z.c").  Folder d holds (*members)[(*off)[d] ..
 * (*off)[d + 1]); returns the number of folders.  The caller frees both
 * arrays. */
static size_t folders(const fgraph *fg, size_t **off, size_t **members) {
    size_t nf = fg->files.n, nd = 0;
    size_t *dir = xmallocarray(nf, sizeof *dir);
    strmap *idx = strmap_new();
    for (size_t i = 0; i < nf; i++) {
        char *d = path_dirname(fg->files.v[i]);
        int added;
        dir[i] = strmap_intern(idx, d, nd, &added);
        nd += (size_t)added;
        free(d);
    }
    strmap_free(idx);
    *off = xcalloc(nd + 1, sizeof **off);
    *members = xmallocarray(nf, sizeof **members);
    for (size_t i = 0; i < nf; i++) (*off)[dir[i] + 1]++;
    for (size_t d = 0; d < nd; d++) (*off)[d + 1] += (*off)[d];
    size_t *pos = xmallocarray(nd + 1, sizeof *pos);
    memcpy(pos, *off, (nd + 1) * sizeof *pos);
    for (size_t i = 0; i < nf; i++) (*members)[pos[dir[i]]++] = i;
    free(pos);
    free(dir);
    return nd;
}

/* n entries of NONE; the caller frees it. */
static size_t *scratch(size_t n) {
    size_t *v = xmallocarray(n, sizeof *v);
    for (size_t i = 0; i < n; i++) v[i] = NONE;
    return v;
}

/*
 * Splits the files of one folder (nodes listed in `nodes`) into groups:
 * Leiden at resolution gamma on the folder's part of the graph proposes
 * communities, and a community becomes its own group only when it is
 * loosely coupled to the rest of the folder (conductance below tau); the
 * others stay together.  group[file] receives a group number from *next.
 * `local` is scratch of w->n entries, all NONE on entry and on return, so
 * that a call costs the folder's part of the graph, not the whole graph.
 */
static void splitfolder(const fgraph *fg, const wgraph *w, const size_t *nodes, size_t nn,
                        double gamma, double tau, size_t *local, size_t *group, size_t *next) {
    /* local graph: the folder's files and the state they touch */
    size_t nl = 0;
    for (size_t i = 0; i < nn; i++) local[nodes[i]] = nl++;
    size_t nfiles = nl;
    wedges le = {0};
    for (size_t i = 0; i < nn; i++) {
        size_t v = nodes[i];
        for (size_t p = w->off[v]; p < w->off[v + 1]; p++) {
            size_t u = w->adj[p];
            if (u < fg->files.n) {
                if (local[u] != NONE && u > v) wgraph_edge_add(&le, local[v], local[u], w->w[p]);
            } else {
                if (local[u] == NONE) local[u] = nl++;
                wgraph_edge_add(&le, local[v], local[u], w->w[p]);
            }
        }
    }
    wgraph *lg = wgraph_build(nl, &le);
    for (size_t i = 0; i < nn; i++) {
        local[nodes[i]] = NONE;
        for (size_t p = w->off[nodes[i]]; p < w->off[nodes[i] + 1]; p++) local[w->adj[p]] = NONE;
    }
    size_t *memb = xmallocarray(nl, sizeof *memb);
    size_t k = leiden(lg, gamma, memb);
    double *vol = xcalloc(k, sizeof *vol), *cut = xcalloc(k, sizeof *cut);
    size_t *nfile = xcalloc(k, sizeof *nfile);
    for (size_t v = 0; v < nl; v++) {
        if (v < nfiles) nfile[memb[v]]++;
        for (size_t p = lg->off[v]; p < lg->off[v + 1]; p++) {
            vol[memb[v]] += lg->w[p];
            if (memb[lg->adj[p]] != memb[v]) cut[memb[v]] += lg->w[p];
        }
    }
    /* the community holding the most volume is the folder's remainder */
    size_t rest = 0;
    for (size_t c = 1; c < k; c++)
        if (vol[c] > vol[rest]) rest = c;
    size_t *gid = xmallocarray(k, sizeof *gid);
    size_t restgid = (*next)++;
    for (size_t c = 0; c < k; c++) {
        double other = lg->total - vol[c];
        double phi = cut[c] / (vol[c] < other ? vol[c] : other);
        /* evidence of a module: several files, mostly tied to each other
         * (cohesion), and loosely tied to the rest of the folder; files
         * that are merely unrelated stay with their folder */
        double cohesion = vol[c] > 0 ? 1 - cut[c] / vol[c] : 0;
        int module = nfile[c] >= 2 && cohesion >= MODULE_COHESION && phi < tau;
        gid[c] = c != rest && module ? NONE : restgid;
    }
    for (size_t i = 0; i < nfiles; i++) {
        size_t c = memb[i];
        if (gid[c] == NONE) gid[c] = (*next)++;
        group[nodes[i]] = gid[c];
    }
    free(gid);
    free(nfile);
    free(vol);
    free(cut);
    free(memb);
    wgraph_free(lg);
    wgraph_edges_free(&le);
}

static size_t uf_find(size_t *parent, size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
}

/* Pair (a, b) of group roots, a < b, for counting shared leaves. */
typedef struct rootpair {
    size_t a, b;
} rootpair;

static int rootpair_cmp(const void *x, const void *y) {
    const rootpair *p = x, *q = y;
    if (p->a != q->a) return p->a < q->a ? -1 : 1;
    return p->b < q->b ? -1 : p->b > q->b;
}

/* The leaf rules of layers(), over the folder's local call lists (off,
 * to): groups of closed files (parent) that share LAYER_LEAVES leaves
 * become one, then each leaf joins the group with the most files calling
 * it (the lowest root on a tie). */
static void leafglue(const size_t *off, const size_t *to, size_t nn, const unsigned char *closed,
                     const unsigned char *helper, const unsigned char *leaf, size_t *parent) {
    /* callers[leaf] as (leaf, caller) pairs, sorted by leaf */
    size_t ne = 0;
    for (size_t v = 0; v < nn; v++)
        if (closed[v] && !helper[v] && !leaf[v])
            for (size_t p = off[v]; p < off[v + 1]; p++) ne += leaf[to[p]] && to[p] != v;
    rootpair *use = xmallocarray(ne + 1, sizeof *use), *pairs = NULL;
    size_t nu = 0, np = 0, cap = 0;
    for (size_t v = 0; v < nn; v++)
        if (closed[v] && !helper[v] && !leaf[v])
            for (size_t p = off[v]; p < off[v + 1]; p++)
                if (leaf[to[p]] && to[p] != v) use[nu++] = (rootpair){to[p], v};
    qsort(use, nu, sizeof *use, rootpair_cmp);
    size_t *roots = xmallocarray(nu + 1, sizeof *roots); /* a caller once per call edge */
    for (size_t i = 0; i < nu;) {
        size_t j = i, nr = 0;
        for (; j < nu && use[j].a == use[i].a; j++) roots[nr++] = uf_find(parent, use[j].b);
        qsort(roots, nr, sizeof *roots, size_cmp);
        size_t k = 0;
        for (size_t x = 0; x < nr; x++)
            if (k == 0 || roots[x] != roots[k - 1]) roots[k++] = roots[x];
        for (size_t x = 0; k <= LAYER_LEAF_USERS && x < k; x++)
            for (size_t y = x + 1; y < k; y++) {
                if (np == cap) pairs = xreallocarray(pairs, cap = cap ? 2 * cap : 64, sizeof *pairs);
                pairs[np++] = (rootpair){roots[x], roots[y]};
            }
        i = j;
    }
    if (np) qsort(pairs, np, sizeof *pairs, rootpair_cmp);
    for (size_t i = 0; i < np;) {
        size_t j = i;
        while (j < np && pairs[j].a == pairs[i].a && pairs[j].b == pairs[i].b) j++;
        if (j - i >= LAYER_LEAVES) parent[uf_find(parent, pairs[i].b)] = uf_find(parent, pairs[i].a);
        i = j;
    }
    /* each leaf to the group most of its callers are in */
    for (size_t i = 0; i < nu;) {
        size_t j = i, nr = 0;
        for (; j < nu && use[j].a == use[i].a; j++) roots[nr++] = uf_find(parent, use[j].b);
        qsort(roots, nr, sizeof *roots, size_cmp);
        size_t best = NONE, bestn = 0;
        for (size_t x = 0; x < nr;) {
            size_t y = x;
            while (y < nr && roots[y] == roots[x]) y++;
            if (y - x > bestn) best = roots[x], bestn = y - x;
            x = y;
        }
        if (nr <= LAYER_LEAF_USERS || bestn * 2 > nr) parent[use[i].a] = best;
        i = j;
    }
    free(roots);
    free(pairs);
    free(use);
}

/* Files files[0 .. n) (n >= 1) as a reader takes them in: the pattern
 * their names share ("hist*.c"), else the first few names ("lapi.c,
 * lcode.c and 9 more"); the caller frees it. */
static char *filelist(const fgraph *fg, const size_t *files, size_t n) {
    const char *first = path_basename(fg->files.v[files[0]]);
    const char *ext = strrchr(first, '.');
    size_t common = ext ? (size_t)(ext - first) : strlen(first);
    for (size_t i = 1; i < n; i++) {
        const char *b = path_basename(fg->files.v[files[i]]), *e = strrchr(b, '.');
        size_t l = 0;
        while (l < common && b[l] == first[l]) l++;
        common = l;
        if ((e == NULL) != (ext == NULL) || (e && strcmp(e, ext) != 0)) ext = NULL;
    }
    if (n > 1 && common >= 3) return xasprintf("%.*s*%s", (int)common, first, ext ? ext : "");
    strbuf b = {0};
    for (size_t i = 0; i < n && i < 3; i++)
        strbuf_printf(&b, "%s%s", i ? ", " : "", path_basename(fg->files.v[files[i]]));
    if (n > 3) strbuf_printf(&b, " and %zu more", n - 3);
    return b.v;
}

/* Says why the files of a folder's layers are there: nodes[0 .. nn) are
 * the folder's files, gid[i] the layer of nodes[i] (numbered g0 .. g1 - 1,
 * NONE for none), group[] the group each file joined (a facade joins its
 * layer's). */
static void layerwhy(const fgraph *fg, const size_t *nodes, size_t nn, const size_t *gid,
                     const size_t *group, size_t g0, size_t g1) {
    char *dir = foldername(fg->files.v[nodes[0]]);
    size_t *files = xmallocarray(nn, sizeof *files);
    for (size_t l = g0; l < g1; l++) {
        size_t k = 0, facade = NONE;
        for (size_t i = 0; i < nn; i++)
            if (gid[i] == l) files[k++] = nodes[i];
        char *list = filelist(fg, files, k);
        size_t t = whytext(fg->why, xasprintf("a self-contained layer of %s (%s): their calls in "
                                              "the folder stay among them, and the rest of the "
                                              "folder uses them",
                                              dir, list));
        for (size_t i = 0; i < nn; i++) {
            if (group[nodes[i]] != l) continue;
            if (gid[i] != l && facade == NONE)
                facade = whytext(fg->why, xasprintf("the facade of a layer of %s (%s): its calls "
                                                    "in the folder all go into that layer",
                                                    dir, list));
            whyfile(fg->why, nodes[i], PLAN_WHY_LAYER, gid[i] == l ? t : facade);
        }
        free(list);
    }
    free(files);
    free(dir);
}

/*
 * Self-contained lower layers of a folder: a set of its files whose calls
 * inside the folder stay inside the set (or go to the folder's helpers),
 * that the rest of the folder uses, and that holds at least LAYER_FILES
 * files and LAYER_SHARE of the folder's code (readline's folder holds the
 * history library this way).  The folder's helpers -- stateless files the
 * rest of the folder calls directly and that call only helpers, such as
 * xmalloc.c -- are the folder's own utilities, not a layer's, and stay
 * with the folder.  Layers get groups of their own; the other files keep
 * group NONE.
 */
static void layers(const fgraph *fg, const size_t *nodes, size_t nn, size_t *local, size_t *group,
                   size_t *next) {
    if (nn == 0) return;
    for (size_t i = 0; i < nn; i++) local[nodes[i]] = i;
    /* the folder's internal call edges, as local adjacency lists (in
     * call order), from its files' own calls: a pass over all calls
     * per folder would be quadratic */
    size_t *off = xcalloc(nn + 1, sizeof *off);
    for (size_t a = 0; a < nn; a++)
        for (size_t p = fg->coff[nodes[a]]; p < fg->coff[nodes[a] + 1]; p++)
            if (local[fg->cto[p]] != NONE) off[a + 1]++;
    for (size_t i = 0; i < nn; i++) off[i + 1] += off[i];
    size_t *to = xmallocarray(off[nn], sizeof *to), *pos = xmallocarray(nn + 1, sizeof *pos);
    memcpy(pos, off, (nn + 1) * sizeof *pos);
    for (size_t a = 0; a < nn; a++)
        for (size_t p = fg->coff[nodes[a]]; p < fg->coff[nodes[a] + 1]; p++)
            if (local[fg->cto[p]] != NONE) to[pos[a]++] = local[fg->cto[p]];
    for (size_t i = 0; i < nn; i++) local[nodes[i]] = NONE; /* scratch back to all NONE */
    double folderloc = 0;
    for (size_t i = 0; i < nn; i++) folderloc += fg->loc[nodes[i]];
    unsigned char *closed = xcalloc(nn, 1), *helper = xcalloc(nn, 1), *mark = xcalloc(nn, 1);
    size_t *stack = xmallocarray(nn, sizeof *stack), *seen = xmallocarray(nn, sizeof *seen);
    /* closed[r]: r's closure under the folder's calls is at most
     * LAYER_MAX_SHARE of it (the search gives up past that) */
    for (size_t r = 0; r < nn; r++) {
        size_t ns = 0, top = 0;
        stack[top++] = r;
        mark[r] = 1;
        while (top && ns <= LAYER_MAX_SHARE * nn) {
            size_t v = stack[--top];
            seen[ns++] = v;
            for (size_t p = off[v]; p < off[v + 1]; p++)
                if (!mark[to[p]]) {
                    mark[to[p]] = 1;
                    stack[top++] = to[p];
                }
        }
        closed[r] = top == 0 && ns <= LAYER_MAX_SHARE * nn;
        while (top) seen[ns++] = stack[--top];
        for (size_t i = 0; i < ns; i++) mark[seen[i]] = 0;
    }
    /* helpers: stateless closed files the rest calls, calling only helpers */
    for (size_t v = 0; v < nn; v++)
        if (!closed[v])
            for (size_t p = off[v]; p < off[v + 1]; p++)
                if (closed[to[p]] && !fg->writes[nodes[to[p]]]) helper[to[p]] = 1;
    for (int changed = 1; changed;) {
        changed = 0;
        for (size_t v = 0; v < nn; v++)
            for (size_t p = off[v]; helper[v] && p < off[v + 1]; p++)
                if (!helper[to[p]]) helper[v] = 0, changed = 1;
    }
    /* leaves: closed files that call no other file of the folder but
     * helpers (readline's shell.c and history.c).  A leaf belongs to the
     * layer that calls it -- the upper part may call down into it, a
     * layer cannot call up -- but one shared leaf does not make its
     * callers one layer (readline's nls.c reaches the history library only
     * through shell.c, which the rest calls too). */
    unsigned char *leaf = xcalloc(nn, 1);
    for (size_t v = 0; v < nn; v++) {
        leaf[v] = closed[v] && !helper[v];
        for (size_t p = off[v]; leaf[v] && p < off[v + 1]; p++)
            if (!helper[to[p]] && to[p] != v) leaf[v] = 0;
    }
    /* each closed file joins the files of its closure but helpers and leaves */
    size_t *parent = xmallocarray(nn, sizeof *parent);
    for (size_t i = 0; i < nn; i++) parent[i] = i;
    for (size_t r = 0; r < nn; r++) {
        if (!closed[r] || helper[r] || leaf[r]) continue;
        size_t ns = 0, top = 0;
        stack[top++] = r;
        mark[r] = 1;
        while (top) {
            size_t v = stack[--top];
            seen[ns++] = v;
            if (!helper[v] && !leaf[v]) parent[uf_find(parent, v)] = uf_find(parent, r);
            for (size_t p = off[v]; p < off[v + 1]; p++)
                if (!mark[to[p]]) {
                    mark[to[p]] = 1;
                    stack[top++] = to[p];
                }
        }
        for (size_t i = 0; i < ns; i++) mark[seen[i]] = 0;
    }
    leafglue(off, to, nn, closed, helper, leaf, parent);
    /* a union is a layer when big enough and used from outside it */
    size_t *count = xcalloc(nn, sizeof *count), *gid = xmallocarray(nn, sizeof *gid);
    double *loc = xcalloc(nn, sizeof *loc);
    unsigned char *used = xcalloc(nn, 1);
    for (size_t i = 0; i < nn; i++) {
        gid[i] = NONE;
        if (!closed[i] || helper[i]) continue;
        count[uf_find(parent, i)]++;
        loc[uf_find(parent, i)] += fg->loc[nodes[i]];
    }
    for (size_t v = 0; v < nn; v++)
        for (size_t p = off[v]; p < off[v + 1]; p++) {
            size_t u = to[p];
            if (closed[u] && !helper[u] && (!closed[v] || helper[v] || uf_find(parent, v) != uf_find(parent, u)))
                used[uf_find(parent, u)] = 1;
        }
    size_t g0 = *next;
    for (size_t i = 0; i < nn; i++) {
        if (!closed[i] || helper[i]) continue;
        size_t root = uf_find(parent, i);
        if (count[root] < LAYER_FILES || count[root] > LAYER_MAX_SHARE * nn || loc[root] < LAYER_SHARE * folderloc ||
            !used[root])
            continue;
        if (gid[root] == NONE) gid[root] = (*next)++;
        gid[i] = gid[root];
    }
    /* a facade -- a file of the rest whose calls in the folder all go into
     * one layer (and the helpers), to two of its files at least, like
     * Lua's lapi.c -- joins that layer; a file calling one file of a layer
     * only uses it (readline's nls.c and tilde.c, which call its shell.c) */
    for (size_t v = 0; v < nn; v++) {
        size_t into = NONE, first = NONE;
        int facade = gid[v] == NONE && !helper[v], many = 0;
        for (size_t p = off[v]; facade && p < off[v + 1]; p++) {
            size_t u = to[p];
            if (helper[u]) continue;
            if (gid[u] == NONE || (into != NONE && gid[u] != into)) facade = 0;
            else into = gid[u];
            if (first == NONE) first = u;
            else many |= u != first;
        }
        facade = facade && many;
        group[nodes[v]] = gid[v] != NONE ? gid[v] : facade && into != NONE ? into : NONE;
    }
    if (fg->why && *next > g0) layerwhy(fg, nodes, nn, gid, group, g0, *next);
    free(used);
    free(loc);
    free(count);
    free(gid);
    free(parent);
    free(seen);
    free(stack);
    free(mark);
    free(leaf);
    free(helper);
    free(closed);
    free(pos);
    free(to);
    free(off);
}

/* What a group of files foldergroups makes is: an ordinary module, the
 * programs of a folder, or a folder's utilities shared by other modules
 * (a library unless it calls a service). */
enum { G_MODULE = 0, G_PROGRAM = 1, G_UTILITY = 2 };

typedef struct gkinds {
    unsigned char *v;
    size_t n, cap;
} gkinds;

/* Group id is of kind k (groups not named here are modules). */
static void setkind(gkinds *gk, size_t id, unsigned char k) {
    while (gk->n <= id) VEC_PUSH(*gk, G_MODULE);
    gk->v[id] = k;
}

/* A utility file: many files call it (UTIL_CALLERS) and it calls few
 * (UTIL_RATIO times fewer): the support library pattern of a tree. */
static int isutility(size_t callers, size_t callees) {
    return callers >= UTIL_CALLERS && (double)callers >= UTIL_RATIO * (double)callees;
}

/*
 * Splits a large folder's files (nodes[0 .. nn)) into the modules the
 * evidence shows (docs/clustering.md, "Modules of a large folder"): Leiden
 * at resolution gamma on a graph of its files where calls attract (damped
 * for a file many of them call: a provider belongs to no one caller), the
 * state they write and read attracts, and so do the lexical features they
 * share (evidence.h).  Its utility files -- many of its files call them,
 * they call few -- are set aside first: each joins the module holding
 * UTIL_OWN of its callers, and the rest form the folder's utility group.
 * `local` is scratch of fg->nnodes entries, all NONE on entry and return.
 */
/*
 * Leiden's communities of a folder's files, less those that are not
 * modules: a community with no lexical mark of its own (evidence_marks)
 * joins the community its calls tie it to most, as long as those ties are
 * at least MERGE_TAU of its own calls -- a part of that one, not a module
 * beside it.  The calls are damped as Leiden's are (cin[]: the callers of
 * each folder file): a community holding the providers every module calls
 * (a server's object, reply and keyspace code) would otherwise take in
 * every module that uses them.  Files are rest[0 .. m) (local[] maps a
 * folder file to its place in the folder, pos[] that to its place in
 * rest, NONE for a utility), memb their community (changed in place).
 * share[i] (all negative on entry) receives, for a file whose community
 * joined another, the share of its community's calls that went there.
 */
static void mergecoupled(fgraph *fg, const size_t *local, const size_t *pos, const size_t *rest,
                         size_t m, const size_t *cin, size_t *memb, double *share) {
    size_t k = 0;
    for (size_t i = 0; i < m; i++)
        if (memb[i] + 1 > k) k = memb[i] + 1;
    if (k < 2) return;
    double *vol = xmallocarray(k, sizeof *vol), *tie = xmallocarray(k * k, sizeof *tie);
    unsigned char *marked = xmallocarray(k, 1);
    for (;;) {
        /* the calls between the files, as written (not damped) */
        memset(vol, 0, k * sizeof *vol);
        memset(tie, 0, k * k * sizeof *tie);
        for (size_t i = 0; i < m; i++)
            for (size_t p = fg->coff[rest[i]]; p < fg->coff[rest[i] + 1]; p++) {
                size_t l = local[fg->cto[p]];
                if (l == NONE || pos[l] == NONE) continue;
                size_t a = memb[i], b = memb[pos[l]];
                double cw = fg->cw[p];
                if ((double)cin[l] > CALL_HUB) cw *= CALL_HUB / (double)cin[l];
                vol[a] += cw;
                vol[b] += cw;
                if (a != b) {
                    tie[a * k + b] += cw;
                    tie[b * k + a] += cw;
                }
            }
    for (size_t c = 0; c < k; c++)
            marked[c] = vol[c] > 0 && evidence_marks(fgraph_evidence(fg), rest, memb, m, c);
        size_t bc = NONE, bd = NONE;
        double best = MERGE_TAU;
        for (size_t c = 0; c < k; c++) {
            if (marked[c] || vol[c] == 0) continue;
            for (size_t d = 0; d < k; d++) {
                if (d == c || vol[d] == 0) continue;
                double r = tie[c * k + d] / vol[c];
                if (r >= best + 1e-12 || (bc == NONE && r >= best)) {
                    best = r;
                    bc = c;
                    bd = d;
                }
            }
        }
        if (bc == NONE) break;
        for (size_t i = 0; i < m; i++)
            if (memb[i] == bc) {
                memb[i] = bd;
                if (share[i] < 0) share[i] = best;
            }
    }
    free(marked);
    free(tie);
    free(vol);
}

/* How many of a file's call sites in its folder (all) are with its
 * module's files (own), as a phrase; the caller frees it. */
static char *callsphrase(size_t own, size_t all) {
    if (own == all && all == 1)
        return xstrdup("its one call site in the folder is with the module's files");
    if (own == all)
        return xasprintf("all %zu of its call sites in the folder are with the module's files",
                         all);
    return xasprintf("%zu of its %zu call sites in the folder are with the module's files", own,
                     all);
}

/* What modulesplit knows of a folder's utility files (by place in its
 * nodes), for modulewhy. */
typedef struct moduleutil {
    const unsigned char *util; /* a utility file */
    const size_t *callers;     /* files of the folder calling it */
    const size_t *top, *total; /* of its callers outside the utilities: in the
                                  module holding most, and all */
    size_t shared;             /* the folder's utility group, or NONE */
} moduleutil;

/*
 * The state each of a folder's files (nodes[0 .. nn)) touches that another
 * file of its group touches too, counting only ties the clustering graph
 * weighs at least as a plain read (W_READ: a table every file reads is
 * damped below it): how many such globals (count[i]) and the one tying it
 * most (example[i], a graph global index; NONE when count[i] is 0).
 */
static void sharedstate(fgraph *fg, const size_t *nodes, size_t nn, const size_t *group,
                        size_t ngroups, size_t *count, size_t *example) {
    const wgraph *w = fgraph_weights(fg);
    size_t nf = fg->files.n;
    size_t *off = xcalloc(ngroups + 1, sizeof *off), *by = xmallocarray(nn, sizeof *by);
    for (size_t i = 0; i < nn; i++) off[group[nodes[i]] + 1]++;
    for (size_t g = 0; g < ngroups; g++) off[g + 1] += off[g];
    size_t *pos = xmallocarray(ngroups + 1, sizeof *pos);
    memcpy(pos, off, (ngroups + 1) * sizeof *pos);
    for (size_t i = 0; i < nn; i++) by[pos[group[nodes[i]]]++] = i;
    size_t *touch = xcalloc(fg->g->globals.n ? fg->g->globals.n : 1, sizeof *touch);
    for (size_t g = 0; g < ngroups; g++) {
        for (int pass = 0; pass < 3; pass++)
            for (size_t j = off[g]; j < off[g + 1]; j++) {
                size_t i = by[j], v = nodes[i];
                if (pass == 1) count[i] = 0, example[i] = NONE;
                double best = 0;
                for (size_t p = w->off[v]; p < w->off[v + 1]; p++) {
                    if (w->adj[p] < nf || w->w[p] < W_READ) continue;
                    size_t x = w->adj[p] - nf;
                    if (pass == 0)
                        touch[x]++;
                    else if (pass == 2)
                        touch[x] = 0;
                    else if (touch[x] >= 2) {
                        count[i]++;
                        if (example[i] == NONE || w->w[p] > best) example[i] = x, best = w->w[p];
                    }
                }
            }
    }
    free(touch);
    free(pos);
    free(by);
    free(off);
}

/* Says why each file of a folder modulesplit split (nodes[0 .. nn),
 * local[] their places, rest[0 .. m) those not utilities, tie[] as
 * mergecoupled left it) is in its group: the features, calls and state
 * it shares with its module, or how a utility file was placed. */
static void modulewhy(fgraph *fg, const size_t *nodes, size_t nn, const size_t *local,
                      const size_t *rest, size_t m, const moduleutil *u, const double *tie,
                      const size_t *group, size_t ngroups) {
    filewhy *w = fg->why;
    char *dir = foldername(fg->files.v[nodes[0]]);
    /* call sites of each file with the folder's other files, and with its module's */
    size_t *all = xcalloc(nn, sizeof *all), *own = xcalloc(nn, sizeof *own);
    for (size_t i = 0; i < nn; i++)
        for (size_t p = fg->coff[nodes[i]]; p < fg->coff[nodes[i] + 1]; p++) {
            size_t j = local[fg->cto[p]];
            if (j == NONE || j == i) continue;
            size_t sites = (size_t)fg->g->calls.v[fg->ccall[p]].sites;
            int same = group[nodes[i]] == group[nodes[j]];
            all[i] += sites;
            all[j] += sites;
            own[i] += same ? sites : 0;
            own[j] += same ? sites : 0;
        }
    size_t *grp = xmallocarray(m ? m : 1, sizeof *grp), *size = xcalloc(ngroups, sizeof *size);
    for (size_t i = 0; i < m; i++) grp[i] = group[rest[i]];
    for (size_t i = 0; i < nn; i++) size[group[nodes[i]]]++;
    char **shares = xcalloc(m ? m : 1, sizeof *shares);
    evidence_shared(fgraph_evidence(fg), rest, grp, m, shares);
    size_t *nstate = xmallocarray(nn, sizeof *nstate), *example = xmallocarray(nn, sizeof *example);
    sharedstate(fg, nodes, nn, group, ngroups, nstate, example);
    size_t k = 0; /* place in rest */
    for (size_t i = 0; i < nn; i++) {
        size_t v = nodes[i];
        strbuf t = {0};
        if (u->util[i] && group[v] == u->shared) {
            strbuf_printf(&t,
                          "a utility file %zu files of %s call, no module holding two thirds "
                          "of them: one of the folder's shared utilities",
                          u->callers[i], dir);
            whyfile(w, v, PLAN_WHY_LIBRARY, whytext(w, t.v));
            continue;
        }
        if (u->util[i] && (double)u->top[i] >= UTIL_OWN * (double)u->total[i] && u->total[i])
            strbuf_printf(&t,
                          "a utility file %zu files of %s call, %zu of the %zu outside the "
                          "utilities in this module: its helper",
                          u->callers[i], dir, u->top[i], u->total[i]);
        else if (u->util[i])
            strbuf_printf(&t,
                          "a utility file %zu files of %s call, no module holding two thirds "
                          "of them: with the module calling it most (%zu)",
                          u->callers[i], dir, u->top[i]);
        else if (tie[k] >= 0)
            strbuf_printf(&t,
                          "a module of %s: its part of the folder has no file name, prefix "
                          "or header of its own, and %s of its calls go to this module",
                          dir, tie[k] >= 0.995 ? "all" : "most");
        else if (size[group[v]] == 1 && all[i])
            strbuf_printf(&t,
                          "a module of its own in %s: it shares no file name, prefix or "
                          "header with the folder's other modules, and none has half of its "
                          "%zu call sites there",
                          dir, all[i]);
        else if (size[group[v]] == 1)
            strbuf_printf(&t,
                          "a module of its own in %s: no call, file name, prefix or header "
                          "ties it to the folder's other modules",
                          dir);
        else {
            /* what ties it to its module, as Leiden weighed it: names, calls, state */
            const char *sep = ": ";
            strbuf_printf(&t, "a module of %s", dir);
            if (*shares[k]) {
                strbuf_printf(&t, "%sshares %s", sep, shares[k]);
                sep = "; ";
            }
            if (all[i]) {
                char *c = callsphrase(own[i], all[i]);
                strbuf_printf(&t, "%s%s", sep, c);
                free(c);
                sep = "; ";
            }
            if (nstate[i])
                strbuf_printf(&t, "%sit touches %zu global%s the module's files touch too (%s)",
                              sep, nstate[i], nstate[i] == 1 ? "" : "s",
                              fg->g->globals.v[example[i]].id);
            else if (!*shares[k] && !all[i])
                strbuf_add(&t, ", tied to it through its other files");
        }
        whyfile(w, v, PLAN_WHY_MODULE, whytext(w, t.v));
        k += !u->util[i];
    }
    for (size_t i = 0; i < m; i++) free(shares[i]);
    free(example);
    free(nstate);
    free(shares);
    free(size);
    free(grp);
    free(own);
    free(all);
    free(dir);
}

static void modulesplit(fgraph *fg, const size_t *nodes, size_t nn, double gamma, size_t *local,
                        size_t *group, size_t *next, gkinds *gk) {
    if (nn == 0) return;
    const wgraph *w = fgraph_weights(fg);
    for (size_t i = 0; i < nn; i++) local[nodes[i]] = i;
    /* callers and callees inside the folder */
    size_t *cin = xcalloc(nn, sizeof *cin), *cout = xcalloc(nn, sizeof *cout);
    size_t *stamp = xcalloc(nn, sizeof *stamp);
    for (size_t i = 0; i < nn; i++)
        for (size_t p = fg->coff[nodes[i]]; p < fg->coff[nodes[i] + 1]; p++) {
            size_t j = local[fg->cto[p]];
            if (j == NONE || j == i || stamp[j] == i + 1) continue;
            stamp[j] = i + 1;
            cout[i]++;
            cin[j]++;
        }
    free(stamp);
    unsigned char *util = xcalloc(nn, 1);
    size_t m = 0, *rest = xmallocarray(nn, sizeof *rest), *pos = xmallocarray(nn, sizeof *pos);
    for (size_t i = 0; i < nn; i++) {
        util[i] = (unsigned char)isutility(cin[i], cout[i]);
        pos[i] = util[i] ? NONE : m;
        if (!util[i]) rest[m++] = nodes[i];
    }
    /* the graph: the other files 0 .. m-1, then state, then features */
    wedges le = {0};
    for (size_t i = 0; i < nn; i++) {
        if (util[i]) continue;
        for (size_t p = fg->coff[nodes[i]]; p < fg->coff[nodes[i] + 1]; p++) {
            size_t j = local[fg->cto[p]];
            if (j == NONE || j == i || util[j]) continue;
            double damp = (double)cin[j] > CALL_HUB ? CALL_HUB / (double)cin[j] : 1.0;
            wgraph_edge_add(&le, pos[i], pos[j], fg->cw[p] * damp);
        }
    }
    size_t nl = m, nfiles = fg->files.n;
    for (size_t i = 0; i < nn; i++) {
        if (util[i]) continue;
        size_t v = nodes[i];
        for (size_t p = w->off[v]; p < w->off[v + 1]; p++) {
            size_t u = w->adj[p];
            if (u < nfiles) continue; /* calls: above, damped */
            if (local[u] == NONE) local[u] = nl++;
            wgraph_edge_add(&le, pos[i], local[u], w->w[p]);
        }
    }
    for (size_t i = 0; i < nn; i++)
        if (!util[i])
            for (size_t p = w->off[nodes[i]]; p < w->off[nodes[i] + 1]; p++)
                if (w->adj[p] >= nfiles) local[w->adj[p]] = NONE;
    nl = evidence_edges(fgraph_evidence(fg), rest, m, nl, &le);
    wgraph *lg = wgraph_build(nl, &le);
    size_t *memb = xmallocarray(nl, sizeof *memb);
    leiden(lg, gamma, memb);
    double *tie = xmallocarray(m ? m : 1, sizeof *tie);
    for (size_t i = 0; i < m; i++) tie[i] = -1;
    mergecoupled(fg, local, pos, rest, m, cin, memb, tie);
    /* a group per community, numbered in order of their first file */
    size_t *gid = xmallocarray(nl, sizeof *gid);
    for (size_t c = 0; c < nl; c++) gid[c] = NONE;
    for (size_t i = 0; i < nn; i++) {
        if (util[i]) continue;
        size_t c = memb[pos[i]];
        if (gid[c] == NONE) gid[c] = (*next)++;
        group[nodes[i]] = gid[c];
    }
    /* utilities: their callers' module when most of them are in one */
    size_t shared = NONE, nshared = 0, first = m ? group[rest[0]] : NONE;
    size_t *votes = xcalloc(*next, sizeof *votes), *plural = xmallocarray(nn, sizeof *plural);
    size_t *top = xcalloc(nn, sizeof *top), *total = xcalloc(nn, sizeof *total);
    for (size_t i = 0; i < nn; i++) {
        if (!util[i]) continue;
        size_t best = NONE;
        for (size_t p = fg->roff[nodes[i]]; p < fg->roff[nodes[i] + 1]; p++) {
            size_t k = local[fg->rfrom[p]];
            if (k == NONE || util[k]) continue;
            size_t c = group[nodes[k]];
            votes[c]++;
            total[i]++;
            if (best == NONE || votes[c] > votes[best] || (votes[c] == votes[best] && c < best)) best = c;
        }
        top[i] = best == NONE ? 0 : votes[best];
        for (size_t p = fg->roff[nodes[i]]; p < fg->roff[nodes[i] + 1]; p++) {
            size_t k = local[fg->rfrom[p]];
            if (k != NONE && !util[k]) votes[group[nodes[k]]] = 0;
        }
        if (best != NONE && (double)top[i] >= UTIL_OWN * (double)total[i]) {
            group[nodes[i]] = best;
            continue;
        }
        plural[i] = best;
        nshared++;
    }
    /* the shared ones: a group of their own when a layer's worth
     * (LAYER_FILES), else each with the module calling it most (or the
     * first module, when only other utilities call it) */
    for (size_t i = 0; i < nn; i++) {
        if (!util[i] || group[nodes[i]] != NONE) continue;
        if (nshared >= LAYER_FILES || first == NONE) {
            if (shared == NONE) {
                shared = (*next)++;
                setkind(gk, shared, G_UTILITY);
            }
            group[nodes[i]] = shared;
        } else {
            group[nodes[i]] = plural[i] != NONE ? plural[i] : first;
        }
    }
    if (fg->why) {
        moduleutil mu = {util, cin, top, total, shared};
        modulewhy(fg, nodes, nn, local, rest, m, &mu, tie, group, *next);
    }
    for (size_t i = 0; i < nn; i++) local[nodes[i]] = NONE;
    free(total);
    free(top);
    free(tie);
    free(plural);
    free(votes);
    free(gid);
    free(memb);
    wgraph_free(lg);
    wgraph_edges_free(&le);
    free(pos);
    free(rest);
    free(util);
    free(cout);
    free(cin);
}

/* Says why the shared utilities pick[0 .. n) of a folder are a group. */
static void utilitywhy(const fgraph *fg, const size_t *pick, size_t n, const size_t *dirof) {
    char *dir = foldername(fg->files.v[pick[0]]);
    for (size_t i = 0; i < n; i++) {
        size_t v = pick[i], outside = 0, all = fg->roff[v + 1] - fg->roff[v];
        for (size_t p = fg->roff[v]; p < fg->roff[v + 1]; p++)
            outside += dirof[fg->rfrom[p]] != dirof[v];
        char *t = xasprintf("a utility of %s that other folders use: %zu of the %zu files calling "
                            "it are elsewhere; one of the folder's %zu shared utilities",
                            dir, outside, all, n);
        whyfile(fg->why, v, PLAN_WHY_LIBRARY, whytext(fg->why, t));
    }
    free(dir);
}

/*
 * Files of the rest of a folder (nodes[0 .. nn), group NONE) that join its
 * shared utilities' group id: those that call only library code,
 * platforms and that group, and (when `below`) keep no state, are called
 * by name and are called by no file of the rest.  A greatest fixpoint:
 * every such file is taken (PICKED), then dropped while it calls, or (when
 * `below`) is called by, a file of the rest that was not taken.
 */
static void takefiles(const fgraph *fg, const size_t *nodes, size_t nn, const size_t *dirof,
                      size_t *group, size_t id, int below) {
    const graph *g = fg->g;
    for (size_t i = 0; i < nn; i++) {
        size_t v = nodes[i];
        if (group[v] == NONE && (!below || (!fg->writes[v] && fg->roff[v] < fg->roff[v + 1])))
            group[v] = PICKED;
    }
    for (int changed = 1; changed;) {
        changed = 0;
        for (size_t i = 0; i < nn; i++) {
            size_t v = nodes[i];
            if (group[v] != PICKED) continue;
            int keep = 1;
            for (size_t p = fg->coff[v]; keep && p < fg->coff[v + 1]; p++) {
                size_t b = fg->cto[p], to = g->calls.v[fg->ccall[p]].to;
                keep = fg->lib[to] || (fg->plat && fg->plat[to]) || group[b] == id ||
                       group[b] == PICKED;
            }
            for (size_t p = fg->roff[v]; below && keep && p < fg->roff[v + 1]; p++) {
                size_t a = fg->rfrom[p];
                keep = dirof[a] != dirof[v] || group[a] != NONE;
            }
            if (!keep) group[v] = NONE, changed = 1;
        }
    }
}

/* Gives the files of nodes[0 .. nn) that takefiles took (PICKED) to group
 * id, with the sentence fmt says of folder (one %s); returns their code. */
static double givefiles(const fgraph *fg, const size_t *nodes, size_t nn, size_t *group, size_t id,
                        const char *fmt) {
    size_t t = NONE;
    double loc = 0;
    for (size_t i = 0; i < nn; i++) {
        size_t v = nodes[i];
        if (group[v] != PICKED) continue;
        group[v] = id;
        loc += fg->loc[v];
        if (!fg->why) continue;
        if (t == NONE) {
            char *dir = foldername(fg->files.v[v]);
            t = whytext(fg->why, xasprintf(fmt, dir));
            free(dir);
        }
        whyfile(fg->why, v, PLAN_WHY_LIBRARY, t);
    }
    return loc;
}

/*
 * The rest of a folder whose shared utilities are a group (id, of `loc`
 * lines of the folder's `folderloc`).  Its files that keep no state, that
 * some file calls by name, that no file of the rest calls and that call
 * only library code, platforms and that group are below the folder's
 * service, which never uses them -- a queue, a hash function or a tree
 * another folder calls once -- and join the group, however few call them.
 * Then, when the group holds most of the folder's code (LIB_MODULE_SHARE),
 * the folder is a library folder (src/common, src/port): each file of the
 * rest that calls only library code, platforms and the group joins it too,
 * its state the library's own; the rest keeps the files that call services.
 */
static void belowrest(const fgraph *fg, const size_t *nodes, size_t nn, const size_t *dirof,
                      size_t *group, size_t id, double loc, double folderloc) {
    takefiles(fg, nodes, nn, dirof, group, id, 1);
    loc += givefiles(fg, nodes, nn, group, id,
                     "keeps no state, calls only library and platform code, and the rest of %s "
                     "never calls it: below the folder's service, with its shared utilities");
    if (loc < LIB_MODULE_SHARE * folderloc) return;
    takefiles(fg, nodes, nn, dirof, group, id, 0);
    givefiles(fg, nodes, nn, group, id,
              "calls only library and platform code, and most of %s is its shared utilities: a "
              "library folder, state and all");
}

/*
 * The utilities of a folder that other folders use: utility files (see
 * isutility, counting every caller) most of whose callers are in other
 * folders (UTIL_OUTSIDE).  When they are LAYER_FILES files and
 * UTIL_LAYER_SHARE of the folder's code, and the rest is as much and
 * keeps state, they become a group of their own, the folder's part of the
 * program's library layer; otherwise they stay (a folder of stateless
 * utilities is one library).
 * `dirof` gives each file's folder.
 */
static void sharedutilities(const fgraph *fg, const size_t *nodes, size_t nn, const size_t *dirof,
                            size_t *group, size_t *next, gkinds *gk) {
    size_t count = 0;
    double loc = 0, folderloc = 0;
    size_t *pick = xmallocarray(nn, sizeof *pick);
    for (size_t i = 0; i < nn; i++) {
        size_t v = nodes[i];
        folderloc += fg->loc[v];
        if (!isutility(fg->ncallers[v], fg->ncallees[v])) continue;
        /* callers by folder: distinct files, through the reverse of cto */
        size_t outside = 0, all = fg->roff[v + 1] - fg->roff[v];
        for (size_t p = fg->roff[v]; p < fg->roff[v + 1]; p++) outside += dirof[fg->rfrom[p]] != dirof[v];
        if (all == 0 || (double)outside < UTIL_OUTSIDE * (double)all) continue;
        pick[count++] = v;
    }
    /* a library cannot call a service: keep those whose direct calls go
     * to each other or to library code (lib marks, infrastructure
     * included), until none is dropped; the calls of the picked files are
     * gathered once */
    if (count >= LAYER_FILES && fg->lib) {
        const graph *g = fg->g;
        for (size_t i = 0; i < count; i++) group[pick[i]] = PICKED;
        struct { struct fcall *v; size_t n, cap; } out = {0}; /* (from file, callee function) */
        for (size_t i = 0; i < count; i++)
            for (size_t p = fg->coff[pick[i]]; p < fg->coff[pick[i] + 1]; p++) {
                const gcall *c = &g->calls.v[fg->ccall[p]];
                /* library code may be called anywhere: it comes into the
                 * library layer with them (libkinds); a platform is linked
                 * in everywhere */
                if (fg->lib[c->to] || (fg->plat && fg->plat[c->to])) continue;
                struct fcall x = {pick[i], c->to, 0, fg->ccall[p]};
                VEC_PUSH(out, x);
            }
        for (int changed = 1; changed;) {
            changed = 0;
            for (size_t i = 0; i < out.n; i++) {
                size_t a = out.v[i].a, b = fg->ffile[out.v[i].b];
                if (group[a] == PICKED && group[b] != PICKED) {
                    group[a] = NONE;
                    changed = 1;
                }
            }
        }
        free(out.v);
        size_t kept = 0;
        for (size_t i = 0; i < count; i++)
            if (group[pick[i]] == PICKED) pick[kept++] = pick[i];
        for (size_t i = 0; i < count; i++) group[pick[i]] = NONE;
        count = kept;
    }
    /* the rest: as much code, and keeping state (a stateless rest makes
     * the folder one library) */
    int reststate = 0;
    for (size_t i = 0; i < count; i++) group[pick[i]] = PICKED;
    for (size_t i = 0; i < nn; i++) reststate |= group[nodes[i]] != PICKED && fg->writes[nodes[i]];
    for (size_t i = 0; i < count; i++) {
        group[pick[i]] = NONE;
        loc += fg->loc[pick[i]];
    }
    if (count >= LAYER_FILES && loc >= UTIL_LAYER_SHARE * folderloc &&
        folderloc - loc >= UTIL_LAYER_SHARE * folderloc && reststate) {
        size_t id = (*next)++;
        setkind(gk, id, G_UTILITY);
        for (size_t i = 0; i < count; i++) group[pick[i]] = id;
        if (fg->why) utilitywhy(fg, pick, count, dirof);
        belowrest(fg, nodes, nn, dirof, group, id, loc, folderloc);
    }
    free(pick);
}

/* File v, a program, calls no other file of the project (a generator,
 * a test helper). */
static int standalone(const fgraph *fg, size_t v) {
    for (size_t c = fg->coff[v]; c < fg->coff[v + 1]; c++)
        if (fg->cto[c] != v) return 0;
    return 1;
}

/*
 * The files of a folder (files[0 .. n)) that programs' components
 * (groups first .. next) reach through other files of the folder, and only
 * one of them: each joins that one.  pg[] is the component reaching each
 * file, or CONFLICT for several: it only rises from NONE to one to
 * CONFLICT, so the propagation ends.  at is scratch of one entry per
 * file of fg, all NONE, and left so.
 */
static void ownsources(const fgraph *fg, const size_t *files, size_t n, size_t *group, size_t first,
                       size_t next, size_t *at) {
    const size_t CONFLICT = PICKED;
    size_t *pg = xmallocarray(n ? n : 1, sizeof *pg);
    for (size_t j = 0; j < n; j++) {
        pg[j] = NONE;
        at[files[j]] = j;
    }
    for (int changed = 1; changed;) {
        changed = 0;
        for (size_t j = 0; j < n; j++) {
            size_t v = files[j];
            if (group[v] != NONE || pg[j] == CONFLICT) continue;
            for (size_t k = fg->roff[v]; k < fg->roff[v + 1] && pg[j] != CONFLICT; k++) {
                size_t u = fg->rfrom[k]; /* in the folder: nothing outside calls in */
                size_t from = group[u] != NONE && group[u] >= first && group[u] < next ? group[u]
                              : group[u] == NONE                                     ? pg[at[u]]
                                                                                     : NONE;
                if (from == NONE || from == pg[j]) continue;
                pg[j] = pg[j] == NONE ? from : CONFLICT;
                changed = 1;
            }
        }
    }
    /* with one program that uses the project (not a generator), what it
     * does not reach by name (a service routine it registers, a handler
     * in its table) is its too: nothing outside the folder uses it */
    size_t only = NONE;
    for (size_t j = 0; next - first == 1 && j < n; j++)
        if (fg->hasmain[files[j]] && group[files[j]] == first && !standalone(fg, files[j]))
            only = first;
    for (size_t j = 0; j < n; j++) {
        if (group[files[j]] == NONE && pg[j] != CONFLICT)
            group[files[j]] = pg[j] != NONE ? pg[j] : only;
        at[files[j]] = NONE; /* scratch back to all NONE */
    }
    free(pg);
}

/* Program v of a folder (files[0 .. n)) shares its main file with another
 * program: it defines an entry a shared main() calls, or it is that main. */
static int sharesmain(const fgraph *fg, const size_t *files, size_t n, size_t v) {
    if (fg->entry[v]) return 1;
    for (size_t j = 0; j < n; j++)
        if (fg->entry[files[j]] && fg->entrymain[files[j]] == v) return 1;
    return 0;
}

/* Says why the files of a folder (files[0 .. n)) that are in its
 * programs' groups (first .. last) are there: they define main(), or only
 * one program uses them.  apart: each program that uses the project is a
 * component of its own. */
static void programwhy(const fgraph *fg, const size_t *files, size_t n, const size_t *group,
                       size_t first, size_t last, int apart, int closed) {
    size_t count = 0, glue = NONE, own = NONE;
    for (size_t j = 0; j < n; j++) count += fg->hasmain[files[j]];
    char *dir = foldername(fg->files.v[files[0]]);
    for (size_t j = 0; j < n; j++) {
        size_t v = files[j];
        if (group[v] == NONE || group[v] < first || group[v] >= last) continue;
        if (!fg->hasmain[v] && closed) {
            if (own == NONE)
                own = whytext(fg->why,
                              xasprintf("nothing outside %s calls into it, and %s",
                                        dir, count == 1 ? "its program reaches it: the program's own sources"
                                             : apart    ? "only one of its programs reaches it: that "
                                                          "program's own sources"
                                                        : "its programs reach it: their own sources"));
            whyfile(fg->why, v, PLAN_WHY_PROGRAM, own);
            continue;
        }
        if (!fg->hasmain[v]) {
            if (glue == NONE)
                glue = whytext(fg->why, xasprintf(apart && count > 1
                                                      ? "only one program of %s calls it, and it "
                                                          "calls nothing else of the project: it "
                                                          "goes with it"
                                                        : "only the programs of %s call it, and it "
                                                          "calls nothing else of the project: it "
                                                          "goes with them",
                                                  dir));
            whyfile(fg->why, v, PLAN_WHY_PROGRAM, glue);
            continue;
        }
        size_t with = 0, products = 0;
        for (size_t i = 0; i < n; i++)
            if (fg->hasmain[files[i]] && group[files[i]] == group[v]) {
                with++;
                products += !standalone(fg, files[i]);
            }
        char *what = fg->entry[v] ? xasprintf("%s defines %s(), which main() in %s calls",
                                              fg->files.v[v], fg->entry[v],
                                              fg->files.v[fg->entrymain[v]])
                                  : xasprintf("%s defines main()", fg->files.v[v]);
        char *t = count == 1 ? xasprintf("%s: a program, apart from the code it uses", what)
                  : apart && with == 1
                      ? xasprintf("%s: a program, a component of its own: %zu of the %zu files "
                                  "of %s are programs, built from the code beside them",
                                  what, count, n, dir)
                  : apart && sharesmain(fg, files, n, v)
                      ? xasprintf("%s: a program, one component with the %zu other program%s of "
                                  "%s that share%s its main file (a file is never cut)",
                                  what, with - 1, with == 2 ? "" : "s", dir,
                                  with == 2 ? "s" : "")
                  : apart && standalone(fg, v) && products
                      ? xasprintf("%s: a program that calls nothing else of the project, a "
                                  "helper of the programs of %s (as a build's generators are): "
                                  "one component with the largest",
                                  what, dir)
                  : apart && standalone(fg, v)
                      ? xasprintf("%s: a program that calls nothing else of the project, one "
                                  "component with the %zu other such program%s of %s (helpers, "
                                  "as a build's generators are)",
                                  what, with - 1, with == 2 ? "" : "s", dir)
                  : apart ? xasprintf("%s: a program, one component with the %zu helper "
                                      "program%s of %s that call%s nothing else of the project",
                                      what, with - 1, with == 2 ? "" : "s", dir,
                                      with == 2 ? "s" : "")
                  : count == 2 ? xasprintf("%s: a program, one component with the other program "
                                           "of %s",
                                           what, dir)
                               : xasprintf("%s: a program, one component with the %zu other "
                                           "programs of %s",
                                           what, count - 1, dir);
        free(what);
        whyfile(fg->why, v, PLAN_WHY_PROGRAM, whytext(fg->why, t));
    }
    free(dir);
}

/* The groups of k that are not programs: what --services N counts. */
static size_t nonprograms(const gkinds *gk, size_t k) {
    size_t made = 0;
    for (size_t i = 0; i < k; i++) made += !(i < gk->n && gk->v[i] == G_PROGRAM);
    return made;
}

/*
 * Groups of files: one per folder, less its programs (files that define
 * main(), never merged into a module: one group per program among other
 * code, one for a folder mostly of programs; see the loop), its shared
 * utilities and its self-contained lower layers.  A folder holding most of
 * the program (a flat tree, where folders say little) is split into the
 * modules the evidence shows (modulesplit); so is every folder when `deep`
 * is set (--services asking for more, or --resolution given).  Kinds of
 * the groups go to gk.  Returns the number of groups.
 */
static size_t foldergroups(fgraph *fg, double gamma, int deep, size_t *group, gkinds *gk) {
    size_t nf = fg->files.n, next = 0;
    gk->n = 0;
    if (fg->why) strvec_free(&fg->why->texts); /* what an earlier run said */
    size_t *nodes = xmallocarray(nf, sizeof *nodes);
    size_t *local = scratch(nf); /* layers' scratch */
    size_t *split = NULL; /* modulesplit's scratch, made when first needed */
    size_t *doff, *dfiles;
    size_t nd = folders(fg, &doff, &dfiles);
    size_t *dirof = xmallocarray(nf, sizeof *dirof);
    for (size_t d = 0; d < nd; d++)
        for (size_t j = doff[d]; j < doff[d + 1]; j++) dirof[dfiles[j]] = d;
    for (size_t d = 0; d < nd; d++) {
        size_t nn = 0, prog = NONE, nmain = 0, first = next, big = NONE, shared = NONE;
        int helpers = 0;
        double loc = 0;
        for (size_t j = doff[d]; j < doff[d + 1]; j++) nmain += fg->hasmain[dfiles[j]];
        /* programs among the folder's other code are the products built
         * from it, a component each (ssh, sshd and scp; lua and luac); a
         * folder mostly of programs is a tool box, one component */
        int apart = (double)nmain < PROGRAM_FOLDER_SHARE * (double)(doff[d + 1] - doff[d]);
        for (size_t j = doff[d]; j < doff[d + 1]; j++) {
            size_t v = dfiles[j];
            loc += fg->loc[v];
            if (!fg->hasmain[v]) continue;
            /* a program that calls nothing else of the project is a
             * helper of the folder's products (Bash's mksyntax.c writes
             * the syntax table shell.c compiles): it goes with them */
            if (apart && standalone(fg, v)) {
                helpers = 1;
                continue;
            }
            /* programs sharing one main file (Git's common-main.c, linked
             * into each) are one component with it: a file is never cut */
            if (apart && sharesmain(fg, dfiles + doff[d], doff[d + 1] - doff[d], v)) {
                if (shared == NONE) {
                    shared = next++;
                    setkind(gk, shared, G_PROGRAM);
                }
                group[v] = shared;
                continue;
            }
            if (prog == NONE || apart) {
                prog = next++;
                setkind(gk, prog, G_PROGRAM);
            }
            group[v] = prog;
            if (big == NONE || fg->loc[v] > fg->loc[big]) big = v;
        }
        if (helpers) {
            /* with the largest product, else one component of their own */
            size_t to = big != NONE ? group[big] : next++;
            if (big == NONE) setkind(gk, to, G_PROGRAM);
            for (size_t j = doff[d]; j < doff[d + 1]; j++)
                if (fg->hasmain[dfiles[j]] && group[dfiles[j]] == NONE) group[dfiles[j]] = to;
        }
        /* a folder nothing outside calls into, and not most of the
         * program, holds its programs' own sources (Postfix's src/smtpd:
         * smtpd.c is the daemon, the rest its parts; a folder of test
         * drivers and their tests): a file only one program component
         * reaches, through files of the folder, joins it */
        int closed = next > first && loc < FLAT_SHARE * fg->total;
        for (size_t j = doff[d]; closed && j < doff[d + 1]; j++)
            for (size_t k = fg->roff[dfiles[j]]; closed && k < fg->roff[dfiles[j] + 1]; k++)
                closed = dirof[fg->rfrom[k]] == d;
        if (closed) ownsources(fg, dfiles + doff[d], doff[d + 1] - doff[d], group, first, next, local);
        /* a file only one of the folder's program components calls, and
         * that calls nothing else of the project, is its own code
         * (support/'s signames.c, which the mksignames tool alone uses);
         * one that calls on into the project is glue of what it calls
         * (Lua's linit.c opens the libraries) */
        for (int changed = next > first; changed;) {
            changed = 0;
            for (size_t j = doff[d]; j < doff[d + 1]; j++) {
                size_t v = dfiles[j], k = fg->roff[v], c = fg->coff[v];
                if (group[v] != NONE || k == fg->roff[v + 1]) continue;
                size_t pg = group[fg->rfrom[k]];
                if (pg == NONE || pg < first || pg >= next) continue;
                while (k < fg->roff[v + 1] && group[fg->rfrom[k]] == pg) k++;
                while (c < fg->coff[v + 1] && (fg->cto[c] == v || group[fg->cto[c]] == pg)) c++;
                if (k == fg->roff[v + 1] && c == fg->coff[v + 1]) group[v] = pg, changed = 1;
            }
        }
        for (size_t j = doff[d]; j < doff[d + 1]; j++)
            if (group[dfiles[j]] == NONE) nodes[nn++] = dfiles[j];
        if (next > first && fg->why)
            programwhy(fg, dfiles + doff[d], doff[d + 1] - doff[d], group, first, next, apart,
                       closed);
        int flat = deep || loc >= FLAT_SHARE * fg->total;
        if (!flat) sharedutilities(fg, nodes, nn, dirof, group, &next, gk);
        size_t rest = 0;
        for (size_t j = 0; j < nn; j++)
            if (group[nodes[j]] == NONE) nodes[rest++] = nodes[j];
        layers(fg, nodes, rest, local, group, &next);
        nn = rest;
        rest = 0;
        for (size_t j = 0; j < nn; j++)
            if (group[nodes[j]] == NONE) nodes[rest++] = nodes[j];
        if (rest == 0) continue;
        if (flat) {
            if (!split) split = scratch(fg->nnodes);
            modulesplit(fg, nodes, rest, gamma, split, group, &next, gk);
        } else {
            size_t id = next++;
            for (size_t j = 0; j < rest; j++) group[nodes[j]] = id;
            if (fg->why) {
                char *d = path_dirname(fg->files.v[nodes[0]]);
                size_t t = whytext(fg->why, strcmp(d, ".") != 0
                                                ? xasprintf("%s is one component", d)
                                                : xstrdup("the top folder is one component"));
                free(d);
                for (size_t j = 0; j < rest; j++) whyfile(fg->why, nodes[j], PLAN_WHY_FOLDER, t);
            }
        }
    }
    while (gk->n < next) VEC_PUSH(*gk, G_MODULE);
    free(dirof);
    free(doff);
    free(dfiles);
    free(split);
    free(local);
    free(nodes);
    return next;
}

/* A group of files as a reader names it (before --services merges it,
 * when a plug-in joins it): by what placed its first file (files[0 .. n)
 * are its files). */
static char *grouplabel(const fgraph *fg, const size_t *files, size_t n) {
    char *dir = foldername(fg->files.v[files[0]]), *r;
    size_t big = files[0];
    for (size_t i = 1; i < n; i++)
        if (fg->loc[files[i]] > fg->loc[big]) big = files[i];
    switch (fg->why->reason[files[0]]) {
        case PLAN_WHY_FOLDER: r = xstrdup(dir); break;
        case PLAN_WHY_LAYER: r = xasprintf("a layer of %s", dir); break;
        case PLAN_WHY_LIBRARY: r = xasprintf("the shared utilities of %s", dir); break;
        default: r = xasprintf("the module of %s", fg->files.v[big]); break;
    }
    free(dir);
    return r;
}

/* Triples (x, y, sites) of group pairs, sortable by x then y. */
typedef struct gpair {
    size_t x, y;
    double sites;
} gpair;

static int gpair_cmp(const void *a, const void *b) {
    const gpair *p = a, *q = b;
    if (p->x != q->x) return p->x < q->x ? -1 : 1;
    return p->y < q->y ? -1 : p->y > q->y;
}

/* Moves from[0 .. n) to `to` ordered by x (byx) or y, keys below nkeys,
 * keeping the order of equal keys (a counting sort). */
static void gpair_bucket(const gpair *from, gpair *to, size_t n, size_t nkeys, int byx) {
    size_t *at = xcalloc(nkeys + 1, sizeof *at);
    for (size_t i = 0; i < n; i++) at[(byx ? from[i].x : from[i].y) + 1]++;
    for (size_t k = 0; k < nkeys; k++) at[k + 1] += at[k];
    for (size_t i = 0; i < n; i++) to[at[byx ? from[i].x : from[i].y]++] = from[i];
    free(at);
}

/* Sums the sites of equal (x, y) pairs of v, x < nx and y < ny; returns
 * the count left, sorted by x then y.  Sorted by y, then stably by x: two
 * linear passes where a comparison sort of a million-function program's
 * calls was most of the plugin and platform searches. */
static size_t gpair_sum(gpair *v, size_t n, size_t nx, size_t ny) {
    if (n == 0) return 0;
    gpair *t = xmallocarray(n, sizeof *t);
    gpair_bucket(v, t, n, ny, 0);
    gpair_bucket(t, v, n, nx, 1);
    free(t);
    size_t o = 0;
    for (size_t i = 1; i < n; i++) {
        if (v[i].x == v[o].x && v[i].y == v[o].y) v[o].sites += v[i].sites;
        else v[++o] = v[i];
    }
    return o + 1;
}

/* The folder part of path (length up to the last '/', 0 for none). */
static size_t dirlen(const char *path) {
    const char *sl = strrchr(path, '/');
    return sl ? (size_t)(sl - path) : 0;
}

/* Says why the files of plug-in groups (into[x] != x: the group it
 * joins) are there: the sites reaching it by name (din) and through
 * registered pointers (field), and its host (first[] its first file). */
static void pluginwhy(const fgraph *fg, const size_t *group, size_t k, const size_t *into,
                      const size_t *first, const double *din, const double *field) {
    size_t *said = xmallocarray(k ? k : 1, sizeof *said);
    for (size_t x = 0; x < k; x++) said[x] = NONE;
    for (size_t i = 0; i < fg->files.n; i++) {
        size_t x = group[i];
        if (x == NONE || into[x] == x) continue;
        if (said[x] == NONE) {
            char *host = grouplabel(fg, &first[into[x]], 1);
            said[x] = whytext(fg->why, xasprintf("a plug-in of %s, in a subfolder of it: %.0f of "
                                                 "the %.0f call sites from other modules reach it "
                                                 "through registered pointers, and it calls that "
                                                 "module by name",
                                                 host, field[x], field[x] + din[x]));
            free(host);
        }
        whyfile(fg->why, i, PLAN_WHY_PLUGIN, said[x]);
    }
    free(said);
}

/*
 * Plug-ins join their host: a module whose callers outside it reach it
 * through registered function pointers (field evidence) and hardly ever
 * call it by name (PLUGIN_DIRECT_SHARE of the sites at most), that calls
 * the module registering most of those pointers by name, and whose folder
 * is a subfolder of that module's (not of the project's top), is that
 * module's extension -- nginx's src/http/modules and src/event/modules --
 * and a boundary between them would cut every request's callback chain.
 * Returns the new number of groups, relabelled 0..; gk follows.
 */
static size_t plugins(const fgraph *fg, size_t *group, size_t k, gkinds *gk) {
    const graph *g = fg->g;
    gpair *dv = NULL, *fv = NULL;
    size_t nd = 0, cd = 0, nfv = 0, cf = 0;
    for (size_t i = 0; i < g->calls.n; i++) {
        const gcall *c = &g->calls.v[i];
        size_t a = fg->ffile[c->from], b = fg->ffile[c->to];
        if (a == NONE || b == NONE || group[a] == group[b] || c->evidence == EV_TYPE) continue;
        gpair x = {group[b], group[a], c->sites}; /* by callee, then caller */
        if (c->evidence == EV_DIRECT) {
            if (nd == cd) dv = xreallocarray(dv, cd = cd ? 2 * cd : 64, sizeof *dv);
            dv[nd++] = x;
        } else {
            if (nfv == cf) fv = xreallocarray(fv, cf = cf ? 2 * cf : 64, sizeof *fv);
            fv[nfv++] = x;
        }
    }
    nd = gpair_sum(dv, nd, k, k);
    nfv = gpair_sum(fv, nfv, k, k);
    size_t *first = xmallocarray(k, sizeof *first), *into = xmallocarray(k, sizeof *into);
    for (size_t x = 0; x < k; x++) first[x] = NONE, into[x] = x;
    for (size_t i = 0; i < fg->files.n; i++)
        if (group[i] != NONE && first[group[i]] == NONE) first[group[i]] = i;
    double *din = xcalloc(k, sizeof *din), *field = xcalloc(k, sizeof *field);
    for (size_t i = 0; i < nd; i++) din[dv[i].x] += dv[i].sites;
    for (size_t i = 0; i < nfv;) {
        size_t x = fv[i].x, host = NONE, j = i;
        double fin = 0, best = 0;
        for (; j < nfv && fv[j].x == x; j++) {
            fin += fv[j].sites;
            if (fv[j].sites > best && (fv[j].y >= gk->n || gk->v[fv[j].y] == G_MODULE))
                best = fv[j].sites, host = fv[j].y;
        }
        i = j;
        if (host == NONE || (x < gk->n && gk->v[x] != G_MODULE) ||
            din[x] > PLUGIN_DIRECT_SHARE * (din[x] + fin) || first[x] == NONE || first[host] == NONE)
            continue;
        const char *xf = fg->files.v[first[x]], *hf = fg->files.v[first[host]];
        size_t xl = dirlen(xf), hl = dirlen(hf);
        /* the host's folder is the plug-in's parent, and not the top */
        if (hl == 0 || dirlen(xf) <= hl || strncmp(xf, hf, hl) != 0 || xf[hl] != '/' ||
            memchr(xf + hl + 1, '/', xl - hl - 1))
            continue;
        gpair key = {host, x, 0}; /* the plug-in calls its host by name */
        if (!bsearch(&key, dv, nd, sizeof *dv, gpair_cmp)) continue;
        into[x] = host;
        field[x] = fin;
    }
    if (fg->why) pluginwhy(fg, group, k, into, first, din, field);
    /* follow chains (a plug-in of a plug-in), then relabel */
    size_t *label = xmallocarray(k, sizeof *label), n = 0;
    for (size_t x = 0; x < k; x++) {
        size_t r = x;
        for (size_t steps = 0; into[r] != r && steps < k; steps++) r = into[r];
        into[x] = r;
        label[x] = NONE;
    }
    gkinds kinds = {0};
    for (size_t x = 0; x < k; x++)
        if (into[x] == x) {
            label[x] = n++;
            VEC_PUSH(kinds, x < gk->n ? gk->v[x] : (unsigned char)G_MODULE);
        }
    for (size_t i = 0; i < fg->files.n; i++)
        if (group[i] != NONE) group[i] = label[into[group[i]]];
    free(gk->v);
    *gk = kinds;
    free(label);
    free(field);
    free(din);
    free(into);
    free(first);
    free(fv);
    free(dv);
    return n;
}

/*
 * Says which files --services N merged: before[] holds each file's group
 * (0 .. k0 - 1) before coarsen_groups, group[] after (0 .. k - 1).  In
 * each merged group the part with the most code keeps its reason; the
 * others were merged into it, with the call sites between them.
 */
static void mergedwhy(const fgraph *fg, const size_t *before, size_t k0, const size_t *group,
                      size_t k, int want) {
    size_t nf = fg->files.n;
    double *loc = xcalloc(k0, sizeof *loc);
    size_t *core = xmallocarray(k, sizeof *core), *sites = xcalloc(k0, sizeof *sites);
    size_t *off = xcalloc(k0 + 1, sizeof *off), *files = xmallocarray(nf ? nf : 1, sizeof *files);
    for (size_t i = 0; i < nf; i++) {
        loc[before[i]] += fg->loc[i];
        off[before[i] + 1]++;
    }
    for (size_t g = 0; g < k0; g++) off[g + 1] += off[g];
    size_t *pos = xmallocarray(k0 + 1, sizeof *pos);
    memcpy(pos, off, (k0 + 1) * sizeof *pos);
    for (size_t i = 0; i < nf; i++) files[pos[before[i]]++] = i;
    free(pos);
    /* the core of each merged group: its part with the most code (ties:
     * the earlier) */
    for (size_t g = 0; g < k; g++) core[g] = NONE;
    for (size_t b = 0; b < k0; b++) {
        if (off[b] == off[b + 1]) continue;
        size_t g = group[files[off[b]]];
        if (core[g] == NONE || loc[b] > loc[core[g]]) core[g] = b;
    }
    /* call sites between each part and the rest of its merged group */
    for (size_t a = 0; a < nf; a++)
        for (size_t p = fg->coff[a]; p < fg->coff[a + 1]; p++) {
            size_t b = fg->cto[p];
            if (group[a] != group[b] || before[a] == before[b]) continue;
            size_t n = (size_t)fg->g->calls.v[fg->ccall[p]].sites;
            sites[before[a]] += n;
            sites[before[b]] += n;
        }
    for (size_t b = 0; b < k0; b++) {
        if (off[b] == off[b + 1]) continue;
        size_t c = core[group[files[off[b]]]];
        if (c == b) continue;
        char *self = grouplabel(fg, files + off[b], off[b + 1] - off[b]);
        char *into = grouplabel(fg, files + off[c], off[c + 1] - off[c]);
        size_t t = whytext(fg->why, xasprintf("--services %d merged its group (%s) into that of "
                                              "%s: %zu call sites to and from the merged "
                                              "component",
                                              want, self, into, sites[b]));
        for (size_t j = off[b]; j < off[b + 1]; j++) whyfile(fg->why, files[j], PLAN_WHY_MERGED, t);
        free(self);
        free(into);
    }
    free(files);
    free(off);
    free(sites);
    free(core);
    free(loc);
}

/* The plan's groups of files (plat as librarylayer takes it); *utility
 * (the caller frees it) marks the services made of a folder's shared
 * utilities. */
static void folderplan(plan *p, const unsigned char *member, const unsigned char *lib,
                       const unsigned char *plat, unsigned char **utility) {
    const graph *g = p->g;
    fgraph fg;
    fgraph_build(g, member, &fg);
    fg.libloc = xcalloc(fg.files.n, sizeof *fg.libloc);
    fg.lib = lib;
    fg.plat = plat;
    for (size_t f = 0; f < g->funcs.n; f++)
        if (fg.ffile[f] != NONE && lib[f])
            fg.libloc[fg.ffile[f]] += g->funcs.v[f].loc > 0 ? g->funcs.v[f].loc : 1;
    size_t nf = fg.files.n;
    size_t *group = xmallocarray(nf, sizeof *group);
    gkinds gk = {0};
    filewhy why = {xcalloc(nf ? nf : 1, 1), xcalloc(nf ? nf : 1, sizeof *why.text), {0}};
    fg.why = &why;
    /* a resolution the user gives splits every folder by its evidence */
    int deep = p->opts.resolution > 0;
    double gamma = deep ? p->opts.resolution : DEFAULT_GAMMA;
    for (size_t i = 0; i < nf; i++) group[i] = NONE;
    size_t k = foldergroups(&fg, gamma, deep, group, &gk);
    /* the default cut only: a size the user asks for is met as asked */
    if (!deep && p->opts.services == 0) k = plugins(&fg, group, k, &gk);
    size_t want = p->opts.services > 0 ? (size_t)p->opts.services : 0;
    if (want && nonprograms(&gk, k) < want) {
        /* more groups: raise the resolution until the folders split enough */
        double lo = gamma, hi = RESOLUTION_MAX;
        for (int it = 0; it < RESOLUTION_STEPS && nonprograms(&gk, k) != want; it++) {
            double mid = sqrt(lo * hi);
            for (size_t i = 0; i < nf; i++) group[i] = NONE;
            k = foldergroups(&fg, mid, 1, group, &gk);
            if (nonprograms(&gk, k) < want) lo = mid;
            else hi = mid, gamma = mid;
        }
        /* the count does not grow steadily with the resolution (Leiden
         * regroups): when the last step fell short, take the lowest
         * resolution seen making N or more, else the highest, and merge
         * down to N below */
        if (nonprograms(&gk, k) < want) gamma = hi;
        for (size_t i = 0; i < nf; i++) group[i] = NONE;
        k = foldergroups(&fg, gamma, 1, group, &gk);
    }
    if (want && nonprograms(&gk, k) > want) {
        /* programs are never merged (nor counted in N) */
        unsigned char *fixed = xcalloc(k, 1);
        size_t *first = xmallocarray(k, sizeof *first);
        for (size_t g = 0; g < k; g++) {
            fixed[g] = g < gk.n && gk.v[g] == G_PROGRAM;
            first[g] = NONE;
        }
        for (size_t i = 0; i < nf; i++)
            if (first[group[i]] == NONE) first[group[i]] = i;
        size_t was = k, nprog = 0;
        for (size_t g = 0; g < k; g++) nprog += fixed[g];
        /* N components besides the programs */
        size_t *before = xmallocarray(nf ? nf : 1, sizeof *before);
        memcpy(before, group, nf * sizeof *group);
        k = coarsen_groups(fgraph_weights(&fg), nf, group, k, (size_t)p->opts.services + nprog, fixed);
        mergedwhy(&fg, before, was, group, k, p->opts.services);
        free(before);
        /* programs keep their kind (they merge with nothing); a merged
         * group is a module, for libkinds to judge */
        unsigned char *kind = xcalloc(k, 1);
        for (size_t g = 0; g < was; g++)
            if (first[g] != NONE && fixed[g]) kind[group[first[g]]] = G_PROGRAM;
        gk.n = 0;
        for (size_t g = 0; g < k; g++) VEC_PUSH(gk, kind[g]);
        free(kind);
        free(first);
        free(fixed);
    }
    if (want) {
        size_t made = nonprograms(&gk, k);
        /* a file is never cut: past one group per file, or where the
         * evidence at the highest resolution keeps files together, N
         * cannot be met; the plan says so instead of failing quietly */
        if (made < (size_t)p->opts.services)
            strvec_push_owned(&p->notes,
                              xasprintf("--services %d: made %zu components besides programs, the most "
                                        "this tree splits into (resolution %.3g; a file is never "
                                        "split: --granularity function cuts finer)",
                                        p->opts.services, made, gamma));
    }
    p->resolution = gamma;
    /* the files' reasons become their functions' */
    size_t t0 = p->why_text.n;
    for (size_t i = 0; i < why.texts.n; i++) plan_why_text(p, why.texts.v[i]);
    free(why.texts.v);
    for (size_t f = 0; f < g->funcs.n; f++)
        if (fg.ffile[f] != NONE)
            plan_why_set(p, f, why.reason[fg.ffile[f]], t0 + why.text[fg.ffile[f]]);
    free(why.reason);
    free(why.text);
    size_t base = p->services.n;
    *utility = xcalloc(base + k, 1);
    for (size_t i = 0; i < k; i++) {
        unsigned kind = i < gk.n && gk.v[i] == G_PROGRAM   ? PLAN_PROGRAM
                        : i < gk.n && gk.v[i] == G_UTILITY ? PLAN_LIBRARY
                                                           : PLAN_SERVICE;
        (*utility)[base + i] = i < gk.n && gk.v[i] == G_UTILITY;
        plan_add_service(p, kind);
    }
    for (size_t f = 0; f < g->funcs.n; f++)
        if (fg.ffile[f] != NONE) p->assign[f] = base + group[fg.ffile[f]];
    free(gk.v);
    free(group);
    fgraph_free(&fg);
}

/* Library components: the library functions of each folder, split where a
 * cohesive group of files is loosely coupled to the rest (readline's folder
 * holds the history library), as splitfolder decides for services. */
static void addlibraries(plan *p, const unsigned char *lib, const libwhy *lw) {
    const graph *g = p->g;
    fgraph fg;
    fgraph_build(g, lib, &fg);
    size_t nf = fg.files.n, next = 0;
    size_t *group = xmallocarray(nf, sizeof *group), *nodes = xmallocarray(nf, sizeof *nodes);
    for (size_t i = 0; i < nf; i++) group[i] = NONE;
    size_t *doff, *dfiles;
    size_t nd = folders(&fg, &doff, &dfiles);
    size_t *split = scratch(fg.nnodes);
    for (size_t d = 0; d < nd; d++) {
        size_t nn = 0;
        for (size_t j = doff[d]; j < doff[d + 1]; j++) nodes[nn++] = dfiles[j];
        splitfolder(&fg, fgraph_weights(&fg), nodes, nn, DEFAULT_GAMMA, CUT_TAU, split, group,
                    &next);
    }
    free(split);
    free(doff);
    free(dfiles);
    size_t base = p->services.n;
    for (size_t i = 0; i < next; i++) plan_add_service(p, PLAN_LIBRARY);
    /* the sentence of what a root reaches, once per root */
    size_t *said = xcalloc(g->funcs.n ? g->funcs.n : 1, sizeof *said);
    for (size_t f = 0; f < g->funcs.n; f++) {
        if (fg.ffile[f] == NONE) continue;
        p->assign[f] = base + group[fg.ffile[f]];
        size_t r = lw->from[f], *t = r == f ? NULL : &said[r], own;
        if (!t || !*t) {
            own = plan_why_text(p, libsentence(g, lw, f));
            if (t) *t = own + 1;
        } else {
            own = *t - 1;
        }
        plan_why_set(p, f, lw->how[r] == ROOT_INFRA ? PLAN_WHY_INFRASTRUCTURE : PLAN_WHY_LIBRARY,
                     own);
    }
    free(said);
    free(nodes);
    free(group);
    fgraph_free(&fg);
}

/* A module (a folder's group of files) whose code is mostly library code
 * is a library; the rest are services. */
/* Both files in one folder (a file may be NULL: no). */
static int samefolder(const char *a, const char *b) {
    if (!a || !b) return 0;
    const char *sa = strrchr(a, '/'), *sb = strrchr(b, '/');
    size_t la = sa ? (size_t)(sa - a) : 0, lb = sb ? (size_t)(sb - b) : 0;
    return la == lb && strncmp(a, b, la) == 0;
}

/*
 * Marks (and makes libraries of) the platform modules: services that code
 * in PLATFORM_FILE_SHARE of the program's files calls by name, and
 * that the rest calls PLATFORM_IN_OUT times as often as it calls them (or
 * PLATFORM_LAYER_SHARE and PLATFORM_LAYER_IN_OUT); a call into a platform
 * already known (plat, or NULL) is no call out, as one into a library is
 * not.  What
 * nearly everything calls is linked into everything, as libc is, even
 * when it keeps state (an error stack, the current memory context) and
 * calls back into a service (error reporting sending to the client): a
 * boundary around it would put a remote call in every function.  The plan
 * says so in its notes; the calls back stay interfaces.  Returns per
 * service the number of files calling a platform (0 for the others); the
 * caller frees it.  A library that as many files call is no platform yet
 * (it calls no service, as far as is known): *wide, which the caller
 * frees, counts its calling files (0 for the others).
 */
static size_t *platforms(plan *p, const unsigned char *plat, size_t **wide) {
    const graph *g = p->g;
    size_t k = p->services.n, nf = 0;
    size_t *platform = xcalloc(k + 1, sizeof *platform);
    *wide = xcalloc(k + 1, sizeof **wide);
    /* (callee service, calling file) pairs of direct calls, distinct; the
     * file's number looked up once per calling function */
    strmap *fileid = strmap_new();
    size_t *fid = xmallocarray(g->funcs.n + 1, sizeof *fid);
    for (size_t f = 0; f < g->funcs.n; f++) fid[f] = NONE;
    gpair *v = NULL;
    size_t n = 0, cap = 0;
    double *in = xcalloc(k + 1, sizeof *in), *out = xcalloc(k + 1, sizeof *out);
    for (size_t i = 0; i < g->calls.n; i++) {
        const gcall *c = &g->calls.v[i];
        size_t a = p->assign[c->from], b = p->assign[c->to];
        if (c->evidence != EV_DIRECT || a == PLAN_NONE || b == PLAN_NONE || a == b) continue;
        in[b] += c->sites;
        if (p->services.v[b].kind != PLAN_LIBRARY && !(plat && plat[c->to])) out[a] += c->sites;
        const char *file = g->funcs.v[c->from].file;
        size_t id = fid[c->from];
        if (!file) continue;
        if (id == NONE) {
            if (!strmap_get(fileid, file, &id)) strmap_put(fileid, file, id = strmap_count(fileid));
            fid[c->from] = id;
        }
        if (n == cap) v = xreallocarray(v, cap = cap ? 2 * cap : 64, sizeof *v);
        v[n++] = (gpair){b, id, 1};
    }
    n = gpair_sum(v, n, k, strmap_count(fileid));
    /* the files, and the component each lies wholly in (NONE: split):
     * a component's own files cannot call it from outside, so the share
     * is of the others */
    strmap *files = strmap_new();
    struct { size_t *v; size_t n, cap; } fcomp = {0};
    for (size_t f = 0; f < g->funcs.n; f++) {
        size_t s = p->assign[f], x;
        if (s == PLAN_NONE || !g->funcs.v[f].file) continue;
        if (!strmap_get(files, g->funcs.v[f].file, &x)) {
            strmap_put(files, g->funcs.v[f].file, nf++);
            VEC_PUSH(fcomp, s);
        } else if (fcomp.v[x] != s)
            fcomp.v[x] = NONE;
    }
    size_t *own = xcalloc(k + 1, sizeof *own);
    for (size_t x = 0; x < nf; x++)
        if (fcomp.v[x] != NONE) own[fcomp.v[x]]++;
    free(fcomp.v);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && v[j].x == v[i].x) j++;
        plan_service *sv = &p->services.v[v[i].x];
        double others = (double)(nf - own[v[i].x]), callers = (double)(j - i);
        if (sv->kind != PLAN_PROGRAM && j - i >= PLATFORM_MIN_FILES &&
            ((callers >= PLATFORM_FILE_SHARE * others && in[v[i].x] >= PLATFORM_IN_OUT * out[v[i].x]) ||
             (callers >= PLATFORM_LAYER_SHARE * others && in[v[i].x] >= PLATFORM_LAYER_IN_OUT * out[v[i].x]))) {
            if (sv->kind == PLAN_LIBRARY) (*wide)[v[i].x] = j - i;
            else platform[v[i].x] = j - i;
            sv->kind = PLAN_LIBRARY;
        }
        i = j;
    }
    free(own);
    free(out);
    free(in);
    strmap_free(files);
    strmap_free(fileid);
    free(fid);
    free(v);
    return platform;
}

/* Says why the library code libkinds pulled down (pulled[f]: the caller
 * that took it, NONE for none) is where it is, once the kinds are final:
 * a library that calls a service was made a service after all. */
static void pulledwhy(plan *p, const unsigned char *lib, const size_t *pulled) {
    for (size_t f = 0; f < p->g->funcs.n; f++) {
        if (pulled[f] == NONE) continue;
        const gfunc *from = &p->g->funcs.v[pulled[f]];
        int still = p->services.v[p->assign[f]].kind == PLAN_LIBRARY;
        char *t = still ? xasprintf("library code that %s (%s), of a library, calls: it comes "
                                    "down into that library",
                                    from->name, from->file)
                        : xasprintf("library code that %s (%s) calls: it came down with it into "
                                    "what was a library, made a service after all by its calls "
                                    "into services",
                                    from->name, from->file);
        plan_why_set(p, f, lib[f] == LIB_INFRA ? PLAN_WHY_INFRASTRUCTURE : PLAN_WHY_LIBRARY,
                     plan_why_text(p, t));
    }
}

/*
 * Marks (and makes libraries of) the components whose code is all in
 * headers: a function defined in a header is compiled into every file
 * that includes it, so it runs in its callers' process whatever the plan
 * draws, and cannot sit behind a boundary (PostgreSQL's src/include/access,
 * src/include/storage: inline accessors over the backend's structures).
 * Like a platform's, its calls out stay interfaces.  Returns a mark per
 * component, which the caller frees.
 */
static unsigned char *headeronly(plan *p) {
    size_t k = p->services.n;
    unsigned char *header = xmallocarray(k + 1, 1);
    memset(header, 1, k + 1);
    unsigned char *any = xcalloc(k + 1, 1);
    for (size_t f = 0; f < p->g->funcs.n; f++) {
        size_t s = p->assign[f];
        const char *file = p->g->funcs.v[f].file;
        if (s == PLAN_NONE || !file) continue;
        any[s] = 1;
        if (!path_is_header(file)) header[s] = 0;
    }
    for (size_t s = 0; s < k; s++) {
        header[s] = header[s] && any[s] && p->services.v[s].kind != PLAN_PROGRAM;
        if (header[s]) p->services.v[s].kind = PLAN_LIBRARY;
    }
    free(any);
    return header;
}

/* A folder's library and its rest, as libraryrest finds them: per graph
 * function its file, per file its folder, per folder the library holding
 * most of its code (bl lines of dl; NONE: none) and how many services it
 * has. */
typedef struct restfolders {
    const size_t *file, *fdir, *best;
    const double *bl, *dl;
    const size_t *rest;
} restfolders;

/* Gives each file of a library folder's one service that skip does not
 * mark (per file) to the folder's library, saying why; returns whether any
 * moved. */
static int restmove(plan *p, const restfolders *rf, const unsigned char *skip, const char *why) {
    size_t t = NONE;
    int moved = 0;
    for (size_t f = 0; f < p->g->funcs.n; f++) {
        size_t s = p->assign[f], x = rf->file[f];
        if (x == NONE || skip[x] || p->services.v[s].kind != PLAN_SERVICE) continue;
        size_t d = rf->fdir[x];
        if (rf->best[d] == NONE || rf->bl[d] < LIB_MODULE_SHARE * rf->dl[d] || rf->rest[d] != 1)
            continue;
        p->assign[f] = rf->best[d];
        moved = 1;
        if (!p->why) continue;
        if (t == NONE) t = plan_why_text(p, xstrdup(why));
        plan_why_set(p, f, PLAN_WHY_LIBRARY, t);
    }
    return moved;
}

/*
 * The rest of a library folder: a file of the one service of a folder
 * mostly (LIB_MODULE_SHARE) one library's code -- a folder the evidence
 * split into modules has several -- none of whose functions writes
 * state, joins that library (PostgreSQL's
 * src/common/controldata_utils.c, which reads the control file through the
 * backend's file layer).  The maintainers put it with the code linked into
 * everything, and it keeps nothing a boundary would have to cut: it is a
 * client linked in with its folder, its calls into services kept as
 * interfaces, as a platform's are.  Runs once the kinds are final: a
 * library that was made a service takes nothing.  Never fails.
 */
static void libraryrest(plan *p) {
    const graph *g = p->g;
    size_t k = p->services.n, n = g->funcs.n, nd, nf;
    size_t *file = xmallocarray(n ? n : 1, sizeof *file);
    sizevec fdir = {0};
    fileindex(g, file, &fdir, &nf, &nd);
    gpair *v = NULL;
    size_t nv = 0, cap = 0;
    unsigned char *w = writers(g), *writes = xcalloc(nf ? nf : 1, 1);
    for (size_t f = 0; f < n; f++) {
        size_t s = p->assign[f];
        if (s == PLAN_NONE || !g->funcs.v[f].defined) file[f] = NONE; /* placed code only */
        if (file[f] == NONE) continue;
        writes[file[f]] |= w[f];
        if (nv == cap) v = xreallocarray(v, cap = cap ? 2 * cap : 64, sizeof *v);
        v[nv++] = (gpair){fdir.v[file[f]], s, g->funcs.v[f].loc > 0 ? g->funcs.v[f].loc : 1};
    }
    free(w);
    nv = gpair_sum(v, nv, nd, k);
    /* per folder: its code, and the library holding most of it */
    double *dl = xcalloc(nd ? nd : 1, sizeof *dl), *bl = xcalloc(nd ? nd : 1, sizeof *bl);
    size_t *best = xmallocarray(nd ? nd : 1, sizeof *best);
    size_t *rest = xcalloc(nd ? nd : 1, sizeof *rest); /* its services */
    for (size_t d = 0; d < nd; d++) best[d] = NONE;
    for (size_t i = 0; i < nv; i++) {
        dl[v[i].x] += v[i].sites;
        rest[v[i].x] += p->services.v[v[i].y].kind == PLAN_SERVICE;
        if (p->services.v[v[i].y].kind == PLAN_LIBRARY && v[i].sites > bl[v[i].x]) {
            bl[v[i].x] = v[i].sites;
            best[v[i].x] = v[i].y;
        }
    }
    restfolders rf = {file, fdir.v, best, bl, dl, rest};
    restmove(p, &rf, writes,
             "keeps no state, and most of its folder is library code: linked in with that "
             "library, its calls into services kept as interfaces");
    /* then, as in a library folder's grouping (belowrest), a file of the
     * rest that keeps state but calls only libraries joins too, its state
     * the library's own (read.c, the tokenizer of PostgreSQL's node
     * reader, once the rest of src/backend/nodes is linked in); until
     * none moves */
    unsigned char *calls = xmallocarray(nf ? nf : 1, 1); /* calls a non-library elsewhere */
    for (int moved = 1; moved;) {
        memset(calls, 0, nf ? nf : 1);
        for (size_t i = 0; i < g->calls.n; i++) {
            const gcall *c = &g->calls.v[i];
            size_t a = file[c->from], b = p->assign[c->to];
            if (c->indirect || a == NONE || b == PLAN_NONE || file[c->to] == a) continue;
            if (p->services.v[b].kind != PLAN_LIBRARY) calls[a] = 1;
        }
        moved = restmove(p, &rf, calls,
                         "calls only library code, and most of its folder is library code: "
                         "linked in with that library, state and all");
    }
    free(calls);
    free(rest);
    free(best);
    free(bl);
    free(dl);
    free(writes);
    free(v);
    free(fdir.v);
    free(file);
}

/* Kinds of the components (below); returns platforms()'s counts, which the
 * caller frees. */
static size_t *libkinds(plan *p, const unsigned char *plat, const unsigned char *lib,
                        const unsigned char *utility) {
    size_t k = p->services.n;
    double *libloc = xcalloc(k, sizeof *libloc), *loc = xcalloc(k, sizeof *loc);
    for (size_t f = 0; f < p->g->funcs.n; f++) {
        size_t s = p->assign[f];
        if (s == PLAN_NONE) continue;
        double l = p->g->funcs.v[f].loc > 0 ? p->g->funcs.v[f].loc : 1;
        loc[s] += l;
        if (lib[f]) libloc[s] += l;
    }
    for (size_t s = 0; s < k; s++)
        if (p->services.v[s].kind == PLAN_SERVICE && libloc[s] >= LIB_MODULE_SHARE * loc[s])
            p->services.v[s].kind = PLAN_LIBRARY;
    free(libloc);
    free(loc);
    size_t *wide;
    size_t *platform = platforms(p, plat, &wide);
    unsigned char *header = headeronly(p);
    size_t *pulled = xmallocarray(p->g->funcs.n ? p->g->funcs.n : 1, sizeof *pulled);
    for (size_t f = 0; f < p->g->funcs.n; f++) pulled[f] = NONE;
    /* A library is linked into its callers and cannot call a service
     * (plans list no interface out of a library, and check would report
     * each such call as new).  A library function it calls in a service --
     * of its own folder, or anywhere for a folder's shared utilities, the
     * program's library layer -- comes down into the library with it
     * (stateless code, or infrastructure, that both can link); a call to
     * anything else keeps the calling module a service -- unless half the
     * program calls the module by name: then it is a platform (Git's
     * string buffers and error reporting, whose exit path calls into the
     * program's main file), its calls out kept as interfaces.  Until
     * nothing changes: each round moves a function down or demotes a
     * module, neither of which is undone, so it ends. */
    for (int changed = 1; changed;) {
        changed = 0;
        for (size_t i = 0; i < p->g->calls.n; i++) {
            const gcall *c = &p->g->calls.v[i];
            size_t a = p->assign[c->from], b = p->assign[c->to];
            if (c->indirect || a == PLAN_NONE || b == PLAN_NONE || a == b) continue;
            if (p->services.v[a].kind != PLAN_LIBRARY || p->services.v[b].kind == PLAN_LIBRARY ||
                platform[a] || header[a])
                continue;
            if (lib[c->to] && p->services.v[b].kind != PLAN_PROGRAM &&
                (utility[a] || samefolder(p->g->funcs.v[c->from].file, p->g->funcs.v[c->to].file))) {
                p->assign[c->to] = a;
                pulled[c->to] = c->from;
            } else if (wide[a])
                platform[a] = wide[a];
            else
                p->services.v[a].kind = PLAN_SERVICE;
            changed = 1;
        }
    }
    libraryrest(p);
    /* a folder's utilities that call services are a service: the evidence
     * grouped them, as it does a module */
    for (size_t f = 0; p->why && f < p->g->funcs.n; f++)
        if (p->why[f].reason == PLAN_WHY_LIBRARY && p->assign[f] != PLAN_NONE &&
            p->services.v[p->assign[f]].kind != PLAN_LIBRARY)
            p->why[f].reason = PLAN_WHY_MODULE;
    pulledwhy(p, lib, pulled);
    free(pulled);
    free(wide);
    free(header);
    return platform;
}

/*
 * The library code of a library component says how it came into the
 * library layer (libsentence), then where its folder step placed it;
 * code placed otherwise (merged, pulled down, not library code) keeps its
 * reason.  A sentence is made once per root, reason and folder.
 */
static void librarywhy(plan *p, const unsigned char *lib, const libwhy *lw) {
    strmap *made = strmap_new();
    for (size_t f = 0; f < p->g->funcs.n; f++) {
        size_t s = p->assign[f];
        if (s == PLAN_NONE || !lib[f] || p->services.v[s].kind != PLAN_LIBRARY) continue;
        unsigned r = p->why[f].reason;
        if (r != PLAN_WHY_FOLDER && r != PLAN_WHY_MODULE && r != PLAN_WHY_LAYER) continue;
        size_t root = lw->from[f], t;
        char *dir = foldername(p->g->funcs.v[f].file);
        char *key = xasprintf("%zu %u %s", root, r, dir);
        if (root == f || !strmap_get(made, key, &t)) {
            char *how = libsentence(p->g, lw, f);
            const char *in = r == PLAN_WHY_FOLDER  ? ""
                             : r == PLAN_WHY_LAYER ? "in a layer of "
                                                   : "in a module of ";
            t = plan_why_text(p, xasprintf("%s; %s%s", how, in, dir));
            free(how);
            if (root != f) strmap_put(made, key, t);
        }
        free(key);
        free(dir);
        plan_why_set(p, f, lw->how[root] == ROOT_INFRA ? PLAN_WHY_INFRASTRUCTURE : PLAN_WHY_LIBRARY,
                     t);
    }
    strmap_free(made);
}

/* A component too small to own any file (a few functions cut off from
 * their file) is folded into the component that owns their file. */
static void absorbfragments(plan *p) {
    strmap *owner = strmap_new();
    int any = 0;
    for (size_t i = 0; i < p->services.n; i++) {
        const plan_service *s = &p->services.v[i];
        for (size_t j = 0; j < s->files.n; j++) strmap_put(owner, s->files.v[j], i);
        any |= s->files.n == 0 && s->kind != PLAN_FUNCTION;
    }
    strmap *said = strmap_new(); /* a sentence per file */
    for (size_t i = 0; any && i < p->services.n; i++) {
        const plan_service *s = &p->services.v[i];
        if (s->files.n != 0 || s->kind == PLAN_FUNCTION) continue;
        for (size_t j = 0; j < s->funcs.n; j++) {
            size_t f = s->funcs.v[j], o, t;
            const char *file = p->g->funcs.v[f].file;
            if (!file || !strmap_get(owner, file, &o)) continue;
            p->assign[f] = o;
            if (!strmap_get(said, file, &t)) {
                t = plan_why_text(p, xasprintf("cut off from %s with too little code to own a "
                                               "file: folded into the component that owns it",
                                               file));
                strmap_put(said, file, t);
            }
            plan_why_set(p, f, PLAN_WHY_FRAGMENT, t);
        }
    }
    strmap_free(said);
    strmap_free(owner);
    if (any) plan_finish(p);
}

/* The default granularity's steps into p (fresh from plan_new): the
 * library layer (plat as librarylayer takes it), the folders' groups and
 * the kinds; lw (zeroed) and lib are filled as librarylayer leaves them.
 * Returns libkinds's platform counts, which the caller frees. */
static size_t *componentplan(plan *p, const unsigned char *plat, unsigned char *lib, libwhy *lw) {
    const graph *g = p->g;
    size_t n = g->funcs.n;
    librarylayer(g, plat, lib, lw);
    unsigned char *member = xcalloc(n ? n : 1, 1);
    for (size_t f = 0; f < n; f++) member[f] = g->funcs.v[f].defined;
    unsigned char *utility = NULL;
    folderplan(p, member, lib, plat, &utility);
    free(member);
    size_t *platform = libkinds(p, plat, lib, utility);
    free(utility);
    if (p->why) librarywhy(p, lib, lw);
    return platform;
}

/* A plan whose code is nearly all library code, in a program that writes
 * almost no global (OpenVPN keeps its state in a struct each function is
 * handed), says why: state kept in structures passed by pointer is not
 * seen, so the plan cannot tell services apart.  The shares are
 * UNSEEN_LIB_SHARE of the code outside programs, and fewer than
 * UNSEEN_WRITERS of the defined functions writing a global. */
#define UNSEEN_LIB_SHARE 0.9
#define UNSEEN_WRITERS 0.05
static void unseenstate(plan *p) {
    const graph *g = p->g;
    double lib = 0, all = 0;
    size_t defined = 0, nwriters = 0;
    unsigned char *w = writers(g);
    for (size_t f = 0; f < g->funcs.n; f++) {
        size_t s = p->assign[f];
        if (!g->funcs.v[f].defined || s == PLAN_NONE) continue;
        defined++;
        nwriters += w[f];
        if (p->services.v[s].kind == PLAN_PROGRAM) continue;
        double l = g->funcs.v[f].loc > 0 ? g->funcs.v[f].loc : 1;
        all += l;
        if (p->services.v[s].kind == PLAN_LIBRARY) lib += l;
    }
    free(w);
    if (all <= 0 || lib < UNSEEN_LIB_SHARE * all || (double)nwriters >= UNSEEN_WRITERS * (double)defined)
        return;
    strvec_push_owned(&p->notes,
                      xasprintf("state: only %zu of the %zu functions write a global, and library "
                                "components hold %.0f%% of the code outside programs; state kept in "
                                "structures passed by pointer is not seen, so this code reads as "
                                "stateless and the plan cannot tell services apart",
                                nwriters, defined, 100.0 * lib / all));
}

plan *cluster_plan(const graph *g, const plan_options *opt) {
    plan *p = plan_new(g, opt);
    size_t n = g->funcs.n;
    unsigned char *lib = xcalloc(n ? n : 1, 1);
    size_t *platform = NULL;
    libwhy lw = {0};
    if (p->opts.granularity == GRAN_FUNCTION) {
        librarylayer(g, NULL, lib, &lw);
        functionplan(p, lib, &lw);
        p->resolution = 1.0;
    } else {
        platform = componentplan(p, NULL, lib, &lw);
        /* A platform is linked into everything, so calling one keeps no
         * code out of the library layer (src/common's string buffers call
         * the memory contexts and the error reporter): once they are
         * known, the plan is made again with them as given, once. */
        unsigned char *plat = NULL;
        for (size_t f = 0; f < n; f++) {
            size_t s = p->assign[f];
            if (s == PLAN_NONE || !platform[s]) continue;
            if (!plat) plat = xcalloc(n, 1);
            plat[f] = 1;
        }
        if (plat) {
            free(platform);
            libwhy_free(&lw);
            memset(&lw, 0, sizeof lw);
            plan_free(p);
            p = plan_new(g, opt);
            platform = componentplan(p, plat, lib, &lw);
            free(plat);
        }
    }
    libwhy_free(&lw);
    free(lib);
    if (!p->why) p->why = xcalloc(n ? n : 1, sizeof *p->why); /* nothing placed: an empty record */
    /* plan_finish renumbers the components: a platform is known after it
     * by one of its functions */
    size_t *rep = NULL;
    if (platform) {
        rep = xmallocarray(p->services.n + 1, sizeof *rep);
        for (size_t s = 0; s < p->services.n; s++) rep[s] = PLAN_NONE;
        for (size_t f = n; f-- > 0;)
            if (p->assign[f] != PLAN_NONE) rep[p->assign[f]] = f;
    }
    size_t was = p->services.n;
    plan_finish(p);
    size_t files = 0;
    for (size_t s = 0; s < p->services.n; s++) files += p->services.v[s].files.n;
    /* "with its state" when it writes any: reading what others write is
     * no state of its own (the verdict's sense) */
    unsigned char *writes = xcalloc(p->services.n + 1, 1);
    if (platform) {
        unsigned char *w = writers(g);
        for (size_t f = 0; f < n; f++)
            if (w[f] && p->assign[f] != PLAN_NONE) writes[p->assign[f]] = 1;
        free(w);
    }
    for (size_t s = 0; platform && s < was; s++) {
        if (!platform[s] || rep[s] == PLAN_NONE || p->assign[rep[s]] == PLAN_NONE) continue;
        const plan_service *sv = &p->services.v[p->assign[rep[s]]];
        int state = writes[p->assign[rep[s]]];
        strvec_push_owned(&p->notes,
                          xasprintf("platform: code in %zu of the %zu files outside it calls %s by "
                                    "name; it is linked into every component%s, its calls out kept "
                                    "as interfaces",
                                    platform[s], files - sv->files.n, sv->name,
                                    state ? ", with its state" : ""));
    }
    free(writes);
    free(rep);
    free(platform);
    absorbfragments(p);
    if (p->opts.granularity != GRAN_FUNCTION) unseenstate(p);
    return p;
}
