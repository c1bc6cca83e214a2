/*
 * frontend_walk.c - the AST walk: the calls, accesses of globals, stores
 * of function addresses and hand-offs of parameters in each function
 * body and file-scope initializer of a unit, into the walker's record.
 *
 * The walk is hand-driven (walknode, over its own stack of frames: see
 * "the walk" below) rather than one big CXChildVisit_Recurse visitor,
 * because how a sub-expression is used depends on its parent: the left side of `=` is written, the operand of
 * `&` has its address taken, a function named as a call's callee is a
 * direct call while the same name anywhere else is an address-taken
 * function flowing into whatever the enclosing assignment or initializer
 * stores it in (its "sink").  Each node passes a mode and a sink down to
 * its children.
 *
 * The children of every node come from one libclang visit per function
 * body or file-scope variable (CXChildVisit_Recurse), kept as an index tree
 * (tree): asking libclang for each node's children again, as the walk
 * descends, cost a visitor per node.  Node 0 is the cursor walked.  The
 * tree's arrays are reused from one cursor to the next and freed by
 * frontend_extract, like the function's locals; the walk's stack lives
 * for one frontend_walk_unit.
 */
#include <stdlib.h>
#include <string.h>

#include "frontend/frontend_int.h"

/* Access mode while walking: enum fact_mode plus read-and-write. */
enum { WM_READ = MODE_READ, WM_WRITE = MODE_WRITE, WM_ADDRESS = MODE_ADDRESS, WM_RW = 3 };

/*
 * Library functions that write through a pointer argument: bit i of
 * `args` for argument i, and `varargs` when the arguments after the
 * prototype's are written (the scanf family).  They are the C library's
 * and POSIX's documented behaviour, looked up only for functions declared
 * in a system header, so a project's own function of the same name is
 * judged by its prototype like any other.  Sorted by name.
 */
static const struct writer {
    const char *name;
    unsigned args, varargs;
} WRITERS[] = {
    {"bzero", 1, 0}, {"clock_gettime", 2, 0}, {"explicit_bzero", 1, 0}, {"fgets", 1, 0},
    {"fread", 1, 0}, {"fscanf", 0, 1}, {"fstat", 2, 0}, {"getcwd", 1, 0}, {"getline", 3, 0},
    {"gettimeofday", 1, 0}, {"gmtime_r", 2, 0}, {"localtime_r", 2, 0}, {"lstat", 2, 0},
    {"memcpy", 1, 0}, {"memmove", 1, 0}, {"memset", 1, 0}, {"pipe", 1, 0}, {"pread", 2, 0},
    {"pthread_cond_broadcast", 1, 0}, {"pthread_cond_destroy", 1, 0},
    {"pthread_cond_init", 1, 0}, {"pthread_cond_signal", 1, 0},
    {"pthread_cond_timedwait", 3, 0}, {"pthread_cond_wait", 3, 0}, {"pthread_create", 1, 0},
    {"pthread_mutex_destroy", 1, 0}, {"pthread_mutex_init", 1, 0},
    {"pthread_mutex_lock", 1, 0}, {"pthread_mutex_trylock", 1, 0},
    {"pthread_mutex_unlock", 1, 0}, {"pthread_once", 1, 0}, {"pthread_rwlock_rdlock", 1, 0},
    {"pthread_rwlock_unlock", 1, 0}, {"pthread_rwlock_wrlock", 1, 0},
    {"pthread_spin_lock", 1, 0}, {"pthread_spin_unlock", 1, 0}, {"qsort", 1, 0},
    {"read", 2, 0}, {"readlink", 2, 0}, {"recv", 2, 0}, {"recvfrom", 2, 0}, {"scanf", 0, 1},
    {"sem_init", 1, 0}, {"sem_post", 1, 0}, {"sem_wait", 1, 0}, {"sigaction", 4, 0},
    {"sigaddset", 1, 0}, {"sigdelset", 1, 0}, {"sigemptyset", 1, 0}, {"sigfillset", 1, 0},
    {"sigprocmask", 4, 0}, {"snprintf", 1, 0}, {"socketpair", 8, 0}, {"sprintf", 1, 0},
    {"sscanf", 0, 1}, {"stat", 2, 0}, {"stpcpy", 1, 0}, {"stpncpy", 1, 0}, {"strcat", 1, 0},
    {"strcpy", 1, 0}, {"strlcat", 1, 0}, {"strlcpy", 1, 0}, {"strncat", 1, 0},
    {"strncpy", 1, 0}, {"strtok", 1, 0}, {"strtok_r", 5, 0}, {"time", 1, 0},
    {"vsnprintf", 1, 0}, {"vsprintf", 1, 0},
};

static int cmpwriter(const void *key, const void *elem) {
    return strcmp(key, ((const struct writer *)elem)->name);
}

/* The C library entry behind a name: "__builtin___memcpy_chk" (what
 * _FORTIFY_SOURCE calls) is memcpy. */
static const struct writer *libwriter(const char *name) {
    char base[64];
    if (strncmp(name, "__builtin_", 10) == 0) name += 10;
    while (*name == '_') name++;
    size_t n = strlen(name);
    if (n >= sizeof base) return NULL;
    memcpy(base, name, n + 1);
    if (n > 4 && strcmp(base + n - 4, "_chk") == 0) base[n - 4] = '\0';
    return bsearch(base, WRITERS, sizeof WRITERS / sizeof *WRITERS, sizeof *WRITERS, cmpwriter);
}

/*
 * What handing a global's address to argument i (0-based) of a call does
 * (graph/state.h gives the rule this feeds): a pointer-to-const parameter
 * or a variadic argument only reads it (printf's "%s" of a global array);
 * a library function known to write through the argument writes it; any
 * other parameter may write through it (WM_ADDRESS), and so may a callee
 * without a prototype.  `lib` is the callee's name when the call is a
 * direct one to a function declared in a system header, else NULL; t is
 * the callee's canonical function type.
 */
static int argmode(const char *lib, CXType t, unsigned i) {
    const struct writer *lw = lib ? libwriter(lib) : NULL;
    if (lw && i < 8 * sizeof lw->args && (lw->args >> i & 1)) return WM_WRITE;
    if (t.kind != CXType_FunctionProto) return WM_ADDRESS;
    int np = libclang.getNumArgTypes(t);
    if (np < 0) return WM_ADDRESS;
    if (i >= (unsigned)np) {
        if (lw && lw->varargs) return WM_WRITE;
        return libclang.isFunctionTypeVariadic(t) ? WM_READ : WM_ADDRESS;
    }
    CXType p = libclang.getCanonicalType(libclang.getArgType(t, i));
    if (p.kind == CXType_Pointer &&
        libclang.isConstQualifiedType(libclang.getCanonicalType(libclang.getPointeeType(p))))
        return WM_READ;
    return WM_ADDRESS;
}

/* A variable whose type is const (for an array, its elements): its
 * address can only be read through. */
static int isconstvar(CXCursor v) {
    CXType t = libclang.getCanonicalType(libclang.getCursorType(v));
    /* libclang reports an array's const on the array type, not on the
     * element type it returns: ask at every level */
    while (!libclang.isConstQualifiedType(t) &&
           (t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray ||
            t.kind == CXType_VariableArray || t.kind == CXType_DependentSizedArray))
        t = libclang.getCanonicalType(libclang.getArrayElementType(t));
    return libclang.isConstQualifiedType(t);
}

/* Where the value of the expression being walked is stored. */
typedef struct sink {
    unsigned kind; /* enum fact_sink */
    const char *key;
    int arg;
} sink;

static const sink NOSINK = {SINK_NONE, NULL, 0};

/* ---- the tree ---------------------------------------------------------- */

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

/* ---- expression shape -------------------------------------------------- */

static int isfuncref(CXCursor e, CXCursor *fn) {
    if (libclang.getCursorKind(e) != CXCursor_DeclRefExpr) return 0;
    CXCursor r = libclang.getCursorReferenced(e);
    if (libclang.getCursorKind(r) != CXCursor_FunctionDecl) return 0;
    if (fn) *fn = r;
    return 1;
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
            s.key = frontend_ids_fieldkey(w, field);
        }
    } else if (k == CXCursor_DeclRefExpr) {
        CXCursor v = libclang.getCursorReferenced(cur(w, e));
        if (frontend_ids_isglobal(v)) {
            s.kind = SINK_GLOBAL;
            s.key = frontend_ids_var(w, v);
        }
    }
    return s;
}

static int islocalvar(CXCursor v) {
    return libclang.getCursorKind(v) == CXCursor_VarDecl && !frontend_ids_isglobal(v) &&
           libclang.getCursorKind(libclang.getCursorSemanticParent(v)) == CXCursor_FunctionDecl;
}

/* A local variable or a parameter: what the body assigns it is followed. */
static int islocal(CXCursor v) {
    return libclang.getCursorKind(v) == CXCursor_ParmDecl || islocalvar(v);
}

/* A local or parameter of the function being walked that points to a
 * function: the function addresses assigned to it are stored under its
 * own key (localsink), which a call through it reads (walkfunction). */
static int isfuncptrlocal(walker *w, CXCursor v) {
    if (!w->func || !islocal(v)) return 0;
    CXType t = libclang.getCanonicalType(libclang.getCursorType(v));
    if (t.kind != CXType_Pointer) return 0;
    t = libclang.getCanonicalType(libclang.getPointeeType(t));
    return t.kind == CXType_FunctionProto || t.kind == CXType_FunctionNoProto;
}

static sink localsink(walker *w, CXCursor v) {
    sink s = NOSINK;
    if (isfuncptrlocal(w, v) && (s.key = frontend_ids_localkey(w, v)) != NULL) s.kind = SINK_FIELD;
    return s;
}

/* Where a value assigned to node `lhs` lands: a field or global, or a
 * local's own key. */
static sink assignsink(walker *w, unsigned lhs) {
    sink s = sinkof(w, lhs);
    unsigned e = strip(w, lhs);
    if (s.kind == SINK_NONE && kindof(w, e) == CXCursor_DeclRefExpr)
        s = localsink(w, libclang.getCursorReferenced(cur(w, e)));
    return s;
}

/* The record of local `var`, added on first sight; a parameter starts out
 * holding what its callers pass, which the body cannot see. */
static localsrc *localof(walker *w, CXCursor var) {
    for (size_t i = 0; i < w->locals.n; i++)
        if (libclang.equalCursors(w->locals.v[i].var, var)) return &w->locals.v[i];
    localsrc n = {var, NULL, 0, 0, 0, libclang.getCursorKind(var) == CXCursor_ParmDecl};
    VEC_PUSH(w->locals, n);
    return &w->locals.v[w->locals.n - 1];
}

/* Parentheses, casts and `&`, `*` around a function name or a constant. */
static unsigned peel(walker *w, unsigned e) {
    for (;;) {
        e = strip(w, e);
        enum CXCursorKind k = kindof(w, e);
        kids ks = kidsof(w, e);
        if (k == CXCursor_CStyleCastExpr && ks.n > 0) {
            e = ks.p[ks.n - 1]; /* after the cast's TypeRef */
            continue;
        }
        char op[8];
        if (k == CXCursor_UnaryOperator && ks.n == 1 &&
            (strcmp(frontend_op_unary(w, e, ks.p[0], op, sizeof op), "&") == 0 ||
             strcmp(op, "*") == 0)) {
            e = ks.p[0];
            continue;
        }
        return e;
    }
}

/* Most `?:` arms of one assigned value followed; past that, the value is
 * taken as unknown. */
#define MAX_ARMS 16

/*
 * Local `var` is assigned node `value`: remember where its pointer comes
 * from.  Each arm of a `?:` is one value: a function's address (stored
 * under the local's key by the walk, through the same sink), an integer
 * constant (a null pointer, SIG_IGN: no function), a copy of a field or
 * global, or anything else.
 */
static void localassign(walker *w, CXCursor var, unsigned value) {
    localsrc *l = localof(w, var);
    unsigned todo[MAX_ARMS], n = 0;
    todo[n++] = value;
    while (n) {
        unsigned e = peel(w, todo[--n]);
        enum CXCursorKind k = kindof(w, e);
        kids ks = kidsof(w, e);
        if (k == CXCursor_ConditionalOperator && ks.n == 3) {
            if (n + 2 > MAX_ARMS) {
                l->other = 1;
                continue;
            }
            todo[n++] = ks.p[2];
            todo[n++] = ks.p[1];
            continue;
        }
        if (isfuncref(cur(w, e), NULL)) {
            /* only a pointer to a function has a key to store it under */
            if (isfuncptrlocal(w, var))
                l->funcs = 1;
            else
                l->other = 1;
            continue;
        }
        if (k == CXCursor_IntegerLiteral) continue;
        sink from = sinkof(w, e);
        unsigned via = from.kind == SINK_FIELD ? VIA_FIELD : VIA_GLOBAL;
        if (from.kind == SINK_NONE)
            l->other = 1;
        else if (!l->key) {
            l->key = from.key;
            l->via = via;
        } else if (l->via != via || strcmp(l->key, from.key) != 0)
            l->mixed = 1;
    }
}

/* Index of parameter `parm` in the function being walked, or -1. */
static int paramindex(walker *w, CXCursor parm) {
    int n = libclang.Cursor_getNumArguments(w->fcur);
    for (int i = 0; i < n; i++)
        if (libclang.equalCursors(libclang.Cursor_getArgument(w->fcur, (unsigned)i), parm))
            return i;
    return -1;
}

static void addaccess(walker *w, const char *global, int mode, CXCursor at) {
    if (!w->func) return; /* file-scope initializers run at no time */
    fact_access a = {0};
    a.function = w->func;
    a.global = global;
    a.file = frontend_ids_position(w, libclang.getCursorLocation(at), &a.line, &a.col);
    if (mode == WM_RW) {
        a.mode = MODE_READ;
        VEC_PUSH(w->f->accesses, a);
        a.mode = MODE_WRITE;
    } else {
        a.mode = (unsigned)mode;
    }
    VEC_PUSH(w->f->accesses, a);
}

static void addstore(walker *w, const char *fid, sink s, CXCursor at) {
    fact_store st = {0};
    st.function = fid;
    st.sink = s.kind;
    st.key = s.key;
    st.arg = s.arg;
    st.file = frontend_ids_position(w, libclang.getCursorLocation(at), &st.line, NULL);
    VEC_PUSH(w->f->stores, st);
}

/* ---- the walk ----------------------------------------------------------
 *
 * The walk keeps its own stack instead of recursing: a unit may nest
 * statements or expressions thousands deep (5,000 `if`s that clang parses
 * overflowed the recursive walk this replaced).  Each frame is one
 * activation of what was a recursive function.  F_WALK handles one node
 * and pushes what its children need; the other kinds are the loops that
 * walked children one at a time: such a frame stays on the stack, and each
 * time the frames above it are gone it hands out its next child, so every
 * fact is produced in the order the recursion produced it, and whatever a
 * step computes between two children (a designator's sink, the field
 * position in an initializer, the sink of an assignment's left side, a
 * call's argument mode) is computed at the same moment.  Steps that
 * depend on nothing the walk changes push their children at once, the
 * first child on top.
 */

enum {
    F_WALK,  /* handle node with mode and sink */
    F_KIDS,  /* node's children in turn; a field designator among them sets the sink */
    F_INIT,  /* a struct initializer's elements, field by field (top of `fields`) */
    F_VAR,   /* a variable's initializer expressions */
    F_CALL,  /* a call, its callee walked: record it, then its arguments (top of `calls`) */
    F_RHS,   /* an assignment's right side `node`, once its left side `i` is walked */
    F_LOOPS, /* a loop statement's children are done */
};

typedef struct frame {
    unsigned kind, node;
    int mode;
    sink s;
    unsigned i;   /* the next child; F_RHS: the left side */
    unsigned pos; /* F_INIT: the field the next element flows into */
} frame;

/* Fields of a struct followed by position in an initializer; elements
 * past them flow into no field (a designator still names its own). */
#define MAX_INIT_FIELDS 64

typedef struct fieldlist {
    CXCursor v[MAX_INIT_FIELDS];
    unsigned n;
} fieldlist;

/* What a call keeps while its arguments are walked. */
typedef struct callframe {
    fact_call call;
    const char *direct; /* the callee's id for a direct call, else NULL */
    CXCursor fn;        /* the callee's declaration, for a direct call */
    unsigned callee;    /* the callee expression, stripped */
    CXType ft;          /* the callee's function type */
    const char *lib;    /* direct call to a system function: its id */
    int saved;          /* addrmode of the call's own context */
} callframe;

struct walkstack {
    struct { frame *v; size_t n, cap; } f;
    struct { callframe *v; size_t n, cap; } calls;
    struct { fieldlist *v; size_t n, cap; } fields;
};

static void push(walker *w, unsigned kind, unsigned node, int mode, sink s) {
    frame f = {kind, node, mode, s, 0, 0};
    VEC_PUSH(w->ws->f, f);
}

static frame *top(walker *w) {
    return &w->ws->f.v[w->ws->f.n - 1];
}

static enum CXVisitorResult onfield(CXCursor c, CXClientData data) {
    fieldlist *fl = data;
    if (fl->n < sizeof fl->v / sizeof fl->v[0]) fl->v[fl->n++] = c;
    return CXVisit_Continue;
}

/* F_KIDS: hands out the next child, the sink changed by any field
 * designator (.fn = x) before it. */
static void stepkids(walker *w) {
    frame *f = top(w);
    kids k = kidsof(w, f->node);
    while (f->i < k.n) {
        unsigned kid = k.p[f->i++];
        if (kindof(w, kid) == CXCursor_MemberRef) {
            CXCursor field = libclang.getCursorReferenced(cur(w, kid));
            if (libclang.getCursorKind(field) == CXCursor_FieldDecl) {
                f->s.kind = SINK_FIELD;
                f->s.key = frontend_ids_fieldkey(w, field);
            }
            continue;
        }
        push(w, F_WALK, kid, f->mode, f->s);
        return;
    }
    w->ws->f.n--;
}

/* Initializer list: positional elements of a struct initializer flow into
 * the fields in order; a designator moves the position. */
static void walkinit(walker *w, unsigned node, sink s) {
    CXType t = libclang.getCanonicalType(libclang.getCursorType(cur(w, node)));
    if (t.kind != CXType_Record) {
        push(w, F_KIDS, node, WM_READ, s);
        return;
    }
    fieldlist fl;
    fl.n = 0;
    libclang.Type_visitFields(t, onfield, &fl);
    VEC_PUSH(w->ws->fields, fl);
    push(w, F_INIT, node, WM_READ, NOSINK);
}

static void stepinit(walker *w) {
    frame *f = top(w);
    kids k = kidsof(w, f->node);
    if (f->i >= k.n) {
        w->ws->f.n--;
        w->ws->fields.n--;
        return;
    }
    const fieldlist *fl = &w->ws->fields.v[w->ws->fields.n - 1];
    unsigned e = k.p[f->i++];
    /* A designated element is an unexposed node whose children start
     * with the field designator(s). */
    kids d = kidsof(w, e);
    int designated = 0;
    for (unsigned j = 0; j < d.n; j++) {
        if (kindof(w, d.p[j]) != CXCursor_MemberRef) continue;
        CXCursor field = libclang.getCursorReferenced(cur(w, d.p[j]));
        for (unsigned q = 0; q < fl->n; q++)
            if (libclang.equalCursors(fl->v[q], field)) f->pos = q;
        designated = 1;
        break;
    }
    sink fs = NOSINK;
    if (!designated && f->pos < fl->n) {
        fs.kind = SINK_FIELD;
        fs.key = frontend_ids_fieldkey(w, fl->v[f->pos]);
    }
    f->pos++;
    /* a designated element: its F_KIDS picks up the designator */
    push(w, F_WALK, e, WM_READ, fs);
}

/* A call: its record up to the callee, which an indirect call walks before
 * the record is added; stepcall does the rest. */
static void walkcall(walker *w, unsigned node) {
    kids k = kidsof(w, node);
    if (k.n == 0) return;
    CXCursor c = cur(w, node);
    callframe cf = {0};
    fact_call *call = &cf.call;
    call->from = w->func;
    call->file = frontend_ids_position(w, libclang.getCursorLocation(c), &call->line, &call->col);
    call->loop_depth = w->loops;

    unsigned callee = strip(w, k.p[0]);
    enum CXCursorKind ck = kindof(w, callee);
    /* (*fp)(x) calls what fp points to */
    if (ck == CXCursor_UnaryOperator) {
        char op[8];
        unsigned inner = onlychild(w, callee);
        if (inner != NONODE &&
            strcmp(frontend_op_unary(w, callee, inner, op, sizeof op), "*") == 0) {
            callee = strip(w, inner);
            ck = kindof(w, callee);
        }
    }
    cf.callee = callee;
    if (isfuncref(cur(w, callee), &cf.fn)) {
        cf.direct = frontend_ids_func(w, cf.fn);
        call->to = cf.direct;
    } else {
        call->indirect = 1;
        call->via = VIA_UNKNOWN;
        unsigned base = callee;
        if (ck == CXCursor_ArraySubscriptExpr) {
            kids a = kidsof(w, callee);
            if (a.n >= 1) base = strip(w, a.p[0]);
        }
        enum CXCursorKind bk = kindof(w, base);
        CXCursor ref = libclang.getCursorReferenced(cur(w, base));
        if (bk == CXCursor_MemberRefExpr && libclang.getCursorKind(ref) == CXCursor_FieldDecl) {
            call->via = VIA_FIELD;
            call->key = frontend_ids_fieldkey(w, ref);
        } else if (bk == CXCursor_DeclRefExpr && frontend_ids_isglobal(ref)) {
            call->via = VIA_GLOBAL;
            call->key = frontend_ids_var(w, ref);
        } else if (bk == CXCursor_DeclRefExpr && ck == CXCursor_DeclRefExpr &&
                   (libclang.getCursorKind(ref) == CXCursor_VarDecl ||
                    libclang.getCursorKind(ref) == CXCursor_ParmDecl)) {
            /* the callee is a plain name: walking it adds no call, so the
             * call's index is the current count */
            if (w->func && islocal(ref)) {
                localcall lc = {w->f->calls.n, ref};
                VEC_PUSH(w->localcalls, lc);
            }
            CXType t = libclang.getCanonicalType(libclang.getCursorType(cur(w, callee)));
            if (t.kind == CXType_Pointer) t = libclang.getCanonicalType(libclang.getPointeeType(t));
            if (t.kind == CXType_FunctionNoProto) {
                char *key = xasprintf("ret:%s", frontend_ids_type(w, libclang.getResultType(t)));
                call->key = facts_str(w->f, key);
                free(key);
                call->via = VIA_TYPE;
            } else if (t.kind == CXType_FunctionProto) {
                call->key = frontend_ids_type(w, t);
                call->via = VIA_TYPE;
            }
        }
    }
    VEC_PUSH(w->ws->calls, cf);
    push(w, F_CALL, node, WM_READ, NOSINK);
    if (!cf.direct) push(w, F_WALK, k.p[0], WM_READ, NOSINK);
}

/* F_CALL: first the record, then each argument with what the callee's
 * parameter does with an address handed to it; last, the context's mode
 * back. */
static void stepcall(walker *w) {
    frame *f = top(w);
    callframe *cf = &w->ws->calls.v[w->ws->calls.n - 1];
    kids k = kidsof(w, f->node);
    if (f->i == 0) {
        if (w->func) VEC_PUSH(w->f->calls, cf->call);
        /* the callee's type says what each argument's address is for; a
         * system function's id is its name */
        CXType ft = libclang.getCanonicalType(
            libclang.getCursorType(cf->direct ? cf->fn : cur(w, cf->callee)));
        if (ft.kind == CXType_Pointer) ft = libclang.getCanonicalType(libclang.getPointeeType(ft));
        cf->ft = ft;
        cf->lib = cf->direct && insystem(cf->fn) ? cf->direct : NULL;
        cf->saved = w->addrmode;
        f->i = 1;
    }
    if (f->i < k.n) {
        unsigned i = f->i++;
        sink as = NOSINK;
        if (cf->direct) {
            as.kind = SINK_ARG;
            as.key = cf->direct;
            as.arg = (int)i - 1;
        }
        w->addrmode = argmode(cf->lib, cf->ft, i - 1);
        push(w, F_WALK, k.p[i], WM_READ, as);
        return;
    }
    w->addrmode = cf->saved;
    w->ws->calls.n--;
    w->ws->f.n--;
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
        if (frontend_ids_isglobal(v)) {
            addaccess(w, frontend_ids_field(w, v, field),
                      mode == WM_ADDRESS && isconstvar(v) ? WM_READ : mode, c);
            return;
        }
    }
    /* a.b.c = x writes a.b; p->x = y only reads p */
    push(w, F_WALK, base, arrow ? WM_READ : mode, NOSINK);
}

/* A variable declaration: a global's definition, then its initializer
 * (stepvar) flowing into the variable. */
static void walkvar(walker *w, unsigned node) {
    CXCursor c = cur(w, node);
    sink s = NOSINK;
    if (w->func && islocalvar(c)) {
        s = localsink(w, c);
    } else if (frontend_ids_isglobal(c)) {
        const char *id = frontend_ids_var(w, c);
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
                g->file = frontend_ids_position(w, libclang.getCursorLocation(c), &g->line, NULL);
            }
        }
    }
    push(w, F_VAR, node, WM_READ, s);
}

static void stepvar(walker *w) {
    frame *f = top(w);
    kids k = kidsof(w, f->node);
    while (f->i < k.n) {
        unsigned kid = k.p[f->i++];
        if (!libclang.isExpression(kindof(w, kid))) continue;
        CXCursor c = cur(w, f->node);
        if (w->func && islocalvar(c)) localassign(w, c, kid);
        push(w, F_WALK, kid, WM_READ, f->s);
        return;
    }
    w->ws->f.n--;
}

/* `do { ... } while (0)`: the macro idiom for one statement runs its body
 * once, so it is no loop (a call in it is not one per item). */
static int runsonce(const walker *w, unsigned node) {
    kids k = kidsof(w, node);
    if (k.n < 2) return 0;
    unsigned cond = strip(w, k.p[k.n - 1]);
    if (kindof(w, cond) != CXCursor_IntegerLiteral) return 0;
    CXEvalResult r = libclang.Cursor_Evaluate(cur(w, cond));
    if (!r) return 0;
    int zero = libclang.EvalResult_getKind(r) == CXEval_Int && libclang.EvalResult_getAsLongLong(r) == 0;
    libclang.EvalResult_dispose(r);
    return zero;
}

/* F_WALK: one node, read, written or handed out as `mode` says, its value
 * flowing into s. */
static void walknode(walker *w, unsigned node, int mode, sink s) {
    CXCursor c = cur(w, node);
    enum CXCursorKind kind = libclang.getCursorKind(c);
    switch (kind) {
    case CXCursor_DeclRefExpr: {
        CXCursor r = libclang.getCursorReferenced(c);
        enum CXCursorKind rk = libclang.getCursorKind(r);
        if (rk == CXCursor_FunctionDecl) {
            const char *id = frontend_ids_func(w, r);
            addstore(w, id, s, c);
        } else if (rk == CXCursor_VarDecl && frontend_ids_isglobal(r)) {
            addaccess(w, frontend_ids_var(w, r), mode == WM_ADDRESS && isconstvar(r) ? WM_READ : mode, c);
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
        if (k.n == 2 && frontend_op_isassign(w, k.p[0], k.p[1])) {
            unsigned lhs = strip(w, k.p[0]);
            if (w->func && kindof(w, lhs) == CXCursor_DeclRefExpr) {
                CXCursor v = libclang.getCursorReferenced(cur(w, lhs));
                if (islocal(v)) localassign(w, v, k.p[1]);
            }
            push(w, F_RHS, k.p[1], WM_READ, NOSINK);
            top(w)->i = k.p[0];
            push(w, F_WALK, k.p[0], WM_WRITE, NOSINK);
        } else {
            for (unsigned i = k.n; i-- > 0;) push(w, F_WALK, k.p[i], WM_READ, NOSINK);
        }
        return;
    }
    case CXCursor_CompoundAssignOperator: {
        kids k = kidsof(w, node);
        for (unsigned i = k.n; i-- > 0;) push(w, F_WALK, k.p[i], i == 0 ? WM_RW : WM_READ, NOSINK);
        return;
    }
    case CXCursor_UnaryOperator: {
        unsigned e = onlychild(w, node);
        if (e == NONODE) return;
        char op[8];
        frontend_op_unary(w, node, e, op, sizeof op);
        if (strcmp(op, "&") == 0) {
            /* a local pointer to a function whose address is handed out
             * may be assigned anything */
            unsigned v = strip(w, e);
            if (kindof(w, v) == CXCursor_DeclRefExpr) {
                CXCursor r = libclang.getCursorReferenced(cur(w, v));
                if (isfuncptrlocal(w, r)) localof(w, r)->other = 1;
            }
            push(w, F_WALK, e, w->addrmode, s);
        }
        else if (strcmp(op, "++") == 0 || strcmp(op, "--") == 0)
            push(w, F_WALK, e, WM_RW, NOSINK);
        else if (strcmp(op, "*") == 0)
            push(w, F_WALK, e, WM_READ, s);
        else
            push(w, F_WALK, e, WM_READ, NOSINK);
        return;
    }
    case CXCursor_UnexposedExpr: {
        /* Implicit casts pass through; an array decaying to a pointer
         * hands out the array's address. */
        unsigned e = onlychild(w, node);
        if (e != NONODE && libclang.isExpression(kindof(w, e)) &&
            isarraytype(libclang.getCursorType(cur(w, e))) &&
            libclang.getCanonicalType(libclang.getCursorType(c)).kind == CXType_Pointer) {
            push(w, F_WALK, e, w->addrmode, s);
            return;
        }
        push(w, F_KIDS, node, mode, s);
        return;
    }
    case CXCursor_ParenExpr:
    case CXCursor_CStyleCastExpr:
        push(w, F_KIDS, node, mode, s);
        return;
    case CXCursor_ArraySubscriptExpr: {
        kids k = kidsof(w, node);
        for (unsigned i = k.n; i-- > 0;) {
            int base = i == 0;
            /* a[i] of an array reads or writes the array itself (not the
             * pointer it decays to); of a pointer, it only reads the pointer */
            if (base && isarraytype(libclang.getCursorType(cur(w, strip(w, k.p[0])))))
                push(w, F_WALK, strip(w, k.p[0]), mode, s);
            else
                push(w, F_WALK, k.p[i], WM_READ, base ? s : NOSINK);
        }
        return;
    }
    case CXCursor_ConditionalOperator: {
        kids k = kidsof(w, node);
        for (unsigned i = k.n; i-- > 0;)
            push(w, F_WALK, k.p[i], i == 0 ? WM_READ : mode, i == 0 ? NOSINK : s);
        return;
    }
    case CXCursor_InitListExpr:
        walkinit(w, node, s);
        return;
    case CXCursor_UnaryExpr: /* sizeof, _Alignof: operand not evaluated */
        return;
    case CXCursor_DoStmt:
        if (runsonce(w, node)) {
            push(w, F_KIDS, node, WM_READ, NOSINK);
            return;
        }
        /* fall through */
    case CXCursor_ForStmt:
    case CXCursor_WhileStmt:
        w->loops++;
        push(w, F_LOOPS, node, WM_READ, NOSINK);
        push(w, F_KIDS, node, WM_READ, NOSINK);
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
            push(w, F_KIDS, node, WM_READ, libclang.isExpression(kind) ? s : NOSINK);
        return;
    }
}

/* Runs the frames pushed until none is left. */
static void run(walker *w) {
    while (w->ws->f.n) {
        frame *f = top(w);
        switch (f->kind) {
        case F_WALK: {
            frame x = *f;
            w->ws->f.n--;
            walknode(w, x.node, x.mode, x.s);
            break;
        }
        case F_KIDS: stepkids(w); break;
        case F_INIT: stepinit(w); break;
        case F_VAR: stepvar(w); break;
        case F_CALL: stepcall(w); break;
        case F_RHS: {
            frame x = *f;
            w->ws->f.n--;
            push(w, F_WALK, x.node, WM_READ, assignsink(w, x.i));
            break;
        }
        case F_LOOPS:
            w->loops--;
            w->ws->f.n--;
            break;
        }
    }
}

/*
 * A call through a local (or parameter), once the body is walked: through
 * one that only ever holds one field's or one global's pointer, it calls
 * what that field or global holds; through one assigned function addresses
 * (its own key), those functions.  When it holds both, or may hold
 * something else too (the call then keeps the type's may-call), a second
 * record, which counts as no site of its own (merge.c), adds the
 * functions assigned.
 */
static void localcall_resolve(walker *w, const localcall *lc) {
    const localsrc *l = NULL;
    for (size_t j = 0; j < w->locals.n; j++)
        if (libclang.equalCursors(w->locals.v[j].var, lc->var)) l = &w->locals.v[j];
    if (!l) return;
    fact_call *c = &w->f->calls.v[lc->call];
    int known = !l->other && !l->mixed;
    if (known && l->key) {
        c->via = l->via;
        c->key = l->key;
    }
    if (!l->funcs) return;
    const char *own = frontend_ids_localkey(w, l->var);
    if (!own) return;
    if (known && !l->key) {
        c->via = VIA_FIELD;
        c->key = own;
        return;
    }
    fact_call x = *c;
    x.via = VIA_FIELD;
    x.key = own;
    x.extra = 1;
    VEC_PUSH(w->f->calls, x);
}

static void walkfunction(walker *w, CXCursor c) {
    const char *id = frontend_ids_func(w, c);
    fact_func *fn = frontend_ids_funcrec(w, id);
    if (fn->defined) return; /* a second definition (invalid code) */
    CXSourceRange ext = libclang.getCursorExtent(c);
    int end;
    fn->defined = 1;
    frontend_ids_position(w, libclang.getCursorLocation(c), &fn->line, NULL);
    frontend_ids_position(w, libclang.getRangeEnd(ext), &end, NULL);
    fn->end_line = end;
    fn->loc = frontend_text_lines(w, ext);
    w->func = id;
    w->fcur = c;
    w->loops = 0;
    w->locals.n = 0;
    w->localcalls.n = 0;
    buildtree(w, c);
    kids k = kidsof(w, 0);
    for (unsigned i = 0; i < k.n; i++) {
        if (kindof(w, k.p[i]) != CXCursor_CompoundStmt) continue;
        push(w, F_WALK, k.p[i], WM_READ, NOSINK);
        run(w);
    }
    for (size_t i = 0; i < w->localcalls.n; i++) localcall_resolve(w, &w->localcalls.v[i]);
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
        run(w);
    }
    return CXChildVisit_Continue;
}

void frontend_walk_unit(walker *w) {
    walkstack ws = {0};
    w->ws = &ws;
    w->addrmode = WM_ADDRESS;
    libclang.visitChildren(libclang.getTranslationUnitCursor(w->tu), toplevel, w);
    free(ws.f.v);
    free(ws.calls.v);
    free(ws.fields.v);
    w->ws = NULL;
}
