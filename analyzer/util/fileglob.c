/*
 * fileglob.c - whole-path glob matching with globstar segments (see fileglob.h).
 *
 * A backtracking matcher: '*' tries every split inside the current segment
 * and "**" every later segment start, so a pattern with k stars costs at
 * most O(n^k) on a path of length n - fine for the few short patterns of a
 * configuration file.  No allocation, no recursion beyond one level per
 * star in the pattern.
 */
#include "util/fileglob.h"

#include <stddef.h>

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

static int match(const char *start, const char *p, const char *s) {
    for (;;) {
        const char *after;
        int r;
        switch (*p) {
        case '\0':
            return *s == '\0';
        case '*':
            if (globstar(start, p)) {
                if (p[2] == '\0') return 1; /* a trailing "**" takes the rest */
                p += 3;
                /* zero segments, then each later segment start */
                for (;;) {
                    if (match(start, p, s)) return 1;
                    while (*s && *s != '/') s++;
                    if (!*s) return 0;
                    s++;
                }
            }
            while (*p == '*') p++;
            for (;;) {
                if (match(start, p, s)) return 1;
                if (*s == '\0' || *s == '/') return 0;
                s++;
            }
        case '?':
            if (*s == '\0' || *s == '/') return 0;
            p++;
            s++;
            break;
        case '[':
            r = *s ? class_match(p + 1, (unsigned char)*s, &after) : 0;
            if (r < 0) goto literal; /* no ']': the '[' is itself */
            if (!r) return 0;
            p = after;
            s++;
            break;
        case '\\':
            if (p[1]) p++;
            goto literal;
        default:
        literal:
            if (*p != *s) return 0;
            p++;
            s++;
            break;
        }
    }
}

int fileglob_match(const char *pattern, const char *path) {
    return match(pattern, pattern, path);
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
