/*
 * strmap.h - open-addressing hash map from NUL-terminated strings to
 * size_t values.  Keys are copied and owned by the map; values are plain
 * numbers (usually an index into an array owned elsewhere).  Iteration
 * order is unspecified: never emit output in map order.
 */
#ifndef CLEAVE_STRMAP_H
#define CLEAVE_STRMAP_H

#include <stddef.h>

typedef struct strmap strmap;

strmap *strmap_new(void);
void strmap_free(strmap *m); /* NULL is a no-op */
/* Finds key; returns 1 and stores the value in *val (if not NULL), or 0. */
int strmap_get(const strmap *m, const char *key, size_t *val);
/* Inserts or replaces. */
void strmap_put(strmap *m, const char *key, size_t val);
/* Returns the value for key, inserting `val` first if absent; *added
 * (if not NULL) tells which happened. */
size_t strmap_intern(strmap *m, const char *key, size_t val, int *added);
/* The map's own copy of key, inserted first (value 0) if absent; valid
 * until strmap_free. */
const char *strmap_intern_key(strmap *m, const char *key);
size_t strmap_count(const strmap *m);

#endif
