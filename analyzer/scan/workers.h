/*
 * workers.h - units parsed in worker processes, so that a unit whose
 * parse crashes (libclang overflows its stack on 50,000 nested unary
 * minuses) or runs past a time limit fails alone, with the signal or the
 * limit in its errors, and the scan goes on with the others.
 *
 * The scan forks its workers (one per -j) when the first unit must be
 * parsed, after loading libclang, so a scan that parses nothing starts
 * none and a broken libclang installation still ends the scan once, with
 * its message.  Each worker is fed one unit at a time over a socket pair;
 * it parses the unit, writes its cache entry and sends the record back in
 * the facts_io format (kind FACTS_IO_UNIT, facts_io.h), which the scan
 * checks as it checks a cache entry: a process that has parsed hostile
 * code is not trusted either.  A worker that dies or is killed at the time
 * limit is replaced for the units left.  The records do not depend on
 * which worker parsed what: a worker starts from the scan's state and
 * keeps nothing from one unit to the next that the record depends on.
 * docs/security.md has the design and docs/performance.md its cost.
 */
#ifndef CLEAVE_WORKERS_H
#define CLEAVE_WORKERS_H

#include <stdint.h>

#include "frontend/facts.h"
#include "frontend/project.h"
#include "scan/cache.h"

/*
 * Unit k of the batch is done: f is its record (the callee owns it), kept
 * whether its cache entry was written and digest that entry's digest
 * (cache_store).  Called in the scan's own process, one unit at a time,
 * in the order they finish.
 */
typedef void (*workers_done_fn)(void *ctx, size_t k, facts *f, int kept, uint64_t digest);

/*
 * Parses the units jobs[0..n) (indexes into p->jobs), handed out in that
 * order to up to `procs` worker processes, each unit allowed `timeout`
 * seconds (0: no limit), storing each record in the cache c (NULL: none).
 * A unit whose worker crashes, exits or is killed at the limit comes back
 * as a failed record (frontend_failed) naming the signal, the exit status
 * or the limit.  When no worker process can be started at all, units are
 * parsed in this process (with a warning).  Must be called while the
 * process runs no other thread (fork copies only the caller).  Never
 * fails: every unit gets its done() call.
 */
void workers_parse(const project *p, cache *c, const size_t *jobs, size_t n, int procs,
                   int timeout, workers_done_fn done, void *ctx);

#endif
