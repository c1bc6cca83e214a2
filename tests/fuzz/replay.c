/*
 * replay.c - runs a fuzz target (fuzz.h) over files instead of under
 * libFuzzer: `replay_<target> FILE|DIR...` feeds each file (each file of a
 * directory) to LLVMFuzzerTestOneInput once.  The normal build (gcc, ASan
 * and UBSan) replays the regression inputs of tests/fuzz/regress/<target>/
 * and the fixtures' seeds with it; exit status 0 when every input ran, 1
 * when none was given or a file could not be read (a crash ends the
 * process with the sanitizer's report).
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/common.h"

/* The target's entry points (fuzz.h). */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static int one(const char *path, size_t *n) {
    size_t len;
    char *data = file_read_all(path, &len);
    if (!data) {
        fprintf(stderr, "replay: %s: cannot read it\n", path);
        return -1;
    }
    LLVMFuzzerTestOneInput((const unsigned char *)data, len);
    free(data);
    (*n)++;
    return 0;
}

int main(int argc, char **argv) {
    LLVMFuzzerInitialize(&argc, &argv);
    size_t n = 0;
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            DIR *d = opendir(argv[i]);
            struct dirent *e;
            while (d && (e = readdir(d)) != NULL) {
                if (e->d_name[0] == '.') continue;
                char *p = path_join(argv[i], e->d_name);
                if (one(p, &n) != 0) rc = 1;
                free(p);
            }
            if (d) closedir(d);
        } else if (one(argv[i], &n) != 0) {
            rc = 1;
        }
    }
    printf("replay: %zu inputs\n", n);
    return rc || n == 0 ? 1 : 0;
}
