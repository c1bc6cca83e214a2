/*
 * test.h - the tiny assertion kit every unit test uses.  A test program
 * calls its cases, then returns test_report(), which prints the closing
 * line "N passed, N failed" and gives ctest a non-zero exit on failure.
 */
#ifndef CLEAVE_TEST_H
#define CLEAVE_TEST_H

#include <stdio.h>
#include <string.h>

static int test_passed, test_failed;

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (cond) {                                                         \
            test_passed++;                                                  \
        } else {                                                            \
            test_failed++;                                                  \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
                    #cond);                                                 \
        }                                                                   \
    } while (0)

#define CHECK_INT(a, b)                                                     \
    do {                                                                    \
        long long a_ = (long long)(a), b_ = (long long)(b);                 \
        if (a_ == b_) {                                                     \
            test_passed++;                                                  \
        } else {                                                            \
            test_failed++;                                                  \
            fprintf(stderr, "%s:%d: %s == %lld, expected %lld\n", __FILE__,  \
                    __LINE__, #a, a_, b_);                                  \
        }                                                                   \
    } while (0)

#define CHECK_STR(a, b)                                                     \
    do {                                                                    \
        const char *a_ = (a), *b_ = (b);                                    \
        if (a_ && b_ && strcmp(a_, b_) == 0) {                              \
            test_passed++;                                                  \
        } else {                                                            \
            test_failed++;                                                  \
            fprintf(stderr, "%s:%d: %s == \"%s\", expected \"%s\"\n",        \
                    __FILE__, __LINE__, #a, a_ ? a_ : "(null)",             \
                    b_ ? b_ : "(null)");                                    \
        }                                                                   \
    } while (0)

static int test_report(void) {
    printf("%d passed, %d failed\n", test_passed, test_failed);
    return test_failed ? 1 : 0;
}

#endif
