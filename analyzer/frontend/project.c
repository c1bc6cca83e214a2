/*
 * project.c - opens a project: decides between the compilation database
 * (compdb.c) and the source-tree walk (srctree.c), and frees what they
 * built.
 *
 * PATH is a directory (the root; its compile_commands.json is used when
 * present) or a database file, any name ending in .json (the root is then
 * the folder holding it, widened to the nearest common folder of the
 * sources when some lie outside it, as with build/compile_commands.json).
 * `-p BUILD_DIR` names the folder holding the database, or the database
 * itself.
 *
 * Paths are made absolute and resolved with realpath(3) where they exist,
 * so the root and the database's paths agree even behind symlinks.
 *
 * Memory: the project owns every string; project_free also deletes the
 * stand-in directory, which srctree.c created with mkdtemp.
 */
#define _XOPEN_SOURCE 700
#include "frontend/project.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DB_NAME "compile_commands.json"

/* Absolute, normalized, symlinks resolved (the path exists). */
static char *real_path(const char *path) {
    char *r = realpath(path, NULL);
    if (!r) return path_absolute(path);
    char *n = path_normalize(r);
    free(r);
    return n;
}

/* Longest common folder of a and b (both absolute and normalized). */
static char *common_dir(const char *a, const char *b) {
    size_t i = 0, last = 0;
    while (a[i] && a[i] == b[i]) {
        if (a[i] == '/') last = i;
        i++;
    }
    if ((!a[i] || a[i] == '/') && (!b[i] || b[i] == '/')) last = i;
    return last ? xstrndup(a, last) : xstrdup("/");
}

/* For a database given directly: grow the root until it holds every source. */
static void widen_root(project *p) {
    for (size_t i = 0; i < p->jobs.n; i++) {
        char *rel = path_relative(p->root, p->jobs.v[i].file);
        if (rel) {
            free(rel);
            continue;
        }
        char *dir = path_dirname(p->jobs.v[i].file);
        char *c = common_dir(p->root, dir);
        free(p->root);
        free(dir);
        p->root = c;
    }
}

/* The database for directory root: in build_dir when given, else in root
 * when there is one.  Returns 0 with *db (NULL: none), or -1 with *err. */
static int find_db(const char *root, const char *build_dir, char **db, char **err) {
    struct stat st;
    *db = NULL;
    if (!build_dir) {
        char *cand = path_join(root, DB_NAME);
        if (stat(cand, &st) == 0 && S_ISREG(st.st_mode))
            *db = cand;
        else
            free(cand);
        return 0;
    }
    if (stat(build_dir, &st) != 0) {
        *err = xasprintf("%s: %s", build_dir, strerror(errno));
        return -1;
    }
    if (S_ISREG(st.st_mode)) {
        *db = real_path(build_dir);
        return 0;
    }
    char *bdir = real_path(build_dir);
    char *cand = path_join(bdir, DB_NAME);
    free(bdir);
    if (stat(cand, &st) == 0 && S_ISREG(st.st_mode)) {
        *db = cand;
        return 0;
    }
    free(cand);
    *err = xasprintf("%s: no " DB_NAME " in this build directory", build_dir);
    return -1;
}

int project_open(const char *path, const char *build_dir, project **out, char **err) {
    struct stat st;
    project *p = NULL;
    char *db = NULL;
    int rc = -1;
    *out = NULL;
    *err = NULL;

    if (stat(path, &st) != 0) {
        *err = xasprintf("%s: %s", path, strerror(errno));
        goto cleanup;
    }
    if (S_ISREG(st.st_mode) && str_endswith(path, ".json")) {
        if (build_dir) {
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
    if (db) {
        p->root = path_dirname(db);
    } else {
        p->root = real_path(path);
        if (find_db(p->root, build_dir, &db, err) != 0) goto cleanup;
    }
    if (db) {
        p->db_path = db;
        db = NULL;
        if (project_load_compdb(p, p->db_path, err) != 0) goto cleanup;
        if (!S_ISDIR(st.st_mode)) widen_root(p);
    } else if (project_scan_tree(p, err) != 0) {
        goto cleanup;
    }
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

void project_free(project *p) {
    if (!p) return;
    for (size_t i = 0; i < p->jobs.n; i++) {
        free(p->jobs.v[i].file);
        free(p->jobs.v[i].directory);
        strvec_free(&p->jobs.v[i].args);
    }
    free(p->jobs.v);
    for (size_t i = 0; i < p->standins.n; i++) {
        free(p->standins.v[i].header);
        free(p->standins.v[i].from);
    }
    free(p->standins.v);
    /* depth first, never following symlinks: only what mkdtemp made goes */
    if (p->standin_dir) nftw(p->standin_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(p->standin_dir);
    free(p->db_path);
    free(p->root);
    free(p);
}
