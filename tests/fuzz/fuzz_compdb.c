/*
 * fuzz_compdb.c - the compile database reader (frontend/compdb.c, through
 * project_open): the input is a compile_commands.json.
 */
#include "fuzz.h"
#include "frontend/project.h"

FUZZ_NO_SETUP

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *path = fuzz_file("compile_commands.json", data, size);
    project *p = NULL;
    char *err = NULL;
    if (project_open(path, NULL, &p, &err) == 0)
        project_free(p);
    else
        free(err);
    return 0;
}
