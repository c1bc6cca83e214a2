/*
 * fuzz.h - what the fuzz targets of tests/fuzz share.  Each fuzz_<reader>.c
 * defines LLVMFuzzerInitialize (setup before the first input, or nothing)
 * and LLVMFuzzerTestOneInput (one input through the reader, as cleave would
 * read it from a file); libFuzzer drives them in the clang build
 * (`make fuzz`), replay.c in the normal build, so that the inputs kept
 * under tests/fuzz/regress/ run under gcc's sanitizers in every `make test`.
 * A target returns 0 whatever the reader answers: only a crash, a
 * sanitizer report, a leak or a failed assert is a finding.
 *
 * Targets find the source checkout's fixtures under FUZZ_SOURCE_DIR and
 * files made at build time (tests/fuzz/seeds.cmake) under FUZZ_DATA_DIR.
 */
#ifndef CLEAVE_FUZZ_H
#define CLEAVE_FUZZ_H

#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frontend/facts_io.h"
#include "util/common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The LLVMFuzzerInitialize of a target that needs no setup. */
#define FUZZ_NO_SETUP                                                                              \
    int LLVMFuzzerInitialize(int *argc, char ***argv) {                                            \
        (void)argc;                                                                                \
        (void)argv;                                                                                \
        return 0;                                                                                  \
    }

/* A property the target checks: false aborts, which libFuzzer reports as
 * a crash with the input (assert would vanish under NDEBUG). */
#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz: %s:%d: %s does not hold\n", __FILE__, __LINE__, #cond);         \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* An image of `kind` (facts_io.h) around data, sealed with its length and
 * checksum, so the reader gets past them to the payload; data that is
 * already an image (it starts with the magic) is left as it is, so the
 * header's checks are tried too.  The caller frees out->v. */
static inline void fuzz_image(facts_io_out *out, unsigned kind, const uint8_t *data, size_t size) {
    *out = (facts_io_out){0};
    if (size >= 8 && memcmp(data, "CLVFACTS", 8) == 0) {
        VEC_RESERVE(*out, size);
        memcpy(out->v, data, size);
        out->n = size;
        return;
    }
    facts_io_begin(out, kind);
    VEC_RESERVE(*out, out->n + size);
    if (size) memcpy(out->v + out->n, data, size);
    out->n += size;
    facts_io_finish(out, NULL);
}

/* This process's scratch directory, made on first use, removed at exit. */
static char fuzz_dir[64];

static inline void fuzz_cleanup(void) {
    char *cmd = xasprintf("rm -rf '%s'", fuzz_dir);
    if (system(cmd) != 0) fprintf(stderr, "fuzz: could not remove %s\n", fuzz_dir);
    free(cmd);
}

/* Writes data to the scratch file `name` and returns its path (the same
 * buffer each call: valid until the next one).  Exits when the scratch
 * directory cannot be written: no input can be tried then. */
static inline const char *fuzz_file(const char *name, const uint8_t *data, size_t size) {
    static char *path;
    if (!fuzz_dir[0]) {
        const char *tmp = getenv("TMPDIR");
        snprintf(fuzz_dir, sizeof fuzz_dir, "%s/cleave-fuzz.XXXXXX",
                 tmp && *tmp && strlen(tmp) < 32 ? tmp : "/tmp");
        if (!mkdtemp(fuzz_dir)) {
            perror("fuzz: mkdtemp");
            exit(1);
        }
        atexit(fuzz_cleanup);
    }
    free(path);
    path = path_join(fuzz_dir, name);
    if (file_write_atomic_nosync(path, (const char *)data, size) != 0) {
        perror(path);
        exit(1);
    }
    return path;
}

/* A file of the source checkout or of the build, for setup; exits when it
 * is missing (the target cannot run without it). */
static inline char *fuzz_path(const char *base, const char *rel) {
    char *p = path_join(base, rel);
    if (access(p, R_OK) != 0) {
        fprintf(stderr, "fuzz: %s: cannot read it\n", p);
        exit(1);
    }
    return p;
}

#endif
