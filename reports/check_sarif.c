/*
 * check_sarif.c - findings as SARIF 2.1.0: one run, the rules as driver
 * metadata, locations relative to the project root (uriBaseId SRCROOT),
 * the baseline key as a partial fingerprint, baselined findings marked
 * with an external suppression.  With a baseline, every result has its
 * baselineState (new or unchanged), and each stale baseline entry (a
 * violation since fixed) is a result of its own, "absent", of kind "pass".
 * The output is valid against the SARIF 2.1.0 JSON schema
 * (tests/e2e/check_sarif_test.sh checks it).
 */
#include "reports/check_report.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "util/json_out.h"

static const char *level(unsigned sev) {
    return sev == CONFIG_SEV_ERROR ? "error" : sev == CONFIG_SEV_WARNING ? "warning" : "note";
}

/*
 * A path as a URI reference (RFC 3986): every byte but the unreserved
 * characters and '/' percent-encoded, so spaces, quotes, backslashes, '%',
 * ':' and UTF-8 names stay one path.  An absolute path (a file outside
 * the project root) becomes a file: URI.
 */
static char *path_uri(const char *path) {
    static const char hex[] = "0123456789ABCDEF";
    strbuf b = {0};
    strbuf_add(&b, path[0] == '/' ? "file://" : "");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/", *p)) {
            strbuf_addn(&b, (const char *)p, 1);
        } else {
            char esc[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            strbuf_addn(&b, esc, 3);
        }
    }
    return b.v;
}

static cJSON *rules(void) {
    cJSON *a = cJSON_CreateArray();
    config *def = config_default();
    for (unsigned r = 0; r < CONFIG_RULE_COUNT; r++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", config_rule_name(r));
        cJSON *d = cJSON_AddObjectToObject(o, "shortDescription");
        cJSON_AddStringToObject(d, "text", check_rule_help(r));
        cJSON *dc = cJSON_AddObjectToObject(o, "defaultConfiguration");
        cJSON_AddStringToObject(dc, "level", level(def->severity[r]));
        cJSON_AddItemToArray(a, o);
    }
    config_free(def);
    return a;
}

static cJSON *result(const check_finding *f, int baseline) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ruleId", config_rule_name(f->rule));
    cJSON_AddNumberToObject(o, "ruleIndex", f->rule);
    cJSON_AddStringToObject(o, "level", level(f->severity));
    cJSON_AddStringToObject(cJSON_AddObjectToObject(o, "message"), "text", f->message);
    cJSON *locs = cJSON_AddArrayToObject(o, "locations");
    if (f->file[0]) { /* a finding without a site has no location */
        cJSON *loc = cJSON_CreateObject();
        cJSON *phys = cJSON_AddObjectToObject(loc, "physicalLocation");
        cJSON *art = cJSON_AddObjectToObject(phys, "artifactLocation");
        /* a second build's unit "file[build]" is the file on disk (the
         * message names the function, build and all) */
        char *file = xstrndup(f->file, path_unit_len(f->file));
        char *uri = path_uri(file);
        free(file);
        cJSON_AddStringToObject(art, "uri", uri);
        free(uri);
        if (f->file[0] != '/') cJSON_AddStringToObject(art, "uriBaseId", "SRCROOT");
        if (f->line > 0) {
            cJSON *reg = cJSON_AddObjectToObject(phys, "region");
            cJSON_AddNumberToObject(reg, "startLine", f->line);
            if (f->col > 0) cJSON_AddNumberToObject(reg, "startColumn", f->col);
        }
        cJSON_AddItemToArray(locs, loc);
    }
    cJSON_AddStringToObject(cJSON_AddObjectToObject(o, "partialFingerprints"), "cleaveKey/v1", f->key);
    if (f->baselined) {
        cJSON *sup = cJSON_AddArrayToObject(o, "suppressions");
        cJSON *s = cJSON_CreateObject();
        cJSON_AddStringToObject(s, "kind", "external");
        cJSON_AddStringToObject(s, "justification", "listed in the baseline");
        cJSON_AddItemToArray(sup, s);
    }
    if (baseline) cJSON_AddStringToObject(o, "baselineState", f->baselined ? "unchanged" : "new");
    return o;
}

/* A stale baseline entry: its rule is the key's prefix ("rule:subject"). */
static cJSON *absent(const char *key) {
    cJSON *o = cJSON_CreateObject();
    const char *colon = strchr(key, ':');
    char *name = colon ? xstrndup(key, (size_t)(colon - key)) : xstrdup(key);
    int rule = config_rule_find(name);
    if (rule >= 0) {
        cJSON_AddStringToObject(o, "ruleId", name);
        cJSON_AddNumberToObject(o, "ruleIndex", rule);
    }
    free(name);
    cJSON_AddStringToObject(o, "kind", "pass");
    cJSON_AddStringToObject(o, "level", "none");
    char *text = xasprintf("fixed: no finding matches the baseline entry %s any more; remove it "
                           "from the baseline",
                           key);
    cJSON_AddStringToObject(cJSON_AddObjectToObject(o, "message"), "text", text);
    free(text);
    cJSON_AddArrayToObject(o, "locations");
    cJSON_AddStringToObject(cJSON_AddObjectToObject(o, "partialFingerprints"), "cleaveKey/v1", key);
    cJSON_AddStringToObject(o, "baselineState", "absent");
    return o;
}

static char *render(const check_result *c) {
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    cJSON_AddStringToObject(root, "version", "2.1.0");
    cJSON *runs = cJSON_AddArrayToObject(root, "runs");
    cJSON *run = cJSON_CreateObject();
    cJSON *driver = cJSON_AddObjectToObject(cJSON_AddObjectToObject(run, "tool"), "driver");
    cJSON_AddStringToObject(driver, "name", "cleave");
    cJSON_AddStringToObject(driver, "informationUri", "https://github.com/cleave/cleave");
    cJSON_AddItemToObject(driver, "rules", rules());
    cJSON *res = cJSON_AddArrayToObject(run, "results");
    for (size_t i = 0; i < c->findings.n; i++)
        cJSON_AddItemToArray(res, result(&c->findings.v[i], c->baseline));
    for (size_t i = 0; i < c->stale.n; i++) cJSON_AddItemToArray(res, absent(c->stale.v[i]));
    cJSON_AddItemToArray(runs, run);
    char *text = json_out_print(root, 1);
    cJSON_Delete(root);
    char *out = xasprintf("%s\n", text);
    free(text);
    return out;
}

const check_reporter check_sarif_reporter = {"sarif", render};
