/*
 * test_jsonpos.c - JSON Pointer look-ups (found, missing, escaped keys),
 * positioned messages, and the pull reader: values, strings with escapes,
 * numbers, and the error each kind of malformed text gets.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "util/common.h"
#include "util/jsonpos.h"
#include "test.h"

static const char DOC[] =
    "{\n"
    "  \"a\": {\"b\": [10, {\"c~d\": \"x\", \"e/f\": null}], \"g\": true},\n"
    "  \"h\": \"str\\\"ing\"\n"
    "}\n";

/* Offset of the first occurrence of needle in DOC. */
static size_t at(const char *needle) {
    return (size_t)(strstr(DOC, needle) - DOC);
}

static void test_find(void) {
    size_t len = strlen(DOC), off = 99;
    CHECK(jsonpos_find(DOC, len, "", &off) == 0 && off == 0);
    CHECK(jsonpos_find(DOC, len, "/a", &off) == 0 && off == at("{\"b\""));
    CHECK(jsonpos_find(DOC, len, "/a/b", &off) == 0 && off == at("[10"));
    CHECK(jsonpos_find(DOC, len, "/a/b/0", &off) == 0 && off == at("10"));
    CHECK(jsonpos_find(DOC, len, "/a/b/1/c~0d", &off) == 0 && off == at("\"x\""));
    CHECK(jsonpos_find(DOC, len, "/a/b/1/e~1f", &off) == 0 && off == at("null"));
    CHECK(jsonpos_find(DOC, len, "/a/g", &off) == 0 && off == at("true"));
    CHECK(jsonpos_find(DOC, len, "/h", &off) == 0 && off == at("\"str"));
    /* missing: the deepest value that exists */
    CHECK(jsonpos_find(DOC, len, "/a/b/2", &off) == -1 && off == at("[10"));
    CHECK(jsonpos_find(DOC, len, "/a/zz/q", &off) == -1 && off == at("{\"b\""));
    CHECK(jsonpos_find(DOC, len, "/a/b/01", &off) == -1 && off == at("[10"));
    CHECK(jsonpos_find(DOC, len, "/a/b/0/x", &off) == -1 && off == at("10"));
    /* a '~' not followed by 0 or 1 stands for itself */
    CHECK(jsonpos_find(DOC, len, "/a/b/1/c~d", &off) == 0 && off == at("\"x\""));
    CHECK(jsonpos_find(DOC, len, "nope", &off) == -1 && off == 0);
    /* a document broken after the value still finds it; before, not */
    const char *broken = "{\"k\": 1, \"j\": [}";
    CHECK(jsonpos_find(broken, strlen(broken), "/k", &off) == 0 && off == 6);
    CHECK(jsonpos_find(broken, strlen(broken), "/z", &off) == -1 && off == 0);

    char *e = jsonpos_error("f.json", DOC, len, "/a/b/1/e~1f", "bad %s", "thing");
    CHECK_STR(e, "f.json:2:39: bad thing");
    free(e);
    e = jsonpos_error("f.json", DOC, len, "/h/x", "no such");
    CHECK_STR(e, "f.json:3:8: no such");
    free(e);
    e = jsonpos_error_at("f.json", DOC, 0, "start");
    CHECK_STR(e, "f.json:1:1: start");
    free(e);
}

static void test_reader(void) {
    const char *text = "{\"s\": \"a\\u00e9\\ud83d\\ude00\\n\\/\", \"n\": -1.5e2, \"i\": 42,"
                       " \"t\": true, \"f\": false, \"z\": null, \"o\": {\"x\": [1, [2]]}, \"e\": []}";
    jsonpos_reader r;
    jsonpos_reader_init(&r, text, strlen(text));
    const char *key, *s;
    size_t kl, n;
    double d;
    long long i;
    int b;
    CHECK(jsonpos_peek(&r) == JSONPOS_OBJECT && r.pos == 0);
    CHECK(jsonpos_object(&r) == 0);
    CHECK(jsonpos_member(&r, &key, &kl) == 1 && strcmp(key, "s") == 0 && kl == 1);
    CHECK(jsonpos_peek(&r) == JSONPOS_STRING);
    CHECK(jsonpos_string(&r, &s, &n) == 0);
    CHECK_STR(s, "a\xc3\xa9\xf0\x9f\x98\x80\n/");
    CHECK_INT(n, 9);
    CHECK(jsonpos_member(&r, &key, &kl) == 1 && jsonpos_number(&r, &d) == 0 && d == -150.0);
    CHECK(jsonpos_member(&r, &key, &kl) == 1 && jsonpos_int(&r, 0, 100, &i) == 0 && i == 42);
    CHECK(jsonpos_member(&r, &key, &kl) == 1 && jsonpos_bool(&r, &b) == 0 && b == 1);
    CHECK(jsonpos_member(&r, &key, &kl) == 1 && jsonpos_bool(&r, &b) == 0 && b == 0);
    CHECK(jsonpos_member(&r, &key, &kl) == 1 && jsonpos_null(&r) == 0);
    CHECK(jsonpos_member(&r, &key, &kl) == 1 && strcmp(key, "o") == 0 && jsonpos_skip(&r) == 0);
    CHECK(jsonpos_member(&r, &key, &kl) == 1 && jsonpos_array(&r) == 0);
    CHECK(jsonpos_element(&r) == 0);
    CHECK(jsonpos_member(&r, &key, &kl) == 0);
    CHECK(jsonpos_finish(&r) == 0);
    CHECK(r.error == NULL);
    jsonpos_reader_free(&r);
}

/* Skips the whole of text and checks the first error and its offset. */
static void bad(const char *text, const char *msg, size_t off) {
    jsonpos_reader r;
    jsonpos_reader_init(&r, text, strlen(text));
    int rc = jsonpos_skip(&r);
    if (rc == 0) rc = jsonpos_finish(&r);
    CHECK(rc == -1);
    CHECK_STR(r.error, msg);
    if (r.error_at != off) fprintf(stderr, "\"%s\": error at %zu, expected %zu\n", text, r.error_at, off);
    CHECK_INT(r.error_at, off);
    jsonpos_reader_free(&r);
}

static void test_errors(void) {
    bad("", "malformed JSON: unexpected end of input", 0);
    bad("[1,]", "malformed JSON: expected a value", 3);
    bad("[1 2]", "malformed JSON: expected ',' or ']'", 3);
    bad("{\"a\" 1}", "malformed JSON: expected ':'", 5);
    bad("{\"a\": 1,}", "malformed JSON: expected a string key", 8);
    bad("{\"a\": 1 \"b\": 2}", "malformed JSON: expected ',' or '}'", 8);
    bad("\"abc", "malformed JSON: unterminated string", 0);
    bad("\"a\\qb\"", "malformed JSON: bad escape in string", 2);
    bad("\"a\\u12g4\"", "malformed JSON: bad \\u escape", 2);
    bad("\"\\ud800x\"", "malformed JSON: lone UTF-16 surrogate", 1);
    bad("\"\\u0000\"", "string holds \\u0000, which cleave cannot represent", 1);
    bad("\"a\tb\"", "malformed JSON: control character in string", 2);
    /* text that is not UTF-8: a Latin-1 byte, a sequence cut short by the
     * closing quote, an overlong form, an encoded surrogate */
    bad("\"caf\xe9\"", "malformed JSON: a string that is not UTF-8", 4);
    bad("[\"ok \xc3\xa9\", \"x\xe2\x82\"]", "malformed JSON: a string that is not UTF-8", 12);
    bad("\"\xc0\xaf\"", "malformed JSON: a string that is not UTF-8", 1);
    bad("{\"\xed\xa0\x80\": 1}", "malformed JSON: a string that is not UTF-8", 2);
    bad("01", "malformed JSON: text after the end of the document", 1);
    bad("-", "malformed JSON: bad number", 0);
    bad("1.", "malformed JSON: bad number", 0);
    bad("1e+", "malformed JSON: bad number", 0);
    bad("tru", "malformed JSON: expected a value", 0);
    bad("nul", "malformed JSON: expected a value", 0);
    bad("{} x", "malformed JSON: text after the end of the document", 3);
    bad("@", "malformed JSON: expected a value", 0);
    strbuf deep = {0};
    for (int k = 0; k < 1001; k++) strbuf_add(&deep, "[");
    bad(deep.v, "malformed JSON: nested too deeply", 1000);
    free(deep.v);

    /* typed reads */
    jsonpos_reader r;
    long long i;
    const char *s;
    size_t n;
    jsonpos_reader_init(&r, "1.5", 3);
    CHECK(jsonpos_int(&r, 0, 10, &i) == -1);
    CHECK_STR(r.error, "expected an integer");
    jsonpos_reader_init(&r, "11", 2);
    CHECK(jsonpos_int(&r, 0, 10, &i) == -1);
    CHECK_STR(r.error, "integer out of range");
    jsonpos_reader_init(&r, "-9223372036854775808", 20);
    CHECK(jsonpos_int(&r, LLONG_MIN, 0, &i) == 0 && i == LLONG_MIN);
    jsonpos_reader_init(&r, "9223372036854775808", 19);
    CHECK(jsonpos_int(&r, 0, LLONG_MAX, &i) == -1);
    CHECK_STR(r.error, "integer out of range");
    jsonpos_reader_init(&r, "  7", 3);
    CHECK(jsonpos_string(&r, &s, &n) == -1);
    CHECK_STR(r.error, "expected a string");
    CHECK_INT(r.error_at, 2);
    /* the first error sticks */
    CHECK(jsonpos_peek(&r) == JSONPOS_BAD && jsonpos_skip(&r) == -1);
    jsonpos_reader_free(&r);

    char *err = NULL;
    const char *text = "{\n  \"a\": [1, 2,]\n}";
    CHECK(jsonpos_parse("p.json", text, strlen(text), &err) == NULL);
    CHECK_STR(err, "p.json:2:14: malformed JSON: expected a value");
    free(err);
    cJSON *ok = jsonpos_parse("p.json", "[1]", 3, &err);
    CHECK(ok != NULL);
    cJSON_Delete(ok);
}

/* Numbers cJSON alone takes and JSON does not have, and doubles that do
 * not exist: jsonpos_parse refuses them all, as the reader does. */
static void test_strict_numbers(void) {
    static const char *const refused[][2] = {
        {"[01]", "p.json:1:3: malformed JSON: expected ',' or ']'"},
        {"[00]", "p.json:1:3: malformed JSON: expected ',' or ']'"},
        {"[1.]", "p.json:1:2: malformed JSON: bad number"},
        {"[-.5]", "p.json:1:2: malformed JSON: bad number"},
        {"[1.e5]", "p.json:1:2: malformed JSON: bad number"},
        {"[1e999]", "p.json:1:2: number out of range"},
        {"[-1E+400]", "p.json:1:2: number out of range"},
    };
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        char *err = NULL;
        const char *text = refused[i][0];
        CHECK(jsonpos_parse("p.json", text, strlen(text), &err) == NULL);
        CHECK_STR(err, refused[i][1]);
        free(err);
    }
    /* 400 digits without an exponent are out of range too; 1e308 is not */
    strbuf big = {0};
    strbuf_add(&big, "[1");
    for (int k = 0; k < 400; k++) strbuf_add(&big, "0");
    strbuf_add(&big, "]");
    char *err = NULL;
    CHECK(jsonpos_parse("p.json", big.v, big.n, &err) == NULL);
    CHECK_STR(err, "p.json:1:2: number out of range");
    free(err);
    free(big.v);
    cJSON *ok = jsonpos_parse("p.json", "[1e308, -0.5, 0, 1E-400]", 24, &err);
    CHECK(ok != NULL);
    cJSON_Delete(ok);
    /* a byte order mark is skipped, positions still count it */
    ok = jsonpos_parse("p.json", "\xEF\xBB\xBF{}", 5, &err);
    CHECK(ok != NULL);
    cJSON_Delete(ok);
    CHECK(jsonpos_parse("p.json", "\xEF\xBB\xBF{,}", 6, &err) == NULL);
    CHECK_STR(err, "p.json:1:5: malformed JSON: expected a string key");
    free(err);
}

static const test_case cases[] = {
    {"find", test_find},
    {"reader", test_reader},
    {"errors", test_errors},
    {"strict_numbers", test_strict_numbers},
};

int main(int argc, char **argv) {
    return test_main(argc, argv, cases, TEST_COUNT(cases));
}
