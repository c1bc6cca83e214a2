/*
 * config.c - loads and validates cleave.json (see config.h and
 * docs/config.md).
 *
 * jsonpos_parse parses the file (and places syntax errors); the validator
 * then walks the tree section by section and stops at the first problem.
 * cJSON keeps no positions, so an error is placed by walking the text in
 * step with the tree until the offending node is reached (children of a
 * cJSON node are in document order, duplicate keys included); the same
 * walk spells the node's path ("plan.pin[1].service") for the message.
 * Only an error pays for it.  jsonpos_find is not used: a JSON Pointer
 * names a key's first occurrence and a value, where errors here need the
 * second of two duplicate keys, or a key itself.
 *
 * Cross-checks need the first sighting of a name: `seen` maps a name to
 * its first node, and `funcs` is a union-find over the function ids of
 * pins and keep_together groups, so a keep_apart pair that pins and groups
 * force into one service is caught however the chain runs.
 *
 * Memory: the config under construction is freed on failure; the tree,
 * the text and the registries are always freed before returning.
 */
#define _POSIX_C_SOURCE 200809L
#include "plan/config.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/fileglob.h"
#include "util/jsonpos.h"
#include "util/strmap.h"

#define NONE ((size_t)-1)

/* NULL-terminated so the key checker can list them. */
static const char *const rule_names[CONFIG_RULE_COUNT + 1] = {
    "cross-boundary-call", "new-interface", "shared-state-write",
    "service-cycle", "forbidden-dependency", "layer-violation",
    "independence-violation", "moved-function", "unplaced-function",
    "stale-plan-function", NULL,
};

/* The severities cleave ships (docs/config.md, "severity"). */
static const unsigned rule_defaults[CONFIG_RULE_COUNT] = {
    CONFIG_SEV_WARNING, /* cross-boundary-call */
    CONFIG_SEV_ERROR,   /* new-interface */
    CONFIG_SEV_ERROR,   /* shared-state-write */
    CONFIG_SEV_ERROR,   /* service-cycle */
    CONFIG_SEV_ERROR,   /* forbidden-dependency */
    CONFIG_SEV_ERROR,   /* layer-violation */
    CONFIG_SEV_ERROR,   /* independence-violation */
    CONFIG_SEV_WARNING, /* moved-function */
    CONFIG_SEV_WARNING, /* unplaced-function */
    CONFIG_SEV_WARNING, /* stale-plan-function */
};

static const char *const severity_names[] = {"info", "warning", "error", NULL};
/* Indexed by enum plan_granularity. */
static const char *const granularity_names[] = {"service", "function", NULL};

const char *config_rule_name(unsigned rule) {
    return rule < CONFIG_RULE_COUNT ? rule_names[rule] : "?";
}

int config_rule_find(const char *name) {
    for (int i = 0; i < CONFIG_RULE_COUNT; i++)
        if (strcmp(rule_names[i], name) == 0) return i;
    return -1;
}

const char *config_severity_name(unsigned sev) {
    return sev <= CONFIG_SEV_ERROR ? severity_names[sev] : "?";
}

/* ---- defaults and freeing ----------------------------------------------- */

config *config_default(void) {
    config *c = xcalloc(1, sizeof *c);
    c->plan.granularity = GRAN_SERVICE;
    for (int i = 0; i < CONFIG_RULE_COUNT; i++) c->severity[i] = rule_defaults[i];
    /* Neutral round figures of the order of public list prices, so the
     * comparison has a shape; the report says when they are in use. */
    c->fitness.thresholds = (config_thresholds){
        .library_min_callers = 3,
        .function_max_loc = 300,
        .function_max_state = 0,
        .function_max_fanout = 3,
    };
    c->fitness.cost = (config_cost){
        .service_per_hour = 0.05,
        .per_invocation = 0.0000002,
        .per_gb_second = 0.0000167,
        .memory_mb = 256,
        .invocations_per_hour = 3600,
    };
    c->fitness.traffic.loop_iterations = 10;
    return c;
}

static void groups_free(config_groups *g) {
    for (size_t i = 0; i < g->n; i++) strvec_free(&g->v[i]);
    free(g->v);
}

static void deps_free(config_deps *d) {
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].from);
        strvec_free(&d->v[i].to);
    }
    free(d->v);
}

void config_free(config *c) {
    if (!c) return;
    for (size_t i = 0; i < c->plan.pins.n; i++) {
        free(c->plan.pins.v[i].service);
        strvec_free(&c->plan.pins.v[i].functions);
        strvec_free(&c->plan.pins.v[i].files);
    }
    free(c->plan.pins.v);
    groups_free(&c->plan.keep_together);
    groups_free(&c->plan.keep_apart);
    deps_free(&c->rules.forbidden);
    deps_free(&c->rules.allowed);
    groups_free(&c->rules.layers);
    groups_free(&c->rules.independent);
    for (size_t i = 0; i < c->rules.placement.n; i++) {
        free(c->rules.placement.v[i].service);
        strvec_free(&c->rules.placement.v[i].files);
    }
    free(c->rules.placement.v);
    strvec_free(&c->ignore);
    for (size_t i = 0; i < c->fitness.traffic.entries.n; i++) {
        strvec_free(&c->fitness.traffic.entries.v[i].functions);
        strvec_free(&c->fitness.traffic.entries.v[i].files);
    }
    free(c->fitness.traffic.entries.v);
    free(c->path);
    free(c);
}

/* ---- lookups ------------------------------------------------------------ */

static int any_glob(const strvec *globs, const char *path) {
    for (size_t i = 0; i < globs->n; i++)
        if (fileglob_match(globs->v[i], path)) return 1;
    return 0;
}

const config_pin *config_pin_of(const config *c, const char *function_id, const char *file) {
    for (size_t i = 0; i < c->plan.pins.n; i++)
        if (strvec_contains(&c->plan.pins.v[i].functions, function_id)) return &c->plan.pins.v[i];
    if (!file) return NULL;
    for (size_t i = 0; i < c->plan.pins.n; i++)
        if (any_glob(&c->plan.pins.v[i].files, file)) return &c->plan.pins.v[i];
    return NULL;
}

int config_entry_of(const config_traffic *t, const char *function_id, const char *file,
                    int unnamed) {
    for (size_t i = 0; i < t->entries.n; i++)
        if (strvec_contains(&t->entries.v[i].functions, function_id)) return (int)i;
    if (!file || !unnamed) return -1;
    for (size_t i = 0; i < t->entries.n; i++)
        if (any_glob(&t->entries.v[i].files, file)) return (int)i;
    return -1;
}

const char *config_placement_of(const config *c, const char *file) {
    for (size_t i = 0; i < c->rules.placement.n; i++)
        if (any_glob(&c->rules.placement.v[i].files, file)) return c->rules.placement.v[i].service;
    return NULL;
}

int config_ignored(const config *c, const char *path) {
    return any_glob(&c->ignore, path);
}

/* ---- names the file gives and the code or the plan lacks ---------------- */

/* What names are checked against: `known` (name -> anything) and, for a
 * suggestion, the same names as a NULL-terminated list. */
typedef struct names {
    strmap *known;
    const char **list;
    const char *kind;  /* "service", "function" */
    const char *where; /* "the plan", "the code" */
} names;

static const char *suggest(const char *word, const char *const *cands);

/*
 * 1 when name is known, else 0 with *err = "<file>:<line>:<col>: <label>:
 * <kind> "<name>" is not in <where>", placed at the name in the file
 * (read again: only an error pays for it).  The name's place is
 * section[i].member[j] (member NULL, j NONE when absent), a JSON Pointer
 * as well as a label.
 */
static int known_name(const config *c, const names *n, const char *name, const char *section,
                      size_t i, const char *member, size_t j, char **err) {
    if (strmap_get(n->known, name, NULL)) return 1;
    strbuf label = {0}, ptr = {0};
    strbuf_printf(&label, "%s[%zu]%s%s", section, i, member ? "." : "", member ? member : "");
    if (j != NONE) strbuf_printf(&label, "[%zu]", j);
    strbuf_add(&ptr, "/");
    for (const char *p = section; *p; p++) strbuf_addn(&ptr, *p == '.' ? "/" : p, 1);
    strbuf_printf(&ptr, "/%zu", i);
    if (member) strbuf_printf(&ptr, "/%s", member);
    if (j != NONE) strbuf_printf(&ptr, "/%zu", j);
    const char *s = suggest(name, n->list);
    char *msg = s ? xasprintf("%s: %s \"%s\" is not in %s (did you mean \"%s\"?)", label.v, n->kind,
                              name, n->where, s)
                  : xasprintf("%s: %s \"%s\" is not in %s", label.v, n->kind, name, n->where);
    size_t len, off;
    char *text = c->path ? file_read_all(c->path, &len) : NULL;
    /* cJSON skipped a byte order mark: so does the look-up */
    size_t bom = text && len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    if (text) {
        jsonpos_find(text + bom, len - bom, ptr.v, &off);
        *err = jsonpos_error_at(c->path, text, off + bom, "%s", msg);
    } else {
        *err = xasprintf("%s: %s", c->path ? c->path : CONFIG_FILE_NAME, msg);
    }
    free(text);
    free(msg);
    free(label.v);
    free(ptr.v);
    return 0;
}

/* Every name of each group of gs, at section[i][j]. */
static int known_groups(const config *c, const names *n, const config_groups *gs,
                        const char *section, char **err) {
    for (size_t i = 0; i < gs->n; i++)
        for (size_t j = 0; j < gs->v[i].n; j++)
            if (!known_name(c, n, gs->v[i].v[j], section, i, NULL, j, err)) return -1;
    return 0;
}

static void names_free(names *n) {
    strmap_free(n->known);
    free(n->list);
}

static int known_deps(const config *c, const names *n, const config_deps *d, const char *section,
                      char **err) {
    for (size_t i = 0; i < d->n; i++) {
        if (!known_name(c, n, d->v[i].from, section, i, "from", NONE, err)) return -1;
        for (size_t j = 0; j < d->v[i].to.n; j++)
            if (!known_name(c, n, d->v[i].to.v[j], section, i, "to", j, err)) return -1;
    }
    return 0;
}

int config_check_services(const config *c, const plan *p, char **err) {
    names n = {strmap_new(), xcalloc(p->services.n + 1, sizeof *n.list), "service", "the plan"};
    for (size_t i = 0; i < p->services.n; i++) {
        const char *name = p->services.v[i].name ? p->services.v[i].name : "";
        strmap_put(n.known, name, i);
        n.list[i] = name;
    }
    const config_rules *r = &c->rules;
    int rc = -1;
    if (known_deps(c, &n, &r->forbidden, "rules.forbidden", err) != 0 ||
        known_deps(c, &n, &r->allowed, "rules.allowed", err) != 0 ||
        known_groups(c, &n, &r->layers, "rules.layers", err) != 0 ||
        known_groups(c, &n, &r->independent, "rules.independent", err) != 0)
        goto cleanup;
    for (size_t i = 0; i < r->placement.n; i++)
        if (!known_name(c, &n, r->placement.v[i].service, "rules.placement", i, "service", NONE,
                        err))
            goto cleanup;
    rc = 0;
cleanup:
    names_free(&n);
    return rc;
}

int config_check_functions(const config *c, const graph *g, char **err) {
    names n = {strmap_new(), xcalloc(g->funcs.n + 1, sizeof *n.list), "function", "the code"};
    size_t k = 0;
    for (size_t i = 0; i < g->funcs.n; i++) {
        if (!g->funcs.v[i].defined) continue;
        strmap_put(n.known, g->funcs.v[i].id, i);
        n.list[k++] = g->funcs.v[i].id;
    }
    const config_plan *p = &c->plan;
    int rc = -1;
    for (size_t i = 0; i < p->pins.n; i++)
        for (size_t j = 0; j < p->pins.v[i].functions.n; j++)
            if (!known_name(c, &n, p->pins.v[i].functions.v[j], "plan.pin", i, "functions", j, err))
                goto cleanup;
    if (known_groups(c, &n, &p->keep_together, "plan.keep_together", err) != 0 ||
        known_groups(c, &n, &p->keep_apart, "plan.keep_apart", err) != 0)
        goto cleanup;
    const config_traffic *t = &c->fitness.traffic;
    for (size_t i = 0; i < t->entries.n; i++)
        for (size_t j = 0; j < t->entries.v[i].functions.n; j++)
            if (!known_name(c, &n, t->entries.v[i].functions.v[j], "fitness.traffic.entries", i,
                            "functions", j, err))
                goto cleanup;
    rc = 0;
cleanup:
    names_free(&n);
    return rc;
}

/* ---- positions ---------------------------------------------------------- */

static size_t skip_ws(const char *t, size_t i) {
    while (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r') i++;
    return i;
}

/* Past the string or scalar starting at t[i]; the text is valid JSON. */
static size_t skip_scalar(const char *t, size_t i) {
    if (t[i] == '"') {
        for (i++; t[i] && t[i] != '"'; i++)
            if (t[i] == '\\' && t[i + 1]) i++;
        return t[i] ? i + 1 : i;
    }
    while (t[i] && !strchr(",]} \t\r\n", t[i])) i++;
    return i;
}

enum { AT_VALUE, AT_KEY };

/*
 * Walks the text from t[*i], where node's value starts, in step with the
 * tree.  On reaching target (its key when at == AT_KEY) stores its offset
 * in *found and returns 1, with path spelling where it is (for a key: the
 * object holding it).
 */
static int walk(const char *t, size_t *i, const cJSON *node, const cJSON *target, int at,
                strbuf *path, size_t *found) {
    *i = skip_ws(t, *i);
    if (node == target) {
        *found = *i;
        return 1;
    }
    if (!cJSON_IsObject(node) && !cJSON_IsArray(node)) {
        *i = skip_scalar(t, *i);
        return 0;
    }
    int obj = cJSON_IsObject(node);
    (*i)++; /* '{' or '[' */
    size_t k = 0;
    for (const cJSON *ch = node->child; ch; ch = ch->next, k++) {
        *i = skip_ws(t, *i);
        if (k) *i = skip_ws(t, *i + 1); /* ',' */
        size_t mark = path->n;
        if (obj) {
            if (ch == target && at == AT_KEY) {
                *found = *i;
                return 1;
            }
            strbuf_printf(path, "%s%s", mark ? "." : "", ch->string);
            *i = skip_ws(t, skip_scalar(t, *i)) + 1; /* the key and ':' */
        } else {
            strbuf_printf(path, "[%zu]", k);
        }
        if (walk(t, i, ch, target, at, path, found)) return 1;
        path->n = mark;
        path->v[mark] = '\0';
    }
    *i = skip_ws(t, *i) + 1; /* '}' or ']' */
    return 0;
}

typedef struct loader {
    const char *path, *text;
    const cJSON *root;
    char *err; /* the one error, once found */
} loader;

/* Line, column and path of node (or of its key). */
static void locate(const loader *L, const cJSON *node, int at, int *line, int *col, strbuf *path) {
    size_t i = 0, found = 0;
    if ((unsigned char)L->text[0] == 0xEF) i = 3; /* cJSON skips a UTF-8 BOM */
    walk(L->text, &i, L->root, node, at, path, &found);
    text_position(L->text, found, line, col);
}

/* Sets L->err to "<file>:<line>:<col>: <path>: <message>"; returns -1. */
static int fail(loader *L, const cJSON *node, int at, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
static int fail(loader *L, const cJSON *node, int at, const char *fmt, ...) {
    strbuf path = {0};
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    size_t size = (size_t)(n < 0 ? 0 : n) + 1;
    char *msg = xmalloc(size);
    va_start(ap, fmt);
    if (vsnprintf(msg, size, fmt, ap) < 0) msg[0] = '\0';
    va_end(ap);
    int line, col;
    locate(L, node, at, &line, &col, &path);
    L->err = xasprintf("%s:%d:%d: %s%s%s", L->path, line, col, path.n ? path.v : "",
                       path.n ? ": " : "", msg);
    free(msg);
    free(path.v);
    return -1;
}

/* "3:14", where node starts, for "(first at ...)"; the caller frees it. */
static char *where(const loader *L, const cJSON *node) {
    strbuf path = {0};
    int line, col;
    locate(L, node, AT_VALUE, &line, &col, &path);
    free(path.v);
    return xasprintf("%d:%d", line, col);
}

/* ---- suggestions -------------------------------------------------------- */

/* Levenshtein distance, or a large number for long words. */
static size_t distance(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b), row[65];
    if (la > 64 || lb > 64) return (size_t)-1;
    for (size_t j = 0; j <= lb; j++) row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* The closest candidate within two edits of word, or a third of its
 * length for long words ("per_gb_sec" finds "per_gb_second"). */
static const char *suggest(const char *word, const char *const *cands) {
    const char *best = NULL;
    size_t len = strlen(word), bestd = (len / 3 > 2 ? len / 3 : 2) + 1;
    for (size_t i = 0; cands[i]; i++) {
        size_t d = distance(word, cands[i]);
        if (d < bestd && d < len) {
            best = cands[i];
            bestd = d;
        }
    }
    return best;
}

/* "a", "b", "c" for messages; the caller frees it. */
static char *list_names(const char *const *names) {
    strbuf b = {0};
    for (size_t i = 0; names[i]; i++) strbuf_printf(&b, "%s\"%s\"", i ? ", " : "", names[i]);
    return b.v;
}

/* ---- typed readers ------------------------------------------------------ */

static const char *type_name(const cJSON *j) {
    if (cJSON_IsString(j)) return "a string";
    if (cJSON_IsNumber(j)) return "a number";
    if (cJSON_IsBool(j)) return "a boolean";
    if (cJSON_IsNull(j)) return "null";
    if (cJSON_IsArray(j)) return "an array";
    return "an object";
}

/* Fails on a key of obj not in keys, or on a key given twice. */
static int check_keys(loader *L, const cJSON *obj, const char *const *keys) {
    for (const cJSON *ch = obj->child; ch; ch = ch->next) {
        size_t k = 0;
        while (keys[k] && strcmp(keys[k], ch->string) != 0) k++;
        if (!keys[k]) {
            const char *s = suggest(ch->string, keys);
            if (s) return fail(L, ch, AT_KEY, "unknown key \"%s\" (did you mean \"%s\"?)", ch->string, s);
            char *all = list_names(keys);
            fail(L, ch, AT_KEY, "unknown key \"%s\" (known keys: %s)", ch->string, all);
            free(all);
            return -1;
        }
        for (const cJSON *p = obj->child; p != ch; p = p->next) {
            if (strcmp(p->string, ch->string) != 0) continue;
            strbuf path = {0};
            int line, col;
            locate(L, p, AT_KEY, &line, &col, &path);
            free(path.v);
            return fail(L, ch, AT_KEY, "duplicate key \"%s\" (first at %d:%d)", ch->string, line, col);
        }
    }
    return 0;
}

static int read_object(loader *L, const cJSON *j, const char *const *keys) {
    if (!cJSON_IsObject(j)) return fail(L, j, AT_VALUE, "expected an object, got %s", type_name(j));
    return check_keys(L, j, keys);
}

static int read_array(loader *L, const cJSON *j, const char *what) {
    if (!cJSON_IsArray(j)) return fail(L, j, AT_VALUE, "expected an array of %s, got %s", what, type_name(j));
    return 0;
}

static int is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* A service or function name: a non-empty string without surrounding
 * blanks.  Stores a copy in *out. */
static int read_name(loader *L, const cJSON *j, char **out) {
    if (!cJSON_IsString(j)) return fail(L, j, AT_VALUE, "expected a name (a string), got %s", type_name(j));
    const char *s = j->valuestring;
    size_t n = strlen(s);
    if (!n) return fail(L, j, AT_VALUE, "empty name");
    if (is_blank(s[0]) || is_blank(s[n - 1]))
        return fail(L, j, AT_VALUE, "name \"%s\" has leading or trailing blanks", s);
    *out = xstrdup(s);
    return 0;
}

/* An array of distinct names, at least min of them, appended to out. */
static int read_names(loader *L, const cJSON *j, size_t min, strvec *out) {
    if (read_array(L, j, "names") != 0) return -1;
    size_t n = (size_t)cJSON_GetArraySize(j);
    if (n < min) {
        if (min == 1) return fail(L, j, AT_VALUE, "empty list: give at least one name");
        return fail(L, j, AT_VALUE, "%zu name%s: give at least %zu", n, n == 1 ? "" : "s", min);
    }
    const cJSON *ch;
    cJSON_ArrayForEach(ch, j) {
        char *s;
        if (read_name(L, ch, &s) != 0) return -1;
        if (strvec_contains(out, s)) {
            fail(L, ch, AT_VALUE, "\"%s\" appears twice in this list", s);
            free(s);
            return -1;
        }
        strvec_push_owned(out, s);
    }
    return 0;
}

/* An array of well-formed globs (possibly empty), appended to out. */
static int read_globs(loader *L, const cJSON *j, strvec *out) {
    if (read_array(L, j, "globs") != 0) return -1;
    const cJSON *ch;
    cJSON_ArrayForEach(ch, j) {
        if (!cJSON_IsString(ch)) return fail(L, ch, AT_VALUE, "expected a glob (a string), got %s", type_name(ch));
        const char *g = ch->valuestring, *why = fileglob_check(g);
        if (why) return fail(L, ch, AT_VALUE, "%s: \"%s\"", why, g);
        /* paths are relative to the root and never start with "./" */
        if (str_startswith(g, "./"))
            return fail(L, ch, AT_VALUE, "globs are relative to the project root: write \"%s\"", g + 2);
        strvec_push(out, g);
    }
    return 0;
}

static int read_int(loader *L, const cJSON *j, int min, int *out) {
    double v = j->valuedouble;
    if (!cJSON_IsNumber(j))
        return fail(L, j, AT_VALUE, "expected a whole number >= %d, got %s", min, type_name(j));
    if (!(v >= min && v <= INT_MAX) || v != (double)(long long)v)
        return fail(L, j, AT_VALUE, "expected a whole number >= %d, got %g", min, v);
    *out = (int)v;
    return 0;
}

/* A finite number >= min, or > min when strict. */
static int read_number(loader *L, const cJSON *j, double min, int strict, double *out) {
    double v = j->valuedouble;
    const char *op = strict ? ">" : ">=";
    if (!cJSON_IsNumber(j)) return fail(L, j, AT_VALUE, "expected a number %s %g, got %s", op, min, type_name(j));
    if (!isfinite(v) || v < min || (strict && v == min))
        return fail(L, j, AT_VALUE, "expected a number %s %g, got %g", op, min, v);
    *out = v;
    return 0;
}

static int read_enum(loader *L, const cJSON *j, const char *const *names, unsigned *out) {
    char *all = list_names(names);
    int rc = -1;
    if (!cJSON_IsString(j)) {
        fail(L, j, AT_VALUE, "expected one of %s, got %s", all, type_name(j));
        goto cleanup;
    }
    for (unsigned i = 0; names[i]; i++) {
        if (strcmp(names[i], j->valuestring) == 0) {
            *out = i;
            rc = 0;
            goto cleanup;
        }
    }
    const char *s = suggest(j->valuestring, names);
    if (s)
        fail(L, j, AT_VALUE, "unknown value \"%s\" (did you mean \"%s\"?)", j->valuestring, s);
    else
        fail(L, j, AT_VALUE, "expected one of %s, got \"%s\"", all, j->valuestring);
cleanup:
    free(all);
    return rc;
}

static const cJSON *get(const cJSON *obj, const char *key) {
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/* ---- first sightings ---------------------------------------------------- */

/* Names seen so far, each with the node where it first appeared. */
typedef struct seen {
    strmap *map; /* name -> index into nodes */
    struct { const cJSON **v; size_t n, cap; } nodes;
} seen;

static void seen_free(seen *s) {
    strmap_free(s->map);
    free(s->nodes.v);
}

/* Records name at node; fails when it was seen before:
 * "<kind> "<name>" <what> (first at L:C)". */
static int seen_once(loader *L, seen *s, const char *name, const cJSON *node, const char *kind,
                     const char *what) {
    int added;
    if (!s->map) s->map = strmap_new();
    size_t k = strmap_intern(s->map, name, s->nodes.n, &added);
    if (added) {
        VEC_PUSH(s->nodes, node);
        return 0;
    }
    char *first = where(L, s->nodes.v[k]);
    fail(L, node, AT_VALUE, "%s \"%s\" %s (first at %s)", kind, name, what, first);
    free(first);
    return -1;
}

/* Each string of the array j, registered in s (see seen_once). */
static int seen_all(loader *L, seen *s, const cJSON *j, const char *kind, const char *what) {
    const cJSON *ch;
    cJSON_ArrayForEach(ch, j) if (seen_once(L, s, ch->valuestring, ch, kind, what) != 0) return -1;
    return 0;
}

/* ---- function constraints ----------------------------------------------- */

typedef struct fslot {
    const cJSON *node; /* first mention */
    size_t pin;        /* the pin naming it, or NONE */
    size_t parent;     /* union-find */
    size_t via;        /* at a root: a slot of the set with a pin, or NONE */
} fslot;

/* The functions of pins and groups, in sets that must share a service. */
typedef struct funcs {
    strmap *map; /* id -> slot */
    strvec names;
    struct { fslot *v; size_t n, cap; } s;
} funcs;

static void funcs_free(funcs *F) {
    strmap_free(F->map);
    strvec_free(&F->names);
    free(F->s.v);
}

static size_t funcs_slot(funcs *F, const char *name, const cJSON *node) {
    int added;
    size_t k = strmap_intern(F->map, name, F->s.n, &added);
    if (added) {
        fslot s = {node, NONE, k, NONE};
        VEC_PUSH(F->s, s);
        strvec_push(&F->names, name);
    }
    return k;
}

static size_t funcs_root(funcs *F, size_t x) {
    while (F->s.v[x].parent != x) {
        F->s.v[x].parent = F->s.v[F->s.v[x].parent].parent; /* path halving */
        x = F->s.v[x].parent;
    }
    return x;
}

/* ---- sections ----------------------------------------------------------- */

/* The kinds a pin may give, indexed by enum plan_kind (a program is what
 * main() makes, not a choice). */
static const char *const pin_kinds[] = {"service", "function", "library", NULL};
_Static_assert(PLAN_SERVICE == 0 && PLAN_FUNCTION == 1 && PLAN_LIBRARY == 2,
               "pin_kinds is indexed by enum plan_kind");

static int load_pins(loader *L, const cJSON *j, config_plan *p, funcs *F) {
    static const char *const keys[] = {"service", "functions", "files", "kind", NULL};
    seen services = {0}, globs = {0};
    int rc = -1;
    const cJSON *e;
    if (read_array(L, j, "pins") != 0) goto cleanup;
    cJSON_ArrayForEach(e, j) {
        if (read_object(L, e, keys) != 0) goto cleanup;
        const cJSON *js = get(e, "service"), *jf = get(e, "functions"), *jg = get(e, "files"),
                    *jk = get(e, "kind");
        if (!js) {
            fail(L, e, AT_VALUE, "a pin needs \"service\"");
            goto cleanup;
        }
        config_pin pin = {0};
        VEC_PUSH(p->pins, pin);
        config_pin *cur = &p->pins.v[p->pins.n - 1];
        size_t idx = p->pins.n - 1;
        if (read_name(L, js, &cur->service) != 0 ||
            seen_once(L, &services, cur->service, js, "service", "has a second pin; merge the two") != 0)
            goto cleanup;
        if (jf && read_names(L, jf, 0, &cur->functions) != 0) goto cleanup;
        if (jk && read_enum(L, jk, pin_kinds, &cur->kind) != 0) goto cleanup;
        cur->kind_given = jk != NULL;
        if (jg && (read_globs(L, jg, &cur->files) != 0 ||
                   seen_all(L, &globs, jg, "glob", "is already in a pin") != 0))
            goto cleanup;
        if (!cur->functions.n && !cur->files.n) {
            fail(L, e, AT_VALUE, "a pin needs \"functions\" or \"files\"");
            goto cleanup;
        }
        size_t first = NONE;
        const cJSON *ch;
        cJSON_ArrayForEach(ch, jf) {
            size_t k = funcs_slot(F, ch->valuestring, ch);
            if (F->s.v[k].pin != NONE) {
                char *at = where(L, F->s.v[k].node);
                fail(L, ch, AT_VALUE, "\"%s\" is already pinned to service \"%s\" (at %s)",
                     ch->valuestring, p->pins.v[F->s.v[k].pin].service, at);
                free(at);
                goto cleanup;
            }
            /* pins come first: a fresh slot is its own root */
            F->s.v[k].pin = idx;
            F->s.v[k].via = k;
            if (first == NONE)
                first = k;
            else
                F->s.v[k].parent = first;
        }
    }
    rc = 0;
cleanup:
    seen_free(&services);
    seen_free(&globs);
    return rc;
}

/* A list of name groups, each of at least min distinct names. */
static int load_groups(loader *L, const cJSON *j, size_t min, config_groups *out) {
    if (read_array(L, j, "name lists") != 0) return -1;
    const cJSON *e;
    cJSON_ArrayForEach(e, j) {
        strvec g = {0};
        VEC_PUSH(*out, g);
        if (read_names(L, e, min, &out->v[out->n - 1]) != 0) return -1;
    }
    return 0;
}

static int load_keep_together(loader *L, const cJSON *j, config_plan *p, funcs *F) {
    if (load_groups(L, j, 2, &p->keep_together) != 0) return -1;
    const cJSON *e, *ch;
    cJSON_ArrayForEach(e, j) {
        size_t head = funcs_slot(F, e->child->valuestring, e->child);
        cJSON_ArrayForEach(ch, e) {
            size_t a = funcs_root(F, head), b = funcs_root(F, funcs_slot(F, ch->valuestring, ch));
            if (a == b) continue;
            size_t va = F->s.v[a].via, vb = F->s.v[b].via;
            if (va != NONE && vb != NONE) {
                /* two pinned sets are different services (one pin per service) */
                return fail(L, ch, AT_VALUE,
                            "\"%s\" is kept together with \"%s\", but \"%s\" is pinned to "
                            "service \"%s\" and \"%s\" to \"%s\"",
                            ch->valuestring, e->child->valuestring, F->names.v[va],
                            p->pins.v[F->s.v[va].pin].service, F->names.v[vb],
                            p->pins.v[F->s.v[vb].pin].service);
            }
            F->s.v[b].parent = a;
            if (va == NONE) F->s.v[a].via = vb;
        }
    }
    return 0;
}

static int load_keep_apart(loader *L, const cJSON *j, config_plan *p, funcs *F) {
    if (load_groups(L, j, 2, &p->keep_apart) != 0) return -1;
    const cJSON *e, *a, *b;
    cJSON_ArrayForEach(e, j) {
        for (b = e->child; b; b = b->next) {
            size_t kb = funcs_slot(F, b->valuestring, b);
            for (a = e->child; a != b; a = a->next) {
                size_t ka = funcs_slot(F, a->valuestring, a);
                if (funcs_root(F, ka) != funcs_root(F, kb)) continue;
                size_t pa = F->s.v[ka].pin, pb = F->s.v[kb].pin;
                if (pa != NONE && pa == pb)
                    return fail(L, b, AT_VALUE, "\"%s\" is kept apart from \"%s\", but both are pinned to service \"%s\"",
                                b->valuestring, a->valuestring, p->pins.v[pa].service);
                return fail(L, b, AT_VALUE,
                            "\"%s\" is kept apart from \"%s\", but keep_together and pins put them in one service",
                            b->valuestring, a->valuestring);
            }
        }
    }
    return 0;
}

static int load_plan(loader *L, const cJSON *j, config_plan *p) {
    static const char *const keys[] = {"granularity", "services", "resolution", "pin",
                                       "keep_together", "keep_apart", NULL};
    funcs F = {strmap_new(), {0}, {0}};
    const cJSON *v;
    int rc = -1;
    if (read_object(L, j, keys) != 0) goto cleanup;
    if ((v = get(j, "granularity")) && read_enum(L, v, granularity_names, &p->granularity) != 0) goto cleanup;
    if ((v = get(j, "services")) && read_int(L, v, 1, &p->services) != 0) goto cleanup;
    if ((v = get(j, "resolution")) && read_number(L, v, 0, 1, &p->resolution) != 0) goto cleanup;
    /* pins first: the groups are checked against them */
    if ((v = get(j, "pin")) && load_pins(L, v, p, &F) != 0) goto cleanup;
    if ((v = get(j, "keep_together")) && load_keep_together(L, v, p, &F) != 0) goto cleanup;
    if ((v = get(j, "keep_apart")) && load_keep_apart(L, v, p, &F) != 0) goto cleanup;
    rc = 0;
cleanup:
    funcs_free(&F);
    return rc;
}

/* rules.forbidden or rules.allowed: one entry per "from"; "to" may be empty
 * only for allowed (a service that may call no other). */
static int load_deps(loader *L, const cJSON *j, int allowed, config_rules *r) {
    static const char *const keys[] = {"from", "to", NULL};
    const char *section = allowed ? "allowed" : "forbidden";
    config_deps *list = allowed ? &r->allowed : &r->forbidden;
    char *what = xasprintf("has a second \"%s\" entry; merge the two", section);
    seen froms = {0};
    int rc = -1;
    const cJSON *e;
    if (read_array(L, j, "rules") != 0) goto cleanup;
    cJSON_ArrayForEach(e, j) {
        if (read_object(L, e, keys) != 0) goto cleanup;
        const cJSON *jf = get(e, "from"), *jt = get(e, "to");
        if (!jf || !jt) {
            fail(L, e, AT_VALUE, "a \"%s\" entry needs \"from\" and \"to\"", section);
            goto cleanup;
        }
        config_dep d = {0};
        VEC_PUSH(*list, d);
        config_dep *cur = &list->v[list->n - 1];
        if (read_name(L, jf, &cur->from) != 0 || seen_once(L, &froms, cur->from, jf, "service", what) != 0 ||
            read_names(L, jt, allowed ? 0 : 1, &cur->to) != 0)
            goto cleanup;
        const cJSON *ch;
        cJSON_ArrayForEach(ch, jt) {
            if (strcmp(ch->valuestring, cur->from) == 0) {
                fail(L, ch, AT_VALUE, "a service always calls itself freely: drop \"%s\"", cur->from);
                goto cleanup;
            }
        }
    }
    rc = 0;
cleanup:
    seen_free(&froms);
    free(what);
    return rc;
}

/* A forbidden call that rules.allowed explicitly allows is a contradiction. */
static int check_deps(loader *L, const cJSON *jforb, const cJSON *jallow, const config_rules *r) {
    for (size_t i = 0; i < r->forbidden.n; i++) {
        const config_dep *f = &r->forbidden.v[i];
        for (size_t k = 0; k < r->allowed.n; k++) {
            const config_dep *a = &r->allowed.v[k];
            if (strcmp(a->from, f->from) != 0) continue;
            for (size_t t = 0; t < f->to.n; t++) {
                if (!strvec_contains(&a->to, f->to.v[t])) continue;
                const cJSON *node = cJSON_GetArrayItem(get(cJSON_GetArrayItem(jforb, (int)i), "to"), (int)t);
                char *at = where(L, get(cJSON_GetArrayItem(jallow, (int)k), "from"));
                fail(L, node, AT_VALUE, "\"%s\" is forbidden to call \"%s\", but rules.allowed (at %s) allows it",
                     f->from, f->to.v[t], at);
                free(at);
                return -1;
            }
        }
    }
    return 0;
}

static int load_placement(loader *L, const cJSON *j, config_rules *r) {
    static const char *const keys[] = {"service", "files", NULL};
    seen globs = {0};
    int rc = -1;
    const cJSON *e;
    if (read_array(L, j, "placement rules") != 0) goto cleanup;
    cJSON_ArrayForEach(e, j) {
        if (read_object(L, e, keys) != 0) goto cleanup;
        const cJSON *js = get(e, "service"), *jg = get(e, "files");
        if (!js || !jg) {
            fail(L, e, AT_VALUE, "a placement rule needs \"service\" and \"files\"");
            goto cleanup;
        }
        config_place pl = {0};
        VEC_PUSH(r->placement, pl);
        config_place *cur = &r->placement.v[r->placement.n - 1];
        if (read_name(L, js, &cur->service) != 0 || read_globs(L, jg, &cur->files) != 0 ||
            seen_all(L, &globs, jg, "glob", "is already in a placement rule") != 0)
            goto cleanup;
        if (!cur->files.n) {
            fail(L, jg, AT_VALUE, "empty list: give at least one glob");
            goto cleanup;
        }
    }
    rc = 0;
cleanup:
    seen_free(&globs);
    return rc;
}

static int load_rules(loader *L, const cJSON *j, config_rules *r) {
    static const char *const keys[] = {"forbidden", "allowed", "layers", "independent", "placement", NULL};
    const cJSON *v, *e;
    seen layered = {0};
    int rc = -1;
    if (read_object(L, j, keys) != 0) goto cleanup;
    const cJSON *jforb = get(j, "forbidden"), *jallow = get(j, "allowed");
    if (jforb && load_deps(L, jforb, 0, r) != 0) goto cleanup;
    if (jallow && load_deps(L, jallow, 1, r) != 0) goto cleanup;
    if (jforb && jallow && check_deps(L, jforb, jallow, r) != 0) goto cleanup;
    if ((v = get(j, "layers"))) {
        if (load_groups(L, v, 1, &r->layers) != 0) goto cleanup;
        if (r->layers.n < 2) {
            fail(L, v, AT_VALUE, "layers need at least two layers, the top one first");
            goto cleanup;
        }
        cJSON_ArrayForEach(e, v) if (seen_all(L, &layered, e, "service", "is in two layers") != 0) goto cleanup;
    }
    if ((v = get(j, "independent")) && load_groups(L, v, 2, &r->independent) != 0) goto cleanup;
    if ((v = get(j, "placement")) && load_placement(L, v, r) != 0) goto cleanup;
    rc = 0;
cleanup:
    seen_free(&layered);
    return rc;
}

static int load_severity(loader *L, const cJSON *j, unsigned *severity) {
    if (read_object(L, j, rule_names) != 0) return -1;
    const cJSON *ch;
    cJSON_ArrayForEach(ch, j) {
        if (read_enum(L, ch, severity_names, &severity[config_rule_find(ch->string)]) != 0) return -1;
    }
    return 0;
}

/* fitness.traffic: the loop assumption and the entry rates; a function or
 * a glob in two entries would have two rates. */
static int load_traffic(loader *L, const cJSON *j, config_traffic *t) {
    static const char *const keys[] = {"loop_iterations", "entries", NULL};
    static const char *const ekeys[] = {"functions", "files", "per_hour", NULL};
    seen fns = {0}, globs = {0};
    const cJSON *v, *e;
    int rc = -1;
    if (read_object(L, j, keys) != 0) goto cleanup;
    if ((v = get(j, "loop_iterations"))) {
        if (read_number(L, v, 1, 0, &t->loop_iterations) != 0) goto cleanup;
        t->loop_set = 1;
    }
    if ((v = get(j, "entries"))) {
        if (read_array(L, v, "entries") != 0) goto cleanup;
        cJSON_ArrayForEach(e, v) {
            if (read_object(L, e, ekeys) != 0) goto cleanup;
            const cJSON *jf = get(e, "functions"), *jg = get(e, "files"), *jr = get(e, "per_hour");
            if (!jr) {
                fail(L, e, AT_VALUE, "an entry needs \"per_hour\"");
                goto cleanup;
            }
            config_entry x = {0};
            VEC_PUSH(t->entries, x);
            config_entry *cur = &t->entries.v[t->entries.n - 1];
            if (read_number(L, jr, 0, 0, &cur->per_hour) != 0) goto cleanup;
            if (jf && (read_names(L, jf, 0, &cur->functions) != 0 ||
                       seen_all(L, &fns, jf, "function", "already has a rate") != 0))
                goto cleanup;
            if (jg && (read_globs(L, jg, &cur->files) != 0 ||
                       seen_all(L, &globs, jg, "glob", "already has a rate") != 0))
                goto cleanup;
            if (!cur->functions.n && !cur->files.n) {
                fail(L, e, AT_VALUE, "an entry needs \"functions\" or \"files\"");
                goto cleanup;
            }
        }
    }
    rc = 0;
cleanup:
    seen_free(&fns);
    seen_free(&globs);
    return rc;
}

static int load_fitness(loader *L, const cJSON *j, config_fitness *f) {
    static const char *const keys[] = {"thresholds", "cost", "traffic", NULL};
    static const char *const tkeys[] = {"library_min_callers", "function_max_loc", "function_max_state",
                                        "function_max_fanout", NULL};
    static const char *const ckeys[] = {"service_per_hour", "per_invocation", "per_gb_second", "memory_mb",
                                        "invocations_per_hour", NULL};
    config_thresholds *t = &f->thresholds;
    config_cost *c = &f->cost;
    const cJSON *s, *v;
    if (read_object(L, j, keys) != 0) return -1;
    if ((s = get(j, "thresholds"))) {
        if (read_object(L, s, tkeys) != 0) return -1;
        if ((v = get(s, "library_min_callers")) && read_int(L, v, 1, &t->library_min_callers) != 0) return -1;
        if ((v = get(s, "function_max_loc")) && read_int(L, v, 1, &t->function_max_loc) != 0) return -1;
        if ((v = get(s, "function_max_state")) && read_int(L, v, 0, &t->function_max_state) != 0) return -1;
        if ((v = get(s, "function_max_fanout")) && read_int(L, v, 0, &t->function_max_fanout) != 0) return -1;
    }
    if ((s = get(j, "cost"))) {
        double *fields[] = {&c->service_per_hour, &c->per_invocation, &c->per_gb_second, &c->memory_mb,
                            &c->invocations_per_hour};
        if (read_object(L, s, ckeys) != 0) return -1;
        for (unsigned i = 0; ckeys[i]; i++) {
            if (!(v = get(s, ckeys[i]))) continue;
            /* a function needs some memory; everything else may be free */
            if (read_number(L, v, 0, fields[i] == &c->memory_mb, fields[i]) != 0) return -1;
            c->set |= 1u << i; /* CONFIG_COST_* follow ckeys' order */
        }
    }
    if ((s = get(j, "traffic")) && load_traffic(L, s, &f->traffic) != 0) return -1;
    return 0;
}

static int load_config(loader *L, config *c) {
    static const char *const keys[] = {"$schema", "plan", "rules", "severity", "ignore", "fitness", NULL};
    const cJSON *j = L->root, *v;
    if (!cJSON_IsObject(j)) return fail(L, j, AT_VALUE, "expected an object at the top level, got %s", type_name(j));
    if (check_keys(L, j, keys) != 0) return -1;
    /* "$schema" is for editors; only its type matters here */
    if ((v = get(j, "$schema")) && !cJSON_IsString(v))
        return fail(L, v, AT_VALUE, "expected a string, got %s", type_name(v));
    if ((v = get(j, "plan")) && load_plan(L, v, &c->plan) != 0) return -1;
    if ((v = get(j, "rules")) && load_rules(L, v, &c->rules) != 0) return -1;
    if ((v = get(j, "severity")) && load_severity(L, v, c->severity) != 0) return -1;
    if ((v = get(j, "ignore"))) {
        seen globs = {0};
        int rc = read_globs(L, v, &c->ignore);
        if (rc == 0) rc = seen_all(L, &globs, v, "glob", "is given twice");
        seen_free(&globs);
        if (rc != 0) return -1;
    }
    if ((v = get(j, "fitness")) && load_fitness(L, v, &c->fitness) != 0) return -1;
    return 0;
}

int config_load(const char *path, config **out, char **err) {
    loader L = {path, NULL, NULL, NULL};
    config *c = NULL;
    cJSON *json = NULL;
    size_t len = 0;
    char *text = file_read_all(path, &len);
    int rc = -1;
    *out = NULL;
    if (!text) {
        *err = xasprintf("%s: %s", path, file_strerror(errno));
        goto cleanup;
    }
    json = jsonpos_parse(path, text, len, err);
    if (!json) goto cleanup;
    L.text = text;
    L.root = json;
    c = config_default();
    if (load_config(&L, c) != 0) {
        *err = L.err;
        goto cleanup;
    }
    c->path = xstrdup(path);
    *out = c;
    c = NULL;
    rc = 0;
cleanup:
    config_free(c);
    cJSON_Delete(json);
    free(text);
    return rc;
}
