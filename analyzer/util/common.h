/*
 * common.h - allocation helpers, growable arrays and small string/path
 * utilities shared by every module of cleave.
 *
 * Allocation failure is not recoverable for an analyser: the x* wrappers
 * print one line and exit(4) instead of returning NULL, so callers never
 * check for NULL.  Everything returned by an x* function is freed with free().
 */
#ifndef CLEAVE_COMMON_H
#define CLEAVE_COMMON_H

#include <stddef.h>

/* Exit codes documented in README (and docs/check.md for cleave check). */
enum {
    CLEAVE_EXIT_OK = 0,
    CLEAVE_EXIT_FINDINGS = 1,
    CLEAVE_EXIT_USAGE = 2,     /* usage error or bad input file */
    CLEAVE_EXIT_NOTHING = 3,   /* nothing could be analysed */
    CLEAVE_EXIT_INTERNAL = 4   /* out of memory, I/O failure writing output, no libclang */
};

void *xmalloc(size_t n);
/* n elements of size bytes: exits as on allocation failure when n * size
 * overflows, and allocates at least 1 byte (n or size may be 0), so
 * xmallocarray(n, sizeof *v) needs no guard for an empty array. */
void *xmallocarray(size_t n, size_t size);
/* Zeroed; the same overflow check and at least 1 byte, by calloc itself. */
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* xrealloc of n items of `size` bytes, overflow-checked as xmallocarray. */
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a fresh string; the caller frees it. */
char *xasprintf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/*
 * Growable array: declare a struct with fields `T *v; size_t n, cap;` and
 * use VEC_PUSH(arr, value).  Grows geometrically; free(arr.v) releases it.
 */
#define VEC_RESERVE(a, want)                                              \
    do {                                                                  \
        if ((want) > (a).cap) {                                           \
            size_t c_ = (a).cap ? (a).cap * 2 : 8;                        \
            while (c_ < (want)) c_ *= 2;                                  \
            (a).v = xreallocarray((a).v, c_, sizeof *(a).v);              \
            (a).cap = c_;                                                 \
        }                                                                 \
    } while (0)
#define VEC_PUSH(a, x)                                                    \
    do {                                                                  \
        VEC_RESERVE(a, (a).n + 1);                                        \
        (a).v[(a).n++] = (x);                                             \
    } while (0)

typedef struct strvec {
    char **v;
    size_t n, cap;
} strvec;

/* Appends a copy of s. */
void strvec_push(strvec *sv, const char *s);
/* Appends s itself; the vector takes ownership. */
void strvec_push_owned(strvec *sv, char *s);
void strvec_free(strvec *sv); /* frees the strings and the array; keeps sv */
void strvec_sort(strvec *sv);  /* strcmp order */
int strvec_contains(const strvec *sv, const char *s);

/* Growable string; b.v is NUL-terminated once anything was added; the
 * owner frees b.v. */
typedef struct strbuf {
    char *v;
    size_t n, cap;
} strbuf;

void strbuf_add(strbuf *b, const char *s);
void strbuf_addn(strbuf *b, const char *s, size_t n);
void strbuf_printf(strbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

int str_endswith(const char *s, const char *suffix);
int str_startswith(const char *s, const char *prefix);

/*
 * Paths.  All return fresh strings the caller frees.
 * path_join("a/b", "c") = "a/b/c"; an absolute second part wins.
 * path_normalize removes "." and resolves ".." lexically, without touching
 * the file system, and strips trailing slashes.
 * path_relative(root, p): p relative to root when p lies inside root
 * (both absolute and normalized), else NULL.
 */
char *path_join(const char *a, const char *b);
char *path_normalize(const char *p);
char *path_relative(const char *root, const char *p);
/* Absolute, normalized form of p against the current directory. */
char *path_absolute(const char *p);
char *path_dirname(const char *p);
const char *path_basename(const char *p);

/* Whole file into a NUL-terminated buffer; NULL with errno set on failure.
 * *len (if not NULL) receives the length without the NUL. */
char *file_read_all(const char *path, size_t *len);

/*
 * Writes data to path atomically: a temporary file in the same directory,
 * flushed to the disk (fsync), then rename(2), so readers see the old file
 * or the new one, never a part.  Returns 0, or -1 with errno set (the
 * temporary is removed).
 */
int file_write_atomic(const char *path, const char *data, size_t len);
/* The same without the flush: for files that are checked when read and
 * may be lost in a system crash (cache entries), where an fsync per file
 * would make the writer wait on the disk. */
int file_write_atomic_nosync(const char *path, const char *data, size_t len);

/* Line and column (1-based) of byte offset off in text. */
void text_position(const char *text, size_t off, int *line, int *col);

#endif
