/*
 * libclang_missing.c - cleave as built against a libclang that is not
 * there (analyzer/frontend/libclang.c compiled with a path that does not exist):
 * the first libclang_load must name the library in one line and exit with
 * status 4.  tests/CMakeLists.txt runs it and checks both.
 */
#include "frontend/libclang.h"

int main(void) {
    libclang_load();
    return 0; /* not reached */
}
