/*
 * libclang.c - loads libclang on first use and fills the table of entry
 * points the front end calls (libclang.h).
 *
 * The library is the one the build found, by its SONAME beside the real
 * file (CLEAVE_LIBCLANG_PATH, set by CMake), so a Debian point release of
 * the same LLVM keeps working without a rebuild; failing that, the SONAME
 * alone, through the dynamic linker's search path.  The handle is kept
 * for the life of the process: libclang is never unloaded.
 */
#define _GNU_SOURCE
#include "frontend/libclang.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    fprintf(stderr, "cleave: cannot load libclang (%s): %s\n", CLEAVE_LIBCLANG_PATH, what);
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
