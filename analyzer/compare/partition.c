/*
 * partition.c - building and reading flat decompositions (partition.h).
 *
 * The three file formats are told apart by their content, not their name:
 * JSON starts with '{' (a plan has a "schema", a clustering JSON a
 * "structure"), anything else is read as RSF.  JSON is parsed with cJSON
 * and errors are placed with jsonpos; RSF errors name the line and the
 * column of the offending field.
 */
#define _POSIX_C_SOURCE 200809L
#include "compare/partition.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/common.h"
#include "util/jsonpos.h"

#define PLAN_SCHEMA "cleave.plan/1"

partition *partition_new(void) {
    partition *p = xcalloc(1, sizeof *p);
    p->pool = strpool_new();
    p->index = strmap_new();
    return p;
}

void partition_free(partition *p) {
    if (!p) return;
    strpool_free(p->pool);
    strmap_free(p->index);
    free(p->items.v);
    free(p);
}

void partition_add(partition *p, const char *entity, const char *cluster) {
    int added;
    size_t i = strmap_intern(p->index, entity, p->items.n, &added);
    partition_item it = {strpool_intern(p->pool, entity), strpool_intern(p->pool, cluster)};
    if (added) VEC_PUSH(p->items, it);
    else p->items.v[i].cluster = it.cluster;
}

static int cmpitem(const void *a, const void *b) {
    return strcmp(((const partition_item *)a)->entity, ((const partition_item *)b)->entity);
}

void partition_sort(partition *p) {
    if (p->items.n > 1) qsort(p->items.v, p->items.n, sizeof *p->items.v, cmpitem);
    for (size_t i = 0; i < p->items.n; i++) strmap_put(p->index, p->items.v[i].entity, i);
}

size_t partition_cluster_count(const partition *p) {
    strmap *seen = strmap_new();
    for (size_t i = 0; i < p->items.n; i++) strmap_put(seen, p->items.v[i].cluster, 0);
    size_t n = strmap_count(seen);
    strmap_free(seen);
    return n;
}

/* ---- JSON ------------------------------------------------------------------ */

typedef struct jsonsrc {
    const char *path, *text;
    size_t len;
    char **err;
} jsonsrc;

/* Sets *err for the value at JSON Pointer ptr; returns -1. */
static int jsonbad(const jsonsrc *s, const char *ptr, const char *msg) {
    *s->err = jsonpos_error(s->path, s->text, s->len, ptr, "%s", msg);
    return -1;
}

/* "schema": "cleave.plan/1" - services with their files.  Names are unique
 * and each file is in one service: the plan writer guarantees both, so a
 * violation means a damaged file. */
static int readplan(const jsonsrc *s, const cJSON *root, partition *p) {
    const cJSON *services = cJSON_GetObjectItemCaseSensitive(root, "services");
    strmap *names = strmap_new();
    char *ptr = NULL, *msg = NULL;
    if (!cJSON_IsArray(services)) {
        ptr = xstrdup(services ? "/services" : "");
        msg = xstrdup("a plan needs a \"services\" array");
    }
    size_t i = 0;
    const cJSON *svc;
    if (!msg) cJSON_ArrayForEach(svc, services) {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(svc, "name");
        const cJSON *files = cJSON_GetObjectItemCaseSensitive(svc, "files");
        int added = 0;
        if (!cJSON_IsObject(svc)) {
            ptr = xasprintf("/services/%zu", i);
            msg = xstrdup("a service must be an object");
        } else if (!cJSON_IsString(name)) {
            ptr = xasprintf("/services/%zu%s", i, name ? "/name" : "");
            msg = xstrdup("a service needs a \"name\" string");
        } else if (strmap_intern(names, name->valuestring, i, &added), !added) {
            ptr = xasprintf("/services/%zu/name", i);
            msg = xasprintf("a second service named \"%s\"", name->valuestring);
        } else if (!cJSON_IsArray(files)) {
            ptr = xasprintf("/services/%zu%s", i, files ? "/files" : "");
            msg = xstrdup("a service needs a \"files\" array");
        } else {
            size_t j = 0, before;
            const cJSON *f;
            cJSON_ArrayForEach(f, files) {
                if (!cJSON_IsString(f)) {
                    msg = xstrdup("\"files\" must hold strings");
                } else if (strmap_get(p->index, f->valuestring, &before)) {
                    msg = xasprintf("\"%s\" is already in service \"%s\"", f->valuestring,
                                    p->items.v[before].cluster);
                } else {
                    partition_add(p, f->valuestring, name->valuestring);
                    j++;
                    continue;
                }
                ptr = xasprintf("/services/%zu/files/%zu", i, j);
                break;
            }
        }
        if (msg) break;
        i++;
    }
    int rc = msg ? jsonbad(s, ptr, msg) : 0;
    free(ptr);
    free(msg);
    strmap_free(names);
    return rc;
}

/* "structure": groups of items (the SARIF / ARCADE ground-truth JSON). */
static int readclustering(const jsonsrc *s, const cJSON *structure, partition *p) {
    char *ptr = NULL;
    const char *msg = NULL;
    if (!cJSON_IsArray(structure)) {
        jsonbad(s, "/structure", "\"structure\" must be an array of groups");
        return -1;
    }
    size_t i = 0;
    const cJSON *grp;
    cJSON_ArrayForEach(grp, structure) {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(grp, "name");
        const cJSON *nested = cJSON_GetObjectItemCaseSensitive(grp, "nested");
        if (!cJSON_IsObject(grp)) {
            ptr = xasprintf("/structure/%zu", i);
            msg = "a group must be an object";
        } else if (!cJSON_IsString(name)) {
            ptr = xasprintf("/structure/%zu%s", i, name ? "/name" : "");
            msg = "a group needs a \"name\" string";
        } else if (nested && !cJSON_IsArray(nested)) {
            ptr = xasprintf("/structure/%zu/nested", i);
            msg = "\"nested\" must be an array of items";
        }
        size_t j = 0;
        const cJSON *it;
        if (!msg && nested) cJSON_ArrayForEach(it, nested) {
            const cJSON *iname = cJSON_GetObjectItemCaseSensitive(it, "name");
            const cJSON *type = cJSON_GetObjectItemCaseSensitive(it, "@type");
            if (!cJSON_IsObject(it) || !cJSON_IsString(iname)) {
                ptr = xasprintf("/structure/%zu/nested/%zu", i, j);
                msg = "an item must be an object with a \"name\" string";
                break;
            }
            if (type && !(cJSON_IsString(type) && strcmp(type->valuestring, "item") == 0)) {
                ptr = xasprintf("/structure/%zu/nested/%zu/@type", i, j);
                msg = "only \"item\" entries are supported in \"nested\" (no nested groups)";
                break;
            }
            partition_add(p, iname->valuestring, name->valuestring);
            j++;
        }
        if (msg) {
            jsonbad(s, ptr, msg);
            free(ptr);
            return -1;
        }
        i++;
    }
    return 0;
}

static int readjson(const char *path, const char *text, size_t len, partition *p, char **err) {
    jsonsrc s = {path, text, len, err};
    cJSON *root = jsonpos_parse(path, text, len, err);
    if (!root) return -1;
    int rc = -1;
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(root, "schema");
    const cJSON *structure = cJSON_GetObjectItemCaseSensitive(root, "structure");
    if (!cJSON_IsObject(root)) {
        jsonbad(&s, "", "expected a JSON object: a cleave plan or a clustering JSON");
    } else if (schema) {
        if (cJSON_IsString(schema) && strcmp(schema->valuestring, PLAN_SCHEMA) == 0) {
            p->format = "plan";
            rc = readplan(&s, root, p);
        } else {
            char *msg = xasprintf("schema is %s%s%s, not \"" PLAN_SCHEMA "\": not a cleave plan",
                                  cJSON_IsString(schema) ? "\"" : "",
                                  cJSON_IsString(schema) ? schema->valuestring : "not a string",
                                  cJSON_IsString(schema) ? "\"" : "");
            jsonbad(&s, "/schema", msg);
            free(msg);
        }
    } else if (structure) {
        p->format = "clustering";
        rc = readclustering(&s, structure, p);
    } else {
        jsonbad(&s, "", "neither a cleave plan (\"schema\": \"" PLAN_SCHEMA
                        "\") nor a clustering JSON (\"structure\")");
    }
    cJSON_Delete(root);
    return rc;
}

/* ---- RSF ------------------------------------------------------------------- */

static int rsfblank(char c) {
    return c == ' ' || c == '\t' || c == '\r';
}

/* "contain CLUSTER FILE" lines; every other line is another relation (or
 * noise) and is ignored. */
static int readrsf(const char *path, const char *text, size_t len, partition *p, char **err) {
    size_t contains = 0;
    strbuf cluster = {0}, entity = {0};
    int rc = -1;
    for (size_t at = 0; at < len;) {
        size_t eol = at;
        while (eol < len && text[eol] != '\n') eol++;
        /* up to four fields, to tell a three-field line */
        size_t start[4], n = 0, end[4];
        for (size_t i = at; i < eol && n < 4;) {
            while (i < eol && rsfblank(text[i])) i++;
            if (i == eol) break;
            start[n] = i;
            while (i < eol && !rsfblank(text[i])) i++;
            end[n++] = i;
        }
        if (n > 0 && end[0] - start[0] == 7 && memcmp(text + start[0], "contain", 7) == 0) {
            if (n != 3) {
                *err = jsonpos_error_at(path, text, n < 3 ? eol : start[3],
                                        "a contain line needs exactly CLUSTER and FILE");
                goto cleanup;
            }
            cluster.n = entity.n = 0;
            strbuf_addn(&cluster, text + start[1], end[1] - start[1]);
            strbuf_addn(&entity, text + start[2], end[2] - start[2]);
            partition_add(p, entity.v, cluster.v);
            contains++;
        }
        at = eol + 1;
    }
    if (!contains) {
        *err = jsonpos_error_at(path, text, 0,
                                "no \"contain CLUSTER FILE\" lines: not an RSF partition, "
                                "a cleave plan or a clustering JSON");
        goto cleanup;
    }
    p->format = "rsf";
    rc = 0;
cleanup:
    free(cluster.v);
    free(entity.v);
    return rc;
}

int partition_load(const char *path, partition **out, char **err) {
    size_t len;
    *out = NULL;
    char *text = file_read_all(path, &len);
    if (!text) {
        *err = xasprintf("%s: %s", path, file_strerror(errno));
        return -1;
    }
    partition *p = partition_new();
    size_t i = 0;
    while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) i++;
    int rc = i < len && text[i] == '{' ? readjson(path, text, len, p, err)
                                       : readrsf(path, text, len, p, err);
    free(text);
    if (rc != 0) {
        partition_free(p);
        return -1;
    }
    partition_sort(p);
    *out = p;
    return 0;
}
