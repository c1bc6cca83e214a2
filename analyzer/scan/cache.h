/*
 * cache.h - the per-TU facts cache: a TU is parsed again only when its
 * source, its flags or a file it included changed.
 *
 * An entry is one file, <dir>/<key>.facts (facts_io format, kind
 * FACTS_IO_CACHE).  The key hashes what the front end's output depends on
 * besides file contents: the job's file, directory and cleaned arguments
 * and the project root (ids hold root-relative paths).  The entry holds
 * the tool that wrote it (the libclang version and a hash of the cleave
 * executable: a rebuilt cleave may extract differently), the full key text
 * (no hash collision can pass), the size and content hash (hash.h) of the
 * source and of every file the TU included, then the facts.  It is valid
 * only for the same tool and while all of those contents still match:
 * content hashes, not modification times, decide.
 *
 * Only units that parsed without error are stored: an error may come from
 * a header that is missing now and appears later, which no recorded hash
 * would notice.  A file modified after the scan started is not trusted
 * either (the entry could describe a state between two edits).
 *
 * Entries are written to a temporary file and renamed into place, so a
 * killed run or two scans at once never leave a partial entry; a corrupt
 * one (disk trouble, a crash) fails facts_io's checks and is a miss.
 *
 * Besides unit entries, <dir>/graph-<name>.facts keeps the last whole
 * graph of a project (see cache_graph_load).
 *
 * Thread safety: cache_load, cache_probe and cache_store may be called
 * from many threads at once; file hashes are computed once per cache (one
 * scan) and shared.
 *
 * Memory: the cache copies what it needs from the project.
 */
#ifndef CLEAVE_CACHE_H
#define CLEAVE_CACHE_H

#include <stdint.h>

#include "frontend/facts.h"
#include "frontend/project.h"

typedef struct cache cache;

/*
 * A cache in directory dir for project p; the directory is created on
 * the first store.  Unless quiet, the first store that fails says so on
 * stderr (a warning: the scan goes on without).  Never fails (exits on
 * out of memory); cache_free releases it.
 */
cache *cache_new(const char *dir, const project *p, int quiet);
void cache_free(cache *c); /* NULL is a no-op */

/* The facts cached for job if the entry exists and is still valid, else
 * NULL; *digest then receives the entry's digest (see cache_probe).  The
 * caller frees the record with facts_free. */
facts *cache_load(cache *c, const project_job *job, uint64_t *digest);

/*
 * Stores f, the front end's record for job, unless the unit had errors or
 * a file it read is missing or changed since the scan started.  Returns 1
 * when stored (*digest receives the new entry's digest), 0 when
 * deliberately not, -1 when the entry could not be written; the first
 * such failure is reported once on stderr ("cleave: warning: <dir>:
 * ...") and later stores are not attempted.
 */
int cache_store(cache *c, const project_job *job, const facts *f, uint64_t *digest);

/*
 * Whether job's entry exists and is still valid, without reading its
 * facts; *digest then receives a hash of the whole entry, which changes
 * whenever the entry does.
 */
int cache_probe(cache *c, const project_job *job, uint64_t *digest);

/*
 * Whole graphs, so that a scan in which nothing changed neither merges
 * nor renders: one entry per `name` (which project, shown how), valid for
 * one `key` (what every unit's entry held, see scan.c).  Load returns the
 * graph JSON and its summary text (both for the caller to free), or NULL.
 * Store returns 0 or -1 as cache_store does.
 */
char *cache_graph_load(cache *c, const char *name, const char *key, char **summary);
int cache_graph_store(cache *c, const char *name, const char *key, const char *json,
                      const char *summary);

/*
 * Where the cache of p lives by default: ".cleave-cache" beside the
 * compile database; without one (the tree is walked and must stay
 * untouched) "$XDG_CACHE_HOME/cleave/<root name>-<hash of root>", with
 * $HOME/.cache for an unset XDG_CACHE_HOME.  NULL when neither variable is
 * set.  The caller frees the result.
 */
char *cache_default_dir(const project *p);

#endif
