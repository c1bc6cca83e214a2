/*
 * plan.c - everything a split plan says that follows from the assignment
 * of functions to services: names, files, entry points, interfaces, shared
 * state and the metrics (docs/plan-json.md defines each).
 *
 * plan_finish is the one place these are derived, so the clustering, the
 * constraint pass and a plan read back from disk all give the same figures.
 * Memory: the plan owns its names and arrays; plan_free releases them.
 */
#include "plan/plan.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph/scc.h"
#include "util/strmap.h"

#define NED_MIN 5   /* services smaller than this are "too fine" */
#define NED_MAX 300 /* ... larger than this "too coarse" (functions) */

static void idx_free(idxvec *v) {
    free(v->v);
    v->v = NULL;
    v->n = v->cap = 0;
}

void plan_fitness_clear(plan_fitness *f) {
    strvec_free(&f->reasons);
    idx_free(&f->reads);
    idx_free(&f->writes);
    idx_free(&f->statics);
    idx_free(&f->addressed);
    idx_free(&f->store);
    idx_free(&f->foreign);
    idx_free(&f->shared_with);
    free(f->resources.v);
    free(f->loop_calls.v);
    free(f->traces.v);
    memset(f, 0, sizeof *f);
}

static void service_clear(plan_service *s) {
    plan_fitness_clear(&s->fitness);
    free(s->name);
    free(s->kind_from);
    idx_free(&s->funcs);
    strvec_free(&s->files);
    idx_free(&s->entry_points);
    idx_free(&s->owned_state);
    idx_free(&s->shared_state);
}

void plan_free(plan *p) {
    if (!p) return;
    for (size_t i = 0; i < p->services.n; i++) service_clear(&p->services.v[i]);
    for (size_t i = 0; i < p->interfaces.n; i++) idx_free(&p->interfaces.v[i].functions);
    for (size_t i = 0; i < p->shared.n; i++) {
        idx_free(&p->shared.v[i].services);
        idx_free(&p->shared.v[i].writers);
    }
    free(p->services.v);
    free(p->interfaces.v);
    free(p->shared.v);
    free(p->assign);
    strvec_free(&p->notes);
    strvec_free(&p->excluded);
    free(p->why);
    strvec_free(&p->why_text);
    strvec_free(&p->cost.defaults);
    free(p->traffic.entries.v);
    free(p);
}

plan *plan_new(const graph *g, const plan_options *opt) {
    plan *p = xcalloc(1, sizeof *p);
    p->g = g;
    if (opt) p->opts = *opt;
    p->assign = xmallocarray(g->funcs.n, sizeof *p->assign);
    for (size_t i = 0; i < g->funcs.n; i++) p->assign[i] = PLAN_NONE;
    return p;
}

size_t plan_add_service(plan *p, unsigned kind) {
    plan_service s = {0};
    s.kind = kind;
    VEC_PUSH(p->services, s);
    return p->services.n - 1;
}

/* ---- why here ---------------------------------------------------------- */

size_t plan_why_text(plan *p, char *text) {
    strvec_push_owned(&p->why_text, text);
    return p->why_text.n - 1;
}

void plan_why_set(plan *p, size_t f, unsigned reason, size_t text) {
    if (!p->why) p->why = xcalloc(p->g->funcs.n ? p->g->funcs.n : 1, sizeof *p->why);
    p->why[f].reason = reason;
    p->why[f].text = text;
}

static const char *const REASON_NAMES[PLAN_WHY_COUNT] = {
    "?", "folder", "layer", "module", "library", "infrastructure", "program", "trigger",
    "shared", "pin", "rule", "fragment", "merged", "plugin"};

const char *plan_reason_name(unsigned reason) {
    return reason < PLAN_WHY_COUNT ? REASON_NAMES[reason] : "?";
}

/* ---- naming ------------------------------------------------------------ */

/* Weight (lines of code) per key, for picking a dominant folder or file. */
typedef struct tally {
    strmap *idx;
    strvec keys;
    struct { double *v; size_t n, cap; } w;
} tally;

static void tally_add(tally *t, const char *key, double w) {
    int added;
    size_t i = strmap_intern(t->idx, key, t->keys.n, &added);
    if (added) {
        strvec_push(&t->keys, key);
        VEC_PUSH(t->w, 0.0);
    }
    t->w.v[i] += w;
}

/* The heaviest key (ties: the smallest string) and its share of the total. */
static const char *tally_top(const tally *t, double *share) {
    size_t best = SIZE_MAX;
    double total = 0;
    for (size_t i = 0; i < t->keys.n; i++) {
        total += t->w.v[i];
        if (best == SIZE_MAX || t->w.v[i] > t->w.v[best] ||
            (t->w.v[i] == t->w.v[best] && strcmp(t->keys.v[i], t->keys.v[best]) < 0))
            best = i;
    }
    if (share) *share = best == SIZE_MAX || total <= 0 ? 0 : t->w.v[best] / total;
    return best == SIZE_MAX ? NULL : t->keys.v[best];
}

static void tally_free(tally *t) {
    strmap_free(t->idx);
    strvec_free(&t->keys);
    free(t->w.v);
}

static double weight(const gfunc *f) {
    return f->loc > 0 ? f->loc : 1;
}

/* A folder, a file-name prefix or a group of folders names a component
 * when it holds at least this share of the component's code. */
#define NAME_SHARE 0.5
/* Rounds of telling clashing names apart before numbering what is left. */
#define NAME_ROUNDS 8

/* Folder names that say nothing about a capability: never part of a name
 * (silent), or only with the folder above them (generic). */
static int silent(const char *seg, size_t n) {
    return (n == 3 && strncmp(seg, "src", n) == 0) || (n == 6 && strncmp(seg, "source", n) == 0) ||
           (n == 1 && seg[0] == '.');
}

static int generic(const char *seg, size_t n) {
    static const char *const G[] = {"lib", "include", "inc", "modules", "module", "main", NULL};
    for (size_t i = 0; G[i]; i++)
        if (strlen(G[i]) == n && strncmp(G[i], seg, n) == 0) return 1;
    return 0;
}

/*
 * The name folder dir gives, qualified by q more folders above it:
 * "lib/readline" -> "readline"; "src/backend/lib" -> "backend-lib" (a
 * generic folder takes its parent); "src/include/utils" with q = 1 ->
 * "include-utils".  NULL when dir says nothing ("src", ".") or has no q
 * folders more to give.  The caller frees it.
 */
static char *dirname_label(const char *dir, int q) {
    const char *seg[64];
    size_t len[64], n = 0;
    for (const char *a = dir; *a && n < 64;) {
        const char *b = strchr(a, '/');
        size_t l = b ? (size_t)(b - a) : strlen(a);
        if (l && !silent(a, l)) {
            seg[n] = a;
            len[n++] = l;
        }
        a += l + (b != NULL);
    }
    /* from the last folder up to the first that is not generic, then q more */
    size_t first = n;
    while (first > 0 && generic(seg[first - 1], len[first - 1])) first--;
    if (first == 0) return NULL;
    first--;
    if ((size_t)q > first) return NULL;
    first -= (size_t)q;
    strbuf b = {0};
    for (size_t i = first; i < n; i++) {
        if (i > first) strbuf_add(&b, "-");
        strbuf_addn(&b, seg[i], len[i]);
    }
    return b.v;
}

/* "src/billing/invoice.c" -> "invoice" */
static char *filelabel(const char *file) {
    const char *b = path_basename(file);
    const char *dot = strrchr(b, '.');
    return xstrndup(b, dot && dot != b ? (size_t)(dot - b) : strlen(b));
}

/* Length of the longest common prefix of a and b that ends at a word
 * boundary of both ('_' or '-' next, or the end). */
static size_t wordprefix(const char *a, const char *b) {
    size_t best = 0, i = 0;
    for (;; i++) {
        int ea = a[i] == '\0' || a[i] == '_' || a[i] == '-',
            eb = b[i] == '\0' || b[i] == '_' || b[i] == '-';
        if (ea && eb && i > 0) best = i;
        if (a[i] == '\0' || b[i] == '\0' || a[i] != b[i]) return best;
    }
}

/* The file stems of the plan's files, per folder, and the word prefix all
 * stems of a folder share (nginx's src/core: "ngx"), which tells none of
 * them apart. */
typedef struct folderinfo {
    strmap *idx;   /* folder -> index */
    strvec prefix; /* per folder: the shared prefix ("" when none) */
    struct { size_t *v; size_t n, cap; } files; /* per folder: how many files */
    double *used;  /* per graph function: direct call sites from other components */
} folderinfo;

static void folderinfo_build(const plan *p, folderinfo *fi) {
    fi->idx = strmap_new();
    fi->prefix = (strvec){0};
    fi->files.v = NULL;
    fi->files.n = fi->files.cap = 0;
    strmap *seen = strmap_new();
    for (size_t f = 0; f < p->g->funcs.n; f++) {
        const char *file = p->g->funcs.v[f].file;
        if (p->assign[f] == PLAN_NONE || !file || strmap_get(seen, file, NULL)) continue;
        strmap_put(seen, file, 1);
        char *dir = path_dirname(file), *stem = filelabel(file);
        int added;
        size_t d = strmap_intern(fi->idx, dir, fi->prefix.n, &added);
        if (added) {
            strvec_push(&fi->prefix, stem);
            VEC_PUSH(fi->files, 0);
        } else {
            char *cur = fi->prefix.v[d];
            cur[wordprefix(cur, stem)] = '\0';
        }
        fi->files.v[d]++;
        free(stem);
        free(dir);
    }
    strmap_free(seen);
    fi->used = xcalloc(p->g->funcs.n + 1, sizeof *fi->used);
    for (size_t i = 0; i < p->g->calls.n; i++) {
        const gcall *c = &p->g->calls.v[i];
        if (c->evidence == EV_DIRECT && p->assign[c->from] != p->assign[c->to])
            fi->used[c->to] += c->sites;
    }
}

static void folderinfo_free(folderinfo *fi) {
    strmap_free(fi->idx);
    strvec_free(&fi->prefix);
    free(fi->files.v);
    free(fi->used);
}

/* The one file of program component s defining main() that calls into
 * another file of the project (the product; the others are helpers that
 * call nothing else, such as a parser generator built beside it), or NULL
 * when none or several do.  Points into the graph. */
static const char *productmain(const plan *p, const plan_service *s) {
    const graph *g = p->g;
    const char *found = NULL;
    for (size_t i = 0; i < s->funcs.n; i++) {
        const gfunc *m = &g->funcs.v[s->funcs.v[i]];
        if (!m->defined || !m->file || strcmp(m->name, "main") != 0) continue;
        int out = 0;
        /* every function of main's file, by its calls (sorted by from) */
        for (size_t j = 0; j < s->funcs.n && !out; j++) {
            size_t f = s->funcs.v[j];
            if (!g->funcs.v[f].file || strcmp(g->funcs.v[f].file, m->file) != 0) continue;
            size_t lo = 0, hi = g->calls.n;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (g->calls.v[mid].from < f) lo = mid + 1;
                else hi = mid;
            }
            for (size_t c = lo; c < g->calls.n && g->calls.v[c].from == f && !out; c++) {
                const gfunc *to = &g->funcs.v[g->calls.v[c].to];
                out = g->calls.v[c].evidence == EV_DIRECT && to->defined && to->file &&
                      strcmp(to->file, m->file) != 0;
            }
        }
        if (!out) continue;
        if (found && strcmp(found, m->file) != 0) return NULL;
        found = m->file;
    }
    return found;
}

/* What a component's name is made of (name_services). */
typedef struct nameparts {
    char *dir;    /* its dominant folder: the deepest holding NAME_SHARE of its code, or "." */
    char *tag;    /* what tells it apart inside that folder: a file-name prefix or file */
    char *spread; /* "a+b": no folder with a name holds half of it, nor files of its own folder */
    int q;        /* folders above dir its name takes, to tell it from another folder's */
    int inner;    /* its name takes the tag, to tell it from another of the same folder;
                     2: its heaviest file, where the tag is another's too */
    char *top;    /* its heaviest file's name (the tag when no prefix holds half) */
    int lib;      /* ... and the tag is "lib": a library beside a non-library */
    int namesake; /* it holds its folder's namesake file (src/event/ngx_event.c) */
    int mainnamed; /* a program named after its one main file: nothing else tells it apart */
    char *generic; /* its folder's name when generic with nothing above (a top-level
                      lib/), or "programs" for programs, when no file-name prefix holds
                      half of it: a better name than its heaviest file; else NULL */
} nameparts;

/* The number of '/'-separated folders of a path ("." has none). */
static int depth(const char *dir) {
    if (strcmp(dir, ".") == 0) return 0;
    int d = 1;
    for (const char *c = dir; *c; c++) d += *c == '/';
    return d;
}

static int under(const char *file, const char *dir) {
    size_t n = strlen(dir);
    return strcmp(dir, ".") == 0 || (strncmp(file, dir, n) == 0 && file[n] == '/');
}

/* The parts of service s's name (see nameparts). */
static void name_parts(const plan *p, const plan_service *s, const folderinfo *fi, nameparts *np) {
    memset(np, 0, sizeof *np);
    tally dirs = {strmap_new(), {0}, {0}};
    double total = 0;
    for (size_t i = 0; i < s->funcs.n; i++) {
        const gfunc *f = &p->g->funcs.v[s->funcs.v[i]];
        if (!f->file) continue;
        total += weight(f);
        /* the file's folder and every folder above it; a plug-in's code
         * counts from its host's folder up (the plug-ins' subfolder of
         * src/server is part of the server, not what names it) */
        char *d = path_dirname(f->file);
        if (p->why && p->why[s->funcs.v[i]].reason == PLAN_WHY_PLUGIN) {
            char *up = path_dirname(d);
            free(d);
            d = up;
        }
        while (strcmp(d, ".") != 0 && strcmp(d, "/") != 0) {
            tally_add(&dirs, d, weight(f));
            char *up = path_dirname(d);
            free(d);
            d = up;
        }
        free(d);
    }
    const char *best = ".";
    for (size_t k = 0; k < dirs.keys.n; k++) {
        const char *d = dirs.keys.v[k];
        if (dirs.w.v[k] < NAME_SHARE * total) continue;
        if (depth(d) > depth(best)) best = d;
    }
    np->dir = xstrdup(best);
    /* the tag: the longest file-name prefix (after the folder's shared
     * one) holding half of its code, else its heaviest file */
    tally pre = {strmap_new(), {0}, {0}}, stems = {strmap_new(), {0}, {0}};
    tally used = {strmap_new(), {0}, {0}};
    char *mainfile = NULL, *prodfile = NULL;
    int mains = 1;
    const char *product = s->kind == PLAN_PROGRAM ? productmain(p, s) : NULL;
    double direct = 0;
    for (size_t i = 0; i < s->funcs.n; i++) {
        const gfunc *f = &p->g->funcs.v[s->funcs.v[i]];
        if (!f->file || !under(f->file, np->dir)) continue;
        char *dir = path_dirname(f->file), *stem = filelabel(f->file);
        if (strcmp(dir, np->dir) == 0) direct += weight(f);
        size_t d, cut = 0;
        if (strmap_get(fi->idx, dir, &d)) {
            const char *shared = fi->prefix.v[d];
            cut = strlen(shared);
            if (stem[cut] == '_' || stem[cut] == '-') cut++;
            if (!stem[cut]) {
                cut = 0; /* the folder's namesake ("ngx_event.c"): all of it */
                np->namesake |= fi->files.v[d] > 1 && strcmp(dir, np->dir) == 0;
            }
        }
        const char *own = stem + cut;
        tally_add(&stems, own, weight(f));
        /* the program's own file: the one defining main(), by its whole
         * name (lighttpd's src/t/test_mod.c is `test_mod`, not `mod`
         * beside the server's modules) */
        if (s->kind == PLAN_PROGRAM && f->defined && strcmp(f->name, "main") == 0) {
            if (!mainfile) mainfile = xstrdup(stem);
            else if (strcmp(mainfile, stem) != 0) mains = 2;
        }
        if (product && !prodfile && strcmp(f->file, product) == 0) prodfile = xstrdup(stem);
        if (s->kind == PLAN_LIBRARY && fi->used[s->funcs.v[i]] > 0)
            tally_add(&used, own, fi->used[s->funcs.v[i]]);
        for (size_t c = 1;; c++) {
            if (own[c] == '\0' || own[c] == '_' || own[c] == '-') {
                char *w = xstrndup(own, c);
                tally_add(&pre, w, weight(f));
                free(w);
            }
            if (own[c] == '\0') break;
        }
        free(stem);
        free(dir);
    }
    double subtotal = 0;
    for (size_t k = 0; k < stems.keys.n; k++) subtotal += stems.w.v[k];
    const char *tag = NULL;
    for (size_t k = 0; k < pre.keys.n; k++) {
        const char *x = pre.keys.v[k];
        if (pre.w.v[k] < NAME_SHARE * subtotal) continue;
        if (!tag || strlen(x) > strlen(tag) || (strlen(x) == strlen(tag) && strcmp(x, tag) < 0))
            tag = x;
    }
    int heavy = !tag; /* the tag is only one of its files */
    /* a program with one main() is named after its file, not after a
     * bulkier file it alone uses (Lua's luac.c beside print.c) */
    if (tag && mainfile && mains == 1) {
        tag = mainfile;
        np->mainnamed = 1;
    }
    /* ... and one with helpers beside its product after the product
     * (lighttpd's server.c, not the bulkier parser generator lemon.c) */
    if (mains > 1 && prodfile) {
        tag = prodfile;
        np->mainnamed = 1;
        heavy = 0;
    }
    /* a library is known by what the rest calls (Git's string buffers
     * and error reporting, not its largest file of path helpers); other
     * components by their bulk */
    if (!tag && s->kind == PLAN_LIBRARY) tag = tally_top(&used, NULL);
    const char *top = tally_top(&stems, NULL);
    if (!tag) tag = top;
    np->tag = xstrdup(tag ? tag : "component");
    np->top = xstrdup(top ? top : np->tag);
    free(mainfile);
    free(prodfile);
    /* a folder that says nothing, holding under half of it directly: the
     * two folders below it holding most */
    char *label = dirname_label(np->dir, 0);
    const char *last = path_basename(np->dir);
    /* programs no file-name prefix holds half of (Git's git.c, daemon.c,
     * shell.c ...) are not named after the largest of them */
    if (!label && heavy && s->kind == PLAN_PROGRAM)
        np->generic = xstrdup("programs");
    else if (!label && heavy && strcmp(np->dir, ".") != 0 && generic(last, strlen(last)))
        np->generic = xstrdup(last);
    if (!label && direct < NAME_SHARE * total) {
        tally kids = {strmap_new(), {0}, {0}};
        size_t n = strcmp(np->dir, ".") == 0 ? 0 : strlen(np->dir) + 1;
        for (size_t i = 0; i < s->funcs.n; i++) {
            const gfunc *f = &p->g->funcs.v[s->funcs.v[i]];
            if (!f->file || !under(f->file, np->dir)) continue;
            const char *rest = f->file + n, *slash = strchr(rest, '/');
            if (!slash) continue;
            char *kid = xstrndup(f->file, (size_t)(slash - f->file));
            tally_add(&kids, kid, weight(f));
            free(kid);
        }
        const char *a = tally_top(&kids, NULL);
        if (a) {
            char *la = dirname_label(a, 0);
            const char *b = NULL;
            for (size_t k = 0; k < kids.keys.n; k++) {
                const char *x = kids.keys.v[k];
                if (strcmp(x, a) == 0) continue;
                size_t bi = 0;
                if (b) strmap_get(kids.idx, b, &bi);
                if (!b || kids.w.v[k] > kids.w.v[bi] ||
                    (kids.w.v[k] == kids.w.v[bi] && strcmp(x, b) < 0))
                    b = x;
            }
            char *lb = b ? dirname_label(b, 0) : NULL;
            np->spread = lb ? xasprintf("%s+%s", la ? la : path_basename(a), lb)
                            : xstrdup(la ? la : path_basename(a));
            free(la);
            free(lb);
        }
        tally_free(&kids);
    }
    free(label);
    tally_free(&pre);
    tally_free(&stems);
    tally_free(&used);
    tally_free(&dirs);
}

static void name_parts_free(nameparts *np) {
    free(np->generic);
    free(np->dir);
    free(np->tag);
    free(np->top);
    free(np->spread);
}

/* The name of service s from its parts in their current state. */
static char *compose(const plan_service *s, const nameparts *np) {
    char *base = dirname_label(np->dir, np->q), *r;
    if (!base) {
        const char *core = np->spread    ? np->spread
                           : np->generic ? np->generic
                           : np->inner == 2 ? np->top
                                         : np->tag;
        r = np->inner && np->lib ? xasprintf("%s-lib", core) : xstrdup(core);
    } else if (!np->inner) {
        r = base;
        base = NULL;
    } else if (s->kind == PLAN_PROGRAM) {
        r = xstrdup(np->tag); /* a program beside its folder's service: its own file */
    } else {
        r = xasprintf("%s-%s", base, np->lib ? "lib" : np->inner == 2 ? np->top : np->tag);
    }
    free(base);
    return r;
}

/* Two names clash when equal, or equal but for a plural 's' ("util",
 * "utils"): the comparison key of a name.  The caller frees it. */
static char *clashkey(const char *name) {
    size_t n = strlen(name);
    return xstrndup(name, n > 2 && name[n - 1] == 's' ? n - 1 : n);
}

static int cmpname(const void *a, const void *b) {
    return strcmp(((const plan_service *)a)->name, ((const plan_service *)b)->name);
}

/* A candidate name and its service, ordered by (name, service). */
typedef struct namedidx {
    char *name;
    size_t i;
} namedidx;

static int cmpnamedidx(const void *a, const void *b) {
    const namedidx *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

/*
 * Names each service from what dominates its code at the level that tells
 * it apart (docs/clustering.md, "Names"): its dominant folder; when two
 * would share a name (or differ by a plural 's'), the larger keeps it and
 * the other is told apart -- by the folder above its own when its folder
 * differs ("optimizer-util" beside "utils"), else inside the folder by its
 * kind ("core-lib" beside the service "core") or its file-name prefix or
 * file ("http-upstream"); a last clash gets "-2", "-3".  Then sorts the
 * services by name and renumbers the assignment.
 */
static void name_services(plan *p) {
    size_t n = p->services.n;
    char **names = xcalloc(n, sizeof *names);
    nameparts *np = xcalloc(n, sizeof *np);
    folderinfo fi;
    folderinfo_build(p, &fi);
    for (size_t i = 0; i < n; i++)
        if (!p->services.v[i].fixed_name) name_parts(p, &p->services.v[i], &fi, &np[i]);
    folderinfo_free(&fi);
    /* a generic folder's name ("lib") names the one component holding
     * it; where the folder is split into several (curl's lib/), each is
     * known by its own files ("http", "ftp", "multi"), not "lib-2" */
    strmap *split = strmap_new();
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < n; i++) {
            if (!np[i].generic || p->services.v[i].kind == PLAN_PROGRAM) continue;
            size_t c = 0;
            strmap_get(split, np[i].dir, &c);
            if (pass == 0) {
                strmap_put(split, np[i].dir, c + 1);
            } else if (c > 1) {
                free(np[i].generic);
                np[i].generic = NULL;
            }
        }
    strmap_free(split);
    namedidx *bykey = xmallocarray(n, sizeof *bykey);
    for (int round = 0; round < NAME_ROUNDS; round++) {
        for (size_t i = 0; i < n; i++) {
            free(names[i]);
            const plan_service *s = &p->services.v[i];
            names[i] = s->fixed_name ? xstrdup(s->name) : compose(s, &np[i]);
            bykey[i] = (namedidx){clashkey(names[i]), i};
        }
        /* the groups of clashing names, found by sorting (a pass over all
         * pairs of services would be quadratic) */
        if (n > 1) qsort(bykey, n, sizeof *bykey, cmpnamedidx);
        int changed = 0;
        for (size_t lo = 0, hi; lo < n; lo = hi) {
            for (hi = lo + 1; hi < n && strcmp(bykey[hi].name, bykey[lo].name) == 0; hi++) {
            }
            if (hi - lo < 2) continue;
            /* the keeper: a name the user gave, else the one holding its
             * folder's namesake file, else the largest */
            size_t keep = bykey[lo].i;
            for (size_t x = lo + 1; x < hi; x++) {
                size_t i = bykey[x].i;
                const plan_service *a = &p->services.v[i], *k = &p->services.v[keep];
                if (k->fixed_name) break;
                /* a program named after its main file has no other name
                 * to take: it keeps it (OpenSSH's ssh beside the keys'
                 * service, which takes its largest file's) */
                int ai = np[i].mainnamed && strcmp(names[i], np[i].tag) == 0,
                    ak = np[keep].mainnamed && strcmp(names[keep], np[keep].tag) == 0;
                if (a->fixed_name || np[i].namesake > np[keep].namesake ||
                    (np[i].namesake == np[keep].namesake && ai > ak) ||
                    (np[i].namesake == np[keep].namesake && ai == ak && a->loc > k->loc))
                    keep = i;
            }
            for (size_t x = lo; x < hi; x++) {
                size_t i = bykey[x].i;
                const plan_service *s = &p->services.v[i], *k = &p->services.v[keep];
                if (i == keep || s->fixed_name) continue;
                nameparts *m = &np[i];
                char *up = k->fixed_name || strcmp(m->dir, np[keep].dir) == 0
                               ? NULL
                               : dirname_label(m->dir, m->q + 1);
                if (up && !m->inner) {
                    m->q++;
                } else if (!m->inner) {
                    m->inner = 1;
                    m->lib = s->kind == PLAN_LIBRARY && k->kind != PLAN_LIBRARY;
                } else if (m->lib) {
                    m->lib = 0;
                } else if (m->inner == 1 && strcmp(m->top, m->tag) != 0) {
                    m->inner = 2; /* the tag is the keeper's too: tmux's cmd-*.c groups */
                } else {
                    free(up);
                    continue;
                }
                free(up);
                changed = 1;
            }
        }
        for (size_t i = 0; i < n; i++) free(bykey[i].name);
        if (!changed) break;
    }
    free(bykey);
    for (size_t i = 0; i < n; i++) name_parts_free(&np[i]);
    free(np);
    /* last resort: numbered suffixes, in a stable order */
    strmap *seen = strmap_new();
    for (size_t i = 0; i < n; i++)
        if (p->services.v[i].fixed_name) strmap_put(seen, names[i], 1);
    for (size_t i = 0; i < n; i++) {
        if (p->services.v[i].fixed_name) continue;
        size_t count = strmap_intern(seen, names[i], 0, NULL) + 1;
        strmap_put(seen, names[i], count);
        if (count > 1) {
            char *alt = xasprintf("%s-%zu", names[i], count);
            free(names[i]);
            names[i] = alt;
        }
    }
    strmap_free(seen);
    for (size_t i = 0; i < n; i++) {
        free(p->services.v[i].name);
        p->services.v[i].name = names[i];
    }
    free(names);

    /* sort by name; remember where each service went */
    struct named { plan_service s; size_t old; } *tmp = xmallocarray(n, sizeof *tmp);
    for (size_t i = 0; i < n; i++) {
        tmp[i].s = p->services.v[i];
        tmp[i].old = i;
    }
    if (n > 1) qsort(tmp, n, sizeof *tmp, cmpname);
    size_t *order = xmallocarray(n, sizeof *order);
    for (size_t i = 0; i < n; i++) {
        p->services.v[i] = tmp[i].s;
        order[tmp[i].old] = i;
    }
    for (size_t f = 0; f < p->g->funcs.n; f++)
        if (p->assign[f] != PLAN_NONE) p->assign[f] = order[p->assign[f]];
    free(order);
    free(tmp);
}

/* ---- derived facts ----------------------------------------------------- */

void plan_idx_sortuniq(idxvec *v) {
    if (v->n < 2) return;
    qsort(v->v, v->n, sizeof *v->v, size_cmp);
    size_t o = 1;
    for (size_t i = 1; i < v->n; i++)
        if (v->v[i] != v->v[o - 1]) v->v[o++] = v->v[i];
    v->n = o;
}

int plan_idx_contains(const idxvec *v, size_t x) {
    return v->n && bsearch(&x, v->v, v->n, sizeof *v->v, size_cmp) != NULL;
}

static const char *const KIND_NAMES[PLAN_KIND_COUNT] = {"service", "function", "library",
                                                         "program"};

const char *plan_kind_name(unsigned kind) {
    return kind < PLAN_KIND_COUNT ? KIND_NAMES[kind] : "?";
}

int plan_kind_parse(const char *name, unsigned *kind) {
    for (unsigned k = 0; k < PLAN_KIND_COUNT; k++)
        if (strcmp(name, KIND_NAMES[k]) == 0) {
            *kind = k;
            return 0;
        }
    return -1;
}

static int islib(const plan *p, size_t s) {
    return s != PLAN_NONE && p->services.v[s].kind == PLAN_LIBRARY;
}

int plan_remote_call(const plan *p, size_t a, size_t b, const gcall *c) {
    return !islib(p, b) && (!islib(p, a) || c->evidence == EV_DIRECT);
}

static void derive_members(plan *p) {
    const graph *g = p->g;
    for (size_t i = 0; i < p->services.n; i++) {
        plan_service *s = &p->services.v[i];
        idx_free(&s->funcs);
        strvec_free(&s->files);
        idx_free(&s->entry_points);
        idx_free(&s->owned_state);
        idx_free(&s->shared_state);
        s->loc = 0;
        s->calls_internal = s->calls_out = s->calls_in = 0;
    }
    for (size_t f = 0; f < g->funcs.n; f++) {
        size_t s = p->assign[f];
        if (s == PLAN_NONE) continue;
        VEC_PUSH(p->services.v[s].funcs, f);
        p->services.v[s].loc += g->funcs.v[f].loc;
    }
}

/* Each file goes to the service holding most of its lines (ties: the first
 * service); files without functions (units holding only data) follow
 * their folder when the plan keeps it whole, else go with the service
 * whose code uses that data most (the folder's first file's service when
 * none does), or the service with the most lines when their folder has no
 * other file; units with neither functions nor data go to p->excluded.  Sums
 * are kept per file and per folder over the services present only: a
 * files x services table would be quadratic. */
static void derive_files(plan *p) {
    const graph *g = p->g;
    strmap *fidx = strmap_new();
    strvec files = {0};
    size_t ns = p->services.n, nfn = g->funcs.n;
    size_t *ffile = xmallocarray(nfn, sizeof *ffile);
    for (size_t f = 0; f < nfn; f++) {
        const gfunc *fn = &g->funcs.v[f];
        ffile[f] = PLAN_NONE;
        if (!fn->defined || !fn->file || p->assign[f] == PLAN_NONE) continue;
        int added;
        ffile[f] = strmap_intern(fidx, fn->file, files.n, &added);
        if (added) strvec_push(&files, fn->file);
    }
    size_t nf = files.n;
    /* each file's functions, in index order */
    size_t *off = xcalloc(nf + 1, sizeof *off), *fns = xmallocarray(nfn, sizeof *fns);
    for (size_t f = 0; f < nfn; f++)
        if (ffile[f] != PLAN_NONE) off[ffile[f] + 1]++;
    for (size_t i = 0; i < nf; i++) off[i + 1] += off[i];
    size_t *pos = xmallocarray(nf + 1, sizeof *pos);
    memcpy(pos, off, (nf + 1) * sizeof *pos);
    for (size_t f = 0; f < nfn; f++)
        if (ffile[f] != PLAN_NONE) fns[pos[ffile[f]]++] = f;
    /* per-service sums of one file (or folder) at a time */
    double *acc = xcalloc(ns, sizeof *acc);
    size_t *touched = xmallocarray(ns, sizeof *touched), nt = 0;
    size_t *owner = xmallocarray(nf, sizeof *owner);
    for (size_t i = 0; i < nf; i++) {
        nt = 0;
        for (size_t k = off[i]; k < off[i + 1]; k++) {
            size_t f = fns[k], s = p->assign[f];
            if (acc[s] == 0) touched[nt++] = s;
            acc[s] += weight(&g->funcs.v[f]);
        }
        size_t best = PLAN_NONE;
        for (size_t k = 0; k < nt; k++) {
            size_t s = touched[k];
            if (best == PLAN_NONE || acc[s] > acc[best] || (acc[s] == acc[best] && s < best)) best = s;
        }
        for (size_t k = 0; k < nt; k++) acc[touched[k]] = 0;
        owner[i] = best;
        strvec_push(&p->services.v[best].files, files.v[i]);
    }
    /* units without functions: data (a table of constants) follows its
     * folder; a unit with neither functions nor data was compiled with
     * all of its code left out (another platform's, a feature this build
     * turns off) and belongs to no component */
    strvec_free(&p->excluded);
    strmap *datafile = strmap_new();
    for (size_t v = 0; v < g->globals.n; v++)
        if (g->globals.v[v].defined && g->globals.v[v].file)
            strmap_put(datafile, g->globals.v[v].file, 1);
    /* ... and goes with the service whose code uses its data the most,
     * when any does (by accesses; ties: the first service) */
    strmap *datause = strmap_new(); /* "file" -> service + 1 */
    {
        /* accesses are sorted by function, not by file: gather per file */
        strmap *slot = strmap_new();
        struct { size_t *v; size_t n, cap; } tally = {0}; /* file slot * ns + s */
        size_t nslots = 0;
        for (size_t i = 0; i < g->accesses.n; i++) {
            const gaccess *x = &g->accesses.v[i];
            const gglobal *gv = &g->globals.v[x->global];
            size_t s = p->assign[x->function];
            if (s == PLAN_NONE || !gv->defined || !gv->file || strmap_get(fidx, gv->file, NULL)) continue;
            int added;
            size_t k = strmap_intern(slot, gv->file, nslots, &added);
            if (added) {
                nslots++;
                VEC_RESERVE(tally, nslots * ns);
                memset(tally.v + k * ns, 0, ns * sizeof *tally.v);
                tally.n = nslots * ns;
            }
            tally.v[k * ns + s] += (size_t)x->count;
        }
        for (size_t u = 0; u < g->units.n; u++) {
            size_t k;
            if (!strmap_get(slot, g->units.v[u].file, &k)) continue;
            size_t best = 0;
            for (size_t s = 1; s < ns; s++)
                if (tally.v[k * ns + s] > tally.v[k * ns + best]) best = s;
            if (tally.v[k * ns + best] > 0) strmap_put(datause, g->units.v[u].file, best + 1);
        }
        free(tally.v);
        strmap_free(slot);
    }
    strmap *didx = NULL;
    size_t *doff = NULL, *dfiles = NULL, *dbest = NULL;
    for (size_t u = 0; u < g->units.n && ns > 0; u++) {
        const char *file = g->units.v[u].file;
        if (strmap_get(fidx, file, NULL)) continue;
        if (!strmap_get(datafile, file, NULL)) {
            if (g->units.v[u].status != UNIT_FAILED) strvec_push(&p->excluded, file);
            continue;
        }
        if (!didx) {
            /* the files with functions of each folder, once */
            didx = strmap_new();
            size_t nd = 0, *dir = xmallocarray(nf, sizeof *dir);
            for (size_t i = 0; i < nf; i++) {
                char *d = path_dirname(files.v[i]);
                int added;
                dir[i] = strmap_intern(didx, d, nd, &added);
                nd += (size_t)added;
                free(d);
            }
            doff = xcalloc(nd + 1, sizeof *doff);
            dfiles = xmallocarray(nf, sizeof *dfiles);
            dbest = xmallocarray(nd, sizeof *dbest);
            for (size_t i = 0; i < nf; i++) doff[dir[i] + 1]++;
            for (size_t d = 0; d < nd; d++) doff[d + 1] += doff[d];
            memcpy(pos, doff, (nd + 1) * sizeof *pos);
            for (size_t i = 0; i < nf; i++) dfiles[pos[dir[i]]++] = i;
            for (size_t d = 0; d < nd; d++) {
                nt = 0;
                for (size_t k = doff[d]; k < doff[d + 1]; k++) {
                    size_t s = owner[dfiles[k]];
                    if (p->services.v[s].kind == PLAN_PROGRAM) continue; /* tools beside it */
                    if (acc[s] == 0) touched[nt++] = s;
                    acc[s] += 1;
                }
                size_t best = PLAN_NONE;
                for (size_t k = 0; k < nt; k++) {
                    size_t s = touched[k];
                    if (best == PLAN_NONE || acc[s] > acc[best] || (acc[s] == acc[best] && s < best)) best = s;
                }
                for (size_t k = 0; k < nt; k++) acc[touched[k]] = 0;
                /* a folder the plan split: its data's users decide */
                dbest[d] = nt > 1 ? PLAN_NONE : best;
            }
            free(dir);
        }
        char *dir = path_dirname(file);
        size_t d, best = 0, used;
        int infolder = strmap_get(didx, dir, &d);
        if (infolder && dbest[d] != PLAN_NONE) {
            best = dbest[d];
        } else if (strmap_get(datause, file, &used)) {
            best = used - 1;
        } else if (infolder) {
            best = dbest[d] != PLAN_NONE ? dbest[d] : owner[dfiles[doff[d]]];
        } else {
            for (size_t s = 1; s < ns; s++)
                if (p->services.v[s].loc > p->services.v[best].loc) best = s;
        }
        strmap_put(fidx, file, files.n);
        strvec_push(&p->services.v[best].files, file);
        free(dir);
    }
    for (size_t s = 0; s < ns; s++) strvec_sort(&p->services.v[s].files);
    strmap_free(datafile);
    strmap_free(datause);
    strmap_free(didx);
    free(doff);
    free(dfiles);
    free(dbest);
    free(owner);
    free(touched);
    free(acc);
    free(pos);
    free(fns);
    free(off);
    free(ffile);
    strvec_free(&files);
    strmap_free(fidx);
}

static int cmpinterface(const void *a, const void *b) {
    const plan_interface *x = a, *y = b;
    if (x->from != y->from) return x->from < y->from ? -1 : 1;
    return (x->to > y->to) - (x->to < y->to);
}

/* The calls of groups 0..ng-1 (group[k] of item k, NONE for none) in
 * item order within each: items[off[x] .. off[x + 1]) for group x.  The
 * caller frees both arrays. */
static void bucket(const size_t *group, size_t n, size_t ng, size_t **off, size_t **items) {
    *off = xcalloc(ng + 1, sizeof **off);
    for (size_t k = 0; k < n; k++)
        if (group[k] != PLAN_NONE) (*off)[group[k] + 1]++;
    for (size_t x = 0; x < ng; x++) (*off)[x + 1] += (*off)[x];
    *items = xmallocarray((*off)[ng], sizeof **items);
    size_t *pos = xmallocarray(ng + 1, sizeof *pos);
    memcpy(pos, *off, (ng + 1) * sizeof *pos);
    for (size_t k = 0; k < n; k++)
        if (group[k] != PLAN_NONE) (*items)[pos[group[k]]++] = k;
    free(pos);
}

static void derive_calls(plan *p) {
    const graph *g = p->g;
    size_t ns = p->services.n;
    size_t *callers_out = xcalloc(g->funcs.n, sizeof *callers_out);
    size_t *callers = xcalloc(g->funcs.n, sizeof *callers);
    /* the remote calls, by calling component */
    size_t *from = xmallocarray(g->calls.n, sizeof *from);
    for (size_t i = 0; i < g->calls.n; i++) {
        const gcall *c = &g->calls.v[i];
        size_t a = p->assign[c->from], b = p->assign[c->to];
        from[i] = PLAN_NONE;
        if (a == PLAN_NONE || b == PLAN_NONE) continue;
        callers[c->to]++;
        if (a == b) {
            p->services.v[a].calls_internal += c->sites;
            continue;
        }
        callers_out[c->to]++;
        /* linked in, not remote; but a library calling a service by name
         * (a platform, cluster.c, or one a pin declares) calls out of every
         * process it is linked into */
        if (!plan_remote_call(p, a, b, c)) continue;
        p->services.v[a].calls_out += c->sites;
        p->services.v[b].calls_in += c->sites;
        from[i] = a;
    }
    size_t *off, *calls;
    bucket(from, g->calls.n, ns, &off, &calls);
    /* one interface per (from, to) pair, in that order: each caller's
     * interfaces gathered through a slot per callee component */
    size_t *slot = xmallocarray(ns, sizeof *slot);
    for (size_t s = 0; s < ns; s++) slot[s] = PLAN_NONE;
    for (size_t a = 0; a < ns; a++) {
        size_t first = p->interfaces.n;
        for (size_t k = off[a]; k < off[a + 1]; k++) {
            const gcall *c = &g->calls.v[calls[k]];
            size_t b = p->assign[c->to];
            if (slot[b] == PLAN_NONE) {
                plan_interface x = {0};
                x.from = a;
                x.to = b;
                slot[b] = p->interfaces.n;
                VEC_PUSH(p->interfaces, x);
            }
            plan_interface *x = &p->interfaces.v[slot[b]];
            x->calls++;
            x->sites += c->sites;
            x->sites_by[c->evidence] += c->sites;
            if (c->loop_depth > x->max_loop_depth) x->max_loop_depth = c->loop_depth;
            VEC_PUSH(x->functions, c->to);
        }
        for (size_t i = first; i < p->interfaces.n; i++) {
            slot[p->interfaces.v[i].to] = PLAN_NONE;
            plan_idx_sortuniq(&p->interfaces.v[i].functions);
        }
        if (p->interfaces.n - first > 1)
            qsort(p->interfaces.v + first, p->interfaces.n - first, sizeof *p->interfaces.v,
                  cmpinterface);
    }
    free(slot);
    free(off);
    free(calls);
    free(from);
    /* entry points: reached from another component, or triggers */
    for (size_t f = 0; f < g->funcs.n; f++) {
        size_t s = p->assign[f];
        if (s == PLAN_NONE) continue;
        const gfunc *fn = &g->funcs.v[f];
        int trigger = strcmp(fn->name, "main") == 0 ||
                      (fn->linkage == LINK_EXTERN && callers[f] == 0);
        if (callers_out[f] > 0 || trigger) VEC_PUSH(p->services.v[s].entry_points, f);
    }
    free(callers);
    free(callers_out);
}

static void derive_state(plan *p) {
    const graph *g = p->g;
    size_t ng = g->globals.n;
    idxvec *touch = xcalloc(ng, sizeof *touch);
    idxvec *write = xcalloc(ng, sizeof *write);
    for (size_t i = 0; i < g->accesses.n; i++) {
        const gaccess *a = &g->accesses.v[i];
        size_t s = p->assign[a->function];
        if (s == PLAN_NONE) continue;
        VEC_PUSH(touch[a->global], s);
        if (a->writes) VEC_PUSH(write[a->global], s);
    }
    for (size_t v = 0; v < ng; v++) {
        plan_idx_sortuniq(&touch[v]);
        plan_idx_sortuniq(&write[v]);
        if (touch[v].n == 0) continue;
        const idxvec *own = write[v].n ? &write[v] : &touch[v];
        if (own->n == 1) VEC_PUSH(p->services.v[own->v[0]].owned_state, v);
        if (touch[v].n > 1) {
            plan_shared sh = {0};
            sh.global = v;
            sh.services = touch[v];
            sh.writers = write[v];
            VEC_PUSH(p->shared, sh);
            for (size_t j = 0; j < touch[v].n; j++)
                VEC_PUSH(p->services.v[touch[v].v[j]].shared_state, v);
            continue; /* ownership of the vectors moved into sh */
        }
        idx_free(&touch[v]);
        idx_free(&write[v]);
    }
    free(touch);
    free(write);
}

/* ---- metrics ----------------------------------------------------------- */

/* The metrics need, per component, its internal edges and sites and its
 * totals in and out, and the edges of each pair of components that call
 * each other: sums kept sparse, where ns x ns tables would be quadratic
 * in services.  All sums are of whole numbers, so they are exact in any
 * order; the sums of fractions run in the order of the tables they
 * replace (components, then pairs by (lo, hi)). */
/* Services on a dependency cycle of the interfaces: all of them, or
 * (known) those with direct or field sites. */
static int cyclecount(const plan *p, int known) {
    size_t ns = p->services.n, *off = xcalloc(ns + 1, sizeof *off);
    size_t *to = xmallocarray(p->interfaces.n, sizeof *to), *comp = xmallocarray(ns, sizeof *comp);
    for (size_t i = 0; i < p->interfaces.n; i++) {
        const plan_interface *x = &p->interfaces.v[i];
        if (known && x->sites == x->sites_by[EV_TYPE]) continue;
        off[x->from + 1]++;
    }
    for (size_t s = 0; s < ns; s++) off[s + 1] += off[s];
    size_t *pos = xmallocarray(ns + 1, sizeof *pos);
    memcpy(pos, off, (ns + 1) * sizeof *pos);
    for (size_t i = 0; i < p->interfaces.n; i++) { /* sorted by (from, to) */
        const plan_interface *x = &p->interfaces.v[i];
        if (known && x->sites == x->sites_by[EV_TYPE]) continue;
        to[pos[x->from]++] = x->to;
    }
    size_t nc = scc_lists(ns, off, to, comp);
    size_t *size = xcalloc(nc, sizeof *size);
    for (size_t s = 0; s < ns; s++) size[comp[s]]++;
    int n = 0;
    for (size_t s = 0; s < ns; s++) n += size[comp[s]] > 1;
    free(size);
    free(pos);
    free(comp);
    free(to);
    free(off);
    return n;
}

static void derive_metrics(plan *p) {
    const graph *g = p->g;
    size_t ns = p->services.n;
    plan_metrics *m = &p->metrics;
    memset(m, 0, sizeof *m);
    if (ns == 0) return;
    /* distinct directed edges between defined functions, by component */
    double *ein = xcalloc(ns, sizeof *ein), *eout = xcalloc(ns, sizeof *eout);
    double *eself = xcalloc(ns, sizeof *eself), *wself = xcalloc(ns, sizeof *wself);
    double *win = xcalloc(ns, sizeof *win), *wout = xcalloc(ns, sizeof *wout);
    /* each cross edge under its lower-numbered component */
    size_t *lo = xmallocarray(g->calls.n, sizeof *lo);
    double total_sites = 0, cross = 0, wtotal = 0, total_known = 0, cross_known = 0;
    for (size_t i = 0; i < g->calls.n; i++) {
        const gcall *c = &g->calls.v[i];
        size_t a = p->assign[c->from], b = p->assign[c->to];
        lo[i] = PLAN_NONE;
        if (a == PLAN_NONE || b == PLAN_NONE || c->from == c->to) continue;
        eout[a] += 1;
        ein[b] += 1;
        wout[a] += c->sites;
        win[b] += c->sites;
        if (a == b) {
            eself[a] += 1;
            wself[a] += c->sites;
        } else {
            lo[i] = a < b ? a : b;
        }
        wtotal += c->sites;
        if (islib(p, a) || islib(p, b)) continue;
        total_sites += c->sites;
        if (a != b) cross += c->sites;
        if (c->evidence == EV_TYPE) continue;
        total_known += c->sites;
        if (a != b) cross_known += c->sites;
    }
    /* modularity of the undirected call-site graph (resolution 1) */
    if (wtotal > 0) {
        double q = 0;
        for (size_t a = 0; a < ns; a++) {
            double in = wself[a], deg = wout[a] + win[a];
            q += in / wtotal - (deg / (2 * wtotal)) * (deg / (2 * wtotal));
        }
        m->modularity = q;
    }
    /* Bunch MQ: sum of cluster factors */
    double mq = 0;
    for (size_t a = 0; a < ns; a++) {
        double mu = eself[a], eps = (eout[a] - mu) + (ein[a] - mu);
        if (mu > 0) mq += 2 * mu / (2 * mu + eps);
    }
    m->mq = mq;
    /* structural modularity (Jin et al.); pairs without edges add 0 */
    double cohesion = 0, coupling = 0;
    for (size_t a = 0; a < ns; a++) {
        double na = (double)p->services.v[a].funcs.n;
        if (na > 0) cohesion += eself[a] / (na * na);
    }
    size_t *off, *edge;
    bucket(lo, g->calls.n, ns, &off, &edge);
    double *pe = xcalloc(ns, sizeof *pe); /* edges to each hi of the row */
    size_t *his = xmallocarray(ns, sizeof *his);
    for (size_t a = 0; a < ns; a++) {
        size_t nh = 0;
        for (size_t k = off[a]; k < off[a + 1]; k++) {
            const gcall *c = &g->calls.v[edge[k]];
            size_t x = p->assign[c->from], y = p->assign[c->to], hi = x == a ? y : x;
            if (pe[hi] == 0) his[nh++] = hi;
            pe[hi] += 1;
        }
        if (nh > 1) qsort(his, nh, sizeof *his, size_cmp);
        double na = (double)p->services.v[a].funcs.n;
        for (size_t k = 0; k < nh; k++) {
            double nb = (double)p->services.v[his[k]].funcs.n;
            if (na > 0 && nb > 0) coupling += pe[his[k]] / (2 * na * nb);
            pe[his[k]] = 0;
        }
    }
    free(pe);
    free(his);
    free(off);
    free(edge);
    free(lo);
    m->sm = cohesion / (double)ns - (ns > 1 ? coupling / ((double)ns * (double)(ns - 1) / 2) : 0);
    m->icp = total_sites > 0 ? cross / total_sites : 0;
    m->cross_sites = (int)cross;
    m->icp_known = total_known > 0 ? cross_known / total_known : 0;
    m->cross_sites_known = (int)cross_known;
    m->cycle_services = cyclecount(p, 0);
    m->cycle_services_known = cyclecount(p, 1);
    /* IFN: mean entry points per service; NED: share of functions in
     * services of extreme size (both over services, libraries excluded) */
    size_t k = 0, entries = 0, nfun = 0, extreme = 0;
    for (size_t a = 0; a < ns; a++) {
        const plan_service *s = &p->services.v[a];
        if (s->kind == PLAN_LIBRARY) continue;
        k++;
        entries += s->entry_points.n;
        nfun += s->funcs.n;
        if (s->funcs.n < NED_MIN || s->funcs.n > NED_MAX) extreme += s->funcs.n;
    }
    m->ifn = k ? (double)entries / (double)k : 0;
    m->ned = nfun ? (double)extreme / (double)nfun : 0;
    m->shared_state = (int)p->shared.n;
    free(ein);
    free(eout);
    free(eself);
    free(wself);
    free(win);
    free(wout);
}

void plan_finish(plan *p) {
    /* drop services left empty (e.g. by constraints) */
    size_t o = 0;
    size_t *map = xmallocarray(p->services.n, sizeof *map);
    size_t *count = xcalloc(p->services.n, sizeof *count);
    for (size_t f = 0; f < p->g->funcs.n; f++)
        if (p->assign[f] != PLAN_NONE) count[p->assign[f]]++;
    for (size_t i = 0; i < p->services.n; i++) {
        if (count[i] == 0) {
            service_clear(&p->services.v[i]);
            map[i] = PLAN_NONE;
            continue;
        }
        map[i] = o;
        p->services.v[o++] = p->services.v[i];
    }
    p->services.n = o;
    for (size_t f = 0; f < p->g->funcs.n; f++)
        if (p->assign[f] != PLAN_NONE) p->assign[f] = map[p->assign[f]];
    free(map);
    free(count);

    for (size_t i = 0; i < p->interfaces.n; i++) idx_free(&p->interfaces.v[i].functions);
    p->interfaces.n = 0;
    for (size_t i = 0; i < p->shared.n; i++) {
        idx_free(&p->shared.v[i].services);
        idx_free(&p->shared.v[i].writers);
    }
    p->shared.n = 0;
    derive_members(p);
    name_services(p);
    derive_members(p);
    derive_files(p);
    derive_calls(p);
    derive_state(p);
    derive_metrics(p);
}

size_t plan_find_service(const plan *p, const char *name) {
    for (size_t i = 0; i < p->services.n; i++)
        if (strcmp(p->services.v[i].name, name) == 0) return i;
    return PLAN_NONE;
}
