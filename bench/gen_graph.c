/*
 * gen_graph.c - writes a synthetic program graph (schema cleave.graph/2,
 * docs/graph-json.md) of a chosen size, for bench/plan_scale.sh: what
 * `cleave scan` would write for a large, layered C code base, so that
 * `cleave plan --graph` can be timed from 10k to millions of functions.
 * A benchmark tool, built by the bench scripts with cc; not part of cleave.
 *
 *   gen_graph -n FUNCTIONS [--calls-per K] [--seed S] [-o FILE]
 *
 * The shape (all random choices come from one seeded generator, so the
 * same arguments give the same bytes):
 *   - code lives in src/<component>/<module>/<file>.c (a quarter of the
 *     modules nested one level deeper), about 20 functions per file
 *     (8-32), 3-14 files per module, 4-12 modules per component;
 *   - a utility layer (5% of the functions) in src/lib/<lib>/: stateless,
 *     calling only later functions of its own file and libc; each module
 *     uses 3-8 of its libraries, and both the libraries and the functions
 *     within one are picked with a power law (Zipf, s = 1): a few are
 *     called from everywhere, most from a few places;
 *   - about 30% of functions are static; each module exports the first
 *     quarter of each file's functions as its API;
 *   - calls: K per function on average (distinct edges, sites 1-3, loop
 *     depth 0-2): 38% to the same file (mostly to later, lower-level
 *     functions), 22% to the same module, 20% to the utility layer, 9% to
 *     the modules of its component it depends on (1-3 lower ones, and one
 *     module in ten also calls back up), 5% to modules of other components
 *     it depends on (0-2 of earlier components, one in fifty anywhere),
 *     6% to libc;
 *   - state: file-scope statics, one extern struct per module with three
 *     fields, a global config everything reads; functions write their own
 *     file's and module's state and read other modules' fields now and then;
 *   - dispatch tables: per module one dispatcher with an indirect call site
 *     (through a struct field) to 2-6 address-taken handlers of its module,
 *     plus one unresolved site per component;
 *   - src/main.c: main calls each component's init.
 * Functions, globals, calls and accesses are sorted as the schema says, so
 * the file loads as it is.
 *
 * Memory: everything is allocated once and held until exit (a benchmark
 * tool); about 150 bytes per function and 24 per call.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ------------------------------------------------------------- */

static void *xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "gen_graph: out of memory\n");
        exit(2);
    }
    return p;
}

static void *xrealloc(void *p, size_t n) {
    p = realloc(p, n ? n : 1);
    if (!p) {
        fprintf(stderr, "gen_graph: out of memory\n");
        exit(2);
    }
    return p;
}

static char *xstrdup(const char *s) {
    size_t n = strlen(s) + 1;
    return memcpy(xmalloc(n), s, n);
}

#define PUSH(a, x)                                                       \
    do {                                                                 \
        if ((a).n == (a).cap) {                                          \
            (a).cap = (a).cap ? 2 * (a).cap : 64;                        \
            (a).v = xrealloc((a).v, (a).cap * sizeof *(a).v);            \
        }                                                                \
        (a).v[(a).n++] = (x);                                            \
    } while (0)

/* splitmix64: small, fast, good enough, the same everywhere */
static uint64_t rng_state;
static uint64_t rnd(void) {
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
/* uniform in [lo, hi] */
static long range(long lo, long hi) { return lo + (long)(rnd() % (uint64_t)(hi - lo + 1)); }
/* uniform in [0, 1) */
static double unit(void) { return (double)(rnd() >> 11) * (1.0 / 9007199254740992.0); }
/* true with probability p */
static int chance(double p) { return unit() < p; }

static const char *const WORDS[] = {
    "acct", "alloc", "auth", "batch", "bill", "buf", "cache", "cart", "cfg", "chan",
    "cmd", "conn", "cron", "db", "disp", "doc", "evt", "feed", "file", "geo",
    "hash", "http", "idx", "inv", "job", "key", "ledger", "lock", "log", "mail",
    "map", "meta", "msg", "net", "node", "order", "page", "parse", "pay", "peer",
    "pipe", "plan", "pool", "price", "proto", "queue", "rate", "rec", "repl", "req",
    "route", "rule", "sched", "search", "sess", "ship", "shard", "sock", "span", "sql",
    "stat", "stock", "store", "sync", "task", "tax", "tls", "token", "trace", "tx",
    "user", "vat", "view", "wal", "web", "zone"};
#define NWORDS (sizeof WORDS / sizeof *WORDS)
static const char *const VERBS[] = {
    "get", "set", "add", "del", "find", "make", "free", "init", "load", "save",
    "read", "write", "check", "apply", "merge", "split", "parse", "emit", "send", "recv",
    "open", "close", "flush", "scan", "sort", "walk", "copy", "move", "lock", "wait"};
#define NVERBS (sizeof VERBS / sizeof *VERBS)
static const char *const LIBC[] = {
    "abort", "calloc", "fclose", "fopen", "fprintf", "fread", "free", "fwrite", "malloc",
    "memcmp", "memcpy", "memmove", "memset", "printf", "qsort", "realloc", "snprintf",
    "strchr", "strcmp", "strcpy", "strdup", "strlen", "strncmp", "strtol", "time"};
#define NLIBC (sizeof LIBC / sizeof *LIBC)

/* "<word><k>" for the k-th name of a kind: unique, readable */
static char *wordname(size_t k) {
    char buf[64];
    if (k < NWORDS) snprintf(buf, sizeof buf, "%s", WORDS[k]);
    else snprintf(buf, sizeof buf, "%s%zu", WORDS[k % NWORDS], k / NWORDS);
    return xstrdup(buf);
}

/* ---- the program --------------------------------------------------------- */

typedef struct file {
    char *path;
    size_t first, n;   /* its functions: first .. first + n - 1 (generation order) */
    size_t module;     /* NONE for the utility layer and main.c */
    size_t gstatic;    /* its file-scope static global (index into globals) */
    int lines;         /* running line counter while laying out functions */
} file;

typedef struct module {
    size_t comp;
    size_t ffirst, nfiles;   /* its files */
    size_t gstruct;          /* its extern struct (index of the variable) */
    size_t api[64];          /* extern functions callable from elsewhere */
    size_t napi;
    size_t dep[8], ndep;     /* modules of its component it calls into */
    size_t ext[4], next;     /* modules of other components it calls into */
    size_t lib[8], nlib;     /* utility libraries it uses */
} module;

typedef struct func {
    char *id, *name;
    size_t file;             /* NONE: an external (libc) function */
    int line, end_line, loc;
    unsigned char linkage;   /* 0 extern, 1 static */
    unsigned char util, addr;
} func;

typedef struct global {
    char *id, *name, *parent;
    size_t file;
    int line;
    unsigned char linkage, kind; /* kind: 0 variable, 1 static_local, 2 field */
} global;

typedef struct edge {
    uint32_t from, to;       /* ranks (sorted positions) once sorted */
    uint8_t indirect, sites, depth;
} edge;

typedef struct access {
    uint32_t fn, gl;
    uint8_t mode, count;     /* mode: 0 read, 1 write, 2 address */
} access;

#define NONE ((size_t)-1)

static struct { file *v; size_t n, cap; } files;
static struct { module *v; size_t n, cap; } modules;
static struct { func *v; size_t n, cap; } funcs;
static struct { global *v; size_t n, cap; } globals;
static struct { edge *v; size_t n, cap; } edges;
static struct { access *v; size_t n, cap; } accs;
static struct { size_t *v; size_t n, cap; } util_api; /* extern utility functions, by library */
static struct { size_t *v; size_t n, cap; } lib_first;  /* library k: util_api[lib_first[k] .. lib_first[k+1]) */
static size_t ncomps, libc_first, util_first, util_n, gconfig;
static size_t ind_sites, ind_resolved, ind_targets; /* indirect call sites */
static size_t *comp_init; /* per component: its init function */

static size_t addfunc(size_t fi, const char *name, int is_static) {
    file *f = &files.v[fi];
    func x = {0};
    x.name = xstrdup(name);
    x.file = fi;
    x.linkage = (unsigned char)is_static;
    x.loc = (int)range(4, 40);
    x.line = f->lines + 2;
    x.end_line = x.line + x.loc + (int)range(1, 6);
    f->lines = x.end_line;
    if (is_static) {
        x.id = xmalloc(strlen(f->path) + strlen(name) + 2);
        sprintf(x.id, "%s:%s", f->path, name);
    } else {
        x.id = xstrdup(name);
    }
    PUSH(funcs, x);
    f->n++;
    return funcs.n - 1;
}

static size_t addfile(const char *path, size_t module) {
    file f = {0};
    f.path = xstrdup(path);
    f.first = funcs.n;
    f.module = module;
    f.gstatic = NONE;
    f.lines = 20;
    PUSH(files, f);
    return files.n - 1;
}

static size_t addglobal(const char *id, const char *name, size_t fi, int linkage, int kind,
                        const char *parent) {
    global x = {0};
    x.id = xstrdup(id);
    x.name = xstrdup(name);
    x.parent = parent ? xstrdup(parent) : NULL;
    x.file = fi;
    x.line = (int)range(5, 18);
    x.linkage = (unsigned char)linkage;
    x.kind = (unsigned char)kind;
    PUSH(globals, x);
    return globals.n - 1;
}

static void addedge(size_t from, size_t to, int indirect) {
    if (from == to) return;
    edge e = {(uint32_t)from, (uint32_t)to, (uint8_t)indirect, 1, 0};
    if (!indirect) {
        e.sites = chance(0.75) ? 1 : chance(0.7) ? 2 : 3;
        e.depth = chance(0.7) ? 0 : chance(0.7) ? 1 : 2;
    }
    PUSH(edges, e);
}

static void addaccess(size_t fn, size_t gl, int mode) {
    access a = {(uint32_t)fn, (uint32_t)gl, (uint8_t)mode, (uint8_t)(chance(0.8) ? 1 : 2)};
    PUSH(accs, a);
}

/* A rank in [0, n) with probability about proportional to 1 / (rank + 1):
 * log-uniform, a continuous Zipf (s = 1). */
static size_t zipf(size_t n) {
    size_t r = (size_t)(exp(unit() * log((double)n + 1.0)) - 1.0);
    return r < n ? r : n - 1;
}

/* A utility function of one of the module's libraries, popular ones
 * first: fan-in follows a power law over libraries and over the functions
 * of each. */
static size_t pick_util(const module *md) {
    size_t lib = md->lib[rnd() % md->nlib];
    size_t first = lib_first.v[lib], n = lib_first.v[lib + 1] - first;
    return util_api.v[first + zipf(n)];
}

static size_t pick_in_file(size_t fi) { return files.v[fi].first + (size_t)range(0, (long)files.v[fi].n - 1); }
static size_t pick_api(size_t m) { return modules.v[m].api[range(0, (long)modules.v[m].napi - 1)]; }

/* Lays out components, modules, files and functions until n functions. */
static void layout(size_t n) {
    char path[512], name[256];
    util_n = n / 20 > 8 ? n / 20 : 8;
    /* the utility layer first: src/lib/<lib>/<file>.c */
    util_first = funcs.n;
    for (size_t lib = 0, made = 0; made < util_n; lib++) {
        char *ln = wordname(lib);
        PUSH(lib_first, util_api.n);
        long nf = range(4, 12);
        for (long k = 0; k < nf && made < util_n; k++) {
            char *fw = wordname((size_t)range(0, 10 * NWORDS));
            snprintf(path, sizeof path, "src/lib/%s/%s_%ld.c", ln, fw, k);
            size_t fi = addfile(path, NONE);
            long per = range(8, 32);
            for (long j = 0; j < per && made < util_n; j++, made++) {
                int st = j > 0 && chance(0.3);
                if (st) snprintf(name, sizeof name, "%s_%s_%ld", VERBS[rnd() % NVERBS], fw, j);
                else snprintf(name, sizeof name, "%s_%s_%s%ld_%ld", ln, VERBS[rnd() % NVERBS], fw, k, j);
                size_t f = addfunc(fi, name, st);
                funcs.v[f].util = 1;
                if (!st) PUSH(util_api, f);
            }
            free(fw);
        }
        free(ln);
    }
    util_n = funcs.n - util_first;
    PUSH(lib_first, util_api.n); /* every file's first function is extern: no library is empty */
    /* main.c */
    size_t mainfile = addfile("src/main.c", NONE);
    addfunc(mainfile, "main", 0);
    /* components, modules, files */
    size_t rest = n > funcs.n ? n - funcs.n : 0, made = 0;
    size_t comp_cap = 16;
    comp_init = xmalloc(comp_cap * sizeof *comp_init);
    for (size_t c = 0; made < rest; c++) {
        char *cn = wordname(c);
        if (c == comp_cap) comp_init = xrealloc(comp_init, (comp_cap *= 2) * sizeof *comp_init);
        comp_init[c] = NONE;
        ncomps = c + 1;
        long nm = range(4, 12);
        for (long mi = 0; mi < nm && made < rest; mi++) {
            char *mn = xstrdup(WORDS[rnd() % NWORDS]);
            module m = {0};
            m.comp = c;
            m.ffirst = files.n;
            long nf = range(3, 14);
            int nested = chance(0.25);
            for (long k = 0; k < nf && made < rest; k++) {
                char *fw = wordname((size_t)range(0, 10 * NWORDS));
                if (nested && k >= nf / 2)
                    snprintf(path, sizeof path, "src/%s/%s%ld/%s/%s_%ld.c", cn, mn, mi, k % 2 ? "impl" : "io", fw, k);
                else
                    snprintf(path, sizeof path, "src/%s/%s%ld/%s_%ld.c", cn, mn, mi, fw, k);
                size_t fi = addfile(path, modules.n);
                long per = range(8, 32);
                for (long j = 0; j < per && made < rest; j++, made++) {
                    int exported = j < per / 4 || (comp_init[c] == NONE && j == 0);
                    int st = !exported && chance(0.4);
                    if (comp_init[c] == NONE && j == 0) snprintf(name, sizeof name, "%s_init", cn);
                    else if (st) snprintf(name, sizeof name, "%s_%s_%ld", VERBS[rnd() % NVERBS], fw, j);
                    else snprintf(name, sizeof name, "%s%zu_%s_%s%ld_%ld", mn, modules.n, VERBS[rnd() % NVERBS], fw, k, j);
                    size_t f = addfunc(fi, name, st);
                    if (comp_init[c] == NONE) comp_init[c] = f;
                    if (!st && m.napi < 64 && (exported || chance(0.1))) m.api[m.napi++] = f;
                }
                free(fw);
            }
            m.nfiles = files.n - m.ffirst;
            if (m.napi == 0) m.api[m.napi++] = files.v[m.ffirst].first;
            PUSH(modules, m);
            free(mn);
        }
        free(cn);
    }
    /* libc */
    libc_first = funcs.n;
    for (size_t i = 0; i < NLIBC; i++) {
        func x = {0};
        x.id = xstrdup(LIBC[i]);
        x.name = xstrdup(LIBC[i]);
        x.file = NONE;
        PUSH(funcs, x);
    }
}

/* Which modules each module calls into: 1-3 earlier (lower) modules of
 * its component and 0-2 modules of earlier components, as layered code
 * does; one module in ten also calls back into any module of its
 * component, and one in fifty into any module at all (callbacks, mutual
 * recursion across modules). */
static void make_deps(void) {
    size_t cfirst = 0;
    for (size_t m = 0; m < modules.n; m++) {
        module *md = &modules.v[m];
        if (m == 0 || modules.v[m - 1].comp != md->comp) cfirst = m;
        size_t cend = m + 1;
        while (cend < modules.n && modules.v[cend].comp == md->comp) cend++;
        if (m > cfirst)
            for (long k = range(1, 3); k > 0; k--) md->dep[md->ndep++] = (size_t)range((long)cfirst, (long)m - 1);
        if (cfirst > 0)
            for (long k = range(0, 2); k > 0; k--) md->ext[md->next++] = (size_t)range(0, (long)cfirst - 1);
        if (chance(0.1)) md->dep[md->ndep++] = (size_t)range((long)cfirst, (long)cend - 1);
        if (chance(0.02)) md->ext[md->next++] = (size_t)range(0, (long)modules.n - 1);
        /* 3-8 utility libraries, the popular ones (low numbers) most often */
        size_t nl = lib_first.n - 1;
        for (long k = range(3, 8); k > 0; k--) md->lib[md->nlib++] = zipf(nl);
    }
}

static void make_state(void) {
    char id[600], name[256];
    gconfig = addglobal("config", "config", 0, 0, 0, NULL);
    globals.v[gconfig].file = NONE; /* set below: main.c */
    for (size_t fi = 0; fi < files.n; fi++) {
        if (files.v[fi].module == NONE) {
            if (strcmp(files.v[fi].path, "src/main.c") == 0) globals.v[gconfig].file = fi;
            continue;
        }
        snprintf(id, sizeof id, "%s:state", files.v[fi].path);
        files.v[fi].gstatic = addglobal(id, "state", fi, 1, 0, NULL);
    }
    for (size_t m = 0; m < modules.n; m++) {
        size_t fi = modules.v[m].ffirst;
        snprintf(name, sizeof name, "%s_ctx%zu", WORDS[m % NWORDS], m);
        modules.v[m].gstruct = addglobal(name, name, fi, 0, 0, NULL);
        static const char *const FIELDS[] = {"count", "head", "lock"};
        for (int k = 0; k < 3; k++) {
            snprintf(id, sizeof id, "%s.%s", name, FIELDS[k]);
            addglobal(id, id, fi, 0, 2, name);
        }
    }
}

static void make_calls(double per) {
    size_t target = (size_t)(per * (double)(funcs.n - NLIBC) + 0.5);
    /* utility functions: one or two later functions of their file, libc */
    for (size_t f = util_first; f < util_first + util_n; f++) {
        const file *fl = &files.v[funcs.v[f].file];
        size_t last = fl->first + fl->n - 1;
        if (f < last && chance(0.6)) addedge(f, (size_t)range((long)f + 1, (long)last), 0);
        if (f + 1 < last && chance(0.3)) addedge(f, (size_t)range((long)f + 1, (long)last), 0);
        addedge(f, libc_first + rnd() % NLIBC, 0);
    }
    /* main */
    for (size_t c = 0; c < ncomps; c++) addedge(util_first + util_n, comp_init[c], 0);
    size_t nfun = libc_first - (util_first + util_n + 1);
    size_t first = util_first + util_n + 1;
    /* per module: a dispatcher and its handlers */
    size_t sites = 0, resolved = 0, targets = 0;
    for (size_t m = 0; m < modules.n; m++) {
        const module *md = &modules.v[m];
        const file *fl = &files.v[md->ffirst];
        if (fl->n < 4) continue;
        size_t disp = fl->first + 1;
        long nh = range(2, 6);
        size_t tried = 0;
        for (long h = 0; h < nh; h++) {
            size_t fi = md->ffirst + (size_t)range(0, (long)md->nfiles - 1);
            size_t t = pick_in_file(fi);
            if (t == disp || funcs.v[t].addr) continue;
            funcs.v[t].addr = 1;
            addedge(disp, t, 1);
            tried++;
        }
        if (tried) {
            sites++;
            resolved++;
            targets += tried;
        }
    }
    size_t made = edges.n;
    size_t remaining = target > made ? target - made : 0;
    /* the rest spread over the module functions: K-ish each */
    for (size_t i = 0; i < nfun && remaining; i++) {
        size_t f = first + i;
        size_t left = nfun - i;
        long want = (long)((remaining + left / 2) / left);
        long deg = want <= 1 ? want : range(want > 3 ? want - 3 : 1, want + 3);
        const file *fl = &files.v[funcs.v[f].file];
        size_t mod = fl->module;
        const module *md = &modules.v[mod];
        size_t mine[64], nmine = 0; /* callees so far: edges stay distinct */
        if (deg > 64) deg = 64;
        for (long d = 0, tries = 0; d < deg && remaining && tries < 8 * deg; tries++) {
            double r = unit();
            size_t t;
            if (r < 0.38) {
                /* same file: mostly a later (lower-level) function */
                size_t last = fl->first + fl->n - 1;
                t = f < last && chance(0.85) ? (size_t)range((long)f + 1, (long)last) : pick_in_file(funcs.v[f].file);
                if (funcs.v[f].linkage == 0 && chance(0.2)) t = pick_in_file(funcs.v[f].file);
            } else if (r < 0.60) {
                /* same module: another file's function (statics stay home) */
                size_t fi = md->ffirst + (size_t)range(0, (long)md->nfiles - 1);
                t = pick_in_file(fi);
                if (funcs.v[t].linkage == 1) t = files.v[fi].first;
            } else if (r < 0.80) {
                t = pick_util(md);
            } else if (r < 0.89) {
                /* another module of the component: one it depends on */
                t = md->ndep ? pick_api(md->dep[rnd() % md->ndep]) : pick_util(md);
            } else if (r < 0.94) {
                /* another component: the API of a module it depends on */
                t = md->next ? pick_api(md->ext[rnd() % md->next]) : pick_util(md);
            } else {
                t = libc_first + rnd() % NLIBC;
            }
            int dup = t == f;
            for (size_t k = 0; k < nmine && !dup; k++) dup = mine[k] == t;
            if (dup) continue;
            mine[nmine++] = t;
            addedge(f, t, 0);
            remaining--;
            d++;
        }
    }
    /* plus one site per component nothing resolves (no edge) */
    ind_sites = sites + ncomps;
    ind_resolved = resolved;
    ind_targets = targets;
}

static void make_accesses(void) {
    size_t first = util_first + util_n + 1;
    for (size_t f = util_first; f < util_first + util_n; f++)
        if (chance(0.05)) addaccess(f, gconfig, 0); /* reading is allowed */
    for (size_t f = first; f < libc_first; f++) {
        const file *fl = &files.v[funcs.v[f].file];
        const module *md = &modules.v[fl->module];
        double r = unit();
        if (r < 0.30) addaccess(f, fl->gstatic, 1);
        else if (r < 0.55) addaccess(f, fl->gstatic, 0);
        if (chance(0.15)) addaccess(f, md->gstruct + 1 + (size_t)range(0, 2), chance(0.5) ? 1 : 0);
        if (chance(0.02)) addaccess(f, md->gstruct, 2);
        if (chance(0.03)) {
            /* another module's field, read */
            const module *m2 = &modules.v[range(0, (long)modules.n - 1)];
            addaccess(f, m2->gstruct + 1 + (size_t)range(0, 2), 0);
        }
        if (chance(0.05)) addaccess(f, gconfig, 0);
    }
    /* main writes the config */
    addaccess(util_first + util_n, gconfig, 1);
}

/* ---- sorting and writing ------------------------------------------------- */

static char **sort_keys;
static int cmp_by_key(const void *a, const void *b) {
    return strcmp(sort_keys[*(const size_t *)a], sort_keys[*(const size_t *)b]);
}

/* rank[i] = position of item i when sorted by key */
static size_t *ranks(char **keys, size_t n, size_t **order_out) {
    size_t *order = xmalloc(n * sizeof *order), *rank = xmalloc(n * sizeof *rank);
    for (size_t i = 0; i < n; i++) order[i] = i;
    sort_keys = keys;
    qsort(order, n, sizeof *order, cmp_by_key);
    for (size_t i = 0; i < n; i++) rank[order[i]] = i;
    *order_out = order;
    return rank;
}

static int cmp_edge(const void *a, const void *b) {
    const edge *x = a, *y = b;
    if (x->from != y->from) return x->from < y->from ? -1 : 1;
    if (x->to != y->to) return x->to < y->to ? -1 : 1;
    return (x->indirect > y->indirect) - (x->indirect < y->indirect);
}

static int cmp_access(const void *a, const void *b) {
    const access *x = a, *y = b;
    if (x->fn != y->fn) return x->fn < y->fn ? -1 : 1;
    if (x->gl != y->gl) return x->gl < y->gl ? -1 : 1;
    return (x->mode > y->mode) - (x->mode < y->mode);
}

/* writes `n` sorted sites "file:line:col" inside the function's body */
static void sites(FILE *o, const func *f, int n) {
    int span = f->end_line - f->line - 1 > 0 ? f->end_line - f->line - 1 : 1;
    int line[3], col[3];
    for (int i = 0; i < n; i++) {
        line[i] = f->line + 1 + (int)range(0, span - 1);
        col[i] = (int)range(5, 40);
    }
    /* sort by (line, col) */
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && (line[j - 1] > line[j] || (line[j - 1] == line[j] && col[j - 1] >= col[j])); j--) {
            if (line[j - 1] == line[j] && col[j - 1] == col[j]) col[j]++;
            int t = line[j]; line[j] = line[j - 1]; line[j - 1] = t;
            t = col[j]; col[j] = col[j - 1]; col[j - 1] = t;
        }
    for (int i = 1; i < n; i++)
        if (line[i] == line[i - 1] && col[i] <= col[i - 1]) col[i] = col[i - 1] + 1;
    fputc('[', o);
    for (int i = 0; i < n; i++)
        fprintf(o, "%s\"%s:%d:%d\"", i ? "," : "", files.v[f->file].path, line[i], col[i]);
    fputc(']', o);
}

static void write_graph(FILE *o) {
    size_t nf = funcs.n, ng = globals.n;
    char **keys = xmalloc((nf > ng ? nf : ng) * sizeof *keys);
    for (size_t i = 0; i < nf; i++) keys[i] = funcs.v[i].id;
    size_t *forder, *frank = ranks(keys, nf, &forder);
    for (size_t i = 0; i < ng; i++) keys[i] = globals.v[i].id;
    size_t *gorder, *grank = ranks(keys, ng, &gorder);
    for (size_t i = 0; i < files.n; i++) keys[i] = files.v[i].path;
    size_t *uorder, *urank = ranks(keys, files.n, &uorder);
    free(urank);
    /* edges by (from, to, kind) ranks, duplicates dropped */
    for (size_t i = 0; i < edges.n; i++) {
        edges.v[i].from = (uint32_t)frank[edges.v[i].from];
        edges.v[i].to = (uint32_t)frank[edges.v[i].to];
    }
    qsort(edges.v, edges.n, sizeof *edges.v, cmp_edge);
    size_t ne = 0, direct = 0, indirect = 0;
    for (size_t i = 0; i < edges.n; i++)
        if (ne == 0 || cmp_edge(&edges.v[ne - 1], &edges.v[i]) != 0) edges.v[ne++] = edges.v[i];
    edges.n = ne;
    for (size_t i = 0; i < ne; i++) *(edges.v[i].indirect ? &indirect : &direct) += 1;
    for (size_t i = 0; i < accs.n; i++) {
        accs.v[i].fn = (uint32_t)frank[accs.v[i].fn];
        accs.v[i].gl = (uint32_t)grank[accs.v[i].gl];
    }
    qsort(accs.v, accs.n, sizeof *accs.v, cmp_access);
    size_t na = 0;
    for (size_t i = 0; i < accs.n; i++)
        if (na == 0 || cmp_access(&accs.v[na - 1], &accs.v[i]) != 0) accs.v[na++] = accs.v[i];
    accs.n = na;

    size_t defined = libc_first; /* every function before libc's */
    double avg = ind_resolved ? (double)(long)((double)ind_targets * 100.0 / (double)ind_resolved + 0.5) / 100.0 : 0.0;
    fprintf(o, "{\n  \"schema\": \"cleave.graph/2\",\n  \"root\": \"synthetic\",\n"
               "  \"compile_db\": \"compile_commands.json\",\n  \"approximate\": false,\n");
    fprintf(o, "  \"summary\": {\"units\":%zu,\"ok\":%zu,\"partial\":0,\"failed\":0,\"functions\":%zu,"
               "\"external_functions\":%zu,\"globals\":%zu,\"direct_calls\":%zu,\"indirect_calls\":%zu,"
               "\"indirect_sites\":%zu,\"indirect_resolved\":%zu,\"indirect_unresolved\":%zu,"
               "\"indirect_targets_avg\":%.15g,\"indirect_sites_by_via\":{\"field\":%zu,\"global\":0,"
               "\"type\":0,\"unknown\":%zu}},\n",
            files.n, files.n, defined, nf - defined, ng, direct, indirect, ind_sites, ind_resolved,
            ind_sites - ind_resolved, avg, ind_resolved, ind_sites - ind_resolved);
    fprintf(o, "  \"stand_ins\": [],\n  \"warnings\": [],\n  \"units\": [\n");
    /* each file includes its folder's header, as a module's files do */
    for (size_t i = 0; i < files.n; i++) {
        const char *path = files.v[uorder[i]].path, *slash = strrchr(path, '/');
        int dir = slash ? (int)(slash - path) : 0;
        fprintf(o, "    {\"file\":\"%s\",\"status\":\"ok\",\"errors\":[],\"headers\":[\"%.*s%smodule.h\"]}%s\n",
                path, dir, path, dir ? "/" : "", i + 1 < files.n ? "," : "");
    }
    fprintf(o, "  ],\n  \"functions\": [\n");
    for (size_t i = 0; i < nf; i++) {
        const func *f = &funcs.v[forder[i]];
        if (f->file == NONE)
            fprintf(o, "    {\"id\":\"%s\",\"name\":\"%s\",\"file\":null,\"line\":0,\"end_line\":0,"
                       "\"linkage\":\"extern\",\"defined\":false,\"loc\":0,\"address_taken\":false}",
                    f->id, f->name);
        else
            fprintf(o, "    {\"id\":\"%s\",\"name\":\"%s\",\"file\":\"%s\",\"line\":%d,\"end_line\":%d,"
                       "\"linkage\":\"%s\",\"defined\":true,\"loc\":%d,\"address_taken\":%s}",
                    f->id, f->name, files.v[f->file].path, f->line, f->end_line,
                    f->linkage ? "static" : "extern", f->loc, f->addr ? "true" : "false");
        fputs(i + 1 < nf ? ",\n" : "\n", o);
    }
    fprintf(o, "  ],\n  \"globals\": [\n");
    for (size_t i = 0; i < ng; i++) {
        const global *v = &globals.v[gorder[i]];
        static const char *const GK[] = {"variable", "static_local", "field"};
        fprintf(o, "    {\"id\":\"%s\",\"name\":\"%s\",\"file\":\"%s\",\"line\":%d,\"linkage\":\"%s\","
                   "\"kind\":\"%s\",\"defined\":true",
                v->id, v->name, files.v[v->file].path, v->line, v->linkage ? "static" : "extern",
                GK[v->kind]);
        if (v->parent) fprintf(o, ",\"parent\":\"%s\"", v->parent);
        fputs(i + 1 < ng ? "},\n" : "}\n", o);
    }
    fprintf(o, "  ],\n  \"calls\": [\n");
    for (size_t i = 0; i < ne; i++) {
        const edge *e = &edges.v[i];
        const func *from = &funcs.v[forder[e->from]];
        fprintf(o, "    {\"from\":\"%s\",\"to\":\"%s\",\"kind\":\"%s\",\"sites\":%d,\"loop_depth\":%d,\"at\":",
                from->id, funcs.v[forder[e->to]].id, e->indirect ? "field" : "direct", e->sites,
                e->depth);
        sites(o, from, e->sites);
        fputs(i + 1 < ne ? "},\n" : "}\n", o);
    }
    fprintf(o, "  ],\n  \"accesses\": [\n");
    static const char *const MODES[] = {"read", "write", "address"};
    for (size_t i = 0; i < na; i++) {
        const access *a = &accs.v[i];
        const func *fn = &funcs.v[forder[a->fn]];
        fprintf(o, "    {\"function\":\"%s\",\"global\":\"%s\",\"mode\":\"%s\",\"count\":%d,\"at\":",
                fn->id, globals.v[gorder[a->gl]].id, MODES[a->mode], a->count);
        sites(o, fn, a->count);
        fputs(i + 1 < na ? "},\n" : "}\n", o);
    }
    fprintf(o, "  ]\n}\n");
    fprintf(stderr, "gen_graph: %zu functions (%zu defined), %zu files, %zu modules, %zu globals, "
                    "%zu calls (%zu indirect), %zu accesses\n",
            nf, defined, files.n, modules.n, ng, ne, indirect, na);
    free(keys);
    free(frank);
    free(forder);
    free(grank);
    free(gorder);
    free(uorder);
}

int main(int argc, char **argv) {
    size_t n = 0;
    double per = 5.0;
    uint64_t seed = 1;
    const char *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) n = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--calls-per") == 0 && i + 1 < argc) per = strtod(argv[++i], NULL);
        else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) seed = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) out = argv[++i];
        else {
            fprintf(stderr, "usage: gen_graph -n FUNCTIONS [--calls-per K] [--seed S] [-o FILE]\n");
            return 2;
        }
    }
    if (n < 100 || n > 100000000 || !(per > 0 && per < 50)) {
        fprintf(stderr, "gen_graph: -n takes 100 to 100000000 functions, --calls-per 0 to 50\n");
        return 2;
    }
    rng_state = seed;
    layout(n);
    make_deps();
    make_state();
    make_calls(per);
    make_accesses();
    FILE *o = out ? fopen(out, "w") : stdout;
    if (!o) {
        perror(out);
        return 2;
    }
    static char buf[1 << 20];
    setvbuf(o, buf, _IOFBF, sizeof buf);
    write_graph(o);
    if (fflush(o) != 0 || (out && fclose(o) != 0)) {
        perror(out ? out : "stdout");
        return 2;
    }
    return 0;
}
