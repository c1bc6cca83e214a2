/*
 * frontend_op.c - which operator an assignment or a unary expression
 * spells: `=` or a compound one, `&`, `*`, `++`...  libclang's cursors do
 * not name it, so it is read from the tokens between the operands
 * (frontend_text_punct) or, when it is spelled in a macro's body, from
 * the body's own text, which libclang gives only by tokenizing at a
 * location in the body.
 *
 * Operators read from bodies are cached in the walker by the body
 * position of the operand (w->macroops, zeroed with the walker); nothing
 * is allocated but libclang's tokens, disposed before returning.
 */
#include <stdio.h>
#include <string.h>

#include "frontend/frontend_int.h"

/* Fibonacci hashing: 2^32 divided by the golden ratio; the top bits of the
 * product spread nearby body positions over the slots. */
#define MACROOP_HASH 2654435761u
/* Bytes of a macro's body lexed after the operand's start: an operand
 * with its subscripts and members, and the operator after it. */
#define MACROOP_SPAN 256u

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

/*
 * The operator after an assignment's left operand spelled in a macro body
 * (`#define SET(v) g = (v)`, `#define PUT(v) tab[1] = v`).  libclang gives
 * that operand's end, and any location clang_getSpellingLocation reports
 * in the body, as the place the macro is used; only clang_tokenize at a
 * body location reads the body's own text.  So: the token at the operand's
 * start gives the body's file location, the next MACROOP_SPAN bytes are
 * lexed, and the operand is read as a name followed by subscripts and
 * member accesses; the token after it is the operator ("" when the operand
 * has another shape).
 */
static void macroop(walker *w, CXSourceLocation start, char *buf, size_t n) {
    buf[0] = '\0';
    CXSourceLocation at;
    if (!bodyat(w, start, &at)) return;
    /* at.int_data + 1: 0 marks an empty slot */
    unsigned slot = (at.int_data * MACROOP_HASH) >> (32 - MACROOP_BITS) & (MACROOP_SLOTS - 1);
    if (w->macroops[slot].at == at.int_data + 1) {
        snprintf(buf, n, "%s", w->macroops[slot].op);
        return;
    }
    CXFile file = NULL;
    unsigned off;
    size_t size = 0;
    libclang.getSpellingLocation(at, &file, NULL, NULL, &off);
    if (!file || !libclang.getFileContents(w->tu, file, &size) || off >= size) return;
    CXSourceLocation end = at; /* a file location plus bytes (frontend_text.c) */
    end.int_data += size - off < MACROOP_SPAN ? (unsigned)(size - off) : MACROOP_SPAN;
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
        if (k == CXCursor_DeclRefExpr)
            return frontend_ids_isglobal(libclang.getCursorReferenced(cur(w, e)));
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
 * body: the operator is in the body, where frontend_text_punct cannot read
 * it.
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

int frontend_op_isassign(walker *w, unsigned lhs, unsigned rhs) {
    char op[8];
    CXSourceRange left = libclang.getCursorExtent(cur(w, lhs));
    CXSourceLocation ls = libclang.getRangeStart(left), r = startof(w, rhs);
    if (INMACRO(ls) && INMACRO(r) && writematters(w, lhs) && samemacro(ls, r)) {
        /* an operator in the body: after the left operand when that is in
         * the body too, else before the right one */
        if (inbody(ls)) macroop(w, ls, op, sizeof op);
        else opbefore(w, r, op, sizeof op);
    } else {
        frontend_text_punct(w, libclang.getRangeEnd(left), r, op, sizeof op);
    }
    return strcmp(op, "=") == 0;
}

/* Operator of a unary expression: the prefix token, else the postfix one. */
const char *frontend_op_unary(walker *w, unsigned c, unsigned operand, char *buf, size_t n) {
    frontend_text_punct(w, startof(w, c), startof(w, operand), buf, n);
    if (buf[0]) return buf;
    CXSourceRange oe = libclang.getCursorExtent(cur(w, operand));
    CXSourceRange ce = libclang.getCursorExtent(cur(w, c));
    CXSourceLocation os = libclang.getRangeStart(oe);
    /* `g++` spelled in a macro's body: both ends are reported at the use */
    if (INMACRO(os) && writematters(w, operand) && inbody(os) &&
        libclang.equalLocations(libclang.getRangeEnd(oe), libclang.getRangeEnd(ce)))
        macroop(w, os, buf, n);
    else
        frontend_text_punct(w, libclang.getRangeEnd(oe), libclang.getRangeEnd(ce), buf, n);
    return buf;
}
