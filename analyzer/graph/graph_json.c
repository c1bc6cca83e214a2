/*
 * graph_json.c - writes a graph as JSON, schema GRAPH_SCHEMA (graph.h)
 * (docs/graph-json.md).  Layout: one record per line inside each top-level
 * array, so the file diffs well and golden tests read well.  The few
 * top-level values are serialised by cJSON; the records (units, functions,
 * globals, calls, accesses: nearly all of a graph) are written directly,
 * in the very bytes cJSON_PrintUnformatted gives (its string escapes, from
 * json_out.h, "%d" for the integers, keys in the same order): a fifth of
 * the time of building and printing a cJSON tree per record.  Order is
 * the graph's own sorted order, so equal graphs give equal bytes.
 */
#include "graph/graph_json.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

#include "util/json_out.h"

static const char *LINKAGE[] = {"extern", "static"};
static const char *GKIND[] = {"variable", "static_local", "field"};
static const char *MODE[] = {"read", "write", "address"};
static const char *STATUS[] = {"ok", "partial", "failed"};
static const char *VIA[] = {"field", "global", "type", "unknown"};
static const char *UNSEEN[] = {"grammar", "no_entry"};

/* ---- records, written directly ------------------------------------------ */

/* v in decimal, as "%d" writes it. */
static void jdec(strbuf *b, int v) {
    char num[12];
    size_t at = sizeof num;
    unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
    do {
        num[--at] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) num[--at] = '-';
    strbuf_addn(b, num + at, sizeof num - at);
}

/* One object being written: `first` until a member is out. */
typedef struct jobj {
    strbuf *b;
    int first;
} jobj;

static jobj jopen(strbuf *b) {
    strbuf_addn(b, "    {", 5);
    return (jobj){b, 1};
}

static void jkey(jobj *o, const char *key) {
    if (!o->first) strbuf_addn(o->b, ",", 1);
    o->first = 0;
    json_out_escaped(o->b, key);
    strbuf_addn(o->b, ":", 1);
}

/* A string member; cJSON leaves out a member whose string is NULL. */
static void jstr(jobj *o, const char *key, const char *s) {
    if (!s) return;
    jkey(o, key);
    json_out_escaped(o->b, s);
}

static void jstrnull(jobj *o, const char *key, const char *s) {
    jkey(o, key);
    if (s)
        json_out_escaped(o->b, s);
    else
        strbuf_addn(o->b, "null", 4);
}

/* An int member: cJSON prints a number that is a whole int with "%d". */
static void jint(jobj *o, const char *key, int v) {
    jkey(o, key);
    jdec(o->b, v);
}

static void jbool(jobj *o, const char *key, unsigned v) {
    jkey(o, key);
    if (v)
        strbuf_addn(o->b, "true", 4);
    else
        strbuf_addn(o->b, "false", 5);
}

/* "at": ["file:line:col", ...]; site is a buffer to reuse. */
static void jsites(jobj *o, const gsite *v, size_t n, strbuf *site) {
    jkey(o, "at");
    strbuf_addn(o->b, "[", 1);
    for (size_t i = 0; i < n; i++) {
        site->n = 0;
        strbuf_add(site, v[i].file ? v[i].file : "?");
        strbuf_addn(site, ":", 1);
        jdec(site, v[i].line);
        strbuf_addn(site, ":", 1);
        jdec(site, v[i].col);
        if (i) strbuf_addn(o->b, ",", 1);
        json_out_escaped(o->b, site->v);
    }
    strbuf_addn(o->b, "]", 1);
}

/* Ends record i of n. */
static void jclose(jobj *o, size_t i, size_t n) {
    if (i + 1 < n)
        strbuf_addn(o->b, "},\n", 3);
    else
        strbuf_addn(o->b, "}\n", 2);
}

/* ---- the rest, through cJSON -------------------------------------------- */

static cJSON *str_or_null(const char *s) {
    return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

/* Appends `"name": value` (value rendered compactly) to the output. */
static void field(strbuf *b, const char *name, cJSON *value, int last) {
    char *text = json_out_print(value, 0);
    strbuf_printf(b, "  \"%s\": %s%s\n", name, text, last ? "" : ",");
    free(text);
    cJSON_Delete(value);
}

/* Starts a top-level array; records are then added with record(). */
static void openarray(strbuf *b, const char *name, size_t n) {
    strbuf_printf(b, "  \"%s\": [%s", name, n ? "\n" : "");
}

static void record(strbuf *b, cJSON *o, size_t i, size_t n) {
    char *text = json_out_print(o, 0);
    strbuf_printf(b, "    %s%s\n", text, i + 1 < n ? "," : "");
    free(text);
    cJSON_Delete(o);
}

static void closearray(strbuf *b, size_t n, int last) {
    strbuf_printf(b, "%s]%s\n", n ? "  " : "", last ? "" : ",");
}

static cJSON *summary(const graph *g) {
    size_t ok = 0, partial = 0, failed = 0, defined = 0, direct = 0, indirect = 0;
    for (size_t i = 0; i < g->units.n; i++) {
        unsigned s = g->units.v[i].status;
        ok += s == UNIT_OK;
        partial += s == UNIT_PARTIAL;
        failed += s == UNIT_FAILED;
    }
    for (size_t i = 0; i < g->funcs.n; i++) defined += g->funcs.v[i].defined;
    for (size_t i = 0; i < g->calls.n; i++) {
        if (g->calls.v[i].indirect) indirect++;
        else direct++;
    }
    const graph_stats *st = &g->stats;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "units", (double)g->units.n);
    cJSON_AddNumberToObject(o, "ok", (double)ok);
    cJSON_AddNumberToObject(o, "partial", (double)partial);
    cJSON_AddNumberToObject(o, "failed", (double)failed);
    cJSON_AddNumberToObject(o, "functions", (double)defined);
    cJSON_AddNumberToObject(o, "external_functions", (double)(g->funcs.n - defined));
    cJSON_AddNumberToObject(o, "globals", (double)g->globals.n);
    cJSON_AddNumberToObject(o, "direct_calls", (double)direct);
    cJSON_AddNumberToObject(o, "indirect_calls", (double)indirect);
    cJSON_AddNumberToObject(o, "indirect_sites", (double)st->indirect_sites);
    cJSON_AddNumberToObject(o, "indirect_resolved", (double)st->indirect_resolved);
    cJSON_AddNumberToObject(o, "indirect_unresolved",
                            (double)(st->indirect_sites - st->indirect_resolved));
    /* two decimals, so the figure is stable across libm printf variants */
    double avg = st->indirect_resolved
                     ? (double)(long)((double)st->indirect_targets * 100.0 /
                                          (double)st->indirect_resolved + 0.5) / 100.0
                     : 0.0;
    cJSON_AddNumberToObject(o, "indirect_targets_avg", avg);
    cJSON *by = cJSON_AddObjectToObject(o, "indirect_sites_by_via");
    for (int i = 0; i < 4; i++) cJSON_AddNumberToObject(by, VIA[i], (double)st->indirect_by_via[i]);
    /* only a database has flags to drop */
    if (g->compile_db) cJSON_AddNumberToObject(o, "flags_dropped", (double)g->flags_dropped);
    cJSON_AddNumberToObject(o, "coverage", graph_coverage(g));
    cJSON_AddNumberToObject(o, "unseen_files", (double)g->unseen.n);
    cJSON_AddNumberToObject(o, "several_builds", (double)g->builds.n);
    if (st->programs_known) {
        size_t v[GRAPH_PROGRAM_COUNTS];
        graph_program_counts(st, v);
        for (int i = 0; i < GRAPH_PROGRAM_COUNTS; i++)
            cJSON_AddNumberToObject(o, GRAPH_PROGRAM_KEYS[i], (double)v[i]);
    }
    return o;
}

char *graph_json_render(const graph *g) {
    strbuf b = {0};
    strbuf_add(&b, "{\n");
    field(&b, "schema", cJSON_CreateString(GRAPH_SCHEMA), 0);
    field(&b, "root", cJSON_CreateString(g->root), 0);
    field(&b, "compile_db", str_or_null(g->compile_db), 0);
    field(&b, "approximate", cJSON_CreateBool(g->compile_db == NULL), 0);
    field(&b, "summary", summary(g), 0);

    openarray(&b, "stand_ins", g->standins.n);
    for (size_t i = 0; i < g->standins.n; i++) {
        const gstandin *s = &g->standins.v[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "header", s->header);
        cJSON_AddItemToObject(o, "from", str_or_null(s->from));
        cJSON_AddNumberToObject(o, "switches", s->switches);
        if (s->units >= 0) cJSON_AddNumberToObject(o, "units", s->units);
        record(&b, o, i, g->standins.n);
    }
    closearray(&b, g->standins.n, 0);

    openarray(&b, "unseen", g->unseen.n);
    for (size_t i = 0; i < g->unseen.n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "file", g->unseen.v[i].file);
        cJSON_AddStringToObject(o, "reason", UNSEEN[g->unseen.v[i].kind]);
        record(&b, o, i, g->unseen.n);
    }
    closearray(&b, g->unseen.n, 0);

    openarray(&b, "builds", g->builds.n);
    for (size_t i = 0; i < g->builds.n; i++) {
        const gbuild *d = &g->builds.v[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "file", d->file);
        cJSON_AddNumberToObject(o, "builds", d->builds);
        cJSON_AddNumberToObject(o, "entry", d->entry);
        cJSON *with = cJSON_AddArrayToObject(o, "with");
        for (size_t k = 0; k < d->with.n; k++) cJSON_AddItemToArray(with, cJSON_CreateString(d->with.v[k]));
        cJSON *without = cJSON_AddArrayToObject(o, "without");
        for (size_t k = 0; k < d->without.n; k++)
            cJSON_AddItemToArray(without, cJSON_CreateString(d->without.v[k]));
        cJSON_AddNumberToObject(o, "agree", (double)d->agree);
        cJSON_AddNumberToObject(o, "of", (double)d->of);
        record(&b, o, i, g->builds.n);
    }
    closearray(&b, g->builds.n, 0);

    /* only when a file was read in a second build: graphs of one build
     * per file are as before */
    if (g->reads.n) {
        openarray(&b, "second_builds", g->reads.n);
        for (size_t i = 0; i < g->reads.n; i++) {
            const gread *d = &g->reads.v[i];
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "unit", d->unit);
            cJSON_AddStringToObject(o, "file", d->file);
            cJSON_AddNumberToObject(o, "entry", d->entry);
            cJSON *with = cJSON_AddArrayToObject(o, "with");
            for (size_t k = 0; k < d->with.n; k++)
                cJSON_AddItemToArray(with, cJSON_CreateString(d->with.v[k]));
            cJSON_AddNumberToObject(o, "programs", d->programs);
            cJSON_AddItemToObject(o, "main", str_or_null(d->main));
            record(&b, o, i, g->reads.n);
        }
        closearray(&b, g->reads.n, 0);
    }

    openarray(&b, "warnings", g->warnings.n);
    for (size_t i = 0; i < g->warnings.n; i++)
        record(&b, cJSON_CreateString(g->warnings.v[i]), i, g->warnings.n);
    closearray(&b, g->warnings.n, 0);

    strbuf site = {0};
    openarray(&b, "units", g->units.n);
    for (size_t i = 0; i < g->units.n; i++) {
        const gunit *u = &g->units.v[i];
        jobj o = jopen(&b);
        jstr(&o, "file", u->file);
        jstr(&o, "status", STATUS[u->status]);
        jkey(&o, "errors");
        strbuf_addn(&b, "[", 1);
        int first = 1;
        for (size_t j = 0; j < u->errors.n; j++) {
            if (!u->errors.v[j]) continue;
            if (!first) strbuf_addn(&b, ",", 1);
            first = 0;
            json_out_escaped(&b, u->errors.v[j]);
        }
        strbuf_addn(&b, "]", 1);
        jkey(&o, "headers");
        strbuf_addn(&b, "[", 1);
        for (size_t j = 0; j < u->headers.n; j++) {
            if (j) strbuf_addn(&b, ",", 1);
            json_out_escaped(&b, u->headers.v[j]);
        }
        strbuf_addn(&b, "]", 1);
        jclose(&o, i, g->units.n);
    }
    closearray(&b, g->units.n, 0);

    openarray(&b, "functions", g->funcs.n);
    for (size_t i = 0; i < g->funcs.n; i++) {
        const gfunc *f = &g->funcs.v[i];
        jobj o = jopen(&b);
        jstr(&o, "id", f->id);
        jstr(&o, "name", f->name);
        jstrnull(&o, "file", f->file);
        jint(&o, "line", f->line);
        jint(&o, "end_line", f->end_line);
        jstr(&o, "linkage", LINKAGE[f->linkage]);
        jbool(&o, "defined", f->defined);
        jint(&o, "loc", f->loc);
        jbool(&o, "address_taken", f->address_taken);
        jclose(&o, i, g->funcs.n);
    }
    closearray(&b, g->funcs.n, 0);

    openarray(&b, "globals", g->globals.n);
    for (size_t i = 0; i < g->globals.n; i++) {
        const gglobal *v = &g->globals.v[i];
        jobj o = jopen(&b);
        jstr(&o, "id", v->id);
        jstr(&o, "name", v->name);
        jstrnull(&o, "file", v->file);
        jint(&o, "line", v->line);
        jstr(&o, "linkage", LINKAGE[v->linkage]);
        jstr(&o, "kind", GKIND[v->kind]);
        jbool(&o, "defined", v->defined);
        if (v->parent) jstr(&o, "parent", v->parent);
        jclose(&o, i, g->globals.n);
    }
    closearray(&b, g->globals.n, 0);

    openarray(&b, "calls", g->calls.n);
    for (size_t i = 0; i < g->calls.n; i++) {
        const gcall *c = &g->calls.v[i];
        jobj o = jopen(&b);
        jstr(&o, "from", g->funcs.v[c->from].id);
        jstr(&o, "to", g->funcs.v[c->to].id);
        jstr(&o, "kind", graph_evidence_name(c->evidence));
        jint(&o, "sites", c->sites);
        jint(&o, "loop_depth", c->loop_depth);
        jsites(&o, c->at.v, c->at.n, &site);
        jclose(&o, i, g->calls.n);
    }
    closearray(&b, g->calls.n, 0);

    openarray(&b, "accesses", g->accesses.n);
    for (size_t i = 0; i < g->accesses.n; i++) {
        const gaccess *a = &g->accesses.v[i];
        jobj o = jopen(&b);
        jstr(&o, "function", g->funcs.v[a->function].id);
        jstr(&o, "global", g->globals.v[a->global].id);
        jstr(&o, "mode", MODE[a->mode]);
        jint(&o, "count", a->count);
        jsites(&o, a->at.v, a->at.n, &site);
        jclose(&o, i, g->accesses.n);
    }
    closearray(&b, g->accesses.n, 1);
    free(site.v);
    strbuf_add(&b, "}\n");
    return b.v;
}
