/*
 * facts.c - life cycle of the per-TU facts record (see facts.h).  The
 * record's arrays hold pointers into its pool, so freeing is one pool plus
 * the arrays.
 */
#include "frontend/facts.h"

#include <stdlib.h>
#include <string.h>

facts *facts_new(const char *file) {
    facts *f = xcalloc(1, sizeof *f);
    f->pool = strpool_new();
    f->file = strpool_intern(f->pool, file);
    return f;
}

void facts_free(facts *f) {
    if (!f) return;
    strvec_free(&f->errors);
    strvec_free(&f->includes);
    strvec_free(&f->defines);
    strvec_free(&f->tests);
    strvec_free(&f->headers);
    free(f->funcs.v);
    free(f->globals.v);
    free(f->calls.v);
    free(f->accesses.v);
    free(f->stores.v);
    free(f->params.v);
    strpool_free(f->pool);
    free(f);
}

const char *facts_str(facts *f, const char *s) {
    return strpool_intern(f->pool, s);
}

int facts_key_is_local(const char *key) {
    return key && strchr(key, FACTS_LOCAL_KEY_SEP) != NULL;
}
