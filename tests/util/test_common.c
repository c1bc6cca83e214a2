/*
 * test_common.c - unit tests of analyzer/util/common.c: allocation helpers
 * (xmallocarray's overflow exit checked in a child process),
 * VEC_PUSH, strvec, string predicates, the lexical path helpers, file
 * reading, atomic file writing and text_position.
 *
 * File tests work in a fresh directory under $TMPDIR (or /tmp) that is
 * removed at the end; nothing is written into the source tree.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/common.h"
#include "test.h"

/* Checks a freshly allocated result against want (NULL = expect NULL),
 * then frees it, so no case leaks even when it fails. */
#define CHECK_FREE_STR(expr, want)                                          \
    do {                                                                    \
        char *got_ = (expr);                                                \
        const char *want_ = (want);                                         \
        if (want_) CHECK_STR(got_, want_);                                  \
        else CHECK(got_ == NULL);                                           \
        free(got_);                                                         \
    } while (0)

static char *tmpdir; /* scratch directory of this run */

static void write_plain(const char *path, const char *data) {
    FILE *f = fopen(path, "wb");
    REQUIRE(f != NULL);
    fputs(data, f);
    fclose(f);
}

/* Number of entries in dir other than . and ..; *temps receives how many
 * look like file_write_atomic temporaries (".<name>.XXXXXX"). */
static int count_entries(const char *dir, int *temps) {
    DIR *d = opendir(dir);
    int n = 0;
    *temps = 0;
    if (!d) return -1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        n++;
        if (e->d_name[0] == '.') (*temps)++;
    }
    closedir(d);
    return n;
}

/* Removes dir and the files and directories directly or one level below it
 * (all this test creates). */
static void remove_tree(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        char *p = path_join(dir, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) remove_tree(p);
        else unlink(p);
        free(p);
    }
    closedir(d);
    rmdir(dir);
}

static void test_alloc(void) {
    char *s = xstrdup("hello");
    CHECK_STR(s, "hello");
    free(s);
    CHECK_FREE_STR(xstrndup("hello", 3), "hel");
    CHECK_FREE_STR(xstrndup("hi", 0), "");
    CHECK_FREE_STR(xasprintf("%s-%d", "tu", 42), "tu-42");
    CHECK_FREE_STR(xasprintf("%s", ""), "");

    /* longer than any small internal buffer */
    char *big = xmalloc(10001);
    memset(big, 'x', 10000);
    big[10000] = '\0';
    char *f = xasprintf("<%s>", big);
    CHECK_INT(strlen(f), 10002);
    CHECK(f[0] == '<' && f[10001] == '>' && f[5000] == 'x');
    free(f);
    free(big);

    /* zero sizes still give a pointer that free accepts */
    void *z = xmalloc(0);
    CHECK(z != NULL);
    free(z);
    int *c = xcalloc(100, sizeof *c);
    int zero = 1;
    for (int i = 0; i < 100; i++) zero &= c[i] == 0;
    CHECK(zero);
    c = xrealloc(c, 1000 * sizeof *c);
    c[999] = 7;
    CHECK_INT(c[0], 0);
    CHECK_INT(c[999], 7);
    free(c);
}

static void test_mallocarray(void) {
    /* n * size bytes, all usable (ASan would stop a write past them) */
    long *v = xmallocarray(1000, sizeof *v);
    for (int i = 0; i < 1000; i++) v[i] = i;
    CHECK_INT(v[999], 999);
    free(v);
    /* empty arrays still give a pointer that free accepts */
    void *z = xmallocarray(0, sizeof(long));
    CHECK(z != NULL);
    free(z);
    z = xmallocarray(10, 0);
    CHECK(z != NULL);
    free(z);
    z = xmallocarray(SIZE_MAX, 0);
    CHECK(z != NULL);
    free(z);
}

/* Runs fn in a child process; returns its exit status (-1 when it did not
 * exit normally) and its stderr in err (NUL-terminated, truncated). */
static int in_child(void (*fn)(void), char *err, size_t errsize) {
    int fd[2];
    REQUIRE(pipe(fd) == 0);
    fflush(NULL);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        dup2(fd[1], 2);
        close(fd[0]);
        close(fd[1]);
        fn();
        _exit(0);
    }
    close(fd[1]);
    size_t n = 0;
    ssize_t got;
    while (n + 1 < errsize && (got = read(fd[0], err + n, errsize - n - 1)) > 0) n += (size_t)got;
    err[n] = '\0';
    close(fd[0]);
    int status;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Both ways a product can overflow: many elements, or huge ones. */
static void many_elements(void) { free(xmallocarray(SIZE_MAX / 8 + 1, 8)); }
static void huge_elements(void) { free(xmallocarray(3, SIZE_MAX / 2)); }

/* An n * size that overflows exits 4 with the out-of-memory line instead
 * of allocating the wrapped-around product. */
static void test_mallocarray_overflow(void) {
    char err[256];
    CHECK_INT(in_child(many_elements, err, sizeof err), CLEAVE_EXIT_INTERNAL);
    CHECK_STR(err, "cleave: out of memory\n");
    CHECK_INT(in_child(huge_elements, err, sizeof err), CLEAVE_EXIT_INTERNAL);
    CHECK_STR(err, "cleave: out of memory\n");
}

static void test_vec(void) {
    struct { int *v; size_t n, cap; } a = {0};
    for (int i = 0; i < 10000; i++) VEC_PUSH(a, i * 3);
    CHECK_INT(a.n, 10000);
    CHECK(a.cap >= a.n);
    int ok = 1;
    for (int i = 0; i < 10000; i++) ok &= a.v[i] == i * 3;
    CHECK(ok);
    free(a.v);

    struct { char *v; size_t n, cap; } b = {0};
    VEC_RESERVE(b, 100);
    CHECK(b.cap >= 100);
    CHECK_INT(b.n, 0);
    size_t cap = b.cap;
    VEC_RESERVE(b, 10); /* never shrinks */
    CHECK_INT(b.cap, cap);
    free(b.v);
}

static void test_strvec(void) {
    strvec sv = {0};
    CHECK(!strvec_contains(&sv, "a"));
    char buf[8] = "pear";
    strvec_push(&sv, buf);
    strcpy(buf, "XXXX"); /* strvec_push copied it */
    strvec_push_owned(&sv, xstrdup("apple"));
    strvec_push(&sv, "fig");
    strvec_push(&sv, "");
    CHECK_INT(sv.n, 4);
    CHECK_STR(sv.v[0], "pear");
    CHECK(strvec_contains(&sv, "apple"));
    CHECK(strvec_contains(&sv, ""));
    CHECK(!strvec_contains(&sv, "XXXX"));
    CHECK(!strvec_contains(&sv, "app"));

    strvec_sort(&sv);
    CHECK_STR(sv.v[0], "");
    CHECK_STR(sv.v[1], "apple");
    CHECK_STR(sv.v[2], "fig");
    CHECK_STR(sv.v[3], "pear");

    strvec_free(&sv);
    CHECK(sv.v == NULL);
    CHECK_INT(sv.n, 0);
    CHECK_INT(sv.cap, 0);
    strvec_free(&sv); /* a freed vector can be freed again */
    strvec_sort(&sv);

    /* reusable after free, and strcmp order puts upper case first */
    for (int i = 999; i >= 0; i--) strvec_push_owned(&sv, xasprintf("k%04d", i));
    strvec_push(&sv, "Z");
    strvec_sort(&sv);
    CHECK_STR(sv.v[0], "Z");
    CHECK_STR(sv.v[1], "k0000");
    CHECK_STR(sv.v[1000], "k0999");
    int sorted = 1;
    for (size_t i = 1; i < sv.n; i++) sorted &= strcmp(sv.v[i - 1], sv.v[i]) < 0;
    CHECK(sorted);
    strvec_free(&sv);
}

static void test_str_predicates(void) {
    CHECK(str_endswith("main.c", ".c"));
    CHECK(str_endswith("main.c", "main.c"));
    CHECK(str_endswith("main.c", ""));
    CHECK(str_endswith("", ""));
    CHECK(!str_endswith("main.c", ".h"));
    CHECK(!str_endswith(".c", "x.c"));
    CHECK(!str_endswith("", "c"));

    CHECK(str_startswith("-Iinclude", "-I"));
    CHECK(str_startswith("-I", "-I"));
    CHECK(str_startswith("abc", ""));
    CHECK(!str_startswith("-D", "-I"));
    CHECK(!str_startswith("-", "-I"));
}

static void test_path_join(void) {
    CHECK_FREE_STR(path_join("a/b", "c"), "a/b/c");
    CHECK_FREE_STR(path_join("a/b/", "c"), "a/b/c");
    CHECK_FREE_STR(path_join("/", "etc"), "/etc");
    CHECK_FREE_STR(path_join("a", "/abs/x"), "/abs/x");
    CHECK_FREE_STR(path_join("", "c"), "c");
    CHECK_FREE_STR(path_join("a", "b/../c"), "a/b/../c"); /* no normalizing */
}

static void test_path_normalize(void) {
    CHECK_FREE_STR(path_normalize("a/./b/../c"), "a/c");
    CHECK_FREE_STR(path_normalize("a//b///"), "a/b");
    CHECK_FREE_STR(path_normalize("./a"), "a");
    CHECK_FREE_STR(path_normalize("a/.."), ".");
    CHECK_FREE_STR(path_normalize("."), ".");
    CHECK_FREE_STR(path_normalize("./"), ".");
    CHECK_FREE_STR(path_normalize(""), ".");
    /* leading ".." of a relative path cannot be resolved and is kept */
    CHECK_FREE_STR(path_normalize(".."), "..");
    CHECK_FREE_STR(path_normalize("../a"), "../a");
    CHECK_FREE_STR(path_normalize("a/../../b"), "../b");
    CHECK_FREE_STR(path_normalize("../../x/../y"), "../../y");
    /* ".." at the root of an absolute path stays at the root */
    CHECK_FREE_STR(path_normalize("/"), "/");
    CHECK_FREE_STR(path_normalize("//a//"), "/a");
    CHECK_FREE_STR(path_normalize("/a/b/../../.."), "/");
    CHECK_FREE_STR(path_normalize("/../etc/./passwd"), "/etc/passwd");
    CHECK_FREE_STR(path_normalize("/usr/lib/../include/"), "/usr/include");
    /* names that merely start with dots are ordinary */
    CHECK_FREE_STR(path_normalize("a/.../b"), "a/.../b");
    CHECK_FREE_STR(path_normalize(".git/./x/..y"), ".git/x/..y");
    CHECK_FREE_STR(path_normalize("a/b/c/../../d/./e/.."), "a/d");

    /* many short segments (the segment table is sized from the length) */
    char *p = xmalloc(2 * 5000 + 1);
    for (int i = 0; i < 5000; i++) memcpy(p + 2 * i, "x/", 2);
    p[2 * 5000] = '\0';
    char *n = path_normalize(p);
    CHECK_INT(strlen(n), 2 * 5000 - 1);
    free(n);
    for (int i = 0; i < 5000; i++) memcpy(p + 2 * i, "./", 2);
    CHECK_FREE_STR(path_normalize(p), ".");
    p[0] = '/';
    CHECK_FREE_STR(path_normalize(p), "/");
    free(p);
}

static void test_path_relative(void) {
    CHECK_FREE_STR(path_relative("/src/proj", "/src/proj/lib/a.c"), "lib/a.c");
    CHECK_FREE_STR(path_relative("/src/proj", "/src/proj"), ".");
    CHECK_FREE_STR(path_relative("/src/proj", "/src/project/a.c"), NULL);
    CHECK_FREE_STR(path_relative("/src/proj", "/src"), NULL);
    CHECK_FREE_STR(path_relative("/src/proj", "/other/a.c"), NULL);
    CHECK_FREE_STR(path_relative("/", "/usr/include/stdio.h"), "usr/include/stdio.h");
    CHECK_FREE_STR(path_relative("/", "/"), ".");
}

/* A second build's unit "file[build]" (frontend/project.h) is its file
 * on disk for the length and for what a header is. */
static void test_path_unit(void) {
    CHECK_INT(path_unit_len("src/common/str.c[FRONTEND]"), 16);
    CHECK_INT(path_unit_len("a.c[!A,B]"), 3);
    CHECK_INT(path_unit_len("a.c"), 3);
    CHECK_INT(path_unit_len("odd]"), 4); /* no '[': as written */
    CHECK_INT(path_unit_len(""), 0);
    CHECK(!path_is_header("src/common/str.c[FRONTEND]"));
    CHECK(!path_is_header("a.c"));
    CHECK(path_is_header("a.h"));
    CHECK(path_is_header("a.c]"));
}

static void test_path_dirname_basename(void) {
    CHECK_FREE_STR(path_dirname("a/b/c.c"), "a/b");
    CHECK_FREE_STR(path_dirname("c.c"), ".");
    CHECK_FREE_STR(path_dirname("/c.c"), "/");
    CHECK_FREE_STR(path_dirname("/usr/include/stdio.h"), "/usr/include");
    CHECK_FREE_STR(path_dirname("./x"), ".");

    CHECK_STR(path_basename("a/b/c.c"), "c.c");
    CHECK_STR(path_basename("c.c"), "c.c");
    CHECK_STR(path_basename("/c.c"), "c.c");
    const char *p = "dir/name";
    CHECK(path_basename(p) == p + 4); /* points into its argument */
}

static void test_path_absolute(void) {
    char *cwd = getcwd(NULL, 0);
    REQUIRE(cwd != NULL);
    char *want = path_join(cwd, "y");
    char *norm = path_normalize(want);
    CHECK_FREE_STR(path_absolute("x/../y"), norm);
    CHECK_FREE_STR(path_absolute("./y/"), norm);
    char *cwdn = path_normalize(cwd);
    CHECK_FREE_STR(path_absolute("."), cwdn);
    CHECK_FREE_STR(path_absolute("/a/./b/../c"), "/a/c");
    free(cwdn);
    free(norm);
    free(want);
    free(cwd);
}

static void test_file_read_all(void) {
    char *p = path_join(tmpdir, "read.txt");
    write_plain(p, "line one\nline two\n");
    size_t len = 0;
    char *s = file_read_all(p, &len);
    CHECK_STR(s, "line one\nline two\n");
    CHECK_INT(len, 18);
    free(s);
    s = file_read_all(p, NULL); /* len is optional */
    CHECK_STR(s, "line one\nline two\n");
    free(s);

    write_plain(p, "");
    s = file_read_all(p, &len);
    CHECK_STR(s, "");
    CHECK_INT(len, 0);
    free(s);

    /* larger than the first buffer, and with an embedded NUL */
    size_t big = 100000;
    char *data = xmalloc(big);
    for (size_t i = 0; i < big; i++) data[i] = (char)('a' + i % 26);
    data[500] = '\0';
    FILE *f = fopen(p, "wb");
    REQUIRE(f != NULL);
    fwrite(data, 1, big, f);
    fclose(f);
    s = file_read_all(p, &len);
    CHECK_INT(len, big);
    CHECK_MEM(s, data, big);
    CHECK(s && s[big] == '\0');
    free(s);
    free(data);
    unlink(p);
    free(p);

    char *missing = path_join(tmpdir, "no-such-file");
    errno = 0;
    CHECK(file_read_all(missing, &len) == NULL);
    CHECK_INT(errno, ENOENT);
    free(missing);
}

static void test_file_write_atomic(void) {
    char *p = path_join(tmpdir, "out.json");
    int temps;

    CHECK_INT(file_write_atomic(p, "{\"a\": 1}\n", 9), 0);
    CHECK_FREE_STR(file_read_all(p, NULL), "{\"a\": 1}\n");
    /* the temporary was renamed, not left behind */
    CHECK_INT(count_entries(tmpdir, &temps), 1);
    CHECK_INT(temps, 0);

    /* replacing an existing file */
    CHECK_INT(file_write_atomic(p, "new", 3), 0);
    CHECK_FREE_STR(file_read_all(p, NULL), "new");
    /* only len bytes are written, NULs included */
    CHECK_INT(file_write_atomic(p, "ab\0cd-ignored", 5), 0);
    size_t len = 0;
    char *s = file_read_all(p, &len);
    CHECK_INT(len, 5);
    CHECK_MEM(s, "ab\0cd", 5);
    free(s);
    CHECK_INT(file_write_atomic(p, "", 0), 0);
    CHECK_FREE_STR(file_read_all(p, NULL), "");
    CHECK_INT(count_entries(tmpdir, &temps), 1);
    CHECK_INT(temps, 0);

    /* a large output, written in more than one write(2) if need be */
    size_t big = 3u << 20;
    char *data = xmalloc(big);
    for (size_t i = 0; i < big; i++) data[i] = (char)(i * 7);
    CHECK_INT(file_write_atomic(p, data, big), 0);
    s = file_read_all(p, &len);
    CHECK_INT(len, big);
    CHECK_MEM(s, data, big);
    free(s);
    free(data);

    /* a bare file name goes to the current directory */
    char *cwd = getcwd(NULL, 0);
    CHECK(cwd && chdir(tmpdir) == 0);
    CHECK_INT(file_write_atomic("bare.txt", "bare", 4), 0);
    CHECK(cwd && chdir(cwd) == 0);
    free(cwd);
    char *bare = path_join(tmpdir, "bare.txt");
    CHECK_FREE_STR(file_read_all(bare, NULL), "bare");
    unlink(bare);
    free(bare);

    /* failures: errno is set and the old file is untouched */
    write_plain(p, "old");

    char *nodir = path_join(tmpdir, "missing-dir/out.json");
    errno = 0;
    CHECK_INT(file_write_atomic(nodir, "x", 1), -1);
    CHECK_INT(errno, ENOENT);
    free(nodir);

    /* the target is a non-empty directory: rename(2) fails after the
     * temporary was written, and the temporary must go */
    char *sub = path_join(tmpdir, "sub");
    CHECK_INT(mkdir(sub, 0700), 0);
    char *inner = path_join(sub, "keep");
    write_plain(inner, "kept");
    errno = 0;
    CHECK_INT(file_write_atomic(sub, "x", 1), -1);
    CHECK(errno == EISDIR || errno == ENOTEMPTY || errno == EEXIST);
    CHECK_FREE_STR(file_read_all(inner, NULL), "kept");
    free(inner);
    free(sub);

    /* the write itself fails half way: a file size limit works even for
     * root, whom a read-only directory would not stop */
    struct rlimit old, lim;
    CHECK_INT(getrlimit(RLIMIT_FSIZE, &old), 0);
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
    lim = old;
    lim.rlim_cur = 4096;
    CHECK_INT(setrlimit(RLIMIT_FSIZE, &lim), 0);
    char *huge = xcalloc(1, 65536);
    errno = 0;
    int rc = file_write_atomic(p, huge, 65536);
    int err = errno;
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, prev);
    free(huge);
    CHECK_INT(rc, -1);
    CHECK_INT(err, EFBIG);
    CHECK_FREE_STR(file_read_all(p, NULL), "old");

    /* a read-only directory (meaningless as root, which ignores it) */
    if (geteuid() != 0) {
        CHECK_INT(chmod(tmpdir, 0500), 0);
        errno = 0;
        CHECK_INT(file_write_atomic(p, "x", 1), -1);
        CHECK_INT(errno, EACCES);
        CHECK_INT(chmod(tmpdir, 0700), 0);
        CHECK_FREE_STR(file_read_all(p, NULL), "old");
    }

    /* out.json and sub/ remain, no temporaries */
    CHECK_INT(count_entries(tmpdir, &temps), 2);
    CHECK_INT(temps, 0);
    free(p);
}

static void test_text_position(void) {
    const char *t = "abc\ndef\n";
    int line = 0, col = 0;
    text_position(t, 0, &line, &col);
    CHECK_INT(line, 1);
    CHECK_INT(col, 1);
    text_position(t, 2, &line, &col);
    CHECK_INT(line, 1);
    CHECK_INT(col, 3);
    text_position(t, 3, &line, &col); /* the newline is the last column */
    CHECK_INT(line, 1);
    CHECK_INT(col, 4);
    text_position(t, 4, &line, &col);
    CHECK_INT(line, 2);
    CHECK_INT(col, 1);
    text_position(t, 6, &line, &col);
    CHECK_INT(line, 2);
    CHECK_INT(col, 3);
    text_position(t, 8, &line, &col); /* the end of the text */
    CHECK_INT(line, 3);
    CHECK_INT(col, 1);
    text_position(t, 1000, &line, &col); /* past the end: stops at the NUL */
    CHECK_INT(line, 3);
    CHECK_INT(col, 1);

    text_position("", 0, &line, &col);
    CHECK_INT(line, 1);
    CHECK_INT(col, 1);
    text_position("\n\n\nx", 3, &line, &col);
    CHECK_INT(line, 4);
    CHECK_INT(col, 1);
    /* columns count bytes, as clang's do: CR, tab and each byte of a UTF-8
     * sequence are one column each */
    text_position("a\r\nb", 1, &line, &col);
    CHECK_INT(line, 1);
    CHECK_INT(col, 2);
    text_position("a\r\nb", 3, &line, &col);
    CHECK_INT(line, 2);
    CHECK_INT(col, 1);
    text_position("\tx", 1, &line, &col);
    CHECK_INT(col, 2);
    text_position("\xc3\xa9x", 2, &line, &col);
    CHECK_INT(line, 1);
    CHECK_INT(col, 3);
}

/* Only regular files are read: a FIFO or a device fails at once (opening
 * a FIFO for reading would wait for a writer), a folder with EISDIR. */
static void test_file_read_regular(void) {
    char *fifo = path_join(tmpdir, "fifo");
    REQUIRE(mkfifo(fifo, 0600) == 0);
    size_t len = 0;
    errno = 0;
    CHECK(file_read_all(fifo, &len) == NULL);
    CHECK_INT(errno, CLEAVE_ENOTREG);
    CHECK_STR(file_strerror(errno), "not a regular file");
    errno = 0;
    CHECK(file_read_all("/dev/zero", &len) == NULL);
    CHECK_INT(errno, CLEAVE_ENOTREG);
    errno = 0;
    CHECK(file_read_all(tmpdir, &len) == NULL);
    CHECK_INT(errno, EISDIR);
    CHECK_STR(file_strerror(ENOENT), strerror(ENOENT));
    /* /proc says 0 bytes and holds more */
    char *self = file_read_all("/proc/self/status", &len);
    CHECK(self != NULL && len > 0 && strstr(self, "Name:") != NULL);
    free(self);
    unlink(fifo);
    free(fifo);
}

/* What file_write_output does with what the path names. */
static void test_file_write_output(void) {
    char *dir = path_join(tmpdir, "outputs");
    REQUIRE(mkdir(dir, 0700) == 0);
    char *file = path_join(dir, "plain.json"), *link = path_join(dir, "link.json");
    char *fifo = path_join(dir, "fifo"), *full = path_join(dir, "full");
    char *dangling = path_join(dir, "dangling");

    /* absent, then a regular file: written, replaced */
    CHECK_INT(file_write_output(file, "one", 3, FILE_OUT_NAMED), 0);
    CHECK_INT(file_write_output(file, "two", 3, FILE_OUT_CONTAINED), 0);
    CHECK_FREE_STR(file_read_all(file, NULL), "two");
    /* a link: NAMED follows it and keeps it; CONTAINED refuses it */
    REQUIRE(symlink(file, link) == 0);
    CHECK_INT(file_write_output(link, "three", 5, FILE_OUT_NAMED), 0);
    struct stat st;
    CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
    CHECK_FREE_STR(file_read_all(file, NULL), "three");
    errno = 0;
    CHECK_INT(file_write_output(link, "four", 4, FILE_OUT_CONTAINED), -1);
    CHECK_INT(errno, CLEAVE_ELINK);
    CHECK_FREE_STR(file_read_all(file, NULL), "three");
    /* a link to nothing is written through by neither */
    REQUIRE(symlink("/nonexistent/cleave", dangling) == 0);
    errno = 0;
    CHECK_INT(file_write_output(dangling, "x", 1, FILE_OUT_NAMED), -1);
    CHECK_INT(errno, CLEAVE_EDANGLING);
    /* a device, through a link: written through, the link kept; full is ENOSPC */
    REQUIRE(symlink("/dev/full", full) == 0);
    errno = 0;
    CHECK_INT(file_write_output(full, "x", 1, FILE_OUT_NAMED), -1);
    CHECK_INT(errno, ENOSPC);
    CHECK(lstat(full, &st) == 0 && S_ISLNK(st.st_mode));
    /* a FIFO: CONTAINED refuses it at once (no reader: it would block) */
    REQUIRE(mkfifo(fifo, 0600) == 0);
    errno = 0;
    CHECK_INT(file_write_output(fifo, "x", 1, FILE_OUT_CONTAINED), -1);
    CHECK_INT(errno, CLEAVE_ENOTREG);
    /* a folder */
    errno = 0;
    CHECK_INT(file_write_output(dir, "x", 1, FILE_OUT_NAMED), -1);
    CHECK_INT(errno, EISDIR);

    unlink(full);
    unlink(dangling);
    unlink(fifo);
    unlink(link);
    unlink(file);
    rmdir(dir);
    free(dangling);
    free(full);
    free(fifo);
    free(link);
    free(file);
    free(dir);
}

static void test_utf8_and_printable(void) {
    CHECK_INT(utf8_seq_len("a"), 1);
    CHECK_INT(utf8_seq_len("\xC3\xA9"), 2);             /* é */
    CHECK_INT(utf8_seq_len("\xE6\x97\xA5"), 3);         /* 日 */
    CHECK_INT(utf8_seq_len("\xF0\x9F\x98\x80"), 4);     /* U+1F600 */
    CHECK_INT(utf8_seq_len("\xE9t\xE9"), 0);             /* Latin-1 */
    CHECK_INT(utf8_seq_len("\xC0\x80"), 0);              /* overlong NUL */
    CHECK_INT(utf8_seq_len("\xE0\x80\xAF"), 0);          /* overlong '/' */
    CHECK_INT(utf8_seq_len("\xED\xA0\x80"), 0);          /* a surrogate */
    CHECK_INT(utf8_seq_len("\xF4\x90\x80\x80"), 0);      /* past U+10FFFF */
    CHECK_INT(utf8_seq_len("\xC3"), 0);                  /* cut short by the NUL */
    CHECK_INT(utf8_seq_len("\x80"), 0);                  /* a lone continuation */

    CHECK_FREE_STR(str_printable("plain ünï/日本.c back\\slash"), "plain ünï/日本.c back\\slash");
    CHECK_FREE_STR(str_printable("a\x1b[2Jb\x07"), "a\\x1b[2Jb\\x07");
    CHECK_FREE_STR(str_printable("two\nlines\r\tx\x7f"), "two\\nlines\\r\\tx\\x7f");
    CHECK_FREE_STR(str_printable("c1 \xC2\x9B" "31m"), "c1 \\u009b31m");
    CHECK_FREE_STR(str_printable("caf\xE9 \xFF"), "caf\\xe9 \\xff");
    CHECK_FREE_STR(str_printable(""), "");
}

static const test_case cases[] = {
    {"alloc", test_alloc},
    {"mallocarray", test_mallocarray},
    {"mallocarray_overflow", test_mallocarray_overflow},
    {"vec", test_vec},
    {"strvec", test_strvec},
    {"str_predicates", test_str_predicates},
    {"path_join", test_path_join},
    {"path_normalize", test_path_normalize},
    {"path_relative", test_path_relative},
    {"path_unit", test_path_unit},
    {"path_dirname_basename", test_path_dirname_basename},
    {"path_absolute", test_path_absolute},
    {"file_read_all", test_file_read_all},
    {"file_write_atomic", test_file_write_atomic},
    {"file_read_regular", test_file_read_regular},
    {"file_write_output", test_file_write_output},
    {"utf8_and_printable", test_utf8_and_printable},
    {"text_position", test_text_position},
};

int main(int argc, char **argv) {
    const char *base = getenv("TMPDIR");
    char *tmpl = path_join(base && *base ? base : "/tmp", "cleave-test-common-XXXXXX");
    tmpdir = mkdtemp(tmpl);
    if (!tmpdir) {
        perror(tmpl);
        free(tmpl);
        return 1;
    }
    int rc = test_main(argc, argv, cases, TEST_COUNT(cases));
    remove_tree(tmpdir);
    free(tmpl);
    return rc;
}
