/*
 * test_json_out.c - unit tests of analyzer/util/json_out.c: the bytes
 * cJSON prints for the same tree, and valid JSON whatever the strings
 * hold (bytes that are not UTF-8 escaped as \u00XX, the Latin-1 code
 * point of the same value).
 */
#include <stdlib.h>
#include <string.h>

#include "util/json_out.h"
#include "util/jsonpos.h"
#include "test.h"

/* json_out_escaped of s. */
static char *escaped(const char *s) {
    strbuf b = {0};
    json_out_escaped(&b, s);
    return b.v;
}

static void test_escaped_like_cjson(void) {
    static const char *const same[] = {"plain", "quote\" back\\slash", "tab\tnl\n\x01",
                                       "ünï/日本.c", "emoji \xF0\x9F\x98\x80", ""};
    for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
        cJSON *s = cJSON_CreateString(same[i]);
        char *want = cJSON_PrintUnformatted(s), *got = escaped(same[i]);
        CHECK_STR(got, want);
        free(got);
        free(want);
        cJSON_Delete(s);
    }
}

static void test_not_utf8(void) {
    char *got = escaped("caf\xE9 \xFF\xC3");
    CHECK_STR(got, "\"caf\\u00e9 \\u00ff\\u00c3\"");
    free(got);
    /* overlong and surrogate forms are not UTF-8 either */
    got = escaped("\xC0\xAF \xED\xA0\x80");
    CHECK_STR(got, "\"\\u00c0\\u00af \\u00ed\\u00a0\\u0080\"");
    free(got);

    /* cJSON's own print of the same, through json_out_print */
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "file", "caf\xE9.c");
    cJSON_AddStringToObject(o, "ok", "caf\xC3\xA9.c");
    char *text = json_out_print(o, 0);
    CHECK_STR(text, "{\"file\":\"caf\\u00e9.c\",\"ok\":\"caf\xC3\xA9.c\"}");
    /* ... which reads back: é as U+00E9 */
    char *err = NULL;
    cJSON *back = jsonpos_parse("t.json", text, strlen(text), &err);
    REQUIRE(back != NULL);
    CHECK_STR(cJSON_GetObjectItem(back, "file")->valuestring, "caf\xC3\xA9.c");
    cJSON_Delete(back);
    free(text);
    /* valid text comes back as cJSON printed it */
    text = json_out_print(o, 1);
    char *plain = cJSON_Print(o);
    CHECK(strlen(text) > strlen(plain)); /* only the escape made it longer */
    free(plain);
    free(text);
    cJSON_Delete(o);
}

static const test_case cases[] = {
    {"escaped_like_cjson", test_escaped_like_cjson},
    {"not_utf8", test_not_utf8},
};

int main(int argc, char **argv) {
    return test_main(argc, argv, cases, TEST_COUNT(cases));
}
