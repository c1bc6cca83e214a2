/*
 * check_json.c - findings as JSON, schema cleave.check/1 (docs/check.md).
 */
#include "reports/check_report.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

#include "util/json_out.h"

static char *render(const check_result *c) {
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "schema", "cleave.check/1");
    cJSON *sum = cJSON_AddObjectToObject(root, "summary");
    size_t accepted = 0;
    for (size_t i = 0; i < c->findings.n; i++) accepted += c->findings.v[i].baselined;
    cJSON_AddNumberToObject(sum, "errors", (double)check_count(c, CONFIG_SEV_ERROR));
    cJSON_AddNumberToObject(sum, "warnings", (double)check_count(c, CONFIG_SEV_WARNING));
    cJSON_AddNumberToObject(sum, "info", (double)check_count(c, CONFIG_SEV_INFO));
    cJSON_AddNumberToObject(sum, "baselined", (double)accepted);
    cJSON_AddNumberToObject(sum, "stale", (double)c->stale.n);
    cJSON_AddNumberToObject(sum, "units", (double)c->units);
    cJSON_AddNumberToObject(sum, "units_parsed", (double)c->units_parsed);
    cJSON *a = cJSON_AddArrayToObject(root, "findings");
    for (size_t i = 0; i < c->findings.n; i++) {
        const check_finding *f = &c->findings.v[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "rule", config_rule_name(f->rule));
        cJSON_AddStringToObject(o, "severity", config_severity_name(f->severity));
        cJSON_AddStringToObject(o, "file", f->file);
        cJSON_AddNumberToObject(o, "line", f->line);
        cJSON_AddNumberToObject(o, "col", f->col);
        cJSON_AddStringToObject(o, "message", f->message);
        cJSON_AddStringToObject(o, "key", f->key);
        cJSON_AddBoolToObject(o, "baselined", f->baselined);
        cJSON_AddItemToArray(a, o);
    }
    cJSON *st = cJSON_AddArrayToObject(root, "stale");
    for (size_t i = 0; i < c->stale.n; i++) cJSON_AddItemToArray(st, cJSON_CreateString(c->stale.v[i]));
    char *text = json_out_print(root, 1);
    cJSON_Delete(root);
    char *out = xasprintf("%s\n", text);
    free(text);
    return out;
}

const check_reporter check_json_reporter = {"json", render};
