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
/* Assumed duration of one function invocation, in seconds, before it
 * waits on the remote calls it makes ... */
#define FITNESS_DURATION_S 0.1
/* ... for this long each (a round trip inside one data centre). */
#define FITNESS_CALL_WAIT_S 0.001
/* Estimated object code per line of C, in bytes. */
#define FITNESS_BYTES_PER_LOC 48.0

/*
 * Fills p->services.v[i].fitness for every component, p->cost and
 * p->traffic (with the interfaces' rates: traffic.h), and sets
 * p->fitness_done.  `cf` gives thresholds, prices and the traffic model's
 * entry rates (NULL: cleave's defaults); `rate` is the invocations per hour
 * of each entry point cf gives no rate, or <= 0 for the config's
 * invocations_per_hour.  Call after the plan is final (after constraints);
 * plan_finish does not keep fitness.  Never fails; the plan owns what it
 * adds.
 */
void fitness_compute(plan *p, const config_fitness *cf, double rate);

#endif
