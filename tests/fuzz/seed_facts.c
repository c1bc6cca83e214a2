/*
 * seed_facts.c - seeds for fuzz_facts: `seed_facts OUTDIR SHARD...` writes
 * each facts record of the shard files as a payload of its own,
 * OUTDIR/<shard name>.<n>.  Run at build time by seeds.cmake.  Exit status
 * 0, or 1 when a shard cannot be read or a seed written.
 */
#include <stdio.h>
#include <stdlib.h>

#include "frontend/facts_io.h"
#include "scan/shard.h"
#include "util/common.h"

int main(int argc, char **argv) {
    int rc = 0;
    for (int i = 2; i < argc; i++) {
        shard *s = NULL;
        char *err = NULL;
        if (shard_read(argv[i], NULL, &s, &err) != 0) {
            fprintf(stderr, "seed_facts: %s\n", err);
            free(err);
            rc = 1;
            continue;
        }
        for (size_t j = 0; j < s->tus.n; j++) {
            facts_io_out o = {0};
            facts_io_begin(&o, FACTS_IO_CACHE);
            facts_io_put_facts(&o, s->tus.v[j]);
            char *out = xasprintf("%s/%s.%zu", argv[1], path_basename(argv[i]), j);
            /* the payload alone: fuzz_facts seals it */
            if (file_write_atomic_nosync(out, (const char *)o.v + FACTS_IO_HEADER_SIZE,
                                         o.n - FACTS_IO_HEADER_SIZE) != 0)
                rc = 1;
            free(out);
            free(o.v);
        }
        shard_free(s);
    }
    return rc;
}
