/*
 * lookup.h - what a name given on the command line stands for, as
 * `cleave graph --focus NAME` and `cleave explain NAME` look it up: a
 * function, a service, a file, a directory or a global.
 *
 * A prefix "function:", "service:", "file:", "dir:" or "global:" asks for
 * that kind only.  A bare name is looked up as a function the project
 * defines (by id, else every one of that name), a service, a file, a
 * directory, a global (by id, else every one of that name), and last as an
 * external function: libc's read() does not hide a service named read,
 * "function:read" asks for it.  The answer says which kind matched and
 * which others bear the name too, so a command can say what it chose.
 *
 * Memory: a lookup owns its index list; lookup_free releases it.
 */
#ifndef CLEAVE_LOOKUP_H
#define CLEAVE_LOOKUP_H

#include "graph/graph.h"
#include "plan/plan.h"

enum lookup_kind {
    LOOKUP_FUNCTION = 0, /* defined functions */
    LOOKUP_SERVICE,
    LOOKUP_FILE,
    LOOKUP_DIR,
    LOOKUP_GLOBAL,
    LOOKUP_EXTERNAL, /* functions declared, defined elsewhere (libc) */
    LOOKUP_KINDS
};

#define LOOKUP_BIT(k) (1u << (k))

typedef struct lookup {
    int kind;         /* enum lookup_kind of the match */
    const char *name; /* the name without its prefix (points into the name given) */
    idxvec items;     /* graph function indexes (function, service, file, directory,
                         external), graph global indexes (global) */
    size_t service;   /* the service's index (kind LOOKUP_SERVICE) */
    unsigned also;    /* LOOKUP_BITs of the kinds after the match that bear the name too */
} lookup;

/*
 * Looks name up among the kinds `allowed` (LOOKUP_BITs; services only with
 * a plan p, which may be NULL).  Returns 0 with *out filled (the caller
 * frees it with lookup_free), or -1 with *err (the caller frees it):
 * "no function, service or file named 'x'", "no service named 'x'", or,
 * for a prefix of a kind not allowed, what may be named.  `where` ends
 * the first two messages (" in the plan"; "" for none).
 */
int lookup_name(const graph *g, const plan *p, const char *name, unsigned allowed,
                const char *where, lookup *out, char **err);
void lookup_free(lookup *l);

/* "function", "service", "file", "directory", "global", "external function". */
const char *lookup_kind_name(int kind);
/* The prefix that asks for that kind: "function:" ... ("function:" for an
 * external function too). */
const char *lookup_kind_prefix(int kind);

#endif
