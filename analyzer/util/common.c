/*
 * common.c - allocation wrappers, string vectors, lexical path helpers and
 * atomic file writing.  See common.h for the ownership rules.
 */
#define _POSIX_C_SOURCE 200809L
#include "util/common.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void oom(void) {
    fputs("cleave: out of memory\n", stderr);
    exit(CLEAVE_EXIT_INTERNAL);
}

/* Appends printf output to b: first into the free space, then once more
 * after growing when it did not fit. */
static void vprintbuf(strbuf *b, const char *fmt, va_list ap) {
    va_list again;
    va_copy(again, ap);
    VEC_RESERVE(*b, b->n + 64);
    size_t room = b->cap - b->n;
    int n = vsnprintf(b->v + b->n, room, fmt, ap);
    if (n < 0) oom();
    if ((size_t)n >= room) {
        VEC_RESERVE(*b, b->n + (size_t)n + 1);
        vsnprintf(b->v + b->n, (size_t)n + 1, fmt, again);
    }
    va_end(again);
    b->n += (size_t)n;
}

void *xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) oom();
    return p;
}

void *xmallocarray(size_t n, size_t size) {
    if (size && n > SIZE_MAX / size) oom(); /* no such amount of memory */
    return xmalloc(n * size);
}

void *xreallocarray(void *p, size_t n, size_t size) {
    if (size && n > SIZE_MAX / size) oom();
    return xrealloc(p, n * size);
}

void *xcalloc(size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) oom();
    return p;
}

void *xrealloc(void *p, size_t n) {
    p = realloc(p, n ? n : 1);
    if (!p) oom();
    return p;
}

char *xstrdup(const char *s) {
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n) {
    char *d = xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *xasprintf(const char *fmt, ...) {
    strbuf b = {0};
    va_list ap;
    va_start(ap, fmt);
    vprintbuf(&b, fmt, ap);
    va_end(ap);
    return b.v;
}

void strvec_push(strvec *sv, const char *s) {
    VEC_PUSH(*sv, xstrdup(s));
}

void strvec_push_owned(strvec *sv, char *s) {
    VEC_PUSH(*sv, s);
}

void strvec_free(strvec *sv) {
    for (size_t i = 0; i < sv->n; i++) free(sv->v[i]);
    free(sv->v);
    sv->v = NULL;
    sv->n = sv->cap = 0;
}

static int cmpstr(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void strvec_sort(strvec *sv) {
    if (sv->n > 1) qsort(sv->v, sv->n, sizeof *sv->v, cmpstr);
}

int strvec_contains(const strvec *sv, const char *s) {
    for (size_t i = 0; i < sv->n; i++)
        if (strcmp(sv->v[i], s) == 0) return 1;
    return 0;
}

void strbuf_addn(strbuf *b, const char *s, size_t n) {
    VEC_RESERVE(*b, b->n + n + 1);
    memcpy(b->v + b->n, s, n);
    b->n += n;
    b->v[b->n] = '\0';
}

void strbuf_add(strbuf *b, const char *s) {
    strbuf_addn(b, s, strlen(s));
}

void strbuf_printf(strbuf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vprintbuf(b, fmt, ap);
    va_end(ap);
}

int str_endswith(const char *s, const char *suffix) {
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

int str_startswith(const char *s, const char *prefix) {
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

char *path_join(const char *a, const char *b) {
    if (b[0] == '/' || a[0] == '\0') return xstrdup(b);
    size_t la = strlen(a);
    if (a[la - 1] == '/') return xasprintf("%s%s", a, b);
    return xasprintf("%s/%s", a, b);
}

char *path_normalize(const char *p) {
    size_t len = strlen(p);
    int abs = p[0] == '/';
    /* segments are kept as (start,len) pairs into p */
    const char **seg = xmallocarray(len / 2 + 2, sizeof *seg);
    size_t *sl = xmallocarray(len / 2 + 2, sizeof *sl);
    size_t n = 0;
    const char *s = p;
    while (*s) {
        while (*s == '/') s++;
        if (!*s) break;
        const char *e = s;
        while (*e && *e != '/') e++;
        size_t l = (size_t)(e - s);
        if (l == 1 && s[0] == '.') {
            /* skip */
        } else if (l == 2 && s[0] == '.' && s[1] == '.') {
            if (n > 0 && !(sl[n - 1] == 2 && memcmp(seg[n - 1], "..", 2) == 0))
                n--;
            else if (!abs) {
                seg[n] = s;
                sl[n++] = l;
            }
        } else {
            seg[n] = s;
            sl[n++] = l;
        }
        s = e;
    }
    char *out = xmalloc(len + 2);
    size_t o = 0;
    if (abs) out[o++] = '/';
    for (size_t i = 0; i < n; i++) {
        if (i) out[o++] = '/';
        memcpy(out + o, seg[i], sl[i]);
        o += sl[i];
    }
    if (o == 0) out[o++] = '.';
    out[o] = '\0';
    free(seg);
    free(sl);
    return out;
}

char *path_relative(const char *root, const char *p) {
    size_t lr = strlen(root);
    if (strcmp(root, "/") == 0) return p[1] ? xstrdup(p + 1) : xstrdup(".");
    if (strncmp(root, p, lr) != 0) return NULL;
    if (p[lr] == '\0') return xstrdup(".");
    if (p[lr] != '/') return NULL;
    return xstrdup(p + lr + 1);
}

char *path_absolute(const char *p) {
    if (p[0] == '/') return path_normalize(p);
    char *cwd = getcwd(NULL, 0);
    if (!cwd) return path_normalize(p);
    char *j = path_join(cwd, p);
    char *r = path_normalize(j);
    free(cwd);
    free(j);
    return r;
}

char *path_dirname(const char *p) {
    const char *slash = strrchr(p, '/');
    if (!slash) return xstrdup(".");
    if (slash == p) return xstrdup("/");
    return xstrndup(p, (size_t)(slash - p));
}

const char *path_basename(const char *p) {
    const char *slash = strrchr(p, '/');
    return slash ? slash + 1 : p;
}

char *file_read_all(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 8192, n = 0;
    char *buf = xmalloc(cap);
    int err = 0;
    for (;;) {
        if (n + 1 >= cap) buf = xrealloc(buf, cap *= 2);
        errno = 0;
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) err = errno ? errno : EIO; /* EISDIR for a directory */
            break;
        }
    }
    fclose(f);
    if (err) {
        free(buf);
        errno = err;
        return NULL;
    }
    buf[n] = '\0';
    if (len) *len = n;
    return buf;
}

/* The process umask, read once: reading it means setting it, which must
 * not race with the scan's worker threads writing cache entries. */
static mode_t process_umask;
static pthread_once_t umask_once = PTHREAD_ONCE_INIT;

static void readumask(void) {
    process_umask = umask(0);
    umask(process_umask);
}

static int writeatomic(const char *path, const char *data, size_t len, int sync) {
    char *dir = path_dirname(path);
    char *tmpl = xasprintf("%s/.%s.XXXXXX", dir, path_basename(path));
    int rc = -1, saved = 0;
    int fd = mkstemp(tmpl);
    if (fd < 0) goto cleanup;
    /* mkstemp creates 0600; an output file gets the usual 0666 & ~umask */
    pthread_once(&umask_once, readumask);
    if (fchmod(fd, 0666 & ~process_umask) != 0) goto fail;
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0) {
            if (errno == EINTR) continue;
            goto fail;
        }
        off += (size_t)w;
    }
    if (sync && fsync(fd) != 0) goto fail;
    if (close(fd) != 0) {
        fd = -1;
        goto fail;
    }
    fd = -1;
    if (rename(tmpl, path) != 0) goto fail;
    rc = 0;
    goto cleanup;
fail:
    saved = errno;
    if (fd >= 0) close(fd);
    unlink(tmpl);
    errno = saved;
cleanup:
    free(tmpl);
    free(dir);
    return rc;
}

int file_write_atomic(const char *path, const char *data, size_t len) {
    return writeatomic(path, data, len, 1);
}

int file_write_atomic_nosync(const char *path, const char *data, size_t len) {
    return writeatomic(path, data, len, 0);
}

void text_position(const char *text, size_t off, int *line, int *col) {
    int l = 1, c = 1;
    for (size_t i = 0; i < off && text[i]; i++) {
        if (text[i] == '\n') {
            l++;
            c = 1;
        } else {
            c++;
        }
    }
    *line = l;
    *col = c;
}
