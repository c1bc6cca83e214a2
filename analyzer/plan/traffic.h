/*
 * traffic.h - a traffic model of a plan: invocation rates at the program's
 * entry points, carried through the call graph to a rate per function, and
 * from there to the calls per second across each interface and the
 * invocations each component receives (docs/fitness.md, "Traffic").
 *
 * A request is followed as one path: each invocation of a function goes on
 * through one of its call sites, each as likely as the others (a site
 * calling through a pointer splits again among the functions it may
 * reach), and a site inside loops is taken loop_iterations times per loop
 * level.  Rates add up where paths meet; a call that closes a cycle
 * (recursion) is not followed again.  The figures are static estimates:
 * they differ where the code does, and are as right as the entry rates
 * given.
 */
#ifndef CLEAVE_TRAFFIC_H
#define CLEAVE_TRAFFIC_H

#include "plan/config.h"
#include "plan/plan.h"

/*
 * Fills p->traffic (the entry points with their rates), the rate of every
 * interface, and each component's fitness rate_entry, rate_in and rate_out.
 * Entry points and loop iterations come from t, cleave.json's
 * fitness.traffic; every root of the call graph (a defined function nothing
 * else calls) that no entry names runs default_per_hour times an hour.
 * Call after the plan is final and its fitness cleared; never fails.
 */
void traffic_compute(plan *p, const config_traffic *t, double default_per_hour);

/*
 * The same for a plan read back (plan_load.h): over the entry points and
 * loop iterations already in p->traffic, as plan.json recorded them; a
 * root of the call graph the record does not name (code added since) runs
 * default_per_hour times an hour.  Over the graph the plan was made from,
 * every rate is the one `cleave plan` computed, as long as the recorded
 * rates are exact at the four figures plan.json keeps.  Never fails.
 */
void traffic_replay(plan *p, double default_per_hour);

/*
 * Calls per second along each call edge of p->g (indexed as g->calls)
 * under the model traffic_compute or traffic_replay ran; the interface
 * from a to b carries the sum over its remote calls (plan_remote_call).
 * NULL when neither ran.  Never fails; the caller frees the array.
 */
double *traffic_call_rates(const plan *p);

#endif
