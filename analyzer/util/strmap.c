/*
 * strmap.c - string -> size_t hash map with open addressing and linear
 * probing (FNV-1a hashes).  The table is kept at most half full; keys are
 * owned copies.  No deletion: cleave's maps only grow and are freed whole.
 */
#include "util/strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/common.h"

struct slot {
    char *key; /* NULL = empty */
    uint64_t hash;
    size_t val;
};

struct strmap {
    struct slot *slots;
    size_t cap, count; /* cap is a power of two */
};

static uint64_t hashstr(const char *s) {
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

strmap *strmap_new(void) {
    strmap *m = xcalloc(1, sizeof *m);
    m->cap = 16;
    m->slots = xcalloc(m->cap, sizeof *m->slots);
    return m;
}

void strmap_free(strmap *m) {
    if (!m) return;
    for (size_t i = 0; i < m->cap; i++) free(m->slots[i].key);
    free(m->slots);
    free(m);
}

static struct slot *findslot(struct slot *slots, size_t cap, const char *key, uint64_t h) {
    size_t i = (size_t)h & (cap - 1);
    for (;;) {
        struct slot *s = &slots[i];
        if (!s->key || (s->hash == h && strcmp(s->key, key) == 0)) return s;
        i = (i + 1) & (cap - 1);
    }
}

static void grow(strmap *m) {
    size_t ncap = m->cap * 2;
    struct slot *ns = xcalloc(ncap, sizeof *ns);
    for (size_t i = 0; i < m->cap; i++) {
        struct slot *s = &m->slots[i];
        if (s->key) *findslot(ns, ncap, s->key, s->hash) = *s;
    }
    free(m->slots);
    m->slots = ns;
    m->cap = ncap;
}

int strmap_get(const strmap *m, const char *key, size_t *val) {
    struct slot *s = findslot(m->slots, m->cap, key, hashstr(key));
    if (!s->key) return 0;
    if (val) *val = s->val;
    return 1;
}

/* key's slot, filled with a copy of key and val when absent (*added
 * says which); the slot is valid until the next insertion. */
static struct slot *intern(strmap *m, const char *key, size_t val, int *added) {
    uint64_t h = hashstr(key);
    struct slot *s = findslot(m->slots, m->cap, key, h);
    if (s->key) {
        *added = 0;
        return s;
    }
    s->key = xstrdup(key);
    s->hash = h;
    s->val = val;
    m->count++;
    *added = 1;
    if (m->count * 2 > m->cap) {
        grow(m);
        s = findslot(m->slots, m->cap, key, h);
    }
    return s;
}

size_t strmap_intern(strmap *m, const char *key, size_t val, int *added) {
    int was_added;
    size_t v = intern(m, key, val, &was_added)->val;
    if (added) *added = was_added;
    return v;
}

const char *strmap_intern_key(strmap *m, const char *key) {
    int added;
    return intern(m, key, 0, &added)->key;
}

void strmap_put(strmap *m, const char *key, size_t val) {
    uint64_t h = hashstr(key);
    struct slot *s = findslot(m->slots, m->cap, key, h);
    if (s->key) {
        s->val = val;
        return;
    }
    s->key = xstrdup(key);
    s->hash = h;
    s->val = val;
    m->count++;
    if (m->count * 2 > m->cap) grow(m);
}

size_t strmap_count(const strmap *m) {
    return m->count;
}
