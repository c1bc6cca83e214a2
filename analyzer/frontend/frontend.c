/*
 * frontend.c - libclang front end: parses one translation unit and walks
 * its AST into a facts record (facts.h).  With libclang.c, the only file
 * that sees libclang types; it calls libclang through libclang.h's table.
 *
 * The walk is a hand-driven recursion (walk) rather than one big
 * CXChildVisit_Recurse visitor, because how a sub-expression is used
 * depends on its parent: the left side of `=` is written, the operand of
 * `&` has its address taken, a function named as a call's callee is a
 * direct call while the same name anywhere else is an address-taken
 * function flowing into whatever the enclosing assignment or initializer
 * stores it in (its "sink").  Each node passes a mode and a sink down to
 * its children.
 *
 * The children of every node come from one libclang visit per function
 * body or file-scope variable (CXChildVisit_Recurse), kept as an index tree
 * (tree): asking libclang for each node's children again, as the walk
 * descends, cost a visitor per node.
 *
 * Ids follow facts.h.  Every string written into the record is interned in
 * the record's pool; the walk's own caches are freed before extract returns.
 */
#define _GNU_SOURCE
#include "frontend/frontend.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "frontend/libclang.h"
#include "util/strmap.h"

#define MAX_UNIT_ERRORS 3
#define MACROOP_SLOTS 512

/* Access mode while walking: enum fact_mode plus read-and-write. */
enum { WM_READ = MODE_READ, WM_WRITE = MODE_WRITE, WM_ADDRESS = MODE_ADDRESS, WM_RW = 3 };

struct frontend {
    CXIndex index;
};

/* Where the value of the expression being walked is stored. */
typedef struct sink {
    unsigned kind; /* enum fact_sink */
    const char *key;
    int arg;
} sink;

static const sink NOSINK = {SINK_NONE, NULL, 0};

/* Cache from a libclang declaration cursor to its computed id. */
typedef struct declslot {
    CXCursor cur;
    const char *id; /* NULL = empty slot */
    unsigned hash;
} declslot;

typedef struct declcache {
    declslot *v;
    size_t cap, n;
} declcache;

/* Cache from CXFile to its interned project-relative path. */
typedef struct fileslot {
    CXFile file;
    const char *path; /* NULL for none */
    int used;
} fileslot;

typedef struct localsrc {
    CXCursor var;
    const char *key; /* field key or global id */
    unsigned via;    /* VIA_FIELD or VIA_GLOBAL */
    int mixed;       /* assigned from anything else too */
} localsrc;

typedef struct localcall {
    size_t call; /* index in f->calls */
    CXCursor var;
} localcall;

/* One node of the tree under a walked cursor, in visiting order; its
 * children are kid[first .. first + n). */
typedef struct tnode {
    CXCursor cur;
    unsigned first, n;
} tnode;

#define NONODE UINT_MAX

typedef struct tree {
    struct { tnode *v; size_t n, cap; } nodes;
    struct { unsigned *v; size_t n, cap; } kids;
    struct { unsigned *v; size_t n, cap; } up;    /* parent of each node, while built */
    struct { unsigned *v; size_t n, cap; } stack; /* path to the last node, while built */
} tree;

typedef struct walker {
    facts *f;
    CXTranslationUnit tu;
    const char *root;     /* absolute project root */
    const char *rootreal; /* realpath of root (may equal root) */
    const char *dir;      /* the job's working directory */
    strmap *funcidx;      /* function id -> index in f->funcs */
    strmap *globidx;      /* global id -> index in f->globals */
    declcache funcs, vars;
    struct { fileslot *v; size_t cap, n; } files;
    /* The function whose body is walked (NULL at file scope). */
    const char *func;
    CXCursor fcur;
    int loops;
    /* Its local variables that hold a copy of a function-pointer field or
     * global, and its calls through locals, patched when the body is done
     * (a copy may be assigned after the call, in a loop). */
    struct { localsrc *v; size_t n, cap; } locals;
    struct { localcall *v; size_t n, cap; } localcalls;
    tree t; /* the cursor being walked, reused from one to the next */
    CXFile mainfile;  /* the unit's own file, its text (NULL: not used) */
    const char *text;
    size_t size;
    CXSourceLocation base; /* the location of its first byte */
    /* macroop's answers by the body position of the operand: a macro used
     * many times asks the same question each time (direct-mapped) */
    struct { unsigned at; char op[8]; } macroops[MACROOP_SLOTS];
} walker;

/* ---- resource directory ------------------------------------------------ */

static char *resource_dir; /* set once, kept for the life of the process */
static char clang_version[256];
static pthread_once_t resource_once = PTHREAD_ONCE_INIT;

static int hasstddef(const char *dir) {
    char *p = xasprintf("%s/include/stddef.h", dir);
    struct stat st;
    int ok = stat(p, &st) == 0;
    free(p);
    return ok;
}

/* Finds the builtin-header directory that belongs to the libclang this
 * process loaded: beside the library first, then the distribution's
 * versioned LLVM tree, then what the build saw. */
static void findresource(void) {
    libclang_load();
    CXString v = libclang.getClangVersion();
    snprintf(clang_version, sizeof clang_version, "%s", libclang.getCString(v));
    libclang.disposeString(v);

    /* "Debian clang version 14.0.6" -> full "14.0.6", major "14" */
    char full[64] = "", major[16] = "";
    const char *d = strstr(clang_version, "version ");
    d = d ? d + 8 : clang_version;
    size_t n = strspn(d, "0123456789.");
    if (n >= sizeof full) n = sizeof full - 1;
    memcpy(full, d, n);
    full[n] = '\0';
    size_t m = strspn(full, "0123456789");
    if (m >= sizeof major) m = sizeof major - 1;
    memcpy(major, full, m);
    major[m] = '\0';

    strvec cand = {0};
    Dl_info info;
    char real[PATH_MAX];
    if (dladdr(*(void **)&libclang.getClangVersion, &info) && info.dli_fname &&
        realpath(info.dli_fname, real)) {
        char *libdir = path_dirname(real);
        strvec_push_owned(&cand, xasprintf("%s/clang/%s", libdir, full));
        strvec_push_owned(&cand, xasprintf("%s/clang/%s", libdir, major));
        free(libdir);
    }
    strvec_push_owned(&cand, xasprintf("/usr/lib/llvm-%s/lib/clang/%s", major, full));
    strvec_push_owned(&cand, xasprintf("/usr/lib/llvm-%s/lib/clang/%s", major, major));
#ifdef CLEAVE_CLANG_RESOURCE_DIR
    strvec_push(&cand, CLEAVE_CLANG_RESOURCE_DIR);
#endif
    for (size_t i = 0; i < cand.n && !resource_dir; i++)
        if (hasstddef(cand.v[i])) resource_dir = xstrdup(cand.v[i]);
    strvec_free(&cand);
}

const char *frontend_resource_dir(void) {
    pthread_once(&resource_once, findresource);
    return resource_dir;
}

const char *frontend_clang_version(void) {
    pthread_once(&resource_once, findresource);
    return clang_version;
}

char *frontend_library_id(void) {
    struct stat st;
    if (stat(libclang_path(), &st) != 0) return xasprintf("libclang %s (absent)", libclang_path());
    return xasprintf("libclang %s %lld %lld.%09ld", libclang_path(), (long long)st.st_size,
                     (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
}

frontend *frontend_new(void) {
    libclang_load();
    frontend *fe = xcalloc(1, sizeof *fe);
    fe->index = libclang.createIndex(0, 0);
    return fe;
}

void frontend_free(frontend *fe) {
    if (!fe) return;
    libclang.disposeIndex(fe->index);
    free(fe);
}

/* ---- small libclang helpers -------------------------------------------- */

/* Interns a CXString in the record and disposes it. */
static const char *cxstr(walker *w, CXString s) {
    const char *r = facts_str(w->f, libclang.getCString(s));
    libclang.disposeString(s);
    return r;
}

static const char *spelling(walker *w, CXCursor c) {
    return cxstr(w, libclang.getCursorSpelling(c));
}

/* Path of a file as the project names it: relative to the root when inside
 * it, absolute otherwise; interned, cached per CXFile. */
static const char *filepath(walker *w, CXFile file) {
    if (!file) return NULL;
    if (w->files.n * 2 >= w->files.cap) {
        size_t ncap = w->files.cap ? w->files.cap * 2 : 64;
        fileslot *ns = xcalloc(ncap, sizeof *ns);
        for (size_t i = 0; i < w->files.cap; i++) {
            fileslot *s = &w->files.v[i];
            if (!s->used) continue;
            size_t j = ((size_t)s->file >> 4) & (ncap - 1);
            while (ns[j].used) j = (j + 1) & (ncap - 1);
            ns[j] = *s;
        }
        free(w->files.v);
        w->files.v = ns;
        w->files.cap = ncap;
    }
    size_t j = ((size_t)file >> 4) & (w->files.cap - 1);
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
    const char *path = facts_str(w->f, rel ? rel : abs);
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
static const char *position(walker *w, CXSourceLocation loc, int *line, int *col) {
    CXFile file;
    unsigned l, c;
    libclang.getExpansionLocation(loc, &file, &l, &c, NULL);
    if (line) *line = (int)l;
    if (col) *col = (int)c;
    return filepath(w, file);
}

static int insystem(CXCursor c) {
    return libclang.Location_isInSystemHeader(libclang.getCursorLocation(c));
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
        size_t ncap = dc->cap ? dc->cap * 2 : 256;
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

static const char *typestr(walker *w, CXType t) {
    return cxstr(w, libclang.getTypeSpelling(libclang.getCanonicalType(t)));
}

/* ---- functions and globals --------------------------------------------- */

/* Id of function declaration `decl`, adding its record on first sight. */
static const char *funcid(walker *w, CXCursor decl) {
    CXCursor canon = libclang.getCanonicalCursor(decl);
    unsigned h = libclang.hashCursor(canon);
    const char *id = cacheget(&w->funcs, canon, h);
    if (id) return id;

    CXCursor c = identity(decl);
    fact_func fn = {0};
    fn.name = spelling(w, c);
    fn.linkage = libclang.getCursorLinkage(c) == CXLinkage_Internal ? LINK_STATIC : LINK_EXTERN;
    fn.file = insystem(c) ? NULL : position(w, libclang.getCursorLocation(c), &fn.line, NULL);
    if (!fn.file) fn.line = 0;
    CXType t = libclang.getCursorType(c);
    fn.type = typestr(w, t);
    fn.ret = typestr(w, libclang.getResultType(t));
    if (fn.linkage == LINK_STATIC && fn.file) {
        char *s = xasprintf("%s:%s", fn.file, fn.name);
        fn.id = facts_str(w->f, s);
        free(s);
    } else {
        fn.id = fn.name;
    }
    int added;
    size_t at = strmap_intern(w->funcidx, fn.id, w->f->funcs.n, &added);
    if (added) VEC_PUSH(w->f->funcs, fn);
    (void)at;
    cacheput(&w->funcs, canon, h, fn.id);
    return fn.id;
}

static fact_func *funcrec(walker *w, const char *id) {
    size_t i;
    return strmap_get(w->funcidx, id, &i) ? &w->f->funcs.v[i] : NULL;
}

/* A variable with static storage that belongs to the project: file scope,
 * `extern` in a block, or a function-local static. */
static int isglobalvar(CXCursor v) {
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

/* Id of a global variable (isglobalvar), adding its record on first sight. */
static const char *varid(walker *w, CXCursor decl) {
    CXCursor canon = libclang.getCanonicalCursor(decl);
    unsigned h = libclang.hashCursor(canon);
    const char *id = cacheget(&w->vars, canon, h);
    if (id) return id;

    CXCursor c = identity(decl);
    fact_global g = {0};
    g.name = spelling(w, c);
    g.file = position(w, libclang.getCursorLocation(c), &g.line, NULL);
    g.defined = libclang.isCursorDefinition(c) ? 1 : 0;
    CXCursor parent = libclang.getCursorSemanticParent(c);
    char *s;
    if (libclang.getCursorKind(parent) == CXCursor_FunctionDecl &&
        libclang.Cursor_getStorageClass(c) == CX_SC_Static) {
        g.kind = GKIND_STATIC_LOCAL;
        g.linkage = LINK_STATIC;
        g.parent = funcid(w, parent);
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
    cacheput(&w->vars, canon, h, g.id);
    return g.id;
}

/* The item for field `field` of global struct variable `var`. */
static const char *fieldid(walker *w, CXCursor var, CXCursor field) {
    const char *vid = varid(w, var);
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

static void addaccess(walker *w, const char *global, int mode, CXCursor at) {
    if (!w->func) return; /* file-scope initializers run at no time */
    fact_access a = {0};
    a.function = w->func;
    a.global = global;
    a.file = position(w, libclang.getCursorLocation(at), &a.line, &a.col);
    if (mode == WM_RW) {
        a.mode = MODE_READ;
        VEC_PUSH(w->f->accesses, a);
        a.mode = MODE_WRITE;
    } else {
        a.mode = (unsigned)mode;
    }
    VEC_PUSH(w->f->accesses, a);
}

/* Key of a struct field, the same in every TU: the field's USR. */
static const char *fieldkey(walker *w, CXCursor field) {
    return cxstr(w, libclang.getCursorUSR(field));
}

/* ---- expression shape -------------------------------------------------- */

/* Builds w->t from one recursive visit: nodes in visiting order, each
 * node's children in order.  The parent libclang names is found on the
 * path from the root to the last node visited. */
static enum CXChildVisitResult addnode(CXCursor c, CXCursor parent, CXClientData data) {
    tree *t = data;
    while (t->stack.n > 1 &&
           !libclang.equalCursors(t->nodes.v[t->stack.v[t->stack.n - 1]].cur, parent))
        t->stack.n--;
    unsigned i = (unsigned)t->nodes.n;
    tnode nd = {c, 0, 0};
    VEC_PUSH(t->nodes, nd);
    VEC_PUSH(t->up, t->stack.v[t->stack.n - 1]);
    VEC_PUSH(t->stack, i);
    return CXChildVisit_Recurse;
}

/* Makes w->t the tree under c; c is node 0. */
static void buildtree(walker *w, CXCursor c) {
    tree *t = &w->t;
    t->nodes.n = t->kids.n = t->up.n = t->stack.n = 0;
    tnode root = {c, 0, 0};
    VEC_PUSH(t->nodes, root);
    VEC_PUSH(t->up, NONODE);
    VEC_PUSH(t->stack, 0u);
    libclang.visitChildren(c, addnode, t);
    /* children grouped by parent, in visiting order */
    size_t n = t->nodes.n;
    for (size_t i = 1; i < n; i++) t->nodes.v[t->up.v[i]].n++;
    unsigned at = 0;
    for (size_t i = 0; i < n; i++) {
        t->nodes.v[i].first = at;
        at += t->nodes.v[i].n;
        t->nodes.v[i].n = 0;
    }
    VEC_RESERVE(t->kids, n);
    t->kids.n = n - 1;
    for (size_t i = 1; i < n; i++) {
        tnode *p = &t->nodes.v[t->up.v[i]];
        t->kids.v[p->first + p->n++] = (unsigned)i;
    }
}

static void treefree(tree *t) {
    free(t->nodes.v);
    free(t->kids.v);
    free(t->up.v);
    free(t->stack.v);
}

static CXCursor cur(const walker *w, unsigned node) {
    return w->t.nodes.v[node].cur;
}

static enum CXCursorKind kindof(const walker *w, unsigned node) {
    return libclang.getCursorKind(cur(w, node));
}

/* A node's children: p[0 .. n). */
typedef struct kids {
    const unsigned *p;
    unsigned n;
} kids;

static kids kidsof(const walker *w, unsigned node) {
    const tnode *nd = &w->t.nodes.v[node];
    kids k = {w->t.kids.v + nd->first, nd->n};
    return k;
}

/* The only child of a pass-through node, or NONODE. */
static unsigned onlychild(const walker *w, unsigned node) {
    kids k = kidsof(w, node);
    return k.n == 1 ? k.p[0] : NONODE;
}

/* Strips parentheses and implicit (unexposed) casts. */
static unsigned strip(const walker *w, unsigned node) {
    for (;;) {
        enum CXCursorKind k = kindof(w, node);
        if (k != CXCursor_ParenExpr && k != CXCursor_UnexposedExpr && k != CXCursor_CStyleCastExpr)
            return node;
        unsigned inner = onlychild(w, node);
        if (inner == NONODE) return node;
        /* a C-style cast has a TypeRef child before the expression */
        node = inner;
    }
}

static int isfuncref(CXCursor e, CXCursor *fn) {
    if (libclang.getCursorKind(e) != CXCursor_DeclRefExpr) return 0;
    CXCursor r = libclang.getCursorReferenced(e);
    if (libclang.getCursorKind(r) != CXCursor_FunctionDecl) return 0;
    if (fn) *fn = r;
    return 1;
}

/* ---- the main file's text ---------------------------------------------- */

/*
 * clang_tokenize makes a lexer on every call, and clang_getCursorExtent
 * one more to measure the last token of a range: for each operator the
 * walk looks at and each function's lines, two fifths of the walk.
 * Where both ends of a range are plain locations in the main file's own
 * text (not in a macro, not in a header), the same tokens come from
 * reading that text here, stopping where clang_tokenize stops: after the
 * first token, and then after the token that reaches the range's end.
 * This lexer decides only what it is sure of (whitespace, comments,
 * identifiers, ASCII punctuators, string and character literals for line
 * counts) and hands anything else — numbers, line splices, trigraphs,
 * digraphs, `$`, non-ASCII bytes in code — back to libclang.
 */

/*
 * Offset of loc in the main file when loc is a location of that text
 * itself, not of a macro: equal to the location made from the file's
 * start (w->base) and the offset (a file location is its file's start plus
 * the offset, as mainstart checks on each unit).  clang_getLocationForOffset
 * would say the same, but looks the file up among all the unit's source
 * entries on every call.
 */
static int mainoffset(const walker *w, CXSourceLocation loc, unsigned *off) {
    CXFile file = NULL;
    if (!w->text) return 0;
    libclang.getSpellingLocation(loc, &file, NULL, NULL, off);
    if (!file || !libclang.File_isEqual(file, w->mainfile) || *off > w->size) return 0;
    CXSourceLocation at = w->base;
    at.int_data += *off;
    return libclang.equalLocations(loc, at);
}

/* Sets up w->text and w->base for mainoffset, or leaves w->text NULL.
 * The unit's extent starts at its main file's first byte. */
static void mainstart(walker *w) {
    if (!w->mainfile) return;
    const char *text = libclang.getFileContents(w->tu, w->mainfile, &w->size);
    /* the lexers read one byte past the text: a buffer's NUL */
    if (!text || text[w->size] != '\0' || w->size > UINT_MAX / 2) return;
    CXCursor unit = libclang.getTranslationUnitCursor(w->tu);
    w->base = libclang.getRangeStart(libclang.getCursorExtent(unit));
    /* check start plus offset on the first token lexed from there */
    CXToken *toks = NULL;
    unsigned nt = 0, off = 0;
    CXFile file = NULL;
    libclang.tokenize(w->tu, libclang.getRange(w->base, w->base), &toks, &nt);
    if (nt > 0) {
        CXSourceLocation first = libclang.getTokenLocation(w->tu, toks[0]);
        libclang.getSpellingLocation(first, &file, NULL, NULL, &off);
        CXSourceLocation at = w->base;
        at.int_data += off;
        libclang.getSpellingLocation(w->base, &file, NULL, NULL, &off);
        if (file && libclang.File_isEqual(file, w->mainfile) && off == 0 &&
            libclang.equalLocations(at, first))
            w->text = text;
    }
    if (toks) libclang.disposeTokens(w->tu, toks, nt);
}

static int isspacech(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int isidentch(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Length of the punctuator at s (NUL-terminated beyond the text), or 0
 * when this lexer leaves it to libclang (digraphs, `::`, `#@`, `??`,
 * anything not an ASCII punctuator). */
static size_t punctlen(const char *s) {
    char c = s[0], d = s[1];
    switch (c) {
    case '[': case ']': case '(': case ')': case '{': case '}': case ';': case ',': case '~':
        return 1;
    case '?': return d == '?' ? 0 : 1;
    case '.': return d == '.' && s[2] == '.' ? 3 : (d >= '0' && d <= '9') ? 0 : 1;
    case '-': return d == '>' || d == '-' || d == '=' ? 2 : 1;
    case '+': return d == '+' || d == '=' ? 2 : 1;
    case '&': return d == '&' || d == '=' ? 2 : 1;
    case '|': return d == '|' || d == '=' ? 2 : 1;
    case '*': case '!': case '/': case '^': case '=': return d == '=' ? 2 : 1;
    case '%': return d == ':' || d == '>' ? 0 : d == '=' ? 2 : 1;
    case '<':
        if (d == ':' || d == '%') return 0;
        if (d == '<') return s[2] == '=' ? 3 : 2;
        return d == '=' ? 2 : 1;
    case '>':
        if (d == '>') return s[2] == '=' ? 3 : 2;
        return d == '=' ? 2 : 1;
    case ':': return d == '>' || d == ':' ? 0 : 1;
    case '#': return d == '@' ? 0 : d == '#' ? 2 : 1;
    default: return 0;
    }
}

/* End of the comment at text[p] ("/" then "*" or "/"), or 0 to leave it
 * to libclang (unterminated, or a backslash that may splice lines). */
static size_t commentend(const char *text, size_t size, size_t p) {
    if (text[p + 1] == '/') {
        size_t q = p + 2;
        while (q < size && text[q] != '\n' && text[q] != '\r') {
            if (text[q] == '\\' || (text[q] == '?' && text[q + 1] == '?')) return 0;
            q++;
        }
        return q;
    }
    for (size_t q = p + 2; q + 1 < size; q++) {
        if (text[q] == '\\' || (text[q] == '?' && text[q + 1] == '?')) return 0;
        if (text[q] == '*' && text[q + 1] == '/') return q + 2;
    }
    return 0;
}

/* The first punctuator other than a parenthesis among the tokens
 * clang_tokenize gives for main-file offsets [from, to), into buf ("" for
 * none).  Returns 0 when the text needs libclang's lexer. */
static int fastpunct(const walker *w, unsigned from, unsigned to, char *buf, size_t n) {
    const char *text = w->text;
    size_t size = w->size, p = from;
    buf[0] = '\0';
    for (;;) {
        while (p < size && isspacech(text[p])) p++;
        if (p >= size) return 1; /* end of the text: no more tokens */
        char c = text[p];
        size_t end;
        if (c == '/' && (text[p + 1] == '*' || text[p + 1] == '/')) {
            end = commentend(text, size, p);
            if (!end) return 0;
        } else if (isidentch(c) && !(c >= '0' && c <= '9')) {
            end = p + 1;
            while (end < size && isidentch(text[end])) end++;
            /* a prefixed literal, `$` in a name, a splice, non-ASCII */
            unsigned char e = end < size ? (unsigned char)text[end] : ' ';
            if (e == '\'' || e == '"' || e == '$' || e == '\\' || e >= 0x80) return 0;
        } else {
            size_t len = punctlen(text + p);
            if (!len || p + len > size) return 0;
            for (size_t i = 1; i < len; i++)
                if (text[p + i] == '\\') return 0;
            const char *next = text + p + len;
            if (next[0] == '\\' || (next[0] == '?' && next[1] == '?')) return 0;
            if (!(len == 1 && (c == '(' || c == ')'))) {
                if (len >= n) return 0;
                memcpy(buf, text + p, len);
                buf[len] = '\0';
                return 1;
            }
            end = p + len;
        }
        if (end >= to) return 1; /* the next token is past the range */
        p = end;
    }
}

/* Lines holding at least one token of main-file offsets [from, to), as
 * countloc counts them (a line ends at \n, \r or \r\n), or -1 when the
 * text needs libclang's lexer.  Tokens are not told apart here: a line
 * counts when something other than whitespace starts on it outside a
 * comment or literal that began on an earlier line. */
static int fastlines(const walker *w, unsigned from, unsigned to) {
    const char *text = w->text;
    size_t size = w->size, p = from;
    long line = 0, last = -1;
    int loc = 0;
    /* a function's extent ends with its `}`, a token of its own */
    if (from >= to || to > size || text[to - 1] != '}') return -1;
    while (p < to) {
        char c = text[p];
        if (c == '\n' || c == '\r') {
            if (c == '\r' && p + 1 < size && text[p + 1] == '\n') p++;
            line++;
            p++;
            continue;
        }
        if (isspacech(c)) {
            p++;
            continue;
        }
        if (c == '\0' || c == '\\' || (unsigned char)c >= 0x80 || (c == '?' && text[p + 1] == '?'))
            return -1;
        if (line != last) {
            loc++;
            last = line;
        }
        if (c == '/' && (text[p + 1] == '*' || text[p + 1] == '/')) {
            size_t end = commentend(text, size, p);
            if (!end) return -1;
            for (size_t q = p; q < end; q++) {
                if (text[q] == '\n' || (text[q] == '\r' && text[q + 1] != '\n')) line++;
            }
            p = end;
        } else if (c == '"' || c == '\'') {
            /* `'` right after a name or number may be a digit separator */
            if (c == '\'' && p > 0 && (isidentch(text[p - 1]) || text[p - 1] == '.')) return -1;
            size_t q = p + 1;
            for (;;) {
                if (q >= size || text[q] == '\n' || text[q] == '\r') return -1;
                if (text[q] == '?' && text[q + 1] == '?') return -1;
                if (text[q] == c) break;
                if (text[q] == '\\') {
                    size_t r = q + 1;
                    while (r < size && (text[r] == ' ' || text[r] == '\t')) r++;
                    if (r >= size || text[r] == '\n' || text[r] == '\r') return -1;
                    q += 2;
                    continue;
                }
                q++;
            }
            p = q + 1;
        } else {
            /* the rest of a name, number or punctuator run on this line */
            p++;
            while (p < to && !isspacech(text[p]) && text[p] != '/' && text[p] != '"' &&
                   text[p] != '\'' && text[p] != '\\' && text[p] != '?' && text[p] != '\0' &&
                   (unsigned char)text[p] < 0x80)
                p++;
        }
    }
    return loc;
}

/* The first punctuation token in [from, to), or "" when there is none
 * (e.g. both ends inside one macro expansion).  Copies into buf. */
static const char *punct(walker *w, CXSourceLocation from, CXSourceLocation to, char *buf,
                         size_t n) {
    unsigned a, b;
    if (mainoffset(w, from, &a) && mainoffset(w, to, &b) && fastpunct(w, a, b, buf, n)) return buf;
    CXToken *toks = NULL;
    unsigned nt = 0;
    buf[0] = '\0';
    libclang.tokenize(w->tu, libclang.getRange(from, to), &toks, &nt);
    for (unsigned i = 0; i < nt; i++) {
        if (libclang.getTokenKind(toks[i]) != CXToken_Punctuation) continue;
        CXString s = libclang.getTokenSpelling(w->tu, toks[i]);
        snprintf(buf, n, "%s", libclang.getCString(s));
        libclang.disposeString(s);
        if (strcmp(buf, "(") != 0 && strcmp(buf, ")") != 0) break;
        buf[0] = '\0';
    }
    if (toks) libclang.disposeTokens(w->tu, toks, nt);
    return buf;
}

/*
 * Where node's extent starts, without clang_getCursorExtent measuring
 * where it ends: an expression's location is its start, except that of a
 * member expression (its member's name), which implicit casts (unexposed)
 * pass up from below.
 */
static CXSourceLocation startof(const walker *w, unsigned node) {
    for (unsigned n = node;;) {
        enum CXCursorKind k = kindof(w, n);
        if (k == CXCursor_MemberRefExpr)
            return libclang.getRangeStart(libclang.getCursorExtent(cur(w, node)));
        if (k != CXCursor_UnexposedExpr || (n = onlychild(w, n)) == NONODE) break;
    }
    return libclang.getCursorLocation(cur(w, node));
}

/* A location inside a macro expansion: clang marks it with the top bit of
 * its encoding. */
#define INMACRO(loc) (((loc).int_data & 0x80000000u) != 0)

/* Where the macro holding loc is used (file and offset). */
static void usedat(CXSourceLocation loc, CXFile *file, unsigned *off) {
    *file = NULL;
    libclang.getExpansionLocation(loc, file, NULL, NULL, off);
}

/* loc is in a macro's body, not in one of its arguments: libclang's file
 * location of an argument is the argument's text, of the body the use. */
static int inbody(CXSourceLocation loc) {
    if (!INMACRO(loc)) return 0;
    CXFile at = NULL, used;
    unsigned a, u;
    libclang.getSpellingLocation(loc, &at, NULL, NULL, &a);
    usedat(loc, &used, &u);
    return at && used && libclang.File_isEqual(at, used) && a == u;
}

/*
 * The operator after an assignment's left operand spelled in a macro body
 * (`#define SET(v) g = (v)`, `#define PUT(v) tab[1] = v`).  libclang gives
 * that operand's end, and any location clang_getSpellingLocation reports
 * in the body, as the place the macro is used; only clang_tokenize at a
 * body location reads the body's own text.  So: the token at the operand's
 * start gives the body's file location, the next 256 bytes are lexed, and
 * the operand is read as a name followed by subscripts and member
 * accesses; the token after it is the operator ("" when the operand has
 * another shape).
 */
/* The file location, in the macro's definition, of the token at body
 * location loc; 0 when libclang gives none. */
static int bodyat(walker *w, CXSourceLocation loc, CXSourceLocation *at) {
    CXToken *toks = NULL;
    unsigned nt = 0;
    libclang.tokenize(w->tu, libclang.getRange(loc, loc), &toks, &nt);
    if (!nt) return 0;
    *at = libclang.getTokenLocation(w->tu, toks[0]);
    libclang.disposeTokens(w->tu, toks, nt);
    return !INMACRO(*at);
}

static void macroop(walker *w, CXSourceLocation start, char *buf, size_t n) {
    buf[0] = '\0';
    CXSourceLocation at;
    if (!bodyat(w, start, &at)) return;
    /* at.int_data + 1: 0 marks an empty slot */
    unsigned slot = (at.int_data * 2654435761u) >> 23 & (MACROOP_SLOTS - 1);
    if (w->macroops[slot].at == at.int_data + 1) {
        snprintf(buf, n, "%s", w->macroops[slot].op);
        return;
    }
    CXFile file = NULL;
    unsigned off;
    size_t size = 0;
    libclang.getSpellingLocation(at, &file, NULL, NULL, &off);
    if (!file || !libclang.getFileContents(w->tu, file, &size) || off >= size) return;
    CXSourceLocation end = at; /* a file location plus bytes, as in mainoffset */
    end.int_data += size - off < 256 ? (unsigned)(size - off) : 256u;
    CXToken *toks = NULL;
    unsigned nt = 0;
    libclang.tokenize(w->tu, libclang.getRange(at, end), &toks, &nt);
    /* a name, then [...], .name and ->name; the next token ends it */
    unsigned depth = 0, named = nt && libclang.getTokenKind(toks[0]) == CXToken_Identifier;
    int member = 0;
    for (unsigned i = 1; named && i < nt; i++) {
        CXString t = libclang.getTokenSpelling(w->tu, toks[i]);
        const char *p = libclang.getCString(t);
        enum CXTokenKind k = libclang.getTokenKind(toks[i]);
        int part = 1;
        if (depth) {
            depth += strcmp(p, "[") == 0;
            depth -= strcmp(p, "]") == 0;
        } else if (member) {
            part = k == CXToken_Identifier;
            member = 0;
        } else if (strcmp(p, "[") == 0) {
            depth = 1;
        } else if (strcmp(p, ".") == 0 || strcmp(p, "->") == 0) {
            member = 1;
        } else {
            part = 0;
        }
        if (!part && k == CXToken_Punctuation) snprintf(buf, n, "%s", p);
        libclang.disposeString(t);
        if (!part) break;
    }
    if (toks) libclang.disposeTokens(w->tu, toks, nt);
    w->macroops[slot].at = at.int_data + 1;
    snprintf(w->macroops[slot].op, sizeof w->macroops[slot].op, "%s", buf);
}

/*
 * Whether writing node e changes the facts: it is a global or a part of
 * one reached without `->` (an access), or it holds a function pointer (a
 * sink).  Lexing macro bodies for the operator costs; Lua's macros assign
 * through pointers all the time, and there it would change nothing.
 */
static int writematters(walker *w, unsigned e) {
    CXType t = libclang.getCanonicalType(libclang.getCursorType(cur(w, e)));
    if (t.kind == CXType_Pointer) {
        enum CXTypeKind to = libclang.getCanonicalType(libclang.getPointeeType(t)).kind;
        if (to == CXType_FunctionProto || to == CXType_FunctionNoProto) return 1;
    }
    for (e = strip(w, e);; e = strip(w, kidsof(w, e).p[0])) {
        enum CXCursorKind k = kindof(w, e);
        if (k == CXCursor_DeclRefExpr) return isglobalvar(libclang.getCursorReferenced(cur(w, e)));
        if ((k != CXCursor_MemberRefExpr && k != CXCursor_ArraySubscriptExpr) || !kidsof(w, e).n)
            return 0;
        if (k == CXCursor_MemberRefExpr) {
            CXCursor base = cur(w, kidsof(w, e).p[0]);
            if (libclang.getCanonicalType(libclang.getCursorType(base)).kind == CXType_Pointer)
                return 0;
        }
    }
}

/*
 * Both operands come from one use of a macro, and at least one is in its
 * body: the operator is in the body, where punct cannot read it.
 */
static int samemacro(CXSourceLocation a, CXSourceLocation b) {
    if (!INMACRO(a) || !INMACRO(b)) return 0;
    CXFile af, bf;
    unsigned ao, bo;
    usedat(a, &af, &ao);
    usedat(b, &bf, &bo);
    return af && bf && libclang.File_isEqual(af, bf) && ao == bo && (inbody(a) || inbody(b));
}

/*
 * The operator just before body location r, read backwards in the macro's
 * text over blanks and line splices (`#define ZERO(v) v = 0`: the left
 * operand is the macro's argument, whose place in the body libclang does
 * not give).  Rare enough (a write that matters, an argument on the left)
 * to look the macro's file up each time.
 */
static void opbefore(walker *w, CXSourceLocation r, char *buf, size_t n) {
    buf[0] = '\0';
    CXSourceLocation at;
    if (!bodyat(w, r, &at)) return;
    CXFile file = NULL;
    unsigned off;
    size_t size = 0;
    libclang.getSpellingLocation(at, &file, NULL, NULL, &off);
    const char *text = file ? libclang.getFileContents(w->tu, file, &size) : NULL;
    if (!text || off > size) return;
    size_t p = off, q;
    for (;;) {
        if (p > 0 && (text[p - 1] == ' ' || text[p - 1] == '\t')) p--;
        else if (p > 1 && text[p - 1] == '\n' && text[p - 2] == '\\') p -= 2;
        else if (p > 2 && text[p - 1] == '\n' && text[p - 2] == '\r' && text[p - 3] == '\\') p -= 3;
        else break;
    }
    for (q = p; q > 0 && p - q + 1 < n && text[q - 1] && strchr("=!<>+-*/%&|^", text[q - 1]); q--)
        ;
    memcpy(buf, text + q, p - q);
    buf[p - q] = '\0';
}

static int isassign(walker *w, unsigned lhs, unsigned rhs) {
    char op[8];
    CXSourceRange left = libclang.getCursorExtent(cur(w, lhs));
    CXSourceLocation ls = libclang.getRangeStart(left), r = startof(w, rhs);
    if (INMACRO(ls) && INMACRO(r) && writematters(w, lhs) && samemacro(ls, r)) {
        /* an operator in the body: after the left operand when that is in
         * the body too, else before the right one */
        if (inbody(ls)) macroop(w, ls, op, sizeof op);
        else opbefore(w, r, op, sizeof op);
    } else {
        punct(w, libclang.getRangeEnd(left), r, op, sizeof op);
    }
    return strcmp(op, "=") == 0;
}

/* Operator of a unary expression: the prefix token, else the postfix one. */
static const char *unaryop(walker *w, unsigned c, unsigned operand, char *buf, size_t n) {
    punct(w, startof(w, c), startof(w, operand), buf, n);
    if (buf[0]) return buf;
    CXSourceRange oe = libclang.getCursorExtent(cur(w, operand));
    CXSourceRange ce = libclang.getCursorExtent(cur(w, c));
    CXSourceLocation os = libclang.getRangeStart(oe);
    /* `g++` spelled in a macro's body: both ends are reported at the use */
    if (INMACRO(os) && writematters(w, operand) && inbody(os) &&
        libclang.equalLocations(libclang.getRangeEnd(oe), libclang.getRangeEnd(ce)))
        macroop(w, os, buf, n);
    else
        punct(w, libclang.getRangeEnd(oe), libclang.getRangeEnd(ce), buf, n);
    return buf;
}

static int isarraytype(CXType t) {
    t = libclang.getCanonicalType(t);
    return t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray ||
           t.kind == CXType_VariableArray || t.kind == CXType_DependentSizedArray;
}

/* Where a value assigned to node `lhs` lands, for function-address tracking. */
static sink sinkof(walker *w, unsigned lhs) {
    sink s = NOSINK;
    unsigned e = strip(w, lhs);
    enum CXCursorKind k = kindof(w, e);
    if (k == CXCursor_ArraySubscriptExpr) {
        kids ks = kidsof(w, e);
        if (ks.n >= 1) e = strip(w, ks.p[0]);
        k = kindof(w, e);
    }
    if (k == CXCursor_MemberRefExpr) {
        CXCursor field = libclang.getCursorReferenced(cur(w, e));
        if (libclang.getCursorKind(field) == CXCursor_FieldDecl) {
            s.kind = SINK_FIELD;
            s.key = fieldkey(w, field);
        }
    } else if (k == CXCursor_DeclRefExpr) {
        CXCursor v = libclang.getCursorReferenced(cur(w, e));
        if (isglobalvar(v)) {
            s.kind = SINK_GLOBAL;
            s.key = varid(w, v);
        }
    }
    return s;
}

static int islocalvar(CXCursor v) {
    return libclang.getCursorKind(v) == CXCursor_VarDecl && !isglobalvar(v) &&
           libclang.getCursorKind(libclang.getCursorSemanticParent(v)) == CXCursor_FunctionDecl;
}

/* Local `var` is assigned node `value`: remember where its pointer comes from. */
static void localassign(walker *w, CXCursor var, unsigned value) {
    sink from = sinkof(w, value);
    localsrc *l = NULL;
    for (size_t i = 0; i < w->locals.n; i++)
        if (libclang.equalCursors(w->locals.v[i].var, var)) l = &w->locals.v[i];
    if (!l) {
        localsrc n = {var, from.key, from.kind == SINK_FIELD ? VIA_FIELD : VIA_GLOBAL,
                      from.kind == SINK_NONE};
        VEC_PUSH(w->locals, n);
        return;
    }
    if (from.kind == SINK_NONE || !l->key || strcmp(l->key, from.key) != 0) l->mixed = 1;
}

/* Index of parameter `parm` in the function being walked, or -1. */
static int paramindex(walker *w, CXCursor parm) {
    int n = libclang.Cursor_getNumArguments(w->fcur);
    for (int i = 0; i < n; i++)
        if (libclang.equalCursors(libclang.Cursor_getArgument(w->fcur, (unsigned)i), parm))
            return i;
    return -1;
}

static void addstore(walker *w, const char *fid, sink s, CXCursor at) {
    fact_store st = {0};
    st.function = fid;
    st.sink = s.kind;
    st.key = s.key;
    st.arg = s.arg;
    st.file = position(w, libclang.getCursorLocation(at), &st.line, NULL);
    VEC_PUSH(w->f->stores, st);
}

/* ---- the walk ---------------------------------------------------------- */

static void walk(walker *w, unsigned node, int mode, sink s);

static void walkkids(walker *w, unsigned node, int mode, sink s) {
    kids k = kidsof(w, node);
    for (unsigned i = 0; i < k.n; i++) {
        /* A field designator (.fn = x) names the sink of what follows. */
        if (kindof(w, k.p[i]) == CXCursor_MemberRef) {
            CXCursor field = libclang.getCursorReferenced(cur(w, k.p[i]));
            if (libclang.getCursorKind(field) == CXCursor_FieldDecl) {
                s.kind = SINK_FIELD;
                s.key = fieldkey(w, field);
            }
            continue;
        }
        walk(w, k.p[i], mode, s);
    }
}

typedef struct fieldlist {
    CXCursor v[64];
    unsigned n;
} fieldlist;

static enum CXVisitorResult onfield(CXCursor c, CXClientData data) {
    fieldlist *fl = data;
    if (fl->n < sizeof fl->v / sizeof fl->v[0]) fl->v[fl->n++] = c;
    return CXVisit_Continue;
}

/* Initializer list: positional elements of a struct initializer flow into
 * the fields in order; a designator moves the position. */
static void walkinit(walker *w, unsigned node, sink s) {
    CXType t = libclang.getCanonicalType(libclang.getCursorType(cur(w, node)));
    if (t.kind != CXType_Record) {
        walkkids(w, node, WM_READ, s);
        return;
    }
    fieldlist fl;
    fl.n = 0;
    libclang.Type_visitFields(t, onfield, &fl);
    kids k = kidsof(w, node);
    unsigned pos = 0;
    for (unsigned i = 0; i < k.n; i++) {
        unsigned e = k.p[i];
        /* A designated element is an unexposed node whose children start
         * with the field designator(s). */
        kids d = kidsof(w, e);
        int designated = 0;
        for (unsigned j = 0; j < d.n; j++) {
            if (kindof(w, d.p[j]) != CXCursor_MemberRef) continue;
            CXCursor field = libclang.getCursorReferenced(cur(w, d.p[j]));
            for (unsigned q = 0; q < fl.n; q++)
                if (libclang.equalCursors(fl.v[q], field)) pos = q;
            designated = 1;
            break;
        }
        if (designated) {
            walk(w, e, WM_READ, NOSINK); /* walkkids picks up the designator */
        } else {
            sink fs = NOSINK;
            if (pos < fl.n) {
                fs.kind = SINK_FIELD;
                fs.key = fieldkey(w, fl.v[pos]);
            }
            walk(w, e, WM_READ, fs);
        }
        pos++;
    }
}

static void walkcall(walker *w, unsigned node) {
    kids k = kidsof(w, node);
    if (k.n == 0) return;
    CXCursor c = cur(w, node);
    fact_call call = {0};
    call.from = w->func;
    call.file = position(w, libclang.getCursorLocation(c), &call.line, &call.col);
    call.loop_depth = w->loops;

    unsigned callee = strip(w, k.p[0]);
    CXCursor fn;
    enum CXCursorKind ck = kindof(w, callee);
    /* (*fp)(x) calls what fp points to */
    if (ck == CXCursor_UnaryOperator) {
        char op[8];
        unsigned inner = onlychild(w, callee);
        if (inner != NONODE &&
            strcmp(unaryop(w, callee, inner, op, sizeof op), "*") == 0) {
            callee = strip(w, inner);
            ck = kindof(w, callee);
        }
    }
    const char *direct = NULL;
    if (isfuncref(cur(w, callee), &fn)) {
        direct = funcid(w, fn);
        call.to = direct;
    } else {
        call.indirect = 1;
        call.via = VIA_UNKNOWN;
        unsigned base = callee;
        if (ck == CXCursor_ArraySubscriptExpr) {
            kids a = kidsof(w, callee);
            if (a.n >= 1) base = strip(w, a.p[0]);
        }
        enum CXCursorKind bk = kindof(w, base);
        CXCursor ref = libclang.getCursorReferenced(cur(w, base));
        if (bk == CXCursor_MemberRefExpr && libclang.getCursorKind(ref) == CXCursor_FieldDecl) {
            call.via = VIA_FIELD;
            call.key = fieldkey(w, ref);
        } else if (bk == CXCursor_DeclRefExpr && isglobalvar(ref)) {
            call.via = VIA_GLOBAL;
            call.key = varid(w, ref);
        } else if (bk == CXCursor_DeclRefExpr && ck == CXCursor_DeclRefExpr &&
                   (libclang.getCursorKind(ref) == CXCursor_VarDecl ||
                    libclang.getCursorKind(ref) == CXCursor_ParmDecl)) {
            if (w->func && islocalvar(ref)) {
                localcall lc = {w->f->calls.n, ref};
                VEC_PUSH(w->localcalls, lc);
            }
            CXType t = libclang.getCanonicalType(libclang.getCursorType(cur(w, callee)));
            if (t.kind == CXType_Pointer) t = libclang.getCanonicalType(libclang.getPointeeType(t));
            if (t.kind == CXType_FunctionNoProto) {
                char *key = xasprintf("ret:%s", typestr(w, libclang.getResultType(t)));
                call.key = facts_str(w->f, key);
                free(key);
                call.via = VIA_TYPE;
            } else if (t.kind == CXType_FunctionProto) {
                call.key = typestr(w, t);
                call.via = VIA_TYPE;
            }
        }
        walk(w, k.p[0], WM_READ, NOSINK);
    }
    if (w->func) VEC_PUSH(w->f->calls, call);
    for (unsigned i = 1; i < k.n; i++) {
        sink as = NOSINK;
        if (direct) {
            as.kind = SINK_ARG;
            as.key = direct;
            as.arg = (int)i - 1;
        }
        walk(w, k.p[i], WM_READ, as);
    }
}

static void walkmember(walker *w, unsigned node, int mode) {
    kids k = kidsof(w, node);
    if (k.n == 0) return;
    CXCursor c = cur(w, node);
    unsigned base = k.p[0];
    CXType bt = libclang.getCanonicalType(libclang.getCursorType(cur(w, base)));
    int arrow = bt.kind == CXType_Pointer;
    unsigned sb = strip(w, base);
    CXCursor field = libclang.getCursorReferenced(c);
    if (!arrow && kindof(w, sb) == CXCursor_DeclRefExpr &&
        libclang.getCursorKind(field) == CXCursor_FieldDecl) {
        CXCursor v = libclang.getCursorReferenced(cur(w, sb));
        if (isglobalvar(v)) {
            addaccess(w, fieldid(w, v, field), mode, c);
            return;
        }
    }
    /* a.b.c = x writes a.b; p->x = y only reads p */
    walk(w, base, arrow ? WM_READ : mode, NOSINK);
}

static void walkvar(walker *w, unsigned node) {
    CXCursor c = cur(w, node);
    sink s = NOSINK;
    if (isglobalvar(c)) {
        const char *id = varid(w, c);
        s.kind = SINK_GLOBAL;
        s.key = id;
        /* `int x;` at file scope is a tentative definition, which libclang
         * does not report as the definition: the TU still defines x. */
        CXCursor parent = libclang.getCursorSemanticParent(c);
        if (libclang.getCursorKind(parent) == CXCursor_TranslationUnit &&
            libclang.Cursor_getStorageClass(c) != CX_SC_Extern) {
            size_t i;
            strmap_get(w->globidx, id, &i);
            fact_global *g = &w->f->globals.v[i];
            if (!g->defined) {
                g->defined = 1;
                g->file = position(w, libclang.getCursorLocation(c), &g->line, NULL);
            }
        }
    }
    kids k = kidsof(w, node);
    for (unsigned i = 0; i < k.n; i++) {
        if (!libclang.isExpression(kindof(w, k.p[i]))) continue;
        if (w->func && s.kind == SINK_NONE && islocalvar(c)) localassign(w, c, k.p[i]);
        walk(w, k.p[i], WM_READ, s);
    }
}

static void walk(walker *w, unsigned node, int mode, sink s) {
    CXCursor c = cur(w, node);
    enum CXCursorKind kind = libclang.getCursorKind(c);
    switch (kind) {
    case CXCursor_DeclRefExpr: {
        CXCursor r = libclang.getCursorReferenced(c);
        enum CXCursorKind rk = libclang.getCursorKind(r);
        if (rk == CXCursor_FunctionDecl) {
            const char *id = funcid(w, r);
            addstore(w, id, s, c);
        } else if (rk == CXCursor_VarDecl && isglobalvar(r)) {
            addaccess(w, varid(w, r), mode, c);
        } else if (rk == CXCursor_ParmDecl && w->func && s.kind != SINK_NONE) {
            int i = paramindex(w, r);
            if (i >= 0) {
                fact_param p = {w->func, s.key, i, s.kind == SINK_ARG ? s.arg : 0, s.kind};
                VEC_PUSH(w->f->params, p);
            }
        }
        return;
    }
    case CXCursor_MemberRefExpr:
        walkmember(w, node, mode);
        return;
    case CXCursor_CallExpr:
        walkcall(w, node);
        return;
    case CXCursor_BinaryOperator: {
        kids k = kidsof(w, node);
        if (k.n == 2 && isassign(w, k.p[0], k.p[1])) {
            unsigned lhs = strip(w, k.p[0]);
            if (w->func && kindof(w, lhs) == CXCursor_DeclRefExpr) {
                CXCursor v = libclang.getCursorReferenced(cur(w, lhs));
                if (islocalvar(v)) localassign(w, v, k.p[1]);
            }
            walk(w, k.p[0], WM_WRITE, NOSINK);
            walk(w, k.p[1], WM_READ, sinkof(w, k.p[0]));
        } else {
            for (unsigned i = 0; i < k.n; i++) walk(w, k.p[i], WM_READ, NOSINK);
        }
        return;
    }
    case CXCursor_CompoundAssignOperator: {
        kids k = kidsof(w, node);
        for (unsigned i = 0; i < k.n; i++) walk(w, k.p[i], i == 0 ? WM_RW : WM_READ, NOSINK);
        return;
    }
    case CXCursor_UnaryOperator: {
        unsigned e = onlychild(w, node);
        if (e == NONODE) return;
        char op[8];
        unaryop(w, node, e, op, sizeof op);
        if (strcmp(op, "&") == 0)
            walk(w, e, WM_ADDRESS, s);
        else if (strcmp(op, "++") == 0 || strcmp(op, "--") == 0)
            walk(w, e, WM_RW, NOSINK);
        else if (strcmp(op, "*") == 0)
            walk(w, e, WM_READ, s);
        else
            walk(w, e, WM_READ, NOSINK);
        return;
    }
    case CXCursor_UnexposedExpr: {
        /* Implicit casts pass through; an array decaying to a pointer
         * hands out the array's address. */
        unsigned e = onlychild(w, node);
        if (e != NONODE && libclang.isExpression(kindof(w, e)) &&
            isarraytype(libclang.getCursorType(cur(w, e))) &&
            libclang.getCanonicalType(libclang.getCursorType(c)).kind == CXType_Pointer) {
            walk(w, e, WM_ADDRESS, s);
            return;
        }
        walkkids(w, node, mode, s);
        return;
    }
    case CXCursor_ParenExpr:
    case CXCursor_CStyleCastExpr:
        walkkids(w, node, mode, s);
        return;
    case CXCursor_ArraySubscriptExpr: {
        kids k = kidsof(w, node);
        for (unsigned i = 0; i < k.n; i++) {
            int base = i == 0;
            /* a[i] of an array reads or writes the array itself (not the
             * pointer it decays to); of a pointer, it only reads the pointer */
            if (base && isarraytype(libclang.getCursorType(cur(w, strip(w, k.p[0]))))) {
                walk(w, strip(w, k.p[0]), mode, s);
                continue;
            }
            walk(w, k.p[i], WM_READ, base ? s : NOSINK);
        }
        return;
    }
    case CXCursor_ConditionalOperator: {
        kids k = kidsof(w, node);
        for (unsigned i = 0; i < k.n; i++)
            walk(w, k.p[i], i == 0 ? WM_READ : mode, i == 0 ? NOSINK : s);
        return;
    }
    case CXCursor_InitListExpr:
        walkinit(w, node, s);
        return;
    case CXCursor_UnaryExpr: /* sizeof, _Alignof: operand not evaluated */
        return;
    case CXCursor_ForStmt:
    case CXCursor_WhileStmt:
    case CXCursor_DoStmt:
        w->loops++;
        walkkids(w, node, WM_READ, NOSINK);
        w->loops--;
        return;
    case CXCursor_VarDecl:
        walkvar(w, node);
        return;
    case CXCursor_FunctionDecl: /* a block-scope prototype */
    case CXCursor_TypeRef:
    case CXCursor_StructDecl:
    case CXCursor_UnionDecl:
    case CXCursor_EnumDecl:
    case CXCursor_TypedefDecl:
        return;
    default:
        if (libclang.isExpression(kind) || libclang.isStatement(kind))
            walkkids(w, node, WM_READ, libclang.isExpression(kind) ? s : NOSINK);
        return;
    }
}

/*
 * Lines of a function (its extent) that hold at least one token.  A
 * definition may start with a macro (Lua's `l_sinline int f(...)`): its
 * extent then starts inside the macro's expansion, and the lines are
 * counted from where the macro is used.
 */
static int countloc(walker *w, CXSourceRange ext) {
    unsigned a, b;
    int loc;
    CXSourceLocation start = libclang.getRangeStart(ext), end = libclang.getRangeEnd(ext);
    /* a file location is its inclusion's start plus the offset (as
     * mainoffset relies on), so the macro's use is the closing `}` less
     * the distance between them */
    if (INMACRO(start) && !INMACRO(end)) {
        CXFile used = NULL, last = NULL;
        libclang.getExpansionLocation(start, &used, NULL, NULL, &a);
        libclang.getSpellingLocation(end, &last, NULL, NULL, &b);
        if (used && last && libclang.File_isEqual(used, last) && a <= b) {
            start = end;
            start.int_data -= b - a;
            ext = libclang.getRange(start, end);
        }
    }
    if (mainoffset(w, start, &a) && mainoffset(w, end, &b) && (loc = fastlines(w, a, b)) >= 0)
        return loc;
    loc = 0;
    CXToken *toks = NULL;
    unsigned nt = 0, last = 0;
    libclang.tokenize(w->tu, ext, &toks, &nt);
    for (unsigned i = 0; i < nt; i++) {
        unsigned line;
        CXSourceLocation at = libclang.getTokenLocation(w->tu, toks[i]);
        libclang.getSpellingLocation(at, NULL, &line, NULL, NULL);
        if (line != last) {
            loc++;
            last = line;
        }
    }
    if (toks) libclang.disposeTokens(w->tu, toks, nt);
    return loc;
}

static void walkfunction(walker *w, CXCursor c) {
    const char *id = funcid(w, c);
    fact_func *fn = funcrec(w, id);
    if (fn->defined) return; /* a second definition (invalid code) */
    CXSourceRange ext = libclang.getCursorExtent(c);
    int end;
    fn->defined = 1;
    position(w, libclang.getCursorLocation(c), &fn->line, NULL);
    position(w, libclang.getRangeEnd(ext), &end, NULL);
    fn->end_line = end;
    fn->loc = countloc(w, ext);
    w->func = id;
    w->fcur = c;
    w->loops = 0;
    w->locals.n = 0;
    w->localcalls.n = 0;
    buildtree(w, c);
    kids k = kidsof(w, 0);
    for (unsigned i = 0; i < k.n; i++)
        if (kindof(w, k.p[i]) == CXCursor_CompoundStmt) walk(w, k.p[i], WM_READ, NOSINK);
    /* A call through a local that only ever holds one field's or one
     * global's pointer calls what that field or global holds. */
    for (size_t i = 0; i < w->localcalls.n; i++) {
        const localcall *lc = &w->localcalls.v[i];
        for (size_t j = 0; j < w->locals.n; j++) {
            const localsrc *l = &w->locals.v[j];
            if (l->mixed || !libclang.equalCursors(l->var, lc->var)) continue;
            w->f->calls.v[lc->call].via = l->via;
            w->f->calls.v[lc->call].key = l->key;
        }
    }
    w->func = NULL;
}

static enum CXChildVisitResult toplevel(CXCursor c, CXCursor parent, CXClientData data) {
    (void)parent;
    walker *w = data;
    enum CXCursorKind k = libclang.getCursorKind(c);
    if (insystem(c)) return CXChildVisit_Continue;
    if (k == CXCursor_FunctionDecl && libclang.isCursorDefinition(c))
        walkfunction(w, c);
    else if (k == CXCursor_VarDecl) {
        buildtree(w, c);
        walkvar(w, 0);
    }
    return CXChildVisit_Continue;
}

/* ---- diagnostics and the entry point ----------------------------------- */

static void diagnostics(walker *w) {
    unsigned n = libclang.getNumDiagnostics(w->tu);
    for (unsigned i = 0; i < n; i++) {
        CXDiagnostic d = libclang.getDiagnostic(w->tu, i);
        enum CXDiagnosticSeverity sev = libclang.getDiagnosticSeverity(d);
        if (sev >= CXDiagnostic_Error) {
            w->f->status = UNIT_PARTIAL;
            if (w->f->errors.n < MAX_UNIT_ERRORS) {
                int line, col;
                const char *file = position(w, libclang.getDiagnosticLocation(d), &line, &col);
                CXString msg = libclang.getDiagnosticSpelling(d);
                if (file)
                    strvec_push_owned(&w->f->errors, xasprintf("%s:%d:%d: %s", file, line, col,
                                                               libclang.getCString(msg)));
                else
                    strvec_push_owned(&w->f->errors, xasprintf("%s", libclang.getCString(msg)));
                libclang.disposeString(msg);
            }
        }
        libclang.disposeDiagnostic(d);
    }
}

/* Records each file the TU included (depth > 0: not the main file), so a
 * cache can tell when a header changed; sorted and unique afterwards. */
static void oninclusion(CXFile file, CXSourceLocation *stack, unsigned depth, CXClientData data) {
    (void)stack;
    walker *w = data;
    if (depth == 0) w->mainfile = file;
    const char *path = depth > 0 ? filepath(w, file) : NULL;
    if (path) strvec_push(&w->f->includes, path);
}

static void includes(walker *w) {
    libclang.getInclusions(w->tu, oninclusion, w);
    strvec *inc = &w->f->includes;
    strvec_sort(inc);
    size_t o = 0;
    for (size_t i = 0; i < inc->n; i++) {
        if (o > 0 && strcmp(inc->v[i], inc->v[o - 1]) == 0)
            free(inc->v[i]);
        else
            inc->v[o++] = inc->v[i];
    }
    inc->n = o;
}

/* Options whose value is a path, taking it joined ("-Idir") or as the next
 * argument ("-I dir"). */
static const char *const PATHOPTS[] = {"-I", "-isystem", "-iquote", "-idirafter", "-include",
                                       "-imacros", "-isysroot", "--sysroot", "-iprefix", "-F",
                                       NULL};

static void pushabs(strvec *out, const char *opt, const char *val, const char *dir, int sep) {
    char *abs = NULL;
    if (val[0] != '/') {
        char *j = path_join(dir, val);
        abs = path_normalize(j);
        free(j);
        /* -include x.h is also searched along the include path: keep the
         * name when the working directory does not have it */
        struct stat st;
        if ((strcmp(opt, "-include") == 0 || strcmp(opt, "-imacros") == 0) && stat(abs, &st) != 0) {
            free(abs);
            abs = NULL;
        }
    }
    const char *v = abs ? abs : val;
    if (sep) {
        strvec_push(out, opt);
        strvec_push(out, v);
    } else {
        strvec_push_owned(out, xasprintf("%s%s%s", opt, str_endswith(opt, "sysroot") ? "=" : "", v));
    }
    free(abs);
}

/*
 * Copies args, making relative include paths absolute against the
 * compile's directory.  libclang's own -working-directory would do this but
 * chdir()s the whole process on every parse, which breaks relative output
 * paths and races between worker threads.
 */
static void absargs(const strvec *args, const char *dir, strvec *out) {
    for (size_t i = 0; i < args->n; i++) {
        const char *a = args->v[i];
        int done = 0;
        for (const char *const *o = PATHOPTS; *o && !done; o++) {
            size_t ol = strlen(*o);
            if (strcmp(a, *o) == 0 && i + 1 < args->n) {
                pushabs(out, *o, args->v[++i], dir, 1);
                done = 1;
            } else if (strncmp(a, *o, ol) == 0 && a[ol] != '\0') {
                const char *v = a + ol;
                if (str_endswith(*o, "sysroot")) {
                    if (*v != '=') continue;
                    v++;
                } else if ((*o)[1] != 'I' && (*o)[1] != 'F') {
                    /* -isystem etc. take a joined value only when it looks
                     * like a path (not -include-pch) */
                    if (*v != '/' && *v != '.') continue;
                }
                pushabs(out, *o, v, dir, 0);
                done = 1;
            }
        }
        if (!done) strvec_push(out, a);
    }
}

facts *frontend_extract(frontend *fe, const project_job *job, const char *root,
                        const strvec *extra_args) {
    char *relmain = path_relative(root, job->file);
    facts *f = facts_new(relmain ? relmain : job->file);
    free(relmain);

    struct stat st;
    if (stat(job->file, &st) != 0) {
        f->status = UNIT_FAILED;
        strvec_push_owned(&f->errors, xasprintf("%s: no such file", f->file));
        return f;
    }
    strvec args = {0};
    absargs(&job->args, job->directory, &args);
    if (extra_args) absargs(extra_args, job->directory, &args);
    const char *rd = frontend_resource_dir();
    if (rd) {
        strvec_push(&args, "-resource-dir");
        strvec_push(&args, rd);
    }
    strvec_push(&args, "-w"); /* warnings are not ours to report; errors still are */

    CXTranslationUnit tu = NULL;
    enum CXErrorCode rc = libclang.parseTranslationUnit2(
        fe->index, job->file, (const char *const *)args.v, (int)args.n, NULL, 0,
        CXTranslationUnit_KeepGoing | CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles, &tu);
    strvec_free(&args);
    if (rc != CXError_Success || !tu) {
        f->status = UNIT_FAILED;
        strvec_push_owned(&f->errors,
                          xasprintf("%s: %s", f->file,
                                    rc == CXError_Crashed ? "libclang crashed on this unit"
                                    : rc == CXError_InvalidArguments
                                        ? "libclang rejected the arguments of this unit"
                                        : "libclang could not parse this unit"));
        if (tu) libclang.disposeTranslationUnit(tu);
        return f;
    }

    walker w = {0};
    w.f = f;
    w.tu = tu;
    w.root = root;
    w.dir = job->directory;
    char real[PATH_MAX];
    char *rootreal = realpath(root, real) && strcmp(real, root) != 0 ? xstrdup(real) : NULL;
    w.rootreal = rootreal ? rootreal : root;
    w.funcidx = strmap_new();
    w.globidx = strmap_new();

    diagnostics(&w);
    includes(&w);
    mainstart(&w);
    libclang.visitChildren(libclang.getTranslationUnitCursor(tu), toplevel, &w);

    strmap_free(w.funcidx);
    strmap_free(w.globidx);
    free(w.funcs.v);
    free(w.vars.v);
    free(w.files.v);
    free(w.locals.v);
    free(w.localcalls.v);
    treefree(&w.t);
    free(rootreal);
    libclang.disposeTranslationUnit(tu);
    return f;
}
