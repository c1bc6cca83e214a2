/*
 * lookup.c - names on the command line to functions, services, files,
 * directories and globals (lookup.h).  Every search walks the graph or the
 * plan in index order, so equal inputs give equal answers.
 */
#include "reports/lookup.h"

#include <stdlib.h>
#include <string.h>

#include "util/common.h"

/* Indexed by enum lookup_kind: the prefix asking for it, the word for it. */
static const struct {
    const char *prefix, *name;
} KINDS[LOOKUP_KINDS] = {
    {"function:", "function"}, {"service:", "service"}, {"file:", "file"},
    {"dir:", "directory"},     {"global:", "global"},   {NULL, "external function"},
};

const char *lookup_kind_name(int kind) {
    return kind >= 0 && kind < LOOKUP_KINDS ? KINDS[kind].name : "?";
}

const char *lookup_kind_prefix(int kind) {
    if (kind == LOOKUP_EXTERNAL) return KINDS[LOOKUP_FUNCTION].prefix;
    return kind >= 0 && kind < LOOKUP_KINDS ? KINDS[kind].prefix : "";
}

static int in_dir(const char *file, const char *dir) {
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/') n--;
    return file && strncmp(file, dir, n) == 0 && file[n] == '/';
}

/* The items of kind k named name into out; returns how many. */
static size_t find(const graph *g, const plan *p, int k, const char *name, lookup *out) {
    idxvec *v = &out->items;
    size_t before = v->n;
    switch (k) {
        case LOOKUP_FUNCTION:
        case LOOKUP_EXTERNAL: {
            unsigned want = k == LOOKUP_FUNCTION;
            size_t f = graph_find_func(g, name);
            if (f != (size_t)-1 && g->funcs.v[f].defined == want) {
                VEC_PUSH(*v, f);
                break;
            }
            for (size_t i = 0; i < g->funcs.n; i++)
                if (g->funcs.v[i].defined == want && strcmp(g->funcs.v[i].name, name) == 0)
                    VEC_PUSH(*v, i);
            break;
        }
        case LOOKUP_SERVICE: {
            size_t s = p ? plan_find_service(p, name) : PLAN_NONE;
            if (s == PLAN_NONE) break;
            out->service = s;
            for (size_t i = 0; i < p->services.v[s].funcs.n; i++)
                VEC_PUSH(*v, p->services.v[s].funcs.v[i]);
            /* an empty service is still one */
            if (!p->services.v[s].funcs.n) return 1;
            break;
        }
        case LOOKUP_FILE:
        case LOOKUP_DIR:
            for (size_t i = 0; i < g->funcs.n; i++) {
                const gfunc *fn = &g->funcs.v[i];
                if (!fn->defined || !fn->file) continue;
                if (k == LOOKUP_FILE ? strcmp(fn->file, name) == 0 : in_dir(fn->file, name))
                    VEC_PUSH(*v, i);
            }
            break;
        case LOOKUP_GLOBAL: {
            size_t x = graph_find_global(g, name);
            if (x != (size_t)-1) {
                VEC_PUSH(*v, x);
                break;
            }
            for (size_t i = 0; i < g->globals.n; i++)
                if (strcmp(g->globals.v[i].name, name) == 0) VEC_PUSH(*v, i);
            break;
        }
    }
    return v->n - before;
}

/* "function, service or file" for the kinds of mask. */
static char *kinds_text(unsigned mask) {
    strbuf b = {0};
    int n = 0, total = 0;
    for (int k = 0; k < LOOKUP_EXTERNAL; k++) total += (mask & LOOKUP_BIT(k)) != 0;
    for (int k = 0; k < LOOKUP_EXTERNAL; k++) {
        if (!(mask & LOOKUP_BIT(k))) continue;
        if (n) strbuf_add(&b, n + 1 == total ? " or " : ", ");
        strbuf_add(&b, KINDS[k].name);
        n++;
    }
    return b.v ? b.v : xstrdup("thing");
}

int lookup_name(const graph *g, const plan *p, const char *name, unsigned allowed,
                const char *where, lookup *out, char **err) {
    memset(out, 0, sizeof *out);
    out->kind = -1;
    out->service = PLAN_NONE;
    if (!p) allowed &= ~LOOKUP_BIT(LOOKUP_SERVICE);
    unsigned ask = allowed;
    for (int k = 0; k < LOOKUP_KINDS; k++) {
        if (!KINDS[k].prefix || !str_startswith(name, KINDS[k].prefix)) continue;
        name += strlen(KINDS[k].prefix);
        if (!(allowed & LOOKUP_BIT(k))) {
            char *what = kinds_text(allowed);
            *err = xasprintf("'%s%s' names a %s: give a %s", KINDS[k].prefix, name, KINDS[k].name,
                             what);
            free(what);
            return -1;
        }
        /* "function:" means any function, defined or not */
        ask = LOOKUP_BIT(k) | (k == LOOKUP_FUNCTION ? LOOKUP_BIT(LOOKUP_EXTERNAL) & allowed : 0);
        break;
    }
    out->name = name;
    for (int k = 0; k < LOOKUP_KINDS; k++) {
        if (!(ask & LOOKUP_BIT(k))) continue;
        if (out->kind < 0) {
            if (find(g, p, k, name, out)) out->kind = k;
            continue;
        }
        /* what else bears the name, for the caller to say so */
        lookup other = {0};
        if (find(g, p, k, name, &other)) out->also |= LOOKUP_BIT(k);
        free(other.items.v);
    }
    if (out->kind >= 0) return 0;
    char *what = kinds_text(ask);
    *err = xasprintf("no %s named '%s'%s", what, name, where);
    free(what);
    lookup_free(out);
    return -1;
}

void lookup_free(lookup *l) {
    free(l->items.v);
    l->items.v = NULL;
    l->items.n = l->items.cap = 0;
}
