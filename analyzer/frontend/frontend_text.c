/*
 * frontend_text.c - the main file's text, read here instead of through
 * libclang's lexer where it says the same: the operator between two
 * locations (frontend_text_punct) and the lines of a function
 * (frontend_text_lines).
 *
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
 *
 * The text is libclang's own buffer for the main file (w->text, valid
 * while the unit lives); nothing here allocates but libclang's tokens,
 * disposed before returning.
 */
#include <stdio.h>
#include <string.h>

#include "frontend/frontend_int.h"

/*
 * Offset of loc in the main file when loc is a location of that text
 * itself, not of a macro: equal to the location made from the file's
 * start (w->base) and the offset (a file location is its file's start plus
 * the offset, as frontend_text_start checks on each unit).
 * clang_getLocationForOffset would say the same, but looks the file up
 * among all the unit's source entries on every call.
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
void frontend_text_start(walker *w) {
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
 * frontend_text_lines counts them (a line ends at \n, \r or \r\n), or -1
 * when the text needs libclang's lexer.  Tokens are not told apart here: a
 * line counts when something other than whitespace starts on it outside a
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
const char *frontend_text_punct(walker *w, CXSourceLocation from, CXSourceLocation to, char *buf,
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
 * Lines of a function (its extent) that hold at least one token.  A
 * definition may start with a macro (Lua's `l_sinline int f(...)`): its
 * extent then starts inside the macro's expansion, and the lines are
 * counted from where the macro is used.
 */
int frontend_text_lines(walker *w, CXSourceRange ext) {
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
