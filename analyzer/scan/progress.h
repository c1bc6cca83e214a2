/*
 * progress.h - the progress line of a long scan: units done / total,
 * rate, time left and the unit last finished, redrawn in place on stderr.
 * Only for a terminal: a log or CI output gets no progress bytes at all.
 *
 * Not thread-safe: the scan calls it under its own lock.  The line is
 * erased by progress_free, before the scan prints anything else.
 */
#ifndef CLEAVE_PROGRESS_H
#define CLEAVE_PROGRESS_H

#include <stddef.h>

typedef struct progress progress;

/* A display for `total` units; silent unless `enabled`.  Never fails. */
progress *progress_new(size_t total, int enabled);
/* `done` units finished, the last one being `current`; redraws at most
 * ten times a second. */
void progress_update(progress *p, size_t done, const char *current);
/* Erases the line and frees p; NULL is a no-op. */
void progress_free(progress *p);

#endif
