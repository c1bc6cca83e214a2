/*
 * evidence.h - what a reader of a source tree sees that files belong to one
 * module, beyond their calls: file-name families, the words that prefix
 * their functions' names, and the project headers they include.
 * Clustering (cluster.c) adds these as feature nodes to the weighted graph
 * of a folder's files, so that files sharing a feature attract each other
 * through it; docs/clustering.md gives the reason for each feature and
 * weight.
 *
 * The features of every file are computed once per graph; evidence_edges
 * then weighs them for one set of files (a folder), where a feature shared
 * by too many of its files says nothing and is dropped.  An evidence owns
 * its strings and arrays; evidence_free releases everything.
 */
#ifndef CLEAVE_EVIDENCE_H
#define CLEAVE_EVIDENCE_H

#include <stddef.h>

#include "graph/graph.h"
#include "plan/wgraph.h"

typedef struct evidence evidence;

/*
 * The features of nfiles files: files[i] is the path of file i, and
 * ffile[f] the file of graph function f (nfiles or more: not one of them).
 * Names of the functions defined in file i give its name prefixes; the
 * graph's units give the headers each file includes.  Never fails.
 */
evidence *evidence_new(const graph *g, const char *const *files, size_t nfiles,
                       const size_t *ffile);
void evidence_free(evidence *e); /* NULL is a no-op */

/*
 * Adds to out the edges between the files nodes[0 .. nn) (local node i for
 * nodes[i]) and one node per feature at least two of them share (numbered
 * from `next`), each weighted by how much the feature says; returns the
 * number of nodes used, `next` plus the features added.  Never fails.
 */
size_t evidence_edges(const evidence *e, const size_t *nodes, size_t nn, size_t next, wedges *out);

/*
 * Whether the files of group g (files[i] with grp[i] == g, i < n) share a
 * feature that marks them off from the other files listed: held by at
 * least two thirds of them (two at least) and by at most half as many of
 * the others.  Such a group has a name, a prefix or a header of its own: a
 * module a reader would see.  Never fails.
 */
int evidence_marks(const evidence *e, const size_t *files, const size_t *grp, size_t n, size_t g);

/*
 * For each of the files[0 .. n) grouped by grp (a folder's files split
 * into modules), what ties it to its group lexically: the features
 * evidence_edges weighs for these files that it shares with other files
 * of its group, strongest first, at most three, as a phrase ("the name
 * vdbe with 4 of its files, the prefix vdbe with 6, the header
 * src/vdbeInt.h with 6"), or "" when it shares none.  out[i] receives
 * file i's phrase; the caller frees each.  Never fails.
 */
void evidence_shared(const evidence *e, const size_t *files, const size_t *grp, size_t n,
                     char **out);

/* The features of file i, one per line ("name vdbe", "prefix Vdbe",
 * "header src/vdbeInt.h"), for `cleave explain`; the caller frees it. */
char *evidence_describe(const evidence *e, size_t i);

#endif
