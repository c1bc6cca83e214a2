/*
 * libclang.c - loads libclang on first use and fills the table of entry
 * points the front end calls (libclang_api.h); finds the installation's
 * resource directory and names its version (libclang.h).
 *
 * The library is the one the build found, by its SONAME beside the real
 * file (CLEAVE_LIBCLANG_PATH, set by CMake), so a Debian point release of
 * the same LLVM keeps working without a rebuild; failing that, the SONAME
 * alone, through the dynamic linker's search path.  The handle is kept
 * for the life of the process: libclang is never unloaded.  The resource
 * directory and the version are found once, after loading, and kept for
 * the life of the process too.
 */
#define _GNU_SOURCE
#include "frontend/libclang.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "frontend/libclang_api.h"
#include "util/common.h"

#ifndef CLEAVE_LIBCLANG_PATH
#error "CLEAVE_LIBCLANG_PATH: the libclang shared library to load (set by CMakeLists.txt)"
#endif

libclang_api libclang;

static pthread_once_t once = PTHREAD_ONCE_INIT;

/* The file name without its directory. */
static const char *basename_of(const char *path) {
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static void fail(const char *what) {
    stderr_printf("cleave: cannot load libclang (%s): %s\n", CLEAVE_LIBCLANG_PATH, what);
    exit(CLEAVE_EXIT_INTERNAL);
}

static void load(void) {
    void *h = dlopen(CLEAVE_LIBCLANG_PATH, RTLD_NOW | RTLD_LOCAL);
    if (!h) h = dlopen(basename_of(CLEAVE_LIBCLANG_PATH), RTLD_NOW | RTLD_LOCAL);
    if (!h) fail(dlerror());
#define LIBCLANG_SYM(name)                                                                        \
    /* dlsym returns void *; POSIX guarantees it converts to a function pointer */               \
    *(void **)&libclang.name = dlsym(h, "clang_" #name);                                          \
    if (!libclang.name) fail("no clang_" #name);
    LIBCLANG_FUNCTIONS(LIBCLANG_SYM)
#undef LIBCLANG_SYM
}

void libclang_load(void) { pthread_once(&once, load); }

const char *libclang_path(void) { return CLEAVE_LIBCLANG_PATH; }

/* ---- resource directory and version ------------------------------------ */

static char *resource_dir; /* set once, kept for the life of the process */
static char clang_version[256];
static pthread_once_t resource_once = PTHREAD_ONCE_INIT;

static int hasstddef(const char *dir) {
    char *p = xasprintf("%s/include/stddef.h", dir);
    struct stat st;
    int ok = stat(p, &st) == 0;
    free(p);
    return ok;
}

/* Finds the builtin-header directory that belongs to the libclang this
 * process loaded: beside the library first, then the distribution's
 * versioned LLVM tree, then what the build saw. */
static void findresource(void) {
    libclang_load();
    CXString v = libclang.getClangVersion();
    snprintf(clang_version, sizeof clang_version, "%s", libclang.getCString(v));
    libclang.disposeString(v);

    /* "Debian clang version 14.0.6" -> full "14.0.6", major "14" */
    char full[64] = "", major[16] = "";
    const char *d = strstr(clang_version, "version ");
    d = d ? d + 8 : clang_version;
    size_t n = strspn(d, "0123456789.");
    if (n >= sizeof full) n = sizeof full - 1;
    memcpy(full, d, n);
    full[n] = '\0';
    size_t m = strspn(full, "0123456789");
    if (m >= sizeof major) m = sizeof major - 1;
    memcpy(major, full, m);
    major[m] = '\0';

    strvec cand = {0};
    Dl_info info;
    char real[PATH_MAX];
    if (dladdr(*(void **)&libclang.getClangVersion, &info) && info.dli_fname &&
        realpath(info.dli_fname, real)) {
        char *libdir = path_dirname(real);
        strvec_push_owned(&cand, xasprintf("%s/clang/%s", libdir, full));
        strvec_push_owned(&cand, xasprintf("%s/clang/%s", libdir, major));
        free(libdir);
    }
    strvec_push_owned(&cand, xasprintf("/usr/lib/llvm-%s/lib/clang/%s", major, full));
    strvec_push_owned(&cand, xasprintf("/usr/lib/llvm-%s/lib/clang/%s", major, major));
#ifdef CLEAVE_CLANG_RESOURCE_DIR
    strvec_push(&cand, CLEAVE_CLANG_RESOURCE_DIR);
#endif
    for (size_t i = 0; i < cand.n && !resource_dir; i++)
        if (hasstddef(cand.v[i])) resource_dir = xstrdup(cand.v[i]);
    strvec_free(&cand);
}

const char *libclang_resource_dir(void) {
    pthread_once(&resource_once, findresource);
    return resource_dir;
}

const char *libclang_version(void) {
    pthread_once(&resource_once, findresource);
    return clang_version;
}

char *libclang_id(void) {
    struct stat st;
    if (stat(libclang_path(), &st) != 0) return xasprintf("libclang %s (absent)", libclang_path());
    return xasprintf("libclang %s %lld %lld.%09ld", libclang_path(), (long long)st.st_size,
                     (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
}
