/*
 * check.h - `cleave check` findings: the current code compared with a
 * committed plan (plan_load.h) and the rules of cleave.json (docs/check.md
 * lists every rule).  Findings are plain data that the reporters
 * (reports/check_report.h) print and the baseline (baseline.h) matches.
 *
 * Invariants: findings are sorted by (file, line, col, rule, key); each
 * key names the rule and the functions, services or globals involved but
 * no line, so moving code keeps it.  The result owns all its strings.
 */
#ifndef CLEAVE_CHECK_H
#define CLEAVE_CHECK_H

#include <stddef.h>
#include "plan/config.h"
#include "plan/plan_load.h"

typedef struct check_finding {
    unsigned rule;       /* enum config_rule */
    unsigned severity;   /* enum config_severity */
    char *file;          /* relative to the project root */
    int line, col;
    char *message;       /* what is wrong and what to do */
    char *key;           /* baseline key: "<rule>:<subject>" */
    unsigned baselined;  /* a baseline entry accepts it */
} check_finding;

typedef struct check_result {
    struct { check_finding *v; size_t n, cap; } findings;
    strvec stale;        /* baseline keys no finding matched (fixed violations) */
    int baseline;        /* a baseline was applied (baseline_apply) */
    size_t units, units_parsed;
} check_result;

/* Computes the findings of the graph under r against r's committed plan
 * and cfg's rules; never fails; free with check_result_free. */
check_result *check_run(const plan_ref *r, const config *cfg);
void check_result_free(check_result *c); /* NULL is a no-op */
/* One sentence describing a rule (for rule metadata in reports). */
const char *check_rule_help(unsigned rule);
/* Findings of this severity not accepted by the baseline. */
size_t check_count(const check_result *c, unsigned severity);

#endif
