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
 * Thread safety: cache_load and cache_store may be called from many
 * threads at once; file hashes are computed once per run and shared.
 *
 * Memory: the cache keeps copies of what it needs from the project, which
 * must outlive it only for its stand-in directory path.
 */
#ifndef CLEAVE_CACHE_H
#define CLEAVE_CACHE_H

#include "facts.h"
#include "project.h"

typedef struct cache cache;

/*
 * A cache in directory dir for project p; the directory is created on
 * the first store.  Never fails (exits on out of memory); cache_free
 * releases it.
 */
cache *cache_new(const char *dir, const project *p);
void cache_free(cache *c); /* NULL is a no-op */

/* The facts cached for job if the entry exists and is still valid, else
 * NULL.  The caller frees the record with facts_free. */
facts *cache_load(cache *c, const project_job *job);

/*
 * Stores f, the front end's record for job, unless the unit had errors or
 * a file it read is missing or changed since the scan started.  Returns 0
 * when stored or deliberately skipped, -1 when the entry could not be
 * written; the first such failure is reported once on stderr ("cleave:
 * warning: <dir>: ...") and later stores are not attempted.
 */
int cache_store(cache *c, const project_job *job, const facts *f);

/*
 * Where the cache of p lives by default: ".cleave-cache" beside the
 * compile database; without one (the tree is walked and must stay
 * untouched) "$XDG_CACHE_HOME/cleave/<root name>-<hash of root>", with
 * $HOME/.cache for an unset XDG_CACHE_HOME.  NULL when neither variable is
 * set.  The caller frees the result.
 */
char *cache_default_dir(const project *p);

#endif
