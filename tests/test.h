/*
 * test.h - the unit-test kit: named cases, checks and a runner.
 *
 * A test file defines its cases as `static void name(void)` functions and
 * registers them in one table, in the order they run:
 *
 *     static const test_case cases[] = {
 *         {"path_join", test_path_join},
 *         {"path_normalize", test_path_normalize},
 *     };
 *     int main(int argc, char **argv) {
 *         return test_main(argc, argv, cases, TEST_COUNT(cases));
 *     }
 *
 * Setup shared by every case (a scratch directory) goes in main around
 * test_main.  A case left out of the table is a "defined but not used"
 * error under -Werror, so none is forgotten.
 *
 * Running: `build-test/tests/test_common` runs every case;
 * `build-test/tests/test_common path_join path_normalize` only those (in
 * the order given); `--list` prints the names.  ctest runs each file as one
 * test (`ctest -R test_common`).  A case may run alone, so it sets up what
 * it needs itself.  Checks belong on the thread running the case: the
 * counters are plain ints, and REQUIRE jumps back into that thread.
 *
 * Checks, each counted and, when it fails, printed as one line
 * "file:line: [case] what failed" on stderr:
 *   CHECK(cond)             cond is true
 *   CHECK_INT(a, b)         a == b as long long integers
 *   CHECK_STR(a, b)         equal C strings (NULL equals nothing)
 *   CHECK_DBL(a, b, tol)    |a - b| <= tol (NaN only matches NaN)
 *   CHECK_MEM(a, b, n)      the first n bytes equal (NULL equals nothing)
 *   REQUIRE(cond)           as CHECK, but a failure stops the case
 * A case fails when any of its checks fails; the run goes on with the next
 * case.  At the end test_main prints each failed case with its count of
 * failed checks, the checks passed and failed, then "N passed, N failed"
 * (cases), and returns 1 when a case failed, 0 otherwise (2 for an
 * unknown case name).
 *
 * REQUIRE guards what the rest of the case needs (`REQUIRE(g != NULL)`
 * before using g).  It stops the case with longjmp back into test_main,
 * so it works from helper functions too (a `return` would only leave the
 * innermost function, and not one returning a value).
 * longjmp is safe under AddressSanitizer (it unpoisons the abandoned
 * stack), but it skips the case's own cleanup: what the case allocated
 * before a failing REQUIRE is lost, and LeakSanitizer may list it after
 * the failure messages.  A passing REQUIRE costs nothing, so the common
 * path leaks nothing.  REQUIRE outside a case (in main) exits the program.
 *
 * test_random(&state) steps a xorshift64 sequence: random inputs that are
 * the same on every run.
 */
#ifndef CLEAVE_TEST_H
#define CLEAVE_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct test_case {
    const char *name;
    void (*fn)(void);
} test_case;

#define TEST_COUNT(table) (sizeof(table) / sizeof *(table))

/* The runner's state: one per test program (each file includes this once). */
static struct {
    const char *current;   /* the running case, NULL between cases */
    int checks_passed, checks_failed;
    int case_failed;       /* failed checks of the running case */
    int case_stopped;      /* ... and a REQUIRE stopped it */
    jmp_buf stop;          /* where a failed REQUIRE returns to */
} test_state;

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static inline void test_fail(const char *file, int line, const char *fmt, ...) {
    test_state.checks_failed++;
    test_state.case_failed++;
    fprintf(stderr, "%s:%d: [%s] ", file, line,
            test_state.current ? test_state.current : "main");
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* Counts one check; returns ok so the macros can act on a failure. */
static inline int test_pass(int ok) {
    if (ok) test_state.checks_passed++;
    return ok;
}

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!test_pass(!!(cond)))                                           \
            test_fail(__FILE__, __LINE__, "check failed: %s", #cond);       \
    } while (0)

#define REQUIRE(cond)                                                       \
    do {                                                                    \
        if (!test_pass(!!(cond))) {                                         \
            test_fail(__FILE__, __LINE__, "required, stopping the case: %s", \
                      #cond);                                               \
            test_stop();                                                    \
        }                                                                   \
    } while (0)

#define CHECK_INT(a, b)                                                     \
    do {                                                                    \
        long long a_ = (long long)(a), b_ = (long long)(b);                 \
        if (!test_pass(a_ == b_))                                           \
            test_fail(__FILE__, __LINE__, "%s == %lld, expected %lld", #a,  \
                      a_, b_);                                              \
    } while (0)

#define CHECK_STR(a, b)                                                     \
    do {                                                                    \
        const char *a_ = (a), *b_ = (b);                                    \
        if (!test_pass(a_ && b_ && strcmp(a_, b_) == 0))                    \
            test_fail(__FILE__, __LINE__, "%s == \"%s\", expected \"%s\"",  \
                      #a, a_ ? a_ : "(null)", b_ ? b_ : "(null)");          \
    } while (0)

#define CHECK_DBL(a, b, tol)                                                \
    do {                                                                    \
        double a_ = (a), b_ = (b), d_ = a_ - b_;                            \
        int nan_ = a_ != a_, wantnan_ = b_ != b_;                           \
        if (!test_pass(nan_ || wantnan_ ? nan_ && wantnan_                  \
                                        : d_ <= (tol) && -d_ <= (tol)))     \
            test_fail(__FILE__, __LINE__, "%s == %.17g, expected %.17g (within %g)", \
                      #a, a_, b_, (double)(tol));                           \
    } while (0)

#define CHECK_MEM(a, b, n)                                                  \
    do {                                                                    \
        const unsigned char *a_ = (const void *)(a), *b_ = (const void *)(b); \
        size_t n_ = (n), at_ = 0;                                           \
        while (a_ && b_ && at_ < n_ && a_[at_] == b_[at_]) at_++;           \
        if (!test_pass(a_ && b_ && at_ == n_)) {                            \
            if (a_ && b_)                                                   \
                test_fail(__FILE__, __LINE__,                               \
                          "%s differs from %s at byte %zu of %zu (0x%02x, expected 0x%02x)", \
                          #a, #b, at_, n_, a_[at_], b_[at_]);               \
            else                                                            \
                test_fail(__FILE__, __LINE__, "%s or %s is NULL", #a, #b);  \
        }                                                                   \
    } while (0)

/* The next number of Marsaglia's xorshift64 sequence in *state (not 0):
 * the same inputs on every run for randomised tests. */
static inline uint64_t test_random(uint64_t *state) {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

#if defined(__GNUC__)
__attribute__((noreturn))
#endif
static inline void test_stop(void) {
    if (!test_state.current) exit(1); /* no case to stop: give up */
    test_state.case_stopped = 1;
    longjmp(test_state.stop, 1);
}

/* Runs one case; returns its failed checks (at least 1 when stopped). */
static inline int test_run(const test_case *c) {
    test_state.current = c->name;
    test_state.case_failed = test_state.case_stopped = 0;
    if (setjmp(test_state.stop) == 0) c->fn();
    test_state.current = NULL;
    return test_state.case_failed;
}

/*
 * Runs the cases named in argv[1..] (all when none is), then prints the
 * summary.  Returns 0 when every case passed, 1 when one failed, 2 for a
 * name no case has (nothing is run then).
 */
static inline int test_main(int argc, char **argv, const test_case *cases, size_t n) {
    const char *prog = argc > 0 ? argv[0] : "test";
    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        for (size_t i = 0; i < n; i++) puts(cases[i].name);
        return 0;
    }
    size_t nrun = argc > 1 ? (size_t)argc - 1 : n;
    const test_case **run = malloc((nrun + 1) * sizeof *run);
    int *failed = calloc(nrun + 1, sizeof *failed), *stopped = calloc(nrun + 1, sizeof *stopped);
    if (!run || !failed || !stopped) {
        fprintf(stderr, "%s: out of memory\n", prog);
        exit(4);
    }
    for (size_t r = 0; r < nrun; r++) {
        run[r] = argc > 1 ? NULL : &cases[r];
        for (size_t i = 0; argc > 1 && i < n; i++)
            if (strcmp(cases[i].name, argv[r + 1]) == 0) run[r] = &cases[i];
        if (!run[r]) {
            fprintf(stderr, "%s: no case named '%s' (--list shows them)\n", prog, argv[r + 1]);
            free(run);
            free(failed);
            free(stopped);
            return 2;
        }
    }
    int nfailed = 0;
    for (size_t r = 0; r < nrun; r++) {
        failed[r] = test_run(run[r]);
        stopped[r] = test_state.case_stopped;
        nfailed += failed[r] != 0;
    }
    for (size_t r = 0; r < nrun; r++)
        if (failed[r])
            printf("FAILED %s: %d failed check%s%s\n", run[r]->name, failed[r],
                   failed[r] == 1 ? "" : "s", stopped[r] ? ", stopped by a REQUIRE" : "");
    printf("%d checks: %d passed, %d failed\n", test_state.checks_passed + test_state.checks_failed,
           test_state.checks_passed, test_state.checks_failed);
    printf("%d passed, %d failed\n", (int)nrun - nfailed, nfailed);
    free(run);
    free(failed);
    free(stopped);
    return nfailed ? 1 : 0;
}

#endif
