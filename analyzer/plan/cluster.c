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
 * Deterministic: every step iterates in index order.  Temporary arrays are
 * freed before returning; the returned plan owns its data.
 */
#include "plan/cluster.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plan/coarsen.h"
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
#define DEFAULT_GAMMA 1.0   /* resolution inside a folder */
#define CUT_TAU 0.25        /* a part splits off a folder below this conductance */
#define MODULE_COHESION 0.5 /* ... and when most of its ties are internal */
#define LAYER_FILES 3       /* a self-contained layer of a folder: files ... */
#define LAYER_SHARE 0.10    /* ... and share of the folder's code, at least */
#define LAYER_MAX_SHARE 0.5 /* ... and share of its files, at most: a layer is below the rest */
#define FLAT_SHARE 0.60     /* a folder with this share of the code is split by dependencies */
#define LIB_MODULE_SHARE 0.5 /* a module mostly library code is a library */
/* --services N searches the resolution between the default and this, by
 * bisection in the log, for at most RESOLUTION_STEPS steps: 64 splits any
 * folder of the trees tried into single files, and 20 halvings of that
 * range are finer than any change in the partition. */
#define RESOLUTION_MAX 64.0
#define RESOLUTION_STEPS 20

#define NONE ((size_t)-1)

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

/* Number of defined functions reachable from f by direct calls, counting
 * up to cap (stops early).  mark/stack are scratch of n entries; mark must
 * be all zero on entry and is left zero. */
static size_t reach(const adj *a, size_t f, size_t cap, unsigned char *mark, size_t *stack) {
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
            if (!mark[u]) {
                mark[u] = 1;
                visited[top++] = u;
            }
        }
    }
    for (size_t i = 0; i < top; i++) mark[visited[i]] = 0;
    return seen > cap ? cap + 1 : seen;
}

/* Marks f and everything it calls as library. */
static void libclosure(const adj *a, size_t f, unsigned char *lib, size_t *stack) {
    size_t top = 0;
    stack[top++] = f;
    while (top) {
        size_t v = stack[--top];
        if (lib[v]) continue;
        lib[v] = 1;
        for (size_t p = a->off[v]; p < a->off[v + 1]; p++)
            if (!lib[a->to[p]]) stack[top++] = a->to[p];
    }
}

void cluster_library(const graph *g, unsigned char *lib) {
    size_t n = g->funcs.n;
    memset(lib, 0, n);
    if (n == 0) return;
    adj a;
    adj_build(g, &a);
    /* candidates: defined and stateless */
    unsigned char *cand = xcalloc(n, 1);
    for (size_t i = 0; i < n; i++) cand[i] = g->funcs.v[i].defined;
    for (size_t i = 0; i < g->accesses.n; i++)
        if (g->accesses.v[i].writes) cand[g->accesses.v[i].function] = 0;
    /* greatest fixpoint: a candidate calls only candidates (or externals) */
    size_t *work = xmallocarray(n, sizeof *work);
    size_t nw = 0;
    for (size_t i = 0; i < n; i++)
        if (!cand[i] && g->funcs.v[i].defined) work[nw++] = i;
    while (nw) {
        size_t v = work[--nw];
        for (size_t p = a.ioff[v]; p < a.ioff[v + 1]; p++) {
            size_t u = a.from[p];
            if (cand[u]) {
                cand[u] = 0;
                work[nw++] = u;
            }
        }
    }
    /* roots: called from several other files, reaching little */
    size_t defined = 0;
    for (size_t i = 0; i < n; i++) defined += g->funcs.v[i].defined;
    size_t cap = (size_t)(LIB_REACH_SHARE * (double)defined);
    if (cap < LIB_REACH_MIN) cap = LIB_REACH_MIN;
    unsigned char *mark = xcalloc(n, 1);
    size_t *stack = xmallocarray(n, sizeof *stack);
    /* files and folders as numbers, each named once: counting a function's
     * caller files and folders then takes stamps, not strings */
    size_t *ffile = xmallocarray(n, sizeof *ffile), nfile = 0, ndir = 0;
    struct { size_t *v; size_t n, cap; } fdir = {0};
    strmap *fileidx = strmap_new(), *diridx = strmap_new();
    for (size_t f = 0; f < n; f++) {
        const gfunc *fn = &g->funcs.v[f];
        ffile[f] = NONE;
        if (!fn->file) continue;
        int added;
        ffile[f] = strmap_intern(fileidx, fn->file, nfile, &added);
        if (!added) continue;
        nfile++;
        char *d = path_dirname(fn->file);
        size_t di = strmap_intern(diridx, d, ndir, &added);
        ndir += (size_t)added;
        VEC_PUSH(fdir, di);
        free(d);
    }
    strmap_free(fileidx);
    strmap_free(diridx);
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
        int header = !str_endswith(own, ".c");
        if (!header && (nfiles < LIB_CALLER_FILES || (!flat && ndirs < LIB_CALLER_DIRS))) continue;
        if (reach(&a, f, cap, mark, stack) > cap) continue;
        libclosure(&a, f, lib, stack);
    }
    free(filestamp);
    free(dirstamp);
    free(dl);
    free(fdir.v);
    free(ffile);
    /* a file that holds library code is a utility module: its other
     * stateless functions belong to the library too */
    strmap *libfiles = strmap_new();
    for (size_t f = 0; f < n; f++)
        if (lib[f] && g->funcs.v[f].file) strmap_put(libfiles, g->funcs.v[f].file, 1);
    for (size_t f = 0; f < n; f++)
        if (cand[f] && !lib[f] && g->funcs.v[f].file && strmap_get(libfiles, g->funcs.v[f].file, NULL))
            libclosure(&a, f, lib, stack);
    strmap_free(libfiles);
    free(stack);
    free(mark);
    free(work);
    free(cand);
    adj_free(&a);
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

static void addlibraries(plan *p, const unsigned char *lib);

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

static void functionplan(plan *p, const unsigned char *lib) {
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
    for (size_t f = 0; f < n; f++) {
        if (!g->funcs.v[f].defined || lib[f]) continue;
        size_t d = f;
        /* climb to the nearest dominating entry point */
        while (d != NONE && d != n && !entry[d]) d = idom[d];
        if (d != NONE && d != n && entry[d]) p->assign[f] = svc[d];
        else shared[f] = 1; /* reached from several entries, or from none */
    }
    /* shared code: stateless -> library, the rest -> shared services */
    addlibraries(p, lib);
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

/* Files of the member functions and the weighted graph between them: file
 * nodes 0..nfiles-1, then one node per global state item. */
typedef struct fgraph {
    strvec files;   /* sorted */
    size_t *ffile;  /* graph function -> file node, NONE for non-members */
    double *loc;    /* lines of code of each file's member functions */
    double total;   /* ... of all files */
    unsigned char *writes; /* file writes (or hands out the address of) global state */
    size_t nnodes;
    const graph *g;
    wgraph *w;      /* the weighted graph, built when first needed (fgraph_weights) */
    struct { struct fcall { size_t a, b; } *v; size_t n, cap; } calls; /* file a calls file b */
    size_t *coff, *cto; /* the same by calling file: file a calls cto[coff[a] .. coff[a + 1]),
                           in `calls` order */
} fgraph;

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
    for (size_t i = 0; i < g->calls.n; i++) {
        const gcall *c = &g->calls.v[i];
        size_t a = fg->ffile[c->from], b = fg->ffile[c->to];
        if (a == NONE || b == NONE || a == b || c->indirect) continue;
        {
            struct fcall x = {a, b};
            VEC_PUSH(fg->calls, x);
        }
    }
    fg->coff = xcalloc(nf + 1, sizeof *fg->coff);
    fg->cto = xmallocarray(fg->calls.n, sizeof *fg->cto);
    for (size_t i = 0; i < fg->calls.n; i++) fg->coff[fg->calls.v[i].a + 1]++;
    for (size_t i = 0; i < nf; i++) fg->coff[i + 1] += fg->coff[i];
    size_t *cpos = xmallocarray(nf + 1, sizeof *cpos);
    memcpy(cpos, fg->coff, (nf + 1) * sizeof *cpos);
    for (size_t i = 0; i < fg->calls.n; i++) fg->cto[cpos[fg->calls.v[i].a]++] = fg->calls.v[i].b;
    free(cpos);
    fg->writes = xcalloc(nf ? nf : 1, 1);
    for (size_t i = 0; i < g->accesses.n; i++) {
        size_t x = fg->ffile[g->accesses.v[i].function];
        if (x != NONE && g->accesses.v[i].writes) fg->writes[x] = 1;
    }
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
    strvec_free(&fg->files);
    free(fg->ffile);
    free(fg->loc);
    free(fg->writes);
    free(fg->calls.v);
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
     * fg->calls order), from its files' own calls: a pass over all calls
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
    /* each closed file joins the non-helper files of its closure */
    size_t *parent = xmallocarray(nn, sizeof *parent);
    for (size_t i = 0; i < nn; i++) parent[i] = i;
    for (size_t r = 0; r < nn; r++) {
        if (!closed[r] || helper[r]) continue;
        size_t ns = 0, top = 0;
        stack[top++] = r;
        mark[r] = 1;
        while (top) {
            size_t v = stack[--top];
            seen[ns++] = v;
            if (!helper[v]) parent[uf_find(parent, v)] = uf_find(parent, r);
            for (size_t p = off[v]; p < off[v + 1]; p++)
                if (!mark[to[p]]) {
                    mark[to[p]] = 1;
                    stack[top++] = to[p];
                }
        }
        for (size_t i = 0; i < ns; i++) mark[seen[i]] = 0;
    }
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
     * one layer (and the helpers), like Lua's lapi.c -- joins that layer */
    for (size_t v = 0; v < nn; v++) {
        size_t into = NONE;
        int facade = gid[v] == NONE && !helper[v];
        for (size_t p = off[v]; facade && p < off[v + 1]; p++) {
            size_t u = to[p];
            if (helper[u]) continue;
            if (gid[u] == NONE || (into != NONE && gid[u] != into)) facade = 0;
            else into = gid[u];
        }
        group[nodes[v]] = gid[v] != NONE ? gid[v] : facade && into != NONE ? into : NONE;
    }
    free(used);
    free(loc);
    free(count);
    free(gid);
    free(parent);
    free(seen);
    free(stack);
    free(mark);
    free(helper);
    free(closed);
    free(pos);
    free(to);
    free(off);
}

/*
 * Groups of files: one per folder, less its self-contained lower layers.
 * A folder holding most of the program (a flat tree, where folders say
 * little) is further split by dependencies alone (splitfolder); so is
 * every folder when `deep` is set (--services asking for more).
 * Returns the number of groups.
 */
static size_t foldergroups(fgraph *fg, double gamma, int deep, size_t *group) {
    size_t nf = fg->files.n, next = 0;
    size_t *nodes = xmallocarray(nf, sizeof *nodes);
    size_t *local = scratch(nf); /* layers' scratch */
    size_t *split = NULL; /* splitfolder's scratch, made when first needed */
    size_t *doff, *dfiles;
    size_t nd = folders(fg, &doff, &dfiles);
    for (size_t d = 0; d < nd; d++) {
        size_t nn = 0;
        double loc = 0;
        for (size_t j = doff[d]; j < doff[d + 1]; j++) {
            nodes[nn++] = dfiles[j];
            loc += fg->loc[dfiles[j]];
        }
        layers(fg, nodes, nn, local, group, &next);
        size_t rest = 0;
        for (size_t j = 0; j < nn; j++)
            if (group[nodes[j]] == NONE) nodes[rest++] = nodes[j];
        if (rest == 0) continue;
        if (deep || loc >= FLAT_SHARE * fg->total) {
            if (!split) split = scratch(fg->nnodes);
            splitfolder(fg, fgraph_weights(fg), nodes, rest, gamma, CUT_TAU, split, group, &next);
        } else {
            size_t id = next++;
            for (size_t j = 0; j < rest; j++) group[nodes[j]] = id;
        }
    }
    free(doff);
    free(dfiles);
    free(split);
    free(local);
    free(nodes);
    return next;
}

static void folderplan(plan *p, const unsigned char *member) {
    const graph *g = p->g;
    fgraph fg;
    fgraph_build(g, member, &fg);
    size_t nf = fg.files.n;
    size_t *group = xmallocarray(nf, sizeof *group);
    double gamma = p->opts.resolution > 0 ? p->opts.resolution : DEFAULT_GAMMA;
    for (size_t i = 0; i < nf; i++) group[i] = NONE;
    size_t k = foldergroups(&fg, gamma, 0, group);
    if (p->opts.services > 0 && k < (size_t)p->opts.services) {
        /* more groups: raise the resolution until the folders split enough */
        double lo = gamma, hi = RESOLUTION_MAX;
        for (int it = 0; it < RESOLUTION_STEPS && k != (size_t)p->opts.services; it++) {
            double mid = sqrt(lo * hi);
            for (size_t i = 0; i < nf; i++) group[i] = NONE;
            k = foldergroups(&fg, mid, 1, group);
            if (k < (size_t)p->opts.services) lo = mid;
            else hi = mid, gamma = mid;
        }
        if (k < (size_t)p->opts.services) gamma = lo;
        for (size_t i = 0; i < nf; i++) group[i] = NONE;
        k = foldergroups(&fg, gamma, 1, group);
    }
    if (p->opts.services > 0 && k > (size_t)p->opts.services)
        k = coarsen_groups(fgraph_weights(&fg), nf, group, k, (size_t)p->opts.services);
    p->resolution = gamma;
    size_t base = p->services.n;
    for (size_t i = 0; i < k; i++) plan_add_service(p, PLAN_SERVICE);
    for (size_t f = 0; f < g->funcs.n; f++)
        if (fg.ffile[f] != NONE) p->assign[f] = base + group[fg.ffile[f]];
    free(group);
    fgraph_free(&fg);
}

/* Library components: the library functions of each folder, split where a
 * cohesive group of files is loosely coupled to the rest (readline's folder
 * holds the history library), as splitfolder decides for services. */
static void addlibraries(plan *p, const unsigned char *lib) {
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
    for (size_t f = 0; f < g->funcs.n; f++)
        if (fg.ffile[f] != NONE) p->assign[f] = base + group[fg.ffile[f]];
    free(nodes);
    free(group);
    fgraph_free(&fg);
}

/* A module (a folder's group of files) whose code is mostly library code
 * is a library; the rest are services. */
static void libkinds(plan *p, const unsigned char *lib) {
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
    /* A library is linked into its callers and cannot call a service
     * (plans list no interface out of a library, and check would report
     * each such call as new): a module that calls into a service directly
     * stays a service, until no library does (each round demotes one at
     * least, so it ends). */
    for (int changed = 1; changed;) {
        changed = 0;
        for (size_t i = 0; i < p->g->calls.n; i++) {
            const gcall *c = &p->g->calls.v[i];
            size_t a = p->assign[c->from], b = p->assign[c->to];
            if (c->indirect || a == PLAN_NONE || b == PLAN_NONE || a == b) continue;
            if (p->services.v[a].kind == PLAN_LIBRARY && p->services.v[b].kind != PLAN_LIBRARY) {
                p->services.v[a].kind = PLAN_SERVICE;
                changed = 1;
            }
        }
    }
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
    for (size_t i = 0; any && i < p->services.n; i++) {
        const plan_service *s = &p->services.v[i];
        if (s->files.n != 0 || s->kind == PLAN_FUNCTION) continue;
        for (size_t j = 0; j < s->funcs.n; j++) {
            size_t f = s->funcs.v[j], o;
            const char *file = p->g->funcs.v[f].file;
            if (file && strmap_get(owner, file, &o)) p->assign[f] = o;
        }
    }
    strmap_free(owner);
    if (any) plan_finish(p);
}

plan *cluster_plan(const graph *g, const plan_options *opt) {
    plan *p = plan_new(g, opt);
    size_t n = g->funcs.n;
    unsigned char *lib = xcalloc(n ? n : 1, 1);
    cluster_library(g, lib);
    if (p->opts.granularity == GRAN_FUNCTION) {
        functionplan(p, lib);
        p->resolution = 1.0;
    } else {
        unsigned char *member = xcalloc(n ? n : 1, 1);
        for (size_t f = 0; f < n; f++) member[f] = g->funcs.v[f].defined;
        folderplan(p, member);
        free(member);
        libkinds(p, lib);
    }
    free(lib);
    plan_finish(p);
    absorbfragments(p);
    return p;
}
