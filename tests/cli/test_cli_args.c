/*
 * test_cli_args.c - unit tests of analyzer/cli/cli_args.c: the numeric
 * option readers (whole text, range, overflow, NaN and infinity), the
 * usage error a bad value prints, and the config lookup (--config FILE,
 * else PATH/cleave.json when present).
 *
 * Messages are read back by pointing file descriptor 2 at a temporary
 * file around the call.  Config files with errors are written in a fresh
 * directory under $TMPDIR (or /tmp), removed at the end.
 */
#define _POSIX_C_SOURCE 200809L
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "plan/config.h"
#include "util/common.h"
#include "test.h"

/* Captures what is written to stderr between capture_begin and capture_end. */
static FILE *captured;
static int saved_fd = -1;

static void capture_begin(void) {
    fflush(stderr);
    captured = tmpfile();
    saved_fd = dup(STDERR_FILENO);
    dup2(fileno(captured), STDERR_FILENO);
}

/* The text written since capture_begin; the caller frees it. */
static char *capture_end(void) {
    fflush(stderr);
    dup2(saved_fd, STDERR_FILENO);
    close(saved_fd);
    long n = ftell(captured);
    char *text = xcalloc((size_t)(n > 0 ? n : 0) + 1, 1);
    rewind(captured);
    if (n > 0 && fread(text, 1, (size_t)n, captured) != (size_t)n) text[0] = '\0';
    fclose(captured);
    return text;
}

/* cli_int_value: accepted texts, and *out untouched by a rejected one. */
static void test_int_value(void) {
    int v = -7;
    CHECK_INT(cli_int_value("5", 1, 4096, &v), 0);
    CHECK_INT(v, 5);
    CHECK_INT(cli_int_value("4096", 1, 4096, &v), 0);
    CHECK_INT(v, 4096);
    CHECK_INT(cli_int_value("0", 0, 1000, &v), 0);
    CHECK_INT(v, 0);
    CHECK_INT(cli_int_value("-3", -5, 5, &v), 0);
    CHECK_INT(v, -3);

    static const char *const bad[] = {
        "",     " 5",   "5 ",  "5x",  "x5",  "0x10", "1.0",  "1e2",
        "0",    "4097", "-1",  "+",   "-",   "\t5",  "5\n",  "99999999999999999999",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        v = -7;
        if (cli_int_value(bad[i], 1, 4096, &v) != -1)
            fprintf(stderr, "accepted \"%s\"\n", bad[i]);
        CHECK_INT(v, -7);
    }
    /* fits a long, not an int: never truncated into range */
    CHECK_INT(cli_int_value("4294967297", INT_MIN, INT_MAX, &v), -1);
    CHECK_INT(cli_int_value("2147483648", INT_MIN, INT_MAX, &v), -1);
    CHECK_INT(cli_int_value("2147483647", INT_MIN, INT_MAX, &v), 0);
    CHECK_INT(v, INT_MAX);
}

static void test_parse_int(void) {
    int v = 0;
    capture_begin();
    int rc = cli_parse_int("scan", "-j", "8", 1, 4096, &v);
    char *msg = capture_end();
    CHECK_INT(rc, CLEAVE_EXIT_OK);
    CHECK_INT(v, 8);
    CHECK_STR(msg, "");
    free(msg);

    capture_begin();
    rc = cli_parse_int("plan", "--services", "3x", 1, 100000, &v);
    msg = capture_end();
    CHECK_INT(rc, CLEAVE_EXIT_USAGE);
    CHECK_INT(v, 8);
    CHECK_STR(msg, "cleave: plan: --services takes a whole number from 1 to 100000, not '3x'\n"
                   "try 'cleave plan --help'\n");
    free(msg);

    capture_begin();
    rc = cli_parse_int("graph", "--depth", "1001", 0, 1000, &v);
    msg = capture_end();
    CHECK_INT(rc, CLEAVE_EXIT_USAGE);
    CHECK(strstr(msg, "--depth takes a whole number from 0 to 1000, not '1001'") != NULL);
    free(msg);
}

/* Texts no double option accepts, whatever its range. */
static const char *const NOT_A_NUMBER[] = {
    "", " 1", "1 ", "1x", "x", "inf", "-inf", "INF", "infinity", "nan", "NAN", "-nan",
    "nan(0x1)", "1e999", "-1e999", "1e-400", ".", "e5", "0.5.", "1,5",
};

static void test_parse_double(void) {
    double v = -1;
    capture_begin();
    CHECK_INT(cli_parse_double("check", "--min-coverage", "0.9", 0, 1, &v), CLEAVE_EXIT_OK);
    CHECK(v == 0.9);
    CHECK_INT(cli_parse_double("check", "--min-coverage", "0", 0, 1, &v), CLEAVE_EXIT_OK);
    CHECK(v == 0);
    CHECK_INT(cli_parse_double("check", "--min-coverage", "1", 0, 1, &v), CLEAVE_EXIT_OK);
    CHECK(v == 1);
    CHECK_INT(cli_parse_double("check", "--min-coverage", "1e-1", 0, 1, &v), CLEAVE_EXIT_OK);
    CHECK(v == 0.1);
    char *msg = capture_end();
    CHECK_STR(msg, "");
    free(msg);

    v = 0.25;
    capture_begin();
    CHECK_INT(cli_parse_double("check", "--min-coverage", "1.0000001", 0, 1, &v), CLEAVE_EXIT_USAGE);
    CHECK_INT(cli_parse_double("check", "--min-coverage", "-0.1", 0, 1, &v), CLEAVE_EXIT_USAGE);
    for (size_t i = 0; i < sizeof NOT_A_NUMBER / sizeof *NOT_A_NUMBER; i++)
        CHECK_INT(cli_parse_double("check", "--min-coverage", NOT_A_NUMBER[i], -1e300, 1e300, &v),
                  CLEAVE_EXIT_USAGE);
    msg = capture_end();
    CHECK(v == 0.25);
    CHECK(strncmp(msg, "cleave: check: --min-coverage takes a number from 0 to 1, not '1.0000001'\n"
                       "try 'cleave check --help'\n",
                  strlen("cleave: check: --min-coverage takes a number from 0 to 1, not '1.0000001'\n"
                         "try 'cleave check --help'\n")) == 0);
    free(msg);
}

static void test_parse_positive(void) {
    double v = -1;
    CHECK_INT(cli_parse_positive("plan", "--rate", "3600", &v), CLEAVE_EXIT_OK);
    CHECK(v == 3600);
    CHECK_INT(cli_parse_positive("plan", "--resolution", "0.001", &v), CLEAVE_EXIT_OK);
    CHECK(v == 0.001);
    CHECK_INT(cli_parse_positive("plan", "--resolution", "1e300", &v), CLEAVE_EXIT_OK);
    CHECK(v == 1e300);

    v = 2;
    capture_begin();
    CHECK_INT(cli_parse_positive("plan", "--resolution", "0", &v), CLEAVE_EXIT_USAGE);
    CHECK_INT(cli_parse_positive("plan", "--resolution", "-0", &v), CLEAVE_EXIT_USAGE);
    CHECK_INT(cli_parse_positive("plan", "--rate", "-5", &v), CLEAVE_EXIT_USAGE);
    for (size_t i = 0; i < sizeof NOT_A_NUMBER / sizeof *NOT_A_NUMBER; i++)
        CHECK_INT(cli_parse_positive("plan", "--rate", NOT_A_NUMBER[i], &v), CLEAVE_EXIT_USAGE);
    char *msg = capture_end();
    CHECK(v == 2);
    free(msg);

    /* the case: one line naming the option and the value, exit 2 */
    capture_begin();
    int rc = cli_parse_positive("plan", "--resolution", "inf", &v);
    msg = capture_end();
    CHECK_INT(rc, CLEAVE_EXIT_USAGE);
    CHECK_STR(msg, "cleave: plan: --resolution takes a number > 0, not 'inf'\n"
                   "try 'cleave plan --help'\n");
    free(msg);
}

static void test_bad_value(void) {
    capture_begin();
    int rc = cli_bad_value("plan", "--granularity", "module", "service or function");
    char *msg = capture_end();
    CHECK_INT(rc, CLEAVE_EXIT_USAGE);
    CHECK_STR(msg, "cleave: plan: --granularity takes service or function, not 'module'\n"
                   "try 'cleave plan --help'\n");
    free(msg);
}

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f) return;
    fputs(text, f);
    fclose(f);
}

static void test_config_load(void) {
    config *c = (config *)1;
    /* no --config, no cleave.json at the root: no config, no message */
    capture_begin();
    CHECK_INT(cli_config_load(NULL, CLEAVE_SOURCE_DIR "/fixtures/demo", &c), CLEAVE_EXIT_OK);
    CHECK(c == NULL);
    /* no root (cleave plan --graph FILE): nothing looked for */
    c = (config *)1;
    CHECK_INT(cli_config_load(NULL, NULL, &c), CLEAVE_EXIT_OK);
    CHECK(c == NULL);
    char *msg = capture_end();
    CHECK_STR(msg, "");
    free(msg);

    /* PATH/cleave.json, read with the path it was found at */
    CHECK_INT(cli_config_load(NULL, CLEAVE_SOURCE_DIR "/fixtures/fitness_pure", &c), CLEAVE_EXIT_OK);
    CHECK(c != NULL);
    if (c) CHECK_STR(c->path, CLEAVE_SOURCE_DIR "/fixtures/fitness_pure/cleave.json");
    config_free(c);

    /* --config FILE wins over the root's */
    const char *named = CLEAVE_SOURCE_DIR "/fixtures/check_bad/cleave.json";
    CHECK_INT(cli_config_load(named, CLEAVE_SOURCE_DIR "/fixtures/fitness_pure", &c), CLEAVE_EXIT_OK);
    CHECK(c != NULL);
    if (c) CHECK_STR(c->path, named);
    config_free(c);

    char tmpl[PATH_MAX];
    const char *tmp = getenv("TMPDIR");
    snprintf(tmpl, sizeof tmpl, "%s/test_cli_args.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    char *dir = mkdtemp(tmpl);
    CHECK(dir != NULL);
    if (!dir) return;
    char *bad = path_join(dir, CONFIG_FILE_NAME), *missing = path_join(dir, "missing.json");

    /* a cleave.json at the root is read, so its errors are not skipped */
    write_file(bad, "{\"plan\": {\"services\": 0}}");
    c = (config *)1;
    capture_begin();
    int rc = cli_config_load(NULL, dir, &c);
    msg = capture_end();
    CHECK_INT(rc, CLEAVE_EXIT_USAGE);
    CHECK(c == NULL);
    char *want = xasprintf("cleave: %s:1:23: plan.services: expected a whole number >= 1, got 0\n", bad);
    CHECK_STR(msg, want);
    free(want);
    free(msg);

    /* a --config FILE that does not exist is an error, never the defaults */
    c = (config *)1;
    capture_begin();
    rc = cli_config_load(missing, NULL, &c);
    msg = capture_end();
    CHECK_INT(rc, CLEAVE_EXIT_USAGE);
    CHECK(c == NULL);
    CHECK(strncmp(msg, "cleave: ", 8) == 0 && strstr(msg, missing) != NULL);
    free(msg);

    unlink(bad);
    rmdir(dir);
    free(missing);
    free(bad);
}

static const test_case cases[] = {
    {"int_value", test_int_value},
    {"parse_int", test_parse_int},
    {"parse_double", test_parse_double},
    {"parse_positive", test_parse_positive},
    {"bad_value", test_bad_value},
    {"config_load", test_config_load},
};

int main(int argc, char **argv) {
    return test_main(argc, argv, cases, TEST_COUNT(cases));
}
