/*
 * svcgroups.h - a large plan's components grouped by where their code
 * lives, for the views that must stay readable at the scale of a real
 * monolith (dot_groups_text, the HTML report's map): each component goes
 * by its dominant file (the file holding most of its lines), the group is
 * the folder below the folder every component shares, and a group holding
 * more than 2 sqrt(components) of them (at least GROUP_SPLIT_MIN) is
 * split one folder (or, at the bottom, its file) deeper, until none is
 * that big or its members' paths end.  PostgreSQL's backend:
 * backend/access, backend/utils, ...
 *
 * Plain data, deterministic: groups are sorted by name; the names are
 * paths below the shared folder ("access/heap", "execute_cmd.c").
 * Memory: a svcgroups owns its arrays and names.
 */
#ifndef CLEAVE_SVCGROUPS_H
#define CLEAVE_SVCGROUPS_H

#include <stddef.h>

#include "plan/plan.h"

typedef struct svcgroups {
    size_t n;        /* groups */
    char **names;    /* per group, sorted */
    size_t *of;      /* per service: its group */
    size_t *members; /* per group: how many services */
} svcgroups;

/* The groups of p's components; never fails.  Free with svcgroups_free. */
void svcgroups_build(const plan *p, svcgroups *out);
void svcgroups_free(svcgroups *gr); /* frees what gr holds; NULL is a no-op */

#endif
