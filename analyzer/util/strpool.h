/*
 * strpool.h - string interning.  Each distinct string is stored once; the
 * returned pointers stay valid until strpool_free, so records can hold
 * `const char *` into the pool and compare ids by pointer within one pool.
 */
#ifndef CLEAVE_STRPOOL_H
#define CLEAVE_STRPOOL_H

typedef struct strpool strpool;

strpool *strpool_new(void);
void strpool_free(strpool *p); /* NULL is a no-op; frees every interned string */
/* Returns the pool's copy of s (NULL for NULL). */
const char *strpool_intern(strpool *p, const char *s);

#endif
