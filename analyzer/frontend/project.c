/*
 * project.c - opens a project: decides between the compilation database
 * (compdb.c) and the source-tree walk (srctree.c), and frees what they
 * built.
 *
 * PATH is a directory (the root; its compile_commands.json is used when
 * present) or a database file, any name ending in .json (the root is then
 * the folder holding it, widened to the nearest common folder of the
 * sources when some lie outside it, as with build/compile_commands.json --
 * but never above the current directory, so the database cannot make the
 * root "/").  `-p BUILD_DIR` names the folder holding the database, or the
 * database itself.  The folders units may read (project.h) are gathered
 * here: --allow-dir's and the system's before the database or the tree is
 * read, the root and the database's folder by compdb.c.
 *
 * Paths are made absolute and resolved with realpath(3) where they exist,
 * so the root and the database's paths agree even behind symlinks.
 *
 * Memory: the project owns every string; project_free also deletes the
 * stand-in directory, which srctree.c created with mkdtemp.
 */
#define _GNU_SOURCE
#include "frontend/project.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define DB_NAME "compile_commands.json"

/* Absolute, normalized, symlinks resolved (the path exists). */
static char *real_path(const char *path) {
    char *r = realpath(path, NULL);
    if (!r) return path_absolute(path);
    char *n = path_normalize(r);
    free(r);
    return n;
}

int project_under(const strvec *dirs, const char *path) {
    for (size_t i = 0; i < dirs->n; i++) {
        char *rel = path_relative(dirs->v[i], path);
        free(rel);
        if (rel) return 1;
    }
    return 0;
}

int project_within(const strvec *dirs, const char *path) {
    char *real = realpath(path, NULL);
    char *p = real ? path_normalize(real) : path_normalize(path);
    int in = project_under(dirs, p);
    free(real);
    free(p);
    return in;
}

void project_add_readable(project *p, const char *dir) {
    char *r = real_path(dir);
    if (!strvec_contains(&p->readable, r))
        strvec_push_owned(&p->readable, r);
    else
        free(r);
}

/*
 * The folders a compile reads on this system, found without asking a
 * compiler: the include folders, the compilers' own (/usr/lib/gcc holds
 * GCC's builtin headers; the front end adds libclang's resource folder)
 * and the multiarch library folders, where pkg-config points for
 * architecture-dependent headers (/usr/lib/x86_64-linux-gnu/glib-2.0/
 * include).  None holds anything but what packages installed.
 */
static void add_system_dirs(project *p) {
    static const char *const fixed[] = {"/usr/include", "/usr/local/include", "/usr/lib/gcc"};
    struct stat st;
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        if (stat(fixed[i], &st) == 0 && S_ISDIR(st.st_mode)) project_add_readable(p, fixed[i]);
    glob_t g;
    if (glob("/usr/lib/*-linux-gnu*", 0, NULL, &g) == 0)
        for (size_t j = 0; j < g.gl_pathc; j++)
            if (stat(g.gl_pathv[j], &st) == 0 && S_ISDIR(st.st_mode))
                project_add_readable(p, g.gl_pathv[j]);
    globfree(&g);
}

/* The --allow-dir folders into p->allowed and p->readable; each must be a
 * folder.  0, or -1 with *err. */
static int allow_dirs(project *p, const strvec *dirs, char **err) {
    for (size_t i = 0; dirs && i < dirs->n; i++) {
        struct stat st;
        const char *why = stat(dirs->v[i], &st) != 0 ? strerror(errno)
                          : !S_ISDIR(st.st_mode)     ? "not a directory"
                                                     : NULL;
        if (why) {
            *err = xasprintf("--allow-dir %s: %s", dirs->v[i], why);
            return -1;
        }
        char *r = real_path(dirs->v[i]);
        strvec_push(&p->allowed, r);
        project_add_readable(p, r);
        free(r);
    }
    return 0;
}

/* The database at path if there is anything there: 1 with *db for a
 * regular file, 0 when nothing is there, -1 with *err for anything else
 * (a FIFO would make the reader wait; a folder is not a database). */
static int db_at(const char *path, char **db, char **err) {
    struct stat st;
    if (stat(path, &st) != 0) return 0;
    if (!S_ISREG(st.st_mode)) {
        int why = S_ISDIR(st.st_mode) ? EISDIR : CLEAVE_ENOTREG;
        *err = xasprintf("%s: %s", path, file_strerror(why));
        return -1;
    }
    *db = real_path(path);
    return 1;
}

/* The database for directory root: in build_dir when given, else in root
 * when there is one.  Returns 0 with *db (NULL: none), or -1 with *err. */
static int find_db(const char *root, const char *build_dir, char **db, char **err) {
    struct stat st;
    *db = NULL;
    if (!build_dir) {
        char *cand = path_join(root, DB_NAME);
        int rc = db_at(cand, db, err);
        free(cand);
        return rc < 0 ? -1 : 0;
    }
    if (stat(build_dir, &st) != 0) {
        *err = xasprintf("%s: %s", build_dir, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) return db_at(build_dir, db, err) < 0 ? -1 : 0;
    char *bdir = real_path(build_dir);
    char *cand = path_join(bdir, DB_NAME);
    free(bdir);
    int rc = db_at(cand, db, err);
    free(cand);
    if (rc != 0) return rc < 0 ? -1 : 0;
    *err = xasprintf("%s: no " DB_NAME " in this build directory", build_dir);
    return -1;
}

/* ---- the stand-in directory and signals ----------------------------------
 *
 * A scan stopped with ^C or by a CI time limit (SIGINT, SIGTERM, SIGHUP)
 * must not leave its stand-in directory in /tmp.  From the moment the
 * directory exists until the project is freed, a handler empties and
 * removes it, then dies of the signal as the process would have, so the
 * shell sees the usual status.  The handler may only call what is safe in
 * one: it reads the directory with getdents64 into a buffer on its stack
 * and removes with unlinkat, a pass at a time until nothing is left, so
 * it needs no list kept in step with srctree.c's writing.  One project at
 * a time is guarded; a signal someone ignores (nohup) stays ignored.
 */
static const int GUARDED[] = {SIGINT, SIGTERM, SIGHUP};
#define NGUARDED (sizeof GUARDED / sizeof *GUARDED)

static struct {
    const project *owner; /* NULL: no guard */
    char dir[PATH_MAX];   /* the stand-in directory */
    struct sigaction old[NGUARDED];
    int set[NGUARDED]; /* old[i] was replaced */
} guard;

/* What getdents64 fills in (not in glibc's headers). */
struct dirent64_raw {
    uint64_t ino;
    int64_t off;
    unsigned short reclen;
    unsigned char type;
    char name[];
};

/* Removes what the folder open at fd holds: files at once, folders after
 * their contents, until a pass finds nothing (a folder read while it
 * shrinks may skip names). */
static void empty_at(int fd, int depth) {
    char buf[2048];
    for (int removed = 1; removed && depth < 32;) {
        removed = 0;
        lseek(fd, 0, SEEK_SET);
        long n;
        while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
            for (long off = 0; off < n;) {
                const struct dirent64_raw *d = (const void *)(buf + off);
                off += d->reclen;
                const char *nm = d->name;
                if (nm[0] == '.' && (!nm[1] || (nm[1] == '.' && !nm[2]))) continue;
                if (unlinkat(fd, nm, 0) != 0) {
                    int sub = openat(fd, nm, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                    if (sub < 0) continue;
                    empty_at(sub, depth + 1);
                    close(sub);
                    if (unlinkat(fd, nm, AT_REMOVEDIR) != 0) continue;
                }
                removed = 1;
            }
        }
    }
}

static void on_signal(int sig) {
    int fd = open(guard.dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
        empty_at(fd, 0);
        close(fd);
        rmdir(guard.dir);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

void project_guard_standins(const project *p) {
    if (guard.owner || !p->standin_dir || strlen(p->standin_dir) >= sizeof guard.dir) return;
    memcpy(guard.dir, p->standin_dir, strlen(p->standin_dir) + 1);
    guard.owner = p;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < NGUARDED; i++) {
        if (sigaction(GUARDED[i], NULL, &guard.old[i]) != 0 || guard.old[i].sa_handler == SIG_IGN)
            continue;
        guard.set[i] = sigaction(GUARDED[i], &sa, NULL) == 0;
    }
}

static void unguard(const project *p) {
    if (guard.owner != p) return;
    for (size_t i = 0; i < NGUARDED; i++)
        if (guard.set[i]) sigaction(GUARDED[i], &guard.old[i], NULL);
    memset(guard.set, 0, sizeof guard.set);
    guard.owner = NULL;
}

int project_open(const char *path, const project_options *opt, project **out, char **err) {
    static const project_options none = {0};
    struct stat st;
    project *p = NULL;
    char *db = NULL;
    int rc = -1;
    *out = NULL;
    *err = NULL;
    if (!opt) opt = &none;

    if (stat(path, &st) != 0) {
        *err = xasprintf("%s: %s", path, strerror(errno));
        goto cleanup;
    }
    if (S_ISREG(st.st_mode) && str_endswith(path, ".json")) {
        if (opt->build_dir) {
            *err = xasprintf("%s: a compilation database was given; -p applies only to a directory",
                             path);
            goto cleanup;
        }
        db = real_path(path);
    } else if (!S_ISDIR(st.st_mode)) {
        *err = xasprintf("%s: not a directory or a " DB_NAME " file", path);
        goto cleanup;
    }
    p = xcalloc(1, sizeof *p);
    if (allow_dirs(p, opt->allow_dirs, err) != 0) goto cleanup;
    add_system_dirs(p);
    if (db) {
        p->root = path_dirname(db);
    } else {
        p->root = real_path(path);
        if (find_db(p->root, opt->build_dir, &db, err) != 0) goto cleanup;
    }
    if (db) {
        p->db_path = db;
        db = NULL;
        if (project_load_compdb(p, p->db_path, !S_ISDIR(st.st_mode), err) != 0) goto cleanup;
        project_list_unseen(p);
    } else {
        project_add_readable(p, p->root);
        if (project_scan_tree(p, err) != 0) goto cleanup;
    }
    for (size_t i = 0; i < p->jobs.n; i++)
        for (size_t k = 0; k < p->build_macros.n; k++)
            strvec_push(&p->jobs.v[i].macros, p->build_macros.v[k]);
    *out = p;
    p = NULL;
    rc = 0;
cleanup:
    project_free(p);
    free(db);
    return rc;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb;
    (void)flag;
    (void)ftw;
    if (remove(path) != 0) fprintf(stderr, "cleave: cannot remove %s: %s\n", path, strerror(errno));
    return 0;
}

void project_build_clear(project_build *b) {
    free(b->file);
    strvec_free(&b->with);
    strvec_free(&b->without);
}

void project_job_clear(project_job *job) {
    free(job->file);
    free(job->directory);
    strvec_free(&job->args);
    strvec_free(&job->macros);
    free(job->build);
}

int project_args_define(const strvec *args, const char *m) {
    int def = 0;
    size_t n = strlen(m);
    for (size_t i = 0; i < args->n; i++) {
        const char *a = args->v[i];
        int d = str_startswith(a, "-D"), u = str_startswith(a, "-U");
        if (!d && !u) continue;
        const char *name = a[2] ? a + 2 : i + 1 < args->n ? args->v[++i] : "";
        if (strncmp(name, m, n) == 0 && (name[n] == '\0' || name[n] == '=')) def = d;
    }
    return def;
}

char *project_job_unit(const project_job *job, const char *root) {
    char *rel = path_relative(root, job->file);
    if (!rel) rel = xstrdup(job->file);
    if (!job->build) return rel;
    char *unit = xasprintf("%s[%s]", rel, job->build);
    free(rel);
    return unit;
}

void project_free(project *p) {
    if (!p) return;
    for (size_t i = 0; i < p->jobs.n; i++) project_job_clear(&p->jobs.v[i]);
    free(p->jobs.v);
    for (size_t i = 0; i < p->alts.n; i++) {
        free(p->alts.v[i].file);
        free(p->alts.v[i].directory);
        strvec_free(&p->alts.v[i].args);
    }
    free(p->alts.v);
    for (size_t i = 0; i < p->standins.n; i++) {
        free(p->standins.v[i].header);
        free(p->standins.v[i].from);
    }
    free(p->standins.v);
    for (size_t i = 0; i < p->unseen.n; i++) free(p->unseen.v[i].file);
    free(p->unseen.v);
    for (size_t i = 0; i < p->builds.n; i++) project_build_clear(&p->builds.v[i]);
    free(p->builds.v);
    strvec_free(&p->readable);
    strvec_free(&p->allowed);
    strvec_free(&p->warnings);
    strvec_free(&p->dropped_names);
    strvec_free(&p->build_macros);
    unguard(p);
    /* depth first, never following symlinks: only what mkdtemp made goes */
    if (p->standin_dir) nftw(p->standin_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(p->standin_dir);
    free(p->db_path);
    free(p->root);
    free(p);
}
