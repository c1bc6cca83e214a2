/*
 * graph_json.c - writes a graph as JSON, schema "cleave.graph/1"
 * (docs/graph-json.md).  Layout: one record per line inside each top-level
 * array, so the file diffs well and golden tests read well; each record is
 * serialised by cJSON, which does the string escaping.  Order is the
 * graph's own sorted order, so equal graphs give equal bytes.
 */
#include "graph_json.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

static const char *LINKAGE[] = {"extern", "static"};
static const char *GKIND[] = {"variable", "static_local", "field"};
static const char *MODE[] = {"read", "write", "address"};
static const char *STATUS[] = {"ok", "partial", "failed"};
static const char *VIA[] = {"field", "global", "type", "unknown"};

static cJSON *str_or_null(const char *s) {
    return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *sites(const gsite *v, size_t n) {
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++) {
        char *s = xasprintf("%s:%d:%d", v[i].file ? v[i].file : "?", v[i].line, v[i].col);
        cJSON_AddItemToArray(a, cJSON_CreateString(s));
        free(s);
    }
    return a;
}

/* Appends `"name": value` (value rendered compactly) to the output. */
static void field(strbuf *b, const char *name, cJSON *value, int last) {
    char *text = cJSON_PrintUnformatted(value);
    strbuf_printf(b, "  \"%s\": %s%s\n", name, text, last ? "" : ",");
    free(text);
    cJSON_Delete(value);
}

/* Starts a top-level array; records are then added with record(). */
static void openarray(strbuf *b, const char *name, size_t n) {
    strbuf_printf(b, "  \"%s\": [%s", name, n ? "\n" : "");
}

static void record(strbuf *b, cJSON *o, size_t i, size_t n) {
    char *text = cJSON_PrintUnformatted(o);
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
    return o;
}

char *graph_json_render(const graph *g) {
    strbuf b = {0};
    strbuf_add(&b, "{\n");
    field(&b, "schema", cJSON_CreateString("cleave.graph/1"), 0);
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
        record(&b, o, i, g->standins.n);
    }
    closearray(&b, g->standins.n, 0);

    openarray(&b, "warnings", g->warnings.n);
    for (size_t i = 0; i < g->warnings.n; i++)
        record(&b, cJSON_CreateString(g->warnings.v[i]), i, g->warnings.n);
    closearray(&b, g->warnings.n, 0);

    openarray(&b, "units", g->units.n);
    for (size_t i = 0; i < g->units.n; i++) {
        const gunit *u = &g->units.v[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "file", u->file);
        cJSON_AddStringToObject(o, "status", STATUS[u->status]);
        cJSON *errs = cJSON_AddArrayToObject(o, "errors");
        for (size_t j = 0; j < u->errors.n; j++)
            cJSON_AddItemToArray(errs, cJSON_CreateString(u->errors.v[j]));
        record(&b, o, i, g->units.n);
    }
    closearray(&b, g->units.n, 0);

    openarray(&b, "functions", g->funcs.n);
    for (size_t i = 0; i < g->funcs.n; i++) {
        const gfunc *f = &g->funcs.v[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", f->id);
        cJSON_AddStringToObject(o, "name", f->name);
        cJSON_AddItemToObject(o, "file", str_or_null(f->file));
        cJSON_AddNumberToObject(o, "line", f->line);
        cJSON_AddNumberToObject(o, "end_line", f->end_line);
        cJSON_AddStringToObject(o, "linkage", LINKAGE[f->linkage]);
        cJSON_AddBoolToObject(o, "defined", f->defined);
        cJSON_AddNumberToObject(o, "loc", f->loc);
        cJSON_AddBoolToObject(o, "address_taken", f->address_taken);
        record(&b, o, i, g->funcs.n);
    }
    closearray(&b, g->funcs.n, 0);

    openarray(&b, "globals", g->globals.n);
    for (size_t i = 0; i < g->globals.n; i++) {
        const gglobal *v = &g->globals.v[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", v->id);
        cJSON_AddStringToObject(o, "name", v->name);
        cJSON_AddItemToObject(o, "file", str_or_null(v->file));
        cJSON_AddNumberToObject(o, "line", v->line);
        cJSON_AddStringToObject(o, "linkage", LINKAGE[v->linkage]);
        cJSON_AddStringToObject(o, "kind", GKIND[v->kind]);
        cJSON_AddBoolToObject(o, "defined", v->defined);
        if (v->parent) cJSON_AddStringToObject(o, "parent", v->parent);
        record(&b, o, i, g->globals.n);
    }
    closearray(&b, g->globals.n, 0);

    openarray(&b, "calls", g->calls.n);
    for (size_t i = 0; i < g->calls.n; i++) {
        const gcall *c = &g->calls.v[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "from", g->funcs.v[c->from].id);
        cJSON_AddStringToObject(o, "to", g->funcs.v[c->to].id);
        cJSON_AddStringToObject(o, "kind", c->indirect ? "indirect" : "direct");
        cJSON_AddNumberToObject(o, "sites", c->sites);
        cJSON_AddNumberToObject(o, "loop_depth", c->loop_depth);
        cJSON_AddItemToObject(o, "at", sites(c->at.v, c->at.n));
        record(&b, o, i, g->calls.n);
    }
    closearray(&b, g->calls.n, 0);

    openarray(&b, "accesses", g->accesses.n);
    for (size_t i = 0; i < g->accesses.n; i++) {
        const gaccess *a = &g->accesses.v[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "function", g->funcs.v[a->function].id);
        cJSON_AddStringToObject(o, "global", g->globals.v[a->global].id);
        cJSON_AddStringToObject(o, "mode", MODE[a->mode]);
        cJSON_AddNumberToObject(o, "count", a->count);
        cJSON_AddItemToObject(o, "at", sites(a->at.v, a->at.n));
        record(&b, o, i, g->accesses.n);
    }
    closearray(&b, g->accesses.n, 1);
    strbuf_add(&b, "}\n");
    return b.v;
}
