/*
 * fileglob.c - whole-path glob matching with globstar segments (see fileglob.h).
 *
 * The pattern is read into tokens and matched as a nondeterministic
 * automaton, one path character at a time, keeping the set of tokens that
 * could come next: time O(path length x pattern length) whatever the
 * stars, with no backtracking (a pattern of 14 stars against a path of 60
 * characters once took minutes).  A token's transitions follow the syntax
 * of fileglob.h:
 *   literal, '?', class  one character (the last two never '/');
 *   '*' (a run of them)  any run of characters but '/': loops on itself;
 *   "**" then '/'        zero or more whole segments, each ending in '/':
 *                        two states, at a segment start (which may end
 *                        the run) and inside a skipped segment;
 *   a final "**"         everything that is left: a match as soon as it
 *                        is reached.
 * Tokens only ever lead to themselves or to the next one, so one forward
 * sweep over the set adds what is reachable without reading a character.
 *
 * Memory: the tokens and the two state sets live on the stack for
 * patterns up to SMALL characters, else in one allocation freed before
 * returning.
 */
#include "util/fileglob.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "util/common.h"

#define SMALL 128

enum { T_LIT, T_ANY, T_CLASS, T_STAR, T_DIRS, T_REST };

typedef struct token {
    unsigned char kind, c; /* c: the literal */
    const char *cls;       /* T_CLASS: just after its '[' */
} token;

/*
 * The class starting at p (just after '['): *end receives the character
 * after its ']', and the result says whether c is in it.  Returns -1 when
 * the class has no closing ']'.
 */
static int class_match(const char *p, unsigned char c, const char **end) {
    int negate = 0, hit = 0;
    if (*p == '!' || *p == '^') {
        negate = 1;
        p++;
    }
    const char *first = p;
    while (*p && (*p != ']' || p == first)) {
        unsigned char lo = (unsigned char)*p, hi;
        if (lo == '\\' && p[1]) lo = (unsigned char)*++p;
        p++;
        hi = lo;
        if (*p == '-' && p[1] && p[1] != ']') {
            p++;
            if (*p == '\\' && p[1]) p++;
            hi = (unsigned char)*p++;
        }
        if (lo <= c && c <= hi) hit = 1;
    }
    if (*p != ']') return -1;
    *end = p + 1;
    return c != '/' && hit != negate;
}

/* "**" at p is a whole segment of the pattern that starts at start. */
static int globstar(const char *start, const char *p) {
    return p[0] == '*' && p[1] == '*' && (p == start || p[-1] == '/') &&
           (p[2] == '/' || p[2] == '\0');
}

/* The tokens of pattern into t (room for strlen(pattern) of them); returns
 * their count. */
static size_t tokens(const char *pattern, token *t) {
    size_t n = 0;
    const char *p = pattern, *after;
    while (*p) {
        token k = {T_LIT, 0, NULL};
        if (*p == '*' && globstar(pattern, p)) {
            k.kind = p[2] ? T_DIRS : T_REST;
            p += p[2] ? 3 : 2;
        } else if (*p == '*') {
            k.kind = T_STAR;
            while (*p == '*') p++;
        } else if (*p == '?') {
            k.kind = T_ANY;
            p++;
        } else if (*p == '[' && class_match(p + 1, 'a', &after) >= 0) {
            k.kind = T_CLASS;
            k.cls = p + 1;
            p = after;
        } else {
            if (*p == '\\' && p[1]) p++; /* no ']': a '[' is itself, as a lone '\' */
            k.c = (unsigned char)*p++;
        }
        t[n++] = k;
    }
    return n;
}

/* Adds what the states in set reach without reading (set[n]: the end).
 * Returns 1 when a final "**" is reached: the rest of the path matches. */
static int closure(const token *t, size_t n, unsigned char *set) {
    for (size_t i = 0; i < n; i++) {
        if (!set[i]) continue;
        if (t[i].kind == T_REST) return 1;
        if (t[i].kind == T_STAR || t[i].kind == T_DIRS) set[i + 1] = 1;
    }
    return 0;
}

/* One path character c from the states cur (at) and mid (inside a
 * segment a "**" skips) to next and nmid; 0 when none is left. */
static int step(const token *t, size_t n, const unsigned char *cur, const unsigned char *mid,
                unsigned char c, unsigned char *next, unsigned char *nmid) {
    const char *after;
    int any = 0;
    memset(next, 0, n + 1);
    memset(nmid, 0, n + 1);
    for (size_t i = 0; i < n; i++) {
        if (mid[i] || (cur[i] && t[i].kind == T_DIRS)) {
            if (c == '/') next[i] = 1; /* the skipped segment ends: another may start */
            else nmid[i] = 1;
            any = 1;
        }
        if (!cur[i]) continue;
        switch (t[i].kind) {
        case T_LIT: next[i + 1] |= c == t[i].c; break;
        case T_ANY: next[i + 1] |= c != '/'; break;
        case T_CLASS: next[i + 1] |= class_match(t[i].cls, c, &after) == 1; break;
        case T_STAR: next[i] |= c != '/'; break;
        default: break;
        }
    }
    for (size_t i = 0; i <= n && !any; i++) any = next[i];
    return any;
}

int fileglob_match(const char *pattern, const char *path) {
    size_t len = strlen(pattern);
    token small_t[SMALL];
    unsigned char small_s[4 * (SMALL + 1)];
    token *t = small_t;
    unsigned char *sets = small_s;
    if (len > SMALL) {
        t = xmallocarray(len, sizeof *t);
        sets = xmallocarray(len + 1, 4);
    }
    size_t n = tokens(pattern, t);
    unsigned char *cur = sets, *mid = cur + n + 1, *next = mid + n + 1, *nmid = next + n + 1;
    memset(cur, 0, 2 * (n + 1));
    cur[0] = 1;
    int matched = closure(t, n, cur);
    for (const char *s = path; *s && !matched; s++) {
        if (!step(t, n, cur, mid, (unsigned char)*s, next, nmid)) break;
        unsigned char *x = cur;
        cur = next;
        next = x;
        x = mid;
        mid = nmid;
        nmid = x;
        matched = closure(t, n, cur);
        if (!s[1] && !matched) matched = cur[n];
    }
    if (!*path && !matched) matched = cur[n];
    if (t != small_t) {
        free(t);
        free(sets);
    }
    return matched;
}

const char *fileglob_check(const char *pattern) {
    if (!*pattern) return "empty glob";
    for (const char *p = pattern; *p; p++) {
        if (*p == '\\') {
            if (!p[1]) return "glob ends with a lone '\\'";
            p++;
        } else if (*p == '[') {
            const char *after;
            if (class_match(p + 1, 'a', &after) < 0) return "unterminated '[' in glob";
            p = after - 1;
        }
    }
    return NULL;
}
