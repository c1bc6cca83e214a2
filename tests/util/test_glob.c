/*
 * test_glob.c - glob_match and glob_check: stars within a segment, "**"
 * segments, '?', character classes, escapes and malformed patterns.
 */
#include "util/fileglob.h"
#include "test.h"

static void test_literal_and_star(void) {
    CHECK(glob_match("src/a.c", "src/a.c"));
    CHECK(!glob_match("src/a.c", "src/a.h"));
    CHECK(!glob_match("src/a.c", "src/a.cc"));
    CHECK(!glob_match("src/a.c", "xsrc/a.c"));
    CHECK(glob_match("src/*.c", "src/a.c"));
    CHECK(glob_match("src/*.c", "src/.c"));
    CHECK(!glob_match("src/*.c", "src/x/a.c")); /* '*' stays in its segment */
    CHECK(!glob_match("*.c", "src/a.c"));       /* whole path, not basename */
    CHECK(glob_match("src/*_test.c", "src/pay_test.c"));
    CHECK(glob_match("*a*b*c", "xaybzc"));
    CHECK(!glob_match("*a*b*c", "xaybz"));
    CHECK(glob_match("a**b", "axyb"));          /* not a segment: plain '*' */
    CHECK(!glob_match("a**b", "ax/yb"));
    CHECK(glob_match("", ""));
    CHECK(!glob_match("", "a"));
}

static void test_globstar(void) {
    CHECK(glob_match("src/billing/**", "src/billing/a.c"));
    CHECK(glob_match("src/billing/**", "src/billing/x/y/a.c"));
    CHECK(!glob_match("src/billing/**", "src/billingx/a.c"));
    CHECK(!glob_match("src/billing/**", "src/billing"));
    CHECK(glob_match("src/**/x.c", "src/x.c"));         /* zero segments */
    CHECK(glob_match("src/**/x.c", "src/a/x.c"));
    CHECK(glob_match("src/**/x.c", "src/a/b/c/x.c"));
    CHECK(!glob_match("src/**/x.c", "src/a/bx.c"));
    CHECK(!glob_match("src/**/x.c", "lib/a/x.c"));
    CHECK(glob_match("**/*_test.c", "a_test.c"));
    CHECK(glob_match("**/*_test.c", "t/u/a_test.c"));
    CHECK(!glob_match("**/*_test.c", "t/u/a_test.h"));
    CHECK(glob_match("**", "anything/at/all.c"));
    CHECK(glob_match("**/vendor/**", "third/vendor/zlib/inflate.c"));
    CHECK(glob_match("**/vendor/**", "vendor/x.c"));
    CHECK(!glob_match("**/vendor/**", "vendors/x.c"));
    CHECK(glob_match("src/**/test/*.c", "src/a/b/test/t.c"));
    CHECK(!glob_match("src/**/test/*.c", "src/a/b/test/x/t.c"));
}

static void test_question_and_classes(void) {
    CHECK(glob_match("?.c", "a.c"));
    CHECK(!glob_match("?.c", "ab.c"));
    CHECK(!glob_match("a?b", "a/b"));           /* '?' never matches '/' */
    CHECK(glob_match("[abc].c", "b.c"));
    CHECK(!glob_match("[abc].c", "d.c"));
    CHECK(glob_match("v[0-9].c", "v7.c"));
    CHECK(!glob_match("v[0-9].c", "vx.c"));
    CHECK(glob_match("[a-cx-z]", "y"));
    CHECK(glob_match("[!a-c]", "d"));
    CHECK(!glob_match("[!a-c]", "b"));
    CHECK(glob_match("[^a-c]", "d"));
    CHECK(glob_match("[]]", "]"));              /* leading ']' is literal */
    CHECK(glob_match("[!]]", "a"));
    CHECK(!glob_match("[!]]", "]"));
    CHECK(glob_match("[a-]", "-"));             /* trailing '-' is literal */
    CHECK(!glob_match("a[/]b", "a/b"));         /* classes never match '/' */
    CHECK(!glob_match("a[!x]b", "a/b"));
    CHECK(glob_match("[\\]]", "]"));
    CHECK(!glob_match("[abc]", ""));
}

static void test_escapes_and_malformed(void) {
    CHECK(glob_match("a\\*b", "a*b"));
    CHECK(!glob_match("a\\*b", "axb"));
    CHECK(glob_match("a\\?", "a?"));
    CHECK(glob_match("[ab", "[ab"));            /* unterminated: literal '[' */
    CHECK(!glob_match("[ab", "a"));

    CHECK(glob_check("src/**/*.[ch]") == NULL);
    CHECK(glob_check("a\\*") == NULL);
    CHECK(glob_check("[]]") == NULL);
    CHECK_STR(glob_check(""), "empty glob");
    CHECK_STR(glob_check("src/[ab"), "unterminated '[' in glob");
    CHECK_STR(glob_check("[]"), "unterminated '[' in glob");
    CHECK_STR(glob_check("src\\"), "glob ends with a lone '\\'");
}

int main(void) {
    test_literal_and_star();
    test_globstar();
    test_question_and_classes();
    test_escapes_and_malformed();
    return test_report();
}
