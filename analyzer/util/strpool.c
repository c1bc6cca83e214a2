/*
 * strpool.c - string interning on top of strmap: the pool's copy of a
 * string is the map's own copy of the key (one copy per string, not one
 * for the map and one for the pool).  The pool owns every copy.
 */
#include "util/strpool.h"

#include <stdlib.h>

#include "util/common.h"
#include "util/strmap.h"

struct strpool {
    strmap *index;
};

strpool *strpool_new(void) {
    strpool *p = xcalloc(1, sizeof *p);
    p->index = strmap_new();
    return p;
}

void strpool_free(strpool *p) {
    if (!p) return;
    strmap_free(p->index);
    free(p);
}

const char *strpool_intern(strpool *p, const char *s) {
    return s ? strmap_intern_key(p->index, s) : NULL;
}
