/*
 * merge.c - joins per-TU facts into one program graph (merge.h).
 *
 * Steps: (1) units, sorted by file; (2) one node per function id and per
 * global id, preferring the record that has the definition; the first TU
 * (in file order) that defines a function "owns" it, and only the owner's
 * calls and accesses for that function are kept, so a `static inline`
 * body seen by many TUs counts once; an extern name several files define
 * gets one node per file, and the programs of the tree (each main and the
 * files it reaches) decide which of them a direct call reaches, never one
 * of another program (programs, calleeidx); a file read again in another
 * build is the unit "file[build]" (scan.c), and each program follows the
 * build of it its main's macros select (pick); (3) target sets for indirect calls:
 * functions stored into each field / global (directly, or through a
 * parameter of a registration function), and address-taken functions by
 * type; (4) edges aggregated per (caller, callee, kind), accesses per
 * (function, global, mode); (5) sort, drop external functions nothing
 * refers to, and renumber.
 *
 * Everything is keyed by strings and sorted at the end, so the result does
 * not depend on the order of the input records.  Temporary tables are freed
 * before returning; the graph owns its copies of every string.
 */
#include "scan/merge.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph/state.h"
#include "util/strmap.h"

/* A call through a field or global that may reach more functions than
 * this says no more than a call known by its type: a generic callback slot
 * (nginx's ngx_event_t.handler holds the handlers of every protocol), not
 * a dispatch table of one module's operations.  Its edges are `type`
 * evidence (graph.h).  A module's table of commands or ops seldom holds
 * more. */
#define FIELD_TARGETS_MAX 32

typedef struct idvec {
    size_t *v;
    size_t n, cap;
} idvec;

/* A growable family of id sets keyed by string. */
typedef struct setmap {
    strmap *index;
    struct { idvec *v; size_t n, cap; } sets;
} setmap;

typedef struct fnode {
    gfunc g;
    size_t owner;  /* TU index of the definition kept, or SIZE_MAX */
    const char *type, *ret;
    int referenced;
} fnode;

typedef struct gnode {
    gglobal g;
} gnode;

/* An edge or an access being aggregated, before renumbering. */
typedef struct tcall {
    size_t from, to; /* fnode indexes until renumbered */
    unsigned evidence;
    int sites, loop_depth;
    struct { gsite *v; size_t n, cap; } at;
} tcall;

typedef struct tacc {
    size_t function, global;
    unsigned mode;
    int count;
    struct { gsite *v; size_t n, cap; } at;
} tacc;

typedef struct tcallvec {
    tcall *v;
    size_t n, cap;
} tcallvec;

/* How the direct calls to one name several files define were resolved. */
typedef struct resolved {
    const char *id;
    size_t program, nearest, dropped;
} resolved;

typedef struct mstate {
    graph *g;
    facts **tus;
    size_t n;
    strmap *fidx, *gidx;
    struct { fnode *v; size_t n, cap; } funcs;
    struct { gnode *v; size_t n, cap; } globals;
    setmap fields, globalsets, args, bytype, byret;
    strmap *edgeidx, *accidx;
    strmap *aliases; /* "tu\x1fid" -> node of a renamed second definition */
    setmap defs;     /* extern name defined in several files -> its nodes */
    strmap *fileidx; /* file defining some function -> index in progs */
    strmap *unitidx; /* unit file -> TU index */
    struct { idvec *v; size_t n, cap; } progs; /* per file: the programs reaching it */
    idvec *reads; /* per file: those of them whose build its unit was read in */
    strmap *realidx; /* with second builds only: file as on disk -> index in sibs */
    struct { idvec *v; size_t n, cap; } sibs; /* per file on disk: its units' files, by name */
    strvec *wanted;  /* merge_wanted_builds: "unit\x1f" "build" a program needs, or NULL */
    strmap *namestat; /* id in defs -> index in resolved */
    struct { struct resolved *v; size_t n, cap; } resolved;
    tcallvec calls;  /* (4): edges keyed in edgeidx */
    struct { tacc *v; size_t n, cap; } accs; /* (4): accesses keyed in accidx */
} mstate;

static const char *S(mstate *m, const char *s) {
    return strpool_intern(m->g->pool, s);
}

static void setmap_init(setmap *sm) {
    sm->index = strmap_new();
    sm->sets.v = NULL;
    sm->sets.n = sm->sets.cap = 0;
}

static void setmap_free(setmap *sm) {
    for (size_t i = 0; i < sm->sets.n; i++) free(sm->sets.v[i].v);
    free(sm->sets.v);
    strmap_free(sm->index);
}

static void setmap_add(setmap *sm, const char *key, size_t id) {
    int added;
    size_t i = strmap_intern(sm->index, key, sm->sets.n, &added);
    if (added) {
        idvec empty = {0};
        VEC_PUSH(sm->sets, empty);
    }
    VEC_PUSH(sm->sets.v[i], id);
}

static const idvec *setmap_get(const setmap *sm, const char *key) {
    size_t i;
    return key && strmap_get(sm->index, key, &i) ? &sm->sets.v[i] : NULL;
}

/* qsort that tolerates the NULL array of an empty vector. */
static void sortv(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *)) {
    if (n > 1) qsort(base, n, size, cmp);
}

static void idvec_uniq(idvec *v) {
    if (v->n < 2) return;
    sortv(v->v, v->n, sizeof *v->v, size_cmp);
    size_t o = 1;
    for (size_t i = 1; i < v->n; i++)
        if (v->v[i] != v->v[o - 1]) v->v[o++] = v->v[i];
    v->n = o;
}

static void setmap_uniq(setmap *sm) {
    for (size_t i = 0; i < sm->sets.n; i++) idvec_uniq(&sm->sets.v[i]);
}

static int cmpfacts(const void *a, const void *b) {
    return strcmp((*(facts *const *)a)->file, (*(facts *const *)b)->file);
}

/* ---- nodes ------------------------------------------------------------- */

static size_t newfunc(mstate *m, const char *id, const fact_func *f) {
    int added;
    size_t i = strmap_intern(m->fidx, id, m->funcs.n, &added);
    if (added) {
        fnode n = {0};
        n.g.id = S(m, id);
        n.g.name = S(m, f->name);
        n.owner = SIZE_MAX;
        n.type = S(m, f->type);
        n.ret = S(m, f->ret);
        VEC_PUSH(m->funcs, n);
    }
    return i;
}

static void define(mstate *m, fnode *n, const fact_func *f, size_t tu) {
    n->owner = tu;
    n->g.defined = 1;
    n->g.file = S(m, f->file);
    n->g.line = f->line;
    n->g.end_line = f->end_line;
    n->g.loc = f->loc;
    n->g.linkage = f->linkage;
}

/* Whether files a and b are two builds of one file. */
static int samefile(const char *a, const char *b) {
    size_t n = path_unit_len(a);
    return n == path_unit_len(b) && strncmp(a, b, n) == 0;
}

/*
 * An extern function defined in two files belongs to two programs built
 * from one tree (two `main`s).  The first file keeps the plain id; each
 * other definition becomes its own node "file:name", and that TU's facts
 * for the name are read as that node (see fromidx).
 */
static void funcnode(mstate *m, const fact_func *f, size_t tu) {
    size_t i = newfunc(m, f->id, f);
    fnode *n = &m->funcs.v[i];
    if (f->defined && n->owner == SIZE_MAX) {
        define(m, n, f, tu);
    } else if (f->defined && n->g.file && f->file && strcmp(n->g.file, f->file) != 0 &&
               f->linkage == LINK_EXTERN) {
        char *alias = xasprintf("%s:%s", f->file, f->name);
        char *w = xasprintf("function %s is defined in %s and in %s; the second is %s",
                            f->id, n->g.file, f->file, alias);
        /* two builds of one file define it: expected, and said once
         * (scan.c); so is a main() per program, which the plan reports */
        if (!samefile(n->g.file, f->file) && strcmp(f->name, "main") != 0 &&
            !strvec_contains(&m->g->warnings, w))
            strvec_push(&m->g->warnings, w);
        size_t a = newfunc(m, alias, f);
        if (m->funcs.v[a].owner == SIZE_MAX) {
            define(m, &m->funcs.v[a], f, tu);
            if (!setmap_get(&m->defs, f->id)) {
                resolved r = {S(m, f->id), 0, 0, 0};
                strmap_put(m->namestat, f->id, m->resolved.n);
                VEC_PUSH(m->resolved, r);
                setmap_add(&m->defs, f->id, i);
            }
            setmap_add(&m->defs, f->id, a);
        }
        char *k = xasprintf("%zu\x1f%s", tu, f->id);
        strmap_put(m->aliases, k, a);
        free(k);
        free(w);
        free(alias);
    } else if (n->owner == SIZE_MAX && !n->g.file && f->file) {
        n->g.file = S(m, f->file);
        n->g.line = f->line;
        n->g.linkage = f->linkage;
    }
}

static void globalnode(mstate *m, const fact_global *f) {
    int added;
    size_t i = strmap_intern(m->gidx, f->id, m->globals.n, &added);
    if (added) {
        gnode n = {0};
        VEC_PUSH(m->globals, n);
    }
    gglobal *g = &m->globals.v[i].g;
    if (added || (f->defined && !g->defined)) {
        g->id = S(m, f->id);
        g->name = S(m, f->name);
        g->file = S(m, f->file);
        g->parent = S(m, f->parent);
        g->line = f->line;
        g->linkage = f->linkage;
        g->kind = f->kind;
        g->defined = f->defined;
    }
}

static size_t fidx(mstate *m, const char *id) {
    size_t i = SIZE_MAX;
    strmap_get(m->fidx, id, &i);
    return i;
}

/* The node a TU's facts about function `id` belong to: the TU's own
 * definition when it was renamed by funcnode. */
static size_t fromidx(mstate *m, size_t tu, const char *id) {
    size_t i = fidx(m, id);
    if (m->funcs.v[i].owner == tu || !strmap_count(m->aliases)) return i;
    char *k = xasprintf("%zu\x1f%s", tu, id);
    strmap_get(m->aliases, k, &i);
    free(k);
    return i;
}

/* How near the definition in file b is to a caller in file a: the same
 * directory wins; then a directory above the caller's, the nearer the
 * better (a program links the code of the directories it is built from,
 * as Bash's builtins/ use the top level's xmalloc.c, not readline's); then
 * the more leading components the two share. */
static int closeness(const char *a, const char *b) {
    char *da = path_dirname(a), *db = path_dirname(b);
    int score = 0;
    if (strcmp(da, db) == 0) {
        score = 1000;
    } else {
        for (size_t i = 0; da[i] && da[i] == db[i]; i++)
            if (da[i + 1] == '/' || da[i + 1] == '\0') score++;
        size_t n = strlen(db);
        int above = strcmp(db, ".") == 0 || (strncmp(da, db, n) == 0 && da[n] == '/');
        score = 2 * score + above;
    }
    free(da);
    free(db);
    return score;
}

/* Where node i lives for the programs: the main file of the unit that
 * owns its definition, NULL when not defined.  A function defined in a
 * header (a static inline, a template like simplehash.h instantiated per
 * unit) belongs to the unit whose body was kept, not to the header: a
 * header every program includes would join them all. */
static const char *home(const mstate *m, size_t i) {
    const fnode *n = &m->funcs.v[i];
    if (!n->g.defined) return NULL;
    return n->owner != SIZE_MAX ? m->tus[n->owner]->file : n->g.file;
}

/* The programs reaching the file that defines node i, or NULL. */
static const idvec *progsof(mstate *m, size_t i) {
    size_t k;
    const char *file = home(m, i);
    return file && strmap_get(m->fileidx, file, &k) && m->progs.v[k].n ? &m->progs.v[k] : NULL;
}

/* Those of them whose build node i's unit was read in, or NULL: the
 * programs its calls, as read, are made in. */
static const idvec *readby(mstate *m, size_t i) {
    size_t k;
    const char *file = home(m, i);
    return file && strmap_get(m->fileidx, file, &k) && m->reads[k].n ? &m->reads[k] : NULL;
}

static int meets(const idvec *a, const idvec *b) {
    for (size_t i = 0, j = 0; a && b && i < a->n && j < b->n;) {
        if (a->v[i] == b->v[j]) return 1;
        if (a->v[i] < b->v[j]) i++;
        else j++;
    }
    return 0;
}

/* The definition among d's nodes nearest caller file `file`, SIZE_MAX if
 * none.  want 1: only those in a program of mine; 0: only those in no
 * program; 2: any.  Of equally near ones, one in a program of mine comes
 * first (the caller's program links it: a client's lo_read beside the
 * server's, both a folder away), then the first in path order. */
static size_t nearest(mstate *m, const idvec *d, const char *file, const idvec *mine, int want) {
    size_t best = SIZE_MAX;
    int bests = -1;
    for (size_t i = 0; i < d->n; i++) {
        const idvec *theirs = progsof(m, d->v[i]);
        /* want 1: in a program of the caller's; 0: in no program at all */
        if (want == 1 ? !meets(mine, theirs) : want == 0 ? theirs != NULL : 0) continue;
        int sc = 2 * closeness(file, m->funcs.v[d->v[i]].g.file) + meets(mine, theirs);
        if (sc > bests) {
            bests = sc;
            best = d->v[i];
        }
    }
    return best;
}

/* The TU whose main file is `file`, or NULL (a header). */
static const facts *unitof(mstate *m, const char *file) {
    size_t t;
    return file && strmap_get(m->unitidx, file, &t) ? m->tus[t] : NULL;
}

/* With second builds read: the first of d's nodes (in path order) whose
 * unit was read in the same build as node `from`'s (they define the same
 * build macros), SIZE_MAX if none.  A program reaches files only through
 * calls to names one file defines: a frontend file calling pstrdup, which
 * the server and the frontend library both define, links the frontend
 * library's, read in its own build, though no call leaves a doubt. */
static size_t samebuild(mstate *m, const idvec *d, size_t from) {
    const facts *u = unitof(m, home(m, from));
    for (size_t i = 0; u && i < d->n; i++) {
        const facts *v = unitof(m, home(m, d->v[i]));
        if (!v || v->defines.n != u->defines.n) continue;
        size_t j = 0;
        while (j < u->defines.n && strcmp(u->defines.v[j], v->defines.v[j]) == 0) j++;
        if (j == u->defines.n) return d->v[i];
    }
    return SIZE_MAX;
}

/*
 * The callee node for a direct call from function `from` (in unit `file`)
 * to `id`, or SIZE_MAX to leave the call unresolved.  When several files
 * define the name, the one nearest the caller in the tree, the way each
 * program is built from its own directory (of equally near ones, one a
 * program of the caller's reaches), unless that one belongs only to
 * programs the caller's file is not in (programs() says what they are;
 * the caller's are those whose build its unit was read in: a file read in
 * another program's build makes its calls as that build would, and one
 * read in no program's build is in none): a call never crosses from one
 * program into another.  It then goes to the
 * nearest definition a program of the caller's reaches, else (with
 * second builds read) to one read in the caller's build (samebuild),
 * else to the nearest one no program reaches, else nowhere.  Each choice is counted
 * per name for the warnings and the summary: a call goes to the nearest
 * when the folders and path order alone would choose the same.
 */
static size_t calleeidx(mstate *m, const char *id, size_t from, const char *file) {
    const idvec *d = setmap_get(&m->defs, id);
    if (!d) return fidx(m, id);
    const idvec *mine = readby(m, from), *theirs;
    size_t k, best = nearest(m, d, file, NULL, 2);
    strmap_get(m->namestat, id, &k);
    theirs = progsof(m, best);
    if (!mine || !theirs || meets(mine, theirs)) {
        /* an equally near one of the caller's program wins the tie */
        size_t mi = nearest(m, d, file, mine, 2);
        if (mi == best) m->resolved.v[k].nearest++;
        else m->resolved.v[k].program++;
        return mi;
    }
    best = nearest(m, d, file, mine, 1);
    if (best == SIZE_MAX && m->realidx) best = samebuild(m, d, from);
    if (best == SIZE_MAX) best = nearest(m, d, file, NULL, 0);
    if (best == SIZE_MAX) m->resolved.v[k].dropped++;
    else m->resolved.v[k].program++;
    return best;
}

/*
 * Whether the program whose main is in `main` can follow the calls of
 * `file` as its unit was read: for each build macro the unit tests (a
 * macro that tells builds apart, project.h; tested in the file or a
 * header), the unit defines it exactly when main's does.  A library a
 * server and its clients share, read as the server's build, calls into
 * the server; the client links its own build of it, whose calls were not
 * read.
 */
static int agrees(mstate *m, const char *file, const char *main) {
    const facts *u = unitof(m, file), *p = unitof(m, main);
    for (size_t i = 0; u && p && i < u->tests.n; i++)
        if (strvec_contains(&u->defines, u->tests.v[i]) !=
            strvec_contains(&p->defines, u->tests.v[i]))
            return 0;
    return 1;
}

/* Whether the nodes of d, one name's definitions, are all in builds of
 * one file (its second builds, scan.c): a call to the name leaves no
 * doubt about the file, only about the build, which is the program's. */
static int onefile(mstate *m, const idvec *d) {
    for (size_t i = 1; i < d->n; i++)
        if (!home(m, d->v[i]) || !home(m, d->v[0]) || !samefile(home(m, d->v[0]), home(m, d->v[i])))
            return 0;
    return 1;
}

/* With second builds read: each file on disk's units (indexes in
 * fileidx), in name order, the file's own first ("x.c" before
 * "x.c[FRONTEND]"). */
static void siblings(mstate *m, const char **files, size_t nf) {
    int any = 0;
    for (size_t t = 0; t < m->n && !any; t++)
        any = path_unit_len(m->tus[t]->file) != strlen(m->tus[t]->file);
    if (!any) return;
    m->realidx = strmap_new();
    for (size_t k = 0; k < nf; k++) {
        char *disk = xstrndup(files[k], path_unit_len(files[k]));
        int added;
        size_t i = strmap_intern(m->realidx, disk, m->sibs.n, &added);
        if (added) {
            idvec none = {0};
            VEC_PUSH(m->sibs, none);
        }
        idvec *g = &m->sibs.v[i];
        VEC_PUSH(*g, k);
        for (size_t j = g->n - 1; j > 0 && strcmp(files[g->v[j - 1]], files[g->v[j]]) > 0; j--) {
            size_t x = g->v[j];
            g->v[j] = g->v[j - 1];
            g->v[j - 1] = x;
        }
        free(disk);
    }
}

/* The build of file y a program whose main is in `main` links: the first
 * of y's units read in its build, else y (the program still holds it,
 * without following its calls). */
static size_t pick(mstate *m, const char **files, size_t y, const char *main) {
    size_t i;
    if (!m->realidx || agrees(m, files[y], main)) return y;
    char *disk = xstrndup(files[y], path_unit_len(files[y]));
    int found = strmap_get(m->realidx, disk, &i);
    free(disk);
    for (size_t j = 0; found && j < m->sibs.v[i].n; j++)
        if (agrees(m, files[m->sibs.v[i].v[j]], main)) return m->sibs.v[i].v[j];
    return y;
}

/* Records in m->wanted the build of `file` (a unit read in its file's
 * own build) the program of `main` needs: the macros the file's code
 * tests that main's unit defines otherwise, "M" (defined) or "!M". */
static void want(mstate *m, const char *file, const char *main) {
    const facts *u = unitof(m, file), *p = unitof(m, main);
    if (!m->wanted || !u || !p || path_unit_len(file) != strlen(file)) return;
    strbuf b = {0};
    strbuf_printf(&b, "%s\x1f", file);
    size_t at = b.n;
    for (size_t i = 0; i < u->tests.n; i++) {
        int pd = strvec_contains(&p->defines, u->tests.v[i]);
        if (pd == strvec_contains(&u->defines, u->tests.v[i])) continue;
        strbuf_printf(&b, "%s%s%s", b.n > at ? "," : "", pd ? "" : "!", u->tests.v[i]);
    }
    if (b.n > at && !strvec_contains(m->wanted, b.v)) strvec_push(m->wanted, b.v);
    free(b.v);
}

/* Whether node i's body lies in a header, a file no unit compiles: a
 * static inline every unit including it shares (its calls are kept once,
 * with its owner's). */
static int inheader(mstate *m, size_t i) {
    const gfunc *g = &m->funcs.v[i].g;
    return g->defined && g->file && !strmap_get(m->unitidx, g->file, NULL);
}

/* The files (indexes in fileidx) reached from header body h through the
 * direct calls of header bodies (hcalls), into *out, sorted; mark is
 * scratch of m->funcs.n bytes, left zeroed. */
static void through_headers(mstate *m, size_t h, const idvec *hcalls, unsigned char *mark,
                            idvec *out) {
    idvec stack = {0}, seen = {0};
    VEC_PUSH(stack, h);
    mark[h] = 1;
    VEC_PUSH(seen, h);
    while (stack.n) {
        size_t x = stack.v[--stack.n];
        for (size_t j = 0; j < hcalls[x].n; j++) {
            size_t y = hcalls[x].v[j], k;
            if (mark[y]) continue;
            mark[y] = 1;
            VEC_PUSH(seen, y);
            if (inheader(m, y)) VEC_PUSH(stack, y);
            else if (strmap_get(m->fileidx, home(m, y), &k)) VEC_PUSH(*out, k);
        }
    }
    for (size_t i = 0; i < seen.n; i++) mark[seen.v[i]] = 0;
    idvec_uniq(out);
    free(stack.v);
    free(seen.v);
}

/*
 * The programs of the tree: each extern `main` starts one, and it holds
 * the files that main's file reaches through direct calls that leave no
 * doubt (to a name one file defines), file by file; a library file that
 * two mains reach belongs to both.  A file read in another build than
 * the program's (agrees) belongs to it, but its calls are not followed.
 * Numbered by the main's file, in path order.
 */
static void programs(mstate *m) {
    m->unitidx = strmap_new();
    for (size_t t = 0; t < m->n; t++) strmap_put(m->unitidx, m->tus[t]->file, t);
    m->fileidx = strmap_new();
    for (size_t i = 0; i < m->funcs.n; i++) {
        const char *file = home(m, i);
        int added;
        if (!file) continue;
        strmap_intern(m->fileidx, file, m->progs.n, &added);
        if (added) {
            idvec none = {0};
            VEC_PUSH(m->progs, none);
        }
    }
    /* file -> file through the direct calls that leave no doubt; a call
     * into a header's body stands for that body's own calls (its owner is
     * merely the first unit that included it) */
    size_t nf = m->progs.n, nn = m->funcs.n;
    idvec *adj = xcalloc(nf ? nf : 1, sizeof *adj);
    idvec *hcalls = xcalloc(nn ? nn : 1, sizeof *hcalls);
    struct { size_t *v; size_t n, cap; } intoh = {0}; /* pairs: file, header node */
    for (size_t t = 0; t < m->n; t++) {
        facts *f = m->tus[t];
        for (size_t i = 0; i < f->calls.n; i++) {
            const fact_call *c = &f->calls.v[i];
            size_t from = fromidx(m, t, c->from), to = c->indirect ? SIZE_MAX : fidx(m, c->to), a, b;
            const idvec *d = to == SIZE_MAX ? NULL : setmap_get(&m->defs, c->to);
            if (to == SIZE_MAX || m->funcs.v[from].owner != t || (d && !onefile(m, d)) ||
                !home(m, to))
                continue;
            if (inheader(m, from)) {
                VEC_PUSH(hcalls[from], to);
            } else if (strmap_get(m->fileidx, m->tus[t]->file, &a)) {
                if (inheader(m, to)) {
                    VEC_PUSH(intoh, a);
                    VEC_PUSH(intoh, to);
                } else if (strmap_get(m->fileidx, home(m, to), &b) && a != b) {
                    VEC_PUSH(adj[a], b);
                }
            }
        }
    }
    unsigned char *mark = xcalloc(nn ? nn : 1, 1);
    idvec *closure = xcalloc(nn ? nn : 1, sizeof *closure);
    unsigned char *done = xcalloc(nn ? nn : 1, 1);
    for (size_t i = 0; i + 1 < intoh.n; i += 2) {
        size_t a = intoh.v[i], h = intoh.v[i + 1];
        if (!done[h]) {
            through_headers(m, h, hcalls, mark, &closure[h]);
            done[h] = 1;
        }
        for (size_t j = 0; j < closure[h].n; j++)
            if (closure[h].v[j] != a) VEC_PUSH(adj[a], closure[h].v[j]);
    }
    for (size_t i = 0; i < nn; i++) {
        free(hcalls[i].v);
        free(closure[i].v);
    }
    free(hcalls);
    free(closure);
    free(done);
    free(mark);
    free(intoh.v);
    for (size_t i = 0; i < nf; i++) idvec_uniq(&adj[i]);
    strvec mains = {0};
    for (size_t i = 0; i < m->funcs.n; i++) {
        const gfunc *g = &m->funcs.v[i].g;
        /* a second build of a main's file is no other program */
        if (home(m, i) && g->linkage == LINK_EXTERN && strcmp(g->name, "main") == 0 &&
            path_unit_len(home(m, i)) == strlen(home(m, i)) && !strvec_contains(&mains, home(m, i)))
            strvec_push(&mains, home(m, i));
    }
    strvec_sort(&mains);
    const char **files = xmallocarray(nf ? nf : 1, sizeof *files);
    for (size_t i = 0; i < m->funcs.n; i++) {
        size_t k;
        if (home(m, i) && strmap_get(m->fileidx, home(m, i), &k)) files[k] = home(m, i);
    }
    siblings(m, files, nf);
    unsigned char *other = xcalloc(nf ? nf : 1, 1); /* read in another program's build */
    m->reads = xcalloc(nf ? nf : 1, sizeof *m->reads);
    size_t *queue = xmallocarray(nf ? nf : 1, sizeof *queue);
    for (size_t p = 0; p < mains.n; p++) {
        size_t head = 0, tail = 0, start;
        strmap_get(m->fileidx, mains.v[p], &start);
        queue[tail++] = start;
        VEC_PUSH(m->progs.v[start], p);
        while (head < tail) {
            size_t at = queue[head++];
            if (!agrees(m, files[at], mains.v[p])) {
                other[at] = 1;
                want(m, files[at], mains.v[p]);
                continue;
            }
            VEC_PUSH(m->reads[at], p);
            const idvec *out = &adj[at];
            for (size_t j = 0; j < out->n; j++) {
                size_t y = pick(m, files, out->v[j], mains.v[p]);
                idvec *seen = &m->progs.v[y];
                if (seen->n && seen->v[seen->n - 1] == p) continue;
                VEC_PUSH(*seen, p);
                queue[tail++] = y;
            }
        }
    }
    /* the second builds read, and the programs that follow their calls */
    for (size_t k = 0; m->realidx && k < nf; k++) {
        if (path_unit_len(files[k]) == strlen(files[k]) || !unitof(m, files[k])) continue;
        gread r = {S(m, files[k]), S(m, "") /* scan_graph names it */, 0, {0}, (int)m->reads[k].n,
                   m->reads[k].n ? S(m, mains.v[m->reads[k].v[0]]) : NULL};
        VEC_PUSH(m->g->reads, r);
    }
    graph_stats *st = &m->g->stats;
    st->programs_known = 1;
    st->programs = mains.n;
    for (size_t i = 0; i < nf; i++) st->other_build_files += other[i];
    free(other);
    free(queue);
    free(files);
    for (size_t i = 0; i < nf; i++) free(adj[i].v);
    free(adj);
    strvec_free(&mains);
}

/* The summary's totals of how calls to names several files define were
 * resolved, and one warning per such name whose calls the program
 * rule moved or dropped: how its calls were resolved.  A name whose calls
 * all went to the nearest definition says nothing more than the warning
 * that it is defined twice (Bash: 11 such names, one moved). */
static void resolution_warnings(mstate *m) {
    graph_stats *st = &m->g->stats;
    for (size_t k = 0; k < m->resolved.n; k++) {
        const resolved *r = &m->resolved.v[k];
        /* builds of one file: the program's build, said with the builds */
        if (onefile(m, setmap_get(&m->defs, r->id))) continue;
        st->shared_names++;
        st->calls_nearest += r->nearest;
        st->calls_in_program += r->program;
        st->calls_unresolved += r->dropped;
        if (r->program + r->dropped == 0) continue;
        char *w = xasprintf("calls to %s, defined in %zu files: %zu to the nearest definition, "
                            "%zu kept in the caller's program instead, %zu left unresolved "
                            "(only other programs define it)",
                            r->id, setmap_get(&m->defs, r->id)->n, r->nearest, r->program,
                            r->dropped);
        strvec_push_owned(&m->g->warnings, w);
    }
}

/* ---- indirect targets -------------------------------------------------- */

/* Adds what parameter p->arg of p->function receives to what argument
 * p->to_arg of p->key receives; returns whether that set grew. */
static int flowargs(mstate *m, const fact_param *p) {
    char *k = xasprintf("%s\x1f%d", p->function, p->arg);
    const idvec *src = setmap_get(&m->args, k);
    free(k);
    if (!src || src->n == 0) return 0;
    /* copy: adding to the same setmap may move src */
    idvec copy = {0};
    for (size_t j = 0; j < src->n; j++) VEC_PUSH(copy, src->v[j]);
    k = xasprintf("%s\x1f%d", p->key, p->to_arg);
    for (size_t j = 0; j < copy.n; j++) setmap_add(&m->args, k, copy.v[j]);
    size_t i;
    strmap_get(m->args.index, k, &i);
    idvec *dst = &m->args.sets.v[i];
    size_t before = dst->n - copy.n;
    idvec_uniq(dst);
    free(k);
    free(copy.v);
    return dst->n > before;
}

static void collectstores(mstate *m) {
    for (size_t t = 0; t < m->n; t++) {
        facts *f = m->tus[t];
        for (size_t i = 0; i < f->stores.n; i++) {
            const fact_store *s = &f->stores.v[i];
            size_t fi = fidx(m, s->function);
            fnode *fn = &m->funcs.v[fi];
            if (!fn->g.address_taken) {
                fn->g.address_taken = 1;
                setmap_add(&m->bytype, fn->type, fi);
                setmap_add(&m->byret, fn->ret, fi);
            }
            if (s->sink == SINK_FIELD) {
                setmap_add(&m->fields, s->key, fi);
            } else if (s->sink == SINK_GLOBAL) {
                setmap_add(&m->globalsets, s->key, fi);
            } else if (s->sink == SINK_ARG) {
                char *k = xasprintf("%s\x1f%d", s->key, s->arg);
                setmap_add(&m->args, k, fi);
                free(k);
            }
        }
    }
    setmap_uniq(&m->args);
    /* Hand-offs between parameters (lua_load(reader) -> luaZ_init(reader)),
     * followed until nothing grows; chains are short, so few passes. */
    for (int changed = 1; changed;) {
        changed = 0;
        for (size_t t = 0; t < m->n; t++) {
            facts *f = m->tus[t];
            for (size_t i = 0; i < f->params.n; i++) {
                const fact_param *p = &f->params.v[i];
                if (p->sink == SINK_ARG && flowargs(m, p)) changed = 1;
            }
        }
    }
    /* Then parameters stored into fields and globals. */
    for (size_t t = 0; t < m->n; t++) {
        facts *f = m->tus[t];
        for (size_t i = 0; i < f->params.n; i++) {
            const fact_param *p = &f->params.v[i];
            if (p->sink == SINK_ARG) continue;
            char *k = xasprintf("%s\x1f%d", p->function, p->arg);
            const idvec *src = setmap_get(&m->args, k);
            free(k);
            if (!src) continue;
            setmap *dst = p->sink == SINK_FIELD ? &m->fields : &m->globalsets;
            for (size_t j = 0; j < src->n; j++) setmap_add(dst, p->key, src->v[j]);
        }
    }
    setmap_uniq(&m->fields);
    setmap_uniq(&m->globalsets);
    setmap_uniq(&m->bytype);
    setmap_uniq(&m->byret);
}

static const idvec *targets(mstate *m, const fact_call *c) {
    switch (c->via) {
    case VIA_FIELD:
        return setmap_get(&m->fields, c->key);
    case VIA_GLOBAL:
        return setmap_get(&m->globalsets, c->key);
    case VIA_TYPE:
        if (str_startswith(c->key, "ret:")) return setmap_get(&m->byret, c->key + 4);
        return setmap_get(&m->bytype, c->key);
    default:
        return NULL;
    }
}

/* ---- edges ------------------------------------------------------------- */


static void addedge(mstate *m, size_t from, size_t to, unsigned ev, const fact_call *c) {
    char key[64];
    snprintf(key, sizeof key, "%zu:%zu:%u", from, to, ev);
    int added;
    size_t i = strmap_intern(m->edgeidx, key, m->calls.n, &added);
    if (added) {
        tcall e = {0};
        e.from = from;
        e.to = to;
        e.evidence = ev;
        VEC_PUSH(m->calls, e);
    }
    tcall *e = &m->calls.v[i];
    e->sites++;
    if (c->loop_depth > e->loop_depth) e->loop_depth = c->loop_depth;
    gsite s = {S(m, c->file), c->line, c->col};
    VEC_PUSH(e->at, s);
    m->funcs.v[to].referenced = 1;
}

static int cmpsite(const void *a, const void *b) {
    const gsite *x = a, *y = b;
    int c = strcmp(x->file ? x->file : "", y->file ? y->file : "");
    if (c) return c;
    if (x->line != y->line) return x->line < y->line ? -1 : 1;
    return (x->col > y->col) - (x->col < y->col);
}

static int cmpfunc(const void *a, const void *b) {
    return strcmp(((const gfunc *)a)->id, ((const gfunc *)b)->id);
}

static int cmpglobal(const void *a, const void *b) {
    return strcmp(((const gglobal *)a)->id, ((const gglobal *)b)->id);
}

static int cmpcall(const void *a, const void *b) {
    const gcall *x = a, *y = b;
    if (x->from != y->from) return x->from < y->from ? -1 : 1;
    if (x->to != y->to) return x->to < y->to ? -1 : 1;
    return (x->evidence > y->evidence) - (x->evidence < y->evidence);
}

static int cmpaccess(const void *a, const void *b) {
    const gaccess *x = a, *y = b;
    if (x->function != y->function) return x->function < y->function ? -1 : 1;
    if (x->global != y->global) return x->global < y->global ? -1 : 1;
    return (x->mode > y->mode) - (x->mode < y->mode);
}

/* (1) one unit per record and (2) a node per function and global id:
 * definitions first, so the first TU in file order that defines a
 * function owns it; then declarations and globals.  A field item lives
 * where its variable is defined. */
static void addnodes(mstate *m) {
    for (size_t t = 0; t < m->n; t++) {
        facts *f = m->tus[t];
        gunit u = {0};
        u.file = S(m, f->file);
        u.status = f->status;
        for (size_t i = 0; i < f->errors.n; i++) strvec_push(&u.errors, f->errors.v[i]);
        for (size_t i = 0; i < f->headers.n; i++) strvec_push(&u.headers, f->headers.v[i]);
        VEC_PUSH(m->g->units, u);
        for (size_t i = 0; i < f->funcs.n; i++)
            if (f->funcs.v[i].defined) funcnode(m, &f->funcs.v[i], t);
    }
    for (size_t t = 0; t < m->n; t++) {
        facts *f = m->tus[t];
        for (size_t i = 0; i < f->funcs.n; i++)
            if (!f->funcs.v[i].defined) funcnode(m, &f->funcs.v[i], t);
        for (size_t i = 0; i < f->globals.n; i++) globalnode(m, &f->globals.v[i]);
    }
    for (size_t i = 0; i < m->globals.n; i++) {
        gglobal *g = &m->globals.v[i].g;
        size_t p;
        if (g->kind != GKIND_FIELD || !strmap_get(m->gidx, g->parent, &p)) continue;
        const gglobal *v = &m->globals.v[p].g;
        g->file = v->file;
        g->line = v->line;
        g->linkage = v->linkage;
        g->defined = v->defined;
    }
}

/* The calls of TU t, from the functions it owns: direct calls to their
 * callee, indirect ones to every function of their target set. */
static void addcalls(mstate *m, size_t t) {
    facts *f = m->tus[t];
    graph_stats *st = &m->g->stats;
    for (size_t i = 0; i < f->calls.n; i++) {
        const fact_call *c = &f->calls.v[i];
        size_t from = fromidx(m, t, c->from);
        if (m->funcs.v[from].owner != t) continue;
        if (!c->indirect) {
            size_t to = calleeidx(m, c->to, from, f->file);
            if (to != SIZE_MAX) addedge(m, from, to, EV_DIRECT, c);
            continue;
        }
        const idvec *ts = targets(m, c);
        /* an extra record's site is counted by the record of its type */
        if (!c->extra) {
            st->indirect_sites++;
            st->indirect_by_via[c->via]++;
        }
        if (!ts || ts->n == 0) continue;
        if (!c->extra) {
            st->indirect_resolved++;
            st->indirect_targets += ts->n;
        }
        /* a pointer held in a named field or global names its targets;
         * one known by its type alone may be any function of the type, and
         * so may one held in a field that half the program stores into (an
         * event's `handler`): FIELD_TARGETS_MAX */
        unsigned ev = c->via == VIA_TYPE || ts->n > FIELD_TARGETS_MAX ? EV_TYPE : EV_FIELD;
        /* through a local holding only the addresses its own function
         * assigns it (`f = c ? a : b; f()`): the body names its callees,
         * as in `c ? a() : b()`, so the calls are direct.  An extra record
         * may also carry what callers pass in: it stays field. */
        if (ev == EV_FIELD && !c->extra && facts_key_is_local(c->key)) ev = EV_DIRECT;
        for (size_t j = 0; j < ts->n; j++) addedge(m, from, ts->v[j], ev, c);
    }
}

/* The accesses of TU t, from the functions it owns, one record per
 * (function, global, mode) with its sites. */
static void addaccesses(mstate *m, size_t t) {
    facts *f = m->tus[t];
    for (size_t i = 0; i < f->accesses.n; i++) {
        const fact_access *a = &f->accesses.v[i];
        size_t fn = fromidx(m, t, a->function);
        if (m->funcs.v[fn].owner != t) continue;
        size_t gl;
        strmap_get(m->gidx, a->global, &gl);
        char key[64];
        snprintf(key, sizeof key, "%zu:%zu:%u", fn, gl, a->mode);
        int added;
        size_t k = strmap_intern(m->accidx, key, m->accs.n, &added);
        if (added) {
            tacc x = {0};
            x.function = fn;
            x.global = gl;
            x.mode = a->mode;
            VEC_PUSH(m->accs, x);
        }
        m->accs.v[k].count++;
        gsite s = {S(m, a->file), a->line, a->col};
        VEC_PUSH(m->accs.v[k].at, s);
    }
}

/* (5) the graph's arrays: defined, called or address-taken functions and
 * every global, sorted by id; calls and accesses renumbered to those
 * indexes and sorted, each with its sites sorted.  The site arrays move
 * into the graph. */
static void finish(mstate *m) {
    graph *g = m->g;
    size_t *fmap = xmallocarray(m->funcs.n, sizeof *fmap);
    for (size_t i = 0; i < m->funcs.n; i++) {
        fnode *fn = &m->funcs.v[i];
        fmap[i] = SIZE_MAX;
        if (fn->g.defined || fn->referenced || fn->g.address_taken) VEC_PUSH(g->funcs, fn->g);
    }
    sortv(g->funcs.v, g->funcs.n, sizeof *g->funcs.v, cmpfunc);
    for (size_t i = 0; i < g->funcs.n; i++) fmap[fidx(m, g->funcs.v[i].id)] = i;

    size_t *gmap = xmallocarray(m->globals.n, sizeof *gmap);
    for (size_t i = 0; i < m->globals.n; i++) VEC_PUSH(g->globals, m->globals.v[i].g);
    sortv(g->globals.v, g->globals.n, sizeof *g->globals.v, cmpglobal);
    for (size_t i = 0; i < g->globals.n; i++) {
        size_t old;
        strmap_get(m->gidx, g->globals.v[i].id, &old);
        gmap[old] = i;
    }

    for (size_t i = 0; i < m->calls.n; i++) {
        tcall *c = &m->calls.v[i];
        gcall e = {0};
        e.from = fmap[c->from];
        e.to = fmap[c->to];
        e.evidence = c->evidence;
        e.indirect = c->evidence != EV_DIRECT;
        e.sites = c->sites;
        e.loop_depth = c->loop_depth;
        e.at.v = c->at.v;
        e.at.n = c->at.n;
        e.at.cap = c->at.cap;
        sortv(e.at.v, e.at.n, sizeof *e.at.v, cmpsite);
        VEC_PUSH(g->calls, e);
    }
    sortv(g->calls.v, g->calls.n, sizeof *g->calls.v, cmpcall);
    for (size_t i = 0; i < m->accs.n; i++) {
        tacc *a = &m->accs.v[i];
        gaccess x = {0};
        x.function = fmap[a->function];
        x.global = gmap[a->global];
        x.mode = a->mode;
        x.count = a->count;
        x.at.v = a->at.v;
        x.at.n = a->at.n;
        x.at.cap = a->at.cap;
        sortv(x.at.v, x.at.n, sizeof *x.at.v, cmpsite);
        VEC_PUSH(g->accesses, x);
    }
    sortv(g->accesses.v, g->accesses.n, sizeof *g->accesses.v, cmpaccess);
    strvec_sort(&g->warnings);
    free(fmap);
    free(gmap);
}

/* Everything but the graph, whose strings and site arrays it owns now. */
static void mstate_release(mstate *m) {
    free(m->calls.v);
    free(m->accs.v);
    setmap_free(&m->fields);
    setmap_free(&m->globalsets);
    setmap_free(&m->args);
    setmap_free(&m->bytype);
    setmap_free(&m->byret);
    strmap_free(m->edgeidx);
    strmap_free(m->accidx);
    strmap_free(m->aliases);
    setmap_free(&m->defs);
    for (size_t i = 0; i < m->progs.n; i++) {
        free(m->progs.v[i].v);
        if (m->reads) free(m->reads[i].v);
    }
    free(m->progs.v);
    free(m->reads);
    for (size_t i = 0; i < m->sibs.n; i++) free(m->sibs.v[i].v);
    free(m->sibs.v);
    strmap_free(m->realidx);
    strmap_free(m->fileidx);
    strmap_free(m->unitidx);
    strmap_free(m->namestat);
    free(m->resolved.v);
    strmap_free(m->fidx);
    strmap_free(m->gidx);
    free(m->funcs.v);
    free(m->globals.v);
    free(m->tus);
}

/* The state of steps (1) and (2) over records in[0..n). */
static void mstate_init(mstate *m, facts *const *in, size_t n, const char *root) {
    m->g = graph_new(root);
    m->n = n;
    m->tus = xmallocarray(n ? n : 1, sizeof *m->tus);
    if (n) memcpy(m->tus, in, n * sizeof *m->tus);
    sortv(m->tus, n, sizeof *m->tus, cmpfacts);
    m->fidx = strmap_new();
    m->gidx = strmap_new();
    m->edgeidx = strmap_new();
    m->accidx = strmap_new();
    m->aliases = strmap_new();
    m->namestat = strmap_new();
    setmap_init(&m->defs);
    setmap_init(&m->fields);
    setmap_init(&m->globalsets);
    setmap_init(&m->args);
    setmap_init(&m->bytype);
    setmap_init(&m->byret);
    addnodes(m); /* (1), (2) */
}

void merge_wanted_builds(facts *const *in, size_t n, strvec *out, strvec *unused) {
    mstate m = {0};
    mstate_init(&m, in, n, "");
    m.wanted = out;
    programs(&m);
    strvec_sort(out);
    for (size_t t = 0; t < n; t++) {
        const char *u = in[t]->file;
        size_t k;
        if (path_unit_len(u) == strlen(u)) continue;
        if (!strmap_get(m.fileidx, u, &k) || !m.reads[k].n) strvec_push(unused, u);
    }
    strvec_sort(unused);
    graph_free(m.g);
    mstate_release(&m);
}

graph *merge_facts(facts *const *in, size_t n, const char *root) {
    mstate m = {0};
    mstate_init(&m, in, n, root);
    programs(&m);
    collectstores(&m); /* (3) */
    for (size_t t = 0; t < n; t++) { /* (4) */
        addcalls(&m, t);
        addaccesses(&m, t);
    }
    resolution_warnings(&m);
    finish(&m);        /* (5) */
    state_derive(m.g);
    graph *g = m.g;
    mstate_release(&m);
    return g;
}
