/*
 * baseline.c - writes and applies the baseline of known violations (see
 * baseline.h).  Entries are {"rule", "key", "message"}; only "key" is
 * matched, the others help a reader of the file.
 */
#define _POSIX_C_SOURCE 200809L
#include "check/baseline.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/json_out.h"
#include "util/jsonpos.h"
#include "util/strmap.h"

#define SCHEMA "cleave.baseline/1"

char *baseline_render(const check_result *c) {
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "schema", SCHEMA);
    cJSON *a = cJSON_AddArrayToObject(root, "findings");
    strmap *seen = strmap_new();
    /* sorted by key so the file diffs well */
    size_t n = c->findings.n;
    const check_finding **v = xcalloc(n + 1, sizeof *v);
    for (size_t i = 0; i < n; i++) v[i] = &c->findings.v[i];
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(v[j - 1]->key, v[j]->key) > 0; j--) {
            const check_finding *t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    for (size_t i = 0; i < n; i++) {
        int added;
        strmap_intern(seen, v[i]->key, 1, &added);
        if (!added) continue;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "rule", config_rule_name(v[i]->rule));
        cJSON_AddStringToObject(o, "key", v[i]->key);
        cJSON_AddStringToObject(o, "message", v[i]->message);
        cJSON_AddItemToArray(a, o);
    }
    free(v);
    strmap_free(seen);
    char *text = json_out_print(root, 1);
    cJSON_Delete(root);
    char *out = xasprintf("%s\n", text);
    free(text);
    return out;
}

int baseline_apply(const char *path, check_result *c, char **err) {
    size_t len = 0;
    char *text = file_read_all(path, &len);
    if (!text) {
        *err = xasprintf("%s: %s", path, file_strerror(errno));
        return -1;
    }
    int rc = -1;
    strmap *keys = strmap_new();
    strvec order = {0};
    cJSON *root = jsonpos_parse(path, text, len, err);
    if (!root) goto cleanup;
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(root, "schema");
    if (!cJSON_IsString(schema) || strcmp(schema->valuestring, SCHEMA) != 0) {
        *err = jsonpos_error(path, text, len, schema ? "/schema" : "",
                             "not a baseline: expected \"schema\": \"" SCHEMA "\"");
        goto cleanup;
    }
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, "findings");
    if (!cJSON_IsArray(a)) {
        *err = jsonpos_error(path, text, len, a ? "/findings" : "", "expected \"findings\": [...]");
        goto cleanup;
    }
    int i = 0;
    for (const cJSON *x = a->child; x; x = x->next, i++) {
        const cJSON *k = cJSON_GetObjectItemCaseSensitive(x, "key");
        if (!cJSON_IsString(k)) {
            char ptr[48];
            snprintf(ptr, sizeof ptr, "/findings/%d", i);
            *err = jsonpos_error(path, text, len, ptr, "expected an entry with a string \"key\"");
            goto cleanup;
        }
        int added;
        strmap_intern(keys, k->valuestring, order.n, &added);
        if (added) strvec_push(&order, k->valuestring);
    }
    unsigned char *used = xcalloc(order.n + 1, 1);
    for (size_t f = 0; f < c->findings.n; f++) {
        size_t at;
        if (strmap_get(keys, c->findings.v[f].key, &at)) {
            c->findings.v[f].baselined = 1;
            used[at] = 1;
        }
    }
    for (size_t k = 0; k < order.n; k++)
        if (!used[k]) strvec_push(&c->stale, order.v[k]);
    free(used);
    c->baseline = 1;
    rc = 0;
cleanup:
    cJSON_Delete(root);
    strvec_free(&order);
    strmap_free(keys);
    free(text);
    return rc;
}
