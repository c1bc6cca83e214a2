/*
 * frontend_int.h - the front end's internals, shared by its files and by
 * no one else: only frontend*.c include it (the rest of cleave sees
 * frontend.h).  The walker that carries one unit's extraction, the index
 * tree of the cursor being walked, and what the pieces call of each other:
 *
 *   frontend.c       the entry point: arguments, parse, diagnostics, includes
 *   frontend_walk.c  the AST walk: calls, accesses, stores, parameters
 *   frontend_ids.c   ids of files, functions, globals and fields (facts.h)
 *   frontend_op.c    the operator of an assignment or unary expression
 *   frontend_text.c  the main file's text, lexed where libclang need not be
 *
 * A walker lives on frontend_extract's stack for one unit, zeroed at the
 * start; its caches and tree are freed there.  Every string it hands out
 * is interned in the record w->f.  Nothing here fails but by running out
 * of memory, which exits (util/common.h).  The tree accessors are static
 * inline: the walk calls them for every node.
 */
#ifndef CLEAVE_FRONTEND_INT_H
#define CLEAVE_FRONTEND_INT_H

#include <limits.h>

#include "frontend/facts.h"
#include "frontend/libclang_api.h"
#include "util/strmap.h"

/* Operators read from macro bodies, cached by the body position of the
 * operand (frontend_op.c): 2^MACROOP_BITS direct-mapped slots. */
#define MACROOP_BITS 9
#define MACROOP_SLOTS (1u << MACROOP_BITS)

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

/* What a local variable or parameter of the function being walked is
 * assigned, for the calls through it (frontend_walk.c, localassign). */
typedef struct localsrc {
    CXCursor var;
    const char *key; /* the one field key or global id it is copied from */
    unsigned via;    /* VIA_FIELD or VIA_GLOBAL */
    int mixed;       /* copied from more than one field or global */
    int funcs;       /* assigned function addresses, stored under its own key */
    int other;       /* assigned anything else: a parameter's value, a call's
                        result, another local; or its address is taken */
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

/* The walk's own stack of frames (frontend_walk.c). */
typedef struct walkstack walkstack;

typedef struct walker {
    facts *f;
    CXTranslationUnit tu;
    const char *root;     /* absolute project root */
    const char *rootreal; /* realpath of root (may equal root) */
    const char *dir;      /* the job's working directory */
    const strvec *readable; /* folders the unit may read (project.h); NULL: any */
    const char *mainrel;  /* a second build (project_job.build): its file as the
                             project names it, which ids name as the unit (f->file) */
    char *outside;          /* the first file it read elsewhere (owned), or NULL */
    strmap *funcidx;      /* function id -> index in f->funcs */
    strmap *globidx;      /* global id -> index in f->globals */
    declcache funcs, vars;
    struct { fileslot *v; size_t cap, n; } files;
    /* The function whose body is walked (NULL at file scope). */
    const char *func;
    CXCursor fcur;
    int loops;
    /* What taking a global's address means where the walk is: handing
     * it out (WM_ADDRESS), or, in a call's argument, what the callee's
     * parameter says it does with it (frontend_walk.c, argmode). */
    int addrmode;
    /* Its local variables that hold a copy of a function-pointer field or
     * global, and its calls through locals, patched when the body is done
     * (a copy may be assigned after the call, in a loop). */
    struct { localsrc *v; size_t n, cap; } locals;
    struct { localcall *v; size_t n, cap; } localcalls;
    tree t; /* the cursor being walked, reused from one to the next */
    walkstack *ws; /* during frontend_walk_unit, which owns it */
    CXFile mainfile;  /* the unit's own file, its text (NULL: not used) */
    const char *text;
    size_t size;
    CXSourceLocation base; /* the location of its first byte */
    /* macroop's answers by the body position of the operand: a macro used
     * many times asks the same question each time (direct-mapped) */
    struct { unsigned at; char op[8]; } macroops[MACROOP_SLOTS];
} walker;

/* A location inside a macro expansion: clang marks it with the top bit of
 * its encoding. */
#define INMACRO(loc) (((loc).int_data & 0x80000000u) != 0)

static inline int insystem(CXCursor c) {
    return libclang.Location_isInSystemHeader(libclang.getCursorLocation(c));
}

static inline CXCursor cur(const walker *w, unsigned node) {
    return w->t.nodes.v[node].cur;
}

static inline enum CXCursorKind kindof(const walker *w, unsigned node) {
    return libclang.getCursorKind(cur(w, node));
}

/* A node's children: p[0 .. n). */
typedef struct kids {
    const unsigned *p;
    unsigned n;
} kids;

static inline kids kidsof(const walker *w, unsigned node) {
    const tnode *nd = &w->t.nodes.v[node];
    kids k = {w->t.kids.v + nd->first, nd->n};
    return k;
}

/* The only child of a pass-through node, or NONODE. */
static inline unsigned onlychild(const walker *w, unsigned node) {
    kids k = kidsof(w, node);
    return k.n == 1 ? k.p[0] : NONODE;
}

/* Strips parentheses and implicit (unexposed) casts. */
static inline unsigned strip(const walker *w, unsigned node) {
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

/* ---- frontend_ids.c ---------------------------------------------------- */

/* Path of a file as the project names it: relative to the root when inside
 * it, absolute otherwise; NULL for no file.  Interned, cached per CXFile. */
const char *frontend_ids_file(walker *w, CXFile file);
/* Expansion position of a location (where a macro was used, not defined):
 * its file as frontend_ids_file names it, and *line, *col when not NULL. */
const char *frontend_ids_position(walker *w, CXSourceLocation loc, int *line, int *col);
/* Id of function declaration `decl`, adding its record on first sight. */
const char *frontend_ids_func(walker *w, CXCursor decl);
/* The record of function id `id` (frontend_ids_func added it), or NULL. */
fact_func *frontend_ids_funcrec(walker *w, const char *id);
/* A variable with static storage that belongs to the project: file scope,
 * `extern` in a block, or a function-local static. */
int frontend_ids_isglobal(CXCursor v);
/* Id of a global variable (frontend_ids_isglobal), adding its record on first sight. */
const char *frontend_ids_var(walker *w, CXCursor decl);
/* The item for field `field` of global struct variable `var`. */
const char *frontend_ids_field(walker *w, CXCursor var, CXCursor field);
/* Key of a struct field, the same in every TU: the field's USR. */
const char *frontend_ids_fieldkey(walker *w, CXCursor field);
/* Key of the functions a local variable or parameter of the function being
 * walked is assigned (a field key's kind: merge.c reads both alike), the
 * same in every TU that walks that function; NULL when libclang gives the
 * variable no USR. */
const char *frontend_ids_localkey(walker *w, CXCursor var);
/* The canonical spelling of type t. */
const char *frontend_ids_type(walker *w, CXType t);

/* ---- frontend_text.c --------------------------------------------------- */

/* Sets up w->text and w->base for reading the main file's text, once the
 * inclusions have named w->mainfile; leaves w->text NULL when the text
 * cannot be read the way libclang does. */
void frontend_text_start(walker *w);
/* The first punctuation token other than a parenthesis in [from, to), or
 * "" when there is none (e.g. both ends inside one macro expansion).
 * Copies into buf[n] and returns buf. */
const char *frontend_text_punct(walker *w, CXSourceLocation from, CXSourceLocation to, char *buf,
                                size_t n);
/* Lines of a function's extent that hold at least one token. */
int frontend_text_lines(walker *w, CXSourceRange ext);

/* ---- frontend_op.c ----------------------------------------------------- */

/* Whether the binary operator whose operands are nodes lhs and rhs is `=`. */
int frontend_op_isassign(walker *w, unsigned lhs, unsigned rhs);
/* Operator of unary expression node c with operand `operand`: the prefix
 * token, else the postfix one; "" when neither is found.  Copies into
 * buf[n] and returns buf. */
const char *frontend_op_unary(walker *w, unsigned c, unsigned operand, char *buf, size_t n);

/* ---- frontend_walk.c --------------------------------------------------- */

/* Walks the unit's function definitions and file-scope variables outside
 * system headers into w->f. */
void frontend_walk_unit(walker *w);

#endif
