/*
 * frontend.c - libclang front end: parses one translation unit and walks
 * its AST into a facts record (facts.h).  This file is the entry point:
 * the unit's arguments (include paths made absolute), the parse, its
 * errors, the files it included (each checked against the folders the
 * unit may read) and the build macros they define and test; the walk and
 * the other pieces are
 * listed in frontend_int.h.  The front end's files and libclang.c are the
 * only ones that see libclang types; they call libclang through
 * libclang_api.h's table.
 *
 * Ids follow facts.h.  Every string written into the record is interned in
 * the record's pool; the walker's caches are freed before extract returns.
 */
#define _GNU_SOURCE
#include "frontend/frontend.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "frontend/frontend_int.h"
#include "frontend/libclang.h"

/* Errors kept per unit: the first few say what is wrong. */
#define MAX_UNIT_ERRORS 3

struct frontend {
    CXIndex index;
    char *resource; /* libclang's resource folder, symlinks resolved, or NULL */
    /* Files already checked against the folders of checked_for (the
     * readable folders joined): path as libclang named it, made absolute
     * -> INSIDE or OUTSIDE.  Units share most headers, and resolving a
     * path's links costs a system call per folder in it. */
    strmap *checked;
    char *checked_for;
};

enum { INSIDE = 1, OUTSIDE = 2 };

frontend *frontend_new(void) {
    libclang_load();
    frontend *fe = xcalloc(1, sizeof *fe);
    fe->index = libclang.createIndex(0, 0);
    const char *rd = libclang_resource_dir();
    char *real = rd ? realpath(rd, NULL) : NULL;
    fe->resource = real ? path_normalize(real) : NULL;
    free(real);
    fe->checked = strmap_new();
    return fe;
}

void frontend_free(frontend *fe) {
    if (!fe) return;
    libclang.disposeIndex(fe->index);
    free(fe->resource);
    strmap_free(fe->checked);
    free(fe->checked_for);
    free(fe);
}

/* ---- diagnostics and the entry point ----------------------------------- */

static void diagnostics(walker *w) {
    unsigned n = libclang.getNumDiagnostics(w->tu);
    for (unsigned i = 0; i < n; i++) {
        CXDiagnostic d = libclang.getDiagnostic(w->tu, i);
        enum CXDiagnosticSeverity sev = libclang.getDiagnosticSeverity(d);
        if (sev >= CXDiagnostic_Error) {
            w->f->status = UNIT_PARTIAL;
            if (w->f->errors.n < MAX_UNIT_ERRORS) {
                int line, col;
                const char *file =
                    frontend_ids_position(w, libclang.getDiagnosticLocation(d), &line, &col);
                CXString msg = libclang.getDiagnosticSpelling(d);
                if (file)
                    strvec_push_owned(&w->f->errors, xasprintf("%s:%d:%d: %s", file, line, col,
                                                               libclang.getCString(msg)));
                else
                    strvec_push_owned(&w->f->errors, xasprintf("%s", libclang.getCString(msg)));
                libclang.disposeString(msg);
            }
        }
        libclang.disposeDiagnostic(d);
    }
}

/* Notes in w->outside the first file the unit read outside its readable
 * folders: a path in an #include, or a symbolic link in the tree, can
 * lead anywhere, and only the parse says where. */
static void confine(walker *w, frontend *fe, CXFile file) {
    if (!w->readable || w->outside) return;
    CXString name = libclang.getFileName(file);
    char *j = path_join(w->dir, libclang.getCString(name));
    libclang.disposeString(name);
    char *abs = path_normalize(j);
    size_t verdict = 0;
    if (!strmap_get(fe->checked, abs, &verdict)) {
        char *real = realpath(abs, NULL);
        char *p = real ? path_normalize(real) : xstrdup(abs);
        char *rel = fe->resource ? path_relative(fe->resource, p) : NULL;
        verdict = rel || project_under(w->readable, p) ? INSIDE : OUTSIDE;
        strmap_put(fe->checked, abs, verdict);
        free(rel);
        free(p);
        free(real);
    }
    if (verdict == OUTSIDE) {
        char *real = realpath(abs, NULL);
        w->outside = real ? path_normalize(real) : xstrdup(abs);
        free(real);
    }
    free(abs);
    free(j);
}

typedef struct incctx {
    walker *w;
    frontend *fe;
    const strvec *macros;   /* the project's build macros */
    unsigned char *defined; /* per macro: a project file of the unit #defines it */
    unsigned char *tested;  /* per macro: ... tests it */
} incctx;

/* ---- build macros ---------------------------------------------------------
 *
 * Which of the project's build macros (project.h) the unit defines and
 * tests, for merge.c to tell which program's build the unit was read in.
 * Read from the text libclang holds of the main file and the project
 * headers the unit included: a macro is defined by a -D of the unit (not
 * undone by a later -U) or a #define line (postgres_fe.h's `#define
 * FRONTEND 1`); tested by an #if, #ifdef, #ifndef or #elif line naming
 * it (c.h's Assert differs under FRONTEND: every unit including it is
 * built differently with it).  A line under a condition the unit did not
 * take counts too: a text read, said so in docs/scanning.md.
 */

/* Whether the identifier at p (n bytes) is m. */
static int is_word(const char *p, size_t n, const char *m) {
    return strlen(m) == n && strncmp(p, m, n) == 0;
}

/* Calls fn on each preprocessor line of text: d just after the '#' and
 * its spaces, n bytes to the end of the line. */
static void directives(const char *text, size_t size, void (*fn)(const char *d, size_t n, void *),
                       void *arg) {
    for (size_t at = 0; at < size;) {
        const char *line = text + at;
        const char *nl = memchr(line, '\n', size - at);
        size_t n = nl ? (size_t)(nl - line) : size - at, i = 0;
        while (i < n && (line[i] == ' ' || line[i] == '\t')) i++;
        if (i < n && line[i] == '#') {
            for (i++; i < n && (line[i] == ' ' || line[i] == '\t'); i++) {}
            fn(line + i, n - i, arg);
        }
        at += n + 1;
    }
}

static size_t ident(const char *p, size_t n) {
    size_t i = 0;
    while (i < n && (p[i] == '_' || (p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') ||
                     (i > 0 && p[i] >= '0' && p[i] <= '9')))
        i++;
    return i;
}

typedef struct macroscan {
    const strvec *macros;
    unsigned char *hit;
    int tests; /* 0: #define lines; 1: conditional lines */
} macroscan;

static void onmacroline(const char *d, size_t n, void *arg) {
    macroscan *ms = arg;
    size_t w = ident(d, n);
    int define = is_word(d, w, "define");
    if (ms->tests ? !(is_word(d, w, "if") || is_word(d, w, "ifdef") || is_word(d, w, "ifndef") ||
                      is_word(d, w, "elif"))
                  : !define)
        return;
    for (size_t i = w; i < n;) {
        size_t len = ident(d + i, n - i);
        if (!len) {
            i++;
            continue;
        }
        for (size_t k = 0; k < ms->macros->n; k++)
            if (is_word(d + i, len, ms->macros->v[k])) ms->hit[k] = 1;
        if (define) return; /* the name defined, not its value */
        i += len;
    }
}

/* Marks in defined[] and tested[] the macros the lines of text define
 * and test. */
static void readmacros(const char *text, size_t size, const strvec *macros, unsigned char *defined,
                       unsigned char *tested) {
    macroscan def = {macros, defined, 0}, test = {macros, tested, 1};
    if (!text) return;
    directives(text, size, onmacroline, &def);
    directives(text, size, onmacroline, &test);
}

/* Fills f->defines and f->tests (sorted, as macros is). */
static void buildmacros(walker *w, const project_job *job, unsigned char *defined,
                        unsigned char *tested) {
    const strvec *macros = &job->macros;
    size_t size = 0;
    const char *text = w->mainfile ? libclang.getFileContents(w->tu, w->mainfile, &size) : NULL;
    readmacros(text, size, macros, defined, tested);
    /* the command line comes first: a #define of the code still counts */
    for (size_t k = 0; k < macros->n; k++) {
        if (defined[k] || project_args_define(&job->args, macros->v[k]))
            strvec_push(&w->f->defines, macros->v[k]);
        if (tested[k]) strvec_push(&w->f->tests, macros->v[k]);
    }
}

/* Records each file the TU included (depth > 0: not the main file), so a
 * cache can tell when a header changed; sorted and unique afterwards. */
static void oninclusion(CXFile file, CXSourceLocation *stack, unsigned depth, CXClientData data) {
    (void)stack;
    incctx *ic = data;
    walker *w = ic->w;
    if (depth == 0) w->mainfile = file;
    confine(w, ic->fe, file);
    const char *path = depth > 0 ? frontend_ids_file(w, file) : NULL;
    if (path) strvec_push(&w->f->includes, path);
    /* depth 1: written in the main file itself; a relative id is inside
     * the project */
    if (path && depth == 1 && path[0] != '/') strvec_push(&w->f->headers, path);
    if (path && path[0] != '/' && ic->macros->n) { /* a project header */
        size_t size = 0;
        const char *text = libclang.getFileContents(w->tu, file, &size);
        readmacros(text, size, ic->macros, ic->defined, ic->tested);
    }
}

/* Sorts v and drops repeats. */
static void sortuniq(strvec *v) {
    strvec_sort(v);
    size_t o = 0;
    for (size_t i = 0; i < v->n; i++) {
        if (o > 0 && strcmp(v->v[i], v->v[o - 1]) == 0)
            free(v->v[i]);
        else
            v->v[o++] = v->v[i];
    }
    v->n = o;
}

static void includes(walker *w, frontend *fe, const project_job *job) {
    if (w->readable) { /* what was checked holds for these folders only */
        strbuf key = {0};
        for (size_t i = 0; i < w->readable->n; i++) strbuf_printf(&key, "%s\n", w->readable->v[i]);
        if (!fe->checked_for || strcmp(fe->checked_for, key.v ? key.v : "") != 0) {
            strmap_free(fe->checked);
            fe->checked = strmap_new();
            free(fe->checked_for);
            fe->checked_for = key.v ? key.v : xstrdup("");
        } else {
            free(key.v);
        }
    }
    incctx ic = {w, fe, &job->macros, xcalloc(job->macros.n + 1, 1), xcalloc(job->macros.n + 1, 1)};
    libclang.getInclusions(w->tu, oninclusion, &ic);
    sortuniq(&w->f->includes);
    sortuniq(&w->f->headers);
    if (job->macros.n) buildmacros(w, job, ic.defined, ic.tested);
    free(ic.defined);
    free(ic.tested);
}

/* Options whose value is a path, taking it joined ("-Idir") or as the next
 * argument ("-I dir"). */
static const char *const PATHOPTS[] = {"-I", "-isystem", "-iquote", "-idirafter", "-include",
                                       "-imacros", "-isysroot", "--sysroot", "-iprefix", "-F",
                                       NULL};

static void pushabs(strvec *out, const char *opt, const char *val, const char *dir, int sep) {
    char *abs = NULL;
    if (val[0] != '/') {
        char *j = path_join(dir, val);
        abs = path_normalize(j);
        free(j);
        /* -include x.h is also searched along the include path: keep the
         * name when the working directory does not have it */
        struct stat st;
        if ((strcmp(opt, "-include") == 0 || strcmp(opt, "-imacros") == 0) && stat(abs, &st) != 0) {
            free(abs);
            abs = NULL;
        }
    }
    const char *v = abs ? abs : val;
    if (sep) {
        strvec_push(out, opt);
        strvec_push(out, v);
    } else {
        strvec_push_owned(out, xasprintf("%s%s%s", opt, str_endswith(opt, "sysroot") ? "=" : "", v));
    }
    free(abs);
}

/*
 * Copies args, making relative include paths absolute against the
 * compile's directory.  libclang's own -working-directory would do this but
 * chdir()s the whole process on every parse, which breaks relative output
 * paths and races between worker threads.
 */
static void absargs(const strvec *args, const char *dir, strvec *out) {
    for (size_t i = 0; i < args->n; i++) {
        const char *a = args->v[i];
        int done = 0;
        for (const char *const *o = PATHOPTS; *o && !done; o++) {
            size_t ol = strlen(*o);
            if (strcmp(a, *o) == 0 && i + 1 < args->n) {
                pushabs(out, *o, args->v[++i], dir, 1);
                done = 1;
            } else if (strncmp(a, *o, ol) == 0 && a[ol] != '\0') {
                const char *v = a + ol;
                if (str_endswith(*o, "sysroot")) {
                    if (*v != '=') continue;
                    v++;
                } else if ((*o)[1] != 'I' && (*o)[1] != 'F') {
                    /* -isystem etc. take a joined value only when it looks
                     * like a path (not -include-pch) */
                    if (*v != '/' && *v != '.') continue;
                }
                pushabs(out, *o, v, dir, 0);
                done = 1;
            }
        }
        if (!done) strvec_push(out, a);
    }
}

/* An empty record of job's unit, named relative to the root. */
static facts *newrecord(const project_job *job, const char *root) {
    char *unit = project_job_unit(job, root);
    facts *f = facts_new(unit);
    free(unit);
    return f;
}

facts *frontend_failed(const project_job *job, const char *root, const char *why) {
    facts *f = newrecord(job, root);
    f->status = UNIT_FAILED;
    strvec_push_owned(&f->errors, xasprintf("%s: %s", f->file, why));
    return f;
}

facts *frontend_extract(frontend *fe, const project_job *job, const char *root,
                        const strvec *readable) {
    struct stat st;
    if (stat(job->file, &st) != 0)
        return frontend_failed(job, root, errno == ENOENT ? "no such file" : strerror(errno));
    strvec args = {0};
    absargs(&job->args, job->directory, &args);
    const char *rd = libclang_resource_dir();
    if (rd) {
        strvec_push(&args, "-resource-dir");
        strvec_push(&args, rd);
    }
    strvec_push(&args, "-w"); /* warnings are not ours to report; errors still are */

    CXTranslationUnit tu = NULL;
    enum CXErrorCode rc = libclang.parseTranslationUnit2(
        fe->index, job->file, (const char *const *)args.v, (int)args.n, NULL, 0,
        CXTranslationUnit_KeepGoing | CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles, &tu);
    strvec_free(&args);
    if (rc != CXError_Success || !tu) {
        if (tu) libclang.disposeTranslationUnit(tu);
        return frontend_failed(job, root,
                               rc == CXError_Crashed ? "libclang crashed on this unit"
                               : rc == CXError_InvalidArguments
                                   ? "libclang rejected the arguments of this unit"
                                   : "libclang could not parse this unit");
    }
    facts *f = newrecord(job, root);

    walker w = {0};
    w.f = f;
    w.tu = tu;
    w.root = root;
    w.dir = job->directory;
    w.readable = readable;
    /* a second build's file is its unit's name, "file[build]", in every id */
    char *mainrel = job->build ? path_relative(root, job->file) : NULL;
    if (job->build) w.mainrel = mainrel ? mainrel : job->file;
    char real[PATH_MAX];
    char *rootreal = realpath(root, real) && strcmp(real, root) != 0 ? xstrdup(real) : NULL;
    w.rootreal = rootreal ? rootreal : root;
    w.funcidx = strmap_new();
    w.globidx = strmap_new();

    diagnostics(&w);
    includes(&w, fe, job);
    if (w.outside) {
        /* nothing of it is kept: its errors may quote what it read */
        strvec_free(&f->errors);
        f->status = UNIT_FAILED;
        strvec_push_owned(&f->errors,
                          xasprintf("%s: reads %s, outside the project and the system include "
                                    "folders; not analysed (--allow-dir names a folder it may "
                                    "read)",
                                    f->file, w.outside));
    } else {
        frontend_text_start(&w);
        frontend_walk_unit(&w);
    }

    strmap_free(w.funcidx);
    strmap_free(w.globidx);
    free(w.funcs.v);
    free(w.vars.v);
    free(w.files.v);
    free(w.locals.v);
    free(w.localcalls.v);
    free(w.t.nodes.v);
    free(w.t.kids.v);
    free(w.t.up.v);
    free(w.t.stack.v);
    free(rootreal);
    free(mainrel);
    free(w.outside);
    libclang.disposeTranslationUnit(tu);
    return f;
}
