/*
 * graph_json.h - the graph as JSON, schema "cleave.graph/1" (docs/graph-json.md).
 */
#ifndef CLEAVE_GRAPH_JSON_H
#define CLEAVE_GRAPH_JSON_H

#include "graph/graph.h"

/* The JSON text (2-space indented, trailing newline); the caller frees it. */
char *graph_json_render(const graph *g);

#endif
