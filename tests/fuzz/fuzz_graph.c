/*
 * fuzz_graph.c - the graph JSON reader (graph/graph_load.c): the input is
 * a graph.json.  A graph it accepts must render (graph_json.c) to JSON it
 * reads back into a graph that renders to the same bytes.
 */
#include "fuzz.h"
#include "graph/graph_json.h"
#include "graph/graph_load.h"

FUZZ_NO_SETUP

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    graph *g = NULL;
    char *err = NULL;
    if (graph_load_text("graph.json", (const char *)data, size, &g, &err) != 0) {
        free(err);
        return 0;
    }
    char *once = graph_json_render(g);
    graph *h = NULL;
    int rc = graph_load_text("again.json", once, strlen(once), &h, &err);
    if (rc != 0) fprintf(stderr, "fuzz: a graph it accepted renders to one it refuses: %s\n", err);
    FUZZ_CHECK(rc == 0);
    char *twice = graph_json_render(h);
    FUZZ_CHECK(strcmp(once, twice) == 0);
    free(twice);
    graph_free(h);
    free(once);
    graph_free(g);
    return 0;
}
