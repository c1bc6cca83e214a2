/*
 * test_strmap.c - unit tests of analyzer/util/strmap.c (string -> size_t map)
 * and analyzer/util/strpool.c (interning): lookups, replacement, interning,
 * key ownership, and growth far past the initial table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/common.h"
#include "util/strmap.h"
#include "util/strpool.h"
#include "test.h"

/* Enough keys to force a dozen or more doublings of the table. */
#define MANY 200000

static void test_map_basic(void) {
    strmap *m = strmap_new();
    size_t v = 12345;
    CHECK_INT(strmap_count(m), 0);
    CHECK(!strmap_get(m, "absent", &v));
    CHECK_INT(v, 12345); /* untouched on a miss */

    strmap_put(m, "main", 1);
    strmap_put(m, "helper", 2);
    CHECK_INT(strmap_count(m), 2);
    CHECK(strmap_get(m, "main", &v));
    CHECK_INT(v, 1);
    CHECK(strmap_get(m, "helper", &v));
    CHECK_INT(v, 2);
    CHECK(strmap_get(m, "main", NULL)); /* the value is optional */
    CHECK(!strmap_get(m, "mai", NULL));
    CHECK(!strmap_get(m, "main2", NULL));
    CHECK(!strmap_get(m, "Main", NULL));

    /* put replaces without adding */
    strmap_put(m, "main", 10);
    CHECK_INT(strmap_count(m), 2);
    CHECK(strmap_get(m, "main", &v));
    CHECK_INT(v, 10);

    /* the empty string is a key like any other; values may be 0 or huge */
    CHECK(!strmap_get(m, "", NULL));
    strmap_put(m, "", 0);
    strmap_put(m, "max", (size_t)-1);
    CHECK_INT(strmap_count(m), 4);
    CHECK(strmap_get(m, "", &v));
    CHECK_INT(v, 0);
    CHECK(strmap_get(m, "max", &v));
    CHECK(v == (size_t)-1);
    strmap_free(m);
    strmap_free(NULL);
}

static void test_map_intern(void) {
    strmap *m = strmap_new();
    int added = -1;
    CHECK_INT(strmap_intern(m, "f", 7, &added), 7);
    CHECK_INT(added, 1);
    /* an existing key keeps its value */
    CHECK_INT(strmap_intern(m, "f", 99, &added), 7);
    CHECK_INT(added, 0);
    CHECK_INT(strmap_intern(m, "g", 8, NULL), 8);
    CHECK_INT(strmap_intern(m, "g", 9, NULL), 8);
    CHECK_INT(strmap_count(m), 2);
    size_t v = 0;
    CHECK(strmap_get(m, "f", &v));
    CHECK_INT(v, 7);

    /* intern after put sees the put value, put after intern replaces it */
    strmap_put(m, "h", 3);
    CHECK_INT(strmap_intern(m, "h", 4, &added), 3);
    CHECK_INT(added, 0);
    strmap_put(m, "f", 70);
    CHECK_INT(strmap_intern(m, "f", 0, NULL), 70);
    CHECK_INT(strmap_count(m), 3);

    /* the map's own copy of a key: one per key, a new one with value 0,
     * an existing one keeping its value */
    char buf[8] = "k";
    const char *k = strmap_intern_key(m, buf);
    CHECK(k != buf);
    CHECK_STR(k, "k");
    CHECK(strmap_intern_key(m, "k") == k);
    CHECK(strmap_get(m, "k", &v) && v == 0);
    CHECK_STR(strmap_intern_key(m, "f"), "f");
    CHECK(strmap_get(m, "f", &v) && v == 70);
    CHECK_INT(strmap_count(m), 4);
    strmap_free(m);
}

static void test_map_owns_keys(void) {
    strmap *m = strmap_new();
    char buf[32];
    strcpy(buf, "first");
    strmap_put(m, buf, 1);
    strcpy(buf, "other");
    strmap_intern(m, buf, 2, NULL);
    strcpy(buf, "XXXXX");
    CHECK(strmap_get(m, "first", NULL));
    CHECK(strmap_get(m, "other", NULL));
    CHECK(!strmap_get(m, "XXXXX", NULL));

    char *heap = xstrdup("heap-key");
    strmap_put(m, heap, 3);
    free(heap);
    size_t v = 0;
    CHECK(strmap_get(m, "heap-key", &v));
    CHECK_INT(v, 3);

    /* a long key */
    size_t n = 20000;
    char *longkey = xmalloc(n + 1);
    memset(longkey, 'k', n);
    longkey[n] = '\0';
    strmap_put(m, longkey, 4);
    longkey[n - 1] = 'j';
    CHECK(!strmap_get(m, longkey, NULL));
    longkey[n - 1] = 'k';
    CHECK(strmap_get(m, longkey, &v));
    CHECK_INT(v, 4);
    free(longkey);
    strmap_free(m);
}

static void test_map_growth(void) {
    strmap *m = strmap_new();
    char key[64];
    for (size_t i = 0; i < MANY; i++) {
        snprintf(key, sizeof key, "file%zu.c:fn_%zu", i % 977, i);
        strmap_put(m, key, i);
    }
    CHECK_INT(strmap_count(m), MANY);

    size_t bad = 0, v;
    for (size_t i = 0; i < MANY; i++) {
        snprintf(key, sizeof key, "file%zu.c:fn_%zu", i % 977, i);
        if (!strmap_get(m, key, &v) || v != i) bad++;
    }
    CHECK_INT(bad, 0);

    /* near misses are absent: other suffixes, other prefixes */
    for (size_t i = 0; i < 1000; i++) {
        snprintf(key, sizeof key, "file%zu.c:fn_%zu", i % 977, i + MANY);
        if (strmap_get(m, key, NULL)) bad++;
        snprintf(key, sizeof key, "file%zu.c:fn_%zu", (i + 1) % 977, i);
        if (strmap_get(m, key, NULL)) bad++;
    }
    CHECK_INT(bad, 0);

    /* replacing every other value after the growth keeps the count */
    for (size_t i = 0; i < MANY; i += 2) {
        snprintf(key, sizeof key, "file%zu.c:fn_%zu", i % 977, i);
        strmap_put(m, key, i + 1);
    }
    CHECK_INT(strmap_count(m), MANY);
    for (size_t i = 0; i < MANY; i++) {
        snprintf(key, sizeof key, "file%zu.c:fn_%zu", i % 977, i);
        if (!strmap_get(m, key, &v) || v != (i % 2 ? i : i + 1)) bad++;
    }
    CHECK_INT(bad, 0);
    strmap_free(m);

    /* growth through strmap_intern, with short keys that share prefixes */
    m = strmap_new();
    size_t added_n = 0;
    for (size_t i = 0; i < MANY; i++) {
        int added;
        snprintf(key, sizeof key, "%zx", i);
        if (strmap_intern(m, key, i, &added) != i) bad++;
        added_n += (size_t)added;
        snprintf(key, sizeof key, "%zx", i / 2); /* seen before */
        if (strmap_intern(m, key, 0, &added) != i / 2 || added) bad++;
    }
    CHECK_INT(bad, 0);
    CHECK_INT(added_n, MANY);
    CHECK_INT(strmap_count(m), MANY);
    strmap_free(m);
}

static void test_pool(void) {
    strpool *p = strpool_new();
    char a[16] = "symbol", b[16] = "symbol";
    const char *pa = strpool_intern(p, a);
    const char *pb = strpool_intern(p, b);
    CHECK(pa == pb); /* equal strings: one copy */
    CHECK(pa != a && pa != b);
    CHECK_STR(pa, "symbol");
    strcpy(a, "changed"); /* the pool kept its own copy */
    CHECK_STR(pa, "symbol");

    const char *pc = strpool_intern(p, "symbol2");
    CHECK(pc != pa);
    CHECK_STR(pc, "symbol2");
    CHECK(strpool_intern(p, NULL) == NULL);
    const char *e1 = strpool_intern(p, "");
    const char *e2 = strpool_intern(p, "");
    CHECK(e1 == e2 && e1 != NULL && *e1 == '\0');

    /* pointers stay valid and unique while the pool grows */
    const char **ptrs = xmalloc(MANY * sizeof *ptrs);
    char key[32];
    for (size_t i = 0; i < MANY; i++) {
        snprintf(key, sizeof key, "s%zu", i);
        ptrs[i] = strpool_intern(p, key);
    }
    size_t bad = 0;
    for (size_t i = 0; i < MANY; i++) {
        snprintf(key, sizeof key, "s%zu", i);
        if (strpool_intern(p, key) != ptrs[i] || strcmp(ptrs[i], key) != 0) bad++;
    }
    CHECK_INT(bad, 0);
    CHECK(strpool_intern(p, "symbol") == pa);
    CHECK_STR(pa, "symbol");
    free(ptrs);
    strpool_free(p);
    strpool_free(NULL);
}

static const test_case cases[] = {
    {"map_basic", test_map_basic},
    {"map_intern", test_map_intern},
    {"map_owns_keys", test_map_owns_keys},
    {"map_growth", test_map_growth},
    {"pool", test_pool},
};

int main(int argc, char **argv) {
    return test_main(argc, argv, cases, TEST_COUNT(cases));
}
