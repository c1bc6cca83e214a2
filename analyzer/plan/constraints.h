/*
 * constraints.h - cleave.json's plan constraints (pins, keep-together,
 * keep-apart) applied to a plan.
 */
#ifndef CLEAVE_CONSTRAINTS_H
#define CLEAVE_CONSTRAINTS_H

#include "plan/config.h"
#include "plan/plan.h"

/*
 * Moves functions so the plan obeys cfg->plan: pinned functions (by id or file
 * glob) go to the named service (made if needed, keeping that name), each
 * keep-together group to one service, and members of a keep-apart group
 * out of each other's service.  Pins win over groups.  Every action, and
 * every constraint that could not be met, is added to p->notes; a pinned
 * function, and one a group moved, says so in p->why.  Finishes the plan
 * again; cannot fail.
 */
void constraints_apply(plan *p, const config *cfg);

#endif
