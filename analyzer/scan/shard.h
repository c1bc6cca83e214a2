/*
 * shard.h - slices of a project for a CI fleet (`cleave scan --shard K/N`)
 * and the shard files that carry a slice's facts to `cleave merge`.
 *
 * Unit u is in slice hash(u's path relative to the root) mod N + 1: the
 * same on every machine whatever the checkout path, and a unit keeps its
 * slice as other files come and go, so a per-slice cache stays warm.
 *
 * A shard file (facts_io format, kind FACTS_IO_SHARD) holds what the graph
 * needs besides the records: the root as given, the database name, the
 * stand-ins (with how many of the slice's units included each), the code
 * no unit compiles and the builds chosen, plus the slice, the project's
 * unit count and a fingerprint of its unit list, so a merge can check
 * that its inputs are the N slices of one project.  It also says where
 * the project was and how it was opened (absolute root, database and
 * --allow-dir folders, the database's digest), so that a merge can open
 * it again to read the second builds a slice cannot know of
 * (shard_project; scan_second_builds).
 *
 * Memory: a shard read from a file owns all its strings and records.
 */
#ifndef CLEAVE_SHARD_H
#define CLEAVE_SHARD_H

#include <stdint.h>

#include "frontend/project.h"
#include "scan/scan.h"

typedef struct shard {
    char *root;       /* the project root as the scan was given it */
    char *compile_db; /* as the graph names it, or NULL */
    char *root_path;  /* the project root, absolute */
    char *db_path;    /* the database, absolute, or NULL */
    uint64_t db_digest; /* project.db_digest */
    strvec allowed;   /* the --allow-dir folders, absolute */
    uint64_t flags_dropped; /* the database's arguments not passed to libclang */
    struct { project_standin *v; size_t n, cap; } standins;
    struct { size_t *v; size_t n, cap; } standin_units; /* per stand-in, in this slice */
    struct { project_unseen *v; size_t n, cap; } unseen;
    struct { project_build *v; size_t n, cap; } builds;
    uint64_t project; /* fingerprint of the whole unit list */
    unsigned k, n;    /* slice k of n */
    uint64_t total;   /* units in the whole project */
    struct { facts **v; size_t n, cap; } tus;
} shard;

/* Whether unit `job` of p is in slice k of n (1 <= k <= n). */
int shard_has(const project *p, size_t job, unsigned k, unsigned n);
/* Fingerprint of p's unit list (root-relative paths, in job order). */
uint64_t shard_project_id(const project *p);

/*
 * Writes the records of slice k of n (u, from scan_run) to path, an
 * output the user named (file_write_output, FILE_OUT_NAMED), signed with
 * key (CLEAVE_CACHE_KEY; NULL for none).  Returns 0, or -1 with errno set.
 */
int shard_write(const char *path, const project *p, const char *root, unsigned k, unsigned n,
                const scan_units *u, const char *key);

/*
 * Reads a shard file; with a key (NULL for none) it must be signed with
 * it.  Returns 0 and a new shard in *out, or -1 and "<path>: <reason>" in
 * *err (caller frees); a damaged or unsigned file is rejected whole.
 */
int shard_read(const char *path, const char *key, shard **out, char **err);
void shard_free(shard *s); /* NULL is a no-op */

/*
 * Checks that s[0..count) (read from files names[0..count)) are the n
 * slices of one project, each exactly once: the same project, root,
 * database, dropped flag count and stand-ins, no slice twice, none missing, and as many
 * units as the project has.  Returns 0, or -1 with the first problem
 * found in *err (caller frees).  count must be at least 1.
 */
int shard_check(shard *const *s, const char *const *names, size_t count, char **err);

/*
 * How many second builds (a file again, in the build a program linking it
 * uses: docs/scanning.md) the first round of a whole scan of the project
 * would read that the slices s[0..count) do not hold: a slice reads one
 * build per file, as it sees only part of the programs.  0: the merged
 * records are a whole scan's as they are.  Never fails; the records are
 * only read.
 */
size_t shard_second_builds(shard *const *s, size_t count);

/*
 * Opens again the project slice s (one that shard_check accepted: they
 * agree) was scanned from, as it was scanned (root, database, --allow-dir
 * folders), for shard_graph to read second builds with.  Returns 0 and
 * the project in *out (free with project_free); 1 when the root or the
 * database cannot be read here (shards merged on another machine), or
 * the root is not the working directory or below it (a forged shard does
 * not choose what a merge parses), with "<path>: <reason>" in *err; -1
 * when it can but is not what the shards
 * were scanned from (the database changed, the units differ) or cannot be
 * opened, with a one-line message naming the file in *err.  The caller
 * frees *err.
 */
int shard_project(const shard *s, project **out, char **err);

/*
 * The graph of s[0..count), slices shard_check accepted: what one scan of
 * the whole project gives (`cleave merge`).  With p (from shard_project),
 * the second builds the programs need are read as a whole scan reads
 * them (scan_second_builds, with opt's cache, -j, timeout and quiet);
 * with p NULL, none.  *parsed receives how many units were parsed at
 * least in part.  Never fails; the shards' records are only read; the
 * caller frees the graph.
 */
graph *shard_graph(shard *const *s, size_t count, const project *p, const scan_options *opt,
                   size_t *parsed);

#endif
