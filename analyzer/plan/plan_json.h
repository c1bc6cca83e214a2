/*
 * plan_json.h - a split plan as JSON, schema "cleave.plan/1"
 * (docs/plan-json.md).
 */
#ifndef CLEAVE_PLAN_JSON_H
#define CLEAVE_PLAN_JSON_H

#include "plan/plan.h"

/* The JSON text (trailing newline); the caller frees it.  `graph_file` is
 * the graph the plan was made from, as recorded in "input" (may be NULL). */
char *plan_json_render(const plan *p, const char *graph_file);

#endif
