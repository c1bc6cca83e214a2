/*
 * test_report.c - the report model (entry kinds, matrix order, placement
 * read from plan.json), the HTML report's data and page (no '<' in the
 * data, hostile names back intact, one script element each, the same
 * bytes twice), the embedded assets, `cleave explain`'s text, and the
 * check report's escaping.  Inputs: fixtures/demo's golden graph under a
 * plan made by hand (handplan.h).
 */
#define _GNU_SOURCE
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check/check.h"
#include "handplan.h"
#include "plan/plan_json.h"
#include "reports/check_report.h"
#include "reports/explain.h"
#include "reports/report_html.h"
#include "reports/report_model.h"
#include "test.h"
#include "util/json_out.h"

static const char HOSTILE[] = "</script><script>alert(1)</script><!-- \"q'\" & "
                              "<img src=x onerror=alert(2)> "
                              "\xc3\xbcn\xc3\xaf\xe6\x97\xa5\xe6\x9c\xac";

/* The demo under the hand plan, its plan.json text with `extra` members
 * added at the top level (a JSON object's text, or NULL), and the model. */
typedef struct demo {
    graph *g;
    plan *p;
    char *text;
    report_model *m;
} demo;

static void demo_open(demo *d, const char *extra) {
    memset(d, 0, sizeof *d);
    d->g = fixture_graph("demo");
    REQUIRE(d->g != NULL);
    d->p = handplan(d->g);
    char *text = plan_json_render(d->p, "graph.json");
    if (extra) {
        cJSON *doc = cJSON_Parse(text), *more = cJSON_Parse(extra);
        REQUIRE(doc && more);
        cJSON *item;
        while ((item = more->child)) {
            cJSON_DetachItemViaPointer(more, item);
            char *key = xstrdup(item->string); /* cJSON frees the item's own */
            if (cJSON_GetObjectItemCaseSensitive(doc, key))
                cJSON_ReplaceItemInObjectCaseSensitive(doc, key, item);
            else
                cJSON_AddItemToObject(doc, key, item);
            free(key);
        }
        free(text);
        text = cJSON_Print(doc);
        cJSON_Delete(doc);
        cJSON_Delete(more);
    }
    d->text = text;
    char *err = NULL;
    REQUIRE(report_model_build(d->p, "plan.json", d->text, strlen(d->text), &d->m, &err) == 0);
}

static void demo_close(demo *d) {
    report_model_free(d->m);
    free(d->text);
    plan_free(d->p);
    graph_free(d->g);
}

static size_t func(const graph *g, const char *id) {
    size_t f = graph_find_func(g, id);
    if (f == (size_t)-1) fprintf(stderr, "no function %s\n", id);
    return f;
}

static void entries(void) {
    demo d;
    demo_open(&d, NULL);
    const graph *g = d.g;
    /* server calls orders_init by name; net's dispatch table holds the commands */
    CHECK_INT(d.m->entry[func(g, "orders_init")], REPORT_ENTRY_API);
    CHECK_INT(d.m->entry[func(g, "orders_cmd_checkout")], REPORT_ENTRY_CALLBACK);
    CHECK_INT(d.m->entry[func(g, "main")], REPORT_ENTRY_TRIGGER);
    /* a function only its own service calls is no entry point */
    size_t s = d.p->assign[func(g, "orders_cmd_checkout")];
    size_t inner = PLAN_NONE;
    for (size_t i = 0; i < d.p->services.v[s].funcs.n && inner == PLAN_NONE; i++) {
        size_t f = d.p->services.v[s].funcs.v[i];
        if (!plan_idx_contains(&d.p->services.v[s].entry_points, f)) inner = f;
    }
    REQUIRE(inner != PLAN_NONE);
    CHECK_INT(d.m->entry[inner], REPORT_ENTRY_NONE);
    CHECK(!d.m->has_placement);
    CHECK(d.m->reason[func(g, "main")] == NULL);
    demo_close(&d);
}

/* Every interface between services on no common cycle points down the
 * matrix order; libraries are not in it. */
static void order(void) {
    demo d;
    demo_open(&d, NULL);
    const plan *p = d.p;
    size_t *pos = xmallocarray(p->services.n, sizeof *pos), libs = 0;
    for (size_t s = 0; s < p->services.n; s++) {
        pos[s] = PLAN_NONE;
        libs += p->services.v[s].kind == PLAN_LIBRARY;
    }
    for (size_t i = 0; i < d.m->norder; i++) pos[d.m->order[i]] = i;
    CHECK_INT(d.m->norder, p->services.n - libs);
    for (size_t i = 0; i < p->interfaces.n; i++) {
        const plan_interface *x = &p->interfaces.v[i];
        int cyc = d.m->cycle[x->from] >= 0 && d.m->cycle[x->from] == d.m->cycle[x->to];
        if (!cyc) CHECK(pos[x->from] < pos[x->to]);
        /* the calls behind it add up to its sites */
        int sites = 0;
        for (size_t k = 0; k < d.m->calls[i].n; k++)
            sites += d.g->calls.v[d.m->calls[i].v[k]].sites;
        CHECK_INT(sites, x->sites);
    }
    free(pos);
    demo_close(&d);
}

/* A hostile string in the plan's placement and notes: not one '<' in the
 * data, and it reads back exactly. */
static void escaping(void) {
    strbuf extra = {0};
    strbuf_add(&extra, "{\"placement\": [{\"function\": \"orders_cmd_checkout\", "
                       "\"component\": \"orders\", \"reason\": \"folder\", \"detail\": ");
    json_out_escaped(&extra, HOSTILE);
    strbuf_add(&extra, "}], \"notes\": [");
    json_out_escaped(&extra, HOSTILE);
    strbuf_add(&extra, "], \"newer_key\": {\"x\": 1}}");
    demo d;
    demo_open(&d, extra.v);
    free(extra.v);
    CHECK(d.m->has_placement);
    size_t f = func(d.g, "orders_cmd_checkout");
    CHECK_STR(d.m->reason[f], "folder");
    CHECK_STR(d.m->detail[f], HOSTILE);
    char *data = report_html_data(d.m, NULL);
    CHECK(strchr(data, '<') == NULL);
    cJSON *doc = cJSON_Parse(data);
    REQUIRE(doc != NULL);
    /* why[] runs parallel to fn[], the defined functions in graph order;
     * its reason and detail are indexes into whytext */
    size_t row = 0;
    for (size_t k = 0; k < f; k++) row += d.g->funcs.v[k].defined;
    cJSON *why = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "why"), (int)row);
    cJSON *text = cJSON_GetObjectItem(doc, "whytext");
    REQUIRE(cJSON_IsArray(why) && cJSON_IsArray(text));
    CHECK_STR(cJSON_GetArrayItem(text, cJSON_GetArrayItem(why, 0)->valueint)->valuestring,
              "folder");
    CHECK_STR(cJSON_GetArrayItem(text, cJSON_GetArrayItem(why, 1)->valueint)->valuestring, HOSTILE);
    cJSON *plan = cJSON_GetObjectItem(doc, "plan");
    CHECK_STR(cJSON_GetArrayItem(cJSON_GetObjectItem(plan, "notes"), 0)->valuestring, HOSTILE);
    CHECK(cJSON_GetObjectItem(plan, "newer_key") != NULL);  /* kept for the page */
    CHECK(cJSON_GetObjectItem(plan, "placement") == NULL);  /* moved to why[] */
    cJSON_Delete(doc);
    free(data);

    char *html = NULL, *err = NULL;
    REQUIRE(report_html(d.m, NULL, 0, NULL, &html, &err) == 0);
    size_t opens = 0, closes = 0;
    for (const char *s = html; (s = strcasestr(s, "<script")); s++) opens++;
    for (const char *s = html; (s = strcasestr(s, "</script")); s++) closes++;
    CHECK_INT(opens, 2); /* the data, the script */
    CHECK_INT(closes, 2);
    CHECK(strstr(html, "\"map\":null") != NULL); /* no render: no map */
    CHECK(strstr(html, "Content-Security-Policy\" content=\"default-src 'none'") != NULL);
    free(html);
    demo_close(&d);
}

/* The same plan gives the same page, map included. */
static void deterministic(void) {
    demo d;
    demo_open(&d, NULL);
    char *a = NULL, *b = NULL, *err = NULL;
    REQUIRE(report_html(d.m, NULL, 1, NULL, &a, &err) == 0);
    REQUIRE(report_html(d.m, NULL, 1, NULL, &b, &err) == 0);
    CHECK(strcmp(a, b) == 0);
    CHECK(strstr(a, "\"kind\":\"services\",\"svg\":\"\\u003csvg") != NULL);
    CHECK(strstr(a, "<title>cleave: demo</title>") != NULL);
    free(a);
    free(b);
    demo_close(&d);
}

/* Nothing in the embedded assets can end their elements early. */
static void assets(void) {
    CHECK(strlen(report_js) > 1000 && strlen(report_css) > 1000);
    CHECK(strcasestr(report_js, "</script") == NULL);
    CHECK(strcasestr(report_js, "<script") == NULL);
    CHECK(strcasestr(report_js, "<!--") == NULL);
    CHECK(strcasestr(report_css, "</style") == NULL);
    /* names reach the page as text: the script never writes markup */
    CHECK(strstr(report_js, "innerHTML") == NULL);
    CHECK(strstr(report_js, "insertAdjacentHTML") == NULL);
    CHECK(strstr(report_js, "document.write") == NULL);
}

static char *explain(const report_model *m, const char *name) {
    char *out = NULL, *err = NULL;
    if (explain_text(m, name, &out, &err) != 0) {
        fprintf(stderr, "explain %s: %s\n", name, err);
        free(err);
        return NULL;
    }
    return out;
}

static void explain_kinds(void) {
    demo d;
    demo_open(&d, "{\"placement\": [{\"function\": \"orders_init\", \"component\": \"orders\", "
                  "\"reason\": \"folder\", \"detail\": \"folder src/orders\"}]}");
    char *t = explain(d.m, "orders_init");
    REQUIRE(t);
    CHECK(strstr(t, "function orders_init (src/orders/") == t);
    CHECK(strstr(t, "entry point: API") != NULL);
    CHECK(strstr(t, "why here: folder: folder src/orders\n") != NULL);
    CHECK(strstr(t, "called from other components:\n    <- ") != NULL);
    free(t);
    t = explain(d.m, "function:orders_cmd_checkout");
    CHECK(t && strstr(t, "entry point: callback") && strstr(t, "why here: not recorded"));
    CHECK(t && strstr(t, "[field]") != NULL);
    free(t);
    size_t s = d.p->assign[func(d.g, "orders_init")];
    char *name = xasprintf("service:%s", d.p->services.v[s].name);
    t = explain(d.m, name);
    CHECK(t && strstr(t, "service ") == t && strstr(t, "API other components call directly"));
    CHECK(t && strstr(t, "why its functions are here: folder 1") != NULL);
    free(t);
    free(name);
    t = explain(d.m, "global:server.currency");
    CHECK(t && strstr(t, "global server.currency (field, src/server.c:") == t);
    CHECK(t && strstr(t, "written by:") != NULL);
    free(t);
    t = explain(d.m, "file:src/main.c");
    CHECK(t && strstr(t, "file src/main.c: ") == t && strstr(t, " main in "));
    free(t);
    char *out = NULL, *err = NULL;
    CHECK(explain_text(d.m, "no_such_thing", &out, &err) == -1 && out == NULL);
    CHECK_STR(err, "no function, service, file or global named 'no_such_thing' in the plan");
    free(err);
    err = NULL;
    CHECK(explain_text(d.m, "service:orders_init", &out, &err) == -1);
    CHECK_STR(err, "no service named 'orders_init' in the plan");
    free(err);
    demo_close(&d);
}

/* The check report escapes what a finding says. */
static void check_page(void) {
    check_result *c = xcalloc(1, sizeof *c);
    check_finding f = {0};
    f.rule = CONFIG_RULE_NEW_INTERFACE;
    f.severity = CONFIG_SEV_ERROR;
    f.file = xstrdup("src/a\"b<i>.c");
    f.line = 3;
    f.col = 7;
    f.message = xstrdup(HOSTILE);
    f.key = xstrdup("new-interface:x");
    VEC_PUSH(c->findings, f);
    strvec_push(&c->stale, "moved-function:<b>");
    char *page = check_html_reporter.render(c);
    CHECK(strstr(page, "cleave check: <span class=\"failed\">failed</span>") != NULL);
    CHECK(strstr(page, "<code>src/a&quot;b&lt;i&gt;.c:3:7</code>") != NULL);
    CHECK(strstr(page, "&lt;/script&gt;&lt;script&gt;alert(1)") != NULL);
    CHECK(strstr(page, "<code>moved-function:&lt;b&gt;</code>") != NULL);
    CHECK(strcasestr(page, "<script") == NULL);
    CHECK(strstr(page, "<code>new-interface</code>") != NULL);
    free(page);
    check_result_free(c);
}

static const test_case cases[] = {
    {"entries", entries},
    {"order", order},
    {"escaping", escaping},
    {"deterministic", deterministic},
    {"assets", assets},
    {"explain_kinds", explain_kinds},
    {"check_page", check_page},
};

int main(int argc, char **argv) {
    return test_main(argc, argv, cases, TEST_COUNT(cases));
}
