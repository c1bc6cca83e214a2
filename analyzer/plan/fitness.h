/*
 * fitness.h - what each component of a plan should become: a stateless
 * serverless function, a long-running service or a library linked into
 * others, from its state, cold-start size, chattiness and trace depth, with
 * a cost comparison of the two deployment models (docs/fitness.md).
 */
#ifndef CLEAVE_FITNESS_H
#define CLEAVE_FITNESS_H

#include "plan/config.h"
#include "plan/plan.h"

/* Months are 730 hours in the cost model. */
#define FITNESS_HOURS_PER_MONTH 730.0
/* Assumed duration of one function invocation, in seconds. */
#define FITNESS_DURATION_S 0.1
/* Estimated object code per line of C, in bytes. */
#define FITNESS_BYTES_PER_LOC 48.0

/*
 * Fills p->services.v[i].fitness for every component and p->cost, and sets
 * p->fitness_done.  `cf` gives thresholds and prices (NULL: cleave's
 * defaults); `rate` is invocations per hour per component, or <= 0 for the
 * config's invocations_per_hour.  Call after the plan is final (after
 * constraints); plan_finish does not keep fitness.  Never fails; the plan
 * owns what it adds.
 */
void fitness_compute(plan *p, const config_fitness *cf, double rate);

#endif
