/*
 * partition.h - a flat decomposition: each entity (a file) in exactly one
 * named cluster.  What `cleave compare` compares (compare.h); read from a
 * cleave plan, an RSF file or a clustering JSON, or built in memory.
 *
 * Entities and cluster names are compared as written (no path
 * normalisation), like the published scoring tools do.  Memory: the
 * partition owns its pool, index and items.
 */
#ifndef CLEAVE_PARTITION_H
#define CLEAVE_PARTITION_H

#include <stddef.h>

#include "util/strmap.h"
#include "util/strpool.h"

typedef struct partition_item {
    const char *entity, *cluster; /* in the partition's pool */
} partition_item;

typedef struct partition {
    strpool *pool;
    strmap *index; /* entity -> its position in items */
    /* one per entity, in order of first mention until partition_sort
     * (partition_load sorts) */
    struct { partition_item *v; size_t n, cap; } items;
    const char *format; /* "plan", "rsf" or "clustering" as read; NULL when built */
} partition;

/* An empty partition; never fails. */
partition *partition_new(void);
void partition_free(partition *p); /* NULL is a no-op */

/* Puts entity in cluster; an entity added again moves to the new cluster
 * (the later mention wins, as in RSF scoring). */
void partition_add(partition *p, const char *entity, const char *cluster);

/* Sorts the items by entity (strcmp order). */
void partition_sort(partition *p);

/* Clusters holding at least one entity. */
size_t partition_cluster_count(const partition *p);

/*
 * Reads a partition from path, telling the format by content:
 *   - a JSON object with "schema": "cleave.plan/1": its "services", each
 *     {"name": ..., "files": [...]}; a file in two services is an error;
 *   - a JSON object with "structure": clustering JSON (the SARIF/ARCADE
 *     ground-truth format), groups {"name", "nested": [{"name"}, ...]};
 *   - anything else: RSF, "contain CLUSTER FILE" lines, other lines ignored.
 * In the last two a file mentioned twice stays in its later cluster.
 * The items come out sorted.  Returns 0 with *out set (free with
 * partition_free), or -1 with *err = "<path>:<line>:<col>: <message>"
 * (the caller frees it).
 */
int partition_load(const char *path, partition **out, char **err);

#endif
