/*
 * fuzz_shard.c - shard files (scan/shard.c) as `cleave merge` takes them:
 * the input is the payload of a shard file (fuzz_image seals it), read,
 * checked as the only slice given, then merged into a graph and rendered.
 */
#include "fuzz.h"
#include "graph/graph_json.h"
#include "scan/scan.h"
#include "scan/shard.h"

FUZZ_NO_SETUP

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    facts_io_out img;
    fuzz_image(&img, FACTS_IO_SHARD, data, size);
    const char *path = fuzz_file("shard.facts", img.v, img.n);
    free(img.v);
    shard *s = NULL;
    char *err = NULL;
    if (shard_read(path, NULL, &s, &err) != 0) {
        free(err);
        return 0;
    }
    const char *names[] = {path};
    if (shard_check(&s, names, 1, &err) == 0) {
        size_t parsed;
        graph *g = shard_graph(&s, 1, NULL, NULL, &parsed);
        free(graph_json_render(g));
        graph_free(g);
    } else {
        free(err);
    }
    shard_free(s);
    return 0;
}
