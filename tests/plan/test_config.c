/*
 * test_config.c - cleave.json: defaults, the full example of
 * docs/config.md, every kind of error with its exact message and position,
 * and the pin / placement / ignore lookups.
 *
 * Files are written to a fresh temporary directory the test chdir()s into,
 * so messages start with the relative name "cleave.json".
 */
#define _POSIX_C_SOURCE 200809L
#include "plan/config.h"
#include "test.h"

#include <stdlib.h>
#include <unistd.h>

static void put(const char *name, const char *text) {
    CHECK(file_write_atomic(name, text, strlen(text)) == 0);
}

/* Loads text as cleave.json: NULL when it loads (the config is checked
 * for sanity and freed), else the error, which the caller frees. */
static char *load_text(const char *text) {
    config *c = NULL;
    char *err = NULL;
    put("cleave.json", text);
    if (config_load("cleave.json", &c, &err) != 0) {
        CHECK(c == NULL);
        return err;
    }
    CHECK(err == NULL);
    CHECK_STR(c->path, "cleave.json");
    config_free(c);
    return NULL;
}

/* The text must fail with exactly this message. */
#define CHECK_ERR(text, msg)                                                \
    do {                                                                    \
        char *e_ = load_text(text);                                         \
        CHECK_STR(e_, msg);                                                 \
        free(e_);                                                           \
    } while (0)

static void test_defaults(void) {
    config *c = config_default();
    CHECK(c->path == NULL);
    CHECK_INT(c->plan.granularity, GRAN_SERVICE);
    CHECK_INT(c->plan.services, 0);
    CHECK(c->plan.resolution == 0);
    CHECK_INT(c->plan.pins.n, 0);
    CHECK_INT(c->severity[CONFIG_RULE_NEW_INTERFACE], CONFIG_SEV_ERROR);
    CHECK_INT(c->severity[CONFIG_RULE_CROSS_BOUNDARY_CALL], CONFIG_SEV_WARNING);
    CHECK_INT(c->severity[CONFIG_RULE_UNPLACED_FUNCTION], CONFIG_SEV_WARNING);
    CHECK_INT(c->fitness.thresholds.library_min_callers, 3);
    CHECK(c->fitness.cost.memory_mb == 256);
    CHECK_INT(c->fitness.cost.set, 0);
    CHECK(!config_ignored(c, "src/a.c"));
    config_free(c);
    config_free(NULL);

    CHECK_STR(config_rule_name(CONFIG_RULE_SERVICE_CYCLE), "service-cycle");
    CHECK_INT(config_rule_find("layer-violation"), CONFIG_RULE_LAYER_VIOLATION);
    CHECK_INT(config_rule_find("unplaced-function"), CONFIG_RULE_UNPLACED_FUNCTION);
    CHECK_INT(config_rule_find("nope"), -1);
    for (int r = 0; r < CONFIG_RULE_COUNT; r++) CHECK_INT(config_rule_find(config_rule_name((unsigned)r)), r);
    CHECK_STR(config_severity_name(CONFIG_SEV_INFO), "info");
    CHECK_STR(config_severity_name(CONFIG_SEV_ERROR), "error");

    /* an empty object is the defaults */
    config *e = NULL;
    char *err = NULL;
    put("cleave.json", " {\n}\n");
    CHECK(config_load("cleave.json", &e, &err) == 0);
    CHECK(e && e->plan.granularity == GRAN_SERVICE && e->severity[CONFIG_RULE_MOVED_FUNCTION] == CONFIG_SEV_WARNING);
    config_free(e);
}

/* The ```json block after the marker in docs/config.md. */
static char *doc_example(void) {
    char *doc = file_read_all(CLEAVE_SOURCE_DIR "/docs/config.md", NULL);
    REQUIRE(doc != NULL);
    char *start = strstr(doc, "tests/plan/test_config.c");
    start = start ? strstr(start, "```json\n") : NULL;
    char *end = start ? strstr(start + 8, "\n```\n") : NULL;
    char *json = start && end ? xstrndup(start + 8, (size_t)(end - start - 7)) : NULL;
    free(doc);
    REQUIRE(json != NULL);
    return json;
}

static void test_full_example(void) {
    char *json = doc_example();
    put("cleave.json", json);
    free(json);
    config *c = NULL;
    char *err = NULL;
    CHECK(config_load("cleave.json", &c, &err) == 0);
    if (err) fprintf(stderr, "%s\n", err);
    REQUIRE(c != NULL);
    CHECK_INT(c->plan.granularity, GRAN_SERVICE);
    CHECK_INT(c->plan.services, 5);
    CHECK(c->plan.resolution == 1.2);
    CHECK_INT(c->plan.pins.n, 3);
    CHECK_STR(c->plan.pins.v[0].service, "billing");
    CHECK(!c->plan.pins.v[0].kind_given);
    CHECK(c->plan.pins.v[2].kind_given);
    CHECK_INT(c->plan.pins.v[2].kind, PLAN_LIBRARY);
    CHECK_INT(c->plan.pins.v[0].functions.n, 2);
    CHECK_STR(c->plan.pins.v[0].functions.v[1], "src/billing/tax.c:round_cents");
    CHECK_STR(c->plan.pins.v[0].files.v[0], "src/billing/**");
    CHECK_INT(c->plan.pins.v[1].functions.n, 0);
    CHECK_INT(c->plan.pins.v[1].files.n, 2);
    CHECK_INT(c->plan.keep_together.n, 1);
    CHECK_INT(c->plan.keep_together.v[0].n, 3);
    CHECK_STR(c->plan.keep_apart.v[0].v[1], "report_render");

    CHECK_INT(c->rules.forbidden.n, 1);
    CHECK_STR(c->rules.forbidden.v[0].from, "billing");
    CHECK_STR(c->rules.forbidden.v[0].to.v[0], "reporting");
    CHECK_INT(c->rules.allowed.v[0].to.n, 2);
    CHECK_INT(c->rules.layers.n, 3);
    CHECK_STR(c->rules.layers.v[2].v[0], "core");
    CHECK_INT(c->rules.independent.v[0].n, 2);
    CHECK_STR(c->rules.placement.v[0].service, "reporting");

    CHECK_INT(c->severity[CONFIG_RULE_CROSS_BOUNDARY_CALL], CONFIG_SEV_ERROR);
    CHECK_INT(c->severity[CONFIG_RULE_MOVED_FUNCTION], CONFIG_SEV_INFO);
    CHECK_INT(c->severity[CONFIG_RULE_NEW_INTERFACE], CONFIG_SEV_ERROR); /* default kept */
    CHECK_INT(c->ignore.n, 3);

    CHECK_INT(c->fitness.thresholds.library_min_callers, 2);
    CHECK_INT(c->fitness.thresholds.function_max_fanout, 4);
    CHECK(c->fitness.cost.service_per_hour == 0.10);
    CHECK(c->fitness.cost.memory_mb == 512);
    CHECK(c->fitness.cost.invocations_per_hour == 600);
    CHECK_INT(c->fitness.cost.set, CONFIG_COST_SERVICE_PER_HOUR | CONFIG_COST_PER_INVOCATION |
                                       CONFIG_COST_PER_GB_SECOND | CONFIG_COST_MEMORY_MB |
                                       CONFIG_COST_INVOCATIONS_PER_HOUR);
    CHECK(c->fitness.traffic.loop_iterations == 4 && c->fitness.traffic.loop_set);
    CHECK_INT(c->fitness.traffic.entries.n, 2);
    CHECK(c->fitness.traffic.entries.v[0].per_hour == 36000);
    CHECK_INT(config_entry_of(&c->fitness.traffic, "handle_request", "src/x.c", 0), 0);
    CHECK_INT(config_entry_of(&c->fitness.traffic, "nightly", "src/cron/nightly.c", 1), 1);
    /* a glob names only functions nothing calls by name */
    CHECK_INT(config_entry_of(&c->fitness.traffic, "nightly", "src/cron/nightly.c", 0), -1);
    CHECK_INT(config_entry_of(&c->fitness.traffic, "other", "src/x.c", 1), -1);

    /* lookups */
    CHECK_STR(config_pin_of(c, "charge_card", "src/x.c")->service, "billing");
    CHECK_STR(config_pin_of(c, "src/billing/tax.c:round_cents", NULL)->service, "billing");
    CHECK_STR(config_pin_of(c, "find", "src/search/find.c")->service, "catalog");
    CHECK_STR(config_pin_of(c, "find", "src/catalog/a/b.c")->service, "catalog");
    CHECK(config_pin_of(c, "find", "src/search/sub/find.c") == NULL);
    CHECK(config_pin_of(c, "find", NULL) == NULL);
    CHECK_STR(config_placement_of(c, "src/reports/monthly.c"), "reporting");
    CHECK(config_placement_of(c, "src/billing/a.c") == NULL);
    CHECK(config_ignored(c, "tests/t.c"));
    CHECK(config_ignored(c, "lib/vendor/zlib/inflate.c"));
    CHECK(config_ignored(c, "src/parser_generated.c"));
    CHECK(!config_ignored(c, "src/sub/parser_generated.c"));
    CHECK(!config_ignored(c, "src/main.c"));
    config_free(c);
}

static void test_partial_cost(void) {
    config *c = NULL;
    char *err = NULL;
    put("cleave.json", "{\"fitness\": {\"cost\": {\"memory_mb\": 1024, \"per_invocation\": 0}}}");
    REQUIRE(config_load("cleave.json", &c, &err) == 0);
    CHECK_INT(c->fitness.cost.set, CONFIG_COST_MEMORY_MB | CONFIG_COST_PER_INVOCATION);
    CHECK(c->fitness.cost.memory_mb == 1024);
    CHECK(c->fitness.cost.per_invocation == 0);
    CHECK(c->fitness.cost.service_per_hour == 0.05); /* the default */
    config_free(c);
}

static void test_file_errors(void) {
    config *c = (config *)&c; /* must be reset to NULL */
    char *err = NULL;
    CHECK(config_load("missing.json", &c, &err) == -1);
    CHECK(c == NULL);
    CHECK_STR(err, "missing.json: No such file or directory");
    free(err);

    CHECK_ERR("{\n  \"plan\": {\"services\": 3,}\n}\n", "cleave.json:2:26: malformed JSON: expected a string key");
    CHECK_ERR("", "cleave.json:1:1: malformed JSON: unexpected end of input");
    CHECK_ERR("{\"plan\": {}} x", "cleave.json:1:14: malformed JSON: text after the end of the document");
    CHECK_ERR("[1, 2]", "cleave.json:1:1: expected an object at the top level, got an array");
    /* a UTF-8 byte order mark is skipped, and the columns still count bytes */
    CHECK_ERR("\xEF\xBB\xBF{\"plna\": {}}", "cleave.json:1:5: unknown key \"plna\" (did you mean \"plan\"?)");
}

static void test_key_errors(void) {
    CHECK_ERR("{\n  \"plna\": {}\n}", "cleave.json:2:3: unknown key \"plna\" (did you mean \"plan\"?)");
    CHECK_ERR("{\"zzz\": 1}",
              "cleave.json:1:2: unknown key \"zzz\" (known keys: \"$schema\", \"plan\", \"rules\", "
              "\"severity\", \"ignore\", \"fitness\")");
    CHECK_ERR("{\n  \"plan\": {\n    \"grnularity\": \"service\"\n  }\n}",
              "cleave.json:3:5: plan: unknown key \"grnularity\" (did you mean \"granularity\"?)");
    CHECK_ERR("{\"plan\": {\"keep-together\": [[\"a\", \"b\"]]}}",
              "cleave.json:1:11: plan: unknown key \"keep-together\" (did you mean \"keep_together\"?)");
    CHECK_ERR("{\"plan\": {\"services\": 2},\n \"plan\": {}}",
              "cleave.json:2:2: duplicate key \"plan\" (first at 1:2)");
    CHECK_ERR("{\"severity\": {\"service-cycles\": \"error\"}}",
              "cleave.json:1:15: severity: unknown key \"service-cycles\" (did you mean \"service-cycle\"?)");
    CHECK_ERR("{\"plan\": {\"pin\": [{\"service\": \"a\", \"function\": [\"f\"]}]}}",
              "cleave.json:1:36: plan.pin[0]: unknown key \"function\" (did you mean \"functions\"?)");
    CHECK_ERR("{\"fitness\": {\"cost\": {\"per_gb_sec\": 1}}}",
              "cleave.json:1:23: fitness.cost: unknown key \"per_gb_sec\" (did you mean \"per_gb_second\"?)");
    /* escapes in keys and strings do not throw the positions off */
    CHECK_ERR("{\"ignore\": [\"a\\\"b\", \"\\u00e9\"], \"pl\\u0061n\": {\"x\\ty\": 1}}",
              "cleave.json:1:46: plan: unknown key \"x\ty\" (known keys: \"granularity\", \"services\", "
              "\"resolution\", \"pin\", \"keep_together\", \"keep_apart\")");
}

static void test_type_errors(void) {
    CHECK_ERR("{\n  \"plan\": {\n    \"services\": \"8\"\n  }\n}",
              "cleave.json:3:17: plan.services: expected a whole number >= 1, got a string");
    CHECK_ERR("{\"plan\": {\"services\": 2.5}}", "cleave.json:1:23: plan.services: expected a whole number >= 1, got 2.5");
    CHECK_ERR("{\"plan\": {\"services\": 0}}", "cleave.json:1:23: plan.services: expected a whole number >= 1, got 0");
    CHECK_ERR("{\"plan\": {\"services\": 1e12}}",
              "cleave.json:1:23: plan.services: expected a whole number >= 1, got 1e+12");
    CHECK_ERR("{\"plan\": {\"resolution\": 0}}", "cleave.json:1:25: plan.resolution: expected a number > 0, got 0");
    CHECK_ERR("{\"plan\": {\"granularity\": \"servce\"}}",
              "cleave.json:1:26: plan.granularity: unknown value \"servce\" (did you mean \"service\"?)");
    CHECK_ERR("{\"plan\": {\"granularity\": \"library\"}}",
              "cleave.json:1:26: plan.granularity: expected one of \"service\", \"function\", got \"library\"");
    CHECK_ERR("{\"plan\": {\"granularity\": 1}}",
              "cleave.json:1:26: plan.granularity: expected one of \"service\", \"function\", got a number");
    CHECK_ERR(
        "{\"plan\": {\"pin\": [{\"service\": \"log\", \"files\": [\"log.c\"], \"kind\": "
        "\"libary\"}]}}",
        "cleave.json:1:66: plan.pin[0].kind: unknown value \"libary\" (did you mean \"library\"?)");
    CHECK_ERR("{\"plan\": {\"pin\": [{\"service\": \"m\", \"files\": [\"m.c\"], \"kind\": "
              "\"program\"}]}}",
              "cleave.json:1:62: plan.pin[0].kind: expected one of \"service\", \"function\", "
              "\"library\", got "
              "\"program\"");
    CHECK_ERR("{\"plan\": []}", "cleave.json:1:10: plan: expected an object, got an array");
    CHECK_ERR("{\"plan\": {\"pin\": {}}}", "cleave.json:1:18: plan.pin: expected an array of pins, got an object");
    CHECK_ERR("{\"plan\": {\"keep_together\": [\"a\", \"b\"]}}",
              "cleave.json:1:29: plan.keep_together[0]: expected an array of names, got a string");
    CHECK_ERR("{\"severity\": {\"new-interface\": \"fatal\"}}",
              "cleave.json:1:32: severity.new-interface: expected one of \"info\", \"warning\", \"error\", got \"fatal\"");
    CHECK_ERR("{\"severity\": {\"new-interface\": \"eror\"}}",
              "cleave.json:1:32: severity.new-interface: unknown value \"eror\" (did you mean \"error\"?)");
    CHECK_ERR("{\"$schema\": 3}", "cleave.json:1:13: $schema: expected a string, got a number");
    CHECK_ERR("{\"ignore\": \"tests/**\"}", "cleave.json:1:12: ignore: expected an array of globs, got a string");
    CHECK_ERR("{\"ignore\": [null]}", "cleave.json:1:13: ignore[0]: expected a glob (a string), got null");
    CHECK_ERR("{\"fitness\": {\"thresholds\": {\"function_max_loc\": true}}}",
              "cleave.json:1:49: fitness.thresholds.function_max_loc: expected a whole number >= 1, got a boolean");
    CHECK_ERR("{\"fitness\": {\"cost\": {\"per_invocation\": -0.0002}}}",
              "cleave.json:1:41: fitness.cost.per_invocation: expected a number >= 0, got -0.0002");
    CHECK_ERR("{\"fitness\": {\"traffic\": {\"loop_iterations\": 0.5}}}",
              "cleave.json:1:45: fitness.traffic.loop_iterations: expected a number >= 1, got 0.5");
    CHECK_ERR("{\"fitness\": {\"traffic\": {\"entries\": [{\"functions\": [\"f\"]}]}}}",
              "cleave.json:1:38: fitness.traffic.entries[0]: an entry needs \"per_hour\"");
    CHECK_ERR(
        "{\"fitness\": {\"traffic\": {\"entries\": [{\"per_hour\": 1}]}}}",
        "cleave.json:1:38: fitness.traffic.entries[0]: an entry needs \"functions\" or \"files\"");
    CHECK_ERR(
        "{\"fitness\": {\"traffic\": {\"entries\": [{\"functions\": [\"f\"], \"per_hour\": -1}]}}}",
        "cleave.json:1:71: fitness.traffic.entries[0].per_hour: expected a number >= 0, got -1");
    CHECK_ERR(
        "{\"fitness\": {\"traffic\": {\"entries\": [{\"functions\": [\"f\"], \"per_hour\": 1}, "
        "{\"functions\": [\"f\"], \"per_hour\": 2}]}}}",
        "cleave.json:1:90: fitness.traffic.entries[1].functions[0]: function \"f\" already has a "
        "rate "
        "(first at 1:53)");
    CHECK_ERR("{\"fitness\": {\"cost\": {\"memory_mb\": 0}}}",
              "cleave.json:1:36: fitness.cost.memory_mb: expected a number > 0, got 0");
    /* JSON's grammar takes 1e999, a double cannot: never read as infinity */
    CHECK_ERR("{\"fitness\": {\"cost\": {\"service_per_hour\": 1e999}}}",
              "cleave.json:1:43: number out of range");
    CHECK_ERR("{\"plan\": {\"resolution\": -1e400}}", "cleave.json:1:25: number out of range");
    /* nor are numbers JSON does not have */
    CHECK_ERR("{\"plan\": {\"services\": 01}}", "cleave.json:1:24: malformed JSON: expected ',' or '}'");
    CHECK_ERR("{\"plan\": {\"resolution\": 1.}}", "cleave.json:1:25: malformed JSON: bad number");
}

static void test_name_and_glob_errors(void) {
    CHECK_ERR("{\"plan\": {\"pin\": [{\"service\": \"\", \"files\": [\"a/**\"]}]}}",
              "cleave.json:1:31: plan.pin[0].service: empty name");
    CHECK_ERR("{\"plan\": {\"pin\": [{\"service\": \"billing \", \"files\": [\"a/**\"]}]}}",
              "cleave.json:1:31: plan.pin[0].service: name \"billing \" has leading or trailing blanks");
    CHECK_ERR("{\"plan\": {\"pin\": [{\"files\": [\"a/**\"]}]}}",
              "cleave.json:1:19: plan.pin[0]: a pin needs \"service\"");
    CHECK_ERR("{\"plan\": {\"pin\": [{\"service\": \"a\", \"functions\": []}]}}",
              "cleave.json:1:19: plan.pin[0]: a pin needs \"functions\" or \"files\"");
    CHECK_ERR("{\"plan\": {\"keep_apart\": [[\"a\"]]}}",
              "cleave.json:1:26: plan.keep_apart[0]: 1 name: give at least 2");
    CHECK_ERR("{\"plan\": {\"keep_together\": [[\"a\", \"b\", \"a\"]]}}",
              "cleave.json:1:40: plan.keep_together[0][2]: \"a\" appears twice in this list");
    CHECK_ERR("{\"ignore\": [\"src/[ab\"]}", "cleave.json:1:13: ignore[0]: unterminated '[' in glob: \"src/[ab\"");
    CHECK_ERR("{\"ignore\": [\"\"]}", "cleave.json:1:13: ignore[0]: empty glob: \"\"");
    CHECK_ERR("{\"ignore\": [\"./tests/**\"]}",
              "cleave.json:1:13: ignore[0]: globs are relative to the project root: write \"tests/**\"");
    CHECK_ERR("{\"ignore\": [\"a/**\", \"b\", \"a/**\"]}",
              "cleave.json:1:26: ignore[2]: glob \"a/**\" is given twice (first at 1:13)");
}

static void test_constraint_errors(void) {
    CHECK_ERR("{\"plan\": {\"pin\": [\n"
              "  {\"service\": \"billing\", \"functions\": [\"charge\"]},\n"
              "  {\"service\": \"orders\", \"functions\": [\"place\", \"charge\"]}]}}",
              "cleave.json:3:48: plan.pin[1].functions[1]: \"charge\" is already pinned to service "
              "\"billing\" (at 2:40)");
    CHECK_ERR("{\"plan\": {\"pin\": [\n"
              "  {\"service\": \"billing\", \"functions\": [\"charge\"]},\n"
              "  {\"service\": \"billing\", \"files\": [\"src/**\"]}]}}",
              "cleave.json:3:15: plan.pin[1].service: service \"billing\" has a second pin; merge the two "
              "(first at 2:15)");
    CHECK_ERR("{\"plan\": {\"pin\": [\n"
              "  {\"service\": \"a\", \"files\": [\"src/**\"]},\n"
              "  {\"service\": \"b\", \"files\": [\"src/**\"]}]}}",
              "cleave.json:3:30: plan.pin[1].files[0]: glob \"src/**\" is already in a pin (first at 2:30)");
    /* together and apart at once */
    CHECK_ERR("{\"plan\": {\n"
              "  \"keep_together\": [[\"cart_add\", \"cart_total\"]],\n"
              "  \"keep_apart\": [[\"cart_add\", \"cart_total\"]]}}",
              "cleave.json:3:31: plan.keep_apart[0][1]: \"cart_total\" is kept apart from \"cart_add\", "
              "but keep_together and pins put them in one service");
    /* apart, but pinned to one service */
    CHECK_ERR("{\"plan\": {\"pin\": [{\"service\": \"s\", \"functions\": [\"f\", \"g\"]}],\n"
              "  \"keep_apart\": [[\"h\", \"g\", \"f\"]]}}",
              "cleave.json:2:29: plan.keep_apart[0][2]: \"f\" is kept apart from \"g\", but both are "
              "pinned to service \"s\"");
    /* apart, through a chain: f pinned to s, g with h, h pinned to s */
    CHECK_ERR("{\"plan\": {\"pin\": [{\"service\": \"s\", \"functions\": [\"f\", \"h\"]}],\n"
              "  \"keep_together\": [[\"g\", \"x\"], [\"x\", \"h\"]],\n"
              "  \"keep_apart\": [[\"f\", \"g\"]]}}",
              "cleave.json:3:24: plan.keep_apart[0][1]: \"g\" is kept apart from \"f\", but keep_together "
              "and pins put them in one service");
    /* together, but pinned to two services (through a chain) */
    CHECK_ERR("{\"plan\": {\"pin\": [{\"service\": \"s\", \"functions\": [\"f\"]},\n"
              "                   {\"service\": \"t\", \"functions\": [\"g\"]}],\n"
              "  \"keep_together\": [[\"f\", \"x\"], [\"x\", \"g\"]]}}",
              "cleave.json:3:39: plan.keep_together[1][1]: \"g\" is kept together with \"x\", but \"f\" is "
              "pinned to service \"s\" and \"g\" to \"t\"");
    /* consistent constraints load */
    char *e = load_text("{\"plan\": {\"pin\": [{\"service\": \"s\", \"functions\": [\"f\"]},\n"
                        "                   {\"service\": \"t\", \"functions\": [\"g\"]}],\n"
                        "  \"keep_together\": [[\"f\", \"x\"], [\"y\", \"g\"]],\n"
                        "  \"keep_apart\": [[\"x\", \"y\"], [\"f\", \"g\"]]}}");
    CHECK(e == NULL);
    free(e);
}

static void test_rule_errors(void) {
    CHECK_ERR("{\"rules\": {\"forbidden\": [{\"from\": \"a\", \"to\": []}]}}",
              "cleave.json:1:46: rules.forbidden[0].to: empty list: give at least one name");
    CHECK_ERR("{\"rules\": {\"forbidden\": [{\"from\": \"a\", \"to\": [\"b\", \"a\"]}]}}",
              "cleave.json:1:52: rules.forbidden[0].to[1]: a service always calls itself freely: drop \"a\"");
    CHECK_ERR("{\"rules\": {\"forbidden\": [{\"from\": \"a\"}]}}",
              "cleave.json:1:26: rules.forbidden[0]: a \"forbidden\" entry needs \"from\" and \"to\"");
    CHECK_ERR("{\"rules\": {\"allowed\": [{\"from\": \"a\", \"to\": []}, {\"from\": \"a\", \"to\": [\"b\"]}]}}",
              "cleave.json:1:58: rules.allowed[1].from: service \"a\" has a second \"allowed\" entry; merge "
              "the two (first at 1:33)");
    CHECK_ERR("{\"rules\": {\n"
              "  \"forbidden\": [{\"from\": \"ui\", \"to\": [\"db\"]}],\n"
              "  \"allowed\": [{\"from\": \"ui\", \"to\": [\"core\", \"db\"]}]}}",
              "cleave.json:2:39: rules.forbidden[0].to[0]: \"ui\" is forbidden to call \"db\", but "
              "rules.allowed (at 3:24) allows it");
    CHECK_ERR("{\"rules\": {\"layers\": [[\"ui\", \"api\"]]}}",
              "cleave.json:1:22: rules.layers: layers need at least two layers, the top one first");
    CHECK_ERR("{\"rules\": {\"layers\": [[\"ui\"], []]}}",
              "cleave.json:1:31: rules.layers[1]: empty list: give at least one name");
    CHECK_ERR("{\"rules\": {\"layers\": [[\"ui\", \"api\"], [\"core\", \"ui\"]]}}",
              "cleave.json:1:47: rules.layers[1][1]: service \"ui\" is in two layers (first at 1:24)");
    CHECK_ERR("{\"rules\": {\"independent\": [[\"a\"]]}}",
              "cleave.json:1:28: rules.independent[0]: 1 name: give at least 2");
    CHECK_ERR("{\"rules\": {\"placement\": [{\"service\": \"a\"}]}}",
              "cleave.json:1:26: rules.placement[0]: a placement rule needs \"service\" and \"files\"");
    CHECK_ERR("{\"rules\": {\"placement\": [{\"service\": \"a\", \"files\": []}]}}",
              "cleave.json:1:52: rules.placement[0].files: empty list: give at least one glob");
    CHECK_ERR("{\"rules\": {\"placement\": [{\"service\": \"a\", \"files\": [\"x/**\"]},\n"
              "                        {\"service\": \"b\", \"files\": [\"x/**\"]}]}}",
              "cleave.json:2:52: rules.placement[1].files[0]: glob \"x/**\" is already in a placement rule "
              "(first at 1:53)");
}

/* What the file names and the plan or the code lacks: an error at the
 * name, with a suggestion when one is close. */
static void test_names_checked(void) {
    graph *g = graph_new(".");
    static const char *const defined[] = {"cart_add", "cart_total", "main"};
    for (size_t i = 0; i < 3; i++) {
        gfunc f = {0};
        f.id = f.name = strpool_intern(g->pool, defined[i]);
        f.defined = 1;
        VEC_PUSH(g->funcs, f);
    }
    plan *p = plan_new(g, NULL);
    size_t billing = plan_add_service(p, PLAN_SERVICE);
    size_t catalog = plan_add_service(p, PLAN_SERVICE);
    p->services.v[billing].name = xstrdup("billing");
    p->services.v[catalog].name = xstrdup("catalog");
    static const char *const cases[][2] = {
        {"{\"rules\": {\"forbidden\": [{\"from\": \"billing\", \"to\": [\"catalg\"]}]}}",
         "cleave.json:1:53: rules.forbidden[0].to[0]: service \"catalg\" is not in the plan "
         "(did you mean \"catalog\"?)"},
        {"{\"rules\": {\"allowed\": [{\"from\": \"shipping\", \"to\": []}]}}",
         "cleave.json:1:33: rules.allowed[0].from: service \"shipping\" is not in the plan"},
        {"{\"rules\": {\"layers\": [[\"billing\"], [\"catalog\", \"x\"]]}}",
         "cleave.json:1:48: rules.layers[1][1]: service \"x\" is not in the plan"},
        {"{\"rules\": {\"independent\": [[\"billing\", \"zz\"]]}}",
         "cleave.json:1:40: rules.independent[0][1]: service \"zz\" is not in the plan"},
        {"{\"rules\": {\"placement\": [{\"service\": \"billin\", \"files\": [\"*.c\"]}]}}",
         "cleave.json:1:38: rules.placement[0].service: service \"billin\" is not in the plan "
         "(did you mean \"billing\"?)"},
        {"{\"plan\": {\"keep_apart\": [[\"main\", \"cart_ad\"]]}}",
         "cleave.json:1:35: plan.keep_apart[0][1]: function \"cart_ad\" is not in the code "
         "(did you mean \"cart_add\"?)"},
        {"{\"plan\": {\"keep_together\": [[\"nope\", \"main\"]]}}",
         "cleave.json:1:30: plan.keep_together[0][0]: function \"nope\" is not in the code"},
        {"{\"plan\": {\"pin\": [{\"service\": \"s\", \"functions\": [\"main\", \"gone\"]}]}}",
         "cleave.json:1:58: plan.pin[0].functions[1]: function \"gone\" is not in the code"},
        {"{\"fitness\": {\"traffic\": {\"entries\": [{\"functions\": [\"cart_ad\"], \"per_hour\": "
         "1}]}}}",
         "cleave.json:1:53: fitness.traffic.entries[0].functions[0]: function \"cart_ad\" is not "
         "in the "
         "code (did you mean \"cart_add\"?)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        config *c = NULL;
        char *err = NULL;
        put("cleave.json", cases[i][0]);
        REQUIRE(config_load("cleave.json", &c, &err) == 0);
        int services = config_check_services(c, p, &err), functions = 0;
        if (services == 0) functions = config_check_functions(c, g, &err);
        CHECK(services + functions == -1);
        CHECK_STR(err, cases[i][1]);
        free(err);
        config_free(c);
    }
    /* names that are there pass, and so does a config naming none */
    config *c = NULL;
    char *err = NULL;
    put("cleave.json", "{\"plan\": {\"keep_apart\": [[\"main\", \"cart_add\"]]},\n"
                       " \"rules\": {\"layers\": [[\"billing\"], [\"catalog\"]]}}");
    REQUIRE(config_load("cleave.json", &c, &err) == 0);
    CHECK_INT(config_check_services(c, p, &err), 0);
    CHECK_INT(config_check_functions(c, g, &err), 0);
    config_free(c);
    c = config_default();
    CHECK_INT(config_check_services(c, p, &err), 0);
    CHECK_INT(config_check_functions(c, g, &err), 0);
    config_free(c);
    plan_free(p);
    graph_free(g);
}

static const test_case cases[] = {
    {"defaults", test_defaults},
    {"full_example", test_full_example},
    {"partial_cost", test_partial_cost},
    {"file_errors", test_file_errors},
    {"key_errors", test_key_errors},
    {"type_errors", test_type_errors},
    {"name_and_glob_errors", test_name_and_glob_errors},
    {"constraint_errors", test_constraint_errors},
    {"rule_errors", test_rule_errors},
    {"names_checked", test_names_checked},
};

int main(int argc, char **argv) {
    char dir[] = "/tmp/cleave-test-config-XXXXXX";
    if (!mkdtemp(dir) || chdir(dir) != 0) {
        perror("test_config: temporary directory");
        return 1;
    }
    int rc = test_main(argc, argv, cases, TEST_COUNT(cases));
    unlink("cleave.json");
    if (chdir("/") != 0 || rmdir(dir) != 0) perror("test_config: removing the temporary directory");
    return rc;
}
