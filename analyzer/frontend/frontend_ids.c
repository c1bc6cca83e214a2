/*
 * frontend_ids.c - what the facts call files, functions, globals and
 * fields (the ids of facts.h): each computed once per unit from its
 * libclang file or declaration, then cached, keyed by CXFile or by the
 * canonical declaration (open addressing, at most half full).  A function
 * or global gets its record in the walker's facts on first sight.
 *
 * Every string is interned in the record; the caches belong to the walker
 * and frontend_extract frees them.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <string.h>
#include <stdlib.h>

#include "frontend/frontend_int.h"

/* Slots the caches start with (powers of two): a unit names hundreds of
 * declarations and tens of files. */
#define DECLCACHE_MIN 256
#define FILECACHE_MIN 64

/* Interns a CXString in the record and disposes it. */
static const char *cxstr(walker *w, CXString s) {
    const char *r = facts_str(w->f, libclang.getCString(s));
    libclang.disposeString(s);
    return r;
}

static const char *spelling(walker *w, CXCursor c) {
    return cxstr(w, libclang.getCursorSpelling(c));
}

/* First slot of a CXFile in a cache of cap slots: a CXFile is a pointer,
 * whose low bits (alignment) are the same for every file. */
static size_t fileslotof(CXFile file, size_t cap) {
    return ((size_t)file >> 4) & (cap - 1);
}

/* Path of a file as the project names it: relative to the root when inside
 * it, absolute otherwise; interned, cached per CXFile. */
const char *frontend_ids_file(walker *w, CXFile file) {
    if (!file) return NULL;
    if (w->files.n * 2 >= w->files.cap) {
        size_t ncap = w->files.cap ? w->files.cap * 2 : FILECACHE_MIN;
        fileslot *ns = xcalloc(ncap, sizeof *ns);
        for (size_t i = 0; i < w->files.cap; i++) {
            fileslot *s = &w->files.v[i];
            if (!s->used) continue;
            size_t j = fileslotof(s->file, ncap);
            while (ns[j].used) j = (j + 1) & (ncap - 1);
            ns[j] = *s;
        }
        free(w->files.v);
        w->files.v = ns;
        w->files.cap = ncap;
    }
    size_t j = fileslotof(file, w->files.cap);
    while (w->files.v[j].used) {
        if (w->files.v[j].file == file) return w->files.v[j].path;
        j = (j + 1) & (w->files.cap - 1);
    }
    CXString name = libclang.getFileName(file);
    char *joined = path_join(w->dir, libclang.getCString(name));
    libclang.disposeString(name);
    char *abs = path_normalize(joined);
    char *rel = path_relative(w->root, abs);
    if (!rel && w->rootreal != w->root) {
        char real[PATH_MAX];
        if (realpath(abs, real)) rel = path_relative(w->rootreal, real);
    }
    const char *path = w->mainrel && strcmp(rel ? rel : abs, w->mainrel) == 0
                           ? w->f->file
                           : facts_str(w->f, rel ? rel : abs);
    free(rel);
    free(abs);
    free(joined);
    w->files.v[j].used = 1;
    w->files.v[j].file = file;
    w->files.v[j].path = path;
    w->files.n++;
    return path;
}

/* Expansion position of a location: where a macro was used, not defined. */
const char *frontend_ids_position(walker *w, CXSourceLocation loc, int *line, int *col) {
    CXFile file;
    unsigned l, c;
    libclang.getExpansionLocation(loc, &file, &l, &c, NULL);
    if (line) *line = (int)l;
    if (col) *col = (int)c;
    return frontend_ids_file(w, file);
}

/* Cursor cache keyed by the canonical declaration. */
static const char *cacheget(declcache *dc, CXCursor canon, unsigned h) {
    if (!dc->cap) return NULL;
    size_t j = h & (dc->cap - 1);
    while (dc->v[j].id) {
        if (dc->v[j].hash == h && libclang.equalCursors(dc->v[j].cur, canon)) return dc->v[j].id;
        j = (j + 1) & (dc->cap - 1);
    }
    return NULL;
}

static void cacheput(declcache *dc, CXCursor canon, unsigned h, const char *id) {
    if ((dc->n + 1) * 2 > dc->cap) {
        size_t ncap = dc->cap ? dc->cap * 2 : DECLCACHE_MIN;
        declslot *ns = xcalloc(ncap, sizeof *ns);
        for (size_t i = 0; i < dc->cap; i++) {
            if (!dc->v[i].id) continue;
            size_t j = dc->v[i].hash & (ncap - 1);
            while (ns[j].id) j = (j + 1) & (ncap - 1);
            ns[j] = dc->v[i];
        }
        free(dc->v);
        dc->v = ns;
        dc->cap = ncap;
    }
    size_t j = h & (dc->cap - 1);
    while (dc->v[j].id) j = (j + 1) & (dc->cap - 1);
    dc->v[j].cur = canon;
    dc->v[j].hash = h;
    dc->v[j].id = id;
    dc->n++;
}

/* The declaration to take a name's identity from: the definition when the
 * TU has it, else the first declaration. */
static CXCursor identity(CXCursor decl) {
    CXCursor def = libclang.getCursorDefinition(decl);
    return libclang.Cursor_isNull(def) ? libclang.getCanonicalCursor(decl) : def;
}

/* The id of decl from cache dc; on first sight of its canonical
 * declaration, `make` adds the record of its identity and names it. */
static const char *cachedid(walker *w, declcache *dc, CXCursor decl,
                            const char *(*make)(walker *w, CXCursor c)) {
    CXCursor canon = libclang.getCanonicalCursor(decl);
    unsigned h = libclang.hashCursor(canon);
    const char *id = cacheget(dc, canon, h);
    if (id) return id;
    id = make(w, identity(decl));
    cacheput(dc, canon, h, id);
    return id;
}

const char *frontend_ids_type(walker *w, CXType t) {
    return cxstr(w, libclang.getTypeSpelling(libclang.getCanonicalType(t)));
}

/* ---- functions and globals --------------------------------------------- */

/* Adds the record of function c (its identity) unless one has its id. */
static const char *newfunc(walker *w, CXCursor c) {
    fact_func fn = {0};
    fn.name = spelling(w, c);
    fn.linkage = libclang.getCursorLinkage(c) == CXLinkage_Internal ? LINK_STATIC : LINK_EXTERN;
    fn.file = insystem(c) ? NULL
                          : frontend_ids_position(w, libclang.getCursorLocation(c), &fn.line, NULL);
    if (!fn.file) fn.line = 0;
    CXType t = libclang.getCursorType(c);
    fn.type = frontend_ids_type(w, t);
    fn.ret = frontend_ids_type(w, libclang.getResultType(t));
    if (fn.linkage == LINK_STATIC && fn.file) {
        char *s = xasprintf("%s:%s", fn.file, fn.name);
        fn.id = facts_str(w->f, s);
        free(s);
    } else {
        fn.id = fn.name;
    }
    int added;
    strmap_intern(w->funcidx, fn.id, w->f->funcs.n, &added);
    if (added) VEC_PUSH(w->f->funcs, fn);
    return fn.id;
}

/* Id of function declaration `decl`, adding its record on first sight. */
const char *frontend_ids_func(walker *w, CXCursor decl) {
    return cachedid(w, &w->funcs, decl, newfunc);
}

fact_func *frontend_ids_funcrec(walker *w, const char *id) {
    size_t i;
    return strmap_get(w->funcidx, id, &i) ? &w->f->funcs.v[i] : NULL;
}

/* A variable with static storage that belongs to the project: file scope,
 * `extern` in a block, or a function-local static. */
int frontend_ids_isglobal(CXCursor v) {
    if (libclang.getCursorKind(v) != CXCursor_VarDecl) return 0;
    if (insystem(v)) return 0;
    CXCursor parent = libclang.getCursorSemanticParent(v);
    enum CXCursorKind pk = libclang.getCursorKind(parent);
    if (pk == CXCursor_TranslationUnit) return 1;
    enum CX_StorageClass sc = libclang.Cursor_getStorageClass(v);
    return sc == CX_SC_Static || sc == CX_SC_Extern;
}

static void addglobal(walker *w, const fact_global *g) {
    size_t i;
    int added;
    i = strmap_intern(w->globidx, g->id, w->f->globals.n, &added);
    if (added) {
        VEC_PUSH(w->f->globals, *g);
    } else if (g->defined && !w->f->globals.v[i].defined) {
        w->f->globals.v[i] = *g;
    }
}

/* Adds (or completes) the record of global variable c, its identity. */
static const char *newvar(walker *w, CXCursor c) {
    fact_global g = {0};
    g.name = spelling(w, c);
    g.file = frontend_ids_position(w, libclang.getCursorLocation(c), &g.line, NULL);
    g.defined = libclang.isCursorDefinition(c) ? 1 : 0;
    CXCursor parent = libclang.getCursorSemanticParent(c);
    char *s;
    if (libclang.getCursorKind(parent) == CXCursor_FunctionDecl &&
        libclang.Cursor_getStorageClass(c) == CX_SC_Static) {
        g.kind = GKIND_STATIC_LOCAL;
        g.linkage = LINK_STATIC;
        g.parent = frontend_ids_func(w, parent);
        s = xasprintf("%s:%s:%s", g.file, spelling(w, parent), g.name);
    } else if (libclang.getCursorLinkage(c) == CXLinkage_Internal) {
        g.kind = GKIND_VARIABLE;
        g.linkage = LINK_STATIC;
        s = xasprintf("%s:%s", g.file, g.name);
    } else {
        g.kind = GKIND_VARIABLE;
        g.linkage = LINK_EXTERN;
        s = xstrdup(g.name);
    }
    g.id = facts_str(w->f, s);
    free(s);
    addglobal(w, &g);
    return g.id;
}

/* Id of a global variable (frontend_ids_isglobal), adding its record on
 * first sight. */
const char *frontend_ids_var(walker *w, CXCursor decl) {
    return cachedid(w, &w->vars, decl, newvar);
}

/* The item for field `field` of global struct variable `var`. */
const char *frontend_ids_field(walker *w, CXCursor var, CXCursor field) {
    const char *vid = frontend_ids_var(w, var);
    size_t vi;
    strmap_get(w->globidx, vid, &vi);
    fact_global base = w->f->globals.v[vi];
    const char *fname = spelling(w, field);
    char *s = xasprintf("%s.%s", vid, fname);
    char *n = xasprintf("%s.%s", base.name, fname);
    fact_global g = base;
    g.id = facts_str(w->f, s);
    g.name = facts_str(w->f, n);
    g.kind = GKIND_FIELD;
    g.parent = vid;
    free(s);
    free(n);
    addglobal(w, &g);
    return g.id;
}

/* Key of a struct field, the same in every TU: the field's USR. */
const char *frontend_ids_fieldkey(walker *w, CXCursor field) {
    return cxstr(w, libclang.getCursorUSR(field));
}

/* A local's USR holds its file's base name and its offset there; the
 * function's id tells apart same-named files. */
const char *frontend_ids_localkey(walker *w, CXCursor var) {
    CXString s = libclang.getCursorUSR(var);
    const char *usr = libclang.getCString(s);
    const char *key = NULL;
    if (w->func && usr && *usr) {
        char *k = xasprintf("%s%c%s", w->func, FACTS_LOCAL_KEY_SEP, usr);
        key = facts_str(w->f, k);
        free(k);
    }
    libclang.disposeString(s);
    return key;
}
