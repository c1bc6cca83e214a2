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
/* qsort comparator of size_t values, ascending. */
int size_cmp(const void *a, const void *b);
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
/* A file whose functions are compiled into every file including it: in
 * the plan's sense, any source that is not a .c file (.h, .inc, .def). */
int path_is_header(const char *p);
/* The length of unit name u's file on disk: u less a trailing "[build]",
 * the name of a second build of the file (frontend/project.h,
 * project_job_unit). */
size_t path_unit_len(const char *u);

/*
 * errno values of cleave's own for the file functions below, outside the
 * range of the system's: file_strerror names them, strerror does not.
 * CLEAVE_ENOTREG: an input that is not a regular file (a FIFO, a device,
 * a socket), which could block a reader forever or never end;
 * CLEAVE_ELINK: a symbolic link where cleave names the output file itself
 * (inside an output folder); CLEAVE_EDANGLING: a symbolic link to nothing.
 */
enum { CLEAVE_ENOTREG = 0x10000, CLEAVE_ELINK, CLEAVE_EDANGLING };

/* strerror(err), or the wording of one of the codes above; static
 * storage. */
const char *file_strerror(int err);

/*
 * Whole file into a NUL-terminated buffer; NULL with errno set on failure.
 * *len (if not NULL) receives the length without the NUL.  Only a regular
 * file is read: it is opened without blocking and checked first, so a
 * FIFO or a device fails at once with CLEAVE_ENOTREG (EISDIR for a
 * directory) instead of hanging or reading forever.
 */
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

/*
 * An output file: what file_write_output does with what path names now.
 * Nothing is ever partly written over a regular file: it is replaced
 * atomically (file_write_atomic) or, on failure, left as it was.
 *  - absent, or a regular file: written atomically;
 *  - FILE_OUT_NAMED (the user named the path: -o FILE): a symbolic link
 *    is followed and the regular file it leads to replaced atomically, the
 *    link kept; anything else that is not a directory (/dev/null, a FIFO,
 *    a terminal) is opened and written through, never replaced;
 *  - FILE_OUT_CONTAINED (cleave names the file inside an output folder,
 *    which may lie in a tree someone else wrote): a symbolic link fails
 *    with CLEAVE_ELINK and anything else that is not a regular file with
 *    CLEAVE_ENOTREG, so a planted link or FIFO is never written through.
 * Every write, flush and close is checked.  Returns 0, or -1 with errno
 * set (ENOSPC on a full disk; file_strerror words cleave's codes).
 */
enum file_out_kind { FILE_OUT_NAMED, FILE_OUT_CONTAINED };
int file_write_output(const char *path, const char *data, size_t len, enum file_out_kind kind);

/* Length of the well-formed UTF-8 sequence at s (1 to 4 bytes: no
 * overlong form, no surrogate, nothing above U+10FFFF), or 0 when the
 * bytes at s are not one; s is NUL-terminated. */
size_t utf8_seq_len(const char *s);

/*
 * s made safe to print on one line of a terminal or a CI log: control
 * characters become escapes (\n, \r, \t, else \xNN; the C1 controls
 * U+0080-U+009F as \u0080..\u009f) and each byte that is not part of
 * well-formed UTF-8 becomes \xNN; everything else, backslashes included,
 * is kept.  str_printable returns a fresh string (the caller frees it);
 * strbuf_add_printable appends to b.  Every message that echoes text from
 * an input file goes through one of them.
 */
char *str_printable(const char *s);
void strbuf_add_printable(strbuf *b, const char *s);

/*
 * Libraries print on stderr what cleave cannot stop: libclang its crash
 * report ("libclang: crash detected during parsing", after libstdc++'s
 * "terminate called after throwing an instance of 'std::bad_alloc'") and
 * what LIBCLANG_TIMING or LIBCLANG_RESOURCE_USAGE ask for; no index or
 * parse option turns that off.  stderr_silence points file descriptor 2 at
 * /dev/null (for a quiet scan, while units are parsed) and stderr_restore
 * puts it back; in between, cleave's own messages still reach the real
 * stderr through stderr_printf, which the paths that can print while
 * units are parsed use (out of memory, libclang missing, the cache).
 * Not nested; call both from one thread, with no other thread running.
 */
void stderr_silence(void);
void stderr_restore(void);
/* printf to the real stderr, whether silenced or not; at most 1023 bytes,
 * no allocation (it reports running out of memory). */
void stderr_printf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* Line and column (1-based) of byte offset off in text. */
void text_position(const char *text, size_t off, int *line, int *col);

#endif
