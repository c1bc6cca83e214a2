/*
 * fuzz_partition.c - the decomposition reader of `cleave compare`
 * (compare/partition.c): the input is a plan, an RSF file or a clustering
 * JSON, told apart by content as the reader does.
 */
#include "fuzz.h"
#include "compare/partition.h"

FUZZ_NO_SETUP

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *path = fuzz_file("partition", data, size);
    partition *p = NULL;
    char *err = NULL;
    if (partition_load(path, &p, &err) == 0)
        partition_free(p);
    else
        free(err);
    return 0;
}
