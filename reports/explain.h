/*
 * explain.h - `cleave explain NAME`: the evidence a plan holds about one
 * function, service, file or global, as text for a terminal - the same
 * facts the HTML report shows in its panels (report_model.h): where the
 * thing is, why it is there (plan.json "placement"), how it is reached,
 * the calls that cross a boundary with their sites and evidence, the
 * state, the verdict.
 *
 * NAME is looked up as lookup.h says: a function the project defines (id,
 * then name: every function of that name), a service, a file, a global,
 * an external function; a prefix "function:", "service:", "file:" or
 * "global:" restricts the look-up to that kind.  The other kinds bearing
 * the name are listed last, each with the prefix that asks for it.
 */
#ifndef CLEAVE_EXPLAIN_H
#define CLEAVE_EXPLAIN_H

#include "reports/report_model.h"

/* Long lists (call sites, functions of a file) stop after this many lines. */
#define EXPLAIN_LIST_MAX 20

/*
 * The explanation of name under m.  Returns 0 with *out (the caller frees
 * it), or -1 with *err (the caller frees it) when nothing has that name.
 */
int explain_text(const report_model *m, const char *name, char **out, char **err);

#endif
