/*
 * baseline.h - known violations `cleave check` accepts: a JSON file of
 * finding keys (schema cleave.baseline/1, docs/check.md).  Keys carry no
 * line numbers, so moving code keeps its entry.
 */
#ifndef CLEAVE_BASELINE_H
#define CLEAVE_BASELINE_H

#include "check/check.h"

/* The baseline text for every finding of c (sorted keys, no repeats);
 * the caller frees it; never fails. */
char *baseline_render(const check_result *c);

/*
 * Reads the baseline at path and applies it to c: findings whose key it
 * lists are marked baselined, and its keys no finding matched go to
 * c->stale.  Returns 0, or -1 with *err = "<path>:<line>:<col>: <message>"
 * (the caller frees it).
 */
int baseline_apply(const char *path, check_result *c, char **err);

#endif
