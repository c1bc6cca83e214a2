/*
 * parse_floor.c - the floor a cold `cleave scan` is measured against: the
 * time libclang takes to parse every translation unit of a project once,
 * serially, in one process, doing nothing else (no AST walk, no merge, no
 * output).
 *
 *   parse_floor PATH [BUILD_DIR]
 *
 * The units and their arguments come from the same project_open cleave
 * uses; each is parsed with cleave's exact flags and options (its
 * arguments, -resource-dir, -w, KeepGoing and
 * IgnoreNonErrorsFromIncludedFiles).  Relative paths in the arguments are
 * resolved by changing into the unit's directory, which a serial program
 * may do (cleave makes them absolute instead).  Prints the units, how many
 * libclang rejected, and the seconds spent in the parse loop; exits 2 when
 * the project cannot be opened.
 */
#define _POSIX_C_SOURCE 200809L
#include <clang-c/Index.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "util/common.h"
#include "frontend/libclang.h"
#include "frontend/project.h"

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: parse_floor PATH [BUILD_DIR]\n");
        return 2;
    }
    project *p = NULL;
    char *err = NULL;
    project_options opt = {argc > 2 ? argv[2] : NULL, NULL};
    if (project_open(argv[1], &opt, &p, &err) != 0) {
        fprintf(stderr, "parse_floor: %s\n", err);
        free(err);
        return 2;
    }
    char *cwd = getcwd(NULL, 0);
    const char *rd = libclang_resource_dir();
    CXIndex index = clang_createIndex(0, 0);
    size_t failed = 0;
    double start = now();
    for (size_t i = 0; i < p->jobs.n; i++) {
        const project_job *job = &p->jobs.v[i];
        strvec args = {0};
        for (size_t j = 0; j < job->args.n; j++) strvec_push(&args, job->args.v[j]);
        if (rd) {
            strvec_push(&args, "-resource-dir");
            strvec_push(&args, rd);
        }
        strvec_push(&args, "-w");
        CXTranslationUnit tu = NULL;
        if (chdir(job->directory) != 0 ||
            clang_parseTranslationUnit2(
                index, job->file, (const char *const *)args.v, (int)args.n, NULL, 0,
                CXTranslationUnit_KeepGoing | CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles,
                &tu) != CXError_Success)
            failed++;
        if (tu) clang_disposeTranslationUnit(tu);
        strvec_free(&args);
    }
    double secs = now() - start;
    clang_disposeIndex(index);
    if (cwd && chdir(cwd) != 0) perror("parse_floor: chdir back");
    free(cwd);
    printf("units %zu\nfailed %zu\nparse_seconds %.3f\n", p->jobs.n, failed, secs);
    project_free(p);
    return 0;
}
