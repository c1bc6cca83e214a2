/*
 * common.c - allocation wrappers, string vectors, lexical path helpers and
 * atomic file writing.  See common.h for the ownership rules.
 */
#define _XOPEN_SOURCE 700
#include "util/common.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void oom(void) {
    stderr_printf("cleave: out of memory\n");
    exit(CLEAVE_EXIT_INTERNAL);
}

/* Where stderr_printf writes: the real stderr, kept aside while fd 2 is
 * silenced. */
static int real_stderr = STDERR_FILENO;

void stderr_silence(void) {
    fflush(stderr);
    int saved = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
    int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (saved >= 0 && null >= 0 && dup2(null, STDERR_FILENO) >= 0) {
        real_stderr = saved;
        saved = -1;
    }
    if (null >= 0) close(null);
    if (saved >= 0) close(saved);
}

void stderr_restore(void) {
    if (real_stderr == STDERR_FILENO) return;
    fflush(stderr);
    dup2(real_stderr, STDERR_FILENO);
    close(real_stderr);
    real_stderr = STDERR_FILENO;
}

void stderr_printf(const char *fmt, ...) {
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    size_t len = (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1;
    fflush(stderr); /* after what stdio holds, not before it */
    for (size_t off = 0; off < len;) {
        ssize_t w = write(real_stderr, buf + off, len - off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) break;
        off += (size_t)w;
    }
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

int size_cmp(const void *a, const void *b) {
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
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

int path_is_header(const char *p) {
    size_t n = path_unit_len(p); /* a second build of a .c file is a .c file */
    return !(n >= 2 && p[n - 2] == '.' && p[n - 1] == 'c');
}

size_t path_unit_len(const char *u) {
    size_t n = strlen(u);
    if (n && u[n - 1] == ']') {
        const char *b = strrchr(u, '[');
        if (b) return (size_t)(b - u);
    }
    return n;
}

const char *file_strerror(int err) {
    switch (err) {
    case CLEAVE_ENOTREG: return "not a regular file";
    case CLEAVE_ELINK:
        return "a symbolic link; cleave writes no file through a link it did not name";
    case CLEAVE_EDANGLING: return "a symbolic link to nothing";
    default: return strerror(err);
    }
}

char *file_read_all(const char *path, size_t *len) {
    /* O_NONBLOCK: opening a FIFO for reading would wait for a writer */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat st;
    int err = 0;
    char *buf = NULL;
    if (fstat(fd, &st) != 0) {
        err = errno;
        goto cleanup;
    }
    if (!S_ISREG(st.st_mode)) {
        err = S_ISDIR(st.st_mode) ? EISDIR : CLEAVE_ENOTREG;
        goto cleanup;
    }
    /* the size is a hint (files in /proc say 0, a file may grow): room
     * for it, the NUL and one byte more, so reading the end needs no growth */
    size_t cap = (size_t)st.st_size + 2 > 8192 ? (size_t)st.st_size + 2 : 8192, n = 0;
    buf = xmalloc(cap);
    for (;;) {
        if (n + 1 >= cap) buf = xrealloc(buf, cap *= 2);
        ssize_t got = read(fd, buf + n, cap - n - 1);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            err = errno;
            break;
        }
        if (got == 0) break;
        n += (size_t)got;
    }
    if (!err) {
        buf[n] = '\0';
        if (len) *len = n;
    }
cleanup:
    close(fd);
    if (err) {
        free(buf);
        errno = err;
        return NULL;
    }
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

/* Writes data to fd through to the end; 0, or -1 with errno set. */
static int writeall(int fd, const char *data, size_t len) {
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) return -1;
        off += (size_t)w;
    }
    return 0;
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
    if (writeall(fd, data, len) != 0) goto fail;
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

/* Opens what path names (a device, a FIFO) and writes data into it. */
static int writethrough(const char *path, const char *data, size_t len) {
    int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return -1;
    if (writeall(fd, data, len) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return close(fd);
}

int file_write_output(const char *path, const char *data, size_t len, enum file_out_kind kind) {
    struct stat st, lst;
    int link = lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode);
    if (stat(path, &st) != 0) {
        if (errno != ENOENT) return -1;
        if (link) {
            errno = kind == FILE_OUT_NAMED ? CLEAVE_EDANGLING : CLEAVE_ELINK;
            return -1;
        }
        return writeatomic(path, data, len, 1);
    }
    if (S_ISDIR(st.st_mode)) {
        errno = EISDIR;
        return -1;
    }
    if (kind == FILE_OUT_CONTAINED && (link || !S_ISREG(st.st_mode))) {
        errno = link ? CLEAVE_ELINK : CLEAVE_ENOTREG;
        return -1;
    }
    if (!S_ISREG(st.st_mode)) return writethrough(path, data, len);
    if (!link) return writeatomic(path, data, len, 1);
    /* the link stays; the file it leads to is replaced beside itself */
    char *target = realpath(path, NULL);
    if (!target) return -1;
    int rc = writeatomic(target, data, len, 1);
    int saved = errno;
    free(target);
    errno = saved;
    return rc;
}

size_t utf8_seq_len(const char *s) {
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] < 0x80) return 1;
    size_t n;
    unsigned long cp;
    if (u[0] >= 0xC2 && u[0] <= 0xDF) {
        n = 2;
        cp = u[0] & 0x1Fu;
    } else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
        n = 3;
        cp = u[0] & 0x0Fu;
    } else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
        n = 4;
        cp = u[0] & 0x07u;
    } else {
        return 0; /* a continuation byte, an overlong lead (C0, C1) or F5..FF */
    }
    for (size_t i = 1; i < n; i++) {
        if ((u[i] & 0xC0) != 0x80) return 0; /* the NUL ends a sequence too */
        cp = cp << 6 | (u[i] & 0x3Fu);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

void strbuf_add_printable(strbuf *b, const char *s) {
    static const char HEX[] = "0123456789abcdef";
    strbuf_addn(b, "", 0);
    while (*s) {
        unsigned char c = (unsigned char)*s;
        size_t n = utf8_seq_len(s);
        if (c >= 0x20 && c != 0x7f && n == 1) {
            const char *run = s;
            while ((unsigned char)*s >= 0x20 && *s != 0x7f && (unsigned char)*s < 0x80) s++;
            strbuf_addn(b, run, (size_t)(s - run));
            continue;
        }
        char e[7] = {'\\', 'x', HEX[c >> 4], HEX[c & 15], 0, 0, 0};
        size_t elen = 4;
        if (c == '\n' || c == '\r' || c == '\t') {
            e[1] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
            elen = 2;
        } else if (n == 2 && c == 0xC2 && (unsigned char)s[1] < 0xA0) {
            unsigned char c1 = (unsigned char)s[1]; /* a C1 control: U+0080..U+009F */
            memcpy(e + 1, "u00", 3);
            e[4] = HEX[c1 >> 4];
            e[5] = HEX[c1 & 15];
            elen = 6;
        } else if (n > 1) {
            strbuf_addn(b, s, n); /* printable UTF-8 */
            s += n;
            continue;
        }
        strbuf_addn(b, e, elen);
        s += n > 1 ? n : 1;
    }
}

char *str_printable(const char *s) {
    strbuf b = {0};
    strbuf_add_printable(&b, s);
    return b.v;
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
