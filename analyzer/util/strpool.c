/*
 * strpool.c - string interning on top of strmap: the map's value is the
 * index of the pool's own copy in `strs`.  The pool owns every copy.
 */
#include "util/strpool.h"

#include <stdlib.h>

#include "util/common.h"
#include "util/strmap.h"

struct strpool {
    strmap *index;
    strvec strs;
};

strpool *strpool_new(void) {
    strpool *p = xcalloc(1, sizeof *p);
    p->index = strmap_new();
    return p;
}

void strpool_free(strpool *p) {
    if (!p) return;
    strmap_free(p->index);
    strvec_free(&p->strs);
    free(p);
}

const char *strpool_intern(strpool *p, const char *s) {
    if (!s) return NULL;
    int added;
    size_t i = strmap_intern(p->index, s, p->strs.n, &added);
    if (added) strvec_push(&p->strs, s);
    return p->strs.v[i];
}
