/*
 * fuzz_config.c - the config reader (plan/config.c): the input is a
 * cleave.json.
 */
#include "fuzz.h"
#include "plan/config.h"

FUZZ_NO_SETUP

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *path = fuzz_file("cleave.json", data, size);
    config *c = NULL;
    char *err = NULL;
    if (config_load(path, &c, &err) == 0)
        config_free(c);
    else
        free(err);
    return 0;
}
