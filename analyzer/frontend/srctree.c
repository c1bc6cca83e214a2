/*
 * srctree.c - the fallback without a compilation database: every .c file
 * under the root becomes a job, with include paths guessed from the tree.
 *
 * Include paths: every folder holding a header, every folder named
 * `include`, and, for an include like "readline/readline.h" that only
 * resolves under some deeper folder (lib/readline/readline.h), that folder
 * (lib).  All absolute, sorted.  Hidden folders, VCS folders, build output
 * folders (build, _build, out, cmake-build-*) and node_modules are not
 * walked, nor are symlinked folders; a symlinked file is read only when it
 * leads to a folder the project may read (project.h), with a warning
 * otherwise, and a FIFO or a device in the tree stops the scan (the parser
 * would block on it).
 *
 * An unconfigured checkout lacks the headers its build would generate
 * (config.h, version.h, ...).  Each #include of a file that is neither in
 * the tree nor a system header gets a stand-in, written to a temporary
 * directory (never into the tree) at the header's path relative to the
 * root; that mirrored folder goes first in the include paths:
 *  - made from a template H.in or H.cmake found in the tree when there is
 *    one, with feature switches turned on (guess_value says which): each
 *    `#undef X` of a config-header template (render says which templates
 *    are), or CMake's #cmakedefine, and @VAR@ / ${VAR} substitutions;
 *  - else empty, for a quoted include or an angled <config.h>.  Other
 *    angled includes name libraries not installed here: a stand-in would
 *    only hide that.
 * -DHAVE_CONFIG_H is added when a config.h exists, real or stand-in, since
 * autoconf projects include it only under that macro.
 *
 * #include lines are read textually, ignoring conditionals: a stand-in
 * for a header only some other platform uses costs nothing.
 *
 * Memory: the scan state is freed before returning; the jobs, stand-in
 * records and the stand-in directory belong to the project.
 */
#define _XOPEN_SOURCE 700
#include "frontend/project.h"

#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/strmap.h"

#define COUNT(a) (sizeof(a) / sizeof *(a))

typedef struct textbuf {
    char *v;
    size_t n, cap;
} textbuf;

static void tb_addn(textbuf *b, const char *s, size_t n) {
    VEC_RESERVE(*b, b->n + n + 1);
    memcpy(b->v + b->n, s, n);
    b->n += n;
    b->v[b->n] = '\0';
}

static void tb_add(textbuf *b, const char *s) {
    tb_addn(b, s, strlen(s));
}

typedef struct scan {
    project *p;
    strvec files;     /* every regular file, relative to the root, sorted */
    strmap *fileset;  /* the same, for lookups */
    strvec sources;   /* .c files */
    strvec grammars;  /* .y and .l files */
    strvec includers; /* files whose #includes are checked; grows with templates used */
    strvec incdirs;   /* include folders, relative ("." is the root) */
    strmap *incset;
    strvec sysdirs;   /* system include folders, absolute */
    strvec syssub;    /* their subfolders some include needs (pkg-config's -I), absolute */
    strmap *settled;  /* "<name" / "\"name": a system header, or stood in for */
    strmap *templated; /* base names of headers with a template: "config.h" for config.h.in */
    strmap *configured; /* header configure makes -> index in `cfgfrom` (configured()) */
    strvec cfgfrom;     /* ... its template, both relative to the root */
    strmap *made;     /* stand-in header (relative) -> 1 */
    strvec mirrors;   /* folders under standin_dir to pass as -I, relative */
    strmap *mirrorset;
    char *err;        /* first I/O error writing stand-ins */
    int listing;      /* only listing the tree beside a database: nothing refused or warned */
    strbuf build;     /* the tree's build scripts, read once when first needed */
    int build_read;
    strmap *macros;   /* macro name -> M_* flags, from the preprocessor lines read */
    strvec tested;    /* the names with M_TESTED, in the order first seen */
    strmap *requires; /* .c file (relative) -> index in `required` */
    strvec required;  /* the macro each such file #errors without */
} scan;

/* What the preprocessor lines of the tree do with a macro (scan.macros). */
enum {
    M_TESTED = 1,  /* an #if, #elif or #ifdef names it */
    M_DEFINED = 2, /* a #define or #undef names it */
};

static const char *const template_suffixes[] = {".in", ".cmake"};

/* ---- walking ------------------------------------------------------------ */

static int skipped_dir(const char *name) {
    static const char *const skip[] = {"CVS", "RCS", "SCCS", "_darcs", "build",
                                       "_build", "out", "node_modules"};
    if (str_startswith(name, "cmake-build-")) return 1;
    for (size_t i = 0; i < COUNT(skip); i++)
        if (strcmp(name, skip[i]) == 0) return 1;
    return 0;
}

static void add_incdir(scan *s, const char *rel) {
    int added = 0;
    strmap_intern(s->incset, rel, 1, &added);
    if (added) strvec_push(&s->incdirs, rel);
}

/* What the walk makes of one entry: 1 to record it (st filled), 0 to pass
 * it over, with a warning when the reason is worth one, or -1 after
 * setting s->err.  A FIFO or a device (one an #include could name) is
 * refused outright: the parser would block on it or read it forever.  A
 * symbolic link is followed to a regular file inside the readable folders
 * only, since symlinked folders loop or leave the tree and a linked file
 * outside would be read as the project's. */
static int entry(scan *s, const char *full, struct stat *st) {
    if (lstat(full, st) != 0) {
        if (errno == ENAMETOOLONG)
            strvec_push_owned(
                &s->p->warnings,
                xasprintf("%s: path longer than the system allows (%d bytes); not read", full,
                          PATH_MAX));
        return 0;
    }
    int link = S_ISLNK(st->st_mode);
    if (link && stat(full, st) != 0) return 0; /* dangling */
    if (S_ISFIFO(st->st_mode) || S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode)) {
        if (s->listing) return 0;
        if (!s->err)
            s->err = xasprintf("%s: %s; cleave reads only regular files", full,
                               file_strerror(CLEAVE_ENOTREG));
        return -1;
    }
    if (!link) return S_ISREG(st->st_mode) || S_ISDIR(st->st_mode);
    if (!S_ISREG(st->st_mode)) return 0;
    if (project_within(&s->p->readable, full)) return 1;
    if (s->listing) return 0;
    char *real = realpath(full, NULL);
    strvec_push_owned(&s->p->warnings,
                      xasprintf("%s: a symbolic link to %s, outside the project; not read", full,
                                real ? real : "?"));
    free(real);
    return 0;
}

/* Records the files under rel (a folder relative to the root, "." for the
 * root).  Hidden entries are skipped, so are symlinked folders (entry
 * says why); unreadable folders are passed over. */
static void walk(scan *s, const char *rel) {
    int top = strcmp(rel, ".") == 0;
    char *abs = top ? xstrdup(s->p->root) : path_join(s->p->root, rel);
    DIR *d = opendir(abs);
    if (!d) {
        free(abs);
        return;
    }
    strvec subdirs = {0};
    int has_header = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL && !s->err) {
        const char *name = de->d_name;
        struct stat st;
        if (name[0] == '.') continue;
        char *full = path_join(abs, name);
        int ok = entry(s, full, &st) == 1;
        free(full);
        if (!ok) continue;
        char *r = top ? xstrdup(name) : path_join(rel, name);
        if (S_ISDIR(st.st_mode) && !skipped_dir(name)) {
            strvec_push_owned(&subdirs, r);
        } else if (S_ISREG(st.st_mode)) {
            strmap_put(s->fileset, r, 1);
            if (str_endswith(r, ".c")) strvec_push(&s->sources, r);
            if (str_endswith(r, ".y") || str_endswith(r, ".l")) strvec_push(&s->grammars, r);
            if (str_endswith(r, ".c") || str_endswith(r, ".h")) strvec_push(&s->includers, r);
            if (str_endswith(r, ".h")) has_header = 1;
            strvec_push_owned(&s->files, r);
        } else {
            free(r);
        }
    }
    closedir(d);
    free(abs);
    if (has_header || strcmp(path_basename(rel), "include") == 0) add_incdir(s, rel);
    /* recursing after closedir keeps one directory stream open at a time */
    for (size_t i = 0; i < subdirs.n && !s->err; i++) walk(s, subdirs.v[i]);
    strvec_free(&subdirs);
}

/* System include folders, without running a compiler to ask. */
static void find_sysdirs(strvec *out) {
    static const char *const fixed[] = {"/usr/local/include", "/usr/include"};
    static const char *const globs[] = {"/usr/include/*-linux-gnu*", "/usr/lib/gcc/*/*/include"};
    struct stat st;
    for (size_t i = 0; i < COUNT(fixed); i++)
        if (stat(fixed[i], &st) == 0 && S_ISDIR(st.st_mode)) strvec_push(out, fixed[i]);
    for (size_t i = 0; i < COUNT(globs); i++) {
        glob_t g;
        if (glob(globs[i], 0, NULL, &g) == 0)
            for (size_t j = 0; j < g.gl_pathc; j++)
                if (stat(g.gl_pathv[j], &st) == 0 && S_ISDIR(st.st_mode))
                    strvec_push(out, g.gl_pathv[j]);
        globfree(&g);
    }
}

static int exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

/* The path of system header `name`, or NULL; the caller frees it. */
static char *system_header(const scan *s, const char *name) {
    for (size_t i = 0; i < s->sysdirs.n; i++) {
        char *c = path_join(s->sysdirs.v[i], name);
        if (exists(c)) return c;
        free(c);
    }
    return NULL;
}

/* A header that only fails: GCC still ships <varargs.h> as an #error.  An
 * #error outside any conditional but the include guard marks one, and a
 * configure check compiling it would fail. */
static int poisoned(const char *path) {
    char *text = file_read_all(path, NULL);
    int depth = 0, bad = 0;
    for (const char *l = text; l && *l && !bad;) {
        while (*l == ' ' || *l == '\t') l++;
        if (*l == '#') {
            for (l++; *l == ' ' || *l == '\t'; l++) {}
            if (str_startswith(l, "if")) depth++;
            else if (str_startswith(l, "endif")) depth--;
            else if (str_startswith(l, "error") && depth <= 1) bad = 1;
        }
        l = strchr(l, '\n');
        if (l) l++;
    }
    free(text);
    return bad;
}

/* ---- feature switches --------------------------------------------------- */

/* Sizes on LP64 Linux, the platform cleave targets. */
static const struct {
    const char *type;
    const char *size;
} lp64[] = {
    {"CHAR", "1"}, {"UNSIGNED_CHAR", "1"}, {"SIGNED_CHAR", "1"}, {"_BOOL", "1"},
    {"BOOL", "1"}, {"INT8_T", "1"}, {"UINT8_T", "1"}, {"SHORT", "2"},
    {"SHORT_INT", "2"}, {"UNSIGNED_SHORT", "2"}, {"INT16_T", "2"}, {"UINT16_T", "2"},
    {"INT", "4"}, {"UNSIGNED", "4"}, {"UNSIGNED_INT", "4"}, {"INT32_T", "4"},
    {"UINT32_T", "4"}, {"FLOAT", "4"}, {"WCHAR_T", "4"}, {"WINT_T", "4"},
    {"PID_T", "4"}, {"UID_T", "4"}, {"GID_T", "4"}, {"MODE_T", "4"},
    {"SOCKLEN_T", "4"}, {"LONG", "8"}, {"LONG_INT", "8"}, {"UNSIGNED_LONG", "8"},
    {"LONG_LONG", "8"}, {"LONG_LONG_INT", "8"}, {"UNSIGNED_LONG_LONG", "8"},
    {"INT64_T", "8"}, {"UINT64_T", "8"}, {"DOUBLE", "8"}, {"SIZE_T", "8"},
    {"SSIZE_T", "8"}, {"OFF_T", "8"}, {"OFF64_T", "8"}, {"TIME_T", "8"},
    {"CLOCK_T", "8"}, {"PTRDIFF_T", "8"}, {"INTMAX_T", "8"}, {"UINTMAX_T", "8"},
    {"INTPTR_T", "8"}, {"UINTPTR_T", "8"}, {"DEV_T", "8"}, {"INO_T", "8"},
    {"NLINK_T", "8"}, {"BLKSIZE_T", "8"}, {"BLKCNT_T", "8"}, {"LONG_DOUBLE", "16"},
    {"__INT128", "16"},
};

/* Does HAVE_<what>_H name a header of this machine?  autoconf turned '/',
 * '.' and '-' into '_', so each '_' in `what` may have been a '/' or a '_':
 * try the spellings (sys_time -> sys/time.h, sys_time.h). */
static int header_switch(const scan *s, const char *what, size_t n) {
    char *h = xmalloc(n + 3);
    size_t under[10], k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = what[i];
        h[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        if (c == '_' && i > 0 && k < COUNT(under)) under[k++] = i;
    }
    memcpy(h + n, ".h", 3);
    int found = 0;
    for (unsigned long m = 0; !found && m < (1UL << k); m++) {
        for (size_t j = 0; j < k; j++) h[under[j]] = (m >> j) & 1 ? '/' : '_';
        char *path = system_header(s, h);
        found = path && !poisoned(path);
        free(path);
    }
    free(h);
    return found;
}

/*
 * The value a configure run on this machine would most likely give to
 * macro `name` (length n), or NULL to leave it undefined.
 *  - HAVE_<X>_H: "1" when that header exists on this machine;
 *  - other HAVE_*, HAS_*, ENABLE_*, USE_* and STDC_HEADERS: "1" - code
 *    behind a feature switch is code worth seeing;
 *  - SIZEOF_<TYPE>: its LP64 size, for the types listed above;
 *  - anything else (const, inline, size_t, PACKAGE_*, WORDS_BIGENDIAN,
 *    _FILE_OFFSET_BITS, ...): undefined, the safe default of a modern
 *    compiler on a little-endian machine.
 */
static const char *guess_value(const scan *s, const char *name, size_t n) {
    if (n > 7 && strncmp(name, "HAVE_", 5) == 0 && strncmp(name + n - 2, "_H", 2) == 0)
        return header_switch(s, name + 5, n - 7) ? "1" : NULL;
    if (strncmp(name, "HAVE_", 5) == 0 || strncmp(name, "HAS_", 4) == 0 ||
        strncmp(name, "ENABLE_", 7) == 0 || strncmp(name, "USE_", 4) == 0 ||
        (n == 12 && strncmp(name, "STDC_HEADERS", 12) == 0))
        return "1";
    /* AC_CHECK_SIZEOF's SIZEOF_INT, also under the project's prefix
     * (Vim's VIM_SIZEOF_INT) */
    for (size_t k = 0; k + 7 < n; k++) {
        if ((k && name[k - 1] != '_') || strncmp(name + k, "SIZEOF_", 7) != 0) continue;
        const char *t = name + k + 7;
        size_t m = n - k - 7;
        for (size_t i = 0; i < COUNT(lp64); i++)
            if (strlen(lp64[i].type) == m && strncmp(lp64[i].type, t, m) == 0) return lp64[i].size;
        /* any pointer type: CHAR_P, VOID_P, INT_P, ... */
        if (m > 2 && strncmp(t + m - 2, "_P", 2) == 0) return "8";
        break;
    }
    return NULL;
}

/* ---- rendering templates ------------------------------------------------ */

static int ident_start(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static int ident_char(char c) {
    return ident_start(c) || (c >= '0' && c <= '9');
}

static size_t ident_len(const char *s) {
    size_t n = 0;
    if (!ident_start(s[0])) return 0;
    while (ident_char(s[n])) n++;
    return n;
}

/* Length of an @VAR@ or ${VAR} reference at s, 0 if none; *name, *len get
 * the variable. */
static size_t var_ref(const char *s, const char **name, size_t *len) {
    if (s[0] == '@' && (*len = ident_len(s + 1)) && s[1 + *len] == '@') {
        *name = s + 1;
        return *len + 2;
    }
    if (s[0] == '$' && s[1] == '{' && (*len = ident_len(s + 2)) && s[2 + *len] == '}') {
        *name = s + 2;
        return *len + 3;
    }
    return 0;
}

/* A file template (configure_file, AC_CONFIG_FILES) rather than an
 * autoheader one: it substitutes variables instead of #undef lines. */
static int file_template(const char *text) {
    if (strstr(text, "#cmakedefine")) return 1;
    for (const char *t = text; *t; t++) {
        const char *name;
        size_t len;
        if (var_ref(t, &name, &len)) return 1;
    }
    return 0;
}

/* Does the name say it switches something off or works around breakage
 * (NO_THREADS, DISABLE_X, HAVE_BROKEN_MMAP, NEED_X, WORDS_BIGENDIAN), or
 * that it builds for debugging (WITH_MEM_DEBUG), which a configured build
 * seldom does?  Whole words of the name count: WITH_DEBUGGER (a feature)
 * is not WITH_DEBUG.  Such a build option stays off when cleave turns
 * options on. */
static int negative_name(const char *id, size_t len) {
    static const char *const negative[] = {"NO",   "MISSING", "BROKEN", "DISABLE", "DISABLED",
                                           "WITHOUT", "NEED", "NEEDS", "NEEDED", "BUG",
                                           "BUGS", "BUGGY", "DEBUG", "BIGENDIAN"};
    for (size_t at = 0; at < len;) {
        size_t w = 0;
        while (at + w < len && id[at + w] != '_') w++;
        for (size_t i = 0; i < COUNT(negative); i++)
            if (strlen(negative[i]) == w && strncmp(id + at, negative[i], w) == 0) return 1;
        at += w + 1;
    }
    return 0;
}

/* Is line (n bytes) an #if or #elif, whose @VAR@s are build options? */
static int condition_line(const char *line, size_t n) {
    size_t i = 0;
    while (i < n && (line[i] == ' ' || line[i] == '\t')) i++;
    if (i >= n || line[i] != '#') return 0;
    for (i++; i < n && (line[i] == ' ' || line[i] == '\t'); i++) {}
    size_t len = ident_len(line + i);
    return (len == 2 && strncmp(line + i, "if", 2) == 0) ||
           (len == 4 && strncmp(line + i, "elif", 4) == 0);
}

/*
 * Copies line (n bytes, no newline) with @VAR@ and ${VAR} replaced: by the
 * guessed value when there is one, else by nothing inside a string literal
 * ("@PACKAGE_VERSION@" -> "") and by 0 outside one, where an empty
 * expansion would break an #if or an arithmetic use.  In an #if or #elif
 * (`#if @WITH_THREADS@`, `#elif @X@ == 1`) a variable is a build option
 * that configure sets to 1 or 0, so one with no guess is switched on, as
 * a config header's #undef options are (named_option), unless its name
 * says it switches something off; a header check that failed
 * (HAVE_<X>_H for a header this machine lacks) stays 0.
 */
static void substitute(const scan *s, const char *line, size_t n, textbuf *out, int *switches) {
    int quoted = 0, cond = condition_line(line, n);
    for (size_t i = 0; i < n;) {
        const char *name;
        size_t len, ref = var_ref(line + i, &name, &len);
        if (ref && i + ref <= n) {
            const char *v = guess_value(s, name, len);
            int header = len > 7 && strncmp(name, "HAVE_", 5) == 0 &&
                         strncmp(name + len - 2, "_H", 2) == 0;
            if (!v && cond && !header && !negative_name(name, len)) v = "1";
            if (v) (*switches)++;
            tb_add(out, v ? v : quoted ? "" : "0");
            i += ref;
            continue;
        }
        if (line[i] == '"' && (i == 0 || line[i - 1] != '\\')) quoted = !quoted;
        tb_addn(out, line + i, 1);
        i++;
    }
}

/* If line is `#<ws>directive<ws>IDENT...`, returns a pointer to IDENT and
 * sets *lead to the length of the text before '#'. */
static const char *directive(const char *line, size_t n, const char *dir, size_t *lead) {
    size_t i = 0, dl = strlen(dir);
    while (i < n && (line[i] == ' ' || line[i] == '\t')) i++;
    *lead = i;
    if (i >= n || line[i] != '#') return NULL;
    for (i++; i < n && (line[i] == ' ' || line[i] == '\t'); i++) {}
    if (n - i < dl || strncmp(line + i, dir, dl) != 0) return NULL;
    i += dl;
    if (i >= n || (line[i] != ' ' && line[i] != '\t')) return NULL;
    while (i < n && (line[i] == ' ' || line[i] == '\t')) i++;
    return i < n && ident_start(line[i]) ? line + i : NULL;
}

/* An autoheader template, whose every #undef line is a switch, rather than
 * a header merely copied by AC_CONFIG_FILES, where `#undef gettext` means
 * what it says: autoheader's banner, or a config-like name. */
static int config_template(const char *from, const char *text) {
    char *head = xstrndup(text, strnlen(text, 512));
    char *base = xstrdup(path_basename(from));
    for (char *c = base; *c; c++)
        if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
    int r = strstr(head, "by autoheader") || strstr(base, "conf");
    free(head);
    free(base);
    return r;
}

/* Types a C library declares itself: an autoconf fallback for them
 * ("Define to `int' if <sys/types.h> doesn't define") must stay off, or
 * the macro would clash with the real typedef. */
static const char *const SYSTYPES[] = {
    "size_t", "ssize_t", "pid_t", "uid_t", "gid_t", "off_t", "mode_t", "time_t", "clock_t",
    "dev_t", "ino_t", "nlink_t", "id_t", "sigset_t", "sig_atomic_t", "socklen_t", "ptrdiff_t",
    "intmax_t", "uintmax_t", "intptr_t", "uintptr_t", "wchar_t", "wint_t", "mbstate_t",
    "int8_t", "int16_t", "int32_t", "int64_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t",
    "u_int", "u_long", "u_short", "u_char", "quad_t", "u_quad_t", "fpos_t", "off64_t",
    "blksize_t", "blkcnt_t", "fsblkcnt_t", "fsfilcnt_t", "suseconds_t", "useconds_t", "key_t",
    "rlim_t", "nfds_t", "locale_t", "stack_t", "va_list", "const", "inline", "volatile", "restrict",
};

/* The X of an autoconf type check's comment "Define to `X' if ...", copied
 * into buf, or 0 when the line has none. */
static int type_fallback(const char *line, size_t n, char *buf, size_t size) {
    const char *t = NULL;
    for (size_t i = 0; i + 11 <= n && !t; i++)
        if (strncmp(line + i, "Define to `", 11) == 0) t = line + i + 11;
    if (!t) return 0;
    const char *e = t;
    while (e < line + n && *e != '\'' && *e != '`') e++;
    if (e >= line + n || e == t || (size_t)(e - t) >= size) return 0;
    memcpy(buf, t, (size_t)(e - t));
    buf[e - t] = '\0';
    return 1;
}

static int systype(const char *id, size_t len) {
    for (size_t i = 0; i < COUNT(SYSTYPES); i++)
        if (strlen(SYSTYPES[i]) == len && strncmp(SYSTYPES[i], id, len) == 0) return 1;
    return 0;
}

/* Is `#undef id` a build option the template's comment describes by name
 * ("Define ALIAS if you want the alias features.")?  Those are the
 * --enable-* switches: on, except where the name says it switches
 * something off or works around breakage. */
static int named_option(const char *comment, size_t clen, const char *id, size_t len) {
    if (negative_name(id, len)) return 0;
    for (size_t i = 0; comment && i + 7 + len < clen; i++)
        if (strncmp(comment + i, "Define ", 7) == 0 && strncmp(comment + i + 7, id, len) == 0 &&
            !ident_char(comment[i + 7 + len]))
            return 1;
    /* "defined always when using configure" (Vim's UNIX): configure
     * defines it on every run, whatever it finds */
    static const char *const always[] = {"defined always", "always defined"};
    for (size_t k = 0; comment && k < COUNT(always); k++)
        for (size_t i = 0, n = strlen(always[k]); i + n <= clen; i++)
            if (strncmp(comment + i, always[k], n) == 0) return 1;
    return 0;
}

/* The header made from template text; *switches counts macros given a value. */
static char *render(const scan *s, const char *text, const char *from, int *switches) {
    textbuf out = {0};
    int vars = file_template(text);
    int undefs = !vars && config_template(from, text);
    char *banner = xasprintf("/* Stand-in made by cleave from %s: this tree was never configured,\n"
                             "   so feature switches were guessed for this machine. */\n",
                             from);
    tb_add(&out, banner);
    free(banner);
    *switches = 0;
    char fallback[64] = "";
    const char *comment = NULL; /* start of the comment before the next #undef */
    for (const char *line = text; *line;) {
        const char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line), lead, len;
        const char *id;
        for (size_t i = 0; i + 1 < n; i++)
            if (line[i] == '/' && line[i + 1] == '*') {
                comment = line + i;
                break;
            }
        if (undefs && type_fallback(line, n, fallback, sizeof fallback)) {
            tb_addn(&out, line, n);
        } else if (undefs && (id = directive(line, n, "undef", &lead))) {
            len = ident_len(id);
            const char *v = guess_value(s, id, len);
            /* a type configure would have found missing: its fallback */
            if (!v && fallback[0] && !systype(id, len)) v = fallback;
            if (!v && named_option(comment, comment ? (size_t)(line - comment) : 0, id, len)) v = "1";
            fallback[0] = '\0';
            comment = NULL;
            tb_addn(&out, line, lead);
            if (v) {
                (*switches)++;
                tb_add(&out, "#define ");
                tb_addn(&out, id, len);
                tb_add(&out, " ");
                tb_add(&out, v);
            } else {
                tb_add(&out, "/* #undef ");
                tb_addn(&out, id, len);
                tb_add(&out, " */");
            }
        } else if (vars && (id = directive(line, n, "cmakedefine01", &lead))) {
            len = ident_len(id);
            const char *v = guess_value(s, id, len);
            if (v) (*switches)++;
            tb_addn(&out, line, lead);
            tb_add(&out, "#define ");
            tb_addn(&out, id, len);
            tb_add(&out, v ? " 1" : " 0");
        } else if (vars && (id = directive(line, n, "cmakedefine", &lead))) {
            len = ident_len(id);
            tb_addn(&out, line, lead);
            if (guess_value(s, id, len)) {
                (*switches)++;
                tb_add(&out, "#define ");
                /* the rest of the line is the value, itself substituted */
                substitute(s, id, n - (size_t)(id - line), &out, switches);
            } else {
                tb_add(&out, "/* #undef ");
                tb_addn(&out, id, len);
                tb_add(&out, " */");
            }
        } else if (vars) {
            substitute(s, line, n, &out, switches);
        } else {
            tb_addn(&out, line, n);
        }
        if (!nl) break;
        tb_add(&out, "\n");
        line = nl + 1;
    }
    return out.v;
}

/* ---- stand-ins ---------------------------------------------------------- */

/* mkdir -p of rel (normalized, relative) under base, which exists. */
static int make_dirs(const char *base, const char *rel) {
    if (strcmp(rel, ".") == 0) return 0;
    char *d = path_join(base, rel);
    int rc = 0;
    for (size_t i = strlen(base) + 1; rc == 0; i++) {
        char c = d[i];
        if (c != '/' && c) continue;
        d[i] = '\0';
        if (mkdir(d, 0700) != 0 && errno != EEXIST) rc = -1;
        d[i] = c;
        if (!c) break;
    }
    free(d);
    return rc;
}

static int ensure_standin_dir(scan *s) {
    if (s->p->standin_dir) return 0;
    /* $TMPDIR unless it lies inside the tree, which cleave never writes to */
    const char *env = getenv("TMPDIR");
    char *tmp = env && env[0] == '/' ? path_normalize(env) : NULL;
    char *rel = tmp ? path_relative(s->p->root, tmp) : NULL;
    int rc = -1;
    if (!tmp || rel) {
        free(tmp);
        free(rel);
        tmp = xstrdup("/tmp");
        rel = path_relative(s->p->root, tmp);
    }
    if (rel) {
        s->err = xasprintf("%s: nowhere outside the tree to put stand-in headers", s->p->root);
        goto cleanup;
    }
    char *t = xasprintf("%s/cleave-standins-XXXXXX", tmp);
    if (!mkdtemp(t)) {
        s->err = xasprintf("%s: cannot create a temporary directory: %s", tmp, strerror(errno));
        free(t);
        goto cleanup;
    }
    s->p->standin_dir = t;
    project_guard_standins(s->p);
    project_add_readable(s->p, t);
    rc = 0;
cleanup:
    free(rel);
    free(tmp);
    return rc;
}

static void add_mirror(scan *s, const char *rel) {
    int added = 0;
    strmap_intern(s->mirrorset, rel, 1, &added);
    if (!added) return;
    strvec_push(&s->mirrors, rel);
    if (make_dirs(s->p->standin_dir, rel) != 0 && !s->err)
        s->err = xasprintf("%s/%s: %s", s->p->standin_dir, rel, strerror(errno));
}

/* The template for header `name`: under an include folder first, else the
 * shallowest file anywhere named <name>.in or <name>.cmake.  NULL if none;
 * the caller frees the result. */
static char *find_template(const scan *s, const char *name) {
    char *found = NULL;
    for (size_t k = 0; k < COUNT(template_suffixes) && !found; k++) {
        char *tn = xasprintf("%s%s", name, template_suffixes[k]);
        char *slash = xasprintf("/%s", tn);
        for (size_t i = 0; i < s->incdirs.n && !found; i++) {
            char *j = path_join(s->incdirs.v[i], tn);
            found = path_normalize(j);
            free(j);
            if (!strmap_get(s->fileset, found, NULL)) {
                free(found);
                found = NULL;
            }
        }
        const char *best = NULL;
        for (size_t i = 0; i < s->files.n && !found; i++) {
            const char *f = s->files.v[i];
            if ((strcmp(f, tn) == 0 || str_endswith(f, slash)) &&
                (!best || strlen(f) < strlen(best)))
                best = f;
        }
        if (best) found = xstrdup(best);
        free(slash);
        free(tn);
    }
    return found;
}

static int cmp_standin(const void *a, const void *b) {
    return strcmp(((const project_standin *)a)->header, ((const project_standin *)b)->header);
}

/* Writes the stand-in for header T (relative to the root) unless made. */
static void make_standin(scan *s, const char *target, char *from) {
    int added = 0;
    strmap_intern(s->made, target, 1, &added);
    if (!added) {
        free(from);
        return;
    }
    int switches = 0;
    char *body = NULL;
    if (from) {
        char *tabs = path_join(s->p->root, from);
        char *text = file_read_all(tabs, NULL);
        free(tabs);
        if (text) {
            body = render(s, text, from, &switches);
        } else { /* unreadable template: an empty stand-in is all we can do */
            free(from);
            from = NULL;
        }
        free(text);
    }
    if (!body)
        body = xasprintf("/* Empty stand-in made by cleave for %s, which the build of this\n"
                         "   tree would generate: it was never built. */\n",
                         target);
    char *abs = path_join(s->p->standin_dir, target);
    char *dir = path_dirname(target);
    FILE *f = NULL;
    if (make_dirs(s->p->standin_dir, dir) != 0 || !(f = fopen(abs, "w")) ||
        fputs(body, f) == EOF) {
        if (!s->err) s->err = xasprintf("%s: %s", abs, strerror(errno));
    }
    if (f && fclose(f) != 0 && !s->err) s->err = xasprintf("%s: %s", abs, strerror(errno));
    project_standin rec = {xstrdup(target), from, switches};
    VEC_PUSH(s->p->standins, rec);
    /* the template's own #includes resolve from where the stand-in sits */
    if (from) strvec_push(&s->includers, from);
    free(body);
    free(abs);
    free(dir);
}

/* ---- resolving includes ------------------------------------------------- */

static int in_tree(const scan *s, const char *dir, const char *name) {
    char *j = path_join(dir, name);
    char *c = path_normalize(j);
    int r = !str_startswith(c, "../") && strmap_get(s->fileset, c, NULL);
    free(j);
    free(c);
    return r;
}

/* The folder F such that F/name is a file of the tree, found by suffix:
 * "readline/readline.h" -> "lib" for lib/readline/readline.h, "." for
 * libxslt/libxslt.h at the root.  NULL if none. */
static char *deeper_incdir(const scan *s, const char *name) {
    if (strmap_get(s->fileset, name, NULL)) return xstrdup(".");
    char *slash = xasprintf("/%s", name);
    const char *best = NULL;
    for (size_t i = 0; i < s->files.n; i++)
        if (str_endswith(s->files.v[i], slash) && (!best || strlen(s->files.v[i]) < strlen(best)))
            best = s->files.v[i];
    free(slash);
    return best ? xstrndup(best, strlen(best) - strlen(name) - 1) : NULL;
}

/* A library that installs its headers one folder down, where pkg-config
 * would point (<libxml/tree.h> in /usr/include/libxml2): the first such
 * folder of a system include folder, in name order, joins s->syssub.
 * Only for a name with a folder in it ("libxml/tree.h"), which a library
 * owns; a bare "config.h" could be any package's.  1 when found. */
static int system_subdir(scan *s, const char *name) {
    if (!strchr(name, '/')) return 0;
    for (size_t i = 0; i < s->sysdirs.n; i++) {
        char *pat = xasprintf("%s/*/%s", s->sysdirs.v[i], name);
        glob_t g;
        int found = glob(pat, 0, NULL, &g) == 0 && g.gl_pathc > 0;
        if (found) {
            /* glob sorts; the folder is the match less "/name" */
            const char *m = g.gl_pathv[0];
            char *dir = xstrndup(m, strlen(m) - strlen(name) - 1);
            if (!strvec_contains(&s->syssub, dir)) strvec_push(&s->syssub, dir);
            free(dir);
        }
        globfree(&g);
        free(pat);
        if (found) return 1;
    }
    return 0;
}

/* A build script: what configure, make, CMake or meson read, and the
 * extension-less shell fragments some configure scripts source (nginx's
 * auto/options). */
static int build_script(const char *rel) {
    static const char *const names[] = {"configure", "configure.ac", "configure.in", "Makefile",
                                        "GNUmakefile", "CMakeLists.txt", "meson.build"};
    static const char *const exts[] = {".am", ".mk", ".cmake", ".m4", ".sh"};
    const char *base = path_basename(rel);
    for (size_t i = 0; i < COUNT(names); i++)
        if (strcmp(base, names[i]) == 0) return 1;
    for (size_t i = 0; i < COUNT(exts); i++)
        if (str_endswith(base, exts[i])) return 1;
    return str_startswith(base, "Makefile") || !strchr(base, '.');
}

/* Is `name` written in one of the tree's build scripts (a whole word)?
 * The scripts are read on the first question, each up to 1 MiB. */
static int named_by_build(scan *s, const char *name) {
    if (!s->build_read) {
        s->build_read = 1;
        strbuf_add(&s->build, "\n");
        for (size_t i = 0; i < s->files.n; i++) {
            struct stat st;
            char *abs = path_join(s->p->root, s->files.v[i]);
            if (build_script(s->files.v[i]) && stat(abs, &st) == 0 && st.st_size <= (1 << 20)) {
                char *text = file_read_all(abs, NULL);
                if (text) strbuf_add(&s->build, text);
                strbuf_add(&s->build, "\n");
                free(text);
            }
            free(abs);
        }
    }
    size_t n = strlen(name);
    for (const char *at = s->build.v ? strstr(s->build.v, name) : NULL; at;
         at = strstr(at + 1, name))
        if (!ident_char(at[-1]) && at[-1] != '.' && !ident_char(at[n]) && at[n] != '.') return 1;
    return 0;
}

/*
 * Is the missing angled include <name> a header this project's build
 * generates?  Some projects include their own headers with angle brackets
 * (nginx: <ngx_config.h>, and <ngx_auto_config.h>, which its configure
 * writes).  Two signs are asked for, so that a library this machine lacks
 * (<pcre.h>, <openssl/ssl.h>) is never hidden behind an empty stand-in:
 * the name begins like some header of the tree (its part up to the first
 * '_' or '-', of two characters at least: "ngx_"), and a build script of
 * the tree names it.
 */
static int generated_angled(scan *s, const char *name) {
    size_t k = strcspn(name, "_-");
    if (strchr(name, '/') || k < 2 || !name[k]) return 0;
    int family = 0;
    for (size_t i = 0; i < s->files.n && !family; i++) {
        const char *base = path_basename(s->files.v[i]);
        family = str_endswith(base, ".h") && strncmp(base, name, k + 1) == 0;
    }
    return family && named_by_build(s, name);
}

static size_t depth(const char *rel) {
    size_t d = 0;
    for (; *rel; rel++) d += *rel == '/';
    return d;
}

/*
 * The template of `name` when the copy of it found in include folder
 * `incdir` only stands in for the header the build generates from that
 * template, else NULL (the caller frees the result).  libxml2 ships
 * win32/VC10/config.h for Windows builds and config.h.in for configure,
 * which writes ./config.h: every folder holding a header is an include
 * folder here, so the Windows header would be read.  A template of that
 * name (s->templated) whose header is missing and that sits no deeper in
 * the tree than the copy found wins; the stand-in goes first in the
 * include paths.
 */
static char *shadowing_template(scan *s, const char *incdir, const char *name) {
    if (!strmap_get(s->templated, path_basename(name), NULL)) return NULL;
    char *from = find_template(s, name);
    if (!from) return NULL;
    char *target = xstrndup(from, strlen(from) - (str_endswith(from, ".in") ? 3 : 6));
    char *j = path_join(incdir, name), *found = path_normalize(j);
    int shadows = !strmap_get(s->fileset, target, NULL) && depth(from) <= depth(found);
    free(j);
    free(found);
    free(target);
    if (shadows) return from;
    free(from);
    return NULL;
}

/* Reads the header list of one AC_CONFIG_HEADERS(...) call at `args`
 * (after the parenthesis) in script `rel`: "auto/config.h:config.h.in"
 * makes auto/config.h from config.h.in, both beside the script; a bare
 * "config.h" is made from config.h.in.  Names with shell or m4 syntax
 * other than [quotes] are skipped: nothing here is run. */
static void config_headers(scan *s, const char *rel, const char *args) {
    size_t n = strcspn(args, ")");
    char *dir = path_dirname(rel);
    for (size_t i = 0; i < n;) {
        while (i < n && strchr(" \t\n\r[],", args[i])) i++;
        size_t k = i;
        while (k < n && !strchr(" \t\n\r[],", args[k])) k++;
        if (k == i) break;
        char *item = xstrndup(args + i, k - i);
        i = k;
        if (strpbrk(item, "$`()'\"\\") || strlen(item) > 512) {
            free(item);
            continue;
        }
        char *colon = strchr(item, ':');
        if (colon) *colon = '\0';
        char *in = colon ? xstrndup(colon + 1, strcspn(colon + 1, ":")) : xasprintf("%s.in", item);
        char *o = path_join(dir, item), *t = path_join(dir, in);
        char *out = path_normalize(o), *from = path_normalize(t);
        int added = 0;
        if (*in && !str_startswith(out, "../") && strmap_get(s->fileset, from, NULL))
            strmap_intern(s->configured, out, s->cfgfrom.n, &added);
        if (added) strvec_push(&s->cfgfrom, from);
        free(from);
        free(out);
        free(t);
        free(o);
        free(in);
        free(item);
    }
    free(dir);
}

/*
 * The template configure makes the header at `target` (relative to the
 * root) from, as the tree's configure.ac or configure.in names it, or
 * NULL; the caller frees the result.  A template need not sit beside its
 * header nor share its name: Vim's src/configure.ac says
 * AC_CONFIG_HEADERS(auto/config.h:config.h.in), and vim.h includes
 * "auto/config.h".  The scripts are read on the first question (1 MiB
 * each at most).
 */
static char *configured(scan *s, const char *target) {
    if (!s->configured) {
        s->configured = strmap_new();
        static const char *const calls[] = {"AC_CONFIG_HEADERS(", "AC_CONFIG_HEADER(",
                                            "AM_CONFIG_HEADER("};
        for (size_t i = 0; i < s->files.n; i++) {
            const char *base = path_basename(s->files.v[i]);
            struct stat st;
            if (strcmp(base, "configure.ac") != 0 && strcmp(base, "configure.in") != 0) continue;
            char *abs = path_join(s->p->root, s->files.v[i]);
            char *text = stat(abs, &st) == 0 && st.st_size <= (1 << 20)
                             ? file_read_all(abs, NULL)
                             : NULL;
            for (size_t c = 0; text && c < COUNT(calls); c++)
                for (const char *at = strstr(text, calls[c]); at; at = strstr(at + 1, calls[c]))
                    if (at == text || !ident_char(at[-1]))
                        config_headers(s, s->files.v[i], at + strlen(calls[c]));
            free(text);
            free(abs);
        }
    }
    size_t k;
    return strmap_get(s->configured, target, &k) ? xstrdup(s->cfgfrom.v[k]) : NULL;
}

static void resolve(scan *s, const char *includer, const char *written, int angled) {
    if (!written[0] || written[0] == '/') return;
    char *name = path_normalize(written); /* "./x.h" -> "x.h" */
    char *dir = path_dirname(includer);
    char *key = NULL, *target = NULL, *mirror = NULL, *from = NULL;
    int dotdot = str_startswith(name, "../") || strcmp(name, "..") == 0;
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) goto cleanup;
    if (!angled && in_tree(s, dir, name)) goto cleanup;
    key = xasprintf("%c%s", angled ? '<' : '"', name);
    for (size_t i = 0; i < s->incdirs.n; i++)
        if (in_tree(s, s->incdirs.v[i], name)) {
            /* found, unless it only stands for a generated one */
            if (dotdot || strmap_get(s->settled, key, NULL)) goto cleanup;
            from = shadowing_template(s, s->incdirs.v[i], name);
            if (!from) goto cleanup;
            break;
        }
    /* a name relative to its includer ("../version.h") is settled per folder */
    if (!dotdot && strmap_get(s->settled, key, NULL)) goto cleanup;
    strmap_put(s->settled, key, 1);
    /* a header configure makes beside the includer, from the template
     * its configure script names */
    if (!from && !dotdot && !angled) {
        char *j = path_join(dir, name);
        char *beside = path_normalize(j);
        free(j);
        from = configured(s, beside);
        if (from) target = beside;
        else free(beside);
    }
    /* the tree's own template wins over an installed copy of the header
     * (libxslt's <libxslt/xsltconfig.h>), as -I. does in its build */
    if (!from && !dotdot && strmap_get(s->templated, path_basename(name), NULL))
        from = find_template(s, name);
    char *sys = from ? NULL : system_header(s, name);
    if (sys) {
        free(sys);
        goto cleanup;
    }
    if (!from && !dotdot && strchr(name, '/')) {
        char *deeper = deeper_incdir(s, name);
        if (deeper) {
            add_incdir(s, deeper);
            free(deeper);
            goto cleanup;
        }
        if (system_subdir(s, name)) goto cleanup;
    }
    if (dotdot) {
        char *j = path_join(dir, name);
        target = path_normalize(j);
        free(j);
        if (str_startswith(target, "../") || strcmp(target, "..") == 0) goto cleanup;
        for (size_t k = 0; k < COUNT(template_suffixes) && !from; k++) {
            char *t = xasprintf("%s%s", target, template_suffixes[k]);
            if (strmap_get(s->fileset, t, NULL))
                from = t;
            else
                free(t);
        }
        mirror = xstrdup(dir);
    } else {
        if (!from) from = find_template(s, name);
        /* the stand-in sits where configure puts it, else where the
         * template does, else at the root */
        if (!target)
            target = from ? xstrndup(from, strlen(from) - (str_endswith(from, ".in") ? 3 : 6))
                          : xstrdup(name);
        size_t tl = strlen(target), nl = strlen(name);
        mirror = tl > nl && target[tl - nl - 1] == '/' ? xstrndup(target, tl - nl - 1)
                                                       : xstrdup(".");
    }
    if (!from && angled && strcmp(name, "config.h") != 0 && !generated_angled(s, name))
        goto cleanup;
    if (ensure_standin_dir(s) != 0) goto cleanup;
    add_mirror(s, mirror);
    make_standin(s, target, from);
    from = NULL;
cleanup:
    free(name);
    free(dir);
    free(key);
    free(target);
    free(mirror);
    free(from);
}

/* ---- switches the code tests ------------------------------------------ */

/* ORs flag into macro id's (len bytes) flags. */
static void mark_macro(scan *s, const char *id, size_t len, size_t flag) {
    char *name = xstrndup(id, len);
    size_t f = 0;
    strmap_get(s->macros, name, &f);
    if ((flag & M_TESTED) && !(f & M_TESTED)) strvec_push(&s->tested, name);
    strmap_put(s->macros, name, f | flag);
    free(name);
}

/* Reads one preprocessor line, d (n bytes) just after its '#', for the
 * macros the code tests: the identifiers of #if, #elif and #ifdef lines,
 * and the names #define and #undef give. */
static void read_directive(scan *s, const char *d, size_t n) {
    size_t w = ident_len(d);
#define IS(word) (w == sizeof word - 1 && strncmp(d, word, w) == 0)
    if (IS("define") || IS("undef")) {
        size_t i = w;
        while (i < n && (d[i] == ' ' || d[i] == '\t')) i++;
        size_t len = i < n ? ident_len(d + i) : 0;
        if (len && i + len <= n) mark_macro(s, d + i, len, M_DEFINED);
        return;
    }
    if (!(IS("if") || IS("ifdef") || IS("elif"))) return;
#undef IS
    for (size_t i = w; i < n;) {
        size_t len = ident_char(d[i - 1]) ? 0 : ident_len(d + i);
        if (!len || i + len > n) {
            i++;
            continue;
        }
        if (!(len == 7 && strncmp(d + i, "defined", 7) == 0)) mark_macro(s, d + i, len, M_TESTED);
        i += len;
    }
}

/*
 * A macro a .c file cannot be compiled without: its outermost conditional
 * is `#ifndef M` or `#if !defined(M)` and the next line that is not blank
 * is an #error (`#ifndef FRONTEND` / `#error "not for backend code"`).
 * The tree builds that file with M, and M tells one of its programs'
 * builds from another's (docs/scanning.md, "Builds of a program").
 * Called with each preprocessor line (d after the '#', n bytes) and with
 * NULL for any other line that is neither blank nor a comment's; *depth and *pending carry
 * the state from line to line.
 */
static void requirement(scan *s, const char *rel, const char *d, size_t n, int *depth,
                        char **pending) {
    size_t w = d ? ident_len(d) : 0;
#define IS(word) (w == sizeof word - 1 && strncmp(d, word, w) == 0)
    if (*pending && d && IS("error") && str_endswith(rel, ".c") &&
        !strmap_get(s->requires, rel, NULL)) {
        strmap_put(s->requires, rel, s->required.n);
        strvec_push(&s->required, *pending);
    }
    free(*pending);
    *pending = NULL;
    if (!d) return;
    if (IS("endif")) {
        if (*depth > 0) --*depth;
        return;
    }
    if (!(IS("if") || IS("ifdef") || IS("ifndef"))) return;
    size_t i = w;
    while (i < n && (d[i] == ' ' || d[i] == '\t')) i++;
    const char *e = d + i;
    size_t len = 0;
    if (IS("ifndef")) {
        len = ident_len(e);
    } else if (IS("if") && n - i > 9 && strncmp(e, "!defined", 8) == 0) {
        size_t j = 8;
        while (i + j < n && (e[j] == ' ' || e[j] == '(')) j++;
        len = ident_len(e + j);
        size_t k = j + len;
        while (i + k < n && (e[k] == ' ' || e[k] == ')' || e[k] == '\t' || e[k] == '\r')) k++;
        /* one macro, nothing else on the line */
        if (i + k < n && !(e[k] == '/' && i + k + 1 < n && (e[k + 1] == '*' || e[k + 1] == '/')))
            len = 0;
        e += j;
    }
#undef IS
    if (*depth == 0 && len) *pending = xstrndup(e, len);
    ++*depth;
}

/* Checks each #include "x" / #include <x> line of one file, and reads its
 * other preprocessor lines for the macros it tests and for a macro the
 * file requires (requirement). */
static void scan_includes(scan *s, const char *rel) {
    char *abs = path_join(s->p->root, rel);
    char *text = file_read_all(abs, NULL);
    free(abs);
    if (!text) return;
    int depth = 0;
    char *pending = NULL;
    for (const char *line = text; line && *line;) {
        const char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line), i = 0;
        while (i < n && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) i++;
        /* a comment line does not end a requirement */
        if (i < n && line[i] != '#' && line[i] != '*' && !(line[i] == '/' && i + 1 < n))
            requirement(s, rel, NULL, 0, &depth, &pending);
        if (i < n && line[i] == '#') {
            for (i++; i < n && (line[i] == ' ' || line[i] == '\t'); i++) {}
            requirement(s, rel, line + i, n - i, &depth, &pending);
            if (n - i > 7 && strncmp(line + i, "include", 7) == 0 && !ident_char(line[i + 7])) {
                for (i += 7; i < n && (line[i] == ' ' || line[i] == '\t'); i++) {}
                char close = i < n && line[i] == '"' ? '"' : i < n && line[i] == '<' ? '>' : 0;
                const char *end = close ? memchr(line + i + 1, close, n - i - 1) : NULL;
                if (end) {
                    char *name = xstrndup(line + i + 1, (size_t)(end - line - i - 1));
                    resolve(s, rel, name, close == '>');
                    free(name);
                }
            } else if (i < n) {
                read_directive(s, line + i, n - i);
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    free(pending);
    free(text);
}

/* The header a configure check's macro says was found: "UNISTD" (length
 * in *len) for HAVE_UNISTD_H, or PREFIX_HAVE_UNISTD_H as nginx spells its
 * own; NULL for any other name. */
static const char *header_check(const char *name, size_t *len) {
    for (const char *at = name; (at = strstr(at, "HAVE_")) != NULL; at++) {
        if (at != name && at[-1] != '_') continue;
        *len = strlen(at + 5);
        return *len > 2 && strcmp(at + 5 + *len - 2, "_H") == 0 ? (*len -= 2, at + 5) : NULL;
    }
    return NULL;
}

/*
 * Fills the empty stand-ins when no stand-in came from a template: a
 * configure that writes its headers from shell scripts (nginx's
 * objs/ngx_auto_headers.h) leaves no list of its checks, and the tree's
 * own tests of them are the evidence left.  A macro that an #if, #elif or
 * #ifdef of the tree tests, that nothing in the tree #defines or #undefs,
 * and that names a header check (header_check) is defined to 1 when this
 * machine has that header, as a template's #undef HAVE_<X>_H would be.
 * Other feature checks (NGX_HAVE_EPOLL, NGX_HAVE_IOCP) stay off: without a
 * template nothing tells a platform's feature from this one's, and
 * switching them on parsed fewer nginx units cleanly (docs/scanning.md).
 * HAVE_CONFIG_H is cleave's own -D.  Each stand-in's switches count them.
 */
static void code_switches(scan *s) {
    project *p = s->p;
    for (size_t i = 0; i < p->standins.n; i++)
        if (p->standins.v[i].from) return;
    strvec on = {0};
    strvec_sort(&s->tested);
    for (size_t i = 0; i < s->tested.n; i++) {
        const char *name = s->tested.v[i], *what;
        size_t f = 0, len = 0;
        strmap_get(s->macros, name, &f);
        if (!(f & M_DEFINED) && strcmp(name, "HAVE_CONFIG_H") != 0 &&
            (what = header_check(name, &len)) && header_switch(s, what, len))
            strvec_push(&on, name);
    }
    for (size_t i = 0; i < p->standins.n && on.n && !s->err; i++) {
        char *abs = path_join(p->standin_dir, p->standins.v[i].header);
        FILE *f = fopen(abs, "a");
        int ok = f && fputs("/* Configure checks the code tests and the tree never defines,\n"
                            "   switched on as a configure run here would most likely find. */\n",
                            f) != EOF;
        for (size_t k = 0; ok && k < on.n; k++)
            ok = fprintf(f, "#ifndef %s\n#define %s 1\n#endif\n", on.v[k], on.v[k]) > 0;
        if (f && fclose(f) != 0) ok = 0;
        if (!ok) s->err = xasprintf("%s: %s", abs, strerror(errno));
        p->standins.v[i].switches = (int)on.n;
        free(abs);
    }
    strvec_free(&on);
}

/* ---- jobs --------------------------------------------------------------- */

static int has_config_h(const scan *s) {
    for (size_t i = 0; i < s->files.n; i++)
        if (strcmp(path_basename(s->files.v[i]), "config.h") == 0) return 1;
    for (size_t i = 0; i < s->p->standins.n; i++)
        if (strcmp(path_basename(s->p->standins.v[i].header), "config.h") == 0) return 1;
    return 0;
}

/* ---- code no unit compiles --------------------------------------------- */

/* Does `compiled` (paths relative to the root, or absolute) hold `rel` or,
 * for a build in a folder of its own, a path ending in "/rel"? */
static int compiled_as(const strvec *compiled, const strmap *set, const char *rel) {
    if (strmap_get(set, rel, NULL)) return 1;
    char *slash = xasprintf("/%s", rel);
    int found = 0;
    for (size_t i = 0; i < compiled->n && !found; i++) found = str_endswith(compiled->v[i], slash);
    free(slash);
    return found;
}

/* Whether grammar g (relative to the root) has its generated C in the
 * tree or among the compiled files: beside it, named G.c (automake's
 * ylwrap, lemon), G.tab.c (bison) or y.tab.c / lex.yy.c (yacc, lex).  A
 * generated file in the tree that no unit compiles is listed itself. */
static int grammar_compiled(const scan *s, const strvec *compiled, const strmap *set,
                            const char *g) {
    char *dir = path_dirname(g);
    const char *base = path_basename(g);
    char *stem = xstrndup(base, strlen(base) - 2);
    char *cand[3] = {xasprintf("%s.c", stem), xasprintf("%s.tab.c", stem),
                     xstrdup(str_endswith(g, ".y") ? "y.tab.c" : "lex.yy.c")};
    int found = 0;
    for (size_t i = 0; i < COUNT(cand); i++) {
        char *rel = strcmp(dir, ".") == 0 ? xstrdup(cand[i]) : path_join(dir, cand[i]);
        found = found || strmap_get(s->fileset, rel, NULL) || compiled_as(compiled, set, rel);
        free(rel);
        free(cand[i]);
    }
    free(stem);
    free(dir);
    return found;
}

static int cmp_unseen(const void *a, const void *b) {
    return strcmp(((const project_unseen *)a)->file, ((const project_unseen *)b)->file);
}

/* p->unseen from the walk: grammars whose C no job compiles and, beside a
 * database, the .c files it has no entry for. */
static void list_unseen(scan *s) {
    project *p = s->p;
    strvec compiled = {0};
    strmap *set = strmap_new();
    for (size_t i = 0; i < p->jobs.n; i++) {
        char *rel = path_relative(p->root, p->jobs.v[i].file);
        if (!rel) rel = xstrdup(p->jobs.v[i].file);
        strmap_put(set, rel, 1);
        strvec_push_owned(&compiled, rel);
    }
    for (size_t i = 0; i < s->grammars.n; i++) {
        if (grammar_compiled(s, &compiled, set, s->grammars.v[i])) continue;
        project_unseen u = {xstrdup(s->grammars.v[i]), UNSEEN_GRAMMAR};
        VEC_PUSH(p->unseen, u);
    }
    for (size_t i = 0; s->listing && i < s->sources.n; i++) {
        if (strmap_get(set, s->sources.v[i], NULL)) continue;
        project_unseen u = {xstrdup(s->sources.v[i]), UNSEEN_NO_ENTRY};
        VEC_PUSH(p->unseen, u);
    }
    if (p->unseen.n > 1) qsort(p->unseen.v, p->unseen.n, sizeof *p->unseen.v, cmp_unseen);
    strvec_free(&compiled);
    strmap_free(set);
}

static void scan_free(scan *s) {
    strvec_free(&s->files);
    strvec_free(&s->sources);
    strvec_free(&s->grammars);
    strvec_free(&s->includers);
    strvec_free(&s->incdirs);
    strvec_free(&s->sysdirs);
    strvec_free(&s->syssub);
    strvec_free(&s->mirrors);
    strmap_free(s->fileset);
    strmap_free(s->incset);
    strmap_free(s->settled);
    strmap_free(s->templated);
    strmap_free(s->configured);
    strvec_free(&s->cfgfrom);
    strmap_free(s->made);
    strmap_free(s->mirrorset);
    strmap_free(s->macros);
    strvec_free(&s->tested);
    strmap_free(s->requires);
    strvec_free(&s->required);
    free(s->build.v);
    free(s->err);
}

void project_list_unseen(project *p) {
    scan s = {0};
    s.p = p;
    s.listing = 1;
    s.fileset = strmap_new();
    s.incset = strmap_new();
    walk(&s, ".");
    list_unseen(&s);
    scan_free(&s);
}

int project_scan_tree(project *p, char **err) {
    scan s = {0};
    strvec args = {0};
    int rc = -1;
    s.p = p;
    s.fileset = strmap_new();
    s.incset = strmap_new();
    s.settled = strmap_new();
    s.templated = strmap_new();
    s.made = strmap_new();
    s.mirrorset = strmap_new();
    s.macros = strmap_new();
    s.requires = strmap_new();

    DIR *d = opendir(p->root);
    if (!d) {
        *err = xasprintf("%s: %s", p->root, strerror(errno));
        goto cleanup;
    }
    closedir(d);
    walk(&s, ".");
    if (s.err) {
        *err = s.err;
        s.err = NULL;
        goto cleanup;
    }
    strvec_sort(&s.files);
    strvec_sort(&s.sources);
    strvec_sort(&s.includers);
    for (size_t i = 0; i < s.files.n; i++)
        for (size_t k = 0; k < COUNT(template_suffixes); k++)
            if (str_endswith(s.files.v[i], template_suffixes[k])) {
                const char *base = path_basename(s.files.v[i]);
                char *h = xstrndup(base, strlen(base) - strlen(template_suffixes[k]));
                strmap_put(s.templated, h, 1);
                free(h);
            }
    find_sysdirs(&s.sysdirs);
    /* includers grows while scanning (templates used), hence the index loop */
    for (size_t i = 0; i < s.includers.n && !s.err; i++) {
        char *rel = xstrdup(s.includers.v[i]);
        scan_includes(&s, rel);
        free(rel);
    }
    if (!s.err) code_switches(&s);
    if (s.err) {
        *err = s.err;
        s.err = NULL;
        goto cleanup;
    }
    if (p->standins.n > 1)
        qsort(p->standins.v, p->standins.n, sizeof *p->standins.v, cmp_standin);

    strvec_sort(&s.mirrors);
    strvec_sort(&s.incdirs);
    for (size_t i = 0; i < s.mirrors.n; i++) {
        char *j = path_join(p->standin_dir, s.mirrors.v[i]);
        char *c = path_normalize(j);
        strvec_push_owned(&args, xasprintf("-I%s", c));
        free(j);
        free(c);
    }
    for (size_t i = 0; i < s.incdirs.n; i++) {
        char *j = path_join(p->root, s.incdirs.v[i]);
        char *c = path_normalize(j);
        strvec_push_owned(&args, xasprintf("-I%s", c));
        free(j);
        free(c);
    }
    strvec_sort(&s.syssub);
    for (size_t i = 0; i < s.syssub.n; i++) strvec_push_owned(&args, xasprintf("-I%s", s.syssub.v[i]));
    if (has_config_h(&s)) strvec_push(&args, "-DHAVE_CONFIG_H");

    /* sources are sorted and share the root prefix, so jobs come out
     * sorted; a file that requires a macro is read with it, and says so
     * in p->builds (entry 0: no database) */
    for (size_t i = 0; i < s.sources.n; i++) {
        project_job job = {0};
        size_t r;
        job.file = path_join(p->root, s.sources.v[i]);
        job.directory = path_dirname(job.file);
        for (size_t k = 0; k < args.n; k++) strvec_push(&job.args, args.v[k]);
        if (strmap_get(s.requires, s.sources.v[i], &r)) {
            project_build b = {xstrdup(s.sources.v[i]), 1, 0, {0}, {0}, 0, 0};
            strvec_push_owned(&b.with, xasprintf("-D%s", s.required.v[r]));
            strvec_push(&job.args, b.with.v[0]);
            VEC_PUSH(p->builds, b);
            if (!strvec_contains(&p->build_macros, s.required.v[r]))
                strvec_push(&p->build_macros, s.required.v[r]);
        }
        VEC_PUSH(p->jobs, job);
    }
    strvec_sort(&p->build_macros);
    list_unseen(&s);
    rc = 0;
cleanup:
    strvec_free(&args);
    scan_free(&s);
    return rc;
}
