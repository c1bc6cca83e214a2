/*
 * test_glob.c - fileglob_match and fileglob_check: stars within a segment, "**"
 * segments, '?', character classes, escapes and malformed patterns.
 */
#include <string.h>
#include <time.h>

#include "util/fileglob.h"
#include "test.h"

static void test_literal_and_star(void) {
    CHECK(fileglob_match("src/a.c", "src/a.c"));
    CHECK(!fileglob_match("src/a.c", "src/a.h"));
    CHECK(!fileglob_match("src/a.c", "src/a.cc"));
    CHECK(!fileglob_match("src/a.c", "xsrc/a.c"));
    CHECK(fileglob_match("src/*.c", "src/a.c"));
    CHECK(fileglob_match("src/*.c", "src/.c"));
    CHECK(!fileglob_match("src/*.c", "src/x/a.c")); /* '*' stays in its segment */
    CHECK(!fileglob_match("*.c", "src/a.c"));       /* whole path, not basename */
    CHECK(fileglob_match("src/*_test.c", "src/pay_test.c"));
    CHECK(fileglob_match("*a*b*c", "xaybzc"));
    CHECK(!fileglob_match("*a*b*c", "xaybz"));
    CHECK(fileglob_match("a**b", "axyb"));          /* not a segment: plain '*' */
    CHECK(!fileglob_match("a**b", "ax/yb"));
    CHECK(fileglob_match("", ""));
    CHECK(!fileglob_match("", "a"));
}

static void test_globstar(void) {
    CHECK(fileglob_match("src/billing/**", "src/billing/a.c"));
    CHECK(fileglob_match("src/billing/**", "src/billing/x/y/a.c"));
    CHECK(!fileglob_match("src/billing/**", "src/billingx/a.c"));
    CHECK(!fileglob_match("src/billing/**", "src/billing"));
    CHECK(fileglob_match("src/**/x.c", "src/x.c"));         /* zero segments */
    CHECK(fileglob_match("src/**/x.c", "src/a/x.c"));
    CHECK(fileglob_match("src/**/x.c", "src/a/b/c/x.c"));
    CHECK(!fileglob_match("src/**/x.c", "src/a/bx.c"));
    CHECK(!fileglob_match("src/**/x.c", "lib/a/x.c"));
    CHECK(fileglob_match("**/*_test.c", "a_test.c"));
    CHECK(fileglob_match("**/*_test.c", "t/u/a_test.c"));
    CHECK(!fileglob_match("**/*_test.c", "t/u/a_test.h"));
    CHECK(fileglob_match("**", "anything/at/all.c"));
    CHECK(fileglob_match("**/vendor/**", "third/vendor/zlib/inflate.c"));
    CHECK(fileglob_match("**/vendor/**", "vendor/x.c"));
    CHECK(!fileglob_match("**/vendor/**", "vendors/x.c"));
    CHECK(fileglob_match("src/**/test/*.c", "src/a/b/test/t.c"));
    CHECK(!fileglob_match("src/**/test/*.c", "src/a/b/test/x/t.c"));
}

static void test_question_and_classes(void) {
    CHECK(fileglob_match("?.c", "a.c"));
    CHECK(!fileglob_match("?.c", "ab.c"));
    CHECK(!fileglob_match("a?b", "a/b"));           /* '?' never matches '/' */
    CHECK(fileglob_match("[abc].c", "b.c"));
    CHECK(!fileglob_match("[abc].c", "d.c"));
    CHECK(fileglob_match("v[0-9].c", "v7.c"));
    CHECK(!fileglob_match("v[0-9].c", "vx.c"));
    CHECK(fileglob_match("[a-cx-z]", "y"));
    CHECK(fileglob_match("[!a-c]", "d"));
    CHECK(!fileglob_match("[!a-c]", "b"));
    CHECK(fileglob_match("[^a-c]", "d"));
    CHECK(fileglob_match("[]]", "]"));              /* leading ']' is literal */
    CHECK(fileglob_match("[!]]", "a"));
    CHECK(!fileglob_match("[!]]", "]"));
    CHECK(fileglob_match("[a-]", "-"));             /* trailing '-' is literal */
    CHECK(!fileglob_match("a[/]b", "a/b"));         /* classes never match '/' */
    CHECK(!fileglob_match("a[!x]b", "a/b"));
    CHECK(fileglob_match("[\\]]", "]"));
    CHECK(!fileglob_match("[abc]", ""));
}

static void test_escapes_and_malformed(void) {
    CHECK(fileglob_match("a\\*b", "a*b"));
    CHECK(!fileglob_match("a\\*b", "axb"));
    CHECK(fileglob_match("a\\?", "a?"));
    CHECK(fileglob_match("[ab", "[ab"));            /* unterminated: literal '[' */
    CHECK(!fileglob_match("[ab", "a"));

    CHECK(fileglob_check("src/**/*.[ch]") == NULL);
    CHECK(fileglob_check("a\\*") == NULL);
    CHECK(fileglob_check("[]]") == NULL);
    CHECK_STR(fileglob_check(""), "empty glob");
    CHECK_STR(fileglob_check("src/[ab"), "unterminated '[' in glob");
    CHECK_STR(fileglob_check("[]"), "unterminated '[' in glob");
    CHECK_STR(fileglob_check("src\\"), "glob ends with a lone '\\'");
}

/* Matching takes time proportional to path times pattern, not to the
 * number of ways stars can split the path: 14 stars against 60 characters
 * that never match took minutes when stars backtracked. */
static void test_linear(void) {
    char path[61];
    memset(path, 'a', 60);
    path[60] = '\0';
    const char *stars = "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b";
    clock_t t0 = clock();
    for (int i = 0; i < 100; i++) CHECK(!fileglob_match(stars, path));
    CHECK(fileglob_match("*a*a*a*a*a*a*a*a*a*a*a*a*a*a", path));
    CHECK(!fileglob_match("**/**/**/**/**/**/**/**/**/**/**/**/**/**/b",
                          "a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a"));
    double seconds = (double)(clock() - t0) / CLOCKS_PER_SEC;
    if (seconds >= 1.0) fprintf(stderr, "101 matches took %.2f s\n", seconds);
    CHECK(seconds < 1.0);
    /* a pattern longer than the stack buffer of its tokens: 200 'a's
     * with stars between them matches 200 'a's, not 60 */
    char longp[400], many[201];
    for (int i = 0; i < 399; i++) longp[i] = i % 2 ? '*' : 'a';
    longp[399] = '\0';
    memset(many, 'a', 200);
    many[200] = '\0';
    CHECK(!fileglob_match(longp, path));
    CHECK(fileglob_match(longp, many));
}

static const test_case cases[] = {
    {"literal_and_star", test_literal_and_star},
    {"globstar", test_globstar},
    {"question_and_classes", test_question_and_classes},
    {"escapes_and_malformed", test_escapes_and_malformed},
    {"linear", test_linear},
};

int main(int argc, char **argv) {
    return test_main(argc, argv, cases, TEST_COUNT(cases));
}
