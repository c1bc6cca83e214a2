/*
 * graph_load.h - reads a graph JSON written by `cleave scan` (schema
 * cleave.graph/1, docs/graph-json.md) back into the graph it was written
 * from: graph_json_render of the result gives the same bytes.
 */
#ifndef CLEAVE_GRAPH_LOAD_H
#define CLEAVE_GRAPH_LOAD_H

#include <stddef.h>

#include "graph/graph.h"

/*
 * Loads the graph JSON at path.  Returns 0 with *out set (the caller frees
 * it with graph_free), or -1 with *out NULL and *err a one-line message
 * "<path>:<line>:<col>: <what is wrong>" pointing at the offending value
 * (or "<path>: <reason>" when the file cannot be read); the caller frees
 * *err.  Everything the graph's invariants rely on is checked: the schema,
 * every member's type, enum strings, ids that calls and accesses refer to,
 * the sort order of every sorted array, and the summary against the
 * records.  Members this version does not know are skipped.
 */
int graph_load(const char *path, graph **out, char **err);

/* The same for text already in memory (len bytes, not necessarily
 * NUL-terminated); `name` is the file name used in messages. */
int graph_load_text(const char *name, const char *text, size_t len, graph **out, char **err);

#endif
